//! The calf-pump model for the Learn screen: a person's legs, the clinical
//! protocols and scenario files, each run's headline figures with a chart
//! series small enough to draw.

use std::sync::Arc;

use second_heart_core::app::{self, PumpingPosture, Series};
use second_heart_core::pump::protocols::{self, Break};
use second_heart_core::pump::{Person, Sample, Sex, Valves};

use crate::SecondHeartError;
use crate::error::ForeignError;
use crate::task::{TaskHandle, spawn_computation};

/// Which valves of the leg leak.
#[uniffi::remote(Enum)]
pub enum Valves {
    /// All valves hold.
    Competent,
    /// The great saphenous valves leak: blood falls back into the calf's
    /// superficial veins.
    SuperficialReflux,
    /// The popliteal and deep valves leak.
    DeepReflux,
}

/// Where ankle pumps are done.
#[uniffi::remote(Enum)]
pub enum PumpingPosture {
    /// Sitting, feet on the floor.
    Sitting,
    /// Lying flat.
    Supine,
}

/// A person's legs in the pump model.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct Legs {
    /// Standing height, cm (120–220).
    pub height_cm: f64,
    /// Sex, for the body proportions.
    pub sex: Sex,
    /// Lower-leg (knee to ankle) volume of one leg, mL, if measured.
    #[uniffi(default = None)]
    pub lower_leg_volume_ml: Option<f64>,
    /// Which valves leak.
    pub valves: Valves,
    /// How badly the leaking valves leak, 0 (they hold) to 1 (fully
    /// incompetent); no effect with competent valves.
    #[uniffi(default = 1.0)]
    pub reflux_severity: f64,
    /// The stocking's pressure class (its labelled ankle pressure), mmHg,
    /// 0 to 60; 0 for none.
    #[uniffi(default = 0.0)]
    pub compression_mmhg: f64,
}

impl From<app::Legs> for Legs {
    fn from(l: app::Legs) -> Self {
        Self {
            height_cm: l.person.height_cm,
            sex: l.person.sex,
            lower_leg_volume_ml: l.person.lower_leg_volume_ml,
            valves: l.valves,
            reflux_severity: l.reflux_severity,
            compression_mmhg: l.compression_mmhg,
        }
    }
}

impl From<Legs> for app::Legs {
    fn from(l: Legs) -> Self {
        Self {
            person: Person {
                height_cm: l.height_cm,
                sex: l.sex,
                lower_leg_volume_ml: l.lower_leg_volume_ml,
            },
            valves: l.valves,
            reflux_severity: l.reflux_severity,
            compression_mmhg: l.compression_mmhg,
        }
    }
}

/// One point of a chart: what the Learn screen plots against time.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct ChartPoint {
    /// Seconds since the start of the run.
    pub t_s: f64,
    /// Calf muscle pressure on the deep veins, mmHg (the contractions).
    pub muscle_mmhg: f64,
    /// Ankle venous pressure, mmHg.
    pub ankle_venous_pressure_mmhg: f64,
    /// Calf venous volume of one leg, mL.
    pub calf_venous_volume_ml: f64,
    /// Excess tissue fluid in one calf, mL (swelling).
    pub calf_tissue_excess_ml: f64,
    /// Popliteal vein flow velocity, cm/s.
    pub popliteal_velocity_cm_s: f64,
}

fn chart(series: &[Sample]) -> Vec<ChartPoint> {
    series
        .iter()
        .map(|s| ChartPoint {
            t_s: s.t_s,
            muscle_mmhg: s.muscle_mmhg,
            ankle_venous_pressure_mmhg: s.outputs.ankle_venous_pressure_mmhg,
            calf_venous_volume_ml: s.outputs.calf_venous_volume_ml,
            calf_tissue_excess_ml: s.outputs.calf_tissue_excess_ml,
            popliteal_velocity_cm_s: s.outputs.popliteal_velocity_cm_s,
        })
        .collect()
}

/// Ankle venous pressure lying, sitting and standing still.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct StandingRun {
    /// Lying, mmHg.
    pub supine_avp_mmhg: f64,
    /// Sitting, mmHg.
    pub sitting_avp_mmhg: f64,
    /// Standing still, mmHg.
    pub standing_avp_mmhg: f64,
    /// The chart.
    pub series: Vec<ChartPoint>,
}

