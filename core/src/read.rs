//! Input readers: files in, canonical [`Record`]s out.
//!
//! Every record a reader meets comes out as exactly one [`Record`]: an
//! event, a rejection with its reason and location, or an ignored record
//! that is not an access event. Nothing is dropped silently.

mod ahead;
pub mod atna;
pub mod canonical;
pub mod csv;
mod dicom;
pub mod entra;
pub mod fhir;
pub mod inera;
mod json_values;
pub mod jsonl;
pub mod keycloak;
pub mod windows;
mod xml;

#[cfg(test)]
mod test_support;

pub use ahead::{ahead, ahead_with};

use crate::codes::{self, Code};
use crate::diagnostic::Diagnostic;
use crate::event::Event;
use chrono_tz::Tz;
use serde::Serialize;
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read as _};
use std::path::Path;

/// Where a record came from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    /// The input's name, usually its file name.
    pub source: String,
    /// The line the record starts on, from 1, when the format has lines.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// The record's index in its input, from 1, when lines do not apply.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<u64>,
}

impl Location {
    /// A location on line `line` of `source`.
    pub fn line(source: &str, line: u64) -> Location {
        Location {
            source: source.to_string(),
            line: Some(line),
            record: None,
        }
    }

    /// The `record`th record of `source`.
    pub fn record(source: &str, record: u64) -> Location {
        Location {
            source: source.to_string(),
            line: None,
            record: Some(record),
        }
    }
}

impl Location {
    /// The event with id `id`, for records found by id rather than place.
    pub fn event_id(id: &str) -> Location {
        Location {
            source: format!("id {id}"),
            line: None,
            record: None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.record) {
            (Some(line), _) => write!(f, "{}:{line}", self.source),
            (None, Some(record)) => write!(f, "{}#{record}", self.source),
            (None, None) => f.write_str(&self.source),
        }
    }
}

/// A record that could not be read as an event.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    /// Why, as a registry code.
    pub code: Code,
    /// What was wrong, for a person.
    pub message: String,
    /// Where the record is.
    pub location: Location,
}

impl Rejection {
    /// The rejection as a diagnostic, for `--on-error fail`.
    pub fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::error(
            self.code.code,
            format!("{}: {}", self.location, self.message),
        )
    }
}

impl Record {
    /// A rejected record.
    pub fn rejected(code: Code, message: impl Into<String>, location: Location) -> Record {
        let message = message.into();
        Record::Rejected(Rejection {
            code,
            message,
            location,
        })
    }
}

/// The marker error a reader's input guard raises when one record grows
/// over the limit, so the reader can reject it and go on.
#[derive(Debug)]
pub(crate) struct OverLimit;

impl fmt::Display for OverLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the record is over the limit")
    }
}

impl std::error::Error for OverLimit {}

/// Whether a read error is the guard's [`OverLimit`].
pub(crate) fn is_over_limit(error: &std::io::Error) -> bool {
    error.get_ref().is_some_and(|inner| inner.is::<OverLimit>())
}

/// How a JSON value's type reads in a message: `a number`, `a list`, …
pub(crate) fn json_kind(value: &serde_json::Value) -> &'static str {
    use serde_json::Value as Json;
    match value {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "text",
        Json::Array(_) => "a list",
        Json::Object(_) => "an object",
    }
}

/// Sets a text attribute on `event` when there is a value.
pub(crate) fn set_text(event: &mut Event, name: &str, value: Option<&str>) {
    if let Some(value) = value {
        let value = crate::event::Value::Text(value.to_string());
        event.attributes.insert(name.to_string(), value);
    }
}

/// One record of an input.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// An access event.
    Event(Event),
    /// A record that could not be read.
    Rejected(Rejection),
    /// A well-formed record that is not an access event, by kind.
    Ignored(String),
}

/// An input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// JSON Lines in the canonical event shape.
    Jsonl,
    /// HL7 FHIR AuditEvent R4 or R5: a resource, a Bundle or NDJSON.
    Fhir,
    /// CSV with a header row and a column mapping.
    Csv,
    /// Inera's national log format, `urn:riv:ehr:log:1` XML.
    Inera,
    /// IHE ATNA audit messages in RFC 5424 syslog frames.
    Atna,
    /// Windows Security events as XML.
    Windows,
    /// Keycloak event JSON.
    Keycloak,
    /// Microsoft Entra sign-in log JSON.
    Entra,
}

