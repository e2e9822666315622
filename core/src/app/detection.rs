//! Activity detection over a raw IMU recording a user imports: fed in
//! batches as the file is read, or a whole CSV at once.

use crate::activity::{
    ActivityDetector, ActivityEvent, Detection, DetectorConfig, ImuCsvReader, ImuSample, detect,
};
use crate::{Error, Result};

/// An imported recording being read: samples go in batch by batch, the
/// events found so far come out. A batch with a bad sample is refused whole
/// and leaves the detector as it was.
#[derive(Debug, Clone)]
pub struct ImportedRecording {
    config: DetectorConfig,
    detector: ActivityDetector,
    last_t_s: Option<f64>,
}

impl ImportedRecording {
    /// A recording from a sensor whose shank axis (the sensor axis that
    /// runs from ankle to knee) is `long_axis`, or learned from gravity when
    /// `None`.
    pub fn new(long_axis: Option<[f64; 3]>) -> Result<Self> {
        if let Some(axis) = long_axis {
            let length = axis.iter().map(|v| v * v).sum::<f64>().sqrt();
            if !(length.is_finite() && length > 1e-6) {
                return Err(Error::invalid(
                    "sensor axis",
                    format!("a direction with finite, not all zero, components (got {axis:?})"),
                ));
            }
        }
        let config = DetectorConfig { long_axis };
        Ok(Self {
            config,
            detector: ActivityDetector::new(config),
            last_t_s: None,
        })
    }

    /// Takes the next samples (in time order, after the ones before) and
    /// returns the events they finished.
    pub fn push(&mut self, samples: &[ImuSample]) -> Result<Vec<ActivityEvent>> {
        let mut last = self.last_t_s;
        for sample in samples {
            sample.validate()?;
            if let Some(before) = last
                && sample.t_s <= before
            {
                return Err(Error::invalid(
                    "IMU sample",
                    format!("time {} s does not come after {before} s", sample.t_s),
                ));
            }
            last = Some(sample.t_s);
        }
        for sample in samples {
            self.detector.push(sample)?;
        }
        self.last_t_s = last;
        Ok(self.detector.take_events().collect())
    }

    /// Ends the recording: closes what is still open (a walking bout, a
    /// set, a posture) and returns the events not yet handed out. The next
    /// [`push`](Self::push) starts a new recording.
    pub fn finish(&mut self) -> Vec<ActivityEvent> {
        let fresh = ActivityDetector::new(self.config);
        self.last_t_s = None;
        std::mem::replace(&mut self.detector, fresh).finish()
    }

    /// Detects everything in a whole IMU CSV (see
    /// [`ImuCsvReader`] for the format); `rate_hz` stands in for a missing
    /// `t_s` column.
    pub fn detect_csv(text: &str, rate_hz: Option<f64>) -> Result<Detection> {
        let reader = ImuCsvReader::new(text.as_bytes(), rate_hz)?;
        detect(reader, DetectorConfig::default(), false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let mut whole = ImportedRecording::new(None).expect("detector");
        let mut events = whole.push(&samples).expect("valid");
        events.extend(whole.finish());

        let mut batched = ImportedRecording::new(None).expect("detector");
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
        let mut recording = ImportedRecording::new(None).expect("detector");
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
                ImportedRecording::new(Some(axis)),
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
                    ImportedRecording::detect_csv(text, rate),
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
        let detection = ImportedRecording::detect_csv(&text, None).expect("valid file");
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
            let mut recording = ImportedRecording::new(None).expect("detector");
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