/// Standing, walking, standing again.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct WalkRun {
    /// Ankle venous pressure over the last half minute of walking, mmHg.
    pub walking_avp_mmhg: f64,
    /// Standing pressure before, minus walking pressure, mmHg.
    pub avp_drop_mmhg: f64,
    /// Time to recover 90 % of the drop after stopping, s.
    pub refill_time_s: f64,
    /// Blood ejected from one calf per step at steady walking, mL.
    pub ejected_ml_per_step: f64,
    /// Blood ejected by both calves over the walk, mL.
    pub pumped_ml: f64,
    /// The chart.
    pub series: Vec<ChartPoint>,
}

/// Tiptoe raises from quiet standing.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct TiptoeRun {
    /// Ankle venous pressure just after the last raise, mmHg.
    pub avp_after_mmhg: f64,
    /// Time to recover 90 % of the drop, s.
    pub refill_time_s: f64,
    /// The chart.
    pub series: Vec<ChartPoint>,
}

/// Air plethysmography (Christopoulos & Nicolaides).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ApgRun {
    /// Venous volume: filling from legs-up to standing, mL.
    pub vv_ml: f64,
    /// Venous filling index, mL/s.
    pub vfi_ml_s: f64,
    /// Ejected volume of one tiptoe, mL.
    pub ev_ml: f64,
    /// Ejection fraction, %.
    pub ef_pct: f64,
    /// Residual volume after ten tiptoes, mL.
    pub rv_ml: f64,
    /// Residual volume fraction, %.
    pub rvf_pct: f64,
    /// The chart.
    pub series: Vec<ChartPoint>,
}

/// Deep-vein flow velocity (peak, as Doppler reports it) at rest and
/// during ankle pumps, and the ankle's venous refill after them.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct AnklePumpsRun {
    /// Popliteal vein at rest, cm/s.
    pub popliteal_velocity_rest_cm_s: f64,
    /// Popliteal vein during the exercise, cm/s.
    pub popliteal_velocity_exercise_cm_s: f64,
    /// Femoral vein at rest, cm/s.
    pub femoral_velocity_rest_cm_s: f64,
    /// Femoral vein during the exercise, cm/s.
    pub femoral_velocity_exercise_cm_s: f64,
    /// Time for ankle pressure to recover 90 % of its drop after the last
    /// pump, s (0 if it did not drop).
    pub refill_time_s: f64,
    /// The chart.
    pub series: Vec<ChartPoint>,
}

/// Passive leg raising from semi-recumbent.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct LegRaiseRun {
    /// Blood shifted out of both legs in the first minute, mL.
    pub volume_shift_ml: f64,
    /// Largest stroke-volume rise, %.
    pub stroke_volume_change_peak_pct: f64,
    /// Stroke-volume change at the end, %.
    pub stroke_volume_change_end_pct: f64,
    /// The chart.
    pub series: Vec<ChartPoint>,
}

/// A break from sitting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SitBreak {
    /// A 5-minute walk at 4 km/h.
    Walk,
    /// 20 calf raises with a 1-second hold.
    CalfRaises,
    /// 30 seated ankle pumps.
    AnklePumps,
}

/// Breaks from sitting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct SitBreaks {
    /// Minutes between breaks, 10 to 240.
    pub every_min: u32,
    /// What each break is.
    pub kind: SitBreak,
}

impl From<SitBreaks> for app::SitBreaks {
    fn from(b: SitBreaks) -> Self {
        Self {
            every_min: b.every_min,
            kind: match b.kind {
                SitBreak::Walk => Break::Walk,
                SitBreak::CalfRaises => Break::CalfRaises,
                SitBreak::AnklePumps => Break::AnklePumps,
            },
        }
    }
}

/// Sitting for hours: a flight or a desk stretch.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SitRun {
    /// Lower-leg volume change of one leg (blood and tissue), mL.
    pub leg_volume_change_ml: f64,
    /// The same, % of the lower leg.
    pub leg_volume_change_pct: f64,
    /// Minutes of venous stasis.
    pub stasis_minutes: f64,
    /// Blood pumped by both calves, mL.
    pub pumped_ml: f64,
    /// The chart.
    pub series: Vec<ChartPoint>,
}

/// What a scenario run adds up to.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ScenarioRun {
    /// Seconds simulated.
    pub duration_s: f64,
    /// Blood ejected from both calves, mL.
    pub pumped_ml: f64,
    /// Minutes of venous stasis.
    pub stasis_minutes: f64,
    /// Steps walked (both legs).
    pub steps: u64,
    /// Calf contractions of one leg.
    pub contractions: u64,
    /// Ankle venous pressure at the end, mmHg.
    pub final_ankle_venous_pressure_mmhg: f64,
    /// Excess tissue fluid in one calf at the end, mL.
    pub final_calf_tissue_excess_ml: f64,
    /// The chart.
    pub series: Vec<ChartPoint>,
}

