//! `backup` and `restore`: the whole database to one file and back.

use anyhow::Result;
use second_heart_core::store::ReplaceData;

use crate::args::{BackupArgs, Cli, RestoreArgs};
use crate::commands::open_store;
use crate::output::{out, print_json};

/// Writes a backup.
pub fn backup(cli: &Cli, args: &BackupArgs) -> Result<()> {
    let store = open_store(cli)?;
    let report = store.backup_to(&args.out)?;
    if cli.json {
        return print_json(&report);
    }
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
    let mut store = open_store(cli)?;
    let replace = if args.yes {
        ReplaceData::Confirmed
    } else {
        ReplaceData::OnlyIfEmpty
    };
    let report = store
        .restore_from(&args.file, replace)
        .map_err(|error| match error {
            second_heart_core::Error::ConfirmationNeeded(_) => anyhow::anyhow!(
                "{error}: add --yes to replace everything in {} with the backup",
                store.path().display()
            ),
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
