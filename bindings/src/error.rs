//! The error Kotlin and Swift catch: one case per kind of failure the UI
//! handles differently, each carrying the core's message for people.

use second_heart_core::Error;

/// What went wrong, as the apps see it. Kotlin: `SecondHeartException.*`;
/// Swift: `SecondHeartError.*`. The message is ready to show.
#[derive(Debug, thiserror::Error, uniffi::Error)]
#[uniffi(flat_error)]
pub enum SecondHeartError {
    /// A value the user entered is out of range (the message says which).
    #[error("{0}")]
    InvalidInput(String),
    /// The time-zone name is not an IANA zone.
    #[error("{0}")]
    UnknownTimeZone(String),
    /// The database was written by a newer app version; ask to update.
    #[error("{0}")]
    DatabaseTooNew(String),
    /// The database file is damaged or is not ours.
    #[error("{0}")]
    DatabaseCorrupt(String),
    /// Any other storage failure (disk full, permissions…).
    #[error("{0}")]
    Storage(String),
    /// A safety check said no; the message says why and what to do instead.
    #[error("{0}")]
    NotSafe(String),
    /// The action does not fit the current state (a session already running).
    #[error("{0}")]
    Conflict(String),
    /// A sensor sync ended without finishing (cancelled, out of range, …);
    /// what was stored stays and the next sync resumes.
    #[error("{0}")]
    Sync(String),
}

impl From<Error> for SecondHeartError {
    fn from(error: Error) -> Self {
        let message = error.to_string();
        match error {
            Error::InvalidInput { .. } => Self::InvalidInput(message),
            Error::UnknownTimeZone(_) => Self::UnknownTimeZone(message),
            Error::DatabaseTooNew { .. } => Self::DatabaseTooNew(message),
            Error::DatabaseCorrupt { .. } => Self::DatabaseCorrupt(message),
            Error::NotSafe(_) => Self::NotSafe(message),
            Error::Conflict(_) => Self::Conflict(message),
            Error::ConfirmationNeeded(_) => Self::Conflict(message),
            Error::DiskFull | Error::Storage(_) | Error::Migration(_) => Self::Storage(message),
        }
    }
}
