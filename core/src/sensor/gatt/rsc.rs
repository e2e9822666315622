//! Running Speed and Cadence: RSC Measurement (0x2A53) and RSC Feature (0x2A54).

use super::ParseError;
use super::reader::Reader;

const FLAG_STRIDE_LENGTH: u8 = 0x01;
const FLAG_TOTAL_DISTANCE: u8 = 0x02;
const FLAG_RUNNING: u8 = 0x04;

/// One RSC Measurement notification.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RscMeasurement {
    /// Instantaneous speed, m/s (resolution 1/256 m/s).
    pub speed_m_s: f64,
    /// Instantaneous cadence, steps a minute as the sensor counts them.
    pub cadence_per_min: u8,
    /// Instantaneous stride length, m (resolution 1 cm), when sent.
    pub stride_length_m: Option<f64>,
    /// Total distance, m (resolution 0.1 m), when sent.
    pub total_distance_m: Option<f64>,
    /// True when running, false when walking (flags bit 2).
    pub running: bool,
}

impl RscMeasurement {
    /// Parses a notification (4 to 10 bytes). Reserved flag bits are ignored,
    /// as the specification asks of a client.
    pub fn parse(bytes: &[u8]) -> Result<Self, ParseError> {
        let mut r = Reader::new("RSC Measurement", bytes);
        let flags = r.u8()?;
        let speed = r.u16()?;
        let cadence = r.u8()?;
        let stride = if flags & FLAG_STRIDE_LENGTH != 0 {
            Some(f64::from(r.u16()?) / 100.0)
        } else {
            None
        };
        let distance = if flags & FLAG_TOTAL_DISTANCE != 0 {
            Some(f64::from(r.u32()?) / 10.0)
        } else {
            None
        };
        r.finish()?;
        Ok(Self {
            speed_m_s: f64::from(speed) / 256.0,
            cadence_per_min: cadence,
            stride_length_m: stride,
            total_distance_m: distance,
            running: flags & FLAG_RUNNING != 0,
        })
    }

    /// Encodes the notification; values are rounded to their resolution and
    /// clamped to the field's range.
    pub fn encode(&self) -> Vec<u8> {
        let mut flags = 0;
        if self.stride_length_m.is_some() {
            flags |= FLAG_STRIDE_LENGTH;
        }
        if self.total_distance_m.is_some() {
            flags |= FLAG_TOTAL_DISTANCE;
        }
        if self.running {
            flags |= FLAG_RUNNING;
        }
        let mut out = vec![flags];
        out.extend_from_slice(&scaled_u16(self.speed_m_s, 256.0).to_le_bytes());
        out.push(self.cadence_per_min);
        if let Some(stride) = self.stride_length_m {
            out.extend_from_slice(&scaled_u16(stride, 100.0).to_le_bytes());
        }
        if let Some(distance) = self.total_distance_m {
            let tenths = (distance * 10.0).round().clamp(0.0, f64::from(u32::MAX)) as u32;
            out.extend_from_slice(&tenths.to_le_bytes());
        }
        out
    }
}

fn scaled_u16(value: f64, scale: f64) -> u16 {
    (value * scale).round().clamp(0.0, f64::from(u16::MAX)) as u16
}

/// RSC Feature: what the sensor can measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RscFeature {
    /// Bit 0: instantaneous stride length.
    pub stride_length: bool,
    /// Bit 1: total distance.
    pub total_distance: bool,
    /// Bit 2: walking or running status.
    pub walking_or_running: bool,
    /// Bit 3: calibration procedure.
    pub calibration: bool,
    /// Bit 4: multiple sensor locations.
    pub multiple_locations: bool,
}

impl RscFeature {
    /// Parses the 2-byte bitmap; reserved bits are ignored.
    pub fn parse(bytes: &[u8]) -> Result<Self, ParseError> {
        let mut r = Reader::new("RSC Feature", bytes);
        let bits = r.u16()?;
        r.finish()?;
        Ok(Self {
            stride_length: bits & 0x01 != 0,
            total_distance: bits & 0x02 != 0,
            walking_or_running: bits & 0x04 != 0,
            calibration: bits & 0x08 != 0,
            multiple_locations: bits & 0x10 != 0,
        })
    }

    /// Encodes the bitmap.
    pub fn encode(&self) -> [u8; 2] {
        let bits = u16::from(self.stride_length)
            | u16::from(self.total_distance) << 1
            | u16::from(self.walking_or_running) << 2
            | u16::from(self.calibration) << 3
            | u16::from(self.multiple_locations) << 4;
        bits.to_le_bytes()
    }
}
