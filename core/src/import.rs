//! Daily step totals from a CSV file: the days table of our own export
//! (`date,start,end,time_zones,steps,…`) or the plain `date,steps` rows
//! small pedometer apps write, with or without a header. Parsing is pure;
//! `Store::import_daily_steps` merges the days (docs/companion.md, "Import").

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::walk::MAX_CADENCE_STEPS_PER_MIN;
use crate::{Error, Result};

/// The most steps one day can hold: the highest plausible cadence for all
/// of its minutes (a typing error or a faulty pedometer above that).
pub const MAX_DAILY_STEPS: u32 = MAX_CADENCE_STEPS_PER_MIN as u32 * 1_440;

/// The most days one file may hold: a hundred years.
pub const MAX_IMPORT_DAYS: usize = 36_600;

/// Dates outside these years are refused (no step counter wrote them).
const YEARS: std::ops::RangeInclusive<i32> = 1990..=2200;

/// One day's total, as the file gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DailySteps {
    /// The local date.
    pub date: NaiveDate,
    /// Steps that day.
    pub steps: u32,
    /// The line of the file it came from (1-based), for messages.
    pub line: u64,
}

fn bad(reason: String) -> Error {
    Error::invalid("step file", reason)
}

/// Reads the days of a step-total CSV file. Every problem names its line;
/// a date given twice is refused, since its total would be ambiguous.
pub fn parse_daily_steps(text: &str) -> Result<Vec<DailySteps>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut columns: Option<(usize, usize)> = None;
    let mut days: Vec<DailySteps> = Vec::new();
    let mut seen: HashMap<NaiveDate, u64> = HashMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| bad(format!("not readable as CSV: {e}")))?;
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(str::is_empty) {
            continue;
        }
        let (date_col, steps_col) = match columns {
            Some(found) => found,
            None => {
                let found = header_columns(&record, line)?;
                columns = Some(found.unwrap_or((0, 1)));
                if found.is_some() {
                    continue;
                }
                (0, 1)
            }
        };
        let field = |col: usize, name: &str| {
            record
                .get(col)
                .filter(|f| !f.is_empty())
                .ok_or_else(|| bad(format!("line {line}: the {name} is missing")))
        };
        let date = parse_day(field(date_col, "date")?, line)?;
        let steps = parse_steps(field(steps_col, "step count")?, line)?;
        if let Some(earlier) = seen.insert(date, line) {
            return Err(bad(format!(
                "line {line}: {date} is given twice (first on line {earlier}); keep one total a day"
            )));
        }
        if days.len() == MAX_IMPORT_DAYS {
            return Err(bad(format!(
                "more than {MAX_IMPORT_DAYS} days in one file; split it"
            )));
        }
        days.push(DailySteps { date, steps, line });
    }
    if days.is_empty() {
        return Err(bad("the file holds no days".to_owned()));
    }
    Ok(days)
}

/// A first row that does not start with a date is a header: the columns
/// named `date` and `steps` (any case). `None`: the row is data.
fn header_columns(record: &csv::StringRecord, line: u64) -> Result<Option<(usize, usize)>> {
    let looks_like_a_date = |f: &str| NaiveDate::parse_from_str(f, "%Y-%m-%d").is_ok();
    if record.get(0).is_some_and(looks_like_a_date) {
        return Ok(None);
    }
    let find = |name: &str| record.iter().position(|f| f.eq_ignore_ascii_case(name));
    match (find("date"), find("steps")) {
        (Some(date), Some(steps)) => Ok(Some((date, steps))),
        _ => Err(bad(format!(
            "line {line}: expected a header with \"date\" and \"steps\" columns, or rows of date,steps (got {})",
            quoted(&record.iter().collect::<Vec<_>>().join(","))
        ))),
    }
}

/// The most characters of the file a message quotes.
const QUOTED_CHARS: usize = 60;

