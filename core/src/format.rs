//! Rule files in one canonical layout, as `loggvakt fmt` writes them.
//!
//! [`format_source`] parses a file and prints it again: declarations in the
//! order written, one clause per line with the keywords aligned,
//! expressions as [`print`](crate::print) writes them, long conditions
//! broken before `and` / `or`, and every comment kept. docs/language.md
//! ("Formatting") states the layout in full.
//!
//! ```
//! let text = "param limit=5;rule r { title \"Many\"; category pattern\n\
//!             severity low  # for now\n where count()>limit }";
//! let formatted = loggvakt::format::format_source(text)?;
//! assert_eq!(formatted, "\
//! param limit = 5
//!
//! rule r {
//!     title    \"Many\"
//!     category pattern
//!     severity low   # for now
//!     where    count() > limit
//! }
//! ");
//! // Formatting is idempotent.
//! assert_eq!(loggvakt::format::format_source(&formatted)?, formatted);
//! # Ok::<(), loggvakt::parse::ParseError>(())
//! ```

mod comments;
mod layout;
mod outline;

use crate::codes;
use crate::diagnostic::{Diagnostic, Span};
use crate::parse::{Grammar, ParseError, Rule, parse};
use comments::{Comment, Place, blank_before, place};
use layout::Page;
use outline::{Body, Decl, Item, Shape};
use pest::Parser as _;

/// How far clauses are indented in a block.
const INDENT: usize = 4;

/// `text` in the canonical layout, or the parse errors that `check` reports
/// for it. A file that does not parse is never formatted.
pub fn format_source(text: &str) -> Result<String, ParseError> {
    let file = parse(text)?;
    let mut pairs = Grammar::parse(Rule::file, text).map_err(|e| ParseError {
        diagnostics: vec![unexpected(text, &e.to_string())],
    })?;
    let comments = comments::scan(text);
    let decls = match pairs.next() {
        Some(top) => outline::declarations(&file, text, &comments, top),
        None => Vec::new(),
    };
    let printer = Printer {
        text,
        comments: &comments,
    };
    Ok(printer.page(&decls))
}

/// The grammar refused a text the parser accepted: not expected to happen.
fn unexpected(text: &str, why: &str) -> Diagnostic {
    let span = Span::locate(text, 0, 0);
    Diagnostic::error(
        codes::SYNTAX.code,
        "the file could not be read for formatting",
    )
    .with_label(span, String::new())
    .with_help(why.to_string())
}

/// What a top-level line or a line of a block is.
#[derive(Debug, Clone, Copy)]
enum Entry<'c> {
    /// A construct, by index.
    Construct(usize),
    /// A comment on a line of its own.
    Comment(&'c Comment),
}

/// The comments that belong to each construct of a sequence.
struct Attached<'c> {
    /// Comments inside a construct, by construct.
    inside: Vec<Vec<&'c Comment>>,
    /// The comment at the end of a construct's last line, by construct.
    after: Vec<Option<&'c Comment>>,
    /// Constructs and comments of their own, in source order, each with
    /// the byte it starts at.
    entries: Vec<(usize, Entry<'c>)>,
}

/// Places `comments` among constructs with `spans` (in order).
fn attach<'c>(text: &str, comments: &[&'c Comment], spans: &[(usize, usize)]) -> Attached<'c> {
    let mut attached = Attached {
        inside: vec![Vec::new(); spans.len()],
        after: vec![None; spans.len()],
        entries: spans
            .iter()
            .enumerate()
            .map(|(i, (start, _))| (*start, Entry::Construct(i)))
            .collect(),
    };
    for comment in comments {
        match place(text, comment, spans) {
            Place::Inside(i) => attached.inside[i].push(*comment),
            Place::After(i) if attached.after[i].is_none() => attached.after[i] = Some(*comment),
            Place::After(i) => attached.inside[i].push(*comment),
            Place::Free => attached
                .entries
                .push((comment.start, Entry::Comment(comment))),
        }
    }
    attached.entries.sort_by_key(|(at, _)| *at);
    attached
}

struct Printer<'t> {
    text: &'t str,
    comments: &'t [Comment],
}

