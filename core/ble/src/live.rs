//! Live data: calf-pump frames and RSC cadence while they happen.

use std::time::Duration;

use second_heart_core::sensor::gatt::{
    ControlRequest, ControlResponse, ControlResult, LiveFrame, RscMeasurement, parse_utf8_string,
};
use second_heart_core::sensor::sync::{
    GattError, Operation, ProtocolError, StorageError, SyncError,
};
use second_heart_core::sensor::uuids;
use tokio::time::{Instant, sleep_until};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use crate::driver::{SyncStore, bounded};
use crate::link::{GattLink, LinkEvent};

/// How to stream.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveSettings {
    /// Samples a second asked of the sensor, 1–100.
    pub rate_hz: u8,
    /// How long to stream; `None` until cancelled.
    pub duration: Option<Duration>,
    /// How long one GATT operation and the Control Point's answer may take,
    /// and how long a started stream may go without a notification.
    pub op_timeout: Duration,
}

impl LiveSettings {
    /// The settings for `rate_hz` samples a second (1–100), streaming for
    /// `seconds` (0.1 s to a day; `None`: until cancelled), or what is
    /// wrong with them: every front end's limits, in one place.
    pub fn checked(rate_hz: u8, seconds: Option<f64>) -> second_heart_core::Result<Self> {
        let invalid = |field: &'static str, reason: String| {
            second_heart_core::Error::InvalidInput { field, reason }
        };
        let duration = match seconds {
            None => None,
            Some(s) if s.is_finite() && (0.1..=86_400.0).contains(&s) => {
                Some(Duration::from_secs_f64(s))
            }
            Some(s) => {
                return Err(invalid(
                    "seconds",
                    format!("live data runs 0.1 s to a day, or until cancelled (got {s})"),
                ));
            }
        };
        if !(1..=100).contains(&rate_hz) {
            return Err(invalid(
                "rate",
                format!("1 to 100 samples a second (got {rate_hz})"),
            ));
        }
        Ok(Self {
            rate_hz,
            duration,
            ..Self::default()
        })
    }
}

impl Default for LiveSettings {
    fn default() -> Self {
        Self {
            rate_hz: 25,
            duration: None,
            op_timeout: Duration::from_secs(5),
        }
    }
}

/// One reading as it arrives.
#[derive(Debug, Clone, PartialEq)]
pub enum LiveReading {
    /// A calf-pump Live Frame (pressures, pitch, events).
    Frame(LiveFrame),
    /// An RSC Measurement (cadence, speed).
    Cadence(RscMeasurement),
}

/// What a live session received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LiveSummary {
    /// Live Frames received.
    pub frames: u32,
    /// RSC Measurements received.
    pub cadence_readings: u32,
    /// Frames missing by the frame counter (lost notifications).
    pub frames_lost: u32,
    /// Notifications that did not parse (counted, not shown).
    pub unreadable: u32,
}

/// Streams live data from the sensor behind `link`: connects, turns on
/// notifications, writes Start Live Frames to the Control Point and waits
/// for its answer (a sensor that never answers ends it with
/// [`SyncError::Timeout`] naming [`Operation::StartingLive`]), then hands
/// every reading to `on_reading` until `settings.duration` passes or
/// `cancel` fires. A sensor that falls silent for the operation timeout
/// (out of range, battery gone, firmware stuck) ends it with
/// [`SyncError::Timeout`] naming [`Operation::Streaming`], so a stream with
/// no duration still ends. However it ends, the sensor is told to stop and
/// the link is dropped (each bounded by the operation timeout).
pub async fn stream_live<L: GattLink>(
    link: &mut L,
    settings: &LiveSettings,
    cancel: &CancellationToken,
    on_reading: impl FnMut(LiveReading),
) -> Result<LiveSummary, SyncError> {
    stream_checked(link, None, settings, cancel, on_reading).await
}

