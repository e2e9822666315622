//! Sessions: walks, sets, leg elevation, compression and drinks.

use std::sync::Arc;
use std::time::SystemTime;

use second_heart_core::app::SessionUpdate as CoreUpdate;
use second_heart_core::app::{self, ELEVATION_QUESTIONS};
use second_heart_core::compression;
use second_heart_core::compression::CompressionAdvice as CoreAdvice;
use second_heart_core::hydration;
use second_heart_core::session::{self, ElevationCheck, SessionKind, SessionState};
use second_heart_core::walk;

use crate::live::LiveSessionCounter;
use crate::{SecondHeartError, instant, parse_clock_text, parse_date_text};

/// What a session is.
#[uniffi::remote(Enum)]
pub enum SessionKind {
    /// A walk.
    Walk,
    /// A set of calf raises (standing).
    CalfRaises,
    /// Ankle pumps (seated or lying).
    AnklePumps,
    /// Lying with the legs raised.
    LegElevation,
}

/// Where a session stands.
#[uniffi::remote(Enum)]
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

/// What happened in the open session.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Enum)]
pub enum SessionEvent {
    /// Pause the clock.
    Pause,
    /// Start it again.
    Resume,
    /// Done: count it into the day.
    Finish,
    /// Give up: kept in history, not counted.
    Abandon,
    /// Steps walked since the last report.
    Steps {
        /// How many.
        count: u32,
    },
    /// One calf raise, with its hold when measured.
    Rep {
        /// Seconds held at the top.
        hold_s: Option<f64>,
    },
    /// Ankle pumps done since the last report.
    Pumps {
        /// How many.
        count: u32,
    },
    /// The leg hurts (ends leg elevation).
    Pain,
}

impl From<SessionEvent> for session::SessionEvent {
    fn from(event: SessionEvent) -> Self {
        match event {
            SessionEvent::Pause => Self::Pause,
            SessionEvent::Resume => Self::Resume,
            SessionEvent::Finish => Self::Finish,
            SessionEvent::Abandon => Self::Abandon,
            SessionEvent::Steps { count } => Self::Steps { count },
            SessionEvent::Rep { hold_s } => Self::Rep { hold_s },
            SessionEvent::Pumps { count } => Self::Pumps { count },
            SessionEvent::Pain => Self::Pain,
        }
    }
}

/// A session as it stands.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SessionProgress {
    /// What it is.
    pub kind: SessionKind,
    /// Where it stands.
    pub state: SessionState,
    /// Seconds run, pauses left out.
    pub active_seconds: f64,
    /// Steps (walks).
    pub steps: u32,
    /// Raises or pumps done.
    pub reps: u32,
    /// Repetitions asked for.
    pub target_reps: Option<u32>,
    /// Mean hold of the measured raises, s.
    pub mean_hold_s: Option<f64>,
    /// Raises held too briefly.
    pub short_holds: u32,
    /// Pace, a minute.
    pub rate_per_min: Option<f64>,
    /// Seconds left (leg elevation).
    pub remaining_s: Option<f64>,
    /// What to tell the user now, in words.
    pub feedback: Vec<String>,
    /// It has ended by itself (its Finish forgotten): saved at that end by
    /// the next event, a Finish, or the next start, so a Start is no second
    /// tap.
    pub ended_by_itself: bool,
}

impl From<session::Progress> for SessionProgress {
    fn from(p: session::Progress) -> Self {
        Self {
            kind: p.kind,
            state: p.state,
            active_seconds: p.active_seconds,
            steps: p.steps,
            reps: p.reps,
            target_reps: p.target_reps,
            mean_hold_s: p.mean_hold_s,
            short_holds: p.short_holds,
            rate_per_min: p.rate_per_min,
            remaining_s: p.remaining_s,
            feedback: p.feedback.iter().map(|f| f.message()).collect(),
            ended_by_itself: p.ended_by_itself,
        }
    }
}

/// A finished session's result.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SessionOutcome {
    /// Steps a minute (walks).
    pub cadence_spm: Option<f64>,
    /// Distance, km (walks).
    pub distance_km: Option<f64>,
    /// Blood the calves sent up, mL (pump model).
    pub pumped_ml: f64,
    /// Leg elevation: change in lower-leg volume, mL (negative: emptied).
    pub leg_volume_change_ml: Option<f64>,
    /// Whether the target was reached.
    pub target_met: bool,
}

/// A session after a change.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SessionUpdate {
    /// The database id.
    pub id: i64,
    /// When it began.
    pub started: SystemTime,
    /// Where it stands.
    pub progress: SessionProgress,
    /// The result, once finished.
    pub outcome: Option<SessionOutcome>,
}

