//! The Record Access Control Point, in the standard RACP format (0x2A52)
//! with 32-bit sequence-number operands.

use super::ParseError;
use super::reader::Reader;

/// Filter type 0x01: sequence number (a u32 in this profile).
const FILTER_SEQUENCE: u8 = 0x01;

/// RACP op codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RacpOpCode {
    /// 0x01 Report Stored Records.
    ReportStoredRecords,
    /// 0x02 Delete Stored Records.
    DeleteStoredRecords,
    /// 0x03 Abort Operation.
    Abort,
    /// 0x04 Report Number of Stored Records.
    ReportNumberOfRecords,
    /// 0x05 Number of Stored Records Response.
    NumberOfRecordsResponse,
    /// 0x06 Response Code.
    ResponseCode,
}

impl RacpOpCode {
    /// The byte on the air.
    pub fn byte(self) -> u8 {
        match self {
            Self::ReportStoredRecords => 0x01,
            Self::DeleteStoredRecords => 0x02,
            Self::Abort => 0x03,
            Self::ReportNumberOfRecords => 0x04,
            Self::NumberOfRecordsResponse => 0x05,
            Self::ResponseCode => 0x06,
        }
    }

    fn from_byte(value: u8) -> Result<Self, ParseError> {
        Ok(match value {
            0x01 => Self::ReportStoredRecords,
            0x02 => Self::DeleteStoredRecords,
            0x03 => Self::Abort,
            0x04 => Self::ReportNumberOfRecords,
            0x05 => Self::NumberOfRecordsResponse,
            0x06 => Self::ResponseCode,
            other => {
                return Err(ParseError::UnknownValue {
                    what: "RACP op code",
                    value: u32::from(other),
                });
            }
        })
    }
}

/// Which records a request is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RacpOperator {
    /// 0x01: all records.
    All,
    /// 0x02: sequence number ≤ the operand.
    AtMost(u32),
    /// 0x03: sequence number ≥ the operand.
    AtLeast(u32),
    /// 0x04: within the inclusive range.
    Within(u32, u32),
    /// 0x05: the oldest record.
    First,
    /// 0x06: the newest record.
    Last,
}

impl RacpOperator {
    /// Whether `seq` is selected.
    pub fn selects(&self, seq: u32) -> bool {
        match *self {
            Self::All | Self::First | Self::Last => true,
            Self::AtMost(n) => seq <= n,
            Self::AtLeast(n) => seq >= n,
            Self::Within(lo, hi) => (lo..=hi).contains(&seq),
        }
    }

    fn encode_into(&self, out: &mut Vec<u8>) {
        match *self {
            Self::All => out.push(0x01),
            Self::AtMost(n) => {
                out.extend_from_slice(&[0x02, FILTER_SEQUENCE]);
                out.extend_from_slice(&n.to_le_bytes());
            }
            Self::AtLeast(n) => {
                out.extend_from_slice(&[0x03, FILTER_SEQUENCE]);
                out.extend_from_slice(&n.to_le_bytes());
            }
            Self::Within(lo, hi) => {
                out.extend_from_slice(&[0x04, FILTER_SEQUENCE]);
                out.extend_from_slice(&lo.to_le_bytes());
                out.extend_from_slice(&hi.to_le_bytes());
            }
            Self::First => out.push(0x05),
            Self::Last => out.push(0x06),
        }
    }

    fn parse(r: &mut Reader<'_>) -> Result<Self, RacpResponseCode> {
        let operator = r.u8().map_err(|_| RacpResponseCode::InvalidOperator)?;
        let filtered = |r: &mut Reader<'_>| -> Result<u32, RacpResponseCode> {
            match r.u8() {
                Ok(FILTER_SEQUENCE) => r.u32().map_err(|_| RacpResponseCode::InvalidOperand),
                Ok(_) => Err(RacpResponseCode::OperandNotSupported),
                Err(_) => Err(RacpResponseCode::InvalidOperand),
            }
        };
        Ok(match operator {
            0x01 => Self::All,
            0x02 => Self::AtMost(filtered(r)?),
            0x03 => Self::AtLeast(filtered(r)?),
            0x04 => {
                let lo = filtered(r)?;
                let hi = r.u32().map_err(|_| RacpResponseCode::InvalidOperand)?;
                if lo > hi {
                    return Err(RacpResponseCode::InvalidOperand);
                }
                Self::Within(lo, hi)
            }
            0x05 => Self::First,
            0x06 => Self::Last,
            0x00 => return Err(RacpResponseCode::InvalidOperator),
            _ => return Err(RacpResponseCode::OperatorNotSupported),
        })
    }
}

/// A request the phone writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RacpRequest {
    /// Send the selected records as Record notifications, then a response.
    Report(RacpOperator),
    /// Delete the selected records.
    Delete(RacpOperator),
    /// Count the selected records.
    Count(RacpOperator),
    /// Stop the running procedure.
    Abort,
}

