//! Daily summaries: computed from the minutes, sessions, drinks and wear of
//! a local day, cached per day and recomputed when anything in the day
//! changes (writes mark the day stale in their own transaction).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::sessions::SET_IN_SPAN;
use super::{Store, StoreTx};
use crate::daily::{
    DailySummary, DayInputs, Streaks, cache_key, carries_on_from_midnight, pump_yield_for,
    runs_on_past_midnight, streaks, summarize,
};
use crate::minutes::{MergedMinute, merge};
use crate::profile::Goals;
use crate::pump::PumpYield;
use crate::session::SessionKind;
use crate::zones::{ZoneTimeline, date_of_day_number, day_number};
use crate::{Error, Result};

/// Marks every local day `from..=to` touches for recomputation: in each
/// stretch lived in one zone, the days from the one holding its start to
/// the one holding its end. (Across a westward date-line change the dates
/// go back: the first date to the last would be no day at all.)
pub(super) fn mark_stale_between(
    conn: &Connection,
    zones: &ZoneTimeline,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<()> {
    let to = to.max(from);
    let mark = |first: DateTime<Utc>, last: DateTime<Utc>| -> Result<()> {
        mark_days_stale(
            conn,
            day_number(zones.local_date(first)),
            day_number(zones.local_date(last)),
        )
    };
    let mut start = from;
    for (moved, _) in zones.changes() {
        if from < *moved && *moved <= to {
            // The stretch before a move ends the instant before it.
            mark(start, *moved - Duration::milliseconds(1))?;
            start = *moved;
        }
    }
    mark(start, to)
}

/// Marks every cached day from the one `from` falls on (and the day before
/// it, for a zone changed since) for recomputation: for a stretch that was
/// open, which every day cached since counted up to its end or the clock's
/// time.
pub(super) fn mark_stale_since(conn: &Connection, from: DateTime<Utc>) -> Result<()> {
    let first = day_number(super::profile::load_zones(conn)?.local_date(from));
    conn.execute(
        "UPDATE daily_summary SET summary = NULL WHERE local_day >= ?1",
        [first - 1],
    )?;
    Ok(())
}

/// Marks a local day's summary for recomputation, and the days either
/// side (see [`mark_days_stale`]).
pub(super) fn mark_stale(conn: &Connection, day: i64) -> Result<()> {
    mark_days_stale(conn, day, day)
}

/// Marks the local days `first..=last` for recomputation, and the day
/// before and after them: a sitting bout across midnight counts on the day
/// holding its middle, so a change on one day can move a bout onto or off
/// the next. (Nothing when `last` is before `first`.)
fn mark_days_stale(conn: &Connection, first: i64, last: i64) -> Result<()> {
    if last < first {
        return Ok(());
    }
    let mut mark = conn.prepare_cached(
        "INSERT INTO daily_summary (local_day, summary) VALUES (?1, NULL)
         ON CONFLICT (local_day) DO UPDATE SET summary = NULL",
    )?;
    for day in first - 1..=last + 1 {
        mark.execute([day])?;
    }
    Ok(())
}

impl StoreTx<'_> {
    /// Marks the summaries of `dates` for recomputation.
    pub fn mark_dates_stale(&self, dates: impl IntoIterator<Item = NaiveDate>) -> Result<()> {
        for date in dates {
            mark_stale(self.conn, day_number(date))?;
        }
        Ok(())
    }
}

/// Days in a row, with their streaks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct History {
    /// Every date from the first to the last asked, oldest first.
    pub days: Vec<DailySummary>,
    /// The streaks as they stand today (days to come left out), or at the
    /// last day of a history that ends before today.
    pub streaks: Streaks,
}

impl Store {
    /// The local date of `now` in the zone the user is in.
    pub fn today(&self, now: DateTime<Utc>) -> Result<NaiveDate> {
        Ok(self.zone_timeline()?.local_date(now))
    }

