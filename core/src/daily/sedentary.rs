//! Sitting time, sedentary bouts and breaks, following the Sedentary
//! Behaviour Research Network's terms (Tremblay et al., IJBNPA 2017;14:75):
//! a bout is uninterrupted sedentary time, a break is a non-sedentary bout
//! between two sedentary ones. Only seated minutes count as sedentary here:
//! the sensor cannot tell lying awake from sleep.
//!
//! One departure from SBRN's energy-based definition: a seated minute
//! with a calf exercise's contractions ([`ACTIVE_MINUTE_CONTRACTIONS`],
//! ankle pumps or raises at a desk or in a plane seat) is not sedentary
//! here. It works the calf pump as a walk does, and it is what the break
//! reminders ask for and count as movement, so a day answered with seated
//! exercises shows its breaks.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::minutes::{ACTIVE_MINUTE_CONTRACTIONS, MergedMinute};
use crate::sensor::gatt::Posture;

/// A bout counts as prolonged from this many minutes (the and the
/// SBRN literature's usual cut-off).
pub const PROLONGED_BOUT_MIN: u32 = 30;

/// One stretch of uninterrupted sitting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SedentaryBout {
    /// First minute.
    pub start: DateTime<Utc>,
    /// Minutes.
    pub minutes: u32,
}

/// What a day's sitting looked like.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Sitting {
    /// Minutes seated.
    pub sitting_minutes: u32,
    /// Breaks: standing up, walking or a calf exercise between two seated
    /// stretches.
    pub breaks: u32,
    /// Bouts of [`PROLONGED_BOUT_MIN`] minutes or more.
    pub prolonged_bouts: Vec<SedentaryBout>,
    /// The longest bout, minutes.
    pub longest_bout_min: u32,
}

/// Whether a minute was spent seated and still.
fn is_sedentary(minute: &MergedMinute) -> bool {
    seated_and_still(minute.posture, minute.steps, minute.contractions)
}

/// Whether a minute of `posture`, `steps` and calf `contractions` counts
/// as sitting: seated, no step, and no calf exercise (seated ankle pumps
/// are a break). The day's sitting minutes and the hour chart's both.
pub(crate) fn seated_and_still(posture: Posture, steps: u32, contractions: u32) -> bool {
    posture == Posture::Sitting && steps == 0 && contractions < ACTIVE_MINUTE_CONTRACTIONS
}

/// Whether a minute held a calf exercise's contractions, seated or not.
fn works_the_calves(minute: &MergedMinute) -> bool {
    minute.contractions >= ACTIVE_MINUTE_CONTRACTIONS
}

/// Finds the bouts and breaks in time-ordered minutes. A minute missing
/// from the record (sensor off) ends a bout without counting as a break.
pub fn analyse(minutes: &[MergedMinute]) -> Sitting {
    let mut sitting = Sitting::default();
    let mut bout: Option<SedentaryBout> = None;
    let mut moving_since_bout = false;
    let mut previous: Option<DateTime<Utc>> = None;
    let close = |bout: &mut Option<SedentaryBout>, sitting: &mut Sitting| {
        if let Some(done) = bout.take() {
            sitting.longest_bout_min = sitting.longest_bout_min.max(done.minutes);
            if done.minutes >= PROLONGED_BOUT_MIN {
                sitting.prolonged_bouts.push(done);
            }
        }
    };
    for minute in minutes {
        let contiguous = previous.is_some_and(|p| minute.minute - p == Duration::minutes(1));
        previous = Some(minute.minute);
        if !contiguous {
            close(&mut bout, &mut sitting);
            moving_since_bout = false;
        }
        if is_sedentary(minute) {
            sitting.sitting_minutes += 1;
            match bout.as_mut() {
                Some(b) => b.minutes += 1,
                None => {
                    if moving_since_bout {
                        sitting.breaks += 1;
                    }
                    moving_since_bout = false;
                    bout = Some(SedentaryBout {
                        start: minute.minute,
                        minutes: 1,
                    });
                }
            }
        } else {
            let was_sitting = bout.is_some();
            close(&mut bout, &mut sitting);
            let moving = minute.steps > 0
                || works_the_calves(minute)
                || matches!(minute.posture, Posture::Standing | Posture::Walking);
            if moving && (was_sitting || moving_since_bout) {
                moving_since_bout = true;
            } else if !moving {
                moving_since_bout = false;
            }
        }
    }
    close(&mut bout, &mut sitting);
    sitting
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::utc;

    fn day(postures: &[(Posture, u32, u32)]) -> Vec<MergedMinute> {
        with_contractions(
            &postures
                .iter()
                .map(|&(posture, minutes, steps)| (posture, minutes, steps, 0))
                .collect::<Vec<_>>(),
        )
    }

    fn with_contractions(postures: &[(Posture, u32, u32, u32)]) -> Vec<MergedMinute> {
        let mut t = utc("2026-11-21T08:00:00Z");
        let mut out = Vec::new();
        for &(posture, minutes, steps, contractions) in postures {
            for _ in 0..minutes {
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

    #[test]
    fn two_long_sits_with_a_walk_between_are_two_bouts_and_one_break() {
        let sitting = analyse(&day(&[
            (Posture::Sitting, 50, 0),
            (Posture::Walking, 3, 90),
            (Posture::Sitting, 35, 0),
            (Posture::Sitting, 10, 0),
        ]));
        assert_eq!(sitting.sitting_minutes, 95);
        assert_eq!(sitting.breaks, 1);
        assert_eq!(sitting.prolonged_bouts.len(), 2);
        assert_eq!(sitting.longest_bout_min, 50);
    }

    #[test]
    fn short_sits_are_not_prolonged_and_a_gap_is_not_a_break() {
        let mut minutes = day(&[(Posture::Sitting, 20, 0)]);
        let mut later = day(&[(Posture::Sitting, 20, 0)]);
        for m in &mut later {
            m.minute += Duration::hours(2);
        }
        minutes.extend(later);
        let sitting = analyse(&minutes);
        assert_eq!(sitting.sitting_minutes, 40);
        assert!(sitting.prolonged_bouts.is_empty());
        assert_eq!(sitting.breaks, 0);
    }

    #[test]
    fn a_seated_minute_with_steps_is_not_sedentary() {
        let sitting = analyse(&day(&[
            (Posture::Sitting, 40, 0),
            (Posture::Sitting, 1, 20),
            (Posture::Sitting, 40, 0),
        ]));
        assert_eq!(sitting.sitting_minutes, 80);
        assert_eq!(sitting.breaks, 1);
        assert_eq!(sitting.prolonged_bouts.len(), 2);
    }

    #[test]
    fn seated_ankle_pumps_break_a_sit_as_the_reminders_count_them() {
        let sitting = analyse(&with_contractions(&[
            (Posture::Sitting, 40, 0, 0),
            (Posture::Sitting, 1, 0, 20),
            (Posture::Sitting, 40, 0, 0),
        ]));
        assert_eq!(sitting.sitting_minutes, 80);
        assert_eq!(sitting.breaks, 1);
        assert_eq!(sitting.longest_bout_min, 40);
    }

    #[test]
    fn a_few_contractions_while_seated_do_not_break_a_sit() {
        let sitting = analyse(&with_contractions(&[
            (Posture::Sitting, 40, 0, 0),
            (Posture::Sitting, 1, 0, ACTIVE_MINUTE_CONTRACTIONS - 1),
            (Posture::Sitting, 40, 0, 0),
        ]));
        assert_eq!(sitting.sitting_minutes, 81);
        assert_eq!(sitting.breaks, 0);
        assert_eq!(sitting.longest_bout_min, 81);
    }
}
