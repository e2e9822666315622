//! Whether to suggest compression stockings: the contraindication gate every
//! compression suggestion in the app goes through (Rabe et al., "Risks and
//! contraindications of medical compression treatment", Phlebology
//! 2020;35:447; sources in docs/companion.md).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::profile::CompressionCautions;
use crate::{Error, Result};

/// The pressure classes accepted at the ankle, mmHg **(our choice)**: wide
/// enough for any garment sold, narrow enough to catch a typing error.
pub const CLASS_MMHG: std::ops::RangeInclusive<u32> = 8..=60;

/// A garment's pressure class at the ankle, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct CompressionClass(u32);

impl CompressionClass {
    /// Checks a class of `mmhg` at the ankle ([`CLASS_MMHG`]).
    pub fn new(mmhg: u32) -> Result<Self> {
        if !CLASS_MMHG.contains(&mmhg) {
            return Err(Error::invalid(
                "compression class",
                format!(
                    "{}–{} mmHg at the ankle (got {mmhg})",
                    CLASS_MMHG.start(),
                    CLASS_MMHG.end()
                ),
            ));
        }
        Ok(Self(mmhg))
    }

    /// The class, mmHg at the ankle.
    pub fn mmhg(self) -> u32 {
        self.0
    }
}

/// A garment as sold, by the pressure band printed on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct GarmentClass {
    /// The band as printed: "15–20 mmHg".
    pub label: &'static str,
    /// The ankle pressure recorded for it (the band's middle, rounded), which
    /// the day's figures and the pump model take.
    pub mmhg: u32,
    /// The band the apps offer first, until the user picks another: the
    /// travel class.
    pub suggested: bool,
}

/// The bands the apps offer when stockings go on **(our choice)**: light
/// support, the travel class (15–20 mmHg, suggested: the class travel
/// advice names; the pump model's 4-hour swelling row takes such a stocking
/// as 18 mmHg, docs/pump-model.md) and the two medical classes below
/// 40 mmHg. Any class in [`CLASS_MMHG`] can still be recorded by number.
pub const GARMENT_CLASSES: [GarmentClass; 4] = [
    GarmentClass {
        label: "8–15 mmHg (light support)",
        mmhg: 12,
        suggested: false,
    },
    GarmentClass {
        label: "15–20 mmHg",
        mmhg: 18,
        suggested: true,
    },
    GarmentClass {
        label: "20–30 mmHg",
        mmhg: 25,
        suggested: false,
    },
    GarmentClass {
        label: "30–40 mmHg",
        mmhg: 35,
        suggested: false,
    },
];

/// A stretch in compression garments.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Wear {
    /// On.
    pub on: DateTime<Utc>,
    /// Off; `None` while worn.
    pub off: Option<DateTime<Utc>>,
    /// Pressure class at the ankle, mmHg.
    pub mmhg: u32,
}

impl Wear {
    /// When the garments went on, on the clock of `zone` (the zone the user
    /// was in then): "08:00 on Sat 21 Nov 2026 (Europe/Berlin)".
    pub fn on_in(&self, zone: Tz) -> String {
        let on = self.on.with_timezone(&zone);
        format!(
            "{} on {} ({zone})",
            on.format("%H:%M"),
            on.format("%a %-d %b %Y")
        )
    }

    /// This stretch, taken off at `at`: after it was put on (`zone`, the
    /// zone the user was in then, tells them when that was).
    pub fn taken_off(&self, at: DateTime<Utc>, zone: Tz) -> Result<Self> {
        if at <= self.on {
            return Err(Error::invalid(
                "time",
                format!(
                    "stockings come off after they went on, at {}",
                    self.on_in(zone)
                ),
            ));
        }
        Ok(Self {
            off: Some(at),
            ..self.clone()
        })
    }
}

/// What putting stockings on answers: the stretch begun and the
/// contraindication check (logged either way: the user wears what their
/// doctor prescribed; the app just says what it knows).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WearStarted {
    /// The stretch begun.
    pub wear: Wear,
    /// The contraindication check.
    pub advice: CompressionAdvice,
}

impl WearStarted {
    /// `wear`, with the advice for someone with `cautions`.
    pub fn new(wear: Wear, cautions: &CompressionCautions) -> Self {
        Self {
            wear,
            advice: compression_advice(cautions),
        }
    }
}

/// An ankle–brachial index below this points to arterial disease: no
/// stockings without a doctor (the threshold; Rabe 2020 puts the
/// absolute limit at 0.6 and asks for caution below 0.9).
pub const ABI_LIMIT: f64 = 0.8;

/// What the app may say about stockings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "advice", rename_all = "snake_case")]
pub enum CompressionAdvice {
    /// Nothing speaks against below-knee stockings of 15–30 mmHg.
    Suitable,
    /// Something does: see a doctor instead; the reasons are listed.
    SeeDoctorFirst {
        /// Each reason, as the user reads it.
        reasons: Vec<String>,
    },
}

