//! The use cases of `second-heart-ble` over the simulated sensor and radio
//! (core/src/sensor/sim) on a paused tokio clock: pairing, syncing the
//! paired sensor and no other, bounded syncs, and live data.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use second_heart_ble::{
    BleError, GattLink, LinkEvent, LiveReading, LiveSettings, Operation, SyncError, SyncReport,
    SyncSettings, SyncStore, pair, stream_live, stream_paired_live, sync_paired,
};
use second_heart_core::Store;
use second_heart_core::app::{FixedClock, SecondHeart, TodayListener, TodayView};
use second_heart_core::sensor::gatt::RacpRequest;
use second_heart_core::sensor::sim::{
    DayScript, FaultPlan, LinkConfig, SensorConfig, SimLink, SimSensor,
};
use second_heart_core::sensor::sync::{Action, Commit, CommitOutcome, DeviceSyncState, Event};
use second_heart_core::sensor::uuids;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

/// A [`GattLink`] over the simulated radio: each GATT operation runs the
/// simulated link until its answer arrives; notifications queue up.
struct SimGattLink {
    sensor: SimSensor,
    radio: SimLink,
    now_us: i64,
    queue: VecDeque<Event>,
    connects: u32,
    writes: Vec<(Uuid, Vec<u8>)>,
    /// Notifications delivered before the sensor falls silent (walked out
    /// of range without the link noticing); `None` never.
    silent_after: Option<u32>,
    delivered: u32,
}

impl SimGattLink {
    fn new(sensor: SimSensor, faults: FaultPlan, start: DateTime<Utc>) -> Self {
        Self {
            sensor,
            radio: SimLink::new(LinkConfig::phone(247), faults, 7),
            now_us: start.timestamp_millis() * 1000,
            queue: VecDeque::new(),
            connects: 0,
            writes: Vec::new(),
            silent_after: None,
            delivered: 0,
        }
    }

    /// Runs the radio one connection event; false when it has nothing to do.
    fn step(&mut self) -> bool {
        let Some(next) = self.radio.next_event_us(self.now_us, &self.sensor) else {
            return false;
        };
        self.now_us = next.max(self.now_us);
        self.sensor.advance_to(self.now_us / 1000);
        let events = self.radio.run(self.now_us, &mut self.sensor);
        self.queue.extend(events);
        true
    }

    /// Runs the radio until `pick` takes an event out of the queue.
    fn answer<T>(&mut self, pick: impl Fn(&Event) -> Option<T>) -> Result<T, BleError> {
        loop {
            if let Some(at) = self.queue.iter().position(|e| pick(e).is_some()) {
                let event = self.queue.remove(at).expect("present");
                return Ok(pick(&event).expect("picked"));
            }
            if self.queue.contains(&Event::Disconnected) {
                return Err(BleError::Stack("disconnected".into()));
            }
            if !self.step() {
                return Err(BleError::Stack("no answer: not connected".into()));
            }
        }
    }

    fn submit(&mut self, action: Action) {
        let events = self.radio.submit(self.now_us, action, &mut self.sensor);
        self.queue.extend(events);
    }
}

fn stack(error: impl std::fmt::Display) -> BleError {
    BleError::Stack(error.to_string())
}

impl GattLink for SimGattLink {
    async fn connect(&mut self) -> Result<(), BleError> {
        self.connects += 1;
        self.queue.clear();
        self.submit(Action::Connect);
        match self.answer(|e| match e {
            Event::Connected => Some(Ok(())),
            Event::ConnectFailed(error) => Some(Err(stack(error))),
            _ => None,
        })? {
            Ok(()) => {
                self.submit(Action::ExchangeMtu(247));
                self.answer(|e| matches!(e, Event::MtuChanged(_)).then_some(()))
            }
            Err(error) => Err(error),
        }
    }

    fn mtu(&self) -> u16 {
        247
    }

    async fn read(&mut self, characteristic: Uuid) -> Result<Vec<u8>, BleError> {
        self.submit(Action::Read(characteristic));
        self.answer(|e| match e {
            Event::ReadDone {
                characteristic: c,
                result,
            } if *c == characteristic => Some(result.clone().map_err(stack)),
            _ => None,
        })?
    }

