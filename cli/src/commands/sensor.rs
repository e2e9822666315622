//! `sensor simulate`: what the simulated sensor records from a day script.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use chrono::{DateTime, Duration, DurationRound, Utc};
use second_heart_core::sensor::gatt::{Record, RecordBody};
use second_heart_core::sensor::sim::{DayScript, SensorConfig, SimSensor};
use serde::Serialize;

use crate::args::Cli;
use crate::args::sensors::{ScriptArgs, SimulateArgs};
use crate::output::{out, print_json, thousands};

/// The script named by `--script`, or a typical day that ended an hour ago.
pub fn load_script(args: &ScriptArgs, now: DateTime<Utc>) -> Result<DayScript> {
    match &args.script {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the day script {}", path.display()))?;
            Ok(DayScript::from_json(&text)
                .with_context(|| format!("in the day script {}", path.display()))?)
        }
        None => {
            let mut script = DayScript::typical_day(now);
            let length = script.end() - script.start;
            let start = now - length - Duration::hours(1);
            script.start = start.duration_trunc(Duration::minutes(1)).unwrap_or(start);
            Ok(script)
        }
    }
}

#[derive(Serialize)]
struct Simulation {
    records: usize,
    by_type: BTreeMap<&'static str, usize>,
    steps: u64,
    first_seq: u32,
    last_seq: u32,
    start_utc: DateTime<Utc>,
    end_utc: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    list: Option<Vec<Record>>,
}

/// Plays the script through a simulated sensor.
pub fn simulate(cli: &Cli, args: &SimulateArgs) -> Result<()> {
    let script = load_script(&args.script, Utc::now())?;
    let mut sensor = SimSensor::new(SensorConfig::default(), &script);
    sensor.advance_to(script.end().timestamp_millis());
    let records: Vec<Record> = sensor.held().copied().collect();
    let mut by_type = BTreeMap::new();
    let mut steps = 0u64;
    for record in &records {
        let name = match record.body {
            RecordBody::Minute { steps: s, .. } => {
                steps += u64::from(s);
                "minute"
            }
            RecordBody::Exercise { .. } => "exercise",
            RecordBody::Boot { .. } => "boot",
            RecordBody::ClockSet { .. } => "clock_set",
        };
        *by_type.entry(name).or_insert(0) += 1;
    }
    let summary = Simulation {
        records: records.len(),
        by_type,
        steps,
        first_seq: records.first().map_or(0, |r| r.seq),
        last_seq: records.last().map_or(0, |r| r.seq),
        start_utc: script.start,
        end_utc: script.end(),
        list: args.records.then(|| records.clone()),
    };
    if cli.json {
        return print_json(&summary);
    }
    out!(
        "The simulated sensor recorded {} records (#{}–#{}) from {} to {} UTC:",
        thousands(summary.records as u64),
        summary.first_seq,
        summary.last_seq,
        summary.start_utc.format("%Y-%m-%d %H:%M"),
        summary.end_utc.format("%Y-%m-%d %H:%M"),
    );
    for (kind, count) in &summary.by_type {
        out!("  {kind:<10} {count:>6}");
    }
    out!("  steps      {:>6}", thousands(steps));
    if args.records {
        for record in &records {
            out!(
                "  #{:<6} epoch {} +{:>6} s  {:?}",
                record.seq,
                record.epoch,
                record.ticks_s,
                record.body
            );
        }
    }
    Ok(())
}
