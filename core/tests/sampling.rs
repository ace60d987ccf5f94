//! The sampling specification is re-derived independently: a Python
//! script with its own ChaCha20 block function, written from
//! docs/sampling.md, must reproduce the document's test vectors — and so
//! must the library.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on any surprise"
)]

use loggvakt::sample::{Sampler, hex};
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// (seed, key, draw) rows of the document's test-vector table.
fn vectors() -> Vec<(String, String, String)> {
    let doc = std::fs::read_to_string(repo().join("docs/sampling.md")).unwrap();
    let section = doc.split("## Test vectors").nth(1).unwrap();
    section
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|line| {
            let cells: Vec<String> = line
                .trim_matches('|')
                .split('|')
                .map(|c| c.trim().trim_matches('`').replace('\u{241f}', "\u{1f}"))
                .collect();
            (cells[0].clone(), cells[1].clone(), cells[2].clone())
        })
        .collect()
}

#[test]
fn the_library_reproduces_the_documented_vectors() {
    let rows = vectors();
    assert_eq!(rows.len(), 6);
    for (seed, key, draw) in rows {
        assert_eq!(
            hex(Sampler::new(&seed).draw(&key)),
            draw,
            "{seed:?} {key:?}"
        );
    }
}

#[test]
fn an_independent_implementation_reproduces_them_from_the_document() {
    let out = Command::new("python3")
        .arg(repo().join("tests/sampling/rederive.py"))
        .arg(repo().join("docs/sampling.md"))
        .output()
        .expect("python3 runs (CI installs it)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("ok")).count(),
        6,
        "{stdout}"
    );
}

/// (seed, candidate key, draw) of every sample in the `sampling`
/// conformance case's expected report, keys built as docs/sampling.md says.
fn report_draws() -> Vec<(String, String, String)> {
    let case = repo().join("tests/conformance/sampling/expected.json");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(case).unwrap()).unwrap();
    let seed = report["seed"].as_str().unwrap().to_string();
    let mut rows = Vec::new();
    for category in report["samples"]["findings"].as_array().unwrap() {
        for chosen in category["selected"].as_array().unwrap() {
            let start =
                chrono::DateTime::parse_from_rfc3339(chosen["window_start"].as_str().unwrap());
            let mut key = format!("finding\u{1f}{}", chosen["rule"].as_str().unwrap());
            for (name, value) in chosen["key"].as_object().unwrap() {
                key.push_str(&format!("\u{1f}{name}={}", value.as_str().unwrap()));
            }
            key.push_str(&format!("\u{1f}{}", start.unwrap().timestamp()));
            rows.push((
                seed.clone(),
                key,
                chosen["draw"].as_str().unwrap().to_string(),
            ));
        }
    }
    for user in report["samples"]["spot_check"]["users"].as_array().unwrap() {
        let name = user["user"].as_str().unwrap();
        let draw = user["draw"].as_str().unwrap().to_string();
        rows.push((seed.clone(), format!("user\u{1f}{name}"), draw));
        for event in user["sampled"].as_array().unwrap() {
            if let Some(id) = event["id"].as_str() {
                let draw = event["draw"].as_str().unwrap().to_string();
                rows.push((seed.clone(), format!("event\u{1f}{id}"), draw));
            }
        }
    }
    rows
}

#[test]
fn the_draws_in_a_report_follow_the_document() {
    let rows = report_draws();
    assert_eq!(rows.len(), 4 + 2 + 3);
    let input: String = rows
        .iter()
        .map(|(seed, key, draw)| format!("{seed}\t{key}\t{draw}\n"))
        .collect();
    let mut child = Command::new("python3")
        .arg(repo().join("tests/sampling/rederive.py"))
        .arg("--stdin")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
}
