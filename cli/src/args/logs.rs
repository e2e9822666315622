//! `wear` and `drink`.

use clap::{Args, Subcommand};

use super::clock::ClockArgs;

/// `wear`.
#[derive(Debug, Subcommand, Clone)]
pub enum WearCommand {
    /// Stockings on
    On {
        /// Pressure class at the ankle, mmHg
        #[arg(long, default_value_t = 20)]
        mmhg: u32,
        #[command(flatten)]
        clock: ClockArgs,
    },
    /// Stockings off
    Off(ClockArgs),
}

/// `drink`.
#[derive(Debug, Args, Clone)]
pub struct DrinkArgs {
    /// How much, mL
    pub ml: u32,
    #[command(flatten)]
    pub clock: ClockArgs,
}
