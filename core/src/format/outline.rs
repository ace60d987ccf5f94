//! The file's declarations in the order written, each with its span and
//! what to print for it.
//!
//! The syntax tree keeps declarations by kind and not the keyword they
//! start with, so the outline walks the grammar's pairs for order and
//! spans and takes the values from the tree by position. Anything it cannot
//! match (a second `reason` in one exception, which the tree does not keep)
//! is printed as written rather than lost.

use super::comments::{Comment, code_end};
use crate::ast::{Clause, Exception, Expr, File, Literal, Rule as RuleDecl, WindowSpec};
use crate::parse::Rule;
use crate::print;
use pest::iterators::Pair;

/// A declaration of the file.
#[derive(Debug)]
pub(super) struct Decl<'a> {
    /// The byte of its first token.
    pub start: usize,
    /// The byte after its last token.
    pub end: usize,
    /// What is printed.
    pub shape: Shape<'a>,
}

/// How a declaration is printed.
#[derive(Debug)]
pub(super) enum Shape<'a> {
    /// One line (a long condition may break): `param x = 1`.
    Line(Item<'a>),
    /// `rule NAME {`, clauses, `}`.
    Block {
        /// `rule NAME {` or `exception NAME {`.
        header: String,
        /// The byte after the `{`.
        brace_end: usize,
        /// The clauses in order.
        clauses: Vec<Item<'a>>,
    },
}

/// A one-line declaration or a clause: a keyword and a value.
#[derive(Debug)]
pub(super) struct Item<'a> {
    /// The byte of its first token.
    pub start: usize,
    /// The byte after its last token.
    pub end: usize,
    /// The keyword (`where`, `group by`) or, for declarations, all that
    /// comes before the value (`condition night =`).
    pub label: String,
    /// The value.
    pub body: Body<'a>,
}

/// The value of an item.
#[derive(Debug)]
pub(super) enum Body<'a> {
    /// Text printed as it is.
    Text(String),
    /// A condition, after `lead` (`when ` for an alert).
    Condition(&'static str, &'a Expr),
    /// The item's source text, printed as written (the label is empty).
    AsWritten(&'a str),
}

/// Cursors into the tree's lists, which hold each kind in source order.
struct Tree<'a> {
    file: &'a File,
    text: &'a str,
    comments: &'a [Comment],
    next: [usize; 11],
}

/// The declarations of `file`, whose pairs are `top`.
pub(super) fn declarations<'a>(
    file: &'a File,
    text: &'a str,
    comments: &'a [Comment],
    top: Pair<'a, Rule>,
) -> Vec<Decl<'a>> {
    let mut tree = Tree {
        file,
        text,
        comments,
        next: [0; 11],
    };
    top.into_inner()
        .filter(|pair| pair.as_rule() != Rule::EOI)
        .map(|pair| tree.decl(&pair))
        .collect()
}

/// The items of `items` from `*next` on whose position lies in `span`;
/// `*next` moves past them.
fn take<'a, T>(
    items: &'a [T],
    next: &mut usize,
    (start, end): (usize, usize),
    at: impl Fn(&T) -> usize,
) -> Vec<&'a T> {
    while items.get(*next).is_some_and(|item| at(item) < start) {
        *next += 1;
    }
    let first = *next;
    while items.get(*next).is_some_and(|item| at(item) < end) {
        *next += 1;
    }
    items.get(first..*next).unwrap_or_default().iter().collect()
}

impl<'a> Tree<'a> {
    fn decl(&mut self, pair: &Pair<'a, Rule>) -> Decl<'a> {
        let span = (pair.as_span().start(), pair.as_span().end());
        let end = code_end(self.text, self.comments, span.0, span.1);
        let shape = self
            .shape(pair, span)
            .unwrap_or_else(|| Shape::Line(self.as_written(span.0, end)));
        Decl {
            start: span.0,
            end,
            shape,
        }
    }

    fn as_written(&self, start: usize, end: usize) -> Item<'a> {
        let source = self.text.get(start..end).unwrap_or("");
        Item {
            start,
            end,
            label: String::new(),
            body: Body::AsWritten(source),
        }
    }

