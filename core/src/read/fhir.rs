//! HL7 FHIR AuditEvent R4 and R5: one resource, a Bundle, or NDJSON.
//!
//! The input's shape is told from its first line. A first line that is a
//! whole JSON value starts NDJSON, unless nothing follows it; otherwise the
//! input is read whole, up to a bound, as one resource or one Bundle. Each
//! AuditEvent becomes one canonical [`Event`]; other resources are ignored.
//! Each AuditEvent is read as R4 or R5 by its own shape (module `r5`).
//! `docs/formats.md` lists every rule of the shape test and the mapping.

use super::canonical::{Invalid, parse_ip};
use super::dicom::{ACTION_CODES, SOURCE_ROLE, SYSTEM_ROLES};
use super::{Location, ReadOptions, Record, Rejection};
use crate::codes::{self, Code};
use crate::event::{Event, Outcome, Value};
use crate::time::parse_timestamp;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::de::IgnoredAny;
use serde_json::{Map, Value as Json};
use std::io::{BufRead, Chain, Cursor, ErrorKind, Read};

mod r5;

/// The largest whole document (a resource or a Bundle) held in memory,
/// unless `max_record_bytes` is larger still.
const MAX_DOCUMENT_BYTES: usize = 256 << 20;

/// The byte-order mark some tools write at the start of UTF-8 text.
const BOM: &[u8] = b"\xEF\xBB\xBF";

const DICOM: &str = "http://dicom.nema.org/resources/ontology/DCM";
const REST: &str = "http://hl7.org/fhir/restful-interaction";
const RESOURCE_TYPES: &str = "http://hl7.org/fhir/resource-types";
const ENTITY_TYPES: [&str; 2] = [
    "http://terminology.hl7.org/CodeSystem/audit-entity-type",
    "http://hl7.org/fhir/object-type",
];
const OBJECT_ROLES: [&str; 2] = [
    "http://terminology.hl7.org/CodeSystem/object-role",
    "http://hl7.org/fhir/object-role",
];

/// Subtype codes that name the action: code system, code, action.
const SUBTYPE_ACTIONS: [(&str, &str, &str); 15] = [
    (DICOM, "110122", "login"),
    (DICOM, "110123", "logout"),
    (REST, "read", "read"),
    (REST, "vread", "read"),
    (REST, "history", "read"),
    (REST, "history-instance", "read"),
    (REST, "history-type", "search"),
    (REST, "history-system", "search"),
    (REST, "search", "search"),
    (REST, "search-type", "search"),
    (REST, "search-system", "search"),
    (REST, "create", "create"),
    (REST, "update", "update"),
    (REST, "patch", "update"),
    (REST, "delete", "delete"),
];

/// Event type codes that name the action when no subtype does.
const TYPE_ACTIONS: [(&str, &str, &str); 4] = [
    (DICOM, "110114", "login"),
    (DICOM, "110112", "search"),
    (DICOM, "110106", "export"),
    (DICOM, "110107", "import"),
];

/// Whether the first bytes of an input look like FHIR: the first record
/// (the first line, or the head of a pretty-printed document) has a
/// `"resourceType"` member.
pub fn sniff(head: &str) -> bool {
    let first = head
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let scope = if first == "{" || first == "[" {
        head
    } else {
        first
    };
    scope.contains("\"resourceType\"")
}

/// Reads FHIR AuditEvent records from `input`.
///
/// A single resource is record 1; Bundle entries are records from 1; NDJSON
/// records are located by line. Nothing is read until the first call.
pub fn read<R: BufRead + Send + 'static>(
    input: R,
    source: &str,
    options: &ReadOptions,
) -> impl Iterator<Item = Record> + Send + 'static {
    FhirRecords {
        source: source.to_string(),
        options: options.clone(),
        queued: None,
        state: State::Start(input),
    }
}

/// The reader: a shape test on the first call, then records in that shape.
struct FhirRecords<R> {
    source: String,
    options: ReadOptions,
    queued: Option<Record>,
    state: State<R>,
}

/// How far reading has come.
enum State<R> {
    /// Nothing read yet.
    Start(R),
    /// Reading NDJSON, one resource per line.
    Lines(Ndjson<R>),
    /// Handing out the entries of a Bundle.
    Entries(Entries),
    /// Nothing more to read.
    Done,
}

