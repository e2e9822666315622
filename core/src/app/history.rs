//! Past days, weeks and months, and a day minute by minute.

use chrono::{DateTime, Duration, NaiveDate, Offset, Timelike, Utc};
use serde::Serialize;

use super::SecondHeart;
use crate::daily::{
    DailyAverages, DailySummary, Grouping, Period, Streaks, daily_averages, group, seated_and_still,
};
use crate::local_day::YEARS;
use crate::minutes::{merge, minute_of};
use crate::sensor::gatt::Posture;
use crate::store::History;
use crate::{Error, Result};

/// Refuses, as an invalid `field`, a `count` of periods `by` outside one
/// to [`most_periods`].
fn check_count(field: &'static str, by: Grouping, count: u32) -> Result<()> {
    let (most, unit) = most_periods(by);
    if !(1..=most).contains(&count) {
        return Err(Error::invalid(
            field,
            format!("1–{most} {unit} (got {count})"),
        ));
    }
    Ok(())
}

/// The most periods [`HistoryService::periods`] returns at once, and what
/// they are called: 520 days or weeks, 120 months (ten years, what
/// [`check_history_span`] reads).
fn most_periods(by: Grouping) -> (u32, &'static str) {
    match by {
        Grouping::Day => (520, "days"),
        Grouping::Week => (520, "weeks"),
        Grouping::Month => (120, "months"),
    }
}

/// The longest history read at once: ten years.
const MAX_HISTORY_DAYS: i64 = 3_660;

/// Refuses a history from `first` to `last` unless it runs forward and is
/// at most ten years long (a longer read would hold the database for
/// minutes and a screen cannot show it).
pub(crate) fn check_history_span(first: NaiveDate, last: NaiveDate) -> Result<()> {
    // A day's figures read the days either side (a bout across midnight),
    // and an export writes each day's end: both stay in the years the
    // exports and FHIR can write (9999-12-31 ended in "+10000-01-01").
    use chrono::Datelike;
    let counted = |date: Option<NaiveDate>| date.is_some_and(|d| YEARS.contains(&d.year()));
    if !(counted(first.pred_opt()) && counted(last.succ_opt())) {
        return Err(Error::invalid(
            "history",
            format!("dates from 0001-01-02 to 9999-12-30 (got {first} to {last})"),
        ));
    }
    if (0..MAX_HISTORY_DAYS).contains(&(last - first).num_days()) {
        Ok(())
    } else {
        Err(Error::invalid(
            "history",
            format!(
                "from a date to a later one, at most {MAX_HISTORY_DAYS} days (got {first} to {last})"
            ),
        ))
    }
}

/// How far back a streak is counted, days **(our choice)**: a year of
/// cached days reads in milliseconds; a streak longer shows as a year.
pub const STREAK_LOOK_BACK_DAYS: i64 = 366;

/// The days from `first` on (the history read may start earlier).
fn days_from(days: &[DailySummary], first: NaiveDate) -> &[DailySummary] {
    let skip = days.iter().take_while(|d| d.date < first).count();
    &days[skip..]
}

/// One minute of a day's series.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MinutePoint {
    /// The minute's first instant.
    pub minute: DateTime<Utc>,
    /// Steps in it.
    pub steps: u32,
    /// Calf contractions in it (raises, pumps).
    pub contractions: u32,
    /// Posture (a sensor's when one saw it, else the phone's; unknown when
    /// nothing was recorded).
    pub posture: Posture,
    /// Sock pressure, mmHg (0 without a sock).
    pub sock_mmhg: u8,
    /// Whether a sensor recorded it.
    pub from_sensor: bool,
}

/// One hour of a day, added up from its minutes: what the day's charts draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct HourTotals {
    /// The hour's first instant.
    pub start: DateTime<Utc>,
    /// Its hour on the local clock (0–23): the same hour twice on the night
    /// the clocks go back, one missing on the night they go forward.
    pub local_hour: u8,
    /// Steps in it.
    pub steps: u32,
    /// Calf contractions in it.
    pub contractions: u32,
    /// Minutes of it spent seated and still.
    pub sitting_minutes: u32,
}

