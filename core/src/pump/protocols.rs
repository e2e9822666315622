//! Standard clinical protocols, as the CLI's `model <protocol>` runs them.
//! Each returns the measurements its protocol defines (units in the names).

use serde::Serialize;

use super::geometry::Person;
use super::inputs::{Activity, Posture};
use super::model::Valves;
use super::simulate::{Interrupt, Sample, Simulation};
use crate::{Error, Result};

/// Who and what, for every protocol.
#[derive(Debug, Clone)]
pub struct Setup {
    /// Whose legs.
    pub person: Person,
    /// Valve competence.
    pub valves: Valves,
    /// How badly leaking valves leak, 0 to 1 (see [`Simulation::with_reflux`]).
    pub reflux_severity: f64,
    /// Garment pressure class (labelled ankle pressure), mmHg.
    pub compression_mmhg: f64,
    /// Keep a sample every this many seconds (for `--series` and `--plot`).
    pub sample_every_s: Option<f64>,
    /// Asked whether to stop (see [`Simulation::interrupt_when`]); a
    /// stopped protocol's result means nothing.
    pub interrupt: Option<Interrupt>,
}

impl Default for Setup {
    /// Average legs, competent valves (fully incompetent once made
    /// leaking), no garment, no samples.
    fn default() -> Self {
        Self {
            person: Person::default(),
            valves: Valves::default(),
            reflux_severity: 1.0,
            compression_mmhg: 0.0,
            sample_every_s: None,
            interrupt: None,
        }
    }
}

impl Setup {
    fn simulation(&self) -> Result<Simulation> {
        let mut sim = Simulation::with_reflux(
            self.person,
            self.valves,
            self.reflux_severity,
            self.compression_mmhg,
        )?;
        if let Some(every) = self.sample_every_s {
            sim.record_every(every);
        }
        if let Some(interrupt) = &self.interrupt {
            sim.interrupt_when(interrupt.clone());
        }
        Ok(sim)
    }
}

/// A protocol's result and, when asked, its time series.
#[derive(Debug, Clone, PartialEq)]
pub struct Run<T> {
    /// The measurements.
    pub result: T,
    /// Samples, when `sample_every_s` was set.
    pub series: Vec<Sample>,
}

/// The run's result and series, if the model solved it through.
fn finish<T>(result: T, sim: &Simulation) -> Result<Run<T>> {
    sim.solved()?;
    Ok(Run {
        result,
        series: sim.samples().to_vec(),
    })
}

fn avp(sim: &Simulation) -> f64 {
    sim.outputs().ankle_venous_pressure_mmhg
}

/// `standing`: supine rest, sitting rest, quiet standing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Standing {
    /// Ankle venous pressure lying, mmHg.
    pub supine_avp_mmhg: f64,
    /// … sitting, mmHg.
    pub sitting_avp_mmhg: f64,
    /// … standing still, mmHg.
    pub standing_avp_mmhg: f64,
}

/// Runs `standing`: 10 minutes in each posture.
pub fn standing(setup: &Setup) -> Result<Run<Standing>> {
    let mut sim = setup.simulation()?;
    sim.rest(Posture::Supine, 600.0);
    let supine = avp(&sim);
    sim.rest(Posture::Sitting, 600.0);
    let sitting = avp(&sim);
    sim.rest(Posture::Standing, 600.0);
    let result = Standing {
        supine_avp_mmhg: supine,
        sitting_avp_mmhg: sitting,
        standing_avp_mmhg: avp(&sim),
    };
    finish(result, &sim)
}

/// Seconds after which ankle pressure, resting in `posture`, has recovered
/// 90 % of its drop from `high` to `low` (none if it did not drop).
fn refill_time(sim: &mut Simulation, posture: Posture, low: f64, high: f64, limit_s: f64) -> f64 {
    let target = low + 0.9 * (high - low);
    if avp(sim) >= target {
        return 0.0;
    }
    let start = sim.time();
    while sim.time() - start < limit_s {
        sim.rest(posture, 0.25);
        if avp(sim) >= target {
            return sim.time() - start;
        }
    }
    limit_s
}

