//! Break reminders: when the next one is due and what it says, decided from
//! the time since the last real pump activity (a walk, an exercise set,
//! enough steps; sensor data counts), not from a fixed clock. The apps turn
//! the answer into a platform notification.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::profile::ReminderSettings;

/// What a reminder suggests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exercise {
    /// A few minutes' walk.
    Walk,
    /// 20 calf raises standing, 1 s hold.
    CalfRaises,
    /// 30 ankle pumps in the chair.
    AnklePumps,
    /// 20 heel raises in the seat, 1 s hold.
    SeatedCalfRaises,
    /// Ankle circles, 10 each way.
    AnkleCircles,
}

impl Exercise {
    const AT_A_DESK: [Self; 3] = [Self::Walk, Self::CalfRaises, Self::AnklePumps];
    const IN_A_SEAT: [Self; 4] = [
        Self::AnklePumps,
        Self::Walk,
        Self::SeatedCalfRaises,
        Self::AnkleCircles,
    ];

    /// The words shown.
    pub fn instruction(self) -> &'static str {
        match self {
            Self::Walk => "walk for 3 minutes",
            Self::CalfRaises => "stand and do 20 calf raises, holding 1 second at the top",
            Self::AnklePumps => "do 30 ankle pumps: toes up, toes down",
            Self::SeatedCalfRaises => "lift both heels 20 times in your seat, 1 second up",
            Self::AnkleCircles => "circle each ankle 10 times each way",
        }
    }

    /// Stored name.
    pub fn key(self) -> &'static str {
        match self {
            Self::Walk => "walk",
            Self::CalfRaises => "calf_raises",
            Self::AnklePumps => "ankle_pumps",
            Self::SeatedCalfRaises => "seated_calf_raises",
            Self::AnkleCircles => "ankle_circles",
        }
    }

    /// Reads a stored name (unknown names read as a walk).
    pub fn from_key(key: &str) -> Self {
        [
            Self::CalfRaises,
            Self::AnklePumps,
            Self::SeatedCalfRaises,
            Self::AnkleCircles,
        ]
        .into_iter()
        .find(|e| e.key() == key)
        .unwrap_or(Self::Walk)
    }
}

/// What the user did with a reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderResponse {
    /// Snoozed.
    Snoozed,
    /// Dismissed without moving.
    Dismissed,
    /// Did it (the activity itself also shows in the data).
    Done,
}

/// A reminder that was shown.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ShownReminder {
    /// When it was shown.
    pub shown_at: DateTime<Utc>,
    /// What it suggested.
    pub exercise: Exercise,
    /// The response and when, if any.
    pub response: Option<(ReminderResponse, DateTime<Utc>)>,
}

impl ShownReminder {
    /// Whether the user asked for it again later ("In 10 min").
    pub fn snoozed(&self) -> bool {
        matches!(self.response, Some((ReminderResponse::Snoozed, _)))
    }
}

/// Everything the decision needs.
#[derive(Debug, Clone, PartialEq)]
pub struct ReminderContext {
    /// Now.
    pub now: DateTime<Utc>,
    /// The zone the user is in (for quiet hours).
    pub zone: Tz,
    /// Settings.
    pub settings: ReminderSettings,
    /// The end of the last real pump activity, if any is known.
    pub last_activity: Option<DateTime<Utc>>,
    /// Since when activity would be known: the start of the store's look
    /// back, or the app's first run when that was later. With no activity
    /// known, the first reminder's clock starts here (or on waking, when
    /// later), so a new install is reminded an interval after it first ran.
    pub counting_since: DateTime<Utc>,
    /// The session running now, if any.
    pub running: Option<RunningSession>,
    /// Reminders shown since the last activity, oldest first.
    pub shown_since_activity: Vec<ShownReminder>,
    /// Reminders shown ever (varies the exercise).
    pub shown_ever: u64,
    /// A flight in progress: its plan's rhythm, quiet spans and landing.
    pub flight: Option<FlightReminding>,
    /// The flights started after it (a connection, the way home), in the
    /// order they leave, none before the one ahead of it lands: each takes
    /// its place once that one has landed ([`Self::at`]).
    pub later_flights: Vec<FlightReminding>,
}

/// A session running now, as the reminders see it: nothing comes while it
/// runs, and one whose Finish was forgotten ends by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunningSession {
    /// When it ends by itself if nothing more comes (the store rounds it,
    /// and `activity_until`, up to whole five minutes, so the next reminder
    /// does not move with every step counted).
    pub ends_by: DateTime<Utc>,
    /// The user's last activity once it has ended so: a walk's idle end, a
    /// set's last rep (as the store closes them); none for leg elevation,
    /// which rests the legs without working the pump, nor for a set
    /// without a rep, given up then.
    pub activity_until: Option<DateTime<Utc>>,
}

impl ReminderContext {
    /// The context as it will stand once the session running now has ended
    /// by itself, nothing more coming (its Finish forgotten): then, with
    /// what the store will hold once it is closed. `None` when no session
    /// runs.
    pub fn once_session_ends(&self) -> Option<ReminderContext> {
        let session = self.running.filter(|s| self.now <= s.ends_by)?;
        let mut ended = self.at(session.ends_by);
        ended.running = None;
        if let Some(until) = session.activity_until {
            ended.last_activity = ended.last_activity.max(Some(until));
            ended.shown_since_activity.retain(|r| r.shown_at > until);
        }
        Some(ended)
    }

    /// The context as it will stand at `at` if the user does not move: a
    /// flight landed by then gives way to the next one started, the user
    /// then in the zone it landed in.
    pub fn at(&self, at: DateTime<Utc>) -> ReminderContext {
        let mut then = self.clone();
        then.now = at;
        while let Some(landed) = then.flight.as_ref().filter(|f| f.lands <= at)
            && !then.later_flights.is_empty()
        {
            then.zone = landed.arrival_zone;
            then.flight = Some(then.later_flights.remove(0));
        }
        then
    }

    /// The reminders shown since the user last moved that still count:
    /// on the ground the night resets the count, so those shown before the
    /// last quiet hours ended are yesterday's (in the air the prompts go on
    /// through the night, and the flight's plan keeps its own rhythm; a
    /// flight started days ahead is not in the air yet). Aboard, the plan's
    /// rhythm starts at take-off: follow-ups used up on the ground do not
    /// silence the first prompt after the climb, which the ground's schedule
    /// had set for then.
    pub fn shown_counting(&self) -> Vec<&ShownReminder> {
        let night_ended = self.night_ended();
        let took_off = self
            .flight
            .as_ref()
            .filter(|f| f.aboard(self.now))
            .map(|f| f.departs);
        self.shown_since_activity
            .iter()
            .filter(|r| night_ended.is_none_or(|end| r.shown_at >= end))
            .filter(|r| took_off.is_none_or(|departs| r.shown_at >= departs))
            .collect()
    }

    /// Whether now falls in the quiet hours (on the ground, where the user
    /// is; aboard a flight, the plan's sleep window stands for them).
    pub fn quiet_now(&self) -> bool {
        let on_the_ground = self.flight.as_ref().is_none_or(|f| !f.aboard(self.now));
        on_the_ground
            && self
                .settings
                .is_quiet(self.now.with_timezone(&self.zone_at(self.now)).time())
    }

