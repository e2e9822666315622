//! Activity detection over a raw IMU recording a user imports: fed to an
//! [`ActivityDetector`] batch by batch as the file is read, or a whole CSV
//! file at once.

use std::io::Read;
use std::path::Path;

use crate::activity::{Detection, DetectorConfig, ImuCsvReader, detect};
use crate::{Error, Result};

/// How an IMU CSV file is read and what its detection keeps.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CsvDetection {
    /// The sample rate, Hz, standing in for a missing `t_s` column.
    pub rate_hz: Option<f64>,
    /// How the sensor sits (its shank axis, or learned from gravity).
    pub config: DetectorConfig,
    /// Keep every step's time.
    pub keep_step_times: bool,
}

/// Detects everything in an IMU CSV read from `input` (the format:
/// [`ImuCsvReader`]), without holding the samples.
pub fn detect_csv(input: impl Read, options: CsvDetection) -> Result<Detection> {
    let reader = ImuCsvReader::new(input, options.rate_hz)?;
    detect(reader, options.config, options.keep_step_times)
}

/// Detects everything in the IMU CSV file at `path` the user chose.
pub fn detect_csv_file(path: &Path, options: CsvDetection) -> Result<Detection> {
    let file = std::fs::File::open(path).map_err(|e| Error::File {
        path: path.to_owned(),
        detail: e.to_string(),
    })?;
    detect_csv(std::io::BufReader::new(file), options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activity::{ActivityDetector, ActivityEvent, ImuSample};

    /// Still and upright, then lying (the shank level), at 100 Hz.
    fn upright_then_lying(seconds: u32) -> Vec<ImuSample> {
        let g = 9.80665;
        let tilt = 90.0_f64.to_radians();
        (0..seconds * 100)
            .map(|i| {
                let t_s = f64::from(i) / 100.0;
                let acc = if t_s < f64::from(seconds) / 2.0 {
                    [0.0, 0.0, g]
                } else {
                    [g * tilt.sin(), 0.0, g * tilt.cos()]
                };
                ImuSample {
                    t_s,
                    acc,
                    gyr: [0.0; 3],
                    pressure_mmhg: None,
                }
            })
            .collect()
    }

    fn postures(events: &[ActivityEvent]) -> usize {
        events
            .iter()
            .filter(|e| matches!(e, ActivityEvent::Posture { .. }))
            .count()
    }

    #[test]
    fn batches_give_the_same_events_as_one_stream() {
        let samples = upright_then_lying(120);
        let mut whole = ActivityDetector::new(DetectorConfig::default()).expect("detector");
        let mut events = whole.push(&samples).expect("valid");
        events.extend(whole.finish());

        let mut batched = ActivityDetector::new(DetectorConfig::default()).expect("detector");
        let mut in_batches = Vec::new();
        for batch in samples.chunks(37) {
            in_batches.extend(batched.push(batch).expect("valid"));
        }
        in_batches.extend(batched.finish());
        assert_eq!(events, in_batches);
        assert!(postures(&events) >= 2, "{events:?}");
    }

    #[test]
    fn a_bad_batch_is_refused_whole_and_the_recording_goes_on() {
        let samples = upright_then_lying(60);
        let mut recording = ActivityDetector::new(DetectorConfig::default()).expect("detector");
        let mut events = recording.push(&samples[..3000]).expect("valid");
        let mut bad = samples[3000..3100].to_vec();
        bad[50].gyr[1] = f64::NAN;
        assert!(matches!(
            recording.push(&bad),
            Err(Error::InvalidInput { .. })
        ));
        // Going back in time is refused too.
        assert!(recording.push(&samples[10..20]).is_err());
        // The good samples after the refused batch are still taken.
        events.extend(recording.push(&samples[3000..]).expect("valid"));
        events.extend(recording.finish());
        assert!(postures(&events) >= 2, "{events:?}");
        // After finish, a new recording may start again at time zero.
        recording.push(&samples[..10]).expect("a new recording");
    }

    #[test]
    fn hostile_axes_and_files_are_typed_errors() {
        for axis in [[0.0; 3], [f64::NAN, 0.0, 1.0], [f64::INFINITY, 0.0, 0.0]] {
            assert!(matches!(
                ActivityDetector::new(DetectorConfig {
                    long_axis: Some(axis)
                }),
                Err(Error::InvalidInput { .. })
            ));
        }
        for (text, rate) in [
            ("", None),
            ("t_s,ax,ay,az,gx,gy\n", None),
            ("ax,ay,az,gx,gy,gz\n0,0,9.8,0,0,0\n", Some(f64::NAN)),
            ("t_s,ax,ay,az,gx,gy,gz\n0,0,0,9.8,0,0,1e99\n", None),
        ] {
            assert!(
                matches!(
                    detect_csv(
                        text.as_bytes(),
                        CsvDetection {
                            rate_hz: rate,
                            ..CsvDetection::default()
                        }
                    ),
                    Err(Error::InvalidInput { .. })
                ),
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_csv_is_detected_whole() {
        let mut text = String::from("t_s,ax,ay,az,gx,gy,gz\n");
        for s in upright_then_lying(60) {
            text.push_str(&format!(
                "{},{},{},{},0,0,0\n",
                s.t_s, s.acc[0], s.acc[1], s.acc[2]
            ));
        }
        let detection = detect_csv(text.as_bytes(), CsvDetection::default()).expect("valid file");
        assert!((detection.duration_s - 59.99).abs() < 1e-6);
        assert_eq!(detection.steps, 0);
        assert!(detection.posture.len() >= 2, "{detection:?}");
    }

    fn value() -> impl proptest::strategy::Strategy<Value = f64> {
        use proptest::prelude::*;
        prop_oneof![
            -600.0..600.0,
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(-1e300),
            Just(9.80665),
        ]
    }

    proptest::proptest! {
        #[test]
        fn any_batch_gives_events_or_a_typed_error(
            batches in proptest::collection::vec(
                proptest::collection::vec(
                    (value(), [value(), value(), value()], [value(), value(), value()],
                     proptest::option::of(value())),
                    0..40,
                ),
                1..6,
            ),
        ) {
            let mut recording = ActivityDetector::new(DetectorConfig::default()).expect("detector");
            let mut t_s = 0.0;
            for batch in batches {
                let samples: Vec<ImuSample> = batch
                    .into_iter()
                    .map(|(dt, acc, gyr, pressure_mmhg)| {
                        // Mostly forward in time, sometimes not at all.
                        t_s += if dt.is_finite() { dt.abs() / 1000.0 } else { dt };
                        ImuSample { t_s, acc, gyr, pressure_mmhg }
                    })
                    .collect();
                if let Err(e) = recording.push(&samples) {
                    proptest::prop_assert!(matches!(e, Error::InvalidInput { .. }), "{e:?}");
                }
            }
            let _ = recording.finish();
        }
    }
}
