//! Flight plans: the risk check, the in-flight schedule in both zones, and
//! the flight in progress.

use chrono::{DateTime, Duration, Utc};

use super::SecondHeart;
use crate::flight::{
    FlightPlan, FlightRequest, MAX_FLIGHT_HOURS, MIN_FLIGHT_MIN, PlanItem, RiskFactors, Seat,
    SleepWindow,
};
use crate::local_day::parse_time_zone;
use crate::{Error, Result};

/// A flight as the traveller describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct FlightDetails {
    /// Take-off.
    pub departure: DateTime<Utc>,
    /// The IANA zone it leaves from.
    pub departure_zone: String,
    /// Landing; give this or `hours`, not both.
    pub arrival: Option<DateTime<Utc>>,
    /// Flight time in hours, when the landing time is not given.
    pub hours: Option<f64>,
    /// The IANA zone it lands in.
    pub arrival_zone: String,
    /// Where the traveller sits.
    pub seat: Seat,
    /// Minutes between movement breaks, 30–60.
    pub move_every_min: u32,
    /// When they mean to sleep, `"23:00-06:00"` in the arrival zone.
    pub sleep: Option<String>,
    /// The answers to the risk questions.
    pub risk_factors: RiskFactors,
}

impl FlightDetails {
    /// The validated request.
    pub fn request(&self) -> Result<FlightRequest> {
        let departure_zone = parse_time_zone(&self.departure_zone)?;
        let arrival_zone = parse_time_zone(&self.arrival_zone)?;
        let arrival = match (self.arrival, self.hours) {
            (Some(_), Some(_)) => {
                return Err(Error::invalid(
                    "landing",
                    "give the landing time or the flight time, not both",
                ));
            }
            (Some(arrival), None)
                if arrival - self.departure < Duration::minutes(MIN_FLIGHT_MIN)
                    && arrival > self.departure =>
            {
                return Err(Error::invalid(
                    "landing",
                    format!(
                        "a flight lands at least {MIN_FLIGHT_MIN} minutes after it leaves (got {} min)",
                        (arrival - self.departure).num_minutes()
                    ),
                ));
            }
            (Some(arrival), None) => arrival,
            (None, Some(hours))
                if hours.is_finite()
                    && hours * 60.0 >= MIN_FLIGHT_MIN as f64
                    && hours <= MAX_FLIGHT_HOURS as f64 =>
            {
                self.departure + Duration::seconds((hours * 3600.0).round() as i64)
            }
            (None, Some(hours)) => {
                return Err(Error::invalid(
                    "flight time",
                    format!("{MIN_FLIGHT_MIN} minutes to {MAX_FLIGHT_HOURS} hours (got {hours} h)"),
                ));
            }
            (None, None) => {
                return Err(Error::invalid(
                    "landing",
                    "give the landing time or the flight time",
                ));
            }
        };
        Ok(FlightRequest {
            departure: self.departure,
            departure_zone,
            arrival,
            arrival_zone,
            seat: self.seat,
            move_every_min: self.move_every_min,
            sleep: self.sleep.as_deref().map(SleepWindow::parse).transpose()?,
            risk_factors: self.risk_factors,
        })
    }
}

/// Flights.
#[derive(Debug, Clone)]
pub struct Flights {
    app: SecondHeart,
}

impl Flights {
    pub(super) fn new(app: SecondHeart) -> Self {
        Self { app }
    }

    /// The plan for `details` and the user's profile, not saved.
    pub fn plan(&self, details: &FlightDetails) -> Result<FlightPlan> {
        let request = details.request()?;
        self.app
            .read(|store, _| FlightPlan::new(request, &store.profile()?))
    }

    /// Plans and starts the flight: reminders follow its schedule, and the
    /// user's days follow the arrival zone from landing on. A started
    /// flight that has not landed and that this one overlaps is replaced
    /// (the same trip planned again, or delayed in the air), and so is one
    /// on the same route that has not left yet, leaving within two days of
    /// this one (its date or time corrected); one that has
    /// landed already is refused
    /// (a date typed wrong would move the days since into the arrival's
    /// zone).
    pub fn start(&self, details: &FlightDetails) -> Result<FlightPlan> {
        let request = details.request()?;
        self.app.write(|store, now| {
            if request.arrival <= now.at {
                let landed = request.arrival.with_timezone(&request.arrival_zone);
                return Err(Error::invalid(
                    "landing",
                    format!(
                        "that flight landed already, at {} {}: check its date",
                        landed.format("%Y-%m-%d %H:%M"),
                        request.arrival_zone
                    ),
                ));
            }
            Ok(store.save_flight(request, true, now.at)?.1)
        })
    }

