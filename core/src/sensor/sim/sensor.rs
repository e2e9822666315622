//! The simulated sensor: the peripheral side of the profile on virtual time.
//!
//! It keeps a ring buffer of records (the oldest overwritten when full), a
//! crystal clock that drifts, an epoch that changes on reboot, and answers
//! reads, writes and RACP requests as the firmware would. It also remembers
//! the truth (when each record really happened, which were overwritten) so
//! tests can check what the phone made of it.

use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};

use chrono::{DateTime, Utc};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use super::script::{Activity, DayScript, Segment, Span};
use crate::sensor::gatt::{
    BootReason, ClockState, ControlRequest, ControlResponse, ControlResult, ElapsedTime,
    ExerciseKind, LiveEvent, LiveFrame, LiveSample, Posture, RacpOperator, RacpRequest,
    RacpResponse, RacpResponseCode, Record, RecordBody, RscFeature, RscMeasurement, SensorStatus,
    batch_crc32, pack_records,
};
use crate::sensor::sync::GattError;
use crate::sensor::timeline::ClockAnchor;
use crate::sensor::uuids;

/// ETS epoch (2000-01-01T00:00:00Z) in Unix seconds.
const ETS_EPOCH_UNIX_S: i64 = 946_684_800;

/// A Live Frame carries the samples of about this long (fewer when the MTU
/// is small).
const LIVE_FRAME_MS: i64 = 200;
/// An RSC Measurement goes out this often while live data is on, ms.
const RSC_EVERY_MS: i64 = 1_000;
/// Live data older than this is not sent late: the notifications were
/// missed (the frame counter shows the loss), ms.
const LIVE_BACKLOG_MS: i64 = 600_000;
/// A calf raise: the heel goes up for this long, ms …
const RAISE_UP_MS: i64 = 600;
/// … is held at the top for the set's hold, comes down for this long …
const RAISE_DOWN_MS: i64 = 600;
/// … and rests for the remainder of its cycle (2 s plus the hold).
const RAISE_CYCLE_EXTRA_MS: i64 = 2_000;
/// Full calf contraction at the top of a raise (0–255 scale).
const RAISE_PEAK: f64 = 220.0;
/// The battery runs down about one percent in this many hours of wear.
const BATTERY_HOURS_PER_PERCENT: f64 = 2.0;

/// How a simulated sensor is built.
#[derive(Debug, Clone, PartialEq)]
pub struct SensorConfig {
    /// Device Information serial number.
    pub serial: String,
    /// Records the ring buffer holds.
    pub capacity: u32,
    /// Clock drift, ppm (positive: runs fast). Real crystals: within ±100.
    pub drift_ppm: f64,
    /// Seed for the small variations in the generated data.
    pub seed: u64,
}

impl Default for SensorConfig {
    fn default() -> Self {
        Self {
            serial: "SH-SIM-0001".into(),
            capacity: 8_192,
            drift_ppm: 0.0,
            seed: 1,
        }
    }
}

/// The calf's contraction `into_cycle_ms` into a raise's cycle of
/// `period_ms`: up, held at the top, down, at rest.
fn raise_contraction(into_cycle_ms: i64, period_ms: i64) -> f64 {
    let hold_ms = period_ms - RAISE_CYCLE_EXTRA_MS;
    let half_cos = |x: f64| (1.0 - (std::f64::consts::PI * x).cos()) / 2.0;
    match into_cycle_ms {
        t if t < 0 => 0.0,
        t if t < RAISE_UP_MS => RAISE_PEAK * half_cos(t as f64 / RAISE_UP_MS as f64),
        t if t < RAISE_UP_MS + hold_ms => RAISE_PEAK,
        t if t < RAISE_UP_MS + hold_ms + RAISE_DOWN_MS => {
            let down = (t - RAISE_UP_MS - hold_ms) as f64 / RAISE_DOWN_MS as f64;
            RAISE_PEAK * (1.0 - half_cos(down))
        }
        _ => 0.0,
    }
}

/// A notification or indication waiting to go out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// The characteristic.
    pub characteristic: Uuid,
    /// Its value.
    pub value: Vec<u8>,
    /// True for an indication (acknowledged, never lost), false for a notification.
    pub indication: bool,
}

