//! `RuleSet`: rule files read and checked, ready to evaluate.
//!
//! Reading never throws for a problem in the rules: the diagnostics are
//! kept, `check()` returns them, and `evaluate()`, `params` and
//! `setParam()` throw while there is an error.

use crate::diagnostics::{CheckResult, Diagnostic};
use crate::errors::Failure;
use crate::evaluate::{self, Input};
use crate::helpers::Helpers;
use crate::options::{Raw, napi_failure, param_value, plain_object, text};
use crate::report::Report;
use loggvakt::ast::Literal;
use loggvakt::{RuleError, check_source};
use napi::JsValue;
use napi::bindgen_prelude::{Object, Unknown};
use napi::{Env, Result};
use napi_derive::napi;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

/// Rule files read and checked: the set of rules when they have no errors,
/// and every diagnostic either way.
#[napi]
pub struct RuleSet {
    /// What each file's check found, then problems of the files together.
    diagnostics: Vec<Diagnostic>,
    /// The planned set, shared with running evaluations; replaced whole by
    /// `setParam`.
    set: Mutex<Option<Arc<loggvakt::RuleSet>>>,
}

impl RuleSet {
    /// Checks each source alone, as `loggvakt check` does, then builds the
    /// set from all of them together.
    fn from_sources(sources: Vec<(String, String)>) -> RuleSet {
        let mut diagnostics: Vec<Diagnostic> = Vec::new();
        for (name, text) in &sources {
            let found = check_source(text);
            diagnostics.extend(found.iter().map(|d| Diagnostic::new(name, d)));
        }
        let set = match loggvakt::RuleSet::from_sources(sources) {
            Ok(set) => Some(Arc::new(set)),
            Err(error) => {
                add_missing(&mut diagnostics, &error);
                None
            }
        };
        RuleSet {
            diagnostics,
            set: Mutex::new(set),
        }
    }

    /// The set, or a failure with every error found.
    fn usable(&self) -> std::result::Result<Arc<loggvakt::RuleSet>, Failure> {
        let guard = self.set.lock().unwrap_or_else(PoisonError::into_inner);
        match guard.as_ref() {
            Some(set) if set.rules().next().is_some() => Ok(Arc::clone(set)),
            Some(_) => Err(Failure::Rules(vec![no_rules()])),
            None => Err(Failure::Rules(self.errors())),
        }
    }

    fn errors(&self) -> Vec<Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect()
    }

    /// The set with `params` overridden, as `--param` overrides them.
    fn with_params(
        &self,
        params: &[(String, String)],
    ) -> std::result::Result<Arc<loggvakt::RuleSet>, Failure> {
        let set = self.usable()?;
        if params.is_empty() {
            return Ok(set);
        }
        let mut changed = loggvakt::RuleSet::clone(&set);
        for (name, value) in params {
            changed
                .set_param(name, value)
                .map_err(|d| Failure::Rules(vec![Diagnostic::new("", &d)]))?;
        }
        Ok(Arc::new(changed))
    }
}

/// Adds the errors of building the set that checking each file alone did
/// not find, such as a rule defined in two files.
fn add_missing(diagnostics: &mut Vec<Diagnostic>, error: &RuleError) {
    for diagnostic in &error.diagnostics {
        let found = Diagnostic::new(&error.file, diagnostic);
        let known = diagnostics
            .iter()
            .any(|d| d.code == found.code && d.line == found.line && d.file == found.file);
        if !known {
            diagnostics.push(found);
        }
    }
}

fn no_rules() -> Diagnostic {
    Diagnostic {
        code: "LV0219".into(),
        severity: "error".into(),
        message: "the rule files define no rules".into(),
        file: String::new(),
        line: None,
        column: None,
        help: Some("give `.vakt` files or folders holding them".into()),
    }
}

