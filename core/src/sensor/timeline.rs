//! From the sensor's clock to UTC.
//!
//! A sensor stamps records with its own clock: an epoch id (new after every
//! reboot) and ticks since that epoch began. The phone never trusts that clock
//! to know the date. Instead, on every connect it reads the tick counter and
//! notes its own UTC at that moment: a [`ClockAnchor`]. Records are placed in
//! UTC by interpolating between the anchors of their epoch, which cancels the
//! crystal's drift (up to ±100 ppm, 8.6 s a day) between two connects.
//! Outside the anchors the drift measured over a long enough span is used,
//! else the nominal rate.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

/// The shortest span between two anchors whose slope is trusted to
/// extrapolate: over shorter spans the radio's latency jitter dominates.
const MIN_SLOPE_SPAN_MS: u64 = 60 * 60 * 1000;
/// No crystal drifts more than this; a steeper slope means a bad anchor.
const MAX_DRIFT_PPM: f64 = 500.0;

/// The phone saw the sensor's clock read `ticks_ms` in `epoch` at `utc_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ClockAnchor {
    /// The sensor's clock epoch.
    pub epoch: u16,
    /// The tick counter, ms since the epoch began.
    pub ticks_ms: u64,
    /// The phone's UTC at that moment, Unix ms.
    pub utc_ms: i64,
}

/// Every anchor known for one device.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    by_epoch: BTreeMap<u16, Vec<ClockAnchor>>,
}

impl Timeline {
    /// A timeline from stored anchors.
    pub fn new(anchors: impl IntoIterator<Item = ClockAnchor>) -> Self {
        let mut timeline = Self::default();
        for anchor in anchors {
            timeline.add(anchor);
        }
        timeline
    }

    /// Adds an anchor (a repeated one is ignored).
    pub fn add(&mut self, anchor: ClockAnchor) {
        let anchors = self.by_epoch.entry(anchor.epoch).or_default();
        match anchors.binary_search_by_key(&anchor.ticks_ms, |a| a.ticks_ms) {
            Ok(_) => {}
            Err(at) => anchors.insert(at, anchor),
        }
    }

    /// Whether any anchor is known for `epoch`.
    pub fn knows(&self, epoch: u16) -> bool {
        self.by_epoch.contains_key(&epoch)
    }

    /// The UTC of sensor time `ticks_ms` in `epoch`, or `None` when that epoch
    /// has no anchor (the sensor rebooted twice while away).
    pub fn to_utc(&self, epoch: u16, ticks_ms: u64) -> Option<DateTime<Utc>> {
        let anchors = self.by_epoch.get(&epoch)?;
        let (first, last) = (anchors.first()?, anchors.last()?);
        let utc_ms = if ticks_ms <= first.ticks_ms {
            extrapolate(first, ticks_ms, self.rate_for(anchors))
        } else if ticks_ms >= last.ticks_ms {
            extrapolate(last, ticks_ms, self.rate_for(anchors))
        } else {
            let after = anchors.partition_point(|a| a.ticks_ms <= ticks_ms);
            let (a, b) = (&anchors[after - 1], &anchors[after]);
            let span = (b.ticks_ms - a.ticks_ms) as f64;
            let fraction = (ticks_ms - a.ticks_ms) as f64 / span;
            a.utc_ms as f64 + fraction * (b.utc_ms - a.utc_ms) as f64
        };
        DateTime::from_timestamp_millis(utc_ms.round() as i64)
    }

    /// UTC ms per tick ms to extrapolate with: this epoch's own slope when
    /// its anchors span long enough, else the device's from another epoch,
    /// else nominal.
    fn rate_for(&self, anchors: &[ClockAnchor]) -> f64 {
        slope(anchors)
            .or_else(|| self.by_epoch.values().find_map(|other| slope(other)))
            .unwrap_or(1.0)
    }

    /// The measured drift, ppm (positive: the sensor's clock runs fast), when
    /// some epoch spans long enough to tell.
    pub fn drift_ppm(&self) -> Option<f64> {
        self.by_epoch
            .values()
            .find_map(|anchors| slope(anchors))
            .map(|rate| (1.0 / rate - 1.0) * 1e6)
    }
}

