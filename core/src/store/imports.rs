//! Imported daily step totals: one per local date, replaced by a later
//! import of the same date, counted in a day only above what was recorded.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
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
    /// Days that had no imported total before.
    pub added: u32,
    /// Days whose earlier imported total was replaced.
    pub replaced: u32,
    /// Days imported before with the same total: nothing changed.
    pub unchanged: u32,
}

impl Store {
    /// Merges daily step totals read from a file (`source` names it) in one
    /// transaction. A date's total replaces an earlier import of that date,
    /// never adds to it, and counts in the day only above the steps recorded
    /// there, so importing the same file twice, or a file of days already
    /// recorded, changes nothing. Which dates may be imported is the use
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
                let below_recorded = day.steps <= recorded.get(&day.date).copied().unwrap_or(0);
                match before {
                    Some(steps) if steps == day.steps => {
                        report.unchanged += 1;
                        continue;
                    }
                    // Nothing the day does not know already (our own
                    // export, brought back): not kept, or it would outlive
                    // the data it came from (a sensor forgotten later).
                    None if below_recorded => {
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
    /// dates of `days`, as of `now`; dates before the first minute stored
    /// are left out (none recorded).
    fn recorded_steps(
        &self,
        days: &[DailySteps],
        now: DateTime<Utc>,
    ) -> Result<HashMap<NaiveDate, u32>> {
        let zones = self.zone_timeline()?;
        let phone: Option<i64> =
            self.conn
                .query_row("SELECT min(local_day) FROM minute_activity", [], |r| {
                    r.get(0)
                })?;
        let sensor: Option<i64> =
            self.conn
                .query_row("SELECT min(utc_ms) FROM sensor_record", [], |r| r.get(0))?;
        let first_recorded = [
            phone.map(date_of_day_number),
            sensor
                .and_then(DateTime::<Utc>::from_timestamp_millis)
                .map(|t| zones.local_date(t)),
        ]
        .into_iter()
        .flatten()
        .min();
        let dates = days.iter().map(|d| d.date);
        let (Some(first_recorded), Some(first), Some(last)) =
            (first_recorded, dates.clone().min(), dates.max())
        else {
            return Ok(HashMap::new());
        };
        let (from, to) = (first.max(first_recorded), last.min(zones.local_date(now)));
        if from > to {
            return Ok(HashMap::new());
        }
        Ok(self
            .history(from, to, now)?
            .days
            .iter()
            .map(|d| (d.date, d.steps.saturating_sub(d.imported_steps)))
            .collect())
    }
}
