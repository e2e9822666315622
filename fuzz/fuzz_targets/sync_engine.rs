//! The sync engine driven by arbitrary events from the sensor's side
//! (reads, writes, notifications, disconnects, time passing), with a store
//! that commits whatever it is handed and may hold records above the mark
//! (as a sync stopped at a reset leaves). Invariants: no panic; no record is
//! deleted on the sensor before it is committed; nothing is committed twice;
//! no gap covers a record stored above the mark;
//! no more damaged records are skipped than the sensor's allowance (16 and
//! one per 100 records stored, over every sync); every run of events ends
//! (the engine's deadlines only move forward).
#![no_main]

use std::collections::BTreeSet;

use libfuzzer_sys::fuzz_target;
use second_heart_core::sensor::gatt::{RacpOperator, RacpRequest};
use second_heart_core::sensor::sync::{
    Action, CommitOutcome, DeviceSyncState, Event, GattError, SyncConfig, SyncEngine,
};
use second_heart_core::sensor::uuids;

/// Characteristics the engine reads, writes or hears from.
const CHARACTERISTICS: [uuid::Uuid; 8] = [
    uuids::SERIAL_NUMBER,
    uuids::STATUS,
    uuids::CURRENT_ELAPSED_TIME,
    uuids::RACP,
    uuids::RECORD,
    uuids::FIRMWARE_REVISION,
    uuids::MANUFACTURER_NAME,
    uuids::MODEL_NUMBER,
];

struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn u8(&mut self) -> Option<u8> {
        let (&first, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(first)
    }

    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes([self.u8()?, self.u8()?]))
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes([
            self.u8()?,
            self.u8()?,
            self.u8()?,
            self.u8()?,
        ]))
    }

    fn take(&mut self) -> Option<Vec<u8>> {
        let len = usize::from(self.u8()?).min(self.0.len());
        let (value, rest) = self.0.split_at(len);
        self.0 = rest;
        Some(value.to_vec())
    }
}

fuzz_target!(|data: &[u8]| {
    let mut input = Bytes(data);
    let Some(high_water) = input.u32() else {
        return;
    };
    let mut engine = SyncEngine::new(SyncConfig::default());
    let mut now = 0i64;
    let mut committed_mark = high_water;
    let mut committed: BTreeSet<u32> = BTreeSet::new();
    // Damaged records skipped by earlier syncs, from the mark's low bits
    // (the input's layout stays as the corpus has it).
    let damaged_before = high_water % 32;
    // Records an earlier sync stored above the mark (kept at a reset), from
    // the mark's next bits: they count as the phone's when the sensor no
    // longer holds them, never in a gap.
    let stored_above_mark: Vec<u32> = (0..8u32)
        .filter(|bit| (high_water >> (5 + bit)) & 1 == 1)
        .filter_map(|bit| high_water.checked_add(1 + 2 * bit))
        .collect();
    let mut damaged_now = 0u32;
    let mut steps = 0;
    while engine.outcome().is_none() && steps < 10_000 {
        steps += 1;
        // The store answers at once, as SQLite does.
        while let Some(action) = engine.poll_action() {
            match action {
                Action::LoadState { .. } => engine.handle(
                    now,
                    Event::StateLoaded(Ok(DeviceSyncState {
                        described: true,
                        high_water,
                        damaged_skipped: damaged_before,
                        stored_above_mark: stored_above_mark.clone(),
                        ..DeviceSyncState::default()
                    })),
                ),
                Action::Commit(commit) => {
                    let mut inserted = 0;
                    for record in &commit.records {
                        assert!(
                            committed.insert(record.seq),
                            "record {} committed twice",
                            record.seq
                        );
                        inserted += 1;
                    }
                    // The phone has those it stored above the mark: never
                    // counted lost.
                    for &(first, last) in &commit.gaps {
                        assert!(
                            !stored_above_mark
                                .iter()
                                .any(|seq| (first..=last).contains(seq)),
                            "a gap {first}–{last} over records stored above the mark"
                        );
                    }
                    committed_mark = committed_mark.max(commit.high_water);
                    damaged_now += commit.damaged;
                    let allowance = 16 + committed.len() as u32 / 100;
                    assert!(
                        damaged_now == 0 || damaged_before + damaged_now <= allowance,
                        "{damaged_now} damaged skipped after {damaged_before}, allowance {allowance}"
                    );
                    engine.handle(
                        now,
                        Event::Committed(Ok(CommitOutcome {
                            inserted,
                            duplicates: 0,
                        })),
                    );
                }
                Action::Write {
                    characteristic,
                    value,
                } if characteristic == uuids::RACP => {
                    if let Ok(RacpRequest::Delete(operator)) = RacpRequest::parse(&value) {
                        let RacpOperator::AtMost(last) = operator else {
                            panic!("a delete of {operator:?}");
                        };
                        assert!(
                            last <= committed_mark,
                            "delete up to {last} before commit (mark {committed_mark})"
                        );
                    }
                }
                _ => {}
            }
        }
        let Some(kind) = input.u8() else {
            break;
        };
        let characteristic = CHARACTERISTICS[usize::from(kind >> 4) % CHARACTERISTICS.len()];
        let event = match kind % 12 {
            0 => Event::Connected,
            1 => Event::MtuChanged(input.u16().unwrap_or(23)),
            2 => Event::ReadDone {
                characteristic,
                result: Ok(input.take().unwrap_or_default()),
            },
            3 => Event::ReadDone {
                characteristic,
                result: Err(GattError::TimedOut),
            },
            4 => Event::WriteDone {
                characteristic,
                result: Ok(()),
            },
            5 => Event::Subscribed {
                characteristic,
                result: Ok(()),
            },
            6 | 7 => Event::Notification {
                characteristic: if kind % 12 == 6 {
                    uuids::RECORD
                } else {
                    uuids::RACP
                },
                value: input.take().unwrap_or_default(),
            },
            8 => Event::Disconnected,
            9 => Event::ConnectFailed(GattError::Failed("133".into())),
            10 => Event::Cancel,
            _ => {
                now += i64::from(input.u16().unwrap_or(1000)) * 10;
                engine.handle_timeout(now);
                continue;
            }
        };
        engine.handle(now, event);
        if let Some(deadline) = engine.poll_timeout() {
            assert!(deadline >= now, "a deadline in the past");
        }
    }
});
