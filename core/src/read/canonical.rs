//! The canonical event shape as a JSON object.
//!
//! `{"time": "...", "user": "...", "action": "...", ...}` with the field
//! names of [`Event`]; any other member becomes an extension attribute.

use crate::codes::{self, Code};
use crate::event::{Event, Outcome, Value};
use crate::time::parse_timestamp;
use chrono_tz::Tz;
use serde_json::{Map, Value as Json};
use std::net::IpAddr;

/// Why an object is not a canonical event.
#[derive(Debug, Clone, PartialEq)]
pub struct Invalid {
    /// The registry code.
    pub code: Code,
    /// What is wrong.
    pub message: String,
}

impl Invalid {
    /// An error with its code and message.
    pub fn new(code: Code, message: impl Into<String>) -> Invalid {
        let message = message.into();
        Invalid { code, message }
    }
}

/// Reads a canonical event from a JSON object; `zone` reads offset-less times.
pub fn from_object(object: Map<String, Json>, zone: Tz) -> Result<Event, Invalid> {
    let mut fields = Fields::sort(object);
    let time = required_text(&mut fields, "time")?;
    let time = parse_timestamp(&time, zone).ok_or_else(|| {
        Invalid::new(
            codes::BAD_TIME,
            format!("`time` is not a timestamp: `{time}`"),
        )
    })?;
    let user = required_text(&mut fields, "user")?;
    let action = required_text(&mut fields, "action")?;
    let mut event = Event::new(time, user, action);
    fill_optional(&mut event, &mut fields)?;
    event.attributes = attributes(fields.rest);
    Ok(event)
}

/// The canonical fields' names, in the order of their slots in [`Fields`].
const CANONICAL: [&str; 13] = [
    "time", "user", "action", "id", "outcome", "patient", "unit", "resource", "ip", "drug",
    "amount", "purpose", "system",
];

/// An object's members sorted once into a slot per canonical field and the
/// rest, so that each field is taken out without searching the object.
struct Fields {
    slots: [Option<Json>; 13],
    rest: Vec<(String, Json)>,
}

impl Fields {
    fn sort(object: Map<String, Json>) -> Fields {
        let mut fields = Fields {
            slots: Default::default(),
            rest: Vec::new(),
        };
        for (name, value) in object {
            match CANONICAL.iter().position(|field| *field == name) {
                Some(slot) => fields.slots[slot] = Some(value),
                None => fields.rest.push((name, value)),
            }
        }
        fields
    }

    /// Takes the canonical field `name` out.
    fn remove(&mut self, name: &str) -> Option<Json> {
        let slot = CANONICAL.iter().position(|field| *field == name)?;
        self.slots[slot].take()
    }
}

fn fill_optional(event: &mut Event, fields: &mut Fields) -> Result<(), Invalid> {
    event.id = optional_text(fields, "id")?;
    event.outcome = outcome(fields)?;
    event.patient = optional_text(fields, "patient")?;
    event.unit = optional_text(fields, "unit")?;
    event.resource = optional_text(fields, "resource")?;
    event.ip = ip(fields)?;
    event.drug = optional_text(fields, "drug")?;
    event.amount = amount(fields)?;
    event.purpose = optional_text(fields, "purpose")?;
    event.system = optional_text(fields, "system")?;
    Ok(())
}

fn required_text(fields: &mut Fields, name: &str) -> Result<String, Invalid> {
    optional_text(fields, name)?.ok_or_else(|| {
        Invalid::new(
            codes::MISSING_FIELD,
            format!("required field `{name}` is missing"),
        )
    })
}

/// Text fields take strings, and integers written as numbers (user ids).
fn optional_text(fields: &mut Fields, name: &str) -> Result<Option<String>, Invalid> {
    match fields.remove(name) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(s)) if s.is_empty() => Ok(None),
        Some(Json::String(s)) => Ok(Some(s)),
        Some(Json::Number(n)) if n.is_i64() || n.is_u64() => Ok(Some(n.to_string())),
        Some(other) => Err(wrong_type(name, "text", &other)),
    }
}

fn wrong_type(name: &str, expected: &str, found: &Json) -> Invalid {
    let found = super::json_kind(found);
    Invalid::new(
        codes::WRONG_TYPE,
        format!("`{name}` must be {expected}, found {found}"),
    )
}

