//! The UniFFI facade of Second Heart: what Kotlin and Swift see.
//!
//! This crate only converts: it wraps `second_heart_core::app` (the use
//! cases every front end shares) in FFI-friendly objects, records and one
//! error. [`SecondHeart`] is the handle an app opens; it hands out one
//! service object per area (profile, today, sessions, flights, reminders,
//! history, data, sensors); the pure computations, [`PumpModel`] and
//! [`ActivityDetector`], need no database. Long work returns a [`TaskHandle`]. With the
//! feature `desktop`, `DesktopBluetooth` scans and links sensors through the
//! computer's adapter (btleplug). Kotlin sees
//! the package `uniffi.second_heart`, Swift the module `second_heart`.

mod ble;
mod client;
mod data;
mod demo;
#[cfg(feature = "desktop")]
mod desktop;
mod detector;
mod error;
mod flights;
mod history;
mod live;
mod profile;
mod pump_model;
mod reminders;
mod sensors;
mod sessions;
mod task;
mod today;

use std::sync::{Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeDelta, Utc};
use second_heart_core::local_day::{YEARS, outside_years};

pub use ble::{BleLink, BleLinkError, BleLinkEvent, SensorUuids, sensor_uuids};
pub use client::{Clock, FixedClock, SecondHeart, TodayListener, TodaySubscription};
pub use data::{
    BackupReport, DataService, ExportFormat, ExportSummary, ImportReport, RestoreReport,
};
pub use demo::{DemoActivity, DemoNotification, DemoSensor};
#[cfg(feature = "desktop")]
pub use desktop::{DesktopBluetooth, NearbySensor, ScanListener, SensorKind};
pub use detector::{
    ActivityDetector, CsvOptions, DetectionListener, ImuSample, SensorAxis, detect_csv_file,
    start_detect_csv_file,
};
pub use error::{ForeignError, SecondHeartError};
pub use flights::{FlightDetails, FlightPlan, Flights, PlanItem, RiskAssessment};
pub use history::{DayMinutes, History, HistoryService, MinutePoint, MinuteRun, Period};
pub use live::{
    CadenceReading, HoldCue, LiveFrame, LiveListener, LiveProgress, LiveSample, LiveSessionCounter,
    LiveSettings, LiveSummary,
};
pub use profile::{Profile, ProfileChanges, ProfileService};
pub use pump_model::{
    AnklePumpsRun, ApgRun, ChartPoint, LegRaiseRun, Legs, ModelListener, ModelRequest, ModelResult,
    PumpModel, ScenarioRun, SitBreak, SitBreaks, SitRun, StandingRun, TiptoeRun, WalkRun,
};
pub use reminders::{Reminder, Reminders};
pub use sensors::{PairedSensor, SensorSummary, Sensors, SyncListener, SyncReport};
pub use sessions::{
    CompressionAdvice, Drink, ElevationAnswers, FinishedSet, GarmentClass, LocalMoment,
    SafetyQuestion, SessionEvent, SessionOutcome, SessionProgress, SessionUpdate, Sessions,
    SetTargets, Walk, Wear, WearStarted, elevation_questions, garment_classes,
};
pub use task::TaskHandle;
pub use today::{DailySummary, Ring, RingKind, Sitting, TodayService, TodayView};

uniffi::setup_scaffolding!("second_heart");

/// The schema version this build of the library writes.
#[uniffi::export]
pub fn latest_schema_version() -> u32 {
    second_heart_core::Store::latest_schema_version()
}

/// A date as the apps pass it, `YYYY-MM-DD`.
fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// Parses a `YYYY-MM-DD` date from the app (in the core's [`YEARS`]).
fn parse_date_text(text: &str) -> Result<NaiveDate, SecondHeartError> {
    Ok(second_heart_core::local_day::parse_date(text)?)
}

/// Parses a clock time from the app for `field`, `HH:MM`.
fn parse_clock_text(field: &str, text: &str) -> Result<NaiveTime, SecondHeartError> {
    NaiveTime::parse_from_str(text, "%H:%M").map_err(|_| SecondHeartError::InvalidInput {
        field: field.to_owned(),
        reason: format!("a time like 22:00 (got {text:?})"),
    })
}

/// An instant from the app as UTC, or why it cannot be one: outside
/// [`YEARS`] (`SystemTime` reaches far beyond what chrono can represent).
fn utc_from(at: SystemTime) -> Result<DateTime<Utc>, String> {
    let utc = match at.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs())
            .ok()
            .and_then(|s| DateTime::from_timestamp(s, after.subsec_nanos())),
        Err(before) => {
            let before = before.duration();
            i64::try_from(before.as_secs())
                .ok()
                .and_then(|s| DateTime::from_timestamp(-s, 0))
                .and_then(|t| {
                    t.checked_sub_signed(TimeDelta::nanoseconds(i64::from(before.subsec_nanos())))
                })
        }
    };
    match utc {
        Some(utc) if YEARS.contains(&utc.year()) => Ok(utc),
        Some(utc) => Err(outside_years(utc)),
        None => Err(outside_years(format!("{at:?}"))),
    }
}

/// An instant the app passed for `field`, checked (see [`utc_from`]).
fn instant(field: &str, at: SystemTime) -> Result<DateTime<Utc>, SecondHeartError> {
    utc_from(at).map_err(|reason| SecondHeartError::InvalidInput {
        field: field.to_owned(),
        reason,
    })
}

/// A poisoned lock means an earlier call panicked mid-way; SQLite rolled its
/// transaction back, so what the lock guards is still consistent.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}
