//! `demo`: a guided tour on sample data.
//!
//! It grows with the product: a traveller's day of walks, counted in the zone
//! they lived it in and seen from the other side of the world; what their
//! calves pumped on those walks (the pump model); a sock sensor's day synced
//! over a flaky simulated radio; a calf-raise set, drinks and the day against
//! its goals; the next break reminder; and a flight plan to Los Angeles.

use std::sync::{Arc, Mutex};

use anyhow::{Result, anyhow};
use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use second_heart_core::Store;
use second_heart_core::app::{Clock, FixedClock, FlightDetails, SecondHeart, SetTargets};
use second_heart_core::daily::DailySummary;
use second_heart_core::flight::{FlightPlan, RiskFactors, Seat};
use second_heart_core::local_day::LocalDay;
use second_heart_core::session::{SessionEvent, SessionKind};
use serde::Serialize;

use second_heart_core::pump::{Activity, Person, Posture, Simulation, Valves, walking_speed_kmh};
use second_heart_core::sensor::sim::{
    DayScript, FaultPlan, LinkConfig, SensorConfig, SimLink, SimSensor, pair, run_sync,
};
use second_heart_core::sensor::sync::SyncConfig;

use crate::args::Cli;
use crate::commands::{db_path, today, walk};
use crate::output::{out, print_json, thousands};

/// (local start, minutes, steps) of the sample day's walks.
const SAMPLE_WALKS: [(&str, i64, i64); 4] = [
    ("07:40", 25, 2_900),
    ("12:15", 20, 2_300),
    ("17:30", 45, 5_100),
    // Across midnight: half of it lands on the next day.
    ("23:40", 40, 4_000),
];

const HOME: Tz = chrono_tz::Europe::Berlin;
const ELSEWHERE: Tz = chrono_tz::America::Los_Angeles;

#[derive(Serialize)]
struct DemoReport {
    walks: Vec<second_heart_core::walk::Walk>,
    day_at_home: DailySummary,
    same_walks_seen_from_elsewhere: Vec<DailySummary>,
    calves: Calves,
    sensor_sync: SensorSync,
    calf_raise_set: Option<second_heart_core::session::Outcome>,
    today: second_heart_core::app::TodayView,
    next_reminder: Option<second_heart_core::reminder::Reminder>,
    flight: second_heart_core::flight::FlightPlan,
}

/// The demo's clock: the tour moves it to each moment it acts in.
struct DemoClock {
    at: Mutex<DateTime<Utc>>,
}

impl DemoClock {
    fn set(&self, at: DateTime<Utc>) {
        *self.at.lock().unwrap_or_else(|poison| poison.into_inner()) = at;
    }
}

impl Clock for DemoClock {
    fn now(&self) -> second_heart_core::Result<DateTime<Utc>> {
        Ok(*self.at.lock().unwrap_or_else(|poison| poison.into_inner()))
    }

    fn time_zone(&self) -> second_heart_core::Result<Tz> {
        Ok(HOME)
    }
}

/// A set of 20 calf raises, one held too briefly, tapped from `at` on.
fn calf_raise_set(
    app: &SecondHeart,
    clock: &DemoClock,
    at: DateTime<Utc>,
) -> Result<Option<second_heart_core::session::Outcome>> {
    let sessions = app.sessions();
    clock.set(at);
    sessions.start_set(SessionKind::CalfRaises, SetTargets::default())?;
    for rep in 0..20 {
        let hold_s = if rep == 4 { 0.4 } else { 1.1 };
        clock.set(at + Duration::seconds(4 * (rep + 1)));
        sessions.record(SessionEvent::Rep {
            hold_s: Some(hold_s),
        })?;
    }
    clock.set(at + Duration::seconds(90));
    Ok(sessions.record(SessionEvent::Finish)?.outcome)
}