/// A record to hand out first, and the state to go on in.
type Begun<R> = (Option<Record>, State<R>);

impl<R: BufRead> Iterator for FhirRecords<R> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        if matches!(self.state, State::Start(_)) {
            self.begin();
        }
        if let Some(record) = self.queued.take() {
            return Some(record);
        }
        match &mut self.state {
            State::Lines(lines) => lines.next_record(&self.source, &self.options),
            State::Entries(entries) => entries.next_record(&self.source, &self.options),
            State::Start(_) | State::Done => None,
        }
    }
}

impl<R: BufRead> FhirRecords<R> {
    /// Reads up to the first line that is not blank and decides the shape.
    fn begin(&mut self) {
        let State::Start(input) = std::mem::replace(&mut self.state, State::Done) else {
            return;
        };
        let (queued, state) = self.shape(input);
        self.queued = queued;
        self.state = state;
    }

    fn shape(&self, mut input: R) -> Begun<R> {
        let limit = document_limit(&self.options);
        let mut seen = Vec::new();
        let mut line = 0;
        loop {
            let start = seen.len();
            let read = read_line(&mut input, &mut seen, limit.saturating_sub(start));
            line += 1;
            if line == 1 && seen.starts_with(BOM) {
                seen.drain(..BOM.len());
            }
            let here = || Location::line(&self.source, line);
            match read {
                Line::End => return (None, State::Done),
                Line::Failed(e) => return (Some(read_failed(here(), &e)), State::Done),
                Line::TooLong(n) => {
                    let rejection = too_long(here(), "line", n, self.options.max_record_bytes);
                    return (
                        Some(rejection),
                        State::Lines(Ndjson::new(Vec::new(), input, line)),
                    );
                }
                Line::Complete if seen[start..].trim_ascii().is_empty() => seen.push(b'\n'),
                Line::Complete if is_json(&seen[start..]) => {
                    return self.first_line_whole(seen, start, line, input);
                }
                Line::Complete => return self.multi_line(seen, input),
            }
        }
    }

    /// The first line is a JSON value: the whole input when nothing else
    /// follows, else the first line of NDJSON.
    fn first_line_whole(
        &self,
        mut seen: Vec<u8>,
        start: usize,
        line: u64,
        mut input: R,
    ) -> Begun<R> {
        let (newlines, at_end) = skip_blank(&mut input);
        if at_end {
            return self.document(&seen);
        }

        let length = seen.len() - start;
        let limit = self.options.max_record_bytes;
        if length > limit {
            let rejection = too_long(Location::line(&self.source, line), "line", length, limit);
            let replay = vec![b'\n'; newlines];
            return (
                Some(rejection),
                State::Lines(Ndjson::new(replay, input, line)),
            );
        }

        seen.push(b'\n');
        seen.resize(seen.len() + newlines, b'\n');
        (None, State::Lines(Ndjson::new(seen, input, 0)))
    }

    /// The first line is not a whole JSON value: reads the input whole, up
    /// to the bound. When that is no document but some line is a JSON
    /// object of its own, it is NDJSON with a broken line.
    fn multi_line(&self, mut seen: Vec<u8>, mut input: R) -> Begun<R> {
        seen.push(b'\n');
        let limit = document_limit(&self.options);
        let budget = limit.saturating_sub(seen.len()).saturating_add(1);
        let budget = u64::try_from(budget).unwrap_or(u64::MAX);
        if let Err(e) = input.by_ref().take(budget).read_to_end(&mut seen) {
            return (Some(read_failed(self.whole_input(), &e)), State::Done);
        }

        let fault = if seen.len() > limit {
            let message = format!("the document is over the limit of {limit} bytes");
            Record::rejected(codes::LINE_TOO_LONG, message, self.whole_input())
        } else {
            match self.parse(&seen) {
                Ok(json) => return self.dispatch(json, seen.trim_ascii().len()),
                Err(rejection) => Record::Rejected(*rejection),
            }
        };

        if has_object_line(&seen) {
            return (None, State::Lines(Ndjson::new(seen, input, 0)));
        }
        (Some(fault), State::Done)
    }

