//! The UniFFI facade of Second Heart: what Kotlin and Swift see.
//!
//! This crate only converts: it wraps `second_heart_core::app` (the use
//! cases every front end shares) in FFI-friendly objects, records and one
//! error. [`SecondHeart`] is the handle an app opens; it hands out one
//! service object per area (profile, today, sessions, flights, reminders,
//! history, data, sensors). Long work returns a [`TaskHandle`]. Kotlin sees
//! the package `uniffi.second_heart`, Swift the module `second_heart`.

mod ble;
mod client;
mod data;
mod demo;
mod error;
mod flights;
mod history;
mod profile;
mod reminders;
mod sensors;
mod sessions;
mod task;
mod today;

use std::sync::{Mutex, MutexGuard};

use chrono::NaiveDate;

pub use ble::{BleLink, BleLinkError, BleLinkEvent};
pub use client::{Clock, FixedClock, SecondHeart, TodayListener, TodaySubscription};
pub use data::{
    BackupReport, DataService, ExportFormat, ExportSummary, ImportReport, RestoreReport,
};
pub use demo::{DemoNotification, DemoSensor};
pub use error::{ForeignError, SecondHeartError};
pub use flights::{FlightDetails, FlightPlan, Flights, PlanItem, RiskAssessment};
pub use history::{History, HistoryService, MinutePoint, Period};
pub use profile::{Profile, ProfileChanges, ProfileService};
pub use reminders::{Reminder, Reminders};
pub use sensors::{PairedSensor, SensorSummary, Sensors, SyncListener, SyncReport};
pub use sessions::{
    CompressionAdvice, ElevationAnswers, SafetyQuestion, SessionEvent, SessionOutcome,
    SessionProgress, SessionUpdate, Sessions, SetTargets, Walk, Wear, WearStarted,
};
pub use task::TaskHandle;
pub use today::{DaySummary, Ring, RingKind, SensorState, Sitting, TodayService, TodayView};

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

/// Parses a `YYYY-MM-DD` date from the app.
fn parse_date_text(text: &str) -> Result<NaiveDate, SecondHeartError> {
    Ok(second_heart_core::local_day::parse_date(text)?)
}

/// A poisoned lock means an earlier call panicked mid-way; SQLite rolled its
/// transaction back, so what the lock guards is still consistent.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}
