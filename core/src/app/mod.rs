//! The use cases of Second Heart, one API for every front end.
//!
//! [`SecondHeart`] is the handle a front end holds: one open database and the
//! clock that says when "now" is and where the user is. It hands out one
//! service per area of the product ([`ProfileService`], [`TodayService`],
//! [`Sessions`], [`Flights`], [`Reminders`], [`HistoryService`],
//! [`DataService`]); the CLI, the Android app and the iOS app all call these,
//! so the same day shows the same numbers everywhere.
//!
//! The pure computations need no database and are objects of their own:
//! [`PumpModel`] (the pump model's protocols and scenario files, with chart
//! series; [`SecondHeart::pump_model`] sets one up for the user's legs),
//! [`ActivityDetector`] (activity detection over an IMU recording
//! a user imports, [`detect_csv`] for a whole file) and the
//! [`LiveSessionCounter`](crate::session::LiveSessionCounter) that counts a
//! session from the sensor's live frames
//! ([`SecondHeart::live_counter`] sets one up for the running session).
//!
//! Every write runs in one store transaction, records the zone the user is in
//! (as the phone reports it), and then tells the Today observers, so no
//! screen has to poll. Reads and writes are serialised on one lock and safe
//! from any thread; they are short SQLite calls, to be made off a UI thread.

mod clock;
mod data;
mod detection;
mod flights;
mod history;
mod live;
mod profile;
mod progress;
mod pump_model;
mod reminders;
mod sensor_sync;
mod sensors;
mod sessions;
mod today;

pub use crate::activity::ActivityDetector;
pub use clock::{Clock, FixedClock, Moment};
pub use data::{
    BACKUP_MEDIA_TYPE, BackupSummary, DataService, ExportFormat, ExportSummary, backup_file_name,
};
pub use detection::{CsvDetection, detect_csv, detect_csv_file};
pub use flights::{FlightDetails, Flights};
pub use history::{HistoryService, HourTotals, MinutePoint, PeriodHistory};
pub use live::LiveSession;
pub use profile::{ClearedFields, ProfileChanges, ProfileService};
pub use progress::Progress;
pub use pump_model::{
    DEFAULT_CHART_POINTS, Legs, MAX_CHART_POINTS, ModelRun, PumpModel, PumpingPosture,
    ScenarioResult, Series, SitBreaks,
};
pub use reminders::{Reminders, UPCOMING_LIMIT};
pub use sensor_sync::{
    accept_sensor_reset, commit_pairing_sync, commit_sensor_sync, forget_sensor,
};
pub use sensors::{SensorActivity, SensorClaim, SensorRequest, SensorsService};
pub use sessions::{
    ELEVATION_QUESTIONS, LocalMoment, SafetyQuestion, SessionUpdate, Sessions, SetTargets,
    put_compression_on, record_session_event, start_session, take_compression_off,
};
pub use today::{Ring, RingKind, SensorState, Sitting, TodayService, TodayView};

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::{Error, Result, Store};

/// Hears about a new Today after every change to the database.
pub trait TodayListener: Send + Sync {
    /// Today as it stands after the change.
    fn today_changed(&self, today: TodayView);
}

/// Second Heart's data on this device and the clock it runs by. Cheap to
/// clone: clones share the database and the observers.
#[derive(Clone)]
pub struct SecondHeart {
    shared: Arc<Shared>,
}

/// How often a read writes that the zone noted is still in force: the
/// zones' record of where the user was is this close to the truth, for one
/// small write a quarter hour of use at most.
const ZONE_SEEN_EVERY: chrono::Duration = chrono::Duration::minutes(15);

struct Shared {
    store: Mutex<Store>,
    /// The zone last noted and since when it is in force, while no write
    /// through this handle can have changed the zones: a read in that zone
    /// at or after that instant has nothing to note. Locked after `store`.
    noted_zone: Mutex<Option<(chrono_tz::Tz, chrono::DateTime<chrono::Utc>)>>,
    /// The zone last written as seen in force, and when ([`Store::zone_seen`]).
    /// Locked after `noted_zone`.
    zone_seen_at: Mutex<Option<(chrono_tz::Tz, chrono::DateTime<chrono::Utc>)>>,
    clock: Arc<dyn Clock>,
    listeners: Mutex<Vec<(u64, Arc<dyn TodayListener>)>>,
    next_listener: AtomicU64,
    /// The number of the last Today view computed (see
    /// [`TodayView::number`]); taken with the store held.
    views_computed: AtomicU64,
    /// The sensors a radio operation holds now, by serial, and what for.
    /// When both are needed it is locked after `store`, which is held
    /// already (a restore or a deletion of everything, in
    /// `SensorsService::while_none_held`); nothing takes `store` while
    /// holding it.
    sensors_in_use: Mutex<HashMap<String, sensors::Holder>>,
}

