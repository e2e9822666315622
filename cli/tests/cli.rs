//! The `second-heart` binary, driven as a user drives it.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn second_heart(db: &std::path::Path) -> Command {
    let mut command = Command::cargo_bin("second-heart").expect("binary is built");
    command.arg("--db").arg(db);
    command
}

/// `today --json`'s day figures (the view's `summary`) in `zone`, as of
/// `at` (default: now).
fn today_json(db: &std::path::Path, zone: &str, at: Option<&str>) -> Value {
    let mut command = second_heart(db);
    command.args(["today", "--json", "--tz", zone]);
    if let Some(at) = at {
        command.args(["--at", at]);
    }
    let output = command.output().expect("runs");
    assert!(output.status.success(), "{output:?}");
    let view: Value = serde_json::from_slice(&output.stdout).expect("today prints JSON");
    view["summary"].clone()
}

#[test]
fn a_logged_walk_shows_in_todays_totals() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("x.db");
    // A walk that has just ended, at a fixed "now": a walk ending at the
    // real now would straddle midnight in the first half hour of a day.
    let now = "2026-11-20T12:00:00Z";
    second_heart(&db)
        .args([
            "walk",
            "log",
            "--minutes",
            "30",
            "--steps",
            "3200",
            "--tz",
            "UTC",
            "--at",
            now,
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("3,200 steps"));
    let today = today_json(&db, "UTC", Some(now));
    assert_eq!(today["steps"], 3200);
    assert_eq!(today["walking_minutes"], 30);
    assert_eq!(today["time_zones"], serde_json::json!(["UTC"]));
}

#[test]
fn a_negative_duration_fails_clearly_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("x.db");
    second_heart(&db)
        .args(["walk", "log", "--minutes", "-5", "--steps", "100"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "invalid duration: a walk must last longer than zero (got -5 min)",
        ));
    // The file may exist (opening creates it) but must hold no walk.
    if db.exists() {
        let conn = rusqlite::Connection::open(&db).expect("open");
        let count: i64 = conn
            .query_row("SELECT count(*) FROM walk", [], |row| row.get(0))
            .unwrap_or(0);
        assert_eq!(count, 0);
    }
}

#[test]
fn an_implausible_step_count_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("x.db");
    second_heart(&db)
        .args(["walk", "log", "--minutes", "5", "--steps", "50000"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("steps a minute"));
    assert_eq!(today_json(&db, "UTC", None)["steps"], 0);
}

#[test]
fn a_walk_with_a_local_start_lands_on_that_local_day() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("x.db");
    second_heart(&db)
        .args([
            "walk",
            "log",
            "--minutes",
            "60",
            "--steps",
            "6000",
            "--tz",
            "Europe/Berlin",
            "--start",
            "2025-06-01 23:30",
        ])
        .assert()
        .success();
    let day = |date: &str| -> Value {
        let output = second_heart(&db)
            .args(["today", "--json", "--tz", "Europe/Berlin", "--date", date])
            .output()
            .expect("runs");
        serde_json::from_slice(&output.stdout).expect("JSON")
    };
    assert_eq!(day("2025-06-01")["summary"]["steps"], 3000);
    assert_eq!(day("2025-06-02")["summary"]["steps"], 3000);
    // Another day's view has its figures but nothing live.
    assert_eq!(day("2025-06-01")["next_break"], Value::Null);
}