impl From<app::ModelRun<protocols::Standing>> for StandingRun {
    fn from(run: app::ModelRun<protocols::Standing>) -> Self {
        let r = run.result;
        Self {
            supine_avp_mmhg: r.supine_avp_mmhg,
            sitting_avp_mmhg: r.sitting_avp_mmhg,
            standing_avp_mmhg: r.standing_avp_mmhg,
            series: chart(&run.series),
        }
    }
}

impl From<app::ModelRun<protocols::Walk>> for WalkRun {
    fn from(run: app::ModelRun<protocols::Walk>) -> Self {
        let r = run.result;
        Self {
            walking_avp_mmhg: r.walking_avp_mmhg,
            avp_drop_mmhg: r.avp_drop_mmhg,
            refill_time_s: r.refill_time_s,
            ejected_ml_per_step: r.ejected_ml_per_step,
            pumped_ml: r.pumped_ml,
            series: chart(&run.series),
        }
    }
}

impl From<app::ModelRun<protocols::Tiptoe>> for TiptoeRun {
    fn from(run: app::ModelRun<protocols::Tiptoe>) -> Self {
        Self {
            avp_after_mmhg: run.result.avp_after_mmhg,
            refill_time_s: run.result.refill_time_s,
            series: chart(&run.series),
        }
    }
}

impl From<app::ModelRun<protocols::Apg>> for ApgRun {
    fn from(run: app::ModelRun<protocols::Apg>) -> Self {
        let r = run.result;
        Self {
            vv_ml: r.vv_ml,
            vfi_ml_s: r.vfi_ml_s,
            ev_ml: r.ev_ml,
            ef_pct: r.ef_pct,
            rv_ml: r.rv_ml,
            rvf_pct: r.rvf_pct,
            series: chart(&run.series),
        }
    }
}

impl From<app::ModelRun<protocols::AnklePumps>> for AnklePumpsRun {
    fn from(run: app::ModelRun<protocols::AnklePumps>) -> Self {
        let r = run.result;
        Self {
            popliteal_velocity_rest_cm_s: r.popliteal_velocity_rest_cm_s,
            popliteal_velocity_exercise_cm_s: r.popliteal_velocity_exercise_cm_s,
            femoral_velocity_rest_cm_s: r.femoral_velocity_rest_cm_s,
            femoral_velocity_exercise_cm_s: r.femoral_velocity_exercise_cm_s,
            refill_time_s: r.refill_time_s,
            series: chart(&run.series),
        }
    }
}

impl From<app::ModelRun<protocols::PassiveLegRaise>> for LegRaiseRun {
    fn from(run: app::ModelRun<protocols::PassiveLegRaise>) -> Self {
        let r = run.result;
        Self {
            volume_shift_ml: r.volume_shift_ml,
            stroke_volume_change_peak_pct: r.stroke_volume_change_peak_pct,
            stroke_volume_change_end_pct: r.stroke_volume_change_end_pct,
            series: chart(&run.series),
        }
    }
}

impl From<app::ModelRun<protocols::Sit>> for SitRun {
    fn from(run: app::ModelRun<protocols::Sit>) -> Self {
        let r = run.result;
        Self {
            leg_volume_change_ml: r.leg_volume_change_ml,
            leg_volume_change_pct: r.leg_volume_change_pct,
            stasis_minutes: r.stasis_minutes,
            pumped_ml: r.pumped_ml,
            series: chart(&run.series),
        }
    }
}

impl From<app::ModelRun<app::ScenarioResult>> for ScenarioRun {
    fn from(run: app::ModelRun<app::ScenarioResult>) -> Self {
        let r = run.result;
        Self {
            duration_s: r.duration_s,
            pumped_ml: r.pumped_ml,
            stasis_minutes: r.stasis_minutes,
            steps: r.steps,
            contractions: r.contractions,
            final_ankle_venous_pressure_mmhg: r.final_ankle_venous_pressure_mmhg,
            final_calf_tissue_excess_ml: r.final_calf_tissue_excess_ml,
            series: chart(&run.series),
        }
    }
}

