//! A flight's take-off and landing as the airports' clocks show them.
//!
//! Boarding passes and timetables print local times: every front end turns
//! them into instants here, with the zone data the plan is made with, so a
//! plan never shows a take-off an hour from the one typed because the
//! phone's zone rules and the core's differ.

use chrono::{DateTime, Duration, LocalResult, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::local_day::{check_years, clock_time_in, parse_time_zone};
use crate::{Error, Result};

/// Which end of a flight a local time names (the field an error names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlightEnd {
    /// Leaving, in the departure airport's zone.
    TakeOff,
    /// Arriving, in the arrival airport's zone.
    Landing,
}

impl FlightEnd {
    /// The field name an error gives: "take-off" or "landing".
    pub fn field(self) -> &'static str {
        match self {
            Self::TakeOff => "take-off",
            Self::Landing => "landing",
        }
    }

    /// The zone of this end's airport named `name`; an unknown name is
    /// refused naming this end ("departure zone", "arrival zone").
    pub fn zone(self, name: &str) -> Result<Tz> {
        let field = match self {
            Self::TakeOff => "departure zone",
            Self::Landing => "arrival zone",
        };
        parse_time_zone(name).map_err(|_| {
            Error::invalid(
                field,
                format!(
                    "{:?} is not a time zone: use a name like Europe/Berlin",
                    name.trim()
                ),
            )
        })
    }
}

/// The instant the clock time `local` names at an airport in `zone`. A time
/// the clocks skip there (they go forward that night) never happens and is
/// refused; one they show twice (they go back) is the first.
pub fn airport_time(end: FlightEnd, local: NaiveDateTime, zone: Tz) -> Result<DateTime<Utc>> {
    clock_time_in(end.field(), local, zone)
}

/// The landing at the clock time `time` in `zone` when no date is given:
/// the first such time after `departure` (an overnight flight lands the
/// next day; one west over the date line, on the date it left or the day
/// before). On the night the clocks go back both readings of the hour
/// count (a take-off at the second 01:20 lands at the second 01:50); a
/// time the clocks skip on the date it would land is refused.
pub fn landing_at(time: NaiveTime, zone: Tz, departure: DateTime<Utc>) -> Result<DateTime<Utc>> {
    let take_off = departure.with_timezone(&zone).naive_local();
    let next_day = take_off.date().checked_add_signed(Duration::days(1));
    for date in std::iter::once(take_off.date()).chain(next_day) {
        let local = date.and_time(time);
        let readings = match zone.from_local_datetime(&local) {
            LocalResult::Single(at) => vec![at],
            LocalResult::Ambiguous(first, second) => vec![first, second],
            // Skipped where it would land: refused as such.
            LocalResult::None if local > take_off => {
                return airport_time(FlightEnd::Landing, local, zone);
            }
            LocalResult::None => continue,
        };
        if let Some(landing) = readings
            .into_iter()
            .map(|at| at.to_utc())
            .find(|at| *at > departure)
        {
            return check_years(FlightEnd::Landing.field(), landing);
        }
    }
    Err(Error::invalid(
        "landing",
        "the day after take-off is past the calendar",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::utc;
    use chrono::NaiveDate;

    fn local(date: &str, time: &str) -> NaiveDateTime {
        NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .expect("date")
            .and_time(NaiveTime::parse_from_str(time, "%H:%M").expect("time"))
    }

    #[test]
    fn an_airport_clock_is_read_in_its_own_zone() {
        let berlin = chrono_tz::Europe::Berlin;
        let at = airport_time(FlightEnd::TakeOff, local("2026-12-10", "10:00"), berlin);
        assert_eq!(at.expect("winter"), utc("2026-12-10T09:00:00Z"));
        let at = airport_time(FlightEnd::TakeOff, local("2026-07-10", "10:00"), berlin);
        assert_eq!(at.expect("summer"), utc("2026-07-10T08:00:00Z"));
    }

    #[test]
    fn a_time_the_clocks_skip_is_refused_and_one_they_show_twice_is_the_first() {
        let berlin = chrono_tz::Europe::Berlin;
        let skipped = airport_time(FlightEnd::Landing, local("2026-03-29", "02:30"), berlin)
            .expect_err("02:30 does not happen in Berlin on 29 March 2026");
        let said = skipped.to_string();
        assert!(said.contains("landing") && said.contains("skip"), "{said}");
        let twice = airport_time(FlightEnd::TakeOff, local("2026-10-25", "02:30"), berlin);
        assert_eq!(
            twice.expect("shown twice"),
            utc("2026-10-25T00:30:00Z"),
            "summer time's 02:30"
        );
    }

    #[test]
    fn a_landing_in_the_hour_the_clocks_show_twice_comes_after_its_take_off() {
        let berlin = chrono_tz::Europe::Berlin;
        let time = |t: &str| NaiveTime::parse_from_str(t, "%H:%M").expect("time");
        // 25 October 2026: the clocks go back from 03:00 to 02:00, so 02:00–03:00
        // comes twice, in summer time (UTC+2), then in winter time (UTC+1).
        // Off at the second 02:20, down at 02:50.
        let second = utc("2026-10-25T01:20:00Z");
        let landing = landing_at(time("02:50"), berlin, second).expect("half an hour");
        assert_eq!(landing, utc("2026-10-25T01:50:00Z"));
        // Off at the first 02:50, down at the second 02:20.
        let first = utc("2026-10-25T00:50:00Z");
        let landing = landing_at(time("02:20"), berlin, first).expect("half an hour");
        assert_eq!(landing, utc("2026-10-25T01:20:00Z"));
    }

    #[test]
    fn a_landing_the_clocks_skip_is_refused() {
        let berlin = chrono_tz::Europe::Berlin;
        let time = NaiveTime::from_hms_opt(2, 30, 0).expect("time");
        // Off at 01:30 on 29 March 2026; 02:30 never comes that night.
        let refused = landing_at(time, berlin, utc("2026-03-29T00:30:00Z")).expect_err("skipped");
        assert!(refused.to_string().contains("skip"), "{refused}");
    }

    #[test]
    fn an_unknown_zone_is_refused_naming_its_end() {
        let said = FlightEnd::Landing
            .zone("Mars/Olympus")
            .expect_err("no such zone")
            .to_string();
        assert!(
            said.contains("arrival zone") && said.contains("Mars/Olympus"),
            "{said}"
        );
        assert_eq!(
            FlightEnd::TakeOff.zone(" Europe/Berlin ").expect("known"),
            chrono_tz::Europe::Berlin
        );
    }

    #[test]
    fn a_landing_without_a_date_is_the_first_such_time_after_take_off() {
        let departure = utc("2026-12-10T21:00:00Z");
        // Frankfurt 22:00 to Singapore: take-off is 05:00 on the 11th there, so 17:00 is that day's.
        let singapore = chrono_tz::Asia::Singapore;
        let landing = landing_at(
            NaiveTime::from_hms_opt(17, 0, 0).expect("time"),
            singapore,
            departure,
        );
        assert_eq!(landing.expect("next day"), utc("2026-12-11T09:00:00Z"));
        // Tokyo to Honolulu over the date line: it lands on the date before it left.
        let departure = utc("2026-12-10T12:00:00Z"); // 21:00 on the 10th in Tokyo, 02:00 on the 10th in Honolulu
        let honolulu = chrono_tz::Pacific::Honolulu;
        let landing = landing_at(
            NaiveTime::from_hms_opt(9, 30, 0).expect("time"),
            honolulu,
            departure,
        );
        assert_eq!(
            landing.expect("same date there"),
            utc("2026-12-10T19:30:00Z")
        );
    }
}
