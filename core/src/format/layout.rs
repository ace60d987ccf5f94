//! Lines of output: long conditions broken before `and` / `or`, trailing
//! comments lined up.

use crate::ast::{BinaryOp, Expr, ExprKind, UnaryOp};
use crate::print;

/// The column a line of code should not pass.
pub(super) const WIDTH: usize = 100;

/// Spaces between the longest code of a run of lines and their trailing
/// comments, as the standard rule pack has always written them.
const COMMENT_GAP: usize = 3;

/// The width of `text` in columns: one per character.
pub(super) fn width(text: &str) -> usize {
    text.chars().count()
}

/// The lines of condition `e`. The first line's text starts at column
/// `start` (the caller writes what comes before it); every other line is
/// whole, with `indent` spaces before its `and` or `or`.
pub(super) fn condition(e: &Expr, start: usize, indent: usize) -> Vec<String> {
    lines(e, start, indent, 0)
}

/// `tail` columns follow the last line (closing parentheses).
fn lines(e: &Expr, start: usize, indent: usize, tail: usize) -> Vec<String> {
    let flat = print::expr(e);
    if start + width(&flat) + tail <= WIDTH {
        return vec![flat];
    }
    if let Some((op, operands)) = chain(e) {
        return broken(op, &operands, start, indent, tail);
    }
    match &e.kind {
        // An `and` or `or` under `not` is always in parentheses.
        ExprKind::Unary(UnaryOp::Not, inner) if chain(inner).is_some() => {
            let open = "not (";
            let inside = lines(inner, start + open.len(), start + open.len(), tail + 1);
            enclose(open, inside, ")")
        }
        _ => vec![flat],
    }
}

/// One operand per line, each after the operator; an operand in
/// parentheses is broken inside them, aligned after the `(`.
fn broken(
    op: BinaryOp,
    operands: &[(&Expr, bool)],
    start: usize,
    indent: usize,
    tail: usize,
) -> Vec<String> {
    let mut out = Vec::new();
    for (i, (operand, parens)) in operands.iter().enumerate() {
        let tail = if i + 1 == operands.len() { tail } else { 0 };
        let lead = match i {
            0 => String::new(),
            _ => format!("{}{} ", " ".repeat(indent), op.symbol()),
        };
        let column = if i == 0 { start } else { width(&lead) };
        let part = if *parens {
            enclose("(", lines(operand, column + 1, column + 1, tail + 1), ")")
        } else {
            lines(operand, column, column, tail)
        };
        out.extend(enclose(&lead, part, ""));
    }
    out
}

/// `open` before the first line and `close` after the last.
fn enclose(open: &str, mut lines: Vec<String>, close: &str) -> Vec<String> {
    if let Some(first) = lines.first_mut() {
        first.insert_str(0, open);
    }
    if let Some(last) = lines.last_mut() {
        last.push_str(close);
    }
    lines
}

/// The operands of a chain of one `and` or `or` operator, left to right,
/// each with whether it is printed in parentheses.
fn chain(e: &Expr) -> Option<(BinaryOp, Vec<(&Expr, bool)>)> {
    let ExprKind::Binary(op @ (BinaryOp::And | BinaryOp::Or), ..) = &e.kind else {
        return None;
    };
    let mut operands = Vec::new();
    let mut left = e;
    while let ExprKind::Binary(next, lhs, rhs) = &left.kind {
        if next != op {
            break;
        }
        operands.push((rhs.as_ref(), print::needs_parens(rhs, *op, true)));
        left = lhs;
    }
    operands.push((left, print::needs_parens(left, *op, false)));
    operands.reverse();
    Some((*op, operands))
}

/// A line of output.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Line {
    /// An empty line between declarations.
    Blank,
    /// Code, or a comment on a line of its own, with an optional comment
    /// at its end.
    Text(String, Option<String>),
}

/// The output, line by line.
#[derive(Debug, Default)]
pub(super) struct Page {
    lines: Vec<Line>,
}

impl Page {
    /// An empty line, unless the page is empty or already ends in one.
    pub fn blank(&mut self) {
        if matches!(self.lines.last(), Some(Line::Text(..))) {
            self.lines.push(Line::Blank);
        }
    }

    /// A line of text; one holding line breaks becomes several.
    pub fn line(&mut self, text: &str) {
        for line in text.split('\n') {
            self.lines
                .push(Line::Text(line.trim_end().to_string(), None));
        }
    }

    /// A comment at the end of the last line.
    pub fn trail(&mut self, comment: &str) {
        match self.lines.last_mut() {
            Some(Line::Text(_, slot @ None)) => *slot = Some(comment.to_string()),
            _ => self.line(comment),
        }
    }

    /// The text: trailing comments on consecutive lines start in one
    /// column, [`COMMENT_GAP`] spaces after the longest code of those lines.
    pub fn finish(self) -> String {
        let mut out = String::new();
        let mut run: Vec<(String, String)> = Vec::new();
        for line in self.lines {
            match line {
                Line::Text(code, Some(comment)) => run.push((code, comment)),
                Line::Text(code, None) => {
                    flush(&mut out, &mut run);
                    out.push_str(&code);
                    out.push('\n');
                }
                Line::Blank => {
                    flush(&mut out, &mut run);
                    out.push('\n');
                }
            }
        }
        flush(&mut out, &mut run);
        out
    }
}

/// Writes a run of lines with trailing comments, the comments aligned.
fn flush(out: &mut String, run: &mut Vec<(String, String)>) {
    let column = run.iter().map(|(code, _)| width(code)).max().unwrap_or(0) + COMMENT_GAP;
    for (code, comment) in run.drain(..) {
        let pad = if code.is_empty() {
            0
        } else {
            column - width(&code)
        };
        out.push_str(&code);
        out.push_str(&" ".repeat(pad));
        out.push_str(&comment);
        out.push('\n');
    }
}
