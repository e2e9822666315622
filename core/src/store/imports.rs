//! Imported daily step totals: one per local date, replaced by a later
//! import of the same date, counted in a day only above what was recorded.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::Store;
use super::days::mark_stale;
use crate::Result;
use crate::import::DailySteps;
use crate::zones::{date_of_day_number, day_number};

/// What an import changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ImportReport {
    /// Days in the file.
    pub days: u32,
    /// Days that had no imported total before, kept now.
    pub added: u32,
    /// Days whose earlier imported total was replaced.
    pub replaced: u32,
    /// Days where nothing changed: imported before with the same total, or
    /// with none before and a total no higher than the day recorded.
    pub unchanged: u32,
}

impl Store {
    /// Merges daily step totals read from a file (`source` names it) in one
    /// transaction. A date's total replaces an earlier import of that date,
    /// never adds to it, and counts in the day only above the steps recorded
    /// there, so importing the same file twice, or a file of days already
    /// recorded (our own export, also over days imported before), changes
    /// nothing. Which dates may be imported is the use
    /// case's to decide (`app::DataService::import_steps_file`).
    pub fn import_daily_steps(
        &mut self,
        days: &[DailySteps],
        source: &str,
        now: DateTime<Utc>,
    ) -> Result<ImportReport> {
        let mut report = ImportReport {
            days: u32::try_from(days.len()).unwrap_or(u32::MAX),
            ..ImportReport::default()
        };
        let recorded = self.recorded_steps(days, now)?;
        let tx = self.conn.transaction()?;
        {
            let mut earlier =
                tx.prepare_cached("SELECT steps FROM imported_steps WHERE local_day = ?1")?;
            let mut upsert = tx.prepare_cached(
                "INSERT INTO imported_steps (local_day, steps, source, imported_utc_ms)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (local_day) DO UPDATE SET
                    steps = excluded.steps, source = excluded.source,
                    imported_utc_ms = excluded.imported_utc_ms",
            )?;
            for day in days {
                let number = day_number(day.date);
                let before: Option<u32> = earlier.query_row([number], |r| r.get(0)).optional()?;
                let recorded_steps = recorded.get(&day.date).copied().unwrap_or(0);
                let below_recorded = day.steps <= recorded_steps;
                match before {
                    Some(steps) if steps == day.steps => {
                        report.unchanged += 1;
                        continue;
                    }
                    // Nothing the day does not know already (our own
                    // export, brought back): not kept, or it would outlive
                    // the data it came from (a sensor forgotten later);
                    // nor put in place of an earlier import the recorded
                    // steps cover too, which neither counts today.
                    None if below_recorded => {
                        report.unchanged += 1;
                        continue;
                    }
                    Some(steps) if below_recorded && steps <= recorded_steps => {
                        report.unchanged += 1;
                        continue;
                    }
                    Some(_) => report.replaced += 1,
                    None => report.added += 1,
                }
                upsert.execute(params![number, day.steps, source, now.timestamp_millis()])?;
                mark_stale(&tx, number)?;
            }
        }
        tx.commit()?;
        Ok(report)
    }

    /// The steps recorded (phone and sensor minutes, no import) on the
    /// dates of `days` up to today that hold any minute, as of `now`;
    /// dates left out recorded none. Only those dates are computed, runs
    /// of consecutive ones together: a file of ten years over a few months
    /// of the app's data reads those months.
    fn recorded_steps(
        &self,
        days: &[DailySteps],
        now: DateTime<Utc>,
    ) -> Result<HashMap<NaiveDate, u32>> {
        let zones = self.zone_timeline()?;
        let today = zones.local_date(now);
        let wanted: BTreeSet<NaiveDate> = days
            .iter()
            .map(|d| d.date)
            .filter(|d| *d <= today)
            .collect();
        let (Some(&first), Some(&last)) = (wanted.first(), wanted.last()) else {
            return Ok(HashMap::new());
        };
        let mut with_minutes = BTreeSet::new();
        let mut phone = self.conn.prepare_cached(
            "SELECT DISTINCT local_day FROM minute_activity WHERE local_day BETWEEN ?1 AND ?2",
        )?;
        for day in phone.query_map([day_number(first), day_number(last)], |r| r.get(0))? {
            with_minutes.insert(date_of_day_number(day?));
        }
        // A sensor's minutes by their UTC date: the local date is within
        // a day of it. Through each sensor's time index.
        let mut sensor = self.conn.prepare_cached(
            "SELECT DISTINCT r.utc_ms / 86400000
             FROM sensor_device d CROSS JOIN sensor_record r ON r.device_serial = d.serial
             WHERE r.utc_ms BETWEEN ?1 AND ?2",
        )?;
        let ms_of = |date: NaiveDate| day_number(date) * 86_400_000;
        for day in sensor.query_map(
            [ms_of(first) - 86_400_000, ms_of(last) + 2 * 86_400_000],
            |r| r.get::<_, i64>(0),
        )? {
            let utc_date = date_of_day_number(day?);
            for offset in -1..=1 {
                with_minutes.insert(utc_date + Duration::days(offset));
            }
        }
        let dates: Vec<NaiveDate> = wanted.intersection(&with_minutes).copied().collect();
        let mut recorded = HashMap::new();
        for run in dates.chunk_by(|a, b| *b == *a + Duration::days(1)) {
            if let (Some(&from), Some(&to)) = (run.first(), run.last()) {
                for day in self.history(from, to, now)?.days {
                    recorded.insert(day.date, day.steps.saturating_sub(day.imported_steps));
                }
            }
        }
        Ok(recorded)
    }
}
