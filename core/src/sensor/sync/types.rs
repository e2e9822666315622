//! What goes in and out of the sync engine.

use serde::Serialize;
use uuid::Uuid;

use super::error::{GattError, StorageError};
use crate::sensor::gatt::{ATT_MTU_DESIRED, DeviceInfo, Record};
use crate::sensor::timeline::ClockAnchor;

/// Time as the driver's clock tells it: the phone's UTC in Unix milliseconds.
pub type Millis = i64;

/// Something that happened, reported by the driver.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The link is up (answering [`Action::Connect`]).
    Connected,
    /// Connecting failed (out of range, Android's status 133…).
    ConnectFailed(GattError),
    /// The ATT MTU is now this (answering [`Action::ExchangeMtu`], or
    /// whenever the stack reports it).
    MtuChanged(u16),
    /// A read finished.
    ReadDone {
        /// The characteristic read.
        characteristic: Uuid,
        /// Its value, or why it failed.
        result: Result<Vec<u8>, GattError>,
    },
    /// A write (with response) finished.
    WriteDone {
        /// The characteristic written.
        characteristic: Uuid,
        /// Whether it was accepted.
        result: Result<(), GattError>,
    },
    /// Notifications or indications of a characteristic are on.
    Subscribed {
        /// The characteristic.
        characteristic: Uuid,
        /// Whether the CCCD write worked.
        result: Result<(), GattError>,
    },
    /// A notification or indication arrived.
    Notification {
        /// The characteristic.
        characteristic: Uuid,
        /// Its value.
        value: Vec<u8>,
    },
    /// Answer to [`Action::LoadState`], or why the database could not say.
    StateLoaded(Result<DeviceSyncState, StorageError>),
    /// Answer to [`Action::Commit`].
    Committed(Result<CommitOutcome, StorageError>),
    /// The link dropped.
    Disconnected,
    /// The stack delivered something unusable (a notification whose
    /// characteristic UUID does not parse): the connection is dropped and
    /// the problem reported, never skipped silently.
    LinkFailed(GattError),
    /// The user cancelled the sync.
    Cancel,
}

/// Something the driver must do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Connect to the sensor.
    Connect,
    /// Ask for this ATT MTU.
    ExchangeMtu(u16),
    /// Read a characteristic.
    Read(Uuid),
    /// Write a characteristic, with response.
    Write {
        /// The characteristic.
        characteristic: Uuid,
        /// The bytes.
        value: Vec<u8>,
    },
    /// Turn on notifications (or indications) of a characteristic.
    Subscribe(Uuid),
    /// Load what the database knows of the device with this serial.
    LoadState {
        /// Device Information serial number.
        serial: String,
    },
    /// Store this in one transaction, then answer with [`Event::Committed`].
    Commit(Commit),
    /// Drop the link.
    Disconnect,
}

/// What the database knows of a device when a sync starts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeviceSyncState {
    /// Whether its manufacturer and model are stored: Device Information's
    /// strings are read at every sync until they are (a first sync cut off
    /// after its first commit had left them empty for good).
    pub described: bool,
    /// The last sequence number committed (0: none).
    pub high_water: u32,
    /// The sensor's overwrite count the mark accounts for (0: none yet).
    pub dropped_seen: u32,
    /// Records stored for it so far.
    pub records_stored: u32,
    /// Records skipped as damaged on the sensor over every sync of it: a
    /// sync skips more only within the allowance they leave (see
    /// [`super::SyncEngine`]).
    pub damaged_skipped: u32,
    /// Clock anchors stored for it.
    pub anchors: Vec<ClockAnchor>,
    /// Numbers of its records stored above the high-water mark, ascending:
    /// a sync that stopped at a reset its status showed stored the records
    /// it had received behind one that never came whole, and left the mark
    /// below the missing. Should the "reset" have been a glitch and the
    /// ring overwrite them before the next sync, that sync counts them as
    /// held, not as lost.
    pub stored_above_mark: Vec<u32>,
}

/// One transaction's worth of sync results.
#[derive(Debug, Clone, PartialEq)]
pub struct Commit {
    /// The device, by serial, with what Device Information said.
    pub device: DeviceInfo,
    /// New clock anchors.
    pub anchors: Vec<ClockAnchor>,
    /// Records overwritten on the sensor before they were fetched: counted
    /// gaps, inclusive, oldest first.
    pub gaps: Vec<(u32, u32)>,
    /// Records, contiguous, right after the high-water mark (or the gap).
    pub records: Vec<Record>,
    /// The high-water mark after this commit.
    pub high_water: u32,
    /// The sensor's count of records overwritten before any phone fetched
    /// them (Status `dropped_total`) that the new mark accounts for.
    pub dropped_seen: u32,
    /// Of the records in `gaps`, those skipped as damaged on the sensor, to
    /// add to the device's [`DeviceSyncState::damaged_skipped`].
    pub damaged: u32,
}

/// What a commit did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CommitOutcome {
    /// Records newly stored.
    pub inserted: u32,
    /// Records already stored (delivered twice), left as they were.
    pub duplicates: u32,
}

