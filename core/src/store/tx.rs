//! One transaction handed to a use case: it reads and writes through
//! [`StoreTx`], deciding in between with pure functions, and the whole
//! logical change commits at once or not at all.

use rusqlite::Connection;

use super::Store;
use crate::Result;
use crate::profile::Profile;
use crate::zones::ZoneTimeline;

/// The store inside one transaction (see [`Store::transaction`]).
#[derive(Debug)]
pub struct StoreTx<'a> {
    pub(super) conn: &'a Connection,
}

impl Store {
    /// Runs `f` in one transaction: committed when `f` returns `Ok`, rolled
    /// back whole when it fails.
    pub fn transaction<T>(&mut self, f: impl FnOnce(&StoreTx<'_>) -> Result<T>) -> Result<T> {
        let tx = self.conn.transaction()?;
        let value = f(&StoreTx { conn: &tx })?;
        tx.commit()?;
        Ok(value)
    }
}

impl StoreTx<'_> {
    /// The profile (defaults until the user saves one).
    pub fn profile(&self) -> Result<Profile> {
        super::profile::load_profile(self.conn)
    }

    /// The zones the user lived in.
    pub fn zone_timeline(&self) -> Result<ZoneTimeline> {
        super::profile::load_zones(self.conn)
    }
}