    /// The summary of local date `date`, as of `now`: today and stale days
    /// are computed afresh (and cached), others come from the cache.
    pub fn daily_summary(&self, date: NaiveDate, now: DateTime<Utc>) -> Result<DailySummary> {
        Ok(self.history(date, date, now)?.days.remove(0))
    }

    /// Every day from `first` to `last` (inclusive) with the streaks; none
    /// when `last` is before `first`. How long a span may be read at once
    /// is the use case's to bound (`app::check_history_span`).
    ///
    /// A cached day is used only when it was computed under the current
    /// [`cache_key`] (summary version and pump yields) and still decodes;
    /// anything else is recomputed, never an error.
    pub fn history(
        &self,
        first: NaiveDate,
        last: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<History> {
        let span = (last - first).num_days();
        let context = DayContext::load(self, now)?;
        let key = cache_key(&context.pump_yield);
        let mut cached: HashMap<i64, String> = self
            .conn
            .prepare_cached(
                "SELECT local_day, summary FROM daily_summary
                 WHERE local_day BETWEEN ?1 AND ?2 AND summary IS NOT NULL AND cache_key = ?3",
            )?
            .query_map(params![day_number(first), day_number(last), key], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let today = context.zones.local_date(now);
        // Today and the days to come may still change without a write dated
        // in them (stockings worn on from today): never cached. Nor is a
        // past date still to be lived again (a flight's arrival over the
        // date line, noted when it started, ends on it).
        let lived = |date: NaiveDate| {
            date < today
                && context
                    .zones
                    .parts_of(date)
                    .iter()
                    .all(|(_, end)| *end <= now)
        };
        let mut days = Vec::with_capacity(usize::try_from(span + 1).unwrap_or(0));
        let mut computed = Vec::new();
        let mut date = first;
        while date <= last {
            let settled = lived(date);
            let reusable = cached
                .remove(&day_number(date))
                .filter(|_| settled)
                .and_then(|json| serde_json::from_str::<DailySummary>(&json).ok())
                .filter(|summary| summary.date == date);
            let summary = match reusable {
                Some(summary) => summary,
                None => {
                    let summary = self.compute_day(date, &context)?;
                    if settled {
                        computed.push(summary.clone());
                    }
                    summary
                }
            };
            days.push(summary);
            date += Duration::days(1);
        }
        // The cache only saves work: when it cannot be written (a full or
        // read-only disk) the days computed are still the answer.
        let _ = self.cache_days(&key, &computed);
        let today = context.zones.local_date(now);
        let streaks = streaks(&days, today, |date| context.zones.parts_of(date).is_empty());
        Ok(History { days, streaks })
    }

    /// Stores freshly computed days under `key`, in one transaction.
    fn cache_days(&self, key: &str, days: &[DailySummary]) -> Result<()> {
        if days.is_empty() {
            return Ok(());
        }
        let tx = self.conn.unchecked_transaction()?;
        {
            let mut upsert = tx.prepare_cached(
                "INSERT INTO daily_summary (local_day, summary, cache_key) VALUES (?1, ?2, ?3)
                 ON CONFLICT (local_day) DO UPDATE SET
                    summary = excluded.summary, cache_key = excluded.cache_key",
            )?;
            for summary in days {
                let json = serde_json::to_string(summary)
                    .map_err(|e| Error::invalid("summary", e.to_string()))?;
                upsert.execute(params![day_number(summary.date), json, key])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn compute_day(&self, date: NaiveDate, context: &DayContext) -> Result<DailySummary> {
        let DayContext {
            zones,
            now,
            pump_yield,
            goals,
        } = context;
        let day = day_number(date);
        let minutes = merge(self.minutes_of_date(date, zones)?);
        // The date's own hours: a date lived twice (back over the date
        // line) does not take the other date's hours between.
        let parts = zones.parts_of(date);
        let (span_start, span_end) = parts
            .first()
            .zip(parts.last())
            .map_or((*now, *now), |(first, last)| (first.0, last.1));
        // A set counts once, on the day that holds its middle: the larger
        // share of a set that runs across midnight.
        let count_sets = |kind: SessionKind| -> Result<u32> {
            let mut count = 0;
            for (from, to) in &parts {
                count += self
                    .conn
                    .prepare_cached(&format!(
                        "SELECT count(*) FROM session WHERE kind = ?3 AND {SET_IN_SPAN}"
                    ))?
                    .query_row(
                        params![from.timestamp_millis(), to.timestamp_millis(), kind.key()],
                        |r| r.get::<_, u32>(0),
                    )?;
            }
            Ok(count)
        };
        let calf_raise_sets = count_sets(SessionKind::CalfRaises)?;
        let ankle_pump_sets = count_sets(SessionKind::AnklePumps)?;
        let hydration_ml: u32 = self.conn.query_row(
            "SELECT coalesce(sum(ml), 0) FROM hydration WHERE local_day = ?1",
            [day],
            |r| r.get(0),
        )?;
        let imported_steps: Option<u32> = self
            .conn
            .query_row(
                "SELECT steps FROM imported_steps WHERE local_day = ?1",
                [day],
                |r| r.get(0),
            )
            .optional()?;
        let mut compression_minutes = 0;
        for (from, to) in &parts {
            compression_minutes += self.compression_minutes_between(*from, (*to).min(*now))?;
        }
        let mut time_zones = vec![zones.zone_at(span_start).name().to_owned()];
        for (since, zone) in zones.changes() {
            if *since > span_start
                && *since < span_end
                && !time_zones.iter().any(|z| z == zone.name())
            {
                time_zones.push(zone.name().to_owned());
            }
        }
        let (minutes_before, minutes_after) =
            self.sat_across_midnight(date, zones, &minutes, &parts)?;
        Ok(summarize(DayInputs {
            date: date_of_day_number(day),
            time_zones,
            minutes,
            minutes_before,
            minutes_after,
            imported_steps,
            calf_raise_sets,
            ankle_pump_sets,
            hydration_ml,
            compression_minutes,
            pump_yield: *pump_yield,
            goals: *goals,
        }))
    }

    /// The minutes of the dates either side of `date` that a sitting bout
    /// across midnight runs on into: the previous date's before the day's
    /// first minute when that minute, at the day's start, is seated or
    /// moving (a bout under way, or a break after one); the next date's
    /// after its last when that one, at the day's end, is seated. Else
    /// none, without a read: midnight is rarely spent seated. Only across a
    /// plain midnight, both dates lived once and one after the other: on a
    /// date lived twice over the date line, or next to a skipped one, a
    /// bout is cut there, seen alike from both sides.
    fn sat_across_midnight(
        &self,
        date: NaiveDate,
        zones: &ZoneTimeline,
        minutes: &[MergedMinute],
        parts: &[(DateTime<Utc>, DateTime<Utc>)],
    ) -> Result<(Vec<MergedMinute>, Vec<MergedMinute>)> {
        let &[(start, end)] = parts else {
            return Ok((Vec::new(), Vec::new()));
        };
        // The day's first and last minutes, at its start and end. A zone
        // change can start a date within a minute, and the minute is the
        // date its start is on: the first minute then begins up to a minute
        // after the start, and the last holds the end.
        let first_at_start = |m: &MergedMinute| m.minute < start + Duration::minutes(1);
        let holds = |m: &MergedMinute, at: DateTime<Utc>| {
            m.minute <= at && at < m.minute + Duration::minutes(1)
        };
        let mut before = Vec::new();
        let previous = date - Duration::days(1);
        if minutes
            .first()
            .is_some_and(|m| first_at_start(m) && carries_on_from_midnight(m))
            && matches!(zones.parts_of(previous)[..], [(_, until)] if until == start)
        {
            before = merge(self.minutes_of_date(previous, zones)?);
            before.retain(|m| m.minute < start);
        }
        let mut after = Vec::new();
        let next = date + Duration::days(1);
        if minutes
            .last()
            .is_some_and(|m| holds(m, end - Duration::milliseconds(1)) && runs_on_past_midnight(m))
            && matches!(zones.parts_of(next)[..], [(from, _)] if from == end)
        {
            after = merge(self.minutes_of_date(next, zones)?);
            after.retain(|m| m.minute >= end);
        }
        Ok((before, after))
    }
}

/// What every day of one read shares.
struct DayContext {
    zones: ZoneTimeline,
    now: DateTime<Utc>,
    pump_yield: PumpYield,
    goals: Goals,
}

impl DayContext {
    fn load(store: &Store, now: DateTime<Utc>) -> Result<Self> {
        let profile = store.profile()?;
        Ok(Self {
            zones: store.zone_timeline()?,
            now,
            pump_yield: pump_yield_for(profile.person())?,
            goals: profile.goals,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::minutes::{MinuteActivity, MinuteSource};
    use crate::sensor::gatt::Posture;
    use crate::test_support::utc;
    use crate::walk::NewWalk;

    const DAY: &str = "2026-11-20";

    fn date() -> NaiveDate {
        NaiveDate::parse_from_str(DAY, "%Y-%m-%d").expect("date")
    }

    /// A store with one walk of 3,000 steps on [`DAY`], its day cached.
    fn walked() -> (Store, DateTime<Utc>) {
        let mut store = Store::open_in_memory().expect("store");
        let now = utc("2026-11-22T12:00:00Z");
        let walk =
            NewWalk::new(utc("2026-11-20T08:00:00Z"), "UTC", 1_800, 3_000, now).expect("walk");
        store.log_walk(&walk).expect("log");
        assert_eq!(store.daily_summary(date(), now).expect("day").steps, 3_000);
        (store, now)
    }

    fn set_cached(store: &Store, json: &str, key: Option<&str>) {
        let changed = store
            .conn
            .execute(
                "UPDATE daily_summary SET summary = ?2, cache_key = ?3 WHERE local_day = ?1",
                params![day_number(date()), json, key],
            )
            .expect("update");
        assert_eq!(changed, 1, "the day was cached");
    }

    fn current_key(store: &Store) -> String {
        let person = store.profile().expect("profile").person();
        cache_key(&pump_yield_for(person).expect("yield"))
    }

    /// Adds the phone's minutes from `from`, `count` of them, each of
    /// `posture` with `steps`.
    fn add(store: &mut Store, from: &str, count: i64, posture: Posture, steps: u32) {
        let minutes: Vec<MinuteActivity> = (0..count)
            .map(|i| MinuteActivity {
                minute: utc(from) + Duration::minutes(i),
                source: MinuteSource::Phone,
                steps,
                contractions: 0,
                posture,
                sock_mmhg: 0,
            })
            .collect();
        store
            .transaction(|tx| tx.add_minutes(&minutes))
            .expect("minutes");
    }

    /// Sitting minutes, breaks, the longest bout and the prolonged ones on
    /// `first` and the day after, as of the 23rd (both cached).
    fn sitting_on_both(store: &Store, first: NaiveDate) -> Vec<(u32, u32, u32, u32)> {
        let now = utc("2026-11-23T12:00:00Z");
        store
            .history(first, first + Duration::days(1), now)
            .expect("days")
            .days
            .iter()
            .map(|d| {
                (
                    d.sitting_minutes,
                    d.breaks,
                    d.longest_sitting_bout_min,
                    d.prolonged_sitting_bouts,
                )
            })
            .collect()
    }

    #[test]
    fn a_sitting_bout_across_midnight_counts_once_on_the_day_holding_its_middle() {
        let mut store = Store::open_in_memory().expect("store");
        // Seated 23:50 to midnight: the 20th's, and cached so.
        add(&mut store, "2026-11-20T23:50:00Z", 10, Posture::Sitting, 0);
        assert_eq!(
            sitting_on_both(&store, date()),
            [(10, 0, 10, 0), (0, 0, 0, 0)]
        );
        // Still seated until 00:30 on the 21st, written later: one bout of
        // 40 minutes, its middle on the 21st. The 20th cached before is
        // recomputed, its 10 minutes no longer a bout of their own.
        add(&mut store, "2026-11-21T00:00:00Z", 30, Posture::Sitting, 0);
        assert_eq!(
            sitting_on_both(&store, date()),
            [(10, 0, 0, 0), (30, 0, 40, 1)]
        );
    }

    #[test]
    fn a_break_across_midnight_counts_on_the_day_its_next_bout_starts() {
        let mut store = Store::open_in_memory().expect("store");
        // Seated until 23:57, a walk from 23:58 to 00:02, seated again.
        add(&mut store, "2026-11-20T23:00:00Z", 58, Posture::Sitting, 0);
        add(&mut store, "2026-11-20T23:58:00Z", 5, Posture::Walking, 90);
        add(&mut store, "2026-11-21T00:03:00Z", 40, Posture::Sitting, 0);
        assert_eq!(
            sitting_on_both(&store, date()),
            [(58, 0, 58, 1), (40, 1, 40, 1)]
        );
    }

    #[test]
    fn a_bout_across_a_zone_change_starting_a_date_within_a_minute_counts_once() {
        // Berlin until the phone notes Tokyo at 22:30:20 UTC on the 21st:
        // 23:30:20 in Berlin, 07:30:20 on the 22nd in Tokyo. The 22:30
        // minute is the 21st's (its start is on it); the 22nd's first is
        // 22:31.
        let in_berlin_then_tokyo = || {
            let mut store = Store::open_in_memory().expect("store");
            store
                .note_time_zone(chrono_tz::Europe::Berlin, utc("2026-11-01T00:00:00Z"))
                .expect("zone");
            store
                .note_time_zone(chrono_tz::Asia::Tokyo, utc("2026-11-21T22:30:20Z"))
                .expect("zone");
            store
        };
        let the_21st = date() + Duration::days(1);
        // Seated from 21:40 to 23:19: 51 minutes on the 21st, 49 on the
        // 22nd, one bout of 100 whose middle is on the 21st.
        let mut store = in_berlin_then_tokyo();
        add(&mut store, "2026-11-21T21:40:00Z", 100, Posture::Sitting, 0);
        assert_eq!(
            sitting_on_both(&store, the_21st),
            [(51, 0, 100, 1), (49, 0, 0, 0)]
        );
        // Seated to 22:30, a walk from 22:31 to 22:33, seated again: the
        // break counts on the 22nd, where the next bout starts.
        let mut store = in_berlin_then_tokyo();
        add(&mut store, "2026-11-21T21:40:00Z", 51, Posture::Sitting, 0);
        add(&mut store, "2026-11-21T22:31:00Z", 3, Posture::Walking, 90);
        add(&mut store, "2026-11-21T22:34:00Z", 40, Posture::Sitting, 0);
        assert_eq!(
            sitting_on_both(&store, the_21st),
            [(51, 0, 51, 1), (40, 1, 40, 1)]
        );
    }

    #[test]
    fn a_bout_across_midnight_next_to_a_date_lived_twice_is_cut_there_alike_from_both_sides() {
        // Tokyo until landing in Honolulu at 20:00 UTC on the 20th: the
        // 20th and the 21st are each lived twice, the 19th once. Seated
        // across Tokyo's midnight (15:00 UTC), from 14:20 to 15:49.
        let flown_seated_from = |from: &str| {
            let mut store = Store::open_in_memory().expect("store");
            store
                .note_time_zone(chrono_tz::Asia::Tokyo, utc("2026-11-01T00:00:00Z"))
                .expect("zone");
            store
                .note_time_zone(chrono_tz::Pacific::Honolulu, utc("2026-11-20T20:00:00Z"))
                .expect("arrival");
            add(&mut store, from, 90, Posture::Sitting, 0);
            store
        };
        // Into the 21st: each date its own part, neither the other's.
        let store = flown_seated_from("2026-11-20T14:20:00Z");
        let each_its_own = [(40, 0, 40, 1), (50, 0, 50, 1)];
        assert_eq!(sitting_on_both(&store, date()), each_its_own);
        // Into the 20th from the 19th, lived once: the 19th does not join
        // the 20th, and the 20th does not join it.
        let store = flown_seated_from("2026-11-19T14:20:00Z");
        let the_19th = date() - Duration::days(1);
        assert_eq!(sitting_on_both(&store, the_19th), each_its_own);
        // The flight noted after the 19th was cached joined to the 20th
        // (the bout's middle on the 20th): the 19th is recomputed too.
        let mut store = Store::open_in_memory().expect("store");
        store
            .note_time_zone(chrono_tz::Asia::Tokyo, utc("2026-11-01T00:00:00Z"))
            .expect("zone");
        add(&mut store, "2026-11-19T14:20:00Z", 90, Posture::Sitting, 0);
        assert_eq!(
            sitting_on_both(&store, the_19th),
            [(40, 0, 0, 0), (50, 0, 90, 1)]
        );
        store
            .note_time_zone(chrono_tz::Pacific::Honolulu, utc("2026-11-20T20:00:00Z"))
            .expect("arrival");
        assert_eq!(sitting_on_both(&store, the_19th), each_its_own);
    }

    #[test]
    fn a_date_to_be_lived_again_is_not_cached_until_it_has_been() {
        // Tokyo to Honolulu over the date line: the flight leaves on the
        // 21st in Tokyo and lands on the 20th in Honolulu, stockings on
        // from the 20th in Tokyo on, nothing else
        // written on the 20th's second part. Starting the flight notes the
        // arrival's zone ahead of time.
        let tokyo: chrono_tz::Tz = "Asia/Tokyo".parse().expect("zone");
        let honolulu: chrono_tz::Tz = "Pacific/Honolulu".parse().expect("zone");
        let mut store = Store::open_in_memory().expect("store");
        store
            .note_time_zone(tokyo, utc("2026-11-01T00:00:00Z"))
            .expect("zone");
        let landing = utc("2026-11-20T20:00:00Z"); // 10:00 on the 20th in Honolulu
        store.note_time_zone(honolulu, landing).expect("arrival");
        let on = utc("2026-11-20T00:00:00Z"); // 09:00 on the 20th in Tokyo
        let class = crate::compression::CompressionClass::new(15).expect("class");
        store
            .transaction(|tx| tx.insert_wear(class, on))
            .expect("on");
        let minutes = |store: &Store, now| store.daily_summary(date(), now).expect("day");
        // In the air on the 21st (Tokyo's date): the 20th's first part.
        let in_the_air = utc("2026-11-20T18:00:00Z"); // 03:00 on the 21st in Tokyo
        assert_eq!(minutes(&store, in_the_air).compression_minutes, 15 * 60);
        // On the 21st again in Honolulu, the stockings still on: both parts
        // of the 20th, Tokyo's 15 hours and Honolulu's 14.
        let next_day = utc("2026-11-21T12:00:00Z"); // 02:00 on the 21st in Honolulu
        assert_eq!(
            minutes(&store, next_day).compression_minutes,
            (15 + 14) * 60
        );
    }

    #[test]
    fn a_cached_day_under_the_current_key_is_served_from_the_cache() {
        let (store, now) = walked();
        let mut doctored = store.daily_summary(date(), now).expect("day");
        doctored.steps = 1;
        let json = serde_json::to_string(&doctored).expect("json");
        set_cached(&store, &json, Some(&current_key(&store)));
        assert_eq!(store.daily_summary(date(), now).expect("cached").steps, 1);
    }

    #[test]
    fn a_profile_saved_recomputes_the_days_only_when_the_goals_changed() {
        let (mut store, now) = walked();
        let mut doctored = store.daily_summary(date(), now).expect("day");
        doctored.steps = 1;
        let json = serde_json::to_string(&doctored).expect("json");
        set_cached(&store, &json, Some(&current_key(&store)));
        // Reminders switched off: the cached day stands.
        let mut profile = store.profile().expect("profile");
        profile.reminders.enabled = false;
        store.save_profile(&profile).expect("saved");
        assert_eq!(store.daily_summary(date(), now).expect("cached").steps, 1);
        // A new steps goal: every day is added up again (goals met change).
        profile.goals.steps += 1_000;
        store.save_profile(&profile).expect("saved");
        assert_eq!(store.daily_summary(date(), now).expect("day").steps, 3_000);
    }

    #[test]
    fn an_older_or_unreadable_cached_day_is_recomputed_not_an_error() {
        let (store, now) = walked();
        let key = current_key(&store);
        let mut stale =
            serde_json::to_value(store.daily_summary(date(), now).expect("day")).expect("value");
        stale["steps"] = 1.into();
        let stale = stale.to_string();
        // An earlier version's day (before the cache was keyed: NULL), one
        // under an older version or pump calibration, and rows that do not
        // decode: each is recomputed, and cached again under today's key.
        let old_shape = r#"{"date":"2026-11-20","steps":1}"#;
        let cases = [
            (stale.as_str(), None),
            (stale.as_str(), Some("v1:pump 0 0 0")),
            ("{\"garbage", Some(key.as_str())),
            (old_shape, Some(key.as_str())),
            ("null", Some(key.as_str())),
        ];
        for (json, row_key) in cases {
            set_cached(&store, json, row_key);
            let day = store.daily_summary(date(), now).expect("recomputed");
            assert_eq!(day.steps, 3_000, "{json} under {row_key:?}");
            let stored: (String, String) = store
                .conn
                .query_row(
                    "SELECT summary, cache_key FROM daily_summary WHERE local_day = ?1",
                    [day_number(date())],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .expect("row");
            assert_eq!(stored.1, key);
            let cached: DailySummary = serde_json::from_str(&stored.0).expect("decodes");
            assert_eq!(cached, day);
        }
    }

    #[test]
    fn a_read_never_needs_a_mutable_store() {
        let (store, now) = walked();
        let shared: &Store = &store;
        let history = shared
            .history(date() - Duration::days(1), date() + Duration::days(2), now)
            .expect("history");
        assert_eq!(
            history.days.iter().map(|d| d.steps).collect::<Vec<_>>(),
            vec![0, 3_000, 0, 0]
        );
    }

    #[test]
    fn a_stretch_across_a_westward_date_line_change_marks_both_dates() {
        // Tokyo until a red-eye lands in Los Angeles at 01:00 UTC on the
        // 22nd (17:00 on the 21st there): from 00:20 in Tokyo on the 22nd
        // to 17:30 in Los Angeles on the 21st, the dates go back.
        let zones = ZoneTimeline::from_changes(vec![
            (utc("2026-11-01T00:00:00Z"), chrono_tz::Asia::Tokyo),
            (utc("2026-11-22T01:00:00Z"), chrono_tz::America::Los_Angeles),
        ]);
        let store = Store::open_in_memory().expect("store");
        let stale = |store: &Store| -> Vec<i64> {
            let mut statement = store
                .conn
                .prepare("SELECT local_day FROM daily_summary WHERE summary IS NULL ORDER BY 1")
                .expect("query");
            statement
                .query_map([], |row| row.get(0))
                .expect("rows")
                .collect::<rusqlite::Result<_>>()
                .expect("days")
        };
        mark_stale_between(
            &store.conn,
            &zones,
            utc("2026-11-21T15:20:00Z"),
            utc("2026-11-22T01:30:00Z"),
        )
        .expect("marked");
        let day = |d: &str| day_number(NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("date"));
        // Both dates, and the days either side of each (a sitting bout
        // across midnight).
        assert_eq!(
            stale(&store),
            ["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23"].map(day)
        );
    }
}
