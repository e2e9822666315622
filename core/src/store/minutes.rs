//! Minute activity in the database: the phone's walks and sessions are
//! written to `minute_activity`; a sensor's minute records are read where
//! the sync stored them.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::Store;
use super::days::mark_stale;
use crate::Result;
use crate::minutes::{
    ACTIVE_MINUTE_STEPS, MinuteActivity, MinuteSource, minute_ended_by, minute_of,
    minute_record_stamps, spread_walk,
};
use crate::sensor::gatt::{Posture, Record, RecordBody};
use crate::walk::Walk;
use crate::zones::{ZoneTimeline, day_number};

/// Which posture a stored minute keeps when more is added to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum KeptPosture {
    /// The added minutes' where they know one: what the app saw last.
    Added,
    /// The stored minute's where it knows one. A walk logged by hand tells
    /// nothing the app saw: a session's minute under it (legs raised,
    /// seated ankle pumps) keeps its posture, so its contractions count as
    /// they were done and taking the walk back leaves the minute as it was.
    Stored,
}

/// Adds `minutes` (summing with what the same source already has for a
/// minute, the posture as `kept` says) and marks their days stale.
pub(super) fn add_minutes(
    conn: &Connection,
    zones: &ZoneTimeline,
    minutes: &[MinuteActivity],
    kept: KeptPosture,
) -> Result<()> {
    let posture = match kept {
        KeptPosture::Added => {
            "CASE WHEN excluded.posture = 0 THEN posture ELSE excluded.posture END"
        }
        KeptPosture::Stored => "CASE WHEN posture = 0 THEN excluded.posture ELSE posture END",
    };
    let mut insert = conn.prepare_cached(&format!(
        "INSERT INTO minute_activity (utc_minute, source, local_day, steps, contractions, posture, sock_mmhg)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (utc_minute, source) DO UPDATE SET
            steps = steps + excluded.steps,
            contractions = contractions + excluded.contractions,
            posture = {posture},
            sock_mmhg = max(sock_mmhg, excluded.sock_mmhg)"
    ))?;
    let mut days = BTreeSet::new();
    for m in minutes {
        let day = day_number(zones.local_date(m.minute));
        days.insert(day);
        insert.execute(params![
            m.minute.timestamp().div_euclid(60),
            m.source.key(),
            day,
            m.steps,
            m.contractions,
            m.posture.byte(),
            m.sock_mmhg
        ])?;
    }
    for day in days {
        mark_stale(conn, day)?;
    }
    Ok(())
}

/// Takes `minutes` (as [`add_minutes`] added them) back out, and marks the
/// days they were counted on stale: a minute left with nothing in it goes.
pub(super) fn take_minutes(conn: &Connection, minutes: &[MinuteActivity]) -> Result<()> {
    let mut take = conn.prepare_cached(
        "UPDATE minute_activity
         SET steps = max(steps - ?3, 0), contractions = max(contractions - ?4, 0)
         WHERE utc_minute = ?1 AND source = ?2
         RETURNING local_day",
    )?;
    // Only a minute of the posture of the minutes taken out: another
    // session's empty minute (legs raised) stays. One stored before a walk
    // logged by hand keeps its posture ([`KeptPosture::Stored`]); under a
    // walk an earlier version logged, it took the walk's and goes with it.
    let mut empty = conn.prepare_cached(
        "DELETE FROM minute_activity
         WHERE utc_minute = ?1 AND source = ?2 AND steps = 0 AND contractions = 0 AND posture = ?3",
    )?;
    let mut days = BTreeSet::new();
    for m in minutes {
        let minute = m.minute.timestamp().div_euclid(60);
        let source = m.source.key();
        let day: Option<i64> = take
            .query_row(params![minute, source, m.steps, m.contractions], |row| {
                row.get(0)
            })
            .optional()?;
        days.extend(day);
        empty.execute(params![minute, source, m.posture.byte()])?;
    }
    for day in days {
        mark_stale(conn, day)?;
    }
    Ok(())
}

