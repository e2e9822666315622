//! Walks the user logs or a sensor records (a day's figures, walks
//! included, are [`crate::daily::DailySummary`]).

use chrono::{DateTime, Duration, SubsecRound, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::local_day::parse_time_zone;
use crate::{Error, Result};

/// The longest single walk accepted: a day.
pub const MAX_WALK_SECONDS: i64 = 24 * 60 * 60;

/// The highest plausible average cadence over a logged walk, in steps a
/// minute. Walking runs at about 100–130, running at 150–200; sprinters reach
/// about 270 but only for seconds. Above this is a typing error or a faulty
/// pedometer (sources in docs/architecture.md, "Validation").
pub const MAX_CADENCE_STEPS_PER_MIN: i64 = 250;

/// How far in the future a walk may end before it is refused: room for a
/// phone whose clock runs a little ahead of the sensor's.
pub const FUTURE_TOLERANCE_SECONDS: i64 = 5 * 60;

/// A walk that has been checked and can be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWalk {
    start: DateTime<Utc>,
    time_zone: Tz,
    duration_seconds: u32,
    steps: u32,
}

impl NewWalk {
    /// Checks a walk as a user or sensor reports it.
    ///
    /// `start` is the UTC instant the walk began, `time_zone` the IANA zone
    /// the walker was in, and `now` the current time, against which a walk
    /// that has not happened yet is refused.
    pub fn new(
        start: DateTime<Utc>,
        time_zone: &str,
        duration_seconds: i64,
        steps: i64,
        now: DateTime<Utc>,
    ) -> Result<Self> {
        let time_zone = parse_time_zone(time_zone)?;
        // To the millisecond, as it is stored: a walk deleted or giving way
        // is spread again from the stored start, and a start finer than
        // that would spread its steps otherwise, leaving a stray step.
        let start = start.trunc_subsecs(3);
        if duration_seconds <= 0 {
            return Err(Error::invalid(
                "duration",
                format!(
                    "a walk must last longer than zero (got {})",
                    describe_seconds(duration_seconds)
                ),
            ));
        }
        if duration_seconds > MAX_WALK_SECONDS {
            return Err(Error::invalid(
                "duration",
                format!(
                    "a single walk can last at most 24 h (got {}); log long days as several walks",
                    describe_seconds(duration_seconds)
                ),
            ));
        }
        if steps < 0 {
            return Err(Error::invalid(
                "steps",
                format!("a step count cannot be negative (got {steps})"),
            ));
        }
        // Saturating: a count near i64::MAX is refused, not wrapped around.
        if steps.saturating_mul(60) > MAX_CADENCE_STEPS_PER_MIN * duration_seconds {
            let cadence = steps as f64 * 60.0 / duration_seconds as f64;
            return Err(Error::invalid(
                "steps",
                format!(
                    "{steps} steps in {} is {cadence:.0} steps a minute; \
                     no one walks or runs faster than {MAX_CADENCE_STEPS_PER_MIN}",
                    describe_seconds(duration_seconds)
                ),
            ));
        }
        let Some(end) = start.checked_add_signed(Duration::seconds(duration_seconds)) else {
            return Err(Error::invalid(
                "start",
                format!("{start} is beyond the calendar this app counts in"),
            ));
        };
        if end > now + Duration::seconds(FUTURE_TOLERANCE_SECONDS) {
            return Err(Error::invalid(
                "start",
                format!(
                    "the walk would end at {} on {} ({time_zone}), which is in the future",
                    end.with_timezone(&time_zone).format("%H:%M"),
                    end.with_timezone(&time_zone).format("%a %-d %b %Y")
                ),
            ));
        }
        // Both fit in u32: duration <= 86,400 and steps <= 250 * 1,440.
        Ok(Self {
            start,
            time_zone,
            duration_seconds: u32::try_from(duration_seconds).unwrap_or(u32::MAX),
            steps: u32::try_from(steps).unwrap_or(u32::MAX),
        })
    }

    /// When the walk began.
    pub fn start(&self) -> DateTime<Utc> {
        self.start
    }

    /// When the walk ended.
    pub fn end(&self) -> DateTime<Utc> {
        self.start + Duration::seconds(i64::from(self.duration_seconds))
    }

    /// The zone the walker was in.
    pub fn time_zone(&self) -> Tz {
        self.time_zone
    }

    /// How long the walk lasted, in seconds.
    pub fn duration_seconds(&self) -> u32 {
        self.duration_seconds
    }

    /// Steps of both legs, as a pedometer counts them.
    pub fn steps(&self) -> u32 {
        self.steps
    }
}

/// A stored walk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Walk {
    /// The database id.
    pub id: i64,
    /// When the walk began (UTC).
    pub start: DateTime<Utc>,
    /// The zone the walker was in, for display.
    pub time_zone: Tz,
    /// How long it lasted, in seconds.
    pub duration_seconds: u32,
    /// Steps of both legs.
    pub steps: u32,
    /// Logged by hand (a walk done without the app), not walked with it.
    pub by_hand: bool,
    /// Logged by hand over walking a paired sensor recorded (synced after
    /// the walk was logged): the day counts the sensor's minutes, not this
    /// walk's steps, which would count the same walking twice.
    pub recorded_by_sensor: bool,
}

