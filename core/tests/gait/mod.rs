//! Loads the gaitmap example recordings (foot-mounted IMUs with
//! motion-capture references, MaD-Lab Erlangen, MIT licence) that
//! `tests/run-all.sh` downloads from PyPI into `target/fixtures`.

use std::path::PathBuf;

use second_heart_core::activity::ImuSample;

/// Folder of the example data (`SECOND_HEART_GAIT_DATA` overrides).
pub fn data_dir() -> PathBuf {
    std::env::var_os("SECOND_HEART_GAIT_DATA").map_or_else(
        || {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../target/fixtures/gaitmap-2.6.0/example_data")
        },
        PathBuf::from,
    )
}

fn read(name: &str) -> String {
    let path = data_dir().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; fetch the recordings with `bash tests/run-all.sh` (or set SECOND_HEART_GAIT_DATA)",
            path.display()
        )
    })
}

/// One sensor's samples from a gaitmap IMU file (two header rows: sensor,
/// axis) recorded at `rate_hz`, every `keep_every`-th sample (to test lower
/// rates).
pub fn imu(name: &str, sensor: &str, rate_hz: f64, keep_every: usize) -> Vec<ImuSample> {
    let text = read(name);
    let mut lines = text.lines().peekable();
    let sensors: Vec<&str> = lines.next().expect("test data").split(',').collect();
    // Single-sensor files have one header row (the axes).
    let two_rows = lines.peek().is_some_and(|l| l.contains("acc_x"));
    let axes: Vec<&str> = if two_rows {
        lines.next().expect("test data").split(',').collect()
    } else {
        sensors.clone()
    };
    let column = |axis: &str| {
        (0..axes.len())
            .find(|&i| axes[i] == axis && (sensors[i] == sensor || !sensors.contains(&sensor)))
            .unwrap_or_else(|| panic!("{name}: no {sensor}/{axis}"))
    };
    let columns: Vec<usize> = ["acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z"]
        .iter()
        .map(|a| column(a))
        .collect();
    lines
        .enumerate()
        .filter(|(i, _)| i % keep_every == 0)
        .map(|(i, line)| {
            let cells: Vec<f64> = line
                .split(',')
                .map(|c| c.parse().unwrap_or(f64::NAN))
                .collect();
            let v: Vec<f64> = columns.iter().map(|&c| cells[c]).collect();
            ImuSample {
                t_s: i as f64 / rate_hz,
                acc: [v[0], v[1], v[2]],
                gyr: [v[3], v[4], v[5]],
                pressure_mmhg: None,
            }
        })
        .collect()
}

/// Reference heel strikes of one foot, s: `ic` from a gaitmap stride list
/// (sample indices at `rate_hz`).
pub fn reference_ics(name: &str, foot: &str, column: &str, rate_hz: f64) -> Vec<f64> {
    let text = read(name);
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("test data").split(',').collect();
    let foot_col = header.iter().position(|h| *h == "foot").expect("test data");
    let col = header.iter().position(|h| *h == column).expect("test data");
    let mut ics: Vec<f64> = lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|cells| cells[foot_col] == foot)
        .map(|cells| cells[col].parse::<f64>().expect("test data") / rate_hz)
        .collect();
    ics.sort_by(f64::total_cmp);
    ics
}

/// Swings of each foot in the motion-capture recording (100 Hz): stretches
/// where the mean of the toe, heel and fifth-metatarsal markers moves
/// faster than 1 m/s over the floor (ends below 0.3 m/s). Returns the swing
/// start times, s.
pub fn mocap_swings(foot: char) -> Vec<f64> {
    let text = read("mocap_sample.csv");
    let mut lines = text.lines();
    let markers: Vec<&str> = lines.next().expect("test data").split(',').collect();
    let axes: Vec<&str> = lines.next().expect("test data").split(',').collect();
    let wanted: Vec<String> = ["TOE", "FCC", "FM5"]
        .iter()
        .map(|m| format!("{foot}_{m}"))
        .collect();
    let cols = |axis: &str| -> Vec<usize> {
        (0..markers.len())
            .filter(|&i| wanted.iter().any(|w| w == markers[i]) && axes[i] == axis)
            .collect()
    };
    let (xs, ys) = (cols("x"), cols("y"));
    let positions: Vec<(f64, f64)> = lines
        .map(|l| {
            let cells: Vec<f64> = l
                .split(',')
                .map(|c| c.parse().unwrap_or(f64::NAN))
                .collect();
            let mean = |c: &[usize]| c.iter().map(|&i| cells[i]).sum::<f64>() / c.len() as f64;
            (mean(&xs) / 1000.0, mean(&ys) / 1000.0)
        })
        .collect();
    let mut swings = Vec::new();
    let mut moving = false;
    for i in 1..positions.len() - 1 {
        let (a, b) = (positions[i - 1], positions[i + 1]);
        let speed = (b.0 - a.0).hypot(b.1 - a.1) / 0.02;
        if !moving && speed > 1.0 {
            moving = true;
            swings.push(i as f64 / 100.0);
        } else if moving && speed < 0.3 {
            moving = false;
        }
    }
    swings
}