    /// Reads a whole document known to be valid JSON.
    fn document(&self, bytes: &[u8]) -> Begun<R> {
        match self.parse(bytes) {
            Ok(json) => self.dispatch(json, bytes.trim_ascii().len()),
            Err(rejection) => (Some(Record::Rejected(*rejection)), State::Done),
        }
    }

    fn parse(&self, bytes: &[u8]) -> Result<Json, Box<Rejection>> {
        let text = std::str::from_utf8(bytes).map_err(|e| {
            let location = Location::line(&self.source, line_of(bytes, e.valid_up_to()));
            let message = "the document is not valid UTF-8";
            Box::new(rejection(codes::INVALID_UTF8, message, location))
        })?;
        serde_json::from_str(text).map_err(|e| {
            let location = Location::line(&self.source, u64::try_from(e.line()).unwrap_or(0));
            let message = format!("invalid JSON: {e}");
            Box::new(rejection(codes::INVALID_JSON, message, location))
        })
    }

    /// A whole document of `size` bytes: a Bundle, or one resource.
    fn dispatch(&self, json: Json, size: usize) -> Begun<R> {
        let first = Location::record(&self.source, 1);
        let Json::Object(object) = json else {
            let message = "the document is not a JSON object";
            return (
                Some(Record::rejected(codes::NOT_AN_OBJECT, message, first)),
                State::Done,
            );
        };
        if object.get("resourceType").and_then(Json::as_str) == Some("Bundle") {
            return self.bundle(object);
        }

        let limit = self.options.max_record_bytes;
        let record = if size > limit {
            too_long(first, "resource", size, limit)
        } else {
            resource_record(object, first, &self.options)
        };
        (Some(record), State::Done)
    }

    fn bundle(&self, mut bundle: Map<String, Json>) -> Begun<R> {
        match bundle.remove("entry") {
            None | Some(Json::Null) => (None, State::Done),
            Some(Json::Array(entries)) => (
                None,
                State::Entries(Entries {
                    entries: entries.into_iter(),
                    index: 0,
                }),
            ),
            Some(other) => {
                let message = format!(
                    "the Bundle's `entry` must be a list, found {}",
                    super::json_kind(&other)
                );
                (
                    Some(Record::rejected(
                        codes::WRONG_TYPE,
                        message,
                        self.whole_input(),
                    )),
                    State::Done,
                )
            }
        }
    }

    /// The location of a fault in the whole input rather than one record.
    fn whole_input(&self) -> Location {
        Location {
            source: self.source.clone(),
            line: None,
            record: None,
        }
    }
}

/// The bound on a whole document.
fn document_limit(options: &ReadOptions) -> usize {
    MAX_DOCUMENT_BYTES.max(options.max_record_bytes)
}

/// True when `bytes` hold exactly one JSON value.
fn is_json(bytes: &[u8]) -> bool {
    serde_json::from_slice::<IgnoredAny>(bytes).is_ok()
}

/// True when some line of `bytes` is a JSON object by itself, as NDJSON
/// lines are and the lines of a pretty-printed document are not.
fn has_object_line(bytes: &[u8]) -> bool {
    bytes
        .split(|&b| b == b'\n')
        .any(|line| line.trim_ascii_start().starts_with(b"{") && is_json(line))
}

/// The line, from 1, that byte `offset` of `bytes` is on.
fn line_of(bytes: &[u8], offset: usize) -> u64 {
    let newlines = bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    u64::try_from(newlines)
        .unwrap_or(u64::MAX)
        .saturating_add(1)
}

/// Consumes the whitespace after the first line, counting its newlines.
/// Also says whether the input ends there; a read error counts as more
/// input, so that reading goes on and reports it.
fn skip_blank(input: &mut impl BufRead) -> (usize, bool) {
    let mut newlines = 0;
    loop {
        let chunk = match input.fill_buf() {
            Ok(chunk) => chunk,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(_) => return (newlines, false),
        };
        if chunk.is_empty() {
            return (newlines, true);
        }
        let blank = chunk.iter().take_while(|b| b.is_ascii_whitespace()).count();
        newlines += chunk[..blank].iter().filter(|&&b| b == b'\n').count();
        let more = blank < chunk.len();
        input.consume(blank);
        if more {
            return (newlines, false);
        }
    }
}

