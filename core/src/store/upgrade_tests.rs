//! Every earlier schema version, filled with data the way that version's
//! app wrote it (its own SQL), upgraded to the latest: nothing is lost, and
//! the days computed afterwards hold everything (walks logged before the
//! minute table included).

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, params};

use super::migrations::{build_at, run_on};
use super::minutes::KeptPosture;
use super::{ReplaceData, Store};
use crate::Error;
use crate::flight::{FlightRequest, RiskFactors, Seat};
use crate::profile::Profile;
use crate::sensor::gatt::{Posture, Record, RecordBody};
use crate::session::SessionKind;
use crate::test_support::utc;

const SERIAL: &str = "SH-OLD";
const ZONE_SINCE: &str = "2026-01-01T00:00:00Z";

fn ms(text: &str) -> i64 {
    utc(text).timestamp_millis()
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).expect("date")
}

fn now() -> DateTime<Utc> {
    utc("2026-11-23T12:00:00Z")
}

/// A sensor minute record.
fn minute(seq: u32, steps: u16) -> Vec<u8> {
    Record {
        seq,
        epoch: 1,
        ticks_s: 60 * seq,
        body: RecordBody::Minute {
            steps,
            contractions: 0,
            ankle_pressure_mmhg: 0,
            posture: Posture::Walking,
        },
    }
    .encode()
    .to_vec()
}

/// Fills a database at `version` as that version's app would have.
fn fill(conn: &Connection, version: usize) {
    // v1: a walk of 3,000 steps, 08:00–08:30 UTC (09:00 in Berlin).
    conn.execute(
        "INSERT INTO walk (start_utc_ms, end_utc_ms, time_zone, utc_offset_s, steps)
         VALUES (?1, ?2, 'Europe/Berlin', 3600, 3000)",
        params![ms("2026-11-20T08:00:00Z"), ms("2026-11-20T08:30:00Z")],
    )
    .expect("v1 walk");
    if version >= 2 {
        // v2: a sensor with two minute records at 10:00 and 10:01 UTC, a gap.
        let anchor = ms("2026-11-20T10:00:00Z") - 60_000;
        conn.execute_batch(&format!(
            "INSERT INTO sensor_device (serial, model, high_water_seq, last_sync_utc_ms)
                 VALUES ('{SERIAL}', 'Ankle 1', 5, {anchor});
             INSERT INTO sensor_clock_anchor (device_serial, epoch, ticks_ms, utc_ms)
                 VALUES ('{SERIAL}', 1, 0, {anchor});
             INSERT INTO sensor_gap (device_serial, first_seq, last_seq) VALUES ('{SERIAL}', 3, 5);"
        ))
        .expect("v2 sensor");
        for (seq, steps) in [(1u32, 100u16), (2, 120)] {
            conn.execute(
                "INSERT INTO sensor_record (device_serial, seq, epoch, ticks_s, utc_ms, kind, raw)
                 VALUES (?1, ?2, 1, ?3, ?4, 1, ?5)",
                params![
                    SERIAL,
                    seq,
                    60 * seq,
                    anchor + i64::from(seq) * 60_000,
                    minute(seq, steps)
                ],
            )
            .expect("v2 record");
        }
    }
    if version >= 3 {
        conn.execute(
            "UPDATE sensor_device SET address = 'AA:BB:CC:00:11:22', paired_utc_ms = ?1",
            [ms("2026-11-19T10:00:00Z")],
        )
        .expect("v3 pairing");
    }
    if version >= 4 {
        fill_companion(conn);
    }
    if version >= 5 {
        // A v5 app logged that walk with its minutes.
        let zones = super::profile::load_noted_zones(conn).expect("zones");
        let minutes = crate::minutes::spread_walk(
            utc("2026-11-20T08:00:00Z"),
            utc("2026-11-20T08:30:00Z"),
            3_000,
        );
        super::minutes::add_minutes(conn, &zones, &minutes, KeptPosture::Added)
            .expect("v5 minutes");
    }
    if version >= 6 {
        conn.execute(
            "UPDATE sensor_device SET battery_percent = 80, battery_utc_ms = ?1",
            [ms("2026-11-20T10:00:00Z")],
        )
        .expect("v6 battery");
    }
    if version >= 7 {
        // A v7 app kept the count of the records it stored.
        conn.execute("UPDATE sensor_device SET record_count = 2", [])
            .expect("v7 record count");
    }
    if version >= 4 {
        fill_sensor_sets(conn, version);
    }
}

