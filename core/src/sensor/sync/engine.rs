//! The sync state machine.

use std::collections::{BTreeMap, VecDeque};

use uuid::Uuid;

use super::types::{
    Action, Commit, CommitOutcome, DeviceSyncState, Event, Millis, Progress, SyncConfig, SyncError,
    SyncReport,
};
use crate::sensor::gatt::{
    DeviceInfo, ElapsedTime, RECORD_LEN, RacpOperator, RacpRequest, RacpResponse, RacpResponseCode,
    Record, SensorStatus, TimeSyncSource, batch_crc32, parse_records, parse_utf8_string,
};
use crate::sensor::timeline::{ClockAnchor, Timeline};
use crate::sensor::uuids;

/// Rounds in a row that may end with nothing new before the connection is
/// dropped and tried afresh.
const MAX_ROUNDS_WITHOUT_PROGRESS: u32 = 4;
/// The ATT MTU every link starts with.
const DEFAULT_MTU: u16 = 23;
const REPORT_OP: u8 = 0x01;
const DELETE_OP: u8 = 0x02;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    WaitingToConnect,
    Connecting,
    ExchangingMtu,
    ReadingSerial,
    LoadingState,
    ReadingInfo(usize),
    Subscribing(usize),
    ReadingStatus { first_of_connection: bool },
    ReadingClock { sent_at: Millis },
    CommittingAnchor,
    WritingClock,
    Requesting,
    Receiving,
    Committing { then_delete: bool },
    Deleting { written: bool, answered: bool },
    FinalCommit,
    Finished,
}

/// Characteristics subscribed on every connection (CCCDs do not survive a
/// reconnect without bonding).
const SUBSCRIPTIONS: [Uuid; 2] = [uuids::RACP, uuids::RECORD];

/// Fetches a sensor's stored records; see the [module docs](super).
#[derive(Debug)]
pub struct SyncEngine {
    config: SyncConfig,
    phase: Phase,
    deadline: Option<Millis>,
    actions: VecDeque<Action>,
    outcome: Option<Result<SyncReport, SyncError>>,

    // Across connections.
    device: DeviceInfo,
    state_loaded: bool,
    info_to_read: Vec<Uuid>,
    high_water: u32,
    high_water_at_start: u32,
    newest_seen: u32,
    timeline: Timeline,
    pending_anchors: Vec<ClockAnchor>,
    pending_gap: Option<(u32, u32)>,
    /// Commits handed to the driver, oldest first. They outlive the link:
    /// the database decides what was stored, not the radio.
    in_flight: VecDeque<Commit>,
    report: SyncReport,
    attempts_without_progress: u32,
    last_problem: String,

    // This connection.
    mtu: u16,
    status: Option<SensorStatus>,
    round: Option<(u32, u32)>,
    round_reaches_newest: bool,
    staged: BTreeMap<u32, Record>,
    rounds_without_progress: u32,
    progressed_this_connection: bool,
    done_after_round: bool,
}

impl SyncEngine {
    /// A sync that starts by asking the driver to connect.
    pub fn new(config: SyncConfig) -> Self {
        let mut engine = Self {
            config,
            phase: Phase::Connecting,
            deadline: None,
            actions: VecDeque::new(),
            outcome: None,
            device: DeviceInfo::default(),
            state_loaded: false,
            info_to_read: Vec::new(),
            high_water: 0,
            high_water_at_start: 0,
            newest_seen: 0,
            timeline: Timeline::default(),
            pending_anchors: Vec::new(),
            pending_gap: None,
            in_flight: VecDeque::new(),
            report: SyncReport::default(),
            attempts_without_progress: 0,
            last_problem: String::new(),
            mtu: DEFAULT_MTU,
            status: None,
            round: None,
            round_reaches_newest: false,
            staged: BTreeMap::new(),
            rounds_without_progress: 0,
            progressed_this_connection: false,
            done_after_round: false,
        };
        engine.actions.push_back(Action::Connect);
        engine
    }

    /// The next thing to do, if any.
    pub fn poll_action(&mut self) -> Option<Action> {
        self.actions.pop_front()
    }

    /// When [`Self::handle_timeout`] must be called, if anything is pending.
    pub fn poll_timeout(&self) -> Option<Millis> {
        self.deadline
    }

