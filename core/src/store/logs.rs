//! Drinks and compression wear.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::Store;
use super::days::mark_stale;
use super::sessions::from_ms;
use crate::compression::{CompressionAdvice, compression_advice};
use crate::zones::day_number;
use crate::{Error, Result};

/// The largest single drink logged, mL.
pub const MAX_DRINK_ML: u32 = 2_000;

/// A stretch in compression garments.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Wear {
    /// On.
    pub on: DateTime<Utc>,
    /// Off; `None` while worn.
    pub off: Option<DateTime<Utc>>,
    /// Pressure class at the ankle, mmHg.
    pub mmhg: u32,
}

/// What putting stockings on answered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WearStarted {
    /// The stretch begun.
    pub wear: Wear,
    /// The contraindication check (logged either way: the user wears what
    /// their doctor prescribed; the app just says what it knows).
    pub advice: CompressionAdvice,
}

impl Store {
    /// Logs a drink of `ml` at `at`.
    pub fn log_drink(&mut self, ml: u32, at: DateTime<Utc>) -> Result<()> {
        if !(1..=MAX_DRINK_ML).contains(&ml) {
            return Err(Error::invalid(
                "drink",
                format!("1–{MAX_DRINK_ML} mL (got {ml})"),
            ));
        }
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

    /// Puts compression garments of `mmhg` on at `at`.
    pub fn compression_on(&mut self, mmhg: u32, at: DateTime<Utc>) -> Result<WearStarted> {
        if !(8..=60).contains(&mmhg) {
            return Err(Error::invalid(
                "compression class",
                format!("8–60 mmHg at the ankle (got {mmhg})"),
            ));
        }
        if let Some(open) = self.open_wear()? {
            return Err(Error::Conflict(format!(
                "stockings are already on since {}; take them off first",
                open.on.format("%Y-%m-%d %H:%M UTC")
            )));
        }
        let advice = compression_advice(&self.profile()?.compression_cautions);
        self.conn.execute(
            "INSERT INTO compression_wear (on_utc_ms, mmhg) VALUES (?1, ?2)",
            params![at.timestamp_millis(), mmhg],
        )?;
        Ok(WearStarted {
            wear: Wear {
                on: at,
                off: None,
                mmhg,
            },
            advice,
        })
    }

    /// Takes them off at `at`.
    pub fn compression_off(&mut self, at: DateTime<Utc>) -> Result<Wear> {
        let open = self
            .open_wear()?
            .ok_or_else(|| Error::Conflict("no stockings are on".to_owned()))?;
        if at <= open.on {
            return Err(Error::invalid(
                "time",
                format!("off must come after on ({})", open.on),
            ));
        }
        let zones = self.zone_timeline()?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE compression_wear SET off_utc_ms = ?1 WHERE off_utc_ms IS NULL",
            [at.timestamp_millis()],
        )?;
        let (first, last) = (
            day_number(zones.local_date(open.on)),
            day_number(zones.local_date(at)),
        );
        for day in first..=last {
            mark_stale(&tx, day)?;
        }
        tx.commit()?;
        Ok(Wear {
            off: Some(at),
            ..open
        })
    }

    /// The garments on now, if any.
    pub fn open_wear(&self) -> Result<Option<Wear>> {
        Ok(self
            .conn
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

    /// Minutes worn within `[from, to)`; an open stretch counts up to `to`.
    pub(super) fn compression_minutes_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<u32> {
        if to <= from {
            return Ok(0);
        }
        let ms: i64 = self.conn.query_row(
            "SELECT coalesce(sum(min(coalesce(off_utc_ms, ?2), ?2) - max(on_utc_ms, ?1)), 0)
             FROM compression_wear WHERE on_utc_ms < ?2 AND coalesce(off_utc_ms, ?2) > ?1",
            params![from.timestamp_millis(), to.timestamp_millis()],
            |r| r.get(0),
        )?;
        Ok(u32::try_from(ms / 60_000).unwrap_or(0))
    }
}
