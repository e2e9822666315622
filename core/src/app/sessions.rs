//! Sessions: walks, calf-raise and ankle-pump sets, leg elevation behind its
//! safety questions, compression wear and drinks.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::SecondHeart;
use super::sensor_sync::count_sensor_sets_under;
use crate::compression::{CompressionClass, Wear, WearStarted};
use crate::hydration::Drink;
use crate::session::{
    ElevationCheck, FinishedSet, Outcome, Progress, Session, SessionEvent, SessionKind,
    SessionState, Target,
};
use crate::store::{SensorWalking, StoreTx};
use crate::walk::{FUTURE_TOLERANCE_SECONDS, NewWalk, Walk};
use crate::{Error, Result, Store};

/// A moment the user named by its clock time, and the zone that clock
/// showed ([`Sessions::moment_at`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocalMoment {
    /// The instant.
    pub at: DateTime<Utc>,
    /// The IANA zone the user was in then.
    pub time_zone: String,
}

/// A session after a change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionUpdate {
    /// The session.
    pub session: Session,
    /// Where it stands.
    pub progress: Progress,
    /// The result, once finished.
    pub outcome: Option<Outcome>,
}

/// Starts a `kind` session aiming at `target` (the kind's default when
/// `None`) at `now` in `zone`, in one transaction: the use case behind
/// [`Sessions`]' starts, at an explicit moment. Leg elevation needs its
/// safety questions answered (`check`) and passes the profile's
/// heart-failure caution too; otherwise [`Error::NotSafe`] says why.
pub fn start_session(
    store: &mut Store,
    kind: SessionKind,
    target: Option<Target>,
    check: Option<ElevationCheck>,
    zone: Tz,
    now: DateTime<Utc>,
) -> Result<SessionUpdate> {
    store.transaction(|tx| {
        // One left running whose Finish was forgotten is no longer in the
        // way (it had refused every start).
        save_if_ended(tx, now)?;
        if kind == SessionKind::Walk {
            // A walk logged by hand may end (and so start) up to the
            // tolerance from now: both would count the minutes they share.
            let latest_end = now + chrono::Duration::seconds(FUTURE_TOLERANCE_SECONDS);
            if let Some(logged) = tx.walks_overlapping(now, latest_end)?.first() {
                return Err(Error::Conflict(logged_until(logged)));
            }
        }
        if kind == SessionKind::LegElevation {
            let check = check.ok_or_else(|| {
                Error::invalid(
                    "safety check",
                    "answer the leg-elevation safety questions first",
                )
            })?;
            check.gate(
                tx.profile()?
                    .compression_cautions
                    .decompensated_heart_failure,
            )?;
        }
        let mut session = Session::start(
            kind,
            target.unwrap_or_else(|| kind.default_target()),
            zone,
            now,
        )?;
        session.id = tx.insert_session(&session)?;
        Ok(SessionUpdate {
            progress: Progress::of(&session, now),
            session,
            outcome: None,
        })
    })
}

/// Applies `event` to the open session at `now`, in one transaction: the
/// event is stored, and a finished session is counted into its days (the
/// pump model's outcome, its minutes, a walk into the walk log).
pub fn record_session_event(
    store: &mut Store,
    event: SessionEvent,
    now: DateTime<Utc>,
) -> Result<SessionUpdate> {
    store.transaction(|tx| {
        let session = tx
            .open_session()?
            .ok_or_else(|| Error::Conflict("no session is running".to_owned()))?;
        record_in(tx, session, &[event], now)
    })
}

/// Saves the open session at its end when it has ended by itself by `now`
/// (its Finish forgotten: see [`Session::ends_by_itself`]), as any later
/// event would.
pub(super) fn save_if_ended(tx: &StoreTx<'_>, now: DateTime<Utc>) -> Result<()> {
    if let Some(open) = tx.open_session()?.filter(|s| s.ended_by_itself(now)) {
        record_in(tx, open, &[SessionEvent::Finish], now)?;
    }
    Ok(())
}

