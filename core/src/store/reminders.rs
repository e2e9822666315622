//! Reminders shown and what became of them; the context for the next one.

use chrono::{DateTime, Duration, DurationRound, Utc};
use rusqlite::{OptionalExtension, params};

use super::Store;
use super::sessions::from_ms;
use crate::minutes::{ACTIVE_MINUTE_CONTRACTIONS, ACTIVE_MINUTE_STEPS};
use crate::reminder::{
    Exercise, Reminder, ReminderContext, ReminderResponse, RunningSession, ShownReminder,
    next_reminder,
};
use crate::session::Session;
use crate::{Error, Result};

/// How far back to look for the last activity.
const LOOK_BACK: Duration = Duration::hours(36);

impl Store {
    /// When the last real pump activity ended: a minute with enough steps
    /// or contractions from any source, a finished walk or exercise set, or
    /// a reminder answered Done (seated exercises leave no steps a phone
    /// counts: the user's word stands for them).
    pub fn last_activity(&self, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
        let since_minute = (now - LOOK_BACK).timestamp().div_euclid(60);
        let now_minute = now.timestamp().div_euclid(60);
        let phone: Option<i64> = self.conn.query_row(
            "SELECT max(utc_minute) FROM minute_activity
             WHERE utc_minute BETWEEN ?1 AND ?2 AND (steps >= ?3 OR contractions >= ?4)",
            params![
                since_minute,
                now_minute,
                ACTIVE_MINUTE_STEPS,
                ACTIVE_MINUTE_CONTRACTIONS
            ],
            |r| r.get(0),
        )?;
        let sensor = self
            .last_active_sensor_minute(
                now - LOOK_BACK,
                now,
                ACTIVE_MINUTE_STEPS,
                ACTIVE_MINUTE_CONTRACTIONS,
            )?
            .map(|minute| minute.timestamp().div_euclid(60));
        let session: Option<i64> = self.conn.query_row(
            // Leg elevation rests the legs; it does not work the calf pump.
            "SELECT max(ended_utc_ms) FROM session
             WHERE state = 'finished' AND kind != 'leg_elevation' AND ended_utc_ms <= ?1",
            [now.timestamp_millis()],
            |r| r.get(0),
        )?;
        let done: Option<i64> = self.conn.query_row(
            "SELECT max(response_utc_ms) FROM reminder
             WHERE response = 'done' AND response_utc_ms BETWEEN ?1 AND ?2",
            params![(now - LOOK_BACK).timestamp_millis(), now.timestamp_millis()],
            |r| r.get(0),
        )?;
        let from_minutes = phone.max(sensor).map(|m| from_ms((m + 1) * 60_000));
        Ok(from_minutes.max(session.max(done).map(from_ms)))
    }

    /// The next break reminder as of `now`, or `None`.
    pub fn next_reminder(&self, now: DateTime<Utc>) -> Result<Option<Reminder>> {
        Ok(next_reminder(&self.reminder_context(now)?))
    }

    /// What the reminder decision needs to know as of `now`. A walk or set
    /// still open runs only until it would have ended by itself: while it
    /// runs, the decision looks past that end ([`RunningSession`]); paused,
    /// it counts as activity until it last changed (a paused walk is no sign
    /// of sitting still since the last finished one); past that end (its
    /// Finish forgotten, nothing yet come to close it) as the store will
    /// hold it once closed: a walk until its idle end, a set until its last
    /// rep, a set without a rep not at all.
    pub fn reminder_context(&self, now: DateTime<Utc>) -> Result<ReminderContext> {
        self.reminder_context_seeing(now, now)
    }

