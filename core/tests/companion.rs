//! The companion over a real SQLite file: sessions that survive a restart,
//! a traveller's days, sensor minutes in the day, reminders, drinks,
//! stockings, exports and delete-all.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use second_heart_core::app::{
    commit_sensor_sync, forget_sensor, put_compression_on, record_session_event, start_session,
    take_compression_off,
};
use second_heart_core::compression::{CompressionClass, WearStarted};
use second_heart_core::export::{CsvTable, ExportDocument, to_csv, to_fhir_bundle};
use second_heart_core::flight::{FlightRequest, RiskFactors, Seat};
use second_heart_core::hydration::Drink;
use second_heart_core::reminder::{Exercise, Level, ReminderResponse};
use second_heart_core::sensor::gatt::{DeviceInfo, ExerciseKind, Posture, Record, RecordBody};
use second_heart_core::sensor::sync::Commit;
use second_heart_core::sensor::timeline::ClockAnchor;
use second_heart_core::session::{
    ElevationCheck, Feedback, SessionEvent, SessionKind, SessionState,
};
use second_heart_core::walk::NewWalk;
use second_heart_core::{Error, Store};

const BERLIN: Tz = chrono_tz::Europe::Berlin;
const LOS_ANGELES: Tz = chrono_tz::America::Los_Angeles;

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("RFC 3339")
        .to_utc()
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date")
}

fn class(mmhg: u32) -> CompressionClass {
    CompressionClass::new(mmhg).expect("a valid class")
}

fn drink(ml: u32, at: DateTime<Utc>) -> Drink {
    Drink::new(ml, at).expect("a valid drink")
}

fn store_in(dir: &tempfile::TempDir) -> Store {
    Store::open(dir.path().join("sh.db")).expect("open")
}

/// A sensor commit of minute records for the minutes from `start`, one a
/// minute, each stamped as its minute ends (as sensors write them).
fn minutes_commit(
    serial: &str,
    start: DateTime<Utc>,
    first_seq: u32,
    minutes: &[(u16, u16, Posture)],
) -> Commit {
    let records: Vec<Record> = minutes
        .iter()
        .enumerate()
        .map(|(i, &(steps, contractions, posture))| Record {
            seq: first_seq + i as u32,
            epoch: 1,
            ticks_s: 60 * (first_seq + i as u32),
            body: RecordBody::Minute {
                steps,
                contractions,
                ankle_pressure_mmhg: 0,
                posture,
            },
        })
        .collect();
    let anchor_utc = start - Duration::minutes(i64::from(first_seq - 1));
    Commit {
        device: DeviceInfo {
            manufacturer: "Second Heart".into(),
            model: "Ankle 1".into(),
            serial: serial.into(),
            firmware: "1.0".into(),
            battery_percent: None,
        },
        anchors: vec![ClockAnchor {
            epoch: 1,
            ticks_ms: 0,
            utc_ms: anchor_utc.timestamp_millis(),
        }],
        gaps: Vec::new(),
        high_water: first_seq + minutes.len() as u32 - 1,
        dropped_seen: 0,
        damaged: 0,
        records,
    }
}

#[test]
fn forgetting_a_sensor_takes_its_minutes_out_of_the_days_already_shown() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store_in(&dir);
    store
        .note_time_zone(BERLIN, utc("2026-11-01T00:00:00Z"))
        .expect("zone");
    let walked = vec![(100u16, 0u16, Posture::Walking); 5];
    let mut commit = minutes_commit("SH-7", utc("2026-11-20T08:00:00Z"), 1, &walked);
    // And a set of calf raises the sensor recorded after the walk.
    commit.records.push(Record {
        seq: 6,
        epoch: 1,
        ticks_s: 60 * 7,
        body: RecordBody::Exercise {
            kind: ExerciseKind::CalfRaises,
            reps: 20,
            duration_s: 60,
            mean_hold_ds: 10,
        },
    });
    commit.high_water = 6;
    commit_sensor_sync(
        &mut store,
        &commit,
        utc("2026-11-20T09:00:00Z").timestamp_millis(),
    )
    .expect("sync");
    let now = utc("2026-11-22T12:00:00Z");
    let counts = |store: &Store| {
        let day = store.daily_summary(date("2026-11-20"), now).expect("day");
        (day.steps, day.calf_raise_sets)
    };
    // Shown once, so the past day is cached.
    assert_eq!(counts(&store), (500, 1));
    assert_eq!(forget_sensor(&mut store, "SH-7").expect("forget"), 6);
    assert_eq!(
        counts(&store),
        (0, 0),
        "the forgotten sensor's steps and sets are gone"
    );
    assert_eq!(
        store
            .sets_between(utc("2026-11-20T00:00:00Z"), now)
            .expect("sets"),
        []
    );
}

#[test]
fn a_day_looked_at_before_it_came_counts_the_stockings_worn_through_it() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store_in(&dir);
    store
        .note_time_zone(BERLIN, utc("2026-11-01T00:00:00Z"))
        .expect("zone");
    // Monday the 23rd: the week ahead is looked at.
    let monday = utc("2026-11-23T09:00:00Z");
    store
        .history(date("2026-11-23"), date("2026-11-29"), monday)
        .expect("week");
    // Stockings on at 08:00 on Tuesday, still on on Wednesday.
    put_compression_on(&mut store, class(15), utc("2026-11-24T07:00:00Z")).expect("on");
    let tuesday = store
        .daily_summary(date("2026-11-24"), utc("2026-11-25T12:00:00Z"))
        .expect("Tuesday");
    assert_eq!(tuesday.compression_minutes, 16 * 60, "08:00 to midnight");
}

#[test]
fn a_walks_steps_fall_in_the_minutes_they_were_walked_and_a_sensor_does_not_double_them() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store_in(&dir);
    let start = utc("2026-11-21T08:00:00Z");
    store
        .note_time_zone(BERLIN, start - Duration::days(30))
        .expect("zone");
    // 120 steps a minute for a quarter of an hour, reported each minute;
    // then a quarter of an hour standing and talking before Finish.
    start_session(&mut store, SessionKind::Walk, None, None, BERLIN, start).expect("start");
    for minute in 1..=15 {
        record_session_event(
            &mut store,
            SessionEvent::Steps { count: 120 },
            start + Duration::minutes(minute),
        )
        .expect("steps");
    }
    record_session_event(
        &mut store,
        SessionEvent::Finish,
        start + Duration::minutes(30),
    )
    .expect("finish");
    let now = utc("2026-11-21T12:00:00Z");
    let day = store.daily_summary(date("2026-11-21"), now).expect("day");
    assert_eq!(
        (day.steps, day.active_minutes),
        (1_800, 15),
        "a quarter of an hour brisk, not half an hour at 60 a minute"
    );
    let zones = store.zone_timeline().expect("zones");
    let logged = store.walks_on(date("2026-11-21"), &zones).expect("walks");
    assert_eq!(
        logged
            .iter()
            .map(|w| (w.start, w.duration_seconds, w.steps))
            .collect::<Vec<_>>(),
        [(start, 15 * 60, 1_800)],
        "the walk log's walk ends with its last step, not at Finish"
    );
    // The sensor on the ankle saw the same walk, minute by minute.
    let mut seen = vec![(120u16, 0u16, Posture::Walking); 15];
    seen.extend(vec![(0u16, 0u16, Posture::Standing); 15]);
    commit_sensor_sync(
        &mut store,
        &minutes_commit("SH-3", start, 1, &seen),
        now.timestamp_millis(),
    )
    .expect("sync");
    let day = store.daily_summary(date("2026-11-21"), now).expect("day");
    assert_eq!(day.steps, 1_800, "each minute counted once");
}

#[test]
fn a_walk_session_survives_the_app_being_killed_and_counts_once_finished() {
    let dir = tempfile::tempdir().expect("dir");
    let start = utc("2026-11-21T08:00:00Z");
    {
        let mut store = store_in(&dir);
        store
            .note_time_zone(BERLIN, start - Duration::days(30))
            .expect("zone");
        start_session(&mut store, SessionKind::Walk, None, None, BERLIN, start).expect("start");
        record_session_event(
            &mut store,
            SessionEvent::Steps { count: 1100 },
            start + Duration::minutes(10),
        )
        .expect("steps");
        record_session_event(
            &mut store,
            SessionEvent::Pause,
            start + Duration::minutes(10),
        )
        .expect("pause");
        // The app is killed here.
    }
    let mut store = store_in(&dir);
    let open = store.open_session().expect("read").expect("still open");
    assert_eq!(open.state, SessionState::Paused);
    assert_eq!(open.events.len(), 2);
    let second = start_session(
        &mut store,
        SessionKind::CalfRaises,
        None,
        None,
        BERLIN,
        start + Duration::minutes(12),
    );
    assert!(
        matches!(second, Err(Error::Conflict(_))),
        "one session at a time: {second:?}"
    );
    record_session_event(
        &mut store,
        SessionEvent::Resume,
        start + Duration::minutes(15),
    )
    .expect("resume");
    record_session_event(
        &mut store,
        SessionEvent::Steps { count: 1100 },
        start + Duration::minutes(25),
    )
    .expect("steps");
    let done = record_session_event(
        &mut store,
        SessionEvent::Finish,
        start + Duration::minutes(25),
    )
    .expect("finish");
    let outcome = done.outcome.expect("outcome");
    assert_eq!(outcome.progress.steps, 2200);
    assert_eq!(outcome.progress.active_seconds, 20.0 * 60.0);
    assert!((outcome.cadence_spm.expect("cadence") - 110.0).abs() < 1e-9);
    assert!(outcome.pumped_ml > 0.0);
    assert!(store.open_session().expect("read").is_none());

    let today = store
        .daily_summary(date("2026-11-21"), start + Duration::hours(1))
        .expect("day");
    assert_eq!(today.steps, 2200);
    assert_eq!(today.walking_minutes, 20, "the pause is left out");
    assert!(today.pumped_litres > 0.0);
    let walks = store
        .walks_on(
            date("2026-11-21"),
            &second_heart_core::zones::ZoneTimeline::fixed(BERLIN),
        )
        .expect("walk log");
    // A finished walk goes to the walk log, a row for each stretch walked
    // between its pauses, at its own cadence.
    let rows: Vec<_> = walks
        .iter()
        .map(|w| (w.start, w.duration_seconds, w.steps))
        .collect();
    assert_eq!(
        rows,
        [
            (start, 600, 1100),
            (start + Duration::minutes(15), 600, 1100)
        ]
    );
    assert!((walks[1].cadence_steps_per_min() - 110.0).abs() < 1e-9);
}