/// `walk`: quiet standing, walking, standing again.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Walk {
    /// Ankle venous pressure averaged over the last half minute of walking, mmHg.
    pub walking_avp_mmhg: f64,
    /// Standing pressure before, minus walking pressure, mmHg.
    pub avp_drop_mmhg: f64,
    /// Time to recover 90 % of the drop after stopping, s (0 if it did not drop).
    pub refill_time_s: f64,
    /// Blood ejected from one calf per step at steady walking, mL.
    pub ejected_ml_per_step: f64,
    /// Blood ejected by both calves over the walk, mL.
    pub pumped_ml: f64,
}

/// Runs `walk` at `speed_kmh` for `minutes`.
pub fn walk(setup: &Setup, speed_kmh: f64, minutes: f64) -> Result<Run<Walk>> {
    if !(0.5..=8.0).contains(&speed_kmh) || !(0.5..=600.0).contains(&minutes) {
        return Err(Error::invalid(
            "walk",
            format!("speed 0.5–8 km/h and 0.5–600 minutes (got {speed_kmh} km/h, {minutes} min)"),
        ));
    }
    let mut sim = setup.simulation()?;
    sim.settle(Posture::Standing);
    sim.rest(Posture::Standing, 300.0);
    let standing = avp(&sim);
    let activity = Activity::Walk { speed_kmh };
    let cycles = ((minutes * 60.0) / activity.period_s()).round().max(2.0) as u64;
    let last = ((30.0 / activity.period_s()).round() as u64).clamp(1, cycles - 1);
    sim.exercise(activity, Posture::Standing, cycles - last);
    let pumped_before = sim.totals().pumped_ml;
    // The last half minute: average ankle pressure over whole strides.
    let mut sum = 0.0;
    let mut lowest: f64 = f64::MAX;
    for _ in 0..last {
        sim.exercise(activity, Posture::Standing, 1);
        let p = avp(&sim);
        sum += p;
        lowest = lowest.min(p);
    }
    let walking = sum / last as f64;
    let per_step = (sim.totals().pumped_ml - pumped_before) / 2.0 / last as f64;
    let pumped = sim.totals().pumped_ml;
    let refill = refill_time(
        &mut sim,
        Posture::Standing,
        lowest.min(walking),
        standing,
        300.0,
    );
    let result = Walk {
        walking_avp_mmhg: walking,
        avp_drop_mmhg: standing - walking,
        refill_time_s: refill,
        ejected_ml_per_step: per_step,
        pumped_ml: pumped,
    };
    finish(result, &sim)
}

/// `tiptoe`: N tiptoe raises from quiet standing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Tiptoe {
    /// Ankle venous pressure just after the last raise, mmHg.
    pub avp_after_mmhg: f64,
    /// Time to recover 90 % of the drop, s (0 if it did not drop).
    pub refill_time_s: f64,
}

/// Runs `tiptoe`: `count` raises at `rate_per_min`.
pub fn tiptoe(setup: &Setup, count: u32, rate_per_min: f64) -> Result<Run<Tiptoe>> {
    if !(1..=100).contains(&count) || !(5.0..=60.0).contains(&rate_per_min) {
        return Err(Error::invalid(
            "tiptoe",
            format!("1–100 raises at 5–60 a minute (got {count} at {rate_per_min})"),
        ));
    }
    let mut sim = setup.simulation()?;
    sim.settle(Posture::Standing);
    sim.rest(Posture::Standing, 300.0);
    let standing = avp(&sim);
    let raise = Activity::CalfRaises {
        rate_per_min,
        hold_s: 0.0,
    };
    sim.exercise(raise, Posture::Standing, u64::from(count));
    let after = avp(&sim);
    let refill = refill_time(&mut sim, Posture::Standing, after, standing, 300.0);
    finish(
        Tiptoe {
            avp_after_mmhg: after,
            refill_time_s: refill,
        },
        &sim,
    )
}

/// `apg`: air plethysmography (Christopoulos & Nicolaides).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Apg {
    /// Venous volume: filling from legs-up to standing, mL.
    pub vv_ml: f64,
    /// Venous filling index: 90 % of VV over the time to fill it, mL/s.
    pub vfi_ml_s: f64,
    /// Ejected volume of one tiptoe, mL.
    pub ev_ml: f64,
    /// Ejection fraction, EV/VV, %.
    pub ef_pct: f64,
    /// Residual volume after ten tiptoes, mL.
    pub rv_ml: f64,
    /// Residual volume fraction, RV/VV, %.
    pub rvf_pct: f64,
}

