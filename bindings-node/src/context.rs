//! `Context`: users, patients, care relations, drugs, country ranges and
//! lists given as plain objects. Each row crosses as JSON and goes through
//! the core's `Context::from_tables`, which checks it as a file's row is
//! checked and places a problem at `users[2]` (the third user object).

use crate::errors::{BAD_CONTEXT_OBJECT, Failure};
use crate::helpers::Helpers;
use crate::options::{napi_failure, plain_object, type_name};
use chrono_tz::Tz;
use loggvakt::context::ContextTables;
use napi::JsValue;
use napi::bindgen_prelude::{FromNapiValue, Object, Unknown};
use napi::{Env, ValueType};
use napi_derive::napi;
use serde_json::Value as Json;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

/// The tables a `Context` may hold besides `lists`.
const TABLES: &[&str] = &["users", "patients", "relations", "drugs", "countries"];

/// Where an evaluation's context comes from.
pub enum ContextChoice {
    /// A folder, read as `loggvakt run --context DIR` reads it.
    Folder(PathBuf),
    /// Tables given as objects.
    Tables(Arc<Tables>),
}

impl ContextChoice {
    /// The context, loaded with local times in `zone`.
    pub fn load(&self, zone: Tz) -> Result<Arc<loggvakt::Context>, Failure> {
        match self {
            ContextChoice::Folder(dir) => {
                let loaded = loggvakt::Context::load_dir(dir, zone);
                loaded.map(Arc::new).map_err(context_failure)
            }
            ContextChoice::Tables(tables) => tables.load(zone),
        }
    }
}

/// The tables as rows of JSON, and the last context made of them.
pub struct Tables {
    tables: ContextTables,
    names: Vec<String>,
    loaded: Mutex<Option<(Tz, Arc<loggvakt::Context>)>>,
}

impl Tables {
    fn load(&self, zone: Tz) -> Result<Arc<loggvakt::Context>, Failure> {
        let mut loaded = self.loaded.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((held, context)) = loaded.as_ref() {
            if *held == zone {
                return Ok(Arc::clone(context));
            }
        }
        let context = loggvakt::Context::from_tables(&self.tables, zone);
        let context = Arc::new(context.map_err(context_failure)?);
        *loaded = Some((zone, Arc::clone(&context)));
        Ok(context)
    }
}

/// Every problem of a context as one failure.
fn context_failure(error: loggvakt::ContextError) -> Failure {
    let found = error.diagnostics.iter();
    Failure::Context(
        found
            .map(|d| crate::diagnostics::Diagnostic::new("", d))
            .collect(),
    )
}

/// Reference data the rules look up, given as plain objects: `users`,
/// `patients`, `relations`, `drugs` and `countries` as arrays of objects
/// with the columns of docs/context.md, and `lists` mapping a name to an
/// array of strings (a text list) or to `{ ranges: [...] }` (a list of IP
/// ranges). Every row is checked when the context is made; a bad row
/// throws an `Error` whose `diagnostics` name each problem at `users[N]`,
/// the object at index N.
#[napi]
pub struct Context {
    tables: Arc<Tables>,
}

#[napi]
impl Context {
    /// Makes a context of `tables`; throws every problem in them.
    #[napi(constructor, catch_unwind, ts_args_type = "tables: ContextTables")]
    pub fn new(env: Env, tables: Unknown<'_>) -> napi::Result<Context> {
        let made = make(&env, tables).and_then(|context| {
            context.tables.load(chrono_tz::UTC)?;
            Ok(context)
        });
        made.map_err(|failure| failure.into_error(&env))
    }

    /// The names of the tables given, as the report's `context.files`
    /// names them: `users`, `lists/vpn.cidr`, …
    #[napi(getter, catch_unwind)]
    pub fn tables(&self) -> Vec<String> {
        self.tables.names.clone()
    }
}

impl Context {
    /// The tables, shared with an evaluation.
    pub fn shared(&self) -> Arc<Tables> {
        Arc::clone(&self.tables)
    }
}

fn make(env: &Env, tables: Unknown<'_>) -> Result<Context, Failure> {
    let helpers = Helpers::new(env).map_err(napi_failure)?;
    let object = plain_object(tables, "tables")?;
    let mut held = ContextTables::default();
    for key in Object::keys(&object).map_err(napi_failure)? {
        let value: Option<Unknown<'_>> = object.get(&key).map_err(napi_failure)?;
        let Some(value) = value.filter(|v| !crate::options::is_absent(v)) else {
            continue;
        };
        if key == "lists" {
            held.lists = lists(value)?;
            continue;
        }
        let slot = table_slot(&mut held, &key).ok_or_else(|| unknown_table(&key))?;
        *slot = Some(rows(&helpers, &key, &value)?);
    }
    Ok(Context {
        tables: Arc::new(Tables {
            names: names(&held),
            tables: held,
            loaded: Mutex::new(None),
        }),
    })
}