impl Printer<'_> {
    fn page(&self, decls: &[Decl<'_>]) -> String {
        let spans: Vec<(usize, usize)> = decls.iter().map(|d| (d.start, d.end)).collect();
        let all: Vec<&Comment> = self.comments.iter().collect();
        let attached = attach(self.text, &all, &spans);
        let blank = self.blank_lines(decls, &attached.entries);

        let mut page = Page::default();
        for (k, (_, entry)) in attached.entries.iter().enumerate() {
            if blank[k] {
                page.blank();
            }
            match entry {
                Entry::Comment(comment) => page.line(comment.text(self.text)),
                Entry::Construct(i) => {
                    let inside = &attached.inside[*i];
                    self.decl(&mut page, &decls[*i], inside, attached.after[*i]);
                }
            }
        }
        page.finish()
    }

    /// Whether a blank line comes before each top-level entry: where the
    /// file has one, before a block and the comments right above it, and
    /// after a block.
    fn blank_lines(&self, decls: &[Decl<'_>], entries: &[(usize, Entry<'_>)]) -> Vec<bool> {
        let mut blank: Vec<bool> = entries
            .iter()
            .enumerate()
            .map(|(k, (at, _))| k > 0 && blank_before(self.text, *at))
            .collect();
        for (k, (_, entry)) in entries.iter().enumerate() {
            let Entry::Construct(i) = entry else { continue };
            if !matches!(decls[*i].shape, Shape::Block { .. }) {
                continue;
            }
            if let Some(next) = blank.get_mut(k + 1) {
                *next = true;
            }
            let mut first = k;
            while first > 0 && !blank[first] && matches!(entries[first - 1].1, Entry::Comment(_)) {
                first -= 1;
            }
            if first > 0 {
                blank[first] = true;
            }
        }
        blank
    }

    fn decl(&self, page: &mut Page, decl: &Decl<'_>, inside: &[&Comment], after: Option<&Comment>) {
        match &decl.shape {
            Shape::Line(item) => {
                let width = layout::width(&item.label);
                self.item(page, item, (0, width), inside, after);
            }
            Shape::Block {
                header,
                brace_end,
                clauses,
            } => {
                self.block(page, (decl.start, *brace_end), header, clauses, inside);
                if let Some(comment) = after {
                    page.trail(comment.text(self.text));
                }
            }
        }
    }

    /// A block: the header, the clauses with their comments, `}`. Comments
    /// between the keyword and `{` go first inside the block.
    fn block(
        &self,
        page: &mut Page,
        header_span: (usize, usize),
        header: &str,
        clauses: &[Item<'_>],
        comments: &[&Comment],
    ) {
        let mut spans = vec![header_span];
        spans.extend(clauses.iter().map(|c| (c.start, c.end)));
        let attached = attach(self.text, comments, &spans);
        let width = clauses
            .iter()
            .filter(|c| !matches!(c.body, Body::AsWritten(_)))
            .map(|c| layout::width(&c.label))
            .max()
            .unwrap_or(0);
        let indent = " ".repeat(INDENT);

        page.line(header);
        if let Some(comment) = attached.after[0] {
            page.trail(comment.text(self.text));
        }
        for comment in &attached.inside[0] {
            page.line(&format!("{indent}{}", comment.text(self.text)));
        }
        for (_, entry) in &attached.entries {
            match entry {
                Entry::Comment(comment) => {
                    page.line(&format!("{indent}{}", comment.text(self.text)));
                }
                Entry::Construct(0) => {}
                Entry::Construct(k) => {
                    let inside = &attached.inside[*k];
                    let after = attached.after[*k];
                    self.item(page, &clauses[k - 1], (INDENT, width), inside, after);
                }
            }
        }
        page.line("}");
    }

    /// One item at `indent`, its label padded to `width`, the comment
    /// after it, then the comments that were inside it, each on a line of
    /// its own.
    fn item(
        &self,
        page: &mut Page,
        item: &Item<'_>,
        (indent, width): (usize, usize),
        inside: &[&Comment],
        after: Option<&Comment>,
    ) {
        let pad = " ".repeat(indent);
        let label = format!("{pad}{:width$} ", item.label);
        match &item.body {
            Body::Text(text) => page.line(&format!("{label}{text}")),
            Body::Condition(lead, e) => {
                let column = layout::width(&label);
                let lines = layout::condition(e, column + lead.len(), column);
                let mut lines = lines.into_iter();
                let first = lines.next().unwrap_or_default();
                page.line(&format!("{label}{lead}{first}"));
                for line in lines {
                    page.line(&line);
                }
            }
            Body::AsWritten(source) => page.line(&format!("{pad}{source}")),
        }
        if let Some(comment) = after {
            page.trail(comment.text(self.text));
        }
        // Comments written inside an item printed as written are in its text.
        let inside = match item.body {
            Body::AsWritten(_) => &[],
            _ => inside,
        };
        for comment in inside {
            page.line(&format!("{pad}{}", comment.text(self.text)));
        }
    }
}

#[cfg(test)]
#[path = "format/tests.rs"]
mod tests;
