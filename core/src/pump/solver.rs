//! Integrators: an adaptive, L-stable Rosenbrock method for the runs, and a
//! fixed-step classical Runge–Kutta for checking it.
//!
//! Full veins are stiff (pressure equalises between them in milliseconds)
//! while a flight lasts hours, and every calf contraction switches the
//! inputs. A one-step linearly implicit method takes minute-long steps
//! through quiet stretches, restarts at no cost at each input change, and
//! resolves each contraction under error control.
//!
//! The method is ROS34PW2 of Rang & Angermann (BIT Numer Math 2005;45:761):
//! four stages, third order, L-stable and stiffly accurate, with an embedded
//! second-order solution for the error estimate. It is a W-method: it keeps
//! its order with an approximate Jacobian, so one Jacobian serves many
//! steps. Its second-order estimate follows a vein collapsing under a
//! contraction far better than a first-order one (which reads the forcing's
//! rate as error and forces millisecond steps).

use nalgebra::{SMatrix, SVector};

use super::model::{COUPLED, Jacobian, LATER, N};

type Vector = SVector<f64, N>;
type Block = SMatrix<f64, COUPLED, COUPLED>;
type Coupled = SVector<f64, COUPLED>;

/// The step's matrix over the coupled states, factorised with partial
/// pivoting (PA = LU, as LAPACK's `getrf` stores it) for the four solves of
/// every step. Written out for this one small size because the solves are
/// the integrator's hottest loop: nalgebra's general triangular solves took
/// a quarter of a flight's run, these loops over fixed bounds a fraction
/// of that (see `docs/pump-model.md`, Performance).
#[derive(Debug, Clone, Copy, Default)]
struct Factor {
    /// L below the diagonal (its unit diagonal implied) and U on and above
    /// it, by rows.
    lu: [[f64; COUPLED]; COUPLED],
    /// 1/U's diagonal.
    inverse_diagonal: [f64; COUPLED],
    /// The row pivoting brought to row i: (Pb)ᵢ = b[order[i]].
    order: [usize; COUPLED],
}

impl Factor {
    /// Factorises `matrix` in place (the integrator keeps one factor and
    /// overwrites it: moving it cost a copy of its 500 bytes every step);
    /// false if the matrix is singular (a zero pivot) or not finite, and
    /// what is left in `self` is then no factor.
    fn factorise(&mut self, matrix: &Block) -> bool {
        let Self {
            lu,
            inverse_diagonal,
            order,
        } = self;
        for (i, row) in lu.iter_mut().enumerate() {
            for (j, entry) in row.iter_mut().enumerate() {
                *entry = matrix[(i, j)];
            }
        }
        *order = std::array::from_fn(|i| i);
        for k in 0..COUPLED {
            let mut pivot = k;
            for i in k + 1..COUPLED {
                if lu[i][k].abs() > lu[pivot][k].abs() {
                    pivot = i;
                }
            }
            let diagonal = lu[pivot][k];
            if diagonal == 0.0 || !diagonal.is_finite() {
                return false;
            }
            lu.swap(k, pivot);
            order.swap(k, pivot);
            let inverse = 1.0 / diagonal;
            inverse_diagonal[k] = inverse;
            let row = lu[k];
            for lower in lu.iter_mut().skip(k + 1) {
                let multiplier = lower[k] * inverse;
                lower[k] = multiplier;
                for j in k + 1..COUPLED {
                    lower[j] -= multiplier * row[j];
                }
            }
        }
        true
    }

    /// x with G x = `b`.
    ///
    /// By columns: each solved unknown is taken out of all the rows below
    /// (or above) it at once, so the updates of one column are independent
    /// of each other. By rows, every unknown waited on a chain of
    /// multiply–adds one after the other, and the solves took 13 % of a
    /// flight's run.
    // Index loops over fixed bounds: the compiler unrolls them; the same
    // with iterators over slices ran 7 % slower on the benchmark day.
    #[allow(clippy::needless_range_loop)]
    fn solve(&self, b: &Coupled) -> Coupled {
        let mut x: [f64; COUPLED] = std::array::from_fn(|i| b[self.order[i]]);
        for j in 0..COUPLED {
            for i in j + 1..COUPLED {
                x[i] -= self.lu[i][j] * x[j];
            }
        }
        for j in (0..COUPLED).rev() {
            x[j] *= self.inverse_diagonal[j];
            for i in 0..j {
                x[i] -= self.lu[i][j] * x[j];
            }
        }
        Coupled::from(x)
    }
}

