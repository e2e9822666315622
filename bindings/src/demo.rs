//! The simulated sensor, for the apps' demo mode and for testing their
//! Bluetooth code without a radio.

use std::sync::{Arc, Mutex, MutexGuard};

use chrono::Duration;
use second_heart_core::app;
use second_heart_core::sensor::gatt::clamp_att_mtu;
use second_heart_core::sensor::sim::{DayScript, Segment, SensorConfig, SimSensor};
use second_heart_core::sensor::uuids;
use uuid::Uuid;

use crate::client::{AppClock, Clock};
use crate::{SecondHeartError, lock};

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

/// What the demo sensor's wearer does next, for a demo or a test to watch
/// live (a set the Exercises screen counts, a walk).
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Enum)]
pub enum DemoActivity {
    /// A set of calf raises: up 0.6 s, held `hold_s`, down 0.6 s, a rest.
    CalfRaises {
        /// Repetitions, 1–100.
        reps: u8,
        /// Hold at the top, 0–10 s.
        hold_s: f64,
    },
    /// Seated ankle pumps.
    AnklePumps {
        /// Repetitions, 1–100.
        reps: u8,
        /// Repetitions a minute, 1–60.
        rate_per_min: u32,
    },
    /// A walk.
    Walking {
        /// How long, 1–600 min.
        minutes: u32,
        /// Steps a minute (both legs), 40–200.
        cadence_spm: u32,
    },
    /// Sitting still.
    Sitting {
        /// How long, 1–600 min.
        minutes: u32,
    },
    /// Standing still.
    Standing {
        /// How long, 1–600 min.
        minutes: u32,
    },
}

fn within<T: PartialOrd + std::fmt::Display>(
    field: &str,
    value: T,
    range: std::ops::RangeInclusive<T>,
) -> Result<T, SecondHeartError> {
    if range.contains(&value) {
        Ok(value)
    } else {
        Err(SecondHeartError::InvalidInput {
            field: field.to_owned(),
            reason: format!("{} to {} (got {value})", range.start(), range.end()),
        })
    }
}

impl DemoActivity {
    /// The activity as the simulator's script writes it, checked.
    fn segment(self) -> Result<Segment, SecondHeartError> {
        Ok(match self {
            Self::CalfRaises { reps, hold_s } => Segment::CalfRaises {
                reps: within("reps", reps, 1..=100)?,
                hold_s: if hold_s.is_finite() {
                    within("hold", hold_s, 0.0..=10.0)?
                } else {
                    return Err(SecondHeartError::InvalidInput {
                        field: "hold".to_owned(),
                        reason: format!("0 to 10 s (got {hold_s})"),
                    });
                },
            },
            Self::AnklePumps { reps, rate_per_min } => Segment::AnklePumps {
                reps: within("reps", reps, 1..=100)?,
                rate_per_min: within("rate", rate_per_min, 1..=60)?,
            },
            Self::Walking {
                minutes,
                cadence_spm,
            } => Segment::Walking {
                minutes: within("minutes", minutes, 1..=600)?,
                cadence_spm: within("cadence", cadence_spm, 40..=200)?,
            },
            Self::Sitting { minutes } => Segment::Sitting {
                minutes: within("minutes", minutes, 1..=600)?,
            },
            Self::Standing { minutes } => Segment::Standing {
                minutes: within("minutes", minutes, 1..=600)?,
            },
        })
    }
}

/// The most the demo's time may run ahead of its clock: a week, ms.
const MAX_AHEAD_MS: u64 = 7 * 24 * 3_600_000;

/// A simulated sensor that recorded a typical day, answering GATT requests
/// byte for byte as a real one does (docs/sensor-protocol.md). Its time is
/// the app's clock (so a demo under a fixed clock is the same every run)
/// plus what [`DemoSensor::advance`] moved it on: live data, and an
/// activity asked of it with [`DemoSensor::perform`], unfold as the caller
/// advances time, without waiting on the wall clock.
#[derive(uniffi::Object)]
pub struct DemoSensor {
    state: Mutex<Demo>,
}

struct Demo {
    sensor: SimSensor,
    clock: Arc<dyn app::Clock>,
    ahead_ms: u64,
}

fn uuid(text: &str) -> Result<Uuid, SecondHeartError> {
    uuids::parse(text).map_err(|e| SecondHeartError::InvalidInput {
        field: "characteristic".to_owned(),
        reason: e.to_string(),
    })
}

fn bluetooth(error: impl std::fmt::Display) -> SecondHeartError {
    SecondHeartError::Bluetooth {
        detail: error.to_string(),
    }
}

