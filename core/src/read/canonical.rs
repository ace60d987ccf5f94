//! The canonical event shape as a JSON object.
//!
//! `{"time": "...", "user": "...", "action": "...", ...}` with the field
//! names of [`Event`]; any other member becomes an extension attribute.
//!
//! Two ways in end in the same checks ([`Fields::into_event`]):
//! [`from_object`] takes a JSON object that a reader has built, and
//! [`read_fields`] reads the members straight from the JSON text of one
//! line, borrowing what needs no unescaping, without building a
//! [`serde_json::Value`] for the object.

use crate::codes::{self, Code};
use crate::event::{Event, Outcome, Value};
use crate::time::parse_timestamp;
use chrono_tz::Tz;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value as Json};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
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
    Fields::sort(object).into_event(zone)
}

/// Reads a canonical event from an object's members, given in order without
/// the object: the same event as [`from_object`] on the object they would
/// make, where a later member replaces an earlier one of the same name. For
/// readers that hold their values by column, such as Arrow's.
pub fn from_members<'n>(
    members: impl IntoIterator<Item = (&'n str, Json)>,
    zone: Tz,
) -> Result<Event, Invalid> {
    let mut fields = Fields::new();
    for (name, value) in members {
        fields.set_json(Cow::Borrowed(name), value);
    }
    fields.into_event(zone)
}

/// Reads the members of the one JSON object in `text` into [`Fields`].
///
/// `Err` when `text` is not one JSON object, and when it opens with a name
/// that [`serde_json::Value`] reads in its own way (see [`VALUE_TOKENS`]):
/// the caller then reads the text as a `Value`, which says what it is.
/// Whatever this reads, reading it as a `Value` and sorting that object
/// gives the same fields.
pub(crate) fn read_fields(text: &str) -> Result<Fields<'_>, serde_json::Error> {
    let mut reader = serde_json::Deserializer::from_str(text);
    let fields = reader.deserialize_map(FieldsVisitor)?;
    reader.end()?;
    Ok(fields)
}

/// The canonical fields' names, in the order of their slots in [`Fields`].
const CANONICAL: [&str; 13] = [
    "time", "user", "action", "id", "outcome", "patient", "unit", "resource", "ip", "drug",
    "amount", "purpose", "system",
];

/// The slot of canonical field `name` in [`Fields`].
fn slot(name: &str) -> Option<usize> {
    CANONICAL.iter().position(|field| *field == name)
}

/// An object's members sorted once into a slot per canonical field and the
/// attributes, so that each field is taken out without searching the object.
pub(crate) struct Fields<'a> {
    slots: [Option<Scalar<'a>>; 13],
    attributes: BTreeMap<String, Value>,
}

impl<'a> Fields<'a> {
    /// Fields with no member set.
    pub(crate) fn new() -> Fields<'a> {
        Fields {
            slots: Default::default(),
            attributes: BTreeMap::new(),
        }
    }

    /// Sorts the members of `object`.
    fn sort(object: Map<String, Json>) -> Fields<'static> {
        let mut fields = Fields::new();
        for (name, value) in object {
            fields.set_json(Cow::Owned(name), value);
        }
        fields
    }

    /// Sets the member `name` to a JSON value, as a later member of that
    /// name in a JSON object would.
    fn set_json(&mut self, name: Cow<'_, str>, value: Json) {
        match slot(&name) {
            Some(slot) => self.slots[slot] = Some(Scalar::from_json(value)),
            None => self.set_attribute(name.into_owned(), value),
        }
    }

    /// Sets the member `name` to `text`, as a later member of that name
    /// in a JSON object would.
    pub(crate) fn set_text(&mut self, name: &str, text: &'a str) {
        match slot(name) {
            Some(slot) => self.slots[slot] = Some(Scalar::Text(Cow::Borrowed(text))),
            None => self.set_attribute(name.to_string(), Json::String(text.to_string())),
        }
    }

    /// Sets the member `name` to `number`, as a later member of that name
    /// in a JSON object would.
    pub(crate) fn set_number(&mut self, name: &str, number: Number) {
        match slot(name) {
            Some(slot) => self.slots[slot] = Some(Scalar::Number(number)),
            None => self.set_attribute(name.to_string(), Json::Number(number)),
        }
    }

    /// Sets the attribute `name`, replacing an earlier member of that name
    /// as a JSON object does; a null leaves it absent.
    fn set_attribute(&mut self, name: String, value: Json) {
        match attribute_value(value) {
            Some(value) => self.attributes.insert(name, value),
            None => self.attributes.remove(&name),
        };
    }

    /// Takes the canonical field `name` out.
    fn remove(&mut self, name: &str) -> Option<Scalar<'a>> {
        self.slots[slot(name)?].take()
    }

    /// Checks the fields and makes the event; `zone` reads offset-less times.
    pub(crate) fn into_event(mut self, zone: Tz) -> Result<Event, Invalid> {
        let time = required_text(&mut self, "time")?;
        let time = parse_timestamp(&time, zone).ok_or_else(|| {
            Invalid::new(
                codes::BAD_TIME,
                format!("`time` is not a timestamp: `{time}`"),
            )
        })?;
        let user = required_text(&mut self, "user")?.into_owned();
        let action = required_text(&mut self, "action")?.into_owned();
        let mut event = Event::new(time, user, action);
        fill_optional(&mut event, &mut self)?;
        event.attributes = self.attributes;
        Ok(event)
    }
}

