//! Where the user was: the time zone in force at each instant.
//!
//! A traveller's day follows the zone they were in. Each instant belongs to
//! the local date it had in the zone in force then, so on a flight from
//! Frankfurt to Los Angeles the morning in Frankfurt and the evening in
//! Los Angeles are the same (33-hour) day, and nothing is counted twice.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::{Error, Result};

/// The zones the user lived in, each from an instant on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneTimeline {
    /// Sorted by instant; the first zone also covers everything before it.
    changes: Vec<(DateTime<Utc>, Tz)>,
    /// For each change, the latest instant the phone saw its zone still in
    /// force, if it was seen after the change was noted: a move is noted
    /// when the app is first used after it, so between that and the next
    /// change the user may already have been in the next zone.
    seen_until: Vec<Option<DateTime<Utc>>>,
}

impl Default for ZoneTimeline {
    fn default() -> Self {
        Self::fixed(Tz::UTC)
    }
}

impl ZoneTimeline {
    /// One zone for all time.
    pub fn fixed(zone: Tz) -> Self {
        Self {
            changes: vec![(DateTime::<Utc>::MIN_UTC, zone)],
            seen_until: vec![None],
        }
    }

    /// From `(since, zone)` changes in any order; UTC when there are none.
    pub fn from_changes(changes: Vec<(DateTime<Utc>, Tz)>) -> Self {
        Self::from_stays(
            changes
                .into_iter()
                .map(|(since, zone)| (since, zone, None))
                .collect(),
        )
    }

    /// From `(since, zone, seen until)` stays in any order: each zone
    /// from `since`, and seen still in force up to `seen until` when known
    /// (see [`Self::read_local`]); UTC when there are none.
    pub fn from_stays(mut stays: Vec<(DateTime<Utc>, Tz, Option<DateTime<Utc>>)>) -> Self {
        if stays.is_empty() {
            return Self::default();
        }
        stays.sort_by_key(|(since, _, _)| *since);
        Self {
            changes: stays
                .iter()
                .map(|(since, zone, _)| (*since, *zone))
                .collect(),
            seen_until: stays.iter().map(|(_, _, seen)| *seen).collect(),
        }
    }

    /// The zone in force at `instant`.
    pub fn zone_at(&self, instant: DateTime<Utc>) -> Tz {
        let index = self.changes.partition_point(|(since, _)| *since <= instant);
        self.changes[index.saturating_sub(1)].1
    }

    /// The local date of `instant` in the zone in force then.
    pub fn local_date(&self, instant: DateTime<Utc>) -> NaiveDate {
        instant.with_timezone(&self.zone_at(instant)).date_naive()
    }

    /// The changes, oldest first.
    pub fn changes(&self) -> &[(DateTime<Utc>, Tz)] {
        &self.changes
    }

    /// The zone the user was in at `at`, seen at `now` from `here` (the
    /// zone the phone is in), as [`Self::read_local`] ranks them: the zone
    /// the app saw in force then; else `here` when the user may have been
    /// there (after the last move the user is where the phone is, noted yet
    /// or not); else the zone noted then.
    pub fn zone_lived_at(&self, at: DateTime<Utc>, here: Tz, now: DateTime<Utc>) -> Tz {
        let lived = self.lived_at(at, here, now);
        lived.seen.unwrap_or(if lived.possible.contains(&here) {
            here
        } else {
            self.zone_at(at)
        })
    }

