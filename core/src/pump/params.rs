//! Every parameter of the model, with where it comes from
//! (docs/pump-model.md tabulates them with the full references).

use super::veins::Vein;

/// mmHg per cm of blood column: ρ g = 1.05 g/mL × 980.7 cm/s² / 1333.2.
pub const MMHG_PER_CM: f64 = 0.772;

/// Interstitial fluid of the reference calf: ≈ 15 % of the lower leg's 2.6 L.
const INTERSTITIAL_VOLUME_ML: f64 = 390.0;

/// The model's parameters for one leg of a 175 cm adult; [`Self::scaled`]
/// adapts the volumes to another body size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Parameters {
    /// Calf deep veins (tibial, peroneal, soleal and gastrocnemius sinuses, popliteal).
    pub calf_deep: Vein,
    /// Calf superficial veins (small and lower great saphenous, tributaries).
    pub calf_superficial: Vein,
    /// Thigh veins (femoral, upper great saphenous).
    pub thigh: Vein,
    /// Central venous compliance (abdomen and thorax), mL/mmHg.
    pub central_compliance: f64,
    /// Central venous pressure at rest, supine, mmHg.
    pub central_pressure_rest: f64,
    /// Mean arterial pressure at heart level, mmHg.
    pub mean_arterial_pressure: f64,
    /// Supine resting arterial inflow to the calf deep veins (muscle), mL/s.
    pub inflow_calf_deep: f64,
    /// … to the calf superficial veins (skin, foot), mL/s.
    pub inflow_calf_superficial: f64,
    /// … to the thigh, mL/s.
    pub inflow_thigh: f64,
    /// Venoarteriolar reflex: most the microvascular resistance can rise (1 = doubles).
    pub venoarteriolar_gain: f64,
    /// Venous transmural pressure where that reflex is half on, mmHg.
    pub venoarteriolar_threshold: f64,
    /// Myogenic response: microvascular resistance rises by this much per
    /// 100 mmHg of arterial column below the heart (Bayliss; with the
    /// venoarteriolar reflex it halves foot and calf flow on standing).
    pub myogenic_gain_per_100_mmhg: f64,
    /// Exercise hyperaemia: muscle inflow conductance rises by this factor
    /// per unit of calf work rate (100 mmHg contractions a second): muscle
    /// blood flow rises in proportion to the work done (Andersen & Saltin
    /// 1985; Joyner & Casey, Physiol Rev 2015;95:549).
    pub exercise_hyperaemia: f64,
    /// How fast hyperaemia builds at the start of exercise, s.
    pub exercise_onset_time_constant: f64,
    /// How fast it subsides after exercise, s.
    pub exercise_offset_time_constant: f64,
    /// Calf deep → thigh (popliteal) resistance, mmHg·s/mL.
    pub r_popliteal: f64,
    /// Calf superficial → deep (perforators), mmHg·s/mL.
    pub r_perforator: f64,
    /// Calf superficial → groin (great saphenous vein), mmHg·s/mL.
    pub r_saphenous: f64,
    /// Thigh → centre (femoral and iliac), mmHg·s/mL.
    pub r_femoral: f64,
    /// Backward resistance through an incompetent valve, mmHg·s/mL (for
    /// superficial reflux, that of the veins fully distended on their
    /// elastic law; walls that have crept hold a little more and resist a
    /// little less).
    pub r_reflux: f64,
    /// Capillary filtration coefficient of the calf, mL/s/mmHg.
    pub filtration_coefficient: f64,
    /// Share of the arteriovenous pressure difference left at the capillaries.
    pub capillary_fraction: f64,
    /// How far the capillary pressure must rise above its supine resting
    /// value before net filtration starts, mmHg.
    pub filtration_margin: f64,
    /// Below the margin, capillaries take back excess filtrate at half the
    /// full rate when this much is left, mL.
    pub absorption_half_excess: f64,
    /// Interstitial compliance of the calf, mL/mmHg.
    pub tissue_compliance: f64,
    /// Interstitial fluid volume of the calf at normal hydration, mL.
    pub interstitial_volume: f64,
    /// Interstitial colloid osmotic pressure at normal hydration, mmHg.
    pub interstitial_oncotic_pressure: f64,
    /// Reflection coefficient of the capillary wall for plasma proteins.
    pub protein_reflection: f64,
    /// Lymphatic drainage time constant at rest, s.
    pub lymph_time_constant: f64,
    /// How much a contracting calf speeds lymph flow (per 100 mmHg).
    pub lymph_muscle_gain: f64,
    /// Delayed compliance of the calf veins: held at a raised pressure, a
    /// vein wall keeps yielding until it holds this share more than its
    /// immediate filling (dog external jugular vein: a third to a fifth).
    pub delayed_compliance: f64,
    /// Time constant of that creep, s (essentially complete in ≈ 20 min).
    pub creep_time_constant: f64,
    /// Time constant of the reflex that restores central venous pressure, s.
    pub reflex_time_constant: f64,
    /// Resting stroke volume, mL.
    pub stroke_volume_rest: f64,
    /// Frank–Starling: stroke volume per unit central pressure rise near rest, fraction/mmHg.
    pub stroke_volume_sensitivity: f64,
    /// Popliteal vein diameter, supine, cm.
    pub popliteal_diameter_cm: f64,
    /// Common femoral vein diameter, supine, cm.
    pub femoral_diameter_cm: f64,
}

