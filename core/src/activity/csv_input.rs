//! The IMU CSV format: a header row naming the columns, then one sample a
//! row.
//!
//! ```text
//! t_s,ax,ay,az,gx,gy,gz[,p1,…,pn]
//! 0.00,0.12,9.79,0.31,0.4,-0.2,0.1
//! ```
//!
//! Time in seconds (increasing), acceleration in m/s², angular rate in
//! deg/s, sock pressure channels in mmHg (optional; their mean is used).
//! Columns are found by name, so their order is free and extra columns are
//! ignored. With a fixed sampling rate the `t_s` column may be left out and
//! time is the row number over the rate.

use std::io::Read;

use super::ImuSample;
use crate::{Error, Result};

const AXES: [&str; 6] = ["ax", "ay", "az", "gx", "gy", "gz"];

/// Reads samples from an IMU CSV one row at a time (never the whole file).
pub struct ImuCsvReader<R: Read> {
    rows: csv::StringRecordsIntoIter<R>,
    time_column: Option<usize>,
    axis_columns: [usize; 6],
    pressure_columns: Vec<usize>,
    rate_hz: Option<f64>,
    index: u64,
    last_t: Option<f64>,
}

impl<R: Read> ImuCsvReader<R> {
    /// Opens a CSV; `rate_hz`, when given, sets the time of row *i* to
    /// *i*/rate and the `t_s` column is not needed.
    pub fn new(input: R, rate_hz: Option<f64>) -> Result<Self> {
        if let Some(rate) = rate_hz
            && !(rate.is_finite() && (1.0..=2000.0).contains(&rate))
        {
            return Err(Error::invalid(
                "sampling rate",
                format!("1 to 2000 Hz (got {rate})"),
            ));
        }
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(input);
        let header = reader
            .headers()
            .map_err(|e| Error::invalid("IMU file", format!("no header row: {e}")))?
            .clone();
        let find = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
        let mut axis_columns = [0; 6];
        for (slot, name) in axis_columns.iter_mut().zip(AXES) {
            *slot = find(name).ok_or_else(|| {
                Error::invalid(
                    "IMU file",
                    format!("no column {name:?}: the header must name t_s,ax,ay,az,gx,gy,gz"),
                )
            })?;
        }
        let time_column = find("t_s");
        if time_column.is_none() && rate_hz.is_none() {
            return Err(Error::invalid(
                "IMU file",
                "no t_s column: add one or give the sampling rate",
            ));
        }
        let pressure_columns = header
            .iter()
            .enumerate()
            .filter(|(_, h)| is_pressure_column(h))
            .map(|(i, _)| i)
            .collect();
        Ok(Self {
            rows: reader.into_records(),
            time_column,
            axis_columns,
            pressure_columns,
            rate_hz,
            index: 0,
            last_t: None,
        })
    }

    /// Whether the file has sock pressure channels.
    pub fn has_pressure(&self) -> bool {
        !self.pressure_columns.is_empty()
    }

    fn parse(&mut self, record: &csv::StringRecord) -> Result<ImuSample> {
        let line = record.position().map_or(0, |p| p.line());
        let at = |reason: String| Error::invalid("IMU file", format!("line {line}: {reason}"));
        let number = |column: usize| -> Result<f64> {
            let text = record.get(column).unwrap_or("");
            text.parse::<f64>()
                .map_err(|_| at(format!("{text:?} is not a number")))
        };
        let t_s = match self.rate_hz {
            Some(rate) => self.index as f64 / rate,
            None => number(self.time_column.unwrap_or_default())?,
        };
        let mut values = [0.0; 6];
        for (value, &column) in values.iter_mut().zip(&self.axis_columns) {
            *value = number(column)?;
        }
        let pressure_mmhg = if self.pressure_columns.is_empty() {
            None
        } else {
            let mut sum = 0.0;
            for &column in &self.pressure_columns {
                sum += number(column)?;
            }
            Some(sum / self.pressure_columns.len() as f64)
        };
        if let Some(last) = self.last_t
            && t_s <= last
        {
            return Err(at(format!(
                "time {t_s} s does not come after {last} s: rows must be in time order"
            )));
        }
        let sample = ImuSample {
            t_s,
            acc: [values[0], values[1], values[2]],
            gyr: [values[3], values[4], values[5]],
            pressure_mmhg,
        };
        sample.validate().map_err(|e| at(e.to_string()))?;
        self.last_t = Some(t_s);
        self.index += 1;
        Ok(sample)
    }
}

fn is_pressure_column(name: &str) -> bool {
    name.len() > 1
        && (name.starts_with('p') || name.starts_with('P'))
        && name[1..].bytes().all(|b| b.is_ascii_digit())
}

impl<R: Read> Iterator for ImuCsvReader<R> {
    type Item = Result<ImuSample>;

    fn next(&mut self) -> Option<Self::Item> {
        let record = match self.rows.next()? {
            Ok(record) => record,
            Err(e) => return Some(Err(Error::invalid("IMU file", e.to_string()))),
        };
        Some(self.parse(&record))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, rate: Option<f64>) -> Result<Vec<ImuSample>> {
        ImuCsvReader::new(text.as_bytes(), rate)?.collect()
    }

    #[test]
    fn columns_are_found_by_name_and_pressures_averaged() {
        let samples = read(
            "gz,gy,gx,az,ay,ax,t_s,p1,p2\n3,2,1,9.8,0,0,0.5,10,20\n",
            None,
        )
        .expect("reads");
        assert_eq!(samples[0].t_s, 0.5);
        assert_eq!(samples[0].gyr, [1.0, 2.0, 3.0]);
        assert_eq!(samples[0].acc, [0.0, 0.0, 9.8]);
        assert_eq!(samples[0].pressure_mmhg, Some(15.0));
    }

    #[test]
    fn a_rate_replaces_the_time_column() {
        let samples = read(
            "ax,ay,az,gx,gy,gz\n0,0,9.8,0,0,0\n0,0,9.8,0,0,0\n",
            Some(50.0),
        )
        .expect("reads");
        assert_eq!(samples[1].t_s, 0.02);
    }

    #[test]
    fn bad_files_get_messages_that_say_where() {
        let missing = read("t_s,ax,ay,az,gx,gy\n", None).expect_err("rejected");
        assert!(
            missing.to_string().contains("no column \"gz\""),
            "{missing}"
        );
        let text = read(
            "t_s,ax,ay,az,gx,gy,gz\n0,0,0,9.8,0,0,0\n0.1,0,x,9.8,0,0,0\n",
            None,
        )
        .expect_err("rejected");
        assert!(text.to_string().contains("line 3"), "{text}");
        let order = read(
            "t_s,ax,ay,az,gx,gy,gz\n1,0,0,9.8,0,0,0\n0.5,0,0,9.8,0,0,0\n",
            None,
        )
        .expect_err("rejected");
        assert!(order.to_string().contains("time order"), "{order}");
        let range = read("t_s,ax,ay,az,gx,gy,gz\n0,0,0,9.8,0,0,1e9\n", None).expect_err("rejected");
        assert!(range.to_string().contains("angular rate"), "{range}");
        let no_time = read("ax,ay,az,gx,gy,gz\n", None).expect_err("rejected");
        assert!(no_time.to_string().contains("sampling rate"), "{no_time}");
    }
}
