//! The user's data leaving the app (export and backup, on the user's request
//! only), coming back (restore, import) or going for good (delete all).

use std::path::Path;

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use super::SecondHeart;
use super::history::check_history_span;
use crate::export::{CsvTable, ExportDocument, to_csv, to_fhir_bundle};
use crate::import::{DailySteps, parse_daily_steps};
use crate::store::{BackupReport, ImportReport, ReplaceData, RestoreReport, partial_path};
use crate::{Error, Result};

/// What an export is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Second Heart's own JSON (docs/export.schema.json).
    Json,
    /// A FHIR R4 Bundle of Observations.
    Fhir,
    /// One CSV table.
    Csv(CsvTable),
}

impl ExportFormat {
    /// The file's media type, as a share sheet or a save dialog offers it
    /// (FHIR's own for a Bundle: HL7 FHIR R4, "http.html#mime-type").
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::Fhir => "application/fhir+json",
            Self::Csv(_) => "text/csv",
        }
    }

    /// The name every front end suggests for the export of `first` to
    /// `last`, which says what the file holds:
    /// `second-heart-days-2026-11-01-to-2026-11-30.csv`.
    pub fn file_name(self, first: NaiveDate, last: NaiveDate) -> String {
        let (kind, extension) = match self {
            Self::Json => ("", "json"),
            Self::Fhir => ("-fhir", "json"),
            Self::Csv(CsvTable::Days) => ("-days", "csv"),
            Self::Csv(CsvTable::Minutes) => ("-minutes", "csv"),
            Self::Csv(CsvTable::Sessions) => ("-sessions", "csv"),
            Self::Csv(CsvTable::Walks) => ("-walks", "csv"),
        };
        format!("second-heart{kind}-{first}-to-{last}.{extension}")
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportSummary {
    /// The first date exported.
    pub first: NaiveDate,
    /// The last date exported.
    pub last: NaiveDate,
    /// Days written.
    pub days: u32,
    /// Bytes written.
    pub bytes: u64,
    /// The name to offer the file under ([`ExportFormat::file_name`]).
    pub file_name: String,
    /// Its media type ([`ExportFormat::media_type`]).
    pub media_type: &'static str,
}

/// A backup's media type: an SQLite database file (registered with the
/// extensions `sqlite` and `sqlite3`, which the file name takes, so a
/// "save as" dialog that goes by the type adds none of its own).
pub const BACKUP_MEDIA_TYPE: &str = "application/vnd.sqlite3";

/// The name every front end offers a backup made on local `day` under:
/// `second-heart-backup-2026-12-03.sqlite3`.
pub fn backup_file_name(day: NaiveDate) -> String {
    format!("second-heart-backup-{day}.sqlite3")
}

/// What a backup wrote, and how to offer it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupSummary {
    /// The file written, its size and schema.
    #[serde(flatten)]
    pub report: BackupReport,
    /// The name to offer the file under ([`backup_file_name`], today's date).
    pub file_name: String,
    /// Its media type ([`BACKUP_MEDIA_TYPE`]).
    pub media_type: &'static str,
}

/// Export and deletion.
#[derive(Debug, Clone)]
pub struct DataService {
    app: SecondHeart,
}

impl DataService {
    pub(super) fn new(app: SecondHeart) -> Self {
        Self { app }
    }

    /// The export of `first` to `last` (default: the 30 days ending today)
    /// as text, with how many days it holds.
    pub fn export(
        &self,
        format: ExportFormat,
        first: Option<NaiveDate>,
        last: Option<NaiveDate>,
    ) -> Result<(String, ExportSummary)> {
        self.app.read(|store, now| {
            let last = match last {
                Some(date) => date,
                None => store.today(now.at)?,
            };
            let first = first.unwrap_or(last - Duration::days(29));
            check_history_span(first, last)?;
            let doc = ExportDocument::read(store, first, last, now.at)?;
            let text = match format {
                ExportFormat::Json => doc.to_json()?,
                ExportFormat::Fhir => to_fhir_bundle(&doc)?,
                ExportFormat::Csv(table) => to_csv(&doc, table)?,
            };
            let summary = ExportSummary {
                first,
                last,
                days: u32::try_from(doc.days.len()).unwrap_or(u32::MAX),
                bytes: text.len() as u64,
                file_name: format.file_name(first, last),
                media_type: format.media_type(),
            };
            Ok((text, summary))
        })
    }

