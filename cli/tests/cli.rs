//! The `loggvakt` command, run as a user runs it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on any surprise"
)]

mod common;

use common::{loggvakt, repo, scratch, text};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn without_run(json: &str) -> Value {
    let mut value: Value = serde_json::from_str(json).expect("JSON report");
    value.as_object_mut().expect("an object").remove("run");
    value
}

#[test]
fn check_points_at_the_broken_line_and_column() {
    let dir = scratch("check");
    let rules = "rule r {\n    title \"t\"\n    category pattern\n    severity low\n    where usr == \"a\"\n}\n";
    std::fs::write(dir.join("broken.vakt"), rules).expect("write");
    let out = loggvakt(&["check", "broken.vakt"], &dir);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("error[LV0201]: unknown field `usr`"),
        "{stderr}"
    );
    assert!(stderr.contains("--> broken.vakt:5:11"), "{stderr}");
    assert!(
        stderr.contains("5 |     where usr == \"a\"\n  |           ^^^"),
        "{stderr}"
    );
    assert!(stderr.contains("help: did you mean `user`?"), "{stderr}");
}

#[test]
fn check_reports_syntax_errors_with_location() {
    let dir = scratch("check-syntax");
    std::fs::write(
        dir.join("bad.vakt"),
        "rule r {\n  where action = \"read\"\n}\n",
    )
    .expect("write");
    let out = loggvakt(&["check", "bad.vakt"], &dir);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.contains("error[LV0101]"), "{stderr}");
    assert!(stderr.contains("--> bad.vakt:2:16"), "{stderr}");
}

#[test]
fn check_accepts_the_standard_pack() {
    let out = loggvakt(&["check", "rules/standard.vakt"], &repo());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn run_reproduces_every_conformance_case() {
    let root = repo().join("tests/conformance");
    let mut cases = Vec::new();
    collect(&root, &mut cases);
    assert!(cases.len() >= 3);
    for case_dir in cases {
        let case: Value = serde_json::from_str(
            &std::fs::read_to_string(case_dir.join("case.json")).expect("case"),
        )
        .expect("case JSON");
        if case["kind"] == "diagnostics" {
            check_reports_the_case(&case_dir, &case);
            continue;
        }
        let mut args = vec!["run".to_string(), "--rules".to_string()];
        args.extend(strings(&case["rules"]));
        args.push("--events".into());
        args.extend(strings(&case["events"]));
        for (option, name) in [
            ("--format", "format"),
            ("--period", "period"),
            ("--tz", "tz"),
            ("--seed", "seed"),
            ("--context", "context"),
        ] {
            if let Some(value) = case[name].as_str() {
                args.extend([option.to_string(), value.to_string()]);
            }
        }
        args.extend(csv_args(&case["csv"]));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = loggvakt(&args, &case_dir);
        let expected = std::fs::read_to_string(case_dir.join("expected.json")).expect("expected");
        let evaluated = without_run(&expected)["input"]["evaluated"].as_u64();
        let code = if evaluated == Some(0) { 2 } else { 0 };
        assert_eq!(
            out.status.code(),
            Some(code),
            "{}: {}",
            case_dir.display(),
            text(&out.stderr)
        );
        assert_eq!(
            without_run(&text(&out.stdout)),
            without_run(&expected),
            "{}",
            case_dir.display()
        );
    }
}

/// `check` on a diagnostics case prints each expected code at its place and
/// exits 1 when an error is among them.
fn check_reports_the_case(case_dir: &Path, case: &Value) {
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(case_dir.join("expected.json")).expect("expected"),
    )
    .expect("expected JSON");
    for file in strings(&case["rules"]) {
        let out = loggvakt(&["check", &file], case_dir);
        let stderr = text(&out.stderr);
        let wanted = expected[&file].as_array().expect("diagnostics");
        let errors = wanted.iter().any(|d| d["severity"] == "error");
        assert_eq!(out.status.code(), Some(i32::from(errors)), "{stderr}");
        for d in wanted {
            let head = format!(
                "[{}]: {}",
                d["code"].as_str().unwrap_or_default(),
                d["message"].as_str().unwrap_or_default()
            );
            let place = format!("{file}:{}:{}", d["line"], d["column"]);
            assert!(stderr.contains(&head), "{head} not in\n{stderr}");
            assert!(stderr.contains(&place), "{place} not in\n{stderr}");
        }
    }
}

