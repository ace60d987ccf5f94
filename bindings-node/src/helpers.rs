//! The script of `helpers.js`, run in the calling environment, and typed
//! access to its functions.

use napi::bindgen_prelude::{FnArgs, Function, JsObjectValue, Object, Unknown};
use napi::{Env, Result};

/// The arguments of `fail`: type, code, message and further members.
type FailArgs<'a> = FnArgs<(&'a str, &'a str, &'a str, Option<Object<'a>>)>;

/// The script's text.
const SCRIPT: &str = include_str!("helpers.js");

/// The helper functions, made for one call into the addon.
pub struct Helpers<'env> {
    object: Object<'env>,
}

impl<'env> Helpers<'env> {
    /// Runs the script in `env`.
    pub fn new(env: &'env Env) -> Result<Helpers<'env>> {
        let object = env.run_script::<_, Object<'env>>(SCRIPT)?;
        Ok(Helpers { object })
    }

    /// The helper `name` taking `Args`.
    pub fn function<Args, Return>(&self, name: &str) -> Result<Function<'env, Args, Return>>
    where
        Args: napi::bindgen_prelude::JsValuesTupleIntoVec,
        Return: napi::bindgen_prelude::FromNapiValue,
    {
        self.object.get_named_property(name)
    }

    /// What kind of events input `value` is: `path`, `array`, `iterable`,
    /// `async`, `bytes` or `other`.
    pub fn kind(&self, value: &Unknown<'_>) -> Result<String> {
        let kind: Function<'env, Unknown<'_>, String> = self.function("kind")?;
        kind.call(*value)
    }

    /// The name rejection locations give an in-memory input.
    pub fn source_name(&self, value: &Unknown<'_>) -> Result<String> {
        let name: Function<'env, Unknown<'_>, String> = self.function("sourceName")?;
        name.call(*value)
    }

    /// Parses JSON text into plain JavaScript values.
    pub fn parse(&self, text: &str) -> Result<Unknown<'env>> {
        let parse: Function<'env, &str, Unknown<'env>> = self.function("parse")?;
        parse.call(text)
    }

    /// An array of objects as the JSON text of a context file.
    pub fn table(&self, rows: &Unknown<'_>) -> Result<String> {
        let table: Function<'env, Unknown<'_>, String> = self.function("table")?;
        table.call(*rows)
    }

    /// A `Date` as RFC 3339 text; `None` for anything else.
    pub fn iso_date(&self, value: &Unknown<'_>) -> Result<Option<String>> {
        let iso: Function<'env, Unknown<'_>, Option<String>> = self.function("isoDate")?;
        iso.call(*value)
    }

    /// A new `Error` or `TypeError` with `code` and the members of `extra`.
    pub fn fail(
        &self,
        type_error: bool,
        code: &str,
        message: &str,
        extra: Option<Object<'_>>,
    ) -> Result<Unknown<'env>> {
        let fail: Function<'env, FailArgs<'_>, Unknown<'env>> = self.function("fail")?;
        let kind = if type_error { "TypeError" } else { "Error" };
        fail.call((kind, code, message, extra).into())
    }
}
