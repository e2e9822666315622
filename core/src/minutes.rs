//! Minute-level activity: what each minute of the day held, from every
//! source (the phone's own logs and sessions, each sensor), merged so that a
//! walk both logged and recorded counts once.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::sensor::gatt::Posture;

/// A minute with this many steps is real movement (about 20 s of walking):
/// what ends a stretch of sitting for the reminders, and the slowest pace
/// that keeps a walk going.
pub const ACTIVE_MINUTE_STEPS: u32 = 40;
/// … or this many calf contractions (half a set).
pub const ACTIVE_MINUTE_CONTRACTIONS: u32 = 10;

/// Where a minute's figures came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MinuteSource {
    /// Logged on the phone (walks, tapped exercise sets).
    Phone,
    /// Recorded by the sensor with this serial number (shared by its
    /// minutes: a day holds 1,440 of them).
    Sensor(Arc<str>),
}

impl MinuteSource {
    /// The text stored in the database.
    pub fn key(&self) -> String {
        match self {
            Self::Phone => "phone".to_owned(),
            Self::Sensor(serial) => format!("sensor:{serial}"),
        }
    }

    /// Reads a stored key.
    pub fn from_key(key: &str) -> Self {
        match key.strip_prefix("sensor:") {
            Some(serial) => Self::Sensor(Arc::from(serial)),
            None => Self::Phone,
        }
    }
}

/// One minute from one source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinuteActivity {
    /// The minute's first instant.
    pub minute: DateTime<Utc>,
    /// Where the figures came from.
    pub source: MinuteSource,
    /// Steps of both legs.
    pub steps: u32,
    /// Calf contractions outside walking (raises, ankle pumps).
    pub contractions: u32,
    /// The posture for most of the minute.
    pub posture: Posture,
    /// Compression at the ankle, mmHg (0: no sock, or not measured).
    pub sock_mmhg: u8,
}

/// One minute, all sources merged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MergedMinute {
    /// The minute's first instant.
    pub minute: DateTime<Utc>,
    /// Steps: the highest any source saw (two sources watching the same
    /// legs do not add up).
    pub steps: u32,
    /// Contractions, likewise.
    pub contractions: u32,
    /// A sensor's posture when one saw the minute, else the phone's.
    pub posture: Posture,
    /// Sock pressure, the highest seen.
    pub sock_mmhg: u8,
    /// Whether a sensor recorded the minute.
    pub from_sensor: bool,
}

/// A sensor writes a minute record as its minute ends. The record's stamp
/// (mapped from the sensor's clock, good to milliseconds) falls on that
/// end; half a minute before the stamp lies inside the minute covered.
const MINUTE_RECORD_READ_BACK: Duration = Duration::seconds(30);

/// The minute a sensor's minute record stamped `stamp` covers: the one that
/// ends at the stamp (records stamped 00:00 hold the previous day's last
/// minute).
pub fn minute_ended_by(stamp: DateTime<Utc>) -> DateTime<Utc> {
    minute_of(stamp - MINUTE_RECORD_READ_BACK)
}

/// The stamps, in UTC ms, of the minute records covering the minutes that
/// start within `[from, to)`: `[from_ms, to_ms)`. A minute belongs where
/// its start does, as the phone's minutes do: when a zone change starts a
/// new date at 22:30:20, the minute from 22:30 is the old date's, from the
/// phone and from a sensor alike.
pub fn minute_record_stamps(from: DateTime<Utc>, to: DateTime<Utc>) -> (i64, i64) {
    (
        (first_minute_from(from) + MINUTE_RECORD_READ_BACK).timestamp_millis(),
        (first_minute_from(to) + MINUTE_RECORD_READ_BACK).timestamp_millis(),
    )
}

/// The first minute that starts at or after `instant`.
fn first_minute_from(instant: DateTime<Utc>) -> DateTime<Utc> {
    let start = minute_of(instant);
    if start < instant {
        start + Duration::minutes(1)
    } else {
        start
    }
}

/// Truncates an instant to its minute.
pub fn minute_of(instant: DateTime<Utc>) -> DateTime<Utc> {
    let seconds = instant.timestamp().div_euclid(60) * 60;
    DateTime::<Utc>::from_timestamp(seconds, 0).unwrap_or(instant)
}