/// The filling rate at which an APG trace reads as a plateau, mL per 10 s,
/// for the reference 175 cm adult (it scales with the leg's volume). Our
/// reading rule, not a published one: the plateau is read by eye.
const PLATEAU_ML_PER_10_S: f64 = 1.0;
/// 10 s of the APG trace, in its half-second samples.
const PLATEAU_WINDOW: usize = 20;

/// Stands still from a calf holding `from` mL until its volume levels off
/// as an APG operator reads it (the plateau: under [`PLATEAU_ML_PER_10_S`]
/// over 10 s for a leg `size` times the reference; the vein walls' slow
/// creep goes on after it), at most 10 minutes. Returns the trace: seconds
/// since standing still and calf venous volume, every half second.
fn stand_until_plateau(sim: &mut Simulation, from: f64, size: f64) -> Vec<(f64, f64)> {
    let mut trace = vec![(0.0, from)];
    let start = sim.time();
    let levelled = |trace: &[(f64, f64)]| {
        trace.len() > PLATEAU_WINDOW
            && (trace[trace.len() - 1].1 - trace[trace.len() - 1 - PLATEAU_WINDOW].1).abs()
                < PLATEAU_ML_PER_10_S * size
    };
    while sim.time() - start < 600.0 && !levelled(&trace) {
        sim.rest(Posture::Standing, 0.5);
        trace.push((sim.time() - start, sim.outputs().calf_venous_volume_ml));
    }
    trace
}

/// Runs `apg`.
pub fn apg(setup: &Setup) -> Result<Run<Apg>> {
    let mut sim = setup.simulation()?;
    let volume = |sim: &Simulation| sim.outputs().calf_venous_volume_ml;
    sim.settle(Posture::LegsRaised { angle_deg: 45.0 });
    sim.rest(Posture::LegsRaised { angle_deg: 45.0 }, 300.0);
    let empty = volume(&sim);
    // Stand up and fill until the trace levels off.
    let size = setup.person.size();
    let trace = stand_until_plateau(&mut sim, empty, size);
    let full = volume(&sim);
    let vv = full - empty;
    let vft90 = trace
        .iter()
        .find(|(_, v)| v - empty >= 0.9 * vv)
        .map_or(600.0, |(t, _)| *t);
    // A tiptoe: up and down.
    let raise = Activity::CalfRaises {
        rate_per_min: 30.0,
        hold_s: 0.0,
    };
    sim.exercise(raise, Posture::Standing, 1);
    let ev = full - volume(&sim);
    let after_tiptoe = volume(&sim);
    stand_until_plateau(&mut sim, after_tiptoe, size);
    let refilled = volume(&sim);
    sim.exercise(raise, Posture::Standing, 10);
    let rv = volume(&sim) - (refilled - vv);
    finish(
        Apg {
            vv_ml: vv,
            vfi_ml_s: 0.9 * vv / vft90.max(0.5),
            ev_ml: ev,
            ef_pct: 100.0 * ev / vv,
            rv_ml: rv,
            rvf_pct: 100.0 * rv / vv,
        },
        &sim,
    )
}

/// Doppler reports the centreline (peak) velocity, twice the mean in laminar flow.
const PEAK_OVER_MEAN: f64 = 2.0;

/// `ankle-pumps`: deep-vein flow velocity (peak, as Doppler reports it) at
/// rest and during ankle exercise, and the ankle's venous refill after it
/// (seated, what photoplethysmography's refill time measures after ten
/// dorsiflexions).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AnklePumps {
    /// Mean popliteal velocity at rest, cm/s.
    pub popliteal_velocity_rest_cm_s: f64,
    /// … during the exercise, cm/s.
    pub popliteal_velocity_exercise_cm_s: f64,
    /// Mean femoral velocity at rest, cm/s.
    pub femoral_velocity_rest_cm_s: f64,
    /// … during the exercise, cm/s.
    pub femoral_velocity_exercise_cm_s: f64,
    /// Time for ankle pressure to recover 90 % of its drop after the last
    /// pump, resting in the same posture, s (0 if it did not drop).
    pub refill_time_s: f64,
}

