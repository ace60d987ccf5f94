//! `loggvakt run`: rules and events in, a report out.

use crate::{Failure, summary};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use loggvakt::codes;
use loggvakt::read::{self, CsvOptions, Format, ReadOptions};
use loggvakt::report::{CsvSettings, InputFile};
use loggvakt::{
    Context, Evaluation, Field, HtmlOptions, Lang, Options, Record, Rejection, Report, RuleSet,
};
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Arguments of `run`.
#[derive(clap::Args)]
pub struct Args {
    /// Rule files, or folders of `.vakt` files.
    #[arg(long, required = true, num_args = 1.., value_name = "FILE|DIR")]
    rules: Vec<PathBuf>,

    /// Event files to evaluate.
    #[arg(long, required = true, num_args = 1.., value_name = "FILE")]
    events: Vec<PathBuf>,

    /// The events' format: jsonl, fhir, csv, inera, atna, windows, keycloak or entra.
    /// Without it each file's name (.csv, .tsv) or first bytes choose.
    #[arg(long, value_name = "FORMAT")]
    format: Option<String>,

    /// How CSV files are read.
    #[command(flatten)]
    csv: Box<CsvFlags>,

    /// The local calendar month to evaluate, `YYYY-MM`; without it, the span of the input.
    #[arg(long, value_name = "YYYY-MM")]
    period: Option<String>,

    /// The IANA time zone, such as Europe/Stockholm; overrides the rule files' zone.
    #[arg(long, value_name = "ZONE")]
    tz: Option<String>,

    /// What to do with a record that cannot be read: skip (count it) or fail.
    #[arg(long, value_name = "MODE", default_value = "skip")]
    on_error: OnError,

    /// Copies of an event (same id, same content): drop (count each as rejected,
    /// `duplicate_event`) or keep (evaluate every copy; no memory per event id).
    #[arg(long, value_name = "MODE", default_value = "drop")]
    duplicates: Duplicates,

    /// Report files to write; the format follows the extension: .json, .csv
    /// (findings and samples) or .html (printable). May be repeated. Without it
    /// the JSON report goes to standard output.
    #[arg(long, num_args = 1.., value_name = "FILE")]
    out: Vec<PathBuf>,

    /// How the HTML report is written.
    #[command(flatten)]
    report: Box<ReportFlags>,

    /// The time written as the report's `generated_at`, RFC 3339; default now.
    #[arg(long, value_name = "TIME")]
    now: Option<String>,

    /// The seed of the samples: a number or any text. Without it, rules that
    /// sample get a fresh seed from the operating system, written in the report.
    #[arg(long, value_name = "SEED", allow_hyphen_values = true, value_parser = seed)]
    seed: Option<String>,

    /// Overrides a parameter the rule files declare; may be repeated.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    params: Vec<String>,

    /// A folder of context data: users, patients, care relations, drugs, lists
    /// (docs/context.md). Without it every user and patient is unknown.
    #[arg(long, value_name = "DIR")]
    context: Option<PathBuf>,
}

/// What the report names and the language of its HTML form.
#[derive(clap::Args)]
pub struct ReportFlags {
    /// The organisation whose logs are reviewed, named in the report.
    #[arg(long, value_name = "NAME")]
    pub organisation: Option<String>,

    /// The language of the HTML report: en (English) or sv (Swedish).
    #[arg(long, value_name = "LANG", default_value = "en")]
    pub lang: String,
}

impl ReportFlags {
    /// The HTML options, or a coded error for an unknown language.
    pub fn html(&self) -> Result<HtmlOptions, Failure> {
        let lang = self.lang.parse::<Lang>().map_err(|e| {
            Failure::input(format!(
                "error[LV0407]: {e}\n  = help: use `--lang en` or `--lang sv`"
            ))
        })?;
        Ok(HtmlOptions {
            lang,
            organisation: self.organisation.clone(),
        })
    }
}

/// The options of `run` that only CSV input uses.
#[derive(clap::Args)]
pub struct CsvFlags {
    /// CSV: the column of a canonical field, FIELD=COLUMN; repeat it or separate pairs
    /// with commas. A field left out is read from a column of its own name.
    #[arg(long, value_name = "FIELD=COLUMN")]
    map: Vec<String>,

    /// CSV: a file of FIELD=COLUMN lines (blank lines and lines starting with # are
    /// skipped); `--map` pairs override it.
    #[arg(long, value_name = "FILE")]
    map_file: Option<PathBuf>,

