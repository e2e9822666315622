//! Days added up by ISO week or calendar month, for the history views.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::summary::DailySummary;

/// How to group days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Grouping {
    /// Each day on its own.
    Day,
    /// ISO weeks (Monday to Sunday).
    Week,
    /// Calendar months.
    Month,
}

/// Days added up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Period {
    /// "2026-11-21", "2026-W47" or "2026-11".
    pub key: String,
    /// The first date in it.
    pub first: NaiveDate,
    /// Days in it (a history's first and last periods may be partial).
    pub days: u32,
    /// Steps.
    pub steps: u64,
    /// The part of `steps` that only imported daily totals know of
    /// ([`DailySummary::imported_steps`]): the apps mark it apart.
    pub imported_steps: u64,
    /// Active minutes.
    pub active_minutes: u64,
    /// Litres pumped.
    pub pumped_litres: f64,
    /// Calf-raise sets.
    pub calf_raise_sets: u64,
    /// Minutes seated.
    pub sitting_minutes: u64,
    /// Sitting bouts of 30 minutes or more.
    pub prolonged_sitting_bouts: u64,
    /// Drinks, mL.
    pub hydration_ml: u64,
    /// Days the steps goal was met.
    pub days_steps_goal_met: u32,
}

fn key(date: NaiveDate, by: Grouping) -> String {
    match by {
        Grouping::Day => date.to_string(),
        Grouping::Week => {
            let week = date.iso_week();
            format!("{}-W{:02}", week.year(), week.week())
        }
        Grouping::Month => date.format("%Y-%m").to_string(),
    }
}

/// Groups consecutive `days` (oldest first).
pub fn group(days: &[DailySummary], by: Grouping) -> Vec<Period> {
    let mut periods: Vec<Period> = Vec::new();
    for day in days {
        let key = key(day.date, by);
        if periods.last().is_none_or(|p| p.key != key) {
            periods.push(Period {
                key,
                first: day.date,
                days: 0,
                steps: 0,
                imported_steps: 0,
                active_minutes: 0,
                pumped_litres: 0.0,
                calf_raise_sets: 0,
                sitting_minutes: 0,
                prolonged_sitting_bouts: 0,
                hydration_ml: 0,
                days_steps_goal_met: 0,
            });
        }
        if let Some(p) = periods.last_mut() {
            p.days += 1;
            p.steps += u64::from(day.steps);
            p.imported_steps += u64::from(day.imported_steps);
            p.active_minutes += u64::from(day.active_minutes);
            p.pumped_litres += day.pumped_litres;
            p.calf_raise_sets += u64::from(day.calf_raise_sets);
            p.sitting_minutes += u64::from(day.sitting_minutes);
            p.prolonged_sitting_bouts += u64::from(day.prolonged_sitting_bouts);
            p.hydration_ml += u64::from(day.hydration_ml);
            p.days_steps_goal_met += u32::from(day.goals.steps);
        }
    }
    periods
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::daily::GoalsMet;

    fn day(date: &str, steps: u32) -> DailySummary {
        DailySummary {
            steps,
            goals: GoalsMet {
                steps: steps >= 7000,
                ..GoalsMet::default()
            },
            ..DailySummary::nothing_on(date)
        }
    }

    #[test]
    fn weeks_run_monday_to_sunday_and_months_by_the_calendar() {
        // Sat 28 Nov to Tue 1 Dec 2026: two ISO weeks, two months.
        let days = [
            day("2026-11-28", 8000),
            day("2026-11-29", 1000),
            day("2026-11-30", 9000),
            day("2026-12-01", 2000),
        ];
        let weeks = group(&days, Grouping::Week);
        assert_eq!(weeks.len(), 2);
        assert_eq!(
            (weeks[0].key.as_str(), weeks[0].steps, weeks[0].days),
            ("2026-W48", 9000, 2)
        );
        assert_eq!(weeks[1].days_steps_goal_met, 1);
        let months = group(&days, Grouping::Month);
        assert_eq!(
            months.iter().map(|m| m.steps).collect::<Vec<_>>(),
            vec![18_000, 2_000]
        );
        assert_eq!(group(&days, Grouping::Day).len(), 4);
    }

    #[test]
    fn a_period_keeps_the_imported_part_of_its_steps_apart() {
        let walked = day("2026-11-30", 9000);
        let mut from_file = day("2026-12-01", 6500);
        from_file.imported_steps = 4500;
        let days = [walked, from_file];
        let week = &group(&days, Grouping::Week)[0];
        assert_eq!((week.steps, week.imported_steps), (15_500, 4_500));
        let by_day = group(&days, Grouping::Day);
        assert_eq!(
            by_day.iter().map(|d| d.imported_steps).collect::<Vec<_>>(),
            vec![0, 4_500]
        );
    }
}