/// Live data under way: where the next sample and measurement fall.
#[derive(Debug, Clone, Copy, PartialEq)]
struct LiveStream {
    /// Samples a second.
    rate_hz: u8,
    /// True time of the next sample, ms.
    next_sample_ms: i64,
    /// True time of the next RSC Measurement, ms.
    next_rsc_ms: i64,
    /// The last frame's counter.
    frame_seq: u16,
}

impl LiveStream {
    fn step_ms(&self) -> i64 {
        1_000 / i64::from(self.rate_hz.clamp(1, 100))
    }
}

/// The simulated sensor.
#[derive(Debug)]
pub struct SimSensor {
    config: SensorConfig,
    spans: Vec<Span>,
    exercise_ends: Vec<(i64, Activity)>,
    next_exercise: usize,
    sock_pressure_mmhg: u8,
    rng: ChaCha8Rng,

    epoch: u16,
    boot_ms: i64,
    clock_state: ClockState,
    next_minute_ticks_s: u32,
    now_ms: i64,

    records: VecDeque<Record>,
    next_seq: u32,
    dropped_total: u32,

    mtu: u16,
    subscriptions: HashSet<Uuid>,
    outbox: VecDeque<Outgoing>,
    live: Option<LiveStream>,

    truth_ms: BTreeMap<u32, i64>,
    overwritten: BTreeSet<u32>,
}

impl SimSensor {
    /// A sensor that boots at the script's start and records it.
    pub fn new(config: SensorConfig, script: &DayScript) -> Self {
        let spans = script.spans();
        let exercise_ends = spans
            .iter()
            .filter(|s| matches!(s.activity, Activity::Exercise { .. }))
            .map(|s| (s.end_ms, s.activity))
            .collect();
        let boot_ms = script.start.timestamp_millis();
        let mut sensor = Self {
            rng: ChaCha8Rng::seed_from_u64(config.seed),
            config,
            spans,
            exercise_ends,
            next_exercise: 0,
            sock_pressure_mmhg: script.sock_pressure_mmhg,
            epoch: 1,
            boot_ms,
            clock_state: ClockState::NotSet,
            next_minute_ticks_s: 60,
            now_ms: boot_ms,
            records: VecDeque::new(),
            next_seq: 1,
            dropped_total: 0,
            mtu: 23,
            subscriptions: HashSet::new(),
            outbox: VecDeque::new(),
            live: None,
            truth_ms: BTreeMap::new(),
            overwritten: BTreeSet::new(),
        };
        sensor.push_record(
            0,
            boot_ms,
            RecordBody::Boot {
                previous_epoch: 0,
                reason: BootReason::PowerOn,
            },
        );
        sensor
    }

    /// The same sensor, picked up where a phone last left it: numbering
    /// continues after the phone's high-water mark, its overwrite counter
    /// from the count the phone last read, the clock runs on from
    /// the phone's latest anchor, and only what happens after `at.utc_ms`
    /// is recorded. A demo run twice thus continues one sensor instead of
    /// starting a new one with the same serial (which the phone would take
    /// for a reset sensor).
    pub fn resume(
        config: SensorConfig,
        script: &DayScript,
        high_water: u32,
        dropped_seen: u32,
        at: ClockAnchor,
    ) -> Self {
        let mut sensor = Self::new(config, script);
        sensor.records.clear();
        sensor.truth_ms.clear();
        sensor.next_seq = high_water.saturating_add(1);
        sensor.dropped_total = dropped_seen;
        sensor.epoch = at.epoch;
        let rate = 1.0 + sensor.config.drift_ppm * 1e-6;
        sensor.boot_ms = at.utc_ms - (at.ticks_ms as f64 / rate).round() as i64;
        sensor.clock_state = ClockState::SetByPhone;
        let ticks_s = sensor.ticks_ms_at(at.utc_ms) / 1000;
        sensor.next_minute_ticks_s = u32::try_from((ticks_s / 60 + 1) * 60).unwrap_or(u32::MAX);
        sensor.next_exercise = sensor
            .exercise_ends
            .partition_point(|(end, _)| *end <= at.utc_ms);
        sensor.now_ms = at.utc_ms;
        sensor
    }

    /// The serial number.
    pub fn serial(&self) -> &str {
        &self.config.serial
    }

