//! Bluetooth on the desktop (feature `desktop`): the computer's adapter
//! through btleplug (BlueZ on Linux, CoreBluetooth on macOS, WinRT on
//! Windows). [`DesktopBluetooth`] scans, and hands out a [`BleLink`] to a
//! sensor found, which the app passes to `sensors().pair(...)` and
//! `sensors().sync(...)` like a phone's own link: one code path for every
//! sync, in `second-heart-ble`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::Duration;

use second_heart_ble::desktop::{DesktopLink, FoundSensor, Radio};
use second_heart_ble::{BleError, GattLink, LinkEvent};
use second_heart_core::sensor::uuids;
use tokio::sync::{MappedMutexGuard, Mutex, MutexGuard};

use crate::SecondHeartError;
use crate::ble::{BleLink, BleLinkError, BleLinkEvent, DEFAULT_MTU};
use crate::error::ForeignError;
use crate::task::{TaskHandle, block_on, spawn};

/// How long opening the adapter may take (D-Bus and BlueZ answering).
const OPEN_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a link looks for its sensor before connecting.
const FIND_TIMEOUT: Duration = Duration::from_secs(8);

/// The longest scan asked for.
const MAX_SCAN_SECONDS: u32 = 120;

/// What a sensor found nearby offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SensorKind {
    /// A Second Heart calf-pump sensor: pair it to sync its records.
    CalfPump,
    /// A plain Running Speed and Cadence foot pod: live cadence only.
    RunningSpeedAndCadence,
}

/// A sensor a scan found.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NearbySensor {
    /// Its Bluetooth address, e.g. "00:00:00:00:00:02": what `link` takes.
    pub address: String,
    /// The name it advertises.
    pub name: Option<String>,
    /// Signal strength, dBm, when the adapter measured it.
    pub rssi: Option<i16>,
    /// What it offers.
    pub kind: SensorKind,
}

impl From<FoundSensor> for NearbySensor {
    fn from(found: FoundSensor) -> Self {
        Self {
            address: found.id,
            name: found.name,
            rssi: found.rssi,
            kind: if found.calf_pump {
                SensorKind::CalfPump
            } else {
                SensorKind::RunningSpeedAndCadence
            },
        }
    }
}

/// Hears a scan; exactly one of `on_finished` / `on_failed` ends it.
/// Called on the library's threads: hop to the UI thread yourself.
#[uniffi::export(with_foreign)]
pub trait ScanListener: Send + Sync {
    /// A sensor seen for the first time in this scan.
    fn on_found(&self, sensor: NearbySensor) -> Result<(), ForeignError>;
    /// The scan ended: its time was up, or it was `cancelled`.
    fn on_finished(&self, cancelled: bool) -> Result<(), ForeignError>;
    /// The scan could not go on (the adapter went away, BlueZ stopped
    /// answering); the error is `Bluetooth` with what happened.
    fn on_failed(&self, error: SecondHeartError) -> Result<(), ForeignError>;
}

fn bluetooth(error: BleError) -> SecondHeartError {
    SecondHeartError::Bluetooth {
        detail: error.to_string(),
    }
}

fn no_runtime() -> SecondHeartError {
    SecondHeartError::Internal {
        detail: "could not start the library's worker threads".to_owned(),
    }
}

/// The computer's Bluetooth adapter. Open it once and keep it; every call
/// is safe from any thread.
#[derive(uniffi::Object)]
pub struct DesktopBluetooth {
    radio: Arc<Radio>,
}

#[uniffi::export]
impl DesktopBluetooth {
    /// Opens the adapter called `adapter` (e.g. "hci0"), or the first one.
    /// Blocks up to 10 s: call it off the main thread. No Bluetooth service
    /// (on Linux: no D-Bus or no bluetoothd), no adapter, or none of that
    /// name fails with `Bluetooth` saying which and what to do.
    #[uniffi::constructor]
    pub fn open(adapter: Option<String>) -> Result<Arc<Self>, SecondHeartError> {
        // The timer is made on the runtime: it needs its clock.
        let opened = block_on(async {
            tokio::time::timeout(OPEN_TIMEOUT, Radio::open(adapter.as_deref())).await
        })
        .ok_or_else(no_runtime)?;
        let radio = opened
            .map_err(|_| {
                bluetooth(BleError::Unavailable(
                    "the Bluetooth service did not answer in 10 s; is bluetoothd running?"
                        .to_owned(),
                ))
            })?
            .map_err(bluetooth)?;
        Ok(Arc::new(Self {
            radio: Arc::new(radio),
        }))
    }

