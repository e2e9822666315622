//! `today`: the Today screen in a terminal.

use anyhow::Result;
use chrono_tz::Tz;
use second_heart_core::app::{Ring, RingKind, TodayView};
use second_heart_core::local_day::parse_date;
use second_heart_core::session::SessionState;

use crate::args::Cli;
use crate::args::clock::DayArgs;
use crate::commands::clock::open_app;
use crate::commands::sessions::session_name;
use crate::output::{duration, out, print_json, thousands};

/// Prints today (at `--at` in `--tz`), or the figures of `--date`.
pub fn run(cli: &Cli, args: &DayArgs) -> Result<()> {
    let app = open_app(cli, &args.clock)?;
    let today = app.today();
    let view = match &args.date {
        Some(text) => today.on(parse_date(text)?)?,
        None => today.view()?,
    };
    if cli.json {
        return print_json(&view);
    }
    out!("{}", describe(&view, app.now()?.zone));
    Ok(())
}

fn tick(ring: &Ring) -> &'static str {
    if ring.met { "✓" } else { " " }
}

/// `l` litres as the apps write them: whole from 10 L, else to a tenth
/// ("2.5", "50").
fn litres(l: f64) -> String {
    if l >= 10.0 {
        format!("{l:.0}")
    } else {
        format!("{l:.1}")
    }
}

/// One ring as a line: its value against its goal.
fn ring_line(ring: &Ring, view: &TodayView) -> String {
    let tick = tick(ring);
    match ring.kind {
        RingKind::Steps => format!(
            "  {tick} steps {:>7} / {}",
            thousands(ring.value as u64),
            thousands(ring.goal as u64)
        ),
        RingKind::ActiveMinutes => format!(
            "  {tick} active {:>6.0} min / {:.0} min at 100+ steps a minute",
            ring.value, ring.goal
        ),
        RingKind::PumpedLitres => format!(
            "  {tick} pumped {:>6.1} L / {} L by the calves (pump model)",
            ring.value,
            litres(ring.goal)
        ),
        RingKind::ExerciseSets => format!(
            "  {tick} sets {:>8.0} / {:.0} calf-raise sets, {} ankle-pump sets",
            ring.value, ring.goal, view.summary.ankle_pump_sets
        ),
        RingKind::Hydration => format!(
            "  {tick} drinks {:>6.0} mL / {:.0} mL",
            ring.value, ring.goal
        ),
    }
}

/// The view as a few lines: each ring ticked when its goal is met, then
/// sitting, what is running now, the next break and the sensors; times in
/// `zone`.
pub fn describe(view: &TodayView, zone: Tz) -> String {
    let mut lines = vec![format!(
        "{} ({})",
        view.date.format("%A %-d %B %Y"),
        view.time_zones.join(" → ")
    )];
    lines.extend(view.rings.iter().map(|ring| ring_line(ring, view)));
    let s = &view.sitting;
    let mut sitting = format!(
        "  {} sitting {:>5} min, {} breaks, {} stretches of 30+ min (longest {} min)",
        if s.breaks_goal_met { "✓" } else { " " },
        s.total_min,
        s.breaks,
        s.prolonged_stretches,
        s.longest_min
    );
    if let Some(stretch) = s.current_stretch_min {
        sitting += &format!("; still for {} now", duration(u64::from(stretch) * 60));
    }
    lines.push(sitting);
    let time = |at: chrono::DateTime<chrono::Utc>| at.with_timezone(&zone).format("%H:%M");
    if let Some(wear) = &view.compression {
        // On since an earlier day: which, and how to say when they came off.
        let (day, ask) = match view.compression_since_earlier_day {
            Some(day) => (
                format!(" on {}", day.format("%a %-d %b")),
                format!("; came off earlier? `wear off --at \"{day} HH:MM\"`"),
            ),
            None => (String::new(), String::new()),
        };
        lines.push(format!(
            "    stockings on since {}{day} ({} mmHg){ask}",
            time(wear.on),
            wear.mmhg
        ));
    } else if view.summary.compression_minutes > 0 {
        let minutes = view.summary.compression_minutes;
        lines.push(format!(
            "    stockings {} h {} min",
            minutes / 60,
            minutes % 60
        ));
    }
    if view.summary.sensor_minutes > 0 {
        lines.push(format!(
            "    sensor recorded {} min",
            view.summary.sensor_minutes
        ));
    }
    if let Some(p) = &view.session {
        lines.push(format!(
            "    now: {} ({}), {}",
            session_name(p.kind),
            p.state.key(),
            duration(p.active_seconds.round() as u64)
        ));
    }
    if let Some(item) = &view.flight_next {
        // The departure airport's clock, as the plan and both apps give it.
        let clock = item.departure_local.rsplit(' ').next().unwrap_or_default();
        lines.push(format!("    on the flight at {clock}: {}", item.text));
    }
    // While a walk or set is under way its next break is the one for a
    // Finish forgotten: not shown, as in both apps.
    let active = view
        .session
        .as_ref()
        .is_some_and(|p| p.state == SessionState::Active);
    if let Some(r) = view.next_break.as_ref().filter(|_| !active) {
        let day = r.due_at.with_timezone(&zone).date_naive();
        let when = match (day - view.date).num_days() {
            0 => String::new(),
            1 => " tomorrow".to_owned(),
            _ => format!(" on {}", day.format("%a %-d %b")),
        };
        lines.push(format!(
            "    next break {}{when}: {}",
            time(r.due_at),
            r.title
        ));
    }
    // The first counts walks and sets; with more than one, say so.
    let several = view.sensors.len() > 1;
    for (index, sensor) in view.sensors.iter().enumerate() {
        let synced = sensor.last_sync.map_or_else(
            || "never synced".to_owned(),
            |at| format!("synced {}", at.with_timezone(&zone).format("%-d %b %H:%M")),
        );
        let counting = match (several && index == 0, sensor.chosen_for_sessions) {
            (true, true) => ", counts walks and sets, as you chose",
            (true, false) => ", counts walks and sets",
            (false, _) => "",
        };
        lines.push(format!(
            "    sensor {} ({}): {synced}, {} records{counting}",
            sensor.serial,
            sensor.model,
            thousands(sensor.records)
        ));
    }
    lines.join("\n")
}
