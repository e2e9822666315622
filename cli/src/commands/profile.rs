//! `profile` and `delete-all`.

use anyhow::{Result, bail};

use crate::args::{Cli, ProfileCommand};
use crate::commands::open_store;
use crate::output::{out, print_json};

/// Shows or changes the profile.
pub fn run(cli: &Cli, command: &ProfileCommand) -> Result<()> {
    let mut store = open_store(cli)?;
    let mut profile = store.profile()?;
    if let ProfileCommand::Set(set) = command {
        let c = &mut profile.compression_cautions;
        profile.height_cm = set.height_cm.unwrap_or(profile.height_cm);
        profile.weight_kg = set.weight_kg.or(profile.weight_kg);
        profile.birth_year = set.birth_year.or(profile.birth_year);
        profile.goals.steps = set.steps_goal.unwrap_or(profile.goals.steps);
        profile.goals.hydration_ml = set.hydration_goal_ml.unwrap_or(profile.goals.hydration_ml);
        profile.reminders.interval_min = set
            .remind_after_min
            .unwrap_or(profile.reminders.interval_min);
        c.peripheral_arterial_disease = set
            .arterial_disease
            .unwrap_or(c.peripheral_arterial_disease);
        c.ankle_brachial_index = set.abi.or(c.ankle_brachial_index);
        c.severe_neuropathy = set.neuropathy.unwrap_or(c.severe_neuropathy);
        c.fragile_skin_or_dermatitis = set.fragile_skin.unwrap_or(c.fragile_skin_or_dermatitis);
        c.decompensated_heart_failure = set.heart_failure.unwrap_or(c.decompensated_heart_failure);
        store.save_profile(&profile)?;
    }
    if cli.json {
        print_json(&profile)
    } else {
        out!("{}", serde_json::to_string_pretty(&profile)?);
        Ok(())
    }
}

/// Deletes everything, once confirmed.
pub fn delete_all(cli: &Cli, yes: bool) -> Result<()> {
    if !yes {
        bail!(
            "this deletes every walk, session, sensor record and your profile; add --yes to confirm"
        );
    }
    let mut store = open_store(cli)?;
    store.delete_all()?;
    if cli.json {
        print_json(&serde_json::json!({"deleted": true}))
    } else {
        out!("Everything is deleted.");
        Ok(())
    }
}
