//! The handle the apps hold: [`SecondHeart`], one open database and the
//! app's clock, handing out one service object per area.

use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use second_heart_core::app;
use second_heart_core::local_day::parse_time_zone;

use crate::SecondHeartError;
use crate::data::DataService;
use crate::demo::DemoSensor;
use crate::error::ForeignError;
use crate::flights::Flights;
use crate::history::HistoryService;
use crate::profile::ProfileService;
use crate::pump_model::PumpModel;
use crate::reminders::Reminders;
use crate::sensors::Sensors;
use crate::sessions::Sessions;
use crate::today::{TodayService, TodayView};

/// When "now" is and where the user is, implemented by the app (the system
/// clock and zone; a fixed instant in tests and screenshots).
#[uniffi::export(with_foreign)]
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> Result<SystemTime, ForeignError>;
    /// The IANA zone the user is in, e.g. "Europe/Berlin".
    fn time_zone(&self) -> Result<String, ForeignError>;
}

/// A clock that always says the same thing (tests, screenshots, demos).
#[derive(Debug, uniffi::Object)]
pub struct FixedClock {
    at: SystemTime,
    zone: String,
}

#[uniffi::export]
impl FixedClock {
    /// A clock stopped at `at` (in the years 1 to 9999) in `time_zone`.
    #[uniffi::constructor]
    pub fn new(at: SystemTime, time_zone: String) -> Result<Arc<Self>, SecondHeartError> {
        crate::instant("clock time", at)?;
        parse_time_zone(&time_zone)?;
        Ok(Arc::new(Self {
            at,
            zone: time_zone,
        }))
    }
}

impl Clock for FixedClock {
    fn now(&self) -> Result<SystemTime, ForeignError> {
        Ok(self.at)
    }

    fn time_zone(&self) -> Result<String, ForeignError> {
        Ok(self.zone.clone())
    }
}

/// The app's clock as the core sees it.
pub(crate) struct AppClock(Arc<dyn Clock>);

impl AppClock {
    /// Wraps the app's clock.
    pub(crate) fn new(clock: Arc<dyn Clock>) -> Self {
        Self(clock)
    }
}

fn platform(what: &'static str, error: impl std::fmt::Display) -> second_heart_core::Error {
    second_heart_core::Error::Platform {
        what,
        detail: error.to_string(),
    }
}

impl app::Clock for AppClock {
    fn now(&self) -> second_heart_core::Result<DateTime<Utc>> {
        let at = self.0.now().map_err(|e| platform("clock", e))?;
        crate::utc_from(at).map_err(|detail| platform("clock", detail))
    }

    fn time_zone(&self) -> second_heart_core::Result<Tz> {
        let name = self.0.time_zone().map_err(|e| platform("clock", e))?;
        // A zone the phone names but the library does not know is the
        // clock's to answer for, not something the user typed.
        parse_time_zone(&name).map_err(|error| platform("clock", error))
    }
}

/// Hears about a new Today after every change (a logged walk, a finished
/// set, a sync), so no screen polls. Called on the thread that made the
/// change: hop to the UI thread yourself.
#[uniffi::export(with_foreign)]
pub trait TodayListener: Send + Sync {
    /// Today as it stands after the change.
    fn today_changed(&self, today: TodayView) -> Result<(), ForeignError>;
}

struct AppTodayListener(Arc<dyn TodayListener>);

impl app::TodayListener for AppTodayListener {
    fn today_changed(&self, today: app::TodayView) {
        // A listener that throws misses this Today, not the next one.
        let _ = self.0.today_changed(today.into());
    }
}

/// A Today observer: `cancel()` it (or let it be closed/dropped) to stop
/// the calls.
#[derive(Debug, uniffi::Object)]
pub struct TodaySubscription {
    inner: Mutex<Option<app::Subscription>>,
}

#[uniffi::export]
impl TodaySubscription {
    /// Stops the calls now.
    pub fn cancel(&self) {
        if let Some(subscription) = crate::lock(&self.inner).take() {
            subscription.cancel();
        }
    }
}

