//! Every service and characteristic UUID of the sensor profile.

use uuid::Uuid;

/// The Bluetooth Base UUID with a 16-bit assigned number in place.
pub const fn sig(short: u16) -> Uuid {
    Uuid::from_u128(BASE | ((short as u128) << 96))
}

/// A UUID of the calf-pump service family: `a7c0XXXX-3b1d-4e62-8f4e-5365636f6e64`
/// (the last group spells "Second").
const fn calf_pump(short: u16) -> Uuid {
    Uuid::from_u128(0xa7c0_0000_3b1d_4e62_8f4e_5365_636f_6e64 | ((short as u128) << 96))
}

/// Device Information service.
pub const DEVICE_INFORMATION: Uuid = sig(0x180A);
/// Manufacturer Name String.
pub const MANUFACTURER_NAME: Uuid = sig(0x2A29);
/// Model Number String.
pub const MODEL_NUMBER: Uuid = sig(0x2A24);
/// Serial Number String: the device's identity.
pub const SERIAL_NUMBER: Uuid = sig(0x2A25);
/// Firmware Revision String.
pub const FIRMWARE_REVISION: Uuid = sig(0x2A26);

/// Battery service.
pub const BATTERY: Uuid = sig(0x180F);
/// Battery Level (read, notify).
pub const BATTERY_LEVEL: Uuid = sig(0x2A19);

/// Running Speed and Cadence service.
pub const RUNNING_SPEED_AND_CADENCE: Uuid = sig(0x1814);
/// RSC Measurement (notify).
pub const RSC_MEASUREMENT: Uuid = sig(0x2A53);
/// RSC Feature (read).
pub const RSC_FEATURE: Uuid = sig(0x2A54);

/// Elapsed Time service.
pub const ELAPSED_TIME: Uuid = sig(0x183F);
/// Current Elapsed Time (read, write, indicate).
pub const CURRENT_ELAPSED_TIME: Uuid = sig(0x2BF2);

/// The calf-pump service.
pub const CALF_PUMP_SERVICE: Uuid = calf_pump(0x0001);
/// Live Frame (notify).
pub const LIVE_FRAME: Uuid = calf_pump(0x0002);
/// Status (read, notify).
pub const STATUS: Uuid = calf_pump(0x0003);
/// Control Point (write, indicate).
pub const CONTROL_POINT: Uuid = calf_pump(0x0004);
/// Record (notify): stored records during a transfer.
pub const RECORD: Uuid = calf_pump(0x0005);
/// Record Access Control Point, the SIG's 0x2A52 inside the calf-pump service.
pub const RACP: Uuid = sig(0x2A52);

/// The Bluetooth Base UUID, `00000000-0000-1000-8000-00805f9b34fb`.
const BASE: u128 = 0x0000_0000_0000_1000_8000_0080_5f9b_34fb;

/// A UUID as a Bluetooth stack spelled it that is none of the forms
/// [`parse`] accepts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{text:?} is not a Bluetooth UUID (16-bit like \"2A52\", 32-bit like \"00002A52\", or 128-bit)"
)]
pub struct UuidParseError {
    /// The text received.
    pub text: String,
}

/// Parses a UUID in any form a Bluetooth stack writes: 16-bit (`2A52`,
/// CoreBluetooth's short form), 32-bit (`00002A52`), both on the Bluetooth
/// Base UUID, or 128-bit (hyphenated or not, braced or `urn:uuid:`), in any
/// case, optionally with a `0x` prefix on the short forms.
pub fn parse(text: &str) -> Result<Uuid, UuidParseError> {
    let trimmed = text.trim();
    let short = trimmed
        .strip_prefix("0x")
        .or_else(|| trimmed.strip_prefix("0X"))
        .unwrap_or(trimmed);
    let hex = |digits: &str| {
        digits
            .bytes()
            .all(|b| b.is_ascii_hexdigit())
            .then(|| u32::from_str_radix(digits, 16).ok())
            .flatten()
    };
    let parsed = match short.len() {
        4 | 8 => hex(short).map(|value| Uuid::from_u128(BASE | (u128::from(value) << 96))),
        _ => Uuid::parse_str(trimmed).ok(),
    };
    parsed.ok_or_else(|| UuidParseError {
        text: text.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_a_stack_writes_parses_to_the_same_uuid() {
        for text in [
            "2A52",
            "2a52",
            "0x2A52",
            "00002A52",
            "00002a52",
            "00002A52-0000-1000-8000-00805F9B34FB",
            "00002a52-0000-1000-8000-00805f9b34fb",
            "00002a5200001000800000805f9b34fb",
            "{00002a52-0000-1000-8000-00805f9b34fb}",
            " 2A52 ",
        ] {
            assert_eq!(parse(text), Ok(RACP), "{text}");
        }
        assert_eq!(parse("A7C00005-3B1D-4E62-8F4E-5365636F6E64"), Ok(RECORD));
        assert_eq!(parse("180A"), Ok(DEVICE_INFORMATION));
    }

    #[test]
    fn anything_else_is_an_error_naming_the_text() {
        for text in ["", "2A5", "2A5G", "12345", "not-a-uuid", "0x", "2A52-"] {
            let error = parse(text).expect_err(text);
            assert_eq!(error.text, text);
            assert!(error.to_string().contains("not a Bluetooth UUID"));
        }
    }

    #[test]
    fn uuids_print_as_documented() {
        assert_eq!(
            RSC_MEASUREMENT.to_string(),
            "00002a53-0000-1000-8000-00805f9b34fb"
        );
        assert_eq!(
            CALF_PUMP_SERVICE.to_string(),
            "a7c00001-3b1d-4e62-8f4e-5365636f6e64"
        );
        assert_eq!(RECORD.to_string(), "a7c00005-3b1d-4e62-8f4e-5365636f6e64");
    }
}
