//! `backup`, `restore` and `import`: the whole database to one file and
//! back, and data from other apps.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::clock::ClockArgs;

/// `backup`.
#[derive(Debug, Args, Clone)]
pub struct BackupArgs {
    /// The backup file to write (replaced if it exists)
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[command(flatten)]
    pub clock: ClockArgs,
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
    #[command(flatten)]
    pub clock: ClockArgs,
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
    pub clock: ClockArgs,
}
