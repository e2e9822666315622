//! Byte layouts: published vectors, round trips, and fuzzing of every parser.

use chrono::{DateTime, Utc};
use proptest::prelude::*;
use second_heart_core::sensor::gatt::{
    ControlRequest, ControlResponse, ElapsedTime, ExerciseKind, LiveFrame, ParseError, Posture,
    RacpOperator, RacpRequest, RacpResponse, RacpResponseCode, Record, RecordBody, RscFeature,
    RscMeasurement, SensorStatus, TimeSyncSource, batch_crc32, parse_battery_level, parse_records,
    parse_utf8_string,
};

// --- RSC Measurement (0x2A53) against published vectors -------------------

/// OpenTracks, `BluetoothHandlerRunningSpeedAndCadenceTest.parseRunningSpeedAndCadence_with_distance`
/// (OpenTracksApp/OpenTracks, src/androidTest/.../sensors/): flags 0x02,
/// 5 m/s, 80 steps/min, total distance 0x0100FFFF × 0.1 m.
#[test]
fn rsc_vector_from_opentracks_with_total_distance() {
    let m = RscMeasurement::parse(&[2, 0, 5, 80, 0xFF, 0xFF, 0, 1]).expect("valid");
    assert_eq!(m.speed_m_s, 5.0);
    assert_eq!(m.cadence_per_min, 80);
    assert_eq!(m.total_distance_m, Some(6553.5 + 1_677_721.6));
    assert_eq!(m.stride_length_m, None);
    assert!(!m.running);
}

/// bluetooth-sig-python, tests/gatt/characteristics/test_rsc_measurement.py
/// (RonanB96/bluetooth-sig-python): the GATT Specification Supplement's
/// RSC Measurement fields with every flag combination.
#[test]
fn rsc_vectors_from_bluetooth_sig_python() {
    let basic = RscMeasurement::parse(&[0x00, 0x80, 0x02, 0xB4]).expect("valid");
    assert_eq!((basic.speed_m_s, basic.cadence_per_min), (2.5, 180));
    let stride = RscMeasurement::parse(&[0x01, 0x80, 0x02, 0xB4, 0x55, 0x00]).expect("valid");
    assert_eq!(stride.stride_length_m, Some(0.85));
    let both = RscMeasurement::parse(&[0x03, 0x80, 0x02, 0xB4, 0x55, 0x00, 0x10, 0x27, 0x00, 0x00])
        .expect("valid");
    assert_eq!(both.stride_length_m, Some(0.85));
    assert_eq!(both.total_distance_m, Some(1000.0));
    let walking = RscMeasurement::parse(&[0x01, 0x9A, 0x01, 0x78, 0x50, 0x00]).expect("valid");
    assert_eq!(walking.speed_m_s, 410.0 / 256.0);
    assert_eq!(walking.cadence_per_min, 120);
    assert_eq!(walking.stride_length_m, Some(0.80));
    assert!(
        RscMeasurement::parse(&[0x00, 0x01, 0x02]).is_err(),
        "3 bytes are too few"
    );
}

/// Flags bit 2 is "running" when set (RSCS 1.0 §3.1; Nordic's ble_rscs).
#[test]
fn rsc_status_bit_set_means_running() {
    assert!(
        RscMeasurement::parse(&[0x04, 0x00, 0x03, 0xA0])
            .expect("valid")
            .running
    );
    assert!(
        !RscMeasurement::parse(&[0x00, 0x00, 0x03, 0xA0])
            .expect("valid")
            .running
    );
}

#[test]
fn rsc_fields_missing_for_their_flags_are_errors() {
    assert!(matches!(
        RscMeasurement::parse(&[0x01, 0x80, 0x02, 0xB4, 0x55]),
        Err(ParseError::TooShort { .. })
    ));
    assert!(matches!(
        RscMeasurement::parse(&[0x00, 0x80, 0x02, 0xB4, 0x55]),
        Err(ParseError::TooLong { .. })
    ));
}

#[test]
fn rsc_feature_bits() {
    let feature = RscFeature::parse(&[0x05, 0x00]).expect("valid");
    assert!(feature.stride_length && feature.walking_or_running && !feature.total_distance);
    assert_eq!(feature.encode(), [0x05, 0x00]);
}

// --- RACP ---------------------------------------------------------------

