//! Syncing a simulated sensor into the store, with and without faults.

mod common;

use std::collections::BTreeSet;

use common::{World, start};
use second_heart_core::app::{accept_sensor_reset, forget_sensor};
use second_heart_core::sensor::sim::{DayScript, FaultPlan, LinkConfig, SensorConfig};
use second_heart_core::sensor::sync::{ProtocolError, SyncConfig, SyncError};

#[test]
fn a_clean_sync_stores_a_whole_day_with_true_times() {
    let script = DayScript::typical_day(start());
    let mut world = World::new(
        &script,
        SensorConfig {
            drift_ppm: 80.0,
            ..SensorConfig::default()
        },
    );
    let run = world.sync(LinkConfig::phone(247), FaultPlan::none(), 1);
    let report = run.result.expect("sync succeeds");
    assert!(report.records_stored > 900, "{report:?}");
    assert!(report.gaps.is_empty());
    assert_eq!(report.connections, 1);
    world.check_exactly_once();
    // Everything fetched was deleted on the sensor.
    assert!(world.sensor.held().all(|r| r.seq > report.high_water));
}

#[test]
fn a_second_sync_fetches_only_what_is_new() {
    let script = DayScript::typical_day(start());
    let mut world = World::new(&script, SensorConfig::default());
    let first = world
        .sync(LinkConfig::phone(247), FaultPlan::none(), 1)
        .result
        .expect("first");
    let second = world
        .sync(LinkConfig::phone(247), FaultPlan::none(), 2)
        .result
        .expect("second");
    assert!(second.records_stored < 10, "{second:?}");
    assert_eq!(second.duplicates_ignored, 0);
    assert!(second.high_water > first.high_water);
    world.check_exactly_once();
}

#[test]
fn disconnects_mid_transfer_resume_without_loss_or_doubling() {
    let script = DayScript::typical_day(start());
    let mut world = World::new(&script, SensorConfig::default());
    let faults =
        FaultPlan::parse("disconnect@3000,disconnect@9000,disconnect@20000").expect("spec");
    let report = world
        .sync(LinkConfig::phone(23), faults, 3)
        .result
        .expect("sync succeeds");
    assert_eq!(report.connections, 4, "{report:?}");
    world.check_exactly_once();
}

#[test]
fn records_a_bonded_sensor_pushes_unasked_at_each_connection_are_stored_once_in_their_round() {
    let script = DayScript::typical_day(start());
    let mut world = World::new(&script, SensorConfig::default());
    let faults = FaultPlan::parse("push=6,disconnect@2000,disconnect@7000").expect("spec");
    let report = world
        .sync(LinkConfig::phone(23), faults, 4)
        .result
        .expect("sync succeeds");
    assert_eq!(report.connections, 3, "{report:?}");
    assert!(report.records_stored > 900, "{report:?}");
    // The pushed records were not counted as duplicates either: they were
    // never taken, and came once each in the round that asked for them.
    assert_eq!(report.duplicates_ignored, 0, "{report:?}");
    world.check_exactly_once();
}

#[test]
fn a_full_sensor_reports_the_overwritten_records_as_a_gap() {
    let script = DayScript::typical_day(start());
    let mut world = World::new(
        &script,
        SensorConfig {
            capacity: 500,
            ..SensorConfig::default()
        },
    );
    let report = world
        .sync(LinkConfig::phone(247), FaultPlan::none(), 4)
        .result
        .expect("sync");
    assert_eq!(report.gaps.len(), 1);
    assert_eq!(
        report.gap_records(),
        world.sensor.overwritten().len() as u64
    );
    world.check_exactly_once();
}

#[test]
fn a_full_sensor_s_overwrite_count_is_kept_with_the_mark() {
    let script = DayScript::typical_day(start());
    let mut world = World::new(
        &script,
        SensorConfig {
            capacity: 500,
            ..SensorConfig::default()
        },
    );
    world
        .sync(LinkConfig::phone(247), FaultPlan::none(), 4)
        .result
        .expect("sync");
    let serial = world.sensor.serial().to_owned();
    let state = world.store.sensor_sync_state(&serial).expect("state");
    assert_eq!(state.dropped_seen, world.sensor.status().dropped_total);
    assert!(state.dropped_seen > 0);
}

