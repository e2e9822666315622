//! Flight plans.

use std::time::SystemTime;

use second_heart_core::app;
use second_heart_core::flight::{
    self, FlightEnd, FlightPlan as CorePlan, RISK_QUESTIONS, RiskCategory, RiskFactors,
    RiskFactors as CoreFactors, Seat,
};

use crate::sessions::{CompressionAdvice, SafetyQuestion};
use crate::{SecondHeartError, instant, parse_clock_text, parse_date_text};

/// Where the traveller sits.
#[uniffi::remote(Enum)]
pub enum Seat {
    /// Aisle: easy to get up.
    Aisle,
    /// Middle.
    Middle,
    /// Window: hardest to get up.
    Window,
}

/// Which end of a flight a local time names.
#[uniffi::remote(Enum)]
pub enum FlightEnd {
    /// Leaving, in the departure airport's zone.
    TakeOff,
    /// Arriving, in the arrival airport's zone.
    Landing,
}

/// The guideline category of the trip.
#[uniffi::remote(Enum)]
pub enum RiskCategory {
    /// Under 4 h.
    ShortTrip,
    /// Over 4 h, no risk factor.
    NoRiskFactors,
    /// One risk factor.
    Increased,
    /// A major factor or two or more.
    SubstantiallyIncreased,
}

/// The answers to the risk questions.
#[uniffi::remote(Record)]
pub struct RiskFactors {
    /// A clot before.
    pub previous_clot: bool,
    /// Surgery or serious injury in the last 3 months.
    pub recent_surgery_or_trauma: bool,
    /// Active cancer.
    pub active_cancer: bool,
    /// Pregnant.
    pub pregnant: bool,
    /// Gave birth in the last 6 weeks.
    pub postpartum: bool,
    /// Taking oestrogen.
    pub oestrogen: bool,
    /// Limited mobility.
    pub limited_mobility: bool,
    /// A clotting disorder.
    pub thrombophilia: bool,
    /// Several long trips lately.
    pub several_recent_flights: bool,
    /// Obesity (when the profile has no weight).
    pub obesity: bool,
}

/// A flight as the traveller describes it.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct FlightDetails {
    /// Take-off.
    pub departure: SystemTime,
    /// IANA zone it leaves from.
    pub departure_zone: String,
    /// Landing; give this or `hours`, not both.
    pub arrival: Option<SystemTime>,
    /// Flight time, h.
    pub hours: Option<f64>,
    /// IANA zone it lands in.
    pub arrival_zone: String,
    /// Seat.
    pub seat: Seat,
    /// Minutes between movement breaks, 30–60.
    pub move_every_min: u32,
    /// Sleep window in the arrival zone, `"23:00-06:00"`.
    pub sleep: Option<String>,
    /// Risk answers.
    pub risk_factors: CoreFactors,
}

impl TryFrom<FlightDetails> for app::FlightDetails {
    type Error = SecondHeartError;

    fn try_from(d: FlightDetails) -> Result<Self, SecondHeartError> {
        Ok(Self {
            departure: instant("take-off", d.departure)?,
            departure_zone: d.departure_zone,
            arrival: d.arrival.map(|at| instant("landing", at)).transpose()?,
            hours: d.hours,
            arrival_zone: d.arrival_zone,
            seat: d.seat,
            move_every_min: d.move_every_min,
            sleep: d.sleep,
            risk_factors: d.risk_factors,
        })
    }
}

/// One thing to do at one time on the flight.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PlanItem {
    /// When.
    pub at: SystemTime,
    /// Local time where it left, `YYYY-MM-DD HH:MM`.
    pub departure_local: String,
    /// Local time where it lands.
    pub arrival_local: String,
    /// What kind: put_on_stockings, walk, seated, drink, sleep_start,
    /// wake_up, arrive.
    pub kind: String,
    /// Its name on the timeline: "Walk the aisle", "Wake up and move"…
    pub title: String,
    /// The instruction.
    pub text: String,
}

impl From<flight::PlanItem> for PlanItem {
    fn from(item: flight::PlanItem) -> Self {
        use flight::PlanItemKind as K;
        let kind = match item.kind {
            K::PutOnStockings => "put_on_stockings",
            K::Walk => "walk",
            K::Seated { .. } => "seated",
            K::Drink => "drink",
            K::SleepStart => "sleep_start",
            K::WakeUp => "wake_up",
            K::Arrive => "arrive",
        };
        Self {
            at: item.at.into(),
            departure_local: item.departure_local,
            arrival_local: item.arrival_local,
            kind: kind.to_owned(),
            title: item.kind.title().to_owned(),
            text: item.text,
        }
    }
}

/// The risk check.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct RiskAssessment {
    /// Trip length, h.
    pub hours: f64,
    /// The category.
    pub category: RiskCategory,
    /// The category in words.
    pub label: String,
    /// The factors that counted, in words.
    pub factors: Vec<String>,
    /// Population figures, worded as information.
    pub population_note: String,
    /// Whether to see a doctor before travelling.
    pub talk_to_doctor: bool,
    /// Whether the guidelines suggest stockings.
    pub stockings_suggested: bool,
}