/// Days, weeks or months added up, with the goal streaks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodHistory {
    /// The periods, oldest first.
    pub periods: Vec<Period>,
    /// The goal streaks up to today, counted over the last
    /// [`STREAK_LOOK_BACK_DAYS`] days (or the periods' days, when more).
    pub streaks: Streaks,
}

/// History.
#[derive(Debug, Clone)]
pub struct HistoryService {
    app: SecondHeart,
}

impl HistoryService {
    pub(super) fn new(app: SecondHeart) -> Self {
        Self { app }
    }

    /// Every day from `first` to `last` (inclusive) with the streaks.
    pub fn days(&self, first: NaiveDate, last: NaiveDate) -> Result<History> {
        check_history_span(first, last)?;
        self.app
            .read(|store, now| store.history(first, last, now.at))
    }

    /// The last `count` days, weeks (ISO, Monday first) or months, ending
    /// with the current one, oldest first: up to 520 days or weeks, 120
    /// months.
    pub fn periods(&self, by: Grouping, count: u32) -> Result<Vec<Period>> {
        self.read_periods(by, count, 0)
            .map(|(history, first)| group(days_from(&history.days, first), by))
    }

    /// [`Self::periods`] with the goal streaks up to today: a streak longer
    /// than the periods shown counts in full, up to
    /// [`STREAK_LOOK_BACK_DAYS`].
    pub fn periods_with_streaks(&self, by: Grouping, count: u32) -> Result<PeriodHistory> {
        self.read_periods(by, count, STREAK_LOOK_BACK_DAYS)
            .map(|(history, first)| PeriodHistory {
                periods: group(days_from(&history.days, first), by),
                streaks: history.streaks,
            })
    }

    /// The days of the last `count` periods, and at least the last
    /// `look_back` days before today; with the first date of the periods.
    fn read_periods(
        &self,
        by: Grouping,
        count: u32,
        look_back: i64,
    ) -> Result<(History, NaiveDate)> {
        check_count("periods", by, count)?;
        self.app.read(|store, now| {
            let last = store.today(now.at)?;
            let first = first_date(last, by, count);
            let read_from = first.min(last - Duration::days(look_back));
            check_history_span(read_from, last)?;
            Ok((store.history(read_from, last, now.at)?, first))
        })
    }

    /// What a day held on average over the last `count` days, today
    /// included (1–520): each figure over the days it was recorded on,
    /// today only when no earlier day has it (see [`DailyAverages`]).
    pub fn daily_averages(&self, count: u32) -> Result<DailyAverages> {
        check_count("days", Grouping::Day, count)?;
        self.app.read(|store, now| {
            let today = store.today(now.at)?;
            let first = first_date(today, Grouping::Day, count);
            let history = store.history(first, today, now.at)?;
            Ok(daily_averages(&history.days, today))
        })
    }

    /// Every minute of the local date `date`, from its first minute to its
    /// last (1,440 on most days, 1,380 or 1,500 when the clocks change).
    pub fn day_minutes(&self, date: NaiveDate) -> Result<Vec<MinutePoint>> {
        self.app
            .read(|store, _| minute_series(store, &store.zone_timeline()?, date))
    }