/// A case's `csv` member as `--map`, `--delimiter` and `--quote`.
fn csv_args(csv: &Value) -> Vec<String> {
    let mut args = Vec::new();
    if let Some(map) = csv["map"].as_object() {
        for (field, column) in map {
            let column = column.as_str().expect("a column name");
            args.extend(["--map".to_string(), format!("{field}={column}")]);
        }
    }
    for (option, name) in [("--delimiter", "delimiter"), ("--quote", "quote")] {
        if let Some(value) = csv[name].as_str() {
            args.extend([option.to_string(), value.to_string()]);
        }
    }
    args
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn collect(dir: &Path, found: &mut Vec<PathBuf>) {
    if dir.join("case.json").exists() {
        found.push(dir.to_path_buf());
    }
    let mut children: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|e| e.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    children.sort();
    children
        .into_iter()
        .filter(|p| p.is_dir())
        .for_each(|p| collect(&p, found));
}

#[test]
fn run_fails_at_the_first_bad_record_when_asked() {
    let case = repo().join("tests/conformance/bad-input");
    let out = loggvakt(
        &[
            "run",
            "--rules",
            "rules.vakt",
            "--events",
            "events.jsonl",
            "--on-error",
            "fail",
        ],
        &case,
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr).trim(),
        "error[LV0302]: events.jsonl:2: required field `action` is missing"
    );
}

