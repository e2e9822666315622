//! `export`: the user's data to a file they chose.

use std::io::Write;

use anyhow::{Context, Result};
use chrono::Duration;
use second_heart_core::export::{CsvTable, ExportDocument, to_csv, to_fhir_bundle};
use second_heart_core::local_day::parse_date;

use crate::args::{Cli, ExportArgs, ExportFormat, ExportTable};
use crate::commands::clock::open_at;
use crate::output::{out, print_json, stdout_failed};

/// Writes the export.
pub fn run(cli: &Cli, args: &ExportArgs) -> Result<()> {
    let (store, _, now) = open_at(cli, &args.clock)?;
    let last = match &args.to {
        Some(text) => parse_date(text)?,
        None => store.today(now)?,
    };
    let first = match &args.from {
        Some(text) => parse_date(text)?,
        None => last - Duration::days(29),
    };
    let doc = ExportDocument::read(&store, first, last, now)?;
    let text = match args.format {
        ExportFormat::Json => doc.to_json()?,
        ExportFormat::Fhir => to_fhir_bundle(&doc)?,
        ExportFormat::Csv => to_csv(
            &doc,
            match args.table {
                ExportTable::Days => CsvTable::Days,
                ExportTable::Minutes => CsvTable::Minutes,
                ExportTable::Sessions => CsvTable::Sessions,
            },
        )?,
    };
    if args.out.as_os_str() == "-" {
        if let Err(error) = std::io::stdout().write_all(text.as_bytes()) {
            stdout_failed(&error);
        }
        return Ok(());
    }
    std::fs::write(&args.out, &text)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    if cli.json {
        return print_json(
            &serde_json::json!({"file": args.out, "bytes": text.len(), "days": doc.days.len()}),
        );
    }
    out!(
        "Wrote {} days ({} to {}) to {}.",
        doc.days.len(),
        first,
        last,
        args.out.display()
    );
    Ok(())
}