impl Default for Parameters {
    fn default() -> Self {
        Self {
            // Heldt 2002: the legs' veins have C0 ≈ 20 mL/mmHg together,
            // about 10 per leg, with a large ΔVmax; split between calf and
            // thigh so that the calf's venous volume rises 100–150 mL from
            // legs raised to standing (Christopoulos 1987).
            calf_deep: Vein {
                v0: 40.0,
                c0: 6.0,
                dv_max: 100.0,
            },
            calf_superficial: Vein {
                v0: 10.0,
                c0: 1.5,
                dv_max: 30.0,
            },
            thigh: Vein {
                v0: 60.0,
                c0: 1.5,
                dv_max: 60.0,
            },
            // Heldt 2002: the veins of abdomen and thorax outside the
            // splanchnic bed, ≈ 60 mL/mmHg.
            central_compliance: 60.0,
            central_pressure_rest: 4.0,
            mean_arterial_pressure: 93.0,
            // Resting calf flow ≈ 3–4 mL/100 mL/min over ≈ 2.6 L (venous
            // occlusion plethysmography), two thirds muscle.
            inflow_calf_deep: 1.0,
            inflow_calf_superficial: 0.5,
            inflow_thigh: 1.5,
            // Henriksen 1977: flow falls ≈ 50 % when venous pressure exceeds 25 mmHg.
            venoarteriolar_gain: 1.0,
            venoarteriolar_threshold: 25.0,
            // Myogenic constriction to the arterial column when the legs hang.
            myogenic_gain_per_100_mmhg: 1.0,
            exercise_hyperaemia: 3.0,
            exercise_onset_time_constant: 20.0,
            exercise_offset_time_constant: 60.0,
            // Calf emptying time constant ≈ 4 s at rest (Phys Med Biol 1977;22:1146).
            r_popliteal: 0.9,
            r_perforator: 8.0,
            r_saphenous: 2.5,
            r_femoral: 0.3,
            r_reflux: 2.0,
            // Gamble et al. 1993: CFC ≈ 4.2 × 10⁻³ mL/min/100 mL/mmHg, over 2.6 L.
            filtration_coefficient: 0.0042 / 60.0 * 26.0,
            capillary_fraction: 0.15,
            // Isovolumetric venous pressure ≈ 20 mmHg (medians 8–30 across
            // protocols, J Physiol, PMC2290538) over a supine calf
            // venous pressure of 8.8 (Christ et al. 1997).
            filtration_margin: 11.0,
            // Chosen small: absorption fades as the excess runs out.
            absorption_half_excess: 5.0,
            // Guyton 1965; Aukland & Reed 1993: interstitial pressure rises
            // ≈ 5 mmHg over the first 30 % gain of interstitial volume.
            tissue_compliance: 0.3 * INTERSTITIAL_VOLUME_ML / 5.0,
            interstitial_volume: INTERSTITIAL_VOLUME_ML,
            // Noddeland 1982: ankle subcutis, upright, 10.4 mmHg.
            interstitial_oncotic_pressure: 10.4,
            // Continuous capillaries, plasma proteins (Levick & Michel 2010).
            protein_reflection: 0.9,
            // A still, hanging leg barely drains its excess (Olszewski et
            // al. 1977: leg lymph flow fell by half in venous stasis)…
            lymph_time_constant: 12.0 * 3600.0,
            // … and muscle work raises lymph flow two- to threefold
            // (Olszewski 1977: +83 % cycling; dog: ×2–3 walking or
            // stimulated muscle): ×2.8 at walking's mean ≈ 45 mmHg.
            lymph_muscle_gain: 4.0,
            // Delayed compliance of a large vein: a third to a fifth of the
            // immediate elastic compliance, essentially complete within
            // ≈ 20 min ("Delayed compliance in external jugular vein of the
            // dog", Am J Physiol, its abstract; authors and year not
            // verified): a quarter, with 20 min as four time constants.
            delayed_compliance: 0.25,
            creep_time_constant: 300.0,
            // Gaffney 1982; Monnet & Teboul 2015: the leg-raise effect is gone within ~7 min.
            reflex_time_constant: 120.0,
            stroke_volume_rest: 70.0,
            stroke_volume_sensitivity: 0.03,
            popliteal_diameter_cm: 0.5,
            femoral_diameter_cm: 1.0,
        }
    }
}

impl Parameters {
    /// The parameters for a leg `size` times the reference (volumes,
    /// compliances and flows scale with it; resistances inversely).
    pub fn scaled(&self, size: f64) -> Self {
        let vein = |v: Vein| Vein {
            v0: v.v0 * size,
            c0: v.c0 * size,
            dv_max: v.dv_max * size,
        };
        Self {
            calf_deep: vein(self.calf_deep),
            calf_superficial: vein(self.calf_superficial),
            thigh: vein(self.thigh),
            inflow_calf_deep: self.inflow_calf_deep * size,
            inflow_calf_superficial: self.inflow_calf_superficial * size,
            inflow_thigh: self.inflow_thigh * size,
            r_popliteal: self.r_popliteal / size,
            r_perforator: self.r_perforator / size,
            r_saphenous: self.r_saphenous / size,
            r_femoral: self.r_femoral / size,
            r_reflux: self.r_reflux / size,
            filtration_coefficient: self.filtration_coefficient * size,
            tissue_compliance: self.tissue_compliance * size,
            interstitial_volume: self.interstitial_volume * size,
            absorption_half_excess: self.absorption_half_excess * size,
            ..*self
        }
    }
}