/// A canonical member's value: a scalar, or only the kind of a list or an
/// object, which no canonical field takes.
#[derive(Debug, Clone, PartialEq)]
enum Scalar<'a> {
    Null,
    Bool(bool),
    Number(Number),
    Text(Cow<'a, str>),
    /// A list or an object, worded as [`super::json_kind`] words its kind.
    Other(&'static str),
}

impl Scalar<'_> {
    fn from_json(value: Json) -> Scalar<'static> {
        match value {
            Json::Null => Scalar::Null,
            Json::Bool(b) => Scalar::Bool(b),
            Json::Number(n) => Scalar::Number(n),
            Json::String(s) => Scalar::Text(Cow::Owned(s)),
            other => Scalar::Other(super::json_kind(&other)),
        }
    }

    /// The value's kind, in the words of [`super::json_kind`].
    fn kind(&self) -> &'static str {
        let stand_in = match self {
            Scalar::Null => Json::Null,
            Scalar::Bool(b) => Json::Bool(*b),
            Scalar::Number(n) => Json::Number(n.clone()),
            Scalar::Text(_) => Json::String(String::new()),
            Scalar::Other(kind) => return kind,
        };
        super::json_kind(&stand_in)
    }
}

fn fill_optional(event: &mut Event, fields: &mut Fields) -> Result<(), Invalid> {
    event.id = optional_string(fields, "id")?;
    event.outcome = outcome(fields)?;
    event.patient = optional_string(fields, "patient")?;
    event.unit = optional_string(fields, "unit")?;
    event.resource = optional_string(fields, "resource")?;
    event.ip = ip(fields)?;
    event.drug = optional_string(fields, "drug")?;
    event.amount = amount(fields)?;
    event.purpose = optional_string(fields, "purpose")?;
    event.system = optional_string(fields, "system")?;
    Ok(())
}

fn required_text<'a>(fields: &mut Fields<'a>, name: &str) -> Result<Cow<'a, str>, Invalid> {
    optional_text(fields, name)?.ok_or_else(|| {
        Invalid::new(
            codes::MISSING_FIELD,
            format!("required field `{name}` is missing"),
        )
    })
}

fn optional_string(fields: &mut Fields, name: &str) -> Result<Option<String>, Invalid> {
    Ok(optional_text(fields, name)?.map(Cow::into_owned))
}

/// Text fields take strings, and integers written as numbers (user ids).
fn optional_text<'a>(fields: &mut Fields<'a>, name: &str) -> Result<Option<Cow<'a, str>>, Invalid> {
    match fields.remove(name) {
        None | Some(Scalar::Null) => Ok(None),
        Some(Scalar::Text(s)) if s.is_empty() => Ok(None),
        Some(Scalar::Text(s)) => Ok(Some(s)),
        Some(Scalar::Number(n)) if n.is_i64() || n.is_u64() => Ok(Some(n.to_string().into())),
        Some(other) => Err(wrong_type(name, "text", &other)),
    }
}