/// Applies `events` in order to the open `session` at `now` and stores
/// them inside `tx`; once they end it, the session is counted into its days
/// (the pump model's outcome, its minutes, a walk into the walk log).
pub(super) fn record_in(
    tx: &StoreTx<'_>,
    mut session: Session,
    events: &[SessionEvent],
    now: DateTime<Utc>,
) -> Result<SessionUpdate> {
    for event in events {
        if !session.state.is_open() {
            // It ended by itself (see `Session::apply`): what came after is
            // left out.
            break;
        }
        let applied = session.apply(*event, now)?;
        tx.append_session_event(&session, applied.event, applied.at)?;
    }
    let mut outcome = None;
    if !session.state.is_open() {
        let ended = session.ended().unwrap_or(now);
        if session.state == SessionState::Finished {
            let result = Outcome::of(&session, tx.profile()?.person(), now)?;
            tx.add_minutes(&result.minutes(&session))?;
            if session.kind == SessionKind::Walk {
                for walked in result.walked(&session) {
                    tx.log_session_walk(&session, walked.from, walked.to, walked.steps)?;
                }
            }
            outcome = Some(result);
        }
        tx.close_session(&session, ended, outcome.as_ref())?;
        count_sensor_sets_under(tx, &session)?;
    }
    Ok(SessionUpdate {
        progress: Progress::of(&session, now),
        session,
        outcome,
    })
}

/// Targets for an exercise set; what is left out takes the exercise's
/// default (calf raises: 20 reps with a 1 s hold; ankle pumps: 30 at 30 a
/// minute).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct SetTargets {
    /// Repetitions.
    pub reps: Option<u32>,
    /// Hold at the top of each raise, seconds.
    pub hold_s: Option<f64>,
    /// Pace, repetitions a minute.
    pub rate_per_min: Option<f64>,
}

impl SetTargets {
    /// These targets over `kind`'s defaults.
    pub fn over_defaults(self, kind: SessionKind) -> Target {
        let defaults = kind.default_target();
        Target {
            reps: self.reps.or(defaults.reps),
            hold_s: self.hold_s.or(defaults.hold_s),
            rate_per_min: self.rate_per_min.or(defaults.rate_per_min),
            ..defaults
        }
    }
}

/// One of the questions asked before leg elevation, with the answer's key in
/// [`ElevationCheck`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SafetyQuestion {
    /// Stable key: `recent_leg_injury`, `leg_pain_now`,
    /// `feeling_faint_or_unwell`, `breathless_lying_flat`.
    pub key: &'static str,
    /// The question as the user reads it.
    pub text: &'static str,
}

/// The questions to ask before leg elevation, in order.
pub const ELEVATION_QUESTIONS: [SafetyQuestion; 4] = [
    SafetyQuestion {
        key: "recent_leg_injury",
        text: "Have you injured a leg (or your back) lately?",
    },
    SafetyQuestion {
        key: "leg_pain_now",
        text: "Does a leg hurt now?",
    },
    SafetyQuestion {
        key: "feeling_faint_or_unwell",
        text: "Do you feel faint or unwell?",
    },
    SafetyQuestion {
        key: "breathless_lying_flat",
        text: "Are you short of breath when you lie flat?",
    },
];

/// Puts garments of `class` on at `at`, in one transaction: the use case
/// behind [`Sessions::compression_on`], at an explicit moment. One stretch
/// at a time: while one is open this is an [`Error::Conflict`].
pub fn put_compression_on(
    store: &mut Store,
    class: CompressionClass,
    at: DateTime<Utc>,
) -> Result<Wear> {
    store.transaction(|tx| {
        if let Some(open) = tx.open_wear()? {
            let zone = tx.zone_timeline()?.zone_at(open.on);
            return Err(Error::Conflict(format!(
                "stockings are on already, since {}; take them off first",
                open.on_in(zone)
            )));
        }
        tx.insert_wear(class, at)
    })
}

