//! Current Elapsed Time (0x2BF2) of the Elapsed Time Service (0x183F).
//!
//! The sensor answers a read with its tick counter (milliseconds since it
//! booted); the phone writes the current UTC on every connect.

use chrono::{DateTime, TimeZone, Utc};

use super::ParseError;
use super::reader::{Reader, put_u48};

const FLAG_TICK_COUNTER: u8 = 0x01;
const FLAG_UTC: u8 = 0x02;
const FLAG_TZ_DST_USED: u8 = 0x10;
const FLAG_CURRENT_TIMELINE: u8 = 0x20;

/// The resolution of [`ElapsedTime::value`] (flags bits 2–3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeResolution {
    /// 1 s.
    Second,
    /// 100 ms.
    Decisecond,
    /// 1 ms.
    Millisecond,
    /// 100 µs.
    HundredMicroseconds,
}

impl TimeResolution {
    /// Microseconds per count.
    pub fn micros(self) -> u64 {
        match self {
            Self::Second => 1_000_000,
            Self::Decisecond => 100_000,
            Self::Millisecond => 1_000,
            Self::HundredMicroseconds => 100,
        }
    }

    fn bits(self) -> u8 {
        match self {
            Self::Second => 0,
            Self::Decisecond => 1,
            Self::Millisecond => 2,
            Self::HundredMicroseconds => 3,
        }
    }

    fn from_bits(bits: u8) -> Self {
        match bits & 0x03 {
            0 => Self::Second,
            1 => Self::Decisecond,
            2 => Self::Millisecond,
            _ => Self::HundredMicroseconds,
        }
    }
}

/// Where a clock's time came from (GATT Specification Supplement, Time
/// Source).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeSyncSource {
    /// 0: unknown.
    Unknown,
    /// 1: network time protocol.
    Ntp,
    /// 2: GPS.
    Gps,
    /// 3: radio time signal.
    RadioTimeSignal,
    /// 4: set by hand.
    Manual,
    /// 5: atomic clock.
    AtomicClock,
    /// 6: cellular network.
    CellularNetwork,
    /// 7: not synchronised.
    NotSynchronized,
}

impl TimeSyncSource {
    fn from_byte(value: u8) -> Result<Self, ParseError> {
        Ok(match value {
            0 => Self::Unknown,
            1 => Self::Ntp,
            2 => Self::Gps,
            3 => Self::RadioTimeSignal,
            4 => Self::Manual,
            5 => Self::AtomicClock,
            6 => Self::CellularNetwork,
            7 => Self::NotSynchronized,
            other => {
                return Err(ParseError::UnknownValue {
                    what: "Elapsed Time sync source",
                    value: u32::from(other),
                });
            }
        })
    }

    fn byte(self) -> u8 {
        self as u8
    }
}

/// The 9-byte Elapsed Time structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ElapsedTime {
    /// True for a tick counter, false for a time of day.
    pub tick_counter: bool,
    /// For a time of day: true when it is UTC.
    pub utc: bool,
    /// The unit of `value`.
    pub resolution: TimeResolution,
    /// True when `tz_dst_offset_quarter_hours` is meaningful.
    pub tz_dst_used: bool,
    /// True when the value is on the clock's current timeline.
    pub current_timeline: bool,
    /// Counts of `resolution` (48 bits): since boot for a tick counter, since
    /// 2000-01-01 00:00:00 for a time of day.
    pub value: u64,
    /// Where the time came from.
    pub sync_source: TimeSyncSource,
    /// Local offset from UTC in 15-minute units.
    pub tz_dst_offset_quarter_hours: i8,
}

/// 2000-01-01T00:00:00Z in Unix milliseconds: the ETS time-of-day epoch.
const ETS_EPOCH_UNIX_MS: i64 = 946_684_800_000;

impl ElapsedTime {
    /// Parses the 9-byte structure.
    pub fn parse(bytes: &[u8]) -> Result<Self, ParseError> {
        let mut r = Reader::new("Current Elapsed Time", bytes);
        let flags = r.u8()?;
        let value = r.u48()?;
        let sync_source = TimeSyncSource::from_byte(r.u8()?)?;
        let offset = r.i8()?;
        r.finish()?;
        Ok(Self {
            tick_counter: flags & FLAG_TICK_COUNTER != 0,
            utc: flags & FLAG_UTC != 0,
            resolution: TimeResolution::from_bits(flags >> 2),
            tz_dst_used: flags & FLAG_TZ_DST_USED != 0,
            current_timeline: flags & FLAG_CURRENT_TIMELINE != 0,
            value,
            sync_source,
            tz_dst_offset_quarter_hours: offset,
        })
    }

    /// Encodes the structure.
    pub fn encode(&self) -> [u8; 9] {
        let mut flags = self.resolution.bits() << 2;
        if self.tick_counter {
            flags |= FLAG_TICK_COUNTER;
        }
        if self.utc {
            flags |= FLAG_UTC;
        }
        if self.tz_dst_used {
            flags |= FLAG_TZ_DST_USED;
        }
        if self.current_timeline {
            flags |= FLAG_CURRENT_TIMELINE;
        }
        let mut out = Vec::with_capacity(9);
        out.push(flags);
        put_u48(&mut out, self.value);
        out.push(self.sync_source.byte());
        out.push(self.tz_dst_offset_quarter_hours.to_le_bytes()[0]);
        let mut fixed = [0; 9];
        fixed.copy_from_slice(&out);
        fixed
    }

    /// A sensor's tick counter in milliseconds.
    pub fn ticks_ms(ticks_ms: u64) -> Self {
        Self {
            tick_counter: true,
            utc: false,
            resolution: TimeResolution::Millisecond,
            tz_dst_used: false,
            current_timeline: true,
            value: ticks_ms & 0xFFFF_FFFF_FFFF,
            sync_source: TimeSyncSource::NotSynchronized,
            tz_dst_offset_quarter_hours: 0,
        }
    }

    /// The phone's UTC time of day, as written on connect, with the local
    /// offset (whole quarter hours) for the sensor's display.
    pub fn utc_time_of_day(
        now: DateTime<Utc>,
        local_offset_seconds: i32,
        source: TimeSyncSource,
    ) -> Self {
        let since_2000 = (now.timestamp_millis() - ETS_EPOCH_UNIX_MS)
            .max(0)
            .unsigned_abs();
        let quarters = (local_offset_seconds / 900).clamp(-48, 56);
        Self {
            tick_counter: false,
            utc: true,
            resolution: TimeResolution::Millisecond,
            tz_dst_used: true,
            current_timeline: true,
            value: since_2000,
            sync_source: source,
            tz_dst_offset_quarter_hours: i8::try_from(quarters).unwrap_or(0),
        }
    }

    /// The value in milliseconds, whatever its resolution.
    pub fn value_ms(&self) -> u64 {
        self.value.saturating_mul(self.resolution.micros()) / 1000
    }

    /// For a UTC time of day: the instant it names.
    pub fn as_utc(&self) -> Option<DateTime<Utc>> {
        if self.tick_counter || !self.utc {
            return None;
        }
        let ms = i64::try_from(self.value_ms()).ok()?;
        Utc.timestamp_millis_opt(ETS_EPOCH_UNIX_MS.checked_add(ms)?)
            .single()
    }
}