/// How reading one line ended.
enum Line {
    /// The line was appended to the buffer, without its newline.
    Complete,
    /// The line was this many bytes, over the limit; its bytes were skipped
    /// but part of them may be in the buffer.
    TooLong(usize),
    /// The input had ended.
    End,
    /// Reading failed.
    Failed(std::io::Error),
}

/// Appends the next line of `input` to `buffer` when it is at most `limit`
/// bytes; the rest of a longer line is consumed and only counted.
fn read_line(input: &mut impl BufRead, buffer: &mut Vec<u8>, limit: usize) -> Line {
    let mut total = 0usize;
    loop {
        let chunk = match input.fill_buf() {
            Ok(chunk) => chunk,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Line::Failed(e),
        };
        if chunk.is_empty() {
            return if total == 0 {
                Line::End
            } else {
                ended(total, limit)
            };
        }

        let newline = chunk.iter().position(|&b| b == b'\n');
        let part = &chunk[..newline.unwrap_or(chunk.len())];
        if total + part.len() <= limit {
            buffer.extend_from_slice(part);
        }
        total += part.len();
        let used = part.len() + usize::from(newline.is_some());
        input.consume(used);
        if newline.is_some() {
            return ended(total, limit);
        }
    }
}

fn ended(total: usize, limit: usize) -> Line {
    if total > limit {
        Line::TooLong(total)
    } else {
        Line::Complete
    }
}

/// NDJSON: one resource per line, blank lines skipped. Bytes already read
/// while telling the shape are read again first.
struct Ndjson<R> {
    input: Chain<Cursor<Vec<u8>>, R>,
    line: u64,
    buffer: Vec<u8>,
    done: bool,
}

impl<R: BufRead> Ndjson<R> {
    /// Reads `replay`, then `input`, counting lines from after `line`.
    fn new(replay: Vec<u8>, input: R, line: u64) -> Ndjson<R> {
        let input = Cursor::new(replay).chain(input);
        Ndjson {
            input,
            line,
            buffer: Vec::new(),
            done: false,
        }
    }

    fn next_record(&mut self, source: &str, options: &ReadOptions) -> Option<Record> {
        while !self.done {
            self.release_replay();
            self.buffer.clear();
            let read = read_line(&mut self.input, &mut self.buffer, options.max_record_bytes);
            self.line += 1;
            let here = || Location::line(source, self.line);
            match read {
                Line::End => self.done = true,
                Line::Failed(e) => {
                    self.done = true;
                    return Some(read_failed(here(), &e));
                }
                Line::TooLong(n) => {
                    return Some(too_long(here(), "line", n, options.max_record_bytes));
                }
                Line::Complete if self.buffer.trim_ascii().is_empty() => {}
                Line::Complete => return Some(line_record(&self.buffer, here(), options)),
            }
        }
        None
    }
}

impl<R> Ndjson<R> {
    /// Frees the bytes read again once they are all read.
    fn release_replay(&mut self) {
        let (replay, _) = self.input.get_mut();
        let length = replay.get_ref().len();
        let spent = usize::try_from(replay.position()).is_ok_and(|at| at >= length);
        if spent && replay.get_ref().capacity() > 0 {
            *replay = Cursor::new(Vec::new());
        }
    }
}

fn line_record(bytes: &[u8], location: Location, options: &ReadOptions) -> Record {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Record::rejected(codes::INVALID_UTF8, "the line is not valid UTF-8", location);
    };
    match serde_json::from_str::<Json>(text) {
        Ok(Json::Object(object)) => resource_record(object, location, options),
        Ok(_) => Record::rejected(
            codes::NOT_AN_OBJECT,
            "the line is not a JSON object",
            location,
        ),
        Err(e) => Record::rejected(codes::INVALID_JSON, format!("invalid JSON: {e}"), location),
    }
}

/// The entries of a Bundle, handed out one at a time.
struct Entries {
    entries: std::vec::IntoIter<Json>,
    index: u64,
}

impl Entries {
    fn next_record(&mut self, source: &str, options: &ReadOptions) -> Option<Record> {
        let entry = self.entries.next()?;
        self.index += 1;
        let location = Location::record(source, self.index);
        Some(entry_record(entry, location, options))
    }
}