#[test]
fn the_tz_variable_names_this_computer_s_zone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("x.db");
    let output = second_heart(&db)
        .env("TZ", ":America/New_York")
        .args(["today", "--json", "--at", "2026-11-20T12:00:00Z"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let view: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(
        view["summary"]["time_zones"],
        serde_json::json!(["America/New_York"])
    );
}

#[test]
fn a_look_at_a_past_moment_in_another_zone_leaves_the_days_where_they_were() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("x.db");
    let today = |zone: &str, at: &str| -> Value {
        let output = second_heart(&db)
            .args(["today", "--json", "--tz", zone, "--at", at])
            .output()
            .expect("runs");
        assert!(output.status.success(), "{output:?}");
        serde_json::from_slice(&output.stdout).expect("JSON")
    };
    today("Europe/Berlin", "2026-11-20T12:00:00Z");
    today("Europe/Berlin", "2026-11-21T12:00:00Z");
    today("Asia/Tokyo", "2026-11-20T18:00:00Z");
    let after = today("Europe/Berlin", "2026-11-21T13:00:00Z");
    assert_eq!(
        after["summary"]["time_zones"],
        serde_json::json!(["Europe/Berlin"])
    );
}

#[test]
fn a_walk_logged_at_a_past_moment_with_tz_is_walked_in_that_zone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("x.db");
    for at in ["2026-11-20T12:00:00Z", "2026-11-22T12:00:00Z"] {
        second_heart(&db)
            .args(["today", "--tz", "Europe/Berlin", "--at", at])
            .assert()
            .success();
    }
    // Seen in Berlin then, the walk is said to be Tokyo's: its start is
    // read there and it keeps Tokyo's clock.
    let output = second_heart(&db)
        .args([
            "--json",
            "walk",
            "log",
            "--minutes",
            "30",
            "--steps",
            "3000",
        ])
        .args([
            "--tz",
            "Asia/Tokyo",
            "--at",
            "2026-11-21 20:00",
            "--start",
            "2026-11-21 08:00",
        ])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let walk: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(walk["time_zone"], "Asia/Tokyo", "{walk}");
    assert_eq!(
        walk["start"], "2026-11-20T23:00:00Z",
        "08:00 in Tokyo: {walk}"
    );
}

#[test]
fn a_time_the_clocks_skip_is_refused_by_the_flag_it_was_given_as() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("x.db");
    second_heart(&db)
        .args(["today", "--tz", "Europe/Berlin", "--at", "2026-03-29 02:30"])
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("invalid --at:")
                .and(predicate::str::contains("does not exist")),
        );
}

#[test]
fn a_flight_time_the_airport_clocks_skip_is_refused_by_its_flag() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("x.db");
    // Berlin's clocks go from 02:00 to 03:00 on 28 March 2027.
    second_heart(&db)
        .args([
            "flight",
            "plan",
            "--depart",
            "2027-03-28 02:30",
            "--from",
            "Europe/Berlin",
        ])
        .args(["--arrive", "09:00", "--to", "America/New_York"])
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("invalid --depart:").and(predicate::str::contains("skip")),
        );
    second_heart(&db)
        .args([
            "flight",
            "plan",
            "--depart",
            "2027-03-28 10:00",
            "--from",
            "Europe/Berlin",
        ])
        .args(["--arrive", "13:00", "--to", "Mars/Olympus"])
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("invalid arrival zone:")
                .and(predicate::str::contains("Mars/Olympus")),
        );
}

#[test]
fn a_file_that_is_not_a_database_is_named_in_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("holiday.db");
    std::fs::write(&db, "not a database at all, just some text".repeat(100)).expect("write");
    second_heart(&db)
        .args(["today"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("holiday.db").and(predicate::str::contains("damaged")));
}

#[test]
fn numbers_that_are_not_numbers_are_clear_errors_not_panics_or_hangs() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("nan.db");
    for (args, says) in [
        (
            &["devices", "--scan-seconds", "NaN", "forget", "SH-1"][..],
            "invalid --scan-seconds",
        ),
        (
            &["sync", "--sim", "--drift-ppm", "NaN"][..],
            "invalid --drift-ppm",
        ),
        (&["today", "--date", "+262142-12-31"][..], "years 1 to 9999"),
    ] {
        second_heart(&db)
            .args(args)
            .timeout(std::time::Duration::from_secs(60))
            .assert()
            .failure()
            .code(1)
            .stderr(predicate::str::contains(says));
    }
}

