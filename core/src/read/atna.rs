//! IHE ATNA audit messages in RFC 5424 syslog frames.
//!
//! Each frame holds one `<AuditMessage>`, in the RFC 3881 style (codes as
//! `code=` attributes) or the DICOM PS3.15 style (`csd-code=`). Frames may
//! be separated by newlines, the message spanning lines, or octet-counted
//! as RFC 6587 describes. A frame whose message is not an AuditMessage is
//! ignored as `atna:other`. `docs/formats.md` lists the mapping.

mod frames;
mod syslog;

use self::frames::{Frames, Piece};
use super::canonical::{Invalid, parse_ip};
use super::dicom::{ACTION_CODES, SOURCE_ROLE, SYSTEM_ROLES};
use super::set_text;
use super::xml::{self, Next, Node, attribute, ends_with, line_at};
use super::{Input, Location, ReadOptions, Record};
use crate::codes::{self};
use crate::event::{Event, Outcome};
use crate::time::parse_timestamp;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::net::IpAddr;

/// DICOM's code system, by name or OID.
const DICOM: [&str; 3] = ["DCM", "DICOM", "1.2.840.10008.2.16.4"];

/// Event type codes that name the action: 110122 Login, 110123 Logout.
const TYPE_ACTIONS: [(&str, &str); 2] = [("110122", "login"), ("110123", "logout")];

/// Event ids that name the action when no event type does.
const EVENT_ACTIONS: [(&str, &str); 4] = [
    ("110114", "login"),
    ("110112", "search"),
    ("110106", "export"),
    ("110107", "import"),
];

/// Whether the first bytes of an input look like ATNA over syslog: the
/// first line that is not blank starts an RFC 5424 frame (`<PRI>1 `, maybe
/// after an octet count), and the head holds an `<AuditMessage`.
pub fn sniff(head: &str) -> bool {
    let first = head
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let first = match first.split_once(' ') {
        Some((count, rest)) if is_count(count) => rest,
        _ => first,
    };
    starts_frame(first) && head.contains("<AuditMessage")
}

fn is_count(text: &str) -> bool {
    !text.is_empty() && text.len() <= 9 && text.bytes().all(|b| b.is_ascii_digit())
}

/// True when `line` starts with `<PRI>1 `, PRI one to three digits.
fn starts_frame(line: &str) -> bool {
    let Some((digits, rest)) = line.strip_prefix('<').and_then(|l| l.split_once('>')) else {
        return false;
    };
    let priority = (1..=3).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
    priority && rest.starts_with("1 ")
}

/// Reads ATNA audit messages from `input`.
///
/// Each syslog frame is one record, located by the line it starts on.
/// Nothing is read until the first call.
pub fn read(
    input: Input,
    source: &str,
    options: &ReadOptions,
) -> impl Iterator<Item = Record> + Send + 'static {
    AtnaRecords {
        frames: Frames::new(input, options.max_record_bytes),
        source: source.to_string(),
        options: options.clone(),
    }
}

/// The reader: one record per syslog frame.
struct AtnaRecords {
    frames: Frames<Input>,
    source: String,
    options: ReadOptions,
}

impl Iterator for AtnaRecords {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        let piece = self.frames.next_piece()?;
        let here = |line| Location::line(&self.source, line);
        Some(match piece {
            Piece::Frame { line } => {
                frame_record(self.frames.frame(), here(line), self.options.zone)
            }
            Piece::TooLong { line, size } => {
                let limit = self.options.max_record_bytes;
                let message = format!("the frame is {size} bytes, over the limit of {limit}");
                Record::rejected(codes::LINE_TOO_LONG, message, here(line))
            }
            Piece::Cut { line, missing } => {
                let message = format!("the input ends {missing} bytes before the end of the frame");
                Record::rejected(codes::BAD_SYSLOG, message, here(line))
            }
            Piece::Failed(e) => {
                let location = here(self.frames.line());
                Record::rejected(codes::READ_FAILED, format!("read failed: {e}"), location)
            }
        })
    }
}

