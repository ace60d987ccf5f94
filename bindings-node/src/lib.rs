//! The native addon behind the `loggvakt` npm package.
//!
//! `napi build` writes `index.js`, which loads this addon, and `index.d.ts`,
//! whose JSDoc comes from the doc comments here; the types of plain objects
//! (options, report members) are written by hand in `header.d.ts`, which the
//! build puts at the top of `index.d.ts`.
//!
//! Events cross from JavaScript as text: a small script (`helpers.js`)
//! writes each event object as one line of JSON, and a batch of lines comes
//! into Rust as one string, read by the core's canonical reader exactly as a
//! line of a JSON Lines file is. `evaluateAsync` evaluates on a worker
//! thread, so the event loop goes on meanwhile.
//!
//! Every exported function is marked `catch_unwind`, and the worker threads
//! catch panics too: a bug shows as an `Error` with code `LV0412`, never as
//! a crashed process.

mod context;
mod diagnostics;
mod errors;
mod evaluate;
mod events;
mod helpers;
mod options;
mod page;
mod report;
mod rules;
mod worker;

/// mimalloc, as the command line uses: the allocator the core's
/// performance is measured with, and faster than the C library's under
/// the many small, short-lived allocations of reading events. It serves
/// this library's Rust allocations only, not the host's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use napi_derive::napi;

/// The version of the Loggvakt engine, written into every report.
#[napi]
pub const VERSION: &str = loggvakt::VERSION;