#[test]
fn bad_options_are_coded_errors() {
    let dir = repo();
    let cases: [(&[&str], &str); 9] = [
        (&["--period", "2026-13"], "error[LV0401]"),
        (
            &["--seed="],
            "error[LV0405]: invalid value '' for '--seed <SEED>'",
        ),
        (&["--tz", "Mars/Olympus"], "error[LV0402]"),
        (&["--format", "xml"], "error[LV0404]"),
        (&["--events", "no-such-file.jsonl"], "error[LV0403]"),
        (
            &["--map", "usr=User"],
            "error[LV0405]: unknown field `usr` in `--map`",
        ),
        (
            &["--map", "time=T,user"],
            "error[LV0405]: `--map` takes FIELD=COLUMN, found `user`",
        ),
        (
            &["--delimiter", ";;"],
            "error[LV0405]: `--delimiter` takes one ASCII character",
        ),
        (&["--map-file", "no-such-map.txt"], "error[LV0403]"),
    ];
    for (extra, expected) in cases {
        let mut args = vec![
            "run",
            "--rules",
            "rules/standard.vakt",
            "--events",
            "README.md",
        ];
        args.extend_from_slice(extra);
        let out = loggvakt(&args, &dir);
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        assert!(
            text(&out.stderr).starts_with(expected),
            "{extra:?}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn a_copy_of_an_event_is_no_reason_to_stop() {
    let dir = repo().join("tests/conformance/duplicates");
    let args = [
        "run",
        "--rules",
        "rules.vakt",
        "--events",
        "events.jsonl",
        "--period",
        "2026-03",
        "--on-error",
        "fail",
        "-q",
    ];
    let out = loggvakt(&args, &dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    let expected: Value =
        serde_json::from_slice(&std::fs::read(dir.join("expected.json")).unwrap_or_default())
            .unwrap_or_default();
    assert!(
        expected["input"]["rejected"].as_u64() > Some(0),
        "copies were rejected"
    );
    assert_eq!(report["input"], expected["input"]);
}

#[test]
fn a_seed_may_start_with_a_minus() {
    let dir = scratch("minus-seed");
    let events = repo().join("tests/conformance/aggregates/events.jsonl");
    let rules = repo().join("rules/standard.vakt");
    let out_file = dir.join("r.json");
    let args = [
        "run",
        "--rules",
        rules.to_str().unwrap_or_default(),
        "--events",
        events.to_str().unwrap_or_default(),
        "--seed",
        "-5",
        "--out",
        out_file.to_str().unwrap_or_default(),
        "-q",
    ];
    let out = loggvakt(&args, &dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: Value =
        serde_json::from_slice(&std::fs::read(&out_file).unwrap_or_default()).unwrap_or_default();
    assert_eq!(report["seed"], "-5");
}

#[test]
fn csv_reads_through_a_map_file_and_tsv_is_tab_separated() {
    let dir = scratch("csv-map-file");
    let rows = "When\tWho\tWhat\tWhere\n\
                2026-03-02 09:00:00\tanna\tread\tward-3\n\
                2026-03-02 09:05:00\terik\tread\n";
    std::fs::write(dir.join("events.tsv"), rows).expect("write");
    let map = "# Our export's columns\ntime = When\n\nuser=Who\naction=What\nunit=Where\n";
    std::fs::write(dir.join("columns.map"), map).expect("write");
    let rules = repo().join("rules/standard.vakt");
    let rules = rules.to_str().expect("a UTF-8 path");
    let args = [
        "run",
        "--rules",
        rules,
        "--events",
        "events.tsv",
        "--map-file",
        "columns.map",
    ];
    let out = loggvakt(&args, &dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report = without_run(&text(&out.stdout));
    assert_eq!(report["inputs"][0]["format"], "csv");
    assert_eq!(report["input"]["evaluated"], 1);
    assert_eq!(report["input"]["reasons"][0]["reason"], "bad_row");
    assert_eq!(
        report["input"]["reasons"][0]["locations"][0],
        "events.tsv:3"
    );

    let mut comma = args.to_vec();
    comma.extend(["--delimiter", ","]);
    let out = loggvakt(&comma, &dir);
    let report = without_run(&text(&out.stdout));
    assert_eq!(report["input"]["reasons"][0]["reason"], "bad_mapping");
}

#[test]
fn generate_is_reproducible_and_demo_writes_a_report() {
    let dir = scratch("generate");
    let args = [
        "generate", "--seed", "5", "--period", "2026-02", "--users", "30", "--events", "5000",
    ];
    let mut first = args.to_vec();
    first.extend(["--out", "a"]);
    let mut second = args.to_vec();
    second.extend(["--out", "b"]);
    assert!(loggvakt(&first, &dir).status.success());
    assert!(loggvakt(&second, &dir).status.success());
    let a = std::fs::read(dir.join("a/events.jsonl")).expect("a");
    let b = std::fs::read(dir.join("b/events.jsonl")).expect("b");
    assert!(a.len() > 100_000);
    assert_eq!(a, b);
    for file in [
        "truth.json",
        "context/users.csv",
        "context/patients.csv",
        "context/relations.csv",
        "context/drugs.csv",
    ] {
        let a = std::fs::read(dir.join("a").join(file)).expect(file);
        let b = std::fs::read(dir.join("b").join(file)).expect(file);
        assert!(!a.is_empty(), "{file}");
        assert_eq!(a, b, "{file}");
    }
    let rules = repo().join("rules/standard.vakt").display().to_string();
    let run = [
        "run",
        "--rules",
        &rules,
        "--events",
        "a/events.jsonl",
        "--context",
        "a/context",
        "-q",
    ];
    let out = loggvakt(&run, &dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = without_run(&text(&out.stdout));
    let found: BTreeSet<(String, String, String)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].to_string(),
                f["key"].to_string(),
                instant(&f["window"]["start"]),
            )
        })
        .collect();
    let truth: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("a/truth.json")).expect("truth"))
            .expect("JSON");
    let planted: BTreeSet<(String, String, String)> = truth["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .map(|v| {
            (
                v["rule"].to_string(),
                v["key"].to_string(),
                instant(&v["window"]),
            )
        })
        .collect();
    assert_eq!(found, planted);
    let near = truth["near_misses"].as_array().expect("near misses");
    assert!(!near.is_empty());
    for miss in near {
        let group = (
            miss["rule"].to_string(),
            miss["key"].to_string(),
            instant(&miss["window"]),
        );
        assert!(!found.contains(&group), "{miss}");
    }

    let out = loggvakt(&["demo", "--out", "demo"], &dir);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("Findings"), "{stderr}");
    let report: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("demo/report.json")).expect("report"),
    )
    .expect("JSON");
    let findings = report["findings"].as_array().expect("findings");
    assert!(!findings.is_empty());
    let truth: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("demo/truth.json")).expect("truth"))
            .expect("JSON");
    assert_eq!(
        findings.len(),
        truth["violations"].as_array().map_or(0, Vec::len)
    );
    let categories: BTreeSet<&str> = findings
        .iter()
        .filter_map(|f| f["category"].as_str())
        .collect();
    let all = ["narcotics", "pattern", "relation", "unauthorized"];
    assert_eq!(categories, all.into_iter().collect());
    assert!(
        report["context"]["files"]
            .as_array()
            .is_some_and(|f| f.len() == 4)
    );
    assert!(dir.join("demo/context/users.csv").is_file());

    // The demo samples, and its page has every category and the sample.
    assert!(
        stderr.contains("Report written to demo/report.html"),
        "{stderr}"
    );
    let sampled = findings.iter().filter(|f| f["sampled"] == true).count();
    assert_eq!(sampled, 5 + 2 + 5 + 5, "five a category, narcotics has two");
    let html = std::fs::read_to_string(dir.join("demo/report.html")).expect("html");
    for title in [
        "Unauthorized access",
        "Narcotics",
        "Breaks from ordinary patterns",
        "Reading without an obvious care relation",
    ] {
        assert!(html.contains(&format!("<h3>{title} ")), "{title}");
    }
    let spot = report["samples"]["spot_check"]["users"]
        .as_array()
        .expect("spot");
    let cases = sampled
        + spot
            .iter()
            .map(|u| u["sampled"].as_array().map_or(0, Vec::len))
            .sum::<usize>();
    assert_eq!(html.matches("<td class=\"blank\"></td>").count(), 2 * cases);

    // The summary's last line verifies the report; a one-byte change of the
    // events is then found.
    let hint = stderr.lines().last().expect("a last line");
    let command = hint.split("loggvakt ").nth(1).expect("the command");
    let verify: Vec<&str> = command.split(' ').collect();
    let out = loggvakt(&verify, &dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let events = dir.join("demo/events.jsonl");
    let mut bytes = std::fs::read(&events).expect("events");
    let at = bytes.len() / 2;
    bytes[at] = if bytes[at] == b'7' { b'8' } else { b'7' };
    std::fs::write(&events, bytes).expect("edit");
    let out = loggvakt(&verify, &dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("event file `events.jsonl` differs"),
        "{}",
        text(&out.stderr)
    );
}