    /// Writes the export to `path` (a file the user chose, or a temporary one
    /// an app then offers under the summary's `file_name`), whole or not at
    /// all: `path` with `.partial` added, beside it, is renamed over it once
    /// written, and removed when anything fails (it holds health data).
    pub fn export_to_file(
        &self,
        format: ExportFormat,
        first: Option<NaiveDate>,
        last: Option<NaiveDate>,
        path: &Path,
    ) -> Result<ExportSummary> {
        if self.app.read(|store, _| Ok(store.is_own_file(path)))? {
            return Err(Error::invalid(
                "export file",
                format!(
                    "{} is the database itself; choose another file",
                    path.display()
                ),
            ));
        }
        let (text, summary) = self.export(format, first, last)?;
        let file_error = |e: std::io::Error| Error::File {
            path: path.to_path_buf(),
            detail: e.to_string(),
        };
        let partial = partial_path(path);
        let written = std::fs::write(&partial, text.as_bytes())
            .and_then(|()| std::fs::rename(&partial, path));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&partial);
            return Err(file_error(e));
        }
        Ok(summary)
    }

    /// Copies the whole database to `path` (a file the user chose, or a
    /// temporary one an app then offers under the summary's `file_name`),
    /// as it stands, while the app keeps running (live data only: see
    /// [`Store::backup_to`]).
    pub fn backup_to_file(&self, path: &Path) -> Result<BackupSummary> {
        self.app.read(|store, now| {
            let day = store.today(now.at)?;
            Ok(BackupSummary {
                report: store.backup_to(path)?,
                file_name: backup_file_name(day),
                media_type: BACKUP_MEDIA_TYPE,
            })
        })
    }

    /// Replaces the database with the backup at `path` once it checks out
    /// (integrity, a schema this build knows, a Second Heart database).
    /// Refused with [`Error::SensorBusy`] while a sync or live stream holds
    /// a sensor.
    /// Data the database holds now is only replaced when `confirmed`;
    /// otherwise [`Error::ConfirmationNeeded`] says what would go.
    pub fn restore_from_file(&self, path: &Path, confirmed: bool) -> Result<RestoreReport> {
        let replace = if confirmed {
            ReplaceData::Confirmed
        } else {
            ReplaceData::OnlyIfEmpty
        };
        let sensors = self.app.sensors();
        self.app
            .write_unnoted(|store| sensors.while_none_held(|| store.restore_from(path, replace)))
    }

    /// Imports daily step totals from a CSV file (our own days export, or
    /// the plain `date,steps` form of pedometer apps), merged without
    /// double counting (docs/companion.md). The totals are kept as from
    /// `source_name` (the name the user knows the file by, when `path` is
    /// an app's temporary copy of it), else from the file's own name.
    pub fn import_steps_file(
        &self,
        path: &Path,
        source_name: Option<&str>,
    ) -> Result<ImportReport> {
        let days = parse_daily_steps(&read_step_file(path)?)?;
        let source = match source_name.map(str::trim).filter(|name| !name.is_empty()) {
            Some(name) => name.to_owned(),
            None => path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
        };
        self.app.write(|store, now| {
            refuse_future_days(&days, store.today(now.at)?)?;
            store.import_daily_steps(&days, &source, now.at)
        })
    }

    /// Deletes every walk, session, log, sensor record and the profile, once
    /// `confirmed` (the user said yes to "delete everything"); refused with
    /// [`Error::SensorBusy`] while a sync or live stream holds a sensor.
    pub fn delete_all(&self, confirmed: bool) -> Result<()> {
        if !confirmed {
            return Err(Error::ConfirmationNeeded(
                "deleting everything needs the user's confirmation".to_owned(),
            ));
        }
        let sensors = self.app.sensors();
        self.app
            .write_unnoted(|store| sensors.while_none_held(|| store.delete_all()))
    }
}

