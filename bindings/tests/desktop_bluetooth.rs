//! The desktop app's Bluetooth through the FFI objects it calls:
//! `DesktopBluetooth` scans and links, `sensors().pair(...)` and
//! `sensors().sync(...)` and `sensors().live(...)` run over that link,
//! against the simulated sensor
//! served by bluezoo (a BlueZ D-Bus mock) through btleplug's real Linux
//! backend. `tests/ble-e2e.sh` sets that up and runs these (they are
//! ignored otherwise), restarting bluezoo between connections:
//!
//! ```text
//! SECOND_HEART_BLE_ADAPTER=hci0 SECOND_HEART_BLE_SENSOR=00:00:00:00:00:02 \
//! SECOND_HEART_BLE_DB=/tmp/x.db cargo test -p second-heart-ffi --features desktop \
//!   --test desktop_bluetooth -- --ignored --exact scan_then_pair
//! ```
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, SystemTime};

use second_heart::{
    CadenceReading, DesktopBluetooth, FixedClock, ForeignError, LiveFrame, LiveListener,
    LiveProgress, LiveSettings, LiveSummary, NearbySensor, ScanListener, SecondHeart,
    SecondHeartError, SensorKind, SyncListener, SyncReport, TaskHandle,
};

/// What a scan or a sync told its listener.
#[derive(Debug)]
enum Heard {
    Found(NearbySensor),
    ScanEnded { cancelled: bool },
    Progress,
    Synced(SyncReport),
    Frame,
    NotCounted,
    Cadence,
    Streamed(LiveSummary),
    Failed(SecondHeartError),
}

struct Listener(std::sync::Mutex<Sender<Heard>>);

impl Listener {
    fn new() -> (Arc<Self>, Receiver<Heard>) {
        let (tx, rx) = channel();
        (Arc::new(Self(std::sync::Mutex::new(tx))), rx)
    }

    fn tell(&self, heard: Heard) -> Result<(), ForeignError> {
        let _ = self.0.lock().unwrap().send(heard);
        Ok(())
    }
}

impl ScanListener for Listener {
    fn on_found(&self, sensor: NearbySensor) -> Result<(), ForeignError> {
        self.tell(Heard::Found(sensor))
    }

    fn on_finished(&self, cancelled: bool) -> Result<(), ForeignError> {
        self.tell(Heard::ScanEnded { cancelled })
    }

    fn on_failed(&self, error: SecondHeartError) -> Result<(), ForeignError> {
        self.tell(Heard::Failed(error))
    }
}

impl SyncListener for Listener {
    fn on_progress(&self, _done: u32, _total: u32) -> Result<(), ForeignError> {
        self.tell(Heard::Progress)
    }

    fn on_finished(&self, report: SyncReport) -> Result<(), ForeignError> {
        self.tell(Heard::Synced(report))
    }

    fn on_failed(&self, error: SecondHeartError) -> Result<(), ForeignError> {
        self.tell(Heard::Failed(error))
    }
}

impl LiveListener for Listener {
    fn on_frame(
        &self,
        _frame: LiveFrame,
        _progress: Option<LiveProgress>,
    ) -> Result<(), ForeignError> {
        self.tell(Heard::Frame)
    }

    fn on_not_counted(&self, _error: SecondHeartError) -> Result<(), ForeignError> {
        self.tell(Heard::NotCounted)
    }

    fn on_cadence(&self, _reading: CadenceReading) -> Result<(), ForeignError> {
        self.tell(Heard::Cadence)
    }

    fn on_finished(&self, summary: LiveSummary) -> Result<(), ForeignError> {
        self.tell(Heard::Streamed(summary))
    }

    fn on_failed(&self, error: SecondHeartError) -> Result<(), ForeignError> {
        self.tell(Heard::Failed(error))
    }
}

fn setting(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: tests/ble-e2e.sh runs this"))
}

fn open_app() -> Arc<SecondHeart> {
    let clock = FixedClock::new(SystemTime::now(), "Europe/Berlin".to_owned()).unwrap();
    SecondHeart::open(setting("SECOND_HEART_BLE_DB"), clock).unwrap()
}

fn open_adapter() -> Arc<DesktopBluetooth> {
    DesktopBluetooth::open(Some(setting("SECOND_HEART_BLE_ADAPTER"))).unwrap()
}

/// Waits for the sync behind `task` to end; the handle is kept alive
/// meanwhile (dropping it cancels).
fn sync_outcome(
    task: &TaskHandle,
    heard: &Receiver<Heard>,
) -> Result<SyncReport, SecondHeartError> {
    loop {
        match heard.recv_timeout(Duration::from_secs(120)) {
            Ok(Heard::Progress) => {}
            Ok(Heard::Synced(report)) => return Ok(report),
            Ok(Heard::Failed(error)) => return Err(error),
            Ok(other) => panic!("a sync heard {other:?}"),
            Err(_) => panic!(
                "the sync did not end in 120 s (cancelled: {})",
                task.is_cancelled()
            ),
        }
    }
}

/// Scans until the scan ends, returning what it found and whether it was
/// cancelled; `on_found` may cancel it.
fn scan_outcome(
    heard: &Receiver<Heard>,
    limit: Duration,
    mut on_found: impl FnMut(&NearbySensor),
) -> (Vec<NearbySensor>, bool) {
    let mut found = Vec::new();
    loop {
        match heard.recv_timeout(limit) {
            Ok(Heard::Found(sensor)) => {
                on_found(&sensor);
                found.push(sensor);
            }
            Ok(Heard::ScanEnded { cancelled }) => return (found, cancelled),
            Ok(other) => panic!("a scan heard {other:?}"),
            Err(_) => panic!("the scan did not end within {limit:?}"),
        }
    }
}