#[test]
fn an_unknown_time_zone_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    second_heart(&dir.path().join("x.db"))
        .args(["today", "--tz", "Europe/Atlantis"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "unknown time zone \"Europe/Atlantis\"",
        ));
}

#[test]
fn the_demo_runs_on_a_throwaway_database_and_prints_json() {
    let output = Command::cargo_bin("second-heart")
        .expect("binary")
        .args(["demo", "--json"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["walks"].as_array().map(Vec::len), Some(4));
    // 2,900 + 2,300 + 5,100 + half of the 4,000-step walk across midnight.
    assert_eq!(report["day_at_home"]["steps"], 12_300);
    // The calves pumped on those walks, and walking lowered ankle pressure.
    assert!(
        report["calves"]["pumped_ml"].as_f64() > Some(10_000.0),
        "{}",
        report["calves"]
    );
    assert!(
        report["calves"]["ankle_venous_pressure_walking_mmhg"].as_f64()
            < report["calves"]["ankle_venous_pressure_standing_mmhg"].as_f64()
    );
    // The sensor's day came in over two dropped links.
    assert!(report["sensor_sync"]["records_stored"].as_u64() > Some(800));
    assert!(report["sensor_sync"]["connections"].as_u64() >= Some(3));
}

fn example_script() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/examples/flight-day.json")
}

#[test]
fn the_simulated_sensor_records_a_minute_summary_per_minute_of_the_script() {
    let output = Command::cargo_bin("second-heart")
        .expect("binary")
        .args(["sensor", "simulate", "--json", "--script"])
        .arg(example_script())
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    // 30 + 25 + 60 + 1 + 690 + 20 + 15 minutes, and a few seconds of raises.
    let minutes = report["by_type"]["minute"].as_u64().expect("minute count");
    assert!((840..=842).contains(&minutes), "{minutes}");
    // One set of raises; ankle pumps on the half hours between the hourly walks.
    assert_eq!(report["by_type"]["exercise"], 12);
}

#[test]
fn a_simulated_sync_with_faults_stores_every_record_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("x.db");
    let output = second_heart(&db)
        .args([
            "sync",
            "--sim",
            "--json",
            "--mtu",
            "23",
            "--seed",
            "7",
            "--faults",
            "disconnect@3000,dup=0.05,corrupt=0.01",
            "--script",
        ])
        .arg(example_script())
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["gap_records"], 0);
    assert!(report["connections"].as_u64() >= Some(2));
    let serial = report["serial"].as_str().expect("serial");
    let conn = rusqlite::Connection::open(&db).expect("open");
    let (rows, distinct): (i64, i64) = conn
        .query_row(
            "SELECT count(*), count(DISTINCT seq) FROM sensor_record WHERE device_serial = ?1",
            [serial],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("count");
    assert_eq!(rows, distinct);
    assert_eq!(rows, report["records_stored"].as_i64().expect("count"));
}

#[test]
fn a_simulated_sync_without_db_leaves_the_user_s_database_alone() {
    // The user's own database (their data directory, here a temporary
    // home) is not where a made-up sensor day goes.
    let home = tempfile::tempdir().expect("home");
    let output = Command::cargo_bin("second-heart")
        .expect("binary is built")
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .args(["sync", "--sim", "--json", "--seed", "5", "--script"])
        .arg(example_script())
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert!(report["records_stored"].as_u64() > Some(0));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("throw-away database"),
        "{output:?}"
    );
    let databases: Vec<_> = walkdir(home.path())
        .into_iter()
        .filter(|path| path.extension().is_some_and(|e| e == "db"))
        .collect();
    assert!(databases.is_empty(), "{databases:?}");
}

/// Every file under `dir`.
fn walkdir(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walkdir(&path));
        } else {
            files.push(path);
        }
    }
    files
}

fn sim_sync(db: &std::path::Path, faults: &str) -> std::process::Output {
    second_heart(db)
        .args(["sync", "--sim", "--json", "--seed", "3", "--faults", faults])
        .arg("--script")
        .arg(example_script())
        .output()
        .expect("runs")
}

