//! `loggvakt run`: rules and events in, a report out.

use crate::{Failure, summary};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use loggvakt::read::{self, Format, ReadOptions};
use loggvakt::report::{InputFile, sha256_file};
use loggvakt::{Options, Record, Report, RuleSet};
use std::path::{Path, PathBuf};

/// Arguments of `run`.
#[derive(clap::Args)]
pub struct Args {
    /// Rule files, or folders of `.vakt` files.
    #[arg(long, required = true, num_args = 1.., value_name = "FILE|DIR")]
    rules: Vec<PathBuf>,

    /// Event files to evaluate.
    #[arg(long, required = true, num_args = 1.., value_name = "FILE")]
    events: Vec<PathBuf>,

    /// The events' format: jsonl or fhir; detected from the file name when left out.
    #[arg(long, value_name = "FORMAT")]
    format: Option<String>,

    /// The local calendar month to evaluate, `YYYY-MM`; without it, the span of the input.
    #[arg(long, value_name = "YYYY-MM")]
    period: Option<String>,

    /// The IANA time zone, such as Europe/Stockholm; overrides the rule files' zone.
    #[arg(long, value_name = "ZONE")]
    tz: Option<String>,

    /// What to do with a record that cannot be read: skip (count it) or fail.
    #[arg(long, value_name = "MODE", default_value = "skip")]
    on_error: OnError,

    /// Report files to write; the format follows the extension (.json).
    /// Without it the JSON report goes to standard output.
    #[arg(long, num_args = 1.., value_name = "FILE")]
    out: Vec<PathBuf>,

    /// The time written as the report's `generated_at`, RFC 3339; default now.
    #[arg(long, value_name = "TIME")]
    now: Option<String>,
}

/// What happens to unreadable records.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnError {
    /// Count them in the report and go on.
    Skip,
    /// Stop at the first, with its location.
    Fail,
}

/// Everything one run needs, from the command line or from `demo`.
pub struct Job {
    /// The rules.
    pub rules: RuleSet,
    /// Event files with their formats.
    pub events: Vec<(PathBuf, Format)>,
    /// The evaluation settings.
    pub options: Options,
    /// Unreadable records: skip or fail.
    pub on_error: OnError,
}

/// Runs `loggvakt run`.
pub fn main(args: Args, quiet: bool) -> Result<(), Failure> {
    let job = job(&args)?;
    let report = execute(job)?;
    write_outputs(&report, &args.out)?;
    if !quiet {
        eprint!("{}", summary::render(&report, &args.out));
    }
    Ok(())
}

fn job(args: &Args) -> Result<Job, Failure> {
    let rules = RuleSet::from_paths(&args.rules).map_err(|e| Failure::rules(e.render()))?;
    let zone = args.tz.as_deref().map(parse_zone).transpose()?;
    let period = args.period.as_deref().map(parse_period).transpose()?;
    let forced = args.format.as_deref().map(parse_format).transpose()?;
    let events = args
        .events
        .iter()
        .map(|p| (p.clone(), forced.unwrap_or(Format::detect(p))));
    let options = Options {
        zone,
        period,
        now: parse_now(args.now.as_deref())?,
        command: crate::command_line(),
        ..Options::default()
    };
    Ok(Job {
        rules,
        events: events.collect(),
        options,
        on_error: args.on_error,
    })
}

/// Evaluates a job: reads every file in turn, streaming.
pub fn execute(mut job: Job) -> Result<Report, Failure> {
    job.options.inputs = digests(&job.events)?;
    let zone = job.rules.zone(job.options.zone);
    let read_options = ReadOptions {
        zone,
        ..ReadOptions::default()
    };
    let mut evaluation = job.rules.evaluation(job.options.clone());
    for (path, format) in &job.events {
        let records = read::open(path, *format, &read_options)
            .map_err(|d| Failure::input(format!("error[{}]: {}", d.code, d.message)))?;
        for record in records {
            if let (OnError::Fail, Record::Rejected(rejection)) = (job.on_error, &record) {
                let d = rejection.to_diagnostic();
                return Err(Failure::input(format!("error[{}]: {}", d.code, d.message)));
            }
            evaluation.push_record(record);
        }
    }
    Ok(evaluation.finish())
}

fn digests(events: &[(PathBuf, Format)]) -> Result<Vec<InputFile>, Failure> {
    events
        .iter()
        .map(|(path, format)| {
            let sha256 = sha256_file(path).map_err(|e| unreadable(path, &e))?;
            let name = loggvakt::ruleset::file_name(path);
            Ok(InputFile {
                name,
                format: format.name().to_string(),
                sha256,
            })
        })
        .collect()
}

fn unreadable(path: &Path, error: &std::io::Error) -> Failure {
    Failure::input(format!(
        "error[LV0403]: cannot read `{}`: {error}",
        path.display()
    ))
}

/// Writes the report to each file, in the format its extension names.
pub fn write_outputs(report: &Report, outputs: &[PathBuf]) -> Result<(), Failure> {
    if outputs.is_empty() {
        print!("{}", report.to_json());
        return Ok(());
    }
    for path in outputs {
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if extension != "json" {
            let message = format!(
                "error: cannot write `{}`: reports are written as .json",
                path.display()
            );
            return Err(Failure::input(message));
        }
        std::fs::write(path, report.to_json()).map_err(|e| {
            Failure::input(format!("error: cannot write `{}`: {e}", path.display()))
        })?;
    }
    Ok(())
}

fn parse_zone(name: &str) -> Result<Tz, Failure> {
    loggvakt::time::parse_zone(name).ok_or_else(|| {
        Failure::input(format!(
            "error[LV0402]: unknown time zone `{name}`\n  = help: use an IANA name such as Europe/Stockholm"
        ))
    })
}

/// Reads `YYYY-MM` into the month's first day.
pub fn parse_period(text: &str) -> Result<NaiveDate, Failure> {
    loggvakt::time::parse_month(text).ok_or_else(|| {
        Failure::input(format!(
            "error[LV0401]: `{text}` is not a month\n  = help: write it as YYYY-MM, e.g. 2026-03"
        ))
    })
}

fn parse_format(name: &str) -> Result<Format, Failure> {
    Format::parse(name).ok_or_else(|| {
        Failure::input(format!(
            "error[LV0404]: unknown format `{name}`\n  = help: use jsonl or fhir"
        ))
    })
}

fn parse_now(text: Option<&str>) -> Result<DateTime<Utc>, Failure> {
    let Some(text) = text else {
        return Ok(Utc::now());
    };
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| Failure::input(format!("error: `--now {text}` is not an RFC 3339 time")))
}
