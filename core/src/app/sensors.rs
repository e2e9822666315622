//! Paired sensors as the apps list them (with what is stored from each and
//! the battery the last sync read), which one walks and sets count from
//! (the user's choice, else the one synced last), forgetting one, and the
//! claim a radio operation holds on a sensor while it runs. Pairing, syncing and live
//! data need a radio: they are in `second-heart-ble`.

use std::collections::HashMap;
use std::fmt;

use chrono::{DateTime, Utc};

use super::{SecondHeart, SensorState};
use crate::store::SensorSummary;
use crate::{Error, Result};

/// What a radio operation is doing with a sensor it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SensorActivity {
    /// Fetching the records it stored.
    Syncing,
    /// Streaming live data to a screen, only to be watched.
    StreamingLive,
    /// Streaming live data that counts the running session (a walk, a set).
    CountingSession,
    /// Being forgotten: its records are being deleted.
    Forgetting,
    /// Having its history set aside after a reset.
    SettingHistoryAside,
    /// Being paired: held by its Bluetooth address until the pairing ends
    /// (its serial is not known before it is read).
    Pairing,
}

impl fmt::Display for SensorActivity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Syncing => "syncing",
            Self::StreamingLive => "streaming live data",
            Self::CountingSession => "counting your walk or exercise from its live data",
            Self::Forgetting => "being forgotten",
            Self::SettingHistoryAside => "having its history set aside after its reset",
            Self::Pairing => "being paired",
        })
    }
}

/// Says whether the operation holding a sensor is winding down.
type WindingDown = Box<dyn Fn() -> bool + Send + Sync>;

/// The radio operation that holds a sensor now.
pub(super) struct Holder {
    activity: SensorActivity,
    winding_down: Option<WindingDown>,
}

impl Holder {
    fn winding_down(&self) -> bool {
        self.winding_down.as_ref().is_some_and(|probe| probe())
    }

    /// The refusal of another operation on `serial`, naming what holds it.
    fn busy(&self, serial: &str) -> Error {
        Error::SensorBusy {
            serial: serial.to_owned(),
            activity: self.activity,
        }
    }
}

/// One radio operation's hold on a sensor: while it lives, another sync or
/// live stream of the same sensor is refused with [`Error::SensorBusy`], and
/// so is forgetting it. Dropping it lets the sensor go.
#[derive(Debug)]
#[must_use = "the sensor is let go as soon as the claim is dropped"]
pub struct SensorClaim {
    app: SecondHeart,
    serial: String,
}

impl SensorClaim {
    /// Tells the claim how to know its operation is winding down (it was
    /// cancelled and is telling the sensor to stop): a new operation that
    /// asks for the sensor meanwhile waits for it to let go
    /// ([`SensorRequest::HandingOver`]) instead of being refused, so
    /// stopping one stream and starting the next at once works.
    pub fn winding_down_when(&self, probe: impl Fn() -> bool + Send + Sync + 'static) {
        if let Some(holder) = self.app.sensors_in_use().get_mut(&self.serial) {
            holder.winding_down = Some(Box::new(probe));
        }
    }
}

impl Drop for SensorClaim {
    fn drop(&mut self) {
        self.app.sensors_in_use().remove(&self.serial);
    }
}

/// What asking for a sensor gave ([`SensorsService::request`]).
#[derive(Debug)]
pub enum SensorRequest {
    /// It was free and is now held for the operation.
    Held(SensorClaim),
    /// The operation holding it (doing this) is winding down: ask again
    /// shortly.
    HandingOver(SensorActivity),
}

/// Paired sensors.
#[derive(Debug, Clone)]
pub struct SensorsService {
    app: SecondHeart,
}

impl SensorsService {
    pub(super) fn new(app: SecondHeart) -> Self {
        Self { app }
    }

    /// The paired sensors, by serial, each with what is stored from it and
    /// its battery as the last sync read it.
    pub fn paired(&self) -> Result<Vec<SensorState>> {
        sensor_states(&self.app.locked_store())
    }

    /// The serial of the paired sensor at Bluetooth `address` (as a scan
    /// or the platform names it, in any case; see `Store::find_paired`), if
    /// one is: pairing it again must wait for whatever holds it.
    pub fn paired_at(&self, address: &str) -> Result<Option<String>> {
        Ok(self
            .app
            .locked_store()
            .find_paired(address)?
            .map(|p| p.serial))
    }

