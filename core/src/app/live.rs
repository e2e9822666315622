//! Counting the running session from the sensor's live frames, and
//! recording what is counted into it.

use super::sessions::{SessionUpdate, record_in};
use super::{SecondHeart, Unannounced};
use crate::daily::pump_yield_for;
use crate::sensor::gatt::LiveFrame;
use crate::session::{LiveProgress, LiveSessionCounter, SessionEvent, SessionKind, SessionState};
use crate::{Error, Result};

impl SecondHeart {
    /// A [`LiveSessionCounter`] for the session running now (a walk or an
    /// exercise set), with its target and the profile's legs, to feed the
    /// sensor's live frames while the screen shows the session.
    pub fn live_counter(&self) -> Result<LiveSessionCounter> {
        self.counter_for_open_session().map(|(_, counter)| counter)
    }

    /// A [`LiveSession`]: the running session counted from the sensor's
    /// live frames, each step, raise (with its hold) and pump recorded into
    /// the session as it is counted, so finishing the session counts them
    /// into the day.
    pub fn live_session(&self) -> Result<LiveSession> {
        let (session_id, counter) = self.counter_for_open_session()?;
        Ok(LiveSession {
            app: self.clone(),
            session_id,
            counter,
            recorded: Recorded::default(),
        })
    }

    fn counter_for_open_session(&self) -> Result<(i64, LiveSessionCounter)> {
        let (id, kind, target, person) = self.read(|store, _| {
            let session = store.open_session()?.ok_or_else(|| {
                Error::Conflict("no session is running: start a walk or a set first".into())
            })?;
            Ok((
                session.id,
                session.kind,
                session.target,
                store.profile()?.person(),
            ))
        })?;
        // The pump yields take a few model runs the first time for a body
        // (then they are remembered): outside the store's lock.
        let pump_yield = pump_yield_for(person)?;
        Ok((
            id,
            LiveSessionCounter::with_yield(kind, target, pump_yield)?,
        ))
    }
}

/// What of the count is already recorded into the session.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Recorded {
    steps: u32,
    reps: u32,
    holds: u32,
}

impl Recorded {
    /// The session events that bring the session up to `progress`, and
    /// marks them recorded. A raise is recorded once its hold is measured
    /// (with the hold), or once the calf is at rest again without one.
    fn catch_up(&mut self, progress: &LiveProgress) -> Vec<SessionEvent> {
        let mut events = Vec::new();
        match progress.kind {
            SessionKind::Walk if progress.steps > self.steps => {
                events.push(SessionEvent::Steps {
                    count: progress.steps - self.steps,
                });
                self.steps = progress.steps;
            }
            SessionKind::AnklePumps if progress.reps > self.reps => {
                events.push(SessionEvent::Pumps {
                    count: progress.reps - self.reps,
                });
                self.reps = progress.reps;
            }
            SessionKind::CalfRaises => {
                while progress.holds > self.holds {
                    self.holds += 1;
                    if progress.reps > self.reps {
                        self.reps += 1;
                        events.push(SessionEvent::Rep {
                            hold_s: progress.last_hold_s,
                        });
                    }
                }
                if progress.cue == crate::session::HoldCue::Rest {
                    while progress.reps > self.reps {
                        self.reps += 1;
                        events.push(SessionEvent::Rep { hold_s: None });
                    }
                }
            }
            _ => {}
        }
        events
    }

    /// The events that bring the session up to everything `progress`
    /// counted, and marks them recorded: [`Self::catch_up`], then each
    /// raise counted on its way up, whose hold the sensor has not measured
    /// yet, without a hold.
    fn catch_up_all(&mut self, progress: &LiveProgress) -> Vec<SessionEvent> {
        let mut events = self.catch_up(progress);
        if progress.kind == SessionKind::CalfRaises {
            while progress.reps > self.reps {
                self.reps += 1;
                events.push(SessionEvent::Rep { hold_s: None });
            }
        }
        events
    }
}

/// The running session counted from live frames: [`push`](Self::push)
/// each frame as it arrives; what it counts is recorded into the session
/// (steps, raises with their holds, pumps) while that session is active.
/// While the session is paused, and once it is finished or another one
/// runs, frames keep the clock, the cue and the sensor's readings current
/// but nothing more is counted: the progress shown is what the session
/// holds, and a walk's litres do not climb while it is paused.
#[derive(Debug, Clone)]
pub struct LiveSession {
    app: SecondHeart,
    session_id: i64,
    counter: LiveSessionCounter,
    recorded: Recorded,
}

