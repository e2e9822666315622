//! How much blood one step, one calf raise or one ankle pump sends up, for a
//! given person: the figures that turn a day's counts into litres pumped.

use serde::Serialize;

use super::geometry::Person;
use super::inputs::{Activity, Posture};
use super::model::Valves;
use super::simulate::Simulation;
use crate::Result;

/// Blood ejected from the calves per movement, mL (both legs).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PumpYield {
    /// Per step at an ordinary walking pace (4.5 km/h), steady state.
    pub ml_per_step: f64,
    /// Per calf raise with a 1 s hold, in a set of 20.
    pub ml_per_calf_raise: f64,
    /// Per ankle pump, seated, in a set of 30 at 30 a minute.
    pub ml_per_ankle_pump: f64,
}

/// Steps simulated before and while measuring the walking yield.
const WARM_UP_STRIDES: u64 = 40;
const MEASURED_STRIDES: u64 = 20;

impl PumpYield {
    /// Runs the model for `person` with competent valves and no garment,
    /// every cycle resolved: each yield is measured over 20–30 cycles, where
    /// following the envelope may err by a percent.
    pub fn for_person(person: Person) -> Result<Self> {
        let walk = Activity::Walk { speed_kmh: 4.5 };
        let mut sim = Simulation::new(person, Valves::Competent, 0.0)?.resolving_every_cycle();
        sim.settle(Posture::Standing);
        sim.exercise(walk, Posture::Standing, WARM_UP_STRIDES);
        let before = sim.totals().pumped_ml;
        sim.exercise(walk, Posture::Standing, MEASURED_STRIDES);
        sim.solved()?;
        let ml_per_step = (sim.totals().pumped_ml - before) / (2 * MEASURED_STRIDES) as f64;

        let raises = 20;
        let mut sim = Simulation::new(person, Valves::Competent, 0.0)?.resolving_every_cycle();
        sim.settle(Posture::Standing);
        sim.rest(Posture::Standing, 120.0);
        let raise = Activity::CalfRaises {
            rate_per_min: 20.0,
            hold_s: 1.0,
        };
        sim.exercise(raise, Posture::Standing, raises);
        sim.solved()?;
        let ml_per_calf_raise = sim.totals().pumped_ml / raises as f64;

        let pumps = 30;
        let mut sim = Simulation::new(person, Valves::Competent, 0.0)?.resolving_every_cycle();
        sim.settle(Posture::Sitting);
        sim.rest(Posture::Sitting, 120.0);
        let pump = Activity::AnklePumps { rate_per_min: 30.0 };
        sim.exercise(pump, Posture::Sitting, pumps);
        sim.solved()?;
        let ml_per_ankle_pump = sim.totals().pumped_ml / pumps as f64;
        Ok(Self {
            ml_per_step,
            ml_per_calf_raise,
            ml_per_ankle_pump,
        })
    }

    /// Blood the calves send up, mL, for `steps` (both legs), `calf_raises`
    /// and `ankle_pumps`: the one weighting of movements into volume, shared
    /// by the day's summary and the live session counter.
    pub fn pumped_ml(&self, steps: u32, calf_raises: u32, ankle_pumps: u32) -> f64 {
        f64::from(steps) * self.ml_per_step
            + f64::from(calf_raises) * self.ml_per_calf_raise
            + f64::from(ankle_pumps) * self.ml_per_ankle_pump
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volume_weighs_each_movement_by_its_own_yield() {
        let y = PumpYield {
            ml_per_step: 6.0,
            ml_per_calf_raise: 80.0,
            ml_per_ankle_pump: 10.0,
        };
        assert_eq!(y.pumped_ml(0, 0, 0), 0.0);
        assert_eq!(y.pumped_ml(1_000, 20, 30), 6_000.0 + 1_600.0 + 300.0);
        assert_eq!(y.pumped_ml(u32::MAX, 0, 0), f64::from(u32::MAX) * 6.0);
    }

    #[test]
    fn a_calf_raise_pumps_most_and_steady_walking_moves_the_inflow() {
        let y = PumpYield::for_person(Person::default()).expect("model");
        // Steady walking ejects what flowed in since the last stride: a few
        // mL per step once the calf is emptied.
        assert!(y.ml_per_step > 2.0 && y.ml_per_step < 30.0, "{y:?}");
        // One tiptoe ejects 40–70 % of a 100–150 mL calf venous volume per
        // leg (APG, Christopoulos 1987); the next ones of a set eject what
        // flowed in since (raises every 3 s, hyperaemic calf flow ≈ 5 mL/s):
        // mean of a set of 20, both legs.
        assert!(
            y.ml_per_calf_raise > 20.0 && y.ml_per_calf_raise < 250.0,
            "{y:?}"
        );
        assert!(
            y.ml_per_ankle_pump > y.ml_per_step && y.ml_per_ankle_pump < y.ml_per_calf_raise,
            "{y:?}"
        );
    }
}