#[test]
fn a_sensor_forgotten_and_paired_again_reports_nothing_lost() {
    // Its records were fetched and cleared on the sensor; forgetting it
    // deletes them here. Paired again, the sensor holds only what came
    // after: the records before are gone from both, but not lost on a full
    // sensor, and the sync must not say so.
    let script = DayScript::typical_day(start());
    let mut world = World::new(&script, SensorConfig::default());
    let first = world
        .sync(LinkConfig::phone(247), FaultPlan::none(), 1)
        .result
        .expect("first");
    let serial = world.sensor.serial().to_owned();
    forget_sensor(&mut world.store, &serial).expect("forget");
    let again = world
        .sync(LinkConfig::phone(247), FaultPlan::none(), 2)
        .result
        .expect("again");
    assert!(again.gaps.is_empty(), "{again:?}");
    assert_eq!(again.records_not_held, first.high_water);
    assert!(again.high_water > first.high_water);
    let summary = world
        .store
        .sensor_summary(&serial)
        .expect("summary")
        .expect("known");
    assert_eq!(summary.gap_records, 0);
    assert_eq!(summary.high_water, again.high_water);
}

#[test]
fn a_reboot_mid_sync_starts_a_new_epoch_and_times_stay_right() {
    let script = DayScript::typical_day(start());
    let mut world = World::new(
        &script,
        SensorConfig {
            drift_ppm: -100.0,
            ..SensorConfig::default()
        },
    );
    let faults = FaultPlan::parse("reboot@8000").expect("spec");
    let report = world
        .sync(LinkConfig::phone(247), faults, 5)
        .result
        .expect("sync");
    assert!(report.connections >= 2);
    let epochs: BTreeSet<u16> = world
        .store
        .sensor_records(world.sensor.serial())
        .expect("records")
        .iter()
        .map(|r| r.record.epoch)
        .collect();
    assert_eq!(epochs, BTreeSet::from([1, 2]));
    world.check_exactly_once();
}

#[test]
fn lossy_links_with_corruption_duplicates_and_reordering_still_deliver_exactly_once() {
    let script = DayScript::typical_day(start());
    let mut world = World::new(
        &script,
        SensorConfig {
            drift_ppm: 40.0,
            ..SensorConfig::default()
        },
    );
    let faults = FaultPlan::parse("drop=0.05,dup=0.05,reorder=0.05,corrupt=0.02,connfail=0.3")
        .expect("spec");
    let report = world
        .sync(LinkConfig::phone(23), faults, 6)
        .result
        .expect("sync");
    assert!(report.corrupt_records > 0, "{report:?}");
    assert!(
        report.duplicates_ignored > 0,
        "the duplicates that arrived are counted: {report:?}"
    );
    world.check_exactly_once();
}

#[test]
fn a_sensor_that_never_answers_ends_in_a_clear_error() {
    let script = DayScript::typical_day(start());
    let mut world = World::new(&script, SensorConfig::default());
    let run = world.sync(
        LinkConfig::phone(247),
        FaultPlan::parse("connfail=1").expect("spec"),
        7,
    );
    let error = run.result.expect_err("cannot connect");
    assert!(error.to_string().contains("GATT status 133"), "{error}");
    assert!(
        run.elapsed_ms < 5.0 * 60_000.0,
        "gave up within minutes: {}",
        run.elapsed_ms
    );
}

#[test]
fn the_transfer_of_a_12_hour_flight_runs_near_the_link_capacity() {
    for mtu in [23, 247] {
        let script = DayScript::long_flight(start(), 12.0);
        let mut world = World::new(&script, SensorConfig::default());
        let link = LinkConfig::phone(mtu);
        let run = world.sync(link, FaultPlan::none(), 8);
        let report = run.result.expect("sync");
        let ideal_ms =
            f64::from(report.records_stored) * 20.0 / link.record_capacity_bytes_per_s() * 1000.0;
        let ratio = run.transfer_ms / ideal_ms;
        println!(
            "MTU {mtu}: {} records, transfer {:.0} ms, link capacity {ideal_ms:.0} ms, ratio {ratio:.3}",
            report.records_stored, run.transfer_ms
        );
        assert!(ratio <= 1.25, "MTU {mtu}: ratio {ratio:.3}");
    }
}

