//! Backup to one file while the app runs, a restore that checks the file
//! and never replaces data unconfirmed, and daily step totals imported
//! from CSV without double counting.

use chrono::{DateTime, NaiveDate, Utc};
use second_heart_core::export::{CsvTable, ExportDocument, to_csv};
use second_heart_core::hydration::Drink;
use second_heart_core::import::parse_daily_steps;
use second_heart_core::store::ReplaceData;
use second_heart_core::walk::NewWalk;
use second_heart_core::{Error, Store};

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("RFC 3339")
        .to_utc()
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date")
}

fn drink(ml: u32, at: DateTime<Utc>) -> Drink {
    Drink::new(ml, at).expect("a valid drink")
}

const NOW: &str = "2026-11-23T12:00:00Z";

/// A store at `path` with a walk on each of the 20th and 21st and a drink.
fn lived_in(path: &std::path::Path) -> Store {
    let mut store = Store::open(path).expect("open");
    let now = utc(NOW);
    for (start, steps) in [
        ("2026-11-20T08:00:00Z", 3_000),
        ("2026-11-21T17:00:00Z", 4_500),
    ] {
        let walk = NewWalk::new(utc(start), "UTC", 40 * 60, steps, now).expect("walk");
        store.log_walk(&walk).expect("log");
    }
    store
        .log_drink(&drink(400, utc("2026-11-21T09:00:00Z")))
        .expect("drink");
    store
}

fn steps_by_day(store: &Store) -> Vec<u32> {
    store
        .history(date("2026-11-19"), date("2026-11-22"), utc(NOW))
        .expect("history")
        .days
        .iter()
        .map(|d| d.steps)
        .collect()
}

#[test]
fn a_backup_taken_while_the_app_writes_restores_every_committed_day() {
    let dir = tempfile::tempdir().expect("dir");
    let live = dir.path().join("sh.db");
    let store = lived_in(&live);
    // Another connection (the app's sync, say) is mid-transaction.
    let writer = rusqlite::Connection::open(&live).expect("second connection");
    writer
        .execute_batch(
            "BEGIN IMMEDIATE; INSERT INTO hydration (utc_ms, local_day, ml) VALUES (0, 0, 999);",
        )
        .expect("open write");
    let backup = dir.path().join("backup.sh");
    let report = store.backup_to(&backup).expect("backup");
    writer.execute_batch("COMMIT").expect("commit");
    assert_eq!(report.schema_version, Store::latest_schema_version());
    assert!(report.bytes > 0);
    let siblings: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("backup.sh"))
        .collect();
    assert_eq!(siblings, vec!["backup.sh".to_owned()], "one file");

    let mut restored = Store::open(dir.path().join("new-phone.db")).expect("open");
    let report = restored
        .restore_from(&backup, ReplaceData::OnlyIfEmpty)
        .expect("restore into a new database");
    assert!(!report.replaced_data);
    assert_eq!(steps_by_day(&restored), vec![0, 3_000, 4_500, 0]);
    assert_eq!(steps_by_day(&restored), steps_by_day(&store));
    let drinks = restored
        .daily_summary(date("2026-11-21"), utc(NOW))
        .expect("day")
        .hydration_ml;
    assert_eq!(drinks, 400, "the uncommitted drink is not in the backup");
}

#[test]
fn a_restore_over_data_needs_confirmation() {
    let dir = tempfile::tempdir().expect("dir");
    let source = lived_in(&dir.path().join("old-phone.db"));
    let backup = dir.path().join("backup.sh");
    source.backup_to(&backup).expect("backup");
    let mut store = Store::open(dir.path().join("sh.db")).expect("open");
    store
        .log_drink(&drink(250, utc("2026-11-22T09:00:00Z")))
        .expect("drink");
    let refused = store.restore_from(&backup, ReplaceData::OnlyIfEmpty);
    match refused {
        Err(Error::ConfirmationNeeded(message)) => assert!(message.contains("confirm")),
        other => panic!("expected a request to confirm, got {other:?}"),
    }
    let day = |store: &Store, text: &str| store.daily_summary(date(text), utc(NOW)).expect("day");
    assert_eq!(
        day(&store, "2026-11-22").hydration_ml,
        250,
        "nothing replaced"
    );
    let report = store
        .restore_from(&backup, ReplaceData::Confirmed)
        .expect("confirmed");
    assert!(report.replaced_data);
    assert_eq!(day(&store, "2026-11-22").hydration_ml, 0);
    assert_eq!(steps_by_day(&store), vec![0, 3_000, 4_500, 0]);
}

