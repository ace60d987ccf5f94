//! The one shape every user-facing error takes.
//!
//! Rule errors, input errors and context errors all become a [`Diagnostic`]:
//! a stable code from [`codes`](crate::codes), a one-line message, optional
//! help, and labelled spans with line and column. The CLI and the bindings
//! render this shape; none of them invent their own.

use serde::Serialize;
use std::fmt;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input cannot be used as written.
    Error,
    /// The input works but is probably not what was meant.
    Warning,
}

/// A place in a source text, counted from 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset one past the last character.
    pub end: usize,
    /// Line number of `start`, from 1.
    pub line: usize,
    /// Column of `start` in characters, from 1.
    pub column: usize,
}

impl Span {
    /// Builds a span from byte offsets, computing line and column in `text`.
    pub fn locate(text: &str, start: usize, end: usize) -> Span {
        let start = floor_char_boundary(text, start.min(text.len()));
        let before = &text[..start];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..start].chars().count() + 1;
        let end = ceil_char_boundary(text, end.clamp(start, text.len()));
        Span {
            start,
            end,
            line,
            column,
        }
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

fn ceil_char_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index += 1;
    }
    index
}

/// A span with a short note saying what is there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    /// Where the fault is.
    pub span: Span,
    /// What is wrong at that place; may be empty.
    pub message: String,
}

/// A coded, located message for a person to act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable code such as `LV0101`; never reused for another meaning.
    pub code: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// One lowercase line without a final period.
    pub message: String,
    /// What to do about it, when that is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The places the message is about; the first is the primary one.
    pub labels: Vec<Label>,
}

impl Diagnostic {
    /// An error with `code` and `message` and no location yet.
    pub fn error(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            help: None,
            labels: Vec::new(),
        }
    }

    /// A warning with `code` and `message`.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// Adds help text.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Adds a labelled span.
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// The primary span, if the diagnostic has one.
    pub fn span(&self) -> Option<&Span> {
        self.labels.first().map(|label| &label.span)
    }

    /// Renders the diagnostic for a terminal: `file:line:col`, the source
    /// line and a caret under the fault.
    pub fn render(&self, file: &str, source: &str) -> String {
        let mut out = String::new();
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        out.push_str(&format!("{kind}[{}]: {}\n", self.code, self.message));
        if let Some(span) = self.span() {
            out.push_str(&render_snippet(file, source, span, &self.labels[0].message));
        }
        if let Some(help) = &self.help {
            out.push_str(&format!("  = help: {help}\n"));
        }
        out
    }
}

/// Source lines longer than this are shown as a window around the fault.
const SNIPPET_WIDTH: usize = 100;

fn render_snippet(file: &str, source: &str, span: &Span, note: &str) -> String {
    let line = source.lines().nth(span.line - 1).unwrap_or("");
    let (text, shown) = clip(line, span);
    let gutter = " ".repeat(span.line.to_string().len());
    let pad: String = text
        .chars()
        .take(shown.column - 1)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let width = source[shown.start..shown.end.min(source.len())]
        .lines()
        .next()
        .map_or(1, |s| s.chars().count().max(1));
    let carets = "^".repeat(width);
    let mut out = format!("{gutter}--> {file}:{}:{}\n", span.line, span.column);
    out.push_str(&format!("{gutter} |\n{} | {text}\n", span.line));
    out.push_str(&format!("{gutter} | {pad}{carets} {note}\n"));
    out
}

/// A long line cut to a window around the span's column, with `…` marks;
/// the span moves with it.
fn clip(line: &str, span: &Span) -> (String, Span) {
    if line.chars().count() <= SNIPPET_WIDTH {
        return (line.to_string(), span.clone());
    }
    let skip = span.column.saturating_sub(SNIPPET_WIDTH / 2);
    let shown: String = line.chars().skip(skip).take(SNIPPET_WIDTH).collect();
    let column = span.column - skip + 1;
    let clipped = Span {
        column,
        end: span.start + 1,
        ..span.clone()
    };
    (format!("…{shown}…"), clipped)
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.code, self.message)?;
        if let Some(span) = self.span() {
            write!(f, " at {}:{}", span.line, span.column)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_never_end_inside_a_character() {
        let text = "ö{";
        let span = Span::locate(text, 0, 1);
        assert_eq!((span.start, span.end), (0, 2));
        let rendered = Diagnostic::error("LV0101", "x")
            .with_label(span, "here")
            .render("f", text);
        assert!(rendered.contains("ö{"), "{rendered}");
        let past = Span::locate(text, 1, 99);
        assert_eq!((past.start, past.end), (0, 3));
    }

    #[test]
    fn locate_counts_lines_and_characters() {
        let text = "ab\ncdé f";
        let span = Span::locate(text, 8, 9);
        assert_eq!((span.line, span.column), (2, 5));
    }

    #[test]
    fn long_lines_are_shown_around_the_fault() {
        let source = format!("{}usr{}", "a ".repeat(100), " b".repeat(100));
        let span = Span::locate(&source, 200, 203);
        let text = Diagnostic::error("LV0201", "x")
            .with_label(span, "")
            .render("f", &source);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1], " --> f:1:201");
        assert_eq!(lines[3].chars().count(), 4 + 1 + 100 + 1);
        let caret = lines[4].chars().position(|c| c == '^').unwrap_or(0);
        let under: String = lines[3].chars().skip(caret).take(3).collect();
        assert_eq!(under, "usr");
    }

    #[test]
    fn render_puts_caret_under_fault() {
        let source = "rule a {\n  where usr == 1\n}\n";
        let start = source.find("usr").unwrap_or(0);
        let diagnostic = Diagnostic::error("LV0201", "unknown field `usr`")
            .with_label(Span::locate(source, start, start + 3), "not a field")
            .with_help("did you mean `user`?");
        let text = diagnostic.render("x.vakt", source);
        let expected = "error[LV0201]: unknown field `usr`\n \
                        --> x.vakt:2:9\n  |\n2 |   where usr == 1\n  \
                        |         ^^^ not a field\n  = help: did you mean `user`?\n";
        assert_eq!(text, expected);
    }
}
