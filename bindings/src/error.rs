//! The one error Kotlin and Swift catch, converted from the core's errors in
//! this one place. Each case has structured fields and a stable [`code`]
//! (`SecondHeartError::code`), so an app can show its own localised text;
//! the English message (`toString()` in Kotlin, `description` in Swift) is
//! the default.

use second_heart_core::Error;
use second_heart_core::sensor::sync::{StorageError, SyncError};

/// What went wrong, as the apps see it (Kotlin: `SecondHeartException.*`).
#[derive(Debug, thiserror::Error, uniffi::Error)]
#[uniffi::export(Display)]
pub enum SecondHeartError {
    /// A value from the user or the app is out of range.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// The field, as the user knows it ("duration", "time zone"…).
        field: String,
        /// What is wrong and what is allowed.
        reason: String,
    },
    /// A safety check said no; `reason` says why and what to do instead.
    #[error("not started: {reason}")]
    NotSafe {
        /// Why, in words for the user.
        reason: String,
    },
    /// The action does not fit the current state (a session already running).
    #[error("{reason}")]
    Conflict {
        /// What is in the way.
        reason: String,
    },
    /// The database was written by a newer version of the app.
    #[error(
        "the database has schema version {found}, newer than this app supports ({supported}); update the app"
    )]
    DatabaseTooNew {
        /// The version in the file.
        found: u32,
        /// The newest this build knows.
        supported: u32,
    },
    /// The database file is damaged or is not a Second Heart database.
    #[error("the database {path} is damaged or is not a Second Heart database: {detail}")]
    DatabaseCorrupt {
        /// The database file.
        path: String,
        /// SQLite's description.
        detail: String,
    },
    /// A file offered to restore is not a Second Heart backup, or it is
    /// damaged; nothing was changed.
    #[error("that file is not a Second Heart backup, or it is damaged: nothing changed")]
    NotABackup {
        /// The file offered.
        path: String,
        /// What is wrong with it.
        detail: String,
    },
    /// A backup written by a newer version of the app; nothing was changed.
    #[error(
        "that backup is from a newer Second Heart (data version {found}; this one reads up to {supported}): update the app to restore it"
    )]
    BackupTooNew {
        /// The version in the backup.
        found: u32,
        /// The newest this build knows.
        supported: u32,
    },
    /// Something the database holds could not be read back (a damaged or
    /// hand-edited file): not the user's input; restoring a backup helps.
    #[error(
        "a stored {what} could not be read ({detail}): the database may be damaged; restore a backup or delete the data"
    )]
    StoredDataUnreadable {
        /// What was being read, e.g. "profile".
        what: String,
        /// What was wrong with it.
        detail: String,
    },
    /// The phone's storage is full: nothing of the change was saved.
    #[error(
        "the phone's storage is full: nothing of this change was saved; free some space and try again"
    )]
    DiskFull,
    /// "Delete everything" deleted it all, but the phone's storage is too
    /// full for the new, empty database: until there is room, nothing shows
    /// and nothing can be saved (every call tries again).
    #[error(
        "everything was deleted, but there is no room to start again ({detail}): free some space on the phone, and Second Heart starts afresh"
    )]
    NotStartedAfresh {
        /// Why the new database could not be made.
        detail: String,
    },
    /// The action would replace the user's data and was not confirmed
    /// (restoring a backup over a database that holds data).
    #[error("{reason}")]
    ConfirmationNeeded {
        /// What would be replaced, in words.
        reason: String,
    },
    /// Any other storage failure (permissions, a locked file…).
    #[error("storage error: {detail}")]
    Storage {
        /// What SQLite said.
        detail: String,
    },
    /// A file the user named could not be read or written.
    #[error("cannot use the file {path}: {detail}")]
    File {
        /// The file.
        path: String,
        /// What the system said.
        detail: String,
    },
    /// The sync was cancelled; what was stored stays, the next sync resumes.
    #[error("the sync was cancelled; what was stored stays and the next sync resumes")]
    SyncCancelled,
    /// Long work (a model run, detection over a file) was cancelled;
    /// nothing of it was kept.
    #[error("the work was cancelled; nothing of it was kept")]
    Cancelled,
    /// The sensor's records restarted below what is stored (it was reset):
    /// `sensors().acceptReset(serial)` keeps its history and syncs it afresh.
    #[error("{detail}")]
    SensorReset {
        /// The sensor's serial number (a pairing knows only its address).
        serial: String,
        /// What the sensor reported.
        detail: String,
    },
    /// The sensor reached is not the one asked for.
    #[error("this is sensor {found}, not the paired sensor {expected}; nothing was synced")]
    WrongSensor {
        /// The serial asked for.
        expected: String,
        /// The serial that answered.
        found: String,
    },
    /// The sensor is not paired: pair it first (pairing is the only way a
    /// sensor's data enters the database).
    #[error("no paired sensor {serial}; pair it first")]
    NotPaired {
        /// The serial asked for.
        serial: String,
    },
    /// Another radio operation of this app holds the sensor (a sync, or
    /// live data on another screen): one at a time; try again when it ends.
    #[error("sensor {serial} is busy {activity}: wait for it to end or stop it, then try again")]
    SensorBusy {
        /// The sensor's serial number.
        serial: String,
        /// What holds it, in words: "syncing", "streaming live data",
        /// "counting your walk or exercise from its live data" or "being
        /// forgotten".
        activity: String,
    },
    /// The sensor answered against the protocol (what it did is named).
    #[error("the sensor broke the protocol: {detail}")]
    SensorProtocol {
        /// What the sensor did.
        detail: String,
    },
    /// The sync gave up after `attempts` connections.
    #[error("the sync gave up after {attempts} attempts: {last}")]
    SyncGaveUp {
        /// Connections tried.
        attempts: u32,
        /// The last failure.
        last: String,
    },
    /// The sync stopped at the most connections one sync makes, though
    /// they made progress (a large backlog over a link that keeps
    /// dropping): what was stored stays, and the next sync resumes.
    #[error(
        "the sync stopped after {connections} connections, the most one sync makes; \
         what was stored stays and the next sync resumes; last problem: {last}"
    )]
    SyncConnectionsUsedUp {
        /// Connections made.
        connections: u32,
        /// The last failure.
        last: String,
    },
    /// The Bluetooth link failed (timeout, the stack refused, the link dropped).
    #[error("Bluetooth: {detail}")]
    Bluetooth {
        /// What failed.
        detail: String,
    },
    /// Something the app implements for the library (its clock, a Bluetooth
    /// link, a listener) threw.
    #[error("the app's {what} failed: {detail}")]
    Platform {
        /// What failed.
        what: String,
        /// What it said.
        detail: String,
    },
    /// A bug in the library; please report it.
    #[error("internal error: {detail}")]
    Internal {
        /// What went wrong.
        detail: String,
    },
}

