//! btleplug: Bluetooth on desktops (BlueZ over D-Bus on Linux, CoreBluetooth
//! on macOS, WinRT on Windows).

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use btleplug::api::{
    BDAddr, Central, CentralEvent, Characteristic, Manager as _, Peripheral as _, ScanFilter,
    ValueNotification, WriteType,
};
use btleplug::platform::{Adapter, Manager, Peripheral, PeripheralId};
use futures::{FutureExt, Stream, StreamExt};
use second_heart_core::sensor::uuids;
use tokio::sync::{Mutex, OwnedMutexGuard};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use crate::link::{BleError, GattLink, LinkEvent};

/// A sensor seen while scanning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundSensor {
    /// How to name it to `connect`: its address.
    pub id: String,
    /// The advertised name.
    pub name: Option<String>,
    /// Signal strength, dBm.
    pub rssi: Option<i16>,
    /// Whether it offers the calf-pump service (else it is a plain RSC foot pod).
    pub calf_pump: bool,
}

/// The computer's Bluetooth adapter.
pub struct Radio {
    adapter: Adapter,
    /// The turn at scanning (see [`Scanning`]).
    scan_turns: Arc<Mutex<()>>,
}

fn stack_error(error: btleplug::Error) -> BleError {
    BleError::Stack(error.to_string())
}

impl Radio {
    /// Opens the adapter named `name` (for example "hci0"), or the first.
    /// No D-Bus, no BlueZ or no adapter gives [`BleError::Unavailable`] with
    /// what to do about it.
    pub async fn open(name: Option<&str>) -> Result<Self, BleError> {
        let manager = Manager::new().await.map_err(|e| {
            BleError::Unavailable(format!(
                "cannot reach the Bluetooth service ({e}); on Linux, is bluetoothd running and D-Bus reachable?"
            ))
        })?;
        let adapters = manager.adapters().await.map_err(|e| {
            BleError::Unavailable(format!(
                "cannot list Bluetooth adapters ({e}); is bluetoothd running?"
            ))
        })?;
        let mut chosen = None;
        for adapter in adapters {
            let info = adapter.adapter_info().await.unwrap_or_default();
            let wanted = name.is_none_or(|n| info.split_whitespace().next() == Some(n));
            if wanted && chosen.is_none() {
                chosen = Some(adapter);
            }
        }
        let adapter = chosen.ok_or_else(|| {
            BleError::Unavailable(match name {
                Some(n) => format!("no Bluetooth adapter called {n}"),
                None => "no Bluetooth adapter found; plug one in or switch Bluetooth on".into(),
            })
        })?;
        Ok(Self {
            adapter,
            scan_turns: Arc::default(),
        })
    }

    /// Scans for `duration` and lists Second Heart sensors and RSC foot pods.
    pub async fn scan(&self, duration: Duration) -> Result<Vec<FoundSensor>, BleError> {
        let mut found = Vec::new();
        self.scan_each(duration, &CancellationToken::new(), |sensor| {
            found.push(sensor);
        })
        .await?;
        found.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(found)
    }

    /// Scans for `duration`, or until `cancel` fires, handing each Second
    /// Heart sensor and RSC foot pod to `on_found` once, as it appears. Each
    /// call to the Bluetooth service is bounded by a timeout, and the scan
    /// is stopped however it ends.
    pub async fn scan_each(
        &self,
        duration: Duration,
        cancel: &CancellationToken,
        mut on_found: impl FnMut(FoundSensor),
    ) -> Result<(), BleError> {
        let scanning = Scanning::start(&self.adapter, &self.scan_turns).await?;
        let result = self.report_new(duration, cancel, &mut on_found).await;
        scanning.stop().await;
        result
    }

    /// Looks at what the adapter sees every [`SCAN_POLL`] until `duration`
    /// passes or `cancel` fires; each sensor is reported once.
    async fn report_new(
        &self,
        duration: Duration,
        cancel: &CancellationToken,
        on_found: &mut impl FnMut(FoundSensor),
    ) -> Result<(), BleError> {
        let deadline = tokio::time::Instant::now() + duration;
        let mut reported = HashSet::new();
        loop {
            let peripherals =
                adapter_call("listing nearby devices", self.adapter.peripherals()).await?;
            for peripheral in peripherals {
                let address = address_of(&peripheral);
                if reported.contains(&address) {
                    continue;
                }
                if let Some(sensor) = sensor_of(&peripheral, address).await {
                    reported.insert(sensor.id.clone());
                    on_found(sensor);
                }
            }
            let next = (tokio::time::Instant::now() + SCAN_POLL).min(deadline);
            tokio::select! {
                () = cancel.cancelled() => return Ok(()),
                () = tokio::time::sleep_until(next) => {}
            }
            if next >= deadline {
                return Ok(());
            }
        }
    }

