//! A flight plan: the request, the risk check, compression advice and the
//! schedule, put together.

use chrono::{DateTime, Datelike, Duration, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::risk::{RiskAssessment, RiskFactors, assess};
use super::schedule::{
    AFTER_TAKE_OFF_MIN, BEFORE_LANDING_MIN, PlanItem, PlanItemKind, ScheduleInput, SleepWindow,
    Stockings, build,
};
use crate::compression::{CompressionAdvice, compression_advice};
use crate::profile::Profile;
use crate::reminder::FlightReminding;
use crate::{Error, Result};

/// Where the traveller sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Seat {
    /// On the aisle: easy to get up.
    Aisle,
    /// In the middle.
    Middle,
    /// By the window.
    Window,
}

/// What the traveller tells us about the trip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlightRequest {
    /// Take-off, UTC.
    pub departure: DateTime<Utc>,
    /// The zone it leaves from.
    pub departure_zone: Tz,
    /// Landing, UTC.
    pub arrival: DateTime<Utc>,
    /// The zone it lands in.
    pub arrival_zone: Tz,
    /// The seat.
    pub seat: Seat,
    /// Minutes between movement prompts (30–60).
    pub move_every_min: u32,
    /// When to sleep, destination time.
    pub sleep: Option<SleepWindow>,
    /// Risk factors.
    pub risk_factors: RiskFactors,
}

/// The plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlightPlan {
    /// The trip.
    pub request: FlightRequest,
    /// The risk check.
    pub risk: RiskAssessment,
    /// Stockings: suggested, not needed, or see a doctor first.
    pub compression: Option<CompressionAdvice>,
    /// Advice in words, most important first.
    pub advice: Vec<String>,
    /// What to do when.
    pub schedule: Vec<PlanItem>,
}

/// The longest flight planned, h (the longest scheduled flights are ~19 h).
pub const MAX_FLIGHT_HOURS: i64 = 24;
/// The shortest flight given, min: a hop between islands takes a few
/// minutes; anything shorter is a typing slip (an arrival a minute after
/// departure), whose plan would say "a trip of 0 min". Refused where a
/// flight is given (`FlightDetails`), not by [`FlightPlan::new`]: earlier
/// versions stored any flight landing after it left, and a stored flight
/// is planned again on every read.
pub const MIN_FLIGHT_MIN: i64 = 10;

impl FlightPlan {
    /// Plans `request` for the traveller in `profile`: one landing after it
    /// leaves and within [`MAX_FLIGHT_HOURS`] (every version refused
    /// others), moving every 30–60 minutes.
    pub fn new(request: FlightRequest, profile: &Profile) -> Result<Self> {
        let length = request.arrival - request.departure;
        if length <= Duration::zero() || length > Duration::hours(MAX_FLIGHT_HOURS) {
            return Err(Error::invalid(
                "landing",
                format!(
                    "a flight lands after it leaves and within {MAX_FLIGHT_HOURS} h (got {} min)",
                    length.num_minutes()
                ),
            ));
        }
        if !(30..=60).contains(&request.move_every_min) {
            return Err(Error::invalid(
                "move every",
                format!("30–60 minutes (got {})", request.move_every_min),
            ));
        }
        let hours = length.as_seconds_f64() / 3600.0;
        let age = profile.age_in(request.departure.year());
        let risk = assess(hours, &request.risk_factors, age, profile.bmi());
        let compression = risk
            .stockings_suggested
            .then(|| compression_advice(&profile.compression_cautions));
        let stockings = match compression {
            Some(CompressionAdvice::Suitable) if risk.talk_to_doctor => {
                Stockings::IfChosenWithTheDoctor
            }
            Some(CompressionAdvice::Suitable) => Stockings::Suggested,
            _ => Stockings::Not,
        };
        let advice = advice(&risk, compression.as_ref(), request.seat);
        let schedule = build(&ScheduleInput {
            departure: request.departure,
            arrival: request.arrival,
            departure_zone: request.departure_zone,
            arrival_zone: request.arrival_zone,
            move_every_min: request.move_every_min,
            aisle_seat: request.seat == Seat::Aisle,
            stockings,
            sleep: request.sleep,
        });
        Ok(Self {
            request,
            risk,
            compression,
            advice,
            schedule,
        })
    }

    /// The next item after `now`, if the flight is not over.
    pub fn next_item(&self, now: DateTime<Utc>) -> Option<&PlanItem> {
        self.schedule.iter().find(|i| i.at > now)
    }

