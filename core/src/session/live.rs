//! Counting a session while it happens, from the sensor's Live Frames
//! (docs/sensor-protocol.md, "Live Frame"): the steps and cadence the Walk
//! screen shows, the reps, holds and hold cue of the Exercises screen, and
//! the blood pumped so far.
//!
//! **Steps.** A Step event is a step of the leg wearing the sensor (the
//! sensor sits on one leg; its flag fires once per stride of that leg).
//! Steps of both legs are twice that, as the minute records count them.
//!
//! **Cadence** is steps of both legs a minute over the Step events of the
//! last [`CADENCE_WINDOW_S`] seconds: twice the sensor leg's stride rate
//! from the mean interval between those events. When the steps stop, the
//! open interval since the last one stands for a stride once it is longer
//! than the mean, so the cadence falls away instead of freezing; with fewer
//! than two steps in the window there is none.
//!
//! **Reps** are the CalfRaiseTop events of a calf-raise set and the
//! AnklePump events of an ankle-pump set.
//!
//! **One movement, one event.** An event closer to the last one of its
//! kind than anyone moves ([`STEP_INTERVAL_MS`] for a step, a leg's
//! stride at the fastest walking cadence; [`PUMP_INTERVAL_MS`] for a raise
//! or a pump, the fastest pace the pump model takes) is the same movement
//! flagged again (a sensor whose flag stayed set over several samples) and
//! counts nothing: a stuck flag would otherwise count a rep a sample. The
//! time of the last event of each kind is kept while the session is paused
//! too, since a movement made then was still made.
//!
//! **Hold.** A raise's hold is read from the calf contraction strength
//! (0–255) of the samples; shank pitch is not used, since the shank leans
//! only a few degrees at the top of a raise, within the sway of standing.
//! A raise starts when the contraction reaches [`ENGAGE`] (the cue says
//! `Rising`). The top is reached at the CalfRaiseTop event or, if that is
//! missing, once the contraction has stopped rising for [`PLATEAU_MS`]
//! (the hold then counts from the peak): the cue says `Hold` with the time
//! held and the target. The hold ends at the first sample below
//! [`HOLD_FRACTION`] of the raise's peak contraction (`Lower`); the raise
//! ends below [`RELEASE`] (`Rest`). A raise that falls back before its top
//! has no hold. Holds and the cue are for calf-raise sets.
//!
//! **Pumped volume** weighs the session's own movements by the person's
//! pump yields ([`PumpYield::pumped_ml`], the day's summary's weighting
//! too), as its saved outcome does: a walk's steps of both legs times the
//! yield per step, a set's calf raises or ankle pumps times theirs. A raise
//! flagged during a walk, or a step during a set, pumps nothing for the
//! session (it records none).
//!
//! **Frames.** The frame counter shows lost notifications (a jump forward,
//! counting through the u16 wrap); a frame seen twice is ignored. The tick
//! counter's low 32 bits wrap too; time is carried on across the wrap. After
//! a gap longer than [`GAP_MS`] the movement under way is unknown: a raise
//! in progress is dropped and the cue goes back to `Rest`. A clock that runs
//! back by more than [`RESTART_MS`] is a sensor that restarted (its tick
//! counter starts again at boot): counting carries on from where it was,
//! the restart taking no time on the session's clock; as after a gap, the
//! movement under way is forgotten, and so are the cadence's steps and the
//! last event of each kind (the reboot took seconds: a step just after it
//! is a step of its own). A
//! frame that breaks the layout's rules (samples out of order, time running
//! back a little, more samples than a notification holds) is refused with
//! [`Error::InvalidInput`] and changes nothing.

use std::collections::VecDeque;

use serde::Serialize;

use super::kinds::{SessionKind, Target};
use crate::activity::USEFUL_HOLD_S;
use crate::pump::{FASTEST_EXERCISE_PER_MIN, PumpYield};
use crate::sensor::gatt::{LiveEvent, LiveFrame, LiveSample, Posture};
use crate::walk::MAX_CADENCE_STEPS_PER_MIN;
use crate::{Error, Result};

/// Steps within this many seconds make the cadence.
const CADENCE_WINDOW_S: f64 = 12.0;
/// Contraction at which a raise starts (about a quarter of full scale).
const ENGAGE: u8 = 60;
/// Contraction below which the calf is at rest again.
const RELEASE: u8 = 30;
/// The hold lasts while the contraction stays at or above this fraction of
/// the raise's peak.
const HOLD_FRACTION: f64 = 0.85;
/// A rise that has not climbed for this long has reached the top, ms.
const PLATEAU_MS: i64 = 150;
/// A pause between samples longer than this loses track of the movement, ms.
const GAP_MS: i64 = 2_000;
/// A clock running back further than this is a restarted sensor, ms.
const RESTART_MS: i64 = 60_000;
/// The most samples a frame can carry (a 512-byte attribute value).
const MAX_FRAME_SAMPLES: usize = (512 - 8) / 8;
/// The shortest time between two Step events that are two steps, ms: the
/// sensor leg's stride at the fastest walking cadence (both legs' steps
/// at [`MAX_CADENCE_STEPS_PER_MIN`] a minute).
const STEP_INTERVAL_MS: i64 = 2 * 60_000 / MAX_CADENCE_STEPS_PER_MIN;
/// The shortest time between two calf raises or two ankle pumps that are
/// two movements, ms: the fastest pace the pump model takes
/// ([`FASTEST_EXERCISE_PER_MIN`]).
const PUMP_INTERVAL_MS: i64 = (60_000.0 / FASTEST_EXERCISE_PER_MIN) as i64;

/// What the Exercises screen tells the user to do now.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "cue", rename_all = "snake_case")]
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