/// A system of ODEs dy/dt = f(t, y), with its Jacobian if known.
pub trait System {
    /// dy/dt at `t`, `y`.
    fn rhs(&self, t: f64, y: &Vector, dy: &mut Vector);

    /// ∂f/∂y at `t`, `y` (see [`Jacobian`]: every rate over the coupled
    /// states, each later state's rate over itself), if worked out
    /// analytically (true); otherwise the integrator takes finite
    /// differences (false).
    fn jacobian(&self, _t: f64, _y: &Vector, _jacobian: &mut Jacobian) -> bool {
        false
    }
}

impl<F: Fn(f64, &Vector, &mut Vector)> System for F {
    fn rhs(&self, t: f64, y: &Vector, dy: &mut Vector) {
        self(t, y, dy)
    }
}

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
    /// Relative 3·10⁻⁴ and 3·10⁻³ mL keep a minute of walking within 0.1 %
    /// (pumped volume) and 0.1 mmHg of a 1 ms RK4 reference; 10⁻³ drifts to
    /// 1 % and, through the stiff top of a full vein's pressure–volume law,
    /// to mmHg errors in the refill.
    fn default() -> Self {
        Self {
            relative: 3e-4,
            absolute: 3e-3,
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
    /// Right-hand-side evaluations (finite-difference Jacobians included).
    pub evaluations: u64,
    /// Jacobians worked out analytically.
    pub jacobians: u64,
    /// LU factorisations of the step's matrix.
    pub factorisations: u64,
}

/// The shortest step the error control may ask for, s. The model's
/// fastest legitimate steps (a vein collapsing under a calf raise) are
/// milliseconds; a step shrunk below this cannot succeed, and going on
/// would never end.
const SHORTEST_STEP_S: f64 = 1e-9;

/// An integration that could not go on: the step shrank below
/// [`SHORTEST_STEP_S`] without passing, as it does when the equations give
/// no finite value (a non-finite state or slope) or a matrix that will
/// not factorise. The state is left where the last accepted step ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stalled {
    /// Where it stopped, s.
    pub at_s: f64,
}

/// Stages of the method.
const STAGES: usize = 4;
type Square = SMatrix<f64, STAGES, STAGES>;
type Row = nalgebra::SVector<f64, STAGES>;

/// ROS34PW2 (Rang & Angermann, BIT Numer Math 2005;45:761) as published:
/// Y_i = y + Σ αᵢⱼ kⱼ, kᵢ = h f(t + αᵢh, Yᵢ) + h J Σⱼ γᵢⱼ kⱼ + γᵢ h² ∂f/∂t,
/// y₁ = y + Σ bᵢ kᵢ, and b̂ for the embedded second-order solution.
/// A W-method: third order whatever the Jacobian J, so one J serves many
/// steps; stiffly accurate and L-stable.
const GAMMA: f64 = 4.358_665_215_084_59e-1;
const ALPHA: [[f64; STAGES]; STAGES] = [
    [0.0, 0.0, 0.0, 0.0],
    [8.717_330_430_169_18e-1, 0.0, 0.0, 0.0],
    [
        8.445_706_001_536_942e-1,
        -1.129_906_423_648_418_5e-1,
        0.0,
        0.0,
    ],
    [0.0, 0.0, 1.0, 0.0],
];
const GAMMAS: [[f64; STAGES]; STAGES] = [
    [GAMMA, 0.0, 0.0, 0.0],
    [-8.717_330_430_169_18e-1, GAMMA, 0.0, 0.0],
    [
        -9.033_805_701_304_408e-1,
        5.418_067_238_809_533e-2,
        GAMMA,
        0.0,
    ],
    [
        2.421_238_070_609_534_6e-1,
        -1.223_250_583_904_514_7,
        5.452_602_553_351_021e-1,
        GAMMA,
    ],
];
const B: [f64; STAGES] = [
    2.421_238_070_609_534_6e-1,
    -1.223_250_583_904_514_7,
    1.545_260_255_335_102,
    GAMMA,
];
const B_HAT: [f64; STAGES] = [
    3.781_090_314_581_937e-1,
    -9.604_229_221_242_318e-2,
    0.5,
    2.179_332_607_542_295e-1,
];

