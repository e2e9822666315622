//! `remind next|upcoming|shown|snooze|dismiss|done`.

use anyhow::{Context, Result};
use chrono_tz::Tz;
use second_heart_core::reminder::{Reminder, ReminderResponse};

use crate::args::Cli;
use crate::args::remind::RemindCommand;
use crate::commands::clock::open_app;
use crate::output::{out, print_json};

/// Break reminders.
pub fn run(cli: &Cli, command: &RemindCommand) -> Result<()> {
    let (clock, response) = match command {
        RemindCommand::Next(clock) => {
            let app = open_app(cli, clock)?;
            return show_next(cli, app.reminders().next()?, app.now()?.zone);
        }
        RemindCommand::Upcoming { count, clock } => {
            let app = open_app(cli, clock)?;
            return upcoming(cli, &app.reminders().upcoming(*count)?, app.now()?.zone);
        }
        RemindCommand::Shown(clock) => {
            let reminder = open_app(cli, clock)?
                .reminders()
                .shown()?
                .context("no reminder is due: nothing to show")?;
            return if cli.json {
                print_json(&reminder)
            } else {
                out!("{}\n{}", reminder.title, reminder.body);
                Ok(())
            };
        }
        RemindCommand::Snooze(clock) => (clock, ReminderResponse::Snoozed),
        RemindCommand::Dismiss(clock) => (clock, ReminderResponse::Dismissed),
        RemindCommand::Done(clock) => (clock, ReminderResponse::Done),
    };
    let app = open_app(cli, clock)?;
    let next = app.reminders().respond(response)?;
    show_next(cli, next, app.now()?.zone)
}

fn show_next(cli: &Cli, reminder: Option<Reminder>, zone: Tz) -> Result<()> {
    if cli.json {
        return print_json(&reminder);
    }
    match reminder {
        Some(r) => {
            out!("Next reminder at {} ({zone}):", due(&r, zone));
            out!("  {}\n  {}", r.title, r.body);
        }
        None => out!("No reminder scheduled (reminders are off, or they wait for your next move)."),
    }
    Ok(())
}

fn upcoming(cli: &Cli, reminders: &[Reminder], zone: Tz) -> Result<()> {
    if cli.json {
        return print_json(&reminders);
    }
    if reminders.is_empty() {
        out!("No reminders to come until you move again (or reminders are off).");
    }
    for r in reminders {
        out!("{} ({zone}): {}", due(r, zone), r.title);
    }
    Ok(())
}

/// "09:45 on Sat 21 Nov" in `zone`.
fn due(reminder: &Reminder, zone: Tz) -> String {
    reminder
        .due_at
        .with_timezone(&zone)
        .format("%H:%M on %a %-d %b")
        .to_string()
}
