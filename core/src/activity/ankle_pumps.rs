//! Ankle pumps from the shank's rocking.
//!
//! Pulling the toes up and pushing them down while seated turns the foot
//! about the heel; the ankle joint, 5–7 cm above the heel, moves on a small
//! arc and rocks the shank by 1–4°. Each pump therefore turns the shank
//! forward and back once: two humps of angular rate a pump, at 10–90 pumps
//! a minute. Fidgets are single humps; a set needs a run of evenly spaced
//! ones.

use super::ActivityEvent;
use super::filters::LowPass2;
use super::hump::{HumpFinder, HumpStep};

/// Smoothing of the angular-rate magnitude, s.
const SMOOTHING_TAU_S: f64 = 0.03;
/// The smallest rocking hump counted, deg/s (1.5° at 30 a minute).
const MIN_HUMP_DPS: f64 = 3.0;
/// Larger humps are swings or fidgets, not pumps, deg/s.
const MAX_HUMP_DPS: f64 = 80.0;
/// Humps between 90 and 10 pumps a minute (two humps a pump), s.
const HUMP_INTERVAL_S: (f64, f64) = (60.0 / 90.0 / 2.0, 60.0 / 10.0 / 2.0);
/// How far a hump interval may stray from the set's mean.
const REGULARITY: f64 = 0.4;
/// Humps in a row that make a set (three pumps).
const MIN_SET_HUMPS: u32 = 6;

#[derive(Debug, Clone, Copy)]
struct Run {
    first_s: f64,
    last_s: f64,
    humps: u32,
    mean_interval_s: f64,
}

/// Counts ankle pumps in a seated or lying leg.
#[derive(Debug, Clone)]
pub(crate) struct AnklePumpDetector {
    smooth: LowPass2,
    humps: HumpFinder,
    run: Option<Run>,
}

impl AnklePumpDetector {
    pub(crate) fn new() -> Self {
        Self {
            smooth: LowPass2::new(SMOOTHING_TAU_S),
            humps: HumpFinder::new(MIN_HUMP_DPS),
            run: None,
        }
    }

    /// Feeds one sample; `resting` is false while standing or walking.
    pub(crate) fn update(
        &mut self,
        t_s: f64,
        rate_dps: f64,
        dt_s: f64,
        resting: bool,
        out: &mut Vec<ActivityEvent>,
    ) {
        let smoothed = self.smooth.update(rate_dps, dt_s);
        if let Some(run) = self.run
            && t_s - run.last_s > 3.0 * run.mean_interval_s.max(HUMP_INTERVAL_S.0)
        {
            self.close(out);
        }
        if !resting {
            // Standing movements (calf raises) rock the shank too.
            self.run = None;
            return;
        }
        if let HumpStep::Ended(hump) = self.humps.update(t_s, smoothed) {
            if hump.peak <= MAX_HUMP_DPS {
                self.on_hump(hump.peak_s, out);
            } else {
                self.close(out);
            }
        }
    }

    fn on_hump(&mut self, t_s: f64, out: &mut Vec<ActivityEvent>) {
        if let Some(run) = &mut self.run {
            let interval = t_s - run.last_s;
            let expected = if run.humps >= 2 {
                run.mean_interval_s
            } else {
                interval
            };
            let fits = (HUMP_INTERVAL_S.0..=HUMP_INTERVAL_S.1).contains(&interval)
                && (interval / expected - 1.0).abs() <= REGULARITY;
            if fits {
                run.humps += 1;
                run.mean_interval_s = (t_s - run.first_s) / f64::from(run.humps - 1);
                run.last_s = t_s;
                return;
            }
            self.close(out);
        }
        self.run = Some(Run {
            first_s: t_s,
            last_s: t_s,
            humps: 1,
            mean_interval_s: HUMP_INTERVAL_S.1,
        });
    }

    /// Ends the run under way; a long enough one is reported as a set.
    pub(crate) fn close(&mut self, out: &mut Vec<ActivityEvent>) {
        if let Some(run) = self.run.take()
            && run.humps >= MIN_SET_HUMPS
        {
            let count = run.humps.div_ceil(2);
            let pump_s = 2.0 * run.mean_interval_s;
            out.push(ActivityEvent::AnklePumpSet {
                start_s: run.first_s - 0.25 * pump_s,
                end_s: run.last_s + 0.25 * pump_s,
                count,
                rate_per_min: 60.0 / pump_s,
                confidence: (f64::from(run.humps) / 20.0).clamp(0.6, 0.95),
            });
        }
    }
}