    /// CSV: the field delimiter, one character; `tab` or `\t` for a tab. Default `,`,
    /// and a tab for .tsv files.
    #[arg(long, value_name = "CHAR")]
    delimiter: Option<String>,

    /// CSV: the quote character. Default `"`.
    #[arg(long, value_name = "CHAR")]
    quote: Option<String>,
}

/// What happens to unreadable records.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnError {
    /// Count them in the report and go on.
    Skip,
    /// Stop at the first, with its location.
    Fail,
}

/// What happens to copies of an event.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Duplicates {
    /// Evaluate the first copy, count the others as rejected.
    Drop,
    /// Evaluate every copy.
    Keep,
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
    /// Whether to show progress on standard error (only on a terminal).
    pub progress: bool,
}

/// How CSV files are read, from the command line.
#[derive(Clone, Default)]
pub struct CsvArgs {
    /// The mapping, delimiter and quote.
    pub options: CsvOptions,
    /// `--delimiter` was given: it holds for `.tsv` files too.
    pub delimiter_given: bool,
}

/// Runs `loggvakt run`.
pub fn main(args: Args, quiet: bool) -> Result<(), Failure> {
    let html = args.report.html()?;
    check_outputs(&args.out)?;
    let mut job = job(&args)?;
    job.progress = !quiet;
    warn_about_rules(&job.rules, quiet);
    let csv = csv_args(&args.csv)?;
    csv_options_apply(&args.csv, &job.events)?;
    let reads_context = job.rules.reads_context() && job.options.context.is_none();
    let report = execute_with(job, &csv)?;
    write_outputs(&report, &args.out, &html)?;
    if !quiet {
        crate::say(&summary::render(&report, &args.out));
    }
    if reads_context && !quiet {
        crate::say(
            "note: no context data was given, so rules that look up users, patients, \
             care relations or lists (user.units, related(), …) knew no one; give a \
             context folder with --context DIR\n",
        );
    }
    if report.input.evaluated == 0 {
        let why = if quiet {
            "the report's `input` section says why"
        } else {
            "the summary above says why"
        };
        let message = format!(
            "error[LV0316]: no event was evaluated, so the report is no all-clear; \
             {why} (the report was written)"
        );
        return Err(Failure::input(message));
    }
    Ok(())
}

/// Prints the rule files' warnings, such as unused parameters.
fn warn_about_rules(rules: &RuleSet, quiet: bool) {
    for (file, warning) in rules.warnings() {
        if !quiet {
            crate::say(&format!(
                "warning[{}]: {file}: {}\n",
                warning.code, warning.message
            ));
        }
    }
}

fn job(args: &Args) -> Result<Job, Failure> {
    let mut rules = RuleSet::from_paths(&args.rules).map_err(rule_failure)?;
    if rules.rules().next().is_none() {
        let message = "error[LV0219]: the rule files define no rules\n  \
                       = help: give `.vakt` files or folders holding them to `--rules`";
        return Err(Failure::rules(message));
    }
    override_params(&mut rules, &args.params)?;
    let zone = args.tz.as_deref().map(parse_zone).transpose()?;
    let period = args.period.as_deref().map(parse_period).transpose()?;
    let forced = args.format.as_deref().map(parse_format).transpose()?;
    let events = args
        .events
        .iter()
        .map(|p| (p.clone(), forced.unwrap_or(Format::detect(p))));
    let context = match &args.context {
        Some(dir) => Some(load_context(dir, rules.zone(zone))?),
        None => None,
    };
    let options = Options {
        zone,
        period,
        now: parse_now(args.now.as_deref())?,
        command: crate::command_line(),
        duplicates: args.duplicates == Duplicates::Drop,
        seed: args.seed.clone(),
        context,
        organisation: args.report.organisation.clone(),
        ..Options::default()
    };
    Ok(Job {
        rules,
        events: events.collect(),
        options,
        on_error: args.on_error,
        progress: true,
    })
}

/// Loads the context folder; every problem in it stops the run, since
/// findings over part of a context would be wrong (exit code 2).
fn load_context(dir: &Path, zone: Tz) -> Result<Arc<Context>, Failure> {
    Context::load_dir(dir, zone).map(Arc::new).map_err(|error| {
        let mut text: Vec<String> = error.diagnostics.iter().map(coded).collect();
        let count = error.diagnostics.len();
        let noun = if count == 1 { "problem" } else { "problems" };
        text.push(format!(
            "error: the context in `{}` has {count} {noun}; nothing was evaluated",
            dir.display()
        ));
        Failure::input(text.join("\n"))
    })
}

