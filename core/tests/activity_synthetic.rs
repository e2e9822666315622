//! Activity detection on synthetic recordings with known answers: every
//! activity, at 50–200 Hz, with the sensor mounted in arbitrary ways.

use second_heart_core::activity::synth::{self, SynthPart, SynthSensor, SyntheticRecording};
use second_heart_core::activity::{
    ActivityEvent, DetectedPosture, Detection, DetectorConfig, ImuCsvReader, detect,
};
use second_heart_core::pump::{Person, Simulation, Valves};

const MOUNTS: [[f64; 3]; 4] = [
    [0.0, 0.0, 0.0],
    [90.0, 0.0, 0.0],
    [30.0, -120.0, 45.0],
    [180.0, 20.0, -70.0],
];

fn run(parts: &[SynthPart], sensor: SynthSensor) -> Detection {
    let recording = SyntheticRecording::new(parts, sensor);
    detect(recording.map(Ok), DetectorConfig::default(), false).expect("test data")
}

fn sensors() -> impl Iterator<Item = SynthSensor> {
    [50.0, 100.0, 200.0].into_iter().flat_map(|rate_hz| {
        MOUNTS
            .into_iter()
            .enumerate()
            .map(move |(i, mount_deg)| SynthSensor {
                rate_hz,
                mount_deg,
                seed: i as u64 + rate_hz as u64,
                ..SynthSensor::default()
            })
    })
}

/// A walk of `strides` at `speed_kmh` between two 5-second stands: its
/// detection, and the error of its step count.
fn walk_between_stands(strides: u32, speed_kmh: f64, sensor: SynthSensor) -> (Detection, f64) {
    let d = run(
        &[
            SynthPart::Stand { seconds: 5.0 },
            SynthPart::Walk { strides, speed_kmh },
            SynthPart::Stand { seconds: 5.0 },
        ],
        sensor,
    );
    let truth = 2.0 * f64::from(strides);
    let error = (f64::from(d.steps) - truth) / truth;
    (d, error)
}

#[test]
fn continuous_walking_counts_steps_within_3_percent_and_cadence() {
    for speed_kmh in [3.0, 4.5, 6.0] {
        for sensor in sensors() {
            let (d, error) = walk_between_stands(100, speed_kmh, sensor);
            assert!(
                error.abs() <= 0.03,
                "{speed_kmh} km/h {sensor:?}: {} steps",
                d.steps
            );
            let cadence = 60.0 + 10.0 * speed_kmh;
            let measured = d.cadence_spm.expect("test data");
            assert!(
                (measured / cadence - 1.0).abs() < 0.03,
                "{speed_kmh} km/h: {measured}/min"
            );
        }
    }
}

#[test]
fn slow_walking_is_counted_to_its_last_step() {
    // 1 km/h: 70 steps a minute, a stride of 1.7 s; 0.5 km/h: 65, 1.85 s.
    // Each stride reaches the bouts up to a second after its heel strike,
    // which had closed the bout first: four steps counted, then none.
    for speed_kmh in [0.5, 1.0] {
        for sensor in sensors() {
            let (d, error) = walk_between_stands(60, speed_kmh, sensor);
            assert!(
                error.abs() <= 0.05,
                "{speed_kmh} km/h {sensor:?}: {} steps of 120",
                d.steps
            );
        }
    }
}

#[test]
fn a_recording_ending_mid_walk_keeps_its_last_stride() {
    // Stopped 0.4 s after the walk: the last stride was still waiting to
    // be handed on, and went with the recording.
    for sensor in sensors() {
        let strides = 10;
        let d = run(
            &[
                SynthPart::Walk {
                    strides,
                    speed_kmh: 4.5,
                },
                SynthPart::Stand { seconds: 0.4 },
            ],
            sensor,
        );
        assert!(
            d.steps + 1 >= 2 * strides,
            "{sensor:?}: {} steps of {}",
            d.steps,
            2 * strides
        );
    }
}

#[test]
fn rest_with_fidgets_makes_no_steps_raises_or_pumps() {
    for sensor in sensors() {
        let d = run(
            &[
                SynthPart::Sit {
                    seconds: 600.0,
                    tilt_deg: 10.0,
                },
                SynthPart::Stand { seconds: 120.0 },
                SynthPart::Lie { seconds: 300.0 },
                SynthPart::Sit {
                    seconds: 600.0,
                    tilt_deg: 40.0,
                },
            ],
            sensor,
        );
        assert_eq!(
            (d.steps, d.calf_raises, d.ankle_pumps),
            (0, 0, 0),
            "{sensor:?}: {:?}",
            d.events
        );
    }
}

