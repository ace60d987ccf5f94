//! Loading a context from a folder of files.
//!
//! The folder convention is documented in `docs/context.md`: `users`,
//! `patients`, `relations` and `drugs` as CSV or JSON, `countries.csv`,
//! and `lists/NAME.txt` (text) or `lists/NAME.cidr` (IP ranges). Every
//! problem in every file is reported at once, each at its `file:line`.

mod entity;
mod objects;
mod reference;
mod table;
mod value;

pub use reference::{REFERENCE_LISTS, ReferenceList};

use super::{Context, ContextBuilder, ContextError, CountryRanges};
use crate::codes::{self, Code};
use crate::diagnostic::{Diagnostic, Span};
use crate::report::{ContextFile, CountryData, sha256_hex};
use chrono_tz::Tz;
use entity::Kind;
use std::path::Path;
use table::Row;

/// The folder inside a context folder that holds named lists.
const LISTS: &str = "lists";

impl Context {
    /// Loads the context in the folder `dir`, reading local times in `zone`.
    ///
    /// A file the folder lacks is simply absent data; a file of a name the
    /// convention does not know is an error. The context also holds the
    /// built-in lists `eu_eea` and `gdpr_adequacy` unless the folder gives
    /// lists of those names, and maps addresses to countries with
    /// `countries.csv` or else the data built in ([`BundledCountries`]).
    /// [`Context::summary`] tells what was read, with row counts and
    /// digests. Fails with every problem in every file.
    ///
    /// [`BundledCountries`]: super::BundledCountries
    ///
    /// ```
    /// use loggvakt::context::{Context, NarcoticClass};
    ///
    /// let zone = loggvakt::time::parse_zone("Europe/Stockholm").unwrap();
    /// let context = Context::load_dir("../tests/data/context".as_ref(), zone)?;
    /// assert_eq!(context.user_units("anna"), ["ward-4", "ward-7"]);
    /// assert_eq!(context.drug_class("morphine-10"), Some(NarcoticClass::II));
    /// assert!(context.list("eu_eea").unwrap().contains_text("SE"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn load_dir(dir: &Path, zone: Tz) -> Result<Context, ContextError> {
        let folder = Folder::scan(dir)?;
        load(&folder, zone, |name, builder| read_file(dir, name, builder))
    }
}

/// Builds the context of the files `folder` names; `read` gives each
/// file's text, or reports to the builder why it cannot.
fn load(
    folder: &Folder,
    zone: Tz,
    mut read: impl FnMut(&str, &mut ContextBuilder) -> Option<File>,
) -> Result<Context, ContextError> {
    let mut builder = Context::builder();
    let mut countries = CountryRanges::default();
    let mut files = Vec::new();

    for (kind, name) in &folder.tables {
        let Some(file) = read(name, &mut builder) else {
            continue;
        };
        let mut problems = Problems::new(name);
        let rows = if name.ends_with(".json") {
            table::read_json(&file.text, kind.columns(), &mut problems)
        } else {
            table::read_csv(&file.text, kind.columns(), &mut problems)
        };
        entity::add_rows(
            *kind,
            &rows,
            zone,
            (&mut builder, &mut countries),
            &mut problems,
        );
        builder.diagnostics.extend(problems.sorted());
        files.push(file.summary(rows.len()));
    }
    for list in &folder.lists {
        let Some(file) = read(&list.path, &mut builder) else {
            continue;
        };
        files.push(load_list(&file, list, &mut builder));
    }

    finish(builder, files, folder.has_countries.then_some(countries))
}

/// The context with its sources recorded, or every problem.
fn finish(
    mut builder: ContextBuilder,
    mut files: Vec<ContextFile>,
    countries: Option<CountryRanges>,
) -> Result<Context, ContextError> {
    match countries {
        Some(ranges) => {
            builder.set_country_lookup(ranges);
            builder.context.sources.countries = Some(CountryData {
                name: "countries.csv".to_string(),
                version: None,
                date: None,
                licence: None,
            });
        }
        None => {
            builder.use_bundled_countries();
        }
    }
    builder.add_reference_lists();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    builder.context.sources.files = files;
    builder.build()
}

/// A list file: its name in the folder, the list's name, and whether it
/// holds IP ranges.
#[derive(Debug)]
struct ListFile {
    path: String,
    name: String,
    ranges: bool,
}

/// What a context folder holds, checked against the convention.
#[derive(Debug, Default)]
struct Folder {
    tables: Vec<(Kind, String)>,
    lists: Vec<ListFile>,
    has_countries: bool,
}

