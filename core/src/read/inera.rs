//! Inera's national log format for access to patient records, the
//! `urn:riv:ehr:log:1` schema of the RIV-TA service domain `riv:ehr:log`
//! (Loggtjänst): a `StoreLogRequest`, a query response or a file of log
//! records, each record a `Log` element.
//!
//! A log record names one activity by one user on one or more resources;
//! each resource becomes one event, with the id `LOGID#N`. Elements are
//! matched by their local names, so any namespace prefix will do.
//! `docs/formats.md` has the mapping.

use super::set_text;
use super::{Input, Location, ReadOptions, Record};
use super::{OverLimit, is_over_limit};
use crate::codes::{self, Code};
use crate::event::Event;
use crate::time::parse_timestamp;
use chrono_tz::Tz;
use quick_xml::events::Event as Xml;
use std::collections::{BTreeMap, VecDeque};
use std::io::{BufRead, ErrorKind};

/// The text every Inera log file carries: the schema's namespace.
const NAMESPACE: &str = "urn:riv:ehr:log";

/// Activity types, Swedish as the schema lists them and English, with the
/// action each becomes.
const ACTIVITIES: [(&str, &str); 18] = [
    ("läsa", "read"),
    ("read", "read"),
    ("skriva", "write"),
    ("write", "write"),
    ("signera", "sign"),
    ("sign", "sign"),
    ("utskrift", "print"),
    ("print", "print"),
    ("vidimera", "attest"),
    ("attest", "attest"),
    ("radera", "delete"),
    ("delete", "delete"),
    ("nödöppning", "emergency_access"),
    ("emergency access", "emergency_access"),
    ("export", "export"),
    ("exportera", "export"),
    ("sök", "search"),
    ("search", "search"),
];

/// Whether the head of an input names the log schema's namespace.
pub fn sniff(head: &str) -> bool {
    head.contains(NAMESPACE)
}

/// Reads Inera log records from `input`; a record's faults are located by
/// its index in the file (`file#N`), XML faults by line. Nothing is read
/// until the first call.
pub fn read(
    input: Input,
    source: &str,
    options: &ReadOptions,
) -> impl Iterator<Item = Record> + Send + 'static {
    let guard = Guard {
        input,
        given: 0,
        limit: options.max_record_bytes,
        newlines: 0,
    };
    let parser = quick_xml::Reader::from_reader(guard);
    IneraRecords {
        parser,
        source: source.to_string(),
        zone: options.zone,
        path: Vec::new(),
        log: None,
        logs: 0,
        text: String::new(),
        queue: VecDeque::new(),
        buffer: Vec::new(),
        done: false,
    }
}

/// The reader: XML events in, records out.
struct IneraRecords {
    parser: quick_xml::Reader<Guard>,
    source: String,
    zone: Tz,
    /// The lowercase local names of the open elements.
    path: Vec<String>,
    /// The log record being read.
    log: Option<Draft>,
    /// Log records begun so far.
    logs: u64,
    /// The text of the element being read.
    text: String,
    queue: VecDeque<Record>,
    buffer: Vec<u8>,
    done: bool,
}

/// The leaf values of one log record, by their path below the `Log`
/// element (`user/careunit/careunitid`), and of each resource by its path
/// below `Resource`.
struct Draft {
    /// The depth of the `Log` element in the document.
    depth: usize,
    values: BTreeMap<String, String>,
    resources: Vec<BTreeMap<String, String>>,
}

impl Iterator for IneraRecords {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        while self.queue.is_empty() && !self.done {
            self.step();
        }
        self.queue.pop_front()
    }
}

impl IneraRecords {
    /// Reads one XML event.
    fn step(&mut self) {
        self.buffer.clear();
        let event = match self.parser.read_event_into(&mut self.buffer) {
            Ok(event) => event.into_owned(),
            Err(error) => return self.fail(&error),
        };
        match event {
            Xml::Start(start) => self.open(local_name(start.local_name().as_ref())),
            Xml::Empty(start) => {
                self.open(local_name(start.local_name().as_ref()));
                self.close();
            }
            Xml::End(_) => self.close(),
            Xml::Text(text) => self.text.push_str(&text.xml10_content()),
            Xml::CData(data) => self.text.push_str(&data),
            Xml::GeneralRef(reference) => self.reference(&reference),
            Xml::Eof => self.done = true,
            Xml::Comment(_) | Xml::Decl(_) | Xml::PI(_) | Xml::DocType(_) => {}
        }
    }

