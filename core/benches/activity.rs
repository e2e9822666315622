//! Activity detection speed: how many times faster than real time one core
//! runs the detectors over a 100 Hz ankle stream (goal: 20,000×, i.e. 12 h
//! of data in about 2 s).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use second_heart_core::activity::synth::{self, SynthSensor, SyntheticRecording};
use second_heart_core::activity::{ActivityDetector, DetectorConfig, ImuSample};

/// Ten minutes of a mixed day: sitting, walking, calf raises, ankle pumps,
/// lying with the legs raised; with sock pressure.
fn mixed_ten_minutes() -> Vec<ImuSample> {
    let parts = synth::mixed_stretch();
    let sensor = SynthSensor {
        sock_mmhg: Some(18.0),
        ..SynthSensor::default()
    };
    SyntheticRecording::new(&parts, sensor).collect()
}

fn detection(c: &mut Criterion) {
    let samples = mixed_ten_minutes();
    let seconds = samples.last().map_or(0.0, |s| s.t_s);
    let mut group = c.benchmark_group("activity");
    group.throughput(Throughput::Elements(samples.len() as u64));
    group.bench_function(format!("detect {seconds:.0} s at 100 Hz"), |b| {
        b.iter(|| {
            let mut detector = ActivityDetector::new(DetectorConfig::default()).expect("detector");
            let mut events = 0usize;
            for sample in &samples {
                events += detector
                    .push(std::slice::from_ref(sample))
                    .expect("test data")
                    .len();
            }
            events + detector.finish().len()
        })
    });
    group.finish();
}

criterion_group!(benches, detection);
criterion_main!(benches);
