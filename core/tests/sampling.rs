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
