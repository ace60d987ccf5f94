//! `Context`: users, patients, care relations, drugs, countries and lists
//! that rules look up, from a folder of files or from Python data.
//!
//! Local times in the data (a relation's `from` and `to`) are read in a
//! zone: the one given to the constructor, or else the zone of each
//! evaluation (the rules' zone or `evaluate(tz=…)`), as `--context DIR`
//! reads them. The data is checked when the object is made, so a bad row
//! raises there; a context for another zone is built again when needed.

use crate::diagnostics::PyDiagnostic;
use crate::errors::context_error;
use crate::options::{optional_zone, type_name};
use chrono_tz::Tz;
use loggvakt::context::ContextTables;
use loggvakt::{Context, ContextError};
use pyo3::exceptions::{PyFileNotFoundError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::PyString;
use serde_json::Value as Json;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

/// Where a context's data is.
enum Source {
    /// A folder in the convention of `docs/context.md`.
    Dir(PathBuf),
    /// Tables given from Python, converted to JSON rows.
    Tables(ContextTables),
}

impl Source {
    fn build(&self, zone: Tz) -> Result<Context, ContextError> {
        match self {
            Source::Dir(dir) => Context::load_dir(dir, zone),
            Source::Tables(tables) => Context::from_tables(tables, zone),
        }
    }
}

/// Context data for evaluations.
#[pyclass(module = "loggvakt._native", name = "Context", frozen)]
pub struct PyContext {
    source: Source,
    /// The zone given, if any; otherwise each evaluation's zone.
    zone: Option<Tz>,
    /// Contexts built so far, by zone.
    built: Mutex<Vec<(Tz, Arc<Context>)>>,
}

impl PyContext {
    /// Checks the data by building it in `zone` (or the default zone).
    fn new(py: Python<'_>, source: Source, zone: Option<Tz>) -> PyResult<PyContext> {
        let first = zone.unwrap_or(chrono_tz::Europe::Stockholm);
        let built = py.detach(|| source.build(first));
        let built = built.map_err(|error| raise(py, &error))?;
        Ok(PyContext {
            source,
            zone,
            built: Mutex::new(vec![(first, Arc::new(built))]),
        })
    }

    /// The context for an evaluation in `zone`: the one built for the
    /// zone given to the constructor, or for `zone` itself.
    pub fn for_zone(&self, py: Python<'_>, zone: Tz) -> PyResult<Arc<Context>> {
        let zone = self.zone.unwrap_or(zone);
        if let Some(found) = self.cached(zone) {
            return Ok(found);
        }
        let built = py.detach(|| self.source.build(zone));
        let built = Arc::new(built.map_err(|error| raise(py, &error))?);
        let mut guard = self.built.lock().unwrap_or_else(PoisonError::into_inner);
        guard.push((zone, Arc::clone(&built)));
        Ok(built)
    }

    fn cached(&self, zone: Tz) -> Option<Arc<Context>> {
        let guard = self.built.lock().unwrap_or_else(PoisonError::into_inner);
        let found = guard.iter().find(|(held, _)| *held == zone);
        found.map(|(_, context)| Arc::clone(context))
    }

    fn first(&self) -> Option<Arc<Context>> {
        let guard = self.built.lock().unwrap_or_else(PoisonError::into_inner);
        guard.first().map(|(_, context)| Arc::clone(context))
    }
}

/// A `ContextError` for every problem in the data.
pub fn raise(py: Python<'_>, error: &ContextError) -> PyErr {
    let diagnostics = error.diagnostics.iter();
    context_error(py, diagnostics.map(|d| PyDiagnostic::new("", d)).collect())
}

/// Loads the folder at `path` for an evaluation in `zone`, as
/// `--context DIR` does.
pub fn load_dir(py: Python<'_>, path: PathBuf, zone: Tz) -> PyResult<Arc<Context>> {
    missing_folder(&path)?;
    let loaded = py.detach(|| Context::load_dir(&path, zone));
    loaded.map(Arc::new).map_err(|error| raise(py, &error))
}

fn missing_folder(path: &std::path::Path) -> PyResult<()> {
    if path.is_dir() {
        return Ok(());
    }
    let message = format!("no such context folder: `{}`", path.display());
    let args = (2, message, path.display().to_string());
    Err(PyFileNotFoundError::new_err(args))
}

/// A `str` or `os.PathLike` as a path.
pub fn as_path(value: &Bound<'_, PyAny>, name: &str) -> PyResult<PathBuf> {
    let path_like = value.is_instance_of::<PyString>() || value.hasattr("__fspath__")?;
    if !path_like {
        let found = type_name(value);
        let message = format!("`{name}` must be a str or os.PathLike, not {found}");
        return Err(PyTypeError::new_err(message));
    }
    value.extract::<PathBuf>()
}

#[pymethods]
impl PyContext {
    #[staticmethod]
    #[pyo3(signature = (path, *, tz = None))]
    fn from_dir(
        py: Python<'_>,
        path: &Bound<'_, PyAny>,
        tz: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyContext> {
        let path = as_path(path, "path")?;
        missing_folder(&path)?;
        PyContext::new(py, Source::Dir(path), optional_zone(tz)?)
    }

    #[staticmethod]
    #[pyo3(signature = (
        *, users = None, patients = None, relations = None, drugs = None,
        countries = None, lists = None, tz = None
    ))]
    #[expect(clippy::too_many_arguments, reason = "one keyword per table")]
    fn from_data(
        py: Python<'_>,
        users: Option<&Bound<'_, PyAny>>,
        patients: Option<&Bound<'_, PyAny>>,
        relations: Option<&Bound<'_, PyAny>>,
        drugs: Option<&Bound<'_, PyAny>>,
        countries: Option<&Bound<'_, PyAny>>,
        lists: Option<&Bound<'_, PyAny>>,
        tz: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyContext> {
        let zone = optional_zone(tz)?;
        let mut faults = Vec::new();
        let mut table = |value, name| crate::tables::rows(py, value, name, &mut faults);
        let tables = ContextTables {
            users: table(users, "users")?,
            patients: table(patients, "patients")?,
            relations: table(relations, "relations")?,
            drugs: table(drugs, "drugs")?,
            countries: table(countries, "countries")?,
            lists: crate::tables::lists(lists)?,
        };
        if faults.is_empty() {
            return PyContext::new(py, Source::Tables(tables), zone);
        }
        // Values Python could not convert come first, then what the core
        // finds in the rest.
        let first = zone.unwrap_or(chrono_tz::Europe::Stockholm);
        if let Err(error) = py.detach(|| Context::from_tables(&tables, first)) {
            let found = error.diagnostics.iter().map(|d| PyDiagnostic::new("", d));
            faults.extend(found);
        }
        Err(context_error(py, faults))
    }

    #[getter]
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let summary = self.first().map(|context| context.summary());
        let text = serde_json::to_string(&summary).unwrap_or_else(|_| "null".into());
        py.import("json")?.call_method1("loads", (text,))
    }

    #[getter]
    fn tz(&self) -> Option<&str> {
        self.zone.map(|zone| zone.name())
    }

    fn __repr__(&self) -> String {
        let source = match &self.source {
            Source::Dir(dir) => format!("from {}", dir.display()),
            Source::Tables(tables) => {
                let rows = |t: &Option<Vec<Json>>| t.as_ref().map_or(0, Vec::len);
                format!(
                    "from data: {} user(s), {} patient(s), {} relation(s), {} drug(s), {} list(s)",
                    rows(&tables.users),
                    rows(&tables.patients),
                    rows(&tables.relations),
                    rows(&tables.drugs),
                    tables.lists.len()
                )
            }
        };
        format!("<Context {source}>")
    }
}
