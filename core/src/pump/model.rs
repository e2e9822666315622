//! The equations: volumes change by the flows between compartments.

use nalgebra::SVector;
use serde::{Deserialize, Serialize};

use super::geometry::Depths;
use super::params::{MMHG_PER_CM, Parameters};
use super::veins::Law;

/// Calf deep venous volume on the veins' elastic law, mL: the volume that
/// sets their pressure (the walls' creep, [`CREEP_DEEP`], holds more).
pub const CALF_DEEP: usize = 0;
/// Calf superficial venous volume on the elastic law, mL (creep:
/// [`CREEP_SUPERFICIAL`]).
pub const CALF_SUPERFICIAL: usize = 1;
/// Thigh venous volume, mL.
pub const THIGH: usize = 2;
/// Central venous volume (both legs' share), mL.
pub const CENTRAL: usize = 3;
/// Reflex adjustment of central venous capacity, mL.
pub const REFLEX: usize = 4;
/// Excess interstitial fluid in the calf, mL.
pub const TISSUE: usize = 5;
/// Recent calf work rate (0 at rest, about 1 walking at 4 km/h), driving
/// exercise hyperaemia; see [`Squeeze::work_rate`].
pub const EXERCISE: usize = 6;
/// Slow creep of the calf deep veins' walls (delayed compliance), mL: the
/// blood the wall holds beyond its elastic law, on top of [`CALF_DEEP`].
pub const CREEP_DEEP: usize = 7;
/// The same for the calf superficial veins, mL.
pub const CREEP_SUPERFICIAL: usize = 8;
/// Volume ejected from the calf by contractions so far (one leg), mL.
pub const PUMPED: usize = 9;
/// Volume through the popliteal vein so far, mL.
pub const POPLITEAL_FLOW: usize = 10;
/// Volume through the femoral vein so far, mL.
pub const FEMORAL_FLOW: usize = 11;
/// Number of state variables.
pub const N: usize = 12;
/// The states before this index are the fast ones the step's linear
/// system couples (its matrix is factorised over them). From it on come
/// the slow creep, which the fast equations read only through its rate
/// and a refluxing stream's lumen, and the running totals, which nothing
/// reads back: the integrator solves each of these on its own (see
/// [`Jacobian`]).
pub const COUPLED: usize = 7;
/// The number of states from [`COUPLED`] on.
pub const LATER: usize = N - COUPLED;

/// The state vector.
pub type State = SVector<f64, N>;

/// Which valves hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Valves {
    /// All valves competent.
    #[default]
    Competent,
    /// The great saphenous valves leak: blood falls back into the calf's superficial veins.
    SuperficialReflux,
    /// The popliteal and deep valves leak.
    DeepReflux,
}

/// What holds still over a stretch of time: where the leg is, what presses on it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Conditions {
    /// Depths below the heart.
    pub depths: Depths,
    /// Garment pressure at the calf, mmHg (about the garment's class).
    pub compression_calf: f64,
}

/// What the model shows at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Outputs {
    /// Ankle venous pressure, mmHg.
    pub ankle_venous_pressure_mmhg: f64,
    /// Calf venous volume (deep + superficial), mL.
    pub calf_venous_volume_ml: f64,
    /// Excess interstitial fluid in the calf, mL.
    pub calf_tissue_excess_ml: f64,
    /// Flow out of the calf, mL/s.
    pub calf_outflow_ml_s: f64,
    /// Popliteal vein flow velocity, cm/s.
    pub popliteal_velocity_cm_s: f64,
    /// Femoral vein flow velocity, cm/s.
    pub femoral_velocity_cm_s: f64,
    /// Transmural pressure of the calf deep veins, mmHg (negative: collapsed).
    pub deep_transmural_mmhg: f64,
    /// Central venous pressure, mmHg.
    pub central_venous_pressure_mmhg: f64,
    /// Stroke volume, mL.
    pub stroke_volume_ml: f64,
}

/// The model of one leg (both legs assumed alike for the central coupling).
#[derive(Debug, Clone, PartialEq)]
pub struct Leg {
    p: Parameters,
    /// The calf deep, calf superficial and thigh veins' laws, ready to evaluate.
    laws: VeinLaws,
    valves: Valves,
    reflux_severity: f64,
    r_micro_deep: f64,
    r_micro_superficial: f64,
    r_micro_thigh: f64,
    capillary_reference: f64,
    creep_reference: (f64, f64),
    superficial_full: f64,
    central_unstressed: f64,
    frank_starling: (f64, f64, f64),
    popliteal_area_per_ml: f64,
    femoral_area_per_ml: f64,
}

