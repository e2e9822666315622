//! `detect`: activity found in a sensor recording.

use std::fs::File;
use std::io::{BufReader, Read};

use anyhow::{Context, Result};
use second_heart_core::activity::{ActivityEvent, DetectedPosture, Detection, DetectorConfig};
use second_heart_core::app::{CsvDetection, detect_csv};
use second_heart_core::pump::{Person, Valves};

use crate::args::Cli;
use crate::args::detect::DetectArgs;
use crate::output::{out, print_json, thousands};

/// Reads the recording, runs the detectors and prints what they found.
pub fn run(cli: &Cli, args: &DetectArgs) -> Result<()> {
    let input: Box<dyn Read> = if args.imu.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let file =
            File::open(&args.imu).with_context(|| format!("cannot open {}", args.imu.display()))?;
        Box::new(BufReader::new(file))
    };
    let options = CsvDetection {
        rate_hz: args.rate,
        config: DetectorConfig {
            long_axis: args.long_axis.as_deref().map(axis),
        },
        keep_step_times: args.step_times,
    };
    let detection =
        detect_csv(input, options).with_context(|| format!("in {}", args.imu.display()))?;
    if let Some(path) = &args.scenario {
        let scenario = detection.to_scenario(Person::default(), Valves::Competent, 0.0)?;
        // The day only: whose legs, which valves and what garment are
        // `model run`'s to say (its flags fill what a file leaves out).
        let day = serde_json::json!({ "timeline": scenario.timeline });
        std::fs::write(path, serde_json::to_string_pretty(&day)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if cli.json {
        return print_json(&detection);
    }
    print_summary(&detection);
    if let Some(path) = &args.scenario {
        out!(
            "\nScenario written to {} (run it with: second-heart model run {})",
            path.display(),
            path.display()
        );
    }
    Ok(())
}

fn axis(name: &str) -> [f64; 3] {
    let sign = if name.starts_with('-') { -1.0 } else { 1.0 };
    match name.trim_start_matches('-') {
        "x" => [sign, 0.0, 0.0],
        "y" => [0.0, sign, 0.0],
        _ => [0.0, 0.0, sign],
    }
}

fn print_summary(d: &Detection) {
    out!("Recording: {}", clock(d.duration_s));
    match d.cadence_spm {
        Some(cadence) => out!(
            "Steps: {} in {} of walking ({cadence:.0} steps/min)",
            thousands(u64::from(d.steps)),
            clock(d.walking_s)
        ),
        None => out!("Steps: none"),
    }
    out!("Calf raises: {}", d.calf_raises);
    out!("Ankle pumps: {}", d.ankle_pumps);
    out!("\n{:>9}  {:>9}  what", "from", "to");
    for event in d.posture.iter().chain(&d.events) {
        if let Some((from, to, what)) = describe(event) {
            out!("{:>9}  {:>9}  {what}", clock(from), clock(to));
        }
    }
    if let Some(times) = &d.step_times_s {
        let times: Vec<String> = times.iter().map(|t| format!("{t:.2}")).collect();
        out!("\nStep times, s: {}", times.join(" "));
    }
}

fn describe(event: &ActivityEvent) -> Option<(f64, f64, String)> {
    Some(match *event {
        ActivityEvent::Posture {
            start_s,
            end_s,
            posture,
            confidence,
        } => {
            let name = match posture {
                DetectedPosture::Standing => "standing".to_string(),
                DetectedPosture::Sitting => "sitting".to_string(),
                DetectedPosture::Lying => "lying".to_string(),
                DetectedPosture::LegsRaised { angle_deg } => {
                    format!("legs raised {angle_deg:.0}°")
                }
            };
            (
                start_s,
                end_s,
                format!("{name} ({:.0} % sure)", 100.0 * confidence),
            )
        }
        ActivityEvent::WalkingBout {
            start_s,
            end_s,
            steps,
            cadence_spm,
            ..
        } => (
            start_s,
            end_s,
            format!("walk: {steps} steps, {cadence_spm:.0}/min"),
        ),
        ActivityEvent::CalfRaiseSet {
            start_s,
            end_s,
            reps,
            mean_hold_s,
            short_holds,
            ..
        } => (
            start_s,
            end_s,
            format!(
                "calf raises: {reps} reps, hold {mean_hold_s:.1} s{}",
                if short_holds > 0 {
                    format!(" ({short_holds} held too briefly)")
                } else {
                    String::new()
                }
            ),
        ),
        ActivityEvent::AnklePumpSet {
            start_s,
            end_s,
            count,
            rate_per_min,
            ..
        } => (
            start_s,
            end_s,
            format!("ankle pumps: {count} at {rate_per_min:.0}/min"),
        ),
        ActivityEvent::Sock {
            start_s,
            end_s,
            worn,
            pressure_mmhg,
            ..
        } => (
            start_s,
            end_s,
            if worn {
                format!("sock on ({pressure_mmhg:.0} mmHg)")
            } else {
                "sock off".to_string()
            },
        ),
        ActivityEvent::Step { .. } | ActivityEvent::CalfRaise { .. } => return None,
    })
}

/// Seconds as h:mm:ss.
fn clock(seconds: f64) -> String {
    let total = seconds.max(0.0).round() as u64;
    format!("{}:{:02}:{:02}", total / 3600, total / 60 % 60, total % 60)
}
