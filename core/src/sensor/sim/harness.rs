//! Runs a sync against the simulated sensor on virtual time, into a store.

use serde::Serialize;

use super::faults::FaultPlan;
use super::link::{LinkConfig, SimLink};
use super::sensor::SimSensor;
use crate::Store;
use crate::app::commit_sensor_sync;
use crate::sensor::sync::{
    Action, Event, Operation, Progress, StorageError, SyncConfig, SyncEngine, SyncError, SyncReport,
};
use crate::sensor::uuids;

/// Virtual time a simulated sync may take before the harness calls it stuck.
const MAX_VIRTUAL_US: i64 = 6 * 3_600 * 1_000_000;

/// How a simulated sync went, with the link's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimSyncRun {
    /// What the engine reported.
    #[serde(serialize_with = "serialize_result")]
    pub result: Result<SyncReport, SyncError>,
    /// Virtual time from the first connect to the end, ms.
    pub elapsed_ms: f64,
    /// Virtual time from the first record request to the commit of the
    /// last record, ms: how long the user waits for the data.
    pub transfer_ms: f64,
    /// Bytes that reached the phone.
    pub bytes_to_phone: u64,
    /// Record notifications sent.
    pub record_notifications: u64,
}

fn serialize_result<S: serde::Serializer>(
    result: &Result<SyncReport, SyncError>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match result {
        Ok(report) => report.serialize(serializer),
        Err(error) => serializer.serialize_str(&error.to_string()),
    }
}

/// How long after the sensor boots the phone pairs with it.
pub const PAIRING_DELAY_MS: i64 = 120_000;

/// Pairs the phone with `sensor`: one quiet sync [`PAIRING_DELAY_MS`] after
/// it booted, which anchors the sensor's clock as pairing does in the app.
pub fn pair(
    sensor: &mut SimSensor,
    link: LinkConfig,
    store: &mut Store,
    booted_ms: i64,
) -> SimSyncRun {
    let mut quiet = SimLink::new(link, FaultPlan::none(), 0);
    let at = booted_ms + PAIRING_DELAY_MS;
    run_sync(
        sensor,
        &mut quiet,
        store,
        SyncConfig::default(),
        at,
        &mut |_| {},
    )
}

/// Drives `engine` against `sensor` over `link`, storing into `store`,
/// starting at true time `start_ms`. `on_progress` hears every change.
///
/// Storage errors reach the engine as a failed commit and end the sync
/// with [`SyncError::Storage`]; a harness that runs out of virtual time
/// (a bug in the engine: every sync must end) ends it with
/// [`SyncError::Timeout`] while idle.
pub fn run_sync(
    sensor: &mut SimSensor,
    link: &mut SimLink,
    store: &mut Store,
    config: SyncConfig,
    start_ms: i64,
    on_progress: &mut dyn FnMut(Progress),
) -> SimSyncRun {
    let mut engine = SyncEngine::new(config);
    let start_us = start_ms * 1000;
    let mut now_us = start_us;
    let mut first_request_us = None;
    let mut last_commit_us = None;
    let mut last_progress = Progress::default();
    sensor.advance_to(start_ms);
    loop {
        while let Some(action) = engine.poll_action() {
            let now_ms = now_us / 1000;
            let events = match action {
                Action::LoadState { serial } => vec![Event::StateLoaded(
                    store.sensor_sync_state(&serial).map_err(StorageError::from),
                )],
                Action::Commit(commit) => {
                    if !commit.records.is_empty() {
                        last_commit_us = Some(now_us);
                    }
                    vec![Event::Committed(
                        commit_sensor_sync(store, &commit, now_ms).map_err(StorageError::from),
                    )]
                }
                action => {
                    if first_request_us.is_none()
                        && matches!(&action, Action::Write { characteristic, .. } if *characteristic == uuids::RACP)
                    {
                        first_request_us = Some(now_us);
                    }
                    link.submit(now_us, action, sensor)
                }
            };
            for event in events {
                engine.handle(now_ms, event);
            }
        }
        let progress = engine.progress();
        if progress != last_progress {
            on_progress(progress);
            last_progress = progress;
        }
        if engine.outcome().is_some() {
            break;
        }
        let next = [
            link.next_event_us(now_us, sensor),
            engine.poll_timeout().map(|ms| ms * 1000),
        ]
        .into_iter()
        .flatten()
        .min();
        let Some(next) = next.filter(|&t| t - start_us <= MAX_VIRTUAL_US) else {
            engine.handle(now_us / 1000, Event::Cancel);
            break;
        };
        now_us = next.max(now_us);
        sensor.advance_to(now_us / 1000);
        for event in link.run(now_us, sensor) {
            engine.handle(now_us / 1000, event);
        }
        engine.handle_timeout(now_us / 1000);
    }
    let result = match engine.outcome() {
        Some(Ok(report)) => Ok(report.clone()),
        Some(Err(SyncError::Cancelled)) | None => Err(SyncError::Timeout {
            operation: Operation::Idle,
        }),
        Some(Err(error)) => Err(error.clone()),
    };
    SimSyncRun {
        result,
        elapsed_ms: (now_us - start_us) as f64 / 1000.0,
        transfer_ms: match (first_request_us, last_commit_us) {
            (Some(first), Some(last)) => (last - first) as f64 / 1000.0,
            _ => 0.0,
        },
        bytes_to_phone: link.bytes_to_phone(),
        record_notifications: link.record_notifications(),
    }
}
