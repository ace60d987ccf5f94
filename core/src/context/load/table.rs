//! Rows of a context file, CSV or JSON, each with the line it starts on.
//!
//! Both formats come out the same: a row is a set of named cells. The
//! column names are checked here against what the file kind allows, so a
//! misspelt column is an error rather than silently empty data.

use super::Problems;
use crate::codes;
use serde_json::Value as Json;
use serde_json::value::RawValue;

/// One cell's value, before it is read as a date, a flag or a set.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Cell {
    /// Empty, missing or `null`.
    Empty,
    /// Text, trimmed; never empty.
    Text(String),
    /// A JSON array of texts.
    Many(Vec<String>),
    /// A JSON `true` or `false`.
    Flag(bool),
}

/// One row of a context file.
#[derive(Debug)]
pub(super) struct Row {
    /// The line the row starts on, from 1.
    pub(super) line: usize,
    /// The byte offset the row starts at.
    pub(super) offset: usize,
    cells: Vec<(String, Cell)>,
}

impl Row {
    /// The cell of `column`; empty when the row lacks it.
    pub(super) fn cell(&self, column: &str) -> &Cell {
        self.cells
            .iter()
            .find(|(name, _)| name == column)
            .map_or(&Cell::Empty, |(_, cell)| cell)
    }
}

/// The columns a kind of file has.
#[derive(Debug, Clone, Copy)]
pub(super) struct Columns {
    /// Columns every file of the kind must have.
    pub(super) required: &'static [&'static str],
    /// Columns a file may leave out.
    pub(super) optional: &'static [&'static str],
}

impl Columns {
    pub(super) fn knows(&self, name: &str) -> bool {
        self.required.contains(&name) || self.optional.contains(&name)
    }

    fn all(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.required.iter().chain(self.optional).copied()
    }

    /// Problems with a set of column names: unknown ones, and required
    /// ones left out, reported at `line`.
    fn check<'a>(
        &self,
        names: impl IntoIterator<Item = &'a str> + Clone,
        (line, offset): (usize, usize),
        problems: &mut Problems,
    ) -> bool {
        let mut fine = true;
        for name in names.clone().into_iter().filter(|name| !self.knows(name)) {
            let (message, help) = self.unknown(name);
            problems.at(line, offset, codes::BAD_COLUMN, message, help);
            fine = false;
        }
        for wanted in self.required {
            if !names.clone().into_iter().any(|name| name == *wanted) {
                let (message, help) = self.missing(wanted);
                problems.at(line, offset, codes::BAD_COLUMN, message, help);
                fine = false;
            }
        }
        fine
    }

    /// The message and help for a column of an unknown name.
    pub(super) fn unknown(&self, name: &str) -> (String, String) {
        let help = match super::closest(name, self.all()) {
            Some(meant) => format!("did you mean `{meant}`?"),
            None => format!("the columns are {}", quoted(self.all())),
        };
        (format!("unknown column `{name}`"), help)
    }

    /// The message and help for a required column left out.
    pub(super) fn missing(&self, wanted: &str) -> (String, String) {
        let help = format!(
            "the required columns are {}",
            quoted(self.required.iter().copied())
        );
        (format!("the column `{wanted}` is missing"), help)
    }
}

fn quoted<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads a CSV file with a header row. A header that lacks a required
/// column, or names an unknown one, gives no rows.
pub(super) fn read_csv(text: &str, columns: Columns, problems: &mut Problems) -> Vec<Row> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header = match reader.headers() {
        Ok(header) => header.clone(),
        Err(error) => {
            problems.file(codes::BAD_CONTEXT_FILE, format!("not CSV: {error}"));
            return Vec::new();
        }
    };
    if header.is_empty() || !columns.check(header.iter(), (1, 0), problems) {
        return Vec::new();
    }
    if let Some(repeat) = repeated(&header) {
        let message = format!("the column `{repeat}` is given twice");
        problems.at(1, 0, codes::BAD_COLUMN, message, "keep one of them");
        return Vec::new();
    }

    let mut lines = LineCounter::new(text);
    let mut rows = Vec::new();
    for record in reader.records() {
        match record {
            Ok(record) => rows.extend(csv_row(&record, &header, &mut lines, problems)),
            Err(error) => {
                let line = error.position().map_or(0, |p| p.line());
                let message = format!("the file stops being CSV on line {line}: {error}");
                problems.file(codes::BAD_CONTEXT_FILE, message);
                break;
            }
        }
    }
    rows
}

fn repeated(header: &csv::StringRecord) -> Option<&str> {
    let names: Vec<&str> = header.iter().collect();
    (1..names.len())
        .find(|&i| names[..i].contains(&names[i]))
        .map(|i| names[i])
}

