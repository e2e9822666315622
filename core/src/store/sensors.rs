//! Sensor records, clock anchors and sync state.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::days::mark_stale_between;
use super::profile::load_zones;
use super::{Store, StoreTx};
use crate::minutes::minute_ended_by;
use crate::sensor::gatt::Record;
use crate::sensor::sync::{Commit, CommitOutcome, DeviceSyncState};
use crate::sensor::timeline::{ClockAnchor, Timeline};
use crate::{Error, Result};

/// A stored sensor record with its place in UTC.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StoredRecord {
    /// The record as the sensor sent it.
    pub record: Record,
    /// When it happened, Unix ms; `None` when its clock epoch has no anchor.
    pub utc_ms: Option<i64>,
}

/// A record a sync's commit just stored with its place in time: newly
/// stored, or stored earlier without a time and placed now that its clock
/// epoch has an anchor. What the use cases derive from (days to recompute,
/// the sensor's own exercise sets).
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedRecord {
    /// The record as the sensor sent it.
    pub record: Record,
    /// When it happened.
    pub at: DateTime<Utc>,
}

/// What the database holds for one sensor.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SensorSummary {
    /// The serial number.
    pub serial: String,
    /// Records stored.
    pub records: u64,
    /// The last sequence number accounted for.
    pub high_water: u32,
    /// Records missing for good (sum of gaps): lost on a full sensor before
    /// a sync, or held damaged on it and skipped.
    pub gap_records: u64,
    /// Records whose time is not known.
    pub untimed_records: u64,
    /// Earliest and latest record time, Unix ms.
    pub span_utc_ms: Option<(i64, i64)>,
}

/// A sensor the user paired.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PairedSensor {
    /// The serial number: its identity.
    pub serial: String,
    /// The Bluetooth address it was last seen at.
    pub address: String,
    /// Model, as Device Information said.
    pub model: String,
    /// When it was last synced, Unix ms.
    pub last_sync_utc_ms: Option<i64>,
    /// Its Battery Level at the last sync that read one, percent.
    pub battery_percent: Option<u8>,
    /// When that level was read, Unix ms.
    pub battery_utc_ms: Option<i64>,
    /// The user chose it to count walks and sets from.
    pub chosen_for_sessions: bool,
}

impl Store {
    /// Remembers that the user paired sensor `serial`, seen at `address`.
    /// The device row exists once a sync has committed anything.
    pub fn mark_paired(&mut self, serial: &str, address: &str, now_utc_ms: i64) -> Result<bool> {
        StoreTx { conn: &self.conn }.mark_paired(serial, address, now_utc_ms)
    }

    /// The names sensor `serial`'s histories were set aside under, oldest
    /// first ([`StoreTx::sensor_histories_aside`]).
    pub fn sensor_histories_aside(&self, serial: &str) -> Result<Vec<String>> {
        StoreTx { conn: &self.conn }.sensor_histories_aside(serial)
    }

