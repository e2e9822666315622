//! `export`: the user's data to a file.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::clock::ClockArgs;

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// CSV, one table (see --table)
    Csv,
    /// Everything as one JSON document
    Json,
    /// A FHIR R4 Bundle of Observations (LOINC 41950-7 daily steps)
    Fhir,
}

/// CSV tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableArg {
    /// One row a day
    Days,
    /// One row a minute with data
    Minutes,
    /// One row a session
    Sessions,
    /// One row a walk, recorded or logged by hand
    Walks,
}

/// `export`.
#[derive(Debug, Args, Clone)]
pub struct ExportArgs {
    /// The format
    #[arg(long, value_enum)]
    pub format: FormatArg,
    /// The CSV table
    #[arg(long, value_enum, default_value = "days")]
    pub table: TableArg,
    /// First day, YYYY-MM-DD [default: 29 days before the last: 30 days]
    #[arg(long)]
    pub from: Option<String>,
    /// Last day [default: today]
    #[arg(long)]
    pub to: Option<String>,
    /// Where to write it ("-": standard output) [default: the name the
    /// apps offer, in the current folder, e.g.
    /// second-heart-days-2026-11-01-to-2026-11-30.csv]
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub clock: ClockArgs,
}
