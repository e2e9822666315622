//! `flight plan` and `flight start`.

use anyhow::{Context, Result};
use chrono::{Duration, NaiveTime};
use second_heart_core::flight::{FlightPlan, FlightRequest, RiskFactors, Seat, SleepWindow};
use second_heart_core::local_day::parse_time_zone;

use crate::args::{Cli, FlightArgs, FlightCommand, RiskArg, SeatArg};
use crate::commands::clock::open_at;
use crate::output::{out, print_json};
use crate::time_input::parse_start;

/// Plans, and on `start` saves and starts, a flight.
pub fn run(cli: &Cli, command: &FlightCommand) -> Result<()> {
    let (args, start) = match command {
        FlightCommand::Plan(args) => (args, false),
        FlightCommand::Start(args) => (args, true),
    };
    let (mut store, _, now) = open_at(cli, &args.clock)?;
    let request = request(args, now)?;
    let plan = if start {
        store.save_flight(request, true, now)?.1
    } else {
        FlightPlan::new(request, &store.profile()?)?
    };
    if cli.json {
        return print_json(&plan);
    }
    print_plan(&plan, start);
    Ok(())
}

fn request(args: &FlightArgs, now: chrono::DateTime<chrono::Utc>) -> Result<FlightRequest> {
    let departure_zone = parse_time_zone(&args.from)?;
    let arrival_zone = parse_time_zone(&args.to)?;
    let departure = parse_start(&args.depart, departure_zone, now)?;
    let arrival = match (&args.arrive, args.hours) {
        (Some(text), _) => parse_start(text, arrival_zone, now)?,
        (None, Some(hours)) => departure + Duration::seconds((hours * 3600.0).round() as i64),
        (None, None) => {
            anyhow::bail!("give the landing time (--arrive) or the flight time (--hours)")
        }
    };
    let sleep = args.sleep.as_deref().map(parse_sleep).transpose()?;
    let mut factors = RiskFactors::default();
    for risk in &args.risk {
        match risk {
            RiskArg::PreviousClot => factors.previous_clot = true,
            RiskArg::RecentSurgery => factors.recent_surgery_or_trauma = true,
            RiskArg::Cancer => factors.active_cancer = true,
            RiskArg::Pregnant => factors.pregnant = true,
            RiskArg::Postpartum => factors.postpartum = true,
            RiskArg::Oestrogen => factors.oestrogen = true,
            RiskArg::LimitedMobility => factors.limited_mobility = true,
            RiskArg::Thrombophilia => factors.thrombophilia = true,
            RiskArg::SeveralFlights => factors.several_recent_flights = true,
            RiskArg::Obesity => factors.obesity = true,
        }
    }
    Ok(FlightRequest {
        departure,
        departure_zone,
        arrival,
        arrival_zone,
        seat: match args.seat {
            SeatArg::Aisle => Seat::Aisle,
            SeatArg::Middle => Seat::Middle,
            SeatArg::Window => Seat::Window,
        },
        move_every_min: args.every_min,
        sleep,
        risk_factors: factors,
    })
}

fn parse_sleep(text: &str) -> Result<SleepWindow> {
    let (from, until) = text
        .split_once('-')
        .with_context(|| format!("invalid sleep: {text:?} is not like \"23:00-06:00\""))?;
    let time = |t: &str| {
        NaiveTime::parse_from_str(t.trim(), "%H:%M")
            .with_context(|| format!("invalid sleep: {t:?} is not a time like 23:00"))
    };
    Ok(SleepWindow {
        from: time(from)?,
        until: time(until)?,
    })
}

fn print_plan(plan: &FlightPlan, started: bool) {
    let r = &plan.request;
    out!(
        "{} → {}: {:.1} h ({} to {})",
        r.departure_zone,
        r.arrival_zone,
        plan.risk.hours,
        r.departure
            .with_timezone(&r.departure_zone)
            .format("%a %-d %b %H:%M"),
        r.arrival
            .with_timezone(&r.arrival_zone)
            .format("%a %-d %b %H:%M"),
    );
    out!("Risk check: {:?}", plan.risk.category);
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
