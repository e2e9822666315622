//! The simulated sensor, for the apps' demo mode and for testing their
//! Bluetooth code without a radio.

use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{Duration, Utc};
use second_heart_core::sensor::gatt::clamp_att_mtu;
use second_heart_core::sensor::sim::{DayScript, SensorConfig, SimSensor};
use second_heart_core::sensor::uuids;
use uuid::Uuid;

use crate::SecondHeartError;

/// A notification or indication the demo sensor sends.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DemoNotification {
    /// The characteristic's UUID.
    pub characteristic: String,
    /// Its value.
    pub value: Vec<u8>,
    /// True for an indication.
    pub indication: bool,
}

/// A simulated sensor that recorded a typical day, answering GATT requests
/// byte for byte as a real one does (docs/sensor-protocol.md).
#[derive(uniffi::Object)]
pub struct DemoSensor {
    sensor: Mutex<SimSensor>,
}

fn uuid(text: &str) -> Result<Uuid, SecondHeartError> {
    uuids::parse(text).map_err(|e| SecondHeartError::InvalidInput {
        field: "characteristic".to_owned(),
        reason: e.to_string(),
    })
}

#[uniffi::export]
impl DemoSensor {
    /// A sensor with serial `serial` that has been recording for `hours`.
    #[uniffi::constructor]
    pub fn new(serial: String, hours: f64) -> Result<Arc<Self>, SecondHeartError> {
        if !(0.0..=72.0).contains(&hours) {
            return Err(SecondHeartError::InvalidInput {
                field: "hours".to_owned(),
                reason: format!("a demo sensor records 0 to 72 hours (got {hours})"),
            });
        }
        let now = Utc::now();
        let mut script = DayScript::typical_day(now);
        script.start = now - Duration::minutes((hours * 60.0) as i64);
        let sensor = SimSensor::new(
            SensorConfig {
                serial,
                ..SensorConfig::default()
            },
            &script,
        );
        Ok(Arc::new(Self {
            sensor: Mutex::new(sensor),
        }))
    }

    /// Answers a read.
    pub fn read(&self, characteristic: String) -> Result<Vec<u8>, SecondHeartError> {
        let mut sensor = self.now();
        sensor
            .read(uuid(&characteristic)?)
            .map_err(|e| SecondHeartError::Bluetooth {
                detail: e.to_string(),
            })
    }

    /// Answers a write.
    pub fn write(&self, characteristic: String, value: Vec<u8>) -> Result<(), SecondHeartError> {
        let mut sensor = self.now();
        sensor
            .write(uuid(&characteristic)?, &value)
            .map_err(|e| SecondHeartError::Bluetooth {
                detail: e.to_string(),
            })
    }

    /// Turns on notifications or indications.
    pub fn subscribe(&self, characteristic: String) -> Result<(), SecondHeartError> {
        let mut sensor = self.now();
        sensor
            .subscribe(uuid(&characteristic)?)
            .map_err(|e| SecondHeartError::Bluetooth {
                detail: e.to_string(),
            })
    }

    /// The link's MTU, which sets how many records go in a notification.
    pub fn set_mtu(&self, mtu: u16) {
        self.now().set_mtu(clamp_att_mtu(mtu));
    }

    /// The next notification or indication to deliver, if any.
    pub fn take_outgoing(&self) -> Option<DemoNotification> {
        self.now().take_outgoing().map(|out| DemoNotification {
            characteristic: out.characteristic.to_string(),
            value: out.value,
            indication: out.indication,
        })
    }

    /// The link dropped: subscriptions and queued notifications are gone.
    pub fn disconnect(&self) {
        self.now().disconnect();
    }

    /// The newest record's sequence number.
    pub fn newest_record(&self) -> u32 {
        self.now().status().newest_seq
    }
}

impl DemoSensor {
    /// The sensor, brought up to the present.
    fn now(&self) -> MutexGuard<'_, SimSensor> {
        let mut sensor = self
            .sensor
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        sensor.advance_to(Utc::now().timestamp_millis());
        sensor
    }
}
