//! Break reminders: the next one, the schedule to hand the OS, and what the
//! user did with one.

use super::SecondHeart;
use crate::Result;
use crate::reminder::{Reminder, ReminderContext, ReminderResponse, ShownReminder, next_reminder};

/// The most reminders [`Reminders::upcoming`] returns.
pub const UPCOMING_LIMIT: u32 = 32;

/// Break reminders.
#[derive(Debug, Clone)]
pub struct Reminders {
    app: SecondHeart,
}

impl Reminders {
    pub(super) fn new(app: SecondHeart) -> Self {
        Self { app }
    }

    /// The next reminder to show, or `None` (turned off, or the follow-ups
    /// used up with no quiet hours set; on the ground the next morning
    /// starts again gently, and aboard a flight the ground's come again
    /// from landing). While a session runs, the first
    /// once it would end by itself, its Finish forgotten (each change that
    /// keeps it going moves that on).
    pub fn next(&self) -> Result<Option<Reminder>> {
        self.app.read(|store, now| store.next_reminder(now.at))
    }

    /// The reminders to schedule with the OS as notifications, oldest first:
    /// the next one and its follow-ups, then the next mornings' (the night
    /// resets the count), as they will come if the user does not move (at
    /// most `limit`, capped at [`UPCOMING_LIMIT`]). Schedule
    /// them again after every change (the Today observer fires then).
    pub fn upcoming(&self, limit: u32) -> Result<Vec<Reminder>> {
        self.app.read(|store, now| {
            let now_context = store.reminder_context(now.at)?;
            // While a session runs, the schedule starts where it would end
            // by itself (its Finish forgotten).
            let mut context = now_context.once_session_ends().unwrap_or(now_context);
            let mut schedule = Vec::new();
            while schedule.len() < limit.min(UPCOMING_LIMIT) as usize {
                let Some(reminder) = next_reminder(&context) else {
                    break;
                };
                if reminder.due_at < context.now {
                    break;
                }
                context = context.at(reminder.due_at);
                context.shown_since_activity.push(ShownReminder {
                    shown_at: reminder.due_at,
                    exercise: reminder.exercise,
                    response: None,
                });
                context.shown_ever += 1;
                schedule.push(reminder);
            }
            Ok(schedule)
        })
    }

    /// The reminder due now was shown; returns it (`None` when none was
    /// due: a notification tapped after the user moved, whose successor is
    /// not due yet, is not a reminder shown).
    pub fn shown(&self) -> Result<Option<Reminder>> {
        self.app.write(|store, now| {
            let reminder = due_now(&store.reminder_context(now.at)?);
            if let Some(r) = &reminder {
                store.reminder_shown(r.exercise, now.at)?;
            }
            Ok(reminder)
        })
    }

    /// The phone delivered reminders at `at` while the app did not run (iOS
    /// shows scheduled notifications without it): each that was the
    /// reminder due then is recorded as shown then, oldest first, so the
    /// follow-ups go on from the last of them instead of starting the
    /// series again when the app next runs. An instant ahead of now, or
    /// with no reminder due (the user moved), records nothing. Returns how
    /// many were recorded.
    pub fn delivered(&self, at: &[chrono::DateTime<chrono::Utc>]) -> Result<u32> {
        self.app.write(|store, now| {
            store.reminders_delivered(at, now.at, |context| due_now(context).map(|r| r.exercise))
        })
    }

    /// The user answered a reminder: the last one shown while it awaits an
    /// answer, else (none since the user last moved, or the last already
    /// answered: iOS delivers notifications without the app) the one due
    /// now, recorded first. Returns the next.
    pub fn respond(&self, response: ReminderResponse) -> Result<Option<Reminder>> {
        self.app.write(|store, now| {
            let context = store.reminder_context(now.at)?;
            // Last night's unanswered one is not what the morning's answers.
            let awaiting = context
                .shown_counting()
                .last()
                .is_some_and(|r| r.response.is_none());
            let unrecorded = if awaiting {
                None
            } else {
                due_now(&context).map(|r| r.exercise)
            };
            store.respond_to_reminder(response, unrecorded, now.at)?;
            store.next_reminder(now.at)
        })
    }
}

/// How early a notification may come (an OS that batches alarms) and still
/// be the reminder it was set for.
const EARLY_SLACK: chrono::Duration = chrono::Duration::minutes(1);

/// The next reminder of `context` if it is due at its `now`.
fn due_now(context: &ReminderContext) -> Option<Reminder> {
    next_reminder(context).filter(|r| r.due_at <= context.now + EARLY_SLACK)
}
