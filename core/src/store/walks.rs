//! Storing walks and reading them back by day.

use chrono::{DateTime, NaiveDate, Offset, TimeZone, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::minutes::KeptPosture;
use super::{Store, StoreTx};
use crate::walk::{MAX_WALK_SECONDS, NewWalk, Walk};
use crate::zones::ZoneTimeline;
use crate::{Error, Result};

impl Store {
    /// Stores a checked walk and returns it with its id.
    pub fn log_walk(&mut self, walk: &NewWalk) -> Result<Walk> {
        let offset = walk
            .time_zone()
            .offset_from_utc_datetime(&walk.start().naive_utc())
            .fix()
            .local_minus_utc();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO walk (start_utc_ms, end_utc_ms, time_zone, utc_offset_s, steps)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                walk.start().timestamp_millis(),
                walk.end().timestamp_millis(),
                walk.time_zone().name(),
                offset,
                walk.steps(),
            ],
        )?;
        let id = tx.last_insert_rowid();
        let zones = super::profile::load_zones(&tx)?;
        let minutes = crate::minutes::spread_walk(walk.start(), walk.end(), walk.steps());
        super::minutes::add_minutes(&tx, &zones, &minutes, KeptPosture::Stored)?;
        tx.commit()?;
        Ok(Walk {
            id,
            start: walk.start(),
            time_zone: walk.time_zone(),
            duration_seconds: walk.duration_seconds(),
            steps: walk.steps(),
            by_hand: true,
            // A walk over the sensor's walking is refused (`log_walk`'s
            // caller checks).
            recorded_by_sensor: false,
        })
    }

    /// The walks that overlap the local date `date` as the user lived it
    /// (`zones`: each part of a date lived twice over the date line, none
    /// of a date skipped), oldest first; a walk touching both parts once.
    pub fn walks_on(&self, date: NaiveDate, zones: &ZoneTimeline) -> Result<Vec<Walk>> {
        let mut walks: Vec<Walk> = Vec::new();
        for (from, to) in zones.parts_of(date) {
            for walk in self.walks_overlapping(from, to)? {
                if !walks.iter().any(|seen| seen.id == walk.id) {
                    walks.push(walk);
                }
            }
        }
        Ok(walks)
    }

    /// The walks that overlap the time from `start` to `end` (one that ends
    /// as it begins does not), oldest first.
    pub fn walks_overlapping(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Vec<Walk>> {
        walks_overlapping(&self.conn, start, end)
    }

    /// The walk with id `id`, if the log holds one.
    pub fn walk(&self, id: i64) -> Result<Option<Walk>> {
        walk(&self.conn, id)
    }
}

