//! The report as Python objects: typed findings and input counts, the
//! canonical JSON, and tables for notebooks (built in
//! `loggvakt._present`, which imports pandas or pyarrow only when asked).

use crate::samples::{PySamples, PySampling};
use chrono::{DateTime, FixedOffset};
use loggvakt::report::{Finding, InputSummary, Reason};
use loggvakt::{HtmlOptions, Lang, Report};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use std::collections::BTreeMap;

/// One finding for a reviewer.
#[pyclass(module = "loggvakt._native", name = "Finding", frozen, get_all)]
pub struct PyFinding {
    pub rule: String,
    pub title: String,
    pub category: String,
    pub severity: String,
    pub key: BTreeMap<String, String>,
    pub window_start: DateTime<FixedOffset>,
    pub window_end: DateTime<FixedOffset>,
    pub values: Py<PyDict>,
    pub evidence_ids: Vec<String>,
    pub evidence_total: u64,
    pub condition: String,
    pub explanation: String,
    pub tags: Vec<String>,
    pub sampled: bool,
}

impl PyFinding {
    fn new(py: Python<'_>, finding: &Finding) -> PyResult<PyFinding> {
        let values = PyDict::new(py);
        for (name, value) in &finding.values {
            if value.fract() == 0.0 && value.abs() < 9.0e15 {
                values.set_item(name, *value as i64)?;
            } else {
                values.set_item(name, *value)?;
            }
        }
        Ok(PyFinding {
            rule: finding.rule.clone(),
            title: finding.title.clone(),
            category: finding.category.to_string(),
            severity: finding.severity.to_string(),
            key: finding.key.clone(),
            window_start: finding.window.start,
            window_end: finding.window.end,
            values: values.unbind(),
            evidence_ids: finding.evidence.ids.clone(),
            evidence_total: finding.evidence.total,
            condition: finding.condition.clone(),
            explanation: finding.explanation.clone(),
            tags: finding.tags.clone(),
            sampled: finding.sampled,
        })
    }
}

#[pymethods]
impl PyFinding {
    fn __repr__(&self) -> String {
        format!(
            "<Finding {} {} {:?}: {}>",
            self.severity, self.rule, self.key, self.explanation
        )
    }
}

/// Records of one rejection reason.
#[pyclass(module = "loggvakt._native", name = "Reason", frozen, get_all)]
pub struct PyReason {
    pub reason: String,
    pub code: String,
    pub count: u64,
    pub locations: Vec<String>,
    pub example: String,
}

#[pymethods]
impl PyReason {
    fn __repr__(&self) -> String {
        format!(
            "<Reason {} [{}] x{} at {}: {}>",
            self.reason,
            self.code,
            self.count,
            self.locations.join(", "),
            self.example
        )
    }
}

impl PyReason {
    fn new(reason: &Reason) -> PyReason {
        PyReason {
            reason: reason.reason.clone(),
            code: reason.code.clone(),
            count: reason.count,
            locations: reason.locations.clone(),
            example: reason.example.clone(),
        }
    }
}

/// Counts of everything read.
#[pyclass(module = "loggvakt._native", name = "InputSummary", frozen, get_all)]
pub struct PyInputSummary {
    pub read: u64,
    pub evaluated: u64,
    pub rejected: u64,
    pub outside_period: u64,
    pub ignored: u64,
    pub conflicting_ids: u64,
    pub reasons: Vec<Py<PyReason>>,
    pub ignored_kinds: BTreeMap<String, u64>,
}

impl PyInputSummary {
    fn new(py: Python<'_>, input: &InputSummary) -> PyResult<PyInputSummary> {
        let reasons = input.reasons.iter().map(|r| Py::new(py, PyReason::new(r)));
        Ok(PyInputSummary {
            read: input.read,
            evaluated: input.evaluated,
            rejected: input.rejected,
            outside_period: input.outside_period,
            ignored: input.ignored,
            conflicting_ids: input.conflicting_ids,
            reasons: reasons.collect::<PyResult<_>>()?,
            ignored_kinds: input
                .ignored_kinds
                .iter()
                .map(|k| (k.kind.clone(), k.count))
                .collect(),
        })
    }
}