#[test]
fn a_pedometer_glitch_does_not_fill_the_day_with_steps() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store_in(&dir);
    let start = utc("2026-11-21T08:00:00Z");
    store
        .note_time_zone(BERLIN, start - Duration::days(30))
        .expect("zone");
    start_session(&mut store, SessionKind::Walk, None, None, BERLIN, start).expect("start");
    let at = |minutes| start + Duration::minutes(minutes);
    record_session_event(&mut store, SessionEvent::Steps { count: 550 }, at(5)).expect("steps");
    // A step counter that wraps or resets reads as billions of steps.
    let glitch = record_session_event(
        &mut store,
        SessionEvent::Steps {
            count: 4_000_000_000,
        },
        at(9),
    )
    .expect("a glitch is capped, not refused");
    // 250 a minute over the 9 minutes walked and one more.
    assert_eq!(glitch.progress.steps, 2500);
    record_session_event(&mut store, SessionEvent::Steps { count: 1100 }, at(20)).expect("steps");
    let done = record_session_event(&mut store, SessionEvent::Finish, at(20)).expect("finish");
    let outcome = done.outcome.expect("outcome");
    assert_eq!(outcome.progress.steps, 3600);
    let reopened = store_in(&dir);
    let day = reopened
        .daily_summary(date("2026-11-21"), at(60))
        .expect("day");
    assert_eq!(day.steps, 3600, "what was stored is what was counted");
    // About 8 mL a step: tens of litres, not billions of millilitres.
    assert!(
        (day.pumped_litres - outcome.pumped_ml / 1000.0).abs() < 0.05 && day.pumped_litres < 40.0,
        "{} L",
        day.pumped_litres
    );
}

#[test]
fn a_walk_whose_finish_was_forgotten_ends_half_an_hour_after_its_last_step() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store_in(&dir);
    let start = utc("2026-11-21T08:00:00Z");
    store
        .note_time_zone(BERLIN, start - Duration::days(30))
        .expect("zone");
    start_session(&mut store, SessionKind::Walk, None, None, BERLIN, start).expect("start");
    let at = |minutes| start + Duration::minutes(minutes);
    record_session_event(&mut store, SessionEvent::Steps { count: 2200 }, at(20)).expect("steps");
    // Noticed in the evening.
    let done = record_session_event(&mut store, SessionEvent::Finish, at(600)).expect("finish");
    let outcome = done.outcome.expect("outcome");
    assert_eq!(outcome.progress.active_seconds, 50.0 * 60.0);
    // Cadence and distance over the 20 minutes walked, as the walk log has
    // them: 110 steps a minute, 5 km/h, 1.7 km.
    let cadence = outcome.cadence_spm.expect("cadence");
    assert!((cadence - 110.0).abs() < 0.1, "{cadence}");
    let km = outcome.distance_km.expect("distance");
    assert!((km - 5.0 / 3.0).abs() < 0.01, "{km}");
    let zones = store.zone_timeline().expect("zones");
    let minutes = store
        .minutes_of_date(date("2026-11-21"), &zones)
        .expect("minutes");
    assert_eq!(minutes.len(), 50, "not ten hours of walking without a step");
    assert_eq!(minutes.last().expect("minutes").minute, at(49));
}

#[test]
fn steps_that_come_after_a_forgotten_walk_ended_finish_it_there() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store_in(&dir);
    let start = utc("2026-11-21T08:00:00Z");
    store
        .note_time_zone(BERLIN, start - Duration::days(30))
        .expect("zone");
    start_session(&mut store, SessionKind::Walk, None, None, BERLIN, start).expect("start");
    let at = |minutes| start + Duration::minutes(minutes);
    record_session_event(&mut store, SessionEvent::Steps { count: 2200 }, at(20)).expect("steps");
    // The evening's steps (or a clock jumped ahead) come to the open walk.
    let late = record_session_event(&mut store, SessionEvent::Steps { count: 5000 }, at(600))
        .expect("the walk had ended");
    assert_eq!(late.session.ended(), Some(at(50)));
    let outcome = late.outcome.expect("counted into its day");
    assert_eq!(outcome.progress.steps, 2200, "the late steps are left out");
    assert!(store.open_session().expect("read").is_none());
    let walks = store.walks_overlapping(start, at(600)).expect("walk log");
    let rows: Vec<_> = walks
        .iter()
        .map(|w| (w.start, w.duration_seconds, w.steps))
        .collect();
    assert_eq!(rows, [(start, 20 * 60, 2200)], "walked until its last step");
}

#[test]
fn a_calf_raise_set_from_sensor_reps_gives_hold_feedback_and_counts_as_a_set() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store_in(&dir);
    let start = utc("2026-11-21T10:00:00Z");
    start_session(
        &mut store,
        SessionKind::CalfRaises,
        None,
        None,
        BERLIN,
        start,
    )
    .expect("start");
    let mut last = None;
    for rep in 0..20 {
        let hold_s = if rep == 7 { Some(0.3) } else { Some(1.2) };
        let at = start + Duration::seconds(4 * (rep + 1));
        last =
            Some(record_session_event(&mut store, SessionEvent::Rep { hold_s }, at).expect("rep"));
        if rep == 7 {
            let update = last.as_ref().expect("update");
            assert!(
                update
                    .progress
                    .feedback
                    .iter()
                    .any(|f| matches!(f, Feedback::HoldLonger { .. })),
                "{:?}",
                update.progress
            );
        }
    }
    let update = last.expect("reps");
    assert!(update.progress.feedback.contains(&Feedback::SetComplete));
    let done = record_session_event(
        &mut store,
        SessionEvent::Finish,
        start + Duration::seconds(90),
    )
    .expect("finish");
    let outcome = done.outcome.expect("outcome");
    assert!(outcome.target_met);
    assert_eq!(outcome.progress.short_holds, 1);
    let day = store
        .daily_summary(date("2026-11-21"), start + Duration::hours(1))
        .expect("day");
    assert_eq!(day.calf_raise_sets, 1);
}

#[test]
fn ankle_pumps_and_an_abandoned_set_do_not_count() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store_in(&dir);
    let start = utc("2026-11-21T10:00:00Z");
    start_session(
        &mut store,
        SessionKind::AnklePumps,
        None,
        None,
        BERLIN,
        start,
    )
    .expect("start");
    record_session_event(
        &mut store,
        SessionEvent::Pumps { count: 30 },
        start + Duration::seconds(60),
    )
    .expect("pumps");
    let done = record_session_event(
        &mut store,
        SessionEvent::Finish,
        start + Duration::seconds(60),
    )
    .expect("finish");
    assert!(done.outcome.expect("outcome").target_met);
    start_session(
        &mut store,
        SessionKind::CalfRaises,
        None,
        None,
        BERLIN,
        start + Duration::minutes(5),
    )
    .expect("start");
    record_session_event(
        &mut store,
        SessionEvent::Rep { hold_s: None },
        start + Duration::minutes(6),
    )
    .expect("tap");
    record_session_event(
        &mut store,
        SessionEvent::Abandon,
        start + Duration::minutes(6),
    )
    .expect("abandon");
    let day = store
        .daily_summary(date("2026-11-21"), start + Duration::hours(1))
        .expect("day");
    assert_eq!(day.ankle_pump_sets, 1);
    assert_eq!(day.calf_raise_sets, 0);
}

#[test]
fn leg_elevation_asks_its_safety_questions_first() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store_in(&dir);
    let now = utc("2026-11-21T19:00:00Z");
    let unanswered = start_session(
        &mut store,
        SessionKind::LegElevation,
        None,
        None,
        BERLIN,
        now,
    );
    assert!(matches!(
        unanswered,
        Err(Error::InvalidInput {
            field: "safety check",
            ..
        })
    ));
    let injured = ElevationCheck {
        recent_leg_injury: true,
        ..ElevationCheck::default()
    };
    let refused = start_session(
        &mut store,
        SessionKind::LegElevation,
        None,
        Some(injured),
        BERLIN,
        now,
    );
    assert!(matches!(refused, Err(Error::NotSafe(_))), "{refused:?}");
    assert!(
        store.open_session().expect("read").is_none(),
        "nothing was started"
    );

    let started = start_session(
        &mut store,
        SessionKind::LegElevation,
        None,
        Some(ElevationCheck::default()),
        BERLIN,
        now,
    )
    .expect("start");
    assert_eq!(started.progress.remaining_s, Some(15.0 * 60.0));
    let stopped = record_session_event(&mut store, SessionEvent::Pain, now + Duration::minutes(4))
        .expect("pain");
    assert_eq!(stopped.session.state, SessionState::Abandoned);

    // A finished elevation rests the legs but does not count as calf-pump
    // activity: the reminder clock is not reset by it.
    start_session(
        &mut store,
        SessionKind::LegElevation,
        None,
        Some(ElevationCheck::default()),
        BERLIN,
        now + Duration::minutes(10),
    )
    .expect("start again");
    record_session_event(
        &mut store,
        SessionEvent::Finish,
        now + Duration::minutes(25),
    )
    .expect("finish");
    assert_eq!(
        store
            .last_activity(now + Duration::minutes(30))
            .expect("last"),
        None
    );
}