    fn open(&mut self, name: String) {
        self.text.clear();
        let is_log = matches!(name.as_str(), "log" | "logtype");
        self.path.push(name);
        if self.log.is_none() && is_log {
            self.logs += 1;
            self.parser.get_mut().reset();
            self.log = Some(Draft {
                depth: self.path.len(),
                values: BTreeMap::new(),
                resources: Vec::new(),
            });
            return;
        }
        let Some(log) = &mut self.log else {
            return;
        };
        let below = &self.path[log.depth..];
        if below == ["resources", "resource"] {
            log.resources.push(BTreeMap::new());
        }
    }

    fn close(&mut self) {
        let text = std::mem::take(&mut self.text);
        let depth = self.path.len();
        if let Some(log) = &mut self.log {
            if depth == log.depth {
                self.finish_log();
            } else if depth > log.depth {
                log.keep(&self.path[log.depth..], text.trim());
            }
        }
        self.path.pop();
    }

    /// A log record has ended: its events or its rejection are queued.
    fn finish_log(&mut self) {
        let Some(log) = self.log.take() else {
            return;
        };
        self.parser.get_mut().reset();
        let location = Location::record(&self.source, self.logs);
        match log.events(self.zone) {
            Ok(events) => self.queue.extend(events.into_iter().map(Record::Event)),
            Err((code, message)) => self
                .queue
                .push_back(Record::rejected(code, message, location)),
        }
    }

    /// An entity or character reference inside text.
    fn reference(&mut self, reference: &quick_xml::events::BytesRef<'_>) {
        let written = format!("&{};", &**reference);
        match quick_xml::escape::unescape(&written) {
            Ok(resolved) => self.text.push_str(&resolved),
            Err(_) => self.text.push_str(&written),
        }
    }

    /// XML that cannot be read ends the input: the parser cannot find its
    /// way back into the document.
    fn fail(&mut self, error: &quick_xml::Error) {
        self.done = true;
        let line = self.parser.get_ref().newlines + 1;
        let location = Location::line(&self.source, line);
        let (code, message) = match error {
            quick_xml::Error::Io(io) if is_over_limit(io) => {
                let limit = self.parser.get_ref().limit;
                let message = format!(
                    "the log record is over the limit of {limit} bytes; the rest of the file is \
                     not read"
                );
                let location = Location::record(&self.source, self.logs.max(1));
                return self.queue.push_back(Record::rejected(
                    codes::LINE_TOO_LONG,
                    message,
                    location,
                ));
            }
            quick_xml::Error::Io(io) => (codes::READ_FAILED, format!("read failed: {io}")),
            quick_xml::Error::Encoding(_) => (
                codes::INVALID_UTF8,
                "the file is not valid UTF-8; the rest of the file is not read".to_string(),
            ),
            other => (
                codes::BAD_XML,
                format!("not well-formed XML: {other}; the rest of the file is not read"),
            ),
        };
        self.queue
            .push_back(Record::rejected(code, message, location));
    }
}

impl Draft {
    /// Keeps a leaf's text under its path below the `Log` element; text of
    /// a resource goes to the resource being read.
    fn keep(&mut self, below: &[String], text: &str) {
        if text.is_empty() {
            return;
        }
        let inside = below.len() > 2 && below[0] == "resources" && below[1] == "resource";
        let (target, path) = match self.resources.last_mut() {
            Some(resource) if inside => (resource, &below[2..]),
            _ => (&mut self.values, below),
        };
        target
            .entry(path.join("/"))
            .or_insert_with(|| text.to_string());
    }

    fn get(&self, path: &str) -> Option<&str> {
        self.values.get(path).map(String::as_str)
    }

    fn require(&self, path: &str) -> Result<&str, (Code, String)> {
        self.get(path).ok_or_else(|| {
            let element = path.rsplit('/').next().unwrap_or(path);
            let message = format!("required element `{}` is missing", schema_name(element));
            (codes::MISSING_FIELD, message)
        })
    }