/// Walking a sensor recorded: from the start of its first minute of
/// walking to the end of its last, and their steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SensorWalking {
    /// The first minute's start.
    pub from: DateTime<Utc>,
    /// The last minute's end.
    pub to: DateTime<Utc>,
    /// The steps of those minutes.
    pub steps: u32,
}

impl Store {
    /// The minutes of every source for the local date `date` under `zones`:
    /// the phone's in time order, then each sensor's in the order it
    /// recorded them (time order unless its clock was set back), ready for
    /// [`crate::minutes::merge`]. A walk logged by hand over walking a
    /// sensor recorded ([`Walk::recorded_by_sensor`], synced after the walk
    /// was logged) yields to the sensor: its steps are taken out of the
    /// phone's minutes, as if it had been refused as one logged after the
    /// sync is. Its steps, spread evenly, would have counted beside the
    /// sensor's in every minute the sensor saw fewer.
    pub fn minutes_of_date(
        &self,
        date: NaiveDate,
        zones: &ZoneTimeline,
    ) -> Result<Vec<MinuteActivity>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT utc_minute, source, steps, contractions, posture, sock_mmhg
             FROM minute_activity WHERE local_day = ?1 ORDER BY utc_minute",
        )?;
        let mut rows = statement.query([day_number(date)])?;
        let mut minutes = Vec::with_capacity(1_500);
        while let Some(row) = rows.next()? {
            // Read in place: only a sensor's key (never written here
            // today) allocates its serial.
            let source = match row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)? {
                "phone" => MinuteSource::Phone,
                key => MinuteSource::from_key(key),
            };
            minutes.push(MinuteActivity {
                minute: DateTime::<Utc>::from_timestamp(row.get::<_, i64>(0)? * 60, 0)
                    .unwrap_or_default(),
                source,
                steps: row.get(2)?,
                contractions: row.get(3)?,
                posture: Posture::from_byte(row.get(4)?).unwrap_or(Posture::Unknown),
                sock_mmhg: row.get(5)?,
            });
        }
        drop(rows);
        let yielding: Vec<Walk> = self
            .walks_on(date, zones)?
            .into_iter()
            .filter(|walk| walk.recorded_by_sensor)
            .collect();
        take_out_walks(&mut minutes, &yielding);
        // Every instant of a part is on this date, so are the minutes that
        // start in it (across a westward date line the date's two parts
        // leave out the other date's hours between them).
        for (from, to) in zones.parts_of(date) {
            sensor_minutes_into(&self.conn, from, to, &mut minutes)?;
        }
        Ok(minutes)
    }

    /// The walking the sensors recorded in the whole minutes of the walk
    /// from `start` to `end` (a part-minute at either end is not the
    /// sensor's walk: a start typed with its seconds); `None` when they
    /// recorded none. A walk logged by hand over such walking would count
    /// it twice: it is refused, and one logged before the sync yields to
    /// the sensor ([`Self::minutes_of_date`]).
    pub fn sensor_walking_during(
        &self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<Option<SensorWalking>> {
        sensor_walking_during(&self.conn, start, end)
    }

    /// Of the minute records stamped within `[from, to)`, the last minute
    /// (the one a record covers, ending at its stamp) in which any sensor
    /// recorded at least `steps` steps or `contractions` contractions: each
    /// sensor's records are read newest first, up to its first such minute.
    pub(super) fn last_active_sensor_minute(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        steps: u32,
        contractions: u32,
    ) -> Result<Option<DateTime<Utc>>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT utc_ms, raw FROM sensor_record
             WHERE device_serial = ?1 AND utc_ms >= ?2 AND utc_ms < ?3 AND kind = ?4
             ORDER BY utc_ms DESC",
        )?;
        let mut last = None;
        for serial in sensor_serials(&self.conn)? {
            let source = MinuteSource::Sensor(serial.clone());
            let mut rows = statement.query(params![
                serial.as_ref(),
                from.timestamp_millis(),
                to.timestamp_millis(),
                MINUTE_KIND
            ])?;
            while let Some(row) = rows.next()? {
                let Some(m) = sensor_minute(row.get(0)?, blob(row)?, &source) else {
                    continue;
                };
                if m.steps >= steps || m.contractions >= contractions {
                    last = last.max(Some(m.minute));
                    break;
                }
            }
        }
        Ok(last)
    }
}