fn outcome(fields: &mut Fields) -> Result<Option<Outcome>, Invalid> {
    let Some(text) = optional_text(fields, "outcome")? else {
        return Ok(None);
    };
    Outcome::parse(&text).map(Some).ok_or_else(|| {
        let message = format!("`outcome` must be success, failure or denied, found `{text}`");
        Invalid::new(codes::BAD_OUTCOME, message)
    })
}

fn ip(fields: &mut Fields) -> Result<Option<IpAddr>, Invalid> {
    let Some(text) = optional_text(fields, "ip")? else {
        return Ok(None);
    };
    if text == "-" {
        return Ok(None);
    }
    parse_ip(&text).map(Some).ok_or_else(|| {
        Invalid::new(
            codes::BAD_IP,
            format!("`ip` is not an IP address: `{text}`"),
        )
    })
}

/// Reads an IP address; an IPv4 address mapped into IPv6 becomes IPv4.
pub fn parse_ip(text: &str) -> Option<IpAddr> {
    let trimmed = text.trim().trim_start_matches('[').trim_end_matches(']');
    trimmed.parse::<IpAddr>().ok().map(|ip| ip.to_canonical())
}

fn amount(fields: &mut Fields) -> Result<Option<f64>, Invalid> {
    match fields.remove("amount") {
        None | Some(Json::Null) => Ok(None),
        Some(Json::Number(n)) => Ok(n.as_f64()),
        Some(other) => Err(wrong_type("amount", "a number", &other)),
    }
}

fn attributes(fields: Vec<(String, Json)>) -> std::collections::BTreeMap<String, Value> {
    fields
        .into_iter()
        .filter_map(|(name, value)| attribute_value(value).map(|v| (name, v)))
        .collect()
}

/// Nulls are absent; lists and objects are kept as their JSON text.
fn attribute_value(value: Json) -> Option<Value> {
    match value {
        Json::Null => None,
        Json::Bool(b) => Some(Value::Bool(b)),
        Json::Number(n) => n.as_f64().map(Value::Number),
        Json::String(s) => Some(Value::Text(s)),
        other => Some(Value::Text(other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Event, Invalid> {
        let Ok(Json::Object(map)) = serde_json::from_str(text) else {
            return Err(Invalid::new(codes::NOT_AN_OBJECT, String::new()));
        };
        from_object(map, chrono_tz::Europe::Stockholm)
    }

    #[test]
    fn reads_every_field() {
        let line = r#"{"id":"e1","time":"2026-03-01T08:00:00Z","user":42,"action":"read",
            "outcome":"success","patient":"p1","unit":"u1","resource":"journal",
            "ip":"::ffff:10.1.2.3","drug":"d","amount":2.5,"purpose":"care",
            "system":"ehr","ward_pc":true,"extra":null}"#;
        let event = read(line).unwrap_or_else(|e| Event::new(Default::default(), e.message, ""));
        assert_eq!(event.user, "42");
        assert_eq!(
            event.ip.map(|ip| ip.to_string()).as_deref(),
            Some("10.1.2.3")
        );
        assert_eq!(event.amount, Some(2.5));
        assert_eq!(event.outcome, Some(Outcome::Success));
        assert_eq!(event.attributes.get("ward_pc"), Some(&Value::Bool(true)));
        assert!(!event.attributes.contains_key("extra"));
    }

    #[test]
    fn reports_each_fault_with_its_code() {
        let cases = [
            (r#"{"user":"u","action":"read"}"#, "missing_field"),
            (
                r#"{"time":"yesterday","user":"u","action":"read"}"#,
                "bad_time",
            ),
            (
                r#"{"time":"2026-03-01T08:00:00Z","user":{},"action":"read"}"#,
                "wrong_type",
            ),
            (
                r#"{"time":"2026-03-01T08:00:00Z","user":"u","action":"r","ip":"x"}"#,
                "bad_ip",
            ),
            (
                r#"{"time":"2026-03-01T08:00:00Z","user":"u","action":"r","outcome":"ok"}"#,
                "bad_outcome",
            ),
        ];
        for (line, reason) in cases {
            assert_eq!(
                read(line).err().map(|e| e.code.name),
                Some(reason),
                "{line}"
            );
        }
    }

    #[test]
    fn dash_is_no_address() {
        let line = r#"{"time":"2026-03-01T08:00:00Z","user":"u","action":"r","ip":"-"}"#;
        assert_eq!(read(line).ok().and_then(|e| e.ip), None);
    }
}
