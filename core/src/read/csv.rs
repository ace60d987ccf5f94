//! CSV with a header row: columns become event fields through a mapping.
//!
//! The first row names the columns. Each canonical field is read from the
//! column the mapping ([`CsvOptions`](super::CsvOptions)) names for it, or
//! else from a column named like the field; every other column becomes an
//! attribute. Values follow the canonical rules of `canonical.rs`: the same
//! timestamps, outcome words and addresses. `docs/formats.md` has the rest.

use super::canonical::{Fields, Invalid};
use super::{Input, Location, ReadOptions, Record};
use super::{OverLimit, is_over_limit};
use crate::codes::{self};
use crate::event::{Event, Field, Value};
use serde_json::Number;
use std::collections::BTreeMap;
use std::io::{BufRead, ErrorKind, Read};
use std::path::Path;

/// Bytes the CSV parser reads ahead of the record it is on.
const READ_AHEAD: usize = 64 << 10;

/// The canonical fields a file cannot do without.
const REQUIRED: [&str; 3] = ["time", "user", "action"];

/// CSV is never told by its content: `--format csv`, or a `.csv` or `.tsv`
/// file name (see [`is_table_file`]), chooses it.
pub fn sniff(head: &str) -> bool {
    let _ = head;
    false
}

/// True when the file name ends in `.csv` or `.tsv`, also followed by `.gz`.
pub fn is_table_file(path: &Path) -> bool {
    matches!(table_extension(path).as_deref(), Some("csv" | "tsv"))
}

/// True when the file name ends in `.tsv` (or `.tsv.gz`): tab-separated.
pub fn is_tab_separated(path: &Path) -> bool {
    table_extension(path).as_deref() == Some("tsv")
}

/// The lowercase extension, looking past a final `.gz`.
fn table_extension(path: &Path) -> Option<String> {
    let lower = |p: &Path| p.extension()?.to_str().map(str::to_ascii_lowercase);
    let extension = lower(path)?;
    if extension != "gz" {
        return Some(extension);
    }
    lower(Path::new(path.file_stem()?))
}

/// Reads CSV records from `input`; rows are located by their line.
///
/// Nothing is read until the first call. A header that the mapping does
/// not fit is one `bad_mapping` rejection for the whole file.
pub fn read(
    input: Input,
    source: &str,
    options: &ReadOptions,
) -> impl Iterator<Item = Record> + Send + 'static {
    CsvRecords {
        source: source.to_string(),
        options: options.clone(),
        state: State::Start(input),
    }
}

/// The reader: the header on the first call, then one row per call.
struct CsvRecords {
    source: String,
    options: ReadOptions,
    state: State,
}

/// How far reading has come.
enum State {
    /// Nothing read yet.
    Start(Input),
    /// Reading rows under a header.
    Rows(Box<Rows>),
    /// Nothing more to read.
    Done,
}

impl Iterator for CsvRecords {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        if let State::Start(_) = self.state {
            if let Some(fault) = self.begin() {
                return Some(fault);
            }
        }
        let State::Rows(rows) = &mut self.state else {
            return None;
        };
        let record = rows.next_record(&self.source, &self.options);
        if record.is_none() {
            self.state = State::Done;
        }
        record
    }
}

impl CsvRecords {
    /// Reads the header and fits the mapping to it; a fault ends reading.
    fn begin(&mut self) -> Option<Record> {
        let State::Start(input) = std::mem::replace(&mut self.state, State::Done) else {
            return None;
        };
        let guard = Guard::new(input, &self.options);
        let mut reader = parser(guard, &self.options);
        let mut header = csv::ByteRecord::new();
        let here = Location::line(&self.source, 1);
        match read_row(&mut reader, &mut header) {
            Ok(false) => return None,
            Ok(true) => {}
            Err(fault) => return Some(fault.record(here, &self.options)),
        }

        let columns =
            header_names(&header).and_then(|names| Columns::fit(names, &self.options.csv.mapping));
        match columns {
            Ok(columns) => {
                let rows = Rows::new(reader, columns);
                self.state = State::Rows(Box::new(rows));
                None
            }
            Err(invalid) => Some(Record::rejected(invalid.code, invalid.message, here)),
        }
    }
}

