//! `set` and `elevate`, and the steps every live session shares.

use clap::{Args, Subcommand, ValueEnum};

use super::clock::ClockArgs;

/// What to do with a running session.
#[derive(Debug, Subcommand, Clone)]
pub enum SessionStep {
    /// Stop the clock
    Pause(ClockArgs),
    /// Start it again
    Resume(ClockArgs),
    /// Finish and count it
    Finish(ClockArgs),
    /// Give it up (kept in history, not counted)
    Abandon(ClockArgs),
    /// Show where it stands
    Status(ClockArgs),
}

/// Which set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SetKind {
    /// Calf raises, standing: 20 with a 1 s hold
    CalfRaises,
    /// Ankle pumps, seated: 30 at 30 a minute
    AnklePumps,
}

/// `set`.
#[derive(Debug, Subcommand, Clone)]
pub enum SetCommand {
    /// Start a set
    Start {
        /// Which exercise
        #[arg(long, value_enum, default_value = "calf-raises")]
        kind: SetKind,
        /// Target repetitions [default: 20 raises or 30 pumps]
        #[arg(long)]
        reps: Option<u32>,
        /// Hold at the top of each raise, s [default: 1]
        #[arg(long)]
        hold_s: Option<f64>,
        /// Pace, a minute (ankle pumps) [default: 30]
        #[arg(long)]
        rate_per_min: Option<f64>,
        #[command(flatten)]
        clock: ClockArgs,
    },
    /// Count one calf raise (with its hold when a sensor measured it)
    Rep {
        /// Time held at the top, s
        #[arg(long)]
        hold_s: Option<f64>,
        #[command(flatten)]
        clock: ClockArgs,
    },
    /// Count ankle pumps
    Pumps {
        /// How many
        count: u32,
        #[command(flatten)]
        clock: ClockArgs,
    },
    /// Pause, resume, finish, abandon or show the set
    #[command(flatten)]
    Step(SessionStep),
}

/// `elevate`.
#[derive(Debug, Subcommand, Clone)]
pub enum ElevateCommand {
    /// Start leg elevation after the safety questions
    Start(ElevateStart),
    /// It hurts: stop now
    Pain(ClockArgs),
    /// Pause, resume, finish, abandon or show
    #[command(flatten)]
    Step(SessionStep),
}

/// `elevate start`: the safety questions are answered with flags.
#[derive(Debug, Args, Clone)]
pub struct ElevateStart {
    /// Minutes, 15–20 suggested [default: 15]
    #[arg(long)]
    pub minutes: Option<u32>,
    /// Leg angle, degrees [default: 30]
    #[arg(long)]
    pub angle_deg: Option<f64>,
    /// I have answered the safety questions and none applies
    #[arg(long)]
    pub checked: bool,
    /// I injured a leg in the last weeks
    #[arg(long)]
    pub injury: bool,
    /// A leg hurts now
    #[arg(long)]
    pub pain: bool,
    /// I feel faint or unwell
    #[arg(long)]
    pub unwell: bool,
    /// I get short of breath lying flat
    #[arg(long)]
    pub breathless: bool,
    #[command(flatten)]
    pub clock: ClockArgs,
}
