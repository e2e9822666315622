//! Reading times and zones as people type them.

use anyhow::{Result, bail};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use chrono_tz::Tz;
use second_heart_core::local_day::{check_years, clock_time_in, parse_time_zone};

/// The zone named on the command line, else the `TZ` variable's (an IANA
/// name, as `TZ=America/New_York` or `TZ=:Europe/Berlin`), else this
/// computer's, else UTC, said on standard error.
pub fn zone_or_local(name: Option<&str>) -> Result<Tz> {
    if let Some(name) = name {
        return Ok(parse_time_zone(name)?);
    }
    let from_env = std::env::var("TZ")
        .ok()
        .and_then(|name| parse_time_zone(name.trim_start_matches(':')).ok());
    let computer = || {
        iana_time_zone::get_timezone()
            .ok()
            .and_then(|name| parse_time_zone(&name).ok())
    };
    Ok(from_env.or_else(computer).unwrap_or_else(|| {
        eprintln!(
            "this computer's time zone could not be read: using UTC (give --tz to choose one)"
        );
        Tz::UTC
    }))
}

/// Reads the time given as `flag` ("--start", "--at"…): RFC 3339, or a
/// local "YYYY-MM-DD HH:MM" or "HH:MM" (today) in `zone`.
pub fn parse_start(
    flag: &'static str,
    text: &str,
    zone: Tz,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>> {
    let today = now.with_timezone(&zone).date_naive();
    let instant = match read_start(flag, text, today)? {
        Start::At(instant) => instant,
        Start::Clock(local) => clock_time_in(flag, local, zone)?,
    };
    Ok(check_years(flag, instant)?)
}

/// What a typed start names.
pub enum Start {
    /// An instant (RFC 3339, with its offset).
    At(DateTime<Utc>),
    /// A clock time on a date, in no zone yet.
    Clock(NaiveDateTime),
}

/// Reads the time given as `flag`: RFC 3339, or a local "YYYY-MM-DD
/// HH:MM", or "HH:MM" on `today`.
pub fn read_start(flag: &'static str, text: &str, today: NaiveDate) -> Result<Start> {
    let text = text.trim();
    if let Ok(instant) = DateTime::parse_from_rfc3339(text) {
        return Ok(Start::At(instant.to_utc()));
    }
    if let Ok(full) = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M") {
        return Ok(Start::Clock(full));
    }
    if let Ok(time) = NaiveTime::parse_from_str(text, "%H:%M") {
        return Ok(Start::Clock(today.and_time(time)));
    }
    bail!(
        "invalid {flag}: {text:?} is not a time like \"2026-11-21T08:00:00+01:00\", \"2026-11-21 08:00\" or \"08:00\""
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-21T12:00:00Z")
            .expect("time")
            .to_utc()
    }

    #[test]
    fn years_chrono_reads_but_the_library_cannot_count_in_are_refused() {
        let utc = chrono_tz::UTC;
        for text in [
            "+262142-12-31 23:59",
            "-262143-01-01 00:00",
            "0000-06-01 12:00",
        ] {
            let refused = parse_start("--start", text, utc, now()).expect_err(text);
            assert!(refused.to_string().contains("years 1 to 9999"), "{refused}");
        }
        assert!(parse_start("--start", "9999-12-31 23:59", utc, now()).is_ok());
    }

    #[test]
    fn reads_rfc3339_local_and_clock_times() {
        let berlin = chrono_tz::Europe::Berlin;
        let expected = DateTime::parse_from_rfc3339("2026-11-21T07:00:00Z")
            .expect("time")
            .to_utc();
        assert_eq!(
            parse_start("--start", "2026-11-21T08:00:00+01:00", berlin, now()).expect("rfc"),
            expected
        );
        assert_eq!(
            parse_start("--start", "2026-11-21 08:00", berlin, now()).expect("local"),
            expected
        );
        assert_eq!(
            parse_start("--start", "08:00", berlin, now()).expect("clock"),
            expected
        );
    }

    #[test]
    fn refuses_garbage_and_skipped_local_times() {
        let berlin = chrono_tz::Europe::Berlin;
        assert!(parse_start("--start", "yesterday-ish", berlin, now()).is_err());
        // Said of the flag typed: `--at` here, not "start".
        let err = parse_start("--at", "2026-03-29 02:30", berlin, now()).expect_err("skipped hour");
        assert!(err.to_string().contains("does not exist"), "{err}");
        assert!(err.to_string().starts_with("invalid --at:"), "{err}");
    }
}