/// An RFC 3339 instant in JSON, as UTC, so windows given with different
/// offsets compare.
fn instant(value: &Value) -> String {
    let text = value.as_str().unwrap_or_default();
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&chrono::Utc).to_rfc3339())
        .unwrap_or_default()
}

#[test]
fn parameters_are_overridden_from_the_command_line() {
    let dir = scratch("params");
    let rules = "param limit = 3\nrule r { title \"t\"; category unauthorized; severity low\n  \
                 where action == \"login\"; group by user; alert when count() >= limit }\n";
    std::fs::write(dir.join("p.vakt"), rules).expect("write");
    let line = r#"{"time":"2026-03-02T08:00:00Z","user":"u","action":"login"}"#;
    std::fs::write(dir.join("e.jsonl"), format!("{line}\n{line}\n")).expect("write");
    let base = ["run", "--rules", "p.vakt", "--events", "e.jsonl", "-q"];
    let findings = |extra: &[&str]| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        let out = loggvakt(&args, &dir);
        let report = without_run(&text(&out.stdout));
        (
            report["findings"].as_array().map_or(0, Vec::len),
            report["params"]["limit"].clone(),
        )
    };
    assert_eq!(findings(&[]), (0, serde_json::json!(3)));
    assert_eq!(findings(&["--param", "limit=2"]), (1, serde_json::json!(2)));
    let out = loggvakt(&[&base[..], &["--param", "limt=2"]].concat(), &dir);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("error[LV0218]: no parameter is named `limt`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `limit`?"), "{stderr}");
}

