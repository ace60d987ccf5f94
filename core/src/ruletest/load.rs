//! Reading a test file: JSON text in, a [`TestFile`] or every problem out.

use super::locate::{Path as JsonPath, Step};
use super::{Expected, TestCase, TestFile, TestFileError, located};
use crate::check::suggest;
use crate::codes::{self, Code};
use crate::diagnostic::{Diagnostic, Span};
use crate::time::{parse_month, parse_zone};
use serde_json::{Map, Value as Json};
use std::collections::{BTreeMap, BTreeSet};

const FILE_MEMBERS: &[&str] = &["rules", "description", "context", "tests"];
const TEST_MEMBERS: &[&str] = &[
    "name",
    "description",
    "zone",
    "period",
    "params",
    "only",
    "events",
    "expect",
];
const EXPECT_MEMBERS: &[&str] = &["rule", "key", "window", "values", "explanation"];

/// Reads the test file `name` from its text; every problem is reported,
/// not only the first.
pub fn load(name: &str, text: &str) -> Result<TestFile, TestFileError> {
    // A byte-order mark may open the file, as some editors write one.
    let text = text.trim_start_matches('\u{feff}');
    let json = serde_json::from_str::<Json>(text)
        .map_err(|e| TestFileError::new(name, text, vec![syntax(text, &e)]))?;
    let mut reader = Reader {
        text,
        problems: Vec::new(),
    };
    let file = reader.file(name, &json);
    match file {
        Some(file) if reader.problems.is_empty() => Ok(file),
        _ => Err(TestFileError::new(name, text, reader.problems)),
    }
}

/// A JSON syntax error at serde_json's line and column.
fn syntax(text: &str, error: &serde_json::Error) -> Diagnostic {
    let message = format!("the test file is not valid JSON: {}", without_place(error));
    let d = Diagnostic::error(codes::TEST_JSON.code, message)
        .with_help("check the brackets, quotes and commas near the marked place");
    let start = offset_of(text, error.line(), error.column());
    // The mark covers the whole character there: a span must not end
    // inside one.
    let width = text.get(start..).and_then(|t| t.chars().next());
    let end = start + width.map_or(0, char::len_utf8);
    d.with_label(Span::locate(text, start, end), "")
}

