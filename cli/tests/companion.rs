//! The companion commands end to end: sessions, drinks, flights, reminders,
//! history, export and delete-all, through the real binary and database.

mod common;

use common::{at, json, second_heart};

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
    assert_eq!(today["summary"]["calf_raise_sets"], 1);
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
fn a_started_flight_can_be_cancelled_and_a_landed_one_is_not_started() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("sh.db");
    let trip = |depart: &'static str| {
        vec![
            "flight",
            "start",
            "--depart",
            depart,
            "--from",
            "Europe/Berlin",
            "--hours",
            "12",
            "--to",
            "America/Los_Angeles",
        ]
    };
    // A month typed wrong: refused, with the landing it read.
    let output = second_heart(&db)
        .args(trip("2026-10-21 10:00"))
        .args(at("2026-11-21 08:00"))
        .output()
        .expect("runs");
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("landed already, at 2026-10-21 13:00"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    json(
        &db,
        &[&trip("2026-11-21 10:00")[..], &at("2026-11-21 08:00")].concat(),
    );
    // Asked first: without --yes the flight is named and stays.
    let asked = second_heart(&db)
        .args([&["flight", "cancel"][..], &at("2026-11-21 08:04")].concat())
        .output()
        .expect("runs");
    assert!(!asked.status.success());
    let said = String::from_utf8_lossy(&asked.stderr);
    assert!(
        said.contains(
            "this cancels the flight Europe/Berlin → America/Los_Angeles leaving Sat 21 Nov 10:00"
        ) && said.contains("--yes"),
        "{said}"
    );
    let cancelled = json(
        &db,
        &[&["flight", "cancel", "--yes"][..], &at("2026-11-21 08:05")].concat(),
    );
    assert_eq!(cancelled["request"]["arrival_zone"], "America/Los_Angeles");
    let output = second_heart(&db)
        .args([&["flight", "cancel", "--yes"][..], &at("2026-11-21 08:06")].concat())
        .output()
        .expect("runs");
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("No started flight to cancel"));
}

#[test]
fn a_weight_typed_wrong_can_be_taken_away() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("sh.db");
    let set = json(
        &db,
        &[
            &["profile", "set", "--weight-kg", "180", "--abi", "0.7"][..],
            &at("2026-11-21 12:00"),
        ]
        .concat(),
    );
    assert_eq!(set["weight_kg"], 180.0);
    let cleared = json(
        &db,
        &[
            &["profile", "set", "--clear", "weight,abi"][..],
            &at("2026-11-21 12:01"),
        ]
        .concat(),
    );
    assert!(cleared["weight_kg"].is_null(), "{cleared}");
    // Sex sets the legs' proportions; it had no option here.
    let female = json(
        &db,
        &[
            &["profile", "set", "--sex", "female"][..],
            &at("2026-11-21 12:02"),
        ]
        .concat(),
    );
    assert_eq!(female["sex"], "female", "{female}");
    assert!(
        cleared["compression_cautions"]["ankle_brachial_index"].is_null(),
        "{cleared}"
    );
}

#[test]
fn a_walk_logged_on_the_wrong_day_is_listed_with_its_id_and_deleted() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("sh.db");
    let when = at("2026-11-21 12:00");
    let logged = json(
        &db,
        &[
            &["walk", "log", "--minutes", "30", "--steps", "3000"][..],
            &when,
        ]
        .concat(),
    );
    assert_eq!(logged["by_hand"], true, "{logged}");
    let id = logged["id"].to_string();
    let list = |db: &std::path::Path| -> String {
        let output = second_heart(db)
            .args([&["walk", "list"][..], &when].concat())
            .output()
            .expect("runs");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    assert!(
        list(&db).starts_with(&format!("{id}. a 30 min walk with 3,000 steps")),
        "{}",
        list(&db)
    );
    // Asked first: without --yes nothing is deleted.
    let asked = second_heart(&db)
        .args([&["walk", "delete", &id][..], &when].concat())
        .output()
        .expect("runs");
    assert!(!asked.status.success());
    let said = String::from_utf8_lossy(&asked.stderr);
    assert!(
        said.contains("this deletes a 30 min walk with 3,000 steps")
            && said.contains("add --yes to confirm"),
        "{said}"
    );
    // An id the log does not hold is said at once, not after --yes.
    let unknown = second_heart(&db)
        .args([&["walk", "delete", "999"][..], &when].concat())
        .output()
        .expect("runs");
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("holds no walk 999"),
        "{unknown:?}"
    );
    assert!(list(&db).starts_with(&format!("{id}. a 30 min walk")));
    let output = second_heart(&db)
        .args([&["walk", "delete", &id, "--yes"][..], &when].concat())
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    assert!(
        String::from_utf8_lossy(&output.stdout).starts_with("Deleted a 30 min walk"),
        "{output:?}"
    );
    assert!(
        list(&db).starts_with("No walks on Sat 21 Nov 2026"),
        "{}",
        list(&db)
    );
    let today = json(&db, &[&["today"][..], &when].concat());
    assert_eq!(today["summary"]["steps"], 0, "{today}");
    // A second time there is nothing to delete.
    let again = second_heart(&db)
        .args([&["walk", "delete", &id, "--yes"][..], &when].concat())
        .output()
        .expect("runs");
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("holds no walk"),
        "{again:?}"
    );
}

