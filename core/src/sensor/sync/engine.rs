//! The sync state machine.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use uuid::Uuid;

use super::error::{GattError, Operation, ProtocolError, StorageError, SyncError};
use super::types::{
    Action, Commit, CommitOutcome, DeviceSyncState, Event, Millis, Progress, SyncConfig, SyncReport,
};
use crate::sensor::gatt::{
    ATT_MTU_MIN, DeviceInfo, ElapsedTime, ParseError, RECORD_LEN, RacpOperator, RacpRequest,
    RacpResponse, RacpResponseCode, Record, RecordBody, SensorStatus, TimeSyncSource,
    batch_crc32_of_images, parse_battery_level, parse_records, parse_utf8_string,
};
use crate::sensor::timeline::{ClockAnchor, Timeline};
use crate::sensor::uuids;

/// Rounds in a row that may end with nothing new before the connection is
/// dropped and tried afresh.
const MAX_ROUNDS_WITHOUT_PROGRESS: u32 = 4;

/// Rounds in a row in which the record after the mark arrives damaged
/// before it is skipped as lost: the sensor's copy is damaged, not the
/// radio's (the link layer checks and resends its own packets), and one bad
/// record must not stop every sync until the sensor overwrites it.
const DAMAGED_ROUNDS: u32 = 3;

// A damaged record is skipped before its rounds drop the connection.
const _: () = assert!(DAMAGED_ROUNDS < MAX_ROUNDS_WITHOUT_PROGRESS);

/// The damaged records a sensor may have skipped, over every sync, before
/// its records stored raise the allowance ([`DAMAGED_PER_STORED`]). More is
/// not a worn memory cell but a firmware that writes what this app cannot
/// check: skipping on would write its records off (and have the sensor
/// delete them) a few a sync, for good. Counted per sensor, not per sync:
/// a firmware whose every record fails would otherwise lose every record of
/// a sync that finds fewer than the limit.
const DAMAGED_ALLOWANCE: u32 = 16;
/// One more damaged record may be skipped for each this many records of the
/// sensor stored: a memory that wears over years loses far fewer.
const DAMAGED_PER_STORED: u32 = 100;
/// Connections whose count went unanswered before a sensor is taken at its
/// Status's word, as one without the count is (the sync had ended `GaveUp`).
const COUNT_TIMEOUTS: u32 = 2;

/// How long after a Status read that showed a reset it is read again, ms:
/// a firmware still reading its memory just after the link came up has had
/// time to finish, at the cost of a second for a sensor really reset.
const RESET_READ_AGAIN_AFTER_MS: Millis = 1_000;
const REPORT_OP: u8 = 0x01;
const DELETE_OP: u8 = 0x02;
const COUNT_OP: u8 = 0x04;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    WaitingToConnect,
    Connecting,
    ExchangingMtu,
    ReadingSerial,
    LoadingState,
    ReadingInfo(usize),
    Subscribing(usize),
    ReadingStatus {
        first_of_connection: bool,
    },
    /// Status showed a reset: it is read again after
    /// [`RESET_READ_AGAIN_AFTER_MS`] before the reset is said.
    WaitingToReadStatusAgain {
        first_of_connection: bool,
    },
    ReadingClock {
        sent_at: Millis,
    },
    CommittingAnchor,
    WritingClock,
    /// Asking how many records the sensor holds from the mark up to
    /// `run_last`, which its Status says it no longer holds; the answer is
    /// acted on once the request's write is done too (`answer`), so the
    /// next request never goes out while this one is open.
    CountingRun {
        run_last: u32,
        written: bool,
        answer: Option<RacpResponse>,
    },
    Requesting,
    Receiving,
    Committing {
        then_delete: bool,
    },
    Deleting {
        written: bool,
        answered: bool,
    },
    FinalCommit,
    /// Storing what arrived intact before ending with an error.
    FailingAfterCommit,
    Finished,
}

impl Phase {
    /// What the phone is doing in this phase, for error messages.
    fn operation(self) -> Operation {
        match self {
            Self::Connecting => Operation::Connecting,
            Self::ExchangingMtu => Operation::ExchangingMtu,
            Self::ReadingSerial => Operation::ReadingSerial,
            Self::ReadingInfo(_) => Operation::ReadingDeviceInfo,
            Self::Subscribing(_) => Operation::Subscribing,
            Self::ReadingStatus { .. } => Operation::ReadingStatus,
            Self::ReadingClock { .. } => Operation::ReadingClock,
            Self::WritingClock => Operation::WritingClock,
            Self::CountingRun { .. } => Operation::CountingRecords,
            Self::Requesting => Operation::RequestingRecords,
            Self::Receiving => Operation::ReceivingRecords,
            Self::Deleting { .. } => Operation::DeletingRecords,
            Self::WaitingToConnect
            | Self::WaitingToReadStatusAgain { .. }
            | Self::LoadingState
            | Self::CommittingAnchor
            | Self::Committing { .. }
            | Self::FinalCommit
            | Self::FailingAfterCommit
            | Self::Finished => Operation::Idle,
        }
    }
}

/// Whether a record is data the user asked for, as opposed to the ClockSet
/// record the sensor logs because the phone wrote its clock. Fetching only
/// those is no progress: a sensor that fails after every clock write would
/// otherwise keep a sync reconnecting for ever.
fn is_data(record: &Record) -> bool {
    !matches!(record.body, RecordBody::ClockSet { .. })
}

