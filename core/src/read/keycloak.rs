//! Keycloak user events: the JSON that Keycloak's admin API returns for a
//! realm's events (`GET /admin/realms/{realm}/events`), one object per
//! line or a JSON list.
//!
//! Sign-ins, failed sign-ins and sign-outs become events; other event types
//! are ignored by kind (`keycloak:TYPE`). `docs/formats.md` has the mapping.

use super::canonical::Invalid;
use super::json_values::{JsonValues, address, integer, missing, rejected, text};
use super::{Input, Location, ReadOptions, Record};
use crate::codes;
use crate::event::{Event, Outcome, Value};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value as Json};

/// The error Keycloak's brute-force detection gives when it has disabled
/// the account for a while.
const TEMPORARILY_DISABLED: &str = "user_temporarily_disabled";

/// Whether the first record has Keycloak's `"realmId"` and `"type"`
/// members: the first line, or the head of a pretty-printed document.
pub fn sniff(head: &str) -> bool {
    let scope = first_record(head);
    scope.contains("\"realmId\"") && scope.contains("\"type\"")
}

/// The text that holds the first record: the first line that is not
/// blank, or the whole head when that line only opens a document.
fn first_record(head: &str) -> &str {
    let first = head
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    if first == "{" || first == "[" || first == "[{" {
        head
    } else {
        first
    }
}

/// Reads Keycloak events from `input`. Lines are located by line, list
/// elements by their index from 1. Nothing is read until the first call.
pub fn read(
    input: Input,
    source: &str,
    options: &ReadOptions,
) -> impl Iterator<Item = Record> + Send + 'static {
    let limit = options.max_record_bytes;
    JsonValues::new(input, source, limit, None).map(|item| match item {
        Ok((object, location)) => record(&object, location),
        Err(rejection) => Record::Rejected(*rejection),
    })
}

fn record(object: &Map<String, Json>, location: Location) -> Record {
    let kind = match text(object, &["type"]) {
        Ok(Some(kind)) => kind,
        Ok(None) if object.contains_key("operationType") => {
            return Record::Ignored("keycloak:admin".into());
        }
        Ok(None) => return rejected(missing("type"), location),
        Err(invalid) => return rejected(invalid, location),
    };
    let (action, outcome) = match kind {
        "LOGIN" => ("login", Outcome::Success),
        "LOGIN_ERROR" => ("login", Outcome::Failure),
        "LOGOUT" => ("logout", Outcome::Success),
        other => return Record::Ignored(format!("keycloak:{other}")),
    };
    match event(object, action, outcome) {
        Ok(event) => Record::Event(event),
        Err(invalid) => rejected(invalid, location),
    }
}

/// The event of a sign-in, failed sign-in or sign-out.
fn event(object: &Map<String, Json>, action: &str, outcome: Outcome) -> Result<Event, Invalid> {
    let time = time(object)?;
    let user = text(object, &["details", "username"])?
        .or(text(object, &["userId"])?)
        .ok_or_else(|| missing("details.username` or `userId"))?;
    let error = text(object, &["error"])?;
    let locked = outcome == Outcome::Failure && error == Some(TEMPORARILY_DISABLED);
    let action = if locked { "lockout" } else { action };

    let mut event = Event::new(time, user, action);
    event.id = text(object, &["id"])?.map(str::to_string);
    event.outcome = Some(outcome);
    event.ip = address(object, &["ipAddress"])?;
    event.system = text(object, &["clientId"])?.map(str::to_string);
    let attributes = [
        ("realm", text(object, &["realmId"])?),
        ("session", text(object, &["sessionId"])?),
        ("user_id", text(object, &["userId"])?),
        ("error", error),
        ("auth_method", text(object, &["details", "auth_method"])?),
    ];
    for (name, value) in attributes {
        if let Some(value) = value {
            let value = Value::Text(value.to_string());
            event.attributes.insert(name.to_string(), value);
        }
    }
    Ok(event)
}

/// `time`: milliseconds since 1970-01-01 UTC.
fn time(object: &Map<String, Json>) -> Result<DateTime<Utc>, Invalid> {
    let millis = integer(object, &["time"])?.ok_or_else(|| missing("time"))?;
    DateTime::from_timestamp_millis(millis)
        .filter(|t| t.timestamp() >= 0)
        .ok_or_else(|| Invalid {
            code: codes::BAD_TIME,
            message: format!("`time` is not a time in milliseconds since 1970: `{millis}`"),
        })
}

#[cfg(test)]
#[path = "keycloak_tests.rs"]
mod tests;
