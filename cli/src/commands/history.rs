//! `history`: days, weeks or months, with streaks and a chart.

use anyhow::Result;
use second_heart_core::daily::{Grouping, Period};

use crate::args::Cli;
use crate::args::history::{HistoryArgs, HistoryGrouping};
use crate::chart::{Bar, draw_history};
use crate::commands::clock::open_app;
use crate::output::{duration, out, print_json, thousands};

/// Prints the history.
pub fn run(cli: &Cli, args: &HistoryArgs) -> Result<()> {
    let app = open_app(cli, &args.clock)?;
    let by = match args.by {
        HistoryGrouping::Day => Grouping::Day,
        HistoryGrouping::Week => Grouping::Week,
        HistoryGrouping::Month => Grouping::Month,
    };
    let history = app.history().periods_with_streaks(by, args.count)?;
    let periods = &history.periods;
    if let Some(path) = &args.chart {
        let bars: Vec<Bar> = periods
            .iter()
            .map(|p| Bar {
                label: label(p, by),
                steps: p.steps as f64,
                litres: p.pumped_litres,
            })
            .collect();
        // A full period's goal: the daily goal times the days of the
        // longest period shown (7 for weeks, 28–31 for months).
        let goal = f64::from(app.profile().get()?.goals.steps);
        let days = periods.iter().map(|p| p.days).max().unwrap_or(1);
        draw_history(path, &bars, goal * f64::from(days))?;
    }
    if cli.json {
        return print_json(&history);
    }
    out!(
        "{:<12} {:>9}  {:>7} {:>8} {:>5} {:>8} {:>6}",
        "",
        "steps",
        "active",
        "pumped",
        "sets",
        "sitting",
        "drinks"
    );
    for p in periods {
        out!(
            "{:<12} {:>9}{} {:>5} m {:>6.1} L {:>5} {:>6} m {:>4} L",
            label(p, by),
            thousands(p.steps),
            if p.imported_steps > 0 { '*' } else { ' ' },
            p.active_minutes,
            p.pumped_litres,
            p.calf_raise_sets,
            p.sitting_minutes,
            format!("{:.1}", p.hydration_ml as f64 / 1000.0)
        );
    }
    let imported: u64 = periods.iter().map(|p| p.imported_steps).sum();
    if imported > 0 {
        out!(
            "* Includes {} steps imported from a file.",
            thousands(imported)
        );
    }
    if by == Grouping::Day {
        // The apps' "a day on average", from the same use case.
        let average = app.history().daily_averages(args.count)?;
        if average.days > 0 {
            out!(
                "A day on average over {}: {} steps, {:.1} L pumped.",
                days(average.days),
                thousands(average.steps.round() as u64),
                average.pumped_litres,
            );
        }
        if average.minute_days > 0 {
            out!(
                "Over the {} whose minutes were recorded: {} active min, {} sitting a day.",
                days(average.minute_days),
                average.active_minutes.round(),
                duration((average.sitting_minutes * 60.0).round() as u64),
            );
        }
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

/// "1 day", "6 days".
fn days(n: u32) -> String {
    if n == 1 {
        "1 day".to_owned()
    } else {
        format!("{n} days")
    }
}
