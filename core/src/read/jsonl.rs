//! JSON Lines: one canonical event object per line, read as a stream.

use super::canonical::{Invalid, from_object, read_fields};
use super::{Location, ReadOptions, Record, Rejection};
use crate::codes::{self, Code};
use crate::event::Event;
use serde_json::Value as Json;
use std::io::{BufRead, ErrorKind};

/// A streaming JSON Lines reader. Blank lines are not records.
pub struct JsonLines<R> {
    input: R,
    source: String,
    options: ReadOptions,
    line: u64,
    buffer: Vec<u8>,
    done: bool,
}

/// One physical line, read with bounded memory.
enum Line {
    /// The bytes of the line, without the newline.
    Complete,
    /// The line was longer than the limit; its bytes were skipped.
    TooLong(usize),
    /// The input ended.
    End,
    /// Reading failed.
    Failed(std::io::Error),
}

impl<R: BufRead> JsonLines<R> {
    /// Reads `input`, naming it `source` in locations.
    pub fn new(input: R, source: &str, options: ReadOptions) -> JsonLines<R> {
        JsonLines {
            input,
            source: source.to_string(),
            options,
            line: 0,
            buffer: Vec::new(),
            done: false,
        }
    }

    /// Reads the next line into `self.buffer`, never holding more than the
    /// limit: the rest of an over-long line is consumed and counted.
    fn next_line(&mut self) -> Line {
        self.buffer.clear();
        let limit = self.options.max_record_bytes;
        let mut total = 0usize;
        loop {
            let chunk = match self.input.fill_buf() {
                Ok(chunk) => chunk,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Line::Failed(e),
            };
            if chunk.is_empty() {
                return if total == 0 {
                    Line::End
                } else {
                    finish(total, limit)
                };
            }
            let (part, found) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (&chunk[..i], true),
                None => (chunk, false),
            };
            if total + part.len() <= limit {
                self.buffer.extend_from_slice(part);
            }
            total += part.len();
            let used = part.len() + usize::from(found);
            self.input.consume(used);
            if found {
                return finish(total.max(1), limit);
            }
        }
    }

    fn reject(&self, code: Code, message: String) -> Record {
        let location = Location::line(&self.source, self.line);
        Record::Rejected(Rejection {
            code,
            message,
            location,
        })
    }

    fn parse(&self) -> Record {
        let Ok(text) = std::str::from_utf8(&self.buffer) else {
            return self.reject(codes::INVALID_UTF8, "the line is not valid UTF-8".into());
        };
        // A byte-order mark may open the file, as some editors write one.
        let text = if self.line == 1 {
            text.trim_start_matches('\u{feff}')
        } else {
            text
        };
        match read_fields(text) {
            Ok(fields) => self.event(fields.into_event(self.options.zone)),
            Err(_) => self.parse_value(text),
        }
    }

    /// Reads the line as a JSON value, as lines were read before
    /// [`read_fields`]: this says what is wrong with a line that it refused.
    fn parse_value(&self, text: &str) -> Record {
        match serde_json::from_str::<Json>(text) {
            Ok(Json::Object(object)) => self.event(from_object(object, self.options.zone)),
            Ok(_) => self.reject(codes::NOT_AN_OBJECT, "the line is not a JSON object".into()),
            Err(e) => self.reject(codes::INVALID_JSON, format!("invalid JSON: {e}")),
        }
    }

    fn event(&self, read: Result<Event, Invalid>) -> Record {
        match read {
            Ok(event) => Record::Event(event),
            Err(invalid) => self.reject(invalid.code, invalid.message),
        }
    }
}

fn finish(total: usize, limit: usize) -> Line {
    if total > limit {
        Line::TooLong(total)
    } else {
        Line::Complete
    }
}

impl<R: BufRead> Iterator for JsonLines<R> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        while !self.done {
            let line = self.next_line();
            self.line += 1;
            match line {
                Line::End => self.done = true,
                Line::Failed(e) => {
                    self.done = true;
                    return Some(self.reject(codes::READ_FAILED, format!("read failed: {e}")));
                }
                Line::TooLong(n) => {
                    let limit = self.options.max_record_bytes;
                    let message = format!("the line is {n} bytes, over the limit of {limit}");
                    return Some(self.reject(codes::LINE_TOO_LONG, message));
                }
                Line::Complete if self.buffer.trim_ascii().is_empty() => {}
                Line::Complete => return Some(self.parse()),
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &[u8], limit: usize) -> Vec<Record> {
        let options = ReadOptions {
            max_record_bytes: limit,
            ..ReadOptions::default()
        };
        JsonLines::new(text, "t.jsonl", options).collect()
    }

    fn summary(records: &[Record]) -> Vec<String> {
        records
            .iter()
            .map(|r| match r {
                Record::Event(e) => format!("event {}", e.user),
                Record::Rejected(r) => format!("{} {}", r.code.name, r.location),
                Record::Ignored(kind) => format!("ignored {kind}"),
            })
            .collect()
    }

    #[test]
    fn reads_lines_and_locates_faults() {
        let text = b"{\"time\":\"2026-03-01T08:00:00Z\",\"user\":\"a\",\"action\":\"read\"}\n\
                     \n[1]\n{bad\n\xff\n{\"time\":\"2026-03-01T08:00:00Z\",\"user\":\"b\",\"action\":\"r\"}";
        let got = summary(&records(text, 1000));
        let expected = [
            "event a",
            "not_an_object t.jsonl:3",
            "invalid_json t.jsonl:4",
            "invalid_utf8 t.jsonl:5",
            "event b",
        ];
        assert_eq!(got, expected);
    }

    #[test]
    fn over_long_line_is_rejected_and_reading_goes_on() {
        let long = format!("{{\"x\":\"{}\"}}\n", "a".repeat(100));
        let text = format!(
            "{long}{{\"time\":\"2026-03-01T08:00:00Z\",\"user\":\"b\",\"action\":\"r\"}}\n"
        );
        let got = summary(&records(text.as_bytes(), 64));
        assert_eq!(got, ["line_too_long t.jsonl:1", "event b"]);
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let text = "\u{feff}{\"time\":\"2026-03-01T08:00:00Z\",\"user\":\"a\",\"action\":\"r\"}\n";
        assert_eq!(summary(&records(text.as_bytes(), 1000)), ["event a"]);
    }

    #[test]
    fn truncated_last_line_is_rejected() {
        let text =
            b"{\"time\":\"2026-03-01T08:00:00Z\",\"user\":\"a\",\"action\":\"read\"}\n{\"time\":";
        let got = summary(&records(text, 1000));
        assert_eq!(got, ["event a", "invalid_json t.jsonl:2"]);
    }
}
