//! A stream of JSON objects in the shapes log exports take: one object per
//! line (NDJSON), pretty-printed objects one after another, a top-level
//! list, or the list in one member of a top-level object (a Microsoft Graph
//! page, `{"value": [...]}`). Only an input that starts with `[` is a
//! list of records; a list later on is a value that is not an object.
//!
//! The input is cut into values by a byte scanner that follows strings and
//! brackets, so a list is read element by element and never held whole:
//! memory per value is bounded by the record limit. Each value is then
//! parsed on its own, and a broken value costs only itself.

use super::canonical::{Invalid, parse_ip};
use super::{Input, Location, Record, Rejection};
use crate::codes::{self, Code};
use serde_json::{Map, Value as Json};
use std::io::{BufRead, ErrorKind};
use std::net::IpAddr;

/// A JSON object read from the input, with its location.
pub(super) type Object = (Map<String, Json>, Location);

/// A value that could not be read as an object.
pub(super) type Fault = Box<Rejection>;

/// The longest key remembered while looking for the list member.
const MAX_KEY: usize = 64;

/// Reads JSON objects from an input; see the module documentation.
pub(super) struct JsonValues {
    input: Input,
    source: String,
    limit: usize,
    /// The member of a top-level object whose list holds the records.
    container: Option<&'static str>,
    /// The line the scanner is on, from 1.
    line: u64,
    /// Elements of lists read so far.
    index: u64,
    scope: Scope,
    /// Whether a line break ends a top-level value (NDJSON); decided by
    /// the first value.
    lines: Option<bool>,
    buffer: Vec<u8>,
    /// The byte-order mark has been looked for.
    started: bool,
    /// The first value has begun: a list after it is a value, not records.
    begun: bool,
}

/// Where the scanner is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Between top-level values.
    Top,
    /// Between the elements of a list; `nested` when the list is a member
    /// of a top-level object, whose rest is passed over after it.
    List { nested: bool },
    /// Nothing more to read.
    Done,
}

/// How capturing one value ended.
enum Captured {
    /// The value is in the buffer.
    Value,
    /// The value was this many bytes, over the limit.
    TooLong(usize),
    /// The top-level object opened the list member: its elements follow.
    List,
    /// A line break came inside a top-level value of an NDJSON input.
    Broken,
    /// The input ended inside the value.
    End,
    /// Reading failed.
    Failed(std::io::Error),
}

/// The scanner's place inside a value.
#[derive(Default)]
struct Scan {
    depth: usize,
    in_string: bool,
    escaped: bool,
    /// The value is a string or a bare word rather than `{…}` or `[…]`.
    scalar: bool,
    /// Non-blank bytes have followed the opening bracket on its line.
    content_on_first_line: bool,
    seen_newline: bool,
    key: KeyWatch,
}

/// Watches the members of a top-level object for the list member.
#[derive(Default)]
struct KeyWatch {
    active: bool,
    expect_key: bool,
    in_key: bool,
    key: Vec<u8>,
    after_colon: bool,
}

impl JsonValues {
    /// Reads `input`; `container` names the member of a top-level object
    /// whose list holds the records, when the format has one.
    pub(super) fn new(
        input: Input,
        source: &str,
        limit: usize,
        container: Option<&'static str>,
    ) -> JsonValues {
        JsonValues {
            input,
            source: source.to_string(),
            limit,
            container,
            line: 1,
            index: 0,
            scope: Scope::Top,
            lines: None,
            buffer: Vec::new(),
            started: false,
            begun: false,
        }
    }

    /// The location of a fault in the input as a whole.
    fn whole_input(&self) -> Location {
        Location {
            source: self.source.clone(),
            line: None,
            record: None,
        }
    }