#[test]
fn a_restore_refuses_files_it_cannot_trust_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let backup = dir.path().join("backup.sh");
    lived_in(&dir.path().join("old.db"))
        .backup_to(&backup)
        .expect("backup");
    let mut store = lived_in(&dir.path().join("sh.db"));
    let before = steps_by_day(&store);

    let newer = dir.path().join("newer.sh");
    std::fs::copy(&backup, &newer).expect("copy");
    rusqlite::Connection::open(&newer)
        .expect("open")
        .pragma_update(None, "user_version", Store::latest_schema_version() + 1)
        .expect("newer version");
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "my walking notes, not a database ".repeat(300)).expect("notes");
    let foreign = dir.path().join("other-app.db");
    rusqlite::Connection::open(&foreign)
        .expect("open")
        .execute_batch("CREATE TABLE songs (title TEXT); PRAGMA user_version = 3;")
        .expect("another app's database");
    // Another app's files that happen to have a `walk` table: one at this
    // app's schema version (no upgrade would run), one at an older one
    // (its upgrade fails on the columns it lacks).
    let lookalikes: Vec<_> = [Store::latest_schema_version(), 3]
        .into_iter()
        .map(|version| {
            let file = dir.path().join(format!("lookalike-{version}.db"));
            rusqlite::Connection::open(&file)
                .expect("open")
                .execute_batch(&format!(
                    "CREATE TABLE walk (id INTEGER PRIMARY KEY, name TEXT);
                     INSERT INTO walk (name) VALUES ('the dog');
                     PRAGMA user_version = {version};"
                ))
                .expect("a lookalike");
            file
        })
        .collect();
    let damaged = dir.path().join("damaged.sh");
    let mut bytes = std::fs::read(&backup).expect("read");
    let page = 4096;
    assert!(bytes.len() > 3 * page, "a few pages");
    // A table's leaf page (type 13) after the schema's: its cell pointers
    // and cells overwritten.
    let leaf = (1..bytes.len() / page)
        .find(|&n| bytes[n * page] == 13)
        .expect("a leaf page");
    for byte in &mut bytes[leaf * page + 8..(leaf + 1) * page] {
        *byte = 0x5A;
    }
    std::fs::write(&damaged, bytes).expect("damage");

    let not_a_backup = "that file is not a Second Heart backup, or it is damaged: nothing changed";
    for (file, expected) in [
        (&newer, "update the app to restore it"),
        (&notes, not_a_backup),
        (&foreign, not_a_backup),
        (&lookalikes[0], not_a_backup),
        (&lookalikes[1], not_a_backup),
        (&damaged, not_a_backup),
        (&dir.path().join("missing.sh"), "does not exist"),
    ] {
        let err = store
            .restore_from(file, ReplaceData::Confirmed)
            .expect_err("refused");
        // Said of a backup, never of "the database" (the user's own data).
        let refused_for_what_it_is = match &err {
            Error::BackupTooNew { path, .. }
            | Error::NotABackup { path, .. }
            | Error::File { path, .. } => path == file,
            _ => false,
        };
        assert!(
            refused_for_what_it_is && err.to_string().contains(expected),
            "{}: {err:?}",
            file.display()
        );
        assert!(!err.to_string().contains("database"), "{err}");
        assert_eq!(
            steps_by_day(&store),
            before,
            "{} changed nothing",
            file.display()
        );
    }
    let itself = store.path().to_path_buf();
    assert!(store.backup_to(&itself).is_err(), "never over the database");
    assert!(store.restore_from(&itself, ReplaceData::Confirmed).is_err());
}

