//! `flight plan`, `flight start` and `flight cancel`.

use anyhow::{Result, bail};
use second_heart_core::app::FlightDetails;
use second_heart_core::flight::{
    FlightEnd, FlightPlan, RiskFactors, Seat, airport_time, landing_at,
};
use second_heart_core::local_day::check_years;

use crate::args::Cli;
use crate::args::flight::{FlightArgs, FlightCancelArgs, FlightCommand, RiskArg, SeatArg};
use crate::commands::clock::open_app;
use crate::output::{duration, out, print_json};
use crate::time_input::{Start, read_start};

/// Plans, and on `start` saves and starts, a flight; `cancel` cancels the
/// started one.
pub fn run(cli: &Cli, command: &FlightCommand) -> Result<()> {
    let (args, start) = match command {
        FlightCommand::Plan(args) => (args, false),
        FlightCommand::Start(args) => (args, true),
        FlightCommand::Cancel(args) => return cancel(cli, args),
    };
    let app = open_app(cli, &args.clock)?;
    let details = details(args, app.now()?.at)?;
    let plan = if start {
        app.flights().start(&details)?
    } else {
        app.flights().plan(&details)?
    };
    if cli.json {
        return print_json(&plan);
    }
    print_plan(&plan, start);
    Ok(())
}

/// Cancels the started flight not landed (the one `not_landed` gives),
/// once confirmed with `--yes` (the apps ask first too), and says which
/// it was; without `--yes`, says which it would be.
fn cancel(cli: &Cli, args: &FlightCancelArgs) -> Result<()> {
    let flights = open_app(cli, &args.clock)?.flights();
    let cancelled = match flights.not_landed()? {
        Some(shown) if !args.yes => bail!(
            "this cancels the flight {}: its reminders stop; add --yes to confirm",
            flight_name(&shown)
        ),
        Some(shown) => flights.cancel(shown.request.departure)?,
        None => None,
    };
    if cli.json {
        return print_json(&cancelled);
    }
    match cancelled {
        Some(plan) => out!(
            "Cancelled the flight {}: its reminders stop, and your days stay where you are.",
            flight_name(&plan)
        ),
        None => out!("No started flight to cancel."),
    }
    Ok(())
}

/// "Europe/Berlin → America/New_York leaving Sat 21 Nov 10:00" (the
/// departure airport's clock).
fn flight_name(plan: &FlightPlan) -> String {
    let r = &plan.request;
    format!(
        "{} → {} leaving {}",
        r.departure_zone,
        r.arrival_zone,
        r.departure
            .with_timezone(&r.departure_zone)
            .format("%a %-d %b %H:%M")
    )
}

/// The take-off or landing typed as `text` for `flag`: an instant (RFC
/// 3339), or the airport's clock in `zone` ("YYYY-MM-DD HH:MM", or "HH:MM"
/// on `today` there), read by the core as every front end's is. A refusal
/// names the flag.
fn airport_clock(
    end: FlightEnd,
    flag: &'static str,
    text: &str,
    zone: chrono_tz::Tz,
    today: chrono::NaiveDate,
) -> Result<chrono::DateTime<chrono::Utc>> {
    let instant = match read_start(flag, text, today)? {
        Start::At(instant) => check_years(flag, instant),
        Start::Clock(local) => airport_time(end, local, zone),
    };
    Ok(instant.map_err(|error| named_by(flag, error))?)
}

/// The landing typed as `text` in `zone`: a date-less "HH:MM" is the first
/// such time there after `departure` (the core's [`landing_at`]).
fn landing(
    text: &str,
    zone: chrono_tz::Tz,
    departure: chrono::DateTime<chrono::Utc>,
) -> Result<chrono::DateTime<chrono::Utc>> {
    match chrono::NaiveTime::parse_from_str(text.trim(), "%H:%M") {
        Ok(time) => Ok(landing_at(time, zone, departure).map_err(|e| named_by("--arrive", e))?),
        Err(_) => {
            let today = departure.with_timezone(&zone).date_naive();
            airport_clock(FlightEnd::Landing, "--arrive", text, zone, today)
        }
    }
}

/// The core's refusal of a typed time, said of the flag it was typed for.
fn named_by(flag: &'static str, error: second_heart_core::Error) -> second_heart_core::Error {
    match error {
        second_heart_core::Error::InvalidInput { reason, .. } => {
            second_heart_core::Error::InvalidInput {
                field: flag,
                reason,
            }
        }
        other => other,
    }
}

/// The flight as typed: local take-off and landing times read in their
/// zones (a date-less "HH:MM" take-off is on the date of `now` there, a
/// date-less landing the first such time after take-off).
fn details(args: &FlightArgs, now: chrono::DateTime<chrono::Utc>) -> Result<FlightDetails> {
    let from = FlightEnd::TakeOff.zone(&args.from)?;
    let today = now.with_timezone(&from).date_naive();
    let departure = airport_clock(FlightEnd::TakeOff, "--depart", &args.depart, from, today)?;
    let arrival = match &args.arrive {
        Some(text) => Some(landing(
            text,
            FlightEnd::Landing.zone(&args.to)?,
            departure,
        )?),
        None => None,
    };
    let mut factors = RiskFactors::default();
    for risk in &args.risk {
        let answer = match risk {
            RiskArg::PreviousClot => &mut factors.previous_clot,
            RiskArg::RecentSurgery => &mut factors.recent_surgery_or_trauma,
            RiskArg::Cancer => &mut factors.active_cancer,
            RiskArg::Pregnant => &mut factors.pregnant,
            RiskArg::Postpartum => &mut factors.postpartum,
            RiskArg::Oestrogen => &mut factors.oestrogen,
            RiskArg::LimitedMobility => &mut factors.limited_mobility,
            RiskArg::Thrombophilia => &mut factors.thrombophilia,
            RiskArg::SeveralFlights => &mut factors.several_recent_flights,
            RiskArg::Obesity => &mut factors.obesity,
        };
        *answer = true;
    }
    Ok(FlightDetails {
        departure,
        departure_zone: args.from.clone(),
        arrival,
        hours: args.hours,
        arrival_zone: args.to.clone(),
        seat: match args.seat {
            SeatArg::Aisle => Seat::Aisle,
            SeatArg::Middle => Seat::Middle,
            SeatArg::Window => Seat::Window,
        },
        move_every_min: args.every_min,
        sleep: args.sleep.clone(),
        risk_factors: factors,
    })
}

fn print_plan(plan: &FlightPlan, started: bool) {
    let r = &plan.request;
    out!(
        "{} → {}: {} ({} to {})",
        r.departure_zone,
        r.arrival_zone,
        duration(
            (r.arrival - r.departure)
                .num_seconds()
                .max(0)
                .unsigned_abs()
        ),
        r.departure
            .with_timezone(&r.departure_zone)
            .format("%a %-d %b %H:%M"),
        r.arrival
            .with_timezone(&r.arrival_zone)
            .format("%a %-d %b %H:%M"),
    );
    out!("Risk check: {}", plan.risk.label());
    for line in &plan.advice {
        out!("  • {line}");
    }
    out!();
    out!(
        "{:<17} {:<17} what",
        r.departure_zone.name(),
        r.arrival_zone.name()
    );
    for item in &plan.schedule {
        out!(
            "{:<17} {:<17} {}",
            item.departure_local,
            item.arrival_local,
            item.text
        );
    }
    if started {
        out!();
        out!(
            "Started: reminders follow this plan; after landing your days follow {}.",
            r.arrival_zone
        );
    }
}
