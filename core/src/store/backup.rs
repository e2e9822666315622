//! Backup to one file (`VACUUM INTO`) and restore from it (SQLite's online
//! backup API): a backup is a consistent copy of the live data even while
//! the app keeps writing, and a restore replaces the database in one
//! transaction.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;

use super::{Store, classify_open_error, migrations};
use crate::{Error, Result};

/// Whether a restore may replace data the database already holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplaceData {
    /// Restore only into an empty database; refuse otherwise.
    OnlyIfEmpty,
    /// The user confirmed that what the database holds now may go.
    Confirmed,
}

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupReport {
    /// The file written.
    pub path: PathBuf,
    /// Its size, bytes.
    pub bytes: u64,
    /// The schema version it holds.
    pub schema_version: u32,
}

/// What a restore brought back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RestoreReport {
    /// The schema version the backup was written at (older ones are
    /// upgraded as they are restored).
    pub backup_schema_version: u32,
    /// Whether the database held data that was replaced.
    pub replaced_data: bool,
}

/// Pages copied per step: the whole database in one step, so a restore is
/// one transaction on the database it replaces.
const ALL_PAGES: std::ffi::c_int = -1;

impl Store {
    /// Writes a consistent copy of the whole database to `path` (one
    /// self-contained file, not in WAL mode). The file is written beside its
    /// destination first and renamed into place, so a failed backup never
    /// leaves a half-written file under that name.
    pub fn backup_to(&self, path: &Path) -> Result<BackupReport> {
        if self.is_own_file(path) {
            return Err(Error::invalid(
                "backup file",
                format!(
                    "{} is the database itself; choose another file",
                    path.display()
                ),
            ));
        }
        let partial = partial_path(path);
        let written = self.write_backup(path, &partial);
        if let Err(error) = written {
            let _ = std::fs::remove_file(&partial);
            return Err(error);
        }
        std::fs::rename(&partial, path).map_err(|e| {
            let _ = std::fs::remove_file(&partial);
            Error::File {
                path: path.to_path_buf(),
                detail: e.to_string(),
            }
        })?;
        let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        Ok(BackupReport {
            path: path.to_path_buf(),
            bytes,
            schema_version: self.schema_version()?,
        })
    }

    /// Writes the backup of `path`, the file the user chose, into
    /// `partial` beside it. What stops it is said of `path`: the working
    /// copy is the app's business.
    fn write_backup(&self, path: &Path, partial: &Path) -> Result<()> {
        let _ = std::fs::remove_file(partial);
        let cannot_create = |detail: String| Error::File {
            path: path.to_path_buf(),
            detail,
        };
        let target = partial
            .to_str()
            .ok_or_else(|| cannot_create("the path is not valid UTF-8".to_owned()))?;
        // VACUUM INTO writes the live content only, page by page anew: what
        // the user deleted before (a forgotten sensor, a cleared answer)
        // does not travel in the copy's free pages or cells, as it would in
        // a page-for-page copy.
        self.conn.execute("VACUUM INTO ?1", [target]).map_err(|e| {
            let detail = e.to_string();
            match Error::from(e) {
                Error::DiskFull => Error::DiskFull,
                // The file could not be made there (a folder or a file
                // already in the way, no permission): about the file
                // chosen, not the user's database.
                _ => cannot_create(detail),
            }
        })?;
        // One file to carry around: no write-ahead log beside it.
        let copy = Connection::open(partial).map_err(|e| cannot_create(e.to_string()))?;
        copy.pragma_update(None, "journal_mode", "DELETE")?;
        Ok(())
    }

    /// Replaces the whole database with the backup at `path`, after
    /// checking it: an intact (`integrity_check`) SQLite file of Second
    /// Heart (it has the walk log; [`Error::NotABackup`] otherwise), not
    /// from a newer app ([`Error::BackupTooNew`]). An older backup is
    /// upgraded in a scratch copy beside the database before anything is
    /// replaced. When the database holds any data, the
    /// restore needs [`ReplaceData::Confirmed`], else it stops with
    /// [`Error::ConfirmationNeeded`]; nothing is changed before every check
    /// has passed.
    pub fn restore_from(&mut self, path: &Path, replace: ReplaceData) -> Result<RestoreReport> {
        if same_file(path, &self.path) {
            return Err(Error::invalid(
                "backup file",
                format!("{} is the database itself", path.display()),
            ));
        }
        let source = open_backup(path).map_err(as_backup_refusal)?;
        let backup_schema_version = check_backup(&source, path).map_err(as_backup_refusal)?;
        let replaced_data = self.holds_data()?;
        if replaced_data && replace != ReplaceData::Confirmed {
            return Err(Error::ConfirmationNeeded(
                "this database holds data that restoring the backup would replace; confirm to replace it"
                    .to_owned(),
            ));
        }
        // An older backup is upgraded in a scratch copy first: an upgrade
        // that fails (a full disk) then leaves the data as it was, where
        // upgrading after the copy had already replaced it.
        let scratch = ScratchFile::beside(&self.path);
        let upgraded = if backup_schema_version < migrations::latest_version() {
            Some(
                scratch
                    .upgraded_copy(&source, &self.path)
                    .map_err(|error| upgrade_refusal(error, path))?,
            )
        } else {
            None
        };
        let restored = upgraded.as_ref().unwrap_or(&source);
        check_schema(restored, path)?;
        copy_all(restored, &mut self.conn)?;
        drop(upgraded);
        drop(scratch);
        drop(source);
        super::configure(&self.conn).map_err(|e| classify_open_error(&self.path, e))?;
        migrations::run(&mut self.conn, &self.path)?;
        Ok(RestoreReport {
            backup_schema_version,
            replaced_data,
        })
    }

