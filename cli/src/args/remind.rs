//! `remind`: break reminders.

use clap::Subcommand;

use super::clock::ClockArgs;

/// `remind`.
#[derive(Debug, Subcommand, Clone)]
pub enum RemindCommand {
    /// When the next break reminder is due and what it says
    Next(ClockArgs),
    /// The reminders to come if you do not move: the next one and its follow-ups
    Upcoming {
        /// At most this many
        #[arg(long, default_value_t = 5)]
        count: u32,
        #[command(flatten)]
        clock: ClockArgs,
    },
    /// Record that the reminder was shown
    Shown(ClockArgs),
    /// Snooze the last reminder
    Snooze(ClockArgs),
    /// Dismiss it
    Dismiss(ClockArgs),
    /// Did it
    Done(ClockArgs),
}
