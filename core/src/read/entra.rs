//! Microsoft Entra ID (Azure AD) sign-in logs: the Microsoft Graph `signIn`
//! resource as JSON, in a list, in a Graph page (`{"value": [...]}`, as
//! `GET /auditLogs/signIns` returns it), or one object per line.
//!
//! Every sign-in becomes a `login` event, or a `lockout` when Entra refused
//! it because the account is locked. `docs/formats.md` has the mapping.

use super::canonical::Invalid;
use super::json_values::{JsonValues, address, integer, missing, rejected, text};
use super::{Input, Location, ReadOptions, Record};
use crate::codes;
use crate::event::{Event, Outcome, Value};
use crate::time::parse_timestamp;
use chrono_tz::Tz;
use serde_json::{Map, Value as Json};

/// Entra's error code for a sign-in refused because the account is locked
/// after too many failed attempts (`IdsLocked`).
const ACCOUNT_LOCKED: i64 = 50053;

/// Whether the head of an input has the two members every sign-in has,
/// `"userPrincipalName"` and `"createdDateTime"`.
pub fn sniff(head: &str) -> bool {
    head.contains("\"userPrincipalName\"") && head.contains("\"createdDateTime\"")
}

/// Reads sign-ins from `input`. Lines are located by line, list elements
/// by their index from 1. Nothing is read until the first call.
pub fn read(
    input: Input,
    source: &str,
    options: &ReadOptions,
) -> impl Iterator<Item = Record> + Send + 'static {
    let zone = options.zone;
    let limit = options.max_record_bytes;
    JsonValues::new(input, source, limit, Some("value")).map(move |item| match item {
        Ok((object, location)) => record(&object, location, zone),
        Err(rejection) => Record::Rejected(*rejection),
    })
}

fn record(object: &Map<String, Json>, location: Location, zone: Tz) -> Record {
    match sign_in(object, zone) {
        Ok(event) => Record::Event(event),
        Err(invalid) => rejected(invalid, location),
    }
}

/// The event of one sign-in.
fn sign_in(object: &Map<String, Json>, zone: Tz) -> Result<Event, Invalid> {
    let created = text(object, &["createdDateTime"])?.ok_or_else(|| missing("createdDateTime"))?;
    let time = parse_timestamp(created, zone).ok_or_else(|| Invalid {
        code: codes::BAD_TIME,
        message: format!("`createdDateTime` is not a timestamp: `{created}`"),
    })?;
    let user = text(object, &["userPrincipalName"])?
        .or(text(object, &["userId"])?)
        .ok_or_else(|| missing("userPrincipalName` or `userId"))?;
    let code = integer(object, &["status", "errorCode"])?;
    let action = if code == Some(ACCOUNT_LOCKED) {
        "lockout"
    } else {
        "login"
    };

    let mut event = Event::new(time, user, action);
    event.id = text(object, &["id"])?.map(str::to_string);
    event.outcome = code.map(|code| match code {
        0 => Outcome::Success,
        _ => Outcome::Failure,
    });
    event.ip = address(object, &["ipAddress"])?;
    event.system = text(object, &["appDisplayName"])?.map(str::to_string);
    event.resource = text(object, &["resourceDisplayName"])?.map(str::to_string);
    fill_attributes(&mut event, object, code)?;
    Ok(event)
}

fn fill_attributes(
    event: &mut Event,
    object: &Map<String, Json>,
    code: Option<i64>,
) -> Result<(), Invalid> {
    let failed = code.is_some_and(|code| code != 0);
    let reason = if failed {
        text(object, &["status", "failureReason"])?
    } else {
        None
    };
    let texts = [
        ("country", text(object, &["location", "countryOrRegion"])?),
        ("city", text(object, &["location", "city"])?),
        ("user_id", text(object, &["userId"])?),
        ("app_id", text(object, &["appId"])?),
        ("client_app", text(object, &["clientAppUsed"])?),
        ("failure_reason", reason),
    ];
    for (name, value) in texts {
        if let Some(value) = value {
            let value = Value::Text(value.to_string());
            event.attributes.insert(name.to_string(), value);
        }
    }

    if let Some(code) = code {
        let number = Value::Number(code as f64);
        event.attributes.insert("error_code".into(), number);
    }
    if let Some(interactive) = object.get("isInteractive").and_then(Json::as_bool) {
        let value = Value::Bool(interactive);
        event.attributes.insert("interactive".into(), value);
    }
    Ok(())
}

#[cfg(test)]
#[path = "entra_tests.rs"]
mod tests;
