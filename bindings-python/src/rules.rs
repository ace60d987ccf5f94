//! `RuleSet`: rule files read and checked, ready to evaluate.
//!
//! Reading never raises for a problem in the rules: the diagnostics are
//! kept, `check()` returns them, and `evaluate()`, `params` and
//! `set_param()` raise `RuleError` while there is an error.

use crate::context::PyContext;
use crate::diagnostics::{PyCheckResult, PyDiagnostic};
use crate::errors::rule_error;
use crate::options::{Raw, param_value};
use crate::report::PyReport;
use loggvakt::ast::Literal;
use loggvakt::{RuleError, RuleSet, check_source};
use pyo3::exceptions::{PyFileNotFoundError, PyOSError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

/// Rule files read and checked; the set itself when they have no errors.
#[pyclass(module = "loggvakt._native", name = "RuleSet", frozen)]
pub struct PyRuleSet {
    /// What each file's check found, then problems of the files together.
    diagnostics: Vec<PyDiagnostic>,
    /// The planned set, shared with running evaluations; replaced whole
    /// by `set_param`.
    set: Mutex<Option<Arc<RuleSet>>>,
    /// The files' names, for `repr`.
    files: Vec<String>,
}

impl PyRuleSet {
    /// Checks each source alone, as `loggvakt check` does, then builds the
    /// set from all of them together.
    fn from_sources(sources: Vec<(String, String)>) -> PyRuleSet {
        let mut diagnostics: Vec<PyDiagnostic> = Vec::new();
        for (name, text) in &sources {
            let found = check_source(text);
            diagnostics.extend(found.iter().map(|d| PyDiagnostic::new(name, d)));
        }
        let files = sources.iter().map(|(name, _)| name.clone()).collect();
        let set = match RuleSet::from_sources(sources) {
            Ok(set) => Some(Arc::new(set)),
            Err(error) => {
                add_missing(&mut diagnostics, &error);
                None
            }
        };
        PyRuleSet {
            diagnostics,
            set: Mutex::new(set),
            files,
        }
    }

    /// The set, or `RuleError` with every error found.
    pub fn usable(&self, py: Python<'_>) -> PyResult<Arc<RuleSet>> {
        let guard = self.set.lock().unwrap_or_else(PoisonError::into_inner);
        match guard.as_ref() {
            Some(set) if set.rules().next().is_some() => Ok(Arc::clone(set)),
            Some(_) => Err(rule_error(py, vec![no_rules()])),
            None => Err(rule_error(py, self.errors())),
        }
    }

    fn errors(&self) -> Vec<PyDiagnostic> {
        let errors = self.diagnostics.iter().filter(|d| d.severity == "error");
        errors.cloned().collect()
    }

    fn replace(&self, set: RuleSet) {
        let mut guard = self.set.lock().unwrap_or_else(PoisonError::into_inner);
        *guard = Some(Arc::new(set));
    }
}

/// Adds the errors of building the set that checking each file alone did
/// not find, such as a rule defined in two files.
fn add_missing(diagnostics: &mut Vec<PyDiagnostic>, error: &RuleError) {
    for diagnostic in &error.diagnostics {
        let found = PyDiagnostic::new(&error.file, diagnostic);
        let known = diagnostics
            .iter()
            .any(|d| d.code == found.code && d.line == found.line && d.file == found.file);
        if !known {
            diagnostics.push(found);
        }
    }
}

fn no_rules() -> PyDiagnostic {
    PyDiagnostic {
        code: "LV0219".into(),
        severity: "error".into(),
        message: "the rule files define no rules".into(),
        line: None,
        column: None,
        help: Some("give `.vakt` files or folders holding them".into()),
        file: String::new(),
    }
}

/// Reads the rule files `path` names, as the command line does: a file as
/// it is, a folder as every `.vakt` file under it, by name.
fn read_sources(path: &PathBuf) -> PyResult<Vec<(String, String)>> {
    if !path.exists() {
        let message = format!("no such rule file or folder: `{}`", path.display());
        let args = (2, message, path.display().to_string());
        return Err(PyFileNotFoundError::new_err(args));
    }
    let files = loggvakt::ruleset::rule_files(std::slice::from_ref(path))
        .map_err(|e| PyOSError::new_err(e.to_string()))?;
    let mut sources = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file)
            .map_err(|e| PyOSError::new_err(format!("cannot read `{}`: {e}", file.display())))?;
        sources.push((file.display().to_string(), text));
    }
    Ok(sources)
}

