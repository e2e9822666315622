//! `history`: days, weeks or months, with streaks and a chart.

use anyhow::Result;
use chrono::Duration;
use second_heart_core::daily::{Grouping, Period, group};

use crate::args::{Cli, HistoryArgs, HistoryGrouping};
use crate::chart::{Bar, draw_history};
use crate::commands::clock::open_at;
use crate::output::{out, print_json, thousands};

/// Prints the history.
pub fn run(cli: &Cli, args: &HistoryArgs) -> Result<()> {
    let (store, _, now) = open_at(cli, &args.clock)?;
    let last = store.today(now)?;
    let first = last - Duration::days(i64::from(args.days.max(1)) - 1);
    let history = store.history(first, last, now)?;
    let by = match args.by {
        HistoryGrouping::Day => Grouping::Day,
        HistoryGrouping::Week => Grouping::Week,
        HistoryGrouping::Month => Grouping::Month,
    };
    let periods = group(&history.days, by);
    if let Some(path) = &args.chart {
        let bars: Vec<Bar> = periods
            .iter()
            .map(|p| Bar {
                label: label(p, by),
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
    out!(
        "{:<12} {:>9} {:>7} {:>8} {:>5} {:>8} {:>6}",
        "",
        "steps",
        "active",
        "pumped",
        "sets",
        "sitting",
        "drinks"
    );
    for p in &periods {
        out!(
            "{:<12} {:>9} {:>5} m {:>6.1} L {:>5} {:>6} m {:>4} L",
            label(p, by),
            thousands(p.steps),
            p.active_minutes,
            p.pumped_litres,
            p.calf_raise_sets,
            p.sitting_minutes,
            format!("{:.1}", p.hydration_ml as f64 / 1000.0)
        );
    }
    let s = history.streaks.steps;
    out!(
        "Steps goal streak: {} days (best {}).",
        s.current_days,
        s.best_days
    );
    Ok(())
}

/// "Sat 21 Nov", "2026-W47", "Nov 2026".
fn label(period: &Period, by: Grouping) -> String {
    match by {
        Grouping::Day => period.first.format("%a %-d %b").to_string(),
        Grouping::Week => period.key.clone(),
        Grouping::Month => period.first.format("%b %Y").to_string(),
    }
}