/// How far a sync has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Progress {
    /// Records accounted for (stored, or counted in a gap).
    pub records_done: u32,
    /// Records to fetch, as far as the sensor has said.
    pub records_total: u32,
    /// Record bytes accounted for.
    pub bytes_done: u64,
    /// Record bytes to fetch.
    pub bytes_total: u64,
}

/// What a finished sync did.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct SyncReport {
    /// The device's serial number.
    pub serial: String,
    /// Records newly stored.
    pub records_stored: u32,
    /// Records delivered again and ignored.
    pub duplicates_ignored: u32,
    /// Gaps: records lost on the sensor before they were fetched (inclusive ranges).
    pub gaps: Vec<(u32, u32)>,
    /// Records after the mark the sensor no longer held but had not lost:
    /// fetched and cleared before (by this phone before it forgot the
    /// sensor or restored an older backup, or by another phone).
    pub records_not_held: u32,
    /// The high-water mark at the end.
    pub high_water: u32,
    /// Connections made.
    pub connections: u32,
    /// Record requests sent (more than one per connection after losses).
    pub rounds: u32,
    /// Records rejected for a bad CRC and fetched again.
    pub corrupt_records: u32,
    /// Records the sensor held damaged (their CRC failed in three answered
    /// rounds in a row), skipped so the sync goes on: lost, and among
    /// `gaps`.
    pub records_damaged: u32,
    /// The sensor's Battery Level at this sync, percent, when it told it.
    pub battery_percent: Option<u8>,
}

impl SyncReport {
    /// Records lost on the sensor, summed over the gaps.
    pub fn gap_records(&self) -> u64 {
        self.gaps
            .iter()
            .map(|(first, last)| u64::from(last.saturating_sub(*first)) + 1)
            .sum()
    }

    /// Records lost on a full sensor before they were fetched: the gaps
    /// less the records skipped as damaged.
    pub fn records_lost_when_full(&self) -> u64 {
        self.gap_records()
            .saturating_sub(u64::from(self.records_damaged))
    }
}

/// Tunables of a sync.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncConfig {
    /// The ATT MTU to ask for.
    pub desired_mtu: u16,
    /// How long one GATT operation may take.
    pub op_timeout_ms: Millis,
    /// How long a transfer may go without a notification.
    pub transfer_idle_timeout_ms: Millis,
    /// Connections in a row without progress before giving up.
    pub max_attempts_without_progress: u32,
    /// Connections in all before giving up, progress or not: every sync ends.
    pub max_connections: u32,
    /// First reconnect delay; doubles each time, up to `max_backoff_ms`.
    pub backoff_ms: Millis,
    /// Longest reconnect delay.
    pub max_backoff_ms: Millis,
    /// Records asked for in one request.
    pub round_max_records: u32,
    /// Tell the sensor to delete what was committed.
    pub delete_after_commit: bool,
    /// The phone's local UTC offset, written with the time for the sensor's
    /// own display; the app stores UTC only.
    pub local_offset_seconds: i32,
    /// The serial of the sensor asked for: any other that answers ends the
    /// sync with [`SyncError::WrongSensor`](super::SyncError::WrongSensor)
    /// before anything is stored or deleted. `None` when pairing.
    pub expected_serial: Option<String>,
}

impl Default for SyncConfig {
    fn default() -> Self {
        Self {
            desired_mtu: ATT_MTU_DESIRED,
            op_timeout_ms: 5_000,
            transfer_idle_timeout_ms: 5_000,
            max_attempts_without_progress: 6,
            max_connections: 64,
            backoff_ms: 500,
            max_backoff_ms: 30_000,
            round_max_records: 2_048,
            delete_after_commit: true,
            local_offset_seconds: 0,
            expected_serial: None,
        }
    }
}

/// What a front end chooses for a sync: the phone's time and local UTC
/// offset (from the app's clock and the user's time zone, at the time of the
/// sync) and how stubborn to be.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncSettings {
    /// The phone's UTC when the sync starts, Unix ms: the sync's clock runs
    /// on from it (so a demo under a fixed clock stores the same times).
    pub phone_utc_ms: Millis,
    /// The phone's local UTC offset now, seconds east of UTC.
    pub local_offset_seconds: i32,
    /// Connections in a row without progress before giving up.
    pub max_attempts_without_progress: u32,
}

impl SyncSettings {
    /// Settings for a phone in time zone `zone` at `now`.
    pub fn new(zone: chrono_tz::Tz, now: chrono::DateTime<chrono::Utc>) -> Self {
        use chrono::Offset;
        let offset = now.with_timezone(&zone).offset().fix().local_minus_utc();
        Self {
            phone_utc_ms: now.timestamp_millis(),
            local_offset_seconds: offset,
            max_attempts_without_progress: SyncConfig::default().max_attempts_without_progress,
        }
    }

    /// The same, giving up after `attempts` connections in a row without
    /// progress (at least one).
    pub fn with_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts_without_progress = attempts.max(1);
        self
    }

    /// The engine's configuration for these settings; `expected_serial`
    /// names the paired sensor to sync (`None` when pairing).
    pub fn config(&self, expected_serial: Option<String>) -> SyncConfig {
        SyncConfig {
            local_offset_seconds: self.local_offset_seconds,
            max_attempts_without_progress: self.max_attempts_without_progress,
            expected_serial,
            ..SyncConfig::default()
        }
    }
}
