//! The Record Access Control Point: requests (as the sensor parses them)
//! and responses (as the phone does) never panic and round-trip.
#![no_main]

use libfuzzer_sys::fuzz_target;
use second_heart_core::sensor::gatt::{RacpRequest, RacpResponse};

fuzz_target!(|data: &[u8]| {
    if let Ok(response) = RacpResponse::parse(data) {
        assert_eq!(RacpResponse::parse(&response.encode()), Ok(response));
    }
    if let Ok(request) = RacpRequest::parse(data) {
        assert_eq!(RacpRequest::parse(&request.encode()), Ok(request));
    }
});