#[uniffi::export]
impl SecondHeartError {
    /// A stable code for this kind of error, for the app's own localised
    /// text: "invalid_input", "not_safe", "conflict", "database_too_new",
    /// "database_corrupt", "not_a_backup", "backup_too_new",
    /// "stored_data_unreadable", "disk_full", "not_started_afresh",
    /// "confirmation_needed",
    /// "storage", "file", "sync_cancelled",
    /// "cancelled", "sensor_reset", "wrong_sensor", "not_paired", "sensor_busy", "sensor_protocol",
    /// "sync_gave_up", "sync_connections_used_up", "bluetooth",
    /// "platform", "internal".
    pub fn code(&self) -> String {
        match self {
            Self::InvalidInput { .. } => "invalid_input",
            Self::NotSafe { .. } => "not_safe",
            Self::Conflict { .. } => "conflict",
            Self::DatabaseTooNew { .. } => "database_too_new",
            Self::DatabaseCorrupt { .. } => "database_corrupt",
            Self::NotABackup { .. } => "not_a_backup",
            Self::BackupTooNew { .. } => "backup_too_new",
            Self::StoredDataUnreadable { .. } => "stored_data_unreadable",
            Self::DiskFull => "disk_full",
            Self::NotStartedAfresh { .. } => "not_started_afresh",
            Self::ConfirmationNeeded { .. } => "confirmation_needed",
            Self::Storage { .. } => "storage",
            Self::File { .. } => "file",
            Self::SyncCancelled => "sync_cancelled",
            Self::Cancelled => "cancelled",
            Self::SensorReset { .. } => "sensor_reset",
            Self::WrongSensor { .. } => "wrong_sensor",
            Self::NotPaired { .. } => "not_paired",
            Self::SensorBusy { .. } => "sensor_busy",
            Self::SensorProtocol { .. } => "sensor_protocol",
            Self::SyncGaveUp { .. } => "sync_gave_up",
            Self::SyncConnectionsUsedUp { .. } => "sync_connections_used_up",
            Self::Bluetooth { .. } => "bluetooth",
            Self::Platform { .. } => "platform",
            Self::Internal { .. } => "internal",
        }
        .to_owned()
    }
}

impl From<Error> for SecondHeartError {
    fn from(error: Error) -> Self {
        Self::from(&error)
    }
}

