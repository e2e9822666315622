//! The session state machine and its events.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::kinds::{SessionKind, Target};
use crate::activity::ActivityEvent;
use crate::minutes::ACTIVE_MINUTE_STEPS;
use crate::pump::FASTEST_EXERCISE_PER_MIN;
use crate::walk::MAX_CADENCE_STEPS_PER_MIN;
use crate::{Error, Result};

/// Where a session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionState {
    /// Running.
    Active,
    /// Paused; the clock is stopped.
    Paused,
    /// Done and counted.
    Finished,
    /// Given up; kept in history, not counted.
    Abandoned,
}

impl SessionState {
    /// The name stored.
    pub fn key(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Paused => "paused",
            Self::Finished => "finished",
            Self::Abandoned => "abandoned",
        }
    }

    /// Whether the session is still open (active or paused).
    pub fn is_open(self) -> bool {
        matches!(self, Self::Active | Self::Paused)
    }
}

/// How long a session runs on after its last change (its start, a count, a
/// pause or a resumption) before it is taken to have ended: a Finish that
/// comes later ends it then (see [`Session::apply`]).
pub const IDLE_END_MINUTES: i64 = 30;

/// The same for a walk or a set that has counted nothing at all (a phone
/// without a step counter, a sensor's steps to come with its sync): it
/// ends at the latest three hours after it last changed.
pub const UNCOUNTED_END_MINUTES: i64 = 180;

/// The longest hold a raise records, s: a sensor measuring a longer one
/// (the user stayed up on their toes, balancing or talking) records this.
pub const LONGEST_HOLD_S: f64 = 30.0;

/// Something that happened in a session.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum SessionEvent {
    /// The clock stops.
    Pause,
    /// The clock runs again.
    Resume,
    /// Done.
    Finish,
    /// Given up.
    Abandon,
    /// Steps walked since the last report (pedometer or sensor).
    Steps {
        /// How many.
        count: u32,
    },
    /// One calf raise; the hold is known when a sensor measured it.
    Rep {
        /// Time held at the top, s.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        hold_s: Option<f64>,
    },
    /// Ankle pumps since the last report.
    Pumps {
        /// How many.
        count: u32,
    },
    /// It hurts: leg elevation stops at once.
    Pain,
}

impl SessionEvent {
    /// The event as a session records it: a raise held past
    /// [`LONGEST_HOLD_S`] (the user stayed up on their toes, balancing or
    /// talking; a finger left on the app's hold pad) as held that long.
    /// Refused instead, such a raise was lost, and a live counter, retrying
    /// it with every frame, counted nothing more in the set.
    pub fn within_limits(self) -> Self {
        match self {
            Self::Rep { hold_s: Some(h) } if h > LONGEST_HOLD_S => Self::Rep {
                hold_s: Some(LONGEST_HOLD_S),
            },
            other => other,
        }
    }

    /// What a detected activity stands for in a session, if anything: a
    /// walking bout's steps, one calf raise with the hold the sensor
    /// measured, an ankle-pump set's count. Single steps and sets of raises
    /// are left out (their bout and their raises already count).
    pub fn from_detection(event: &ActivityEvent) -> Option<Self> {
        match *event {
            ActivityEvent::WalkingBout { steps, .. } => Some(Self::Steps { count: steps }),
            ActivityEvent::CalfRaise { hold_s, .. } => Some(Self::Rep {
                hold_s: Some(hold_s),
            }),
            ActivityEvent::AnklePumpSet { count, .. } => Some(Self::Pumps { count }),
            _ => None,
        }
    }
}

/// An event with its time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TimedEvent {
    /// When.
    pub at: DateTime<Utc>,
    /// What.
    #[serde(flatten)]
    pub event: SessionEvent,
}

/// One session, rebuilt from its events.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Session {
    /// The database id (0 before it is stored).
    pub id: i64,
    /// What it is.
    pub kind: SessionKind,
    /// What the user aims for.
    pub target: Target,
    /// When it began.
    pub started: DateTime<Utc>,
    /// The zone the user was in.
    pub time_zone: Tz,
    /// Where it stands.
    pub state: SessionState,
    /// Everything after the start, in order.
    pub events: Vec<TimedEvent>,
}

