//! The profile: body, health answers, goals and reminder settings.

use second_heart_core::app::{self, ClearedFields, ProfileChanges as CoreChanges};
use second_heart_core::profile::{CompressionCautions, Profile as CoreProfile};
use second_heart_core::pump::Sex;

use crate::sessions::CompressionAdvice;
use crate::{SecondHeartError, parse_clock_text};

/// Sex, for the pump model's body proportions.
#[uniffi::remote(Enum)]
pub enum Sex {
    /// Female.
    Female,
    /// Male.
    Male,
}

/// The health answers that gate compression advice (and leg elevation).
#[uniffi::remote(Record)]
pub struct CompressionCautions {
    /// Peripheral arterial disease.
    pub peripheral_arterial_disease: bool,
    /// Ankle-brachial index, if measured.
    pub ankle_brachial_index: Option<f64>,
    /// Severe neuropathy.
    pub severe_neuropathy: bool,
    /// Fragile skin or dermatitis.
    pub fragile_skin_or_dermatitis: bool,
    /// Decompensated heart failure.
    pub decompensated_heart_failure: bool,
}

/// The user's profile.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Profile {
    /// Height, cm.
    pub height_cm: f64,
    /// Weight, kg.
    pub weight_kg: Option<f64>,
    /// Sex.
    pub sex: Sex,
    /// Year of birth.
    pub birth_year: Option<i32>,
    /// Health answers.
    pub cautions: CompressionCautions,
    /// Daily steps goal.
    pub steps_goal: u32,
    /// Daily active-minutes goal.
    pub active_minutes_goal: u32,
    /// Daily calf-raise sets goal.
    pub calf_raise_sets_goal: u32,
    /// Daily litres-pumped goal.
    pub pumped_litres_goal: f64,
    /// Daily drinks goal, mL.
    pub hydration_goal_ml: u32,
    /// Breaks an hour of sitting.
    pub breaks_per_sitting_hour: f64,
    /// Break reminders on.
    pub reminders_enabled: bool,
    /// Minutes still before a reminder.
    pub remind_after_min: u32,
    /// Quiet hours from, `HH:MM`.
    pub quiet_from: String,
    /// Quiet hours until, `HH:MM`.
    pub quiet_until: String,
}

impl From<CoreProfile> for Profile {
    fn from(p: CoreProfile) -> Self {
        Self {
            height_cm: p.height_cm,
            weight_kg: p.weight_kg,
            sex: p.sex,
            birth_year: p.birth_year,
            cautions: p.compression_cautions,
            steps_goal: p.goals.steps,
            active_minutes_goal: p.goals.active_minutes,
            calf_raise_sets_goal: p.goals.calf_raise_sets,
            pumped_litres_goal: p.goals.pumped_litres,
            hydration_goal_ml: p.goals.hydration_ml,
            breaks_per_sitting_hour: p.goals.breaks_per_sitting_hour,
            reminders_enabled: p.reminders.enabled,
            remind_after_min: p.reminders.interval_min,
            quiet_from: p.reminders.quiet_from.format("%H:%M").to_string(),
            quiet_until: p.reminders.quiet_until.format("%H:%M").to_string(),
        }
    }
}

