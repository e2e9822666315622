//! `export`: the user's data to a file they chose.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use second_heart_core::app::ExportFormat;
use second_heart_core::export::CsvTable;
use second_heart_core::local_day::parse_date;

use crate::args::Cli;
use crate::args::export::{ExportArgs, FormatArg, TableArg};
use crate::commands::clock::open_app;
use crate::output::{out, print_json, stdout_failed};

/// Writes the export.
pub fn run(cli: &Cli, args: &ExportArgs) -> Result<()> {
    let app = open_app(cli, &args.clock)?;
    let first = args.from.as_deref().map(parse_date).transpose()?;
    let last = args.to.as_deref().map(parse_date).transpose()?;
    let format = match args.format {
        FormatArg::Json => ExportFormat::Json,
        FormatArg::Fhir => ExportFormat::Fhir,
        FormatArg::Csv => ExportFormat::Csv(match args.table {
            TableArg::Days => CsvTable::Days,
            TableArg::Minutes => CsvTable::Minutes,
            TableArg::Sessions => CsvTable::Sessions,
            TableArg::Walks => CsvTable::Walks,
        }),
    };
    let (out, summary) = match &args.out {
        Some(path) if path.as_os_str() == "-" => {
            let (text, _) = app.data().export(format, first, last)?;
            if let Err(error) = std::io::stdout().write_all(text.as_bytes()) {
                stdout_failed(&error);
            }
            return Ok(());
        }
        Some(path) => (
            path.clone(),
            app.data().export_to_file(format, first, last, path)?,
        ),
        None => {
            // Written whole under a temporary name, then given the core's.
            let written = PathBuf::from(".second-heart-export.tmp");
            let summary = app.data().export_to_file(format, first, last, &written)?;
            let named = PathBuf::from(&summary.file_name);
            if let Err(error) = std::fs::rename(&written, &named) {
                // Health data does not stay behind under the temporary name.
                let _ = std::fs::remove_file(&written);
                return Err(error).with_context(|| format!("writing {}", named.display()));
            }
            (named, summary)
        }
    };
    if cli.json {
        return print_json(
            &serde_json::json!({"file": out, "bytes": summary.bytes, "days": summary.days}),
        );
    }
    out!(
        "Wrote {} days ({} to {}) to {}.",
        summary.days,
        summary.first,
        summary.last,
        out.display()
    );
    Ok(())
}
