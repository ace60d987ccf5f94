//! The report's samples and sampling plan as typed Python objects.

use chrono::{DateTime, FixedOffset};
use loggvakt::report::{
    CategorySample, SampledFinding, Samples, SamplingInfo, SpotCheckInfo, SpotEvent, SpotSample,
    SpotUserSample,
};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use std::collections::BTreeMap;

/// A time the report writes as RFC 3339 text, as an aware datetime.
fn instant(text: &str) -> PyResult<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(text)
        .map_err(|_| PyValueError::new_err(format!("the report holds a bad time `{text}`")))
}

/// A finding chosen for review.
#[pyclass(module = "loggvakt._native", name = "SampledFinding", frozen, get_all)]
pub struct PySampledFinding {
    pub rule: String,
    pub key: BTreeMap<String, String>,
    pub window_start: DateTime<FixedOffset>,
    pub draw: String,
}

#[pymethods]
impl PySampledFinding {
    fn __repr__(&self) -> String {
        format!(
            "<SampledFinding {} {:?} draw={}>",
            self.rule, self.key, self.draw
        )
    }
}

/// The findings of one category chosen for review.
#[pyclass(module = "loggvakt._native", name = "CategorySample", frozen, get_all)]
pub struct PyCategorySample {
    pub category: String,
    pub findings: usize,
    pub selected: Vec<Py<PySampledFinding>>,
}

#[pymethods]
impl PyCategorySample {
    fn __repr__(&self) -> String {
        let (category, findings) = (&self.category, self.findings);
        let chosen = self.selected.len();
        format!("<CategorySample {category}: {chosen} of {findings} finding(s)>")
    }
}

/// An event chosen for the spot check.
#[pyclass(module = "loggvakt._native", name = "SpotEvent", frozen, get_all)]
pub struct PySpotEvent {
    pub id: Option<String>,
    pub time: DateTime<FixedOffset>,
    pub action: String,
    pub patient: Option<String>,
    pub draw: String,
}

#[pymethods]
impl PySpotEvent {
    fn __repr__(&self) -> String {
        format!(
            "<SpotEvent {} {} {} {:?}>",
            self.id.as_deref().unwrap_or("(no id)"),
            self.time.to_rfc3339(),
            self.action,
            self.patient
        )
    }
}

/// A user chosen for the spot check, with their sampled events.
#[pyclass(module = "loggvakt._native", name = "SpotUser", frozen, get_all)]
pub struct PySpotUser {
    pub user: String,
    pub draw: String,
    pub events: u64,
    pub sampled: Vec<Py<PySpotEvent>>,
}

#[pymethods]
impl PySpotUser {
    fn __repr__(&self) -> String {
        let sampled = self.sampled.len();
        format!(
            "<SpotUser {}: {sampled} of {} event(s)>",
            self.user, self.events
        )
    }
}

/// The spot check drawn.
#[pyclass(module = "loggvakt._native", name = "SpotCheck", frozen, get_all)]
pub struct PySpotCheck {
    pub population_users: usize,
    pub population_events: u64,
    pub users: Vec<Py<PySpotUser>>,
}

#[pymethods]
impl PySpotCheck {
    fn __repr__(&self) -> String {
        format!(
            "<SpotCheck {} of {} user(s), {} event(s) in the population>",
            self.users.len(),
            self.population_users,
            self.population_events
        )
    }
}

/// The samples of one evaluation.
#[pyclass(module = "loggvakt._native", name = "Samples", frozen, get_all)]
pub struct PySamples {
    pub findings: Vec<Py<PyCategorySample>>,
    pub spot_check: Option<Py<PySpotCheck>>,
}

#[pymethods]
impl PySamples {
    fn __repr__(&self) -> String {
        let spot = if self.spot_check.is_some() { "a" } else { "no" };
        let categories = self.findings.len();
        format!("<Samples of {categories} categor(ies), {spot} spot check>")
    }
}

/// A spot check as the rules ask for it.
#[pyclass(module = "loggvakt._native", name = "SpotCheckPlan", frozen, get_all)]
pub struct PySpotCheckPlan {
    pub users: usize,
    pub events_per_user: usize,
    pub population: String,
}

