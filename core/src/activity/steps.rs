//! Strides from the swing of the leg, and walking bouts from strides.
//!
//! In every stride the shank (and foot) swings forward once, turning at
//! 200–500 deg/s at mid-swing, while during stance it turns at a third of
//! that or less (Aminian et al., J Biomech 2002;35:689). The magnitude of
//! the angular rate, smoothed so a swing's three peaks merge into one hump,
//! therefore has one big hump a stride whatever way round the sensor sits.
//! Humps are found with hysteresis ([`super::hump`]: one ends when it has fallen to half its
//! height); the stance humps between swings are suppressed by keeping only
//! the largest hump within most of a stride when its neighbours are much
//! smaller (non-maximum suppression, the window following the cadence). The heel strike is placed at the sharpest
//! impact on the accelerometer just after the swing peak.

use super::ActivityEvent;
use super::filters::LowPass2;
use super::hump::{Hump, HumpFinder, HumpStep};

/// Smoothing of the angular-rate magnitude (two stages), s.
const SMOOTHING_TAU_S: f64 = 0.05;
/// A hump starts when the smoothed rate climbs above this, deg/s, and above
/// twice the trough before it.
const HUMP_START_DPS: f64 = 40.0;
/// A swing's smoothed peak is at least this, deg/s (slow walking ~120).
const SWING_PEAK_DPS: f64 = 90.0;
/// Shortest stride, s (running at 180 steps/min is 0.67 s).
const MIN_STRIDE_S: f64 = 0.45;
/// The suppression window as a share of the last stride time.
const SUPPRESSION_SHARE: f64 = 0.6;
/// A hump under this share of a neighbour's inside the window is a stance
/// hump, not a stride (stance turns the shank at a third of the swing).
const DWARF_SHARE: f64 = 0.6;
/// Bounds of the suppression window, s.
const SUPPRESSION_S: (f64, f64) = (0.35, 1.0);
/// Heel strike is sought this long after the (smoothed) swing peak, s.
const IMPACT_WINDOW_S: f64 = 0.3;
/// ... only once the raw rate has fallen below this share of the peak.
const IMPACT_GATE: f64 = 0.8;
/// Longest pause between strides inside one walking bout, s.
const MAX_STRIDE_GAP_S: f64 = 2.5;
/// The longest a stride waits in the swing detector after its heel strike
/// before it is handed on (until no larger swing can supersede it), s: the
/// suppression window at its longest. A stride can thus reach the bouts
/// this long after a bout's gap has passed on the clock.
const LONGEST_HAND_OVER_S: f64 = if SUPPRESSION_S.1 > IMPACT_WINDOW_S {
    SUPPRESSION_S.1
} else {
    IMPACT_WINDOW_S
};

/// One stride of the leg wearing the sensor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Stride {
    /// Heel strike ending the swing, s.
    pub ic_s: f64,
}

/// The largest swing hump seen lately, waiting out its window.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    peak: f64,
    peak_s: f64,
    impact: f64,
    impact_s: f64,
}

/// Finds swings in the angular rate and times their heel strikes.
#[derive(Debug, Clone)]
pub(crate) struct SwingDetector {
    smooth: LowPass2,
    humps: HumpFinder,
    candidate: Option<Candidate>,
    /// Sharpest impact since the climbing hump's peak (value, time).
    impact_since_peak: (f64, f64),
    last_stride_s: f64,
    last_stride_peak: f64,
    last_interval_s: f64,
}

impl SwingDetector {
    pub(crate) fn new() -> Self {
        Self {
            smooth: LowPass2::new(SMOOTHING_TAU_S),
            humps: HumpFinder::new(HUMP_START_DPS),
            candidate: None,
            impact_since_peak: (f64::NEG_INFINITY, 0.0),
            last_stride_s: f64::NEG_INFINITY,
            last_stride_peak: 0.0,
            last_interval_s: 1.1,
        }
    }

    fn window_s(&self) -> f64 {
        (SUPPRESSION_SHARE * self.last_interval_s).clamp(SUPPRESSION_S.0, SUPPRESSION_S.1)
    }