/// Streams live data from the paired sensor `expected_serial` behind
/// `link`, as [`stream_live`] does. As with a sync, a sensor that was never
/// paired is refused with [`SyncError::NotPaired`] before any connection,
/// and another sensor answering ends it with [`SyncError::WrongSensor`]
/// before live data starts.
pub async fn stream_paired_live<L: GattLink>(
    link: &mut L,
    store: &impl SyncStore,
    expected_serial: &str,
    settings: &LiveSettings,
    cancel: &CancellationToken,
    on_reading: impl FnMut(LiveReading),
) -> Result<LiveSummary, SyncError> {
    if !store
        .is_paired(expected_serial)
        .map_err(StorageError::from)?
    {
        return Err(SyncError::NotPaired {
            serial: expected_serial.to_owned(),
        });
    }
    stream_checked(link, Some(expected_serial), settings, cancel, on_reading).await
}

async fn stream_checked<L: GattLink>(
    link: &mut L,
    expected_serial: Option<&str>,
    settings: &LiveSettings,
    cancel: &CancellationToken,
    mut on_reading: impl FnMut(LiveReading),
) -> Result<LiveSummary, SyncError> {
    let mut summary = LiveSummary::default();
    let result = stream(
        link,
        expected_serial,
        settings,
        cancel,
        &mut on_reading,
        &mut summary,
    )
    .await;
    let stop = ControlRequest::StopLive.encode();
    let _ =
        tokio::time::timeout(settings.op_timeout, link.write(uuids::CONTROL_POINT, &stop)).await;
    let _ = tokio::time::timeout(settings.op_timeout, link.disconnect()).await;
    result.map(|()| summary)
}

/// One GATT step, bounded and cancellable, its failure named.
async fn step<T>(
    operation: Operation,
    future: impl Future<Output = Result<T, crate::BleError>>,
    timeout: Duration,
    cancel: &CancellationToken,
) -> Result<T, SyncError> {
    match bounded(future, timeout, cancel).await {
        None => Err(SyncError::Cancelled),
        Some(Ok(value)) => Ok(value),
        Some(Err(GattError::TimedOut)) => Err(SyncError::Timeout { operation }),
        Some(Err(error)) => Err(SyncError::Bluetooth { operation, error }),
    }
}

