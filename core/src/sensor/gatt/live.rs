//! Live Frame notifications: batched, timestamped samples for the live view.

use super::ParseError;
use super::reader::Reader;
use super::record::Posture;

const LIVE_VERSION: u8 = 1;
const HEADER_LEN: usize = 8;
const SAMPLE_LEN: usize = 8;

/// Samples that fit one frame at the minimum ATT MTU (23, so 20 bytes).
pub const MAX_LIVE_SAMPLES_AT_MTU_23: usize = (20 - HEADER_LEN) / SAMPLE_LEN;

/// A discrete event the sensor saw at a sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LiveEvent {
    /// 0: nothing.
    None,
    /// 1: a step of the leg wearing the sensor.
    Step,
    /// 2: the top of a calf raise.
    CalfRaiseTop,
    /// 3: an ankle pump (foot pulled up and pushed down).
    AnklePump,
}

/// One live sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct LiveSample {
    /// Milliseconds after the frame's `t0_ms`.
    pub dt_ms: u16,
    /// Sock pressure at the ankle, mmHg.
    pub ankle_mmhg: u8,
    /// Sock pressure at the calf, mmHg.
    pub calf_mmhg: u8,
    /// Shank pitch from vertical, degrees (positive: knee forward).
    pub shank_pitch_deg: i8,
    /// Posture now.
    pub posture: Posture,
    /// An event at this sample.
    pub event: LiveEvent,
    /// Calf contraction strength, 0–255 (0: relaxed).
    pub contraction: u8,
}

/// One Live Frame notification.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LiveFrame {
    /// Rolling frame counter (gaps show lost notifications).
    pub frame_seq: u16,
    /// The sensor's tick counter at the first sample, ms (low 32 bits).
    pub t0_ms: u32,
    /// The samples, oldest first.
    pub samples: Vec<LiveSample>,
}

impl LiveFrame {
    /// How many frames were lost between a frame numbered `previous` and
    /// this one: none for the same frame again, none when the counter went
    /// back (a restarted stream says nothing about losses), else the
    /// numbers skipped (the counter wraps at 65,536).
    pub fn lost_since(&self, previous: u16) -> u16 {
        let ahead = self.frame_seq.wrapping_sub(previous);
        if ahead < 0x8000 {
            ahead.saturating_sub(1)
        } else {
            0
        }
    }

    /// How many samples fit a notification of `payload_len` bytes (MTU − 3).
    pub fn capacity(payload_len: usize) -> usize {
        payload_len.saturating_sub(HEADER_LEN) / SAMPLE_LEN
    }

    /// Encodes the frame.
    pub fn encode(&self) -> Vec<u8> {
        let count = u8::try_from(self.samples.len()).unwrap_or(u8::MAX);
        let mut out = Vec::with_capacity(HEADER_LEN + SAMPLE_LEN * usize::from(count));
        out.push(LIVE_VERSION);
        out.extend_from_slice(&self.frame_seq.to_le_bytes());
        out.extend_from_slice(&self.t0_ms.to_le_bytes());
        out.push(count);
        for s in self.samples.iter().take(usize::from(count)) {
            out.extend_from_slice(&s.dt_ms.to_le_bytes());
            out.push(s.ankle_mmhg);
            out.push(s.calf_mmhg);
            out.push(s.shank_pitch_deg.to_le_bytes()[0]);
            out.push(s.posture.byte());
            out.push(match s.event {
                LiveEvent::None => 0,
                LiveEvent::Step => 1,
                LiveEvent::CalfRaiseTop => 2,
                LiveEvent::AnklePump => 3,
            });
            out.push(s.contraction);
        }
        out
    }

    /// Parses a frame.
    pub fn parse(bytes: &[u8]) -> Result<Self, ParseError> {
        let mut r = Reader::new("Live Frame", bytes);
        let version = r.u8()?;
        if version != LIVE_VERSION {
            return Err(ParseError::UnknownValue {
                what: "Live Frame version",
                value: u32::from(version),
            });
        }
        let frame_seq = r.u16()?;
        let t0_ms = r.u32()?;
        let count = r.u8()?;
        let mut samples = Vec::with_capacity(usize::from(count));
        for _ in 0..count {
            let dt_ms = r.u16()?;
            let ankle_mmhg = r.u8()?;
            let calf_mmhg = r.u8()?;
            let shank_pitch_deg = r.i8()?;
            let posture = Posture::from_byte(r.u8()?)?;
            let event = match r.u8()? {
                0 => LiveEvent::None,
                1 => LiveEvent::Step,
                2 => LiveEvent::CalfRaiseTop,
                3 => LiveEvent::AnklePump,
                other => {
                    return Err(ParseError::UnknownValue {
                        what: "live event",
                        value: u32::from(other),
                    });
                }
            };
            let contraction = r.u8()?;
            samples.push(LiveSample {
                dt_ms,
                ankle_mmhg,
                calf_mmhg,
                shank_pitch_deg,
                posture,
                event,
                contraction,
            });
        }
        r.finish()?;
        Ok(Self {
            frame_seq,
            t0_ms,
            samples,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered(frame_seq: u16) -> LiveFrame {
        LiveFrame {
            frame_seq,
            t0_ms: 0,
            samples: Vec::new(),
        }
    }

    #[test]
    fn frames_lost_are_the_numbers_skipped_across_the_wrap_and_none_for_a_repeat_or_restart() {
        assert_eq!(numbered(11).lost_since(10), 0, "the next one");
        assert_eq!(numbered(14).lost_since(10), 3);
        assert_eq!(numbered(2).lost_since(65_534), 3, "across the wrap");
        assert_eq!(numbered(10).lost_since(10), 0, "the same frame again");
        assert_eq!(numbered(0).lost_since(4_000), 0, "a restarted stream");
    }
}