    /// Feeds one sample: `rate_dps` is |gyro|, `impact` is |acc| − gravity.
    /// Returns a stride once no larger swing can supersede it.
    pub(crate) fn update(
        &mut self,
        t_s: f64,
        rate_dps: f64,
        impact: f64,
        dt_s: f64,
    ) -> Option<Stride> {
        let smoothed = self.smooth.update(rate_dps, dt_s);
        // The heel strikes once the swing has slowed (the swing's own
        // accelerations come earlier).
        if let Some(candidate) = &mut self.candidate {
            let since_peak = t_s - candidate.peak_s;
            if since_peak <= IMPACT_WINDOW_S
                && rate_dps < IMPACT_GATE * candidate.peak
                && impact > candidate.impact
            {
                candidate.impact = impact;
                candidate.impact_s = t_s;
            }
        }
        let mut stride = self.confirm(t_s);
        if let Some(climbing) = self.humps.climbing()
            && rate_dps < IMPACT_GATE * climbing.peak
            && impact > self.impact_since_peak.0
        {
            self.impact_since_peak = (impact, t_s);
        }
        match self.humps.update(t_s, smoothed) {
            HumpStep::Peak => {
                self.impact_since_peak = (f64::NEG_INFINITY, t_s + 0.5 * IMPACT_WINDOW_S);
            }
            HumpStep::Ended(hump) => {
                if let Some(confirmed) = self.on_hump(hump) {
                    stride = Some(confirmed);
                }
            }
            HumpStep::Quiet => {}
        }
        stride
    }

    /// Takes a finished hump; returns the previous candidate when this hump
    /// is a stride of its own (about as big, close in time: a quick turn).
    fn on_hump(&mut self, Hump { peak, peak_s }: Hump) -> Option<Stride> {
        let since_stride = peak_s - self.last_stride_s;
        let dwarfed_by = |bigger: f64| peak < DWARF_SHARE * bigger;
        if peak < SWING_PEAK_DPS
            || since_stride < MIN_STRIDE_S
            || (since_stride < self.window_s() && dwarfed_by(self.last_stride_peak))
        {
            return None;
        }
        let mut confirmed = None;
        if let Some(candidate) = self.candidate {
            if dwarfed_by(candidate.peak) {
                return None;
            }
            if candidate.peak >= DWARF_SHARE * peak {
                confirmed = self.take_candidate();
                if peak_s - self.last_stride_s < MIN_STRIDE_S {
                    return confirmed;
                }
            }
        }
        let (impact, impact_s) = self.impact_since_peak;
        self.candidate = Some(Candidate {
            peak,
            peak_s,
            impact,
            impact_s,
        });
        confirmed
    }

    fn confirm(&mut self, t_s: f64) -> Option<Stride> {
        let candidate = self.candidate?;
        let wait = self.window_s().max(IMPACT_WINDOW_S);
        // A much bigger hump still climbing inside the window replaces it.
        let outgrown = self.humps.climbing().is_some_and(|climbing| {
            candidate.peak < DWARF_SHARE * climbing.peak
                && climbing.peak_s - candidate.peak_s < wait
        });
        if t_s - candidate.peak_s < wait || outgrown {
            return None;
        }
        self.take_candidate()
    }

    /// The stride waiting to be handed on, taken now: once no larger swing
    /// can supersede it, or when the recording ends (or breaks off) first.
    pub(crate) fn take_candidate(&mut self) -> Option<Stride> {
        let candidate = self.candidate.take()?;
        let interval = candidate.peak_s - self.last_stride_s;
        if interval <= MAX_STRIDE_GAP_S {
            self.last_interval_s = interval;
        }
        self.last_stride_s = candidate.peak_s;
        self.last_stride_peak = candidate.peak;
        Some(Stride {
            ic_s: candidate.impact_s,
        })
    }
}

#[derive(Debug, Clone, Copy)]
struct Bout {
    first_s: f64,
    last_s: f64,
    strides: u32,
    last_interval_s: f64,
    confidence_sum: f64,
}

/// Groups strides into walking bouts and emits their steps; a lone stride
/// (a fidget, a shift of the foot) makes no steps.
#[derive(Debug, Clone, Default)]
pub(crate) struct BoutTracker {
    bout: Option<Bout>,
    pending: Option<Stride>,
}

