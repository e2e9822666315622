//! `devices`, `sensor` and `sync`: real and simulated sensors.

use std::path::PathBuf;

use clap::{Args, Subcommand};

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
    /// Stream live cadence and calf-pump frames from a paired sensor
    Live {
        /// Serial number or address of a paired sensor
        id: String,
        /// How long to stream, seconds (0.1 to a day)
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
    /// Keep a reset sensor's history and sync it afresh from its first record
    AcceptReset {
        /// Serial number or address
        id: String,
    },
    /// Count walks and sets from this paired sensor (the apps' choice too)
    CountFrom {
        /// Serial number or address [with --auto: none]
        #[arg(required_unless_present = "auto", conflicts_with = "auto")]
        id: Option<String>,
        /// Count from the sensor synced last again
        #[arg(long)]
        auto: bool,
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
