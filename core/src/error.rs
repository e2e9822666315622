//! The one error type of the core, with messages meant for people.

use std::path::PathBuf;

/// Everything that can go wrong in the core. Each variant's message is
/// written for the person using the app, and names the value at fault.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A value from the user or a caller is out of its allowed range.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// The name of the offending field, as the user knows it.
        field: &'static str,
        /// What is wrong with it and what is allowed.
        reason: String,
    },

    /// A safety check said no; the message says why and what to do instead.
    #[error("not started: {0}")]
    NotSafe(String),

    /// The action does not fit the current state (finishing a session that
    /// is not running, starting a second one).
    #[error("{0}")]
    Conflict(String),

    /// The sensor is already in use by another radio operation of this
    /// app (a sync, or live data on another screen): one at a time, so
    /// two links never fight over it.
    #[error("sensor {serial} is busy {activity}: wait for it to end or stop it, then try again")]
    SensorBusy {
        /// The sensor's serial number.
        serial: String,
        /// What holds it.
        activity: crate::app::SensorActivity,
    },

    /// A time-zone name that is not in the IANA database.
    #[error("unknown time zone {0:?}: use an IANA name such as \"Europe/Berlin\" or \"UTC\"")]
    UnknownTimeZone(String),

    /// The database was written by a newer version of Second Heart.
    #[error(
        "the database {path} has schema version {found}, newer than this version of Second Heart supports ({supported}); update the app"
    )]
    DatabaseTooNew {
        /// The database file.
        path: PathBuf,
        /// The schema version found in the file.
        found: u32,
        /// The newest schema version this build knows.
        supported: u32,
    },

    /// The file is not an SQLite database, or it is damaged.
    #[error("the database {path} is damaged or is not a Second Heart database: {detail}")]
    DatabaseCorrupt {
        /// The database file.
        path: PathBuf,
        /// SQLite's own description of the problem.
        detail: String,
    },

    /// A file offered as a backup to restore is not one of Second Heart's,
    /// or it is damaged. Nothing was changed. The message leaves out the
    /// path (an app restores a temporary copy of what the user picked).
    #[error("that file is not a Second Heart backup, or it is damaged: nothing changed")]
    NotABackup {
        /// The file offered.
        path: PathBuf,
        /// What is wrong with it (SQLite's words, or the check that failed).
        detail: String,
    },

    /// A backup written by a newer version of Second Heart. Nothing was changed.
    #[error(
        "that backup is from a newer Second Heart (data version {found}; this one reads up to {supported}): update the app to restore it"
    )]
    BackupTooNew {
        /// The file offered.
        path: PathBuf,
        /// The schema version found in the backup.
        found: u32,
        /// The newest schema version this build knows.
        supported: u32,
    },

    /// Something the database holds could not be read back (the file was
    /// damaged, or edited by hand): not the user's input, and not theirs
    /// to correct; restoring a backup is.
    #[error(
        "a stored {what} could not be read ({detail}): the database may be damaged; restore a backup or delete the data"
    )]
    StoredDataUnreadable {
        /// What was being read, e.g. "profile".
        what: &'static str,
        /// What was wrong with it.
        detail: String,
    },

    /// The device's storage is full. The change was rolled back whole;
    /// nothing of it was saved, and the same call succeeds once there is room.
    #[error(
        "the phone's storage is full: nothing of this change was saved; free some space and try again"
    )]
    DiskFull,

    /// "Delete everything" removed the database's files (the disk was too
    /// full to empty them in place), and the new, empty database could not
    /// be made. Until it can, nothing is stored and nothing can be saved;
    /// every later call tries again.
    #[error(
        "everything was deleted, but there is no room to start again ({detail}): free some space on the phone, and Second Heart starts afresh"
    )]
    NotStartedAfresh {
        /// Why the new database could not be made.
        detail: String,
    },

    /// The action would replace the user's data and was not confirmed
    /// (restoring a backup over a database that holds data).
    #[error("{0}")]
    ConfirmationNeeded(String),

    /// Any other storage failure (permissions, locked database…).
    #[error("storage error: {0}")]
    Storage(rusqlite::Error),

    /// A file the user named could not be read or written.
    #[error("cannot use the file {path}: {detail}")]
    File {
        /// The file.
        path: PathBuf,
        /// What the system said.
        detail: String,
    },

    /// Something the app implements for the core (its clock, a listener)
    /// failed.
    #[error("the app's {what} failed: {detail}")]
    Platform {
        /// What failed, e.g. "clock".
        what: &'static str,
        /// What it said.
        detail: String,
    },

    /// Long work (a model run, detection over a file) was cancelled by
    /// the caller; nothing of it was kept.
    #[error("the work was cancelled; nothing of it was kept")]
    Cancelled,

    /// The pump model's equations gave no usable answer part-way through a
    /// run (a fault of the model, not of the inputs, which are checked
    /// first); nothing of the run was kept.
    #[error(
        "the pump model could not go on after {at_s:.0} s of simulated time; nothing of the run was kept (this is a fault in Second Heart: please report it)"
    )]
    ModelStalled {
        /// Where the run stopped, in simulated seconds.
        at_s: f64,
    },

    /// A schema migration failed; the database was left as it was.
    #[error("could not upgrade the database: {0}")]
    Migration(#[from] rusqlite_migration::Error),
}

impl From<rusqlite::Error> for Error {
    /// SQLite's "disk full" becomes [`Error::DiskFull`]; everything else is
    /// [`Error::Storage`].
    fn from(error: rusqlite::Error) -> Self {
        if is_disk_full(&error) {
            Self::DiskFull
        } else {
            Self::Storage(error)
        }
    }
}

/// SQLite's "disk full", or its failure to grow the write-ahead log's
/// index (the `-shm` file): how a connection opened on a full disk fails
/// its first read ("disk I/O error" would tell the user nothing).
fn is_disk_full(error: &rusqlite::Error) -> bool {
    match error {
        rusqlite::Error::SqliteFailure(failure, _) => {
            failure.code == rusqlite::ErrorCode::DiskFull
                || failure.extended_code == rusqlite::ffi::SQLITE_IOERR_SHMSIZE
        }
        _ => false,
    }
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Shorthand for an [`Error::StoredDataUnreadable`].
    pub(crate) fn unreadable(what: &'static str, detail: impl Into<String>) -> Self {
        Self::StoredDataUnreadable {
            what,
            detail: detail.into(),
        }
    }

    /// Shorthand for an [`Error::InvalidInput`].
    pub(crate) fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Self::InvalidInput {
            field,
            reason: reason.into(),
        }
    }
}
