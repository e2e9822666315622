//! Paired sensors: the list, sync over the phone's Bluetooth link, forget.

use std::sync::Arc;
use std::time::SystemTime;

use std::future::Future;

use second_heart_ble::{SensorHold, pair, stream_paired_live, sync_paired, wind_down_with};
use second_heart_core::app::{self, SensorActivity, SensorClaim};
use second_heart_core::sensor::sync::{
    Progress, SyncError, SyncReport as CoreReport, SyncSettings,
};
use tokio_util::sync::CancellationToken;

use crate::SecondHeartError;
use crate::ble::{BleLink, ForeignLink};
use crate::error::ForeignError;
use crate::live::{LiveListener, LiveSessionCounter, LiveSettings, deliver};
use crate::task::{TaskHandle, spawn};

/// A sensor the user paired, as the Devices and Today screens show it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PairedSensor {
    /// Serial number: its identity.
    pub serial: String,
    /// The Bluetooth address it was last seen at.
    pub address: String,
    /// Model.
    pub model: String,
    /// Last synced.
    pub last_sync: Option<SystemTime>,
    /// Records stored from it, its histories from before a reset included.
    pub records: u64,
    /// Records missing for good: lost on a full sensor before a sync, or
    /// held damaged on it and skipped (before a reset too).
    pub gap_records: u64,
    /// Its Battery Level at the last sync that read one, percent.
    pub battery_percent: Option<u8>,
    /// When that level was read.
    pub battery_read: Option<SystemTime>,
    /// The user chose it to count walks and sets from (`count_sessions_from`).
    pub chosen_for_sessions: bool,
}

impl From<app::SensorState> for PairedSensor {
    fn from(s: app::SensorState) -> Self {
        Self {
            serial: s.serial,
            address: s.address,
            model: s.model,
            last_sync: s.last_sync.map(Into::into),
            records: s.records,
            gap_records: s.gap_records,
            battery_percent: s.battery_percent,
            battery_read: s.battery_read.map(Into::into),
            chosen_for_sessions: s.chosen_for_sessions,
        }
    }
}

/// What the database holds for one sensor.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SensorSummary {
    /// Serial number.
    pub serial: String,
    /// Records stored.
    pub records: u64,
    /// The last sequence number accounted for.
    pub high_water: u32,
    /// Records missing for good: lost on a full sensor before a sync, or
    /// held damaged on it and skipped.
    pub gap_records: u64,
}

/// What a sync did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncReport {
    /// The sensor's serial number.
    pub serial: String,
    /// Records newly stored.
    pub records_stored: u32,
    /// Records delivered again and ignored.
    pub duplicates_ignored: u32,
    /// Records lost on a full sensor before this sync.
    pub gap_records: u64,
    /// Records the sensor held damaged (their checksum failed every time
    /// they came), skipped so the sync could go on: missing for good.
    pub records_damaged: u32,
    /// Earlier records the sensor no longer held and no phone lost: fetched
    /// and cleared before (the sensor forgotten and paired again, an older
    /// backup restored, another phone).
    pub records_not_held: u32,
    /// The last sequence number now stored.
    pub high_water: u32,
    /// Connections used.
    pub connections: u32,
    /// The sensor's Battery Level at this sync, percent, when it told it.
    pub battery_percent: Option<u8>,
}

impl From<CoreReport> for SyncReport {
    fn from(report: CoreReport) -> Self {
        Self {
            gap_records: report.records_lost_when_full(),
            records_damaged: report.records_damaged,
            serial: report.serial,
            records_stored: report.records_stored,
            duplicates_ignored: report.duplicates_ignored,
            records_not_held: report.records_not_held,
            high_water: report.high_water,
            connections: report.connections,
            battery_percent: report.battery_percent,
        }
    }
}

