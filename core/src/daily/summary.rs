//! One day's figures and how they stand against the goals.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::sedentary::{DayMinutes, analyse};
use crate::minutes::MergedMinute;
use crate::profile::Goals;
use crate::pump::PumpYield;
use crate::sensor::gatt::Posture;

/// Steps a minute from which walking counts as moderate activity
/// (Tudor-Locke et al., IJBNPA 2019;16:8).
pub const BRISK_CADENCE_SPM: u32 = 100;

/// What goes into a day's summary, gathered by the store.
#[derive(Debug, Clone, PartialEq)]
pub struct DayInputs {
    /// The local date.
    pub date: NaiveDate,
    /// The zones the user was in that day, in order.
    pub time_zones: Vec<String>,
    /// Every minute with data, merged across sources, in time order.
    pub minutes: Vec<MergedMinute>,
    /// The previous date's minutes before the day's first, when the day
    /// starts seated or moving at midnight: a sitting bout across midnight
    /// counts whole, on the day holding its middle, and a break across it
    /// on the day its next bout starts ([`analyse`]). Else none.
    pub minutes_before: Vec<MergedMinute>,
    /// The next date's minutes after the day's last, when the day ends
    /// seated at midnight. Else none.
    pub minutes_after: Vec<MergedMinute>,
    /// The day's step total from an imported file, if any (docs/companion.md,
    /// "Import"): counts only as far as it exceeds the steps recorded.
    pub imported_steps: Option<u32>,
    /// Calf-raise sets finished (sessions and sensor-recorded sets).
    pub calf_raise_sets: u32,
    /// Ankle-pump sets finished.
    pub ankle_pump_sets: u32,
    /// Drinks logged, mL.
    pub hydration_ml: u32,
    /// Minutes with compression garments on.
    pub compression_minutes: u32,
    /// The person's pump yields.
    pub pump_yield: PumpYield,
    /// The goals in force.
    pub goals: Goals,
}

/// A day, as the app shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DailySummary {
    /// The local date.
    pub date: NaiveDate,
    /// The zones the user was in that day.
    pub time_zones: Vec<String>,
    /// Steps: recorded, or the imported total when that is higher.
    pub steps: u32,
    /// The part of `steps` that only an imported total knows of.
    #[serde(default)]
    pub imported_steps: u32,
    /// Minutes at [`BRISK_CADENCE_SPM`] or more.
    pub active_minutes: u32,
    /// Minutes with any steps.
    pub walking_minutes: u32,
    /// Minutes seated and still.
    pub sitting_minutes: u32,
    /// Breaks in sitting.
    pub breaks: u32,
    /// Sitting bouts of 30 minutes or more.
    pub prolonged_sitting_bouts: u32,
    /// The longest bout, minutes.
    pub longest_sitting_bout_min: u32,
    /// Calf-raise sets.
    pub calf_raise_sets: u32,
    /// Ankle-pump sets.
    pub ankle_pump_sets: u32,
    /// Blood the calves pumped, litres (pump model).
    pub pumped_litres: f64,
    /// Drinks, mL.
    pub hydration_ml: u32,
    /// Minutes in compression garments.
    pub compression_minutes: u32,
    /// Minutes a sensor recorded.
    pub sensor_minutes: u32,
    /// Goals met.
    pub goals: GoalsMet,
}

/// Which of the day's goals were reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct GoalsMet {
    /// Steps.
    pub steps: bool,
    /// Active minutes.
    pub active_minutes: bool,
    /// Breaks per sitting hour (met when there was no sitting to break).
    pub breaks: bool,
    /// Calf-raise sets.
    pub calf_raise_sets: bool,
    /// Pumped volume.
    pub pumped_volume: bool,
    /// Hydration.
    pub hydration: bool,
}

impl GoalsMet {
    /// How many of the six goals were reached.
    pub fn count(&self) -> u32 {
        [
            self.steps,
            self.active_minutes,
            self.breaks,
            self.calf_raise_sets,
            self.pumped_volume,
            self.hydration,
        ]
        .into_iter()
        .map(u32::from)
        .sum()
    }
}