    /// How the sync ended, once it has.
    pub fn outcome(&self) -> Option<&Result<SyncReport, SyncError>> {
        self.outcome.as_ref()
    }

    /// The ATT MTU of the current link.
    pub fn mtu(&self) -> u16 {
        self.mtu
    }

    /// How far the sync has come.
    pub fn progress(&self) -> Progress {
        let done = self.high_water - self.high_water_at_start;
        let total = self
            .newest_seen
            .saturating_sub(self.high_water_at_start)
            .max(done);
        Progress {
            records_done: done,
            records_total: total,
            bytes_done: u64::from(done) * RECORD_LEN as u64,
            bytes_total: u64::from(total) * RECORD_LEN as u64,
        }
    }

    /// The time a deadline set by the engine passes.
    pub fn handle_timeout(&mut self, now: Millis) {
        match self.deadline {
            Some(deadline) if now >= deadline => {}
            _ => return,
        }
        self.deadline = None;
        match self.phase {
            Phase::WaitingToConnect => {
                self.phase = Phase::Connecting;
                self.arm(now, self.config.op_timeout_ms);
                self.actions.push_back(Action::Connect);
            }
            // Some stacks never report the MTU; carry on with the default.
            Phase::ExchangingMtu => self.read_serial(now),
            Phase::Finished => {}
            phase => self.drop_connection(now, format!("timed out ({phase:?})")),
        }
    }

    /// Something happened.
    pub fn handle(&mut self, now: Millis, event: Event) {
        if self.outcome.is_some() {
            return;
        }
        match event {
            Event::Cancel => self.cancel(),
            Event::Disconnected => self.link_lost(now, "the link dropped".into()),
            Event::ConnectFailed(reason) => {
                self.link_lost(now, format!("could not connect: {reason}"));
            }
            Event::Connected if self.phase == Phase::Connecting => {
                self.report.connections += 1;
                self.phase = Phase::ExchangingMtu;
                self.arm(now, self.config.op_timeout_ms);
                self.actions
                    .push_back(Action::ExchangeMtu(self.config.desired_mtu));
            }
            Event::Connected => {}
            Event::MtuChanged(mtu) => {
                self.mtu = mtu.max(DEFAULT_MTU);
                if self.phase == Phase::ExchangingMtu {
                    self.read_serial(now);
                }
            }
            Event::ReadDone {
                characteristic,
                result,
            } => match result {
                Ok(value) => self.on_read(now, characteristic, &value),
                Err(error) => {
                    self.drop_connection(now, format!("reading {characteristic}: {error}"))
                }
            },
            Event::WriteDone {
                characteristic,
                result,
            } => match result {
                Ok(()) => self.on_written(now, characteristic),
                Err(error) => {
                    self.drop_connection(now, format!("writing {characteristic}: {error}"))
                }
            },
            Event::Subscribed {
                characteristic,
                result,
            } => match result {
                Ok(()) => self.on_subscribed(now, characteristic),
                Err(error) => {
                    self.drop_connection(now, format!("subscribing to {characteristic}: {error}"));
                }
            },
            Event::Notification {
                characteristic,
                value,
            } => self.on_notification(now, characteristic, &value),
            Event::StateLoaded(state) => self.on_state_loaded(now, state),
            Event::Committed(result) => self.on_committed(now, result),
        }
    }

    // --- steps of a connection -------------------------------------------

    fn read_serial(&mut self, now: Millis) {
        self.request(
            now,
            Phase::ReadingSerial,
            Action::Read(uuids::SERIAL_NUMBER),
        );
    }

