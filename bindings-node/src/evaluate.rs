//! One evaluation: its inputs sorted out on the main thread, then events
//! from paths (read as `loggvakt run --events PATH…` reads them) or from
//! JavaScript values, a batch at a time.

use crate::errors::Failure;
use crate::events::{BATCH, Sink};
use crate::helpers::Helpers;
use crate::options::{EvaluateOptions, napi_failure, text, type_name};
use loggvakt::read::{self, Format, ReadOptions};
use loggvakt::report::InputFile;
use loggvakt::{Context, RuleSet};
use napi::bindgen_prelude::{FnArgs, FromNapiValue, Unknown};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What the `events` argument is.
pub enum Input {
    /// Files, by path.
    Paths(Vec<PathBuf>),
    /// An array or a synchronous iterable of event objects.
    Values,
    /// An async iterable of event objects.
    AsyncValues,
}

/// Sorts out the `events` argument.
pub fn input(helpers: &Helpers<'_>, events: &Unknown<'_>) -> Result<Input, Failure> {
    let kind = helpers.kind(events).map_err(napi_failure)?;
    match kind.as_str() {
        "path" => Ok(Input::Paths(vec![text(events, "events")?.into()])),
        "array" => array(events),
        "iterable" => Ok(Input::Values),
        "async" => Ok(Input::AsyncValues),
        "bytes" => Err(Failure::argument(
            "`events` must be a path, an array or an iterable of objects, not bytes; \
             write the bytes to a file or parse them first",
        )),
        _ if kind_of_object(events) => Err(Failure::argument(
            "`events` must be an array or an iterable of objects, not one object; wrap it \
             in an array",
        )),
        _ => Err(Failure::argument(format!(
            "`events` must be a path, an array or an iterable of objects, not {}",
            type_name(events)
        ))),
    }
}

fn kind_of_object(events: &Unknown<'_>) -> bool {
    events.get_type().ok() == Some(napi::ValueType::Object)
}

/// An array of strings is several paths, read in turn as `--events A B`
/// reads them; any other array holds events.
fn array(events: &Unknown<'_>) -> Result<Input, Failure> {
    let array = napi::bindgen_prelude::Array::from_unknown(*events).map_err(napi_failure)?;
    let first: Option<Unknown<'_>> = array.get(0).map_err(napi_failure)?;
    let is_text = |v: &Unknown<'_>| v.get_type().ok() == Some(napi::ValueType::String);
    if !first.as_ref().is_some_and(is_text) {
        return Ok(Input::Values);
    }
    let mut paths = Vec::new();
    for index in 0..array.len() {
        let item: Option<Unknown<'_>> = array.get(index).map_err(napi_failure)?;
        match item {
            Some(item) if is_text(&item) => paths.push(text(&item, "events")?.into()),
            _ => {
                let message = "`events` mixes paths and other values; give paths or events";
                return Err(Failure::argument(message));
            }
        }
    }
    Ok(Input::Paths(paths))
}

/// Refuses options that apply only to files when the input is not files.
pub fn refuse_file_options(options: &EvaluateOptions) -> Result<(), Failure> {
    if options.format.is_some() || options.csv.is_some() {
        let message = "`format` and the CSV options apply to paths; other inputs are \
                       events already";
        return Err(Failure::coded("LV0405", message));
    }
    Ok(())
}

/// The context of an evaluation, loaded in the zone in force.
pub fn context(set: &RuleSet, options: &EvaluateOptions) -> Result<Option<Arc<Context>>, Failure> {
    let zone = set.zone(options.zone);
    options.context.as_ref().map(|c| c.load(zone)).transpose()
}

/// Checks the event files and their formats before reading any.
pub fn files(
    paths: &[PathBuf],
    options: &EvaluateOptions,
) -> Result<Vec<(PathBuf, Format)>, Failure> {
    let mut files = Vec::new();
    for path in paths {
        if !path.is_file() {
            let message = format!("no such event file: `{}`", path.display());
            return Err(Failure::coded("LV0403", message));
        }
        let format = options.format.unwrap_or_else(|| Format::detect(path));
        files.push((path.clone(), format));
    }
    let other = files.iter().find(|(_, format)| *format != Format::Csv);
    if let (Some((path, format)), Some(_)) = (other, &options.csv) {
        return Err(Failure::coded(
            "LV0405",
            format!(
                "CSV options are given, but `{}` is read as {}; pass format: \"csv\" or \
                 name the file .csv",
                path.display(),
                format.name()
            ),
        ));
    }
    Ok(files)
}

/// Reads files as `loggvakt run --events PATH…` does; runs on any thread.
pub fn from_files(
    set: &RuleSet,
    files: &[(PathBuf, Format)],
    options: &EvaluateOptions,
) -> Result<loggvakt::Report, Failure> {
    let context = context(set, options)?;
    let inputs = files
        .iter()
        .map(|(path, format)| digest(path, *format))
        .collect::<Result<_, _>>()?;
    let mut sink = Sink::new(set, options, context, inputs);
    for (path, format) in files {
        let read_options = read_options(set, options, path);
        let records = read::open(path, *format, &read_options)
            .map_err(|d| Failure::coded("LV0403", d.message))?;
        let records = read::ahead(records, &loggvakt::ruleset::file_name(path));
        for record in records {
            sink.push(record)?;
        }
    }
    Ok(sink.finish())
}

fn digest(path: &Path, format: Format) -> Result<InputFile, Failure> {
    InputFile::of(path, format)
        .map_err(|e| Failure::coded("LV0403", format!("cannot read `{}`: {e}", path.display())))
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

/// Pulls events from an array or iterable on the main thread, a batch at a
/// time, and evaluates them there. A JavaScript exception from the
/// iterable comes back as it was thrown.
pub fn from_values(
    helpers: &Helpers<'_>,
    set: &RuleSet,
    events: Unknown<'_>,
    options: &EvaluateOptions,
) -> Result<Result<loggvakt::Report, Failure>, napi::Error> {
    let source = helpers.source_name(&events)?;
    let context = match context(set, options) {
        Ok(context) => context,
        Err(failure) => return Ok(Err(failure)),
    };
    let open = helpers.function::<Unknown<'_>, Unknown<'_>>("open")?;
    let take = helpers.function::<FnArgs<(Unknown<'_>, u32)>, (String, u32)>("takeSync")?;
    let state = open.call(events)?;
    let mut sink = Sink::new(set, options, context, Vec::new());
    loop {
        let (text, count) = take.call((state, BATCH).into())?;
        if let Err(failure) = sink.push_lines(&text, count, &source) {
            return Ok(Err(failure));
        }
        if count < BATCH {
            return Ok(Ok(sink.finish()));
        }
    }
}
