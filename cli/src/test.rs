//! `loggvakt test`: runs the rule tests kept beside the rules.

use crate::Failure;
use loggvakt::Finding;
use loggvakt::ruletest::{self, Expected, FileResults, Mismatch, Outcome};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Arguments of `test`.
#[derive(clap::Args)]
pub struct Args {
    /// Test files (`NAME.test.json`), rule files (tested by the `NAME.test.json`
    /// beside them), or folders (every `*.test.json` inside).
    #[arg(required = true, value_name = "FILE|DIR")]
    files: Vec<PathBuf>,
}

/// How many tests went which way.
#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
    errors: usize,
}

/// Runs every test of every file, prints one line per test and a diff per
/// failure; exit code 1 when a test fails, 2 when one cannot run.
pub fn main(args: &Args, quiet: bool) -> Result<(), Failure> {
    let files = test_files(&args.files)?;
    let mut tally = Tally::default();
    for path in &files {
        match ruletest::run_file(path) {
            Ok(results) => show(&results, &mut tally, quiet),
            Err(error) => {
                crate::say(&error.render());
                tally.errors += 1;
            }
        }
    }

    let mut summary = format!("{} passed, {} failed", tally.passed, tally.failed);
    if tally.errors > 0 {
        summary.push_str(&format!(", {} could not run", tally.errors));
        return Err(Failure::input(summary));
    }
    if tally.failed > 0 {
        return Err(Failure::rules(summary));
    }
    if !quiet {
        crate::say(&format!("{summary}\n"));
    }
    Ok(())
}

/// The test files the arguments name.
fn test_files(args: &[PathBuf]) -> Result<Vec<PathBuf>, Failure> {
    let mut files = Vec::new();
    for path in args {
        if path.is_dir() {
            let before = files.len();
            walk(path, &mut files)?;
            if files.len() == before {
                return Err(no_tests(
                    &format!("no `*.test.json` file under `{}`", path.display()),
                    "write tests for `NAME.vakt` in `NAME.test.json` beside it",
                ));
            }
        } else if path.extension().is_some_and(|x| x == "vakt") {
            files.push(beside(path)?);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

/// The test file of a rule file, which must exist.
fn beside(rule_file: &Path) -> Result<PathBuf, Failure> {
    let tests = ruletest::test_file_for(rule_file);
    if tests.is_file() {
        return Ok(tests);
    }
    Err(no_tests(
        &format!(
            "`{}` has no tests: `{}` is missing",
            rule_file.display(),
            tests.display()
        ),
        "write the tests beside the rule file; docs/rule-tests.md shows how",
    ))
}

fn no_tests(message: &str, help: &str) -> Failure {
    Failure::input(format!("error[LV0607]: {message}\n  = help: {help}"))
}

/// Every `*.test.json` under `dir`, subfolders included, in name order.
fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), Failure> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Failure::input(format!(
            "error[LV0403]: cannot read `{}`: {e}",
            dir.display()
        ))
    })?;
    let mut found: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    found.sort();
    for path in found {
        if path.is_dir() {
            walk(&path, files)?;
        } else if ruletest::is_test_file(&path) {
            files.push(path);
        }
    }
    Ok(())
}

/// Prints a file's results and counts them.
fn show(results: &FileResults, tally: &mut Tally, quiet: bool) {
    if !quiet {
        crate::say(&format!("{}\n", results.file));
    }
    for result in &results.results {
        match &result.outcome {
            Outcome::Passed => {
                tally.passed += 1;
                if !quiet {
                    crate::say(&format!("  ok      {}\n", result.name));
                }
            }
            Outcome::Failed(mismatch) => {
                tally.failed += 1;
                crate::say(&format!("  FAILED  {}\n", result.name));
                crate::say(&diff(mismatch));
            }
            Outcome::Error(problems) => {
                tally.errors += 1;
                crate::say(&format!("  ERROR   {}\n", result.name));
                for problem in problems {
                    let text = problem.render(&results.file, &results.text);
                    crate::say(&indent(&text, "      "));
                }
            }
        }
    }
}

/// The readable difference between expected and actual findings.
fn diff(mismatch: &Mismatch) -> String {
    let mut out = String::new();
    if !mismatch.missing.is_empty() {
        out.push_str("      expected, but did not come:\n");
        for expected in &mismatch.missing {
            out.push_str(&format!("        - {}\n", expectation(expected)));
        }
    }
    if !mismatch.unexpected.is_empty() {
        out.push_str("      came, but not expected:\n");
        for found in &mismatch.unexpected {
            out.push_str(&finding(found));
        }
    }
    for (expected, found) in &mismatch.ambiguous {
        out.push_str(&format!(
            "      expected once, but {} findings match (give more of `key` or `window`):\n",
            found.len()
        ));
        out.push_str(&format!("        - {}\n", expectation(expected)));
        out.push_str("        these findings match it:\n");
        for one in found {
            out.push_str(&indent(&finding(one), "    "));
        }
    }
    out
}

/// An expected finding, as the fields it gives.
fn expectation(expected: &Expected) -> String {
    let mut parts = vec![expected.rule.clone()];
    parts.extend(pairs(&expected.key));
    if let Some(window) = &expected.window {
        parts.push(format!("window {window}"));
    }
    parts.extend(values(&expected.values));
    if let Some(explanation) = &expected.explanation {
        parts.push(format!("explanation \"{explanation}\""));
    }
    parts.join("  ")
}

/// A finding as rule, key, window and values, with its explanation below.
fn finding(finding: &Finding) -> String {
    let mut parts = vec![finding.rule.clone()];
    parts.extend(pairs(&finding.key));
    parts.push(format!("window {}", ruletest::window_text(&finding.window)));
    parts.extend(values(&finding.values));
    format!(
        "        - {}\n          \"{}\"\n",
        parts.join("  "),
        finding.explanation
    )
}

fn pairs(key: &BTreeMap<String, String>) -> Vec<String> {
    key.iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect()
}

/// Values by name; whole numbers without a fraction, as in reports.
fn values(values: &BTreeMap<String, f64>) -> Vec<String> {
    let number = |v: f64| {
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            format!("{}", v as i64)
        } else {
            v.to_string()
        }
    };
    values
        .iter()
        .map(|(name, value)| format!("{name}={}", number(*value)))
        .collect()
}

fn indent(text: &str, by: &str) -> String {
    text.lines().map(|line| format!("{by}{line}\n")).collect()
}