/// `text` quoted for a message, cut to [`QUOTED_CHARS`] (a file of one
/// long line would otherwise put megabytes into it).
fn quoted(text: &str) -> String {
    match text.char_indices().nth(QUOTED_CHARS) {
        Some((end, _)) => format!("{:?}…", &text[..end]),
        None => format!("{text:?}"),
    }
}

fn parse_day(text: &str, line: u64) -> Result<NaiveDate> {
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        bad(format!(
            "line {line}: {} is not a date like 2026-11-21",
            quoted(text)
        ))
    })?;
    if !YEARS.contains(&date.year()) {
        return Err(bad(format!(
            "line {line}: {date} is outside the years {}–{}",
            YEARS.start(),
            YEARS.end()
        )));
    }
    Ok(date)
}

fn parse_steps(text: &str, line: u64) -> Result<u32> {
    let steps: u32 = text.parse().map_err(|_| {
        bad(format!(
            "line {line}: {} is not a step count (a whole number from 0)",
            quoted(text)
        ))
    })?;
    if steps > MAX_DAILY_STEPS {
        return Err(bad(format!(
            "line {line}: {steps} steps in a day is more than anyone walks (at most {MAX_DAILY_STEPS})"
        )));
    }
    Ok(steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn plain_rows_with_or_without_a_header() {
        for text in [
            "2026-11-20,8123\n2026-11-21,4000\n",
            "Date,Steps\r\n2026-11-20, 8123\r\n\r\n2026-11-21,4000",
            "\u{feff}steps,date\n8123,2026-11-20\n4000,2026-11-21\n",
        ] {
            let days = parse_daily_steps(text).expect(text);
            assert_eq!(
                days.iter().map(|d| (d.date, d.steps)).collect::<Vec<_>>(),
                vec![(date("2026-11-20"), 8123), (date("2026-11-21"), 4000)],
                "{text:?}"
            );
        }
    }

    #[test]
    fn our_own_days_table_reads_back() {
        let text = "date,start,end,time_zones,steps,active_minutes\n\
                    2026-11-21,2026-11-21T00:00:00+01:00,2026-11-22T00:00:00+01:00,Europe/Berlin,6200,31\n";
        let days = parse_daily_steps(text).expect("export");
        assert_eq!(days[0].steps, 6200);
        assert_eq!(days[0].line, 2);
    }

    #[test]
    fn a_file_of_one_long_line_is_refused_in_a_few_words() {
        // Minified JSON or a log picked by mistake: the message quotes the
        // start of what it found, not megabytes of it.
        for text in [
            "x".repeat(1_000_000),
            format!("2026-11-20,{}\n", "9".repeat(1_000_000)),
            format!("{},5\n", "é".repeat(1_000_000)),
        ] {
            let error = parse_daily_steps(&text).expect_err("not steps");
            let message = error.to_string();
            assert!(message.len() < 400, "{} bytes", message.len());
            assert!(message.contains("\"…"), "{message}");
        }
    }

    #[test]
    fn each_problem_names_its_line() {
        let cases = [
            ("2026-11-20,8123\n2026-11-21,lots\n", "line 2"),
            ("2026-11-20,8123\n21/11/2026,10\n", "line 2"),
            ("2026-11-20,-5\n", "line 1"),
            ("2026-11-20,400000\n", "more than anyone walks"),
            (
                "2026-11-20,1\n2026-11-20,2\n",
                "given twice (first on line 1)",
            ),
            ("2026-11-20\n", "step count is missing"),
            ("day,count\n2026-11-20,1\n", "\"date\" and \"steps\""),
            ("1850-01-01,1\n", "outside the years"),
            ("", "no days"),
            ("date,steps\n", "no days"),
        ];
        for (text, expected) in cases {
            let err = parse_daily_steps(text).expect_err(text);
            assert!(
                matches!(err, Error::InvalidInput { .. }) && err.to_string().contains(expected),
                "{text:?}: {err}"
            );
        }
    }
}