/// The method in the transformed variables uᵢ = Σⱼ γᵢⱼ kⱼ of Hairer &
/// Wanner (*Solving ODEs II*, 2nd ed., 1996, IV.7), which needs no
/// matrix–vector products: with G = I/(hγ) − J,
/// G uᵢ = f(t + αᵢh, y + Σⱼ aᵢⱼ uⱼ) + Σⱼ (cᵢⱼ/h) uⱼ + γᵢ h ∂f/∂t,
/// y₁ = y + Σ mᵢ uᵢ, error Σ eᵢ uᵢ.
#[derive(Debug, Clone, Copy)]
struct Tableau {
    a: Square,
    c: Square,
    alpha: Row,
    gamma_sum: Row,
    m: Row,
    e: Row,
}

impl Tableau {
    fn ros34pw2() -> Self {
        let alpha = Square::from_fn(|i, j| ALPHA[i][j]);
        let gammas = Square::from_fn(|i, j| GAMMAS[i][j]);
        // Lower triangular with γ on the diagonal: always invertible.
        let inverse = gammas
            .try_inverse()
            .unwrap_or_else(|| Square::identity() / GAMMA);
        let b = Row::from_fn(|i, _| B[i]);
        let b_hat = Row::from_fn(|i, _| B_HAT[i]);
        Self {
            a: alpha * inverse,
            c: Square::identity() / GAMMA - inverse,
            alpha: Row::from_fn(|i, _| ALPHA[i].iter().sum()),
            gamma_sum: Row::from_fn(|i, _| GAMMAS[i].iter().sum()),
            m: inverse.transpose() * b,
            e: inverse.transpose() * (b - b_hat),
        }
    }
}

/// Steps a Jacobian is reused for before it is recomputed (it is also
/// recomputed after any rejected step). The error control keeps the
/// accuracy with an approximate Jacobian.
const JACOBIAN_REUSE: u32 = 20;
/// Largest and smallest factors a step may grow or shrink by.
const GROW_MAX: f64 = 6.0;
const SHRINK_MIN: f64 = 0.2;
/// Safety factor on the step the error estimate proposes.
const SAFETY: f64 = 0.9;

/// Adaptive Rosenbrock integrator; keeps its step size and Jacobian between calls.
#[derive(Debug, Clone)]
pub struct Rosenbrock {
    tolerance: Tolerance,
    method: Tableau,
    step: f64,
    jacobian: Jacobian,
    /// The factorised G = I/(γh) − J …
    factor: Factor,
    /// … for this step h (`None`: no factor, or one of a stale Jacobian).
    factored_for: Option<f64>,
    jacobian_age: u32,
    /// Work done so far.
    pub work: Work,
}

impl Rosenbrock {
    /// An integrator with `tolerance`.
    pub fn new(tolerance: Tolerance) -> Self {
        Self {
            tolerance,
            method: Tableau::ros34pw2(),
            step: 1e-3,
            jacobian: Jacobian::default(),
            factor: Factor::default(),
            factored_for: None,
            jacobian_age: JACOBIAN_REUSE,
            work: Work::default(),
        }
    }

    /// Starts the next interval with a first step of `step`, so that
    /// repeated cycles are stepped alike.
    pub fn restart(&mut self, step: f64) {
        self.step = step;
    }

