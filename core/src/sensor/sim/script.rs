//! Day scripts: what the wearer did, minute by minute, for the simulated
//! sensor to record.
//!
//! A script is JSON (see docs/sensor-protocol.md, "Simulated sensor"):
//!
//! ```json
//! {"start": "2026-11-21T06:00:00Z", "sock_pressure_mmhg": 18,
//!  "segments": [{"activity": "walking", "minutes": 30, "cadence_spm": 110},
//!               {"activity": "flight", "hours": 12, "walk_every_min": 60}]}
//! ```

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::sensor::gatt::{ExerciseKind, Posture};
use crate::{Error, Result};

fn default_cadence() -> u32 {
    110
}
fn default_hold() -> f64 {
    1.0
}
fn default_pump_rate() -> u32 {
    30
}
fn default_sock() -> u8 {
    18
}

/// The longest a day script may last: 14 days.
const MAX_SCRIPT_MINUTES: u32 = 14 * 24 * 60;

/// One stretch of the day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "activity", rename_all = "snake_case", deny_unknown_fields)]
pub enum Segment {
    /// Lying flat.
    Lying {
        /// How long.
        minutes: u32,
    },
    /// Sitting still.
    Sitting {
        /// How long.
        minutes: u32,
    },
    /// Standing still.
    Standing {
        /// How long.
        minutes: u32,
    },
    /// Lying with the legs raised.
    LegsRaised {
        /// How long.
        minutes: u32,
    },
    /// Walking.
    Walking {
        /// How long.
        minutes: u32,
        /// Steps a minute (both legs).
        #[serde(default = "default_cadence")]
        cadence_spm: u32,
    },
    /// A set of calf raises, about 2 s a rep plus the hold.
    CalfRaises {
        /// Repetitions.
        reps: u8,
        /// Hold at the top, s.
        #[serde(default = "default_hold")]
        hold_s: f64,
    },
    /// A set of seated ankle pumps.
    AnklePumps {
        /// Repetitions.
        reps: u8,
        /// Repetitions a minute.
        #[serde(default = "default_pump_rate")]
        rate_per_min: u32,
    },
    /// A flight: sitting, with a short walk and ankle pumps at intervals.
    Flight {
        /// Duration, hours.
        hours: f64,
        /// Minutes between 5-minute walks in the aisle (none if absent).
        #[serde(default)]
        walk_every_min: Option<u32>,
        /// Minutes between sets of 20 ankle pumps (none if absent).
        #[serde(default)]
        ankle_pumps_every_min: Option<u32>,
    },
}

impl Segment {
    /// How long the segment lasts, minutes: a calf raise about 2 s plus
    /// its hold, a pump at its pace, a flight its whole rounded minutes.
    fn minutes(&self) -> f64 {
        match *self {
            Self::Lying { minutes }
            | Self::Sitting { minutes }
            | Self::Standing { minutes }
            | Self::LegsRaised { minutes }
            | Self::Walking { minutes, .. } => f64::from(minutes),
            Self::CalfRaises { reps, hold_s } => f64::from(reps) * (2.0 + hold_s) / 60.0,
            Self::AnklePumps { reps, rate_per_min } => {
                f64::from(reps) / f64::from(rate_per_min.max(1))
            }
            Self::Flight { hours, .. } => (hours.max(0.0) * 60.0).round(),
        }
    }
}

/// What the wearer did, from `start`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayScript {
    /// When the script begins (UTC).
    pub start: DateTime<Utc>,
    /// Sock pressure at the ankle when standing, mmHg; 0 for no sock.
    #[serde(default = "default_sock")]
    pub sock_pressure_mmhg: u8,
    /// The stretches, in order.
    pub segments: Vec<Segment>,
}

/// What the wearer is doing over a span of true time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Activity {
    /// Holding a posture (walking included, with its cadence).
    Posture {
        /// The posture.
        posture: Posture,
        /// Steps a minute, for walking.
        cadence_spm: u32,
    },
    /// An exercise set.
    Exercise {
        /// Which.
        kind: ExerciseKind,
        /// Repetitions.
        reps: u8,
        /// Hold at the top, s.
        hold_s: f64,
    },
}

/// A span of the expanded script, true UTC milliseconds, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Span {
    /// Start, Unix ms.
    pub start_ms: i64,
    /// End, Unix ms.
    pub end_ms: i64,
    /// What happens.
    pub activity: Activity,
}

