//! What a day held on average over a stretch of days.

use chrono::NaiveDate;
use serde::Serialize;

use super::DailySummary;

/// An average day over a stretch, each figure counted over the days it
/// was recorded on: days before the app was installed, or with the phone
/// left in a drawer, are no days of the user's (seven days of which two
/// were lived would show a third of the walking). Steps and litres count
/// every day something was recorded on; active and seated minutes only the
/// days whose minutes were ([`DailySummary::recorded_minutes`]): a day of
/// steps imported as a total says nothing of them, and would read as a
/// day of none. Today, still under way, counts for a figure only when no
/// earlier day has it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DailyAverages {
    /// The days steps and litres are averaged over (0: nothing recorded,
    /// every figure 0).
    pub days: u32,
    /// Steps a day.
    pub steps: f64,
    /// The days active and seated minutes are averaged over, those whose
    /// minutes were recorded (at most [`Self::days`]).
    pub minute_days: u32,
    /// Active minutes a day, over the days whose minutes were recorded.
    pub active_minutes: f64,
    /// Litres pumped a day.
    pub pumped_litres: f64,
    /// Minutes seated and still a day, over the days whose minutes were
    /// recorded.
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

    /// Whether the day's minutes were recorded (its active and seated
    /// minutes mean something): steps beyond those imported (a file gives a
    /// day's total, no minutes), or walking, active, sitting or a sensor's
    /// minutes.
    pub fn recorded_minutes(&self) -> bool {
        self.steps > self.imported_steps
            || self.walking_minutes > 0
            || self.active_minutes > 0
            || self.sitting_minutes > 0
            || self.sensor_minutes > 0
    }
}

/// The average day of `days` (see [`DailyAverages`]), `today` being the
/// date under way.
pub fn daily_averages(days: &[DailySummary], today: NaiveDate) -> DailyAverages {
    let any = Counted::of(days, today, DailySummary::recorded_anything);
    let timed = Counted::of(days, today, DailySummary::recorded_minutes);
    DailyAverages {
        days: u32::try_from(any.days.len()).unwrap_or(u32::MAX),
        minute_days: u32::try_from(timed.days.len()).unwrap_or(u32::MAX),
        steps: any.mean(|d| f64::from(d.steps)),
        active_minutes: timed.mean(|d| f64::from(d.active_minutes)),
        pumped_litres: any.mean(|d| d.pumped_litres),
        sitting_minutes: timed.mean(|d| f64::from(d.sitting_minutes)),
    }
}

/// The days a figure is averaged over.
struct Counted<'a> {
    days: Vec<&'a DailySummary>,
}

impl<'a> Counted<'a> {
    /// The days of `days` that `recorded` the figure, today only if no
    /// earlier one did.
    fn of(days: &'a [DailySummary], today: NaiveDate, recorded: fn(&DailySummary) -> bool) -> Self {
        let recorded: Vec<&DailySummary> = days.iter().filter(|d| recorded(d)).collect();
        let before_today: Vec<&DailySummary> = recorded
            .iter()
            .copied()
            .filter(|d| d.date < today)
            .collect();
        Self {
            days: if before_today.is_empty() {
                recorded
            } else {
                before_today
            },
        }
    }

    /// `figure`'s mean over the days, 0 with none.
    fn mean(&self, figure: fn(&DailySummary) -> f64) -> f64 {
        if self.days.is_empty() {
            0.0
        } else {
            self.days.iter().map(|d| figure(d)).sum::<f64>() / self.days.len() as f64
        }
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

    #[test]
    fn days_of_imported_steps_alone_count_for_steps_but_not_for_minutes() {
        let today: NaiveDate = "2026-11-21".parse().expect("date");
        let imported = |date: &str| DailySummary {
            steps: 8_000,
            imported_steps: 8_000,
            pumped_litres: 50.0,
            ..DailySummary::nothing_on(date)
        };
        // Two days imported from a file, then the first day with the app
        // (yesterday) and today's morning.
        let days = [
            imported("2026-11-18"),
            imported("2026-11-19"),
            DailySummary {
                steps: 5_000,
                active_minutes: 40,
                walking_minutes: 50,
                sitting_minutes: 360,
                pumped_litres: 35.0,
                ..DailySummary::nothing_on("2026-11-20")
            },
            DailySummary {
                steps: 2_000,
                active_minutes: 20,
                sitting_minutes: 120,
                ..DailySummary::nothing_on("2026-11-21")
            },
        ];
        let average = daily_averages(&days, today);
        assert_eq!((average.days, average.minute_days), (3, 1));
        assert_eq!(average.steps, 7_000.0);
        assert_eq!(average.pumped_litres, 45.0);
        // Not 40 / 3: the imported days hold no minutes to average.
        assert_eq!(average.active_minutes, 40.0);
        assert_eq!(average.sitting_minutes, 360.0);
        // Imported days alone, with today's first minutes: today's minutes
        // are all there is of them, so they are the average.
        let first_day = daily_averages(&[days[0].clone(), days[1].clone(), days[3].clone()], today);
        assert_eq!((first_day.days, first_day.steps), (2, 8_000.0));
        assert_eq!(first_day.minute_days, 1, "today alone has minutes");
        assert_eq!(first_day.active_minutes, 20.0);
        assert_eq!(first_day.sitting_minutes, 120.0);
    }
}
