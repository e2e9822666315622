//! How a front end follows long work (a model run over hours, detection
//! over a file) and stops it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

/// What long work reports to and asks: how far it got, whether to stop.
/// The work fails with [`Error::Cancelled`](crate::Error::Cancelled) soon
/// after [`cancelled`](Self::cancelled) says yes.
pub trait Progress: Send + Sync {
    /// `fraction` (0 to 1) of the work is done; called at most once per
    /// percent.
    fn advanced(&self, fraction: f64);
    /// Whether to stop now. Polled often (keep it cheap); once it says yes
    /// it must keep saying so.
    fn cancelled(&self) -> bool;
}

/// Reports progress through `total` units of work (seconds simulated,
/// bytes read) to a [`Progress`], a percent at a time.
pub(crate) struct Tracker {
    progress: Arc<dyn Progress>,
    total: f64,
    percent: AtomicU32,
}

impl Tracker {
    pub(crate) fn new(progress: Arc<dyn Progress>, total: f64) -> Self {
        Self {
            progress,
            total,
            percent: AtomicU32::new(0),
        }
    }

    /// `done` units are done; whether to stop.
    pub(crate) fn at(&self, done: f64) -> bool {
        let fraction = if self.total > 0.0 {
            (done / self.total).clamp(0.0, 1.0)
        } else {
            0.0
        };
        // Whole percents, 0 to 100: the cast cannot truncate.
        let percent = (fraction * 100.0).floor() as u32;
        if percent > self.percent.fetch_max(percent, Ordering::Relaxed) {
            self.progress.advanced(fraction);
        }
        self.progress.cancelled()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::sync::Mutex;

    use super::*;

    /// Records the fractions reported and cancels once one reaches
    /// `cancel_at`.
    #[derive(Debug, Default)]
    pub(crate) struct Recorder {
        pub(crate) fractions: Mutex<Vec<f64>>,
        pub(crate) cancel_at: Option<f64>,
    }

    impl Recorder {
        pub(crate) fn cancelling_at(fraction: f64) -> Arc<Self> {
            Arc::new(Self {
                cancel_at: Some(fraction),
                ..Self::default()
            })
        }

        pub(crate) fn fractions(&self) -> Vec<f64> {
            self.fractions.lock().expect("test lock").clone()
        }
    }

    impl Progress for Recorder {
        fn advanced(&self, fraction: f64) {
            self.fractions.lock().expect("test lock").push(fraction);
        }

        fn cancelled(&self) -> bool {
            let last = self.fractions().last().copied().unwrap_or(0.0);
            self.cancel_at.is_some_and(|at| last >= at)
        }
    }

    #[test]
    fn progress_is_reported_once_a_percent_and_rises() {
        let recorder = Arc::new(Recorder::default());
        let tracker = Tracker::new(recorder.clone(), 1_000.0);
        for done in 0..=2_000 {
            assert!(!tracker.at(f64::from(done) / 2.0));
        }
        let fractions = recorder.fractions();
        assert_eq!(fractions.len(), 100);
        assert!(fractions.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(fractions.last(), Some(&1.0));
    }
}