impl std::fmt::Debug for SecondHeart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecondHeart").finish_non_exhaustive()
    }
}

impl SecondHeart {
    /// Opens (or creates) the database at `path`, upgrading its schema.
    pub fn open(path: impl AsRef<Path>, clock: Arc<dyn Clock>) -> Result<Self> {
        Ok(Self::with_store(Store::open(path)?, clock))
    }

    /// A throw-away database in memory (tests, demos).
    pub fn open_in_memory(clock: Arc<dyn Clock>) -> Result<Self> {
        Ok(Self::with_store(Store::open_in_memory()?, clock))
    }

    fn with_store(store: Store, clock: Arc<dyn Clock>) -> Self {
        Self {
            shared: Arc::new(Shared {
                store: Mutex::new(store),
                noted_zone: Mutex::new(None),
                zone_seen_at: Mutex::new(None),
                clock,
                listeners: Mutex::new(Vec::new()),
                next_listener: AtomicU64::new(1),
                views_computed: AtomicU64::new(0),
                sensors_in_use: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// The pump model of the user's legs: their body from the profile,
    /// competent valves (the app does not ask about them), and the garment
    /// worn now, if any.
    pub fn pump_model(&self) -> Result<PumpModel> {
        let (person, worn) =
            self.read(|store, _| Ok((store.profile()?.person(), store.open_wear()?)))?;
        PumpModel::new(Legs {
            person,
            compression_mmhg: worn.map_or(0.0, |w| f64::from(w.mmhg)),
            ..Legs::default()
        })
    }

    /// The profile, goals, reminder settings and health answers.
    pub fn profile(&self) -> ProfileService {
        ProfileService::new(self.clone())
    }

    /// Today's figures against the goals, as the Today screen draws them.
    pub fn today(&self) -> TodayService {
        TodayService::new(self.clone())
    }

    /// Walks, exercise sets, leg elevation, compression wear and drinks.
    pub fn sessions(&self) -> Sessions {
        Sessions::new(self.clone())
    }

    /// Flight plans.
    pub fn flights(&self) -> Flights {
        Flights::new(self.clone())
    }

    /// Break reminders.
    pub fn reminders(&self) -> Reminders {
        Reminders::new(self.clone())
    }

    /// Past days, weeks and months.
    pub fn history(&self) -> HistoryService {
        HistoryService::new(self.clone())
    }

    /// Export and deletion of the user's data.
    pub fn data(&self) -> DataService {
        DataService::new(self.clone())
    }

    /// Paired sensors: the list with what is stored from each, forget.
    pub fn sensors(&self) -> SensorsService {
        SensorsService::new(self.clone())
    }

    /// The clock this handle runs by.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.shared.clock
    }

    /// The current moment by the clock.
    pub fn now(&self) -> Result<Moment> {
        Moment::of(self.shared.clock.as_ref())
    }

    /// The store behind its lock, for the edges that drive long work on it
    /// (the sensor sync commits batch by batch); its database made again
    /// first if "delete everything" could not and there is room now.
    pub fn store(&self) -> &Mutex<Store> {
        drop(self.store_made_again());
        &self.shared.store
    }

    /// The sensors a radio operation holds now (see [`SensorClaim`]).
    fn sensors_in_use(&self) -> MutexGuard<'_, HashMap<String, sensors::Holder>> {
        lock(&self.shared.sensors_in_use)
    }

    /// Calls `listener` with a fresh Today after every change made through
    /// this handle (or a clone of it), until the returned subscription is
    /// dropped or cancelled.
    pub fn observe_today(&self, listener: Arc<dyn TodayListener>) -> Subscription {
        let id = self.shared.next_listener.fetch_add(1, Ordering::Relaxed);
        lock(&self.shared.listeners).push((id, listener));
        Subscription {
            shared: Arc::downgrade(&self.shared),
            id,
        }
    }

    /// The next Today view's number. Called with the store held, so the
    /// numbers follow the order the views were computed in.
    fn next_view_number(&self) -> u64 {
        self.shared.views_computed.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Reads at the current moment, in the zone the user is in now.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&mut Store, Moment) -> Result<T>) -> Result<T> {
        // The clock is read with the store held (also by writes), so the
        // moments follow the order the store sees them in.
        let mut store = self.locked_store();
        let now = self.now()?;
        // Where the user is now decides which day "today" is, before any
        // write says so: a traveller's phone shows the new zone's day.
        // A store that cannot take the note now (a full disk) must not
        // take every screen down with it: the read goes on in the zones
        // stored, and the next read tries the note again.
        match self.note_zone(&mut store, now) {
            Ok(()) | Err(Error::DiskFull | Error::Storage(_)) => {}
            Err(other) => return Err(other),
        }
        f(&mut store, now)
    }

    /// Writes at the current moment: notes the user's zone, runs `f`, then
    /// tells the Today observers.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&mut Store, Moment) -> Result<T>) -> Result<T> {
        let (value, news) = self.write_unannounced(f)?;
        news.announce();
        Ok(value)
    }

