//! Runs the sans-IO sync engine over a [`GattLink`].

use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;

use second_heart_core::Store;
use second_heart_core::app::SecondHeart;
use second_heart_core::sensor::sync::{
    Action, Commit, CommitOutcome, DeviceSyncState, Event, GattError, Millis, Progress,
    StorageError, SyncConfig, SyncEngine, SyncError, SyncReport,
};
use tokio::time::{Instant, sleep_until};
use tokio_util::sync::CancellationToken;

use crate::link::{BleError, GattLink, LinkEvent};

/// Where a sync keeps its state. Each call is short and synchronous; no
/// lock is held across an await, so the sync's future can move between
/// threads.
pub trait SyncStore {
    /// What is known of the device `serial`.
    fn load(&self, serial: &str) -> second_heart_core::Result<DeviceSyncState>;
    /// Stores one sync step in one transaction.
    fn commit(
        &self,
        commit: &Commit,
        now_utc_ms: Millis,
    ) -> second_heart_core::Result<CommitOutcome>;
    /// [`Self::commit`] for a pairing: the sensor, reached at `address`, is
    /// marked paired in the same transaction.
    fn commit_pairing(
        &self,
        commit: &Commit,
        address: &str,
        now_utc_ms: Millis,
    ) -> second_heart_core::Result<CommitOutcome>;
    /// Whether the user paired the sensor `serial`.
    fn is_paired(&self, serial: &str) -> second_heart_core::Result<bool>;
}

fn lock(store: &Mutex<Store>) -> std::sync::MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(|poison| poison.into_inner())
}

impl SyncStore for Mutex<Store> {
    fn load(&self, serial: &str) -> second_heart_core::Result<DeviceSyncState> {
        lock(self).sensor_sync_state(serial)
    }

    fn commit(
        &self,
        commit: &Commit,
        now_utc_ms: Millis,
    ) -> second_heart_core::Result<CommitOutcome> {
        second_heart_core::app::commit_sensor_sync(&mut lock(self), commit, now_utc_ms)
    }

    fn commit_pairing(
        &self,
        commit: &Commit,
        address: &str,
        now_utc_ms: Millis,
    ) -> second_heart_core::Result<CommitOutcome> {
        second_heart_core::app::commit_pairing_sync(&mut lock(self), commit, address, now_utc_ms)
    }

    fn is_paired(&self, serial: &str) -> second_heart_core::Result<bool> {
        Ok(lock(self)
            .find_paired(serial)?
            .is_some_and(|p| p.serial == serial))
    }
}

/// The app's store, each commit announced to the app's Today listeners
/// once it is stored: a sync of several rounds moves the rings and the
/// sensor's row round by round, not only when it ends.
impl SyncStore for SecondHeart {
    fn load(&self, serial: &str) -> second_heart_core::Result<DeviceSyncState> {
        self.store().load(serial)
    }

    fn commit(
        &self,
        commit: &Commit,
        now_utc_ms: Millis,
    ) -> second_heart_core::Result<CommitOutcome> {
        let outcome = self.store().commit(commit, now_utc_ms)?;
        self.changed();
        Ok(outcome)
    }

    fn commit_pairing(
        &self,
        commit: &Commit,
        address: &str,
        now_utc_ms: Millis,
    ) -> second_heart_core::Result<CommitOutcome> {
        let outcome = self.store().commit_pairing(commit, address, now_utc_ms)?;
        self.changed();
        Ok(outcome)
    }

    fn is_paired(&self, serial: &str) -> second_heart_core::Result<bool> {
        self.store().is_paired(serial)
    }
}

/// The engine's clock: the phone's UTC when the sync started, advanced by
/// the runtime's monotonic clock (so a wall-clock jump mid-sync moves no
/// deadline, and tests with paused time run on virtual time).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Clock {
    utc_at_start: Millis,
    started: Instant,
}

impl Clock {
    /// The phone's wall clock from now.
    pub(crate) fn start() -> Self {
        Self::starting_at(chrono::Utc::now().timestamp_millis())
    }

    /// A clock that reads `utc_ms` now (the app's clock, which may be
    /// fixed in a demo or a test).
    pub(crate) fn starting_at(utc_ms: Millis) -> Self {
        Self {
            utc_at_start: utc_ms,
            started: Instant::now(),
        }
    }

    /// The phone's UTC now, Unix ms.
    pub(crate) fn now_ms(&self) -> Millis {
        let elapsed = i64::try_from(self.started.elapsed().as_millis()).unwrap_or(i64::MAX);
        self.utc_at_start.saturating_add(elapsed)
    }

    /// The runtime instant of UTC `ms`.
    fn instant_at(&self, ms: Millis) -> Instant {
        let after = ms.saturating_sub(self.utc_at_start).max(0).unsigned_abs();
        self.started + Duration::from_millis(after)
    }
}

