//! Flight plans: a risk check following the guidelines, compression advice
//! behind the contraindication gate, and a schedule of movement, exercises,
//! drinks and sleep across the time-zone change. Offline and pure.

mod airport_time;
mod plan;
mod risk;
mod schedule;

pub use airport_time::{FlightEnd, airport_time, landing_at};
pub use plan::{FlightPlan, FlightRequest, MAX_FLIGHT_HOURS, MIN_FLIGHT_MIN, Seat};
pub use risk::{RISK_QUESTIONS, RiskAssessment, RiskCategory, RiskFactors, RiskQuestion, assess};
pub use schedule::{PlanItem, PlanItemKind, SeatedExercise, SleepWindow};
