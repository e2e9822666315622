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
        // A goal of 0 (none kept) draws full once met, that is on a day
        // that recorded something; an empty day's ring stays empty.
        let fraction = if goal > 0.0 {
            (value / goal).clamp(0.0, 1.0)
        } else if met {
            1.0
        } else {
            0.0
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
    /// The stretch after which a break is due, as the first reminder counts
    /// it ([`crate::reminder::ReminderContext::break_due`]): the reminders'
    /// interval, a flight's for a prompt that falls aboard past its climb
    /// and sleep window; `None` with reminders off or no stretch. A stretch
    /// this long or longer is overdue, whatever the follow-ups' timing.
    pub break_after_min: Option<u32>,
    /// Minutes seated and still today.
    pub total_min: u32,
    /// Breaks in sitting today.
    pub breaks: u32,
    /// The longest stretch today, minutes. One across midnight counts
    /// whole on the day that holds its middle, so it may be longer than
    /// today's sitting minutes, or yesterday's while its middle is there.
    pub longest_min: u32,
    /// Stretches of 30 minutes or more today (counted as the longest is).
    pub prolonged_stretches: u32,
    /// Whether today's breaks goal is met.
    pub breaks_goal_met: bool,
}

/// A paired sensor as the Today and Devices screens show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SensorState {
    /// Its serial number.
    pub serial: String,
    /// The Bluetooth address it was last seen at.
    pub address: String,
    /// Its model.
    pub model: String,
    /// When it was last synced.
    pub last_sync: Option<DateTime<Utc>>,
    /// Records stored from it, its histories from before a reset included.
    pub records: u64,
    /// Records lost on the sensor before a sync, likewise.
    pub gap_records: u64,
    /// Its Battery Level at the last sync that read one, percent.
    pub battery_percent: Option<u8>,
    /// When that level was read.
    pub battery_read: Option<DateTime<Utc>>,
    /// The user chose it to count walks and sets from (see
    /// [`super::SensorsService::for_sessions`]).
    pub chosen_for_sessions: bool,
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
    /// The next break reminder, if one is scheduled; while a session runs,
    /// the first once it would end by itself (the phone schedules it; a
    /// screen may leave it out while the session is active).
    pub next_break: Option<Reminder>,
    /// The session running or paused, if any.
    pub session: Option<Progress>,
    /// The next step of the started flight not yet landed (from the gate on).
    pub flight_next: Option<PlanItem>,
    /// Compression garments on since, if worn now.
    pub compression: Option<Wear>,
    /// The local date those garments went on, when it was before today
    /// (both in today's zone): left on overnight, or their "off"
    /// forgotten. Until told when they came off they count as worn every
    /// day since, so the screen asks ([`super::Sessions::compression_off_at`]).
    pub compression_since_earlier_day: Option<NaiveDate>,
    /// The paired sensors, the one walks and sets count from first.
    pub sensors: Vec<SensorState>,
    /// The day's full figures (ankle-pump sets, walking minutes, sensor minutes…).
    pub summary: DailySummary,
    /// Views computed later have larger numbers (one count per handle,
    /// taken with the store held): a view pushed to the observers and one
    /// a screen read can arrive in either order, and the screen shows the
    /// larger.
    pub number: u64,
}

impl TodayView {
    /// The ring of `kind`.
    pub fn ring(&self, kind: RingKind) -> Option<&Ring> {
        self.rings.iter().find(|ring| ring.kind == kind)
    }
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
            view_of(store, date, now.at, true, self.app.next_view_number())
        })
    }

    /// The local date `date` drawn the same way: today's is [`Self::view`];
    /// another day's has its figures against the goals and nothing live (no
    /// sitting stretch now, next break, session, flight step or garments
    /// worn now).
    pub fn on(&self, date: NaiveDate) -> Result<TodayView> {
        // A day reads the days either side: in the years they can be.
        super::history::check_history_span(date, date)?;
        self.app.read(|store, now| {
            let live = date == store.today(now.at)?;
            view_of(store, date, now.at, live, self.app.next_view_number())
        })
    }
}

/// The view of `date` as of `now`, numbered `number`; `live` adds what
/// holds now.
fn view_of(
    store: &mut crate::Store,
    date: NaiveDate,
    now: DateTime<Utc>,
    live: bool,
    number: u64,
) -> Result<TodayView> {
    let summary = store.daily_summary(date, now)?;
    let goals = store.profile()?.goals;
    let session = if live {
        store.open_session()?.map(|s| Progress::of(&s, now))
    } else {
        None
    };
    let sensors = super::sensors::session_sensor_first(super::sensors::sensor_states(store)?);
    let (current_stretch_min, break_after_min, next_break, flight_next, compression) = if live {
        // One look at the recent past serves the stretch and the reminder.
        let reminders = store.reminder_context(now)?;
        // Since the last activity, or since the quiet hours ended when that
        // was before: the night asleep is not a sitting stretch, and in the
        // quiet hours there is none.
        let stretch = match (&session, reminders.still_since()) {
            (None, Some(since)) if since <= now && !reminders.quiet_now() => {
                u32::try_from((now - since).num_minutes()).ok()
            }
            _ => None,
        };
        // The stretch the first reminder waits for, as it counts it (a
        // flight's interval only for a prompt that falls aboard).
        let break_after = stretch
            .and(reminders.still_since())
            .filter(|_| reminders.settings.enabled)
            .and_then(|since| {
                u32::try_from((reminders.break_due(since) - since).num_minutes()).ok()
            });
        let flight_next = store
            .flight_not_landed(now)?
            .and_then(|plan| plan.next_item(now).cloned());
        (
            stretch,
            break_after,
            next_reminder(&reminders),
            flight_next,
            store.open_wear()?,
        )
    } else {
        (None, None, None, None, None)
    };
    let compression_since_earlier_day = match &compression {
        Some(wear) => {
            // In today's zone, as the screens show the time they went on
            // ("On since 08:30 yesterday").
            let zone = store.zone_timeline()?.zone_at(now);
            Some(wear.on.with_timezone(&zone).date_naive()).filter(|on| *on < date)
        }
        None => None,
    };
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
            break_after_min,
            total_min: summary.sitting_minutes,
            breaks: summary.breaks,
            longest_min: summary.longest_sitting_bout_min,
            prolonged_stretches: summary.prolonged_sitting_bouts,
            breaks_goal_met: met.breaks,
        },
        next_break,
        session,
        flight_next,
        compression,
        compression_since_earlier_day,
        sensors,
        summary,
        number,
    })
}