    /// When a break is due for a stretch still since `base`, as the next
    /// reminder counts it: the flight's interval while that falls aboard,
    /// past the plan's quiet spans, counted from `base` but not before
    /// take-off (its climb then holds it); else the ground's. Before
    /// take-off the sooner of the two: a ground interval of two hours had
    /// held the first prompt aboard past the plan's first movements. One
    /// the flight's interval would put at or after landing is the ground's,
    /// and on the ground: a short hop's half-hourly prompts end when it
    /// lands, and the ground's pace does not prompt aboard.
    pub fn break_due(&self, base: DateTime<Utc>) -> DateTime<Utc> {
        let ground = base + Duration::minutes(i64::from(self.settings.interval_min));
        // A flight not landed yet: its plan applies to what falls in the air.
        let Some(f) = self
            .flight
            .as_ref()
            .filter(|f| self.now < f.lands && f.departs <= ground)
        else {
            return ground;
        };
        let in_the_air =
            f.past_quiet((base + Duration::minutes(i64::from(f.every_min))).max(f.departs));
        match (f.aboard(in_the_air), base < f.departs) {
            // The flight prompts nothing more aboard: the ground's, on the
            // ground.
            (false, _) => ground.max(f.lands),
            // The ground's may fall in the climb: past it, as the reminder.
            (true, true) => f.past_quiet(ground.min(in_the_air)),
            (true, false) => in_the_air,
        }
    }

    /// Since when the user has been still: the last activity, or the end
    /// of the last quiet hours when that came later (the night is sleep,
    /// not sitting); none without any activity known.
    pub fn still_since(&self) -> Option<DateTime<Utc>> {
        let night_ended = self.night_ended();
        self.last_activity
            .map(|t| night_ended.map_or(t, |end| t.max(end)))
    }

    /// The end of the last quiet hours at or before now, on the ground.
    fn night_ended(&self) -> Option<DateTime<Utc>> {
        let on_the_ground = self.flight.as_ref().is_none_or(|f| !f.aboard(self.now));
        on_the_ground
            .then(|| last_quiet_end(self.now, self.zone_at(self.now), &self.settings))
            .flatten()
    }

    /// The zone whose quiet hours hold at `t`: after landing the
    /// destination's (also when a schedule set ahead runs past the
    /// landing), else the zone the user is in.
    fn zone_at(&self, t: DateTime<Utc>) -> Tz {
        self.flight
            .as_ref()
            .map_or(self.zone, |f| f.zone_at(t, self.zone))
    }
}

/// How a flight in progress shapes the reminders: its plan's interval and
/// seated exercises until it lands, and no prompt while its plan has none
/// (the climb, the sleep window, the descent).
#[derive(Debug, Clone, PartialEq)]
pub struct FlightReminding {
    /// Move every this many minutes.
    pub every_min: u32,
    /// The spans without prompts, oldest first.
    pub quiet: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    /// Take-off: before it the reminders are those of the ground.
    pub departs: DateTime<Utc>,
    /// Landing: from then on the reminders are those of the ground again.
    pub lands: DateTime<Utc>,
    /// The zone landed in: its quiet hours hold from landing on.
    pub arrival_zone: Tz,
}

impl FlightReminding {
    /// The zone whose quiet hours hold at `t`: the arrival's from landing
    /// on, else `before` (the zone the user is in now).
    fn zone_at(&self, t: DateTime<Utc>, before: Tz) -> Tz {
        if t >= self.lands {
            self.arrival_zone
        } else {
            before
        }
    }

    /// Whether `t` is in the air.
    fn aboard(&self, t: DateTime<Utc>) -> bool {
        self.departs <= t && t < self.lands
    }

    /// The first moment the plan prompts aboard, after its climb: none for
    /// a hop whose climb and descent (or a sleep window to landing) cover
    /// it, which prompts nothing aboard.
    fn first_prompt_aboard(&self) -> Option<DateTime<Utc>> {
        Some(self.past_quiet(self.departs)).filter(|t| self.aboard(*t))
    }

    /// `t`, or the end of the quiet span it falls in (and of any span that
    /// span's end falls in: the sleep window may run into the descent).
    fn past_quiet(&self, mut t: DateTime<Utc>) -> DateTime<Utc> {
        while let Some((_, until)) = self
            .quiet
            .iter()
            .find(|(from, until)| *from <= t && t < *until)
        {
            t = *until;
        }
        t
    }
}

/// How insistent a reminder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The first.
    Gentle,
    /// A follow-up.
    Nudge,
    /// The last follow-up before falling silent.
    Firm,
}

/// A reminder to schedule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reminder {
    /// When to show it.
    pub due_at: DateTime<Utc>,
    /// How insistent.
    pub level: Level,
    /// What it suggests.
    pub exercise: Exercise,
    /// Minutes without pump activity at that time, when known.
    pub still_minutes: Option<i64>,
    /// Title.
    pub title: String,
    /// Body.
    pub body: String,
}

