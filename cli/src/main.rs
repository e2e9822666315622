//! `second-heart`: Second Heart's core from a terminal.
#![forbid(unsafe_code)]

mod args;
mod chart;
mod commands;
mod output;
mod time_input;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command, SensorCommand, WalkCommand};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Walk {
            command: WalkCommand::Log(log),
        } => commands::walk::log(&cli, log),
        Command::Walk {
            command: WalkCommand::List(day),
        } => commands::walk::list(&cli, day),
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
