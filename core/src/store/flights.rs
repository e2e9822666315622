//! Flight plans the user saved and started.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::Store;
use super::profile::note_zone;
use super::sessions::to_json;
use crate::flight::{FlightPlan, FlightRequest};
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

    /// The started flight that has not landed by `now`: the one in the air,
    /// else the next to leave (both legs of a connection started at the
    /// first gate), re-planned from its request.
    pub fn flight_not_landed(&self, now: DateTime<Utc>) -> Result<Option<FlightPlan>> {
        self.started_flight(
            "arrival_utc_ms > ?1 ORDER BY departure_utc_ms <= ?1 DESC, departure_utc_ms",
            now,
        )
    }

    /// The first started flight by `condition` on `now` (?1), with its order.
    fn started_flight(&self, condition: &str, now: DateTime<Utc>) -> Result<Option<FlightPlan>> {
        let json: Option<String> = self
            .conn
            .query_row(
                &format!(
                    "SELECT plan FROM flight WHERE started_utc_ms IS NOT NULL AND {condition}
                     LIMIT 1"
                ),
                [now.timestamp_millis()],
                |r| r.get(0),
            )
            .optional()?;
        let Some(json) = json else { return Ok(None) };
        let request: FlightRequest =
            serde_json::from_str(&json).map_err(|e| Error::unreadable("flight", e.to_string()))?;
        Ok(Some(FlightPlan::new(request, &self.profile()?)?))
    }
}
