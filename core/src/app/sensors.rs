//! Paired sensors as the apps list them (with what is stored from each and
//! the battery the last sync read), and forgetting one. Pairing, syncing and
//! live data need a radio: they are in `second-heart-ble`.

use chrono::{DateTime, Utc};

use super::{SecondHeart, SensorState};
use crate::Result;
use crate::store::SensorSummary;

/// Paired sensors.
#[derive(Debug, Clone)]
pub struct SensorsService {
    app: SecondHeart,
}

impl SensorsService {
    pub(super) fn new(app: SecondHeart) -> Self {
        Self { app }
    }

    /// The paired sensors, by serial, each with what is stored from it and
    /// its battery as the last sync read it.
    pub fn paired(&self) -> Result<Vec<SensorState>> {
        sensor_states(&self.app.locked_store())
    }

    /// What is stored from sensor `serial` (paired or not), if anything.
    pub fn summary(&self, serial: &str) -> Result<Option<SensorSummary>> {
        self.app.locked_store().sensor_summary(serial)
    }

    /// Forgets sensor `serial` and deletes its records; returns how many.
    pub fn forget(&self, serial: &str) -> Result<u64> {
        let removed = self.app.locked_store().forget_sensor(serial)?;
        self.app.changed();
        Ok(removed)
    }
}

/// The paired sensors joined with their stored records.
pub(super) fn sensor_states(store: &crate::Store) -> Result<Vec<SensorState>> {
    store
        .paired_sensors()?
        .into_iter()
        .map(|paired| {
            let summary = store.sensor_summary(&paired.serial)?;
            let at = |ms: Option<i64>| ms.and_then(DateTime::<Utc>::from_timestamp_millis);
            Ok(SensorState {
                last_sync: at(paired.last_sync_utc_ms),
                battery_read: at(paired.battery_utc_ms),
                battery_percent: paired.battery_percent,
                records: summary.as_ref().map_or(0, |s| s.records),
                gap_records: summary.as_ref().map_or(0, |s| s.gap_records),
                serial: paired.serial,
                address: paired.address,
                model: paired.model,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::app::FixedClock;
    use crate::sensor::sim::{DayScript, LinkConfig, SensorConfig, SimSensor, pair};
    use crate::test_support::utc;

    #[test]
    fn the_paired_list_joins_each_sensor_with_its_records_and_battery() {
        let clock = FixedClock {
            at: utc("2026-11-21T18:00:00Z"),
            zone: chrono_tz::Europe::Berlin,
        };
        let app = SecondHeart::open_in_memory(Arc::new(clock)).expect("database");
        assert!(app.sensors().paired().expect("list").is_empty());
        let start = utc("2026-11-21T06:00:00Z");
        let mut sensor = SimSensor::new(
            SensorConfig {
                serial: "SH-LIST".into(),
                ..SensorConfig::default()
            },
            &DayScript::typical_day(start),
        );
        let booted = start.timestamp_millis() + 8 * 3_600_000;
        let run = {
            let mut store = app.store().lock().expect("store");
            let run = pair(&mut sensor, LinkConfig::phone(247), &mut store, booted);
            store
                .mark_paired("SH-LIST", "AA:01", booted)
                .expect("paired");
            run
        };
        let report = run.result.expect("synced");
        // 8 h of wear: the simulated battery has run down 4 %.
        assert_eq!(report.battery_percent, Some(96));
        let list = app.sensors().paired().expect("list");
        assert_eq!(list.len(), 1);
        let listed = &list[0];
        assert_eq!(
            (listed.serial.as_str(), listed.address.as_str()),
            ("SH-LIST", "AA:01")
        );
        assert_eq!(listed.records, u64::from(report.high_water));
        assert_eq!(listed.battery_percent, Some(96));
        assert!(listed.battery_read.is_some() && listed.battery_read == listed.last_sync);
        assert_eq!(
            app.today().view().expect("today").sensors,
            list,
            "Today shows the same sensors"
        );
        assert_eq!(
            app.sensors().forget("SH-LIST").expect("forgotten"),
            listed.records
        );
        assert!(app.sensors().paired().expect("list").is_empty());
    }
}