/// A sock on each leg saw the 17:00 set (the right one a second later), and
/// the left one also recorded a set at 17:01, straight after (its own),
/// synced after the right sock's record. Before v10 the shared set was
/// stored once for each sensor; from v10 on, once.
fn fill_sensor_sets(conn: &Connection, version: usize) {
    let day = crate::zones::day_number(day());
    let target = serde_json::to_string(&SessionKind::CalfRaises.default_target()).expect("json");
    for (key, start, end) in [
        ("SH-L:7", "2026-11-20T17:00:00Z", "2026-11-20T17:01:00Z"),
        ("SH-R:3", "2026-11-20T17:00:01Z", "2026-11-20T17:01:01Z"),
        ("SH-L:8", "2026-11-20T17:01:00Z", "2026-11-20T17:02:00Z"),
    ] {
        if version >= 10 && key == "SH-R:3" {
            continue;
        }
        conn.execute(
            "INSERT INTO session (kind, state, source, source_key, started_utc_ms, ended_utc_ms, local_day, time_zone, target, outcome)
             VALUES ('calf_raises', 'finished', 'sensor', ?1, ?2, ?3, ?4, 'Europe/Berlin', ?5, '{\"reps\":20}')",
            params![key, ms(start), ms(end), day, target],
        )
        .expect("sensor set");
    }
}

/// v4: the companion's tables, and a walk logged with its minutes.
fn fill_companion(conn: &Connection) {
    let profile = Profile {
        height_cm: 182.0,
        ..Profile::default()
    };
    let flight = FlightRequest {
        departure: utc("2026-12-01T09:00:00Z"),
        departure_zone: chrono_tz::Europe::Berlin,
        arrival: utc("2026-12-01T21:00:00Z"),
        arrival_zone: chrono_tz::America::Los_Angeles,
        seat: Seat::Aisle,
        move_every_min: 45,
        sleep: None,
        risk_factors: RiskFactors::default(),
    };
    let target = serde_json::to_string(&SessionKind::CalfRaises.default_target()).expect("json");
    let day = crate::zones::day_number(day());
    conn.execute(
        "INSERT INTO profile (id, json) VALUES (1, ?1)",
        [serde_json::to_string(&profile).expect("json")],
    )
    .expect("v4 profile");
    conn.execute(
        "INSERT INTO zone_change (from_utc_ms, time_zone) VALUES (?1, 'Europe/Berlin')",
        [ms(ZONE_SINCE)],
    )
    .expect("v4 zone");
    // A walk logged by the v4 app: its row and its minutes (14:00–14:02 UTC).
    conn.execute(
        "INSERT INTO walk (start_utc_ms, end_utc_ms, time_zone, utc_offset_s, steps)
         VALUES (?1, ?2, 'Europe/Berlin', 3600, 200)",
        params![ms("2026-11-20T14:00:00Z"), ms("2026-11-20T14:02:00Z")],
    )
    .expect("v4 walk");
    let first_minute = ms("2026-11-20T14:00:00Z") / 60_000;
    for minute in [first_minute, first_minute + 1] {
        conn.execute(
            "INSERT INTO minute_activity (utc_minute, source, local_day, steps, contractions, posture, sock_mmhg)
             VALUES (?1, 'phone', ?2, 100, 0, 5, 0)",
            params![minute, day],
        )
        .expect("v4 minutes");
    }
    conn.execute(
        "INSERT INTO session (kind, state, started_utc_ms, ended_utc_ms, local_day, time_zone, target, outcome)
         VALUES ('calf_raises', 'finished', ?1, ?2, ?3, 'Europe/Berlin', ?4, NULL)",
        params![ms("2026-11-20T16:00:00Z"), ms("2026-11-20T16:02:00Z"), day, target],
    )
    .expect("v4 session");
    conn.execute_batch(&format!(
        "INSERT INTO session_event (session_id, seq, utc_ms, event)
             VALUES (1, 1, {}, '{{\"event\":\"finish\"}}');
         INSERT INTO hydration (utc_ms, local_day, ml) VALUES ({}, {day}, 750);
         INSERT INTO compression_wear (on_utc_ms, off_utc_ms, mmhg) VALUES ({}, {}, 20);
         INSERT INTO reminder (shown_utc_ms, exercise, response, response_utc_ms)
             VALUES ({}, 'calf_raises', 'done', {});
         INSERT INTO daily_summary (local_day, summary) VALUES ({day}, '{{\"date\":\"2026-11-20\",\"steps\":1}}');",
        ms("2026-11-20T16:02:00Z"),
        ms("2026-11-20T12:00:00Z"),
        ms("2026-11-20T07:00:00Z"),
        ms("2026-11-20T09:00:00Z"),
        ms("2026-11-20T15:00:00Z"),
        ms("2026-11-20T15:05:00Z"),
    ))
    .expect("v4 rows");
    conn.execute(
        "INSERT INTO flight (departure_utc_ms, arrival_utc_ms, plan) VALUES (?1, ?2, ?3)",
        params![
            flight.departure.timestamp_millis(),
            flight.arrival.timestamp_millis(),
            serde_json::to_string(&flight).expect("json")
        ],
    )
    .expect("v4 flight");
}

