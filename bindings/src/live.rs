//! Live data from a sensor (frames, cadence) and the live-session counter
//! that turns frames into the reps, holds, steps and pumped volume the Walk
//! and Exercises screens show while they happen.

use std::sync::Mutex;

use second_heart_ble::{LiveReading, LiveSummary as CoreSummary};
use second_heart_core::app;
use second_heart_core::sensor::gatt::{self, LiveEvent, Posture, RscMeasurement};
use second_heart_core::session::{self, SessionKind};

use crate::error::ForeignError;
use crate::sessions::SessionUpdate;
use crate::{SecondHeartError, lock};

/// An event the sensor flagged at a sample.
#[uniffi::remote(Enum)]
pub enum LiveEvent {
    /// Nothing.
    None,
    /// A step of the leg wearing the sensor.
    Step,
    /// The top of a calf raise.
    CalfRaiseTop,
    /// An ankle pump.
    AnklePump,
}

/// One live sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct LiveSample {
    /// Milliseconds after the frame's `t0_ms`.
    pub dt_ms: u16,
    /// Sock pressure at the ankle, mmHg.
    pub ankle_mmhg: u8,
    /// Sock pressure at the calf, mmHg.
    pub calf_mmhg: u8,
    /// Shank pitch from vertical, degrees (positive: knee forward).
    pub shank_pitch_deg: i8,
    /// Posture at the sample.
    pub posture: Posture,
    /// An event at this sample.
    pub event: LiveEvent,
    /// Calf contraction strength, 0–255 (0: relaxed).
    pub contraction: u8,
}

/// One Live Frame notification: a batch of samples.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LiveFrame {
    /// Rolling frame counter (gaps show lost notifications).
    pub frame_seq: u16,
    /// The sensor's tick counter at the first sample, ms (low 32 bits).
    pub t0_ms: u32,
    /// The samples, oldest first.
    pub samples: Vec<LiveSample>,
}

impl From<gatt::LiveFrame> for LiveFrame {
    fn from(frame: gatt::LiveFrame) -> Self {
        Self {
            frame_seq: frame.frame_seq,
            t0_ms: frame.t0_ms,
            samples: frame
                .samples
                .into_iter()
                .map(|s| LiveSample {
                    dt_ms: s.dt_ms,
                    ankle_mmhg: s.ankle_mmhg,
                    calf_mmhg: s.calf_mmhg,
                    shank_pitch_deg: s.shank_pitch_deg,
                    posture: s.posture,
                    event: s.event,
                    contraction: s.contraction,
                })
                .collect(),
        }
    }
}

impl From<&LiveFrame> for gatt::LiveFrame {
    fn from(frame: &LiveFrame) -> Self {
        Self {
            frame_seq: frame.frame_seq,
            t0_ms: frame.t0_ms,
            samples: frame
                .samples
                .iter()
                .map(|s| gatt::LiveSample {
                    dt_ms: s.dt_ms,
                    ankle_mmhg: s.ankle_mmhg,
                    calf_mmhg: s.calf_mmhg,
                    shank_pitch_deg: s.shank_pitch_deg,
                    posture: s.posture,
                    event: s.event,
                    contraction: s.contraction,
                })
                .collect(),
        }
    }
}

/// A Running Speed and Cadence measurement.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct CadenceReading {
    /// Steps a minute, as the sensor counts them.
    pub cadence_spm: u8,
    /// Speed, m/s.
    pub speed_m_s: f64,
    /// Stride length, m, when sent.
    pub stride_length_m: Option<f64>,
    /// Total distance, m, when sent.
    pub total_distance_m: Option<f64>,
    /// Running rather than walking.
    pub running: bool,
}

impl From<RscMeasurement> for CadenceReading {
    fn from(m: RscMeasurement) -> Self {
        Self {
            cadence_spm: m.cadence_per_min,
            speed_m_s: m.speed_m_s,
            stride_length_m: m.stride_length_m,
            total_distance_m: m.total_distance_m,
            running: m.running,
        }
    }
}

