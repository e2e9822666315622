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

    /// Takes a frame as the core reads it. The Today observers hear of
    /// what it recorded once the counter's lock is let go: one that reads
    /// the counter would otherwise wait on itself.
    pub(crate) fn take(&self, frame: &gatt::LiveFrame) -> Result<LiveProgress, SecondHeartError> {
        let (progress, news) = lock(&self.inner).push_unannounced(frame)?;
        news.announce();
        Ok(progress.into())
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
        let (update, news) = lock(&self.inner).finish_unannounced()?;
        news.announce();
        Ok(update.into())
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
    /// The counter handed to `live` could not count a frame into the
    /// running session: it refused the frame (`InvalidInput`) or could not
    /// save what it counted (`Storage`). The frame still reaches
    /// `on_frame`, without progress. What was counted is saved with the next
    /// frame that can be, so progress in a later `on_frame` means the count
    /// is being saved again.
    fn on_not_counted(&self, error: SecondHeartError) -> Result<(), ForeignError>;
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
            let progress = match counter.map(|c| c.take(&frame)) {
                Some(Ok(progress)) => Some(progress),
                Some(Err(error)) => {
                    let _ = listener.on_not_counted(error);
                    None
                }
                None => None,
            };
            listener.on_frame(frame.into(), progress)
        }
        LiveReading::Cadence(reading) => listener.on_cadence(reading.into()),
    };
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::{Duration, SystemTime};

    use super::*;
    use crate::{FixedClock, SecondHeart};

    /// A listener that writes down what it hears, in order.
    #[derive(Default)]
    struct Heard(Mutex<Vec<String>>);

    impl Heard {
        fn tell(&self, what: String) -> Result<(), ForeignError> {
            lock(&self.0).push(what);
            Ok(())
        }

        fn take(&self) -> Vec<String> {
            std::mem::take(&mut *lock(&self.0))
        }
    }

    impl LiveListener for Heard {
        fn on_frame(
            &self,
            frame: LiveFrame,
            progress: Option<LiveProgress>,
        ) -> Result<(), ForeignError> {
            let steps = progress.map_or("no progress".to_owned(), |p| format!("{} steps", p.steps));
            self.tell(format!("frame {}: {steps}", frame.frame_seq))
        }
        fn on_not_counted(&self, error: SecondHeartError) -> Result<(), ForeignError> {
            self.tell(format!("not counted: {}", error.code()))
        }
        fn on_cadence(&self, _: CadenceReading) -> Result<(), ForeignError> {
            self.tell("cadence".to_owned())
        }
        fn on_finished(&self, _: LiveSummary) -> Result<(), ForeignError> {
            self.tell("finished".to_owned())
        }
        fn on_failed(&self, error: SecondHeartError) -> Result<(), ForeignError> {
            self.tell(format!("failed: {}", error.code()))
        }
    }

    /// Frame `seq`, 1.5 s after the one before, with three steps of the
    /// sensor's leg (a stride every half second: 240 steps a minute).
    fn walking(seq: u16) -> LiveReading {
        let step = |dt_ms| gatt::LiveSample {
            dt_ms,
            ankle_mmhg: 20,
            calf_mmhg: 15,
            shank_pitch_deg: 5,
            posture: Posture::Walking,
            event: LiveEvent::Step,
            contraction: 120,
        };
        LiveReading::Frame(gatt::LiveFrame {
            frame_seq: seq,
            t0_ms: u32::from(seq) * 1_500,
            samples: vec![step(0), step(500), step(1_000)],
        })
    }

    /// A walk started on a file store, and its live counter.
    fn walk_counted(db: &std::path::Path) -> (Arc<SecondHeart>, Arc<LiveSessionCounter>) {
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_000_000);
        let clock = FixedClock::new(at, "Europe/Berlin".to_owned()).expect("clock");
        let app = SecondHeart::open(db.to_string_lossy().into_owned(), clock).expect("app");
        app.sessions().start_walk().expect("walk");
        let counter = app.sessions().live_counter().expect("counter");
        (app, counter)
    }

    #[test]
    fn a_count_the_store_cannot_save_is_told_and_saved_with_the_next_frame() {
        let dir = tempfile::tempdir().expect("dir");
        let db = dir.path().join("app.db");
        let (app, counter) = walk_counted(&db);
        let heard = Heard::default();
        // Writes fail for one frame.
        let sql = rusqlite::Connection::open(&db).expect("sql");
        sql.execute_batch(
            "CREATE TRIGGER write_fails BEFORE INSERT ON session_event
             BEGIN SELECT RAISE(ABORT, 'the write failed'); END;",
        )
        .expect("trigger");
        deliver(walking(1), Some(&counter), &heard);
        assert_eq!(
            heard.take(),
            ["not counted: storage", "frame 1: no progress"]
        );

        sql.execute_batch("DROP TRIGGER write_fails;")
            .expect("drop");
        deliver(walking(2), Some(&counter), &heard);
        assert_eq!(heard.take(), ["frame 2: 12 steps"]);
        let saved = app.sessions().status().expect("status").expect("open walk");
        assert_eq!(saved.progress.steps, 12, "both frames' steps are saved");
    }

    #[test]
    fn a_frame_the_counter_refuses_is_told_and_changes_nothing() {
        let dir = tempfile::tempdir().expect("dir");
        let (_app, counter) = walk_counted(&dir.path().join("app.db"));
        let heard = Heard::default();
        deliver(walking(1), Some(&counter), &heard);
        let LiveReading::Frame(mut backwards) = walking(2) else {
            unreachable!("walking() gives frames")
        };
        backwards.samples.reverse();
        deliver(LiveReading::Frame(backwards), Some(&counter), &heard);
        deliver(walking(3), None, &heard);
        assert_eq!(
            heard.take(),
            [
                "frame 1: 6 steps",
                "not counted: invalid_input",
                "frame 2: no progress",
                "frame 3: no progress",
            ]
        );
        assert_eq!(counter.progress().steps, 6);
    }

    /// A Today observer that reads the live counter whenever Today changes,
    /// as a walk screen merging the two might.
    struct ReadsTheCounter {
        counter: Arc<LiveSessionCounter>,
        steps_seen: Mutex<Vec<u32>>,
    }

    impl crate::client::TodayListener for ReadsTheCounter {
        fn today_changed(&self, _: crate::today::TodayView) -> Result<(), ForeignError> {
            let steps = self.counter.progress().steps;
            lock(&self.steps_seen).push(steps);
            Ok(())
        }
    }

    #[test]
    fn a_today_observer_may_read_the_counter_whose_frame_it_hears_of() {
        let dir = tempfile::tempdir().expect("dir");
        let (app, counter) = walk_counted(&dir.path().join("app.db"));
        let observer = Arc::new(ReadsTheCounter {
            counter: Arc::clone(&counter),
            steps_seen: Mutex::new(Vec::new()),
        });
        let _subscription =
            app.observe_today(Arc::clone(&observer) as Arc<dyn crate::client::TodayListener>);
        // On a thread of its own: had the observer been called under the
        // counter's lock, the push would wait for ever.
        let (done, finished) = std::sync::mpsc::channel();
        let pushing = Arc::clone(&counter);
        std::thread::spawn(move || {
            let LiveReading::Frame(frame) = walking(1) else {
                unreachable!("walking() gives frames")
            };
            let pushed = pushing.take(&frame).map(|p| p.steps);
            let finished = pushing.finish().map(|u| u.progress.steps);
            let _ = done.send((pushed, finished));
        });
        let (pushed, finished) = finished
            .recv_timeout(Duration::from_secs(30))
            .expect("the push and the finish returned");
        assert_eq!(pushed.expect("counted"), 6);
        assert_eq!(finished.expect("finished"), 6);
        assert_eq!(*lock(&observer.steps_seen), [6, 6], "told of both");
    }

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
