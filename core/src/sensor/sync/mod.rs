//! Fetching stored records from a sensor: a sans-IO state machine.
//!
//! [`SyncEngine`] owns no radio, clock or database. Whoever owns those (the
//! simulated link in tests, btleplug on desktops, the platform stacks on
//! phones) drives it:
//!
//! 1. call [`SyncEngine::handle`] with each [`Event`] and the current time;
//! 2. carry out every [`Action`] from [`SyncEngine::poll_action`];
//! 3. call [`SyncEngine::handle_timeout`] when [`SyncEngine::poll_timeout`]
//!    passes;
//! 4. stop when [`SyncEngine::outcome`] is set.
//!
//! The rule it keeps: records are stored together with the new high-water
//! mark in one transaction ([`Action::Commit`]), and only after that commit
//! does it tell the sensor it may delete them. A disconnect anywhere drops
//! what was not committed, so the next connection resumes from the mark.

mod engine;
mod error;
mod types;

pub use engine::SyncEngine;
pub use error::{GattError, Operation, ProtocolError, StorageError, SyncError};
pub use types::{
    Action, Commit, CommitOutcome, DeviceSyncState, Event, Millis, Progress, SyncConfig,
    SyncReport, SyncSettings,
};