#[test]
#[ignore = "needs bluezoo and the simulated sensor: tests/ble-e2e.sh"]
fn scan_then_pair() {
    let address = setting("SECOND_HEART_BLE_SENSOR");

    let error = DesktopBluetooth::open(Some("hci7".to_owned()))
        .err()
        .unwrap();
    assert!(
        matches!(&error, SecondHeartError::Bluetooth { detail } if detail.contains("no Bluetooth adapter called hci7")),
        "{error}"
    );
    let bluetooth = open_adapter();
    let (listener, heard) = Listener::new();
    assert!(matches!(
        bluetooth.scan(0, listener.clone()),
        Err(SecondHeartError::InvalidInput { .. })
    ));

    // A long scan cancelled once the sensor shows up ends at once, saying so.
    let scan = bluetooth.scan(120, listener.clone()).unwrap();
    let (found, cancelled) = scan_outcome(&heard, Duration::from_secs(30), |sensor| {
        if sensor.address == address {
            scan.cancel();
        }
    });
    assert!(cancelled, "the scan should say it was cancelled");
    assert!(found.iter().any(|s| s.address == address), "{found:?}");

    // A short scan runs its time and lists the sensor as a calf-pump sensor, once.
    let scan = bluetooth.scan(2, listener.clone()).unwrap();
    let (found, cancelled) = scan_outcome(&heard, Duration::from_secs(30), |_| {});
    assert!(!cancelled && !scan.is_cancelled());
    let sensor: Vec<_> = found.iter().filter(|s| s.address == address).collect();
    assert_eq!(sensor.len(), 1, "{found:?}");
    assert_eq!(sensor[0].kind, SensorKind::CalfPump);

    // Pairing over the desktop link stores the sensor's records.
    let app = open_app();
    let (listener, heard) = Listener::new();
    let task = app
        .sensors()
        .pair(bluetooth.link(address.clone()), address.clone(), listener)
        .unwrap();
    let report = sync_outcome(&task, &heard).unwrap();
    assert!(report.records_stored > 0, "{report:?}");
    assert_eq!(report.duplicates_ignored, 0);
    let paired = app.sensors().paired().unwrap();
    assert_eq!(paired.len(), 1, "{paired:?}");
    assert_eq!(paired[0].serial, report.serial);
    assert_eq!(paired[0].address, address);
    assert_eq!(paired[0].records, u64::from(report.records_stored));
}

#[test]
#[ignore = "needs bluezoo and the sensor paired by scan_then_pair: tests/ble-e2e.sh"]
fn sync_the_paired_sensor() {
    let app = open_app();
    let paired = app.sensors().paired().unwrap();
    assert_eq!(
        paired.len(),
        1,
        "scan_then_pair pairs one sensor: {paired:?}"
    );
    let sensor = &paired[0];
    let bluetooth = open_adapter();
    let (listener, heard) = Listener::new();
    let task = app
        .sensors()
        .sync(
            sensor.serial.clone(),
            bluetooth.link(sensor.address.clone()),
            listener,
        )
        .unwrap();
    let report = sync_outcome(&task, &heard).unwrap();
    assert_eq!(report.serial, sensor.serial);
    assert_eq!(report.duplicates_ignored, 0);
    assert!(
        report.records_stored < 10,
        "a sync right after pairing fetched {} records",
        report.records_stored
    );
    let summary = app
        .sensors()
        .summary(sensor.serial.clone())
        .unwrap()
        .unwrap();
    assert_eq!(
        summary.records,
        sensor.records + u64::from(report.records_stored)
    );
    assert_eq!(
        summary.records,
        u64::from(summary.high_water),
        "{summary:?}"
    );
}

#[test]
#[ignore = "needs bluezoo and the sensor paired by scan_then_pair: tests/ble-e2e.sh"]
fn live_from_the_paired_sensor() {
    let app = open_app();
    let sensor = app.sensors().paired().unwrap().remove(0);
    let bluetooth = open_adapter();
    let (listener, heard) = Listener::new();
    let settings = LiveSettings {
        rate_hz: 25,
        seconds: Some(3.0),
    };
    let task = app
        .sensors()
        .live(
            sensor.serial,
            bluetooth.link(sensor.address),
            settings,
            None,
            listener,
        )
        .unwrap();
    let (mut frames, mut cadences) = (0, 0);
    let summary = loop {
        match heard.recv_timeout(Duration::from_secs(60)) {
            Ok(Heard::Frame) => frames += 1,
            Ok(Heard::Cadence) => cadences += 1,
            Ok(Heard::Streamed(summary)) => break summary,
            Ok(other) => panic!("live data heard {other:?}"),
            Err(_) => panic!(
                "live data did not end in 60 s (cancelled: {})",
                task.is_cancelled()
            ),
        }
    };
    assert!(
        frames >= 2 && cadences >= 1,
        "{frames} frames, {cadences} cadence readings"
    );
    assert_eq!(
        (summary.frames, summary.cadence_readings),
        (frames, cadences)
    );
}

#[test]
#[ignore = "needs DBUS_SYSTEM_BUS_ADDRESS pointing at no bus: tests/ble-e2e.sh"]
fn without_bluez_the_adapter_is_unavailable() {
    let error = DesktopBluetooth::open(None).err().unwrap();
    assert!(
        matches!(&error, SecondHeartError::Bluetooth { detail } if detail.contains("cannot reach the Bluetooth service")),
        "{error}"
    );
}