    /// [`Self::write`], leaving the Today observers to be told through the
    /// [`Unannounced`] returned: for a caller holding a lock of its own,
    /// which must let it go before observers run (they may call back in).
    pub(crate) fn write_unannounced<T>(
        &self,
        f: impl FnOnce(&mut Store, Moment) -> Result<T>,
    ) -> Result<(T, Unannounced)> {
        // Read with the store held: a write that waited for the lock (a
        // Pause tapped while a sensor's frame was recorded) is stamped
        // after the one before it, not refused as earlier than the
        // session's last change.
        let mut store = self.store_to_write()?;
        let now = self.now()?;
        self.note_zone(&mut store, now)?;
        // A write may change the zones (a flight's arrival, a restore,
        // deleting everything): the next read notes the zone afresh.
        *lock(&self.shared.noted_zone) = None;
        let value = f(&mut store, now)?;
        Ok((value, Unannounced(Some(self.clone()))))
    }

    /// [`Self::write`] without noting the user's zone first: for deleting
    /// everything, which deletes the zones noted too and must work on a
    /// disk too full to take a note.
    pub(crate) fn write_unnoted<T>(&self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        let result = {
            let mut store = self.store_to_write()?;
            *lock(&self.shared.noted_zone) = None;
            f(&mut store)
        };
        // Deleted, though the new database could not be made: the screens
        // must show nothing of the data too.
        if matches!(result, Ok(_) | Err(Error::NotStartedAfresh { .. })) {
            self.changed();
        }
        result
    }

    /// Tells the Today observers that the data changed (also called by the
    /// sensor sync after it committed records).
    pub fn changed(&self) {
        let listeners: Vec<Arc<dyn TodayListener>> = lock(&self.shared.listeners)
            .iter()
            .map(|(_, l)| Arc::clone(l))
            .collect();
        if listeners.is_empty() {
            return;
        }
        // A Today that cannot be computed now is skipped: the next change
        // tries again, and the screen keeps what it showed.
        if let Ok(today) = self.today().view() {
            for listener in listeners {
                listener.today_changed(today.clone());
            }
        }
    }

    /// Notes the user's zone at `now` unless it is the zone last noted and
    /// already in force then, and that it was seen in force then, at most
    /// once every [`ZONE_SEEN_EVERY`] (most reads: no transaction at all).
    fn note_zone(&self, store: &mut Store, now: Moment) -> Result<()> {
        let mut noted = lock(&self.shared.noted_zone);
        let just_noted = !noted.is_some_and(|(zone, since)| zone == now.zone && since <= now.at);
        if just_noted {
            *noted = None;
            if store.note_time_zone(now.zone, now.at)? {
                // A new stay: seen from its note on, whatever the zone.
                *lock(&self.shared.zone_seen_at) = None;
            }
            *noted = store
                .zone_timeline()?
                .settled_at(now.at)
                .filter(|(zone, _)| *zone == now.zone);
        }
        // Kept by zone, not reset by writes (which forget the note): a
        // live session writes every second. Not kept when nothing could be
        // written at the note's own instant, so the next read writes.
        let mut seen = lock(&self.shared.zone_seen_at);
        let due = seen.is_none_or(|(zone, at)| {
            zone != now.zone || now.at < at || now.at - at >= ZONE_SEEN_EVERY
        });
        if due && (store.zone_seen(now.zone, now.at)? || !just_noted) {
            *seen = Some((now.zone, now.at));
        }
        Ok(())
    }

    fn locked_store(&self) -> MutexGuard<'_, Store> {
        self.store_made_again().0
    }

    /// The store to write to: failing with why when "delete everything"
    /// could not make the database again and there is still no room (see
    /// [`Store::delete_all`]).
    fn store_to_write(&self) -> Result<MutexGuard<'_, Store>> {
        let (store, made) = self.store_made_again();
        made.map(|()| store)
    }

    /// The store, with the database "delete everything" could not make
    /// again made now if there is room (see [`Store::delete_all`]), and
    /// why not when there still is none: until then reads find nothing,
    /// and writes fail with that.
    fn store_made_again(&self) -> (MutexGuard<'_, Store>, Result<()>) {
        let mut store = lock(&self.shared.store);
        if !store.standing_in() {
            return (store, Ok(()));
        }
        let made = store.make_file_again();
        if made.is_ok() {
            // A new file holds no zone: the next read notes it.
            *lock(&self.shared.noted_zone) = None;
        }
        (store, made)
    }
}