    /// Scans for `seconds` (1 to 120) for Second Heart sensors and RSC foot
    /// pods; `listener` hears each as it appears, then how the scan ended.
    /// Cancel (or drop) the handle to stop early; the scan is stopped on
    /// the adapter however it ends.
    pub fn scan(
        &self,
        seconds: u32,
        listener: Arc<dyn ScanListener>,
    ) -> Result<Arc<TaskHandle>, SecondHeartError> {
        if !(1..=MAX_SCAN_SECONDS).contains(&seconds) {
            return Err(SecondHeartError::InvalidInput {
                field: "scan time".to_owned(),
                reason: format!("1 to {MAX_SCAN_SECONDS} seconds (got {seconds})"),
            });
        }
        let radio = Arc::clone(&self.radio);
        let on_bug = Arc::clone(&listener);
        spawn(
            move |token| async move {
                let duration = Duration::from_secs(seconds.into());
                let result = radio
                    .scan_each(duration, &token, |found| {
                        // A listener that throws misses this sensor, not the next.
                        let _ = listener.on_found(found.into());
                    })
                    .await;
                let _ = match result {
                    Ok(()) => listener.on_finished(token.is_cancelled()),
                    Err(error) => listener.on_failed(bluetooth(error)),
                };
            },
            move |bug| {
                let _ = on_bug.on_failed(bug);
            },
        )
        .ok_or_else(no_runtime)
    }

    /// The sensor at `address` (as a scan found it) as a Bluetooth link,
    /// for `sensors().pair(...)`, `sensors().sync(...)` and live data.
    /// Nothing happens until the library connects: it then looks for the
    /// sensor for up to 8 s and connects. Every operation is bounded and
    /// cancelled by the sync that runs it.
    pub fn link(&self, address: String) -> Arc<dyn BleLink> {
        Arc::new(DesktopSensorLink {
            radio: Arc::clone(&self.radio),
            address,
            link: Mutex::new(None),
            mtu: AtomicU16::new(DEFAULT_MTU),
        })
    }
}

/// A sensor through btleplug, found when first connected.
struct DesktopSensorLink {
    radio: Arc<Radio>,
    address: String,
    link: Mutex<Option<DesktopLink>>,
    mtu: AtomicU16,
}

fn failed(error: BleError) -> BleLinkError {
    BleLinkError::Failed {
        reason: error.to_string(),
    }
}

fn not_connected() -> BleLinkError {
    BleLinkError::Failed {
        reason: "the sensor is not connected".to_owned(),
    }
}

fn uuid(text: &str) -> Result<uuid::Uuid, BleLinkError> {
    uuids::parse(text).map_err(|error| failed(error.into()))
}

impl DesktopSensorLink {
    /// The connected link (one operation at a time holds it).
    async fn connected(&self) -> Result<MappedMutexGuard<'_, DesktopLink>, BleLinkError> {
        MutexGuard::try_map(self.link.lock().await, Option::as_mut).map_err(|_| not_connected())
    }
}

#[async_trait::async_trait]
impl BleLink for DesktopSensorLink {
    async fn connect(&self) -> Result<(), BleLinkError> {
        let mut guard = self.link.lock().await;
        if guard.is_none() {
            let found = self.radio.find(&self.address, FIND_TIMEOUT).await;
            *guard = Some(found.map_err(failed)?);
        }
        let link = guard.as_mut().ok_or_else(not_connected)?;
        link.connect().await.map_err(failed)?;
        self.mtu.store(link.mtu(), Ordering::Relaxed);
        Ok(())
    }

    fn mtu(&self) -> Result<u16, BleLinkError> {
        Ok(self.mtu.load(Ordering::Relaxed))
    }

    async fn read(&self, characteristic: String) -> Result<Vec<u8>, BleLinkError> {
        let characteristic = uuid(&characteristic)?;
        self.connected()
            .await?
            .read(characteristic)
            .await
            .map_err(failed)
    }

    async fn write(&self, characteristic: String, value: Vec<u8>) -> Result<(), BleLinkError> {
        let characteristic = uuid(&characteristic)?;
        let mut link = self.connected().await?;
        link.write(characteristic, &value).await.map_err(failed)
    }

    async fn write_without_response(
        &self,
        characteristic: String,
        value: Vec<u8>,
    ) -> Result<(), BleLinkError> {
        let characteristic = uuid(&characteristic)?;
        let mut link = self.connected().await?;
        link.write_without_response(characteristic, &value)
            .await
            .map_err(failed)
    }

    async fn subscribe(&self, characteristic: String) -> Result<(), BleLinkError> {
        let characteristic = uuid(&characteristic)?;
        let mut link = self.connected().await?;
        link.subscribe(characteristic).await.map_err(failed)
    }

    async fn next_event(&self) -> Result<BleLinkEvent, BleLinkError> {
        let mut guard = self.link.lock().await;
        let Some(link) = guard.as_mut() else {
            return std::future::pending().await;
        };
        Ok(match link.next_event().await {
            LinkEvent::Notification {
                characteristic,
                value,
            } => BleLinkEvent::Notification {
                characteristic: characteristic.to_string(),
                value,
            },
            LinkEvent::Disconnected => BleLinkEvent::Disconnected,
            LinkEvent::Failed(error) => return Err(failed(error)),
        })
    }

    async fn disconnect(&self) -> Result<(), BleLinkError> {
        match self.link.lock().await.as_mut() {
            Some(link) => link.disconnect().await.map_err(failed),
            None => Ok(()),
        }
    }
}
