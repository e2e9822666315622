//! The command line, as clap sees it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Second Heart: see what your calves pump, and keep them pumping.
#[derive(Debug, Parser)]
#[command(name = "second-heart", version, about)]
pub struct Cli {
    /// The database file [default: second-heart.db in your data directory]
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Print JSON for scripts instead of text for people
    #[arg(long, global = true)]
    pub json: bool,

    /// What to do
    #[command(subcommand)]
    pub command: Command,
}

/// The top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Log and list walks
    Walk {
        /// What to do with walks
        #[command(subcommand)]
        command: WalkCommand,
    },
    /// Today's totals (or another day's, with --date)
    Today(DayArgs),
    /// A guided tour on sample data (uses a throw-away database unless --db is given)
    Demo,
}

/// What to do with walks.
#[derive(Debug, Subcommand)]
pub enum WalkCommand {
    /// Log a walk; by default one that has just ended
    Log(WalkLogArgs),
    /// List the walks of a day
    List(DayArgs),
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
    /// "YYYY-MM-DD HH:MM" or "HH:MM" (today) in --tz [default: it just ended]
    #[arg(long, value_name = "TIME")]
    pub start: Option<String>,

    /// The IANA time zone you were in [default: this computer's]
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
}

/// Which day, in which zone.
#[derive(Debug, Args)]
pub struct DayArgs {
    /// The day, YYYY-MM-DD [default: today in --tz]
    #[arg(long)]
    pub date: Option<String>,

    /// The IANA time zone the day is counted in [default: this computer's]
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
}
