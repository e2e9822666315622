//! The kinds of session, their targets, and the leg-elevation safety gate.

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// What the session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionKind {
    /// A walk.
    Walk,
    /// A set of calf raises (standing).
    CalfRaises,
    /// Ankle pumps (seated or lying).
    AnklePumps,
    /// Lying with the legs raised.
    LegElevation,
}

impl SessionKind {
    /// The name stored and shown.
    pub fn key(self) -> &'static str {
        match self {
            Self::Walk => "walk",
            Self::CalfRaises => "calf_raises",
            Self::AnklePumps => "ankle_pumps",
            Self::LegElevation => "leg_elevation",
        }
    }

    /// Whether it is an exercise set (calf raises, ankle pumps).
    pub fn is_set(self) -> bool {
        matches!(self, Self::CalfRaises | Self::AnklePumps)
    }

    /// Reads a stored name.
    pub fn from_key(key: &str) -> Result<Self> {
        Ok(match key {
            "walk" => Self::Walk,
            "calf_raises" => Self::CalfRaises,
            "ankle_pumps" => Self::AnklePumps,
            "leg_elevation" => Self::LegElevation,
            other => {
                return Err(Error::invalid(
                    "session kind",
                    format!("unknown kind {other:?}"),
                ));
            }
        })
    }

    /// The usual target: 20 calf raises with a 1 s hold; 30 ankle pumps at
    /// 30 a minute; 15 minutes of leg elevation at 30°; walks have none.
    pub fn default_target(self) -> Target {
        match self {
            Self::Walk => Target::default(),
            Self::CalfRaises => Target {
                reps: Some(20),
                hold_s: Some(1.0),
                ..Target::default()
            },
            Self::AnklePumps => Target {
                reps: Some(30),
                rate_per_min: Some(30.0),
                ..Target::default()
            },
            Self::LegElevation => Target {
                minutes: Some(15),
                angle_deg: Some(30.0),
                ..Target::default()
            },
        }
    }
}

/// What the user aims for.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Target {
    /// Repetitions (calf raises, ankle pumps).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reps: Option<u32>,
    /// Hold at the top of each calf raise, s.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hold_s: Option<f64>,
    /// Pace, repetitions a minute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_per_min: Option<f64>,
    /// Duration, minutes (leg elevation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minutes: Option<u32>,
    /// Leg angle, degrees (leg elevation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub angle_deg: Option<f64>,
}

impl Target {
    /// Checks the ranges for `kind`.
    pub fn validate(&self, kind: SessionKind) -> Result<()> {
        if let Some(reps) = self.reps
            && !(1..=200).contains(&reps)
        {
            return Err(Error::invalid(
                "target repetitions",
                format!("1–200 (got {reps})"),
            ));
        }
        if let Some(hold) = self.hold_s
            && !(0.0..=10.0).contains(&hold)
        {
            return Err(Error::invalid(
                "target hold",
                format!("0–10 s (got {hold})"),
            ));
        }
        if let Some(rate) = self.rate_per_min
            && !(5.0..=90.0).contains(&rate)
        {
            return Err(Error::invalid(
                "target pace",
                format!("5–90 a minute (got {rate})"),
            ));
        }
        if let Some(minutes) = self.minutes
            && !(1..=60).contains(&minutes)
        {
            return Err(Error::invalid(
                "target duration",
                format!("1–60 minutes (got {minutes})"),
            ));
        }
        if let Some(angle) = self.angle_deg
            && !(10.0..=60.0).contains(&angle)
        {
            return Err(Error::invalid("leg angle", format!("10–60° (got {angle})")));
        }
        if kind == SessionKind::LegElevation && self.minutes.is_none() {
            return Err(Error::invalid(
                "target duration",
                "leg elevation needs a duration",
            ));
        }
        Ok(())
    }
}

/// The questions asked before leg elevation. Raising the legs is for rest
/// and swelling; it is not first aid for an injured leg or for shock, and it
/// is stopped if it hurts (sources in docs/companion.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ElevationCheck {
    /// A leg injury (fracture, sprain, wound) in the last weeks.
    pub recent_leg_injury: bool,
    /// Pain in a leg right now.
    pub leg_pain_now: bool,
    /// Feeling faint, confused or unwell (possible shock: call for help).
    pub feeling_faint_or_unwell: bool,
    /// Short of breath lying flat (heart failure: ask a doctor first).
    pub breathless_lying_flat: bool,
}

impl ElevationCheck {
    /// Refuses with the reason and what to do instead, if anything is ticked.
    pub fn gate(&self, decompensated_heart_failure: bool) -> Result<()> {
        let refusal = if self.feeling_faint_or_unwell {
            Some(
                "you said you feel faint or unwell: sit or lie down safely and call for medical help; leg elevation is not a treatment for that",
            )
        } else if self.recent_leg_injury {
            Some(
                "after a leg injury, follow the advice of whoever treats it rather than this exercise",
            )
        } else if self.leg_pain_now {
            Some(
                "a painful leg needs a doctor's look first, especially if it is also swollen, warm or red",
            )
        } else if self.breathless_lying_flat || decompensated_heart_failure {
            Some(
                "raising the legs sends blood to the heart; with breathlessness lying flat or heart failure, ask your doctor first",
            )
        } else {
            None
        };
        match refusal {
            Some(reason) => Err(Error::NotSafe(reason.to_owned())),
            None => Ok(()),
        }
    }
}