/// The `context` argument for an evaluation in `zone`: a folder loaded as
/// `--context DIR` loads it, or a `Context`.
fn context_for(
    py: Python<'_>,
    value: Option<&Bound<'_, PyAny>>,
    zone: chrono_tz::Tz,
) -> PyResult<Option<Arc<loggvakt::Context>>> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    if let Ok(context) = value.cast::<PyContext>() {
        return context.get().for_zone(py, zone).map(Some);
    }
    let path = crate::context::as_path(value, "context").map_err(|_| {
        let found = crate::options::type_name(value);
        PyTypeError::new_err(format!(
            "`context` must be a loggvakt.Context or a folder's path, not {found}"
        ))
    })?;
    crate::context::load_dir(py, path, zone).map(Some)
}

#[pymethods]
impl PyRuleSet {
    #[staticmethod]
    fn from_file(py: Python<'_>, path: &Bound<'_, PyAny>) -> PyResult<PyRuleSet> {
        let path: PathBuf = path.extract().map_err(|_| {
            let found = crate::options::type_name(path);
            PyTypeError::new_err(format!("`path` must be a str or os.PathLike, not {found}"))
        })?;
        let sources = py.detach(|| read_sources(&path))?;
        Ok(py.detach(|| PyRuleSet::from_sources(sources)))
    }

    #[staticmethod]
    #[pyo3(signature = (text, *, name = "rules.vakt"))]
    fn from_string(py: Python<'_>, text: &Bound<'_, PyAny>, name: &str) -> PyResult<PyRuleSet> {
        let text = text.cast::<PyString>().map_err(|_| {
            let found = crate::options::type_name(text);
            PyTypeError::new_err(format!("`text` must be a str, not {found}"))
        })?;
        let sources = vec![(name.to_string(), text.to_string())];
        Ok(py.detach(|| PyRuleSet::from_sources(sources)))
    }

    fn check(&self) -> PyCheckResult {
        PyCheckResult::new(self.diagnostics.clone())
    }

    #[getter]
    fn rules(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        let set = self.usable(py)?;
        Ok(set.rules().map(|r| r.name.clone()).collect())
    }

    #[getter]
    fn params<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let set = self.usable(py)?;
        let dict = PyDict::new(py);
        for (name, value) in set.params() {
            match value {
                Literal::Text(text) => dict.set_item(name, text)?,
                Literal::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => {
                    dict.set_item(name, *n as i64)?
                }
                Literal::Number(n) => dict.set_item(name, *n)?,
                Literal::Bool(b) => dict.set_item(name, *b)?,
                Literal::Null => dict.set_item(name, py.None())?,
            }
        }
        Ok(dict)
    }

    fn set_param(&self, py: Python<'_>, name: &str, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let value = param_value(value)?;
        let mut set = RuleSet::clone(&*self.usable(py)?);
        set.set_param(name, &value)
            .map_err(|d| rule_error(py, vec![PyDiagnostic::new("", &d)]))?;
        self.replace(set);
        Ok(())
    }

    #[pyo3(signature = (
        events, *, context = None, period = None, tz = None, seed = None, params = None,
        on_error = "skip",
        now = None, format = None, duplicates = "drop", csv_map = None,
        delimiter = None, quote = None
    ))]
    #[expect(clippy::too_many_arguments, reason = "the keyword options of evaluate")]
    fn evaluate(
        &self,
        py: Python<'_>,
        events: &Bound<'_, PyAny>,
        context: Option<&Bound<'_, PyAny>>,
        period: Option<&Bound<'_, PyAny>>,
        tz: Option<&Bound<'_, PyAny>>,
        seed: Option<&Bound<'_, PyAny>>,
        params: Option<&Bound<'_, PyAny>>,
        on_error: &str,
        now: Option<&Bound<'_, PyAny>>,
        format: Option<&Bound<'_, PyAny>>,
        duplicates: &str,
        csv_map: Option<&Bound<'_, PyAny>>,
        delimiter: Option<&Bound<'_, PyAny>>,
        quote: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyReport> {
        let raw = Raw {
            period,
            tz,
            params,
            on_error,
            now,
            format,
            duplicates,
            csv_map,
            delimiter,
            quote,
            seed,
        };
        let mut options = raw.read()?;
        let mut set = self.usable(py)?;
        if !options.params.is_empty() {
            let mut changed = RuleSet::clone(&*set);
            for (name, value) in &options.params {
                changed
                    .set_param(name, value)
                    .map_err(|d| rule_error(py, vec![PyDiagnostic::new("", &d)]))?;
            }
            set = Arc::new(changed);
        }
        options.context = context_for(py, context, set.zone(options.zone))?;
        let report = crate::evaluate::evaluate(py, &set, events, &options)?;
        PyReport::new(py, report)
    }

    fn __repr__(&self) -> String {
        let guard = self.set.lock().unwrap_or_else(PoisonError::into_inner);
        match guard.as_ref() {
            Some(set) => format!(
                "<RuleSet {} rule(s) from {}>",
                set.rules().count(),
                self.files.join(", ")
            ),
            None => format!("<RuleSet with {} error(s)>", self.errors().len()),
        }
    }
}
