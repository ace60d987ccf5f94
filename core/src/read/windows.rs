//! Windows Security events as XML: `<Event>` elements of the schema
//! `http://schemas.microsoft.com/win/2004/08/events/event`, one by itself or
//! many in an `<Events>` list, as `wevtutil` and evtx converters write them.
//!
//! Sign-in events (4624, 4625, 4771, 4776) and lock-outs (4740) become
//! canonical events; any other event id is ignored as `windows:<id>`. The
//! input is read as a stream, one `<Event>` at a time. `docs/formats.md`
//! lists the mapping.

mod frames;

use self::frames::{Frames, Piece};
use super::canonical::{Invalid, parse_ip};
use super::set_text;
use super::xml::{self, Next, Node, attribute, ends_with, line_at};
use super::{Input, Location, ReadOptions, Record};
use crate::codes::{self};
use crate::event::{Event, Outcome};
use crate::time::parse_timestamp;

/// The namespace every Windows event carries.
const NAMESPACE: &str = "http://schemas.microsoft.com/win/2004/08/events/event";

/// Whether the first bytes of an input look like Windows event XML: after
/// an optional XML declaration, an `<Event>` or `<Events>` element, with
/// the Windows event namespace in the head.
pub fn sniff(head: &str) -> bool {
    let mut rest = head.trim_start();
    if rest.starts_with("<?xml") {
        rest = rest
            .find("?>")
            .map_or("", |end| rest[end + 2..].trim_start());
    }
    let opens = ["<Event ", "<Event>", "<Events>", "<Events "]
        .iter()
        .any(|start| rest.starts_with(start));
    opens && head.contains(NAMESPACE)
}

/// Reads Windows Security events from `input`.
///
/// Each `<Event>` element is one record, located by the line its start tag
/// is on. Nothing is read until the first call.
pub fn read(
    input: Input,
    source: &str,
    options: &ReadOptions,
) -> impl Iterator<Item = Record> + Send + 'static {
    WindowsRecords {
        frames: Frames::new(input, options.max_record_bytes),
        source: source.to_string(),
        limit: options.max_record_bytes,
    }
}

/// The reader: one record per `<Event>` element.
struct WindowsRecords {
    frames: Frames<Input>,
    source: String,
    limit: usize,
}

impl Iterator for WindowsRecords {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        let piece = self.frames.next_piece()?;
        let here = |line| Location::line(&self.source, line);
        Some(match piece {
            Piece::Event { line } => event_record(self.frames.frame(), here(line)),
            Piece::TooLong { line, size } => {
                let message = format!(
                    "the event is {size} bytes, over the limit of {}",
                    self.limit
                );
                Record::rejected(codes::LINE_TOO_LONG, message, here(line))
            }
            Piece::Broken { line, reason } => Record::rejected(codes::BAD_XML, reason, here(line)),
            Piece::Failed(e) => {
                let location = here(self.frames.line());
                Record::rejected(codes::READ_FAILED, format!("read failed: {e}"), location)
            }
        })
    }
}

/// The values of one `<Event>` the mapping needs.
#[derive(Debug, Default)]
struct Fields {
    event_id: Option<String>,
    time: Option<String>,
    record_id: Option<String>,
    computer: Option<String>,
    /// `EventData/Data` values by their `Name`, in document order.
    data: Vec<(String, String)>,
    /// The `Name` of the `Data` element being read.
    data_name: Option<String>,
}

impl Fields {
    fn visit(&mut self, node: &Node<'_>) -> Next {
        match node {
            Node::Open { path, attributes } => {
                if ends_with(path, &["System", "TimeCreated"]) {
                    self.time = attribute(attributes, "SystemTime").map(str::to_string);
                } else if ends_with(path, &["EventData", "Data"]) {
                    self.data_name = attribute(attributes, "Name").map(str::to_string);
                }
            }
            Node::Close { path, text } => self.close(path, text),
        }
        Next::Continue
    }

    fn close(&mut self, path: &[String], text: &str) {
        let value = Some(text.trim())
            .filter(|t| !t.is_empty())
            .map(str::to_string);
        if ends_with(path, &["System", "EventID"]) {
            self.event_id = value;
        } else if ends_with(path, &["System", "EventRecordID"]) {
            self.record_id = value;
        } else if ends_with(path, &["System", "Computer"]) {
            self.computer = value;
        } else if ends_with(path, &["EventData", "Data"]) {
            if let Some(name) = self.data_name.take() {
                self.data.push((name, text.trim().to_string()));
            }
        }
    }

    /// A `Data` value; `-` and blank are absent.
    fn data(&self, name: &str) -> Option<&str> {
        let value = self.data.iter().find(|(key, _)| key == name)?.1.as_str();
        Some(value).filter(|v| !v.is_empty() && *v != "-")
    }
}

/// One `<Event>` element's bytes as a record.
fn event_record(bytes: &[u8], location: Location) -> Record {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Record::rejected(
            codes::INVALID_UTF8,
            "the event is not valid UTF-8",
            location,
        );
    };
    let mut fields = Fields::default();
    if let Err(fault) = xml::walk(text, &mut |node| fields.visit(node)) {
        let line = location
            .line
            .map_or(0, |first| line_at(first, text, fault.offset));
        let message = format!("not well-formed XML on line {line}: {}", fault.message);
        return Record::rejected(codes::BAD_XML, message, location);
    }
    let Some(event_id) = fields.event_id.clone() else {
        return Record::rejected(codes::MISSING_FIELD, "the event has no `EventID`", location);
    };
    let Some(kind) = Kind::of(&event_id) else {
        return Record::Ignored(format!("windows:{event_id}"));
    };
    match map(&fields, kind, &event_id) {
        Ok(event) => Record::Event(event),
        Err(invalid) => Record::rejected(invalid.code, invalid.message, location),
    }
}

