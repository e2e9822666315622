//! When "now" is and where the user is: handed in by each front end, so the
//! core never reads a clock of its own.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::Result;

/// The time and the user's zone, as the front end knows them: the system
/// clock and zone on a phone, `--at` and `--tz` in the CLI, a fixed instant
/// in tests and screenshots.
/// A clock implemented by an app may fail (an exception in Kotlin or Swift):
/// then the call that read it fails with [`crate::Error::Platform`].
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> Result<DateTime<Utc>>;
    /// The IANA zone the user is in now.
    fn time_zone(&self) -> Result<Tz>;
}

/// A clock that always says the same thing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedClock {
    /// The instant.
    pub at: DateTime<Utc>,
    /// The zone.
    pub zone: Tz,
}

impl Clock for FixedClock {
    fn now(&self) -> Result<DateTime<Utc>> {
        Ok(self.at)
    }

    fn time_zone(&self) -> Result<Tz> {
        Ok(self.zone)
    }
}

/// One reading of a [`Clock`]: an instant and the zone the user was in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    /// The instant.
    pub at: DateTime<Utc>,
    /// The user's zone then.
    pub zone: Tz,
}

impl Moment {
    /// Reads `clock` once.
    pub fn of(clock: &dyn Clock) -> Result<Self> {
        Ok(Self {
            at: clock.now()?,
            zone: clock.time_zone()?,
        })
    }
}
