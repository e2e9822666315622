//! `devices`: real sensors over Bluetooth LE, through btleplug; forgetting
//! one and choosing which counts walks and sets need only the database.

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use chrono::Utc;
use second_heart_ble::desktop::Radio;
use second_heart_ble::{LiveReading, LiveSettings, stream_paired_live, sync_paired};
use second_heart_core::Store;
use second_heart_core::app::{accept_sensor_reset, forget_sensor};
use second_heart_core::sensor::gatt::RscMeasurement;
use second_heart_core::sensor::sync::{Progress, SyncReport, SyncSettings};
use serde::Serialize;
use tokio_util::sync::CancellationToken;

use crate::args::Cli;
use crate::args::sensors::{DevicesArgs, DevicesCommand};
use crate::commands::open_store;
use crate::output::{out, print_json, records_bar, thousands};
use crate::time_input::zone_or_local;

fn lock(store: &Mutex<Store>) -> MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(|poison| poison.into_inner())
}

/// Runs a `devices` command on a small async runtime (Ctrl-C cancels);
/// the radio is opened only for the commands that use it.
pub fn run(cli: &Cli, args: &DevicesArgs) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async {
        let cancel = CancellationToken::new();
        let on_interrupt = cancel.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                on_interrupt.cancel();
            }
        });
        let scan = Duration::from_secs_f64(
            seconds("--scan-seconds", args.scan_seconds)?.clamp(0.5, 300.0),
        );
        let radio = || Radio::open(args.adapter.as_deref());
        match &args.command {
            DevicesCommand::Scan => scan_nearby(cli, &radio().await?, scan).await,
            DevicesCommand::Pair { address } => {
                pair(cli, &radio().await?, address, scan, &cancel).await
            }
            DevicesCommand::Sync { id, attempts } => {
                let radio = radio().await?;
                sync(cli, &radio, id.as_deref(), *attempts, scan, &cancel).await
            }
            DevicesCommand::Live { id, seconds } => {
                live(cli, &radio().await?, id, *seconds, scan, &cancel).await
            }
            DevicesCommand::Forget { id, yes } => forget(cli, id, *yes),
            DevicesCommand::AcceptReset { id } => accept_reset(cli, id),
            DevicesCommand::CountFrom { id, .. } => count_from(cli, id.as_deref()),
        }
    })
}

async fn scan_nearby(cli: &Cli, radio: &Radio, scan: Duration) -> Result<()> {
    let found = radio.scan(scan).await?;
    if cli.json {
        #[derive(Serialize)]
        struct Found<'a> {
            id: &'a str,
            name: Option<&'a str>,
            rssi: Option<i16>,
            kind: &'static str,
        }
        let list: Vec<Found<'_>> = found
            .iter()
            .map(|f| Found {
                id: &f.id,
                name: f.name.as_deref(),
                rssi: f.rssi,
                kind: if f.calf_pump {
                    "second_heart_sensor"
                } else {
                    "rsc_foot_pod"
                },
            })
            .collect();
        return print_json(&list);
    }
    if found.is_empty() {
        out!("No sensor found. Is it nearby, awake, and not connected to another phone?");
    }
    for f in &found {
        out!(
            "{}  {:<24} {:>5}  {}",
            f.id,
            f.name.as_deref().unwrap_or("(no name)"),
            f.rssi.map_or("".into(), |r| format!("{r} dBm")),
            if f.calf_pump {
                "Second Heart sensor"
            } else {
                "RSC foot pod (live cadence only)"
            }
        );
    }
    Ok(())
}

/// Settings for a sync from this computer: its time zone now.
fn settings(attempts: u32) -> Result<SyncSettings> {
    let zone = zone_or_local(None)?;
    Ok(SyncSettings::new(zone, Utc::now()).with_attempts(attempts))
}

/// A sync's report as `devices` prints it: with the address it was reached at.
#[derive(Serialize)]
struct Printed {
    #[serde(flatten)]
    report: SyncReport,
    address: String,
    gap_records: u64,
}

impl Printed {
    fn new(report: SyncReport, address: String) -> Self {
        Self {
            gap_records: report.records_lost_when_full(),
            report,
            address,
        }
    }