/// Takes the garments worn off at `at`, in one transaction: the use case
/// behind [`Sessions::compression_off`], at an explicit moment. A stretch
/// the clock says was put on later than `at` (a clock set back since, a
/// time typed wrong) was never worn as far as it can tell: it is removed,
/// and answered as taken off the moment it went on, so it can never hold
/// the next "on" back.
pub fn take_compression_off(store: &mut Store, at: DateTime<Utc>) -> Result<Wear> {
    store.transaction(|tx| {
        let open = tx
            .open_wear()?
            .ok_or_else(|| Error::Conflict("no stockings are on".to_owned()))?;
        if at <= open.on {
            tx.discard_open_wear(at)?;
            return Ok(Wear {
                off: Some(open.on),
                ..open
            });
        }
        let done = open.taken_off(at, tx.zone_timeline()?.zone_at(open.on))?;
        tx.close_wear(done.on, at)?;
        Ok(done)
    })
}

/// Sessions and the day's logs.
#[derive(Debug, Clone)]
pub struct Sessions {
    app: SecondHeart,
}

impl Sessions {
    pub(super) fn new(app: SecondHeart) -> Self {
        Self { app }
    }

    /// Starts a walk now.
    pub fn start_walk(&self) -> Result<SessionUpdate> {
        self.start(SessionKind::Walk, None, None)
    }

    /// Starts a calf-raise or ankle-pump set now.
    pub fn start_set(&self, kind: SessionKind, targets: SetTargets) -> Result<SessionUpdate> {
        if !kind.is_set() {
            return Err(crate::Error::invalid(
                "exercise",
                format!(
                    "a set is calf raises or ankle pumps (got {})",
                    kind.key().replace('_', " ")
                ),
            ));
        }
        self.start(kind, Some(targets.over_defaults(kind)), None)
    }

    /// Starts leg elevation for `minutes` at `angle_deg`, once the answers
    /// to [`ELEVATION_QUESTIONS`] (and the profile's health answers) allow
    /// it; otherwise [`crate::Error::NotSafe`] says why.
    pub fn start_elevation(
        &self,
        answers: ElevationCheck,
        minutes: Option<u32>,
        angle_deg: Option<f64>,
    ) -> Result<SessionUpdate> {
        let defaults = SessionKind::LegElevation.default_target();
        let target = Target {
            minutes: minutes.or(defaults.minutes),
            angle_deg: angle_deg.or(defaults.angle_deg),
            ..defaults
        };
        self.start(SessionKind::LegElevation, Some(target), Some(answers))
    }

    fn start(
        &self,
        kind: SessionKind,
        target: Option<Target>,
        check: Option<ElevationCheck>,
    ) -> Result<SessionUpdate> {
        self.app
            .write(|store, now| start_session(store, kind, target, check, now.zone, now.at))
    }

    /// Applies `event` (steps, a rep, pumps, pause, resume, finish, abandon,
    /// pain) to the open session now.
    pub fn record(&self, event: SessionEvent) -> Result<SessionUpdate> {
        self.app
            .write(|store, now| record_session_event(store, event, now.at))
    }

    /// The running session counted from the sensor's live frames, what it
    /// counts recorded into the session (see [`super::LiveSession`]).
    pub fn live_session(&self) -> Result<super::LiveSession> {
        self.app.live_session()
    }

    /// The session running or paused, as it stands now.
    pub fn status(&self) -> Result<Option<SessionUpdate>> {
        self.app.read(|store, now| {
            Ok(store.open_session()?.map(|session| SessionUpdate {
                progress: Progress::of(&session, now.at),
                session,
                outcome: None,
            }))
        })
    }

