//! What a session shows while it runs (progress, feedback) and what it
//! adds up to when finished (with the pump model's volumes).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::kinds::SessionKind;
use super::machine::{Session, SessionEvent, SessionState};
use crate::Result;
use crate::activity::USEFUL_HOLD_S;
use crate::daily::pump_yield_for;
use crate::minutes::MinuteActivity;
use crate::pump::{Person, Posture, Simulation, Valves};

/// A word to the user about how it is going.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "feedback", rename_all = "snake_case")]
pub enum Feedback {
    /// The last calf raise was not held long enough.
    HoldLonger {
        /// How long it was held, s.
        held_s: f64,
        /// The hold asked for, s.
        target_s: f64,
    },
    /// The target repetitions are done.
    SetComplete,
    /// The pace is well above the target.
    SlowDown {
        /// Current pace, a minute.
        rate_per_min: f64,
    },
    /// The pace is well below the target.
    SpeedUp {
        /// Current pace, a minute.
        rate_per_min: f64,
    },
    /// Leg elevation has run its time.
    TimeUp,
    /// The session ended by itself, its Finish forgotten (see
    /// [`Session::ended_by_itself`]): a Finish or the next start saves it at
    /// that end. Said alone: what it said before is stale.
    EndedByItself {
        /// What ended.
        kind: SessionKind,
        /// Whether it is saved (a set without a single rep is not).
        saved: bool,
    },
}

impl Feedback {
    /// The sentence the apps show.
    pub fn message(&self) -> String {
        match self {
            Self::HoldLonger { held_s, target_s } => format!(
                "Held {held_s:.1} s: stay up on your toes for a full {} s before lowering",
                // "1 s", "1.5 s": a target of half a second is not "0 s".
                format!("{target_s:.1}").trim_end_matches(".0")
            ),
            Self::SetComplete => "Set complete: well done".to_owned(),
            Self::SlowDown { rate_per_min } => {
                format!("{rate_per_min:.0} a minute: slow down, full range each time")
            }
            Self::SpeedUp { rate_per_min } => {
                format!("{rate_per_min:.0} a minute: a little quicker")
            }
            Self::TimeUp => {
                "Time is up: lower your legs slowly and sit up for a minute before standing"
                    .to_owned()
            }
            Self::EndedByItself { saved: false, .. } => {
                "This set ended by itself before its first repetition: there is nothing to save"
                    .to_owned()
            }
            Self::EndedByItself { kind, saved: true } => {
                let (what, since) = match kind {
                    SessionKind::Walk => ("walk", "its last step"),
                    SessionKind::CalfRaises | SessionKind::AnklePumps => {
                        ("set", "its last repetition")
                    }
                    SessionKind::LegElevation => ("leg elevation", "its time was up"),
                };
                format!(
                    "This {what} ended by itself a while after {since}: Finish saves it as it was then"
                )
            }
        }
    }
}

/// A session as it stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Progress {
    /// What it is.
    pub kind: SessionKind,
    /// Where it stands.
    pub state: SessionState,
    /// Seconds run, pauses left out.
    pub active_seconds: f64,
    /// Steps (walks).
    pub steps: u32,
    /// Calf raises or ankle pumps done.
    pub reps: u32,
    /// The repetitions asked for.
    pub target_reps: Option<u32>,
    /// Mean hold of the raises whose hold was measured, s.
    pub mean_hold_s: Option<f64>,
    /// Raises held shorter than the useful minimum.
    pub short_holds: u32,
    /// Pace, repetitions a minute of active time.
    pub rate_per_min: Option<f64>,
    /// Seconds left (leg elevation).
    pub remaining_s: Option<f64>,
    /// What to tell the user now.
    pub feedback: Vec<Feedback>,
    /// It has ended by itself (its Finish forgotten, see
    /// [`Session::ended_by_itself`]) and is saved at that end by the next
    /// event, a Finish, or the next start: no second tap of Start. Its
    /// active time stops at that end. Left out of JSON when false (a saved
    /// outcome's progress is never still open).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub ended_by_itself: bool,
}

