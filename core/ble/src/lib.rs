//! Second Heart over real Bluetooth LE.
//!
//! The core's [`SyncEngine`](second_heart_core::sensor::sync::SyncEngine) owns
//! no radio. This crate is the edge that does:
//!
//! - [`link`]: [`GattLink`], one connected sensor as any Bluetooth stack
//!   offers it (btleplug here, Android's `BluetoothGatt` and iOS's
//!   CoreBluetooth through the apps);
//! - [`driver`]: runs the engine over a [`GattLink`] with a timeout on every
//!   operation, one operation in flight, and cancellation;
//! - `desktop` (feature `desktop`, on by default): btleplug on Linux (BlueZ),
//!   macOS and Windows: scanning, and the [`GattLink`] over a btleplug
//!   peripheral.

#[cfg(feature = "desktop")]
pub mod desktop;
pub mod driver;
pub mod link;

pub use driver::{SyncStore, drive_sync};
pub use link::{BleError, GattLink, LinkEvent};
