//! Live Frames: any bytes give a frame or an error, never a panic; a frame
//! that parses encodes back to its bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use second_heart_core::sensor::gatt::LiveFrame;

fuzz_target!(|data: &[u8]| {
    if let Ok(frame) = LiveFrame::parse(data) {
        assert_eq!(LiveFrame::parse(&frame.encode()), Ok(frame));
    }
});