#[test]
fn racp_wire_format_matches_the_profile() {
    // Report records with sequence number >= 45 (filter type 0x01, u32 operand).
    assert_eq!(
        RacpRequest::Report(RacpOperator::AtLeast(45)).encode(),
        [0x01, 0x03, 0x01, 0x2D, 0x00, 0x00, 0x00]
    );
    assert_eq!(
        RacpRequest::Report(RacpOperator::All).encode(),
        [0x01, 0x01]
    );
    assert_eq!(RacpRequest::Abort.encode(), [0x03, 0x00]);
    assert_eq!(
        RacpRequest::Delete(RacpOperator::AtMost(7)).encode(),
        [0x02, 0x02, 0x01, 0x07, 0x00, 0x00, 0x00]
    );
    // The classic 4-byte success response still parses.
    assert_eq!(
        RacpResponse::parse(&[0x06, 0x00, 0x01, 0x01]).expect("valid"),
        RacpResponse::Code {
            request_op: 0x01,
            code: RacpResponseCode::Success,
            transfer: None
        }
    );
    assert_eq!(
        RacpResponse::parse(&[0x05, 0x00, 0x10, 0x00, 0x00, 0x00]).expect("valid"),
        RacpResponse::Count(16)
    );
}

#[test]
fn racp_bad_requests_get_the_right_response_codes() {
    assert_eq!(
        RacpRequest::parse(&[0x09, 0x01]),
        Err((0x09, RacpResponseCode::OpCodeNotSupported))
    );
    assert_eq!(
        RacpRequest::parse(&[0x01, 0x07]),
        Err((0x01, RacpResponseCode::OperatorNotSupported))
    );
    assert_eq!(
        RacpRequest::parse(&[0x01, 0x00]),
        Err((0x01, RacpResponseCode::InvalidOperator))
    );
    assert_eq!(
        RacpRequest::parse(&[0x01, 0x03, 0x02, 1, 0, 0, 0]),
        Err((0x01, RacpResponseCode::OperandNotSupported))
    );
    assert_eq!(
        RacpRequest::parse(&[0x01, 0x03, 0x01, 1, 0]),
        Err((0x01, RacpResponseCode::InvalidOperand))
    );
    assert_eq!(
        RacpRequest::parse(&[0x01, 0x04, 0x01, 9, 0, 0, 0, 3, 0, 0, 0]),
        Err((0x01, RacpResponseCode::InvalidOperand)),
        "a range whose start is after its end"
    );
}

// --- Records --------------------------------------------------------------

fn minute(seq: u32) -> Record {
    Record {
        seq,
        epoch: 3,
        ticks_s: 600 + seq,
        body: RecordBody::Minute {
            steps: 104,
            contractions: 2,
            ankle_pressure_mmhg: 17,
            posture: Posture::Walking,
        },
    }
}

#[test]
fn every_single_bit_error_in_a_record_is_caught() {
    let bytes = minute(42).encode();
    for byte in 0..bytes.len() {
        for bit in 0..8 {
            let mut damaged = bytes;
            damaged[byte] ^= 1 << bit;
            assert!(
                Record::parse(&damaged).is_err(),
                "flip of byte {byte} bit {bit} went unnoticed"
            );
        }
    }
}

#[test]
fn a_notification_with_one_damaged_record_keeps_its_neighbours() {
    let mut bytes: Vec<u8> = (1..=3).flat_map(|s| minute(s).encode()).collect();
    bytes[25] ^= 0xFF;
    let parsed = parse_records(&bytes);
    assert!(parsed[0].is_ok() && parsed[1].is_err() && parsed[2].is_ok());
}

#[test]
fn batch_crc_is_crc32_over_the_records_in_order() {
    let records = [minute(1), minute(2)];
    let expected = crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC)
        .checksum(&records.iter().flat_map(Record::encode).collect::<Vec<_>>());
    assert_eq!(batch_crc32(&records), expected);
    assert_ne!(batch_crc32(&[records[1], records[0]]), expected);
}

// --- Elapsed Time ----------------------------------------------------------