#[test]
fn a_time_zone_change_between_syncs_changes_no_stored_time() {
    // Paired in Frankfurt (UTC+1), synced again after landing in Los Angeles (UTC−8).
    let script = DayScript::long_flight(start(), 11.0);
    let mut world = World::new(
        &script,
        SensorConfig {
            drift_ppm: 60.0,
            ..SensorConfig::default()
        },
    );
    let frankfurt = SyncConfig {
        local_offset_seconds: 3600,
        ..SyncConfig::default()
    };
    let los_angeles = SyncConfig {
        local_offset_seconds: -8 * 3600,
        ..SyncConfig::default()
    };
    world
        .sync_with(LinkConfig::phone(247), FaultPlan::none(), 9, frankfurt)
        .result
        .expect("sync");
    let before = world
        .store
        .sensor_records(world.sensor.serial())
        .expect("records");
    world.now_ms += 3_600_000;
    world
        .sync_with(LinkConfig::phone(247), FaultPlan::none(), 10, los_angeles)
        .result
        .expect("sync");
    let after = world
        .store
        .sensor_records(world.sensor.serial())
        .expect("records");
    assert_eq!(
        &after[..before.len()],
        &before[..],
        "stored UTC times never move"
    );
    assert!(after.len() > before.len());
    world.check_exactly_once();
}

/// A sensor whose firmware fails after the clock write on every
/// connection: the sync ends within bounded (virtual) time, with a typed
/// error naming what the sensor did, and keeps what arrived intact.
fn buggy_firmware(spec: &str) -> SyncError {
    let script = DayScript::typical_day(start());
    let mut world = World::new(&script, SensorConfig::default());
    let run = world.sync(
        LinkConfig::phone(247),
        FaultPlan::parse(spec).expect("spec"),
        11,
    );
    let error = run
        .result
        .expect_err("a buggy firmware cannot finish a sync");
    let SyncError::GaveUp { attempts, last } = &error else {
        panic!("{spec}: expected GaveUp, got {error:?}");
    };
    let config = SyncConfig::default();
    assert_eq!(*attempts, config.max_attempts_without_progress, "{spec}");
    assert!(
        run.elapsed_ms < 5.0 * 60_000.0,
        "{spec}: gave up within minutes, not {} ms",
        run.elapsed_ms
    );
    let message = error.to_string();
    assert!(
        !message.contains("dropped the link"),
        "{spec}: the sensor never dropped the link: {message}"
    );
    world.check_exactly_once();
    *last.clone()
}

#[test]
fn a_garbage_racp_response_ends_the_sync_naming_it() {
    let last = buggy_firmware("racp=garbage");
    assert!(
        matches!(
            last,
            SyncError::Protocol(ProtocolError::BadRacpResponse { .. })
        ),
        "{last:?}"
    );
    assert!(last.to_string().contains("no RACP response"), "{last}");
}

#[test]
fn a_response_to_the_wrong_request_ends_the_sync_naming_it() {
    let last = buggy_firmware("racp=wrong-op");
    assert!(
        matches!(
            last,
            SyncError::Protocol(ProtocolError::WrongRacpResponse { .. })
        ),
        "{last:?}"
    );
}

#[test]
fn records_without_a_racp_response_end_the_sync_naming_it() {
    let last = buggy_firmware("racp=silent");
    let SyncError::Protocol(ProtocolError::NoRacpResponse { received, .. }) = last else {
        panic!("{last:?}");
    };
    assert!(received > 0, "records came: {received}");
}

#[test]
fn a_status_that_claims_records_it_never_sends_ends_the_sync_naming_it() {
    let last = buggy_firmware("inflate=5000");
    let SyncError::Protocol(ProtocolError::MissingRecords {
        newest, received, ..
    }) = last
    else {
        panic!("{last:?}");
    };
    assert!(newest > 5000);
    assert_eq!(received, 0);
}

#[test]
fn a_bad_batch_crc_ends_the_sync_naming_it_and_stores_none_of_the_batch() {
    let script = DayScript::typical_day(start());
    let mut world = World::new(&script, SensorConfig::default());
    let before = world
        .store
        .sensor_records(world.sensor.serial())
        .expect("records")
        .len();
    let run = world.sync(
        LinkConfig::phone(247),
        FaultPlan::parse("racp=bad-crc32").expect("spec"),
        12,
    );
    let Err(SyncError::GaveUp { last, .. }) = &run.result else {
        panic!("{:?}", run.result);
    };
    assert!(
        matches!(
            **last,
            SyncError::Protocol(ProtocolError::BatchCrcMismatch { .. })
        ),
        "{last:?}"
    );
    let after = world
        .store
        .sensor_records(world.sensor.serial())
        .expect("records")
        .len();
    assert_eq!(after, before, "no record of a batch that failed its CRC-32");
    world.check_exactly_once();
}

