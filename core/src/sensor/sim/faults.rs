//! Faults a radio brings, injected on demand.
//!
//! A spec is a comma-separated list, e.g.
//! `disconnect@5000,disconnect@12000,drop=0.02,dup=0.01,reorder=0.01,corrupt=0.005,reboot@8000,connfail=0.1`:
//!
//! | item | meaning |
//! |---|---|
//! | `disconnect@N` | the link drops once N bytes have reached the phone in this sync |
//! | `reboot@N` | the sensor reboots (new epoch) once N bytes have reached the phone |
//! | `drop=P` | each record notification is lost with probability P |
//! | `dup=P` | … delivered twice |
//! | `reorder=P` | … held back behind the next one |
//! | `corrupt=P` | … has one byte flipped |
//! | `connfail=P` | each connection attempt fails (Android's status 133) |
//!
//! and faults of a buggy firmware, which the sync must end on with an error
//! that names them:
//!
//! | item | meaning |
//! |---|---|
//! | `racp=garbage` | record requests are answered with bytes that are no RACP response |
//! | `racp=wrong-op` | … with the response to a Delete |
//! | `racp=silent` | … never (the records still come) |
//! | `racp=bad-crc32` | … with a wrong CRC-32 over the transfer |
//! | `inflate=N` | Status claims N records more than the sensor holds |
//! | `empty=N` | the first N Status reads say no record is held (a firmware that reads its memory late at boot) |
//! | `cp=silent` | the Control Point never answers (live data) |
//! | `push=N` | bonded, the sensor kept the Record subscription and notifies its N newest records unasked as the link comes up, before the phone has read anything |
//! | `damage=N` | the sensor's copy of record N is damaged: it comes with the same byte flipped every time (repeatable) |
//! | `glitch=N` | the Nth Status read says the record numbers started again (none held, the newest 0), which a phone that stored any takes for a reset when two such answers reach it in a row (repeatable: `glitch=2,glitch=3`) |

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::{Error, Result};

/// Faults for one simulated sync.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FaultPlan {
    /// Cumulative bytes to the phone at which the link drops, ascending.
    pub disconnect_at_bytes: Vec<u64>,
    /// Cumulative bytes to the phone at which the sensor reboots, ascending.
    pub reboot_at_bytes: Vec<u64>,
    /// Probability a record notification is lost.
    pub drop: f64,
    /// Probability a record notification arrives twice.
    pub duplicate: f64,
    /// Probability a record notification is overtaken by the next.
    pub reorder: f64,
    /// Probability a record notification has a byte flipped.
    pub corrupt: f64,
    /// Probability a connection attempt fails.
    pub connect_failure: f64,
    /// How a buggy firmware answers record requests, if it does.
    pub racp: Option<RacpFault>,
    /// Records Status claims beyond those the sensor holds.
    pub status_inflate: u32,
    /// How many Status reads, from the first, say no record is held.
    pub status_empty_reads: u32,
    /// The Control Point never answers.
    pub control_point_silent: bool,
    /// Records the sensor notifies unasked as each link comes up (its
    /// newest, as a bonded sensor that kept the subscription may).
    pub push_on_connect: u32,
    /// Records whose copy on the sensor is damaged: each is sent with the
    /// same byte flipped every time.
    pub damaged_records: Vec<u32>,
    /// The Status reads, counted from 1, that show a reset (the record
    /// numbers started again).
    pub status_glitch_reads: Vec<u32>,
}

/// A firmware bug in answering record requests (`racp=…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RacpFault {
    /// Bytes that are no RACP response.
    Garbage,
    /// The response to another request (a Delete).
    WrongOpCode,
    /// No response at all.
    Silent,
    /// A wrong CRC-32 over the transfer.
    BadCrc32,
}

impl FaultPlan {
    /// No faults.
    pub fn none() -> Self {
        Self::default()
    }

