//! The calf-pump service's Control Point (write + indicate).

use super::ParseError;
use super::reader::Reader;

const OP_START_LIVE: u8 = 0x01;
const OP_STOP_LIVE: u8 = 0x02;
const OP_SET_PLACEMENT: u8 = 0x03;
const OP_ZERO_PRESSURE: u8 = 0x04;
const OP_RESPONSE: u8 = 0x80;

/// Where the sensor sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// 0: left ankle.
    LeftAnkle,
    /// 1: right ankle.
    RightAnkle,
    /// 2: left calf (in the sock's cuff).
    LeftCalf,
    /// 3: right calf.
    RightCalf,
}

/// A request written to the Control Point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControlRequest {
    /// Start Live Frame notifications at `rate_hz` samples a second.
    StartLive {
        /// Samples a second, 1–100.
        rate_hz: u8,
    },
    /// Stop Live Frame notifications.
    StopLive,
    /// Tell the sensor where it is worn.
    SetPlacement(Placement),
    /// Take the current sock pressure as zero (sock off the leg).
    ZeroPressure,
}

/// The outcome byte of a Control Point response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControlResult {
    /// 0x01.
    Success,
    /// 0x02.
    OpCodeNotSupported,
    /// 0x03.
    InvalidParameter,
    /// 0x04.
    OperationFailed,
}

/// The indication answering a request: `80 <request op> <result>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ControlResponse {
    /// The request op code answered.
    pub request_op: u8,
    /// The outcome.
    pub result: ControlResult,
}

impl ControlRequest {
    /// The bytes to write.
    pub fn encode(&self) -> Vec<u8> {
        match *self {
            Self::StartLive { rate_hz } => vec![OP_START_LIVE, rate_hz],
            Self::StopLive => vec![OP_STOP_LIVE],
            Self::SetPlacement(p) => vec![
                OP_SET_PLACEMENT,
                match p {
                    Placement::LeftAnkle => 0,
                    Placement::RightAnkle => 1,
                    Placement::LeftCalf => 2,
                    Placement::RightCalf => 3,
                },
            ],
            Self::ZeroPressure => vec![OP_ZERO_PRESSURE],
        }
    }

    /// Parses a written request, as the sensor does; the error is the
    /// response to indicate.
    pub fn parse(bytes: &[u8]) -> Result<Self, ControlResponse> {
        let op = bytes.first().copied().unwrap_or(0);
        let fail = |result| ControlResponse {
            request_op: op,
            result,
        };
        let request = match (op, &bytes[1.min(bytes.len())..]) {
            (OP_START_LIVE, [rate]) if (1..=100).contains(rate) => {
                Self::StartLive { rate_hz: *rate }
            }
            (OP_START_LIVE, _) => return Err(fail(ControlResult::InvalidParameter)),
            (OP_STOP_LIVE, []) => Self::StopLive,
            (OP_SET_PLACEMENT, [p]) => Self::SetPlacement(match p {
                0 => Placement::LeftAnkle,
                1 => Placement::RightAnkle,
                2 => Placement::LeftCalf,
                3 => Placement::RightCalf,
                _ => return Err(fail(ControlResult::InvalidParameter)),
            }),
            (OP_ZERO_PRESSURE, []) => Self::ZeroPressure,
            (OP_STOP_LIVE | OP_SET_PLACEMENT | OP_ZERO_PRESSURE, _) => {
                return Err(fail(ControlResult::InvalidParameter));
            }
            _ => return Err(fail(ControlResult::OpCodeNotSupported)),
        };
        Ok(request)
    }
}

impl ControlResponse {
    /// The bytes indicated.
    pub fn encode(&self) -> [u8; 3] {
        [
            OP_RESPONSE,
            self.request_op,
            match self.result {
                ControlResult::Success => 1,
                ControlResult::OpCodeNotSupported => 2,
                ControlResult::InvalidParameter => 3,
                ControlResult::OperationFailed => 4,
            },
        ]
    }

    /// Parses an indication, as the phone does.
    pub fn parse(bytes: &[u8]) -> Result<Self, ParseError> {
        let mut r = Reader::new("Control Point response", bytes);
        let op = r.u8()?;
        if op != OP_RESPONSE {
            return Err(ParseError::UnknownValue {
                what: "Control Point response op code",
                value: u32::from(op),
            });
        }
        let request_op = r.u8()?;
        let result = match r.u8()? {
            1 => ControlResult::Success,
            2 => ControlResult::OpCodeNotSupported,
            3 => ControlResult::InvalidParameter,
            4 => ControlResult::OperationFailed,
            other => {
                return Err(ParseError::UnknownValue {
                    what: "Control Point result",
                    value: u32::from(other),
                });
            }
        };
        r.finish()?;
        Ok(Self { request_op, result })
    }
}
