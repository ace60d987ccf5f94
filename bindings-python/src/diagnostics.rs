//! Diagnostics as Python objects, and the result of `RuleSet.check()`.

use loggvakt::{Diagnostic, Severity};
use pyo3::prelude::*;

/// One coded problem in a rule file, or in an option.
#[pyclass(module = "loggvakt._native", name = "Diagnostic", frozen, get_all)]
#[derive(Clone)]
pub struct PyDiagnostic {
    /// The stable code, such as `LV0201`.
    pub code: String,
    /// `"error"` or `"warning"`.
    pub severity: String,
    /// One line saying what is wrong.
    pub message: String,
    /// The line of the fault, from 1, when it has a place.
    pub line: Option<usize>,
    /// The column of the fault in characters, from 1.
    pub column: Option<usize>,
    /// What to do about it, when that is known.
    pub help: Option<String>,
    /// The rule file it is in; empty when it is in no file.
    pub file: String,
}

impl PyDiagnostic {
    /// A diagnostic of the core, found in `file`.
    pub fn new(file: &str, diagnostic: &Diagnostic) -> PyDiagnostic {
        let span = diagnostic.span();
        PyDiagnostic {
            code: diagnostic.code.to_string(),
            severity: severity_name(diagnostic.severity).to_string(),
            message: diagnostic.message.clone(),
            line: span.map(|s| s.line),
            column: span.map(|s| s.column),
            help: diagnostic.help.clone(),
            file: file.to_string(),
        }
    }

    /// `file:line:column: [CODE] message`, on one line.
    pub fn headline(&self) -> String {
        format!("{}[{}] {}", self.place(), self.code, self.message)
    }

    fn place(&self) -> String {
        match (self.line, self.column) {
            (Some(line), Some(column)) if !self.file.is_empty() => {
                format!("{}:{line}:{column}: ", self.file)
            }
            _ if !self.file.is_empty() => format!("{}: ", self.file),
            _ => String::new(),
        }
    }
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

#[pymethods]
impl PyDiagnostic {
    fn __repr__(&self) -> String {
        format!(
            "<Diagnostic {} {} {}{}>",
            self.severity,
            self.code,
            self.place(),
            self.message
        )
    }

    fn __str__(&self) -> String {
        let mut text = format!(
            "{}[{}]: {}{}",
            self.severity,
            self.code,
            self.place(),
            self.message
        );
        if let Some(help) = &self.help {
            text.push_str(&format!("\n  = help: {help}"));
        }
        text
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<PyDiagnostic>().is_ok_and(|o| {
            let o = o.get();
            (&o.code, &o.message, o.line, o.column, &o.file)
                == (
                    &self.code,
                    &self.message,
                    self.line,
                    self.column,
                    &self.file,
                )
        })
    }
}

/// What `RuleSet.check()` found: every error and warning, file by file.
#[pyclass(module = "loggvakt._native", name = "CheckResult", frozen, get_all)]
pub struct PyCheckResult {
    /// Whether the rules can be evaluated: no diagnostic is an error.
    pub ok: bool,
    /// Every diagnostic, errors and warnings, in file and source order.
    pub diagnostics: Vec<PyDiagnostic>,
}

#[pymethods]
impl PyCheckResult {
    fn __repr__(&self) -> String {
        let errors = self.errors().len();
        let warnings = self.diagnostics.len() - errors;
        format!(
            "<CheckResult ok={} errors={errors} warnings={warnings}>",
            if self.ok { "True" } else { "False" }
        )
    }

    fn __bool__(&self) -> bool {
        self.ok
    }

    /// The diagnostics that are errors.
    #[getter]
    fn errors(&self) -> Vec<PyDiagnostic> {
        self.by_severity("error")
    }

    /// The diagnostics that are warnings.
    #[getter]
    fn warnings(&self) -> Vec<PyDiagnostic> {
        self.by_severity("warning")
    }
}

impl PyCheckResult {
    /// The result for these diagnostics.
    pub fn new(diagnostics: Vec<PyDiagnostic>) -> PyCheckResult {
        let ok = diagnostics.iter().all(|d| d.severity != "error");
        PyCheckResult { ok, diagnostics }
    }

    fn by_severity(&self, severity: &str) -> Vec<PyDiagnostic> {
        let wanted = self.diagnostics.iter().filter(|d| d.severity == severity);
        wanted.cloned().collect()
    }
}
