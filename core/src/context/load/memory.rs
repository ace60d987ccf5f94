//! Loading a context from tables a host language holds in memory: rows
//! as JSON objects with the columns of the folder convention, and lists
//! of entries.
//!
//! Rows go through the same cell readers as the rows of a JSON file, so a
//! bad value gets the same code, message and help; it is placed at
//! `table[index]` (the row's index from 0) instead of `file:line`.

use super::entity::{self, Kind};
use super::table::{self, Row};
use super::{LISTS, Problems, bad_list_name, finish, given_twice, is_list_name, unknown_list};
use crate::codes;
use crate::context::{Context, ContextBuilder, ContextError, CountryRanges};
use crate::report::{ContextFile, sha256_hex};
use chrono_tz::Tz;
use serde_json::Value as Json;
use std::collections::BTreeMap;

/// Context data held in memory, table by table, as
/// [`Context::from_tables`] reads it.
///
/// Each table is a list of rows; a row is a JSON object whose members are
/// the columns of the file of the same name (`docs/context.md`), a `null`
/// member being an empty cell. `countries`, when given, replaces the
/// built-in country data, as `countries.csv` does. A list is named as its
/// file in `lists/` is: `NAME.txt` for text, `NAME.cidr` for IP ranges.
#[derive(Debug, Clone, Default)]
pub struct ContextTables {
    /// Rows of `users`.
    pub users: Option<Vec<Json>>,
    /// Rows of `patients`.
    pub patients: Option<Vec<Json>>,
    /// Rows of `relations`.
    pub relations: Option<Vec<Json>>,
    /// Rows of `drugs`.
    pub drugs: Option<Vec<Json>>,
    /// Rows of `countries`: `network` and `country`.
    pub countries: Option<Vec<Json>>,
    /// Named lists as (`NAME.txt` or `NAME.cidr`, entries).
    pub lists: Vec<(String, Vec<String>)>,
}

impl ContextTables {
    fn tables(&self) -> impl Iterator<Item = (Kind, &Vec<Json>)> {
        let given = [
            (Kind::Users, &self.users),
            (Kind::Patients, &self.patients),
            (Kind::Relations, &self.relations),
            (Kind::Drugs, &self.drugs),
            (Kind::Countries, &self.countries),
        ];
        given
            .into_iter()
            .filter_map(|(kind, rows)| rows.as_ref().map(|rows| (kind, rows)))
    }
}

impl Context {
    /// Builds a context from tables held in memory, reading local times
    /// in `zone`, with every check [`Context::load_dir`] makes.
    ///
    /// The context holds the built-in lists and country data as a loaded
    /// folder does. [`Context::summary`] names each table (`users`,
    /// `lists/vpn.cidr`, …) with its rows and the SHA-256 of its
    /// canonical form: each row as compact JSON with its members sorted by
    /// name and `null` members left out, one per line, each line ending in
    /// a newline; a list's entries one per line, likewise. Fails with every
    /// problem, each placed at `table[index]`, the row's index from 0.
    ///
    /// ```
    /// use loggvakt::context::{Context, ContextTables};
    /// use serde_json::json;
    ///
    /// let zone = loggvakt::time::parse_zone("Europe/Stockholm").unwrap();
    /// let tables = ContextTables {
    ///     users: Some(vec![json!({"id": "anna", "units": ["ward-4"]})]),
    ///     lists: vec![("vpn.cidr".into(), vec!["10.0.0.0/8".into()])],
    ///     ..ContextTables::default()
    /// };
    /// let context = Context::from_tables(&tables, zone)?;
    /// assert_eq!(context.user_units("anna"), ["ward-4"]);
    ///
    /// let bad = ContextTables {
    ///     users: Some(vec![json!({"id": "anna"}), json!({"units": "ward-4"})]),
    ///     ..ContextTables::default()
    /// };
    /// let error = Context::from_tables(&bad, zone).unwrap_err();
    /// assert_eq!(error.diagnostics[0].message, "users[1]: `id` is empty");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_tables(tables: &ContextTables, zone: Tz) -> Result<Context, ContextError> {
        let mut builder = Context::builder();
        let mut countries = CountryRanges::default();
        let mut summaries = Vec::new();

