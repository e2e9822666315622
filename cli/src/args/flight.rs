//! `flight plan`, `flight start` and `flight cancel`.

use clap::{Args, Subcommand, ValueEnum};

use super::clock::ClockArgs;

/// `flight`.
#[derive(Debug, Subcommand, Clone)]
pub enum FlightCommand {
    /// Show the plan for a flight (nothing is saved)
    Plan(FlightArgs),
    /// Save the plan and start it: reminders follow it, days follow the arrival zone after landing
    Start(FlightArgs),
    /// Cancel the started flight not landed yet: its reminders stop, the zone changes it set ahead are forgotten
    Cancel(FlightCancelArgs),
}

/// `flight cancel`.
#[derive(Debug, Args, Clone)]
pub struct FlightCancelArgs {
    /// Confirm (without it, the flight that would be cancelled is shown)
    #[arg(long)]
    pub yes: bool,

    /// When and where
    #[command(flatten)]
    pub clock: ClockArgs,
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
    /// Landing, local time where you land (a bare "HH:MM": the first such time after take-off); or give --hours
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
    pub clock: ClockArgs,
}
