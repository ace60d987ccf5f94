//! One evaluation: events from a path, an Arrow stream or an iterable of
//! dicts, pushed through the core's evaluation as the command line pushes
//! the records of a file.

use crate::errors::{event_error, loggvakt_error};
use crate::options::{EvaluateOptions, OnError, type_name};
use loggvakt::read::canonical::Invalid;
use loggvakt::read::{self, Format, Location, ReadOptions, Record, Rejection};
use loggvakt::report::{self, InputFile};
use loggvakt::{Evaluation, Event, Options, Report, RuleSet, codes};
use pyo3::exceptions::{PyFileNotFoundError, PyTypeError, PyUserWarning, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};
use serde_json::{Map, Value as Json};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How many dicts are taken from a Python iterator at a time.
const BATCH: usize = 10_000;

/// The command written into reports made from Python.
const COMMAND: &str = "python: loggvakt.RuleSet.evaluate";

/// Why an evaluation stopped early.
enum Stop {
    /// A record could not be read and `on_error` is `"fail"`.
    Rejected(Box<Rejection>),
    /// The input could not be read at all.
    Failed(String),
}

impl Stop {
    fn into_err(self, py: Python<'_>) -> PyErr {
        match self {
            Stop::Rejected(rejection) => event_error(py, &rejection),
            Stop::Failed(message) => loggvakt_error(py, message),
        }
    }
}

/// An evaluation with its `on_error` rule.
struct Sink<'r> {
    evaluation: Evaluation<'r>,
    on_error: OnError,
}

impl Sink<'_> {
    fn push(&mut self, record: Record) -> Result<(), Stop> {
        if let (OnError::Fail, Record::Rejected(rejection)) = (self.on_error, &record) {
            return Err(Stop::Rejected(Box::new(rejection.clone())));
        }
        self.evaluation.push_record(record);
        Ok(())
    }
}

/// Evaluates `set` over `events`, whatever kind of input they are.
pub fn evaluate(
    py: Python<'_>,
    set: &Arc<RuleSet>,
    events: &Bound<'_, PyAny>,
    options: &EvaluateOptions,
) -> PyResult<Report> {
    if options.context.is_none() {
        warn_about_context(py, set)?;
    }
    if let Some(paths) = as_paths(events)? {
        return from_paths(py, set, &paths, options);
    }
    if options.format.is_some() || options.csv.is_some() {
        let message = "`format` and the CSV options apply to paths; other inputs are \
                       events already";
        return Err(PyValueError::new_err(message));
    }
    refuse_non_iterables(events)?;
    if events.hasattr("__arrow_c_stream__")? {
        return from_arrow(py, set, events, options);
    }
    from_dicts(py, set, events, options)
}

/// As the command line warns: rules that read context see no one.
fn warn_about_context(py: Python<'_>, set: &RuleSet) -> PyResult<()> {
    if !set.reads_context() {
        return Ok(());
    }
    let category = py.get_type::<PyUserWarning>();
    PyErr::warn(
        py,
        &category,
        c"the rules look up context data (user.units, patient.protected, related(), \
          country(), lists.NAME), but no context was given: every user and patient is \
          unknown and related() is false",
        1,
    )
}

/// A `str` or `os.PathLike` as one path; a non-empty list or tuple of them
/// as several, read in turn as `--events A B` reads them.
fn as_paths(events: &Bound<'_, PyAny>) -> PyResult<Option<Vec<PathBuf>>> {
    if is_path(events)? {
        return Ok(Some(vec![events.extract::<PathBuf>()?]));
    }
    let Ok(items) = events.extract::<Vec<Bound<'_, PyAny>>>() else {
        return Ok(None);
    };
    let sequence = events.is_instance_of::<PyList>() || events.is_instance_of::<PyTuple>();
    if !sequence || items.is_empty() {
        return Ok(None);
    }
    let mut paths = Vec::new();
    for item in &items {
        if !is_path(item)? {
            return Ok(None);
        }
        paths.push(item.extract::<PathBuf>()?);
    }
    Ok(Some(paths))
}

fn is_path(value: &Bound<'_, PyAny>) -> PyResult<bool> {
    Ok(value.is_instance_of::<PyString>() || value.hasattr("__fspath__")?)
}

fn refuse_non_iterables(events: &Bound<'_, PyAny>) -> PyResult<()> {
    let found = type_name(events);
    let message = if events.is_instance_of::<PyDict>() {
        "`events` must be an iterable of dicts, not one dict; wrap it in a list".to_string()
    } else if events.is_instance_of::<PyBytes>() {
        "`events` must be a path, a table or an iterable of dicts, not bytes".to_string()
    } else if events.hasattr("__arrow_c_stream__")? || events.try_iter().is_ok() {
        return Ok(());
    } else {
        format!("`events` must be a path, a table or an iterable of dicts, not {found}")
    };
    Err(PyTypeError::new_err(message))
}

