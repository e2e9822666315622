//! `sync --sim`: fetch the simulated sensor's records into the database
//! given with `--db` (a throw-away one without it).

use anyhow::{Result, bail};
use chrono::{DateTime, Utc};
use second_heart_core::Store;
use second_heart_core::sensor::gatt::{ATT_MTU_MAX, ATT_MTU_MIN};
use second_heart_core::sensor::sim::{
    FaultPlan, LinkConfig, SensorConfig, SimLink, SimSensor, pair, run_sync,
};
use second_heart_core::sensor::sync::{SyncReport, SyncSettings};
use serde::Serialize;

use crate::args::Cli;
use crate::args::sensors::SyncArgs;
use crate::commands::open_store;
use crate::commands::sensor::load_script;
use crate::output::{out, print_json, records_bar, thousands};
use crate::time_input::zone_or_local;

/// The sync's report as `sync --sim` prints it, with the simulated link's
/// figures.
#[derive(Serialize)]
struct Printed {
    #[serde(flatten)]
    report: SyncReport,
    gap_records: u64,
    first_record_utc: Option<DateTime<Utc>>,
    last_record_utc: Option<DateTime<Utc>>,
    transfer_ms: f64,
    session_ms: f64,
    link_capacity_ms: f64,
}

/// Pairs a simulated sensor, lets it record the script, then syncs it.
pub fn run(cli: &Cli, args: &SyncArgs) -> Result<()> {
    if !args.sim {
        bail!(
            "`sync` runs the simulated sensor (--sim); for a real sensor use `second-heart devices sync`"
        );
    }
    if !(7.5..=4000.0).contains(&args.interval_ms) {
        bail!("invalid --interval-ms: Bluetooth LE allows 7.5 to 4000 ms");
    }
    if !(ATT_MTU_MIN..=ATT_MTU_MAX).contains(&args.mtu) {
        bail!("invalid --mtu: an ATT MTU is {ATT_MTU_MIN} to {ATT_MTU_MAX}");
    }
    // Watch crystals drift tens of ppm; a thousand is already a broken clock.
    if !(-1000.0..=1000.0).contains(&args.drift_ppm) {
        bail!(
            "invalid --drift-ppm: -1000 to 1000 ppm (got {})",
            args.drift_ppm
        );
    }
    let faults = FaultPlan::parse(&args.faults)?;
    let script = load_script(&args.script, Utc::now())?;
    let serial = format!("SH-SIM-{}-{}", args.seed, script.start.format("%Y%m%d%H%M"));
    let config = SensorConfig {
        serial: serial.clone(),
        capacity: args.capacity,
        drift_ppm: args.drift_ppm,
        seed: args.seed,
    };
    let link = LinkConfig {
        mtu: args.mtu,
        interval_us: (args.interval_ms * 1000.0).round() as i64,
        packets_per_event: args.packets_per_event.max(1),
    };
    // A made-up sensor day in the user's own database would count in their
    // days for good (days count every sensor's records, and this one is
    // never paired, so Devices cannot forget it): without --db it goes to a
    // throw-away one.
    let mut store = if cli.db.is_some() {
        open_store(cli)?
    } else {
        eprintln!(
            "The simulated sensor's records go to a throw-away database: pass --db FILE to keep them \
             (and to run the same sensor again)."
        );
        Store::open_in_memory()?
    };

    // Run before with this seed and script: the same sensor carries on from
    // where the phone left it (its numbering, its clock), so this sync
    // fetches only what is new. Otherwise a new sensor is paired.
    let known = store.sensor_sync_state(&serial)?;
    let last_anchor = known.anchors.iter().max_by_key(|a| a.utc_ms).copied();
    let mut sync_ms = script.end().timestamp_millis() + 60_000;
    // An anchor stored means the phone has met this sensor before.
    let (mut sensor, before) = match last_anchor {
        Some(anchor) => {
            sync_ms = sync_ms.max(anchor.utc_ms + 60_000);
            let sensor = SimSensor::resume(
                config,
                &script,
                known.high_water,
                known.dropped_seen,
                anchor,
            );
            (sensor, 0)
        }
        _ => {
            let mut sensor = SimSensor::new(config, &script);
            let paired = pair(
                &mut sensor,
                link,
                &mut store,
                script.start.timestamp_millis(),
            );
            (sensor, paired.result?.records_stored)
        }
    };

    let bar = records_bar(cli.json);
    let mut radio = SimLink::new(link, faults, args.seed);
    let settings = SyncSettings::new(zone_or_local(None)?, Utc::now());
    let run = run_sync(
        &mut sensor,
        &mut radio,
        &mut store,
        settings.config(Some(serial.clone())),
        sync_ms,
        &mut |p| {
            bar.set_length(u64::from(p.records_total));
            bar.set_position(u64::from(p.records_done));
        },
    );
    bar.finish_and_clear();
    let report = run.result?;

    let records = store.sensor_records(&serial)?;
    let time = |ms: Option<i64>| ms.and_then(DateTime::from_timestamp_millis);
    let capacity_ms =
        f64::from(report.records_stored) * 20.0 / link.record_capacity_bytes_per_s() * 1000.0;
    let summary = Printed {
        gap_records: report.records_lost_when_full(),
        first_record_utc: time(records.iter().find_map(|r| r.utc_ms)),
        last_record_utc: time(records.iter().rev().find_map(|r| r.utc_ms)),
        transfer_ms: run.transfer_ms,
        session_ms: run.elapsed_ms,
        link_capacity_ms: capacity_ms,
        report: SyncReport {
            // Pairing (the first sync of a new sensor) stored some too.
            records_stored: report.records_stored + before,
            ..report
        },
    };
    if cli.json {
        return print_json(&summary);
    }
    out!(
        "Synced {} records from {} in {} connection(s).",
        thousands(u64::from(summary.report.records_stored)),
        summary.report.serial,
        summary.report.connections
    );
    if let (Some(first), Some(last)) = (summary.first_record_utc, summary.last_record_utc) {
        out!(
            "  time span: {} to {} UTC",
            first.format("%Y-%m-%d %H:%M:%S"),
            last.format("%Y-%m-%d %H:%M:%S")
        );
    }
    if summary.gap_records > 0 {
        out!(
            "  lost on the sensor before this sync (storage full): {} records in {} gap(s)",
            thousands(summary.gap_records),
            summary.report.gaps.len()
        );
    }
    if summary.report.records_damaged > 0 {
        out!(
            "  damaged on the sensor (their checksum failed every time), skipped: {} records",
            thousands(u64::from(summary.report.records_damaged))
        );
    }
    if summary.report.duplicates_ignored > 0 || summary.report.corrupt_records > 0 {
        out!(
            "  delivered twice and ignored: {}; damaged and fetched again: {}",
            summary.report.duplicates_ignored,
            summary.report.corrupt_records
        );
    }
    out!(
        "  transfer {:.0} ms (the link carries it in {:.0} ms at best); whole session {:.0} ms",
        summary.transfer_ms,
        summary.link_capacity_ms,
        summary.session_ms
    );
    Ok(())
}