    /// Cancels the started flight taking off at `departure` that has not
    /// landed (the one a screen shows, from [`Self::not_landed`]): its
    /// reminders stop, and the zone changes it set ahead are forgotten.
    /// Returns it; none when no such flight is started (cancelled already,
    /// or landed).
    pub fn cancel(&self, departure: DateTime<Utc>) -> Result<Option<FlightPlan>> {
        self.app
            .write(|store, now| store.cancel_flight(departure, now.at))
    }

    /// The started flight that has not landed, if any: the one in the air,
    /// else the next to leave (started at the gate, or a connection's second
    /// leg). Its plan runs from the gate: socks on, boarding, take-off.
    pub fn not_landed(&self) -> Result<Option<FlightPlan>> {
        self.app.read(|store, now| store.flight_not_landed(now.at))
    }

    /// What is next on the flight not landed, if any.
    pub fn next_item(&self) -> Result<Option<PlanItem>> {
        self.app.read(|store, now| {
            Ok(store
                .flight_not_landed(now.at)?
                .and_then(|plan| plan.next_item(now.at).cloned()))
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::app::FixedClock;
    use crate::flight::Seat;
    use crate::test_support::utc;

    /// Berlin, 08:00 on 21 November 2026.
    fn app() -> SecondHeart {
        let clock = FixedClock {
            at: utc("2026-11-21T07:00:00Z"),
            zone: chrono_tz::Europe::Berlin,
        };
        SecondHeart::open_in_memory(Arc::new(clock)).expect("database")
    }

    fn to_los_angeles(departure: &str) -> FlightDetails {
        FlightDetails {
            departure: utc(departure),
            departure_zone: "Europe/Berlin".into(),
            arrival: None,
            hours: Some(12.0),
            arrival_zone: "America/Los_Angeles".into(),
            seat: Seat::Aisle,
            move_every_min: 45,
            sleep: None,
            risk_factors: RiskFactors::default(),
        }
    }

    #[test]
    fn a_flight_started_again_with_its_date_corrected_replaces_the_first() {
        let app = app();
        // Typed a day early, then started again with the right date: the
        // two do not overlap.
        app.flights()
            .start(&to_los_angeles("2026-11-28T09:00:00Z"))
            .expect("started");
        app.flights()
            .start(&to_los_angeles("2026-11-29T09:00:00Z"))
            .expect("started again");
        let next = app.flights().not_landed().expect("read").expect("a flight");
        assert_eq!(next.request.departure, utc("2026-11-29T09:00:00Z"));
        let zones = app.read(|store, _| store.zone_timeline()).expect("zones");
        let los_angeles_from: Vec<_> = zones
            .changes()
            .iter()
            .filter(|(_, zone)| *zone == chrono_tz::America::Los_Angeles)
            .map(|(at, _)| *at)
            .collect();
        assert_eq!(los_angeles_from, [utc("2026-11-29T21:00:00Z")], "{zones:?}");
        // The flight home, and a second trip out a week later, are other
        // trips: both stay.
        let mut home = to_los_angeles("2026-12-02T18:00:00Z");
        home.departure_zone = "America/Los_Angeles".into();
        home.arrival_zone = "Europe/Berlin".into();
        app.flights().start(&home).expect("home");
        app.flights()
            .start(&to_los_angeles("2026-12-06T09:00:00Z"))
            .expect("out again");
        let zones = app.read(|store, _| store.zone_timeline()).expect("zones");
        let changes: Vec<_> = zones
            .changes()
            .iter()
            .filter(|(at, _)| *at > utc("2026-11-22T00:00:00Z"))
            .map(|(at, zone)| (*at, *zone))
            .collect();
        assert_eq!(
            changes,
            [
                (utc("2026-11-29T21:00:00Z"), chrono_tz::America::Los_Angeles),
                (utc("2026-12-03T06:00:00Z"), chrono_tz::Europe::Berlin),
                (utc("2026-12-06T21:00:00Z"), chrono_tz::America::Los_Angeles),
            ]
        );
    }

    #[test]
    fn flights_within_one_zone_are_never_taken_for_a_corrected_date() {
        let app = app();
        let within_germany = |departure: &str, hours: f64| FlightDetails {
            departure_zone: "Europe/Berlin".into(),
            arrival_zone: "Europe/Berlin".into(),
            hours: Some(hours),
            ..to_los_angeles(departure)
        };
        // Berlin to Munich in the morning, back in the evening; then a
        // connection through Frankfurt a week later, both legs at once.
        for (departure, hours) in [
            ("2026-11-23T06:00:00Z", 1.0),
            ("2026-11-23T18:00:00Z", 1.0),
            ("2026-11-30T06:00:00Z", 1.0),
            ("2026-11-30T08:00:00Z", 1.25),
        ] {
            app.flights()
                .start(&within_germany(departure, hours))
                .expect("started");
        }
        for departure in [
            "2026-11-23T06:00:00Z",
            "2026-11-23T18:00:00Z",
            "2026-11-30T06:00:00Z",
            "2026-11-30T08:00:00Z",
        ] {
            let cancelled = app
                .flights()
                .cancel(utc(departure))
                .expect("cancel")
                .is_some();
            assert!(cancelled, "{departure} was still started");
        }
    }

    #[test]
    fn a_landing_and_a_flight_time_both_given_are_refused_not_one_ignored() {
        let app = app();
        let mut details = to_los_angeles("2026-11-28T09:00:00Z");
        details.arrival = Some(utc("2026-11-28T21:00:00Z"));
        details.hours = Some(f64::NAN);
        let refused = app.flights().plan(&details);
        assert!(
            matches!(&refused, Err(Error::InvalidInput { field: "landing", reason }) if reason.contains("not both")),
            "{refused:?}"
        );
    }

    #[test]
    fn a_sleep_window_over_twelve_hours_is_refused_at_the_start() {
        let app = app();
        let mut details = to_los_angeles("2026-11-28T09:00:00Z");
        details.sleep = Some("22:00-22:00".into());
        let refused = app.flights().start(&details);
        assert!(
            matches!(refused, Err(Error::InvalidInput { field: "sleep", .. })),
            "{refused:?}"
        );
        assert_eq!(app.flights().not_landed().expect("read"), None);
    }

    #[test]
    fn a_landing_within_minutes_of_take_off_is_refused_where_it_is_given() {
        let app = app();
        let mut details = to_los_angeles("2026-11-28T09:00:00Z");
        details.hours = None;
        details.arrival = Some(utc("2026-11-28T09:05:00Z"));
        let refused = app.flights().start(&details);
        assert!(
            matches!(
                refused,
                Err(Error::InvalidInput {
                    field: "landing",
                    ..
                })
            ),
            "{refused:?}"
        );
        assert_eq!(app.flights().not_landed().expect("read"), None);
    }

    #[test]
    fn a_short_flight_an_earlier_version_stored_still_shows_reminds_and_cancels() {
        let app = app();
        // Earlier versions took any flight landing after it left: a
        // five-minute one, stored as they stored it.
        let mut request = to_los_angeles("2026-11-28T09:00:00Z")
            .request()
            .expect("request");
        request.arrival = request.departure + Duration::minutes(5);
        app.write(|store, now| store.save_flight(request, true, now.at))
            .expect("stored");
        let shown = app.flights().not_landed().expect("read").expect("a flight");
        assert_eq!(shown.request.arrival, utc("2026-11-28T09:05:00Z"));
        app.today().view().expect("Today");
        app.reminders().upcoming(5).expect("reminders");
        let cancelled = app.flights().cancel(utc("2026-11-28T09:00:00Z"));
        assert!(matches!(cancelled, Ok(Some(_))), "{cancelled:?}");
        assert_eq!(app.flights().not_landed().expect("read"), None);
    }

    #[test]
    fn the_schedule_handed_to_the_phone_goes_on_past_the_landing() {
        let app = app();
        // Started at the gate for a 12-hour flight to Los Angeles taking
        // off at 08:30 Berlin: the phone is given the prompts aboard and,
        // once those are used up with nobody moving, the ground's again
        // from landing (11:30 there: Los Angeles' night ended aboard).
        app.flights()
            .start(&to_los_angeles("2026-11-21T07:30:00Z"))
            .expect("started");
        let upcoming = app.reminders().upcoming(8).expect("upcoming");
        let landing = utc("2026-11-21T19:30:00Z");
        let after_landing: Vec<_> = upcoming.iter().filter(|r| r.due_at >= landing).collect();
        assert!(upcoming.iter().any(|r| r.due_at < landing), "{upcoming:?}");
        assert_eq!(
            after_landing.first().map(|r| (r.due_at, r.level)),
            Some((landing, crate::reminder::Level::Gentle)),
            "{upcoming:?}"
        );
    }

    #[test]
    fn the_schedule_follows_a_connection_from_one_flight_to_the_next() {
        let app = app();
        // Berlin to New York, 08:30 to 17:30 Berlin (07:30–16:30 UTC), then
        // on to Los Angeles from 13:30 to 16:30 there (18:30–00:30 UTC),
        // both started at the first gate; nobody moves.
        let leg = |departure: &str, from: &str, hours: f64, to: &str| FlightDetails {
            departure_zone: from.into(),
            hours: Some(hours),
            arrival_zone: to.into(),
            ..to_los_angeles(departure)
        };
        app.flights()
            .start(&leg(
                "2026-11-21T07:30:00Z",
                "Europe/Berlin",
                9.0,
                "America/New_York",
            ))
            .expect("first leg");
        app.flights()
            .start(&leg(
                "2026-11-21T18:30:00Z",
                "America/New_York",
                6.0,
                "America/Los_Angeles",
            ))
            .expect("second leg");
        let upcoming = app.reminders().upcoming(16).expect("upcoming");
        let at = |t: &str| upcoming.iter().find(|r| r.due_at == utc(t));
        // On landing in New York (its night ended aboard), then, the
        // layover's follow-ups used up, after the second leg's climb, for a
        // seat: not New York's next morning.
        assert!(at("2026-11-21T16:30:00Z").is_some(), "{upcoming:?}");
        let aboard = at("2026-11-21T19:00:00Z").expect("after the second climb");
        assert_eq!(aboard.level, crate::reminder::Level::Gentle);
        // Its prompts used up too, the next is Los Angeles' morning (07:45
        // there), nothing in its night.
        let night = utc("2026-11-22T06:00:00Z")..utc("2026-11-22T15:00:00Z");
        assert!(
            upcoming.iter().all(|r| !night.contains(&r.due_at)),
            "{upcoming:?}"
        );
        assert!(at("2026-11-22T15:45:00Z").is_some(), "{upcoming:?}");
    }

    #[test]
    fn a_flight_that_has_landed_is_not_started() {
        let app = app();
        // A month typed wrong: it landed on 5 October.
        let error = app
            .flights()
            .start(&to_los_angeles("2026-10-05T08:00:00Z"))
            .expect_err("landed already");
        assert!(
            error
                .to_string()
                .contains("landed already, at 2026-10-05 13:00 America/Los_Angeles"),
            "{error}"
        );
        assert_eq!(app.flights().not_landed().expect("read"), None);
        let zones = app.read(|store, _| store.zone_timeline()).expect("zones");
        assert!(
            zones
                .changes()
                .iter()
                .all(|(_, zone)| *zone != chrono_tz::America::Los_Angeles),
            "the days since stay in Berlin"
        );
        // In the air (left an hour ago): started.
        app.flights()
            .start(&to_los_angeles("2026-11-21T06:00:00Z"))
            .expect("in the air");
    }

    #[test]
    fn a_cancelled_flight_stops_reminding_and_leaves_the_user_where_they_are() {
        let app = app();
        let departure = utc("2026-11-21T09:00:00Z");
        assert_eq!(
            app.flights().cancel(departure).expect("nothing to cancel"),
            None
        );
        let started = app
            .flights()
            .start(&to_los_angeles("2026-11-21T09:00:00Z"))
            .expect("started");
        let cancelled = app.flights().cancel(departure).expect("cancelled");
        assert_eq!(cancelled.map(|p| p.request), Some(started.request));
        assert_eq!(app.flights().not_landed().expect("read"), None);
        // A second tap finds nothing to cancel.
        assert_eq!(app.flights().cancel(departure).expect("again"), None);
        let zones = app.read(|store, _| store.zone_timeline()).expect("zones");
        assert_eq!(
            zones.zone_at(utc("2026-11-22T12:00:00Z")),
            chrono_tz::Europe::Berlin,
            "the arrival's zone is forgotten"
        );
    }
}