fn core_options(options: &EvaluateOptions, inputs: Vec<InputFile>) -> Options {
    Options {
        zone: options.zone,
        period: options.period,
        now: options.now,
        command: COMMAND.to_string(),
        inputs,
        duplicates: options.duplicates,
        seed: options.seed.clone(),
        csv: options
            .csv
            .as_ref()
            .and_then(|c| report::CsvSettings::of(&c.options, c.delimiter_given)),
        context: options.context.clone(),
        split_rules: Options::can_split_rules(),
        ..Options::default()
    }
}

/// Reads files as `loggvakt run --events PATH…` does.
fn from_paths(
    py: Python<'_>,
    set: &RuleSet,
    paths: &[PathBuf],
    options: &EvaluateOptions,
) -> PyResult<Report> {
    let mut files = Vec::new();
    for path in paths {
        if !path.is_file() {
            let message = format!("no such event file: `{}`", path.display());
            let args = (2, message, path.display().to_string());
            return Err(PyFileNotFoundError::new_err(args));
        }
        files.push((
            path.as_path(),
            options.format.unwrap_or_else(|| Format::detect(path)),
        ));
    }
    refuse_csv_options(&files, options)?;
    let result = py.detach(|| {
        let inputs = files
            .iter()
            .map(|(p, f)| digest(p, *f))
            .collect::<Result<_, _>>()?;
        let mut sink = sink(set, options, inputs);
        for (path, format) in &files {
            let read_options = read_options(set, options, path);
            let records = read::open(path, *format, &read_options)
                .map_err(|d| Stop::Failed(format!("[{}] {}", d.code, d.message)))?;
            let records = read::ahead(records, &loggvakt::ruleset::file_name(path));
            records.into_iter().try_for_each(|r| sink.push(r))?;
        }
        Ok(sink.evaluation.finish())
    });
    result.map_err(|stop: Stop| stop.into_err(py))
}

fn digest(path: &Path, format: Format) -> Result<InputFile, Stop> {
    InputFile::of(path, format).map_err(|e| unreadable(path, &e))
}

/// The reading options for one file: the zone in force, the CSV options,
/// and a tab for a `.tsv` file unless a delimiter was given.
fn read_options(set: &RuleSet, options: &EvaluateOptions, path: &Path) -> ReadOptions {
    let csv = options.csv.as_ref();
    let read_options = ReadOptions {
        zone: set.zone(options.zone),
        csv: csv.map(|c| c.options.clone()).unwrap_or_default(),
        ..ReadOptions::default()
    };
    read_options.for_file(path, csv.is_some_and(|c| c.delimiter_given))
}

/// CSV options for a file not read as CSV would do nothing: a mistake.
fn refuse_csv_options(files: &[(&Path, Format)], options: &EvaluateOptions) -> PyResult<()> {
    let other = files.iter().find(|(_, format)| *format != Format::Csv);
    match (other, &options.csv) {
        (Some((path, format)), Some(_)) => Err(PyValueError::new_err(format!(
            "[LV0405] CSV options are given, but `{}` is read as {}; pass \
             format=\"csv\" or name the file .csv",
            path.display(),
            format.name()
        ))),
        _ => Ok(()),
    }
}

fn unreadable(path: &Path, error: &std::io::Error) -> Stop {
    Stop::Failed(format!(
        "[LV0403] cannot read `{}`: {error}",
        path.display()
    ))
}

fn sink<'r>(set: &'r RuleSet, options: &EvaluateOptions, inputs: Vec<InputFile>) -> Sink<'r> {
    Sink {
        evaluation: set.evaluation(core_options(options, inputs)),
        on_error: options.on_error,
    }
}

/// Reads an Arrow C stream (a pyarrow Table or RecordBatchReader, a pandas
/// or polars DataFrame) batch by batch, without Python per row.
fn from_arrow(
    py: Python<'_>,
    set: &RuleSet,
    events: &Bound<'_, PyAny>,
    options: &EvaluateOptions,
) -> PyResult<Report> {
    let source = type_name(events);
    let stream: pyo3_arrow::PyRecordBatchReader = events.extract()?;
    let reader = stream.into_reader()?;
    let zone = set.zone(options.zone);
    let result = py.detach(|| {
        let mut sink = sink(set, options, Vec::new());
        std::thread::scope(|scope| {
            let (sender, receiver) = std::sync::mpsc::sync_channel(AHEAD);
            scope.spawn(|| convert_batches(reader, zone, &source, sender));
            for converted in receiver {
                for record in converted? {
                    sink.push(record)?;
                }
            }
            Ok(())
        })?;
        Ok(sink.evaluation.finish())
    });
    result.map_err(|stop: Stop| stop.into_err(py))
}

