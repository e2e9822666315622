//! The CLI's clock: `--at` and `--tz`, else the system clock and zone. The
//! CLI is the edge that reads them; the core runs by the clock it is handed.

use std::sync::Arc;

use anyhow::Result;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use second_heart_core::app::{FixedClock, SecondHeart};
use second_heart_core::local_day::{check_years, parse_date};
use second_heart_core::zones::ZoneTimeline;

use crate::args::Cli;
use crate::args::clock::ClockArgs;
use crate::commands::{db_path, open_store};
use crate::time_input::{Start, parse_start, read_start, zone_or_local};

/// The moment and zone `args` name: `--tz` (else this computer's zone) and
/// `--at` read in it (else now). A moment in the past without `--tz` is read
/// where the user was then, when they have moved on since
/// ([`ZoneTimeline::read_local`]); with `--tz`, it is read there and lived
/// where the user was then ([`ZoneTimeline::zone_lived_at`]).
pub fn fixed_clock(args: &ClockArgs, zones: &ZoneTimeline) -> Result<FixedClock> {
    clock_at(args, zone_or_local(args.tz.as_deref())?, zones, Utc::now())
}

/// [`fixed_clock`] where `here` is the zone `--tz` or this computer names,
/// at `now`.
fn clock_at(
    args: &ClockArgs,
    here: Tz,
    zones: &ZoneTimeline,
    now: DateTime<Utc>,
) -> Result<FixedClock> {
    let Some(text) = &args.at else {
        return Ok(FixedClock {
            at: now,
            zone: here,
        });
    };
    if args.tz.is_some() {
        // `--tz` reads the time; a moment past is lived where the user was
        // then, as far as the app saw: a look at last week "in Tokyo" would
        // otherwise note Tokyo then and move every day since there, for good.
        let at = parse_start("--at", text, here, now)?;
        let zone = if at < now {
            zones.zone_lived_at(at, here, now)
        } else {
            here
        };
        return Ok(FixedClock { at, zone });
    }
    let (at, zone) = match read_start("--at", text, now.with_timezone(&here).date_naive())? {
        Start::At(at) => (at, zones.zone_lived_at(at, here, now)),
        Start::Clock(local) => zones.read_local(local, here, now)?,
    };
    Ok(FixedClock {
        at: check_years("--at", at)?,
        zone,
    })
}

/// Opens Second Heart on the database of `--db` at the moment of `args`.
pub fn open_app(cli: &Cli, args: &ClockArgs) -> Result<SecondHeart> {
    // The zones lived matter only to a moment given with `--at`.
    let zones = match &args.at {
        Some(_) => open_store(cli)?.zone_timeline()?,
        None => ZoneTimeline::from_changes(Vec::new()),
    };
    let clock = fixed_clock(args, &zones)?;
    Ok(SecondHeart::open(db_path(cli)?, Arc::new(clock))?)
}

