//! `loggvakt demo`: the whole job on built-in data, with no input needed:
//! a generated month, its context folder, and the standard rules over both,
//! plus a small rule file that asks for a review sample.

use crate::generate::write_month;
use crate::run::{Job, OnError, ReportFlags, execute, write_outputs};
use crate::{Failure, summary};
use chrono::NaiveDate;
use loggvakt::generate::{GenerateOptions, generate};
use loggvakt::read::Format;
use loggvakt::ruleset::{STANDARD_PACK, STANDARD_PACK_NAME};
use loggvakt::{Context, Options, RuleSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The demo month's seed.
const SEED: u64 = 2026;

/// The demo's sampling directives. The standard pack samples nothing, so a
/// reviewer would get no sample to sign; the demo writes this file beside
/// the events and runs it with the pack, as a care provider would.
const SAMPLING_NAME: &str = "sampling.vakt";
const SAMPLING: &str = "\
# The demo's review sample: the standard pack samples nothing by itself.
# Five findings of each category, and a spot check of ordinary reads.

sample 5 findings per category
spot check 3 users, 2 events each where action == \"read\" and patient != null
";

/// Arguments of `demo`.
#[derive(clap::Args)]
pub struct Args {
    /// The folder for the generated events, their context and the report.
    #[arg(long, value_name = "DIR", default_value = "loggvakt-demo")]
    out: PathBuf,

    /// How the HTML report is written.
    #[command(flatten)]
    report: ReportFlags,
}

/// Generates a month, runs the standard rules on it and writes the report
/// as JSON and HTML.
pub fn main(args: &Args, quiet: bool) -> Result<(), Failure> {
    let html = args.report.html()?;
    let month = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
    let generated = generate(&GenerateOptions::new(SEED, month));
    write_month(&generated, &args.out)?;
    let rules = demo_rules(&args.out)?;
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
        organisation: args.report.organisation.clone(),
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
    let outputs = vec![args.out.join("report.json"), args.out.join("report.html")];
    write_outputs(&report, &outputs, &html)?;
    if !quiet {
        crate::say(&summary::render(&report, &outputs));
        crate::say(&verify_hint(&args.out));
    }
    Ok(())
}

/// The standard pack and the sampling file, written to `dir` so that the
/// report can be verified against them without the repository.
fn demo_rules(dir: &Path) -> Result<RuleSet, Failure> {
    let sources = [
        (STANDARD_PACK_NAME.to_string(), STANDARD_PACK.to_string()),
        (SAMPLING_NAME.to_string(), SAMPLING.to_string()),
    ];
    for (name, text) in &sources {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| {
            Failure::input(format!(
                "error[LV0406]: cannot write `{}`: {e}",
                path.display()
            ))
        })?;
    }
    RuleSet::from_sources(sources).map_err(|e| Failure::rules(e.render()))
}

/// The command that checks the demo's report against its files.
/// It names the program as it was started (`target/release/loggvakt` under
/// `cargo run`), so that it runs as printed.
fn verify_hint(dir: &Path) -> String {
    let at = |name: &str| dir.join(name).display().to_string();
    let program = std::env::args_os().next().map_or_else(
        || "loggvakt".to_string(),
        |p| p.to_string_lossy().into_owned(),
    );
    format!(
        "Check it later with: {program} verify {} --rules {} {} --events {} --context {}\n",
        at("report.json"),
        at(STANDARD_PACK_NAME),
        at(SAMPLING_NAME),
        at("events.jsonl"),
        at("context"),
    )
}