/// A live session as it stands after the latest frame.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LiveProgress {
    /// What the session is.
    pub kind: SessionKind,
    /// Sensor time since the first sample, s.
    pub elapsed_s: f64,
    /// Steps of both legs.
    pub steps: u32,
    /// Steps of both legs a minute, over the last 12 s.
    pub cadence_spm: Option<f64>,
    /// Calf raises (a calf-raise set) or ankle pumps (an ankle-pump set).
    pub reps: u32,
    /// The repetitions asked for.
    pub target_reps: Option<u32>,
    /// The last raise's hold, s.
    pub last_hold_s: Option<f64>,
    /// The mean hold of the raises so far, s.
    pub mean_hold_s: Option<f64>,
    /// Raises whose hold was measured.
    pub holds: u32,
    /// Raises held shorter than the useful minimum.
    pub short_holds: u32,
    /// What to do now (calf raises; `Rest` for other sessions).
    pub cue: HoldCue,
    /// The target repetitions are done.
    pub set_complete: bool,
    /// Blood the calves sent up so far, mL (pump model).
    pub pumped_ml: f64,
    /// Posture at the latest sample.
    pub posture: Posture,
    /// Sock pressure at the ankle at the latest sample, mmHg.
    pub ankle_mmhg: u8,
    /// Sock pressure at the calf at the latest sample, mmHg.
    pub calf_mmhg: u8,
    /// Frames taken.
    pub frames: u32,
    /// Frames the counter shows were lost on the way.
    pub frames_lost: u32,
    /// Frames received twice and ignored.
    pub frames_repeated: u32,
}

/// Where a raise stands.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    Rest,
    Rising { peak: u8, peak_ms: i64 },
    Hold { peak: u8, since_ms: i64 },
    Lower,
}

/// The sensor's clock, carried across the u32 wrap and restarts.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Clock {
    /// The last frame's raw `t0_ms`.
    raw_t0: u32,
    /// Its time on the session's timeline, ms.
    t0_ms: i64,
    /// The last sample's time on the timeline, ms.
    last_ms: i64,
}

/// What a [`LiveSessionCounter`] has counted of the session's movements,
/// the recent steps its cadence reads included.
#[derive(Debug, Clone)]
struct Tally {
    leg_steps: u32,
    recent_steps_ms: VecDeque<i64>,
    calf_raises: u32,
    ankle_pumps: u32,
    hold_sum_s: f64,
    holds: u32,
    short_holds: u32,
    last_hold_s: Option<f64>,
}

impl Tally {
    fn of(counter: &LiveSessionCounter) -> Self {
        Self {
            leg_steps: counter.leg_steps,
            recent_steps_ms: counter.recent_steps_ms.clone(),
            calf_raises: counter.calf_raises,
            ankle_pumps: counter.ankle_pumps,
            hold_sum_s: counter.hold_sum_s,
            holds: counter.holds,
            short_holds: counter.short_holds,
            last_hold_s: counter.last_hold_s,
        }
    }

    fn restore(self, counter: &mut LiveSessionCounter) {
        counter.leg_steps = self.leg_steps;
        counter.recent_steps_ms = self.recent_steps_ms;
        counter.calf_raises = self.calf_raises;
        counter.ankle_pumps = self.ankle_pumps;
        counter.hold_sum_s = self.hold_sum_s;
        counter.holds = self.holds;
        counter.short_holds = self.short_holds;
        counter.last_hold_s = self.last_hold_s;
    }
}

/// Counts a session from Live Frames; see the module docs for the rules.
#[derive(Debug, Clone)]
pub struct LiveSessionCounter {
    kind: SessionKind,
    target: Target,
    pump_yield: PumpYield,
    clock: Option<Clock>,
    first_ms: i64,
    last_frame: Option<(u16, u32)>,
    frames: u32,
    frames_lost: u32,
    frames_repeated: u32,
    leg_steps: u32,
    recent_steps_ms: VecDeque<i64>,
    calf_raises: u32,
    ankle_pumps: u32,
    last_events: LastEvents,
    phase: Phase,
    hold_sum_s: f64,
    holds: u32,
    short_holds: u32,
    last_hold_s: Option<f64>,
    latest: Option<LiveSample>,
}

/// When the last event of each kind was taken, ms on the session's
/// timeline.
#[derive(Debug, Clone, Copy, Default)]
struct LastEvents {
    step_ms: Option<i64>,
    calf_raise_top_ms: Option<i64>,
    ankle_pump_ms: Option<i64>,
}

impl LastEvents {
    /// Whether `event` at `t_ms` is a movement of its own, not the last
    /// one of its kind flagged again; it is then the last of its kind.
    fn take(&mut self, event: LiveEvent, t_ms: i64) -> bool {
        let (last, shortest) = match event {
            LiveEvent::None => return false,
            LiveEvent::Step => (&mut self.step_ms, STEP_INTERVAL_MS),
            LiveEvent::CalfRaiseTop => (&mut self.calf_raise_top_ms, PUMP_INTERVAL_MS),
            LiveEvent::AnklePump => (&mut self.ankle_pump_ms, PUMP_INTERVAL_MS),
        };
        if last.is_some_and(|last| t_ms - last < shortest) {
            return false;
        }
        *last = Some(t_ms);
        true
    }
}

impl LiveSessionCounter {
    /// A counter for a `kind` session (a walk, calf raises or ankle pumps)
    /// aiming at `target`, its volume weighed by `pump_yield` (the
    /// person's: `daily::pump_yield_for`, as the day weighs it).
    pub fn with_yield(kind: SessionKind, target: Target, pump_yield: PumpYield) -> Result<Self> {
        if kind == SessionKind::LegElevation {
            return Err(Error::invalid(
                "session kind",
                "leg elevation has no live count; a walk, calf raises or ankle pumps have",
            ));
        }
        target.validate(kind)?;
        let yields = [
            pump_yield.ml_per_step,
            pump_yield.ml_per_calf_raise,
            pump_yield.ml_per_ankle_pump,
        ];
        if yields
            .iter()
            .any(|y| !(y.is_finite() && (0.0..=1_000.0).contains(y)))
        {
            return Err(Error::invalid(
                "pump yield",
                format!("0 to 1000 mL a movement (got {yields:?})"),
            ));
        }
        Ok(Self {
            kind,
            target,
            pump_yield,
            clock: None,
            first_ms: 0,
            last_frame: None,
            frames: 0,
            frames_lost: 0,
            frames_repeated: 0,
            leg_steps: 0,
            recent_steps_ms: VecDeque::new(),
            calf_raises: 0,
            ankle_pumps: 0,
            last_events: LastEvents::default(),
            phase: Phase::Rest,
            hold_sum_s: 0.0,
            holds: 0,
            short_holds: 0,
            last_hold_s: None,
            latest: None,
        })
    }

