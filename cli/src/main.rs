//! `second-heart`: Second Heart's core from a terminal.
#![forbid(unsafe_code)]

mod args;
mod chart;
mod commands;
mod output;
mod time_input;

use std::process::ExitCode;

use clap::Parser;

use crate::args::data::ImportCommand;
use crate::args::sensors::SensorCommand;
use crate::args::walk::WalkCommand;
use crate::args::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Walk {
            command: WalkCommand::Log(log),
        } => commands::walk::log(&cli, log),
        Command::Walk {
            command: WalkCommand::List(day),
        } => commands::walk::list(&cli, day),
        Command::Walk {
            command: WalkCommand::Delete(args),
        } => commands::walk::delete(&cli, args),
        Command::Walk {
            command: WalkCommand::Session(session),
        } => commands::sessions::walk(&cli, session),
        Command::Set { command } => commands::sessions::set(&cli, command),
        Command::Elevate { command } => commands::sessions::elevate(&cli, command),
        Command::Wear { command } => commands::logs::wear(&cli, command),
        Command::Drink(args) => commands::logs::drink(&cli, args),
        Command::Flight { command } => commands::flight::run(&cli, command),
        Command::Remind { command } => commands::remind::run(&cli, command),
        Command::History(args) => commands::history::run(&cli, args),
        Command::Export(args) => commands::export::run(&cli, args),
        Command::Backup(args) => commands::backup::backup(&cli, args),
        Command::Restore(args) => commands::backup::restore(&cli, args),
        Command::Import {
            command: ImportCommand::Steps(args),
        } => commands::import::steps(&cli, args),
        Command::Profile { command } => commands::profile::run(&cli, command),
        Command::DeleteAll(args) => commands::profile::delete_all(&cli, args),
        Command::Today(day) => commands::today::run(&cli, day),
        Command::Demo => commands::demo::run(&cli),
        Command::Sensor {
            command: SensorCommand::Simulate(args),
        } => commands::sensor::simulate(&cli, args),
        Command::Sync(args) => commands::sync::run(&cli, args),
        Command::Devices(args) => commands::devices::run(&cli, args),
        Command::Model(args) => commands::model::run(&cli, args),
        Command::Detect(args) => commands::detect::run(&cli, args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