    /// The sensor's tick counter (ms since boot) at true time `true_ms`.
    pub fn ticks_ms_at(&self, true_ms: i64) -> u64 {
        let elapsed = (true_ms - self.boot_ms).max(0) as f64;
        (elapsed * (1.0 + self.config.drift_ppm * 1e-6)) as u64
    }

    fn true_ms_at_ticks(&self, ticks_ms: u64) -> i64 {
        self.boot_ms + (ticks_ms as f64 / (1.0 + self.config.drift_ppm * 1e-6)).round() as i64
    }

    /// Records everything that happened up to true time `true_ms`.
    pub fn advance_to(&mut self, true_ms: i64) {
        if true_ms <= self.now_ms {
            return;
        }
        loop {
            let minute_ticks_ms = u64::from(self.next_minute_ticks_s) * 1000;
            let minute_at = self.true_ms_at_ticks(minute_ticks_ms);
            let exercise_at = self
                .exercise_ends
                .get(self.next_exercise)
                .map_or(i64::MAX, |(end, _)| *end);
            if minute_at.min(exercise_at) > true_ms {
                break;
            }
            if exercise_at < minute_at {
                let (_, activity) = self.exercise_ends[self.next_exercise];
                self.next_exercise += 1;
                if exercise_at >= self.boot_ms {
                    self.record_exercise(exercise_at, activity);
                }
            } else {
                self.record_minute(minute_at);
                self.next_minute_ticks_s += 60;
            }
        }
        self.stream_live_until(true_ms);
        self.now_ms = true_ms;
    }

    /// Sends the Live Frames and RSC Measurements due by true time
    /// `true_ms`, in time order. A frame goes out once its last sample is
    /// due, so the frames do not depend on how time is stepped.
    fn stream_live_until(&mut self, true_ms: i64) {
        let Some(mut live) = self.live else {
            return;
        };
        let step = live.step_ms();
        let per_frame = LiveFrame::capacity(usize::from(self.mtu.saturating_sub(3)))
            .clamp(1, usize::try_from(LIVE_FRAME_MS / step).unwrap_or(1).max(1));
        let frame_ms = step * per_frame as i64;
        let backlog_from = true_ms - LIVE_BACKLOG_MS;
        if live.next_sample_ms < backlog_from {
            let missed = (backlog_from - live.next_sample_ms) / frame_ms + 1;
            live.next_sample_ms += missed * frame_ms;
            live.frame_seq = live.frame_seq.wrapping_add(missed as u16);
            live.next_rsc_ms = live.next_rsc_ms.max(live.next_sample_ms);
        }
        loop {
            let frame_due = live.next_sample_ms + frame_ms - step;
            let due = frame_due.min(live.next_rsc_ms);
            if due > true_ms {
                break;
            }
            if live.next_rsc_ms < frame_due {
                let value = self.rsc_measurement(live.next_rsc_ms).encode().to_vec();
                self.notify(uuids::RSC_MEASUREMENT, value);
                live.next_rsc_ms += RSC_EVERY_MS;
                continue;
            }
            let first = live.next_sample_ms;
            let samples = (0..per_frame as i64)
                .map(|i| {
                    let at = first + i * step;
                    LiveSample {
                        dt_ms: u16::try_from(at - first).unwrap_or(u16::MAX),
                        ..self.live_sample_since(at - step, at)
                    }
                })
                .collect();
            live.frame_seq = live.frame_seq.wrapping_add(1);
            let frame = LiveFrame {
                frame_seq: live.frame_seq,
                // The tick counter's low 32 bits, as the firmware sends them.
                t0_ms: self.ticks_ms_at(first) as u32,
                samples,
            };
            self.notify(uuids::LIVE_FRAME, frame.encode());
            live.next_sample_ms += frame_ms;
        }
        self.live = Some(live);
    }

    /// What a bonded sensor that kept the phone's Record subscription may
    /// do as the link comes up: notify its newest `count` records unasked,
    /// before the phone has read its serial or asked for anything.
    pub fn push_newest_records(&mut self, count: u32) {
        let skip = self.records.len().saturating_sub(count as usize);
        let records: Vec<Record> = self.records.iter().skip(skip).copied().collect();
        self.notify_records(&records);
    }

