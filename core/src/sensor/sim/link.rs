//! A Bluetooth LE link on virtual time, between the engine and a
//! [`SimSensor`].
//!
//! Time advances in connection events, one every `interval_us`. In each
//! event up to `packets_per_event` packets go each way; a request reaches the
//! sensor in one event and its answer comes back in a later one. One ATT
//! PDU is one packet (data length extension is assumed above MTU 23). Faults
//! from a [`FaultPlan`] are applied as packets reach the phone.

use std::collections::VecDeque;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::faults::{FaultPlan, RacpFault};
use super::sensor::{Outgoing, SimSensor};
use crate::sensor::gatt::{
    ATT_MTU_MIN, BootReason, RECORD_LEN, RacpResponse, RacpResponseCode, SensorStatus,
};
use crate::sensor::sync::{Action, Event, GattError};
use crate::sensor::uuids;

/// Radio parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkConfig {
    /// The largest ATT MTU both sides support (23 without DLE, up to 517).
    pub mtu: u16,
    /// Connection interval, µs (7,500 to 4,000,000).
    pub interval_us: i64,
    /// Packets each way per connection event (phones allow 4 to 10).
    pub packets_per_event: u32,
}

impl LinkConfig {
    /// An iPhone-like link: 15 ms interval, 4 packets an event.
    pub fn phone(mtu: u16) -> Self {
        Self {
            mtu,
            interval_us: 15_000,
            packets_per_event: 4,
        }
    }

    /// Record payload the link carries at best, bytes a second.
    pub fn record_capacity_bytes_per_s(&self) -> f64 {
        let payload = usize::from(self.mtu.saturating_sub(3));
        let bytes_per_packet = (payload / RECORD_LEN).max(1) * RECORD_LEN;
        bytes_per_packet as f64 * f64::from(self.packets_per_event) * 1e6 / self.interval_us as f64
    }
}

/// The simulated radio.
pub struct SimLink {
    config: LinkConfig,
    faults: FaultPlan,
    rng: ChaCha8Rng,
    connected: bool,
    connecting_until: Option<i64>,
    last_event_us: i64,
    to_sensor: VecDeque<Action>,
    answers: VecDeque<Event>,
    held_back: Option<Event>,
    bytes_to_phone: u64,
    record_notifications: u64,
    status_reads: u32,
    /// Of the Status answers on their way, oldest first, which are glitched.
    status_answers_glitched: VecDeque<bool>,
    /// Glitched Status answers delivered in a row, now and at most.
    glitched_in_a_row: u32,
    most_glitched_in_a_row: u32,
}

impl SimLink {
    /// A link with `config` and `faults`; `seed` drives the random faults.
    pub fn new(config: LinkConfig, faults: FaultPlan, seed: u64) -> Self {
        Self {
            config,
            faults,
            rng: ChaCha8Rng::seed_from_u64(seed),
            connected: false,
            connecting_until: None,
            last_event_us: 0,
            to_sensor: VecDeque::new(),
            answers: VecDeque::new(),
            held_back: None,
            bytes_to_phone: 0,
            record_notifications: 0,
            status_reads: 0,
            status_answers_glitched: VecDeque::new(),
            glitched_in_a_row: 0,
            most_glitched_in_a_row: 0,
        }
    }

    /// The radio parameters.
    pub fn config(&self) -> LinkConfig {
        self.config
    }

    /// Bytes that reached the phone so far.
    pub fn bytes_to_phone(&self) -> u64 {
        self.bytes_to_phone
    }

    /// Record notifications that reached the phone so far.
    pub fn record_notifications(&self) -> u64 {
        self.record_notifications
    }

    /// The most Status answers showing a reset (`glitch=N`) that reached the
    /// phone in a row: two or more, and the engine may say a reset.
    pub fn most_glitched_status_answers_in_a_row(&self) -> u32 {
        self.most_glitched_in_a_row
    }

    /// Whether the link is up.
    pub fn is_connected(&self) -> bool {
        self.connected
    }