    async fn write(&mut self, characteristic: Uuid, value: &[u8]) -> Result<(), BleError> {
        self.writes.push((characteristic, value.to_vec()));
        self.submit(Action::Write {
            characteristic,
            value: value.to_vec(),
        });
        self.answer(|e| match e {
            Event::WriteDone {
                characteristic: c,
                result,
            } if *c == characteristic => Some(result.clone().map_err(stack)),
            _ => None,
        })?
    }

    async fn write_without_response(
        &mut self,
        characteristic: Uuid,
        value: &[u8],
    ) -> Result<(), BleError> {
        self.write(characteristic, value).await
    }

    async fn subscribe(&mut self, characteristic: Uuid) -> Result<(), BleError> {
        self.submit(Action::Subscribe(characteristic));
        self.answer(|e| match e {
            Event::Subscribed {
                characteristic: c,
                result,
            } if *c == characteristic => Some(result.clone().map_err(stack)),
            _ => None,
        })?
    }

    async fn next_event(&mut self) -> LinkEvent {
        if self
            .silent_after
            .is_some_and(|limit| self.delivered >= limit)
        {
            return std::future::pending().await;
        }
        loop {
            while let Some(event) = self.queue.pop_front() {
                match event {
                    Event::Notification {
                        characteristic,
                        value,
                    } => {
                        self.delivered += 1;
                        return LinkEvent::Notification {
                            characteristic,
                            value,
                        };
                    }
                    Event::Disconnected => return LinkEvent::Disconnected,
                    _ => {}
                }
            }
            if self.step() {
                continue;
            }
            if self.radio.is_connected() && self.sensor.live_rate_hz().is_some() {
                // Live data: the sensor sends its frames and cadence as
                // (paused) runtime time passes.
                tokio::time::sleep(Duration::from_millis(40)).await;
                self.now_us += 40_000;
                self.sensor.advance_to(self.now_us / 1000);
                continue;
            }
            return std::future::pending().await;
        }
    }

    async fn disconnect(&mut self) -> Result<(), BleError> {
        self.submit(Action::Disconnect);
        Ok(())
    }
}

fn start() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-20T05:00:00Z")
        .expect("time")
        .to_utc()
}

fn worn_sensor(serial: &str) -> (SimSensor, DateTime<Utc>) {
    let script = DayScript::typical_day(start());
    let sensor = SimSensor::new(
        SensorConfig {
            serial: serial.into(),
            ..SensorConfig::default()
        },
        &script,
    );
    (sensor, script.end() + chrono::Duration::minutes(1))
}

fn settings() -> SyncSettings {
    SyncSettings::new(chrono_tz::Europe::Berlin, start())
}

fn store() -> Mutex<Store> {
    Mutex::new(Store::open_in_memory().expect("store"))
}

/// Pairs the sensor behind `link` as found at "AA:01": nothing else holds
/// it here, and nobody watches the progress.
async fn pair_at_aa01(
    link: &mut SimGattLink,
    store: &Mutex<Store>,
    settings: &SyncSettings,
    cancel: &CancellationToken,
) -> Result<SyncReport, SyncError> {
    pair(link, "AA:01", store, settings, cancel, |_| Ok(()), |_| {}).await
}

#[tokio::test(start_paused = true)]
async fn pairing_adopts_the_sensor_and_a_later_sync_fetches_only_what_is_new() {
    let store = store();
    let (sensor, at) = worn_sensor("SH-A");
    let mut link = SimGattLink::new(sensor, FaultPlan::none(), at);
    let cancel = CancellationToken::new();
    let paired = pair_at_aa01(&mut link, &store, &settings(), &cancel)
        .await
        .expect("pairing");
    assert_eq!(paired.serial, "SH-A");
    assert!(paired.records_stored > 900, "{paired:?}");
    let list = store.lock().expect("lock").paired_sensors().expect("list");
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0].serial.as_str(), list[0].address.as_str()),
        ("SH-A", "AA:01")
    );

    link.now_us += 10 * 60_000_000;
    let again = sync_paired(&mut link, &store, "SH-A", &settings(), &cancel, |_| {})
        .await
        .expect("sync");
    assert!(again.records_stored < 15, "{again:?}");
    assert!(again.high_water > paired.high_water);
}