/// The most a step file may hold: a line a day for a century is about a
/// megabyte; a bigger file is not a step file (and `/dev/zero` never ends).
const STEP_FILE_MAX_BYTES: u64 = 8 << 20;

/// The text of the step file at `path`, read no further than
/// [`STEP_FILE_MAX_BYTES`].
fn read_step_file(path: &Path) -> Result<String> {
    use std::io::Read;
    let failed = |detail: String| Error::File {
        path: path.to_path_buf(),
        detail,
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(STEP_FILE_MAX_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| failed(e.to_string()))?;
    // Its size first: a file cut in the middle of a character is too
    // large, not badly encoded.
    if bytes.len() as u64 > STEP_FILE_MAX_BYTES {
        return Err(failed(format!(
            "larger than {} MB: not a file of daily step totals",
            STEP_FILE_MAX_BYTES >> 20
        )));
    }
    String::from_utf8(bytes)
        .map_err(|_| failed("not text (UTF-8): not a file of daily step totals".to_owned()))
}

/// Refuses a file with a date after `today` (the user's, in their zone):
/// steps not yet walked are a wrong file, and then nothing is imported.
fn refuse_future_days(days: &[DailySteps], today: NaiveDate) -> Result<()> {
    match days.iter().find(|d| d.date > today) {
        Some(future) => Err(Error::invalid(
            "step file",
            format!(
                "line {}: {} is after today ({today})",
                future.line, future.date
            ),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::app::FixedClock;
    use crate::test_support::utc;

    fn date(text: &str) -> NaiveDate {
        text.parse().expect("date")
    }

    #[test]
    fn after_a_delete_that_could_not_start_afresh_the_app_carries_on_once_there_is_room() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("sh.db");
        let clock = FixedClock {
            at: utc("2026-11-21T12:00:00Z"),
            zone: chrono_tz::Europe::Berlin,
        };
        let app = SecondHeart::open(&path, Arc::new(clock)).expect("open");
        let walk = |app: &SecondHeart| {
            app.sessions()
                .log_walk(utc("2026-11-21T08:00:00Z"), None, 1800, 3000)
        };
        walk(&app).expect("walk");
        // Deleted, and no room then for the new database.
        let failed = super::super::lock(app.store()).start_afresh(|_| Err(Error::DiskFull));
        assert!(
            matches!(failed, Err(Error::NotStartedAfresh { .. })),
            "{failed:?}"
        );
        // Still no way to make it (a folder in its place stands for the
        // full disk): Today reads the empty stand-in, and a write says why
        // it cannot be kept.
        std::fs::create_dir(&path).expect("in the way");
        assert_eq!(app.today().view().expect("Today").summary.steps, 0);
        let refused = walk(&app);
        assert!(
            matches!(refused, Err(Error::NotStartedAfresh { .. })),
            "{refused:?}"
        );
        // Room again: the next call makes it, and the app carries on
        // without a restart, empty.
        std::fs::remove_dir(&path).expect("out of the way");
        assert_eq!(app.today().view().expect("Today").summary.steps, 0);
        assert!(path.is_file());
        walk(&app).expect("walk");
        assert_eq!(app.today().view().expect("Today").summary.steps, 3000);
    }

    #[test]
    fn an_export_stays_in_the_years_its_formats_can_write() {
        let app = SecondHeart::open_in_memory(Arc::new(FixedClock {
            at: utc("2026-11-21T12:00:00Z"),
            zone: chrono_tz::Europe::Berlin,
        }))
        .expect("app");
        // The last day's end would be written "+10000-01-01", the first
        // day's eve year 0: neither is a date the schema or FHIR allows.
        for (first, last) in [("9999-12-01", "9999-12-31"), ("0001-01-01", "0001-01-05")] {
            let refused =
                app.data()
                    .export(ExportFormat::Json, Some(date(first)), Some(date(last)));
            assert!(
                matches!(
                    refused,
                    Err(Error::InvalidInput {
                        field: "history",
                        ..
                    })
                ),
                "{first} to {last}: {refused:?}"
            );
        }
        app.data()
            .export(
                ExportFormat::Fhir,
                Some(date("9999-12-01")),
                Some(date("9999-12-30")),
            )
            .expect("within the years");
        // A day on its own too: its figures read the days either side, which
        // had overflowed the calendar (a panic) for the last and first dates.
        for day in [NaiveDate::MAX, NaiveDate::MIN, date("9999-12-31")] {
            let refused = app.today().on(day);
            assert!(
                matches!(
                    refused,
                    Err(Error::InvalidInput {
                        field: "history",
                        ..
                    })
                ),
                "{day}: {refused:?}"
            );
        }
        app.today()
            .on(date("9999-12-30"))
            .expect("within the years");
    }

    #[test]
    fn each_format_has_its_own_name_and_media_type() {
        let (first, last) = (date("2026-11-01"), date("2026-11-30"));
        let named = |format: ExportFormat| (format.file_name(first, last), format.media_type());
        assert_eq!(
            named(ExportFormat::Json),
            (
                "second-heart-2026-11-01-to-2026-11-30.json".into(),
                "application/json"
            )
        );
        assert_eq!(
            named(ExportFormat::Fhir),
            (
                "second-heart-fhir-2026-11-01-to-2026-11-30.json".into(),
                "application/fhir+json"
            )
        );
        for (table, kind) in [
            (CsvTable::Days, "days"),
            (CsvTable::Minutes, "minutes"),
            (CsvTable::Sessions, "sessions"),
        ] {
            assert_eq!(
                named(ExportFormat::Csv(table)),
                (
                    format!("second-heart-{kind}-2026-11-01-to-2026-11-30.csv"),
                    "text/csv"
                )
            );
        }
    }

    #[test]
    fn an_export_or_backup_over_the_database_or_its_log_is_refused() {
        let clock = FixedClock {
            at: utc("2026-11-21T08:00:00Z"),
            zone: chrono_tz::Europe::Berlin,
        };
        let dir = tempfile::tempdir().expect("folder");
        let db = dir.path().join("second-heart.db");
        let app = SecondHeart::open(&db, Arc::new(clock)).expect("database");
        app.sessions()
            .log_walk(utc("2026-11-21T07:00:00Z"), None, 600, 1_000)
            .expect("a walk");
        let wal = dir.path().join("second-heart.db-wal");
        assert!(wal.exists(), "WAL mode");
        for path in [&db, &wal] {
            let refused = app
                .data()
                .export_to_file(ExportFormat::Json, None, None, path)
                .expect_err("refused");
            assert!(
                refused.to_string().contains("is the database itself"),
                "{refused}"
            );
            assert!(app.data().backup_to_file(path).is_err());
        }
        // The data is still there.
        let walks =
            app.read(|store, now| store.walks_overlapping(now.at - Duration::days(1), now.at));
        assert_eq!(walks.expect("readable").len(), 1);
    }

    #[test]
    fn an_export_says_what_to_call_the_file_it_wrote() {
        let clock = FixedClock {
            at: utc("2026-11-21T08:00:00Z"),
            zone: chrono_tz::Europe::Berlin,
        };
        let app = SecondHeart::open_in_memory(Arc::new(clock)).expect("database");
        let dir = tempfile::tempdir().expect("folder");
        let path = dir.path().join("export.tmp");
        let format = ExportFormat::Csv(CsvTable::Days);
        let summary = app
            .data()
            .export_to_file(format, None, None, &path)
            .expect("written");
        assert_eq!(
            (summary.first, summary.last),
            (date("2026-10-23"), date("2026-11-21"))
        );
        assert_eq!(
            summary.file_name,
            "second-heart-days-2026-10-23-to-2026-11-21.csv"
        );
        assert_eq!(summary.media_type, "text/csv");
        let written = std::fs::metadata(&path).expect("file").len();
        assert_eq!(written, summary.bytes);
    }

    #[test]
    fn an_export_that_cannot_be_written_leaves_nothing_behind() {
        let clock = FixedClock {
            at: utc("2026-11-21T08:00:00Z"),
            zone: chrono_tz::Europe::Berlin,
        };
        let app = SecondHeart::open_in_memory(Arc::new(clock)).expect("database");
        let dir = tempfile::tempdir().expect("folder");
        // A folder where the file should go: the rename fails.
        let folder = dir.path().join("exports.json");
        std::fs::create_dir(&folder).expect("folder");
        // An unrelated file whose name only shares the stem is not touched
        // (the temporary file is `exports.json.partial`).
        let neighbour = dir.path().join("exports.partial");
        std::fs::write(&neighbour, "mine").expect("neighbour");
        let error = app
            .data()
            .export_to_file(ExportFormat::Json, None, None, &folder)
            .expect_err("a folder is not a file");
        assert!(matches!(error, Error::File { .. }), "{error}");
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|entry| entry.expect("entry").file_name())
            .collect();
        assert_eq!(left.len(), 2, "the folder and the neighbour only: {left:?}");
        assert_eq!(std::fs::read_to_string(&neighbour).expect("kept"), "mine");
    }

    #[test]
    fn a_backup_is_named_by_the_users_local_day() {
        // 23:30 UTC is already the next day in Berlin.
        let clock = FixedClock {
            at: utc("2026-11-21T23:30:00Z"),
            zone: chrono_tz::Europe::Berlin,
        };
        let app = SecondHeart::open_in_memory(Arc::new(clock)).expect("database");
        let dir = tempfile::tempdir().expect("folder");
        let path = dir.path().join("backup.tmp");
        let summary = app.data().backup_to_file(&path).expect("written");
        assert_eq!(summary.file_name, "second-heart-backup-2026-11-22.sqlite3");
        assert_eq!(summary.media_type, "application/vnd.sqlite3");
        assert_eq!(
            std::fs::metadata(&path).expect("file").len(),
            summary.report.bytes
        );
    }

    #[test]
    fn a_step_file_is_read_no_further_than_a_step_file_can_be() {
        let dir = tempfile::tempdir().expect("dir");
        let huge = dir.path().join("huge.csv");
        let line = "2026-11-20,1000\n";
        let size = STEP_FILE_MAX_BYTES as usize + line.len();
        std::fs::write(&huge, line.repeat(size / line.len() + 1)).expect("write");
        let refused = read_step_file(&huge).expect_err("too large");
        assert!(
            refused.to_string().contains("larger than 8 MB"),
            "{refused}"
        );
        // Cut at its limit in the middle of a character: too large still.
        let accented = dir.path().join("accented.csv");
        std::fs::write(&accented, "é".repeat(STEP_FILE_MAX_BYTES as usize)).expect("write");
        let refused = read_step_file(&accented).expect_err("too large");
        assert!(
            refused.to_string().contains("larger than 8 MB"),
            "{refused}"
        );
        let binary = dir.path().join("photo.jpg");
        std::fs::write(&binary, [0xff, 0xd8, 0xff, 0xe0, 0x00]).expect("write");
        let refused = read_step_file(&binary).expect_err("not text");
        assert!(refused.to_string().contains("not text"), "{refused}");
        let small = dir.path().join("small.csv");
        std::fs::write(&small, line).expect("write");
        assert_eq!(read_step_file(&small).expect("read"), line);
        if std::path::Path::new("/dev/zero").exists() {
            assert!(read_step_file(std::path::Path::new("/dev/zero")).is_err());
        }
    }
}
