//! Raising the package's exceptions, which live in `loggvakt._errors` so
//! that they can be ordinary Python classes with two bases.

use crate::diagnostics::PyDiagnostic;
use loggvakt::Rejection;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

/// The exception class `name` of `loggvakt._errors`.
fn class<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("loggvakt._errors")?.getattr(name)
}

/// A `RuleError` carrying `diagnostics`; its message is the first one.
pub fn rule_error(py: Python<'_>, diagnostics: Vec<PyDiagnostic>) -> PyErr {
    let message = match diagnostics.as_slice() {
        [] => "the rules cannot be used".to_string(),
        [only] => only.headline(),
        [first, rest @ ..] => format!("{} (and {} more)", first.headline(), rest.len()),
    };
    raise(py, "RuleError", (message, diagnostics))
}

/// A `ContextError` carrying every problem in context data; its message
/// is the first one.
pub fn context_error(py: Python<'_>, diagnostics: Vec<PyDiagnostic>) -> PyErr {
    let first = |d: &PyDiagnostic| format!("[{}] {}", d.code, d.message);
    let message = match diagnostics.as_slice() {
        [] => "the context data cannot be used".to_string(),
        [only] => first(only),
        [one, rest @ ..] => format!("{} (and {} more)", first(one), rest.len()),
    };
    raise(py, "ContextError", (message, diagnostics))
}

/// An `EventError` for the first record that could not be read.
pub fn event_error(py: Python<'_>, rejection: &Rejection) -> PyErr {
    let message = format!(
        "[{}] {}: {}",
        rejection.code.code, rejection.location, rejection.message
    );
    let args = (
        message,
        rejection.code.code,
        rejection.code.name,
        rejection.location.to_string(),
    );
    raise(py, "EventError", args)
}

/// A `LoggvaktError` for a problem that is not about rules or events,
/// such as an input file that cannot be read.
pub fn loggvakt_error(py: Python<'_>, message: String) -> PyErr {
    raise(py, "LoggvaktError", (message,))
}

fn raise<'py, A>(py: Python<'py>, name: &str, args: A) -> PyErr
where
    A: pyo3::call::PyCallArgs<'py>,
{
    match class(py, name).and_then(|class| class.call1(args)) {
        Ok(error) => PyErr::from_value(error),
        Err(error) => {
            PyValueError::new_err(format!("loggvakt could not raise its {name}: {error}"))
        }
    }
}