/// A change written but not yet told to the Today observers (see
/// [`LiveSession::push_unannounced`]): [`Unannounced::announce`] tells
/// them, once the caller holds no lock an observer could need.
#[derive(Debug, Default)]
#[must_use = "announce it once no lock an observer could need is held"]
pub struct Unannounced(Option<SecondHeart>);

impl Unannounced {
    /// Tells the Today observers, if anything was written (dropping it
    /// does: see `Drop`).
    pub fn announce(self) {}
}

impl Drop for Unannounced {
    /// Tells the Today observers, if anything was written: on
    /// [`Unannounced::announce`], or late (perhaps under its holder's lock)
    /// when dropped unannounced, but never lost.
    fn drop(&mut self) {
        if let Some(app) = self.0.take() {
            app.changed();
        }
    }
}

/// A Today observer; dropping it (or [`Subscription::cancel`]) stops the
/// calls.
#[derive(Debug)]
pub struct Subscription {
    shared: std::sync::Weak<Shared>,
    id: u64,
}

impl Subscription {
    /// Stops the calls now.
    pub fn cancel(&self) {
        if let Some(shared) = self.shared.upgrade() {
            lock(&shared.listeners).retain(|(id, _)| *id != self.id);
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.cancel();
    }
}

/// A poisoned lock means an earlier call panicked mid-way; SQLite rolled its
/// transaction back, so what the lock guards is still consistent.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use chrono::{DateTime, Utc};
    use chrono_tz::America::Los_Angeles;
    use chrono_tz::Europe::Berlin;

    use super::*;
    use crate::test_support::utc;

    /// A phone carried across zones.
    struct TravellingClock(Mutex<(DateTime<Utc>, chrono_tz::Tz)>);

    impl Clock for TravellingClock {
        fn now(&self) -> Result<DateTime<Utc>> {
            Ok(lock(&self.0).0)
        }

        fn time_zone(&self) -> Result<chrono_tz::Tz> {
            Ok(lock(&self.0).1)
        }
    }

    /// A clock that counts the times it was read while the store was free.
    #[derive(Default)]
    struct WatchingClock {
        app: std::sync::OnceLock<SecondHeart>,
        read_with_the_store_free: std::sync::atomic::AtomicU32,
    }

    impl Clock for WatchingClock {
        fn now(&self) -> Result<DateTime<Utc>> {
            if self
                .app
                .get()
                .is_some_and(|app| app.shared.store.try_lock().is_ok())
            {
                self.read_with_the_store_free.fetch_add(1, Ordering::SeqCst);
            }
            Ok(utc("2026-11-21T07:00:00Z"))
        }

        fn time_zone(&self) -> Result<chrono_tz::Tz> {
            Ok(Berlin)
        }
    }

    #[test]
    fn the_clock_is_read_with_the_store_held_so_writes_are_stamped_in_their_order() {
        let clock = Arc::new(WatchingClock::default());
        let app = SecondHeart::open_in_memory(clock.clone()).expect("opens");
        assert!(clock.app.set(app.clone()).is_ok(), "set once");
        app.sessions().start_walk().expect("started");
        app.sessions()
            .record(crate::session::SessionEvent::Pause)
            .expect("paused");
        app.today().view().expect("Today");
        assert_eq!(clock.read_with_the_store_free.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn reads_go_on_in_the_stored_zones_when_the_new_zone_cannot_be_noted() {
        let clock = Arc::new(TravellingClock(Mutex::new((
            utc("2026-11-21T07:00:00Z"),
            Berlin,
        ))));
        let app = SecondHeart::open_in_memory(clock.clone()).expect("opens");
        assert_eq!(
            app.today().view().expect("today").time_zones,
            ["Europe/Berlin"]
        );
        // Landed in Los Angeles on a phone whose storage is full.
        app.read(|store, _| {
            store.refuse_writes();
            Ok(())
        })
        .expect("read");
        *lock(&clock.0) = (utc("2026-11-22T07:00:00Z"), Los_Angeles);
        let view = app.today().view().expect("Today still shows");
        assert_eq!(view.time_zones, ["Europe/Berlin"], "not noted");
        assert!(app.history().daily_averages(7).is_ok());
        assert!(app.flights().not_landed().is_ok());
    }
}
