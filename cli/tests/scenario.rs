//! The Today scenario of tests/scenarios/today-scenario.md through the CLI:
//! the Kotlin test runs the same steps through the bindings and must see
//! the same numbers.

mod common;

use common::{at, json};
use serde_json::Value;

/// Runs `second-heart --json <args>` at `hh_mm` on 2026-11-21 in Berlin.
fn step(db: &std::path::Path, hh_mm: &str, args: &[&str]) -> Value {
    let time = format!("2026-11-21 {hh_mm}");
    json(db, &[args, &at(&time)[..]].concat())
}

/// The ring of `kind` in a Today view.
fn ring<'a>(today: &'a Value, kind: &str) -> &'a Value {
    today["rings"]
        .as_array()
        .and_then(|rings| rings.iter().find(|ring| ring["kind"] == kind))
        .unwrap_or_else(|| panic!("no {kind} ring in {today}"))
}

#[test]
fn the_today_scenario_shows_the_documented_numbers() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("scenario.db");
    step(
        &db,
        "08:30",
        &[
            "walk",
            "log",
            "--minutes",
            "30",
            "--steps",
            "3200",
            "--start",
            "2026-11-21 08:00",
        ],
    );
    step(&db, "09:00", &["set", "start"]);
    for _ in 0..20 {
        step(&db, "09:01", &["set", "rep", "--hold-s", "1.2"]);
    }
    let set = step(&db, "09:02", &["set", "finish"]);
    assert_eq!(set["outcome"]["target_met"], true);
    step(&db, "10:00", &["drink", "250"]);
    step(&db, "14:00", &["drink", "250"]);

    let today = step(&db, "18:00", &["today"]);
    assert_eq!(today["date"], "2026-11-21");
    assert_eq!(today["time_zones"], serde_json::json!(["Europe/Berlin"]));
    let kinds: Vec<&str> = today["rings"]
        .as_array()
        .expect("rings")
        .iter()
        .filter_map(|ring| ring["kind"].as_str())
        .collect();
    assert_eq!(
        kinds,
        [
            "steps",
            "active_minutes",
            "pumped_litres",
            "exercise_sets",
            "hydration"
        ]
    );
    let steps = ring(&today, "steps");
    assert_eq!(
        (steps["value"].as_f64(), steps["met"].as_bool()),
        (Some(3200.0), Some(false))
    );
    let active = ring(&today, "active_minutes");
    assert_eq!(
        (active["value"].as_f64(), active["met"].as_bool()),
        (Some(30.0), Some(true))
    );
    assert_eq!(ring(&today, "exercise_sets")["value"], 1.0);
    assert_eq!(ring(&today, "hydration")["value"], 500.0);
    let pumped = ring(&today, "pumped_litres")["value"]
        .as_f64()
        .expect("litres");
    // The walk's steps and the set's raises weighed by the pump model's
    // yields for the profile's body. Held to 0.1 L: the yields come from
    // short model runs at the solver's default tolerance, every cycle
    // resolved, which put this day 0.06 L above the converged 21.59 L
    // (6.590 mL a step, 25.07 mL a raise), so a change to the integrator
    // moves the figure by hundredths while a change to the physiology
    // moves it by more (tests/scenarios/today-scenario.md).
    assert!((pumped - 21.65).abs() <= 0.1, "pumped {pumped} L");
    let litres = ring(&today, "pumped_litres");
    assert_eq!(
        (litres["goal"].as_f64(), litres["met"].as_bool()),
        (Some(50.0), Some(false))
    );
    assert_eq!(today["sitting"]["current_stretch_min"], 538);
    assert_eq!(today["next_break"]["due_at"], "2026-11-21T17:00:00Z");
    for idle in ["session", "compression", "flight_next"] {
        assert_eq!(today[idle], Value::Null, "{idle}");
    }
    assert_eq!(today["summary"]["calf_raise_sets"], 1);
    assert_eq!(today["summary"]["hydration_ml"], 500);
}