    /// Advances `y` from `t0` to `t1` under `f(t, y, dy)`, with steps no
    /// longer than `max_step` (a contraction must not be stepped over).
    /// The inputs must be smooth inside the interval: callers cut at every
    /// input change. `time_dependent` says whether `f` depends on `t`
    /// itself (a contraction's ramp) or only on the state. Ends early with
    /// [`Stalled`] if the step control cannot go on.
    pub fn integrate(
        &mut self,
        f: &impl System,
        y: &mut Vector,
        span: (f64, f64),
        max_step: f64,
        time_dependent: bool,
    ) -> Result<(), Stalled> {
        self.run(
            f,
            y,
            span,
            max_step,
            time_dependent,
            None::<&mut fn(&Step) -> bool>,
        )
    }

    /// The same as [`Self::integrate`] for an autonomous `f`, showing
    /// `observe` every accepted step (for what happens inside one, see
    /// [`Step::at`]); stops after the step if it answers false. Costs no
    /// more: the right-hand side at each step's end, which the step shows,
    /// is the next step's first.
    pub fn integrate_observed(
        &mut self,
        f: &impl System,
        y: &mut Vector,
        span: (f64, f64),
        observe: &mut impl FnMut(&Step) -> bool,
    ) -> Result<(), Stalled> {
        self.run(f, y, span, f64::MAX, false, Some(observe))
    }