    /// Parses a spec (see the module docs).
    pub fn parse(spec: &str) -> Result<Self> {
        let mut plan = Self::default();
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let bad = |why: &str| Error::invalid("faults", format!("{item:?}: {why}"));
            if let Some((name, at)) = item.split_once('@') {
                let bytes: u64 = at
                    .parse()
                    .map_err(|_| bad("expected a byte count after @"))?;
                match name {
                    "disconnect" => plan.disconnect_at_bytes.push(bytes),
                    "reboot" => plan.reboot_at_bytes.push(bytes),
                    _ => return Err(bad("unknown fault; use disconnect@N or reboot@N")),
                }
            } else if let Some(("racp", kind)) = item.split_once('=') {
                plan.racp = Some(match kind {
                    "garbage" => RacpFault::Garbage,
                    "wrong-op" => RacpFault::WrongOpCode,
                    "silent" => RacpFault::Silent,
                    "bad-crc32" => RacpFault::BadCrc32,
                    _ => return Err(bad("use racp=garbage, wrong-op, silent or bad-crc32")),
                });
            } else if let Some(("cp", kind)) = item.split_once('=') {
                match kind {
                    "silent" => plan.control_point_silent = true,
                    _ => return Err(bad("use cp=silent")),
                }
            } else if let Some(("inflate", n)) = item.split_once('=') {
                plan.status_inflate = n
                    .parse()
                    .map_err(|_| bad("expected a record count after inflate="))?;
            } else if let Some(("empty", n)) = item.split_once('=') {
                plan.status_empty_reads = n
                    .parse()
                    .map_err(|_| bad("expected a count of Status reads after empty="))?;
            } else if let Some(("damage", n)) = item.split_once('=') {
                plan.damaged_records.push(
                    n.parse()
                        .map_err(|_| bad("expected a record number after damage="))?,
                );
            } else if let Some(("glitch", n)) = item.split_once('=') {
                plan.status_glitch_reads.push(
                    n.parse()
                        .ok()
                        .filter(|&read| read > 0)
                        .ok_or_else(|| bad("expected a Status read, from 1, after glitch="))?,
                );
            } else if let Some(("push", n)) = item.split_once('=') {
                plan.push_on_connect = n
                    .parse()
                    .map_err(|_| bad("expected a record count after push="))?;
            } else if let Some((name, p)) = item.split_once('=') {
                let p: f64 = p.parse().map_err(|_| bad("expected a probability"))?;
                if !(0.0..=1.0).contains(&p) {
                    return Err(bad("a probability is between 0 and 1"));
                }
                match name {
                    "drop" => plan.drop = p,
                    "dup" => plan.duplicate = p,
                    "reorder" => plan.reorder = p,
                    "corrupt" => plan.corrupt = p,
                    "connfail" => plan.connect_failure = p,
                    _ => {
                        return Err(bad(
                            "unknown fault; use drop, dup, reorder, corrupt or connfail",
                        ));
                    }
                }
            } else {
                return Err(bad("expected name=P or name@N"));
            }
        }
        plan.disconnect_at_bytes.sort_unstable();
        plan.reboot_at_bytes.sort_unstable();
        Ok(plan)
    }

    /// A random plan for property tests: up to three disconnects and a
    /// reboot somewhere in the first `bytes` bytes, light packet faults,
    /// sometimes records pushed unasked at each connection, and sometimes
    /// one Status read, or two in a row, that show a reset.
    pub fn random(seed: u64, bytes: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let span = bytes.max(1);
        let mut disconnects: Vec<u64> = (0..rng.random_range(0..=3))
            .map(|_| rng.random_range(0..span))
            .collect();
        disconnects.sort_unstable();
        let reboot = if rng.random_bool(0.3) {
            vec![rng.random_range(0..span)]
        } else {
            Vec::new()
        };
        let mut maybe = |p: f64, max: f64| {
            if rng.random_bool(p) {
                rng.random_range(0.0..max)
            } else {
                0.0
            }
        };
        Self {
            disconnect_at_bytes: disconnects,
            reboot_at_bytes: reboot,
            drop: maybe(0.4, 0.05),
            duplicate: maybe(0.3, 0.05),
            reorder: maybe(0.3, 0.05),
            corrupt: maybe(0.3, 0.02),
            connect_failure: maybe(0.3, 0.3),
            push_on_connect: if rng.random_bool(0.2) {
                rng.random_range(1..=8)
            } else {
                0
            },
            status_glitch_reads: if rng.random_bool(0.1) {
                let first = rng.random_range(1..=6);
                (first..=first + rng.random_range(0..=1)).collect()
            } else {
                Vec::new()
            },
            ..Self::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_fault_and_refuses_nonsense() {
        let plan = FaultPlan::parse("disconnect@900, disconnect@100,drop=0.1,dup=0.02,reorder=0.03,corrupt=0.01,reboot@50,connfail=0.5")
            .expect("valid spec");
        assert_eq!(plan.disconnect_at_bytes, vec![100, 900]);
        assert_eq!(plan.reboot_at_bytes, vec![50]);
        assert_eq!(plan.drop, 0.1);
        assert_eq!(plan.connect_failure, 0.5);
        assert!(FaultPlan::parse("drop=2").is_err());
        assert!(FaultPlan::parse("explode@3").is_err());
        assert!(FaultPlan::parse("drop").is_err());
        let firmware =
            FaultPlan::parse("racp=wrong-op,inflate=5000,empty=2,cp=silent,push=3").expect("valid");
        assert_eq!(firmware.racp, Some(RacpFault::WrongOpCode));
        assert_eq!(firmware.status_inflate, 5000);
        assert_eq!(firmware.status_empty_reads, 2);
        assert!(firmware.control_point_silent);
        assert_eq!(firmware.push_on_connect, 3);
        assert!(FaultPlan::parse("push=many").is_err());
        assert!(FaultPlan::parse("racp=maybe").is_err());
        assert!(FaultPlan::parse("inflate=-1").is_err());
        let memory = FaultPlan::parse("damage=7,damage=9,glitch=2").expect("valid");
        assert_eq!(memory.damaged_records, [7, 9]);
        assert_eq!(memory.status_glitch_reads, [2]);
        assert!(FaultPlan::parse("glitch=0").is_err());
        assert!(FaultPlan::parse("damage=x").is_err());
    }
}
