//! Today: the records the Today screen draws.

use second_heart_core::app;
use second_heart_core::daily;

use crate::flights::PlanItem;
use crate::reminders::Reminder;
use crate::sensors::PairedSensor;
use crate::sessions::{SessionProgress, Wear};
use crate::{SecondHeartError, date_text};

/// What a ring measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
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

/// One goal ring.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Ring {
    /// What it measures.
    pub kind: RingKind,
    /// Today's value in the ring's unit (steps, min, L, sets, mL).
    pub value: f64,
    /// The goal in the same unit.
    pub goal: f64,
    /// Share of the goal reached, 0–1.
    pub fraction: f64,
    /// Whether the goal is met.
    pub met: bool,
}

/// Sitting today and now.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Sitting {
    /// Minutes since the last real movement (none while moving or unknown).
    pub current_stretch_min: Option<u32>,
    /// The stretch after which a break is due: how long the first reminder
    /// waits for this stretch (a flight's interval only for a prompt that
    /// falls aboard, past its climb); none with reminders off or no stretch.
    pub break_after_min: Option<u32>,
    /// Minutes seated and still today.
    pub total_min: u32,
    /// Breaks in sitting today.
    pub breaks: u32,
    /// The longest stretch today, minutes. One across midnight counts
    /// whole on the day that holds its middle, so it may be longer than
    /// today's sitting minutes, or yesterday's while its middle is there.
    pub longest_min: u32,
    /// Stretches of 30 minutes or more (counted as the longest is).
    pub prolonged_stretches: u32,
    /// Whether the breaks goal is met.
    pub breaks_goal_met: bool,
}

/// A day's figures (the same numbers in the CLI, Android and iOS).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct DailySummary {
    /// The local date, `YYYY-MM-DD`.
    pub date: String,
    /// The zones the user was in that day.
    pub time_zones: Vec<String>,
    /// Steps.
    pub steps: u32,
    /// Minutes at 100 steps a minute or more.
    pub active_minutes: u32,
    /// Minutes with any steps.
    pub walking_minutes: u32,
    /// Minutes seated and still.
    pub sitting_minutes: u32,
    /// Breaks in sitting.
    pub breaks: u32,
    /// Calf-raise sets.
    pub calf_raise_sets: u32,
    /// Ankle-pump sets.
    pub ankle_pump_sets: u32,
    /// Litres the calves pumped.
    pub pumped_litres: f64,
    /// Drinks, mL.
    pub hydration_ml: u32,
    /// Minutes in compression garments.
    pub compression_minutes: u32,
    /// Minutes a sensor recorded.
    pub sensor_minutes: u32,
    /// Goals met: steps, active minutes, breaks, sets, pumped, drinks.
    pub goals_met: u32,
}

impl From<daily::DailySummary> for DailySummary {
    fn from(s: daily::DailySummary) -> Self {
        let goals_met = s.goals.count();
        Self {
            date: date_text(s.date),
            time_zones: s.time_zones,
            steps: s.steps,
            active_minutes: s.active_minutes,
            walking_minutes: s.walking_minutes,
            sitting_minutes: s.sitting_minutes,
            breaks: s.breaks,
            calf_raise_sets: s.calf_raise_sets,
            ankle_pump_sets: s.ankle_pump_sets,
            pumped_litres: s.pumped_litres,
            hydration_ml: s.hydration_ml,
            compression_minutes: s.compression_minutes,
            sensor_minutes: s.sensor_minutes,
            goals_met,
        }
    }
}

/// Everything the Today screen draws.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct TodayView {
    /// The local date, `YYYY-MM-DD`.
    pub date: String,
    /// The zones the user was in today.
    pub time_zones: Vec<String>,
    /// Steps, active minutes, litres pumped, exercise sets, drinks.
    pub rings: Vec<Ring>,
    /// Sitting.
    pub sitting: Sitting,
    /// The next break reminder; while a session runs, the first once it
    /// would end by itself, its Finish forgotten (schedule it; a screen may
    /// leave it out while the session is active).
    pub next_break: Option<Reminder>,
    /// The session running or paused.
    pub session: Option<SessionProgress>,
    /// The next step of the started flight not yet landed (from the gate on).
    pub flight_next: Option<PlanItem>,
    /// Compression garments worn now.
    pub compression: Option<Wear>,
    /// The date (`YYYY-MM-DD`) those garments went on, when before today:
    /// left on overnight or their "off" forgotten, they count as worn every
    /// day since until the user says when they came off
    /// (`Sessions.compressionOffAt`): the screen asks.
    pub compression_since_earlier_day: Option<String>,
    /// Paired sensors, the one walks and sets count from first.
    pub sensors: Vec<PairedSensor>,
    /// The day's full figures.
    pub summary: DailySummary,
    /// Views computed later have larger numbers: a view pushed to the
    /// observer and one read can arrive in either order, and a screen shows
    /// the larger.
    pub number: u64,
}

impl From<app::TodayView> for TodayView {
    fn from(v: app::TodayView) -> Self {
        Self {
            date: date_text(v.date),
            time_zones: v.time_zones,
            rings: v
                .rings
                .into_iter()
                .map(|r| Ring {
                    kind: match r.kind {
                        app::RingKind::Steps => RingKind::Steps,
                        app::RingKind::ActiveMinutes => RingKind::ActiveMinutes,
                        app::RingKind::PumpedLitres => RingKind::PumpedLitres,
                        app::RingKind::ExerciseSets => RingKind::ExerciseSets,
                        app::RingKind::Hydration => RingKind::Hydration,
                    },
                    value: r.value,
                    goal: r.goal,
                    fraction: r.fraction,
                    met: r.met,
                })
                .collect(),
            sitting: Sitting {
                current_stretch_min: v.sitting.current_stretch_min,
                break_after_min: v.sitting.break_after_min,
                total_min: v.sitting.total_min,
                breaks: v.sitting.breaks,
                longest_min: v.sitting.longest_min,
                prolonged_stretches: v.sitting.prolonged_stretches,
                breaks_goal_met: v.sitting.breaks_goal_met,
            },
            next_break: v.next_break.map(Into::into),
            session: v.session.map(Into::into),
            flight_next: v.flight_next.map(Into::into),
            compression: v.compression.map(Into::into),
            compression_since_earlier_day: v.compression_since_earlier_day.map(date_text),
            sensors: v.sensors.into_iter().map(Into::into).collect(),
            summary: v.summary.into(),
            number: v.number,
        }
    }
}

/// Today's figures.
#[derive(Debug, uniffi::Object)]
pub struct TodayService(pub(crate) app::TodayService);

#[uniffi::export]
impl TodayService {
    /// Today in the user's zone, as of now.
    pub fn view(&self) -> Result<TodayView, SecondHeartError> {
        Ok(self.0.view()?.into())
    }
}
