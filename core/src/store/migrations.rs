//! The schema, as an ordered list of migrations keyed on `PRAGMA user_version`.
//!
//! Migrations only ever get appended. Pending migrations run in one
//! transaction, so a crash or a failing step leaves the file at its old
//! version with nothing half-applied.

use std::path::Path;
use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, ErrorCode, Transaction};
use rusqlite_migration::{HookError, HookResult, M, Migrations};

use super::days::mark_stale;
use super::minutes::{KeptPosture, add_minutes};
use super::profile::load_noted_zones;
use super::sessions::same_set_overlap;
use crate::minutes::spread_walk;
use crate::walk::counted_once;
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

/// Version 4: the companion. The profile, the zones the user lived in,
/// the phone's minute activity (local day stored per minute, so a
/// traveller's day follows the zone they were in; sensor minutes stay in
/// `sensor_record`), sessions and their
/// events, hydration, compression wear, reminders, flight plans, and a cache
/// of daily summaries (`summary` NULL: to be recomputed).
const V4_COMPANION: &str = "
CREATE TABLE profile (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    json  TEXT NOT NULL
) STRICT;
CREATE TABLE zone_change (
    from_utc_ms  INTEGER PRIMARY KEY,
    time_zone    TEXT NOT NULL
) STRICT;
CREATE TABLE minute_activity (
    utc_minute    INTEGER NOT NULL,
    source        TEXT NOT NULL,
    local_day     INTEGER NOT NULL,
    steps         INTEGER NOT NULL CHECK (steps >= 0),
    contractions  INTEGER NOT NULL CHECK (contractions >= 0),
    posture       INTEGER NOT NULL,
    sock_mmhg     INTEGER NOT NULL,
    PRIMARY KEY (utc_minute, source)
) STRICT, WITHOUT ROWID;
CREATE INDEX minute_by_day ON minute_activity (local_day);
CREATE TABLE session (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('active', 'paused', 'finished', 'abandoned')),
    source          TEXT NOT NULL DEFAULT 'phone',
    source_key      TEXT,
    started_utc_ms  INTEGER NOT NULL,
    ended_utc_ms    INTEGER,
    local_day       INTEGER NOT NULL,
    time_zone       TEXT NOT NULL,
    target          TEXT NOT NULL,
    outcome         TEXT
) STRICT;
CREATE UNIQUE INDEX session_one_open ON session ((1)) WHERE state IN ('active', 'paused');
CREATE UNIQUE INDEX session_from_source ON session (source, source_key) WHERE source_key IS NOT NULL;
CREATE INDEX session_by_day ON session (local_day);
CREATE TABLE session_event (
    session_id  INTEGER NOT NULL REFERENCES session (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    utc_ms      INTEGER NOT NULL,
    event       TEXT NOT NULL,
    PRIMARY KEY (session_id, seq)
) STRICT, WITHOUT ROWID;
CREATE TABLE hydration (
    id         INTEGER PRIMARY KEY,
    utc_ms     INTEGER NOT NULL,
    local_day  INTEGER NOT NULL,
    ml         INTEGER NOT NULL CHECK (ml > 0)
) STRICT;
CREATE INDEX hydration_by_day ON hydration (local_day);
CREATE TABLE compression_wear (
    id          INTEGER PRIMARY KEY,
    on_utc_ms   INTEGER NOT NULL,
    off_utc_ms  INTEGER CHECK (off_utc_ms IS NULL OR off_utc_ms > on_utc_ms),
    mmhg        INTEGER NOT NULL CHECK (mmhg > 0)
) STRICT;
CREATE UNIQUE INDEX compression_one_open ON compression_wear ((1)) WHERE off_utc_ms IS NULL;
CREATE TABLE reminder (
    id               INTEGER PRIMARY KEY,
    shown_utc_ms     INTEGER NOT NULL,
    exercise         TEXT NOT NULL,
    response         TEXT CHECK (response IN ('snoozed', 'dismissed', 'done')),
    response_utc_ms  INTEGER
) STRICT;
CREATE TABLE flight (
    id                INTEGER PRIMARY KEY,
    departure_utc_ms  INTEGER NOT NULL,
    arrival_utc_ms    INTEGER NOT NULL,
    plan              TEXT NOT NULL,
    started_utc_ms    INTEGER
) STRICT;
CREATE TABLE daily_summary (
    local_day  INTEGER PRIMARY KEY,
    summary    TEXT
) STRICT;
";

/// Version 5: upgrades that keep every day. A cached day carries the key it
/// was computed under (`daily::cache_key`: the summary's version and the
/// pump model's yields; NULL or another key: recomputed on read). Daily step
/// totals imported from files. Sessions by start time, for the days a
/// session spans. Its hook gives walks logged before version 4 their
/// minutes ([`backfill_walk_minutes`]).
const V5_KEEP_EVERY_DAY: &str = "
ALTER TABLE daily_summary ADD COLUMN cache_key TEXT;
CREATE TABLE imported_steps (
    local_day        INTEGER PRIMARY KEY,
    steps            INTEGER NOT NULL CHECK (steps >= 0),
    source           TEXT NOT NULL,
    imported_utc_ms  INTEGER NOT NULL
) STRICT;
CREATE INDEX session_by_start ON session (started_utc_ms);
";

/// Version 6: the sensor's Battery Level as the last sync read it, and when.
const V6_SENSOR_BATTERY: &str = "
ALTER TABLE sensor_device ADD COLUMN battery_percent INTEGER
    CHECK (battery_percent BETWEEN 0 AND 100);
ALTER TABLE sensor_device ADD COLUMN battery_utc_ms INTEGER;
";

/// Version 7: each sensor's count of stored records, kept by every sync
/// commit, so Today and Devices need not count a year of records per view.
const V7_SENSOR_RECORD_COUNT: &str = "
ALTER TABLE sensor_device ADD COLUMN record_count INTEGER NOT NULL DEFAULT 0;
UPDATE sensor_device SET record_count =
    (SELECT count(*) FROM sensor_record WHERE device_serial = sensor_device.serial);
";

/// Version 8: the sensor the user chose to count walks and sets from (at
/// most one; none: the one synced last).
const V8_SESSION_SENSOR: &str = "
ALTER TABLE sensor_device ADD COLUMN chosen_for_sessions INTEGER NOT NULL DEFAULT 0
    CHECK (chosen_for_sessions IN (0, 1));
CREATE UNIQUE INDEX sensor_chosen_for_sessions ON sensor_device (chosen_for_sessions)
    WHERE chosen_for_sessions = 1;
";

/// Version 9: each sensor's count of records overwritten before any phone
/// fetched them, as its last sync read it, so a sync counts as lost only
/// the records overwritten since (not those fetched and cleared before).
const V9_SENSOR_DROPPED_SEEN: &str = "
ALTER TABLE sensor_device ADD COLUMN dropped_seen INTEGER NOT NULL DEFAULT 0
    CHECK (dropped_seen >= 0);
";

/// Version 10: a set two sensors recorded (one on each leg) was stored
/// once for each before; its hook keeps one of them
/// ([`one_set_for_two_sensors`]). No schema change.
const V10_ONE_SET_FOR_TWO_SENSORS: &str = "";

/// Version 11: a reset sensor's history set aside under a name of its own,
/// which remembers the sensor it came from (`archived_from`), so the sensor
/// syncs again from its first record without losing what it recorded
/// before ([`super::StoreTx::set_sensor_history_aside`]).
const V11_SENSOR_HISTORY_ASIDE: &str = "
ALTER TABLE sensor_device ADD COLUMN archived_from TEXT;
CREATE INDEX sensor_device_archived_from ON sensor_device (archived_from)
    WHERE archived_from IS NOT NULL;
";

/// Version 12: the last instant the phone saw each noted zone still in
/// force, so a walk logged by its clock time is read in the zone the user
/// was in then, not in one noted only when the app was next opened
/// ([`crate::zones::ZoneTimeline::read_local`]). The stays noted before
/// keep what they meant then: each lived until the next change.
const V12_ZONE_SEEN_UNTIL: &str = "
ALTER TABLE zone_change ADD COLUMN seen_until_utc_ms INTEGER;
UPDATE zone_change SET seen_until_utc_ms =
    (SELECT min(later.from_utc_ms) - 1 FROM zone_change AS later
     WHERE later.from_utc_ms > zone_change.from_utc_ms);
";

/// Version 13: which walks were logged by hand (a walk done without the
/// app, its steps spread evenly over its minutes) rather than walked with
/// it, so one that a sensor's walking, synced later, overlaps yields to the
/// sensor's minutes instead of counting the same walking twice
/// ([`super::Store::minutes_of_date`]). A walk the app followed lies
/// within a finished walk session and starts where the session or a
/// stretch of it did (its start, or a resume): a walk logged by hand in a
/// session's pause, or after its last step, had been accepted and starts
/// elsewhere.
const V13_WALK_BY_HAND: &str = "
ALTER TABLE walk ADD COLUMN by_hand INTEGER NOT NULL DEFAULT 1 CHECK (by_hand IN (0, 1));
UPDATE walk SET by_hand = 0 WHERE EXISTS (
    SELECT 1 FROM session
    WHERE session.kind = 'walk' AND session.state = 'finished'
      AND session.started_utc_ms <= walk.start_utc_ms
      AND walk.end_utc_ms <= session.ended_utc_ms + 1000
      AND (session.started_utc_ms = walk.start_utc_ms
           OR EXISTS (SELECT 1 FROM session_event
                      WHERE session_event.session_id = session.id
                        AND session_event.utc_ms = walk.start_utc_ms
                        AND json_extract(session_event.event, '$.event') = 'resume')));
";

/// Version 14: each sensor's records skipped as damaged on it, over every
/// sync, so a firmware whose records all fail their check stops the sync
/// instead of having them written off a few a sync for good (the
/// allowance is per sensor: `DAMAGED_ALLOWANCE` in the sync engine). A
/// sensor synced before starts from none.
const V14_SENSOR_DAMAGED_SKIPPED: &str = "
ALTER TABLE sensor_device ADD COLUMN damaged_skipped INTEGER NOT NULL DEFAULT 0
    CHECK (damaged_skipped >= 0);
";

/// How many migrations [`MIGRATIONS`] holds (checked by a test): version N
/// is reached after the Nth.
const COUNT: usize = 14;

/// Every migration, oldest first.
static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    Migrations::new(vec![
        M::up(V1_WALKS),
        M::up(V2_SENSORS),
        M::up(V3_PAIRING),
        M::up(V4_COMPANION),
        M::up_with_hook(V5_KEEP_EVERY_DAY, backfill_walk_minutes),
        M::up(V6_SENSOR_BATTERY),
        M::up(V7_SENSOR_RECORD_COUNT),
        M::up(V8_SESSION_SENSOR),
        M::up(V9_SENSOR_DROPPED_SEEN),
        M::up_with_hook(V10_ONE_SET_FOR_TWO_SENSORS, one_set_for_two_sensors),
        M::up(V11_SENSOR_HISTORY_ASIDE),
        M::up(V12_ZONE_SEEN_UNTIL),
        M::up(V13_WALK_BY_HAND),
        M::up(V14_SENSOR_DAMAGED_SKIPPED),
    ])
});

