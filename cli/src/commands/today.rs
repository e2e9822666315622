//! `today`: a day's totals.

use anyhow::Result;
use chrono::Utc;
use second_heart_core::walk::DaySummary;

use crate::args::{Cli, DayArgs};
use crate::commands::open_store;
use crate::output::{duration, plural, print_json};
use crate::time_input::{day_or_today, zone_or_local};

/// Prints the totals of today, or of `--date`.
pub fn run(cli: &Cli, args: &DayArgs) -> Result<()> {
    let zone = zone_or_local(args.tz.as_deref())?;
    let day = day_or_today(args.date.as_deref(), zone, Utc::now())?;
    let summary = open_store(cli)?.day_summary(day)?;
    if cli.json {
        print_json(&summary)
    } else {
        println!("{}", describe(&summary));
        Ok(())
    }
}

/// Two lines: the day, then its totals.
pub fn describe(summary: &DaySummary) -> String {
    format!(
        "{} ({})\n  {} · {} walking · {}",
        summary.date.format("%A %-d %B %Y"),
        summary.time_zone,
        plural(summary.steps, "step"),
        duration(summary.active_seconds),
        plural(u64::from(summary.walks), "walk"),
    )
}
