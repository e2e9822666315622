//! Export: the user's data as CSV (UTC plus offset), JSON, or FHIR R4
//! Observation bundles, built in memory for the app to hand to the share
//! sheet. Nothing leaves the device unless the user does that.

mod csv_tables;
mod document;
mod fhir;

pub use csv_tables::{CsvTable, to_csv};
pub use document::{DayExport, ExportDocument, MinuteExport, WalkExport, rfc3339_with_offset};
pub use fhir::{LOINC_DAILY_STEPS, LOINC_STEPS, to_fhir_bundle};
