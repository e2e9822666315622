//! Command-line arguments of the companion commands: sessions, drinks,
//! stockings, flights, reminders, history, export, profile, delete-all.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

/// Where and when: the zone the user is in and the time the action happens.
#[derive(Debug, Args, Clone, Default)]
pub struct Clock {
    /// The IANA time zone you are in [default: this computer's]
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,

    /// When it happens: RFC 3339, or local "YYYY-MM-DD HH:MM" or "HH:MM" in --tz [default: now]
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
}

/// What to do with a running session.
#[derive(Debug, Subcommand, Clone)]
pub enum SessionStep {
    /// Stop the clock
    Pause(Clock),
    /// Start it again
    Resume(Clock),
    /// Finish and count it
    Finish(Clock),
    /// Give it up (kept in history, not counted)
    Abandon(Clock),
    /// Show where it stands
    Status(Clock),
}

/// `walk start|steps|…` (the live walk session).
#[derive(Debug, Subcommand, Clone)]
pub enum WalkSession {
    /// Start a walk
    Start(Clock),
    /// Add steps the pedometer counted
    Steps {
        /// How many
        count: u32,
        #[command(flatten)]
        clock: Clock,
    },
    /// Pause, resume, finish, abandon or show the walk
    #[command(flatten)]
    Step(SessionStep),
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
        clock: Clock,
    },
    /// Count one calf raise (with its hold when a sensor measured it)
    Rep {
        /// Time held at the top, s
        #[arg(long)]
        hold_s: Option<f64>,
        #[command(flatten)]
        clock: Clock,
    },
    /// Count ankle pumps
    Pumps {
        /// How many
        count: u32,
        #[command(flatten)]
        clock: Clock,
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
    Pain(Clock),
    /// Pause, resume, finish, abandon or show
    #[command(flatten)]
    Step(SessionStep),
}

/// `elevate start`: the safety questions are answered with flags.
#[derive(Debug, Args, Clone)]
pub struct ElevateStart {
    /// Minutes (15–20 suggested)
    #[arg(long, default_value_t = 15)]
    pub minutes: u32,
    /// Leg angle, degrees
    #[arg(long, default_value_t = 30.0)]
    pub angle_deg: f64,
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
    pub clock: Clock,
}

/// `wear`.
#[derive(Debug, Subcommand, Clone)]
pub enum WearCommand {
    /// Stockings on
    On {
        /// Pressure class at the ankle, mmHg
        #[arg(long, default_value_t = 20)]
        mmhg: u32,
        #[command(flatten)]
        clock: Clock,
    },
    /// Stockings off
    Off(Clock),
}

/// `drink`.
#[derive(Debug, Args, Clone)]
pub struct DrinkArgs {
    /// How much, mL
    pub ml: u32,
    #[command(flatten)]
    pub clock: Clock,
}

/// `flight`.
#[derive(Debug, Subcommand, Clone)]
pub enum FlightCommand {
    /// Show the plan for a flight (nothing is saved)
    Plan(FlightArgs),
    /// Save the plan and start it: reminders follow it, days follow the arrival zone after landing
    Start(FlightArgs),
}

/// A seat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeatArg {
    /// Aisle
    Aisle,
    /// Middle
    Middle,
    /// Window
    Window,
}

/// A risk factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RiskArg {
    /// A clot before (DVT or pulmonary embolism)
    PreviousClot,
    /// Surgery or a serious injury in the last 3 months
    RecentSurgery,
    /// Active cancer
    Cancer,
    /// Pregnant
    Pregnant,
    /// Gave birth in the last 6 weeks
    Postpartum,
    /// Oestrogen: the pill or hormone replacement
    Oestrogen,
    /// Limited mobility
    LimitedMobility,
    /// A known clotting disorder
    Thrombophilia,
    /// Several long trips in a short time
    SeveralFlights,
    /// Obesity (or give your weight in `profile set`)
    Obesity,
}

/// The trip.
#[derive(Debug, Args, Clone)]
pub struct FlightArgs {
    /// Take-off, local time where you leave ("YYYY-MM-DD HH:MM") or RFC 3339
    #[arg(long)]
    pub depart: String,
    /// The zone you leave from
    #[arg(long, value_name = "ZONE")]
    pub from: String,
    /// Landing, local time where you land; or give --hours
    #[arg(long, conflicts_with = "hours")]
    pub arrive: Option<String>,
    /// Flight time, hours (instead of --arrive)
    #[arg(long)]
    pub hours: Option<f64>,
    /// The zone you land in
    #[arg(long, value_name = "ZONE")]
    pub to: String,
    /// Your seat
    #[arg(long, value_enum, default_value = "aisle")]
    pub seat: SeatArg,
    /// Minutes between movement prompts (30–60)
    #[arg(long, default_value_t = 45)]
    pub every_min: u32,
    /// When you mean to sleep, destination time, "HH:MM-HH:MM"
    #[arg(long, value_name = "FROM-UNTIL")]
    pub sleep: Option<String>,
    /// Risk factors, comma-separated
    #[arg(long, value_enum, value_delimiter = ',')]
    pub risk: Vec<RiskArg>,
    #[command(flatten)]
    pub clock: Clock,
}

