//! The canonical access-log event that every reader produces.

use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;

/// What came of an access attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// The action was carried out.
    Success,
    /// The action failed, for example a wrong password.
    Failure,
    /// The system refused the action for lack of permission.
    Denied,
}

impl Outcome {
    /// Every outcome, in order.
    pub const ALL: [Outcome; 3] = [Outcome::Success, Outcome::Failure, Outcome::Denied];

    /// The lowercase word used in events and rules.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
            Outcome::Denied => "denied",
        }
    }

    /// Reads the lowercase word.
    pub fn parse(text: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == text)
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The value of an extension attribute.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    /// true or false.
    Bool(bool),
    /// A finite number.
    Number(f64),
    /// Text.
    Text(String),
}

/// One access-log record in canonical form.
///
/// `time`, `user` and `action` are required; everything else is optional.
/// Fields that are not canonical are kept in `attributes` so rules can read
/// them as `attr.NAME`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// The source system's identifier of the record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// When it happened, as a UTC instant.
    pub time: DateTime<Utc>,
    /// Who acted.
    pub user: String,
    /// What was done: read, write, search, print, export, login, lockout, …
    pub action: String,
    /// What came of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// Whose record was touched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patient: Option<String>,
    /// The care unit or residence the access was made from or for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The part of the record or the system resource.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The source address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip: Option<IpAddr>,
    /// A drug identifier, for medication events.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drug: Option<String>,
    /// A quantity, for medication events.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<f64>,
    /// The stated purpose of the access.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// The system that wrote the record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// Every other field, by name.
    #[serde(flatten)]
    pub attributes: BTreeMap<String, Value>,
}

impl Event {
    /// An event with the three required fields and nothing else.
    pub fn new(time: DateTime<Utc>, user: impl Into<String>, action: impl Into<String>) -> Event {
        Event {
            id: None,
            time,
            user: user.into(),
            action: action.into(),
            outcome: None,
            patient: None,
            unit: None,
            resource: None,
            ip: None,
            drug: None,
            amount: None,
            purpose: None,
            system: None,
            attributes: BTreeMap::new(),
        }
    }

    /// The value of `field`, or `None` when the event lacks it.
    pub fn get(&self, field: &Field) -> Option<FieldValue<'_>> {
        use FieldValue as V;
        fn text(s: &Option<String>) -> Option<FieldValue<'_>> {
            s.as_deref().map(FieldValue::Text)
        }
        match field {
            Field::Id => text(&self.id),
            Field::Time => Some(V::Time(self.time)),
            Field::User => Some(V::Text(&self.user)),
            Field::Action => Some(V::Text(&self.action)),
            Field::Outcome => self.outcome.map(|o| V::Text(o.as_str())),
            Field::Patient => text(&self.patient),
            Field::Unit => text(&self.unit),
            Field::Resource => text(&self.resource),
            Field::Ip => self.ip.map(V::Ip),
            Field::Drug => text(&self.drug),
            Field::Amount => self.amount.map(V::Number),
            Field::Purpose => text(&self.purpose),
            Field::System => text(&self.system),
            Field::Attribute(name) => self.attributes.get(name).map(FieldValue::from),
        }
    }
}

/// A field of an event that a rule can read.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// `id`
    Id,
    /// `time`
    Time,
    /// `user`
    User,
    /// `action`
    Action,
    /// `outcome`
    Outcome,
    /// `patient`
    Patient,
    /// `unit`
    Unit,
    /// `resource`
    Resource,
    /// `ip`
    Ip,
    /// `drug`
    Drug,
    /// `amount`
    Amount,
    /// `purpose`
    Purpose,
    /// `system`
    System,
    /// `attr.NAME`, an extension attribute.
    Attribute(String),
}

/// The type of a field's values, for static checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// Text.
    Text,
    /// A number.
    Number,
    /// An instant.
    Time,
    /// An IP address.
    Ip,
    /// Any type: extension attributes are not declared.
    Any,
}

impl Field {
    /// The canonical fields, with their names.
    pub const CANONICAL: [(&'static str, Field); 13] = [
        ("id", Field::Id),
        ("time", Field::Time),
        ("user", Field::User),
        ("action", Field::Action),
        ("outcome", Field::Outcome),
        ("patient", Field::Patient),
        ("unit", Field::Unit),
        ("resource", Field::Resource),
        ("ip", Field::Ip),
        ("drug", Field::Drug),
        ("amount", Field::Amount),
        ("purpose", Field::Purpose),
        ("system", Field::System),
    ];

    /// Looks up a canonical field by name.
    pub fn canonical(name: &str) -> Option<Field> {
        Field::CANONICAL
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, f)| f.clone())
    }

    /// The name written in rules: `user`, or `attr.NAME`.
    pub fn name(&self) -> String {
        match self {
            Field::Attribute(name) => format!("attr.{name}"),
            other => Field::CANONICAL
                .iter()
                .find(|(_, f)| f == other)
                .map_or_else(String::new, |(n, _)| (*n).to_string()),
        }
    }

    /// The type of the field's values.
    pub fn field_type(&self) -> FieldType {
        match self {
            Field::Time => FieldType::Time,
            Field::Ip => FieldType::Ip,
            Field::Amount => FieldType::Number,
            Field::Attribute(_) => FieldType::Any,
            _ => FieldType::Text,
        }
    }
}

/// A borrowed field value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FieldValue<'a> {
    /// Text.
    Text(&'a str),
    /// A number.
    Number(f64),
    /// true or false.
    Bool(bool),
    /// An instant.
    Time(DateTime<Utc>),
    /// An IP address.
    Ip(IpAddr),
}

impl<'a> From<&'a Value> for FieldValue<'a> {
    fn from(value: &'a Value) -> FieldValue<'a> {
        match value {
            Value::Bool(b) => FieldValue::Bool(*b),
            Value::Number(n) => FieldValue::Number(*n),
            Value::Text(s) => FieldValue::Text(s),
        }
    }
}

impl fmt::Display for FieldValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldValue::Text(s) => f.write_str(s),
            FieldValue::Number(n) => write!(f, "{n}"),
            FieldValue::Bool(b) => write!(f, "{b}"),
            FieldValue::Time(t) => write!(f, "{}", t.to_rfc3339()),
            FieldValue::Ip(ip) => write!(f, "{ip}"),
        }
    }
}
