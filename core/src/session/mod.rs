//! Sessions: a walk, a set of calf raises, ankle pumps, leg elevation. Each
//! is a state machine (active ⇄ paused → finished | abandoned) whose every
//! step is an event with a time, so the store can persist it and a session
//! survives the app being killed: replaying the events rebuilds it.

mod kinds;
mod live;
mod machine;
mod outcome;

pub use kinds::{ElevationCheck, SessionKind, Target};
pub use live::{HoldCue, LiveProgress, LiveSessionCounter};
pub use machine::{LONGEST_HOLD_S, Session, SessionEvent, SessionState, TimedEvent};
pub use outcome::{Feedback, FinishedSet, Outcome, Progress, SensorSetOutcome, WalkedStretch};
