//! Where "up" is in the sensor's frame, whether the leg is still, and which
//! sensor axis runs along the shank, all learned from gravity so the sensor
//! may sit on the ankle any way round.

use super::filters::{LowPass, LowPass3, dot, norm, unit};

/// Standard gravity, m/s².
pub(crate) const STANDARD_GRAVITY: f64 = 9.80665;

/// Time constant of the gravity estimate, s: long enough to average out a
/// stride's accelerations, short enough to follow a change of posture.
const GRAVITY_TAU_S: f64 = 0.5;
/// Angular rate below which the leg counts as still, deg/s.
const STILL_RATE_DPS: f64 = 6.0;
/// Departure of |acc| from gravity below which the leg counts as still, m/s².
const STILL_ACC: f64 = 0.35;
/// Stillness needed before the long axis is first taken from gravity, s.
const FIRST_CALIBRATION_S: f64 = 2.0;
/// Stillness starting this soon after a walk is quiet standing, s.
const AFTER_WALK_S: f64 = 3.0;

/// The orientation state after a sample.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Orientation {
    /// Unit vector pointing up, in the sensor's frame.
    pub up: [f64; 3],
    /// Gravity's magnitude as this accelerometer reads it at rest, m/s².
    pub gravity: f64,
    /// How long the leg has been still, s (0 when moving).
    pub still_s: f64,
    /// Angle of the shank from vertical, degrees: 0 knee above ankle,
    /// 90 lying, above 90 the ankle is higher than the knee. `None` until
    /// the long axis is known.
    pub tilt_deg: Option<f64>,
}

/// Tracks gravity, stillness and the shank's long axis.
#[derive(Debug, Clone)]
pub(crate) struct OrientationTracker {
    gravity_vector: LowPass3,
    rate: LowPass,
    gravity: f64,
    still_s: f64,
    long_axis: Option<[f64; 3]>,
    fixed_axis: bool,
    /// Time since the last walking, s (`None`: no walk yet, or the stand
    /// after it was used).
    since_walk_s: Option<f64>,
}

impl OrientationTracker {
    /// A tracker; `long_axis` fixes the shank axis (unit vector from ankle
    /// to knee, in the sensor frame) when the mount is known.
    pub(crate) fn new(long_axis: Option<[f64; 3]>) -> Self {
        let long_axis = long_axis.and_then(unit);
        Self {
            gravity_vector: LowPass3::new(GRAVITY_TAU_S),
            rate: LowPass::new(0.1),
            gravity: STANDARD_GRAVITY,
            still_s: 0.0,
            fixed_axis: long_axis.is_some(),
            long_axis,
            since_walk_s: None,
        }
    }

    /// Feeds one sample; `walking` says whether a walking bout is under way.
    pub(crate) fn update(
        &mut self,
        acc: [f64; 3],
        gyr: [f64; 3],
        dt_s: f64,
        walking: bool,
    ) -> Orientation {
        let filtered = self.gravity_vector.update(acc, dt_s);
        let up = unit(filtered).unwrap_or([0.0, 0.0, 1.0]);
        let rate = self.rate.update(norm(gyr), dt_s);
        let still = rate < STILL_RATE_DPS && (norm(acc) - self.gravity).abs() < STILL_ACC;
        if still {
            self.still_s += dt_s;
            // The accelerometer's own reading of gravity (scale error).
            self.gravity += (norm(acc) - self.gravity) * (dt_s / 10.0).min(1.0);
        } else {
            self.still_s = 0.0;
        }
        if walking {
            self.since_walk_s = Some(0.0);
        } else if let Some(since) = &mut self.since_walk_s {
            *since += dt_s;
        }
        if !self.fixed_axis && self.still_s >= FIRST_CALIBRATION_S {
            let after_walk = self
                .since_walk_s
                .is_some_and(|since| since - self.still_s <= AFTER_WALK_S);
            if self.long_axis.is_none() || after_walk {
                // First stillness: assume the leg is upright (the sensor is
                // put on standing or sitting with the feet on the floor).
                // Stillness right after a walk: quiet standing, the shank
                // within a few degrees of vertical.
                self.long_axis = Some(up);
                self.since_walk_s = None;
            }
        }
        Orientation {
            up,
            gravity: self.gravity,
            still_s: self.still_s,
            tilt_deg: self
                .long_axis
                .map(|axis| dot(axis, up).clamp(-1.0, 1.0).acos().to_degrees()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_long_axis_comes_from_the_first_stillness_and_tilt_follows_the_leg() {
        let mut tracker = OrientationTracker::new(None);
        let mut last = None;
        // Upright and still (sensor's x along the shank, rotated mount).
        for _ in 0..300 {
            last = Some(tracker.update([9.81, 0.0, 0.0], [0.0; 3], 0.01, false));
        }
        assert!(last.and_then(|o| o.tilt_deg).expect("calibrated") < 1.0);
        // Lying down: gravity now along the sensor's z.
        for _ in 0..500 {
            last = Some(tracker.update([0.0, 0.0, 9.81], [0.0; 3], 0.01, false));
        }
        assert!((last.and_then(|o| o.tilt_deg).expect("calibrated") - 90.0).abs() < 1.0);
    }
}
