//! Calf raises from how high the ankle rises.
//!
//! Rising on tiptoe lifts the ankle by 4–9 cm (the heel lift times the
//! ratio of the ankle's and the heel's distances from the toe joints) while
//! the shank stays about upright. The vertical acceleration is integrated
//! twice only while the leg moves: whenever it has been still for a moment
//! (at the bottom, and during the hold at the top) the velocity is known to
//! be zero, so sensor bias can drift the height by a centimetre at most.

use super::ActivityEvent;

/// A rise higher than this is a calf raise, m.
const RAISE_HEIGHT_M: f64 = 0.03;
/// Back below this the raise has ended, m…
const LOWERED_HEIGHT_M: f64 = 0.012;
/// …or below this share of its height.
const LOWERED_SHARE: f64 = 0.35;
/// Stillness that proves the velocity is zero, s.
const ZERO_VELOCITY_STILL_S: f64 = 0.2;
/// Stillness at the bottom after which the height is re-zeroed, s.
const REZERO_STILL_S: f64 = 1.0;
/// A raise lasting longer than this is not one (leaning, drift), s: the
/// longest hold a set records (`LONGEST_HOLD_S`) with a rise and a fall
/// of the longest motion. At 15 s, a raise held 16 s had been dropped
/// whole, where the set counts it, its hold capped at 30 s.
const MAX_RAISE_S: f64 = crate::session::LONGEST_HOLD_S + 2.0 * MAX_MOTION_S;
/// Rising or lowering takes under this; longer motion is something else
/// (ankle pumps, shifting about), s.
const MAX_MOTION_S: f64 = 2.5;
/// Raises further apart than this belong to different sets, s.
const SET_GAP_S: f64 = 10.0;
/// The shortest hold at the top that the exercise asks for, s.
pub const USEFUL_HOLD_S: f64 = 0.8;

#[derive(Debug, Clone, Copy)]
struct Raise {
    start_s: f64,
    peak_m: f64,
    hold_s: f64,
}

#[derive(Debug, Clone, Copy)]
struct Set {
    start_s: f64,
    end_s: f64,
    reps: u32,
    hold_sum_s: f64,
    short_holds: u32,
}

/// Counts calf raises and groups them into sets.
#[derive(Debug, Clone, Default)]
pub(crate) struct CalfRaiseDetector {
    velocity: f64,
    height: f64,
    motion_start_s: Option<f64>,
    raise: Option<Raise>,
    set: Option<Set>,
}

impl CalfRaiseDetector {
    /// Feeds one sample: `vertical` is the acceleration along "up" less
    /// gravity, m/s²; `still_s` how long the leg has been still; `upright`
    /// whether the shank is upright and not walking.
    pub(crate) fn update(
        &mut self,
        t_s: f64,
        vertical: f64,
        still_s: f64,
        dt_s: f64,
        upright: bool,
        out: &mut Vec<ActivityEvent>,
    ) {
        // The gap runs to the next raise's start: a raise held long (up on
        // the toes for 20 s) is the set's next, not the start of another.
        let next_starts = self.raise.map_or(t_s, |raise| raise.start_s);
        if let Some(set) = self.set
            && next_starts - set.end_s > SET_GAP_S
        {
            self.close_set(out);
        }
        if !upright {
            self.reset();
            return;
        }
        if still_s >= ZERO_VELOCITY_STILL_S {
            self.velocity = 0.0;
            self.motion_start_s = None;
            if let Some(raise) = &mut self.raise {
                if self.height > 0.6 * raise.peak_m {
                    // The hold is the longest stillness at the top.
                    raise.hold_s = raise.hold_s.max(still_s);
                }
            } else if still_s >= REZERO_STILL_S {
                self.height = 0.0;
            }
        } else {
            // Integrate from the start of the motion (the last moment of
            // stillness counts as the first sample of it).
            let started = *self.motion_start_s.get_or_insert(t_s);
            if t_s - started > MAX_MOTION_S {
                self.reset();
                return;
            }
            self.velocity += vertical * dt_s;
            self.height += self.velocity * dt_s;
        }
        match &mut self.raise {
            None if self.height > RAISE_HEIGHT_M => {
                self.raise = Some(Raise {
                    start_s: self.motion_start_s.unwrap_or(t_s),
                    peak_m: self.height,
                    hold_s: 0.0,
                });
            }
            Some(raise) if t_s - raise.start_s > MAX_RAISE_S => self.reset(),
            // Back at rest well below the top (integration may leave a
            // centimetre or so of drift).
            Some(raise)
                if self.height < LOWERED_HEIGHT_M.max(LOWERED_SHARE * raise.peak_m)
                    && still_s >= ZERO_VELOCITY_STILL_S =>
            {
                let raise = *raise;
                self.finish_raise(raise, t_s, out);
            }
            Some(raise) => raise.peak_m = raise.peak_m.max(self.height),
            None => {}
        }
    }

    /// Whether a raise is under way or a set is still open at `t_s`.
    pub(crate) fn active(&self, t_s: f64) -> bool {
        self.raise.is_some() || self.set.is_some_and(|set| t_s - set.end_s <= SET_GAP_S)
    }

    fn finish_raise(&mut self, raise: Raise, t_s: f64, out: &mut Vec<ActivityEvent>) {
        // A clean raise comes back to where it started.
        let confidence = (1.0 - self.height.abs() / raise.peak_m).clamp(0.5, 1.0);
        let end_s = t_s - ZERO_VELOCITY_STILL_S;
        out.push(ActivityEvent::CalfRaise {
            start_s: raise.start_s,
            end_s,
            hold_s: raise.hold_s,
            height_cm: 100.0 * raise.peak_m,
            confidence,
        });
        let short = u32::from(raise.hold_s < USEFUL_HOLD_S);
        let set = self.set.get_or_insert(Set {
            start_s: raise.start_s,
            end_s,
            reps: 0,
            hold_sum_s: 0.0,
            short_holds: 0,
        });
        set.end_s = end_s;
        set.reps += 1;
        set.hold_sum_s += raise.hold_s;
        set.short_holds += short;
        self.raise = None;
        self.height = 0.0;
    }

    fn reset(&mut self) {
        self.velocity = 0.0;
        self.height = 0.0;
        self.motion_start_s = None;
        self.raise = None;
    }

    /// Ends the set under way, if any.
    pub(crate) fn close_set(&mut self, out: &mut Vec<ActivityEvent>) {
        if let Some(set) = self.set.take() {
            out.push(ActivityEvent::CalfRaiseSet {
                start_s: set.start_s,
                end_s: set.end_s,
                reps: set.reps,
                mean_hold_s: set.hold_sum_s / f64::from(set.reps),
                short_holds: set.short_holds,
                confidence: if set.reps >= 3 { 0.9 } else { 0.6 },
            });
        }
    }
}
