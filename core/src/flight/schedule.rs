//! The in-flight schedule: movement every 30–60 minutes, seated exercises in
//! between, drinks, and a quiet window for sleep, each item shown in both
//! the departure and the arrival zone.

use crate::local_day::LocalDay;
use chrono::{DateTime, Duration, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// No prompts before the climb is over, min.
pub const AFTER_TAKE_OFF_MIN: i64 = 30;
/// No prompts during the descent, min.
pub const BEFORE_LANDING_MIN: i64 = 40;
/// A drink every this many minutes, min.
pub const DRINK_EVERY_MIN: i64 = 120;

/// The least of a night a flight must hold between its climb and its
/// descent for the plan to sleep it aboard, min (our threshold): a night
/// that ends in the climb or starts in the descent (an early flight taking
/// off at 06:50 in a window to 07:00) would say "Sleep" and "Good morning"
/// minutes apart while the seat-belt sign is on.
pub const SHORTEST_SLEEP_MIN: i64 = 60;

/// The longest sleep window a plan takes, h: longer ones would leave
/// most of a long flight without a prompt to move.
pub const LONGEST_SLEEP_H: f64 = 12.0;

/// When the traveller means to sleep, in the arrival zone's local time
/// (sleeping on the destination's night eases jet lag).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SleepWindow {
    /// Lights out, local time at the destination.
    pub from: NaiveTime,
    /// Wake up, local time at the destination.
    pub until: NaiveTime,
}

impl SleepWindow {
    /// Parses `"23:00-06:00"` (local times; the second may be the next day).
    pub fn parse(text: &str) -> crate::Result<Self> {
        let invalid = || {
            crate::Error::invalid(
                "sleep",
                format!("{text:?} is not a window like \"23:00-06:00\""),
            )
        };
        let (from, until) = text.split_once('-').ok_or_else(invalid)?;
        let time = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| invalid());
        let window = Self {
            from: time(from)?,
            until: time(until)?,
        };
        window.check()?;
        Ok(window)
    }

    /// Refuses a window longer than [`LONGEST_SLEEP_H`] (a second time
    /// equal to the first is a whole day): it would silence the whole
    /// flight, dropping every prompt to move, the plan's point. Checked
    /// where a window is given, not where a stored plan is read again.
    fn check(&self) -> crate::Result<()> {
        let hours = self.length().num_minutes() as f64 / 60.0;
        if hours > LONGEST_SLEEP_H {
            return Err(crate::Error::invalid(
                "sleep",
                format!(
                    "{}-{} is {hours:.0} hours of sleep; give a window of up to {LONGEST_SLEEP_H:.0} hours, like \"23:00-06:00\"",
                    self.from.format("%H:%M"),
                    self.until.format("%H:%M"),
                ),
            ));
        }
        Ok(())
    }

    /// How long the window lasts (up to a day: a second time at or before
    /// the first is the next day's).
    fn length(&self) -> Duration {
        let length = self.until - self.from;
        if length > Duration::zero() {
            length
        } else {
            length + Duration::days(1)
        }
    }
}

/// An exercise done in the seat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeatedExercise {
    /// 30 ankle pumps: toes up, toes down.
    AnklePumps,
    /// 20 seated heel raises with a 1 s hold.
    SeatedCalfRaises,
    /// 10 ankle circles each way, each foot.
    AnkleCircles,
}

impl SeatedExercise {
    const ROTATION: [Self; 3] = [Self::AnklePumps, Self::SeatedCalfRaises, Self::AnkleCircles];

    /// The instruction.
    pub fn instruction(self) -> &'static str {
        match self {
            Self::AnklePumps => {
                "30 ankle pumps: pull your toes up, then point them down, about one a second"
            }
            Self::SeatedCalfRaises => {
                "20 heel raises in your seat: lift both heels, hold 1 second at the top, lower"
            }
            Self::AnkleCircles => "Ankle circles: 10 each way with each foot",
        }
    }
}