/// Runs `ankle-pumps` at `rate_per_min` for `minutes` in `posture`.
pub fn ankle_pumps(
    setup: &Setup,
    rate_per_min: f64,
    minutes: f64,
    posture: Posture,
) -> Result<Run<AnklePumps>> {
    if !(5.0..=90.0).contains(&rate_per_min) || !(0.5..=60.0).contains(&minutes) {
        return Err(Error::invalid(
            "ankle pumps",
            format!("5–90 a minute for 0.5–60 minutes (got {rate_per_min}, {minutes})"),
        ));
    }
    let mut sim = setup.simulation()?;
    sim.settle(posture);
    sim.rest(posture, 600.0);
    let mean = |sim: &mut Simulation, run: &mut dyn FnMut(&mut Simulation)| {
        let (t0, pop0, fem0) = (sim.time(), sim.popliteal_volume(), sim.femoral_volume());
        run(sim);
        let dt = (sim.time() - t0).max(1e-6);
        (
            (sim.popliteal_volume() - pop0) / dt,
            (sim.femoral_volume() - fem0) / dt,
        )
    };
    let (pop_rest, fem_rest) = mean(&mut sim, &mut |s| s.rest(posture, 60.0));
    let resting = avp(&sim);
    // Velocities are flow over the vein's resting cross-section, as a
    // Doppler probe sees a vein of that size.
    let (pop_area, fem_area) = sim.vein_areas();
    let pumps = Activity::AnklePumps { rate_per_min };
    // The first five pumps settle the flow; the rest (at least the last)
    // are measured: `cycles` in all.
    let cycles = (minutes * rate_per_min).round().max(1.0) as u64;
    let settling = (cycles - 1).min(5);
    sim.exercise(pumps, posture, settling);
    let (pop_ex, fem_ex) = mean(&mut sim, &mut |s| {
        s.exercise(pumps, posture, cycles - settling)
    });
    let after = avp(&sim);
    let refill = refill_time(&mut sim, posture, after, resting, 300.0);
    finish(
        AnklePumps {
            popliteal_velocity_rest_cm_s: PEAK_OVER_MEAN * pop_rest / pop_area,
            popliteal_velocity_exercise_cm_s: PEAK_OVER_MEAN * pop_ex / pop_area,
            femoral_velocity_rest_cm_s: PEAK_OVER_MEAN * fem_rest / fem_area,
            femoral_velocity_exercise_cm_s: PEAK_OVER_MEAN * fem_ex / fem_area,
            refill_time_s: refill,
        },
        &sim,
    )
}

/// `plr`: passive leg raising from semi-recumbent.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PassiveLegRaise {
    /// Blood shifted out of both legs in the first minute, mL.
    pub volume_shift_ml: f64,
    /// Largest stroke-volume rise, %.
    pub stroke_volume_change_peak_pct: f64,
    /// Stroke-volume change at the end, %.
    pub stroke_volume_change_end_pct: f64,
}

/// Runs `plr`: semi-recumbent (trunk 45°), then trunk flat and legs at `angle_deg` for `minutes`.
pub fn plr(setup: &Setup, angle_deg: f64, minutes: f64) -> Result<Run<PassiveLegRaise>> {
    if !(10.0..=90.0).contains(&angle_deg) || !(1.0..=60.0).contains(&minutes) {
        return Err(Error::invalid(
            "passive leg raise",
            format!("10–90° for 1–60 minutes (got {angle_deg}°, {minutes} min)"),
        ));
    }
    let mut sim = setup.simulation()?;
    let before = Posture::SemiRecumbent { trunk_deg: 45.0 };
    sim.settle(before);
    sim.rest(before, 300.0);
    let legs_before = sim.leg_blood_volume();
    let sv_before = sim.outputs().stroke_volume_ml;
    let raised = Posture::LegsRaised { angle_deg };
    let mut peak: f64 = f64::MIN;
    let mut shift = 0.0;
    let start = sim.time();
    while sim.time() - start < minutes * 60.0 {
        sim.rest(raised, 5.0);
        peak = peak.max(sim.outputs().stroke_volume_ml);
        if (sim.time() - start - 60.0).abs() < 2.5 {
            shift = 2.0 * (legs_before - sim.leg_blood_volume());
        }
    }
    let end = sim.outputs().stroke_volume_ml;
    finish(
        PassiveLegRaise {
            volume_shift_ml: shift,
            stroke_volume_change_peak_pct: 100.0 * (peak / sv_before - 1.0),
            stroke_volume_change_end_pct: 100.0 * (end / sv_before - 1.0),
        },
        &sim,
    )
}

