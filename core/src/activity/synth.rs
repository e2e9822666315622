//! Synthetic ankle-sensor recordings with known answers, for the
//! activities public data lacks (calf raises, ankle pumps, postures) and
//! for benchmarks.
//!
//! The physics, per sample: the shank is a rigid segment whose sagittal
//! angle φ (0 upright, positive with the knee ahead of the ankle, 90° level,
//! beyond 90° the ankle above the knee) and whose ankle acceleration `a`
//! follow the activity. The accelerometer reads the specific force
//! `a − g` turned into the shank's frame, the gyroscope reads φ̇ about the
//! lateral axis; both are then turned by the sensor's mount rotation and get
//! white noise and a constant gyro bias. Activities:
//!
//! - **Walking**: a stride of T = 120/cadence s (cadence from speed as in
//!   the pump model); φ rises from −18° at heel strike to +25° through
//!   stance (60 % of T), to +50° at toe-off and swings back to −18° in the
//!   last 30 %, on cycloid ramps (peak rate twice the mean: ≈ 350 deg/s at
//!   4.5 km/h, as measured on shanks). The ankle moves forward one stride
//!   length during swing and lifts 8 cm; heel strike adds a 0.04 s impact
//!   of 2 g.
//! - **Calf raises**: the ankle rises 6 cm in 0.6 s on a cycloid, holds,
//!   comes down in 0.6 s; the shank leans 3° forward at the top, and sways
//!   (balance on the forefoot) during the hold.
//! - **Ankle pumps**: heel-pivot pumps rock the shank by ±2.5° at the pump
//!   rate (the ankle joint moves on an arc 6 cm from the heel).
//! - **Standing**: postural sway of ±0.8° at 0.3 and 0.7 Hz.
//! - **Sitting**: the shank still at its tilt, with a fidget (an 8° shift
//!   and back in 1 s) every 90 s.
//! - **Lying / legs raised**: the shank level or at 90° + the raise angle.
//!
//! Sock pressure, when asked for, reads the sock's class plus 8 mmHg while
//! standing (the calf fills) and +12 mmHg at each calf contraction.

use std::f64::consts::PI;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::ImuSample;
use super::orientation::STANDARD_GRAVITY;
use crate::pump::walking_cadence;

/// One stretch of a synthetic recording.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SynthPart {
    /// Quiet standing.
    Stand {
        /// How long, s.
        seconds: f64,
    },
    /// Sitting, the shank at `tilt_deg` from vertical.
    Sit {
        /// How long, s.
        seconds: f64,
        /// Shank tilt, degrees (10 feet under the knee, 40 legs forward).
        tilt_deg: f64,
    },
    /// Lying flat.
    Lie {
        /// How long, s.
        seconds: f64,
    },
    /// Lying with the legs raised.
    LegsRaised {
        /// How long, s.
        seconds: f64,
        /// Angle above horizontal, degrees.
        angle_deg: f64,
    },
    /// Walking.
    Walk {
        /// Strides of the leg wearing the sensor.
        strides: u32,
        /// Speed, km/h.
        speed_kmh: f64,
    },
    /// A set of calf raises, standing.
    CalfRaises {
        /// Repetitions.
        reps: u32,
        /// Hold at the top, s.
        hold_s: f64,
        /// Rest at the bottom between raises, s.
        rest_s: f64,
    },
    /// A set of ankle pumps, seated.
    AnklePumps {
        /// Pumps.
        count: u32,
        /// Pumps a minute.
        rate_per_min: f64,
    },
}

impl SynthPart {
    /// How long the part lasts, s.
    pub fn seconds(&self) -> f64 {
        match *self {
            Self::Stand { seconds }
            | Self::Sit { seconds, .. }
            | Self::Lie { seconds }
            | Self::LegsRaised { seconds, .. } => seconds,
            Self::Walk { strides, speed_kmh } => f64::from(strides) * stride_s(speed_kmh),
            Self::CalfRaises {
                reps,
                hold_s,
                rest_s,
            } => f64::from(reps) * (2.0 * RAISE_MOVE_S + hold_s + rest_s),
            Self::AnklePumps {
                count,
                rate_per_min,
            } => f64::from(count) * 60.0 / rate_per_min,
        }
    }
}