#[test]
fn a_landing_typed_without_a_date_is_the_first_such_time_after_take_off() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("sh.db");
    // Overnight: leaves Berlin at 23:30 on the 21st, lands in New York at
    // 07:00 on the 22nd, not at 07:00 on the 21st (before it left).
    let plan = json(
        &db,
        &[
            "flight",
            "plan",
            "--depart",
            "2026-11-21 23:30",
            "--from",
            "Europe/Berlin",
            "--arrive",
            "07:00",
            "--to",
            "America/New_York",
        ],
    );
    let items = plan["schedule"].as_array().expect("schedule");
    assert_eq!(
        items.last().expect("items")["arrival_local"],
        "2026-11-22 07:00"
    );
    // The night London's clocks go forward: the next calendar date there,
    // not 24 hours on (which would be the day after).
    let plan = json(
        &db,
        &[
            "flight",
            "plan",
            "--depart",
            "2026-03-28 19:30",
            "--from",
            "America/New_York",
            "--arrive",
            "07:30",
            "--to",
            "Europe/London",
        ],
    );
    let items = plan["schedule"].as_array().expect("schedule");
    assert_eq!(
        items.last().expect("items")["arrival_local"],
        "2026-03-29 07:30"
    );
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

    // Without --out: the name the apps offer, in the current folder.
    let here = tempfile::tempdir().expect("folder");
    let output = second_heart(&db)
        .current_dir(here.path())
        .args(["--json", "export", "--format", "csv", "--table", "sessions"])
        .args(at("2026-11-21 12:00"))
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let said: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let name = "second-heart-sessions-2026-10-23-to-2026-11-21.csv";
    assert_eq!(said["file"], name);
    let files: Vec<_> = std::fs::read_dir(here.path())
        .expect("listed")
        .map(|entry| entry.expect("entry").file_name())
        .collect();
    assert_eq!(files, [name], "the export alone, nothing temporary left");

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
    assert_eq!(today["summary"]["steps"], 0);
}

