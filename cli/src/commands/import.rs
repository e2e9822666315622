//! `import steps`: daily step totals from a CSV file.

use std::io::Read;

use anyhow::{Context, Result, bail};
use second_heart_core::import::parse_daily_steps;

use crate::args::{Cli, ImportStepsArgs};
use crate::commands::clock::open_at;
use crate::output::{out, print_json};

/// The largest file read: a hundred years of days is far smaller.
const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Imports the days of a step file.
pub fn steps(cli: &Cli, args: &ImportStepsArgs) -> Result<()> {
    let file = std::fs::File::open(&args.file)
        .with_context(|| format!("cannot open {}", args.file.display()))?;
    let mut text = String::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_string(&mut text)
        .with_context(|| format!("cannot read {} as text", args.file.display()))?;
    if text.len() as u64 > MAX_FILE_BYTES {
        bail!(
            "{} is larger than {} MB; that is not a file of daily step totals",
            args.file.display(),
            MAX_FILE_BYTES / 1024 / 1024
        );
    }
    let days = parse_daily_steps(&text)?;
    let (mut store, _, now) = open_at(cli, &args.clock)?;
    let source = args
        .file
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let report = store.import_daily_steps(&days, &source, now)?;
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