#[test]
fn a_different_sensor_than_the_one_asked_for_is_never_synced() {
    let script = DayScript::typical_day(start());
    let mut world = World::new(&script, SensorConfig::default());
    world.sensor.advance_to(world.now_ms);
    let held_before = world.sensor.held().count();
    let config = SyncConfig {
        expected_serial: Some("SH-SOMEONE-ELSE".into()),
        ..SyncConfig::default()
    };
    let run = world.sync_with(LinkConfig::phone(247), FaultPlan::none(), 13, config);
    assert_eq!(
        run.result,
        Err(SyncError::WrongSensor {
            expected: "SH-SOMEONE-ELSE".into(),
            found: world.sensor.serial().to_owned(),
        })
    );
    // Nothing deleted on the sensor (its clock was not even set).
    assert_eq!(world.sensor.held().count(), held_before);
}

#[test]
fn a_status_that_says_nothing_is_held_at_boot_moves_no_mark_past_records_never_read() {
    // A firmware that reads its memory late at boot: the first Status says
    // no record is held. The sensor counts the records it still has, so the
    // mark stays; the next connection's Status lists them.
    let script = DayScript::typical_day(start());
    let mut world = World::new(&script, SensorConfig::default());
    let report = world
        .sync(
            LinkConfig::phone(247),
            FaultPlan::parse("empty=1").expect("spec"),
            13,
        )
        .result
        .expect("sync succeeds");
    assert!(report.records_stored > 900, "{report:?}");
    assert_eq!(report.records_not_held, 0, "{report:?}");
    assert!(report.gaps.is_empty(), "{report:?}");
    assert_eq!(report.connections, 2, "{report:?}");
    world.check_exactly_once();
}

#[test]
fn a_status_that_always_says_nothing_is_held_ends_the_sync_and_deletes_nothing() {
    let script = DayScript::typical_day(start());
    let mut world = World::new(&script, SensorConfig::default());
    let held: BTreeSet<u32> = world.sensor.held().map(|r| r.seq).collect();
    let run = world.sync(
        LinkConfig::phone(247),
        FaultPlan::parse("empty=1000").expect("spec"),
        14,
    );
    let Err(SyncError::GaveUp { last, .. }) = &run.result else {
        panic!("{:?}", run.result);
    };
    assert!(
        matches!(
            **last,
            SyncError::Protocol(ProtocolError::StatusHidesRecords { first, last, counted })
                if counted == last - first + 1
        ),
        "{last:?}"
    );
    let still: BTreeSet<u32> = world.sensor.held().map(|r| r.seq).collect();
    assert!(still.is_superset(&held), "every record stays on the sensor");
    // Once the firmware says what it holds, they all come.
    world
        .sync(LinkConfig::phone(247), FaultPlan::none(), 15)
        .result
        .expect("sync succeeds");
    world.check_exactly_once();
}

#[test]
fn a_reset_sensor_accepted_as_such_syncs_afresh_and_keeps_its_history() {
    let script = DayScript::typical_day(start());
    let mut world = World::new(&script, SensorConfig::default());
    world
        .sync(LinkConfig::phone(247), FaultPlan::none(), 21)
        .result
        .expect("the first day");
    let serial = world.sensor.serial().to_owned();
    let before = world.store.sensor_records(&serial).expect("records").len();
    // Reset the next day: numbering and clock start again, and two hours
    // later it holds fewer records than the phone stored.
    let next = DayScript::long_flight(script.end() + chrono::Duration::hours(12), 2.0);
    world.sensor = second_heart_core::sensor::sim::SimSensor::new(SensorConfig::default(), &next);
    world.now_ms = next.end().timestamp_millis() + 60_000;
    let refused = world.sync(LinkConfig::phone(247), FaultPlan::none(), 22);
    assert!(
        matches!(refused.result, Err(SyncError::SensorReset { .. })),
        "{:?}",
        refused.result
    );
    let aside = accept_sensor_reset(&mut world.store, &serial).expect("accepted");
    assert_eq!(aside, format!("{serial}~1"));
    let report = world
        .sync(LinkConfig::phone(247), FaultPlan::none(), 23)
        .result
        .expect("syncs afresh");
    assert!(report.records_stored > 100, "{report:?}");
    world.check_exactly_once();
    // The first day's records are kept, under the name set aside.
    assert_eq!(
        world.store.sensor_records(&aside).expect("kept").len(),
        before
    );
    // Forgetting the sensor takes both.
    let removed = forget_sensor(&mut world.store, &serial).expect("forgotten");
    assert_eq!(removed as usize, before + report.records_stored as usize);
    assert!(world.store.sensor_records(&aside).expect("none").is_empty());
    // A sensor no longer known here is refused.
    assert!(accept_sensor_reset(&mut world.store, &serial).is_err());
}

