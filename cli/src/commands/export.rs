//! `export`: the user's data to a file they chose.

use std::io::Write;

use anyhow::Result;
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
        }),
    };
    if args.out.as_os_str() == "-" {
        let (text, _) = app.data().export(format, first, last)?;
        if let Err(error) = std::io::stdout().write_all(text.as_bytes()) {
            stdout_failed(&error);
        }
        return Ok(());
    }
    let summary = app.data().export_to_file(format, first, last, &args.out)?;
    if cli.json {
        return print_json(
            &serde_json::json!({"file": args.out, "bytes": summary.bytes, "days": summary.days}),
        );
    }
    out!(
        "Wrote {} days ({} to {}) to {}.",
        summary.days,
        summary.first,
        summary.last,
        args.out.display()
    );
    Ok(())
}
