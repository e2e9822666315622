//! `backup` and `restore`: the whole database to one file and back.

use anyhow::Result;

use crate::args::Cli;
use crate::args::data::{BackupArgs, RestoreArgs};
use crate::commands::clock::open_app;
use crate::output::{out, print_json};

/// Writes a backup.
pub fn backup(cli: &Cli, args: &BackupArgs) -> Result<()> {
    let summary = open_app(cli, &args.clock)?
        .data()
        .backup_to_file(&args.out)?;
    if cli.json {
        return print_json(&summary);
    }
    let report = summary.report;
    out!(
        "Backed up to {} ({} kB, schema version {}).",
        report.path.display(),
        report.bytes.div_ceil(1024),
        report.schema_version
    );
    Ok(())
}

/// Restores a backup; replacing data needs `--yes`.
pub fn restore(cli: &Cli, args: &RestoreArgs) -> Result<()> {
    let report = open_app(cli, &args.clock)?
        .data()
        .restore_from_file(&args.file, args.yes)
        .map_err(|error| match error {
            second_heart_core::Error::ConfirmationNeeded(_) => {
                anyhow::anyhow!("{error}: add --yes to replace it with the backup")
            }
            other => other.into(),
        })?;
    if cli.json {
        return print_json(&report);
    }
    out!(
        "Restored {} (schema version {}){}.",
        args.file.display(),
        report.backup_schema_version,
        if report.replaced_data {
            ", replacing what the database held"
        } else {
            ""
        }
    );
    Ok(())
}
