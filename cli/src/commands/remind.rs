//! `remind next|shown|snooze|dismiss|done`.

use anyhow::{Context, Result};
use second_heart_core::reminder::ReminderResponse;

use crate::args::{Cli, RemindCommand};
use crate::commands::clock::open_at;
use crate::output::{out, print_json};

/// Break reminders.
pub fn run(cli: &Cli, command: &RemindCommand) -> Result<()> {
    let (clock, response) = match command {
        RemindCommand::Next(clock) => return next(cli, clock),
        RemindCommand::Shown(clock) => {
            let (mut store, _, at) = open_at(cli, clock)?;
            let reminder = store
                .next_reminder(at)?
                .context("no reminder is due: nothing to show")?;
            store.reminder_shown(reminder.exercise, at)?;
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
    let (mut store, _, at) = open_at(cli, clock)?;
    store.respond_to_reminder(response, at)?;
    next(cli, clock)
}

fn next(cli: &Cli, clock: &crate::args::Clock) -> Result<()> {
    let (store, zone, at) = open_at(cli, clock)?;
    let reminder = store.next_reminder(at)?;
    if cli.json {
        return print_json(&reminder);
    }
    match reminder {
        Some(r) => {
            let local = r.due_at.with_timezone(&zone);
            out!(
                "Next reminder at {} ({zone}):",
                local.format("%H:%M on %a %-d %b")
            );
            out!("  {}\n  {}", r.title, r.body);
        }
        None => out!(
            "No reminder scheduled (a session is running, reminders are off, or they wait for your next move)."
        ),
    }
    Ok(())
}
