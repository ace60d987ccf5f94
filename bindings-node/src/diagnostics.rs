//! Diagnostics as plain objects, and the result of `RuleSet.check()`.

use loggvakt::Severity;
use napi_derive::napi;

/// One coded problem in a rule file, a context table or an option.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// The stable code, such as `LV0201` (see docs/errors.md).
    pub code: String,
    /// `"error"` or `"warning"`.
    #[napi(ts_type = "'error' | 'warning'")]
    pub severity: String,
    /// One line saying what is wrong.
    pub message: String,
    /// The rule file it is in; empty when it is in no file.
    pub file: String,
    /// The line of the fault, from 1, when it has a place.
    pub line: Option<u32>,
    /// The column of the fault in characters, from 1, when it has a place.
    pub column: Option<u32>,
    /// What to do about it, when that is known.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic of the core, found in `file`.
    pub fn new(file: &str, diagnostic: &loggvakt::Diagnostic) -> Diagnostic {
        let span = diagnostic.span();
        Diagnostic {
            code: diagnostic.code.to_string(),
            severity: match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            }
            .to_string(),
            message: diagnostic.message.clone(),
            file: file.to_string(),
            line: span.map(|s| to_u32(s.line)),
            column: span.map(|s| to_u32(s.column)),
            help: diagnostic.help.clone(),
        }
    }

    /// `file:line:column: [CODE] message`, on one line.
    pub fn headline(&self) -> String {
        let place = match (self.line, self.column) {
            (Some(line), Some(column)) => format!("{}:{line}:{column}: ", self.file),
            _ if !self.file.is_empty() => format!("{}: ", self.file),
            _ => String::new(),
        };
        format!("{place}[{}] {}", self.code, self.message)
    }

    /// Whether it stops evaluation.
    pub fn is_error(&self) -> bool {
        self.severity == "error"
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// What `RuleSet.check()` found: every error and warning, file by file.
#[napi(object)]
pub struct CheckResult {
    /// Whether the rules can be evaluated: no diagnostic is an error.
    pub ok: bool,
    /// Every diagnostic, errors and warnings, in file and source order.
    pub diagnostics: Vec<Diagnostic>,
}
