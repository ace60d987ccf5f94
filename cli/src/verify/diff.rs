//! The differences between a report's results and a replay's.
//!
//! Results are everything but `run` and the inputs' names and digests
//! (`rules`, `inputs`, `context`), which are compared on their own.

use loggvakt::Report;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Sections that describe the inputs, not the results.
const INPUT_SECTIONS: [&str; 4] = ["run", "rules", "inputs", "context"];

/// How many lines of differences are shown.
const SHOWN: usize = 40;

/// One line per difference, findings first; empty when the results match.
pub fn results(recorded: &Value, replayed: &Report) -> Vec<String> {
    let replayed = serde_json::to_value(replayed).unwrap_or(Value::Null);
    let mut lines = findings(recorded.get("findings"), replayed.get("findings"));
    let (before, after) = (sections(recorded), sections(&replayed));
    walk("", &before, &after, &mut lines);
    if lines.len() > SHOWN {
        let more = lines.len() - SHOWN;
        lines.truncate(SHOWN);
        lines.push(format!("… and {more} more differences"));
    }
    lines
}

/// The result sections but the findings.
fn sections(report: &Value) -> Value {
    let mut object = report.as_object().cloned().unwrap_or_default();
    for name in INPUT_SECTIONS.iter().chain(&["findings"]) {
        object.remove(*name);
    }
    Value::Object(object)
}

/// Findings by rule, key and window start: those only in one report, and
/// those whose content changed.
fn findings(recorded: Option<&Value>, replayed: Option<&Value>) -> Vec<String> {
    let (before, after) = (by_key(recorded), by_key(replayed));
    let mut lines = Vec::new();
    for (key, finding) in &before {
        match after.get(key) {
            None => lines.push(format!("finding gone: {key}")),
            Some(now) if now != finding => {
                let mut changed = Vec::new();
                walk("", finding, now, &mut changed);
                lines.push(format!("finding changed: {key}: {}", changed.join("; ")));
            }
            Some(_) => {}
        }
    }
    let new = after.keys().filter(|key| !before.contains_key(*key));
    lines.extend(new.map(|key| format!("finding new: {key}")));
    lines
}

fn by_key(findings: Option<&Value>) -> BTreeMap<String, &Value> {
    let list = findings.and_then(Value::as_array).map(Vec::as_slice);
    list.unwrap_or_default()
        .iter()
        .map(|finding| (finding_key(finding), finding))
        .collect()
}

/// `rule {field=value, …} from window-start`.
fn finding_key(finding: &Value) -> String {
    let text = |pointer: &str| finding.pointer(pointer).and_then(Value::as_str);
    let key = finding.get("key").and_then(Value::as_object);
    let pairs: Vec<String> = key
        .map(|map| {
            map.iter()
                .map(|(k, v)| format!("{k}={}", plain(v)))
                .collect()
        })
        .unwrap_or_default();
    format!(
        "{} {{{}}} from {}",
        text("/rule").unwrap_or("?"),
        pairs.join(", "),
        text("/window/start").unwrap_or("?")
    )
}

/// Appends `path: report X, now Y` for each leaf that differs.
fn walk(path: &str, before: &Value, after: &Value, lines: &mut Vec<String>) {
    match (before, after) {
        (Value::Object(a), Value::Object(b)) => walk_objects(path, a, b, lines),
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                walk(&format!("{path}[{i}]"), x, y, lines);
            }
        }
        (Value::Array(a), Value::Array(b)) => lines.push(format!(
            "{path}: {} items in the report, {} now",
            a.len(),
            b.len()
        )),
        _ if before != after => lines.push(format!(
            "{path}: {} in the report, {} now",
            plain(before),
            plain(after)
        )),
        _ => {}
    }
}

fn walk_objects(
    path: &str,
    a: &Map<String, Value>,
    b: &Map<String, Value>,
    lines: &mut Vec<String>,
) {
    let null = Value::Null;
    let mut names: Vec<&String> = a.keys().chain(b.keys()).collect();
    names.sort();
    names.dedup();
    for name in names {
        let inner = if path.is_empty() {
            name.clone()
        } else {
            format!("{path}.{name}")
        };
        walk(
            &inner,
            a.get(name).unwrap_or(&null),
            b.get(name).unwrap_or(&null),
            lines,
        );
    }
}

/// A value on one short line.
fn plain(value: &Value) -> String {
    let text = match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    match text.char_indices().nth(60) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn leaves_that_differ_are_named_by_path() {
        let mut lines = Vec::new();
        let before = json!({"input": {"read": 10, "rejected": 0}, "seed": "1"});
        let after = json!({"input": {"read": 11, "rejected": 0}, "seed": "1"});
        walk("", &before, &after, &mut lines);
        assert_eq!(lines, ["input.read: 10 in the report, 11 now"]);
    }

    #[test]
    fn findings_are_matched_by_rule_key_and_window() {
        let one = json!({"rule": "r", "key": {"user": "u1"}, "window": {"start": "t"}, "count": 3});
        let two = json!({"rule": "r", "key": {"user": "u2"}, "window": {"start": "t"}, "count": 1});
        let mut changed = one.clone();
        changed["count"] = json!(4);

        let lines = findings(Some(&json!([one, two])), Some(&json!([changed])));

        assert_eq!(
            lines,
            [
                "finding changed: r {user=u1} from t: count: 3 in the report, 4 now",
                "finding gone: r {user=u2} from t",
            ]
        );
    }

    #[test]
    fn long_values_are_cut() {
        let text = "x".repeat(100);
        assert_eq!(plain(&json!(text)).chars().count(), 61);
    }
}