/// Paces further than this from the target, either way, draw a comment.
const PACE_TOLERANCE: f64 = 0.3;

impl Progress {
    /// The session's progress at `now`.
    pub fn of(session: &Session, now: DateTime<Utc>) -> Self {
        let active_seconds = session.active_seconds(session.clock_at(now));
        let mut steps = 0u32;
        let mut reps = 0u32;
        let mut holds = Vec::new();
        let mut last_rep_hold = None;
        for e in &session.events {
            match e.event {
                SessionEvent::Steps { count } => steps = steps.saturating_add(count),
                SessionEvent::Pumps { count } => reps = reps.saturating_add(count),
                SessionEvent::Rep { hold_s } => {
                    reps += 1;
                    holds.extend(hold_s);
                    last_rep_hold = Some(hold_s);
                }
                _ => {}
            }
        }
        let target = session.target;
        let useful_hold = target
            .hold_s
            .map_or(USEFUL_HOLD_S, |h| h.min(USEFUL_HOLD_S));
        let short_holds =
            u32::try_from(holds.iter().filter(|h| **h < useful_hold).count()).unwrap_or(0);
        let mean_hold_s =
            (!holds.is_empty()).then(|| holds.iter().sum::<f64>() / holds.len() as f64);
        let rate_per_min =
            (reps > 0 && active_seconds >= 10.0).then(|| f64::from(reps) * 60.0 / active_seconds);
        let remaining_s = target
            .minutes
            .map(|m| (f64::from(m) * 60.0 - active_seconds).max(0.0));
        let mut feedback = Vec::new();
        if let (Some(Some(held)), Some(asked)) = (last_rep_hold, target.hold_s)
            && held < useful_hold
        {
            feedback.push(Feedback::HoldLonger {
                held_s: held,
                target_s: asked,
            });
        }
        if session.kind == SessionKind::AnklePumps
            && let (Some(rate), Some(asked)) = (rate_per_min, target.rate_per_min)
        {
            if rate > asked * (1.0 + PACE_TOLERANCE) {
                feedback.push(Feedback::SlowDown { rate_per_min: rate });
            } else if rate < asked * (1.0 - PACE_TOLERANCE) {
                feedback.push(Feedback::SpeedUp { rate_per_min: rate });
            }
        }
        if target.reps.is_some_and(|t| reps >= t) {
            feedback.push(Feedback::SetComplete);
        }
        if remaining_s == Some(0.0) {
            feedback.push(Feedback::TimeUp);
        }
        let ended_by_itself = session.ended_by_itself(now);
        if ended_by_itself {
            feedback = vec![Feedback::EndedByItself {
                kind: session.kind,
                saved: session.saved_when_it_ends(),
            }];
        }
        Self {
            kind: session.kind,
            state: session.state,
            active_seconds,
            steps,
            reps,
            target_reps: target.reps,
            mean_hold_s,
            short_holds,
            rate_per_min,
            remaining_s,
            feedback,
            ended_by_itself,
        }
    }
}

/// A stretch of a session's active time with what was counted in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stretch {
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    steps: u32,
    reps: u32,
}

impl Outcome {
    /// The minutes the finished phone session `session` adds to its days:
    /// its active time (pauses left out) with its posture, and each count
    /// of steps or repetitions in the active time since the count before
    /// it (the first, since the start). So a walk's steps fall in the
    /// minutes they were walked: fifteen minutes of walking and fifteen of
    /// standing still before Finish are not thirty minutes of slow walking,
    /// nor a Finish forgotten until noon a morning of it.
    pub fn minutes(&self, session: &Session) -> Vec<MinuteActivity> {
        use crate::sensor::gatt::Posture as Seen;
        let posture = match session.kind {
            SessionKind::Walk => Seen::Walking,
            SessionKind::CalfRaises => Seen::Standing,
            SessionKind::AnklePumps => Seen::Sitting,
            SessionKind::LegElevation => Seen::LegsRaised,
        };
        stretches(session)
            .into_iter()
            .flat_map(|s| crate::minutes::spread(s.from, s.to, s.steps, s.reps, posture))
            .collect()
    }

