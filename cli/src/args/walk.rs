//! `walk`: logged walks and the live walk.

use clap::{Args, Subcommand};

use super::clock::{ClockArgs, DayArgs};
use super::sessions::SessionStep;

/// What to do with walks.
#[derive(Debug, Subcommand)]
pub enum WalkCommand {
    /// Log a walk; by default one that has just ended
    Log(WalkLogArgs),
    /// List the walks of a day, each with its id
    List(DayArgs),
    /// Delete a walk logged by hand, and its steps
    Delete(WalkDeleteArgs),
    /// A live walk: start, steps, pause, resume, finish, abandon, status
    #[command(flatten)]
    Session(WalkSession),
}

/// `walk log`.
#[derive(Debug, Args)]
pub struct WalkLogArgs {
    /// How long the walk lasted, in minutes
    #[arg(long, allow_negative_numbers = true)]
    pub minutes: i64,

    /// Steps taken (both legs, as a pedometer counts)
    #[arg(long, allow_negative_numbers = true)]
    pub steps: i64,

    /// When it began: RFC 3339 ("2026-11-21T08:00:00+01:00"), or local
    /// "YYYY-MM-DD HH:MM" or "HH:MM" (today) in --tz, else where you were
    /// then [default: it ended --at]
    #[arg(long, value_name = "TIME")]
    pub start: Option<String>,

    /// Where you walked (--tz) and when you log it (--at)
    #[command(flatten)]
    pub clock: ClockArgs,
}

/// `walk delete`.
#[derive(Debug, Args)]
pub struct WalkDeleteArgs {
    /// The walk's id, as `walk list` shows it
    pub id: i64,

    /// Confirm
    #[arg(long)]
    pub yes: bool,

    /// When it is done (--at)
    #[command(flatten)]
    pub clock: ClockArgs,
}

/// `walk start|steps|…` (the live walk session).
#[derive(Debug, Subcommand, Clone)]
pub enum WalkSession {
    /// Start a walk
    Start(ClockArgs),
    /// Add steps the pedometer counted
    Steps {
        /// How many
        count: u32,
        #[command(flatten)]
        clock: ClockArgs,
    },
    /// Pause, resume, finish, abandon or show the walk
    #[command(flatten)]
    Step(SessionStep),
}