/// What the calf muscle does at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Squeeze {
    /// Intramuscular pressure on the deep veins, mmHg.
    pub pressure: f64,
    /// Work rate of the bout under way (see [`super::Activity::work_rate`]),
    /// through contractions and the pauses between them alike.
    pub work_rate: f64,
    /// Whether a contraction is under way (its ejection counts as pumped,
    /// also at the ramps' ends where the pressure is still zero).
    pub contracting: bool,
}

/// Smooth diode: `dp / r` forward, nothing backward, rounded over 0.5 mmHg.
fn forward(dp: f64, r: f64) -> f64 {
    const SOFT: f64 = 0.5;
    let x = dp / SOFT;
    // ln(1 + eˣ) = max(x, 0) + ln(1 + z), z = e^−|x|. Below z = 1e-5 the
    // series z − z²/2 is off by under z³/3 < 4e-16 and saves a log1p
    // (about 5 % of a day's simulation). Beyond |x| = 40 (20 mmHg) z is
    // under 5e-18: a shut valve passes nothing and an open one x exactly,
    // without an exp (5 % fewer instructions over the benchmark day and
    // flight).
    if x.abs() > 40.0 {
        return SOFT * x.max(0.0) / r;
    }
    let z = (-x.abs()).exp();
    let tail = if z < 1e-5 { z - 0.5 * z * z } else { z.ln_1p() };
    let softplus = x.max(0.0) + tail;
    SOFT * softplus / r
}

/// d[`forward`]/d(dp): the diode's conductance at `dp`.
fn forward_slope(dp: f64, r: f64) -> f64 {
    const SOFT: f64 = 0.5;
    1.0 / (1.0 + (-dp / SOFT).exp()) / r
}

/// Net capillary filtration, mL/s, through conductance `kf` at a Starling
/// imbalance `net` mmHg past the margin. Filtration follows the imbalance;
/// absorption (`net` < 0) takes back only filtrate still in excess, its
/// share `absorbable` (0 to 1): capillaries do not keep absorbing once the
/// tissue is back to normal (Levick & Michel 2010).
fn filtration(kf: f64, net: f64, absorbable: f64) -> f64 {
    if net >= 0.0 {
        kf * net
    } else {
        kf * net * absorbable
    }
}

/// Logistic switch from 0 to 1 around 0, width 5 mmHg.
fn switch(x: f64) -> f64 {
    1.0 / (1.0 + (-x / 5.0).exp())
}

/// d[`switch`]/dx.
fn switch_slope(x: f64) -> f64 {
    let s = switch(x);
    s * (1.0 - s) / 5.0
}

/// A gradient over the coupled states (before [`COUPLED`]).
type Gradient = SVector<f64, COUPLED>;

/// The unit gradient of state `i`.
fn unit(i: usize) -> Gradient {
    let mut g = Gradient::zeros();
    g[i] = 1.0;
    g
}

/// The Jacobian ∂f/∂y as the integrator uses it: every rate's gradient over
/// the coupled states ([`COUPLED`]), and each later state's rate's slope in
/// itself. What it leaves out is the fast rates' dependence on the creep:
/// of order 1/τ_creep through the creep's rate, but not small through a
/// refluxing stream's lumen (≈ 0.25 /s standing). It does no harm because
/// the creep itself moves slowly, so over a step its change is small; and
/// a W-method keeps its order with an approximate Jacobian.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Jacobian {
    /// ∂fᵢ/∂yⱼ for every i and the coupled j.
    pub coupled: nalgebra::SMatrix<f64, N, COUPLED>,
    /// ∂fᵢ/∂yᵢ for the later i (from [`COUPLED`] on).
    pub own: SVector<f64, LATER>,
}

impl Leg {
    /// The leg with parameters `p` and `valves`.
    pub fn new(p: Parameters, valves: Valves) -> Self {
        // Supine reference: leg veins ~3 cm below the heart at about the
        // central pressure plus a little to drive flow.
        let supine_venous = p.central_pressure_rest + 3.0;
        let supine_arterial = p.mean_arterial_pressure + 3.0 * MMHG_PER_CM;
        let gradient = supine_arterial - supine_venous;
        let k = 5.0;
        // Frank–Starling SV = SVmax (1 − exp(−(P − P0)/k)), slope s at rest.
        let e = p.stroke_volume_sensitivity * k / (1.0 + p.stroke_volume_sensitivity * k);
        let x = -e.ln();
        let p0 = p.central_pressure_rest - x * k;
        let sv_max = p.stroke_volume_rest / (1.0 - e);
        let supine_deep = p.calf_deep.volume(supine_venous);
        let supine_superficial = p.calf_superficial.volume(supine_venous);
        let supine_thigh = p.thigh.volume(supine_venous);
        let area = |d: f64| std::f64::consts::PI * d * d / 4.0;
        Self {
            r_micro_deep: gradient / p.inflow_calf_deep,
            r_micro_superficial: gradient / p.inflow_calf_superficial,
            r_micro_thigh: gradient / p.inflow_thigh,
            capillary_reference: supine_venous + p.capillary_fraction * gradient,
            creep_reference: (supine_deep, supine_superficial),
            superficial_full: p.calf_superficial.v0 + p.calf_superficial.dv_max,
            central_unstressed: 1000.0,
            frank_starling: (sv_max, p0, k),
            popliteal_area_per_ml: area(p.popliteal_diameter_cm) / supine_deep,
            femoral_area_per_ml: area(p.femoral_diameter_cm) / supine_thigh,
            laws: VeinLaws {
                deep: p.calf_deep.law(),
                superficial: p.calf_superficial.law(),
                thigh: p.thigh.law(),
            },
            p,
            valves,
            reflux_severity: 1.0,
        }
    }

