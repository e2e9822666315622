//! `import steps`: daily step totals from a CSV file.

use anyhow::Result;

use crate::args::Cli;
use crate::args::data::ImportStepsArgs;
use crate::commands::clock::open_app;
use crate::output::{out, print_json};

/// Imports the days of a step file.
pub fn steps(cli: &Cli, args: &ImportStepsArgs) -> Result<()> {
    let report = open_app(cli, &args.clock)?
        .data()
        .import_steps_file(&args.file, None)?;
    if cli.json {
        return print_json(&report);
    }
    out!(
        "{} days read: {} new, {} replaced an earlier import, {} unchanged.",
        report.days,
        report.added,
        report.replaced,
        report.unchanged
    );
    out!("A day counts the imported total only where it is above the steps recorded that day.");
    Ok(())
}
