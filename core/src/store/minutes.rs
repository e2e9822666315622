//! Minute activity in the database: the phone's walks and sessions are
//! written to `minute_activity`; a sensor's minute records are read where
//! the sync stored them; committed sensor records mark their days stale and
//! turn the sensor's exercise sets into sessions.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, params};

use super::Store;
use super::days::mark_stale;
use super::sessions::to_json;
use crate::Result;
use crate::minutes::{MinuteActivity, MinuteSource};
use crate::sensor::gatt::{ExerciseKind, Posture, Record, RecordBody};
use crate::session::{Outcome, SensorSetOutcome, Session, SessionKind, SessionState};
use crate::zones::{ZoneTimeline, day_number};

/// Adds `minutes` (summing with what the same source already has for a
/// minute) and marks their days stale.
pub(super) fn add_minutes(
    conn: &Connection,
    zones: &ZoneTimeline,
    minutes: &[MinuteActivity],
) -> Result<()> {
    let mut insert = conn.prepare_cached(
        "INSERT INTO minute_activity (utc_minute, source, local_day, steps, contractions, posture, sock_mmhg)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (utc_minute, source) DO UPDATE SET
            steps = steps + excluded.steps,
            contractions = contractions + excluded.contractions,
            posture = CASE WHEN excluded.posture = 0 THEN posture ELSE excluded.posture END,
            sock_mmhg = max(sock_mmhg, excluded.sock_mmhg)",
    )?;
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

/// What a committed sensor record changes: a minute makes its day's summary
/// stale; an exercise set becomes a finished session. Records the same twice
/// change nothing.
pub(super) struct SensorDerivation<'a> {
    conn: &'a Connection,
    serial: &'a str,
    zones: ZoneTimeline,
    stale_days: BTreeSet<i64>,
}

impl<'a> SensorDerivation<'a> {
    pub(super) fn new(conn: &'a Connection, serial: &'a str) -> Result<Self> {
        Ok(Self {
            conn,
            serial,
            zones: super::profile::load_zones(conn)?,
            stale_days: BTreeSet::new(),
        })
    }

