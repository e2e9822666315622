//! Activity detection for raw IMU recordings a user imports: an
//! [`ActivityDetector`] fed batch by batch, or a whole CSV file at once.

use std::path::Path;
use std::sync::{Arc, Mutex};

use second_heart_core::activity::{
    self, ActivityEvent, DetectedPosture, Detection, DetectorConfig,
};
use second_heart_core::app::{self, CsvDetection};

use crate::{SecondHeartError, lock};

/// A posture read from the shank's orientation.
#[uniffi::remote(Enum)]
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

/// One event found in a recording. Times are the recording's seconds;
/// confidences 0 to 1.
#[uniffi::remote(Enum)]
pub enum ActivityEvent {
    /// A step inside a walking bout.
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
        /// Steps of both legs.
        steps: u32,
        /// Steps a minute.
        cadence_spm: f64,
        /// 0–1.
        confidence: f64,
    },
    /// One calf raise, standing.
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
    /// Ankle pumps, seated or lying.
    AnklePumpSet {
        /// Start, s.
        start_s: f64,
        /// End, s.
        end_s: f64,
        /// Pumps.
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
        posture: DetectedPosture,
        /// 0–1.
        confidence: f64,
    },
    /// A stretch with the compression sock on or off.
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

/// A whole recording's totals and events.
#[uniffi::remote(Record)]
pub struct Detection {
    /// Length of the recording, s.
    pub duration_s: f64,
    /// Steps of both legs inside walking bouts.
    pub steps: u32,
    /// Mean cadence over the walking bouts, steps a minute.
    pub cadence_spm: Option<f64>,
    /// Time spent walking, s.
    pub walking_s: f64,
    /// Calf raises counted.
    pub calf_raises: u32,
    /// Ankle pumps counted.
    pub ankle_pumps: u32,
    /// Stretches of posture, in time order.
    pub posture: Vec<ActivityEvent>,
    /// Walking bouts, calf raises and their sets, ankle-pump sets and sock
    /// wear, in time order.
    pub events: Vec<ActivityEvent>,
    /// Every step's time, s, when asked for.
    pub step_times_s: Option<Vec<f64>>,
}

/// A direction in the sensor's frame.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct SensorAxis {
    /// x component.
    pub x: f64,
    /// y component.
    pub y: f64,
    /// z component.
    pub z: f64,
}

fn config(long_axis: Option<SensorAxis>) -> DetectorConfig {
    DetectorConfig {
        long_axis: long_axis.map(|a| [a.x, a.y, a.z]),
    }
}

/// One reading of an ankle sensor.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct ImuSample {
    /// Time since the start of the recording, s.
    pub t_s: f64,
    /// Accelerometer x, m/s² (about +9.81 along "up" at rest).
    pub ax: f64,
    /// Accelerometer y, m/s².
    pub ay: f64,
    /// Accelerometer z, m/s².
    pub az: f64,
    /// Gyroscope x, degrees per second.
    pub gx: f64,
    /// Gyroscope y, degrees per second.
    pub gy: f64,
    /// Gyroscope z, degrees per second.
    pub gz: f64,
    /// Sock interface pressure, mmHg, if the sensor has it.
    #[uniffi(default = None)]
    pub pressure_mmhg: Option<f64>,
}

impl From<ImuSample> for activity::ImuSample {
    fn from(s: ImuSample) -> Self {
        Self {
            t_s: s.t_s,
            acc: [s.ax, s.ay, s.az],
            gyr: [s.gx, s.gy, s.gz],
            pressure_mmhg: s.pressure_mmhg,
        }
    }
}

/// How an IMU CSV file is read and what its detection keeps.
#[derive(Debug, Clone, Copy, PartialEq, Default, uniffi::Record)]
pub struct CsvOptions {
    /// The sample rate, Hz, standing in for a missing `t_s` column.
    #[uniffi(default = None)]
    pub rate_hz: Option<f64>,
    /// The sensor axis running up the shank, when the mount is known
    /// (else learned from gravity).
    #[uniffi(default = None)]
    pub long_axis: Option<SensorAxis>,
    /// Keep every step's time.
    #[uniffi(default = false)]
    pub keep_step_times: bool,
}

impl From<CsvOptions> for CsvDetection {
    fn from(o: CsvOptions) -> Self {
        Self {
            rate_hz: o.rate_hz,
            config: config(o.long_axis),
            keep_step_times: o.keep_step_times,
        }
    }
}

/// Detects steps, calf raises, ankle pumps, posture and sock wear in one
/// sensor's recording, fed batch by batch as the app reads it. A batch with
/// a bad sample is refused whole and leaves the detector as it was. Safe
/// from any thread; calls are serialised.
#[derive(Debug, uniffi::Object)]
pub struct ActivityDetector(Mutex<activity::ActivityDetector>);

#[uniffi::export]
impl ActivityDetector {
    /// A detector for a sensor whose shank axis is `long_axis`, or learned
    /// from gravity when `None`.
    #[uniffi::constructor]
    pub fn new(long_axis: Option<SensorAxis>) -> Result<Arc<Self>, SecondHeartError> {
        let detector = activity::ActivityDetector::new(config(long_axis))?;
        Ok(Arc::new(Self(Mutex::new(detector))))
    }

    /// Takes the next samples (in time order, after the ones before) and
    /// returns the events they finished.
    pub fn push(&self, samples: Vec<ImuSample>) -> Result<Vec<ActivityEvent>, SecondHeartError> {
        let samples: Vec<activity::ImuSample> = samples.into_iter().map(Into::into).collect();
        Ok(lock(&self.0).push(&samples)?)
    }

    /// Ends the recording: closes what is still open and returns the
    /// events not yet handed out. The next `push` starts a new recording.
    pub fn finish(&self) -> Vec<ActivityEvent> {
        lock(&self.0).finish()
    }
}

/// Detects everything in the IMU CSV file at `path` (docs/activity-detection.md
/// gives the format). A long file takes seconds: call it off the main thread.
#[uniffi::export]
pub fn detect_csv_file(path: String, options: CsvOptions) -> Result<Detection, SecondHeartError> {
    Ok(app::detect_csv_file(Path::new(&path), options.into())?)
}