    /// Queues `records` as Record notifications, packed to the link's MTU.
    fn notify_records(&mut self, records: &[Record]) {
        let payload = usize::from(self.mtu.saturating_sub(3));
        for value in pack_records(records, payload) {
            self.outbox.push_back(Outgoing {
                characteristic: uuids::RECORD,
                value,
                indication: false,
            });
        }
    }

    /// Queues a notification, if the phone subscribed to it.
    fn notify(&mut self, characteristic: Uuid, value: Vec<u8>) {
        if self.subscriptions.contains(&characteristic) {
            self.outbox.push_back(Outgoing {
                characteristic,
                value,
                indication: false,
            });
        }
    }

    /// The wearer does `segment` from now on (overriding the script for its
    /// length): a set of calf raises while the phone watches, say. What it
    /// does is recorded like the script (an exercise record at its end).
    /// Returns when it ends, true UTC ms.
    pub fn perform(&mut self, segment: Segment) -> i64 {
        let script = DayScript {
            start: DateTime::from_timestamp_millis(self.now_ms).unwrap_or_default(),
            sock_pressure_mmhg: self.sock_pressure_mmhg,
            segments: vec![segment],
        };
        let added = script.spans();
        let (Some(first), Some(last)) = (added.first(), added.last()) else {
            return self.now_ms;
        };
        let (start, end) = (first.start_ms, last.end_ms);
        let mut spans: Vec<Span> = Vec::with_capacity(self.spans.len() + added.len() + 1);
        for span in &self.spans {
            if span.end_ms <= start || span.start_ms >= end {
                spans.push(*span);
                continue;
            }
            if span.start_ms < start {
                spans.push(Span {
                    end_ms: start,
                    ..*span
                });
            }
            if span.end_ms > end {
                spans.push(Span {
                    start_ms: end,
                    ..*span
                });
            }
        }
        spans.extend(added);
        spans.sort_by_key(|s| s.start_ms);
        self.exercise_ends = spans
            .iter()
            .filter(|s| matches!(s.activity, Activity::Exercise { .. }))
            .map(|s| (s.end_ms, s.activity))
            .collect();
        self.next_exercise = self
            .exercise_ends
            .partition_point(|(end, _)| *end <= self.now_ms);
        self.spans = spans;
        end
    }

    /// The Battery Level now, percent: a full battery at boot that runs
    /// down slowly with wear.
    pub fn battery_percent(&self) -> u8 {
        let hours = (self.now_ms - self.boot_ms).max(0) as f64 / 3_600_000.0;
        (100.0 - hours / BATTERY_HOURS_PER_PERCENT)
            .clamp(5.0, 100.0)
            .round() as u8
    }

    /// The true time now (the latest the sensor was advanced to), UTC ms.
    pub fn now_ms(&self) -> i64 {
        self.now_ms
    }

    fn record_minute(&mut self, end_ms: i64) {
        let start_ms = self.true_ms_at_ticks(u64::from(self.next_minute_ticks_s - 60) * 1000);
        let (posture, steps, contractions) = self.summarise(start_ms, end_ms);
        let factor = match posture {
            Posture::Standing | Posture::Walking => 1.0,
            Posture::Sitting => 0.85,
            Posture::Lying | Posture::LegsRaised => 0.7,
            Posture::Unknown => 0.0,
        };
        let jitter: f64 = self.rng.random_range(0.95..1.05);
        let ticks_s = self.next_minute_ticks_s;
        self.push_record(
            ticks_s,
            end_ms,
            RecordBody::Minute {
                steps: (steps * jitter).round().clamp(0.0, f64::from(u16::MAX)) as u16,
                contractions,
                ankle_pressure_mmhg: (f64::from(self.sock_pressure_mmhg) * factor).round() as u8,
                posture,
            },
        );
    }