impl DayScript {
    /// Parses a script from JSON, checking it.
    pub fn from_json(text: &str) -> Result<Self> {
        let script: Self =
            serde_json::from_str(text).map_err(|e| Error::invalid("day script", e.to_string()))?;
        if script.segments.is_empty() {
            return Err(Error::invalid("day script", "it has no segments"));
        }
        for segment in &script.segments {
            match *segment {
                Segment::CalfRaises { hold_s, .. } if !(0.0..=60.0).contains(&hold_s) => {
                    return Err(Error::invalid(
                        "day script",
                        format!("a calf raise's hold is 0–60 s (got {hold_s})"),
                    ));
                }
                Segment::Flight { hours, .. } if hours.is_nan() || hours < 0.0 => {
                    return Err(Error::invalid(
                        "day script",
                        format!("a flight lasts 0 hours or more (got {hours})"),
                    ));
                }
                _ => {}
            }
        }
        // Checked before the segments are laid out minute by minute.
        if script.declared_minutes() > f64::from(MAX_SCRIPT_MINUTES) {
            return Err(Error::invalid("day script", "it lasts more than 14 days"));
        }
        let total_ms = script
            .spans()
            .last()
            .map_or(0, |s| s.end_ms - script.start.timestamp_millis());
        if total_ms > i64::from(MAX_SCRIPT_MINUTES) * 60_000 {
            return Err(Error::invalid("day script", "it lasts more than 14 days"));
        }
        Ok(script)
    }

    /// The minutes the segments say they last (checked finite and not
    /// negative first), before they are laid out minute by minute.
    fn declared_minutes(&self) -> f64 {
        self.segments.iter().map(Segment::minutes).sum()
    }

    /// A typical day: sleep, walks, a desk, exercises, an evening on the sofa.
    pub fn typical_day(start: DateTime<Utc>) -> Self {
        use Segment::*;
        Self {
            start,
            sock_pressure_mmhg: 18,
            segments: vec![
                Lying { minutes: 60 },
                Walking {
                    minutes: 25,
                    cadence_spm: 112,
                },
                Sitting { minutes: 120 },
                CalfRaises {
                    reps: 20,
                    hold_s: 1.0,
                },
                Sitting { minutes: 120 },
                Walking {
                    minutes: 20,
                    cadence_spm: 108,
                },
                Standing { minutes: 15 },
                Sitting { minutes: 150 },
                AnklePumps {
                    reps: 30,
                    rate_per_min: 30,
                },
                Sitting { minutes: 90 },
                Walking {
                    minutes: 40,
                    cadence_spm: 115,
                },
                LegsRaised { minutes: 20 },
                CalfRaises {
                    reps: 20,
                    hold_s: 1.0,
                },
                Sitting { minutes: 150 },
                Lying { minutes: 120 },
            ],
        }
    }

    /// A long flight with a walk every hour and ankle pumps every 30 min.
    pub fn long_flight(start: DateTime<Utc>, hours: f64) -> Self {
        Self {
            start,
            sock_pressure_mmhg: 18,
            segments: vec![
                Segment::Walking {
                    minutes: 15,
                    cadence_spm: 105,
                },
                Segment::Flight {
                    hours,
                    walk_every_min: Some(60),
                    ankle_pumps_every_min: Some(30),
                },
                Segment::Walking {
                    minutes: 15,
                    cadence_spm: 105,
                },
            ],
        }
    }

    /// When the script ends.
    pub fn end(&self) -> DateTime<Utc> {
        self.spans()
            .last()
            .and_then(|s| DateTime::from_timestamp_millis(s.end_ms))
            .unwrap_or(self.start)
    }

