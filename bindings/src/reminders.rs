//! Break reminders.

use std::time::SystemTime;

use second_heart_core::app;
use second_heart_core::reminder::{self, Exercise, Level, ReminderResponse};

use crate::SecondHeartError;

/// How insistent a reminder is.
#[uniffi::remote(Enum)]
pub enum Level {
    /// The first.
    Gentle,
    /// A follow-up.
    Nudge,
    /// The last before falling silent.
    Firm,
}

/// What a reminder suggests.
#[uniffi::remote(Enum)]
pub enum Exercise {
    /// A few minutes' walk.
    Walk,
    /// 20 calf raises standing.
    CalfRaises,
    /// 30 ankle pumps in the chair.
    AnklePumps,
    /// 20 heel raises in the seat.
    SeatedCalfRaises,
    /// Ankle circles.
    AnkleCircles,
}

/// What the user did with a reminder.
#[uniffi::remote(Enum)]
pub enum ReminderResponse {
    /// Later, please.
    Snoozed,
    /// Not now.
    Dismissed,
    /// Did it.
    Done,
}

/// A reminder to show (or to schedule as a notification).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Reminder {
    /// When to show it.
    pub due_at: SystemTime,
    /// How insistent.
    pub level: Level,
    /// What it suggests.
    pub exercise: Exercise,
    /// Minutes without movement by then, when known.
    pub still_minutes: Option<i64>,
    /// Title.
    pub title: String,
    /// Body.
    pub body: String,
}

impl From<reminder::Reminder> for Reminder {
    fn from(r: reminder::Reminder) -> Self {
        Self {
            due_at: r.due_at.into(),
            level: r.level,
            exercise: r.exercise,
            still_minutes: r.still_minutes,
            title: r.title,
            body: r.body,
        }
    }
}

/// Break reminders.
#[derive(Debug, uniffi::Object)]
pub struct Reminders(pub(crate) app::Reminders);

#[uniffi::export]
impl Reminders {
    /// The next reminder, if one is scheduled.
    pub fn next(&self) -> Result<Option<Reminder>, SecondHeartError> {
        Ok(self.0.next()?.map(Into::into))
    }

    /// The reminders to post as OS notifications, in order (the next and
    /// its follow-ups, then the next mornings', at most `limit`).
    /// Re-schedule after every change.
    pub fn upcoming(&self, limit: u32) -> Result<Vec<Reminder>, SecondHeartError> {
        Ok(self
            .0
            .upcoming(limit)?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// The next reminder was shown now; returns it.
    pub fn shown(&self) -> Result<Option<Reminder>, SecondHeartError> {
        Ok(self.0.shown()?.map(Into::into))
    }

    /// The phone delivered reminders at `at` while the app did not run
    /// (iOS): each that was the reminder due then is recorded as shown
    /// then, so the follow-ups go on from them; returns how many.
    pub fn delivered(&self, at: Vec<SystemTime>) -> Result<u32, SecondHeartError> {
        let at = at
            .into_iter()
            .map(|t| crate::instant("delivered", t))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(self.0.delivered(&at)?)
    }

    /// The user answered the last reminder; returns the next one.
    pub fn respond(
        &self,
        response: ReminderResponse,
    ) -> Result<Option<Reminder>, SecondHeartError> {
        Ok(self.0.respond(response)?.map(Into::into))
    }
}