/// Merges minutes (any order, any sources) into one per minute, in time
/// order. Minutes already in time order (one source, as the store reads
/// it) are not sorted again.
pub fn merge(mut minutes: Vec<MinuteActivity>) -> Vec<MergedMinute> {
    if !minutes.is_sorted_by_key(|m| m.minute) {
        minutes.sort_by_key(|m| m.minute);
    }
    let mut merged: Vec<MergedMinute> = Vec::with_capacity(minutes.len());
    for m in &minutes {
        let from_sensor = matches!(m.source, MinuteSource::Sensor(_));
        match merged.last_mut() {
            Some(last) if last.minute == m.minute => {
                last.steps = last.steps.max(m.steps);
                last.contractions = last.contractions.max(m.contractions);
                last.sock_mmhg = last.sock_mmhg.max(m.sock_mmhg);
                let known = m.posture != Posture::Unknown;
                if known && (from_sensor || !last.from_sensor) {
                    last.posture = m.posture;
                }
                last.from_sensor |= from_sensor;
            }
            _ => merged.push(MergedMinute {
                minute: m.minute,
                steps: m.steps,
                contractions: m.contractions,
                posture: m.posture,
                sock_mmhg: m.sock_mmhg,
                from_sensor,
            }),
        }
    }
    merged
}

/// Spreads `steps` taken over `[start, end)` across its minutes in
/// proportion to the time spent in each, as the phone's minutes of a walk.
/// The parts add up to `steps` exactly.
pub fn spread_walk(start: DateTime<Utc>, end: DateTime<Utc>, steps: u32) -> Vec<MinuteActivity> {
    spread(start, end, steps, 0, Posture::Walking)
}

/// Spreads steps and contractions over `[start, end)` minute by minute.
pub fn spread(
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    steps: u32,
    contractions: u32,
    posture: Posture,
) -> Vec<MinuteActivity> {
    let mut minutes = Vec::new();
    if end <= start {
        return minutes;
    }
    let span = (start, end);
    let mut minute = minute_of(start);
    while minute < end {
        let next = minute + Duration::minutes(1);
        let window = (minute, next);
        let share = |total: u32| {
            u32::try_from(crate::local_day::share_within(
                u64::from(total),
                span,
                window,
            ))
            .unwrap_or(total)
        };
        minutes.push(MinuteActivity {
            minute,
            source: MinuteSource::Phone,
            steps: share(steps),
            contractions: share(contractions),
            posture,
            sock_mmhg: 0,
        });
        minute = next;
    }
    minutes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::utc;

    fn minute(at: &str, source: MinuteSource, steps: u32, posture: Posture) -> MinuteActivity {
        MinuteActivity {
            minute: utc(at),
            source,
            steps,
            contractions: 0,
            posture,
            sock_mmhg: 0,
        }
    }

    #[test]
    fn a_walk_logged_and_recorded_counts_once() {
        let sensor = MinuteSource::Sensor("SH-1".into());
        let merged = merge(vec![
            minute(
                "2026-11-21T08:00:00Z",
                MinuteSource::Phone,
                100,
                Posture::Walking,
            ),
            minute(
                "2026-11-21T08:00:00Z",
                sensor.clone(),
                104,
                Posture::Walking,
            ),
            minute("2026-11-21T08:01:00Z", sensor, 0, Posture::Sitting),
        ]);
        assert_eq!(merged.len(), 2);
        assert_eq!(merged[0].steps, 104);
        assert!(merged[0].from_sensor);
        assert_eq!(merged[1].posture, Posture::Sitting);
    }

    #[test]
    fn the_sensor_knows_posture_better_than_the_phone() {
        let merged = merge(vec![
            minute(
                "2026-11-21T08:00:00Z",
                MinuteSource::Sensor("A".into()),
                0,
                Posture::Standing,
            ),
            minute(
                "2026-11-21T08:00:00Z",
                MinuteSource::Phone,
                10,
                Posture::Walking,
            ),
        ]);
        assert_eq!(merged[0].posture, Posture::Standing);
        assert_eq!(merged[0].steps, 10);
    }

    #[test]
    fn spreading_a_walk_keeps_every_step() {
        let minutes = spread_walk(
            utc("2026-11-21T08:00:30Z"),
            utc("2026-11-21T08:10:00Z"),
            1001,
        );
        assert_eq!(minutes.len(), 10);
        assert_eq!(minutes.iter().map(|m| m.steps).sum::<u32>(), 1001);
        assert_eq!(minutes[0].minute, utc("2026-11-21T08:00:00Z"));
        assert!(
            minutes[0].steps < minutes[1].steps,
            "the first minute is half a minute"
        );
    }

    #[test]
    fn source_keys_round_trip() {
        for source in [MinuteSource::Phone, MinuteSource::Sensor("SH-0042".into())] {
            assert_eq!(MinuteSource::from_key(&source.key()), source);
        }
    }
}
