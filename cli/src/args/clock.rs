//! When and where a command acts: `--at` and `--tz`, shared by every command
//! that acts in time.

use clap::Args;

/// The user's zone and the moment the command acts in; the CLI's clock
/// (a phone reads its system clock and zone instead).
#[derive(Debug, Args, Clone, Default)]
pub struct ClockArgs {
    /// The IANA time zone you are in [default: this computer's]
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,

    /// When it happens: RFC 3339, or local "YYYY-MM-DD HH:MM" or "HH:MM" in --tz (without
    /// --tz, before your last move: in the zone you were in then) [default: now]
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
}

/// A day, seen from `--at` in `--tz`.
#[derive(Debug, Args, Clone)]
pub struct DayArgs {
    /// The day, YYYY-MM-DD [default: the day of --at where you were then]
    #[arg(long)]
    pub date: Option<String>,

    /// When and where
    #[command(flatten)]
    pub clock: ClockArgs,
}