    /// Posture for most of [start, end), steps and exercise contractions in it.
    fn summarise(&self, start_ms: i64, end_ms: i64) -> (Posture, f64, u16) {
        let mut by_posture: BTreeMap<u8, i64> = BTreeMap::new();
        let mut steps = 0.0;
        let mut contractions = 0.0;
        let first = self.spans.partition_point(|s| s.end_ms <= start_ms);
        let mut covered = 0;
        for span in self.spans[first..]
            .iter()
            .take_while(|s| s.start_ms < end_ms)
        {
            let overlap = span.end_ms.min(end_ms) - span.start_ms.max(start_ms);
            if overlap <= 0 {
                continue;
            }
            covered += overlap;
            let minutes = overlap as f64 / 60_000.0;
            match span.activity {
                Activity::Posture {
                    posture,
                    cadence_spm,
                } => {
                    *by_posture.entry(posture.byte()).or_default() += overlap;
                    steps += f64::from(cadence_spm) * minutes;
                }
                Activity::Exercise { kind, reps, .. } => {
                    let posture = match kind {
                        ExerciseKind::CalfRaises => Posture::Standing,
                        ExerciseKind::AnklePumps => Posture::Sitting,
                    };
                    *by_posture.entry(posture.byte()).or_default() += overlap;
                    let span_ms = (span.end_ms - span.start_ms).max(1) as f64;
                    contractions += f64::from(reps) * overlap as f64 / span_ms;
                }
            }
        }
        // After the script: the wearer sits with the phone, syncing.
        let uncovered = (end_ms - start_ms) - covered;
        if uncovered > 0 {
            *by_posture.entry(Posture::Sitting.byte()).or_default() += uncovered;
        }
        let posture = by_posture
            .iter()
            .max_by_key(|(_, ms)| **ms)
            .map_or(Posture::Unknown, |(byte, _)| {
                Posture::from_byte(*byte).unwrap_or(Posture::Unknown)
            });
        (posture, steps, contractions.round() as u16)
    }

    fn record_exercise(&mut self, end_ms: i64, activity: Activity) {
        let Activity::Exercise { kind, reps, hold_s } = activity else {
            return;
        };
        let start = self
            .spans
            .iter()
            .find(|s| s.end_ms == end_ms)
            .map_or(end_ms, |s| s.start_ms);
        let ticks_s = (self.ticks_ms_at(end_ms) / 1000) as u32;
        let true_ms = self.true_ms_at_ticks(u64::from(ticks_s) * 1000);
        self.push_record(
            ticks_s,
            true_ms,
            RecordBody::Exercise {
                kind,
                reps,
                duration_s: ((end_ms - start) / 1000).clamp(0, i64::from(u16::MAX)) as u16,
                mean_hold_ds: (hold_s * 10.0).round() as u16,
            },
        );
    }

    fn push_record(&mut self, ticks_s: u32, true_ms: i64, body: RecordBody) {
        let record = Record {
            seq: self.next_seq,
            epoch: self.epoch,
            ticks_s,
            body,
        };
        self.next_seq += 1;
        if self.records.len() as u32 >= self.config.capacity.max(1)
            && let Some(oldest) = self.records.pop_front()
        {
            self.dropped_total += 1;
            self.overwritten.insert(oldest.seq);
        }
        self.truth_ms.insert(record.seq, true_ms);
        self.records.push_back(record);
    }

    /// The sensor restarts (battery swap, watchdog): a new epoch, its clock
    /// from zero and unset, the link and its subscriptions gone. Records
    /// and their numbering survive in flash.
    pub fn reboot(&mut self, true_ms: i64, reason: BootReason) {
        self.advance_to(true_ms);
        let previous_epoch = self.epoch;
        self.epoch = self.epoch.wrapping_add(1);
        self.boot_ms = true_ms;
        self.clock_state = ClockState::NotSet;
        self.next_minute_ticks_s = 60;
        self.disconnect();
        self.push_record(
            0,
            true_ms,
            RecordBody::Boot {
                previous_epoch,
                reason,
            },
        );
    }

    /// The link dropped: subscriptions and anything not yet sent are gone.
    pub fn disconnect(&mut self) {
        self.subscriptions.clear();
        self.outbox.clear();
        self.live = None;
        self.mtu = 23;
    }

    /// The ATT MTU of the link.
    pub fn set_mtu(&mut self, mtu: u16) {
        self.mtu = mtu;
    }

    /// The next notification or indication to send.
    pub fn take_outgoing(&mut self) -> Option<Outgoing> {
        self.outbox.pop_front()
    }

    /// Whether anything waits to be sent.
    pub fn has_outgoing(&self) -> bool {
        !self.outbox.is_empty()
    }

    /// The Status value now.
    pub fn status(&self) -> SensorStatus {
        SensorStatus {
            oldest_seq: self.records.front().map_or(self.next_seq, |r| r.seq),
            newest_seq: self.next_seq - 1,
            dropped_total: self.dropped_total,
            stored: self.records.len() as u32,
            capacity: self.config.capacity,
            epoch: self.epoch,
            clock: self.clock_state,
        }
    }

