//! core::app end to end: a day lived through the use-case API on a database
//! file, each step at its own moment (a `FixedClock`, as a front end hands
//! one in), and what the Today screen, history, the minute series and the
//! reminder schedule make of it.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use second_heart_core::Error;
use second_heart_core::app::{
    FixedClock, FlightDetails, ProfileChanges, RingKind, SecondHeart, Sessions, SetTargets,
    TodayListener, TodayView, commit_sensor_sync,
};
use second_heart_core::daily::Grouping;
use second_heart_core::flight::{RiskCategory, RiskFactors, Seat};
use second_heart_core::reminder::{Level, ReminderResponse};
use second_heart_core::session::{SessionEvent, SessionKind, SessionState};

/// 2026-11-21 at `hh:mm` in Berlin.
fn berlin(hh: u32, mm: u32) -> DateTime<Utc> {
    Berlin
        .with_ymd_and_hms(2026, 11, 21, hh, mm, 0)
        .single()
        .expect("a Berlin time")
        .to_utc()
}

/// Second Heart on the database at `db`, with the clock at `at` in Berlin.
fn at(db: &Path, at: DateTime<Utc>) -> SecondHeart {
    SecondHeart::open(db, Arc::new(FixedClock { at, zone: Berlin })).expect("opens")
}

fn date(text: &str) -> NaiveDate {
    text.parse().expect("date")
}

/// The day of the scenario: a walk at 08:00, stockings 07:30–17:30, a set of
/// calf raises at 09:00, two drinks.
fn live_the_day(db: &Path) {
    at(db, berlin(7, 30))
        .sessions()
        .compression_on(20)
        .expect("stockings on");
    at(db, berlin(8, 30))
        .sessions()
        .log_walk(berlin(8, 0), None, 30 * 60, 3_200)
        .expect("walk");
    at(db, berlin(9, 0))
        .sessions()
        .start_set(SessionKind::CalfRaises, SetTargets::default())
        .expect("set starts");
    let reps = at(db, berlin(9, 1)).sessions();
    for _ in 0..20 {
        reps.record(SessionEvent::Rep { hold_s: Some(1.2) })
            .expect("rep");
    }
    let finished = at(db, berlin(9, 2))
        .sessions()
        .record(SessionEvent::Finish)
        .expect("finish");
    assert_eq!(finished.outcome.map(|o| o.target_met), Some(true));
    at(db, berlin(10, 0)).sessions().drink(250).expect("drink");
    at(db, berlin(14, 0)).sessions().drink(250).expect("drink");
    at(db, berlin(17, 30))
        .sessions()
        .compression_off()
        .expect("stockings off");
}

fn ring(view: &TodayView, kind: RingKind) -> (f64, f64, bool) {
    let ring = view.ring(kind).expect("ring");
    (ring.value, ring.goal, ring.met)
}

#[test]
fn a_ring_whose_goal_is_zero_stays_empty_until_the_day_records_something() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("app.db");
    let app = at(&db, berlin(7, 0));
    app.profile()
        .update(&ProfileChanges {
            steps_goal: Some(0),
            ..ProfileChanges::default()
        })
        .expect("no steps goal");
    let view = app.today().view().expect("today");
    let steps = view.ring(RingKind::Steps).expect("steps");
    assert!(!steps.met);
    assert_eq!(steps.fraction, 0.0, "an empty day's ring is not drawn full");
    assert!(
        !view.summary.goals.breaks,
        "no sitting recorded is no break kept"
    );
}

#[test]
fn stockings_worn_in_stretches_that_overlap_count_each_minute_once() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("app.db");
    at(&db, berlin(7, 0))
        .sessions()
        .compression_on(20)
        .expect("on");
    at(&db, berlin(12, 0))
        .sessions()
        .compression_off()
        .expect("off");
    // The phone's clock set back four hours: on again at "08:00", off at
    // "13:00", over the first stretch.
    at(&db, berlin(8, 0))
        .sessions()
        .compression_on(20)
        .expect("on again");
    at(&db, berlin(13, 0))
        .sessions()
        .compression_off()
        .expect("off again");
    let view = at(&db, berlin(18, 0)).today().view().expect("today");
    assert_eq!(view.summary.compression_minutes, 6 * 60, "07:00 to 13:00");
}

#[test]
fn todays_rings_add_up_the_walk_the_set_the_drinks_and_the_stockings() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("app.db");
    live_the_day(&db);

    let view = at(&db, berlin(18, 0)).today().view().expect("today");
    assert_eq!(view.date, date("2026-11-21"));
    assert_eq!(view.time_zones, ["Europe/Berlin"]);
    assert_eq!(ring(&view, RingKind::Steps), (3_200.0, 7_000.0, false));
    assert_eq!(ring(&view, RingKind::ActiveMinutes), (30.0, 30.0, true));
    assert_eq!(ring(&view, RingKind::ExerciseSets), (1.0, 3.0, false));
    assert_eq!(ring(&view, RingKind::Hydration), (500.0, 2_000.0, false));
    let (pumped, _, _) = ring(&view, RingKind::PumpedLitres);
    assert!(pumped > 1.0, "the walk and the set pumped: {pumped} L");
    let steps = view.ring(RingKind::Steps).expect("steps");
    assert!((steps.fraction - 3_200.0 / 7_000.0).abs() < 1e-9);
    assert_eq!(view.summary.compression_minutes, 600);
    assert_eq!(view.compression, None, "off since 17:30");
    assert_eq!(view.session, None);
    // Still since the set finished at 09:02.
    assert_eq!(view.sitting.current_stretch_min, Some(538));
    assert!(view.next_break.is_some());

    // Seen at noon, the stretch was three hours long.
    let noon = at(&db, berlin(12, 0)).today().view().expect("noon");
    assert_eq!(noon.sitting.current_stretch_min, Some(178));
    // Overdue: the reminders' interval (45 min by default) is long past.
    assert_eq!(noon.sitting.break_after_min, Some(45));
    // With reminders off no break is due, however long the stretch.
    let off = at(&db, berlin(12, 0));
    off.profile()
        .update(&ProfileChanges {
            reminders_enabled: Some(false),
            ..ProfileChanges::default()
        })
        .expect("reminders off");
    let unreminded = off.today().view().expect("noon");
    assert_eq!(unreminded.sitting.current_stretch_min, Some(178));
    assert_eq!(unreminded.sitting.break_after_min, None);
    off.profile()
        .update(&ProfileChanges {
            reminders_enabled: Some(true),
            ..ProfileChanges::default()
        })
        .expect("reminders on");

    // The next morning at 07:05, nothing done since yesterday's set: five
    // minutes since the quiet hours ended (07:00), not the night.
    let morning = at(&db, berlin(7, 5) + chrono::Duration::days(1))
        .today()
        .view()
        .expect("morning");
    assert_eq!(morning.sitting.current_stretch_min, Some(5));
    // At 06:30, in the quiet hours: no stretch at all (not the night's).
    let dawn = at(&db, berlin(6, 30) + chrono::Duration::days(1))
        .today()
        .view()
        .expect("dawn");
    assert_eq!(dawn.sitting.current_stretch_min, None);

    // Another day drawn the same way holds nothing live.
    let next_day = at(&db, berlin(18, 0))
        .today()
        .on(date("2026-11-22"))
        .expect("a day");
    assert_eq!(ring(&next_day, RingKind::Steps).0, 0.0);
    assert_eq!(next_day.next_break, None);
    assert_eq!(next_day.sitting.current_stretch_min, None);
}

#[test]
fn stockings_left_on_overnight_are_asked_about_and_come_off_when_told() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("app.db");
    at(&db, berlin(8, 0))
        .sessions()
        .compression_on(18)
        .expect("stockings on");
    let same_day = at(&db, berlin(23, 0)).today().view().expect("today");
    assert_eq!(same_day.compression_since_earlier_day, None);
    // The next morning they still show on, worn all night as far as the
    // app knows: Today says since which day.
    let morning = berlin(8, 0) + chrono::Duration::days(1);
    let app = at(&db, morning);
    let view = app.today().view().expect("today");
    assert_eq!(view.summary.compression_minutes, 8 * 60);
    assert_eq!(view.compression_since_earlier_day, Some(date("2026-11-21")));
    // A time later than now, or before they went on, is refused; nothing changes.
    let later = app
        .sessions()
        .compression_off_at(morning + chrono::Duration::minutes(1))
        .expect_err("later than now");
    assert!(
        matches!(&later, Error::InvalidInput { .. })
            && later.to_string().contains("later than now"),
        "{later}"
    );
    let before = app
        .sessions()
        .compression_off_at(berlin(7, 0))
        .expect_err("before they went on");
    assert!(
        before
            .to_string()
            .contains("after they went on, at 08:00 on Sat 21 Nov 2026"),
        "{before}"
    );
    assert!(app.sessions().compression_worn().expect("worn").is_some());
    // "They came off at 22:30": yesterday counts 14 h 30 min, today none.
    let off = app
        .sessions()
        .compression_off_at(berlin(22, 30))
        .expect("off when told");
    assert_eq!(off.off, Some(berlin(22, 30)));
    let view = app.today().view().expect("today");
    assert_eq!(view.compression, None);
    assert_eq!(view.compression_since_earlier_day, None);
    assert_eq!(view.summary.compression_minutes, 0);
    let yesterday = app.today().on(date("2026-11-21")).expect("yesterday");
    assert_eq!(yesterday.summary.compression_minutes, 14 * 60 + 30);
    let again = app
        .sessions()
        .compression_off_at(berlin(22, 30))
        .expect_err("none on");
    assert!(matches!(again, Error::Conflict(_)), "{again}");
}