/// How live data is asked for.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct LiveSettings {
    /// Samples a second, 1–100.
    #[uniffi(default = 25)]
    pub rate_hz: u8,
    /// Seconds to stream; none: until cancelled.
    #[uniffi(default = None)]
    pub seconds: Option<f64>,
}

/// What a live stream received, when it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct LiveSummary {
    /// Live Frames received.
    pub frames: u32,
    /// Cadence readings received.
    pub cadence_readings: u32,
    /// Frames missing by the frame counter (lost notifications).
    pub frames_lost: u32,
    /// Notifications that did not parse.
    pub unreadable: u32,
}

impl From<CoreSummary> for LiveSummary {
    fn from(s: CoreSummary) -> Self {
        Self {
            frames: s.frames,
            cadence_readings: s.cadence_readings,
            frames_lost: s.frames_lost,
            unreadable: s.unreadable,
        }
    }
}

/// What the Exercises screen tells the user to do now.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Enum)]
pub enum HoldCue {
    /// Going up onto the toes.
    Rising,
    /// At the top: hold.
    Hold {
        /// Held so far, s.
        elapsed_s: f64,
        /// The hold asked for, s.
        target_s: f64,
    },
    /// Coming down.
    Lower,
    /// Relaxed between raises.
    Rest,
}

/// A session as the live frames count it so far.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct LiveProgress {
    /// What the session is.
    pub kind: SessionKind,
    /// Sensor time since the first sample, s.
    pub elapsed_s: f64,
    /// Steps of both legs.
    pub steps: u32,
    /// Steps of both legs a minute, over the last 12 s.
    pub cadence_spm: Option<f64>,
    /// Calf raises or ankle pumps.
    pub reps: u32,
    /// The repetitions asked for.
    pub target_reps: Option<u32>,
    /// The last raise's hold, s.
    pub last_hold_s: Option<f64>,
    /// The mean hold so far, s.
    pub mean_hold_s: Option<f64>,
    /// Raises whose hold was measured.
    pub holds: u32,
    /// Raises held shorter than the useful minimum.
    pub short_holds: u32,
    /// What to do now.
    pub cue: HoldCue,
    /// The target repetitions are done.
    pub set_complete: bool,
    /// Blood the calves sent up so far, mL (pump model).
    pub pumped_ml: f64,
    /// Posture at the latest sample.
    pub posture: Posture,
    /// Sock pressure at the ankle now, mmHg.
    pub ankle_mmhg: u8,
    /// Sock pressure at the calf now, mmHg.
    pub calf_mmhg: u8,
    /// Frames taken.
    pub frames: u32,
    /// Frames lost on the way.
    pub frames_lost: u32,
    /// Frames received twice and ignored.
    pub frames_repeated: u32,
}

impl From<session::LiveProgress> for LiveProgress {
    fn from(p: session::LiveProgress) -> Self {
        Self {
            kind: p.kind,
            elapsed_s: p.elapsed_s,
            steps: p.steps,
            cadence_spm: p.cadence_spm,
            reps: p.reps,
            target_reps: p.target_reps,
            last_hold_s: p.last_hold_s,
            mean_hold_s: p.mean_hold_s,
            holds: p.holds,
            short_holds: p.short_holds,
            cue: match p.cue {
                session::HoldCue::Rising => HoldCue::Rising,
                session::HoldCue::Hold {
                    elapsed_s,
                    target_s,
                } => HoldCue::Hold {
                    elapsed_s,
                    target_s,
                },
                session::HoldCue::Lower => HoldCue::Lower,
                session::HoldCue::Rest => HoldCue::Rest,
            },
            set_complete: p.set_complete,
            pumped_ml: p.pumped_ml,
            posture: p.posture,
            ankle_mmhg: p.ankle_mmhg,
            calf_mmhg: p.calf_mmhg,
            frames: p.frames,
            frames_lost: p.frames_lost,
            frames_repeated: p.frames_repeated,
        }
    }
}