fn wrong_type(name: &str, expected: &str, found: &Scalar) -> Invalid {
    let found = found.kind();
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
        None | Some(Scalar::Null) => Ok(None),
        Some(Scalar::Number(n)) => Ok(n.as_f64()),
        Some(other) => Err(wrong_type("amount", "a number", &other)),
    }
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

/// Member names that [`serde_json::Value`] does not read as a name when
/// they open an object: serde_json's stand-ins for a raw value (the
/// `raw_value` feature, which this crate turns on) and for an
/// arbitrary-precision number.
const VALUE_TOKENS: [&str; 2] = [
    "$serde_json::private::RawValue",
    "$serde_json::private::Number",
];

/// Reads an object's members into [`Fields`]: a canonical member's value
/// as a [`Scalar`], any other as a JSON value, the last of a name winning.
struct FieldsVisitor;

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = Fields<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a canonical event object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields<'de>, A::Error> {
        let mut fields = Fields::new();
        let mut next = map.next_key::<Name>()?;
        if matches!(&next, Some(Name(name)) if VALUE_TOKENS.contains(&name.as_ref())) {
            return Err(de::Error::custom("a serde_json token opens the object"));
        }
        while let Some(Name(name)) = next {
            match slot(&name) {
                Some(slot) => fields.slots[slot] = Some(map.next_value()?),
                None => fields.set_attribute(name.into_owned(), map.next_value()?),
            }
            next = map.next_key()?;
        }
        Ok(fields)
    }
}

/// A member name, borrowed from the text when it has no escapes.
struct Name<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Name<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(NameVisitor)
    }
}

/// Reads a [`Name`].
struct NameVisitor;

impl<'de> Visitor<'de> for NameVisitor {
    type Value = Name<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a member name")
    }

    fn visit_borrowed_str<E>(self, name: &'de str) -> Result<Name<'de>, E> {
        Ok(Name(Cow::Borrowed(name)))
    }

    fn visit_str<E>(self, name: &str) -> Result<Name<'de>, E> {
        Ok(Name(Cow::Owned(name.to_string())))
    }

    fn visit_string<E>(self, name: String) -> Result<Name<'de>, E> {
        Ok(Name(Cow::Owned(name)))
    }
}

impl<'de> Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

/// Reads a [`Scalar`] as [`serde_json::Value`] reads the same value.
///
/// A list or an object is read whole as a `Value` (which no canonical field
/// takes, so only on faulty lines) and only its kind kept: skipping it with
/// `IgnoredAny` would let through what a `Value` refuses, such as a number
/// out of range or nesting past serde_json's limit.
struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Null)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Number(n.into()))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Number(n.into()))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Scalar<'de>, E> {
        Ok(Number::from_f64(n).map_or(Scalar::Null, Scalar::Number))
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Text(Cow::Borrowed(s)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Text(Cow::Owned(s.to_string())))
    }

    fn visit_string<E>(self, s: String) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Text(Cow::Owned(s)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Scalar<'de>, A::Error> {
        let value = Json::deserialize(SeqAccessDeserializer::new(seq))?;
        Ok(Scalar::from_json(value))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Scalar<'de>, A::Error> {
        let value = Json::deserialize(MapAccessDeserializer::new(map))?;
        Ok(Scalar::from_json(value))
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
    fn members_in_order_read_as_the_object_they_make() {
        let zone = chrono_tz::Europe::Stockholm;
        let members = [
            ("time", Json::from("2026-03-01 09:00:00")),
            ("user", Json::from("u1")),
            ("action", Json::from("print")),
            ("ward", Json::from(7)),
            ("action", Json::from("read")),
            ("note", Json::Null),
        ];
        let object: Map<String, Json> = members
            .iter()
            .map(|(name, value)| (name.to_string(), value.clone()))
            .collect();
        let by_members = from_members(members, zone).map_err(|e| e.message);
        let by_object = from_object(object, zone).map_err(|e| e.message);
        assert_eq!(by_members, by_object);
        assert_eq!(by_members.map(|e| e.action), Ok("read".to_string()));

        let missing = from_members([("user", Json::from("u1"))], zone);
        assert_eq!(missing.map_err(|e| e.code), Err(codes::MISSING_FIELD));
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

#[cfg(test)]
#[path = "canonical_tests.rs"]
mod direct_tests;
