//! Whether the compression sock is on, from its interface pressure.
//!
//! Worn, a 15–20 mmHg sock presses 10–25 mmHg on the sensor at the ankle
//! (more standing, when the calf fills); off, the channels read about zero.

use super::ActivityEvent;
use super::filters::LowPass;

/// Mean interface pressure above which the sock is on, mmHg.
const WORN_MMHG: f64 = 5.0;
/// Below this it is off (hysteresis), mmHg.
const OFF_MMHG: f64 = 3.0;
/// Smoothing, s.
const TAU_S: f64 = 2.0;
/// A change must hold this long to count, s.
const SETTLE_S: f64 = 10.0;

#[derive(Debug, Clone, Copy)]
struct Stretch {
    start_s: f64,
    worn: bool,
    pressure_sum: f64,
    samples: u64,
}

/// Tracks stretches with the sock on and off.
#[derive(Debug, Clone)]
pub(crate) struct SockTracker {
    pressure: LowPass,
    current: Option<Stretch>,
    change_since_s: Option<f64>,
    last_t_s: f64,
}

impl SockTracker {
    pub(crate) fn new() -> Self {
        Self {
            pressure: LowPass::new(TAU_S),
            current: None,
            change_since_s: None,
            last_t_s: 0.0,
        }
    }

    /// Feeds one pressure reading, mmHg.
    pub(crate) fn update(
        &mut self,
        t_s: f64,
        pressure: f64,
        dt_s: f64,
        out: &mut Vec<ActivityEvent>,
    ) {
        self.last_t_s = t_s;
        let p = self.pressure.update(pressure, dt_s);
        let stretch = self.current.get_or_insert(Stretch {
            start_s: t_s,
            worn: p > WORN_MMHG,
            pressure_sum: 0.0,
            samples: 0,
        });
        let flips = if stretch.worn {
            p < OFF_MMHG
        } else {
            p > WORN_MMHG
        };
        if !flips {
            self.change_since_s = None;
            stretch.pressure_sum += pressure;
            stretch.samples += 1;
            return;
        }
        let since = *self.change_since_s.get_or_insert(t_s);
        if t_s - since >= SETTLE_S {
            let worn = !stretch.worn;
            self.close(since, out);
            self.current = Some(Stretch {
                start_s: since,
                worn,
                pressure_sum: pressure,
                samples: 1,
            });
            self.change_since_s = None;
        }
    }

    fn close(&mut self, end_s: f64, out: &mut Vec<ActivityEvent>) {
        if let Some(stretch) = self.current.take()
            && stretch.samples > 0
            && end_s > stretch.start_s
        {
            let mean = stretch.pressure_sum / stretch.samples as f64;
            out.push(ActivityEvent::Sock {
                start_s: stretch.start_s,
                end_s,
                worn: stretch.worn,
                pressure_mmhg: mean,
                confidence: if stretch.worn {
                    (mean / (2.0 * WORN_MMHG)).clamp(0.5, 0.99)
                } else {
                    0.9
                },
            });
        }
    }

    /// Ends the stretch under way at the last reading, as the recording
    /// ends or pauses (a gap: whether the sock stayed on meanwhile is not
    /// known), and forgets what led up to it.
    pub(crate) fn pause(&mut self, out: &mut Vec<ActivityEvent>) {
        self.close(self.last_t_s, out);
        self.change_since_s = None;
        self.pressure = LowPass::new(TAU_S);
    }
}
