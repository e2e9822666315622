//! Device Information (0x180A) strings and the Battery Level (0x2A19).

use super::ParseError;

/// What the Device Information service says about a sensor, and its
/// Battery Level read with it.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct DeviceInfo {
    /// Manufacturer Name String (0x2A29).
    pub manufacturer: String,
    /// Model Number String (0x2A24).
    pub model: String,
    /// Serial Number String (0x2A25): the device's identity in the database.
    pub serial: String,
    /// Firmware Revision String (0x2A26).
    pub firmware: String,
    /// Battery Level (0x2A19), percent, when the sensor told it.
    pub battery_percent: Option<u8>,
}

/// Reads a GATT UTF-8 string characteristic. A trailing NUL, which some
/// firmwares send, is dropped.
pub fn parse_utf8_string(what: &'static str, bytes: &[u8]) -> Result<String, ParseError> {
    let trimmed = bytes.strip_suffix(&[0]).unwrap_or(bytes);
    std::str::from_utf8(trimmed)
        .map(str::to_owned)
        .map_err(|_| ParseError::NotUtf8 { what })
}

/// Reads Battery Level (0x2A19): one byte, 0–100 %.
pub fn parse_battery_level(bytes: &[u8]) -> Result<u8, ParseError> {
    match bytes {
        [level] if *level <= 100 => Ok(*level),
        [level] => Err(ParseError::UnknownValue {
            what: "Battery Level",
            value: u32::from(*level),
        }),
        [] => Err(ParseError::TooShort {
            what: "Battery Level",
            needed: 1,
            got: 0,
        }),
        more => Err(ParseError::TooLong {
            what: "Battery Level",
            expected: 1,
            got: more.len(),
        }),
    }
}
