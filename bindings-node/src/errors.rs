//! The errors the package throws: ordinary `Error`s (a `TypeError` for an
//! argument of the wrong type) carrying the project's stable `code`, and
//! for rule and context errors `line`, `column` and `diagnostics`.
//!
//! Work off the main thread reports a [`Failure`]; it becomes a JavaScript
//! error only back on the main thread, where one can be made.

use crate::diagnostics::Diagnostic;
use crate::helpers::Helpers;
use loggvakt::Rejection;
use napi::bindgen_prelude::Object;
use napi::{Env, Error, Status};

/// An argument or option of the wrong type.
pub const BAD_ARGUMENT: &str = loggvakt::codes::BAD_ARGUMENT.code;
/// Context tables given as objects that are not arrays of objects.
pub const BAD_CONTEXT_OBJECT: &str = loggvakt::codes::BAD_CONTEXT_OBJECT.code;
/// A panic inside the addon, caught.
pub const INTERNAL: &str = loggvakt::codes::INTERNAL.code;

/// Why a call failed, in a form that can cross threads.
#[derive(Debug, Clone)]
pub enum Failure {
    /// A coded problem with an option, an argument or a file.
    Coded {
        /// A `TypeError` rather than an `Error`.
        type_error: bool,
        /// The stable code.
        code: &'static str,
        /// One line saying what is wrong.
        message: String,
    },
    /// The rules (or a parameter override) have errors.
    Rules(Vec<Diagnostic>),
    /// The context data have errors.
    Context(Vec<Diagnostic>),
    /// A record could not be read and `onError` is `"fail"`.
    Event(Box<Rejection>),
    /// A panic, caught.
    Panic(String),
}

impl Failure {
    /// A coded `Error`.
    pub fn coded(code: &'static str, message: impl Into<String>) -> Failure {
        Failure::Coded {
            type_error: false,
            code,
            message: message.into(),
        }
    }

    /// A `TypeError` with code `LV0410`.
    pub fn argument(message: impl Into<String>) -> Failure {
        Failure::Coded {
            type_error: true,
            code: BAD_ARGUMENT,
            message: message.into(),
        }
    }

    /// The failure of a caught panic.
    pub fn panic(payload: &(dyn std::any::Any + Send)) -> Failure {
        let text = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Failure::Panic(text)
    }

    /// The JavaScript error to throw, made in `env`.
    pub fn into_error(self, env: &Env) -> Error {
        match self.make(env) {
            Ok(error) => error,
            Err(error) => error,
        }
    }

    fn make(self, env: &Env) -> napi::Result<Error> {
        let helpers = Helpers::new(env)?;
        let thrown = match self {
            Failure::Coded {
                type_error,
                code,
                message,
            } => helpers.fail(type_error, code, &message, None)?,
            Failure::Rules(diagnostics) | Failure::Context(diagnostics) => {
                located(env, &helpers, diagnostics)?
            }
            Failure::Event(rejection) => event(env, &helpers, &rejection)?,
            Failure::Panic(text) => {
                let message = format!("loggvakt failed inside (a bug; please report it): {text}");
                helpers.fail(false, INTERNAL, &message, None)?
            }
        };
        Ok(Error::from(thrown))
    }
}

impl From<Failure> for Error {
    /// For failures that must cross as a plain `napi::Error`; the code is
    /// kept in the message.
    fn from(failure: Failure) -> Error {
        Error::new(Status::GenericFailure, format!("{failure:?}"))
    }
}

/// An `Error` for diagnostics: the first is the message, code and place.
fn located<'env>(
    env: &'env Env,
    helpers: &Helpers<'env>,
    diagnostics: Vec<Diagnostic>,
) -> napi::Result<napi::bindgen_prelude::Unknown<'env>> {
    let message = match diagnostics.as_slice() {
        [] => "the rules cannot be used".to_string(),
        [only] => only.headline(),
        [first, rest @ ..] => format!("{} (and {} more)", first.headline(), rest.len()),
    };
    let first = diagnostics.first().cloned();
    let code = first
        .as_ref()
        .map_or("LV0219".to_string(), |d| d.code.clone());
    let mut extra = Object::new(env)?;
    extra.set("line", first.as_ref().and_then(|d| d.line))?;
    extra.set("column", first.as_ref().and_then(|d| d.column))?;
    extra.set("diagnostics", diagnostics)?;
    helpers.fail(false, &code, &message, Some(extra))
}

/// An `Error` for the first record that could not be read.
fn event<'env>(
    env: &'env Env,
    helpers: &Helpers<'env>,
    rejection: &Rejection,
) -> napi::Result<napi::bindgen_prelude::Unknown<'env>> {
    let message = format!(
        "[{}] {}: {}",
        rejection.code.code, rejection.location, rejection.message
    );
    let mut extra = Object::new(env)?;
    extra.set("reason", rejection.code.name)?;
    extra.set("location", rejection.location.to_string())?;
    helpers.fail(false, rejection.code.code, &message, Some(extra))
}

/// Runs `work`, turning a panic into a [`Failure`].
pub fn guarded<T>(work: impl FnOnce() -> Result<T, Failure>) -> Result<T, Failure> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)) {
        Ok(result) => result,
        Err(payload) => Err(Failure::panic(payload.as_ref())),
    }
}