#[test]
fn tokyo_to_los_angeles_lives_the_21st_twice_and_counts_each_thing_once() {
    const TOKYO: Tz = chrono_tz::Asia::Tokyo;
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store_in(&dir);
    store
        .note_time_zone(TOKYO, utc("2026-11-01T00:00:00Z"))
        .expect("home zone");
    // Stockings on at 19:00 in Tokyo on the 21st, for 16 hours.
    put_compression_on(&mut store, class(15), utc("2026-11-21T10:00:00Z")).expect("on");
    // A set of calf raises at 01:00 in Tokyo on the 22nd, before boarding.
    start_session(
        &mut store,
        SessionKind::CalfRaises,
        None,
        None,
        TOKYO,
        utc("2026-11-21T16:00:00Z"),
    )
    .expect("set");
    for second in [3, 6, 9] {
        record_session_event(
            &mut store,
            SessionEvent::Rep { hold_s: Some(1.0) },
            utc("2026-11-21T16:00:00Z") + Duration::seconds(second),
        )
        .expect("rep");
    }
    record_session_event(
        &mut store,
        SessionEvent::Finish,
        utc("2026-11-21T16:01:00Z"),
    )
    .expect("finish");
    // Landed in Los Angeles at 10:00 on the 21st again (18:00 UTC).
    store
        .note_time_zone(LOS_ANGELES, utc("2026-11-21T18:00:00Z"))
        .expect("landed");
    take_compression_off(&mut store, utc("2026-11-22T02:00:00Z")).expect("off");
    // A walk in Tokyo the morning before (the 21st's first part) and one
    // in Los Angeles on arrival (its second part).
    let walk = |start: &str, zone: &str| {
        NewWalk::new(
            utc(start),
            zone,
            20 * 60,
            2_000,
            utc("2026-11-23T00:00:00Z"),
        )
        .expect("walk")
    };
    let morning = store
        .log_walk(&walk("2026-11-21T00:00:00Z", "Asia/Tokyo"))
        .expect("Tokyo walk");
    let arrival = store
        .log_walk(&walk("2026-11-21T19:00:00Z", "America/Los_Angeles"))
        .expect("LA walk");
    let zones = store.zone_timeline().expect("zones");
    let walk_ids = |d: &str| -> Vec<i64> {
        let walks = store.walks_on(date(d), &zones).expect("walks");
        walks.iter().map(|w| w.id).collect()
    };
    assert_eq!(walk_ids("2026-11-21"), [morning.id, arrival.id]);
    assert_eq!(walk_ids("2026-11-22"), Vec::<i64>::new());
    let now = utc("2026-11-23T20:00:00Z");
    let day = |d: &str| store.daily_summary(date(d), now).expect("day");
    let (first, second) = (day("2026-11-21"), day("2026-11-22"));
    assert_eq!(
        (first.compression_minutes, second.compression_minutes),
        (300 + 480, 180),
        "each minute of wear on the date it was worn"
    );
    assert_eq!(
        (first.calf_raise_sets, second.calf_raise_sets),
        (0, 1),
        "the set on Tokyo's 22nd only"
    );
    // The export says which stretches each date was lived in: the 21st in
    // Tokyo, then in Los Angeles from landing; the 22nd in Tokyo until
    // landing (the flight), then Los Angeles's whole 22nd.
    let export =
        ExportDocument::read(&store, date("2026-11-21"), date("2026-11-22"), now).expect("export");
    let parts = |index: usize| -> Vec<(&str, &str)> {
        export.days[index]
            .parts
            .iter()
            .map(|part| (part.start.as_str(), part.end.as_str()))
            .collect()
    };
    assert_eq!(
        parts(0),
        [
            ("2026-11-21T00:00:00+09:00", "2026-11-22T00:00:00+09:00"),
            ("2026-11-21T10:00:00-08:00", "2026-11-22T00:00:00-08:00"),
        ]
    );
    assert_eq!(
        parts(1),
        [
            ("2026-11-22T00:00:00+09:00", "2026-11-22T03:00:00+09:00"),
            ("2026-11-22T00:00:00-08:00", "2026-11-23T00:00:00-08:00"),
        ]
    );
    assert_eq!(export.walks.len(), 2);
    assert_eq!(export.sessions.len(), 1);
    // One date exported alone carries what its day counts, not what ran in
    // the other date's hours between its parts: the 21st both walks and no
    // set (the set was on Tokyo's 22nd, between the 21st's parts), the 22nd
    // the set and no walk (the walk on arrival was on Los Angeles's 21st,
    // between the 22nd's parts).
    let exported = |d: &str| {
        let one = ExportDocument::read(&store, date(d), date(d), now).expect("export");
        let walks: Vec<String> = one.walks.iter().map(|w| w.start.clone()).collect();
        let sessions: Vec<SessionKind> = one.sessions.iter().map(|s| s.kind).collect();
        (walks, sessions)
    };
    assert_eq!(
        exported("2026-11-21"),
        (
            vec![
                "2026-11-21T09:00:00+09:00".to_owned(),
                "2026-11-21T11:00:00-08:00".to_owned()
            ],
            vec![]
        )
    );
    assert_eq!(
        exported("2026-11-22"),
        (vec![], vec![SessionKind::CalfRaises])
    );
}

#[test]
fn a_week_shown_whole_counts_the_streak_as_it_stands_today() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store_in(&dir);
    store
        .note_time_zone(BERLIN, utc("2026-11-01T00:00:00Z"))
        .expect("zone");
    // The steps goal met on Monday and Tuesday; Wednesday morning now.
    for start in ["2026-11-23T07:00:00Z", "2026-11-24T07:00:00Z"] {
        let walk = NewWalk::new(
            utc(start),
            "Europe/Berlin",
            60 * 60,
            7_500,
            utc("2026-11-25T08:00:00Z"),
        )
        .expect("walk");
        store.log_walk(&walk).expect("walk");
    }
    let now = utc("2026-11-25T08:00:00Z");
    let week = store
        .history(date("2026-11-23"), date("2026-11-29"), now)
        .expect("week");
    assert_eq!(week.days.len(), 7, "the days to come are listed");
    assert_eq!(
        week.streaks.steps.current_days, 2,
        "Thursday to Sunday have not come: they break nothing"
    );
    // A past range's last day, unmet, ends its streak there.
    let past = store
        .history(
            date("2026-11-23"),
            date("2026-11-25"),
            utc("2026-11-27T08:00:00Z"),
        )
        .expect("past");
    assert_eq!(past.streaks.steps.current_days, 0);
    assert_eq!(past.streaks.steps.best_days, 2);
}

#[test]
fn a_date_skipped_over_the_date_line_keeps_the_streak() {
    const HONOLULU: Tz = chrono_tz::Pacific::Honolulu;
    const KIRITIMATI: Tz = chrono_tz::Pacific::Kiritimati;
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store_in(&dir);
    store
        .note_time_zone(HONOLULU, utc("2026-11-01T00:00:00Z"))
        .expect("home zone");
    let walk = |start: &str, zone: &str| {
        NewWalk::new(
            utc(start),
            zone,
            60 * 60,
            7_500,
            utc("2026-11-24T00:00:00Z"),
        )
        .expect("walk")
    };
    // The steps goal (7,000) met at 08:00 on the 19th and the 20th in
    // Honolulu (UTC-10).
    for start in ["2026-11-19T18:00:00Z", "2026-11-20T18:00:00Z"] {
        store
            .log_walk(&walk(start, "Pacific/Honolulu"))
            .expect("walk");
    }
    // At midnight ending Honolulu's 20th it is already the 22nd on
    // Kiritimati (UTC+14): the 21st never comes.
    store
        .note_time_zone(KIRITIMATI, utc("2026-11-21T10:00:00Z"))
        .expect("landed");
    store
        .log_walk(&walk("2026-11-21T20:00:00Z", "Pacific/Kiritimati"))
        .expect("walk on the 22nd");
    let now = utc("2026-11-22T08:00:00Z");
    let history = store
        .history(date("2026-11-19"), date("2026-11-22"), now)
        .expect("history");
    let steps: Vec<u32> = history.days.iter().map(|d| d.steps).collect();
    assert_eq!(steps, [7_500, 7_500, 0, 7_500], "every date is listed");
    assert_eq!(
        (
            history.streaks.steps.current_days,
            history.streaks.steps.best_days
        ),
        (3, 3),
        "the date never lived does not break the streak"
    );
}

/// A flight from `from` to `to`, aisle seat, no risk factors.
fn leg(departure: &str, from: chrono_tz::Tz, arrival: &str, to: chrono_tz::Tz) -> FlightRequest {
    FlightRequest {
        departure: utc(departure),
        departure_zone: from,
        arrival: utc(arrival),
        arrival_zone: to,
        seat: Seat::Aisle,
        move_every_min: 45,
        sleep: None,
        risk_factors: RiskFactors::default(),
    }
}

#[test]
fn both_legs_of_a_connection_started_at_the_first_gate_move_the_user_as_they_fly() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store_in(&dir);
    let gate = utc("2026-11-21T11:00:00Z"); // 12:00 in Berlin
    store
        .note_time_zone(BERLIN, gate - Duration::days(10))
        .expect("home zone");
    let dubai: chrono_tz::Tz = chrono_tz::Asia::Dubai;
    let sydney: chrono_tz::Tz = chrono_tz::Australia::Sydney;
    store
        .save_flight(
            leg(
                "2026-11-21T12:00:00Z",
                BERLIN,
                "2026-11-21T18:00:00Z",
                dubai,
            ),
            true,
            gate,
        )
        .expect("first leg");
    store
        .save_flight(
            leg(
                "2026-11-21T20:30:00Z",
                dubai,
                "2026-11-22T10:00:00Z",
                sydney,
            ),
            true,
            gate,
        )
        .expect("second leg, started at the first gate");
    let zones = store.zone_timeline().expect("zones");
    // Still in Berlin at the gate and until the first take-off; in Dubai
    // from its landing; in Sydney from the second landing.
    assert_eq!(zones.zone_at(gate + Duration::minutes(30)), BERLIN);
    assert_eq!(zones.zone_at(utc("2026-11-21T19:00:00Z")), dubai);
    assert_eq!(zones.zone_at(utc("2026-11-22T11:00:00Z")), sydney);
    let moves: Vec<_> = zones
        .changes()
        .iter()
        .filter(|(at, _)| *at >= gate)
        .map(|(at, zone)| (*at, *zone))
        .collect();
    assert_eq!(
        moves,
        [
            (utc("2026-11-21T18:00:00Z"), dubai),
            (utc("2026-11-22T10:00:00Z"), sydney)
        ],
        "no stay in Dubai from the Berlin gate"
    );
}

