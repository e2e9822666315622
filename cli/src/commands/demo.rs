//! `demo`: a guided tour on sample data.
//!
//! It grows with the product; for now a traveller's day of walks, counted in
//! the zone they lived it in and seen from the other side of the world.

use anyhow::Result;
use chrono::{Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use second_heart_core::Store;
use second_heart_core::local_day::LocalDay;
use second_heart_core::walk::NewWalk;
use serde::Serialize;

use crate::args::Cli;
use crate::commands::{open_store, today, walk};
use crate::output::print_json;

/// (local start, minutes, steps) of the sample day's walks.
const SAMPLE_WALKS: [(&str, i64, i64); 4] = [
    ("07:40", 25, 2_900),
    ("12:15", 20, 2_300),
    ("17:30", 45, 5_100),
    // Across midnight: half of it lands on the next day.
    ("23:40", 40, 4_000),
];

const HOME: Tz = chrono_tz::Europe::Berlin;
const ELSEWHERE: Tz = chrono_tz::America::Los_Angeles;

#[derive(Serialize)]
struct DemoReport {
    walks: Vec<second_heart_core::walk::Walk>,
    day_at_home: second_heart_core::walk::DaySummary,
    same_walks_seen_from_elsewhere: Vec<second_heart_core::walk::DaySummary>,
}

/// Logs yesterday's sample walks and shows what they add up to.
pub fn run(cli: &Cli) -> Result<()> {
    let mut store = match &cli.db {
        Some(_) => open_store(cli)?,
        None => Store::open_in_memory()?,
    };
    let now = Utc::now();
    let yesterday = LocalDay::containing(now, HOME).date() - Duration::days(1);
    let mut walks = Vec::with_capacity(SAMPLE_WALKS.len());
    for (clock, minutes, steps) in SAMPLE_WALKS {
        let time = NaiveTime::parse_from_str(clock, "%H:%M")?;
        let start = HOME
            .from_local_datetime(&yesterday.and_time(time))
            .earliest()
            .map_or(now, |t| t.to_utc());
        let sample = NewWalk::new(start, HOME.name(), minutes * 60, steps, now)?;
        walks.push(store.log_walk(&sample)?);
    }
    let day_at_home = store.day_summary(LocalDay::new(yesterday, HOME))?;
    let seen_from_elsewhere = [yesterday - Duration::days(1), yesterday]
        .into_iter()
        .map(|date| store.day_summary(LocalDay::new(date, ELSEWHERE)))
        .collect::<Result<Vec<_>, _>>()?;

    if cli.json {
        return print_json(&DemoReport {
            walks,
            day_at_home,
            same_walks_seen_from_elsewhere: seen_from_elsewhere,
        });
    }
    println!("Second Heart demo: a day of walks in {HOME}\n");
    for logged in &walks {
        println!("  logged {}", walk::describe(logged));
    }
    println!("\nThe day at home (the last walk crosses midnight, so only its first half counts):");
    println!("{}", indent(&today::describe(&day_at_home)));
    println!("\nThe same walks counted in {ELSEWHERE}, nine hours behind:");
    for summary in &seen_from_elsewhere {
        println!("{}", indent(&today::describe(summary)));
    }
    Ok(())
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|line| format!("  {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}
