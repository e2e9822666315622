//! `devices`: real sensors over Bluetooth LE, through btleplug.

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use chrono::Utc;
use second_heart_ble::desktop::{DesktopLink, Radio};
use second_heart_ble::{GattLink, LinkEvent, drive_sync};
use second_heart_core::Store;
use second_heart_core::sensor::gatt::{ControlRequest, LiveFrame, RscMeasurement};
use second_heart_core::sensor::sync::{SyncConfig, SyncReport};
use second_heart_core::sensor::uuids;
use serde::Serialize;
use tokio_util::sync::CancellationToken;

use crate::args::Cli;
use crate::args::sensors::{DevicesArgs, DevicesCommand};
use crate::commands::open_store;
use crate::output::{out, print_json, records_bar, thousands};

fn lock(store: &Mutex<Store>) -> MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(|poison| poison.into_inner())
}

/// Runs a `devices` command on a small async runtime; Ctrl-C cancels.
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
        let scan = Duration::from_secs_f64(args.scan_seconds.clamp(0.5, 300.0));
        let radio = Radio::open(args.adapter.as_deref()).await?;
        match &args.command {
            DevicesCommand::Scan => scan_nearby(cli, &radio, scan).await,
            DevicesCommand::Pair { address } => pair(cli, &radio, address, scan, &cancel).await,
            DevicesCommand::Sync { id, attempts } => {
                sync(cli, &radio, id.as_deref(), *attempts, scan, &cancel).await
            }
            DevicesCommand::Live { id, seconds } => {
                live(cli, &radio, id, *seconds, scan, &cancel).await
            }
            DevicesCommand::Forget { id, yes } => forget(cli, id, *yes),
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

/// One sync over a link, with a progress bar unless printing JSON.
async fn sync_link(
    cli: &Cli,
    link: &mut DesktopLink,
    store: &Mutex<Store>,
    attempts: u32,
    cancel: &CancellationToken,
) -> Result<SyncReport> {
    let bar = records_bar(cli.json);
    let config = SyncConfig {
        max_attempts_without_progress: attempts.max(1),
        local_offset_seconds: chrono::Local::now().offset().local_minus_utc(),
        ..SyncConfig::default()
    };
    let report = drive_sync(link, store, config, cancel, |p| {
        bar.set_length(u64::from(p.records_total));
        bar.set_position(u64::from(p.records_done));
    })
    .await;
    bar.finish_and_clear();
    Ok(report?)
}

#[derive(Serialize)]
struct Synced {
    serial: String,
    address: String,
    records_stored: u32,
    duplicates_ignored: u32,
    gap_records: u64,
    high_water: u32,
    connections: u32,
}

impl Synced {
    fn new(report: &SyncReport, address: String) -> Self {
        Self {
            serial: report.serial.clone(),
            address,
            records_stored: report.records_stored,
            duplicates_ignored: report.duplicates_ignored,
            gap_records: report.gap_records(),
            high_water: report.high_water,
            connections: report.connections,
        }
    }

    fn describe(&self) -> String {
        let mut line = format!(
            "{} ({}): {} new records",
            self.serial,
            self.address,
            thousands(u64::from(self.records_stored))
        );
        if self.gap_records > 0 {
            line += &format!(
                "; {} records were lost on the full sensor before this sync",
                thousands(self.gap_records)
            );
        }
        line
    }
}

/// Finds the sensor at `address`, syncs it, and remembers it as paired.
async fn sync_and_remember(
    cli: &Cli,
    radio: &Radio,
    address: &str,
    store: &Mutex<Store>,
    attempts: u32,
    scan: Duration,
    cancel: &CancellationToken,
) -> Result<Synced> {
    let mut link = radio.find(address, scan).await?;
    let report = sync_link(cli, &mut link, store, attempts, cancel).await?;
    lock(store).mark_paired(
        &report.serial,
        &link.address(),
        Utc::now().timestamp_millis(),
    )?;
    Ok(Synced::new(&report, link.address()))
}

async fn pair(
    cli: &Cli,
    radio: &Radio,
    address: &str,
    scan: Duration,
    cancel: &CancellationToken,
) -> Result<()> {
    let store = Mutex::new(open_store(cli)?);
    let synced = sync_and_remember(cli, radio, address, &store, 3, scan, cancel).await?;
    if cli.json {
        return print_json(&synced);
    }
    out!("Paired {}", synced.describe());
    Ok(())
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
    let targets = match id {
        Some(id) => vec![lock(&store).find_paired(id)?.with_context(|| {
            format!("no paired sensor {id}; pair it first with `second-heart devices pair ADDRESS`")
        })?],
        None => lock(&store).paired_sensors()?,
    };
    if targets.is_empty() {
        bail!("no sensor is paired yet; find one with `second-heart devices scan`");
    }
    let mut results = Vec::new();
    for target in targets {
        let synced =
            sync_and_remember(cli, radio, &target.address, &store, attempts, scan, cancel).await?;
        if !cli.json {
            out!("Synced {}", synced.describe());
        }
        results.push(synced);
    }
    if cli.json {
        return print_json(&results);
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
    let store = open_store(cli)?;
    let address = store
        .find_paired(id)?
        .map_or_else(|| id.to_owned(), |p| p.address);
    let mut link = radio.find(&address, scan).await?;
    let timeout = Duration::from_secs(5);
    tokio::time::timeout(timeout * 3, link.connect())
        .await
        .context("connecting timed out")??;
    for characteristic in [
        uuids::RSC_MEASUREMENT,
        uuids::LIVE_FRAME,
        uuids::CONTROL_POINT,
    ] {
        tokio::time::timeout(timeout, link.subscribe(characteristic))
            .await
            .context("subscribing timed out")??;
    }
    let start = ControlRequest::StartLive { rate_hz: 25 }.encode();
    tokio::time::timeout(timeout, link.write(uuids::CONTROL_POINT, &start))
        .await
        .context("starting live data timed out")??;
    let until = tokio::time::Instant::now() + Duration::from_secs_f64(seconds.clamp(0.1, 3600.0));
    let (mut frames, mut cadences) = (0u32, 0u32);
    loop {
        let event = tokio::select! {
            () = cancel.cancelled() => break,
            () = tokio::time::sleep_until(until) => break,
            event = link.next_event() => event,
        };
        match event {
            LinkEvent::Notification {
                characteristic,
                value,
            } if characteristic == uuids::RSC_MEASUREMENT => {
                if let Ok(m) = RscMeasurement::parse(&value) {
                    cadences += 1;
                    print_live(cli, "cadence", &serde_json_rsc(&m))?;
                }
            }
            LinkEvent::Notification {
                characteristic,
                value,
            } if characteristic == uuids::LIVE_FRAME => {
                if let Ok(frame) = LiveFrame::parse(&value) {
                    frames += 1;
                    print_live(cli, "frame", &frame)?;
                }
            }
            LinkEvent::Notification { .. } => {}
            LinkEvent::Disconnected => bail!("the sensor disconnected"),
        }
    }
    let stop = ControlRequest::StopLive.encode();
    let _ = tokio::time::timeout(timeout, link.write(uuids::CONTROL_POINT, &stop)).await;
    let _ = tokio::time::timeout(timeout, link.disconnect()).await;
    if !cli.json {
        out!("{frames} pump frames and {cadences} cadence readings.");
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
    let removed = store.forget_sensor(&sensor.serial)?;
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
