//! The calf-pump model for the Learn screen and the CLI: the clinical
//! protocols and scenario files, each with a chart series small enough to
//! draw.
//!
//! A [`PumpModel`] is a person's legs (size, valves, garment). Each protocol
//! of [`crate::pump::protocols`] is one method; [`PumpModel::run_scenario`]
//! runs a scenario file. Results carry the protocol's measurements and, when
//! the model was asked for a chart, a series downsampled to at most the
//! points asked for. Every input is checked: a bad value is an
//! [`Error::InvalidInput`](crate::Error::InvalidInput), never a panic.
//!
//! Runs are pure and synchronous; the longer ones (hours of sitting, a
//! two-week scenario) take seconds, so a front end runs them off its UI
//! thread.

use std::sync::Arc;

use serde::Serialize;

use super::progress::{Progress, Tracker};
use crate::pump::protocols::{self, AnklePumps, Apg, Break, PassiveLegRaise, Run, Setup, Sit};
use crate::pump::protocols::{Standing, Tiptoe, Walk};
use crate::pump::{Interrupt, Person, Posture, Sample, Scenario, Simulation, Valves};
use crate::{Error, Result};

/// Chart points when none are asked for: enough for a phone screen's width.
pub const DEFAULT_CHART_POINTS: u32 = 400;
/// The most chart points a run hands out.
pub const MAX_CHART_POINTS: u32 = 10_000;
/// Raw samples a run keeps at most before downsampling (the sampling
/// interval grows with the run's length to stay under it).
const RAW_SAMPLES: f64 = 20_000.0;
/// Largest scenario file taken, bytes.
const MAX_SCENARIO_BYTES: usize = 1 << 20;

/// A run's measurements and its time series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelRun<T> {
    /// What the protocol measures (units in the field names).
    pub result: T,
    /// The series the model was asked for ([`Series`]), oldest first.
    pub series: Vec<Sample>,
}

/// What time series a run keeps besides its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Series {
    /// None: the run is fastest (the model skips ahead over repeating
    /// cycles it need not draw).
    None,
    /// A chart of at most `points` samples (2 to [`MAX_CHART_POINTS`]),
    /// chosen so each contraction's dip survives.
    Chart {
        /// The most points kept.
        points: u32,
    },
    /// Every sample: fine enough to see each contraction (0.1 s; 1 s for a
    /// leg raise, 10 s for sitting), coarser on long runs to stay under
    /// 20,000 samples.
    Full,
}

/// What a scenario run adds up to.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ScenarioResult {
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
}

/// Where ankle pumps are done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PumpingPosture {
    /// Sitting, feet on the floor.
    Sitting,
    /// Lying flat.
    Supine,
}

/// Breaks from sitting in the `sit` protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SitBreaks {
    /// Minutes between breaks, 10 to 240.
    pub every_min: u32,
    /// What each break is.
    pub kind: Break,
}

/// A person's legs in the pump model: who, which valves leak and how
/// badly, and the garment worn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Legs {
    /// Whose legs.
    pub person: Person,
    /// Which valves leak.
    pub valves: Valves,
    /// How badly the leaking valves leak, 0 (they hold) to 1 (the model's
    /// reference incompetence); no effect with competent valves.
    pub reflux_severity: f64,
    /// The garment's pressure class (its labelled ankle pressure), mmHg; 0
    /// for none.
    pub compression_mmhg: f64,
}

impl Default for Legs {
    /// Average legs, competent valves, no garment.
    fn default() -> Self {
        Self {
            person: Person::default(),
            valves: Valves::Competent,
            reflux_severity: 1.0,
            compression_mmhg: 0.0,
        }
    }
}

/// A person's legs in the pump model, the series its runs keep, and who
/// follows them.
#[derive(Clone)]
pub struct PumpModel {
    legs: Legs,
    series: Series,
    progress: Option<Arc<dyn Progress>>,
}

impl std::fmt::Debug for PumpModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PumpModel")
            .field("legs", &self.legs)
            .field("series", &self.series)
            .finish_non_exhaustive()
    }
}

impl PumpModel {
    /// The model of `legs`, with charts of [`DEFAULT_CHART_POINTS`].
    pub fn new(legs: Legs) -> Result<Self> {
        // Building a simulation checks the person, the valves and the
        // garment the way every run will.
        Simulation::with_reflux(
            legs.person,
            legs.valves,
            legs.reflux_severity,
            legs.compression_mmhg,
        )?;
        Ok(Self {
            legs,
            series: Series::Chart {
                points: DEFAULT_CHART_POINTS,
            },
            progress: None,
        })
    }