    /// The moment the clock time `time` on `date` named where the user was
    /// then, with that zone: what a form asking when something happened
    /// hands to [`Self::log_walk`]. A traveller back home who logs a walk
    /// from the trip means the trip's clock, not the phone's; see
    /// [`crate::zones::ZoneTimeline::read_local`], which also refuses a time
    /// the clocks skipped ([`Error::InvalidInput`]).
    pub fn moment_at(&self, date: NaiveDate, time: NaiveTime) -> Result<LocalMoment> {
        self.app.read(|store, now| {
            let (at, zone) =
                store
                    .zone_timeline()?
                    .read_local(date.and_time(time), now.zone, now.at)?;
            Ok(LocalMoment {
                at,
                time_zone: zone.name().to_owned(),
            })
        })
    }

    /// Logs a walk that began at `start` in `time_zone` (when `None`, the
    /// zone the user was in then: the phone's unless they have moved since)
    /// and lasted `duration_seconds`. A walk that overlaps one
    /// already logged, the walk being recorded, or walking a sensor
    /// recorded, is refused ([`Error::Conflict`], naming it): one person
    /// walks one walk at a time, and both would count (the same walk logged
    /// twice, a second tap, a walk logged by hand while the app records it
    /// or that the sensor worn already counted).
    pub fn log_walk(
        &self,
        start: DateTime<Utc>,
        time_zone: Option<&str>,
        duration_seconds: i64,
        steps: i64,
    ) -> Result<Walk> {
        // A walk left running that ended by itself is saved first, at its
        // end: then only what it walked is checked against this one (left
        // open, a late count could still carry it over this one). Its own
        // write, told to Today's observers even when this walk is refused;
        // none when no such walk waits.
        let ended = self.app.read(|store, now| {
            Ok(store
                .open_session()?
                .is_some_and(|open| open.ended_by_itself(now.at)))
        })?;
        if ended {
            self.app
                .write(|store, now| store.transaction(|tx| save_if_ended(tx, now.at)))?;
        }
        self.app.write(|store, now| {
            let lived = store
                .zone_timeline()?
                .zone_lived_at(start, now.zone, now.at);
            let zone = time_zone.unwrap_or(lived.name());
            let walk = NewWalk::new(start, zone, duration_seconds, steps, now.at)?;
            if let Some(logged) = store.walks_overlapping(walk.start(), walk.end())?.first() {
                return Err(Error::Conflict(overlap(logged)));
            }
            if let Some(recording) = store
                .open_session()?
                .filter(|s| s.kind == SessionKind::Walk && s.started < walk.end())
            {
                return Err(Error::Conflict(recording_overlap(&recording)));
            }
            if let Some(seen) = store.sensor_walking_during(walk.start(), walk.end())? {
                let zone = store.zone_timeline()?.zone_at(seen.from);
                return Err(Error::Conflict(sensor_overlap(seen, zone)));
            }
            store.log_walk(&walk)
        })
    }

    /// Deletes the walk logged by hand with id `id` (one typed with the
    /// wrong day or time), its steps with it, and returns it. A walk the
    /// app followed is part of its session's record and is not deleted
    /// (`Conflict`), nor is an id the log does not hold, nor one of two
    /// walks logged over each other before walks had minutes (the upgrade
    /// that gave them minutes spread the pair once).
    pub fn delete_walk(&self, id: i64) -> Result<Walk> {
        self.app.write(|store, _| {
            store.transaction(|tx| {
                let walk = deletable(id, tx.walk(id)?)?;
                // Only walks logged before overlaps were refused overlap.
                // Each logged with minutes added its own; a pair from
                // before walks had minutes was spread once by the upgrade,
                // and taking one out would take the other's too.
                // (A walk the app followed has minutes of its own, timed by
                // each count: it is no part of this.)
                let by_hand: Vec<Walk> = tx
                    .walks_overlapping(walk.start, walk.end())?
                    .into_iter()
                    .filter(|other| other.by_hand)
                    .collect();
                if let Some(other) = by_hand.iter().find(|other| other.id != walk.id)
                    && !tx.phone_minutes_hold(&by_hand)?
                {
                    return Err(Error::Conflict(shared_minutes(other)));
                }
                tx.delete_walk_by_hand(&walk)?;
                Ok(walk)
            })
        })
    }