fn entry_record(entry: Json, location: Location, options: &ReadOptions) -> Record {
    let Json::Object(mut entry) = entry else {
        let message = "the Bundle entry is not a JSON object";
        return Record::rejected(codes::NOT_AN_OBJECT, message, location);
    };
    match entry.remove("resource") {
        Some(Json::Object(resource)) => resource_record(resource, location, options),
        None | Some(Json::Null) => {
            let message = "the Bundle entry has no `resource`";
            Record::rejected(codes::MISSING_FIELD, message, location)
        }
        Some(_) => {
            let message = "the Bundle entry's `resource` is not a JSON object";
            Record::rejected(codes::NOT_AN_OBJECT, message, location)
        }
    }
}

/// One resource: an AuditEvent is read, other resource types are ignored,
/// and a Bundle here (inside NDJSON or another Bundle) is not read.
fn resource_record(
    resource: Map<String, Json>,
    location: Location,
    options: &ReadOptions,
) -> Record {
    let resource_type = match resource.get("resourceType") {
        Some(Json::String(name)) if !name.is_empty() => name.as_str(),
        None | Some(Json::Null | Json::String(_)) => {
            let message = "the resource has no `resourceType`";
            return Record::rejected(codes::MISSING_FIELD, message, location);
        }
        Some(other) => {
            let message = format!(
                "`resourceType` must be text, found {}",
                super::json_kind(other)
            );
            return Record::rejected(codes::WRONG_TYPE, message, location);
        }
    };
    match resource_type {
        "AuditEvent" => match audit_event(&resource, options.zone) {
            Ok(event) => Record::Event(event),
            Err(invalid) => Record::rejected(invalid.code, invalid.message, location),
        },
        "Bundle" => {
            let message = "a Bundle is read only as a whole input, not inside NDJSON or \
                           another Bundle";
            Record::rejected(codes::UNSUPPORTED_RESOURCE, message, location)
        }
        other => Record::Ignored(format!("fhir:{other}")),
    }
}

fn rejection(code: Code, message: impl Into<String>, location: Location) -> Rejection {
    let message = message.into();
    Rejection {
        code,
        message,
        location,
    }
}

fn read_failed(location: Location, error: &std::io::Error) -> Record {
    Record::rejected(
        codes::READ_FAILED,
        format!("read failed: {error}"),
        location,
    )
}

/// The rejection of a `what` (line or resource) of `size` bytes.
fn too_long(location: Location, what: &str, size: usize, limit: usize) -> Record {
    let message = format!("the {what} is {size} bytes, over the limit of {limit}");
    Record::rejected(codes::LINE_TOO_LONG, message, location)
}

/// The AuditEvent mapping; see `docs/formats.md`.
fn audit_event(resource: &Map<String, Json>, zone: Tz) -> Result<Event, Invalid> {
    if r5::is_r5(resource) {
        return r5::audit_event(resource, zone);
    }
    let time = recorded(resource, zone)?;
    let agents: Vec<&Map<String, Json>> = objects(resource, "agent").collect();
    let (agent, user) = user_agent(&agents).ok_or_else(no_user)?;
    let action = action(resource)?;
    let mut event = Event::new(time, user, action);

    event.id = strict_text(resource, "id")?.map(str::to_string);
    event.outcome = outcome(resource)?;
    fill_from_agents(&mut event, agent, &agents);
    fill_from_entities(&mut event, resource);
    fill_from_source(&mut event, resource);
    fill_codes(&mut event, resource)?;
    Ok(event)
}

fn recorded(resource: &Map<String, Json>, zone: Tz) -> Result<DateTime<Utc>, Invalid> {
    let Some(text) = strict_text(resource, "recorded")? else {
        let message = "required element `recorded` is missing";
        return Err(Invalid::new(codes::MISSING_FIELD, message));
    };
    parse_timestamp(text, zone).ok_or_else(|| {
        let message = format!("`recorded` is not a timestamp: `{text}`");
        Invalid::new(codes::BAD_TIME, message)
    })
}