#[tokio::test(start_paused = true)]
async fn the_phone_writes_its_local_offset_to_the_sensor() {
    let store = store();
    let (sensor, at) = worn_sensor("SH-A");
    let mut link = SimGattLink::new(sensor, FaultPlan::none(), at);
    pair_at_aa01(&mut link, &store, &settings(), &CancellationToken::new())
        .await
        .expect("pairing");
    let clock_write = link
        .writes
        .iter()
        .find(|(c, _)| *c == uuids::CURRENT_ELAPSED_TIME)
        .expect("the clock was written");
    // Berlin in November is UTC+1: four quarter hours.
    assert_eq!(clock_write.1[8], 4, "{:?}", clock_write.1);
}

#[tokio::test(start_paused = true)]
async fn another_sensor_at_the_paired_address_is_refused_before_anything_is_deleted() {
    let store = store();
    let cancel = CancellationToken::new();
    let (sensor_a, at) = worn_sensor("SH-A");
    let mut link_a = SimGattLink::new(sensor_a, FaultPlan::none(), at);
    pair_at_aa01(&mut link_a, &store, &settings(), &cancel)
        .await
        .expect("pairing");

    let (mut sensor_b, at) = worn_sensor("SH-B");
    sensor_b.advance_to(at.timestamp_millis());
    let held = sensor_b.held().count();
    let mut link_b = SimGattLink::new(sensor_b, FaultPlan::none(), at);
    let error = sync_paired(&mut link_b, &store, "SH-A", &settings(), &cancel, |_| {})
        .await
        .expect_err("wrong sensor");
    assert_eq!(
        error,
        SyncError::WrongSensor {
            expected: "SH-A".into(),
            found: "SH-B".into()
        }
    );
    assert!(
        !link_b.writes.iter().any(|(c, v)| *c == uuids::RACP
            && matches!(RacpRequest::parse(v), Ok(RacpRequest::Delete(_)))),
        "no delete was written"
    );
    assert_eq!(
        link_b.sensor.held().count(),
        held,
        "SH-B keeps every record"
    );
    let store = store.lock().expect("lock");
    assert_eq!(store.sensor_summary("SH-B").expect("summary"), None);
    assert_eq!(store.paired_sensors().expect("list").len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_sensor_never_paired_is_never_synced() {
    let store = store();
    let (sensor, at) = worn_sensor("SH-A");
    let mut link = SimGattLink::new(sensor, FaultPlan::none(), at);
    let error = sync_paired(
        &mut link,
        &store,
        "SH-A",
        &settings(),
        &CancellationToken::new(),
        |_| {},
    )
    .await
    .expect_err("not paired");
    assert_eq!(
        error,
        SyncError::NotPaired {
            serial: "SH-A".into()
        }
    );
    assert_eq!(link.connects, 0);
}

#[tokio::test(start_paused = true)]
async fn a_buggy_firmware_ends_the_sync_with_gave_up_in_bounded_time() {
    let store = store();
    let (sensor, at) = worn_sensor("SH-A");
    let mut link = SimGattLink::new(sensor, FaultPlan::parse("racp=silent").expect("spec"), at);
    let began = tokio::time::Instant::now();
    let error = pair_at_aa01(
        &mut link,
        &store,
        &settings().with_attempts(3),
        &CancellationToken::new(),
    )
    .await
    .expect_err("cannot finish");
    let SyncError::GaveUp { attempts, last } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(*attempts, 3);
    assert!(
        last.to_string()
            .contains("never answered the record request"),
        "{last}"
    );
    assert!(
        began.elapsed() < Duration::from_secs(120),
        "{:?}",
        began.elapsed()
    );
    assert!(link.connects <= 4, "{} connections", link.connects);
}

#[tokio::test(start_paused = true)]
async fn a_cancelled_sync_tells_the_sensor_to_abort() {
    let store = store();
    let (sensor, at) = worn_sensor("SH-A");
    let mut link = SimGattLink::new(sensor, FaultPlan::parse("racp=silent").expect("spec"), at);
    let cancel = CancellationToken::new();
    let stopper = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(2)).await;
        stopper.cancel();
    });
    let error = pair_at_aa01(&mut link, &store, &settings(), &cancel)
        .await
        .expect_err("cancelled");
    assert_eq!(error, SyncError::Cancelled);
    assert!(
        link.writes
            .iter()
            .any(|(c, v)| *c == uuids::RACP && RacpRequest::parse(v) == Ok(RacpRequest::Abort)),
        "the sensor got its Abort"
    );
    // Its records came intact before the answer that never did: they are
    // stored, not fetched again while the full ring overwrites them.
    let kept = store
        .lock()
        .expect("lock")
        .sensor_records("SH-A")
        .expect("records");
    assert!(kept.len() > 900, "{} records kept", kept.len());
}

