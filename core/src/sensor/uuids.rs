//! Every service and characteristic UUID of the sensor profile.

use uuid::Uuid;

/// The Bluetooth Base UUID with a 16-bit assigned number in place.
pub const fn sig(short: u16) -> Uuid {
    Uuid::from_u128(0x0000_0000_0000_1000_8000_0080_5f9b_34fb | ((short as u128) << 96))
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

#[cfg(test)]
mod tests {
    use super::*;

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
