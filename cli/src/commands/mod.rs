//! One module per command.

pub mod backup;
pub mod clock;
pub mod demo;
pub mod detect;
pub mod devices;
pub mod export;
pub mod flight;
pub mod history;
pub mod import;
pub mod logs;
pub mod model;
pub mod profile;
pub mod remind;
pub mod sensor;
pub mod sessions;
pub mod sync;
pub mod today;
pub mod walk;

use std::path::PathBuf;

use anyhow::{Context, Result};
use directories::ProjectDirs;
use second_heart_core::Store;

use crate::args::Cli;

/// Opens the database named by `--db`, or the default one in the user's
/// data directory (created on first use).
pub fn open_store(cli: &Cli) -> Result<Store> {
    let path = match &cli.db {
        Some(path) => path.clone(),
        None => default_db_path()?,
    };
    Ok(Store::open(&path)?)
}

fn default_db_path() -> Result<PathBuf> {
    let dirs = ProjectDirs::from("app", "Second Heart", "second-heart")
        .context("cannot find a home directory for the database; pass --db PATH")?;
    let dir = dirs.data_dir();
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
    Ok(dir.join("second-heart.db"))
}
