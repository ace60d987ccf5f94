//! The options of `evaluate` and `evaluateAsync`, read and checked before
//! any event is. A value of the wrong type is a `TypeError` (`LV0410`); a
//! value that does not parse has the code the command line gives it.

use crate::context::{Context, ContextChoice};
use crate::errors::Failure;
use crate::helpers::Helpers;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use loggvakt::Field;
use loggvakt::read::{CsvOptions, Format};
use napi::JsValue;
use napi::ValueType;
use napi::bindgen_prelude::{ClassInstance, FromNapiValue, Object, Unknown};
use std::collections::BTreeMap;

/// Every option `evaluate` knows, for the check against misspellings.
const KNOWN: &[&str] = &[
    "context",
    "period",
    "tz",
    "seed",
    "params",
    "onError",
    "now",
    "format",
    "duplicates",
    "csvMap",
    "delimiter",
    "quote",
];

/// What happens to a record that cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnError {
    /// Count it in the report and go on.
    Skip,
    /// Stop at the first and throw.
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
    /// The seed of the samples.
    pub seed: Option<String>,
    /// How CSV files are read, when any CSV option was given.
    pub csv: Option<CsvSettings>,
    /// The context the rules look up.
    pub context: Option<ContextChoice>,
}

/// The CSV options, as `--map`, `--delimiter` and `--quote` give them.
pub struct CsvSettings {
    /// The mapping, delimiter and quote.
    pub options: CsvOptions,
    /// A delimiter was given: it holds for `.tsv` files too.
    pub delimiter_given: bool,
}

/// The options object as JavaScript passed it.
pub struct Raw<'a, 'env> {
    object: Option<Object<'env>>,
    helpers: &'a Helpers<'env>,
}

type Read<T> = Result<T, Failure>;

impl<'a, 'env> Raw<'a, 'env> {
    /// The options argument: an object, or `undefined` / `null`.
    pub fn new(value: Option<Unknown<'env>>, helpers: &'a Helpers<'env>) -> Read<Self> {
        let object = match value {
            None => None,
            Some(value) if is_absent(&value) => None,
            Some(value) if value.get_type().ok() == Some(ValueType::Object) => {
                Some(Object::from_unknown(value).map_err(napi_failure)?)
            }
            Some(value) => {
                let found = type_name(&value);
                return Err(Failure::argument(format!(
                    "`options` must be an object, not {found}"
                )));
            }
        };
        Ok(Raw { object, helpers })
    }

    /// Reads and checks every option.
    pub fn read(&self) -> Read<EvaluateOptions> {
        self.refuse_unknown()?;
        Ok(EvaluateOptions {
            period: self.text("period")?.map(|p| period(&p)).transpose()?,
            zone: self.text("tz")?.map(|z| zone(&z)).transpose()?,
            now: self.now()?,
            format: self.text("format")?.map(|f| format(&f)).transpose()?,
            on_error: on_error(self.text("onError")?)?,
            duplicates: duplicates(self.text("duplicates")?)?,
            params: self.params()?,
            seed: self.seed()?,
            csv: self.csv()?,
            context: self.context()?,
        })
    }