impl Session {
    /// A new, running session.
    pub fn start(
        kind: SessionKind,
        target: Target,
        time_zone: Tz,
        at: DateTime<Utc>,
    ) -> Result<Self> {
        target.validate(kind)?;
        Ok(Self {
            id: 0,
            kind,
            target,
            started: at,
            time_zone,
            state: SessionState::Active,
            events: Vec::new(),
        })
    }

    /// Applies `event` at `at`, or says why it does not fit; returns the
    /// event as applied, to be stored. A clock set back since the last
    /// change refuses counts and pauses, but a session can always be ended:
    /// it ends when it last changed. One left running ends at the latest
    /// [`IDLE_END_MINUTES`] after it last changed (see [`Self::ends_by`]):
    /// a Finish that comes later ends it then, and so does anything else
    /// that comes later while it runs (a count, a pause): the session had
    /// ended, so what is applied and returned is a Finish at that time and
    /// the late event is left out. A walk's steps that read as walking all
    /// along (see [`Self::walked_through`]) are the exception: counted. A
    /// count of steps or pumps is capped at what the session's active time
    /// allows (see [`Self::capped`]): a counter's glitch is not walking,
    /// and a sensor's live stream must go on, so the excess is dropped
    /// rather than the count refused.
    pub fn apply(&mut self, event: SessionEvent, at: DateTime<Utc>) -> Result<TimedEvent> {
        let event = event.within_limits();
        let last = self.events.last().map_or(self.started, |e| e.at);
        let ends_by = self.ends_by(self.last_change());
        let ends = match event {
            SessionEvent::Finish | SessionEvent::Abandon => true,
            SessionEvent::Pain => self.kind == SessionKind::LegElevation,
            _ => false,
        };
        // What does not fit the session at all is refused, late or not.
        self.next_state(event)?;
        // Ended as asked (given up stays given up; a Finish finds a set
        // without a rep given up).
        let asked = match event {
            SessionEvent::Finish => self.finishing(),
            other => other,
        };
        let (event, at) = match event {
            // When it had ended by itself, if that was before.
            _ if ends && at > ends_by => (asked, self.closes_at(ends_by)),
            _ if ends => (asked, at),
            _ if self.state == SessionState::Active
                && at > ends_by
                && !self.walked_through(event, at) =>
            {
                (self.finishing(), self.closes_at(ends_by))
            }
            _ => (event, at),
        };
        let ends = ends || matches!(event, SessionEvent::Finish | SessionEvent::Abandon);
        let at = match at < last {
            true if ends => last,
            true => {
                let clock = |t: DateTime<Utc>| t.with_timezone(&self.time_zone).format("%H:%M:%S");
                return Err(Error::invalid(
                    "time",
                    format!(
                        "the clock reads {} ({}), before the session's last change at {}: \
                         set the phone's clock right, or finish the session",
                        clock(at),
                        self.time_zone,
                        clock(last)
                    ),
                ));
            }
            false => at,
        };
        let next = self.next_state(event)?;
        let event = self.capped(event, at);
        self.state = next;
        let applied = TimedEvent { at, event };
        self.events.push(applied);
        Ok(applied)
    }

    /// The latest a session that last changed at `last` can end: half an
    /// hour after it ([`IDLE_END_MINUTES`]), three hours when it has
    /// counted nothing ([`UNCOUNTED_END_MINUTES`]); leg elevation, which
    /// counts nothing, half an hour after its time is up. A walk whose
    /// Finish was forgotten ends half an hour after its last step, not when
    /// the user notices (hours of walking with no step in them, a stored
    /// minute each), and a Finish after a clock jumped years ahead does not
    /// fill the years with minutes.
    fn ends_by(&self, last: DateTime<Utc>) -> DateTime<Utc> {
        let minutes = match self.kind {
            SessionKind::LegElevation => {
                IDLE_END_MINUTES + i64::from(self.target.minutes.unwrap_or(0))
            }
            // A phone without a step counter, or a sensor that has not
            // counted yet: a walk of hours is a walk.
            _ if self.movements_counted() == 0 => UNCOUNTED_END_MINUTES,
            _ => IDLE_END_MINUTES,
        };
        last + chrono::Duration::minutes(minutes)
    }