    /// The walk [`Self::delete_walk`] would delete for `id`, changing
    /// nothing, for a front end to name it when it asks first; the same
    /// refusal for an id the log does not hold or a walk the app followed.
    pub fn walk_to_delete(&self, id: i64) -> Result<Walk> {
        self.app.read(|store, _| deletable(id, store.walk(id)?))
    }

    /// The walks that touched the local date `date` in the zones the user
    /// was in then (not the zone they are in now), oldest first.
    pub fn walks_on(&self, date: NaiveDate) -> Result<Vec<Walk>> {
        self.app
            .read(|store, _| store.walks_on(date, &store.zone_timeline()?))
    }

    /// The walks that touched the local dates from `first` to `last`
    /// (inclusive, at most the history's span) in the zones the user was in
    /// then, each once, oldest first: Walk's recent walks, where one logged
    /// on the wrong day is found to be deleted.
    pub fn walks_between(&self, first: NaiveDate, last: NaiveDate) -> Result<Vec<Walk>> {
        super::history::check_history_span(first, last)?;
        self.app.read(|store, _| {
            let zones = store.zone_timeline()?;
            let mut walks = BTreeMap::new();
            for date in first.iter_days().take_while(|date| *date <= last) {
                for walk in store.walks_on(date, &zones)? {
                    walks.entry((walk.start, walk.id)).or_insert(walk);
                }
            }
            Ok(walks.into_values().collect())
        })
    }

    /// Puts compression garments of class `mmhg` on now; the answer carries
    /// the contraindication advice for the user's health answers.
    pub fn compression_on(&self, mmhg: u32) -> Result<WearStarted> {
        self.app.write(|store, now| {
            let class = CompressionClass::new(mmhg)?;
            let wear = put_compression_on(store, class, now.at)?;
            Ok(WearStarted::new(
                wear,
                &store.profile()?.compression_cautions,
            ))
        })
    }

    /// Takes them off now.
    pub fn compression_off(&self) -> Result<Wear> {
        self.app
            .write(|store, now| take_compression_off(store, now.at))
    }

    /// Takes them off at `at`, told afterwards ("they came off at 22:30
    /// last night"): after they went on and not later than now. Garments
    /// whose "off" was forgotten count as worn up to now, every day since,
    /// until the user says when.
    pub fn compression_off_at(&self, at: DateTime<Utc>) -> Result<Wear> {
        self.app.write(|store, now| {
            if at > now.at {
                return Err(Error::invalid(
                    "time",
                    format!(
                        "{} ({}) is later than now: stockings come off by now at the latest",
                        at.with_timezone(&now.zone).format("%H:%M on %a %-d %b %Y"),
                        now.zone
                    ),
                ));
            }
            let open = store
                .open_wear()?
                .ok_or_else(|| Error::Conflict("no stockings are on".to_owned()))?;
            open.taken_off(at, store.zone_timeline()?.zone_at(open.on))?;
            take_compression_off(store, at)
        })
    }

    /// The garments worn now, if any.
    pub fn compression_worn(&self) -> Result<Option<Wear>> {
        self.app.read(|store, _| store.open_wear())
    }

    /// Logs a drink of `ml` now.
    pub fn drink(&self, ml: u32) -> Result<()> {
        self.app
            .write(|store, now| store.log_drink(&Drink::new(ml, now.at)?))
    }

    /// The calf-raise and ankle-pump sets finished on the local date `date`
    /// in the user's zones (a set across midnight on the day holding its
    /// middle, as the day's figures count it), oldest first: what a health
    /// platform records as exercise sessions.
    pub fn sets_on(&self, date: NaiveDate) -> Result<Vec<FinishedSet>> {
        self.app.read(|store, _| {
            // None on a date the user skipped (flying east over the date
            // line); two parts on one lived twice.
            let mut sets = Vec::new();
            for (from, to) in store.zone_timeline()?.parts_of(date) {
                sets.extend(store.sets_between(from, to)?);
            }
            Ok(sets)
        })
    }