/// A CSV parser over `guard` with the options' delimiter and quote.
fn parser(guard: Guard, options: &ReadOptions) -> csv::Reader<Guard> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .delimiter(options.csv.delimiter)
        .quote(options.csv.quote)
        .terminator(csv::Terminator::Any(b'\n'))
        .buffer_capacity(READ_AHEAD)
        .from_reader(guard)
}

/// Why a row could not be parsed at all.
enum Fault {
    /// The row grew past the limit; reading can go on after it.
    TooLong,
    /// Reading the input failed, for this reason.
    Failed(String),
}

impl Fault {
    fn record(self, location: Location, options: &ReadOptions) -> Record {
        match self {
            Fault::TooLong => {
                let limit = options.max_record_bytes;
                let message = format!("the row is longer than the limit of {limit} bytes");
                Record::rejected(codes::LINE_TOO_LONG, message, location)
            }
            Fault::Failed(e) => {
                Record::rejected(codes::READ_FAILED, format!("read failed: {e}"), location)
            }
        }
    }
}

/// Reads one row; `Ok(false)` at the end of the input.
fn read_row(reader: &mut csv::Reader<Guard>, row: &mut csv::ByteRecord) -> Result<bool, Fault> {
    match reader.read_byte_record(row) {
        Ok(more) => {
            reader.get_mut().reset();
            Ok(more)
        }
        Err(e) => match e.kind() {
            csv::ErrorKind::Io(io) if is_over_limit(io) => Err(Fault::TooLong),
            _ => Err(Fault::Failed(e.to_string())),
        },
    }
}

/// The header's column names; a header that is not UTF-8 is no header.
fn header_names(header: &csv::ByteRecord) -> Result<Vec<String>, Invalid> {
    header
        .iter()
        .map(|name| std::str::from_utf8(name).map(str::to_string))
        .collect::<Result<_, _>>()
        .map_err(|_| Invalid {
            code: codes::INVALID_UTF8,
            message: "the header row is not valid UTF-8".into(),
        })
}

/// Which column gives each field and each attribute.
struct Columns {
    /// The number of columns in the header.
    width: usize,
    /// Canonical field name and column index.
    fields: Vec<(&'static str, usize)>,
    /// Attribute name and column index.
    attributes: Vec<(String, usize)>,
}

impl Columns {
    /// Fits `mapping` to the header `names`: every mapped column must be
    /// there, and `time`, `user` and `action` must each have a column. A
    /// mapped column is matched exactly; a field's own name in any case.
    fn fit(names: Vec<String>, mapping: &BTreeMap<String, String>) -> Result<Columns, Invalid> {
        let mut missing: Vec<String> = mapping
            .keys()
            .filter(|field| Field::canonical(field).is_none())
            .map(|field| format!("`{field}` (not a canonical field)"))
            .collect();
        let mut fields = Vec::new();
        for (field, _) in Field::CANONICAL {
            let column = mapping.get(field).map_or(field, String::as_str);
            let exact = names.iter().position(|name| name == column);
            let own_name = || {
                let mut names = names.iter();
                names.position(|name| !mapping.contains_key(field) && is_named(name, field))
            };
            match exact.or_else(own_name) {
                Some(index) => fields.push((field, index)),
                None if mapping.contains_key(field) => {
                    missing.push(format!("`{column}` ({field})"))
                }
                None if REQUIRED.contains(&field) => {
                    missing.push(format!("`{column}` ({field}, required)"));
                }
                None => {}
            }
        }
        if !missing.is_empty() {
            return Err(bad_mapping(&missing, &names));
        }

        let attributes = attribute_columns(&names, &fields);
        Ok(Columns {
            width: names.len(),
            fields,
            attributes,
        })
    }
}

/// Columns that are no field become attributes under their header name,
/// except columns named like a canonical field (in any case), blank names
/// and repeats.
fn attribute_columns(names: &[String], fields: &[(&str, usize)]) -> Vec<(String, usize)> {
    let used = |index: usize| fields.iter().any(|(_, i)| *i == index);
    let repeat = |index: usize| names[..index].contains(&names[index]);
    names
        .iter()
        .enumerate()
        .filter(|(index, name)| {
            let field_name = Field::CANONICAL
                .iter()
                .any(|(field, _)| is_named(name, field));
            !name.is_empty() && !used(*index) && !repeat(*index) && !field_name
        })
        .map(|(index, name)| (name.clone(), index))
        .collect()
}

/// True when a column is named like `field`, in any case.
fn is_named(name: &str, field: &str) -> bool {
    name.eq_ignore_ascii_case(field)
}

fn bad_mapping(missing: &[String], names: &[String]) -> Invalid {
    let header: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    let message = format!(
        "the header lacks the columns {}; its columns are {}",
        missing.join(", "),
        header.join(", ")
    );
    Invalid {
        code: codes::BAD_MAPPING,
        message,
    }
}

/// Rows under a known header.
struct Rows {
    reader: csv::Reader<Guard>,
    columns: Columns,
    /// The line of the input that the parser counts as its line 1.
    first_line: u64,
    row: csv::ByteRecord,
    done: bool,
}

impl Rows {
    fn new(reader: csv::Reader<Guard>, columns: Columns) -> Rows {
        Rows {
            reader,
            columns,
            first_line: 1,
            row: csv::ByteRecord::new(),
            done: false,
        }
    }

