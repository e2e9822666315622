//! `today`: a day's figures against the goals.

use anyhow::Result;
use chrono::Utc;
use second_heart_core::daily::DailySummary;
use second_heart_core::local_day::parse_date;
use second_heart_core::profile::Goals;

use crate::args::{Cli, DayArgs};
use crate::commands::open_store;
use crate::output::{out, print_json, thousands};
use crate::time_input::zone_or_local;

/// Prints the figures of today, or of `--date`.
pub fn run(cli: &Cli, args: &DayArgs) -> Result<()> {
    let now = Utc::now();
    let mut store = open_store(cli)?;
    store.note_time_zone(zone_or_local(args.tz.as_deref())?, now)?;
    let date = match &args.date {
        Some(text) => parse_date(text)?,
        None => store.today(now)?,
    };
    let summary = store.daily_summary(date, now)?;
    if cli.json {
        return print_json(&summary);
    }
    out!("{}", describe(&summary, &store.profile()?.goals));
    Ok(())
}

fn tick(met: bool) -> &'static str {
    if met { "✓" } else { " " }
}

/// The day as a few lines, each goal ticked when met.
pub fn describe(s: &DailySummary, goals: &Goals) -> String {
    let mut lines = vec![format!(
        "{} ({})",
        s.date.format("%A %-d %B %Y"),
        s.time_zones.join(" → ")
    )];
    lines.push(format!(
        "  {} steps {:>7} / {}",
        tick(s.goals.steps),
        thousands(u64::from(s.steps)),
        thousands(u64::from(goals.steps))
    ));
    lines.push(format!(
        "  {} active {:>6} min / {} min at 100+ steps a minute",
        tick(s.goals.active_minutes),
        s.active_minutes,
        goals.active_minutes
    ));
    lines.push(format!(
        "  {} pumped {:>6.1} L / {:.0} L by the calves (pump model)",
        tick(s.goals.pumped_volume),
        s.pumped_litres,
        goals.pumped_litres
    ));
    lines.push(format!(
        "  {} sets {:>8} / {} calf-raise sets, {} ankle-pump sets",
        tick(s.goals.calf_raise_sets),
        s.calf_raise_sets,
        goals.calf_raise_sets,
        s.ankle_pump_sets
    ));
    lines.push(format!(
        "  {} sitting {:>5} min, {} breaks, {} stretches of 30+ min (longest {} min)",
        tick(s.goals.breaks),
        s.sitting_minutes,
        s.breaks,
        s.prolonged_sitting_bouts,
        s.longest_sitting_bout_min
    ));
    lines.push(format!(
        "  {} drinks {:>6} mL / {} mL",
        tick(s.goals.hydration),
        s.hydration_ml,
        goals.hydration_ml
    ));
    if s.compression_minutes > 0 {
        lines.push(format!(
            "    stockings {} h {} min",
            s.compression_minutes / 60,
            s.compression_minutes % 60
        ));
    }
    if s.sensor_minutes > 0 {
        lines.push(format!("    sensor recorded {} min", s.sensor_minutes));
    }
    lines.join("\n")
}