/// A file at `version` with that version's data in it.
fn old_database(path: &Path, version: usize) {
    let mut conn = Connection::open(path).expect("open");
    build_at(&mut conn, version).expect("build the old schema");
    fill(&conn, version);
}

fn count(store: &Store, table: &str) -> i64 {
    store
        .conn
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .expect("count")
}

/// What the upgraded file must hold, given the version it came from and
/// how many one-hour walks of 6,000 steps were added on other days.
fn assert_kept(store: &Store, version: usize, other_walks: i64) {
    assert_eq!(
        store.schema_version().expect("version"),
        Store::latest_schema_version()
    );
    let walks = if version >= 4 { 2 } else { 1 };
    assert_eq!(count(store, "walk"), walks + other_walks, "from v{version}");
    let day = store.daily_summary(day(), now()).expect("the day");
    // The walk logged before the minute table: 3,000 steps, now in its minutes.
    let mut steps = 3_000;
    if version >= 2 {
        let summary = store
            .sensor_summary(SERIAL)
            .expect("sensor")
            .expect("known sensor");
        assert_eq!(
            (summary.records, summary.high_water, summary.gap_records),
            (2, 5, 3),
            "from v{version}"
        );
        steps += 220;
    }
    if version >= 3 {
        let paired = store.paired_sensors().expect("paired");
        assert_eq!(paired.len(), 1, "from v{version}");
        assert_eq!(paired[0].address, "AA:BB:CC:00:11:22");
        // No battery was read before version 6.
        let battery = if version >= 6 { Some(80) } else { None };
        assert_eq!(paired[0].battery_percent, battery, "from v{version}");
        // Nobody had chosen a sensor for sessions before version 8.
        assert!(!paired[0].chosen_for_sessions, "from v{version}");
    }
    if version >= 4 {
        steps += 200;
        assert_eq!(store.profile().expect("profile").height_cm, 182.0);
        assert_eq!(day.time_zones, vec!["Europe/Berlin".to_owned()]);
        // The phone's set and the left sock's two; the right sock's record
        // of the first, stored twice before v10, is not counted again.
        assert_eq!(day.calf_raise_sets, 3, "from v{version}");
        assert_eq!(day.hydration_ml, 750);
        assert_eq!(day.compression_minutes, 120);
        for table in ["session_event", "reminder", "flight"] {
            assert_eq!(count(store, table), 1, "{table} from v{version}");
        }
    }
    assert_eq!(day.steps, steps, "from v{version}: {day:?}");
    assert_eq!(day.imported_steps, 0);
    // The backfill spread the old walk over its 30 minutes, once.
    let phone_minutes: i64 = store
        .conn
        .query_row(
            "SELECT count(*) FROM minute_activity WHERE source = 'phone'",
            [],
            |r| r.get(0),
        )
        .expect("minutes");
    assert_eq!(
        phone_minutes,
        if version >= 4 { 32 } else { 30 } + 60 * other_walks
    );
    let integrity: String = store
        .conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity");
    assert_eq!(integrity, "ok");
}