    fn on_read(&mut self, now: Millis, characteristic: Uuid, value: &[u8]) {
        match (self.phase, characteristic) {
            (Phase::ReadingSerial, c) if c == uuids::SERIAL_NUMBER => {
                let serial = match parse_utf8_string("Serial Number", value) {
                    Ok(serial) if !serial.trim().is_empty() => serial.trim().to_owned(),
                    _ => {
                        return self
                            .drop_connection(now, "the sensor sent no serial number".into());
                    }
                };
                if self.state_loaded {
                    if serial != self.device.serial {
                        return self.fail(SyncError::WrongSensor {
                            expected: self.device.serial.clone(),
                            found: serial,
                        });
                    }
                    self.read_status(now, true);
                } else {
                    self.device.serial = serial.clone();
                    self.report.serial = serial.clone();
                    self.phase = Phase::LoadingState;
                    self.deadline = None;
                    self.actions.push_back(Action::LoadState { serial });
                }
            }
            (Phase::ReadingInfo(index), c) if Some(&c) == self.info_to_read.get(index) => {
                let text = parse_utf8_string("Device Information", value).unwrap_or_default();
                match c {
                    c if c == uuids::MANUFACTURER_NAME => self.device.manufacturer = text,
                    c if c == uuids::MODEL_NUMBER => self.device.model = text,
                    _ => self.device.firmware = text,
                }
                self.read_info_next(now, index + 1);
            }
            (
                Phase::ReadingStatus {
                    first_of_connection,
                },
                c,
            ) if c == uuids::STATUS => match SensorStatus::parse(value) {
                Ok(status) => {
                    self.status = Some(status);
                    self.newest_seen = self.newest_seen.max(status.newest_seq);
                    if first_of_connection {
                        self.request(
                            now,
                            Phase::ReadingClock { sent_at: now },
                            Action::Read(uuids::CURRENT_ELAPSED_TIME),
                        );
                    } else {
                        self.plan_round(now);
                    }
                }
                Err(error) => self.drop_connection(now, format!("bad status: {error}")),
            },
            (Phase::ReadingClock { sent_at }, c) if c == uuids::CURRENT_ELAPSED_TIME => {
                let (Ok(clock), Some(status)) = (ElapsedTime::parse(value), self.status) else {
                    return self.drop_connection(now, "bad Current Elapsed Time".into());
                };
                let anchor = ClockAnchor {
                    epoch: status.epoch,
                    ticks_ms: clock.value_ms(),
                    // The sensor read its clock somewhere between request and answer.
                    utc_ms: sent_at + (now - sent_at) / 2,
                };
                self.timeline.add(anchor);
                self.pending_anchors.push(anchor);
                self.commit(Phase::CommittingAnchor, Vec::new(), self.high_water);
            }
            _ => {}
        }
    }

    fn on_state_loaded(&mut self, now: Millis, state: Result<DeviceSyncState, String>) {
        if self.phase != Phase::LoadingState {
            return;
        }
        let state = match state {
            Ok(state) => state,
            Err(error) => return self.fail(SyncError::Storage(error)),
        };
        self.state_loaded = true;
        self.high_water = state.high_water;
        self.high_water_at_start = state.high_water;
        self.report.high_water = state.high_water;
        self.timeline = Timeline::new(state.anchors);
        self.info_to_read = if state.known {
            vec![uuids::FIRMWARE_REVISION]
        } else {
            vec![
                uuids::MANUFACTURER_NAME,
                uuids::MODEL_NUMBER,
                uuids::FIRMWARE_REVISION,
            ]
        };
        self.read_status(now, true);
    }

    fn read_info_next(&mut self, now: Millis, index: usize) {
        match self.info_to_read.get(index) {
            Some(&characteristic) => {
                self.request(now, Phase::ReadingInfo(index), Action::Read(characteristic));
            }
            None => {
                // Device Information does not change within a sync.
                self.info_to_read.clear();
                self.subscribe_next(now, 0);
            }
        }
    }

    fn subscribe_next(&mut self, now: Millis, index: usize) {
        match SUBSCRIPTIONS.get(index) {
            Some(&characteristic) => {
                self.request(
                    now,
                    Phase::Subscribing(index),
                    Action::Subscribe(characteristic),
                );
            }
            None => self.plan_round(now),
        }
    }

    fn on_subscribed(&mut self, now: Millis, characteristic: Uuid) {
        if let Phase::Subscribing(index) = self.phase
            && SUBSCRIPTIONS.get(index) == Some(&characteristic)
        {
            self.subscribe_next(now, index + 1);
        }
    }

    fn read_status(&mut self, now: Millis, first_of_connection: bool) {
        self.request(
            now,
            Phase::ReadingStatus {
                first_of_connection,
            },
            Action::Read(uuids::STATUS),
        );
    }

    fn on_written(&mut self, now: Millis, characteristic: Uuid) {
        match self.phase {
            Phase::WritingClock if characteristic == uuids::CURRENT_ELAPSED_TIME => {
                self.read_info_next(now, 0);
            }
            Phase::Requesting if characteristic == uuids::RACP => {
                self.phase = Phase::Receiving;
                self.arm(now, self.config.transfer_idle_timeout_ms);
            }
            Phase::Deleting { answered, .. } if characteristic == uuids::RACP => {
                if answered {
                    self.after_round(now);
                } else {
                    self.phase = Phase::Deleting {
                        written: true,
                        answered,
                    };
                }
            }
            _ => {}
        }
    }

