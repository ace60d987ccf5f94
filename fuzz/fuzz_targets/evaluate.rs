//! Fuzzes evaluation: events read as JSON Lines from arbitrary bytes go
//! through a fixed rule set that uses every kind of window and aggregate,
//! and the report is written as JSON.
#![no_main]
#![allow(
    clippy::expect_used,
    reason = "a fixed rule set that does not load is a bug of the target"
)]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use loggvakt::{Format, Options, Record, RuleSet};
use loggvakt_fuzz::{json_lines, records};
use std::sync::LazyLock;

/// The rules every input is evaluated with.
const RULES: &str = include_str!("../rules.vakt");

static RULE_SET: LazyLock<RuleSet> =
    LazyLock::new(|| RuleSet::from_source("fuzz.vakt", RULES).expect("fuzz/rules.vakt loads"));

fuzz_target!(|data: &[u8]| {
    let mut count = 0usize;
    let counted = records(data, Format::Jsonl).inspect(|_: &Record| count += 1);
    let report = RULE_SET.evaluate_records(counted, options(data));
    assert_eq!(count, json_lines(data), "records and lines differ");
    let _ = serde_json::to_vec(&report);
});

/// Odd-length inputs are evaluated as March 2026, even-length ones over
/// the span of their events, so both ways of choosing a period are covered.
fn options(data: &[u8]) -> Options {
    let period = (data.len() % 2 == 1)
        .then(|| NaiveDate::from_ymd_opt(2026, 3, 1))
        .flatten();
    Options {
        period,
        ..Options::default()
    }
}
