//! Runs every case under `tests/conformance/` through the Rust library.
//!
//! A case is a folder with `case.json`:
//! `{"rules": [paths], "events": [paths], "format": "jsonl"|"fhir"|…|null,
//!   "period": "YYYY-MM"|null, "tz": ZONE|null}` — paths relative to the
//! case folder — and `expected.json`, the report without its `run` section.
//! A CSV case may add `"csv": {"map": {"time": "EventTime", …},
//! "delimiter": ";", "quote": "'"}`; a `.tsv` file without a delimiter is
//! tab-separated, as on the command line.
//! A case may give a `"seed"` for its samples.
//! A case may add `"context": "DIR"`, a context folder relative to the
//! case folder, loaded as `loggvakt run --context DIR` loads it.
//! A diagnostics case has `"kind": "diagnostics"` and only `rules`: its
//! `expected.json` lists, per file, every diagnostic `check` gives —
//! code, severity, line, column and message.
//! Set `LOGGVAKT_BLESS=1` to write `expected.json` from the current result
//! (then review the difference before committing it).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on any surprise"
)]

use loggvakt::read::{self, CsvOptions, Format, ReadOptions};
use loggvakt::report::{InputFile, sha256_file};
use loggvakt::ruleset::file_name;
use loggvakt::{Context, Options, RuleSet};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/conformance")
}

fn cases(dir: &Path, found: &mut Vec<PathBuf>) {
    if dir.join("case.json").exists() {
        found.push(dir.to_path_buf());
    }
    let mut children: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    children.sort();
    for child in children.into_iter().filter(|p| p.is_dir()) {
        cases(&child, found);
    }
}

fn strings(case: &Value, name: &str) -> Vec<String> {
    case[name]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// Every diagnostic of each rule file of a diagnostics case, as JSON.
fn diagnostics_case(dir: &Path, case: &Value) -> String {
    let mut files = serde_json::Map::new();
    for name in strings(case, "rules") {
        let text = std::fs::read_to_string(dir.join(&name)).unwrap();
        let found: Vec<Value> = loggvakt::check_source(&text)
            .iter()
            .map(|d| {
                let span = d.span().unwrap();
                serde_json::json!({
                    "code": d.code,
                    "severity": format!("{:?}", d.severity).to_lowercase(),
                    "line": span.line,
                    "column": span.column,
                    "message": d.message,
                })
            })
            .collect();
        files.insert(name, Value::Array(found));
    }
    serde_json::to_string_pretty(&Value::Object(files)).unwrap() + "\n"
}

/// Runs one case and returns the report without `run`, pretty-printed.
fn run_case(dir: &Path) -> String {
    let case: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("case.json")).unwrap()).unwrap();
    if case["kind"] == "diagnostics" {
        return diagnostics_case(dir, &case);
    }
    let rule_paths: Vec<PathBuf> = strings(&case, "rules")
        .iter()
        .map(|p| dir.join(p))
        .collect();
    let rules = RuleSet::from_paths(&rule_paths).unwrap_or_else(|e| panic!("{}", e.render()));
    let zone = case["tz"]
        .as_str()
        .map(|z| loggvakt::time::parse_zone(z).unwrap());
    let period = case["period"]
        .as_str()
        .map(|p| loggvakt::time::parse_month(p).unwrap());
    let forced = case["format"].as_str().map(|f| Format::parse(f).unwrap());
    let events: Vec<(PathBuf, Format)> = strings(&case, "events")
        .iter()
        .map(|p| dir.join(p))
        .map(|p| (p.clone(), forced.unwrap_or(Format::detect(&p))))
        .collect();
    let inputs = events
        .iter()
        .map(|(p, f)| InputFile {
            name: file_name(p),
            format: f.name().into(),
            sha256: sha256_file(p).unwrap(),
        })
        .collect();
    let context = case["context"].as_str().map(|folder| {
        let loaded = Context::load_dir(&dir.join(folder), rules.zone(zone));
        Arc::new(loaded.unwrap_or_else(|e| panic!("{e}")))
    });
    let options = Options {
        zone,
        period,
        inputs,
        seed: case["seed"].as_str().map(String::from),
        context,
        ..Options::default()
    };
    let read_options = ReadOptions {
        zone: rules.zone(zone),
        csv: csv_options(&case["csv"]),
        ..ReadOptions::default()
    };
    let mut evaluation = rules.evaluation(options);
    for (path, format) in &events {
        let mut read_options = read_options.clone();
        let tsv = path.extension().is_some_and(|e| e == "tsv");
        if tsv && case["csv"]["delimiter"].is_null() {
            read_options.csv.delimiter = b'\t';
        }
        read::open(path, *format, &read_options)
            .unwrap()
            .for_each(|r| evaluation.push_record(r));
    }
    let mut value: Value = serde_json::from_str(&evaluation.finish().to_json()).unwrap();
    follows_the_schema(&value, dir);
    value.as_object_mut().unwrap().remove("run");
    serde_json::to_string_pretty(&value).unwrap() + "\n"
}

/// Fails unless `report` is valid against docs/report-schema.json.
fn follows_the_schema(report: &Value, dir: &Path) {
    static VALIDATOR: std::sync::LazyLock<jsonschema::Validator> = std::sync::LazyLock::new(|| {
        let path = root().join("../../docs/report-schema.json");
        let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        jsonschema::validator_for(&schema).unwrap()
    });
    let errors: Vec<String> = VALIDATOR
        .iter_errors(report)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{}: {}",
        dir.display(),
        errors.join("\n")
    );
}

/// The case's `csv` member as reading options.
fn csv_options(csv: &Value) -> CsvOptions {
    let mut options = CsvOptions::default();
    if let Some(map) = csv["map"].as_object() {
        for (field, column) in map {
            let column = column.as_str().unwrap().to_string();
            options.mapping.insert(field.clone(), column);
        }
    }
    if let Some(delimiter) = csv["delimiter"].as_str() {
        options.delimiter = delimiter.as_bytes()[0];
    }
    if let Some(quote) = csv["quote"].as_str() {
        options.quote = quote.as_bytes()[0];
    }
    options
}

#[test]
fn conformance_cases() {
    let mut found = Vec::new();
    cases(&root(), &mut found);
    assert!(!found.is_empty(), "no cases under {}", root().display());
    let bless = std::env::var_os("LOGGVAKT_BLESS").is_some();
    let mut failures = Vec::new();
    for dir in &found {
        let got = run_case(dir);
        let expected_path = dir.join("expected.json");
        if bless {
            std::fs::write(&expected_path, &got).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if got != expected {
            failures.push(format!("{}\n--- got ---\n{got}", dir.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        found.len(),
        failures.join("\n")
    );
    eprintln!("{} conformance cases passed", found.len());
}