    /// Finds the sensor with address `id`, scanning for up to `timeout`.
    pub async fn find(&self, id: &str, timeout: Duration) -> Result<DesktopLink, BleError> {
        let scanning = Scanning::start(&self.adapter, &self.scan_turns).await?;
        let found = self.wait_for(id, timeout).await;
        scanning.stop().await;
        let peripheral = found?.ok_or_else(|| BleError::NotFound(id.to_owned()))?;
        let events = adapter_call("listening to the adapter", self.adapter.events()).await?;
        Ok(DesktopLink {
            id: peripheral.id(),
            peripheral,
            characteristics: HashMap::new(),
            notifications: None,
            events,
            connected: false,
        })
    }

    /// The device with address `id`, once the adapter sees it (`None`
    /// after `timeout`).
    async fn wait_for(&self, id: &str, timeout: Duration) -> Result<Option<Peripheral>, BleError> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let peripherals =
                adapter_call("listing nearby devices", self.adapter.peripherals()).await?;
            if let Some(p) = peripherals
                .into_iter()
                .find(|p| address_of(p).eq_ignore_ascii_case(id))
            {
                return Ok(Some(p));
            }
            if tokio::time::Instant::now() >= deadline {
                return Ok(None);
            }
            tokio::time::sleep(SCAN_POLL).await;
        }
    }
}

/// A scan the adapter runs, stopped when this is: with [`Scanning::stop`]
/// where the work ends, or on drop where it was given up part-way (a
/// pairing cancelled while it looked for the sensor), which would leave
/// the adapter discovering. BlueZ refuses a second start from the same
/// client while one runs, so every later scan and find would fail. Scans
/// take turns: the next starts only once this one is stopped, the stop
/// of one given up included.
struct Scanning {
    /// The adapter scanning; taken once stopped.
    adapter: Option<Adapter>,
    /// This scan's turn at the adapter, given back once it is stopped.
    turn: Option<OwnedMutexGuard<()>>,
}

impl Scanning {
    /// Waits for the scan before to be stopped (bounded), then starts
    /// scanning for the sensors' services.
    async fn start(adapter: &Adapter, turns: &Arc<Mutex<()>>) -> Result<Self, BleError> {
        let turn = tokio::time::timeout(ADAPTER_TIMEOUT, Arc::clone(turns).lock_owned())
            .await
            .map_err(|_| BleError::Timeout("waiting for another scan to end".into()))?;
        adapter_call("starting the scan", adapter.start_scan(sensor_filter())).await?;
        Ok(Self {
            adapter: Some(adapter.clone()),
            turn: Some(turn),
        })
    }

    /// Stops the scan and waits for the adapter to say so (bounded).
    async fn stop(mut self) {
        if let Some(adapter) = self.adapter.take() {
            let _ = tokio::time::timeout(ADAPTER_TIMEOUT, adapter.stop_scan()).await;
        }
    }
}

impl Drop for Scanning {
    fn drop(&mut self) {
        let (Some(adapter), turn) = (self.adapter.take(), self.turn.take()) else {
            return;
        };
        // Given up part-way: stopped on the runtime, as nothing here can
        // wait, and the turn given back once it is.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                let _ = tokio::time::timeout(ADAPTER_TIMEOUT, adapter.stop_scan()).await;
                drop(turn);
            });
        }
    }
}

/// How a device is named to `connect`: its Bluetooth address, or where the
/// stack hides that (CoreBluetooth on macOS reports every device at
/// 00:00:00:00:00:00), the stack's own identifier for it, which does not
/// change while the app runs.
fn address_of(peripheral: &Peripheral) -> String {
    device_name(peripheral.address(), &peripheral.id())
}

/// [`address_of`] from the address and the identifier.
fn device_name(address: BDAddr, id: &impl std::fmt::Display) -> String {
    if address == BDAddr::default() {
        id.to_string()
    } else {
        address.to_string()
    }
}

/// The services a scan looks for: the calf pump's and RSC's.
fn sensor_filter() -> ScanFilter {
    ScanFilter {
        services: vec![uuids::CALF_PUMP_SERVICE, uuids::RUNNING_SPEED_AND_CADENCE],
    }
}

/// How long one call to the Bluetooth service (start or stop a scan, list
/// devices, read a device's properties) may take.
const ADAPTER_TIMEOUT: Duration = Duration::from_secs(5);

/// How often a scan looks at what the adapter has seen.
const SCAN_POLL: Duration = Duration::from_millis(250);

/// One call to the Bluetooth service, bounded by [`ADAPTER_TIMEOUT`].
async fn adapter_call<T>(
    what: &str,
    call: impl Future<Output = Result<T, btleplug::Error>>,
) -> Result<T, BleError> {
    match tokio::time::timeout(ADAPTER_TIMEOUT, call).await {
        Ok(result) => result.map_err(stack_error),
        Err(_) => Err(BleError::Timeout(what.to_owned())),
    }
}