    /// Derives from one record placed at `utc_ms`.
    pub(super) fn record(&mut self, record: &Record, utc_ms: i64) -> Result<()> {
        let Some(at) = DateTime::<Utc>::from_timestamp_millis(utc_ms) else {
            return Ok(());
        };
        let day = day_number(self.zones.local_date(at));
        match record.body {
            // Minute records are read in place (`sensor_minutes`); only
            // their day's summary needs recomputing.
            RecordBody::Minute { .. } => {
                self.stale_days.insert(day);
            }
            RecordBody::Exercise {
                kind,
                reps,
                duration_s,
                mean_hold_ds,
            } => {
                let end =
                    self.exercise_set(record.seq, at, day, kind, reps, duration_s, mean_hold_ds)?;
                // A set across midnight counts on the day holding its middle.
                let last_day = day_number(self.zones.local_date(end));
                self.stale_days.extend(day..=last_day);
            }
            RecordBody::Boot { .. } | RecordBody::ClockSet { .. } => {}
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn exercise_set(
        &self,
        seq: u32,
        at: DateTime<Utc>,
        day: i64,
        kind: ExerciseKind,
        reps: u8,
        duration_s: u16,
        mean_hold_ds: u16,
    ) -> Result<DateTime<Utc>> {
        let session_kind = match kind {
            ExerciseKind::CalfRaises => SessionKind::CalfRaises,
            ExerciseKind::AnklePumps => SessionKind::AnklePumps,
        };
        let outcome = to_json(&SensorSetOutcome::new(reps, duration_s, mean_hold_ds))?;
        let target = to_json(&session_kind.default_target())?;
        let end = at + Duration::seconds(i64::from(duration_s));
        self.conn
            .prepare_cached(
                "INSERT OR IGNORE INTO session
                 (kind, state, source, source_key, started_utc_ms, ended_utc_ms, local_day, time_zone, target, outcome)
                 VALUES (?1, ?2, 'sensor', ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                session_kind.key(),
                SessionState::Finished.key(),
                format!("{}:{seq}", self.serial),
                at.timestamp_millis(),
                end.timestamp_millis(),
                day,
                self.zones.zone_at(at).name(),
                target,
                outcome,
            ])?;
        Ok(end)
    }

    /// Marks the days touched stale.
    pub(super) fn finish(self) -> Result<()> {
        for day in self.stale_days {
            mark_stale(self.conn, day)?;
        }
        Ok(())
    }
}

impl Store {
    /// The minutes of every source for the local date `date`.
    pub fn minutes_of_date(&self, date: chrono::NaiveDate) -> Result<Vec<MinuteActivity>> {
        self.minutes_of_day(day_number(date))
    }

    /// The minutes of every source for the local day `day` (a day number).
    pub(super) fn minutes_of_day(&self, day: i64) -> Result<Vec<MinuteActivity>> {
        self.minutes_of_day_in(day, &super::profile::load_zones(&self.conn)?)
    }

    /// [`Store::minutes_of_day`] with the zones already loaded.
    pub(super) fn minutes_of_day_in(
        &self,
        day: i64,
        zones: &ZoneTimeline,
    ) -> Result<Vec<MinuteActivity>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT utc_minute, source, steps, contractions, posture, sock_mmhg
             FROM minute_activity WHERE local_day = ?1",
        )?;
        let rows = statement.query_map([day], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, u32>(2)?,
                row.get::<_, u32>(3)?,
                row.get::<_, u8>(4)?,
                row.get::<_, u8>(5)?,
            ))
        })?;
        let mut minutes = Vec::new();
        for row in rows {
            let (minute, source, steps, contractions, posture, sock_mmhg) = row?;
            minutes.push(MinuteActivity {
                minute: DateTime::<Utc>::from_timestamp(minute * 60, 0).unwrap_or_default(),
                source: MinuteSource::from_key(&source),
                steps,
                contractions,
                posture: Posture::from_byte(posture).unwrap_or(Posture::Unknown),
                sock_mmhg,
            });
        }
        let date = crate::zones::date_of_day_number(day);
        if let Some((from, to)) = zones.span_of(date) {
            minutes.extend(
                self.sensor_minutes(from, to)?
                    .into_iter()
                    .filter(|m| zones.local_date(m.minute) == date),
            );
        }
        Ok(minutes)
    }

    /// The minute records every sensor stored for `[from, to)`, newest last.
    pub(super) fn sensor_minutes(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<MinuteActivity>> {
        let serials: Vec<String> = self
            .conn
            .prepare_cached("SELECT serial FROM sensor_device")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut statement = self.conn.prepare_cached(
            "SELECT utc_ms, raw FROM sensor_record
             WHERE device_serial = ?1 AND utc_ms >= ?2 AND utc_ms < ?3 AND kind = ?4 ORDER BY utc_ms",
        )?;
        let mut minutes = Vec::new();
        for serial in serials {
            let rows = statement.query_map(
                params![
                    serial,
                    from.timestamp_millis(),
                    to.timestamp_millis(),
                    MINUTE_KIND
                ],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)),
            )?;
            for row in rows {
                let (utc_ms, raw) = row?;
                let Ok(Record {
                    body:
                        RecordBody::Minute {
                            steps,
                            contractions,
                            ankle_pressure_mmhg,
                            posture,
                        },
                    ..
                }) = Record::parse(&raw)
                else {
                    continue;
                };
                minutes.push(MinuteActivity {
                    minute: crate::minutes::minute_of(
                        DateTime::<Utc>::from_timestamp_millis(utc_ms).unwrap_or_default(),
                    ),
                    source: MinuteSource::Sensor(serial.clone()),
                    steps: u32::from(steps),
                    contractions: u32::from(contractions),
                    posture,
                    sock_mmhg: ankle_pressure_mmhg,
                });
            }
        }
        Ok(minutes)
    }
}

/// The type byte of a minute record, as stored in `sensor_record.kind`.
const MINUTE_KIND: u8 = 0x01;

/// The minutes a finished phone session adds: its steps or repetitions
/// spread over the time it ran (pauses left out).
pub(super) fn session_minutes(session: &Session, outcome: &Outcome) -> Vec<MinuteActivity> {
    let p = &outcome.progress;
    let (steps, reps, posture) = match session.kind {
        SessionKind::Walk => (p.steps, 0, Posture::Walking),
        SessionKind::CalfRaises => (0, p.reps, Posture::Standing),
        SessionKind::AnklePumps => (0, p.reps, Posture::Sitting),
        SessionKind::LegElevation => (0, 0, Posture::LegsRaised),
    };
    let end = session.ended().unwrap_or(session.started);
    let intervals = session.active_intervals(end);
    let total_ms: i64 = intervals
        .iter()
        .map(|(a, b)| (*b - *a).num_milliseconds())
        .sum();
    let share_until = |total: u32, ms: i64| -> u32 {
        if total_ms <= 0 {
            return total;
        }
        u32::try_from(i64::from(total) * ms / total_ms).unwrap_or(total)
    };
    let mut minutes = Vec::new();
    let mut done_ms = 0;
    for (from, to) in intervals {
        let before = done_ms;
        done_ms += (to - from).num_milliseconds();
        let part = |total: u32| share_until(total, done_ms) - share_until(total, before);
        minutes.extend(crate::minutes::spread(
            from,
            to,
            part(steps),
            part(reps),
            posture,
        ));
    }
    minutes
}