/// `flight plan` from Berlin at 10:00 on Saturday 21 November to Los
/// Angeles, with `more` (the landing or the flight time, risks), as printed.
fn plan_from_berlin(more: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("dir");
    let output = second_heart(&dir.path().join("sh.db"))
        .args([
            "flight",
            "plan",
            "--depart",
            "2026-11-21 10:00",
            "--from",
            "Europe/Berlin",
            "--to",
            "America/Los_Angeles",
        ])
        .args(more)
        .output()
        .expect("runs");
    assert!(output.status.success());
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_flight_plan_names_its_risk_in_words_not_a_rust_enum() {
    let text = plan_from_berlin(&["--hours", "11", "--risk", "previous-clot"]);
    assert!(
        text.contains("Risk check: substantially increased risk: talk to a doctor"),
        "{text}"
    );
    assert!(!text.contains("SubstantiallyIncreased"), "{text}");
}

#[test]
fn a_flight_header_writes_its_length_in_hours_and_minutes() {
    // As the apps' headers write it: 11 h, and 13:15 in Los Angeles, 22:15
    // in Berlin, 12 h 15 min (not "12.2 h").
    let text = plan_from_berlin(&["--hours", "11"]);
    assert!(
        text.contains(
            "Europe/Berlin → America/Los_Angeles: 11 h (Sat 21 Nov 10:00 to Sat 21 Nov 12:00)"
        ),
        "{text}"
    );
    let text = plan_from_berlin(&["--arrive", "2026-11-21 13:15"]);
    assert!(
        text.contains(": 12 h 15 min (Sat 21 Nov 10:00 to Sat 21 Nov 13:15)"),
        "{text}"
    );
}

#[test]
fn stockings_left_on_overnight_show_their_day_and_come_off_at_the_time_given() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("sh.db");
    json(
        &db,
        &[&["wear", "on"][..], &at("2026-11-20 08:30")].concat(),
    );
    let today = |time: &str| today_text(&db, time);
    let morning = today("2026-11-21 09:00");
    assert!(
        morning.contains(
            "stockings on since 08:30 on Fri 20 Nov (20 mmHg); came off earlier? `wear off --at \"2026-11-20 HH:MM\"`"
        ),
        "{morning}"
    );
    let json_view = json(&db, &[&["today"][..], &at("2026-11-21 09:00")].concat());
    assert_eq!(json_view["compression_since_earlier_day"], "2026-11-20");
    // Before they went on (the hint's day, a time of the next morning): refused, nothing changes.
    let refused = second_heart(&db)
        .args([&["wear", "off"][..], &at("2026-11-20 07:30")].concat())
        .output()
        .expect("runs");
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("after they went on"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let still = json(&db, &[&["today"][..], &at("2026-11-21 09:01")].concat());
    assert_eq!(still["compression"]["mmhg"], 20);
    json(
        &db,
        &[&["wear", "off"][..], &at("2026-11-20 22:15")].concat(),
    );
    let after = json(&db, &[&["today"][..], &at("2026-11-21 09:05")].concat());
    assert_eq!(after["compression"], serde_json::Value::Null);
    assert_eq!(after["summary"]["compression_minutes"], 0);
}

#[test]
fn stockings_cannot_be_said_to_come_off_later_than_now() {
    // On an hour ago; "off" two hours from now is refused as the apps
    // refuse it, not taken for now, and the stockings stay on.
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("sh.db");
    json(&db, &["wear", "on", "--at", &hours_from_now(-1)]);
    let later = second_heart(&db)
        .args(["wear", "off", "--at", &hours_from_now(2)])
        .output()
        .expect("runs");
    assert!(!later.status.success());
    let said = String::from_utf8_lossy(&later.stderr);
    assert!(said.contains("later than now"), "{said}");
    let today = json(&db, &["today"]);
    assert_eq!(today["compression"]["mmhg"], 20, "still on");
}

/// The real now `hours` from now, as RFC 3339 for `--at` (the tests of a
/// time told afterwards need the real clock: the app checks against it).
fn hours_from_now(hours: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::hours(hours))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// `wear off`, told with `--tz Asia/Tokyo` of an hour ago.
fn off_an_hour_ago_in_tokyo(db: &std::path::Path) -> std::process::Output {
    second_heart(db)
        .args([
            "wear",
            "off",
            "--tz",
            "Asia/Tokyo",
            "--at",
            &hours_from_now(-1),
        ])
        .output()
        .expect("runs")
}

/// What `today` prints at `time` (Berlin).
fn today_text(db: &std::path::Path, time: &str) -> String {
    let output = second_heart(db)
        .args([&["today"][..], &at(time)].concat())
        .output()
        .expect("runs");
    assert!(output.status.success());
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn today_names_the_next_break_s_day_and_hides_it_while_a_walk_runs() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("sh.db");
    let today = |time: &str| today_text(&db, time);
    // Late in the evening the next break is past the night, as both apps say.
    let late = today("2026-11-21 23:30");
    assert!(late.contains("next break 07:45 tomorrow: "), "{late}");
    json(
        &db,
        &[&["walk", "start"][..], &at("2026-11-21 23:31")].concat(),
    );
    let walking = today("2026-11-21 23:32");
    assert!(!walking.contains("next break"), "{walking}");
}

#[test]
fn a_set_command_leaves_a_walk_alone() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("sh.db");
    json(
        &db,
        &[&["walk", "start"][..], &at("2026-11-21 12:00")].concat(),
    );
    let refused = second_heart(&db)
        .args([&["set", "abandon"][..], &at("2026-11-21 12:10")].concat())
        .output()
        .expect("runs");
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("a walk is under way") && said.contains("`second-heart walk abandon`"),
        "{said}"
    );
    let status = json(
        &db,
        &[&["walk", "status"][..], &at("2026-11-21 12:11")].concat(),
    );
    assert_eq!(status["progress"]["state"], "active", "{status}");
    json(
        &db,
        &[&["walk", "finish"][..], &at("2026-11-21 12:12")].concat(),
    );
}

#[test]
fn stockings_told_off_in_another_zone_note_no_move() {
    // `--tz` reads the time typed; it does not move the user there now.
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("sh.db");
    json(
        &db,
        &[
            "wear",
            "on",
            "--tz",
            "Europe/Berlin",
            "--at",
            &hours_from_now(-5),
        ],
    );
    assert!(off_an_hour_ago_in_tokyo(&db).status.success());
    let today = json(&db, &["today", "--tz", "Europe/Berlin"]);
    assert_eq!(
        today["time_zones"],
        serde_json::json!(["Europe/Berlin"]),
        "{today}"
    );
}

