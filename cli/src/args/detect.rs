//! `detect`: activity in a sensor recording.

use std::path::PathBuf;

use clap::Args;

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
