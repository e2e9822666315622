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
//!
//! An anchor is only as right as the phone's clock at that connect. A
//! clock set wrong by hand would place a whole sync's records wrong for
//! good, so each epoch's anchors are cross-checked: two anchors agree when
//! the phone's clock advanced between them as the sensor's did, within the
//! crystal's worst drift and the radio's latency. Of anchors that disagree,
//! the longest run that agrees throughout is trusted (the later on a tie:
//! with two anchors only, there is no telling which clock was wrong, and
//! the phone's newest reading stands).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

/// The shortest span between two anchors whose slope is trusted to
/// extrapolate: over shorter spans the radio's latency jitter dominates.
const MIN_SLOPE_SPAN_MS: u64 = 60 * 60 * 1000;
/// No crystal drifts more than this; a steeper slope means a bad anchor.
const MAX_DRIFT_PPM: f64 = 500.0;
/// How many anchors back a run may reach over anchors that disagree: the
/// cross-check costs at most this many comparisons an anchor, however
/// long an epoch runs.
const ANCHORS_SKIPPED_AT_MOST: usize = 32;
/// How far two anchors may disagree beyond the drift, ms: the radio's
/// latency between reading the two clocks, and the phone's small network
/// corrections of its own.
const ANCHOR_SLACK_MS: f64 = 2_000.0;

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
    /// Every anchor, by epoch, in tick order.
    by_epoch: BTreeMap<u16, Vec<ClockAnchor>>,
    /// The anchors trusted to place records (see [`trusted`]), by epoch.
    trusted: BTreeMap<u16, Vec<ClockAnchor>>,
}

impl Timeline {
    /// A timeline from stored anchors.
    pub fn new(anchors: impl IntoIterator<Item = ClockAnchor>) -> Self {
        let mut timeline = Self::default();
        for anchor in anchors {
            timeline.insert(anchor);
        }
        let epochs: Vec<u16> = timeline.by_epoch.keys().copied().collect();
        for epoch in epochs {
            timeline.cross_check(epoch);
        }
        timeline
    }

    /// Adds an anchor (a repeated one is ignored).
    pub fn add(&mut self, anchor: ClockAnchor) {
        self.insert(anchor);
        self.cross_check(anchor.epoch);
    }

    fn insert(&mut self, anchor: ClockAnchor) {
        let anchors = self.by_epoch.entry(anchor.epoch).or_default();
        if let Err(at) = anchors.binary_search_by_key(&anchor.ticks_ms, |a| a.ticks_ms) {
            anchors.insert(at, anchor);
        }
    }

    fn cross_check(&mut self, epoch: u16) {
        if let Some(anchors) = self.by_epoch.get(&epoch) {
            self.trusted.insert(epoch, trusted(anchors));
        }
    }

    /// The latest epoch anchored, by the sensor's own count: epochs count
    /// reboots and wrap from 65,535 to 0, so the anchored ones lie together
    /// on the 16-bit circle and the latest is the one before the widest
    /// stretch of epochs never anchored. Not the epoch of the anchor with
    /// the latest UTC: one taken while the phone's clock was set ahead
    /// would name an older epoch the latest until real time passed it, and
    /// a reset back to the epochs after it would go unseen.
    pub fn latest_epoch(&self) -> Option<u16> {
        let epochs: Vec<u16> = self.by_epoch.keys().copied().collect();
        let after = |i: usize| {
            let next = epochs[(i + 1) % epochs.len()];
            match next.wrapping_sub(epochs[i]) {
                0 => 0x1_0000,
                gap => u32::from(gap),
            }
        };
        (0..epochs.len())
            .max_by_key(|&i| after(i))
            .map(|i| epochs[i])
    }

    /// Whether any anchor is known for `epoch`.
    pub fn knows(&self, epoch: u16) -> bool {
        self.by_epoch.contains_key(&epoch)
    }

    /// The UTC of sensor time `ticks_ms` in `epoch`, or `None` when that epoch
    /// has no anchor (the sensor rebooted twice while away).
    pub fn to_utc(&self, epoch: u16, ticks_ms: u64) -> Option<DateTime<Utc>> {
        let anchors = self.trusted.get(&epoch)?;
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
            .or_else(|| self.trusted.values().find_map(|other| slope(other)))
            .unwrap_or(1.0)
    }

    /// The measured drift, ppm (positive: the sensor's clock runs fast), when
    /// some epoch spans long enough to tell.
    pub fn drift_ppm(&self) -> Option<f64> {
        self.trusted
            .values()
            .find_map(|anchors| slope(anchors))
            .map(|rate| (1.0 / rate - 1.0) * 1e6)
    }
}

