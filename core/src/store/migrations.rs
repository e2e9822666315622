//! The schema, as an ordered list of migrations keyed on `PRAGMA user_version`.
//!
//! Migrations only ever get appended. Pending migrations run in one
//! transaction, so a crash or a failing step leaves the file at its old
//! version with nothing half-applied.

use std::path::Path;

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

use crate::{Error, Result};

/// Version 1: the walk log.
const V1_WALKS: &str = "
CREATE TABLE walk (
    id            INTEGER PRIMARY KEY,
    start_utc_ms  INTEGER NOT NULL,
    end_utc_ms    INTEGER NOT NULL CHECK (end_utc_ms > start_utc_ms),
    time_zone     TEXT    NOT NULL,
    utc_offset_s  INTEGER NOT NULL,
    steps         INTEGER NOT NULL CHECK (steps >= 0)
) STRICT;
CREATE INDEX walk_by_start ON walk (start_utc_ms);
";

/// Every migration, oldest first; version N is reached after the Nth.
const ALL: &[M<'static>] = &[M::up(V1_WALKS)];

static MIGRATIONS: Migrations<'static> = Migrations::from_slice(ALL);

/// The schema version after every migration has run.
pub(super) fn latest_version() -> u32 {
    // The list is a literal, far shorter than u32::MAX.
    u32::try_from(ALL.len()).unwrap_or(u32::MAX)
}

/// Brings the database up to [`latest_version`], refusing files written by
/// a newer version of the app.
pub(super) fn run(conn: &mut Connection, path: &Path) -> Result<()> {
    let found: u32 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    let supported = latest_version();
    if found > supported {
        return Err(Error::DatabaseTooNew {
            path: path.to_path_buf(),
            found,
            supported,
        });
    }
    MIGRATIONS.to_latest(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid_and_counted() {
        assert!(MIGRATIONS.validate().is_ok());
        let mut conn = Connection::open_in_memory().expect("memory db");
        run(&mut conn, Path::new(":memory:")).expect("migrate");
        let version: u32 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .expect("version");
        assert_eq!(version, latest_version());
    }
}