    /// Takes a GATT or link action from the engine at `now_us`; returns any
    /// event that follows at once.
    pub fn submit(&mut self, now_us: i64, action: Action, sensor: &mut SimSensor) -> Vec<Event> {
        match action {
            Action::Connect => {
                self.connecting_until = Some(now_us + 2 * self.config.interval_us + 10_000);
                Vec::new()
            }
            Action::Disconnect => {
                if self.connected {
                    self.drop_link(sensor);
                    vec![Event::Disconnected]
                } else {
                    Vec::new()
                }
            }
            request if self.connected => {
                self.to_sensor.push_back(request);
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// When the link next has something to do, if anything.
    pub fn next_event_us(&self, now_us: i64, sensor: &SimSensor) -> Option<i64> {
        if let Some(at) = self.connecting_until {
            return Some(at.max(now_us));
        }
        let busy = !self.to_sensor.is_empty()
            || !self.answers.is_empty()
            || self.held_back.is_some()
            || sensor.has_outgoing();
        if !self.connected || !busy {
            return None;
        }
        let interval = self.config.interval_us;
        let next = self.last_event_us + interval;
        Some(if next >= now_us {
            next
        } else {
            // Idle for a while: the next event on the connection's grid.
            now_us + (interval - (now_us - self.last_event_us) % interval) % interval
        })
    }

    /// Runs the link at `now_us` (a connection event, or the end of
    /// connecting) and returns what the phone sees.
    pub fn run(&mut self, now_us: i64, sensor: &mut SimSensor) -> Vec<Event> {
        let mut events = Vec::new();
        if let Some(at) = self.connecting_until {
            if now_us >= at {
                self.connecting_until = None;
                if self.rng.random_bool(self.faults.connect_failure) {
                    events.push(Event::ConnectFailed(GattError::Failed(
                        "GATT status 133".into(),
                    )));
                } else {
                    self.connected = true;
                    self.last_event_us = now_us;
                    events.push(Event::Connected);
                    if self.faults.push_on_connect > 0 {
                        sensor.push_newest_records(self.faults.push_on_connect);
                    }
                }
            }
            return events;
        }
        if !self.connected {
            return events;
        }
        self.last_event_us = now_us;
        // Phone-bound packets: answers first, then the sensor's notifications.
        for _ in 0..self.config.packets_per_event {
            let next = match self.answers.pop_front() {
                Some(answer) => Some(answer),
                None => sensor.take_outgoing().map(|out| notification(&out)),
            };
            let Some(event) = next else { break };
            let size = event_bytes(&event);
            self.deliver(event, &mut events);
            self.bytes_to_phone += size;
            if self.crossed(size, now_us, sensor, &mut events) {
                return events;
            }
        }
        if let Some(late) = self.held_back.take() {
            events.push(late);
        }
        // Sensor-bound packets: each answered in a later event.
        for _ in 0..self.config.packets_per_event {
            let Some(request) = self.to_sensor.pop_front() else {
                break;
            };
            let answer = self.answer(request, sensor);
            self.answers.push_back(answer);
        }
        events
    }

    fn answer(&mut self, request: Action, sensor: &mut SimSensor) -> Event {
        match request {
            Action::ExchangeMtu(desired) => {
                let mtu = desired.clamp(ATT_MTU_MIN, self.config.mtu);
                sensor.set_mtu(mtu);
                Event::MtuChanged(mtu)
            }
            Action::Read(characteristic) => {
                let mut result = sensor.read(characteristic);
                if characteristic == uuids::STATUS {
                    self.status_reads += 1;
                    if let Ok(value) = &mut result {
                        *value = self.firmware_status(std::mem::take(value));
                    }
                    let glitched = result.is_ok()
                        && self.faults.status_glitch_reads.contains(&self.status_reads);
                    self.status_answers_glitched.push_back(glitched);
                }
                Event::ReadDone {
                    characteristic,
                    result,
                }
            }
            Action::Write {
                characteristic,
                value,
            } => Event::WriteDone {
                characteristic,
                result: sensor.write(characteristic, &value),
            },
            Action::Subscribe(characteristic) => Event::Subscribed {
                characteristic,
                result: sensor.subscribe(characteristic),
            },
            other => {
                Event::ConnectFailed(GattError::Failed(format!("not a GATT request: {other:?}")))
            }
        }
    }

    /// Status as a buggy firmware reports it (`inflate=N`, `empty=N`,
    /// `glitch=N`).
    fn firmware_status(&self, value: Vec<u8>) -> Vec<u8> {
        let value = if self.faults.status_inflate > 0 {
            inflate_status(value, self.faults.status_inflate)
        } else {
            value
        };
        let value = if self.faults.status_glitch_reads.contains(&self.status_reads) {
            numbers_started_again(value)
        } else {
            value
        };
        if self.status_reads <= self.faults.status_empty_reads {
            empty_status(value)
        } else {
            value
        }
    }

    /// Applies packet faults to a record notification on its way.
    fn deliver(&mut self, event: Event, events: &mut Vec<Event>) {
        let Event::Notification {
            characteristic,
            mut value,
        } = event
        else {
            if matches!(&event, Event::ReadDone { characteristic, .. } if *characteristic == uuids::STATUS)
            {
                self.count_glitched_status();
            }
            events.push(event);
            return;
        };
        if characteristic == uuids::RACP {
            if let Some(value) = self.firmware_racp(value) {
                events.push(Event::Notification {
                    characteristic,
                    value,
                });
            }
            return;
        }
        if characteristic == uuids::CONTROL_POINT && self.faults.control_point_silent {
            return;
        }
        if characteristic != uuids::RECORD {
            events.push(Event::Notification {
                characteristic,
                value,
            });
            return;
        }
        self.record_notifications += 1;
        damage_records(&mut value, &self.faults.damaged_records);
        let faults = self.faults.clone();
        if self.rng.random_bool(faults.drop) {
            return;
        }
        if !value.is_empty() && self.rng.random_bool(faults.corrupt) {
            let at = self.rng.random_range(0..value.len());
            value[at] ^= 1 << self.rng.random_range(0..8);
        }
        let event = Event::Notification {
            characteristic,
            value,
        };
        if self.rng.random_bool(faults.duplicate) {
            events.push(event.clone());
        }
        if self.held_back.is_none() && self.rng.random_bool(faults.reorder) {
            self.held_back = Some(event);
        } else {
            events.push(event);
            if let Some(late) = self.held_back.take() {
                events.push(late);
            }
        }
    }

    /// Fires a disconnect or reboot whose byte count was just crossed.
    fn crossed(
        &mut self,
        size: u64,
        now_us: i64,
        sensor: &mut SimSensor,
        events: &mut Vec<Event>,
    ) -> bool {
        let before = self.bytes_to_phone - size;
        let hit = |at: &u64| *at >= before && *at < self.bytes_to_phone;
        if let Some(index) = self.faults.reboot_at_bytes.iter().position(hit) {
            self.faults.reboot_at_bytes.remove(index);
            sensor.reboot(now_us / 1000, BootReason::BatteryLoss);
            self.drop_link(sensor);
            events.push(Event::Disconnected);
            return true;
        }
        if let Some(index) = self.faults.disconnect_at_bytes.iter().position(hit) {
            self.faults.disconnect_at_bytes.remove(index);
            self.drop_link(sensor);
            events.push(Event::Disconnected);
            return true;
        }
        false
    }

    /// What a buggy firmware makes of a Report Stored Records response.
    fn firmware_racp(&self, value: Vec<u8>) -> Option<Vec<u8>> {
        let Some(fault) = self.faults.racp else {
            return Some(value);
        };
        let Ok(RacpResponse::Code {
            request_op: 0x01,
            code,
            transfer,
        }) = RacpResponse::parse(&value)
        else {
            return Some(value);
        };
        match fault {
            RacpFault::Garbage => Some(vec![0xFF, 0x13, 0x37]),
            RacpFault::WrongOpCode => Some(
                RacpResponse::Code {
                    request_op: 0x02,
                    code: RacpResponseCode::Success,
                    transfer: None,
                }
                .encode(),
            ),
            RacpFault::Silent => None,
            RacpFault::BadCrc32 => Some(
                RacpResponse::Code {
                    request_op: 0x01,
                    code,
                    transfer: transfer.map(|(count, crc)| (count, !crc)),
                }
                .encode(),
            ),
        }
    }

    /// A Status answer reaches the phone: counts the glitched in a row.
    fn count_glitched_status(&mut self) {
        if self.status_answers_glitched.pop_front() == Some(true) {
            self.glitched_in_a_row += 1;
            self.most_glitched_in_a_row = self.most_glitched_in_a_row.max(self.glitched_in_a_row);
        } else {
            self.glitched_in_a_row = 0;
        }
    }

    fn drop_link(&mut self, sensor: &mut SimSensor) {
        self.connected = false;
        self.connecting_until = None;
        self.to_sensor.clear();
        self.answers.clear();
        self.status_answers_glitched.clear();
        self.held_back = None;
        sensor.disconnect();
    }
}

fn notification(out: &Outgoing) -> Event {
    Event::Notification {
        characteristic: out.characteristic,
        value: out.value.clone(),
    }
}

/// ATT payload bytes of a phone-bound packet.
fn event_bytes(event: &Event) -> u64 {
    let len = match event {
        Event::Notification { value, .. } => value.len(),
        Event::ReadDone {
            result: Ok(value), ..
        } => value.len(),
        _ => 1,
    };
    len as u64 + 3
}

/// Flips one byte of each record in the notification `value` whose number
/// is in `damaged`: the same byte every time, as a damaged memory cell
/// reads. The number stays readable; the record's check fails.
fn damage_records(value: &mut [u8], damaged: &[u32]) {
    if damaged.is_empty() {
        return;
    }
    for record in value.chunks_exact_mut(RECORD_LEN) {
        let seq = u32::from_le_bytes([record[0], record[1], record[2], record[3]]);
        if damaged.contains(&seq) {
            record[8] ^= 0x10;
        }
    }
}

/// `value` saying the record numbers started again: none held, the newest
/// 0. A reset, to a phone that stored any.
fn numbers_started_again(value: Vec<u8>) -> Vec<u8> {
    match SensorStatus::parse(&value) {
        Ok(mut status) => {
            status.newest_seq = 0;
            status.oldest_seq = 1;
            status.stored = 0;
            status.encode().to_vec()
        }
        Err(_) => value,
    }
}

/// `value` saying no record is held: its newest record's number stays.
fn empty_status(value: Vec<u8>) -> Vec<u8> {
    match SensorStatus::parse(&value) {
        Ok(mut status) => {
            status.stored = 0;
            status.oldest_seq = status.newest_seq.saturating_add(1);
            status.encode().to_vec()
        }
        Err(_) => value,
    }
}

/// A Status that claims `extra` records more than the sensor holds.
fn inflate_status(value: Vec<u8>, extra: u32) -> Vec<u8> {
    match SensorStatus::parse(&value) {
        Ok(mut status) => {
            status.newest_seq = status.newest_seq.saturating_add(extra);
            status.stored = status.stored.saturating_add(extra);
            status.encode().to_vec()
        }
        Err(_) => value,
    }
}