    /// The moment the wall-clock time `local` named where the user was
    /// then, seen at `now` from `here` (the zone the phone is in), with
    /// that zone: a traveller back home who logs a walk from the trip means
    /// the trip's clock. The time is read in each zone the user was in,
    /// and a reading counts where the user may have been at the moment it
    /// names. The zone the phone saw in force then wins (its stay from the
    /// change noted to the last time the app saw it; the phone's own zone
    /// since its change); else the phone's zone, when the user may have
    /// been there (a move is noted only when the app is first used after
    /// it: a walk on landing day, logged that evening, is by the new clock);
    /// else the zone noted then; else the earliest. A time lived in no zone
    /// (the hours a move east skips) is the phone's reading. A time the
    /// clocks show twice (they went back) is the first; one they skipped
    /// (they went forward) where the user was did not happen, and is
    /// refused.
    pub fn read_local(
        &self,
        local: NaiveDateTime,
        here: Tz,
        now: DateTime<Utc>,
    ) -> Result<(DateTime<Utc>, Tz)> {
        let reading = |zone: Tz| {
            zone.from_local_datetime(&local)
                .earliest()
                .map(|at| at.to_utc())
        };
        let mut zones: Vec<Tz> = self.changes.iter().map(|(_, zone)| *zone).collect();
        zones.push(here);
        zones.sort_by_key(|zone| zone.name());
        zones.dedup();
        let best = zones
            .iter()
            .copied()
            .filter_map(|zone| {
                let at = reading(zone)?;
                let lived = self.lived_at(at, here, now);
                let rank = if lived.seen == Some(zone) {
                    0
                } else if !lived.possible.contains(&zone) {
                    return None;
                } else if zone == here {
                    1
                } else if self.zone_at(at) == zone {
                    2
                } else {
                    3
                };
                Some((rank, at, zone))
            })
            .min_by_key(|(rank, at, _)| (*rank, *at));
        if let Some((_, at, zone)) = best {
            return Ok((at, zone));
        }
        // Lived nowhere: skipped by the clocks of a zone the user was seen
        // in just after (an hour on, past the gap), or by a move east.
        let skipped = |zone: Tz| {
            Error::invalid(
                "time",
                format!(
                    "{} did not happen in {zone}: the clocks skipped it; give a time before or after",
                    local.format("%Y-%m-%d %H:%M")
                ),
            )
        };
        let skipped_where_seen = zones.into_iter().find(|zone| {
            reading(*zone).is_none()
                && zone
                    .from_local_datetime(&(local + chrono::Duration::hours(1)))
                    .earliest()
                    .is_some_and(|after| {
                        self.lived_at(after.to_utc(), here, now).seen == Some(*zone)
                    })
        });
        match (skipped_where_seen, reading(here)) {
            (Some(zone), _) => Err(skipped(zone)),
            (None, Some(at)) => Ok((at, here)),
            (None, None) => Err(skipped(here)),
        }
    }

    /// Where the user was at `at`, seen at `now` from `here`, as far as the
    /// zones noted and seen tell.
    fn lived_at(&self, at: DateTime<Utc>, here: Tz, now: DateTime<Utc>) -> Lived {
        let index = self.changes.partition_point(|(since, _)| *since <= at);
        let Some(stay) = index.checked_sub(1) else {
            // Before the app first ran: its first zone, or the phone's.
            return Lived::either(self.changes[0].1, here);
        };
        let (since, zone) = self.changes[stay];
        let seen_until = self.seen_until[stay].unwrap_or(since);
        if at <= seen_until.min(now) {
            return Lived::seen(zone);
        }
        match self.changes.get(stay + 1) {
            // Noted later: the move may have come any time after it was last seen.
            Some((next_since, next)) if *next_since <= now => Lived::either(zone, *next),
            // The stay in force now (a planned arrival still to come).
            _ if zone == here && at <= now => Lived::seen(zone),
            _ => Lived::either(zone, here),
        }
    }

    /// The zone in force at `instant` when no change follows it: `(zone,
    /// since)`, `since` being when that zone took over (the beginning of
    /// time for the only zone). `None` while a change is due after
    /// `instant` (a planned flight's arrival).
    pub fn settled_at(&self, instant: DateTime<Utc>) -> Option<(Tz, DateTime<Utc>)> {
        let (since, zone) = *self.changes.last()?;
        if since > instant {
            return None;
        }
        let since = if self.changes.len() == 1 {
            DateTime::<Utc>::MIN_UTC
        } else {
            since
        };
        Some((zone, since))
    }

    /// The UTC instants from the first minute of the local date `date` to
    /// the end of its last: the envelope of [`Self::parts_of`]. Empty
    /// (`None`) when the user skipped the date entirely (an eastward flight
    /// across the date line).
    pub fn span_of(&self, date: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        let parts = self.parts_of(date);
        Some((parts.first()?.0, parts.last()?.1))
    }