#[cfg(test)]
impl DailySummary {
    /// `date` (`YYYY-MM-DD`) with nothing recorded, in UTC: what a test
    /// fills in.
    pub(crate) fn nothing_on(date: &str) -> Self {
        Self {
            date: date.parse().expect("a date"),
            time_zones: vec!["UTC".into()],
            steps: 0,
            imported_steps: 0,
            active_minutes: 0,
            walking_minutes: 0,
            sitting_minutes: 0,
            breaks: 0,
            prolonged_sitting_bouts: 0,
            longest_sitting_bout_min: 0,
            calf_raise_sets: 0,
            ankle_pump_sets: 0,
            pumped_litres: 0.0,
            hydration_ml: 0,
            compression_minutes: 0,
            sensor_minutes: 0,
            goals: GoalsMet::default(),
        }
    }
}

/// Adds the day up.
pub fn summarize(inputs: DayInputs) -> DailySummary {
    let sitting = analyse(DayMinutes {
        before: &inputs.minutes_before,
        day: &inputs.minutes,
        after: &inputs.minutes_after,
    });
    let y = inputs.pump_yield;
    let mut steps = 0u32;
    let mut active_minutes = 0u32;
    let mut walking_minutes = 0u32;
    let mut sensor_minutes = 0u32;
    // Contractions standing or walking are calf raises; seated or lying,
    // ankle pumps.
    let mut calf_raises = 0u32;
    let mut ankle_pumps = 0u32;
    for m in &inputs.minutes {
        steps = steps.saturating_add(m.steps);
        active_minutes += u32::from(m.steps >= BRISK_CADENCE_SPM);
        walking_minutes += u32::from(m.steps > 0);
        sensor_minutes += u32::from(m.from_sensor);
        match m.posture {
            Posture::Standing | Posture::Walking => {
                calf_raises = calf_raises.saturating_add(m.contractions);
            }
            _ => ankle_pumps = ankle_pumps.saturating_add(m.contractions),
        }
    }
    let imported_steps = inputs
        .imported_steps
        .map_or(0, |total| total.saturating_sub(steps));
    steps = steps.saturating_add(imported_steps);
    let pumped_litres = y.pumped_ml(steps, calf_raises, ankle_pumps) / 1000.0;
    let mut summary = DailySummary {
        date: inputs.date,
        time_zones: inputs.time_zones,
        steps,
        imported_steps,
        active_minutes,
        walking_minutes,
        sitting_minutes: sitting.sitting_minutes,
        breaks: sitting.breaks,
        prolonged_sitting_bouts: u32::try_from(sitting.prolonged_bouts.len()).unwrap_or(u32::MAX),
        longest_sitting_bout_min: sitting.longest_bout_min,
        calf_raise_sets: inputs.calf_raise_sets,
        ankle_pump_sets: inputs.ankle_pump_sets,
        pumped_litres,
        hydration_ml: inputs.hydration_ml,
        compression_minutes: inputs.compression_minutes,
        sensor_minutes,
        goals: GoalsMet::default(),
    };
    summary.goals = goals_met(&summary, &inputs.goals);
    summary
}

