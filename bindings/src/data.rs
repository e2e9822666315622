//! Export (on the user's request only) and delete-all.

use second_heart_core::app::{self, ExportFormat as CoreFormat};
use second_heart_core::export::CsvTable;

use crate::{SecondHeartError, date_text, parse_date_text};

/// What an export is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ExportFormat {
    /// Second Heart's JSON (docs/export.schema.json).
    Json,
    /// A FHIR R4 Bundle.
    Fhir,
    /// CSV, one row a day.
    CsvDays,
    /// CSV, one row a minute with data.
    CsvMinutes,
    /// CSV, one row a session.
    CsvSessions,
}

impl From<ExportFormat> for CoreFormat {
    fn from(f: ExportFormat) -> Self {
        match f {
            ExportFormat::Json => Self::Json,
            ExportFormat::Fhir => Self::Fhir,
            ExportFormat::CsvDays => Self::Csv(CsvTable::Days),
            ExportFormat::CsvMinutes => Self::Csv(CsvTable::Minutes),
            ExportFormat::CsvSessions => Self::Csv(CsvTable::Sessions),
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ExportSummary {
    /// First date, `YYYY-MM-DD`.
    pub first: String,
    /// Last date.
    pub last: String,
    /// Days written.
    pub days: u32,
    /// Bytes written.
    pub bytes: u64,
}

/// Export and deletion.
#[derive(Debug, uniffi::Object)]
pub struct DataService(pub(crate) app::DataService);

#[uniffi::export]
impl DataService {
    /// Writes the days from `first` to `last` (`YYYY-MM-DD`; default: the
    /// 30 days ending today) to the file at `path` the user chose, whole or
    /// not at all.
    pub fn export_to_file(
        &self,
        format: ExportFormat,
        first: Option<String>,
        last: Option<String>,
        path: String,
    ) -> Result<ExportSummary, SecondHeartError> {
        let first = first.as_deref().map(parse_date_text).transpose()?;
        let last = last.as_deref().map(parse_date_text).transpose()?;
        let summary =
            self.0
                .export_to_file(format.into(), first, last, std::path::Path::new(&path))?;
        Ok(ExportSummary {
            first: date_text(summary.first),
            last: date_text(summary.last),
            days: summary.days,
            bytes: summary.bytes,
        })
    }

    /// Deletes everything once `confirmed` by the user.
    pub fn delete_all(&self, confirmed: bool) -> Result<(), SecondHeartError> {
        Ok(self.0.delete_all(confirmed)?)
    }
}
