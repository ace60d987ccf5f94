//! Rule tests: events in, expected findings out, kept beside the rules.
//!
//! A rule file `NAME.vakt` is tested by `NAME.test.json` in the same
//! folder. The test file is JSON a compliance officer can read: each test
//! gives events in the canonical shape and the findings they must give
//! (see `docs/rule-tests.md`). [`load`] reads a test file, [`run`]
//! evaluates each test with the public [`RuleSet`] API and compares the
//! findings as a set; [`run_file`] does both for a file on disk.
//!
//! Problems in the test file are coded diagnostics (LV06xx) with a line and
//! column. Nothing here panics on any input.

mod compare;
mod load;
pub mod locate;

use crate::codes::{self, Code};
use crate::context::Context;
use crate::diagnostic::{Diagnostic, Span};
use crate::report::Finding;
use crate::ruleset::{RuleError, RuleSet};
use chrono::NaiveDate;
use chrono_tz::Tz;
use locate::{Path as JsonPath, Step};
use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use compare::window_text;
pub use load::load;

/// The ending that marks a test file: `standard.vakt` is tested by
/// `standard.test.json`.
pub const TEST_SUFFIX: &str = ".test.json";

/// A test file that could not be used, with every problem found.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}: {} problem(s), the first: {}", diagnostics.len(), first(diagnostics))]
pub struct TestFileError {
    /// The file the problems are in.
    pub file: String,
    /// Its text, for rendering diagnostics.
    pub text: String,
    /// The problems, in the order found.
    pub diagnostics: Vec<Diagnostic>,
}

fn first(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .first()
        .map_or_else(String::new, ToString::to_string)
}

impl TestFileError {
    /// Renders every diagnostic for a terminal.
    pub fn render(&self) -> String {
        self.diagnostics
            .iter()
            .map(|d| d.render(&self.file, &self.text))
            .collect()
    }

    fn new(file: &str, text: &str, diagnostics: Vec<Diagnostic>) -> TestFileError {
        TestFileError {
            file: file.to_string(),
            text: text.to_string(),
            diagnostics,
        }
    }
}

impl From<RuleError> for TestFileError {
    fn from(error: RuleError) -> TestFileError {
        TestFileError::new(&error.file, &error.text, error.diagnostics)
    }
}

/// A loaded test file.
#[derive(Debug, Clone, PartialEq)]
pub struct TestFile {
    /// The name it goes by in messages.
    pub name: String,
    /// Its text, for locating problems.
    pub text: String,
    /// The rule files and folders under test, as written (relative to the
    /// test file's folder); empty when the file does not say.
    pub rules: Vec<String>,
    /// A context folder every test evaluates with, as written (relative to
    /// the test file's folder).
    pub context: Option<String>,
    /// The tests, in file order.
    pub tests: Vec<TestCase>,
}

/// One test: events in, findings out.
#[derive(Debug, Clone, PartialEq)]
pub struct TestCase {
    /// The test's name, unique in its file.
    pub name: String,
    /// What the test shows, for a reader.
    pub description: Option<String>,
    /// The zone to evaluate in, overriding the rule files'.
    pub zone: Option<Tz>,
    /// The month to evaluate, as its first day.
    pub period: Option<NaiveDate>,
    /// Parameter overrides, with where each is written.
    pub params: Vec<(String, Json, JsonPath)>,
    /// The rules whose findings are compared; `None` means every rule.
    pub only: Option<Vec<(String, JsonPath)>>,
    /// The events, as canonical JSON objects, with where each is written.
    pub events: Vec<(Map<String, Json>, JsonPath)>,
    /// The findings expected.
    pub expect: Vec<Expected>,
    /// Where the test is written.
    pub path: JsonPath,
}

/// A finding a test expects; fields not given are not compared.
#[derive(Debug, Clone, PartialEq)]
pub struct Expected {
    /// The rule's name.
    pub rule: String,
    /// Group key values that must be as given.
    pub key: BTreeMap<String, String>,
    /// The window: a label such as `2026-03-04`, `2026-W10`, `2026-03`,
    /// `2026-03-01 to 2026-03-31`, or the window's first instant.
    pub window: Option<String>,
    /// Aggregate values that must be as given.
    pub values: BTreeMap<String, f64>,
    /// The explanation, word for word.
    pub explanation: Option<String>,
    /// Where the expectation is written.
    pub path: JsonPath,
}

/// How one test went.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The findings were exactly those expected.
    Passed,
    /// They were not: what is missing and what is unexpected.
    Failed(Mismatch),
    /// The test could not be run as written.
    Error(Vec<Diagnostic>),
}

/// The difference between expected and actual findings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Mismatch {
    /// Expected findings that did not come.
    pub missing: Vec<Expected>,
    /// Findings no expectation matched.
    pub unexpected: Vec<Finding>,
    /// Expectations that match more than one finding, with those findings.
    pub ambiguous: Vec<(Expected, Vec<Finding>)>,
}

