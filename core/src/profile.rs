//! Who the user is: body, health flags that gate advice, goals and reminder
//! settings. Stored as one row; every field has a sensible default so a new
//! user can start at once.

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};

use crate::pump::{Person, Sex};
use crate::{Error, Result};

/// The user's profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Profile {
    /// Standing height, cm.
    pub height_cm: f64,
    /// Body mass, kg, when the user gave it (for BMI in the flight check).
    pub weight_kg: Option<f64>,
    /// Sex, for body proportions.
    pub sex: Sex,
    /// Year of birth, when given (for age in the flight check).
    pub birth_year: Option<i32>,
    /// Conditions that rule out compression without a doctor's advice.
    pub compression_cautions: CompressionCautions,
    /// Daily goals.
    pub goals: Goals,
    /// Break reminders.
    pub reminders: ReminderSettings,
}

impl Default for Profile {
    fn default() -> Self {
        Self {
            height_cm: 170.0,
            weight_kg: None,
            sex: Sex::Female,
            birth_year: None,
            compression_cautions: CompressionCautions::default(),
            goals: Goals::default(),
            reminders: ReminderSettings::default(),
        }
    }
}

impl Profile {
    /// Checks every field's range.
    pub fn validate(&self) -> Result<()> {
        self.person().validate()?;
        if let Some(weight) = self.weight_kg
            && !(25.0..=350.0).contains(&weight)
        {
            return Err(Error::invalid(
                "weight",
                format!("between 25 and 350 kg (got {weight})"),
            ));
        }
        if let Some(year) = self.birth_year
            && !(1900..=2100).contains(&year)
        {
            return Err(Error::invalid(
                "birth year",
                format!("a year like 1970 (got {year})"),
            ));
        }
        if let Some(abi) = self.compression_cautions.ankle_brachial_index
            && !(0.1..=2.0).contains(&abi)
        {
            return Err(Error::invalid(
                "ankle-brachial index",
                format!("between 0.1 and 2.0 (got {abi})"),
            ));
        }
        self.goals.validate()?;
        self.reminders.validate()
    }

    /// The legs the pump model simulates.
    pub fn person(&self) -> Person {
        Person {
            height_cm: self.height_cm,
            sex: self.sex,
            lower_leg_volume_ml: None,
        }
    }

    /// Body-mass index, when weight is known.
    pub fn bmi(&self) -> Option<f64> {
        let metres = self.height_cm / 100.0;
        self.weight_kg.map(|kg| kg / (metres * metres))
    }

    /// Age in `year`, when the birth year is known.
    pub fn age_in(&self, year: i32) -> Option<i32> {
        self.birth_year.map(|born| year - born)
    }
}

/// Conditions under which compression garments need a doctor first
/// (Rabe et al., Phlebology 2020;35:447; sources in docs/companion.md).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CompressionCautions {
    /// Peripheral arterial disease.
    pub peripheral_arterial_disease: bool,
    /// Ankle–brachial index, when measured.
    pub ankle_brachial_index: Option<f64>,
    /// Severe peripheral neuropathy (numb feet).
    pub severe_neuropathy: bool,
    /// Fragile skin or dermatitis on the legs.
    pub fragile_skin_or_dermatitis: bool,
    /// Heart failure that is not under control.
    pub decompensated_heart_failure: bool,
}

/// What a good day looks like.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Goals {
    /// Steps.
    pub steps: u32,
    /// Minutes at a brisk cadence (100 steps/min or more).
    pub active_minutes: u32,
    /// Breaks per hour spent sitting.
    pub breaks_per_sitting_hour: f64,
    /// Calf-raise sets.
    pub calf_raise_sets: u32,
    /// Blood pumped by the calves, litres.
    pub pumped_litres: f64,
    /// Drinks, mL.
    pub hydration_ml: u32,
}

impl Default for Goals {
    fn default() -> Self {
        Self {
            steps: 7_000,
            active_minutes: 30,
            breaks_per_sitting_hour: 1.0,
            calf_raise_sets: 3,
            // About what the steps goal pumps in the model at steady
            // walking (docs/companion.md, default goals).
            pumped_litres: 50.0,
            hydration_ml: 2_000,
        }
    }
}