impl StoreTx<'_> {
    /// Marks for recomputation the days of the walks logged by hand that
    /// overlap `from..to`, where sensor minutes were just stored: one may
    /// now yield to them ([`Store::minutes_of_date`]), on every day it
    /// touches, not only those the sensor's minutes fall on.
    pub fn mark_days_of_walks_by_hand_stale(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<()> {
        mark_days_of_walks_by_hand_stale(self.conn, from, to)
    }

    /// The walk with id `id`, if the log holds one.
    pub fn walk(&self, id: i64) -> Result<Option<Walk>> {
        walk(self.conn, id)
    }

    /// Whether the phone's minutes hold the steps of every one of `walks` as
    /// each was spread when it was logged (summed where they overlap).
    pub fn phone_minutes_hold(&self, walks: &[Walk]) -> Result<bool> {
        let mut held = self.conn.prepare_cached(
            "SELECT steps FROM minute_activity WHERE utc_minute = ?1 AND source = 'phone'",
        )?;
        for (minute, steps) in super::minutes::spread_of(walks) {
            let stored: Option<u32> = held
                .query_row([minute.timestamp().div_euclid(60)], |row| row.get(0))
                .optional()?;
            if stored.unwrap_or(0) < steps {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Deletes `walk`, logged by hand, from the log and its steps, spread
    /// over its minutes when it was logged, from the phone's minutes; its
    /// days are recomputed.
    pub fn delete_walk_by_hand(&self, walk: &Walk) -> Result<()> {
        self.conn
            .execute("DELETE FROM walk WHERE id = ?1 AND by_hand = 1", [walk.id])?;
        super::minutes::take_minutes(
            self.conn,
            &crate::minutes::spread_walk(walk.start, walk.end(), walk.steps),
        )
    }

    /// The walks that overlap the time from `start` to `end`, as
    /// [`Store::walks_overlapping`] reads them, inside this transaction.
    pub fn walks_overlapping(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Vec<Walk>> {
        walks_overlapping(self.conn, start, end)
    }
}

fn walk(conn: &Connection, id: i64) -> Result<Option<Walk>> {
    let mut statement = conn.prepare_cached(
        "SELECT id, start_utc_ms, end_utc_ms, time_zone, steps, by_hand FROM walk WHERE id = ?1",
    )?;
    let Some(walk) = statement
        .query_row([id], read_walk_row)
        .optional()?
        .transpose()?
    else {
        return Ok(None);
    };
    checked_against_sensors(conn, walk).map(Some)
}

fn walks_overlapping(
    conn: &Connection,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Vec<Walk>> {
    let from = start.timestamp_millis();
    let to = end.timestamp_millis();
    // Walks last at most a day, so the start index bounds the scan.
    let earliest_start = from - MAX_WALK_SECONDS * 1000;
    let mut statement = conn.prepare_cached(
        "SELECT id, start_utc_ms, end_utc_ms, time_zone, steps, by_hand FROM walk
         WHERE start_utc_ms >= ?1 AND start_utc_ms < ?3 AND end_utc_ms > ?2
         ORDER BY start_utc_ms, id",
    )?;
    let rows = statement.query_map(params![earliest_start, from, to], read_walk_row)?;
    let mut walks = Vec::new();
    for row in rows {
        walks.push(checked_against_sensors(conn, row??)?);
    }
    Ok(walks)
}

/// [`StoreTx::mark_days_of_walks_by_hand_stale`] on `conn`.
pub(super) fn mark_days_of_walks_by_hand_stale(
    conn: &Connection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<()> {
    let mut statement = conn.prepare_cached(
        "SELECT start_utc_ms, end_utc_ms FROM walk
         WHERE by_hand = 1 AND start_utc_ms >= ?1 AND start_utc_ms < ?3 AND end_utc_ms > ?2",
    )?;
    let (from, to) = (from.timestamp_millis(), to.timestamp_millis());
    let spans = statement
        .query_map(params![from - MAX_WALK_SECONDS * 1000, from, to], |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if spans.is_empty() {
        return Ok(());
    }
    let zones = super::profile::load_zones(conn)?;
    for (start, end) in spans {
        let (Some(start), Some(end)) = (
            DateTime::<Utc>::from_timestamp_millis(start),
            DateTime::<Utc>::from_timestamp_millis(end),
        ) else {
            continue;
        };
        super::days::mark_stale_between(conn, &zones, start, end)?;
    }
    Ok(())
}

/// `walk` as read back, with [`Walk::recorded_by_sensor`] set: a walk
/// logged by hand over walking a sensor recorded.
fn checked_against_sensors(conn: &Connection, walk: Walk) -> Result<Walk> {
    let recorded_by_sensor = walk.by_hand
        && super::minutes::sensor_walking_during(conn, walk.start, walk.end())?.is_some();
    Ok(Walk {
        recorded_by_sensor,
        ..walk
    })
}

/// Reads one `walk` row. The outer result is SQLite's, the inner one ours
/// (a row written by a future build may name a zone this build lacks).
fn read_walk_row(row: &Row<'_>) -> rusqlite::Result<Result<Walk>> {
    let id: i64 = row.get(0)?;
    let start_ms: i64 = row.get(1)?;
    let end_ms: i64 = row.get(2)?;
    let zone: String = row.get(3)?;
    let steps: u32 = row.get(4)?;
    let by_hand: bool = row.get(5)?;
    Ok(build_walk(id, (start_ms, end_ms), &zone, steps, by_hand))
}

/// A walk read back, not yet checked against the sensors' walking.
fn build_walk(
    id: i64,
    (start_ms, end_ms): (i64, i64),
    zone: &str,
    steps: u32,
    by_hand: bool,
) -> Result<Walk> {
    let start = DateTime::<Utc>::from_timestamp_millis(start_ms).ok_or_else(|| {
        Error::unreadable("walk", format!("walk {id} has an impossible start time"))
    })?;
    let duration_seconds = u32::try_from((end_ms - start_ms) / 1000)
        .map_err(|_| Error::unreadable("walk", format!("walk {id} has an impossible duration")))?;
    Ok(Walk {
        id,
        start,
        time_zone: super::stored_time_zone(zone)?,
        duration_seconds,
        steps,
        by_hand,
        recorded_by_sensor: false,
    })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::local_day::parse_time_zone;
    use crate::test_support::utc;

    fn new_walk(start: &str, zone: &str, minutes: i64, steps: i64) -> NewWalk {
        NewWalk::new(
            utc(start),
            zone,
            minutes * 60,
            steps,
            utc("2027-01-01T00:00:00Z"),
        )
        .expect("valid walk")
    }

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date")
    }

    /// The walks on a date for a user who has always lived in `zone`.
    fn walks_in(store: &Store, text: &str, zone: &str) -> Vec<Walk> {
        let zones = ZoneTimeline::fixed(parse_time_zone(zone).expect("zone"));
        store.walks_on(date(text), &zones).expect("read")
    }

    /// The day's figures for a user who has always lived in `zone`.
    fn day_in(store: &mut Store, text: &str, zone: &str) -> crate::daily::DailySummary {
        store
            .note_time_zone(
                parse_time_zone(zone).expect("zone"),
                DateTime::<Utc>::MIN_UTC,
            )
            .expect("zone noted");
        store
            .daily_summary(date(text), utc("2027-01-01T00:00:00Z"))
            .expect("summary")
    }

    #[test]
    fn a_logged_walk_comes_back_in_its_day() {
        let mut store = Store::open_in_memory().expect("store");
        let logged = store
            .log_walk(&new_walk("2026-11-21T08:00:00Z", "Europe/Berlin", 30, 3200))
            .expect("log");
        assert_eq!(
            walks_in(&store, "2026-11-21", "Europe/Berlin"),
            vec![logged]
        );
        let summary = day_in(&mut store, "2026-11-21", "Europe/Berlin");
        assert_eq!(summary.steps, 3200);
        assert_eq!(summary.walking_minutes, 30);
    }

    #[test]
    fn the_same_walk_falls_on_different_days_in_different_zones() {
        let mut store = Store::open_in_memory().expect("store");
        // 06:30 UTC on the 21st is 22:30 on the 20th in Los Angeles.
        store
            .log_walk(&new_walk("2026-11-21T06:30:00Z", "Europe/Berlin", 20, 2000))
            .expect("log");
        let in_berlin = day_in(&mut store, "2026-11-21", "Europe/Berlin");
        let in_la_20th = day_in(&mut store, "2026-11-20", "America/Los_Angeles");
        let in_la_21st = day_in(&mut store, "2026-11-21", "America/Los_Angeles");
        assert_eq!(in_berlin.steps, 2000);
        assert_eq!(in_la_20th.steps, 2000);
        assert_eq!(in_la_21st.steps, 0);
        let walks = |date, zone| walks_in(&store, date, zone).len();
        assert_eq!(walks("2026-11-20", "America/Los_Angeles"), 1);
        assert_eq!(walks("2026-11-21", "America/Los_Angeles"), 0);
    }

    #[test]
    fn a_day_long_walk_from_the_day_before_still_counts() {
        let mut store = Store::open_in_memory().expect("store");
        store
            .log_walk(&new_walk("2026-11-20T12:00:00Z", "UTC", 24 * 60, 24_000))
            .expect("log");
        assert_eq!(day_in(&mut store, "2026-11-21", "UTC").steps, 12_000);
        assert_eq!(walks_in(&store, "2026-11-21", "UTC").len(), 1);
    }

    #[test]
    fn a_walk_started_within_a_millisecond_leaves_no_step_behind_when_deleted() {
        let mut store = Store::open_in_memory().expect("store");
        // "Thirty minutes ago", read from a clock finer than the store's
        // milliseconds.
        let start = utc("2026-11-21T08:00:00Z") + chrono::Duration::microseconds(500);
        let walk = NewWalk::new(start, "UTC", 30 * 60, 3000, utc("2027-01-01T00:00:00Z"))
            .expect("valid walk");
        store.log_walk(&walk).expect("log");
        assert_eq!(day_in(&mut store, "2026-11-21", "UTC").steps, 3000);
        // Deleted as the app does, from the walk read back.
        let stored = walks_in(&store, "2026-11-21", "UTC").remove(0);
        store
            .transaction(|tx| tx.delete_walk_by_hand(&stored))
            .expect("delete");
        let day = day_in(&mut store, "2026-11-21", "UTC");
        assert_eq!((day.steps, day.walking_minutes), (0, 0));
    }

    #[test]
    fn a_walk_logged_over_a_session_s_minutes_leaves_them_as_they_were_when_deleted() {
        use crate::minutes::{MinuteActivity, MinuteSource};
        use crate::sensor::gatt::Posture;
        let mut store = Store::open_in_memory().expect("store");
        // A set of seated ankle pumps at 08:00, legs raised at 08:01.
        let session_minute = |at: &str, contractions: u32, posture: Posture| MinuteActivity {
            minute: utc(at),
            source: MinuteSource::Phone,
            steps: 0,
            contractions,
            posture,
            sock_mmhg: 0,
        };
        store
            .transaction(|tx| {
                tx.add_minutes(&[
                    session_minute("2026-11-21T08:00:00Z", 20, Posture::Sitting),
                    session_minute("2026-11-21T08:01:00Z", 0, Posture::LegsRaised),
                ])
            })
            .expect("session minutes");
        // A walk typed over them by mistake.
        let walk = store
            .log_walk(&new_walk("2026-11-21T08:00:00Z", "UTC", 2, 200))
            .expect("log");
        let minutes = |store: &Store| -> Vec<(u32, u32, Posture)> {
            let zones = ZoneTimeline::fixed(chrono_tz::UTC);
            store
                .minutes_of_date(date("2026-11-21"), &zones)
                .expect("minutes")
                .iter()
                .map(|m| (m.steps, m.contractions, m.posture))
                .collect()
        };
        // The pumps stay seated (ankle pumps, not calf raises).
        assert_eq!(
            minutes(&store),
            [(100, 20, Posture::Sitting), (100, 0, Posture::LegsRaised)]
        );
        store
            .transaction(|tx| tx.delete_walk_by_hand(&walk))
            .expect("deleted");
        assert_eq!(
            minutes(&store),
            [(0, 20, Posture::Sitting), (0, 0, Posture::LegsRaised)]
        );
    }

    #[test]
    fn walks_survive_reopening_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("sh.db");
        Store::open(&path)
            .expect("open")
            .log_walk(&new_walk("2026-11-21T08:00:00Z", "Asia/Tokyo", 45, 5000))
            .expect("log");
        let mut store = Store::open(&path).expect("reopen");
        assert_eq!(day_in(&mut store, "2026-11-21", "Asia/Tokyo").steps, 5000);
    }
}
