//! Every other characteristic the phone reads: Status, Current Elapsed
//! Time, RSC Measurement and Feature, Control Point, Battery Level, Device
//! Information strings, and UUID text from a platform stack. The first
//! byte picks the decoder; none may panic, and what parses round-trips.
#![no_main]

use libfuzzer_sys::fuzz_target;
use second_heart_core::sensor::gatt::{
    ControlRequest, ControlResponse, ElapsedTime, RscFeature, RscMeasurement, SensorStatus,
    parse_battery_level, parse_utf8_string,
};
use second_heart_core::sensor::uuids;

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    match which % 9 {
        0 => {
            if let Ok(status) = SensorStatus::parse(bytes) {
                assert_eq!(SensorStatus::parse(&status.encode()), Ok(status));
            }
        }
        1 => {
            if let Ok(time) = ElapsedTime::parse(bytes) {
                assert_eq!(ElapsedTime::parse(&time.encode()), Ok(time));
            }
        }
        2 => {
            if let Ok(m) = RscMeasurement::parse(bytes) {
                let again = RscMeasurement::parse(&m.encode()).expect("own encoding parses");
                assert_eq!(again.cadence_per_min, m.cadence_per_min);
            }
        }
        3 => {
            if let Ok(feature) = RscFeature::parse(bytes) {
                assert_eq!(RscFeature::parse(&feature.encode()), Ok(feature));
            }
        }
        4 => {
            if let Ok(response) = ControlResponse::parse(bytes) {
                assert_eq!(ControlResponse::parse(&response.encode()), Ok(response));
            }
        }
        5 => {
            if let Ok(request) = ControlRequest::parse(bytes) {
                assert_eq!(ControlRequest::parse(&request.encode()), Ok(request));
            }
        }
        6 => {
            if let Ok(level) = parse_battery_level(bytes) {
                assert!(level <= 100);
            }
        }
        7 => {
            let _ = parse_utf8_string("Serial Number", bytes);
        }
        _ => {
            if let Ok(text) = std::str::from_utf8(bytes)
                && let Ok(uuid) = uuids::parse(text)
            {
                assert_eq!(uuids::parse(&uuid.to_string()), Ok(uuid));
            }
        }
    }
});