/// The acting agent and its identity: the first agent marked `requestor`
/// that names someone, else the first agent naming someone that is not an
/// application, network role or medium.
fn user_agent<'a>(agents: &[&'a Map<String, Json>]) -> Option<(&'a Map<String, Json>, &'a str)> {
    let requestors = agents
        .iter()
        .filter(|a| a.get("requestor") == Some(&Json::Bool(true)));
    let people = agents.iter().filter(|a| !is_system_agent(a));
    requestors
        .chain(people)
        .find_map(|agent| identity(agent).map(|id| (*agent, id)))
}

fn no_user() -> Invalid {
    let message = "no agent names the user (an agent marked `requestor`, or a person, \
                   with `who`, `altId` or `name`)";
    Invalid::new(codes::MISSING_FIELD, message)
}

/// An agent's identity, most stable first.
fn identity(agent: &Map<String, Json>) -> Option<&str> {
    text_at(agent, &["who", "identifier", "value"])
        .or_else(|| text(agent, "altId"))
        .or_else(|| text_at(agent, &["who", "reference"]))
        .or_else(|| text_at(agent, &["who", "display"]))
        .or_else(|| text(agent, "name"))
}

fn is_system_agent(agent: &Map<String, Json>) -> bool {
    agent_types(agent).any(|coding| {
        SYSTEM_ROLES
            .iter()
            .any(|code| coding_in(coding, &[DICOM], code))
    })
}

fn is_source_role(agent: &Map<String, Json>) -> bool {
    agent_types(agent).any(|coding| coding_in(coding, &[DICOM], SOURCE_ROLE))
}

fn agent_types(agent: &Map<String, Json>) -> impl Iterator<Item = &Map<String, Json>> {
    object(agent, "type")
        .into_iter()
        .flat_map(|concept| objects(concept, "coding"))
}

/// The action: a known subtype code, else a known type code, else the
/// `action` code.
fn action(resource: &Map<String, Json>) -> Result<&'static str, Invalid> {
    let code = strict_text(resource, "action")?;
    let by_subtype = objects(resource, "subtype").find_map(|c| lookup(c, &SUBTYPE_ACTIONS));
    let by_type = || object(resource, "type").and_then(|c| lookup(c, &TYPE_ACTIONS));
    let by_code = || code.and_then(|code| pick(&ACTION_CODES, code));
    by_subtype
        .or_else(by_type)
        .or_else(by_code)
        .ok_or_else(|| no_action(code))
}