    fn describe(&self) -> String {
        let mut line = format!(
            "{} ({}): {} new records",
            self.report.serial,
            self.address,
            thousands(u64::from(self.report.records_stored))
        );
        if self.gap_records > 0 {
            line += &format!(
                "; {} records were lost on the full sensor before this sync",
                thousands(self.gap_records)
            );
        }
        if self.report.records_damaged > 0 {
            line += &format!(
                "; {} damaged records on the sensor were skipped",
                thousands(u64::from(self.report.records_damaged))
            );
        }
        if self.report.records_not_held > 0 {
            line += &format!(
                "; {} earlier records were no longer on it (fetched and cleared before)",
                thousands(u64::from(self.report.records_not_held))
            );
        }
        line
    }
}

async fn pair(
    cli: &Cli,
    radio: &Radio,
    address: &str,
    scan: Duration,
    cancel: &CancellationToken,
) -> Result<()> {
    let store = Mutex::new(open_store(cli)?);
    let mut link = radio.find(address, scan).await?;
    let address = link.address();
    let bar = records_bar(cli.json);
    // One command, one radio operation: nothing else in this process holds the sensor.
    let nothing_else = |_: &str| Ok(());
    let report = second_heart_ble::pair(
        &mut link,
        &address,
        &store,
        &settings(3)?,
        cancel,
        nothing_else,
        |p| show(&bar, p),
    )
    .await;
    bar.finish_and_clear();
    let synced = Printed::new(report?, address);
    if cli.json {
        return print_json(&synced);
    }
    out!("Paired {}", synced.describe());
    Ok(())
}

fn show(bar: &indicatif::ProgressBar, progress: Progress) {
    bar.set_length(u64::from(progress.records_total));
    bar.set_position(u64::from(progress.records_done));
}

async fn sync(
    cli: &Cli,
    radio: &Radio,
    id: Option<&str>,
    attempts: u32,
    scan: Duration,
    cancel: &CancellationToken,
) -> Result<()> {
    let store = Mutex::new(open_store(cli)?);
    let targets = {
        let store = lock(&store);
        match id {
            Some(id) => vec![store.find_paired(id)?.with_context(|| {
                format!(
                    "no paired sensor {id}; pair it first with `second-heart devices pair ADDRESS`"
                )
            })?],
            None => store.paired_sensors()?,
        }
    };
    if targets.is_empty() {
        bail!("no sensor is paired yet; find one with `second-heart devices scan`");
    }
    let settings = settings(attempts)?;
    let mut results = Vec::new();
    // Every paired sensor is tried: one out of range does not keep the
    // others from syncing, and each is reported.
    let mut failed = Vec::new();
    for target in targets {
        if cancel.is_cancelled() {
            break;
        }
        let bar = records_bar(cli.json);
        let report = match radio.find(&target.address, scan).await {
            Ok(mut link) => {
                sync_paired(&mut link, &store, &target.serial, &settings, cancel, |p| {
                    show(&bar, p)
                })
                .await
                .map_err(anyhow::Error::from)
            }
            Err(error) => Err(error.into()),
        };
        bar.finish_and_clear();
        match report {
            Ok(report) => {
                let synced = Printed::new(report, target.address);
                if !cli.json {
                    out!("Synced {}", synced.describe());
                }
                results.push(synced);
            }
            // Cancelled (Ctrl-C): said as such, the sensors left not tried.
            Err(error) if cancel.is_cancelled() => return Err(error),
            Err(error) => {
                eprintln!("{}: {error:#}", target.serial);
                failed.push(target.serial);
            }
        }
    }
    if cli.json {
        print_json(&results)?;
    }
    if !failed.is_empty() {
        bail!("could not sync {}", failed.join(", "));
    }
    Ok(())
}

