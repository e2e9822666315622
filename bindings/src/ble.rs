//! Bluetooth from the platform stacks: Android's `BluetoothGatt` and iOS's
//! CoreBluetooth implement [`BleLink`] in Kotlin and Swift; Rust drives the
//! sync over it.

use std::sync::Arc;

use chrono_tz::Tz;
use second_heart_ble::{BleError, GattLink, LinkEvent, SyncReport, SyncSettings, pair};
use second_heart_core::local_day::parse_time_zone;
use second_heart_core::sensor::uuids;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use crate::{SecondHeart, SecondHeartError};

/// A platform Bluetooth operation failed.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum BleLinkError {
    /// The stack reported a failure (the message says which).
    #[error("{reason}")]
    Failed {
        /// What went wrong, for the log and the user.
        reason: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for BleLinkError {
    fn from(error: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Self::Failed {
            reason: error.reason,
        }
    }
}

/// What arrives unasked from a connected sensor.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum BleLinkEvent {
    /// A notification or indication of a characteristic (UUID as text).
    Notification {
        /// The characteristic's UUID, e.g. "a7c00005-3b1d-4e62-8f4e-5365636f6e64".
        characteristic: String,
        /// Its value.
        value: Vec<u8>,
    },
    /// The link dropped.
    Disconnected,
}

/// One sensor over the phone's Bluetooth stack, implemented in Kotlin and
/// Swift. Rust calls one method at a time and bounds each with a timeout;
/// UUIDs are lower-case text.
#[uniffi::export(with_foreign)]
#[async_trait::async_trait]
pub trait BleLink: Send + Sync {
    /// Connects (requesting a large MTU on Android) and discovers services.
    async fn connect(&self) -> Result<(), BleLinkError>;
    /// The ATT MTU negotiated (23 when unknown).
    fn mtu(&self) -> u16;
    /// Reads a characteristic.
    async fn read(&self, characteristic: String) -> Result<Vec<u8>, BleLinkError>;
    /// Writes a characteristic, with response.
    async fn write(&self, characteristic: String, value: Vec<u8>) -> Result<(), BleLinkError>;
    /// Writes a characteristic without response.
    async fn write_without_response(
        &self,
        characteristic: String,
        value: Vec<u8>,
    ) -> Result<(), BleLinkError>;
    /// Enables notifications or indications (writes the CCCD).
    async fn subscribe(&self, characteristic: String) -> Result<(), BleLinkError>;
    /// Waits for the next notification, or the disconnect.
    async fn next_event(&self) -> BleLinkEvent;
    /// Drops the link.
    async fn disconnect(&self) -> Result<(), BleLinkError>;
}

/// Cancels a running sensor sync from any thread.
#[derive(Debug, Default, uniffi::Object)]
pub struct SyncCancellation {
    token: CancellationToken,
}

#[uniffi::export]
impl SyncCancellation {
    /// A cancellation not yet triggered.
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// Stops the sync: what was committed stays, the next sync resumes.
    pub fn cancel(&self) {
        self.token.cancel();
    }
}

/// Hears how far a sync has come (throttle the UI on your side).
#[uniffi::export(with_foreign)]
pub trait SyncProgressListener: Send + Sync {
    /// Records accounted for, of those the sensor announced.
    fn on_progress(&self, records_done: u32, records_total: u32);
}

/// What a sensor sync did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SensorSyncReport {
    /// The sensor's serial number.
    pub serial: String,
    /// Records newly stored.
    pub records_stored: u32,
    /// Records delivered again and ignored.
    pub duplicates_ignored: u32,
    /// Records lost on a full sensor before this sync.
    pub gap_records: u64,
    /// The last sequence number now stored.
    pub high_water: u32,
    /// Connections used.
    pub connections: u32,
}

impl From<SyncReport> for SensorSyncReport {
    fn from(report: SyncReport) -> Self {
        Self {
            gap_records: report.gap_records(),
            serial: report.serial,
            records_stored: report.records_stored,
            duplicates_ignored: report.duplicates_ignored,
            high_water: report.high_water,
            connections: report.connections,
        }
    }
}

/// The foreign link as the driver sees it.
struct ForeignLink(Arc<dyn BleLink>);

fn failed(error: BleLinkError) -> BleError {
    BleError::Stack(error.to_string())
}

impl GattLink for ForeignLink {
    async fn connect(&mut self) -> Result<(), BleError> {
        self.0.connect().await.map_err(failed)
    }

    fn mtu(&self) -> u16 {
        self.0.mtu()
    }

    async fn read(&mut self, characteristic: Uuid) -> Result<Vec<u8>, BleError> {
        self.0
            .read(characteristic.to_string())
            .await
            .map_err(failed)
    }

    async fn write(&mut self, characteristic: Uuid, value: &[u8]) -> Result<(), BleError> {
        self.0
            .write(characteristic.to_string(), value.to_vec())
            .await
            .map_err(failed)
    }

    async fn write_without_response(
        &mut self,
        characteristic: Uuid,
        value: &[u8],
    ) -> Result<(), BleError> {
        self.0
            .write_without_response(characteristic.to_string(), value.to_vec())
            .await
            .map_err(failed)
    }

    async fn subscribe(&mut self, characteristic: Uuid) -> Result<(), BleError> {
        self.0
            .subscribe(characteristic.to_string())
            .await
            .map_err(failed)
    }

    async fn next_event(&mut self) -> LinkEvent {
        match self.0.next_event().await {
            BleLinkEvent::Disconnected => LinkEvent::Disconnected,
            // Every form a stack writes (CoreBluetooth's "2A52" too); a
            // UUID that still does not parse is reported, never skipped.
            BleLinkEvent::Notification {
                characteristic,
                value,
            } => match uuids::parse(&characteristic) {
                Ok(characteristic) => LinkEvent::Notification {
                    characteristic,
                    value,
                },
                Err(error) => LinkEvent::Failed(error.into()),
            },
        }
    }

    async fn disconnect(&mut self) -> Result<(), BleError> {
        self.0.disconnect().await.map_err(failed)
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl SecondHeart {
    /// Fetches the stored records of the sensor behind `link` into this
    /// database. Resumes where the last sync stopped; `cancellation` stops
    /// it cleanly; `progress` hears how far it has come.
    pub async fn sync_sensor(
        &self,
        link: Arc<dyn BleLink>,
        cancellation: Arc<SyncCancellation>,
        progress: Option<Arc<dyn SyncProgressListener>>,
    ) -> Result<SensorSyncReport, SecondHeartError> {
        let mut link = ForeignLink(link);
        // The phone's own zone, so the sensor gets the right local offset.
        let zone = iana_time_zone::get_timezone()
            .ok()
            .and_then(|name| parse_time_zone(&name).ok())
            .unwrap_or(Tz::UTC);
        let settings = SyncSettings::new(zone, chrono::Utc::now());
        // Without a serial to hold the sensor to, a sync through the FFI is
        // a pairing: the user chose the sensor behind this link.
        let report = pair(
            &mut link,
            "",
            self.store_mutex(),
            &settings,
            &cancellation.token,
            |p| {
                if let Some(listener) = &progress {
                    listener.on_progress(p.records_done, p.records_total);
                }
            },
        )
        .await
        .map_err(|e| SecondHeartError::Sync(e.to_string()))?;
        Ok(report.into())
    }
}