/// How the synthetic sensor is worn and how good it is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SynthSensor {
    /// Samples a second.
    pub rate_hz: f64,
    /// Mount rotation (roll, pitch, yaw about x, y, z), degrees.
    pub mount_deg: [f64; 3],
    /// Accelerometer noise, m/s² (RMS).
    pub acc_noise: f64,
    /// Gyroscope noise, deg/s (RMS).
    pub gyr_noise: f64,
    /// Compression class of the sock, mmHg (`None`: no pressure channel).
    pub sock_mmhg: Option<f64>,
    /// Seed of the noise.
    pub seed: u64,
}

impl Default for SynthSensor {
    fn default() -> Self {
        Self {
            rate_hz: 100.0,
            mount_deg: [0.0; 3],
            acc_noise: 0.05,
            gyr_noise: 0.3,
            sock_mmhg: None,
            seed: 1,
        }
    }
}

/// About ten minutes of a mixed day: sitting, a walk of 100 strides, a set
/// of 20 calf raises, ankle pumps, legs raised (benchmarks and tests).
pub fn mixed_stretch() -> [SynthPart; 7] {
    [
        SynthPart::Sit {
            seconds: 120.0,
            tilt_deg: 10.0,
        },
        SynthPart::Walk {
            strides: 100,
            speed_kmh: 4.5,
        },
        SynthPart::Stand { seconds: 20.0 },
        SynthPart::CalfRaises {
            reps: 20,
            hold_s: 1.0,
            rest_s: 1.0,
        },
        SynthPart::Sit {
            seconds: 60.0,
            tilt_deg: 10.0,
        },
        SynthPart::AnklePumps {
            count: 30,
            rate_per_min: 30.0,
        },
        SynthPart::LegsRaised {
            seconds: 120.0,
            angle_deg: 30.0,
        },
    ]
}

const RAISE_MOVE_S: f64 = 0.6;
const RAISE_HEIGHT_M: f64 = 0.06;
const FIDGET_EVERY_S: f64 = 90.0;

fn stride_s(speed_kmh: f64) -> f64 {
    120.0 / walking_cadence(speed_kmh)
}

/// The shank's state at one instant, in the world (x forward, z up).
#[derive(Debug, Clone, Copy, Default)]
struct Kinematics {
    /// Sagittal angle, degrees.
    phi_deg: f64,
    /// Its rate, deg/s.
    phi_rate: f64,
    /// Ankle acceleration (forward, up), m/s².
    acc: [f64; 2],
    /// Calf contraction (adds sock pressure).
    contracting: bool,
    /// Standing (the calf fills).
    standing: bool,
}

/// Cycloid ramp from 0 to 1 over s ∈ [0, 1]: value, first and second
/// derivative (per unit s).
fn cycloid(s: f64) -> (f64, f64, f64) {
    let s = s.clamp(0.0, 1.0);
    (
        s - (2.0 * PI * s).sin() / (2.0 * PI),
        1.0 - (2.0 * PI * s).cos(),
        2.0 * PI * (2.0 * PI * s).sin(),
    )
}

/// Moves `from` → `to` over `duration` s, at time `t` into the ramp:
/// (value, rate, acceleration).
fn ramp(from: f64, to: f64, t: f64, duration: f64) -> (f64, f64, f64) {
    let (v, d1, d2) = cycloid(t / duration);
    let span = to - from;
    (
        from + span * v,
        span * d1 / duration,
        span * d2 / (duration * duration),
    )
}

fn sway(t: f64, amplitude: f64) -> (f64, f64) {
    let (w1, w2) = (2.0 * PI * 0.3, 2.0 * PI * 0.7);
    (
        amplitude * (0.7 * (w1 * t).sin() + 0.3 * (w2 * t + 1.0).sin()),
        amplitude * (0.7 * w1 * (w1 * t).cos() + 0.3 * w2 * (w2 * t + 1.0).cos()),
    )
}

