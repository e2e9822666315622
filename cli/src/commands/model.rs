//! `model`: the calf-pump model's protocols and scenarios.

use anyhow::{Context, Result};
use second_heart_core::pump::protocols::{self, Break, Run, Setup};
use second_heart_core::pump::{Person, Posture, Sample, Scenario, Simulation, Valves};
use serde::Serialize;

use crate::args::Cli;
use crate::args::model::{BreakArg, ModelArgs, Protocol, RestingPosture, ValvesArg};
use crate::chart;
use crate::output::{out, print_json};

/// Runs a protocol (or a scenario) and prints its one JSON object.
pub fn run(cli: &Cli, args: &ModelArgs) -> Result<()> {
    let setup = Setup {
        person: Person {
            height_cm: args.height_cm,
            ..Person::default()
        },
        valves: match args.valves {
            ValvesArg::Competent => Valves::Competent,
            ValvesArg::SuperficialReflux => Valves::SuperficialReflux,
            ValvesArg::DeepReflux => Valves::DeepReflux,
        },
        compression_mmhg: args.compression_mmhg,
        sample_every_s: (args.series.is_some() || args.plot.is_some())
            .then(|| sample_interval(&args.protocol)),
    };
    match &args.protocol {
        Protocol::Standing => report(cli, args, protocols::standing(&setup)?),
        Protocol::Apg => report(cli, args, protocols::apg(&setup)?),
        Protocol::Walk { speed_kmh, minutes } => {
            report(cli, args, protocols::walk(&setup, *speed_kmh, *minutes)?)
        }
        Protocol::Tiptoe {
            count,
            rate_per_min,
        } => report(cli, args, protocols::tiptoe(&setup, *count, *rate_per_min)?),
        Protocol::AnklePumps {
            rate_per_min,
            minutes,
            posture,
        } => {
            let posture = match posture {
                RestingPosture::Sitting => Posture::Sitting,
                RestingPosture::Supine => Posture::Supine,
            };
            report(
                cli,
                args,
                protocols::ankle_pumps(&setup, *rate_per_min, *minutes, posture)?,
            )
        }
        Protocol::Plr { angle_deg, minutes } => {
            report(cli, args, protocols::plr(&setup, *angle_deg, *minutes)?)
        }
        Protocol::Sit {
            hours,
            break_every_min,
            break_kind,
        } => {
            let kind = match break_kind {
                BreakArg::Walk => Break::Walk,
                BreakArg::CalfRaises => Break::CalfRaises,
                BreakArg::AnklePumps => Break::AnklePumps,
            };
            report(
                cli,
                args,
                protocols::sit(&setup, *hours, break_every_min.map(|m| (m, kind)))?,
            )
        }
        Protocol::Run { scenario } => run_scenario(cli, args, &setup, scenario),
    }
}

/// How often to sample for `--series` and `--plot`: fine enough to see
/// each contraction, coarse enough for hours of sitting.
fn sample_interval(protocol: &Protocol) -> f64 {
    match protocol {
        Protocol::Sit { .. } => 10.0,
        Protocol::Plr { .. } | Protocol::Run { .. } => 1.0,
        _ => 0.1,
    }
}

fn report<T: Serialize>(cli: &Cli, args: &ModelArgs, run: Run<T>) -> Result<()> {
    write_outputs(args, &run.series)?;
    if cli.json {
        return print_json(&run.result);
    }
    let value = serde_json::to_value(&run.result)?;
    if let Some(fields) = value.as_object() {
        for (key, value) in fields {
            let number = value
                .as_f64()
                .map_or_else(|| value.to_string(), |n| format!("{n:.1}"));
            out!("{key:<36} {number}");
        }
    }
    Ok(())
}

fn write_outputs(args: &ModelArgs, series: &[Sample]) -> Result<()> {
    if let Some(path) = &args.series {
        let mut writer = csv::Writer::from_path(path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        for sample in series {
            writer.serialize(SeriesRow::from(sample))?;
        }
        writer.flush()?;
    }
    if let Some(path) = &args.plot {
        chart::draw(path, series)?;
    }
    Ok(())
}

#[derive(Serialize)]
struct ScenarioResult {
    duration_s: f64,
    pumped_ml: f64,
    stasis_minutes: f64,
    steps: u64,
    contractions: u64,
    final_ankle_venous_pressure_mmhg: f64,
    final_calf_tissue_excess_ml: f64,
}

fn run_scenario(cli: &Cli, args: &ModelArgs, setup: &Setup, path: &std::path::Path) -> Result<()> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let scenario = Scenario::from_json(&text).with_context(|| format!("in {}", path.display()))?;
    let mut sim = Simulation::new(scenario.person, scenario.valves, scenario.compression_mmhg)?;
    if setup.sample_every_s.is_some() {
        let total: f64 = scenario.timeline.iter().map(|s| s.seconds).sum();
        sim.record_every((total / 20_000.0).max(0.1));
    }
    sim.run(&scenario);
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
    report(
        cli,
        args,
        Run {
            result,
            series: sim.samples().to_vec(),
        },
    )
}

/// One CSV row of the time series (units in the column names).
#[derive(Serialize)]
struct SeriesRow {
    t_s: f64,
    muscle_mmhg: f64,
    ankle_venous_pressure_mmhg: f64,
    calf_venous_volume_ml: f64,
    calf_tissue_excess_ml: f64,
    calf_outflow_ml_s: f64,
    popliteal_velocity_cm_s: f64,
    femoral_velocity_cm_s: f64,
    deep_transmural_mmhg: f64,
    central_venous_pressure_mmhg: f64,
    stroke_volume_ml: f64,
}

impl From<&Sample> for SeriesRow {
    fn from(s: &Sample) -> Self {
        let o = &s.outputs;
        Self {
            t_s: s.t_s,
            muscle_mmhg: s.muscle_mmhg,
            ankle_venous_pressure_mmhg: o.ankle_venous_pressure_mmhg,
            calf_venous_volume_ml: o.calf_venous_volume_ml,
            calf_tissue_excess_ml: o.calf_tissue_excess_ml,
            calf_outflow_ml_s: o.calf_outflow_ml_s,
            popliteal_velocity_cm_s: o.popliteal_velocity_cm_s,
            femoral_velocity_cm_s: o.femoral_velocity_cm_s,
            deep_transmural_mmhg: o.deep_transmural_mmhg,
            central_venous_pressure_mmhg: o.central_venous_pressure_mmhg,
            stroke_volume_ml: o.stroke_volume_ml,
        }
    }
}