/// Whether the phone's clock advanced from `earlier` to `later` (anchors of
/// one epoch, in tick order) as the sensor's did, within the crystal's
/// worst drift and [`ANCHOR_SLACK_MS`].
fn agree(earlier: &ClockAnchor, later: &ClockAnchor) -> bool {
    let ticks = later.ticks_ms.saturating_sub(earlier.ticks_ms) as f64;
    let utc = (later.utc_ms - earlier.utc_ms) as f64;
    (utc - ticks).abs() <= ticks * MAX_DRIFT_PPM * 1e-6 + ANCHOR_SLACK_MS
}

/// Of one epoch's anchors (in tick order), the longest run in which each
/// agrees with the next; of runs as long, the one ending latest. The
/// others were taken while the phone's clock was wrong.
fn trusted(anchors: &[ClockAnchor]) -> Vec<ClockAnchor> {
    // longest[i]: the longest agreeing run ending at anchor i, and the
    // anchor before i in it.
    let mut longest: Vec<(usize, Option<usize>)> = Vec::with_capacity(anchors.len());
    for (i, anchor) in anchors.iter().enumerate() {
        let mut best = (1, None);
        let from = i.saturating_sub(ANCHORS_SKIPPED_AT_MOST);
        for (j, earlier) in anchors.iter().enumerate().take(i).skip(from) {
            if longest[j].0 + 1 >= best.0 && agree(earlier, anchor) {
                best = (longest[j].0 + 1, Some(j));
            }
        }
        longest.push(best);
    }
    // `max_by_key` keeps the last of equals: the latest run.
    let mut end = longest
        .iter()
        .enumerate()
        .max_by_key(|(_, (length, _))| *length)
        .map(|(i, _)| i);
    let mut run = Vec::new();
    while let Some(i) = end {
        run.push(anchors[i]);
        end = longest[i].1;
    }
    run.reverse();
    run
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

    #[test]
    fn the_latest_epoch_is_the_sensor_s_highest_going_round_the_counter() {
        let latest = |epochs: &[u16]| {
            Timeline::new(epochs.iter().map(|&epoch| ClockAnchor {
                epoch,
                ticks_ms: 60_000,
                // Stamped out of order: the phone's clock plays no part.
                utc_ms: 1_790_000_000_000 - i64::from(epoch) * 1_000,
            }))
            .latest_epoch()
        };
        assert_eq!(latest(&[]), None);
        assert_eq!(latest(&[7]), Some(7));
        assert_eq!(latest(&[3, 4, 9]), Some(9));
        // Across the wrap from 65,535 to 0.
        assert_eq!(latest(&[65_534, 65_535, 0, 1]), Some(1));
        // More than half the counter apart: 0–100 came after 30,000–65,535.
        let many: Vec<u16> = (0..=100).chain(30_000..=65_535).collect();
        assert_eq!(latest(&many), Some(100));
    }

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
    fn a_connect_with_the_phone_clock_set_wrong_places_nothing_wrong() {
        let ppm = 60.0;
        let hour = 3_600_000;
        let wrong = |mut a: ClockAnchor| {
            a.utc_ms += hour;
            a
        };
        // Connects every six hours; the third with the phone an hour fast.
        let connects: Vec<i64> = (1..=5).map(|k| T0 + k * 6 * hour).collect();
        let mut anchors: Vec<ClockAnchor> = connects.iter().map(|&t| anchor(1, t, ppm)).collect();
        anchors[2] = wrong(anchors[2]);
        let check = |timeline: &Timeline, truth: i64| {
            let mapped = timeline.to_utc(1, ticks_at(truth, ppm)).expect("anchored");
            assert!(
                (mapped.timestamp_millis() - truth).abs() <= 1_000,
                "{mapped} for {truth}"
            );
        };
        // In the middle: ignored once the next connect shows it wrong.
        let timeline = Timeline::new(anchors.clone());
        for truth in [connects[1] + hour, connects[2], connects[2] + 3 * hour] {
            check(&timeline, truth);
        }
        // The latest: outvoted by the two before it, so the records it came
        // with are placed by them, not an hour late.
        let mut latest = Timeline::new(anchors[..2].to_vec());
        latest.add(anchors[2]);
        check(&latest, connects[2] - hour);
        assert!((latest.drift_ppm().expect("measured") - ppm).abs() < 1.0);
        // Two anchors that disagree: no telling which clock was wrong; the
        // phone's newest reading stands, as before the cross-check.
        let two = Timeline::new([anchors[1], anchors[2]]);
        let mapped = two.to_utc(1, anchors[2].ticks_ms).expect("anchored");
        assert_eq!(mapped.timestamp_millis(), anchors[2].utc_ms);
        // Anchors that agree are all kept, radio jitter and drift included.
        let mut jittered: Vec<ClockAnchor> =
            connects.iter().map(|&t| anchor(1, t, 100.0)).collect();
        jittered[3].utc_ms += 900;
        assert_eq!(trusted(&jittered), jittered);
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
