//! Detected activity as the pump model's timeline: what the calves did,
//! ready for `model run` and the sessions.

use super::{ActivityEvent, DetectedPosture, Detection};
use crate::pump::{Activity, Person, Posture, Scenario, Segment, Valves};
use crate::{Error, Result};

/// Stretches shorter than this are folded into their neighbours, s.
const SHORTEST_SEGMENT_S: f64 = 0.5;

/// One activity placed in time.
struct Placed {
    start_s: f64,
    end_s: f64,
    posture: Option<Posture>,
    activity: Activity,
    repetitions: Option<u32>,
}

impl Detection {
    /// The recording as a pump-model scenario for `person`.
    pub fn to_scenario(
        &self,
        person: Person,
        valves: Valves,
        compression_mmhg: f64,
    ) -> Result<Scenario> {
        if self.duration_s <= SHORTEST_SEGMENT_S {
            return Err(Error::invalid(
                "recording",
                "it is too short to make a timeline",
            ));
        }
        let activities = self.placed_activities();
        let mut timeline: Vec<Segment> = Vec::new();
        let mut t = 0.0;
        let mut next = activities.iter().peekable();
        while t < self.duration_s - 1e-9 {
            if let Some(placed) = next.next_if(|p| p.start_s <= t + 1e-9) {
                let end = placed.end_s.min(self.duration_s);
                if end > t {
                    push(
                        &mut timeline,
                        Segment {
                            posture: placed.posture.unwrap_or_else(|| self.posture_at(t)),
                            seconds: end - t,
                            activity: Some(placed.activity),
                            repetitions: placed.repetitions,
                        },
                    );
                    t = end;
                }
                continue;
            }
            let posture = self.posture_at(t);
            let until = [
                next.peek().map_or(self.duration_s, |p| p.start_s),
                self.posture_end(t),
            ]
            .into_iter()
            .fold(self.duration_s, f64::min);
            push(
                &mut timeline,
                Segment {
                    posture,
                    seconds: until - t,
                    activity: None,
                    repetitions: None,
                },
            );
            t = until;
        }
        let scenario = Scenario {
            person,
            valves,
            compression_mmhg,
            timeline,
        };
        scenario.validate()?;
        Ok(scenario)
    }

    fn placed_activities(&self) -> Vec<Placed> {
        let mut placed: Vec<Placed> = self
            .events
            .iter()
            .filter_map(|event| match *event {
                ActivityEvent::WalkingBout {
                    start_s,
                    end_s,
                    cadence_spm,
                    ..
                } => Some(Placed {
                    start_s,
                    end_s,
                    posture: Some(Posture::Standing),
                    activity: Activity::Walk {
                        speed_kmh: crate::pump::walking_speed_kmh(cadence_spm),
                    },
                    repetitions: None,
                }),
                ActivityEvent::CalfRaiseSet {
                    start_s,
                    end_s,
                    reps,
                    mean_hold_s,
                    ..
                } => {
                    let hold_s = mean_hold_s.clamp(0.0, 10.0);
                    let measured = 60.0 * f64::from(reps) / (end_s - start_s).max(1.0);
                    Some(Placed {
                        start_s,
                        end_s,
                        posture: Some(Posture::Standing),
                        activity: Activity::CalfRaises {
                            rate_per_min: measured.min(60.0 / (hold_s + 1.3)).clamp(1.0, 40.0),
                            hold_s,
                        },
                        repetitions: Some(reps),
                    })
                }
                ActivityEvent::AnklePumpSet {
                    start_s,
                    end_s,
                    count,
                    rate_per_min,
                    ..
                } => Some(Placed {
                    start_s,
                    end_s,
                    posture: None,
                    activity: Activity::AnklePumps {
                        rate_per_min: rate_per_min.clamp(1.0, 90.0),
                    },
                    repetitions: Some(count),
                }),
                _ => None,
            })
            .collect();
        placed.sort_by(|a, b| a.start_s.total_cmp(&b.start_s));
        // Overlaps (a set detected inside a bout's tail) go to the earlier.
        let mut end = f64::NEG_INFINITY;
        for p in &mut placed {
            p.start_s = p.start_s.max(end).max(0.0);
            p.end_s = p.end_s.max(p.start_s);
            end = p.end_s;
        }
        placed.retain(|p| p.end_s - p.start_s >= SHORTEST_SEGMENT_S);
        placed
    }

    /// The posture detected at `t_s` (before the first stretch: its posture).
    fn posture_at(&self, t_s: f64) -> Posture {
        let stretch = self
            .posture
            .iter()
            .rev()
            .find(|e| matches!(e, ActivityEvent::Posture { start_s, .. } if *start_s <= t_s))
            .or(self.posture.first());
        match stretch {
            Some(ActivityEvent::Posture { posture, .. }) => model_posture(*posture),
            _ => Posture::Sitting,
        }
    }

    /// When the posture stretch holding `t_s` ends.
    fn posture_end(&self, t_s: f64) -> f64 {
        self.posture
            .iter()
            .filter_map(|e| match *e {
                ActivityEvent::Posture { start_s, .. } if start_s > t_s + 1e-9 => Some(start_s),
                ActivityEvent::Posture { end_s, .. } if end_s > t_s + 1e-9 => Some(end_s),
                _ => None,
            })
            .fold(self.duration_s, f64::min)
    }
}

fn model_posture(posture: DetectedPosture) -> Posture {
    match posture {
        DetectedPosture::Standing => Posture::Standing,
        DetectedPosture::Sitting => Posture::Sitting,
        DetectedPosture::Lying => Posture::Supine,
        DetectedPosture::LegsRaised { angle_deg } => Posture::LegsRaised {
            angle_deg: angle_deg.clamp(0.0, 90.0),
        },
    }
}

/// Appends a segment, merging it into the last when they match and folding
/// slivers into the one before.
fn push(timeline: &mut Vec<Segment>, segment: Segment) {
    if let Some(last) = timeline.last_mut() {
        let same = last.posture == segment.posture
            && last.activity.is_none()
            && segment.activity.is_none();
        if same || (segment.seconds < SHORTEST_SEGMENT_S && segment.activity.is_none()) {
            last.seconds += segment.seconds;
            return;
        }
    }
    timeline.push(segment);
}