#[test]
fn a_running_session_and_stockings_worn_show_on_today() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("app.db");
    at(&db, berlin(8, 0))
        .sessions()
        .compression_on(20)
        .expect("stockings on");
    at(&db, berlin(9, 0))
        .sessions()
        .start_walk()
        .expect("walk starts");
    let app = at(&db, berlin(9, 10));
    let view = app.today().view().expect("today");
    let session = view.session.expect("the walk shows");
    assert_eq!(session.kind, SessionKind::Walk);
    assert_eq!(session.active_seconds, 600.0);
    assert_eq!(view.compression.map(|w| w.mmhg), Some(20));
    // No reminder while a session runs: the first waits for the moment it
    // would end by itself, its Finish forgotten (a walk that counted
    // nothing, three hours after it started), and an interval more.
    let first = view.next_break.expect("the reminder after the walk");
    assert_eq!((first.due_at, first.level), (berlin(12, 45), Level::Gentle));
    let upcoming = app.reminders().upcoming(10).expect("upcoming");
    assert_eq!(upcoming.first(), Some(&first));
    assert!(upcoming.iter().all(|r| r.due_at >= berlin(12, 45)));
    // A step counted moves it: half an hour after the last change.
    at(&db, berlin(9, 20))
        .sessions()
        .record(SessionEvent::Steps { count: 1_000 })
        .expect("steps");
    let next = at(&db, berlin(9, 21)).reminders().next().expect("next");
    assert_eq!(next.map(|r| r.due_at), Some(berlin(10, 35)));
    // Counts half a minute apart (a sensor's come every second) leave it
    // where it was: the forecast moves in whole five minutes, and with it
    // the phone's alarms.
    let due_after_steps_at = |seconds| {
        let when = berlin(9, 21) + chrono::Duration::seconds(seconds);
        let app = at(&db, when);
        app.sessions()
            .record(SessionEvent::Steps { count: 50 })
            .expect("steps");
        app.reminders().next().expect("next").map(|r| r.due_at)
    };
    assert_eq!(due_after_steps_at(10), Some(berlin(10, 40)));
    assert_eq!(due_after_steps_at(40), Some(berlin(10, 40)));
}

#[test]
fn a_new_install_is_reminded_an_interval_after_it_first_ran() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("sh.db");
    // First run at 10:00 with nothing recorded: the first reminder comes
    // at 10:45, and stays there as the minutes pass (it had moved on with
    // the clock, always 45 minutes ahead, and never came).
    let first = at(&db, berlin(10, 0)).reminders().next().expect("next");
    assert_eq!(first.map(|r| r.due_at), Some(berlin(10, 45)));
    let later = at(&db, berlin(10, 30)).reminders().next().expect("next");
    assert_eq!(later.map(|r| r.due_at), Some(berlin(10, 45)));
    // The phone's alarm at 10:45 finds it due, and it is shown.
    let shown = at(&db, berlin(10, 45)).reminders().shown().expect("shown");
    let shown = shown.expect("due at the alarm");
    assert_eq!(shown.level, Level::Gentle);
    // Its follow-up comes as for anyone who sat on.
    let next = at(&db, berlin(10, 46)).reminders().next().expect("next");
    assert!(next.is_some_and(|r| r.level == Level::Nudge && r.due_at > berlin(10, 46)));
}

#[test]
fn a_walk_that_has_ended_by_itself_is_saved_by_a_late_count_and_by_a_walk_logged_by_hand() {
    // A walk of 2,000 steps from 09:00, left running.
    fn left_running(db: &Path) {
        at(db, berlin(9, 0)).sessions().start_walk().expect("walk");
        at(db, berlin(9, 20))
            .sessions()
            .record(SessionEvent::Steps { count: 2_000 })
            .expect("steps");
    }
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("sh.db");
    left_running(&db);
    // Its Finish forgotten, it ended by itself by 09:50: at 11:00 it says
    // so, and its stopwatch stopped at that end (not 2 hours on).
    let app = at(&db, berlin(11, 0));
    let left = app
        .sessions()
        .status()
        .expect("status")
        .expect("still open");
    assert!(
        left.progress.ended_by_itself,
        "the apps take Start for no second tap"
    );
    // Before any tap, the screen is told in words (the core's feedback).
    let words: Vec<String> = left.progress.feedback.iter().map(|f| f.message()).collect();
    assert_eq!(
        words,
        ["This walk ended by itself a while after its last step: Finish saves it as it was then"]
    );
    assert!(
        left.progress.active_seconds <= 50.0 * 60.0,
        "{}",
        left.progress.active_seconds
    );
    // What comes next saves it at its end (a locked phone's late count at
    // a walking pace would have been the walk's; this one is not).
    let saved = app
        .sessions()
        .record(SessionEvent::Steps { count: 10 })
        .expect("a late count");
    assert_eq!(saved.progress.state, SessionState::Finished);
    let walks = app.sessions().walks_on(date("2026-11-21")).expect("walks");
    assert_eq!(walks.len(), 1);
    assert!(!walks[0].by_hand, "walked with the app");
    assert!(
        walks[0].end() <= berlin(9, 50),
        "saved at its end: {:?}",
        walks[0].end()
    );

    // Left running again (another phone): a walk logged by hand for the
    // evening saves it first and is no overlap (it had been refused: "the
    // app has been recording a walk since 09:00").
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("sh.db");
    left_running(&db);
    let app = at(&db, berlin(18, 0));
    app.sessions()
        .log_walk(berlin(17, 0), None, 1_800, 3_000)
        .expect("the evening's walk is logged");
    assert_eq!(
        app.sessions().status().expect("status"),
        None,
        "the morning's saved"
    );
    // One logged over the morning's walk still overlaps it.
    assert!(matches!(
        app.sessions().log_walk(berlin(9, 10), None, 600, 1_000),
        Err(second_heart_core::Error::Conflict(_))
    ));
    assert_eq!(app.today().view().expect("today").summary.steps, 5_000);
}

#[test]
fn a_walk_left_running_is_saved_when_the_next_one_starts() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("sh.db");
    at(&db, berlin(9, 0))
        .sessions()
        .start_walk()
        .expect("first walk");
    at(&db, berlin(9, 20))
        .sessions()
        .record(SessionEvent::Steps { count: 2_000 })
        .expect("steps");
    // Its Finish forgotten, it ended by itself by 09:50. At noon the next
    // walk starts (it had been refused: "a walk session is already
    // active"), and the first counts in the day.
    let app = at(&db, berlin(12, 0));
    let second = app.sessions().start_walk().expect("the next walk starts");
    assert_eq!(second.session.started, berlin(12, 0));
    let today = app.today().view().expect("today");
    assert_eq!(today.summary.steps, 2_000);
    assert_eq!(
        app.sessions()
            .walks_on(date("2026-11-21"))
            .expect("walks")
            .len(),
        1
    );
    // A paused walk waits for the user: it is still in the way.
    app.sessions().record(SessionEvent::Pause).expect("paused");
    let later = at(&db, berlin(18, 0));
    assert!(matches!(
        later.sessions().start_walk(),
        Err(second_heart_core::Error::Conflict(_))
    ));
}

#[test]
fn a_new_install_in_utc_is_reminded_an_interval_after_it_first_ran_too() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("sh.db");
    let in_utc = |at| {
        SecondHeart::open(
            &db,
            Arc::new(FixedClock {
                at,
                zone: chrono_tz::UTC,
            }),
        )
    };
    let first_run = berlin(10, 0);
    let first = in_utc(first_run)
        .expect("open")
        .reminders()
        .next()
        .expect("next");
    assert_eq!(
        first.map(|r| r.due_at),
        Some(first_run + chrono::Duration::minutes(45))
    );
}

#[test]
fn an_answer_after_done_does_not_take_the_done_back() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("sh.db");
    at(&db, berlin(9, 0)).reminders().next().expect("first run");
    let shown = at(&db, berlin(9, 45)).reminders().shown().expect("shown");
    assert!(shown.is_some());
    // Done at 09:50: the next one 45 minutes after that.
    let after_done = at(&db, berlin(9, 50))
        .reminders()
        .respond(ReminderResponse::Done)
        .expect("done")
        .map(|r| (r.due_at, r.level));
    assert_eq!(after_done, Some((berlin(10, 35), Level::Gentle)));
    // A stale copy of the notification snoozed at 10:00 (a watch's, or
    // one left in the notification centre) leaves the Done standing.
    let after_stale = at(&db, berlin(10, 0))
        .reminders()
        .respond(ReminderResponse::Snoozed)
        .expect("snoozed")
        .map(|r| (r.due_at, r.level));
    assert_eq!(after_stale, Some((berlin(10, 35), Level::Gentle)));
    // A later Done moves it on.
    let again = at(&db, berlin(10, 20))
        .reminders()
        .respond(ReminderResponse::Done)
        .expect("done again")
        .map(|r| r.due_at);
    assert_eq!(again, Some(berlin(11, 5)));
    // A Snooze is still taken back by a Done.
    let shown = at(&db, berlin(11, 5)).reminders().shown().expect("shown");
    assert!(shown.is_some());
    at(&db, berlin(11, 6))
        .reminders()
        .respond(ReminderResponse::Snoozed)
        .expect("snoozed");
    let done = at(&db, berlin(11, 8))
        .reminders()
        .respond(ReminderResponse::Done)
        .expect("done")
        .map(|r| r.due_at);
    assert_eq!(done, Some(berlin(11, 53)));
}

