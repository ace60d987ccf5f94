//! Explanation templates: `"{user} opened {patient}'s record {count} times"`.
//!
//! `{name}` is replaced by a value; `{{` and `}}` write a brace.

use super::{Checker, Grouping, suggest};
use crate::ast::{Range, Spanned};
use crate::codes;
use crate::event::Field;

/// A piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Text written as is.
    Text(String),
    /// A placeholder's name.
    Value(String),
}

/// A checked explanation template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// Its pieces, in order.
    pub pieces: Vec<Piece>,
}

/// Names every grouped rule's template may use besides its keys.
const GROUP_NAMES: [&str; 4] = ["count", "window", "rule", "title"];

impl Checker<'_> {
    pub(super) fn template(
        &mut self,
        text: &Spanned<String>,
        grouping: &Grouping,
        aggregates: &[String],
    ) -> Option<Template> {
        let pieces = match split(&text.value) {
            Ok(pieces) => pieces,
            Err(message) => {
                self.report(codes::UNKNOWN_PLACEHOLDER, text.range, message, "");
                return None;
            }
        };
        let mut allowed = allowed_names(grouping);
        if matches!(grouping, Grouping::Groups { .. }) {
            let new: Vec<String> = aggregates
                .iter()
                .filter(|a| !allowed.contains(a))
                .cloned()
                .collect();
            allowed.extend(new);
        }
        let allowed: Vec<&str> = allowed.iter().map(String::as_str).collect();
        for piece in &pieces {
            if let Piece::Value(name) = piece {
                self.placeholder(name, text.range, grouping, &allowed);
            }
        }
        Some(Template { pieces })
    }

    fn placeholder(&mut self, name: &str, range: Range, grouping: &Grouping, allowed: &[&str]) {
        let attribute = name.starts_with("attr.") && *grouping == Grouping::PerEvent;
        if allowed.contains(&name) || attribute {
            return;
        }
        let message = format!("the explanation names `{{{name}}}`, which this rule lacks");
        let help = match suggest(name, allowed) {
            Some(best) => format!("did you mean `{{{best}}}`?"),
            None => format!("available: {}", allowed.join(", ")),
        };
        self.report_with_help(codes::UNKNOWN_PLACEHOLDER, range, message, help);
    }
}

/// The placeholders a rule's explanation may name.
fn allowed_names(grouping: &Grouping) -> Vec<String> {
    match grouping {
        Grouping::PerEvent => {
            let fields = Field::CANONICAL.iter().map(|(n, _)| (*n).to_string());
            fields
                .chain(["rule".to_string(), "title".to_string()])
                .collect()
        }
        Grouping::Groups { keys, .. } => {
            let keys = keys.iter().map(|(name, _)| name.clone());
            keys.chain(GROUP_NAMES.iter().map(|n| (*n).to_string()))
                .collect()
        }
    }
}

/// Splits template text into pieces.
pub fn split(text: &str) -> Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('{', Some('{')) | ('}', Some('}')) => {
                literal.push(c);
                chars.next();
            }
            ('{', _) => {
                let Some(name) = placeholder(&mut chars) else {
                    return Err("a `{` opens a placeholder that is not closed".into());
                };
                flush(&mut pieces, &mut literal);
                pieces.push(Piece::Value(name.trim().to_string()));
            }
            ('}', _) => return Err("a `}` has no `{`; write `}}` for a brace".into()),
            _ => literal.push(c),
        }
    }
    flush(&mut pieces, &mut literal);
    Ok(pieces)
}

/// Reads a placeholder's name up to its `}`.
fn placeholder(chars: &mut impl Iterator<Item = char>) -> Option<String> {
    let mut name = String::new();
    for c in chars {
        match c {
            '}' if !name.trim().is_empty() => return Some(name),
            '}' | '{' => return None,
            _ => name.push(c),
        }
    }
    None
}

fn flush(pieces: &mut Vec<Piece>, literal: &mut String) {
    if !literal.is_empty() {
        pieces.push(Piece::Text(std::mem::take(literal)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_placeholders_and_braces() {
        let pieces = split("{user} saw {{x}} {count}").unwrap_or_default();
        let expected = vec![
            Piece::Value("user".into()),
            Piece::Text(" saw {x} ".into()),
            Piece::Value("count".into()),
        ];
        assert_eq!(pieces, expected);
    }

    #[test]
    fn unclosed_placeholder_is_an_error() {
        assert!(split("{user").is_err());
        assert!(split("a } b").is_err());
    }
}
