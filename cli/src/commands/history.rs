//! `history`: days, weeks or months, with streaks and a chart.

use anyhow::Result;
use chrono::{Datelike, Duration};
use second_heart_core::daily::DailySummary;
use serde::Serialize;

use crate::args::{Cli, HistoryArgs, HistoryGrouping};
use crate::chart::{Bar, draw_history};
use crate::commands::clock::open_at;
use crate::output::{print_json, thousands};

/// Days (or weeks, months) added up.
#[derive(Debug, Serialize)]
struct Period {
    label: String,
    first: String,
    days: u32,
    steps: u64,
    active_minutes: u64,
    pumped_litres: f64,
    calf_raise_sets: u64,
    sitting_minutes: u64,
    prolonged_sitting_bouts: u64,
    hydration_ml: u64,
    days_steps_goal_met: u32,
}

/// Prints the history.
pub fn run(cli: &Cli, args: &HistoryArgs) -> Result<()> {
    let (mut store, _, now) = open_at(cli, &args.clock)?;
    let last = store.today(now)?;
    let first = last - Duration::days(i64::from(args.days.max(1)) - 1);
    let history = store.history(first, last, now)?;
    let periods = group(&history.days, args.by);
    if let Some(path) = &args.chart {
        let bars: Vec<Bar> = periods
            .iter()
            .map(|p| Bar {
                label: p.label.clone(),
                steps: p.steps as f64,
                litres: p.pumped_litres,
            })
            .collect();
        let goal = f64::from(store.profile()?.goals.steps);
        let per_period_goal = if args.by == HistoryGrouping::Day {
            goal
        } else {
            goal * 7.0
        };
        draw_history(path, &bars, per_period_goal)?;
    }
    if cli.json {
        return print_json(&serde_json::json!({"periods": periods, "streaks": history.streaks}));
    }
    println!(
        "{:<12} {:>9} {:>7} {:>8} {:>5} {:>8} {:>6}",
        "", "steps", "active", "pumped", "sets", "sitting", "drinks"
    );
    for p in &periods {
        println!(
            "{:<12} {:>9} {:>5} m {:>6.1} L {:>5} {:>6} m {:>4} L",
            p.label,
            thousands(p.steps),
            p.active_minutes,
            p.pumped_litres,
            p.calf_raise_sets,
            p.sitting_minutes,
            format!("{:.1}", p.hydration_ml as f64 / 1000.0)
        );
    }
    let s = history.streaks.steps;
    println!(
        "Steps goal streak: {} days (best {}).",
        s.current_days, s.best_days
    );
    Ok(())
}

fn group(days: &[DailySummary], by: HistoryGrouping) -> Vec<Period> {
    let mut periods: Vec<Period> = Vec::new();
    for day in days {
        let (key, label) = match by {
            HistoryGrouping::Day => (
                day.date.to_string(),
                day.date.format("%a %-d %b").to_string(),
            ),
            HistoryGrouping::Week => {
                let week = day.date.iso_week();
                (
                    format!("{}-W{:02}", week.year(), week.week()),
                    format!("{}-W{:02}", week.year(), week.week()),
                )
            }
            HistoryGrouping::Month => (
                day.date.format("%Y-%m").to_string(),
                day.date.format("%b %Y").to_string(),
            ),
        };
        if periods.last().is_none_or(|p| p.label != label) {
            periods.push(Period {
                label,
                first: key,
                days: 0,
                steps: 0,
                active_minutes: 0,
                pumped_litres: 0.0,
                calf_raise_sets: 0,
                sitting_minutes: 0,
                prolonged_sitting_bouts: 0,
                hydration_ml: 0,
                days_steps_goal_met: 0,
            });
        }
        if let Some(p) = periods.last_mut() {
            p.days += 1;
            p.steps += u64::from(day.steps);
            p.active_minutes += u64::from(day.active_minutes);
            p.pumped_litres += day.pumped_litres;
            p.calf_raise_sets += u64::from(day.calf_raise_sets);
            p.sitting_minutes += u64::from(day.sitting_minutes);
            p.prolonged_sitting_bouts += u64::from(day.prolonged_sitting_bouts);
            p.hydration_ml += u64::from(day.hydration_ml);
            p.days_steps_goal_met += u32::from(day.goals.steps);
        }
    }
    periods
}
