//! A simulated sensor and radio link, for tests, the CLI and the apps' demo
//! mode.
//!
//! - [`script`]: what the wearer did ([`DayScript`]).
//! - [`sensor`]: the peripheral side of the profile ([`SimSensor`]).
//!
//! With the `synth` feature (tests and the CLI, not the phone library):
//!
//! - `link`: the radio on virtual time (`SimLink`).
//! - `faults`: what goes wrong (`FaultPlan`).
//! - `harness`: a sync from end to end into a store (`run_sync`).

#[cfg(feature = "synth")]
pub mod faults;
#[cfg(feature = "synth")]
pub mod harness;
#[cfg(feature = "synth")]
pub mod link;
pub mod script;
pub mod sensor;

#[cfg(feature = "synth")]
pub use faults::{FaultPlan, RacpFault};
#[cfg(feature = "synth")]
pub use harness::{PAIRING_DELAY_MS, SimSyncRun, pair, run_sync};
#[cfg(feature = "synth")]
pub use link::{LinkConfig, SimLink};
pub use script::{DayScript, Segment};
pub use sensor::{SensorConfig, SimSensor};
