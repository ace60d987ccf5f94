//! Batches of events as JSON text, read into records as lines of a JSON
//! Lines file are, and the evaluation they go into.

use crate::errors::Failure;
use crate::options::{EvaluateOptions, OnError};
use loggvakt::read::{Location, Record, canonical};
use loggvakt::report::{CsvSettings, InputFile};
use loggvakt::{Evaluation, Options, RuleSet, codes};
use serde_json::Value as Json;
use std::sync::Arc;

/// How many events cross from JavaScript at a time.
pub const BATCH: u32 = 10_000;

/// The command written into reports made from Node.
const COMMAND: &str = "node: loggvakt.RuleSet.evaluate";

/// An evaluation with its `onError` rule and the count of records read.
pub struct Sink<'r> {
    evaluation: Evaluation<'r>,
    on_error: OnError,
    zone: chrono_tz::Tz,
    index: u64,
}

impl<'r> Sink<'r> {
    /// Starts evaluating `set` with `options` over `inputs`.
    pub fn new(
        set: &'r RuleSet,
        options: &EvaluateOptions,
        context: Option<Arc<loggvakt::Context>>,
        inputs: Vec<InputFile>,
    ) -> Sink<'r> {
        let core = Options {
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
                .and_then(|c| CsvSettings::of(&c.options, c.delimiter_given)),
            context,
            split_rules: Options::can_split_rules(),
            ..Options::default()
        };
        Sink {
            evaluation: set.evaluation(core),
            on_error: options.on_error,
            zone: set.zone(options.zone),
            index: 0,
        }
    }

    /// Takes one record; fails on a rejection when `onError` is `"fail"`.
    pub fn push(&mut self, record: Record) -> Result<(), Failure> {
        if let (OnError::Fail, Record::Rejected(rejection)) = (self.on_error, &record) {
            return Err(Failure::Event(Box::new(rejection.clone())));
        }
        self.evaluation.push_record(record);
        Ok(())
    }

    /// Takes a batch of `count` lines of JSON, one event each.
    pub fn push_lines(&mut self, text: &str, count: u32, source: &str) -> Result<(), Failure> {
        if count == 0 {
            return Ok(());
        }
        for line in text.split('\n') {
            self.index += 1;
            let location = Location::record(source, self.index);
            let record = record(line, self.zone, location);
            self.push(record)?;
        }
        Ok(())
    }

    /// Ends the pass.
    pub fn finish(self) -> loggvakt::Report {
        self.evaluation.finish()
    }
}

/// One line of JSON as a record; a line starting `!` is an event that
/// JavaScript could not write as JSON, with the reason.
fn record(line: &str, zone: chrono_tz::Tz, location: Location) -> Record {
    if let Some(reason) = line.strip_prefix('!') {
        let message = format!("the record cannot be written as JSON: {reason}");
        return Record::rejected(codes::INVALID_JSON, message, location);
    }
    match serde_json::from_str::<Json>(line) {
        Ok(Json::Object(object)) => match canonical::from_object(object, zone) {
            Ok(event) => Record::Event(event),
            Err(invalid) => Record::rejected(invalid.code, invalid.message, location),
        },
        Ok(other) => {
            let message = format!("the record is {}, not an object", kind(&other));
            Record::rejected(codes::NOT_AN_OBJECT, message, location)
        }
        Err(error) => {
            let message = format!("the record cannot be read: {error}");
            Record::rejected(codes::INVALID_JSON, message, location)
        }
    }
}

fn kind(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}