#[test]
fn a_run_without_rules_is_an_error_not_an_all_clear() {
    let dir = scratch("no-rules");
    std::fs::create_dir_all(dir.join("empty")).expect("folder");
    std::fs::write(dir.join("e.jsonl"), "").expect("write");
    let out = loggvakt(&["run", "--rules", "empty", "--events", "e.jsonl"], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).starts_with("error[LV0219]"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_closed_output_is_a_coded_error_not_a_crash() {
    let Ok(full) = std::fs::File::create("/dev/full") else {
        return;
    };
    let out = Command::new(env!("CARGO_BIN_EXE_loggvakt"))
        .args([
            "run",
            "--rules",
            "rules/standard.vakt",
            "--events",
            "README.md",
            "-q",
        ])
        .current_dir(repo())
        .stdout(full)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with("error[LV0406]"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_zone_in_the_wrong_case_gets_a_hint() {
    let out = loggvakt(
        &[
            "run",
            "--rules",
            "rules/standard.vakt",
            "--events",
            "README.md",
            "--tz",
            "europe/stockholm",
        ],
        &repo(),
    );
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("did you mean `Europe/Stockholm`?"),
        "{stderr}"
    );
}

#[test]
fn check_applies_the_checks_across_files_that_run_applies() {
    let dir = scratch("check-set");
    let rule = "rule same { title \"t\"; category pattern; severity low }\n";
    std::fs::write(dir.join("a.vakt"), rule).expect("write");
    std::fs::write(dir.join("b.vakt"), rule).expect("write");
    let out = loggvakt(&["check", "a.vakt", "b.vakt"], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("error[LV0204]"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn copies_are_dropped_by_default_and_kept_when_asked() {
    let case = repo().join("tests/conformance/duplicates");
    let base = ["run", "--rules", "rules.vakt", "--events", "events.jsonl"];
    let count = |extra: &[&str]| {
        let args: Vec<&str> = base.iter().chain(extra).copied().collect();
        let out = loggvakt(&args, &case);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let report = without_run(&text(&out.stdout));
        let input = &report["input"];
        let findings = report["findings"].as_array().map_or(0, Vec::len);
        (
            input["evaluated"].clone(),
            input["rejected"].clone(),
            findings,
        )
    };

    assert_eq!(count(&[]), (Value::from(8), Value::from(3), 2));
    let kept = count(&["--duplicates", "keep"]);
    assert_eq!(kept, (Value::from(11), Value::from(0), 3));
}

#[test]
fn the_standard_pack_passes_its_rule_tests() {
    let out = loggvakt(&["test", "rules/standard.vakt"], &repo());
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("  ok      five failed sign-ins on one day fire\n"),
        "{stderr}"
    );
    assert!(stderr.ends_with("30 passed, 0 failed\n"), "{stderr}");
    let by_folder = loggvakt(&["test", "rules"], &repo());
    assert_eq!(
        by_folder.status.code(),
        Some(0),
        "{}",
        text(&by_folder.stderr)
    );
}

#[test]
fn a_failing_rule_test_shows_what_was_missing_and_what_came() {
    let dir = scratch("ruletest-fail");
    let rules = "rule locked {\n  title \"Locked\"; category unauthorized; severity low\n  \
                 where action == \"lockout\"\n  explain \"{user} locked at {time}\"\n}\n";
    std::fs::write(dir.join("lock.vakt"), rules).expect("write");
    let tests = r#"{"tests": [
      {"name": "bo is locked", "expect": [{"rule": "locked", "key": {"user": "bo"}}],
       "events": [{"time": "2026-03-10T08:15:00+01:00", "user": "anna", "action": "lockout"}]},
      {"name": "nothing happens", "events": [], "expect": []}
    ]}"#;
    std::fs::write(dir.join("lock.test.json"), tests).expect("write");
    let out = loggvakt(&["test", "lock.vakt"], &dir);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let expected = "lock.test.json\n  \
                    FAILED  bo is locked\n      \
                    expected, but did not come:\n        \
                    - locked  user=bo\n      \
                    came, but not expected:\n        \
                    - locked  user=anna  window 2026-03-10T08:15:00+01:00\n          \
                    \"anna locked at 2026-03-10 08:15:00 +01:00\"\n  \
                    ok      nothing happens\n\
                    1 passed, 1 failed\n";
    assert_eq!(stderr, expected);
}

#[test]
fn a_broken_rule_test_is_a_coded_error_at_its_line() {
    let dir = scratch("ruletest-broken");
    std::fs::copy(
        repo().join("rules/standard.vakt"),
        dir.join("standard.vakt"),
    )
    .expect("copy");
    let tests = "{\"rules\": [\"standard.vakt\"], \"tests\": [\n  {\"name\": \"typo\",\n   \
                 \"expect\": [{\"rule\": \"locked_acount\"}],\n   \"events\": []}\n]}\n";
    std::fs::write(dir.join("broken.test.json"), tests).expect("write");
    let out = loggvakt(&["test", "broken.test.json"], &dir);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("error[LV0603]: no rule is named `locked_acount`"),
        "{stderr}"
    );
    assert!(stderr.contains("--> broken.test.json:3:24"), "{stderr}");
    assert!(
        stderr.contains("did you mean `locked_account`?"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("0 passed, 0 failed, 1 could not run\n"),
        "{stderr}"
    );

    std::fs::write(
        dir.join("bad.test.json"),
        "{\"tests\": [\n  {\"name\": 1,}\n]}",
    )
    .expect("write");
    let out = loggvakt(&["test", "bad.test.json", "missing.vakt"], &dir);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("error[LV0607]"), "{stderr}");
}

#[test]
fn fmt_check_accepts_the_rules_folder_as_it_is_committed() {
    let out = loggvakt(&["fmt", "--check", "rules"], &repo());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "");
}

#[test]
fn fmt_rewrites_a_file_once_and_then_leaves_it_alone() {
    let dir = scratch("fmt-rewrite");
    let untidy = "# Limits.\nparam limit=3;  # per day\nrule r{title \"T\";category pattern\n\
                  severity low;where action==\"read\"}\n";
    std::fs::write(dir.join("r.vakt"), untidy).expect("write");
    let first = loggvakt(&["fmt", "."], &dir);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    assert!(
        text(&first.stderr).contains("formatted"),
        "{}",
        text(&first.stderr)
    );
    let expected = "\
# Limits.
param limit = 3   # per day

rule r {
    title    \"T\"
    category pattern
    severity low
    where    action == \"read\"
}
";
    assert_eq!(
        std::fs::read_to_string(dir.join("r.vakt")).unwrap(),
        expected
    );
    let second = loggvakt(&["fmt", "r.vakt"], &dir);
    assert_eq!(second.status.code(), Some(0));
    assert_eq!(text(&second.stderr), "");
    assert_eq!(
        std::fs::read_to_string(dir.join("r.vakt")).unwrap(),
        expected
    );
    let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert_eq!(left.len(), 1, "no temporary file is left behind");
}

#[test]
fn fmt_check_names_a_file_that_would_change_and_writes_nothing() {
    let dir = scratch("fmt-check");
    let untidy = "param limit=3\n";
    std::fs::write(dir.join("tidy.vakt"), "param limit = 3\n").expect("write");
    std::fs::write(dir.join("untidy.vakt"), untidy).expect("write");
    let out = loggvakt(&["fmt", "--check", "tidy.vakt", "untidy.vakt"], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "untidy.vakt\n");
    assert!(text(&out.stderr).contains("1 file(s) would be reformatted"));
    assert_eq!(
        std::fs::read_to_string(dir.join("untidy.vakt")).unwrap(),
        untidy
    );
}

#[test]
fn fmt_refuses_a_broken_file_with_the_coded_error_and_leaves_it_alone() {
    let dir = scratch("fmt-broken");
    let broken = "rule r {\n  where action = \"read\"\n}\n";
    std::fs::write(dir.join("bad.vakt"), broken).expect("write");
    let out = loggvakt(&["fmt", "bad.vakt"], &dir);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.contains("error[LV0101]"), "{stderr}");
    assert!(stderr.contains("--> bad.vakt:2:16"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.join("bad.vakt")).unwrap(),
        broken
    );
    let missing = loggvakt(&["fmt", "missing.vakt"], &dir);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("error[LV0403]"));
}