/// A flight plan.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct FlightPlan {
    /// Take-off.
    pub departure: SystemTime,
    /// Its zone.
    pub departure_zone: String,
    /// Landing.
    pub arrival: SystemTime,
    /// Its zone.
    pub arrival_zone: String,
    /// The risk check.
    pub risk: RiskAssessment,
    /// Stockings advice after the contraindication gate, when suggested.
    pub compression: Option<CompressionAdvice>,
    /// Advice lines.
    pub advice: Vec<String>,
    /// The schedule, in both zones.
    pub schedule: Vec<PlanItem>,
}

impl From<CorePlan> for FlightPlan {
    fn from(p: CorePlan) -> Self {
        Self {
            departure: p.request.departure.into(),
            departure_zone: p.request.departure_zone.name().to_owned(),
            arrival: p.request.arrival.into(),
            arrival_zone: p.request.arrival_zone.name().to_owned(),
            risk: RiskAssessment {
                hours: p.risk.hours,
                category: p.risk.category,
                label: p.risk.label().to_owned(),
                factors: p.risk.factors,
                population_note: p.risk.population_note,
                talk_to_doctor: p.risk.talk_to_doctor,
                stockings_suggested: p.risk.stockings_suggested,
            },
            compression: p.compression.map(Into::into),
            advice: p.advice,
            schedule: p.schedule.into_iter().map(Into::into).collect(),
        }
    }
}

/// The flight risk check's questions, in the order to ask them (age comes
/// from the profile, and so does the BMI when the profile has a weight).
#[uniffi::export]
pub fn flight_risk_questions() -> Vec<SafetyQuestion> {
    RISK_QUESTIONS
        .iter()
        .map(|q| SafetyQuestion {
            key: q.key.to_owned(),
            text: q.question.to_owned(),
        })
        .collect()
}

/// The risk factors whose questions' keys were ticked; an unknown key is
/// refused, naming it.
#[uniffi::export]
pub fn flight_risk_factors(keys: Vec<String>) -> Result<RiskFactors, SecondHeartError> {
    Ok(RiskFactors::from_keys(&keys)?)
}

/// Flights.
#[derive(Debug, uniffi::Object)]
pub struct Flights(pub(crate) app::Flights);

#[uniffi::export]
impl Flights {
    /// The plan for `details`, not saved.
    pub fn plan(&self, details: FlightDetails) -> Result<FlightPlan, SecondHeartError> {
        Ok(self.0.plan(&details.try_into()?)?.into())
    }

    /// Plans and starts the flight: reminders follow it, days follow the
    /// arrival zone from landing on. It replaces a started flight not landed
    /// yet that it overlaps; one that has landed already is refused.
    pub fn start(&self, details: FlightDetails) -> Result<FlightPlan, SecondHeartError> {
        Ok(self.0.start(&details.try_into()?)?.into())
    }

    /// The started flight that has not landed, if any: the one in the air,
    /// else the next to leave.
    pub fn not_landed(&self) -> Result<Option<FlightPlan>, SecondHeartError> {
        Ok(self.0.not_landed()?.map(Into::into))
    }

    /// What is next on it, if any.
    pub fn next_item(&self) -> Result<Option<PlanItem>, SecondHeartError> {
        Ok(self.0.next_item()?.map(Into::into))
    }

    /// The instant the airport's clock shows as `time` (`HH:MM`) on `date`
    /// (`YYYY-MM-DD`) in `zone`: how a form reads a take-off or a landing
    /// typed from a boarding pass, with the zone data the plan is made with.
    /// A time the clocks skip there is refused (`InvalidInput`, naming
    /// `end`); one they show twice is the first.
    pub fn airport_time(
        &self,
        end: FlightEnd,
        date: String,
        time: String,
        zone: String,
    ) -> Result<SystemTime, SecondHeartError> {
        let date = parse_date_text(&date).map_err(|error| match error {
            SecondHeartError::InvalidInput { reason, .. } => SecondHeartError::InvalidInput {
                field: end.field().to_owned(),
                reason,
            },
            other => other,
        })?;
        let local = date.and_time(parse_clock_text(end.field(), &time)?);
        Ok(flight::airport_time(end, local, end.zone(&zone)?)?.into())
    }

    /// The landing at the clock time `time` (`HH:MM`) in `zone` when no date
    /// is given: the first such time there after `departure` (an overnight
    /// flight lands the next day).
    pub fn landing_at(
        &self,
        time: String,
        zone: String,
        departure: SystemTime,
    ) -> Result<SystemTime, SecondHeartError> {
        let time = parse_clock_text("landing", &time)?;
        let departure = instant("take-off", departure)?;
        Ok(flight::landing_at(time, FlightEnd::Landing.zone(&zone)?, departure)?.into())
    }

    /// Cancels the started flight taking off at `departure` (the one
    /// `not_landed` gave the screen) that has not landed: its reminders stop
    /// and the zone changes it set ahead are forgotten. Returns it; none when
    /// no such flight is started (cancelled already, or landed).
    pub fn cancel(&self, departure: SystemTime) -> Result<Option<FlightPlan>, SecondHeartError> {
        Ok(self
            .0
            .cancel(instant("take-off", departure)?)?
            .map(Into::into))
    }
}
