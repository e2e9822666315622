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

/// Whether a minute was spent moving: steps, a calf exercise, or on one's
/// feet. Moving between two sits makes a break.
fn moves(minute: &MergedMinute) -> bool {
    minute.steps > 0
        || works_the_calves(minute)
        || matches!(minute.posture, Posture::Standing | Posture::Walking)
}

/// Whether a day's first minute, at midnight, may carry on what the day
/// before was doing: a sitting bout, or a break after one.
pub(crate) fn carries_on_from_midnight(minute: &MergedMinute) -> bool {
    is_sedentary(minute) || moves(minute)
}

/// Whether a day's last minute, just before midnight, may be part of a
/// sitting bout that runs on into the next day.
pub(crate) fn runs_on_past_midnight(minute: &MergedMinute) -> bool {
    is_sedentary(minute)
}

/// A day's minutes with those of the days either side that a sitting
/// bout across midnight runs on into (the previous date's when the day
/// starts seated or moving, the next date's when it ends seated; else
/// none), all in time order.
#[derive(Debug, Clone, Copy)]
pub struct DayMinutes<'a> {
    /// The previous date's minutes, before the day's first.
    pub before: &'a [MergedMinute],
    /// The day's own.
    pub day: &'a [MergedMinute],
    /// The next date's minutes, after the day's last.
    pub after: &'a [MergedMinute],
}

#[cfg(test)]
impl<'a> DayMinutes<'a> {
    /// A day seen alone.
    pub fn alone(day: &'a [MergedMinute]) -> Self {
        Self {
            before: &[],
            day,
            after: &[],
        }
    }
}