#[test]
fn run_with_a_context_folder_finds_reads_without_a_relation() {
    let case = repo().join("tests/conformance/context");
    let args = [
        "run",
        "--rules",
        "rules.vakt",
        "--events",
        "events.jsonl",
        "--period",
        "2026-03",
        "--context",
        "context",
    ];
    let out = loggvakt(&args, &case);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("no context data was given"), "{stderr}");
    assert!(
        stderr.contains(
            "\nContext lists/vpn.cidr (1) · patients.csv (2) · relations.csv (2) · \
             users.csv (2) · countries iptocc 1.4.175 of 2026-11-01\n"
        ),
        "{stderr}"
    );

    let report: Value = serde_json::from_str(&text(&out.stdout)).expect("JSON report");
    let found: Vec<(String, String)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let rule = f["rule"].as_str().unwrap_or_default().to_string();
            (
                rule,
                f["evidence"]["ids"][0]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect();
    let expected = [
        ("read_from_third_country", "e4"),
        ("read_outside_own_units", "e4"),
        ("read_without_care_relation", "e4"),
        ("read_without_care_relation", "e3"),
    ];
    assert_eq!(found, expected.map(|(r, e)| (r.to_string(), e.to_string())));
    assert_eq!(report["context"]["files"][3]["name"], "users.csv");
    assert_eq!(report["context"]["files"][3]["rows"], 2);
}