impl Folder {
    /// Lists the folder; names the convention does not know are errors.
    fn scan(dir: &Path) -> Result<Folder, ContextError> {
        let mut problems = Vec::new();
        let mut folder = Folder::default();
        let top = entries(dir).map_err(|problem| ContextError {
            diagnostics: vec![problem],
        })?;
        for (name, is_dir) in top {
            if is_dir && name == LISTS {
                folder.scan_lists(&dir.join(LISTS), &mut problems);
            } else if is_dir {
                problems.push(unknown_file(&format!("{name}/"), top_level_names()));
            } else {
                folder.add_table(&name, &mut problems);
            }
        }
        ContextError::check(problems)?;
        folder.tables.sort();
        Ok(folder)
    }

    fn add_table(&mut self, name: &str, problems: &mut Vec<Diagnostic>) {
        let kind = Kind::ALL.into_iter().find(|kind| {
            name == format!("{}.csv", kind.stem())
                || kind.takes_json() && name == format!("{}.json", kind.stem())
        });
        let Some(kind) = kind else {
            problems.push(unknown_file(name, top_level_names()));
            return;
        };
        if let Some((_, first)) = self.tables.iter().find(|(held, _)| *held == kind) {
            problems.push(given_twice(first, name));
            return;
        }
        self.has_countries |= kind == Kind::Countries;
        self.tables.push((kind, name.to_string()));
    }

    fn scan_lists(&mut self, dir: &Path, problems: &mut Vec<Diagnostic>) {
        let found = match entries(dir) {
            Ok(found) => found,
            Err(problem) => return problems.push(problem),
        };
        for (file, is_dir) in found {
            self.add_list(&file, is_dir, problems);
        }
    }

    /// Adds the list file `file` of the `lists` folder.
    fn add_list(&mut self, file: &str, is_dir: bool, problems: &mut Vec<Diagnostic>) {
        let path = format!("{LISTS}/{file}");
        let (name, ranges) = match file.rsplit_once('.') {
            Some((name, "txt")) if !is_dir => (name, false),
            Some((name, "cidr")) if !is_dir => (name, true),
            _ => return problems.push(unknown_list(&path)),
        };
        if !is_list_name(name) {
            problems.push(bad_list_name(&path, name));
        } else if let Some(first) = self.lists.iter().find(|list| list.name == name) {
            problems.push(given_twice(&first.path, &path));
        } else {
            let name = name.to_string();
            self.lists.push(ListFile { path, name, ranges });
        }
    }
}

/// The names in a folder, sorted, each with whether it is a folder; hidden
/// names (starting with `.`) and notes (`.md`) are passed over.
fn entries(dir: &Path) -> Result<Vec<(String, bool)>, Diagnostic> {
    let unreadable = |error: std::io::Error| {
        let message = format!(
            "cannot read the context folder `{}`: {error}",
            dir.display()
        );
        Diagnostic::error(codes::READ_FAILED.code, message)
    };
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.ends_with(".md") {
            continue;
        }
        found.push((name, entry.path().is_dir()));
    }
    found.sort();
    Ok(found)
}

/// Whether `name` can follow `lists.` in a rule: a letter or `_`, then
/// letters, digits and `_`.
fn is_list_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn top_level_names() -> Vec<String> {
    let mut names = Vec::new();
    for kind in Kind::ALL {
        names.push(format!("{}.csv", kind.stem()));
        if kind.takes_json() {
            names.push(format!("{}.json", kind.stem()));
        }
    }
    names.push(format!("{LISTS}/"));
    names
}

/// The known name closest to `name`, when one is close.
fn closest<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    known
        .map(|candidate| (strsim::jaro_winkler(name, candidate), candidate))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