impl Goals {
    fn validate(&self) -> Result<()> {
        let checks: [(&'static str, bool, String); 6] = [
            (
                "steps goal",
                self.steps <= 100_000,
                format!("at most 100,000 (got {})", self.steps),
            ),
            (
                "active minutes goal",
                self.active_minutes <= 1_440,
                format!("at most 1,440 (got {})", self.active_minutes),
            ),
            (
                "breaks goal",
                (0.0..=12.0).contains(&self.breaks_per_sitting_hour),
                format!("0–12 an hour (got {})", self.breaks_per_sitting_hour),
            ),
            (
                "calf-raise sets goal",
                self.calf_raise_sets <= 50,
                format!("at most 50 (got {})", self.calf_raise_sets),
            ),
            (
                "pumped volume goal",
                (0.0..=2_000.0).contains(&self.pumped_litres),
                format!("0–2,000 L (got {})", self.pumped_litres),
            ),
            (
                "hydration goal",
                self.hydration_ml <= 10_000,
                format!("at most 10,000 mL (got {})", self.hydration_ml),
            ),
        ];
        match checks.into_iter().find(|(_, ok, _)| !ok) {
            Some((field, _, reason)) => Err(Error::invalid(field, reason)),
            None => Ok(()),
        }
    }
}

/// How break reminders behave.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReminderSettings {
    /// Whether reminders are on.
    pub enabled: bool,
    /// Minutes without pump activity before the first reminder (15–180).
    pub interval_min: u32,
    /// Minutes between follow-ups when a reminder is not acted on.
    pub follow_up_min: u32,
    /// Follow-ups before the app falls silent until the next activity (or,
    /// on the ground, the next morning: the night resets the count).
    pub max_follow_ups: u32,
    /// Minutes a snooze lasts.
    pub snooze_min: u32,
    /// No reminders from this local time…
    pub quiet_from: NaiveTime,
    /// … until this one.
    pub quiet_until: NaiveTime,
}

impl Default for ReminderSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            interval_min: 45,
            follow_up_min: 15,
            max_follow_ups: 2,
            snooze_min: 10,
            quiet_from: NaiveTime::from_hms_opt(22, 0, 0).unwrap_or(NaiveTime::MIN),
            quiet_until: NaiveTime::from_hms_opt(7, 0, 0).unwrap_or(NaiveTime::MIN),
        }
    }
}

impl ReminderSettings {
    fn validate(&self) -> Result<()> {
        if !(15..=180).contains(&self.interval_min) {
            return Err(Error::invalid(
                "reminder interval",
                format!("15–180 minutes (got {})", self.interval_min),
            ));
        }
        if !(5..=120).contains(&self.follow_up_min) || !(1..=120).contains(&self.snooze_min) {
            return Err(Error::invalid(
                "reminder follow-up",
                "follow-ups every 5–120 minutes, snoozes of 1–120 minutes",
            ));
        }
        if self.max_follow_ups > 5 {
            return Err(Error::invalid(
                "reminder follow-ups",
                format!("at most 5 (got {})", self.max_follow_ups),
            ));
        }
        Ok(())
    }

    /// Whether local time `t` is inside the quiet hours (which may span
    /// midnight).
    pub fn is_quiet(&self, t: NaiveTime) -> bool {
        if self.quiet_from == self.quiet_until {
            false
        } else if self.quiet_from < self.quiet_until {
            t >= self.quiet_from && t < self.quiet_until
        } else {
            t >= self.quiet_from || t < self.quiet_until
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_profile_is_valid_and_json_round_trips() {
        let profile = Profile::default();
        profile.validate().expect("valid");
        let json = serde_json::to_string(&profile).expect("json");
        let back: Profile = serde_json::from_str(&json).expect("parse");
        assert_eq!(back, profile);
        // Missing fields take their defaults: old rows keep working.
        let partial: Profile = serde_json::from_str(r#"{"height_cm": 182}"#).expect("partial");
        assert_eq!(partial.goals, Goals::default());
    }

    #[test]
    fn out_of_range_values_are_typed_errors() {
        let profile = Profile {
            weight_kg: Some(3.0),
            ..Profile::default()
        };
        assert!(matches!(
            profile.validate(),
            Err(Error::InvalidInput {
                field: "weight",
                ..
            })
        ));
        let mut profile = Profile::default();
        profile.reminders.interval_min = 5;
        assert!(profile.validate().is_err());
    }

    #[test]
    fn quiet_hours_can_span_midnight() {
        let settings = ReminderSettings::default();
        let at = |h, m| NaiveTime::from_hms_opt(h, m, 0).expect("time");
        assert!(settings.is_quiet(at(23, 0)));
        assert!(settings.is_quiet(at(6, 59)));
        assert!(!settings.is_quiet(at(7, 0)));
        assert!(!settings.is_quiet(at(14, 0)));
    }

    #[test]
    fn bmi_and_age_need_their_inputs() {
        let mut profile = Profile::default();
        assert_eq!(profile.bmi(), None);
        profile.weight_kg = Some(86.7);
        assert!((profile.bmi().expect("bmi") - 30.0).abs() < 0.1);
        profile.birth_year = Some(1960);
        assert_eq!(profile.age_in(2026), Some(66));
    }
}