#[test]
fn calf_raise_reps_are_exact_and_short_holds_are_flagged() {
    for sensor in sensors() {
        // A long hold (balancing up on the toes) counts too.
        for (hold_s, short) in [(1.0, false), (0.3, true), (2.0, false), (20.0, false)] {
            let d = run(
                &[
                    SynthPart::Stand { seconds: 10.0 },
                    SynthPart::CalfRaises {
                        reps: 20,
                        hold_s,
                        rest_s: 1.0,
                    },
                    SynthPart::Stand { seconds: 15.0 },
                ],
                sensor,
            );
            assert_eq!(
                d.calf_raises, 20,
                "hold {hold_s} {sensor:?}: {:?}",
                d.events
            );
            let set = d
                .events
                .iter()
                .find_map(|e| match *e {
                    ActivityEvent::CalfRaiseSet {
                        reps,
                        mean_hold_s,
                        short_holds,
                        ..
                    } => Some((reps, mean_hold_s, short_holds)),
                    _ => None,
                })
                .expect("one set");
            assert_eq!(set.0, 20);
            assert!(
                (set.1 - hold_s).abs() < 0.35,
                "hold {hold_s}: measured {}",
                set.1
            );
            assert_eq!(set.2, if short { 20 } else { 0 }, "hold {hold_s}: {set:?}");
            assert_eq!(d.steps, 0);
            assert_eq!(d.ankle_pumps, 0);
        }
    }
}

#[test]
fn ankle_pumps_are_counted_with_their_rate() {
    for sensor in sensors() {
        for rate_per_min in [20.0, 30.0, 60.0] {
            let d = run(
                &[
                    SynthPart::Sit {
                        seconds: 20.0,
                        tilt_deg: 10.0,
                    },
                    SynthPart::AnklePumps {
                        count: 30,
                        rate_per_min,
                    },
                    SynthPart::Sit {
                        seconds: 20.0,
                        tilt_deg: 10.0,
                    },
                ],
                sensor,
            );
            assert!(
                d.ankle_pumps.abs_diff(30) <= 1,
                "{rate_per_min}/min {sensor:?}: {:?}",
                d.events
            );
            let rate = d
                .events
                .iter()
                .find_map(|e| match *e {
                    ActivityEvent::AnklePumpSet { rate_per_min, .. } => Some(rate_per_min),
                    _ => None,
                })
                .expect("test data");
            assert!(
                (rate / rate_per_min - 1.0).abs() < 0.1,
                "{rate_per_min}: {rate}"
            );
            assert_eq!((d.steps, d.calf_raises), (0, 0));
        }
    }
}