#[test]
fn every_earlier_schema_upgrades_to_the_latest_and_keeps_every_day() {
    for version in 1..usize::try_from(Store::latest_schema_version()).expect("small") {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("sh.db");
        old_database(&path, version);
        let store = Store::open(&path).expect("upgrade");
        assert_kept(&store, version, 0);
        drop(store);
        // Opening again migrates nothing and backfills nothing twice.
        assert_kept(&Store::open(&path).expect("reopen"), version, 0);
    }
}

#[test]
fn a_backup_from_an_earlier_version_is_upgraded_as_it_is_restored() {
    for version in 1..usize::try_from(Store::latest_schema_version()).expect("small") {
        let dir = tempfile::tempdir().expect("dir");
        let backup = dir.path().join("old-backup.db");
        old_database(&backup, version);
        let mut store = Store::open(dir.path().join("sh.db")).expect("open");
        let report = store
            .restore_from(&backup, ReplaceData::OnlyIfEmpty)
            .expect("restore into an empty database");
        assert_eq!(
            usize::try_from(report.backup_schema_version).expect("small"),
            version
        );
        assert!(!report.replaced_data);
        assert_kept(&store, version, 0);
    }
}

#[test]
fn an_upgrade_on_a_full_disk_keeps_the_old_version_and_completes_later() {
    // From version 3 the upgrade's first new table finds the disk full;
    // from version 4, the walks' backfilled minutes (a migration's hook).
    for version in [3, 4] {
        upgrade_on_a_full_disk_from(version);
    }
}

fn upgrade_on_a_full_disk_from(version: usize) {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("sh.db");
    old_database(&path, version);
    let mut conn = Connection::open(&path).expect("open");
    // Two hundred more old walks: their backfilled minutes need new pages.
    for day in 0..200 {
        let start = ms("2026-01-01T08:00:00Z") + day * 86_400_000;
        conn.execute(
            "INSERT INTO walk (start_utc_ms, end_utc_ms, time_zone, utc_offset_s, steps)
             VALUES (?1, ?2, 'UTC', 0, 6000)",
            params![start, start + 3_600_000],
        )
        .expect("walk");
    }
    let pages: i64 = conn
        .pragma_query_value(None, "page_count", |r| r.get(0))
        .expect("pages");
    conn.pragma_update(None, "max_page_count", pages)
        .expect("limit");
    let refused = run_on(&mut conn);
    assert!(
        matches!(refused, Err(Error::DiskFull)),
        "{version}: {refused:?}"
    );
    let found: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .expect("version");
    assert_eq!(
        found as usize, version,
        "nothing of the upgrade was applied"
    );
    // However little room there is, a full disk is said as one (the
    // migrations' hooks included): one page more each time, up to the
    // room the upgrade needs.
    let mut room = pages;
    loop {
        room += 1;
        conn.pragma_update(None, "max_page_count", room)
            .expect("limit");
        match run_on(&mut conn) {
            Ok(()) => break,
            Err(Error::DiskFull) => {}
            Err(other) => panic!("{version}, {} pages more: {other:?}", room - pages),
        }
    }
    drop(conn);
    let store = Store::open(&path).expect("upgraded");
    assert_kept(&store, version, 200);
}