#[test]
fn history_groups_the_days_weeks_and_months_ending_today() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("app.db");
    live_the_day(&db);
    let history = at(&db, berlin(18, 0)).history();

    let days = history.periods(Grouping::Day, 7).expect("days");
    assert_eq!(days.len(), 7);
    assert_eq!(days[0].first, date("2026-11-15"));
    let today = days.last().expect("today");
    assert_eq!((today.first, today.steps), (date("2026-11-21"), 3_200));
    assert_eq!(today.calf_raise_sets, 1);
    assert_eq!(today.hydration_ml, 500);
    assert!(days[..6].iter().all(|d| d.steps == 0));

    // Saturday the 21st is in ISO week 47, which began on Monday the 16th.
    let weeks = history.periods(Grouping::Week, 2).expect("weeks");
    assert_eq!(weeks.len(), 2);
    assert_eq!(weeks[1].first, date("2026-11-16"));
    assert_eq!(weeks[1].steps, 3_200);
    let months = history
        .periods_with_streaks(Grouping::Month, 3)
        .expect("months");
    assert_eq!(months.periods.len(), 3);
    assert_eq!(months.periods[2].first, date("2026-11-01"));
    assert_eq!(months.periods[2].steps, 3_200);
    assert_eq!(
        months.streaks.steps.current_days, 0,
        "3,200 is short of 7,000"
    );

    let refused = history.periods(Grouping::Day, 0).expect_err("no periods");
    assert!(matches!(refused, Error::InvalidInput { .. }), "{refused}");
    // Ten years at most, whichever way they are grouped.
    assert_eq!(
        history.periods(Grouping::Month, 120).expect("months").len(),
        120
    );
    assert_eq!(
        history.periods(Grouping::Week, 520).expect("weeks").len(),
        520
    );
    let refused = history.periods(Grouping::Month, 121).expect_err("too many");
    assert!(refused.to_string().contains("1–120 months"), "{refused}");
}

#[test]
fn a_days_minute_series_has_every_minute_of_the_local_day() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("app.db");
    live_the_day(&db);
    let history = at(&db, berlin(18, 0)).history();

    let series = history.day_minutes(date("2026-11-21")).expect("series");
    assert_eq!(series.len(), 1_440);
    assert_eq!(series[0].minute, berlin(0, 0));
    assert!(
        series
            .windows(2)
            .all(|w| (w[1].minute - w[0].minute).num_seconds() == 60)
    );
    let walked: u32 = series
        .iter()
        .filter(|m| m.minute >= berlin(8, 0) && m.minute < berlin(8, 30))
        .map(|m| m.steps)
        .sum();
    assert_eq!(walked, 3_200);
    assert_eq!(series.iter().map(|m| m.steps).sum::<u32>(), 3_200);

    // Hour by hour, as the day's charts draw it: the walk in the 08:00 hour.
    let hours = history.day_by_hour(date("2026-11-21")).expect("hours");
    assert_eq!(hours.len(), 24);
    assert_eq!(
        hours.iter().map(|h| h.local_hour).collect::<Vec<_>>(),
        (0..24).collect::<Vec<u8>>()
    );
    assert_eq!(hours[8].start, berlin(8, 0));
    assert_eq!(hours[8].steps, 3_200);
    assert_eq!(hours.iter().map(|h| h.steps).sum::<u32>(), 3_200);
    let contractions: u32 = series.iter().map(|m| m.contractions).sum();
    assert_eq!(
        hours.iter().map(|h| h.contractions).sum::<u32>(),
        contractions
    );
    assert!(contractions > 0, "the set's raises are in the series");

    // The clocks go forward on 29 March and back on 25 October.
    assert_eq!(
        history
            .day_minutes(date("2026-03-29"))
            .expect("spring")
            .len(),
        1_380
    );
    let spring = history.day_by_hour(date("2026-03-29")).expect("spring");
    assert_eq!(spring.len(), 23);
    assert_eq!(spring[2].local_hour, 3, "02:00 does not exist that night");
    let autumn = history.day_by_hour(date("2026-10-25")).expect("autumn");
    assert_eq!(
        autumn
            .iter()
            .map(|h| h.local_hour)
            .take(5)
            .collect::<Vec<_>>(),
        [0, 1, 2, 2, 3],
        "02:00 comes twice"
    );
    assert_eq!(
        history
            .day_minutes(date("2026-10-25"))
            .expect("autumn")
            .len(),
        1_500
    );
}

#[test]
fn the_upcoming_reminders_are_the_next_one_and_its_follow_ups_then_silence_until_the_morning() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("app.db");
    live_the_day(&db);
    let upcoming = at(&db, berlin(9, 10))
        .reminders()
        .upcoming(4)
        .expect("upcoming");
    // 45 minutes after the set ended at 09:02, then two follow-ups 15
    // minutes apart, and no more until the user moves, or until the next
    // morning, which starts gently 45 minutes after the quiet hours.
    let due: Vec<_> = upcoming.iter().map(|r| r.due_at).collect();
    let next_morning = berlin(7, 45) + chrono::Duration::days(1);
    assert_eq!(
        due,
        [berlin(9, 47), berlin(10, 2), berlin(10, 17), next_morning]
    );
    let levels: Vec<_> = upcoming.iter().map(|r| r.level).collect();
    assert_eq!(
        levels,
        [Level::Gentle, Level::Nudge, Level::Firm, Level::Gentle]
    );
    assert_eq!(
        at(&db, berlin(9, 10))
            .reminders()
            .upcoming(2)
            .expect("two")
            .len(),
        2
    );
    // The schedule is a forecast: nothing was recorded as shown.
    let next = at(&db, berlin(9, 10)).reminders().next().expect("next");
    assert_eq!(next.map(|r| r.due_at), Some(berlin(9, 47)));
}

#[test]
fn reminders_the_phone_delivered_while_the_app_slept_count_as_shown_and_the_series_goes_on_from_them()
 {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("app.db");
    live_the_day(&db);
    // iOS showed the gentle one at 09:47 and the nudge at 10:02 with the
    // app asleep; it wakes at 10:10. (A notification for later is not one
    // delivered; one delivered twice counts once.)
    let app = at(&db, berlin(10, 10));
    let recorded = app
        .reminders()
        .delivered(&[berlin(10, 2), berlin(9, 47), berlin(10, 2), berlin(10, 40)])
        .expect("recorded");
    assert_eq!(recorded, 2);
    let next = app.reminders().next().expect("next").expect("one more");
    assert_eq!(
        (next.due_at, next.level),
        (berlin(10, 17), Level::Firm),
        "the firm last one, not a new series"
    );
    // Told again (the app woke twice): nothing more is recorded.
    assert_eq!(
        app.reminders()
            .delivered(&[berlin(9, 47), berlin(10, 2)])
            .expect("again"),
        0
    );
    // One delivered at a time when none was due (before 09:47) records nothing.
    assert_eq!(
        app.reminders().delivered(&[berlin(9, 30)]).expect("early"),
        0
    );
    // The firm one shown in the foreground at 10:17, its notification
    // dated a moment before: told later, it is not recorded twice.
    let woke = at(&db, berlin(10, 17));
    assert!(woke.reminders().shown().expect("shown").is_some());
    let dated = berlin(10, 17) - chrono::Duration::milliseconds(300);
    assert_eq!(woke.reminders().delivered(&[dated]).expect("told"), 0);
}

#[test]
fn a_paused_walk_counts_as_moving_and_a_forgotten_one_stops_holding_reminders_back() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("app.db");
    live_the_day(&db);
    // Sitting since the set ended at 09:02; a walk from 10:00, paused at 10:30.
    at(&db, berlin(10, 0))
        .sessions()
        .start_walk()
        .expect("walk starts");
    at(&db, berlin(10, 20))
        .sessions()
        .record(SessionEvent::Steps { count: 2_000 })
        .expect("steps");
    at(&db, berlin(10, 30))
        .sessions()
        .record(SessionEvent::Pause)
        .expect("paused");
    // Not "still sitting?" at once: 45 minutes after the pause, gently.
    let next = at(&db, berlin(10, 31))
        .reminders()
        .next()
        .expect("next")
        .expect("a reminder");
    assert_eq!((next.due_at, next.level), (berlin(11, 15), Level::Gentle));

    // Resumed at 10:40 and never finished: its last step at 10:50 ends it
    // by itself at 11:20, and from then on reminders come again.
    at(&db, berlin(10, 40))
        .sessions()
        .record(SessionEvent::Resume)
        .expect("resumed");
    at(&db, berlin(10, 50))
        .sessions()
        .record(SessionEvent::Steps { count: 500 })
        .expect("steps");
    // While it runs, the phone has the first reminder after that end
    // scheduled, counted from it as the store will hold it once closed.
    let next = at(&db, berlin(11, 0))
        .reminders()
        .next()
        .expect("next")
        .expect("the reminder once the walk has ended by itself");
    assert_eq!((next.due_at, next.level), (berlin(12, 5), Level::Gentle));
    // Past that end with nothing yet come to close the walk: the same.
    let next = at(&db, berlin(11, 30)).reminders().next().expect("next");
    assert_eq!(next.map(|r| r.due_at), Some(berlin(12, 5)));
    let next = at(&db, berlin(13, 0))
        .reminders()
        .next()
        .expect("next")
        .expect("a reminder once the walk has ended by itself");
    assert_eq!(next.due_at, berlin(13, 0), "overdue since 12:05: due now");
}