    /// The shape of a declaration; `None` when the tree holds nothing for it.
    fn shape(&mut self, pair: &Pair<'a, Rule>, span: (usize, usize)) -> Option<Shape<'a>> {
        let file = self.file;
        let rule = pair.as_rule();
        let next = &mut self.next;
        let line = |label: String, body: Body<'a>| {
            Shape::Line(Item {
                start: span.0,
                end: span.1,
                label,
                body,
            })
        };
        let shape = match rule {
            Rule::zone_decl => {
                let zone = *take(&file.zones, &mut next[0], span, |z| z.range.start).first()?;
                line("zone".into(), Body::Text(print::string(&zone.value)))
            }
            Rule::holidays_decl => {
                let name = *take(&file.holidays, &mut next[1], span, |h| h.range.start).first()?;
                line("holidays".into(), Body::Text(name.value.clone()))
            }
            Rule::category_decl => {
                let at = |c: &(crate::ast::Spanned<String>, _)| c.0.range.start;
                let (name, title) = *take(&file.categories, &mut next[2], span, at).first()?;
                let label = format!("category {}", name.value);
                line(label, Body::Text(print::string(&title.value)))
            }
            Rule::param_decl => {
                let param =
                    *take(&file.params, &mut next[3], span, |p| p.name.range.start).first()?;
                let label = format!("param {} =", param.name.value);
                line(label, Body::Text(print::literal(&param.value.value)))
            }
            Rule::list_decl => {
                let list =
                    *take(&file.lists, &mut next[4], span, |l| l.name.range.start).first()?;
                let label = format!("list {} =", list.name.value);
                line(label, Body::Text(set(list.items.iter().map(|i| &i.value))))
            }
            Rule::condition_decl => {
                let at = |c: &crate::ast::Condition| c.name.range.start;
                let condition = *take(&file.conditions, &mut next[5], span, at).first()?;
                let label = format!("condition {} =", condition.name.value);
                line(label, Body::Condition("", &condition.expr))
            }
            Rule::except_decl => {
                let names = take(&file.excepts, &mut next[6], span, |n| n.range.start);
                let names: Vec<&str> = names.iter().map(|n| n.value.as_str()).collect();
                if names.is_empty() {
                    return None;
                }
                line("except".into(), Body::Text(names.join(", ")))
            }
            Rule::sample_decl => {
                let size = *take(&file.samples, &mut next[9], span, |s| s.range.start).first()?;
                let body = format!("{} findings per category", print::number(size.value));
                line("sample".into(), Body::Text(body))
            }
            Rule::spot_check_decl => {
                let at = |s: &crate::ast::SpotCheck| s.range.start;
                let spot = *take(&file.spot_checks, &mut next[10], span, at).first()?;
                let label = format!(
                    "spot check {} users, {} events each where",
                    print::number(spot.users.value),
                    print::number(spot.events.value)
                );
                line(label, Body::Condition("", &spot.filter))
            }
            Rule::exception_decl => {
                let at = |e: &Exception| e.range.start;
                let exception = *take(&file.exceptions, &mut next[7], span, at).first()?;
                return self.exception(exception, pair.clone());
            }
            Rule::rule_decl => {
                let rule = *take(&file.rules, &mut next[8], span, |r| r.range.start).first()?;
                return self.rule(rule);
            }
            _ => return None,
        };
        Some(shape)
    }

    fn rule(&self, rule: &'a RuleDecl) -> Option<Shape<'a>> {
        let clauses = rule.clauses.iter().map(|clause| {
            let range = clause.range;
            Item {
                start: range.start,
                end: code_end(self.text, self.comments, range.start, range.end),
                label: clause.value.keyword().to_string(),
                body: clause_body(&clause.value),
            }
        });
        Some(Shape::Block {
            header: format!("rule {} {{", rule.name.value),
            brace_end: self.brace_end(rule.name.range.end)?,
            clauses: clauses.collect(),
        })
    }

    /// An exception's clauses come from the pairs: the tree keeps only the
    /// last `reason` and the last `where`.
    fn exception(&self, exception: &'a Exception, pair: Pair<'a, Rule>) -> Option<Shape<'a>> {
        let mut clauses = Vec::new();
        for child in pair.into_inner() {
            let (start, end) = (child.as_span().start(), child.as_span().end());
            let end = code_end(self.text, self.comments, start, end);
            let within = |at: usize| (start..end).contains(&at);
            let item = |label: &str, body| Item {
                start,
                end,
                label: label.to_string(),
                body,
            };
            let clause = match (child.as_rule(), &exception.reason, &exception.condition) {
                (Rule::reason, Some(reason), _) if within(reason.range.start) => {
                    item("reason", Body::Text(print::string(&reason.value)))
                }
                (Rule::where_clause, _, Some(e)) if within(e.range.start) => {
                    item("where", Body::Condition("", e))
                }
                (Rule::reason | Rule::where_clause, ..) => self.as_written(start, end),
                _ => continue,
            };
            clauses.push(clause);
        }
        Some(Shape::Block {
            header: format!("exception {} {{", exception.name.value),
            brace_end: self.brace_end(exception.name.range.end)?,
            clauses,
        })
    }

    /// The byte after the `{` that follows a block's name.
    fn brace_end(&self, from: usize) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let mut i = from;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'{' => return Some(i + 1),
                b'#' => i = self.comments.iter().find(|c| c.start == i)?.end,
                b if b.is_ascii_whitespace() => i += 1,
                _ => return None,
            }
        }
        None
    }
}

fn clause_body(clause: &Clause) -> Body<'_> {
    match clause {
        Clause::Title(text) | Clause::Description(text) => Body::Text(print::string(text)),
        Clause::Category(name) | Clause::Severity(name) => Body::Text(name.value.clone()),
        Clause::Tags(tags) => {
            let tags: Vec<String> = tags.iter().map(|t| print::string(t)).collect();
            Body::Text(tags.join(", "))
        }
        Clause::Except(names) => {
            let names: Vec<&str> = names.iter().map(|n| n.value.as_str()).collect();
            Body::Text(names.join(", "))
        }
        Clause::Where(e) => Body::Condition("", e),
        Clause::Alert(e) => Body::Condition("when ", e),
        Clause::GroupBy(group) => {
            let keys: Vec<String> = group.keys.iter().map(|k| k.value.join(".")).collect();
            let window = match group.per.as_ref().map(|w| &w.value) {
                None => String::new(),
                Some(WindowSpec::Calendar(unit)) => format!(" per {unit}"),
                Some(WindowSpec::Sliding(amount, unit)) => {
                    format!(" within {} {unit}", print::number(*amount))
                }
            };
            Body::Text(format!("{}{window}", keys.join(", ")))
        }
        Clause::Explain(text) => Body::Text(print::string(&text.value)),
    }
}

/// A set of literals: `{"a", "b"}`.
fn set<'l>(items: impl Iterator<Item = &'l Literal>) -> String {
    let items: Vec<String> = items.map(print::literal).collect();
    format!("{{{}}}", items.join(", "))
}