/// The device as a sensor, when it offers the calf-pump or the RSC service.
async fn sensor_of(peripheral: &Peripheral, address: String) -> Option<FoundSensor> {
    let properties = tokio::time::timeout(ADAPTER_TIMEOUT, peripheral.properties())
        .await
        .ok()?
        .ok()??;
    let calf_pump = properties.services.contains(&uuids::CALF_PUMP_SERVICE);
    let rsc = properties
        .services
        .contains(&uuids::RUNNING_SPEED_AND_CADENCE);
    (calf_pump || rsc).then_some(FoundSensor {
        id: address,
        name: properties.local_name,
        rssi: properties.rssi,
        calf_pump,
    })
}

type Notifications = Pin<Box<dyn Stream<Item = ValueNotification> + Send>>;
type CentralEvents = Pin<Box<dyn Stream<Item = CentralEvent> + Send>>;

/// A sensor through btleplug.
pub struct DesktopLink {
    id: PeripheralId,
    peripheral: Peripheral,
    characteristics: HashMap<Uuid, Characteristic>,
    notifications: Option<Notifications>,
    events: CentralEvents,
    connected: bool,
}

impl DesktopLink {
    /// The sensor's address (see [`address_of`]).
    pub fn address(&self) -> String {
        address_of(&self.peripheral)
    }

    fn characteristic(&self, uuid: Uuid) -> Result<&Characteristic, BleError> {
        self.characteristics
            .get(&uuid)
            .ok_or(BleError::MissingCharacteristic(uuid))
    }
}

impl GattLink for DesktopLink {
    async fn connect(&mut self) -> Result<(), BleError> {
        // What the adapter said while the link was down (BlueZ's
        // DeviceDisconnected for the last link, ours or the sensor's) is
        // about that link, not the one made now; a disconnect of the new
        // one while it is set up stays queued for `next_event`.
        while let Some(Some(_)) = self.events.next().now_or_never() {}
        if !self.peripheral.is_connected().await.unwrap_or(false) {
            self.peripheral.connect().await.map_err(stack_error)?;
        }
        self.peripheral
            .discover_services()
            .await
            .map_err(stack_error)?;
        self.characteristics = self
            .peripheral
            .characteristics()
            .into_iter()
            .map(|c| (c.uuid, c))
            .collect();
        self.notifications = Some(self.peripheral.notifications().await.map_err(stack_error)?);
        self.connected = true;
        Ok(())
    }

    fn mtu(&self) -> u16 {
        self.peripheral.mtu()
    }

    async fn read(&mut self, characteristic: Uuid) -> Result<Vec<u8>, BleError> {
        let c = self.characteristic(characteristic)?.clone();
        self.peripheral.read(&c).await.map_err(stack_error)
    }

    async fn write(&mut self, characteristic: Uuid, value: &[u8]) -> Result<(), BleError> {
        let c = self.characteristic(characteristic)?.clone();
        self.peripheral
            .write(&c, value, WriteType::WithResponse)
            .await
            .map_err(stack_error)
    }

    async fn write_without_response(
        &mut self,
        characteristic: Uuid,
        value: &[u8],
    ) -> Result<(), BleError> {
        let c = self.characteristic(characteristic)?.clone();
        self.peripheral
            .write(&c, value, WriteType::WithoutResponse)
            .await
            .map_err(stack_error)
    }

    async fn subscribe(&mut self, characteristic: Uuid) -> Result<(), BleError> {
        let c = self.characteristic(characteristic)?.clone();
        self.peripheral.subscribe(&c).await.map_err(stack_error)
    }

    async fn next_event(&mut self) -> LinkEvent {
        if !self.connected {
            return std::future::pending().await;
        }
        let id = self.id.clone();
        loop {
            let notification = async {
                match self.notifications.as_mut() {
                    Some(stream) => stream.next().await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                value = notification => match value {
                    Some(n) => {
                        return LinkEvent::Notification { characteristic: n.uuid, value: n.value };
                    }
                    None => break,
                },
                event = self.events.next() => match event {
                    // A late word of an earlier link, with this one up,
                    // says nothing of this one.
                    Some(CentralEvent::DeviceDisconnected(gone)) if gone == id => {
                        if !self.peripheral.is_connected().await.unwrap_or(false) {
                            break;
                        }
                    }
                    Some(_) => {}
                    None => break,
                },
            }
        }
        self.connected = false;
        self.notifications = None;
        LinkEvent::Disconnected
    }

    async fn disconnect(&mut self) -> Result<(), BleError> {
        self.connected = false;
        self.notifications = None;
        self.peripheral.disconnect().await.map_err(stack_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_is_named_by_its_address_or_where_the_stack_hides_it_by_its_identifier() {
        let address = BDAddr::from([0xA4, 0xC1, 0x38, 0x00, 0x00, 0x01]);
        assert_eq!(
            device_name(address, &"/org/bluez/hci0/dev_A4"),
            "A4:C1:38:00:00:01"
        );
        // CoreBluetooth: every device at the zero address, each its own UUID.
        let uuid = "0C8C0B4E-6E1B-4E0F-9A2B-1D5A0B3E7F21";
        assert_eq!(device_name(BDAddr::default(), &uuid), uuid);
    }
}
