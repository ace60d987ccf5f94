//! Input readers: files in, canonical [`Record`]s out.
//!
//! Every record a reader meets comes out as exactly one [`Record`]: an
//! event, a rejection with its reason and location, or an ignored record
//! that is not an access event. Nothing is dropped silently.

pub mod canonical;
pub mod fhir;
pub mod jsonl;

use crate::codes::{self, Code};
use crate::diagnostic::Diagnostic;
use crate::event::Event;
use chrono_tz::Tz;
use serde::Serialize;
use std::fmt;
use std::fs::File;
use std::io::{BufReader, Read as _};
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
    /// HL7 FHIR AuditEvent R4: a resource, a Bundle or NDJSON.
    Fhir,
}

impl Format {
    /// The format's name on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Fhir => "fhir",
        }
    }

    /// Reads a format name.
    pub fn parse(name: &str) -> Option<Format> {
        [Format::Jsonl, Format::Fhir]
            .into_iter()
            .find(|f| f.name() == name)
    }

    /// Chooses the format from the file's first bytes: a record with a
    /// `"resourceType"` member is FHIR, anything else JSON Lines. A file
    /// that cannot be read is left to [`open`] to report.
    pub fn detect(path: &Path) -> Format {
        let mut head = Vec::new();
        let read = File::open(path).and_then(|f| f.take(1 << 16).read_to_end(&mut head));
        if read.is_err() {
            return Format::Jsonl;
        }
        Format::detect_bytes(&head)
    }

    /// Chooses the format from the first bytes of an input.
    pub fn detect_bytes(head: &[u8]) -> Format {
        let text = String::from_utf8_lossy(head);
        let first = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("");
        let scope = if first == "{" || first == "[" {
            text.as_ref()
        } else {
            first
        };
        if scope.contains("\"resourceType\"") {
            Format::Fhir
        } else {
            Format::Jsonl
        }
    }
}

/// Settings every reader shares.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// The zone for timestamps without an offset.
    pub zone: Tz,
    /// The longest record accepted, in bytes.
    pub max_record_bytes: usize,
}

impl Default for ReadOptions {
    fn default() -> ReadOptions {
        ReadOptions {
            zone: chrono_tz::Europe::Stockholm,
            max_record_bytes: 1 << 20,
        }
    }
}

/// A boxed stream of records.
pub type Records = Box<dyn Iterator<Item = Record> + Send>;

/// Opens `path` and reads it in `format`.
pub fn open(path: &Path, format: Format, options: &ReadOptions) -> Result<Records, Diagnostic> {
    let file = File::open(path).map_err(|e| read_failed(path, &e))?;
    let source = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("input")
        .to_string();
    let reader = BufReader::with_capacity(1 << 18, file);
    Ok(match format {
        Format::Jsonl => Box::new(jsonl::JsonLines::new(reader, &source, options.clone())),
        Format::Fhir => Box::new(fhir::read(reader, &source, options)),
    })
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
}