    /// The walk log's rows of the finished walk `session`: one for each
    /// stretch walked between pauses, from where it began to its last step
    /// counted, with its steps; none for a stretch without steps. A pause is
    /// not walking: a walk paused for lunch is two walks at their own
    /// cadence, not one at a fraction of it, and one paused in the evening
    /// and finished the next morning stays in the evening.
    pub fn walked(&self, session: &Session) -> Vec<WalkedStretch> {
        let end = session.ended().unwrap_or(session.started);
        let intervals = session.active_intervals(end);
        let mut rows: Vec<Option<WalkedStretch>> = vec![None; intervals.len()];
        for stretch in stretches(session).iter().filter(|s| s.steps > 0) {
            // The stretch walked in: the last one begun by the stretch's start.
            let Some(i) = intervals
                .iter()
                .rposition(|(from, _)| *from <= stretch.from)
            else {
                continue;
            };
            let row = rows[i].get_or_insert(WalkedStretch {
                from: intervals[i].0,
                to: stretch.to,
                steps: 0,
            });
            row.to = row.to.max(stretch.to);
            row.steps += stretch.steps;
        }
        // A count made the instant a stretch began (no active time before
        // it) is no walk of its own: its steps join the stretch before.
        let mut walked: Vec<WalkedStretch> = Vec::new();
        for row in rows.into_iter().flatten() {
            match walked.last_mut() {
                Some(before) if row.to - row.from < chrono::Duration::seconds(1) => {
                    before.steps += row.steps;
                }
                _ => walked.push(row),
            }
        }
        walked
    }
}

/// A stretch a walk session walked between its pauses: a row of the walk log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WalkedStretch {
    /// Where it began: the walk's start, or its resumption.
    pub from: DateTime<Utc>,
    /// Its last step counted.
    pub to: DateTime<Utc>,
    /// Steps of both legs.
    pub steps: u32,
}

/// The active time of `session` (pauses left out), cut at each count, each
/// piece with its share of the count that ends it: a count covers the
/// active time since the count before it (the first, since the start).
fn stretches(session: &Session) -> Vec<Stretch> {
    let end = session.ended().unwrap_or(session.started);
    let intervals = session.active_intervals(end);
    let mut stretches = Vec::new();
    let mut since = session.started;
    for e in &session.events {
        let (steps, reps) = counted(session.kind, e.event);
        if steps == 0 && reps == 0 {
            continue;
        }
        let span = active_between(&intervals, since, e.at);
        let span = if span.is_empty() {
            // Counted with no active time before it (at the start, or on
            // resuming): in the moment it was counted.
            vec![(e.at, e.at + chrono::Duration::milliseconds(1))]
        } else {
            span
        };
        stretches.extend(shared(&span, steps, reps));
        since = e.at;
    }
    // The active time after the last count: nothing counted in it.
    stretches.extend(shared(&active_between(&intervals, since, end), 0, 0));
    stretches
}

/// The steps and repetitions `event` counts in a session of `kind` (as its
/// progress adds them up: steps for a walk, repetitions for a set).
fn counted(kind: SessionKind, event: SessionEvent) -> (u32, u32) {
    match (kind, event) {
        (SessionKind::Walk, SessionEvent::Steps { count }) => (count, 0),
        (SessionKind::CalfRaises | SessionKind::AnklePumps, SessionEvent::Rep { .. }) => (0, 1),
        (SessionKind::CalfRaises | SessionKind::AnklePumps, SessionEvent::Pumps { count }) => {
            (0, count)
        }
        _ => (0, 0),
    }
}