/// Reads the rule files `path` names, as the command line does: a file as
/// it is, a folder as every `.vakt` file under it, by name.
fn read_sources(path: &PathBuf) -> std::result::Result<Vec<(String, String)>, Failure> {
    if !path.exists() {
        let message = format!("no such rule file or folder: `{}`", path.display());
        return Err(Failure::coded("LV0403", message));
    }
    let files = loggvakt::ruleset::rule_files(std::slice::from_ref(path))
        .map_err(|e| Failure::coded("LV0403", e.to_string()))?;
    let mut sources = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).map_err(|e| {
            Failure::coded("LV0403", format!("cannot read `{}`: {e}", file.display()))
        })?;
        sources.push((file.display().to_string(), text));
    }
    Ok(sources)
}

/// The `name` option of `fromString`.
fn source_name(options: Option<Unknown<'_>>) -> std::result::Result<String, Failure> {
    let Some(options) = options.filter(|o| !crate::options::is_absent(o)) else {
        return Ok("rules.vakt".to_string());
    };
    let options = plain_object(options, "options")?;
    let name: Option<Unknown<'_>> = options.get("name").map_err(napi_failure)?;
    match name.filter(|n| !crate::options::is_absent(n)) {
        Some(name) => text(&name, "name"),
        None => Ok("rules.vakt".to_string()),
    }
}

/// Throws a failure as a JavaScript error.
fn thrown<T>(env: &Env, result: std::result::Result<T, Failure>) -> Result<T> {
    result.map_err(|failure| failure.into_error(env))
}

#[napi]
impl RuleSet {
    /// Reads rule files: a `.vakt` file, or a folder of them. Problems in
    /// the rules do not throw: see `check()`. Throws `LV0403` when the path
    /// does not exist and a `TypeError` (`LV0410`) when it is no string.
    #[napi(factory, catch_unwind, ts_args_type = "path: string")]
    pub fn from_file(env: Env, path: Unknown<'_>) -> Result<RuleSet> {
        let sources = text(&path, "path").and_then(|p| read_sources(&p.into()));
        Ok(RuleSet::from_sources(thrown(&env, sources)?))
    }

