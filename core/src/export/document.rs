//! Gathering what is exported, in one read.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::daily::DailySummary;
use crate::minutes::{MergedMinute, merge};
use crate::profile::Profile;
use crate::store::SessionRecord;
use crate::walk::Walk;
use crate::zones::ZoneTimeline;
use crate::{Result, Store};

/// Everything in a date range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportDocument {
    /// Always "second-heart-export".
    pub format: &'static str,
    /// The document's version.
    pub version: u32,
    /// When it was made, with the user's offset.
    pub exported_at: String,
    /// The profile.
    pub profile: Profile,
    /// The zones in force during the range, with the instant each began
    /// (the first may have begun before it): only the range's travels, not
    /// the user's whole history of them.
    pub time_zones: Vec<(String, String)>,
    /// Days.
    pub days: Vec<DayExport>,
    /// Sessions (walks, sets, elevation), phone and sensor.
    pub sessions: Vec<SessionRecord>,
    /// The walk log: every walk, recorded on the phone or logged by hand
    /// (a walk logged by hand has no session).
    pub walks: Vec<WalkExport>,
    /// Minutes with data, merged across sources.
    pub minutes: Vec<MinuteExport>,
}

/// A day with its span in time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayExport {
    /// First instant, with the offset then in force.
    pub start: String,
    /// End (exclusive).
    pub end: String,
    /// The stretches the date was lived in: one, or two when a flight east
    /// over the date line lived it twice (`start` and `end` then span
    /// both, and the flight between them on the next date).
    pub parts: Vec<DayPart>,
    /// The summary.
    #[serde(flatten)]
    pub summary: DailySummary,
}

/// A stretch of a date, each end with the offset then in force.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayPart {
    /// First instant.
    pub start: String,
    /// End (exclusive).
    pub end: String,
}

impl DayPart {
    fn of((start, end): (DateTime<Utc>, DateTime<Utc>), zones: &ZoneTimeline) -> Self {
        Self {
            start: rfc3339_with_offset(start, zones.zone_at(start)),
            end: rfc3339_with_offset(end, zones.zone_at(end - chrono::Duration::seconds(1))),
        }
    }
}

/// A walk of the walk log, each end with the offset then in force.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WalkExport {
    /// The walk's id in the log (stable across exports).
    pub id: i64,
    /// When it began, RFC 3339 with the local offset.
    pub start: String,
    /// When it ended.
    pub end: String,
    /// The zone the walker was in.
    pub time_zone: String,
    /// How long it lasted, seconds.
    pub duration_seconds: u32,
    /// Steps of both legs.
    pub steps: u32,
    /// Logged by hand (a walk done without the app), not walked with it.
    pub by_hand: bool,
    /// Logged by hand over walking a paired sensor recorded: the days count
    /// the sensor's minutes instead of these steps.
    pub recorded_by_sensor: bool,
}

impl WalkExport {
    fn of(walk: &Walk) -> Self {
        Self {
            id: walk.id,
            start: rfc3339_with_offset(walk.start, walk.time_zone),
            end: rfc3339_with_offset(walk.end(), walk.time_zone),
            time_zone: walk.time_zone.name().to_owned(),
            duration_seconds: walk.duration_seconds,
            steps: walk.steps,
            by_hand: walk.by_hand,
            recorded_by_sensor: walk.recorded_by_sensor,
        }
    }
}

/// A minute, timed in UTC with the user's offset.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MinuteExport {
    /// RFC 3339 with the local offset, e.g. 2026-11-21T10:05:00+01:00.
    pub time: String,
    /// UTC, RFC 3339.
    pub utc: String,
    /// The zone in force.
    pub time_zone: String,
    /// Steps.
    pub steps: u32,
    /// Calf contractions outside walking.
    pub contractions: u32,
    /// Posture.
    pub posture: crate::sensor::gatt::Posture,
    /// Sock pressure, mmHg.
    pub sock_mmhg: u8,
    /// Whether a sensor recorded it.
    pub from_sensor: bool,
}