/// A run of the model, for [`PumpModel::start`]: each protocol with its
/// inputs (ranges as on the protocol's own method), or a scenario.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum ModelRequest {
    /// [`PumpModel::standing`].
    Standing,
    /// [`PumpModel::walk`].
    Walk {
        /// km/h.
        speed_kmh: f64,
        /// Minutes walked.
        minutes: f64,
    },
    /// [`PumpModel::tiptoe`].
    Tiptoe {
        /// Raises.
        count: u32,
        /// Raises a minute.
        rate_per_min: f64,
    },
    /// [`PumpModel::apg`].
    Apg,
    /// [`PumpModel::ankle_pumps`].
    AnklePumps {
        /// Pumps a minute.
        rate_per_min: f64,
        /// Minutes pumped.
        minutes: f64,
        /// Sitting or lying.
        posture: PumpingPosture,
    },
    /// [`PumpModel::passive_leg_raise`].
    PassiveLegRaise {
        /// Leg angle, degrees.
        angle_deg: f64,
        /// Minutes with the legs up.
        minutes: f64,
    },
    /// [`PumpModel::sit`].
    Sit {
        /// Hours sat.
        hours: f64,
        /// Breaks, if any.
        breaks: Option<SitBreaks>,
    },
    /// [`PumpModel::run_scenario`].
    Scenario {
        /// The scenario, JSON.
        json: String,
    },
}

/// What a started run found: the run record of its protocol.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum ModelResult {
    /// Of [`ModelRequest::Standing`].
    Standing {
        /// The run.
        run: StandingRun,
    },
    /// Of [`ModelRequest::Walk`].
    Walk {
        /// The run.
        run: WalkRun,
    },
    /// Of [`ModelRequest::Tiptoe`].
    Tiptoe {
        /// The run.
        run: TiptoeRun,
    },
    /// Of [`ModelRequest::Apg`].
    Apg {
        /// The run.
        run: ApgRun,
    },
    /// Of [`ModelRequest::AnklePumps`].
    AnklePumps {
        /// The run.
        run: AnklePumpsRun,
    },
    /// Of [`ModelRequest::PassiveLegRaise`].
    PassiveLegRaise {
        /// The run.
        run: LegRaiseRun,
    },
    /// Of [`ModelRequest::Sit`].
    Sit {
        /// The run.
        run: SitRun,
    },
    /// Of [`ModelRequest::Scenario`].
    Scenario {
        /// The run.
        run: ScenarioRun,
    },
}

/// Hears how a started model run goes, on the library's threads (hop to
/// the UI thread yourself). Exactly one of `on_finished` and `on_failed`
/// is called, last.
#[uniffi::export(with_foreign)]
pub trait ModelListener: Send + Sync {
    /// `fraction` (0 to 1) of the run is done; at most once per percent.
    fn on_progress(&self, fraction: f64) -> Result<(), ForeignError>;
    /// The run ended with `result`.
    fn on_finished(&self, result: ModelResult) -> Result<(), ForeignError>;
    /// The run failed: `InvalidInput` for a value out of range,
    /// `Cancelled` once the task was cancelled.
    fn on_failed(&self, error: SecondHeartError) -> Result<(), ForeignError>;
}

/// Runs `request` on `model`.
fn run(model: &app::PumpModel, request: ModelRequest) -> Result<ModelResult, SecondHeartError> {
    Ok(match request {
        ModelRequest::Standing => ModelResult::Standing {
            run: model.standing()?.into(),
        },
        ModelRequest::Walk { speed_kmh, minutes } => ModelResult::Walk {
            run: model.walk(speed_kmh, minutes)?.into(),
        },
        ModelRequest::Tiptoe {
            count,
            rate_per_min,
        } => ModelResult::Tiptoe {
            run: model.tiptoe(count, rate_per_min)?.into(),
        },
        ModelRequest::Apg => ModelResult::Apg {
            run: model.apg()?.into(),
        },
        ModelRequest::AnklePumps {
            rate_per_min,
            minutes,
            posture,
        } => ModelResult::AnklePumps {
            run: model.ankle_pumps(rate_per_min, minutes, posture)?.into(),
        },
        ModelRequest::PassiveLegRaise { angle_deg, minutes } => ModelResult::PassiveLegRaise {
            run: model.passive_leg_raise(angle_deg, minutes)?.into(),
        },
        ModelRequest::Sit { hours, breaks } => ModelResult::Sit {
            run: model.sit(hours, breaks.map(Into::into))?.into(),
        },
        ModelRequest::Scenario { json } => ModelResult::Scenario {
            run: model.run_scenario(&json)?.into(),
        },
    })
}

