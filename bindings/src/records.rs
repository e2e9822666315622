//! Plain records that cross the FFI by value.

use std::time::SystemTime;

use second_heart_core::walk;

/// A stored walk.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Walk {
    /// The database id.
    pub id: i64,
    /// When it began (Kotlin `Instant`, Swift `Date`).
    pub start: SystemTime,
    /// The IANA zone the walker was in.
    pub time_zone: String,
    /// How long it lasted, in seconds.
    pub duration_seconds: u32,
    /// Steps of both legs.
    pub steps: u32,
    /// Average cadence, in steps a minute.
    pub cadence_steps_per_min: f64,
}

impl From<walk::Walk> for Walk {
    fn from(walk: walk::Walk) -> Self {
        Self {
            id: walk.id,
            start: walk.start.into(),
            time_zone: walk.time_zone.name().to_owned(),
            duration_seconds: walk.duration_seconds,
            steps: walk.steps,
            cadence_steps_per_min: walk.cadence_steps_per_min(),
        }
    }
}

/// A day's totals in one time zone.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DaySummary {
    /// The date, `YYYY-MM-DD`.
    pub date: String,
    /// The IANA zone the day is counted in.
    pub time_zone: String,
    /// Steps that day.
    pub steps: u64,
    /// Seconds spent walking that day.
    pub active_seconds: u64,
    /// Walks that touched the day.
    pub walks: u32,
}

impl From<walk::DaySummary> for DaySummary {
    fn from(summary: walk::DaySummary) -> Self {
        Self {
            date: summary.date.format("%Y-%m-%d").to_string(),
            time_zone: summary.time_zone.name().to_owned(),
            steps: summary.steps,
            active_seconds: summary.active_seconds,
            walks: summary.walks,
        }
    }
}

/// What the database holds for one sensor.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SensorSummary {
    /// The serial number.
    pub serial: String,
    /// Records stored.
    pub records: u64,
    /// The last sequence number accounted for.
    pub high_water: u32,
    /// Records lost on the sensor before a sync.
    pub gap_records: u64,
}

impl From<second_heart_core::store::SensorSummary> for SensorSummary {
    fn from(summary: second_heart_core::store::SensorSummary) -> Self {
        Self {
            serial: summary.serial,
            records: summary.records,
            high_water: summary.high_water,
            gap_records: summary.gap_records,
        }
    }
}
