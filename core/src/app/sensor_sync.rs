//! What a sync's committed records change: the days they fall on are
//! recomputed, and each exercise set the sensor recorded on its own becomes
//! a finished session, unless the phone or another sensor already counts
//! it. Runs inside the sync step's own transaction ([`Store::commit_sync`]).
//! Forgetting a sensor takes its sets away and counts the sets another
//! sensor recorded of the same exercise instead.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::minutes::minute_ended_by;
use crate::sensor::gatt::{ExerciseKind, Record, RecordBody};
use crate::sensor::sync::{Commit, CommitOutcome};
use crate::session::{SensorSetOutcome, Session, SessionKind};
use crate::store::{PlacedRecord, SensorSet, Store, StoreTx};
use crate::zones::ZoneTimeline;
use crate::{Error, Result};

/// Stores one sync step of the sensor `commit.device.serial` and what its
/// records change, in one transaction.
pub fn commit_sensor_sync(
    store: &mut Store,
    commit: &Commit,
    now_utc_ms: i64,
) -> Result<CommitOutcome> {
    let serial = commit.device.serial.as_str();
    store.commit_sync(commit, now_utc_ms, |tx, placed| derive(tx, serial, placed))
}

/// [`commit_sensor_sync`] for a pairing: the sensor, reached at `address`,
/// is marked paired in the same transaction, so records stored are never
/// left without the pairing that lists them (and lets them be forgotten).
pub fn commit_pairing_sync(
    store: &mut Store,
    commit: &Commit,
    address: &str,
    now_utc_ms: i64,
) -> Result<CommitOutcome> {
    let serial = commit.device.serial.as_str();
    store.commit_sync(commit, now_utc_ms, |tx, placed| {
        derive(tx, serial, placed)?;
        tx.mark_paired(serial, address, now_utc_ms)?;
        Ok(())
    })
}

/// Marks the days of `placed` stale (and of the walks logged by hand they
/// overlap) and stores the sensor's sets.
fn derive(tx: &StoreTx<'_>, serial: &str, placed: &[PlacedRecord]) -> Result<()> {
    if placed.is_empty() {
        return Ok(());
    }
    let zones = tx.zone_timeline()?;
    let mut stale = BTreeSet::new();
    let mut minutes: Option<(DateTime<Utc>, DateTime<Utc>)> = None;
    for PlacedRecord { record, at } in placed {
        match record.body {
            // Minute records are read in place; only the day of the minute
            // each one covers (the one ending at its stamp) needs recomputing.
            RecordBody::Minute { .. } => {
                let minute = minute_ended_by(*at);
                stale.insert(zones.local_date(minute));
                minutes = Some(minutes.map_or((minute, *at), |(first, last)| {
                    (first.min(minute), last.max(*at))
                }));
            }
            RecordBody::Exercise { .. } => {
                count_sensor_set(tx, serial, record, *at, &zones, &mut stale)?
            }
            RecordBody::Boot { .. } | RecordBody::ClockSet { .. } => {}
        }
    }
    if let Some((first, last)) = minutes {
        tx.mark_days_of_walks_by_hand_stale(first, last)?;
    }
    tx.mark_dates_stale(stale)
}

/// Stores the set the sensor's exercise `record`, ending `at`, stands for,
/// unless a set the phone ran over the same time (counted live from this
/// sensor, or by taps), or another sensor's record sharing most of its
/// time (one on each leg), is the same set: counting both would double it.
/// The set's dates go to `stale`. Other records are left alone.
fn count_sensor_set(
    tx: &StoreTx<'_>,
    serial: &str,
    record: &Record,
    at: DateTime<Utc>,
    zones: &ZoneTimeline,
    stale: &mut BTreeSet<NaiveDate>,
) -> Result<()> {
    let RecordBody::Exercise {
        kind,
        reps,
        duration_s,
        mean_hold_ds,
    } = record.body
    else {
        return Ok(());
    };
    // The sensor writes a set's record when the set ends; the set counts on
    // the date, and in the zone, of its start.
    let kind = session_kind(kind);
    let started = at - Duration::seconds(i64::from(duration_s));
    let set = SensorSet {
        source_key: format!("{serial}:{}", record.seq),
        kind,
        started,
        ended: at,
        local_date: zones.local_date(started),
        time_zone: zones.zone_at(started),
        target: kind.default_target(),
        outcome: SensorSetOutcome::new(reps, duration_s, mean_hold_ds),
    };
    // Across a westward date-line change the set ends on an earlier date.
    let (start_date, end_date) = (set.local_date, zones.local_date(at));
    stale.extend(dates_between(
        start_date.min(end_date),
        start_date.max(end_date),
    ));
    if !tx.set_counted_elsewhere(serial, set.kind, set.started, set.ended)? {
        tx.insert_sensor_set(&set)?;
    }
    Ok(())
}

