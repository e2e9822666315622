//! Activity detection on real recordings: gaitmap's example data (healthy
//! adult and a person with multiple sclerosis, foot-mounted IMUs, motion
//! capture references), fetched from PyPI by `tests/run-all.sh`. Ignored by
//! a plain `cargo test`, which stays offline; run with `--ignored
//! --nocapture` to see the figures `docs/activity-detection.md` reports.

mod gait;

use second_heart_core::activity::{
    ActivityDetector, ActivityEvent, DetectorConfig, ImuSample, detect,
};

const HEALTHY: (&str, f64) = ("imu_sample.csv", 204.8);
const HEALTHY_RAW_MOUNT: (&str, f64) = ("imu_sample_not_rotated.csv", 204.8);
const SENSORS: [(&str, char, &str); 2] =
    [("left_sensor", 'L', "left"), ("right_sensor", 'R', "right")];

/// Steps counted and the heel strikes of the leg wearing the sensor.
fn own_heel_strikes(samples: &[ImuSample]) -> (u32, Vec<f64>) {
    let mut detector = ActivityDetector::new(DetectorConfig::default()).expect("detector");
    let mut events = detector.push(samples).expect("test data");
    events.extend(detector.finish());
    let mut steps = 0;
    let mut own = Vec::new();
    for event in events {
        if let ActivityEvent::Step { t_s, own_leg, .. } = event {
            steps += 1;
            if own_leg {
                own.push(t_s);
            }
        }
    }
    own.sort_by(f64::total_cmp);
    (steps, own)
}

/// For each reference time, the signed error of the nearest detection
/// within `tolerance_s` (`None`: missed).
fn match_events(reference: &[f64], detected: &[f64], tolerance_s: f64) -> Vec<Option<f64>> {
    reference
        .iter()
        .map(|&r| {
            detected
                .iter()
                .map(|&d| d - r)
                .filter(|e| e.abs() <= tolerance_s)
                .min_by(|a, b| a.abs().total_cmp(&b.abs()))
        })
        .collect()
}

fn mean_abs(errors: &[f64]) -> f64 {
    errors.iter().map(|e| e.abs()).sum::<f64>() / errors.len() as f64
}

#[test]
#[ignore = "needs the gaitmap recordings: bash tests/run-all.sh fetches them"]
fn healthy_walk_step_count_is_within_3_percent_at_any_rate_and_mount() {
    // Reference: every swing of both feet in the motion capture (the whole
    // 2 × 20 m walk, turn and first and last steps included).
    let reference = (gait::mocap_swings('L').len() + gait::mocap_swings('R').len()) as f64;
    for (file, rate) in [HEALTHY, HEALTHY_RAW_MOUNT] {
        for (sensor, _, _) in SENSORS {
            for keep in [1, 2, 4] {
                let samples = gait::imu(file, sensor, rate, keep);
                let (steps, _) = own_heel_strikes(&samples);
                let error = (f64::from(steps) - reference) / reference;
                println!(
                    "{file} {sensor} at {:.1} Hz: {steps} steps, reference {reference}, error {:+.1} %",
                    rate / keep as f64,
                    100.0 * error
                );
                assert!(
                    error.abs() <= 0.03,
                    "{file} {sensor} 1/{keep}: {steps} vs {reference}"
                );
            }
        }
    }
}

