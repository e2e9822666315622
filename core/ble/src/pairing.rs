//! Pairing and syncing a paired sensor: the only two ways a sensor's data
//! enters the database.

use std::sync::{Mutex, PoisonError};

use second_heart_core::sensor::sync::{
    Commit, CommitOutcome, DeviceSyncState, Millis, Progress, StorageError, SyncError, SyncReport,
    SyncSettings,
};
use tokio_util::sync::CancellationToken;

use crate::driver::{Clock, SyncStore, drive};
use crate::link::GattLink;

/// Pairs the sensor behind `link`, reached at `address` (the address on
/// desktops, the platform's identifier on phones): syncs whatever sensor
/// answers, then remembers it as paired by its serial number. Pairing is
/// the user's choice of this sensor, so any serial is accepted.
///
/// `hold_serial` is asked for the serial as soon as the sensor names it,
/// before anything is stored or written to the sensor, and what it gives is
/// held until the pairing ends: an app holds the sensor there, so a sensor
/// already syncing or streaming at another address (a phone's random
/// address changed since it was paired) is not paired at the same time.
/// Its error ends the pairing as a storage error carrying it.
pub async fn pair<L: GattLink, H>(
    link: &mut L,
    address: &str,
    store: &impl SyncStore,
    settings: &SyncSettings,
    cancel: &CancellationToken,
    hold_serial: impl Fn(&str) -> second_heart_core::Result<H>,
    on_progress: impl FnMut(Progress),
) -> Result<SyncReport, SyncError> {
    let clock = Clock::starting_at(settings.phone_utc_ms);
    let pairing = Pairing {
        store,
        address,
        hold_serial,
        held: Mutex::new(None),
    };
    // Every commit of the pairing marked the sensor paired (its first, the
    // clock's anchor, comes before anything else is stored).
    drive(
        link,
        &pairing,
        settings.config(None),
        clock,
        cancel,
        on_progress,
    )
    .await
}

/// The store a pairing syncs into: once a commit has stored anything of the
/// sensor (the sensor may then let those records go), it is paired, so a
/// pairing cancelled or given up after that leaves a sensor the user sees
/// and can forget, not records that count in the days under no sensor shown.
/// Each commit marks it paired in its own transaction: a mark that could
/// not be written (a full disk) takes the records with it.
struct Pairing<'a, S, F, H> {
    store: &'a S,
    address: &'a str,
    /// Holds the sensor by its serial once it is known.
    hold_serial: F,
    /// What `hold_serial` gave, kept until the pairing ends.
    held: Mutex<Option<H>>,
}

impl<S, F, H> SyncStore for Pairing<'_, S, F, H>
where
    S: SyncStore,
    F: Fn(&str) -> second_heart_core::Result<H>,
{
    /// The sensor's state, once it is held by `serial` (asked once, should
    /// the state be loaded again).
    fn load(&self, serial: &str) -> second_heart_core::Result<DeviceSyncState> {
        {
            let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
            if held.is_none() {
                *held = Some((self.hold_serial)(serial)?);
            }
        }
        self.store.load(serial)
    }

    fn commit(
        &self,
        commit: &Commit,
        now_utc_ms: Millis,
    ) -> second_heart_core::Result<CommitOutcome> {
        self.store.commit_pairing(commit, self.address, now_utc_ms)
    }

    fn commit_pairing(
        &self,
        commit: &Commit,
        address: &str,
        now_utc_ms: Millis,
    ) -> second_heart_core::Result<CommitOutcome> {
        self.store.commit_pairing(commit, address, now_utc_ms)
    }

    fn is_paired(&self, serial: &str) -> second_heart_core::Result<bool> {
        self.store.is_paired(serial)
    }
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

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use second_heart_core::Store;
    use second_heart_core::sensor::gatt::DeviceInfo;

    use super::*;

    #[test]
    fn a_pairing_that_stored_anything_has_paired_the_sensor() {
        let store = Mutex::new(Store::open_in_memory().expect("store"));
        let pairing = Pairing {
            store: &store,
            address: "AA:01",
            hold_serial: |_: &str| Ok(()),
            held: Mutex::new(None),
        };
        let commit = Commit {
            device: DeviceInfo {
                serial: "SH-P".to_owned(),
                ..DeviceInfo::default()
            },
            anchors: Vec::new(),
            gaps: Vec::new(),
            records: Vec::new(),
            high_water: 0,
            dropped_seen: 0,
            damaged: 0,
        };
        // Cancelled right after this commit: the sensor is listed anyway.
        pairing.commit(&commit, 1_795_262_400_000).expect("commit");
        let listed = store.lock().expect("store").paired_sensors().expect("list");
        let listed: Vec<_> = listed
            .iter()
            .map(|p| (p.serial.as_str(), p.address.as_str()))
            .collect();
        assert_eq!(listed, [("SH-P", "AA:01")]);
    }

    #[test]
    fn a_pairing_holds_the_sensor_by_its_serial_once_and_is_refused_while_it_is_held() {
        let store = Mutex::new(Store::open_in_memory().expect("store"));
        let asked = Mutex::new(Vec::new());
        let pairing = Pairing {
            store: &store,
            address: "AA:02",
            hold_serial: |serial: &str| {
                asked.lock().expect("asked").push(serial.to_owned());
                Ok(serial.len())
            },
            held: Mutex::new(None),
        };
        pairing.load("SH-P").expect("first connection");
        pairing.load("SH-P").expect("loaded again");
        assert_eq!(*asked.lock().expect("asked"), ["SH-P"], "held once, kept");
        assert_eq!(*pairing.held.lock().expect("held"), Some(4));

        let busy = Pairing {
            store: &store,
            address: "AA:02",
            hold_serial: |serial: &str| -> second_heart_core::Result<()> {
                Err(second_heart_core::Error::SensorBusy {
                    serial: serial.to_owned(),
                    activity: second_heart_core::app::SensorActivity::Syncing,
                })
            },
            held: Mutex::new(None),
        };
        let refused = busy.load("SH-P").expect_err("held elsewhere");
        assert!(
            matches!(refused, second_heart_core::Error::SensorBusy { .. }),
            "{refused}"
        );
    }
}