    /// How badly the leaking valves of [`Valves`] leak, 0 (they hold after
    /// all) to 1 (the reference incompetence the parameters describe): the
    /// backward conductance scales with it.
    pub fn set_reflux_severity(&mut self, severity: f64) {
        self.reflux_severity = severity;
    }

    /// A resting supine state to start from.
    pub fn supine_state(&self) -> State {
        let venous = self.p.central_pressure_rest + 3.0;
        let mut y = State::zeros();
        y[CALF_DEEP] = self.p.calf_deep.volume(venous);
        y[CALF_SUPERFICIAL] = self.p.calf_superficial.volume(venous);
        y[THIGH] = self.p.thigh.volume(venous);
        y[CENTRAL] =
            self.central_unstressed + self.p.central_compliance * self.p.central_pressure_rest;
        y
    }

    /// The blood in the calf's deep veins, mL: elastic and crept.
    fn deep_volume(y: &State) -> f64 {
        y[CALF_DEEP] + y[CREEP_DEEP]
    }

    /// The blood in the calf's superficial veins, mL: elastic and crept.
    fn superficial_volume(y: &State) -> f64 {
        y[CALF_SUPERFICIAL] + y[CREEP_SUPERFICIAL]
    }

    /// The blood in the calf's veins, mL: deep and superficial, elastic and crept.
    pub fn calf_venous_volume(y: &State) -> f64 {
        Self::deep_volume(y) + Self::superficial_volume(y)
    }

    /// How fast a vein wall creeps, mL/s, holding `elastic` mL on its
    /// elastic law with `creep` mL crept so far: towards a share
    /// ([`Parameters::delayed_compliance`]) of its filling beyond the
    /// supine `reference`, over [`Parameters::creep_time_constant`]. Lying
    /// down is the wall's resting stretch (the night's, where the model
    /// starts): below it the wall creeps back to it and no further.
    fn creep_rate(&self, elastic: f64, creep: f64, reference: f64) -> f64 {
        let target = self.p.delayed_compliance * (elastic - reference).max(0.0);
        (target - creep) / self.p.creep_time_constant
    }

    /// The gradient of [`Self::creep_rate`] over the coupled states, for a
    /// vein whose elastic volume is state `volume` (its slope in the creep
    /// itself is −1/τ).
    fn creep_gradient(&self, elastic: f64, reference: f64, volume: usize) -> Gradient {
        if elastic > reference {
            unit(volume) * (self.p.delayed_compliance / self.p.creep_time_constant)
        } else {
            Gradient::zeros()
        }
    }

    fn central_pressure(&self, y: &State) -> f64 {
        (y[CENTRAL] + y[REFLEX] - self.central_unstressed) / self.p.central_compliance
    }

    /// Arterial inflow into a compartment at `depth` holding pressure
    /// `inside`, its vessels dilated `dilation` times by exercise (1 at
    /// rest), and the reflexes' resistance factor (for the filtering surface).
    /// Working muscle overrides the venoarteriolar and myogenic constriction
    /// in step with its dilation (functional sympatholysis, Remensnyder,
    /// Mitchell & Sarnoff 1962).
    fn inflow(
        &self,
        depth: f64,
        inside: f64,
        transmural: f64,
        r_micro: f64,
        dilation: f64,
    ) -> (f64, f64) {
        let column = MMHG_PER_CM * depth;
        let arterial = self.p.mean_arterial_pressure + column;
        let reflex = 1.0
            + self.p.venoarteriolar_gain * switch(transmural - self.p.venoarteriolar_threshold)
            + self.p.myogenic_gain_per_100_mmhg * column.max(0.0) / 100.0;
        let resistance = r_micro / dilation * (1.0 + (reflex - 1.0) / dilation);
        (((arterial - inside) / resistance).max(0.0), reflex)
    }