#[test]
fn stockings_told_off_on_a_new_database_note_no_utc() {
    // Nothing noted yet: the refusal (none are on) leaves the zone typed,
    // not UTC, as the first zone the days are dated by.
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("sh.db");
    assert!(!off_an_hour_ago_in_tokyo(&db).status.success());
    let today = json(&db, &["today", "--tz", "Asia/Tokyo"]);
    assert_eq!(
        today["time_zones"],
        serde_json::json!(["Asia/Tokyo"]),
        "{today}"
    );
}

#[test]
fn every_companion_command_takes_at_and_tz_alike() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("sh.db");
    let commands: [&[&str]; 17] = [
        &["walk", "log", "--minutes", "20", "--steps", "2000"],
        &["walk", "list"],
        &["walk", "start"],
        &["walk", "steps", "100"],
        &["walk", "finish"],
        &["set", "start"],
        &["set", "abandon"],
        &["elevate", "start", "--checked"],
        &["elevate", "status"],
        &["wear", "on"],
        &["drink", "250"],
        &["remind", "next"],
        &["remind", "upcoming"],
        &["history"],
        &["profile", "show"],
        &["profile", "set", "--steps-goal", "8000"],
        &["today"],
    ];
    for command in commands {
        json(&db, &[command, &at("2026-11-21 12:00")[..]].concat());
    }
    let today = json(&db, &[&["today"][..], &at("2026-11-21 12:30")].concat());
    assert_eq!(today["date"], "2026-11-21");
    assert_eq!(today["time_zones"], serde_json::json!(["Europe/Berlin"]));
    assert_eq!(today["compression"]["mmhg"], 20);
    assert_eq!(today["session"]["kind"], "leg_elevation");
    let export = dir.path().join("days.csv");
    json(
        &db,
        &[
            &[
                "export",
                "--format",
                "csv",
                "--out",
                export.to_str().expect("path"),
            ][..],
            &at("2026-11-21 12:30"),
        ]
        .concat(),
    );
    json(
        &db,
        &[&["delete-all", "--yes"][..], &at("2026-11-21 13:00")].concat(),
    );
}

#[test]
fn upcoming_reminders_come_in_order_and_fall_silent_until_the_morning() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("sh.db");
    json(
        &db,
        &[
            &["walk", "log", "--minutes", "10", "--steps", "1000"][..],
            &at("2026-11-21 09:00"),
        ]
        .concat(),
    );
    let upcoming = json(
        &db,
        &[
            &["remind", "upcoming", "--count", "4"][..],
            &at("2026-11-21 09:05"),
        ]
        .concat(),
    );
    let due: Vec<&str> = upcoming
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|r| r["due_at"].as_str())
        .collect();
    // 45 minutes after the walk, then two follow-ups 15 minutes apart,
    // then silence until 07:45 the next morning (06:45 UTC).
    assert_eq!(
        due,
        [
            "2026-11-21T08:45:00Z",
            "2026-11-21T09:00:00Z",
            "2026-11-21T09:15:00Z",
            "2026-11-22T06:45:00Z"
        ]
    );
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
    assert_eq!(day(&fresh)["summary"]["hydration_ml"], 400);
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
    assert_eq!(day(&fresh)["summary"]["hydration_ml"], 650);
    json(
        &fresh,
        &["restore", backup.to_str().expect("path"), "--yes"],
    );
    assert_eq!(day(&fresh)["summary"]["hydration_ml"], 400);

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
            imported["summary"]["steps"].as_u64(),
            imported["summary"]["imported_steps"].as_u64()
        ),
        (Some(7200), Some(7200))
    );
    // The history marks the days whose steps came from the file.
    let history = second_heart(&db)
        .args([&["history", "--days", "3"][..], &at("2026-11-22 12:00")].concat())
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&history.stdout);
    assert!(history.status.success(), "{text}");
    let row = |day: &str| {
        text.lines()
            .find(|l| l.starts_with(day))
            .unwrap_or_default()
            .to_owned()
    };
    assert!(row("Fri 20 Nov").contains("7,200*"), "{text}");
    assert!(row("Sat 21 Nov").contains("1,500*"), "{text}");
    assert!(!row("Sun 22 Nov").contains('*'), "{text}");
    assert!(
        text.contains("* Includes 8,700 steps imported from a file."),
        "{text}"
    );
    // The apps' average day: over the two days recorded, today left out;
    // imported totals hold no minutes to average.
    assert!(
        text.contains("A day on average over 2 days: 4,350 steps, 28.7 L pumped."),
        "{text}"
    );
    assert!(!text.contains("whose minutes were recorded"), "{text}");

    let junk = dir.path().join("junk.csv");
    std::fs::write(&junk, "2026-11-20,lots\n").expect("junk");
    let refused = second_heart(&db)
        .args(["import", "steps", junk.to_str().expect("path")])
        .output()
        .expect("runs");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("line 1"));
}
