//! A simulated sensor and radio link, for tests, the CLI and the apps' demo
//! mode.
//!
//! - [`script`]: what the wearer did ([`DayScript`]).
//! - [`sensor`]: the peripheral side of the profile ([`SimSensor`]).
//! - [`link`]: the radio on virtual time ([`SimLink`]).
//! - [`faults`]: what goes wrong ([`FaultPlan`]).
//! - [`harness`]: a sync from end to end into a store ([`run_sync`]).

pub mod faults;
pub mod harness;
pub mod link;
pub mod script;
pub mod sensor;

pub use faults::{FaultPlan, RacpFault};
pub use harness::{PAIRING_DELAY_MS, SimSyncRun, pair, run_sync};
pub use link::{LinkConfig, SimLink};
pub use script::{DayScript, Segment};
pub use sensor::{SensorConfig, SimSensor};
