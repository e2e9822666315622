//! Activity detection over a raw IMU recording a user imports: fed to an
//! [`ActivityDetector`] batch by batch as the file is read, or a whole CSV
//! file at once.

use std::cell::Cell;
use std::io::Read;
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;

use super::progress::{Progress, Tracker};
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

/// Samples read between two looks at the progress (a few hundredths of a
/// second's work).
const SAMPLES_PER_CHECK: usize = 4_096;

/// Detects everything in an IMU CSV read from `input` (the format:
/// [`ImuCsvReader`]), without holding the samples.
pub fn detect_csv(input: impl Read, options: CsvDetection) -> Result<Detection> {
    detect_counted(input, None, options)
}

/// Detects everything in the IMU CSV file at `path` the user chose,
/// reporting the share of the file read to `progress`, if any, and
/// stopping with [`Error::Cancelled`] once it is cancelled.
pub fn detect_csv_file(
    path: &Path,
    options: CsvDetection,
    progress: Option<Arc<dyn Progress>>,
) -> Result<Detection> {
    let file_error = |e: std::io::Error| Error::File {
        path: path.to_owned(),
        detail: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(file_error)?;
    let size = file.metadata().map_err(file_error)?.len();
    let tracker = progress.map(|p| Tracker::new(p, size as f64));
    detect_counted(std::io::BufReader::new(file), tracker, options)
}

/// Detects everything in `input`, telling `tracker` the bytes read.
fn detect_counted(
    input: impl Read,
    tracker: Option<Tracker>,
    options: CsvDetection,
) -> Result<Detection> {
    let read = Rc::new(Cell::new(0_u64));
    let counted = Counted {
        inner: input,
        read: Rc::clone(&read),
    };
    let samples = ImuCsvReader::new(counted, options.rate_hz)?
        .enumerate()
        .map(|(i, sample)| match &tracker {
            Some(tracker) if i % SAMPLES_PER_CHECK == 0 && tracker.at(read.get() as f64) => {
                Err(Error::Cancelled)
            }
            _ => sample,
        });
    detect(samples, options.config, options.keep_step_times)
}

/// A reader that counts the bytes passing through it.
struct Counted<R> {
    inner: R,
    read: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.set(self.read.get() + n as u64);
        Ok(n)
    }
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

    #[test]
    fn a_file_reports_progress_and_stops_when_cancelled() {
        use crate::app::progress::tests::Recorder;
        let mut text = String::from("t_s,ax,ay,az,gx,gy,gz\n");
        for s in upright_then_lying(600) {
            text.push_str(&format!(
                "{},{},{},{},0,0,0\n",
                s.t_s, s.acc[0], s.acc[1], s.acc[2]
            ));
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("imu.csv");
        std::fs::write(&path, &text).expect("test file");
        let recorder = Arc::new(Recorder::default());
        let whole = detect_csv_file(&path, CsvDetection::default(), Some(recorder.clone()))
            .expect("valid file");
        assert_eq!(
            whole,
            detect_csv(text.as_bytes(), CsvDetection::default()).expect("valid")
        );
        let fractions = recorder.fractions();
        assert!(fractions.len() >= 10, "{fractions:?}");
        assert!(fractions.windows(2).all(|w| w[0] < w[1]));
        assert!(fractions.last().is_some_and(|&f| f > 0.9));

        let recorder = Recorder::cancelling_at(0.3);
        let cancelled = detect_csv_file(&path, CsvDetection::default(), Some(recorder.clone()));
        assert!(matches!(cancelled, Err(Error::Cancelled)), "{cancelled:?}");
        assert!(recorder.fractions().iter().all(|&f| f < 0.4));

        let missing = detect_csv_file(&dir.path().join("none.csv"), CsvDetection::default(), None);
        assert!(matches!(missing, Err(Error::File { .. })), "{missing:?}");
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
