//! "Delete everything" on a disk with no room left: a real filesystem
//! filled to the last few kilobytes, not SQLite's `max_page_count` (which
//! cannot stop the write-ahead log from growing, and the log is where a
//! delete and the rewrite after it need room).
//!
//! Ignored in a plain `cargo test`: it needs a small filesystem of its own
//! to fill. `bash tests/run-all.sh` mounts one (a tmpfs) and names it in
//! `SECOND_HEART_FULL_DISK_DIR`.

use std::io::Write;
use std::path::{Path, PathBuf};

use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use second_heart_core::Store;
use second_heart_core::app::{FixedClock, SecondHeart, commit_sensor_sync};
use second_heart_core::sensor::gatt::{DeviceInfo, Posture, Record, RecordBody};
use second_heart_core::sensor::sync::Commit;
use second_heart_core::sensor::timeline::ClockAnchor;

const DIR_ENV: &str = "SECOND_HEART_FULL_DISK_DIR";
const SERIAL: &str = "SH-FULL-DISK-MARKER";
const RECORDS: u32 = 20_000;

/// One test at a time fills the filesystem.
static FILLING: Mutex<()> = Mutex::new(());

/// The filesystem the test may fill, from [`DIR_ENV`], with the test's
/// turn to fill it.
fn small_filesystem() -> (PathBuf, MutexGuard<'static, ()>) {
    let dir = std::env::var_os(DIR_ENV)
        .unwrap_or_else(|| panic!("{DIR_ENV} must name a small filesystem this test may fill"));
    let turn = FILLING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    (PathBuf::from(dir), turn)
}

/// A day and a half of a sensor's minutes, from a sensor named [`SERIAL`].
fn sensor_minutes() -> Commit {
    let start: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-11-01T00:00:00Z")
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
        records: (1..=RECORDS)
            .map(|seq| Record {
                seq,
                epoch: 1,
                ticks_s: 60 * seq,
                body: RecordBody::Minute {
                    steps: (seq % 110) as u16,
                    contractions: 0,
                    ankle_pressure_mmhg: 0,
                    posture: Posture::Walking,
                },
            })
            .collect(),
        high_water: RECORDS,
        dropped_seen: 0,
        damaged: 0,
    }
}

/// Fills the filesystem holding `dir` until at most `room` bytes are
/// left, with a file that is removed when the returned guard drops.
struct Filler(PathBuf);

impl Filler {
    fn leaving(dir: &Path, room: u64) -> Self {
        let path = dir.join("filler");
        let mut file = std::fs::File::create(&path).expect("filler");
        let chunk = vec![0u8; 4096];
        // Write until the disk refuses, then give back what was asked for.
        let mut written = 0u64;
        while file.write_all(&chunk).is_ok() {
            written += chunk.len() as u64;
        }
        file.set_len(written.saturating_sub(room)).expect("trim");
        file.sync_all().expect("sync");
        Self(path)
    }
}

impl Drop for Filler {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn files_hold(dir: &Path, marker: &str) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .expect("dir")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| {
            std::fs::read(path)
                .map(|bytes| bytes.windows(marker.len()).any(|w| w == marker.as_bytes()))
                .unwrap_or(false)
        })
        .collect()
}

#[test]
#[ignore = "needs a small filesystem to fill: bash tests/run-all.sh mounts one"]
fn delete_all_succeeds_on_a_full_disk_and_leaves_nothing_behind() {
    let (root, _turn) = small_filesystem();
    // From no room at all to room for a delete but not for the rewrite.
    for room_kib in [0u64, 4, 16, 64, 256] {
        let dir = root.join(format!("room-{room_kib}"));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("sh.db");
        let mut store = Store::open(&path).expect("open");
        commit_sensor_sync(&mut store, &sensor_minutes(), 0).expect("sync");
        assert!(store.holds_data().expect("holds"));

        let filler = Filler::leaving(&root, room_kib * 1024);
        store
            .delete_all()
            .unwrap_or_else(|e| panic!("{room_kib} KiB free: delete all failed: {e}"));
        assert!(
            !store.holds_data().expect("holds"),
            "{room_kib} KiB free: data left"
        );
        drop(filler);
        drop(store);

        let reopened = Store::open(&path).expect("reopen");
        assert!(
            !reopened.holds_data().expect("holds"),
            "{room_kib} KiB free: data back after reopening"
        );
        drop(reopened);
        assert_eq!(
            files_hold(&dir, SERIAL),
            Vec::<PathBuf>::new(),
            "{room_kib} KiB free: the sensor's serial is still on disk"
        );
        std::fs::remove_dir_all(&dir).expect("clean");
    }
}

#[test]
#[ignore = "needs a small filesystem to fill: bash tests/run-all.sh mounts one"]
fn delete_all_after_a_flight_needs_no_room_to_note_the_new_zone() {
    let (root, _turn) = small_filesystem();
    let dir = root.join("landed");
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("sh.db");
    let at = |text: &str| DateTime::parse_from_rfc3339(text).expect("time").to_utc();
    let home = FixedClock {
        at: at("2026-11-20T08:00:00Z"),
        zone: chrono_tz::Europe::Berlin,
    };
    {
        let app = SecondHeart::open(&path, Arc::new(home)).expect("open");
        app.today().view().expect("today at home");
        let mut store = app.store().lock().expect("store");
        commit_sensor_sync(&mut store, &sensor_minutes(), 0).expect("sync");
    }
    // The phone landed in Tokyo with its storage full: the first write
    // would note the new zone, and there is no room for the note.
    let landed = FixedClock {
        at: at("2026-11-21T08:00:00Z"),
        zone: chrono_tz::Asia::Tokyo,
    };
    let app = SecondHeart::open(&path, Arc::new(landed)).expect("reopen");
    let filler = Filler::leaving(&dir, 0);
    app.data()
        .delete_all(true)
        .unwrap_or_else(|e| panic!("delete all failed: {e}"));
    drop(filler);
    assert!(
        !app.store()
            .lock()
            .expect("store")
            .holds_data()
            .expect("holds")
    );
    drop(app);
    assert_eq!(files_hold(&dir, SERIAL), Vec::<PathBuf>::new());
    std::fs::remove_dir_all(&dir).expect("clean");
}

#[test]
#[ignore = "needs a small filesystem to fill: bash tests/run-all.sh mounts one"]
fn a_database_opened_on_a_full_disk_says_the_storage_is_full() {
    let (root, _turn) = small_filesystem();
    let dir = root.join("cold-start");
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("sh.db");
    {
        let mut store = Store::open(&path).expect("open");
        commit_sensor_sync(&mut store, &sensor_minutes(), 0).expect("sync");
    }
    // The app starts with no room left for the log's index.
    let filler = Filler::leaving(&root, 0);
    let read = Store::open(&path).and_then(|store| store.holds_data());
    drop(filler);
    match read {
        Err(error @ second_heart_core::Error::DiskFull) => {
            assert!(error.to_string().contains("storage is full"), "{error}");
        }
        other => panic!("expected DiskFull, got {other:?}"),
    }
    std::fs::remove_dir_all(&dir).expect("clean");
}