#[test]
fn the_simulated_sensor_run_twice_is_one_sensor_and_the_second_sync_fetches_only_what_is_new() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("x.db");
    let first = sim_sync(&db, "");
    assert!(first.status.success(), "{first:?}");
    let first: Value = serde_json::from_slice(&first.stdout).expect("JSON");
    let second = sim_sync(&db, "");
    assert!(second.status.success(), "{second:?}");
    let second: Value = serde_json::from_slice(&second.stdout).expect("JSON");
    assert_eq!(first["serial"], second["serial"]);
    let new = second["records_stored"].as_i64().expect("count");
    assert!((1..10).contains(&new), "the second sync fetched {new}");
    assert!(second["high_water"].as_i64() > first["high_water"].as_i64());
    let conn = rusqlite::Connection::open(&db).expect("open");
    let (rows, distinct, top): (i64, i64, i64) = conn
        .query_row(
            "SELECT count(*), count(DISTINCT seq), max(seq) FROM sensor_record WHERE device_serial = ?1",
            [second["serial"].as_str().expect("serial")],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .expect("count");
    assert_eq!(rows, distinct);
    assert_eq!(rows, top, "1..{top} without a hole");
    assert_eq!(rows, first["records_stored"].as_i64().expect("count") + new);
}

#[test]
fn a_sensor_whose_firmware_fails_after_the_clock_write_ends_the_sync_naming_what_it_did() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("x.db");
    for (faults, says) in [
        ("racp=garbage", "no RACP response"),
        ("racp=silent", "never answered the record request"),
        ("inflate=9000", "Status lists records up to"),
    ] {
        let output = sim_sync(&db, faults);
        assert!(!output.status.success(), "{faults}: {output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("gave up after 6 connections"),
            "{faults}: {stderr}"
        );
        assert!(stderr.contains(says), "{faults}: {stderr}");
    }
}

#[test]
fn a_bad_fault_spec_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    second_heart(&dir.path().join("x.db"))
        .args(["sync", "--sim", "--faults", "drop=7"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("a probability is between 0 and 1"));
}