    fn next_record(&mut self, source: &str, options: &ReadOptions) -> Option<Record> {
        while !self.done {
            let before = self.reader.position().clone();
            match read_row(&mut self.reader, &mut self.row) {
                Ok(false) => self.done = true,
                Ok(true) if is_blank(&self.row) => {}
                Ok(true) => {
                    let location = self.location(source, self.start_line(before.line()));
                    let size = self.reader.position().byte() - before.byte();
                    return Some(self.row_record(size, location, options));
                }
                Err(Fault::TooLong) => {
                    let location = self.location(source, before.line());
                    self.skip_rest_of_line(options);
                    return Some(Fault::TooLong.record(location, options));
                }
                Err(fault) => {
                    self.done = true;
                    return Some(fault.record(self.location(source, before.line()), options));
                }
            }
        }
        None
    }

    /// The location of the parser's line `line`.
    fn location(&self, source: &str, line: u64) -> Location {
        Location::line(source, self.first_line + line.max(1) - 1)
    }

    /// The parser's line the row starts on. Blank lines before a row are
    /// skipped inside the parser, so the start is counted back from the end:
    /// the line after the row, less its own line breaks and its final one
    /// (which a last row without a line break lacks).
    fn start_line(&self, before: u64) -> u64 {
        let after = self.reader.position().line();
        let inside = self.row.as_slice().iter().filter(|&&b| b == b'\n').count();
        let inside = u64::try_from(inside).unwrap_or(0);
        let last = u64::from(!self.reader.get_ref().ended);
        after.saturating_sub(inside + last).max(before)
    }

    fn row_record(&self, size: u64, location: Location, options: &ReadOptions) -> Record {
        let limit = options.max_record_bytes;
        if usize::try_from(size).is_ok_and(|size| size > limit) {
            let message = format!("the row is {size} bytes, over the limit of {limit}");
            return Record::rejected(codes::LINE_TOO_LONG, message, location);
        }
        if self.row.len() != self.columns.width {
            let message = format!(
                "the row has {} fields, the header has {}",
                self.row.len(),
                self.columns.width
            );
            return Record::rejected(codes::BAD_ROW, message, location);
        }
        match row_event(&self.row, &self.columns, options) {
            Ok(event) => Record::Event(event),
            Err(invalid) => Record::rejected(invalid.code, invalid.message, location),
        }
    }