/// Takes the steps each of `walks` spread over its minutes out of the
/// phone's `minutes` (no further than none); a minute left with nothing in
/// it, of the walk's posture, goes. Two walks that overlap (logged twice
/// before that was refused) are both taken out: each was spread when it
/// was logged, but for a pair from before walks had minutes, which the
/// upgrade spread once.
fn take_out_walks(minutes: &mut Vec<MinuteActivity>, walks: &[Walk]) {
    if walks.is_empty() {
        return;
    }
    let spread = spread_of(walks);
    minutes.retain_mut(|m| {
        let Some(steps) = spread
            .get(&m.minute)
            .filter(|_| m.source == MinuteSource::Phone)
        else {
            return true;
        };
        m.steps = m.steps.saturating_sub(*steps);
        m.steps > 0 || m.contractions > 0 || m.posture != Posture::Walking
    });
}

/// The steps of `walks`, each spread over its minutes as when it was
/// logged, summed by minute.
pub(super) fn spread_of(walks: &[Walk]) -> BTreeMap<DateTime<Utc>, u32> {
    let mut spread = BTreeMap::new();
    for walk in walks {
        for m in spread_walk(walk.start, walk.end(), walk.steps) {
            *spread.entry(m.minute).or_default() += m.steps;
        }
    }
    spread
}