/// Finds the bouts and breaks in time-ordered minutes. A minute missing
/// from the record (sensor off) ends a bout without counting as a break.
/// The day's own minutes give its sitting minutes and the breaks that start
/// a bout in it. A bout counts (longest, prolonged) once, on the day that
/// holds its middle, as a set across midnight does: sat from 23:40 to
/// 00:20, it is one 40-minute bout of the second day, not two of 20.
pub fn analyse(minutes: DayMinutes<'_>) -> Sitting {
    let own = minutes.before.len()..minutes.before.len() + minutes.day.len();
    let mut sitting = Sitting::default();
    // The bout under way: its first minute's index and the minute itself.
    let mut bout: Option<(usize, SedentaryBout)> = None;
    let mut moving_since_bout = false;
    let mut previous: Option<DateTime<Utc>> = None;
    let close = |bout: &mut Option<(usize, SedentaryBout)>, sitting: &mut Sitting| {
        let Some((first, done)) = bout.take() else {
            return;
        };
        // The minute holding the bout's middle instant.
        let middle = first + (done.minutes / 2) as usize;
        if !own.contains(&middle) {
            return;
        }
        sitting.longest_bout_min = sitting.longest_bout_min.max(done.minutes);
        if done.minutes >= PROLONGED_BOUT_MIN {
            sitting.prolonged_bouts.push(done);
        }
    };
    let chained = minutes
        .before
        .iter()
        .chain(minutes.day)
        .chain(minutes.after);
    for (index, minute) in chained.enumerate() {
        let contiguous = previous.is_some_and(|p| minute.minute - p == Duration::minutes(1));
        previous = Some(minute.minute);
        if !contiguous {
            close(&mut bout, &mut sitting);
            moving_since_bout = false;
        }
        if is_sedentary(minute) {
            if own.contains(&index) {
                sitting.sitting_minutes += 1;
            }
            match bout.as_mut() {
                Some((_, b)) => b.minutes += 1,
                None => {
                    if moving_since_bout && own.contains(&index) {
                        sitting.breaks += 1;
                    }
                    moving_since_bout = false;
                    bout = Some((
                        index,
                        SedentaryBout {
                            start: minute.minute,
                            minutes: 1,
                        },
                    ));
                }
            }
        } else {
            let was_sitting = bout.is_some();
            close(&mut bout, &mut sitting);
            let moving = moves(minute);
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

    /// Minutes of `posture` from `start`, one after another.
    fn from(start: &str, postures: &[(Posture, u32, u32)]) -> Vec<MergedMinute> {
        let shift = utc(start) - utc("2026-11-21T08:00:00Z");
        let mut minutes = day(postures);
        for m in &mut minutes {
            m.minute += shift;
        }
        minutes
    }

    /// `minutes` across midnight on the 21st analysed as each of the two
    /// dates sees them: the 21st, its minutes before midnight with those
    /// after; the 22nd, the other way round.
    fn both_dates(minutes: &[MergedMinute]) -> (Sitting, Sitting) {
        let midnight = utc("2026-11-22T00:00:00Z");
        let (evening, night) = minutes.split_at(minutes.partition_point(|m| m.minute < midnight));
        let first = analyse(DayMinutes {
            after: night,
            ..DayMinutes::alone(evening)
        });
        let second = analyse(DayMinutes {
            before: evening,
            ..DayMinutes::alone(night)
        });
        (first, second)
    }

    #[test]
    fn a_bout_across_midnight_counts_whole_once_on_the_day_holding_its_middle() {
        // Seated from 23:40 to 00:20: 20 minutes on each date.
        let sat = from("2026-11-21T23:40:00Z", &[(Posture::Sitting, 40, 0)]);
        let (first, second) = both_dates(&sat);
        assert_eq!((first.sitting_minutes, second.sitting_minutes), (20, 20));
        // Its middle, 00:00, is on the second date.
        assert_eq!((first.longest_bout_min, second.longest_bout_min), (0, 40));
        assert!(first.prolonged_bouts.is_empty());
        assert_eq!(
            second.prolonged_bouts,
            [SedentaryBout {
                start: utc("2026-11-21T23:40:00Z"),
                minutes: 40
            }]
        );
        // Seen alone, each date had a 20-minute bout and no prolonged one.
        assert_eq!(analyse(DayMinutes::alone(&sat[20..])).longest_bout_min, 20);
    }

    #[test]
    fn a_break_just_before_midnight_counts_on_the_day_its_next_bout_starts() {
        let minutes = from(
            "2026-11-21T23:00:00Z",
            &[
                (Posture::Sitting, 50, 0),
                (Posture::Walking, 4, 80),
                (Posture::Sitting, 46, 0),
            ],
        );
        let (first, second) = both_dates(&minutes);
        // The break at 23:54 is the first date's; the second bout
        // (23:54–00:40, its middle at 00:17) the second date's.
        assert_eq!((first.breaks, second.breaks), (1, 0));
        assert_eq!((first.longest_bout_min, second.longest_bout_min), (50, 46));
        assert_eq!((first.sitting_minutes, second.sitting_minutes), (56, 40));
    }

    #[test]
    fn two_long_sits_with_a_walk_between_are_two_bouts_and_one_break() {
        let sitting = analyse(DayMinutes::alone(&day(&[
            (Posture::Sitting, 50, 0),
            (Posture::Walking, 3, 90),
            (Posture::Sitting, 35, 0),
            (Posture::Sitting, 10, 0),
        ])));
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
        let sitting = analyse(DayMinutes::alone(&minutes));
        assert_eq!(sitting.sitting_minutes, 40);
        assert!(sitting.prolonged_bouts.is_empty());
        assert_eq!(sitting.breaks, 0);
    }

    #[test]
    fn a_seated_minute_with_steps_is_not_sedentary() {
        let sitting = analyse(DayMinutes::alone(&day(&[
            (Posture::Sitting, 40, 0),
            (Posture::Sitting, 1, 20),
            (Posture::Sitting, 40, 0),
        ])));
        assert_eq!(sitting.sitting_minutes, 80);
        assert_eq!(sitting.breaks, 1);
        assert_eq!(sitting.prolonged_bouts.len(), 2);
    }

    #[test]
    fn seated_ankle_pumps_break_a_sit_as_the_reminders_count_them() {
        let sitting = analyse(DayMinutes::alone(&with_contractions(&[
            (Posture::Sitting, 40, 0, 0),
            (Posture::Sitting, 1, 0, 20),
            (Posture::Sitting, 40, 0, 0),
        ])));
        assert_eq!(sitting.sitting_minutes, 80);
        assert_eq!(sitting.breaks, 1);
        assert_eq!(sitting.longest_bout_min, 40);
    }

    #[test]
    fn a_few_contractions_while_seated_do_not_break_a_sit() {
        let sitting = analyse(DayMinutes::alone(&with_contractions(&[
            (Posture::Sitting, 40, 0, 0),
            (Posture::Sitting, 1, 0, ACTIVE_MINUTE_CONTRACTIONS - 1),
            (Posture::Sitting, 40, 0, 0),
        ])));
        assert_eq!(sitting.sitting_minutes, 81);
        assert_eq!(sitting.breaks, 0);
        assert_eq!(sitting.longest_bout_min, 81);
    }
}