#[test]
fn run_without_a_context_warns_and_reports_none() {
    let case = repo().join("tests/conformance/context");
    let args = ["run", "--rules", "rules.vakt", "--events", "events.jsonl"];
    let out = loggvakt(&args, &case);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("note: no context data was given"),
        "{stderr}"
    );
    assert!(!stderr.contains("\nContext "), "{stderr}");
    let report: Value = serde_json::from_str(&text(&out.stdout)).expect("JSON report");
    assert_eq!(report["context"], Value::Null);
}

#[test]
fn run_with_a_bad_context_lists_every_problem_and_evaluates_nothing() {
    let dir = scratch("bad-context");
    let context = dir.join("context");
    std::fs::create_dir_all(&context).expect("folder");
    std::fs::write(
        context.join("users.csv"),
        "id,employed_from\nanna,2026-02-30\n",
    )
    .expect("write");
    std::fs::write(context.join("patients.csv"), "id,protected\np1,ja\n").expect("write");
    std::fs::write(context.join("user.json"), "[]").expect("write");
    let rules = repo().join("tests/conformance/context/rules.vakt");
    let events = repo().join("tests/conformance/context/events.jsonl");
    let args = [
        "run",
        "--rules",
        rules.to_str().expect("path"),
        "--events",
        events.to_str().expect("path"),
        "--context",
        "context",
    ];
    let out = loggvakt(&args, &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let expected = "error[LV0509]: the context folder holds `user.json`, which is no context file\n  \
                    = help: did you mean `users.json`?\n\
                    error: the context in `context` has 1 problem; nothing was evaluated\n";
    assert_eq!(text(&out.stderr), expected);

    std::fs::remove_file(context.join("user.json")).expect("remove");
    let out = loggvakt(&args, &dir);
    let expected = "error[LV0511]: users.csv:2: `employed_from` is `2026-02-30`, which is not a date\n  \
                    = help: write a day as YYYY-MM-DD\n\
                    error[LV0512]: patients.csv:2: `protected` is `ja`, which is not true or false\n  \
                    = help: write true or false (yes/no and 1/0 are read too); empty means false\n\
                    error: the context in `context` has 2 problems; nothing was evaluated\n";
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stderr), expected);
}

