//! `model`: the calf-pump model's protocols.

use std::path::PathBuf;

use clap::{Args, Subcommand};

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
        break_every_min: Option<u32>,
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