/// The parts of `intervals` between `from` and `to`.
fn active_between(
    intervals: &[(DateTime<Utc>, DateTime<Utc>)],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    intervals
        .iter()
        .map(|(a, b)| ((*a).max(from), (*b).min(to)))
        .filter(|(a, b)| a < b)
        .collect()
}

/// `span`'s parts, each with `steps` and `reps` in proportion to its time;
/// the parts add up to them exactly.
fn shared(span: &[(DateTime<Utc>, DateTime<Utc>)], steps: u32, reps: u32) -> Vec<Stretch> {
    let total_ms: i64 = span.iter().map(|(a, b)| (*b - *a).num_milliseconds()).sum();
    let share_until = |total: u32, ms: i64| -> u32 {
        if total_ms <= 0 {
            return total;
        }
        // i128: a session left running for weeks would overflow i64 here.
        u32::try_from(i128::from(total) * i128::from(ms) / i128::from(total_ms)).unwrap_or(total)
    };
    let mut done_ms = 0;
    span.iter()
        .map(|(from, to)| {
            let before = done_ms;
            done_ms += (*to - *from).num_milliseconds();
            let part = |total: u32| share_until(total, done_ms) - share_until(total, before);
            Stretch {
                from: *from,
                to: *to,
                steps: part(steps),
                reps: part(reps),
            }
        })
        .collect()
}

/// A finished calf-raise or ankle-pump set, as a health platform records an
/// exercise session: its times, kind and repetitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FinishedSet {
    /// Calf raises or ankle pumps.
    pub kind: SessionKind,
    /// When it began.
    pub started: DateTime<Utc>,
    /// When it ended.
    pub ended: DateTime<Utc>,
    /// Repetitions done.
    pub reps: u32,
    /// Whether the sensor recorded it on its own (else a phone session).
    pub from_sensor: bool,
}

/// What a set the sensor recorded on its own adds up to, as stored with
/// its session (the sensor reports no steps or volume).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SensorSetOutcome {
    /// Repetitions.
    pub reps: u8,
    /// How long the set took, s.
    pub duration_s: u16,
    /// The mean hold at the top, s.
    pub mean_hold_s: f64,
}

impl SensorSetOutcome {
    /// From the sensor's figures (hold in tenths of a second).
    pub fn new(reps: u8, duration_s: u16, mean_hold_ds: u16) -> Self {
        Self {
            reps,
            duration_s,
            mean_hold_s: f64::from(mean_hold_ds) / 10.0,
        }
    }
}

/// A finished session's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// The figures as they ended.
    pub progress: Progress,
    /// Steps a minute (walks), over the stretches walked, each from its
    /// start to its last step counted (see [`Outcome::walked`]).
    pub cadence_spm: Option<f64>,
    /// Distance, km (walks): speed from cadence (Grieve & Gear 1966) × the
    /// time walked.
    pub distance_km: Option<f64>,
    /// Blood the calves sent up, mL: the session's steps or repetitions
    /// weighed by the person's pump yields ([`crate::pump::PumpYield::pumped_ml`]),
    /// as the live counter and the day's summary weigh them, so a walk shows
    /// one figure wherever it is shown.
    pub pumped_ml: f64,
    /// Leg elevation: lower-leg volume change of both legs, mL (negative:
    /// the legs emptied), from the pump model after an hour of sitting.
    pub leg_volume_change_ml: Option<f64>,
    /// Whether the target was reached.
    pub target_met: bool,
}