#[test]
#[ignore = "needs the gaitmap recordings: bash tests/run-all.sh fetches them"]
fn every_swing_is_found_and_heel_strikes_are_timed() {
    let (file, rate) = HEALTHY;
    let mut all_errors = Vec::new();
    for (sensor, marker, foot) in SENSORS {
        for keep in [1, 2, 4] {
            let samples = gait::imu(file, sensor, rate, keep);
            let (_, own) = own_heel_strikes(&samples);
            // Each motion-capture swing ends in a heel strike within 1 s.
            let swings = gait::mocap_swings(marker);
            let found = swings
                .iter()
                .filter(|&&s| own.iter().any(|&ic| ic > s && ic < s + 1.0))
                .count();
            let sensitivity = found as f64 / swings.len() as f64;
            // Timing against the heel strikes from motion capture.
            let reference = gait::reference_ics("stride_events_sample.csv", foot, "ic", rate);
            let matched = match_events(&reference, &own, 0.25);
            if matched.iter().any(Option::is_none) {
                let wide = match_events(&reference, &own, 1.0);
                println!(
                    "  missed: {:?}",
                    reference
                        .iter()
                        .zip(wide)
                        .filter(|(_, m)| m.is_none_or(|e| e.abs() > 0.25))
                        .collect::<Vec<_>>()
                );
            }
            let errors: Vec<f64> = matched.iter().flatten().copied().collect();
            let mean = errors.iter().sum::<f64>() / errors.len() as f64;
            println!(
                "{sensor} at {:.1} Hz: {found}/{} swings found ({:.1} %), {} heel strikes timed: bias {:+.0} ms, mean |error| {:.0} ms, max {:.0} ms",
                rate / keep as f64,
                swings.len(),
                100.0 * sensitivity,
                errors.len(),
                1000.0 * mean,
                1000.0 * mean_abs(&errors),
                1000.0 * errors.iter().fold(0.0f64, |m, e| m.max(e.abs()))
            );
            assert!(sensitivity >= 0.95, "{sensor}: {found} of {}", swings.len());
            assert_eq!(
                errors.len(),
                reference.len(),
                "{sensor}: a heel strike was missed"
            );
            all_errors.extend(errors);
        }
    }
    assert!(
        mean_abs(&all_errors) < 0.06,
        "heel strikes off by {:.3} s",
        mean_abs(&all_errors)
    );
}

#[test]
#[ignore = "needs the gaitmap recordings: bash tests/run-all.sh fetches them"]
fn heel_strikes_of_a_second_walk_match_motion_capture() {
    // 4 × 10 m at 102.4 Hz; motion capture strides start at heel strike.
    let rate = 102.4;
    let mut errors = Vec::new();
    for (sensor, _, foot) in SENSORS {
        let samples = gait::imu("imu_sample_ic_stride.csv", sensor, rate, 1);
        let (_, own) = own_heel_strikes(&samples);
        let reference =
            gait::reference_ics("stride_borders_sample_ic_stride.csv", foot, "start", rate);
        let matched = match_events(&reference, &own, 0.25);
        println!(
            "ic_stride {sensor}: {} of {} heel strikes within 250 ms",
            matched.iter().flatten().count(),
            reference.len()
        );
        assert!(matched.iter().all(Option::is_some), "{sensor}: {matched:?}");
        errors.extend(matched.into_iter().flatten());
    }
    println!(
        "ic_stride: bias {:+.0} ms, mean |error| {:.0} ms",
        1000.0 * errors.iter().sum::<f64>() / errors.len() as f64,
        1000.0 * mean_abs(&errors)
    );
    assert!(mean_abs(&errors) < 0.06);
}

#[test]
#[ignore = "needs the gaitmap recordings: bash tests/run-all.sh fetches them"]
fn both_feet_agree_on_other_walks() {
    // No reference counts ship with these; each foot's sensor counts both
    // legs' steps, so the two must agree: within a stride at each end,
    // where one foot steps first or last (the right foot of the walk with
    // multiple sclerosis strikes 0.15 s before the recording ends, a
    // stride the left foot's sensor cannot see).
    for (left, right, rate) in [
        ("imu_sample_ms_left.csv", "imu_sample_ms_right.csv", 102.4),
        (
            "imu_sample_healthy_stair_up.csv",
            "imu_sample_healthy_stair_up.csv",
            204.8,
        ),
        (
            "imu_sample_healthy_stair_down.csv",
            "imu_sample_healthy_stair_down.csv",
            204.8,
        ),
    ] {
        let count = |file: &str, sensor: &str| {
            let samples = gait::imu(file, sensor, rate, 1);
            let d = detect(
                samples.into_iter().map(Ok),
                DetectorConfig::default(),
                false,
            )
            .expect("test data");
            (d.steps, d.cadence_spm.unwrap_or(0.0), d.duration_s)
        };
        let (l, lc, duration) = count(left, "left_sensor");
        let (r, rc, _) = count(right, "right_sensor");
        println!(
            "{left}: {duration:.0} s, left {l} steps ({lc:.0}/min), right {r} steps ({rc:.0}/min)"
        );
        assert!(l > 0 && l.abs_diff(r) <= 4, "{left}: {l} vs {r}");
    }
}