#[test]
fn a_snooze_of_the_morning_s_first_reminder_is_its_own_not_last_night_s() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("app.db");
    live_the_day(&db);
    // The morning's three, the last (firm) one left unanswered.
    for (hh, mm) in [(9, 47), (10, 2), (10, 17)] {
        at(&db, berlin(hh, mm))
            .reminders()
            .shown()
            .expect("shown")
            .expect("due");
    }
    // The next morning's first came while the app slept (as iOS delivers
    // it) and the user snoozed it at 07:46.
    let tomorrow = |hh, mm| berlin(hh, mm) + chrono::Duration::days(1);
    let next = at(&db, tomorrow(7, 46))
        .reminders()
        .respond(ReminderResponse::Snoozed)
        .expect("respond")
        .expect("the next");
    assert_eq!(
        (next.due_at, next.level),
        (tomorrow(7, 56), Level::Nudge),
        "back after the 10-minute snooze"
    );
}

#[test]
fn a_reminder_is_shown_only_when_due_and_done_counts_as_moving() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("app.db");
    live_the_day(&db);
    // The set ended at 09:02: the reminder is due at 09:47. An old
    // notification tapped at 09:20 is not that reminder.
    assert_eq!(
        at(&db, berlin(9, 20)).reminders().shown().expect("tap"),
        None
    );
    let next = at(&db, berlin(9, 20)).reminders().next().expect("next");
    assert_eq!(
        next.map(|r| (r.due_at, r.level)),
        Some((berlin(9, 47), Level::Gentle)),
        "nothing was recorded as shown"
    );
    // Delivered at 09:47 while the app slept (iOS), answered Done at 09:50
    // after ankle pumps no phone counts: the clock starts again then, and
    // the next reminder is a first one, not a follow-up.
    let next = at(&db, berlin(9, 50))
        .reminders()
        .respond(ReminderResponse::Done)
        .expect("done")
        .expect("next");
    assert_eq!((next.due_at, next.level), (berlin(10, 35), Level::Gentle));
    assert_eq!(next.still_minutes, Some(45));
}

#[test]
fn snoozing_answers_the_reminder_shown_even_when_its_follow_up_is_nearly_due() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("app.db");
    live_the_day(&db);
    // Shown at 09:47 (the phone told the core); its follow-up is due 10:02.
    let shown = at(&db, berlin(9, 47)).reminders().shown().expect("shown");
    assert_eq!(shown.map(|r| r.level), Some(Level::Gentle));
    // Snoozed at 10:01, inside the minute's grace of the follow-up.
    let next = at(&db, berlin(10, 1))
        .reminders()
        .respond(ReminderResponse::Snoozed)
        .expect("snoozed")
        .expect("next");
    assert_eq!(
        (next.due_at, next.level),
        (berlin(10, 11), Level::Nudge),
        "the reminder shown was snoozed; no follow-up was recorded in its place"
    );
    // That snooze answered it. The reminder after it comes at 10:11 while the
    // app sleeps (iOS) and is snoozed at 10:12: it is recorded and answered,
    // so the one after is the last, firm one.
    let next = at(&db, berlin(10, 12))
        .reminders()
        .respond(ReminderResponse::Snoozed)
        .expect("snoozed")
        .expect("next");
    assert_eq!((next.due_at, next.level), (berlin(10, 22), Level::Firm));
}

#[test]
fn a_flight_plan_is_checked_for_risk_and_not_saved() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("app.db");
    let app = at(&db, berlin(12, 0));
    let details = FlightDetails {
        departure: berlin(14, 0),
        departure_zone: "Europe/Berlin".into(),
        arrival: None,
        hours: Some(11.5),
        arrival_zone: "America/Los_Angeles".into(),
        seat: Seat::Window,
        move_every_min: 45,
        sleep: Some("23:00-06:00".into()),
        risk_factors: RiskFactors {
            previous_clot: true,
            ..RiskFactors::default()
        },
    };
    let plan = app.flights().plan(&details).expect("plan");
    assert_eq!(plan.risk.category, RiskCategory::SubstantiallyIncreased);
    assert!(!plan.risk.category.label().contains("Substantially"));
    assert!(plan.schedule.len() > 10);
    assert_eq!(app.flights().not_landed().expect("none"), None);

    let bad = FlightDetails {
        hours: Some(f64::NAN),
        ..details
    };
    let refused = app.flights().plan(&bad).expect_err("NaN hours");
    assert!(matches!(refused, Error::InvalidInput { .. }), "{refused}");
}

#[test]
fn a_flight_started_at_the_gate_stays_started_until_it_lands() {
    // Started two hours before take-off: the Flight screen and Today show
    // it from then on (a screen reloaded at the gate offered "Start" again
    // and dropped the plan), with its next item; landed, it is gone.
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("app.db");
    let details = FlightDetails {
        departure: berlin(14, 0),
        departure_zone: "Europe/Berlin".into(),
        arrival: None,
        hours: Some(11.5),
        arrival_zone: "America/Los_Angeles".into(),
        seat: Seat::Aisle,
        move_every_min: 60,
        sleep: None,
        risk_factors: RiskFactors::default(),
    };
    let started = at(&db, berlin(12, 0))
        .flights()
        .start(&details)
        .expect("started");
    let gate = at(&db, berlin(12, 5));
    assert_eq!(
        gate.flights().not_landed().expect("read"),
        Some(started.clone())
    );
    let next = gate.flights().next_item().expect("read").expect("an item");
    assert!(next.at >= berlin(12, 5), "{next:?}");
    assert_eq!(gate.today().view().expect("today").flight_next, Some(next));

    let landed = at(&db, started.request.arrival + chrono::Duration::minutes(1));
    assert_eq!(landed.flights().not_landed().expect("read"), None);
    assert_eq!(landed.flights().next_item().expect("read"), None);
}

/// A flight leaving Berlin at 14:00 on the 21st for `hours`, from an aisle
/// seat, prompting every 30 minutes.
fn flight_at_two_from_berlin(hours: f64, to: &str) -> FlightDetails {
    FlightDetails {
        departure: berlin(14, 0),
        departure_zone: "Europe/Berlin".into(),
        arrival: None,
        hours: Some(hours),
        arrival_zone: to.into(),
        seat: Seat::Aisle,
        move_every_min: 30,
        sleep: None,
        risk_factors: RiskFactors::default(),
    }
}

#[test]
fn today_s_break_is_due_when_the_reminder_comes_also_in_the_descent() {
    // A two-hour hop prompting every 30 minutes: a walk down the aisle
    // ends at 15:00, and 30 minutes on the plane is in its descent (from
    // 15:20), which prompts nothing; the reminder comes at the ground's
    // 45 minutes, not before landing at 16:00. Today's card waits for the
    // same 60 minutes (it said 30, and overdue from 15:30).
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("app.db");
    let details = flight_at_two_from_berlin(2.0, "Europe/London");
    at(&db, berlin(13, 0))
        .flights()
        .start(&details)
        .expect("started");
    let aboard = at(&db, berlin(15, 10));
    aboard
        .sessions()
        .log_walk(berlin(14, 50), None, 10 * 60, 600)
        .expect("an aisle walk");
    let view = aboard.today().view().expect("today");
    assert_eq!(view.sitting.current_stretch_min, Some(10));
    assert_eq!(view.sitting.break_after_min, Some(60));
    let reminder = view.next_break.expect("a reminder");
    assert_eq!(reminder.due_at, berlin(16, 0), "at landing");
}

#[test]
fn today_s_break_due_in_the_climb_waits_for_its_end_as_the_reminder_does() {
    // A walk to the gate ends at 13:30; the ground's 45 minutes end at
    // 14:15, in the climb after the 14:00 take-off: the reminder comes at
    // 14:30, when the climb ends, and Today's break with it.
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("app.db");
    let details = flight_at_two_from_berlin(6.0, "Asia/Dubai");
    let gate = at(&db, berlin(13, 35));
    gate.sessions()
        .log_walk(berlin(13, 10), None, 20 * 60, 2_000)
        .expect("a walk to the gate");
    gate.flights().start(&details).expect("started");
    let view = at(&db, berlin(14, 10)).today().view().expect("today");
    assert_eq!(view.sitting.current_stretch_min, Some(40));
    assert_eq!(view.sitting.break_after_min, Some(60));
    assert_eq!(view.next_break.expect("a reminder").due_at, berlin(14, 30));
}

/// Counts the Today views it hears about and keeps the last.
#[derive(Default)]
struct Recorder {
    calls: AtomicUsize,
    last: Mutex<Option<TodayView>>,
}

impl TodayListener for Recorder {
    fn today_changed(&self, today: TodayView) {
        self.calls.fetch_add(1, Ordering::SeqCst);
        *self.last.lock().expect("lock") = Some(today);
    }
}