/// The schema version after every migration has run.
pub(super) fn latest_version() -> u32 {
    // A literal, far below u32::MAX.
    u32::try_from(COUNT).unwrap_or(u32::MAX)
}

/// Walks logged before version 4 had no minutes, so the days built from
/// minutes left them out. Every walk without a single phone minute in its
/// span gets its steps spread over its minutes, as `Store::log_walk` does
/// (walks logged since version 4 and walk sessions have theirs).
fn backfill_walk_minutes(tx: &Transaction<'_>) -> HookResult {
    let walks: Vec<(i64, i64, u32)> = tx
        .prepare(
            "SELECT start_utc_ms, end_utc_ms, steps FROM walk AS w WHERE NOT EXISTS (
                SELECT 1 FROM minute_activity AS m
                WHERE m.source = 'phone'
                  AND m.utc_minute >= w.start_utc_ms / 60000
                  AND m.utc_minute < (w.end_utc_ms + 59999) / 60000)
             ORDER BY start_utc_ms, end_utc_ms DESC",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let zones = load_noted_zones(tx).map_err(hook_error)?;
    // A walk that overlaps one spread before it is taken as counted, as
    // logging it is refused now: the same walk logged twice, or two that
    // overlap (accepted before version 4), count once.
    for (start_ms, end_ms, steps) in counted_once(walks, |&(start, end, _)| (start, end)) {
        let (Some(start), Some(end)) = (
            DateTime::<Utc>::from_timestamp_millis(start_ms),
            DateTime::<Utc>::from_timestamp_millis(end_ms),
        ) else {
            continue;
        };
        add_minutes(
            tx,
            &zones,
            &spread_walk(start, end, steps),
            KeptPosture::Stored,
        )
        .map_err(hook_error)?;
    }
    Ok(())
}