/// Which of `goals` `day` reached. A goal set to 0 (the user keeps none)
/// is reached only on a day that recorded something: days before the app
/// was installed, or away from it, must not count (a streak of them would
/// run back to the start of the history). The breaks goal likewise, on a
/// day whose minutes were recorded: under an hour of sitting had met it on
/// every empty day.
fn goals_met(day: &DailySummary, goals: &Goals) -> GoalsMet {
    let recorded = day.recorded_anything();
    let reached = |value: f64, goal: f64| value >= goal && (goal > 0.0 || recorded);
    let sitting_hours = f64::from(day.sitting_minutes) / 60.0;
    GoalsMet {
        steps: reached(f64::from(day.steps), f64::from(goals.steps)),
        active_minutes: reached(
            f64::from(day.active_minutes),
            f64::from(goals.active_minutes),
        ),
        breaks: day.recorded_minutes()
            && (sitting_hours < 1.0
                || f64::from(day.breaks) >= goals.breaks_per_sitting_hour * sitting_hours.floor()),
        calf_raise_sets: reached(
            f64::from(day.calf_raise_sets),
            f64::from(goals.calf_raise_sets),
        ),
        pumped_volume: reached(day.pumped_litres, goals.pumped_litres),
        hydration: reached(f64::from(day.hydration_ml), f64::from(goals.hydration_ml)),
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;
    use crate::test_support::utc;

    #[test]
    fn the_goals_met_are_counted_each_once() {
        assert_eq!(GoalsMet::default().count(), 0);
        let some = GoalsMet {
            steps: true,
            breaks: true,
            hydration: true,
            ..GoalsMet::default()
        };
        assert_eq!(some.count(), 3);
        let all = GoalsMet {
            steps: true,
            active_minutes: true,
            breaks: true,
            calf_raise_sets: true,
            pumped_volume: true,
            hydration: true,
        };
        assert_eq!(all.count(), 6);
    }

    fn minutes(spec: &[(Posture, u32, u32, u32)]) -> Vec<MergedMinute> {
        let mut t = utc("2026-11-21T08:00:00Z");
        let mut out = Vec::new();
        for &(posture, count, steps, contractions) in spec {
            for _ in 0..count {
                out.push(MergedMinute {
                    minute: t,
                    steps,
                    contractions,
                    posture,
                    sock_mmhg: 0,
                    from_sensor: true,
                });
                t += Duration::minutes(1);
            }
        }
        out
    }

    fn inputs(minutes: Vec<MergedMinute>) -> DayInputs {
        DayInputs {
            date: NaiveDate::from_ymd_opt(2026, 11, 21).expect("date"),
            time_zones: vec!["UTC".into()],
            minutes,
            minutes_before: Vec::new(),
            minutes_after: Vec::new(),
            imported_steps: None,
            calf_raise_sets: 3,
            ankle_pump_sets: 0,
            hydration_ml: 1_500,
            compression_minutes: 0,
            pump_yield: PumpYield {
                ml_per_step: 6.0,
                ml_per_calf_raise: 80.0,
                ml_per_ankle_pump: 14.0,
            },
            goals: Goals::default(),
        }
    }

    #[test]
    fn a_goal_of_zero_is_met_only_on_a_day_that_recorded_something() {
        let none_kept = Goals {
            steps: 0,
            hydration_ml: 0,
            ..Goals::default()
        };
        let empty = summarize(DayInputs {
            calf_raise_sets: 0,
            hydration_ml: 0,
            goals: none_kept,
            ..inputs(Vec::new())
        });
        assert!(!empty.goals.steps && !empty.goals.hydration);
        assert!(!empty.goals.breaks, "no sitting recorded is no break kept");
        let walked = summarize(DayInputs {
            hydration_ml: 0,
            goals: none_kept,
            ..inputs(minutes(&[(Posture::Walking, 1, 20, 0)]))
        });
        assert!(walked.goals.steps && walked.goals.hydration);
    }

    #[test]
    fn pumped_volume_weighs_each_movement_by_its_yield() {
        let s = summarize(inputs(minutes(&[
            (Posture::Walking, 10, 110, 0),
            (Posture::Standing, 1, 0, 20),
            (Posture::Sitting, 1, 0, 30),
        ])));
        assert_eq!(s.steps, 1_100);
        assert_eq!(s.active_minutes, 10);
        let expected = (1_100.0 * 6.0 + 20.0 * 80.0 + 30.0 * 14.0) / 1000.0;
        assert!((s.pumped_litres - expected).abs() < 1e-9);
        assert!(s.goals.calf_raise_sets && !s.goals.hydration && !s.goals.steps);
    }

    #[test]
    fn an_imported_total_counts_only_above_what_was_recorded() {
        let walked = minutes(&[(Posture::Walking, 10, 110, 0)]);
        let below = summarize(DayInputs {
            imported_steps: Some(900),
            ..inputs(walked.clone())
        });
        assert_eq!((below.steps, below.imported_steps), (1_100, 0));
        let above = summarize(DayInputs {
            imported_steps: Some(8_000),
            ..inputs(walked)
        });
        assert_eq!((above.steps, above.imported_steps), (8_000, 6_900));
        assert!(above.goals.steps);
        assert_eq!(above.active_minutes, 10, "an imported total has no cadence");
        let expected = 8_000.0 * 6.0 / 1000.0;
        assert!((above.pumped_litres - expected).abs() < 1e-9);
    }

    #[test]
    fn three_hours_of_sitting_with_one_break_misses_the_breaks_goal() {
        let s = summarize(inputs(minutes(&[
            (Posture::Sitting, 120, 0, 0),
            (Posture::Walking, 2, 80, 0),
            (Posture::Sitting, 60, 0, 0),
        ])));
        assert_eq!(s.sitting_minutes, 180);
        assert_eq!(s.breaks, 1);
        assert_eq!(s.prolonged_sitting_bouts, 2);
        assert!(!s.goals.breaks, "one break in three sitting hours");
    }
}
