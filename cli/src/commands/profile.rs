//! `profile` and `delete-all`.

use anyhow::{Context, Result};
use second_heart_core::app::{ClearedFields, ProfileChanges};
use second_heart_core::pump::Sex;

use crate::args::Cli;
use crate::args::profile::{ClearArg, DeleteAllArgs, ProfileCommand, ProfileSet, SexArg};
use crate::commands::clock::open_app;
use crate::output::{out, print_json};

/// Shows or changes the profile.
pub fn run(cli: &Cli, command: &ProfileCommand) -> Result<()> {
    let profile = match command {
        ProfileCommand::Show(clock) => open_app(cli, clock)?.profile().get()?,
        ProfileCommand::Set(set) => open_app(cli, &set.clock)?.profile().update(&changes(set))?,
    };
    if cli.json {
        print_json(&profile)
    } else {
        out!("{}", serde_json::to_string_pretty(&profile)?);
        Ok(())
    }
}

fn changes(set: &ProfileSet) -> ProfileChanges {
    ProfileChanges {
        height_cm: set.height_cm,
        weight_kg: set.weight_kg,
        birth_year: set.birth_year,
        sex: set.sex.map(|sex| match sex {
            SexArg::Female => Sex::Female,
            SexArg::Male => Sex::Male,
        }),
        steps_goal: set.steps_goal,
        active_minutes_goal: set.active_minutes_goal,
        calf_raise_sets_goal: set.sets_goal,
        pumped_litres_goal: set.pumped_litres_goal,
        hydration_goal_ml: set.hydration_goal_ml,
        breaks_per_sitting_hour: set.breaks_per_hour,
        reminders_enabled: set.reminders,
        remind_after_min: set.remind_after_min,
        quiet_from: set.quiet_from,
        quiet_until: set.quiet_until,
        peripheral_arterial_disease: set.arterial_disease,
        ankle_brachial_index: set.abi,
        severe_neuropathy: set.neuropathy,
        fragile_skin_or_dermatitis: set.fragile_skin,
        decompensated_heart_failure: set.heart_failure,
        cleared: ClearedFields {
            weight: set.clear.contains(&ClearArg::Weight),
            birth_year: set.clear.contains(&ClearArg::BirthYear),
            ankle_brachial_index: set.clear.contains(&ClearArg::Abi),
        },
    }
}

/// Deletes everything, once confirmed with `--yes`.
pub fn delete_all(cli: &Cli, args: &DeleteAllArgs) -> Result<()> {
    let deleted = open_app(cli, &args.clock)?.data().delete_all(args.yes);
    if args.yes {
        deleted?;
    } else {
        deleted.context(
            "this deletes every walk, session, sensor record and your profile; add --yes to confirm",
        )?;
    }
    if cli.json {
        print_json(&serde_json::json!({"deleted": true}))
    } else {
        out!("Everything is deleted.");
        Ok(())
    }
}
