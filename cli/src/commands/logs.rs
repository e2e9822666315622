//! `wear` and `drink`.

use anyhow::Result;
use second_heart_core::app::RingKind;
use second_heart_core::compression::CompressionAdvice;

use crate::args::Cli;
use crate::args::logs::{DrinkArgs, WearCommand};
use crate::commands::clock::{fixed_clock, open_app, open_app_now};
use crate::commands::open_store;
use crate::output::{out, print_json};

/// Stockings on or off.
pub fn wear(cli: &Cli, command: &WearCommand) -> Result<()> {
    match command {
        WearCommand::On { mmhg, clock } => {
            let started = open_app(cli, clock)?.sessions().compression_on(*mmhg)?;
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
            // A time given is one told afterwards, as the apps' "they came
            // off then": the app runs by the real clock, so one later than
            // now is refused, as the apps refuse it (run at `--at`, the app
            // would take that moment for now and accept it), and one before
            // they went on is refused, not taken for a clock that ran ahead.
            let (app, wear) = match clock.at {
                Some(_) => {
                    let zones = open_store(cli)?.zone_timeline()?;
                    let off = fixed_clock(clock, &zones)?.at;
                    let app = open_app_now(cli, clock, &zones)?;
                    let wear = app.sessions().compression_off_at(off)?;
                    (app, wear)
                }
                None => {
                    let app = open_app(cli, clock)?;
                    let wear = app.sessions().compression_off()?;
                    (app, wear)
                }
            };
            if cli.json {
                return print_json(&wear);
            }
            let now = app.now()?;
            if wear.off == Some(wear.on) {
                out!(
                    "Stockings removed: they went on at {}, later than the time now, so none of it counts as worn.",
                    wear.on_in(now.zone)
                );
                return Ok(());
            }
            let minutes = (wear.off.unwrap_or(now.at) - wear.on).num_minutes();
            out!(
                "Stockings off after {} h {} min.",
                minutes / 60,
                minutes % 60
            );
            Ok(())
        }
    }
}

/// A drink, and the day's drinks against the goal.
pub fn drink(cli: &Cli, args: &DrinkArgs) -> Result<()> {
    let app = open_app(cli, &args.clock)?;
    app.sessions().drink(args.ml)?;
    let today = app.today().view()?;
    let (today_ml, goal_ml) = today
        .ring(RingKind::Hydration)
        .map_or((0.0, 0.0), |ring| (ring.value, ring.goal));
    if cli.json {
        return print_json(
            &serde_json::json!({"logged_ml": args.ml, "today_ml": today_ml, "goal_ml": goal_ml}),
        );
    }
    out!(
        "{} mL logged: {today_ml:.0} of {goal_ml:.0} mL today.",
        args.ml
    );
    Ok(())
}
