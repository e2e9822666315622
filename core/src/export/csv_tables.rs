//! CSV: one table per file, times in UTC with the local offset beside them.

use serde::Serialize;

use super::document::ExportDocument;
use crate::{Error, Result};

/// Which table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvTable {
    /// One row a day.
    Days,
    /// One row a minute with data.
    Minutes,
    /// One row a session.
    Sessions,
    /// One row a walk of the walk log (recorded or logged by hand).
    Walks,
}

#[derive(Serialize, Default)]
struct DayRow<'a> {
    date: String,
    start: &'a str,
    end: &'a str,
    time_zones: String,
    steps: u32,
    imported_steps: u32,
    active_minutes: u32,
    walking_minutes: u32,
    sitting_minutes: u32,
    breaks: u32,
    prolonged_sitting_bouts: u32,
    longest_sitting_bout_min: u32,
    calf_raise_sets: u32,
    ankle_pump_sets: u32,
    pumped_litres: String,
    hydration_ml: u32,
    compression_minutes: u32,
    sensor_minutes: u32,
    steps_goal_met: bool,
    active_minutes_goal_met: bool,
    breaks_goal_met: bool,
    calf_raise_sets_goal_met: bool,
    pumped_litres_goal_met: bool,
    hydration_goal_met: bool,
}

#[derive(Serialize, Default)]
struct SessionRow {
    kind: String,
    state: String,
    source: String,
    start_utc: String,
    end_utc: String,
    utc_offset: String,
    time_zone: String,
    steps: String,
    reps: String,
    pumped_ml: String,
}

#[derive(Serialize, Default)]
struct WalkRow<'a> {
    start: &'a str,
    end: &'a str,
    time_zone: &'a str,
    duration_seconds: u32,
    steps: u32,
    by_hand: bool,
    recorded_by_sensor: bool,
}

/// The CSV text of `table`: its header row, then a row for each item (an
/// empty range is the header alone, so the file still says what it holds).
pub fn to_csv(doc: &ExportDocument, table: CsvTable) -> Result<String> {
    let text = rows(doc, table)?;
    if !text.is_empty() {
        return Ok(text);
    }
    match table {
        CsvTable::Days => header::<DayRow<'_>>(),
        CsvTable::Minutes => header::<super::document::MinuteExport>(),
        CsvTable::Sessions => header::<SessionRow>(),
        CsvTable::Walks => header::<WalkRow<'_>>(),
    }
}

/// The header row of a table of `Row`s. The csv crate writes it with the
/// first row, so it is taken from a blank row's output.
fn header<Row: Serialize + Default>() -> Result<String> {
    let text = csv_text(|writer| writer.serialize(Row::default()))?;
    Ok(text
        .split_inclusive('\n')
        .next()
        .unwrap_or_default()
        .to_owned())
}

/// What `write` writes, as text.
fn csv_text(
    write: impl FnOnce(&mut csv::Writer<Vec<u8>>) -> std::result::Result<(), csv::Error>,
) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    write(&mut writer).map_err(|e| Error::invalid("export", e.to_string()))?;
    let bytes = writer
        .into_inner()
        .map_err(|e| Error::invalid("export", e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| Error::invalid("export", e.to_string()))
}

/// The rows of `table`, with their header when there is any.
fn rows(doc: &ExportDocument, table: CsvTable) -> Result<String> {
    csv_text(|writer| write_rows(writer, doc, table))
}

fn write_rows(
    writer: &mut csv::Writer<Vec<u8>>,
    doc: &ExportDocument,
    table: CsvTable,
) -> std::result::Result<(), csv::Error> {
    match table {
        CsvTable::Days => {
            for day in &doc.days {
                let s = &day.summary;
                writer.serialize(DayRow {
                    date: s.date.to_string(),
                    start: &day.start,
                    end: &day.end,
                    time_zones: s.time_zones.join(" "),
                    steps: s.steps,
                    imported_steps: s.imported_steps,
                    active_minutes: s.active_minutes,
                    walking_minutes: s.walking_minutes,
                    sitting_minutes: s.sitting_minutes,
                    breaks: s.breaks,
                    prolonged_sitting_bouts: s.prolonged_sitting_bouts,
                    longest_sitting_bout_min: s.longest_sitting_bout_min,
                    calf_raise_sets: s.calf_raise_sets,
                    ankle_pump_sets: s.ankle_pump_sets,
                    pumped_litres: format!("{:.2}", s.pumped_litres),
                    hydration_ml: s.hydration_ml,
                    compression_minutes: s.compression_minutes,
                    sensor_minutes: s.sensor_minutes,
                    steps_goal_met: s.goals.steps,
                    active_minutes_goal_met: s.goals.active_minutes,
                    breaks_goal_met: s.goals.breaks,
                    calf_raise_sets_goal_met: s.goals.calf_raise_sets,
                    pumped_litres_goal_met: s.goals.pumped_volume,
                    hydration_goal_met: s.goals.hydration,
                })?;
            }
        }
        CsvTable::Minutes => {
            for m in &doc.minutes {
                writer.serialize(m)?;
            }
        }
        CsvTable::Sessions => {
            for s in &doc.sessions {
                let zone =
                    crate::local_day::parse_time_zone(&s.time_zone).unwrap_or(chrono_tz::UTC);
                let local = s.started.with_timezone(&zone);
                let field = |path: &[&str]| {
                    let mut value = s.outcome.as_ref();
                    for key in path {
                        value = value.and_then(|v| v.get(key));
                    }
                    value.map(|v| v.to_string()).unwrap_or_default()
                };
                let reps = match field(&["progress", "reps"]) {
                    r if r.is_empty() => field(&["reps"]),
                    r => r,
                };
                writer.serialize(SessionRow {
                    kind: s.kind.key().to_owned(),
                    state: s.state.key().to_owned(),
                    source: s.source.clone(),
                    start_utc: s.started.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    end_utc: s
                        .ended
                        .map(|e| e.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                        .unwrap_or_default(),
                    utc_offset: local.format("%:z").to_string(),
                    time_zone: s.time_zone.clone(),
                    steps: field(&["progress", "steps"]),
                    reps,
                    pumped_ml: field(&["pumped_ml"]),
                })?;
            }
        }
        CsvTable::Walks => {
            for walk in &doc.walks {
                writer.serialize(WalkRow {
                    start: &walk.start,
                    end: &walk.end,
                    time_zone: &walk.time_zone,
                    duration_seconds: walk.duration_seconds,
                    steps: walk.steps,
                    by_hand: walk.by_hand,
                    recorded_by_sensor: walk.recorded_by_sensor,
                })?;
            }
        }
    }
    Ok(())
}