/// Opens Second Heart at the real now, for a moment `--at` tells of
/// afterwards, which the core then checks against now. Without `--tz` the
/// user is where this computer is, as for any command at now. With it,
/// `--tz` reads the moment typed, and the user is where the app last saw
/// them (taken for where they are now, `--tz` would note a move); in a
/// database that has noted no zone yet, in `--tz`.
pub fn open_app_now(cli: &Cli, args: &ClockArgs, zones: &ZoneTimeline) -> Result<SecondHeart> {
    let now = Utc::now();
    let zone = match args.tz.as_deref() {
        Some(_) if *zones != ZoneTimeline::default() => zones.zone_at(now),
        tz => zone_or_local(tz)?,
    };
    let clock = FixedClock { at: now, zone };
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

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().expect("RFC 3339")
    }

    /// Berlin (the app last used there at 09:00 on the 25th), then Tokyo
    /// from 25 November 2026 on.
    fn trip() -> ZoneTimeline {
        ZoneTimeline::from_stays(vec![
            (
                DateTime::<Utc>::MIN_UTC,
                chrono_tz::Europe::Berlin,
                Some(utc("2026-11-25T08:00:00Z")),
            ),
            (utc("2026-11-25T09:00:00Z"), chrono_tz::Asia::Tokyo, None),
        ])
    }

    fn past(at: &str) -> ClockArgs {
        ClockArgs {
            tz: None,
            at: Some(at.to_owned()),
        }
    }

    #[test]
    fn a_moment_before_a_move_is_read_in_the_zone_lived_then() {
        let clock = fixed_clock(&past("2026-11-21 08:00"), &trip()).expect("clock");
        assert_eq!(clock.zone, chrono_tz::Europe::Berlin);
        assert_eq!(clock.at, utc("2026-11-21T07:00:00Z"), "08:00 in Berlin");
    }

    #[test]
    fn a_moment_read_back_across_the_move_stays_where_the_user_is() {
        // In Tokyo since 09:00Z on the 25th; 17:30 in Tokyo is 08:30Z, before
        // the move, but 17:30 in Berlin (16:30Z) is after it: Tokyo's.
        let tokyo = chrono_tz::Asia::Tokyo;
        let now = utc("2026-11-26T00:00:00Z");
        let clock = clock_at(&past("2026-11-25 17:30"), tokyo, &trip(), now).expect("clock");
        assert_eq!((clock.at, clock.zone), (utc("2026-11-25T08:30:00Z"), tokyo));
        // Earlier that day, in Berlin still: Berlin's.
        let clock = clock_at(&past("2026-11-25 08:30"), tokyo, &trip(), now).expect("clock");
        assert_eq!(
            (clock.at, clock.zone),
            (utc("2026-11-25T07:30:00Z"), chrono_tz::Europe::Berlin)
        );
    }

    #[test]
    fn a_moment_after_the_last_move_or_with_tz_is_read_where_the_user_says_and_lived_where_seen() {
        let here = zone_or_local(None).expect("zone");
        let after = fixed_clock(&past("2026-11-26 08:00"), &trip()).expect("clock");
        assert_eq!(
            after.zone, here,
            "after the last move: this computer's zone"
        );
        let told = ClockArgs {
            tz: Some("America/New_York".to_owned()),
            at: Some("2026-11-21 08:00".to_owned()),
        };
        let told = fixed_clock(&told, &trip()).expect("clock");
        assert_eq!(told.at, utc("2026-11-21T13:00:00Z"), "08:00 in New York");
        assert_eq!(
            told.zone,
            chrono_tz::Europe::Berlin,
            "lived in Berlin then, as the app saw: no move noted back then"
        );
        // Past what the app saw, the user may have been in New York.
        let after = ClockArgs {
            tz: Some("America/New_York".to_owned()),
            at: Some("2026-11-30 08:00".to_owned()),
        };
        let berlin_only = ZoneTimeline::from_stays(vec![(
            DateTime::<Utc>::MIN_UTC,
            chrono_tz::Europe::Berlin,
            Some(utc("2026-11-25T08:00:00Z")),
        )]);
        let after = fixed_clock(&after, &berlin_only).expect("clock");
        assert_eq!(after.zone, chrono_tz::America::New_York);
        // A planned arrival still to come is no move made.
        let planned = ZoneTimeline::from_changes(vec![
            (DateTime::<Utc>::MIN_UTC, chrono_tz::Europe::Berlin),
            (
                Utc::now() + chrono::Duration::days(7),
                chrono_tz::Asia::Tokyo,
            ),
        ]);
        let new_york = chrono_tz::America::New_York;
        let before =
            clock_at(&past("2026-11-21 08:00"), new_york, &planned, Utc::now()).expect("clock");
        assert_eq!(
            (before.at, before.zone),
            (utc("2026-11-21T13:00:00Z"), new_york),
            "no move made: this computer's zone"
        );
    }
}