fn unknown_file(name: &str, known: Vec<String>) -> Diagnostic {
    let message = format!("the context folder holds `{name}`, which is no context file");
    let help = match closest(name, known.iter().map(String::as_str)) {
        Some(meant) => format!("did you mean `{meant}`?"),
        None => format!(
            "the folder may hold {}; move other files elsewhere",
            known
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Diagnostic::error(codes::UNKNOWN_CONTEXT_FILE.code, message).with_help(help)
}

fn unknown_list(path: &str) -> Diagnostic {
    let message = format!("the context folder holds `{path}`, which is no list file");
    let help = "name a list of text `lists/NAME.txt` and a list of IP ranges `lists/NAME.cidr`";
    Diagnostic::error(codes::UNKNOWN_CONTEXT_FILE.code, message).with_help(help)
}

fn bad_list_name(path: &str, name: &str) -> Diagnostic {
    let message = format!("`{path}` names the list `{name}`, which rules cannot write");
    let help = "a list name is letters, digits and `_`, not starting with a digit";
    Diagnostic::error(codes::UNKNOWN_CONTEXT_FILE.code, message).with_help(help)
}

fn given_twice(first: &str, second: &str) -> Diagnostic {
    let message = format!("`{first}` and `{second}` hold the same data");
    let help = "keep one of the two files";
    Diagnostic::error(codes::UNKNOWN_CONTEXT_FILE.code, message).with_help(help)
}

/// A file's text and digest.
struct File {
    name: String,
    text: String,
    sha256: String,
}

impl File {
    fn summary(&self, rows: usize) -> ContextFile {
        ContextFile {
            name: self.name.clone(),
            rows: rows as u64,
            sha256: self.sha256.clone(),
        }
    }
}

/// Reads `name` in `dir` as UTF-8, without a leading byte-order mark; a
/// problem goes to the builder.
fn read_file(dir: &Path, name: &str, builder: &mut ContextBuilder) -> Option<File> {
    let failed = |builder: &mut ContextBuilder, code: Code, why: String| {
        let message = format!("{name}: {why}");
        builder
            .diagnostics
            .push(Diagnostic::error(code.code, message));
    };
    let bytes = match std::fs::read(dir.join(name)) {
        Ok(bytes) => bytes,
        Err(error) => {
            failed(
                builder,
                codes::READ_FAILED,
                format!("cannot be read: {error}"),
            );
            return None;
        }
    };
    let sha256 = sha256_hex(&bytes);
    match String::from_utf8(bytes) {
        Ok(text) => {
            let text = text
                .strip_prefix('\u{feff}')
                .map_or(text.clone(), str::to_string);
            Some(File {
                name: name.to_string(),
                text,
                sha256,
            })
        }
        Err(error) => {
            let at = error.utf8_error().valid_up_to();
            failed(
                builder,
                codes::BAD_CONTEXT_FILE,
                format!("not UTF-8 (at byte {at})"),
            );
            None
        }
    }
}

/// Reads one list file into the builder; its summary for the report.
fn load_list(file: &File, list: &ListFile, builder: &mut ContextBuilder) -> ContextFile {
    let entries = entity::list_entries(&file.text);
    let mut problems = Problems::new(&list.path);
    entity::add_list(&list.name, list.ranges, &entries, builder, &mut problems);
    builder.diagnostics.extend(problems.sorted());
    file.summary(entries.len())
}

/// A place in a file: the line and the byte offset a row starts at.
#[derive(Debug, Clone, Copy)]
struct Located {
    line: usize,
    offset: usize,
}

impl From<&Row> for Located {
    fn from(row: &Row) -> Located {
        Located {
            line: row.line,
            offset: row.offset,
        }
    }
}

/// The problems found in one file, each at `file:line`.
#[derive(Debug)]
struct Problems {
    file: String,
    found: Vec<Diagnostic>,
}

impl Problems {
    fn new(file: &str) -> Problems {
        Problems {
            file: file.to_string(),
            found: Vec::new(),
        }
    }

    /// A problem at `line`, starting at byte `offset`.
    fn at(
        &mut self,
        line: usize,
        offset: usize,
        code: Code,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let problem = Diagnostic::error(code.code, message).with_help(help);
        self.relocate(Located { line, offset }, problem);
    }

    /// A problem with the whole row.
    fn at_row(&mut self, row: &Row, code: Code, message: String, help: &str) {
        self.at(row.line, row.offset, code, message, help);
    }

    /// A problem with one cell of a row, labelled with its column.
    fn at_column(&mut self, row: &Row, column: &str, code: Code, message: String, help: &str) {
        self.at(row.line, row.offset, code, message, help);
        if let Some(label) = self.found.last_mut().and_then(|d| d.labels.first_mut()) {
            label.message = column.to_string();
        }
    }

    /// A problem with the whole file.
    fn file(&mut self, code: Code, message: String) {
        let message = format!("{}: {message}", self.file);
        self.found.push(Diagnostic::error(code.code, message));
    }

    /// `problem`, placed at `place` in this file.
    fn relocate(&mut self, place: impl Into<Located>, mut problem: Diagnostic) {
        let place = place.into();
        problem.message = format!("{}:{}: {}", self.file, place.line, problem.message);
        let span = Span {
            start: place.offset,
            end: place.offset,
            line: place.line,
            column: 1,
        };
        self.found.push(problem.with_label(span, ""));
    }

    /// Runs `add` on the builder; what it finds wrong is placed at `row`.
    fn locate(
        &mut self,
        row: &Row,
        builder: &mut ContextBuilder,
        add: impl FnOnce(&mut ContextBuilder) -> &mut ContextBuilder,
    ) {
        let before = builder.diagnostics.len();
        add(builder);
        for problem in builder.diagnostics.split_off(before) {
            self.relocate(row, problem);
        }
    }

    /// The problems in line order; those of the whole file first.
    fn sorted(mut self) -> Vec<Diagnostic> {
        self.found
            .sort_by_key(|problem| problem.span().map_or(0, |span| span.line));
        self.found
    }
}

#[cfg(test)]
#[path = "load_tests.rs"]
mod tests;
