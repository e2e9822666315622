//! The command line, as clap sees it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub use crate::companion_args::*;

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
    /// The simulated sensor
    Sensor {
        /// What to do with it
        #[command(subcommand)]
        command: SensorCommand,
    },
    /// Fetch a sensor's stored records into the database
    Sync(SyncArgs),
    /// Real sensors over Bluetooth LE
    Devices(DevicesArgs),
    /// The calf-pump model: clinical protocols and scenarios
    Model(ModelArgs),
    /// Find steps, calf raises, ankle pumps and posture in a sensor recording
    Detect(DetectArgs),
    /// Calf-raise and ankle-pump sets
    Set {
        /// What to do
        #[command(subcommand)]
        command: SetCommand,
    },
    /// Leg elevation, after the safety questions
    Elevate {
        /// What to do
        #[command(subcommand)]
        command: ElevateCommand,
    },
    /// Compression stockings on and off
    Wear {
        /// What to do
        #[command(subcommand)]
        command: WearCommand,
    },
    /// Log a drink
    Drink(DrinkArgs),
    /// Flight plans: risk check, stockings advice and an in-flight schedule
    Flight {
        /// What to do
        #[command(subcommand)]
        command: FlightCommand,
    },
    /// Break reminders
    Remind {
        /// What to do
        #[command(subcommand)]
        command: RemindCommand,
    },
    /// Past days, weeks or months against the goals, with streaks
    History(HistoryArgs),
    /// Export your data (CSV, JSON or FHIR) to a file
    Export(ExportArgs),
    /// Copy the whole database to one file (safe while the app runs)
    Backup(BackupArgs),
    /// Replace the database with a backup, after checking it
    Restore(RestoreArgs),
    /// Bring data in from other apps' files
    Import {
        /// What to import
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Your profile: body, goals, reminder settings, compression cautions
    Profile {
        /// What to do
        #[command(subcommand)]
        command: ProfileCommand,
    },
    /// Delete everything: walks, sessions, sensor records, profile
    DeleteAll {
        /// Confirm
        #[arg(long)]
        yes: bool,
    },
}

/// `detect`.
#[derive(Debug, Args)]
pub struct DetectArgs {
    /// The recording: CSV with a header t_s,ax,ay,az,gx,gy,gz[,p1..pn]
    /// (m/s², deg/s, mmHg); "-" reads standard input
    #[arg(long, value_name = "FILE.csv")]
    pub imu: PathBuf,

    /// Sampling rate, Hz: time is the row number over it (t_s may be absent)
    #[arg(long, value_name = "HZ")]
    pub rate: Option<f64>,

    /// The sensor axis along the shank, ankle to knee, when the mount is
    /// known (x, y, z, -x, -y, -z); otherwise it is learned from gravity
    #[arg(long, value_name = "AXIS", value_parser = ["x", "y", "z", "-x", "-y", "-z"])]
    pub long_axis: Option<String>,

    /// Also list every step's time
    #[arg(long)]
    pub step_times: bool,

    /// Write the detected day as a pump-model scenario (for `model run`)
    #[arg(long, value_name = "FILE.json")]
    pub scenario: Option<PathBuf>,
}

/// `model`.
#[derive(Debug, Args)]
pub struct ModelArgs {
    /// Valve competence
    #[arg(long, global = true, value_enum, default_value = "competent")]
    pub valves: ValvesArg,

    /// Compression garment pressure class (its labelled ankle pressure), mmHg
    #[arg(long, global = true, default_value_t = 0.0)]
    pub compression_mmhg: f64,

    /// Standing height, cm
    #[arg(long, global = true, default_value_t = 175.0)]
    pub height_cm: f64,

    /// Write the time series to this CSV file
    #[arg(long, global = true, value_name = "FILE.csv")]
    pub series: Option<PathBuf>,

    /// Draw ankle pressure and calf volume to this PNG or SVG file
    #[arg(long, global = true, value_name = "FILE.png|svg")]
    pub plot: Option<PathBuf>,

    /// The protocol
    #[command(subcommand)]
    pub protocol: Protocol,
}

/// Valve competence on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ValvesArg {
    /// All valves hold
    Competent,
    /// Great saphenous reflux
    SuperficialReflux,
    /// Deep (popliteal, femoral) reflux
    DeepReflux,
}

/// A break from sitting, on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BreakArg {
    /// A 5-minute walk
    Walk,
    /// 20 calf raises
    CalfRaises,
    /// 30 ankle pumps
    AnklePumps,
}

/// A seated or lying posture for ankle pumps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RestingPosture {
    /// Sitting
    Sitting,
    /// Lying
    Supine,
}

