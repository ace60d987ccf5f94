//! Loggvakt: a rules engine for following up access to health records.
//!
//! Care providers must follow up who opened which patient records. Loggvakt
//! reads access-log events, evaluates rules written in a small language
//! (`.vakt` files) in one streaming pass, and writes a report of findings in
//! four categories: unauthorized access, narcotics, breaks from ordinary
//! patterns, and reading where the care relation is not obvious.
//!
//! The pipeline is parse → check → plan → eval → report; [`RuleSet`] runs
//! the first three, [`Evaluation`] the pass, and [`Report`] is the result.
//!
//! ```
//! use loggvakt::{Event, Options, RuleSet};
//! use chrono::{TimeZone, Utc};
//!
//! let rules = RuleSet::from_source("mine.vakt", r#"
//!     rule failed_sign_ins {
//!         title    "Repeated failed sign-ins"
//!         category unauthorized
//!         severity high
//!         where    action == "login" and outcome == "failure"
//!         group by user per day
//!         alert    when count() >= 3
//!         explain  "{user} failed {count} times on {window}"
//!     }
//! "#)?;
//!
//! let events = (0..4).map(|minute| {
//!     let time = Utc.with_ymd_and_hms(2026, 3, 2, 8, minute, 0).unwrap();
//!     let mut event = Event::new(time, "anna", "login");
//!     event.outcome = Some(loggvakt::Outcome::Failure);
//!     event
//! });
//!
//! let report = rules.evaluate(events, Options::default());
//! assert_eq!(report.findings.len(), 1);
//! assert_eq!(report.findings[0].explanation, "anna failed 4 times on 2026-03-02");
//! # Ok::<(), loggvakt::RuleError>(())
//! ```

pub mod ast;
pub mod check;
pub mod codes;
pub mod context;
pub mod diagnostic;
pub mod eval;
pub mod event;
pub mod format;
pub mod function;
pub mod generate;
pub mod hash;
pub mod parse;
pub mod plan;
pub mod print;
pub mod read;
pub mod report;
pub mod rule;
pub mod ruleset;
pub mod ruletest;
pub mod sample;
pub mod time;

pub use context::{Context, ContextError};
pub use diagnostic::{Diagnostic, Severity, Span};
pub use eval::{Evaluation, Options, Screen};
pub use event::{Event, Field, Outcome, Value};
pub use read::{Format, Location, ReadOptions, Record, Rejection};
pub use report::{Finding, HtmlOptions, Lang, Report};
pub use rule::{Category, Level};
pub use ruleset::{RuleError, RuleSet, check_source};

/// The version of this library, written into every report.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