/// Whether `response` answers a Report Number of Stored Records: the count,
/// or a response code to it.
fn answers_count(response: &RacpResponse) -> bool {
    matches!(
        response,
        RacpResponse::Count(_)
            | RacpResponse::Code {
                request_op: COUNT_OP,
                ..
            }
    )
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
    /// The epochs this sync has anchored: a reconnect's anchor of one of
    /// them, taken by the same phone clock, would only repeat its vote in
    /// the anchors' cross-check (see `timeline`).
    anchored_epochs: BTreeSet<u16>,
    /// Gaps found and not yet handed to a commit.
    pending_gaps: Vec<(u32, u32)>,
    /// Of the pending gaps' records, those skipped as damaged.
    pending_damaged: u32,
    /// The device's records stored and skipped as damaged before this sync
    /// (see [`DAMAGED_ALLOWANCE`]).
    stored_before: u32,
    damaged_before: u32,
    /// The end of the last run of records the sensor no longer holds,
    /// accounted for before a commit moves the mark past it.
    accounted_through: u32,
    /// The sensor's count of overwritten records that the mark covers.
    dropped_seen: u32,
    /// Numbers of its records the store holds above the mark (see
    /// [`DeviceSyncState::stored_above_mark`]): a run the sensor no longer
    /// holds counts them as the phone's, not as lost.
    stored_above_mark: BTreeSet<u32>,
    /// Whether the sensor answers RACP Report Number of Stored Records: a
    /// run Status says is gone is counted before the mark moves past it.
    counts_records: bool,
    /// Counts that went unanswered (see [`COUNT_TIMEOUTS`]).
    count_timeouts: u32,
    /// Commits handed to the driver, oldest first. They outlive the link:
    /// the database decides what was stored, not the radio.
    in_flight: VecDeque<Commit>,
    report: SyncReport,
    attempts_without_progress: u32,
    /// The error to end with once the salvage commit is stored.
    fatal: Option<SyncError>,
    /// The record after the mark that arrived damaged, its bytes, and in
    /// how many answered rounds in a row it came with those same bytes.
    damaged: Option<(u32, [u8; RECORD_LEN], u32)>,
    /// Whether the last Status read showed a reset: one read is thin
    /// evidence (a firmware that misreads its memory once would have the
    /// user set the history aside), so the reset is said only when the next
    /// read, a second later, shows one too.
    reset_shown_once: bool,

    // This connection.
    mtu: u16,
    status: Option<SensorStatus>,
    round: Option<(u32, u32)>,
    /// The highest record of the round received so far: the transfer's
    /// idle timer restarts only when the sensor gets further, so a sensor
    /// that sends the same records over and over (or junk) cannot hold a
    /// sync open for ever.
    round_reached: Option<u32>,
    /// The record after the mark, when it arrived damaged in this round,
    /// with its bytes.
    round_damaged: Option<(u32, [u8; RECORD_LEN])>,
    /// The round's first record, damaged, its number not the mark's next
    /// (the damage may have taken in its number): it is the record after the
    /// mark if nothing was lost on the way before the first intact record
    /// (that record's number is the mark's plus the records that came before
    /// it), or, none intact coming, if every record the sensor says it sent
    /// came.
    round_damaged_first: Option<[u8; RECORD_LEN]>,
    /// Records of this round received before its first intact one.
    round_before_intact: u32,
    round_reaches_newest: bool,
    /// Whether a delete written in this connection went unanswered by its
    /// timeout: its answer may still come, late, during the next round,
    /// and is not that round's.
    delete_unanswered: bool,
    /// Records received in this connection's rounds, each with its 20
    /// bytes as they came (the batch CRC-32 is over those).
    staged: BTreeMap<u32, (Record, [u8; RECORD_LEN])>,
    rounds_without_progress: u32,
    round_problem: Option<SyncError>,
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
            anchored_epochs: BTreeSet::new(),
            pending_gaps: Vec::new(),
            pending_damaged: 0,
            stored_before: 0,
            damaged_before: 0,
            accounted_through: 0,
            dropped_seen: 0,
            stored_above_mark: BTreeSet::new(),
            counts_records: true,
            count_timeouts: 0,
            in_flight: VecDeque::new(),
            report: SyncReport::default(),
            attempts_without_progress: 0,
            fatal: None,
            mtu: ATT_MTU_MIN,
            status: None,
            round: None,
            round_reached: None,
            round_damaged: None,
            round_damaged_first: None,
            round_before_intact: 0,
            damaged: None,
            reset_shown_once: false,
            round_reaches_newest: false,
            delete_unanswered: false,
            staged: BTreeMap::new(),
            rounds_without_progress: 0,
            round_problem: None,
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
        let done = self.high_water.saturating_sub(self.high_water_at_start);
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
            Phase::WaitingToReadStatusAgain {
                first_of_connection,
            } => self.read_status(now, first_of_connection),
            Phase::CountingRun { written, .. } => {
                // Only a count the sensor took and left unanswered: a write
                // never confirmed is the link's stall, not the firmware's.
                if written {
                    self.count_timeouts += 1;
                }
                if self.count_timeouts >= COUNT_TIMEOUTS {
                    self.counts_records = false;
                }
                let operation = Operation::CountingRecords;
                self.drop_connection(now, SyncError::Timeout { operation });
            }
            Phase::Finished => {}
            Phase::Receiving => {
                let problem = match self.round {
                    Some((first, last)) => ProtocolError::NoRacpResponse {
                        first,
                        last,
                        received: self.staged_in(first, last),
                    }
                    .into(),
                    None => SyncError::Timeout {
                        operation: Operation::ReceivingRecords,
                    },
                };
                self.drop_connection(now, problem);
            }
            // The delete was written and went unanswered: the round is
            // stored whatever the sensor did, as after a refused delete (the
            // next delete covers what it still holds). Reconnecting for it
            // had ended the sync `GaveUp` on firmware that never answers.
            Phase::Deleting { written: true, .. } => {
                self.delete_unanswered = true;
                self.after_round(now);
            }
            phase => self.drop_connection(
                now,
                SyncError::Timeout {
                    operation: phase.operation(),
                },
            ),
        }
    }

    /// Something happened.
    pub fn handle(&mut self, now: Millis, event: Event) {
        if self.outcome.is_some() {
            return;
        }
        match event {
            Event::Cancel => self.cancel(),
            Event::Disconnected => {
                let operation = self.phase.operation();
                self.link_lost(now, SyncError::Disconnected { operation });
            }
            Event::ConnectFailed(error) => self.link_lost(
                now,
                SyncError::Bluetooth {
                    operation: Operation::Connecting,
                    error,
                },
            ),
            Event::LinkFailed(error) => {
                let operation = self.phase.operation();
                self.drop_connection(now, SyncError::Bluetooth { operation, error });
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
                self.mtu = mtu.max(ATT_MTU_MIN);
                if self.phase == Phase::ExchangingMtu {
                    self.read_serial(now);
                }
            }
            Event::ReadDone {
                characteristic,
                result,
            } => match result {
                Ok(value) => self.on_read(now, characteristic, &value),
                // A sensor without a battery service is still synced.
                Err(GattError::Failed(_))
                    if characteristic == uuids::BATTERY_LEVEL
                        && matches!(self.phase, Phase::ReadingInfo(_)) =>
                {
                    if let Phase::ReadingInfo(index) = self.phase {
                        self.read_info_next(now, index + 1);
                    }
                }
                Err(error) => self.gatt_failed(now, error),
            },
            Event::WriteDone {
                characteristic,
                result,
            } => match result {
                Ok(()) => self.on_written(now, characteristic),
                Err(error) => self.gatt_failed(now, error),
            },
            Event::Subscribed {
                characteristic,
                result,
            } => match result {
                Ok(()) => self.on_subscribed(now, characteristic),
                Err(error) => self.gatt_failed(now, error),
            },
            Event::Notification {
                characteristic,
                value,
            } => self.on_notification(now, characteristic, &value),
            Event::StateLoaded(state) => self.on_state_loaded(now, state),
            Event::Committed(result) => self.on_committed(now, result),
        }
    }

    /// A GATT operation failed or timed out: this connection is over.
    fn gatt_failed(&mut self, now: Millis, error: GattError) {
        let operation = self.phase.operation();
        let problem = match error {
            GattError::TimedOut => SyncError::Timeout { operation },
            error => SyncError::Bluetooth { operation, error },
        };
        self.drop_connection(now, problem);
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
                    _ => return self.drop_connection(now, ProtocolError::NoSerial.into()),
                };
                if let Some(expected) = &self.config.expected_serial
                    && *expected != serial
                {
                    // Not the sensor asked for: nothing is stored, nothing deleted.
                    return self.fail(SyncError::WrongSensor {
                        expected: expected.clone(),
                        found: serial,
                    });
                }
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
            (Phase::ReadingInfo(index), c)
                if c == uuids::BATTERY_LEVEL && Some(&c) == self.info_to_read.get(index) =>
            {
                // A level out of range is no level; the sync goes on.
                let level = parse_battery_level(value).ok();
                self.device.battery_percent = level;
                self.report.battery_percent = level;
                self.read_info_next(now, index + 1);
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
                Ok(status) if status.newest_seq == u32::MAX => {
                    self.stop_after_salvage(
                        ProtocolError::SequenceExhausted {
                            value: status.newest_seq,
                        }
                        .into(),
                    );
                }
                Ok(status) if status.stored > 0 && status.oldest_seq > status.newest_seq => {
                    self.stop_after_salvage(
                        ProtocolError::InconsistentStatus {
                            oldest: status.oldest_seq,
                            newest: status.newest_seq,
                            stored: status.stored,
                        }
                        .into(),
                    );
                }
                Ok(status) => {
                    // Before its clock is anchored or written: a reset
                    // sensor's anchor would join the old one's.
                    if let Some(reset) = self.reset_shown_by(&status) {
                        if !self.reset_shown_once {
                            self.reset_shown_once = true;
                            self.phase = Phase::WaitingToReadStatusAgain {
                                first_of_connection,
                            };
                            return self.arm(now, RESET_READ_AGAIN_AFTER_MS);
                        }
                        return self.stop_at_reset(reset);
                    }
                    self.reset_shown_once = false;
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
                Err(error) => self.drop_connection(now, ProtocolError::BadStatus(error).into()),
            },
            (Phase::ReadingClock { sent_at }, c) if c == uuids::CURRENT_ELAPSED_TIME => {
                let Some(status) = self.status else {
                    return self.read_status(now, true);
                };
                let clock = match ElapsedTime::parse(value) {
                    Ok(clock) => clock,
                    Err(error) => {
                        return self.drop_connection(now, ProtocolError::BadClock(error).into());
                    }
                };
                // Records are stamped in the sensor's ticks: only a tick
                // counter within a stamp's range can anchor them (a time
                // of day would place them decades off, and far enough
                // past 1970 the dates no longer add up).
                if !clock.tick_counter || clock.value_ms() > MAX_STAMP_MS {
                    let problem = ProtocolError::UnusableClock {
                        tick_counter: clock.tick_counter,
                        value_ms: clock.value_ms(),
                    };
                    return self.drop_connection(now, problem.into());
                }
                if !self.anchored_epochs.insert(status.epoch) {
                    return self.write_clock(now);
                }
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

    fn on_state_loaded(&mut self, now: Millis, state: Result<DeviceSyncState, StorageError>) {
        if self.phase != Phase::LoadingState {
            return;
        }
        let state = match state {
            Ok(state) => state,
            Err(error) => return self.fail(error.into()),
        };
        self.state_loaded = true;
        self.high_water = state.high_water;
        self.high_water_at_start = state.high_water;
        self.report.high_water = state.high_water;
        self.dropped_seen = state.dropped_seen;
        self.stored_above_mark = state.stored_above_mark.into_iter().collect();
        self.stored_before = state.records_stored;
        self.damaged_before = state.damaged_skipped;
        self.timeline = Timeline::new(state.anchors);
        // The battery is read at every sync, the strings once.
        self.info_to_read = if state.described {
            vec![uuids::FIRMWARE_REVISION, uuids::BATTERY_LEVEL]
        } else {
            vec![
                uuids::MANUFACTURER_NAME,
                uuids::MODEL_NUMBER,
                uuids::FIRMWARE_REVISION,
                uuids::BATTERY_LEVEL,
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
            Phase::CountingRun {
                run_last, answer, ..
            } if characteristic == uuids::RACP => match answer {
                Some(response) => self.on_run_counted(now, run_last, response),
                None => {
                    self.phase = Phase::CountingRun {
                        run_last,
                        written: true,
                        answer,
                    };
                    // The sensor's time to answer runs from here: a write
                    // a congested link took long over is not the sensor
                    // failing to count.
                    self.arm(now, self.config.op_timeout_ms);
                }
            },
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

    /// Writes the phone's UTC to the sensor's clock, for its own display.
    fn write_clock(&mut self, now: Millis) {
        let offset = self.config.local_offset_seconds;
        let utc = chrono::DateTime::from_timestamp_millis(now).unwrap_or_default();
        let time = ElapsedTime::utc_time_of_day(utc, offset, TimeSyncSource::CellularNetwork);
        self.request(
            now,
            Phase::WritingClock,
            Action::Write {
                characteristic: uuids::CURRENT_ELAPSED_TIME,
                value: time.encode().to_vec(),
            },
        );
    }

    /// The reset `status` shows, if any: record numbers below those
    /// stored, or a clock epoch below the latest anchored (epochs only
    /// grow, one a reboot, until a reset or a new firmware starts them
    /// again; the record numbers may then already be past ours).
    fn reset_shown_by(&self, status: &SensorStatus) -> Option<SyncError> {
        if status.newest_seq < self.high_water {
            return Some(SyncError::SensorReset {
                serial: self.device.serial.clone(),
                newest: status.newest_seq,
                high_water: self.high_water,
            });
        }
        // Behind in serial-number order (RFC 1982), so the wrap from
        // 65,535 to 0 after as many boots is not taken for a reset.
        let latest = self.timeline.latest_epoch()?;
        let behind = latest.wrapping_sub(status.epoch);
        (0 < behind && behind < 0x8000).then(|| SyncError::EpochReset {
            serial: self.device.serial.clone(),
            epoch: status.epoch,
            latest,
        })
    }

    /// Decides what to ask for next from the latest status. Sequence
    /// numbers come from the sensor, so the arithmetic is done in u64:
    /// nothing a sensor sends can overflow it.
    fn plan_round(&mut self, now: Millis) {
        let Some(status) = self.status else {
            return self.read_status(now, false);
        };
        let newest = u64::from(status.newest_seq);
        let oldest_held = if status.stored == 0 {
            newest + 1
        } else {
            u64::from(status.oldest_seq)
        };
        let mut base = u64::from(self.base());
        if oldest_held > base + 1 {
            let run_last = seq(oldest_held - 1);
            if self.counts_records {
                // Status alone does not move the mark: a firmware that
                // reads its memory late at boot can say it holds nothing,
                // and the next delete would take what it never sent.
                let request = RacpRequest::Count(RacpOperator::Within(seq(base + 1), run_last));
                return self.request(
                    now,
                    Phase::CountingRun {
                        run_last,
                        written: false,
                        answer: None,
                    },
                    Action::Write {
                        characteristic: uuids::RACP,
                        value: request.encode(),
                    },
                );
            }
            base = u64::from(self.account_for_run(run_last, status.dropped_total));
        }
        self.dropped_seen = status.dropped_total;
        if newest <= base {
            if base > u64::from(self.high_water) || !self.pending_anchors.is_empty() {
                return self.commit(Phase::FinalCommit, Vec::new(), seq(base));
            }
            return self.finish();
        }
        // base < newest ≤ u32::MAX, so these fit.
        let first = seq(base + 1);
        let last = seq(newest.min(base + u64::from(self.config.round_max_records.max(1))));
        self.round = Some((first, last));
        self.round_reached = None;
        self.round_damaged = None;
        self.round_damaged_first = None;
        self.round_before_intact = 0;
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
            // Records count only as the answer to a round: one the sensor
            // sends unasked (before the serial is read and the mark loaded,
            // or outside the range requested) belongs to no sync yet and
            // comes again in its own round.
            let Some(last) = self.last_asked_for() else {
                return;
            };
            let base = self.base();
            let reached = self.round_reached;
            // Each record with its bytes (none for a short remainder).
            let images = value.chunks_exact(RECORD_LEN).map(Some).chain([None]);
            for (parsed, image) in parse_records(value).into_iter().zip(images) {
                match parsed {
                    Ok(record) if record.seq <= base => self.report.duplicates_ignored += 1,
                    Ok(record) if record.seq > last => {}
                    Ok(record) => {
                        if self.round_reached.is_none()
                            && let Some(image) = self.round_damaged_first.take()
                            && self.round_damaged.is_none()
                            && u64::from(base) + 1 + u64::from(self.round_before_intact)
                                == u64::from(record.seq)
                        {
                            self.round_damaged = Some((base + 1, image));
                        }
                        self.round_reached = self.round_reached.max(Some(record.seq));
                        let Some(image) = image.and_then(|bytes| bytes.try_into().ok()) else {
                            continue;
                        };
                        if self.staged.insert(record.seq, (record, image)).is_some() {
                            self.report.duplicates_ignored += 1;
                        }
                    }
                    Err(ParseError::UnknownRecordContent { seq, .. }) if seq > last => {}
                    Err(ParseError::UnknownRecordContent { seq, what, value }) if seq > base => {
                        // A newer firmware's record: stop at it rather than skip it.
                        return self.stop_after_salvage(
                            ProtocolError::UnknownRecordContent { seq, what, value }.into(),
                        );
                    }
                    Err(ParseError::UnknownRecordContent { .. }) => {
                        self.report.duplicates_ignored += 1;
                    }
                    Err(ParseError::BadCrc { seq }) => {
                        let image = image.and_then(|bytes| bytes.try_into().ok());
                        // The record after the mark, known by its number or,
                        // the number being part of the damage, by its place:
                        // the round's first record, once what follows it
                        // confirms the place (`round_damaged_first`).
                        self.count_before_intact();
                        if let Some(image) = image
                            && let Some(next) = base.checked_add(1)
                            && next <= last
                        {
                            if seq == next {
                                self.round_damaged = Some((next, image));
                            } else if self.round_before_intact == 1 {
                                self.round_damaged_first = Some(image);
                            }
                        }
                        self.report.corrupt_records += 1;
                    }
                    Err(_) => {
                        self.count_before_intact();
                        self.report.corrupt_records += 1;
                    }
                }
            }
            if self.phase == Phase::Receiving && self.round_reached > reached {
                self.arm(now, self.config.transfer_idle_timeout_ms);
            }
        } else if characteristic == uuids::RACP {
            match RacpResponse::parse(value) {
                Ok(response) => self.on_racp_response(now, response),
                Err(error) => self.drop_connection(
                    now,
                    ProtocolError::BadRacpResponse {
                        bytes: value.to_vec(),
                        error,
                    }
                    .into(),
                ),
            }
        }
    }

    fn on_racp_response(&mut self, now: Millis, response: RacpResponse) {
        match (self.phase, response) {
            // The late answer to a delete that timed out (a sensor slow to
            // erase): the round asked for since is still under way.
            (
                phase,
                RacpResponse::Code {
                    request_op: DELETE_OP,
                    ..
                },
            ) if self.delete_unanswered && !matches!(phase, Phase::Deleting { .. }) => {
                self.delete_unanswered = false;
            }
            (
                Phase::CountingRun {
                    run_last,
                    written: true,
                    answer: None,
                },
                response,
            ) => self.on_run_counted(now, run_last, response),
            // Before the write is confirmed, only the count's own answer is
            // kept for it (anything else is of no request of this round).
            (
                Phase::CountingRun {
                    run_last,
                    written: false,
                    answer: None,
                },
                response,
            ) if answers_count(&response) => {
                self.phase = Phase::CountingRun {
                    run_last,
                    written: false,
                    answer: Some(response),
                };
            }
            (
                Phase::Receiving | Phase::Requesting,
                RacpResponse::Code {
                    request_op: REPORT_OP,
                    code,
                    transfer,
                },
            ) => match (code, transfer) {
                (RacpResponseCode::Success, Some((count, crc))) => self.end_round(now, count, crc),
                (RacpResponseCode::NoRecordsFound, _) => {
                    let problem = self.missing_records();
                    self.round_made_no_progress(now, problem);
                }
                (RacpResponseCode::Success, None) => {
                    self.drop_connection(
                        now,
                        ProtocolError::WrongRacpResponse { answered: response }.into(),
                    );
                }
                (code, _) => {
                    let (first, last) = self.round.unwrap_or_default();
                    let problem = ProtocolError::RacpRefused { first, last, code };
                    self.drop_connection(now, problem.into());
                }
            },
            (Phase::Receiving | Phase::Requesting, answered) => {
                self.drop_connection(now, ProtocolError::WrongRacpResponse { answered }.into());
            }
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

    /// The sensor answered how many records it holds from the base to
    /// `run_last`, a run its Status says is gone. None: the run is
    /// accounted for and the round planned past it. Some: Status was wrong,
    /// and the mark stays where it is; the next connection reads Status
    /// again. A sensor without the count is taken at its Status's word, as
    /// before the count was asked.
    fn on_run_counted(&mut self, now: Millis, run_last: u32, response: RacpResponse) {
        let Some(status) = self.status else {
            return self.read_status(now, false);
        };
        let first = self.base().saturating_add(1);
        if answers_count(&response) {
            self.count_timeouts = 0;
        }
        match response {
            RacpResponse::Count(0)
            | RacpResponse::Code {
                request_op: COUNT_OP,
                code: RacpResponseCode::NoRecordsFound,
                ..
            } => {
                self.account_for_run(run_last, status.dropped_total);
                self.plan_round(now);
            }
            RacpResponse::Count(counted) => {
                let problem = ProtocolError::StatusHidesRecords {
                    first,
                    last: run_last,
                    counted,
                };
                self.drop_connection(now, problem.into());
            }
            RacpResponse::Code {
                request_op: COUNT_OP,
                code: RacpResponseCode::OpCodeNotSupported,
                ..
            } => {
                self.counts_records = false;
                self.plan_round(now);
            }
            RacpResponse::Code {
                request_op: COUNT_OP,
                code,
                ..
            } => {
                let problem = ProtocolError::CountRefused {
                    first,
                    last: run_last,
                    code,
                };
                self.drop_connection(now, problem.into());
            }
            answered => {
                self.drop_connection(now, ProtocolError::WrongRacpResponse { answered }.into());
            }
        }
    }

    /// The last record of the round asked for, while its answer is awaited.
    fn last_asked_for(&self) -> Option<u32> {
        match self.phase {
            Phase::Requesting | Phase::Receiving => self.round.map(|(_, last)| last),
            _ => None,
        }
    }

    /// Records of `first..=last` staged now.
    fn staged_in(&self, first: u32, last: u32) -> u32 {
        u32::try_from(self.staged.range(first..=last).count()).unwrap_or(u32::MAX)
    }

    /// The round's records did not all come, though Status listed them.
    fn missing_records(&self) -> SyncError {
        let (first, last) = self.round.unwrap_or_default();
        ProtocolError::MissingRecords {
            first,
            last,
            newest: self.status.map_or(last, |s| s.newest_seq),
            received: self.staged_in(first, last),
        }
        .into()
    }

    /// One more of the round's records came before any intact one.
    fn count_before_intact(&mut self) {
        if self.round_reached.is_none() {
            self.round_before_intact = self.round_before_intact.saturating_add(1);
        }
    }

    /// The sensor says it sent `count` records with CRC `crc`.
    fn end_round(&mut self, now: Millis, count: u32, crc: u32) {
        let Some((first, last)) = self.round else {
            return;
        };
        // The round's first record came damaged and nothing intact after
        // it: it is the record after the mark when every record the sensor
        // says it sent, the whole round, came (it sends in order, from the
        // first).
        if let Some(image) = self.round_damaged_first.take()
            && self.round_reached.is_none()
            && self.round_damaged.is_none()
            && u64::from(count) == u64::from(last) - u64::from(first) + 1
            && self.round_before_intact == count
            && self.base().checked_add(1) == Some(first)
        {
            self.round_damaged = Some((first, image));
        }
        if let Some(refused) = self.skip_if_damaged_for_good() {
            return self.stop_at_damage(refused);
        }
        let mut problem = None;
        if count > 0 {
            // The sensor holds a contiguous run, so it sent the last `count`
            // of the round (u64: a sensor's count cannot overflow it).
            let sent_from = (u64::from(last) + 1)
                .saturating_sub(u64::from(count))
                .max(u64::from(first));
            let sent_from = seq(sent_from);
            let sent: Vec<&[u8; RECORD_LEN]> = self
                .staged
                .range(sent_from..=last)
                .map(|(_, (_, image))| image)
                .collect();
            let all_here = sent.len() as u64 == u64::from(last - sent_from) + 1;
            let received = batch_crc32_of_images(sent.iter().copied());
            if all_here && received != crc {
                // Every record passed its own CRC, yet the batch does not
                // match: trust none of this round.
                self.staged.retain(|&seq, _| seq < sent_from);
                problem = Some(SyncError::from(ProtocolError::BatchCrcMismatch {
                    first: sent_from,
                    last,
                    received,
                    sent: crc,
                }));
            }
        }
        let Some((mut records, _)) = self.contiguous_staged() else {
            let problem = problem.unwrap_or_else(|| self.missing_records());
            return self.round_made_no_progress(now, problem);
        };
        records.retain(|r| r.seq <= last);
        let end = records.last().map_or(self.base(), |r| r.seq);
        if end < last {
            // Part of the round is missing; remember why for the message
            // should the next rounds bring nothing either.
            self.round_problem = Some(problem.unwrap_or_else(|| self.missing_records()));
        }
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

    /// The record after the mark arrived damaged in this round: after
    /// [`DAMAGED_ROUNDS`] answered rounds in a row with the same bytes (the
    /// sensor's copy is damaged: damage on the way would differ from one
    /// round to the next) it is skipped as lost (a gap, counted in the
    /// report's `records_damaged`), and the sync goes on from the record
    /// after it: progress, so a run of damaged records is skipped one by
    /// one instead of ending the sync. Beyond the sensor's allowance
    /// ([`DAMAGED_ALLOWANCE`]) it is not skipped: the error to stop with.
    fn skip_if_damaged_for_good(&mut self) -> Option<SyncError> {
        let Some((seq, image)) = self.round_damaged.take() else {
            self.damaged = None;
            return None;
        };
        // One an earlier sync stored above the mark is the phone's: passed
        // at once, neither lost nor damaged.
        if self.base().checked_add(1) == Some(seq) && self.stored_above_mark.contains(&seq) {
            self.accounted_through = seq;
            self.damaged = None;
            self.rounds_without_progress = 0;
            self.progressed_this_connection = true;
            return None;
        }
        let rounds = match self.damaged {
            Some((damaged, bytes, rounds)) if damaged == seq && bytes == image => rounds + 1,
            _ => 1,
        };
        self.damaged = Some((seq, image, rounds));
        if rounds < DAMAGED_ROUNDS
            || self.staged.contains_key(&seq)
            || self.base().checked_add(1) != Some(seq)
        {
            return None;
        }
        let skipped = self
            .damaged_before
            .saturating_add(self.report.records_damaged);
        let stored = self
            .stored_before
            .saturating_add(self.report.records_stored);
        if skipped >= DAMAGED_ALLOWANCE.saturating_add(stored / DAMAGED_PER_STORED) {
            return Some(ProtocolError::UncheckableRecords { seq, skipped }.into());
        }
        match self.pending_gaps.last_mut() {
            Some((_, last)) if u64::from(*last) + 1 == u64::from(seq) => *last = seq,
            _ => self.pending_gaps.push((seq, seq)),
        }
        self.accounted_through = seq;
        self.report.records_damaged += 1;
        self.pending_damaged += 1;
        self.damaged = None;
        self.rounds_without_progress = 0;
        self.progressed_this_connection = true;
        None
    }

    /// Ends the sync at a damaged record not skipped (`error`): the records
    /// accounted for before it are stored first, and the mark stays below
    /// it, so the sensor keeps it and the records after it. Fetching again
    /// would only bring the same bytes: every later sync stops there too,
    /// after the record's three rounds, until the sensor overwrites it (a
    /// counted gap then, and the sync goes on to the next).
    fn stop_at_damage(&mut self, error: SyncError) {
        self.actions.push_back(Action::Disconnect);
        if self.base() > self.high_water || !self.pending_anchors.is_empty() {
            self.fatal = Some(error);
            self.commit(Phase::FailingAfterCommit, Vec::new(), self.base());
        } else {
            self.fail(error);
        }
    }

    /// A round is stored (and deleted on the sensor): finish, or go on.
    fn after_round(&mut self, now: Millis) {
        if self.done_after_round {
            self.finish();
        } else {
            self.read_status(now, false);
        }
    }

    fn round_made_no_progress(&mut self, now: Millis, problem: SyncError) {
        self.rounds_without_progress += 1;
        if self.rounds_without_progress >= MAX_ROUNDS_WITHOUT_PROGRESS {
            self.drop_connection(now, problem);
        } else {
            self.round_problem = Some(problem);
            self.read_status(now, false);
        }
    }

    fn commit(&mut self, phase: Phase, records: Vec<Record>, high_water: u32) {
        // A gap, or a run the sensor no longer holds, is accounted for by
        // moving the mark past it; the records of such a run this sync
        // received go with it (see `account_for_run`).
        let base = self.base();
        let high_water = high_water.max(base);
        let received_in_runs: Vec<Record> = if base > self.high_water {
            self.staged
                .range(self.high_water + 1..=base)
                .map(|(_, (record, _))| *record)
                .collect()
        } else {
            Vec::new()
        };
        let records = received_in_runs
            .into_iter()
            .chain(records.into_iter().filter(|r| r.seq > base))
            .collect();
        let commit = Commit {
            device: self.device.clone(),
            anchors: std::mem::take(&mut self.pending_anchors),
            gaps: std::mem::take(&mut self.pending_gaps),
            records,
            high_water,
            dropped_seen: self.dropped_seen,
            damaged: std::mem::take(&mut self.pending_damaged),
        };
        self.in_flight.push_back(commit.clone());
        self.phase = phase;
        self.deadline = None;
        self.actions.push_back(Action::Commit(commit));
    }

    fn on_committed(&mut self, now: Millis, result: Result<CommitOutcome, StorageError>) {
        let Some(commit) = self.in_flight.pop_front() else {
            return;
        };
        let outcome = match result {
            Ok(outcome) => outcome,
            Err(error) => return self.fail(error.into()),
        };
        self.report.gaps.extend_from_slice(&commit.gaps);
        if commit.high_water > self.high_water {
            // Progress is progress on the records asked for: a gap, or data.
            // A salvage commit after the link dropped (WaitingToConnect) was
            // counted when the link dropped.
            let mark = self.high_water;
            let data = commit.records.iter().any(|r| r.seq > mark && is_data(r));
            // Records come contiguous from the base: any below the first
            // (or, without records, up to the mark) were a run accounted for.
            let accounted = commit
                .records
                .first()
                .map_or(commit.high_water > mark, |r| {
                    u64::from(r.seq) > u64::from(mark) + 1
                });
            if (data || accounted) && self.phase != Phase::WaitingToConnect {
                self.progressed_this_connection = true;
            }
            self.high_water = commit.high_water;
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
            Phase::CommittingAnchor => self.write_clock(now),
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
            Phase::FailingAfterCommit => {
                let error = self.fatal.take().unwrap_or(SyncError::Cancelled);
                self.fail(error);
            }
            _ => {}
        }
    }

    // --- helpers -------------------------------------------------------

    /// The last sequence number accounted for: committed, or in a run the
    /// sensor no longer holds (a gap, or records fetched before).
    fn base(&self) -> u32 {
        self.high_water.max(self.accounted_through)
    }

    /// Accounts for the records after the base up to `run_last`, which the
    /// sensor no longer holds, and returns `run_last`. Some were overwritten
    /// before any phone fetched them: as many as its overwrite counter rose
    /// since the mark, `dropped_total` less `dropped_seen`. They are a
    /// counted gap, never skipped silently. The rest were fetched and
    /// cleared before: by this phone before it forgot the sensor or
    /// restored an older backup, or by another phone. They are not lost on
    /// the sensor and are not counted as lost. Which of the run were
    /// overwritten the sensor does not say; the count is exact, and the gap
    /// is placed at the run's newest end, where overwrites after the last
    /// fetch fall (or joined to a gap just below it).
    ///
    /// Records of the run the phone holds are neither lost nor counted
    /// lost, and the lost are placed in the holes between them, newest
    /// first: those this sync received intact, waiting behind one that had
    /// not come whole (a damaged first record, then the ring overwrote
    /// both), which go with the next commit ([`Self::commit`]), and those
    /// an earlier sync stored above the mark.
    fn account_for_run(&mut self, run_last: u32, dropped_total: u32) -> u32 {
        let base = self.base();
        if run_last <= base {
            // Accounted for already (a commit answered meanwhile).
            return base;
        }
        let run = run_last - base;
        let phone_has = self.numbers_the_phone_has(base + 1, run_last);
        let had = u32::try_from(phone_has.len()).unwrap_or(run);
        let missing = run - had.min(run);
        // A counter below the one the mark accounts for (reset by new
        // firmware) says nothing: the whole run counts as lost.
        let overwritten = dropped_total.checked_sub(self.dropped_seen).unwrap_or(run);
        let lost = missing.min(overwritten);
        self.report.records_not_held += missing - lost;
        if lost > 0 && had == 0 {
            match self.pending_gaps.last_mut() {
                Some((_, last)) if *last == base => *last = base + lost,
                _ => self.pending_gaps.push((run_last - lost + 1, run_last)),
            }
        } else if lost > 0 {
            for (first, last) in holes_newest_first(base + 1, run_last, lost, &phone_has) {
                match self.pending_gaps.last_mut() {
                    Some((_, end)) if u64::from(*end) + 1 == u64::from(first) => *end = last,
                    _ => self.pending_gaps.push((first, last)),
                }
            }
        }
        self.accounted_through = run_last;
        run_last
    }

    /// The numbers of `first..=last` the phone has: received by this sync,
    /// or stored above the mark by an earlier one.
    fn numbers_the_phone_has(&self, first: u32, last: u32) -> BTreeSet<u32> {
        self.staged
            .range(first..=last)
            .map(|(seq, _)| *seq)
            .chain(self.stored_above_mark.range(first..=last).copied())
            .collect()
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
    fn drop_connection(&mut self, now: Millis, problem: SyncError) {
        self.actions.push_back(Action::Disconnect);
        self.link_lost(now, problem);
    }

    /// Ends the sync with `error` once what arrived intact is stored.
    fn stop_after_salvage(&mut self, error: SyncError) {
        self.actions.push_back(Action::Disconnect);
        match self.contiguous_staged() {
            Some((records, last)) => {
                self.fatal = Some(error);
                self.commit(Phase::FailingAfterCommit, records, last);
            }
            None if self.holds_records_of_runs() => {
                self.fatal = Some(error);
                self.commit(Phase::FailingAfterCommit, Vec::new(), self.base());
            }
            None => self.fail(error),
        }
    }

    /// Ends the sync at a reset the sensor's status showed on two reads in
    /// a row. Records of its old life this sync received and holds
    /// uncommitted (behind one that had not come whole, or of a run
    /// accounted for) are stored first; the mark stays below the ones that
    /// never came, which are not counted lost on Status's word (a glitch
    /// that outlasted both reads passes: the next sync fetches them, and
    /// the store ignores those it holds; should the ring overwrite them
    /// first, the ones stored are the phone's, see
    /// [`DeviceSyncState::stored_above_mark`]). Then the reset is said, as
    /// when nothing waits.
    fn stop_at_reset(&mut self, reset: SyncError) {
        let base = self.base();
        let received: Vec<Record> = base
            .checked_add(1)
            .map(|first| {
                self.staged
                    .range(first..)
                    .map(|(_, (record, _))| *record)
                    .collect()
            })
            .unwrap_or_default();
        if received.is_empty() && !self.holds_records_of_runs() {
            return self.fail(reset);
        }
        self.actions.push_back(Action::Disconnect);
        self.fatal = Some(reset);
        self.commit(Phase::FailingAfterCommit, received, base);
    }

    /// Whether records of a run accounted for, which the sensor no longer
    /// holds, wait uncommitted (see `account_for_run`): they are stored
    /// before the sync stops or reconnects.
    fn holds_records_of_runs(&self) -> bool {
        let base = self.base();
        base > self.high_water
            && self
                .staged
                .range(self.high_water + 1..=base)
                .next()
                .is_some()
    }

    fn link_lost(&mut self, now: Millis, problem: SyncError) {
        if matches!(
            self.phase,
            Phase::WaitingToConnect | Phase::Finished | Phase::FailingAfterCommit
        ) {
            return;
        }
        // A link that dropped after rounds came back short: the short rounds
        // say more about the sensor than the drop does.
        let problem = match (problem, self.round_problem.take()) {
            (SyncError::Disconnected { .. }, Some(round)) => round,
            (problem, _) => problem,
        };
        // Keep what arrived intact before the drop: the contiguous run of
        // checked records after the mark. A flaky link still makes progress.
        let salvaged = self.contiguous_staged();
        let mark = self.high_water;
        if let Some((records, _)) = &salvaged
            && records.iter().any(|r| r.seq > mark && is_data(r))
        {
            self.progressed_this_connection = true;
        }
        // Records of a run the sensor no longer holds, stored below: progress.
        let runs_held = salvaged.is_none() && self.holds_records_of_runs();
        if runs_held {
            self.progressed_this_connection = true;
        }
        if self.progressed_this_connection {
            self.attempts_without_progress = 0;
        } else {
            self.attempts_without_progress += 1;
        }
        match salvaged {
            Some((records, last)) => self.commit(Phase::WaitingToConnect, records, last),
            None if runs_held => self.commit(Phase::WaitingToConnect, Vec::new(), self.base()),
            None => {}
        }
        if self.attempts_without_progress >= self.config.max_attempts_without_progress {
            return self.fail(SyncError::GaveUp {
                attempts: self.attempts_without_progress,
                last: Box::new(problem),
            });
        }
        if self.report.connections >= self.config.max_connections {
            return self.fail(SyncError::ConnectionsUsedUp {
                connections: self.report.connections,
                last: Box::new(problem),
            });
        }
        // Anything else uncommitted is dropped: the high-water mark is where
        // the next connection resumes.
        self.mtu = ATT_MTU_MIN;
        self.status = None;
        self.round = None;
        self.delete_unanswered = false;
        self.staged.clear();
        self.rounds_without_progress = 0;
        self.round_problem = None;
        self.progressed_this_connection = false;
        self.done_after_round = false;
        let doublings = self.attempts_without_progress.saturating_sub(1).min(16);
        let delay = (self.config.backoff_ms << doublings).min(self.config.max_backoff_ms);
        self.phase = Phase::WaitingToConnect;
        self.arm(now, delay);
    }

    /// The staged records that follow the mark without a hole, if any.
    fn contiguous_staged(&self) -> Option<(Vec<Record>, u32)> {
        let first = self.base().checked_add(1)?;
        let records: Vec<Record> = self
            .staged
            .range(first..)
            .map(|(_, (record, _))| *record)
            .zip(u64::from(first)..)
            .take_while(|(record, expected)| u64::from(record.seq) == *expected)
            .map(|(record, _)| record)
            .collect();
        let last = records.last()?.seq;
        Some((records, last))
    }

    fn cancel(&mut self) {
        if matches!(
            self.phase,
            Phase::CountingRun { .. }
                | Phase::Requesting
                | Phase::Receiving
                | Phase::Deleting { .. }
        ) {
            self.actions.push_back(Action::Write {
                characteristic: uuids::RACP,
                value: RacpRequest::Abort.encode(),
            });
        }
        // What arrived intact is stored before the sync ends, as when the
        // link drops: the round's records after the mark (the oldest the
        // sensor holds, the next its full ring overwrites), and those of a
        // run the sensor no longer holds, which exist only here. A commit
        // already on its way holds them (or a cancel came again while it
        // was stored): the sync ends at once.
        if self.in_flight.is_empty() {
            self.stop_after_salvage(SyncError::Cancelled);
        } else {
            self.actions.push_back(Action::Disconnect);
            self.fail(SyncError::Cancelled);
        }
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

/// The most ticks, ms, a record's stamp can name: whole seconds in 32 bits.
const MAX_STAMP_MS: u64 = u32::MAX as u64 * 1000;

/// A sequence number computed in u64 from u32 inputs and known to fit
/// (callers check against a u32 bound first); saturates rather than wraps.
fn seq(value: u64) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// Up to `count` numbers of `first..=last` that are not in `held`, the
/// newest first, as runs in ascending order. `first` is 1 or more (record
/// numbers start at 1; a run starts after the mark).
fn holes_newest_first(first: u32, last: u32, count: u32, held: &BTreeSet<u32>) -> Vec<(u32, u32)> {
    debug_assert!(first > 0, "a run starts after the mark");
    let mut holes = Vec::new();
    let mut left = count;
    let mut end = u64::from(last);
    // The held numbers of the run, newest first, bound each hole above.
    let bounds = held.range(first..=last).rev().map(|seq| u64::from(*seq));
    for bound in bounds.chain([u64::from(first) - 1]) {
        if left == 0 {
            break;
        }
        if end > bound {
            let size = u32::try_from(end - bound).unwrap_or(u32::MAX).min(left);
            let start = seq(end + 1 - u64::from(size));
            holes.push((start, seq(end)));
            left -= size;
        }
        end = bound.saturating_sub(1);
    }
    holes.reverse();
    holes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sensor::gatt::{ClockState, Posture, batch_crc32};
    use crate::sensor::sync::DeviceSyncState;

    fn status(oldest: u32, newest: u32, stored: u32) -> SensorStatus {
        SensorStatus {
            oldest_seq: oldest,
            newest_seq: newest,
            dropped_total: 0,
            stored,
            capacity: 8_192,
            epoch: 1,
            clock: ClockState::SetByPhone,
        }
    }

    fn minute(seq: u32) -> Record {
        Record {
            seq,
            epoch: 1,
            ticks_s: seq.wrapping_mul(60),
            body: RecordBody::Minute {
                steps: 10,
                contractions: 0,
                ankle_pressure_mmhg: 18,
                posture: Posture::Walking,
            },
        }
    }

    /// Answers every action as a well-behaved sensor and store would, up
    /// to the first record request (returned), or the end. Commits are
    /// collected in `commits`.
    fn run_until_request(
        engine: &mut SyncEngine,
        now: Millis,
        state: &DeviceSyncState,
        sensor: SensorStatus,
        commits: &mut Vec<Commit>,
    ) -> Option<RacpRequest> {
        let clock = ElapsedTime::ticks_ms(60_000);
        let counts =
            Counts::Held((sensor.stored > 0).then_some((sensor.oldest_seq, sensor.newest_seq)));
        run_until_request_with_clock(engine, now, state, sensor, counts, clock, commits)
    }

    /// How the test sensor answers Report Number of Stored Records.
    #[derive(Clone, Copy)]
    enum Counts {
        /// With how many of these records, first and last, it selects
        /// (whatever its Status says).
        Held(Option<(u32, u32)>),
        /// With "op code not supported".
        NotSupported,
        /// Never.
        Silent,
        /// As `Held`, its answer arriving before the request's write is
        /// confirmed.
        HeldAnsweredEarly(Option<(u32, u32)>),
        /// As `Held`, the request's write confirmed just before the
        /// operation's timeout, and the answer just before the same
        /// timeout again.
        HeldAfterSlowWrite(Option<(u32, u32)>),
    }

    /// [`run_until_request`] with a sensor that answers counts as `counts`
    /// says and whose clock reads `clock`.
    fn run_until_request_with_clock(
        engine: &mut SyncEngine,
        now: Millis,
        state: &DeviceSyncState,
        sensor: SensorStatus,
        counts: Counts,
        clock: ElapsedTime,
        commits: &mut Vec<Commit>,
    ) -> Option<RacpRequest> {
        while engine.outcome().is_none() {
            // A Status that showed a reset is read again a second later.
            if let (Phase::WaitingToReadStatusAgain { .. }, Some(at)) =
                (engine.phase, engine.poll_timeout())
            {
                engine.handle_timeout(at);
            }
            let action = engine.poll_action()?;
            let event = match action {
                Action::Connect => Event::Connected,
                Action::ExchangeMtu(mtu) => Event::MtuChanged(mtu),
                Action::Read(c) => Event::ReadDone {
                    characteristic: c,
                    result: Ok(match c {
                        c if c == uuids::SERIAL_NUMBER => b"SH-A".to_vec(),
                        c if c == uuids::STATUS => sensor.encode().to_vec(),
                        c if c == uuids::CURRENT_ELAPSED_TIME => clock.encode().to_vec(),
                        _ => b"x".to_vec(),
                    }),
                },
                Action::LoadState { .. } => Event::StateLoaded(Ok(state.clone())),
                Action::Commit(commit) => {
                    let inserted = commit.records.len() as u32;
                    commits.push(commit);
                    Event::Committed(Ok(CommitOutcome {
                        inserted,
                        duplicates: 0,
                    }))
                }
                Action::Write {
                    characteristic,
                    value,
                } if characteristic == uuids::RACP => {
                    let request = RacpRequest::parse(&value).expect("a valid request");
                    let written = Event::WriteDone {
                        characteristic,
                        result: Ok(()),
                    };
                    let RacpRequest::Count(operator) = request else {
                        engine.handle(now, written);
                        return Some(request);
                    };
                    let counted = |held: Option<(u32, u32)>| {
                        RacpResponse::Count(held.map_or(0, |(first, last)| {
                            (first..=last).filter(|&n| operator.selects(n)).count() as u32
                        }))
                    };
                    match counts {
                        Counts::Held(held) => {
                            engine.handle(now, written);
                            racp(engine, now, counted(held));
                        }
                        Counts::NotSupported => {
                            engine.handle(now, written);
                            let refused = RacpResponse::Code {
                                request_op: COUNT_OP,
                                code: RacpResponseCode::OpCodeNotSupported,
                                transfer: None,
                            };
                            racp(engine, now, refused);
                        }
                        Counts::Silent => engine.handle(now, written),
                        Counts::HeldAnsweredEarly(held) => {
                            racp(engine, now, counted(held));
                            let early = engine.poll_action();
                            assert_eq!(early, None, "nothing sent while the count's write is open");
                            engine.handle(now, written);
                        }
                        Counts::HeldAfterSlowWrite(held) => {
                            let timeout = SyncConfig::default().op_timeout_ms;
                            let confirmed = now + timeout - 100;
                            engine.handle(confirmed, written);
                            let answered = confirmed + timeout - 100;
                            let deadline = engine.poll_timeout().expect("a timer runs");
                            assert!(
                                deadline > answered,
                                "the answer is due by {deadline}, before {answered}"
                            );
                            racp(engine, answered, counted(held));
                        }
                    }
                    continue;
                }
                Action::Write { characteristic, .. } => Event::WriteDone {
                    characteristic,
                    result: Ok(()),
                },
                Action::Subscribe(c) => Event::Subscribed {
                    characteristic: c,
                    result: Ok(()),
                },
                Action::Disconnect => Event::Disconnected,
            };
            engine.handle(now, event);
        }
        None
    }

    /// Runs a sync from a mark of 0 that never asks for records (every
    /// connection fails before), reconnecting as its timers say, until it
    /// ends.
    fn run_without_requests(
        engine: &mut SyncEngine,
        sensor: SensorStatus,
        counts: Counts,
        clock: ElapsedTime,
        commits: &mut Vec<Commit>,
    ) {
        let mut now = 0;
        while engine.outcome().is_none() {
            let request = run_until_request_with_clock(
                engine,
                now,
                &known(0),
                sensor,
                counts,
                clock,
                commits,
            );
            assert_eq!(request, None, "no records are asked for, none deleted");
            now = engine.poll_timeout().unwrap_or(now).max(now + 1);
            engine.handle_timeout(now);
            assert!(now < 3_600_000, "the sync ends");
        }
    }

    fn known(high_water: u32) -> DeviceSyncState {
        DeviceSyncState {
            described: true,
            high_water,
            ..DeviceSyncState::default()
        }
    }

    fn records(engine: &mut SyncEngine, now: Millis, records: &[Record]) {
        let value: Vec<u8> = records.iter().flat_map(Record::encode).collect();
        engine.handle(
            now,
            Event::Notification {
                characteristic: uuids::RECORD,
                value,
            },
        );
    }

    /// The sensor's answer to a Delete: done.
    fn deleted() -> RacpResponse {
        RacpResponse::Code {
            request_op: DELETE_OP,
            code: RacpResponseCode::Success,
            transfer: None,
        }
    }

    fn racp(engine: &mut SyncEngine, now: Millis, response: RacpResponse) {
        engine.handle(
            now,
            Event::Notification {
                characteristic: uuids::RACP,
                value: response.encode(),
            },
        );
    }

    #[test]
    fn a_status_at_u32_max_ends_the_sync_with_a_typed_error_not_a_panic() {
        for high_water in [0, 5, u32::MAX - 1, u32::MAX] {
            let mut engine = SyncEngine::new(SyncConfig::default());
            let mut commits = Vec::new();
            let sensor = status(u32::MAX, u32::MAX, 1);
            let request =
                run_until_request(&mut engine, 0, &known(high_water), sensor, &mut commits);
            assert_eq!(request, None);
            assert_eq!(
                engine.outcome(),
                Some(&Err(SyncError::Protocol(
                    ProtocolError::SequenceExhausted { value: u32::MAX }
                )))
            );
        }
    }

    #[test]
    fn an_empty_sensor_just_below_u32_max_is_a_counted_gap() {
        let mut engine = SyncEngine::new(SyncConfig::default());
        let mut commits = Vec::new();
        let sensor = SensorStatus {
            dropped_total: u32::MAX,
            ..status(0, u32::MAX - 1, 0)
        };
        let request = run_until_request(&mut engine, 0, &known(5), sensor, &mut commits);
        assert_eq!(request, None);
        let report = engine.outcome().expect("ended").as_ref().expect("ok");
        assert_eq!(report.gaps, vec![(6, u32::MAX - 1)]);
        assert_eq!(report.high_water, u32::MAX - 1);
    }

    #[test]
    fn a_status_that_hides_held_records_moves_no_mark_and_deletes_nothing() {
        // Status says nothing is held (a firmware that reads its memory
        // late at boot), but the sensor holds 1–600 and counts them.
        let mut engine = SyncEngine::new(SyncConfig::default());
        let mut commits = Vec::new();
        // Each reconnect reads Status again (a boot glitch would pass).
        run_without_requests(
            &mut engine,
            status(601, 600, 0),
            Counts::Held(Some((1, 600))),
            ElapsedTime::ticks_ms(60_000),
            &mut commits,
        );
        assert!(
            commits
                .iter()
                .all(|c| c.high_water == 0 && c.gaps.is_empty()),
            "the mark stays: {commits:?}"
        );
        let Some(Err(SyncError::GaveUp { last, .. })) = engine.outcome() else {
            panic!("{:?}", engine.outcome());
        };
        assert_eq!(
            **last,
            SyncError::Protocol(ProtocolError::StatusHidesRecords {
                first: 1,
                last: 600,
                counted: 600,
            })
        );
    }

    #[test]
    fn a_count_that_never_comes_is_given_up_after_two_connections() {
        // Records 1–500 are gone by Status; the sensor never answers the
        // count. Twice it times out, then its Status is taken at its word.
        let mut engine = SyncEngine::new(SyncConfig::default());
        let mut commits = Vec::new();
        let mut now = 0;
        let request = loop {
            let asked = run_until_request_with_clock(
                &mut engine,
                now,
                &known(0),
                status(501, 600, 100),
                Counts::Silent,
                ElapsedTime::ticks_ms(60_000),
                &mut commits,
            );
            if let Some(request) = asked {
                break request;
            }
            assert_eq!(engine.outcome(), None);
            now = engine.poll_timeout().expect("a timer runs");
            engine.handle_timeout(now);
        };
        assert_eq!(request, RacpRequest::Report(RacpOperator::Within(501, 600)));
        assert_eq!(engine.report.connections, 3);
    }

    #[test]
    fn a_count_is_waited_for_when_answered_before_its_write_or_after_a_slow_one() {
        // After a slow write the sensor has the whole timeout from its
        // confirmation: two slow writes had counted as two counts never
        // answered, and Status would have been taken at its word.
        let held = Some((501, 600));
        for counts in [
            Counts::HeldAnsweredEarly(held),
            Counts::HeldAfterSlowWrite(held),
        ] {
            let mut engine = SyncEngine::new(SyncConfig::default());
            let mut commits = Vec::new();
            let request = run_until_request_with_clock(
                &mut engine,
                0,
                &known(0),
                status(501, 600, 100),
                counts,
                ElapsedTime::ticks_ms(60_000),
                &mut commits,
            );
            assert_eq!(
                request,
                Some(RacpRequest::Report(RacpOperator::Within(501, 600)))
            );
            assert_eq!((engine.report.connections, engine.count_timeouts), (1, 0));
        }
    }

    #[test]
    fn a_sensor_that_cannot_count_is_taken_at_its_status_s_word() {
        // Records 1–500 are gone by Status; the count is refused as
        // unknown, and the round starts at the oldest record held.
        let mut engine = SyncEngine::new(SyncConfig::default());
        let mut commits = Vec::new();
        let request = run_until_request_with_clock(
            &mut engine,
            0,
            &known(0),
            status(501, 600, 100),
            Counts::NotSupported,
            ElapsedTime::ticks_ms(60_000),
            &mut commits,
        );
        assert_eq!(
            request,
            Some(RacpRequest::Report(RacpOperator::Within(501, 600)))
        );
        assert_eq!(engine.report.records_not_held, 500);
    }

    /// Runs a sync from `state` against `sensor`, holding `oldest..=newest`,
    /// through its one round, answered in full: the request after it.
    fn fetch_the_round(
        engine: &mut SyncEngine,
        state: &DeviceSyncState,
        sensor: SensorStatus,
        (oldest, newest): (u32, u32),
        commits: &mut Vec<Commit>,
    ) -> Option<RacpRequest> {
        let request = run_until_request(engine, 0, state, sensor, commits);
        assert_eq!(
            request,
            Some(RacpRequest::Report(RacpOperator::Within(oldest, newest)))
        );
        let sent: Vec<Record> = (oldest..=newest).map(minute).collect();
        records(engine, 1, &sent);
        racp(
            engine,
            2,
            RacpResponse::Code {
                request_op: REPORT_OP,
                code: RacpResponseCode::Success,
                transfer: Some((sent.len() as u32, batch_crc32(&sent))),
            },
        );
        run_until_request(engine, 3, state, sensor, commits)
    }

    /// Runs a sync from `state` against a sensor holding `oldest..=newest`
    /// with `dropped_total` overwrites, answering the one round in full.
    fn sync_holding(
        state: &DeviceSyncState,
        oldest: u32,
        newest: u32,
        dropped_total: u32,
    ) -> (SyncReport, Vec<Commit>) {
        let mut engine = SyncEngine::new(SyncConfig::default());
        let mut commits = Vec::new();
        let sensor = SensorStatus {
            dropped_total,
            ..status(oldest, newest, newest - oldest + 1)
        };
        let delete = fetch_the_round(&mut engine, state, sensor, (oldest, newest), &mut commits);
        assert_eq!(
            delete,
            Some(RacpRequest::Delete(RacpOperator::AtMost(newest)))
        );
        engine.handle(
            4,
            Event::Notification {
                characteristic: uuids::RACP,
                value: RacpResponse::Code {
                    request_op: DELETE_OP,
                    code: RacpResponseCode::Success,
                    transfer: None,
                }
                .encode(),
            },
        );
        run_until_request(&mut engine, 5, state, sensor, &mut commits);
        let report = engine.outcome().expect("ended").clone().expect("ok");
        (report, commits)
    }

    #[test]
    fn the_cap_on_connections_says_so_not_that_none_made_progress() {
        // A link that drops every connection part-way, each storing some.
        let mut engine = SyncEngine::new(SyncConfig {
            max_connections: 1,
            ..SyncConfig::default()
        });
        let mut commits = Vec::new();
        let request =
            run_until_request(&mut engine, 0, &known(0), status(1, 100, 100), &mut commits);
        assert_eq!(
            request,
            Some(RacpRequest::Report(RacpOperator::Within(1, 100)))
        );
        let sent: Vec<Record> = (1..=50).map(minute).collect();
        records(&mut engine, 1, &sent);
        engine.handle(2, Event::Disconnected);
        let Some(Err(error @ SyncError::ConnectionsUsedUp { connections: 1, .. })) =
            engine.outcome()
        else {
            panic!("expected ConnectionsUsedUp, got {:?}", engine.outcome());
        };
        assert!(!error.to_string().contains("without progress"), "{error}");
    }

    #[test]
    fn a_delete_never_answered_ends_the_sync_with_everything_stored() {
        let mut engine = SyncEngine::new(SyncConfig::default());
        let mut commits = Vec::new();
        let sensor = status(1, 100, 100);
        let delete = fetch_the_round(&mut engine, &known(0), sensor, (1, 100), &mut commits);
        assert_eq!(delete, Some(RacpRequest::Delete(RacpOperator::AtMost(100))));
        // Written, and never answered.
        let now = engine.poll_timeout().expect("a timer runs");
        engine.handle_timeout(now);
        run_until_request(&mut engine, now, &known(0), sensor, &mut commits);
        let report = engine.outcome().expect("ended").clone().expect("ok");
        assert_eq!((report.records_stored, report.high_water), (100, 100));
        assert_eq!(report.connections, 1);
    }

    #[test]
    fn a_delete_answered_after_its_timeout_leaves_the_next_round_running() {
        // The sensor erases slowly: the first round's delete is answered
        // once the next round has been asked for. That answer is not the
        // round's: the round goes on, on the same connection.
        let mut engine = SyncEngine::new(SyncConfig {
            round_max_records: 100,
            ..SyncConfig::default()
        });
        let mut commits = Vec::new();
        let sensor = status(1, 150, 150);
        let delete = fetch_the_round(&mut engine, &known(0), sensor, (1, 100), &mut commits);
        assert_eq!(delete, Some(RacpRequest::Delete(RacpOperator::AtMost(100))));
        let now = engine.poll_timeout().expect("a timer runs");
        engine.handle_timeout(now);
        let next = run_until_request(&mut engine, now, &known(0), sensor, &mut commits);
        assert_eq!(
            next,
            Some(RacpRequest::Report(RacpOperator::Within(101, 150)))
        );
        racp(&mut engine, now + 1, deleted());
        assert_eq!(engine.poll_action(), None, "no disconnect");
        let sent: Vec<Record> = (101..=150).map(minute).collect();
        records(&mut engine, now + 2, &sent);
        racp(
            &mut engine,
            now + 3,
            RacpResponse::Code {
                request_op: REPORT_OP,
                code: RacpResponseCode::Success,
                transfer: Some((50, batch_crc32(&sent))),
            },
        );
        let after = status(1, 150, 150);
        while engine.outcome().is_none() {
            let at = now + 4;
            match run_until_request(&mut engine, at, &known(0), after, &mut commits) {
                Some(RacpRequest::Delete(_)) => racp(&mut engine, at, deleted()),
                Some(other) => panic!("asked for {other:?}"),
                None => break,
            }
        }
        let report = ended_well(&engine);
        assert_eq!((report.records_stored, report.high_water), (150, 150));
        assert_eq!(report.connections, 1);
    }

    #[test]
    fn records_fetched_and_cleared_before_a_re_pairing_are_not_counted_as_lost() {
        // Forgotten and paired again: the mark starts at 0, and the sensor
        // holds 501–600 after deleting what this phone fetched before.
        let (report, commits) = sync_holding(&DeviceSyncState::default(), 501, 600, 0);
        assert_eq!(report.gaps, Vec::<(u32, u32)>::new());
        assert_eq!(report.records_not_held, 500);
        assert_eq!(report.records_stored, 100);
        assert_eq!(report.high_water, 600);
        assert!(commits.iter().all(|c| c.gaps.is_empty()));
    }

    #[test]
    fn only_the_overwrites_since_the_mark_are_counted_as_lost() {
        // Mark 100 with 10 overwrites seen; the sensor now holds 151–160
        // and has overwritten 30: 20 since the mark, the other 30 of the
        // missing 50 were cleared by another phone.
        let state = DeviceSyncState {
            dropped_seen: 10,
            ..known(100)
        };
        let (report, commits) = sync_holding(&state, 151, 160, 30);
        assert_eq!(report.gaps, vec![(131, 150)]);
        assert_eq!(report.gap_records(), 20);
        assert_eq!(report.records_not_held, 30);
        assert_eq!(report.high_water, 160);
        // The new mark carries the overwrite count it accounts for.
        assert_eq!(commits.last().map(|c| c.dropped_seen), Some(30));
    }

    #[test]
    fn a_counter_reset_below_the_mark_s_counts_the_whole_run_as_lost() {
        let state = DeviceSyncState {
            dropped_seen: 500,
            ..known(100)
        };
        let (report, _) = sync_holding(&state, 151, 160, 3);
        assert_eq!(report.gaps, vec![(101, 150)]);
        assert_eq!(report.records_not_held, 0);
    }

    #[test]
    fn a_full_sensor_synced_for_the_first_time_counts_every_overwrite() {
        let (report, _) = sync_holding(&DeviceSyncState::default(), 41, 50, 40);
        assert_eq!(report.gaps, vec![(1, 40)]);
        assert_eq!(report.records_not_held, 0);
    }

    #[test]
    fn a_round_ending_at_u32_max_minus_one_and_a_huge_count_do_not_overflow() {
        let mut engine = SyncEngine::new(SyncConfig::default());
        let mut commits = Vec::new();
        let top = u32::MAX - 1;
        let sensor = status(top - 1, top, 2);
        let request = run_until_request(&mut engine, 0, &known(top - 2), sensor, &mut commits);
        assert_eq!(
            request,
            Some(RacpRequest::Report(RacpOperator::Within(top - 1, top)))
        );
        let sent = [minute(top - 1), minute(top)];
        records(&mut engine, 1, &sent);
        // A count far above the round: the engine trusts only what it asked for.
        racp(
            &mut engine,
            2,
            RacpResponse::Code {
                request_op: REPORT_OP,
                code: RacpResponseCode::Success,
                transfer: Some((u32::MAX, batch_crc32(&sent))),
            },
        );
        let delete = run_until_request(&mut engine, 3, &known(top - 2), sensor, &mut commits);
        assert_eq!(delete, Some(RacpRequest::Delete(RacpOperator::AtMost(top))));
        assert_eq!(commits.last().map(|c| c.high_water), Some(top));
    }

    #[test]
    fn an_unknown_record_type_names_the_record_and_keeps_what_came_before() {
        let mut engine = SyncEngine::new(SyncConfig::default());
        let mut commits = Vec::new();
        let sensor = status(1, 4, 4);
        run_until_request(&mut engine, 0, &known(0), sensor, &mut commits).expect("request");
        let mut alien = minute(3).encode();
        alien[10] = 0x09;
        let crc = crc::Crc::<u16>::new(&crc::CRC_16_MCRF4XX).checksum(&alien[..18]);
        alien[18..].copy_from_slice(&crc.to_le_bytes());
        let mut value: Vec<u8> = [minute(1), minute(2)]
            .iter()
            .flat_map(Record::encode)
            .collect();
        value.extend_from_slice(&alien);
        value.extend_from_slice(&minute(4).encode());
        engine.handle(
            1,
            Event::Notification {
                characteristic: uuids::RECORD,
                value,
            },
        );
        let mut deleted = false;
        while let Some(action) = engine.poll_action() {
            match action {
                Action::Commit(commit) => {
                    commits.push(commit);
                    engine.handle(2, Event::Committed(Ok(CommitOutcome::default())));
                }
                Action::Write { characteristic, .. } if characteristic == uuids::RACP => {
                    deleted = true;
                }
                _ => {}
            }
        }
        assert_eq!(
            engine.outcome(),
            Some(&Err(SyncError::Protocol(
                ProtocolError::UnknownRecordContent {
                    seq: 3,
                    what: "record type",
                    value: 9
                }
            )))
        );
        let stored: Vec<u32> = commits
            .iter()
            .flat_map(|c| c.records.iter().map(|r| r.seq))
            .collect();
        assert_eq!(stored, vec![1, 2]);
        assert!(
            !deleted,
            "nothing is deleted when the sync stops on a record"
        );
        let message = engine
            .outcome()
            .and_then(|o| o.clone().err())
            .map(|e| e.to_string());
        assert!(
            message
                .as_deref()
                .is_some_and(|m| m.contains("record 3") && m.contains("record type")),
            "{message:?}"
        );
    }

    #[test]
    fn duplicates_that_arrive_are_counted() {
        let mut engine = SyncEngine::new(SyncConfig::default());
        let mut commits = Vec::new();
        let sensor = status(1, 3, 3);
        run_until_request(&mut engine, 0, &known(0), sensor, &mut commits).expect("request");
        let sent = [minute(1), minute(2), minute(3)];
        records(&mut engine, 1, &sent[..2]);
        records(&mut engine, 1, &sent[1..]);
        racp(
            &mut engine,
            2,
            RacpResponse::Code {
                request_op: REPORT_OP,
                code: RacpResponseCode::Success,
                transfer: Some((3, batch_crc32(&sent))),
            },
        );
        run_until_request(&mut engine, 3, &known(0), sensor, &mut commits);
        engine.handle(
            4,
            Event::Notification {
                characteristic: uuids::RACP,
                value: RacpResponse::Code {
                    request_op: DELETE_OP,
                    code: RacpResponseCode::Success,
                    transfer: None,
                }
                .encode(),
            },
        );
        let report = engine.outcome().expect("ended").as_ref().expect("ok");
        assert_eq!(report.records_stored, 3);
        assert_eq!(report.duplicates_ignored, 1);
    }

    #[test]
    fn a_sensor_other_than_the_one_asked_for_is_refused_before_anything_is_stored() {
        let mut engine = SyncEngine::new(SyncConfig {
            expected_serial: Some("SH-PAIRED".into()),
            ..SyncConfig::default()
        });
        let mut commits = Vec::new();
        let request =
            run_until_request(&mut engine, 0, &known(0), status(1, 100, 100), &mut commits);
        assert_eq!(request, None);
        assert!(commits.is_empty());
        assert_eq!(
            engine.outcome(),
            Some(&Err(SyncError::WrongSensor {
                expected: "SH-PAIRED".into(),
                found: "SH-A".into()
            }))
        );
    }

    #[test]
    fn a_sensor_reset_past_the_mark_is_refused_by_its_epoch_before_anything_is_stored() {
        // 500 records stored from epoch 3; the sensor was reflashed: its
        // epochs and records started again, and it has logged 800 since.
        let state = DeviceSyncState {
            anchors: vec![ClockAnchor {
                epoch: 3,
                ticks_ms: 60_000,
                utc_ms: 1_790_000_000_000,
            }],
            ..known(500)
        };
        let mut engine = SyncEngine::new(SyncConfig::default());
        let mut commits = Vec::new();
        let request = run_until_request(&mut engine, 0, &state, status(1, 800, 800), &mut commits);
        assert_eq!(request, None, "no records are asked for, none deleted");
        assert!(commits.is_empty(), "no anchor is stored: {commits:?}");
        assert_eq!(
            engine.outcome(),
            Some(&Err(SyncError::EpochReset {
                serial: "SH-A".into(),
                epoch: 1,
                latest: 3
            }))
        );
        // Record numbers below the mark say so too, before the clock.
        let mut engine = SyncEngine::new(SyncConfig::default());
        let request = run_until_request(&mut engine, 0, &state, status(1, 90, 90), &mut commits);
        assert_eq!(request, None);
        assert!(commits.is_empty());
        assert!(matches!(
            engine.outcome(),
            Some(Err(SyncError::SensorReset { newest: 90, .. }))
        ));
    }

    /// An anchor of `epoch` a minute into it, taken at `utc_ms`.
    fn anchored(epoch: u16, utc_ms: i64) -> ClockAnchor {
        ClockAnchor {
            epoch,
            ticks_ms: 60_000,
            utc_ms,
        }
    }

    /// A sync of a sensor stored up to `mark` with `anchors`, now in
    /// `epoch` and holding records 1 to `newest`, run to its first record
    /// request (if any).
    fn first_request(
        anchors: &[ClockAnchor],
        mark: u32,
        epoch: u16,
        newest: u32,
    ) -> (SyncEngine, Option<RacpRequest>) {
        let state = DeviceSyncState {
            anchors: anchors.to_vec(),
            ..known(mark)
        };
        let sensor = SensorStatus {
            epoch,
            ..status(1, newest, newest)
        };
        let mut engine = SyncEngine::new(SyncConfig::default());
        let request = run_until_request(&mut engine, 0, &state, sensor, &mut Vec::new());
        (engine, request)
    }

    #[test]
    fn an_anchor_stamped_by_a_clock_set_ahead_does_not_hide_a_reset() {
        // Epoch 7 was anchored while the phone's clock ran a year ahead,
        // epoch 8 after it was put right. The sensor was reset and has
        // rebooted back up to epoch 7, its records past the mark.
        let anchors = [
            anchored(7, 1_790_000_000_000 + 365 * 86_400_000),
            anchored(8, 1_790_000_100_000),
        ];
        let (engine, request) = first_request(&anchors, 500, 7, 800);
        assert_eq!(request, None, "no records are asked for, none deleted");
        assert_eq!(
            engine.outcome(),
            Some(&Err(SyncError::EpochReset {
                serial: "SH-A".into(),
                epoch: 7,
                latest: 8
            }))
        );
    }

    #[test]
    fn a_reset_just_after_the_epoch_counter_wrapped_is_seen() {
        // Epochs 65,535, 0 and 1 anchored; the sensor, reset, is at 0.
        let anchors = [
            anchored(u16::MAX, 1_790_000_000_000),
            anchored(0, 1_790_100_000_000),
            anchored(1, 1_790_200_000_000),
        ];
        let (engine, request) = first_request(&anchors, 500, 0, 800);
        assert_eq!(request, None);
        assert!(matches!(
            engine.outcome(),
            Some(Err(SyncError::EpochReset { latest: 1, .. }))
        ));
    }

    #[test]
    fn an_epoch_that_wrapped_after_65_535_boots_is_no_reset() {
        // Epochs 65,534 and 65,535 anchored, then 0: the latest is 0.
        let anchors = [
            anchored(u16::MAX - 1, 1_789_000_000_000),
            anchored(u16::MAX, 1_790_000_000_000),
            anchored(0, 1_790_500_000_000),
        ];
        let (_, request) = first_request(&anchors, 50, 1, 100);
        assert_eq!(
            request,
            Some(RacpRequest::Report(RacpOperator::Within(51, 100)))
        );
    }

    #[test]
    fn a_sync_that_reconnects_anchors_each_epoch_once() {
        // Every anchor of one sync is taken by the same phone clock: three
        // reconnects must not become three votes against earlier syncs.
        let mut engine = SyncEngine::new(SyncConfig::default());
        let mut commits = Vec::new();
        let mut now = 0;
        let mut requests = 0;
        while requests < 4 {
            let request = run_until_request(
                &mut engine,
                now,
                &known(0),
                status(1, 100, 100),
                &mut commits,
            );
            if request.is_some() {
                requests += 1;
                now += 100;
                engine.handle(now, Event::Disconnected);
            }
            now = engine.poll_timeout().unwrap_or(now).max(now + 1);
            engine.handle_timeout(now);
            assert!(engine.outcome().is_none(), "{:?}", engine.outcome());
        }
        let anchors: Vec<ClockAnchor> = commits.iter().flat_map(|c| c.anchors.clone()).collect();
        assert_eq!(anchors.len(), 1, "{anchors:?}");
        // A sensor that rebooted between two connections (a new epoch) is
        // anchored in it too.
        let rebooted = SensorStatus {
            epoch: 2,
            ..status(1, 100, 100)
        };
        while run_until_request(&mut engine, now, &known(0), rebooted, &mut commits).is_none() {
            assert!(engine.outcome().is_none(), "{:?}", engine.outcome());
            now = engine.poll_timeout().unwrap_or(now).max(now + 1);
            engine.handle_timeout(now);
        }
        let epochs: Vec<u16> = commits
            .iter()
            .flat_map(|c| c.anchors.iter().map(|a| a.epoch))
            .collect();
        assert_eq!(epochs, [1, 2]);
    }

    #[test]
    fn a_clock_that_is_no_tick_counter_anchors_nothing_and_the_sync_ends() {
        let time_of_day = ElapsedTime::utc_time_of_day(
            chrono::DateTime::from_timestamp(1_790_000_000, 0).expect("time"),
            3600,
            crate::sensor::gatt::TimeSyncSource::Manual,
        );
        // Seconds since boot, as a tick counter should, but more than a
        // record's stamp can count (it had placed records near the year
        // -262,000, where working out a set's start panicked).
        let beyond_stamps = ElapsedTime {
            resolution: crate::sensor::gatt::TimeResolution::Second,
            value: 8_270_000_000_000,
            ..ElapsedTime::ticks_ms(0)
        };
        for clock in [time_of_day, beyond_stamps] {
            let mut engine = SyncEngine::new(SyncConfig::default());
            let mut commits = Vec::new();
            let sensor = status(1, 100, 100);
            let counts = Counts::Held(Some((1, 100)));
            run_without_requests(&mut engine, sensor, counts, clock, &mut commits);
            assert!(commits.iter().all(|c| c.anchors.is_empty()), "{clock:?}");
            let Some(Err(SyncError::GaveUp { last, .. })) = engine.outcome() else {
                panic!("expected GaveUp, got {:?}", engine.outcome());
            };
            assert!(
                matches!(
                    last.as_ref(),
                    SyncError::Protocol(ProtocolError::UnusableClock { .. })
                ),
                "{last}"
            );
        }
    }

    /// Every commit the engine has asked for so far (other actions dropped).
    fn commits_asked_for(engine: &mut SyncEngine) -> Vec<Commit> {
        std::iter::from_fn(|| engine.poll_action())
            .filter_map(|action| match action {
                Action::Commit(commit) => Some(commit),
                _ => None,
            })
            .collect()
    }

    /// Runs a sync to its end against a sensor whose answer to the `n`th
    /// record request, for records from `first`, is `answer(n, first)`:
    /// the Record notification's bytes and the CRC-32 it reports. It
    /// deletes whatever it is asked to.
    fn sync_against(
        engine: &mut SyncEngine,
        sensor: SensorStatus,
        commits: &mut Vec<Commit>,
        answer: impl FnMut(u32, u32) -> (Vec<u8>, u32),
    ) {
        sync_against_from(engine, &known(0), sensor, commits, answer);
    }

    /// [`sync_against`] for a sensor the database knows as `state`.
    fn sync_against_from(
        engine: &mut SyncEngine,
        state: &DeviceSyncState,
        sensor: SensorStatus,
        commits: &mut Vec<Commit>,
        mut answer: impl FnMut(u32, u32) -> (Vec<u8>, u32),
    ) {
        let (mut now, mut rounds) = (0, 0);
        let mut request = run_until_request(engine, now, state, sensor, commits);
        loop {
            now += 100;
            let response = match request {
                Some(RacpRequest::Report(RacpOperator::Within(first, last))) => {
                    rounds += 1;
                    let (value, crc) = answer(rounds, first);
                    engine.handle(
                        now,
                        Event::Notification {
                            characteristic: uuids::RECORD,
                            value,
                        },
                    );
                    RacpResponse::Code {
                        request_op: REPORT_OP,
                        code: RacpResponseCode::Success,
                        transfer: Some((last - first + 1, crc)),
                    }
                }
                Some(RacpRequest::Delete(_)) => RacpResponse::Code {
                    request_op: DELETE_OP,
                    code: RacpResponseCode::Success,
                    transfer: None,
                },
                other => {
                    assert_eq!(other, None, "an unexpected request");
                    return;
                }
            };
            racp(engine, now, response);
            request = run_until_request(engine, now, state, sensor, commits);
        }
    }

    /// Record `seq`'s bytes with one payload bit flipped: its CRC fails.
    fn damaged(seq: u32) -> [u8; RECORD_LEN] {
        damaged_at(seq, 12)
    }

    /// Record `seq` with a bit of byte `byte` flipped (0–3: its number).
    fn damaged_at(seq: u32, byte: usize) -> [u8; RECORD_LEN] {
        let mut bytes = minute(seq).encode();
        bytes[byte] ^= 0x40;
        bytes
    }

    /// A sensor holding records 1 to `newest`, those in `damaged` damaged
    /// (the same bytes every time), answering each round from its first.
    fn damaged_on_the_sensor(
        damaged_seqs: std::ops::RangeInclusive<u32>,
        newest: u32,
    ) -> impl FnMut(u32, u32) -> (Vec<u8>, u32) {
        sensor_sending(newest, move |seq| {
            Some(if damaged_seqs.contains(&seq) {
                damaged(seq)
            } else {
                minute(seq).encode()
            })
        })
    }

    /// A sensor holding records 1 to `newest`, answering each round from
    /// its first, each record as `image` has it reach the phone (none: it
    /// never does).
    fn sensor_sending(
        newest: u32,
        image: impl Fn(u32) -> Option<[u8; RECORD_LEN]>,
    ) -> impl FnMut(u32, u32) -> (Vec<u8>, u32) {
        move |_, first| ((first..=newest).filter_map(&image).flatten().collect(), 0)
    }

    /// The report of a sync that ended well.
    fn ended_well(engine: &SyncEngine) -> &SyncReport {
        engine
            .outcome()
            .expect("ended")
            .as_ref()
            .expect("the sync ends well")
    }

    fn stored(commits: &[Commit]) -> Vec<u32> {
        commits
            .iter()
            .flat_map(|c| c.records.iter().map(|r| r.seq))
            .collect()
    }

    #[test]
    fn the_lost_of_a_run_fill_its_holes_newest_first() {
        // 1–10 with 3, 4 and 8 held: holes 1–2, 5–7 and 9–10.
        let held = BTreeSet::from([3, 4, 8]);
        assert_eq!(
            holes_newest_first(1, 10, 7, &held),
            [(1, 2), (5, 7), (9, 10)]
        );
        assert_eq!(holes_newest_first(1, 10, 4, &held), [(6, 7), (9, 10)]);
        assert_eq!(holes_newest_first(1, 10, 0, &held), []);
        // At the top of the numbers.
        let top = u32::MAX - 1;
        assert_eq!(
            holes_newest_first(top - 3, top, 3, &BTreeSet::from([top - 1])),
            [(top - 3, top - 2), (top, top)]
        );
    }

    #[test]
    fn records_received_behind_a_damaged_one_are_kept_when_the_ring_overwrites_both() {
        // Records 1–10: 1 arrives damaged, 2–5 intact, 6–10 not at all, so
        // nothing is stored yet; before the next round the full ring
        // overwrites 1–5.
        // 1 is lost (a counted gap); 2–5, which the phone holds, are not.
        received_behind_a_damaged_one(None);
    }

    #[test]
    fn records_received_behind_a_damaged_one_are_kept_when_the_link_drops_next() {
        received_behind_a_damaged_one(Some(Event::Disconnected));
    }

    #[test]
    fn records_received_behind_a_damaged_one_are_kept_when_the_sync_is_cancelled_next() {
        received_behind_a_damaged_one(Some(Event::Cancel));
    }

    #[test]
    fn records_received_behind_a_damaged_one_are_kept_when_the_sensor_is_reset_next() {
        // Records 1–10: 1 arrives damaged, 2–5 intact, 6–10 not at all;
        // before the next round the sensor is reset (its clock's epoch
        // starts again, on both Status reads). 2–5 are stored, the mark left
        // below 1 (nothing is counted lost on Status's word), and the reset
        // is said; nothing of the new life is read.
        let mut engine = SyncEngine::new(SyncConfig::default());
        let mut commits = Vec::new();
        let state = known(0);
        a_round_whose_first_record_is_damaged(&mut engine, &state, &mut commits);
        let reset = SensorStatus {
            epoch: 0,
            ..status(1, 3, 3)
        };
        let request = run_until_request(&mut engine, 3, &state, reset, &mut commits);
        assert_eq!(request, None, "no round of the new life");
        assert_eq!(stored(&commits), [2, 3, 4, 5]);
        assert_eq!(commits.last().map(|c| c.gaps.clone()), Some(vec![]));
        assert_eq!(commits.last().map(|c| c.high_water), Some(0));
        assert!(
            matches!(engine.outcome(), Some(Err(SyncError::EpochReset { .. }))),
            "{:?}",
            engine.outcome()
        );
    }

    #[test]
    fn records_stored_above_the_mark_are_not_counted_lost_when_the_ring_overwrites_them() {
        // The sync above, its "reset" a glitch: 2–5 are stored, the mark at
        // 0. Before the next sync the ring overwrites 1–7 (7 counted): 1, 6
        // and 7 are lost, 2–5 are the phone's.
        let state = DeviceSyncState {
            stored_above_mark: vec![2, 3, 4, 5],
            ..known(0)
        };
        let (report, commits) = sync_holding(&state, 8, 12, 7);
        assert_eq!(report.gaps, vec![(1, 1), (6, 7)]);
        assert_eq!(report.gap_records(), 3);
        assert_eq!(report.records_not_held, 0);
        assert_eq!(stored(&commits), [8, 9, 10, 11, 12]);
        assert_eq!(report.high_water, 12);
    }

    #[test]
    fn a_reset_shown_by_one_status_read_and_not_the_next_is_no_reset() {
        // Records 1–10, 1 damaged: the next Status says the sensor was
        // reset (its clock's epoch starts again), the one after does not.
        // The sync goes on with the round again; nothing is said of a reset.
        let mut engine = SyncEngine::new(SyncConfig::default());
        let mut commits = Vec::new();
        let state = known(0);
        a_round_whose_first_record_is_damaged(&mut engine, &state, &mut commits);
        let glitch = SensorStatus {
            epoch: 0,
            ..status(1, 10, 10)
        };
        assert_eq!(engine.poll_action(), Some(Action::Read(uuids::STATUS)));
        engine.handle(
            3,
            Event::ReadDone {
                characteristic: uuids::STATUS,
                result: Ok(glitch.encode().to_vec()),
            },
        );
        assert!(engine.outcome().is_none(), "{:?}", engine.outcome());
        let request = run_until_request(&mut engine, 4, &state, status(1, 10, 10), &mut commits);
        assert_eq!(
            request,
            Some(RacpRequest::Report(RacpOperator::Within(1, 10)))
        );
        assert!(commits.iter().all(|c| c.records.is_empty()));
    }

    #[test]
    fn records_both_received_and_stored_above_the_mark_count_once() {
        // 2–5 stored above the mark by an earlier sync, 4–6 received by
        // this one (behind a damaged 1... as in the ring's case above); the
        // ring overwrites 1–8 (8 counted): 1, 7 and 8 are lost.
        let mut engine = SyncEngine::new(SyncConfig::default());
        engine.stored_above_mark = BTreeSet::from([2, 3, 4, 5]);
        for seq in 4..=6 {
            engine
                .staged
                .insert(seq, (minute(seq), minute(seq).encode()));
        }
        assert_eq!(engine.account_for_run(8, 8), 8);
        assert_eq!(engine.pending_gaps, [(1, 1), (7, 8)]);
        assert_eq!(engine.report.records_not_held, 0);
    }

    #[test]
    fn a_damaged_record_the_phone_stored_above_the_mark_is_passed_not_lost() {
        // 1–3 stored above the mark by a sync stopped at a reset; now 1
        // arrives damaged, 2–5 intact: 1 is the phone's, no gap, no damage.
        let mut engine = SyncEngine::new(SyncConfig::default());
        let mut commits = Vec::new();
        let state = DeviceSyncState {
            stored_above_mark: vec![1, 2, 3],
            ..known(0)
        };
        a_round_whose_first_record_is_damaged(&mut engine, &state, &mut commits);
        // Stored past it, and deleted on the sensor up to the new mark.
        let request = run_until_request(&mut engine, 3, &state, status(1, 10, 10), &mut commits);
        assert_eq!(request, Some(RacpRequest::Delete(RacpOperator::AtMost(5))));
        assert_eq!(stored(&commits), [2, 3, 4, 5]);
        assert_eq!(commits.last().map(|c| c.high_water), Some(5));
        assert!(commits.iter().all(|c| c.gaps.is_empty() && c.damaged == 0));
    }

    #[test]
    fn a_reset_shown_before_the_link_dropped_is_said_only_if_the_next_connection_shows_it_too() {
        // Mark 20, the sensor's records 21–30. The first connection's Status
        // says its records end at 0; the link drops before it is read again.
        let state = known(20);
        let reset = status(1, 0, 0);
        for (next, said) in [(status(21, 30, 10), false), (reset, true)] {
            let mut engine = SyncEngine::new(SyncConfig::default());
            let mut commits = Vec::new();
            let mut now = 0;
            let mut status_reads = 0;
            while status_reads < 2 {
                let Some(action) = engine.poll_action() else {
                    // Status is read again a second after it showed a reset.
                    now = engine.poll_timeout().expect("a timer");
                    engine.handle_timeout(now);
                    continue;
                };
                let event = match action {
                    Action::Connect => Event::Connected,
                    Action::ExchangeMtu(mtu) => Event::MtuChanged(mtu),
                    Action::LoadState { .. } => Event::StateLoaded(Ok(state.clone())),
                    Action::Read(c) if c == uuids::SERIAL_NUMBER => Event::ReadDone {
                        characteristic: c,
                        result: Ok(b"SH-A".to_vec()),
                    },
                    Action::Read(c) if c == uuids::STATUS => {
                        status_reads += 1;
                        if status_reads == 2 {
                            break;
                        }
                        Event::ReadDone {
                            characteristic: c,
                            result: Ok(reset.encode().to_vec()),
                        }
                    }
                    other => panic!("{other:?} before Status was read again"),
                };
                now += 1;
                engine.handle(now, event);
            }
            // The second read is asked for; the link drops instead.
            engine.handle(now, Event::Disconnected);
            assert!(engine.outcome().is_none(), "{:?}", engine.outcome());
            engine.handle_timeout(now + 60_000);
            let request = run_until_request(&mut engine, now + 60_000, &state, next, &mut commits);
            if said {
                assert_eq!(request, None);
                assert!(
                    matches!(engine.outcome(), Some(Err(SyncError::SensorReset { .. }))),
                    "{:?}",
                    engine.outcome()
                );
            } else {
                assert_eq!(
                    request,
                    Some(RacpRequest::Report(RacpOperator::Within(21, 30)))
                );
                // Its clock was read and anchored on the way.
                assert!(commits.iter().any(|c| !c.anchors.is_empty()));
            }
        }
    }

    /// The first round of a sync of records 1–10 (at 0–2 ms): 1 arrives
    /// damaged, 2–5 intact, 6–10 not at all, so nothing is stored yet
    /// (unless the phone has 1 already).
    fn a_round_whose_first_record_is_damaged(
        engine: &mut SyncEngine,
        state: &DeviceSyncState,
        commits: &mut Vec<Commit>,
    ) {
        let request = run_until_request(engine, 0, state, status(1, 10, 10), commits);
        assert_eq!(
            request,
            Some(RacpRequest::Report(RacpOperator::Within(1, 10)))
        );
        let mut value = damaged(1).to_vec();
        value.extend((2..=5).flat_map(|seq| minute(seq).encode()));
        engine.handle(
            1,
            Event::Notification {
                characteristic: uuids::RECORD,
                value,
            },
        );
        racp(
            engine,
            2,
            RacpResponse::Code {
                request_op: REPORT_OP,
                code: RacpResponseCode::Success,
                transfer: Some((10, 0)),
            },
        );
        if !state.stored_above_mark.contains(&1) {
            assert!(stored(commits.as_slice()).is_empty());
        }
    }

    /// The scenario of the first three tests above; `instead_of_the_round` happens once
    /// the run is accounted for, before the next round answers.
    fn received_behind_a_damaged_one(instead_of_the_round: Option<Event>) {
        let mut engine = SyncEngine::new(SyncConfig::default());
        let mut commits = Vec::new();
        let state = known(0);
        a_round_whose_first_record_is_damaged(&mut engine, &state, &mut commits);
        let after = SensorStatus {
            dropped_total: 5,
            ..status(6, 15, 10)
        };
        let request = run_until_request(&mut engine, 3, &state, after, &mut commits);
        assert_eq!(
            request,
            Some(RacpRequest::Report(RacpOperator::Within(6, 15)))
        );
        if let Some(event) = instead_of_the_round {
            // The link drops, or the user cancels, before the next round
            // answers: 2–5 are stored with the gap all the same.
            engine.handle(4, event);
            while let Some(action) = engine.poll_action() {
                if let Action::Commit(commit) = action {
                    commits.push(commit);
                }
            }
            assert_eq!(stored(&commits), [2, 3, 4, 5]);
            assert_eq!(commits.last().map(|c| c.gaps.clone()), Some(vec![(1, 1)]));
            return;
        }
        let sent: Vec<Record> = (6..=15).map(minute).collect();
        records(&mut engine, 4, &sent);
        racp(
            &mut engine,
            5,
            RacpResponse::Code {
                request_op: REPORT_OP,
                code: RacpResponseCode::Success,
                transfer: Some((10, batch_crc32(&sent))),
            },
        );
        let delete = run_until_request(&mut engine, 6, &state, after, &mut commits);
        assert_eq!(delete, Some(RacpRequest::Delete(RacpOperator::AtMost(15))));
        racp(&mut engine, 7, deleted());
        run_until_request(&mut engine, 8, &state, status(16, 15, 0), &mut commits);
        let report = ended_well(&engine);
        assert_eq!(stored(&commits), (2..=15).collect::<Vec<_>>());
        assert_eq!(report.gaps, [(1, 1)]);
        assert_eq!(report.records_not_held, 0);
        assert_eq!(report.high_water, 15);
    }

    #[test]
    fn a_record_damaged_on_the_sensor_is_skipped_as_lost_after_three_rounds() {
        // Record 2's copy on the sensor is damaged: its CRC fails every time.
        let mut engine = SyncEngine::new(SyncConfig::default());
        let mut commits = Vec::new();
        sync_against(
            &mut engine,
            status(1, 5, 5),
            &mut commits,
            damaged_on_the_sensor(2..=2, 5),
        );
        let report = ended_well(&engine);
        assert_eq!(report.records_damaged, 1);
        assert_eq!(report.gaps, [(2, 2)]);
        assert_eq!(report.high_water, 5);
        assert_eq!(stored(&commits), [1, 3, 4, 5]);
        assert_eq!(report.connections, 1, "no reconnect needed");
    }

    #[test]
    fn a_record_whose_number_is_damaged_is_known_by_its_place_and_skipped_after_three_rounds() {
        // Record 2's number itself is damaged on the sensor (it reads as
        // 0x4002): it is the first record of each round's answer all the same.
        let mut engine = SyncEngine::new(SyncConfig::default());
        let mut commits = Vec::new();
        sync_against(
            &mut engine,
            status(1, 5, 5),
            &mut commits,
            sensor_sending(5, |seq| {
                Some(if seq == 2 {
                    damaged_at(seq, 1)
                } else {
                    minute(seq).encode()
                })
            }),
        );
        let report = ended_well(&engine);
        assert_eq!(report.records_damaged, 1);
        assert_eq!(report.gaps, [(2, 2)]);
        assert_eq!(stored(&commits), [1, 3, 4, 5]);
    }

    #[test]
    fn a_damaged_record_after_one_that_never_came_is_not_taken_for_it() {
        // Record 2 never reaches the phone; record 3, damaged on the sensor
        // with its number intact, comes first in every round from 2 on. It
        // is not record 2: skipping 2 as damaged would delete it, intact,
        // from the sensor. The mark stays before it, and it stays there.
        let mut engine = SyncEngine::new(SyncConfig::default());
        let mut commits = Vec::new();
        sync_against(
            &mut engine,
            status(1, 5, 5),
            &mut commits,
            sensor_sending(5, |seq| match seq {
                2 => None,
                3 => Some(damaged(seq)),
                _ => Some(minute(seq).encode()),
            }),
        );
        assert_eq!(stored(&commits), [1]);
        assert!(
            commits
                .iter()
                .all(|c| c.gaps.is_empty() && c.high_water <= 1),
            "no record counted lost, the mark not past 1: {commits:?}"
        );
    }

    #[test]
    fn a_run_of_damaged_records_led_by_one_whose_number_is_damaged_is_skipped_one_by_one() {
        // Record 2's number is damaged, record 3's payload: the first intact
        // record, 4, comes third, so the first was 2.
        let mut engine = SyncEngine::new(SyncConfig::default());
        let mut commits = Vec::new();
        sync_against(
            &mut engine,
            status(1, 5, 5),
            &mut commits,
            sensor_sending(5, |seq| {
                Some(match seq {
                    2 => damaged_at(seq, 1),
                    3 => damaged(seq),
                    _ => minute(seq).encode(),
                })
            }),
        );
        let report = ended_well(&engine);
        assert_eq!(report.records_damaged, 2);
        assert_eq!(report.gaps, [(2, 3)]);
        assert_eq!(stored(&commits), [1, 4, 5]);
    }

    #[test]
    fn the_last_records_all_damaged_after_one_lost_on_the_way_are_not_taken_for_it() {
        // Record 2 never reaches the phone and record 3, the round's last,
        // comes damaged: the sensor sent two, one came, so 3 is not 2.
        let mut engine = SyncEngine::new(SyncConfig::default());
        let mut commits = Vec::new();
        sync_against(
            &mut engine,
            status(1, 3, 3),
            &mut commits,
            sensor_sending(3, |seq| match seq {
                2 => None,
                3 => Some(damaged(seq)),
                _ => Some(minute(seq).encode()),
            }),
        );
        assert_eq!(stored(&commits), [1]);
        assert!(
            commits
                .iter()
                .all(|c| c.gaps.is_empty() && c.high_water <= 1),
            "{commits:?}"
        );
    }

    #[test]
    fn a_lone_damaged_record_whose_number_is_damaged_is_skipped_when_the_round_held_it_alone() {
        // Records 1 and 2, record 2 with its number damaged: the round from 2
        // asks for it alone, and the sensor says it sent it.
        let mut engine = SyncEngine::new(SyncConfig::default());
        let mut commits = Vec::new();
        sync_against(
            &mut engine,
            status(1, 2, 2),
            &mut commits,
            sensor_sending(2, |seq| {
                Some(if seq == 2 {
                    damaged_at(seq, 1)
                } else {
                    minute(seq).encode()
                })
            }),
        );
        let report = ended_well(&engine);
        assert_eq!(report.gaps, [(2, 2)]);
        assert_eq!(stored(&commits), [1]);
    }

    #[test]
    fn the_batch_crc_is_checked_over_the_bytes_the_sensor_sent() {
        // A firmware that sets a flag bit (none is defined in version 1,
        // and parsing leaves the byte out): the record's own CRC-16 and the
        // sensor's CRC-32 cover it, so the round must match as sent.
        let flagged = |seq: u32| {
            let mut image = minute(seq).encode();
            image[11] = 0x01;
            let crc = crc::Crc::<u16>::new(&crc::CRC_16_MCRF4XX).checksum(&image[..18]);
            image[18..20].copy_from_slice(&crc.to_le_bytes());
            image
        };
        let mut engine = SyncEngine::new(SyncConfig::default());
        let mut commits = Vec::new();
        sync_against(&mut engine, status(1, 3, 3), &mut commits, |_, first| {
            let images: Vec<[u8; RECORD_LEN]> = (first..=3).map(flagged).collect();
            (images.concat(), batch_crc32_of_images(&images))
        });
        let report = ended_well(&engine);
        assert_eq!(stored(&commits), [1, 2, 3]);
        assert_eq!(report.rounds, 1, "the first round's CRC-32 matched");
    }

    #[test]
    fn a_run_of_damaged_records_is_skipped_one_by_one_and_the_sync_ends_well() {
        let mut engine = SyncEngine::new(SyncConfig::default());
        let mut commits = Vec::new();
        sync_against(
            &mut engine,
            status(1, 8, 8),
            &mut commits,
            damaged_on_the_sensor(2..=5, 8),
        );
        let report = ended_well(&engine);
        assert_eq!(report.records_damaged, 4);
        assert_eq!(report.gaps, [(2, 5)]);
        assert_eq!(stored(&commits), [1, 6, 7, 8]);
    }

    /// A sync from `state` against a sensor holding records up to `newest`,
    /// those in `damaged` damaged; its engine and commits.
    fn sync_with_damaged(
        state: &DeviceSyncState,
        sensor: SensorStatus,
        damaged: std::ops::RangeInclusive<u32>,
        newest: u32,
    ) -> (SyncEngine, Vec<Commit>) {
        let mut engine = SyncEngine::new(SyncConfig::default());
        let mut commits = Vec::new();
        sync_against_from(
            &mut engine,
            state,
            sensor,
            &mut commits,
            damaged_on_the_sensor(damaged, newest),
        );
        (engine, commits)
    }

    /// The damaged record a sync stopped at and the sensor's records
    /// skipped before it, if it ended with `UncheckableRecords`.
    fn stopped_at_damage(engine: &SyncEngine) -> Option<(u32, u32)> {
        match engine.outcome() {
            Some(Err(SyncError::Protocol(ProtocolError::UncheckableRecords { seq, skipped }))) => {
                Some((*seq, *skipped))
            }
            _ => None,
        }
    }

    #[test]
    fn a_firmware_whose_every_record_fails_has_sixteen_skipped_then_every_sync_stops_at_the_next() {
        // A new sensor whose firmware writes 40 records this app cannot
        // check: its allowance is 16 (none stored yet).
        let (engine, commits) = sync_with_damaged(&known(0), status(1, 40, 40), 1..=40, 40);
        assert_eq!(stopped_at_damage(&engine), Some((17, 16)));
        // The 16 skipped are stored as such, the mark below the 17th.
        let last = commits.last().expect("the skipped records are stored");
        assert_eq!(
            (last.gaps.clone(), last.damaged, last.high_water),
            (vec![(1, 16)], 16, 16)
        );

        // The next sync skips none: the sensor keeps the rest.
        let state = DeviceSyncState {
            damaged_skipped: 16,
            ..known(16)
        };
        let (engine, commits) = sync_with_damaged(&state, status(17, 60, 44), 17..=60, 60);
        assert_eq!(stopped_at_damage(&engine), Some((17, 16)));
        assert!(
            commits
                .iter()
                .all(|c| c.high_water <= 16 && c.gaps.is_empty()),
            "nothing more written off: {commits:?}"
        );
    }

    #[test]
    fn the_damaged_allowance_grows_with_the_records_a_sensor_stored() {
        // 1,999 records stored allow 16 + 19 = 35 skipped; 30 were. The
        // two intact records this sync stores first raise it to 36: of the
        // eight damaged after them, six are skipped, the seventh stops the
        // sync after the records before it are stored.
        let state = DeviceSyncState {
            records_stored: 1_999,
            damaged_skipped: 30,
            ..known(2_000)
        };
        let (engine, commits) =
            sync_with_damaged(&state, status(2_001, 2_012, 12), 2_003..=2_010, 2_012);
        assert_eq!(stopped_at_damage(&engine), Some((2_009, 36)));
        assert_eq!(stored(&commits), [2_001, 2_002]);
        let skipped: u32 = commits.iter().map(|c| c.damaged).sum();
        assert_eq!(skipped, 6);
        assert_eq!(commits.last().map(|c| c.high_water), Some(2_008));
    }

    #[test]
    fn a_record_damaged_differently_in_every_round_is_not_skipped() {
        // Damage on the way differs from one round to the next: the record
        // is asked for again until it comes intact, never skipped.
        let mut engine = SyncEngine::new(SyncConfig::default());
        let mut commits = Vec::new();
        sync_against(
            &mut engine,
            status(1, 2, 2),
            &mut commits,
            |round, first| {
                let one = if round <= 3 {
                    let mut bytes = minute(1).encode();
                    bytes[12 + round as usize] ^= 0x10;
                    bytes
                } else {
                    minute(1).encode()
                };
                let images: Vec<[u8; RECORD_LEN]> =
                    [one, minute(2).encode()][first as usize - 1..].to_vec();
                let crc = if round <= 3 {
                    0
                } else {
                    batch_crc32_of_images(&images)
                };
                (images.concat(), crc)
            },
        );
        let report = engine.outcome().expect("ended").as_ref().expect("ok");
        assert_eq!(stored(&commits), [1, 2]);
        assert_eq!((report.records_damaged, report.gap_records()), (0, 0));
    }

    #[test]
    fn a_record_damaged_once_in_transit_is_fetched_again_not_skipped() {
        let mut engine = SyncEngine::new(SyncConfig::default());
        let mut commits = Vec::new();
        sync_against(&mut engine, status(1, 2, 2), &mut commits, |round, _| {
            if round == 1 {
                ([damaged(1), minute(2).encode()].concat(), 0)
            } else {
                let sent = [minute(1), minute(2)];
                (
                    sent.iter().flat_map(Record::encode).collect(),
                    batch_crc32(&sent),
                )
            }
        });
        let report = engine.outcome().expect("ended").as_ref().expect("ok");
        assert_eq!(stored(&commits), [1, 2]);
        assert_eq!((report.records_damaged, report.gap_records()), (0, 0));
        assert_eq!(report.corrupt_records, 1);
    }

    #[test]
    fn a_sensor_that_sends_the_same_records_over_and_over_cannot_hold_a_sync_open() {
        // A firmware loop: records 1–3 of the five asked for, then 2 and 3
        // again every second, and never the request's answer.
        let mut engine = SyncEngine::new(SyncConfig::default());
        let mut commits = Vec::new();
        run_until_request(&mut engine, 0, &known(0), status(1, 5, 5), &mut commits)
            .expect("request");
        records(&mut engine, 100, &[minute(1), minute(2), minute(3)]);
        for second in 1..=20 {
            records(&mut engine, second * 1_000, &[minute(2), minute(3)]);
            // Junk and records outside the round do not count either.
            engine.handle(
                second * 1_000,
                Event::Notification {
                    characteristic: uuids::RECORD,
                    value: vec![0xAB; 7],
                },
            );
            records(&mut engine, second * 1_000, &[minute(9)]);
        }
        // Idle since the last record that got further (3, at 100 ms).
        assert_eq!(engine.poll_timeout(), Some(5_100));
        engine.handle_timeout(5_100);
        let actions: Vec<Action> = std::iter::from_fn(|| engine.poll_action()).collect();
        assert!(actions.contains(&Action::Disconnect), "{actions:?}");
        // What arrived intact before is kept.
        let kept = actions.iter().find_map(|a| match a {
            Action::Commit(commit) => {
                Some(commit.records.iter().map(|r| r.seq).collect::<Vec<_>>())
            }
            _ => None,
        });
        assert_eq!(kept, Some(vec![1, 2, 3]));
    }

    #[test]
    fn records_a_sensor_sends_before_they_are_asked_for_are_never_stored() {
        // Found by the fuzzer: records notified before the serial was read
        // were kept and, when the link dropped, committed under no serial
        // and against a mark never loaded.
        let mut engine = SyncEngine::new(SyncConfig::default());
        assert_eq!(engine.poll_action(), Some(Action::Connect));
        engine.handle(0, Event::Connected);
        records(&mut engine, 0, &[minute(1), minute(2)]);
        engine.handle(0, Event::MtuChanged(247));
        records(&mut engine, 0, &[minute(3)]);
        engine.handle(
            0,
            Event::ReadDone {
                characteristic: uuids::SERIAL_NUMBER,
                result: Ok(Vec::new()),
            },
        );
        assert!(commits_asked_for(&mut engine).is_empty());

        // The next connection syncs them once, in their round.
        let reconnect_at = engine.poll_timeout().expect("a reconnect is scheduled");
        engine.handle_timeout(reconnect_at);
        let mut commits = Vec::new();
        let sensor = status(1, 3, 3);
        let request = run_until_request(&mut engine, reconnect_at, &known(0), sensor, &mut commits);
        assert_eq!(
            request,
            Some(RacpRequest::Report(RacpOperator::Within(1, 3)))
        );
        assert!(commits.iter().all(|commit| commit.records.is_empty()));
        let sent = [minute(1), minute(2), minute(3)];
        records(&mut engine, reconnect_at, &sent);
        racp(
            &mut engine,
            reconnect_at,
            RacpResponse::Code {
                request_op: REPORT_OP,
                code: RacpResponseCode::Success,
                transfer: Some((3, batch_crc32(&sent))),
            },
        );
        let stored: Vec<u32> = commits_asked_for(&mut engine)
            .iter()
            .flat_map(|commit| commit.records.iter().map(|r| r.seq))
            .collect();
        assert_eq!(stored, [1, 2, 3]);
        assert_eq!(engine.outcome(), None);
    }

    #[test]
    fn records_received_in_the_round_are_stored_when_the_sync_is_cancelled() {
        // A full sensor overwrites its oldest record every minute: the
        // round's first six, checked and contiguous, are kept as when the
        // link drops, and the sync then ends as cancelled.
        let mut engine = SyncEngine::new(SyncConfig::default());
        let mut commits = Vec::new();
        let request = run_until_request(&mut engine, 0, &known(0), status(1, 10, 10), &mut commits);
        assert_eq!(
            request,
            Some(RacpRequest::Report(RacpOperator::Within(1, 10)))
        );
        let sent: Vec<Record> = (1..=6).map(minute).collect();
        records(&mut engine, 1, &sent);
        engine.handle(2, Event::Cancel);
        let salvaged = commits_asked_for(&mut engine);
        assert_eq!(stored(&salvaged), [1, 2, 3, 4, 5, 6]);
        assert_eq!(salvaged[0].high_water, 6);
        assert_eq!(engine.outcome(), None, "the sync ends once they are stored");
        engine.handle(
            3,
            Event::Committed(Ok(CommitOutcome {
                inserted: 6,
                duplicates: 0,
            })),
        );
        assert_eq!(engine.outcome(), Some(&Err(SyncError::Cancelled)));
    }

    #[test]
    fn records_beyond_the_round_asked_for_are_not_stored_when_the_link_drops() {
        let mut engine = SyncEngine::new(SyncConfig {
            round_max_records: 2,
            ..SyncConfig::default()
        });
        let mut commits = Vec::new();
        let request = run_until_request(&mut engine, 0, &known(0), status(1, 5, 5), &mut commits);
        assert_eq!(
            request,
            Some(RacpRequest::Report(RacpOperator::Within(1, 2)))
        );
        records(&mut engine, 1, &[minute(1), minute(2), minute(3)]);
        engine.handle(2, Event::Disconnected);
        let salvaged = commits_asked_for(&mut engine);
        assert_eq!(salvaged.len(), 1);
        assert_eq!(salvaged[0].high_water, 2);
        let seqs: Vec<u32> = salvaged[0].records.iter().map(|r| r.seq).collect();
        assert_eq!(seqs, [1, 2]);
    }

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