/// Rules that do not check are exit code 1; rule files that cannot be read
/// are missing input, exit code 2.
fn rule_failure(error: loggvakt::RuleError) -> Failure {
    let unreadable = error.diagnostics.iter().any(|d| d.code == "LV0403");
    if unreadable {
        Failure::input(error.render())
    } else {
        Failure::rules(error.render())
    }
}

/// Applies `--param NAME=VALUE` overrides.
fn override_params(rules: &mut RuleSet, params: &[String]) -> Result<(), Failure> {
    for param in params {
        let Some((name, value)) = param.split_once('=') else {
            let message = format!(
                "error[LV0405]: `--param {param}` has no `=`\n  = help: write it as NAME=VALUE"
            );
            return Err(Failure::input(message));
        };
        rules
            .set_param(name.trim(), value.trim())
            .map_err(|d| Failure::input(coded(&d)))?;
    }
    Ok(())
}

/// A diagnostic without a source location, as one or two lines.
fn coded(diagnostic: &loggvakt::Diagnostic) -> String {
    let mut text = format!("error[{}]: {}", diagnostic.code, diagnostic.message);
    if let Some(help) = &diagnostic.help {
        text.push_str(&format!("\n  = help: {help}"));
    }
    text
}

impl CsvArgs {
    /// The CSV reading a report records, to read the files the same way.
    pub fn from_settings(settings: &CsvSettings) -> Result<CsvArgs, Failure> {
        let mut options = CsvOptions {
            mapping: settings.map.clone(),
            quote: one_byte(&settings.quote, "csv.quote")?,
            ..CsvOptions::default()
        };
        if let Some(text) = &settings.delimiter {
            options.delimiter = one_byte(text, "csv.delimiter")?;
        }
        Ok(CsvArgs {
            options,
            delimiter_given: settings.delimiter.is_some(),
        })
    }
}

/// A seed is a number or any text, but not nothing: an empty `--seed=` is
/// more likely a script's missing variable than a choice.
fn seed(text: &str) -> Result<String, String> {
    if text.is_empty() {
        return Err("the seed is empty; give a number or a text".to_string());
    }
    Ok(text.to_string())
}

/// Evaluates a job: reads every file in turn, streaming.
pub fn execute(job: Job) -> Result<Report, Failure> {
    execute_with(job, &CsvArgs::default())
}

/// Evaluates a job, reading CSV files as `csv` says.
pub fn execute_with(job: Job, csv: &CsvArgs) -> Result<Report, Failure> {
    std::thread::scope(|scope| {
        let files = &job.events;
        let beside = std::thread::Builder::new()
            .name("loggvakt-digest".to_string())
            .spawn_scoped(scope, move || digests(files));
        let mut evaluation = evaluate_files(&job, csv)?;
        let inputs = match beside {
            Ok(thread) => thread
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p)),
            Err(_) => digests(files),
        };
        evaluation.set_inputs(inputs?);
        Ok(evaluation.finish())
    })
}

/// Reads and evaluates every file of a job in turn, streaming.
fn evaluate_files<'r>(job: &'r Job, csv: &CsvArgs) -> Result<Evaluation<'r>, Failure> {
    let options = Options {
        csv: CsvSettings::of(&csv.options, csv.delimiter_given),
        split_rules: Options::can_split_rules(),
        ..job.options.clone()
    };
    let zone = job.rules.zone(options.zone);
    let read_options = ReadOptions {
        zone,
        csv: csv.options.clone(),
        ..ReadOptions::default()
    };
    let mut evaluation = job.rules.evaluation(options);
    let bar = progress_bar(job.progress);
    let names = input_names(&job.events);
    let mut done = 0;
    for ((path, format), name) in job.events.iter().zip(&names) {
        bar.set_message(name.clone());
        let read_options = read_options.for_file(path, csv.delimiter_given);
        let input = read::input(path).map_err(|e| unreadable(path, &e))?;
        let records = read::read(input, name, *format, &read_options);
        let mut screen = evaluation.screen();
        let records = read::ahead_with(records, name, move |r| screen.record(r));
        for record in records {
            if let (OnError::Fail, Some(rejection)) = (job.on_error, unreadable_record(&record)) {
                let d = rejection.to_diagnostic();
                return Err(Failure::input(format!("error[{}]: {}", d.code, d.message)));
            }
            evaluation.push_screened(record);
            done += 1;
            if done % PROGRESS_STEP == 0 {
                bar.set_position(done);
            }
        }
    }
    bar.finish_and_clear();
    Ok(evaluation)
}