    /// The paired sensors, by serial.
    pub fn paired_sensors(&self) -> Result<Vec<PairedSensor>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT serial, address, model, last_sync_utc_ms, battery_percent, battery_utc_ms,
                    chosen_for_sessions
             FROM sensor_device WHERE paired_utc_ms IS NOT NULL ORDER BY serial",
        )?;
        let sensors = statement
            .query_map([], |row| {
                Ok(PairedSensor {
                    serial: row.get(0)?,
                    address: row.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    model: row.get(2)?,
                    last_sync_utc_ms: row.get(3)?,
                    battery_percent: row.get(4)?,
                    battery_utc_ms: row.get(5)?,
                    chosen_for_sessions: row.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(sensors)
    }

    /// Makes paired sensor `serial` the one walks and sets count from, or,
    /// with `None`, leaves it to the rule (the one synced last). One
    /// transaction: the choice moves, it is never held by two sensors nor
    /// lost half-way. Refused as invalid input when `serial` is not paired,
    /// changing nothing.
    pub fn choose_sensor_for_sessions(&mut self, serial: Option<&str>) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE sensor_device SET chosen_for_sessions = 0 WHERE chosen_for_sessions = 1",
            [],
        )?;
        if let Some(serial) = serial {
            let chosen = tx.execute(
                "UPDATE sensor_device SET chosen_for_sessions = 1
                 WHERE serial = ?1 AND paired_utc_ms IS NOT NULL",
                [serial],
            )?;
            if chosen != 1 {
                return Err(Error::invalid(
                    "sensor",
                    format!("{serial} is not paired: pair it first, or choose a paired sensor"),
                ));
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The paired sensor named by serial number or address.
    pub fn find_paired(&self, id: &str) -> Result<Option<PairedSensor>> {
        Ok(self
            .paired_sensors()?
            .into_iter()
            .find(|p| p.serial == id || p.address.eq_ignore_ascii_case(id)))
    }

    /// What the database knows of the sensor `serial`, for a sync to start from.
    pub fn sensor_sync_state(&self, serial: &str) -> Result<DeviceSyncState> {
        let state = self
            .conn
            .query_row(
                "SELECT high_water_seq, dropped_seen, manufacturer <> '' AND model <> '',
                        record_count, damaged_skipped
                 FROM sensor_device WHERE serial = ?1",
                [serial],
                |row| {
                    Ok(DeviceSyncState {
                        high_water: row.get(0)?,
                        dropped_seen: row.get(1)?,
                        described: row.get(2)?,
                        records_stored: saturating_count(row.get(3)?),
                        damaged_skipped: saturating_count(row.get(4)?),
                        anchors: Vec::new(),
                        stored_above_mark: Vec::new(),
                    })
                },
            )
            .optional()?
            .unwrap_or_default();
        // Through the primary key: none, or the records a sync stopped at a
        // reset kept (within one round's range of 2,048 numbers).
        let stored_above_mark = self
            .conn
            .prepare_cached(
                "SELECT seq FROM sensor_record WHERE device_serial = ?1 AND seq > ?2 ORDER BY seq",
            )?
            .query_map(params![serial, state.high_water], |row| row.get(0))?
            .collect::<rusqlite::Result<Vec<u32>>>()?;
        Ok(DeviceSyncState {
            anchors: load_anchors(&self.conn, serial)?,
            stored_above_mark,
            ..state
        })
    }

    /// Stores one sync step in one transaction: the device, new anchors, a
    /// gap, the records (ignoring any already stored), what `derive` makes
    /// of the records placed in time by this step (inside the same
    /// transaction, so a sync step and what it changes commit together),
    /// and the high-water mark. Records of epochs that just got their first
    /// anchor are placed in time too.
    pub fn commit_sync(
        &mut self,
        commit: &Commit,
        now_utc_ms: i64,
        derive: impl FnOnce(&StoreTx<'_>, &[PlacedRecord]) -> Result<()>,
    ) -> Result<CommitOutcome> {
        let tx = self.conn.transaction()?;
        let serial = commit.device.serial.as_str();
        tx.execute(
            "INSERT INTO sensor_device (serial, manufacturer, model, firmware, last_sync_utc_ms,
                                        battery_percent, battery_utc_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, CASE WHEN ?6 IS NULL THEN NULL ELSE ?5 END)
             ON CONFLICT (serial) DO UPDATE SET
                manufacturer = CASE WHEN excluded.manufacturer = '' THEN manufacturer ELSE excluded.manufacturer END,
                model = CASE WHEN excluded.model = '' THEN model ELSE excluded.model END,
                firmware = CASE WHEN excluded.firmware = '' THEN firmware ELSE excluded.firmware END,
                last_sync_utc_ms = excluded.last_sync_utc_ms,
                battery_percent = coalesce(excluded.battery_percent, battery_percent),
                battery_utc_ms = coalesce(excluded.battery_utc_ms, battery_utc_ms)",
            params![
                serial,
                commit.device.manufacturer,
                commit.device.model,
                commit.device.firmware,
                now_utc_ms,
                commit.device.battery_percent,
            ],
        )?;
        for anchor in &commit.anchors {
            tx.execute(
                "INSERT OR IGNORE INTO sensor_clock_anchor (device_serial, epoch, ticks_ms, utc_ms)
                 VALUES (?1, ?2, ?3, ?4)",
                params![
                    serial,
                    anchor.epoch,
                    as_sql_int(anchor.ticks_ms),
                    anchor.utc_ms
                ],
            )?;
        }
        let timeline = Timeline::new(load_anchors(&tx, serial)?);
        for &(first, last) in &commit.gaps {
            tx.execute(
                "INSERT INTO sensor_gap (device_serial, first_seq, last_seq) VALUES (?1, ?2, ?3)
                 ON CONFLICT (device_serial, first_seq) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq)",
                params![serial, first, last],
            )?;
        }
        let mut outcome = CommitOutcome::default();
        let mut placed = Vec::new();
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO sensor_record (device_serial, seq, epoch, ticks_s, utc_ms, kind, raw)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for record in &commit.records {
                let utc_ms = timeline
                    .to_utc(record.epoch, u64::from(record.ticks_s) * 1000)
                    .map(|t| t.timestamp_millis());
                let inserted = insert.execute(params![
                    serial,
                    record.seq,
                    record.epoch,
                    record.ticks_s,
                    utc_ms,
                    record.body.type_code(),
                    record.encode().as_slice(),
                ])?;
                if inserted == 1 {
                    outcome.inserted += 1;
                    if let Some(at) = utc_ms.and_then(DateTime::<Utc>::from_timestamp_millis) {
                        placed.push(PlacedRecord {
                            record: *record,
                            at,
                        });
                    }
                } else {
                    outcome.duplicates += 1;
                }
            }
        }
        let epochs: BTreeSet<u16> = commit.anchors.iter().map(|a| a.epoch).collect();
        for epoch in epochs {
            place_untimed(&tx, serial, epoch, &timeline, &mut placed)?;
        }
        derive(&StoreTx { conn: &tx }, &placed)?;
        tx.execute(
            "UPDATE sensor_device SET high_water_seq = max(high_water_seq, ?2),
                                      record_count = record_count + ?3,
                                      dropped_seen = ?4,
                                      damaged_skipped = damaged_skipped + ?5
             WHERE serial = ?1",
            params![
                serial,
                commit.high_water,
                outcome.inserted,
                commit.dropped_seen,
                commit.damaged
            ],
        )?;
        tx.commit()?;
        Ok(outcome)
    }

    /// The records of `serial`, oldest first.
    pub fn sensor_records(&self, serial: &str) -> Result<Vec<StoredRecord>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT raw, utc_ms FROM sensor_record WHERE device_serial = ?1 ORDER BY seq",
        )?;
        let rows = statement.query_map([serial], |row| {
            Ok((row.get::<_, Vec<u8>>(0)?, row.get::<_, Option<i64>>(1)?))
        })?;
        let mut records = Vec::new();
        for row in rows {
            let (raw, utc_ms) = row?;
            let record = Record::parse(&raw)
                .map_err(|e| crate::Error::unreadable("sensor record", e.to_string()))?;
            records.push(StoredRecord { record, utc_ms });
        }
        Ok(records)
    }

    /// The gaps recorded for `serial` (inclusive ranges).
    pub fn sensor_gaps(&self, serial: &str) -> Result<Vec<(u32, u32)>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT first_seq, last_seq FROM sensor_gap WHERE device_serial = ?1 ORDER BY first_seq",
        )?;
        let gaps = statement
            .query_map([serial], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(gaps)
    }

    /// A summary of what is stored for `serial`, if it is known.
    pub fn sensor_summary(&self, serial: &str) -> Result<Option<SensorSummary>> {
        let Some(high_water) = self
            .conn
            .query_row(
                "SELECT high_water_seq FROM sensor_device WHERE serial = ?1",
                [serial],
                |row| row.get::<_, u32>(0),
            )
            .optional()?
        else {
            return Ok(None);
        };
        // Read through the indexes, never the whole year of records: the
        // count kept by each commit, the untimed ones through their partial
        // index, the first and last time at the ends of the time index.
        let (records, untimed, first, last): (i64, i64, Option<i64>, Option<i64>) =
            self.conn.query_row(
                "SELECT record_count,
                    (SELECT count(*) FROM sensor_record INDEXED BY sensor_record_untimed
                     WHERE device_serial = ?1 AND utc_ms IS NULL),
                    (SELECT min(utc_ms) FROM sensor_record
                     WHERE device_serial = ?1 AND utc_ms IS NOT NULL),
                    (SELECT max(utc_ms) FROM sensor_record WHERE device_serial = ?1)
                 FROM sensor_device WHERE serial = ?1",
                [serial],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
            )?;
        let gap_records: i64 = self.conn.query_row(
            "SELECT coalesce(sum(last_seq - first_seq + 1), 0) FROM sensor_gap WHERE device_serial = ?1",
            [serial],
            |row| row.get(0),
        )?;
        Ok(Some(SensorSummary {
            serial: serial.to_owned(),
            records: records.unsigned_abs(),
            high_water,
            gap_records: gap_records.unsigned_abs(),
            untimed_records: untimed.unsigned_abs(),
            span_utc_ms: first.zip(last),
        }))
    }
}

