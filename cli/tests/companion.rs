//! The companion commands end to end: sessions, drinks, flights, reminders,
//! history, export and delete-all, through the real binary and database.

use assert_cmd::Command;
use serde_json::Value;

fn second_heart(db: &std::path::Path) -> Command {
    let mut command = Command::cargo_bin("second-heart").expect("binary is built");
    command.arg("--db").arg(db);
    command
}

fn json(db: &std::path::Path, args: &[&str]) -> Value {
    let output = second_heart(db)
        .arg("--json")
        .args(args)
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON")
}

const TZ: [&str; 2] = ["--tz", "Europe/Berlin"];

fn at(time: &str) -> Vec<&str> {
    let mut args = TZ.to_vec();
    args.extend(["--at", time]);
    args
}

#[test]
fn a_calf_raise_set_is_counted_rep_by_rep_and_lands_in_today() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("sh.db");
    json(
        &db,
        &[&["set", "start"][..], &at("2026-11-21 10:00")].concat(),
    );
    let short = json(
        &db,
        &[
            &["set", "rep", "--hold-s", "0.3"][..],
            &at("2026-11-21 10:00"),
        ]
        .concat(),
    );
    assert_eq!(short["progress"]["feedback"][0]["feedback"], "hold_longer");
    for _ in 0..19 {
        json(
            &db,
            &[
                &["set", "rep", "--hold-s", "1.2"][..],
                &at("2026-11-21 10:01"),
            ]
            .concat(),
        );
    }
    let done = json(
        &db,
        &[&["set", "finish"][..], &at("2026-11-21 10:02")].concat(),
    );
    assert_eq!(done["outcome"]["target_met"], true);
    assert_eq!(done["outcome"]["progress"]["short_holds"], 1);
    let today = json(
        &db,
        &["today", "--tz", "Europe/Berlin", "--date", "2026-11-21"],
    );
    assert_eq!(today["calf_raise_sets"], 1);
    // Nothing running now: a second finish is a clear error.
    let output = second_heart(&db)
        .args([&["set", "finish"][..], &at("2026-11-21 10:03")].concat())
        .output()
        .expect("runs");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("no session is running"));
}

#[test]
fn leg_elevation_will_not_start_before_the_safety_questions() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("sh.db");
    let output = second_heart(&db)
        .args(["elevate", "start"])
        .output()
        .expect("runs");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--checked"));
    let output = second_heart(&db)
        .args(["elevate", "start", "--unwell"])
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&output.stderr).contains("call for medical help"));
    let started = json(
        &db,
        &[
            &["elevate", "start", "--checked", "--minutes", "20"][..],
            &at("2026-11-21 20:00"),
        ]
        .concat(),
    );
    assert_eq!(started["progress"]["remaining_s"], 1200.0);
}

#[test]
fn a_flight_plan_prints_risk_advice_and_a_schedule_in_both_zones() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("sh.db");
    let plan = json(
        &db,
        &[
            "flight",
            "plan",
            "--depart",
            "2026-11-21 10:00",
            "--from",
            "Europe/Berlin",
            "--arrive",
            "2026-11-21 13:15",
            "--to",
            "America/Los_Angeles",
            "--seat",
            "window",
            "--risk",
            "previous-clot",
            "--sleep",
            "02:00-06:00",
        ],
    );
    assert_eq!(plan["risk"]["category"], "substantially_increased");
    assert_eq!(plan["risk"]["talk_to_doctor"], true);
    let items = plan["schedule"].as_array().expect("schedule");
    assert_eq!(
        items.last().expect("items")["arrival_local"],
        "2026-11-21 13:15"
    );
    assert!(items.iter().any(|i| i["kind"] == "sleep_start"));
}