    /// One event per resource.
    fn events(&self, zone: Tz) -> Result<Vec<Event>, (Code, String)> {
        let start = self.require("activity/startdate")?;
        let time = parse_timestamp(start, zone).ok_or_else(|| {
            let message = format!("`StartDate` is not a timestamp: `{start}`");
            (codes::BAD_TIME, message)
        })?;
        let user = self.require("user/userid")?;
        let activity = self.require("activity/activitytype")?;
        if self.resources.is_empty() {
            let message = "the log record has no `Resources/Resource`".to_string();
            return Err((codes::MISSING_FIELD, message));
        }

        let template = self.template(Event::new(time, user, action(activity)));
        let events = self.resources.iter().enumerate().map(|(index, resource)| {
            let mut event = template.clone();
            event.id = self.get("logid").map(|id| format!("{id}#{}", index + 1));
            fill_resource(&mut event, resource);
            event
        });
        Ok(events.collect())
    }

    /// The fields every resource's event shares.
    fn template(&self, mut event: Event) -> Event {
        event.purpose = self.get("activity/purpose").map(str::to_string);
        event.system = self.get("system/systemid").map(str::to_string);
        event.unit = self.get("user/careunit/careunitid").map(str::to_string);
        let attributes = [
            ("activity", "activity/activitytype"),
            ("activity_level", "activity/activitylevel"),
            ("system_name", "system/systemname"),
            ("user_name", "user/name"),
            ("assignment", "user/assignment"),
            ("title", "user/title"),
            ("care_provider", "user/careprovider/careproviderid"),
            ("unit_name", "user/careunit/careunitname"),
        ];
        for (name, path) in attributes {
            if let Some(value) = self.get(path) {
                set_text(&mut event, name, Some(value));
            }
        }
        event
    }
}

fn fill_resource(event: &mut Event, resource: &BTreeMap<String, String>) {
    let get = |path: &str| resource.get(path).map(String::as_str);
    event.patient = get("patient/patientid").map(str::to_string);
    event.resource = get("resourcetype").map(str::to_string);
    if let Some(unit) = get("careunit/careunitid") {
        set_text(event, "resource_unit", Some(unit));
    }
    if let Some(provider) = get("careprovider/careproviderid") {
        set_text(event, "resource_care_provider", Some(provider));
    }
}

/// The action of an activity type: known Swedish and English words, else
/// the type itself in lowercase.
fn action(activity: &str) -> String {
    let word = activity.trim().to_lowercase();
    ACTIVITIES
        .iter()
        .find(|(name, _)| *name == word)
        .map_or(word.clone(), |(_, action)| (*action).to_string())
}

/// The schema's spelling of a lowercase element name, for messages.
fn schema_name(element: &str) -> &str {
    match element {
        "startdate" => "StartDate",
        "userid" => "UserId",
        "activitytype" => "ActivityType",
        other => other,
    }
}

fn local_name(name: &str) -> String {
    name.to_lowercase()
}

/// The input as the parser sees it: it counts line breaks and refuses to
/// give more than the limit between two log boundaries, so that memory
/// stays bounded.
struct Guard {
    input: Input,
    /// Bytes handed out since the last log boundary.
    given: usize,
    limit: usize,
    /// Line breaks consumed so far.
    newlines: u64,
}

impl Guard {
    /// A log record starts or ends: counting starts again.
    fn reset(&mut self) {
        self.given = 0;
    }
}

impl std::io::Read for Guard {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let size = available.len().min(buffer.len());
        buffer[..size].copy_from_slice(&available[..size]);
        self.consume(size);
        Ok(size)
    }
}

impl BufRead for Guard {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.given > self.limit {
            return Err(std::io::Error::new(ErrorKind::InvalidData, OverLimit));
        }
        self.input.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        if let Ok(chunk) = self.input.fill_buf() {
            let used = &chunk[..amount.min(chunk.len())];
            let newlines = used.iter().filter(|&&b| b == b'\n').count();
            self.newlines += u64::try_from(newlines).unwrap_or(0);
        }
        self.given += amount;
        self.input.consume(amount);
    }
}

#[cfg(test)]
#[path = "inera_tests.rs"]
mod tests;