#[test]
fn today_observers_hear_of_every_write_until_their_subscription_is_dropped() {
    let app = SecondHeart::open_in_memory(Arc::new(FixedClock {
        at: berlin(10, 0),
        zone: Berlin,
    }))
    .expect("opens");
    let recorder = Arc::new(Recorder::default());
    let subscription = app.observe_today(recorder.clone());
    let read = app.today().view().expect("a read");
    assert_eq!(recorder.calls.load(Ordering::SeqCst), 0, "reads are silent");

    app.sessions().drink(300).expect("drink");
    assert_eq!(recorder.calls.load(Ordering::SeqCst), 1);
    let heard = recorder.last.lock().expect("lock").clone().expect("a view");
    assert_eq!(ring(&heard, RingKind::Hydration).0, 300.0);
    // Numbered as computed: a screen that got the push first keeps it over
    // the read from before, whichever arrives last; a read after is newer.
    assert!(
        heard.number > read.number,
        "{} vs {}",
        heard.number,
        read.number
    );
    assert!(app.today().view().expect("a read").number > heard.number);
    // A clone shares the observers.
    app.clone().sessions().drink(200).expect("drink");
    assert_eq!(recorder.calls.load(Ordering::SeqCst), 2);

    drop(subscription);
    app.sessions().drink(100).expect("drink");
    assert_eq!(
        recorder.calls.load(Ordering::SeqCst),
        2,
        "no call after the drop"
    );
}

#[test]
fn a_walk_saved_on_its_way_to_a_refused_log_is_told_to_today_s_observers() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("sh.db");
    at(&db, berlin(9, 0)).sessions().start_walk().expect("walk");
    at(&db, berlin(9, 20))
        .sessions()
        .record(SessionEvent::Steps { count: 2_000 })
        .expect("steps");
    let app = at(&db, berlin(11, 0));
    let recorder = Arc::new(Recorder::default());
    let _subscription = app.observe_today(recorder.clone());
    // Logged over the walk left running: refused, but that walk, ended by
    // itself, was saved first.
    app.sessions()
        .log_walk(berlin(9, 5), None, 600, 1_000)
        .expect_err("overlaps the morning's walk");
    assert_eq!(app.sessions().status().expect("status"), None, "saved");
    let heard = recorder.last.lock().expect("lock").clone();
    assert_eq!(
        heard.map(|view| view.session.is_none()),
        Some(true),
        "Today heard the walk end"
    );
}

#[test]
fn deleting_everything_needs_the_users_confirmation() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("app.db");
    live_the_day(&db);
    let app = at(&db, berlin(18, 0));
    let refused = app.data().delete_all(false).expect_err("unconfirmed");
    assert!(
        matches!(refused, Error::ConfirmationNeeded(_)),
        "as an unconfirmed restore: {refused}"
    );
    assert_eq!(
        ring(&app.today().view().expect("kept"), RingKind::Steps).0,
        3_200.0
    );

    app.data().delete_all(true).expect("confirmed");
    let view = app.today().view().expect("empty");
    assert_eq!(ring(&view, RingKind::Steps).0, 0.0);
    assert_eq!(ring(&view, RingKind::Hydration).0, 0.0);
    assert_eq!(
        app.sessions().walks_on(date("2026-11-21")).expect("walks"),
        []
    );
}

#[test]
fn a_damaged_stored_profile_is_reported_as_unreadable_data_not_as_the_users_input() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("app.db");
    live_the_day(&db);
    // Something outside the app wrote half a profile into the file.
    let damaged = rusqlite::Connection::open(&db)
        .expect("raw")
        .execute(
            "INSERT OR REPLACE INTO profile (id, json) VALUES (1, '{\"height_cm\": ')",
            [],
        )
        .expect("damaged");
    assert_eq!(damaged, 1);
    let app = at(&db, berlin(18, 0));
    let error = app.profile().get().expect_err("unreadable");
    assert!(
        matches!(&error, Error::StoredDataUnreadable { what, .. } if *what == "profile"),
        "{error:?}"
    );
    assert!(error.to_string().contains("restore a backup"), "{error}");
}

#[test]
fn a_stored_zone_this_version_does_not_know_is_unreadable_data_not_the_users_input() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("app.db");
    live_the_day(&db);
    // A newer app (a newer zone database) or damage wrote a name this one
    // cannot read.
    rusqlite::Connection::open(&db)
        .expect("raw")
        .execute("UPDATE zone_change SET time_zone = 'Mars/Olympus'", [])
        .expect("damaged");
    let error = at(&db, berlin(18, 0))
        .today()
        .view()
        .expect_err("unreadable");
    assert!(
        matches!(&error, Error::StoredDataUnreadable { what, .. } if *what == "time zone"),
        "{error:?}"
    );
    assert!(error.to_string().contains("Mars/Olympus"), "{error}");
}

#[test]
fn a_step_file_with_a_day_after_today_is_refused_whole() {
    let dir = tempfile::tempdir().expect("dir");
    let app = at(&dir.path().join("app.db"), berlin(18, 0));
    let file = dir.path().join("pedometer.csv");
    // Today is 21 November in Berlin; the 22nd has not been walked yet.
    std::fs::write(&file, "2026-11-20,6000\n2026-11-22,100\n").expect("file");
    let refused = app
        .data()
        .import_steps_file(&file, None)
        .expect_err("future");
    assert!(
        matches!(&refused, Error::InvalidInput { field, reason } if *field == "step file" && reason.contains("line 2") && reason.contains("after today (2026-11-21)")),
        "{refused}"
    );
    let days = app
        .history()
        .days(date("2026-11-20"), date("2026-11-21"))
        .expect("days");
    assert_eq!(days.days[0].steps, 0, "nothing was imported");

    std::fs::write(&file, "2026-11-20,6000\n2026-11-21,100\n").expect("file");
    let imported = app
        .data()
        .import_steps_file(&file, None)
        .expect("today is fine");
    assert_eq!(imported.added, 2);
}

/// The steps of each walk logged on the local `day`, oldest first.
fn walk_steps(sessions: &Sessions, day: &str) -> Vec<u32> {
    sessions
        .walks_on(date(day))
        .expect("walks")
        .iter()
        .map(|w| w.steps)
        .collect()
}

#[test]
fn a_walk_that_overlaps_one_logged_is_refused_and_one_just_after_is_not() {
    let dir = tempfile::tempdir().expect("dir");
    let app = at(&dir.path().join("app.db"), berlin(18, 0));
    let sessions = app.sessions();
    let eight = berlin(8, 0);
    sessions
        .log_walk(eight, None, 30 * 60, 3200)
        .expect("the first");
    for (start, minutes) in [(eight, 30), (berlin(8, 20), 30), (berlin(7, 50), 15)] {
        let refused = sessions
            .log_walk(start, None, minutes * 60, 1000)
            .expect_err("overlaps");
        assert!(
            matches!(&refused, Error::Conflict(reason) if reason == "a walk from 08:00 to 08:30 on Sat 21 Nov 2026 (Europe/Berlin) is logged already and overlaps this one; nothing was logged"),
            "{refused}"
        );
    }
    sessions
        .log_walk(berlin(8, 30), None, 10 * 60, 1000)
        .expect("one that begins as the first ends");
    let steps = walk_steps(&sessions, "2026-11-21");
    assert_eq!(steps, [3200, 1000], "each walk once");
    let today = app.today().view().expect("today");
    assert_eq!(today.summary.steps, 4200, "the refused ones count nowhere");
}

#[test]
fn a_walk_logged_by_hand_over_the_walk_being_recorded_is_refused_and_the_recorded_one_counts_once()
{
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("app.db");
    at(&db, berlin(17, 0))
        .sessions()
        .start_walk()
        .expect("recording from 17:00");
    let app = at(&db, berlin(18, 0));
    let sessions = app.sessions();
    let refused = sessions
        .log_walk(berlin(17, 30), None, 20 * 60, 2000)
        .expect_err("overlaps the walk being recorded");
    assert!(
        matches!(&refused, Error::Conflict(reason) if reason == "the app has been recording a walk since 17:00 on Sat 21 Nov 2026 (Europe/Berlin), which this one overlaps; nothing was logged: finish or stop that walk first"),
        "{refused}"
    );
    sessions
        .log_walk(berlin(16, 0), None, 30 * 60, 3000)
        .expect("one that ended before the recording began");
    sessions
        .record(SessionEvent::Steps { count: 5000 })
        .expect("steps");
    sessions.record(SessionEvent::Finish).expect("finished");
    let steps = walk_steps(&sessions, "2026-11-21");
    assert_eq!(steps, [3000, 5000], "each walk once");
    assert_eq!(app.today().view().expect("today").summary.steps, 8000);
}

#[test]
fn a_walk_is_not_started_while_one_logged_by_hand_has_not_ended() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("app.db");
    let app = at(&db, berlin(18, 0));
    // Logged as ending three minutes from now (the core allows five).
    app.sessions()
        .log_walk(berlin(17, 33), None, 30 * 60, 3000)
        .expect("logged");
    let refused = app.sessions().start_walk().expect_err("overlaps");
    assert!(
        matches!(&refused, Error::Conflict(reason) if reason == "a walk logged by hand runs until 18:03 (Europe/Berlin); start this one once it has ended"),
        "{refused}"
    );
    // One that has not begun yet (18:04–18:05) is in the way too, once the first has ended.
    app.sessions()
        .log_walk(berlin(18, 4), None, 60, 100)
        .expect("logged");
    assert!(matches!(
        at(&db, berlin(18, 3)).sessions().start_walk(),
        Err(Error::Conflict(reason)) if reason.contains("until 18:05")
    ));
    at(&db, berlin(18, 5))
        .sessions()
        .start_walk()
        .expect("started as the last one ends");
}