#[test]
fn inputs_sharing_a_file_name_are_told_apart_and_an_empty_run_fails() {
    let dir = scratch("same-names");
    for part in ["a", "b"] {
        std::fs::create_dir_all(dir.join(part)).expect("folder");
        let lines =
            "{\"time\":\"2026-03-02T10:00:00Z\",\"user\":\"u\",\"action\":\"read\"}\n{broken\n";
        std::fs::write(dir.join(part).join("ev.jsonl"), lines).expect("write");
    }
    std::fs::copy(
        repo().join("rules/standard.vakt"),
        dir.join("standard.vakt"),
    )
    .expect("rules");
    let args = [
        "run",
        "--rules",
        "standard.vakt",
        "--events",
        "a/ev.jsonl",
        "b/ev.jsonl",
    ];
    let out = loggvakt(&args, &dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report = without_run(&text(&out.stdout));
    let names: Vec<&str> = report["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .filter_map(|i| i["name"].as_str())
        .collect();
    assert_eq!(names, ["a/ev.jsonl", "b/ev.jsonl"]);
    let locations = &report["input"]["reasons"][0]["locations"];
    assert_eq!(
        locations,
        &serde_json::json!(["a/ev.jsonl:2", "b/ev.jsonl:2"])
    );

    std::fs::write(dir.join("empty.jsonl"), "").expect("write");
    let empty = ["run", "--rules", "standard.vakt", "--events", "empty.jsonl"];
    let out = loggvakt(&empty, &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("error[LV0316]"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn run_writes_json_csv_and_html_at_once() {
    let dir = scratch("three-outputs");
    let case = repo().join("tests/conformance/sampling");
    let rules = case.join("rules.vakt");
    let events = case.join("events.jsonl");
    let args = [
        "run",
        "--rules",
        rules.to_str().unwrap(),
        "--events",
        events.to_str().unwrap(),
        "--seed",
        "7",
        "--now",
        "2026-04-01T08:00:00+02:00",
        "--organisation",
        "Vård & Co",
        "--lang",
        "sv",
        "--out",
        "r.json",
        "--out",
        "r.csv",
        "--out",
        "r.html",
    ];
    let out = loggvakt(&args, &dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).expect("written");
    let report: Value = serde_json::from_str(&read("r.json")).expect("JSON");
    assert_eq!(report["organisation"], "Vård & Co");

    let csv = read("r.csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("kind,category,rule,title,severity,key,"));
    let findings = report["findings"].as_array().map_or(0, Vec::len);
    let spot: usize = report["samples"]["spot_check"]["users"]
        .as_array()
        .map_or(0, |users| {
            users
                .iter()
                .map(|u| u["sampled"].as_array().map_or(0, Vec::len))
                .sum()
        });
    assert_eq!(lines.len(), 1 + findings + spot);
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with("spot_check_event,"))
            .count(),
        spot
    );

    let html = read("r.html");
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"sv\">"));
    assert!(html.contains("Vård &amp; Co"));
    assert!(html.contains("Fall att granska"));
}

#[test]
fn an_unknown_language_or_output_form_is_a_coded_error() {
    let dir = scratch("bad-output");
    let rules = repo().join("rules/standard.vakt");
    let events = repo().join("tests/conformance/sampling/events.jsonl");
    let base = [
        "run",
        "--rules",
        rules.to_str().unwrap(),
        "--events",
        events.to_str().unwrap(),
    ];
    let cases: [(&[&str], &str); 2] = [
        (
            &["--lang", "de", "--out", "r.html"],
            "error[LV0407]: unknown report language `de`",
        ),
        (
            &["--out", "r.pdf"],
            "error[LV0406]: cannot write the report to `r.pdf`",
        ),
    ];
    for (extra, expected) in cases {
        let out = loggvakt(&[&base[..], extra].concat(), &dir);
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        assert!(
            text(&out.stderr).starts_with(expected),
            "{}",
            text(&out.stderr)
        );
        assert!(!dir.join("r.html").exists() && !dir.join("r.pdf").exists());
    }
}
