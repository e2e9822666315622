//! The live counter for the session running now, set up from the database.

use super::SecondHeart;
use crate::session::LiveSessionCounter;
use crate::{Error, Result};

impl SecondHeart {
    /// A [`LiveSessionCounter`] for the session running now (a walk or an
    /// exercise set), with its target and the profile's legs, to feed the
    /// sensor's live frames while the screen shows the session.
    pub fn live_counter(&self) -> Result<LiveSessionCounter> {
        let (kind, target, person) = self.read(|store, _| {
            let session = store.open_session()?.ok_or_else(|| {
                Error::Conflict("no session is running: start a walk or a set first".into())
            })?;
            Ok((session.kind, session.target, store.profile()?.person()))
        })?;
        // The pump yields take a few model runs: outside the store's lock.
        LiveSessionCounter::new(kind, target, person)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::app::{FixedClock, SetTargets};
    use crate::session::{HoldCue, SessionKind};
    use crate::test_support::utc;

    fn app() -> SecondHeart {
        let clock = FixedClock {
            at: utc("2026-11-21T08:00:00Z"),
            zone: chrono_tz::Europe::Berlin,
        };
        SecondHeart::open_in_memory(Arc::new(clock)).expect("database")
    }

    #[test]
    fn the_counter_takes_the_running_sets_target() {
        let app = app();
        assert!(matches!(app.live_counter(), Err(Error::Conflict(_))));
        let targets = SetTargets {
            reps: Some(12),
            hold_s: Some(2.0),
            rate_per_min: None,
        };
        app.sessions()
            .start_set(SessionKind::CalfRaises, targets)
            .expect("set started");
        let progress = app.live_counter().expect("counter").progress();
        assert_eq!(progress.kind, SessionKind::CalfRaises);
        assert_eq!(progress.target_reps, Some(12));
        assert_eq!((progress.reps, progress.cue), (0, HoldCue::Rest));
    }

    #[test]
    fn leg_elevation_has_no_live_counter() {
        let app = app();
        app.sessions()
            .start_elevation(Default::default(), None, None)
            .expect("started");
        assert!(matches!(
            app.live_counter(),
            Err(Error::InvalidInput { .. })
        ));
    }
}
