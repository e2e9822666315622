//! Drinks and compression wear, checked before they get here
//! ([`Drink`], [`CompressionClass`]).

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::days::{mark_stale, mark_stale_since};
use super::sessions::from_ms;
use super::{Store, StoreTx};
use crate::compression::{CompressionClass, Wear};
use crate::hydration::Drink;
use crate::zones::day_number;
use crate::{Error, Result};

impl Store {
    /// Stores a checked drink.
    pub fn log_drink(&mut self, drink: &Drink) -> Result<()> {
        let (ml, at) = (drink.ml(), drink.at());
        let day = day_number(self.zone_timeline()?.local_date(at));
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO hydration (utc_ms, local_day, ml) VALUES (?1, ?2, ?3)",
            params![at.timestamp_millis(), day, ml],
        )?;
        mark_stale(&tx, day)?;
        tx.commit()?;
        Ok(())
    }

    /// The drinks logged on the local date `date`, oldest first.
    pub fn drinks_on(&self, date: chrono::NaiveDate) -> Result<Vec<Drink>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT utc_ms, ml FROM hydration WHERE local_day = ?1 ORDER BY utc_ms, id",
        )?;
        let rows = statement.query_map([day_number(date)], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, u32>(1)?))
        })?;
        let mut drinks = Vec::new();
        for row in rows {
            let (at, ml) = row?;
            drinks.push(
                Drink::new(ml, from_ms(at))
                    .map_err(|e| Error::unreadable("drink", e.to_string()))?,
            );
        }
        Ok(drinks)
    }

    /// The garments on now, if any.
    pub fn open_wear(&self) -> Result<Option<Wear>> {
        load_open_wear(&self.conn)
    }

    /// Minutes worn within `[from, to)`; an open stretch counts up to `to`.
    /// A minute two stretches share counts once: stretches can overlap
    /// (put on again at a time typed earlier than the last "off", or after
    /// the clock was set back), and stockings are on or off, not on twice.
    pub(super) fn compression_minutes_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<u32> {
        if to <= from {
            return Ok(0);
        }
        let mut statement = self.conn.prepare_cached(
            "SELECT max(on_utc_ms, ?1), min(coalesce(off_utc_ms, ?2), ?2)
             FROM compression_wear WHERE on_utc_ms < ?2 AND coalesce(off_utc_ms, ?2) > ?1
             ORDER BY 1",
        )?;
        let stretches = statement
            .query_map(
                params![from.timestamp_millis(), to.timestamp_millis()],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(u32::try_from(worn_ms(&stretches) / 60_000).unwrap_or(0))
    }
}

impl StoreTx<'_> {
    /// The garments on now, if any.
    pub fn open_wear(&self) -> Result<Option<Wear>> {
        load_open_wear(self.conn)
    }

    /// Stores garments of `class` put on at `at`, still on. Every day
    /// cached since `at` is recomputed: put on at a time typed in the past,
    /// those days were summed without it.
    pub fn insert_wear(&self, class: CompressionClass, at: DateTime<Utc>) -> Result<Wear> {
        let mmhg = class.mmhg();
        self.conn.execute(
            "INSERT INTO compression_wear (on_utc_ms, mmhg) VALUES (?1, ?2)",
            params![at.timestamp_millis(), mmhg],
        )?;
        mark_stale_since(self.conn, at)?;
        Ok(Wear {
            on: at,
            off: None,
            mmhg,
        })
    }

    /// Ends the open stretch, put on at `on`, at `off`. Every day cached
    /// since `on` is recomputed: each counted the open stretch up to its end
    /// or the clock's time, and one taken off at a time typed in the past
    /// ("off at 20:00" days later) had left the days after it worn all day.
    pub fn close_wear(&self, on: DateTime<Utc>, off: DateTime<Utc>) -> Result<()> {
        self.conn.execute(
            "UPDATE compression_wear SET off_utc_ms = ?1 WHERE off_utc_ms IS NULL",
            [off.timestamp_millis()],
        )?;
        mark_stale_since(self.conn, on)
    }

    /// Removes the open stretch, which the clock now (`now`) says was put
    /// on later. Days from today on were summed while the clock ran ahead,
    /// the stretch counted up to the clock's time then: every one cached is
    /// recomputed (from the day before today's, for a zone changed since).
    pub fn discard_open_wear(&self, now: DateTime<Utc>) -> Result<()> {
        self.conn
            .execute("DELETE FROM compression_wear WHERE off_utc_ms IS NULL", [])?;
        mark_stale_since(self.conn, now)
    }
}

/// The time `stretches` (start, end), sorted by start, cover together.
fn worn_ms(stretches: &[(i64, i64)]) -> i64 {
    let mut total = 0;
    let mut covered_to = i64::MIN;
    for &(on, off) in stretches {
        let start = on.max(covered_to);
        if off > start {
            total += off - start;
            covered_to = off;
        }
    }
    total
}

fn load_open_wear(conn: &Connection) -> Result<Option<Wear>> {
    Ok(conn
        .query_row(
            "SELECT on_utc_ms, mmhg FROM compression_wear WHERE off_utc_ms IS NULL",
            [],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, u32>(1)?)),
        )
        .optional()?
        .map(|(on, mmhg)| Wear {
            on: from_ms(on),
            off: None,
            mmhg,
        }))
}
