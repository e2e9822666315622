//! Integrators: an adaptive, L-stable Rosenbrock method for the runs, and a
//! fixed-step classical Runge–Kutta for checking it.
//!
//! Full veins are stiff (pressure equalises between them in milliseconds)
//! while a flight lasts hours, and every calf contraction switches the
//! inputs. A one-step implicit method takes minute-long steps through quiet
//! stretches, restarts at no cost at each input change, and resolves each
//! contraction under error control. ROS2 (Verwer, Spee, Blom & Hundsdorfer,
//! SIAM J Sci Comput 1999;20:1456) is second order and L-stable, with an
//! embedded first-order solution for the error estimate.

use nalgebra::{SMatrix, SVector};

use super::model::N;

type Vector = SVector<f64, N>;
type Matrix = SMatrix<f64, N, N>;

/// γ = 1 + 1/√2 makes ROS2 L-stable.
const GAMMA: f64 = 1.0 + std::f64::consts::FRAC_1_SQRT_2;

/// Tolerances and limits of the adaptive integrator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerance {
    /// Relative tolerance.
    pub relative: f64,
    /// Absolute tolerance, in state units (mL).
    pub absolute: f64,
    /// Longest step, s.
    pub max_step: f64,
}

impl Default for Tolerance {
    fn default() -> Self {
        Self {
            relative: 1e-4,
            absolute: 1e-3,
            max_step: 600.0,
        }
    }
}

/// Counts of work done, for benchmarks and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Work {
    /// Accepted steps.
    pub steps: u64,
    /// Rejected steps.
    pub rejected: u64,
    /// Right-hand-side evaluations.
    pub evaluations: u64,
}

/// Steps a Jacobian is reused for before it is recomputed (it is also
/// recomputed after any rejected step). Rosenbrock methods tolerate an
/// approximate Jacobian; the error control keeps the accuracy.
const JACOBIAN_REUSE: u32 = 20;

/// Adaptive Rosenbrock integrator; keeps its step size and Jacobian between calls.
#[derive(Debug, Clone)]
pub struct Rosenbrock {
    tolerance: Tolerance,
    step: f64,
    jacobian: Matrix,
    jacobian_age: u32,
    /// Work done so far.
    pub work: Work,
}

impl Rosenbrock {
    /// An integrator with `tolerance`.
    pub fn new(tolerance: Tolerance) -> Self {
        Self {
            tolerance,
            step: 1e-3,
            jacobian: Matrix::zeros(),
            jacobian_age: JACOBIAN_REUSE,
            work: Work::default(),
        }
    }

    /// Advances `y` from `t0` to `t1` under `f(t, y, dy)`, with steps no
    /// longer than `max_step` (a contraction must not be stepped over:
    /// the stages sample the inputs only at the ends of a step). The inputs
    /// must be smooth inside the interval: callers cut at every input change.
    pub fn integrate(
        &mut self,
        f: &impl Fn(f64, &Vector, &mut Vector),
        y: &mut Vector,
        (t0, t1): (f64, f64),
        max_step: f64,
    ) {
        let mut t = t0;
        let mut dy = Vector::zeros();
        let mut h = self.step.min(t1 - t0).max(1e-9);
        let mut dy_fresh = false;
        while t1 - t > 1e-12 {
            h = h.min(t1 - t).min(self.tolerance.max_step).min(max_step);
            if !dy_fresh {
                f(t, y, &mut dy);
                self.work.evaluations += 1;
                dy_fresh = true;
            }
            if self.jacobian_age >= JACOBIAN_REUSE {
                let mut jacobian = Matrix::zeros();
                self.jacobian(f, t, y, &dy, &mut jacobian);
                self.jacobian = jacobian;
                self.jacobian_age = 0;
            }
            let lu = (Matrix::identity() - self.jacobian * (GAMMA * h)).lu();
            if !lu.is_invertible() {
                h *= 0.25;
                continue;
            }
            // The inputs depend on time (a contraction's ramp): the
            // non-autonomous form carries ∂f/∂t (Verwer et al. 1999, eq. 2.2).
            let mut ahead = Vector::zeros();
            let dt = 1e-6 * h.max(1e-3);
            f(t + dt, y, &mut ahead);
            let f_t = (ahead - dy) / dt;
            let k1 = lu
                .solve(&(dy + f_t * (GAMMA * h)))
                .unwrap_or_else(Vector::zeros);
            let mut f2 = Vector::zeros();
            f(t + h, &(*y + k1 * h), &mut f2);
            self.work.evaluations += 2;
            let k2 = lu
                .solve(&(f2 - k1 * 2.0 - f_t * (GAMMA * h)))
                .unwrap_or_else(Vector::zeros);
            let candidate = *y + k1 * (1.5 * h) + k2 * (0.5 * h);
            let error = (k1 + k2) * (0.5 * h);
            let norm = error
                .iter()
                .zip(y.iter().zip(candidate.iter()))
                .map(|(e, (a, b))| {
                    let scale =
                        self.tolerance.absolute + self.tolerance.relative * a.abs().max(b.abs());
                    (e / scale).powi(2)
                })
                .sum::<f64>()
                .sqrt()
                / (N as f64).sqrt();
            if norm <= 1.0 && candidate.iter().all(|v| v.is_finite()) {
                t += h;
                *y = candidate;
                self.work.steps += 1;
                self.jacobian_age += 1;
                dy_fresh = false;
                let grow = if norm < 1e-10 {
                    4.0
                } else {
                    (0.9 / norm.sqrt()).clamp(0.2, 4.0)
                };
                h *= grow;
            } else {
                self.work.rejected += 1;
                // A stale Jacobian is the first suspect.
                self.jacobian_age = JACOBIAN_REUSE;
                h *= (0.9 / norm.sqrt()).clamp(0.1, 0.5);
            }
        }
        self.step = h.max(1e-6);
    }

