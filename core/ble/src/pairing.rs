//! Pairing and syncing a paired sensor: the only two ways a sensor's data
//! enters the database.

use second_heart_core::sensor::sync::{
    Progress, StorageError, SyncError, SyncReport, SyncSettings,
};
use tokio_util::sync::CancellationToken;

use crate::driver::{Clock, SyncStore, drive};
use crate::link::GattLink;

/// Pairs the sensor behind `link`, reached at `address` (the address on
/// desktops, the platform's identifier on phones): syncs whatever sensor
/// answers, then remembers it as paired by its serial number. Pairing is
/// the user's choice of this sensor, so any serial is accepted.
pub async fn pair<L: GattLink>(
    link: &mut L,
    address: &str,
    store: &impl SyncStore,
    settings: &SyncSettings,
    cancel: &CancellationToken,
    on_progress: impl FnMut(Progress),
) -> Result<SyncReport, SyncError> {
    let clock = Clock::starting_at(settings.phone_utc_ms);
    let report = drive(
        link,
        store,
        settings.config(None),
        clock,
        cancel,
        on_progress,
    )
    .await?;
    store
        .mark_paired(&report.serial, address, clock.now_ms())
        .map_err(StorageError::from)?;
    Ok(report)
}

/// Syncs the paired sensor `expected_serial` behind `link`. A sensor that
/// was never paired is refused with [`SyncError::NotPaired`] before any
/// connection; another sensor answering at the link ends the sync with
/// [`SyncError::WrongSensor`] before anything is stored or deleted.
/// Reconnects are bounded by `settings`; a sync that cannot get on ends
/// with [`SyncError::GaveUp`].
pub async fn sync_paired<L: GattLink>(
    link: &mut L,
    store: &impl SyncStore,
    expected_serial: &str,
    settings: &SyncSettings,
    cancel: &CancellationToken,
    on_progress: impl FnMut(Progress),
) -> Result<SyncReport, SyncError> {
    if !store
        .is_paired(expected_serial)
        .map_err(StorageError::from)?
    {
        return Err(SyncError::NotPaired {
            serial: expected_serial.to_owned(),
        });
    }
    let config = settings.config(Some(expected_serial.to_owned()));
    let clock = Clock::starting_at(settings.phone_utc_ms);
    drive(link, store, config, clock, cancel, on_progress).await
}