    /// Reads rules from text; `name` is the file name diagnostics give
    /// (`rules.vakt` by default).
    #[napi(
        factory,
        catch_unwind,
        ts_args_type = "text: string, options?: { name?: string }"
    )]
    pub fn from_string(
        env: Env,
        text: Unknown<'_>,
        options: Option<Unknown<'_>>,
    ) -> Result<RuleSet> {
        let source = crate::options::text(&text, "text");
        let name = source_name(options);
        let (source, name) = thrown(&env, source.and_then(|s| Ok((s, name?))))?;
        Ok(RuleSet::from_sources(vec![(name, source)]))
    }

    /// Every error and warning the rules have, without throwing; `ok` is
    /// false when one is an error.
    #[napi(catch_unwind)]
    pub fn check(&self) -> CheckResult {
        let ok = self.diagnostics.iter().all(|d| !d.is_error());
        CheckResult {
            ok,
            diagnostics: self.diagnostics.clone(),
        }
    }

    /// The names of the rules, in file order.
    #[napi(getter, catch_unwind)]
    pub fn rules(&self, env: Env) -> Result<Vec<String>> {
        let set = thrown(&env, self.usable())?;
        Ok(set.rules().map(|r| r.name.clone()).collect())
    }

    /// The parameters the rule files declare, with their values.
    #[napi(
        getter,
        catch_unwind,
        ts_return_type = "Record<string, string | number | boolean | null>"
    )]
    pub fn params<'env>(&self, env: &'env Env) -> Result<Object<'env>> {
        let set = thrown(env, self.usable())?;
        let mut object = Object::new(env)?;
        for (name, value) in set.params() {
            match value {
                Literal::Text(text) => object.set(name, text.as_str())?,
                Literal::Number(n) => object.set(name, *n)?,
                Literal::Bool(b) => object.set(name, *b)?,
                Literal::Null => object.set(name, napi::bindgen_prelude::Null)?,
            }
        }
        Ok(object)
    }

    /// Sets a parameter for later evaluations, as `--param NAME=VALUE`
    /// does; throws `LV0218` for an unknown name or a value of the wrong
    /// type.
    #[napi(catch_unwind, ts_args_type = "name: string, value: string | number")]
    pub fn set_param(&self, env: Env, name: Unknown<'_>, value: Unknown<'_>) -> Result<()> {
        let pair = text(&name, "name").and_then(|n| Ok((n, param_value(&value)?)));
        let (name, value) = thrown(&env, pair)?;
        let set = thrown(&env, self.with_params(&[(name, value)]))?;
        *self.set.lock().unwrap_or_else(PoisonError::into_inner) = Some(set);
        Ok(())
    }

    /// Evaluates the rules over `events` on the calling thread: a path (or
    /// an array of paths) to a file in any format the command line reads,
    /// or an array or iterable of event objects, read a batch at a time.
    /// Bad records are counted in the report (or throw with
    /// `onError: "fail"`); an exception from the iterable is rethrown.
    #[napi(
        catch_unwind,
        ts_args_type = "events: string | string[] | Iterable<EventObject>, options?: EvaluateOptions"
    )]
    pub fn evaluate(
        &self,
        env: Env,
        events: Unknown<'_>,
        options: Option<Unknown<'_>>,
    ) -> Result<Report> {
        let helpers = Helpers::new(&env)?;
        let prepared = self.prepare(&helpers, &events, options);
        let (set, input, options) = thrown(&env, prepared)?;
        let work = || match input {
            Input::Paths(paths) => Ok(evaluate::files(&paths, &options)
                .and_then(|files| evaluate::from_files(&set, &files, &options))),
            Input::Values => evaluate::from_values(&helpers, &set, events, &options),
            Input::AsyncValues => Ok(Err(Failure::argument(
                "`events` is an async iterable; use `evaluateAsync` for it",
            ))),
        };
        // A panic becomes `LV0412` here, with its message, rather than
        // napi's uncoded error.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
            .unwrap_or_else(|payload| Ok(Err(Failure::panic(payload.as_ref()))))?;
        thrown(&env, result).map(Report::new)
    }

    /// As `evaluate`, but the work runs on another thread and the result is
    /// a promise; `events` may also be an async iterable. Events are read
    /// a batch at a time, each taken by the evaluation before the next is
    /// read, so memory stays bounded however long the input.
    #[napi(
        catch_unwind,
        ts_args_type = "events: string | string[] | Iterable<EventObject> | AsyncIterable<EventObject>, options?: EvaluateOptions",
        ts_return_type = "Promise<Report>"
    )]
    pub fn evaluate_async<'env>(
        &self,
        env: &'env Env,
        events: Unknown<'env>,
        options: Option<Unknown<'env>>,
    ) -> Result<Unknown<'env>> {
        let helpers = Helpers::new(env)?;
        let prepared = self.prepare(&helpers, &events, options);
        let (set, input, options) = thrown(env, prepared)?;
        match input {
            Input::Paths(paths) => {
                let files = thrown(env, evaluate::files(&paths, &options))?;
                Ok(crate::worker::files(env, set, files, options)?.to_unknown())
            }
            Input::Values | Input::AsyncValues => {
                crate::worker::values(env, &helpers, set, events, options)
            }
        }
    }
}

impl RuleSet {
    /// The rules with overrides, the kind of input and the options, all
    /// checked before any event is read.
    fn prepare(
        &self,
        helpers: &Helpers<'_>,
        events: &Unknown<'_>,
        options: Option<Unknown<'_>>,
    ) -> std::result::Result<
        (
            Arc<loggvakt::RuleSet>,
            Input,
            crate::options::EvaluateOptions,
        ),
        Failure,
    > {
        let options = Raw::new(options, helpers)?.read()?;
        let set = self.with_params(&options.params)?;
        let input = evaluate::input(helpers, events)?;
        if !matches!(input, Input::Paths(_)) {
            evaluate::refuse_file_options(&options)?;
        }
        Ok((set, input, options))
    }
}