    /// The drinks logged on the local date `date` in the user's zones,
    /// oldest first: what a health platform records as hydration.
    pub fn drinks_on(&self, date: NaiveDate) -> Result<Vec<Drink>> {
        self.app.read(|store, _| store.drinks_on(date))
    }
}

/// Why a walk is not started while one logged by hand has not ended yet.
fn logged_until(logged: &Walk) -> String {
    format!(
        "a walk logged by hand runs until {} ({}); start this one once it has ended",
        logged
            .end()
            .with_timezone(&logged.time_zone)
            .format("%H:%M"),
        logged.time_zone
    )
}

/// Why a walk that `other` overlaps is not deleted.
fn shared_minutes(other: &Walk) -> String {
    format!(
        "the walk from {} overlaps this one: both were logged before overlapping walks were refused, and the day counts one walk's steps for both; nothing was deleted",
        clock_and_day(other.start, other.time_zone)
    )
}

/// `walk`, the log's walk `id` if it holds one, if it is one a delete
/// takes: logged by hand.
fn deletable(id: i64, walk: Option<Walk>) -> Result<Walk> {
    let walk = walk.ok_or_else(|| {
        Error::Conflict(format!(
            "the walk log holds no walk {id}; nothing was deleted"
        ))
    })?;
    if !walk.by_hand {
        return Err(Error::Conflict(followed_walk(&walk)));
    }
    Ok(walk)
}

/// Why a walk the app followed is not deleted.
fn followed_walk(walk: &Walk) -> String {
    format!(
        "the walk from {} was walked with the app and is part of that walk's record; only a walk logged by hand can be deleted",
        clock_and_day(walk.start, walk.time_zone)
    )
}

/// Why a walk logged by hand overlapping the walk being recorded is refused.
fn recording_overlap(recording: &Session) -> String {
    format!(
        "the app has been recording a walk since {}, which this one overlaps; nothing was logged: finish or stop that walk first",
        clock_and_day(recording.started, recording.time_zone)
    )
}

/// "08:00 on Sat 21 Nov 2026 (Europe/Berlin)": `at` by the clock of `zone`.
fn clock_and_day(at: DateTime<Utc>, zone: Tz) -> String {
    let local = at.with_timezone(&zone);
    format!(
        "{} on {} ({zone})",
        local.format("%H:%M"),
        local.format("%a %-d %b %Y")
    )
}

/// Why a walk overlapping the walking a sensor recorded (`seen`, its times
/// shown in `zone`) was not logged.
fn sensor_overlap(seen: SensorWalking, zone: Tz) -> String {
    let (first, last) = (seen.from.with_timezone(&zone), seen.to.with_timezone(&zone));
    format!(
        "your sensor recorded {} steps of walking from {} to {} on {} ({zone}), which this walk overlaps: they count already; nothing was logged",
        seen.steps,
        first.format("%H:%M"),
        last.format("%H:%M"),
        first.format("%a %-d %b %Y"),
    )
}

/// Why a walk overlapping `logged` was not logged, with `logged`'s times in
/// its own zone: "a walk from 08:00 to 08:30 on Sat 21 Nov 2026
/// (Europe/Berlin) is logged already and overlaps this one; nothing was
/// logged".
fn overlap(logged: &Walk) -> String {
    let (start, end) = (
        logged.start.with_timezone(&logged.time_zone),
        logged.end().with_timezone(&logged.time_zone),
    );
    format!(
        "a walk from {} to {} on {} ({}) is logged already and overlaps this one; nothing was logged",
        start.format("%H:%M"),
        end.format("%H:%M"),
        start.format("%a %-d %b %Y"),
        logged.time_zone
    )
}