#[pymethods]
impl PySpotCheckPlan {
    fn __repr__(&self) -> String {
        format!(
            "<SpotCheckPlan {} user(s), {} event(s) each, of {}>",
            self.users, self.events_per_user, self.population
        )
    }
}

/// How samples are drawn, and what the rules ask for.
#[pyclass(module = "loggvakt._native", name = "Sampling", frozen, get_all)]
pub struct PySampling {
    pub method: String,
    pub version: u32,
    pub findings_per_category: Option<usize>,
    pub spot_check: Option<Py<PySpotCheckPlan>>,
}

#[pymethods]
impl PySampling {
    fn __repr__(&self) -> String {
        let findings = match self.findings_per_category {
            Some(k) => format!("{k} finding(s) per category"),
            None => "no finding sample".to_string(),
        };
        let spot = if self.spot_check.is_some() {
            "yes"
        } else {
            "no"
        };
        format!(
            "<Sampling {} v{}, {findings}, spot check {spot}>",
            self.method, self.version
        )
    }
}

/// The report's samples as Python objects.
pub fn samples(py: Python<'_>, samples: &Samples) -> PyResult<PySamples> {
    let findings = samples
        .findings
        .iter()
        .map(|c| Py::new(py, category(py, c)?));
    let spot_check = samples
        .spot_check
        .as_ref()
        .map(|s| Py::new(py, spot(py, s)?));
    Ok(PySamples {
        findings: findings.collect::<PyResult<_>>()?,
        spot_check: spot_check.transpose()?,
    })
}

fn category(py: Python<'_>, sample: &CategorySample) -> PyResult<PyCategorySample> {
    let selected = sample.selected.iter().map(|f| Py::new(py, sampled(f)?));
    Ok(PyCategorySample {
        category: sample.category.clone(),
        findings: sample.findings,
        selected: selected.collect::<PyResult<_>>()?,
    })
}

fn sampled(finding: &SampledFinding) -> PyResult<PySampledFinding> {
    Ok(PySampledFinding {
        rule: finding.rule.clone(),
        key: finding.key.clone(),
        window_start: instant(&finding.window_start)?,
        draw: finding.draw.clone(),
    })
}

fn spot(py: Python<'_>, sample: &SpotSample) -> PyResult<PySpotCheck> {
    let users = sample.users.iter().map(|u| Py::new(py, spot_user(py, u)?));
    Ok(PySpotCheck {
        population_users: sample.population_users,
        population_events: sample.population_events,
        users: users.collect::<PyResult<_>>()?,
    })
}

fn spot_user(py: Python<'_>, user: &SpotUserSample) -> PyResult<PySpotUser> {
    let sampled = user.sampled.iter().map(|e| Py::new(py, spot_event(e)?));
    Ok(PySpotUser {
        user: user.user.clone(),
        draw: user.draw.clone(),
        events: user.events,
        sampled: sampled.collect::<PyResult<_>>()?,
    })
}

fn spot_event(event: &SpotEvent) -> PyResult<PySpotEvent> {
    Ok(PySpotEvent {
        id: event.id.clone(),
        time: instant(&event.time)?,
        action: event.action.clone(),
        patient: event.patient.clone(),
        draw: event.draw.clone(),
    })
}

/// The sampling plan as a Python object.
pub fn sampling(py: Python<'_>, info: &SamplingInfo) -> PyResult<PySampling> {
    let plan = |spot: &SpotCheckInfo| PySpotCheckPlan {
        users: spot.users,
        events_per_user: spot.events_per_user,
        population: spot.population.clone(),
    };
    let spot_check = info.spot_check.as_ref().map(|s| Py::new(py, plan(s)));
    Ok(PySampling {
        method: info.method.clone(),
        version: info.version,
        findings_per_category: info.findings_per_category,
        spot_check: spot_check.transpose()?,
    })
}

/// Registers the classes of this module.
pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<PySamples>()?;
    module.add_class::<PyCategorySample>()?;
    module.add_class::<PySampledFinding>()?;
    module.add_class::<PySpotCheck>()?;
    module.add_class::<PySpotUser>()?;
    module.add_class::<PySpotEvent>()?;
    module.add_class::<PySampling>()?;
    module.add_class::<PySpotCheckPlan>()?;
    Ok(())
}