/// Records between two updates of the progress spinner: a spinner that
/// is told of every record costs more than some rules do.
const PROGRESS_STEP: u64 = 4096;

/// The rejection of a record that could not be read; a second copy of an
/// event, which the duplicate check rejects, was read well.
fn unreadable_record(record: &Record) -> Option<&Rejection> {
    match record {
        Record::Rejected(r) if r.code != codes::DUPLICATE_EVENT => Some(r),
        _ => None,
    }
}

/// A spinner with the count of records and the time taken, drawn only when standard
/// error is a terminal.
fn progress_bar(shown: bool) -> indicatif::ProgressBar {
    if !shown {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner();
    let template = "{spinner} {msg}: {human_pos} records in {elapsed}";
    if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

/// A `.tsv` file is tab-separated unless `--delimiter` says otherwise.
/// The CSV options of `--map-file`, `--map`, `--delimiter` and `--quote`.
/// CSV options given for input that is not read as CSV would do nothing:
/// a mistake worth stopping for.
fn csv_options_apply(flags: &CsvFlags, events: &[(PathBuf, Format)]) -> Result<(), Failure> {
    let given = !flags.map.is_empty()
        || flags.map_file.is_some()
        || flags.delimiter.is_some()
        || flags.quote.is_some();
    let other = events.iter().find(|(_, format)| *format != Format::Csv);
    let Some((path, format)) = other.filter(|_| given) else {
        return Ok(());
    };
    let name = path.display();
    Err(Failure::input(format!(
        "error[LV0405]: CSV options are given, but `{name}` is read as {}\n  \
         = help: add `--format csv`, or name the file `.csv`",
        format.name()
    )))
}

pub fn csv_args(args: &CsvFlags) -> Result<CsvArgs, Failure> {
    let mut mapping = BTreeMap::new();
    if let Some(path) = &args.map_file {
        let text = std::fs::read_to_string(path).map_err(|e| unreadable(path, &e))?;
        let lines = text.lines().map(str::trim);
        for line in lines.filter(|l| !l.is_empty() && !l.starts_with('#')) {
            let (field, column) = map_pair(line, "--map-file")?;
            mapping.insert(field, column);
        }
    }
    for pair in args.map.iter().flat_map(|value| value.split(',')) {
        let (field, column) = map_pair(pair.trim(), "--map")?;
        mapping.insert(field, column);
    }

    let mut options = CsvOptions {
        mapping,
        ..CsvOptions::default()
    };
    if let Some(text) = &args.delimiter {
        options.delimiter = one_byte(text, "--delimiter")?;
    }
    if let Some(text) = &args.quote {
        options.quote = one_byte(text, "--quote")?;
    }
    if options.quote == options.delimiter {
        let message = "error[LV0405]: `--quote` and `--delimiter` are the same character";
        return Err(Failure::input(message));
    }
    Ok(CsvArgs {
        options,
        delimiter_given: args.delimiter.is_some(),
    })
}

/// Reads `FIELD=COLUMN`; the field must be canonical.
fn map_pair(pair: &str, option: &str) -> Result<(String, String), Failure> {
    let Some((field, column)) = pair.split_once('=') else {
        return Err(bad_option(
            &format!("`{option}` takes FIELD=COLUMN, found `{pair}`"),
            "write pairs such as time=EventTime,user=UserId",
        ));
    };
    let (field, column) = (field.trim(), column.trim());
    if Field::canonical(field).is_none() {
        let fields: Vec<&str> = Field::CANONICAL.iter().map(|(name, _)| *name).collect();
        let help = format!("the fields are {}", fields.join(", "));
        return Err(bad_option(
            &format!("unknown field `{field}` in `{option}`"),
            &help,
        ));
    }
    if column.is_empty() {
        let message = format!("`{option}` gives no column for `{field}`");
        return Err(bad_option(
            &message,
            "write the column's header after the `=`",
        ));
    }
    Ok((field.to_string(), column.to_string()))
}

/// One ASCII character; `tab` and `\t` are a tab.
fn one_byte(text: &str, option: &str) -> Result<u8, Failure> {
    match text {
        "tab" | "\\t" | "\t" => return Ok(b'\t'),
        _ => {}
    }
    match text.as_bytes() {
        [byte] if byte.is_ascii() => Ok(*byte),
        _ => Err(bad_option(
            &format!("`{option}` takes one ASCII character, found `{text}`"),
            "for a tab write `tab` or `\\t`",
        )),
    }
}

fn bad_option(message: &str, help: &str) -> Failure {
    Failure::input(format!("error[LV0405]: {message}\n  = help: {help}"))
}

/// The name each input goes by in locations and the report: its file
/// name, or the path as given when two inputs share a file name.
fn input_names(events: &[(PathBuf, Format)]) -> Vec<String> {
    let names: Vec<String> = events
        .iter()
        .map(|(path, _)| loggvakt::ruleset::file_name(path))
        .collect();
    events
        .iter()
        .zip(&names)
        .map(|((path, _), name)| {
            let shared = names.iter().filter(|n| *n == name).count() > 1;
            if shared {
                path.display().to_string()
            } else {
                name.clone()
            }
        })
        .collect()
}

fn digests(events: &[(PathBuf, Format)]) -> Result<Vec<InputFile>, Failure> {
    let names = input_names(events);
    events
        .iter()
        .zip(names)
        .map(|((path, format), name)| {
            let file = InputFile::of(path, *format).map_err(|e| unreadable(path, &e))?;
            Ok(InputFile { name, ..file })
        })
        .collect()
}

fn unreadable(path: &Path, error: &std::io::Error) -> Failure {
    Failure::input(format!(
        "error[LV0403]: cannot read `{}`: {error}",
        path.display()
    ))
}

/// The forms a report is written in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum OutputKind {
    Json,
    Csv,
    Html,
}

/// The form a file's extension names, or a coded error.
fn output_kind(path: &Path) -> Result<OutputKind, Failure> {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    match extension.to_ascii_lowercase().as_str() {
        "json" => Ok(OutputKind::Json),
        "csv" => Ok(OutputKind::Csv),
        "html" | "htm" => Ok(OutputKind::Html),
        _ => Err(unwritable(
            &path.display().to_string(),
            "reports are written as .json, .csv or .html",
        )),
    }
}

/// Refuses an output of an unknown form before anything is read.
fn check_outputs(outputs: &[PathBuf]) -> Result<(), Failure> {
    outputs
        .iter()
        .try_for_each(|path| output_kind(path).map(drop))
}

/// Writes the report to each file, in the format its extension names.
pub fn write_outputs(
    report: &Report,
    outputs: &[PathBuf],
    html: &HtmlOptions,
) -> Result<(), Failure> {
    if outputs.is_empty() {
        let mut stdout = std::io::stdout().lock();
        return stdout
            .write_all(report.to_json().as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(|e| unwritable("standard output", &e.to_string()));
    }
    for path in outputs {
        let text = match output_kind(path)? {
            OutputKind::Json => report.to_json(),
            OutputKind::Csv => report.to_csv(),
            OutputKind::Html => report.to_html(html),
        };
        let name = path.display().to_string();
        std::fs::write(path, text).map_err(|e| unwritable(&name, &e.to_string()))?;
    }
    Ok(())
}

fn unwritable(name: &str, why: &str) -> Failure {
    Failure::input(format!(
        "error[LV0406]: cannot write the report to `{name}`: {why}"
    ))
}

fn parse_zone(name: &str) -> Result<Tz, Failure> {
    loggvakt::time::parse_zone(name).ok_or_else(|| {
        let close = chrono_tz::TZ_VARIANTS
            .iter()
            .find(|z| z.name().eq_ignore_ascii_case(name))
            .map(|z| z.name());
        let help = match close {
            Some(zone) => format!("did you mean `{zone}`?"),
            None => "use an IANA name such as Europe/Stockholm".to_string(),
        };
        Failure::input(format!(
            "error[LV0402]: unknown time zone `{name}`\n  = help: {help}"
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
            "error[LV0404]: unknown format `{name}`\n  = help: use jsonl, fhir, csv, inera, atna, \
             windows, keycloak or entra"
        ))
    })
}

fn parse_now(text: Option<&str>) -> Result<DateTime<Utc>, Failure> {
    let Some(text) = text else {
        return Ok(Utc::now());
    };
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            let message = format!("error[LV0405]: `--now {text}` is not an RFC 3339 time");
            Failure::input(message + "\n  = help: write it like 2026-04-01T08:00:00+02:00")
        })
}
