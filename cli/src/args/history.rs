//! `history`: days, weeks and months.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::clock::ClockArgs;

/// `history`.
#[derive(Debug, Args, Clone)]
pub struct HistoryArgs {
    /// How many days, weeks or months, ending with the current one
    #[arg(long, visible_alias = "days", default_value_t = 7)]
    pub count: u32,
    /// Group the days by week or month
    #[arg(long, value_enum, default_value = "day")]
    pub by: HistoryGrouping,
    /// Draw steps and pumped litres to this PNG or SVG file
    #[arg(long, value_name = "FILE.png|svg")]
    pub chart: Option<PathBuf>,
    #[command(flatten)]
    pub clock: ClockArgs,
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