impl From<CoreUpdate> for SessionUpdate {
    fn from(u: CoreUpdate) -> Self {
        Self {
            id: u.session.id,
            started: u.session.started.into(),
            progress: u.progress.into(),
            outcome: u.outcome.map(|o| SessionOutcome {
                cadence_spm: o.cadence_spm,
                distance_km: o.distance_km,
                pumped_ml: o.pumped_ml,
                leg_volume_change_ml: o.leg_volume_change_ml,
                target_met: o.target_met,
            }),
        }
    }
}

/// Targets for a set; what is left out takes the exercise's default (calf
/// raises: 20 reps, 1 s hold; ankle pumps: 30 at 30 a minute).
#[derive(Debug, Clone, Copy, PartialEq, Default, uniffi::Record)]
pub struct SetTargets {
    /// Repetitions.
    #[uniffi(default = None)]
    pub reps: Option<u32>,
    /// Hold at the top, s.
    #[uniffi(default = None)]
    pub hold_s: Option<f64>,
    /// Pace, a minute.
    #[uniffi(default = None)]
    pub rate_per_min: Option<f64>,
}

/// The answers to the questions asked before leg elevation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, uniffi::Record)]
pub struct ElevationAnswers {
    /// A leg (or back) injury lately.
    pub recent_leg_injury: bool,
    /// A leg hurts now.
    pub leg_pain_now: bool,
    /// Feeling faint or unwell.
    pub feeling_faint_or_unwell: bool,
    /// Short of breath lying flat.
    pub breathless_lying_flat: bool,
}

/// A question asked before leg elevation, or in a flight's risk check.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SafetyQuestion {
    /// The answer's field in [`ElevationAnswers`] or `RiskFactors` (snake
    /// case).
    pub key: String,
    /// The question as the user reads it.
    pub text: String,
}

/// A moment the user named by its clock time ([`Sessions::moment_at`]).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct LocalMoment {
    /// The instant.
    pub at: SystemTime,
    /// The IANA zone the user was in then.
    pub time_zone: String,
}

impl From<app::LocalMoment> for LocalMoment {
    fn from(moment: app::LocalMoment) -> Self {
        Self {
            at: moment.at.into(),
            time_zone: moment.time_zone,
        }
    }
}

/// A logged walk.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Walk {
    /// The database id.
    pub id: i64,
    /// When it began.
    pub start: SystemTime,
    /// The IANA zone the walker was in.
    pub time_zone: String,
    /// Seconds.
    pub duration_seconds: u32,
    /// Steps of both legs.
    pub steps: u32,
    /// Average cadence, steps a minute.
    pub cadence_steps_per_min: f64,
    /// Logged by hand (a walk done without the app), not walked with it.
    pub by_hand: bool,
    /// Logged by hand over walking a paired sensor recorded (synced after
    /// the walk was logged): the day counts the sensor's minutes instead of
    /// this walk's steps, which would count the same walking twice.
    pub recorded_by_sensor: bool,
}

impl From<walk::Walk> for Walk {
    fn from(walk: walk::Walk) -> Self {
        Self {
            id: walk.id,
            start: walk.start.into(),
            time_zone: walk.time_zone.name().to_owned(),
            duration_seconds: walk.duration_seconds,
            steps: walk.steps,
            cadence_steps_per_min: walk.cadence_steps_per_min(),
            by_hand: walk.by_hand,
            recorded_by_sensor: walk.recorded_by_sensor,
        }
    }
}

/// A stretch in compression garments.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Wear {
    /// On.
    pub on: SystemTime,
    /// Off; none while worn.
    pub off: Option<SystemTime>,
    /// Class at the ankle, mmHg.
    pub mmhg: u32,
}

impl From<compression::Wear> for Wear {
    fn from(w: compression::Wear) -> Self {
        Self {
            on: w.on.into(),
            off: w.off.map(Into::into),
            mmhg: w.mmhg,
        }
    }
}

/// What the app may say about stockings for this user.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum CompressionAdvice {
    /// Nothing speaks against below-knee stockings of 15–30 mmHg.
    Suitable,
    /// Something does: see a doctor first.
    SeeDoctorFirst {
        /// Each reason, in words.
        reasons: Vec<String>,
    },
}

impl From<CoreAdvice> for CompressionAdvice {
    fn from(a: CoreAdvice) -> Self {
        match a {
            CoreAdvice::Suitable => Self::Suitable,
            CoreAdvice::SeeDoctorFirst { reasons } => Self::SeeDoctorFirst { reasons },
        }
    }
}