fn lookup(
    coding: &Map<String, Json>,
    table: &[(&str, &str, &'static str)],
) -> Option<&'static str> {
    let mut entries = table.iter();
    let found = entries.find(|(system, code, _)| coding_in(coding, &[*system], code))?;
    Some(found.2)
}

fn pick(table: &[(&str, &'static str)], code: &str) -> Option<&'static str> {
    table
        .iter()
        .find(|(key, _)| *key == code)
        .map(|(_, action)| *action)
}

fn no_action(code: Option<&str>) -> Invalid {
    let message = match code {
        Some(code) => format!(
            "cannot tell the action: `action` `{code}` is not C, R, U, D or E and no \
             `subtype` or `type` code is known"
        ),
        None => "cannot tell the action: no `action` and no known `subtype` or `type` code".into(),
    };
    Invalid::new(codes::MISSING_FIELD, message)
}

/// `0` is success; `4`, `8` and `12` are failures, or denials when the
/// event says access was denied or forbidden.
fn outcome(resource: &Map<String, Json>) -> Result<Option<Outcome>, Invalid> {
    let Some(code) = strict_text(resource, "outcome")? else {
        return Ok(None);
    };
    match code {
        "0" => Ok(Some(Outcome::Success)),
        "4" | "8" | "12" if says_denied(resource) => Ok(Some(Outcome::Denied)),
        "4" | "8" | "12" => Ok(Some(Outcome::Failure)),
        other => {
            let message = format!("`outcome` must be 0, 4, 8 or 12, found `{other}`");
            Err(Invalid::new(codes::BAD_OUTCOME, message))
        }
    }
}

/// True when `outcomeDesc` says denied or forbidden, or a contained
/// OperationOutcome has a `forbidden` issue.
fn says_denied(resource: &Map<String, Json>) -> bool {
    let description = text(resource, "outcomeDesc")
        .unwrap_or("")
        .to_ascii_lowercase();
    let in_words = ["denied", "forbidden"]
        .iter()
        .any(|word| description.contains(word));
    in_words
        || objects(resource, "contained")
            .filter(|c| text(c, "resourceType") == Some("OperationOutcome"))
            .flat_map(|c| objects(c, "issue"))
            .any(|issue| text(issue, "code") == Some("forbidden"))
}

fn fill_from_agents(event: &mut Event, agent: &Map<String, Json>, agents: &[&Map<String, Json>]) {
    let address = text_at(agent, &["network", "address"]).or_else(|| {
        let mut sources = agents.iter().filter(|a| is_source_role(a));
        sources.find_map(|a| text_at(a, &["network", "address"]))
    });
    if let Some(address) = address {
        match parse_ip(address) {
            Some(ip) => event.ip = Some(ip),
            None => attribute(event, "host", address),
        }
    }

    event.unit = object(agent, "location").and_then(unit).map(str::to_string);
    event.purpose = first_code(objects(agent, "purposeOfUse")).map(str::to_string);
}

/// A unit from a Location reference: its id, identifier, display or text.
fn unit(location: &Map<String, Json>) -> Option<&str> {
    let reference = text(location, "reference");
    reference
        .and_then(|r| reference_id(r, "Location"))
        .or_else(|| text_at(location, &["identifier", "value"]))
        .or_else(|| text(location, "display"))
        .or(reference)
}

fn fill_from_entities(event: &mut Event, resource: &Map<String, Json>) {
    let entities: Vec<&Map<String, Json>> = objects(resource, "entity").collect();
    event.patient = patient(&entities).map(str::to_string);

    let mut others = entities.iter().filter(|e| !is_patient_role(e));
    let found = others.find_map(|e| entity_kind(e, resource));
    if let Some((kind, reference)) = found {
        event.resource = Some(kind.to_string());
        if let Some(reference) = reference.filter(|r| !r.starts_with('#')) {
            attribute(event, "fhir_entity", reference);
        }
    }
}

/// The patient: the entity in the Patient role (a Person entity with role
/// Patient), else the first entity referring to a Patient resource.
fn patient<'a>(entities: &[&'a Map<String, Json>]) -> Option<&'a str> {
    let by_role = entities
        .iter()
        .filter(|e| is_patient_role(e))
        .find_map(|e| patient_of(e));
    by_role.or_else(|| {
        let mut references = entities
            .iter()
            .filter_map(|e| text_at(e, &["what", "reference"]));
        references.find_map(|r| reference_id(r, "Patient"))
    })
}

fn patient_of(entity: &Map<String, Json>) -> Option<&str> {
    let what = object(entity, "what")?;
    let reference = text(what, "reference");
    reference
        .and_then(|r| reference_id(r, "Patient"))
        .or_else(|| text_at(what, &["identifier", "value"]))
        .or(reference)
        .or_else(|| text(what, "display"))
}

fn is_patient_role(entity: &Map<String, Json>) -> bool {
    let person = object(entity, "type").is_some_and(|c| coding_in(c, &ENTITY_TYPES, "1"));
    person && object(entity, "role").is_some_and(|c| coding_in(c, &OBJECT_ROLES, "1"))
}

/// The resource type an entity stands for, with its reference when it has
/// one: from `what.reference`, else from a resource-type `type` code.
fn entity_kind<'a>(
    entity: &'a Map<String, Json>,
    resource: &'a Map<String, Json>,
) -> Option<(&'a str, Option<&'a str>)> {
    let reference = text_at(entity, &["what", "reference"]);
    let by_reference = reference.and_then(|r| referenced_type(r, resource));
    let by_type = || {
        let coding = object(entity, "type")?;
        let code = text(coding, "code").filter(|c| is_type_name(c))?;
        coding_in(coding, &[RESOURCE_TYPES], code).then_some(code)
    };
    by_reference.or_else(by_type).map(|kind| (kind, reference))
}

/// The resource type in a reference: `Type/id`, an absolute URL ending so,
/// either with `/_history/n`, or `#id` naming a contained resource.
fn referenced_type<'a>(reference: &'a str, resource: &'a Map<String, Json>) -> Option<&'a str> {
    if let Some(id) = reference.strip_prefix('#') {
        let mut contained = objects(resource, "contained");
        let found = contained.find(|c| text(c, "id") == Some(id))?;
        return text(found, "resourceType");
    }
    let path = reference.split("/_history/").next()?;
    let mut segments = path.rsplit('/');
    segments.next().filter(|id| !id.is_empty())?;
    segments.next().filter(|name| is_type_name(name))
}