    /// After a fault the parser cannot go on: the rest of the line is
    /// passed over and a new parser starts on the next line.
    fn skip_rest_of_line(&mut self, options: &ReadOptions) {
        let placeholder = csv::Reader::from_reader(Guard::new(Box::new(std::io::empty()), options));
        let reader = std::mem::replace(&mut self.reader, placeholder);
        let mut guard = reader.into_inner();
        guard.skip_line();
        guard.reset();
        self.first_line = guard.newlines + 1;
        self.reader = parser(guard, options);
    }
}

/// A row whose every field is empty is no record (a blank line, or a line
/// of delimiters only).
fn is_blank(row: &csv::ByteRecord) -> bool {
    row.iter().all(<[u8]>::is_empty)
}

/// Reads a row through the canonical rules.
fn row_event(
    row: &csv::ByteRecord,
    columns: &Columns,
    options: &ReadOptions,
) -> Result<Event, Invalid> {
    let cell = |index: usize| -> Result<&str, Invalid> {
        let bytes = row.get(index).unwrap_or_default();
        std::str::from_utf8(bytes).map_err(|_| Invalid {
            code: codes::INVALID_UTF8,
            message: "the row is not valid UTF-8".into(),
        })
    };

    let mut fields = Fields::new();
    for (field, index) in &columns.fields {
        let text = cell(*index)?;
        if text.is_empty() {
            continue;
        }
        match *field {
            "amount" => fields.set_number(field, amount(text)?),
            _ => fields.set_text(field, text),
        }
    }
    let mut event = fields.into_event(options.zone)?;

    for (name, index) in &columns.attributes {
        let text = cell(*index)?;
        if !text.is_empty() {
            event
                .attributes
                .insert(name.clone(), Value::Text(text.to_string()));
        }
    }
    Ok(event)
}

/// The `amount` cell, which must read as a number; other fields are text.
fn amount(text: &str) -> Result<Number, Invalid> {
    let number = text.parse::<f64>().ok().and_then(Number::from_f64);
    number.ok_or_else(|| Invalid {
        code: codes::WRONG_TYPE,
        message: format!("`amount` must be a number, found `{text}`"),
    })
}

/// The input as the parser sees it: it counts line breaks, and refuses to
/// give more than the limit (plus the parser's read-ahead) for one row, so
/// that an endless row cannot fill memory.
struct Guard {
    input: Input,
    /// Bytes handed out since the last row ended.
    given: usize,
    /// The most bytes handed out for one row.
    cap: usize,
    /// Line breaks handed out or skipped so far.
    newlines: u64,
    /// The input has ended.
    ended: bool,
}

impl Guard {
    fn new(input: Input, options: &ReadOptions) -> Guard {
        let cap = options.max_record_bytes.saturating_add(2 * READ_AHEAD);
        Guard {
            input,
            given: 0,
            cap,
            newlines: 0,
            ended: false,
        }
    }

    /// A row has ended: the next one starts counting.
    fn reset(&mut self) {
        self.given = 0;
    }

    /// Passes over the input up to and including the next line break.
    fn skip_line(&mut self) {
        loop {
            let chunk = match self.input.fill_buf() {
                Ok(chunk) => chunk,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(_) => return,
            };
            if chunk.is_empty() {
                return;
            }
            let newline = chunk.iter().position(|&b| b == b'\n');
            let used = newline.map_or(chunk.len(), |i| i + 1);
            self.input.consume(used);
            if newline.is_some() {
                self.newlines += 1;
                return;
            }
        }
    }
}

impl Read for Guard {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        if self.given > self.cap {
            return Err(std::io::Error::other(OverLimit));
        }
        let size = loop {
            match self.input.read(buffer) {
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                other => break other?,
            }
        };
        self.ended |= size == 0 && !buffer.is_empty();
        self.given += size;
        let newlines = buffer[..size].iter().filter(|&&b| b == b'\n').count();
        self.newlines += u64::try_from(newlines).unwrap_or(0);
        Ok(size)
    }
}

#[cfg(test)]
#[path = "csv_tests.rs"]
mod tests;
