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
    /// reboot somewhere in the first `bytes` bytes, and light packet faults.
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
    }
}
