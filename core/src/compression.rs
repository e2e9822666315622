//! Whether to suggest compression stockings: the contraindication gate every
//! compression suggestion in the app goes through (Rabe et al., "Risks and
//! contraindications of medical compression treatment", Phlebology
//! 2020;35:447; sources in docs/companion.md).

use serde::Serialize;

use crate::profile::CompressionCautions;

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
