//! `loggvakt demo`: the whole job on built-in data, with no input needed.

use crate::generate::write_month;
use crate::run::{Job, OnError, execute, write_outputs};
use crate::{Failure, summary};
use chrono::NaiveDate;
use loggvakt::generate::{GenerateOptions, generate};
use loggvakt::read::Format;
use loggvakt::{Options, RuleSet};
use std::path::PathBuf;

/// The demo month's seed.
const SEED: u64 = 2026;

/// Arguments of `demo`.
#[derive(clap::Args)]
pub struct Args {
    /// The folder for the generated events and the report.
    #[arg(long, value_name = "DIR", default_value = "loggvakt-demo")]
    out: PathBuf,
}

/// Generates a month, runs the standard rules on it and writes the report.
pub fn main(args: &Args, quiet: bool) -> Result<(), Failure> {
    let month = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
    let generated = generate(&GenerateOptions::new(SEED, month));
    write_month(&generated, &args.out)?;
    let rules = RuleSet::standard().map_err(|e| Failure::rules(e.render()))?;
    let options = Options {
        period: Some(month),
        command: crate::command_line(),
        now: chrono::Utc::now(),
        seed: Some(SEED.to_string()),
        ..Options::default()
    };
    let events = vec![(args.out.join("events.jsonl"), Format::Jsonl)];
    let report = execute(Job {
        rules,
        events,
        options,
        on_error: OnError::Skip,
        progress: !quiet,
    })?;
    let outputs = vec![args.out.join("report.json")];
    write_outputs(&report, &outputs)?;
    if !quiet {
        crate::say(&summary::render(&report, &outputs));
    }
    Ok(())
}