#[test]
fn a_record_damaged_on_the_sensor_is_skipped_as_lost_and_the_rest_stored() {
    let script = DayScript::typical_day(start());
    let mut world = World::new(&script, SensorConfig::default());
    let damaged = world.sensor.status().oldest_seq + 40;
    let report = world
        .sync(
            LinkConfig::phone(247),
            FaultPlan::parse(&format!("damage={damaged}")).expect("spec"),
            24,
        )
        .result
        .expect("sync succeeds");
    assert_eq!(report.records_damaged, 1, "{report:?}");
    assert_eq!(report.gaps, vec![(damaged, damaged)], "{report:?}");
    assert!(report.records_stored > 900, "{report:?}");
    world.damaged = vec![damaged];
    world.check_exactly_once();
    let serial = world.sensor.serial().to_owned();
    let state = world.store.sensor_sync_state(&serial).expect("state");
    assert_eq!(state.damaged_skipped, 1, "counted against the allowance");
}

#[test]
fn records_kept_at_a_reset_that_was_a_glitch_are_not_counted_lost_when_the_ring_overwrites_them() {
    // A full sensor; a record of the sync arrives damaged, so the records
    // behind it wait, and the next two Status reads show a reset (a glitch
    // that outlasts the engine's second look): they are stored, the mark
    // left below the damaged one.
    let script = DayScript::typical_day(start());
    let mut world = World::new(
        &script,
        SensorConfig {
            capacity: 300,
            ..SensorConfig::default()
        },
    );
    world.sensor.advance_to(world.now_ms);
    let damaged = world.sensor.status().oldest_seq + 5;
    let faults = FaultPlan::parse(&format!("damage={damaged},glitch=2,glitch=3")).expect("spec");
    let glitch = world.sync(LinkConfig::phone(247), faults, 25);
    assert!(
        matches!(glitch.result, Err(SyncError::SensorReset { .. })),
        "{:?}",
        glitch.result
    );
    let serial = world.sensor.serial().to_owned();
    let state = world.store.sensor_sync_state(&serial).expect("state");
    assert!(state.high_water < damaged, "the mark stays below it");
    assert!(!state.stored_above_mark.contains(&damaged));
    assert!(state.stored_above_mark.contains(&(damaged + 1)));
    world.check_exactly_once();
    // Twenty minutes on, the full ring has overwritten the damaged record
    // and some of those stored above the mark; the next sync counts lost
    // only the records up to it that the phone does not hold.
    world.now_ms += 20 * 60_000;
    let report = world
        .sync(LinkConfig::phone(247), FaultPlan::none(), 26)
        .result
        .expect("sync succeeds");
    assert!(world.sensor.overwritten().contains(&(damaged + 1)));
    let not_held = (state.high_water + 1..=damaged)
        .filter(|seq| !state.stored_above_mark.contains(seq))
        .count();
    assert_eq!(report.gap_records(), not_held as u64, "{report:?}");
    assert!(report.gaps.contains(&(damaged, damaged)), "{report:?}");
    assert_eq!(report.records_not_held, 0, "{report:?}");
    world.check_exactly_once();
}

#[test]
fn a_status_read_that_shows_a_reset_once_is_read_again_and_the_sync_goes_on() {
    let script = DayScript::typical_day(start());
    let mut world = World::new(&script, SensorConfig::default());
    let report = world
        .sync(
            LinkConfig::phone(247),
            FaultPlan::parse("glitch=1").expect("spec"),
            27,
        )
        .result
        .expect("no reset is said");
    assert!(report.records_stored > 900, "{report:?}");
    assert!(report.gaps.is_empty(), "{report:?}");
    world.check_exactly_once();
}