    /// `event` with its count cut to what the session's active time up to
    /// `at` still allows: the highest plausible walking cadence
    /// ([`MAX_CADENCE_STEPS_PER_MIN`], as for a logged walk) or
    /// the fastest pace of pumps the model takes
    /// ([`FASTEST_EXERCISE_PER_MIN`]), over the session so far and
    /// one minute more (a first count may come the instant it starts).
    fn capped(&self, event: SessionEvent, at: DateTime<Utc>) -> SessionEvent {
        let allowed = |per_minute: f64| {
            let minutes = self.active_seconds(at) / 60.0 + 1.0;
            let most = (per_minute * minutes).floor() as u64;
            u32::try_from(most.saturating_sub(self.movements_counted())).unwrap_or(u32::MAX)
        };
        match event {
            SessionEvent::Steps { count } => SessionEvent::Steps {
                count: count.min(allowed(MAX_CADENCE_STEPS_PER_MIN as f64)),
            },
            SessionEvent::Pumps { count } => SessionEvent::Pumps {
                count: count.min(allowed(FASTEST_EXERCISE_PER_MIN)),
            },
            other => other,
        }
    }

    /// Whether `event`, a walk's steps counted at `at` long after its last
    /// change, reads as walking all along: at a walking pace over the time
    /// since, at least a minute's real movement
    /// ([`ACTIVE_MINUTE_STEPS`] a minute) and no faster than anyone walks
    /// ([`MAX_CADENCE_STEPS_PER_MIN`]). A phone's step counter sends the
    /// whole walk at once when the phone was locked and the app asleep
    /// (iOS). A few steps after hours (the evening's, a clock jumped
    /// ahead) or a counter's glitch do not.
    fn walked_through(&self, event: SessionEvent, at: DateTime<Utc>) -> bool {
        let SessionEvent::Steps { count } = event else {
            return false;
        };
        let minutes = (at - self.last_change()).as_seconds_f64() / 60.0;
        let pace = f64::from(count) / minutes;
        self.kind == SessionKind::Walk
            && (f64::from(ACTIVE_MINUTE_STEPS)..=MAX_CADENCE_STEPS_PER_MIN as f64).contains(&pace)
    }

    /// The instant a session that ended by itself at `ends_by` closes at:
    /// a set at its last rep (the half hour of waiting after it was no
    /// exercise, and would take in the next set a sensor counts alone); a
    /// walk or leg elevation at `ends_by` (a walk's stretches are logged
    /// from its counts apart).
    fn closes_at(&self, ends_by: DateTime<Utc>) -> DateTime<Utc> {
        if self.kind.is_set() {
            self.last_change()
        } else {
            ends_by
        }
    }

    /// How a session that ends, by itself or by a Finish, ends: finished,
    /// except a set without a single rep, which was never done (given up:
    /// it neither counts as a set in the day nor hides a set a sensor
    /// counted).
    fn finishing(&self) -> SessionEvent {
        if self.kind.is_set() && self.movements_counted() == 0 {
            SessionEvent::Abandon
        } else {
            SessionEvent::Finish
        }
    }

    /// Whether the session, once it ends, is saved (not a set without a
    /// single rep, which is given up).
    pub fn saved_when_it_ends(&self) -> bool {
        self.finishing() == SessionEvent::Finish
    }

    /// When a session that ends by itself now closes finished (see
    /// [`Self::ends_by_itself`]): a set at its last rep, anything else then;
    /// none for a set without a rep, which is given up then.
    pub fn closes_by_itself_at(&self) -> Option<DateTime<Utc>> {
        self.ends_by_itself()
            .filter(|_| self.saved_when_it_ends())
            .map(|end| self.closes_at(end))
    }

