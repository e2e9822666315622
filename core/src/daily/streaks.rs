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

/// Streaks over `days`, consecutive dates oldest first, the last being
/// today. A missing date must be passed as an empty day (no goals met).
/// A date the user never lived (`skipped`: flying east over the date line)
/// does not break a streak; it extends one only where that goal was met on
/// it all the same (drinks or imported steps dated so).
pub fn streaks(days: &[DailySummary], skipped: impl Fn(NaiveDate) -> bool) -> Streaks {
    let of = |met: fn(&GoalsMet) -> bool| {
        streak(
            days.iter()
                .filter(|d| met(&d.goals) || !skipped(d.date))
                .map(|d| met(&d.goals)),
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

fn streak(met: impl DoubleEndedIterator<Item = bool> + Clone) -> Streak {
    let mut best = 0;
    let mut run = 0;
    for m in met.clone() {
        run = if m { run + 1 } else { 0 };
        best = best.max(run);
    }
    let mut from_end = met.rev().peekable();
    // Today not (yet) met does not break the streak.
    if from_end.peek() == Some(&false) {
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
        let s = streak([true, false, true, true, true, false].into_iter());
        assert_eq!(
            s,
            Streak {
                current_days: 3,
                best_days: 3
            }
        );
        let s = streak([true, true, false, false].into_iter());
        assert_eq!(s.current_days, 0);
        assert_eq!(s.best_days, 2);
        let s = streak([true, true, true].into_iter());
        assert_eq!(s.current_days, 3);
    }
}