    /// The legs of `person` with `valves` (fully incompetent where they
    /// leak), in a garment of class `compression_mmhg` (0 for none).
    pub fn for_person(person: Person, valves: Valves, compression_mmhg: f64) -> Result<Self> {
        Self::new(Legs {
            person,
            valves,
            compression_mmhg,
            ..Legs::default()
        })
    }

    /// The same legs, keeping `series` from each run.
    pub fn with_series(self, series: Series) -> Result<Self> {
        if let Series::Chart { points } = series
            && !(2..=MAX_CHART_POINTS).contains(&points)
        {
            return Err(Error::invalid(
                "chart points",
                format!("2 to {MAX_CHART_POINTS} (got {points})"),
            ));
        }
        Ok(Self { series, ..self })
    }

    /// The same legs, each run reporting to `progress` how far it got and
    /// stopping with [`Error::Cancelled`] once it is cancelled.
    pub fn with_progress(self, progress: Arc<dyn Progress>) -> Self {
        Self {
            progress: Some(progress),
            ..self
        }
    }

    /// The legs modelled.
    pub fn legs(&self) -> Legs {
        self.legs
    }

    /// The series each run keeps.
    pub fn series(&self) -> Series {
        self.series
    }

    /// The person modelled.
    pub fn person(&self) -> Person {
        self.legs.person
    }

    /// Ankle venous pressure lying, sitting and standing still (10 minutes
    /// each).
    pub fn standing(&self) -> Result<ModelRun<Standing>> {
        let run = protocols::standing(&self.setup(0.1, 1_800.0))?;
        self.chart(run)
    }

    /// Standing, walking at `speed_kmh` (0.5–8) for `minutes` (0.5–600),
    /// standing again: the pressure drop, refill time and volume pumped.
    pub fn walk(&self, speed_kmh: f64, minutes: f64) -> Result<ModelRun<Walk>> {
        let length_s = 600.0 + minutes.clamp(0.0, 600.0) * 60.0;
        let run = protocols::walk(&self.setup(0.1, length_s), speed_kmh, minutes)?;
        self.chart(run)
    }

    /// `count` tiptoe raises (1–100) at `rate_per_min` (5–60) from quiet
    /// standing: the pressure after and the refill time.
    pub fn tiptoe(&self, count: u32, rate_per_min: f64) -> Result<ModelRun<Tiptoe>> {
        let run = protocols::tiptoe(&self.setup(0.1, 1_200.0), count, rate_per_min)?;
        self.chart(run)
    }

    /// Air plethysmography: venous volume, filling index, ejection
    /// fraction, residual volume fraction.
    pub fn apg(&self) -> Result<ModelRun<Apg>> {
        let run = protocols::apg(&self.setup(0.1, 1_500.0))?;
        self.chart(run)
    }

    /// Ankle pumps at `rate_per_min` (5–90) for `minutes` (0.5–60): deep
    /// vein velocities at rest and during the exercise, and the ankle's
    /// venous refill time after it.
    pub fn ankle_pumps(
        &self,
        rate_per_min: f64,
        minutes: f64,
        posture: PumpingPosture,
    ) -> Result<ModelRun<AnklePumps>> {
        let posture = match posture {
            PumpingPosture::Sitting => Posture::Sitting,
            PumpingPosture::Supine => Posture::Supine,
        };
        // 11 minutes' rest, the pumps, and about a minute's refill.
        let length_s = 720.0 + minutes.clamp(0.0, 60.0) * 60.0;
        let run =
            protocols::ankle_pumps(&self.setup(0.1, length_s), rate_per_min, minutes, posture)?;
        self.chart(run)
    }

    /// Passive leg raising to `angle_deg` (10–90) for `minutes` (1–60): the
    /// blood shifted and the stroke-volume response.
    pub fn passive_leg_raise(
        &self,
        angle_deg: f64,
        minutes: f64,
    ) -> Result<ModelRun<PassiveLegRaise>> {
        let length_s = 300.0 + minutes.clamp(0.0, 60.0) * 60.0;
        let run = protocols::plr(&self.setup(1.0, length_s), angle_deg, minutes)?;
        self.chart(run)
    }