/// The next reminder, or `None` when none should be scheduled (turned off,
/// or the follow-ups are used up with no quiet hours and no flight to
/// climb or land; on the ground the next morning starts again gently, and
/// a flight leaving before it, once it has climbed; aboard, or before a
/// flight that prompts nothing aboard, the next is the ground's from
/// landing, in the destination's zone). While a session runs,
/// the first reminder once it would end by itself (its Finish forgotten):
/// the phone has it scheduled, and each change that keeps the session
/// going moves it on.
pub fn next_reminder(ctx: &ReminderContext) -> Option<Reminder> {
    let s = &ctx.settings;
    if !s.enabled {
        return None;
    }
    if let Some(ended) = ctx.once_session_ends() {
        return next_reminder(&ended);
    }
    // A flight not landed yet: its plan applies to what falls in the air.
    let flight = ctx.flight.as_ref().filter(|f| ctx.now < f.lands);
    let after = |base: DateTime<Utc>| ctx.break_due(base);
    let zone_at = |t| ctx.zone_at(t);
    let night_ended = ctx.night_ended();
    let shown = ctx.shown_counting();
    // Still since the last activity, or since waking when that was before.
    let still_since = ctx.still_since();
    let follow_ups = shown.len().saturating_sub(1);
    let (mut due, level) = match shown.last() {
        None => {
            // With no activity known, the clock starts when the app began
            // to count, or on waking when that was later.
            let since = still_since.unwrap_or_else(|| {
                night_ended.map_or(ctx.counting_since, |end| end.max(ctx.counting_since))
            });
            if night_ended == Some(since) {
                (after_waking(since, after, zone_at, s), Level::Gentle)
            } else {
                (after(since), Level::Gentle)
            }
        }
        // Silent until the user moves, or until the next morning, which
        // starts gently, an interval after the quiet hours end; in the air
        // until the user moves. A flight leaving before that morning starts
        // again gently once it has climbed. Not when the last one was
        // snoozed: the user asked for it again in a few minutes.
        Some(last)
            if follow_ups >= usize::try_from(s.max_follow_ups).unwrap_or(0) && !last.snoozed() =>
        {
            let ahead = flight.filter(|f| ctx.now < f.departs);
            // The morning where the user is, if it comes before take-off.
            let morning = (flight.is_none() || ahead.is_some())
                .then(|| next_quiet_end(ctx.now, zone_at(ctx.now), s))
                .flatten()
                .map(|waking| after_waking(waking, after, zone_at, s))
                .filter(|morning| ahead.is_none_or(|f| *morning < f.departs));
            let climbed = ahead.and_then(FlightReminding::first_prompt_aboard);
            match morning.into_iter().chain(climbed).min() {
                Some(due) => (due, Level::Gentle),
                // Aboard, or before a flight that prompts nothing aboard
                // and leaves before the morning: silent in the air, and
                // from landing the ground's, as they will stand then (the
                // destination's night may have reset the count).
                None => return flight.and_then(|f| next_reminder(&ctx.at(f.lands))),
            }
        }
        Some(last) => {
            let due = match last.response {
                Some((ReminderResponse::Snoozed, at)) => {
                    at + Duration::minutes(i64::from(s.snooze_min))
                }
                Some((_, at)) => after(at.max(last.shown_at)),
                None => last.shown_at + Duration::minutes(i64::from(s.follow_up_min)),
            };
            let level = if follow_ups + 1 >= usize::try_from(s.max_follow_ups).unwrap_or(0) {
                Level::Firm
            } else {
                Level::Nudge
            };
            (due, level)
        }
    };
    let mut level = level;
    // An overdue reminder is due now, and now may be the night.
    due = due.max(ctx.now);
    if let Some(flight) = flight {
        due = flight.past_quiet(due);
    }
    // Aboard, the plan's sleep window stands for the quiet hours (the
    // prompts against clots go on through the departure zone's night).
    let mut aboard = flight.is_some_and(|f| f.aboard(due));
    if let Some(quiet_end) = quiet_end_if_inside(due, zone_at(due), s).filter(|_| !aboard) {
        // A night flight boarded in the quiet hours: its first prompt
        // comes after the climb, not the morning after; unless its plan is
        // quiet to touch-down (a short hop, a sleep window to landing).
        let boarded = flight.filter(|f| due <= f.departs && f.departs < quiet_end);
        match boarded.and_then(FlightReminding::first_prompt_aboard) {
            Some(climbed) => due = climbed,
            None => {
                // Quiet to touch-down: the ground's night is the
                // destination's, ending after landing when it lands in it,
                // else where it ended in the air (a prompt that falls
                // aboard then waits for touch-down, below), or on landing
                // when it ended before take-off (an eastward hop, where
                // the destination's morning comes first).
                let quiet_end = boarded.map_or(quiet_end, |f| {
                    let zone = zone_at(f.lands);
                    quiet_end_if_inside(f.lands, zone, s)
                        .or_else(|| {
                            last_quiet_end(f.lands, zone, s).filter(|end| *end >= f.departs)
                        })
                        .unwrap_or(f.lands)
                });
                // The night resets the count: the morning starts gently,
                // an interval after waking, or on waking when the waking
                // hours are shorter than that.
                due = after_waking(quiet_end, after, zone_at, s);
                // The morning's first may fall in a flight's climb or
                // sleep window: it waits for their end.
                if let Some(flight) = flight {
                    due = flight.past_quiet(due);
                }
                level = Level::Gentle;
            }
        }
        aboard = flight.is_some_and(|f| f.aboard(due));
    }
    // Due once the connection started after this flight has left (it
    // leaves after this one lands): this flight's rules do not know that
    // one, so the context at the landing decides, where its plan shapes the
    // reminders. (Due in the layover, it stands as without the connection.)
    let connection_left = ctx
        .later_flights
        .first()
        .is_some_and(|next| due >= next.departs);
    if let Some(f) = flight.filter(|_| connection_left) {
        return next_reminder(&ctx.at(f.lands));
    }
    let exercise = pick_exercise(ctx, aboard);
    let still_minutes = still_since.map(|t| (due - t).num_minutes());
    let (title, body) = words(level, exercise, still_minutes);
    Some(Reminder {
        due_at: due,
        level,
        exercise,
        still_minutes,
        title,
        body,
    })
}

/// The morning's first reminder after quiet hours ending at `waking`: an
/// interval later (`after`: the flight's, when the ground's would fall
/// aboard an early flight), or on waking when the waking hours are shorter
/// than that.
fn after_waking(
    waking: DateTime<Utc>,
    after: impl Fn(DateTime<Utc>) -> DateTime<Utc>,
    zone_at: impl Fn(DateTime<Utc>) -> Tz,
    s: &ReminderSettings,
) -> DateTime<Utc> {
    let due = after(waking);
    if quiet_end_if_inside(due, zone_at(due), s).is_some() {
        waking
    } else {
        due
    }
}

/// The end of the last quiet hours in `zone` at or before `now`; none when
/// there are no quiet hours.
fn last_quiet_end(now: DateTime<Utc>, zone: Tz, s: &ReminderSettings) -> Option<DateTime<Utc>> {
    if s.quiet_from == s.quiet_until {
        return None;
    }
    let today = now.with_timezone(&zone).date_naive();
    [today, today - Duration::days(1)]
        .into_iter()
        .map(|date| crate::local_day::LocalDay::new(date, zone).last_at(s.quiet_until))
        .find(|end| *end <= now)
}

/// The end of the next quiet hours in `zone` after `now`; none when there
/// are no quiet hours.
fn next_quiet_end(now: DateTime<Utc>, zone: Tz, s: &ReminderSettings) -> Option<DateTime<Utc>> {
    let last = last_quiet_end(now, zone, s)?;
    let next_date = last.with_timezone(&zone).date_naive() + Duration::days(1);
    Some(crate::local_day::LocalDay::new(next_date, zone).last_at(s.quiet_until))
}

/// If `t` is in the quiet hours, the instant they end.
fn quiet_end_if_inside(t: DateTime<Utc>, zone: Tz, s: &ReminderSettings) -> Option<DateTime<Utc>> {
    let local = t.with_timezone(&zone);
    if !s.is_quiet(local.time()) {
        return None;
    }
    let date = if local.time() >= s.quiet_until && s.quiet_from > s.quiet_until {
        local.date_naive() + Duration::days(1)
    } else {
        local.date_naive()
    };
    // In the hour the clocks go back the end comes twice, and the clock
    // reads quiet again after its first reading: the night ends at the
    // second (also for the last quiet end and the next).
    Some(crate::local_day::LocalDay::new(date, zone).last_at(s.quiet_until))
}

/// Varies the exercise (for a seat when `seated`), never the same one twice
/// in a row.
fn pick_exercise(ctx: &ReminderContext, seated: bool) -> Exercise {
    let choices: &[Exercise] = if seated {
        &Exercise::IN_A_SEAT
    } else {
        &Exercise::AT_A_DESK
    };
    let start = usize::try_from(ctx.shown_ever % choices.len() as u64).unwrap_or(0);
    let last = ctx.shown_since_activity.last().map(|r| r.exercise);
    (0..choices.len())
        .map(|i| choices[(start + i) % choices.len()])
        .find(|e| Some(*e) != last)
        .unwrap_or(choices[0])
}

