//! Export (on the user's request only) and delete-all.

use std::path::Path;

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
    /// CSV, one row a walk (recorded or logged by hand).
    CsvWalks,
}

impl From<ExportFormat> for CoreFormat {
    fn from(f: ExportFormat) -> Self {
        match f {
            ExportFormat::Json => Self::Json,
            ExportFormat::Fhir => Self::Fhir,
            ExportFormat::CsvDays => Self::Csv(CsvTable::Days),
            ExportFormat::CsvMinutes => Self::Csv(CsvTable::Minutes),
            ExportFormat::CsvSessions => Self::Csv(CsvTable::Sessions),
            ExportFormat::CsvWalks => Self::Csv(CsvTable::Walks),
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
    /// The name to offer the file under, which says what it holds:
    /// `second-heart-days-2026-11-01-to-2026-11-30.csv`.
    pub file_name: String,
    /// Its media type: `application/json`, `application/fhir+json` or `text/csv`.
    pub media_type: String,
}

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BackupReport {
    /// The file written.
    pub path: String,
    /// Its size, bytes.
    pub bytes: u64,
    /// The schema version it holds.
    pub schema_version: u32,
    /// The name to offer it under: `second-heart-backup-2026-12-03.sqlite3`,
    /// the user's local day.
    pub file_name: String,
    /// Its media type (an SQLite database).
    pub media_type: String,
}

/// What a restore brought back.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RestoreReport {
    /// The schema version the backup was written at.
    pub backup_schema_version: u32,
    /// Whether data held before was replaced.
    pub replaced_data: bool,
}

/// What an import of daily step totals did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ImportReport {
    /// Days in the file.
    pub days: u32,
    /// Days with no imported total before, kept now.
    pub added: u32,
    /// Days whose earlier imported total was replaced.
    pub replaced: u32,
    /// Days where nothing changed: imported before with the same total, or
    /// with none before and a total no higher than the day recorded.
    pub unchanged: u32,
}

/// Export, backup, restore, import and deletion.
#[derive(Debug, uniffi::Object)]
pub struct DataService(pub(crate) app::DataService);

#[uniffi::export]
impl DataService {
    /// Writes the days from `first` to `last` (`YYYY-MM-DD`; default: the
    /// 30 days ending today) to the file at `path` (one the user chose, or a
    /// temporary one the app then offers under the summary's `file_name`),
    /// whole or not at all.
    pub fn export_to_file(
        &self,
        format: ExportFormat,
        first: Option<String>,
        last: Option<String>,
        path: String,
    ) -> Result<ExportSummary, SecondHeartError> {
        let first = first.as_deref().map(parse_date_text).transpose()?;
        let last = last.as_deref().map(parse_date_text).transpose()?;
        let summary = self
            .0
            .export_to_file(format.into(), first, last, Path::new(&path))?;
        Ok(ExportSummary {
            first: date_text(summary.first),
            last: date_text(summary.last),
            days: summary.days,
            bytes: summary.bytes,
            file_name: summary.file_name,
            media_type: summary.media_type.to_owned(),
        })
    }

    /// Copies the whole database to `path` (a file the user chose, or a
    /// temporary one an app then offers under the report's `file_name`)
    /// while the app keeps running.
    pub fn backup_to_file(&self, path: String) -> Result<BackupReport, SecondHeartError> {
        let summary = self.0.backup_to_file(Path::new(&path))?;
        Ok(BackupReport {
            path: summary.report.path.display().to_string(),
            bytes: summary.report.bytes,
            schema_version: summary.report.schema_version,
            file_name: summary.file_name,
            media_type: summary.media_type.to_owned(),
        })
    }

    /// Replaces the database with the backup at `path` once it checks out;
    /// data held now is only replaced when `confirmed` (else
    /// `ConfirmationNeeded`).
    pub fn restore_from_file(
        &self,
        path: String,
        confirmed: bool,
    ) -> Result<RestoreReport, SecondHeartError> {
        let report = self.0.restore_from_file(Path::new(&path), confirmed)?;
        Ok(RestoreReport {
            backup_schema_version: report.backup_schema_version,
            replaced_data: report.replaced_data,
        })
    }

    /// Imports daily step totals from a CSV file (our days export, or
    /// `date,steps`), merged without double counting; kept as from
    /// `source_name` (the name the user picked, when `path` is the app's
    /// temporary copy), else from the file's own name.
    pub fn import_steps_file(
        &self,
        path: String,
        source_name: Option<String>,
    ) -> Result<ImportReport, SecondHeartError> {
        let report = self
            .0
            .import_steps_file(Path::new(&path), source_name.as_deref())?;
        Ok(ImportReport {
            days: report.days,
            added: report.added,
            replaced: report.replaced,
            unchanged: report.unchanged,
        })
    }

    /// Deletes everything once `confirmed` by the user.
    pub fn delete_all(&self, confirmed: bool) -> Result<(), SecondHeartError> {
        Ok(self.0.delete_all(confirmed)?)
    }
}
