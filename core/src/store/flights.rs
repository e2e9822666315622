//! Flight plans the user saved and started.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::Store;
use super::profile::{forget_zone, note_zone};
use super::sessions::to_json;
use crate::flight::{FlightPlan, FlightRequest};
use crate::reminder::FlightReminding;
use crate::{Error, Result};

impl Store {
    /// Plans a flight for the user's profile and saves it; `start` also
    /// marks it started at `now` and records the departure zone from
    /// take-off and the arrival zone from landing on, so the days after
    /// follow the destination. Starting a flight started already (the same
    /// request) changes nothing and answers with it.
    pub fn save_flight(
        &mut self,
        request: FlightRequest,
        start: bool,
        now: DateTime<Utc>,
    ) -> Result<(i64, FlightPlan)> {
        let plan = FlightPlan::new(request, &self.profile()?)?;
        let json = to_json(&plan.request)?;
        let tx = self.conn.transaction()?;
        if start {
            // Started already (a double tap on Start): the same flight, not
            // a second one.
            let same: Option<i64> = tx
                .query_row(
                    "SELECT id FROM flight WHERE started_utc_ms IS NOT NULL AND plan = ?1",
                    [&json],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(id) = same {
                return Ok((id, plan));
            }
            // A started flight not landed yet that this one overlaps is the
            // same trip planned again (a seat changed, a risk ticked, a
            // delay in the air): this one takes its place.
            let mut replaced: Vec<i64> = tx
                .prepare(
                    "SELECT id FROM flight WHERE started_utc_ms IS NOT NULL
                     AND arrival_utc_ms > ?1 AND departure_utc_ms < ?3 AND arrival_utc_ms > ?2",
                )?
                .query_map(
                    params![
                        now.timestamp_millis(),
                        plan.request.departure.timestamp_millis(),
                        plan.request.arrival.timestamp_millis()
                    ],
                    |r| r.get(0),
                )?
                .collect::<rusqlite::Result<_>>()?;
            replaced.extend(same_trip_not_yet_left(&tx, &plan.request, now)?);
            replaced.sort_unstable();
            replaced.dedup();
            for id in replaced {
                drop_flight(&tx, id, now)?;
            }
        }
        tx.execute(
            "INSERT INTO flight (departure_utc_ms, arrival_utc_ms, plan, started_utc_ms) VALUES (?1, ?2, ?3, ?4)",
            params![
                plan.request.departure.timestamp_millis(),
                plan.request.arrival.timestamp_millis(),
                json,
                start.then(|| now.timestamp_millis())
            ],
        )?;
        let id = tx.last_insert_rowid();
        if start {
            // From take-off, not from now: a connection's second leg started
            // at the first gate moves the user to the layover's zone when it
            // leaves (the first leg's landing put them there already), not
            // at the first gate.
            note_zone(&tx, plan.request.departure_zone, plan.request.departure)?;
            note_zone(&tx, plan.request.arrival_zone, plan.request.arrival)?;
        }
        tx.commit()?;
        Ok((id, plan))
    }

    /// Cancels the started flight taking off at `departure` (within a
    /// second: an instant crosses the FFI as floating-point seconds) that has
    /// not landed by `now` (the one the screen shows: a second tap, or a leg
    /// landed meanwhile, cancels no other), in one transaction: its
    /// reminders stop, and the zones it noted ahead of `now` are forgotten
    /// (those already passed stay: the days lived since were dated by them).
    /// Returns the plan cancelled, none when no such flight is started.
    pub fn cancel_flight(
        &mut self,
        departure: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Option<FlightPlan>> {
        let profile = self.profile()?;
        let tx = self.conn.transaction()?;
        let row: Option<(i64, String)> = tx
            .query_row(
                "SELECT id, plan FROM flight WHERE started_utc_ms IS NOT NULL
                 AND abs(departure_utc_ms - ?1) < 1000 AND arrival_utc_ms > ?2
                 ORDER BY id DESC LIMIT 1",
                params![departure.timestamp_millis(), now.timestamp_millis()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((id, json)) = row else {
            return Ok(None);
        };
        let plan = FlightPlan::new(request_of(&json)?, &profile)?;
        drop_flight(&tx, id, now)?;
        tx.commit()?;
        Ok(Some(plan))
    }

    /// The started flight that has not landed by `now`: the one in the air,
    /// else the next to leave (both legs of a connection started at the
    /// first gate; of two leaving together, the one started last),
    /// re-planned from its request.
    pub fn flight_not_landed(&self, now: DateTime<Utc>) -> Result<Option<FlightPlan>> {
        let json: Option<String> = self
            .conn
            .query_row(
                "SELECT plan FROM flight WHERE started_utc_ms IS NOT NULL AND arrival_utc_ms > ?1
                 ORDER BY departure_utc_ms <= ?1 DESC, departure_utc_ms, id DESC LIMIT 1",
                [now.timestamp_millis()],
                |r| r.get(0),
            )
            .optional()?;
        let Some(json) = json else { return Ok(None) };
        Ok(Some(FlightPlan::new(request_of(&json)?, &self.profile()?)?))
    }

    /// How the started flights leaving at or after `from` shape the
    /// reminders, in the order they leave; one leaving before the flight
    /// ahead of it lands (an overlap no traveller flies) is left out.
    pub(crate) fn flights_leaving_after(
        &self,
        from: DateTime<Utc>,
    ) -> Result<Vec<FlightReminding>> {
        let plans: Vec<String> = self
            .conn
            .prepare(
                "SELECT plan FROM flight WHERE started_utc_ms IS NOT NULL AND departure_utc_ms >= ?1
                 ORDER BY departure_utc_ms, id DESC",
            )?
            .query_map([from.timestamp_millis()], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let profile = self.profile()?;
        let mut flights: Vec<FlightReminding> = Vec::with_capacity(plans.len());
        // A later flight that cannot be read shapes nothing: it must not
        // take the reminders (and Today) down with it.
        let readable = plans.iter().filter_map(|json| {
            request_of(json)
                .and_then(|r| FlightPlan::new(r, &profile))
                .ok()
        });
        for plan in readable {
            let flight = plan.reminding();
            if flights
                .last()
                .is_none_or(|ahead| flight.departs >= ahead.lands)
            {
                flights.push(flight);
            }
        }
        Ok(flights)
    }
}

/// How far apart two departures may be and still be one trip whose date
/// or time was corrected.
const CORRECTED_WITHIN: Duration = Duration::days(2);

/// How much two flights' lengths may differ and still be one trip.
const SAME_LENGTH_WITHIN: Duration = Duration::minutes(15);

/// The started flights that have not left by `now` and are `request`'s
/// trip with its date or time corrected, which does not overlap the first
/// (a day typed wrong): see [`corrects`].
fn same_trip_not_yet_left(
    conn: &Connection,
    request: &FlightRequest,
    now: DateTime<Utc>,
) -> Result<Vec<i64>> {
    let within = CORRECTED_WITHIN.num_milliseconds();
    let departure = request.departure.timestamp_millis();
    let mut statement = conn.prepare(
        "SELECT id, plan FROM flight WHERE started_utc_ms IS NOT NULL
         AND departure_utc_ms > ?1 AND abs(departure_utc_ms - ?2) <= ?3",
    )?;
    let rows = statement
        .query_map(params![now.timestamp_millis(), departure, within], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut same = Vec::new();
    for (id, json) in rows {
        if corrects(request, &request_of(&json)?) {
            same.push(id);
        }
    }
    Ok(same)
}

/// Whether `new` is `old` with its date or its time of departure typed
/// again: the same zones, the zones different (a flight within one zone
/// has no airports here to tell its legs or a same-day return apart),
/// about the same length, and leaving at the same local clock time (the
/// date corrected) or on the same local date (the time corrected).
fn corrects(new: &FlightRequest, old: &FlightRequest) -> bool {
    let length = |r: &FlightRequest| r.arrival - r.departure;
    let local = |r: &FlightRequest| r.departure.with_timezone(&r.departure_zone).naive_local();
    let (new_local, old_local) = (local(new), local(old));
    new.departure_zone == old.departure_zone
        && new.arrival_zone == old.arrival_zone
        && new.departure_zone != new.arrival_zone
        && (length(new) - length(old)).abs() <= SAME_LENGTH_WITHIN
        && (new_local.time() == old_local.time() || new_local.date() == old_local.date())
}

/// A saved flight's request, from its stored form.
fn request_of(json: &str) -> Result<FlightRequest> {
    serde_json::from_str(json).map_err(|e| Error::unreadable("flight", e.to_string()))
}

/// Deletes flight `id` and forgets the zones it noted after `now` that no
/// other started flight noted at the same instant; the started flights
/// still ahead then note theirs again, in order (a connection's second leg
/// leaves from the zone the first one's landing noted: cancelling the first
/// keeps the stopover's zone from the second's take-off).
fn drop_flight(conn: &Connection, id: i64, now: DateTime<Utc>) -> Result<()> {
    let (departure, arrival): (i64, i64) = conn.query_row(
        "SELECT departure_utc_ms, arrival_utc_ms FROM flight WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    conn.execute("DELETE FROM flight WHERE id = ?1", [id])?;
    for noted in [departure, arrival] {
        let shared: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM flight WHERE started_utc_ms IS NOT NULL
             AND (departure_utc_ms = ?1 OR arrival_utc_ms = ?1))",
            [noted],
            |r| r.get(0),
        )?;
        if noted > now.timestamp_millis() && !shared {
            forget_zone(conn, DateTime::from_timestamp_millis(noted).unwrap_or(now))?;
        }
    }
    let ahead: Vec<String> = conn
        .prepare(
            "SELECT plan FROM flight WHERE started_utc_ms IS NOT NULL AND arrival_utc_ms > ?1
             ORDER BY departure_utc_ms",
        )?
        .query_map([now.timestamp_millis()], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for json in ahead {
        let request = request_of(&json)?;
        if request.departure > now {
            note_zone(conn, request.departure_zone, request.departure)?;
        }
        note_zone(conn, request.arrival_zone, request.arrival)?;
    }
    Ok(())
}