/// A break from sitting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Break {
    /// A 5-minute walk at 4 km/h.
    Walk,
    /// 20 calf raises with a 1-second hold.
    CalfRaises,
    /// 30 seated ankle pumps.
    AnklePumps,
}

/// `sit`: a flight or a desk stretch.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Sit {
    /// Lower-leg volume change of one leg over the stretch (blood and tissue), mL.
    pub leg_volume_change_ml: f64,
    /// The same, % of the lower leg.
    pub leg_volume_change_pct: f64,
    /// Minutes of venous stasis.
    pub stasis_minutes: f64,
    /// Blood pumped by both calves, mL.
    pub pumped_ml: f64,
}

/// Runs `sit` for `hours`, with a break every `break_every_min` minutes.
pub fn sit(setup: &Setup, hours: f64, breaks: Option<(f64, Break)>) -> Result<Run<Sit>> {
    if !(0.1..=24.0).contains(&hours) {
        return Err(Error::invalid(
            "sit",
            format!("0.1 to 24 hours (got {hours})"),
        ));
    }
    if let Some((every, _)) = breaks
        && !(10.0..=240.0).contains(&every)
    {
        return Err(Error::invalid(
            "break",
            format!("every 10 to 240 minutes (got {every})"),
        ));
    }
    let mut sim = setup.simulation()?;
    sim.settle(Posture::Sitting);
    sim.rest(Posture::Sitting, 60.0);
    let start_volume = sim.lower_leg_fluid();
    let end = sim.time() + hours * 3600.0;
    while sim.time() < end - 1e-6 {
        let until_break = breaks.map_or(f64::MAX, |(every, _)| every * 60.0);
        sim.rest(Posture::Sitting, until_break.min(end - sim.time()));
        if let Some((_, kind)) = breaks
            && sim.time() < end - 1e-6
        {
            match kind {
                Break::Walk => {
                    let walk = Activity::Walk { speed_kmh: 4.0 };
                    sim.exercise(walk, Posture::Standing, (300.0 / walk.period_s()) as u64);
                }
                Break::CalfRaises => sim.exercise(
                    Activity::CalfRaises {
                        rate_per_min: 15.0,
                        hold_s: 1.0,
                    },
                    Posture::Standing,
                    20,
                ),
                Break::AnklePumps => {
                    sim.exercise(
                        Activity::AnklePumps { rate_per_min: 30.0 },
                        Posture::Sitting,
                        30,
                    );
                }
            }
        }
    }
    sim.rest(Posture::Sitting, 0.0);
    let change = sim.lower_leg_fluid() - start_volume;
    let totals = sim.totals();
    finish(
        Sit {
            leg_volume_change_ml: change,
            leg_volume_change_pct: 100.0 * change / sim.lower_leg_volume(),
            stasis_minutes: totals.stasis_minutes,
            pumped_ml: totals.pumped_ml,
        },
        &sim,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ankle_pumps_does_as_many_pumps_as_asked_however_few() {
        for (rate_per_min, minutes, asked) in [(5.0, 1.0, 5), (6.0, 0.5, 3), (20.0, 0.5, 10)] {
            let setup = Setup {
                sample_every_s: Some(0.05),
                ..Setup::default()
            };
            let run = ankle_pumps(&setup, rate_per_min, minutes, Posture::Sitting).expect("runs");
            let squeezing: Vec<bool> = run.series.iter().map(|s| s.muscle_mmhg > 1.0).collect();
            let pumps = squeezing.windows(2).filter(|w| !w[0] && w[1]).count();
            assert_eq!(pumps, asked, "{rate_per_min}/min for {minutes} min");
        }
    }
}
