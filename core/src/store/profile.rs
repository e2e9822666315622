//! The profile row and the zones the user lived in.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rusqlite::{Connection, OptionalExtension, params};

use super::Store;
use super::days::mark_stale;
use crate::profile::Profile;
use crate::zones::{ZoneTimeline, day_number};
use crate::{Error, Result};

impl Store {
    /// The profile (defaults until the user saves one).
    pub fn profile(&self) -> Result<Profile> {
        load_profile(&self.conn)
    }

    /// Checks and saves the profile. Summaries are recomputed when the
    /// goals changed (a day stores which it met); a new body changes the
    /// pump's yields, and with them the key cached days are read under.
    /// Reminder settings and health answers leave the days as they are.
    pub fn save_profile(&mut self, profile: &Profile) -> Result<()> {
        profile.validate()?;
        let json =
            serde_json::to_string(profile).map_err(|e| Error::invalid("profile", e.to_string()))?;
        let tx = self.conn.transaction()?;
        let goals_before = load_profile(&tx)?.goals;
        tx.execute(
            "INSERT INTO profile (id, json) VALUES (1, ?1) ON CONFLICT (id) DO UPDATE SET json = excluded.json",
            [json],
        )?;
        if goals_before != profile.goals {
            tx.execute("UPDATE daily_summary SET summary = NULL", [])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The zones the user lived in.
    pub fn zone_timeline(&self) -> Result<ZoneTimeline> {
        load_zones(&self.conn)
    }

    /// Records that the user is in `zone` from `since` on (the phone reports
    /// its zone; a flight plan reports the arrival). Does nothing when that
    /// zone is already in force. Minutes, drinks and sessions after `since`
    /// move to the local days of the new zone, in the same transaction.
    pub fn note_time_zone(&mut self, zone: Tz, since: DateTime<Utc>) -> Result<bool> {
        let tx = self.conn.transaction()?;
        let changed = note_zone(&tx, zone, since)?;
        tx.commit()?;
        Ok(changed)
    }
}

impl Store {
    /// Records that the phone saw `zone` in force at `at`: the stay noted
    /// then (of that zone) was lived at least until `at`. A planned zone
    /// (a flight's arrival) is never seen before it comes. Whether it was
    /// written (not at the note's own instant, nor back in time).
    pub fn zone_seen(&self, zone: Tz, at: DateTime<Utc>) -> Result<bool> {
        let written = self.conn.execute(
            "UPDATE zone_change SET seen_until_utc_ms = ?1
             WHERE from_utc_ms = (SELECT max(from_utc_ms) FROM zone_change WHERE from_utc_ms <= ?1)
               AND time_zone = ?2 AND coalesce(seen_until_utc_ms, from_utc_ms) < ?1",
            params![at.timestamp_millis(), zone.name()],
        )?;
        Ok(written == 1)
    }
}

/// [`Store::note_time_zone`] inside a caller's transaction.
pub(super) fn note_zone(conn: &Connection, zone: Tz, since: DateTime<Utc>) -> Result<bool> {
    let before = load_zones(conn)?;
    if before.zone_at(since) == zone {
        // The first note is kept even of UTC, the zones' default: it is
        // when the app first ran (the first reminder counts from it).
        conn.execute(
            "INSERT INTO zone_change (from_utc_ms, time_zone)
             SELECT ?1, ?2 WHERE NOT EXISTS (SELECT 1 FROM zone_change)",
            params![since.timestamp_millis(), zone.name()],
        )?;
        return Ok(false);
    }
    // The earliest zone also covers everything before it: a new earliest
    // change re-dates the past too.
    // (With no change stored, the timeline is UTC from the beginning of time.)
    let earliest = before
        .changes()
        .first()
        .is_none_or(|(first, _)| since < *first || *first == DateTime::<Utc>::MIN_UTC);
    let redate_since = if earliest {
        DateTime::<Utc>::MIN_UTC
    } else {
        since
    };
    conn.execute(
        "INSERT INTO zone_change (from_utc_ms, time_zone) VALUES (?1, ?2)
         ON CONFLICT (from_utc_ms) DO UPDATE SET
            time_zone = excluded.time_zone, seen_until_utc_ms = NULL",
        params![since.timestamp_millis(), zone.name()],
    )?;
    redate_after_change(conn, &before, redate_since)?;
    Ok(true)
}

/// After the zones changed from `since` on (they were `before`): moves
/// what follows to its local days under the zones now stored, and marks
/// every day from the change on for recomputation (sensor minutes are
/// dated when read), and the day before it: whether a sitting bout joins
/// it across midnight depends on how the next date is lived.
fn redate_after_change(
    conn: &Connection,
    before: &ZoneTimeline,
    since: DateTime<Utc>,
) -> Result<()> {
    let zones = load_zones(conn)?;
    redate_from(conn, &zones, since)?;
    let first_day = if since == DateTime::<Utc>::MIN_UTC {
        i64::MIN
    } else {
        day_number(before.local_date(since).min(zones.local_date(since))) - 1
    };
    conn.execute(
        "UPDATE daily_summary SET summary = NULL WHERE local_day >= ?1",
        [first_day],
    )?;
    Ok(())
}

/// Forgets the zone noted from `since` (a flight's, cancelled): what
/// follows moves back to the local days of the zone before it, as
/// [`note_zone`] moves it.
pub(super) fn forget_zone(conn: &Connection, since: DateTime<Utc>) -> Result<()> {
    let before = load_zones(conn)?;
    let forgotten = conn.execute(
        "DELETE FROM zone_change WHERE from_utc_ms = ?1",
        [since.timestamp_millis()],
    )?;
    if forgotten == 0 {
        return Ok(());
    }
    redate_after_change(conn, &before, since)
}

pub(super) fn load_profile(conn: &Connection) -> Result<Profile> {
    let json: Option<String> = conn
        .query_row("SELECT json FROM profile WHERE id = 1", [], |row| {
            row.get(0)
        })
        .optional()?;
    match json {
        Some(json) => {
            serde_json::from_str(&json).map_err(|e| Error::unreadable("profile", e.to_string()))
        }
        None => Ok(Profile::default()),
    }
}

/// The zones noted, without when each was last seen in force: for the
/// migrations' hooks, which run before that was stored (version 12).
pub(super) fn load_noted_zones(conn: &Connection) -> Result<ZoneTimeline> {
    let mut statement = conn.prepare("SELECT from_utc_ms, time_zone FROM zone_change")?;
    let rows = statement.query_map([], |row| {
        Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
    })?;
    let mut changes = Vec::new();
    for row in rows {
        let (ms, name) = row?;
        let since = DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or(DateTime::<Utc>::MIN_UTC);
        changes.push((since, super::stored_time_zone(&name)?));
    }
    Ok(ZoneTimeline::from_changes(changes))
}

pub(super) fn load_zones(conn: &Connection) -> Result<ZoneTimeline> {
    let mut statement =
        conn.prepare_cached("SELECT from_utc_ms, time_zone, seen_until_utc_ms FROM zone_change")?;
    let rows = statement.query_map([], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, Option<i64>>(2)?,
        ))
    })?;
    let mut stays = Vec::new();
    for row in rows {
        let (ms, name, seen) = row?;
        let since = DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or(DateTime::<Utc>::MIN_UTC);
        let seen = seen.and_then(DateTime::<Utc>::from_timestamp_millis);
        stays.push((since, super::stored_time_zone(&name)?, seen));
    }
    Ok(ZoneTimeline::from_stays(stays))
}