/// Checks the contraindications before any suggestion of compression.
pub fn compression_advice(cautions: &CompressionCautions) -> CompressionAdvice {
    let mut reasons = Vec::new();
    if cautions.peripheral_arterial_disease {
        reasons.push(
            "peripheral arterial disease: compression can starve the leg of blood".to_owned(),
        );
    }
    if let Some(abi) = cautions.ankle_brachial_index
        && abi < ABI_LIMIT
    {
        reasons.push(format!(
            "an ankle–brachial index of {abi:.2} (below {ABI_LIMIT}) points to narrowed arteries"
        ));
    }
    if cautions.severe_neuropathy {
        reasons.push("severe neuropathy: pressure damage may go unfelt".to_owned());
    }
    if cautions.fragile_skin_or_dermatitis {
        reasons.push(
            "fragile skin or dermatitis on the legs can break down under a stocking".to_owned(),
        );
    }
    if cautions.decompensated_heart_failure {
        reasons.push(
            "heart failure that is not under control: moving fluid from the legs loads the heart"
                .to_owned(),
        );
    }
    if reasons.is_empty() {
        CompressionAdvice::Suitable
    } else {
        CompressionAdvice::SeeDoctorFirst { reasons }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::utc;

    #[test]
    fn one_band_is_suggested_and_it_is_the_travel_class() {
        let suggested: Vec<_> = GARMENT_CLASSES.iter().filter(|g| g.suggested).collect();
        assert_eq!(suggested.len(), 1, "{suggested:?}");
        assert_eq!(suggested[0].label, "15–20 mmHg");
    }

    #[test]
    fn every_garment_offered_is_a_class_that_can_be_recorded_inside_its_band() {
        for garment in GARMENT_CLASSES {
            assert!(CompressionClass::new(garment.mmhg).is_ok(), "{garment:?}");
            let band: Vec<u32> = garment
                .label
                .split(|c: char| !c.is_ascii_digit())
                .filter_map(|n| n.parse().ok())
                .collect();
            assert!(
                band[0] < garment.mmhg && garment.mmhg < band[1],
                "{garment:?} inside {band:?}"
            );
        }
    }

    #[test]
    fn garments_come_off_only_after_they_went_on() {
        let wear = Wear {
            on: utc("2026-11-21T07:00:00Z"),
            off: None,
            mmhg: 20,
        };
        let off = utc("2026-11-21T17:00:00Z");
        let berlin = chrono_tz::Europe::Berlin;
        assert_eq!(wear.taken_off(off, berlin).expect("off").off, Some(off));
        for early in ["2026-11-21T07:00:00Z", "2026-11-21T06:59:00Z"] {
            let err = wear
                .taken_off(utc(early), berlin)
                .expect_err("not after on");
            assert!(
                matches!(err, Error::InvalidInput { field: "time", .. }),
                "{err}"
            );
            assert!(
                err.to_string()
                    .contains("at 08:00 on Sat 21 Nov 2026 (Europe/Berlin)"),
                "the user's clock: {err}"
            );
        }
    }

    #[test]
    fn a_class_is_eight_to_sixty_mmhg() {
        assert_eq!(CompressionClass::new(20).expect("class").mmhg(), 20);
        assert!(CompressionClass::new(8).is_ok() && CompressionClass::new(60).is_ok());
        let err = CompressionClass::new(70).expect_err("too strong");
        assert_eq!(
            err.to_string(),
            "invalid compression class: 8–60 mmHg at the ankle (got 70)"
        );
        assert!(CompressionClass::new(7).is_err());
    }

    #[test]
    fn no_cautions_means_stockings_may_be_suggested() {
        assert_eq!(
            compression_advice(&CompressionCautions::default()),
            CompressionAdvice::Suitable
        );
        let fine_abi = CompressionCautions {
            ankle_brachial_index: Some(1.05),
            ..CompressionCautions::default()
        };
        assert_eq!(compression_advice(&fine_abi), CompressionAdvice::Suitable);
    }

    #[test]
    fn each_contraindication_sends_the_user_to_a_doctor() {
        let cases = [
            CompressionCautions {
                peripheral_arterial_disease: true,
                ..Default::default()
            },
            CompressionCautions {
                ankle_brachial_index: Some(0.7),
                ..Default::default()
            },
            CompressionCautions {
                severe_neuropathy: true,
                ..Default::default()
            },
            CompressionCautions {
                fragile_skin_or_dermatitis: true,
                ..Default::default()
            },
            CompressionCautions {
                decompensated_heart_failure: true,
                ..Default::default()
            },
        ];
        for cautions in cases {
            match compression_advice(&cautions) {
                CompressionAdvice::SeeDoctorFirst { reasons } => {
                    assert_eq!(reasons.len(), 1, "{cautions:?}")
                }
                other => panic!("{cautions:?} gave {other:?}"),
            }
        }
    }
}