#[test]
fn elapsed_time_carries_utc_with_millisecond_resolution() {
    let now: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-11-21T09:15:30.250Z")
        .expect("time")
        .to_utc();
    let written = ElapsedTime::utc_time_of_day(now, 3600, TimeSyncSource::CellularNetwork);
    let bytes = written.encode();
    assert_eq!(
        bytes[0],
        0x02 | 0x08 | 0x10 | 0x20,
        "UTC, 1 ms, TZ used, current timeline"
    );
    let read = ElapsedTime::parse(&bytes).expect("valid");
    assert_eq!(read.as_utc(), Some(now));
    assert_eq!(read.tz_dst_offset_quarter_hours, 4);
    let ticks = ElapsedTime::parse(&ElapsedTime::ticks_ms(123_456).encode()).expect("valid");
    assert!(ticks.tick_counter);
    assert_eq!(ticks.value_ms(), 123_456);
    assert_eq!(ticks.as_utc(), None);
}

// --- Fuzzing: no byte string makes any parser panic -------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4_000))]

    #[test]
    fn no_parser_panics_on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = RscMeasurement::parse(&bytes);
        let _ = RscFeature::parse(&bytes);
        let _ = ElapsedTime::parse(&bytes);
        let _ = SensorStatus::parse(&bytes);
        let _ = RacpRequest::parse(&bytes);
        let _ = RacpResponse::parse(&bytes);
        let _ = ControlRequest::parse(&bytes);
        let _ = ControlResponse::parse(&bytes);
        let _ = LiveFrame::parse(&bytes);
        let _ = Record::parse(&bytes);
        let _ = parse_records(&bytes);
        let _ = parse_battery_level(&bytes);
        let _ = parse_utf8_string("fuzz", &bytes);
    }

    #[test]
    fn records_round_trip(seq in any::<u32>(), epoch in any::<u16>(), ticks in any::<u32>(),
                          steps in any::<u16>(), contractions in any::<u16>(), mmhg in any::<u8>(),
                          reps in any::<u8>(), duration in any::<u16>(), hold in any::<u16>(), pick in 0u8..4) {
        let body = match pick {
            0 => RecordBody::Minute { steps, contractions, ankle_pressure_mmhg: mmhg, posture: Posture::Sitting },
            1 => RecordBody::Exercise { kind: ExerciseKind::CalfRaises, reps, duration_s: duration, mean_hold_ds: hold },
            2 => RecordBody::Boot { previous_epoch: epoch.wrapping_sub(1), reason: second_heart_core::sensor::gatt::BootReason::Watchdog },
            _ => RecordBody::ClockSet { utc_s_since_2000: ticks, tz_quarter_hours: -20 },
        };
        let record = Record { seq, epoch, ticks_s: ticks, body };
        prop_assert_eq!(Record::parse(&record.encode()), Ok(record));
    }

    #[test]
    fn racp_requests_round_trip(lo in any::<u32>(), span in 0u32..1000, which in 0u8..6) {
        let hi = lo.saturating_add(span);
        let operator = match which {
            0 => RacpOperator::All,
            1 => RacpOperator::AtMost(lo),
            2 => RacpOperator::AtLeast(lo),
            3 => RacpOperator::Within(lo, hi),
            4 => RacpOperator::First,
            _ => RacpOperator::Last,
        };
        for request in [RacpRequest::Report(operator), RacpRequest::Delete(operator), RacpRequest::Count(operator)] {
            prop_assert_eq!(RacpRequest::parse(&request.encode()), Ok(request));
        }
    }

    #[test]
    fn status_round_trips(oldest in any::<u32>(), newest in any::<u32>(), dropped in any::<u32>(),
                          stored in any::<u32>(), capacity in any::<u32>(), epoch in any::<u16>()) {
        let status = SensorStatus { oldest_seq: oldest, newest_seq: newest, dropped_total: dropped,
            stored, capacity, epoch, clock: second_heart_core::sensor::gatt::ClockState::SetByPhone };
        prop_assert_eq!(SensorStatus::parse(&status.encode()), Ok(status));
    }

    #[test]
    fn rsc_round_trips(speed in 0u16.., cadence in any::<u8>(), stride in proptest::option::of(any::<u16>()),
                       distance in proptest::option::of(any::<u32>()), running in any::<bool>()) {
        let m = RscMeasurement {
            speed_m_s: f64::from(speed) / 256.0,
            cadence_per_min: cadence,
            stride_length_m: stride.map(|s| f64::from(s) / 100.0),
            total_distance_m: distance.map(|d| f64::from(d) / 10.0),
            running,
        };
        prop_assert_eq!(RscMeasurement::parse(&m.encode()), Ok(m));
    }
}
