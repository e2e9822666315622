//! FHIR R4 export: a `collection` Bundle of Observations, daily steps coded
//! LOINC 41950-7 ("Number of steps in 24 hour Measured") and each walk of
//! the walk log (recorded or logged by hand) LOINC 55423-8 ("Number of
//! steps in unspecified time Pedometer"). No patient reference: the
//! receiving app attaches its own.

use serde_json::{Value, json};

use super::document::ExportDocument;
use crate::{Error, Result};

/// Daily steps.
pub const LOINC_DAILY_STEPS: &str = "41950-7";
/// Steps over a stated period.
pub const LOINC_STEPS: &str = "55423-8";

/// A LOINC step count and its UCUM unit.
struct StepCode {
    loinc: &'static str,
    display: &'static str,
    unit: &'static str,
    ucum: &'static str,
}

const DAILY: StepCode = StepCode {
    loinc: LOINC_DAILY_STEPS,
    display: "Number of steps in 24 hour Measured",
    unit: "steps/day",
    ucum: "/d",
};

const OVER_A_PERIOD: StepCode = StepCode {
    loinc: LOINC_STEPS,
    display: "Number of steps in unspecified time Pedometer",
    unit: "steps",
    ucum: "{steps}",
};

/// An Observation's status: `final`, or `preliminary` for a day not over
/// when it was exported (its count still grows).
#[derive(Debug, Clone, Copy)]
enum Status {
    Final,
    Preliminary,
}

impl Status {
    fn code(self) -> &'static str {
        match self {
            Self::Final => "final",
            Self::Preliminary => "preliminary",
        }
    }
}

fn observation(
    id: String,
    code: &StepCode,
    status: Status,
    (start, end): (&str, &str),
    steps: u64,
) -> Value {
    let StepCode {
        loinc,
        display,
        unit,
        ucum,
    } = code;
    json!({
        "fullUrl": format!("urn:uuid:{id}"),
        "resource": {
            "resourceType": "Observation",
            "status": status.code(),
            "category": [{
                "coding": [{
                    "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                    "code": "activity",
                    "display": "Activity"
                }]
            }],
            "code": {
                "coding": [{"system": "http://loinc.org", "code": loinc, "display": display}],
                "text": display
            },
            "effectivePeriod": {"start": start, "end": end},
            "valueQuantity": {
                "value": steps,
                "unit": unit,
                "system": "http://unitsofmeasure.org",
                "code": ucum
            },
            "device": {"display": "Second Heart"}
        }
    })
}

/// The instant an export's RFC 3339 time (with its offset) names.
fn instant(text: &str) -> Result<chrono::DateTime<chrono::FixedOffset>> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map_err(|e| Error::invalid("export", format!("{text}: {e}")))
}

/// A stable UUID (v5) per exported item, so the same day exported twice
/// carries the same id.
fn stable_id(name: &str) -> String {
    uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_URL,
        format!("second-heart:{name}").as_bytes(),
    )
    .to_string()
}

/// The bundle as pretty JSON.
pub fn to_fhir_bundle(doc: &ExportDocument) -> Result<String> {
    let mut entries = Vec::new();
    let exported_at = instant(&doc.exported_at)?;
    // A day with no steps measured (before the app was installed, or the
    // phone left off) is no count of 0: it is left out.
    for day in doc
        .days
        .iter()
        .filter(|d| d.summary.steps > 0 || d.summary.recorded_minutes())
    {
        let status = if instant(&day.end)? > exported_at {
            Status::Preliminary
        } else {
            Status::Final
        };
        entries.push(observation(
            stable_id(&format!("day:{}", day.summary.date)),
            &DAILY,
            status,
            (&day.start, &day.end),
            u64::from(day.summary.steps),
        ));
    }
    // The walk log holds every walk, recorded or logged by hand. A walk is
    // named by its start: unlike its row id it is not reused after a
    // restore or a delete-all, where a new walk would overwrite an old
    // one's record. Of walks sharing a start (one logged twice before
    // overlaps were refused), the first is the one named.
    let mut named = std::collections::BTreeSet::new();
    for walk in doc
        .walks
        .iter()
        .filter(|walk| named.insert(walk.start.clone()))
    {
        entries.push(observation(
            stable_id(&format!("walk:{}", walk.start)),
            &OVER_A_PERIOD,
            Status::Final,
            (&walk.start, &walk.end),
            u64::from(walk.steps),
        ));
    }
    let mut bundle = json!({
        "resourceType": "Bundle",
        "id": stable_id(&format!("export:{}", doc.exported_at)),
        "type": "collection",
        "timestamp": doc.exported_at,
    });
    // FHIR's JSON has no empty arrays: a range with nothing measured has no
    // `entry` at all.
    if !entries.is_empty() {
        bundle["entry"] = Value::Array(entries);
    }
    serde_json::to_string_pretty(&bundle).map_err(|e| Error::invalid("export", e.to_string()))
}