    /// [`Self::reminder_context`] as of `now`, seeing the reminders recorded
    /// up to `seen_until`: the clock's now, except for reminders a phone
    /// delivered, looked at in the context of an earlier instant
    /// ([`Self::reminders_delivered`]).
    fn reminder_context_seeing(
        &self,
        now: DateTime<Utc>,
        seen_until: DateTime<Utc>,
    ) -> Result<ReminderContext> {
        let profile = self.profile()?;
        let open = self.open_session()?;
        let ends_by = open.as_ref().and_then(Session::ends_by_itself);
        // A walk or set works the pump until it closes by itself (a set at
        // its last rep); leg elevation rests the legs.
        let pumping = open
            .as_ref()
            .filter(|s| s.kind != crate::session::SessionKind::LegElevation);
        let activity_until = pumping.and_then(Session::closes_by_itself_at);
        let moved_in_open = pumping.and_then(|s| match ends_by {
            // Ended by itself, nothing come yet to close it.
            Some(end) if end < now => activity_until,
            // Running: the reminders look past its end (`once_session_ends`).
            Some(_) => None,
            // Paused: moving until it last changed.
            None => Some(s.last_change().min(now)),
        });
        let last_activity = self.last_activity(now)?.max(moved_in_open);
        let since = last_activity.unwrap_or(now - LOOK_BACK).timestamp_millis();
        // Up to the clock's now, as the last activity is read: a reminder
        // the clock put ahead of it (set a day forward, then put right) is
        // not one shown since the user last moved, and would silence the
        // next for a day.
        let mut statement = self.conn.prepare_cached(
            "SELECT shown_utc_ms, exercise, response, response_utc_ms FROM reminder
             WHERE shown_utc_ms > ?1 AND shown_utc_ms <= ?2 ORDER BY shown_utc_ms",
        )?;
        let shown_since_activity = statement
            .query_map([since, seen_until.timestamp_millis()], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .map(|(shown, exercise, response, at)| ShownReminder {
                shown_at: from_ms(shown),
                exercise: Exercise::from_key(&exercise),
                response: response
                    .and_then(|r| response_from_key(&r))
                    .zip(at.map(from_ms)),
            })
            .collect();
        let shown_ever: i64 = self
            .conn
            .query_row("SELECT count(*) FROM reminder", [], |r| r.get(0))?;
        // A flight started at the gate shapes the reminders set ahead for
        // its time in the air, and the flights started after it for theirs.
        let flight = self.flight_not_landed(now)?.map(|plan| plan.reminding());
        let later_flights = match &flight {
            Some(current) => self.flights_leaving_after(current.lands)?,
            None => Vec::new(),
        };
        // The app's first run noted the user's zone first of all.
        let first_note: Option<i64> =
            self.conn
                .query_row("SELECT min(from_utc_ms) FROM zone_change", [], |r| r.get(0))?;
        let counting_since = first_note
            .map(from_ms)
            .map_or(now - LOOK_BACK, |first| first.clamp(now - LOOK_BACK, now));
        Ok(ReminderContext {
            now,
            zone: self.zone_timeline()?.zone_at(now),
            settings: profile.reminders,
            last_activity,
            counting_since,
            running: ends_by.filter(|end| now <= *end).map(|end| RunningSession {
                ends_by: next_five_minutes(end),
                activity_until: activity_until.map(next_five_minutes),
            }),
            shown_since_activity,
            shown_ever: shown_ever.unsigned_abs(),
            flight,
            later_flights,
        })
    }

    /// Records that a reminder suggesting `exercise` was shown at `at`.
    pub fn reminder_shown(&self, exercise: Exercise, at: DateTime<Utc>) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO reminder (shown_utc_ms, exercise) VALUES (?1, ?2)",
            params![at.timestamp_millis(), exercise.key()],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Records as shown, each at its instant, the reminders a phone
    /// delivered at `delivered` while the app did not run: oldest first,
    /// those after `now` left out, and only where `due` finds one due in
    /// the context of that instant. That context sees every reminder
    /// recorded since the last activity up to `now`, later ones than the
    /// instant too, so one recorded already (shown in the foreground a
    /// moment after iOS dated it) is not recorded again. One transaction; returns how many were recorded.
    pub fn reminders_delivered(
        &mut self,
        delivered: &[DateTime<Utc>],
        now: DateTime<Utc>,
        due: impl Fn(&ReminderContext) -> Option<Exercise>,
    ) -> Result<u32> {
        let mut instants: Vec<DateTime<Utc>> =
            delivered.iter().copied().filter(|t| *t <= now).collect();
        instants.sort();
        instants.dedup();
        let tx = self.conn.unchecked_transaction()?;
        let mut recorded = 0;
        for at in instants {
            if let Some(exercise) = due(&self.reminder_context_seeing(at, now)?) {
                self.reminder_shown(exercise, at)?;
                recorded += 1;
            }
        }
        tx.commit()?;
        Ok(recorded)
    }

    /// Records the user's response at `at` to the last reminder shown, or,
    /// with `shown_now`, to a reminder suggesting that exercise recorded as
    /// shown at `at` first (in the same transaction).
    pub fn respond_to_reminder(
        &mut self,
        response: ReminderResponse,
        shown_now: Option<Exercise>,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        if let Some(exercise) = shown_now {
            tx.execute(
                "INSERT INTO reminder (shown_utc_ms, exercise) VALUES (?1, ?2)",
                params![at.timestamp_millis(), exercise.key()],
            )?;
        }
        let id: Option<i64> = tx
            .query_row("SELECT max(id) FROM reminder", [], |r| r.get(0))
            .optional()?
            .flatten();
        let id = id.ok_or_else(|| Error::Conflict("no reminder has been shown yet".to_owned()))?;
        // A later answer replaces an earlier one (Done after Snooze, a
        // later Done), but nothing else replaces a Done: the user moved,
        // and a stale copy of the notification snoozed afterwards must not
        // take that back.
        tx.execute(
            "UPDATE reminder SET response = ?2, response_utc_ms = ?3
             WHERE id = ?1 AND (response IS NULL OR response != 'done' OR ?2 = 'done')",
            params![id, response_key(response), at.timestamp_millis()],
        )?;
        tx.commit()?;
        Ok(())
    }
}

/// `t` rounded up to the next whole five minutes: a running session's end
/// (and the last activity it leaves) moves with every step counted (a
/// sensor's, about once a second), and the phones reschedule their alarms
/// whenever the next reminder moves.
fn next_five_minutes(t: DateTime<Utc>) -> DateTime<Utc> {
    t.duration_round_up(Duration::minutes(5)).unwrap_or(t)
}

fn response_key(response: ReminderResponse) -> &'static str {
    match response {
        ReminderResponse::Snoozed => "snoozed",
        ReminderResponse::Dismissed => "dismissed",
        ReminderResponse::Done => "done",
    }
}

fn response_from_key(key: &str) -> Option<ReminderResponse> {
    [
        ReminderResponse::Snoozed,
        ReminderResponse::Dismissed,
        ReminderResponse::Done,
    ]
    .into_iter()
    .find(|r| response_key(*r) == key)
}