    /// Answers a read.
    pub fn read(&mut self, characteristic: Uuid) -> Result<Vec<u8>, GattError> {
        Ok(match characteristic {
            c if c == uuids::SERIAL_NUMBER => self.config.serial.clone().into_bytes(),
            c if c == uuids::MANUFACTURER_NAME => b"Second Heart Labs".to_vec(),
            c if c == uuids::MODEL_NUMBER => b"SH-1 sock sensor (simulated)".to_vec(),
            c if c == uuids::FIRMWARE_REVISION => b"1.0.0-sim".to_vec(),
            c if c == uuids::BATTERY_LEVEL => vec![self.battery_percent()],
            c if c == uuids::RSC_FEATURE => RscFeature {
                walking_or_running: true,
                ..RscFeature::default()
            }
            .encode()
            .to_vec(),
            c if c == uuids::STATUS => self.status().encode().to_vec(),
            c if c == uuids::CURRENT_ELAPSED_TIME => {
                ElapsedTime::ticks_ms(self.ticks_ms_at(self.now_ms))
                    .encode()
                    .to_vec()
            }
            other => return Err(GattError::Failed(format!("read not permitted on {other}"))),
        })
    }

    /// Turns on notifications or indications.
    pub fn subscribe(&mut self, characteristic: Uuid) -> Result<(), GattError> {
        const NOTIFIABLE: [Uuid; 6] = [
            uuids::RACP,
            uuids::RECORD,
            uuids::STATUS,
            uuids::LIVE_FRAME,
            uuids::CONTROL_POINT,
            uuids::RSC_MEASUREMENT,
        ];
        if !NOTIFIABLE.contains(&characteristic) {
            return Err(GattError::Failed(format!("{characteristic} cannot notify")));
        }
        self.subscriptions.insert(characteristic);
        Ok(())
    }

    /// Answers a write (with response).
    pub fn write(&mut self, characteristic: Uuid, value: &[u8]) -> Result<(), GattError> {
        match characteristic {
            c if c == uuids::CURRENT_ELAPSED_TIME => self.set_clock(value),
            c if c == uuids::RACP => self.racp(value),
            c if c == uuids::CONTROL_POINT => self.control(value),
            other => Err(GattError::Failed(format!("write not permitted on {other}"))),
        }
    }

    fn set_clock(&mut self, value: &[u8]) -> Result<(), GattError> {
        let time = ElapsedTime::parse(value)
            .map_err(|e| GattError::Failed(format!("out of range: {e}")))?;
        let utc: DateTime<Utc> = time
            .as_utc()
            .ok_or_else(|| GattError::Failed("only a UTC time of day can be written".into()))?;
        self.clock_state = ClockState::SetByPhone;
        let ticks_s = (self.ticks_ms_at(self.now_ms) / 1000) as u32;
        let true_ms = self.true_ms_at_ticks(u64::from(ticks_s) * 1000);
        self.push_record(
            ticks_s,
            true_ms,
            RecordBody::ClockSet {
                utc_s_since_2000: (utc.timestamp() - ETS_EPOCH_UNIX_S).clamp(0, i64::from(u32::MAX))
                    as u32,
                tz_quarter_hours: time.tz_dst_offset_quarter_hours,
            },
        );
        Ok(())
    }

    fn indicate(&mut self, characteristic: Uuid, value: Vec<u8>) {
        self.outbox.push_back(Outgoing {
            characteristic,
            value,
            indication: true,
        });
    }

    fn racp(&mut self, value: &[u8]) -> Result<(), GattError> {
        if !self.subscriptions.contains(&uuids::RACP) {
            // ATT error 0xFD: Client Characteristic Configuration Descriptor improperly configured.
            return Err(GattError::Failed(
                "CCCD improperly configured (0xFD)".into(),
            ));
        }
        let response = match RacpRequest::parse(value) {
            Err((op, code)) => RacpResponse::Code {
                request_op: op,
                code,
                transfer: None,
            },
            Ok(request) => self.run_racp(request),
        };
        self.indicate(uuids::RACP, response.encode());
        Ok(())
    }

