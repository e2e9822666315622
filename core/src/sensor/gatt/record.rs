//! Stored records: what the sensor keeps while the phone is away.
//!
//! Every record is 20 bytes: sequence number, the sensor's clock (seconds
//! since its current epoch began, and the epoch id), a type, six bytes of
//! payload, and a CRC-16 over the rest. Several records travel in one
//! notification of the Record characteristic.

use crc::{CRC_16_MCRF4XX, CRC_32_ISO_HDLC, Crc, Table};

use super::ParseError;
use super::reader::Reader;

/// Bytes per stored record.
pub const RECORD_LEN: usize = 20;

/// CRC-16/MCRF4XX (poly 0x1021 reflected, init 0xFFFF): the CRC-CCITT the CGM
/// profile uses for its E2E-CRC. Sixteen tables (8 KiB) take 16 bytes a
/// step: a day's 1,440 stored records are checked each time they are read.
const RECORD_CRC: Crc<u16, Table<16>> = Crc::<u16, Table<16>>::new(&CRC_16_MCRF4XX);
/// CRC-32/ISO-HDLC (as in zlib) over a whole transfer.
const BATCH_CRC: Crc<u32> = Crc::<u32>::new(&CRC_32_ISO_HDLC);

const TYPE_MINUTE: u8 = 0x01;
/// The type code of an exercise set's record.
pub(crate) const TYPE_EXERCISE: u8 = 0x02;
const TYPE_BOOT: u8 = 0x03;
const TYPE_CLOCK_SET: u8 = 0x04;

/// The body posture the sensor saw for most of a minute.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Posture {
    /// 0: not known (sensor off the leg, or still calibrating).
    #[default]
    Unknown,
    /// 1: lying flat.
    Lying,
    /// 2: sitting.
    Sitting,
    /// 3: standing still.
    Standing,
    /// 4: lying with the legs raised.
    LegsRaised,
    /// 5: walking.
    Walking,
}

impl Posture {
    /// Reads the byte on the air.
    pub(crate) fn from_byte(value: u8) -> Result<Self, ParseError> {
        Ok(match value {
            0 => Self::Unknown,
            1 => Self::Lying,
            2 => Self::Sitting,
            3 => Self::Standing,
            4 => Self::LegsRaised,
            5 => Self::Walking,
            other => {
                return Err(ParseError::UnknownValue {
                    what: "posture",
                    value: u32::from(other),
                });
            }
        })
    }

    /// The byte on the air.
    pub fn byte(self) -> u8 {
        self as u8
    }
}

/// A calf exercise the sensor recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExerciseKind {
    /// 1: calf raises (standing, heels up and down).
    CalfRaises,
    /// 2: ankle pumps (seated or lying, foot up and down).
    AnklePumps,
}

/// Why the sensor started a new clock epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BootReason {
    /// 1: first power-on.
    PowerOn,
    /// 2: battery swapped or browned out.
    BatteryLoss,
    /// 3: watchdog reset.
    Watchdog,
    /// 4: firmware update.
    FirmwareUpdate,
}

/// What a record says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RecordBody {
    /// Type 1: one minute of activity.
    Minute {
        /// Steps of both legs.
        steps: u16,
        /// Calf contractions outside walking (raises, ankle pumps).
        contractions: u16,
        /// Mean sock pressure at the ankle, mmHg; 0 when the sock is off.
        ankle_pressure_mmhg: u8,
        /// The posture for most of the minute.
        posture: Posture,
    },
    /// Type 2: a set of calf exercises.
    Exercise {
        /// Which exercise.
        kind: ExerciseKind,
        /// Repetitions.
        reps: u8,
        /// How long the set took, s.
        duration_s: u16,
        /// Mean hold at the top, in tenths of a second.
        mean_hold_ds: u16,
    },
    /// Type 3: the sensor booted and started a new epoch.
    Boot {
        /// The epoch before this one.
        previous_epoch: u16,
        /// Why.
        reason: BootReason,
    },
    /// Type 4: the phone set the clock; the sensor logs what it was told.
    ClockSet {
        /// The UTC the phone wrote, whole seconds since 2000-01-01.
        utc_s_since_2000: u32,
        /// The phone's local offset, 15-minute units.
        tz_quarter_hours: i8,
    },
}