/// One frame as a record.
fn frame_record(bytes: &[u8], location: Location, zone: Tz) -> Record {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Record::rejected(
            codes::INVALID_UTF8,
            "the frame is not valid UTF-8",
            location,
        );
    };
    let text = text.trim_start_matches('\u{feff}').trim_end();
    let frame = match syslog::parse(text) {
        Ok(frame) => frame,
        Err(message) => return Record::rejected(codes::BAD_SYSLOG, message, location),
    };
    if !frame.message.trim_start().starts_with('<') {
        return Record::Ignored("atna:other".into());
    }

    let mut audit = Audit::default();
    if let Err(fault) = xml::walk(frame.message, &mut |node| audit.visit(node)) {
        let first = location.line.unwrap_or(0);
        let line = line_at(first, text, frame.message_offset + fault.offset);
        let message = format!("not well-formed XML on line {line}: {}", fault.message);
        return Record::rejected(codes::BAD_XML, message, location);
    }
    if !audit.is_audit {
        return Record::Ignored("atna:other".into());
    }
    match audit_event(&audit, &frame, zone) {
        Ok(event) => Record::Event(event),
        Err(invalid) => Record::rejected(invalid.code, invalid.message, location),
    }
}

/// A coded value: its code and code system.
#[derive(Debug, Clone, Default)]
struct Coded {
    code: String,
    system: Option<String>,
}

impl Coded {
    /// Reads `csd-code` (DICOM) or `code` (RFC 3881), and `codeSystemName`
    /// or `codeSystem`.
    fn from(attributes: &[(String, String)]) -> Option<Coded> {
        let code = attribute(attributes, "csd-code").or_else(|| attribute(attributes, "code"))?;
        let system =
            attribute(attributes, "codeSystemName").or_else(|| attribute(attributes, "codeSystem"));
        Some(Coded {
            code: code.to_string(),
            system: system.map(str::to_string),
        })
    }

    /// True for a DICOM code, or a code with no system, equal to `code`.
    fn is_dicom(&self, code: &str) -> bool {
        let system = self.system.as_deref();
        self.code == code && system.is_none_or(|s| DICOM.contains(&s))
    }
}

/// An `ActiveParticipant`.
#[derive(Debug, Clone, Default)]
struct Participant {
    user_id: Option<String>,
    alternative_id: Option<String>,
    user_name: Option<String>,
    requestor: bool,
    address: Option<String>,
    roles: Vec<Coded>,
}

/// A `ParticipantObjectIdentification`.
#[derive(Debug, Clone, Default)]
struct Object {
    id: Option<String>,
    type_code: Option<String>,
    role: Option<String>,
}

/// What the mapping needs from one AuditMessage.
#[derive(Debug, Default)]
struct Audit {
    is_audit: bool,
    action_code: Option<String>,
    date_time: Option<String>,
    outcome: Option<String>,
    outcome_description: Option<String>,
    event_id: Option<Coded>,
    event_types: Vec<Coded>,
    purpose: Option<String>,
    participants: Vec<Participant>,
    source_id: Option<String>,
    site_id: Option<String>,
    objects: Vec<Object>,
}

fn owned(attributes: &[(String, String)], name: &str) -> Option<String> {
    attribute(attributes, name).map(str::to_string)
}

impl Audit {
    fn visit(&mut self, node: &Node<'_>) -> Next {
        match node {
            Node::Open { path, .. } if path.len() == 1 => {
                self.is_audit = path[0] == "AuditMessage";
                if self.is_audit {
                    Next::Continue
                } else {
                    Next::Stop
                }
            }
            Node::Open { path, attributes } => {
                self.open(path, attributes);
                Next::Continue
            }
            Node::Close { path, text } => {
                if ends_with(path, &["EventIdentification", "EventOutcomeDescription"]) {
                    self.outcome_description =
                        Some(text.trim().to_string()).filter(|t| !t.is_empty());
                }
                Next::Continue
            }
        }
    }

    fn open(&mut self, path: &[String], attributes: &[(String, String)]) {
        let Some(name) = path.last().map(String::as_str) else {
            return;
        };
        let parent = path.len().checked_sub(2).map(|i| path[i].as_str());
        match (parent, name) {
            (Some("AuditMessage"), "EventIdentification") => self.identification(attributes),
            (Some("EventIdentification"), "EventID") => self.event_id = Coded::from(attributes),
            (Some("EventIdentification"), "EventTypeCode") => {
                self.event_types.extend(Coded::from(attributes));
            }
            (Some("EventIdentification"), "PurposeOfUse") => {
                self.purpose = Coded::from(attributes).map(|c| c.code);
            }
            (Some("AuditMessage"), "ActiveParticipant") => {
                self.participants.push(participant(attributes));
            }
            (Some("ActiveParticipant"), "RoleIDCode") => {
                let role = Coded::from(attributes);
                if let (Some(last), Some(role)) = (self.participants.last_mut(), role) {
                    last.roles.push(role);
                }
            }
            (Some("AuditMessage"), "AuditSourceIdentification") => {
                self.source_id = owned(attributes, "AuditSourceID");
                self.site_id = owned(attributes, "AuditEnterpriseSiteID");
            }
            (Some("AuditMessage"), "ParticipantObjectIdentification") => {
                self.objects.push(Object {
                    id: owned(attributes, "ParticipantObjectID"),
                    type_code: owned(attributes, "ParticipantObjectTypeCode"),
                    role: owned(attributes, "ParticipantObjectTypeCodeRole"),
                });
            }
            _ => {}
        }
    }