/// Goes through the sensors' sets in the order they were stored and
/// removes each that another sensor's set kept so far already stands for,
/// as a sync now skips it (`StoreTx::set_counted_elsewhere`, the same
/// [`same_set_overlap`]). A sensor is its set's key ("serial:seq") less
/// the record number. The dates around each set removed (a set counts on
/// the date of its middle; a date-line crossing can put its end on the
/// date before its start) are marked for recomputation.
fn one_set_for_two_sensors(tx: &Transaction<'_>) -> HookResult {
    struct StoredSet {
        id: i64,
        sensor: String,
        kind: String,
        span: (i64, i64),
        local_day: i64,
    }
    let sets: Vec<StoredSet> = tx
        .prepare(
            "SELECT id, source_key, kind, started_utc_ms, ended_utc_ms, local_day FROM session
             WHERE source = 'sensor' AND state != 'abandoned' ORDER BY id",
        )?
        .query_map([], |r| {
            let key: String = r.get(1)?;
            Ok(StoredSet {
                id: r.get(0)?,
                sensor: key
                    .trim_end_matches(|c: char| c.is_ascii_digit())
                    .to_owned(),
                kind: r.get(2)?,
                span: (r.get(3)?, r.get(4)?),
                local_day: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut kept: Vec<&StoredSet> = Vec::new();
    for set in &sets {
        let doubled = kept.iter().any(|other| {
            other.kind == set.kind
                && other.sensor != set.sensor
                && same_set_overlap(other.span, set.span)
        });
        if !doubled {
            kept.push(set);
            continue;
        }
        tx.execute("DELETE FROM session WHERE id = ?1", [set.id])?;
        for day in set.local_day - 1..=set.local_day + 1 {
            mark_stale(tx, day).map_err(hook_error)?;
        }
    }
    Ok(())
}

/// The core's error as a migration hook's: SQLite's own errors (a full
/// disk among them) stay SQLite's, so [`run`] tells a full disk apart.
fn hook_error(error: Error) -> HookError {
    match error {
        Error::Storage(sqlite) => HookError::RusqliteError(sqlite),
        Error::DiskFull => HookError::RusqliteError(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
            None,
        )),
        other => HookError::Hook(other.to_string()),
    }
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
    MIGRATIONS.to_latest(conn).map_err(|error| match error {
        rusqlite_migration::Error::RusqliteError { err, .. }
            if err.sqlite_error_code() == Some(ErrorCode::DiskFull) =>
        {
            Error::DiskFull
        }
        other => Error::Migration(other),
    })
}

/// [`run`], for tests that hold the connection.
#[cfg(test)]
pub(super) fn run_on(conn: &mut Connection) -> Result<()> {
    run(conn, Path::new("test.db"))
}

/// Brings a blank database to `version` exactly, as an older app left it.
#[cfg(test)]
pub(super) fn build_at(conn: &mut Connection, version: usize) -> Result<()> {
    MIGRATIONS.to_version(conn, version)?;
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
