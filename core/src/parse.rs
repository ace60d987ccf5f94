//! Stage 1: rule text to syntax tree.
//!
//! The pest grammar in `grammar/loggvakt.pest` recognises the text; this
//! module turns its pairs into the [`ast`](crate::ast) and its failures into
//! diagnostics a rule author can act on.

mod build;
mod words;

use crate::ast::File;
use crate::codes;
use crate::diagnostic::{Diagnostic, Span};
use pest::Parser as _;

pub(crate) use grammar::{Grammar, Rule};

mod grammar {
    /// The generated pest parser.
    #[derive(pest_derive::Parser)]
    #[grammar = "../../grammar/loggvakt.pest"]
    pub struct Grammar;
}

/// How deeply brackets and prefix operators may nest.
pub const MAX_NESTING: usize = 64;

/// How many infix operators one expression may hold.
pub const MAX_OPERATORS: usize = 1000;

/// A rule file that could not be parsed, with every fault found.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("the rule file could not be parsed ({} problems)", diagnostics.len())]
pub struct ParseError {
    /// One diagnostic per fault.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses a whole rule file.
pub fn parse(text: &str) -> Result<File, ParseError> {
    if let Some(diagnostic) = check_nesting(text) {
        return Err(ParseError {
            diagnostics: vec![diagnostic],
        });
    }
    let pairs = Grammar::parse(Rule::file, text).map_err(|e| ParseError {
        diagnostics: vec![words::syntax_error(text, &e)],
    })?;
    build::file(text, pairs).map_err(|diagnostics| ParseError { diagnostics })
}

/// Refuses text nested deeper than [`MAX_NESTING`] before the recursive
/// parser sees it, so hostile input cannot exhaust the stack.
fn check_nesting(text: &str) -> Option<Diagnostic> {
    let mut scan = Nesting::default();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        i = scan.step(bytes, i);
        if scan.depth > MAX_NESTING || scan.prefixes > MAX_NESTING {
            return Some(too_deep(text, i.saturating_sub(1)));
        }
    }
    None
}

#[derive(Default)]
struct Nesting {
    depth: usize,
    prefixes: usize,
}

impl Nesting {
    /// Reads one token starting at `i` and returns the index after it.
    fn step(&mut self, bytes: &[u8], i: usize) -> usize {
        match bytes[i] {
            b'"' => self.skip_string(bytes, i + 1),
            b'#' => skip_until(bytes, i, b'\n'),
            b'(' | b'{' | b'[' => self.open(i),
            b')' | b'}' | b']' => self.close(i),
            b'-' => self.prefix(i + 1),
            b if b.is_ascii_whitespace() => i + 1,
            b if b.is_ascii_alphanumeric() || b == b'_' => self.word(bytes, i),
            _ => self.other(i + 1),
        }
    }

    fn open(&mut self, i: usize) -> usize {
        self.depth += 1;
        self.prefixes = 0;
        i + 1
    }

    fn close(&mut self, i: usize) -> usize {
        self.depth = self.depth.saturating_sub(1);
        self.prefixes = 0;
        i + 1
    }

    fn prefix(&mut self, next: usize) -> usize {
        self.prefixes += 1;
        next
    }

    fn other(&mut self, next: usize) -> usize {
        self.prefixes = 0;
        next
    }

    fn word(&mut self, bytes: &[u8], i: usize) -> usize {
        let end = i + bytes[i..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
            .count();
        if &bytes[i..end] == b"not" {
            self.prefix(end)
        } else {
            self.other(end)
        }
    }

    fn skip_string(&mut self, bytes: &[u8], mut i: usize) -> usize {
        self.prefixes = 0;
        while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
            i += if bytes[i] == b'\\' { 2 } else { 1 };
        }
        i + 1
    }
}

fn skip_until(bytes: &[u8], i: usize, stop: u8) -> usize {
    i + bytes[i..].iter().take_while(|b| **b != stop).count()
}

fn too_deep(text: &str, at: usize) -> Diagnostic {
    let span = Span::locate(text, at, at + 1);
    Diagnostic::error(codes::TOO_DEEP.code, "expression is nested too deeply")
        .with_label(span, format!("more than {MAX_NESTING} levels"))
        .with_help("split the condition into simpler parts")
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "parse/grammar_tests.rs"]
mod grammar_tests;
