//! What a sync's committed records change: the days they fall on are
//! recomputed, and each exercise set the sensor recorded on its own becomes
//! a finished session, unless the phone already counts it. Runs inside the
//! sync step's own transaction ([`Store::commit_sync`]).

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate};

use crate::Result;
use crate::minutes::minute_ended_by;
use crate::sensor::gatt::{ExerciseKind, RecordBody};
use crate::sensor::sync::{Commit, CommitOutcome};
use crate::session::{SensorSetOutcome, SessionKind};
use crate::store::{PlacedRecord, SensorSet, Store, StoreTx};

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

/// Marks the days of `placed` stale and stores the sensor's sets.
fn derive(tx: &StoreTx<'_>, serial: &str, placed: &[PlacedRecord]) -> Result<()> {
    if placed.is_empty() {
        return Ok(());
    }
    let zones = tx.zone_timeline()?;
    let mut stale = BTreeSet::new();
    for PlacedRecord { record, at } in placed {
        match record.body {
            // Minute records are read in place; only the day of the minute
            // each one covers (the one ending at its stamp) needs recomputing.
            RecordBody::Minute { .. } => {
                stale.insert(zones.local_date(minute_ended_by(*at)));
            }
            RecordBody::Exercise {
                kind,
                reps,
                duration_s,
                mean_hold_ds,
            } => {
                // The sensor writes a set's record when the set ends; the
                // set counts on the date, and in the zone, of its start.
                let kind = session_kind(kind);
                let started = *at - Duration::seconds(i64::from(duration_s));
                let set = SensorSet {
                    source_key: format!("{serial}:{}", record.seq),
                    kind,
                    started,
                    ended: *at,
                    local_date: zones.local_date(started),
                    time_zone: zones.zone_at(started),
                    target: kind.default_target(),
                    outcome: SensorSetOutcome::new(reps, duration_s, mean_hold_ds),
                };
                stale.extend(dates_between(set.local_date, zones.local_date(*at)));
                // A set the phone ran over the same time (counted live from
                // this sensor, or by taps) is the same set: counting both
                // would double it.
                if !tx.phone_set_overlaps(set.kind, set.started, set.ended)? {
                    tx.insert_sensor_set(&set)?;
                }
            }
            RecordBody::Boot { .. } | RecordBody::ClockSet { .. } => {}
        }
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