    fn jacobian(
        &mut self,
        f: &impl Fn(f64, &Vector, &mut Vector),
        t: f64,
        y: &Vector,
        dy: &Vector,
        jacobian: &mut Matrix,
    ) {
        let mut shifted = *y;
        let mut df = Vector::zeros();
        for j in 0..N {
            let delta = 1e-6 * y[j].abs().max(1.0);
            shifted[j] = y[j] + delta;
            f(t, &shifted, &mut df);
            jacobian.set_column(j, &((df - dy) / delta));
            shifted[j] = y[j];
        }
        self.work.evaluations += N as u64;
    }
}

/// Classical fourth-order Runge–Kutta with a fixed step `h`: slow, simple,
/// and the reference the tests hold the adaptive integrator to.
pub fn rk4(f: &impl Fn(f64, &Vector, &mut Vector), y: &mut Vector, t0: f64, t1: f64, h: f64) {
    let (mut k1, mut k2, mut k3, mut k4) = (
        Vector::zeros(),
        Vector::zeros(),
        Vector::zeros(),
        Vector::zeros(),
    );
    let mut t = t0;
    while t1 - t > 1e-12 {
        let h = h.min(t1 - t);
        f(t, y, &mut k1);
        f(t + h / 2.0, &(*y + k1 * (h / 2.0)), &mut k2);
        f(t + h / 2.0, &(*y + k2 * (h / 2.0)), &mut k3);
        f(t + h, &(*y + k3 * h), &mut k4);
        *y += (k1 + k2 * 2.0 + k3 * 2.0 + k4) * (h / 6.0);
        t += h;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stiff linear test problem: one fast and one slow decay.
    fn stiff(_: f64, y: &Vector, dy: &mut Vector) {
        *dy = Vector::zeros();
        dy[0] = -1000.0 * (y[0] - y[1]);
        dy[1] = -0.01 * y[1];
    }

    #[test]
    fn rosenbrock_takes_long_steps_on_a_stiff_problem_and_stays_accurate() {
        let mut y = Vector::zeros();
        y[0] = 2.0;
        y[1] = 1.0;
        let mut solver = Rosenbrock::new(Tolerance::default());
        solver.integrate(&stiff, &mut y, (0.0, 100.0), f64::MAX);
        let exact = (-1.0f64).exp();
        // Local tolerance 1e-4 over a hundred time units: global error ~1e-3.
        assert!((y[1] - exact).abs() < 2e-3, "{}", y[1]);
        assert!((y[0] - y[1]).abs() < 1e-3);
        assert!(solver.work.steps < 200, "{:?}", solver.work);
    }
}