/// Changes to the profile; what is left out stays.
#[derive(Debug, Clone, PartialEq, Default, uniffi::Record)]
pub struct ProfileChanges {
    /// Height, cm.
    #[uniffi(default = None)]
    pub height_cm: Option<f64>,
    /// Weight, kg.
    #[uniffi(default = None)]
    pub weight_kg: Option<f64>,
    /// Sex.
    #[uniffi(default = None)]
    pub sex: Option<Sex>,
    /// Year of birth.
    #[uniffi(default = None)]
    pub birth_year: Option<i32>,
    /// Daily steps goal.
    #[uniffi(default = None)]
    pub steps_goal: Option<u32>,
    /// Daily active-minutes goal.
    #[uniffi(default = None)]
    pub active_minutes_goal: Option<u32>,
    /// Daily calf-raise sets goal.
    #[uniffi(default = None)]
    pub calf_raise_sets_goal: Option<u32>,
    /// Daily litres-pumped goal.
    #[uniffi(default = None)]
    pub pumped_litres_goal: Option<f64>,
    /// Daily drinks goal, mL.
    #[uniffi(default = None)]
    pub hydration_goal_ml: Option<u32>,
    /// Breaks an hour of sitting.
    #[uniffi(default = None)]
    pub breaks_per_sitting_hour: Option<f64>,
    /// Reminders on or off.
    #[uniffi(default = None)]
    pub reminders_enabled: Option<bool>,
    /// Minutes still before a reminder.
    #[uniffi(default = None)]
    pub remind_after_min: Option<u32>,
    /// Quiet hours from, `HH:MM`.
    #[uniffi(default = None)]
    pub quiet_from: Option<String>,
    /// Quiet hours until, `HH:MM`.
    #[uniffi(default = None)]
    pub quiet_until: Option<String>,
    /// Health answers, replaced whole when given (an index left out is
    /// taken away).
    #[uniffi(default = None)]
    pub cautions: Option<CompressionCautions>,
    /// Takes the weight away (its field emptied); a weight given wins.
    #[uniffi(default = false)]
    pub clear_weight: bool,
    /// Takes the year of birth away (its field emptied); a year given wins.
    #[uniffi(default = false)]
    pub clear_birth_year: bool,
}

impl TryFrom<ProfileChanges> for CoreChanges {
    type Error = SecondHeartError;

    fn try_from(c: ProfileChanges) -> Result<Self, SecondHeartError> {
        let cautions = c.cautions;
        Ok(Self {
            height_cm: c.height_cm,
            weight_kg: c.weight_kg,
            sex: c.sex,
            birth_year: c.birth_year,
            steps_goal: c.steps_goal,
            active_minutes_goal: c.active_minutes_goal,
            calf_raise_sets_goal: c.calf_raise_sets_goal,
            pumped_litres_goal: c.pumped_litres_goal,
            hydration_goal_ml: c.hydration_goal_ml,
            breaks_per_sitting_hour: c.breaks_per_sitting_hour,
            reminders_enabled: c.reminders_enabled,
            remind_after_min: c.remind_after_min,
            quiet_from: c
                .quiet_from
                .as_deref()
                .map(|t| parse_clock_text("quiet hours start", t))
                .transpose()?,
            quiet_until: c
                .quiet_until
                .as_deref()
                .map(|t| parse_clock_text("quiet hours end", t))
                .transpose()?,
            peripheral_arterial_disease: cautions.map(|c| c.peripheral_arterial_disease),
            ankle_brachial_index: cautions.and_then(|c| c.ankle_brachial_index),
            severe_neuropathy: cautions.map(|c| c.severe_neuropathy),
            fragile_skin_or_dermatitis: cautions.map(|c| c.fragile_skin_or_dermatitis),
            decompensated_heart_failure: cautions.map(|c| c.decompensated_heart_failure),
            cleared: ClearedFields {
                weight: c.clear_weight,
                birth_year: c.clear_birth_year,
                ankle_brachial_index: cautions.is_some_and(|c| c.ankle_brachial_index.is_none()),
            },
        })
    }
}

/// The profile.
#[derive(Debug, uniffi::Object)]
pub struct ProfileService(pub(crate) app::ProfileService);

#[uniffi::export]
impl ProfileService {
    /// The profile (defaults until changed).
    pub fn get(&self) -> Result<Profile, SecondHeartError> {
        Ok(self.0.get()?.into())
    }

    /// What the app may say about compression stockings for this user
    /// (the Settings screen's banner): `Suitable`, or `SeeDoctorFirst` with
    /// each reason in words.
    pub fn compression_advice(&self) -> Result<CompressionAdvice, SecondHeartError> {
        Ok(self.0.compression_advice()?.into())
    }

    /// Applies `changes`, checks and saves; returns the profile.
    pub fn update(&self, changes: ProfileChanges) -> Result<Profile, SecondHeartError> {
        Ok(self.0.update(&changes.try_into()?)?.into())
    }
}
