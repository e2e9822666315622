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

    /// The law read the other way, pressure from volume, its constants
    /// worked out.
    pub(crate) fn law(&self) -> Law {
        let side = |span: f64| Side {
            inverse_span: 1.0 / span,
            scale: span / (FRAC_PI_2 * self.c0),
        };
        Law {
            v0: self.v0,
            collapsing: side(COLLAPSIBLE * self.v0),
            distending: side(self.dv_max),
        }
    }
}

/// A [`Vein`]'s pressure–volume law ready to evaluate: its constants
/// worked out once. The equations read three veins' pressures at every
/// evaluation, a tenth of a run's time; worked out each time, the volume
/// over its span put a second division on each one's path, before the
/// tangent's own (the benchmark runs took about 3 % longer).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Law {
    v0: f64,
    collapsing: Side,
    distending: Side,
}

/// One side of a [`Law`]: below or above the unstressed volume.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Side {
    /// 1 / the span of the arctangent's volume, 1/mL.
    inverse_span: f64,
    /// The pressure at unit tangent, span / (π/2 · C0), mmHg.
    scale: f64,
}

impl Law {
    /// The side `v` lies on and its distance from V0 in spans.
    fn place(&self, v: f64) -> (Side, f64) {
        let side = if v >= self.v0 {
            self.distending
        } else {
            self.collapsing
        };
        (side, (v - self.v0) * side.inverse_span)
    }

    /// Transmural pressure (mmHg) at volume `v` (mL).
    #[inline]
    pub fn pressure(&self, v: f64) -> f64 {
        let (side, x) = self.place(v);
        if x.abs() <= LIMIT {
            // scale · tan, the tangent's quotient and the product as one.
            let (numerator, denominator) = tan_half_pi_quotient(x);
            side.scale * numerator / denominator
        } else {
            self.pressure_and_stiffness(v).0
        }
    }

    /// Transmural pressure (mmHg) at volume `v` (mL) and its slope dP/dV
    /// there (mmHg/mL, the inverse of the compliance), from one tangent.
    pub fn pressure_and_stiffness(&self, v: f64) -> (f64, f64) {
        let (side, x) = self.place(v);
        // Beyond the limit, a straight continuation with the slope there.
        let edge = x.clamp(-LIMIT, LIMIT);
        let tan = tan_half_pi(edge);
        // d/dx tan(π/2·x) = π/2·(1 + tan²), and dx/dv = 1/span.
        let slope = side.scale * FRAC_PI_2 * (1.0 + tan * tan) * side.inverse_span;
        (
            side.scale * (tan + FRAC_PI_2 * (1.0 + tan * tan) * (x - edge)),
            slope,
        )
    }
}

/// tan(π/2 · `x`) for |x| < 1, within a few units in the last place.
///
/// The vein law's one transcendental, three times in every evaluation of
/// the equations: libm's general `tan` (argument reduction by π/2 for any
/// argument, a careful path for hard cases) took 15 % of a flight's run
/// and about 85 instructions a call. The argument here is already reduced:
/// for |x| ≤ ½ the angle is within π/4, and beyond it
/// tan(π/2·x) = 1/tan(π/2·(1 − |x|)), where 1 − |x| is exact (Sterbenz).
/// Within π/4 the tangent is Cephes's rational approximation (S. L.
/// Moshier, *Methods and Programs for Mathematical Functions*, 1989;
/// `tan.c`: a + a·z·P(z)/Q(z), z = a²), written as one quotient so either
/// branch costs one division: about 25 instructions, within 5·10⁻¹⁶ of
/// the exact tangent (checked in high precision over the range).
fn tan_half_pi(x: f64) -> f64 {
    let (numerator, denominator) = tan_half_pi_quotient(x);
    numerator / denominator
}

/// [`tan_half_pi`] as a numerator and a denominator, for a caller that
/// folds the division into its own.
fn tan_half_pi_quotient(x: f64) -> (f64, f64) {
    // Cephes's coefficients, to double precision.
    const P: [f64; 3] = [-13093.693918138379, 1153516.6483858742, -17956525.197648488];
    const Q: [f64; 4] = [
        13681.296347069296,
        -1320892.3444021097,
        25008380.18233579,
        -53869575.592945464,
    ];
    let magnitude = x.abs();
    let cotangent = magnitude > 0.5;
    let angle = FRAC_PI_2
        * if cotangent {
            1.0 - magnitude
        } else {
            magnitude
        };
    let z = angle * angle;
    let p = (P[0] * z + P[1]) * z + P[2];
    let q = (((z + Q[0]) * z + Q[1]) * z + Q[2]) * z + Q[3];
    // tan(angle) = (angle·q + angle·z·p) / q.
    let numerator = angle * (q + z * p);
    let (numerator, denominator) = if cotangent {
        (q, numerator)
    } else {
        (numerator, q)
    };
    (numerator.copysign(x), denominator.abs())
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
    fn tan_half_pi_is_the_tangent_to_a_few_ulps() {
        // Beyond ½ the reference is the cotangent of the exactly reduced
        // angle: libm's tan of the rounded π/2·x is itself off by up to
        // 10⁻¹³ near the pole.
        let reference = |x: f64| {
            if x.abs() <= 0.5 {
                (FRAC_PI_2 * x).tan()
            } else {
                (1.0 / (FRAC_PI_2 * (1.0 - x.abs())).tan()).copysign(x)
            }
        };
        let mut worst: f64 = 0.0;
        for i in -100_000..=100_000 {
            let x = 0.999 * f64::from(i) / 100_000.0;
            let error = if x == 0.0 {
                tan_half_pi(x).abs()
            } else {
                (tan_half_pi(x) / reference(x) - 1.0).abs()
            };
            worst = worst.max(error);
        }
        assert!(worst < 1e-15, "worst relative error {worst:e}");
        assert!(tan_half_pi(-0.0).is_sign_negative());
    }

    #[test]
    fn pressure_and_volume_are_inverse() {
        for p in [-40.0, -5.0, 0.0, 3.0, 20.0, 60.0, 95.0] {
            let v = CALF.volume(p);
            assert!(
                (CALF.law().pressure(v) - p).abs() < 1e-6,
                "{p}: {}",
                CALF.law().pressure(v)
            );
        }
    }

    #[test]
    fn stiffness_is_the_slope_of_the_pressure() {
        for v in [31.0, 45.0, 59.0, 61.0, 100.0, 160.0, 169.5, 175.0] {
            let slope = (CALF.law().pressure(v + 1e-5) - CALF.law().pressure(v - 1e-5)) / 2e-5;
            let stiffness = CALF.law().pressure_and_stiffness(v).1;
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