fn words(level: Level, exercise: Exercise, still_minutes: Option<i64>) -> (String, String) {
    let still = still_minutes.filter(|m| *m > 0);
    match level {
        Level::Gentle => (
            "Time to wake up your second heart".to_owned(),
            format!(
                "A short break keeps the blood moving: {}.",
                exercise.instruction()
            ),
        ),
        Level::Nudge => (
            "Still sitting?".to_owned(),
            match still {
                Some(m) => format!(
                    "{m} minutes without moving your calves. When you can: {}.",
                    exercise.instruction()
                ),
                None => format!("When you can: {}.", exercise.instruction()),
            },
        ),
        Level::Firm => (
            "One minute for your legs".to_owned(),
            format!(
                "{}A minute now makes a difference: {}. We'll stay quiet after this one.",
                still
                    .map(|m| format!("It has been {m} minutes. "))
                    .unwrap_or_default(),
                exercise.instruction()
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::utc;

    fn ctx(now: &str, last_activity: Option<&str>) -> ReminderContext {
        ReminderContext {
            now: utc(now),
            zone: chrono_tz::Europe::Berlin,
            settings: ReminderSettings::default(),
            last_activity: last_activity.map(utc),
            counting_since: utc(now) - Duration::hours(36),
            running: None,
            shown_since_activity: Vec::new(),
            shown_ever: 0,
            flight: None,
            later_flights: Vec::new(),
        }
    }

    #[test]
    fn the_clock_starts_at_the_last_activity() {
        // 10:00 Berlin; walked until 09:50 Berlin: due 10:35 Berlin.
        let r =
            next_reminder(&ctx("2026-11-23T09:00:00Z", Some("2026-11-23T08:50:00Z"))).expect("due");
        assert_eq!(r.due_at, utc("2026-11-23T09:35:00Z"));
        assert_eq!(r.level, Level::Gentle);
        // Having just moved pushes it back.
        let r =
            next_reminder(&ctx("2026-11-23T09:00:00Z", Some("2026-11-23T08:59:00Z"))).expect("due");
        assert_eq!(r.due_at, utc("2026-11-23T09:44:00Z"));
    }

    #[test]
    fn quiet_hours_ending_in_the_hour_the_clocks_go_back_end_at_its_second_reading() {
        // Berlin goes back from 03:00 to 02:00 on 25 October 2026; quiet
        // until 02:30. At 02:15 the second time round (01:15 UTC) the night
        // is not over: it ends at the second 02:30 (01:30 UTC), not the
        // first (00:30 UTC), and nothing is due before now.
        let mut c = ctx("2026-10-25T01:15:00Z", Some("2026-10-24T18:00:00Z"));
        c.settings.interval_min = 15;
        c.settings.quiet_until = chrono::NaiveTime::from_hms_opt(2, 30, 0).expect("time");
        let r = next_reminder(&c).expect("due");
        assert_eq!(
            (r.due_at, r.level),
            (utc("2026-10-25T01:45:00Z"), Level::Gentle)
        );
    }

    #[test]
    fn switched_off_means_no_reminder() {
        let mut c = ctx("2026-11-23T09:00:00Z", None);
        c.settings.enabled = false;
        assert_eq!(next_reminder(&c), None);
    }

    #[test]
    fn a_running_session_holds_reminders_until_it_would_end_by_itself() {
        // A walk whose last step was at 10:00 Berlin ends by itself at
        // 10:30 if nothing more comes: the first reminder is 45 minutes
        // after that end, gently, whatever was shown before the walk.
        let mut c = ctx("2026-11-23T09:05:00Z", Some("2026-11-23T07:00:00Z"));
        c.shown_since_activity.push(ShownReminder {
            shown_at: utc("2026-11-23T07:45:00Z"),
            exercise: Exercise::CalfRaises,
            response: None,
        });
        c.running = Some(RunningSession {
            ends_by: utc("2026-11-23T09:30:00Z"),
            activity_until: Some(utc("2026-11-23T09:30:00Z")),
        });
        let r = next_reminder(&c).expect("due");
        assert_eq!(
            (r.due_at, r.level),
            (utc("2026-11-23T10:15:00Z"), Level::Gentle)
        );
        assert_eq!(r.still_minutes, Some(45));
        // Leg elevation rests the legs: once it ends, the reminder that was
        // due during it is due then.
        c.running = Some(RunningSession {
            ends_by: utc("2026-11-23T09:30:00Z"),
            activity_until: None,
        });
        let r = next_reminder(&c).expect("due");
        assert_eq!(
            (r.due_at, r.level),
            (utc("2026-11-23T09:30:00Z"), Level::Nudge)
        );
    }

    #[test]
    fn unanswered_reminders_escalate_politely_then_fall_silent() {
        let mut c = ctx("2026-11-23T10:00:00Z", Some("2026-11-23T08:00:00Z"));
        let shown = |at: &str, exercise| ShownReminder {
            shown_at: utc(at),
            exercise,
            response: None,
        };
        c.shown_since_activity
            .push(shown("2026-11-23T08:45:00Z", Exercise::Walk));
        let r = next_reminder(&c).expect("follow-up");
        assert_eq!(r.level, Level::Nudge);
        assert_eq!(
            r.due_at,
            utc("2026-11-23T10:00:00Z"),
            "overdue follow-ups are due now"
        );
        assert_ne!(r.exercise, Exercise::Walk, "the exercise varies");
        c.shown_since_activity
            .push(shown("2026-11-23T09:00:00Z", Exercise::CalfRaises));
        assert_eq!(next_reminder(&c).expect("last").level, Level::Firm);
        c.shown_since_activity
            .push(shown("2026-11-23T09:15:00Z", Exercise::AnklePumps));
        let morning = next_reminder(&c).expect("the next morning");
        assert_eq!(
            (morning.due_at, morning.level),
            (utc("2026-11-24T06:45:00Z"), Level::Gentle),
            "silent until the user moves, or until 07:45 Berlin the next morning"
        );
    }

    #[test]
    fn the_night_resets_the_count_of_unanswered_reminders() {
        let shown = |at: &str| ShownReminder {
            shown_at: utc(at),
            exercise: Exercise::Walk,
            response: None,
        };
        // At 07:30 Berlin the morning starts gently, at 07:45; with that one
        // shown, the next, at 07:50, is a nudge, not the evening's last word.
        let morning = |mut c: ReminderContext| {
            let first = next_reminder(&c).expect("the morning's first");
            c.now = utc("2026-11-24T06:50:00Z");
            c.shown_since_activity.push(shown("2026-11-24T06:45:00Z"));
            let next = next_reminder(&c).expect("a follow-up");
            [(first.due_at, first.level), (next.due_at, next.level)]
        };
        let expected = [
            (utc("2026-11-24T06:45:00Z"), Level::Gentle),
            (utc("2026-11-24T07:00:00Z"), Level::Nudge),
        ];
        // Sat still since 18:00 Berlin; the evening's three went unanswered.
        let mut c = ctx("2026-11-24T06:30:00Z", Some("2026-11-23T17:00:00Z"));
        for at in [
            "2026-11-23T17:45:00Z",
            "2026-11-23T18:00:00Z",
            "2026-11-23T18:15:00Z",
        ] {
            c.shown_since_activity.push(shown(at));
        }
        assert_eq!(morning(c), expected, "after the evening's three");
        // One shown at 21:45 Berlin, its follow-up due in the night.
        let mut c = ctx("2026-11-23T20:50:00Z", Some("2026-11-23T17:00:00Z"));
        c.shown_since_activity.push(shown("2026-11-23T20:45:00Z"));
        assert_eq!(morning(c), expected, "after one at 21:45");
    }

    #[test]
    fn a_snooze_brings_it_back_after_the_snooze() {
        let mut c = ctx("2026-11-23T09:00:00Z", Some("2026-11-23T08:00:00Z"));
        c.shown_since_activity.push(ShownReminder {
            shown_at: utc("2026-11-23T08:45:00Z"),
            exercise: Exercise::Walk,
            response: Some((ReminderResponse::Snoozed, utc("2026-11-23T08:55:00Z"))),
        });
        assert_eq!(
            next_reminder(&c).expect("due").due_at,
            utc("2026-11-23T09:05:00Z")
        );
    }

    #[test]
    fn the_last_reminder_snoozed_comes_back_after_the_snooze_not_the_next_morning() {
        let mut c = ctx("2026-11-23T09:20:00Z", Some("2026-11-23T08:00:00Z"));
        c.shown_since_activity
            .push(unanswered("2026-11-23T08:45:00Z"));
        c.shown_since_activity
            .push(unanswered("2026-11-23T09:00:00Z"));
        c.shown_since_activity.push(ShownReminder {
            shown_at: utc("2026-11-23T09:15:00Z"),
            exercise: Exercise::AnklePumps,
            response: Some((ReminderResponse::Snoozed, utc("2026-11-23T09:16:00Z"))),
        });
        let again = next_reminder(&c).expect("after the snooze");
        assert_eq!(
            (again.due_at, again.level),
            (utc("2026-11-23T09:26:00Z"), Level::Firm),
            "\"In 10 min\" on the firm one means in 10 minutes"
        );
        // Left unanswered this time: silent until the next morning.
        c.shown_since_activity
            .push(unanswered("2026-11-23T09:26:00Z"));
        let morning = next_reminder(&c).expect("the next morning");
        assert_eq!(
            (morning.due_at, morning.level),
            (utc("2026-11-24T06:45:00Z"), Level::Gentle)
        );
    }

    #[test]
    fn quiet_hours_move_it_to_the_morning_and_start_gently() {
        // Sat since 21:00 Berlin (20:00 UTC): 21:45 is fine, but a follow-up
        // at 22:00 falls in the quiet hours → 07:00 + 45 min.
        let mut c = ctx("2026-11-23T20:50:00Z", Some("2026-11-23T20:00:00Z"));
        c.shown_since_activity.push(ShownReminder {
            shown_at: utc("2026-11-23T20:45:00Z"),
            exercise: Exercise::Walk,
            response: None,
        });
        let r = next_reminder(&c).expect("due");
        assert_eq!(r.due_at, utc("2026-11-24T06:45:00Z"));
        assert_eq!(r.level, Level::Gentle);
    }

    #[test]
    fn waking_hours_shorter_than_the_interval_get_their_reminder_on_waking() {
        // Quiet from 07:30 to 07:00: half an hour awake, reminders every 45 min.
        let mut c = ctx("2026-11-23T20:50:00Z", Some("2026-11-23T20:00:00Z"));
        c.settings.quiet_from = chrono::NaiveTime::from_hms_opt(7, 30, 0).expect("time");
        let r = next_reminder(&c).expect("due");
        assert_eq!(
            r.due_at,
            utc("2026-11-24T06:00:00Z"),
            "07:00 Berlin, not 07:45"
        );
    }

    #[test]
    fn a_reminder_overdue_at_night_waits_for_the_morning() {
        // Still since 21:00 Berlin: the reminder was due at 21:45, but the
        // phone asks at 23:10 (reminders just turned on, or a restart).
        let r =
            next_reminder(&ctx("2026-11-23T22:10:00Z", Some("2026-11-23T20:00:00Z"))).expect("due");
        assert_eq!(r.due_at, utc("2026-11-24T06:45:00Z"), "07:00 + 45 min");
        assert_eq!(r.level, Level::Gentle);
    }

    #[test]
    fn the_quiet_hours_end_at_seven_on_the_clock_when_the_clocks_change_overnight() {
        // Still since 21:30 on Saturday 24 October 2026 (Berlin, summer
        // time); the clocks go back at 03:00. Due at 22:15: quiet, so 07:00
        // winter time (06:00 UTC) + 45 min, not an hour earlier.
        let r =
            next_reminder(&ctx("2026-10-24T19:31:00Z", Some("2026-10-24T19:30:00Z"))).expect("due");
        assert_eq!(r.due_at, utc("2026-10-25T06:45:00Z"));
        // Going forward on 28 March 2027: 07:00 summer time is 05:00 UTC.
        let r =
            next_reminder(&ctx("2027-03-27T20:31:00Z", Some("2027-03-27T20:30:00Z"))).expect("due");
        assert_eq!(r.due_at, utc("2027-03-28T05:45:00Z"));
    }

    #[test]
    fn on_a_flight_the_plan_s_quiet_spans_hold_the_reminders_and_landing_ends_its_rhythm() {
        // Aboard since 21:00 Berlin; asleep 23:00–04:00 Berlin by the plan;
        // the descent from 06:50, landing at 07:30 (UTC below).
        let flight = FlightReminding {
            every_min: 30,
            quiet: vec![
                (utc("2026-11-23T20:00:00Z"), utc("2026-11-23T20:30:00Z")),
                (utc("2026-11-23T22:00:00Z"), utc("2026-11-24T03:00:00Z")),
                (utc("2026-11-24T05:50:00Z"), utc("2026-11-24T06:30:00Z")),
            ],
            departs: utc("2026-11-23T20:00:00Z"),
            lands: utc("2026-11-24T06:30:00Z"),
            arrival_zone: chrono_tz::Europe::Berlin,
        };
        // At the gate, still 45 minutes on the ground's rhythm: due in the
        // climb, so at its end, and for a seat.
        let mut c = ctx("2026-11-23T19:30:00Z", Some("2026-11-23T19:25:00Z"));
        c.flight = Some(flight.clone());
        let r = next_reminder(&c).expect("due");
        assert_eq!(r.due_at, utc("2026-11-23T20:30:00Z"));
        assert!(Exercise::IN_A_SEAT.contains(&r.exercise), "{r:?}");
        // With two hours between reminders on the ground, the first aboard
        // still comes at the climb's end, by the plan's 30 minutes, not at
        // 21:25; and one due before take-off stays the ground's.
        c.settings.interval_min = 120;
        let r = next_reminder(&c).expect("due");
        assert_eq!(r.due_at, utc("2026-11-23T20:30:00Z"), "{r:?}");
        let mut early = ctx("2026-11-23T17:00:00Z", Some("2026-11-23T16:50:00Z"));
        early.flight = Some(flight.clone());
        early.settings.interval_min = 60;
        assert_eq!(
            next_reminder(&early).expect("due").due_at,
            utc("2026-11-23T17:50:00Z")
        );
        let mut c = ctx("2026-11-23T21:50:00Z", Some("2026-11-23T21:40:00Z"));
        c.flight = Some(flight.clone());
        // Due at 22:10 UTC (23:10 Berlin, inside both the sleep window and
        // the quiet hours): at the plan's wake-up, seated, not at 07:45.
        let r = next_reminder(&c).expect("due");
        assert_eq!(r.due_at, utc("2026-11-24T03:00:00Z"));
        assert!(Exercise::IN_A_SEAT.contains(&r.exercise), "{r:?}");
        // Before the sleep window, at 22:40 Berlin: the night does not stop
        // the prompts against clots.
        let mut c = ctx("2026-11-23T21:15:00Z", Some("2026-11-23T21:10:00Z"));
        c.flight = Some(flight.clone());
        assert_eq!(
            next_reminder(&c).expect("due").due_at,
            utc("2026-11-23T21:40:00Z")
        );
        // A night flight: at the gate at 22:15 Berlin, taking off at 23:00,
        // last moved at 22:10; due at 22:55, in the ground's quiet hours:
        // after the climb, not the next morning.
        let night = FlightReminding {
            every_min: 30,
            quiet: vec![(utc("2026-11-23T22:00:00Z"), utc("2026-11-23T22:30:00Z"))],
            departs: utc("2026-11-23T22:00:00Z"),
            lands: utc("2026-11-24T08:00:00Z"),
            arrival_zone: chrono_tz::Europe::Berlin,
        };
        let mut c = ctx("2026-11-23T21:15:00Z", Some("2026-11-23T21:10:00Z"));
        c.flight = Some(night);
        let r = next_reminder(&c).expect("due");
        assert_eq!(r.due_at, utc("2026-11-23T22:30:00Z"));
        assert!(Exercise::IN_A_SEAT.contains(&r.exercise), "{r:?}");
        // In the descent: at landing, and for the ground.
        let mut c = ctx("2026-11-24T05:40:00Z", Some("2026-11-24T05:30:00Z"));
        c.flight = Some(flight);
        let r = next_reminder(&c).expect("due");
        assert_eq!(r.due_at, utc("2026-11-24T06:30:00Z"));
        assert!(Exercise::AT_A_DESK.contains(&r.exercise), "{r:?}");
    }

    #[test]
    fn after_landing_the_quiet_hours_are_the_destination_s() {
        // Frankfurt 16:00 → New York, landing at 18:30 there (23:30 UTC,
        // 00:30 in Berlin); in the descent, last moved at 22:50 UTC.
        let mut c = ctx("2026-11-21T22:55:00Z", Some("2026-11-21T22:50:00Z"));
        c.flight = Some(FlightReminding {
            every_min: 30,
            quiet: vec![
                (utc("2026-11-21T15:00:00Z"), utc("2026-11-21T15:30:00Z")),
                (utc("2026-11-21T22:50:00Z"), utc("2026-11-21T23:30:00Z")),
            ],
            departs: utc("2026-11-21T15:00:00Z"),
            lands: utc("2026-11-21T23:30:00Z"),
            arrival_zone: chrono_tz::America::New_York,
        });
        // The flight's half hour on would fall in the descent: the
        // ground's 45 minutes from the movement hold, five minutes after
        // landing, an evening in New York: not Berlin's next morning
        // (01:45 in New York).
        let r = next_reminder(&c).expect("due");
        assert_eq!(r.due_at, utc("2026-11-21T23:35:00Z"));
        assert!(Exercise::AT_A_DESK.contains(&r.exercise), "{r:?}");
        // The schedule set ahead in the descent goes on past the landing:
        // its follow-up at 18:50 in New York (00:50 in Berlin, where the
        // phone still was) is not put off to Berlin's morning.
        c.now = r.due_at;
        c.shown_since_activity.push(ShownReminder {
            shown_at: r.due_at,
            exercise: r.exercise,
            response: None,
        });
        let follow_up = next_reminder(&c).expect("a follow-up");
        assert_eq!(
            (follow_up.due_at, follow_up.level),
            (utc("2026-11-21T23:50:00Z"), Level::Nudge)
        );
    }

    /// A walk suggested at `at` and left unanswered.
    fn unanswered(at: &str) -> ShownReminder {
        ShownReminder {
            shown_at: utc(at),
            exercise: Exercise::Walk,
            response: None,
        }
    }

    #[test]
    fn a_flight_started_days_ahead_leaves_the_ground_s_reminders_as_they_are() {
        // Started on Monday for Thursday's flight; Monday evening's
        // reminder and both follow-ups were ignored.
        let thursday = FlightReminding {
            every_min: 30,
            quiet: vec![(utc("2026-11-26T09:00:00Z"), utc("2026-11-26T09:30:00Z"))],
            departs: utc("2026-11-26T09:00:00Z"),
            lands: utc("2026-11-26T18:00:00Z"),
            arrival_zone: chrono_tz::Europe::Berlin,
        };
        let mut c = ctx("2026-11-23T18:40:00Z", Some("2026-11-23T17:00:00Z"));
        c.flight = Some(thursday.clone());
        c.shown_since_activity.extend(
            [
                "2026-11-23T17:45:00Z",
                "2026-11-23T18:00:00Z",
                "2026-11-23T18:15:00Z",
            ]
            .map(unanswered),
        );
        // Tuesday morning starts again gently, as on any day: 07:45 Berlin.
        let r = next_reminder(&c).expect("Tuesday's reminders");
        assert_eq!(
            (r.due_at, r.level),
            (utc("2026-11-24T06:45:00Z"), Level::Gentle)
        );
        // And the night reset the count: Tuesday's first shown, the next
        // is its follow-up, not silence.
        c.now = r.due_at;
        c.shown_since_activity.push(ShownReminder {
            shown_at: r.due_at,
            exercise: r.exercise,
            response: None,
        });
        let follow_up = next_reminder(&c).expect("a follow-up");
        assert_eq!(
            (follow_up.due_at, follow_up.level),
            (utc("2026-11-24T07:00:00Z"), Level::Nudge)
        );
        // The follow-ups used up on the evening before an early flight that
        // leaves before the morning's first: after its climb, gently.
        let mut c = ctx("2026-11-25T21:40:00Z", Some("2026-11-25T20:00:00Z"));
        c.flight = Some(FlightReminding {
            quiet: vec![(utc("2026-11-26T05:00:00Z"), utc("2026-11-26T05:30:00Z"))],
            departs: utc("2026-11-26T05:00:00Z"),
            ..thursday
        });
        c.shown_since_activity.extend(
            [
                "2026-11-25T20:45:00Z",
                "2026-11-25T21:00:00Z",
                "2026-11-25T21:15:00Z",
            ]
            .map(unanswered),
        );
        let r = next_reminder(&c).expect("after the climb");
        assert_eq!(
            (r.due_at, r.level),
            (utc("2026-11-26T05:30:00Z"), Level::Gentle)
        );
        assert!(Exercise::IN_A_SEAT.contains(&r.exercise), "{r:?}");
        // Asked again when it is due, aboard (the phone's alarm asks before
        // showing it): the evening's reminders do not silence it.
        c.now = r.due_at;
        let aboard = next_reminder(&c).expect("shown aboard after the climb");
        assert_eq!(
            (aboard.due_at, aboard.level),
            (utc("2026-11-26T05:30:00Z"), Level::Gentle)
        );
        // And once shown, aboard ones follow at the plan's rhythm.
        c.shown_since_activity.push(ShownReminder {
            shown_at: aboard.due_at,
            exercise: aboard.exercise,
            response: None,
        });
        let follow_up = next_reminder(&c).expect("its follow-up");
        assert_eq!(follow_up.level, Level::Nudge);
    }

    #[test]
    fn the_morning_s_first_reminder_waits_for_the_climb_of_an_early_flight() {
        // Last moved at 22:00 Berlin; taking off at 07:20 Berlin (06:20 UTC),
        // climbing until 07:50. The morning's first, 07:45, is in the climb.
        let mut c = ctx("2026-11-22T21:30:00Z", Some("2026-11-22T21:00:00Z"));
        c.flight = Some(FlightReminding {
            every_min: 30,
            quiet: vec![(utc("2026-11-23T06:20:00Z"), utc("2026-11-23T06:50:00Z"))],
            departs: utc("2026-11-23T06:20:00Z"),
            lands: utc("2026-11-23T14:00:00Z"),
            arrival_zone: chrono_tz::Europe::Berlin,
        });
        let r = next_reminder(&c).expect("due");
        assert_eq!(r.due_at, utc("2026-11-23T06:50:00Z"));
        assert_eq!(r.level, Level::Gentle);
        assert!(Exercise::IN_A_SEAT.contains(&r.exercise), "{r:?}");
        // With two hours between breaks on the ground, the morning's first
        // still comes after the climb: the ground's interval would hold it
        // aboard until 09:00.
        c.settings.interval_min = 120;
        let r = next_reminder(&c).expect("due");
        assert_eq!(r.due_at, utc("2026-11-23T06:50:00Z"));
    }

    /// A flight from Berlin to Berlin's zone, quiet for its climb and its
    /// descent as a plan makes them (see `FlightPlan::reminding`).
    fn hop(departs: &str, lands: &str) -> FlightReminding {
        let (departs, lands) = (utc(departs), utc(lands));
        FlightReminding {
            every_min: 30,
            quiet: vec![
                (departs, (departs + Duration::minutes(30)).min(lands)),
                ((lands - Duration::minutes(40)).max(departs), lands),
            ],
            departs,
            lands,
            arrival_zone: chrono_tz::Europe::Berlin,
        }
    }

    #[test]
    fn a_night_hop_quiet_to_touch_down_leaves_the_next_reminder_to_the_morning() {
        // At the gate at 22:00 Berlin, still since 21:20: due 22:05, in the
        // quiet hours. The hop leaves at 22:30 and lands at 23:35, its
        // climb and descent covering it: nothing aboard, and on landing
        // it is night still. The morning's first, gently, at 07:45.
        let mut c = ctx("2026-11-23T21:00:00Z", Some("2026-11-23T20:20:00Z"));
        c.flight = Some(hop("2026-11-23T21:30:00Z", "2026-11-23T22:35:00Z"));
        let r = next_reminder(&c).expect("due");
        assert_eq!(
            (r.due_at, r.level),
            (utc("2026-11-24T06:45:00Z"), Level::Gentle)
        );
        // A sleep window to landing does the same on a long flight landing
        // in the destination's night: the night ends with theirs.
        let mut flight = hop("2026-11-23T21:30:00Z", "2026-11-24T04:00:00Z");
        flight.quiet.insert(
            1,
            (utc("2026-11-23T22:00:00Z"), utc("2026-11-24T04:00:00Z")),
        );
        c.flight = Some(flight);
        let r = next_reminder(&c).expect("due");
        assert_eq!(
            (r.due_at, r.level),
            (utc("2026-11-24T06:45:00Z"), Level::Gentle)
        );
    }

    #[test]
    fn the_flight_s_interval_holds_only_for_prompts_that_fall_aboard() {
        // Two hours between breaks on the ground, half an hour aboard.
        let mut c = ctx("2026-11-23T12:11:00Z", Some("2026-11-23T12:10:00Z"));
        c.settings.interval_min = 120;
        // Moved aboard at 13:10 Berlin, landing at 13:55: half an hour on
        // falls in the descent, so the ground's two hours hold, not a
        // prompt at touch-down.
        c.flight = Some(hop("2026-11-23T09:00:00Z", "2026-11-23T12:55:00Z"));
        let r = next_reminder(&c).expect("due");
        assert_eq!(r.due_at, utc("2026-11-23T14:10:00Z"));
        // Before an hour's hop whose climb and descent cover it: the
        // ground's two hours, not a prompt on landing.
        let mut c = ctx("2026-11-23T07:00:00Z", Some("2026-11-23T07:00:00Z"));
        c.settings.interval_min = 120;
        c.flight = Some(hop("2026-11-23T07:20:00Z", "2026-11-23T08:20:00Z"));
        let r = next_reminder(&c).expect("due");
        assert_eq!(r.due_at, utc("2026-11-23T09:00:00Z"));
        // A longer flight still gets the flight's half hour after its climb.
        c.flight = Some(hop("2026-11-23T07:20:00Z", "2026-11-23T12:20:00Z"));
        let r = next_reminder(&c).expect("due");
        assert_eq!(r.due_at, utc("2026-11-23T07:50:00Z"));
        // A quarter of an hour on the ground, an hour aboard: moved 75
        // minutes before landing, the flight's hour falls in the descent,
        // and the ground's quarter is not prompted aboard: at touch-down.
        let mut c = ctx("2026-11-23T11:41:00Z", Some("2026-11-23T11:40:00Z"));
        c.settings.interval_min = 15;
        let mut flight = hop("2026-11-23T09:00:00Z", "2026-11-23T12:55:00Z");
        flight.every_min = 60;
        c.flight = Some(flight);
        let r = next_reminder(&c).expect("due");
        assert_eq!(r.due_at, utc("2026-11-23T12:55:00Z"));
    }

    #[test]
    fn a_hop_quiet_to_touch_down_prompts_nothing_aboard_it() {
        // The follow-ups used up by 09:30 Berlin; a hop from 12:00 to 13:05
        // whose climb and descent cover it: silent until the morning, not
        // a prompt at touch-down.
        let mut c = ctx("2026-11-23T09:00:00Z", Some("2026-11-23T07:15:00Z"));
        for at in [
            "2026-11-23T08:00:00Z",
            "2026-11-23T08:15:00Z",
            "2026-11-23T08:30:00Z",
        ] {
            c.shown_since_activity.push(unanswered(at));
        }
        c.flight = Some(hop("2026-11-23T11:00:00Z", "2026-11-23T12:05:00Z"));
        let r = next_reminder(&c).expect("due");
        assert_eq!(
            (r.due_at, r.level),
            (utc("2026-11-24T06:45:00Z"), Level::Gentle)
        );
        // At the gate at 06:00 Berlin, still since the evening, for a hop
        // from 06:30 to 07:35: the night ended at 07:00, so the morning's
        // first is at 07:45, as without the hop, not an interval after
        // landing.
        let mut c = ctx("2026-11-24T05:00:00Z", Some("2026-11-23T20:00:00Z"));
        c.flight = Some(hop("2026-11-24T05:30:00Z", "2026-11-24T06:35:00Z"));
        let r = next_reminder(&c).expect("due");
        assert_eq!(
            (r.due_at, r.level),
            (utc("2026-11-24T06:45:00Z"), Level::Gentle)
        );
        // Eastward, where the destination's night ended before take-off: at
        // the gate at 06:30, a hop from 06:50 landing in Vilnius at 08:55
        // (its night ended at 07:00 there, 05:00 UTC): an interval after
        // landing, not a time already past.
        let mut c = ctx("2026-11-24T05:30:00Z", Some("2026-11-23T19:00:00Z"));
        let mut flight = hop("2026-11-24T05:50:00Z", "2026-11-24T06:55:00Z");
        flight.arrival_zone = chrono_tz::Europe::Vilnius;
        c.flight = Some(flight);
        let r = next_reminder(&c).expect("due");
        assert_eq!(
            (r.due_at, r.level),
            (utc("2026-11-24T07:40:00Z"), Level::Gentle)
        );
    }

    #[test]
    fn follow_ups_used_up_aboard_leave_the_next_to_the_ground_from_landing() {
        // Berlin to Los Angeles, 07:30 to 19:30 UTC; last moved at the
        // gate, the three prompts after the climb left unanswered.
        let mut flight = hop("2026-11-21T07:30:00Z", "2026-11-21T19:30:00Z");
        flight.arrival_zone = chrono_tz::America::Los_Angeles;
        let mut c = ctx("2026-11-21T09:05:00Z", Some("2026-11-21T07:00:00Z"));
        c.flight = Some(flight);
        c.shown_since_activity.extend(
            [
                "2026-11-21T08:30:00Z",
                "2026-11-21T08:45:00Z",
                "2026-11-21T09:00:00Z",
            ]
            .map(unanswered),
        );
        // Silent in the air; on landing, gently and for the ground: Los
        // Angeles' night ended aboard (07:00 there), which resets the
        // count as any night does.
        let r = next_reminder(&c).expect("the ground's, from landing");
        assert_eq!(
            (r.due_at, r.level),
            (utc("2026-11-21T19:30:00Z"), Level::Gentle)
        );
        assert!(Exercise::AT_A_DESK.contains(&r.exercise), "{r:?}");
        // Asked again on landing (the phone's alarm asks before showing
        // it), the same.
        c.now = r.due_at;
        assert_eq!(next_reminder(&c).map(|r| r.due_at), Some(r.due_at));
    }

    #[test]
    fn a_connection_takes_the_landed_flight_s_place_in_the_context() {
        let mut first = hop("2026-11-23T08:00:00Z", "2026-11-23T10:00:00Z");
        first.arrival_zone = chrono_tz::Europe::London;
        let mut second = hop("2026-11-23T12:00:00Z", "2026-11-23T15:00:00Z");
        second.arrival_zone = chrono_tz::Europe::Lisbon;
        let mut c = ctx("2026-11-23T09:00:00Z", Some("2026-11-23T07:00:00Z"));
        c.flight = Some(first);
        c.later_flights = vec![second.clone()];
        // Before the first lands: as it stands.
        assert_eq!(
            c.at(utc("2026-11-23T09:59:00Z")),
            ReminderContext {
                now: utc("2026-11-23T09:59:00Z"),
                ..c.clone()
            }
        );
        // Once it has: the next flight, the user in London.
        let layover = c.at(utc("2026-11-23T10:00:00Z"));
        assert_eq!(layover.flight, Some(second.clone()));
        assert!(layover.later_flights.is_empty());
        assert_eq!(layover.zone, chrono_tz::Europe::London);
        // The last landed stays (its zone holds from its landing on).
        assert_eq!(layover.at(utc("2026-11-23T16:00:00Z")).flight, Some(second));
    }

    #[test]
    fn a_reminder_due_after_the_landing_follows_the_connection_s_plan() {
        // Two hours between breaks on the ground; moved aboard the first
        // flight at 10:40 Berlin. Its half hour on falls in its descent, so
        // the ground's two hours would say 12:40, aboard the connection
        // (12:00 to 16:00): its plan prompts after its climb instead.
        let mut c = ctx("2026-11-23T09:45:00Z", Some("2026-11-23T09:40:00Z"));
        c.settings.interval_min = 120;
        c.flight = Some(hop("2026-11-23T08:00:00Z", "2026-11-23T10:30:00Z"));
        c.later_flights = vec![hop("2026-11-23T11:00:00Z", "2026-11-23T15:00:00Z")];
        let r = next_reminder(&c).expect("due");
        assert_eq!(r.due_at, utc("2026-11-23T11:30:00Z"));
        assert!(Exercise::IN_A_SEAT.contains(&r.exercise), "{r:?}");
        // Without the connection, the ground's.
        c.later_flights.clear();
        assert_eq!(
            next_reminder(&c).map(|r| r.due_at),
            Some(utc("2026-11-23T11:40:00Z"))
        );
        // Due in the layover, before the connection leaves: as without it.
        // (An eastward dawn hop to Vilnius, whose night ended before
        // take-off: an interval after landing, 07:40 UTC.)
        let mut c = ctx("2026-11-24T05:30:00Z", Some("2026-11-23T19:00:00Z"));
        let mut flight = hop("2026-11-24T05:50:00Z", "2026-11-24T06:55:00Z");
        flight.arrival_zone = chrono_tz::Europe::Vilnius;
        c.flight = Some(flight);
        c.later_flights = vec![hop("2026-11-24T09:00:00Z", "2026-11-24T11:00:00Z")];
        assert_eq!(
            next_reminder(&c).map(|r| r.due_at),
            Some(utc("2026-11-24T07:40:00Z"))
        );
    }

    #[test]
    fn an_eastward_night_flight_s_next_reminder_is_the_destination_s_morning() {
        // New York 19:00, the evening's three left unanswered; the flight
        // leaves at 21:00 and lands in London at 09:00, asleep by its plan
        // all the way: nothing aboard, and London's night ended before
        // landing, so the next comes on landing, not at New York's
        // morning (12:45 in London).
        let mut c = ctx("2026-11-24T00:00:00Z", Some("2026-11-23T22:00:00Z"));
        c.zone = chrono_tz::America::New_York;
        let mut flight = hop("2026-11-24T02:00:00Z", "2026-11-24T09:00:00Z");
        flight.quiet.insert(
            1,
            (utc("2026-11-24T02:00:00Z"), utc("2026-11-24T09:00:00Z")),
        );
        flight.arrival_zone = chrono_tz::Europe::London;
        c.flight = Some(flight);
        c.shown_since_activity.extend(
            [
                "2026-11-23T23:00:00Z",
                "2026-11-23T23:15:00Z",
                "2026-11-23T23:30:00Z",
            ]
            .map(unanswered),
        );
        let r = next_reminder(&c).expect("due");
        assert_eq!(
            (r.due_at, r.level),
            (utc("2026-11-24T09:00:00Z"), Level::Gentle)
        );
    }

    #[test]
    fn on_a_flight_the_exercises_are_for_a_seat() {
        let mut c = ctx("2026-11-23T09:00:00Z", Some("2026-11-23T08:00:00Z"));
        c.flight = Some(FlightReminding {
            every_min: 30,
            quiet: Vec::new(),
            departs: utc("2026-11-23T07:00:00Z"),
            lands: utc("2026-11-23T20:00:00Z"),
            arrival_zone: chrono_tz::Europe::Berlin,
        });
        for shown_ever in 0..8 {
            c.shown_ever = shown_ever;
            let r = next_reminder(&c).expect("due");
            assert!(r.exercise != Exercise::CalfRaises, "{r:?}");
            assert_eq!(r.due_at, utc("2026-11-23T09:00:00Z"));
        }
    }
}