/// Arrow batches converted ahead of the evaluation.
const AHEAD: usize = 4;

/// Turns the stream's batches into records on a thread of their own, so
/// that converting the next batch and evaluating the last one overlap.
/// Stops at the first batch that cannot be read, or when nobody listens.
fn convert_batches(
    reader: Box<dyn arrow_array::RecordBatchReader + Send>,
    zone: chrono_tz::Tz,
    source: &str,
    sender: std::sync::mpsc::SyncSender<Result<Vec<Record>, Stop>>,
) {
    let mut index = 0u64;
    for batch in reader {
        let batch = match batch {
            Ok(batch) => batch,
            Err(e) => {
                let _ = sender.send(Err(Stop::Failed(format!("cannot read `{source}`: {e}"))));
                return;
            }
        };
        for offset in (0..batch.num_rows()).step_by(SLICE) {
            let slice = batch.slice(offset, SLICE.min(batch.num_rows() - offset));
            let converted = crate::arrow::events(&slice, zone)
                .map_err(Stop::Failed)
                .map(|events| {
                    events
                        .into_iter()
                        .map(|event| {
                            index += 1;
                            located(event, source, index)
                        })
                        .collect()
                });
            let failed = converted.is_err();
            if sender.send(converted).is_err() || failed {
                return;
            }
        }
    }
}

/// Rows converted at a time: a DataFrame arrives as one batch of all its
/// rows, which would otherwise be converted whole before any is evaluated.
const SLICE: usize = 4096;

/// A JSON object through the canonical reader, located by record number.
fn canonical(object: Map<String, Json>, zone: chrono_tz::Tz, source: &str, index: u64) -> Record {
    located(read::canonical::from_object(object, zone), source, index)
}

/// An event read, or the reason it could not be, located by record number.
fn located(event: Result<Event, Invalid>, source: &str, index: u64) -> Record {
    match event {
        Ok(event) => Record::Event(event),
        Err(invalid) => {
            let location = Location::record(source, index);
            Record::rejected(invalid.code, invalid.message, location)
        }
    }
}

/// A dict read under the interpreter, waiting to be evaluated without it.
enum Pending {
    Object(Map<String, Json>),
    Rejected(codes::Code, String),
}

/// Pulls dicts from any iterable, `BATCH` at a time, holding the
/// interpreter only while it takes and converts a batch.
fn from_dicts(
    py: Python<'_>,
    set: &RuleSet,
    events: &Bound<'_, PyAny>,
    options: &EvaluateOptions,
) -> PyResult<Report> {
    let source = type_name(events);
    let zone = set.zone(options.zone);
    let mut iterator = events.try_iter()?;
    let mut sink = sink(set, options, Vec::new());
    let mut index = 0u64;
    loop {
        let batch = take_batch(&mut iterator)?;
        let done = batch.len() < BATCH;
        let pushed = py.detach(|| {
            for pending in batch {
                index += 1;
                let record = match pending {
                    Pending::Object(object) => canonical(object, zone, &source, index),
                    Pending::Rejected(code, message) => {
                        Record::rejected(code, message, Location::record(&source, index))
                    }
                };
                sink.push(record)?;
            }
            Ok(())
        });
        pushed.map_err(|stop: Stop| stop.into_err(py))?;
        if done {
            return Ok(py.detach(|| sink.evaluation.finish()));
        }
    }
}

fn take_batch(iterator: &mut Bound<'_, pyo3::types::PyIterator>) -> PyResult<Vec<Pending>> {
    let mut batch = Vec::with_capacity(BATCH);
    for item in iterator.by_ref().take(BATCH) {
        let item = item?;
        let pending = match item.cast::<PyDict>() {
            Ok(dict) => match crate::convert::object(dict) {
                Ok(object) => Pending::Object(object),
                Err(message) => Pending::Rejected(codes::WRONG_TYPE, message),
            },
            Err(_) => {
                let found = type_name(&item);
                let message = format!("the record is {found}, not a dict");
                Pending::Rejected(codes::NOT_AN_OBJECT, message)
            }
        };
        batch.push(pending);
    }
    Ok(batch)
}
