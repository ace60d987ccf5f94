//! The native half of the `loggvakt` Python package.
//!
//! Everything here is re-exported by the pure-Python package in
//! `python/loggvakt`, whose `_native.pyi` documents each class and method
//! for Python users. Long work (reading, evaluating) runs with the
//! interpreter detached, so other Python threads go on meanwhile.

mod arrow;
mod context;
mod convert;
mod diagnostics;
mod errors;
mod evaluate;
mod options;
mod report;
mod rules;
mod samples;
mod tables;

/// mimalloc, as the command line uses: the allocator the core's
/// performance is measured with, and faster than the C library's under
/// the many small, short-lived allocations of reading events. It serves
/// this library's Rust allocations only, not the host's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use pyo3::prelude::*;

/// The module `loggvakt._native`.
#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<rules::PyRuleSet>()?;
    module.add_class::<context::PyContext>()?;
    module.add_class::<diagnostics::PyDiagnostic>()?;
    module.add_class::<diagnostics::PyCheckResult>()?;
    module.add_class::<report::PyReport>()?;
    module.add_class::<report::PyFinding>()?;
    module.add_class::<report::PyInputSummary>()?;
    module.add_class::<report::PyReason>()?;
    samples::register(module)?;
    module.add("VERSION", loggvakt::VERSION)?;
    Ok(())
}