/// Second Heart's data on this device. Open one per database file and
/// share it; every call is safe from any thread. Short database calls are
/// synchronous: make them off the main thread.
#[derive(uniffi::Object)]
pub struct SecondHeart {
    app: app::SecondHeart,
}

#[uniffi::export]
impl SecondHeart {
    /// Opens (or creates) the database at `path`, upgrading its schema;
    /// `clock` says when "now" is and where the user is.
    #[uniffi::constructor]
    pub fn open(path: String, clock: Arc<dyn Clock>) -> Result<Arc<Self>, SecondHeartError> {
        let clock = AppClock::new(clock);
        app::Clock::time_zone(&clock)?;
        Ok(Arc::new(Self {
            app: app::SecondHeart::open(path, Arc::new(clock))?,
        }))
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<u32, SecondHeartError> {
        Ok(crate::lock(self.app.store()).schema_version()?)
    }

    /// The profile, goals, reminder settings and health answers.
    pub fn profile(&self) -> Arc<ProfileService> {
        Arc::new(ProfileService(self.app.profile()))
    }

    /// Today as the Today screen draws it.
    pub fn today(&self) -> Arc<TodayService> {
        Arc::new(TodayService(self.app.today()))
    }

    /// Walks, sets, leg elevation, compression and drinks.
    pub fn sessions(&self) -> Arc<Sessions> {
        Arc::new(Sessions(self.app.sessions()))
    }

    /// Flight plans.
    pub fn flights(&self) -> Arc<Flights> {
        Arc::new(Flights(self.app.flights()))
    }

    /// Break reminders and the schedule to hand the OS.
    pub fn reminders(&self) -> Arc<Reminders> {
        Arc::new(Reminders(self.app.reminders()))
    }

    /// Past days, weeks and months.
    pub fn history(&self) -> Arc<HistoryService> {
        Arc::new(HistoryService(self.app.history()))
    }

    /// Export and deletion.
    pub fn data(&self) -> Arc<DataService> {
        Arc::new(DataService(self.app.data()))
    }

    /// The pump model of the user's legs: their body from the profile,
    /// competent valves, the stockings worn now; charts of 400 points.
    pub fn pump_model(&self) -> Result<Arc<PumpModel>, SecondHeartError> {
        Ok(Arc::new(PumpModel(self.app.pump_model()?)))
    }

    /// Paired sensors: pair, sync, live data, forget.
    pub fn sensors(&self) -> Arc<Sensors> {
        Arc::new(Sensors::new(self.app.clone()))
    }

    /// A demo sensor on this handle's clock, with serial `serial`, that
    /// has been recording for `hours` (0–72): demo mode and screenshots.
    pub fn demo_sensor(
        &self,
        serial: String,
        hours: f64,
    ) -> Result<Arc<DemoSensor>, SecondHeartError> {
        DemoSensor::on_clock(serial, hours, Arc::clone(self.app.clock()))
    }

    /// Calls `listener` with a fresh Today after every change, until the
    /// subscription is cancelled.
    pub fn observe_today(&self, listener: Arc<dyn TodayListener>) -> Arc<TodaySubscription> {
        let subscription = self.app.observe_today(Arc::new(AppTodayListener(listener)));
        Arc::new(TodaySubscription {
            inner: Mutex::new(Some(subscription)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A phone that names a zone the library does not know.
    struct OnMars;

    impl Clock for OnMars {
        fn now(&self) -> Result<SystemTime, ForeignError> {
            Ok(SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_780_000_000))
        }

        fn time_zone(&self) -> Result<String, ForeignError> {
            Ok("Mars/Olympus".to_owned())
        }
    }

    #[test]
    fn a_zone_the_phone_names_but_the_library_does_not_know_is_the_clock_s_fault() {
        let dir = tempfile::tempdir().expect("dir");
        let db = dir.path().join("app.db").to_string_lossy().into_owned();
        let Err(error) = SecondHeart::open(db, Arc::new(OnMars)) else {
            panic!("opened with no zone to read the days in");
        };
        assert_eq!(error.code(), "platform", "{error}");
        assert!(error.to_string().contains("Mars/Olympus"), "{error}");
    }
}
