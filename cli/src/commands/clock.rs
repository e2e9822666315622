//! The CLI's clock: `--at` and `--tz`, else the system clock and zone. The
//! CLI is the edge that reads them; the core runs by the clock it is handed.

use std::sync::Arc;

use anyhow::Result;
use chrono::{NaiveDate, Utc};
use second_heart_core::app::{FixedClock, SecondHeart};
use second_heart_core::local_day::parse_date;

use crate::args::Cli;
use crate::args::clock::ClockArgs;
use crate::commands::db_path;
use crate::time_input::{parse_start, zone_or_local};

/// The moment and zone `args` name: `--tz` (else this computer's zone) and
/// `--at` read in it (else now).
pub fn fixed_clock(args: &ClockArgs) -> Result<FixedClock> {
    let zone = zone_or_local(args.tz.as_deref())?;
    let now = Utc::now();
    let at = match &args.at {
        Some(text) => parse_start(text, zone, now)?,
        None => now,
    };
    Ok(FixedClock { at, zone })
}

/// Opens Second Heart on the database of `--db` at the moment of `args`.
pub fn open_app(cli: &Cli, args: &ClockArgs) -> Result<SecondHeart> {
    let clock = fixed_clock(args)?;
    Ok(SecondHeart::open(db_path(cli)?, Arc::new(clock))?)
}

/// The date `--date` names, else the local date of the app's moment.
pub fn date_or_today(app: &SecondHeart, date: Option<&str>) -> Result<NaiveDate> {
    Ok(match date {
        Some(text) => parse_date(text)?,
        None => {
            let now = app.now()?;
            now.at.with_timezone(&now.zone).date_naive()
        }
    })
}