#[test]
fn a_flight_planned_again_replaces_the_first_and_a_cancelled_one_is_forgotten() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store_in(&dir);
    let before = utc("2026-11-21T06:00:00Z");
    store
        .note_time_zone(BERLIN, before - Duration::days(10))
        .expect("home zone");
    let request = leg(
        "2026-11-21T09:00:00Z",
        BERLIN,
        "2026-11-21T21:15:00Z",
        LOS_ANGELES,
    );
    store
        .save_flight(request.clone(), true, before)
        .expect("started");
    // The same trip planned again with a window seat and a later landing:
    // it takes the first one's place, the first one's landing forgotten.
    let corrected = FlightRequest {
        seat: Seat::Window,
        arrival: utc("2026-11-21T22:00:00Z"),
        ..request.clone()
    };
    store
        .save_flight(corrected.clone(), true, before + Duration::minutes(5))
        .expect("started again");
    let shown = store
        .flight_not_landed(before + Duration::minutes(6))
        .expect("read")
        .expect("a flight");
    assert_eq!(shown.request, corrected);
    // Still in Berlin's zone at `before`, in Los Angeles' from `landed`.
    let lands_at = |store: &Store, before: &str, landed: &str| {
        let zones = store.zone_timeline().expect("zones");
        assert_eq!(
            zones.zone_at(utc(before)),
            BERLIN,
            "no landing yet at {before}"
        );
        assert_eq!(zones.zone_at(utc(landed)), LOS_ANGELES);
    };
    lands_at(&store, "2026-11-21T21:30:00Z", "2026-11-21T22:00:00Z");
    let aboard = utc("2026-11-21T12:00:00Z");
    // Delayed in the air: started again aboard with a later landing, it
    // takes the place of the one flying.
    let delayed = FlightRequest {
        arrival: utc("2026-11-21T23:00:00Z"),
        ..corrected.clone()
    };
    store
        .save_flight(delayed.clone(), true, aboard)
        .expect("started again aboard");
    lands_at(&store, "2026-11-21T22:30:00Z", "2026-11-21T23:00:00Z");
    let shown = store
        .flight_not_landed(aboard)
        .expect("read")
        .expect("a flight");
    assert_eq!(shown.request, delayed);
    let corrected = delayed;
    // Cancelled in the air, named within a second (as an instant that
    // crossed the FFI may be): the landing ahead is forgotten, and nothing
    // is left to remind.
    let departure = corrected.departure + Duration::milliseconds(400);
    let cancelled = store.cancel_flight(departure, aboard).expect("cancel");
    assert_eq!(cancelled.map(|p| p.request), Some(corrected));
    assert_eq!(store.flight_not_landed(aboard).expect("read"), None);
    assert_eq!(store.cancel_flight(departure, aboard).expect("again"), None);
    assert_eq!(
        store
            .zone_timeline()
            .expect("zones")
            .zone_at(utc("2026-11-22T12:00:00Z")),
        BERLIN
    );
}

#[test]
fn cancelling_a_connections_first_leg_keeps_the_second_legs_zones() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store_in(&dir);
    let gate = utc("2026-11-21T08:00:00Z");
    let tokyo: chrono_tz::Tz = chrono_tz::Asia::Tokyo;
    let honolulu: chrono_tz::Tz = chrono_tz::Pacific::Honolulu;
    store
        .note_time_zone(tokyo, gate - Duration::days(10))
        .expect("home zone");
    let first = leg(
        "2026-11-21T09:00:00Z",
        tokyo,
        "2026-11-21T17:00:00Z",
        honolulu,
    );
    let second = leg(
        "2026-11-21T20:00:00Z",
        honolulu,
        "2026-11-22T01:30:00Z",
        LOS_ANGELES,
    );
    store
        .save_flight(first.clone(), true, gate)
        .expect("first leg");
    store
        .save_flight(second.clone(), true, gate)
        .expect("second leg, at the first gate");
    store
        .cancel_flight(first.departure, gate + Duration::minutes(5))
        .expect("cancel")
        .expect("the first leg");
    let zones = store.zone_timeline().expect("zones");
    assert_eq!(
        zones.zone_at(utc("2026-11-21T18:00:00Z")),
        tokyo,
        "leg one not flown"
    );
    assert_eq!(
        zones.zone_at(utc("2026-11-21T20:30:00Z")),
        honolulu,
        "leg two leaves Honolulu"
    );
    assert_eq!(zones.zone_at(utc("2026-11-22T02:00:00Z")), LOS_ANGELES);
    let shown = store
        .flight_not_landed(gate + Duration::minutes(6))
        .expect("read")
        .expect("leg two still started");
    assert_eq!(shown.request, second);
}

#[test]
fn frankfurt_to_los_angeles_keeps_the_right_days() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store_in(&dir);
    let before = utc("2026-11-21T06:00:00Z");
    store
        .note_time_zone(BERLIN, before - Duration::days(10))
        .expect("home zone");
    let request = leg(
        "2026-11-21T09:00:00Z",
        BERLIN,
        "2026-11-21T21:15:00Z",
        LOS_ANGELES,
    );
    let (id, plan) = store
        .save_flight(request.clone(), true, before)
        .expect("flight start");
    // Started twice (a double tap): still the one flight.
    let (again, _) = store
        .save_flight(request, true, before + Duration::seconds(1))
        .expect("started again");
    assert_eq!(again, id);
    assert_eq!(
        plan.schedule.last().expect("items").arrival_local,
        "2026-11-21 13:15"
    );

    let log = |store: &mut Store, start: &str, zone: &str, steps| {
        let walk = NewWalk::new(
            utc(start),
            zone,
            20 * 60,
            steps,
            utc("2026-11-23T00:00:00Z"),
        )
        .expect("walk");
        store.log_walk(&walk).expect("log");
    };
    log(&mut store, "2026-11-21T06:30:00Z", "Europe/Berlin", 2000); // 07:30 in Frankfurt
    log(
        &mut store,
        "2026-11-22T03:00:00Z",
        "America/Los_Angeles",
        1500,
    ); // 19:00 in LA, still the 21st
    log(
        &mut store,
        "2026-11-22T16:00:00Z",
        "America/Los_Angeles",
        900,
    ); // 08:00 on the 22nd in LA
    let now = utc("2026-11-22T20:00:00Z");
    let travel_day = store.daily_summary(date("2026-11-21"), now).expect("21st");
    assert_eq!(travel_day.steps, 3500);
    assert_eq!(
        travel_day.time_zones,
        vec!["Europe/Berlin", "America/Los_Angeles"]
    );
    let next = store.daily_summary(date("2026-11-22"), now).expect("22nd");
    assert_eq!(next.steps, 900);
    assert_eq!(next.time_zones, vec!["America/Los_Angeles"]);
    assert_eq!(store.today(now).expect("today"), date("2026-11-22"));

    // During the flight, reminders come from the plan's interval.
    let in_flight = utc("2026-11-21T12:00:00Z");
    assert!(
        store
            .flight_not_landed(in_flight)
            .expect("flight")
            .is_some()
    );
}

#[test]
fn sensor_minutes_fill_the_day_and_keep_the_streak_while_the_phone_was_off() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store_in(&dir);
    store
        .note_time_zone(chrono_tz::UTC, utc("2026-11-01T00:00:00Z"))
        .expect("zone");
    let mut profile = store.profile().expect("profile");
    profile.goals.steps = 5_000;
    store.save_profile(&profile).expect("save");
    // Days 18–20: walks logged on the phone.
    for day in 18..=20 {
        let walk = NewWalk::new(
            utc(&format!("2026-11-{day}T09:00:00Z")),
            "UTC",
            3600,
            6000,
            utc("2026-11-25T00:00:00Z"),
        )
        .expect("walk");
        store.log_walk(&walk).expect("log");
    }
    // Day 21: the phone was off; the sensor recorded 60 minutes of 100 steps
    // and an hour of sitting, synced on the 22nd.
    let mut minutes = vec![(100u16, 0u16, Posture::Walking); 60];
    minutes.extend(vec![(0, 0, Posture::Sitting); 60]);
    let commit = minutes_commit("SH-7", utc("2026-11-21T09:00:00Z"), 1, &minutes);
    commit_sensor_sync(
        &mut store,
        &commit,
        utc("2026-11-22T08:00:00Z").timestamp_millis(),
    )
    .expect("sync");
    // The same records again change nothing.
    commit_sensor_sync(
        &mut store,
        &commit,
        utc("2026-11-22T08:01:00Z").timestamp_millis(),
    )
    .expect("again");
    let now = utc("2026-11-22T09:00:00Z");
    let history = store
        .history(date("2026-11-18"), date("2026-11-22"), now)
        .expect("history");
    let day21 = &history.days[3];
    assert_eq!(day21.steps, 6000);
    assert_eq!(day21.sensor_minutes, 120);
    assert_eq!(day21.sitting_minutes, 60);
    assert_eq!(day21.prolonged_sitting_bouts, 1);
    assert_eq!(
        history.streaks.steps.current_days, 4,
        "{:?}",
        history.streaks
    );

    // A phone walk over the same hour does not double the steps.
    let walk = NewWalk::new(
        utc("2026-11-21T09:00:00Z"),
        "UTC",
        3600,
        5900,
        utc("2026-11-25T00:00:00Z"),
    )
    .expect("walk");
    store.log_walk(&walk).expect("log");
    assert_eq!(
        store
            .daily_summary(date("2026-11-21"), now)
            .expect("day")
            .steps,
        6000
    );
}

