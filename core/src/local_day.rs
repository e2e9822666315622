//! Calendar days in a time zone, and how a span of activity splits across them.
//!
//! Everything is stored in UTC; a "day" only exists once a time zone is
//! chosen. A traveller's Tuesday in Frankfurt and in Los Angeles are different
//! spans of UTC, and a day can be 23 or 25 hours long when the clocks change.

use std::str::FromStr;

use chrono::{
    DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc,
};
use chrono_tz::Tz;

use crate::{Error, Result};

/// Parses an IANA time-zone name ("Europe/Berlin", "UTC").
pub fn parse_time_zone(name: &str) -> Result<Tz> {
    Tz::from_str(name.trim()).map_err(|_| Error::UnknownTimeZone(name.to_owned()))
}

/// The years Second Heart works in. Every date in them is written
/// `YYYY-MM-DD` and read back alike, and a day's or a year's arithmetic on
/// them stays far inside what chrono can represent (it panics beyond).
pub const YEARS: std::ops::RangeInclusive<i32> = 1..=9999;

/// Why a time or a date is outside [`YEARS`].
pub fn outside_years(what: impl std::fmt::Display) -> String {
    format!(
        "a time in the years {} to {} (got {what})",
        YEARS.start(),
        YEARS.end()
    )
}

/// `instant` if it falls in [`YEARS`], else an invalid-`field` error.
pub fn check_years(field: &'static str, instant: DateTime<Utc>) -> Result<DateTime<Utc>> {
    use chrono::Datelike;
    if YEARS.contains(&instant.year()) {
        Ok(instant)
    } else {
        Err(Error::invalid(field, outside_years(instant)))
    }
}

/// The instant the clocks in `zone` show as `local`, for `field` (the
/// name an error gives it): a time they show twice (they go back) is the
/// first; one they skip (they go forward) never happens there, and is
/// refused; the years are [`YEARS`].
pub fn clock_time_in(field: &'static str, local: NaiveDateTime, zone: Tz) -> Result<DateTime<Utc>> {
    let instant = match zone.from_local_datetime(&local) {
        LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => at.to_utc(),
        LocalResult::None => {
            return Err(Error::invalid(
                field,
                format!(
                    "{} does not exist in {zone}: the clocks skip it that night",
                    local.format("%Y-%m-%d %H:%M")
                ),
            ));
        }
    };
    check_years(field, instant)
}

/// Parses a calendar date written as `YYYY-MM-DD`, in [`YEARS`].
pub fn parse_date(text: &str) -> Result<NaiveDate> {
    use chrono::Datelike;
    let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| Error::invalid("date", format!("{text:?} is not a date like 2026-11-21")))?;
    if YEARS.contains(&date.year()) {
        Ok(date)
    } else {
        Err(Error::invalid("date", outside_years(date)))
    }
}

/// One calendar day as lived in one time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalDay {
    date: NaiveDate,
    time_zone: Tz,
}

impl LocalDay {
    /// The day `date` in `time_zone`.
    pub fn new(date: NaiveDate, time_zone: Tz) -> Self {
        Self { date, time_zone }
    }

    /// The local day in `time_zone` that contains `instant`.
    pub fn containing(instant: DateTime<Utc>, time_zone: Tz) -> Self {
        Self::new(instant.with_timezone(&time_zone).date_naive(), time_zone)
    }

    /// The calendar date.
    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// The time zone the day is lived in.
    pub fn time_zone(&self) -> Tz {
        self.time_zone
    }

    /// The first instant of the day.
    pub fn start(&self) -> DateTime<Utc> {
        instant_at(self.time_zone, self.date, NaiveTime::MIN)
    }

    /// The first instant the clocks show `time` on this day. Across a change
    /// of the clocks that is not the start plus `time`: 07:00 is eight hours
    /// after midnight on the day they go back, six on the day they go
    /// forward.
    pub fn at(&self, time: NaiveTime) -> DateTime<Utc> {
        instant_at(self.time_zone, self.date, time)
    }

    /// The last instant the clocks show `time` on this day: the second
    /// reading of a time doubled when they go back, else as [`Self::at`].
    pub fn last_at(&self, time: NaiveTime) -> DateTime<Utc> {
        match self
            .time_zone
            .from_local_datetime(&self.date.and_time(time))
        {
            LocalResult::Ambiguous(_, later) => later.to_utc(),
            _ => self.at(time),
        }
    }