/// [`Store::sensor_walking_during`] on `conn`.
pub(super) fn sensor_walking_during(
    conn: &Connection,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Option<SensorWalking>> {
    let mut minutes = Vec::new();
    sensor_minutes_into(conn, start, minute_of(end), &mut minutes)?;
    // Two sensors on the same legs see the same steps: a minute counts
    // its highest, as a day does.
    let mut walking = BTreeMap::new();
    for m in minutes.iter().filter(|m| m.steps >= ACTIVE_MINUTE_STEPS) {
        let steps = walking.entry(m.minute).or_insert(0u32);
        *steps = (*steps).max(m.steps);
    }
    let (Some((&first, _)), Some((&last, _))) =
        (walking.first_key_value(), walking.last_key_value())
    else {
        return Ok(None);
    };
    Ok(Some(SensorWalking {
        from: first,
        to: last + chrono::Duration::minutes(1),
        steps: walking.values().fold(0u32, |sum, s| sum.saturating_add(*s)),
    }))
}

/// The minute records every sensor stored for `[from, to)`, appended to
/// `minutes`: per sensor, in the order it recorded them.
fn sensor_minutes_into(
    conn: &Connection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    minutes: &mut Vec<MinuteActivity>,
) -> Result<()> {
    let (from_ms, to_ms) = minute_record_stamps(from, to);
    // The time index finds the span's records; reading them through
    // it costs a primary-key lookup each. Instead it gives the span's
    // first and last sequence numbers (it holds them), and the table
    // itself is read in that range, in order.
    let mut bounds = conn.prepare_cached(
        "SELECT min(seq), max(seq) FROM sensor_record
         WHERE device_serial = ?1 AND utc_ms >= ?2 AND utc_ms < ?3",
    )?;
    // `+utc_ms`: the time bounds filter the range; the primary key reads it.
    let mut records = conn.prepare_cached(
        "SELECT utc_ms, raw FROM sensor_record
         WHERE device_serial = ?1 AND seq BETWEEN ?2 AND ?3
           AND +utc_ms >= ?4 AND +utc_ms < ?5 AND kind = ?6
         ORDER BY seq",
    )?;
    for serial in sensor_serials(conn)? {
        let (first, last): (Option<i64>, Option<i64>) = bounds
            .query_row(params![serial.as_ref(), from_ms, to_ms], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        let (Some(first), Some(last)) = (first, last) else {
            continue;
        };
        let source = MinuteSource::Sensor(serial.clone());
        let mut rows = records.query(params![
            serial.as_ref(),
            first,
            last,
            from_ms,
            to_ms,
            MINUTE_KIND
        ])?;
        while let Some(row) = rows.next()? {
            if let Some(minute) = sensor_minute(row.get(0)?, blob(row)?, &source) {
                minutes.push(minute);
            }
        }
    }
    Ok(())
}

/// The serial numbers of every sensor that stored records.
fn sensor_serials(conn: &Connection) -> Result<Vec<Arc<str>>> {
    let mut statement = conn.prepare_cached("SELECT serial FROM sensor_device")?;
    let mut rows = statement.query([])?;
    let mut serials = Vec::new();
    while let Some(row) = rows.next()? {
        serials.push(Arc::from(
            row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?,
        ));
    }
    Ok(serials)
}

/// Column 1 of `row`, a blob, read in place.
fn blob<'r>(row: &'r rusqlite::Row<'_>) -> rusqlite::Result<&'r [u8]> {
    Ok(row.get_ref(1)?.as_blob()?)
}

/// A stored minute record placed at `utc_ms`, read from its bytes in place;
/// `None` for a record that does not decode as a minute.
fn sensor_minute(utc_ms: i64, raw: &[u8], source: &MinuteSource) -> Option<MinuteActivity> {
    let Ok(Record {
        body:
            RecordBody::Minute {
                steps,
                contractions,
                ankle_pressure_mmhg,
                posture,
            },
        ..
    }) = Record::parse(raw)
    else {
        return None;
    };
    Some(MinuteActivity {
        minute: minute_ended_by(DateTime::<Utc>::from_timestamp_millis(utc_ms)?),
        source: source.clone(),
        steps: u32::from(steps),
        contractions: u32::from(contractions),
        posture,
        sock_mmhg: ankle_pressure_mmhg,
    })
}

/// The type byte of a minute record, as stored in `sensor_record.kind`.
const MINUTE_KIND: u8 = 0x01;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::utc;

    fn phone(minute: &str, steps: u32, posture: Posture) -> MinuteActivity {
        MinuteActivity {
            minute: utc(minute),
            source: MinuteSource::Phone,
            steps,
            contractions: 0,
            posture,
            sock_mmhg: 0,
        }
    }

    fn walk(id: i64, start: &str, minutes: u32, steps: u32) -> Walk {
        Walk {
            id,
            start: utc(start),
            time_zone: chrono_tz::UTC,
            duration_seconds: minutes * 60,
            steps,
            by_hand: true,
            recorded_by_sensor: true,
        }
    }

    #[test]
    fn a_walk_taken_out_leaves_what_else_the_minutes_held() {
        let mut minutes = vec![
            // The walks' minute with 80 steps of another walk, one they
            // share with a tapped set, legs raised stored after them, and
            // a minute of neither.
            phone("2026-11-21T08:00:00Z", 280, Posture::Walking),
            MinuteActivity {
                contractions: 12,
                ..phone("2026-11-21T08:01:00Z", 200, Posture::Walking)
            },
            phone("2026-11-21T08:02:00Z", 0, Posture::LegsRaised),
            phone("2026-11-21T08:03:00Z", 150, Posture::Walking),
        ];
        // Logged twice before overlaps were refused: each spread.
        let twice = vec![
            walk(1, "2026-11-21T08:00:00Z", 3, 300),
            walk(2, "2026-11-21T08:00:00Z", 3, 300),
        ];
        take_out_walks(&mut minutes, &twice);
        let left: Vec<(u32, u32, Posture)> = minutes
            .iter()
            .map(|m| (m.steps, m.contractions, m.posture))
            .collect();
        assert_eq!(
            left,
            [
                (80, 0, Posture::Walking),
                (0, 12, Posture::Walking),
                (0, 0, Posture::LegsRaised),
                (150, 0, Posture::Walking)
            ]
        );
    }
}