    /// Decides what to ask for next from the latest status.
    fn plan_round(&mut self, now: Millis) {
        let Some(status) = self.status else {
            return self.read_status(now, false);
        };
        if status.newest_seq < self.high_water {
            return self.fail(SyncError::SequenceWentBackwards {
                newest: status.newest_seq,
                high_water: self.high_water,
            });
        }
        let oldest_held = if status.stored == 0 {
            status.newest_seq + 1
        } else {
            status.oldest_seq
        };
        let mut base = self.base();
        if oldest_held > base + 1 {
            // Overwritten on a full sensor before we could fetch them: count
            // them as a gap, never skip them silently.
            let first = self.pending_gap.map_or(base + 1, |(first, _)| first);
            self.pending_gap = Some((first, oldest_held - 1));
            base = oldest_held - 1;
        }
        if status.newest_seq <= base {
            if self.pending_gap.is_some() || !self.pending_anchors.is_empty() {
                let high_water = base;
                return self.commit(Phase::FinalCommit, Vec::new(), high_water);
            }
            return self.finish();
        }
        let first = base + 1;
        let last = status
            .newest_seq
            .min(base.saturating_add(self.config.round_max_records.max(1)));
        self.round = Some((first, last));
        self.round_reaches_newest = last == status.newest_seq;
        self.report.rounds += 1;
        let request = RacpRequest::Report(RacpOperator::Within(first, last));
        self.request(
            now,
            Phase::Requesting,
            Action::Write {
                characteristic: uuids::RACP,
                value: request.encode(),
            },
        );
    }

    fn on_notification(&mut self, now: Millis, characteristic: Uuid, value: &[u8]) {
        if characteristic == uuids::RECORD {
            let base = self.base();
            for parsed in parse_records(value) {
                match parsed {
                    Ok(record) if record.seq > base => {
                        self.staged.entry(record.seq).or_insert(record);
                    }
                    Ok(_) => {}
                    Err(_) => self.report.corrupt_records += 1,
                }
            }
            if self.phase == Phase::Receiving {
                self.arm(now, self.config.transfer_idle_timeout_ms);
            }
        } else if characteristic == uuids::RACP {
            match RacpResponse::parse(value) {
                Ok(response) => self.on_racp_response(now, response),
                Err(error) => self.drop_connection(now, format!("bad RACP response: {error}")),
            }
        }
    }

    fn on_racp_response(&mut self, now: Millis, response: RacpResponse) {
        match (self.phase, response) {
            (
                Phase::Receiving | Phase::Requesting,
                RacpResponse::Code {
                    request_op: REPORT_OP,
                    code,
                    transfer,
                },
            ) => match (code, transfer) {
                (RacpResponseCode::Success, Some((count, crc))) => self.end_round(now, count, crc),
                (RacpResponseCode::NoRecordsFound, _) => self.round_made_no_progress(now),
                (code, _) => self.drop_connection(now, format!("the sensor answered {code:?}")),
            },
            (
                Phase::Deleting { written, .. },
                RacpResponse::Code {
                    request_op: DELETE_OP,
                    ..
                },
            ) => {
                // A failed delete is not fatal: the records stay on the
                // sensor and the next delete covers them.
                if written {
                    self.after_round(now);
                } else {
                    self.phase = Phase::Deleting {
                        written,
                        answered: true,
                    };
                }
            }
            _ => {}
        }
    }

