//! What the user does: postures, and the calf contractions of activities.

use serde::{Deserialize, Serialize};

/// Body posture.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "posture", rename_all = "snake_case")]
pub enum Posture {
    /// Lying flat.
    Supine,
    /// Sitting upright, feet on the floor.
    Sitting,
    /// Standing.
    Standing,
    /// Lying with the legs raised straight at an angle.
    LegsRaised {
        /// Angle of the legs above horizontal, degrees.
        angle_deg: f64,
    },
    /// Half sitting in bed: trunk raised, legs flat.
    SemiRecumbent {
        /// Angle of the trunk above horizontal, degrees.
        trunk_deg: f64,
    },
}

impl Posture {
    /// Whether the legs hang below the heart (sitting or standing).
    pub fn dependent(&self) -> bool {
        matches!(self, Self::Sitting | Self::Standing)
    }
}

/// Something that works the calf muscle.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Activity {
    /// Walking (standing posture).
    Walk {
        /// Speed, km/h.
        speed_kmh: f64,
    },
    /// Rising on tiptoe (calf raises), standing.
    CalfRaises {
        /// Repetitions a minute.
        rate_per_min: f64,
        /// Hold at the top, s.
        hold_s: f64,
    },
    /// Pulling the foot up and pushing it down (seated or lying).
    AnklePumps {
        /// Repetitions a minute.
        rate_per_min: f64,
    },
}

/// One calf contraction: intramuscular pressure over time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Contraction {
    /// Peak intramuscular pressure on the deep veins, mmHg.
    pub peak_mmhg: f64,
    /// Rise (and fall) time, s.
    pub ramp_s: f64,
    /// Time held at the peak, s.
    pub hold_s: f64,
}

impl Contraction {
    /// How long the contraction lasts.
    pub fn duration(&self) -> f64 {
        2.0 * self.ramp_s + self.hold_s
    }

    /// Whether the pressure holds at its peak from `from` to `to` seconds
    /// into the contraction.
    pub fn holds_between(&self, from: f64, to: f64) -> bool {
        const SLACK: f64 = 1e-9;
        self.hold_s > 0.0 && from >= self.ramp_s - SLACK && to <= self.ramp_s + self.hold_s + SLACK
    }

    /// Pressure at `t` seconds into the contraction (smooth ramps).
    pub fn pressure(&self, t: f64) -> f64 {
        let ramp = |x: f64| {
            let s = (x / self.ramp_s).clamp(0.0, 1.0);
            self.peak_mmhg * (std::f64::consts::FRAC_PI_2 * s).sin().powi(2)
        };
        if t < 0.0 || t > self.duration() {
            0.0
        } else if t < self.ramp_s {
            ramp(t)
        } else if t <= self.ramp_s + self.hold_s {
            self.peak_mmhg
        } else {
            ramp(self.duration() - t)
        }
    }
}

/// Steps a minute (both legs) at a walking speed: cadence rises about 10
/// steps/min per km/h over 3–7 km/h (Grieve & Gear, Ergonomics 1966;9:379;
/// Tudor-Locke et al. 2019: 100 steps/min ≈ 4.5 km/h).
pub fn walking_cadence(speed_kmh: f64) -> f64 {
    (60.0 + 10.0 * speed_kmh).clamp(60.0, 180.0)
}

/// The walking speed, km/h, of a cadence (steps a minute, both legs):
/// [`walking_cadence`] inverted, kept within 0.5–8 km/h (a stroll to a
/// brisk walk), as walks measured by their steps are run through the model.
pub fn walking_speed_kmh(cadence_spm: f64) -> f64 {
    ((cadence_spm - 60.0) / 10.0).clamp(0.5, 8.0)
}

/// A pump is a brisk movement: it lasts half of this period (about a
/// second) however long the pause after it. Slow rates space pumps out,
/// they do not slow them down.
const BRISK_PUMP_PERIOD_S: f64 = 2.0;

/// Checks a garment's ankle pressure.
pub fn check_compression(mmhg: f64) -> crate::Result<()> {
    if (0.0..=60.0).contains(&mmhg) {
        Ok(())
    } else {
        Err(crate::Error::invalid(
            "compression",
            format!("garments press 0 to 60 mmHg at the ankle (got {mmhg})"),
        ))
    }
}

/// Peak squeeze on the deep veins walking at 4 km/h, mmHg: within the
/// 100–200 mmHg of the deep calf veins in walking (Arnoldi 1965; Ludbrook
/// 1966) and below the soleus's mean intramuscular peak of 181 mmHg
/// (Ballard et al., J Appl Physiol 1998;84:1976).
const WALK_SQUEEZE_MMHG: f64 = 140.0;

/// How much that squeeze grows per km/h, relative to 4 km/h. Intramuscular
/// pressure follows the muscle's force, linearly (Ballard et al. 1998), and
/// the peak ankle plantarflexor moment rises only modestly with walking
/// speed while push-off power rises steeply (Winter 1983; Lelas et al.,
/// Gait Posture 2003;17:106); the soleus, round the soleal sinuses, works
/// alike at every walking speed (Cronin et al., J Exp Biol 2013;216:909).
const WALK_SQUEEZE_RISE: f64 = 0.05;