    /// The gradient of [`Self::inflow`]'s flow, given the gradients of
    /// `inside`, of `transmural` and of `dilation`.
    #[allow(clippy::too_many_arguments)]
    fn inflow_gradient(
        &self,
        depth: f64,
        (inside, d_inside): (f64, Gradient),
        (transmural, d_transmural): (f64, Gradient),
        r_micro: f64,
        (dilation, d_dilation): (f64, Gradient),
    ) -> Gradient {
        let column = MMHG_PER_CM * depth;
        let drive = self.p.mean_arterial_pressure + column - inside;
        let switched = transmural - self.p.venoarteriolar_threshold;
        let reflex = 1.0
            + self.p.venoarteriolar_gain * switch(switched)
            + self.p.myogenic_gain_per_100_mmhg * column.max(0.0) / 100.0;
        let resistance = r_micro / dilation * (1.0 + (reflex - 1.0) / dilation);
        if drive <= 0.0 {
            return Gradient::zeros();
        }
        let d_reflex = d_transmural * (self.p.venoarteriolar_gain * switch_slope(switched));
        let d_resistance = d_reflex * (r_micro / (dilation * dilation))
            - d_dilation
                * (r_micro
                    * (1.0 / (dilation * dilation)
                        + 2.0 * (reflex - 1.0) / (dilation * dilation * dilation)));
        -d_inside / resistance - d_resistance * (drive / (resistance * resistance))
    }

