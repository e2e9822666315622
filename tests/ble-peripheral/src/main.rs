//! `sim-peripheral`: the simulated sensor served as a real GATT peripheral
//! through BlueZ (or bluezoo, its D-Bus mock), so that the app's real
//! Bluetooth path can be tested end to end on a machine with no radio.
//!
//! It serves the full profile of docs/sensor-protocol.md from a
//! [`SimSensor`], advertises the calf-pump service, and registers again
//! whenever BlueZ restarts (the sensor's records survive: it is the same
//! process). It prints `ready` on stdout each time it is registered.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use anyhow::{Context, Result};
use bluer::adv::Advertisement;
use bluer::gatt::local::{
    Application, Characteristic, CharacteristicNotifier, CharacteristicNotify,
    CharacteristicNotifyMethod, CharacteristicRead, CharacteristicWrite, CharacteristicWriteMethod,
    ReqError, ReqResult, Service,
};
use chrono::{Duration as Span, Utc};
use clap::Parser;
use futures::FutureExt;
use second_heart_core::sensor::gatt::{LiveFrame, RacpRequest, clamp_att_mtu};
use second_heart_core::sensor::sim::{DayScript, SensorConfig, SimSensor};
use second_heart_core::sensor::uuids;
use tokio::signal::unix::{Signal, SignalKind, signal};

/// Serve the simulated sensor over BlueZ.
#[derive(Debug, Parser)]
struct Args {
    /// The adapter to serve on
    #[arg(long, default_value = "hci1")]
    adapter: String,
    /// Serial number of the simulated sensor
    #[arg(long, default_value = "SH-E2E-0001")]
    serial: String,
    /// Hours of a typical day recorded before now
    #[arg(long, default_value_t = 12.0)]
    hours: f64,
    /// Stop sending (a hung sensor) once this many record bytes went out
    #[arg(long)]
    stall_after_bytes: Option<usize>,
}

/// The sensor and whoever listens to it.
struct Shared {
    sensor: SimSensor,
    notifiers: HashMap<bluer::Uuid, CharacteristicNotifier>,
    record_bytes_sent: usize,
    stall_after_bytes: Option<usize>,
    stalled: bool,
}

type State = Arc<Mutex<Shared>>;

fn lock(state: &State) -> MutexGuard<'_, Shared> {
    state.lock().unwrap_or_else(|poison| poison.into_inner())
}

fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

fn readable(state: &State, uuid: bluer::Uuid) -> CharacteristicRead {
    let state = state.clone();
    CharacteristicRead {
        read: true,
        fun: Box::new(move |_request| {
            let mut shared = lock(&state);
            shared.sensor.advance_to(now_ms());
            let result = shared.sensor.read(uuid).map_err(|_| ReqError::NotSupported);
            async move { result }.boxed()
        }),
        ..Default::default()
    }
}

fn writable(state: &State, uuid: bluer::Uuid) -> CharacteristicWrite {
    let state = state.clone();
    CharacteristicWrite {
        write: true,
        write_without_response: uuid == uuids::CONTROL_POINT,
        method: CharacteristicWriteMethod::Fun(Box::new(move |value, request| {
            let mut shared = lock(&state);
            shared.sensor.advance_to(now_ms());
            // Notifications are packed to the link's MTU, which BlueZ reports here.
            shared.sensor.set_mtu(clamp_att_mtu(request.mtu));
            if uuid == uuids::RACP
                && let Ok(RacpRequest::Delete(operator)) = RacpRequest::parse(&value)
            {
                // The e2e test checks that only a paired sensor is told this.
                eprintln!("told to delete records {operator:?}");
            }
            let result: ReqResult<()> = shared.sensor.write(uuid, &value).map_err(|error| {
                eprintln!("write to {uuid} refused: {error}");
                ReqError::Failed
            });
            async move { result }.boxed()
        })),
        ..Default::default()
    }
}

fn notifying(state: &State, uuid: bluer::Uuid, indicate: bool) -> CharacteristicNotify {
    let state = state.clone();
    CharacteristicNotify {
        notify: !indicate,
        indicate,
        method: CharacteristicNotifyMethod::Fun(Box::new(move |notifier| {
            let mut shared = lock(&state);
            let _ = shared.sensor.subscribe(uuid);
            shared.notifiers.insert(uuid, notifier);
            async {}.boxed()
        })),
        ..Default::default()
    }
}

