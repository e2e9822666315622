//! `walk log` and `walk list`.

use anyhow::Result;
use chrono::{Duration, Utc};
use second_heart_core::walk::{NewWalk, Walk};

use crate::args::{Cli, DayArgs, WalkLogArgs};
use crate::commands::open_store;
use crate::output::{duration, out, print_json, thousands};
use crate::time_input::{day_or_today, parse_start, zone_or_local};

/// Logs one walk. Nothing is written unless every value is valid.
pub fn log(cli: &Cli, args: &WalkLogArgs) -> Result<()> {
    let now = Utc::now();
    let zone = zone_or_local(args.tz.as_deref())?;
    let duration_seconds = args.minutes.saturating_mul(60);
    let start = match &args.start {
        Some(text) => parse_start(text, zone, now)?,
        None => now - Duration::seconds(duration_seconds.clamp(0, i64::from(u32::MAX))),
    };
    let walk = NewWalk::new(start, zone.name(), duration_seconds, args.steps, now)?;
    let mut store = open_store(cli)?;
    store.note_time_zone(zone, now)?;
    let stored = store.log_walk(&walk)?;
    if cli.json {
        print_json(&stored)
    } else {
        out!("Logged {}", describe(&stored));
        Ok(())
    }
}

/// Lists the walks of one day.
pub fn list(cli: &Cli, args: &DayArgs) -> Result<()> {
    let zone = zone_or_local(args.tz.as_deref())?;
    let day = day_or_today(args.date.as_deref(), zone, Utc::now())?;
    let walks = open_store(cli)?.walks_on(day)?;
    if cli.json {
        return print_json(&walks);
    }
    if walks.is_empty() {
        out!(
            "No walks on {} ({zone}).",
            day.date().format("%a %-d %b %Y")
        );
    }
    for walk in &walks {
        out!("{}", describe(walk));
    }
    Ok(())
}

/// "a 30 min walk with 3,200 steps (107 steps/min), from 08:00 on Sat 21 Nov 2026 (Europe/Berlin)".
pub fn describe(walk: &Walk) -> String {
    let local = walk.start.with_timezone(&walk.time_zone);
    format!(
        "a {} walk with {} steps ({:.0} steps/min), from {} ({})",
        duration(u64::from(walk.duration_seconds)),
        thousands(u64::from(walk.steps)),
        walk.cadence_steps_per_min(),
        local.format("%H:%M on %a %-d %b %Y"),
        walk.time_zone,
    )
}