    /// Sitting for `hours` (0.1–24), with breaks if given: swelling, stasis
    /// and volume pumped.
    pub fn sit(&self, hours: f64, breaks: Option<SitBreaks>) -> Result<ModelRun<Sit>> {
        let length_s = hours.clamp(0.0, 24.0) * 3_600.0;
        let breaks = breaks.map(|b| (f64::from(b.every_min), b.kind));
        let run = protocols::sit(&self.setup(10.0, length_s), hours, breaks)?;
        self.chart(run)
    }

    /// Runs a scenario file (JSON, see [`Scenario`]). A person, valves or
    /// garment the file leaves out are this model's.
    pub fn run_scenario(&self, json: &str) -> Result<ModelRun<ScenarioResult>> {
        let scenario = self.scenario(json)?;
        let mut sim = Simulation::with_reflux(
            scenario.person,
            scenario.valves,
            self.legs.reflux_severity,
            scenario.compression_mmhg,
        )?;
        let total: f64 = scenario.timeline.iter().map(|s| s.seconds).sum();
        if let Some(every) = self.sample_every(0.1, total) {
            sim.record_every(every);
        }
        if let Some(interrupt) = self.interrupt(total) {
            sim.interrupt_when(interrupt);
        }
        sim.run(&scenario);
        self.check_cancelled()?;
        sim.solved()?;
        let totals = sim.totals();
        let outputs = sim.outputs();
        let result = ScenarioResult {
            duration_s: totals.duration_s,
            pumped_ml: totals.pumped_ml,
            stasis_minutes: totals.stasis_minutes,
            steps: totals.steps,
            contractions: totals.contractions,
            final_ankle_venous_pressure_mmhg: outputs.ankle_venous_pressure_mmhg,
            final_calf_tissue_excess_ml: outputs.calf_tissue_excess_ml,
        };
        Ok(self.keep(result, sim.samples()))
    }

