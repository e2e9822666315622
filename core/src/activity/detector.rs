//! The streaming detector: one sample in, finished events out, a fixed
//! amount of state whatever the length of the recording.

use super::ankle_pumps::AnklePumpDetector;
use super::calf_raise::CalfRaiseDetector;
use super::filters::{dot, norm};
use super::orientation::OrientationTracker;
use super::posture::PostureTracker;
use super::sock::SockTracker;
use super::steps::{BoutTracker, SwingDetector};
use super::{ActivityEvent, ImuSample};
use crate::{Error, Result};

/// A pause in the samples longer than this is a gap (sensor off), s.
const GAP_S: f64 = 1.0;
/// The interval assumed for the first sample and across gaps, s.
const NOMINAL_DT_S: f64 = 0.01;
/// Upright shank: tilt below this, degrees.
const UPRIGHT_DEG: f64 = 25.0;

/// How the detector is set up.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct DetectorConfig {
    /// The sensor axis that runs up the shank (ankle to knee), when the
    /// mount is known. `None`: learned from gravity (first stillness is
    /// taken as upright, then refined while walking).
    pub long_axis: Option<[f64; 3]>,
}

/// Detects steps, calf raises, ankle pumps, posture and sock wear in one
/// sensor's stream: samples go in batch by batch (as a file is read or a
/// sync delivers them), the events they finished come out. A batch with a
/// bad sample is refused whole and leaves the detector as it was.
#[derive(Debug, Clone)]
pub struct ActivityDetector {
    config: DetectorConfig,
    orientation: OrientationTracker,
    swings: SwingDetector,
    bouts: BoutTracker,
    raises: CalfRaiseDetector,
    pumps: AnklePumpDetector,
    posture: PostureTracker,
    sock: SockTracker,
    last_t_s: Option<f64>,
    out: Vec<ActivityEvent>,
}

impl ActivityDetector {
    /// A detector for one sensor, set up by `config` (a long axis, when
    /// given, is a direction with finite, not all zero, components).
    pub fn new(config: DetectorConfig) -> Result<Self> {
        if let Some(axis) = config.long_axis {
            let length = norm(axis);
            if !(length.is_finite() && length > 1e-6) {
                return Err(Error::invalid(
                    "sensor axis",
                    format!("a direction with finite, not all zero, components (got {axis:?})"),
                ));
            }
        }
        Ok(Self::fresh(config))
    }

    fn fresh(config: DetectorConfig) -> Self {
        Self {
            config,
            orientation: OrientationTracker::new(config.long_axis),
            swings: SwingDetector::new(),
            bouts: BoutTracker::default(),
            raises: CalfRaiseDetector::default(),
            pumps: AnklePumpDetector::new(),
            posture: PostureTracker::new(),
            sock: SockTracker::new(),
            last_t_s: None,
            out: Vec::new(),
        }
    }

    /// Takes the next samples (in time order, after the ones before) and
    /// returns the events they finished, oldest first within each kind.
    /// Handing them out keeps memory flat on long recordings.
    pub fn push(&mut self, samples: &[ImuSample]) -> Result<Vec<ActivityEvent>> {
        let mut last = self.last_t_s;
        for sample in samples {
            sample.validate()?;
            if let Some(before) = last
                && sample.t_s <= before
            {
                return Err(Error::invalid(
                    "IMU sample",
                    format!("time {} s does not come after {before} s", sample.t_s),
                ));
            }
            last = Some(sample.t_s);
        }
        for sample in samples {
            self.feed(sample);
        }
        Ok(self.out.drain(..).collect())
    }

    /// Ends the recording: closes what is still open (a walking bout, a
    /// set, a posture, sock wear) and returns the events not yet handed
    /// out. The next [`push`](Self::push) starts a new recording.
    pub fn finish(&mut self) -> Vec<ActivityEvent> {
        let mut ended = std::mem::replace(self, Self::fresh(self.config));
        ended.end_activities();
        ended.out
    }

    /// Takes one sample, checked by [`push`](Self::push).
    fn feed(&mut self, sample: &ImuSample) {
        let t = sample.t_s;
        let dt = match self.last_t_s {
            Some(last) if t - last <= GAP_S => t - last,
            Some(_) => {
                self.end_activities();
                NOMINAL_DT_S
            }
            None => NOMINAL_DT_S,
        };
        self.last_t_s = Some(t);
        let out = &mut self.out;

        let walking = self.bouts.walking();
        let o = self.orientation.update(sample.acc, sample.gyr, dt, walking);
        let rate = norm(sample.gyr);
        let impact = (norm(sample.acc) - o.gravity).abs();

        self.bouts.on_time(t, out);
        if let Some(stride) = self.swings.update(t, rate, impact, dt) {
            self.bouts.on_stride(stride, out);
        }
        let walking = self.bouts.walking();
        let upright = o.tilt_deg.is_none_or(|tilt| tilt < UPRIGHT_DEG) && !walking;
        let vertical = dot(sample.acc, o.up) - o.gravity;
        self.raises.update(t, vertical, o.still_s, dt, upright, out);
        let raising = self.raises.active(t);
        self.pumps.update(t, rate, dt, !walking && !raising, out);
        self.posture
            .update(t, o.tilt_deg, rate, dt, walking || raising, out);
        if let Some(pressure) = sample.pressure_mmhg {
            self.sock.update(t, pressure, dt, out);
        }
    }

    /// Closes everything under way at the last sample, as the recording
    /// ends or a gap begins: nothing runs on through a gap (a posture or the
    /// sock carried through an hour the sensor was off counted that hour).
    fn end_activities(&mut self) {
        // A stride still waiting to be handed on struck before the end.
        if let Some(stride) = self.swings.take_candidate() {
            self.bouts.on_stride(stride, &mut self.out);
        }
        self.bouts.end(&mut self.out);
        self.raises.close_set(&mut self.out);
        self.pumps.close(&mut self.out);
        self.posture.pause(&mut self.out);
        self.sock.pause(&mut self.out);
    }
}