    /// The local date `date` hour by hour as its clock shows them (24 hours
    /// on most days, 23 or 25 when the clocks change; a day begun by a
    /// change of zone starts with the rest of an hour), each with its steps,
    /// calf contractions and minutes seated: the day's charts.
    pub fn day_by_hour(&self, date: NaiveDate) -> Result<Vec<HourTotals>> {
        self.app.read(|store, _| {
            let zones = store.zone_timeline()?;
            let minutes = minute_series(store, &zones, date)?;
            // An hour is the minutes the clock shows in one hour: a day
            // begun mid-hour (by a change of zone) has a short first one,
            // the hour the clocks go back comes twice (two offsets), and a
            // date lived twice starts an hour at each part.
            let mut hours: Vec<HourTotals> = Vec::with_capacity(25);
            let mut last: Option<(DateTime<Utc>, u32, i32)> = None;
            for m in &minutes {
                let local = m.minute.with_timezone(&zones.zone_at(m.minute));
                let (hour, offset) = (local.hour(), local.offset().fix().local_minus_utc());
                let same_hour = last.is_some_and(|(previous, last_hour, last_offset)| {
                    last_hour == hour
                        && last_offset == offset
                        && m.minute - previous == Duration::minutes(1)
                });
                if !same_hour {
                    hours.push(HourTotals {
                        start: m.minute,
                        local_hour: hour as u8,
                        steps: 0,
                        contractions: 0,
                        sitting_minutes: 0,
                    });
                }
                if let Some(totals) = hours.last_mut() {
                    totals.steps += m.steps;
                    totals.contractions += m.contractions;
                    // As the day's sitting minutes count them.
                    totals.sitting_minutes +=
                        u32::from(seated_and_still(m.posture, m.steps, m.contractions));
                }
                last = Some((m.minute, hour, offset));
            }
            Ok(hours)
        })
    }
}

/// Every minute of `date` under `zones` (see [`HistoryService::day_minutes`]).
fn minute_series(
    store: &crate::Store,
    zones: &crate::zones::ZoneTimeline,
    date: NaiveDate,
) -> Result<Vec<MinutePoint>> {
    let parts = zones.parts_of(date);
    if parts.is_empty() {
        return Err(Error::invalid(
            "date",
            format!("{date} does not exist in the user's zones"),
        ));
    }
    let recorded = merge(store.minutes_of_date(date, zones)?);
    let mut recorded = recorded.into_iter().peekable();
    let mut series = Vec::with_capacity(1_500);
    // A date lived twice (back over the date line) is drawn part by part.
    for (start, end) in parts {
        // A part begun by a change of zone starts when the phone noticed
        // it, between two whole minutes: its first minute is the next
        // whole one (the minute under way belongs to the date before).
        let mut minute = if minute_of(start) == start {
            start
        } else {
            minute_of(start) + Duration::minutes(1)
        };
        while minute < end {
            let point = match recorded.next_if(|m| m.minute == minute) {
                Some(m) => MinutePoint {
                    minute,
                    steps: m.steps,
                    contractions: m.contractions,
                    posture: m.posture,
                    sock_mmhg: m.sock_mmhg,
                    from_sensor: m.from_sensor,
                },
                None => MinutePoint {
                    minute,
                    steps: 0,
                    contractions: 0,
                    posture: Posture::Unknown,
                    sock_mmhg: 0,
                    from_sensor: false,
                },
            };
            // Minutes recorded out of the day's span are not drawn.
            while recorded.next_if(|m| m.minute <= minute).is_some() {}
            series.push(point);
            minute += Duration::minutes(1);
        }
    }
    Ok(series)
}

/// The first date of the `count` periods ending with the one holding `last`.
fn first_date(last: NaiveDate, by: Grouping, count: u32) -> NaiveDate {
    use chrono::Datelike;
    let back = i64::from(count) - 1;
    match by {
        Grouping::Day => last - Duration::days(back),
        Grouping::Week => {
            let monday = last - Duration::days(i64::from(last.weekday().num_days_from_monday()));
            monday - Duration::weeks(back)
        }
        Grouping::Month => {
            let months = last.year() * 12 + last.month0() as i32 - back as i32;
            NaiveDate::from_ymd_opt(months.div_euclid(12), months.rem_euclid(12) as u32 + 1, 1)
                .unwrap_or(last)
        }
    }
}