#[test]
fn an_older_backup_that_cannot_be_upgraded_here_leaves_the_data_as_it_was() {
    let dir = tempfile::tempdir().expect("dir");
    let backup = dir.path().join("old-backup.db");
    old_database(&backup, 3);
    let conn = Connection::open(&backup).expect("open");
    // Two hundred old walks: their upgrade spreads them into minutes.
    for day in 0..200 {
        let start = ms("2026-01-01T08:00:00Z") + day * 86_400_000;
        conn.execute(
            "INSERT INTO walk (start_utc_ms, end_utc_ms, time_zone, utc_offset_s, steps)
             VALUES (?1, ?2, 'UTC', 0, 6000)",
            params![start, start + 3_600_000],
        )
        .expect("walk");
    }
    drop(conn);
    let path = dir.path().join("sh.db");
    let mut store = Store::open(&path).expect("open");
    let walk = crate::walk::NewWalk::new(
        utc("2026-11-20T08:00:00Z"),
        "UTC",
        1_800,
        3_000,
        utc("2026-11-21T08:00:00Z"),
    )
    .expect("walk");
    store.log_walk(&walk).expect("log");
    // The disk holds the backup as it is, not as it becomes.
    let pages: i64 = store
        .conn
        .pragma_query_value(None, "page_count", |r| r.get(0))
        .expect("pages");
    store
        .conn
        .pragma_update(None, "max_page_count", pages + 5)
        .expect("limit");
    let refused = store.restore_from(&backup, ReplaceData::Confirmed);
    assert!(matches!(refused, Err(Error::DiskFull)), "{refused:?}");
    assert_eq!(
        store.schema_version().expect("version"),
        Store::latest_schema_version(),
        "the database was not replaced by the old backup"
    );
    let kept: i64 = store
        .conn
        .query_row("SELECT sum(steps) FROM walk", [], |r| r.get(0))
        .expect("walks");
    assert_eq!(kept, 3_000, "the walk logged here is still here");
    let left = restore_scratch_files(dir.path());
    assert!(left.is_empty(), "no scratch file left: {left:?}");

    // With room, the same backup restores and upgrades.
    store
        .conn
        .pragma_update(None, "max_page_count", 1_073_741_823)
        .expect("room");
    store
        .restore_from(&backup, ReplaceData::Confirmed)
        .expect("restored");
    assert_kept(&store, 3, 200);
}

#[test]
fn two_walks_that_overlap_logged_before_overlaps_were_refused_count_once() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("sh.db");
    let mut conn = Connection::open(&path).expect("open");
    build_at(&mut conn, 1).expect("v1");
    let walks = [
        ("2026-11-20T08:10:00Z", "2026-11-20T08:40:00Z", 3000),
        ("2026-11-20T08:00:00Z", "2026-11-20T08:30:00Z", 3000),
        // Touching the first: a walk of its own.
        ("2026-11-20T08:30:00Z", "2026-11-20T08:40:00Z", 1000),
    ];
    for (start, end, steps) in walks {
        conn.execute(
            "INSERT INTO walk (start_utc_ms, end_utc_ms, time_zone, utc_offset_s, steps)
             VALUES (?1, ?2, 'Europe/Berlin', 3600, ?3)",
            params![ms(start), ms(end), steps],
        )
        .expect("walk");
    }
    drop(conn);
    let store = Store::open(&path).expect("upgrade");
    let steps: i64 = store
        .conn
        .query_row(
            "SELECT sum(steps) FROM minute_activity WHERE source = 'phone'",
            [],
            |r| r.get(0),
        )
        .expect("minutes");
    assert_eq!(
        steps, 4_000,
        "08:00-08:30 and 08:30-08:40, not the overlap twice"
    );
}

#[test]
fn a_walk_logged_twice_before_overlaps_were_refused_is_spread_once() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("sh.db");
    let mut conn = Connection::open(&path).expect("open");
    build_at(&mut conn, 1).expect("v1");
    for _ in 0..2 {
        conn.execute(
            "INSERT INTO walk (start_utc_ms, end_utc_ms, time_zone, utc_offset_s, steps)
             VALUES (?1, ?2, 'Europe/Berlin', 3600, 3000)",
            params![ms("2026-11-20T08:00:00Z"), ms("2026-11-20T08:30:00Z")],
        )
        .expect("the same walk again");
    }
    drop(conn);
    let store = Store::open(&path).expect("upgrade");
    let (minutes, steps): (i64, i64) = store
        .conn
        .query_row(
            "SELECT count(*), sum(steps) FROM minute_activity WHERE source = 'phone'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("minutes");
    assert_eq!((minutes, steps), (30, 3000), "not 6,000 steps");
}