    /// The sensor says it sent `count` records with CRC `crc`.
    fn end_round(&mut self, now: Millis, count: u32, crc: u32) {
        let Some((_, last)) = self.round else {
            return;
        };
        let base = self.base();
        if count > 0 {
            // The sensor holds a contiguous run, so it sent the last `count`.
            let sent_from = last.saturating_add(1).saturating_sub(count).max(base + 1);
            let sent: Vec<&Record> = self
                .staged
                .range(sent_from..=last)
                .map(|(_, r)| r)
                .collect();
            let all_here = sent.len() as u64 == u64::from(last - sent_from + 1);
            if all_here && batch_crc32(sent.iter().copied()) != crc {
                // Every record passed its own CRC, yet the batch does not
                // match: trust none of this round.
                self.staged.retain(|&seq, _| seq < sent_from);
            }
        }
        let Some((mut records, _)) = self.contiguous_staged() else {
            return self.round_made_no_progress(now);
        };
        records.retain(|r| r.seq <= last);
        let end = records.last().map_or(base, |r| r.seq);
        self.rounds_without_progress = 0;
        // Records written while we sync wait for the next sync: no chase.
        self.done_after_round = end == last && self.round_reaches_newest;
        self.commit(
            Phase::Committing {
                then_delete: self.config.delete_after_commit,
            },
            records,
            end,
        );
    }

    /// A round is stored (and deleted on the sensor): finish, or go on.
    fn after_round(&mut self, now: Millis) {
        if self.done_after_round {
            self.finish();
        } else {
            self.read_status(now, false);
        }
    }

    fn round_made_no_progress(&mut self, now: Millis) {
        self.rounds_without_progress += 1;
        if self.rounds_without_progress >= MAX_ROUNDS_WITHOUT_PROGRESS {
            self.drop_connection(now, "the sensor keeps sending incomplete transfers".into());
        } else {
            self.read_status(now, false);
        }
    }

    fn commit(&mut self, phase: Phase, records: Vec<Record>, high_water: u32) {
        // A gap is accounted for by moving the mark past it.
        let high_water = high_water.max(self.pending_gap.map_or(0, |(_, last)| last));
        let commit = Commit {
            device: self.device.clone(),
            anchors: std::mem::take(&mut self.pending_anchors),
            gap: self.pending_gap,
            records,
            high_water,
        };
        self.in_flight.push_back(commit.clone());
        self.phase = phase;
        self.deadline = None;
        self.actions.push_back(Action::Commit(commit));
    }

    fn on_committed(&mut self, now: Millis, result: Result<CommitOutcome, String>) {
        let Some(commit) = self.in_flight.pop_front() else {
            return;
        };
        let outcome = match result {
            Ok(outcome) => outcome,
            Err(error) => return self.fail(SyncError::Storage(error)),
        };
        if let Some(gap) = commit.gap {
            self.report.gaps.push(gap);
            if self.pending_gap == Some(gap) {
                self.pending_gap = None;
            }
        }
        if commit.high_water > self.high_water {
            self.high_water = commit.high_water;
            self.progressed_this_connection = true;
        }
        self.report.high_water = self.high_water;
        self.report.records_stored += outcome.inserted;
        self.report.duplicates_ignored += outcome.duplicates;
        let high_water = self.high_water;
        self.staged.retain(|&seq, _| seq > high_water);
        if !self.in_flight.is_empty() {
            // An older commit answered late; the newest one drives what's next.
            return;
        }
        match self.phase {
            Phase::CommittingAnchor => {
                let offset = self.config.local_offset_seconds;
                let utc = chrono::DateTime::from_timestamp_millis(now).unwrap_or_default();
                let time =
                    ElapsedTime::utc_time_of_day(utc, offset, TimeSyncSource::CellularNetwork);
                self.request(
                    now,
                    Phase::WritingClock,
                    Action::Write {
                        characteristic: uuids::CURRENT_ELAPSED_TIME,
                        value: time.encode().to_vec(),
                    },
                );
            }
            Phase::Committing { then_delete: true } if !commit.records.is_empty() => {
                let request = RacpRequest::Delete(RacpOperator::AtMost(self.high_water));
                self.request(
                    now,
                    Phase::Deleting {
                        written: false,
                        answered: false,
                    },
                    Action::Write {
                        characteristic: uuids::RACP,
                        value: request.encode(),
                    },
                );
            }
            Phase::Committing { .. } => self.after_round(now),
            Phase::FinalCommit => self.finish(),
            _ => {}
        }
    }

    // --- helpers -------------------------------------------------------

    /// The last sequence number accounted for: committed, or in a pending gap.
    fn base(&self) -> u32 {
        self.pending_gap
            .map_or(self.high_water, |(_, last)| last.max(self.high_water))
    }

    fn request(&mut self, now: Millis, phase: Phase, action: Action) {
        self.phase = phase;
        self.arm(now, self.config.op_timeout_ms);
        self.actions.push_back(action);
    }