    fn selected(&self, operator: RacpOperator) -> Vec<Record> {
        match operator {
            RacpOperator::First => self.records.front().copied().into_iter().collect(),
            RacpOperator::Last => self.records.back().copied().into_iter().collect(),
            op => self
                .records
                .iter()
                .filter(|r| op.selects(r.seq))
                .copied()
                .collect(),
        }
    }

    fn run_racp(&mut self, request: RacpRequest) -> RacpResponse {
        let op = request.op_byte();
        let code = |code| RacpResponse::Code {
            request_op: op,
            code,
            transfer: None,
        };
        match request {
            RacpRequest::Report(operator) => {
                let records = self.selected(operator);
                if records.is_empty() {
                    return code(RacpResponseCode::NoRecordsFound);
                }
                self.notify_records(&records);
                RacpResponse::Code {
                    request_op: op,
                    code: RacpResponseCode::Success,
                    transfer: Some((records.len() as u32, batch_crc32(&records))),
                }
            }
            RacpRequest::Delete(operator) => {
                let before = self.records.len();
                let keep_last = matches!(operator, RacpOperator::First | RacpOperator::Last);
                if keep_last {
                    return code(RacpResponseCode::OperatorNotSupported);
                }
                self.records.retain(|r| !operator.selects(r.seq));
                if self.records.len() == before {
                    code(RacpResponseCode::NoRecordsFound)
                } else {
                    code(RacpResponseCode::Success)
                }
            }
            RacpRequest::Count(operator) => {
                RacpResponse::Count(self.selected(operator).len() as u32)
            }
            RacpRequest::Abort => {
                self.outbox.retain(|o| o.characteristic != uuids::RECORD);
                code(RacpResponseCode::Success)
            }
        }
    }

    fn control(&mut self, value: &[u8]) -> Result<(), GattError> {
        if !self.subscriptions.contains(&uuids::CONTROL_POINT) {
            return Err(GattError::Failed(
                "CCCD improperly configured (0xFD)".into(),
            ));
        }
        let response = match ControlRequest::parse(value) {
            Ok(request) => {
                match request {
                    ControlRequest::StartLive { rate_hz } => {
                        self.live = Some(LiveStream {
                            rate_hz,
                            next_sample_ms: self.now_ms,
                            next_rsc_ms: self.now_ms + RSC_EVERY_MS,
                            frame_seq: 0,
                        });
                    }
                    ControlRequest::StopLive => self.live = None,
                    ControlRequest::SetPlacement(_) | ControlRequest::ZeroPressure => {}
                }
                ControlResponse {
                    request_op: value[0],
                    result: ControlResult::Success,
                }
            }
            Err(response) => response,
        };
        self.indicate(uuids::CONTROL_POINT, response.encode().to_vec());
        Ok(())
    }

    /// What the wearer is doing at true time `at_ms` (sitting after the script).
    pub fn activity_at(&self, at_ms: i64) -> Activity {
        self.span_at(at_ms).map_or(
            Activity::Posture {
                posture: Posture::Sitting,
                cadence_spm: 0,
            },
            |s| s.activity,
        )
    }

    /// The span under way at true time `at_ms`, if the script covers it.
    fn span_at(&self, at_ms: i64) -> Option<&Span> {
        let index = self.spans.partition_point(|s| s.end_ms <= at_ms);
        self.spans.get(index).filter(|s| s.start_ms <= at_ms)
    }

    /// The live sample at true time `at_ms`, as a sensor sampling at
    /// 100 Hz sends it (an event flags the sample within 10 ms after it).
    pub fn live_sample(&self, at_ms: i64) -> LiveSample {
        self.live_sample_since(at_ms - 10, at_ms)
    }