/// Syncs the sensor behind `link` into `store` until the engine finishes,
/// the user cancels (`cancel`), or it gives up; the link is dropped at the
/// end either way. `on_progress` hears every change of progress.
pub async fn drive_sync<L: GattLink>(
    link: &mut L,
    store: &impl SyncStore,
    config: SyncConfig,
    cancel: &CancellationToken,
    on_progress: impl FnMut(Progress),
) -> Result<SyncReport, SyncError> {
    drive(link, store, config, Clock::start(), cancel, on_progress).await
}

/// [`drive_sync`] on `clock`.
pub(crate) async fn drive<L: GattLink>(
    link: &mut L,
    store: &impl SyncStore,
    config: SyncConfig,
    clock: Clock,
    cancel: &CancellationToken,
    mut on_progress: impl FnMut(Progress),
) -> Result<SyncReport, SyncError> {
    let op_timeout = Duration::from_millis(config.op_timeout_ms.max(1).unsigned_abs());
    let mut engine = SyncEngine::new(config);
    let mut last_progress = Progress::default();
    // Once the sync has ended (cancelled, say), its last actions (the RACP
    // Abort, the disconnect) run to completion, bounded by their timeout.
    // The engine told of the cancel may still store what arrived intact
    // before it ends: its actions from then on are those last ones too.
    let ending = CancellationToken::new();
    let mut told_of_cancel = false;
    loop {
        while let Some(action) = engine.poll_action() {
            let token = if told_of_cancel || engine.outcome().is_some() {
                &ending
            } else {
                cancel
            };
            if let Some(event) = perform(link, store, action, op_timeout, token, &clock).await {
                told_of_cancel |= event == Event::Cancel;
                engine.handle(clock.now_ms(), event);
            }
        }
        let progress = engine.progress();
        if progress != last_progress {
            on_progress(progress);
            last_progress = progress;
        }
        if let Some(outcome) = engine.outcome() {
            let outcome = outcome.clone();
            let _ = tokio::time::timeout(op_timeout, link.disconnect()).await;
            return outcome;
        }
        let wake = engine
            .poll_timeout()
            .map(|deadline| clock.instant_at(deadline));
        tokio::select! {
            () = cancel.cancelled(), if !told_of_cancel => {
                told_of_cancel = true;
                engine.handle(clock.now_ms(), Event::Cancel);
            }
            event = link.next_event() => engine.handle(clock.now_ms(), match event {
                LinkEvent::Notification { characteristic, value } => Event::Notification { characteristic, value },
                LinkEvent::Disconnected => Event::Disconnected,
                LinkEvent::Failed(error) => Event::LinkFailed(GattError::Failed(error.to_string())),
            }),
            () = sleep_or_forever(wake) => engine.handle_timeout(clock.now_ms()),
        }
    }
}

/// Sleeps until `wake`, or for ever when there is nothing to wake for.
pub(crate) async fn sleep_or_forever(wake: Option<Instant>) {
    match wake {
        Some(at) => sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// Runs `operation` unless it times out or the user cancels (`None`).
pub(crate) async fn bounded<T>(
    operation: impl Future<Output = Result<T, BleError>>,
    timeout: Duration,
    cancel: &CancellationToken,
) -> Option<Result<T, GattError>> {
    tokio::select! {
        () = cancel.cancelled() => None,
        result = tokio::time::timeout(timeout, operation) => Some(match result {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) => Err(GattError::Failed(error.to_string())),
            Err(_) => Err(GattError::TimedOut),
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
    clock: &Clock,
) -> Option<Event> {
    let cancelled = || Some(Event::Cancel);
    match action {
        Action::Connect => match bounded(link.connect(), timeout * 3, cancel).await {
            None => cancelled(),
            Some(Ok(())) => Some(Event::Connected),
            Some(Err(error)) => Some(Event::ConnectFailed(error)),
        },
        Action::ExchangeMtu(_) => Some(Event::MtuChanged(link.mtu())),
        Action::Read(characteristic) => {
            let result = bounded(link.read(characteristic), timeout, cancel).await;
            Some(match result {
                None => Event::Cancel,
                Some(result) => Event::ReadDone {
                    characteristic,
                    result,
                },
            })
        }
        Action::Write {
            characteristic,
            value,
        } => {
            let result = bounded(link.write(characteristic, &value), timeout, cancel).await;
            Some(match result {
                None => Event::Cancel,
                Some(result) => Event::WriteDone {
                    characteristic,
                    result,
                },
            })
        }
        Action::Subscribe(characteristic) => {
            let result = bounded(link.subscribe(characteristic), timeout, cancel).await;
            Some(match result {
                None => Event::Cancel,
                Some(result) => Event::Subscribed {
                    characteristic,
                    result,
                },
            })
        }
        Action::Disconnect => {
            let _ = tokio::time::timeout(timeout, link.disconnect()).await;
            Some(Event::Disconnected)
        }
        Action::LoadState { serial } => Some(Event::StateLoaded(
            store.load(&serial).map_err(StorageError::from),
        )),
        Action::Commit(commit) => Some(Event::Committed(
            store
                .commit(&commit, clock.now_ms())
                .map_err(StorageError::from),
        )),
    }
}