    /// Takes the next Live Frame and returns the session as it now stands.
    /// A frame that breaks the layout's rules is refused and changes
    /// nothing.
    pub fn push(&mut self, frame: &LiveFrame) -> Result<LiveProgress> {
        self.take_frame(frame)?;
        Ok(self.progress())
    }

    /// [`Self::push`] without the progress: whether the frame showed the
    /// sensor restarted.
    fn take_frame(&mut self, frame: &LiveFrame) -> Result<bool> {
        if self.last_frame == Some((frame.frame_seq, frame.t0_ms)) {
            self.frames_repeated = self.frames_repeated.saturating_add(1);
            return Ok(false);
        }
        // A frame without samples says nothing about time.
        let placed = if frame.samples.is_empty() {
            None
        } else {
            Some(self.place(frame)?)
        };
        if let Some((seq, _)) = self.last_frame {
            self.frames_lost = self
                .frames_lost
                .saturating_add(u32::from(frame.lost_since(seq)));
        }
        self.last_frame = Some((frame.frame_seq, frame.t0_ms));
        self.frames = self.frames.saturating_add(1);
        let Some((clock, restarted)) = placed else {
            return Ok(false);
        };
        if restarted {
            self.phase = Phase::Rest;
            self.recent_steps_ms.clear();
            self.last_events = LastEvents::default();
        }
        let mut last_ms = self.clock.map(|c| c.last_ms);
        for sample in &frame.samples {
            let t_ms = clock.t0_ms + i64::from(sample.dt_ms);
            if last_ms.is_none() {
                self.first_ms = t_ms;
            }
            if last_ms.is_some_and(|last| t_ms - last > GAP_MS) {
                self.phase = Phase::Rest;
            }
            self.take(t_ms, sample);
            last_ms = Some(t_ms);
        }
        self.clock = Some(Clock {
            last_ms: last_ms.unwrap_or(clock.last_ms),
            ..clock
        });
        Ok(restarted)
    }

    /// Takes a frame while the session is paused: the clock, the frame
    /// counts and the latest readings follow it, but none of its movements
    /// is counted (steps and the cadence they make, raises, holds, pumps),
    /// and a raise under way is let go, so its hold is not measured when
    /// the session resumes. Refused as [`Self::push`] refuses.
    pub fn push_uncounted(&mut self, frame: &LiveFrame) -> Result<LiveProgress> {
        let mut counted = Tally::of(self);
        let pushed = self.take_frame(frame);
        if matches!(pushed, Ok(true)) {
            // A restart forgets the cadence's steps, those before the pause too.
            counted.recent_steps_ms.clear();
        }
        counted.restore(self);
        if matches!(self.phase, Phase::Rising { .. } | Phase::Hold { .. }) {
            self.phase = Phase::Lower;
        }
        pushed.map(|_| self.progress())
    }

    /// Takes back the last `raises` raises counted at their top whose hold
    /// was never measured: a pause cut them off before they were the
    /// session's.
    pub fn uncount_raises(&mut self, raises: u32) {
        self.calf_raises = self.calf_raises.saturating_sub(raises);
    }

    /// Checks a frame and places it on the session's timeline; true when
    /// it shows the sensor restarted.
    fn place(&self, frame: &LiveFrame) -> Result<(Clock, bool)> {
        let bad = |reason: String| Error::invalid("live frame", reason);
        if frame.samples.len() > MAX_FRAME_SAMPLES {
            return Err(bad(format!(
                "{} samples; a notification holds at most {MAX_FRAME_SAMPLES}",
                frame.samples.len()
            )));
        }
        if let Some(w) = frame.samples.windows(2).find(|w| w[1].dt_ms <= w[0].dt_ms) {
            return Err(bad(format!(
                "frame {}: samples out of order ({} ms after {} ms)",
                frame.frame_seq, w[1].dt_ms, w[0].dt_ms
            )));
        }
        let first_dt = i64::from(frame.samples.first().map_or(0, |s| s.dt_ms));
        let Some(before) = self.clock else {
            let clock = Clock {
                raw_t0: frame.t0_ms,
                t0_ms: 0,
                last_ms: first_dt,
            };
            return Ok((clock, false));
        };
        let forward = frame.t0_ms.wrapping_sub(before.raw_t0);
        let t0_ms = if forward < 0x8000_0000 {
            before.t0_ms + i64::from(forward)
        } else {
            before.t0_ms - i64::from(before.raw_t0.wrapping_sub(frame.t0_ms))
        };
        let back_ms = before.last_ms - (t0_ms + first_dt);
        if back_ms < 0 {
            let clock = Clock {
                raw_t0: frame.t0_ms,
                t0_ms,
                last_ms: before.last_ms,
            };
            return Ok((clock, false));
        }
        if back_ms > RESTART_MS {
            // A restarted sensor: carry on just after the last sample.
            let clock = Clock {
                raw_t0: frame.t0_ms,
                t0_ms: before.last_ms + 1 - first_dt,
                last_ms: before.last_ms,
            };
            return Ok((clock, true));
        }
        Err(bad(format!(
            "frame {}: its first sample is not after the last one ({back_ms} ms back)",
            frame.frame_seq
        )))
    }

    /// One sample.
    fn take(&mut self, t_ms: i64, sample: &LiveSample) {
        let event = match self.last_events.take(sample.event, t_ms) {
            true => sample.event,
            false => LiveEvent::None,
        };
        match event {
            LiveEvent::Step => {
                self.leg_steps = self.leg_steps.saturating_add(1);
                self.recent_steps_ms.push_back(t_ms);
            }
            LiveEvent::CalfRaiseTop => {
                self.calf_raises = self.calf_raises.saturating_add(1);
                if let Phase::Rising { peak, .. } = self.phase {
                    self.phase = Phase::Hold {
                        peak,
                        since_ms: t_ms,
                    };
                }
            }
            LiveEvent::AnklePump => self.ankle_pumps = self.ankle_pumps.saturating_add(1),
            LiveEvent::None => {}
        }
        let window_ms = (CADENCE_WINDOW_S * 1000.0) as i64;
        while self
            .recent_steps_ms
            .front()
            .is_some_and(|&t| t_ms - t > window_ms)
        {
            self.recent_steps_ms.pop_front();
        }
        self.follow_contraction(t_ms, sample.contraction);
        self.latest = Some(*sample);
    }