    /// ∂f/∂y of [`Self::rhs`], worked out by hand: the same flows, each with
    /// its gradient by the chain rule through the pressure–volume laws.
    pub fn jacobian(&self, y: &State, c: &Conditions, squeeze: Squeeze, jac: &mut Jacobian) {
        let p = &self.p;
        let d = &c.depths;
        let muscle = squeeze.pressure;
        let laws = &self.laws;
        let (tm_deep, k_deep) = laws.deep.pressure_and_stiffness(y[CALF_DEEP]);
        let (tm_sup, k_sup) = laws.superficial.pressure_and_stiffness(y[CALF_SUPERFICIAL]);
        let (tm_thigh, k_thigh) = laws.thigh.pressure_and_stiffness(y[THIGH]);
        let f = self.flows_at(y, c, muscle, [tm_deep, tm_sup, tm_thigh]);
        let g_deep = unit(CALF_DEEP) * k_deep;
        let g_sup = unit(CALF_SUPERFICIAL) * k_sup;
        let g_thigh = unit(THIGH) * k_thigh;
        let g_central = (unit(CENTRAL) + unit(REFLEX)) / p.central_compliance;
        let deep = tm_deep + c.compression_calf + muscle;
        let sup = tm_sup + c.compression_calf;
        let dilation = 1.0 + p.exercise_hyperaemia * y[EXERCISE].max(0.0);
        let g_dilation = if y[EXERCISE] > 0.0 {
            unit(EXERCISE) * p.exercise_hyperaemia
        } else {
            Gradient::zeros()
        };
        let none = (1.0, Gradient::zeros());
        let g_arterial_deep = self.inflow_gradient(
            d.calf,
            (deep, g_deep),
            (tm_deep, g_deep),
            self.r_micro_deep,
            (dilation, g_dilation),
        );
        let g_arterial_sup = self.inflow_gradient(
            d.calf,
            (sup, g_sup),
            (tm_sup, g_sup),
            self.r_micro_superficial,
            none,
        );
        let g_arterial_thigh = self.inflow_gradient(
            d.thigh,
            (tm_thigh, g_thigh),
            (tm_thigh, g_thigh),
            self.r_micro_thigh,
            none,
        );

        let leaks = |v: Valves| self.valves == v;
        let climb = MMHG_PER_CM * (d.calf - d.thigh);
        let dp_popliteal = deep - tm_thigh - climb;
        let dp_saphenous = sup - f.central - MMHG_PER_CM * d.calf;
        let dp_femoral = tm_thigh - f.central - MMHG_PER_CM * d.thigh;
        let g_perforator = (g_sup - g_deep) * forward_slope(sup - deep, p.r_perforator);
        let severity = self.reflux_severity;
        let both = |dp: f64, r: f64, leaky: bool| {
            forward_slope(dp, r)
                + if leaky {
                    severity * forward_slope(-dp, p.r_reflux)
                } else {
                    0.0
                }
        };
        let g_popliteal =
            (g_deep - g_thigh) * both(dp_popliteal, p.r_popliteal, leaks(Valves::DeepReflux));
        let g_femoral =
            (g_thigh - g_central) * both(dp_femoral, p.r_femoral, leaks(Valves::DeepReflux));
        let mut g_saphenous = (g_sup - g_central) * forward_slope(dp_saphenous, p.r_saphenous);
        if leaks(Valves::SuperficialReflux) {
            // The reflux through narrowed veins: its resistance goes as the
            // inverse square of the volume.
            let volume = Self::superficial_volume(y).max(1e-3);
            let narrowing = (self.superficial_full / volume).powi(2);
            let r = p.r_reflux * narrowing;
            let leak = severity * forward(-dp_saphenous, r);
            g_saphenous += (g_sup - g_central) * (severity * forward_slope(-dp_saphenous, r));
            if volume > 1e-3 {
                g_saphenous -= unit(CALF_SUPERFICIAL) * (2.0 * leak / volume);
            }
        }

        // Filtration, as in `flows`.
        let switch_deep = switch(tm_deep - p.venoarteriolar_threshold);
        let switch_sup = switch(tm_sup - p.venoarteriolar_threshold);
        let myogenic = p.myogenic_gain_per_100_mmhg * (MMHG_PER_CM * d.calf).max(0.0) / 100.0;
        let reflex = 1.0 + p.venoarteriolar_gain * 0.5 * (switch_deep + switch_sup) + myogenic;
        let g_reflex = (g_deep * switch_slope(tm_deep - p.venoarteriolar_threshold)
            + g_sup * switch_slope(tm_sup - p.venoarteriolar_threshold))
            * (0.5 * p.venoarteriolar_gain);
        let venous = 0.5 * (deep - muscle + sup);
        let g_venous = (g_deep + g_sup) * 0.5;
        let arterial = p.mean_arterial_pressure + MMHG_PER_CM * d.calf;
        let capillary = venous + p.capillary_fraction / reflex * (arterial - venous);
        let g_capillary = g_venous * (1.0 - p.capillary_fraction / reflex)
            - g_reflex * (p.capillary_fraction * (arterial - venous) / (reflex * reflex));
        let surface = 1.0 / (reflex * reflex.sqrt());
        let g_surface = g_reflex * (-1.5 * surface / reflex);
        let excess = y[TISSUE].max(0.0);
        let held = if y[TISSUE] > 0.0 { 1.0 } else { 0.0 };
        let oncotic = p.protein_reflection * p.interstitial_oncotic_pressure;
        let washout = oncotic * excess / (p.interstitial_volume + excess);
        let d_washout =
            held * oncotic * p.interstitial_volume / (p.interstitial_volume + excess).powi(2);
        let opposing = y[TISSUE] / p.tissue_compliance + washout + c.compression_calf;
        let net = capillary - self.capillary_reference - opposing - p.filtration_margin;
        let g_net = g_capillary - unit(TISSUE) * (1.0 / p.tissue_compliance + d_washout);
        let kf = p.filtration_coefficient;
        let g_filtration = if net >= 0.0 {
            (g_surface * net + g_net * surface) * kf
        } else {
            let half = p.absorption_half_excess;
            let absorbable = excess / (excess + half);
            let d_absorbable = held * half / (excess + half).powi(2);
            (g_surface * net + g_net * surface) * (kf * absorbable)
                + unit(TISSUE) * (kf * surface * net * d_absorbable)
        };
        let lymph_gain = (1.0 + p.lymph_muscle_gain * muscle / 100.0) / p.lymph_time_constant;
        let g_lymph = unit(TISSUE) * lymph_gain;

        let total = f.arterial_deep + f.arterial_superficial;
        let share_deep = f.arterial_deep / total.max(1e-9);
        let g_share = if total > 1e-9 {
            (g_arterial_deep * f.arterial_superficial - g_arterial_sup * f.arterial_deep)
                / (total * total)
        } else {
            Gradient::zeros()
        };
        let g_split = g_filtration * share_deep + g_share * f.filtration;
        let g_creep_deep = self.creep_gradient(y[CALF_DEEP], self.creep_reference.0, CALF_DEEP);
        let g_creep_sup = self.creep_gradient(
            y[CALF_SUPERFICIAL],
            self.creep_reference.1,
            CALF_SUPERFICIAL,
        );
        let rows: [Gradient; N] = [
            g_arterial_deep - g_split + g_perforator - g_popliteal - g_creep_deep,
            g_arterial_sup - (g_filtration - g_split) - g_perforator - g_saphenous - g_creep_sup,
            g_arterial_thigh + g_popliteal - g_femoral,
            (g_femoral + g_saphenous + g_lymph
                - g_arterial_deep
                - g_arterial_sup
                - g_arterial_thigh)
                * 2.0,
            -(unit(CENTRAL) + unit(REFLEX)) / p.reflex_time_constant,
            g_filtration - g_lymph,
            -unit(EXERCISE)
                / if squeeze.work_rate > y[EXERCISE] {
                    p.exercise_onset_time_constant
                } else {
                    p.exercise_offset_time_constant
                },
            g_creep_deep,
            g_creep_sup,
            if squeeze.contracting && f.popliteal > 0.0 {
                g_popliteal
            } else {
                Gradient::zeros()
            },
            g_popliteal,
            g_femoral,
        ];
        for (i, row) in rows.iter().enumerate() {
            jac.coupled.set_row(i, &row.transpose());
        }
        // Each creep relaxes over its time constant; the totals do not read
        // themselves.
        jac.own = SVector::zeros();
        for creep in [CREEP_DEEP, CREEP_SUPERFICIAL] {
            jac.own[creep - COUPLED] = -1.0 / p.creep_time_constant;
        }
    }