    /// The live sample at true time `at_ms`, the previous one taken at
    /// `previous_ms`: an event between the two flags this sample, so each
    /// step, raise or pump is flagged once at any sampling rate.
    ///
    /// Walking: the calf contracts in the first 40 % of each stride, and the
    /// stride starts with a Step. Calf raises: the heel goes up for 0.6 s,
    /// stays up (full contraction) for the set's hold, comes down for
    /// 0.6 s and rests; CalfRaiseTop flags the moment the top is reached.
    /// Ankle pumps: one every 2 s, the calf working in the first 40 %.
    pub fn live_sample_since(&self, previous_ms: i64, at_ms: i64) -> LiveSample {
        let span = self.span_at(at_ms);
        let activity = self.activity_at(at_ms);
        // Cycles count from the start of their span, so a set of n reps
        // flags n events.
        let base_ms = span.map_or(at_ms, |s| s.start_ms);
        let end_ms = span.map_or(i64::MAX, |s| s.end_ms);
        let (posture, period_ms, event, event_offset_ms) = match activity {
            Activity::Posture {
                posture,
                cadence_spm,
            } if cadence_spm > 0 => (
                posture,
                120_000 / i64::from(cadence_spm),
                LiveEvent::Step,
                0,
            ),
            Activity::Posture { posture, .. } => (posture, 0, LiveEvent::None, 0),
            Activity::Exercise { kind, hold_s, .. } => match kind {
                ExerciseKind::CalfRaises => (
                    Posture::Standing,
                    RAISE_CYCLE_EXTRA_MS + (hold_s * 1000.0).round() as i64,
                    LiveEvent::CalfRaiseTop,
                    RAISE_UP_MS,
                ),
                ExerciseKind::AnklePumps => (Posture::Sitting, 2_000, LiveEvent::AnklePump, 0),
            },
        };
        let into_cycle = if period_ms > 0 {
            (at_ms - base_ms).rem_euclid(period_ms)
        } else {
            -1
        };
        let contraction = match activity {
            Activity::Exercise {
                kind: ExerciseKind::CalfRaises,
                ..
            } => raise_contraction(into_cycle, period_ms),
            _ if into_cycle >= 0 => {
                let phase = into_cycle as f64 / period_ms as f64;
                if phase < 0.4 {
                    (std::f64::consts::PI * phase / 0.4).sin() * 220.0
                } else {
                    0.0
                }
            }
            _ => 0.0,
        };
        // The latest event instant at or before `at_ms`, if it is after
        // the previous sample and inside the span.
        let flagged = period_ms > 0 && {
            let k = (at_ms - base_ms - event_offset_ms).div_euclid(period_ms);
            let instant = base_ms + k * period_ms + event_offset_ms;
            k >= 0 && instant > previous_ms && instant < end_ms
        };
        let sock = f64::from(self.sock_pressure_mmhg);
        LiveSample {
            dt_ms: 0,
            ankle_mmhg: (sock + contraction / 40.0).round() as u8,
            calf_mmhg: (sock * 0.7 + contraction / 25.0).round() as u8,
            shank_pitch_deg: match posture {
                Posture::Sitting => 10,
                Posture::Lying => 85,
                Posture::LegsRaised => 60,
                _ => (contraction / 20.0) as i8,
            },
            posture,
            event: if flagged { event } else { LiveEvent::None },
            contraction: contraction.round() as u8,
        }
    }

    /// The RSC Measurement at true time `at_ms`.
    pub fn rsc_measurement(&self, at_ms: i64) -> RscMeasurement {
        let cadence = match self.activity_at(at_ms) {
            Activity::Posture { cadence_spm, .. } => cadence_spm,
            Activity::Exercise { .. } => 0,
        };
        // Step length about 0.41 × height; 0.7 m for an adult of 1.70 m.
        let step_m = 0.7;
        RscMeasurement {
            speed_m_s: f64::from(cadence) * step_m / 60.0,
            cadence_per_min: u8::try_from(cadence).unwrap_or(u8::MAX),
            stride_length_m: Some(step_m * 2.0),
            total_distance_m: None,
            running: cadence > 160,
        }
    }

    /// Live notifications are on, at this many samples a second.
    pub fn live_rate_hz(&self) -> Option<u8> {
        self.live.map(|l| l.rate_hz)
    }

    // --- the truth, for tests -------------------------------------------

    /// When record `seq` really happened (true UTC, ms).
    pub fn truth_ms(&self, seq: u32) -> Option<i64> {
        self.truth_ms.get(&seq).copied()
    }

    /// Every record ever written, by sequence number.
    pub fn written(&self) -> impl Iterator<Item = u32> + '_ {
        self.truth_ms.keys().copied()
    }

    /// Records overwritten before anyone fetched them.
    pub fn overwritten(&self) -> &BTreeSet<u32> {
        &self.overwritten
    }

    /// The records held now.
    pub fn held(&self) -> impl Iterator<Item = &Record> {
        self.records.iter()
    }
}