impl LiveSession {
    /// Takes the next Live Frame: the session as it now stands. A frame
    /// that breaks the layout's rules is refused and changes nothing.
    pub fn push(&mut self, frame: &LiveFrame) -> Result<LiveProgress> {
        let (progress, news) = self.push_unannounced(frame)?;
        news.announce();
        Ok(progress)
    }

    /// [`Self::push`], leaving the Today observers to be told once the
    /// caller has let go of this session (a counter shared behind a lock:
    /// an observer may read it).
    pub fn push_unannounced(&mut self, frame: &LiveFrame) -> Result<(LiveProgress, Unannounced)> {
        // Read straight from the store (no clock, no write): a failed read
        // counts the frame, and `record` checks the session again anyway.
        let active = self
            .app
            .locked_store()
            .session_is_active(self.session_id)
            .unwrap_or(true);
        if !active {
            let progress = self.counter.push_uncounted(frame)?;
            // A raise counted at its top before the pause, its hold cut off:
            // not recorded, so not shown either.
            let unrecorded = progress.reps.saturating_sub(self.recorded.reps);
            if progress.kind == SessionKind::CalfRaises && unrecorded > 0 {
                self.counter.uncount_raises(unrecorded);
                return Ok((self.counter.progress(), Unannounced::default()));
            }
            return Ok((progress, Unannounced::default()));
        }
        let progress = self.counter.push(frame)?;
        // Marked recorded only once written: a failed write is retried
        // with the next frame.
        let mut recorded = self.recorded;
        let events = recorded.catch_up(&progress);
        let news = if events.is_empty() {
            Unannounced::default()
        } else {
            self.record(&events)?
        };
        self.recorded = recorded;
        Ok((progress, news))
    }

    /// The session as it stands after the latest frame.
    pub fn progress(&self) -> LiveProgress {
        self.counter.progress()
    }

    /// Finishes the session with everything counted, in one transaction: a
    /// raise the user stopped at the top of (counted, its hold not yet
    /// measured) is recorded without a hold, then the session is finished
    /// and counted into its days, as [`super::Sessions::record`] with
    /// `Finish` does. When the session is no longer this counter's active
    /// one, only the finish is applied to whatever runs.
    pub fn finish(&mut self) -> Result<SessionUpdate> {
        let (update, news) = self.finish_unannounced()?;
        news.announce();
        Ok(update)
    }

    /// [`Self::finish`], leaving the Today observers to be told once the
    /// caller has let go of this session.
    pub fn finish_unannounced(&mut self) -> Result<(SessionUpdate, Unannounced)> {
        // Marked recorded only once written: a failed finish can be retried.
        let mut recorded = self.recorded;
        let counted = recorded.catch_up_all(&self.counter.progress());
        let id = self.session_id;
        let (update, news) = self.app.write_unannounced(|store, now| {
            store.transaction(|tx| {
                let session = tx
                    .open_session()?
                    .ok_or_else(|| Error::Conflict("no session is running".to_owned()))?;
                let mut events = Vec::with_capacity(counted.len() + 1);
                // With the clock set back since the session last changed,
                // no count fits in time; the session still finishes.
                let last = session.events.last().map_or(session.started, |e| e.at);
                if session.id == id && session.state == SessionState::Active && now.at >= last {
                    events.extend_from_slice(&counted);
                }
                events.push(SessionEvent::Finish);
                record_in(tx, session, &events, now.at)
            })
        })?;
        self.recorded = recorded;
        Ok((update, news))
    }