    /// Whether the database holds any of the user's data: a row in any
    /// table but the zones the phone reported and the cached days (a new or
    /// wiped database holds none).
    pub fn holds_data(&self) -> Result<bool> {
        let tables: Vec<String> = self
            .conn
            .prepare(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                 AND name NOT IN ('zone_change', 'daily_summary')",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for table in tables {
            let any: bool = self.conn.query_row(
                &format!("SELECT EXISTS (SELECT 1 FROM \"{table}\")"),
                [],
                |r| r.get(0),
            )?;
            if any {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// Where an older backup is upgraded before it is restored: a file beside
/// the database (memory for a database in memory), removed with its
/// journals when dropped. Its connection must be dropped first.
struct ScratchFile(Option<PathBuf>);

impl ScratchFile {
    fn beside(database: &Path) -> Self {
        Self(scratch_path(database))
    }

    /// `source` copied here and upgraded to the latest schema. What a
    /// restore cut short (the app killed mid-upgrade) left here is removed
    /// first, journals and all, so the copy starts from nothing.
    fn upgraded_copy(&self, source: &Connection, database: &Path) -> Result<Connection> {
        let mut conn = match &self.0 {
            Some(path) => {
                remove_with_journals(path);
                Connection::open(path)?
            }
            None => Connection::open_in_memory()?,
        };
        copy_all(source, &mut conn)?;
        let at = self.0.as_deref().unwrap_or(database);
        super::configure(&conn).map_err(|e| classify_open_error(at, e))?;
        migrations::run(&mut conn, at)?;
        Ok(conn)
    }
}

impl Drop for ScratchFile {
    fn drop(&mut self) {
        if let Some(path) = &self.0 {
            remove_with_journals(path);
        }
    }
}

/// Removes the scratch copy beside `database` that a restore the app was
/// killed in left behind (a copy of the backup's health data).
pub(super) fn remove_restore_leftovers(database: &Path) {
    if let Some(path) = scratch_path(database) {
        remove_with_journals(&path);
    }
}

/// Where the scratch copy of `database` lives; none for one in memory.
fn scratch_path(database: &Path) -> Option<PathBuf> {
    (database != Path::new(":memory:")).then(|| suffixed(database, ".restoring"))
}

/// Removes a database file and its journals, each if it is there.
fn remove_with_journals(path: &Path) {
    let _ = remove_database_files(path);
}

/// Removes a database file and its journals, each if it is there; the
/// first failure (other than a file already gone) is returned, after the
/// rest were tried.
pub(super) fn remove_database_files(path: &Path) -> Result<()> {
    let mut first_failure = Ok(());
    for end in ["", "-wal", "-shm", "-journal"] {
        let file = suffixed(path, end);
        match std::fs::remove_file(&file) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound && first_failure.is_ok() => {
                first_failure = Err(Error::File {
                    path: file,
                    detail: format!("could not remove it: {e}"),
                });
            }
            _ => {}
        }
    }
    first_failure
}

/// A backup refused for what the file is, said of a backup rather than
/// of "the database" (which the user would take for their own data).
fn as_backup_refusal(error: Error) -> Error {
    match error {
        Error::DatabaseCorrupt { path, detail } => Error::NotABackup { path, detail },
        Error::DatabaseTooNew {
            path,
            found,
            supported,
        } => Error::BackupTooNew {
            path,
            found,
            supported,
        },
        other => other,
    }
}

/// Copies every page of `from` over `to`, in one step.
fn copy_all(from: &Connection, to: &mut Connection) -> Result<()> {
    match Backup::new(from, to)?.step(ALL_PAGES)? {
        StepResult::Done => Ok(()),
        _ => Err(Error::Conflict(
            "the database is busy in another part of the app; try again in a moment".to_owned(),
        )),
    }
}

/// Opens a backup read-only; a file that is not there, or not a database,
/// is refused with its path.
fn open_backup(path: &Path) -> Result<Connection> {
    if !path.is_file() {
        return Err(Error::File {
            path: path.to_path_buf(),
            detail: "it does not exist or is not a file".to_owned(),
        });
    }
    let source = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| classify_open_error(path, e))?;
    Ok(source)
}

/// Checks a backup before anything is replaced; returns its schema version.
fn check_backup(source: &Connection, path: &Path) -> Result<u32> {
    let corrupt = |detail: String| Error::DatabaseCorrupt {
        path: path.to_path_buf(),
        detail,
    };
    let integrity: String = source
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| classify_open_error(path, e))?;
    if integrity != "ok" {
        return Err(corrupt(format!("integrity check: {integrity}")));
    }
    let found: u32 = source.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let supported = migrations::latest_version();
    if found > supported {
        return Err(Error::DatabaseTooNew {
            path: path.to_path_buf(),
            found,
            supported,
        });
    }
    let has_walk_log: bool = source.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'walk')",
        [],
        |r| r.get(0),
    )?;
    if found == 0 || !has_walk_log {
        return Err(corrupt(
            "it is an SQLite file but not a Second Heart backup".to_owned(),
        ));
    }
    Ok(found)
}

