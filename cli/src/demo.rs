//! `loggvakt demo`: the whole job on built-in data, with no input needed:
//! a generated month, its context folder, and the standard rules over both.

use crate::generate::write_month;
use crate::run::{Job, OnError, execute, write_outputs};
use crate::{Failure, summary};
use chrono::NaiveDate;
use loggvakt::generate::{GenerateOptions, generate};
use loggvakt::read::Format;
use loggvakt::{Context, Options, RuleSet};
use std::path::PathBuf;
use std::sync::Arc;

/// The demo month's seed.
const SEED: u64 = 2026;

/// Arguments of `demo`.
#[derive(clap::Args)]
pub struct Args {
    /// The folder for the generated events, their context and the report.
    #[arg(long, value_name = "DIR", default_value = "loggvakt-demo")]
    out: PathBuf,
}

/// Generates a month, runs the standard rules on it and writes the report.
pub fn main(args: &Args, quiet: bool) -> Result<(), Failure> {
    let month = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
    let generated = generate(&GenerateOptions::new(SEED, month));
    write_month(&generated, &args.out)?;
    let rules = RuleSet::standard().map_err(|e| Failure::rules(e.render()))?;
    let context_dir = args.out.join("context");
    let context = Context::load_dir(&context_dir, rules.zone(None)).map_err(|e| {
        Failure::input(format!(
            "error: the generated context in `{}` cannot be read: {e}",
            context_dir.display()
        ))
    })?;
    let options = Options {
        context: Some(Arc::new(context)),
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
