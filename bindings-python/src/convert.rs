//! Python values to JSON, so that a dict goes through the same canonical
//! reader as a line of JSON Lines.
//!
//! `None` and NaN (pandas' mark for a missing number) are null; dates and
//! times are their ISO 8601 text, read as the `time` field's text would be;
//! NumPy scalars are read through `__index__` and `__float__`.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value as Json};

/// How deeply lists and dicts inside an event may nest.
const MAX_DEPTH: usize = 32;

/// A dict as a JSON object; `Err` says why it is not one.
pub fn object(dict: &Bound<'_, PyDict>) -> Result<Map<String, Json>, String> {
    object_at(dict, 0)
}

fn object_at(dict: &Bound<'_, PyDict>, depth: usize) -> Result<Map<String, Json>, String> {
    let mut map = Map::new();
    for (key, value) in dict.iter() {
        let Ok(key) = key.cast::<PyString>() else {
            let found = crate::options::type_name(&key);
            return Err(format!("a key is {found}, not text"));
        };
        let key = key.to_string();
        let value = value_at(&value, &key, depth)?;
        map.insert(key, value);
    }
    Ok(map)
}

/// One value as JSON; `Err` says why it has no JSON form.
pub fn value(value: &Bound<'_, PyAny>, name: &str) -> Result<Json, String> {
    value_at(value, name, 0)
}

fn value_at(value: &Bound<'_, PyAny>, name: &str, depth: usize) -> Result<Json, String> {
    if depth > MAX_DEPTH {
        return Err(format!("`{name}` nests deeper than {MAX_DEPTH} levels"));
    }
    if value.is_none() {
        return Ok(Json::Null);
    }
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(Json::String(text.to_string()));
    }
    if value.is_instance_of::<PyBool>() {
        return Ok(Json::Bool(value.is_truthy().unwrap_or(false)));
    }
    if value.is_instance_of::<PyInt>() {
        return integer(value, name);
    }
    if let Ok(float) = value.cast::<PyFloat>() {
        return Ok(float_json(float.value()));
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        return object_at(dict, depth + 1).map(Json::Object);
    }
    if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        return list(value, name, depth);
    }
    other(value, name)
}

fn integer(value: &Bound<'_, PyAny>, name: &str) -> Result<Json, String> {
    if let Ok(n) = value.extract::<i64>() {
        return Ok(Json::Number(n.into()));
    }
    if let Ok(n) = value.extract::<u64>() {
        return Ok(Json::Number(n.into()));
    }
    Err(format!("`{name}` is an integer too large to read"))
}

/// A float as JSON; NaN and infinities have no JSON form and are null.
pub fn float_json(value: f64) -> Json {
    Number::from_f64(value).map_or(Json::Null, Json::Number)
}

fn list(value: &Bound<'_, PyAny>, name: &str, depth: usize) -> Result<Json, String> {
    let mut items = Vec::new();
    for item in value.try_iter().map_err(|e| e.to_string())? {
        let item = item.map_err(|e| e.to_string())?;
        items.push(value_at(&item, name, depth + 1)?);
    }
    Ok(Json::Array(items))
}

/// Dates and times, NumPy scalars and pandas' missing-value marks.
fn other(value: &Bound<'_, PyAny>, name: &str) -> Result<Json, String> {
    let type_name = crate::options::type_name(value);
    if matches!(type_name.as_str(), "NaTType" | "NAType") {
        return Ok(Json::Null);
    }
    if let Ok(iso) = value.call_method0("isoformat") {
        if let Ok(text) = iso.cast::<PyString>() {
            return Ok(Json::String(text.to_string()));
        }
    }
    if let Ok(flag) = value.extract::<bool>() {
        return Ok(Json::Bool(flag));
    }
    if value.hasattr("__index__").unwrap_or(false) {
        return integer(value, name);
    }
    if value.hasattr("__float__").unwrap_or(false) {
        if let Ok(number) = value.extract::<f64>() {
            return Ok(float_json(number));
        }
    }
    Err(format!(
        "`{name}` holds a value of Python type `{type_name}`"
    ))
}
