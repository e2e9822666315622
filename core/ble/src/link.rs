//! One connected sensor, as a Bluetooth stack offers it.

use second_heart_core::sensor::uuids::UuidParseError;
use uuid::Uuid;

/// A Bluetooth operation that failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BleError {
    /// No adapter, no D-Bus, Bluetooth off: nothing can be done until the user acts.
    #[error("{0}")]
    Unavailable(String),
    /// The device is not in range, or not advertising.
    #[error("sensor {0} not found; is it nearby and awake?")]
    NotFound(String),
    /// The characteristic is not on the device.
    #[error("the sensor has no characteristic {0}; is it a Second Heart sensor?")]
    MissingCharacteristic(Uuid),
    /// The operation took longer than allowed.
    #[error("{0} timed out")]
    Timeout(String),
    /// The stack reported a failure.
    #[error("{0}")]
    Stack(String),
    /// The stack named a characteristic by text that is no UUID.
    #[error(transparent)]
    BadUuid(#[from] UuidParseError),
}

/// What arrives unasked from a connected sensor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkEvent {
    /// A notification or indication.
    Notification {
        /// The characteristic.
        characteristic: Uuid,
        /// Its value.
        value: Vec<u8>,
    },
    /// The link dropped.
    Disconnected,
    /// The stack delivered something unusable (a notification of a
    /// characteristic whose UUID does not parse). Never skipped silently:
    /// the sync drops the connection and reports it.
    Failed(BleError),
}

/// One sensor over a Bluetooth stack. Each method is one GATT operation;
/// the driver runs one at a time and bounds each with a timeout, so an
/// implementation need not.
#[allow(async_fn_in_trait)] // driven on one task; no Send bound needed
pub trait GattLink {
    /// Connects and discovers services.
    async fn connect(&mut self) -> Result<(), BleError>;
    /// The ATT MTU, where the stack tells it (23 otherwise).
    fn mtu(&self) -> u16;
    /// Reads a characteristic.
    async fn read(&mut self, characteristic: Uuid) -> Result<Vec<u8>, BleError>;
    /// Writes a characteristic, with response.
    async fn write(&mut self, characteristic: Uuid, value: &[u8]) -> Result<(), BleError>;
    /// Writes a characteristic without response (no acknowledgement; for
    /// streams of small commands).
    async fn write_without_response(
        &mut self,
        characteristic: Uuid,
        value: &[u8],
    ) -> Result<(), BleError>;
    /// Turns on notifications or indications.
    async fn subscribe(&mut self, characteristic: Uuid) -> Result<(), BleError>;
    /// The next notification, or the disconnect. Pending while connected
    /// and quiet; pending for ever while disconnected.
    async fn next_event(&mut self) -> LinkEvent;
    /// Drops the link.
    async fn disconnect(&mut self) -> Result<(), BleError>;
}