/// The result of one test.
#[derive(Debug, Clone, PartialEq)]
pub struct TestResult {
    /// The test's name.
    pub name: String,
    /// What happened.
    pub outcome: Outcome,
}

/// The results of one test file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileResults {
    /// The test file's name in messages.
    pub file: String,
    /// Its text, for rendering diagnostics.
    pub text: String,
    /// One result per test, in file order.
    pub results: Vec<TestResult>,
}

/// The test file of a rule file, by the naming convention:
/// `rules/standard.vakt` → `rules/standard.test.json`.
pub fn test_file_for(rule_file: &Path) -> PathBuf {
    let stem = rule_file
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    rule_file.with_file_name(format!("{stem}{TEST_SUFFIX}"))
}

/// The rule file a test file tests when it names none:
/// `rules/standard.test.json` → `rules/standard.vakt`.
pub fn rule_file_for(test_file: &Path) -> Option<PathBuf> {
    let name = test_file.file_name()?.to_str()?;
    let stem = name.strip_suffix(TEST_SUFFIX)?;
    Some(test_file.with_file_name(format!("{stem}.vakt")))
}

/// Whether a path is named like a test file.
pub fn is_test_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(TEST_SUFFIX))
}

/// Reads a test file and the rules it names, and runs every test.
pub fn run_file(path: &Path) -> Result<FileResults, TestFileError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        let message = format!("cannot read `{name}`");
        let d = Diagnostic::error(codes::READ_FAILED.code, message).with_help(e.to_string());
        TestFileError::new(&name, "", vec![d])
    })?;
    let file = load(&name, &text)?;
    let rules = rules_of(path, &file)?;
    let context = context_of(path, &file, &rules)?;
    Ok(run_with(&rules, &file, context))
}

/// The context folder a test file names, loaded in the rules' zone.
fn context_of(
    path: &Path,
    file: &TestFile,
    rules: &RuleSet,
) -> Result<Option<Arc<Context>>, TestFileError> {
    let Some(dir) = &file.context else {
        return Ok(None);
    };
    let folder = path.parent().unwrap_or(Path::new("")).join(dir);
    match Context::load_dir(&folder, rules.zone(None)) {
        Ok(context) => Ok(Some(Arc::new(context))),
        Err(error) => {
            let diagnostics = error.diagnostics;
            Err(TestFileError::new(&file.name, &file.text, diagnostics))
        }
    }
}

/// The rule set a test file names, read relative to its folder.
fn rules_of(path: &Path, file: &TestFile) -> Result<RuleSet, TestFileError> {
    let folder = path.parent().unwrap_or(Path::new(""));
    let paths: Vec<PathBuf> = if file.rules.is_empty() {
        rule_file_for(path).into_iter().collect()
    } else {
        file.rules.iter().map(|r| folder.join(r)).collect()
    };
    let rules = RuleSet::from_paths(&paths)?;
    if rules.rules().next().is_none() {
        let message = "the rule files under test define no rules";
        let d = Diagnostic::error(codes::NO_RULES.code, message);
        let d = with_place(d, &file.text, &[Step::Key("rules".into())], false);
        return Err(TestFileError::new(&file.name, &file.text, vec![d]));
    }
    Ok(rules)
}

/// Runs every test of `file` against `rules` (the file's `rules` and
/// `context` members are not read: the caller chose the rules).
pub fn run(rules: &RuleSet, file: &TestFile) -> FileResults {
    run_with(rules, file, None)
}

/// Runs every test of `file` against `rules` with `context`.
pub fn run_with(rules: &RuleSet, file: &TestFile, context: Option<Arc<Context>>) -> FileResults {
    let results = file
        .tests
        .iter()
        .map(|case| TestResult {
            name: case.name.clone(),
            outcome: compare::run_case(rules, file, case, context.clone()),
        })
        .collect();
    tracing::debug!(file = %file.name, tests = file.tests.len(), "rule tests run");
    FileResults {
        file: file.name.clone(),
        text: file.text.clone(),
        results,
    }
}

/// An error diagnostic placed at the value (or member name) at `path`.
fn located(code: Code, text: &str, path: &[Step], on_key: bool, message: String) -> Diagnostic {
    with_place(Diagnostic::error(code.code, message), text, path, on_key)
}

/// Adds the place of `path` in `text` to `diagnostic`, when it can be found.
fn with_place(diagnostic: Diagnostic, text: &str, path: &[Step], on_key: bool) -> Diagnostic {
    let Some(found) = locate::locate(text, path) else {
        return diagnostic;
    };
    let range = match found.key {
        Some(key) if on_key => key,
        _ => found.value,
    };
    let span = Span::locate(text, range.start, range.end);
    diagnostic.with_label(span, "")
}

#[cfg(test)]
mod tests;
