//! `walk log`, `walk list` and `walk delete`.

use anyhow::{Result, bail};
use chrono::Duration;
use second_heart_core::local_day::{check_years, parse_time_zone};
use second_heart_core::walk::Walk;

use crate::args::Cli;
use crate::args::clock::DayArgs;
use crate::args::walk::{WalkDeleteArgs, WalkLogArgs};
use crate::commands::clock::{date_or_today, open_app};
use crate::output::{duration, out, print_json, thousands};
use crate::time_input::{Start, parse_start, read_start};

/// Logs one walk: `--start` as a clock time is read in `--tz` when given,
/// else where the user was then (the trip's zone for a walk from before
/// coming home). Nothing is written unless every value is valid.
pub fn log(cli: &Cli, args: &WalkLogArgs) -> Result<()> {
    let app = open_app(cli, &args.clock)?;
    let now = app.now()?;
    // The zone `--tz` names (the clock's is where the user was at a past
    // `--at`, which may be another).
    let told = args.clock.tz.as_deref().map(parse_time_zone).transpose()?;
    let duration_seconds = args.minutes.saturating_mul(60);
    let sessions = app.sessions();
    // A clock time is read where the user was then (the core decides); an
    // instant carries its own offset.
    let (start, zone) = match &args.start {
        // Where the user says they walked.
        Some(text) if let Some(here) = told => (
            parse_start("--start", text, here, now.at)?,
            Some(here.name().to_owned()),
        ),
        Some(text) => match read_start(
            "--start",
            text,
            now.at.with_timezone(&now.zone).date_naive(),
        )? {
            Start::At(instant) => (check_years("--start", instant)?, None),
            Start::Clock(local) => {
                let moment = sessions.moment_at(local.date(), local.time())?;
                (moment.at, Some(moment.time_zone))
            }
        },
        // Ended now: walked where `--tz` says, else where the user was then.
        None => (
            now.at - Duration::seconds(duration_seconds.clamp(0, i64::from(u32::MAX))),
            told.map(|here| here.name().to_owned()),
        ),
    };
    let stored = sessions.log_walk(start, zone.as_deref(), duration_seconds, args.steps)?;
    if cli.json {
        print_json(&stored)
    } else {
        out!("Logged {}", describe(&stored));
        Ok(())
    }
}

/// Said of a walk logged by hand over walking a sensor recorded.
const SENSOR_COUNTS_INSTEAD: &str =
    "your sensor recorded walking in it, so the day counts the sensor's steps instead";

/// Lists the walks of one day.
pub fn list(cli: &Cli, args: &DayArgs) -> Result<()> {
    let app = open_app(cli, &args.clock)?;
    let date = date_or_today(&app, args.date.as_deref())?;
    let walks = app.sessions().walks_on(date)?;
    if cli.json {
        return print_json(&walks);
    }
    if walks.is_empty() {
        out!(
            "No walks on {} ({}).",
            date.format("%a %-d %b %Y"),
            app.now()?.zone
        );
    }
    for walk in &walks {
        if walk.recorded_by_sensor {
            out!("{}. {}: {SENSOR_COUNTS_INSTEAD}", walk.id, describe(walk));
        } else {
            out!("{}. {}", walk.id, describe(walk));
        }
    }
    Ok(())
}

/// Deletes a walk logged by hand, once confirmed with `--yes` (the apps
/// ask first too).
pub fn delete(cli: &Cli, args: &WalkDeleteArgs) -> Result<()> {
    let app = open_app(cli, &args.clock)?;
    if !args.yes {
        let walk = app.sessions().walk_to_delete(args.id)?;
        bail!(
            "this deletes {} and its steps; add --yes to confirm",
            describe(&walk)
        );
    }
    let deleted = app.sessions().delete_walk(args.id)?;
    if cli.json {
        print_json(&deleted)
    } else {
        out!("Deleted {}", describe(&deleted));
        Ok(())
    }
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