/// What a plan item asks.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PlanItemKind {
    /// Before boarding: put the stockings on.
    PutOnStockings,
    /// Walk the aisle for a few minutes.
    Walk,
    /// An exercise in the seat.
    Seated {
        /// Which.
        exercise: SeatedExercise,
    },
    /// A glass of water.
    Drink,
    /// Quiet from now: sleep (exercise first).
    SleepStart,
    /// Awake again: stand up and walk when you can.
    WakeUp,
    /// Landed: walk a few minutes before sitting in a car or train.
    Arrive,
}

impl PlanItemKind {
    /// Its name on the plan's timeline.
    pub fn title(&self) -> &'static str {
        match self {
            Self::PutOnStockings => "Compression socks",
            Self::Walk => "Walk the aisle",
            Self::Seated { .. } => "In-seat exercises",
            Self::Drink => "Drink water",
            Self::SleepStart => "Sleep",
            Self::WakeUp => "Wake up and move",
            Self::Arrive => "Landed",
        }
    }

    /// The instruction shown.
    pub fn instruction(&self) -> String {
        match self {
            Self::PutOnStockings => {
                "Put on your below-knee compression stockings (15–30 mmHg) before boarding"
                    .to_owned()
            }
            Self::Walk => {
                "Stand up and walk the aisle for 3–5 minutes when the seat-belt sign is off"
                    .to_owned()
            }
            Self::Seated { exercise } => exercise.instruction().to_owned(),
            Self::Drink => "Drink a glass of water; go easy on alcohol".to_owned(),
            Self::SleepStart => {
                "Before you sleep: 30 ankle pumps, then sleep with your legs uncrossed".to_owned()
            }
            Self::WakeUp => {
                "Good morning: ankle pumps now, and a walk down the aisle when you can".to_owned()
            }
            Self::Arrive => "Landed: walk for a few minutes before the next long sit".to_owned(),
        }
    }
}

/// One thing to do at one time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanItem {
    /// When, UTC.
    pub at: DateTime<Utc>,
    /// The local time where the flight left, `YYYY-MM-DD HH:MM`.
    pub departure_local: String,
    /// The local time where it lands.
    pub arrival_local: String,
    /// What.
    #[serde(flatten)]
    pub kind: PlanItemKind,
    /// The instruction.
    pub text: String,
}

/// Whether a plan has the traveller put stockings on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stockings {
    /// Not suggested, or not for them without a doctor's advice.
    Not,
    /// Suggested (the guidelines', through the compression gate).
    Suggested,
    /// Theirs to choose with their doctor (or a blood thinner instead).
    IfChosenWithTheDoctor,
}

/// Everything the schedule needs.
#[derive(Debug, Clone, Copy)]
pub(super) struct ScheduleInput {
    pub departure: DateTime<Utc>,
    pub arrival: DateTime<Utc>,
    pub departure_zone: Tz,
    pub arrival_zone: Tz,
    pub move_every_min: u32,
    pub aisle_seat: bool,
    /// Whether the plan puts the stockings on before boarding.
    pub stockings: Stockings,
    pub sleep: Option<SleepWindow>,
}

fn item(at: DateTime<Utc>, kind: PlanItemKind, input: &ScheduleInput) -> PlanItem {
    let show = |zone: Tz| at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string();
    PlanItem {
        at,
        departure_local: show(input.departure_zone),
        arrival_local: show(input.arrival_zone),
        text: kind.instruction(),
        kind,
    }
}