    /// The sensor a walk or a set counts from: the one the user chose
    /// ([`Self::count_sessions_from`]), else, of the paired sensors, the
    /// one synced last (as a rule the one worn now), the first by serial
    /// among equals; `None` when none is paired. Every front end asks this,
    /// so all count from the same sensor.
    pub fn for_sessions(&self) -> Result<Option<SensorState>> {
        Ok(session_sensor_first(self.paired()?).into_iter().next())
    }

    /// Walks and sets count from paired sensor `serial` from now on, or,
    /// with `None`, from the one synced last again. The choice goes with
    /// the sensor when it is forgotten. Refused as invalid input when
    /// `serial` is not paired.
    pub fn count_sessions_from(&self, serial: Option<&str>) -> Result<()> {
        self.app
            .store_to_write()?
            .choose_sensor_for_sessions(serial)?;
        self.app.changed();
        Ok(())
    }

    /// Accepts that sensor `serial` was reset (its sync was refused
    /// with `SensorReset`): its history is kept and counts as before, and
    /// its next sync starts afresh from its first record (see
    /// [`super::accept_sensor_reset`]). Refused with [`Error::SensorBusy`]
    /// while a sync or live stream holds it, and as invalid input when it
    /// never synced here.
    pub fn accept_reset(&self, serial: &str) -> Result<()> {
        let accepting = {
            let mut in_use = self.app.sensors_in_use();
            if let Some(holder) = in_use.get(serial) {
                return Err(holder.busy(serial));
            }
            self.hold(&mut in_use, serial, SensorActivity::SettingHistoryAside)
        };
        super::accept_sensor_reset(&mut *self.app.store_to_write()?, serial)?;
        drop(accepting);
        self.app.changed();
        Ok(())
    }

    /// What is stored from sensor `serial` (paired or not), if anything.
    pub fn summary(&self, serial: &str) -> Result<Option<SensorSummary>> {
        self.app.locked_store().sensor_summary(serial)
    }

    /// Forgets sensor `serial` and deletes its records; returns how many.
    /// Refused with [`Error::SensorBusy`] while a sync or live stream holds
    /// it: a sync would otherwise store records of a sensor just forgotten.
    /// While a pairing runs, forgetting waits too: a pairing holds its
    /// sensor by the address it was found at, before it knows the serial
    /// (which may be this one, paired again at a new address), and stores
    /// as it goes, so it would bring the sensor back.
    pub fn forget(&self, serial: &str) -> Result<u64> {
        // Held while its records go, so no sync starts on it meanwhile; one
        // look at what is held, so no pairing starts between.
        let forgetting = {
            let mut in_use = self.app.sensors_in_use();
            let pairing = in_use
                .iter()
                .find(|(_, holder)| holder.activity == SensorActivity::Pairing);
            if let Some((address, holder)) = pairing {
                return Err(holder.busy(address));
            }
            if let Some(holder) = in_use.get(serial) {
                return Err(holder.busy(serial));
            }
            self.hold(&mut in_use, serial, SensorActivity::Forgetting)
        };
        let removed = super::forget_sensor(&mut *self.app.store_to_write()?, serial)?;
        drop(forgetting);
        self.app.changed();
        Ok(removed)
    }

