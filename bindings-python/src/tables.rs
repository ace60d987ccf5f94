//! Context tables from Python: a list (or any iterable) of dicts, or a
//! table that exports the Arrow C stream (pandas, polars, pyarrow), as
//! JSON rows for the core's `Context::from_tables`.

use crate::diagnostics::PyDiagnostic;
use crate::options::type_name;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};
use serde_json::Value as Json;

/// The rows of the table `name`; `None` when it is not given. A dict
/// holding a value with no JSON form is a fault placed at `name[index]`.
pub fn rows(
    py: Python<'_>,
    value: Option<&Bound<'_, PyAny>>,
    name: &str,
    faults: &mut Vec<PyDiagnostic>,
) -> PyResult<Option<Vec<Json>>> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    if value.hasattr("__arrow_c_stream__")? {
        return arrow_rows(py, value, name).map(Some);
    }
    refuse(value, name)?;
    let mut rows = Vec::new();
    for (index, item) in value.try_iter()?.enumerate() {
        let item = item?;
        let Ok(dict) = item.cast::<PyDict>() else {
            // The core refuses it as "not a record", at its place.
            rows.push(Json::Null);
            continue;
        };
        rows.push(Json::Object(row(dict, name, index, faults)));
    }
    Ok(Some(rows))
}

/// A dict as a row; a member that cannot be converted is a fault and is
/// left out, so the core still checks the others.
fn row(
    dict: &Bound<'_, PyDict>,
    name: &str,
    index: usize,
    faults: &mut Vec<PyDiagnostic>,
) -> serde_json::Map<String, Json> {
    let mut object = serde_json::Map::new();
    for (key, value) in dict.iter() {
        let Ok(key) = key.cast::<PyString>().map(|k| k.to_string()) else {
            let found = type_name(&key);
            faults.push(fault(name, index, format!("a key is {found}, not text")));
            continue;
        };
        match crate::convert::value(&value, &key) {
            Ok(json) => {
                object.insert(key, json);
            }
            Err(message) => faults.push(fault(name, index, message)),
        }
    }
    object
}

/// A table that is neither a table nor an iterable of dicts.
fn refuse(value: &Bound<'_, PyAny>, name: &str) -> PyResult<()> {
    let text = value.is_instance_of::<PyString>() || value.is_instance_of::<PyBytes>();
    if !text && !value.is_instance_of::<PyDict>() && value.try_iter().is_ok() {
        return Ok(());
    }
    let found = type_name(value);
    Err(PyTypeError::new_err(format!(
        "`{name}` must be a list of dicts, a DataFrame or an Arrow table, not {found}"
    )))
}

fn fault(table: &str, index: usize, message: String) -> PyDiagnostic {
    PyDiagnostic {
        code: loggvakt::codes::BAD_CONTEXT_ROW.code.to_string(),
        severity: "error".into(),
        message: format!("{table}[{index}]: {message}"),
        line: None,
        column: None,
        help: Some("give text, numbers, true or false, or a list of text".into()),
        file: String::new(),
    }
}

/// Every row of an Arrow stream, read without Python per row.
fn arrow_rows(py: Python<'_>, value: &Bound<'_, PyAny>, name: &str) -> PyResult<Vec<Json>> {
    let stream: pyo3_arrow::PyRecordBatchReader = value.extract()?;
    let reader = stream.into_reader()?;
    let read = py.detach(|| {
        let mut rows = Vec::new();
        for batch in reader {
            let batch = batch.map_err(|e| format!("cannot read `{name}`: {e}"))?;
            let objects =
                crate::arrow::rows_with_sets(&batch).map_err(|e| format!("`{name}`: {e}"))?;
            rows.extend(objects.into_iter().map(Json::Object));
        }
        Ok(rows)
    });
    read.map_err(|message: String| crate::errors::loggvakt_error(py, message))
}

/// `lists` as (file name, entries): a dict of `NAME.txt` or `NAME.cidr`
/// to an iterable of text.
pub fn lists(value: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<(String, Vec<String>)>> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(Vec::new());
    };
    let dict = value.cast::<PyDict>().map_err(|_| {
        let found = type_name(value);
        PyTypeError::new_err(format!("`lists` must be a dict, not {found}"))
    })?;
    let mut lists = Vec::new();
    for (name, entries) in dict.iter() {
        let name = text(&name, "a key of `lists`")?;
        if entries.is_instance_of::<PyString>() {
            let message = format!("`lists[{name:?}]` must be a list of str, not one str");
            return Err(PyTypeError::new_err(message));
        }
        let mut read = Vec::new();
        for entry in entries.try_iter()? {
            read.push(text(&entry?, &format!("an entry of `lists[{name:?}]`"))?);
        }
        lists.push((name, read));
    }
    Ok(lists)
}

fn text(value: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    match value.cast::<PyString>() {
        Ok(text) => Ok(text.to_string()),
        Err(_) => {
            let found = type_name(value);
            Err(PyTypeError::new_err(format!(
                "{what} must be a str, not {found}"
            )))
        }
    }
}
