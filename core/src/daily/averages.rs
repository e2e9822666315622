//! What a day held on average over a stretch of days.

use chrono::NaiveDate;
use serde::Serialize;

use super::DailySummary;

/// An average day over a stretch, counted over the days something was
/// recorded on: days before the app was installed, or with the phone left
/// in a drawer, are no days of the user's (seven days of which two were
/// lived would show a third of the walking). Today, still under way,
/// counts only when no earlier day has anything.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DailyAverages {
    /// The days averaged over (0: nothing recorded, every figure 0).
    pub days: u32,
    /// Steps a day.
    pub steps: f64,
    /// Active minutes a day.
    pub active_minutes: f64,
    /// Litres pumped a day.
    pub pumped_litres: f64,
    /// Minutes seated and still a day.
    pub sitting_minutes: f64,
}

impl DailySummary {
    /// Whether anything was recorded on the day: steps (imported ones too),
    /// sitting, a set, a drink, stockings or a sensor's minutes.
    pub fn recorded_anything(&self) -> bool {
        self.steps > 0
            || self.walking_minutes > 0
            || self.sitting_minutes > 0
            || self.calf_raise_sets > 0
            || self.ankle_pump_sets > 0
            || self.hydration_ml > 0
            || self.compression_minutes > 0
            || self.sensor_minutes > 0
    }
}

/// The average day of `days` (see [`DailyAverages`]), `today` being the
/// date under way.
pub fn daily_averages(days: &[DailySummary], today: NaiveDate) -> DailyAverages {
    let recorded: Vec<&DailySummary> = days.iter().filter(|d| d.recorded_anything()).collect();
    let before_today: Vec<&DailySummary> = recorded
        .iter()
        .copied()
        .filter(|d| d.date < today)
        .collect();
    let counted = if before_today.is_empty() {
        recorded
    } else {
        before_today
    };
    let n = counted.len();
    let mean = |figure: fn(&DailySummary) -> f64| {
        if n == 0 {
            0.0
        } else {
            counted.iter().map(|d| figure(d)).sum::<f64>() / n as f64
        }
    };
    DailyAverages {
        days: u32::try_from(n).unwrap_or(u32::MAX),
        steps: mean(|d| f64::from(d.steps)),
        active_minutes: mean(|d| f64::from(d.active_minutes)),
        pumped_litres: mean(|d| d.pumped_litres),
        sitting_minutes: mean(|d| f64::from(d.sitting_minutes)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(date: &str, steps: u32) -> DailySummary {
        DailySummary {
            steps,
            sitting_minutes: if steps > 0 { 300 } else { 0 },
            ..DailySummary::nothing_on(date)
        }
    }

    #[test]
    fn a_day_on_average_counts_the_days_lived_with_the_app_and_not_today_under_way() {
        let today: NaiveDate = "2026-11-21".parse().expect("date");
        // Installed two days ago: five empty days, two of 6,000 steps, and
        // today's morning.
        let week = [
            day("2026-11-15", 0),
            day("2026-11-16", 0),
            day("2026-11-17", 0),
            day("2026-11-18", 0),
            day("2026-11-19", 6_000),
            day("2026-11-20", 6_000),
            day("2026-11-21", 500),
        ];
        let average = daily_averages(&week, today);
        assert_eq!((average.days, average.steps), (2, 6_000.0));
        assert_eq!(average.sitting_minutes, 300.0);
        // The first day: today is all there is.
        let first = daily_averages(&week[6..], today);
        assert_eq!((first.days, first.steps), (1, 500.0));
        // Nothing at all: no day, no figure.
        let none = daily_averages(&week[..4], today);
        assert_eq!((none.days, none.steps), (0, 0.0));
    }
}