/// The event ids that are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// 4624: an account signed in.
    Logon,
    /// 4625: an account failed to sign in.
    FailedLogon,
    /// 4771: Kerberos pre-authentication failed.
    Kerberos,
    /// 4776: the computer tried to validate an account's credentials (NTLM).
    Ntlm,
    /// 4740: an account was locked out.
    Lockout,
}

impl Kind {
    fn of(event_id: &str) -> Option<Kind> {
        match event_id {
            "4624" => Some(Kind::Logon),
            "4625" => Some(Kind::FailedLogon),
            "4771" => Some(Kind::Kerberos),
            "4776" => Some(Kind::Ntlm),
            "4740" => Some(Kind::Lockout),
            _ => None,
        }
    }
}

/// The mapping; see `docs/formats.md`.
fn map(fields: &Fields, kind: Kind, event_id: &str) -> Result<Event, Invalid> {
    let time = time(fields)?;
    let user = fields.data("TargetUserName").ok_or_else(|| {
        Invalid::new(
            codes::MISSING_FIELD,
            "the event names no user: `TargetUserName` is missing, empty or `-`",
        )
    })?;
    let action = if kind == Kind::Lockout {
        "lockout"
    } else {
        "login"
    };
    let mut event = Event::new(time, user, action);

    event.outcome = Some(outcome(fields, kind)?);
    event.system = fields.computer.clone();
    event.id = record_id(fields);
    set_text(&mut event, "event_id", Some(event_id));
    fill_addresses(&mut event, fields, kind);
    fill_details(&mut event, fields, kind);
    Ok(event)
}

/// `TimeCreated/@SystemTime`; Windows writes UTC, so a time without an
/// offset is UTC whatever the run's zone.
fn time(fields: &Fields) -> Result<chrono::DateTime<chrono::Utc>, Invalid> {
    let Some(text) = fields.time.as_deref() else {
        return Err(Invalid::new(
            codes::MISSING_FIELD,
            "the event has no `TimeCreated/@SystemTime`",
        ));
    };
    parse_timestamp(text, chrono_tz::UTC).ok_or_else(|| {
        let message = format!("`SystemTime` is not a timestamp: `{text}`");
        Invalid::new(codes::BAD_TIME, message)
    })
}

/// The record id, prefixed with the computer that wrote it, since record
/// ids are counted per computer and log.
fn record_id(fields: &Fields) -> Option<String> {
    let id = fields.record_id.as_deref()?;
    Some(match fields.computer.as_deref() {
        Some(computer) => format!("{computer}/{id}"),
        None => id.to_string(),
    })
}

fn outcome(fields: &Fields, kind: Kind) -> Result<Outcome, Invalid> {
    match kind {
        Kind::Logon | Kind::Lockout => Ok(Outcome::Success),
        Kind::FailedLogon | Kind::Kerberos => Ok(Outcome::Failure),
        Kind::Ntlm => ntlm_outcome(fields.data("Status")),
    }
}

/// 4776 is written for successes and failures alike: `Status` 0 is success.
fn ntlm_outcome(status: Option<&str>) -> Result<Outcome, Invalid> {
    let Some(status) = status else {
        return Err(Invalid::new(
            codes::MISSING_FIELD,
            "event 4776 has no `Status`",
        ));
    };
    let digits = status.trim_start_matches("0x").trim_start_matches("0X");
    match u64::from_str_radix(digits, 16) {
        Ok(0) => Ok(Outcome::Success),
        Ok(_) => Ok(Outcome::Failure),
        Err(_) => {
            let message = format!("`Status` is not a hexadecimal status code: `{status}`");
            Err(Invalid::new(codes::BAD_OUTCOME, message))
        }
    }
}

/// `ip` from `IpAddress` (an address that is not an IP is kept as `host`),
/// and the client's name as `workstation`; a workstation written as an IP
/// address gives `ip` when `IpAddress` does not.
fn fill_addresses(event: &mut Event, fields: &Fields, kind: Kind) {
    if let Some(address) = fields.data("IpAddress") {
        match parse_ip(address) {
            Some(ip) => event.ip = Some(ip),
            None => set_text(event, "host", Some(address)),
        }
    }
    let workstation = match kind {
        Kind::Ntlm => fields.data("Workstation"),
        Kind::Logon | Kind::FailedLogon => fields.data("WorkstationName"),
        Kind::Kerberos | Kind::Lockout => None,
    };
    if event.ip.is_none() {
        event.ip = workstation.and_then(parse_ip);
    }
    set_text(event, "workstation", workstation);
}

/// The attributes of each kind: the account's domain, status codes and
/// the sign-in type; for a lock-out, the computer the failed sign-ins came
/// from, which Windows writes in `TargetDomainName`.
fn fill_details(event: &mut Event, fields: &Fields, kind: Kind) {
    if kind == Kind::Lockout {
        set_text(event, "caller_computer", fields.data("TargetDomainName"));
        return;
    }
    set_text(event, "domain", fields.data("TargetDomainName"));
    set_text(event, "logon_type", fields.data("LogonType"));
    if kind != Kind::Logon {
        set_text(event, "status", fields.data("Status"));
        set_text(event, "sub_status", fields.data("SubStatus"));
    }
}

#[cfg(test)]
#[path = "windows_tests.rs"]
mod tests;
