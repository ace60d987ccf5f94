//! What a report records about the run that made it.

use crate::Failure;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use loggvakt::RuleSet;
use loggvakt::read::Format;
use loggvakt::report::{CsvSettings, SCHEMA};
use serde_json::Value;
use std::path::Path;

/// A report read back, with the settings a replay needs.
pub struct Recorded {
    /// The whole report.
    pub value: Value,
    /// Rule files: name and digest.
    pub rules: Vec<(String, String)>,
    /// Event files: name and digest.
    pub inputs: Vec<(String, String)>,
    /// Context files: name and digest.
    pub context_files: Vec<(String, String)>,
    /// The zone asked for.
    pub zone: Option<Tz>,
    /// The month asked for.
    pub period: Option<NaiveDate>,
    /// The run's "now".
    pub now: DateTime<Utc>,
    /// Whether copies of an event were dropped.
    pub duplicates: bool,
    /// The seed the samples were drawn with.
    pub seed: Option<String>,
    /// How CSV files were read.
    pub csv: Option<CsvSettings>,
    /// The organisation the report names.
    pub organisation: Option<String>,
    formats: Vec<String>,
}

impl Recorded {
    /// Reads a JSON report; anything that is not one is LV0801.
    pub fn read(path: &Path) -> Result<Recorded, Failure> {
        let bad = |why: String| bad_report(path, &why);
        let text = std::fs::read_to_string(path).map_err(|e| {
            Failure::input(format!(
                "error[LV0403]: cannot read `{}`: {e}",
                path.display()
            ))
        })?;
        let value: Value = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
        Recorded::from_value(value).map_err(bad)
    }

    fn from_value(value: Value) -> Result<Recorded, String> {
        let schema = value.get("schema").and_then(Value::as_u64);
        if schema != Some(u64::from(SCHEMA)) {
            return Err(format!(
                "its schema is {schema:?}; this version reads {SCHEMA}"
            ));
        }
        let settings = value
            .pointer("/run/settings")
            .ok_or("it records no run settings (made by an older version)")?;
        let field = |name: &str| settings.get(name).and_then(Value::as_str);
        Ok(Recorded {
            rules: files(&value, "/rules")?,
            inputs: files(&value, "/inputs")?,
            context_files: files(&value, "/context/files").unwrap_or_default(),
            formats: formats(&value),
            zone: field("zone").map(zone).transpose()?,
            period: field("period").map(period).transpose()?,
            now: now(&value)?,
            duplicates: field("duplicates") != Some("keep"),
            seed: text(&value, "seed"),
            csv: csv(settings)?,
            organisation: text(&value, "organisation"),
            value,
        })
    }

    /// The format of the `index`th event file: the report's when it names
    /// as many files as were given, else what the file itself tells.
    pub fn format(&self, index: usize, path: &Path) -> Format {
        let recorded = (self.formats.len() == self.inputs.len())
            .then(|| self.formats.get(index))
            .flatten();
        recorded
            .and_then(|name| Format::parse(name))
            .unwrap_or_else(|| Format::detect(path))
    }

    /// Sets the parameters in force when the report was made; returns a
    /// line for each the rule files no longer declare.
    pub fn apply_params(&self, rules: &mut RuleSet) -> Vec<String> {
        let Some(params) = self.value.get("params").and_then(Value::as_object) else {
            return Vec::new();
        };
        let mut lines = Vec::new();
        for (name, value) in params {
            let text = match value {
                Value::String(text) => text.clone(),
                Value::Number(number) => number.to_string(),
                _ => continue,
            };
            if let Err(diagnostic) = rules.set_param(name, &text) {
                lines.push(format!("parameter `{name}`: {}", diagnostic.message));
            }
        }
        lines
    }
}

fn text(value: &Value, name: &str) -> Option<String> {
    value.get(name).and_then(Value::as_str).map(String::from)
}

fn bad_report(path: &Path, why: &str) -> Failure {
    Failure::input(format!(
        "error[LV0801]: `{}` is not a Loggvakt report that can be verified: {why}",
        path.display()
    ))
}

/// `[{name, sha256}]` at `pointer`.
fn files(value: &Value, pointer: &str) -> Result<Vec<(String, String)>, String> {
    let list = value
        .pointer(pointer)
        .and_then(Value::as_array)
        .ok_or_else(|| format!("`{}` is not a list", &pointer[1..]))?;
    let pair = |item: &Value| {
        let name = item.get("name")?.as_str()?.to_string();
        let digest = item.get("sha256")?.as_str()?.to_string();
        Some((name, digest))
    };
    list.iter()
        .map(|item| pair(item).ok_or_else(|| format!("`{}` lacks a name or sha256", &pointer[1..])))
        .collect()
}

fn formats(value: &Value) -> Vec<String> {
    let inputs = value.get("inputs").and_then(Value::as_array);
    let format = |item: &Value| item.get("format")?.as_str().map(String::from);
    inputs
        .map(|list| list.iter().filter_map(format).collect())
        .unwrap_or_default()
}

fn zone(name: &str) -> Result<Tz, String> {
    loggvakt::time::parse_zone(name).ok_or_else(|| format!("unknown zone `{name}`"))
}

fn period(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d")
        .map_err(|_| format!("the period `{text}` is not YYYY-MM"))
}

fn now(value: &Value) -> Result<DateTime<Utc>, String> {
    let text = value
        .pointer("/run/generated_at")
        .and_then(Value::as_str)
        .ok_or("it has no `run.generated_at`")?;
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("`run.generated_at` is not RFC 3339: {e}"))
}

fn csv(settings: &Value) -> Result<Option<CsvSettings>, String> {
    match settings.get("csv") {
        None | Some(Value::Null) => Ok(None),
        Some(value) => serde_json::from_value(value.clone())
            .map(Some)
            .map_err(|e| format!("`run.settings.csv`: {e}")),
    }
}