/// Frankfurt to Los Angeles next week, window seat, on the pill.
fn flight_plan(app: &SecondHeart, now: DateTime<Utc>) -> Result<FlightPlan> {
    let date = LocalDay::containing(now, HOME).date() + Duration::days(7);
    let local = |zone: Tz, clock: &str| -> Result<DateTime<Utc>> {
        let time = NaiveTime::parse_from_str(clock, "%H:%M")?;
        Ok(zone
            .from_local_datetime(&date.and_time(time))
            .earliest()
            .map_or(now, |t| t.to_utc()))
    };
    let details = FlightDetails {
        departure: local(HOME, "10:00")?,
        departure_zone: HOME.name().to_owned(),
        arrival: Some(local(ELSEWHERE, "13:15")?),
        hours: None,
        arrival_zone: ELSEWHERE.name().to_owned(),
        seat: Seat::Window,
        move_every_min: 45,
        sleep: None,
        risk_factors: RiskFactors {
            oestrogen: true,
            ..RiskFactors::default()
        },
    };
    Ok(app.flights().plan(&details)?)
}

/// What the pump model makes of the sample walks.
#[derive(Serialize)]
struct Calves {
    pumped_ml: f64,
    ankle_venous_pressure_standing_mmhg: f64,
    ankle_venous_pressure_walking_mmhg: f64,
}

/// A simulated sock sensor's day, synced with faults.
#[derive(Serialize)]
struct SensorSync {
    serial: String,
    records_stored: u32,
    connections: u32,
    corrupt_records_refetched: u32,
}

/// Runs the sample walks through the pump model: cadence gives the speed
/// (the inverse of the model's cadence law), steps give the strides.
fn calves(walks: &[second_heart_core::walk::Walk]) -> Result<Calves> {
    let mut sim = Simulation::new(Person::default(), Valves::Competent, 0.0)?;
    sim.settle(Posture::Standing);
    let standing = sim.outputs().ankle_venous_pressure_mmhg;
    let mut walking = standing;
    for walk in walks {
        let speed_kmh = walking_speed_kmh(walk.cadence_steps_per_min());
        sim.exercise(
            Activity::Walk { speed_kmh },
            Posture::Standing,
            u64::from(walk.steps / 2),
        );
        walking = sim.outputs().ankle_venous_pressure_mmhg;
        sim.rest(Posture::Sitting, 3600.0);
    }
    sim.solved()?;
    Ok(Calves {
        pumped_ml: sim.totals().pumped_ml,
        ankle_venous_pressure_standing_mmhg: standing,
        ankle_venous_pressure_walking_mmhg: walking,
    })
}

/// A sock sensor that recorded a typical day, paired in the morning and
/// synced in the evening over a link that drops twice and loses packets.
fn sensor_sync(store: &mut Store, now: DateTime<Utc>) -> Result<SensorSync> {
    let mut script = DayScript::typical_day(now);
    script.start = now - (script.end() - script.start) - Duration::minutes(30);
    let serial = "SH-DEMO-0001".to_owned();
    let mut sensor = SimSensor::new(
        SensorConfig {
            serial: serial.clone(),
            drift_ppm: 60.0,
            ..SensorConfig::default()
        },
        &script,
    );
    let link = LinkConfig::phone(185);
    pair(&mut sensor, link, store, script.start.timestamp_millis()).result?;
    let faults =
        FaultPlan::parse("disconnect@4000,disconnect@15000,drop=0.03,dup=0.05,corrupt=0.05")?;
    let mut radio = SimLink::new(link, faults, 7);
    let at = script.end().timestamp_millis() + 60_000;
    let report = run_sync(
        &mut sensor,
        &mut radio,
        store,
        SyncConfig::default(),
        at,
        &mut |_| {},
    )
    .result?;
    Ok(SensorSync {
        serial,
        records_stored: store
            .sensor_summary(&report.serial)?
            .map_or(0, |s| s.records as u32),
        connections: report.connections,
        corrupt_records_refetched: report.corrupt_records,
    })
}

