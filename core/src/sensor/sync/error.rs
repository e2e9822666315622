//! Why a sync, a pairing or a live session ended without finishing: one
//! error type, structured, for the engine, `core/ble` and the front ends.

use std::sync::Arc;

use crate::sensor::gatt::{ControlResult, ParseError, RacpResponse, RacpResponseCode};

/// A GATT operation the Bluetooth stack reported as failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GattError {
    /// No answer within the operation's timeout.
    #[error("no answer in time")]
    TimedOut,
    /// The stack refused or failed the operation, in its own words.
    #[error("{0}")]
    Failed(String),
}

/// What the phone was doing when something went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// Connecting and discovering services.
    Connecting,
    /// Exchanging the ATT MTU.
    ExchangingMtu,
    /// Reading the Serial Number.
    ReadingSerial,
    /// Reading Device Information.
    ReadingDeviceInfo,
    /// Turning on notifications or indications.
    Subscribing,
    /// Reading the Status characteristic.
    ReadingStatus,
    /// Reading the sensor's clock.
    ReadingClock,
    /// Writing the phone's time to the sensor.
    WritingClock,
    /// Asking the sensor how many records it holds.
    CountingRecords,
    /// Writing a record request to the RACP.
    RequestingRecords,
    /// Waiting for records and the RACP's answer.
    ReceivingRecords,
    /// Telling the sensor to delete stored records.
    DeletingRecords,
    /// Starting live data on the Control Point.
    StartingLive,
    /// Streaming live data.
    Streaming,
    /// Waiting to reconnect, or between steps.
    Idle,
}

impl std::fmt::Display for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Connecting => "connecting",
            Self::ExchangingMtu => "exchanging the MTU",
            Self::ReadingSerial => "reading the serial number",
            Self::ReadingDeviceInfo => "reading the device information",
            Self::Subscribing => "turning on notifications",
            Self::ReadingStatus => "reading the sensor's status",
            Self::ReadingClock => "reading the sensor's clock",
            Self::WritingClock => "setting the sensor's clock",
            Self::CountingRecords => "counting the sensor's records",
            Self::RequestingRecords => "requesting records",
            Self::ReceivingRecords => "receiving records",
            Self::DeletingRecords => "deleting fetched records on the sensor",
            Self::StartingLive => "starting live data",
            Self::Streaming => "streaming live data",
            Self::Idle => "waiting",
        })
    }
}

