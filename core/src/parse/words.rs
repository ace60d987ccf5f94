//! Pest's failures in words a rule author knows.

use super::Rule;
use crate::codes;
use crate::diagnostic::{Diagnostic, Span};
use pest::error::{Error, ErrorVariant, InputLocation};

/// Turns a pest error into a syntax diagnostic.
pub(super) fn syntax_error(text: &str, error: &Error<Rule>) -> Diagnostic {
    let at = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let found = found_at(text, at);
    let span = Span::locate(text, at, at + found.len().max(1));
    let expected = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => expected_words(positives),
        ErrorVariant::CustomError { message } => message.clone(),
    };
    let shown = if found.is_empty() {
        "the end of the file".into()
    } else {
        format!("`{found}`")
    };
    Diagnostic::error(
        codes::SYNTAX.code,
        format!("expected {expected}, found {shown}"),
    )
    .with_label(span, "unexpected here")
    .with_help(help_for(&found))
}

/// The token at `at`: a word, or one character, or nothing at the end.
fn found_at(text: &str, at: usize) -> String {
    let rest = text.get(at..).unwrap_or("");
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if !word.is_empty() {
        return word;
    }
    rest.chars().next().map(String::from).unwrap_or_default()
}

fn help_for(found: &str) -> String {
    match found {
        "" => "a `{` or `(` may be missing its closing `}` or `)`".into(),
        "=" => "compare with `==`".into(),
        "'" => "write strings in double quotes".into(),
        "&" | "|" => "write `and` and `or` as words".into(),
        _ => "see docs/language.md for the shape of a rule".into(),
    }
}

fn expected_words(positives: &[Rule]) -> String {
    let mut words: Vec<&str> = positives.iter().map(|r| word(*r)).collect();
    words.sort_unstable();
    words.dedup();
    match words.as_slice() {
        [] => "something else".into(),
        [one] => (*one).into(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn word(rule: Rule) -> &'static str {
    match rule {
        Rule::EOI => "the end of the file",
        Rule::rule_decl | Rule::kw_rule => "`rule`",
        Rule::zone_decl | Rule::kw_zone => "`zone`",
        Rule::declaration => "`rule` or `zone`",
        Rule::ident | Rule::path => "a name",
        Rule::string => "a string in double quotes",
        Rule::number => "a number",
        Rule::expr | Rule::primary | Rule::literal | Rule::call | Rule::set => "a value",
        Rule::infix => "an operator",
        Rule::clause => "a clause (title, category, severity, where, group by, alert, explain)",
        Rule::kw_by => "`by`",
        Rule::kw_when => "`when`",
        Rule::calendar | Rule::kw_day | Rule::kw_week | Rule::kw_month => {
            "`day`, `week` or `month`"
        }
        _ => rule_literal(rule),
    }
}

fn rule_literal(rule: Rule) -> &'static str {
    match rule {
        Rule::op_eq => "`==`",
        Rule::op_ne => "`!=`",
        Rule::op_in => "`in`",
        Rule::op_and | Rule::kw_and => "`and`",
        Rule::op_or | Rule::kw_or => "`or`",
        Rule::op_not | Rule::kw_not => "`not`",
        _ => "a clause, an operator or `}`",
    }
}