/// `instant` as RFC 3339 in `zone`'s offset.
pub fn rfc3339_with_offset(instant: DateTime<Utc>, zone: Tz) -> String {
    instant
        .with_timezone(&zone)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// Of the zone `changes` (oldest first), those in force during `range`:
/// the one in force at its start and those that begin inside it; none
/// without a range.
fn in_force_during(
    changes: &[(DateTime<Utc>, Tz)],
    range: Option<(DateTime<Utc>, DateTime<Utc>)>,
) -> &[(DateTime<Utc>, Tz)] {
    let Some((from, to)) = range else {
        return &[];
    };
    let first = changes
        .iter()
        .rposition(|(since, _)| *since <= from)
        .unwrap_or(0);
    let end = changes.partition_point(|(since, _)| *since < to);
    &changes[first..end.max(first)]
}

/// The sessions and the walks that ran during any of the stretches
/// `lived` (the exported dates' parts), each once, oldest first. A date
/// lived twice (a flight east over the date line) has the other date's
/// hours between its parts: what ran then belongs to that date, and is
/// not exported with this one, as neither its day nor its walk list
/// counts it.
fn sessions_and_walks_during(
    store: &Store,
    mut lived: Vec<(DateTime<Utc>, DateTime<Utc>)>,
) -> Result<(Vec<SessionRecord>, Vec<WalkExport>)> {
    lived.sort_unstable();
    // Consecutive dates' parts meet end to start: one read for each run.
    let mut runs: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::with_capacity(lived.len());
    for (start, end) in lived {
        match runs.last_mut() {
            Some(run) if start <= run.1 => run.1 = run.1.max(end),
            _ => runs.push((start, end)),
        }
    }
    let (mut sessions, mut walks) = (Vec::new(), Vec::new());
    let (mut session_ids, mut walk_ids) = (HashSet::new(), HashSet::new());
    for (from, to) in runs {
        sessions.extend(
            store
                .sessions_between(from, to)?
                .into_iter()
                .filter(|session| session_ids.insert(session.id)),
        );
        // Every walk in the log: two that overlap (logged before that was
        // refused) each count in the days with their minutes.
        walks.extend(
            store
                .walks_overlapping(from, to)?
                .iter()
                .filter(|walk| walk_ids.insert(walk.id))
                .map(WalkExport::of),
        );
    }
    Ok((sessions, walks))
}

impl ExportDocument {
    /// Reads the dates `first..=last` from `store`.
    pub fn read(
        store: &Store,
        first: NaiveDate,
        last: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Self> {
        let zones = store.zone_timeline()?;
        let history = store.history(first, last, now)?;
        let mut days = Vec::new();
        let mut minutes = Vec::new();
        let mut range: Option<(DateTime<Utc>, DateTime<Utc>)> = None;
        let mut lived = Vec::new();
        for summary in history.days {
            let Some((start, end)) = zones.span_of(summary.date) else {
                continue;
            };
            range = Some(range.map_or((start, end), |(s, e)| (s.min(start), e.max(end))));
            lived.extend(zones.parts_of(summary.date));
            let day_minutes = merge(store.minutes_of_date(summary.date, &zones)?);
            minutes.extend(day_minutes.iter().map(|m| minute_export(m, &zones)));
            let DayPart { start, end } = DayPart::of((start, end), &zones);
            days.push(DayExport {
                start,
                end,
                parts: zones
                    .parts_of(summary.date)
                    .into_iter()
                    .map(|part| DayPart::of(part, &zones))
                    .collect(),
                summary,
            });
        }
        let (sessions, walks) = sessions_and_walks_during(store, lived)?;
        Ok(Self {
            format: "second-heart-export",
            version: 2,
            exported_at: rfc3339_with_offset(now, zones.zone_at(now)),
            profile: store.profile()?,
            time_zones: in_force_during(zones.changes(), range)
                .iter()
                .map(|(since, zone)| {
                    let since = if *since == DateTime::<Utc>::MIN_UTC {
                        "beginning".to_owned()
                    } else {
                        since.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                    };
                    (since, zone.name().to_owned())
                })
                .collect(),
            days,
            sessions,
            walks,
            minutes,
        })
    }

    /// Pretty JSON.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self)
            .map_err(|e| crate::Error::invalid("export", e.to_string()))
    }
}

fn minute_export(m: &MergedMinute, zones: &ZoneTimeline) -> MinuteExport {
    let zone = zones.zone_at(m.minute);
    MinuteExport {
        time: rfc3339_with_offset(m.minute, zone),
        utc: m.minute.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        time_zone: zone.name().to_owned(),
        steps: m.steps,
        contractions: m.contractions,
        posture: m.posture,
        sock_mmhg: m.sock_mmhg,
        from_sensor: m.from_sensor,
    }
}
