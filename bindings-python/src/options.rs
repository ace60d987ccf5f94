//! The keyword options of `RuleSet.evaluate`, read and checked before any
//! event is. A value of the wrong kind is a `TypeError`, a value that does
//! not parse a `ValueError`, worded as the command line words it.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use loggvakt::Field;
use loggvakt::read::{CsvOptions, Format};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyString};
use std::collections::BTreeMap;

/// What happens to a record that cannot be read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum OnError {
    /// Count it in the report and go on.
    Skip,
    /// Stop at the first and raise `EventError`.
    Fail,
}

/// The options of one evaluation, checked.
pub struct EvaluateOptions {
    /// The local calendar month, as its first day.
    pub period: Option<NaiveDate>,
    /// The zone; overrides the rule files' zone.
    pub zone: Option<Tz>,
    /// The report's `generated_at`.
    pub now: DateTime<Utc>,
    /// The format of a path input; detected when `None`.
    pub format: Option<Format>,
    /// Skip or fail on unreadable records.
    pub on_error: OnError,
    /// Whether copies of an event are dropped.
    pub duplicates: bool,
    /// Parameter overrides, as the text `--param` would give.
    pub params: Vec<(String, String)>,
    /// How CSV files are read, when any CSV option was given.
    pub csv: Option<CsvSettings>,
    /// The samples' seed, as `--seed` gives it.
    pub seed: Option<String>,
    /// The context the rules look up; set once the rules' zone is known.
    pub context: Option<std::sync::Arc<loggvakt::Context>>,
}

/// The CSV options, as `--map`, `--delimiter` and `--quote` give them.
pub struct CsvSettings {
    /// The mapping, delimiter and quote.
    pub options: CsvOptions,
    /// A delimiter was given: it holds for `.tsv` files too.
    pub delimiter_given: bool,
}

/// The raw keyword arguments, as Python passed them.
pub struct Raw<'a, 'py> {
    pub period: Option<&'a Bound<'py, PyAny>>,
    pub tz: Option<&'a Bound<'py, PyAny>>,
    pub params: Option<&'a Bound<'py, PyAny>>,
    pub on_error: &'a str,
    pub now: Option<&'a Bound<'py, PyAny>>,
    pub format: Option<&'a Bound<'py, PyAny>>,
    pub duplicates: &'a str,
    pub csv_map: Option<&'a Bound<'py, PyAny>>,
    pub delimiter: Option<&'a Bound<'py, PyAny>>,
    pub quote: Option<&'a Bound<'py, PyAny>>,
    pub seed: Option<&'a Bound<'py, PyAny>>,
}

impl Raw<'_, '_> {
    /// Reads and checks every option.
    pub fn read(&self) -> PyResult<EvaluateOptions> {
        Ok(EvaluateOptions {
            period: optional_text(self.period, "period")?
                .map(|p| period(&p))
                .transpose()?,
            zone: optional_zone(self.tz)?,
            now: now(self.now)?,
            format: optional_text(self.format, "format")?
                .map(|f| format(&f))
                .transpose()?,
            on_error: on_error(self.on_error)?,
            duplicates: duplicates(self.duplicates)?,
            params: params(self.params)?,
            csv: self.csv()?,
            seed: seed(self.seed)?,
            context: None,
        })
    }

    fn csv(&self) -> PyResult<Option<CsvSettings>> {
        let map = self.csv_map.filter(|v| !v.is_none());
        let delimiter = optional_text(self.delimiter, "delimiter")?;
        let quote = optional_text(self.quote, "quote")?;
        if map.is_none() && delimiter.is_none() && quote.is_none() {
            return Ok(None);
        }
        let mut options = CsvOptions::default();
        if let Some(map) = map {
            options.mapping = csv_map(map)?;
        }
        if let Some(text) = &delimiter {
            options.delimiter = one_byte(text, "delimiter")?;
        }
        if let Some(text) = &quote {
            options.quote = one_byte(text, "quote")?;
        }
        if options.quote == options.delimiter {
            let message = "[LV0405] `quote` and `delimiter` are the same character";
            return Err(PyValueError::new_err(message));
        }
        let delimiter_given = delimiter.is_some();
        Ok(Some(CsvSettings {
            options,
            delimiter_given,
        }))
    }
}

/// `csv_map` as canonical field → column header.
fn csv_map(value: &Bound<'_, PyAny>) -> PyResult<BTreeMap<String, String>> {
    let dict = value.cast::<PyDict>().map_err(|_| {
        let found = type_name(value);
        PyTypeError::new_err(format!("`csv_map` must be a dict, not {found}"))
    })?;
    let mut mapping = BTreeMap::new();
    for (field, column) in dict.iter() {
        let field = text(&field, "csv_map key")?;
        let column = text(&column, "csv_map value")?;
        if Field::canonical(&field).is_none() {
            let fields: Vec<&str> = Field::CANONICAL.iter().map(|(name, _)| *name).collect();
            return Err(PyValueError::new_err(format!(
                "[LV0405] unknown field `{field}` in `csv_map`; the fields are {}",
                fields.join(", ")
            )));
        }
        if column.trim().is_empty() {
            let message = format!("[LV0405] `csv_map` gives no column for `{field}`");
            return Err(PyValueError::new_err(message));
        }
        mapping.insert(field, column);
    }
    Ok(mapping)
}

