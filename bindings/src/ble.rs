//! Bluetooth from the platform stacks: Android's `BluetoothGatt` and iOS's
//! CoreBluetooth implement [`BleLink`] in Kotlin and Swift; Rust drives the
//! sync over it.

use std::sync::Arc;

use second_heart_ble::{BleError, GattLink, LinkEvent};
use second_heart_core::sensor::uuids;
use uuid::Uuid;

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

/// The sensor profile's UUIDs as lower-case text, from the core's one list
/// (`docs/sensor-protocol.md`): what the apps scan for and what their demo
/// and test links answer to, so no front end keeps its own copy.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SensorUuids {
    /// The calf-pump service, advertised by a Second Heart sensor: a scan
    /// filters on it.
    pub calf_pump_service: String,
    /// Running Speed and Cadence, advertised by foot pods that stream
    /// cadence only.
    pub running_speed_and_cadence: String,
    /// Live Frame (notify).
    pub live_frame: String,
    /// Status (read, notify).
    pub status: String,
    /// Control Point (write, indicate): Start Live is opcode 0x01, Stop Live
    /// 0x02.
    pub control_point: String,
    /// Record (notify): stored records during a sync.
    pub record: String,
}

/// The sensor profile's UUIDs.
#[uniffi::export]
pub fn sensor_uuids() -> SensorUuids {
    let text = |uuid: Uuid| uuid.hyphenated().to_string();
    SensorUuids {
        calf_pump_service: text(uuids::CALF_PUMP_SERVICE),
        running_speed_and_cadence: text(uuids::RUNNING_SPEED_AND_CADENCE),
        live_frame: text(uuids::LIVE_FRAME),
        status: text(uuids::STATUS),
        control_point: text(uuids::CONTROL_POINT),
        record: text(uuids::RECORD),
    }
}

/// One sensor over the phone's Bluetooth stack, implemented in Kotlin and
/// Swift. Rust calls one method at a time and bounds each with a timeout;
/// UUIDs are lower-case text.
#[uniffi::export(with_foreign)]
#[async_trait::async_trait]
pub trait BleLink: Send + Sync {
    /// Connects (requesting a large MTU on Android) and discovers services.
    async fn connect(&self) -> Result<(), BleLinkError>;
    /// The ATT MTU negotiated (23 when unknown; a throw counts as unknown).
    fn mtu(&self) -> Result<u16, BleLinkError>;
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
    /// Waits for the next notification, or the disconnect (a throw counts
    /// as the disconnect).
    async fn next_event(&self) -> Result<BleLinkEvent, BleLinkError>;
    /// Drops the link.
    async fn disconnect(&self) -> Result<(), BleLinkError>;
}

/// The ATT MTU before any exchange (Bluetooth Core, Vol 3, Part F, 3.2.8).
pub(crate) const DEFAULT_MTU: u16 = 23;

/// The foreign link as the driver sees it.
pub(crate) struct ForeignLink(Arc<dyn BleLink>);

impl ForeignLink {
    /// Wraps the app's link.
    pub(crate) fn new(link: Arc<dyn BleLink>) -> Self {
        Self(link)
    }
}

fn failed(error: BleLinkError) -> BleError {
    BleError::Stack(error.to_string())
}

impl GattLink for ForeignLink {
    async fn connect(&mut self) -> Result<(), BleError> {
        self.0.connect().await.map_err(failed)
    }

    fn mtu(&self) -> u16 {
        self.0.mtu().unwrap_or(DEFAULT_MTU)
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
            // A link that throws has dropped, as far as the sync can tell.
            Err(_) | Ok(BleLinkEvent::Disconnected) => LinkEvent::Disconnected,
            // Every form a stack writes (CoreBluetooth's "2A52" too); a
            // UUID that still does not parse is reported, never skipped.
            Ok(BleLinkEvent::Notification {
                characteristic,
                value,
            }) => match uuids::parse(&characteristic) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_apps_scan_for_the_documented_service_in_lower_case() {
        let u = sensor_uuids();
        // docs/sensor-protocol.md: a7c0XXXX-3b1d-4e62-8f4e-5365636f6e64, and
        // the SIG's RSC service 0x1814 on the Bluetooth Base UUID.
        assert_eq!(u.calf_pump_service, "a7c00001-3b1d-4e62-8f4e-5365636f6e64");
        assert_eq!(
            u.running_speed_and_cadence,
            "00001814-0000-1000-8000-00805f9b34fb"
        );
        assert_eq!(u.control_point, "a7c00004-3b1d-4e62-8f4e-5365636f6e64");
        // Each names a different characteristic, and each parses back.
        let all = [&u.live_frame, &u.status, &u.control_point, &u.record];
        for (i, a) in all.iter().enumerate() {
            assert!(uuids::parse(a).is_ok(), "{a}");
            assert!(all[i + 1..].iter().all(|b| b != a), "{a} twice");
        }
    }
}