fn extrapolate(anchor: &ClockAnchor, ticks_ms: u64, rate: f64) -> f64 {
    let delta = ticks_ms as f64 - anchor.ticks_ms as f64;
    anchor.utc_ms as f64 + delta * rate
}

/// UTC ms per tick ms across the widest pair of anchors, when they span at
/// least [`MIN_SLOPE_SPAN_MS`] and give a believable drift.
fn slope(anchors: &[ClockAnchor]) -> Option<f64> {
    let (first, last) = (anchors.first()?, anchors.last()?);
    let span = last.ticks_ms.checked_sub(first.ticks_ms)?;
    if span < MIN_SLOPE_SPAN_MS {
        return None;
    }
    let rate = (last.utc_ms - first.utc_ms) as f64 / span as f64;
    ((1.0 - rate).abs() * 1e6 <= MAX_DRIFT_PPM).then_some(rate)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY_MS: u64 = 24 * 60 * 60 * 1000;
    const T0: i64 = 1_790_000_000_000;

    /// A sensor clock running `ppm` fast: ticks after `utc_ms` since boot at T0.
    fn ticks_at(utc_ms: i64, ppm: f64) -> u64 {
        ((utc_ms - T0) as f64 * (1.0 + ppm * 1e-6)) as u64
    }

    fn anchor(epoch: u16, utc_ms: i64, ppm: f64) -> ClockAnchor {
        ClockAnchor {
            epoch,
            ticks_ms: ticks_at(utc_ms, ppm),
            utc_ms,
        }
    }

    #[test]
    fn interpolation_cancels_drift_between_two_connects() {
        let ppm = 100.0;
        let timeline = Timeline::new([
            anchor(1, T0 + 1000, ppm),
            anchor(1, T0 + DAY_MS as i64, ppm),
        ]);
        let truth = T0 + DAY_MS as i64 / 2;
        let mapped = timeline.to_utc(1, ticks_at(truth, ppm)).expect("anchored");
        assert!((mapped.timestamp_millis() - truth).abs() <= 1, "{mapped}");
    }

    #[test]
    fn extrapolation_uses_the_measured_drift() {
        let ppm = -80.0;
        let timeline = Timeline::new([
            anchor(1, T0 + 1000, ppm),
            anchor(1, T0 + DAY_MS as i64, ppm),
        ]);
        let truth = T0 + 2 * DAY_MS as i64;
        let mapped = timeline.to_utc(1, ticks_at(truth, ppm)).expect("anchored");
        assert!((mapped.timestamp_millis() - truth).abs() <= 2);
        let drift = timeline.drift_ppm().expect("measured");
        assert!((drift - ppm).abs() < 1.0, "{drift}");
    }

    #[test]
    fn a_new_epoch_borrows_the_crystal_drift_from_an_older_one() {
        let ppm = 100.0;
        let mut timeline = Timeline::new([anchor(1, T0, ppm), anchor(1, T0 + DAY_MS as i64, ppm)]);
        // Epoch 2 booted at T0 + 2 days; one anchor a day later.
        let boot = T0 + 2 * DAY_MS as i64;
        let ticks = |utc: i64| ((utc - boot) as f64 * (1.0 + ppm * 1e-6)) as u64;
        let connect = boot + DAY_MS as i64;
        timeline.add(ClockAnchor {
            epoch: 2,
            ticks_ms: ticks(connect),
            utc_ms: connect,
        });
        let truth = boot + 60_000;
        let mapped = timeline.to_utc(2, ticks(truth)).expect("anchored");
        assert!((mapped.timestamp_millis() - truth).abs() <= 2, "{mapped}");
    }

    #[test]
    fn short_spans_do_not_set_the_slope_and_unknown_epochs_have_no_time() {
        let timeline = Timeline::new([
            ClockAnchor {
                epoch: 1,
                ticks_ms: 1000,
                utc_ms: T0,
            },
            // 10 s later by the sensor but 10.05 s by the phone: jitter.
            ClockAnchor {
                epoch: 1,
                ticks_ms: 11_000,
                utc_ms: T0 + 10_050,
            },
        ]);
        assert_eq!(timeline.drift_ppm(), None);
        let back = timeline.to_utc(1, 0).expect("anchored");
        assert_eq!(back.timestamp_millis(), T0 - 1000);
        assert_eq!(timeline.to_utc(7, 0), None);
    }
}