    /// Every flow in state `y` with the calf pressed by `muscle` mmHg.
    fn flows(&self, y: &State, c: &Conditions, muscle: f64) -> Flows {
        let laws = &self.laws;
        let transmural = [
            laws.deep.pressure(y[CALF_DEEP]),
            laws.superficial.pressure(y[CALF_SUPERFICIAL]),
            laws.thigh.pressure(y[THIGH]),
        ];
        self.flows_at(y, c, muscle, transmural)
    }

    /// [`Self::flows`] with the deep, superficial and thigh veins'
    /// transmural pressures already read from their volumes.
    fn flows_at(&self, y: &State, c: &Conditions, muscle: f64, transmural: [f64; 3]) -> Flows {
        let p = &self.p;
        let d = &c.depths;
        let [tm_deep, tm_sup, tm_thigh] = transmural;
        let deep = tm_deep + c.compression_calf + muscle;
        let sup = tm_sup + c.compression_calf;
        let thigh = tm_thigh;
        let central = self.central_pressure(y);
        // Rising from the calf to the thigh costs this much pressure.
        let climb = MMHG_PER_CM * (d.calf - d.thigh);

        // Working muscle dilates its vessels (exercise hyperaemia).
        let dilation = 1.0 + p.exercise_hyperaemia * y[EXERCISE].max(0.0);
        let (arterial_deep, reflex_deep) =
            self.inflow(d.calf, deep, tm_deep, self.r_micro_deep, dilation);
        let (arterial_superficial, reflex_sup) =
            self.inflow(d.calf, sup, tm_sup, self.r_micro_superficial, 1.0);
        let (arterial_thigh, _) = self.inflow(d.thigh, thigh, tm_thigh, self.r_micro_thigh, 1.0);

        let severity = self.reflux_severity;
        let leak = |dp: f64, leaks: bool| {
            if leaks {
                severity * forward(-dp, p.r_reflux)
            } else {
                0.0
            }
        };
        // Blood falling back through incompetent superficial valves runs
        // down the calf's varicose tributaries; their lumen, and with it the
        // reflux, shrinks as the veins empty or a garment presses them
        // (Poiseuille: resistance as the inverse square of the cross-section,
        // the cross-section as the volume).
        let narrowing = (self.superficial_full / Self::superficial_volume(y).max(1e-3)).powi(2);
        let superficial_leak = |dp: f64| {
            if self.valves == Valves::SuperficialReflux {
                severity * forward(-dp, p.r_reflux * narrowing)
            } else {
                0.0
            }
        };
        let deep_reflux = self.valves == Valves::DeepReflux;
        let dp_popliteal = deep - thigh - climb;
        // The great saphenous vein runs from the calf to the groin, where
        // it joins the femoral vein at the heart's column.
        let dp_saphenous = sup - central - MMHG_PER_CM * d.calf;
        let dp_femoral = thigh - central - MMHG_PER_CM * d.thigh;

        // Capillary filtration into the calf's tissue, and lymph back out.
        // The muscle's squeeze presses capillaries and tissue alike, so it
        // does not change filtration.
        let venous = 0.5 * (deep - muscle + sup);
        let arterial = p.mean_arterial_pressure + MMHG_PER_CM * d.calf;
        let reflex = 0.5 * (reflex_deep + reflex_sup);
        let capillary = venous + p.capillary_fraction / reflex * (arterial - venous);
        // The same constriction closes precapillary sphincters: fewer
        // capillaries are perfused and the filtering surface shrinks, as
        // the resistance factor to the power 3/2 (Mellander, Öberg &
        // Odelram 1964: standing cuts the human foot's filtration
        // coefficient to 1/3–1/8 of supine; its factor ≈ 2.9 gives 1/5).
        let surface = 1.0 / (reflex * reflex.sqrt());
        // Filtrate piles up against tissue pressure and dilutes the
        // interstitial proteins, which raises the oncotic pull back.
        let excess = y[TISSUE].max(0.0);
        let washout = p.protein_reflection * p.interstitial_oncotic_pressure * excess
            / (p.interstitial_volume + excess);
        let opposing = y[TISSUE] / p.tissue_compliance + washout + c.compression_calf;
        let imbalance = capillary - self.capillary_reference - opposing;
        Flows {
            arterial_deep,
            arterial_superficial,
            arterial_thigh,
            perforator: forward(sup - deep, p.r_perforator),
            popliteal: forward(dp_popliteal, p.r_popliteal) - leak(dp_popliteal, deep_reflux),
            saphenous: forward(dp_saphenous, p.r_saphenous) - superficial_leak(dp_saphenous),
            femoral: forward(dp_femoral, p.r_femoral) - leak(dp_femoral, deep_reflux),
            // Net filtration starts only once the imbalance passes the
            // margin; below it, capillaries do not absorb for long.
            filtration: filtration(
                p.filtration_coefficient * surface,
                imbalance - p.filtration_margin,
                excess / (excess + p.absorption_half_excess),
            ),
            lymph: y[TISSUE] / p.lymph_time_constant * (1.0 + p.lymph_muscle_gain * muscle / 100.0),
            central,
            superficial_pressure: sup,
        }
    }

