//! `profile`: body, goals, reminder settings, compression cautions.

use chrono::NaiveTime;
use clap::{Args, Subcommand, ValueEnum};

use super::clock::ClockArgs;

/// `profile`.
#[derive(Debug, Subcommand, Clone)]
pub enum ProfileCommand {
    /// Show the profile
    Show(ClockArgs),
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
    /// Sex, for the legs' proportions in the pump model
    #[arg(long, value_enum)]
    pub sex: Option<SexArg>,
    /// Daily steps goal
    #[arg(long)]
    pub steps_goal: Option<u32>,
    /// Daily active-minutes goal (minutes at 100+ steps a minute)
    #[arg(long)]
    pub active_minutes_goal: Option<u32>,
    /// Daily calf-raise sets goal
    #[arg(long)]
    pub sets_goal: Option<u32>,
    /// Daily goal of litres pumped by the calves
    #[arg(long)]
    pub pumped_litres_goal: Option<f64>,
    /// Daily drinks goal, mL
    #[arg(long)]
    pub hydration_goal_ml: Option<u32>,
    /// Breaks an hour of sitting
    #[arg(long)]
    pub breaks_per_hour: Option<f64>,
    /// Break reminders on or off (true/false)
    #[arg(long)]
    pub reminders: Option<bool>,
    /// Minutes without movement before a reminder (15–180)
    #[arg(long)]
    pub remind_after_min: Option<u32>,
    /// Quiet hours begin (no reminders), local time, HH:MM
    #[arg(long, value_name = "HH:MM")]
    pub quiet_from: Option<NaiveTime>,
    /// Quiet hours end, local time, HH:MM
    #[arg(long, value_name = "HH:MM")]
    pub quiet_until: Option<NaiveTime>,
    /// Peripheral arterial disease (true/false)
    #[arg(long)]
    pub arterial_disease: Option<bool>,
    /// Ankle–brachial index, when measured
    #[arg(long)]
    pub abi: Option<f64>,
    /// Take away figures given before: weight, birth-year, abi (comma-separated)
    #[arg(long, value_enum, value_delimiter = ',')]
    pub clear: Vec<ClearArg>,
    /// Severe peripheral neuropathy (true/false)
    #[arg(long)]
    pub neuropathy: Option<bool>,
    /// Fragile skin or dermatitis on the legs (true/false)
    #[arg(long)]
    pub fragile_skin: Option<bool>,
    /// Heart failure not under control (true/false)
    #[arg(long)]
    pub heart_failure: Option<bool>,
    /// When and where
    #[command(flatten)]
    pub clock: ClockArgs,
}

/// `delete-all`.
#[derive(Debug, Args, Clone)]
pub struct DeleteAllArgs {
    /// Confirm
    #[arg(long)]
    pub yes: bool,
    /// When and where
    #[command(flatten)]
    pub clock: ClockArgs,
}

/// `--sex`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SexArg {
    /// Female proportions
    Female,
    /// Male proportions
    Male,
}

/// A figure of the profile `--clear` takes away.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClearArg {
    /// Weight
    Weight,
    /// Year of birth
    BirthYear,
    /// Ankle–brachial index
    Abi,
}