#[tokio::test(start_paused = true)]
async fn live_data_streams_frames_and_cadence_then_stops_the_sensor() {
    let (sensor, at) = worn_sensor("SH-A");
    let mut link = SimGattLink::new(sensor, FaultPlan::none(), at);
    let settings = LiveSettings {
        duration: Some(Duration::from_secs(2)),
        ..LiveSettings::default()
    };
    let mut readings = Vec::new();
    let summary = stream_live(&mut link, &settings, &CancellationToken::new(), |r| {
        readings.push(r)
    })
    .await
    .expect("live");
    assert!(summary.frames >= 10, "{summary:?}");
    assert!(summary.cadence_readings >= 1, "{summary:?}");
    assert_eq!(summary.frames_lost, 0);
    assert!(readings.iter().any(|r| matches!(r, LiveReading::Frame(_))));
    assert_eq!(
        link.writes.last().map(|(c, v)| (*c, v.clone())),
        Some((uuids::CONTROL_POINT, vec![0x02])),
        "the sensor was told to stop"
    );
    assert!(!link.radio.is_connected());
}

#[tokio::test(start_paused = true)]
async fn live_data_times_out_when_the_control_point_never_answers() {
    let (sensor, at) = worn_sensor("SH-A");
    let mut link = SimGattLink::new(sensor, FaultPlan::parse("cp=silent").expect("spec"), at);
    let error = stream_live(
        &mut link,
        &LiveSettings::default(),
        &CancellationToken::new(),
        |_| {},
    )
    .await
    .expect_err("no answer");
    assert_eq!(
        error,
        SyncError::Timeout {
            operation: Operation::StartingLive
        }
    );
    assert!(error.to_string().contains("starting live data"), "{error}");
    assert!(!link.radio.is_connected());
}

#[tokio::test(start_paused = true)]
async fn live_data_without_a_duration_ends_when_the_sensor_falls_silent() {
    let (sensor, at) = worn_sensor("SH-A");
    let mut link = SimGattLink::new(sensor, FaultPlan::none(), at);
    link.silent_after = Some(30);
    let began = tokio::time::Instant::now();
    let mut frames = 0;
    let (settings, cancel) = (LiveSettings::default(), CancellationToken::new());
    let stream = stream_live(&mut link, &settings, &cancel, |r| {
        frames += u32::from(matches!(r, LiveReading::Frame(_)))
    });
    let error = tokio::time::timeout(Duration::from_secs(600), stream)
        .await
        .expect("the stream ended by itself")
        .expect_err("silence ends the stream");
    assert_eq!(
        error,
        SyncError::Timeout {
            operation: Operation::Streaming
        }
    );
    assert!(frames >= 20, "the stream ran before the silence: {frames}");
    let waited = began.elapsed();
    assert!(
        waited < Duration::from_secs(10),
        "ended one timeout after the last notification: {waited:?}"
    );
    assert_eq!(
        link.writes.last().map(|(c, v)| (*c, v.clone())),
        Some((uuids::CONTROL_POINT, vec![0x02])),
        "the sensor was still told to stop"
    );
}