fn kinematics(part: &SynthPart, t: f64) -> Kinematics {
    match *part {
        SynthPart::Stand { .. } => {
            let (phi, rate) = sway(t, 0.8);
            Kinematics {
                phi_deg: 3.0 + phi,
                phi_rate: rate,
                standing: true,
                ..Kinematics::default()
            }
        }
        SynthPart::Sit { tilt_deg, .. } => {
            let into = t % FIDGET_EVERY_S - (FIDGET_EVERY_S - 1.0);
            let (shift, rate, _) = if into > 0.0 {
                let (v, r, a) = ramp(0.0, 1.0, into, 1.0);
                // Out and back: sin(π v).
                let x = (PI * v).sin();
                (8.0 * x, 8.0 * PI * (PI * v).cos() * r, a)
            } else {
                (0.0, 0.0, 0.0)
            };
            Kinematics {
                phi_deg: tilt_deg + shift,
                phi_rate: rate,
                ..Kinematics::default()
            }
        }
        SynthPart::Lie { .. } => Kinematics {
            phi_deg: 90.0,
            ..Kinematics::default()
        },
        SynthPart::LegsRaised { angle_deg, .. } => Kinematics {
            phi_deg: 90.0 + angle_deg,
            ..Kinematics::default()
        },
        SynthPart::Walk { speed_kmh, .. } => walking(speed_kmh, t),
        SynthPart::CalfRaises { hold_s, rest_s, .. } => {
            let cycle = 2.0 * RAISE_MOVE_S + hold_s + rest_s;
            let c = t % cycle;
            let (lift, lift_rate, lift_acc) = if c < RAISE_MOVE_S {
                ramp(0.0, 1.0, c, RAISE_MOVE_S)
            } else if c < RAISE_MOVE_S + hold_s {
                (1.0, 0.0, 0.0)
            } else if c < 2.0 * RAISE_MOVE_S + hold_s {
                ramp(1.0, 0.0, c - RAISE_MOVE_S - hold_s, RAISE_MOVE_S)
            } else {
                (0.0, 0.0, 0.0)
            };
            let (balance, balance_rate) = sway(t * 2.0, 0.6 * lift);
            Kinematics {
                phi_deg: 3.0 + 3.0 * lift + balance,
                phi_rate: 3.0 * lift_rate + 2.0 * balance_rate,
                acc: [0.0, RAISE_HEIGHT_M * lift_acc],
                contracting: lift > 0.05,
                standing: true,
            }
        }
        SynthPart::AnklePumps { rate_per_min, .. } => {
            let w = 2.0 * PI * rate_per_min / 60.0;
            Kinematics {
                phi_deg: 10.0 + 2.5 * (w * t).sin(),
                phi_rate: 2.5 * w * (w * t).cos(),
                contracting: (w * t).sin() < 0.0,
                ..Kinematics::default()
            }
        }
    }
}

fn walking(speed_kmh: f64, t: f64) -> Kinematics {
    let period = stride_s(speed_kmh);
    let scale = (speed_kmh / 4.5).sqrt().clamp(0.5, 1.4);
    let (ic, stance_end, toe_off) = (-18.0 * scale, 25.0 * scale, 50.0 * scale);
    let p = (t % period) / period;
    let (stance, push, swing) = (0.6 * period, 0.1 * period, 0.3 * period);
    let tau = p * period;
    let (phi, rate, _) = if tau < stance {
        ramp(ic, stance_end, tau, stance)
    } else if tau < stance + push {
        ramp(stance_end, toe_off, tau - stance, push)
    } else {
        ramp(toe_off, ic, tau - stance - push, swing)
    };
    let mut acc = [0.0, 0.0];
    if tau >= stance + push {
        let s = tau - stance - push;
        let stride_m = speed_kmh / 3.6 * period;
        let (_, _, forward) = ramp(0.0, stride_m, s, swing);
        let lift = 0.08 * 4.0 * PI * PI / (swing * swing) * (2.0 * PI * s / swing).cos() / 2.0;
        acc = [forward, lift];
    }
    // Heel strike: 2 g for 0.04 s at the start of the stride.
    if tau < 0.04 {
        acc[1] += 2.0 * STANDARD_GRAVITY * (PI * tau / 0.04).sin();
    }
    Kinematics {
        phi_deg: phi,
        phi_rate: rate,
        acc,
        contracting: p > 0.35 && p < 0.7,
        standing: true,
    }
}

