//! Pump-model benchmarks: a 24-hour mixed day and a 12-hour flight.

use criterion::{Criterion, criterion_group, criterion_main};
use second_heart_core::pump::{Activity, Person, Posture, Scenario, Segment, Simulation, Valves};

fn rest(posture: Posture, seconds: f64) -> Segment {
    Segment {
        posture,
        seconds,
        activity: None,
        repetitions: None,
    }
}

fn active(posture: Posture, seconds: f64, activity: Activity, repetitions: Option<u32>) -> Segment {
    Segment {
        posture,
        seconds,
        activity: Some(activity),
        repetitions,
    }
}

/// 8 h lying, 8 h sitting with hourly breaks, 10,000 walking steps,
/// three sets of 20 calf raises, the rest standing about.
fn mixed_day() -> Scenario {
    let walk = Activity::Walk { speed_kmh: 4.5 };
    let raises = Activity::CalfRaises {
        rate_per_min: 15.0,
        hold_s: 1.0,
    };
    let mut timeline = vec![rest(Posture::Supine, 8.0 * 3600.0)];
    for hour in 0..8 {
        timeline.push(rest(Posture::Sitting, 55.0 * 60.0));
        timeline.push(active(Posture::Standing, 5.0 * 60.0, walk, None));
        if hour % 3 == 0 {
            timeline.push(active(Posture::Standing, 90.0, raises, Some(20)));
        }
    }
    // 10,000 steps at 105 a minute, with the eight 5-minute breaks: about 55 minutes more.
    timeline.push(active(Posture::Standing, 55.0 * 60.0, walk, None));
    timeline.push(rest(Posture::Standing, 2.0 * 3600.0));
    timeline.push(rest(Posture::Sitting, 5.0 * 3600.0));
    Scenario {
        person: Person::default(),
        valves: Valves::Competent,
        compression_mmhg: 0.0,
        timeline,
    }
}

/// 12 hours seated, with ankle pumps every 30 minutes and an aisle walk every 2 hours.
fn flight() -> Scenario {
    let mut timeline = Vec::new();
    for half_hour in 0..24 {
        timeline.push(rest(Posture::Sitting, 29.0 * 60.0));
        if half_hour % 4 == 3 {
            timeline.push(active(
                Posture::Standing,
                60.0,
                Activity::Walk { speed_kmh: 3.0 },
                None,
            ));
        } else {
            timeline.push(active(
                Posture::Sitting,
                60.0,
                Activity::AnklePumps { rate_per_min: 30.0 },
                Some(20),
            ));
        }
    }
    Scenario {
        person: Person::default(),
        valves: Valves::Competent,
        compression_mmhg: 0.0,
        timeline,
    }
}

fn run(scenario: &Scenario) -> Simulation {
    let mut sim = Simulation::new(scenario.person, scenario.valves, scenario.compression_mmhg)
        .expect("valid scenario");
    sim.run(scenario);
    sim
}

fn benches(c: &mut Criterion) {
    let (day, trip) = (mixed_day(), flight());
    for (name, scenario) in [("24 h mixed day", &day), ("12 h flight", &trip)] {
        let sim = run(scenario);
        eprintln!(
            "{name}: {} steps, {:.0} mL pumped, {:.0} stasis minutes; solver {:?}",
            sim.totals().steps,
            sim.totals().pumped_ml,
            sim.totals().stasis_minutes,
            sim.work()
        );
    }
    c.bench_function("pump_24h_mixed_day", |b| b.iter(|| run(&day)));
    c.bench_function("pump_12h_flight", |b| b.iter(|| run(&trip)));
}

criterion_group!(pump, benches);
criterion_main!(pump);