impl Outcome {
    /// Adds up `session` for `person`: movements by the person's pump
    /// yields; a leg elevation by running the pump model.
    pub fn of(session: &Session, person: Person, now: DateTime<Utc>) -> Result<Self> {
        let progress = Progress::of(session, now);
        let minutes = progress.active_seconds / 60.0;
        let mut outcome = Self {
            cadence_spm: None,
            distance_km: None,
            pumped_ml: 0.0,
            leg_volume_change_ml: None,
            target_met: session.target.reps.is_none_or(|t| progress.reps >= t),
            progress,
        };
        // The movements weighed by the person's yields, as the live counter
        // and the day weigh them. A session without active time has no
        // minutes to count them in: the day adds none, nor does its outcome.
        let (steps, reps) = (outcome.progress.steps, outcome.progress.reps);
        let (raises, pumps) = match session.kind {
            SessionKind::CalfRaises => (reps, 0),
            SessionKind::AnklePumps => (0, reps),
            SessionKind::Walk | SessionKind::LegElevation => (0, 0),
        };
        if steps + raises + pumps > 0 && minutes > 0.0 {
            outcome.pumped_ml = pump_yield_for(person)?.pumped_ml(steps, raises, pumps);
        }
        match session.kind {
            SessionKind::Walk if steps > 0 && minutes > 0.0 => {
                // Over the stretches walked, each from its start to its
                // last step counted: not the half-hour a forgotten Finish
                // adds, nor minutes stood still before Finish. A walk
                // still under way has no such stretches yet: its active
                // time so far.
                let walked = outcome.walked(session);
                let walked_s: f64 = walked
                    .iter()
                    .map(|w| (w.to - w.from).as_seconds_f64())
                    .sum();
                let (steps, minutes) = if walked_s >= 1.0 {
                    (walked.iter().map(|w| w.steps).sum(), walked_s / 60.0)
                } else {
                    (steps, minutes)
                };
                let cadence = f64::from(steps) / minutes;
                let speed_kmh = crate::pump::walking_speed_kmh(cadence);
                outcome.cadence_spm = Some(cadence);
                outcome.distance_km = Some(speed_kmh * minutes / 60.0);
            }
            SessionKind::LegElevation => {
                let angle_deg = session.target.angle_deg.unwrap_or(30.0);
                let mut sim = Simulation::new(person, Valves::Competent, 0.0)?;
                sim.settle(Posture::Sitting);
                sim.rest(Posture::Sitting, 3600.0);
                let before = sim.lower_leg_fluid();
                sim.rest(
                    Posture::LegsRaised { angle_deg },
                    outcome.progress.active_seconds,
                );
                sim.solved()?;
                outcome.leg_volume_change_ml = Some(2.0 * (sim.lower_leg_fluid() - before));
                outcome.target_met = session.state == SessionState::Finished
                    && outcome.progress.remaining_s.is_some_and(|r| r <= 60.0);
            }
            _ => {}
        }
        Ok(outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::{Target, TimedEvent};
    use crate::test_support::utc;

    fn set(holds: &[Option<f64>]) -> Session {
        let start = utc("2026-11-21T08:00:00Z");
        let mut s = Session::start(
            SessionKind::CalfRaises,
            SessionKind::CalfRaises.default_target(),
            chrono_tz::UTC,
            start,
        )
        .expect("start");
        for (i, hold_s) in holds.iter().enumerate() {
            let at = start + chrono::Duration::seconds(3 * (i as i64 + 1));
            s.apply(SessionEvent::Rep { hold_s: *hold_s }, at)
                .expect("rep");
        }
        s
    }

    #[test]
    fn a_short_hold_gets_feedback_and_a_full_set_is_complete() {
        let mut holds = vec![Some(1.1); 19];
        holds.push(Some(0.4));
        let p = Progress::of(&set(&holds), utc("2026-11-21T08:01:00Z"));
        assert_eq!(p.reps, 20);
        assert_eq!(p.short_holds, 1);
        assert!(
            p.feedback.contains(&Feedback::HoldLonger {
                held_s: 0.4,
                target_s: 1.0
            }),
            "{p:?}"
        );
        assert!(p.feedback.contains(&Feedback::SetComplete));
        assert!(
            Feedback::HoldLonger {
                held_s: 0.4,
                target_s: 1.0
            }
            .message()
            .contains("full 1 s")
        );
        let half = Feedback::HoldLonger {
            held_s: 0.2,
            target_s: 0.5,
        };
        assert!(half.message().contains("full 0.5 s"), "{}", half.message());
    }

    #[test]
    fn tapped_reps_without_holds_count_but_get_no_hold_feedback() {
        let p = Progress::of(&set(&[None; 5]), utc("2026-11-21T08:01:00Z"));
        assert_eq!(p.reps, 5);
        assert_eq!(p.mean_hold_s, None);
        assert!(p.feedback.is_empty());
    }

    #[test]
    fn a_set_left_running_says_only_that_it_ended_by_itself() {
        let mut holds = vec![Some(1.1); 19];
        holds.push(Some(0.4));
        // Its last rep at 08:01; it ends by itself half an hour on.
        let running = Progress::of(&set(&holds), utc("2026-11-21T08:20:00Z"));
        assert!(!running.ended_by_itself);
        assert!(running.feedback.contains(&Feedback::SetComplete));
        let left = Progress::of(&set(&holds), utc("2026-11-21T10:00:00Z"));
        assert!(left.ended_by_itself);
        assert_eq!(
            left.feedback,
            [Feedback::EndedByItself {
                kind: SessionKind::CalfRaises,
                saved: true
            }],
            "the hold's word is stale by now"
        );
        assert!(
            left.feedback[0]
                .message()
                .starts_with("This set ended by itself")
        );
        // One without a rep is given up, not saved: it says so (three
        // hours on, when such a set ends).
        let empty = Progress::of(&set(&[]), utc("2026-11-21T11:30:00Z"));
        assert!(empty.ended_by_itself);
        assert_eq!(
            empty.feedback[0].message(),
            "This set ended by itself before its first repetition: there is nothing to save"
        );
    }

    #[test]
    fn a_finished_walk_has_cadence_distance_and_pumped_volume() {
        let start = utc("2026-11-21T08:00:00Z");
        let mut walk = Session::start(SessionKind::Walk, Target::default(), chrono_tz::UTC, start)
            .expect("start");
        walk.apply(
            SessionEvent::Steps { count: 3300 },
            start + chrono::Duration::minutes(30),
        )
        .expect("steps");
        walk.apply(SessionEvent::Finish, start + chrono::Duration::minutes(30))
            .expect("finish");
        let outcome = Outcome::of(&walk, Person::default(), start + chrono::Duration::hours(1))
            .expect("outcome");
        let cadence = outcome.cadence_spm.expect("cadence");
        assert!((cadence - 110.0).abs() < 1e-9);
        let km = outcome.distance_km.expect("distance");
        assert!((km - 2.5).abs() < 0.01, "{km}");
        // One figure for the walk wherever it shows: its steps weighed by
        // the person's yield per step, as the live counter and the day do.
        let per_step = pump_yield_for(Person::default())
            .expect("yields")
            .ml_per_step;
        assert!((outcome.pumped_ml - 3300.0 * per_step).abs() < 1e-9);
        // Several mL per step of both calves: litres over a half-hour walk.
        assert!(
            outcome.pumped_ml > 3300.0 * 5.0 && outcome.pumped_ml < 3300.0 * 15.0,
            "{}",
            outcome.pumped_ml
        );
    }

    #[test]
    fn a_walks_log_rows_are_its_stretches_between_pauses_each_step_once() {
        let start = utc("2026-11-21T08:00:00Z");
        let at = |minutes| start + chrono::Duration::minutes(minutes);
        let mut walk = Session::start(SessionKind::Walk, Target::default(), chrono_tz::UTC, start)
            .expect("start");
        let events = [
            (SessionEvent::Steps { count: 1100 }, at(10)),
            // Paused and resumed in the same instant, a count on the seam.
            (SessionEvent::Pause, at(10)),
            (SessionEvent::Resume, at(10)),
            (SessionEvent::Steps { count: 40 }, at(10)),
            (SessionEvent::Steps { count: 550 }, at(15)),
            (SessionEvent::Pause, at(20)),
            // Two stretches more; the next count covers the active time
            // since the count before it, all three stretches.
            (SessionEvent::Resume, at(60)),
            (SessionEvent::Pause, at(65)),
            (SessionEvent::Resume, at(70)),
            (SessionEvent::Steps { count: 330 }, at(73)),
            (SessionEvent::Finish, at(90)),
        ];
        for (event, when) in events {
            walk.apply(event, when).expect("applies");
        }
        let outcome = Outcome::of(&walk, Person::default(), at(90)).expect("outcome");
        let rows = outcome.walked(&walk);
        let row = |from, to, steps| WalkedStretch { from, to, steps };
        // 330 over 13 active minutes: 126 in 08:15–08:20, 127 in 09:00–09:05, 77 after.
        assert_eq!(
            rows,
            [
                row(start, at(10), 1100),
                row(at(10), at(20), 40 + 550 + 126),
                row(at(60), at(65), 127),
                row(at(70), at(73), 77),
            ]
        );
        let logged: u32 = rows.iter().map(|row| row.steps).sum();
        assert_eq!(logged, outcome.progress.steps);

        // Paused, then a count the instant it resumes, and Finish: no
        // one-second walk of 40 steps, they join the stretch before.
        let mut seam = Session::start(SessionKind::Walk, Target::default(), chrono_tz::UTC, start)
            .expect("start");
        for (event, when) in [
            (SessionEvent::Steps { count: 1100 }, at(10)),
            (SessionEvent::Pause, at(10)),
            (SessionEvent::Resume, at(12)),
            (SessionEvent::Steps { count: 40 }, at(12)),
            (SessionEvent::Finish, at(12)),
        ] {
            seam.apply(event, when).expect("applies");
        }
        let outcome = Outcome::of(&seam, Person::default(), at(12)).expect("outcome");
        assert_eq!(outcome.walked(&seam), [row(start, at(10), 1140)]);
    }

    #[test]
    fn ankle_pumps_too_fast_are_told_to_slow_down() {
        let start = utc("2026-11-21T08:00:00Z");
        let mut s = Session::start(
            SessionKind::AnklePumps,
            SessionKind::AnklePumps.default_target(),
            chrono_tz::UTC,
            start,
        )
        .expect("start");
        s.apply(
            SessionEvent::Pumps { count: 30 },
            start + chrono::Duration::seconds(30),
        )
        .expect("pumps");
        let p = Progress::of(&s, start + chrono::Duration::seconds(30));
        assert!(matches!(p.feedback[0], Feedback::SlowDown { .. }), "{p:?}");
        assert!(p.feedback.contains(&Feedback::SetComplete));
    }

    #[test]
    fn leg_elevation_drains_the_legs_and_counts_down() {
        let start = utc("2026-11-21T20:00:00Z");
        let mut s = Session::start(
            SessionKind::LegElevation,
            SessionKind::LegElevation.default_target(),
            chrono_tz::UTC,
            start,
        )
        .expect("start");
        let p = Progress::of(&s, start + chrono::Duration::minutes(5));
        assert_eq!(p.remaining_s, Some(600.0));
        s.apply(SessionEvent::Finish, start + chrono::Duration::minutes(15))
            .expect("finish");
        let outcome = Outcome::of(&s, Person::default(), start + chrono::Duration::minutes(15))
            .expect("outcome");
        assert!(outcome.target_met);
        let change = outcome.leg_volume_change_ml.expect("volume");
        assert!(
            change < -50.0,
            "legs should empty by a cup or more, got {change} mL"
        );
        assert!(s.events.iter().all(|e: &TimedEvent| e.at >= start));
    }
}
