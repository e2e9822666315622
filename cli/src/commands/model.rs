//! `model`: the calf-pump model's protocols and scenarios.

use anyhow::{Context, Result};
use second_heart_core::app::{Legs, ModelRun, PumpModel, PumpingPosture, Series, SitBreaks};
use second_heart_core::pump::protocols::Break;
use second_heart_core::pump::{Person, Sample, Valves};
use serde::Serialize;

use crate::args::Cli;
use crate::args::model::{BreakArg, ModelArgs, Protocol, RestingPosture, ValvesArg};
use crate::chart;
use crate::output::{out, print_json};

/// Runs a protocol (or a scenario) and prints its one JSON object.
pub fn run(cli: &Cli, args: &ModelArgs) -> Result<()> {
    let legs = Legs {
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
        ..Legs::default()
    };
    let series = if args.series.is_some() || args.plot.is_some() {
        Series::Full
    } else {
        Series::None
    };
    let model = PumpModel::new(legs)?.with_series(series)?;
    match &args.protocol {
        Protocol::Standing => report(cli, args, model.standing()?),
        Protocol::Apg => report(cli, args, model.apg()?),
        Protocol::Walk { speed_kmh, minutes } => {
            report(cli, args, model.walk(*speed_kmh, *minutes)?)
        }
        Protocol::Tiptoe {
            count,
            rate_per_min,
        } => report(cli, args, model.tiptoe(*count, *rate_per_min)?),
        Protocol::AnklePumps {
            rate_per_min,
            minutes,
            posture,
        } => {
            let posture = match posture {
                RestingPosture::Sitting => PumpingPosture::Sitting,
                RestingPosture::Supine => PumpingPosture::Supine,
            };
            report(
                cli,
                args,
                model.ankle_pumps(*rate_per_min, *minutes, posture)?,
            )
        }
        Protocol::Plr { angle_deg, minutes } => {
            report(cli, args, model.passive_leg_raise(*angle_deg, *minutes)?)
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
            let breaks = break_every_min.map(|every_min| SitBreaks { every_min, kind });
            report(cli, args, model.sit(*hours, breaks)?)
        }
        Protocol::Run { scenario } => {
            let text = std::fs::read_to_string(scenario)
                .with_context(|| format!("cannot read {}", scenario.display()))?;
            let run = model
                .run_scenario(&text)
                .with_context(|| format!("in {}", scenario.display()))?;
            report(cli, args, run)
        }
    }
}

fn report<T: Serialize>(cli: &Cli, args: &ModelArgs, run: ModelRun<T>) -> Result<()> {
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
