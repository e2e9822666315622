//! What the detectors report.

use serde::{Deserialize, Serialize};

/// A posture read from the shank's orientation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "posture", rename_all = "snake_case")]
pub enum DetectedPosture {
    /// Upright on the feet (also while walking).
    Standing,
    /// Seated: the shank upright or sloping forward, the leg at rest.
    Sitting,
    /// Lying with the lower leg about level.
    Lying,
    /// The ankle higher than the knee.
    LegsRaised {
        /// Angle of the shank above horizontal, degrees.
        angle_deg: f64,
    },
}

/// One event found in the stream. Times are the recording's seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ActivityEvent {
    /// A step inside a walking bout. A sensor on one ankle sees its own
    /// leg's strides; the other leg's step is placed half-way between them.
    Step {
        /// Heel strike, s.
        t_s: f64,
        /// Whether it is the step of the leg wearing the sensor.
        own_leg: bool,
        /// 0–1.
        confidence: f64,
    },
    /// Two or more strides in a row.
    WalkingBout {
        /// First heel strike, s.
        start_s: f64,
        /// Last heel strike, s.
        end_s: f64,
        /// Steps of both legs (two a stride).
        steps: u32,
        /// Steps a minute.
        cadence_spm: f64,
        /// 0–1.
        confidence: f64,
    },
    /// One calf raise (heel raise), standing.
    CalfRaise {
        /// The heel leaves the floor, s.
        start_s: f64,
        /// Back down, s.
        end_s: f64,
        /// Time held still at the top, s.
        hold_s: f64,
        /// How high the ankle rose, cm.
        height_cm: f64,
        /// 0–1.
        confidence: f64,
    },
    /// Calf raises close together.
    CalfRaiseSet {
        /// Start of the first raise, s.
        start_s: f64,
        /// End of the last, s.
        end_s: f64,
        /// Repetitions.
        reps: u32,
        /// Mean hold at the top, s.
        mean_hold_s: f64,
        /// Raises held for less than the shortest useful hold.
        short_holds: u32,
        /// 0–1.
        confidence: f64,
    },
    /// Ankle pumps (feet pulled up and pushed down), seated or lying.
    AnklePumpSet {
        /// Start, s.
        start_s: f64,
        /// End, s.
        end_s: f64,
        /// Pumps (one up-and-down each).
        count: u32,
        /// Pumps a minute.
        rate_per_min: f64,
        /// 0–1.
        confidence: f64,
    },
    /// A stretch of one posture.
    Posture {
        /// Start, s.
        start_s: f64,
        /// End, s.
        end_s: f64,
        /// The posture.
        #[serde(flatten)]
        posture: DetectedPosture,
        /// 0–1.
        confidence: f64,
    },
    /// A stretch with the compression sock on or off (sensors with pressure
    /// channels only).
    Sock {
        /// Start, s.
        start_s: f64,
        /// End, s.
        end_s: f64,
        /// Whether the sock was on.
        worn: bool,
        /// Mean interface pressure, mmHg.
        pressure_mmhg: f64,
        /// 0–1.
        confidence: f64,
    },
}