/// Rotation matrix from roll, pitch, yaw (degrees), applied as z·y·x.
fn rotation(mount_deg: [f64; 3]) -> [[f64; 3]; 3] {
    let [r, p, y] = mount_deg.map(f64::to_radians);
    let (sr, cr, sp, cp, sy, cy) = (r.sin(), r.cos(), p.sin(), p.cos(), y.sin(), y.cos());
    [
        [cy * cp, cy * sp * sr - sy * cr, cy * sp * cr + sy * sr],
        [sy * cp, sy * sp * sr + cy * cr, sy * sp * cr - cy * sr],
        [-sp, cp * sr, cp * cr],
    ]
}

fn rotate(m: &[[f64; 3]; 3], v: [f64; 3]) -> [f64; 3] {
    [0, 1, 2].map(|i| m[i][0] * v[0] + m[i][1] * v[1] + m[i][2] * v[2])
}

/// A synthetic recording, generated sample by sample (nothing is held).
pub struct SyntheticRecording {
    parts: Vec<(SynthPart, f64)>,
    sensor: SynthSensor,
    mount: [[f64; 3]; 3],
    gyro_bias: [f64; 3],
    rng: ChaCha8Rng,
    index: u64,
    total_s: f64,
}

impl SyntheticRecording {
    /// A recording of `parts` in order, worn as `sensor` says.
    pub fn new(parts: &[SynthPart], sensor: SynthSensor) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(sensor.seed);
        let gyro_bias = [0; 3].map(|_| rng.random_range(-0.5..0.5));
        let mut start = 0.0;
        let parts = parts
            .iter()
            .map(|part| {
                let placed = (*part, start);
                start += part.seconds();
                placed
            })
            .collect();
        Self {
            parts,
            mount: rotation(sensor.mount_deg),
            sensor,
            gyro_bias,
            rng,
            index: 0,
            total_s: start,
        }
    }

    /// Length of the recording, s.
    pub fn duration_s(&self) -> f64 {
        self.total_s
    }

    fn noise(&mut self, rms: f64) -> f64 {
        // Sum of uniforms: near-Gaussian, cheap, deterministic.
        let u: f64 = (0..4).map(|_| self.rng.random_range(-1.0..1.0)).sum();
        u * rms * (3.0f64 / 4.0).sqrt()
    }
}

impl Iterator for SyntheticRecording {
    type Item = ImuSample;

    fn next(&mut self) -> Option<ImuSample> {
        let t = self.index as f64 / self.sensor.rate_hz;
        if t >= self.total_s {
            return None;
        }
        self.index += 1;
        let (part, start) = *self
            .parts
            .iter()
            .rev()
            .find(|(_, start)| *start <= t)
            .unwrap_or(&self.parts[0]);
        let k = kinematics(&part, t - start);
        let phi = k.phi_deg.to_radians();
        // Specific force in the world (x forward, z up), then in the
        // shank's frame (x anterior, y lateral, z up the shank).
        let (fx, fz) = (k.acc[0], k.acc[1] + STANDARD_GRAVITY);
        let shank_acc = [
            fx * phi.cos() - fz * phi.sin(),
            0.0,
            fx * phi.sin() + fz * phi.cos(),
        ];
        let shank_gyr = [0.0, k.phi_rate, 0.0];
        let acc = rotate(&self.mount, shank_acc);
        let gyr = rotate(&self.mount, shank_gyr);
        let (acc_noise, gyr_noise) = (self.sensor.acc_noise, self.sensor.gyr_noise);
        let acc = [0, 1, 2].map(|i| acc[i] + self.noise(acc_noise));
        let gyr = [0, 1, 2].map(|i| gyr[i] + self.gyro_bias[i] + self.noise(gyr_noise));
        let pressure_mmhg = self.sensor.sock_mmhg.map(|class| {
            class
                + if k.standing { 8.0 } else { 0.0 }
                + if k.contracting { 12.0 } else { 0.0 }
                + self.noise(0.5)
        });
        Some(ImuSample {
            t_s: t,
            acc,
            gyr,
            pressure_mmhg,
        })
    }
}