/// Something the sensor did that the protocol (docs/sensor-protocol.md)
/// does not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProtocolError {
    /// The Serial Number was empty or not text.
    #[error("the sensor sent no serial number")]
    NoSerial,
    /// Status did not parse.
    #[error("the sensor's Status is unreadable ({0})")]
    BadStatus(ParseError),
    /// Status lists a held range that cannot be (oldest above newest).
    #[error(
        "the sensor's Status says it holds {stored} records from {oldest} to {newest}, which cannot be"
    )]
    InconsistentStatus {
        /// Oldest record held, as reported.
        oldest: u32,
        /// Newest record, as reported.
        newest: u32,
        /// Records held, as reported.
        stored: u32,
    },
    /// Current Elapsed Time did not parse.
    #[error("the sensor's clock is unreadable ({0})")]
    BadClock(ParseError),
    /// Current Elapsed Time parsed, but is no tick counter the records'
    /// stamps can be placed by: a time of day, or more ticks than a
    /// record's stamp (whole seconds in 32 bits) can count.
    #[error(
        "the sensor's clock reads {value_ms} ms{}, not ticks since its start that records can be placed by",
        if *.tick_counter { "" } else { " as a time of day" }
    )]
    UnusableClock {
        /// Whether it said it was a tick counter.
        tick_counter: bool,
        /// What it read, in milliseconds.
        value_ms: u64,
    },
    /// A record request was answered with bytes that are no RACP response.
    #[error(
        "the sensor answered the record request with {bytes:02x?}, which is no RACP response ({error})"
    )]
    BadRacpResponse {
        /// What arrived.
        bytes: Vec<u8>,
        /// Why it does not parse.
        error: ParseError,
    },
    /// A record request was answered with a response to something else.
    #[error("the sensor answered the record request (op 0x01) with {answered:?}")]
    WrongRacpResponse {
        /// The response that arrived.
        answered: RacpResponse,
    },
    /// The sensor refused a record request.
    #[error("the sensor refused the request for records {first}–{last}: {code:?}")]
    RacpRefused {
        /// First record asked for.
        first: u32,
        /// Last record asked for.
        last: u32,
        /// Its answer.
        code: RacpResponseCode,
    },
    /// Status says records after the mark are gone, but the sensor counts
    /// some of them: one of the two is wrong, so the mark does not move.
    #[error(
        "the sensor's Status says it no longer holds records {first}–{last}, yet it counts {counted} of them"
    )]
    StatusHidesRecords {
        /// First record of the run.
        first: u32,
        /// Last record of the run.
        last: u32,
        /// Records of the run the sensor counted.
        counted: u32,
    },
    /// The sensor refused to count the records of a run its Status says
    /// are gone.
    #[error("the sensor refused to count records {first}–{last}: {code:?}")]
    CountRefused {
        /// First record of the run.
        first: u32,
        /// Last record of the run.
        last: u32,
        /// Its answer.
        code: RacpResponseCode,
    },
    /// Records came, but no RACP response closed the transfer.
    #[error(
        "the sensor sent {received} of records {first}–{last} but never answered the record request"
    )]
    NoRacpResponse {
        /// First record asked for.
        first: u32,
        /// Last record asked for.
        last: u32,
        /// Records that arrived intact.
        received: u32,
    },
    /// Status lists records the sensor then does not send.
    #[error(
        "the sensor's Status lists records up to {newest}, but it sent {received} of records {first}–{last}"
    )]
    MissingRecords {
        /// First record asked for.
        first: u32,
        /// Last record asked for.
        last: u32,
        /// The newest record Status claims.
        newest: u32,
        /// Records that arrived intact.
        received: u32,
    },
    /// Each record passed its CRC-16 but the transfer's CRC-32 did not match.
    #[error(
        "records {first}–{last} arrived, but their CRC-32 {received:#010x} does not match the {sent:#010x} the sensor announced"
    )]
    BatchCrcMismatch {
        /// First record of the transfer.
        first: u32,
        /// Last record of the transfer.
        last: u32,
        /// CRC-32 over what arrived.
        received: u32,
        /// CRC-32 the sensor sent.
        sent: u32,
    },
    /// A record with a valid CRC whose contents this version cannot read.
    #[error("record {seq}: {what} {value:#04x} is unknown to this app version; update the app")]
    UnknownRecordContent {
        /// Its sequence number.
        seq: u32,
        /// The field (e.g. "record type").
        what: &'static str,
        /// The value found.
        value: u32,
    },
    /// A record damaged on the sensor that is not skipped: the sensor's
    /// damaged records already skipped use up its allowance, so its
    /// firmware writes records this app cannot check, not a worn memory.
    #[error(
        "record {seq} fails its check on the sensor, and {skipped} of its records already did: more than a worn memory loses, so the sensor's firmware likely writes records this app cannot check. It stays on the sensor, unread, with the records after it, until the sensor fills and overwrites them; update the sensor's firmware or this app"
    )]
    UncheckableRecords {
        /// The damaged record not skipped.
        seq: u32,
        /// The sensor's records skipped as damaged before it.
        skipped: u32,
    },
    /// A sequence number at the end of its range: the next would wrap.
    #[error("the sensor reported record number {value}, the last a u32 can hold; it must be reset")]
    SequenceExhausted {
        /// The number reported.
        value: u32,
    },
    /// The Control Point refused a request.
    #[error("the sensor refused to start live data: {result:?}")]
    ControlRefused {
        /// Its answer.
        result: ControlResult,
    },
}

