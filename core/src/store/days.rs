//! Daily summaries: computed from the minutes, sessions, drinks and wear of
//! a local day, cached per day and recomputed when anything in the day
//! changes (writes mark the day stale in their own transaction).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::collections::HashMap;

use rusqlite::{Connection, params};
use serde::Serialize;

use super::Store;
use crate::daily::{DailySummary, DayInputs, Streaks, streaks, summarize};
use crate::minutes::merge;
use crate::session::SessionKind;
use crate::zones::{ZoneTimeline, date_of_day_number, day_number};
use crate::{Error, Result};

/// Marks a local day's summary for recomputation.
pub(super) fn mark_stale(conn: &Connection, day: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO daily_summary (local_day, summary) VALUES (?1, NULL)
         ON CONFLICT (local_day) DO UPDATE SET summary = NULL",
    )?
    .execute([day])?;
    Ok(())
}

/// Days in a row, with their streaks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct History {
    /// Every date from the first to the last asked, oldest first.
    pub days: Vec<DailySummary>,
    /// The streaks up to the last day.
    pub streaks: Streaks,
}

/// Longest history read at once: ten years.
const MAX_HISTORY_DAYS: i64 = 3_660;

impl Store {
    /// The local date of `now` in the zone the user is in.
    pub fn today(&self, now: DateTime<Utc>) -> Result<NaiveDate> {
        Ok(self.zone_timeline()?.local_date(now))
    }

    /// The summary of local date `date`, as of `now`: today and stale days
    /// are computed afresh (and cached), others come from the cache.
    pub fn daily_summary(&mut self, date: NaiveDate, now: DateTime<Utc>) -> Result<DailySummary> {
        Ok(self.history(date, date, now)?.days.remove(0))
    }

    /// Every day from `first` to `last` (inclusive) with the streaks.
    pub fn history(
        &mut self,
        first: NaiveDate,
        last: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<History> {
        let span = (last - first).num_days();
        if !(0..MAX_HISTORY_DAYS).contains(&span) {
            return Err(Error::invalid(
                "history",
                format!(
                    "from a date to a later one, at most {MAX_HISTORY_DAYS} days (got {first} to {last})"
                ),
            ));
        }
        let zones = self.zone_timeline()?;
        let today = zones.local_date(now);
        let mut cached: HashMap<i64, String> = self
            .conn
            .prepare_cached(
                "SELECT local_day, summary FROM daily_summary
                 WHERE local_day BETWEEN ?1 AND ?2 AND summary IS NOT NULL",
            )?
            .query_map([day_number(first), day_number(last)], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut days = Vec::with_capacity(usize::try_from(span + 1).unwrap_or(0));
        let mut date = first;
        while date <= last {
            let day = day_number(date);
            let summary = match cached.remove(&day) {
                Some(json) if date != today => serde_json::from_str(&json)
                    .map_err(|e| Error::invalid("stored summary", e.to_string()))?,
                _ => {
                    let summary = self.compute_day(date, &zones, now)?;
                    if date != today {
                        self.cache_summary(day, &summary)?;
                    }
                    summary
                }
            };
            days.push(summary);
            date += Duration::days(1);
        }
        let streaks = streaks(&days);
        Ok(History { days, streaks })
    }

    fn cache_summary(&self, day: i64, summary: &DailySummary) -> Result<()> {
        let json =
            serde_json::to_string(summary).map_err(|e| Error::invalid("summary", e.to_string()))?;
        self.conn
            .prepare_cached(
                "INSERT INTO daily_summary (local_day, summary) VALUES (?1, ?2)
                 ON CONFLICT (local_day) DO UPDATE SET summary = excluded.summary",
            )?
            .execute(params![day, json])?;
        Ok(())
    }

    fn compute_day(
        &mut self,
        date: NaiveDate,
        zones: &ZoneTimeline,
        now: DateTime<Utc>,
    ) -> Result<DailySummary> {
        let day = day_number(date);
        let profile = self.profile()?;
        let pump_yield = self.pump_yield(&profile)?;
        let minutes = merge(self.minutes_of_day_in(day, zones)?);
        let count_sets = |kind: SessionKind| -> Result<u32> {
            Ok(self.conn.query_row(
                "SELECT count(*) FROM session WHERE local_day = ?1 AND kind = ?2 AND state = 'finished'",
                params![day, kind.key()],
                |r| r.get(0),
            )?)
        };
        let calf_raise_sets = count_sets(SessionKind::CalfRaises)?;
        let ankle_pump_sets = count_sets(SessionKind::AnklePumps)?;
        let hydration_ml: u32 = self.conn.query_row(
            "SELECT coalesce(sum(ml), 0) FROM hydration WHERE local_day = ?1",
            [day],
            |r| r.get(0),
        )?;
        let (span_start, span_end) = zones.span_of(date).unwrap_or((now, now));
        let compression_minutes =
            self.compression_minutes_between(span_start, span_end.min(now))?;
        let mut time_zones = vec![zones.zone_at(span_start).name().to_owned()];
        for (since, zone) in zones.changes() {
            if *since > span_start
                && *since < span_end
                && !time_zones.iter().any(|z| z == zone.name())
            {
                time_zones.push(zone.name().to_owned());
            }
        }
        Ok(summarize(DayInputs {
            date: date_of_day_number(day),
            time_zones,
            minutes,
            calf_raise_sets,
            ankle_pump_sets,
            hydration_ml,
            compression_minutes,
            pump_yield,
            goals: profile.goals,
        }))
    }
}
