//! The generated events as CSV: one column per canonical field, under a
//! header that the CSV reader maps without options.

use super::Month;
use crate::event::{Event, Value};
use chrono::SecondsFormat;
use std::io::{self, Write};

/// The columns, in order: the canonical field names, so that the reader
/// finds each field in the column of its own name.
pub(super) const COLUMNS: [&str; 13] = [
    "id", "time", "user", "action", "outcome", "patient", "unit", "resource", "ip", "drug",
    "amount", "purpose", "system",
];

impl Month {
    /// Writes [`Month::events`] as CSV with a header row of the canonical
    /// field names and returns how many events were written.
    ///
    /// A missing field is an empty cell. Generated events carry no
    /// extension attributes; an event that did would be refused with
    /// [`io::ErrorKind::InvalidData`] rather than written without them.
    pub fn write_csv(&self, out: impl Write) -> io::Result<u64> {
        let mut writer = csv::Writer::from_writer(io::BufWriter::new(out));
        writer.write_record(COLUMNS)?;

        let mut count = 0;
        for event in self.events() {
            writer.write_record(cells(&event)?)?;
            count += 1;
        }
        writer.flush()?;
        Ok(count)
    }
}

/// The cells of one event, in the order of [`COLUMNS`].
fn cells(event: &Event) -> io::Result<[String; 13]> {
    if let Some(name) = event.attributes.keys().next() {
        let message = format!("a generated event has the attribute `{name}`");
        return Err(io::Error::new(io::ErrorKind::InvalidData, message));
    }

    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    Ok([
        text(&event.id),
        event.time.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        event.user.clone(),
        event.action.clone(),
        event
            .outcome
            .map(|o| o.as_str().to_string())
            .unwrap_or_default(),
        text(&event.patient),
        text(&event.unit),
        text(&event.resource),
        event.ip.map(|ip| ip.to_string()).unwrap_or_default(),
        text(&event.drug),
        event.amount.map(number).unwrap_or_default(),
        text(&event.purpose),
        text(&event.system),
    ])
}

/// A number as JSON writes it, so both files read back alike.
fn number(value: f64) -> String {
    match serde_json::to_value(Value::Number(value)) {
        Ok(json) => json.to_string(),
        Err(_) => value.to_string(),
    }
}
