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

/// Version 2: sensors, their records, clock anchors and gaps.
const V2_SENSORS: &str = "
CREATE TABLE sensor_device (
    serial            TEXT PRIMARY KEY NOT NULL,
    manufacturer      TEXT NOT NULL DEFAULT '',
    model             TEXT NOT NULL DEFAULT '',
    firmware          TEXT NOT NULL DEFAULT '',
    high_water_seq    INTEGER NOT NULL DEFAULT 0 CHECK (high_water_seq >= 0),
    last_sync_utc_ms  INTEGER
) STRICT;
CREATE TABLE sensor_clock_anchor (
    device_serial  TEXT NOT NULL REFERENCES sensor_device (serial) ON DELETE CASCADE,
    epoch          INTEGER NOT NULL,
    ticks_ms       INTEGER NOT NULL,
    utc_ms         INTEGER NOT NULL,
    PRIMARY KEY (device_serial, epoch, ticks_ms)
) STRICT, WITHOUT ROWID;
CREATE TABLE sensor_record (
    device_serial  TEXT NOT NULL REFERENCES sensor_device (serial) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,
    epoch          INTEGER NOT NULL,
    ticks_s        INTEGER NOT NULL,
    utc_ms         INTEGER,
    kind           INTEGER NOT NULL,
    raw            BLOB NOT NULL,
    PRIMARY KEY (device_serial, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX sensor_record_by_time ON sensor_record (device_serial, utc_ms);
CREATE INDEX sensor_record_untimed ON sensor_record (device_serial, epoch) WHERE utc_ms IS NULL;
CREATE TABLE sensor_gap (
    device_serial  TEXT NOT NULL REFERENCES sensor_device (serial) ON DELETE CASCADE,
    first_seq      INTEGER NOT NULL,
    last_seq       INTEGER NOT NULL CHECK (last_seq >= first_seq),
    PRIMARY KEY (device_serial, first_seq)
) STRICT, WITHOUT ROWID;
";

/// Version 3: pairing. A paired sensor is remembered by serial number, with
/// the address it was last seen at.
const V3_PAIRING: &str = "
ALTER TABLE sensor_device ADD COLUMN address TEXT;
ALTER TABLE sensor_device ADD COLUMN paired_utc_ms INTEGER;
";

/// Every migration, oldest first; version N is reached after the Nth.
const ALL: &[M<'static>] = &[M::up(V1_WALKS), M::up(V2_SENSORS), M::up(V3_PAIRING)];

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
