//! History: days, weeks, months, and a day minute by minute.

use std::time::SystemTime;

use second_heart_core::app;
use second_heart_core::daily::{self, DailyAverages, Grouping, Streak, Streaks};
use second_heart_core::sensor::gatt::Posture;

use crate::today::DailySummary;
use crate::{SecondHeartError, date_text, parse_date_text};

/// An average day over a stretch, each figure over the days it was
/// recorded on (minutes not over days of imported steps alone).
#[uniffi::remote(Record)]
pub struct DailyAverages {
    /// The days steps and litres are averaged over (0: nothing recorded,
    /// every figure 0).
    pub days: u32,
    /// Steps a day.
    pub steps: f64,
    /// The days active and seated minutes are averaged over, those whose
    /// minutes were recorded (at most `days`).
    pub minute_days: u32,
    /// Active minutes a day, over the days whose minutes were recorded.
    pub active_minutes: f64,
    /// Litres pumped a day.
    pub pumped_litres: f64,
    /// Minutes seated and still a day, over the days whose minutes were
    /// recorded.
    pub sitting_minutes: f64,
}

/// How to group days.
#[uniffi::remote(Enum)]
pub enum Grouping {
    /// Each day.
    Day,
    /// ISO weeks, Monday to Sunday.
    Week,
    /// Calendar months.
    Month,
}

/// A posture, as a sensor or the phone saw it.
#[uniffi::remote(Enum)]
pub enum Posture {
    /// Not known.
    Unknown,
    /// Lying flat.
    Lying,
    /// Sitting.
    Sitting,
    /// Standing still.
    Standing,
    /// Lying with the legs raised.
    LegsRaised,
    /// Walking.
    Walking,
}

/// Days added up.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Period {
    /// "2026-11-21", "2026-W47" or "2026-11".
    pub key: String,
    /// Its first date, `YYYY-MM-DD`.
    pub first: String,
    /// Days in it.
    pub days: u32,
    /// Steps.
    pub steps: u64,
    /// The part of `steps` that only imported daily totals know of: the
    /// apps draw it apart ("imported from a file").
    pub imported_steps: u64,
    /// Active minutes.
    pub active_minutes: u64,
    /// Litres pumped.
    pub pumped_litres: f64,
    /// Calf-raise sets.
    pub calf_raise_sets: u64,
    /// Minutes seated.
    pub sitting_minutes: u64,
    /// Sitting stretches of 30 minutes or more.
    pub prolonged_sitting_bouts: u64,
    /// Drinks, mL.
    pub hydration_ml: u64,
    /// Days the steps goal was met.
    pub days_steps_goal_met: u32,
}

impl From<daily::Period> for Period {
    fn from(p: daily::Period) -> Self {
        Self {
            key: p.key,
            first: date_text(p.first),
            days: p.days,
            steps: p.steps,
            imported_steps: p.imported_steps,
            active_minutes: p.active_minutes,
            pumped_litres: p.pumped_litres,
            calf_raise_sets: p.calf_raise_sets,
            sitting_minutes: p.sitting_minutes,
            prolonged_sitting_bouts: p.prolonged_sitting_bouts,
            hydration_ml: p.hydration_ml,
            days_steps_goal_met: p.days_steps_goal_met,
        }
    }
}

/// A goal's run of days.
#[uniffi::remote(Record)]
pub struct Streak {
    /// Days in a row up to today (today not met yet breaks nothing), or up
    /// to the last day of a history that ends before today.
    pub current_days: u32,
    /// The longest run in the history read.
    pub best_days: u32,
}

/// Every goal's streak.
#[uniffi::remote(Record)]
pub struct Streaks {
    /// Steps.
    pub steps: Streak,
    /// Active minutes.
    pub active_minutes: Streak,
    /// Calf-raise sets.
    pub calf_raise_sets: Streak,
    /// Pumped volume.
    pub pumped_volume: Streak,
    /// Hydration.
    pub hydration: Streak,
}

/// Days in a row with their streaks.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct History {
    /// Every date asked, oldest first.
    pub days: Vec<DailySummary>,
    /// The streaks as they stand today (days to come left out), or at the
    /// last day of a history that ends before today.
    pub streaks: daily::Streaks,
}

/// A day minute by minute (1,440 minutes on most days, 1,380 or 1,500 when
/// the clocks change), in runs of consecutive minutes: the first run's
/// minutes are `minutes[0..runs[0].minutes]`, the `i`th of them starting
/// `i` minutes after `runs[0].start`; the next run's follow. A date has
/// one run, except a date lived twice (back over the date line: Tokyo on
/// the 22nd, Los Angeles on the 21st, then the 22nd again), whose second
/// part starts hours after the first ends. One instant a run, not one per
/// minute: the series crosses the FFI at a third of the cost.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct DayMinutes {
    /// The runs of consecutive minutes, in order.
    pub runs: Vec<MinuteRun>,
    /// Every minute of the day, in order.
    pub minutes: Vec<MinutePoint>,
}

/// Consecutive minutes of a day ([`DayMinutes`]).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MinuteRun {
    /// The first minute's start (local midnight, or the first whole minute
    /// after the part began).
    pub start: SystemTime,
    /// How many minutes.
    pub minutes: u32,
}