        for (kind, rows) in tables.tables() {
            let mut problems = Problems::indexed(kind.stem());
            let read = read_rows(rows, kind, &mut problems);
            let sink = (&mut builder, &mut countries);
            entity::add_rows(kind, &read, zone, sink, &mut problems);
            builder.diagnostics.extend(problems.sorted());
            summaries.push(table_summary(kind.stem(), rows));
        }
        let mut names = Vec::new();
        for (file, entries) in &tables.lists {
            summaries.extend(add_list(file, entries, &mut names, &mut builder));
        }

        let given = tables.countries.is_some();
        finish(
            builder,
            summaries,
            given.then_some((countries, "countries")),
        )
    }
}

/// The rows of one table. Column names are checked once for the table:
/// an unknown one at the first row that has it, a required one that no
/// row has at the first row.
fn read_rows(rows: &[Json], kind: Kind, problems: &mut Problems) -> Vec<Row> {
    check_columns(rows, kind, problems);

    let mut read = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        let Json::Object(object) = row else {
            let help = "each row is a record of columns, like {\"id\": \"anna\"}";
            problems.at(index, 0, codes::BAD_CONTEXT_ROW, "not a record", help);
            continue;
        };
        read.extend(table::object_row(object.clone(), (index, 0), problems));
    }
    read
}

fn check_columns(rows: &[Json], kind: Kind, problems: &mut Problems) {
    let columns = kind.columns();
    let mut first: Vec<(&str, usize)> = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        for name in row.as_object().into_iter().flat_map(|o| o.keys()) {
            if !first.iter().any(|(seen, _)| seen == name) {
                first.push((name.as_str(), index));
            }
        }
    }
    for (name, index) in &first {
        if !columns.knows(name) {
            let (message, help) = columns.unknown(name);
            problems.at(*index, 0, codes::BAD_COLUMN, message, help);
        }
    }
    if rows.is_empty() {
        return;
    }
    for wanted in columns.required {
        if !first.iter().any(|(name, _)| name == wanted) {
            let (message, help) = columns.missing(wanted);
            problems.at(0, 0, codes::BAD_COLUMN, message, help);
        }
    }
}

/// A table's name, rows and the digest of its canonical form.
fn table_summary(name: &str, rows: &[Json]) -> ContextFile {
    let mut text = String::new();
    for row in rows {
        text.push_str(&canonical(row));
        text.push('\n');
    }
    ContextFile {
        name: name.to_string(),
        rows: rows.len() as u64,
        sha256: sha256_hex(text.as_bytes()),
    }
}

/// A row as compact JSON, members sorted by name, `null` members left out.
fn canonical(row: &Json) -> String {
    let Json::Object(object) = row else {
        return row.to_string();
    };
    let sorted: BTreeMap<&String, &Json> = object.iter().filter(|(_, v)| !v.is_null()).collect();
    serde_json::to_string(&sorted).unwrap_or_default()
}

/// Adds one list named as its file would be; its summary, or `None` when
/// the name is refused.
fn add_list(
    file: &str,
    entries: &[String],
    names: &mut Vec<(String, String)>,
    builder: &mut ContextBuilder,
) -> Option<ContextFile> {
    let path = format!("{LISTS}/{file}");
    let (name, ranges) = match file.rsplit_once('.') {
        Some((name, "txt")) => (name, false),
        Some((name, "cidr")) => (name, true),
        _ => {
            builder.diagnostics.push(unknown_list(&path));
            return None;
        }
    };
    if !is_list_name(name) {
        builder.diagnostics.push(bad_list_name(&path, name));
        return None;
    }
    if let Some((_, first)) = names.iter().find(|(held, _)| held == name) {
        builder.diagnostics.push(given_twice(first, &path));
        return None;
    }
    names.push((name.to_string(), path.clone()));

    let kept: Vec<(usize, usize, &str)> = entries
        .iter()
        .enumerate()
        .map(|(index, entry)| (index, 0, entry.trim()))
        .filter(|(_, _, entry)| !entry.is_empty())
        .collect();
    let mut problems = Problems::indexed(&path);
    entity::add_list(name, ranges, &kept, builder, &mut problems);
    builder.diagnostics.extend(problems.sorted());

    let text: String = kept
        .iter()
        .map(|(_, _, entry)| format!("{entry}\n"))
        .collect();
    Some(ContextFile {
        name: path,
        rows: kept.len() as u64,
        sha256: sha256_hex(text.as_bytes()),
    })
}