impl Walk {
    /// When the walk ended.
    pub fn end(&self) -> DateTime<Utc> {
        self.start + Duration::seconds(i64::from(self.duration_seconds))
    }

    /// Average cadence over the walk, in steps a minute.
    pub fn cadence_steps_per_min(&self) -> f64 {
        f64::from(self.steps) * 60.0 / f64::from(self.duration_seconds.max(1))
    }
}

/// Of walks that overlap (logged before overlaps were refused, or the same
/// walk logged twice), the one that counts: the first, the longer of two
/// that start together; walks that merely touch both count. `span` gives
/// each item's start and end. The upgrade that gave walks logged before
/// then their minutes spread them so (walks logged since each added their
/// own).
pub(crate) fn counted_once<T, K: Ord + Copy>(
    mut walks: Vec<T>,
    span: impl Fn(&T) -> (K, K),
) -> Vec<T> {
    walks.sort_by_key(|w| {
        let (start, end) = span(w);
        (start, std::cmp::Reverse(end))
    });
    let mut counted_until: Option<K> = None;
    walks.retain(|w| {
        let (start, end) = span(w);
        let counted = counted_until.is_none_or(|until| start >= until);
        if counted {
            counted_until = Some(end);
        }
        counted
    });
    walks
}

/// "30 min", "90 s", "-5 min": a duration as a person reads it.
fn describe_seconds(seconds: i64) -> String {
    if seconds.rem_euclid(60) == 0 {
        format!("{} min", seconds / 60)
    } else {
        format!("{seconds} s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::utc;

    const NOW: &str = "2026-11-21T20:00:00Z";

    fn walk(start: &str, seconds: i64, steps: i64) -> Result<NewWalk> {
        NewWalk::new(utc(start), "Europe/Berlin", seconds, steps, utc(NOW))
    }

    #[test]
    fn of_walks_that_overlap_the_first_counts_and_one_touching_it_too() {
        let walks = [
            (3, "2026-11-21T08:30:00Z", 10),
            // The same walk logged twice, and a shorter one starting with it.
            (1, "2026-11-21T08:00:00Z", 30),
            (2, "2026-11-21T08:00:00Z", 30),
            (4, "2026-11-21T08:00:00Z", 20),
            // Within the first.
            (5, "2026-11-21T08:10:00Z", 5),
        ]
        .map(|(id, start, minutes)| (id, utc(start), utc(start) + Duration::minutes(minutes)));
        let ids: Vec<i64> = counted_once(walks.to_vec(), |&(_, start, end)| (start, end))
            .iter()
            .map(|&(id, _, _)| id)
            .collect();
        assert_eq!(ids, [1, 3], "the first, and the one touching its end");
    }

    #[test]
    fn accepts_an_ordinary_walk() {
        let w = walk("2026-11-21T08:00:00Z", 30 * 60, 3200).expect("valid walk");
        assert_eq!(w.steps(), 3200);
        assert_eq!(w.end(), utc("2026-11-21T08:30:00Z"));
    }

    #[test]
    fn refuses_negative_and_zero_durations_with_the_value_in_the_message() {
        let err = walk("2026-11-21T08:00:00Z", -5 * 60, 0).expect_err("negative");
        assert_eq!(
            err.to_string(),
            "invalid duration: a walk must last longer than zero (got -5 min)"
        );
        assert!(walk("2026-11-21T08:00:00Z", 0, 0).is_err());
        assert!(walk("2026-11-21T08:00:00Z", MAX_WALK_SECONDS + 1, 0).is_err());
    }

    #[test]
    fn refuses_implausible_and_negative_step_counts() {
        let err = walk("2026-11-21T08:00:00Z", 5 * 60, 3200).expect_err("640 spm");
        assert!(err.to_string().contains("640 steps a minute"), "{err}");
        assert!(walk("2026-11-21T08:00:00Z", 60, -1).is_err());
        assert!(walk("2026-11-21T08:00:00Z", 60, MAX_CADENCE_STEPS_PER_MIN).is_ok());
        assert!(walk("2026-11-21T08:00:00Z", 60, MAX_CADENCE_STEPS_PER_MIN + 1).is_err());
        let err = walk("2026-11-21T08:00:00Z", 60, i64::MAX).expect_err("i64::MAX steps");
        assert!(
            matches!(err, Error::InvalidInput { field: "steps", .. }),
            "{err}"
        );
    }

    #[test]
    fn refuses_a_walk_that_has_not_happened_yet() {
        let err = walk("2026-11-21T19:50:00Z", 30 * 60, 100).expect_err("future");
        assert!(matches!(err, Error::InvalidInput { field: "start", .. }));
        assert!(
            err.to_string()
                .contains("end at 21:20 on Sat 21 Nov 2026 (Europe/Berlin)"),
            "the user's clock: {err}"
        );
        assert!(walk("2026-11-21T19:30:00Z", 30 * 60, 100).is_ok());
    }
}
