//! `loggvakt verify`: a report checked against its inputs, as an auditor
//! would check it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on any surprise"
)]

mod common;

use common::{loggvakt, repo, scratch, text};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A generated month, evaluated with its context and a seed: the folder
/// holds `m/events.jsonl`, `m/context/` and `report.json`.
fn month(name: &str) -> PathBuf {
    let dir = scratch(name);
    let generate = [
        "generate", "--seed", "11", "--period", "2026-03", "--users", "40", "--events", "4000",
        "--out", "m",
    ];
    assert!(loggvakt(&generate, &dir).status.success());
    let rules = standard();
    let run = [
        "run",
        "--rules",
        &rules,
        "--events",
        "m/events.jsonl",
        "--context",
        "m/context",
        "--period",
        "2026-03",
        "--seed",
        "audit-2026",
        "--out",
        "report.json",
    ];
    let out = loggvakt(&run, &dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
    dir
}

fn standard() -> String {
    repo().join("rules/standard.vakt").display().to_string()
}

fn verify(dir: &Path, events: &str) -> (Option<i32>, String) {
    let rules = standard();
    let args = [
        "verify",
        "report.json",
        "--rules",
        &rules,
        "--events",
        events,
        "--context",
        "m/context",
    ];
    let out = loggvakt(&args, dir);
    (out.status.code(), text(&out.stderr))
}

/// Rewrites one byte of the line that holds event `id`.
fn edit_byte(path: &Path, id: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let marker = format!("\"id\":\"{id}\"");
    let line = text
        .lines()
        .find(|l| l.contains(&marker))
        .expect("the event");
    assert_eq!(from.len(), to.len());
    let edited = line.replacen(from, to, 1);
    assert_ne!(line, edited, "{line}");
    std::fs::write(path, text.replacen(line, &edited, 1)).unwrap();
}

fn report(dir: &Path) -> Value {
    let text = std::fs::read_to_string(dir.join("report.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn the_same_inputs_verify() {
    let dir = month("verify-same");
    let (code, stderr) = verify(&dir, "m/events.jsonl");
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("inputs:  the same files"), "{stderr}");
    assert!(stderr.contains("results: the same findings"), "{stderr}");
}

#[test]
fn an_edit_that_changes_a_finding_is_shown() {
    let dir = month("verify-finding");
    let report = report(&dir);
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "access_denied")
        .expect("an access_denied finding");
    let id = finding["evidence"]["ids"][0].as_str().unwrap();
    let user = finding["key"]["user"].as_str().unwrap();
    let other = format!("{}x", &user[..user.len() - 1]);
    edit_byte(
        &dir.join("m/events.jsonl"),
        id,
        &format!("\"user\":\"{user}\""),
        &format!("\"user\":\"{other}\""),
    );

    let (code, stderr) = verify(&dir, "m/events.jsonl");

    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("inputs:  NOT the same files"), "{stderr}");
    assert!(
        stderr.contains("event file `events.jsonl` differs: sha256"),
        "{stderr}"
    );
    assert!(stderr.contains("results: DIFFERENT"), "{stderr}");
    assert!(
        stderr.contains(&format!("access_denied {{user={user}")),
        "{stderr}"
    );
    assert!(stderr.contains("error[LV0802]"), "{stderr}");
}

#[test]
fn an_edit_that_changes_no_result_changes_only_the_inputs() {
    let dir = month("verify-no-finding");
    let events = std::fs::read_to_string(dir.join("m/events.jsonl")).unwrap();
    let first = events.lines().next().unwrap();
    let id = first.split('"').nth(3).unwrap().to_string();
    edit_byte(
        &dir.join("m/events.jsonl"),
        &id,
        "\"system\":\"ehr\"",
        "\"system\":\"eHr\"",
    );

    let (code, stderr) = verify(&dir, "m/events.jsonl");

    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("inputs:  NOT the same files"), "{stderr}");
    assert!(
        stderr.contains("results: the same findings, samples and counts"),
        "{stderr}"
    );
}

#[test]
fn a_report_edited_afterwards_is_found() {
    let dir = month("verify-edited");
    let path = dir.join("report.json");
    let mut value = report(&dir);
    let findings = value["findings"].as_array_mut().unwrap();
    let removed = findings.remove(0);
    value["input"]["rejected"] = Value::from(7);
    std::fs::write(&path, serde_json::to_string(&value).unwrap()).unwrap();

    let (code, stderr) = verify(&dir, "m/events.jsonl");

    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("inputs:  the same files"), "{stderr}");
    let rule = removed["rule"].as_str().unwrap();
    assert!(
        stderr.contains(&format!("finding new: {rule} {{")),
        "{stderr}"
    );
    assert!(
        stderr.contains("input.rejected: 7 in the report, 0 now"),
        "{stderr}"
    );
}

#[test]
fn a_file_that_is_no_report_is_a_coded_error() {
    let dir = scratch("verify-bad");
    std::fs::write(dir.join("report.json"), "{\"schema\": 9}").unwrap();
    std::fs::write(dir.join("e.jsonl"), "").unwrap();
    let rules = standard();
    let args = [
        "verify",
        "report.json",
        "--rules",
        &rules,
        "--events",
        "e.jsonl",
    ];
    let out = loggvakt(&args, &dir);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("error[LV0801]"), "{stderr}");
    assert!(stderr.contains("schema is Some(9)"), "{stderr}");
}

#[test]
fn csv_is_read_again_as_the_report_says() {
    let dir = scratch("verify-csv");
    let case = repo().join("tests/conformance/csv");
    std::fs::copy(case.join("semicolon/events.csv"), dir.join("export.csv")).unwrap();
    let rules = case.join("rules.vakt").display().to_string();
    let map = "id=Händelse-id,time=Tidpunkt,user=Användare,action=Händelse,\
               outcome=Resultat,unit=Enhet,ip=IP-adress";
    let run = [
        "run",
        "--rules",
        &rules,
        "--events",
        "export.csv",
        "--map",
        map,
        "--delimiter",
        ";",
        "--out",
        "report.json",
    ];
    assert!(loggvakt(&run, &dir).status.success());
    let written = std::fs::read_to_string(dir.join("report.json")).unwrap();
    let value: Value = serde_json::from_str(&written).unwrap();
    assert_eq!(value["run"]["settings"]["csv"]["delimiter"], ";");
    assert_eq!(value["run"]["settings"]["csv"]["map"]["user"], "Användare");

    let args = [
        "verify",
        "report.json",
        "--rules",
        &rules,
        "--events",
        "export.csv",
    ];
    let out = loggvakt(&args, &dir);

    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}