impl From<&Error> for SecondHeartError {
    /// The one mapping of the core's errors, by reference: a sync's store
    /// error arrives shared.
    fn from(error: &Error) -> Self {
        match error {
            Error::InvalidInput { field, reason } => Self::InvalidInput {
                field: (*field).to_owned(),
                reason: reason.clone(),
            },
            Error::UnknownTimeZone(_) => Self::InvalidInput {
                field: "time zone".to_owned(),
                reason: error.to_string(),
            },
            Error::NotSafe(reason) => Self::NotSafe {
                reason: reason.clone(),
            },
            Error::SensorBusy { serial, activity } => Self::SensorBusy {
                serial: serial.clone(),
                activity: activity.to_string(),
            },
            Error::Conflict(reason) => Self::Conflict {
                reason: reason.clone(),
            },
            Error::DatabaseTooNew {
                found, supported, ..
            } => Self::DatabaseTooNew {
                found: *found,
                supported: *supported,
            },
            Error::DatabaseCorrupt { path, detail } => Self::DatabaseCorrupt {
                path: path.display().to_string(),
                detail: detail.clone(),
            },
            Error::NotABackup { path, detail } => Self::NotABackup {
                path: path.display().to_string(),
                detail: detail.clone(),
            },
            Error::BackupTooNew {
                found, supported, ..
            } => Self::BackupTooNew {
                found: *found,
                supported: *supported,
            },
            Error::StoredDataUnreadable { what, detail } => Self::StoredDataUnreadable {
                what: (*what).to_owned(),
                detail: detail.clone(),
            },
            Error::File { path, detail } => Self::File {
                path: path.display().to_string(),
                detail: detail.clone(),
            },
            Error::Platform { what, detail } => Self::Platform {
                what: (*what).to_owned(),
                detail: detail.clone(),
            },
            Error::DiskFull => Self::DiskFull,
            Error::NotStartedAfresh { detail } => Self::NotStartedAfresh {
                detail: detail.clone(),
            },
            Error::Cancelled => Self::Cancelled,
            Error::ConfirmationNeeded(reason) => Self::ConfirmationNeeded {
                reason: reason.clone(),
            },
            Error::Storage(_) | Error::Migration(_) => Self::Storage {
                detail: error.to_string(),
            },
            // A fault of the library's model, not of what the app passed.
            Error::ModelStalled { .. } => Self::Internal {
                detail: error.to_string(),
            },
        }
    }
}

impl From<SyncError> for SecondHeartError {
    fn from(error: SyncError) -> Self {
        match error {
            SyncError::Cancelled => Self::SyncCancelled,
            SyncError::SensorReset { ref serial, .. }
            | SyncError::EpochReset { ref serial, .. } => Self::SensorReset {
                serial: serial.clone(),
                detail: error.to_string(),
            },
            SyncError::WrongSensor { expected, found } => Self::WrongSensor { expected, found },
            SyncError::NotPaired { serial } => Self::NotPaired { serial },
            SyncError::GaveUp { attempts, ref last } => Self::SyncGaveUp {
                attempts,
                last: last.to_string(),
            },
            SyncError::ConnectionsUsedUp {
                connections,
                ref last,
            } => Self::SyncConnectionsUsedUp {
                connections,
                last: last.to_string(),
            },
            SyncError::Bluetooth { .. }
            | SyncError::Timeout { .. }
            | SyncError::Disconnected { .. } => Self::Bluetooth {
                detail: error.to_string(),
            },
            SyncError::Protocol(problem) => Self::SensorProtocol {
                detail: problem.to_string(),
            },
            // The core's own error, as any other call gives it (stored data
            // unreadable, a full disk …).
            SyncError::Storage(StorageError(inner)) => Self::from(inner.as_ref()),
        }
    }
}

/// What a foreign implementation (a Kotlin or Swift object behind a UniFFI
/// trait) throws: caught by the generated code and handed back as this.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum ForeignError {
    /// The implementation failed.
    #[error("{reason}")]
    Failed {
        /// What it said.
        reason: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for ForeignError {
    fn from(error: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Self::Failed {
            reason: error.reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[test]
    fn a_sync_stopped_by_the_store_gives_the_store_s_own_error() {
        let unreadable = || Error::StoredDataUnreadable {
            what: "time zone",
            detail: "\"Mars/Olympus\" is not a zone".to_owned(),
        };
        let alone = SecondHeartError::from(SyncError::Storage(StorageError::from(unreadable())));
        assert_eq!(alone.code(), "stored_data_unreadable", "{alone}");
        // Still shared by the sync, the same.
        let shared = StorageError(Arc::new(unreadable()));
        let _also_held = shared.clone();
        let error = SecondHeartError::from(SyncError::Storage(shared));
        assert_eq!(error.code(), "stored_data_unreadable");
        assert!(error.to_string().contains("Mars/Olympus"), "{error}");
    }

    #[test]
    fn a_sync_that_used_its_connections_says_what_was_stored_stays() {
        let last = Box::new(SyncError::Disconnected {
            operation: second_heart_core::sensor::sync::Operation::ReceivingRecords,
        });
        let error = SecondHeartError::from(SyncError::ConnectionsUsedUp {
            connections: 64,
            last,
        });
        assert_eq!(error.code(), "sync_connections_used_up");
        let said = error.to_string();
        assert!(
            said.contains("64 connections") && said.contains("what was stored stays"),
            "{said}"
        );
        assert!(!said.contains("gave up"), "{said}");
    }
}