#[test]
fn a_sensor_minute_counts_on_the_day_it_was_lived_not_the_day_its_record_was_written() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store_in(&dir);
    store
        .note_time_zone(BERLIN, utc("2026-11-01T00:00:00Z"))
        .expect("zone");
    // Walking through 23:58 and 23:59 Berlin (22:58 and 22:59 UTC): the
    // sensor writes the second minute's record as it ends, at midnight.
    let walk = [(100u16, 0u16, Posture::Walking), (90, 0, Posture::Walking)];
    let commit = minutes_commit("SH-6", utc("2026-11-21T22:58:00Z"), 1, &walk);
    assert_eq!(
        commit.anchors[0].utc_ms + 60_000 * i64::from(commit.records[1].ticks_s / 60),
        utc("2026-11-21T23:00:00Z").timestamp_millis(),
        "the last record is stamped at midnight, Berlin"
    );
    commit_sensor_sync(
        &mut store,
        &commit,
        utc("2026-11-22T08:00:00Z").timestamp_millis(),
    )
    .expect("sync");
    let now = utc("2026-11-22T09:00:00Z");
    let late = store.daily_summary(date("2026-11-21"), now).expect("day");
    assert_eq!((late.steps, late.sensor_minutes), (190, 2));
    let next = store.daily_summary(date("2026-11-22"), now).expect("day");
    assert_eq!((next.steps, next.sensor_minutes), (0, 0));
    let minutes = store
        .minutes_of_date(date("2026-11-21"), &store.zone_timeline().expect("zones"))
        .expect("minutes");
    let last = minutes.last().expect("a minute");
    assert_eq!(last.minute, utc("2026-11-21T22:59:00Z"));
    assert_eq!(last.steps, 90);
}

#[test]
fn a_minute_astride_a_zone_change_that_starts_a_date_counts_once() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store_in(&dir);
    store
        .note_time_zone(BERLIN, utc("2026-11-01T00:00:00Z"))
        .expect("zone");
    // At 22:30:20 UTC the phone moves from Berlin (23:30:20 on the 21st)
    // to Tokyo (07:30:20 on the 22nd): the 22nd starts within a minute
    // that the phone and a sensor both saw walking.
    store
        .note_time_zone(chrono_tz::Asia::Tokyo, utc("2026-11-21T22:30:20Z"))
        .expect("zone");
    let walk = NewWalk::new(
        utc("2026-11-21T22:30:00Z"),
        "Asia/Tokyo",
        60,
        60,
        utc("2026-11-22T08:00:00Z"),
    )
    .expect("walk");
    store.log_walk(&walk).expect("log");
    let commit = minutes_commit(
        "SH-9",
        utc("2026-11-21T22:30:00Z"),
        1,
        &[(60, 0, Posture::Walking)],
    );
    commit_sensor_sync(
        &mut store,
        &commit,
        utc("2026-11-22T08:00:00Z").timestamp_millis(),
    )
    .expect("sync");
    let now = utc("2026-11-22T09:00:00Z");
    let old_date = store.daily_summary(date("2026-11-21"), now).expect("day");
    assert_eq!((old_date.steps, old_date.sensor_minutes), (60, 1));
    let new_date = store.daily_summary(date("2026-11-22"), now).expect("day");
    assert_eq!(
        (new_date.steps, new_date.sensor_minutes),
        (0, 0),
        "the minute from 22:30 began on the 21st"
    );
}

#[test]
fn a_sensor_recorded_exercise_set_counts_once() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store_in(&dir);
    let mut commit = minutes_commit(
        "SH-8",
        utc("2026-11-21T09:00:00Z"),
        1,
        &[(0, 20, Posture::Standing)],
    );
    commit.records.push(Record {
        seq: 2,
        epoch: 1,
        ticks_s: 90,
        body: RecordBody::Exercise {
            kind: ExerciseKind::CalfRaises,
            reps: 20,
            duration_s: 60,
            mean_hold_ds: 11,
        },
    });
    commit.high_water = 2;
    commit_sensor_sync(
        &mut store,
        &commit,
        utc("2026-11-21T12:00:00Z").timestamp_millis(),
    )
    .expect("sync");
    commit_sensor_sync(
        &mut store,
        &commit,
        utc("2026-11-21T12:05:00Z").timestamp_millis(),
    )
    .expect("again");
    let day = store
        .daily_summary(date("2026-11-21"), utc("2026-11-21T13:00:00Z"))
        .expect("day");
    assert_eq!(day.calf_raise_sets, 1);
}

/// A store in Berlin since November, with a calf-raise set the phone
/// started at `at`.
fn calf_raises_started(dir: &tempfile::TempDir, at: &str) -> Store {
    let mut store = store_in(dir);
    store
        .note_time_zone(BERLIN, utc("2026-11-01T00:00:00Z"))
        .expect("zone");
    start_session(
        &mut store,
        SessionKind::CalfRaises,
        None,
        None,
        BERLIN,
        utc(at),
    )
    .expect("start");
    store
}

/// A sensor's minute from `start` and its own record of the set of 20 calf
/// raises it saw in that minute, written when the set ended, at `start` + 1 min.
fn sensor_calf_raise_set(serial: &str, start: DateTime<Utc>) -> Commit {
    let mut commit = minutes_commit(serial, start, 1, &[(0, 20, Posture::Standing)]);
    commit.records.push(calf_raise_record(2, 60));
    commit.high_water = 2;
    commit
}

/// A sensor's record `seq` of a minute's set of 20 calf raises, written as
/// the set ended, `ticks_s` into the sensor's clock.
fn calf_raise_record(seq: u32, ticks_s: u32) -> Record {
    Record {
        seq,
        epoch: 1,
        ticks_s,
        body: RecordBody::Exercise {
            kind: ExerciseKind::CalfRaises,
            reps: 20,
            duration_s: 60,
            mean_hold_ds: 10,
        },
    }
}

#[test]
fn a_set_the_phone_counted_live_is_not_counted_again_from_the_sensor() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store_in(&dir);
    store
        .note_time_zone(BERLIN, utc("2026-11-01T00:00:00Z"))
        .expect("zone");
    // The phone runs the set 09:00–09:01 UTC, counting the sensor's frames.
    start_session(
        &mut store,
        SessionKind::CalfRaises,
        None,
        None,
        BERLIN,
        utc("2026-11-21T09:00:00Z"),
    )
    .expect("start");
    for second in 0..20 {
        record_session_event(
            &mut store,
            SessionEvent::Rep { hold_s: Some(1.0) },
            utc("2026-11-21T09:00:00Z") + Duration::seconds(3 * second),
        )
        .expect("rep");
    }
    record_session_event(
        &mut store,
        SessionEvent::Finish,
        utc("2026-11-21T09:01:00Z"),
    )
    .expect("finished");
    // The sensor wrote the same set when it ended, at 09:01; it syncs later.
    commit_sensor_sync(
        &mut store,
        &sensor_calf_raise_set("SH-10", utc("2026-11-21T09:00:00Z")),
        utc("2026-11-21T12:00:00Z").timestamp_millis(),
    )
    .expect("sync");
    let day = |store: &Store| {
        store
            .daily_summary(date("2026-11-21"), utc("2026-11-21T13:00:00Z"))
            .expect("day")
            .calf_raise_sets
    };
    assert_eq!(day(&store), 1, "one set, not two");

    // A set the sensor recorded while the phone ran nothing counts.
    commit_sensor_sync(
        &mut store,
        &sensor_calf_raise_set("SH-11", utc("2026-11-21T10:00:00Z")),
        utc("2026-11-21T12:00:00Z").timestamp_millis(),
    )
    .expect("sync");
    assert_eq!(day(&store), 2);
}

#[test]
fn a_set_two_sensors_recorded_counts_once_and_still_once_when_one_is_forgotten() {
    // A sock on each leg: both record the 09:00 set, the right one a
    // second later; the left one also records a set of its own straight
    // after it, at 09:01, and another at 10:00. Whichever syncs first, the
    // day counts three sets.
    let mut left = sensor_calf_raise_set("SH-L", utc("2026-11-21T09:00:00Z"));
    left.records.push(calf_raise_record(3, 120));
    left.records.push(calf_raise_record(4, 3_660));
    left.high_water = 4;
    let right = sensor_calf_raise_set("SH-R", utc("2026-11-21T09:00:01Z"));
    for (order, first_forgotten, left_after) in
        [([&left, &right], "SH-L", 1), ([&right, &left], "SH-R", 3)]
    {
        let dir = tempfile::tempdir().expect("dir");
        let mut store = store_in(&dir);
        store
            .note_time_zone(BERLIN, utc("2026-11-01T00:00:00Z"))
            .expect("zone");
        let day = |store: &Store| {
            store
                .daily_summary(date("2026-11-21"), utc("2026-11-21T13:00:00Z"))
                .expect("day")
                .calf_raise_sets
        };
        for commit in order {
            commit_sensor_sync(
                &mut store,
                commit,
                utc("2026-11-21T12:00:00Z").timestamp_millis(),
            )
            .expect("sync");
        }
        assert_eq!(
            day(&store),
            3,
            "the shared set once, the left sock's own two ({first_forgotten} synced first)"
        );

        // Without the sensor that synced first, the other's record of the
        // shared set counts.
        forget_sensor(&mut store, first_forgotten).expect("forget");
        assert_eq!(day(&store), left_after, "{first_forgotten} forgotten");
    }
}

#[test]
fn a_sensor_set_is_placed_where_it_ended_and_an_abandoned_phone_set_does_not_hide_it() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = calf_raises_started(&dir, "2026-11-21T09:00:00Z");
    record_session_event(
        &mut store,
        SessionEvent::Abandon,
        utc("2026-11-21T09:00:30Z"),
    )
    .expect("abandoned");
    commit_sensor_sync(
        &mut store,
        &sensor_calf_raise_set("SH-12", utc("2026-11-21T09:00:00Z")),
        utc("2026-11-21T12:00:00Z").timestamp_millis(),
    )
    .expect("sync");
    let day = store
        .daily_summary(date("2026-11-21"), utc("2026-11-21T13:00:00Z"))
        .expect("day");
    assert_eq!(day.calf_raise_sets, 1);
    let set = store
        .sessions_between(utc("2026-11-21T00:00:00Z"), utc("2026-11-22T00:00:00Z"))
        .expect("sessions")
        .into_iter()
        .find(|s| s.state == SessionState::Finished)
        .expect("the sensor's set");
    assert_eq!(set.started, utc("2026-11-21T09:00:00Z"));
    assert_eq!(set.ended, Some(utc("2026-11-21T09:01:00Z")));
    assert_eq!(set.source, "sensor");
}