    /// Skips blanks, and commas between list elements; returns the next
    /// byte without taking it, `None` at the end.
    fn peek(&mut self) -> Result<Option<u8>, std::io::Error> {
        loop {
            let chunk = match self.input.fill_buf() {
                Ok(chunk) => chunk,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if !self.started {
                self.started = true;
                if chunk.starts_with(b"\xEF\xBB\xBF") {
                    self.input.consume(3);
                    continue;
                }
            }
            let in_list = matches!(self.scope, Scope::List { .. });
            let skip = chunk
                .iter()
                .take_while(|&&b| b.is_ascii_whitespace() || (in_list && b == b','))
                .count();
            let next = chunk.get(skip).copied();
            let newlines = chunk[..skip].iter().filter(|&&b| b == b'\n').count();
            self.line += u64::try_from(newlines).unwrap_or(0);
            let ended = chunk.is_empty();
            self.input.consume(skip);
            if next.is_some() || ended {
                return Ok(next);
            }
        }
    }

    /// Captures one value into the buffer, from its first byte on.
    fn capture(&mut self, top: bool) -> Captured {
        self.buffer.clear();
        let mut scan = Scan::default();
        scan.key.active = top && self.container.is_some();
        let mut total = 0usize;
        loop {
            let chunk = match self.input.fill_buf() {
                Ok(chunk) => chunk,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Captured::Failed(e),
            };
            if chunk.is_empty() {
                let word = scan.scalar && !scan.in_string && total > 0;
                return if word { Captured::Value } else { Captured::End };
            }

            let container = self.container.unwrap_or("").as_bytes();
            let lines = top && self.lines != Some(false);
            let (used, end) = scan_chunk(&mut scan, chunk, total == 0, lines, container);
            let newlines = chunk[..used].iter().filter(|&&b| b == b'\n').count();
            if total + used <= self.limit {
                self.buffer.extend_from_slice(&chunk[..used]);
            }
            total += used;
            self.input.consume(used);
            self.line += u64::try_from(newlines).unwrap_or(0);

            if let Some(end) = end {
                if top && self.lines.is_none() {
                    self.lines = Some(!scan.seen_newline || scan.content_on_first_line);
                }
                return match end {
                    Captured::Value if total > self.limit => Captured::TooLong(total),
                    other => other,
                };
            }
        }
    }

    /// Passes over the rest of the top-level object after its list member.
    fn skip_rest(&mut self) -> Result<(), std::io::Error> {
        let mut scan = Scan {
            depth: 1,
            ..Scan::default()
        };
        loop {
            let chunk = match self.input.fill_buf() {
                Ok(chunk) => chunk,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                return Ok(());
            }
            let (used, end) = scan_chunk(&mut scan, chunk, false, false, b"");
            let newlines = chunk[..used].iter().filter(|&&b| b == b'\n').count();
            self.input.consume(used);
            self.line += u64::try_from(newlines).unwrap_or(0);
            if end.is_some() {
                return Ok(());
            }
        }
    }

    /// The next object, or the rejection of the next value.
    fn next_value(&mut self) -> Option<Result<Object, Fault>> {
        loop {
            if self.scope == Scope::Done {
                return None;
            }
            let next = match self.peek() {
                Ok(next) => next,
                Err(e) => return Some(Err(self.fail(&e))),
            };
            match (self.scope, next) {
                (_, None) => return self.end_of_input(),
                (Scope::List { nested }, Some(b']')) => {
                    self.input.consume(1);
                    if let Some(fault) = self.close_list(nested) {
                        return Some(Err(fault));
                    }
                }
                (Scope::Top, Some(b'[')) if !self.begun => {
                    self.begun = true;
                    self.input.consume(1);
                    self.scope = Scope::List { nested: false };
                }
                (Scope::Top, Some(_)) => {
                    self.begun = true;
                    if let Some(item) = self.top_value() {
                        return Some(item);
                    }
                }
                (_, Some(_)) => return Some(self.element()),
            }
        }
    }

    fn close_list(&mut self, nested: bool) -> Option<Fault> {
        self.scope = Scope::Top;
        if !nested {
            return None;
        }
        self.skip_rest().err().map(|e| self.fail(&e))
    }

    fn end_of_input(&mut self) -> Option<Result<Object, Fault>> {
        let open = matches!(self.scope, Scope::List { .. });
        self.scope = Scope::Done;
        if !open {
            return None;
        }
        let message = "the input ends inside a list: its closing `]` is missing";
        Some(Err(fault(
            codes::INVALID_JSON,
            message.into(),
            self.whole_input(),
        )))
    }

    /// A value at the top level; `None` when it opened the list member.
    fn top_value(&mut self) -> Option<Result<Object, Fault>> {
        let location = Location::line(&self.source, self.line);
        match self.capture(true) {
            Captured::List => {
                self.scope = Scope::List { nested: true };
                None
            }
            captured => Some(self.finish(captured, location)),
        }
    }

    /// An element of a list.
    fn element(&mut self) -> Result<Object, Fault> {
        self.index += 1;
        let location = Location::record(&self.source, self.index);
        let captured = self.capture(false);
        self.finish(captured, location)
    }

    fn finish(&mut self, captured: Captured, location: Location) -> Result<Object, Fault> {
        match captured {
            Captured::Value | Captured::List => parse(&self.buffer, location),
            Captured::TooLong(size) => {
                let limit = self.limit;
                let message = format!("the record is {size} bytes, over the limit of {limit}");
                Err(fault(codes::LINE_TOO_LONG, message, location))
            }
            Captured::Broken => {
                let message = "invalid JSON: the line ends inside the value";
                Err(fault(codes::INVALID_JSON, message.into(), location))
            }
            Captured::End => {
                self.scope = Scope::Done;
                let message = "invalid JSON: the input ends inside the value";
                Err(fault(codes::INVALID_JSON, message.into(), location))
            }
            Captured::Failed(e) => Err(self.fail(&e)),
        }
    }

    fn fail(&mut self, error: &std::io::Error) -> Fault {
        self.scope = Scope::Done;
        let location = Location::line(&self.source, self.line);
        fault(
            codes::READ_FAILED,
            format!("read failed: {error}"),
            location,
        )
    }
}

impl Iterator for JsonValues {
    type Item = Result<Object, Fault>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_value()
    }
}