/// The model's protocols.
#[derive(Debug, Subcommand)]
pub enum Protocol {
    /// Supine, sitting and standing ankle venous pressure
    Standing,
    /// Air plethysmography: VV, VFI, EV, EF, RV, RVF
    Apg,
    /// Standing, walking, standing again
    Walk {
        /// Walking speed, km/h
        #[arg(long, default_value_t = 4.0)]
        speed_kmh: f64,
        /// Minutes of walking
        #[arg(long, default_value_t = 5.0)]
        minutes: f64,
    },
    /// Tiptoe raises from quiet standing
    Tiptoe {
        /// How many
        #[arg(long, default_value_t = 10)]
        count: u32,
        /// How many a minute
        #[arg(long, default_value_t = 30.0)]
        rate_per_min: f64,
    },
    /// Deep-vein flow velocity at rest and during ankle pumps
    AnklePumps {
        /// Pumps a minute
        #[arg(long, default_value_t = 30.0)]
        rate_per_min: f64,
        /// Minutes of pumping
        #[arg(long, default_value_t = 3.0)]
        minutes: f64,
        /// Sitting or lying
        #[arg(long, value_enum, default_value = "sitting")]
        posture: RestingPosture,
    },
    /// Passive leg raising from semi-recumbent
    Plr {
        /// Leg angle, degrees
        #[arg(long, default_value_t = 45.0)]
        angle_deg: f64,
        /// Minutes with the legs up
        #[arg(long, default_value_t = 7.0)]
        minutes: f64,
    },
    /// A flight or a desk stretch
    Sit {
        /// Hours
        #[arg(long, default_value_t = 4.0)]
        hours: f64,
        /// A break every this many minutes
        #[arg(long)]
        break_every_min: Option<f64>,
        /// What the break is
        #[arg(long = "break", value_enum, default_value = "walk")]
        break_kind: BreakArg,
    },
    /// Run a scenario: a timeline of postures and activities (JSON, see docs/pump-model.md)
    Run {
        /// The scenario file
        scenario: PathBuf,
    },
}

/// `devices`.
#[derive(Debug, Args)]
pub struct DevicesArgs {
    /// The Bluetooth adapter to use, e.g. hci0 [default: the first]
    #[arg(long, global = true, value_name = "NAME")]
    pub adapter: Option<String>,

    /// How long to look for a sensor, seconds
    #[arg(long, global = true, default_value_t = 10.0)]
    pub scan_seconds: f64,

    /// What to do
    #[command(subcommand)]
    pub command: DevicesCommand,
}

/// What to do with real sensors.
#[derive(Debug, Subcommand)]
pub enum DevicesCommand {
    /// List Second Heart sensors and RSC foot pods nearby
    Scan,
    /// Pair a sensor by its address; it is remembered by serial number
    Pair {
        /// The address `devices scan` showed
        address: String,
    },
    /// Fetch stored records from one paired sensor, or from all of them
    Sync {
        /// Serial number or address [default: every paired sensor]
        id: Option<String>,
        /// Connection attempts in a row without progress before giving up
        #[arg(long, default_value_t = 6)]
        attempts: u32,
    },
    /// Stream live cadence and calf-pump frames
    Live {
        /// Serial number or address
        id: String,
        /// How long to stream, seconds
        #[arg(long, default_value_t = 10.0)]
        seconds: f64,
    },
    /// Forget a paired sensor and delete its stored records
    Forget {
        /// Serial number or address
        id: String,
        /// Confirm deleting its records
        #[arg(long)]
        yes: bool,
    },
}

/// What to do with the simulated sensor.
#[derive(Debug, Subcommand)]
pub enum SensorCommand {
    /// Run a day script through the simulated sensor and show what it recorded
    Simulate(SimulateArgs),
}

/// Which day script to play.
#[derive(Debug, Args)]
pub struct ScriptArgs {
    /// A day script (JSON; see docs/sensor-protocol.md) [default: a typical day that ended an hour ago]
    #[arg(long, value_name = "FILE")]
    pub script: Option<PathBuf>,
}

/// `sensor simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// The script
    #[command(flatten)]
    pub script: ScriptArgs,

    /// List every record, not only the summary
    #[arg(long)]
    pub records: bool,
}

/// `sync`.
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Sync from the simulated sensor (real sensors: `second-heart devices sync`)
    #[arg(long)]
    pub sim: bool,

    /// The script the simulated sensor recorded
    #[command(flatten)]
    pub script: ScriptArgs,

    /// Faults to inject, e.g. "disconnect@4000,drop=0.02,reboot@9000" (see docs/sensor-protocol.md)
    #[arg(long, value_name = "SPEC", default_value = "")]
    pub faults: String,

    /// Seed for the simulated data and the random faults
    #[arg(long, default_value_t = 1)]
    pub seed: u64,

    /// ATT MTU the simulated link supports (23 or 247)
    #[arg(long, default_value_t = 247)]
    pub mtu: u16,

    /// Connection interval, ms
    #[arg(long, default_value_t = 15.0)]
    pub interval_ms: f64,

    /// Packets each way per connection event
    #[arg(long, default_value_t = 4)]
    pub packets_per_event: u32,

    /// The simulated sensor's clock drift, ppm
    #[arg(long, default_value_t = 40.0, allow_negative_numbers = true)]
    pub drift_ppm: f64,

    /// Records the simulated sensor holds before overwriting the oldest
    #[arg(long, default_value_t = 8192)]
    pub capacity: u32,
}

/// What to do with walks.
#[derive(Debug, Subcommand)]
pub enum WalkCommand {
    /// Log a walk; by default one that has just ended
    Log(WalkLogArgs),
    /// List the walks of a day
    List(DayArgs),
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
