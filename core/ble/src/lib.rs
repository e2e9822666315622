//! Second Heart over real Bluetooth LE: the sensor use cases every front
//! end calls (the CLI, and the apps through `bindings/`).
//!
//! The core's [`SyncEngine`](second_heart_core::sensor::sync::SyncEngine) owns
//! no radio. This crate is the edge that does, generic over [`GattLink`]:
//!
//! - [`link`]: [`GattLink`], one connected sensor as any Bluetooth stack
//!   offers it (btleplug here, Android's `BluetoothGatt` and iOS's
//!   CoreBluetooth through the apps);
//! - [`pairing`]: [`pair`] and [`sync_paired`], the only two ways a
//!   sensor's data enters the database;
//! - [`live`]: [`stream_live`], live frames and cadence;
//! - [`driver`]: runs the engine over a [`GattLink`] with a timeout on every
//!   operation, one operation in flight, and cancellation;
//! - [`hold`]: [`SensorHold`], one operation at a time on a sensor, the next
//!   waiting for a cancelled one to let go;
//! - `desktop` (feature `desktop`, on by default): btleplug on Linux (BlueZ),
//!   macOS and Windows: scanning, and the [`GattLink`] over a btleplug
//!   peripheral.
//!
//! Every failure is one type, [`SyncError`], with structured variants.

#[cfg(feature = "desktop")]
pub mod desktop;
pub mod driver;
pub mod hold;
pub mod link;
pub mod live;
pub mod pairing;

pub use driver::{SyncStore, drive_sync};
pub use hold::{SensorHold, wind_down_with};
pub use link::{BleError, GattLink, LinkEvent};
pub use live::{LiveReading, LiveSettings, LiveSummary, stream_live, stream_paired_live};
pub use pairing::{pair, sync_paired};
pub use second_heart_core::sensor::sync::{
    Operation, ProtocolError, SyncError, SyncReport, SyncSettings,
};