async fn stream<L: GattLink>(
    link: &mut L,
    expected_serial: Option<&str>,
    settings: &LiveSettings,
    cancel: &CancellationToken,
    on_reading: &mut impl FnMut(LiveReading),
    summary: &mut LiveSummary,
) -> Result<(), SyncError> {
    let timeout = settings.op_timeout;
    step(Operation::Connecting, link.connect(), timeout * 3, cancel).await?;
    if let Some(expected) = expected_serial {
        let bytes = step(
            Operation::ReadingSerial,
            link.read(uuids::SERIAL_NUMBER),
            timeout,
            cancel,
        )
        .await?;
        let found = match parse_utf8_string("Serial Number", &bytes) {
            Ok(serial) if !serial.trim().is_empty() => serial.trim().to_owned(),
            _ => return Err(ProtocolError::NoSerial.into()),
        };
        if found != expected {
            return Err(SyncError::WrongSensor {
                expected: expected.to_owned(),
                found,
            });
        }
    }
    for characteristic in [
        uuids::RSC_MEASUREMENT,
        uuids::LIVE_FRAME,
        uuids::CONTROL_POINT,
    ] {
        step(
            Operation::Subscribing,
            link.subscribe(characteristic),
            timeout,
            cancel,
        )
        .await?;
    }
    let start = ControlRequest::StartLive {
        rate_hz: settings.rate_hz.clamp(1, 100),
    }
    .encode();
    step(
        Operation::StartingLive,
        link.write(uuids::CONTROL_POINT, &start),
        timeout,
        cancel,
    )
    .await?;
    let answer_by = Instant::now() + timeout;
    let mut started = false;
    let mut until = None;
    let mut last_counter: Option<u16> = None;
    let mut heard_at = Instant::now();
    loop {
        let operation = if started {
            Operation::Streaming
        } else {
            Operation::StartingLive
        };
        // Before the answer, the answer's deadline; after it, whichever comes
        // first of the stream's end and the sensor's silence.
        let silent_by = if started {
            heard_at + timeout
        } else {
            answer_by
        };
        let ends = until.filter(|&end| end <= silent_by);
        let expired = || {
            if ends.is_some() {
                Ok(())
            } else {
                Err(SyncError::Timeout { operation })
            }
        };
        // Checked here too: below, where notifications go before the
        // timer, a sensor that never pauses would keep the deadline from
        // being looked at.
        if Instant::now() >= ends.unwrap_or(silent_by) {
            return expired();
        }
        // A cancel first: no reading is handed on once the user stopped.
        let event = tokio::select! {
            biased;
            () = cancel.cancelled() => {
                return if started { Ok(()) } else { Err(SyncError::Cancelled) };
            }
            event = link.next_event() => event,
            () = sleep_until(ends.unwrap_or(silent_by)) => return expired(),
        };
        let (characteristic, value): (Uuid, Vec<u8>) = match event {
            LinkEvent::Notification {
                characteristic,
                value,
            } => (characteristic, value),
            LinkEvent::Disconnected => return Err(SyncError::Disconnected { operation }),
            LinkEvent::Failed(error) => {
                return Err(SyncError::Bluetooth {
                    operation,
                    error: GattError::Failed(error.to_string()),
                });
            }
        };
        match characteristic {
            c if c == uuids::CONTROL_POINT => match ControlResponse::parse(&value) {
                Ok(ControlResponse {
                    request_op: 0x01,
                    result: ControlResult::Success,
                }) if !started => {
                    started = true;
                    until = settings.duration.map(|d| Instant::now() + d);
                }
                Ok(ControlResponse {
                    request_op: 0x01,
                    result,
                }) if !started => {
                    return Err(ProtocolError::ControlRefused { result }.into());
                }
                _ => summary.unreadable += 1,
            },
            c if c == uuids::LIVE_FRAME => match LiveFrame::parse(&value) {
                Ok(frame) => {
                    if let Some(previous) = last_counter {
                        summary.frames_lost = summary
                            .frames_lost
                            .saturating_add(u32::from(frame.lost_since(previous)));
                    }
                    last_counter = Some(frame.frame_seq);
                    summary.frames += 1;
                    on_reading(LiveReading::Frame(frame));
                }
                Err(_) => summary.unreadable += 1,
            },
            c if c == uuids::RSC_MEASUREMENT => match RscMeasurement::parse(&value) {
                Ok(measurement) => {
                    summary.cadence_readings += 1;
                    on_reading(LiveReading::Cadence(measurement));
                }
                Err(_) => summary.unreadable += 1,
            },
            _ => {}
        }
        // The silence counts from here: the time the app took over the
        // reading (a slow screen, a busy store) is not the sensor's.
        heard_at = Instant::now();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_settings_are_checked_once_for_every_front_end() {
        let day = LiveSettings::checked(50, Some(86_400.0)).expect("a day");
        assert_eq!(
            (day.rate_hz, day.duration),
            (50, Some(Duration::from_secs(86_400)))
        );
        assert_eq!(
            LiveSettings::checked(1, None)
                .expect("until cancelled")
                .duration,
            None
        );
        for (rate_hz, seconds, field) in [
            (25, Some(0.05), "seconds"),
            (25, Some(f64::NAN), "seconds"),
            (25, Some(90_000.0), "seconds"),
            (0, Some(10.0), "rate"),
            (101, None, "rate"),
        ] {
            match LiveSettings::checked(rate_hz, seconds) {
                Err(second_heart_core::Error::InvalidInput { field: got, .. }) => {
                    assert_eq!(got, field, "{rate_hz} Hz, {seconds:?} s");
                }
                other => panic!("{rate_hz} Hz, {seconds:?} s: {other:?}"),
            }
        }
    }
}