/// Scans `chunk` for the end of the value; returns the bytes used and how
/// the value ended, if it did. `first` when the chunk starts the value;
/// `lines` when a line break inside a top-level value breaks it.
fn scan_chunk(
    scan: &mut Scan,
    chunk: &[u8],
    first: bool,
    lines: bool,
    container: &[u8],
) -> (usize, Option<Captured>) {
    for (i, &byte) in chunk.iter().enumerate() {
        if first && i == 0 {
            if let Some(end) = open_value(scan, byte) {
                return (1, Some(end));
            }
            continue;
        }
        if scan.scalar && !scan.in_string {
            if byte.is_ascii_whitespace() || b",]}".contains(&byte) {
                return (i, Some(Captured::Value));
            }
            continue;
        }
        if let Some(end) = step(scan, byte, lines, container) {
            return (i + 1, Some(end));
        }
    }
    (chunk.len(), None)
}

/// The first byte of a value; a one-byte value ends at once.
fn open_value(scan: &mut Scan, byte: u8) -> Option<Captured> {
    match byte {
        b'{' | b'[' => {
            scan.depth = 1;
            scan.key.expect_key = byte == b'{';
            scan.key.active &= byte == b'{';
            None
        }
        b'"' => {
            scan.scalar = true;
            scan.in_string = true;
            None
        }
        _ => {
            scan.scalar = true;
            None
        }
    }
}

/// One byte inside a value: strings, brackets, line breaks and keys. In
/// NDJSON (`lines`), a line break ends a value whose first line had more
/// than its opening bracket: the line was cut off.
fn step(scan: &mut Scan, byte: u8, lines: bool, container: &[u8]) -> Option<Captured> {
    if byte == b'\n' {
        if lines && scan.content_on_first_line {
            return Some(Captured::Broken);
        }
        scan.seen_newline = true;
    }
    if scan.in_string {
        return string_byte(scan, byte);
    }
    if byte == b'\n' {
        return None;
    }
    if !scan.seen_newline && !byte.is_ascii_whitespace() {
        scan.content_on_first_line = true;
    }
    if scan.key.active && scan.depth == 1 && watch_key(&mut scan.key, byte, container) {
        return Some(Captured::List);
    }
    match byte {
        b'"' => scan.in_string = true,
        b'{' | b'[' => scan.depth += 1,
        b'}' | b']' => {
            scan.depth = scan.depth.saturating_sub(1);
            if scan.depth == 0 {
                return Some(Captured::Value);
            }
        }
        _ => {}
    }
    None
}

fn string_byte(scan: &mut Scan, byte: u8) -> Option<Captured> {
    if scan.escaped {
        scan.escaped = false;
    } else if byte == b'\\' {
        scan.escaped = true;
    } else if byte == b'"' {
        scan.in_string = false;
        if scan.scalar {
            return Some(Captured::Value);
        }
    }
    if scan.key.in_key {
        if scan.in_string {
            if scan.key.key.len() < MAX_KEY {
                scan.key.key.push(byte);
            }
        } else {
            scan.key.in_key = false;
        }
    }
    None
}