    /// The stretches of UTC time during which the local date is `date`,
    /// oldest first: one on most days, also across a change of zone; two
    /// when a flight across the date line brings the date back (left
    /// Tokyo on the 22nd, landed in Los Angeles on the 21st: the hours of
    /// Tokyo's 22nd between them are not the 21st's); none when the date
    /// was skipped.
    pub fn parts_of(&self, date: NaiveDate) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        // A date is at most about 50 hours long whatever the zones; scan
        // each zone's own version of the day and keep the parts in force.
        let mut parts: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
        for (index, (since, zone)) in self.changes.iter().enumerate() {
            let until = self
                .changes
                .get(index + 1)
                .map_or(DateTime::<Utc>::MAX_UTC, |(next, _)| *next);
            let day = crate::local_day::LocalDay::new(date, *zone);
            // The first zone also covers everything before it.
            let since = if index == 0 {
                DateTime::<Utc>::MIN_UTC
            } else {
                *since
            };
            let from = day.start().max(since);
            let to = day.end().min(until);
            if from < to {
                // The zones follow each other in time: a part that starts
                // where the last ended continues it.
                match parts.last_mut() {
                    Some(last) if last.1 == from => last.1 = to,
                    _ => parts.push((from, to)),
                }
            }
        }
        parts
    }
}

/// Where the user was at an instant ([`ZoneTimeline::lived_at`]).
struct Lived {
    /// The zone the phone saw in force then, if it did.
    seen: Option<Tz>,
    /// The zones the user may have been in.
    possible: [Tz; 2],
}

impl Lived {
    fn seen(zone: Tz) -> Self {
        Self {
            seen: Some(zone),
            possible: [zone, zone],
        }
    }

    fn either(zone: Tz, other: Tz) -> Self {
        Self {
            seen: None,
            possible: [zone, other],
        }
    }
}

/// Days since 1970-01-01: how dates are stored.
pub fn day_number(date: NaiveDate) -> i64 {
    (date - NaiveDate::default()).num_days()
}

