//! The Status characteristic of the calf-pump service.

use super::ParseError;
use super::reader::Reader;

/// Layout version of [`SensorStatus`].
const STATUS_VERSION: u8 = 1;
/// Bytes in a version-1 status value.
const STATUS_LEN: usize = 24;

/// Whether the phone has set the sensor's clock since it booted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    /// 0: running free since boot; record times are ticks only.
    NotSet,
    /// 1: set by a phone during this epoch.
    SetByPhone,
}

/// What the sensor holds and how its clock stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct SensorStatus {
    /// Sequence number of the oldest record held (meaningless when `stored` is 0).
    pub oldest_seq: u32,
    /// Sequence number of the newest record ever written (0 before the first).
    pub newest_seq: u32,
    /// Records overwritten while still held (never deleted on a phone's
    /// word), since manufacture: every overwrite of the ring, so a record
    /// sent to a phone that did not store it counts too.
    pub dropped_total: u32,
    /// Records held now.
    pub stored: u32,
    /// Records the sensor can hold.
    pub capacity: u32,
    /// The current clock epoch.
    pub epoch: u16,
    /// Whether the clock was set this epoch.
    pub clock: ClockState,
}

impl SensorStatus {
    /// Parses a version-1 status. Later versions may append fields; those are
    /// ignored, so an old app keeps working with a newer sensor.
    pub fn parse(bytes: &[u8]) -> Result<Self, ParseError> {
        let mut r = Reader::new("Status", bytes);
        let version = r.u8()?;
        if version == 0 {
            return Err(ParseError::UnknownValue {
                what: "Status version",
                value: 0,
            });
        }
        let status = Self {
            oldest_seq: r.u32()?,
            newest_seq: r.u32()?,
            dropped_total: r.u32()?,
            stored: r.u32()?,
            capacity: r.u32()?,
            epoch: r.u16()?,
            clock: match r.u8()? {
                0 => ClockState::NotSet,
                1 => ClockState::SetByPhone,
                other => {
                    return Err(ParseError::UnknownValue {
                        what: "clock state",
                        value: u32::from(other),
                    });
                }
            },
        };
        if version == STATUS_VERSION && !r.rest().is_empty() {
            r.finish()?;
        }
        Ok(status)
    }

    /// Encodes the 24-byte version-1 value.
    pub fn encode(&self) -> [u8; STATUS_LEN] {
        let mut out = [0u8; STATUS_LEN];
        out[0] = STATUS_VERSION;
        out[1..5].copy_from_slice(&self.oldest_seq.to_le_bytes());
        out[5..9].copy_from_slice(&self.newest_seq.to_le_bytes());
        out[9..13].copy_from_slice(&self.dropped_total.to_le_bytes());
        out[13..17].copy_from_slice(&self.stored.to_le_bytes());
        out[17..21].copy_from_slice(&self.capacity.to_le_bytes());
        out[21..23].copy_from_slice(&self.epoch.to_le_bytes());
        out[23] = match self.clock {
            ClockState::NotSet => 0,
            ClockState::SetByPhone => 1,
        };
        out
    }

    /// Storage used, percent.
    pub fn storage_used_pct(&self) -> u8 {
        if self.capacity == 0 {
            return 0;
        }
        u8::try_from(u64::from(self.stored) * 100 / u64::from(self.capacity)).unwrap_or(100)
    }
}