#[test]
fn choosing_the_sensor_sessions_count_from_needs_no_radio_and_names_a_paired_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("x.db");
    // This machine has no Bluetooth: the choice is the database's alone.
    second_heart(&db)
        .args(["devices", "count-from", "SH-NOBODY"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no paired sensor SH-NOBODY"));
    let output = second_heart(&db)
        .args(["--json", "devices", "count-from", "--auto"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let said: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(said["sessions_count_from"], Value::Null);
    second_heart(&db)
        .args(["devices", "count-from", "SH-1", "--auto"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("cannot be used with"));

    // Two sensors paired, the right one synced last: it counts until the
    // left one is chosen (by its address, as `devices scan` showed it).
    {
        use second_heart_core::sensor::sim::{
            DayScript, LinkConfig, SensorConfig, SimSensor, pair,
        };
        let mut store = second_heart_core::Store::open(&db).expect("database");
        let start = chrono::Utc::now() - chrono::Duration::hours(10);
        for (hours, serial, address) in [
            (8, "SH-LEFT", "AA:00:00:00:00:01"),
            (9, "SH-RIGHT", "AA:00:00:00:00:02"),
        ] {
            let mut sensor = SimSensor::new(
                SensorConfig {
                    serial: serial.into(),
                    ..SensorConfig::default()
                },
                &DayScript::typical_day(start),
            );
            let at = start.timestamp_millis() + hours * 3_600_000;
            pair(&mut sensor, LinkConfig::phone(247), &mut store, at)
                .result
                .expect("synced");
            store.mark_paired(serial, address, at).expect("paired");
        }
    }
    let today = || {
        let output = second_heart(&db)
            .args(["today", "--tz", "UTC"])
            .output()
            .expect("runs");
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).expect("text")
    };
    let first_sensor = |shown: &str| {
        shown
            .lines()
            .find(|l| l.contains("sensor SH-"))
            .expect("a sensor line")
            .to_owned()
    };
    let first = first_sensor(&today());
    assert!(
        first.contains("SH-RIGHT") && first.ends_with("records, counts walks and sets"),
        "{first}"
    );
    let output = second_heart(&db)
        .args(["--json", "devices", "count-from", "aa:00:00:00:00:01"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let said: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(said["sessions_count_from"], "SH-LEFT");
    let first = first_sensor(&today());
    assert!(
        first.contains("SH-LEFT") && first.ends_with("counts walks and sets, as you chose"),
        "{first}"
    );
}

#[test]
fn a_reset_sensor_s_history_is_kept_and_it_syncs_afresh() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("x.db");
    second_heart(&db)
        .args(["devices", "accept-reset", "SH-NOBODY"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no paired sensor SH-NOBODY"));
    {
        use second_heart_core::sensor::sim::{
            DayScript, LinkConfig, SensorConfig, SimSensor, pair,
        };
        let mut store = second_heart_core::Store::open(&db).expect("database");
        let start = chrono::Utc::now() - chrono::Duration::hours(10);
        let mut sensor = SimSensor::new(SensorConfig::default(), &DayScript::typical_day(start));
        let at = start.timestamp_millis() + 8 * 3_600_000;
        pair(&mut sensor, LinkConfig::phone(247), &mut store, at)
            .result
            .expect("synced");
        store
            .mark_paired("SH-SIM-0001", "AA:00:00:00:00:01", at)
            .expect("paired");
    }
    let output = second_heart(&db)
        .args(["--json", "devices", "accept-reset", "aa:00:00:00:00:01"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let said: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(said["history_kept_as"], "SH-SIM-0001~1");
    let store = second_heart_core::Store::open(&db).expect("database");
    assert!(
        !store
            .sensor_records("SH-SIM-0001~1")
            .expect("kept")
            .is_empty()
    );
    assert_eq!(
        store
            .sensor_sync_state("SH-SIM-0001")
            .expect("state")
            .high_water,
        0,
        "its next sync starts from its first record"
    );
}

fn model_json(args: &[&str]) -> Value {
    let output = Command::cargo_bin("second-heart")
        .expect("binary")
        .arg("model")
        .args(args)
        .arg("--json")
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).expect("one JSON object")
}

fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value.as_object().expect("object").keys().cloned().collect();
    keys.sort();
    keys
}

#[test]
fn each_model_protocol_prints_exactly_its_documented_keys() {
    let cases: [(&[&str], &[&str]); 7] = [
        (
            &["standing"],
            &["sitting_avp_mmhg", "standing_avp_mmhg", "supine_avp_mmhg"],
        ),
        (
            &["apg"],
            &["ef_pct", "ev_ml", "rv_ml", "rvf_pct", "vfi_ml_s", "vv_ml"],
        ),
        (
            &["walk", "--speed-kmh", "4", "--minutes", "2"],
            &[
                "avp_drop_mmhg",
                "ejected_ml_per_step",
                "pumped_ml",
                "refill_time_s",
                "walking_avp_mmhg",
            ],
        ),
        (
            &["tiptoe", "--count", "10", "--rate-per-min", "30"],
            &["avp_after_mmhg", "refill_time_s"],
        ),
        (
            &[
                "ankle-pumps",
                "--rate-per-min",
                "30",
                "--minutes",
                "2",
                "--posture",
                "sitting",
            ],
            &[
                "femoral_velocity_exercise_cm_s",
                "femoral_velocity_rest_cm_s",
                "popliteal_velocity_exercise_cm_s",
                "popliteal_velocity_rest_cm_s",
                "refill_time_s",
            ],
        ),
        (
            &["plr", "--angle-deg", "45", "--minutes", "3"],
            &[
                "stroke_volume_change_end_pct",
                "stroke_volume_change_peak_pct",
                "volume_shift_ml",
            ],
        ),
        (
            &[
                "sit",
                "--hours",
                "1",
                "--break-every-min",
                "30",
                "--break",
                "calf-raises",
            ],
            &[
                "leg_volume_change_ml",
                "leg_volume_change_pct",
                "pumped_ml",
                "stasis_minutes",
            ],
        ),
    ];
    for (args, expected) in cases {
        let value = model_json(args);
        assert_eq!(
            keys(&value),
            expected.iter().map(|k| k.to_string()).collect::<Vec<_>>(),
            "{args:?}"
        );
    }
}

#[test]
fn model_options_change_the_physiology() {
    let healthy = model_json(&["walk", "--minutes", "2"]);
    let reflux = model_json(&["walk", "--minutes", "2", "--valves", "superficial-reflux"]);
    assert!(reflux["walking_avp_mmhg"].as_f64() > healthy["walking_avp_mmhg"].as_f64());
    let tall = model_json(&["standing", "--height-cm", "195"]);
    let short = model_json(&["standing", "--height-cm", "155"]);
    assert!(tall["standing_avp_mmhg"].as_f64() > short["standing_avp_mmhg"].as_f64());
}

#[test]
fn the_model_writes_a_series_and_a_chart_and_runs_scenarios() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("walk.csv");
    let svg = dir.path().join("walk.svg");
    Command::cargo_bin("second-heart")
        .expect("binary")
        .args(["model", "walk", "--minutes", "1", "--series"])
        .arg(&csv)
        .arg("--plot")
        .arg(&svg)
        .assert()
        .success();
    let text = std::fs::read_to_string(&csv).expect("series written");
    assert!(
        text.starts_with("t_s,muscle_mmhg,ankle_venous_pressure_mmhg"),
        "{}",
        &text[..80]
    );
    assert!(text.lines().count() > 1000);
    let chart = std::fs::read_to_string(&svg).expect("chart written");
    assert!(chart.contains("<svg") && chart.contains("Ankle venous pressure"));

    let scenario =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/examples/scenario-day.json");
    let output = Command::cargo_bin("second-heart")
        .expect("binary")
        .args(["model", "run", "--json"])
        .arg(scenario)
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let totals: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert!(totals["steps"].as_u64() > Some(1000), "{totals}");
    assert!(totals["pumped_ml"].as_f64() > Some(1000.0));
}

#[test]
fn impossible_model_settings_fail_with_a_clear_message() {
    let fail = |args: &[&str], message: &str| {
        Command::cargo_bin("second-heart")
            .expect("binary")
            .arg("model")
            .args(args)
            .assert()
            .failure()
            .stderr(predicate::str::contains(message));
    };
    fail(&["walk", "--speed-kmh", "40"], "speed 0.5–8 km/h");
    fail(&["standing", "--height-cm", "60"], "120 to 220 cm");
    fail(&["sit", "--compression-mmhg", "120"], "0 to 60 mmHg");
    fail(&["walk", "--plot", "chart.gif"], ".png or .svg");
}

/// A synthetic ankle recording as the IMU CSV format.
fn imu_csv(path: &std::path::Path) {
    use second_heart_core::activity::synth::{SynthPart, SynthSensor, SyntheticRecording};
    use std::fmt::Write;
    let parts = [
        SynthPart::Stand { seconds: 5.0 },
        SynthPart::Walk {
            strides: 40,
            speed_kmh: 4.5,
        },
        SynthPart::Stand { seconds: 10.0 },
        SynthPart::CalfRaises {
            reps: 10,
            hold_s: 1.0,
            rest_s: 1.0,
        },
        SynthPart::Sit {
            seconds: 30.0,
            tilt_deg: 10.0,
        },
        SynthPart::AnklePumps {
            count: 20,
            rate_per_min: 30.0,
        },
        SynthPart::Sit {
            seconds: 10.0,
            tilt_deg: 10.0,
        },
    ];
    let mut csv = String::from("t_s,ax,ay,az,gx,gy,gz\n");
    for s in SyntheticRecording::new(&parts, SynthSensor::default()) {
        let [ax, ay, az] = s.acc;
        let [gx, gy, gz] = s.gyr;
        writeln!(
            csv,
            "{:.3},{ax:.4},{ay:.4},{az:.4},{gx:.3},{gy:.3},{gz:.3}",
            s.t_s
        )
        .expect("test data");
    }
    std::fs::write(path, csv).expect("test data");
}

#[test]
fn detect_finds_what_the_recording_holds_and_feeds_the_model() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (db, imu, scenario) = (
        dir.path().join("x.db"),
        dir.path().join("day.csv"),
        dir.path().join("day.json"),
    );
    imu_csv(&imu);
    let output = second_heart(&db)
        .arg("detect")
        .arg("--imu")
        .arg(&imu)
        .arg("--scenario")
        .arg(&scenario)
        .arg("--json")
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let found: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(found["steps"], 80);
    assert_eq!(found["calf_raises"], 10);
    assert!(
        found["ankle_pumps"]
            .as_u64()
            .expect("test data")
            .abs_diff(20)
            <= 1,
        "{found}"
    );
    assert!((found["cadence_spm"].as_f64().expect("test data") - 105.0).abs() < 3.0);
    assert!(
        found["posture"]
            .as_array()
            .expect("test data")
            .iter()
            .any(|p| p["posture"] == "sitting")
    );
    assert!(
        found["events"]
            .as_array()
            .expect("test data")
            .iter()
            .any(|e| e["kind"] == "walking_bout")
    );
    // The scenario runs through the pump model, for the legs `model run`
    // is told of: the file holds the day only.
    let run = |extra: &[&str]| -> Value {
        let model = second_heart(&db)
            .args(["model", "run"])
            .arg(&scenario)
            .args(extra)
            .arg("--json")
            .output()
            .expect("runs");
        assert!(model.status.success(), "{model:?}");
        serde_json::from_slice(&model.stdout).expect("JSON")
    };
    let written: Value =
        serde_json::from_slice(&std::fs::read(&scenario).expect("written")).expect("JSON");
    assert!(written.get("person").is_none(), "{written}");
    let average = run(&[]);
    assert!(average.to_string().contains("pumped_ml"), "{average}");
    let stockinged = run(&["--compression-mmhg", "20"]);
    assert!(
        stockinged["final_calf_tissue_excess_ml"].as_f64()
            < average["final_calf_tissue_excess_ml"].as_f64(),
        "{stockinged} vs {average}"
    );
    // For people: a readable table, with every step's time when asked.
    second_heart(&db)
        .arg("detect")
        .arg("--imu")
        .arg(&imu)
        .arg("--step-times")
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Calf raises: 10")
                .and(predicate::str::contains("walk: 80 steps"))
                .and(predicate::str::contains("Step times, s: ")),
        );
}

#[test]
fn detect_says_which_line_of_a_bad_file_is_wrong() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (db, imu) = (dir.path().join("x.db"), dir.path().join("bad.csv"));
    std::fs::write(
        &imu,
        "t_s,ax,ay,az,gx,gy,gz\n0,0,0,9.8,0,0,0\n0.01,0,0,nine,0,0,0\n",
    )
    .expect("test data");
    second_heart(&db)
        .arg("detect")
        .arg("--imu")
        .arg(&imu)
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("line 3")
                .and(predicate::str::contains("\"nine\" is not a number")),
        );
}

#[test]
fn a_closed_pipe_ends_the_program_quietly() {
    // `second-heart model walk --json | head -c0`: the reader has gone
    // before anything is written.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_second-heart"))
        .args(["model", "walk", "--minutes", "1", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("starts");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{:?}: {stderr}", output.status);
    assert!(stderr.is_empty(), "{stderr}");
}
