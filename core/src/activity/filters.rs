//! Small streaming filters that take the sample interval with every value,
//! so a detector behaves the same at 50, 100 or 200 Hz.

/// First-order low-pass (exponential smoothing) with a time constant in
/// seconds: `y += (x − y)·(1 − e^(−dt/τ))`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LowPass {
    tau_s: f64,
    value: Option<f64>,
}

impl LowPass {
    /// A filter with time constant `tau_s`.
    pub(crate) fn new(tau_s: f64) -> Self {
        Self { tau_s, value: None }
    }

    /// Feeds `x` after `dt_s` seconds and returns the filtered value; the
    /// first value passes through unchanged.
    pub(crate) fn update(&mut self, x: f64, dt_s: f64) -> f64 {
        let y = match self.value {
            None => x,
            Some(y) => y + (x - y) * smoothing(dt_s, self.tau_s),
        };
        self.value = Some(y);
        y
    }
}

/// Two first-order low-passes in series: a gentler roll-off that turns the
/// three peaks of a swing phase into one hump.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LowPass2 {
    first: LowPass,
    second: LowPass,
}

impl LowPass2 {
    /// A filter whose two stages both have time constant `tau_s`.
    pub(crate) fn new(tau_s: f64) -> Self {
        Self {
            first: LowPass::new(tau_s),
            second: LowPass::new(tau_s),
        }
    }

    /// Feeds `x` after `dt_s` seconds and returns the filtered value.
    pub(crate) fn update(&mut self, x: f64, dt_s: f64) -> f64 {
        let y = self.first.update(x, dt_s);
        self.second.update(y, dt_s)
    }
}

/// A low-pass over 3-vectors (one [`LowPass`] per axis).
#[derive(Debug, Clone, Copy)]
pub(crate) struct LowPass3 {
    tau_s: f64,
    value: Option<[f64; 3]>,
}

impl LowPass3 {
    /// A filter with time constant `tau_s`.
    pub(crate) fn new(tau_s: f64) -> Self {
        Self { tau_s, value: None }
    }

    /// Feeds `x` after `dt_s` seconds and returns the filtered vector.
    pub(crate) fn update(&mut self, x: [f64; 3], dt_s: f64) -> [f64; 3] {
        let y = match self.value {
            None => x,
            Some(y) => {
                let k = smoothing(dt_s, self.tau_s);
                [
                    y[0] + (x[0] - y[0]) * k,
                    y[1] + (x[1] - y[1]) * k,
                    y[2] + (x[2] - y[2]) * k,
                ]
            }
        };
        self.value = Some(y);
        y
    }
}

fn smoothing(dt_s: f64, tau_s: f64) -> f64 {
    1.0 - (-dt_s / tau_s).exp()
}

/// Euclidean norm of a 3-vector.
pub(crate) fn norm(v: [f64; 3]) -> f64 {
    dot(v, v).sqrt()
}

/// Dot product of two 3-vectors.
pub(crate) fn dot(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

/// `v` scaled to length 1 (`None` for a zero vector).
pub(crate) fn unit(v: [f64; 3]) -> Option<[f64; 3]> {
    let n = norm(v);
    (n > 1e-9).then(|| [v[0] / n, v[1] / n, v[2] / n])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_constant_is_the_same_at_any_rate() {
        for rate in [50.0, 100.0, 200.0] {
            let mut filter = LowPass::new(1.0);
            filter.update(0.0, 1.0 / rate);
            let mut y = 0.0;
            for _ in 0..(rate as usize) {
                y = filter.update(1.0, 1.0 / rate);
            }
            // After one time constant a step has risen to 1 − 1/e.
            assert!((y - (1.0 - (-1.0f64).exp())).abs() < 1e-9, "{rate} Hz: {y}");
        }
    }
}