#[test]
fn imported_steps_are_kept_as_from_the_file_the_user_picked() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("app.db");
    let app = at(&db, berlin(18, 0));
    // An app imports its temporary copy of what the user picked.
    let copy = dir.path().join("export-4711.tmp");
    std::fs::write(&copy, "date,steps\n2026-11-19,7000\n").expect("file");
    app.data()
        .import_steps_file(&copy, Some(" Pedometer export.csv "))
        .expect("imported");
    std::fs::write(&copy, "date,steps\n2026-11-20,6000\n").expect("file");
    app.data()
        .import_steps_file(&copy, Some(""))
        .expect("imported");
    let sources: Vec<String> = rusqlite::Connection::open(&db)
        .expect("db")
        .prepare("SELECT source FROM imported_steps ORDER BY local_day")
        .expect("query")
        .query_map([], |r| r.get(0))
        .expect("rows")
        .collect::<rusqlite::Result<_>>()
        .expect("read");
    assert_eq!(
        sources,
        ["Pedometer export.csv", "export-4711.tmp"],
        "the name picked, trimmed; the file's own without one"
    );
}

#[test]
fn a_walk_the_sensor_recorded_cannot_be_logged_by_hand_again() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("sh.db");
    let app = at(&db, berlin(12, 0));
    // The sensor worn on a walk 08:00–08:30: 100 steps a minute.
    sync_sensor(&app, walking(30, 100), berlin(8, 0), berlin(11, 0));
    // The same walk logged by hand as well would have counted twice (the
    // minutes outside the sensor's, and its slower minutes, on top).
    match app.sessions().log_walk(berlin(8, 10), None, 1_800, 3_000) {
        Err(Error::Conflict(why)) => assert_eq!(
            why,
            "your sensor recorded 2000 steps of walking from 08:10 to 08:30 on Sat 21 Nov 2026 (Europe/Berlin), which this walk overlaps: they count already; nothing was logged"
        ),
        other => panic!("{other:?}"),
    }
    // A walk the sensor did not see (taken off) is logged: one that ends
    // seconds into the sensor's first minute of walking too (a start typed
    // with its seconds), and one that starts as the sensor's walk ended.
    app.sessions()
        .log_walk(
            berlin(7, 30) + chrono::Duration::seconds(37),
            None,
            1_800,
            3_000,
        )
        .expect("logged: a part-minute is not the sensor's walk");
    app.sessions()
        .log_walk(berlin(8, 30), None, 600, 1_000)
        .expect("logged from the sensor's walk's end");
    app.sessions()
        .log_walk(berlin(9, 0), None, 1_200, 1_500)
        .expect("logged");
}

#[test]
fn a_walk_logged_by_hand_before_the_sensor_synced_it_counts_once() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("sh.db");
    let next_day = |at: DateTime<Utc>| at + chrono::Duration::days(1);
    let app = at(&db, next_day(berlin(12, 0)));
    let (saturday, sunday) = (date("2026-11-21"), date("2026-11-22"));
    let steps = |app: &SecondHeart| -> Vec<u32> {
        let history = app.history().days(saturday, sunday).expect("days");
        history.days.iter().map(|d| d.steps).collect()
    };
    // Remembered as 23:50–00:30 with 4,000 steps, logged before the sensor
    // worn on it synced; both days are read (and cached).
    app.sessions()
        .log_walk(berlin(23, 50), None, 2_400, 4_000)
        .expect("logged");
    assert_eq!(steps(&app), [1_000, 3_000]);
    // The sensor saw the walk from midnight, 90 steps a minute.
    sync_sensor(
        &app,
        walking(30, 90),
        next_day(berlin(0, 0)),
        next_day(berlin(11, 0)),
    );
    // The sensor's minutes count, as they would have if the walk had been
    // logged after the sync (refused): not the walk's 100 a minute beside
    // them, and not its ten minutes before midnight, on a day the sensor's
    // minutes are not on.
    assert_eq!(steps(&app), [0, 2_700]);
    let walks = app.sessions().walks_on(sunday).expect("walks");
    assert_eq!(walks.len(), 1);
    assert!(walks[0].by_hand && walks[0].recorded_by_sensor);
    assert_eq!(walks[0].steps, 4_000, "the walk keeps what was logged");
    // Forgotten with its records, the sensor leaves the walk counting again.
    app.sensors().forget("SH-TEST").expect("forgotten");
    assert_eq!(steps(&app), [1_000, 3_000]);
    assert!(!app.sessions().walks_on(sunday).expect("walks")[0].recorded_by_sensor);
}