/// A person's legs in the pump model. Every run is synchronous, pure
/// computation: the short protocols take well under a second, hours of
/// sitting or a day's scenario a few; make them off the main thread.
#[derive(Debug, uniffi::Object)]
pub struct PumpModel(pub(crate) app::PumpModel);

#[uniffi::export]
impl PumpModel {
    /// The model of `legs`, keeping charts of at most `chart_points`
    /// points (2 to 10,000; 0: no chart, and runs are faster).
    #[uniffi::constructor]
    pub fn new(legs: Legs, chart_points: u32) -> Result<Arc<Self>, SecondHeartError> {
        let series = match chart_points {
            0 => Series::None,
            points => Series::Chart { points },
        };
        Ok(Arc::new(Self(
            app::PumpModel::new(legs.into())?.with_series(series)?,
        )))
    }

    /// The legs modelled (the Learn screen varies them and builds another
    /// model).
    pub fn legs(&self) -> Legs {
        self.0.legs().into()
    }

    /// Ankle venous pressure lying, sitting and standing still (10 minutes
    /// each).
    pub fn standing(&self) -> Result<StandingRun, SecondHeartError> {
        Ok(self.0.standing()?.into())
    }

    /// Standing, walking at `speed_kmh` (0.5–8) for `minutes` (0.5–600),
    /// standing again: the pressure drop, refill time and volume pumped.
    pub fn walk(&self, speed_kmh: f64, minutes: f64) -> Result<WalkRun, SecondHeartError> {
        Ok(self.0.walk(speed_kmh, minutes)?.into())
    }

    /// `count` tiptoe raises (1–100) at `rate_per_min` (5–60) from quiet
    /// standing.
    pub fn tiptoe(&self, count: u32, rate_per_min: f64) -> Result<TiptoeRun, SecondHeartError> {
        Ok(self.0.tiptoe(count, rate_per_min)?.into())
    }

    /// Air plethysmography: venous volume, filling index, ejection
    /// fraction, residual volume fraction.
    pub fn apg(&self) -> Result<ApgRun, SecondHeartError> {
        Ok(self.0.apg()?.into())
    }

    /// Ankle pumps at `rate_per_min` (5–90) for `minutes` (0.5–60) in
    /// `posture`: deep-vein velocities at rest and during the exercise.
    pub fn ankle_pumps(
        &self,
        rate_per_min: f64,
        minutes: f64,
        posture: PumpingPosture,
    ) -> Result<AnklePumpsRun, SecondHeartError> {
        Ok(self.0.ankle_pumps(rate_per_min, minutes, posture)?.into())
    }

    /// Passive leg raising to `angle_deg` (10–90) for `minutes` (1–60).
    pub fn passive_leg_raise(
        &self,
        angle_deg: f64,
        minutes: f64,
    ) -> Result<LegRaiseRun, SecondHeartError> {
        Ok(self.0.passive_leg_raise(angle_deg, minutes)?.into())
    }

    /// Sitting for `hours` (0.1–24), with `breaks` if given: swelling,
    /// stasis and volume pumped.
    pub fn sit(&self, hours: f64, breaks: Option<SitBreaks>) -> Result<SitRun, SecondHeartError> {
        Ok(self.0.sit(hours, breaks.map(Into::into))?.into())
    }

    /// Runs a scenario (JSON, docs/pump-model.md); a person, valves or
    /// garment it leaves out are this model's.
    pub fn run_scenario(&self, json: String) -> Result<ScenarioRun, SecondHeartError> {
        Ok(self.0.run_scenario(&json)?.into())
    }

    /// Starts `request` on the library's runtime (for the long runs: hours
    /// of sitting, a scenario) and returns at once; `listener` hears the
    /// progress and the end. Cancel the handle (or drop it) to stop the run:
    /// the listener then hears `Cancelled`.
    pub fn start(
        &self,
        request: ModelRequest,
        listener: Arc<dyn ModelListener>,
    ) -> Result<Arc<TaskHandle>, SecondHeartError> {
        let model = self.0.clone();
        let progress_listener = Arc::clone(&listener);
        spawn_computation(
            move |fraction| {
                // A listener that throws misses this report, not the next.
                let _ = progress_listener.on_progress(fraction);
            },
            move |progress| run(&model.with_progress(progress), request),
            move |result| {
                // A listener that throws has nobody left to tell.
                let _ = match result {
                    Ok(result) => listener.on_finished(result),
                    Err(error) => listener.on_failed(error),
                };
            },
        )
    }
}