#[test]
fn a_sensor_set_synced_while_the_phone_set_was_open_counts_once_that_set_is_given_up() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = calf_raises_started(&dir, "2026-11-21T09:00:00Z");
    // The sensor's record of the set syncs while the phone's set is open:
    // the open set stands for it.
    commit_sensor_sync(
        &mut store,
        &sensor_calf_raise_set("SH-13", utc("2026-11-21T09:00:00Z")),
        utc("2026-11-21T09:02:00Z").timestamp_millis(),
    )
    .expect("sync");
    let sets = |store: &Store| {
        store
            .daily_summary(date("2026-11-21"), utc("2026-11-21T13:00:00Z"))
            .expect("day")
            .calf_raise_sets
    };
    assert_eq!(sets(&store), 0, "the open set is not counted yet");
    // Given up at 09:05: the sensor's set counts now, and once.
    record_session_event(
        &mut store,
        SessionEvent::Abandon,
        utc("2026-11-21T09:05:00Z"),
    )
    .expect("abandoned");
    assert_eq!(sets(&store), 1);
    let from_sensor: Vec<_> = store
        .sessions_between(utc("2026-11-21T00:00:00Z"), utc("2026-11-22T00:00:00Z"))
        .expect("sessions")
        .into_iter()
        .filter(|s| s.source == "sensor")
        .map(|s| (s.started, s.ended))
        .collect();
    assert_eq!(
        from_sensor,
        [(
            utc("2026-11-21T09:00:00Z"),
            Some(utc("2026-11-21T09:01:00Z"))
        )]
    );
    // The same record synced again changes nothing.
    commit_sensor_sync(
        &mut store,
        &sensor_calf_raise_set("SH-13", utc("2026-11-21T09:00:00Z")),
        utc("2026-11-21T12:00:00Z").timestamp_millis(),
    )
    .expect("sync again");
    assert_eq!(sets(&store), 1);
}

#[test]
fn a_sensor_set_after_a_forgotten_phone_set_counts_once_that_set_is_finished() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store_in(&dir);
    store
        .note_time_zone(BERLIN, utc("2026-11-01T00:00:00Z"))
        .expect("zone");
    // Tapped from 08:00 UTC, last rep at 08:05, then forgotten.
    start_session(
        &mut store,
        SessionKind::CalfRaises,
        None,
        None,
        BERLIN,
        utc("2026-11-21T08:00:00Z"),
    )
    .expect("start");
    record_session_event(
        &mut store,
        SessionEvent::Rep { hold_s: None },
        utc("2026-11-21T08:05:00Z"),
    )
    .expect("rep");
    // The sensor's own set at 09:00–09:01 syncs while that set is open.
    commit_sensor_sync(
        &mut store,
        &sensor_calf_raise_set("SH-14", utc("2026-11-21T09:00:00Z")),
        utc("2026-11-21T09:10:00Z").timestamp_millis(),
    )
    .expect("sync");
    // And one at 08:15 counted only by a sensor on the other leg, in the
    // half hour the phone's set waited for a rep before it ended by itself.
    commit_sensor_sync(
        &mut store,
        &sensor_calf_raise_set("SH-15", utc("2026-11-21T08:15:00Z")),
        utc("2026-11-21T09:12:00Z").timestamp_millis(),
    )
    .expect("sync");
    // Finished at 09:15, the phone's set is over at its last rep, 08:05:
    // the sensor's sets were other ones, and count.
    let done = record_session_event(
        &mut store,
        SessionEvent::Finish,
        utc("2026-11-21T09:15:00Z"),
    )
    .expect("finished");
    assert_eq!(done.session.ended(), Some(utc("2026-11-21T08:05:00Z")));
    let sessions = store
        .sessions_between(utc("2026-11-21T00:00:00Z"), utc("2026-11-22T00:00:00Z"))
        .expect("sessions");
    let sources: Vec<_> = sessions
        .iter()
        .map(|s| (s.source.as_str(), s.started))
        .collect();
    assert_eq!(
        sources,
        [
            ("phone", utc("2026-11-21T08:00:00Z")),
            ("sensor", utc("2026-11-21T08:15:00Z")),
            ("sensor", utc("2026-11-21T09:00:00Z"))
        ]
    );
}

#[test]
fn a_reminder_shown_while_the_clock_ran_ahead_does_not_silence_the_next() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store_in(&dir);
    store
        .note_time_zone(BERLIN, utc("2026-11-01T00:00:00Z"))
        .expect("zone");
    // Shown with the clock a day ahead, then the clock put right.
    store
        .reminder_shown(Exercise::CalfRaises, utc("2026-11-22T10:00:00Z"))
        .expect("shown");
    let now = utc("2026-11-21T09:30:00Z");
    let next = store.next_reminder(now).expect("reminder").expect("due");
    assert!(
        next.due_at <= utc("2026-11-21T10:00:00Z"),
        "due {} (it had waited for the day ahead)",
        next.due_at
    );
}

#[test]
fn reminders_wait_for_inactivity_and_recent_movement_pushes_them_back() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store_in(&dir);
    store
        .note_time_zone(BERLIN, utc("2026-11-01T00:00:00Z"))
        .expect("zone");
    // Sitting at a desk from 09:00 Berlin (08:00 UTC) with a sensor on.
    let sitting = vec![(0u16, 0u16, Posture::Sitting); 30];
    commit_sensor_sync(
        &mut store,
        &minutes_commit("SH-9", utc("2026-11-23T08:00:00Z"), 1, &sitting),
        0,
    )
    .expect("sync");
    let now = utc("2026-11-23T08:30:00Z");
    let first = store.next_reminder(now).expect("reminder").expect("due");
    // No activity known since waking at 07:00 Berlin: the clock started
    // then, so the first is overdue, due now. (It had moved on with the
    // clock, always 45 minutes ahead, and never came.)
    assert_eq!((first.due_at, first.level), (now, Level::Gentle));
    let a_minute_on = store
        .next_reminder(now + Duration::minutes(1))
        .expect("reminder")
        .expect("due");
    assert_eq!(a_minute_on.due_at, now + Duration::minutes(1));

    // A three-minute walk at 08:40 UTC: the reminder moves to 45 min after it.
    let walk = vec![(100u16, 0u16, Posture::Walking); 3];
    commit_sensor_sync(
        &mut store,
        &minutes_commit("SH-9", utc("2026-11-23T08:40:00Z"), 41, &walk),
        0,
    )
    .expect("sync");
    let later = utc("2026-11-23T08:50:00Z");
    let r = store.next_reminder(later).expect("reminder").expect("due");
    assert_eq!(r.due_at, utc("2026-11-23T09:28:00Z"));

    // Shown and snoozed: back after the snooze, with another exercise.
    store.reminder_shown(r.exercise, r.due_at).expect("shown");
    store
        .respond_to_reminder(
            ReminderResponse::Snoozed,
            None,
            r.due_at + Duration::minutes(1),
        )
        .expect("snooze");
    let again = store
        .next_reminder(r.due_at + Duration::minutes(2))
        .expect("reminder")
        .expect("due");
    assert_eq!(again.due_at, r.due_at + Duration::minutes(11));
    assert_ne!(again.exercise, r.exercise);

    // A running session silences reminders: the next waits until it would
    // end by itself if left running (a set that counted nothing, three
    // hours after it started, 12:31, rounded up to 12:35). A set without a
    // rep is given up then, no activity: the snoozed reminder before it still
    // stands, so a follow-up is due at once.
    start_session(
        &mut store,
        SessionKind::CalfRaises,
        None,
        None,
        BERLIN,
        r.due_at + Duration::minutes(3),
    )
    .expect("start");
    let after = store
        .next_reminder(r.due_at + Duration::minutes(4))
        .expect("reminder")
        .expect("after the set");
    assert_eq!(
        (after.due_at, after.level),
        (utc("2026-11-23T12:35:00Z"), Level::Nudge)
    );
    let _ = Exercise::Walk;
}

#[test]
fn drinks_and_stockings_show_in_the_day_and_stockings_pass_the_gate() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store_in(&dir);
    store
        .note_time_zone(BERLIN, utc("2026-11-01T00:00:00Z"))
        .expect("zone");
    store
        .log_drink(&drink(250, utc("2026-11-21T08:00:00Z")))
        .expect("drink");
    store
        .log_drink(&drink(500, utc("2026-11-21T12:00:00Z")))
        .expect("drink");
    assert!(matches!(
        Drink::new(0, utc("2026-11-21T12:00:00Z")),
        Err(Error::InvalidInput { .. })
    ));
    let mut profile = store.profile().expect("profile");
    profile.compression_cautions.severe_neuropathy = true;
    store.save_profile(&profile).expect("save");
    let on = put_compression_on(&mut store, class(20), utc("2026-11-21T07:00:00Z")).expect("on");
    let started = WearStarted::new(on, &store.profile().expect("profile").compression_cautions);
    assert!(matches!(
        started.advice,
        second_heart_core::compression::CompressionAdvice::SeeDoctorFirst { .. }
    ));
    // A second "on" names the first by the clock the user lives by.
    match put_compression_on(&mut store, class(20), utc("2026-11-21T07:30:00Z")) {
        Err(Error::Conflict(why)) => assert_eq!(
            why,
            "stockings are on already, since 08:00 on Sat 21 Nov 2026 (Europe/Berlin); take them off first"
        ),
        other => panic!("{other:?}"),
    }
    take_compression_off(&mut store, utc("2026-11-21T17:00:00Z")).expect("off");
    let day = store
        .daily_summary(date("2026-11-21"), utc("2026-11-22T12:00:00Z"))
        .expect("day");
    assert_eq!(day.hydration_ml, 750);
    assert_eq!(day.compression_minutes, 600);
}