impl RecordBody {
    /// The record type byte on the air.
    pub fn type_code(&self) -> u8 {
        match self {
            Self::Minute { .. } => TYPE_MINUTE,
            Self::Exercise { .. } => TYPE_EXERCISE,
            Self::Boot { .. } => TYPE_BOOT,
            Self::ClockSet { .. } => TYPE_CLOCK_SET,
        }
    }
}

/// One stored record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Record {
    /// Sequence number: 1, 2, 3… across reboots, never reused.
    pub seq: u32,
    /// The sensor's clock epoch (a new one after every reboot).
    pub epoch: u16,
    /// Seconds since the epoch began, by the sensor's clock.
    pub ticks_s: u32,
    /// What it says.
    pub body: RecordBody,
}

impl Record {
    /// The 20 bytes on the air, CRC included.
    pub fn encode(&self) -> [u8; RECORD_LEN] {
        let mut out = [0u8; RECORD_LEN];
        out[0..4].copy_from_slice(&self.seq.to_le_bytes());
        out[4..8].copy_from_slice(&self.ticks_s.to_le_bytes());
        out[8..10].copy_from_slice(&self.epoch.to_le_bytes());
        let (kind, payload) = encode_body(&self.body);
        out[10] = kind;
        out[11] = 0; // flags: none defined in version 1
        out[12..18].copy_from_slice(&payload);
        let crc = RECORD_CRC.checksum(&out[..18]);
        out[18..20].copy_from_slice(&crc.to_le_bytes());
        out
    }

    /// Parses one 20-byte record, checking its CRC.
    pub fn parse(bytes: &[u8]) -> Result<Self, ParseError> {
        let mut r = Reader::new("record", bytes);
        let seq = r.u32()?;
        let ticks_s = r.u32()?;
        let epoch = r.u16()?;
        let kind = r.u8()?;
        let _flags = r.u8()?;
        let payload_start = 12;
        let _payload = [r.u16()?, r.u16()?, r.u16()?];
        let crc = r.u16()?;
        r.finish()?;
        if RECORD_CRC.checksum(&bytes[..18]) != crc {
            return Err(ParseError::BadCrc { seq });
        }
        let body = decode_body(kind, &bytes[payload_start..18]).map_err(|error| match error {
            ParseError::UnknownValue { what, value } => {
                ParseError::UnknownRecordContent { seq, what, value }
            }
            other => other,
        })?;
        Ok(Self {
            seq,
            epoch,
            ticks_s,
            body,
        })
    }
}

fn encode_body(body: &RecordBody) -> (u8, [u8; 6]) {
    let mut p = [0u8; 6];
    let kind = match *body {
        RecordBody::Minute {
            steps,
            contractions,
            ankle_pressure_mmhg,
            posture,
        } => {
            p[0..2].copy_from_slice(&steps.to_le_bytes());
            p[2..4].copy_from_slice(&contractions.to_le_bytes());
            p[4] = ankle_pressure_mmhg;
            p[5] = posture.byte();
            TYPE_MINUTE
        }
        RecordBody::Exercise {
            kind,
            reps,
            duration_s,
            mean_hold_ds,
        } => {
            p[0] = match kind {
                ExerciseKind::CalfRaises => 1,
                ExerciseKind::AnklePumps => 2,
            };
            p[1] = reps;
            p[2..4].copy_from_slice(&duration_s.to_le_bytes());
            p[4..6].copy_from_slice(&mean_hold_ds.to_le_bytes());
            TYPE_EXERCISE
        }
        RecordBody::Boot {
            previous_epoch,
            reason,
        } => {
            p[0..2].copy_from_slice(&previous_epoch.to_le_bytes());
            p[2] = match reason {
                BootReason::PowerOn => 1,
                BootReason::BatteryLoss => 2,
                BootReason::Watchdog => 3,
                BootReason::FirmwareUpdate => 4,
            };
            TYPE_BOOT
        }
        RecordBody::ClockSet {
            utc_s_since_2000,
            tz_quarter_hours,
        } => {
            p[0..4].copy_from_slice(&utc_s_since_2000.to_le_bytes());
            p[4] = tz_quarter_hours.to_le_bytes()[0];
            TYPE_CLOCK_SET
        }
    };
    (kind, p)
}