#[test]
fn reminders_history_export_and_delete_all() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("sh.db");
    json(
        &db,
        &[&["walk", "start"][..], &at("2026-11-20 08:00")].concat(),
    );
    json(
        &db,
        &[&["walk", "steps", "3300"][..], &at("2026-11-20 08:30")].concat(),
    );
    json(
        &db,
        &[&["walk", "finish"][..], &at("2026-11-20 08:30")].concat(),
    );
    json(
        &db,
        &[&["drink", "400"][..], &at("2026-11-21 09:00")].concat(),
    );
    let reminder = json(
        &db,
        &[&["remind", "next"][..], &at("2026-11-21 09:00")].concat(),
    );
    assert!(reminder["due_at"].is_string(), "{reminder}");
    let chart = dir.path().join("history.png");
    let history = json(
        &db,
        &[
            &[
                "history",
                "--days",
                "7",
                "--chart",
                chart.to_str().expect("path"),
            ][..],
            &at("2026-11-21 12:00"),
        ]
        .concat(),
    );
    assert_eq!(history["periods"].as_array().map(Vec::len), Some(7));
    assert_eq!(history["periods"][5]["steps"], 3300);
    assert!(std::fs::metadata(&chart).expect("chart").len() > 1000);

    for (format, file) in [
        ("fhir", "bundle.json"),
        ("json", "export.json"),
        ("csv", "days.csv"),
    ] {
        let path = dir.path().join(file);
        json(
            &db,
            &[
                &[
                    "export",
                    "--format",
                    format,
                    "--out",
                    path.to_str().expect("path"),
                ][..],
                &at("2026-11-21 12:00"),
            ]
            .concat(),
        );
        assert!(std::fs::read_to_string(&path).expect("written").len() > 100);
        // The run-all script validates these with PyPI's FHIR and JSON Schema validators.
        if let Ok(keep) = std::env::var("SECOND_HEART_EXPORT_DIR") {
            std::fs::copy(&path, std::path::Path::new(&keep).join(file)).expect("keep");
        }
    }

    let refused = second_heart(&db)
        .args(["delete-all"])
        .output()
        .expect("runs");
    assert!(!refused.status.success());
    json(&db, &["delete-all", "--yes"]);
    let today = json(
        &db,
        &["today", "--tz", "Europe/Berlin", "--date", "2026-11-20"],
    );
    assert_eq!(today["steps"], 0);
}

#[test]
fn backup_restore_and_a_step_import_through_the_binary() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("sh.db");
    json(
        &db,
        &[&["drink", "400"][..], &at("2026-11-21 09:00")].concat(),
    );
    let backup = dir.path().join("backup.sh");
    let written = json(&db, &["backup", "--out", backup.to_str().expect("path")]);
    assert!(written["bytes"].as_u64().expect("bytes") > 0);

    // A new phone: restoring into an empty database needs no --yes.
    let fresh = dir.path().join("new.db");
    json(&fresh, &["restore", backup.to_str().expect("path")]);
    let day = |db: &std::path::Path| {
        json(
            db,
            &["today", "--tz", "Europe/Berlin", "--date", "2026-11-21"],
        )
    };
    assert_eq!(day(&fresh)["hydration_ml"], 400);
    // Over data it does.
    json(
        &fresh,
        &[&["drink", "250"][..], &at("2026-11-21 10:00")].concat(),
    );
    let refused = second_heart(&fresh)
        .args(["restore", backup.to_str().expect("path")])
        .output()
        .expect("runs");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--yes"));
    assert_eq!(day(&fresh)["hydration_ml"], 650);
    json(
        &fresh,
        &["restore", backup.to_str().expect("path"), "--yes"],
    );
    assert_eq!(day(&fresh)["hydration_ml"], 400);

    let steps = dir.path().join("pedometer.csv");
    std::fs::write(&steps, "Date,Steps\n2026-11-20,7200\n2026-11-21,1500\n").expect("csv");
    let import = [
        &["import", "steps", steps.to_str().expect("path")][..],
        &at("2026-11-22 12:00"),
    ]
    .concat();
    let first = json(&db, &import);
    assert_eq!(
        (first["added"].as_u64(), first["days"].as_u64()),
        (Some(2), Some(2))
    );
    let again = json(&db, &import);
    assert_eq!(again["unchanged"], 2);
    let imported = json(
        &db,
        &["today", "--tz", "Europe/Berlin", "--date", "2026-11-20"],
    );
    assert_eq!(
        (
            imported["steps"].as_u64(),
            imported["imported_steps"].as_u64()
        ),
        (Some(7200), Some(7200))
    );

    let junk = dir.path().join("junk.csv");
    std::fs::write(&junk, "2026-11-20,lots\n").expect("junk");
    let refused = second_heart(&db)
        .args(["import", "steps", junk.to_str().expect("path")])
        .output()
        .expect("runs");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("line 1"));
}
