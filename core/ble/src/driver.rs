//! Runs the sans-IO sync engine over a [`GattLink`].

use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;

use second_heart_core::Store;
use second_heart_core::sensor::sync::{
    Action, Commit, CommitOutcome, DeviceSyncState, Event, GattError, Millis, Progress, SyncConfig,
    SyncEngine, SyncError, SyncReport,
};
use tokio::time::{Instant, sleep_until};
use tokio_util::sync::CancellationToken;

use crate::link::{BleError, GattLink, LinkEvent};

/// Where a sync keeps its state. Each call is short and synchronous; no
/// lock is held across an await, so the sync's future can move between
/// threads.
pub trait SyncStore {
    /// What is known of the device `serial`.
    fn load(&self, serial: &str) -> Result<DeviceSyncState, String>;
    /// Stores one sync step in one transaction.
    fn commit(&self, commit: &Commit, now_utc_ms: Millis) -> Result<CommitOutcome, String>;
}

impl SyncStore for Mutex<Store> {
    fn load(&self, serial: &str) -> Result<DeviceSyncState, String> {
        let store = self.lock().unwrap_or_else(|poison| poison.into_inner());
        store.sensor_sync_state(serial).map_err(|e| e.to_string())
    }

    fn commit(&self, commit: &Commit, now_utc_ms: Millis) -> Result<CommitOutcome, String> {
        let mut store = self.lock().unwrap_or_else(|poison| poison.into_inner());
        store
            .commit_sync(commit, now_utc_ms)
            .map_err(|e| e.to_string())
    }
}

/// The phone's UTC now, Unix ms: the engine's clock.
fn now_ms() -> Millis {
    chrono::Utc::now().timestamp_millis()
}

/// Syncs the sensor behind `link` into `store` until the engine finishes,
/// the user cancels (`cancel`), or it gives up. `on_progress` hears every
/// change of progress.
pub async fn drive_sync<L: GattLink>(
    link: &mut L,
    store: &impl SyncStore,
    config: SyncConfig,
    cancel: &CancellationToken,
    mut on_progress: impl FnMut(Progress),
) -> Result<SyncReport, SyncError> {
    let op_timeout = Duration::from_millis(config.op_timeout_ms.max(1).unsigned_abs());
    let mut engine = SyncEngine::new(config);
    let mut last_progress = Progress::default();
    // Once the engine has ended (cancelled, failed), its last actions (the
    // RACP Abort, the disconnect) must still reach the sensor although the
    // user's token is cancelled: only their timeout bounds them.
    let teardown = CancellationToken::new();
    loop {
        while let Some(action) = engine.poll_action() {
            let token = if engine.outcome().is_some() {
                &teardown
            } else {
                cancel
            };
            if let Some(event) = perform(link, store, action, op_timeout, token).await {
                engine.handle(now_ms(), event);
            }
        }
        let progress = engine.progress();
        if progress != last_progress {
            on_progress(progress);
            last_progress = progress;
        }
        if let Some(outcome) = engine.outcome() {
            let outcome = outcome.clone();
            if outcome.is_err() {
                let _ = tokio::time::timeout(op_timeout, link.disconnect()).await;
            }
            return outcome;
        }
        // The engine's deadline is wall-clock ms; sleep until then.
        let wake = engine.poll_timeout().map(|deadline| {
            let wait = (deadline - now_ms()).max(0).unsigned_abs();
            Instant::now() + Duration::from_millis(wait)
        });
        tokio::select! {
            () = cancel.cancelled() => engine.handle(now_ms(), Event::Cancel),
            event = link.next_event() => engine.handle(now_ms(), match event {
                LinkEvent::Notification { characteristic, value } => Event::Notification { characteristic, value },
                LinkEvent::Disconnected => Event::Disconnected,
            }),
            () = sleep_or_forever(wake) => engine.handle_timeout(now_ms()),
        }
    }
}

async fn sleep_or_forever(wake: Option<Instant>) {
    match wake {
        Some(at) => sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// Runs `operation` unless it times out or the user cancels.
async fn bounded<T>(
    operation: impl Future<Output = Result<T, BleError>>,
    what: &str,
    timeout: Duration,
    cancel: &CancellationToken,
) -> Option<Result<T, GattError>> {
    tokio::select! {
        () = cancel.cancelled() => None,
        result = tokio::time::timeout(timeout, operation) => Some(match result {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) => Err(GattError(error.to_string())),
            Err(_) => Err(GattError(BleError::Timeout(what.to_owned()).to_string())),
        }),
    }
}

/// Carries out one action; returns the event that answers it (`Cancel`
/// when the user cancelled meanwhile).
async fn perform<L: GattLink>(
    link: &mut L,
    store: &impl SyncStore,
    action: Action,
    timeout: Duration,
    cancel: &CancellationToken,
) -> Option<Event> {
    let cancelled = || Some(Event::Cancel);
    match action {
        Action::Connect => match bounded(link.connect(), "connecting", timeout * 3, cancel).await {
            None => cancelled(),
            Some(Ok(())) => Some(Event::Connected),
            Some(Err(error)) => Some(Event::ConnectFailed(error.0)),
        },
        Action::ExchangeMtu(_) => Some(Event::MtuChanged(link.mtu())),
        Action::Read(characteristic) => {
            let result = bounded(link.read(characteristic), "reading", timeout, cancel).await?;
            Some(Event::ReadDone {
                characteristic,
                result,
            })
        }
        Action::Write {
            characteristic,
            value,
        } => {
            let result = bounded(
                link.write(characteristic, &value),
                "writing",
                timeout,
                cancel,
            )
            .await?;
            Some(Event::WriteDone {
                characteristic,
                result,
            })
        }
        Action::Subscribe(characteristic) => {
            let result = bounded(
                link.subscribe(characteristic),
                "subscribing",
                timeout,
                cancel,
            )
            .await?;
            Some(Event::Subscribed {
                characteristic,
                result,
            })
        }
        Action::Disconnect => {
            let _ = bounded(link.disconnect(), "disconnecting", timeout, cancel).await;
            Some(Event::Disconnected)
        }
        Action::LoadState { serial } => Some(Event::StateLoaded(store.load(&serial))),
        Action::Commit(commit) => Some(Event::Committed(store.commit(&commit, now_ms()))),
    }
}
