//! Sessions in the database: one row each, one row per event, so a session
//! survives the app being killed and resumes where it was.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rusqlite::{Connection, ErrorCode, OptionalExtension, Transaction, params};
use serde::Serialize;

use super::Store;
use super::days::mark_stale_between;
use super::minutes::{add_minutes, session_minutes};
use crate::local_day::parse_time_zone;
use crate::session::{
    ElevationCheck, FinishedSet, Outcome, Progress, Session, SessionEvent, SessionKind,
    SessionState, Target, TimedEvent,
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

/// A session after a change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionUpdate {
    /// The session.
    pub session: Session,
    /// Where it stands.
    pub progress: Progress,
    /// The result, once finished.
    pub outcome: Option<Outcome>,
}

impl Store {
    /// Starts a session. Leg elevation needs its safety questions answered
    /// (and passes the profile's heart-failure caution too).
    pub fn start_session(
        &mut self,
        kind: SessionKind,
        target: Option<Target>,
        elevation_check: Option<ElevationCheck>,
        zone: Tz,
        now: DateTime<Utc>,
    ) -> Result<SessionUpdate> {
        if kind == SessionKind::LegElevation {
            let check = elevation_check.ok_or_else(|| {
                Error::invalid(
                    "safety check",
                    "answer the leg-elevation safety questions first",
                )
            })?;
            check.gate(
                self.profile()?
                    .compression_cautions
                    .decompensated_heart_failure,
            )?;
        }
        let mut session = Session::start(
            kind,
            target.unwrap_or_else(|| kind.default_target()),
            zone,
            now,
        )?;
        let day = day_number(self.zone_timeline()?.local_date(now));
        let target_json = to_json(&session.target)?;
        let tx = self.conn.transaction()?;
        let inserted = tx.execute(
            "INSERT INTO session (kind, state, started_utc_ms, local_day, time_zone, target)
             VALUES (?1, 'active', ?2, ?3, ?4, ?5)",
            params![
                kind.key(),
                now.timestamp_millis(),
                day,
                zone.name(),
                target_json
            ],
        );
        if let Err(e) = inserted {
            return Err(match e.sqlite_error_code() {
                Some(ErrorCode::ConstraintViolation) => match load_open(&tx)? {
                    Some(open) => Error::Conflict(format!(
                        "a {} session is already {}; finish or abandon it first",
                        open.kind.key().replace('_', " "),
                        open.state.key()
                    )),
                    None => Error::Storage(e),
                },
                _ => Error::Storage(e),
            });
        }
        session.id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(SessionUpdate {
            progress: Progress::of(&session, now),
            session,
            outcome: None,
        })
    }

    /// The session that is running or paused, if any, as it was left.
    pub fn open_session(&self) -> Result<Option<Session>> {
        load_open(&self.conn)
    }

    /// Applies `event` to the open session at `now`: stored, and on finish
    /// counted into the day (minutes, the walk log), all in one transaction.
    pub fn session_event(
        &mut self,
        event: SessionEvent,
        now: DateTime<Utc>,
    ) -> Result<SessionUpdate> {
        let person = self.profile()?.person();
        let zones = self.zone_timeline()?;
        let tx = self.conn.transaction()?;
        let mut session =
            load_open(&tx)?.ok_or_else(|| Error::Conflict("no session is running".to_owned()))?;
        session.apply(event, now)?;
        let seq = i64::try_from(session.events.len()).unwrap_or(i64::MAX);
        tx.execute(
            "INSERT INTO session_event (session_id, seq, utc_ms, event) VALUES (?1, ?2, ?3, ?4)",
            params![session.id, seq, now.timestamp_millis(), to_json(&event)?],
        )?;
        let mut outcome = None;
        if !session.state.is_open() {
            let ended = session.ended().unwrap_or(now);
            let mut outcome_json = None;
            if session.state == SessionState::Finished {
                let result = Outcome::of(&session, person, now)?;
                add_minutes(&tx, &zones, &session_minutes(&session, &result))?;
                if session.kind == SessionKind::Walk && result.progress.steps > 0 {
                    log_walk_row(&tx, &session, ended, result.progress.steps)?;
                }
                outcome_json = Some(to_json(&result)?);
                outcome = Some(result);
            }
            tx.execute(
                "UPDATE session SET state = ?2, ended_utc_ms = ?3, outcome = ?4 WHERE id = ?1",
                params![
                    session.id,
                    session.state.key(),
                    ended.timestamp_millis(),
                    outcome_json
                ],
            )?;
            // Every day the session ran in holds a share of it.
            mark_stale_between(&tx, &zones, session.started, ended)?;
        } else {
            tx.execute(
                "UPDATE session SET state = ?2 WHERE id = ?1",
                params![session.id, session.state.key()],
            )?;
        }
        tx.commit()?;
        Ok(SessionUpdate {
            progress: Progress::of(&session, now),
            session,
            outcome,
        })
    }

    /// The sessions that ran during `[from, to)`: begun before `to`, and begun
    /// or ended after `from` (a session across midnight belongs to both
    /// days), oldest first.
    pub fn sessions_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<SessionRecord>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT id, kind, state, source, started_utc_ms, ended_utc_ms, time_zone, outcome FROM session
             WHERE started_utc_ms < ?2 AND (started_utc_ms >= ?1 OR ended_utc_ms > ?1)
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
                kind: SessionKind::from_key(&kind)?,
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
                .map_err(|e| Error::invalid("stored set", e.to_string()))?;
            let reps = stored
                .reps
                .or(stored.progress.map(|p| p.reps))
                .ok_or_else(|| Error::invalid("stored set", "its outcome has no repetitions"))?;
            sets.push(FinishedSet {
                kind: SessionKind::from_key(&kind)?,
                started: from_ms(started),
                ended: from_ms(ended),
                reps,
                from_sensor: source == "sensor",
            });
        }
        Ok(sets)
    }
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
                .map_err(|e| Error::invalid("stored session event", e.to_string()))?;
            Ok(TimedEvent {
                at: from_ms(at),
                event,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Some(Session {
        id,
        kind: SessionKind::from_key(&kind)?,
        target: serde_json::from_str(&target)
            .map_err(|e| Error::invalid("stored target", e.to_string()))?,
        started: from_ms(started),
        time_zone: parse_time_zone(&zone)?,
        state: state_from_key(&state)?,
        events,
    }))
}

/// A finished walk session also goes into the walk log.
fn log_walk_row(
    tx: &Transaction<'_>,
    session: &Session,
    ended: DateTime<Utc>,
    steps: u32,
) -> Result<()> {
    use chrono::{Offset, TimeZone};
    let offset = session
        .time_zone
        .offset_from_utc_datetime(&session.started.naive_utc())
        .fix()
        .local_minus_utc();
    let end = ended.max(session.started + chrono::Duration::seconds(1));
    tx.execute(
        "INSERT INTO walk (start_utc_ms, end_utc_ms, time_zone, utc_offset_s, steps) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            session.started.timestamp_millis(),
            end.timestamp_millis(),
            session.time_zone.name(),
            offset,
            steps
        ],
    )?;
    Ok(())
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
    .ok_or_else(|| Error::invalid("stored session state", format!("unknown state {key:?}")))
}

pub(super) fn from_ms(ms: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default()
}

pub(super) fn to_json(value: &impl Serialize) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::invalid("record", e.to_string()))
}
