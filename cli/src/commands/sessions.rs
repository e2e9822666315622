//! `walk start…`, `set …`, `elevate …`: live sessions.

use anyhow::{Result, bail};
use second_heart_core::session::{ElevationCheck, SessionEvent, SessionKind, Target};
use second_heart_core::store::SessionUpdate;

use crate::args::{
    Cli, Clock, ElevateCommand, ElevateStart, SessionStep, SetCommand, SetKind, WalkSession,
};
use crate::commands::clock::open_at;
use crate::output::{duration, out, print_json, thousands};

/// The live walk.
pub fn walk(cli: &Cli, command: &WalkSession) -> Result<()> {
    match command {
        WalkSession::Start(clock) => start(cli, clock, SessionKind::Walk, None, None),
        WalkSession::Steps { count, clock } => {
            event(cli, clock, SessionEvent::Steps { count: *count })
        }
        WalkSession::Step(step) => session_step(cli, step),
    }
}

/// Exercise sets.
pub fn set(cli: &Cli, command: &SetCommand) -> Result<()> {
    match command {
        SetCommand::Start {
            kind,
            reps,
            hold_s,
            rate_per_min,
            clock,
        } => {
            let kind = match kind {
                SetKind::CalfRaises => SessionKind::CalfRaises,
                SetKind::AnklePumps => SessionKind::AnklePumps,
            };
            let defaults = kind.default_target();
            let target = Target {
                reps: reps.or(defaults.reps),
                hold_s: hold_s.or(defaults.hold_s),
                rate_per_min: rate_per_min.or(defaults.rate_per_min),
                ..defaults
            };
            start(cli, clock, kind, Some(target), None)
        }
        SetCommand::Rep { hold_s, clock } => {
            event(cli, clock, SessionEvent::Rep { hold_s: *hold_s })
        }
        SetCommand::Pumps { count, clock } => {
            event(cli, clock, SessionEvent::Pumps { count: *count })
        }
        SetCommand::Step(step) => session_step(cli, step),
    }
}

/// Leg elevation.
pub fn elevate(cli: &Cli, command: &ElevateCommand) -> Result<()> {
    match command {
        ElevateCommand::Start(args) => elevate_start(cli, args),
        ElevateCommand::Pain(clock) => event(cli, clock, SessionEvent::Pain),
        ElevateCommand::Step(step) => session_step(cli, step),
    }
}

fn elevate_start(cli: &Cli, args: &ElevateStart) -> Result<()> {
    let check = ElevationCheck {
        recent_leg_injury: args.injury,
        leg_pain_now: args.pain,
        feeling_faint_or_unwell: args.unwell,
        breathless_lying_flat: args.breathless,
    };
    let answered = args.checked || check != ElevationCheck::default();
    if !answered {
        bail!(
            "before raising your legs, answer these: a leg injury lately (--injury)? a leg hurting now (--pain)? \
             feeling faint or unwell (--unwell)? short of breath lying flat (--breathless)? \
             If none applies, add --checked."
        );
    }
    let target = Target {
        minutes: Some(args.minutes),
        angle_deg: Some(args.angle_deg),
        ..Target::default()
    };
    start(
        cli,
        &args.clock,
        SessionKind::LegElevation,
        Some(target),
        Some(check),
    )
}

fn start(
    cli: &Cli,
    clock: &Clock,
    kind: SessionKind,
    target: Option<Target>,
    check: Option<ElevationCheck>,
) -> Result<()> {
    let (mut store, zone, at) = open_at(cli, clock)?;
    let update = store.start_session(kind, target, check, zone, at)?;
    show(cli, &update)
}

fn event(cli: &Cli, clock: &Clock, event: SessionEvent) -> Result<()> {
    let (mut store, _, at) = open_at(cli, clock)?;
    let update = store.session_event(event, at)?;
    show(cli, &update)
}

fn session_step(cli: &Cli, step: &SessionStep) -> Result<()> {
    let (clock, event) = match step {
        SessionStep::Pause(c) => (c, SessionEvent::Pause),
        SessionStep::Resume(c) => (c, SessionEvent::Resume),
        SessionStep::Finish(c) => (c, SessionEvent::Finish),
        SessionStep::Abandon(c) => (c, SessionEvent::Abandon),
        SessionStep::Status(c) => {
            let (store, _, at) = open_at(cli, c)?;
            return match store.open_session()? {
                Some(session) => {
                    let progress = second_heart_core::session::Progress::of(&session, at);
                    show(
                        cli,
                        &SessionUpdate {
                            session,
                            progress,
                            outcome: None,
                        },
                    )
                }
                None if cli.json => print_json(&serde_json::Value::Null),
                None => {
                    out!("No session is running.");
                    Ok(())
                }
            };
        }
    };
    self::event(cli, clock, event)
}

fn show(cli: &Cli, update: &SessionUpdate) -> Result<()> {
    if cli.json {
        return print_json(update);
    }
    let p = &update.progress;
    let name = match p.kind {
        SessionKind::Walk => "Walk",
        SessionKind::CalfRaises => "Calf raises",
        SessionKind::AnklePumps => "Ankle pumps",
        SessionKind::LegElevation => "Leg elevation",
    };
    let mut line = format!(
        "{name} ({}): {}",
        p.state.key(),
        duration(p.active_seconds.round() as u64)
    );
    match p.kind {
        SessionKind::Walk => line += &format!(" · {} steps", thousands(u64::from(p.steps))),
        SessionKind::CalfRaises | SessionKind::AnklePumps => {
            line += &format!(" · {}", p.reps);
            if let Some(target) = p.target_reps {
                line += &format!("/{target}");
            }
            if let Some(hold) = p.mean_hold_s {
                line += &format!(" · mean hold {hold:.1} s");
            }
        }
        SessionKind::LegElevation => {
            if let Some(left) = p.remaining_s {
                line += &format!(" · {} left", duration(left.round() as u64));
            }
        }
    }
    out!("{line}");
    for feedback in &p.feedback {
        out!("  {}", feedback.message());
    }
    if let Some(outcome) = &update.outcome {
        let mut parts = Vec::new();
        if let (Some(cadence), Some(km)) = (outcome.cadence_spm, outcome.distance_km) {
            parts.push(format!("{cadence:.0} steps/min, about {km:.1} km"));
        }
        if outcome.pumped_ml > 0.0 {
            parts.push(format!(
                "your calves pumped about {:.1} L",
                outcome.pumped_ml / 1000.0
            ));
        }
        if let Some(change) = outcome.leg_volume_change_ml {
            parts.push(format!(
                "your legs gave up about {:.0} mL of blood and fluid",
                -change
            ));
        }
        if !parts.is_empty() {
            out!("  {}", parts.join("; "));
        }
    }
    Ok(())
}