/// The running session counted from live frames. What it counts (steps,
/// raises with their holds, pumps) is recorded into that session while it
/// is active, so finishing it counts them into the day. While the session
/// is paused nothing is counted: the progress keeps showing what the
/// session holds. Thread-safe; hand it to `Sensors.live` or push frames
/// yourself.
#[derive(Debug, uniffi::Object)]
pub struct LiveSessionCounter {
    inner: Mutex<app::LiveSession>,
}

impl LiveSessionCounter {
    pub(crate) fn new(session: app::LiveSession) -> Self {
        Self {
            inner: Mutex::new(session),
        }
    }

    /// Takes a frame as the core reads it.
    pub(crate) fn take(&self, frame: &gatt::LiveFrame) -> Result<LiveProgress, SecondHeartError> {
        Ok(lock(&self.inner).push(frame)?.into())
    }
}

#[uniffi::export]
impl LiveSessionCounter {
    /// Takes the next frame: the session as it now stands. A frame that
    /// breaks the layout's rules is refused (`InvalidInput`) and changes
    /// nothing.
    pub fn push(&self, frame: LiveFrame) -> Result<LiveProgress, SecondHeartError> {
        self.take(&gatt::LiveFrame::from(&frame))
    }

    /// The session as it stands after the latest frame.
    pub fn progress(&self) -> LiveProgress {
        lock(&self.inner).progress().into()
    }

    /// Finishes the session with everything counted, in one transaction:
    /// a raise the user stopped at the top of (counted, its hold not yet
    /// measured) is kept without a hold. Call it instead of
    /// `Sessions.record(Finish)` once the live data has stopped.
    pub fn finish(&self) -> Result<SessionUpdate, SecondHeartError> {
        Ok(lock(&self.inner).finish()?.into())
    }
}

/// Hears live data; exactly one of `on_finished` / `on_failed` ends it.
/// Called on the library's threads: hop to the UI thread yourself.
#[uniffi::export(with_foreign)]
pub trait LiveListener: Send + Sync {
    /// A Live Frame arrived; `progress` is the session as the counter
    /// handed to `live` now counts it (none without a counter, or when the
    /// frame was refused).
    fn on_frame(
        &self,
        frame: LiveFrame,
        progress: Option<LiveProgress>,
    ) -> Result<(), ForeignError>;
    /// A cadence reading arrived.
    fn on_cadence(&self, reading: CadenceReading) -> Result<(), ForeignError>;
    /// The stream ended: its time was up or it was cancelled after it had
    /// started. The sensor was told to stop and the link dropped.
    fn on_finished(&self, summary: LiveSummary) -> Result<(), ForeignError>;
    /// The stream could not start or broke off (not paired, wrong sensor,
    /// out of range, cancelled while connecting…).
    fn on_failed(&self, error: SecondHeartError) -> Result<(), ForeignError>;
}

/// Hands one reading to the listener (and the frame to the counter).
pub(crate) fn deliver(
    reading: LiveReading,
    counter: Option<&LiveSessionCounter>,
    listener: &dyn LiveListener,
) {
    // A listener that throws misses this reading, not the next one.
    let _ = match reading {
        LiveReading::Frame(frame) => {
            let progress = counter.and_then(|c| c.take(&frame).ok());
            listener.on_frame(frame.into(), progress)
        }
        LiveReading::Cadence(reading) => listener.on_cadence(reading.into()),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_cross_the_ffi_unchanged() {
        let core = gatt::LiveFrame {
            frame_seq: 65_535,
            t0_ms: u32::MAX,
            samples: vec![gatt::LiveSample {
                dt_ms: 40,
                ankle_mmhg: 18,
                calf_mmhg: 13,
                shank_pitch_deg: -4,
                posture: gatt::Posture::Standing,
                event: gatt::LiveEvent::CalfRaiseTop,
                contraction: 220,
            }],
        };
        let ffi = LiveFrame::from(core.clone());
        assert_eq!(gatt::LiveFrame::from(&ffi), core);
    }
}