    /// The first instant of the next day (exclusive end of this one).
    pub fn end(&self) -> DateTime<Utc> {
        match self.date.succ_opt() {
            Some(next) => instant_at(self.time_zone, next, NaiveTime::MIN),
            None => DateTime::<Utc>::MAX_UTC,
        }
    }
}

/// The first instant whose local date and time in `tz` are `date`, `time`.
///
/// A local time can be missing (the clocks spring forward over it) or
/// doubled (they fall back across it): a doubled one is its first instant;
/// a missing one is read by the offset in force before the jump, so 02:30
/// in a gap from 02:00 to 03:00 is 03:30 after it (a missing midnight, in
/// a gap that starts at midnight, is the instant the clocks jumped: the
/// day starts then).
fn instant_at(tz: Tz, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let local = date.and_time(time);
    match tz.from_local_datetime(&local) {
        LocalResult::Single(start) | LocalResult::Ambiguous(start, _) => start.to_utc(),
        LocalResult::None => {
            // The offset in force six hours earlier on the same clocks
            // (no zone has two jumps that close together).
            let before = local - Duration::hours(6);
            let offset_before = match tz.from_local_datetime(&before).earliest() {
                Some(earlier) => earlier.offset().fix(),
                None => tz.offset_from_utc_datetime(&before).fix(),
            };
            (local - Duration::seconds(i64::from(offset_before.local_minus_utc()))).and_utc()
        }
    }
}