    fn identification(&mut self, attributes: &[(String, String)]) {
        self.action_code = owned(attributes, "EventActionCode");
        self.date_time = owned(attributes, "EventDateTime");
        self.outcome = owned(attributes, "EventOutcomeIndicator");
    }
}

fn participant(attributes: &[(String, String)]) -> Participant {
    let requestor = attribute(attributes, "UserIsRequestor")
        .is_some_and(|v| v.eq_ignore_ascii_case("true") || v == "1");
    Participant {
        user_id: owned(attributes, "UserID"),
        alternative_id: owned(attributes, "AlternativeUserID"),
        user_name: owned(attributes, "UserName"),
        requestor,
        address: owned(attributes, "NetworkAccessPointID"),
        roles: Vec::new(),
    }
}

/// The mapping; see `docs/formats.md`.
fn audit_event(audit: &Audit, frame: &syslog::Frame<'_>, zone: Tz) -> Result<Event, Invalid> {
    let time = time(audit, frame, zone)?;
    let (index, user) = user(audit, frame).ok_or_else(|| {
        Invalid::new(
            codes::MISSING_FIELD,
            "no `ActiveParticipant` names the user (`UserID`, `AlternativeUserID` or `UserName`)",
        )
    })?;
    let action = action(audit)?;
    let mut event = Event::new(time, user, action);

    event.outcome = outcome(audit)?;
    event.patient = patient(audit).map(str::to_string);
    event.system = audit
        .source_id
        .as_deref()
        .or(frame.hostname)
        .map(str::to_string);
    event.unit = audit.site_id.clone();
    event.purpose = audit.purpose.clone();
    fill_address(&mut event, audit, index);
    fill_codes(&mut event, audit);
    Ok(event)
}

/// `EventDateTime`, else the syslog timestamp; an offset-less time is read
/// in the run's zone.
fn time(audit: &Audit, frame: &syslog::Frame<'_>, zone: Tz) -> Result<DateTime<Utc>, Invalid> {
    let (name, text) = match (audit.date_time.as_deref(), frame.timestamp) {
        (Some(text), _) => ("EventDateTime", text),
        (None, Some(text)) => ("the syslog timestamp", text),
        (None, None) => {
            let message = "the message has no `EventDateTime` and the frame no timestamp";
            return Err(Invalid::new(codes::MISSING_FIELD, message));
        }
    };
    parse_timestamp(text, zone).ok_or_else(|| {
        let message = format!("`{name}` is not a timestamp: `{text}`");
        Invalid::new(codes::BAD_TIME, message)
    })
}

/// The acting participant and its identity: the first in the order
/// requestors who are people, other requestors, other people, the rest,
/// that names someone.
fn user<'a>(audit: &'a Audit, frame: &syslog::Frame<'_>) -> Option<(usize, &'a str)> {
    let rank = |p: &Participant| (!p.requestor, !is_person(p, frame));
    let mut order: Vec<(usize, &Participant)> = audit.participants.iter().enumerate().collect();
    order.sort_by_key(|(_, p)| rank(p));
    order
        .into_iter()
        .find_map(|(index, p)| identity(p).map(|id| (index, id)))
}

fn identity(participant: &Participant) -> Option<&str> {
    participant
        .user_id
        .as_deref()
        .or(participant.alternative_id.as_deref())
        .or(participant.user_name.as_deref())
}

/// A person: not in an application, network or media role, and not
/// identified by an address (an IP address, its own network access point,
/// or the frame's host name).
fn is_person(participant: &Participant, frame: &syslog::Frame<'_>) -> bool {
    let system = participant
        .roles
        .iter()
        .any(|role| SYSTEM_ROLES.iter().any(|code| role.is_dicom(code)));
    let id = participant.user_id.as_deref();
    let addressed = id.is_some_and(|id| {
        address(id).is_some()
            || Some(id) == participant.address.as_deref()
            || Some(id) == frame.hostname
    });
    !system && !addressed
}