/// The date of a stored day number.
pub fn date_of_day_number(days: i64) -> NaiveDate {
    NaiveDate::default()
        .checked_add_signed(chrono::Duration::days(days))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::utc;

    fn frankfurt_to_los_angeles() -> ZoneTimeline {
        ZoneTimeline::from_changes(vec![
            (utc("2026-11-01T00:00:00Z"), chrono_tz::Europe::Berlin),
            // Landed 13:00 in Los Angeles (21:00 UTC).
            (utc("2026-11-21T21:00:00Z"), chrono_tz::America::Los_Angeles),
        ])
    }

    fn local(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("local time")
    }

    #[test]
    fn a_wall_clock_time_is_read_where_the_user_was_then() {
        let (berlin, los_angeles) = (chrono_tz::Europe::Berlin, chrono_tz::America::Los_Angeles);
        // In Berlin, the app last used there at 09:00 on the 21st; landed in
        // Los Angeles at 10:00 (18:00 UTC) and opened the app at 13:00.
        let trip = ZoneTimeline::from_stays(vec![
            (
                utc("2026-11-01T00:00:00Z"),
                berlin,
                Some(utc("2026-11-21T08:00:00Z")),
            ),
            (utc("2026-11-21T21:00:00Z"), los_angeles, None),
        ]);
        let now = utc("2026-11-23T18:00:00Z");
        let read = |text: &str| {
            trip.read_local(local(text), los_angeles, now)
                .expect("read")
        };
        // Back at home in Los Angeles, a walk from the trip: Berlin's 08:00.
        assert_eq!(
            read("2026-11-20 08:00"),
            (utc("2026-11-20T07:00:00Z"), berlin)
        );
        // Since the move was noted: Los Angeles's clock.
        assert_eq!(
            read("2026-11-22 08:00"),
            (utc("2026-11-22T16:00:00Z"), los_angeles)
        );
        // After landing, before the app was opened there: the phone's zone
        // (the move is noted only then), not Berlin's 11:00.
        assert_eq!(
            read("2026-11-21 11:00"),
            (utc("2026-11-21T19:00:00Z"), los_angeles)
        );
        // Lived in both zones that day (14:00 in Berlin, in the air): the
        // one the phone saw, Los Angeles.
        assert_eq!(
            read("2026-11-21 14:00"),
            (utc("2026-11-21T22:00:00Z"), los_angeles)
        );
        // Not seen there after the move was noted (the app used only at
        // that instant): the user may have moved on any time, and the
        // phone's zone is read. (A database from before the zones were seen
        // has each stay seen until the next change.)
        let unseen = ZoneTimeline::from_changes(trip.changes().to_vec());
        assert_eq!(
            unseen
                .read_local(local("2026-11-20 08:00"), los_angeles, now)
                .expect("read"),
            (utc("2026-11-20T16:00:00Z"), los_angeles)
        );
        // Not moved since: the phone's zone, noted or not.
        let home = ZoneTimeline::fixed(berlin);
        assert_eq!(
            home.read_local(local("2026-11-20 08:00"), los_angeles, now)
                .expect("here"),
            (utc("2026-11-20T16:00:00Z"), los_angeles)
        );
    }

    #[test]
    fn the_zone_lived_is_found_across_several_moves() {
        let (los_angeles, tokyo, berlin) = (
            chrono_tz::America::Los_Angeles,
            chrono_tz::Asia::Tokyo,
            chrono_tz::Europe::Berlin,
        );
        let trip = ZoneTimeline::from_stays(vec![
            (
                DateTime::<Utc>::MIN_UTC,
                los_angeles,
                Some(utc("2026-11-09T18:00:00Z")),
            ),
            (
                utc("2026-11-10T06:00:00Z"),
                tokyo,
                Some(utc("2026-11-15T12:00:00Z")),
            ),
            (
                utc("2026-11-15T18:00:00Z"),
                berlin,
                Some(utc("2026-11-20T10:00:00Z")),
            ),
            (utc("2026-11-20T20:00:00Z"), los_angeles, None),
        ]);
        let now = utc("2026-11-22T18:00:00Z");
        // Noon at Tokyo's airport: read in Los Angeles it falls in the stay
        // in Berlin, and read in Berlin in the stay in Tokyo; Tokyo's reading
        // is the one lived.
        assert_eq!(
            trip.read_local(local("2026-11-15 12:00"), los_angeles, now)
                .expect("read"),
            (utc("2026-11-15T03:00:00Z"), tokyo)
        );
        // The hours a move east skipped (in Berlin until 08:00 UTC, noted
        // in Tokyo from 09:00): the phone's reading.
        let east = ZoneTimeline::from_stays(vec![
            (
                DateTime::<Utc>::MIN_UTC,
                berlin,
                Some(utc("2026-11-25T08:00:00Z")),
            ),
            (utc("2026-11-25T09:00:00Z"), tokyo, None),
        ]);
        assert_eq!(
            east.read_local(
                local("2026-11-25 17:30"),
                tokyo,
                now + chrono::Duration::days(5)
            )
            .expect("read"),
            (utc("2026-11-25T08:30:00Z"), tokyo)
        );
        // A time Berlin's clocks skipped, the user seen there then: refused,
        // whatever the phone's zone now (Los Angeles; or Tokyo, whose own
        // reading falls where the user was not seen, coming from New York).
        let spring_home = ZoneTimeline::from_stays(vec![
            (
                DateTime::<Utc>::MIN_UTC,
                berlin,
                Some(utc("2026-04-30T00:00:00Z")),
            ),
            (utc("2026-05-01T00:00:00Z"), los_angeles, None),
        ]);
        let via_new_york = ZoneTimeline::from_stays(vec![
            (
                DateTime::<Utc>::MIN_UTC,
                chrono_tz::America::New_York,
                Some(utc("2026-03-28T13:00:00Z")),
            ),
            (
                utc("2026-03-28T23:00:00Z"),
                berlin,
                Some(utc("2026-04-10T00:00:00Z")),
            ),
            (utc("2026-04-20T00:00:00Z"), tokyo, None),
        ]);
        for (timeline, phone) in [(spring_home, los_angeles), (via_new_york, tokyo)] {
            let refused = timeline
                .read_local(local("2026-03-29 02:30"), phone, now)
                .expect_err("skipped where the user was");
            assert!(
                refused
                    .to_string()
                    .contains("did not happen in Europe/Berlin"),
                "{phone}: {refused}"
            );
        }
        // A gap of the phone's clocks where the user was not: the trip's.
        let spring = ZoneTimeline::from_stays(vec![
            (
                DateTime::<Utc>::MIN_UTC,
                tokyo,
                Some(utc("2026-04-09T00:00:00Z")),
            ),
            (utc("2026-04-10T00:00:00Z"), berlin, None),
        ]);
        assert_eq!(
            spring
                .read_local(local("2026-03-29 02:30"), berlin, now)
                .expect("lived in Tokyo"),
            (utc("2026-03-28T17:30:00Z"), tokyo)
        );
    }

    #[test]
    fn a_time_the_clocks_skipped_is_refused_and_one_they_repeat_is_the_first() {
        let home = ZoneTimeline::fixed(chrono_tz::Europe::Berlin);
        let now = utc("2026-11-23T18:00:00Z");
        let error = home
            .read_local(local("2026-03-29 02:30"), chrono_tz::Europe::Berlin, now)
            .expect_err("skipped");
        assert!(
            error
                .to_string()
                .contains("did not happen in Europe/Berlin"),
            "{error}"
        );
        assert_eq!(
            home.read_local(local("2026-10-25 02:30"), chrono_tz::Europe::Berlin, now)
                .expect("lived twice")
                .0,
            utc("2026-10-25T00:30:00Z")
        );
    }

    #[test]
    fn a_zone_is_settled_once_no_change_follows() {
        let trip = frankfurt_to_los_angeles();
        let landed = utc("2026-11-21T21:00:00Z");
        assert_eq!(trip.settled_at(landed - chrono::Duration::hours(1)), None);
        assert_eq!(
            trip.settled_at(landed),
            Some((chrono_tz::America::Los_Angeles, landed))
        );
        assert_eq!(
            ZoneTimeline::fixed(chrono_tz::Asia::Tokyo).settled_at(landed),
            Some((chrono_tz::Asia::Tokyo, DateTime::<Utc>::MIN_UTC))
        );
    }

    #[test]
    fn each_instant_takes_the_date_of_the_zone_in_force() {
        let zones = frankfurt_to_los_angeles();
        let date = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("date");
        // 23:30 UTC on the 20th is 00:30 on the 21st in Frankfurt.
        assert_eq!(
            zones.local_date(utc("2026-11-20T23:30:00Z")),
            date("2026-11-21")
        );
        // 04:00 UTC on the 22nd is 20:00 on the 21st in Los Angeles.
        assert_eq!(
            zones.local_date(utc("2026-11-22T04:00:00Z")),
            date("2026-11-21")
        );
        assert_eq!(
            zones.local_date(utc("2026-11-22T08:00:00Z")),
            date("2026-11-22")
        );
    }

    #[test]
    fn the_travel_day_is_33_hours_long() {
        let zones = frankfurt_to_los_angeles();
        let (start, end) = zones
            .span_of(NaiveDate::from_ymd_opt(2026, 11, 21).expect("date"))
            .expect("span");
        assert_eq!(start, utc("2026-11-20T23:00:00Z"));
        assert_eq!(end, utc("2026-11-22T08:00:00Z"));
        assert_eq!((end - start).num_hours(), 33);
    }

    #[test]
    fn a_date_brought_back_by_flying_over_the_date_line_comes_in_two_parts() {
        let zones = ZoneTimeline::from_changes(vec![
            (utc("2026-01-01T00:00:00Z"), chrono_tz::Asia::Tokyo),
            // 03:00 on the 22nd in Tokyo; 10:00 on the 21st in Los Angeles.
            (utc("2026-11-21T18:00:00Z"), chrono_tz::America::Los_Angeles),
        ]);
        let date = NaiveDate::from_ymd_opt(2026, 11, 21).expect("date");
        assert_eq!(
            zones.parts_of(date),
            vec![
                (utc("2026-11-20T15:00:00Z"), utc("2026-11-21T15:00:00Z")),
                (utc("2026-11-21T18:00:00Z"), utc("2026-11-22T08:00:00Z")),
            ]
        );
        assert_eq!(
            zones.span_of(date),
            Some((utc("2026-11-20T15:00:00Z"), utc("2026-11-22T08:00:00Z")))
        );
        // Across a change that keeps the date, one part.
        assert_eq!(frankfurt_to_los_angeles().parts_of(date).len(), 1);
    }

    #[test]
    fn a_date_skipped_by_flying_east_over_the_date_line_has_no_span() {
        let zones = ZoneTimeline::from_changes(vec![
            (utc("2026-01-01T00:00:00Z"), chrono_tz::Pacific::Honolulu),
            // At midnight ending the 20th in Honolulu (UTC-10) it is
            // already the 22nd on Kiritimati (UTC+14).
            (utc("2026-11-21T10:00:00Z"), chrono_tz::Pacific::Kiritimati),
        ]);
        assert_eq!(
            zones.span_of(NaiveDate::from_ymd_opt(2026, 11, 21).expect("date")),
            None
        );
    }

    #[test]
    fn day_numbers_round_trip() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 21).expect("date");
        assert_eq!(date_of_day_number(day_number(date)), date);
        assert_eq!(
            day_number(NaiveDate::from_ymd_opt(1970, 1, 2).expect("date")),
            1
        );
    }
}