impl RacpRequest {
    /// The bytes to write.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(11);
        match self {
            Self::Report(op) => {
                out.push(RacpOpCode::ReportStoredRecords.byte());
                op.encode_into(&mut out);
            }
            Self::Delete(op) => {
                out.push(RacpOpCode::DeleteStoredRecords.byte());
                op.encode_into(&mut out);
            }
            Self::Count(op) => {
                out.push(RacpOpCode::ReportNumberOfRecords.byte());
                op.encode_into(&mut out);
            }
            Self::Abort => out.extend_from_slice(&[RacpOpCode::Abort.byte(), 0x00]),
        }
        out
    }

    /// Parses a written request, as the sensor does. The error is the
    /// response code the sensor should answer with, paired with the request
    /// op code byte (0 when even that was missing).
    pub fn parse(bytes: &[u8]) -> Result<Self, (u8, RacpResponseCode)> {
        let mut r = Reader::new("RACP request", bytes);
        let op_byte = r
            .u8()
            .map_err(|_| (0, RacpResponseCode::OpCodeNotSupported))?;
        let op = RacpOpCode::from_byte(op_byte)
            .map_err(|_| (op_byte, RacpResponseCode::OpCodeNotSupported))?;
        let request = match op {
            RacpOpCode::ReportStoredRecords => {
                Self::Report(RacpOperator::parse(&mut r).map_err(|c| (op_byte, c))?)
            }
            RacpOpCode::DeleteStoredRecords => {
                Self::Delete(RacpOperator::parse(&mut r).map_err(|c| (op_byte, c))?)
            }
            RacpOpCode::ReportNumberOfRecords => {
                Self::Count(RacpOperator::parse(&mut r).map_err(|c| (op_byte, c))?)
            }
            RacpOpCode::Abort => match r.u8() {
                Ok(0x00) => Self::Abort,
                _ => return Err((op_byte, RacpResponseCode::InvalidOperator)),
            },
            RacpOpCode::NumberOfRecordsResponse | RacpOpCode::ResponseCode => {
                return Err((op_byte, RacpResponseCode::OpCodeNotSupported));
            }
        };
        if !r.rest().is_empty() {
            return Err((op_byte, RacpResponseCode::InvalidOperand));
        }
        Ok(request)
    }

    /// The request's op code byte.
    pub fn op_byte(&self) -> u8 {
        self.encode()[0]
    }
}

/// RACP response code values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RacpResponseCode {
    /// 0x01.
    Success,
    /// 0x02.
    OpCodeNotSupported,
    /// 0x03.
    InvalidOperator,
    /// 0x04.
    OperatorNotSupported,
    /// 0x05.
    InvalidOperand,
    /// 0x06.
    NoRecordsFound,
    /// 0x07.
    AbortUnsuccessful,
    /// 0x08.
    ProcedureNotCompleted,
    /// 0x09.
    OperandNotSupported,
    /// 0x0A.
    ServerBusy,
}

impl RacpResponseCode {
    /// The byte on the air.
    pub fn byte(self) -> u8 {
        match self {
            Self::Success => 0x01,
            Self::OpCodeNotSupported => 0x02,
            Self::InvalidOperator => 0x03,
            Self::OperatorNotSupported => 0x04,
            Self::InvalidOperand => 0x05,
            Self::NoRecordsFound => 0x06,
            Self::AbortUnsuccessful => 0x07,
            Self::ProcedureNotCompleted => 0x08,
            Self::OperandNotSupported => 0x09,
            Self::ServerBusy => 0x0A,
        }
    }

    fn from_byte(value: u8) -> Result<Self, ParseError> {
        Ok(match value {
            0x01 => Self::Success,
            0x02 => Self::OpCodeNotSupported,
            0x03 => Self::InvalidOperator,
            0x04 => Self::OperatorNotSupported,
            0x05 => Self::InvalidOperand,
            0x06 => Self::NoRecordsFound,
            0x07 => Self::AbortUnsuccessful,
            0x08 => Self::ProcedureNotCompleted,
            0x09 => Self::OperandNotSupported,
            0x0A => Self::ServerBusy,
            other => {
                return Err(ParseError::UnknownValue {
                    what: "RACP response code",
                    value: u32::from(other),
                });
            }
        })
    }
}

/// An indication the sensor sends on the RACP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RacpResponse {
    /// `06 00 <request op> <code>`; after a successful Report this profile
    /// appends the number of records sent (u32) and the CRC-32 over them.
    Code {
        /// The request op code byte answered.
        request_op: u8,
        /// The outcome.
        code: RacpResponseCode,
        /// For a successful Report: (records sent, CRC-32 over their bytes).
        transfer: Option<(u32, u32)>,
    },
    /// `05 00 <u32 count>`.
    Count(u32),
}

impl RacpResponse {
    /// The bytes indicated.
    pub fn encode(&self) -> Vec<u8> {
        match *self {
            Self::Code {
                request_op,
                code,
                transfer,
            } => {
                let mut out = vec![
                    RacpOpCode::ResponseCode.byte(),
                    0x00,
                    request_op,
                    code.byte(),
                ];
                if let Some((count, crc)) = transfer {
                    out.extend_from_slice(&count.to_le_bytes());
                    out.extend_from_slice(&crc.to_le_bytes());
                }
                out
            }
            Self::Count(count) => {
                let mut out = vec![RacpOpCode::NumberOfRecordsResponse.byte(), 0x00];
                out.extend_from_slice(&count.to_le_bytes());
                out
            }
        }
    }

    /// Parses an indication, as the phone does.
    pub fn parse(bytes: &[u8]) -> Result<Self, ParseError> {
        let mut r = Reader::new("RACP response", bytes);
        let op = RacpOpCode::from_byte(r.u8()?)?;
        let operator = r.u8()?;
        if operator != 0 {
            return Err(ParseError::UnknownValue {
                what: "RACP response operator",
                value: u32::from(operator),
            });
        }
        let response = match op {
            RacpOpCode::ResponseCode => {
                let request_op = r.u8()?;
                let code = RacpResponseCode::from_byte(r.u8()?)?;
                let transfer = if r.rest().is_empty() {
                    None
                } else {
                    Some((r.u32()?, r.u32()?))
                };
                Self::Code {
                    request_op,
                    code,
                    transfer,
                }
            }
            RacpOpCode::NumberOfRecordsResponse => Self::Count(r.u32()?),
            _ => {
                return Err(ParseError::UnknownValue {
                    what: "RACP response op code",
                    value: u32::from(op.byte()),
                });
            }
        };
        r.finish()?;
        Ok(response)
    }
}