/// The sleep window's instants inside the flight, if any: of the nights
/// the flight touches, the one it holds longest (the earliest of equals).
/// A traveller boarding at the end of one night sleeps the next one
/// aboard, not the hour left of the first. A night is slept aboard only if
/// at least [`SHORTEST_SLEEP_MIN`] of it fall between the climb and the
/// descent.
fn sleep_span(input: &ScheduleInput) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let window = input.sleep?;
    let cruise = (
        input.departure + Duration::minutes(AFTER_TAKE_OFF_MIN),
        input.arrival - Duration::minutes(BEFORE_LANDING_MIN),
    );
    let cruised =
        |(from, until): (DateTime<Utc>, DateTime<Utc>)| until.min(cruise.1) - from.max(cruise.0);
    let local_departure = input.departure.with_timezone(&input.arrival_zone);
    let mut longest: Option<(DateTime<Utc>, DateTime<Utc>)> = None;
    // The nights from the one before take-off (the traveller may board
    // inside it) to the last a flight of a day can reach.
    for day_offset in -1..=2 {
        let date = local_departure.date_naive() + Duration::days(day_offset);
        // Clock times of the destination, read on their own dates: on the
        // night the clocks change, 03:00 is not midnight + 3 h.
        let from = LocalDay::new(date, input.arrival_zone).at(window.from);
        let waking_date = if window.until <= window.from {
            date + Duration::days(1)
        } else {
            date
        };
        let until = LocalDay::new(waking_date, input.arrival_zone).at(window.until);
        let from = from.max(input.departure);
        let until = until.min(input.arrival);
        if from < until && longest.is_none_or(|(f, u)| until - from > u - f) {
            longest = Some((from, until));
        }
    }
    longest.filter(|&span| cruised(span) >= Duration::minutes(SHORTEST_SLEEP_MIN))
}

/// Builds the schedule, in time order.
pub(super) fn build(input: &ScheduleInput) -> Vec<PlanItem> {
    let mut items = Vec::new();
    if input.stockings != Stockings::Not {
        let mut put_on = item(
            input.departure - Duration::minutes(30),
            PlanItemKind::PutOnStockings,
            input,
        );
        if input.stockings == Stockings::IfChosenWithTheDoctor {
            put_on.text = "If you and your doctor chose stockings: put them on before boarding (below-knee, 15–30 mmHg)".to_owned();
        }
        items.push(put_on);
    }
    let first = input.departure + Duration::minutes(AFTER_TAKE_OFF_MIN);
    let last = input.arrival - Duration::minutes(BEFORE_LANDING_MIN);
    let sleep = sleep_span(input);
    let asleep = |t: DateTime<Utc>| sleep.is_some_and(|(from, until)| t >= from && t < until);
    if let Some((from, until)) = sleep {
        items.push(item(from, PlanItemKind::SleepStart, input));
        if until < input.arrival {
            items.push(item(until, PlanItemKind::WakeUp, input));
        }
    }
    let every = Duration::minutes(i64::from(input.move_every_min));
    // Aisle seat: walk every other prompt; window or middle: every third,
    // seated exercises between (ACCP 2012 suggests the aisle for this reason).
    let walk_every = if input.aisle_seat { 2 } else { 3 };
    let mut t = first;
    let mut prompt = 0usize;
    let mut seated = 0usize;
    // Before the descent, which starts at `last`: the reminders are quiet
    // from that minute on, as the seat-belt sign may be.
    while t < last {
        if !asleep(t) {
            let kind = if prompt.is_multiple_of(walk_every) {
                PlanItemKind::Walk
            } else {
                let exercise = SeatedExercise::ROTATION[seated % SeatedExercise::ROTATION.len()];
                seated += 1;
                PlanItemKind::Seated { exercise }
            };
            items.push(item(t, kind, input));
            prompt += 1;
        }
        t += every;
    }
    let mut drink = input.departure + Duration::minutes(DRINK_EVERY_MIN / 2);
    while drink < last {
        if !asleep(drink) {
            items.push(item(drink, PlanItemKind::Drink, input));
        }
        drink += Duration::minutes(DRINK_EVERY_MIN);
    }
    items.push(item(input.arrival, PlanItemKind::Arrive, input));
    items.sort_by_key(|i| i.at);
    items
}
