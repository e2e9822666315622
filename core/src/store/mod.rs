//! The on-device SQLite store.
//!
//! One file per user, in WAL mode with foreign keys on, its schema brought up
//! to date on open by `migrations`. Every logical change is one transaction.

mod backup;
mod days;
mod flights;
mod imports;
mod logs;
mod migrations;
mod minutes;
mod profile;
mod reminders;
mod sensors;
mod sessions;
mod tx;
mod walks;
mod wipe;

#[cfg(test)]
mod disk_full_tests;
#[cfg(test)]
mod upgrade_tests;

pub(crate) use backup::partial_path;
pub use backup::{BackupReport, ReplaceData, RestoreReport};
pub use days::History;
pub use imports::ImportReport;
pub use minutes::SensorWalking;
pub use sensors::{ForgottenSensor, PairedSensor, PlacedRecord, SensorSummary, StoredRecord};
pub use sessions::{SensorSet, SessionRecord};
pub use tx::StoreTx;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::{Error, Result};

/// How long a writer waits for another connection's lock before giving up.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// The user's database.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Set when "delete everything" removed the file but could not make it
    /// anew: the connection is an empty, read-only stand-in in memory
    /// until [`Store::make_file_again`] can (see `wipe.rs`).
    standing_in: bool,
}

impl Store {
    /// Opens (or creates) the database at `path` and brings its schema up to
    /// date.
    ///
    /// Fails with [`Error::DatabaseTooNew`] when a newer version of the app
    /// wrote it, and with [`Error::DatabaseCorrupt`] when the file is not a
    /// database; in both cases the file is left untouched. What a restore
    /// cut short left beside it goes.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn =
            Connection::open_with_flags(&path, flags).map_err(|e| classify_open_error(&path, e))?;
        // A restore the app was killed in left a copy of a backup's health
        // data beside the file: nothing reads it again.
        backup::remove_restore_leftovers(&path);
        Self::prepare(conn, path)
    }

    /// An in-memory database, for tests and the demo.
    pub fn open_in_memory() -> Result<Self> {
        let conn = Connection::open_in_memory()?;
        Self::prepare(conn, PathBuf::from(":memory:"))
    }

    /// The file this store lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version the file is at.
    pub fn schema_version(&self) -> Result<u32> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |row| row.get(0))?)
    }

    /// The newest schema version this build knows.
    pub fn latest_schema_version() -> u32 {
        migrations::latest_version()
    }

    fn prepare(mut conn: Connection, path: PathBuf) -> Result<Self> {
        configure(&conn).map_err(|e| classify_open_error(&path, e))?;
        migrations::run(&mut conn, &path)?;
        Ok(Self {
            conn,
            path,
            standing_in: false,
        })
    }
}

/// A zone name read back from the database. One this build's zone database
/// does not know (written by a newer app, or damaged) is stored data that
/// cannot be read, not the user's input to correct.
fn stored_time_zone(name: &str) -> Result<chrono_tz::Tz> {
    crate::local_day::parse_time_zone(name).map_err(|_| {
        Error::unreadable(
            "time zone",
            format!("{name:?} is not a time zone this version of the app knows"),
        )
    })
}

/// A session kind read back from the database (see [`stored_time_zone`]).
fn stored_session_kind(key: &str) -> Result<crate::session::SessionKind> {
    crate::session::SessionKind::from_key(key).map_err(|_| {
        Error::unreadable(
            "session kind",
            format!("{key:?} is not a session this version of the app knows"),
        )
    })
}

/// Connection settings every session needs. The first statement reads the
/// file header, so a file that is not a database fails here.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // In-memory databases answer "memory"; files switch to write-ahead logging.
    let _mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    // NORMAL is durable across app crashes in WAL mode; only a power cut
    // can lose the last transactions, never corrupt the file.
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    Ok(())
}

/// Turns SQLite's "not a database" and "malformed" codes into a clear error.
fn classify_open_error(path: &Path, error: rusqlite::Error) -> Error {
    match error.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => Error::DatabaseCorrupt {
            path: path.to_path_buf(),
            detail: error.to_string(),
        },
        _ => Error::from(error),
    }
}

#[cfg(test)]
impl Store {
    /// Refuses every write from now on, as a full or read-only disk would.
    pub(crate) fn refuse_writes(&self) {
        self.conn
            .pragma_update(None, "query_only", true)
            .expect("query_only");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_file_is_in_wal_mode_with_foreign_keys_at_the_latest_version() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(dir.path().join("sh.db")).expect("open");
        let mode: String = store
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .expect("journal_mode");
        assert_eq!(mode, "wal");
        let fk: bool = store
            .conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .expect("foreign_keys");
        assert!(fk);
        assert_eq!(
            store.schema_version().expect("version"),
            Store::latest_schema_version()
        );
    }

    #[test]
    fn reopening_keeps_data_and_does_not_migrate_again() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("sh.db");
        drop(Store::open(&path).expect("first open"));
        let store = Store::open(&path).expect("second open");
        assert_eq!(
            store.schema_version().expect("version"),
            Store::latest_schema_version()
        );
    }

    #[test]
    fn a_database_from_a_newer_app_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("sh.db");
        let newer = Store::latest_schema_version() + 3;
        {
            let conn = Connection::open(&path).expect("raw open");
            conn.pragma_update(None, "user_version", newer)
                .expect("set version");
        }
        let err = Store::open(&path).expect_err("newer schema");
        match &err {
            Error::DatabaseTooNew {
                found, supported, ..
            } => {
                assert_eq!(*found, newer);
                assert_eq!(*supported, Store::latest_schema_version());
            }
            other => panic!("unexpected error {other:?}"),
        }
        assert!(err.to_string().contains("update the app"), "{err}");
        let conn = Connection::open(&path).expect("raw open");
        let version: u32 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .expect("version");
        assert_eq!(version, newer, "the newer file must not be touched");
    }

    #[test]
    fn a_file_that_is_not_a_database_gives_a_clear_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("notes.db");
        std::fs::write(
            &path,
            b"these are my walking notes, not a database ".repeat(200),
        )
        .expect("write junk");
        let err = Store::open(&path).expect_err("junk file");
        assert!(matches!(err, Error::DatabaseCorrupt { .. }), "{err:?}");
        assert!(err.to_string().contains("notes.db"), "{err}");
    }

    #[test]
    fn a_truncated_database_gives_a_clear_error_not_a_panic() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("sh.db");
        {
            let store = Store::open(&path).expect("open");
            store
                .conn
                .pragma_update(None, "journal_mode", "DELETE")
                .expect("leave WAL so the main file holds everything");
        }
        let bytes = std::fs::read(&path).expect("read");
        let mut damaged = bytes.clone();
        // Keep the header, scribble over the schema page.
        for byte in damaged
            .iter_mut()
            .skip(100)
            .take(bytes.len().min(4096) - 100)
        {
            *byte = 0xA5;
        }
        std::fs::write(&path, damaged).expect("write damaged");
        match Store::open(&path) {
            Err(Error::DatabaseCorrupt { .. } | Error::Storage(_) | Error::Migration(_)) => {}
            other => panic!("expected a clear error, got {other:?}"),
        }
    }
}
