//! The command line, as clap sees it: the top level here, each command's
//! arguments in the module of its name.

pub mod clock;
pub mod data;
pub mod detect;
pub mod export;
pub mod flight;
pub mod history;
pub mod logs;
pub mod model;
pub mod profile;
pub mod remind;
pub mod sensors;
pub mod sessions;
pub mod walk;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

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
        command: walk::WalkCommand,
    },
    /// Today as the Today screen shows it (or another day's figures, with --date)
    Today(clock::DayArgs),
    /// A guided tour on sample data (uses a throw-away database unless --db is given)
    Demo,
    /// The simulated sensor
    Sensor {
        /// What to do with it
        #[command(subcommand)]
        command: sensors::SensorCommand,
    },
    /// Fetch the simulated sensor's stored records into the database (a throw-away one without --db)
    Sync(sensors::SyncArgs),
    /// Real sensors over Bluetooth LE
    Devices(sensors::DevicesArgs),
    /// The calf-pump model: clinical protocols and scenarios
    Model(model::ModelArgs),
    /// Find steps, calf raises, ankle pumps and posture in a sensor recording
    Detect(detect::DetectArgs),
    /// Calf-raise and ankle-pump sets
    Set {
        /// What to do
        #[command(subcommand)]
        command: sessions::SetCommand,
    },
    /// Leg elevation, after the safety questions
    Elevate {
        /// What to do
        #[command(subcommand)]
        command: sessions::ElevateCommand,
    },
    /// Compression stockings on and off
    Wear {
        /// What to do
        #[command(subcommand)]
        command: logs::WearCommand,
    },
    /// Log a drink
    Drink(logs::DrinkArgs),
    /// Flight plans: risk check, stockings advice and an in-flight schedule
    Flight {
        /// What to do
        #[command(subcommand)]
        command: flight::FlightCommand,
    },
    /// Break reminders
    Remind {
        /// What to do
        #[command(subcommand)]
        command: remind::RemindCommand,
    },
    /// Past days, weeks or months against the goals, with streaks
    History(history::HistoryArgs),
    /// Export your data (CSV, JSON or FHIR) to a file
    Export(export::ExportArgs),
    /// Copy the whole database to one file (safe while the app runs)
    Backup(data::BackupArgs),
    /// Replace the database with a backup, after checking it
    Restore(data::RestoreArgs),
    /// Bring data in from other apps' files
    Import {
        /// What to import
        #[command(subcommand)]
        command: data::ImportCommand,
    },
    /// Your profile: body, goals, reminder settings, compression cautions
    Profile {
        /// What to do
        #[command(subcommand)]
        command: profile::ProfileCommand,
    },
    /// Delete everything: walks, sessions, sensor records, profile
    DeleteAll(profile::DeleteAllArgs),
}