/// A storage failure, shared: the store's own error behind an `Arc` so that
/// sync outcomes stay cheap to clone.
#[derive(Debug, Clone, thiserror::Error)]
#[error(transparent)]
pub struct StorageError(pub Arc<crate::Error>);

impl From<crate::Error> for StorageError {
    fn from(error: crate::Error) -> Self {
        Self(Arc::new(error))
    }
}

impl PartialEq for StorageError {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0.to_string() == other.0.to_string()
    }
}

impl Eq for StorageError {}

/// Why a sync, a pairing or a live session ended without finishing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    /// The user cancelled.
    #[error("sync cancelled; what was stored before stays, the rest comes next time")]
    Cancelled,
    /// The sensor's record numbers went backwards: it was reset or replaced.
    #[error(
        "the sensor's records now end at number {newest}, and this phone has synced it up to number {high_water}: was it reset? If so, keep its history and sync it afresh"
    )]
    SensorReset {
        /// The sensor's serial number.
        serial: String,
        /// The sensor's newest sequence number.
        newest: u32,
        /// Ours.
        high_water: u32,
    },
    /// The sensor's clock epoch went backwards: it was reset or reflashed
    /// (its record numbers restart too, and may already be past ours).
    #[error(
        "the sensor's boot counter (its clock's epoch) reads {epoch}, behind {latest}, the latest this phone has seen: was it reset? If so, keep its history and sync it afresh"
    )]
    EpochReset {
        /// The sensor's serial number.
        serial: String,
        /// The sensor's epoch now.
        epoch: u16,
        /// The latest epoch stored.
        latest: u16,
    },
    /// The sensor that answered is not the one asked for.
    #[error(
        "connected to sensor {found}, not {expected}; is another sensor nearby at that address? Nothing was fetched or deleted"
    )]
    WrongSensor {
        /// The serial asked for.
        expected: String,
        /// The serial that answered.
        found: String,
    },
    /// A sync of a sensor that was never paired.
    #[error("no paired sensor {serial}; pair it first")]
    NotPaired {
        /// The serial or address asked for.
        serial: String,
    },
    /// Gave up after this many connections made no progress.
    #[error("gave up after {attempts} connections without progress; last problem: {last}")]
    GaveUp {
        /// Connections made without progress.
        attempts: u32,
        /// The last problem seen.
        last: Box<SyncError>,
    },
    /// Stopped after the most connections one sync makes, though they made
    /// progress (a large backlog over a link that keeps dropping): what
    /// was stored stays, and the next sync resumes.
    #[error(
        "stopped after {connections} connections, the most one sync makes; what was stored stays and the next sync resumes; last problem: {last}"
    )]
    ConnectionsUsedUp {
        /// Connections made.
        connections: u32,
        /// The last problem seen.
        last: Box<SyncError>,
    },
    /// A Bluetooth operation failed.
    #[error("{operation}: {error}")]
    Bluetooth {
        /// What the phone was doing.
        operation: Operation,
        /// What the stack said.
        error: GattError,
    },
    /// An operation took longer than allowed.
    #[error("{operation}: the sensor did not answer in time")]
    Timeout {
        /// What the phone was doing.
        operation: Operation,
    },
    /// The link dropped.
    #[error("the sensor dropped the link while {operation}")]
    Disconnected {
        /// What the phone was doing.
        operation: Operation,
    },
    /// The sensor broke the protocol.
    #[error("{0}")]
    Protocol(#[from] ProtocolError),
    /// The database refused.
    #[error("could not store the records: {0}")]
    Storage(#[from] StorageError),
}

impl From<crate::Error> for SyncError {
    fn from(error: crate::Error) -> Self {
        Self::Storage(error.into())
    }
}
