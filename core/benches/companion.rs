//! Companion benchmarks on a real file: ingesting a million sensor records,
//! today's summary and a 30-day history on a year of minute data, opening
//! the database with its migrations; and (printed once) how much the file
//! grows per day of sensor use. With `SECOND_HEART_BENCH_DB=<path>` the year
//! of data is also kept there, for the Kotlin-side figures (docs/api.md).

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use std::sync::Arc;

use second_heart_core::Store;
use second_heart_core::app::{FixedClock, SecondHeart, commit_sensor_sync};
use second_heart_core::sensor::gatt::{DeviceInfo, Posture, Record, RecordBody};
use second_heart_core::sensor::sync::Commit;
use second_heart_core::sensor::timeline::ClockAnchor;

/// Records per commit, as a sync hands them over.
const BATCH: u32 = 1_000;
const MINUTES_PER_DAY: u32 = 1_440;

fn start() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2025-11-22T00:00:00Z")
        .expect("time")
        .to_utc()
}

/// A plausible minute: asleep at night, some walking, long sits.
fn minute(seq: u32) -> RecordBody {
    let of_day = (seq - 1) % MINUTES_PER_DAY;
    let (steps, posture) = match of_day {
        0..=419 | 1_380.. => (0, Posture::Lying),
        420..=449 | 720..=749 | 1_050..=1_079 => (100 + (seq % 20) as u16, Posture::Walking),
        _ if of_day.is_multiple_of(50) => (30, Posture::Standing),
        _ => (0, Posture::Sitting),
    };
    RecordBody::Minute {
        steps,
        contractions: u16::from(of_day.is_multiple_of(240)) * 20,
        ankle_pressure_mmhg: 0,
        posture,
    }
}

fn commit(first_seq: u32, count: u32) -> Commit {
    Commit {
        device: DeviceInfo {
            manufacturer: "Second Heart".into(),
            model: "Ankle 1".into(),
            serial: "SH-BENCH".into(),
            firmware: "1.0".into(),
            battery_percent: None,
        },
        anchors: vec![ClockAnchor {
            epoch: 1,
            ticks_ms: 0,
            utc_ms: start().timestamp_millis(),
        }],
        gaps: Vec::new(),
        records: (first_seq..first_seq + count)
            .map(|seq| Record {
                seq,
                epoch: 1,
                ticks_s: 60 * seq,
                body: minute(seq),
            })
            .collect(),
        high_water: first_seq + count - 1,
        dropped_seen: 0,
        damaged: 0,
    }
}

/// Ingests `records` minute records in batches into `store`.
fn ingest(store: &mut Store, records: u32) {
    let mut seq = 1;
    while seq <= records {
        let count = BATCH.min(records - seq + 1);
        commit_sensor_sync(store, &commit(seq, count), 0).expect("commit");
        seq += count;
    }
}

fn ingest_a_million(c: &mut Criterion) {
    let mut group = c.benchmark_group("companion");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(30));
    let batches: Vec<Commit> = (0..1_000).map(|i| commit(i * BATCH + 1, BATCH)).collect();
    group.bench_function("ingest 1,000,000 sensor records", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                let dir = tempfile::tempdir().expect("dir");
                let mut store = Store::open(dir.path().join("sh.db")).expect("open");
                let started = Instant::now();
                for batch in &batches {
                    commit_sensor_sync(&mut store, batch, 0).expect("commit");
                }
                total += started.elapsed();
            }
            total
        });
    });
    group.finish();
}

fn reads_on_a_year(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("sh.db");
    let mut store = Store::open(&path).expect("open");
    store
        .note_time_zone(chrono_tz::Europe::Berlin, start())
        .expect("zone");
    let days = 365;
    ingest(&mut store, days * MINUTES_PER_DAY);
    let now = start() + chrono::Duration::days(i64::from(days)) - chrono::Duration::hours(2);
    // The wearer's phone: the sensor is paired, so Today shows its state too.
    store
        .mark_paired("SH-BENCH", "C0:FF:EE:00:00:01", now.timestamp_millis())
        .expect("paired");
    let today = store.today(now).expect("today");
    // Fill the cache once, as the app's first screen does.
    store
        .history(today - chrono::Duration::days(29), today, now)
        .expect("history");
    let bytes: u64 = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").metadata().expect("meta").len())
        .sum();
    eprintln!(
        "database growth: {:.0} KiB per day of sensor use ({} days: {:.1} MiB)",
        bytes as f64 / 1024.0 / f64::from(days),
        days,
        bytes as f64 / 1024.0 / 1024.0
    );
    let mut group = c.benchmark_group("companion");
    group.bench_function("today's summary, a year of minute data", |b| {
        b.iter(|| store.daily_summary(today, now).expect("today"));
    });
    group.bench_function("today + 30-day history, a year of minute data", |b| {
        b.iter(|| {
            store.daily_summary(today, now).expect("today");
            store
                .history(today - chrono::Duration::days(29), today, now)
                .expect("history")
        });
    });
    // The same year for the Kotlin-side figures (docs/api.md, "Speed").
    if let Some(keep) = std::env::var_os("SECOND_HEART_BENCH_DB") {
        let keep = std::path::PathBuf::from(keep);
        let _ = std::fs::remove_file(&keep);
        store.backup_to(&keep).expect("year database kept");
        eprintln!("a year of minute data kept in {}", keep.display());
    }
    // What the apps call: the use-case API over the same file.
    drop(store);
    let clock = FixedClock {
        at: now,
        zone: chrono_tz::Europe::Berlin,
    };
    let app = SecondHeart::open(&path, Arc::new(clock)).expect("open app");
    let yesterday = today - chrono::Duration::days(1);
    group.bench_function("Today view (app API), a year of minute data", |b| {
        b.iter(|| app.today().view().expect("view"));
    });
    group.bench_function("a day's minute series (app API, 1,440 points)", |b| {
        b.iter(|| app.history().day_minutes(yesterday).expect("minutes"));
    });
    group.finish();
}

fn open_with_migrations(c: &mut Criterion) {
    let mut group = c.benchmark_group("companion");
    group.bench_function("open a new database (all migrations)", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                let dir = tempfile::tempdir().expect("dir");
                let started = Instant::now();
                drop(Store::open(dir.path().join("sh.db")).expect("open"));
                total += started.elapsed();
            }
            total
        });
    });
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("sh.db");
    drop(Store::open(&path).expect("create"));
    group.bench_function("open an existing database", |b| {
        b.iter(|| Store::open(&path).expect("open"));
    });
    group.finish();
}

criterion_group!(
    benches,
    ingest_a_million,
    reads_on_a_year,
    open_with_migrations
);
criterion_main!(benches);
