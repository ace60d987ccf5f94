//! `loggvakt verify`: does a report follow from its inputs?
//!
//! Two questions, answered separately: are the files given the ones the
//! report names (their SHA-256 digests), and does evaluating them again,
//! with the settings the report records, give exactly the report's results?

mod diff;
mod recorded;

use crate::run::{self, CsvArgs, Job, OnError};
use crate::{Failure, say};
use loggvakt::read::Format;
use loggvakt::report::{ContextFile, Digested, InputFile};
use loggvakt::{Context, Options, Report, RuleSet};
use recorded::Recorded;
use std::path::PathBuf;
use std::sync::Arc;

/// Arguments of `verify`.
#[derive(clap::Args)]
pub struct Args {
    /// The JSON report to verify.
    #[arg(value_name = "REPORT.json")]
    report: PathBuf,

    /// The rule files, or folders of `.vakt` files, the report was made with.
    #[arg(long, required = true, num_args = 1.., value_name = "FILE|DIR")]
    rules: Vec<PathBuf>,

    /// The event files the report was made from, in the same order.
    #[arg(long, required = true, num_args = 1.., value_name = "FILE")]
    events: Vec<PathBuf>,

    /// The context folder the report was made with, if any.
    #[arg(long, value_name = "DIR")]
    context: Option<PathBuf>,
}

/// Runs `loggvakt verify`: exit code 0 when the inputs are the same files
/// and the results match, 1 when either differs.
pub fn main(args: &Args) -> Result<(), Failure> {
    let recorded = Recorded::read(&args.report)?;
    let mut rules = RuleSet::from_paths(&args.rules).map_err(|e| Failure::input(e.render()))?;
    let mut changed = recorded.apply_params(&mut rules);
    let context = load_context(args, &recorded, &rules)?;
    let job = replay_job(args, &recorded, rules, context)?;
    let csv = match &recorded.csv {
        Some(settings) => CsvArgs::from_settings(settings)?,
        None => CsvArgs::default(),
    };
    let replayed = run::execute_with(job, &csv)?;

    changed.extend(changed_inputs(&recorded, &replayed));
    let differences = diff::results(&recorded.value, &replayed);
    say(&verdict(&args.report, &changed, &differences));
    if changed.is_empty() && differences.is_empty() {
        return Ok(());
    }
    Err(Failure::rules(
        "error[LV0802]: the report does not match its inputs",
    ))
}

/// The context folder, loaded in the report's zone.
fn load_context(
    args: &Args,
    recorded: &Recorded,
    rules: &RuleSet,
) -> Result<Option<Arc<Context>>, Failure> {
    let Some(dir) = &args.context else {
        return Ok(None);
    };
    let zone = rules.zone(recorded.zone);
    let context = Context::load_dir(dir, zone).map_err(|error| {
        Failure::input(format!(
            "error: the context in `{}` cannot be read: {error}",
            dir.display()
        ))
    })?;
    Ok(Some(Arc::new(context)))
}

/// The run the report records, over the files given.
fn replay_job(
    args: &Args,
    recorded: &Recorded,
    rules: RuleSet,
    context: Option<Arc<Context>>,
) -> Result<Job, Failure> {
    let events = args
        .events
        .iter()
        .enumerate()
        .map(|(i, path)| (path.clone(), recorded.format(i, path)))
        .collect::<Vec<(PathBuf, Format)>>();
    let options = Options {
        zone: recorded.zone,
        period: recorded.period,
        now: recorded.now,
        command: crate::command_line(),
        duplicates: recorded.duplicates,
        seed: recorded.seed.clone(),
        organisation: recorded.organisation.clone(),
        context,
        ..Options::default()
    };
    Ok(Job {
        rules,
        events,
        options,
        on_error: OnError::Skip,
        progress: false,
    })
}

/// The inputs whose digests differ from the report's, one line each.
fn changed_inputs(recorded: &Recorded, replayed: &Report) -> Vec<String> {
    let mut lines = Vec::new();
    let rules = |d: &Digested| (d.name.clone(), d.sha256.clone());
    let events = |f: &InputFile| (f.name.clone(), f.sha256.clone());
    let context = |f: &ContextFile| (f.name.clone(), f.sha256.clone());
    compare_files(
        "rule file",
        &recorded.rules,
        &replayed.rules.iter().map(rules).collect::<Vec<_>>(),
        &mut lines,
    );
    compare_files(
        "event file",
        &recorded.inputs,
        &replayed.inputs.iter().map(events).collect::<Vec<_>>(),
        &mut lines,
    );
    let files = replayed
        .context
        .as_ref()
        .map(|c| &c.files[..])
        .unwrap_or(&[]);
    compare_files(
        "context file",
        &recorded.context_files,
        &files.iter().map(context).collect::<Vec<_>>(),
        &mut lines,
    );
    lines
}

/// Compares (name, digest) lists in order and by name.
fn compare_files(
    kind: &str,
    report: &[(String, String)],
    given: &[(String, String)],
    lines: &mut Vec<String>,
) {
    for (name, digest) in report {
        match given.iter().find(|(n, _)| n == name) {
            None => lines.push(format!(
                "{kind} `{name}` is in the report but was not given"
            )),
            Some((_, now)) if now != digest => lines.push(format!(
                "{kind} `{name}` differs: sha256 {} in the report, {} now",
                short(digest),
                short(now)
            )),
            Some(_) => {}
        }
    }
    for (name, _) in given {
        if !report.iter().any(|(n, _)| n == name) {
            lines.push(format!(
                "{kind} `{name}` was given but is not in the report"
            ));
        }
    }
}

fn short(digest: &str) -> &str {
    digest.get(..12).unwrap_or(digest)
}

/// The two answers, in words.
fn verdict(report: &std::path::Path, changed: &[String], differences: &[String]) -> String {
    let mut text = format!("verify {}\n", report.display());
    if changed.is_empty() {
        text.push_str("  inputs:  the same files (every digest matches the report)\n");
    } else {
        text.push_str("  inputs:  NOT the same files\n");
        text.extend(changed.iter().map(|line| format!("    {line}\n")));
    }
    if differences.is_empty() {
        text.push_str("  results: the same findings, samples and counts as the report\n");
    } else {
        text.push_str("  results: DIFFERENT from the report\n");
        text.extend(differences.iter().map(|line| format!("    {line}\n")));
    }
    text
}