/// One ASCII character; `tab` and `\\t` are a tab.
fn one_byte(text: &str, option: &str) -> PyResult<u8> {
    match (text, text.as_bytes()) {
        ("tab" | "\\t", _) => Ok(b'\t'),
        (_, [byte]) if byte.is_ascii() => Ok(*byte),
        _ => Err(PyValueError::new_err(format!(
            "[LV0405] `{option}` takes one ASCII character, found `{text}`; for a tab \
             write \"tab\" or \"\\\\t\""
        ))),
    }
}

fn text(value: &Bound<'_, PyAny>, name: &str) -> PyResult<String> {
    value
        .cast::<PyString>()
        .map(|s| s.to_string())
        .map_err(|_| {
            let found = type_name(value);
            PyTypeError::new_err(format!("`{name}` must be a str, not {found}"))
        })
}

fn optional_text(value: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Option<String>> {
    value
        .filter(|v| !v.is_none())
        .map(|v| text(v, name))
        .transpose()
}

/// The name of a value's type, for messages.
pub fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map_or_else(|_| "an unknown type".to_string(), |n| n.to_string())
}

fn period(text: &str) -> PyResult<NaiveDate> {
    loggvakt::time::parse_month(text).ok_or_else(|| {
        PyValueError::new_err(format!(
            "[LV0401] `{text}` is not a month; write it as YYYY-MM, e.g. 2026-03"
        ))
    })
}

/// `tz` as a zone; `None` when not given.
pub fn optional_zone(value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Tz>> {
    optional_text(value, "tz")?.map(|z| zone(&z)).transpose()
}

/// `seed` as its text: a str as it is, an int in decimal, as `--seed`
/// reads either; `None` when not given.
fn seed(value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<String>> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    let int = value.is_instance_of::<PyInt>() && !value.is_instance_of::<PyBool>();
    if int || value.is_instance_of::<PyString>() {
        return Ok(Some(value.str()?.to_string()));
    }
    let found = type_name(value);
    Err(PyTypeError::new_err(format!(
        "`seed` must be an int or a str, not {found}"
    )))
}

fn zone(name: &str) -> PyResult<Tz> {
    loggvakt::time::parse_zone(name).ok_or_else(|| {
        let close = chrono_tz::TZ_VARIANTS
            .iter()
            .find(|z| z.name().eq_ignore_ascii_case(name));
        let help = match close {
            Some(zone) => format!("did you mean `{}`?", zone.name()),
            None => "use an IANA name such as Europe/Stockholm".to_string(),
        };
        PyValueError::new_err(format!("[LV0402] unknown time zone `{name}`; {help}"))
    })
}

fn format(name: &str) -> PyResult<Format> {
    Format::parse(name).ok_or_else(|| {
        let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
        PyValueError::new_err(format!(
            "[LV0404] unknown format `{name}`; use one of {}",
            names.join(", ")
        ))
    })
}

/// `now` as an aware `datetime` or RFC 3339 text; the clock when `None`.
fn now(value: Option<&Bound<'_, PyAny>>) -> PyResult<DateTime<Utc>> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(Utc::now());
    };
    if let Ok(text) = value.cast::<PyString>() {
        let text = text.to_string();
        return DateTime::parse_from_rfc3339(&text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| {
                PyValueError::new_err(format!(
                    "`now` is not an RFC 3339 time: `{text}`; write it like \
                     2026-04-01T08:00:00+02:00"
                ))
            });
    }
    let aware = value.getattr("tzinfo").is_ok_and(|tz| !tz.is_none());
    if !aware && value.hasattr("isoformat")? {
        return Err(PyValueError::new_err(
            "`now` must be an aware datetime (with tzinfo)",
        ));
    }
    value.extract::<DateTime<Utc>>().map_err(|_| {
        let found = type_name(value);
        PyTypeError::new_err(format!("`now` must be a datetime or a str, not {found}"))
    })
}

fn on_error(value: &str) -> PyResult<OnError> {
    match value {
        "skip" => Ok(OnError::Skip),
        "fail" => Ok(OnError::Fail),
        other => Err(PyValueError::new_err(format!(
            "`on_error` must be \"skip\" or \"fail\", not `{other}`"
        ))),
    }
}

fn duplicates(value: &str) -> PyResult<bool> {
    match value {
        "drop" => Ok(true),
        "keep" => Ok(false),
        other => Err(PyValueError::new_err(format!(
            "`duplicates` must be \"drop\" or \"keep\", not `{other}`"
        ))),
    }
}

/// `params` as name and value text, in the dict's order.
fn params(value: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<(String, String)>> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(Vec::new());
    };
    let dict = value.cast::<PyDict>().map_err(|_| {
        let found = type_name(value);
        PyTypeError::new_err(format!("`params` must be a dict, not {found}"))
    })?;
    let mut pairs = Vec::new();
    for (name, value) in dict.iter() {
        pairs.push((text(&name, "params key")?, param_value(&value)?));
    }
    Ok(pairs)
}

/// A parameter's value as text: a str, an int or a float.
pub fn param_value(value: &Bound<'_, PyAny>) -> PyResult<String> {
    let number = value.is_instance_of::<PyInt>() || value.is_instance_of::<PyFloat>();
    if value.is_instance_of::<PyString>() || (number && !value.is_instance_of::<PyBool>()) {
        return Ok(value.str()?.to_string());
    }
    let found = type_name(value);
    Err(PyTypeError::new_err(format!(
        "a parameter value must be a str, int or float, not {found}"
    )))
}
