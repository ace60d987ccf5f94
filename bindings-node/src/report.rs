//! `Report`: the result of an evaluation, the same report the command line
//! writes.

use crate::helpers::Helpers;
use crate::page::html_options;
use napi::bindgen_prelude::Unknown;
use napi::{Env, Error, Result, Status};
use napi_derive::napi;
use serde::Serialize;

/// The result of one evaluation. `toJSON()` gives the report as plain
/// objects, member for member the JSON the command line writes (schema in
/// docs/report.md), so `JSON.stringify(report)` is that JSON; the getters
/// give parts of it. Each read makes fresh objects.
#[napi]
pub struct Report {
    report: loggvakt::Report,
    text: String,
}

impl Report {
    /// Wraps a finished report.
    pub fn new(report: loggvakt::Report) -> Report {
        let text = report.to_json();
        Report { report, text }
    }
}

/// A part of the report as plain objects, keys in the order of the JSON
/// (which writes them through `serde_json::Value`, so sorted).
fn part<'env, T: Serialize>(env: &'env Env, value: &T) -> Result<Unknown<'env>> {
    let value = serde_json::to_value(value)
        .map_err(|e| Error::new(Status::GenericFailure, e.to_string()))?;
    let text = serde_json::to_string(&value)
        .map_err(|e| Error::new(Status::GenericFailure, e.to_string()))?;
    Helpers::new(env)?.parse(&text)
}

#[napi]
impl Report {
    /// The report as plain objects: what `JSON.stringify` writes.
    #[napi(js_name = "toJSON", catch_unwind, ts_return_type = "ReportJson")]
    pub fn to_json<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        Helpers::new(env)?.parse(&self.text)
    }

    /// The report as JSON text, exactly as `loggvakt run` writes it.
    #[napi(catch_unwind)]
    pub fn to_json_text(&self) -> String {
        self.text.clone()
    }

    /// The printable report: one self-contained HTML page for A4 with
    /// charts, the findings, the cases to review with empty decision
    /// columns and a sign-off, as `loggvakt run --out report.html` writes
    /// it. `lang` is `"en"` (default) or `"sv"` (another throws LV0407);
    /// `organisation` names the care provider in the header (default: the
    /// report's own).
    #[napi(
        catch_unwind,
        ts_args_type = "options?: { lang?: 'en' | 'sv'; organisation?: string }"
    )]
    pub fn to_html(&self, env: Env, options: Option<Unknown<'_>>) -> Result<String> {
        let options = html_options(options).map_err(|f| f.into_error(&env))?;
        Ok(self.report.to_html(&options))
    }

    /// The findings and the cases to review as one CSV table with a `kind`
    /// column, as `loggvakt run --out findings.csv` writes it.
    #[napi(catch_unwind)]
    pub fn to_csv(&self) -> String {
        self.report.to_csv()
    }

    /// The findings, sorted as in the report.
    #[napi(getter, catch_unwind, ts_return_type = "Finding[]")]
    pub fn findings<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        part(env, &self.report.findings)
    }

    /// The samples drawn: of findings per category, and the spot check.
    #[napi(getter, catch_unwind, ts_return_type = "Samples")]
    pub fn samples<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        part(env, &self.report.samples)
    }

    /// The seed of the samples; `null` when the rules sample nothing and
    /// no seed was given.
    #[napi(getter, catch_unwind)]
    pub fn seed(&self) -> Option<String> {
        self.report.seed.clone()
    }

    /// What was read: counts of records read, evaluated, rejected (with
    /// the reasons), outside the period and ignored.
    #[napi(getter, catch_unwind, ts_return_type = "InputSummary")]
    pub fn input<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        part(env, &self.report.input)
    }
}
