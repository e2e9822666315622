//! Helpers for the core's unit tests.

use chrono::{DateTime, Utc};

/// Parses an RFC 3339 time for a test.
pub(crate) fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("a valid RFC 3339 time in a test")
        .to_utc()
}