impl Format {
    /// The format's name on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Fhir => "fhir",
            Format::Csv => "csv",
            Format::Inera => "inera",
            Format::Atna => "atna",
            Format::Windows => "windows",
            Format::Keycloak => "keycloak",
            Format::Entra => "entra",
        }
    }

    /// Every format, in the order detection tries them.
    pub const ALL: [Format; 8] = [
        Format::Fhir,
        Format::Inera,
        Format::Atna,
        Format::Windows,
        Format::Keycloak,
        Format::Entra,
        Format::Csv,
        Format::Jsonl,
    ];

    /// Reads a format name.
    pub fn parse(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Whether the first bytes of an input look like this format.
    fn sniff(self, head: &str) -> bool {
        match self {
            Format::Jsonl => true,
            Format::Fhir => fhir::sniff(head),
            Format::Csv => csv::sniff(head),
            Format::Inera => inera::sniff(head),
            Format::Atna => atna::sniff(head),
            Format::Windows => windows::sniff(head),
            Format::Keycloak => keycloak::sniff(head),
            Format::Entra => entra::sniff(head),
        }
    }

    /// Chooses the format: a file named `.csv` or `.tsv` (also with `.gz`
    /// after it) is CSV; otherwise the file's first 64 KiB (decompressed
    /// when the file is gzip) decide: each reader recognises its own shape,
    /// and JSON Lines is the fallback. A file that cannot be read is left to
    /// [`open`] to report.
    pub fn detect(path: &Path) -> Format {
        if csv::is_table_file(path) {
            return Format::Csv;
        }
        let mut head = Vec::new();
        let read = input(path).and_then(|r| r.take(1 << 16).read_to_end(&mut head));
        if read.is_err() && head.is_empty() {
            return Format::Jsonl;
        }
        Format::detect_bytes(&head)
    }

    /// Chooses the format from the first bytes of an input.
    pub fn detect_bytes(head: &[u8]) -> Format {
        let text = String::from_utf8_lossy(head);
        let text = text.trim_start_matches('\u{feff}');
        Format::ALL
            .into_iter()
            .find(|f| f.sniff(text))
            .unwrap_or(Format::Jsonl)
    }
}

/// Settings every reader shares.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// The zone for timestamps without an offset.
    pub zone: Tz,
    /// The longest record accepted, in bytes.
    pub max_record_bytes: usize,
    /// How CSV columns become event fields.
    pub csv: CsvOptions,
}

impl Default for ReadOptions {
    fn default() -> ReadOptions {
        ReadOptions {
            zone: chrono_tz::Europe::Stockholm,
            max_record_bytes: 1 << 20,
            csv: CsvOptions::default(),
        }
    }
}

impl ReadOptions {
    /// The options for reading `path`: a tab-separated file (`.tsv`) is
    /// read with a tab unless a delimiter was given.
    pub fn for_file(&self, path: &Path, delimiter_given: bool) -> ReadOptions {
        let mut options = self.clone();
        if !delimiter_given && csv::is_tab_separated(path) {
            options.csv.delimiter = b'\t';
        }
        options
    }
}

/// Settings of the CSV reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvOptions {
    /// Canonical field name → the header of the column that holds it.
    /// Fields not named here are looked up under their own name.
    pub mapping: std::collections::BTreeMap<String, String>,
    /// The field delimiter.
    pub delimiter: u8,
    /// The quote character.
    pub quote: u8,
}

impl Default for CsvOptions {
    fn default() -> CsvOptions {
        CsvOptions {
            mapping: Default::default(),
            delimiter: b',',
            quote: b'"',
        }
    }
}

/// A boxed stream of records.
pub type Records = Box<dyn Iterator<Item = Record> + Send>;

/// A buffered byte stream, decompressed when it was gzip.
pub type Input = Box<dyn BufRead + Send>;

/// Opens `path` for reading; a gzip file (by its magic bytes, whatever its
/// name) is decompressed on the fly.
pub fn input(path: &Path) -> std::io::Result<Input> {
    let file = File::open(path)?;
    let mut reader = BufReader::with_capacity(1 << 18, file);
    let gzip = reader.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    if gzip {
        let decoder = flate2::bufread::MultiGzDecoder::new(reader);
        return Ok(Box::new(BufReader::with_capacity(1 << 18, decoder)));
    }
    Ok(Box::new(reader))
}

/// Opens `path` and reads it in `format`.
pub fn open(path: &Path, format: Format, options: &ReadOptions) -> Result<Records, Diagnostic> {
    let reader = input(path).map_err(|e| read_failed(path, &e))?;
    let source = crate::ruleset::file_name(path);
    Ok(read(reader, &source, format, options))
}

/// Reads an already open input in `format`; `source` names it in locations.
pub fn read(input: Input, source: &str, format: Format, options: &ReadOptions) -> Records {
    match format {
        Format::Jsonl => Box::new(jsonl::JsonLines::new(input, source, options.clone())),
        Format::Fhir => Box::new(fhir::read(input, source, options)),
        Format::Csv => Box::new(csv::read(input, source, options)),
        Format::Inera => Box::new(inera::read(input, source, options)),
        Format::Atna => Box::new(atna::read(input, source, options)),
        Format::Windows => Box::new(windows::read(input, source, options)),
        Format::Keycloak => Box::new(keycloak::read(input, source, options)),
        Format::Entra => Box::new(entra::read(input, source, options)),
    }
}

fn read_failed(path: &Path, error: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        codes::READ_FAILED.code,
        format!("cannot read `{}`", path.display()),
    )
    .with_help(error.to_string())
}

#[cfg(test)]
mod tests {
    use super::Format;

    #[test]
    fn detects_fhir_by_content() {
        let pretty = b"{\n  \"resourceType\": \"AuditEvent\",\n  \"id\": \"x\"\n}\n";
        let ndjson = b"{\"resourceType\":\"AuditEvent\",\"id\":\"x\"}\n";
        let canonical = b"{\"time\":\"2026-03-01T08:00:00Z\",\"user\":\"u\",\"action\":\"read\"}\n";
        assert_eq!(Format::detect_bytes(pretty), Format::Fhir);
        assert_eq!(Format::detect_bytes(ndjson), Format::Fhir);
        assert_eq!(Format::detect_bytes(canonical), Format::Jsonl);
        assert_eq!(Format::detect_bytes(b""), Format::Jsonl);
    }

    #[test]
    fn names_round_trip() {
        for format in Format::ALL {
            assert_eq!(Format::parse(format.name()), Some(format));
        }
    }
}