/// Forgets sensor `serial` (its pairing, records and the sets made of
/// them; see [`StoreTx::forget_sensor`]) and, in the same transaction,
/// counts what another sensor recorded of those sets, which had stood
/// behind them. Returns how many records went.
pub fn forget_sensor(store: &mut Store, serial: &str) -> Result<u64> {
    store.transaction(|tx| {
        // Its histories from before a reset go with it.
        let mut records = 0;
        let mut first_started = None;
        for name in tx
            .sensor_histories_aside(serial)?
            .iter()
            .map(String::as_str)
            .chain([serial])
        {
            let forgotten = tx.forget_sensor(name)?;
            records += forgotten.records;
            first_started = match (first_started, forgotten.first_set_started) {
                (Some(a), Some(b)) => Some(b.min(a)),
                (a, b) => a.or(b),
            };
        }
        if let Some(first_started) = first_started {
            count_sensor_sets_ending_from(tx, first_started)?;
        }
        Ok(records)
    })
}

/// Accepts that sensor `serial` was reset (a sync refused it with
/// [`crate::sensor::sync::SyncError::SensorReset`] or `EpochReset`): its
/// history so far is set aside and kept (see
/// [`StoreTx::set_sensor_history_aside`]), and its next sync starts afresh
/// from its first record, in one transaction. Returns the name the history
/// is kept under. Refused as invalid input when no sensor `serial` synced
/// here.
pub fn accept_sensor_reset(store: &mut Store, serial: &str) -> Result<String> {
    store.transaction(|tx| {
        tx.set_sensor_history_aside(serial)?
            .ok_or_else(|| Error::invalid("sensor", format!("no sensor {serial} has synced here")))
    })
}

/// Counts the sets sensors recorded over `closed`, a set the phone ran,
/// now finished or given up. While it was open it stood for every
/// sensor set from its start on (see [`count_sensor_set`]); closed, it
/// stands only for its own span, or for nothing when given up, so a
/// sensor's record of a set outside that (or of the one given up) counts
/// now. Inside the transaction that closes it, after it is stored closed.
pub(super) fn count_sensor_sets_under(tx: &StoreTx<'_>, closed: &Session) -> Result<()> {
    if !closed.kind.is_set() {
        return Ok(());
    }
    count_sensor_sets_ending_from(tx, closed.started)
}

/// Counts every sensor's set that ends from `from` on and is not counted
/// yet (a set stored already stays as it is).
fn count_sensor_sets_ending_from(tx: &StoreTx<'_>, from: DateTime<Utc>) -> Result<()> {
    // To no end: a record placed after the phone's now (its clock set
    // back since) was hidden all the same.
    let records = tx.sensor_sets_ending_between(from, DateTime::<Utc>::MAX_UTC)?;
    if records.is_empty() {
        return Ok(());
    }
    let zones = tx.zone_timeline()?;
    let mut stale = BTreeSet::new();
    for (serial, PlacedRecord { record, at }) in &records {
        count_sensor_set(tx, serial, record, *at, &zones, &mut stale)?;
    }
    tx.mark_dates_stale(stale)
}

/// The session kind of a sensor's exercise.
fn session_kind(kind: ExerciseKind) -> SessionKind {
    match kind {
        ExerciseKind::CalfRaises => SessionKind::CalfRaises,
        ExerciseKind::AnklePumps => SessionKind::AnklePumps,
    }
}

/// Every date from `first` to `last`, inclusive.
fn dates_between(first: NaiveDate, last: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    first.iter_days().take_while(move |d| *d <= last)
}