async fn live(
    cli: &Cli,
    radio: &Radio,
    id: &str,
    seconds: f64,
    scan: Duration,
    cancel: &CancellationToken,
) -> Result<()> {
    let store = Mutex::new(open_store(cli)?);
    // Live data comes from a paired sensor only, as in the apps.
    let paired = lock(&store).find_paired(id)?.with_context(|| {
        format!("no paired sensor {id}; pair it first with `second-heart devices pair ADDRESS`")
    })?;
    let mut link = radio.find(&paired.address, scan).await?;
    let settings = LiveSettings::checked(LiveSettings::default().rate_hz, Some(seconds))
        .context("--seconds")?;
    let mut printed = Ok(());
    let summary = stream_paired_live(
        &mut link,
        &store,
        &paired.serial,
        &settings,
        cancel,
        |reading| {
            if printed.is_ok() {
                printed = match reading {
                    LiveReading::Frame(frame) => print_live(cli, "frame", &frame),
                    LiveReading::Cadence(m) => print_live(cli, "cadence", &serde_json_rsc(&m)),
                };
            }
        },
    )
    .await?;
    printed?;
    if !cli.json {
        out!(
            "{} pump frames and {} cadence readings.",
            summary.frames,
            summary.cadence_readings
        );
        if summary.frames_lost > 0 || summary.unreadable > 0 {
            out!(
                "  {} frames lost on the way, {} unreadable notifications.",
                summary.frames_lost,
                summary.unreadable
            );
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct LiveCadence {
    cadence_spm: u8,
    speed_m_s: f64,
    running: bool,
}

fn serde_json_rsc(m: &RscMeasurement) -> LiveCadence {
    LiveCadence {
        cadence_spm: m.cadence_per_min,
        speed_m_s: m.speed_m_s,
        running: m.running,
    }
}

/// One line per reading: JSON lines for scripts, a short line for people.
fn print_live(cli: &Cli, kind: &str, value: &impl Serialize) -> Result<()> {
    let json = serde_json::to_string(value)?;
    if cli.json {
        out!("{{\"{kind}\":{json}}}");
    } else {
        out!("{kind:>7}  {json}");
    }
    Ok(())
}

/// `devices count-from`: walks and sets count from paired sensor `id`
/// (serial or address), or, with none, from the one synced last.
fn count_from(cli: &Cli, id: Option<&str>) -> Result<()> {
    let mut store = open_store(cli)?;
    let serial = match id {
        Some(id) => Some(
            store
                .find_paired(id)?
                .with_context(|| {
                    format!("no paired sensor {id}: pair it with `devices pair ADDRESS` first")
                })?
                .serial,
        ),
        None => None,
    };
    store.choose_sensor_for_sessions(serial.as_deref())?;
    if cli.json {
        return print_json(&serde_json::json!({ "sessions_count_from": serial }));
    }
    match serial {
        Some(serial) => out!("Walks and sets count from {serial}."),
        None => out!("Walks and sets count from the sensor synced last."),
    }
    Ok(())
}

fn forget(cli: &Cli, id: &str, yes: bool) -> Result<()> {
    let mut store = open_store(cli)?;
    let sensor = store
        .find_paired(id)?
        .with_context(|| format!("no paired sensor {id}"))?;
    if !yes {
        bail!(
            "forgetting {} deletes its stored records; run again with --yes to confirm",
            sensor.serial
        );
    }
    let removed = forget_sensor(&mut store, &sensor.serial)?;
    if cli.json {
        return print_json(
            &serde_json::json!({"forgotten": sensor.serial, "records_deleted": removed}),
        );
    }
    out!(
        "Forgot {} and deleted {} records.",
        sensor.serial,
        thousands(removed)
    );
    Ok(())
}

fn accept_reset(cli: &Cli, id: &str) -> Result<()> {
    let mut store = open_store(cli)?;
    let sensor = store
        .find_paired(id)?
        .with_context(|| format!("no paired sensor {id}"))?;
    let aside = accept_sensor_reset(&mut store, &sensor.serial)?;
    if cli.json {
        return print_json(&serde_json::json!({"sensor": sensor.serial, "history_kept_as": aside}));
    }
    out!(
        "Kept the history of {} (as {aside}); its next sync starts afresh from its first record.",
        sensor.serial
    );
    Ok(())
}

/// A number of seconds typed for `option`, if it is one (NaN is not, and
/// would panic as a `Duration`).
fn seconds(option: &str, value: f64) -> Result<f64> {
    if value.is_nan() {
        bail!("invalid {option}: a number of seconds (got {value})");
    }
    Ok(value)
}
