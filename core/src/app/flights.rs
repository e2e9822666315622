//! Flight plans: the risk check, the in-flight schedule in both zones, and
//! the flight in progress.

use chrono::{DateTime, Duration, Utc};

use super::SecondHeart;
use crate::flight::{FlightPlan, FlightRequest, PlanItem, RiskFactors, Seat, SleepWindow};
use crate::local_day::parse_time_zone;
use crate::{Error, Result};

/// A flight as the traveller describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct FlightDetails {
    /// Take-off.
    pub departure: DateTime<Utc>,
    /// The IANA zone it leaves from.
    pub departure_zone: String,
    /// Landing; give this or `hours`.
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
            (Some(arrival), _) => arrival,
            (None, Some(hours)) if hours.is_finite() && hours > 0.0 && hours <= 24.0 => {
                self.departure + Duration::seconds((hours * 3600.0).round() as i64)
            }
            (None, Some(hours)) => {
                return Err(Error::invalid(
                    "flight time",
                    format!("more than 0 and at most 24 hours (got {hours})"),
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
    /// user's days follow the arrival zone from landing on.
    pub fn start(&self, details: &FlightDetails) -> Result<FlightPlan> {
        let request = details.request()?;
        self.app
            .write(|store, now| Ok(store.save_flight(request, true, now.at)?.1))
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