fn characteristic(
    uuid: bluer::Uuid,
    read: Option<CharacteristicRead>,
    write: Option<CharacteristicWrite>,
    notify: Option<CharacteristicNotify>,
) -> Characteristic {
    Characteristic {
        uuid,
        read,
        write,
        notify,
        ..Default::default()
    }
}

/// The whole profile of docs/sensor-protocol.md.
fn application(state: &State) -> Application {
    let read = |u| Some(readable(state, u));
    let service = |uuid, characteristics| Service {
        uuid,
        primary: true,
        characteristics,
        ..Default::default()
    };
    Application {
        services: vec![
            service(
                uuids::DEVICE_INFORMATION,
                vec![
                    characteristic(
                        uuids::MANUFACTURER_NAME,
                        read(uuids::MANUFACTURER_NAME),
                        None,
                        None,
                    ),
                    characteristic(uuids::MODEL_NUMBER, read(uuids::MODEL_NUMBER), None, None),
                    characteristic(uuids::SERIAL_NUMBER, read(uuids::SERIAL_NUMBER), None, None),
                    characteristic(
                        uuids::FIRMWARE_REVISION,
                        read(uuids::FIRMWARE_REVISION),
                        None,
                        None,
                    ),
                ],
            ),
            service(
                uuids::BATTERY,
                vec![characteristic(
                    uuids::BATTERY_LEVEL,
                    read(uuids::BATTERY_LEVEL),
                    None,
                    Some(notifying(state, uuids::BATTERY_LEVEL, false)),
                )],
            ),
            service(
                uuids::RUNNING_SPEED_AND_CADENCE,
                vec![
                    characteristic(
                        uuids::RSC_MEASUREMENT,
                        None,
                        None,
                        Some(notifying(state, uuids::RSC_MEASUREMENT, false)),
                    ),
                    characteristic(uuids::RSC_FEATURE, read(uuids::RSC_FEATURE), None, None),
                ],
            ),
            service(
                uuids::ELAPSED_TIME,
                vec![characteristic(
                    uuids::CURRENT_ELAPSED_TIME,
                    read(uuids::CURRENT_ELAPSED_TIME),
                    Some(writable(state, uuids::CURRENT_ELAPSED_TIME)),
                    None,
                )],
            ),
            service(
                uuids::CALF_PUMP_SERVICE,
                vec![
                    characteristic(
                        uuids::LIVE_FRAME,
                        None,
                        None,
                        Some(notifying(state, uuids::LIVE_FRAME, false)),
                    ),
                    characteristic(uuids::STATUS, read(uuids::STATUS), None, None),
                    characteristic(
                        uuids::CONTROL_POINT,
                        None,
                        Some(writable(state, uuids::CONTROL_POINT)),
                        Some(notifying(state, uuids::CONTROL_POINT, true)),
                    ),
                    characteristic(
                        uuids::RECORD,
                        None,
                        None,
                        Some(notifying(state, uuids::RECORD, false)),
                    ),
                    characteristic(
                        uuids::RACP,
                        None,
                        Some(writable(state, uuids::RACP)),
                        Some(notifying(state, uuids::RACP, true)),
                    ),
                ],
            ),
        ],
        ..Default::default()
    }
}