#[test]
fn walks_the_app_followed_are_told_from_walks_logged_by_hand() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("sh.db");
    let mut conn = Connection::open(&path).expect("open");
    build_at(&mut conn, 12).expect("v12");
    fill(&conn, 12);
    // A walk followed 11:00–11:40, paused from 11:15 and resumed at 11:20:
    // two rows of the walk log, each from where its stretch began. A walk
    // logged by hand in the pause (from the pause's instant: only a resume
    // begins a stretch), and one at 11:35 in the same span (the app had
    // accepted both: only the session open then was in the way).
    let target = serde_json::to_string(&SessionKind::Walk.default_target()).expect("json");
    conn.execute(
        "INSERT INTO session (kind, state, started_utc_ms, ended_utc_ms, local_day, time_zone, target, outcome)
         VALUES ('walk', 'finished', ?1, ?2, ?3, 'Europe/Berlin', ?4, NULL)",
        params![
            ms("2026-11-20T11:00:00Z"),
            ms("2026-11-20T11:40:00Z"),
            crate::zones::day_number(day()),
            target
        ],
    )
    .expect("walk session");
    let session = conn.last_insert_rowid();
    for (seq, at, event) in [
        (1, "2026-11-20T11:15:00Z", "pause"),
        (2, "2026-11-20T11:20:00Z", "resume"),
        (3, "2026-11-20T11:40:00Z", "finish"),
    ] {
        conn.execute(
            "INSERT INTO session_event (session_id, seq, utc_ms, event) VALUES (?1, ?2, ?3, ?4)",
            params![session, seq, ms(at), format!("{{\"event\":\"{event}\"}}")],
        )
        .expect("event");
    }
    for (start, end) in [
        ("2026-11-20T11:00:00Z", "2026-11-20T11:15:00Z"),
        ("2026-11-20T11:15:00Z", "2026-11-20T11:19:00Z"),
        ("2026-11-20T11:20:00Z", "2026-11-20T11:30:00Z"),
        ("2026-11-20T11:35:00Z", "2026-11-20T11:38:00Z"),
    ] {
        conn.execute(
            "INSERT INTO walk (start_utc_ms, end_utc_ms, time_zone, utc_offset_s, steps)
             VALUES (?1, ?2, 'Europe/Berlin', 3600, 100)",
            params![ms(start), ms(end)],
        )
        .expect("walk row");
    }
    drop(conn);
    let store = Store::open(&path).expect("upgrade");
    let by_hand: Vec<(String, bool)> = store
        .walks_overlapping(utc("2026-11-20T00:00:00Z"), utc("2026-11-21T00:00:00Z"))
        .expect("walks")
        .iter()
        .map(|w| (w.start.format("%H:%M").to_string(), w.by_hand))
        .collect();
    let expected = [
        ("08:00", true),
        ("11:00", false),
        ("11:15", true),
        ("11:20", false),
        ("11:35", true),
        ("14:00", true),
    ];
    assert_eq!(
        by_hand,
        expected.map(|(at, by_hand)| (at.to_owned(), by_hand)),
        "the walks of v1 and v4, and those in the session's pause and after its last step, were logged by hand"
    );
}

#[test]
fn a_restore_cut_short_leaves_no_copy_of_the_backup_once_opened_or_deleted() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("sh.db");
    let backup = dir.path().join("old-backup.db");
    old_database(&backup, 3);
    // What an app killed in the middle of upgrading that backup left.
    for end in ["", "-wal", "-journal"] {
        std::fs::copy(&backup, dir.path().join(format!("sh.db.restoring{end}"))).expect("leftover");
    }
    let mut store = Store::open(&path).expect("open");
    store
        .restore_from(&backup, ReplaceData::OnlyIfEmpty)
        .expect("a restore over the leftovers");
    assert_kept(&store, 3, 0);
    for end in ["", "-wal", "-journal"] {
        std::fs::copy(&backup, dir.path().join(format!("sh.db.restoring{end}"))).expect("leftover");
    }
    store.delete_all().expect("delete all");
    let left = restore_scratch_files(dir.path());
    assert!(left.is_empty(), "no copy of health data left: {left:?}");

    // Left by a restore the app was killed in, found as the app opens.
    drop(store);
    std::fs::copy(&backup, dir.path().join("sh.db.restoring")).expect("leftover");
    Store::open(&path).expect("open");
    let left = restore_scratch_files(dir.path());
    assert!(left.is_empty(), "gone as the app opens: {left:?}");
}

/// The names of the restore's scratch files in `dir`.
fn restore_scratch_files(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("restoring"))
        .collect()
}