fn table_slot<'t>(tables: &'t mut ContextTables, key: &str) -> Option<&'t mut Option<Vec<Json>>> {
    match key {
        "users" => Some(&mut tables.users),
        "patients" => Some(&mut tables.patients),
        "relations" => Some(&mut tables.relations),
        "drugs" => Some(&mut tables.drugs),
        "countries" => Some(&mut tables.countries),
        _ => None,
    }
}

/// An array of objects as rows of JSON.
fn rows(helpers: &Helpers<'_>, key: &str, value: &Unknown<'_>) -> Result<Vec<Json>, Failure> {
    if !value.is_array().unwrap_or(false) {
        let found = type_name(value);
        let message = format!("`{key}` must be an array of objects, not {found}");
        return Err(Failure::coded(BAD_CONTEXT_OBJECT, message));
    }
    let text = helpers.table(value).map_err(napi_failure)?;
    serde_json::from_str(&text).map_err(|error| {
        let message = format!("`{key}` cannot be read as rows: {error}");
        Failure::coded(BAD_CONTEXT_OBJECT, message)
    })
}

/// The tables given, by the names the report gives them.
fn names(tables: &ContextTables) -> Vec<String> {
    let given = [
        ("users", &tables.users),
        ("patients", &tables.patients),
        ("relations", &tables.relations),
        ("drugs", &tables.drugs),
        ("countries", &tables.countries),
    ];
    let tables_given = given.iter().filter(|(_, rows)| rows.is_some());
    let mut names: Vec<String> = tables_given.map(|(name, _)| name.to_string()).collect();
    names.extend(tables.lists.iter().map(|(name, _)| format!("lists/{name}")));
    names
}

fn unknown_table(key: &str) -> Failure {
    let names: Vec<&str> = TABLES.to_vec();
    Failure::coded(
        BAD_CONTEXT_OBJECT,
        format!(
            "unknown context table `{key}`; the tables are {}, lists",
            names.join(", ")
        ),
    )
}

/// `lists` as named entries: `NAME.txt` for text, `NAME.cidr` for ranges.
fn lists(value: Unknown<'_>) -> Result<Vec<(String, Vec<String>)>, Failure> {
    let object = plain_object(value, "lists").map_err(|_| {
        let message = "`lists` must map names to arrays of strings or to { ranges: [...] }";
        Failure::coded(BAD_CONTEXT_OBJECT, message)
    })?;
    let mut files = Vec::new();
    for name in Object::keys(&object).map_err(napi_failure)? {
        let entry: Option<Unknown<'_>> = object.get(&name).map_err(napi_failure)?;
        let entry = entry.ok_or_else(|| bad_list(&name))?;
        let (entries, ranges) = if entry.is_array().unwrap_or(false) {
            (strings(entry, &name)?, false)
        } else if entry.get_type().ok() == Some(ValueType::Object) {
            let inner = Object::from_unknown(entry).map_err(napi_failure)?;
            let ranges: Option<Unknown<'_>> = inner.get("ranges").map_err(napi_failure)?;
            (
                strings(ranges.ok_or_else(|| bad_list(&name))?, &name)?,
                true,
            )
        } else {
            return Err(bad_list(&name));
        };
        let extension = if ranges { "cidr" } else { "txt" };
        files.push((format!("{name}.{extension}"), entries));
    }
    Ok(files)
}

fn bad_list(name: &str) -> Failure {
    Failure::coded(
        BAD_CONTEXT_OBJECT,
        format!("the list `{name}` must be an array of strings or {{ ranges: [...] }}"),
    )
}

/// The entries of a list: strings that a list file can hold as lines.
fn strings(value: Unknown<'_>, name: &str) -> Result<Vec<String>, Failure> {
    if !value.is_array().unwrap_or(false) {
        return Err(bad_list(name));
    }
    let items = Vec::<Unknown<'_>>::from_unknown(value).map_err(napi_failure)?;
    let mut entries = Vec::with_capacity(items.len());
    for item in items {
        if item.get_type().ok() != Some(ValueType::String) {
            return Err(bad_list(name));
        }
        let text = String::from_unknown(item).map_err(napi_failure)?;
        let plain = text.trim() == text && !text.is_empty() && !text.starts_with('#');
        if !plain || text.contains(['\n', '\r']) {
            return Err(Failure::coded(
                BAD_CONTEXT_OBJECT,
                format!(
                    "the list `{name}` holds `{text}`; an entry is one line of text, \
                     not empty, without spaces at its ends, not starting with `#`"
                ),
            ));
        }
        entries.push(text);
    }
    Ok(entries)
}
