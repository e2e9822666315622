//! A full disk (SQLite's `SQLITE_FULL`, brought on with `max_page_count`)
//! in the middle of a sync commit, a walk, a session or an import: a typed
//! error, the transaction rolled back whole, and the same call succeeding
//! once there is room again.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::Store;
use crate::Error;
use crate::app::{commit_pairing_sync, commit_sensor_sync, record_session_event, start_session};
use crate::import::DailySteps;
use crate::sensor::gatt::{DeviceInfo, Posture, Record, RecordBody};
use crate::sensor::sync::Commit;
use crate::sensor::timeline::ClockAnchor;
use crate::session::{SessionEvent, SessionKind};
use crate::test_support::utc;
use crate::walk::NewWalk;

fn store(dir: &tempfile::TempDir) -> Store {
    Store::open(dir.path().join("sh.db")).expect("open")
}

/// No page beyond those the file has now.
fn fill_the_disk(store: &Store) {
    let pages: i64 = store
        .conn
        .pragma_query_value(None, "page_count", |r| r.get(0))
        .expect("page count");
    store
        .conn
        .pragma_update(None, "max_page_count", pages)
        .expect("limit");
}

fn make_room(store: &Store) {
    store
        .conn
        .pragma_update(None, "max_page_count", 1_000_000)
        .expect("room");
}

fn rows(store: &Store, table: &str) -> i64 {
    store
        .conn
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .expect("count")
}

fn assert_disk_full<T: std::fmt::Debug>(result: crate::Result<T>) {
    match result {
        Err(error @ Error::DiskFull) => {
            assert!(error.to_string().contains("storage is full"), "{error}");
        }
        other => panic!("expected DiskFull, got {other:?}"),
    }
}

fn sync_batch(first: u32, count: u32, start: DateTime<Utc>) -> Commit {
    Commit {
        device: DeviceInfo {
            manufacturer: "Second Heart".into(),
            model: "Ankle 1".into(),
            serial: "SH-FULL".into(),
            firmware: "1.0".into(),
            battery_percent: None,
        },
        anchors: vec![ClockAnchor {
            epoch: 1,
            ticks_ms: 0,
            utc_ms: start.timestamp_millis(),
        }],
        gaps: Vec::new(),
        records: (first..first + count)
            .map(|seq| Record {
                seq,
                epoch: 1,
                ticks_s: 60 * seq,
                body: RecordBody::Minute {
                    steps: 90,
                    contractions: 0,
                    ankle_pressure_mmhg: 0,
                    posture: Posture::Walking,
                },
            })
            .collect(),
        high_water: first + count - 1,
        dropped_seen: 0,
        damaged: 0,
    }
}

#[test]
fn a_sync_commit_on_a_full_disk_stores_nothing_and_the_next_sync_resumes() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store(&dir);
    let start = utc("2026-11-20T00:00:00Z");
    commit_sensor_sync(&mut store, &sync_batch(1, 100, start), 0).expect("first batch");
    fill_the_disk(&store);
    let big = sync_batch(101, 5_000, start);
    assert_disk_full(commit_sensor_sync(&mut store, &big, 1));
    let summary = store
        .sensor_summary("SH-FULL")
        .expect("read")
        .expect("known");
    assert_eq!((summary.records, summary.high_water), (100, 100));
    assert_eq!(
        store
            .sensor_sync_state("SH-FULL")
            .expect("state")
            .high_water,
        100,
        "the next sync asks from where the last whole commit ended"
    );
    make_room(&store);
    commit_sensor_sync(&mut store, &big, 2).expect("resumed");
    let summary = store
        .sensor_summary("SH-FULL")
        .expect("read")
        .expect("known");
    assert_eq!((summary.records, summary.high_water), (5_100, 5_100));
}

#[test]
fn a_pairing_commit_marks_the_sensor_paired_and_on_a_full_disk_neither_stores_nor_pairs() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store(&dir);
    let start = utc("2026-11-20T00:00:00Z");
    fill_the_disk(&store);
    let batch = sync_batch(1, 5_000, start);
    assert_disk_full(commit_pairing_sync(&mut store, &batch, "AA:FULL", 1));
    assert_eq!(rows(&store, "sensor_record"), 0);
    assert!(store.find_paired("SH-FULL").expect("read").is_none());
    make_room(&store);
    commit_pairing_sync(&mut store, &batch, "AA:FULL", 2).expect("stored");
    assert_eq!(rows(&store, "sensor_record"), 5_000);
    let paired = store.find_paired("SH-FULL").expect("read").expect("paired");
    assert_eq!(paired.address, "AA:FULL");
}

#[test]
fn a_walk_logged_on_a_full_disk_leaves_no_row_and_no_minute() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store(&dir);
    let now = utc("2026-11-21T12:00:00Z");
    let walk =
        NewWalk::new(utc("2026-11-20T06:00:00Z"), "UTC", 16 * 3_600, 100_000, now).expect("walk");
    fill_the_disk(&store);
    assert_disk_full(store.log_walk(&walk));
    assert_eq!(
        (rows(&store, "walk"), rows(&store, "minute_activity")),
        (0, 0)
    );
    make_room(&store);
    store.log_walk(&walk).expect("logged once there is room");
    assert_eq!(rows(&store, "walk"), 1);
    let date = NaiveDate::from_ymd_opt(2026, 11, 20).expect("date");
    assert_eq!(store.daily_summary(date, now).expect("day").steps, 100_000);
}

#[test]
fn a_session_finished_on_a_full_disk_stays_open_and_finishes_later() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store(&dir);
    let start = utc("2026-11-20T06:00:00Z");
    start_session(
        &mut store,
        SessionKind::Walk,
        None,
        None,
        chrono_tz::UTC,
        start,
    )
    .expect("start");
    // Counted every 25 minutes over 16 hours: a long day's minutes to store.
    let later = start + Duration::minutes(25 * 38);
    for count in 1..=38 {
        let at = start + Duration::minutes(25 * count);
        record_session_event(&mut store, SessionEvent::Steps { count: 2_000 }, at).expect("steps");
    }
    fill_the_disk(&store);
    assert_disk_full(record_session_event(
        &mut store,
        SessionEvent::Finish,
        later,
    ));
    let open = store.open_session().expect("read").expect("still open");
    assert_eq!(open.events.len(), 38, "the finish was not half-stored");
    assert_eq!(
        (rows(&store, "walk"), rows(&store, "minute_activity")),
        (0, 0)
    );
    make_room(&store);
    let done = record_session_event(&mut store, SessionEvent::Finish, later)
        .expect("finished once there is room");
    assert_eq!(done.outcome.expect("outcome").progress.steps, 76_000);
    assert!(store.open_session().expect("read").is_none());
    assert_eq!(rows(&store, "walk"), 1);
}

#[test]
fn an_import_on_a_full_disk_imports_no_day() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store(&dir);
    let first = NaiveDate::from_ymd_opt(2018, 1, 1).expect("date");
    let days: Vec<DailySteps> = (0..3_000)
        .map(|i| DailySteps {
            date: first + Duration::days(i),
            steps: 5_000,
            line: u64::try_from(i + 1).expect("line"),
        })
        .collect();
    let now = utc("2026-11-21T12:00:00Z");
    fill_the_disk(&store);
    assert_disk_full(store.import_daily_steps(&days, "steps.csv", now));
    assert_eq!(rows(&store, "imported_steps"), 0);
    make_room(&store);
    let report = store
        .import_daily_steps(&days, "steps.csv", now)
        .expect("imported once there is room");
    assert_eq!(report.added, 3_000);
}
