//! Sessions in the database: one row each, one row per event, so a session
//! survives the app being killed and resumes where it was.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rusqlite::{Connection, ErrorCode, OptionalExtension, params};
use serde::Serialize;

use super::days::mark_stale_between;
use super::minutes::{KeptPosture, add_minutes};
use super::profile::load_zones;
use super::{PlacedRecord, Store, StoreTx};
use crate::minutes::MinuteActivity;
use crate::sensor::gatt::{Record, TYPE_EXERCISE};
use crate::session::{
    FinishedSet, Outcome, SensorSetOutcome, Session, SessionEvent, SessionKind, SessionState,
    Target, TimedEvent,
};
use crate::zones::day_number;
use crate::{Error, Result};

/// A session as history shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionRecord {
    /// The database id.
    pub id: i64,
    /// What it was.
    pub kind: SessionKind,
    /// How it ended (or that it is still open).
    pub state: SessionState,
    /// "phone", or "sensor" for sets the sensor recorded on its own.
    pub source: String,
    /// When it began.
    pub started: DateTime<Utc>,
    /// When it ended.
    pub ended: Option<DateTime<Utc>>,
    /// The zone the user was in.
    pub time_zone: String,
    /// The result, for finished sessions.
    pub outcome: Option<serde_json::Value>,
}

/// A set a sensor recorded on its own, to be stored as a finished session.
#[derive(Debug, Clone, PartialEq)]
pub struct SensorSet {
    /// Names the sensor's record ("serial:seq"): the same record stored
    /// twice is one set.
    pub source_key: String,
    /// Calf raises or ankle pumps.
    pub kind: SessionKind,
    /// When it began.
    pub started: DateTime<Utc>,
    /// When it ended.
    pub ended: DateTime<Utc>,
    /// The local date it counts on.
    pub local_date: NaiveDate,
    /// The zone the user was in.
    pub time_zone: Tz,
    /// What the set aimed for.
    pub target: Target,
    /// What the sensor counted.
    pub outcome: SensorSetOutcome,
}

/// How far a sensor's record of a set may fall outside the phone's span of
/// the same set and still be that set: the sensor's clock is placed on the
/// phone's to within seconds, and a phone set that ended by itself spans
/// only its start to its last rep.
const PHONE_SET_MARGIN_MS: i64 = 60_000;