/// `remind`.
#[derive(Debug, Subcommand, Clone)]
pub enum RemindCommand {
    /// When the next break reminder is due and what it says
    Next(Clock),
    /// Record that the reminder was shown
    Shown(Clock),
    /// Snooze the last reminder
    Snooze(Clock),
    /// Dismiss it
    Dismiss(Clock),
    /// Did it
    Done(Clock),
}

/// `history`.
#[derive(Debug, Args, Clone)]
pub struct HistoryArgs {
    /// Days back from today
    #[arg(long, default_value_t = 7)]
    pub days: u32,
    /// Group the days by week or month
    #[arg(long, value_enum, default_value = "day")]
    pub by: HistoryGrouping,
    /// Draw steps and pumped litres to this PNG or SVG file
    #[arg(long, value_name = "FILE.png|svg")]
    pub chart: Option<PathBuf>,
    #[command(flatten)]
    pub clock: Clock,
}

/// How to group history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HistoryGrouping {
    /// Each day
    Day,
    /// ISO weeks
    Week,
    /// Calendar months
    Month,
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// CSV, one table (see --table)
    Csv,
    /// Everything as one JSON document
    Json,
    /// A FHIR R4 Bundle of Observations (LOINC 41950-7 daily steps)
    Fhir,
}

/// CSV tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportTable {
    /// One row a day
    Days,
    /// One row a minute with data
    Minutes,
    /// One row a session
    Sessions,
}

/// `export`.
#[derive(Debug, Args, Clone)]
pub struct ExportArgs {
    /// The format
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// The CSV table
    #[arg(long, value_enum, default_value = "days")]
    pub table: ExportTable,
    /// First day, YYYY-MM-DD [default: 30 days ago]
    #[arg(long)]
    pub from: Option<String>,
    /// Last day [default: today]
    #[arg(long)]
    pub to: Option<String>,
    /// Where to write it ("-": standard output)
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[command(flatten)]
    pub clock: Clock,
}

/// `backup`.
#[derive(Debug, Args, Clone)]
pub struct BackupArgs {
    /// The backup file to write (replaced if it exists)
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// `restore`.
#[derive(Debug, Args, Clone)]
pub struct RestoreArgs {
    /// The backup file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Confirm that the data in the database now may be replaced
    #[arg(long)]
    pub yes: bool,
}

/// `import`.
#[derive(Debug, Subcommand, Clone)]
pub enum ImportCommand {
    /// Daily step totals from CSV: our own export's days table, or
    /// date,steps rows as pedometer apps write them
    Steps(ImportStepsArgs),
}

/// `import steps`.
#[derive(Debug, Args, Clone)]
pub struct ImportStepsArgs {
    /// The CSV file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    #[command(flatten)]
    pub clock: Clock,
}

/// `profile`.
#[derive(Debug, Subcommand, Clone)]
pub enum ProfileCommand {
    /// Show the profile
    Show,
    /// Change some of it
    Set(ProfileSet),
}

/// `profile set`.
#[derive(Debug, Args, Clone)]
pub struct ProfileSet {
    /// Height, cm
    #[arg(long)]
    pub height_cm: Option<f64>,
    /// Weight, kg
    #[arg(long)]
    pub weight_kg: Option<f64>,
    /// Year of birth
    #[arg(long)]
    pub birth_year: Option<i32>,
    /// Daily steps goal
    #[arg(long)]
    pub steps_goal: Option<u32>,
    /// Daily drinks goal, mL
    #[arg(long)]
    pub hydration_goal_ml: Option<u32>,
    /// Minutes without movement before a reminder (15–180)
    #[arg(long)]
    pub remind_after_min: Option<u32>,
    /// Peripheral arterial disease (true/false)
    #[arg(long)]
    pub arterial_disease: Option<bool>,
    /// Ankle–brachial index, when measured
    #[arg(long)]
    pub abi: Option<f64>,
    /// Severe peripheral neuropathy (true/false)
    #[arg(long)]
    pub neuropathy: Option<bool>,
    /// Fragile skin or dermatitis on the legs (true/false)
    #[arg(long)]
    pub fragile_skin: Option<bool>,
    /// Heart failure not under control (true/false)
    #[arg(long)]
    pub heart_failure: Option<bool>,
}
