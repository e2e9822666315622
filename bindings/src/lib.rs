//! The UniFFI facade of Second Heart: what Kotlin and Swift see.
//!
//! This crate only converts: FFI-friendly records and errors in and out,
//! the logic stays in `second-heart-core`. Kotlin sees the package
//! `uniffi.second_heart`, Swift the module `second_heart`.

mod app;
mod ble;
mod demo;
mod error;
mod records;

pub use app::SecondHeart;
pub use ble::{
    BleLink, BleLinkError, BleLinkEvent, SensorSyncReport, SyncCancellation, SyncProgressListener,
};
pub use demo::{DemoNotification, DemoSensor};
pub use error::SecondHeartError;
pub use records::{DaySummary, SensorSummary, Walk};

uniffi::setup_scaffolding!("second_heart");

/// The schema version this build of the library writes.
#[uniffi::export]
pub fn latest_schema_version() -> u32 {
    second_heart_core::Store::latest_schema_version()
}