    /// Whether it has ended by itself by `now`, nothing having come since
    /// to save it (its Finish forgotten): saved at that end by the next
    /// event or start.
    pub fn ended_by_itself(&self, now: DateTime<Utc>) -> bool {
        self.ends_by_itself().is_some_and(|end| end < now)
    }

    /// Where its clock stands at `now`: `now`, or, once it has ended by
    /// itself, where it will be saved to end (its stopwatch stops there).
    pub fn clock_at(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        match self.ends_by_itself() {
            Some(end) if end < now => self.closes_at(end),
            _ => now,
        }
    }

    /// When the session ends by itself if nothing more comes: an active
    /// one at [`Self::ends_by`] its last change (half an hour after it,
    /// three hours when it counted nothing, leg elevation half an hour
    /// after its time); a paused one waits for the user (`None`).
    pub fn ends_by_itself(&self) -> Option<DateTime<Utc>> {
        (self.state == SessionState::Active).then(|| self.ends_by(self.last_change()))
    }

    /// When the session last changed: its last event, a count of nothing
    /// left out (a counter reporting no steps is no sign of a walk going
    /// on), or its start.
    pub fn last_change(&self) -> DateTime<Utc> {
        self.events
            .iter()
            .rev()
            .find(|e| {
                !matches!(
                    e.event,
                    SessionEvent::Steps { count: 0 } | SessionEvent::Pumps { count: 0 }
                )
            })
            .map_or(self.started, |e| e.at)
    }

    /// Steps, raises and pumps counted so far.
    fn movements_counted(&self) -> u64 {
        self.events
            .iter()
            .map(|e| match e.event {
                SessionEvent::Steps { count } | SessionEvent::Pumps { count } => u64::from(count),
                SessionEvent::Rep { .. } => 1,
                _ => 0,
            })
            .sum()
    }

    fn next_state(&self, event: SessionEvent) -> Result<SessionState> {
        use SessionEvent as E;
        use SessionState as S;
        let refuse = |what: &str| {
            Err(Error::Conflict(format!(
                "cannot {what}: the {} session is {}",
                self.kind.key().replace('_', " "),
                self.state.key()
            )))
        };
        match (self.state, event) {
            (S::Finished | S::Abandoned, _) => refuse("change it"),
            (S::Active, E::Pause) => Ok(S::Paused),
            (S::Paused, E::Resume) => Ok(S::Active),
            (S::Paused, E::Pause) => refuse("pause"),
            (S::Active, E::Resume) => refuse("resume"),
            (_, E::Finish) => Ok(S::Finished),
            (_, E::Abandon) => Ok(S::Abandoned),
            (_, E::Pain) if self.kind == SessionKind::LegElevation => Ok(S::Abandoned),
            (_, E::Pain) => Ok(self.state),
            (S::Paused, _) => refuse("count movements"),
            (S::Active, E::Steps { .. }) if self.kind != SessionKind::Walk => {
                refuse("count steps outside a walk")
            }
            (S::Active, E::Rep { hold_s }) => {
                if self.kind != SessionKind::CalfRaises {
                    return refuse("count calf raises outside a calf-raise set");
                }
                match hold_s {
                    Some(h) if !(0.0..=LONGEST_HOLD_S).contains(&h) => Err(Error::invalid(
                        "hold",
                        format!("0–{LONGEST_HOLD_S} s (got {h})"),
                    )),
                    _ => Ok(S::Active),
                }
            }
            (S::Active, E::Pumps { .. }) if self.kind != SessionKind::AnklePumps => {
                refuse("count ankle pumps outside an ankle-pump set")
            }
            (S::Active, E::Steps { .. } | E::Pumps { .. }) => Ok(S::Active),
        }
    }