impl BoutTracker {
    /// Whether a walking bout is under way.
    pub(crate) fn walking(&self) -> bool {
        self.bout.is_some()
    }

    /// Takes a stride; its steps go to `out`.
    pub(crate) fn on_stride(&mut self, stride: Stride, out: &mut Vec<ActivityEvent>) {
        let t = stride.ic_s;
        if let Some(bout) = &mut self.bout
            && t - bout.last_s <= MAX_STRIDE_GAP_S
        {
            let interval = t - bout.last_s;
            let confidence = regularity(interval, bout.last_interval_s);
            push_steps(out, bout.last_s, t, confidence);
            bout.last_s = t;
            bout.last_interval_s = interval;
            bout.strides += 1;
            bout.confidence_sum += confidence;
            return;
        }
        self.close(out);
        match self.pending.take() {
            Some(first) if t - first.ic_s <= MAX_STRIDE_GAP_S => {
                let interval = t - first.ic_s;
                let confidence = 0.7;
                // The other leg stepped about half a stride before the first.
                out.push(ActivityEvent::Step {
                    t_s: first.ic_s - 0.5 * interval,
                    own_leg: false,
                    confidence,
                });
                out.push(ActivityEvent::Step {
                    t_s: first.ic_s,
                    own_leg: true,
                    confidence,
                });
                push_steps(out, first.ic_s, t, confidence);
                self.bout = Some(Bout {
                    first_s: first.ic_s - 0.5 * interval,
                    last_s: t,
                    strides: 2,
                    last_interval_s: interval,
                    confidence_sum: 2.0 * confidence,
                });
            }
            _ => self.pending = Some(stride),
        }
    }

    /// Ends a bout (or drops a lone stride) once no stride came in time:
    /// none struck within [`MAX_STRIDE_GAP_S`], allowing for the wait before
    /// a stride is handed on. Slow walking (a stride of 1.8 s, 67 steps a
    /// minute) had its strides arrive after the bout had closed, and lost
    /// every step after its first four.
    pub(crate) fn on_time(&mut self, t_s: f64, out: &mut Vec<ActivityEvent>) {
        let handed_on_by = t_s - LONGEST_HAND_OVER_S;
        if self
            .bout
            .is_some_and(|bout| handed_on_by - bout.last_s > MAX_STRIDE_GAP_S)
        {
            self.close(out);
        }
        if self
            .pending
            .is_some_and(|p| handed_on_by - p.ic_s > MAX_STRIDE_GAP_S)
        {
            self.pending = None;
        }
    }

    /// Ends the bout under way and drops a lone stride: the recording ended
    /// or broke off, and no stride joins them across that.
    pub(crate) fn end(&mut self, out: &mut Vec<ActivityEvent>) {
        self.close(out);
        self.pending = None;
    }

    /// Ends the bout under way, if any.
    pub(crate) fn close(&mut self, out: &mut Vec<ActivityEvent>) {
        if let Some(bout) = self.bout.take() {
            let steps = 2 * bout.strides;
            let duration = bout.last_s - bout.first_s;
            out.push(ActivityEvent::WalkingBout {
                start_s: bout.first_s,
                end_s: bout.last_s,
                steps,
                cadence_spm: if duration > 0.0 {
                    60.0 * f64::from(steps - 1) / duration
                } else {
                    0.0
                },
                confidence: bout.confidence_sum / f64::from(bout.strides),
            });
        }
    }
}

/// The other leg's step half-way through the stride, then this leg's.
fn push_steps(out: &mut Vec<ActivityEvent>, previous_s: f64, t_s: f64, confidence: f64) {
    out.push(ActivityEvent::Step {
        t_s: 0.5 * (previous_s + t_s),
        own_leg: false,
        confidence,
    });
    out.push(ActivityEvent::Step {
        t_s,
        own_leg: true,
        confidence,
    });
}

/// High when a stride lasts about as long as the one before.
fn regularity(interval_s: f64, previous_s: f64) -> f64 {
    let ratio = interval_s / previous_s;
    (1.0 - (ratio - 1.0).abs()).clamp(0.5, 1.0)
}
