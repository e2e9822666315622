//! The user's profile: body, health answers, goals and reminder settings.

use chrono::{Datelike, NaiveTime};

use super::SecondHeart;
use crate::compression::{CompressionAdvice, compression_advice};
use crate::profile::Profile;
use crate::pump::Sex;
use crate::{Error, Result};

/// The optional figures of a profile a change takes away (a field emptied):
/// `None` in a change means "as it is", so taking one away is said here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClearedFields {
    /// Weight.
    pub weight: bool,
    /// Year of birth.
    pub birth_year: bool,
    /// Ankle-brachial index.
    pub ankle_brachial_index: bool,
}

/// Changes to the profile; what is `None` stays as it is, and what
/// `cleared` names is taken away (a value given for it wins).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ProfileChanges {
    /// Height, cm.
    pub height_cm: Option<f64>,
    /// Weight, kg.
    pub weight_kg: Option<f64>,
    /// Sex (for the pump model's leg size).
    pub sex: Option<Sex>,
    /// Year of birth.
    pub birth_year: Option<i32>,
    /// Daily steps goal.
    pub steps_goal: Option<u32>,
    /// Daily active-minutes goal.
    pub active_minutes_goal: Option<u32>,
    /// Daily calf-raise sets goal.
    pub calf_raise_sets_goal: Option<u32>,
    /// Daily litres-pumped goal.
    pub pumped_litres_goal: Option<f64>,
    /// Daily drinks goal, mL.
    pub hydration_goal_ml: Option<u32>,
    /// Breaks an hour of sitting.
    pub breaks_per_sitting_hour: Option<f64>,
    /// Break reminders on or off.
    pub reminders_enabled: Option<bool>,
    /// Minutes of stillness before a reminder.
    pub remind_after_min: Option<u32>,
    /// Quiet hours start (local time).
    pub quiet_from: Option<NaiveTime>,
    /// Quiet hours end (local time).
    pub quiet_until: Option<NaiveTime>,
    /// Peripheral arterial disease (compression gate).
    pub peripheral_arterial_disease: Option<bool>,
    /// Ankle-brachial index, if measured (compression gate).
    pub ankle_brachial_index: Option<f64>,
    /// Severe neuropathy (compression gate).
    pub severe_neuropathy: Option<bool>,
    /// Fragile skin or dermatitis (compression gate).
    pub fragile_skin_or_dermatitis: Option<bool>,
    /// Decompensated heart failure (compression and elevation gates).
    pub decompensated_heart_failure: Option<bool>,
    /// The optional figures taken away.
    pub cleared: ClearedFields,
}

impl ProfileChanges {
    /// `profile` with these changes.
    pub fn apply(&self, mut profile: Profile) -> Profile {
        fn set<T: Copy>(field: &mut T, value: Option<T>) {
            if let Some(value) = value {
                *field = value;
            }
        }
        // A figure taken away, unless given again in the same change.
        fn kept<T>(cleared: bool, value: Option<T>) -> Option<T> {
            value.filter(|_| !cleared)
        }
        set(&mut profile.height_cm, self.height_cm);
        profile.weight_kg = self
            .weight_kg
            .or(kept(self.cleared.weight, profile.weight_kg));
        set(&mut profile.sex, self.sex);
        profile.birth_year = self
            .birth_year
            .or(kept(self.cleared.birth_year, profile.birth_year));
        let goals = &mut profile.goals;
        set(&mut goals.steps, self.steps_goal);
        set(&mut goals.active_minutes, self.active_minutes_goal);
        set(&mut goals.calf_raise_sets, self.calf_raise_sets_goal);
        set(&mut goals.pumped_litres, self.pumped_litres_goal);
        set(&mut goals.hydration_ml, self.hydration_goal_ml);
        set(
            &mut goals.breaks_per_sitting_hour,
            self.breaks_per_sitting_hour,
        );
        let reminders = &mut profile.reminders;
        set(&mut reminders.enabled, self.reminders_enabled);
        set(&mut reminders.interval_min, self.remind_after_min);
        set(&mut reminders.quiet_from, self.quiet_from);
        set(&mut reminders.quiet_until, self.quiet_until);
        let cautions = &mut profile.compression_cautions;
        set(
            &mut cautions.peripheral_arterial_disease,
            self.peripheral_arterial_disease,
        );
        cautions.ankle_brachial_index = self.ankle_brachial_index.or(kept(
            self.cleared.ankle_brachial_index,
            cautions.ankle_brachial_index,
        ));
        set(&mut cautions.severe_neuropathy, self.severe_neuropathy);
        set(
            &mut cautions.fragile_skin_or_dermatitis,
            self.fragile_skin_or_dermatitis,
        );
        set(
            &mut cautions.decompensated_heart_failure,
            self.decompensated_heart_failure,
        );
        profile
    }
}

/// The profile.
#[derive(Debug, Clone)]
pub struct ProfileService {
    app: SecondHeart,
}

impl ProfileService {
    pub(super) fn new(app: SecondHeart) -> Self {
        Self { app }
    }

    /// The profile (defaults until the user changes them).
    pub fn get(&self) -> Result<Profile> {
        self.app.read(|store, _| store.profile())
    }

    /// What the app may say about compression stockings for this user:
    /// the contraindication gate every suggestion of them goes through
    /// (the Settings screen shows it as its banner).
    pub fn compression_advice(&self) -> Result<CompressionAdvice> {
        Ok(compression_advice(&self.get()?.compression_cautions))
    }

    /// Applies `changes`, checks the result and saves it; returns it.
    pub fn update(&self, changes: &ProfileChanges) -> Result<Profile> {
        self.app.write(|store, now| {
            let profile = changes.apply(store.profile()?);
            // A year not come yet is a typing slip (2062 for 1962), and its
            // negative age would drop a traveller's age from the flight's
            // risk check.
            // Only as given: one stored by an earlier version must not block
            // a change to the reminders or an answer.
            let this_year = now.at.with_timezone(&now.zone).year();
            if let Some(year) = changes.birth_year
                && year > this_year
            {
                return Err(Error::invalid(
                    "birth year",
                    format!("{year} has not come yet (it is {this_year})"),
                ));
            }
            store.save_profile(&profile)?;
            Ok(profile)
        })
    }
}
