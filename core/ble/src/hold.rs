//! Handing a sensor over from one radio operation to the next.
//!
//! One operation at a time holds a sensor (the core's
//! [`SensorClaim`]). A new one that asks while another runs on is refused
//! with [`Error::SensorBusy`]; one that asks while the holder was
//! cancelled and is winding down (telling the sensor to stop, letting the
//! link go) waits for it instead, so stopping a stream and starting the
//! next at once works. [`SensorHold`] is that policy, for every front end
//! that runs radio operations side by side.

use std::time::Duration;

use second_heart_core::app::{SensorActivity, SensorClaim, SensorRequest, SensorsService};
use second_heart_core::{Error, Result};
use tokio_util::sync::CancellationToken;

/// How long a new operation waits for a sensor whose holder is winding
/// down. A cancelled sync may still write RACP Abort, disconnect, and
/// disconnect again as it ends: three operations of the sync's operation
/// timeout (5 s by default); live data writes Stop Live and disconnects.
const HANDOVER_WAIT: Duration = Duration::from_secs(20);

/// How often the sensor is asked for meanwhile.
const HANDOVER_POLL: Duration = Duration::from_millis(20);

/// A sensor asked for by one operation (`activity`): held now, or to be
/// taken over from an operation that is winding down.
#[derive(Debug)]
pub struct SensorHold {
    serial: String,
    activity: SensorActivity,
    /// None while the holder winds down.
    claim: Option<SensorClaim>,
}

impl SensorHold {
    /// Asks for `serial` (or, for a pairing, the address) for `activity`.
    /// An operation that holds it and runs on refuses at once with
    /// [`Error::SensorBusy`]; one that is winding down is waited for by
    /// [`Self::take`].
    pub fn ask(sensors: &SensorsService, serial: &str, activity: SensorActivity) -> Result<Self> {
        let claim = match sensors.request(serial, activity)? {
            SensorRequest::Held(claim) => Some(claim),
            SensorRequest::HandingOver(_) => None,
        };
        Ok(Self {
            serial: serial.to_owned(),
            activity,
            claim,
        })
    }

    /// Marks a sensor held now as winding down once `token` is cancelled.
    /// To be called as the operation's task is started, before its handle
    /// is returned, so a cancel straight after counts.
    pub fn watch(&self, token: &CancellationToken) {
        if let Some(claim) = &self.claim {
            wind_down_with(claim, token);
        }
    }

    /// The claim, once the sensor is free (marked to wind down with
    /// `token`), or `None` when `token` is cancelled first. Waiting ends
    /// with [`Error::SensorBusy`] if the holder has not let go within
    /// [`HANDOVER_WAIT`].
    pub async fn take(
        self,
        sensors: &SensorsService,
        token: &CancellationToken,
    ) -> Result<Option<SensorClaim>> {
        if let Some(claim) = self.claim {
            return Ok(Some(claim));
        }
        let deadline = tokio::time::Instant::now() + HANDOVER_WAIT;
        loop {
            if token.is_cancelled() {
                return Ok(None);
            }
            match sensors.request(&self.serial, self.activity)? {
                SensorRequest::Held(claim) => {
                    wind_down_with(&claim, token);
                    return Ok(Some(claim));
                }
                SensorRequest::HandingOver(holder) if tokio::time::Instant::now() >= deadline => {
                    return Err(Error::SensorBusy {
                        serial: self.serial,
                        activity: holder,
                    });
                }
                SensorRequest::HandingOver(_) => tokio::time::sleep(HANDOVER_POLL).await,
            }
        }
    }
}

/// Tells `claim` its operation winds down once `token` is cancelled.
pub fn wind_down_with(claim: &SensorClaim, token: &CancellationToken) {
    let token = token.clone();
    claim.winding_down_when(move || token.is_cancelled());
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::DateTime;
    use second_heart_core::app::{FixedClock, SecondHeart};

    use super::*;

    const SERIAL: &str = "SH-HOLD";

    fn app() -> SecondHeart {
        let at = DateTime::parse_from_rfc3339("2026-12-01T09:00:00Z")
            .expect("time")
            .to_utc();
        SecondHeart::open_in_memory(Arc::new(FixedClock {
            at,
            zone: chrono_tz::Europe::Berlin,
        }))
        .expect("app")
    }

    /// A stream holding the sensor, cancelled through `token`.
    fn running_stream(sensors: &SensorsService, token: &CancellationToken) -> SensorClaim {
        let hold = SensorHold::ask(sensors, SERIAL, SensorActivity::StreamingLive).expect("free");
        hold.watch(token);
        hold.claim.expect("held at once")
    }

    #[tokio::test(start_paused = true)]
    async fn a_sensor_in_use_is_refused_at_once() {
        let sensors = app().sensors();
        let _stream = running_stream(&sensors, &CancellationToken::new());
        match SensorHold::ask(&sensors, SERIAL, SensorActivity::Syncing) {
            Err(Error::SensorBusy { serial, activity }) => {
                assert_eq!(
                    (serial.as_str(), activity),
                    (SERIAL, SensorActivity::StreamingLive)
                );
            }
            other => panic!("expected SensorBusy, got {other:?}"),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn the_next_operation_waits_for_a_stopped_one_to_let_go() {
        let sensors = app().sensors();
        let stopped = CancellationToken::new();
        let stream = running_stream(&sensors, &stopped);
        stopped.cancel();
        let next = SensorHold::ask(&sensors, SERIAL, SensorActivity::StreamingLive).expect("waits");
        let letting_go = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(3)).await;
            drop(stream);
        });
        let token = CancellationToken::new();
        let claim = next.take(&sensors, &token).await.expect("taken");
        assert!(claim.is_some());
        letting_go.await.expect("let go");
        // The new holder runs on: a third is refused.
        assert!(matches!(
            SensorHold::ask(&sensors, SERIAL, SensorActivity::Syncing),
            Err(Error::SensorBusy { .. })
        ));
    }

    #[tokio::test(start_paused = true)]
    async fn a_holder_that_never_lets_go_ends_the_wait_busy() {
        let sensors = app().sensors();
        let stopped = CancellationToken::new();
        let _stuck = running_stream(&sensors, &stopped);
        stopped.cancel();
        let next = SensorHold::ask(&sensors, SERIAL, SensorActivity::Syncing).expect("waits");
        let started = tokio::time::Instant::now();
        match next.take(&sensors, &CancellationToken::new()).await {
            Err(Error::SensorBusy { activity, .. }) => {
                assert_eq!(activity, SensorActivity::StreamingLive);
            }
            other => panic!("expected SensorBusy, got {other:?}"),
        }
        assert!(started.elapsed() >= HANDOVER_WAIT);
    }

    #[tokio::test(start_paused = true)]
    async fn cancelling_the_waiting_operation_ends_its_wait() {
        let sensors = app().sensors();
        let stopped = CancellationToken::new();
        let _stuck = running_stream(&sensors, &stopped);
        stopped.cancel();
        let next = SensorHold::ask(&sensors, SERIAL, SensorActivity::Syncing).expect("waits");
        let token = CancellationToken::new();
        let cancel = token.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(1)).await;
            cancel.cancel();
        });
        let started = tokio::time::Instant::now();
        assert!(
            next.take(&sensors, &token)
                .await
                .expect("no error")
                .is_none()
        );
        assert!(started.elapsed() < HANDOVER_WAIT);
    }
}
