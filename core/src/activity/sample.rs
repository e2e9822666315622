//! One reading of an ankle sensor, and the checks every reading passes.

use crate::{Error, Result};

/// One sample of an ankle or shank sensor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImuSample {
    /// Time since the start of the recording, s.
    pub t_s: f64,
    /// Accelerometer, m/s² (specific force: about +9.81 along "up" at rest).
    pub acc: [f64; 3],
    /// Gyroscope, degrees per second.
    pub gyr: [f64; 3],
    /// Sock interface pressure, mmHg: the mean of the pressure channels,
    /// `None` when the sensor has none.
    pub pressure_mmhg: Option<f64>,
}

/// Largest believable accelerometer reading, m/s² (50 g: calibrated ±16 g
/// sensors read a little past their range at heel strike).
const MAX_ACC: f64 = 50.0 * 9.80665;
/// Largest believable gyroscope reading, deg/s.
const MAX_GYR: f64 = 5000.0;
/// Largest believable sock pressure, mmHg.
const MAX_PRESSURE: f64 = 300.0;

impl ImuSample {
    /// Checks that every value is a number inside a sensor's range.
    pub fn validate(&self) -> Result<()> {
        if !self.t_s.is_finite() {
            return Err(Error::invalid("IMU sample", "the time is not a number"));
        }
        let check = |values: &[f64], limit: f64, what: &str| match values
            .iter()
            .find(|v| !v.is_finite() || v.abs() > limit)
        {
            Some(v) => Err(Error::invalid(
                "IMU sample",
                format!("{what} {v} at t = {} s is outside ±{limit}", self.t_s),
            )),
            None => Ok(()),
        };
        check(&self.acc, MAX_ACC, "acceleration (m/s²)")?;
        check(&self.gyr, MAX_GYR, "angular rate (deg/s)")?;
        if let Some(p) = self.pressure_mmhg
            && !(p.is_finite() && (-20.0..=MAX_PRESSURE).contains(&p))
        {
            return Err(Error::invalid(
                "IMU sample",
                format!("pressure {p} mmHg at t = {} s is outside −20…300", self.t_s),
            ));
        }
        Ok(())
    }
}