    /// Runs `f` while no sensor is held, and refuses, with
    /// [`Error::SensorBusy`], while one is: a restore or a deletion of
    /// everything under a running sync would have the sync go on writing
    /// with what it read before (a device recreated unpaired, records
    /// stored without their clock). No sync or live stream can take a
    /// sensor until `f` returns.
    pub(super) fn while_none_held<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        // Held through `f`: a claim asked for meanwhile waits for it. The
        // caller may hold the store: nothing takes the store while holding
        // this lock.
        let in_use = self.app.sensors_in_use();
        if let Some((serial, holder)) = in_use.iter().next() {
            return Err(holder.busy(serial));
        }
        f()
    }

    /// Holds sensor `serial` for one radio operation (`activity`) until the
    /// returned claim is dropped. A sensor takes one operation at a time:
    /// while one holds it, another is refused with [`Error::SensorBusy`]
    /// naming what holds it, so two links never fight over one sensor (a
    /// second stream's stop would end the first one's frames).
    pub fn claim(&self, serial: &str, activity: SensorActivity) -> Result<SensorClaim> {
        let mut in_use = self.app.sensors_in_use();
        if let Some(holder) = in_use.get(serial) {
            return Err(holder.busy(serial));
        }
        Ok(self.hold(&mut in_use, serial, activity))
    }

    /// As [`Self::claim`], except that a sensor whose holder is winding
    /// down (see [`SensorClaim::winding_down_when`]) is not refused: the
    /// answer says so, and the caller may ask again once it has let go.
    /// One look at the sensors held, so a holder that lets go meanwhile
    /// cannot be mistaken for one that runs on.
    pub fn request(&self, serial: &str, activity: SensorActivity) -> Result<SensorRequest> {
        let mut in_use = self.app.sensors_in_use();
        match in_use.get(serial) {
            None => Ok(SensorRequest::Held(self.hold(
                &mut in_use,
                serial,
                activity,
            ))),
            Some(holder) if holder.winding_down() => {
                Ok(SensorRequest::HandingOver(holder.activity))
            }
            Some(holder) => Err(holder.busy(serial)),
        }
    }

    /// Holds sensor `serial` for a pairing already holding it as
    /// `held_as` (the address it was found at, or the serial it was paired
    /// under), once the sensor has named itself: nothing more when that is
    /// the same name (paired here, or a demo sensor whose address is its
    /// serial), nothing when its holder is winding down (it only tells the
    /// sensor to stop and lets go), else a claim; [`Error::SensorBusy`]
    /// while another sync or stream holds it, at another address.
    pub fn hold_for_pairing(&self, serial: &str, held_as: &str) -> Result<Option<SensorClaim>> {
        if serial == held_as {
            return Ok(None);
        }
        Ok(match self.request(serial, SensorActivity::Pairing)? {
            SensorRequest::Held(claim) => Some(claim),
            SensorRequest::HandingOver(_) => None,
        })
    }

    fn hold(
        &self,
        in_use: &mut HashMap<String, Holder>,
        serial: &str,
        activity: SensorActivity,
    ) -> SensorClaim {
        in_use.insert(
            serial.to_owned(),
            Holder {
                activity,
                winding_down: None,
            },
        );
        SensorClaim {
            app: self.app.clone(),
            serial: serial.to_owned(),
        }
    }
}

/// `sensors` with the one walks and sets count from first (see
/// [`SensorsService::for_sessions`]), the others in their order.
pub(super) fn session_sensor_first(mut sensors: Vec<SensorState>) -> Vec<SensorState> {
    let chosen = sensors
        .iter()
        .position(|s| s.chosen_for_sessions)
        .or_else(|| {
            sensors
                .iter()
                .enumerate()
                .max_by(|(_, a), (_, b)| {
                    a.last_sync
                        .cmp(&b.last_sync)
                        .then_with(|| b.serial.cmp(&a.serial))
                })
                .map(|(index, _)| index)
        });
    if let Some(index) = chosen {
        sensors[..=index].rotate_right(1);
    }
    sensors
}

