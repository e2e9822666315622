//! Streaks: days in a row a goal was met.

use chrono::NaiveDate;
use serde::Serialize;

use super::summary::{DailySummary, GoalsMet};

/// A goal's streak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Streak {
    /// Days in a row up to today (today counts once met; an unfinished
    /// today does not break it).
    pub current_days: u32,
    /// The longest run in the history given.
    pub best_days: u32,
}

/// The streak of every goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
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

/// Streaks over `days`, consecutive dates oldest first, as they stand on
/// `today`: dates after it are not counted (a week shown whole has days to
/// come), and today, not met yet, does not break a streak (a range ending
/// before today ends the current streak at its last day, met or not). A
/// missing date must be passed as an empty day (no goals met). A date the
/// user never lived (`skipped`: flying east over the date line) does not
/// break a streak; it extends one only where that goal was met on it all
/// the same (drinks or imported steps dated so).
pub fn streaks(
    days: &[DailySummary],
    today: NaiveDate,
    skipped: impl Fn(NaiveDate) -> bool,
) -> Streaks {
    let lived = days.partition_point(|d| d.date <= today);
    let days = &days[..lived];
    let today_last = days.last().is_some_and(|d| d.date == today);
    let of = |met: fn(&GoalsMet) -> bool| {
        streak(
            days.iter()
                .filter(|d| met(&d.goals) || !skipped(d.date))
                .map(|d| met(&d.goals)),
            today_last,
        )
    };
    Streaks {
        steps: of(|g| g.steps),
        active_minutes: of(|g| g.active_minutes),
        calf_raise_sets: of(|g| g.calf_raise_sets),
        pumped_volume: of(|g| g.pumped_volume),
        hydration: of(|g| g.hydration),
    }
}

/// The longest run of days met, and the run ending with the last day
/// (`today_last`: the last is today, which not met yet breaks nothing).
fn streak(met: impl DoubleEndedIterator<Item = bool> + Clone, today_last: bool) -> Streak {
    let mut best = 0;
    let mut run = 0;
    for m in met.clone() {
        run = if m { run + 1 } else { 0 };
        best = best.max(run);
    }
    let mut from_end = met.rev().peekable();
    // Today not (yet) met does not break the streak.
    if today_last && from_end.peek() == Some(&false) {
        from_end.next();
    }
    let current = u32::try_from(from_end.take_while(|m| *m).count()).unwrap_or(u32::MAX);
    Streak {
        current_days: current,
        best_days: best,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unfinished_today_keeps_yesterdays_streak() {
        let s = streak([true, false, true, true, true, false].into_iter(), true);
        assert_eq!(
            s,
            Streak {
                current_days: 3,
                best_days: 3
            }
        );
        let s = streak([true, true, false, false].into_iter(), true);
        assert_eq!(s.current_days, 0);
        assert_eq!(s.best_days, 2);
        let s = streak([true, true, true].into_iter(), true);
        assert_eq!(s.current_days, 3);
        // A range ending before today: its last day unmet ends the streak.
        let s = streak([true, true, false].into_iter(), false);
        assert_eq!(s.current_days, 0);
    }
}