/// An IP address, written with or without an IPv6 zone (`fe80::1%11`).
fn address(text: &str) -> Option<IpAddr> {
    let bare = text.split_once('%').map_or(text, |(address, _)| address);
    parse_ip(bare)
}

/// The first rule that names an action: a DICOM event type (Login,
/// Logout), a DICOM event id, the `EventActionCode`.
fn action(audit: &Audit) -> Result<&'static str, Invalid> {
    let by_type = audit
        .event_types
        .iter()
        .find_map(|code| dicom_action(code, &TYPE_ACTIONS));
    let by_id = || {
        audit
            .event_id
            .as_ref()
            .and_then(|code| dicom_action(code, &EVENT_ACTIONS))
    };
    let by_code = || {
        let code = audit.action_code.as_deref()?;
        ACTION_CODES
            .iter()
            .find(|(key, _)| *key == code)
            .map(|(_, action)| *action)
    };
    by_type.or_else(by_id).or_else(by_code).ok_or_else(|| {
        let message = "cannot tell the action: no known `EventTypeCode` or `EventID` and no \
                       `EventActionCode` C, R, U, D or E";
        Invalid::new(codes::MISSING_FIELD, message)
    })
}

fn dicom_action(code: &Coded, table: &[(&str, &'static str)]) -> Option<&'static str> {
    table
        .iter()
        .find(|(key, _)| code.is_dicom(key))
        .map(|(_, action)| *action)
}

/// `0` is success; `4`, `8` and `12` are failures, or denials when the
/// `EventOutcomeDescription` says denied or forbidden.
fn outcome(audit: &Audit) -> Result<Option<Outcome>, Invalid> {
    let Some(code) = audit.outcome.as_deref() else {
        return Ok(None);
    };
    let description = audit
        .outcome_description
        .as_deref()
        .unwrap_or("")
        .to_ascii_lowercase();
    let denied = description.contains("denied") || description.contains("forbidden");
    match code {
        "0" => Ok(Some(Outcome::Success)),
        "4" | "8" | "12" if denied => Ok(Some(Outcome::Denied)),
        "4" | "8" | "12" => Ok(Some(Outcome::Failure)),
        other => {
            let message = format!("`EventOutcomeIndicator` must be 0, 4, 8 or 12, found `{other}`");
            Err(Invalid::new(codes::BAD_OUTCOME, message))
        }
    }
}

/// The first participant object that is a person (type 1) in the role of
/// patient (role 1).
fn patient(audit: &Audit) -> Option<&str> {
    audit
        .objects
        .iter()
        .find(|o| o.type_code.as_deref() == Some("1") && o.role.as_deref() == Some("1"))
        .and_then(|o| o.id.as_deref())
}

/// The user's network access point, else that of another requestor, else
/// that of a participant in the Source role: an IP address is `ip`, any
/// other point (a host name, a phone number) is the attribute `host`.
fn fill_address(event: &mut Event, audit: &Audit, index: usize) {
    let participants = &audit.participants;
    let own = participants.get(index).and_then(|p| p.address.as_deref());
    let others = || {
        let mut rest = participants.iter().enumerate().filter(|(i, _)| *i != index);
        rest.find(|(_, p)| p.requestor && p.address.is_some())
            .and_then(|(_, p)| p.address.as_deref())
    };
    let source = || {
        let mut sources = participants
            .iter()
            .filter(|p| p.roles.iter().any(|r| r.is_dicom(SOURCE_ROLE)));
        sources.find_map(|p| p.address.as_deref())
    };
    let Some(point) = own.or_else(others).or_else(source) else {
        return;
    };
    match address(point) {
        Some(ip) => event.ip = Some(ip),
        None => set_text(event, "host", Some(point)),
    }
}

fn fill_codes(event: &mut Event, audit: &Audit) {
    set_text(
        event,
        "atna_event_id",
        audit.event_id.as_ref().map(|c| c.code.as_str()),
    );
    set_text(
        event,
        "atna_event_type",
        audit.event_types.first().map(|c| c.code.as_str()),
    );
    set_text(event, "atna_action", audit.action_code.as_deref());
    set_text(event, "outcome_desc", audit.outcome_description.as_deref());
}

#[cfg(test)]
#[path = "atna_tests.rs"]
mod tests;
