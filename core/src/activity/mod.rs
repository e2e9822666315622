//! Activity detection: steps, walking bouts, calf raises, ankle pumps,
//! posture and sock wear from an ankle (lower-shank) sensor's stream.
//!
//! Streaming and bounded: [`ActivityDetector`] takes one [`ImuSample`] at a
//! time and hands out finished [`ActivityEvent`]s; its state is a fixed set
//! of filters and counters whatever the recording's length. It learns how
//! the sensor sits from gravity, and every filter takes the sample interval,
//! so any mount and any rate from 50 to 200 Hz work alike. [`detect`] runs
//! it over a file or a sync; [`Detection::to_scenario`] turns the result
//! into the pump model's timeline. `synth` (feature `synth`) generates
//! recordings with known answers. Methods and measured accuracy: `docs/activity-detection.md`.

mod ankle_pumps;
mod calf_raise;
mod csv_input;
mod detection;
mod detector;
mod events;
mod filters;
mod orientation;
mod posture;
mod sample;
mod sock;
mod steps;
#[cfg(feature = "synth")]
pub mod synth;
mod timeline;

pub use calf_raise::USEFUL_HOLD_S;
pub use csv_input::ImuCsvReader;
pub use detection::{Detection, DetectionBuilder, detect, event_start};
pub use detector::{ActivityDetector, DetectorConfig};
pub use events::{ActivityEvent, DetectedPosture};
pub use sample::ImuSample;
