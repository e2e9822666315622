//! What a cached day depends on, so that an update never serves a day
//! computed by older rules: the summary's format and arithmetic (a version
//! constant) and the pump model's yields for the person (recalibrating the
//! model changes them, and with them every day's pumped volume).

use std::sync::Mutex;

use crate::Result;
use crate::pump::{Person, PumpYield};

/// The version of [`super::DailySummary`]'s stored form and of
/// [`super::summarize`]. Bump it whenever either changes: every cached day
/// of another version is recomputed on its next read. Version 3: a sensor's
/// minute records count in the minute that ends at their stamp, no longer
/// the one after it. Version 4: the default litres goal is 50 L, no longer
/// 40 (a day's summary stores which goals it met). Version 5: a sensor's
/// minute is on the date its start is on (a zone change that started a new
/// date within a minute counted it on both). Version 6: a goal of 0 is met
/// only on a day that recorded something. Version 7: the breaks goal is met
/// only on a day whose minutes were recorded. Version 8: a seated minute
/// of calf exercise breaks a sit, and a minute two stockings stretches
/// share is worn once. Version 9: a walk logged by hand over walking a
/// sensor recorded yields to the sensor's minutes (the days cached before
/// had counted both). Version 10: a sitting bout across midnight counts
/// whole, on the day holding its middle (it had been cut in two).
pub const SUMMARY_CACHE_VERSION: u32 = 10;

/// The key a cached day is stored under: [`SUMMARY_CACHE_VERSION`] and the
/// exact yields of the pump model that computed it.
pub fn cache_key(pump_yield: &PumpYield) -> String {
    format!(
        "v{SUMMARY_CACHE_VERSION}:pump {:016x} {:016x} {:016x}",
        pump_yield.ml_per_step.to_bits(),
        pump_yield.ml_per_calf_raise.to_bits(),
        pump_yield.ml_per_ankle_pump.to_bits()
    )
}

/// Bodies whose yields were computed in this process (a profile rarely
/// changes; a handful covers tests that try several).
const REMEMBERED_BODIES: usize = 8;

static YIELDS: Mutex<Vec<(Person, PumpYield)>> = Mutex::new(Vec::new());

/// The pump model's yields for `person`, computed once per process and
/// body: a pure function of the body, so reads need no mutable state.
pub fn pump_yield_for(person: Person) -> Result<PumpYield> {
    let remembered = YIELDS.lock().ok().and_then(|yields| {
        yields
            .iter()
            .find(|(body, _)| *body == person)
            .map(|(_, y)| *y)
    });
    if let Some(y) = remembered {
        return Ok(y);
    }
    let y = PumpYield::for_person(person)?;
    if let Ok(mut yields) = YIELDS.lock() {
        if yields.len() >= REMEMBERED_BODIES {
            yields.remove(0);
        }
        yields.push((person, y));
    }
    Ok(y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_changes_with_the_pump_yields() {
        let y = PumpYield {
            ml_per_step: 6.0,
            ml_per_calf_raise: 80.0,
            ml_per_ankle_pump: 14.0,
        };
        let recalibrated = PumpYield {
            ml_per_step: 6.000_001,
            ..y
        };
        assert_eq!(cache_key(&y), cache_key(&y));
        assert_ne!(cache_key(&y), cache_key(&recalibrated));
        assert!(cache_key(&y).starts_with(&format!("v{SUMMARY_CACHE_VERSION}:")));
    }

    #[test]
    fn a_remembered_yield_is_the_models_own() {
        let person = Person::default();
        let first = pump_yield_for(person).expect("model");
        assert_eq!(first, PumpYield::for_person(person).expect("model"));
        assert_eq!(pump_yield_for(person).expect("remembered"), first);
    }
}