/// Follows the members of the top-level object, outside strings; true
/// when the member named `container` opens a list.
fn watch_key(watch: &mut KeyWatch, byte: u8, container: &[u8]) -> bool {
    if byte.is_ascii_whitespace() {
        return false;
    }
    if watch.after_colon {
        watch.after_colon = false;
        return byte == b'[' && watch.key == container;
    }
    match byte {
        b'"' if watch.expect_key => {
            watch.expect_key = false;
            watch.in_key = true;
            watch.key.clear();
        }
        b':' => watch.after_colon = true,
        b',' => watch.expect_key = true,
        _ => {}
    }
    false
}

/// Parses a captured value as a JSON object.
fn parse(bytes: &[u8], location: Location) -> Result<Object, Fault> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        let message = "the record is not valid UTF-8";
        return Err(fault(codes::INVALID_UTF8, message.into(), location));
    };
    match serde_json::from_str::<Json>(text) {
        Ok(Json::Object(object)) => Ok((object, location)),
        Ok(_) => {
            let message = "the record is not a JSON object";
            Err(fault(codes::NOT_AN_OBJECT, message.into(), location))
        }
        Err(e) => Err(fault(codes::INVALID_JSON, one_line_error(&e), location)),
    }
}

/// A JSON error within one line, placed by column only: the line is the
/// record's own, given by its location.
fn one_line_error(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let what = text
        .rsplit_once(" at line ")
        .map_or(text.as_str(), |(w, _)| w);
    format!("invalid JSON: {what} at column {}", error.column())
}

/// The text at `path` (`["status", "failureReason"]`), trimmed: absent,
/// null and blank text are `None`; another type is `wrong_type`.
pub(super) fn text<'a>(
    object: &'a Map<String, Json>,
    path: &[&str],
) -> Result<Option<&'a str>, Invalid> {
    match member(object, path)? {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(s)) => Ok(Some(s.trim()).filter(|s| !s.is_empty())),
        Some(other) => Err(wrong_type(path, "text", other)),
    }
}

/// The whole number at `path`; absent and null are `None`.
pub(super) fn integer(object: &Map<String, Json>, path: &[&str]) -> Result<Option<i64>, Invalid> {
    match member(object, path)? {
        None | Some(Json::Null) => Ok(None),
        Some(Json::Number(n)) if n.is_i64() => Ok(n.as_i64()),
        Some(other) => Err(wrong_type(path, "a whole number", other)),
    }
}

/// The IP address at `path`: absent, blank and `-` are none; anything
/// else that is not an address is `bad_ip`.
pub(super) fn address(
    object: &Map<String, Json>,
    path: &[&str],
) -> Result<Option<IpAddr>, Invalid> {
    let Some(text) = text(object, path)?.filter(|t| *t != "-") else {
        return Ok(None);
    };
    parse_ip(text).map(Some).ok_or_else(|| Invalid {
        code: codes::BAD_IP,
        message: format!("`{}` is not an IP address: `{text}`", path.join(".")),
    })
}

/// The value at a path of member names; a step that is not an object is
/// `wrong_type`.
fn member<'a>(object: &'a Map<String, Json>, path: &[&str]) -> Result<Option<&'a Json>, Invalid> {
    let Some((last, parents)) = path.split_last() else {
        return Ok(None);
    };
    let mut current = object;
    for (depth, name) in parents.iter().enumerate() {
        match current.get(*name) {
            None | Some(Json::Null) => return Ok(None),
            Some(Json::Object(inner)) => current = inner,
            Some(other) => return Err(wrong_type(&path[..=depth], "an object", other)),
        }
    }
    Ok(current.get(*last))
}

fn wrong_type(path: &[&str], expected: &str, found: &Json) -> Invalid {
    let found = super::json_kind(found);
    Invalid {
        code: codes::WRONG_TYPE,
        message: format!("`{}` must be {expected}, found {found}", path.join(".")),
    }
}

/// A required member that is missing.
pub(super) fn missing(name: &str) -> Invalid {
    Invalid {
        code: codes::MISSING_FIELD,
        message: format!("required field `{name}` is missing"),
    }
}

/// The rejection of an object at `location`.
pub(super) fn rejected(invalid: Invalid, location: Location) -> Record {
    Record::rejected(invalid.code, invalid.message, location)
}

fn fault(code: Code, message: String, location: Location) -> Fault {
    Box::new(Rejection {
        code,
        message,
        location,
    })
}

#[cfg(test)]
#[path = "json_values_tests.rs"]
mod tests;
