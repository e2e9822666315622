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

use super::script::{Activity, DayScript, Span};
use crate::sensor::gatt::{
    BootReason, ClockState, ControlRequest, ControlResponse, ControlResult, ElapsedTime,
    ExerciseKind, LiveEvent, LiveSample, Posture, RacpOperator, RacpRequest, RacpResponse,
    RacpResponseCode, Record, RecordBody, RscFeature, RscMeasurement, SensorStatus, batch_crc32,
    pack_records,
};
use crate::sensor::sync::GattError;
use crate::sensor::timeline::ClockAnchor;
use crate::sensor::uuids;

/// ETS epoch (2000-01-01T00:00:00Z) in Unix seconds.
const ETS_EPOCH_UNIX_S: i64 = 946_684_800;

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
    live_rate_hz: Option<u8>,

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
            live_rate_hz: None,
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
    /// continues after the phone's high-water mark, the clock runs on from
    /// the phone's latest anchor, and only what happens after `at.utc_ms`
    /// is recorded. A demo run twice thus continues one sensor instead of
    /// starting a new one with the same serial (which the phone would take
    /// for a reset sensor).
    pub fn resume(
        config: SensorConfig,
        script: &DayScript,
        high_water: u32,
        at: ClockAnchor,
    ) -> Self {
        let mut sensor = Self::new(config, script);
        sensor.records.clear();
        sensor.truth_ms.clear();
        sensor.next_seq = high_water.saturating_add(1);
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
        self.now_ms = true_ms;
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
        self.live_rate_hz = None;
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
            c if c == uuids::BATTERY_LEVEL => vec![87],
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
                let payload = usize::from(self.mtu.saturating_sub(3));
                for value in pack_records(&records, payload) {
                    self.outbox.push_back(Outgoing {
                        characteristic: uuids::RECORD,
                        value,
                        indication: false,
                    });
                }
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
                    ControlRequest::StartLive { rate_hz } => self.live_rate_hz = Some(rate_hz),
                    ControlRequest::StopLive => self.live_rate_hz = None,
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
        let index = self.spans.partition_point(|s| s.end_ms <= at_ms);
        match self.spans.get(index) {
            Some(span) if span.start_ms <= at_ms => span.activity,
            _ => Activity::Posture {
                posture: Posture::Sitting,
                cadence_spm: 0,
            },
        }
    }

    /// The live sample at true time `at_ms`: a calf that contracts once a
    /// stride while walking, and once a rep during exercises.
    pub fn live_sample(&self, at_ms: i64) -> LiveSample {
        let (posture, period_ms, event) = match self.activity_at(at_ms) {
            Activity::Posture {
                posture,
                cadence_spm,
            } if cadence_spm > 0 => (posture, 120_000 / i64::from(cadence_spm), LiveEvent::Step),
            Activity::Posture { posture, .. } => (posture, 0, LiveEvent::None),
            Activity::Exercise { kind, hold_s, .. } => match kind {
                ExerciseKind::CalfRaises => (
                    Posture::Standing,
                    ((2.0 + hold_s) * 1000.0) as i64,
                    LiveEvent::CalfRaiseTop,
                ),
                ExerciseKind::AnklePumps => (Posture::Sitting, 2_000, LiveEvent::AnklePump),
            },
        };
        // The calf works for the first 40 % of each cycle.
        let phase = if period_ms > 0 {
            (at_ms.rem_euclid(period_ms)) as f64 / period_ms as f64
        } else {
            1.0
        };
        let contraction = if phase < 0.4 {
            (std::f64::consts::PI * phase / 0.4).sin() * 220.0
        } else {
            0.0
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
            event: if period_ms > 0 && at_ms.rem_euclid(period_ms) < 10 {
                event
            } else {
                LiveEvent::None
            },
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
        self.live_rate_hz
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
