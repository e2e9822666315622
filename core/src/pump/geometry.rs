//! The person, and where their leg veins sit relative to the heart.

use serde::{Deserialize, Serialize};

use super::inputs::Posture;

/// Sex, for the default body proportions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// Female proportions.
    Female,
    /// Male proportions.
    #[default]
    Male,
}

/// Whose legs are modelled.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Person {
    /// Standing height, cm (120–220).
    pub height_cm: f64,
    /// Sex.
    pub sex: Sex,
    /// Lower-leg (knee to ankle) volume of one leg, mL, if measured.
    pub lower_leg_volume_ml: Option<f64>,
}

impl Default for Person {
    fn default() -> Self {
        Self {
            height_cm: 175.0,
            sex: Sex::Male,
            lower_leg_volume_ml: None,
        }
    }
}

/// Vertical depth below the right atrium of each place on the leg, cm
/// (negative: above the heart).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Depths {
    /// Mid-calf, where the calf compartments sit.
    pub calf: f64,
    /// The ankle, where ankle venous pressure is measured.
    pub ankle: f64,
    /// Mid-thigh.
    pub thigh: f64,
}

/// Segment lengths as fractions of standing height (Drillis & Contini 1966;
/// Winter, *Biomechanics and Motor Control of Human Movement*, 4th ed., 2009,
/// table 4.1): heart (right atrium) at 0.72 H above the floor standing, hip
/// 0.53 H, knee 0.285 H, mid-calf 0.18 H, ankle 0.039 H.
const RA_STANDING: f64 = 0.70;
const HIP: f64 = 0.53;
const KNEE: f64 = 0.285;
const MID_CALF: f64 = 0.18;
const MID_THIGH: f64 = 0.41;
const ANKLE: f64 = 0.039;
/// Right atrium above the seat when sitting upright (0.72 − 0.53 + ~0.02 for
/// the pelvis settling on the seat).
const RA_ABOVE_SEAT: f64 = 0.19;
/// Leg veins lie about 3 cm below the right atrium when lying supine.
const SUPINE_OFFSET_CM: f64 = 3.0;

impl Person {
    /// Checks the values a user gave.
    pub fn validate(&self) -> crate::Result<()> {
        if !(120.0..=220.0).contains(&self.height_cm) {
            return Err(crate::Error::invalid(
                "height",
                format!(
                    "the model covers adults of 120 to 220 cm (got {} cm)",
                    self.height_cm
                ),
            ));
        }
        if let Some(v) = self.lower_leg_volume_ml
            && !(1000.0..=8000.0).contains(&v)
        {
            return Err(crate::Error::invalid(
                "lower-leg volume",
                format!("expected 1,000 to 8,000 mL (got {v})"),
            ));
        }
        Ok(())
    }

    /// Lower-leg volume of one leg, mL: measured, or about 2.6 L at 175 cm,
    /// scaling with height cubed (women about 8 % less).
    pub fn lower_leg_volume(&self) -> f64 {
        self.lower_leg_volume_ml.unwrap_or_else(|| {
            let scale = (self.height_cm / 175.0).powi(3);
            let sex = if self.sex == Sex::Female { 0.92 } else { 1.0 };
            2600.0 * scale * sex
        })
    }

    /// Body-size factor for vein volumes and compliances (1 at 175 cm).
    pub fn size(&self) -> f64 {
        self.lower_leg_volume() / 2600.0
    }

    /// Where the leg sits relative to the heart in `posture`.
    pub fn depths(&self, posture: Posture) -> Depths {
        let h = self.height_cm;
        match posture {
            Posture::Standing => Depths {
                calf: (RA_STANDING - MID_CALF) * h,
                ankle: (RA_STANDING - ANKLE) * h,
                thigh: (RA_STANDING - MID_THIGH) * h,
            },
            Posture::Sitting => {
                let seat = RA_ABOVE_SEAT * h;
                Depths {
                    calf: seat + (KNEE - MID_CALF) * h,
                    ankle: seat + (KNEE - ANKLE) * h,
                    thigh: seat,
                }
            }
            Posture::Supine => Depths {
                calf: SUPINE_OFFSET_CM,
                ankle: SUPINE_OFFSET_CM,
                thigh: SUPINE_OFFSET_CM,
            },
            Posture::LegsRaised { angle_deg } => {
                let lift = angle_deg.clamp(0.0, 90.0).to_radians().sin();
                let along = |height_above_floor: f64| (HIP - height_above_floor) * h;
                Depths {
                    calf: SUPINE_OFFSET_CM - along(MID_CALF) * lift,
                    ankle: SUPINE_OFFSET_CM - along(ANKLE) * lift,
                    thigh: SUPINE_OFFSET_CM - along(MID_THIGH) * lift,
                }
            }
            Posture::SemiRecumbent { trunk_deg } => {
                // Legs flat on the bed, trunk raised: the heart rises above the hip.
                let rise = (RA_STANDING - HIP) * h * trunk_deg.clamp(0.0, 90.0).to_radians().sin();
                Depths {
                    calf: SUPINE_OFFSET_CM + rise,
                    ankle: SUPINE_OFFSET_CM + rise,
                    thigh: SUPINE_OFFSET_CM + rise,
                }
            }
        }
    }
}
