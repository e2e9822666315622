//! `wear` and `drink`.

use anyhow::Result;
use second_heart_core::compression::{CompressionAdvice, CompressionClass, WearStarted};
use second_heart_core::hydration::Drink;

use crate::args::{Cli, DrinkArgs, WearCommand};
use crate::commands::clock::open_at;
use crate::output::{out, print_json};

/// Stockings on or off.
pub fn wear(cli: &Cli, command: &WearCommand) -> Result<()> {
    match command {
        WearCommand::On { mmhg, clock } => {
            let (mut store, _, at) = open_at(cli, clock)?;
            let wear = store.compression_on(CompressionClass::new(*mmhg)?, at)?;
            let started = WearStarted::new(wear, &store.profile()?.compression_cautions);
            if cli.json {
                return print_json(&started);
            }
            out!("Stockings on ({mmhg} mmHg).");
            if let CompressionAdvice::SeeDoctorFirst { reasons } = &started.advice {
                out!("  Please check with your doctor that stockings suit you:");
                for reason in reasons {
                    out!("  - {reason}");
                }
            }
            Ok(())
        }
        WearCommand::Off(clock) => {
            let (mut store, _, at) = open_at(cli, clock)?;
            let wear = store.compression_off(at)?;
            if cli.json {
                return print_json(&wear);
            }
            let minutes = (at - wear.on).num_minutes();
            out!(
                "Stockings off after {} h {} min.",
                minutes / 60,
                minutes % 60
            );
            Ok(())
        }
    }
}

/// A drink.
pub fn drink(cli: &Cli, args: &DrinkArgs) -> Result<()> {
    let (mut store, _, at) = open_at(cli, &args.clock)?;
    store.log_drink(&Drink::new(args.ml, at)?)?;
    let today = store.today(at)?;
    let day = store.daily_summary(today, at)?;
    let goal = store.profile()?.goals.hydration_ml;
    if cli.json {
        return print_json(
            &serde_json::json!({"logged_ml": args.ml, "today_ml": day.hydration_ml, "goal_ml": goal}),
        );
    }
    out!(
        "{} mL logged: {} of {} mL today.",
        args.ml,
        day.hydration_ml,
        goal
    );
    Ok(())
}