/// One minute of a day's series ([`DayMinutes`]' runs say when it starts).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct MinutePoint {
    /// Steps.
    pub steps: u32,
    /// Calf contractions.
    pub contractions: u32,
    /// Posture.
    pub posture: Posture,
    /// Sock pressure, mmHg.
    pub sock_mmhg: u8,
    /// Whether a sensor recorded it.
    pub from_sensor: bool,
}

/// One hour of a day, added up from its minutes: what the day's charts draw.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct HourTotals {
    /// The hour's first instant.
    pub start: SystemTime,
    /// Its hour on the local clock (0–23): the same hour twice on the night
    /// the clocks go back, one missing on the night they go forward.
    pub local_hour: u8,
    /// Steps.
    pub steps: u32,
    /// Calf contractions.
    pub contractions: u32,
    /// Minutes seated and still.
    pub sitting_minutes: u32,
}

impl From<app::HourTotals> for HourTotals {
    fn from(h: app::HourTotals) -> Self {
        Self {
            start: h.start.into(),
            local_hour: h.local_hour,
            steps: h.steps,
            contractions: h.contractions,
            sitting_minutes: h.sitting_minutes,
        }
    }
}

/// History.
#[derive(Debug, uniffi::Object)]
pub struct HistoryService(pub(crate) app::HistoryService);

#[uniffi::export]
impl HistoryService {
    /// Every day from `first` to `last` (`YYYY-MM-DD`, inclusive).
    pub fn days(&self, first: String, last: String) -> Result<History, SecondHeartError> {
        let history = self
            .0
            .days(parse_date_text(&first)?, parse_date_text(&last)?)?;
        Ok(History {
            days: history.days.into_iter().map(Into::into).collect(),
            streaks: history.streaks,
        })
    }

    /// The last `count` days, weeks or months, ending with the current one.
    pub fn periods(&self, by: Grouping, count: u32) -> Result<Vec<Period>, SecondHeartError> {
        Ok(self
            .0
            .periods(by, count)?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// What a day held on average over the last `count` days (1–520),
    /// counted over the days something was recorded on (today only when it
    /// is the only one): the charts' "a day on average".
    pub fn daily_averages(&self, count: u32) -> Result<DailyAverages, SecondHeartError> {
        Ok(self.0.daily_averages(count)?)
    }

    /// `date` (`YYYY-MM-DD`) hour by hour: 24 hours on most days, 23 or 25
    /// when the clocks change; the day's charts.
    pub fn day_by_hour(&self, date: String) -> Result<Vec<HourTotals>, SecondHeartError> {
        Ok(self
            .0
            .day_by_hour(parse_date_text(&date)?)?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Every minute of `date` (`YYYY-MM-DD`): 1,440 on most days.
    pub fn day_minutes(&self, date: String) -> Result<DayMinutes, SecondHeartError> {
        let series = self.0.day_minutes(parse_date_text(&date)?)?;
        let mut runs: Vec<MinuteRun> = Vec::new();
        for (i, m) in series.iter().enumerate() {
            let follows = i > 0 && m.minute - series[i - 1].minute == chrono::Duration::minutes(1);
            match runs.last_mut() {
                Some(run) if follows => run.minutes += 1,
                _ => runs.push(MinuteRun {
                    start: m.minute.into(),
                    minutes: 1,
                }),
            }
        }
        Ok(DayMinutes {
            runs,
            minutes: series
                .into_iter()
                .map(|m| MinutePoint {
                    steps: m.steps,
                    contractions: m.contractions,
                    posture: m.posture,
                    sock_mmhg: m.sock_mmhg,
                    from_sensor: m.from_sensor,
                })
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use crate::{FixedClock, SecondHeart};

    fn at(text: &str) -> SystemTime {
        let seconds = chrono::DateTime::parse_from_rfc3339(text)
            .expect("instant")
            .timestamp();
        SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(seconds).expect("after 1970"))
    }

    /// The app on `db` at `when` in `zone`, a glass of water drunk (which
    /// notes the zone the phone is in).
    fn drink_at(db: &std::path::Path, when: &str, zone: &str) -> std::sync::Arc<SecondHeart> {
        let clock = FixedClock::new(at(when), zone.to_owned()).expect("clock");
        let app = SecondHeart::open(db.to_string_lossy().into_owned(), clock).expect("app");
        app.sessions().drink(250).expect("drink");
        app
    }

    #[test]
    fn a_date_lived_twice_comes_in_two_runs_each_with_its_own_start() {
        let dir = tempfile::tempdir().expect("dir");
        let db = dir.path().join("app.db");
        // The 21st in Tokyo, then back over the date line: Los Angeles
        // lands at 10:00 on the 21st (18:00 UTC).
        drink_at(&db, "2026-11-21T00:30:00Z", "Asia/Tokyo");
        drink_at(&db, "2026-11-21T16:00:00Z", "Asia/Tokyo");
        let app = drink_at(&db, "2026-11-21T18:00:00Z", "America/Los_Angeles");
        let day = app
            .history()
            .day_minutes("2026-11-21".to_owned())
            .expect("day");
        let runs: Vec<(SystemTime, u32)> = day.runs.iter().map(|r| (r.start, r.minutes)).collect();
        assert_eq!(
            runs,
            [
                // Tokyo's whole 21st.
                (at("2026-11-20T15:00:00Z"), 1_440),
                // Los Angeles' 21st from the landing on: 14 hours.
                (at("2026-11-21T18:00:00Z"), 14 * 60),
            ]
        );
        assert_eq!(day.minutes.len(), 1_440 + 14 * 60);
    }
}