    fn arm(&mut self, now: Millis, after: Millis) {
        self.deadline = Some(now + after);
    }

    /// Gives up on this connection (the driver reports the disconnect).
    fn drop_connection(&mut self, now: Millis, problem: String) {
        self.actions.push_back(Action::Disconnect);
        self.link_lost(now, problem);
    }

    fn link_lost(&mut self, now: Millis, problem: String) {
        if matches!(self.phase, Phase::WaitingToConnect | Phase::Finished) {
            return;
        }
        self.last_problem = problem;
        // Keep what arrived intact before the drop: the contiguous run of
        // checked records after the mark. A flaky link still makes progress.
        let salvaged = self.contiguous_staged();
        if salvaged.is_some() {
            self.progressed_this_connection = true;
        }
        if self.progressed_this_connection {
            self.attempts_without_progress = 0;
        } else {
            self.attempts_without_progress += 1;
        }
        if let Some((records, last)) = salvaged {
            self.commit(Phase::WaitingToConnect, records, last);
        }
        if self.attempts_without_progress >= self.config.max_attempts_without_progress {
            return self.fail(SyncError::NoProgress {
                attempts: self.attempts_without_progress,
                last: self.last_problem.clone(),
            });
        }
        // Anything else uncommitted is dropped: the high-water mark is where
        // the next connection resumes.
        self.mtu = DEFAULT_MTU;
        self.status = None;
        self.round = None;
        self.staged.clear();
        self.rounds_without_progress = 0;
        self.progressed_this_connection = false;
        self.done_after_round = false;
        let doublings = self.attempts_without_progress.saturating_sub(1).min(16);
        let delay = (self.config.backoff_ms << doublings).min(self.config.max_backoff_ms);
        self.phase = Phase::WaitingToConnect;
        self.arm(now, delay);
    }

    /// The staged records that follow the mark without a hole, if any.
    fn contiguous_staged(&self) -> Option<(Vec<Record>, u32)> {
        let base = self.base();
        let records: Vec<Record> = self
            .staged
            .range(base + 1..)
            .map(|(_, r)| *r)
            .zip(base + 1..)
            .take_while(|(record, expected)| record.seq == *expected)
            .map(|(record, _)| record)
            .collect();
        let last = records.last()?.seq;
        Some((records, last))
    }

    fn cancel(&mut self) {
        if matches!(
            self.phase,
            Phase::Requesting | Phase::Receiving | Phase::Deleting { .. }
        ) {
            self.actions.push_back(Action::Write {
                characteristic: uuids::RACP,
                value: RacpRequest::Abort.encode(),
            });
        }
        self.actions.push_back(Action::Disconnect);
        self.fail(SyncError::Cancelled);
    }

    fn finish(&mut self) {
        self.phase = Phase::Finished;
        self.deadline = None;
        self.report.high_water = self.high_water;
        self.outcome = Some(Ok(self.report.clone()));
    }

    fn fail(&mut self, error: SyncError) {
        self.phase = Phase::Finished;
        self.deadline = None;
        self.outcome = Some(Err(error));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sensor::sync::DeviceSyncState;

    fn serial(engine: &mut SyncEngine, now: Millis, text: &str) {
        engine.handle(now, Event::Connected);
        engine.handle(now, Event::MtuChanged(247));
        engine.handle(
            now,
            Event::ReadDone {
                characteristic: uuids::SERIAL_NUMBER,
                result: Ok(text.as_bytes().to_vec()),
            },
        );
    }

    #[test]
    fn a_reconnect_that_reaches_another_sensor_ends_the_sync_clearly() {
        let mut engine = SyncEngine::new(SyncConfig::default());
        assert_eq!(engine.poll_action(), Some(Action::Connect));
        serial(&mut engine, 0, "SH-A");
        engine.handle(0, Event::StateLoaded(Ok(DeviceSyncState::default())));
        engine.handle(10, Event::Disconnected);
        let reconnect_at = engine.poll_timeout().expect("a reconnect is scheduled");
        engine.handle_timeout(reconnect_at);
        serial(&mut engine, reconnect_at, "SH-B");
        assert_eq!(
            engine.outcome(),
            Some(&Err(SyncError::WrongSensor {
                expected: "SH-A".into(),
                found: "SH-B".into()
            }))
        );
    }
}