fn load_anchors(conn: &Connection, serial: &str) -> Result<Vec<ClockAnchor>> {
    let mut statement = conn.prepare_cached(
        "SELECT epoch, ticks_ms, utc_ms FROM sensor_clock_anchor WHERE device_serial = ?1",
    )?;
    let anchors = statement
        .query_map([serial], |row| {
            Ok(ClockAnchor {
                epoch: row.get(0)?,
                ticks_ms: row.get::<_, i64>(1)?.unsigned_abs(),
                utc_ms: row.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(anchors)
}

/// Gives a time to the records of `epoch` that had none, adding each to `placed`.
fn place_untimed(
    tx: &Transaction<'_>,
    serial: &str,
    epoch: u16,
    timeline: &Timeline,
    placed: &mut Vec<PlacedRecord>,
) -> Result<()> {
    let untimed: Vec<(u32, u32, Vec<u8>)> = tx
        .prepare_cached(
            // The partial index keeps this proportional to the untimed
            // records, not to everything stored (the planner would scan).
            "SELECT seq, ticks_s, raw FROM sensor_record INDEXED BY sensor_record_untimed
             WHERE device_serial = ?1 AND epoch = ?2 AND utc_ms IS NULL",
        )?
        .query_map(params![serial, epoch], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut update = tx.prepare_cached(
        "UPDATE sensor_record SET utc_ms = ?3 WHERE device_serial = ?1 AND seq = ?2",
    )?;
    for (seq, ticks_s, raw) in untimed {
        if let Some(utc) = timeline.to_utc(epoch, u64::from(ticks_s) * 1000) {
            update.execute(params![serial, seq, utc.timestamp_millis()])?;
            if let Ok(record) = Record::parse(&raw) {
                placed.push(PlacedRecord { record, at: utc });
            }
        }
    }
    Ok(())
}

/// SQLite integers are signed; sensor tick counts (48 bits) always fit.
fn as_sql_int(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// What forgetting a sensor took away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForgottenSensor {
    /// Records deleted.
    pub records: u64,
    /// When the earliest of its sets began; none when it recorded none.
    pub first_set_started: Option<DateTime<Utc>>,
}

impl StoreTx<'_> {
    /// [`Store::mark_paired`] inside a caller's transaction.
    pub fn mark_paired(&self, serial: &str, address: &str, now_utc_ms: i64) -> Result<bool> {
        let changed = self.conn.execute(
            "UPDATE sensor_device SET address = ?2, paired_utc_ms = coalesce(paired_utc_ms, ?3)
             WHERE serial = ?1",
            params![serial, address, now_utc_ms],
        )?;
        Ok(changed == 1)
    }

    /// Sets the history of sensor `serial` aside, after the sensor
    /// was reset (its record numbers and clock start again, below what is
    /// stored): its records, gaps, clock anchors and the sets made of them
    /// move to a name of their own, `serial~N`, remembered as the sensor's
    /// (`archived_from`). They count in the days as before (a day reads
    /// every sensor's records) and go when the sensor is forgotten. The
    /// sensor keeps its pairing, name and choice for sessions, and syncs
    /// again from its first record with a new clock. Returns that name;
    /// none when no sensor `serial` synced here (or it names a history set
    /// aside). Nothing on a day changes.
    pub fn set_sensor_history_aside(&self, serial: &str) -> Result<Option<String>> {
        let tx = self.conn;
        let known: bool = tx.query_row(
            "SELECT count(*) > 0 FROM sensor_device WHERE serial = ?1 AND archived_from IS NULL",
            [serial],
            |row| row.get(0),
        )?;
        if !known {
            return Ok(None);
        }
        // Nothing stored since the last reset was accepted (a second tap,
        // or a second reset before a record came): that history stays where
        // it is, and nothing more is set aside. Clock anchors taken since
        // belong to a life with no record to place, ended by this reset:
        // kept, their epochs would be taken for the latest and every sync
        // refused as a reset again (`EpochReset`).
        let fresh: bool = tx.query_row(
            "SELECT high_water_seq = 0 AND record_count = 0 FROM sensor_device WHERE serial = ?1",
            [serial],
            |row| row.get(0),
        )?;
        if fresh && let Some(last) = self.sensor_histories_aside(serial)?.pop() {
            tx.execute(
                "DELETE FROM sensor_clock_anchor WHERE device_serial = ?1",
                [serial],
            )?;
            return Ok(Some(last));
        }
        // The first `serial~N` free: after the histories set aside before
        // (one forgotten on its own leaves its number free, not the next).
        let taken = |name: &str| -> Result<bool> {
            Ok(tx.query_row(
                "SELECT count(*) > 0 FROM sensor_device WHERE serial = ?1",
                [name],
                |row| row.get(0),
            )?)
        };
        let mut number = 1u32;
        while taken(&format!("{serial}~{number}"))? {
            number += 1;
        }
        let aside = format!("{serial}~{number}");
        tx.execute(
            "INSERT INTO sensor_device (serial, manufacturer, model, firmware, high_water_seq,
                 last_sync_utc_ms, record_count, dropped_seen, damaged_skipped, archived_from)
             SELECT ?2, manufacturer, model, firmware, high_water_seq, last_sync_utc_ms,
                 record_count, dropped_seen, damaged_skipped, ?1
             FROM sensor_device WHERE serial = ?1",
            params![serial, aside],
        )?;
        for table in ["sensor_record", "sensor_gap", "sensor_clock_anchor"] {
            tx.execute(
                &format!("UPDATE {table} SET device_serial = ?2 WHERE device_serial = ?1"),
                params![serial, aside],
            )?;
        }
        // Its sets are named "serial:seq": the sensor's new records reuse
        // those numbers, and would be taken for sets stored already.
        tx.execute(
            "UPDATE session SET source_key = ?2 || substr(source_key, length(?1) + 1)
             WHERE source = 'sensor' AND substr(source_key, 1, length(?1) + 1) = ?1 || ':'",
            params![serial, aside],
        )?;
        tx.execute(
            "UPDATE sensor_device SET high_water_seq = 0, dropped_seen = 0, record_count = 0,
                 damaged_skipped = 0
             WHERE serial = ?1",
            [serial],
        )?;
        Ok(Some(aside))
    }

    /// The names sensor `serial`'s histories were set aside under, oldest
    /// first ([`Self::set_sensor_history_aside`]).
    pub fn sensor_histories_aside(&self, serial: &str) -> Result<Vec<String>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT serial FROM sensor_device WHERE archived_from = ?1 ORDER BY rowid",
        )?;
        let names = statement
            .query_map([serial], |row| row.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(names)
    }

    /// Forgets sensor `serial`: its pairing, sync state, stored records and
    /// the exercise sets made of them, and marks the days they fell on for
    /// recomputation (their minutes and sets leave those days).
    pub fn forget_sensor(&self, serial: &str) -> Result<ForgottenSensor> {
        let tx = self.conn;
        let (records, first_ms, last_ms): (i64, Option<i64>, Option<i64>) = tx.query_row(
            "SELECT count(*), min(utc_ms), max(utc_ms) FROM sensor_record WHERE device_serial = ?1",
            [serial],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )?;
        let stamps = first_ms
            .and_then(DateTime::<Utc>::from_timestamp_millis)
            .zip(last_ms.and_then(DateTime::<Utc>::from_timestamp_millis));
        let zones = load_zones(tx)?;
        if let Some((first, last)) = stamps {
            // A minute record is stamped as its minute ends.
            mark_stale_between(tx, &zones, minute_ended_by(first), last)?;
            // A walk logged by hand that yielded to them counts again.
            super::walks::mark_days_of_walks_by_hand_stale(tx, minute_ended_by(first), last)?;
        }
        // Its sets are named "serial:seq" (no LIKE: a serial may hold '%').
        let own_set = "source = 'sensor' AND substr(source_key, 1, length(?1) + 1) = ?1 || ':'";
        let (sets_from, sets_to): (Option<i64>, Option<i64>) = tx.query_row(
            &format!("SELECT min(started_utc_ms), max(ended_utc_ms) FROM session WHERE {own_set}"),
            [serial],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        let sets = sets_from
            .and_then(DateTime::<Utc>::from_timestamp_millis)
            .zip(sets_to.and_then(DateTime::<Utc>::from_timestamp_millis));
        if let Some((from, to)) = sets {
            mark_stale_between(tx, &zones, from, to)?;
        }
        tx.execute(&format!("DELETE FROM session WHERE {own_set}"), [serial])?;
        // Anchors, records and gaps go with the device (ON DELETE CASCADE).
        tx.execute("DELETE FROM sensor_device WHERE serial = ?1", [serial])?;
        Ok(ForgottenSensor {
            records: records.unsigned_abs(),
            first_set_started: sets.map(|(from, _)| from),
        })
    }
}

/// A stored count as a sync takes it: beyond u32 (a database written
/// otherwise) it saturates rather than failing every sync.
fn saturating_count(stored: i64) -> u32 {
    u32::try_from(stored.max(0)).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sensor::gatt::{DeviceInfo, Posture, RecordBody};

    /// A database with sensors `serials` paired.
    fn paired(serials: &[&str]) -> Store {
        let store = Store::open_in_memory().expect("database");
        for serial in serials {
            store
                .conn
                .execute(
                    "INSERT INTO sensor_device (serial, address, paired_utc_ms) VALUES (?1, ?1, 0)",
                    [serial],
                )
                .expect("paired");
        }
        store
    }

    #[test]
    fn a_history_set_aside_takes_its_sets_so_the_sensor_s_new_ones_are_stored() {
        let mut store = paired(&["SH-A", "SH-AB"]);
        let set = |store: &Store, key: &str| {
            store.conn.execute(
                "INSERT INTO session (kind, state, source, source_key, started_utc_ms,
                     ended_utc_ms, local_day, time_zone, target)
                 VALUES ('calf_raises', 'finished', 'sensor', ?1, 0, 60000, 0, 'UTC', '{}')",
                [key],
            )
        };
        set(&store, "SH-A:7").expect("a set of record 7");
        set(&store, "SH-AB:7").expect("another sensor's");
        let aside = |store: &mut Store, serial: &str| {
            store
                .transaction(|tx| tx.set_sensor_history_aside(serial))
                .expect("asked")
        };
        let synced_to = |store: &Store, mark: u32| {
            store
                .conn
                .execute(
                    "UPDATE sensor_device SET high_water_seq = ?1 WHERE serial = 'SH-A'",
                    [mark],
                )
                .expect("synced since");
        };
        assert_eq!(aside(&mut store, "SH-A").as_deref(), Some("SH-A~1"));
        let keys: Vec<String> = store
            .conn
            .prepare("SELECT source_key FROM session ORDER BY source_key")
            .expect("query")
            .query_map([], |r| r.get(0))
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("keys");
        assert_eq!(keys, ["SH-AB:7", "SH-A~1:7"], "only its own sets move");
        // The reset sensor's new record 7 is a new set, not the old one again.
        set(&store, "SH-A:7").expect("the new set stored");
        // A second tap, nothing stored since: nothing more set aside. A
        // clock anchor taken since (a connect before the sensor was reset
        // again) goes: its epoch would refuse every sync as a reset.
        let anchors = |store: &Store, serial: &str| -> i64 {
            store
                .conn
                .query_row(
                    "SELECT count(*) FROM sensor_clock_anchor WHERE device_serial = ?1",
                    [serial],
                    |row| row.get(0),
                )
                .expect("anchors")
        };
        store
            .conn
            .execute(
                "INSERT INTO sensor_clock_anchor (device_serial, epoch, ticks_ms, utc_ms)
                 VALUES ('SH-A', 2, 60000, 0)",
                [],
            )
            .expect("an anchor since");
        assert_eq!(aside(&mut store, "SH-A").as_deref(), Some("SH-A~1"));
        assert_eq!(anchors(&store, "SH-A"), 0);
        // A second reset, records stored since, takes the next name; the
        // first is free again once forgotten, and taken again.
        synced_to(&store, 3);
        assert_eq!(aside(&mut store, "SH-A").as_deref(), Some("SH-A~2"));
        store
            .transaction(|tx| tx.forget_sensor("SH-A~1"))
            .expect("forgotten");
        synced_to(&store, 5);
        assert_eq!(aside(&mut store, "SH-A").as_deref(), Some("SH-A~1"));
        // A history set aside is no sensor to reset.
        assert_eq!(aside(&mut store, "SH-A~2"), None);
    }

    #[test]
    fn a_sync_starts_from_the_records_stored_above_the_mark() {
        // A sync stopped at a reset stored 3, 4 and 6 above its mark of 2.
        let mut store = paired(&["SH-A"]);
        let record = |seq: u32| Record {
            seq,
            epoch: 1,
            ticks_s: 60 * seq,
            body: RecordBody::Minute {
                steps: 0,
                contractions: 0,
                ankle_pressure_mmhg: 0,
                posture: Posture::Sitting,
            },
        };
        let commit = Commit {
            device: DeviceInfo {
                serial: "SH-A".to_owned(),
                ..DeviceInfo::default()
            },
            anchors: Vec::new(),
            gaps: Vec::new(),
            records: [1, 2, 3, 4, 6].map(record).to_vec(),
            high_water: 2,
            dropped_seen: 0,
            damaged: 0,
        };
        store
            .commit_sync(&commit, 0, |_, _| Ok(()))
            .expect("committed");
        let state = store.sensor_sync_state("SH-A").expect("state");
        assert_eq!(state.high_water, 2);
        assert_eq!(state.stored_above_mark, [3, 4, 6], "the mark's own not");
        // Another sensor's are not its.
        assert!(
            store
                .sensor_sync_state("SH-B")
                .expect("state")
                .stored_above_mark
                .is_empty()
        );
    }

    #[test]
    fn a_sensor_s_damaged_records_add_up_over_syncs_and_start_again_when_it_is_reset() {
        let mut store = paired(&["SH-A"]);
        let commit = |store: &mut Store, high_water: u32, gaps: Vec<(u32, u32)>, damaged: u32| {
            let commit = Commit {
                device: DeviceInfo {
                    serial: "SH-A".to_owned(),
                    ..DeviceInfo::default()
                },
                anchors: Vec::new(),
                gaps,
                records: Vec::new(),
                high_water,
                dropped_seen: 0,
                damaged,
            };
            store
                .commit_sync(&commit, 0, |_, _| Ok(()))
                .expect("committed");
        };
        let skipped = |store: &Store, serial: &str| {
            store
                .sensor_sync_state(serial)
                .expect("state")
                .damaged_skipped
        };
        commit(&mut store, 3, vec![(2, 3)], 2);
        commit(&mut store, 9, vec![(5, 9)], 1);
        assert_eq!(skipped(&store, "SH-A"), 3, "over every sync");
        let aside = store
            .transaction(|tx| tx.set_sensor_history_aside("SH-A"))
            .expect("set aside")
            .expect("a history");
        assert_eq!(skipped(&store, "SH-A"), 0, "the reset sensor starts again");
        assert_eq!(
            skipped(&store, &aside),
            3,
            "its old history keeps its count"
        );
    }

    #[test]
    fn the_schema_holds_one_chosen_sensor_at_most_and_no_other_value() {
        let store = paired(&["SH-A", "SH-B"]);
        let choose = |serial: &str, value: i64| {
            store.conn.execute(
                "UPDATE sensor_device SET chosen_for_sessions = ?2 WHERE serial = ?1",
                params![serial, value],
            )
        };
        choose("SH-A", 1).expect("one chosen");
        assert!(choose("SH-B", 1).is_err(), "a second chosen sensor");
        assert!(choose("SH-B", 2).is_err(), "a value other than 0 or 1");
    }

    #[test]
    fn a_sensor_whose_model_was_never_read_is_asked_for_it_at_its_next_sync() {
        let store = paired(&["SH-A"]);
        assert!(!store.sensor_sync_state("SH-A").expect("state").described);
        store
            .conn
            .execute(
                "UPDATE sensor_device SET manufacturer = 'Second Heart', model = 'Sock 1'",
                [],
            )
            .expect("described");
        assert!(store.sensor_sync_state("SH-A").expect("state").described);
    }

    #[test]
    fn choosing_moves_the_choice_in_one_transaction_and_a_refusal_keeps_it() {
        let mut store = paired(&["SH-A", "SH-B"]);
        let chosen = |store: &Store| -> Vec<String> {
            store
                .paired_sensors()
                .expect("list")
                .into_iter()
                .filter(|p| p.chosen_for_sessions)
                .map(|p| p.serial)
                .collect()
        };
        store.choose_sensor_for_sessions(Some("SH-A")).expect("A");
        store.choose_sensor_for_sessions(Some("SH-B")).expect("B");
        assert_eq!(chosen(&store), ["SH-B"]);
        assert!(store.choose_sensor_for_sessions(Some("SH-C")).is_err());
        assert_eq!(chosen(&store), ["SH-B"], "the refusal changed nothing");
        store.choose_sensor_for_sessions(None).expect("none");
        assert!(chosen(&store).is_empty());
    }
}