    fn run(
        &mut self,
        f: &impl System,
        y: &mut Vector,
        (t0, t1): (f64, f64),
        max_step: f64,
        time_dependent: bool,
        mut observe: Option<&mut impl FnMut(&Step) -> bool>,
    ) -> Result<(), Stalled> {
        let method = self.method;
        let mut t = t0;
        let mut dy = Vector::zeros();
        let mut h = self.step.min(t1 - t0).max(1e-9);
        let mut dy_fresh = false;
        let mut just_rejected = false;
        while t1 - t > 1e-12 {
            if h < SHORTEST_STEP_S && h < t1 - t {
                // The next run starts afresh: a new step and Jacobian.
                self.step = 1e-3;
                self.jacobian_age = JACOBIAN_REUSE;
                self.factored_for = None;
                return Err(Stalled { at_s: t });
            }
            h = h.min(t1 - t).min(self.tolerance.max_step).min(max_step);
            if !dy_fresh {
                f.rhs(t, y, &mut dy);
                self.work.evaluations += 1;
                dy_fresh = true;
            }
            if self.jacobian_age >= JACOBIAN_REUSE {
                self.jacobian = self.jacobian(f, t, y, &dy);
                self.jacobian_age = 0;
                self.factored_for = None;
            }
            // G = I/(γh) − J. Only the block of the coupled states is
            // factorised; each later state (creep, running totals) then
            // follows from it and its own slope. The same step with the
            // same Jacobian is the same matrix, factorised already.
            if self.factored_for != Some(h) {
                let g = Block::identity() / (GAMMA * h)
                    - self.jacobian.coupled.fixed_view::<COUPLED, COUPLED>(0, 0);
                if !self.factor.factorise(&g) {
                    self.factored_for = None;
                    h *= 0.25;
                    continue;
                }
                self.factored_for = Some(h);
                self.work.factorisations += 1;
            }
            let lu = &self.factor;
            let later_jacobian = self
                .jacobian
                .coupled
                .fixed_view::<LATER, COUPLED>(COUPLED, 0);
            let later_diagonal = self.jacobian.own.map(|own| 1.0 / (GAMMA * h) - own);
            let solve = |rhs: &Vector| {
                let coupled = lu.solve(&rhs.fixed_rows::<COUPLED>(0).into_owned());
                let later = (rhs.fixed_rows::<LATER>(COUPLED) + later_jacobian * coupled)
                    .component_div(&later_diagonal);
                let mut u = Vector::zeros();
                u.fixed_rows_mut::<COUPLED>(0).copy_from(&coupled);
                u.fixed_rows_mut::<LATER>(COUPLED).copy_from(&later);
                u
            };
            // Under a contraction's ramp the non-autonomous form carries ∂f/∂t.
            let f_t = if time_dependent {
                let mut ahead = Vector::zeros();
                let dt = 1e-6 * h.max(1e-3);
                f.rhs(t + dt, y, &mut ahead);
                self.work.evaluations += 1;
                (ahead - dy) / dt
            } else {
                Vector::zeros()
            };

            let mut k = [Vector::zeros(); STAGES];
            let mut stage_f = dy;
            for i in 0..STAGES {
                if i > 0 {
                    let mut stage_y = *y;
                    for (j, kj) in k.iter().enumerate().take(i) {
                        stage_y += kj * method.a[(i, j)];
                    }
                    f.rhs(t + method.alpha[i] * h, &stage_y, &mut stage_f);
                    self.work.evaluations += 1;
                }
                let mut rhs = stage_f + f_t * (method.gamma_sum[i] * h);
                for (j, kj) in k.iter().enumerate().take(i) {
                    rhs += kj * (method.c[(i, j)] / h);
                }
                k[i] = solve(&rhs);
            }
            let mut candidate = *y;
            let mut error = Vector::zeros();
            for (i, ki) in k.iter().enumerate() {
                candidate += ki * method.m[i];
                error += ki * method.e[i];
            }
            let norm = self.error_norm(&error, y, &candidate);
            // The embedded solution is second order: the error goes as h³.
            // A non-finite estimate shrinks the step as far as allowed.
            let factor = if norm.is_finite() {
                (SAFETY / norm.cbrt()).clamp(SHRINK_MIN, GROW_MAX)
            } else {
                SHRINK_MIN
            };
            if norm <= 1.0 && candidate.iter().all(|v| v.is_finite()) {
                dy_fresh = false;
                if let Some(observe) = observe.as_mut() {
                    let mut end = Vector::zeros();
                    f.rhs(t + h, &candidate, &mut end);
                    self.work.evaluations += 1;
                    let go_on = observe(&Step {
                        start: (t, y, &dy),
                        end: (t + h, &candidate, &end),
                    });
                    dy = end;
                    dy_fresh = true;
                    if !go_on {
                        *y = candidate;
                        self.work.steps += 1;
                        return Ok(());
                    }
                }
                t += h;
                *y = candidate;
                self.work.steps += 1;
                self.jacobian_age += 1;
                h *= if just_rejected {
                    factor.min(1.0)
                } else {
                    factor
                };
                just_rejected = false;
            } else {
                self.work.rejected += 1;
                // A stale Jacobian is the first suspect; one made at this
                // very point would come out the same.
                if self.jacobian_age > 0 {
                    self.jacobian_age = JACOBIAN_REUSE;
                }
                h *= factor.min(0.5);
                just_rejected = true;
            }
        }
        self.step = h.max(1e-6);
        Ok(())
    }

    /// Root-mean-square of the error scaled by the tolerance (≤ 1 passes).
    fn error_norm(&self, error: &Vector, before: &Vector, after: &Vector) -> f64 {
        let sum: f64 = error
            .iter()
            .zip(before.iter().zip(after.iter()))
            .map(|(e, (a, b))| {
                let scale =
                    self.tolerance.absolute + self.tolerance.relative * a.abs().max(b.abs());
                (e / scale).powi(2)
            })
            .sum();
        (sum / N as f64).sqrt()
    }

    /// The [`Jacobian`]: the system's own if it has one, else by forward
    /// differences.
    fn jacobian(&mut self, f: &impl System, t: f64, y: &Vector, dy: &Vector) -> Jacobian {
        let mut jacobian = Jacobian::default();
        if f.jacobian(t, y, &mut jacobian) {
            self.work.jacobians += 1;
            return jacobian;
        }
        let mut shifted = *y;
        let mut df = Vector::zeros();
        for j in 0..N {
            let delta = 1e-6 * y[j].abs().max(1.0);
            shifted[j] = y[j] + delta;
            f.rhs(t, &shifted, &mut df);
            let slope = (df - dy) / delta;
            if j < COUPLED {
                jacobian.coupled.set_column(j, &slope);
            } else {
                jacobian.own[j - COUPLED] = slope[j];
            }
            shifted[j] = y[j];
        }
        self.work.evaluations += N as u64;
        jacobian
    }
}