#[pymethods]
impl PyInputSummary {
    fn __repr__(&self) -> String {
        format!(
            "<InputSummary read={} evaluated={} rejected={} outside_period={} ignored={}>",
            self.read, self.evaluated, self.rejected, self.outside_period, self.ignored
        )
    }
}

/// The result of one evaluation.
#[pyclass(module = "loggvakt._native", name = "Report", frozen)]
pub struct PyReport {
    report: Report,
    findings: Vec<Py<PyFinding>>,
    input: Py<PyInputSummary>,
    samples: Py<PySamples>,
    sampling: Py<PySampling>,
}

impl PyReport {
    /// Wraps a finished report.
    pub fn new(py: Python<'_>, report: Report) -> PyResult<PyReport> {
        let findings = report
            .findings
            .iter()
            .map(|f| Py::new(py, PyFinding::new(py, f)?))
            .collect::<PyResult<_>>()?;
        let input = Py::new(py, PyInputSummary::new(py, &report.input)?)?;
        let samples = Py::new(py, crate::samples::samples(py, &report.samples)?)?;
        let sampling = Py::new(py, crate::samples::sampling(py, &report.sampling)?)?;
        Ok(PyReport {
            report,
            findings,
            input,
            samples,
            sampling,
        })
    }

    fn present<'py>(&self, py: Python<'py>, function: &str) -> PyResult<Bound<'py, PyAny>> {
        let module = py.import("loggvakt._present")?;
        module.call_method1(function, (self.to_dict(py)?,))
    }
}

#[pymethods]
impl PyReport {
    #[getter]
    fn findings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.findings.iter().map(|f| f.clone_ref(py)))
    }

    #[getter]
    fn input(&self, py: Python<'_>) -> Py<PyInputSummary> {
        self.input.clone_ref(py)
    }

    #[getter]
    fn samples(&self, py: Python<'_>) -> Py<PySamples> {
        self.samples.clone_ref(py)
    }

    #[getter]
    fn sampling(&self, py: Python<'_>) -> Py<PySampling> {
        self.sampling.clone_ref(py)
    }

    #[getter]
    fn seed(&self) -> Option<&str> {
        self.report.seed.as_deref()
    }

    #[getter]
    fn context<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let text = serde_json::to_string(&self.report.context).unwrap_or_else(|_| "null".into());
        py.import("json")?.call_method1("loads", (text,))
    }

    fn samples_to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.present(py, "samples_to_pandas")
    }

    #[getter]
    fn time_zone(&self) -> &str {
        &self.report.time_zone
    }

    #[getter]
    fn period_start(&self) -> Option<DateTime<FixedOffset>> {
        self.report.period.start
    }

    #[getter]
    fn period_end(&self) -> Option<DateTime<FixedOffset>> {
        self.report.period.end
    }

    #[getter]
    fn generated_at(&self) -> &str {
        &self.report.run.generated_at
    }

    fn to_json(&self) -> String {
        self.report.to_json()
    }

    #[pyo3(signature = (*, lang = "en", organisation = None))]
    fn to_html(
        &self,
        py: Python<'_>,
        lang: &str,
        organisation: Option<String>,
    ) -> PyResult<String> {
        let lang = lang.parse::<Lang>().map_err(|e| {
            PyValueError::new_err(format!("[LV0407] {e}; the languages are en and sv"))
        })?;
        let options = HtmlOptions { lang, organisation };
        Ok(py.detach(|| self.report.to_html(&options)))
    }

    fn to_csv(&self, py: Python<'_>) -> String {
        py.detach(|| self.report.to_csv())
    }

    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let json = py.import("json")?;
        json.call_method1("loads", (self.report.to_json(),))
    }

    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.present(py, "to_pandas")
    }

    fn to_arrow<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.present(py, "to_arrow")
    }

    fn _repr_html_<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.present(py, "repr_html")
    }

    fn __len__(&self) -> usize {
        self.findings.len()
    }

    fn __repr__(&self) -> String {
        let input = &self.report.input;
        format!(
            "<Report {} finding(s); read {}, evaluated {}, rejected {}>",
            self.findings.len(),
            input.read,
            input.evaluated,
            input.rejected
        )
    }
}
