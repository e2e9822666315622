//! Files a user hands the program: day scripts (JSON), pump-model
//! scenarios (JSON) and IMU recordings (CSV). The first byte picks the
//! reader; any bytes give a value or a typed error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use second_heart_core::activity::ImuCsvReader;
use second_heart_core::pump::Scenario;
use second_heart_core::sensor::sim::DayScript;

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    match which % 3 {
        0 => {
            if let Ok(text) = std::str::from_utf8(bytes)
                && let Ok(script) = DayScript::from_json(text)
            {
                assert!(script.end() >= script.start);
                let _ = script.spans();
            }
        }
        1 => {
            if let Ok(text) = std::str::from_utf8(bytes) {
                let _ = Scenario::from_json(text);
            }
        }
        _ => {
            let rate = (which & 0x80 != 0).then_some(50.0);
            if let Ok(reader) = ImuCsvReader::new(bytes, rate) {
                for sample in reader.take(4_096) {
                    if sample.is_err() {
                        break;
                    }
                }
            }
        }
    }
});