/// The same walks as a friend living in [`ELSEWHERE`] sees them: logged in
/// their own (throw-away) database, each day drawn by their Today view for
/// `walk_day` and the day before in their zone.
fn seen_from_elsewhere(
    walks: &[second_heart_core::walk::Walk],
    now: DateTime<Utc>,
    walk_day: chrono::NaiveDate,
) -> Result<Vec<DailySummary>> {
    let friend = SecondHeart::open_in_memory(Arc::new(FixedClock {
        at: now,
        zone: ELSEWHERE,
    }))?;
    for walk in walks {
        friend.sessions().log_walk(
            walk.start,
            Some(walk.time_zone.name()),
            i64::from(walk.duration_seconds),
            i64::from(walk.steps),
        )?;
    }
    [walk_day - Duration::days(1), walk_day]
        .into_iter()
        .map(|date| Ok(friend.today().on(date)?.summary))
        .collect()
}

/// How long before now the sample day's last walk must have ended: the core
/// refuses a walk that has not ended, and the margin keeps the sample walks
/// apart from the calf-raise set the demo logs 20 minutes before now.
const SAMPLE_DAY_CLEARANCE: Duration = Duration::hours(1);

/// The local day in [`HOME`] the sample walks are logged on: yesterday, or the
/// day before when it is just past midnight and the walk across midnight would
/// otherwise end in the future (the core refuses a walk that has not ended).
fn sample_day(now: DateTime<Utc>) -> Result<chrono::NaiveDate> {
    let yesterday = LocalDay::containing(now, HOME).date() - Duration::days(1);
    let (last_start, last_minutes, _) = SAMPLE_WALKS[SAMPLE_WALKS.len() - 1];
    let last_end = at_home(yesterday, last_start)? + Duration::minutes(last_minutes);
    Ok(if last_end + SAMPLE_DAY_CLEARANCE <= now {
        yesterday
    } else {
        yesterday - Duration::days(1)
    })
}

/// The instant of a local `HH:MM` clock time on `day` in [`HOME`].
fn at_home(day: chrono::NaiveDate, clock: &str) -> Result<DateTime<Utc>> {
    let time = NaiveTime::parse_from_str(clock, "%H:%M")?;
    HOME.from_local_datetime(&day.and_time(time))
        .earliest()
        .map(|t| t.to_utc())
        .ok_or_else(|| anyhow!("{clock} does not exist on {day} in {HOME}"))
}

