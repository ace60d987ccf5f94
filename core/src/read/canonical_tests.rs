//! The direct reading of a line ([`read_fields`]) against the reading it
//! replaces: the line as a `serde_json::Value`, then [`from_object`].

use super::*;
use crate::generate::{GenerateOptions, generate};
use crate::read::jsonl::JsonLines;
use crate::read::{ReadOptions, Record};
use chrono::NaiveDate;
use proptest::prelude::*;

const ZONE: Tz = chrono_tz::Europe::Stockholm;

/// What a line reads as: the event, or the fault's code and message.
type Reading = Result<Event, (&'static str, String)>;

/// The line read as a `Value` and then through [`from_object`], as the
/// JSON Lines reader read every line before [`read_fields`].
fn through_value(text: &str) -> Reading {
    let read = match serde_json::from_str::<Json>(text) {
        Ok(Json::Object(object)) => from_object(object, ZONE),
        Ok(_) => Err(Invalid::new(
            codes::NOT_AN_OBJECT,
            "the line is not a JSON object",
        )),
        Err(e) => Err(Invalid::new(
            codes::INVALID_JSON,
            format!("invalid JSON: {e}"),
        )),
    };
    read.map_err(|invalid| (invalid.code.name, invalid.message))
}

/// The line read straight into fields, or `None` when that refuses it.
fn direct(text: &str) -> Option<Reading> {
    let fields = read_fields(text).ok()?;
    Some(
        fields
            .into_event(ZONE)
            .map_err(|invalid| (invalid.code.name, invalid.message)),
    )
}

/// Both readings agree, and the direct one refuses only what is not an
/// object to a `Value` (or opens with a serde_json token).
fn assert_same(text: &str) {
    let expected = through_value(text);
    match direct(text) {
        Some(got) => assert_eq!(got, expected, "{text}"),
        None => {
            let is_object = matches!(serde_json::from_str(text), Ok(Json::Object(_)));
            let token = VALUE_TOKENS.iter().any(|token| text.contains(token));
            assert!(!is_object || token, "refused an object: {text}");
        }
    }
}

const HEAD: &str = r#""time":"2026-03-01T08:00:00Z","user":"u","action":"read""#;

/// Lines with a valid head and `rest` after it.
fn with_head(rest: &[&str]) -> Vec<String> {
    rest.iter()
        .map(|rest| format!("{{{HEAD}{rest}}}"))
        .collect()
}

/// Lines whose `user` is each of `values`.
fn users(values: &[&str]) -> Vec<String> {
    let line = |v: &&str| format!(r#"{{"time":"2026-03-01T08:00:00Z","user":{v},"action":"r"}}"#);
    values.iter().map(line).collect()
}

const WHOLE: &[&str] = &[
    r#"{"id":"e1","time":"2026-03-01T08:00:00Z","user":42,"action":"read","outcome":"success","patient":"p1","unit":"u1","resource":"journal","ip":"::ffff:10.1.2.3","drug":"d","amount":2.5,"purpose":"care","system":"ehr","ward_pc":true,"extra":null}"#,
    r#"{}"#,
    r#"{"user":"u","action":"read"}"#,
    r#"{"time":"2026-03-01T08:00:00Z","action":"read"}"#,
    r#"{"time":"2026-03-01T08:00:00Z","user":"u"}"#,
    r#"{"time":"yesterday","user":"u","action":"read"}"#,
    r#"{"time":20260301,"user":"u","action":"read"}"#,
    r#"{"time":"2026-03-01 08:00:00","user":"u","action":"read"}"#,
    r#"{"time":"2026-03-29T02:30:00","user":"u","action":"read"}"#,
    r#"{"time":"","user":"u","action":"read"}"#,
    r#"{"time":null,"user":"u","action":"read"}"#,
    r#"{"time":["2026-03-01T08:00:00Z"],"user":"u","action":"read"}"#,
    r#"{"tim\u0065":"2026-03-01T08:00:00Z","us\u0065r":"\u00c5sa \"Ö\" \ud83d\ude00","action":"l\u00e4s\n"}"#,
    r#"{"time":"2026-03-01T08:00:00Z","user":"Åsa Öberg 😀","action":"läs","ä\tttr":"ü"}"#,
    r#"  {"time":"2026-03-01T08:00:00Z","user":"u","action":"r"} 	 "#,
    // Duplicate names: the last wins, for fields and attributes alike.
    r#"{"time":"2026-03-01T08:00:00Z","user":"a","action":"r","user":"b"}"#,
    r#"{"time":"2026-03-01T08:00:00Z","user":"a","action":"r","us\u0065r":"b"}"#,
    r#"{"time":"2026-03-01T08:00:00Z","user":[1],"action":"r","user":"b"}"#,
    r#"{"time":"2026-03-01T08:00:00Z","user":"b","action":"r","user":{"x":1}}"#,
    r#"{"time":"2026-03-01T08:00:00Z","user":"b","action":"r","user":null}"#,
    r#"{"time":"2026-03-01T08:00:00Z","user":"u","action":"r","a":1,"a":null}"#,
    r#"{"time":"2026-03-01T08:00:00Z","user":"u","action":"r","a":null,"a":"x"}"#,
    r#"{"time":"2026-03-01T08:00:00Z","user":"u","action":"r","a":[1],"a":{"b":2}}"#,
    // Not an object, not JSON, more than one value.
    "[1]",
    "1",
    r#""text""#,
    "null",
    "",
    "{bad",
    r#"{"time":"#,
    r#"{"a":1,}"#,
    r#"{"a":1} x"#,
    r#"{"a":1}{}"#,
    r#"{1:2}"#,
    "{\"a\":\"tab\there\"}",
    r#"{"a":"\x"}"#,
    r#"{"a":"\ud800"}"#,
    r#"{"time":"2026-03-01T08:00:00Z","user":"\ud800","action":"r"}"#,
    r#"{"time":"2026-03-01T08:00:00Z","user":["\ud800"],"action":"r"}"#,
    r#"{"time":"2026-03-01T08:00:00Z","user":"u","action":"r","amount":1e400}"#,
    r#"{"time":"2026-03-01T08:00:00Z","user":"u","action":"r","amount":[1e400]}"#,
    r#"{"time":"2026-03-01T08:00:00Z","user":"u","action":"r","x":1e400}"#,
    r#"{"time":"2026-03-01T08:00:00Z","user":"u","action":"r","x":01}"#,
    // serde_json's stand-in names, which a `Value` reads in its own way.
    r#"{"$serde_json::private::RawValue":"{\"time\":\"2026-03-01T08:00:00Z\",\"user\":\"u\",\"action\":\"r\"}"}"#,
    r#"{"$serde_json::private::RawValue":"[1]"}"#,
    r#"{"$serde_json::private::RawValue":"{bad"}"#,
    r#"{"$serde_json::private::Number":"12"}"#,
    r#"{"time":"2026-03-01T08:00:00Z","user":"u","action":"r","$serde_json::private::RawValue":"x"}"#,
    r#"{"time":"2026-03-01T08:00:00Z","user":{"$serde_json::private::RawValue":"\"alice\""},"action":"r"}"#,
    r#"{"time":"2026-03-01T08:00:00Z","user":{"$serde_json::private::RawValue":"7"},"action":"r"}"#,
    r#"{"time":"2026-03-01T08:00:00Z","user":"u","action":"r","x":{"$serde_json::private::RawValue":"[1,2]"}}"#,
];

const REST: &[&str] = &[
    "",
    r#","id":"""#,
    r#","id":7"#,
    r#","id":-7"#,
    r#","id":7.0"#,
    r#","id":-0"#,
    r#","id":true"#,
    r#","outcome":"failure""#,
    r#","outcome":"denied""#,
    r#","outcome":"Success""#,
    r#","outcome":"ok""#,
    r#","outcome":1"#,
    r#","outcome":"""#,
    r#","ip":"-""#,
    r#","ip":"x""#,
    r#","ip":"[::1]""#,
    r#","ip":" 10.0.0.1 ""#,
    r#","ip":"::ffff:10.1.2.3""#,
    r#","ip":"2001:db8::1""#,
    r#","ip":3232235777"#,
    r#","ip":[]"#,
    r#","amount":"2""#,
    r#","amount":true"#,
    r#","amount":{}"#,
    r#","amount":[1]"#,
    r#","amount":null"#,
    r#","amount":-0"#,
    r#","amount":1e308"#,
    r#","amount":18446744073709551616"#,
    r#","amount":0.1e-400"#,
    r#","patient":"p","unit":"u","resource":"r","drug":"d","purpose":"p","system":"s""#,
    r#","patient":{},"unit":"u""#,
    r#","system":false"#,
    r#","flag":true,"off":false,"n":3,"f":-2.5e-3,"big":1e300"#,
    r#","nested":{"a":[1,2,{"c":null}],"b":"\u00e5"},"list":[],"obj":{}"#,
    r#","empty":"","s":"a\"b\\c\/d""#,
    r#","huge":18446744073709551615,"neg":-9223372036854775808,"bigger":123456789012345678901234567890"#,
];

const USERS: &[&str] = &[
    "42",
    "0",
    "-1",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775808",
    "-9223372036854775809",
    "1.5",
    "1.0",
    "1e2",
    "-0",
    "true",
    "false",
    "null",
    r#""""#,
    "[]",
    "{}",
    r#"{"a":[1,{"b":null}]}"#,
    r#""\u0041\u00e5""#,
];

#[test]
fn every_kind_of_line_reads_as_through_a_value() {
    for line in WHOLE {
        assert_same(line);
    }
    for line in with_head(REST) {
        assert_same(&line);
    }
    for line in users(USERS) {
        assert_same(&line);
    }
}

#[test]
fn lines_that_are_events_or_field_faults_are_read_directly() {
    let mut lines = with_head(REST);
    lines.extend(users(USERS));
    for line in lines {
        assert!(direct(&line).is_some(), "{line}");
    }
}

#[test]
fn nesting_past_the_limit_is_refused_as_through_a_value() {
    for depth in [1, 100, 126, 127, 128, 129, 200] {
        let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert_same(&users(&[&nested])[0]);
        assert_same(&with_head(&[&format!(r#","deep":{nested}"#)])[0]);
    }
}

/// The lines of a generated month.
fn month_lines(seed: u64, events: usize) -> Vec<String> {
    let month = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
    let mut options = GenerateOptions::new(seed, month);
    options.users = 30;
    options.events = events;
    let mut out = Vec::new();
    let written = generate(&options).write_jsonl(&mut out);
    assert!(written.is_ok());
    let text = String::from_utf8(out).unwrap_or_default();
    text.lines().map(str::to_string).collect()
}

#[test]
fn a_generated_month_reads_the_same_directly() {
    let lines = month_lines(2026, 3_000);
    assert!(lines.len() > 2_000);
    for line in &lines {
        assert_eq!(direct(line), Some(through_value(line)), "{line}");
    }
}

#[test]
fn the_reader_gives_what_value_reading_gave_with_a_byte_order_mark() {
    let mut lines: Vec<String> = WHOLE.iter().map(|line| line.to_string()).collect();
    lines.retain(|line| !line.trim().is_empty());
    lines.extend(with_head(REST));
    lines[0] = format!("\u{feff}{}", lines[0]);
    lines.push(format!("\u{feff}{}", lines[1]));
    let text = lines.join("\n");
    let records = JsonLines::new(text.as_bytes(), "t.jsonl", ReadOptions::default());
    let got: Vec<Reading> = records.map(record_outcome).collect();
    let expected: Vec<Reading> = lines
        .iter()
        .enumerate()
        .map(|(i, line)| through_value(if i == 0 { &line[3..] } else { line }))
        .collect();
    assert_eq!(got, expected);
}

fn record_outcome(record: Record) -> Reading {
    match record {
        Record::Event(event) => Ok(event),
        Record::Rejected(r) => Err((r.code.name, r.message)),
        Record::Ignored(kind) => Err(("ignored", kind)),
    }
}

/// A member's JSON text: scalars of every kind, escapes, lists, objects.
fn member_value() -> impl Strategy<Value = String> {
    let scalar = prop_oneof![
        Just("null".to_string()),
        any::<bool>().prop_map(|b| b.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| format!("{f:e}")),
        "[a-z0-9 :.\\-\"\\\\/åä😀\u{1}-]{0,12}".prop_map(|s| Json::String(s).to_string()),
        Just(r#""2026-03-01T08:00:00Z""#.to_string()),
        Just(r#""2026-03-01T09:00:00+01:00""#.to_string()),
        Just(r#""10.0.0.1""#.to_string()),
        Just(r#""success""#.to_string()),
        Just(r#""\u00e5\n""#.to_string()),
    ];
    scalar.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..3)
                .prop_map(|v| format!("[{}]", v.join(","))),
            proptest::collection::vec(inner, 0..3).prop_map(|v| object_text(&v)),
        ]
    })
}

/// An object of `values`, each named `k`.
fn object_text(values: &[String]) -> String {
    let members: Vec<String> = values.iter().map(|v| format!("\"k\":{v}")).collect();
    format!("{{{}}}", members.join(","))
}

/// A member name: mostly canonical names, so that names repeat.
fn member_name() -> impl Strategy<Value = String> {
    let others = ["extra", "ward_pc", "us\\u0065r", "a"];
    let names = CANONICAL.into_iter().chain(others).map(str::to_string);
    proptest::sample::select(names.collect::<Vec<_>>())
}

proptest! {
    #[test]
    fn generated_objects_read_as_through_a_value(
        members in proptest::collection::vec((member_name(), member_value()), 0..16),
    ) {
        let members: Vec<String> = members.iter().map(|(n, v)| format!("\"{n}\":{v}")).collect();
        let line = format!("{{{}}}", members.join(","));
        let expected = through_value(&line);
        prop_assert_eq!(direct(&line), Some(expected), "{}", line);
    }

}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn generated_months_read_the_same_directly(seed in any::<u64>()) {
        for line in month_lines(seed, 300) {
            prop_assert_eq!(direct(&line), Some(through_value(&line)), "{}", line);
        }
    }
}

/// The `.jsonl` files under `dir`, at any depth.
fn jsonl_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files = Vec::new();
    for path in entries.flatten().map(|entry| entry.path()) {
        if path.is_dir() {
            files.extend(jsonl_files(&path));
        } else if path.extension().is_some_and(|ext| ext == "jsonl") {
            files.push(path);
        }
    }
    files
}

#[test]
fn the_repository_lines_read_as_through_a_value() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = jsonl_files(&root.join("tests/conformance"));
    files.extend(jsonl_files(&root.join("fuzz/corpus")));
    assert!(files.len() >= 10, "{files:?}");
    for file in files {
        let bytes = std::fs::read(&file).unwrap_or_default();
        for line in String::from_utf8_lossy(&bytes).lines() {
            assert_same(line.trim_start_matches('\u{feff}'));
        }
    }
}