    /// Records `events` into the session, if it is still the active one, in
    /// one transaction.
    fn record(&self, events: &[SessionEvent]) -> Result<Unannounced> {
        let id = self.session_id;
        let ((), news) = self.app.write_unannounced(|store, now| {
            store.transaction(|tx| {
                let Some(session) = tx.open_session()? else {
                    return Ok(());
                };
                if session.id != id || session.state != SessionState::Active {
                    return Ok(());
                }
                // A session that ended by itself (idle past its end) is
                // closed and counted here, as a Finish would.
                record_in(tx, session, events, now.at).map(|_| ())
            })
        })?;
        Ok(news)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::app::{FixedClock, SetTargets};
    use crate::sensor::gatt::{ControlRequest, LiveFrame};
    use crate::sensor::sim::{DayScript, Segment, SensorConfig, SimSensor};
    use crate::sensor::uuids;
    use crate::session::HoldCue;
    use crate::test_support::utc;

    fn app() -> SecondHeart {
        let clock = FixedClock {
            at: utc("2026-11-21T08:00:00Z"),
            zone: chrono_tz::Europe::Berlin,
        };
        SecondHeart::open_in_memory(Arc::new(clock)).expect("database")
    }

    #[test]
    fn the_counter_takes_the_running_sets_target() {
        let app = app();
        assert!(matches!(app.live_counter(), Err(Error::Conflict(_))));
        let targets = SetTargets {
            reps: Some(12),
            hold_s: Some(2.0),
            rate_per_min: None,
        };
        app.sessions()
            .start_set(SessionKind::CalfRaises, targets)
            .expect("set started");
        let progress = app.live_counter().expect("counter").progress();
        assert_eq!(progress.kind, SessionKind::CalfRaises);
        assert_eq!(progress.target_reps, Some(12));
        assert_eq!((progress.reps, progress.cue), (0, HoldCue::Rest));
    }

    #[test]
    fn leg_elevation_has_no_live_counter() {
        let app = app();
        app.sessions()
            .start_elevation(Default::default(), None, None)
            .expect("started");
        assert!(matches!(
            app.live_counter(),
            Err(Error::InvalidInput { .. })
        ));
        assert!(app.live_session().is_err());
    }

    /// The frames a simulated sensor sends while its wearer does `segment`.
    fn live_frames(segment: Segment) -> Vec<LiveFrame> {
        let start = utc("2026-11-21T07:00:00Z");
        let script = DayScript {
            start,
            sock_pressure_mmhg: 18,
            segments: vec![Segment::Standing { minutes: 60 }],
        };
        let mut sensor = SimSensor::new(SensorConfig::default(), &script);
        sensor.advance_to(start.timestamp_millis() + 60_000);
        sensor.set_mtu(247);
        for c in [uuids::LIVE_FRAME, uuids::CONTROL_POINT] {
            sensor.subscribe(c).expect("notifiable");
        }
        let start_live = ControlRequest::StartLive { rate_hz: 25 }.encode();
        sensor
            .write(uuids::CONTROL_POINT, &start_live)
            .expect("started");
        let end = sensor.perform(segment);
        sensor.advance_to(end + 2_000);
        std::iter::from_fn(|| sensor.take_outgoing())
            .filter(|o| o.characteristic == uuids::LIVE_FRAME)
            .map(|o| LiveFrame::parse(&o.value).expect("frame"))
            .collect()
    }

    #[test]
    fn a_set_counted_from_live_frames_is_recorded_into_the_session() {
        let app = app();
        app.sessions()
            .start_set(SessionKind::CalfRaises, SetTargets::default())
            .expect("set started");
        let mut live = app.live_session().expect("live session");
        let mut last = live.progress();
        for frame in live_frames(Segment::CalfRaises {
            reps: 20,
            hold_s: 1.0,
        }) {
            last = live.push(&frame).expect("valid frame");
        }
        assert_eq!((last.reps, last.holds), (20, 20));
        assert!(last.set_complete);
        let stored = app.sessions().status().expect("status").expect("open");
        assert_eq!(stored.progress.reps, 20);
        let mean = stored.progress.mean_hold_s.expect("holds stored");
        assert!((mean - 1.0).abs() < 0.2, "mean hold {mean}");
        let done = app
            .sessions()
            .record(crate::session::SessionEvent::Finish)
            .expect("finished");
        assert_eq!(done.progress.reps, 20);
        assert_eq!(
            app.today().view().expect("today").summary.calf_raise_sets,
            1
        );
    }

    #[test]
    fn raises_held_longer_than_a_hold_records_are_all_counted_held_that_long() {
        let app = app();
        app.sessions()
            .start_set(SessionKind::CalfRaises, SetTargets::default())
            .expect("set started");
        let mut live = app.live_session().expect("live session");
        // Up on the toes for 40 s at a time: past the 30 s a hold records.
        for frame in live_frames(Segment::CalfRaises {
            reps: 3,
            hold_s: 40.0,
        }) {
            live.push(&frame).expect("every frame counted");
        }
        let stored = app.sessions().status().expect("status").expect("open");
        assert_eq!(
            stored.progress.reps, 3,
            "no raise lost after the first long hold"
        );
        let mean = stored.progress.mean_hold_s.expect("holds stored");
        assert_eq!(mean, crate::session::LONGEST_HOLD_S);
        let done = live.finish().expect("the set finishes");
        assert_eq!(done.progress.reps, 3);
    }

    #[test]
    fn finishing_at_the_top_of_the_last_raise_keeps_that_rep() {
        let app = app();
        assert!(matches!(app.live_session(), Err(Error::Conflict(_))));
        app.sessions()
            .start_set(SessionKind::CalfRaises, SetTargets::default())
            .expect("set started");
        let mut live = app.live_session().expect("live session");
        // The user stops on their toes in the 20th raise: counted, its hold
        // not measured yet.
        for frame in live_frames(Segment::CalfRaises {
            reps: 20,
            hold_s: 1.0,
        }) {
            if live.push(&frame).expect("valid frame").reps == 20 {
                break;
            }
        }
        assert_eq!((live.progress().reps, live.progress().holds), (20, 19));
        let stored = app.sessions().status().expect("status").expect("open");
        assert_eq!(stored.progress.reps, 19, "a raise is stored once held");

        let done = live.finish().expect("finished");
        assert_eq!(done.session.state, SessionState::Finished);
        assert_eq!(done.progress.reps, 20);
        let mean = done.progress.mean_hold_s.expect("holds");
        assert!((mean - 1.0).abs() < 0.2, "the 19 measured holds: {mean}");
        let day = app.today().view().expect("today").summary;
        assert_eq!(day.calf_raise_sets, 1);
        assert!(matches!(live.finish(), Err(Error::Conflict(_))));
    }

    /// A clock the test moves on by hand.
    struct SteppingClock(std::sync::Mutex<chrono::DateTime<chrono::Utc>>);

    impl SteppingClock {
        fn set(&self, at: &str) {
            *self.0.lock().expect("clock") = utc(at);
        }
    }

    impl crate::app::Clock for SteppingClock {
        fn now(&self) -> Result<chrono::DateTime<chrono::Utc>> {
            Ok(*self.0.lock().expect("clock"))
        }

        fn time_zone(&self) -> Result<chrono_tz::Tz> {
            Ok(chrono_tz::Europe::Berlin)
        }
    }

    /// An app whose clock starts at 08:00 UTC and moves when told.
    fn app_with_moving_clock() -> (SecondHeart, Arc<SteppingClock>) {
        let clock = Arc::new(SteppingClock(std::sync::Mutex::new(utc(
            "2026-11-21T08:00:00Z",
        ))));
        let app = SecondHeart::open_in_memory(clock.clone()).expect("database");
        (app, clock)
    }

    #[test]
    fn a_raise_counted_after_the_set_ended_by_itself_finds_it_saved() {
        // Half the set, then the phone's clock moves past the set's idle
        // end (30 minutes after its last rep) before the next raise.
        let (app, clock) = app_with_moving_clock();
        app.sessions()
            .start_set(SessionKind::CalfRaises, SetTargets::default())
            .expect("set started");
        let mut live = app.live_session().expect("live session");
        let frames = live_frames(Segment::CalfRaises {
            reps: 20,
            hold_s: 1.0,
        });
        let (first, rest) = frames.split_at(frames.len() / 2);
        for frame in first {
            live.push(frame).expect("valid frame");
        }
        let half = app.sessions().status().expect("status").expect("open");
        assert!(half.progress.reps > 0);
        clock.set("2026-11-21T08:45:00Z");
        for frame in rest {
            live.push(frame).expect("a late raise is no error");
        }
        assert_eq!(app.sessions().status().expect("status"), None, "saved");
        let day = app.today().view().expect("today").summary;
        assert_eq!(day.calf_raise_sets, 1);
    }

    #[test]
    fn a_paused_walk_counts_no_steps_and_shows_what_it_holds() {
        let (app, clock) = app_with_moving_clock();
        app.sessions().start_walk().expect("walk started");
        let mut live = app.live_session().expect("live session");
        let frames = live_frames(Segment::Walking {
            minutes: 3,
            cadence_spm: 110,
        });
        let third = frames.len() / 3;
        let (first, rest) = frames.split_at(third);
        let (second, last) = rest.split_at(third);
        for frame in first {
            live.push(frame).expect("valid frame");
        }
        let walked = app.sessions().status().expect("status").expect("open");
        assert_eq!(walked.progress.steps, live.progress().steps);
        assert!(walked.progress.steps > 80, "{}", walked.progress.steps);
        let shown = live.progress();

        // The user pauses and walks on: the screen keeps following the
        // sensor, but the walk's steps and litres stay, and its pace falls
        // away (the steps walked while paused are not the walk's).
        clock.set("2026-11-21T08:01:00Z");
        app.sessions()
            .record(crate::session::SessionEvent::Pause)
            .expect("paused");
        for frame in second {
            live.push(frame).expect("valid frame");
        }
        let paused = app.sessions().status().expect("status").expect("open");
        assert_eq!(paused.progress.steps, walked.progress.steps);
        let still = live.progress();
        assert_eq!(
            (still.steps, still.pumped_ml),
            (shown.steps, shown.pumped_ml)
        );
        assert!(
            still.cadence_spm.is_none_or(|c| c < 10.0),
            "{:?}",
            still.cadence_spm
        );
        assert_eq!(still.frames as usize, 2 * third);

        // Resumed, it counts again from there.
        clock.set("2026-11-21T08:02:00Z");
        app.sessions()
            .record(crate::session::SessionEvent::Resume)
            .expect("resumed");
        for frame in last {
            live.push(frame).expect("valid frame");
        }
        let resumed = app.sessions().status().expect("status").expect("open");
        assert!(resumed.progress.steps > paused.progress.steps + 80);
        assert_eq!(live.progress().steps, resumed.progress.steps);

        // Saved, shown and counted in the day: one figure.
        clock.set("2026-11-21T08:03:00Z");
        let done = live.finish().expect("finished");
        let outcome = done.outcome.expect("outcome");
        assert_eq!(outcome.progress.steps, live.progress().steps);
        assert!(
            (outcome.pumped_ml - live.progress().pumped_ml).abs() < 1e-9,
            "saved {} mL, shown {} mL",
            outcome.pumped_ml,
            live.progress().pumped_ml
        );
        let day = app.today().view().expect("today").summary;
        assert_eq!(day.steps, outcome.progress.steps);
        assert!(
            (day.pumped_litres * 1000.0 - outcome.pumped_ml).abs() < 1e-6,
            "the day counts {} L, the walk {} mL",
            day.pumped_litres,
            outcome.pumped_ml
        );
    }

    #[test]
    fn a_raise_cut_off_by_a_pause_is_neither_shown_nor_saved() {
        let (app, clock) = app_with_moving_clock();
        app.sessions()
            .start_set(SessionKind::CalfRaises, SetTargets::default())
            .expect("set started");
        let mut live = app.live_session().expect("live session");
        let frames = live_frames(Segment::CalfRaises {
            reps: 20,
            hold_s: 1.0,
        });
        // The user pauses on their toes in the 20th raise (counted, its
        // hold not measured), then comes down and finishes.
        let top = frames
            .iter()
            .position(|frame| live.push(frame).expect("valid frame").reps == 20)
            .expect("a 20th raise");
        clock.set("2026-11-21T08:01:30Z");
        app.sessions()
            .record(crate::session::SessionEvent::Pause)
            .expect("paused");
        for frame in &frames[top + 1..] {
            live.push(frame).expect("valid frame");
        }
        let shown = live.progress();
        assert_eq!((shown.reps, shown.holds), (19, 19));
        clock.set("2026-11-21T08:02:00Z");
        let done = live.finish().expect("finished");
        assert_eq!(done.progress.reps, shown.reps);
        let outcome = done.outcome.expect("outcome");
        assert!(outcome.pumped_ml > 0.0);
        assert!((outcome.pumped_ml - shown.pumped_ml).abs() < 1e-9);
    }
}