/// Moves everything at or after `since` to its local day under `zones`.
fn redate_from(conn: &Connection, zones: &ZoneTimeline, since: DateTime<Utc>) -> Result<()> {
    // (table, time column, row key, milliseconds per time unit)
    let tables = [
        ("minute_activity", "utc_minute", "source", 60_000),
        ("hydration", "utc_ms", "id", 1),
        ("session", "started_utc_ms", "id", 1),
    ];
    for (table, time, key, ms_per_unit) in tables {
        let rows: Vec<(i64, i64, rusqlite::types::Value)> = conn
            .prepare(&format!(
                "SELECT {time}, local_day, {key} FROM {table} WHERE {time} >= ?1"
            ))?
            .query_map([since.timestamp_millis().div_euclid(ms_per_unit)], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut update = conn.prepare(&format!(
            "UPDATE {table} SET local_day = ?1 WHERE {time} = ?2 AND {key} = ?3"
        ))?;
        for (at, old_day, id) in rows {
            let instant = DateTime::<Utc>::from_timestamp_millis(at * ms_per_unit).unwrap_or(since);
            let new_day = day_number(zones.local_date(instant));
            if new_day != old_day {
                update.execute(params![new_day, at, id])?;
                mark_stale(conn, old_day)?;
                mark_stale(conn, new_day)?;
            }
        }
    }
    Ok(())
}