    fn refuse_unknown(&self) -> Read<()> {
        let Some(object) = &self.object else {
            return Ok(());
        };
        for key in Object::keys(object).map_err(napi_failure)? {
            if !KNOWN.contains(&key.as_str()) {
                return Err(Failure::coded(
                    "LV0405",
                    format!(
                        "unknown option `{key}`; the options are {}",
                        KNOWN.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The option `name`, unless it is missing, `undefined` or `null`.
    fn get(&self, name: &str) -> Read<Option<Unknown<'env>>> {
        let Some(object) = &self.object else {
            return Ok(None);
        };
        let value: Option<Unknown<'env>> = object.get(name).map_err(napi_failure)?;
        Ok(value.filter(|v| !is_absent(v)))
    }

    fn text(&self, name: &str) -> Read<Option<String>> {
        self.get(name)?.map(|v| text(&v, name)).transpose()
    }

    fn now(&self) -> Read<DateTime<Utc>> {
        let Some(value) = self.get("now")? else {
            return Ok(Utc::now());
        };
        let iso = self.helpers.iso_date(&value).map_err(napi_failure)?;
        let text = match iso {
            Some(iso) if iso.is_empty() => {
                return Err(Failure::coded("LV0405", "`now` is an invalid Date"));
            }
            Some(iso) => iso,
            None if value.get_type().ok() == Some(ValueType::String) => text(&value, "now")?,
            None => {
                let found = type_name(&value);
                let message = format!("`now` must be a Date or a string, not {found}");
                return Err(Failure::argument(message));
            }
        };
        DateTime::parse_from_rfc3339(&text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| {
                Failure::coded(
                    "LV0405",
                    format!(
                        "`now` is not an RFC 3339 time: `{text}`; write it like \
                         2026-04-01T08:00:00+02:00"
                    ),
                )
            })
    }

    fn seed(&self) -> Read<Option<String>> {
        let Some(value) = self.get("seed")? else {
            return Ok(None);
        };
        match value.get_type().ok() {
            Some(ValueType::String) => text(&value, "seed").map(Some),
            Some(ValueType::Number) => number_text(&value, "seed").map(Some),
            _ => {
                let found = type_name(&value);
                let message = format!("`seed` must be a number or a string, not {found}");
                Err(Failure::argument(message))
            }
        }
    }

    fn params(&self) -> Read<Vec<(String, String)>> {
        let Some(value) = self.get("params")? else {
            return Ok(Vec::new());
        };
        let object = plain_object(value, "params")?;
        let mut pairs = Vec::new();
        for key in Object::keys(&object).map_err(napi_failure)? {
            let value: Option<Unknown<'_>> = object.get(&key).map_err(napi_failure)?;
            let value = value.ok_or_else(|| Failure::argument("a parameter has no value"))?;
            pairs.push((key, param_value(&value)?));
        }
        Ok(pairs)
    }

    fn csv(&self) -> Read<Option<CsvSettings>> {
        let map = self.get("csvMap")?;
        let delimiter = self.text("delimiter")?;
        let quote = self.text("quote")?;
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
            let message = "`quote` and `delimiter` are the same character";
            return Err(Failure::coded("LV0405", message));
        }
        Ok(Some(CsvSettings {
            options,
            delimiter_given: delimiter.is_some(),
        }))
    }

    fn context(&self) -> Read<Option<ContextChoice>> {
        let Some(value) = self.get("context")? else {
            return Ok(None);
        };
        if value.get_type().ok() == Some(ValueType::String) {
            let folder = text(&value, "context")?;
            return Ok(Some(ContextChoice::Folder(folder.into())));
        }
        match ClassInstance::<Context>::from_unknown(value) {
            Ok(context) => Ok(Some(ContextChoice::Tables(context.shared()))),
            Err(_) => {
                let found = type_name(&value);
                Err(Failure::argument(format!(
                    "`context` must be a folder path or a Context, not {found}; build one \
                     with `new Context({{ users, patients, relations, drugs, lists }})`"
                )))
            }
        }
    }
}

/// Whether a value is `undefined` or `null`.
pub fn is_absent(value: &Unknown<'_>) -> bool {
    matches!(value.get_type(), Ok(ValueType::Undefined | ValueType::Null))
}

/// The JavaScript type of a value, for messages: `number`, `array`, …
pub fn type_name(value: &Unknown<'_>) -> String {
    match value.get_type() {
        Ok(ValueType::Object) if value.is_array().unwrap_or(false) => "an array".into(),
        Ok(ValueType::Object) => "an object".into(),
        Ok(ValueType::Undefined) => "undefined".into(),
        Ok(ValueType::Null) => "null".into(),
        Ok(ValueType::Boolean) => "a boolean".into(),
        Ok(ValueType::Number) => "a number".into(),
        Ok(ValueType::String) => "a string".into(),
        Ok(ValueType::Symbol) => "a symbol".into(),
        Ok(ValueType::Function) => "a function".into(),
        Ok(ValueType::BigInt) => "a bigint".into(),
        _ => "a value of an unknown type".into(),
    }
}

/// A napi failure inside option reading, as a coded error.
pub fn napi_failure(error: napi::Error) -> Failure {
    Failure::argument(error.reason)
}

/// A string argument or option; `name` is its name for messages.
pub fn text(value: &Unknown<'_>, name: &str) -> Read<String> {
    if value.get_type().ok() != Some(ValueType::String) {
        let found = type_name(value);
        return Err(Failure::argument(format!(
            "`{name}` must be a string, not {found}"
        )));
    }
    String::from_unknown(*value).map_err(napi_failure)
}

/// A plain object argument or option.
pub fn plain_object<'env>(value: Unknown<'env>, name: &str) -> Read<Object<'env>> {
    let is_object = value.get_type().ok() == Some(ValueType::Object);
    if !is_object || value.is_array().unwrap_or(false) {
        let found = type_name(&value);
        return Err(Failure::argument(format!(
            "`{name}` must be an object, not {found}"
        )));
    }
    Object::from_unknown(value).map_err(napi_failure)
}

/// A finite number as the text the command line would be given.
fn number_text(value: &Unknown<'_>, name: &str) -> Read<String> {
    let number = f64::from_unknown(*value).map_err(napi_failure)?;
    if !number.is_finite() {
        let message = format!("`{name}` must be a finite number, not {number}");
        return Err(Failure::coded("LV0405", message));
    }
    Ok(format!("{number}"))
}

/// A parameter's value as text: a string or a number.
pub fn param_value(value: &Unknown<'_>) -> Read<String> {
    match value.get_type().ok() {
        Some(ValueType::String) => text(value, "params"),
        Some(ValueType::Number) => number_text(value, "params"),
        _ => {
            let found = type_name(value);
            Err(Failure::argument(format!(
                "a parameter value must be a string or a number, not {found}"
            )))
        }
    }
}

/// `csvMap` as canonical field → column header.
fn csv_map(value: Unknown<'_>) -> Read<BTreeMap<String, String>> {
    let object = plain_object(value, "csvMap")?;
    let mut mapping = BTreeMap::new();
    for field in Object::keys(&object).map_err(napi_failure)? {
        let column: Option<Unknown<'_>> = object.get(&field).map_err(napi_failure)?;
        let column = match column {
            Some(column) => text(&column, "csvMap value")?,
            None => String::new(),
        };
        if Field::canonical(&field).is_none() {
            let fields: Vec<&str> = Field::CANONICAL.iter().map(|(name, _)| *name).collect();
            return Err(Failure::coded(
                "LV0405",
                format!(
                    "unknown field `{field}` in `csvMap`; the fields are {}",
                    fields.join(", ")
                ),
            ));
        }
        if column.trim().is_empty() {
            let message = format!("`csvMap` gives no column for `{field}`");
            return Err(Failure::coded("LV0405", message));
        }
        mapping.insert(field, column);
    }
    Ok(mapping)
}

/// One ASCII character; `tab` and `\t` are a tab.
fn one_byte(text: &str, option: &str) -> Read<u8> {
    match (text, text.as_bytes()) {
        ("tab" | "\\t", _) => Ok(b'\t'),
        (_, [byte]) if byte.is_ascii() => Ok(*byte),
        _ => Err(Failure::coded(
            "LV0405",
            format!(
                "`{option}` takes one ASCII character, found `{text}`; for a tab write \
                 \"tab\" or \"\\t\""
            ),
        )),
    }
}

fn period(text: &str) -> Read<NaiveDate> {
    loggvakt::time::parse_month(text).ok_or_else(|| {
        Failure::coded(
            "LV0401",
            format!("`{text}` is not a month; write it as YYYY-MM, e.g. 2026-03"),
        )
    })
}

fn zone(name: &str) -> Read<Tz> {
    loggvakt::time::parse_zone(name).ok_or_else(|| {
        let close = chrono_tz::TZ_VARIANTS
            .iter()
            .find(|z| z.name().eq_ignore_ascii_case(name));
        let help = match close {
            Some(zone) => format!("did you mean `{}`?", zone.name()),
            None => "use an IANA name such as Europe/Stockholm".to_string(),
        };
        Failure::coded("LV0402", format!("unknown time zone `{name}`; {help}"))
    })
}

fn format(name: &str) -> Read<Format> {
    Format::parse(name).ok_or_else(|| {
        let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
        Failure::coded(
            "LV0404",
            format!("unknown format `{name}`; use one of {}", names.join(", ")),
        )
    })
}

fn on_error(value: Option<String>) -> Read<OnError> {
    match value.as_deref() {
        None | Some("skip") => Ok(OnError::Skip),
        Some("fail") => Ok(OnError::Fail),
        Some(other) => Err(Failure::coded(
            "LV0405",
            format!("`onError` must be \"skip\" or \"fail\", not `{other}`"),
        )),
    }
}

fn duplicates(value: Option<String>) -> Read<bool> {
    match value.as_deref() {
        None | Some("drop") => Ok(true),
        Some("keep") => Ok(false),
        Some(other) => Err(Failure::coded(
            "LV0405",
            format!("`duplicates` must be \"drop\" or \"keep\", not `{other}`"),
        )),
    }
}