    /// dy/dt with the calf doing `squeeze`.
    pub fn rhs(&self, y: &State, c: &Conditions, squeeze: Squeeze, dy: &mut State) {
        let f = self.flows(y, c, squeeze.pressure);
        let share_deep = f.arterial_deep / (f.arterial_deep + f.arterial_superficial).max(1e-9);
        // Vein walls held stretched keep yielding for minutes (delayed
        // compliance), and take it back when the stretch eases: what they
        // take up leaves the elastic volume.
        let (reference_deep, reference_sup) = self.creep_reference;
        dy[CREEP_DEEP] = self.creep_rate(y[CALF_DEEP], y[CREEP_DEEP], reference_deep);
        dy[CREEP_SUPERFICIAL] =
            self.creep_rate(y[CALF_SUPERFICIAL], y[CREEP_SUPERFICIAL], reference_sup);
        dy[CALF_DEEP] = f.arterial_deep - share_deep * f.filtration + f.perforator
            - f.popliteal
            - dy[CREEP_DEEP];
        dy[CALF_SUPERFICIAL] = f.arterial_superficial
            - (1.0 - share_deep) * f.filtration
            - f.perforator
            - f.saphenous
            - dy[CREEP_SUPERFICIAL];
        dy[THIGH] = f.arterial_thigh + f.popliteal - f.femoral;
        // Both legs feed and drain the centre.
        dy[CENTRAL] = 2.0
            * (f.femoral + f.saphenous + f.lymph
                - f.arterial_deep
                - f.arterial_superficial
                - f.arterial_thigh);
        dy[REFLEX] = -(f.central - self.p.central_pressure_rest) * self.p.central_compliance
            / self.p.reflex_time_constant;
        dy[TISSUE] = f.filtration - f.lymph;
        dy[PUMPED] = if squeeze.contracting {
            f.popliteal.max(0.0)
        } else {
            0.0
        };
        dy[POPLITEAL_FLOW] = f.popliteal;
        dy[FEMORAL_FLOW] = f.femoral;
        // Hyperaemia follows the work rate, quickly at the start of
        // exercise and more slowly after it.
        let towards = squeeze.work_rate - y[EXERCISE];
        dy[EXERCISE] = towards
            / if towards > 0.0 {
                self.p.exercise_onset_time_constant
            } else {
                self.p.exercise_offset_time_constant
            };
    }

    /// How much of its distance to `work_rate` the exercise drive `drive`
    /// keeps over `seconds`: its equation is linear, so across a bout's
    /// cycles it approaches the bout's work rate geometrically, by this
    /// ratio a cycle (quickly rising, slowly falling).
    pub fn exercise_drive_ratio(&self, drive: f64, work_rate: f64, seconds: f64) -> f64 {
        let time_constant = if work_rate > drive {
            self.p.exercise_onset_time_constant
        } else {
            self.p.exercise_offset_time_constant
        };
        (-seconds / time_constant).exp()
    }

    /// What the model shows in state `y`.
    pub fn outputs(&self, y: &State, c: &Conditions, muscle: f64) -> Outputs {
        let f = self.flows(y, c, muscle);
        let (sv_max, p0, k) = self.frank_starling;
        // Below the calf the ankle veins hang full: add the column. Above it
        // (legs raised) they collapse and cannot hold a sub-atmospheric
        // column: the pressure stays at what presses on them from outside.
        let column = MMHG_PER_CM * (c.depths.ankle - c.depths.calf);
        let ankle = f.superficial_pressure + column;
        let ankle = if column < 0.0 {
            ankle.max(c.compression_calf)
        } else {
            ankle
        };
        Outputs {
            ankle_venous_pressure_mmhg: ankle,
            calf_venous_volume_ml: Self::calf_venous_volume(y),
            calf_tissue_excess_ml: y[TISSUE],
            calf_outflow_ml_s: f.popliteal + f.saphenous,
            popliteal_velocity_cm_s: f.popliteal / self.vein_areas(y).0,
            femoral_velocity_cm_s: f.femoral / self.vein_areas(y).1,
            deep_transmural_mmhg: self.laws.deep.pressure(y[CALF_DEEP]),
            central_venous_pressure_mmhg: f.central,
            stroke_volume_ml: (sv_max * (1.0 - (-(f.central - p0) / k).exp())).max(0.0),
        }
    }