#[test]
fn stockings_taken_off_at_a_time_typed_days_back_leave_the_days_after_unworn() {
    // On at 08:00 on the 20th; the days to the 24th summed while they were
    // still on, each worn all day. Then "off at 20:00 on the 21st".
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store_in(&dir);
    put_compression_on(&mut store, class(20), utc("2026-11-20T08:00:00Z")).expect("on");
    let worn = |store: &Store, day: &str| {
        store
            .daily_summary(date(day), utc("2026-11-25T12:00:00Z"))
            .expect("day")
            .compression_minutes
    };
    assert_eq!(worn(&store, "2026-11-23"), 1440);
    assert_eq!(worn(&store, "2026-11-24"), 1440);
    take_compression_off(&mut store, utc("2026-11-21T20:00:00Z")).expect("off");
    for day in ["2026-11-22", "2026-11-23", "2026-11-24"] {
        assert_eq!(
            worn(&store, day),
            0,
            "{day}: not the sum cached while they were on"
        );
    }
    // Put on again at a time typed back: the days cached since count it.
    put_compression_on(&mut store, class(20), utc("2026-11-23T08:00:00Z")).expect("on");
    assert_eq!(worn(&store, "2026-11-24"), 1440);
}

#[test]
fn stockings_the_clock_puts_on_ahead_of_now_can_be_taken_off() {
    // Put on while the phone's clock ran a day ahead; the clock set right,
    // "off" had been refused ("come off after they went on") and "on"
    // refused as on already, until that time came.
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store_in(&dir);
    put_compression_on(&mut store, class(20), utc("2026-11-22T07:00:00Z")).expect("on");
    // A day summed while the clock ran further ahead: worn all day.
    let ahead = store
        .daily_summary(date("2026-11-23"), utc("2026-11-24T12:00:00Z"))
        .expect("day ahead");
    assert_eq!(ahead.compression_minutes, 1440);
    let now = utc("2026-11-21T09:00:00Z");
    let off = take_compression_off(&mut store, now).expect("off");
    assert_eq!(
        off.off,
        Some(off.on),
        "never worn, as far as the clock can tell"
    );
    assert_eq!(store.open_wear().expect("open"), None);
    put_compression_on(&mut store, class(20), now).expect("on again");
    take_compression_off(&mut store, utc("2026-11-21T10:00:00Z")).expect("off");
    let day = store
        .daily_summary(date("2026-11-21"), utc("2026-11-23T12:00:00Z"))
        .expect("day");
    assert_eq!(day.compression_minutes, 60);
    let next = store
        .daily_summary(date("2026-11-22"), utc("2026-11-23T12:00:00Z"))
        .expect("next day");
    assert_eq!(
        next.compression_minutes, 0,
        "nothing of the stretch removed"
    );
    let after = store
        .daily_summary(date("2026-11-23"), utc("2026-11-24T12:00:00Z"))
        .expect("the day after");
    assert_eq!(
        after.compression_minutes, 0,
        "not the sum cached while the clock ran ahead"
    );
}

#[test]
fn an_export_holds_the_range_s_zones_and_a_session_still_open_from_before_it() {
    use chrono_tz::America::New_York;
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store_in(&dir);
    // A trip to New York in October, home to Berlin in November.
    for (since, zone) in [
        ("2026-10-01T00:00:00Z", BERLIN),
        ("2026-10-10T12:00:00Z", New_York),
        ("2026-10-20T12:00:00Z", BERLIN),
    ] {
        store.note_time_zone(zone, utc(since)).expect("zone");
    }
    // A walk started on the 19th and never finished.
    let start = utc("2026-11-19T20:00:00Z");
    start_session(&mut store, SessionKind::Walk, None, None, BERLIN, start).expect("start");
    let now = utc("2026-11-22T12:00:00Z");
    let doc =
        ExportDocument::read(&store, date("2026-11-20"), date("2026-11-22"), now).expect("export");
    // Only the zone in force through the range: not October's trip.
    assert_eq!(
        doc.time_zones,
        [(
            "2026-10-20T12:00:00Z".to_owned(),
            "Europe/Berlin".to_owned()
        )]
    );
    // The open session ran during the range.
    assert_eq!(doc.sessions.len(), 1, "{:?}", doc.sessions);
    assert_eq!(doc.sessions[0].started, start);
    // A range over the trip lists its zones.
    let october =
        ExportDocument::read(&store, date("2026-10-09"), date("2026-10-11"), now).expect("export");
    let names: Vec<&str> = october.time_zones.iter().map(|(_, z)| z.as_str()).collect();
    assert_eq!(names, ["Europe/Berlin", "America/New_York"]);
}

#[test]
fn exports_read_back_in_every_format() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store_in(&dir);
    store
        .note_time_zone(BERLIN, utc("2026-11-01T00:00:00Z"))
        .expect("zone");
    let start = utc("2026-11-21T08:00:00Z");
    start_session(&mut store, SessionKind::Walk, None, None, BERLIN, start).expect("start");
    record_session_event(
        &mut store,
        SessionEvent::Steps { count: 3000 },
        start + Duration::minutes(30),
    )
    .expect("steps");
    record_session_event(
        &mut store,
        SessionEvent::Finish,
        start + Duration::minutes(30),
    )
    .expect("finish");
    // And one logged by hand afterwards: it has no session.
    let logged = NewWalk::new(
        utc("2026-11-21T15:00:00Z"),
        "Europe/Berlin",
        1_200,
        1_500,
        utc("2026-11-21T16:00:00Z"),
    )
    .expect("walk");
    store.log_walk(&logged).expect("log");
    let now = utc("2026-11-22T12:00:00Z");
    let doc =
        ExportDocument::read(&store, date("2026-11-20"), date("2026-11-22"), now).expect("export");

    let days = to_csv(&doc, CsvTable::Days).expect("csv");
    let mut reader = csv::Reader::from_reader(days.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("parse");
    assert_eq!(rows.len(), 3);
    let headers = reader.headers().expect("headers").clone();
    let col = |name: &str| headers.iter().position(|h| h == name).expect(name);
    assert_eq!(&rows[1][col("date")], "2026-11-21");
    assert_eq!(&rows[1][col("start")], "2026-11-21T00:00:00+01:00");
    assert_eq!(&rows[1][col("steps")], "4500");
    // Every figure of the day, as the JSON has it: the walk's minutes, the
    // longest sitting bout and the goals met too.
    let day = &doc.days[1].summary;
    assert!(day.walking_minutes > 0, "the walk's minutes");
    for (name, value) in [
        ("walking_minutes", day.walking_minutes.to_string()),
        (
            "longest_sitting_bout_min",
            day.longest_sitting_bout_min.to_string(),
        ),
        ("steps_goal_met", day.goals.steps.to_string()),
        ("breaks_goal_met", day.goals.breaks.to_string()),
        ("hydration_goal_met", day.goals.hydration.to_string()),
    ] {
        assert_eq!(&rows[1][col(name)], value, "{name}");
    }

    let minutes = to_csv(&doc, CsvTable::Minutes).expect("csv");
    let first_minute = minutes.lines().nth(1).expect("a minute");
    assert!(
        first_minute
            .starts_with("2026-11-21T09:00:00+01:00,2026-11-21T08:00:00Z,Europe/Berlin,100,"),
        "{first_minute}"
    );

    let sessions = to_csv(&doc, CsvTable::Sessions).expect("csv");
    assert!(
        sessions
            .lines()
            .nth(1)
            .expect("a session")
            .contains("walk,finished,phone,2026-11-21T08:00:00Z,2026-11-21T08:30:00Z,+01:00"),
        "{sessions}"
    );

    let walks = to_csv(&doc, CsvTable::Walks).expect("csv");
    assert_eq!(
        walks.lines().collect::<Vec<_>>(),
        [
            "start,end,time_zone,duration_seconds,steps,by_hand,recorded_by_sensor",
            "2026-11-21T09:00:00+01:00,2026-11-21T09:30:00+01:00,Europe/Berlin,1800,3000,false,false",
            "2026-11-21T16:00:00+01:00,2026-11-21T16:20:00+01:00,Europe/Berlin,1200,1500,true,false",
        ],
        "the recorded walk and the one logged by hand"
    );

    // A range with no minute, session or walk: each file still says what
    // it would hold, in the same header row (not an empty file).
    let quiet =
        ExportDocument::read(&store, date("2026-11-01"), date("2026-11-02"), now).expect("export");
    for (table, full) in [
        (CsvTable::Minutes, &minutes),
        (CsvTable::Sessions, &sessions),
        (CsvTable::Walks, &walks),
    ] {
        let empty = to_csv(&quiet, table).expect("csv");
        assert_eq!(
            empty.lines().collect::<Vec<_>>(),
            full.lines().take(1).collect::<Vec<_>>(),
            "{table:?}: the header alone"
        );
        assert!(empty.ends_with('\n'), "{table:?}: a whole line");
    }

    let json: serde_json::Value =
        serde_json::from_str(&doc.to_json().expect("json")).expect("parse");
    assert_eq!(json["format"], "second-heart-export");
    assert_eq!(json["days"][1]["steps"], 4500);
    let walks = json["walks"].as_array().expect("walks");
    assert_eq!(
        walks.len(),
        2,
        "the recorded walk and the one logged by hand"
    );
    assert_eq!(walks[1]["start"], "2026-11-21T16:00:00+01:00");
    assert_eq!(walks[1]["end"], "2026-11-21T16:20:00+01:00");
    assert_eq!(walks[1]["steps"], 1500);

    let bundle: serde_json::Value =
        serde_json::from_str(&to_fhir_bundle(&doc).expect("fhir")).expect("parse");
    assert_eq!(bundle["resourceType"], "Bundle");
    let entries = bundle["entry"].as_array().expect("entries");
    // Of the three days, the two that measured no step (before the first
    // walk; today, so far) are no counts of 0.
    assert_eq!(entries.len(), 1 + 2, "one day and two walks");
    let day = &entries[0]["resource"];
    assert_eq!(day["code"]["coding"][0]["code"], "41950-7");
    assert_eq!(day["valueQuantity"]["value"], 4500);
    assert_eq!(day["status"], "final");
    let logged_walk = &entries[2]["resource"];
    assert_eq!(logged_walk["code"]["coding"][0]["code"], "55423-8");
    assert_eq!(logged_walk["valueQuantity"]["value"], 1500);
    assert_eq!(day["effectivePeriod"]["start"], "2026-11-21T00:00:00+01:00");
    // Same data, same ids: a re-export updates rather than duplicates.
    let again: serde_json::Value =
        serde_json::from_str(&to_fhir_bundle(&doc).expect("fhir")).expect("parse");
    assert_eq!(again["entry"][0]["fullUrl"], entries[0]["fullUrl"]);
    // After delete-all a new walk takes the first walk's row id, not its
    // record: a receiving system keeps both.
    store.delete_all().expect("delete all");
    let later =
        NewWalk::new(utc("2026-11-22T09:00:00Z"), "Europe/Berlin", 600, 800, now).expect("walk");
    store.log_walk(&later).expect("log");
    // Logged twice, as a build before overlaps were refused let it be: both
    // count in the day, JSON and CSV list both, and FHIR names the first.
    store.log_walk(&later).expect("logged again");
    let doc =
        ExportDocument::read(&store, date("2026-11-22"), date("2026-11-22"), now).expect("export");
    assert_eq!(doc.walks[0].id, 1, "the row id is reused");
    assert_eq!(doc.walks.len(), 2);
    let after: serde_json::Value =
        serde_json::from_str(&to_fhir_bundle(&doc).expect("fhir")).expect("parse");
    let walk_urls = |bundle: &serde_json::Value| -> Vec<serde_json::Value> {
        bundle["entry"]
            .as_array()
            .expect("entries")
            .iter()
            .filter(|e| e["resource"]["code"]["coding"][0]["code"] == "55423-8")
            .map(|e| e["fullUrl"].clone())
            .collect()
    };
    let new_walk = walk_urls(&after);
    assert_eq!(new_walk.len(), 1);
    assert!(!walk_urls(&bundle).contains(&new_walk[0]), "{new_walk:?}");
    // A range with nothing measured: a bundle without entries (FHIR has
    // no empty arrays).
    let empty =
        ExportDocument::read(&store, date("2026-11-10"), date("2026-11-12"), now).expect("export");
    let empty: serde_json::Value =
        serde_json::from_str(&to_fhir_bundle(&empty).expect("fhir")).expect("parse");
    assert_eq!(empty["resourceType"], "Bundle");
    assert!(empty.get("entry").is_none(), "{empty}");
    // Today's count, exported at noon, is not final: it still grows.
    let today = &after["entry"][0]["resource"];
    assert_eq!(today["code"]["coding"][0]["code"], "41950-7");
    assert_eq!(today["valueQuantity"]["value"], 1600, "both walks' minutes");
    assert_eq!(today["status"], "preliminary");
}

