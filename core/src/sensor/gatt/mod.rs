//! Byte layouts of every characteristic the sensor exposes, version 1.
//!
//! Each type parses from and encodes to the exact bytes on the air
//! (little-endian, as in every Bluetooth SIG characteristic). Parsing never
//! panics: any byte string gives a value or a [`ParseError`]. The layouts are
//! specified in docs/sensor-protocol.md.

mod control;
mod device_info;
mod elapsed_time;
mod live;
mod racp;
mod reader;
mod record;
mod rsc;
mod status;

pub use control::{ControlRequest, ControlResponse, ControlResult, Placement};
pub use device_info::{DeviceInfo, parse_battery_level, parse_utf8_string};
pub use elapsed_time::{ElapsedTime, TimeResolution, TimeSyncSource};
pub use live::{LiveEvent, LiveFrame, LiveSample, MAX_LIVE_SAMPLES_AT_MTU_23};
pub use racp::{RacpOpCode, RacpOperator, RacpRequest, RacpResponse, RacpResponseCode};
pub(crate) use record::TYPE_EXERCISE;
pub use record::{
    BootReason, ExerciseKind, Posture, RECORD_LEN, Record, RecordBody, batch_crc32,
    batch_crc32_of_images, pack_records, parse_records,
};
pub use rsc::{RscFeature, RscMeasurement};
pub use status::{ClockState, SensorStatus};

/// The smallest ATT MTU (Bluetooth Core 5.4, Vol 3, Part F, 3.2.8): every
/// link starts at it, and a stack that never reports the MTU stays at it.
pub const ATT_MTU_MIN: u16 = 23;
/// The largest ATT MTU: a 512-byte attribute value plus the 5-byte header
/// of the longest ATT request.
pub const ATT_MTU_MAX: u16 = 517;
/// The ATT MTU a phone asks for: twelve records, or 29 live samples, per
/// notification, and what iOS and Android grant with data length extension.
pub const ATT_MTU_DESIRED: u16 = 247;

/// An ATT MTU as a stack reported or a user asked for, within
/// [`ATT_MTU_MIN`]..=[`ATT_MTU_MAX`].
pub fn clamp_att_mtu(mtu: u16) -> u16 {
    mtu.clamp(ATT_MTU_MIN, ATT_MTU_MAX)
}

/// Why a characteristic value could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Fewer bytes than the layout needs.
    #[error("{what}: needs at least {needed} bytes, got {got}")]
    TooShort {
        /// The characteristic or field.
        what: &'static str,
        /// Bytes needed.
        needed: usize,
        /// Bytes received.
        got: usize,
    },
    /// More bytes than the layout has.
    #[error("{what}: expected {expected} bytes, got {got}")]
    TooLong {
        /// The characteristic or field.
        what: &'static str,
        /// Bytes expected.
        expected: usize,
        /// Bytes received.
        got: usize,
    },
    /// A field holds a value the layout does not define.
    #[error("{what}: unknown value {value:#04x}")]
    UnknownValue {
        /// The field.
        what: &'static str,
        /// The value found.
        value: u32,
    },
    /// A stored record whose CRC does not match its bytes.
    #[error("record {seq}: CRC mismatch (damaged in transit)")]
    BadCrc {
        /// The sequence number as received (it may itself be damaged).
        seq: u32,
    },
    /// A record whose CRC matches but which holds a type or value this
    /// version does not know (a newer firmware's record).
    #[error("record {seq}: {what} {value:#04x} is unknown to this version")]
    UnknownRecordContent {
        /// The record's sequence number (trustworthy: the CRC matched).
        seq: u32,
        /// The field.
        what: &'static str,
        /// The value found.
        value: u32,
    },
    /// A string that is not UTF-8.
    #[error("{what}: not UTF-8 text")]
    NotUtf8 {
        /// The characteristic.
        what: &'static str,
    },
}