/// A backup whose upgrade failed is refused as one: its tables are not
/// those of any version of this app (another app's file with a `walk`
/// table), and nothing of the user's database is in question.
/// A failure of the disk under the scratch copy (not a full one, which is
/// [`Error::DiskFull`] already) stays the storage's.
fn upgrade_refusal(error: Error, path: &Path) -> Error {
    match error {
        Error::Migration(failed) if !failed_on_the_disk(&failed) => Error::NotABackup {
            path: path.to_path_buf(),
            detail: format!("it could not be upgraded to this version of the app: {failed}"),
        },
        other => other,
    }
}

/// Whether a migration failed for the storage's sake, not for what the
/// file holds.
fn failed_on_the_disk(failed: &rusqlite_migration::Error) -> bool {
    matches!(failed, rusqlite_migration::Error::RusqliteError { err, .. } if on_the_disk(err))
}

/// Whether SQLite failed for the storage's sake (I/O, a full, read-only,
/// busy or locked file, memory), not for what the file holds.
fn on_the_disk(error: &rusqlite::Error) -> bool {
    use rusqlite::ErrorCode as E;
    matches!(
        error.sqlite_error_code(),
        Some(
            E::SystemIoFailure
                | E::DiskFull
                | E::ReadOnly
                | E::DatabaseBusy
                | E::DatabaseLocked
                | E::CannotOpen
                | E::PermissionDenied
                | E::OutOfMemory
        )
    )
}

/// Checks that `backup` (upgraded when it was older) has every table and
/// column of this app's schema: a file of another app's with a `walk`
/// table and this app's version number would otherwise replace the data
/// and leave every screen failing, for good (no upgrade runs on it).
fn check_schema(backup: &Connection, path: &Path) -> Result<()> {
    fn columns(conn: &Connection) -> rusqlite::Result<BTreeSet<(String, String)>> {
        conn.prepare(
            "SELECT m.name, p.name FROM sqlite_schema m JOIN pragma_table_info(m.name) p
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
    }
    let mut ours = Connection::open_in_memory()?;
    migrations::run(&mut ours, path)?;
    // A table SQLite cannot describe (a virtual table of a module not
    // built in) is no table of ours; a disk that fails is the disk's.
    let found = columns(backup).map_err(|error| {
        if on_the_disk(&error) {
            Error::from(error)
        } else {
            Error::NotABackup {
                path: path.to_path_buf(),
                detail: error.to_string(),
            }
        }
    })?;
    let missing: Vec<String> = columns(&ours)?
        .difference(&found)
        .map(|(table, column)| format!("{table}.{column}"))
        .collect();
    match missing.first() {
        None => Ok(()),
        Some(first) => Err(Error::NotABackup {
            path: path.to_path_buf(),
            detail: format!(
                "it lacks {} of this app's columns ({first} among them)",
                missing.len()
            ),
        }),
    }
}

/// `path` with ".partial" appended, in the same directory: where a file is
/// written before it is renamed over `path`, whole.
pub(crate) fn partial_path(path: &Path) -> PathBuf {
    suffixed(path, ".partial")
}

/// `path` with `end` added to its file name.
fn suffixed(path: &Path, end: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(end);
    PathBuf::from(name)
}

/// Whether two paths name the same existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

impl Store {
    /// Whether `path` names the database file or one of SQLite's files
    /// beside it (its write-ahead log, shared memory or journal): writing
    /// over any of them would destroy the user's data.
    pub fn is_own_file(&self, path: &Path) -> bool {
        same_file(path, &self.path)
            || ["-wal", "-shm", "-journal"]
                .into_iter()
                .any(|end| same_file(path, &suffixed(&self.path, end)))
    }
}