impl DemoSensor {
    /// A demo sensor on the core's view of a clock.
    pub(crate) fn on_clock(
        serial: String,
        hours: f64,
        clock: Arc<dyn app::Clock>,
    ) -> Result<Arc<Self>, SecondHeartError> {
        if !(0.0..=72.0).contains(&hours) {
            return Err(SecondHeartError::InvalidInput {
                field: "hours".to_owned(),
                reason: format!("a demo sensor records 0 to 72 hours (got {hours})"),
            });
        }
        let now = clock.now()?;
        let mut script = DayScript::typical_day(now);
        script.start = now - Duration::minutes((hours * 60.0) as i64);
        let mut sensor = SimSensor::new(
            SensorConfig {
                serial,
                ..SensorConfig::default()
            },
            &script,
        );
        sensor.advance_to(now.timestamp_millis());
        Ok(Arc::new(Self {
            state: Mutex::new(Demo {
                sensor,
                clock,
                ahead_ms: 0,
            }),
        }))
    }
}

#[uniffi::export]
impl DemoSensor {
    /// A sensor with serial `serial` that has been recording for `hours`
    /// (0–72) by `clock`.
    #[uniffi::constructor]
    pub fn new(
        serial: String,
        hours: f64,
        clock: Arc<dyn Clock>,
    ) -> Result<Arc<Self>, SecondHeartError> {
        Self::on_clock(serial, hours, Arc::new(AppClock::new(clock)))
    }

    /// Answers a read.
    pub fn read(&self, characteristic: String) -> Result<Vec<u8>, SecondHeartError> {
        let characteristic = uuid(&characteristic)?;
        self.now().read(characteristic).map_err(bluetooth)
    }

    /// Answers a write.
    pub fn write(&self, characteristic: String, value: Vec<u8>) -> Result<(), SecondHeartError> {
        let characteristic = uuid(&characteristic)?;
        self.now().write(characteristic, &value).map_err(bluetooth)
    }

    /// Turns on notifications or indications.
    pub fn subscribe(&self, characteristic: String) -> Result<(), SecondHeartError> {
        let characteristic = uuid(&characteristic)?;
        self.now().subscribe(characteristic).map_err(bluetooth)
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

    /// The link dropped: subscriptions, live data and queued notifications
    /// are gone.
    pub fn disconnect(&self) {
        self.now().disconnect();
    }

    /// The newest record's sequence number.
    pub fn newest_record(&self) -> u32 {
        self.now().status().newest_seq
    }

    /// Moves the sensor's time on by `millis` (at most a day at a time)
    /// past its clock: what the wearer does meanwhile is recorded, and
    /// while live data is on its frames and cadence readings are queued.
    pub fn advance(&self, millis: u64) -> Result<(), SecondHeartError> {
        within("milliseconds", millis, 0..=86_400_000)?;
        let mut demo = lock(&self.state);
        let ahead = demo.ahead_ms.saturating_add(millis);
        if ahead > MAX_AHEAD_MS {
            return Err(SecondHeartError::InvalidInput {
                field: "milliseconds".to_owned(),
                reason: "a demo sensor runs at most a week ahead of its clock".to_owned(),
            });
        }
        demo.ahead_ms = ahead;
        demo.catch_up();
        Ok(())
    }

    /// The wearer starts `activity` now (for its length, in place of the
    /// typical day); returns how long it lasts, s. Advance time to see it.
    pub fn perform(&self, activity: DemoActivity) -> Result<f64, SecondHeartError> {
        let segment = activity.segment()?;
        let mut sensor = self.now();
        let start = sensor.now_ms();
        let end = sensor.perform(segment);
        Ok((end - start) as f64 / 1000.0)
    }
}

impl Demo {
    /// Brings the sensor up to its time now, at most [`MAX_AHEAD_MS`] at a
    /// time: the sensor records minute by minute, so a clock that jumped
    /// years ahead is followed a week per call rather than all at once
    /// (minutes, memory and the sensor's tick counter without end). A
    /// clock that fails leaves it where it was.
    fn catch_up(&mut self) {
        if let Ok(now) = self.clock.now() {
            let ahead = i64::try_from(self.ahead_ms).unwrap_or(i64::MAX);
            let target = now.timestamp_millis().saturating_add(ahead);
            let step = i64::try_from(MAX_AHEAD_MS).unwrap_or(i64::MAX);
            self.sensor
                .advance_to(target.min(self.sensor.now_ms().saturating_add(step)));
        }
    }
}

impl DemoSensor {
    /// The sensor, brought up to its time now.
    fn now(&self) -> SensorGuard<'_> {
        let mut demo = lock(&self.state);
        demo.catch_up();
        SensorGuard(demo)
    }
}

/// The demo's sensor behind its lock.
struct SensorGuard<'a>(MutexGuard<'a, Demo>);

impl std::ops::Deref for SensorGuard<'_> {
    type Target = SimSensor;
    fn deref(&self) -> &SimSensor {
        &self.0.sensor
    }
}

impl std::ops::DerefMut for SensorGuard<'_> {
    fn deref_mut(&mut self) -> &mut SimSensor {
        &mut self.0.sensor
    }
}