impl StoreTx<'_> {
    /// Whether `from..=to` is already counted as a set of `kind` by another
    /// record than the sensor `serial`'s: a set the phone ran over it, or
    /// within a minute of it (finished, or still open; not abandoned), or
    /// another sensor's record
    /// of the same set (a sensor on each leg): one sharing more than half
    /// of the shorter set's time ([`same_set_overlap`]). Two sets of one
    /// sensor never stand for each other, nor do sets back to back whose
    /// ends the two clocks blur by a second.
    pub fn set_counted_elsewhere(
        &self,
        serial: &str,
        kind: SessionKind,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<bool> {
        let (from, to) = (from.timestamp_millis(), to.timestamp_millis());
        let phone_ran_it: bool = self
            .conn
            .prepare_cached(
                "SELECT EXISTS (
                     SELECT 1 FROM session
                     WHERE source = 'phone' AND kind = ?1 AND state != ?2
                       AND started_utc_ms - ?5 <= ?4
                       AND coalesce(ended_utc_ms + ?5, 9223372036854775807) >= ?3)",
            )?
            .query_row(
                params![
                    kind.key(),
                    SessionState::Abandoned.key(),
                    from,
                    to,
                    PHONE_SET_MARGIN_MS
                ],
                |row| row.get(0),
            )?;
        if phone_ran_it {
            return Ok(true);
        }
        let mut others = self.conn.prepare_cached(
            "SELECT started_utc_ms, ended_utc_ms FROM session
             WHERE source = 'sensor' AND kind = ?1 AND state != ?2
               AND substr(source_key, 1, length(?5) + 1) != ?5 || ':'
               AND started_utc_ms < ?4 AND ended_utc_ms > ?3",
        )?;
        let spans = others.query_map(
            params![kind.key(), SessionState::Abandoned.key(), from, to, serial],
            |row| Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?)),
        )?;
        for span in spans {
            if same_set_overlap(span?, (from, to)) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Every sensor's exercise-set records, placed in time, whose set ends
    /// within `from..=to`, with the serial of the sensor that recorded it.
    pub fn sensor_sets_ending_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<(String, PlacedRecord)>> {
        // Through the time index of each sensor, not the whole table (a
        // CROSS JOIN keeps the sensors the outer loop).
        let mut statement = self.conn.prepare_cached(
            "SELECT r.device_serial, r.raw, r.utc_ms
             FROM sensor_device d CROSS JOIN sensor_record r ON r.device_serial = d.serial
             WHERE r.utc_ms BETWEEN ?2 AND ?3 AND r.kind = ?1 ORDER BY r.utc_ms",
        )?;
        let rows = statement.query_map(
            params![
                TYPE_EXERCISE,
                from.timestamp_millis(),
                to.timestamp_millis()
            ],
            |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, Vec<u8>>(1)?,
                    row.get::<_, i64>(2)?,
                ))
            },
        )?;
        let mut sets = Vec::new();
        for row in rows {
            let (serial, raw, utc_ms) = row?;
            let record = Record::parse(&raw)
                .map_err(|e| Error::unreadable("sensor record", e.to_string()))?;
            let at = DateTime::from_timestamp_millis(utc_ms)
                .ok_or_else(|| Error::unreadable("sensor record", format!("time {utc_ms} ms")))?;
            sets.push((serial, PlacedRecord { record, at }));
        }
        Ok(sets)
    }

    /// Stores a set a sensor recorded as a finished session, once: the same
    /// [`SensorSet::source_key`] again changes nothing. True when stored.
    pub fn insert_sensor_set(&self, set: &SensorSet) -> Result<bool> {
        let inserted = self
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO session
                 (kind, state, source, source_key, started_utc_ms, ended_utc_ms, local_day, time_zone, target, outcome)
                 VALUES (?1, ?2, 'sensor', ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                set.kind.key(),
                SessionState::Finished.key(),
                set.source_key,
                set.started.timestamp_millis(),
                set.ended.timestamp_millis(),
                day_number(set.local_date),
                set.time_zone.name(),
                to_json(&set.target)?,
                to_json(&set.outcome)?,
            ])?;
        Ok(inserted == 1)
    }

    /// Stores a session just started and returns its id. One session is
    /// open at a time: while another is, this is an [`Error::Conflict`].
    pub fn insert_session(&self, session: &Session) -> Result<i64> {
        let day = day_number(load_zones(self.conn)?.local_date(session.started));
        let inserted = self.conn.execute(
            "INSERT INTO session (kind, state, started_utc_ms, local_day, time_zone, target)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                session.kind.key(),
                session.state.key(),
                session.started.timestamp_millis(),
                day,
                session.time_zone.name(),
                to_json(&session.target)?
            ],
        );
        match inserted {
            Ok(_) => Ok(self.conn.last_insert_rowid()),
            Err(e) => Err(match e.sqlite_error_code() {
                Some(ErrorCode::ConstraintViolation) => match load_open(self.conn)? {
                    Some(open) => Error::Conflict(format!(
                        "a {} session is already {}; finish or abandon it first",
                        open.kind.key().replace('_', " "),
                        open.state.key()
                    )),
                    None => Error::Storage(e),
                },
                _ => Error::Storage(e),
            }),
        }
    }

    /// The session that is running or paused, if any, as it was left.
    pub fn open_session(&self) -> Result<Option<Session>> {
        load_open(self.conn)
    }

    /// Stores `session`'s newest event, `event` at `at`, and the state it
    /// left the session in.
    pub fn append_session_event(
        &self,
        session: &Session,
        event: SessionEvent,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let seq = i64::try_from(session.events.len()).unwrap_or(i64::MAX);
        self.conn.execute(
            "INSERT INTO session_event (session_id, seq, utc_ms, event) VALUES (?1, ?2, ?3, ?4)",
            params![session.id, seq, at.timestamp_millis(), to_json(&event)?],
        )?;
        self.conn.execute(
            "UPDATE session SET state = ?2 WHERE id = ?1",
            params![session.id, session.state.key()],
        )?;
        Ok(())
    }

    /// Closes `session` (finished or abandoned) at `ended`, with its
    /// outcome when finished; every day it ran in is recomputed.
    pub fn close_session(
        &self,
        session: &Session,
        ended: DateTime<Utc>,
        outcome: Option<&Outcome>,
    ) -> Result<()> {
        let outcome = outcome.map(to_json).transpose()?;
        self.conn.execute(
            "UPDATE session SET state = ?2, ended_utc_ms = ?3, outcome = ?4 WHERE id = ?1",
            params![
                session.id,
                session.state.key(),
                ended.timestamp_millis(),
                outcome
            ],
        )?;
        // Every day the session ran in holds a share of it.
        mark_stale_between(self.conn, &load_zones(self.conn)?, session.started, ended)
    }

    /// Adds the phone's `minutes` (summing with what it already has for a
    /// minute) and recomputes their days.
    pub fn add_minutes(&self, minutes: &[MinuteActivity]) -> Result<()> {
        add_minutes(
            self.conn,
            &load_zones(self.conn)?,
            minutes,
            KeptPosture::Added,
        )
    }

    /// Puts a stretch of a finished walk session, `steps` walked from
    /// `start` to `end`, into the walk log.
    pub fn log_session_walk(
        &self,
        session: &Session,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        steps: u32,
    ) -> Result<()> {
        use chrono::{Offset, TimeZone};
        let offset = session
            .time_zone
            .offset_from_utc_datetime(&start.naive_utc())
            .fix()
            .local_minus_utc();
        let end = end.max(start + chrono::Duration::seconds(1));
        self.conn.execute(
            "INSERT INTO walk (start_utc_ms, end_utc_ms, time_zone, utc_offset_s, steps, by_hand)
             VALUES (?1, ?2, ?3, ?4, ?5, 0)",
            params![
                start.timestamp_millis(),
                end.timestamp_millis(),
                session.time_zone.name(),
                offset,
                steps
            ],
        )?;
        Ok(())
    }
}

