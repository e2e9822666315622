//! The pressure–volume law of a collapsible vein.
//!
//! Above its unstressed volume V0 a vein distends along an arctangent:
//! compliance C0 at zero transmural pressure, falling as the wall stiffens,
//! up to a maximal distending volume ΔVmax (Heldt et al., J Appl Physiol
//! 2002;92:1239, after Hoffman 1992). Below V0 it collapses along the same
//! law mirrored with V0 as the limit, so volume never goes negative.

use std::f64::consts::FRAC_PI_2;

/// One compartment's pressure–volume law.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Vein {
    /// Unstressed volume, mL.
    pub v0: f64,
    /// Compliance at zero transmural pressure, mL/mmHg.
    pub c0: f64,
    /// Maximal distending volume above V0, mL.
    pub dv_max: f64,
}

/// The share of the unstressed volume a collapsing vein can lose.
const COLLAPSIBLE: f64 = 0.5;

/// The fraction of the arctangent's range beyond which the law continues
/// as a straight line, to keep pressure finite near full distension.
const LIMIT: f64 = 0.985;

impl Vein {
    /// Volume at transmural pressure `p` (mmHg).
    pub fn volume(&self, p: f64) -> f64 {
        let span = if p >= 0.0 {
            self.dv_max
        } else {
            COLLAPSIBLE * self.v0
        };
        self.v0 + span / FRAC_PI_2 * (FRAC_PI_2 * self.c0 * p / span).atan()
    }

    /// Transmural pressure (mmHg) at volume `v` (mL).
    pub fn pressure(&self, v: f64) -> f64 {
        let span = if v >= self.v0 {
            self.dv_max
        } else {
            COLLAPSIBLE * self.v0
        };
        let x = (v - self.v0) / span;
        if x.abs() <= LIMIT {
            span / (FRAC_PI_2 * self.c0) * (FRAC_PI_2 * x).tan()
        } else {
            self.pressure_and_stiffness(v).0
        }
    }

    /// Transmural pressure (mmHg) at volume `v` (mL) and its slope dP/dV
    /// there (mmHg/mL, the inverse of the compliance), from one tangent.
    pub fn pressure_and_stiffness(&self, v: f64) -> (f64, f64) {
        let span = if v >= self.v0 {
            self.dv_max
        } else {
            COLLAPSIBLE * self.v0
        };
        let x = (v - self.v0) / span;
        let k = span / (FRAC_PI_2 * self.c0);
        // Beyond the limit, a straight continuation with the slope there.
        let edge = x.clamp(-LIMIT, LIMIT);
        let tan = (FRAC_PI_2 * edge).tan();
        // d/dx tan = 1 + tan².
        let slope = k * FRAC_PI_2 * (1.0 + tan * tan) / span;
        (k * tan + slope * (x - edge) * span, slope)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CALF: Vein = Vein {
        v0: 60.0,
        c0: 20.0,
        dv_max: 110.0,
    };

    #[test]
    fn pressure_and_volume_are_inverse() {
        for p in [-40.0, -5.0, 0.0, 3.0, 20.0, 60.0, 95.0] {
            let v = CALF.volume(p);
            assert!(
                (CALF.pressure(v) - p).abs() < 1e-6,
                "{p}: {}",
                CALF.pressure(v)
            );
        }
    }

    #[test]
    fn stiffness_is_the_slope_of_the_pressure() {
        for v in [31.0, 45.0, 59.0, 61.0, 100.0, 160.0, 169.5, 175.0] {
            let slope = (CALF.pressure(v + 1e-5) - CALF.pressure(v - 1e-5)) / 2e-5;
            let stiffness = CALF.pressure_and_stiffness(v).1;
            assert!(
                (stiffness - slope).abs() < 1e-4 * slope.abs().max(1.0),
                "{v}: {stiffness} vs {slope}"
            );
        }
    }

    #[test]
    fn compliance_is_c0_at_zero_and_falls_as_the_vein_fills() {
        let slope = |p: f64| (CALF.volume(p + 0.01) - CALF.volume(p - 0.01)) / 0.02;
        assert!((slope(0.0) - 20.0).abs() < 0.01);
        assert!(slope(80.0) < 1.0);
        assert!(CALF.volume(500.0) < CALF.v0 + CALF.dv_max);
        assert!(CALF.volume(-500.0) > 0.49 * CALF.v0);
    }
}
