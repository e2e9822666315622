//! Humps in a smoothed, non-negative signal, found with hysteresis.
//!
//! A hump begins when the signal climbs above a floor and above twice the
//! lowest value since the last hump (its trough), and ends once it has
//! fallen to half its peak. The two thresholds keep a noisy plateau from
//! counting twice, and a hump riding on a raised baseline (a slow sway under
//! quick rocking) from being lost. The swing of a stride
//! ([`super::steps`]) and the rocking of an ankle pump
//! ([`super::ankle_pumps`]) are both found this way, on the smoothed
//! magnitude of the angular rate.

/// A finished hump: its peak and when it was reached.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Hump {
    /// The highest value of the hump.
    pub peak: f64,
    /// When it was reached, s.
    pub peak_s: f64,
}

/// What one sample did to the hump under way.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum HumpStep {
    /// Nothing new: between humps, or under the climbing hump's peak.
    Quiet,
    /// A hump began or climbed to a new peak.
    Peak,
    /// A hump ended: the signal fell to half its peak.
    Ended(Hump),
}

#[derive(Debug, Clone, Copy)]
enum State {
    Seeking { trough: f64 },
    Climbing(Hump),
}

/// Finds humps one sample at a time.
#[derive(Debug, Clone)]
pub(crate) struct HumpFinder {
    floor: f64,
    state: State,
}

impl HumpFinder {
    /// A finder of humps that climb above `floor` (in the signal's unit).
    pub(crate) fn new(floor: f64) -> Self {
        Self {
            floor,
            state: State::Seeking { trough: 0.0 },
        }
    }

    /// The hump climbing now, with its peak so far.
    pub(crate) fn climbing(&self) -> Option<Hump> {
        match self.state {
            State::Climbing(hump) => Some(hump),
            State::Seeking { .. } => None,
        }
    }

    /// Takes the signal's `value` at `t_s`.
    pub(crate) fn update(&mut self, t_s: f64, value: f64) -> HumpStep {
        let (state, step) = match self.state {
            State::Seeking { trough } if value > self.floor.max(2.0 * trough) => (
                State::Climbing(Hump {
                    peak: value,
                    peak_s: t_s,
                }),
                HumpStep::Peak,
            ),
            State::Seeking { trough } => (
                State::Seeking {
                    trough: trough.min(value),
                },
                HumpStep::Quiet,
            ),
            State::Climbing(hump) if value > hump.peak => (
                State::Climbing(Hump {
                    peak: value,
                    peak_s: t_s,
                }),
                HumpStep::Peak,
            ),
            State::Climbing(hump) if value < 0.5 * hump.peak => {
                (State::Seeking { trough: value }, HumpStep::Ended(hump))
            }
            climbing => (climbing, HumpStep::Quiet),
        };
        self.state = state;
        step
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The humps `signal` (sampled at 1 Hz) holds.
    fn humps(floor: f64, signal: &[f64]) -> Vec<Hump> {
        let mut finder = HumpFinder::new(floor);
        signal
            .iter()
            .enumerate()
            .filter_map(|(t, &v)| match finder.update(t as f64, v) {
                HumpStep::Ended(hump) => Some(hump),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_hump_ends_only_once_it_falls_to_half_its_peak() {
        let found = humps(3.0, &[0.0, 5.0, 10.0, 6.0, 5.1, 4.9, 0.0]);
        assert_eq!(
            found,
            vec![Hump {
                peak: 10.0,
                peak_s: 2.0
            }]
        );
    }

    #[test]
    fn a_wobble_on_the_way_down_is_not_a_second_hump() {
        // 10 → 6 → 8 → 1: the rise to 8 stays inside the first hump.
        let found = humps(3.0, &[0.0, 10.0, 6.0, 8.0, 1.0]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].peak, 10.0);
    }

    #[test]
    fn humps_under_the_floor_or_under_twice_the_trough_are_ignored() {
        assert!(humps(3.0, &[0.0, 2.5, 0.0, 2.9, 0.0]).is_empty());
        // After falling to 4, the next hump must climb above 8 to start.
        let found = humps(3.0, &[0.0, 10.0, 4.0, 7.0, 3.5, 9.0, 1.0]);
        assert_eq!(
            found.iter().map(|h| h.peak).collect::<Vec<_>>(),
            [10.0, 9.0]
        );
    }

    #[test]
    fn the_climbing_hump_is_visible_before_it_ends() {
        let mut finder = HumpFinder::new(1.0);
        assert_eq!(finder.update(0.0, 0.0), HumpStep::Quiet);
        assert_eq!(finder.climbing(), None);
        assert_eq!(finder.update(1.0, 4.0), HumpStep::Peak);
        assert_eq!(finder.update(2.0, 3.0), HumpStep::Quiet);
        assert_eq!(
            finder.climbing(),
            Some(Hump {
                peak: 4.0,
                peak_s: 1.0
            })
        );
    }
}
