//! `walk start…`, `set …`, `elevate …`: live sessions.

use anyhow::{Result, bail};
use second_heart_core::app::SessionUpdate;
use second_heart_core::app::{ELEVATION_QUESTIONS, SecondHeart, SetTargets};
use second_heart_core::session::{ElevationCheck, SessionEvent, SessionKind};

use crate::args::Cli;
use crate::args::clock::ClockArgs;
use crate::args::sessions::{ElevateCommand, ElevateStart, SessionStep, SetCommand, SetKind};
use crate::args::walk::WalkSession;
use crate::commands::clock::open_app;
use crate::output::{duration, out, print_json, thousands};

/// The live walk.
pub fn walk(cli: &Cli, command: &WalkSession) -> Result<()> {
    match command {
        WalkSession::Start(clock) => {
            let update = open_app(cli, clock)?.sessions().start_walk()?;
            show(cli, &update)
        }
        WalkSession::Steps { count, clock } => {
            event(cli, clock, SessionEvent::Steps { count: *count })
        }
        WalkSession::Step(step) => session_step(cli, step, Acting::Walk),
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
            let targets = SetTargets {
                reps: *reps,
                hold_s: *hold_s,
                rate_per_min: *rate_per_min,
            };
            let update = open_app(cli, clock)?.sessions().start_set(kind, targets)?;
            show(cli, &update)
        }
        SetCommand::Rep { hold_s, clock } => {
            event(cli, clock, SessionEvent::Rep { hold_s: *hold_s })
        }
        SetCommand::Pumps { count, clock } => {
            event(cli, clock, SessionEvent::Pumps { count: *count })
        }
        SetCommand::Step(step) => session_step(cli, step, Acting::Set),
    }
}

/// Leg elevation.
pub fn elevate(cli: &Cli, command: &ElevateCommand) -> Result<()> {
    match command {
        ElevateCommand::Start(args) => elevate_start(cli, args),
        ElevateCommand::Pain(clock) => event(cli, clock, SessionEvent::Pain),
        ElevateCommand::Step(step) => session_step(cli, step, Acting::Elevation),
    }
}

/// The flag that answers "yes" to the safety question `key`.
fn answer_flag(key: &str) -> &'static str {
    match key {
        "recent_leg_injury" => "--injury",
        "leg_pain_now" => "--pain",
        "feeling_faint_or_unwell" => "--unwell",
        "breathless_lying_flat" => "--breathless",
        _ => "--checked",
    }
}

fn elevate_start(cli: &Cli, args: &ElevateStart) -> Result<()> {
    let answers = ElevationCheck {
        recent_leg_injury: args.injury,
        leg_pain_now: args.pain,
        feeling_faint_or_unwell: args.unwell,
        breathless_lying_flat: args.breathless,
    };
    if !args.checked && answers == ElevationCheck::default() {
        let questions: Vec<String> = ELEVATION_QUESTIONS
            .iter()
            .map(|q| format!("{} ({})", q.text, answer_flag(q.key)))
            .collect();
        bail!(
            "before raising your legs, answer these: {} If none applies, add --checked.",
            questions.join(" ")
        );
    }
    let update = open_app(cli, &args.clock)?.sessions().start_elevation(
        answers,
        args.minutes,
        args.angle_deg,
    )?;
    show(cli, &update)
}

fn event(cli: &Cli, clock: &ClockArgs, event: SessionEvent) -> Result<()> {
    let update = open_app(cli, clock)?.sessions().record(event)?;
    show(cli, &update)
}

/// The sessions a command's steps (pause, resume, finish, give up) act on.
#[derive(Debug, Clone, Copy)]
enum Acting {
    Walk,
    Set,
    Elevation,
}

impl Acting {
    fn fits(self, kind: SessionKind) -> bool {
        match self {
            Self::Walk => kind == SessionKind::Walk,
            Self::Set => matches!(kind, SessionKind::CalfRaises | SessionKind::AnklePumps),
            Self::Elevation => kind == SessionKind::LegElevation,
        }
    }

    /// A `kind` session in words: "a walk", "a set of calf raises".
    fn under_way(kind: SessionKind) -> &'static str {
        match kind {
            SessionKind::Walk => "a walk",
            SessionKind::CalfRaises => "a set of calf raises",
            SessionKind::AnklePumps => "a set of ankle pumps",
            SessionKind::LegElevation => "leg elevation",
        }
    }

    /// The command that acts on a `kind` session.
    fn command_for(kind: SessionKind) -> &'static str {
        match kind {
            SessionKind::Walk => "walk",
            SessionKind::CalfRaises | SessionKind::AnklePumps => "set",
            SessionKind::LegElevation => "elevate",
        }
    }
}

/// A step of the running session, refused when that session is not of the
/// command's kinds: `set abandon` gives up a set, never the walk under way
/// (as each app's screen acts on its own session).
fn session_step(cli: &Cli, step: &SessionStep, acting: Acting) -> Result<()> {
    let (clock, event, verb) = match step {
        SessionStep::Pause(c) => (c, SessionEvent::Pause, "pause"),
        SessionStep::Resume(c) => (c, SessionEvent::Resume, "resume"),
        SessionStep::Finish(c) => (c, SessionEvent::Finish, "finish"),
        SessionStep::Abandon(c) => (c, SessionEvent::Abandon, "abandon"),
        SessionStep::Status(c) => return status(cli, &open_app(cli, c)?),
    };
    let app = open_app(cli, clock)?;
    if let Some(running) = app.sessions().status()?.map(|update| update.progress)
        && !acting.fits(running.kind)
    {
        bail!(
            "{} is under way, and this command leaves it alone: `second-heart {} {verb}` acts on it",
            Acting::under_way(running.kind),
            Acting::command_for(running.kind)
        );
    }
    let update = app.sessions().record(event)?;
    show(cli, &update)
}

fn status(cli: &Cli, app: &SecondHeart) -> Result<()> {
    match app.sessions().status()? {
        Some(update) => show(cli, &update),
        None if cli.json => print_json(&serde_json::Value::Null),
        None => {
            out!("No session is running.");
            Ok(())
        }
    }
}

/// "Walk", "Calf raises", "Ankle pumps", "Leg elevation".
pub fn session_name(kind: SessionKind) -> &'static str {
    match kind {
        SessionKind::Walk => "Walk",
        SessionKind::CalfRaises => "Calf raises",
        SessionKind::AnklePumps => "Ankle pumps",
        SessionKind::LegElevation => "Leg elevation",
    }
}

fn show(cli: &Cli, update: &SessionUpdate) -> Result<()> {
    if cli.json {
        return print_json(update);
    }
    let p = &update.progress;
    let name = session_name(p.kind);
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
        // Under half a millilitre (finished at once) is nothing to tell.
        if let Some(change) = outcome.leg_volume_change_ml.filter(|c| *c <= -0.5) {
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