    /// Parses and checks a scenario, filling in what it leaves out.
    fn scenario(&self, json: &str) -> Result<Scenario> {
        if json.len() > MAX_SCENARIO_BYTES {
            return Err(Error::invalid(
                "scenario",
                format!(
                    "the file has {} bytes; at most {MAX_SCENARIO_BYTES} are read",
                    json.len()
                ),
            ));
        }
        let mut value: serde_json::Value =
            serde_json::from_str(json).map_err(|e| Error::invalid("scenario", e.to_string()))?;
        let Some(fields) = value.as_object_mut() else {
            return Err(Error::invalid("scenario", "expected a JSON object"));
        };
        let ours = |v: Result<serde_json::Value, serde_json::Error>| {
            v.map_err(|e| Error::invalid("scenario", e.to_string()))
        };
        if !fields.contains_key("person") {
            fields.insert(
                "person".into(),
                ours(serde_json::to_value(self.legs.person))?,
            );
        }
        if !fields.contains_key("valves") {
            fields.insert(
                "valves".into(),
                ours(serde_json::to_value(self.legs.valves))?,
            );
        }
        if !fields.contains_key("compression_mmhg") {
            fields.insert("compression_mmhg".into(), self.legs.compression_mmhg.into());
        }
        let scenario: Scenario =
            serde_json::from_value(value).map_err(|e| Error::invalid("scenario", e.to_string()))?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// The protocol setup, sampling as [`Self::sample_every`] says.
    fn setup(&self, base_s: f64, length_s: f64) -> Setup {
        Setup {
            person: self.legs.person,
            valves: self.legs.valves,
            reflux_severity: self.legs.reflux_severity,
            compression_mmhg: self.legs.compression_mmhg,
            sample_every_s: self.sample_every(base_s, length_s),
            interrupt: self.interrupt(length_s),
        }
    }

    /// Reports a run of about `length_s` simulated seconds to the
    /// progress, if any, and stops it when cancelled.
    fn interrupt(&self, length_s: f64) -> Option<Interrupt> {
        let tracker = Tracker::new(Arc::clone(self.progress.as_ref()?), length_s);
        Some(Interrupt::new(move |t_s| tracker.at(t_s)))
    }

    fn check_cancelled(&self) -> Result<()> {
        match &self.progress {
            Some(progress) if progress.cancelled() => Err(Error::Cancelled),
            _ => Ok(()),
        }
    }

    /// Seconds between samples for a run of about `length_s`: every
    /// `base_s` (fine enough to see each contraction), coarser on long
    /// runs; `None` without a series.
    fn sample_every(&self, base_s: f64, length_s: f64) -> Option<f64> {
        (self.series != Series::None).then(|| base_s.max(length_s / RAW_SAMPLES))
    }

    /// A protocol's run as asked for, unless it was cancelled.
    fn chart<T>(&self, run: Run<T>) -> Result<ModelRun<T>> {
        self.check_cancelled()?;
        Ok(self.keep(run.result, &run.series))
    }

    /// `result` with the series asked for from `samples`.
    fn keep<T>(&self, result: T, samples: &[Sample]) -> ModelRun<T> {
        let series = match self.series {
            Series::None => Vec::new(),
            Series::Chart { points } => downsample(samples, points),
            Series::Full => samples.to_vec(),
        };
        ModelRun { result, series }
    }
}

/// At most `points` of `samples`, chosen by Largest-Triangle-Three-Buckets
/// on the ankle venous pressure (Steinarsson, "Downsampling time series for
/// visual representation", 2013): the first and last samples, and from each
/// bucket between the one that spans the largest triangle with its
/// neighbours, so the dips of each contraction survive where a plain
/// average would flatten them.
fn downsample(samples: &[Sample], points: u32) -> Vec<Sample> {
    let points = points as usize;
    if points == 0 || samples.is_empty() {
        return Vec::new();
    }
    if samples.len() <= points {
        return samples.to_vec();
    }
    if points < 3 {
        // The run's two ends (or its start).
        let ends = [samples[0], samples[samples.len() - 1]];
        return ends[..points].to_vec();
    }
    let y = |s: &Sample| s.outputs.ankle_venous_pressure_mmhg;
    let inner = samples.len() - 2;
    let buckets = points - 2;
    let bounds = |b: usize| (1 + b * inner / buckets, 1 + (b + 1) * inner / buckets);
    let mut out = Vec::with_capacity(points);
    out.push(samples[0]);
    let mut chosen = 0;
    for b in 0..buckets {
        let (start, end) = bounds(b);
        let next = if b + 1 < buckets {
            &samples[bounds(b + 1).0..bounds(b + 1).1]
        } else {
            &samples[samples.len() - 1..]
        };
        let n = next.len().max(1) as f64;
        let next_t = next.iter().map(|s| s.t_s).sum::<f64>() / n;
        let next_y = next.iter().map(y).sum::<f64>() / n;
        let (a_t, a_y) = (samples[chosen].t_s, y(&samples[chosen]));
        let area =
            |s: &Sample| ((a_t - next_t) * (y(s) - a_y) - (a_t - s.t_s) * (next_y - a_y)).abs();
        chosen = (start..end)
            .max_by(|&i, &j| area(&samples[i]).total_cmp(&area(&samples[j])))
            .unwrap_or(start);
        out.push(samples[chosen]);
    }
    out.push(samples[samples.len() - 1]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pump::Sex;

    fn model() -> PumpModel {
        PumpModel::for_person(Person::default(), Valves::Competent, 0.0).expect("valid legs")
    }

    fn field(error: Error) -> &'static str {
        match error {
            Error::InvalidInput { field, .. } => field,
            other => panic!("expected invalid input, got {other:?}"),
        }
    }

    #[test]
    fn hostile_legs_are_refused_with_the_field_named() {
        let tall = Person {
            height_cm: f64::NAN,
            ..Person::default()
        };
        let error = PumpModel::for_person(tall, Valves::Competent, 0.0).expect_err("NaN height");
        assert_eq!(field(error), "height");
        for garment in [-1.0, 61.0, f64::NAN, f64::INFINITY] {
            let error = PumpModel::for_person(Person::default(), Valves::Competent, garment)
                .expect_err("bad garment");
            assert_eq!(field(error), "compression");
        }
        assert_eq!(
            field(
                model()
                    .with_series(Series::Chart { points: 1 })
                    .expect_err("one point")
            ),
            "chart points"
        );
        assert!(
            model()
                .with_series(Series::Chart { points: u32::MAX })
                .is_err()
        );
        for severity in [-0.1, 1.5, f64::NAN] {
            let legs = Legs {
                valves: Valves::DeepReflux,
                reflux_severity: severity,
                ..Legs::default()
            };
            assert_eq!(
                field(PumpModel::new(legs).expect_err("bad severity")),
                "reflux severity"
            );
        }
    }

    #[test]
    fn hostile_protocol_values_are_typed_errors() {
        let m = model().with_series(Series::None).expect("no chart");
        for (speed, minutes) in [(f64::NAN, 10.0), (4.5, -1.0), (4.5, 1e12), (1e9, 10.0)] {
            assert!(matches!(
                m.walk(speed, minutes),
                Err(Error::InvalidInput { .. })
            ));
        }
        assert!(matches!(m.tiptoe(0, 20.0), Err(Error::InvalidInput { .. })));
        assert!(matches!(
            m.tiptoe(10, f64::NAN),
            Err(Error::InvalidInput { .. })
        ));
        assert!(matches!(
            m.ankle_pumps(f64::INFINITY, 5.0, PumpingPosture::Sitting),
            Err(Error::InvalidInput { .. })
        ));
        assert!(matches!(
            m.passive_leg_raise(-45.0, 5.0),
            Err(Error::InvalidInput { .. })
        ));
        assert!(matches!(
            m.sit(f64::NAN, None),
            Err(Error::InvalidInput { .. })
        ));
        assert!(matches!(
            m.sit(1e300, None),
            Err(Error::InvalidInput { .. })
        ));
        let breaks = SitBreaks {
            every_min: 0,
            kind: Break::Walk,
        };
        assert!(matches!(
            m.sit(2.0, Some(breaks)),
            Err(Error::InvalidInput { .. })
        ));
    }

    #[test]
    fn a_walk_lowers_ankle_pressure_and_its_chart_fits_the_screen() {
        let run = model().walk(4.5, 2.0).expect("walk");
        assert!(run.result.avp_drop_mmhg > 20.0, "{:?}", run.result);
        assert!(run.result.pumped_ml > 0.0);
        let n = run.series.len();
        assert!(n <= DEFAULT_CHART_POINTS as usize && n >= 300, "{n} points");
        assert!(run.series.windows(2).all(|w| w[0].t_s < w[1].t_s));
        // The whole series is every sample of the run.
        let full = model()
            .with_series(Series::Full)
            .expect("full")
            .walk(4.5, 2.0)
            .expect("walk");
        assert!(full.series.len() > 10 * n, "{}", full.series.len());
        assert_eq!(full.result, run.result);
        // The chart shows the walk: standing pressure before, a clear dip
        // during it.
        let highest = run
            .series
            .iter()
            .map(|p| p.outputs.ankle_venous_pressure_mmhg)
            .fold(f64::MIN, f64::max);
        let lowest = run
            .series
            .iter()
            .map(|p| p.outputs.ankle_venous_pressure_mmhg)
            .fold(f64::MAX, f64::min);
        assert!(highest - lowest > 20.0, "{lowest}..{highest}");
    }

    #[test]
    fn leaking_valves_keep_ankle_pressure_up_as_badly_as_they_leak() {
        let walking = |reflux_severity: f64| {
            PumpModel::new(Legs {
                valves: Valves::SuperficialReflux,
                reflux_severity,
                ..Legs::default()
            })
            .and_then(|m| m.with_series(Series::None))
            .and_then(|m| m.walk(4.5, 2.0))
            .expect("walk")
            .result
            .walking_avp_mmhg
        };
        let competent = model()
            .with_series(Series::None)
            .and_then(|m| m.walk(4.5, 2.0))
            .expect("walk")
            .result
            .walking_avp_mmhg;
        let (none, half, full) = (walking(0.0), walking(0.5), walking(1.0));
        assert!((none - competent).abs() < 0.5, "{none} vs {competent}");
        assert!(none < half && half < full, "{none} {half} {full}");
    }

    #[test]
    fn a_long_run_reports_progress_and_stops_when_cancelled() {
        use crate::app::progress::tests::Recorder;
        // Followed to the end: the same result as unfollowed, progress to 100 %.
        let recorder = Arc::new(Recorder::default());
        let m = model().with_series(Series::None).expect("no chart");
        let followed = m
            .clone()
            .with_progress(recorder.clone())
            .sit(2.0, None)
            .expect("sit");
        assert_eq!(followed, m.sit(2.0, None).expect("sit"));
        let fractions = recorder.fractions();
        assert!(fractions.len() >= 90, "{fractions:?}");
        assert!(fractions.windows(2).all(|w| w[0] < w[1]));
        // Cancelled at a tenth: a typed error, and no more work after it.
        let recorder = Recorder::cancelling_at(0.1);
        let cancelled = m.clone().with_progress(recorder.clone()).sit(24.0, None);
        assert!(matches!(cancelled, Err(Error::Cancelled)), "{cancelled:?}");
        assert!(recorder.fractions().iter().all(|&f| f < 0.12));
        let recorder = Recorder::cancelling_at(0.5);
        let scenario = m.with_progress(recorder.clone()).run_scenario(
            r#"{"timeline": [{"posture": "sitting", "seconds": 86400},
                {"posture": "standing", "seconds": 3600, "activity": {"kind": "walk", "speed_kmh": 4}}]}"#,
        );
        assert!(matches!(scenario, Err(Error::Cancelled)), "{scenario:?}");
        assert!(recorder.fractions().iter().all(|&f| f < 0.52));
    }

    #[test]
    fn without_a_chart_the_result_comes_alone() {
        let run = model()
            .with_series(Series::None)
            .expect("no chart")
            .standing()
            .expect("standing");
        assert!(run.series.is_empty());
        assert!(run.result.standing_avp_mmhg > run.result.sitting_avp_mmhg);
        assert!(run.result.sitting_avp_mmhg > run.result.supine_avp_mmhg);
    }

    #[test]
    fn a_scenario_takes_the_models_person_unless_it_names_one() {
        let short = PumpModel::for_person(
            Person {
                height_cm: 150.0,
                sex: Sex::Female,
                lower_leg_volume_ml: None,
            },
            Valves::Competent,
            0.0,
        )
        .expect("legs")
        .with_series(Series::Chart { points: 50 })
        .expect("chart");
        let timeline = r#""timeline": [
            {"posture": "sitting", "seconds": 600},
            {"posture": "standing", "seconds": 120, "activity": {"kind": "walk", "speed_kmh": 4.5}}]"#;
        let ours = short
            .run_scenario(&format!("{{{timeline}}}"))
            .expect("scenario");
        let theirs = short
            .run_scenario(&format!(
                r#"{{"person": {{"height_cm": 195, "sex": "male"}}, {timeline}}}"#
            ))
            .expect("scenario");
        assert!(ours.result.steps > 150 && ours.result.pumped_ml > 0.0);
        assert_ne!(ours.result.pumped_ml, theirs.result.pumped_ml);
        assert!(ours.series.len() <= 50 && ours.series.len() >= 40);
    }

    #[test]
    fn bad_scenarios_are_typed_errors() {
        let m = model();
        for bad in [
            "",
            "[]",
            "{}",
            r#"{"timeline": []}"#,
            r#"{"timeline": [{"posture": "sitting", "seconds": -5}]}"#,
            r#"{"timeline": [{"posture": "sitting", "seconds": 1e308}]}"#,
            r#"{"compression_mmhg": 99, "timeline": [{"posture": "sitting", "seconds": 5}]}"#,
        ] {
            assert!(
                matches!(m.run_scenario(bad), Err(Error::InvalidInput { .. })),
                "{bad:?}"
            );
        }
        let huge = format!("{{\"x\": \"{}\"}}", "a".repeat(MAX_SCENARIO_BYTES));
        assert!(matches!(
            m.run_scenario(&huge),
            Err(Error::InvalidInput { .. })
        ));
    }

    #[test]
    fn downsampling_keeps_the_ends_and_the_deepest_dip() {
        let sample = |t: f64, avp: f64| Sample {
            t_s: t,
            muscle_mmhg: 0.0,
            outputs: crate::pump::Outputs {
                ankle_venous_pressure_mmhg: avp,
                calf_venous_volume_ml: 0.0,
                calf_tissue_excess_ml: 0.0,
                calf_outflow_ml_s: 0.0,
                popliteal_velocity_cm_s: 0.0,
                femoral_velocity_cm_s: 0.0,
                deep_transmural_mmhg: 0.0,
                central_venous_pressure_mmhg: 0.0,
                stroke_volume_ml: 0.0,
            },
        };
        let samples: Vec<Sample> = (0..10_000)
            .map(|i| sample(f64::from(i) * 0.1, if i == 4_321 { 20.0 } else { 80.0 }))
            .collect();
        let chart = downsample(&samples, 100);
        assert_eq!(chart.len(), 100);
        assert_eq!(chart[0].t_s, 0.0);
        assert!((chart[99].t_s - 999.9).abs() < 1e-9);
        assert!(
            chart
                .iter()
                .any(|p| p.outputs.ankle_venous_pressure_mmhg == 20.0)
        );
        assert_eq!(downsample(&samples[..10], 100).len(), 10);
        assert!(downsample(&samples, 0).is_empty());
        // Two points: the run's two ends, so the chart spans the whole run.
        let ends: Vec<f64> = downsample(&samples, 2).iter().map(|p| p.t_s).collect();
        assert_eq!(ends.len(), 2);
        assert_eq!(ends[0], 0.0);
        assert!((ends[1] - 999.9).abs() < 1e-9, "{ends:?}");
    }
}