/// One CSV record as a row; a blank one is no row.
fn csv_row(
    record: &csv::StringRecord,
    header: &csv::StringRecord,
    lines: &mut LineCounter<'_>,
    problems: &mut Problems,
) -> Option<Row> {
    let (line, offset) = record_start(record, lines);
    if record.iter().all(str::is_empty) {
        return None;
    }
    if record.len() != header.len() {
        let message = format!(
            "the row has {} fields, the header has {}",
            record.len(),
            header.len()
        );
        let help = "quote a value that holds a comma, like \"a, b\"";
        problems.at(line, offset, codes::BAD_CONTEXT_ROW, message, help);
        return None;
    }
    let cells = header
        .iter()
        .zip(record.iter())
        .map(|(name, value)| (name.to_string(), text_cell(value)))
        .collect();
    Some(Row {
        line,
        offset,
        cells,
    })
}

/// The line and byte offset a record starts at. The reader's position can
/// lie before the record, on the `\n` of a `\r\n` line end or on blank
/// lines it skipped, and its line count is then short; the position is
/// moved past line ends here and the line counted from the byte offset.
fn record_start(record: &csv::StringRecord, lines: &mut LineCounter<'_>) -> (usize, usize) {
    let byte = record.position().map_or(0, |p| p.byte());
    let mut offset = usize::try_from(byte).unwrap_or(usize::MAX);
    let bytes = lines.text.as_bytes();
    while matches!(bytes.get(offset), Some(b'\n' | b'\r')) {
        offset += 1;
    }
    (lines.line_at(offset), offset)
}

fn text_cell(text: &str) -> Cell {
    let text = text.trim();
    if text.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(text.to_string())
    }
}

/// Reads a JSON array of objects; each object is a row, located at the
/// line its `{` is on.
pub(super) fn read_json(text: &str, columns: Columns, problems: &mut Problems) -> Vec<Row> {
    let items: Vec<&RawValue> = match serde_json::from_str(text) {
        Ok(items) => items,
        Err(error) => {
            let message = match error.classify() {
                serde_json::error::Category::Data => "not an array of objects".to_string(),
                _ => format!("not JSON: {error}"),
            };
            let help = "write an array of objects, like [{\"id\": \"anna\"}]";
            problems.at(
                error.line().max(1),
                0,
                codes::BAD_CONTEXT_FILE,
                message,
                help,
            );
            return Vec::new();
        }
    };

    let mut lines = LineCounter::new(text);
    let mut rows = Vec::new();
    for item in items {
        let offset = (item.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
        let line = lines.line_at(offset);
        rows.extend(json_row(item.get(), (line, offset), columns, problems));
    }
    rows
}

fn json_row(
    raw: &str,
    (line, offset): (usize, usize),
    columns: Columns,
    problems: &mut Problems,
) -> Option<Row> {
    let Ok(Json::Object(object)) = serde_json::from_str::<Json>(raw) else {
        let help = "each member of the array is an object, like {\"id\": \"anna\"}";
        problems.at(line, offset, codes::BAD_CONTEXT_ROW, "not an object", help);
        return None;
    };
    let fine = columns.check(object.keys().map(String::as_str), (line, offset), problems);
    let row = object_row(object, (line, offset), problems);
    row.filter(|_| fine)
}

/// A JSON object's members as a row's cells, without checking their names;
/// `None` when a member is of no cell kind.
pub(super) fn object_row(
    object: serde_json::Map<String, Json>,
    (line, offset): (usize, usize),
    problems: &mut Problems,
) -> Option<Row> {
    let mut fine = true;
    let mut cells = Vec::new();
    for (name, value) in object {
        match json_cell(value) {
            Some(cell) => cells.push((name, cell)),
            None => {
                let message = format!("`{name}` is not text, a list of text, true or false");
                let help = "write text in quotes, and sets as [\"a\", \"b\"]";
                problems.at(line, offset, codes::BAD_CONTEXT_ROW, message, help);
                fine = false;
            }
        }
    }
    fine.then_some(Row {
        line,
        offset,
        cells,
    })
}

fn json_cell(value: Json) -> Option<Cell> {
    match value {
        Json::Null => Some(Cell::Empty),
        Json::Bool(flag) => Some(Cell::Flag(flag)),
        Json::String(text) => Some(text_cell(&text)),
        Json::Number(number) => Some(Cell::Text(number.to_string())),
        Json::Array(items) => {
            let texts: Option<Vec<String>> = items
                .into_iter()
                .map(|item| match item {
                    Json::String(text) => Some(text.trim().to_string()),
                    _ => None,
                })
                .collect();
            texts.map(|texts| Cell::Many(texts.into_iter().filter(|t| !t.is_empty()).collect()))
        }
        Json::Object(_) => None,
    }
}

/// Lines of increasing offsets, counted without going back.
struct LineCounter<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> LineCounter<'a> {
        LineCounter {
            text,
            offset: 0,
            line: 1,
        }
    }

    /// The line of `offset`; offsets must not decrease between calls.
    fn line_at(&mut self, offset: usize) -> usize {
        let offset = offset.clamp(self.offset, self.text.len());
        let between = self.text.get(self.offset..offset).unwrap_or("");
        self.line += between.matches('\n').count();
        self.offset = offset;
        self.line
    }
}