/// Sends what the sensor queued, and live data while live is on.
async fn pump(state: State) {
    let mut frame_seq: u16 = 0;
    let mut last_live = now_ms();
    let mut last_rsc = now_ms();
    loop {
        tokio::time::sleep(Duration::from_millis(5)).await;
        let mut sends = Vec::new();
        {
            let mut shared = lock(&state);
            let now = now_ms();
            shared.sensor.advance_to(now);
            while !shared.stalled {
                let Some(out) = shared.sensor.take_outgoing() else {
                    break;
                };
                if out.characteristic == uuids::RECORD {
                    shared.record_bytes_sent += out.value.len();
                    if shared
                        .stall_after_bytes
                        .is_some_and(|n| shared.record_bytes_sent >= n)
                    {
                        eprintln!("stalling after {} record bytes", shared.record_bytes_sent);
                        shared.stalled = true;
                        shared.stall_after_bytes = None;
                    }
                }
                sends.push((out.characteristic, out.value));
            }
            if let Some(rate) = shared.sensor.live_rate_hz() {
                let step = 1000 / i64::from(rate.max(1));
                if now - last_live >= 250 {
                    let samples = (last_live..now)
                        .step_by(step.unsigned_abs() as usize)
                        .take(LiveFrame::capacity(244))
                        .map(|t| {
                            let mut s = shared.sensor.live_sample(t);
                            s.dt_ms = u16::try_from(t - last_live).unwrap_or(u16::MAX);
                            s
                        })
                        .collect();
                    let t0 = shared.sensor.ticks_ms_at(last_live) as u32;
                    frame_seq = frame_seq.wrapping_add(1);
                    sends.push((
                        uuids::LIVE_FRAME,
                        LiveFrame {
                            frame_seq,
                            t0_ms: t0,
                            samples,
                        }
                        .encode(),
                    ));
                    last_live = now;
                }
            } else {
                last_live = now;
            }
            if now - last_rsc >= 1000 {
                last_rsc = now;
                sends.push((
                    uuids::RSC_MEASUREMENT,
                    shared.sensor.rsc_measurement(now).encode(),
                ));
            }
        }
        for (uuid, value) in sends {
            let notifier = lock(&state).notifiers.remove(&uuid);
            if let Some(mut notifier) = notifier {
                if notifier.is_stopped() {
                    continue;
                }
                if notifier.notify(value).await.is_ok() {
                    lock(&state).notifiers.insert(uuid, notifier);
                }
            }
        }
    }
}

/// Registers with BlueZ and serves until BlueZ goes away, or until SIGUSR1:
/// then it releases the registration (while that BlueZ still runs) and
/// waits for a second SIGUSR1 before registering again. The e2e harness
/// uses this around each bluezoo restart.
async fn serve_once(state: &State, adapter_name: &str, reregister: &mut Signal) -> Result<()> {
    let session = bluer::Session::new().await.context("connecting to D-Bus")?;
    let adapter = session
        .adapter(adapter_name)
        .context("opening the adapter")?;
    adapter
        .set_powered(true)
        .await
        .context("powering the adapter")?;
    let advertisement = Advertisement {
        service_uuids: BTreeSet::from([uuids::CALF_PUMP_SERVICE]),
        discoverable: Some(true),
        local_name: Some("Second Heart sim".into()),
        ..Default::default()
    };
    let _advertising = adapter
        .advertise(advertisement)
        .await
        .context("advertising")?;
    let _serving = adapter
        .serve_gatt_application(application(state))
        .await
        .context("registering the GATT application")?;
    println!("ready");
    let gone = async {
        while adapter.is_powered().await.is_ok() {
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    };
    tokio::select! {
        () = gone => eprintln!("BlueZ went away; registering again when it is back"),
        _ = reregister.recv() => {
            drop(_serving);
            drop(_advertising);
            println!("released");
            reregister.recv().await;
        }
    }
    let mut shared = lock(state);
    shared.notifiers.clear();
    shared.stalled = false;
    shared.sensor.disconnect();
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    let end = Utc::now();
    let mut script = DayScript::typical_day(end);
    script.start = end - Span::minutes((args.hours * 60.0) as i64);
    let sensor = SimSensor::new(
        SensorConfig {
            serial: args.serial.clone(),
            ..SensorConfig::default()
        },
        &script,
    );
    let state: State = Arc::new(Mutex::new(Shared {
        sensor,
        notifiers: HashMap::new(),
        record_bytes_sent: 0,
        stall_after_bytes: args.stall_after_bytes,
        stalled: false,
    }));
    tokio::spawn(pump(state.clone()));
    let mut reregister = signal(SignalKind::user_defined1()).context("listening for SIGUSR1")?;
    loop {
        if let Err(error) = serve_once(&state, &args.adapter, &mut reregister).await {
            eprintln!("not serving yet: {error:#}");
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}
