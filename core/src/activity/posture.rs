//! Posture from the shank's tilt, with walking as context.
//!
//! The shank alone tells lying (about level), legs raised (the ankle above
//! the knee) and upright apart by its angle to gravity. Upright it cannot
//! tell sitting from standing by angle alone (a seated shank is upright
//! too), so it uses what happened around: the minute after walking or calf
//! raises is standing, a shank sloping forward more than 25° is seated, and
//! otherwise the leg's postural sway decides (standing sways at the ankle;
//! a seated leg is quieter). Those guesses carry a lower confidence.

use super::filters::LowPass;
use super::{ActivityEvent, DetectedPosture};

/// A candidate posture must hold this long to start a new stretch, s.
const SETTLE_S: f64 = 5.0;
/// Upright below this tilt, degrees.
const UPRIGHT_MAX_DEG: f64 = 25.0;
/// Seated with the legs forward up to this tilt, degrees.
const SEATED_MAX_DEG: f64 = 65.0;
/// Lying up to this tilt; beyond it the ankle is clearly above the knee.
const LEVEL_MAX_DEG: f64 = 100.0;
/// Upright within this time of walking or calf raises counts as standing, s.
const AFTER_WALKING_S: f64 = 60.0;
/// Smoothing of the angular rate that measures sway, s.
const SWAY_TAU_S: f64 = 3.0;
/// Postural sway that marks standing, deg/s (smoothed angular rate).
const STANDING_SWAY_DPS: f64 = 1.2;

#[derive(Debug, Clone, Copy)]
struct Stretch {
    start_s: f64,
    posture: DetectedPosture,
    confidence_sum: f64,
    samples: u32,
}

#[derive(Debug, Clone, Copy)]
struct Candidate {
    since_s: f64,
    posture: DetectedPosture,
}

/// Turns tilt into stretches of posture.
#[derive(Debug, Clone)]
pub(crate) struct PostureTracker {
    sway: LowPass,
    last_upright_activity_s: f64,
    current: Option<Stretch>,
    candidate: Option<Candidate>,
    last_t_s: f64,
}

impl PostureTracker {
    pub(crate) fn new() -> Self {
        Self {
            sway: LowPass::new(SWAY_TAU_S),
            last_upright_activity_s: f64::NEG_INFINITY,
            current: None,
            candidate: None,
            last_t_s: 0.0,
        }
    }

    /// Feeds one sample: `tilt_deg` from the orientation tracker (`None`
    /// before it knows the long axis), `rate_dps` the angular rate,
    /// `active_upright` true while walking or doing calf raises.
    pub(crate) fn update(
        &mut self,
        t_s: f64,
        tilt_deg: Option<f64>,
        rate_dps: f64,
        dt_s: f64,
        active_upright: bool,
        out: &mut Vec<ActivityEvent>,
    ) {
        self.last_t_s = t_s;
        // Sway is measured on quiet stretches; big movements don't count.
        let sway = self.sway.update(rate_dps.min(10.0), dt_s);
        if active_upright {
            self.last_upright_activity_s = t_s;
        }
        let Some(tilt) = tilt_deg else { return };
        let (posture, confidence) = self.classify(t_s, tilt, sway, active_upright);
        match &mut self.current {
            None => {
                self.current = Some(Stretch {
                    start_s: t_s,
                    posture,
                    confidence_sum: confidence,
                    samples: 1,
                });
            }
            Some(stretch) if same(stretch.posture, posture) => {
                stretch.confidence_sum += confidence;
                stretch.samples += 1;
                if let DetectedPosture::LegsRaised { angle_deg } = &mut stretch.posture
                    && let DetectedPosture::LegsRaised { angle_deg: now } = posture
                {
                    // Running mean of the angle over the stretch.
                    *angle_deg += (now - *angle_deg) / f64::from(stretch.samples);
                }
                self.candidate = None;
            }
            Some(_) => {
                let candidate = match self.candidate {
                    Some(c) if same(c.posture, posture) => c,
                    _ => Candidate {
                        since_s: t_s,
                        posture,
                    },
                };
                self.candidate = Some(candidate);
                // Walking switches at once (the steps prove it).
                if active_upright || t_s - candidate.since_s >= SETTLE_S {
                    self.close(candidate.since_s, out);
                    self.current = Some(Stretch {
                        start_s: candidate.since_s,
                        posture,
                        confidence_sum: confidence,
                        samples: 1,
                    });
                    self.candidate = None;
                }
            }
        }
    }

    fn classify(
        &self,
        t_s: f64,
        tilt: f64,
        sway: f64,
        active_upright: bool,
    ) -> (DetectedPosture, f64) {
        if active_upright {
            // Steps and calf raises are done on the feet, however the
            // swinging shank tilts.
            return (DetectedPosture::Standing, 0.95);
        }
        if tilt > LEVEL_MAX_DEG {
            let angle_deg = (tilt - 90.0).min(90.0);
            return (DetectedPosture::LegsRaised { angle_deg }, 0.85);
        }
        if tilt > SEATED_MAX_DEG {
            return (DetectedPosture::Lying, 0.8);
        }
        if tilt > UPRIGHT_MAX_DEG {
            return (DetectedPosture::Sitting, 0.8);
        }
        if t_s - self.last_upright_activity_s <= AFTER_WALKING_S {
            (DetectedPosture::Standing, 0.7)
        } else if sway >= STANDING_SWAY_DPS {
            (DetectedPosture::Standing, 0.55)
        } else {
            (DetectedPosture::Sitting, 0.6)
        }
    }

    /// Ends the stretch under way at `end_s`.
    pub(crate) fn close(&mut self, end_s: f64, out: &mut Vec<ActivityEvent>) {
        if let Some(stretch) = self.current.take()
            && end_s > stretch.start_s
        {
            out.push(ActivityEvent::Posture {
                start_s: stretch.start_s,
                end_s,
                posture: stretch.posture,
                confidence: stretch.confidence_sum / f64::from(stretch.samples),
            });
        }
    }

    /// Ends the stretch under way at the last sample, as the recording
    /// ends or pauses (a gap: the sensor was off, and what the leg did
    /// then is not known), and forgets what led up to it.
    pub(crate) fn pause(&mut self, out: &mut Vec<ActivityEvent>) {
        self.close(self.last_t_s, out);
        self.candidate = None;
        self.sway = LowPass::new(SWAY_TAU_S);
    }
}

/// Same posture, whatever the legs-raised angle.
fn same(a: DetectedPosture, b: DetectedPosture) -> bool {
    std::mem::discriminant(&a) == std::mem::discriminant(&b)
}