impl Store {
    /// The session that is running or paused, if any, as it was left.
    pub fn open_session(&self) -> Result<Option<Session>> {
        load_open(&self.conn)
    }

    /// Whether session `id` is running now (not paused, finished or
    /// abandoned): one row read, cheap enough for every live frame.
    pub fn session_is_active(&self, id: i64) -> Result<bool> {
        let state: Option<String> = self
            .conn
            .query_row("SELECT state FROM session WHERE id = ?1", [id], |row| {
                row.get(0)
            })
            .optional()?;
        Ok(state.as_deref() == Some(SessionState::Active.key()))
    }

    /// The sessions that ran during `[from, to)`: begun before `to`, and begun
    /// or ended after `from` or not ended yet (a session across midnight
    /// belongs to both days; one still open, to every day since its start),
    /// oldest first.
    pub fn sessions_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<SessionRecord>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT id, kind, state, source, started_utc_ms, ended_utc_ms, time_zone, outcome FROM session
             WHERE started_utc_ms < ?2
               AND (started_utc_ms >= ?1 OR ended_utc_ms IS NULL OR ended_utc_ms > ?1)
             ORDER BY started_utc_ms, id",
        )?;
        let rows = statement.query_map(
            params![from.timestamp_millis(), to.timestamp_millis()],
            |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, i64>(4)?,
                    row.get::<_, Option<i64>>(5)?,
                    row.get::<_, String>(6)?,
                    row.get::<_, Option<String>>(7)?,
                ))
            },
        )?;
        let mut out = Vec::new();
        for row in rows {
            let (id, kind, state, source, started, ended, time_zone, outcome) = row?;
            out.push(SessionRecord {
                id,
                kind: super::stored_session_kind(&kind)?,
                state: state_from_key(&state)?,
                source,
                started: from_ms(started),
                ended: ended.map(from_ms),
                time_zone,
                outcome: outcome.and_then(|o| serde_json::from_str(&o).ok()),
            });
        }
        Ok(out)
    }
}