/// A garment as sold, by the pressure band printed on it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct GarmentClass {
    /// The band as printed: "15–20 mmHg".
    pub label: String,
    /// The ankle pressure to record for it (`compression_on`).
    pub mmhg: u32,
    /// The band to offer first, until the user picks another (one is).
    pub suggested: bool,
}

/// The garment bands the apps offer when stockings go on, lightest first.
#[uniffi::export]
pub fn garment_classes() -> Vec<GarmentClass> {
    compression::GARMENT_CLASSES
        .iter()
        .map(|g| GarmentClass {
            label: g.label.to_owned(),
            mmhg: g.mmhg,
            suggested: g.suggested,
        })
        .collect()
}

/// Stockings put on, with the contraindication advice.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct WearStarted {
    /// The stretch begun.
    pub wear: Wear,
    /// What the app knows against it (logged either way).
    pub advice: CompressionAdvice,
}

/// A finished calf-raise or ankle-pump set, as a health platform records
/// an exercise session.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct FinishedSet {
    /// Calf raises or ankle pumps.
    pub kind: SessionKind,
    /// When it began.
    pub started: SystemTime,
    /// When it ended.
    pub ended: SystemTime,
    /// Repetitions done.
    pub reps: u32,
    /// Whether the sensor recorded it on its own (else the phone's session).
    pub from_sensor: bool,
}

impl From<session::FinishedSet> for FinishedSet {
    fn from(set: session::FinishedSet) -> Self {
        Self {
            kind: set.kind,
            started: set.started.into(),
            ended: set.ended.into(),
            reps: set.reps,
            from_sensor: set.from_sensor,
        }
    }
}

/// A logged drink.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct Drink {
    /// When.
    pub at: SystemTime,
    /// How much, mL.
    pub ml: u32,
}

impl From<hydration::Drink> for Drink {
    fn from(drink: hydration::Drink) -> Self {
        Self {
            at: drink.at().into(),
            ml: drink.ml(),
        }
    }
}

/// The questions to ask before leg elevation, in order.
#[uniffi::export]
pub fn elevation_questions() -> Vec<SafetyQuestion> {
    ELEVATION_QUESTIONS
        .iter()
        .map(|q| SafetyQuestion {
            key: q.key.to_owned(),
            text: q.text.to_owned(),
        })
        .collect()
}

/// Sessions and the day's logs.
#[derive(Debug, uniffi::Object)]
pub struct Sessions(pub(crate) app::Sessions);

#[uniffi::export]
impl Sessions {
    /// A counter of the running session (a walk or a set) from the
    /// sensor's live frames: hand it to `Sensors.live`, or push frames.
    /// What it counts is recorded into the session. `Conflict` when no
    /// session runs; `InvalidInput` for leg elevation.
    pub fn live_counter(&self) -> Result<Arc<LiveSessionCounter>, SecondHeartError> {
        Ok(Arc::new(LiveSessionCounter::new(self.0.live_session()?)))
    }

    /// Starts a walk now.
    pub fn start_walk(&self) -> Result<SessionUpdate, SecondHeartError> {
        Ok(self.0.start_walk()?.into())
    }

    /// Starts a calf-raise or ankle-pump set now.
    pub fn start_set(
        &self,
        kind: SessionKind,
        targets: SetTargets,
    ) -> Result<SessionUpdate, SecondHeartError> {
        let targets = app::SetTargets {
            reps: targets.reps,
            hold_s: targets.hold_s,
            rate_per_min: targets.rate_per_min,
        };
        Ok(self.0.start_set(kind, targets)?.into())
    }

    /// Starts leg elevation once the answers allow it (else `NotSafe`).
    pub fn start_elevation(
        &self,
        answers: ElevationAnswers,
        minutes: Option<u32>,
        angle_deg: Option<f64>,
    ) -> Result<SessionUpdate, SecondHeartError> {
        let check = ElevationCheck {
            recent_leg_injury: answers.recent_leg_injury,
            leg_pain_now: answers.leg_pain_now,
            feeling_faint_or_unwell: answers.feeling_faint_or_unwell,
            breathless_lying_flat: answers.breathless_lying_flat,
        };
        Ok(self.0.start_elevation(check, minutes, angle_deg)?.into())
    }

    /// Applies `event` to the open session now.
    pub fn record(&self, event: SessionEvent) -> Result<SessionUpdate, SecondHeartError> {
        Ok(self.0.record(event.into())?.into())
    }