    /// How break reminders follow this plan while it is flown: its
    /// interval, and none during the climb, the sleep window or the descent.
    pub fn reminding(&self) -> FlightReminding {
        let (departure, arrival) = (self.request.departure, self.request.arrival);
        let at = |kind: PlanItemKind| self.schedule.iter().find(|i| i.kind == kind).map(|i| i.at);
        // Within the flight: a short one's climb and descent overlap, and
        // neither reaches before take-off (a reminder due at the gate).
        let climbed = (departure + Duration::minutes(AFTER_TAKE_OFF_MIN)).min(arrival);
        let descends = (arrival - Duration::minutes(BEFORE_LANDING_MIN)).max(departure);
        let mut quiet = vec![(departure, climbed)];
        if let Some(asleep) = at(PlanItemKind::SleepStart) {
            quiet.push((asleep, at(PlanItemKind::WakeUp).unwrap_or(arrival)));
        }
        quiet.push((descends, arrival));
        FlightReminding {
            every_min: self.request.move_every_min,
            quiet,
            departs: departure,
            lands: arrival,
            arrival_zone: self.request.arrival_zone,
        }
    }
}

fn advice(
    risk: &RiskAssessment,
    compression: Option<&CompressionAdvice>,
    seat: Seat,
) -> Vec<String> {
    use super::risk::RiskCategory as C;
    let mut out = Vec::new();
    if risk.talk_to_doctor {
        out.push(format!(
            "Talk to a doctor before you travel: with {} the guidelines suggest deciding on stockings or a blood thinner together.",
            risk.factors.join(", ")
        ));
    }
    match risk.category {
        C::ShortTrip => out.push("A short flight: move as you normally would; the schedule keeps your calves working.".to_owned()),
        C::NoRiskFactors => out.push(
            "No risk factors: the guidelines advise no stockings or medicines, just regular walks, calf exercises and drinks.".to_owned(),
        ),
        C::Increased | C::SubstantiallyIncreased => {
            out.push("Walk often and do calf exercises in your seat (ACCP 2012).".to_owned());
            if seat != Seat::Aisle {
                out.push("Ask for an aisle seat if you can: it makes getting up easy.".to_owned());
            }
        }
    }
    match compression {
        // Decided with the doctor (ASH 2018: stockings or a blood thinner):
        // the plan keeps the stockings in, as the choice still open to them.
        Some(CompressionAdvice::Suitable) if risk.talk_to_doctor => out.push(
            "If you and your doctor choose stockings: wear well-fitted below-knee compression stockings of 15–30 mmHg at the ankle during the flight.".to_owned(),
        ),
        Some(CompressionAdvice::Suitable) => out.push(
            "Wear well-fitted below-knee compression stockings of 15–30 mmHg at the ankle during the flight.".to_owned(),
        ),
        Some(CompressionAdvice::SeeDoctorFirst { reasons }) => out.push(format!(
            "Stockings are not for you without a doctor's advice ({}): see a doctor instead.",
            reasons.join("; ")
        )),
        None => {}
    }
    out.push(risk.population_note.clone());
    out.push(
        "In the weeks after: a painful, swollen, warm or red calf, or sudden breathlessness or chest pain, needs a doctor at once."
            .to_owned(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flight::schedule::{PlanItemKind, SeatedExercise};
    use crate::test_support::utc;

    fn frankfurt_to_los_angeles(seat: Seat, factors: RiskFactors) -> FlightRequest {
        FlightRequest {
            // 10:00 in Frankfurt, landing 13:15 in Los Angeles: 12 h 15 min.
            departure: utc("2026-11-21T09:00:00Z"),
            departure_zone: chrono_tz::Europe::Berlin,
            arrival: utc("2026-11-21T21:15:00Z"),
            arrival_zone: chrono_tz::America::Los_Angeles,
            seat,
            move_every_min: 45,
            sleep: None,
            risk_factors: factors,
        }
    }

    #[test]
    fn frankfurt_to_los_angeles_keeps_the_local_days_right() {
        let plan = FlightPlan::new(
            frankfurt_to_los_angeles(Seat::Aisle, RiskFactors::default()),
            &Profile::default(),
        )
        .expect("plan");
        let first = &plan.schedule[0];
        assert_eq!(first.departure_local, "2026-11-21 10:30");
        assert_eq!(first.arrival_local, "2026-11-21 01:30");
        let arrive = plan.schedule.last().expect("items");
        assert_eq!(arrive.kind, PlanItemKind::Arrive);
        assert_eq!(arrive.arrival_local, "2026-11-21 13:15");
        assert_eq!(arrive.departure_local, "2026-11-21 22:15");
        // Movement every 45 min from 30 min after take-off to 40 min before landing.
        let moves = plan
            .schedule
            .iter()
            .filter(|i| matches!(i.kind, PlanItemKind::Walk | PlanItemKind::Seated { .. }))
            .count();
        assert_eq!(moves, 15);
        assert!(plan.schedule.windows(2).all(|w| w[0].at <= w[1].at));
        assert_eq!(plan.compression, None, "no risk factor, no stockings");
    }

    /// The plan's first item of `kind`.
    fn item(plan: &FlightPlan, kind: PlanItemKind) -> Option<&PlanItem> {
        plan.schedule.iter().find(|i| i.kind == kind)
    }

    #[test]
    fn sleep_on_the_destinations_night_silences_movement_prompts() {
        let mut request = frankfurt_to_los_angeles(Seat::Window, RiskFactors::default());
        request.sleep = Some(SleepWindow {
            from: chrono::NaiveTime::from_hms_opt(2, 0, 0).expect("time"),
            until: chrono::NaiveTime::from_hms_opt(6, 0, 0).expect("time"),
        });
        let plan = FlightPlan::new(request, &Profile::default()).expect("plan");
        let start = item(&plan, PlanItemKind::SleepStart).expect("sleep");
        let wake = item(&plan, PlanItemKind::WakeUp).expect("wake");
        assert_eq!(start.arrival_local, "2026-11-21 02:00");
        assert_eq!(wake.arrival_local, "2026-11-21 06:00");
        // Break reminders keep the same silences while the plan is flown.
        let reminding = plan.reminding();
        assert_eq!(
            reminding.quiet,
            [
                (utc("2026-11-21T09:00:00Z"), utc("2026-11-21T09:30:00Z")),
                (start.at, wake.at),
                (utc("2026-11-21T20:35:00Z"), utc("2026-11-21T21:15:00Z")),
            ]
        );
        assert_eq!(
            (reminding.every_min, reminding.departs, reminding.lands),
            (45, utc("2026-11-21T09:00:00Z"), utc("2026-11-21T21:15:00Z"))
        );
        assert!(
            plan.schedule
                .iter()
                .filter(|i| i.at > start.at && i.at < wake.at)
                .all(|i| matches!(i.kind, PlanItemKind::WakeUp))
        );
        // Window seat: two seated exercises between walks, varied.
        let seated: Vec<_> = plan
            .schedule
            .iter()
            .filter_map(|i| match i.kind {
                PlanItemKind::Seated { exercise } => Some(exercise),
                _ => None,
            })
            .collect();
        assert!(
            seated.contains(&SeatedExercise::AnklePumps)
                && seated.contains(&SeatedExercise::AnkleCircles)
        );
    }

    #[test]
    fn boarding_at_the_end_of_one_night_the_plan_sleeps_the_next_one_aboard() {
        // Boarding at 05:00 in Los Angeles's time, 20 h aboard: two hours
        // are left of the night it boards in, three of the next.
        let mut request = frankfurt_to_los_angeles(Seat::Window, RiskFactors::default());
        request.departure = utc("2026-11-21T13:00:00Z");
        request.arrival = utc("2026-11-22T09:00:00Z");
        request.sleep = Some(SleepWindow::parse("22:00-07:00").expect("window"));
        let plan = FlightPlan::new(request, &Profile::default()).expect("plan");
        let start = item(&plan, PlanItemKind::SleepStart).expect("sleep");
        assert_eq!(
            start.arrival_local, "2026-11-21 22:00",
            "not the 05:00–07:00 left of the first night"
        );
        assert!(
            item(&plan, PlanItemKind::WakeUp).is_none(),
            "asleep until landing at 01:00"
        );
    }

    #[test]
    fn a_sleep_window_that_would_silence_the_flight_is_refused_when_given() {
        let time = |h| chrono::NaiveTime::from_hms_opt(h, 0, 0).expect("time");
        for window in ["22:00-22:00", "06:00-05:00", "20:00-09:00"] {
            let refused = SleepWindow::parse(window);
            assert!(
                matches!(refused, Err(Error::InvalidInput { field: "sleep", .. })),
                "{window}: {refused:?}"
            );
        }
        let night = SleepWindow::parse("21:00-09:00").expect("12 hours is allowed");
        assert_eq!((night.from, night.until), (time(21), time(9)));
        // A flight stored with one before windows were checked still plans:
        // stored flights are planned again on every read.
        let mut request = frankfurt_to_los_angeles(Seat::Window, RiskFactors::default());
        request.sleep = Some(SleepWindow {
            from: time(22),
            until: time(22),
        });
        assert!(FlightPlan::new(request, &Profile::default()).is_ok());
    }

    #[test]
    fn a_night_that_ends_in_the_climb_or_starts_in_the_descent_is_not_slept_aboard() {
        let night = Some(SleepWindow {
            from: chrono::NaiveTime::from_hms_opt(22, 0, 0).expect("time"),
            until: chrono::NaiveTime::from_hms_opt(7, 0, 0).expect("time"),
        });
        let sleeps = |departure: &str, arrival: &str| {
            let request = FlightRequest {
                departure: utc(departure),
                departure_zone: chrono_tz::Europe::Berlin,
                arrival: utc(arrival),
                arrival_zone: chrono_tz::Europe::Lisbon,
                sleep: night,
                ..frankfurt_to_los_angeles(Seat::Aisle, RiskFactors::default())
            };
            let plan = FlightPlan::new(request, &Profile::default()).expect("plan");
            plan.schedule
                .iter()
                .filter(|i| matches!(i.kind, PlanItemKind::SleepStart | PlanItemKind::WakeUp))
                .map(|i| i.arrival_local.clone())
                .collect::<Vec<_>>()
        };
        // Frankfurt 07:50 to Lisbon, taking off at 06:50 Lisbon time: ten
        // minutes of the night, in the climb.
        assert_eq!(
            sleeps("2026-12-07T06:50:00Z", "2026-12-07T09:50:00Z"),
            Vec::<String>::new()
        );
        // Landing at 22:15: the night starts in the descent.
        assert_eq!(
            sleeps("2026-12-07T19:15:00Z", "2026-12-07T22:15:00Z"),
            Vec::<String>::new()
        );
        // Taking off at 20:30, landing at 01:30: two and a half hours of the
        // night between the climb and the descent, slept to landing.
        assert_eq!(
            sleeps("2026-12-07T20:30:00Z", "2026-12-08T01:30:00Z"),
            vec!["2026-12-07 22:00".to_owned()]
        );
    }

    #[test]
    fn the_sleep_window_keeps_its_clock_times_on_the_night_the_clocks_go_back() {
        // Sydney to Los Angeles over the night of 31 October 2026, when Los
        // Angeles goes back from 02:00 PDT to 01:00 PST: 18:00 PDT on the
        // 31st to 07:00 PST on 1 November.
        let request = FlightRequest {
            departure: utc("2026-11-01T01:00:00Z"),
            departure_zone: chrono_tz::Australia::Sydney,
            arrival: utc("2026-11-01T15:00:00Z"),
            sleep: Some(SleepWindow {
                from: chrono::NaiveTime::from_hms_opt(22, 0, 0).expect("time"),
                until: chrono::NaiveTime::from_hms_opt(3, 0, 0).expect("time"),
            }),
            ..frankfurt_to_los_angeles(Seat::Aisle, RiskFactors::default())
        };
        let plan = FlightPlan::new(request, &Profile::default()).expect("plan");
        let local = |kind: PlanItemKind| {
            plan.schedule
                .iter()
                .find(|i| i.kind == kind)
                .map(|i| (i.at, i.arrival_local.clone()))
                .expect("in the plan")
        };
        assert_eq!(
            local(PlanItemKind::SleepStart),
            (utc("2026-11-01T05:00:00Z"), "2026-10-31 22:00".to_owned())
        );
        assert_eq!(
            local(PlanItemKind::WakeUp),
            (utc("2026-11-01T11:00:00Z"), "2026-11-01 03:00".to_owned()),
            "03:00 on the clock, not midnight + 3 h (02:00 PST)"
        );
    }

    #[test]
    fn stockings_are_suggested_only_through_the_contraindication_gate() {
        let at_risk = RiskFactors {
            oestrogen: true,
            ..Default::default()
        };
        let plan = FlightPlan::new(
            frankfurt_to_los_angeles(Seat::Window, at_risk),
            &Profile::default(),
        )
        .expect("plan");
        assert_eq!(plan.compression, Some(CompressionAdvice::Suitable));
        assert_eq!(plan.schedule[0].kind, PlanItemKind::PutOnStockings);
        assert!(plan.advice.iter().any(|a| a.contains("aisle seat")));

        let mut profile = Profile::default();
        profile.compression_cautions.ankle_brachial_index = Some(0.6);
        let plan = FlightPlan::new(frankfurt_to_los_angeles(Seat::Aisle, at_risk), &profile)
            .expect("plan");
        assert!(matches!(
            plan.compression,
            Some(CompressionAdvice::SeeDoctorFirst { .. })
        ));
        assert!(
            plan.schedule
                .iter()
                .all(|i| i.kind != PlanItemKind::PutOnStockings)
        );
        assert!(
            plan.advice
                .iter()
                .any(|a| a.contains("see a doctor instead"))
        );
    }

    #[test]
    fn with_a_doctor_to_decide_the_stockings_are_offered_as_their_choice_not_an_order() {
        // A previous clot: substantially increased, so stockings or a blood
        // thinner are decided with a doctor (ASH 2018).
        let previous_clot = RiskFactors {
            previous_clot: true,
            ..Default::default()
        };
        let plan = FlightPlan::new(
            frankfurt_to_los_angeles(Seat::Aisle, previous_clot),
            &Profile::default(),
        )
        .expect("plan");
        assert!(plan.risk.talk_to_doctor);
        let stockings: Vec<&String> = plan
            .advice
            .iter()
            .filter(|a| a.contains("compression stockings"))
            .collect();
        assert_eq!(stockings.len(), 1, "{:?}", plan.advice);
        assert!(
            stockings[0].starts_with("If you and your doctor choose stockings"),
            "{}",
            stockings[0]
        );
        // The plan's step before boarding says the same.
        let put_on = plan
            .schedule
            .iter()
            .find(|i| i.kind == PlanItemKind::PutOnStockings)
            .expect("the stockings kept in");
        assert!(
            put_on
                .text
                .starts_with("If you and your doctor chose stockings"),
            "{}",
            put_on.text
        );
    }

    #[test]
    fn the_plan_moves_before_the_descent_and_a_short_hop_keeps_the_gate_s_reminders() {
        // 4 h 40 min, moving every 30: the last prompt and drink come before
        // the descent (40 min before landing), when the reminders go quiet.
        let mut request = frankfurt_to_los_angeles(Seat::Aisle, RiskFactors::default());
        request.move_every_min = 30;
        request.arrival = request.departure + Duration::minutes(280);
        let plan = FlightPlan::new(request.clone(), &Profile::default()).expect("plan");
        let descent = request.arrival - Duration::minutes(BEFORE_LANDING_MIN);
        assert!(
            plan.schedule
                .iter()
                .filter(|i| i.kind != PlanItemKind::Arrive)
                .all(|i| i.at < descent),
            "{:?}",
            plan.schedule
        );
        // A 20-minute hop: its climb and descent stay within the flight.
        request.arrival = request.departure + Duration::minutes(20);
        let hop = FlightPlan::new(request.clone(), &Profile::default()).expect("plan");
        let reminding = hop.reminding();
        assert!(
            reminding
                .quiet
                .iter()
                .all(|(from, until)| *from >= request.departure && *until <= request.arrival),
            "{:?}",
            reminding.quiet
        );
    }

    #[test]
    fn impossible_trips_are_refused() {
        let mut request = frankfurt_to_los_angeles(Seat::Aisle, RiskFactors::default());
        // Refused under the form's own word for the field, as its other refusals.
        let landing = |request: &FlightRequest| {
            matches!(
                FlightPlan::new(request.clone(), &Profile::default()),
                Err(Error::InvalidInput {
                    field: "landing",
                    ..
                })
            )
        };
        request.arrival = request.departure - Duration::hours(1);
        assert!(landing(&request));
        request.arrival = request.departure + Duration::hours(25);
        assert!(landing(&request));
        // A minute after leaving is refused where it is given
        // (`FlightDetails`); one an earlier version stored still plans.
        request.arrival = request.departure + Duration::minutes(1);
        assert!(FlightPlan::new(request.clone(), &Profile::default()).is_ok());
        request.arrival = request.departure + Duration::hours(5);
        request.move_every_min = 10;
        assert!(matches!(
            FlightPlan::new(request, &Profile::default()),
            Err(Error::InvalidInput {
                field: "move every",
                ..
            })
        ));
    }
}