    /// The raise's phase from the contraction strength.
    fn follow_contraction(&mut self, t_ms: i64, c: u8) {
        self.phase = match self.phase {
            Phase::Rest if c >= ENGAGE => Phase::Rising {
                peak: c,
                peak_ms: t_ms,
            },
            Phase::Rest => Phase::Rest,
            Phase::Rising { .. } if c < RELEASE => Phase::Rest,
            Phase::Rising { peak, .. } if c > peak => Phase::Rising {
                peak: c,
                peak_ms: t_ms,
            },
            Phase::Rising { peak, peak_ms } if t_ms - peak_ms >= PLATEAU_MS => Phase::Hold {
                peak,
                since_ms: peak_ms,
            },
            rising @ Phase::Rising { .. } => rising,
            Phase::Hold { peak, since_ms } if f64::from(c) < HOLD_FRACTION * f64::from(peak) => {
                self.end_hold((t_ms - since_ms) as f64 / 1000.0);
                if c < RELEASE {
                    Phase::Rest
                } else {
                    Phase::Lower
                }
            }
            Phase::Hold { peak, since_ms } => Phase::Hold {
                peak: peak.max(c),
                since_ms,
            },
            Phase::Lower if c < RELEASE => Phase::Rest,
            Phase::Lower => Phase::Lower,
        };
    }

    fn end_hold(&mut self, held_s: f64) {
        if self.kind != SessionKind::CalfRaises {
            return;
        }
        self.holds = self.holds.saturating_add(1);
        self.hold_sum_s += held_s;
        self.last_hold_s = Some(held_s);
        let useful = self
            .target
            .hold_s
            .map_or(USEFUL_HOLD_S, |h| h.min(USEFUL_HOLD_S));
        if held_s < useful {
            self.short_holds = self.short_holds.saturating_add(1);
        }
    }

    /// Steps of both legs a minute over the window.
    fn cadence_spm(&self) -> Option<f64> {
        let (&first, &last) = (self.recent_steps_ms.front()?, self.recent_steps_ms.back()?);
        let intervals = self.recent_steps_ms.len() - 1;
        if intervals == 0 || last <= first {
            return None;
        }
        let mean_ms = (last - first) as f64 / intervals as f64;
        let open_ms = self.clock.map_or(0, |c| c.last_ms - last) as f64;
        Some(2.0 * 60_000.0 / mean_ms.max(open_ms))
    }