    /// The session running or paused, if any.
    pub fn status(&self) -> Result<Option<SessionUpdate>, SecondHeartError> {
        Ok(self.0.status()?.map(Into::into))
    }

    /// The moment the clock time `time` (`HH:MM`) on `date` (`YYYY-MM-DD`)
    /// named where the user was then, with that zone: what a form asking
    /// when a walk began hands to [`Self::log_walk`] (a traveller back home
    /// means the trip's clock). A time the clocks skipped there is refused
    /// (`InvalidInput`).
    pub fn moment_at(&self, date: String, time: String) -> Result<LocalMoment, SecondHeartError> {
        let date = parse_date_text(&date)?;
        let time = parse_clock_text("time", &time)?;
        Ok(self.0.moment_at(date, time)?.into())
    }

    /// Logs a walk that began at `start` in `time_zone` (when none, the zone
    /// the user was in then) and lasted `duration_seconds`; one that overlaps a walk
    /// logged, the walk being recorded or walking a sensor recorded is
    /// refused (`Conflict`).
    pub fn log_walk(
        &self,
        start: SystemTime,
        time_zone: Option<String>,
        duration_seconds: i64,
        steps: i64,
    ) -> Result<Walk, SecondHeartError> {
        Ok(self
            .0
            .log_walk(
                instant("walk start", start)?,
                time_zone.as_deref(),
                duration_seconds,
                steps,
            )?
            .into())
    }

    /// Deletes the walk logged by hand with id `id` and its steps, and
    /// returns it; a walk the app followed, or an id the log does not hold,
    /// is refused (`Conflict`).
    pub fn delete_walk(&self, id: i64) -> Result<Walk, SecondHeartError> {
        Ok(self.0.delete_walk(id)?.into())
    }

    /// The walks that touched the local date `date` (`YYYY-MM-DD`) in the
    /// zones the user was in then (not the zone they are in now).
    pub fn walks_on(&self, date: String) -> Result<Vec<Walk>, SecondHeartError> {
        let date = parse_date_text(&date)?;
        Ok(self.0.walks_on(date)?.into_iter().map(Into::into).collect())
    }

    /// The walks that touched the local dates `first` to `last`
    /// (`YYYY-MM-DD`, inclusive) in the zones the user was in then, each
    /// once, oldest first.
    pub fn walks_between(
        &self,
        first: String,
        last: String,
    ) -> Result<Vec<Walk>, SecondHeartError> {
        let (first, last) = (parse_date_text(&first)?, parse_date_text(&last)?);
        Ok(self
            .0
            .walks_between(first, last)?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Puts compression garments of class `mmhg` on now.
    pub fn compression_on(&self, mmhg: u32) -> Result<WearStarted, SecondHeartError> {
        let started = self.0.compression_on(mmhg)?;
        Ok(WearStarted {
            wear: started.wear.into(),
            advice: started.advice.into(),
        })
    }

    /// Takes them off now.
    pub fn compression_off(&self) -> Result<Wear, SecondHeartError> {
        Ok(self.0.compression_off()?.into())
    }

    /// Takes them off at `at`, told afterwards (`momentAt` reads the form's
    /// day and time): after they went on and not later than now
    /// (`InvalidInput` otherwise, `Conflict` with none on).
    pub fn compression_off_at(&self, at: SystemTime) -> Result<Wear, SecondHeartError> {
        Ok(self.0.compression_off_at(instant("time", at)?)?.into())
    }

    /// The garments worn now, if any.
    pub fn compression_worn(&self) -> Result<Option<Wear>, SecondHeartError> {
        Ok(self.0.compression_worn()?.map(Into::into))
    }

    /// Logs a drink of `ml` now.
    pub fn drink(&self, ml: u32) -> Result<(), SecondHeartError> {
        Ok(self.0.drink(ml)?)
    }

    /// The calf-raise and ankle-pump sets finished on `date` (`YYYY-MM-DD`,
    /// the user's zones), oldest first.
    pub fn sets_on(&self, date: String) -> Result<Vec<FinishedSet>, SecondHeartError> {
        let date = parse_date_text(&date)?;
        Ok(self.0.sets_on(date)?.into_iter().map(Into::into).collect())
    }

    /// The drinks logged on `date` (`YYYY-MM-DD`, the user's zones), oldest
    /// first.
    pub fn drinks_on(&self, date: String) -> Result<Vec<Drink>, SecondHeartError> {
        let date = parse_date_text(&date)?;
        Ok(self
            .0
            .drinks_on(date)?
            .into_iter()
            .map(Into::into)
            .collect())
    }
}