fn posture_at(d: &Detection, t: f64) -> DetectedPosture {
    d.posture
        .iter()
        .find_map(|e| match *e {
            ActivityEvent::Posture {
                start_s,
                end_s,
                posture,
                ..
            } if start_s <= t && t < end_s => Some(posture),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no posture at {t}: {:?}", d.posture))
}

/// Stood 10 s, walked 20 strides at 4.5 km/h, stood 30 s, then sat two
/// minutes with the shank at 40° (the sitting from about 60 s on).
const WALK_THEN_SIT: [SynthPart; 4] = [
    SynthPart::Stand { seconds: 10.0 },
    SynthPart::Walk {
        strides: 20,
        speed_kmh: 4.5,
    },
    SynthPart::Stand { seconds: 30.0 },
    SynthPart::Sit {
        seconds: 120.0,
        tilt_deg: 40.0,
    },
];

#[test]
fn posture_follows_the_shank() {
    for sensor in sensors() {
        let d = run(
            &[
                WALK_THEN_SIT.as_slice(),
                &[
                    SynthPart::Lie { seconds: 60.0 },
                    SynthPart::LegsRaised {
                        seconds: 120.0,
                        angle_deg: 30.0,
                    },
                    SynthPart::Lie { seconds: 30.0 },
                ],
            ]
            .concat(),
            sensor,
        );
        assert_eq!(
            posture_at(&d, 40.0),
            DetectedPosture::Standing,
            "{sensor:?}"
        );
        assert_eq!(posture_at(&d, 60.0), DetectedPosture::Standing);
        assert_eq!(posture_at(&d, 120.0), DetectedPosture::Sitting);
        assert_eq!(posture_at(&d, 230.0), DetectedPosture::Lying);
        match posture_at(&d, 320.0) {
            // Quiet standing is taken as vertical; it leans a few degrees.
            DetectedPosture::LegsRaised { angle_deg } => {
                assert!((angle_deg - 30.0).abs() < 5.0, "{angle_deg}")
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn posture_and_the_sock_are_not_carried_through_the_hour_the_sensor_was_off() {
    // A walk, then two minutes seated in a worn sock, with the sensor off
    // for an hour in the middle of the sitting (from 120 s): its minutes
    // are not counted seated, nor worn.
    let recording = SyntheticRecording::new(
        &WALK_THEN_SIT,
        SynthSensor {
            sock_mmhg: Some(15.0),
            ..SynthSensor::default()
        },
    );
    let (gap_from, gap_s) = (120.0, 3600.0);
    let off_for_an_hour = recording.map(move |mut sample| {
        if sample.t_s >= gap_from {
            sample.t_s += gap_s;
        }
        Ok(sample)
    });
    let d = detect(off_for_an_hour, DetectorConfig::default(), false).expect("test data");
    let through_the_gap =
        |start: f64, end: f64| start < gap_from + gap_s - 1.0 && end > gap_from + 1.0;
    for event in d.posture.iter().chain(&d.events) {
        if let ActivityEvent::Posture { start_s, end_s, .. }
        | ActivityEvent::Sock { start_s, end_s, .. } = *event
        {
            assert!(
                !through_the_gap(start_s, end_s),
                "{event:?} runs through the gap"
            );
        }
    }
    // Seated after the walk (the quiet stand before it reads seated too).
    let seated: f64 = d
        .posture
        .iter()
        .filter_map(|e| match e {
            ActivityEvent::Posture {
                start_s,
                end_s,
                posture: DetectedPosture::Sitting,
                ..
            } if *start_s > 30.0 => Some(end_s - start_s),
            _ => None,
        })
        .sum();
    assert!(
        (90.0..=125.0).contains(&seated),
        "seated {seated} s: {:?}",
        d.posture
    );
    assert_eq!(
        posture_at(&d, gap_from + gap_s + 30.0),
        DetectedPosture::Sitting,
        "seated again after the gap"
    );
}

#[test]
fn sitting_far_from_any_walk_reads_as_sitting() {
    let d = run(
        &[SynthPart::Sit {
            seconds: 600.0,
            tilt_deg: 8.0,
        }],
        SynthSensor::default(),
    );
    assert_eq!(posture_at(&d, 300.0), DetectedPosture::Sitting);
}

#[test]
fn the_sock_is_seen_on_when_its_channels_read_pressure() {
    let worn = run(
        &[SynthPart::Sit {
            seconds: 60.0,
            tilt_deg: 10.0,
        }],
        SynthSensor {
            sock_mmhg: Some(15.0),
            ..SynthSensor::default()
        },
    );
    assert!(
        matches!(
            worn.events.as_slice(),
            [ActivityEvent::Sock { worn: true, pressure_mmhg, .. }] if (*pressure_mmhg - 15.0).abs() < 1.0
        ),
        "{:?}",
        worn.events
    );
    let off = run(
        &[SynthPart::Sit {
            seconds: 60.0,
            tilt_deg: 10.0,
        }],
        SynthSensor {
            sock_mmhg: Some(0.0),
            ..SynthSensor::default()
        },
    );
    assert!(matches!(
        off.events.as_slice(),
        [ActivityEvent::Sock { worn: false, .. }]
    ));
    let none = run(
        &[SynthPart::Sit {
            seconds: 60.0,
            tilt_deg: 10.0,
        }],
        SynthSensor::default(),
    );
    assert!(none.events.is_empty());
}

#[test]
fn a_recording_timed_on_any_clock_gives_the_same_detection_and_timeline() {
    let parts = synth::mixed_stretch();
    let from_zero = run(&parts, SynthSensor::default());
    // The same samples timed in Unix seconds, as a logger may write them.
    let unix = SyntheticRecording::new(&parts, SynthSensor::default()).map(|mut sample| {
        sample.t_s += 1_764_000_000.0;
        Ok(sample)
    });
    let on_a_clock = detect(unix, DetectorConfig::default(), false).expect("test data");
    assert_eq!(on_a_clock.steps, from_zero.steps);
    assert!((on_a_clock.duration_s - from_zero.duration_s).abs() < 1e-3);
    let starts = |d: &Detection| -> Vec<f64> {
        d.events
            .iter()
            .map(|e| (second_heart_core::activity::event_start(e) * 10.0).round() / 10.0)
            .collect()
    };
    assert_eq!(starts(&on_a_clock), starts(&from_zero));
    let timeline = |d: &Detection| {
        d.to_scenario(Person::default(), Valves::Competent, 0.0)
            .expect("test data")
            .timeline
            .len()
    };
    assert_eq!(timeline(&on_a_clock), timeline(&from_zero));
}

#[test]
fn cadence_over_many_short_walks_is_each_walk_s_cadence() {
    let mut parts = Vec::new();
    for _ in 0..6 {
        parts.push(SynthPart::Walk {
            strides: 10,
            speed_kmh: 4.5,
        });
        parts.push(SynthPart::Stand { seconds: 8.0 });
    }
    let d = run(&parts, SynthSensor::default());
    let bouts = d
        .events
        .iter()
        .filter(|e| matches!(e, ActivityEvent::WalkingBout { .. }))
        .count();
    assert!(bouts >= 5, "{bouts} bouts");
    let measured = d.cadence_spm.expect("walking");
    assert!(
        (measured / 105.0 - 1.0).abs() < 0.03,
        "{measured}/min over {bouts} bouts"
    );
}

#[test]
fn a_detected_day_drives_the_pump_model() {
    let d = run(&synth::mixed_stretch(), SynthSensor::default());
    let scenario = d
        .to_scenario(Person::default(), Valves::Competent, 0.0)
        .expect("test data");
    let total: f64 = scenario.timeline.iter().map(|s| s.seconds).sum();
    assert!(
        (total - d.duration_s).abs() < 1e-6,
        "{total} vs {}",
        d.duration_s
    );
    let walk = scenario
        .timeline
        .iter()
        .find(|s| {
            s.activity
                .is_some_and(|a| matches!(a, second_heart_core::pump::Activity::Walk { .. }))
        })
        .expect("test data");
    assert!(
        (walk.seconds - 100.0 * 120.0 / 105.0).abs() < 5.0,
        "{walk:?}"
    );
    assert!(scenario.timeline.iter().any(|s| s.repetitions == Some(20)));
    let mut simulation = Simulation::new(scenario.person, scenario.valves, 0.0).expect("test data");
    simulation.run(&scenario);
    let totals = simulation.totals();
    assert!(
        totals.steps.abs_diff(u64::from(d.steps)) <= 4,
        "model {} vs detected {}",
        totals.steps,
        d.steps
    );
    assert!(totals.pumped_ml > 0.0);
}

#[test]
fn a_csv_file_gives_the_same_answer_as_the_stream() {
    let parts = [
        SynthPart::Stand { seconds: 5.0 },
        SynthPart::Walk {
            strides: 30,
            speed_kmh: 4.5,
        },
        SynthPart::Stand { seconds: 15.0 },
        SynthPart::CalfRaises {
            reps: 5,
            hold_s: 1.0,
            rest_s: 1.0,
        },
    ];
    let sensor = SynthSensor {
        sock_mmhg: Some(18.0),
        ..SynthSensor::default()
    };
    let mut csv = String::from("t_s,ax,ay,az,gx,gy,gz,p1,p2\n");
    for s in SyntheticRecording::new(&parts, sensor) {
        let p = s.pressure_mmhg.expect("test data");
        csv.push_str(&format!(
            "{},{},{},{},{},{},{},{},{}\n",
            s.t_s,
            s.acc[0],
            s.acc[1],
            s.acc[2],
            s.gyr[0],
            s.gyr[1],
            s.gyr[2],
            p - 1.0,
            p + 1.0
        ));
    }
    let from_file = detect(
        ImuCsvReader::new(csv.as_bytes(), None).expect("test data"),
        DetectorConfig::default(),
        false,
    )
    .expect("test data");
    let direct = run(&parts, sensor);
    assert_eq!(from_file.steps, direct.steps);
    assert_eq!(from_file.calf_raises, direct.calf_raises);
    assert_eq!(from_file.calf_raises, 5);
}
