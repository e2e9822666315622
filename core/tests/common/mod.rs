//! A simulated sensor paired with a store, and the checks every sync must pass.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use second_heart_core::Store;
use second_heart_core::sensor::sim::{
    DayScript, FaultPlan, LinkConfig, SensorConfig, SimLink, SimSensor, SimSyncRun, pair, run_sync,
};
use second_heart_core::sensor::sync::SyncConfig;

pub fn start() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-20T05:00:00Z")
        .expect("time")
        .to_utc()
}

pub struct World {
    pub sensor: SimSensor,
    pub store: Store,
    pub now_ms: i64,
    /// Records damaged in the sensor's memory: skipped as lost, in a gap,
    /// though the sensor held them.
    pub damaged: Vec<u32>,
    /// The most Status answers showing a reset (`glitch=N`) that reached
    /// the phone in a row in the last sync.
    pub glitched_status_in_a_row: u32,
}

impl World {
    /// A sensor paired (first sync, which anchors its clock) two minutes
    /// after it booted, then worn through `script`.
    pub fn new(script: &DayScript, sensor: SensorConfig) -> Self {
        let sensor = SimSensor::new(sensor, script);
        let mut world = Self {
            sensor,
            store: Store::open_in_memory().expect("store"),
            now_ms: script.end().timestamp_millis() + 60_000,
            damaged: Vec::new(),
            glitched_status_in_a_row: 0,
        };
        let booted = script.start.timestamp_millis();
        pair(
            &mut world.sensor,
            LinkConfig::phone(247),
            &mut world.store,
            booted,
        )
        .result
        .expect("pairing sync");
        world
    }

    pub fn sync(&mut self, link: LinkConfig, faults: FaultPlan, seed: u64) -> SimSyncRun {
        self.sync_with(link, faults, seed, SyncConfig::default())
    }

    pub fn sync_with(
        &mut self,
        link: LinkConfig,
        faults: FaultPlan,
        seed: u64,
        config: SyncConfig,
    ) -> SimSyncRun {
        let mut link = SimLink::new(link, faults, seed);
        let run = run_sync(
            &mut self.sensor,
            &mut link,
            &mut self.store,
            config,
            self.now_ms,
            &mut |_| {},
        );
        self.now_ms += run.elapsed_ms.ceil() as i64 + 60_000;
        self.glitched_status_in_a_row = link.most_glitched_status_answers_in_a_row();
        run
    }

    /// Every record the sensor wrote is stored once with its true time
    /// (±1 s), or was overwritten (or is one of [`Self::damaged`]) and is
    /// inside a recorded gap.
    pub fn check_exactly_once(&self) {
        let serial = self.sensor.serial().to_owned();
        let stored = self.store.sensor_records(&serial).expect("records");
        let gaps = self.store.sensor_gaps(&serial).expect("gaps");
        let in_gap = |seq: u32| gaps.iter().any(|(a, b)| (*a..=*b).contains(&seq));
        let stored_seqs: Vec<u32> = stored.iter().map(|r| r.record.seq).collect();
        let unique: BTreeSet<u32> = stored_seqs.iter().copied().collect();
        assert_eq!(unique.len(), stored_seqs.len(), "a record is stored twice");
        let high_water = self
            .store
            .sensor_summary(&serial)
            .expect("summary")
            .expect("known")
            .high_water;
        let mut lost = 0u64;
        for seq in self.sensor.written().filter(|&s| s <= high_water) {
            match (unique.contains(&seq), in_gap(seq)) {
                (true, false) => {}
                (false, true) => {
                    assert!(
                        self.sensor.overwritten().contains(&seq) || self.damaged.contains(&seq),
                        "record {seq} is counted as lost but the sensor still had it"
                    );
                    lost += 1;
                }
                (false, false) => panic!("record {seq} was lost without a trace"),
                (true, true) => panic!("record {seq} is stored and counted as lost"),
            }
        }
        let gap_total: u64 = gaps.iter().map(|(a, b)| u64::from(b - a) + 1).sum();
        assert_eq!(
            gap_total, lost,
            "gaps count exactly the records lost on the sensor"
        );
        // Placed within 1 s where anchors surround a record; elsewhere the
        // crystal's drift (at most 100 ppm) from the nearest anchor adds up.
        let anchors = self
            .store
            .sensor_sync_state(&serial)
            .expect("state")
            .anchors;
        for stored in &stored {
            let record = stored.record;
            let truth = self.sensor.truth_ms(record.seq).expect("written");
            let utc = stored.utc_ms.expect("every record has a time");
            let ticks_ms = u64::from(record.ticks_s) * 1000;
            let epoch: Vec<u64> = anchors
                .iter()
                .filter(|a| a.epoch == record.epoch)
                .map(|a| a.ticks_ms)
                .collect();
            let surrounded =
                epoch.iter().any(|&t| t <= ticks_ms) && epoch.iter().any(|&t| t >= ticks_ms);
            let tolerance = if surrounded {
                1000.0
            } else {
                let nearest = epoch
                    .iter()
                    .map(|&t| t.abs_diff(ticks_ms))
                    .min()
                    .expect("epoch anchored");
                1000.0 + 100e-6 * nearest as f64
            };
            assert!(
                ((utc - truth) as f64).abs() <= tolerance,
                "record {} is at {utc}, truly {truth} ({} ms off, allowed {tolerance:.0})",
                record.seq,
                utc - truth
            );
        }
    }
}
