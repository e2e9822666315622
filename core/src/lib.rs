//! The shared core of Second Heart.
//!
//! Everything the apps and the CLI do lives here, behind plain Rust types:
//! the walk log and its daily totals ([`walk`], [`local_day`]); the companion:
//! the user's [`profile`], the zones they lived in ([`zones`]), minutes from
//! every source ([`minutes`]), days, goals and streaks ([`daily`]), sessions
//! ([`session`]), flight plans ([`flight`]), break reminders ([`reminder`]),
//! the compression gate ([`compression`]) and [`export`]; activity detection
//! from ankle sensors ([`activity`]); the calf-pump model ([`pump`]); the
//! sensor protocol, sync engine and simulator ([`sensor`]); and the
//! [`store`]. The core is synchronous and does no I/O of its own apart from
//! the SQLite file it is handed: time and bytes come in as arguments,
//! decisions and bytes go out as return values.
#![forbid(unsafe_code)]

pub mod activity;
pub mod app;
pub mod compression;
pub mod daily;
pub mod error;
pub mod export;
pub mod flight;
pub mod hydration;
pub mod import;
pub mod local_day;
pub mod minutes;
pub mod profile;
pub mod pump;
pub mod reminder;
pub mod sensor;
pub mod session;
pub mod store;
pub mod walk;
pub mod words;
pub mod zones;

#[cfg(test)]
mod test_support;

pub use error::{Error, Result};
pub use store::Store;