/// Hears how a sync goes; exactly one of `on_finished` / `on_failed` ends
/// it. Called on the library's threads: hop to the UI thread yourself.
#[uniffi::export(with_foreign)]
pub trait SyncListener: Send + Sync {
    /// Records accounted for, of those the sensor announced.
    fn on_progress(&self, records_done: u32, records_total: u32) -> Result<(), ForeignError>;
    /// The sync ended well.
    fn on_finished(&self, report: SyncReport) -> Result<(), ForeignError>;
    /// The sync ended without finishing (cancelled, out of range, wrong
    /// sensor…); what was stored stays and the next sync resumes.
    fn on_failed(&self, error: SecondHeartError) -> Result<(), ForeignError>;
}

/// Paired sensors.
#[derive(Debug, uniffi::Object)]
pub struct Sensors {
    app: app::SecondHeart,
}

impl Sensors {
    pub(crate) fn new(app: app::SecondHeart) -> Self {
        Self { app }
    }
}

#[uniffi::export]
impl Sensors {
    /// The paired sensors, by serial, each with what is stored from it and
    /// its battery as the last sync read it.
    pub fn paired(&self) -> Result<Vec<PairedSensor>, SecondHeartError> {
        Ok(self
            .app
            .sensors()
            .paired()?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// The sensor a walk or a set counts from: the one the user chose,
    /// else the paired one synced last (as a rule the one worn now); none
    /// when none is paired.
    pub fn for_sessions(&self) -> Result<Option<PairedSensor>, SecondHeartError> {
        Ok(self.app.sensors().for_sessions()?.map(Into::into))
    }

    /// Walks and sets count from paired sensor `serial` from now on, or,
    /// with none, from the one synced last again. Refused (`InvalidInput`)
    /// when `serial` is not paired.
    pub fn count_sessions_from(&self, serial: Option<String>) -> Result<(), SecondHeartError> {
        Ok(self.app.sensors().count_sessions_from(serial.as_deref())?)
    }

    /// Accepts that sensor `serial` was reset (its sync ended with
    /// `SensorReset`): its history so far is kept, counting in the days as
    /// before and going with the sensor when it is forgotten, and its next
    /// sync starts afresh from its first record. Refused with
    /// `SensorBusy` while a sync or live stream holds it, and
    /// `InvalidInput` when it never synced here.
    pub fn accept_reset(&self, serial: String) -> Result<(), SecondHeartError> {
        Ok(self.app.sensors().accept_reset(&serial)?)
    }

    /// What is stored from sensor `serial` (paired or not), if anything.
    pub fn summary(&self, serial: String) -> Result<Option<SensorSummary>, SecondHeartError> {
        Ok(self.app.sensors().summary(&serial)?.map(|s| SensorSummary {
            serial: s.serial,
            records: s.records,
            high_water: s.high_water,
            gap_records: s.gap_records,
        }))
    }

    /// Forgets sensor `serial` and deletes its records; returns how many.
    /// Refused with `SensorBusy` while a sync or live stream holds it, and
    /// while any sensor is being paired (it may be this one, at a new
    /// address).
    pub fn forget(&self, serial: String) -> Result<u64, SecondHeartError> {
        Ok(self.app.sensors().forget(&serial)?)
    }

    /// Pairs the sensor behind `link` (the user chose it; `address` is the
    /// platform's identifier for it), sets its clock to the user's zone and
    /// fetches what it stored. Pairing is the only way a sensor's data
    /// enters the database. A sensor paired already at `address` is held as
    /// a sync holds it: while a sync or stream has it, pairing it again is
    /// refused with `SensorBusy` (or waits for one winding down). A new one
    /// is held by its address until the pairing ends: forgetting any
    /// sensor, a restore and deleting everything are refused with
    /// `SensorBusy` meanwhile. Once the sensor names itself it is held by
    /// its serial too: the same sensor syncing or streaming at another
    /// address ends this pairing with `SensorBusy` before anything is
    /// stored or written to it. Runs on the library's runtime.
    pub fn pair(
        &self,
        link: Arc<dyn BleLink>,
        address: String,
        listener: Arc<dyn SyncListener>,
    ) -> Result<Arc<TaskHandle>, SecondHeartError> {
        // A new sensor is held by its address until the pairing ends: what
        // it stores as it goes is not forgotten, deleted or replaced under it.
        let (held_as, hold) = match self.app.sensors().paired_at(&address)? {
            Some(serial) => {
                let hold = SensorHold::ask(&self.app.sensors(), &serial, SensorActivity::Syncing)?;
                (serial, hold)
            }
            None => (
                address.clone(),
                SensorHold::ask(&self.app.sensors(), &address, SensorActivity::Pairing)?,
            ),
        };
        self.run_sync(
            link,
            listener,
            hold,
            move |mut link, app, settings, token, progress| async move {
                // Once the sensor names itself, it is held by its serial
                // too (see `hold_for_pairing`); cancelled, this pairing is
                // waited for, as by its address.
                let sensors = app.sensors();
                let hold_serial = |serial: &str| {
                    let claim = sensors.hold_for_pairing(serial, &held_as)?;
                    if let Some(claim) = &claim {
                        wind_down_with(claim, &token);
                    }
                    Ok(claim)
                };
                pair(
                    &mut link,
                    &address,
                    &app,
                    &settings,
                    &token,
                    hold_serial,
                    progress,
                )
                .await
            },
        )
    }

    /// Fetches what the paired sensor `serial` stored since the last sync,
    /// through `link`. Another sensor answering ends it with `WrongSensor`
    /// before anything is stored or deleted; an unpaired serial with
    /// `NotPaired`. A sensor another sync or live stream holds is refused
    /// at once with `SensorBusy`, unless that one was cancelled and is
    /// winding down: then the sync waits for it. Runs on the library's
    /// runtime; cancel through the handle.
    pub fn sync(
        &self,
        serial: String,
        link: Arc<dyn BleLink>,
        listener: Arc<dyn SyncListener>,
    ) -> Result<Arc<TaskHandle>, SecondHeartError> {
        let hold = SensorHold::ask(&self.app.sensors(), &serial, SensorActivity::Syncing)?;
        self.run_sync(
            link,
            listener,
            hold,
            move |mut link, app, settings, token, progress| async move {
                sync_paired(&mut link, &app, &serial, &settings, &token, progress).await
            },
        )
    }

    /// Streams live data from the paired sensor `serial` through `link`:
    /// every Live Frame and cadence reading reaches `listener` as it
    /// arrives until `settings.seconds` pass or the handle is cancelled;
    /// then the sensor is told to stop and the link is dropped. With a
    /// `counter` (`Sessions.liveCounter()`), each frame is counted into the
    /// running session first and `on_frame` carries its progress. An
    /// unpaired serial ends it with `NotPaired`, another sensor answering
    /// with `WrongSensor`, as a sync does; a sensor another stream or a
    /// sync holds is refused at once with `SensorBusy` (one stream a
    /// sensor: a second would stop the first's frames when it ended),
    /// unless that one was cancelled and is winding down: then this one
    /// waits for it, so stopping a stream and starting the next at once
    /// works. Runs on the library's runtime.
    pub fn live(
        &self,
        serial: String,
        link: Arc<dyn BleLink>,
        settings: LiveSettings,
        counter: Option<Arc<LiveSessionCounter>>,
        listener: Arc<dyn LiveListener>,
    ) -> Result<Arc<TaskHandle>, SecondHeartError> {
        let settings = second_heart_ble::LiveSettings::checked(settings.rate_hz, settings.seconds)?;
        let activity = if counter.is_some() {
            SensorActivity::CountingSession
        } else {
            SensorActivity::StreamingLive
        };
        let hold = SensorHold::ask(&self.app.sensors(), &serial, activity)?;
        let app = self.app.clone();
        let on_bug = Arc::clone(&listener);
        spawn(
            move |token| {
                hold.watch(&token);
                async move {
                    let claim = match taken(hold, &app, &token).await {
                        Ok(claim) => claim,
                        Err(error) => {
                            // A listener that throws has nobody left to tell.
                            let _ = listener.on_failed(error);
                            return;
                        }
                    };
                    let mut link = ForeignLink::new(link);
                    let result = stream_paired_live(
                        &mut link,
                        app.store(),
                        &serial,
                        &settings,
                        &token,
                        |reading| deliver(reading, counter.as_deref(), listener.as_ref()),
                    )
                    .await;
                    // The sensor was told to stop and the link dropped: it is free
                    // for the next operation before the listener hears the end.
                    drop(claim);
                    // A listener that throws has nobody left to tell.
                    let _ = match result {
                        Ok(summary) => listener.on_finished(summary.into()),
                        Err(error) => listener.on_failed(error.into()),
                    };
                }
            },
            move |bug| {
                let _ = on_bug.on_failed(bug);
            },
        )
        .ok_or_else(no_runtime)
    }
}

/// The settings of a sync starting now: the phone's clock and zone.
fn sync_settings(app: &app::SecondHeart) -> Result<SyncSettings, SecondHeartError> {
    let now = app.now()?;
    Ok(SyncSettings::new(now.zone, now.at))
}

/// The claim `hold` waited for; cancelled meanwhile, `SyncCancelled`.
async fn taken(
    hold: SensorHold,
    app: &app::SecondHeart,
    token: &CancellationToken,
) -> Result<SensorClaim, SecondHeartError> {
    hold.take(&app.sensors(), token)
        .await?
        .ok_or(SecondHeartError::SyncCancelled)
}

/// The runtime's threads could not be started.
fn no_runtime() -> SecondHeartError {
    SecondHeartError::Internal {
        detail: "could not start the library's worker threads".to_owned(),
    }
}

impl Sensors {
    /// Runs one sync on the library's runtime, holding its sensor (`hold`)
    /// until it ends (let go before the listener hears the end), and
    /// reports it. The sync's settings (the phone's clock and zone, which
    /// the sensor's clock is set from) are read here, so a zone that cannot
    /// be read fails at once, and read again once the sensor is held, so a
    /// wait for it does not set the sensor's clock behind.
    fn run_sync<F, Fut>(
        &self,
        link: Arc<dyn BleLink>,
        listener: Arc<dyn SyncListener>,
        hold: SensorHold,
        sync: F,
    ) -> Result<Arc<TaskHandle>, SecondHeartError>
    where
        F: FnOnce(
                ForeignLink,
                app::SecondHeart,
                SyncSettings,
                CancellationToken,
                Box<dyn FnMut(Progress) + Send>,
            ) -> Fut
            + Send
            + 'static,
        Fut: Future<Output = Result<CoreReport, SyncError>> + Send,
    {
        let settings = sync_settings(&self.app)?;
        let app = self.app.clone();
        let on_bug = Arc::clone(&listener);
        spawn(
            move |token| {
                hold.watch(&token);
                async move {
                    let claim = match taken(hold, &app, &token).await {
                        Ok(claim) => claim,
                        Err(error) => {
                            let _ = listener.on_failed(error);
                            return;
                        }
                    };
                    let progress_listener = Arc::clone(&listener);
                    let progress = Box::new(move |p: Progress| {
                        let _ = progress_listener.on_progress(p.records_done, p.records_total);
                    });
                    let settings = sync_settings(&app).unwrap_or(settings);
                    let result = sync(
                        ForeignLink::new(link),
                        app.clone(),
                        settings,
                        token,
                        progress,
                    )
                    .await;
                    // Free for the next operation before the listener hears the end.
                    drop(claim);
                    app.changed();
                    // A listener that throws has nobody left to tell.
                    let _ = match result {
                        Ok(report) => listener.on_finished(report.into()),
                        Err(error) => listener.on_failed(error.into()),
                    };
                }
            },
            move |bug| {
                let _ = on_bug.on_failed(bug);
            },
        )
        .ok_or_else(no_runtime)
    }
}