fn decode_body(kind: u8, payload: &[u8]) -> Result<RecordBody, ParseError> {
    let mut r = Reader::new("record payload", payload);
    let body = match kind {
        TYPE_MINUTE => RecordBody::Minute {
            steps: r.u16()?,
            contractions: r.u16()?,
            ankle_pressure_mmhg: r.u8()?,
            posture: Posture::from_byte(r.u8()?)?,
        },
        TYPE_EXERCISE => {
            let kind = match r.u8()? {
                1 => ExerciseKind::CalfRaises,
                2 => ExerciseKind::AnklePumps,
                other => {
                    return Err(ParseError::UnknownValue {
                        what: "exercise kind",
                        value: u32::from(other),
                    });
                }
            };
            RecordBody::Exercise {
                kind,
                reps: r.u8()?,
                duration_s: r.u16()?,
                mean_hold_ds: r.u16()?,
            }
        }
        TYPE_BOOT => {
            let previous_epoch = r.u16()?;
            let reason = match r.u8()? {
                1 => BootReason::PowerOn,
                2 => BootReason::BatteryLoss,
                3 => BootReason::Watchdog,
                4 => BootReason::FirmwareUpdate,
                other => {
                    return Err(ParseError::UnknownValue {
                        what: "boot reason",
                        value: u32::from(other),
                    });
                }
            };
            RecordBody::Boot {
                previous_epoch,
                reason,
            }
        }
        TYPE_CLOCK_SET => RecordBody::ClockSet {
            utc_s_since_2000: r.u32()?,
            tz_quarter_hours: r.i8()?,
        },
        other => {
            return Err(ParseError::UnknownValue {
                what: "record type",
                value: u32::from(other),
            });
        }
    };
    Ok(body)
}

/// Packs records into as few notifications as fit in `payload_len` bytes
/// (ATT MTU − 3) each. At least one record goes in each notification.
pub fn pack_records(records: &[Record], payload_len: usize) -> Vec<Vec<u8>> {
    let per_notification = (payload_len / RECORD_LEN).max(1);
    records
        .chunks(per_notification)
        .map(|chunk| chunk.iter().flat_map(Record::encode).collect())
        .collect()
}

/// Splits one Record notification into its records. Each slot is parsed on
/// its own, so one damaged record does not hide its neighbours.
pub fn parse_records(bytes: &[u8]) -> Vec<Result<Record, ParseError>> {
    let mut out: Vec<_> = bytes.chunks_exact(RECORD_LEN).map(Record::parse).collect();
    let leftover = bytes.len() % RECORD_LEN;
    if leftover != 0 {
        out.push(Err(ParseError::TooShort {
            what: "record",
            needed: RECORD_LEN,
            got: leftover,
        }));
    }
    out
}

/// The CRC-32 over a transfer: the records' bytes in sequence order.
pub fn batch_crc32<'a>(records: impl IntoIterator<Item = &'a Record>) -> u32 {
    let images: Vec<[u8; RECORD_LEN]> = records.into_iter().map(Record::encode).collect();
    batch_crc32_of_images(&images)
}

/// The CRC-32 over a transfer from the records' 20-byte images as they were
/// received: a sensor computes it over what it sent, flags and padding
/// included, which parsing leaves out.
pub fn batch_crc32_of_images<'a>(images: impl IntoIterator<Item = &'a [u8; RECORD_LEN]>) -> u32 {
    let mut digest = BATCH_CRC.digest();
    for image in images {
        digest.update(image);
    }
    digest.finalize()
}