    /// The script as consecutive spans of true time.
    pub fn spans(&self) -> Vec<Span> {
        let mut spans = Vec::new();
        let mut at = self.start.timestamp_millis();
        let mut push = |minutes: f64, activity: Activity, at: &mut i64| {
            let end = at.saturating_add((minutes * 60_000.0).round() as i64);
            if end > *at {
                spans.push(Span {
                    start_ms: *at,
                    end_ms: end,
                    activity,
                });
            }
            *at = end;
        };
        let still = |posture| Activity::Posture {
            posture,
            cadence_spm: 0,
        };
        for segment in &self.segments {
            match *segment {
                Segment::Lying { .. } => push(segment.minutes(), still(Posture::Lying), &mut at),
                Segment::Sitting { .. } => {
                    push(segment.minutes(), still(Posture::Sitting), &mut at)
                }
                Segment::Standing { .. } => {
                    push(segment.minutes(), still(Posture::Standing), &mut at)
                }
                Segment::LegsRaised { .. } => {
                    push(segment.minutes(), still(Posture::LegsRaised), &mut at)
                }
                Segment::Walking { cadence_spm, .. } => push(
                    segment.minutes(),
                    Activity::Posture {
                        posture: Posture::Walking,
                        cadence_spm,
                    },
                    &mut at,
                ),
                Segment::CalfRaises { reps, hold_s } => push(
                    segment.minutes(),
                    Activity::Exercise {
                        kind: ExerciseKind::CalfRaises,
                        reps,
                        hold_s,
                    },
                    &mut at,
                ),
                Segment::AnklePumps { reps, .. } => push(
                    segment.minutes(),
                    Activity::Exercise {
                        kind: ExerciseKind::AnklePumps,
                        reps,
                        hold_s: 0.0,
                    },
                    &mut at,
                ),
                Segment::Flight {
                    walk_every_min,
                    ankle_pumps_every_min,
                    ..
                } => {
                    let end = at.saturating_add((segment.minutes() * 60_000.0).round() as i64);
                    let mut minute = 0u32;
                    while at < end {
                        let walk = walk_every_min
                            .is_some_and(|n| n > 0 && minute > 0 && minute.is_multiple_of(n));
                        let pumps = ankle_pumps_every_min
                            .is_some_and(|n| n > 0 && minute > 0 && minute.is_multiple_of(n));
                        if walk {
                            push(
                                5.0,
                                Activity::Posture {
                                    posture: Posture::Walking,
                                    cadence_spm: 90,
                                },
                                &mut at,
                            );
                            minute += 5;
                        } else if pumps {
                            push(
                                1.0,
                                Activity::Exercise {
                                    kind: ExerciseKind::AnklePumps,
                                    reps: 20,
                                    hold_s: 0.0,
                                },
                                &mut at,
                            );
                            minute += 1;
                        } else {
                            push(1.0, still(Posture::Sitting), &mut at);
                            minute += 1;
                        }
                    }
                }
            }
        }
        spans
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_parse_from_json_and_expand_in_order() {
        let script = DayScript::from_json(
            r#"{"start":"2026-11-21T06:00:00Z","segments":[
                {"activity":"walking","minutes":30},
                {"activity":"calf_raises","reps":20},
                {"activity":"flight","hours":2,"walk_every_min":60}]}"#,
        )
        .expect("valid script");
        let spans = script.spans();
        assert_eq!(spans[0].end_ms - spans[0].start_ms, 30 * 60_000);
        assert!(matches!(
            spans[1].activity,
            Activity::Exercise { reps: 20, .. }
        ));
        let flight_ms: i64 = spans[2..].iter().map(|s| s.end_ms - s.start_ms).sum();
        assert_eq!(flight_ms, 2 * 3_600_000);
        assert!(spans.windows(2).all(|w| w[0].end_ms == w[1].start_ms));
    }

    #[test]
    fn bad_scripts_are_typed_errors() {
        assert!(DayScript::from_json("{}").is_err());
        assert!(DayScript::from_json(r#"{"start":"2026-11-21T06:00:00Z","segments":[]}"#).is_err());
        assert!(
            DayScript::from_json(
                r#"{"start":"2026-11-21T06:00:00Z","segments":[{"activity":"flying","minutes":3}]}"#
            )
            .is_err()
        );
    }

    #[test]
    fn endless_or_negative_segments_are_refused_before_they_are_laid_out() {
        let script = |segment: &str| {
            DayScript::from_json(&format!(
                r#"{{"start":"2026-11-21T06:00:00Z","segments":[{segment}]}}"#
            ))
        };
        for segment in [
            r#"{"activity":"flight","hours":1e300}"#,
            r#"{"activity":"flight","hours":-3}"#,
            r#"{"activity":"sitting","minutes":4000000000}"#,
            r#"{"activity":"calf_raises","reps":20,"hold_s":-1e300}"#,
            r#"{"activity":"calf_raises","reps":20,"hold_s":1e9}"#,
        ] {
            let refused = script(segment).expect_err(segment);
            assert!(refused.to_string().contains("day script"), "{refused}");
        }
        assert!(script(r#"{"activity":"flight","hours":11.5}"#).is_ok());
    }
}