/// Logs the sample walks of a recent day and shows what they add up to.
pub fn run(cli: &Cli) -> Result<()> {
    let now = Utc::now();
    let clock = Arc::new(DemoClock {
        at: Mutex::new(now),
    });
    let app = match &cli.db {
        Some(_) => SecondHeart::open(db_path(cli)?, clock.clone())?,
        None => SecondHeart::open_in_memory(clock.clone())?,
    };
    let walk_day = sample_day(now)?;
    let mut walks = Vec::with_capacity(SAMPLE_WALKS.len());
    for (at, minutes, steps) in SAMPLE_WALKS {
        let start = at_home(walk_day, at)?;
        walks.push(
            app.sessions()
                .log_walk(start, Some(HOME.name()), minutes * 60, steps)?,
        );
    }
    let day_at_home = app.today().on(walk_day)?.summary;
    let seen_from_elsewhere = seen_from_elsewhere(&walks, now, walk_day)?;
    let sensor = {
        // The sensor sync works on the store itself, as the sync edge does.
        let mut store = app
            .store()
            .lock()
            .map_err(|_| anyhow!("the database lock was poisoned"))?;
        sensor_sync(&mut store, now)?
    };
    app.changed();
    let calves = calves(&walks)?;
    let calf_raise_set = calf_raise_set(&app, &clock, now - Duration::minutes(20))?;
    clock.set(now - Duration::hours(3));
    app.sessions().drink(500)?;
    clock.set(now - Duration::minutes(30));
    app.sessions().drink(250)?;
    clock.set(now);
    let today_view = app.today().view()?;
    let next_reminder = app.reminders().next()?;
    let flight = flight_plan(&app, now)?;

    if cli.json {
        return print_json(&DemoReport {
            walks,
            day_at_home,
            same_walks_seen_from_elsewhere: seen_from_elsewhere,
            calves,
            sensor_sync: sensor,
            calf_raise_set,
            today: today_view,
            next_reminder,
            flight,
        });
    }
    out!("Second Heart demo: a day of walks in {HOME}\n");
    for logged in &walks {
        out!("  logged {}", walk::describe(logged));
    }
    out!("\nThe day at home (the last walk crosses midnight, so only its first half counts):");
    out!("{}", indent(&describe_walks(&day_at_home)));
    out!("\nThe same walks counted in {ELSEWHERE}, nine hours behind:");
    for summary in &seen_from_elsewhere {
        out!("{}", indent(&describe_walks(summary)));
    }
    out!("\nWhat the calves did on those walks (the pump model, both legs):");
    out!(
        "  {} mL of blood pumped back towards the heart; ankle venous pressure {:.0} mmHg standing still, {:.0} mmHg walking",
        thousands(calves.pumped_ml.round() as u64),
        calves.ankle_venous_pressure_standing_mmhg,
        calves.ankle_venous_pressure_walking_mmhg
    );
    out!(
        "\nA sock sensor's day, synced over a radio that dropped twice and lost, doubled and damaged packets:"
    );
    out!(
        "  {} records from {} in {} connections, each stored exactly once ({} damaged in transit and fetched again)",
        thousands(u64::from(sensor.records_stored)),
        sensor.serial,
        sensor.connections,
        sensor.corrupt_records_refetched
    );
    if let Some(set) = &calf_raise_set {
        out!(
            "\nA set of calf raises: {} reps, {} held too briefly (the app said so), {:.1} L pumped",
            set.progress.reps,
            set.progress.short_holds,
            set.pumped_ml / 1000.0
        );
    }
    out!("\nToday, with the sensor's day, the set and two drinks:");
    out!("{}", indent(&today::describe(&today_view, HOME)));
    match &next_reminder {
        Some(r) => out!(
            "\nNext break reminder: {} ({}): {}",
            r.due_at.with_timezone(&HOME).format("%H:%M"),
            r.title,
            r.body
        ),
        None => out!("\nNo break reminder due."),
    }
    out!(
        "\nA flight next week, {HOME} to {ELSEWHERE}, window seat, on the pill ({}):",
        flight.risk.label()
    );
    for line in &flight.advice {
        out!("  • {line}");
    }
    for item in flight.schedule.iter().take(6) {
        out!(
            "  {} (home) / {} (there): {}",
            item.departure_local,
            item.arrival_local,
            item.text
        );
    }
    out!(
        "  … {} items in all: `second-heart flight plan --help`",
        flight.schedule.len()
    );
    out!("\nMore: `second-heart --help`, `second-heart model --help`, docs/.");
    Ok(())
}

/// Two lines: the day, then its steps and walking time.
fn describe_walks(summary: &DailySummary) -> String {
    format!(
        "{} ({})\n  {} steps · {} walking",
        summary.date.format("%A %-d %B %Y"),
        summary.time_zones.join(" → "),
        thousands(u64::from(summary.steps)),
        crate::output::duration(u64::from(summary.walking_minutes) * 60),
    )
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|line| format!("  {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn berlin(date: &str, clock: &str) -> DateTime<Utc> {
        let at =
            chrono::NaiveDateTime::parse_from_str(&format!("{date} {clock}"), "%Y-%m-%d %H:%M")
                .expect("valid");
        HOME.from_local_datetime(&at)
            .single()
            .expect("one instant")
            .to_utc()
    }

    fn date(text: &str) -> chrono::NaiveDate {
        text.parse().expect("valid")
    }

    #[test]
    fn the_sample_day_is_yesterday_unless_its_walk_across_midnight_ended_under_an_hour_ago() {
        // (now in Berlin, sample day): the 23:40 walk of 40 minutes ends at
        // 00:20, so yesterday serves from 01:20 on.
        for (now, day) in [
            ("09:00", "2026-12-01"),
            ("01:20", "2026-12-01"),
            ("01:19", "2026-11-30"),
            ("00:02", "2026-11-30"),
        ] {
            assert_eq!(
                sample_day(berlin("2026-12-02", now)).expect("a sample day"),
                date(day),
                "at {now}"
            );
        }
    }
}