#[tokio::test(start_paused = true)]
async fn live_data_comes_only_from_the_paired_sensor() {
    let store = store();
    let cancel = CancellationToken::new();
    let settings_2s = LiveSettings {
        duration: Some(Duration::from_secs(2)),
        ..LiveSettings::default()
    };
    let (sensor, at) = worn_sensor("SH-A");
    let mut link = SimGattLink::new(sensor, FaultPlan::none(), at);
    let error = stream_paired_live(&mut link, &store, "SH-A", &settings_2s, &cancel, |_| {})
        .await
        .expect_err("not paired");
    assert_eq!(
        error,
        SyncError::NotPaired {
            serial: "SH-A".into()
        }
    );
    assert_eq!(link.connects, 0, "an unpaired sensor is not even connected");

    pair_at_aa01(&mut link, &store, &settings(), &cancel)
        .await
        .expect("pairing");
    let mut frames = 0;
    let summary = stream_paired_live(&mut link, &store, "SH-A", &settings_2s, &cancel, |r| {
        frames += u32::from(matches!(r, LiveReading::Frame(_)));
    })
    .await
    .expect("live");
    assert!(frames >= 8 && summary.frames == frames, "{summary:?}");

    let (other, at) = worn_sensor("SH-B");
    let mut other_link = SimGattLink::new(other, FaultPlan::none(), at);
    let error = stream_paired_live(
        &mut other_link,
        &store,
        "SH-A",
        &settings_2s,
        &cancel,
        |_| {},
    )
    .await
    .expect_err("another sensor");
    assert_eq!(
        error,
        SyncError::WrongSensor {
            expected: "SH-A".into(),
            found: "SH-B".into()
        }
    );
    assert!(
        !other_link
            .writes
            .iter()
            .any(|(c, v)| *c == uuids::CONTROL_POINT && v.first() == Some(&0x01)),
        "live data never started on the other sensor"
    );
    assert!(!other_link.radio.is_connected());
}

/// Counts the Today announcements an app makes.
struct Announcements(AtomicUsize);

impl TodayListener for Announcements {
    fn today_changed(&self, _: TodayView) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

/// The app's store, counting the commits made through it.
struct CountedCommits<'a>(&'a SecondHeart, AtomicUsize);

impl SyncStore for CountedCommits<'_> {
    fn load(&self, serial: &str) -> second_heart_core::Result<DeviceSyncState> {
        self.0.load(serial)
    }

    fn commit(&self, commit: &Commit, now_utc_ms: i64) -> second_heart_core::Result<CommitOutcome> {
        self.1.fetch_add(1, Ordering::Relaxed);
        self.0.commit(commit, now_utc_ms)
    }

    fn commit_pairing(
        &self,
        commit: &Commit,
        address: &str,
        now_utc_ms: i64,
    ) -> second_heart_core::Result<CommitOutcome> {
        self.1.fetch_add(1, Ordering::Relaxed);
        self.0.commit_pairing(commit, address, now_utc_ms)
    }

    fn is_paired(&self, serial: &str) -> second_heart_core::Result<bool> {
        self.0.is_paired(serial)
    }
}

#[tokio::test(start_paused = true)]
async fn the_app_announces_each_commit_of_a_pairing_as_it_is_stored() {
    let (sensor, at) = worn_sensor("SH-A");
    let app = SecondHeart::open_in_memory(Arc::new(FixedClock {
        at,
        zone: chrono_tz::Europe::Berlin,
    }))
    .expect("app");
    let heard = Arc::new(Announcements(AtomicUsize::new(0)));
    let _subscription = app.observe_today(heard.clone());
    let store = CountedCommits(&app, AtomicUsize::new(0));
    let mut link = SimGattLink::new(sensor, FaultPlan::none(), at);
    let paired = pair(
        &mut link,
        "AA:01",
        &store,
        &settings(),
        &CancellationToken::new(),
        |_| Ok(()),
        |_| {},
    )
    .await
    .expect("pairing");
    assert!(paired.records_stored > 900, "{paired:?}");
    // Today's rings and the sensor's row follow the records as they are
    // stored, commit by commit (the clock's anchor, then the records), not
    // only once the front end hears the sync end.
    let commits = store.1.load(Ordering::Relaxed);
    assert!(commits >= 2, "{commits} commits");
    assert_eq!(heard.0.load(Ordering::Relaxed), commits);
}