    /// Cross-sections of the popliteal and femoral veins in state `y`, cm²:
    /// proportional to the volume of the veins they drain (length fixed).
    pub fn vein_areas(&self, y: &State) -> (f64, f64) {
        (
            (self.popliteal_area_per_ml * Self::deep_volume(y)).max(1e-3),
            (self.femoral_area_per_ml * y[THIGH]).max(1e-3),
        )
    }
}

/// The pressure–volume laws of a leg's three veins.
#[derive(Debug, Clone, PartialEq)]
struct VeinLaws {
    deep: Law,
    superficial: Law,
    thigh: Law,
}

/// The flows and pressures of one instant.
struct Flows {
    arterial_deep: f64,
    arterial_superficial: f64,
    arterial_thigh: f64,
    perforator: f64,
    popliteal: f64,
    saphenous: f64,
    femoral: f64,
    filtration: f64,
    lymph: f64,
    central: f64,
    superficial_pressure: f64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pump::{Person, Posture};

    /// The hand-worked Jacobian against central differences (every rate
    /// over the coupled states, each later state's rate over itself), in states
    /// where every branch is live: collapsed and full veins, swollen and
    /// dry tissue, contracting and resting, each valve fault at full and
    /// half severity.
    #[test]
    fn the_analytic_jacobian_matches_finite_differences() {
        let person = Person::default();
        for (valves, severity) in [
            (Valves::Competent, 1.0),
            (Valves::SuperficialReflux, 1.0),
            (Valves::SuperficialReflux, 0.5),
            (Valves::DeepReflux, 1.0),
            (Valves::DeepReflux, 0.5),
        ] {
            let mut leg = Leg::new(Parameters::default().scaled(person.size()), valves);
            leg.set_reflux_severity(severity);
            for (posture, compression_calf) in [
                (Posture::Standing, 0.0),
                (Posture::Sitting, 14.0),
                (Posture::Supine, 0.0),
            ] {
                let c = Conditions {
                    depths: person.depths(posture),
                    compression_calf,
                };
                for (deep, sup, tissue, exercise, pressure, creep) in [
                    (130.0, 35.0, 40.0, 0.05, 0.0, 12.0),
                    (30.0, 8.0, 2.0, 1.2, 140.0, -1.0),
                    (75.0, 20.0, -1.0, 0.3, 60.0, 4.0),
                ] {
                    let mut y = leg.supine_state();
                    y[CALF_DEEP] = deep;
                    y[CALF_SUPERFICIAL] = sup;
                    y[CREEP_DEEP] = creep;
                    y[CREEP_SUPERFICIAL] = 0.25 * creep;
                    y[TISSUE] = tissue;
                    y[EXERCISE] = exercise;
                    let squeeze = Squeeze {
                        pressure,
                        work_rate: 1.0,
                        contracting: pressure > 0.0,
                    };
                    let mut analytic = Jacobian::default();
                    leg.jacobian(&y, &c, squeeze, &mut analytic);
                    let numeric = |i: usize, j: usize| {
                        let delta = 1e-6 * y[j].abs().max(1.0);
                        let (mut up, mut down) = (y, y);
                        up[j] += delta;
                        down[j] -= delta;
                        let (mut f_up, mut f_down) = (State::zeros(), State::zeros());
                        leg.rhs(&up, &c, squeeze, &mut f_up);
                        leg.rhs(&down, &c, squeeze, &mut f_down);
                        (f_up[i] - f_down[i]) / (2.0 * delta)
                    };
                    let coupled = (0..N).flat_map(|i| (0..COUPLED).map(move |j| (i, j)));
                    let own = (COUPLED..N).map(|i| (i, i));
                    for (i, j) in coupled.chain(own) {
                        let exact = if j < COUPLED {
                            analytic.coupled[(i, j)]
                        } else {
                            analytic.own[j - COUPLED]
                        };
                        let numeric = numeric(i, j);
                        assert!(
                            (exact - numeric).abs() <= 1e-5 * numeric.abs().max(1e-2),
                            "{valves:?} ×{severity} {posture:?} y={y:?}: ∂f{i}/∂y{j} = {exact} vs {numeric}"
                        );
                    }
                }
            }
        }
    }
}