/// Stride length at 4 km/h and 100 steps a minute, m.
const REFERENCE_STRIDE_M: f64 = 1.33;

/// The fastest pace of calf raises or ankle pumps the model takes,
/// repetitions a minute (one every half second); a faster one is taken as
/// this, and a session counts no more pumps than this a minute.
pub const FASTEST_EXERCISE_PER_MIN: f64 = 120.0;

impl Activity {
    /// Seconds between two contractions of one calf.
    pub fn period_s(&self) -> f64 {
        match *self {
            // Each calf contracts once a stride, that is every second step.
            Self::Walk { speed_kmh } => 2.0 * 60.0 / walking_cadence(speed_kmh),
            Self::CalfRaises { rate_per_min, .. } | Self::AnklePumps { rate_per_min } => {
                60.0 / rate_per_min.clamp(1.0, FASTEST_EXERCISE_PER_MIN)
            }
        }
    }

    /// The contraction of one cycle.
    ///
    /// Peak pressures: deep calf veins reach 100–200 mmHg in walking and
    /// about 200 mmHg rising on tiptoe (Arnoldi, Acta Chir Scand
    /// 1965;130:570; Ludbrook, Am Heart J 1966;71:635); seated ankle
    /// movements press far less (intramuscular pressure about 60 mmHg).
    pub fn contraction(&self) -> Contraction {
        let period = self.period_s();
        match *self {
            Self::Walk { speed_kmh } => Contraction {
                peak_mmhg: (WALK_SQUEEZE_MMHG * (1.0 + WALK_SQUEEZE_RISE * (speed_kmh - 4.0)))
                    .clamp(80.0, 200.0),
                // Push-off plantarflexion: about 35 % of the stride.
                ramp_s: 0.175 * period,
                hold_s: 0.0,
            },
            Self::CalfRaises { hold_s, .. } => Contraction {
                peak_mmhg: 200.0,
                ramp_s: 0.6,
                hold_s: hold_s.clamp(0.0, 10.0),
            },
            Self::AnklePumps { .. } => Contraction {
                peak_mmhg: 60.0,
                ramp_s: 0.25 * period.min(BRISK_PUMP_PERIOD_S),
                hold_s: 0.0,
            },
        }
    }

    /// The calf's work rate over a bout, in 100 mmHg·excursions a second:
    /// force (peak pressure per 100 mmHg) × how far the calf shortens
    /// (one full excursion for a raise or a pump; for a step, the ankle's
    /// push-off grows with stride length, relative to a 1.33 m stride at
    /// 4 km/h) × contractions a second. Work rate in walking thus goes as
    /// force × speed, as ankle push-off power does (Winter 1983).
    pub fn work_rate(&self) -> f64 {
        let excursion = match *self {
            Self::Walk { speed_kmh } => {
                let stride_m = speed_kmh / 3.6 * self.period_s();
                stride_m / REFERENCE_STRIDE_M
            }
            Self::CalfRaises { .. } | Self::AnklePumps { .. } => 1.0,
        };
        self.contraction().peak_mmhg / 100.0 * excursion / self.period_s()
    }

    /// The posture the activity is done in, if it imposes one.
    pub fn posture(&self) -> Option<Posture> {
        match self {
            Self::Walk { .. } | Self::CalfRaises { .. } => Some(Posture::Standing),
            Self::AnklePumps { .. } => None,
        }
    }

    /// Steps counted per cycle of one calf (walking: 2; exercises: 0).
    pub fn steps_per_cycle(&self) -> u32 {
        match self {
            Self::Walk { .. } => 2,
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slow_ankle_pumps_are_spaced_out_not_slowed_down() {
        let brisk = Activity::AnklePumps { rate_per_min: 30.0 }.contraction();
        let spaced = Activity::AnklePumps { rate_per_min: 2.0 }.contraction();
        assert_eq!(spaced, brisk);
        assert!((brisk.ramp_s - 0.5).abs() < 1e-12, "{brisk:?}");
        let fast = Activity::AnklePumps { rate_per_min: 60.0 }.contraction();
        assert!(fast.ramp_s < brisk.ramp_s, "{fast:?}");
    }

    #[test]
    fn a_raise_holds_its_peak_between_the_ramps_and_a_stride_never_does() {
        let raise = Activity::CalfRaises {
            rate_per_min: 15.0,
            hold_s: 1.0,
        }
        .contraction();
        let (ramp, hold) = (raise.ramp_s, raise.hold_s);
        assert!(raise.holds_between(ramp, ramp + hold));
        assert!(raise.holds_between(ramp + 0.2, ramp + 0.7));
        assert!(!raise.holds_between(ramp - 0.1, ramp + 0.5), "the rise");
        assert!(
            !raise.holds_between(ramp + 0.5, ramp + hold + 0.1),
            "the fall"
        );
        for t in [ramp, ramp + 0.5, ramp + hold] {
            assert_eq!(raise.pressure(t), raise.peak_mmhg);
        }
        let stride = Activity::Walk { speed_kmh: 4.5 }.contraction();
        assert!(!stride.holds_between(stride.ramp_s, stride.ramp_s));
    }
}