/// serde_json's message without its "at line L column C" tail, which the
/// label already shows.
fn without_place(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// The byte offset of a 1-based line and column (serde_json counts the
/// column in bytes; 0 means before the line's first byte).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let mut offset = (start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

struct Reader<'t> {
    text: &'t str,
    problems: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn problem(&mut self, code: Code, path: &[Step], on_key: bool, message: String) {
        let d = located(code, self.text, path, on_key, message);
        self.problems.push(d);
    }

    fn shape(&mut self, path: &[Step], message: String) {
        self.problem(codes::TEST_SHAPE, path, false, message);
    }

    fn file(&mut self, name: &str, json: &Json) -> Option<TestFile> {
        let root = JsonPath::new();
        let Some(object) = json.as_object() else {
            let message = "a test file is a JSON object with a `tests` list".to_string();
            self.shape(&root, message);
            return None;
        };
        self.members(object, &root, FILE_MEMBERS);
        let rules = self.strings(object, &root, "rules").unwrap_or_default();
        let context = self.text_member(object, &root, "context", false);
        let tests = self.tests(object, &root);
        Some(TestFile {
            context,
            name: name.to_string(),
            text: self.text.to_string(),
            rules: rules.into_iter().map(|(rule, _)| rule).collect(),
            tests,
        })
    }

    /// Reports members not in `known`, with the closest known name.
    fn members(&mut self, object: &Map<String, Json>, path: &JsonPath, known: &[&str]) {
        for member in object.keys().filter(|k| !known.contains(&k.as_str())) {
            let at = child(path, Step::Key(member.clone()));
            let message = format!("unknown member `{member}`");
            let help = match suggest(member, known) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("the members here are: {}", known.join(", ")),
            };
            let d = located(codes::TEST_SHAPE, self.text, &at, true, message).with_help(help);
            self.problems.push(d);
        }
    }

    fn tests(&mut self, object: &Map<String, Json>, root: &JsonPath) -> Vec<TestCase> {
        let at = child(root, Step::Key("tests".into()));
        let Some(list) = self.list(object, root, "tests", true) else {
            return Vec::new();
        };
        if list.is_empty() {
            self.shape(&at, "`tests` holds no tests".into());
        }
        let mut names = BTreeSet::new();
        let mut tests = Vec::new();
        for (index, json) in list.iter().enumerate() {
            let path = child(&at, Step::Index(index));
            let Some(case) = self.test(json, path) else {
                continue;
            };
            if !names.insert(case.name.clone()) {
                let name_at = child(&case.path, Step::Key("name".into()));
                let message = format!("another test is named `{}` too", case.name);
                self.shape(&name_at, message);
            }
            tests.push(case);
        }
        tests
    }

    fn test(&mut self, json: &Json, path: JsonPath) -> Option<TestCase> {
        let Some(object) = json.as_object() else {
            self.shape(
                &path,
                "a test is a JSON object with `name`, `events` and `expect`".into(),
            );
            return None;
        };
        self.members(object, &path, TEST_MEMBERS);
        let name = self.text_member(object, &path, "name", true);
        let description = self.text_member(object, &path, "description", false);
        let zone = self.zone(object, &path);
        let period = self.period(object, &path);
        let params = self.params(object, &path);
        let only = self.strings(object, &path, "only");
        if only.as_ref().is_some_and(Vec::is_empty) {
            let at = child(&path, Step::Key("only".into()));
            self.shape(
                &at,
                "`only` names no rule, so nothing would be compared".into(),
            );
        }
        let events = self.events(object, &path);
        let expect = self.expectations(object, &path);
        Some(TestCase {
            name: name?,
            description,
            zone,
            period,
            params,
            only,
            events,
            expect,
            path,
        })
    }

    fn zone(&mut self, object: &Map<String, Json>, path: &JsonPath) -> Option<chrono_tz::Tz> {
        let text = self.text_member(object, path, "zone", false)?;
        let zone = parse_zone(&text);
        if zone.is_none() {
            let message = format!("unknown time zone `{text}`");
            let at = child(path, Step::Key("zone".into()));
            let d = located(codes::TEST_VALUE, self.text, &at, false, message)
                .with_help("use an IANA name such as Europe/Stockholm");
            self.problems.push(d);
        }
        zone
    }

    fn period(&mut self, object: &Map<String, Json>, path: &JsonPath) -> Option<chrono::NaiveDate> {
        let text = self.text_member(object, path, "period", false)?;
        let month = parse_month(&text);
        if month.is_none() {
            let message = format!("`{text}` is not a month");
            let at = child(path, Step::Key("period".into()));
            let d = located(codes::TEST_VALUE, self.text, &at, false, message)
                .with_help("write it as YYYY-MM, e.g. 2026-03");
            self.problems.push(d);
        }
        month
    }

    fn params(
        &mut self,
        object: &Map<String, Json>,
        path: &JsonPath,
    ) -> Vec<(String, Json, JsonPath)> {
        let at = child(path, Step::Key("params".into()));
        let Some(params) = self.object_member(object, path, "params") else {
            return Vec::new();
        };
        let mut found = Vec::new();
        for (name, value) in params {
            let value_at = child(&at, Step::Key(name.clone()));
            if value.is_number() || value.is_string() {
                found.push((name.clone(), value.clone(), value_at));
            } else {
                let message = format!("parameter `{name}` must be a number or text");
                self.problem(codes::TEST_PARAM, &value_at, false, message);
            }
        }
        found
    }

    fn events(
        &mut self,
        object: &Map<String, Json>,
        path: &JsonPath,
    ) -> Vec<(Map<String, Json>, JsonPath)> {
        let at = child(path, Step::Key("events".into()));
        let Some(list) = self.list(object, path, "events", true) else {
            return Vec::new();
        };
        let mut events = Vec::new();
        for (index, json) in list.iter().enumerate() {
            let event_at = child(&at, Step::Index(index));
            match json {
                Json::Object(event) => events.push((event.clone(), event_at)),
                _ => {
                    let message = format!("event {} is not a JSON object", index + 1);
                    self.problem(codes::TEST_EVENT, &event_at, false, message);
                }
            }
        }
        events
    }

    fn expectations(&mut self, object: &Map<String, Json>, path: &JsonPath) -> Vec<Expected> {
        let at = child(path, Step::Key("expect".into()));
        let Some(list) = self.list(object, path, "expect", true) else {
            return Vec::new();
        };
        let entries = list.iter().enumerate();
        let read = entries.filter_map(|(i, json)| self.expected(json, child(&at, Step::Index(i))));
        read.collect()
    }

    fn expected(&mut self, json: &Json, path: JsonPath) -> Option<Expected> {
        let Some(object) = json.as_object() else {
            self.shape(
                &path,
                "an expected finding is a JSON object with `rule`".into(),
            );
            return None;
        };
        self.members(object, &path, EXPECT_MEMBERS);
        let rule = self.text_member(object, &path, "rule", true);
        let key = self.key(object, &path);
        let window = self.window(object, &path);
        let values = self.values(object, &path);
        let explanation = self.text_member(object, &path, "explanation", false);
        Some(Expected {
            rule: rule?,
            key,
            window,
            values,
            explanation,
            path,
        })
    }

    fn key(&mut self, object: &Map<String, Json>, path: &JsonPath) -> BTreeMap<String, String> {
        let at = child(path, Step::Key("key".into()));
        let Some(key) = self.object_member(object, path, "key") else {
            return BTreeMap::new();
        };
        let mut found = BTreeMap::new();
        for (name, value) in key {
            match value {
                Json::String(text) => found.insert(name.clone(), text.clone()),
                Json::Number(n) if n.is_i64() || n.is_u64() => {
                    found.insert(name.clone(), n.to_string())
                }
                _ => {
                    let message = format!("key `{name}` must be text");
                    self.shape(&child(&at, Step::Key(name.clone())), message);
                    None
                }
            };
        }
        found
    }

    fn window(&mut self, object: &Map<String, Json>, path: &JsonPath) -> Option<String> {
        let text = self.text_member(object, path, "window", false)?;
        if !super::compare::is_window(&text) {
            let message = format!("`{text}` is not a window");
            let at = child(path, Step::Key("window".into()));
            let help = "write a day `2026-03-04`, a week `2026-W10`, a month `2026-03`, \
                        `2026-03-01 to 2026-03-31`, or a time such as `2026-03-04T08:15:00+01:00`";
            let d = located(codes::TEST_VALUE, self.text, &at, false, message).with_help(help);
            self.problems.push(d);
        }
        Some(text)
    }

    fn values(&mut self, object: &Map<String, Json>, path: &JsonPath) -> BTreeMap<String, f64> {
        let at = child(path, Step::Key("values".into()));
        let Some(values) = self.object_member(object, path, "values") else {
            return BTreeMap::new();
        };
        let mut found = BTreeMap::new();
        for (name, value) in values {
            match value.as_f64() {
                Some(number) => {
                    found.insert(name.clone(), number);
                }
                None => {
                    let message = format!("value `{name}` must be a number");
                    self.shape(&child(&at, Step::Key(name.clone())), message);
                }
            }
        }
        found
    }

    /// A text member; a missing required one, or one of another type, is
    /// a problem.
    fn text_member(
        &mut self,
        object: &Map<String, Json>,
        path: &JsonPath,
        name: &str,
        required: bool,
    ) -> Option<String> {
        match object.get(name) {
            Some(Json::String(text)) if !(required && text.trim().is_empty()) => Some(text.clone()),
            None if !required => None,
            None => {
                self.shape(path, format!("`{name}` is missing"));
                None
            }
            Some(_) => {
                let at = child(path, Step::Key(name.into()));
                self.shape(&at, format!("`{name}` must be non-empty text"));
                None
            }
        }
    }

    fn object_member<'j>(
        &mut self,
        object: &'j Map<String, Json>,
        path: &JsonPath,
        name: &str,
    ) -> Option<&'j Map<String, Json>> {
        match object.get(name)? {
            Json::Object(inner) => Some(inner),
            _ => {
                let at = child(path, Step::Key(name.into()));
                self.shape(&at, format!("`{name}` must be a JSON object {{…}}"));
                None
            }
        }
    }

    fn list<'j>(
        &mut self,
        object: &'j Map<String, Json>,
        path: &JsonPath,
        name: &str,
        required: bool,
    ) -> Option<&'j Vec<Json>> {
        match object.get(name) {
            Some(Json::Array(list)) => Some(list),
            None if !required => None,
            None => {
                let message = format!("`{name}` is missing");
                let d = located(codes::TEST_SHAPE, self.text, path, false, message)
                    .with_help(format!("write `\"{name}\": []` when there are none"));
                self.problems.push(d);
                None
            }
            Some(_) => {
                let at = child(path, Step::Key(name.into()));
                self.shape(&at, format!("`{name}` must be a list […]"));
                None
            }
        }
    }

    /// A list of text, each with its place.
    fn strings(
        &mut self,
        object: &Map<String, Json>,
        path: &JsonPath,
        name: &str,
    ) -> Option<Vec<(String, JsonPath)>> {
        let at = child(path, Step::Key(name.into()));
        let list = self.list(object, path, name, false)?;
        let mut found = Vec::new();
        for (index, json) in list.iter().enumerate() {
            let item_at = child(&at, Step::Index(index));
            match json {
                Json::String(text) => found.push((text.clone(), item_at)),
                _ => self.shape(&item_at, format!("`{name}` must list text only")),
            }
        }
        Some(found)
    }
}

fn child(path: &JsonPath, step: Step) -> JsonPath {
    let mut path = path.clone();
    path.push(step);
    path
}