/// The paired sensors joined with their stored records.
pub(super) fn sensor_states(store: &crate::Store) -> Result<Vec<SensorState>> {
    store
        .paired_sensors()?
        .into_iter()
        .map(|paired| {
            // Its histories set aside after a reset are still its records
            // (they count in the days, and go when it is forgotten).
            let (mut records, mut gap_records) = (0, 0);
            for name in store
                .sensor_histories_aside(&paired.serial)?
                .iter()
                .map(String::as_str)
                .chain([paired.serial.as_str()])
            {
                if let Some(summary) = store.sensor_summary(name)? {
                    records += summary.records;
                    gap_records += summary.gap_records;
                }
            }
            let at = |ms: Option<i64>| ms.and_then(DateTime::<Utc>::from_timestamp_millis);
            Ok(SensorState {
                last_sync: at(paired.last_sync_utc_ms),
                battery_read: at(paired.battery_utc_ms),
                battery_percent: paired.battery_percent,
                chosen_for_sessions: paired.chosen_for_sessions,
                records,
                gap_records,
                serial: paired.serial,
                address: paired.address,
                model: paired.model,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::app::FixedClock;
    use crate::sensor::sim::{DayScript, LinkConfig, SensorConfig, SimSensor, pair};
    use crate::test_support::utc;

    /// An empty app on a Berlin evening.
    fn evening_app() -> SecondHeart {
        let clock = FixedClock {
            at: utc("2026-11-21T18:00:00Z"),
            zone: chrono_tz::Europe::Berlin,
        };
        SecondHeart::open_in_memory(Arc::new(clock)).expect("database")
    }

    #[test]
    fn the_paired_list_joins_each_sensor_with_its_records_and_battery() {
        let app = evening_app();
        assert!(app.sensors().paired().expect("list").is_empty());
        let start = utc("2026-11-21T06:00:00Z");
        let mut sensor = SimSensor::new(
            SensorConfig {
                serial: "SH-LIST".into(),
                ..SensorConfig::default()
            },
            &DayScript::typical_day(start),
        );
        let booted = start.timestamp_millis() + 8 * 3_600_000;
        let run = {
            let mut store = app.store().lock().expect("store");
            let run = pair(&mut sensor, LinkConfig::phone(247), &mut store, booted);
            store
                .mark_paired("SH-LIST", "AA:01", booted)
                .expect("paired");
            run
        };
        let report = run.result.expect("synced");
        // 8 h of wear: the simulated battery has run down 4 %.
        assert_eq!(report.battery_percent, Some(96));
        let list = app.sensors().paired().expect("list");
        assert_eq!(list.len(), 1);
        let listed = &list[0];
        assert_eq!(
            (listed.serial.as_str(), listed.address.as_str()),
            ("SH-LIST", "AA:01")
        );
        assert_eq!(listed.records, u64::from(report.high_water));
        assert_eq!(listed.battery_percent, Some(96));
        assert!(listed.battery_read.is_some() && listed.battery_read == listed.last_sync);
        assert_eq!(
            app.today().view().expect("today").sensors,
            list,
            "Today shows the same sensors"
        );
        // Found reset, its history kept: still counted as the sensor's.
        app.sensors().accept_reset("SH-LIST").expect("kept aside");
        let kept = &app.sensors().paired().expect("list")[0];
        assert_eq!(
            (kept.records, kept.gap_records),
            (listed.records, listed.gap_records)
        );
        assert_eq!(
            app.sensors().forget("SH-LIST").expect("forgotten"),
            listed.records
        );
        assert!(app.sensors().paired().expect("list").is_empty());
    }

    #[test]
    fn sessions_count_from_the_sensor_synced_last() {
        assert_eq!(evening_app().sensors().for_sessions().expect("none"), None);
        // Two sensors paired, synced at these hours of the morning.
        let counting = |synced: [(&str, i64); 2]| {
            let app = with_paired(&synced);
            let sensor = app
                .sensors()
                .for_sessions()
                .expect("read")
                .map(|s| s.serial);
            let today = app.today().view().expect("today").sensors;
            assert_eq!(
                today.first().map(|s| s.serial.clone()),
                sensor,
                "Today shows the same sensor first"
            );
            sensor
        };
        assert_eq!(
            counting([("SH-LEFT", 8), ("SH-RIGHT", 9)]).as_deref(),
            Some("SH-RIGHT")
        );
        assert_eq!(
            counting([("SH-RIGHT", 8), ("SH-LEFT", 9)]).as_deref(),
            Some("SH-LEFT"),
            "the later sync, not the serial"
        );
        assert_eq!(
            counting([("SH-RIGHT", 8), ("SH-LEFT", 8)]).as_deref(),
            Some("SH-LEFT"),
            "synced at once: the first by serial"
        );
    }

    /// An app with these sensors paired, each synced at its hour of the
    /// morning (after 06:00 UTC).
    fn with_paired(synced: &[(&str, i64)]) -> SecondHeart {
        let app = evening_app();
        for &(serial, hours) in synced {
            let at = sync_at(&app, serial, hours);
            let mut store = app.store().lock().expect("store");
            store.mark_paired(serial, serial, at).expect("paired");
        }
        app
    }

    /// Syncs sensor `serial` into `app` at `hours` after 06:00 UTC; returns when, Unix ms.
    fn sync_at(app: &SecondHeart, serial: &str, hours: i64) -> i64 {
        let start = utc("2026-11-21T06:00:00Z");
        let mut sensor = SimSensor::new(
            SensorConfig {
                serial: serial.into(),
                ..SensorConfig::default()
            },
            &DayScript::typical_day(start),
        );
        let at = start.timestamp_millis() + hours * 3_600_000;
        let mut store = app.store().lock().expect("store");
        pair(&mut sensor, LinkConfig::phone(247), &mut store, at)
            .result
            .expect("synced");
        at
    }

    #[test]
    fn the_user_picks_the_sensor_sessions_count_from_until_it_is_forgotten() {
        let app = with_paired(&[("SH-LEFT", 8), ("SH-RIGHT", 9), ("SH-SPARE", 10)]);
        let counting = || {
            app.sensors()
                .for_sessions()
                .expect("read")
                .map(|s| s.serial)
        };
        assert_eq!(counting().as_deref(), Some("SH-SPARE"), "synced last");
        let told = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        struct Count(Arc<std::sync::atomic::AtomicUsize>);
        impl crate::app::TodayListener for Count {
            fn today_changed(&self, _: crate::app::TodayView) {
                self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
        }
        let _heard = app.observe_today(Arc::new(Count(told.clone())));

        app.sensors()
            .count_sessions_from(Some("SH-LEFT"))
            .expect("chosen");
        assert_eq!(counting().as_deref(), Some("SH-LEFT"), "the user's choice");
        assert!(
            told.load(std::sync::atomic::Ordering::SeqCst) > 0,
            "Today hears of it"
        );
        let today = app.today().view().expect("today").sensors;
        assert_eq!(today[0].serial, "SH-LEFT", "Today lists it first");
        assert_eq!(
            today.iter().filter(|s| s.chosen_for_sessions).count(),
            1,
            "{today:?}"
        );
        // A newer sync does not override a choice; choosing again moves it.
        sync_at(&app, "SH-SPARE", 11);
        assert_eq!(counting().as_deref(), Some("SH-LEFT"), "after a later sync");
        app.sensors()
            .count_sessions_from(Some("SH-RIGHT"))
            .expect("chosen");
        let paired = app.sensors().paired().expect("list");
        let chosen: Vec<_> = paired
            .iter()
            .filter(|s| s.chosen_for_sessions)
            .map(|s| s.serial.as_str())
            .collect();
        assert_eq!(chosen, ["SH-RIGHT"], "one choice at a time");

        // A sensor that is not paired is refused and the choice stays.
        let refused = app.sensors().count_sessions_from(Some("SH-NOBODY"));
        assert!(
            matches!(refused, Err(Error::InvalidInput { .. })),
            "{refused:?}"
        );
        assert_eq!(counting().as_deref(), Some("SH-RIGHT"));

        // Back to the rule, and a forgotten choice falls back to it too.
        app.sensors().count_sessions_from(None).expect("automatic");
        assert_eq!(counting().as_deref(), Some("SH-SPARE"));
        app.sensors()
            .count_sessions_from(Some("SH-LEFT"))
            .expect("chosen");
        app.sensors().forget("SH-LEFT").expect("forgotten");
        assert_eq!(counting().as_deref(), Some("SH-SPARE"));
    }

    #[test]
    fn nothing_is_restored_or_deleted_under_a_running_sync() {
        let app = evening_app();
        let backup = tempfile::tempdir().expect("dir");
        let file = backup.path().join("backup.db");
        app.data().backup_to_file(&file).expect("backup");
        let sync = app
            .sensors()
            .claim("SH-A", SensorActivity::Syncing)
            .expect("free");
        for refused in [
            app.data().restore_from_file(&file, true).map(|_| ()),
            app.data().delete_all(true),
        ] {
            assert!(
                matches!(
                    refused,
                    Err(Error::SensorBusy {
                        activity: SensorActivity::Syncing,
                        ..
                    })
                ),
                "{refused:?}"
            );
        }
        drop(sync);
        app.data().restore_from_file(&file, true).expect("restored");
        app.data().delete_all(true).expect("deleted");
    }

    #[test]
    fn a_sensor_takes_one_radio_operation_at_a_time_and_is_not_forgotten_under_one() {
        let app = evening_app();
        let sensors = app.sensors();
        let walk_stream = sensors
            .claim("SH-A", SensorActivity::StreamingLive)
            .expect("free");

        let refused = |result: Result<SensorClaim>| match result {
            Err(error @ Error::SensorBusy { .. }) => error.to_string(),
            other => panic!("expected SensorBusy, got {other:?}"),
        };
        assert_eq!(
            refused(sensors.claim("SH-A", SensorActivity::Syncing)),
            "sensor SH-A is busy streaming live data: wait for it to end or stop it, then try again"
        );
        assert!(refused(sensors.claim("SH-A", SensorActivity::StreamingLive)).contains("busy"));
        assert!(matches!(
            sensors.forget("SH-A"),
            Err(Error::SensorBusy {
                activity: SensorActivity::StreamingLive,
                ..
            })
        ));
        // Another sensor is free meanwhile.
        let other = sensors
            .claim("SH-B", SensorActivity::Syncing)
            .expect("free");
        assert_eq!(
            refused(sensors.claim("SH-B", SensorActivity::StreamingLive)),
            "sensor SH-B is busy syncing: wait for it to end or stop it, then try again"
        );

        // A holder that winds down (cancelled, telling the sensor to stop)
        // says so: a request then hears it is being handed over, while a
        // plain claim is still refused until it lets go.
        let cancelled = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let probe = Arc::clone(&cancelled);
        walk_stream.winding_down_when(move || probe.load(std::sync::atomic::Ordering::SeqCst));
        assert!(matches!(
            sensors.request("SH-A", SensorActivity::Syncing),
            Err(Error::SensorBusy { .. })
        ));
        cancelled.store(true, std::sync::atomic::Ordering::SeqCst);
        assert!(matches!(
            sensors.request("SH-A", SensorActivity::Syncing),
            Ok(SensorRequest::HandingOver(SensorActivity::StreamingLive))
        ));
        assert!(
            sensors.claim("SH-A", SensorActivity::Syncing).is_err(),
            "still held until it lets go"
        );

        drop(walk_stream);
        let Ok(SensorRequest::Held(sync)) = sensors.request("SH-A", SensorActivity::Syncing) else {
            panic!("free once the stream let go");
        };
        drop(sync);
        assert_eq!(sensors.forget("SH-A").expect("forgotten"), 0);
        drop(other);
        assert!(sensors.claim("SH-B", SensorActivity::StreamingLive).is_ok());

        // A sensor being paired is held by its address until it is known
        // by its serial: no sensor is forgotten meanwhile (it may be the
        // one being paired, at a new address), nor everything deleted or
        // restored.
        let paired_app = {
            let app = evening_app();
            let mut sensor = SimSensor::new(
                SensorConfig {
                    serial: "SH-NEW".into(),
                    ..SensorConfig::default()
                },
                &DayScript::typical_day(utc("2026-11-21T06:00:00Z")),
            );
            let mut store = app.store().lock().expect("store");
            let _ = pair(&mut sensor, LinkConfig::phone(247), &mut store, 0);
            store.mark_paired("SH-NEW", "AA:NEW", 0).expect("paired");
            drop(store);
            app
        };
        let pairing = paired_app
            .sensors()
            .claim("aa:new", SensorActivity::Pairing)
            .expect("free");
        assert_eq!(
            paired_app
                .sensors()
                .forget("SH-NEW")
                .map_err(|e| e.to_string()),
            Err(
                "sensor aa:new is busy being paired: wait for it to end or stop it, then try again"
                    .to_owned()
            )
        );
        assert!(matches!(
            paired_app.data().delete_all(true),
            Err(Error::SensorBusy { .. })
        ));
        drop(pairing);
        assert!(paired_app.sensors().forget("SH-NEW").expect("forgotten") > 0);

        // A pairing at a new address meets the sensor's serial: held too,
        // unless held by that name already, refused while a stream holds
        // it, and not waited for when that stream is winding down.
        let held = sensors.hold_for_pairing("SH-P", "aa:p").expect("free");
        assert!(held.is_some());
        assert!(matches!(sensors.hold_for_pairing("SH-P", "SH-P"), Ok(None)));
        drop(held);
        let stream = sensors
            .claim("SH-P", SensorActivity::StreamingLive)
            .expect("free");
        assert!(matches!(
            sensors.hold_for_pairing("SH-P", "aa:q"),
            Err(Error::SensorBusy { .. })
        ));
        stream.winding_down_when(|| true);
        assert!(matches!(sensors.hold_for_pairing("SH-P", "aa:q"), Ok(None)));
        drop(stream);

        // A walk counting from the sensor is named, so the Devices screen
        // says why its live data cannot start.
        let walk = sensors
            .claim("SH-C", SensorActivity::CountingSession)
            .expect("free");
        assert_eq!(
            refused(sensors.claim("SH-C", SensorActivity::StreamingLive)),
            "sensor SH-C is busy counting your walk or exercise from its live data: wait for it to end or stop it, then try again"
        );
        drop(walk);
    }
}
