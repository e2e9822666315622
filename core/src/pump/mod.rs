//! The calf muscle pump: a lumped-parameter model of the veins of a leg.
//!
//! Compartments (per leg): calf deep veins, calf superficial veins, thigh
//! veins, and the calf's interstitial tissue; shared by both legs: the
//! central venous reservoir (abdomen and thorax) with a slow compensating
//! reflex and a Frank–Starling stroke volume. Veins fill along a nonlinear
//! (arctangent) pressure–volume law, valves are diodes, gravity adds
//! 0.77 mmHg per cm of column by posture, a calf contraction presses on the
//! deep veins, and a compression garment on everything under it.
//!
//! Everything is synchronous and pure: a [`Scenario`] of postures and
//! activities goes in, totals (and, on request, a time series) come out.
//! Equations, parameters and their sources: docs/pump-model.md.

mod geometry;
mod inputs;
mod model;
mod params;
pub mod protocols;
mod scenario;
mod simulate;
mod solver;
mod veins;
mod yields;

pub use geometry::{Person, Sex};
pub use inputs::{Activity, FASTEST_EXERCISE_PER_MIN, Posture, walking_cadence, walking_speed_kmh};
pub use model::{Outputs, Valves};
pub use params::Parameters;
pub use scenario::{Scenario, Segment};
pub use simulate::{Interrupt, Sample, Simulation, Totals};
pub use yields::PumpYield;
