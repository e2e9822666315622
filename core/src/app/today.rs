//! Today as the Today screen draws it: rings against the goals, the sitting
//! stretch, the next break, the running session and the sensors.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::SecondHeart;
use crate::Result;
use crate::compression::Wear;
use crate::daily::DailySummary;
use crate::flight::PlanItem;
use crate::reminder::{Reminder, next_reminder};
use crate::session::Progress;
use crate::store::PairedSensor;

/// What a ring measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RingKind {
    /// Steps.
    Steps,
    /// Minutes at 100 steps a minute or more.
    ActiveMinutes,
    /// Litres the calves pumped (pump model).
    PumpedLitres,
    /// Calf-raise sets.
    ExerciseSets,
    /// Millilitres drunk.
    Hydration,
}

/// One goal ring: a value against its goal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ring {
    /// What it measures.
    pub kind: RingKind,
    /// Today's value, in the ring's unit.
    pub value: f64,
    /// The goal, in the same unit.
    pub goal: f64,
    /// The share of the goal reached, 0 to 1 (capped).
    pub fraction: f64,
    /// Whether the goal is met.
    pub met: bool,
}

impl Ring {
    fn new(kind: RingKind, value: f64, goal: f64, met: bool) -> Self {
        let fraction = if goal > 0.0 {
            (value / goal).clamp(0.0, 1.0)
        } else {
            1.0
        };
        Self {
            kind,
            value,
            goal,
            fraction,
            met,
        }
    }
}

/// How long the user has sat today, and now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sitting {
    /// Minutes since the last real movement, while no session runs; `None`
    /// when nothing is known yet or the user is moving.
    pub current_stretch_min: Option<u32>,
    /// Minutes seated and still today.
    pub total_min: u32,
    /// Breaks in sitting today.
    pub breaks: u32,
    /// The longest stretch today, minutes.
    pub longest_min: u32,
    /// Stretches of 30 minutes or more today.
    pub prolonged_stretches: u32,
    /// Whether today's breaks goal is met.
    pub breaks_goal_met: bool,
}

/// A paired sensor as the Today screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SensorState {
    /// Its serial number.
    pub serial: String,
    /// Its model.
    pub model: String,
    /// When it was last synced.
    pub last_sync: Option<DateTime<Utc>>,
    /// Records stored from it.
    pub records: u64,
}

/// Everything the Today screen draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TodayView {
    /// The local date.
    pub date: NaiveDate,
    /// The zones the user was in today, in order.
    pub time_zones: Vec<String>,
    /// The goal rings: steps, active minutes, litres pumped, exercise sets
    /// and drinks, in that order.
    pub rings: Vec<Ring>,
    /// Sitting today.
    pub sitting: Sitting,
    /// The next break reminder, if one is scheduled.
    pub next_break: Option<Reminder>,
    /// The session running or paused, if any.
    pub session: Option<Progress>,
    /// The next step of a flight in progress.
    pub flight_next: Option<PlanItem>,
    /// Compression garments on since, if worn now.
    pub compression: Option<Wear>,
    /// The paired sensors.
    pub sensors: Vec<SensorState>,
    /// The day's full figures (ankle-pump sets, walking minutes, sensor minutes…).
    pub summary: DailySummary,
}

/// Today's figures.
#[derive(Debug, Clone)]
pub struct TodayService {
    app: SecondHeart,
}

impl TodayService {
    pub(super) fn new(app: SecondHeart) -> Self {
        Self { app }
    }

    /// Today in the user's zone, as of now.
    pub fn view(&self) -> Result<TodayView> {
        self.app.read(|store, now| {
            let date = store.today(now.at)?;
            let summary = store.daily_summary(date, now.at)?;
            let goals = store.profile()?.goals;
            let session = store.open_session()?.map(|s| Progress::of(&s, now.at));
            // One look at the recent past serves the stretch and the reminder.
            let reminders = store.reminder_context(now.at)?;
            let current_stretch_min = match (&session, reminders.last_activity) {
                (None, Some(last)) if last <= now.at => {
                    u32::try_from((now.at - last).num_minutes()).ok()
                }
                _ => None,
            };
            let sensors = store
                .paired_sensors()?
                .into_iter()
                .map(|p| sensor_state(store, p))
                .collect::<Result<Vec<_>>>()?;
            let flight_next = store
                .flight_in_progress(now.at)?
                .and_then(|plan| plan.next_item(now.at).cloned());
            let met = summary.goals;
            Ok(TodayView {
                date,
                time_zones: summary.time_zones.clone(),
                rings: vec![
                    Ring::new(
                        RingKind::Steps,
                        f64::from(summary.steps),
                        f64::from(goals.steps),
                        met.steps,
                    ),
                    Ring::new(
                        RingKind::ActiveMinutes,
                        f64::from(summary.active_minutes),
                        f64::from(goals.active_minutes),
                        met.active_minutes,
                    ),
                    Ring::new(
                        RingKind::PumpedLitres,
                        summary.pumped_litres,
                        goals.pumped_litres,
                        met.pumped_volume,
                    ),
                    Ring::new(
                        RingKind::ExerciseSets,
                        f64::from(summary.calf_raise_sets),
                        f64::from(goals.calf_raise_sets),
                        met.calf_raise_sets,
                    ),
                    Ring::new(
                        RingKind::Hydration,
                        f64::from(summary.hydration_ml),
                        f64::from(goals.hydration_ml),
                        met.hydration,
                    ),
                ],
                sitting: Sitting {
                    current_stretch_min,
                    total_min: summary.sitting_minutes,
                    breaks: summary.breaks,
                    longest_min: summary.longest_sitting_bout_min,
                    prolonged_stretches: summary.prolonged_sitting_bouts,
                    breaks_goal_met: met.breaks,
                },
                next_break: next_reminder(&reminders),
                session,
                flight_next,
                compression: store.open_wear()?,
                sensors,
                summary,
            })
        })
    }
}

fn sensor_state(store: &crate::Store, paired: PairedSensor) -> Result<SensorState> {
    let records = store
        .sensor_summary(&paired.serial)?
        .map_or(0, |s| s.records);
    Ok(SensorState {
        last_sync: paired
            .last_sync_utc_ms
            .and_then(DateTime::<Utc>::from_timestamp_millis),
        serial: paired.serial,
        model: paired.model,
        records,
    })
}
