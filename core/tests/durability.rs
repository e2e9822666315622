//! The store survives being killed mid-write: a child process ingests sensor
//! batches and says after each commit; the parent kills it with SIGKILL in
//! the middle of a later batch, reopens the file, checks its integrity and
//! finds every batch the child reported committed.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use chrono::{DateTime, Utc};
use second_heart_core::Store;
use second_heart_core::app::commit_sensor_sync;
use second_heart_core::sensor::gatt::{DeviceInfo, Posture, Record, RecordBody};
use second_heart_core::sensor::sync::Commit;
use second_heart_core::sensor::timeline::ClockAnchor;

const CHILD_ENV: &str = "SECOND_HEART_INGEST_CHILD_DB";
const TEST_NAME: &str = "a_store_killed_mid_ingest_keeps_every_committed_batch";
const BATCH: u32 = 5_000;
const SERIAL: &str = "SH-DURABLE";

fn batch(index: u32) -> Commit {
    let first = index * BATCH + 1;
    let records = (first..first + BATCH)
        .map(|seq| Record {
            seq,
            epoch: 1,
            ticks_s: 60 * seq,
            body: RecordBody::Minute {
                steps: (seq % 120) as u16,
                contractions: 0,
                ankle_pressure_mmhg: 0,
                posture: if seq % 120 == 0 {
                    Posture::Sitting
                } else {
                    Posture::Walking
                },
            },
        })
        .collect();
    let start: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
        .expect("time")
        .to_utc();
    Commit {
        device: DeviceInfo {
            manufacturer: "Second Heart".into(),
            model: "Ankle 1".into(),
            serial: SERIAL.into(),
            firmware: "1.0".into(),
            battery_percent: None,
        },
        anchors: vec![ClockAnchor {
            epoch: 1,
            ticks_ms: 0,
            utc_ms: start.timestamp_millis(),
        }],
        gaps: Vec::new(),
        records,
        high_water: first + BATCH - 1,
        dropped_seen: 0,
        damaged: 0,
    }
}

/// The child: ingest until killed, reporting each commit.
fn ingest_until_killed(path: &str) {
    let mut store = Store::open(path).expect("child open");
    for index in 0..10_000 {
        commit_sensor_sync(&mut store, &batch(index), 0).expect("commit");
        println!("committed {}", (index + 1) * BATCH);
    }
}

#[test]
fn a_store_killed_mid_ingest_keeps_every_committed_batch() {
    if let Ok(path) = std::env::var(CHILD_ENV) {
        ingest_until_killed(&path);
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("sh.db");
    let mut child = Command::new(std::env::current_exe().expect("test binary"))
        .args(["--exact", TEST_NAME, "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, &path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn the child");
    let stdout = child.stdout.take().expect("stdout");
    let mut committed = 0u32;
    let mut reports = 0;
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("line");
        if let Some(n) = line.strip_prefix("committed ") {
            committed = n.trim().parse().expect("count");
            reports += 1;
            if reports == 6 {
                // Mid-way through the seventh batch's transaction, most likely.
                child.kill().expect("kill");
                break;
            }
        }
    }
    child.wait().expect("reap");
    assert!(committed >= 6 * BATCH, "the child reported {committed}");

    let conn = rusqlite::Connection::open(&path).expect("raw open");
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity");
    assert_eq!(integrity, "ok");
    drop(conn);
    let store = Store::open(&path).expect("reopen after the kill");
    let summary = store
        .sensor_summary(SERIAL)
        .expect("summary")
        .expect("device");
    // Every reported batch is there, whole; a batch cut short is not there at all.
    assert!(
        summary.records >= u64::from(committed),
        "{summary:?} vs {committed}"
    );
    assert_eq!(
        summary.records % u64::from(BATCH),
        0,
        "no half batch: {summary:?}"
    );
    assert_eq!(u64::from(summary.high_water), summary.records);
    let records = store.sensor_records(SERIAL).expect("records");
    assert!(
        records
            .iter()
            .enumerate()
            .all(|(i, r)| r.record.seq == i as u32 + 1)
    );
}