    /// The session as it stands.
    pub fn progress(&self) -> LiveProgress {
        let reps = match self.kind {
            SessionKind::CalfRaises => self.calf_raises,
            SessionKind::AnklePumps => self.ankle_pumps,
            SessionKind::Walk | SessionKind::LegElevation => 0,
        };
        let target_s = self.target.hold_s.unwrap_or(0.0);
        let now_ms = self.clock.map_or(0, |c| c.last_ms);
        let cue = match self.phase {
            _ if self.kind != SessionKind::CalfRaises => HoldCue::Rest,
            Phase::Rest => HoldCue::Rest,
            Phase::Rising { .. } => HoldCue::Rising,
            Phase::Hold { since_ms, .. } => HoldCue::Hold {
                elapsed_s: (now_ms - since_ms).max(0) as f64 / 1000.0,
                target_s,
            },
            Phase::Lower => HoldCue::Lower,
        };
        let steps = self.leg_steps.saturating_mul(2);
        // The session's own movements, as its outcome weighs them: a raise
        // at a crossing is no step of the walk, a step between raises no
        // rep of the set.
        let (walked, raised, pumped) = match self.kind {
            SessionKind::Walk => (steps, 0, 0),
            SessionKind::CalfRaises => (0, self.calf_raises, 0),
            SessionKind::AnklePumps => (0, 0, self.ankle_pumps),
            SessionKind::LegElevation => (0, 0, 0),
        };
        let pumped_ml = self.pump_yield.pumped_ml(walked, raised, pumped);
        let elapsed_s = self
            .clock
            .map_or(0.0, |c| (c.last_ms - self.first_ms).max(0) as f64 / 1000.0);
        let latest = self.latest;
        LiveProgress {
            kind: self.kind,
            elapsed_s,
            steps,
            cadence_spm: self.cadence_spm(),
            reps,
            target_reps: self.target.reps,
            last_hold_s: self.last_hold_s,
            mean_hold_s: (self.holds > 0).then(|| self.hold_sum_s / f64::from(self.holds)),
            holds: self.holds,
            short_holds: self.short_holds,
            cue,
            set_complete: self.target.reps.is_some_and(|t| reps >= t),
            pumped_ml,
            posture: latest.map_or(Posture::Unknown, |s| s.posture),
            ankle_mmhg: latest.map_or(0, |s| s.ankle_mmhg),
            calf_mmhg: latest.map_or(0, |s| s.calf_mmhg),
            frames: self.frames,
            frames_lost: self.frames_lost,
            frames_repeated: self.frames_repeated,
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;
    use crate::sensor::sim::{DayScript, Segment, SensorConfig, SimSensor};

    /// Round yields, distinct from each other so a miscounted movement shows
    /// (the model gives about 7.7, 30 and 12 mL for an adult of 1.75 m), so
    /// the volume checks do not depend on a model run.
    const YIELD: PumpYield = PumpYield {
        ml_per_step: 6.0,
        ml_per_calf_raise: 80.0,
        ml_per_ankle_pump: 14.0,
    };

    fn counter(kind: SessionKind) -> LiveSessionCounter {
        LiveSessionCounter::with_yield(kind, kind.default_target(), YIELD).expect("counter")
    }

    fn sample(dt_ms: u16, contraction: u8, event: LiveEvent, posture: Posture) -> LiveSample {
        LiveSample {
            dt_ms,
            ankle_mmhg: 18,
            calf_mmhg: 13,
            shank_pitch_deg: 0,
            posture,
            event,
            contraction,
        }
    }

    /// Cuts a stream of (time, sample) into frames of `per_frame` samples,
    /// as the sensor batches them, its tick counter starting at `t0`.
    fn frames(
        stream: impl IntoIterator<Item = (i64, LiveSample)>,
        per_frame: usize,
        t0: u32,
    ) -> Vec<LiveFrame> {
        let stream: Vec<(i64, LiveSample)> = stream.into_iter().collect();
        stream
            .chunks(per_frame)
            .enumerate()
            .map(|(i, chunk)| {
                let start = chunk[0].0;
                LiveFrame {
                    frame_seq: i as u16,
                    t0_ms: t0.wrapping_add(start as u32),
                    samples: chunk
                        .iter()
                        .map(|&(t, s)| LiveSample {
                            dt_ms: (t - start) as u16,
                            ..s
                        })
                        .collect(),
                }
            })
            .collect()
    }

    /// A calf-raise set at 50 Hz with the timing of a real raise (as the
    /// synthetic IMU recordings have it): up in 0.6 s on a smooth ramp,
    /// `hold_s` at the top with a little tremor, down in 0.6 s, 0.8 s of
    /// rest. The sensor flags the top when the heel stops rising.
    fn calf_raise_set(reps: u32, hold_s: f64) -> Vec<(i64, LiveSample)> {
        let (rise, hold, lower, rest) = (600, (hold_s * 1000.0) as i64, 600, 800);
        let period = rise + hold + lower + rest;
        let peak = 200.0;
        let ramp = |x: f64| (1.0 - (std::f64::consts::PI * x).cos()) / 2.0;
        (0..i64::from(reps) * period / 20)
            .map(|i| {
                let t = i * 20;
                let phase = t % period;
                let (c, event) = if phase < rise {
                    (peak * ramp(phase as f64 / rise as f64), LiveEvent::None)
                } else if phase < rise + hold {
                    let tremor = 6.0 * ((phase as f64) / 37.0).sin();
                    let top = (phase == rise).then_some(LiveEvent::CalfRaiseTop);
                    (peak + tremor, top.unwrap_or(LiveEvent::None))
                } else if phase < rise + hold + lower {
                    let x = (phase - rise - hold) as f64 / lower as f64;
                    (peak * (1.0 - ramp(x)), LiveEvent::None)
                } else {
                    (0.0, LiveEvent::None)
                };
                (
                    t,
                    sample(
                        0,
                        c.round().clamp(0.0, 255.0) as u8,
                        event,
                        Posture::Standing,
                    ),
                )
            })
            .collect()
    }

    fn push_all(counter: &mut LiveSessionCounter, frames: &[LiveFrame]) -> LiveProgress {
        let mut last = counter.progress();
        for frame in frames {
            last = counter.push(frame).expect("valid frame");
        }
        last
    }

    #[test]
    fn a_set_of_twenty_raises_held_one_second_counts_twenty_with_one_second_holds() {
        let mut c = counter(SessionKind::CalfRaises);
        let set = calf_raise_set(20, 1.0);
        let p = push_all(&mut c, &frames(set, 12, 5_000));
        assert_eq!(p.reps, 20);
        assert!(p.set_complete);
        let mean = p.mean_hold_s.expect("holds measured");
        // The top band ends a little into the lowering (85 % of the peak is
        // reached 0.15 s after the heel starts down).
        assert!((mean - 1.0).abs() < 0.2, "mean hold {mean}");
        assert_eq!(p.short_holds, 0);
        assert!((p.pumped_ml - 20.0 * 80.0).abs() < 1e-9);
        assert_eq!(p.cue, HoldCue::Rest);
        assert_eq!((p.frames_lost, p.frames_repeated), (0, 0));
    }

    #[test]
    fn a_flag_left_set_over_several_samples_counts_one_movement() {
        // Each raise's top flagged on five samples in a row (100 ms): the
        // same raise, not five.
        let mut raises = calf_raise_set(20, 1.0);
        let tops: Vec<usize> = (0..raises.len())
            .filter(|&i| raises[i].1.event == LiveEvent::CalfRaiseTop)
            .collect();
        for i in tops {
            for stuck in &mut raises[i..i + 5] {
                stuck.1.event = LiveEvent::CalfRaiseTop;
            }
        }
        let mut c = counter(SessionKind::CalfRaises);
        let p = push_all(&mut c, &frames(raises, 12, 5_000));
        assert_eq!(p.reps, 20);
        assert_eq!(p.holds, 20);
        // Steps and pumps likewise, at 50 Hz: one flag per second held for
        // three samples is one movement a second.
        for (kind, event) in [
            (SessionKind::Walk, LiveEvent::Step),
            (SessionKind::AnklePumps, LiveEvent::AnklePump),
        ] {
            let stream = (0..500).map(|i: i64| {
                let flagged = i % 50 < 3;
                let event = if flagged { event } else { LiveEvent::None };
                (i * 20, sample(0, 0, event, Posture::Sitting))
            });
            let mut c = counter(kind);
            let p = push_all(&mut c, &frames(stream, 10, 0));
            let counted = match kind {
                SessionKind::Walk => p.steps / 2,
                _ => p.reps,
            };
            assert_eq!(counted, 10, "{kind:?}");
        }
    }

    #[test]
    fn movements_at_the_fastest_pace_are_each_counted() {
        // A leg's stride at 250 steps a minute (480 ms) and pumps at 120 a
        // minute (500 ms): every one counts.
        for (kind, event, every_ms) in [
            (SessionKind::Walk, LiveEvent::Step, 480),
            (SessionKind::AnklePumps, LiveEvent::AnklePump, 500),
        ] {
            let stream = (0..1_200).map(|i: i64| {
                let t = i * 10;
                let event = if t % every_ms == 0 {
                    event
                } else {
                    LiveEvent::None
                };
                (t, sample(0, 0, event, Posture::Sitting))
            });
            let mut c = counter(kind);
            let p = push_all(&mut c, &frames(stream, 20, 0));
            let counted = match kind {
                SessionKind::Walk => p.steps / 2,
                _ => p.reps,
            };
            assert_eq!(i64::from(counted), 12_000 / every_ms, "{kind:?}");
        }
    }

    #[test]
    fn the_cue_follows_a_raise_and_the_hold_counts_up() {
        let mut c = counter(SessionKind::CalfRaises);
        let mut cues = Vec::new();
        for frame in frames(calf_raise_set(1, 2.0), 1, 0) {
            cues.push(c.push(&frame).expect("valid").cue);
        }
        let order: Vec<&str> = cues
            .iter()
            .map(|c| match c {
                HoldCue::Rising => "rising",
                HoldCue::Hold { .. } => "hold",
                HoldCue::Lower => "lower",
                HoldCue::Rest => "rest",
            })
            .fold(Vec::new(), |mut acc, name| {
                if acc.last() != Some(&name) {
                    acc.push(name);
                }
                acc
            });
        assert_eq!(order, ["rest", "rising", "hold", "lower", "rest"]);
        let longest = cues
            .iter()
            .filter_map(|c| match c {
                HoldCue::Hold {
                    elapsed_s,
                    target_s,
                } => Some((*elapsed_s, *target_s)),
                _ => None,
            })
            .fold((0.0, 0.0), |a, b| if b.0 > a.0 { b } else { a });
        assert!(longest.0 > 1.9 && longest.0 < 2.3, "{longest:?}");
        assert_eq!(longest.1, 1.0);
        let held = c.progress().last_hold_s.expect("one hold");
        assert!((held - 2.0).abs() < 0.2, "{held}");
    }

    #[test]
    fn a_raise_without_its_top_event_is_held_from_its_peak() {
        let mut c = counter(SessionKind::CalfRaises);
        let set: Vec<(i64, LiveSample)> = calf_raise_set(3, 1.0)
            .into_iter()
            .map(|(t, s)| {
                (
                    t,
                    LiveSample {
                        event: LiveEvent::None,
                        ..s
                    },
                )
            })
            .collect();
        let p = push_all(&mut c, &frames(set, 5, 0));
        assert_eq!(p.reps, 0, "reps come from the sensor's events");
        let mean = p.mean_hold_s.expect("holds measured");
        assert!((mean - 1.0).abs() < 0.25, "mean hold {mean}");
    }

    fn simulated(segment: Segment, seconds: i64, rate_hz: i64) -> Vec<(i64, LiveSample)> {
        let start: DateTime<Utc> = "2026-11-21T08:00:00Z".parse().expect("time");
        let script = DayScript {
            start,
            sock_pressure_mmhg: 18,
            segments: vec![segment],
        };
        let sensor = SimSensor::new(SensorConfig::default(), &script);
        let t0 = start.timestamp_millis();
        (0..seconds * rate_hz)
            .map(|i| {
                let t = i * 1000 / rate_hz;
                (t, sensor.live_sample(t0 + t))
            })
            .collect()
    }

    #[test]
    fn a_walk_s_litres_are_its_steps_only_as_its_outcome_counts_them() {
        // A calf raise flagged mid-walk (on tiptoe at a crossing): the walk
        // records no rep, so its litres, live and saved, are the steps'.
        let mut walk = simulated(
            Segment::Walking {
                minutes: 1,
                cadence_spm: 110,
            },
            10,
            50,
        );
        let quiet = walk
            .iter_mut()
            .find(|(_, s)| s.event == LiveEvent::None)
            .expect("a sample between steps");
        quiet.1.event = LiveEvent::CalfRaiseTop;
        let mut c = counter(SessionKind::Walk);
        let p = push_all(&mut c, &frames(walk, 25, 123));
        assert!(p.steps > 0);
        assert!(
            (p.pumped_ml - f64::from(p.steps) * 6.0).abs() < 1e-9,
            "{} mL for {} steps",
            p.pumped_ml,
            p.steps
        );
    }

    #[test]
    fn a_walk_at_110_steps_a_minute_shows_cadence_110_and_its_steps() {
        let mut c = counter(SessionKind::Walk);
        let walk = simulated(
            Segment::Walking {
                minutes: 2,
                cadence_spm: 110,
            },
            60,
            100,
        );
        let p = push_all(&mut c, &frames(walk, 25, 123));
        let cadence = p.cadence_spm.expect("walking");
        assert!((cadence - 110.0).abs() < 2.0, "cadence {cadence}");
        // A minute at 110 steps a minute, counted on one leg.
        assert!((108..=112).contains(&p.steps), "{} steps", p.steps);
        assert!((p.pumped_ml - f64::from(p.steps) * 6.0).abs() < 1e-9);
        assert_eq!(p.reps, 0);
        assert!(!p.set_complete);
    }

    #[test]
    fn cadence_falls_away_when_the_walk_stops() {
        let mut c = counter(SessionKind::Walk);
        let mut stream = simulated(
            Segment::Walking {
                minutes: 1,
                cadence_spm: 100,
            },
            30,
            50,
        );
        let still = (1_500..1_500 + 15 * 50)
            .map(|i| (i * 20, sample(0, 0, LiveEvent::None, Posture::Standing)));
        stream.extend(still);
        let frames = frames(stream, 10, 0);
        let walking = push_all(&mut c, &frames[..150]);
        assert!(walking.cadence_spm.is_some_and(|s| (s - 100.0).abs() < 3.0));
        let after_4_s = push_all(&mut c, &frames[150..170]);
        let slower = after_4_s.cadence_spm.expect("steps still in the window");
        assert!(slower < 40.0, "{slower}");
        let after_15_s = push_all(&mut c, &frames[170..]);
        assert_eq!(after_15_s.cadence_spm, None);
    }

    #[test]
    fn the_simulated_sensors_calf_raise_set_counts_its_reps() {
        let mut c = counter(SessionKind::CalfRaises);
        let set = simulated(
            Segment::CalfRaises {
                reps: 20,
                hold_s: 1.0,
            },
            60,
            100,
        );
        let p = push_all(&mut c, &frames(set, 25, 0));
        assert_eq!(p.reps, 20);
        assert!(p.set_complete);
        assert_eq!(c.holds, 20);
        // The simulated heel stays up for the hold asked for; the measured
        // hold ends a little into the lowering, as with a real calf.
        let mean = p.mean_hold_s.expect("holds measured");
        assert!((mean - 1.0).abs() < 0.2, "mean hold {mean}");
        assert_eq!(p.short_holds, 0);
    }

    #[test]
    fn the_simulated_sensors_own_live_frames_count_a_set_at_any_rate() {
        use crate::sensor::gatt::{ControlRequest, RscMeasurement};
        use crate::sensor::uuids;
        for rate_hz in [10u8, 25, 50] {
            let start: DateTime<Utc> = "2026-11-21T08:00:00Z".parse().expect("time");
            let script = DayScript {
                start,
                sock_pressure_mmhg: 18,
                segments: vec![Segment::Sitting { minutes: 600 }],
            };
            let mut sensor = SimSensor::new(SensorConfig::default(), &script);
            let t0 = start.timestamp_millis() + 3_600_000;
            sensor.advance_to(t0);
            sensor.set_mtu(247);
            for c in [
                uuids::LIVE_FRAME,
                uuids::CONTROL_POINT,
                uuids::RSC_MEASUREMENT,
            ] {
                sensor.subscribe(c).expect("notifiable");
            }
            sensor
                .write(
                    uuids::CONTROL_POINT,
                    &ControlRequest::StartLive { rate_hz }.encode(),
                )
                .expect("started");
            let end = sensor.perform(Segment::CalfRaises {
                reps: 20,
                hold_s: 1.0,
            });
            assert_eq!(end - t0, 60_000, "20 raises of 3 s");
            let mut c = counter(SessionKind::CalfRaises);
            let mut last = c.progress();
            let mut cadence_readings = 0;
            // Time in uneven steps, as a caller may advance it.
            let mut at = t0;
            for step in [7, 333, 1_000, 41, 2_619].iter().cycle() {
                at += step;
                sensor.advance_to(at);
                while let Some(out) = sensor.take_outgoing() {
                    if out.characteristic == uuids::LIVE_FRAME {
                        let frame = LiveFrame::parse(&out.value).expect("frame");
                        last = c.push(&frame).expect("valid frame");
                    } else if out.characteristic == uuids::RSC_MEASUREMENT {
                        RscMeasurement::parse(&out.value).expect("rsc");
                        cadence_readings += 1;
                    }
                }
                if at > end + 2_000 {
                    break;
                }
            }
            assert_eq!(last.reps, 20, "{rate_hz} Hz");
            assert_eq!(c.holds, 20, "{rate_hz} Hz");
            let mean = last.mean_hold_s.expect("holds");
            assert!((mean - 1.0).abs() < 0.2, "{rate_hz} Hz: mean hold {mean}");
            assert_eq!(last.frames_lost, 0);
            assert!(cadence_readings >= 60, "{cadence_readings}");
            assert!((last.elapsed_s - 62.0).abs() < 4.0, "{}", last.elapsed_s);
        }
    }

    #[test]
    fn ankle_pumps_count_their_events() {
        let mut c = counter(SessionKind::AnklePumps);
        let pumps = simulated(
            Segment::AnklePumps {
                reps: 30,
                rate_per_min: 30,
            },
            60,
            50,
        );
        let p = push_all(&mut c, &frames(pumps, 10, 0));
        assert_eq!(p.reps, 30);
        assert!(p.set_complete);
        assert_eq!(p.mean_hold_s, None, "holds are for calf raises");
        assert!((p.pumped_ml - 30.0 * 14.0).abs() < 1e-9);
    }

    #[test]
    fn lost_and_repeated_frames_are_reported_across_the_counter_wrap() {
        let mut c = counter(SessionKind::Walk);
        let walk = simulated(
            Segment::Walking {
                minutes: 1,
                cadence_spm: 110,
            },
            10,
            50,
        );
        let mut frames = frames(walk, 5, 0);
        for (i, f) in frames.iter_mut().enumerate() {
            f.frame_seq = 65_530u16.wrapping_add(i as u16);
        }
        c.push(&frames[0]).expect("valid");
        c.push(&frames[1]).expect("valid");
        c.push(&frames[1]).expect("a repeat is ignored");
        // Frames 2 to 8 never arrive; the counter wraps past 65535 meanwhile.
        let p = c.push(&frames[9]).expect("valid");
        assert_eq!(p.frames_lost, 7);
        assert_eq!(p.frames_repeated, 1);
        assert_eq!(p.frames, 3);
        let p = push_all(&mut c, &frames[10..]);
        assert_eq!(p.frames_lost, 7);
    }

    #[test]
    fn time_carries_on_across_the_tick_counter_wrap_and_a_restart() {
        let set = calf_raise_set(10, 1.0);
        // The tick counter's low 32 bits wrap 3 s into the set.
        let mut c = counter(SessionKind::CalfRaises);
        let p = push_all(&mut c, &frames(set.clone(), 10, u32::MAX - 3_000));
        assert_eq!(p.reps, 10);
        assert!(p.mean_hold_s.is_some_and(|h| (h - 1.0).abs() < 0.2));
        assert!((p.elapsed_s - 29.98).abs() < 1e-9, "{}", p.elapsed_s);

        // The sensor restarts half-way: after 20 minutes of ticks, its
        // counter starts again from 500 ms.
        let (first, second) = set.split_at(set.len() / 2);
        let mut all = frames(first.to_vec(), 10, 1_200_000);
        let mut after_restart = frames(second.to_vec(), 10, 500u32.wrapping_sub(15_000));
        let offset = all.len() as u16;
        for f in &mut after_restart {
            f.frame_seq += offset;
        }
        all.extend(after_restart);
        let mut c = counter(SessionKind::CalfRaises);
        let p = push_all(&mut c, &all);
        assert_eq!(p.reps, 10);
        assert!(p.mean_hold_s.is_some_and(|h| (h - 1.0).abs() < 0.2));
        assert!((p.elapsed_s - 29.96).abs() < 0.05, "{}", p.elapsed_s);
        assert_eq!(p.frames_lost, 0);
    }

    #[test]
    fn a_step_just_after_a_restart_is_a_step_of_its_own() {
        // A step at the last sample before the sensor reboots and one at the
        // first sample after it: the reboot took seconds, though it takes
        // no time on the session's clock.
        let step = |t: i64| (t, sample(0, 0, LiveEvent::Step, Posture::Walking));
        let before = frames([step(0), step(600), step(1_200)], 3, 1_200_000);
        let mut after = frames([step(0), step(600)], 2, 500);
        after[0].frame_seq = 1;
        let mut c = counter(SessionKind::Walk);
        push_all(&mut c, &before);
        let p = push_all(&mut c, &after);
        assert_eq!(p.steps, 2 * 5);
    }

    #[test]
    fn a_restart_while_paused_leaves_the_cadence_to_the_steps_after_it() {
        // Strides of half a second, a pause in which the sensor reboots,
        // then strides of a second: the cadence is the second's alone.
        let step = |t: i64| (t, sample(0, 0, LiveEvent::Step, Posture::Walking));
        let before = frames([step(0), step(500), step(1_000), step(1_500)], 4, 1_200_000);
        let mut restart = frames([step(0)], 1, 500);
        restart[0].frame_seq = 1;
        let mut after = frames([step(1_000), step(2_000), step(3_000)], 3, 500);
        after[0].frame_seq = 2;
        let mut c = counter(SessionKind::Walk);
        push_all(&mut c, &before);
        c.push_uncounted(&restart[0]).expect("valid");
        let p = push_all(&mut c, &after);
        let cadence = p.cadence_spm.expect("a cadence");
        assert!((cadence - 120.0).abs() < 1e-6, "{cadence}");
    }

    #[test]
    fn garbage_frames_are_typed_errors_and_change_nothing() {
        let mut c = counter(SessionKind::CalfRaises);
        let set = frames(calf_raise_set(2, 1.0), 10, 1_000);
        c.push(&set[0]).expect("valid");
        c.push(&set[1]).expect("valid");
        let before = c.progress();
        let mut out_of_order = set[2].clone();
        out_of_order.samples.swap(0, 3);
        let mut back_in_time = set[2].clone();
        back_in_time.t0_ms -= 500;
        let mut too_many = set[2].clone();
        too_many.samples = (0..300)
            .map(|i| sample(i, 0, LiveEvent::None, Posture::Standing))
            .collect();
        for garbage in [out_of_order, back_in_time, too_many] {
            assert!(matches!(
                c.push(&garbage),
                Err(Error::InvalidInput {
                    field: "live frame",
                    ..
                })
            ));
            assert_eq!(c.progress(), before);
        }
        c.push(&set[2]).expect("the real frame is still taken");
        let empty = LiveFrame {
            frame_seq: set[2].frame_seq + 1,
            t0_ms: set[2].t0_ms + 500,
            samples: Vec::new(),
        };
        c.push(&empty).expect("an empty frame is harmless");
    }

    #[test]
    fn a_gap_in_the_samples_drops_the_raise_under_way() {
        let mut c = counter(SessionKind::CalfRaises);
        let set = calf_raise_set(2, 1.0);
        // The samples from the middle of the first hold to the start of the
        // second raise never arrive.
        let cut: Vec<(i64, LiveSample)> = set
            .into_iter()
            .filter(|(t, _)| !(1_000..3_020).contains(t))
            .collect();
        let p = push_all(&mut c, &frames(cut, 5, 0));
        assert_eq!(c.holds, 1, "only the second raise has a hold");
        assert!(p.mean_hold_s.is_some_and(|h| (h - 1.0).abs() < 0.2));
    }

    #[test]
    fn hostile_setups_are_typed_errors() {
        let target = SessionKind::CalfRaises.default_target();
        assert!(matches!(
            LiveSessionCounter::with_yield(SessionKind::LegElevation, target, YIELD),
            Err(Error::InvalidInput { .. })
        ));
        let bad_target = Target {
            reps: Some(0),
            ..target
        };
        assert!(
            LiveSessionCounter::with_yield(SessionKind::CalfRaises, bad_target, YIELD).is_err()
        );
        let nan_hold = Target {
            hold_s: Some(f64::NAN),
            ..target
        };
        assert!(LiveSessionCounter::with_yield(SessionKind::CalfRaises, nan_hold, YIELD).is_err());
        let bad_yield = PumpYield {
            ml_per_step: f64::NAN,
            ..YIELD
        };
        assert!(LiveSessionCounter::with_yield(SessionKind::Walk, target, bad_yield).is_err());
    }

    fn any_sample() -> impl proptest::strategy::Strategy<Value = LiveSample> {
        use proptest::prelude::*;
        let posture = prop_oneof![
            Just(Posture::Unknown),
            Just(Posture::Lying),
            Just(Posture::Sitting),
            Just(Posture::Standing),
            Just(Posture::LegsRaised),
            Just(Posture::Walking),
        ];
        let event = prop_oneof![
            Just(LiveEvent::None),
            Just(LiveEvent::Step),
            Just(LiveEvent::CalfRaiseTop),
            Just(LiveEvent::AnklePump),
        ];
        (
            any::<u16>(),
            any::<u8>(),
            any::<u8>(),
            any::<i8>(),
            posture,
            event,
            any::<u8>(),
        )
            .prop_map(
                |(dt_ms, ankle_mmhg, calf_mmhg, shank_pitch_deg, posture, event, contraction)| {
                    LiveSample {
                        dt_ms,
                        ankle_mmhg,
                        calf_mmhg,
                        shank_pitch_deg,
                        posture,
                        event,
                        contraction,
                    }
                },
            )
    }

    proptest::proptest! {
        #[test]
        fn any_stream_of_frames_gives_progress_or_a_typed_error(
            frames in proptest::collection::vec(
                (proptest::prelude::any::<u16>(), proptest::prelude::any::<u32>(),
                 proptest::collection::vec(any_sample(), 0..12)),
                1..40,
            ),
            kind in proptest::prop_oneof![
                proptest::strategy::Just(SessionKind::Walk),
                proptest::strategy::Just(SessionKind::CalfRaises),
                proptest::strategy::Just(SessionKind::AnklePumps),
            ],
        ) {
            let mut c = counter(kind);
            for (frame_seq, t0_ms, mut samples) in frames {
                samples.sort_by_key(|s| s.dt_ms);
                let frame = LiveFrame { frame_seq, t0_ms, samples };
                match c.push(&frame) {
                    Ok(p) => {
                        proptest::prop_assert!(p.elapsed_s.is_finite() && p.elapsed_s >= 0.0);
                        proptest::prop_assert!(p.pumped_ml.is_finite() && p.pumped_ml >= 0.0);
                        proptest::prop_assert_eq!(p.steps % 2, 0);
                        proptest::prop_assert!(p.cadence_spm.is_none_or(|s| s.is_finite() && s > 0.0));
                        proptest::prop_assert!(p.mean_hold_s.is_none_or(|h| h.is_finite() && h >= 0.0));
                    }
                    Err(e) => proptest::prop_assert!(
                        matches!(e, Error::InvalidInput { field: "live frame", .. }),
                        "{e:?}"
                    ),
                }
            }
        }
    }
}