#[test]
fn a_sync_with_the_phone_clock_an_hour_fast_stores_its_records_at_their_true_time() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store_in(&dir);
    let serial = "SH-CLOCK-0001";
    let start = utc("2026-11-21T08:00:00Z");
    let hour = vec![(10u16, 0u16, Posture::Standing); 60];
    // Three connects an hour apart; at the third the phone's clock was set
    // an hour fast by hand.
    for (sync, phone_off) in [(0u32, 0i64), (1, 0), (2, 3_600_000)] {
        let first_seq = 1 + 60 * sync;
        let mut commit = minutes_commit(
            serial,
            start + Duration::hours(sync.into()),
            first_seq,
            &hour,
        );
        let connect_ticks_ms = u64::from(60 * (first_seq + 60)) * 1000;
        commit.anchors = vec![ClockAnchor {
            epoch: 1,
            ticks_ms: connect_ticks_ms,
            utc_ms: start.timestamp_millis() + connect_ticks_ms as i64 - 60_000 + phone_off,
        }];
        commit_sensor_sync(&mut store, &commit, 0).expect("sync");
    }
    let records = store.sensor_records(serial).expect("records");
    for stored in records.iter().filter(|r| r.record.seq > 60) {
        // Record k covers the minute from start + (k − 1) minutes.
        let truth = start + Duration::minutes(i64::from(stored.record.seq) - 1);
        let at = stored.utc_ms.expect("placed");
        assert!(
            (at - truth.timestamp_millis()).abs() <= 2_000,
            "record {} at {} ms from its time",
            stored.record.seq,
            at - truth.timestamp_millis()
        );
    }
}

/// 500 minutes sitting recorded by sensor `serial` and a 300 mL drink, on
/// 21 November.
fn sit_with_a_sensor_and_drink(store: &mut Store, serial: &str) {
    let sitting = vec![(0u16, 0u16, Posture::Sitting); 500];
    commit_sensor_sync(
        store,
        &minutes_commit(serial, utc("2026-11-21T08:00:00Z"), 1, &sitting),
        0,
    )
    .expect("sync");
    store
        .log_drink(&drink(300, utc("2026-11-21T09:00:00Z")))
        .expect("drink");
}

#[test]
fn a_backup_holds_nothing_the_user_deleted_before_it() {
    let dir = tempfile::tempdir().expect("dir");
    let marker = "SH-FORGOTTEN-4242";
    let mut store = store_in(&dir);
    sit_with_a_sensor_and_drink(&mut store, marker);
    forget_sensor(&mut store, marker).expect("forgotten");
    // A folder in the way of the backup's working copy: said of the file.
    let blocked = dir.path().join("blocked.sqlite3");
    std::fs::create_dir(dir.path().join("blocked.sqlite3.partial")).expect("folder");
    let refused = store.backup_to(&blocked).expect_err("cannot write there");
    assert!(
        matches!(&refused, Error::File { path, .. } if *path == blocked),
        "the file chosen, not the app's working copy: {refused:?}"
    );
    let backup = dir.path().join("backup.sqlite3");
    store.backup_to(&backup).expect("backup");
    let bytes = std::fs::read(&backup).expect("read");
    assert!(
        !bytes.windows(marker.len()).any(|w| w == marker.as_bytes()),
        "the forgotten sensor's serial is in the backup"
    );
    // What was kept is there, and the backup restores.
    let mut restored = Store::open(dir.path().join("restored.db")).expect("open");
    restored
        .restore_from(&backup, second_heart_core::store::ReplaceData::Confirmed)
        .expect("restores");
    let day = restored
        .daily_summary(date("2026-11-21"), utc("2026-11-22T00:00:00Z"))
        .expect("day");
    assert_eq!(day.hydration_ml, 300);
}

#[test]
fn delete_all_leaves_nothing_behind_in_the_file() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("sh.db");
    let marker = "SH-MARKER-4242";
    {
        let mut store = Store::open(&path).expect("open");
        sit_with_a_sensor_and_drink(&mut store, marker);
        store.delete_all().expect("delete all");
        let day = store
            .daily_summary(date("2026-11-21"), utc("2026-11-22T00:00:00Z"))
            .expect("day");
        assert_eq!((day.sitting_minutes, day.hydration_ml), (0, 0));
        assert!(store.sensor_summary(marker).expect("summary").is_none());
    }
    for entry in std::fs::read_dir(dir.path()).expect("dir") {
        let bytes = std::fs::read(entry.expect("entry").path()).expect("read");
        assert!(
            !bytes.windows(marker.len()).any(|w| w == marker.as_bytes()),
            "the serial is still in the file"
        );
    }
}

#[test]
fn a_session_across_midnight_counts_on_both_days_each_its_own_share() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = store_in(&dir);
    store
        .note_time_zone(BERLIN, utc("2026-11-01T00:00:00Z"))
        .expect("zone");
    let later = utc("2026-11-24T12:00:00Z");
    // 23:30–00:30 in Berlin, 6,000 steps: half on each day.
    let start = utc("2026-11-20T22:30:00Z");
    start_session(&mut store, SessionKind::Walk, None, None, BERLIN, start).expect("start");
    record_session_event(
        &mut store,
        SessionEvent::Steps { count: 6000 },
        start + Duration::hours(1),
    )
    .expect("steps");
    record_session_event(&mut store, SessionEvent::Finish, start + Duration::hours(1))
        .expect("finish");
    let before = store
        .daily_summary(date("2026-11-20"), later)
        .expect("20th");
    let after = store
        .daily_summary(date("2026-11-21"), later)
        .expect("21st");
    assert_eq!((before.steps, after.steps), (3000, 3000));
    assert_eq!((before.walking_minutes, after.walking_minutes), (30, 30));
    assert!(before.pumped_litres > 0.0 && after.pumped_litres > 0.0);
    // The 21st's sessions include the walk begun the evening before.
    let doc = ExportDocument::read(&store, date("2026-11-21"), date("2026-11-21"), later)
        .expect("export");
    assert_eq!(doc.sessions.len(), 1);
    assert_eq!(doc.sessions[0].kind, SessionKind::Walk);

    // A set from 23:59 to 00:01:30: one set, on the day holding most of it.
    // The 22nd is read (and cached) first: finishing the set refreshes it.
    assert_eq!(
        store
            .daily_summary(date("2026-11-22"), later)
            .expect("22nd")
            .calf_raise_sets,
        0
    );
    let set_start = utc("2026-11-21T22:59:00Z");
    start_session(
        &mut store,
        SessionKind::CalfRaises,
        None,
        None,
        BERLIN,
        set_start,
    )
    .expect("set");
    for rep in 1..=20 {
        record_session_event(
            &mut store,
            SessionEvent::Rep { hold_s: Some(1.2) },
            set_start + Duration::seconds(7 * rep),
        )
        .expect("rep");
    }
    record_session_event(
        &mut store,
        SessionEvent::Finish,
        set_start + Duration::seconds(150),
    )
    .expect("finish set");
    let sets = |day: &str| {
        store
            .daily_summary(date(day), later)
            .expect("day")
            .calf_raise_sets
    };
    assert_eq!((sets("2026-11-21"), sets("2026-11-22")), (0, 1));
}
