//! Days: what each local day held, against the goals, with streaks and
//! sitting bouts.

mod averages;
mod cache;
mod periods;
mod sedentary;
mod streaks;
mod summary;

pub use averages::{DailyAverages, daily_averages};
pub use cache::{SUMMARY_CACHE_VERSION, cache_key, pump_yield_for};
pub use periods::{Grouping, Period, group};
pub use sedentary::PROLONGED_BOUT_MIN;
pub(crate) use sedentary::{carries_on_from_midnight, runs_on_past_midnight, seated_and_still};
pub use streaks::{Streak, Streaks, streaks};
pub use summary::{BRISK_CADENCE_SPM, DailySummary, DayInputs, GoalsMet, summarize};
