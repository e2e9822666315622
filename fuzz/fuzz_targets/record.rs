//! Stored records (the Record characteristic): any bytes give records or
//! errors, never a panic; a record that parses encodes to one that parses
//! the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use second_heart_core::sensor::gatt::{RECORD_LEN, Record, parse_records};

fuzz_target!(|data: &[u8]| {
    let parsed = parse_records(data);
    assert_eq!(parsed.len(), data.len().div_ceil(RECORD_LEN));
    for (slot, result) in data.chunks(RECORD_LEN).zip(parsed) {
        if let Ok(record) = result {
            assert_eq!(Record::parse(slot), Ok(record));
            assert_eq!(Record::parse(&record.encode()), Ok(record));
        }
    }
});
