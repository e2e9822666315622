//! A timeline of postures and activities: the model's input, from a
//! protocol, a JSON file, or the app's detected activity.
//!
//! ```json
//! {"person": {"height_cm": 170, "sex": "female"}, "valves": "competent",
//!  "compression_mmhg": 0,
//!  "timeline": [
//!    {"posture": "supine", "seconds": 600},
//!    {"posture": "sitting", "seconds": 3600},
//!    {"posture": "standing", "seconds": 300, "activity": {"kind": "walk", "speed_kmh": 4.5}},
//!    {"posture": "sitting", "seconds": 120, "activity": {"kind": "ankle_pumps", "rate_per_min": 30}, "repetitions": 20}
//!  ]}
//! ```

use serde::{Deserialize, Serialize};

use super::geometry::Person;
use super::inputs::{Activity, Posture, check_compression};
use super::model::Valves;
use crate::{Error, Result};

/// One stretch of the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// The posture held (walking and calf raises are done standing).
    #[serde(flatten)]
    pub posture: Posture,
    /// How long, s.
    pub seconds: f64,
    /// What works the calf during it, if anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<Activity>,
    /// Stop the activity after this many repetitions (the rest of the
    /// segment is still): a set of 20 calf raises inside a minute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repetitions: Option<u32>,
}

/// A person, their valves and garment, and what they do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    /// Whose legs.
    #[serde(default)]
    pub person: Person,
    /// Valve competence.
    #[serde(default)]
    pub valves: Valves,
    /// Compression garment pressure class (labelled ankle pressure), mmHg (0: none).
    #[serde(default)]
    pub compression_mmhg: f64,
    /// What happens, in order.
    pub timeline: Vec<Segment>,
}

impl Scenario {
    /// Parses a scenario from JSON and checks it.
    pub fn from_json(text: &str) -> Result<Self> {
        let scenario: Self =
            serde_json::from_str(text).map_err(|e| Error::invalid("scenario", e.to_string()))?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// Checks every value a user could get wrong.
    pub fn validate(&self) -> Result<()> {
        self.person.validate()?;
        check_compression(self.compression_mmhg)?;
        if self.timeline.is_empty() {
            return Err(Error::invalid("scenario", "the timeline is empty"));
        }
        let mut total = 0.0;
        for (index, segment) in self.timeline.iter().enumerate() {
            let at =
                |why: String| Error::invalid("scenario", format!("segment {}: {why}", index + 1));
            if !(segment.seconds.is_finite() && segment.seconds > 0.0) {
                return Err(at(format!(
                    "a segment lasts more than 0 s (got {})",
                    segment.seconds
                )));
            }
            total += segment.seconds;
            match segment.posture {
                Posture::LegsRaised { angle_deg }
                | Posture::SemiRecumbent {
                    trunk_deg: angle_deg,
                } if !(0.0..=90.0).contains(&angle_deg) => {
                    return Err(at(format!("angles are 0 to 90° (got {angle_deg})")));
                }
                _ => {}
            }
            if let Some(activity) = segment.activity {
                check_activity(&activity).map_err(at)?;
                if let Some(needed) = activity.posture()
                    && needed != segment.posture
                {
                    return Err(at(format!("{activity:?} is done standing")));
                }
            }
        }
        if total > 14.0 * 86_400.0 {
            return Err(Error::invalid("scenario", "it lasts more than 14 days"));
        }
        Ok(())
    }
}

fn check_activity(activity: &Activity) -> std::result::Result<(), String> {
    match *activity {
        Activity::Walk { speed_kmh } if !(0.5..=8.0).contains(&speed_kmh) => {
            Err(format!("walking speed is 0.5 to 8 km/h (got {speed_kmh})"))
        }
        Activity::CalfRaises {
            rate_per_min,
            hold_s,
        } if !(1.0..=40.0).contains(&rate_per_min) || !(0.0..=10.0).contains(&hold_s) => Err(
            format!("calf raises: 1–40 a minute, hold 0–10 s (got {rate_per_min}, {hold_s})"),
        ),
        Activity::CalfRaises {
            rate_per_min,
            hold_s,
        } if hold_s + 1.2 > 60.0 / rate_per_min => Err(format!(
            "a {hold_s} s hold does not fit {rate_per_min} raises a minute"
        )),
        Activity::AnklePumps { rate_per_min } if !(1.0..=90.0).contains(&rate_per_min) => {
            Err(format!("ankle pumps: 1–90 a minute (got {rate_per_min})"))
        }
        _ => Ok(()),
    }
}
