//! `demo`: a guided tour on sample data.
//!
//! It grows with the product: a traveller's day of walks, counted in the zone
//! they lived it in and seen from the other side of the world; what their
//! calves pumped on those walks (the pump model); and a sock sensor's day
//! synced over a flaky simulated radio.

use anyhow::Result;
use chrono::{Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use second_heart_core::Store;
use second_heart_core::local_day::LocalDay;
use second_heart_core::walk::NewWalk;
use serde::Serialize;

use second_heart_core::pump::{Activity, Person, Posture, Simulation, Valves};
use second_heart_core::sensor::sim::{
    DayScript, FaultPlan, LinkConfig, SensorConfig, SimLink, SimSensor, pair, run_sync,
};
use second_heart_core::sensor::sync::SyncConfig;

use crate::args::Cli;
use crate::commands::{open_store, today, walk};
use crate::output::{print_json, thousands};

/// (local start, minutes, steps) of the sample day's walks.
const SAMPLE_WALKS: [(&str, i64, i64); 4] = [
    ("07:40", 25, 2_900),
    ("12:15", 20, 2_300),
    ("17:30", 45, 5_100),
    // Across midnight: half of it lands on the next day.
    ("23:40", 40, 4_000),
];

const HOME: Tz = chrono_tz::Europe::Berlin;
const ELSEWHERE: Tz = chrono_tz::America::Los_Angeles;

#[derive(Serialize)]
struct DemoReport {
    walks: Vec<second_heart_core::walk::Walk>,
    day_at_home: second_heart_core::walk::DaySummary,
    same_walks_seen_from_elsewhere: Vec<second_heart_core::walk::DaySummary>,
    calves: Calves,
    sensor_sync: SensorSync,
}

/// What the pump model makes of the sample walks.
#[derive(Serialize)]
struct Calves {
    pumped_ml: f64,
    ankle_venous_pressure_standing_mmhg: f64,
    ankle_venous_pressure_walking_mmhg: f64,
}

/// A simulated sock sensor's day, synced with faults.
#[derive(Serialize)]
struct SensorSync {
    serial: String,
    records_stored: u32,
    connections: u32,
    corrupt_records_refetched: u32,
}

/// Runs the sample walks through the pump model: cadence gives the speed
/// (the inverse of the model's cadence law), steps give the strides.
fn calves(walks: &[second_heart_core::walk::Walk]) -> Result<Calves> {
    let mut sim = Simulation::new(Person::default(), Valves::Competent, 0.0)?;
    sim.settle(Posture::Standing);
    let standing = sim.outputs().ankle_venous_pressure_mmhg;
    let mut walking = standing;
    for walk in walks {
        let speed_kmh = ((walk.cadence_steps_per_min() - 60.0) / 10.0).clamp(1.0, 7.0);
        sim.exercise(
            Activity::Walk { speed_kmh },
            Posture::Standing,
            u64::from(walk.steps / 2),
        );
        walking = sim.outputs().ankle_venous_pressure_mmhg;
        sim.rest(Posture::Sitting, 3600.0);
    }
    Ok(Calves {
        pumped_ml: sim.totals().pumped_ml,
        ankle_venous_pressure_standing_mmhg: standing,
        ankle_venous_pressure_walking_mmhg: walking,
    })
}

/// A sock sensor that recorded a typical day, paired in the morning and
/// synced in the evening over a link that drops twice and loses packets.
fn sensor_sync(store: &mut Store, now: chrono::DateTime<Utc>) -> Result<SensorSync> {
    let mut script = DayScript::typical_day(now);
    script.start = now - (script.end() - script.start) - Duration::minutes(30);
    let serial = "SH-DEMO-0001".to_owned();
    let mut sensor = SimSensor::new(
        SensorConfig {
            serial: serial.clone(),
            drift_ppm: 60.0,
            ..SensorConfig::default()
        },
        &script,
    );
    let link = LinkConfig::phone(185);
    pair(&mut sensor, link, store, script.start.timestamp_millis()).result?;
    let faults =
        FaultPlan::parse("disconnect@4000,disconnect@15000,drop=0.03,dup=0.05,corrupt=0.05")?;
    let mut radio = SimLink::new(link, faults, 7);
    let at = script.end().timestamp_millis() + 60_000;
    let report = run_sync(
        &mut sensor,
        &mut radio,
        store,
        SyncConfig::default(),
        at,
        &mut |_| {},
    )
    .result?;
    Ok(SensorSync {
        serial,
        records_stored: store
            .sensor_summary(&report.serial)?
            .map_or(0, |s| s.records as u32),
        connections: report.connections,
        corrupt_records_refetched: report.corrupt_records,
    })
}

/// Logs yesterday's sample walks and shows what they add up to.
pub fn run(cli: &Cli) -> Result<()> {
    let mut store = match &cli.db {
        Some(_) => open_store(cli)?,
        None => Store::open_in_memory()?,
    };
    let now = Utc::now();
    let yesterday = LocalDay::containing(now, HOME).date() - Duration::days(1);
    let mut walks = Vec::with_capacity(SAMPLE_WALKS.len());
    for (clock, minutes, steps) in SAMPLE_WALKS {
        let time = NaiveTime::parse_from_str(clock, "%H:%M")?;
        let start = HOME
            .from_local_datetime(&yesterday.and_time(time))
            .earliest()
            .map_or(now, |t| t.to_utc());
        let sample = NewWalk::new(start, HOME.name(), minutes * 60, steps, now)?;
        walks.push(store.log_walk(&sample)?);
    }
    let day_at_home = store.day_summary(LocalDay::new(yesterday, HOME))?;
    let seen_from_elsewhere = [yesterday - Duration::days(1), yesterday]
        .into_iter()
        .map(|date| store.day_summary(LocalDay::new(date, ELSEWHERE)))
        .collect::<Result<Vec<_>, _>>()?;
    let calves = calves(&walks)?;
    let sensor = sensor_sync(&mut store, now)?;

    if cli.json {
        return print_json(&DemoReport {
            walks,
            day_at_home,
            same_walks_seen_from_elsewhere: seen_from_elsewhere,
            calves,
            sensor_sync: sensor,
        });
    }
    println!("Second Heart demo: a day of walks in {HOME}\n");
    for logged in &walks {
        println!("  logged {}", walk::describe(logged));
    }
    println!("\nThe day at home (the last walk crosses midnight, so only its first half counts):");
    println!("{}", indent(&today::describe(&day_at_home)));
    println!("\nThe same walks counted in {ELSEWHERE}, nine hours behind:");
    for summary in &seen_from_elsewhere {
        println!("{}", indent(&today::describe(summary)));
    }
    println!("\nWhat the calves did on those walks (the pump model, both legs):");
    println!(
        "  {} mL of blood pumped back towards the heart; ankle venous pressure {:.0} mmHg standing still, {:.0} mmHg walking",
        thousands(calves.pumped_ml.round() as u64),
        calves.ankle_venous_pressure_standing_mmhg,
        calves.ankle_venous_pressure_walking_mmhg
    );
    println!(
        "\nA sock sensor's day, synced over a radio that dropped twice and lost, doubled and damaged packets:"
    );
    println!(
        "  {} records from {} in {} connections, each stored exactly once ({} damaged in transit and fetched again)",
        thousands(u64::from(sensor.records_stored)),
        sensor.serial,
        sensor.connections,
        sensor.corrupt_records_refetched
    );
    println!("\nMore: `second-heart model --help`, `second-heart sync --sim --help`, docs/.");
    Ok(())
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|line| format!("  {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}