impl Store {
    /// The calf-raise and ankle-pump sets finished within `[from, to)`,
    /// each counted where its middle lies, oldest first.
    pub fn sets_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<FinishedSet>> {
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT kind, source, started_utc_ms, ended_utc_ms, outcome FROM session
             WHERE kind IN (?3, ?4) AND {SET_IN_SPAN} ORDER BY started_utc_ms, id"
        ))?;
        let rows = statement.query_map(
            params![
                from.timestamp_millis(),
                to.timestamp_millis(),
                SessionKind::CalfRaises.key(),
                SessionKind::AnklePumps.key()
            ],
            |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, i64>(2)?,
                    row.get::<_, i64>(3)?,
                    row.get::<_, Option<String>>(4)?,
                ))
            },
        )?;
        let mut sets = Vec::new();
        for row in rows {
            let (kind, source, started, ended, outcome) = row?;
            let stored: StoredReps = serde_json::from_str(outcome.as_deref().unwrap_or("null"))
                .map_err(|e| Error::unreadable("set", e.to_string()))?;
            let reps = stored
                .reps
                .or(stored.progress.map(|p| p.reps))
                .ok_or_else(|| Error::unreadable("set", "its outcome has no repetitions"))?;
            sets.push(FinishedSet {
                kind: super::stored_session_kind(&kind)?,
                started: from_ms(started),
                ended: from_ms(ended),
                reps,
                from_sensor: source == "sensor",
            });
        }
        Ok(sets)
    }
}

/// Whether two sensors' sets, each `(start, end)` in UTC ms, are one set
/// recorded twice: they share more than half of the shorter one's time.
pub(super) fn same_set_overlap(a: (i64, i64), b: (i64, i64)) -> bool {
    let shared = a.1.min(b.1) - a.0.max(b.0);
    2 * shared > (a.1 - a.0).min(b.1 - b.0)
}

/// A finished session within `[?1, ?2)` (UTC ms) as a set counts there:
/// once, on the day that holds its middle (the larger share of a set that
/// runs across midnight).
pub(super) const SET_IN_SPAN: &str = "state = 'finished'
    AND started_utc_ms < ?2 AND ended_utc_ms >= ?1
    AND (started_utc_ms + ended_utc_ms) / 2 >= ?1
    AND (started_utc_ms + ended_utc_ms) / 2 < ?2";

/// The repetitions in a stored set's outcome: a phone session's progress,
/// or the sensor's own count.
#[derive(serde::Deserialize)]
struct StoredReps {
    reps: Option<u32>,
    progress: Option<ProgressReps>,
}

#[derive(serde::Deserialize)]
struct ProgressReps {
    reps: u32,
}

fn load_open(conn: &Connection) -> Result<Option<Session>> {
    let row = conn
        .query_row(
            "SELECT id, kind, state, started_utc_ms, time_zone, target FROM session
             WHERE state IN ('active', 'paused')",
            [],
            |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, i64>(3)?,
                    row.get::<_, String>(4)?,
                    row.get::<_, String>(5)?,
                ))
            },
        )
        .optional()?;
    let Some((id, kind, state, started, zone, target)) = row else {
        return Ok(None);
    };
    let mut statement = conn.prepare_cached(
        "SELECT utc_ms, event FROM session_event WHERE session_id = ?1 ORDER BY seq",
    )?;
    let events = statement
        .query_map([id], |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .map(|(at, json)| {
            let event: SessionEvent = serde_json::from_str(&json)
                .map_err(|e| Error::unreadable("session event", e.to_string()))?;
            Ok(TimedEvent {
                at: from_ms(at),
                event,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Some(Session {
        id,
        kind: super::stored_session_kind(&kind)?,
        target: serde_json::from_str(&target)
            .map_err(|e| Error::unreadable("target", e.to_string()))?,
        started: from_ms(started),
        time_zone: super::stored_time_zone(&zone)?,
        state: state_from_key(&state)?,
        events,
    }))
}

fn state_from_key(key: &str) -> Result<SessionState> {
    [
        SessionState::Active,
        SessionState::Paused,
        SessionState::Finished,
        SessionState::Abandoned,
    ]
    .into_iter()
    .find(|s| s.key() == key)
    .ok_or_else(|| Error::unreadable("session state", format!("unknown state {key:?}")))
}

pub(super) fn from_ms(ms: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default()
}

pub(super) fn to_json(value: &impl Serialize) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::invalid("record", e.to_string()))
}
