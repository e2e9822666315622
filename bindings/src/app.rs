//! The handle the apps hold: one open database.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

use second_heart_core::Store;
use second_heart_core::local_day::{LocalDay, parse_date, parse_time_zone};
use second_heart_core::walk::NewWalk;

use crate::{DaySummary, SecondHeartError, SensorSummary, Walk};

/// Second Heart's data on this device. Open one per database file and share
/// it; calls are serialised and safe from any thread.
#[derive(uniffi::Object)]
pub struct SecondHeart {
    store: Mutex<Store>,
}

#[uniffi::export]
impl SecondHeart {
    /// Opens (or creates) the database at `path`, upgrading its schema.
    #[uniffi::constructor]
    pub fn open(path: String) -> Result<Arc<Self>, SecondHeartError> {
        let store = Store::open(path)?;
        Ok(Arc::new(Self {
            store: Mutex::new(store),
        }))
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<u32, SecondHeartError> {
        Ok(self.store().schema_version()?)
    }

    /// Logs a walk that began at `start` in `time_zone` (IANA name). `now`
    /// is the current time, passed in so that the core never reads a clock;
    /// a walk ending after it is refused.
    pub fn log_walk(
        &self,
        start: SystemTime,
        time_zone: String,
        duration_seconds: i64,
        steps: i64,
        now: SystemTime,
    ) -> Result<Walk, SecondHeartError> {
        let walk = NewWalk::new(
            start.into(),
            &time_zone,
            duration_seconds,
            steps,
            now.into(),
        )?;
        Ok(self.store().log_walk(&walk)?.into())
    }

    /// The walks that touched `date` (`YYYY-MM-DD`) in `time_zone`.
    pub fn walks_on(&self, date: String, time_zone: String) -> Result<Vec<Walk>, SecondHeartError> {
        let day = local_day(&date, &time_zone)?;
        let walks = self.store().walks_on(day)?;
        Ok(walks.into_iter().map(Walk::from).collect())
    }

    /// What is stored for the sensor `serial`, if it was ever synced.
    pub fn sensor_summary(
        &self,
        serial: String,
    ) -> Result<Option<SensorSummary>, SecondHeartError> {
        Ok(self
            .store()
            .sensor_summary(&serial)?
            .map(SensorSummary::from))
    }

    /// The totals of `date` (`YYYY-MM-DD`) in `time_zone`.
    pub fn day_summary(
        &self,
        date: String,
        time_zone: String,
    ) -> Result<DaySummary, SecondHeartError> {
        let day = local_day(&date, &time_zone)?;
        Ok(self.store().day_summary(day)?.into())
    }
}

impl SecondHeart {
    /// The store behind its lock, for the sensor sync.
    pub(crate) fn store_mutex(&self) -> &Mutex<Store> {
        &self.store
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        // A poisoned lock means an earlier call panicked mid-way; SQLite
        // rolled its transaction back, so the store itself is consistent.
        self.store
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }
}

fn local_day(date: &str, time_zone: &str) -> Result<LocalDay, SecondHeartError> {
    Ok(LocalDay::new(
        parse_date(date)?,
        parse_time_zone(time_zone)?,
    ))
}
