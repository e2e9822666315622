//! Resolving `--tz` and `--at`, and telling the store where the user is.

use anyhow::Result;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use second_heart_core::Store;

use crate::args::{Cli, Clock};
use crate::commands::open_store;
use crate::time_input::{parse_start, zone_or_local};

/// The zone and the instant of a command.
pub fn resolve(clock: &Clock) -> Result<(Tz, DateTime<Utc>)> {
    let zone = zone_or_local(clock.tz.as_deref())?;
    let now = Utc::now();
    let at = match &clock.at {
        Some(text) => parse_start(text, zone, now)?,
        None => now,
    };
    Ok((zone, at))
}

/// Opens the store and records the zone the user is in (the phone reports
/// its zone the same way).
pub fn open_at(cli: &Cli, clock: &Clock) -> Result<(Store, Tz, DateTime<Utc>)> {
    let (zone, at) = resolve(clock)?;
    let mut store = open_store(cli)?;
    store.note_time_zone(zone, at)?;
    Ok((store, zone, at))
}