#[test]
fn imported_totals_count_only_above_what_was_recorded_and_never_twice() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = lived_in(&dir.path().join("sh.db"));
    let now = utc(NOW);
    // The 20th has 3,000 recorded steps, the 21st 4,500, the 19th none.
    let file = "date,steps\n2026-11-19,6000\n2026-11-20,8000\n2026-11-21,2000\n";
    let days = parse_daily_steps(file).expect("parse");
    let report = store
        .import_daily_steps(&days, "pedometer.csv", now)
        .expect("import");
    // The 21st's 2,000 are below what it recorded: nothing to keep.
    assert_eq!((report.days, report.added, report.unchanged), (3, 2, 1));
    assert_eq!(steps_by_day(&store), vec![6_000, 8_000, 4_500, 0]);
    let twentieth = store.daily_summary(date("2026-11-20"), now).expect("day");
    assert_eq!(twentieth.imported_steps, 5_000);

    let again = store
        .import_daily_steps(&days, "pedometer.csv", now)
        .expect("again");
    assert_eq!((again.unchanged, again.added, again.replaced), (3, 0, 0));
    assert_eq!(steps_by_day(&store), vec![6_000, 8_000, 4_500, 0]);

    let corrected = parse_daily_steps("2026-11-20,9000\n").expect("parse");
    let report = store
        .import_daily_steps(&corrected, "pedometer.csv", now)
        .expect("corrected");
    assert_eq!(report.replaced, 1);
    assert_eq!(
        steps_by_day(&store),
        vec![6_000, 9_000, 4_500, 0],
        "replaced, not added"
    );
}

#[test]
fn our_own_export_imported_into_an_empty_database_gives_the_same_days() {
    let dir = tempfile::tempdir().expect("dir");
    let store = lived_in(&dir.path().join("sh.db"));
    let now = utc(NOW);
    let doc =
        ExportDocument::read(&store, date("2026-11-19"), date("2026-11-22"), now).expect("export");
    let csv = to_csv(&doc, CsvTable::Days).expect("csv");
    let mut fresh = Store::open(dir.path().join("new.db")).expect("open");
    let days = parse_daily_steps(&csv).expect("our own format");
    fresh
        .import_daily_steps(&days, "export.csv", now)
        .expect("import");
    assert_eq!(steps_by_day(&fresh), steps_by_day(&store));
    // Into the database it came from, it changes nothing.
    let mut original = store;
    let report = original
        .import_daily_steps(&days, "export.csv", now)
        .expect("import");
    assert_eq!(steps_by_day(&original), vec![0, 3_000, 4_500, 0]);
    assert_eq!(
        (report.added, report.replaced, report.unchanged),
        (0, 0, report.days),
        "nothing new: the app says so"
    );
    let kept: i64 = rusqlite::Connection::open(dir.path().join("sh.db"))
        .expect("open")
        .query_row("SELECT count(*) FROM imported_steps", [], |r| r.get(0))
        .expect("count");
    assert_eq!(kept, 0, "no recorded total kept as imported");
}

#[test]
fn our_own_export_brought_back_leaves_an_earlier_import_as_it_was() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("sh.db");
    let now = utc(NOW);
    // A pedometer's 2,000 steps for the 21st imported first; the walks
    // recorded since (4,500 steps that day) cover them.
    let mut store = Store::open(&db).expect("open");
    let pedometer = [second_heart_core::import::DailySteps {
        date: date("2026-11-21"),
        steps: 2_000,
        line: 2,
    }];
    store
        .import_daily_steps(&pedometer, "pedometer.csv", now)
        .expect("import");
    drop(store);
    let store = lived_in(&db);
    let doc =
        ExportDocument::read(&store, date("2026-11-19"), date("2026-11-22"), now).expect("export");
    let days = parse_daily_steps(&to_csv(&doc, CsvTable::Days).expect("csv")).expect("ours");
    let mut store = store;
    let report = store
        .import_daily_steps(&days, "export.csv", now)
        .expect("import");
    assert_eq!(
        (report.added, report.replaced, report.unchanged),
        (0, 0, report.days),
        "nothing new: the app says so"
    );
    let imported: Vec<(i64, String)> = rusqlite::Connection::open(&db)
        .expect("open")
        .prepare("SELECT steps, source FROM imported_steps")
        .expect("query")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("read");
    assert_eq!(
        imported,
        vec![(2_000, "pedometer.csv".to_owned())],
        "the pedometer's own total stays, not the recorded one"
    );
}