/// An accepted step: time, state and its rate of change at the start and
/// at the end.
pub struct Step<'a> {
    /// At the start.
    pub start: (f64, &'a Vector, &'a Vector),
    /// At the end.
    pub end: (f64, &'a Vector, &'a Vector),
}

impl Step<'_> {
    /// The state at `t` inside the step: the cubic through both ends with
    /// their slopes (Hermite), third-order accurate like the step itself.
    pub fn at(&self, t: f64) -> Vector {
        let ((t0, y0, f0), (t1, y1, f1)) = (self.start, self.end);
        let h = t1 - t0;
        let s = (t - t0) / h;
        let (s2, s3) = (s * s, s * s * s);
        y0 * (2.0 * s3 - 3.0 * s2 + 1.0)
            + f0 * (h * (s3 - 2.0 * s2 + s))
            + y1 * (3.0 * s2 - 2.0 * s3)
            + f1 * (h * (s3 - s2))
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
        solver
            .integrate(&stiff, &mut y, (0.0, 100.0), f64::MAX, false)
            .expect("a smooth problem is solved");
        let exact = (-1.0f64).exp();
        // Local tolerance 3e-4 over a hundred time units: global error ~1e-3.
        assert!((y[1] - exact).abs() < 2e-3, "{}", y[1]);
        assert!((y[0] - y[1]).abs() < 1e-3);
        assert!(solver.work.steps < 200, "{:?}", solver.work);
    }

    #[test]
    fn a_step_is_interpolated_exactly_for_a_cubic() {
        let p = |t: f64| 2.0 * t * t * t - t * t + 3.0;
        let dp = |t: f64| 6.0 * t * t - 2.0 * t;
        let point = |t: f64| (Vector::from_element(p(t)), Vector::from_element(dp(t)));
        let ((y0, f0), (y1, f1)) = (point(0.5), point(2.0));
        let step = Step {
            start: (0.5, &y0, &f0),
            end: (2.0, &y1, &f1),
        };
        for t in [0.5, 0.9, 1.3, 2.0] {
            assert!((step.at(t)[0] - p(t)).abs() < 1e-12, "{t}");
        }
    }

    #[test]
    fn the_factorisation_solves_as_nalgebra_does_pivoting_where_it_must() {
        // A zero first pivot needs a row swap; the rest is well conditioned.
        let matrix = Block::from_fn(|i, j| {
            if i == 0 && j == 0 {
                0.0
            } else {
                1.0 / (1.0 + i as f64 + 2.0 * j as f64) + if i == j { 3.0 } else { 0.0 }
            }
        });
        let b = Coupled::from_fn(|i, _| (i as f64 - 2.5).powi(3));
        let mut factor = Factor::default();
        assert!(factor.factorise(&matrix), "invertible");
        let ours = factor.solve(&b);
        let theirs = matrix.lu().solve(&b).expect("invertible");
        assert!((ours - theirs).amax() < 1e-12, "{ours} vs {theirs}");
        assert!((matrix * ours - b).amax() < 1e-12);
    }

    #[test]
    fn the_factorisation_solves_dense_matrices_that_pivot_at_many_steps() {
        // Dense matrices of entries in [−1, 1) from a fixed linear
        // congruential sequence: partial pivoting swaps rows at most steps.
        let mut state: u64 = 0x5EED;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
        };
        let mut moved_rows = 0;
        // One factor overwritten by each matrix in turn, as the integrator
        // keeps it: nothing of the last factorisation may carry over.
        let mut ours = Factor::default();
        for _ in 0..20 {
            let matrix = Block::from_fn(|_, _| next());
            let b = Coupled::from_fn(|_, _| next());
            assert!(ours.factorise(&matrix), "invertible");
            moved_rows += ours
                .order
                .iter()
                .enumerate()
                .filter(|&(i, &row)| row != i)
                .count();
            let theirs = matrix.lu().solve(&b).expect("invertible");
            let x = ours.solve(&b);
            assert!(
                (x - theirs).amax() < 1e-9 * theirs.amax().max(1.0),
                "{x} vs {theirs}"
            );
            assert!((matrix * x - b).amax() < 1e-9);
        }
        assert!(moved_rows > 40, "{moved_rows} rows moved by pivoting");
    }

    #[test]
    fn a_singular_or_broken_matrix_is_not_factorised() {
        let mut singular = Block::identity();
        singular.set_row(3, &singular.row(2).clone_owned());
        let mut factor = Factor::default();
        assert!(!factor.factorise(&singular));
        let mut broken = Block::identity();
        broken[(4, 4)] = f64::NAN;
        assert!(!factor.factorise(&broken));
    }

    /// A system whose slope turns to NaN once its first state passes 1.
    fn breaks_down(_: f64, y: &Vector, dy: &mut Vector) {
        *dy = Vector::zeros();
        dy[0] = if y[0] < 1.0 { 1.0 } else { f64::NAN };
    }

    #[test]
    fn a_system_without_a_finite_answer_stalls_instead_of_spinning() {
        let mut y = Vector::zeros();
        let mut solver = Rosenbrock::new(Tolerance::default());
        let stalled = solver
            .integrate(&breaks_down, &mut y, (0.0, 10.0), f64::MAX, false)
            .expect_err("no finite slope past 1");
        // It stops where the slope broke, with the last good state kept.
        assert!((stalled.at_s - 1.0).abs() < 1e-6, "{stalled:?}");
        assert!(y.iter().all(|v| v.is_finite()), "{y}");
        assert!((y[0] - 1.0).abs() < 1e-6, "{y}");
        assert!(solver.work.rejected < 200, "{:?}", solver.work);

        let mut y = Vector::zeros();
        y[0] = 2.0;
        let stalled = solver
            .integrate_observed(&breaks_down, &mut y, (0.0, 10.0), &mut |_| true)
            .expect_err("no finite slope at the start");
        assert_eq!(stalled.at_s, 0.0);
        // The next run starts afresh, not from the stalled step.
        let mut y = Vector::zeros();
        y[0] = -3.0;
        solver
            .integrate(&breaks_down, &mut y, (0.0, 2.0), f64::MAX, false)
            .expect("finite all the way");
        assert!((y[0] + 1.0).abs() < 1e-9, "{y}");
    }

    /// A stiff component forced in time, driving a slow nonlinear one.
    fn forced(t: f64, y: &Vector, dy: &mut Vector) {
        *dy = Vector::zeros();
        dy[0] = -1000.0 * (y[0] - (3.0 * t).sin()) - y[1];
        dy[1] = y[0] * y[0] - 0.5 * y[1];
    }

    #[test]
    fn stays_accurate_with_a_reused_jacobian_on_a_forced_problem() {
        let mut reference = Vector::zeros();
        rk4(&forced, &mut reference, 0.0, 5.0, 1e-4);
        let error = |tolerance: f64| {
            let mut y = Vector::zeros();
            let mut solver = Rosenbrock::new(Tolerance {
                relative: tolerance,
                absolute: tolerance,
                max_step: 600.0,
            });
            solver
                .integrate(&forced, &mut y, (0.0, 5.0), f64::MAX, true)
                .expect("a smooth problem is solved");
            (y[1] - reference[1]).abs()
        };
        let (loose, tight) = (error(1e-4), error(1e-6));
        // A classical Rosenbrock method with a stale Jacobian drops to first
        // order and stalls near 3e-4 here; the W-method keeps converging.
        assert!(loose < 2e-3, "{loose}");
        assert!(tight < 1e-4, "{tight}");
        assert!(tight < loose / 10.0, "{loose} → {tight}");
    }
}