    /// The stretches the session ran, pauses left out; an open one runs to `now`.
    pub fn active_intervals(&self, now: DateTime<Utc>) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let mut intervals = Vec::new();
        let mut running_since = Some(self.started);
        for e in &self.events {
            let stops = match e.event {
                SessionEvent::Pause | SessionEvent::Finish | SessionEvent::Abandon => true,
                SessionEvent::Pain => self.kind == SessionKind::LegElevation,
                SessionEvent::Resume => {
                    running_since = Some(e.at);
                    false
                }
                _ => false,
            };
            if stops && let Some(since) = running_since.take() {
                intervals.push((since, e.at));
            }
        }
        if let Some(since) = running_since {
            intervals.push((since, now.max(since)));
        }
        intervals
    }

    /// Seconds the session has run, pauses left out, up to `now` (or to its end).
    pub fn active_seconds(&self, now: DateTime<Utc>) -> f64 {
        self.active_intervals(now)
            .iter()
            .map(|(from, to)| (*to - *from).as_seconds_f64())
            .sum()
    }

    /// When it ended, if it has.
    pub fn ended(&self) -> Option<DateTime<Utc>> {
        if self.state.is_open() {
            None
        } else {
            self.events.last().map(|e| e.at)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::utc;

    /// A session of `kind` with its default target, started at `start` (UTC).
    fn started(kind: SessionKind, start: DateTime<Utc>) -> Session {
        Session::start(kind, kind.default_target(), chrono_tz::UTC, start).expect("start")
    }

    fn walk() -> Session {
        Session::start(
            SessionKind::Walk,
            Target::default(),
            chrono_tz::Europe::Berlin,
            utc("2026-11-21T08:00:00Z"),
        )
        .expect("start")
    }

    #[test]
    fn pauses_are_left_out_of_the_time() {
        let mut s = walk();
        s.apply(
            SessionEvent::Steps { count: 1000 },
            utc("2026-11-21T08:10:00Z"),
        )
        .expect("steps");
        s.apply(SessionEvent::Pause, utc("2026-11-21T08:10:00Z"))
            .expect("pause");
        s.apply(SessionEvent::Resume, utc("2026-11-21T08:20:00Z"))
            .expect("resume");
        s.apply(SessionEvent::Finish, utc("2026-11-21T08:25:00Z"))
            .expect("finish");
        assert_eq!(s.active_seconds(utc("2026-11-21T09:00:00Z")), 15.0 * 60.0);
        assert_eq!(s.ended(), Some(utc("2026-11-21T08:25:00Z")));
    }

    #[test]
    fn a_raise_held_past_the_longest_hold_is_recorded_held_that_long_and_a_broken_hold_refused() {
        let start = utc("2026-11-21T08:00:00Z");
        let mut set = started(SessionKind::CalfRaises, start);
        let applied = set
            .apply(
                SessionEvent::Rep { hold_s: Some(45.0) },
                utc("2026-11-21T08:01:00Z"),
            )
            .expect("a long hold counts");
        assert_eq!(
            applied.event,
            SessionEvent::Rep {
                hold_s: Some(LONGEST_HOLD_S)
            }
        );
        for broken in [-1.0, f64::NAN] {
            let refused = set.apply(
                SessionEvent::Rep {
                    hold_s: Some(broken),
                },
                utc("2026-11-21T08:02:00Z"),
            );
            assert!(
                matches!(refused, Err(Error::InvalidInput { .. })),
                "{broken}"
            );
        }
        assert_eq!(set.events.len(), 1, "only the long hold was recorded");
    }

    #[test]
    fn impossible_transitions_are_conflicts_not_panics() {
        let mut s = walk();
        let at = utc("2026-11-21T08:05:00Z");
        assert!(matches!(
            s.apply(SessionEvent::Resume, at),
            Err(Error::Conflict(_))
        ));
        s.apply(SessionEvent::Pause, at).expect("pause");
        assert!(matches!(
            s.apply(SessionEvent::Steps { count: 5 }, at),
            Err(Error::Conflict(_))
        ));
        s.apply(SessionEvent::Finish, at)
            .expect("finish while paused");
        let err = s.apply(SessionEvent::Resume, at).expect_err("finished");
        assert_eq!(
            err.to_string(),
            "cannot change it: the walk session is finished"
        );
        assert!(matches!(
            s.apply(SessionEvent::Finish, utc("2026-11-21T07:00:00Z")),
            Err(Error::Conflict(_))
        ));
    }

    #[test]
    fn a_clock_set_back_refuses_counts_in_local_time_but_the_session_still_ends() {
        // walk() starts at 08:00 UTC in Berlin.
        let mut s = walk();
        s.apply(
            SessionEvent::Steps { count: 500 },
            utc("2026-11-21T08:10:00Z"),
        )
        .expect("steps");
        let refused = s
            .apply(
                SessionEvent::Steps { count: 5 },
                utc("2026-11-21T07:10:00Z"),
            )
            .expect_err("before the last change");
        assert!(
            matches!(&refused, Error::InvalidInput { field: "time", .. })
                && refused.to_string().contains(
                    "the clock reads 08:10:00 (Europe/Berlin), before the session's last change at 09:10:00"
                ),
            "{refused}"
        );
        s.apply(SessionEvent::Finish, utc("2026-11-21T07:10:00Z"))
            .expect("ends all the same");
        assert_eq!(
            s.ended(),
            Some(utc("2026-11-21T08:10:00Z")),
            "when it last changed"
        );
    }

    #[test]
    fn detected_raises_become_reps_with_their_hold() {
        let raise = ActivityEvent::CalfRaise {
            start_s: 1.0,
            end_s: 3.0,
            hold_s: 0.6,
            height_cm: 6.0,
            confidence: 0.9,
        };
        assert_eq!(
            SessionEvent::from_detection(&raise),
            Some(SessionEvent::Rep { hold_s: Some(0.6) })
        );
        let step = ActivityEvent::Step {
            t_s: 1.0,
            own_leg: true,
            confidence: 1.0,
        };
        assert_eq!(SessionEvent::from_detection(&step), None);
    }

    #[test]
    fn reps_belong_to_calf_raise_sets_only() {
        let mut s = walk();
        assert!(
            s.apply(
                SessionEvent::Rep { hold_s: None },
                utc("2026-11-21T08:01:00Z")
            )
            .is_err()
        );
    }

    #[test]
    fn pain_ends_leg_elevation_at_once() {
        let mut s = Session::start(
            SessionKind::LegElevation,
            SessionKind::LegElevation.default_target(),
            chrono_tz::UTC,
            utc("2026-11-21T08:00:00Z"),
        )
        .expect("start");
        s.apply(SessionEvent::Pain, utc("2026-11-21T08:03:00Z"))
            .expect("pain");
        assert_eq!(s.state, SessionState::Abandoned);
        assert_eq!(s.active_seconds(utc("2026-11-21T09:00:00Z")), 180.0);
    }

    #[test]
    fn counts_beyond_the_fastest_pace_are_capped_not_refused() {
        let start = utc("2026-11-21T08:00:00Z");
        let at = |seconds| start + chrono::Duration::seconds(seconds);
        let mut walk = Session::start(
            SessionKind::Walk,
            SessionKind::Walk.default_target(),
            chrono_tz::UTC,
            start,
        )
        .expect("start");
        // At the start a first count may come at once: a minute's worth.
        let first = walk
            .apply(SessionEvent::Steps { count: 400 }, start)
            .expect("steps");
        assert_eq!(first.event, SessionEvent::Steps { count: 250 });
        walk.apply(SessionEvent::Pause, at(60)).expect("pause");
        walk.apply(SessionEvent::Resume, at(3600)).expect("resume");
        // The hour paused does not count: 2 active minutes and one more.
        let glitch = walk
            .apply(SessionEvent::Steps { count: u32::MAX }, at(3660))
            .expect("steps");
        assert_eq!(glitch.event, SessionEvent::Steps { count: 500 });
        assert_eq!(walk.events.last(), Some(&glitch), "kept as applied");
        let walked = walk
            .apply(SessionEvent::Steps { count: 110 }, at(3720))
            .expect("steps");
        assert_eq!(walked.event, SessionEvent::Steps { count: 110 });

        let mut pumps = Session::start(
            SessionKind::AnklePumps,
            SessionKind::AnklePumps.default_target(),
            chrono_tz::UTC,
            start,
        )
        .expect("start");
        let counted = pumps
            .apply(SessionEvent::Pumps { count: 1000 }, at(30))
            .expect("pumps");
        assert_eq!(counted.event, SessionEvent::Pumps { count: 180 });
    }

    #[test]
    fn what_comes_after_a_session_ended_by_itself_ends_it_there() {
        let start = utc("2026-11-21T08:00:00Z");
        let at = |minutes| start + chrono::Duration::minutes(minutes);
        let walk = || {
            Session::start(
                SessionKind::Walk,
                SessionKind::Walk.default_target(),
                chrono_tz::UTC,
                start,
            )
            .expect("start")
        };
        // Forgotten after 20 minutes; steps in the evening (or a clock
        // jumped ahead) do not stretch it over the day.
        let mut forgotten = walk();
        forgotten
            .apply(SessionEvent::Steps { count: 2000 }, at(20))
            .expect("steps");
        let late = forgotten
            .apply(SessionEvent::Steps { count: 500 }, at(600))
            .expect("late steps");
        assert_eq!(
            late,
            TimedEvent {
                at: at(50),
                event: SessionEvent::Finish
            }
        );
        assert_eq!(forgotten.state, SessionState::Finished);
        assert_eq!(forgotten.ended(), Some(at(50)));
        assert_eq!(forgotten.movements_counted(), 2000);

        // A counter reporting nothing keeps no walk alive.
        let mut idle = walk();
        idle.apply(SessionEvent::Steps { count: 2000 }, at(20))
            .expect("steps");
        for minute in [30, 45] {
            idle.apply(SessionEvent::Steps { count: 0 }, at(minute))
                .expect("nothing counted");
        }
        let finished = idle.apply(SessionEvent::Finish, at(300)).expect("finish");
        assert_eq!(finished.at, at(50), "30 min after the last step");
        let mut quiet = walk();
        quiet
            .apply(SessionEvent::Steps { count: 2000 }, at(20))
            .expect("steps");
        quiet
            .apply(SessionEvent::Steps { count: 0 }, at(40))
            .expect("nothing counted");
        assert_eq!(
            quiet
                .apply(SessionEvent::Pause, at(55))
                .expect("late")
                .event,
            SessionEvent::Finish,
            "ended 30 min after its last step, not after the empty count"
        );
        assert_eq!(quiet.ended(), Some(at(50)));

        // A locked phone's step counter sends the whole walk on unlocking:
        // at a walking pace since the last count, it is the walk's.
        let mut locked = walk();
        locked
            .apply(SessionEvent::Steps { count: 20 }, at(1))
            .expect("steps");
        let unlocked = locked
            .apply(SessionEvent::Steps { count: 4400 }, at(45))
            .expect("steps");
        assert_eq!(unlocked.event, SessionEvent::Steps { count: 4400 });
        assert_eq!(locked.state, SessionState::Active);
        // A counter's glitch after the end is not (faster than anyone walks).
        let glitch = locked
            .apply(SessionEvent::Steps { count: u32::MAX }, at(200))
            .expect("late");
        assert_eq!(glitch.event, SessionEvent::Finish);
        assert_eq!(locked.ended(), Some(at(75)));

        // A pause is not idling: resuming after lunch goes on.
        let mut lunch = walk();
        lunch.apply(SessionEvent::Pause, at(20)).expect("pause");
        let resumed = lunch.apply(SessionEvent::Resume, at(90)).expect("resume");
        assert_eq!(resumed.event, SessionEvent::Resume);
        assert_eq!(lunch.state, SessionState::Active);
    }

    #[test]
    fn a_session_left_running_ends_half_an_hour_after_it_last_changed() {
        let start = utc("2026-11-21T08:00:00Z");
        let at = |minutes| start + chrono::Duration::minutes(minutes);
        let mut walk = started(SessionKind::Walk, start);
        walk.apply(SessionEvent::Steps { count: 2000 }, at(20))
            .expect("steps");
        // Finish forgotten until the evening.
        let finished = walk.apply(SessionEvent::Finish, at(600)).expect("finish");
        assert_eq!(finished.at, at(50));
        assert_eq!(walk.ended(), Some(at(50)));
        assert_eq!(walk.active_seconds(at(600)), 50.0 * 60.0);

        // A walk that counted nothing (no step counter) keeps its 45 minutes.
        let mut uncounted = started(SessionKind::Walk, start);
        assert_eq!(
            uncounted
                .apply(SessionEvent::Finish, at(45))
                .expect("finish")
                .at,
            at(45)
        );

        // A clock that jumps years ahead: the same.
        let mut set = started(SessionKind::CalfRaises, start);
        let later = utc("2051-01-01T00:00:00Z");
        assert_eq!(
            set.apply(SessionEvent::Abandon, later).expect("abandon"),
            TimedEvent {
                at: start,
                event: SessionEvent::Abandon
            },
            "nothing counted: over at its start, and given up stays given up"
        );
        assert_eq!(set.state, SessionState::Abandoned);

        // A set is over at its last rep: the half hour of waiting after it
        // was no exercise (and would take in the next set a sensor counts
        // alone).
        let mut set = started(SessionKind::CalfRaises, start);
        set.apply(SessionEvent::Rep { hold_s: Some(1.0) }, at(2))
            .expect("rep");
        let finished = set.apply(SessionEvent::Finish, at(90)).expect("finish");
        assert_eq!((finished.event, finished.at), (SessionEvent::Finish, at(2)));
        // Tapped within the half hour, it ends when tapped.
        let mut tapped = started(SessionKind::AnklePumps, start);
        tapped
            .apply(SessionEvent::Pumps { count: 30 }, at(1))
            .expect("pumps");
        assert_eq!(
            tapped
                .apply(SessionEvent::Finish, at(10))
                .expect("finish")
                .at,
            at(10)
        );
        // A set without a rep that ends by itself (a rep comes hours later)
        // was never done: given up, so it neither counts nor hides a set.
        let mut empty = started(SessionKind::CalfRaises, start);
        let ended = empty
            .apply(SessionEvent::Rep { hold_s: None }, at(200))
            .expect("late rep");
        assert_eq!((ended.event, ended.at), (SessionEvent::Abandon, start));
        assert_eq!(empty.state, SessionState::Abandoned);
        // So does a Finish tapped after it ended by itself.
        let mut forgotten = started(SessionKind::CalfRaises, start);
        let ended = forgotten
            .apply(SessionEvent::Finish, at(200))
            .expect("late finish");
        assert_eq!((ended.event, ended.at), (SessionEvent::Abandon, start));
        // And a Finish tapped in time on a set without a rep: nothing was
        // done, so nothing counts (the day's sets, a sensor's own record of
        // the set).
        let mut empty = started(SessionKind::AnklePumps, start);
        empty
            .apply(SessionEvent::Pumps { count: 0 }, at(1))
            .expect("a count of nothing");
        let ended = empty.apply(SessionEvent::Finish, at(5)).expect("finish");
        assert_eq!((ended.event, ended.at), (SessionEvent::Abandon, at(5)));
        assert_eq!(empty.state, SessionState::Abandoned);
        // A walk finished before its first step is still a walk (a phone
        // without a step counter counts none).
        let mut walk = started(SessionKind::Walk, start);
        let ended = walk.apply(SessionEvent::Finish, at(20)).expect("finish");
        assert_eq!(ended.event, SessionEvent::Finish);

        // Leg elevation counts nothing: half an hour after its time is up.
        let mut elevation = Session::start(
            SessionKind::LegElevation,
            SessionKind::LegElevation.default_target(),
            chrono_tz::UTC,
            start,
        )
        .expect("start");
        assert_eq!(
            elevation
                .apply(SessionEvent::Finish, at(30))
                .expect("finish")
                .at,
            at(30),
            "a Finish in time is kept"
        );
        let mut forgotten = Session::start(
            SessionKind::LegElevation,
            SessionKind::LegElevation.default_target(),
            chrono_tz::UTC,
            start,
        )
        .expect("start");
        assert_eq!(
            forgotten
                .apply(SessionEvent::Finish, at(300))
                .expect("finish")
                .at,
            at(15 + 30)
        );
    }
}