/// The part of `total`, spread evenly over `[start, end)`, that falls inside
/// `[from, to)`.
///
/// The shares of adjacent windows always add up to `total` exactly, so a
/// walk across midnight is never counted short or twice.
pub fn share_within(
    total: u64,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    (from, to): (DateTime<Utc>, DateTime<Utc>),
) -> u64 {
    let span_ms = (end - start).num_milliseconds();
    if span_ms <= 0 {
        return if start >= from && start < to {
            total
        } else {
            0
        };
    }
    let done_by = |instant: DateTime<Utc>| -> u64 {
        let elapsed_ms = (instant.clamp(start, end) - start).num_milliseconds();
        let part = u128::from(total) * elapsed_ms.unsigned_abs() as u128 / span_ms as u128;
        // part <= total by construction, so this never saturates.
        u64::try_from(part).unwrap_or(total)
    };
    done_by(to.max(from)).saturating_sub(done_by(from))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::utc;

    #[test]
    fn dates_outside_the_years_1_to_9999_are_typed_errors() {
        for text in ["+262142-12-31", "-0001-01-01", "0000-12-31"] {
            let refused = parse_date(text).expect_err(text);
            assert!(refused.to_string().contains("years 1 to 9999"), "{refused}");
        }
        assert!(parse_date("0001-01-01").is_ok() && parse_date("9999-12-31").is_ok());
    }

    #[test]
    fn day_in_berlin_winter_is_24_hours_from_23_utc() {
        let day = LocalDay::new(
            parse_date("2026-11-21").expect("date"),
            chrono_tz::Europe::Berlin,
        );
        assert_eq!(day.start(), utc("2026-11-20T23:00:00Z"));
        assert_eq!(day.end(), utc("2026-11-21T23:00:00Z"));
    }

    #[test]
    fn spring_forward_day_is_23_hours_and_fall_back_day_25() {
        let tz = chrono_tz::Europe::Berlin;
        let spring = LocalDay::new(parse_date("2026-03-29").expect("date"), tz);
        assert_eq!((spring.end() - spring.start()).num_hours(), 23);
        let autumn = LocalDay::new(parse_date("2026-10-25").expect("date"), tz);
        assert_eq!((autumn.end() - autumn.start()).num_hours(), 25);
    }

    #[test]
    fn a_time_of_day_is_read_on_the_clocks_of_that_day() {
        let tz = chrono_tz::Europe::Berlin;
        let seven = NaiveTime::from_hms_opt(7, 0, 0).expect("time");
        let autumn = LocalDay::new(parse_date("2026-10-25").expect("date"), tz);
        assert_eq!(autumn.at(seven), utc("2026-10-25T06:00:00Z"));
        let spring = LocalDay::new(parse_date("2026-03-29").expect("date"), tz);
        assert_eq!(spring.at(seven), utc("2026-03-29T05:00:00Z"));
        // 02:30 does not exist that night: read as 02:30 winter time, which
        // the clocks show as 03:30.
        let missing = NaiveTime::from_hms_opt(2, 30, 0).expect("time");
        assert_eq!(spring.at(missing), utc("2026-03-29T01:30:00Z"));
        // 02:30 comes twice in autumn: the first, and last_at the second.
        assert_eq!(autumn.at(missing), utc("2026-10-25T00:30:00Z"));
        assert_eq!(autumn.last_at(missing), utc("2026-10-25T01:30:00Z"));
        assert_eq!(autumn.last_at(seven), autumn.at(seven));
        assert_eq!(spring.last_at(missing), spring.at(missing));
    }

    #[test]
    fn a_skipped_time_east_of_greenwich_is_read_after_the_jump() {
        // Sydney and Auckland spring forward at 02:00 local time; 02:30 is
        // read on the clocks before the jump (+10 and +12), which show it
        // as 03:30 after it — not an hour early, before the gap.
        let missing = NaiveTime::from_hms_opt(2, 30, 0).expect("time");
        for (zone, date, expected) in [
            (
                chrono_tz::Australia::Sydney,
                "2026-10-04",
                "2026-10-03T16:30:00Z",
            ),
            (
                chrono_tz::Pacific::Auckland,
                "2026-09-27",
                "2026-09-26T14:30:00Z",
            ),
        ] {
            let day = LocalDay::new(parse_date(date).expect("date"), zone);
            assert_eq!(day.at(missing), utc(expected), "{zone}");
            let shown = day.at(missing).with_timezone(&zone).time();
            assert_eq!(shown, NaiveTime::from_hms_opt(3, 30, 0).expect("time"));
        }
    }

    #[test]
    fn a_day_whose_midnight_is_skipped_starts_when_the_clocks_jump() {
        // Santiago de Chile springs forward at local midnight: 2026-09-06
        // 00:00 does not exist, the day starts at 01:00 -03 = 04:00 UTC.
        let day = LocalDay::new(
            parse_date("2026-09-06").expect("date"),
            chrono_tz::America::Santiago,
        );
        assert_eq!(day.start(), utc("2026-09-06T04:00:00Z"));
        assert_eq!(LocalDay::containing(day.start(), day.time_zone()), day);
        let just_before = day.start() - Duration::seconds(1);
        assert_ne!(LocalDay::containing(just_before, day.time_zone()), day);
    }

    #[test]
    fn unknown_zone_and_bad_date_are_typed_errors() {
        assert!(matches!(
            parse_time_zone("Mars/Olympus"),
            Err(Error::UnknownTimeZone(_))
        ));
        assert!(matches!(
            parse_date("21/11/2026"),
            Err(Error::InvalidInput { field: "date", .. })
        ));
    }

    #[test]
    fn share_splits_a_walk_across_midnight_in_proportion() {
        let walk = (utc("2026-11-21T22:45:00Z"), utc("2026-11-21T23:15:00Z"));
        let day = LocalDay::new(
            parse_date("2026-11-21").expect("date"),
            chrono_tz::Europe::Berlin,
        );
        let next = LocalDay::new(
            parse_date("2026-11-22").expect("date"),
            chrono_tz::Europe::Berlin,
        );
        assert_eq!(share_within(3000, walk, (day.start(), day.end())), 1500);
        assert_eq!(share_within(3000, walk, (next.start(), next.end())), 1500);
    }

    proptest::proptest! {
        #[test]
        fn shares_of_adjacent_windows_add_up_exactly(
            total in 0u64..1_000_000,
            start_s in 0i64..200_000,
            length_s in 1i64..86_400,
            cut_s in -100_000i64..300_000,
        ) {
            let origin = utc("2026-01-01T00:00:00Z");
            let start = origin + Duration::seconds(start_s);
            let end = start + Duration::seconds(length_s);
            let cut = origin + Duration::seconds(cut_s);
            let far_past = origin - Duration::days(10);
            let far_future = origin + Duration::days(10);
            let before = share_within(total, (start, end), (far_past, cut));
            let after = share_within(total, (start, end), (cut, far_future));
            proptest::prop_assert_eq!(before + after, total);
        }
    }
}