fn is_type_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

/// The id after the `kind` segment of a reference: `Patient/p1` and
/// `https://host/fhir/Patient/p1/_history/2` both give `p1`.
fn reference_id<'a>(reference: &'a str, kind: &str) -> Option<&'a str> {
    let mut segments = reference.split('/');
    segments.find(|segment| *segment == kind)?;
    segments.next().filter(|id| !id.is_empty())
}

fn fill_from_source(event: &mut Event, resource: &Map<String, Json>) {
    let Some(source) = object(resource, "source") else {
        return;
    };
    if event.unit.is_none() {
        event.unit = text(source, "site").map(str::to_string);
    }

    let observer = object(source, "observer");
    let system = observer.and_then(|o| {
        text_at(o, &["identifier", "value"])
            .or_else(|| text(o, "display"))
            .or_else(|| text(o, "reference"))
    });
    event.system = system.map(str::to_string);
}

fn fill_codes(event: &mut Event, resource: &Map<String, Json>) -> Result<(), Invalid> {
    if event.purpose.is_none() {
        event.purpose = first_code(objects(resource, "purposeOfEvent")).map(str::to_string);
    }
    if let Some(code) = object(resource, "type").and_then(|c| text(c, "code")) {
        attribute(event, "fhir_type", code);
    }
    if let Some(code) = objects(resource, "subtype").find_map(|c| text(c, "code")) {
        attribute(event, "fhir_subtype", code);
    }
    if let Some(description) = strict_text(resource, "outcomeDesc")? {
        attribute(event, "outcome_desc", description);
    }
    Ok(())
}

fn attribute(event: &mut Event, name: &str, value: &str) {
    event
        .attributes
        .insert(name.to_string(), Value::Text(value.to_string()));
}

/// The first code of the first coding in a list of CodeableConcepts.
fn first_code<'a>(mut concepts: impl Iterator<Item = &'a Map<String, Json>>) -> Option<&'a str> {
    concepts.find_map(|concept| objects(concept, "coding").find_map(|c| text(c, "code")))
}

/// True when a Coding has `code` and one of `systems`, or no system.
fn coding_in(coding: &Map<String, Json>, systems: &[&str], code: &str) -> bool {
    let system = text(coding, "system");
    text(coding, "code") == Some(code) && system.is_none_or(|s| systems.contains(&s))
}

/// A top-level text element: another JSON type is an error; null, empty
/// and blank text are absent.
fn strict_text<'a>(
    resource: &'a Map<String, Json>,
    name: &str,
) -> Result<Option<&'a str>, Invalid> {
    match resource.get(name) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(s)) => Ok(Some(s.trim()).filter(|s| !s.is_empty())),
        Some(other) => {
            let message = format!("`{name}` must be text, found {}", super::json_kind(other));
            Err(Invalid::new(codes::WRONG_TYPE, message))
        }
    }
}

/// A nested text element, trimmed; absent when blank or of another type.
fn text<'a>(object: &'a Map<String, Json>, name: &str) -> Option<&'a str> {
    object
        .get(name)?
        .as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// The text at a path of member names, such as `who.identifier.value`.
fn text_at<'a>(root: &'a Map<String, Json>, path: &[&str]) -> Option<&'a str> {
    let (last, parents) = path.split_last()?;
    let parent = parents
        .iter()
        .try_fold(root, |current, name| object(current, name))?;
    text(parent, last)
}

fn object<'a>(parent: &'a Map<String, Json>, name: &str) -> Option<&'a Map<String, Json>> {
    parent.get(name)?.as_object()
}

/// The objects in list member `name`; other items are passed over.
fn objects<'a>(
    parent: &'a Map<String, Json>,
    name: &str,
) -> impl Iterator<Item = &'a Map<String, Json>> {
    parent
        .get(name)
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(Json::as_object)
}

#[cfg(test)]
#[path = "fhir_tests.rs"]
mod tests;