#[test]
fn a_walk_logged_by_hand_is_deleted_with_its_steps_and_a_followed_one_is_not() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("sh.db");
    // A walk followed by the app, 17:00–17:10.
    at(&db, berlin(17, 0))
        .sessions()
        .start_walk()
        .expect("started");
    let walking = at(&db, berlin(17, 10)).sessions();
    walking
        .record(SessionEvent::Steps { count: 500 })
        .expect("counted");
    walking.record(SessionEvent::Finish).expect("finished");
    let app = at(&db, berlin(18, 0));
    let steps = || app.today().view().expect("today").summary.steps;
    let typo = app
        .sessions()
        .log_walk(berlin(8, 0), None, 1_800, 6_000)
        .expect("logged on the wrong day");
    app.sessions()
        .log_walk(berlin(12, 0), None, 600, 1_000)
        .expect("logged");
    assert_eq!(steps(), 7_500);
    let deleted = app.sessions().delete_walk(typo.id).expect("deleted");
    assert_eq!((deleted.id, deleted.steps), (typo.id, 6_000));
    assert_eq!(steps(), 1_500, "its steps went with it");
    let minutes: u32 = app
        .history()
        .day_minutes(date("2026-11-21"))
        .expect("minutes")
        .iter()
        .map(|m| m.steps)
        .sum();
    assert_eq!(minutes, 1_500);
    match app.sessions().delete_walk(typo.id) {
        Err(Error::Conflict(why)) => assert_eq!(
            why,
            format!(
                "the walk log holds no walk {}; nothing was deleted",
                typo.id
            )
        ),
        other => panic!("{other:?}"),
    }
    let walks = app.sessions().walks_on(date("2026-11-21")).expect("walks");
    let followed = walks
        .iter()
        .find(|w| !w.by_hand)
        .expect("the walk followed");
    match app.sessions().delete_walk(followed.id) {
        Err(Error::Conflict(why)) => assert!(why.contains("was walked with the app"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(steps(), 1_500);
    // Two walks logged over each other before that was refused, each with
    // its minutes: either is deleted, and the other still counts.
    {
        use second_heart_core::walk::NewWalk;
        let mut store = app.store().lock().expect("store");
        let twice = NewWalk::new(berlin(14, 0), "Europe/Berlin", 1_200, 2_000, berlin(18, 0))
            .expect("walk");
        store.log_walk(&twice).expect("logged");
        store
            .log_walk(&twice)
            .expect("logged again, as an old build did");
    }
    assert_eq!(steps(), 5_500);
    let at_two = |app: &SecondHeart| -> Vec<i64> {
        let walks = app.sessions().walks_on(date("2026-11-21")).expect("walks");
        walks
            .iter()
            .filter(|w| w.start == berlin(14, 0))
            .map(|w| w.id)
            .collect()
    };
    let pair = at_two(&app);
    app.sessions().delete_walk(pair[1]).expect("deleted");
    assert_eq!(steps(), 3_500, "the other still counts");
    // A pair from before walks had minutes, spread once by the upgrade:
    // deleting one would take the other's steps, and is refused.
    rusqlite::Connection::open(&db)
        .expect("db")
        .execute(
            "INSERT INTO walk (start_utc_ms, end_utc_ms, time_zone, utc_offset_s, steps)
             SELECT start_utc_ms, end_utc_ms, time_zone, utc_offset_s, steps FROM walk WHERE id = ?1",
            [pair[0]],
        )
        .expect("a row without minutes");
    let again = at_two(&app);
    match app.sessions().delete_walk(again[1]) {
        Err(Error::Conflict(why)) => assert_eq!(
            why,
            "the walk from 14:00 on Sat 21 Nov 2026 (Europe/Berlin) overlaps this one: both were logged before overlapping walks were refused, and the day counts one walk's steps for both; nothing was deleted"
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(steps(), 3_500);
}

#[test]
fn the_recent_walks_are_each_listed_once_oldest_first() {
    let dir = tempfile::tempdir().expect("dir");
    let app = at(&dir.path().join("sh.db"), berlin(18, 0));
    let days_back = |days: i64, at: DateTime<Utc>| at - chrono::Duration::days(days);
    let sessions = app.sessions();
    // One across Thursday's midnight, one on Friday, one today; one a week ago.
    for (start, minutes) in [
        (days_back(2, berlin(23, 40)), 40),
        (days_back(1, berlin(9, 0)), 30),
        (berlin(8, 0), 20),
        (days_back(7, berlin(8, 0)), 20),
    ] {
        sessions
            .log_walk(start, None, minutes * 60, minutes * 100)
            .expect("logged");
    }
    let recent = sessions
        .walks_between(date("2026-11-19"), date("2026-11-21"))
        .expect("walks");
    let starts: Vec<DateTime<Utc>> = recent.iter().map(|w| w.start).collect();
    assert_eq!(
        starts,
        [
            days_back(2, berlin(23, 40)),
            days_back(1, berlin(9, 0)),
            berlin(8, 0)
        ]
    );
    assert!(matches!(
        sessions.walks_between(date("2026-11-21"), date("2026-11-20")),
        Err(Error::InvalidInput { .. })
    ));
}

/// The test sensor's minute records of `minutes` minutes of walking at
/// `steps` a minute, from its clock's tick 0.
fn walking(minutes: u32, steps: u16) -> Vec<second_heart_core::sensor::gatt::Record> {
    use second_heart_core::sensor::gatt::{Posture, Record, RecordBody};
    (0..minutes)
        .map(|i| Record {
            seq: i + 1,
            epoch: 1,
            ticks_s: 60 * (i + 1),
            body: RecordBody::Minute {
                steps,
                contractions: 0,
                ankle_pressure_mmhg: 0,
                posture: Posture::Walking,
            },
        })
        .collect()
}

/// Commits `records` of the test sensor as a sync does, its clock's tick 0
/// at `anchor` and the sync at `synced`.
fn sync_sensor(
    app: &SecondHeart,
    records: Vec<second_heart_core::sensor::gatt::Record>,
    anchor: DateTime<Utc>,
    synced: DateTime<Utc>,
) {
    use second_heart_core::sensor::gatt::DeviceInfo;
    use second_heart_core::sensor::sync::Commit;
    use second_heart_core::sensor::timeline::ClockAnchor;
    let high_water = records.iter().map(|r| r.seq).max().unwrap_or(0);
    let commit = Commit {
        device: DeviceInfo {
            manufacturer: "Second Heart".into(),
            model: "Ankle 1".into(),
            serial: "SH-TEST".into(),
            firmware: "1.0".into(),
            battery_percent: None,
        },
        anchors: vec![ClockAnchor {
            epoch: 1,
            ticks_ms: 0,
            utc_ms: anchor.timestamp_millis(),
        }],
        gaps: Vec::new(),
        records,
        high_water,
        dropped_seen: 0,
        damaged: 0,
    };
    commit_sensor_sync(
        &mut app.store().lock().expect("store"),
        &commit,
        synced.timestamp_millis(),
    )
    .expect("committed");
    app.changed();
}

/// A sensor's own record of a set of 15 ankle pumps over a minute, ended at
/// `at` (the sensor writes it then), committed as a sync does.
fn sensor_set(app: &SecondHeart, at: DateTime<Utc>) {
    use second_heart_core::sensor::gatt::{ExerciseKind, Record, RecordBody};
    let set = Record {
        seq: 1,
        epoch: 1,
        ticks_s: 0,
        body: RecordBody::Exercise {
            kind: ExerciseKind::AnklePumps,
            reps: 15,
            duration_s: 60,
            mean_hold_ds: 0,
        },
    };
    sync_sensor(app, vec![set], at, at);
}

#[test]
fn a_streak_longer_than_the_periods_shown_counts_in_full() {
    let dir = tempfile::tempdir().expect("dir");
    let app = at(&dir.path().join("sh.db"), berlin(18, 0));
    // The steps goal (7,000) met on each of the ten days to the 21st.
    for days_before in 0..10 {
        let morning = berlin(8, 0) - chrono::Duration::days(days_before);
        app.sessions()
            .log_walk(morning, None, 60 * 60, 7_500)
            .expect("walk");
    }
    let week = app
        .history()
        .periods_with_streaks(Grouping::Day, 7)
        .expect("week");
    assert_eq!(week.periods.len(), 7, "the week shown");
    assert_eq!(
        (
            week.streaks.steps.current_days,
            week.streaks.steps.best_days
        ),
        (10, 10)
    );
}

#[test]
fn the_hour_chart_counts_the_sitting_minutes_the_day_counts() {
    use second_heart_core::sensor::gatt::{Posture, Record, RecordBody};
    let dir = tempfile::tempdir().expect("dir");
    let app = at(&dir.path().join("sh.db"), berlin(18, 0));
    // 14:00–15:00 seated: half an hour fidgeting (a few steps a minute),
    // ten minutes of ankle pumps (a break, not sitting), twenty still;
    // each minute recorded as it ends.
    let records = (0..60u32)
        .map(|i| Record {
            seq: i + 1,
            epoch: 1,
            ticks_s: 60 * (i + 1),
            body: RecordBody::Minute {
                steps: if i < 30 { 6 } else { 0 },
                contractions: if (30..40).contains(&i) { 30 } else { 0 },
                ankle_pressure_mmhg: 0,
                posture: Posture::Sitting,
            },
        })
        .collect();
    sync_sensor(&app, records, berlin(14, 0), berlin(15, 0));
    let history = app.history();
    let hours = history.day_by_hour(date("2026-11-21")).expect("hours");
    let two_pm = hours.iter().find(|h| h.local_hour == 14).expect("14:00");
    let day = history
        .days(date("2026-11-21"), date("2026-11-21"))
        .expect("day")
        .days[0]
        .sitting_minutes;
    assert_eq!(
        (two_pm.sitting_minutes, day),
        (20, 20),
        "seated and still only"
    );
}

#[test]
fn a_days_finished_sets_and_drinks_are_listed_with_their_times() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("sh.db");
    live_the_day(&db);
    let app = at(&db, berlin(18, 0));
    sensor_set(&app, berlin(11, 1));
    // Begun, then abandoned: not a finished set.
    app.sessions()
        .start_set(SessionKind::CalfRaises, SetTargets::default())
        .expect("starts");
    app.sessions()
        .record(SessionEvent::Abandon)
        .expect("abandoned");

    let sessions = app.sessions();
    let sets = sessions.sets_on(date("2026-11-21")).expect("sets");
    let seen: Vec<_> = sets
        .iter()
        .map(|s| (s.kind, s.started, s.ended, s.reps, s.from_sensor))
        .collect();
    assert_eq!(
        seen,
        vec![
            (
                SessionKind::CalfRaises,
                berlin(9, 0),
                berlin(9, 2),
                20,
                false
            ),
            (
                SessionKind::AnklePumps,
                berlin(11, 0),
                berlin(11, 1),
                15,
                true
            ),
        ]
    );
    let drinks: Vec<_> = sessions
        .drinks_on(date("2026-11-21"))
        .expect("drinks")
        .iter()
        .map(|d| (d.at(), d.ml()))
        .collect();
    assert_eq!(drinks, vec![(berlin(10, 0), 250), (berlin(14, 0), 250)]);
    // The lists add up to the day's figures.
    let day = app.today().view().expect("today").summary;
    assert_eq!((day.calf_raise_sets, day.ankle_pump_sets), (1, 1));
    assert_eq!(day.hydration_ml, 500);
    for other in ["2026-11-20", "2026-11-22"] {
        assert!(sessions.sets_on(date(other)).expect("sets").is_empty());
        assert!(sessions.drinks_on(date(other)).expect("drinks").is_empty());
    }
}

/// A clock the test moves, zone and all, as a travelling phone's does.
struct TravellingClock(Mutex<(DateTime<Utc>, chrono_tz::Tz)>);

impl TravellingClock {
    fn go(&self, at: DateTime<Utc>, zone: chrono_tz::Tz) {
        *self.0.lock().expect("clock") = (at, zone);
    }
}

impl second_heart_core::app::Clock for TravellingClock {
    fn now(&self) -> second_heart_core::Result<DateTime<Utc>> {
        Ok(self.0.lock().expect("clock").0)
    }

    fn time_zone(&self) -> second_heart_core::Result<chrono_tz::Tz> {
        Ok(self.0.lock().expect("clock").1)
    }
}

#[test]
fn a_day_s_walks_are_read_in_the_zone_the_user_was_in_that_day() {
    use chrono_tz::America::Los_Angeles;
    let clock = Arc::new(TravellingClock(Mutex::new((berlin(18, 0), Berlin))));
    let app = SecondHeart::open_in_memory(clock.clone()).expect("opens");
    // 08:00 on the 21st in Berlin: 23:00 on the 20th in Los Angeles.
    app.sessions()
        .log_walk(berlin(8, 0), None, 30 * 60, 3_200)
        .expect("walk");
    // Two days later the user is in Los Angeles.
    clock.go(berlin(18, 0) + chrono::Duration::days(2), Los_Angeles);
    assert_eq!(
        walk_steps(&app.sessions(), "2026-11-21"),
        [3_200],
        "the walk stays on the Berlin date it was walked"
    );
    assert_eq!(walk_steps(&app.sessions(), "2026-11-20"), Vec::<u32>::new());
    assert_eq!(
        app.history()
            .days(date("2026-11-21"), date("2026-11-21"))
            .expect("day")
            .days[0]
            .steps,
        3_200,
        "the walk list and the day's figures agree"
    );
}

#[test]
fn reads_follow_the_phone_into_each_new_zone_and_back() {
    use chrono_tz::America::Los_Angeles;
    let clock = Arc::new(TravellingClock(Mutex::new((berlin(8, 0), Berlin))));
    let app = SecondHeart::open_in_memory(clock.clone()).expect("opens");
    let zones = |app: &SecondHeart| app.today().view().expect("today").time_zones;
    assert_eq!(zones(&app), ["Europe/Berlin"]);
    assert_eq!(zones(&app), ["Europe/Berlin"], "the same zone, read again");
    // Landed in Los Angeles at 13:00 local (21:00 UTC): only reads since.
    clock.go(berlin(22, 0), Los_Angeles);
    assert_eq!(zones(&app), ["Europe/Berlin", "America/Los_Angeles"]);
    assert_eq!(
        app.today().view().expect("today").date,
        date("2026-11-21"),
        "13:00 in Los Angeles"
    );
    // Home again: the next day's reads are in Berlin once more.
    let home = berlin(22, 0) + chrono::Duration::days(2);
    clock.go(home, Berlin);
    let view = app.today().view().expect("today");
    assert_eq!(view.date, date("2026-11-23"));
    assert_eq!(view.time_zones, ["America/Los_Angeles", "Europe/Berlin"]);
    // A clock set back before the last change is noted again, not taken
    // from what the previous read noted.
    clock.go(home - chrono::Duration::hours(30), Berlin);
    let view = app.today().view().expect("today");
    assert_eq!(view.date, date("2026-11-22"));
    assert_eq!(
        view.time_zones.last().map(String::as_str),
        Some("Europe/Berlin")
    );
}

#[test]
fn a_day_begun_by_flying_east_draws_its_minutes() {
    use chrono_tz::Asia::Bangkok;
    let clock = Arc::new(TravellingClock(Mutex::new((berlin(20, 0), Berlin))));
    let app = SecondHeart::open_in_memory(clock.clone()).expect("opens");
    app.today().view().expect("today");
    // Landed in Bangkok at 05:45:13 on the 22nd (22:45:13 UTC): the 22nd
    // begins at that instant, between two whole minutes.
    let landed = DateTime::parse_from_rfc3339("2026-11-21T22:45:13.123Z")
        .expect("time")
        .to_utc();
    clock.go(landed, Bangkok);
    assert_eq!(app.today().view().expect("today").date, date("2026-11-22"));
    clock.go(landed + chrono::Duration::hours(5), Bangkok);
    let walked = landed + chrono::Duration::minutes(135);
    app.sessions()
        .log_walk(walked, None, 30 * 60, 3_000)
        .expect("logged");
    let history = app.history();
    let day = date("2026-11-22");
    let by_minute: u32 = history
        .day_minutes(day)
        .expect("minutes")
        .iter()
        .map(|m| m.steps)
        .sum();
    let by_hour: u32 = history
        .day_by_hour(day)
        .expect("hours")
        .iter()
        .map(|h| h.steps)
        .sum();
    assert_eq!((by_minute, by_hour), (3_000, 3_000));
    // The hours are the clock's: 05:46–06:00 first, then from 06:00 on.
    let rfc = |t: &str| DateTime::parse_from_rfc3339(t).expect("time").to_utc();
    let hours = history.day_by_hour(day).expect("hours");
    assert_eq!(
        hours
            .iter()
            .take(2)
            .map(|h| (h.start, h.local_hour))
            .collect::<Vec<_>>(),
        vec![
            (rfc("2026-11-21T22:46:00Z"), 5),
            (rfc("2026-11-21T23:00:00Z"), 6)
        ]
    );
    assert_eq!(hours.len(), 19, "05:46 to midnight");
}

#[test]
fn the_compression_advice_and_the_pump_model_follow_the_profile() {
    use second_heart_core::app::{ClearedFields, ProfileChanges};
    use second_heart_core::compression::CompressionAdvice;
    let dir = tempfile::tempdir().expect("temp dir");
    let app = at(&dir.path().join("a.db"), berlin(9, 0));
    let profile = app.profile();
    assert_eq!(
        profile.compression_advice().expect("advice"),
        CompressionAdvice::Suitable
    );
    // A birth year not come yet is refused: its negative age would drop a
    // traveller's age from the flight's risk check. This year is a birth
    // year like any other.
    let future = profile.update(&ProfileChanges {
        birth_year: Some(2062),
        ..ProfileChanges::default()
    });
    assert!(
        matches!(
            &future,
            Err(Error::InvalidInput {
                field: "birth year",
                ..
            })
        ),
        "{future:?}"
    );
    assert_eq!(
        profile.get().expect("profile").birth_year,
        None,
        "nothing saved"
    );
    profile
        .update(&ProfileChanges {
            birth_year: Some(2026),
            ..ProfileChanges::default()
        })
        .expect("this year");
    // One an earlier version stored does not block other changes.
    {
        let mut store = app.store().lock().expect("store");
        let mut stored = store.profile().expect("profile");
        stored.birth_year = Some(2062);
        store.save_profile(&stored).expect("stored as before");
    }
    profile
        .update(&ProfileChanges {
            reminders_enabled: Some(false),
            ..ProfileChanges::default()
        })
        .expect("another change");
    profile
        .update(&ProfileChanges {
            birth_year: Some(1962),
            reminders_enabled: Some(true),
            ..ProfileChanges::default()
        })
        .expect("corrected");
    // A low ankle–brachial index alone closes the gate.
    profile
        .update(&ProfileChanges {
            ankle_brachial_index: Some(0.7),
            ..ProfileChanges::default()
        })
        .expect("saved");
    match profile.compression_advice().expect("advice") {
        CompressionAdvice::SeeDoctorFirst { reasons } => {
            assert_eq!(reasons.len(), 1, "{reasons:?}");
            assert!(reasons[0].contains("0.70"), "{reasons:?}");
        }
        other => panic!("expected see a doctor, got {other:?}"),
    }
    // An index typed wrong and taken away (the field emptied) opens it
    // again; so is a weight taken away, and one left out stays.
    profile
        .update(&ProfileChanges {
            weight_kg: Some(80.0),
            ..ProfileChanges::default()
        })
        .expect("saved");
    let cleared = profile
        .update(&ProfileChanges {
            cleared: ClearedFields {
                ankle_brachial_index: true,
                ..ClearedFields::default()
            },
            ..ProfileChanges::default()
        })
        .expect("saved");
    assert_eq!(cleared.compression_cautions.ankle_brachial_index, None);
    assert_eq!(cleared.weight_kg, Some(80.0), "not taken away");
    assert_eq!(
        profile.compression_advice().expect("advice"),
        CompressionAdvice::Suitable
    );
    let no_weight = profile
        .update(&ProfileChanges {
            cleared: ClearedFields {
                weight: true,
                ..ClearedFields::default()
            },
            ..ProfileChanges::default()
        })
        .expect("saved");
    assert_eq!(no_weight.weight_kg, None);

    // The model's legs are the profile's, in the stockings worn now.
    profile
        .update(&ProfileChanges {
            height_cm: Some(158.0),
            ..ProfileChanges::default()
        })
        .expect("saved");
    let legs = app.pump_model().expect("model").legs();
    assert_eq!((legs.person.height_cm, legs.compression_mmhg), (158.0, 0.0));
    app.sessions().compression_on(20).expect("stockings on");
    assert_eq!(
        app.pump_model().expect("model").legs().compression_mmhg,
        20.0
    );
}

#[test]
fn a_walk_from_a_trip_logged_back_home_is_read_by_the_trip_s_clock() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("sh.db");
    // In Tokyo on the 19th, the app used at 07:00 and 13:00 there: it noted
    // the zone as it read, and saw it still in force at the second read.
    for utc_time in ["2026-11-18T22:00:00Z", "2026-11-19T04:00:00Z"] {
        let away = SecondHeart::open(
            &db,
            Arc::new(FixedClock {
                at: utc_time.parse().expect("utc"),
                zone: chrono_tz::Asia::Tokyo,
            }),
        )
        .expect("opens");
        away.today().view().expect("a read notes the zone");
    }
    // Back in Berlin on the 21st, the walk of the 19th at 08:00.
    let home = at(&db, berlin(18, 0));
    let sessions = home.sessions();
    let eight = chrono::NaiveTime::from_hms_opt(8, 0, 0).expect("time");
    let start = sessions
        .moment_at(date("2026-11-19"), eight)
        .expect("lived");
    let tokyo_eight: DateTime<Utc> = "2026-11-18T23:00:00Z".parse().expect("utc");
    assert_eq!(
        (start.at, start.time_zone.as_str()),
        (tokyo_eight, "Asia/Tokyo")
    );
    // A walk given by its instant alone takes the zone lived then.
    let walk = sessions
        .log_walk(start.at, None, 30 * 60, 3_000)
        .expect("logged");
    assert_eq!(walk.time_zone, chrono_tz::Asia::Tokyo);
    // The morning at home, before the app was opened there (18:00): the
    // user may have been home already, and the phone's clock is Berlin's.
    let today = sessions
        .moment_at(date("2026-11-21"), eight)
        .expect("lived");
    assert_eq!(today.time_zone, "Europe/Berlin");
}

#[test]
fn a_time_the_clocks_skipped_is_refused_by_name() {
    let dir = tempfile::tempdir().expect("dir");
    let home = at(&dir.path().join("sh.db"), berlin(18, 0));
    // 02:30 on the day the clocks went forward did not happen in Berlin.
    let skipped = home.sessions().moment_at(
        date("2026-03-29"),
        chrono::NaiveTime::from_hms_opt(2, 30, 0).expect("time"),
    );
    assert!(
        matches!(skipped, Err(Error::InvalidInput { field: "time", .. })),
        "{skipped:?}"
    );
}
