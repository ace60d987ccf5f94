//! Pest pairs to syntax tree.

use super::{MAX_OPERATORS, Rule};
use crate::ast::{
    self, BinaryOp, Clause, Condition, Exception, Expr, ExprKind, File, GroupBy, List, Literal,
    Param, Range, Rule as RuleDecl, Spanned, UnaryOp, WindowSpec,
};
use crate::codes;
use crate::diagnostic::{Diagnostic, Span};
use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};
use std::cell::RefCell;
use std::sync::LazyLock;

/// What a grammar rule is, for lowering. Every `Rule` is listed by name so
/// a change to the grammar breaks this match, not a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Node {
    Zone,
    Param,
    List,
    Condition,
    Exception,
    Except,
    Holidays,
    CategoryDecl,
    Sample,
    SpotCheck,
    RuleDecl,
    Clause,
    Expr,
    Prefix(UnaryOp),
    Between,
    Infix(BinaryOp),
    Call,
    Set,
    Path,
    Literal,
    Name,
    Inner,
}

fn node(rule: Rule) -> Node {
    use BinaryOp as B;
    match rule {
        Rule::zone_decl => Node::Zone,
        Rule::param_decl => Node::Param,
        Rule::list_decl => Node::List,
        Rule::condition_decl => Node::Condition,
        Rule::exception_decl => Node::Exception,
        Rule::holidays_decl => Node::Holidays,
        Rule::sample_decl => Node::Sample,
        Rule::spot_check_decl => Node::SpotCheck,
        Rule::category_decl => Node::CategoryDecl,
        Rule::except_decl => Node::Except,
        Rule::rule_decl => Node::RuleDecl,
        Rule::title
        | Rule::description
        | Rule::category
        | Rule::severity
        | Rule::tags
        | Rule::except_clause
        | Rule::where_clause
        | Rule::group_clause
        | Rule::alert_clause
        | Rule::explain_clause => Node::Clause,
        Rule::expr => Node::Expr,
        Rule::between => Node::Between,
        Rule::op_not => Node::Prefix(UnaryOp::Not),
        Rule::op_neg => Node::Prefix(UnaryOp::Neg),
        Rule::op_or => Node::Infix(B::Or),
        Rule::op_and => Node::Infix(B::And),
        Rule::op_eq => Node::Infix(B::Eq),
        Rule::op_ne => Node::Infix(B::Ne),
        Rule::op_lt => Node::Infix(B::Lt),
        Rule::op_le => Node::Infix(B::Le),
        Rule::op_gt => Node::Infix(B::Gt),
        Rule::op_ge => Node::Infix(B::Ge),
        Rule::op_in => Node::Infix(B::In),
        Rule::op_not_in => Node::Infix(B::NotIn),
        Rule::op_add => Node::Infix(B::Add),
        Rule::op_sub => Node::Infix(B::Sub),
        Rule::op_mul => Node::Infix(B::Mul),
        Rule::op_div => Node::Infix(B::Div),
        Rule::call => Node::Call,
        Rule::set => Node::Set,
        Rule::path => Node::Path,
        Rule::string | Rule::number | Rule::kw_null | Rule::kw_true | Rule::kw_false => {
            Node::Literal
        }
        Rule::ident => Node::Name,
        Rule::EOI
        | Rule::WHITESPACE
        | Rule::COMMENT
        | Rule::file
        | Rule::declaration
        | Rule::clause
        | Rule::key_list
        | Rule::window
        | Rule::calendar
        | Rule::prefix
        | Rule::infix
        | Rule::operand
        | Rule::postfix
        | Rule::clock
        | Rule::duration_unit
        | Rule::kw_list
        | Rule::kw_exception
        | Rule::kw_except
        | Rule::kw_reason
        | Rule::kw_tags
        | Rule::kw_holidays
        | Rule::kw_sample
        | Rule::kw_findings
        | Rule::kw_spot
        | Rule::kw_check
        | Rule::kw_users
        | Rule::kw_events
        | Rule::kw_each
        | Rule::exception_clause
        | Rule::reason
        | Rule::name_list
        | Rule::kw_condition
        | Rule::kw_between
        | Rule::kw_within
        | Rule::primary
        | Rule::literal
        | Rule::ident_char
        | Rule::string_body
        | Rule::keyword
        | Rule::kw_zone
        | Rule::kw_param
        | Rule::param_value
        | Rule::negative
        | Rule::kw_rule
        | Rule::kw_title
        | Rule::kw_description
        | Rule::kw_category
        | Rule::kw_severity
        | Rule::kw_where
        | Rule::kw_group
        | Rule::kw_by
        | Rule::kw_per
        | Rule::kw_day
        | Rule::kw_week
        | Rule::kw_month
        | Rule::kw_alert
        | Rule::kw_when
        | Rule::kw_explain
        | Rule::kw_and
        | Rule::kw_or
        | Rule::kw_not
        | Rule::kw_in => Node::Inner,
    }
}

static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(Rule::op_or, Assoc::Left))
        .op(Op::infix(Rule::op_and, Assoc::Left))
        .op(Op::prefix(Rule::op_not))
        .op(Op::infix(Rule::op_eq, Assoc::Left)
            | Op::infix(Rule::op_ne, Assoc::Left)
            | Op::infix(Rule::op_lt, Assoc::Left)
            | Op::infix(Rule::op_le, Assoc::Left)
            | Op::infix(Rule::op_gt, Assoc::Left)
            | Op::infix(Rule::op_ge, Assoc::Left)
            | Op::infix(Rule::op_in, Assoc::Left)
            | Op::infix(Rule::op_not_in, Assoc::Left))
        .op(Op::postfix(Rule::between))
        .op(Op::infix(Rule::op_add, Assoc::Left) | Op::infix(Rule::op_sub, Assoc::Left))
        .op(Op::infix(Rule::op_mul, Assoc::Left) | Op::infix(Rule::op_div, Assoc::Left))
        .op(Op::prefix(Rule::op_neg))
});

/// Collects faults found while building, so all are reported at once.
struct Builder<'t> {
    text: &'t str,
    errors: RefCell<Vec<Diagnostic>>,
}

/// Builds the syntax tree of a parsed file.
pub(super) fn file(text: &str, mut pairs: Pairs<'_, Rule>) -> Result<File, Vec<Diagnostic>> {
    let builder = Builder {
        text,
        errors: RefCell::new(Vec::new()),
    };
    let mut file = File::default();
    let Some(top) = pairs.next() else {
        return Ok(file);
    };
    for pair in top.into_inner() {
        match node(pair.as_rule()) {
            Node::Zone => file.zones.push(builder.zone(pair)),
            Node::Param => file.params.push(builder.param(pair)),
            Node::List => file.lists.push(builder.list(pair)),
            Node::Condition => file.conditions.push(builder.condition(pair)),
            Node::Exception => file.exceptions.push(builder.exception(pair)),
            Node::Except => file.excepts.extend(builder.names(pair)),
            Node::Holidays => file
                .holidays
                .extend(builder.child(&pair).map(|n| builder.name(n))),
            Node::CategoryDecl => file.categories.push(builder.category_decl(pair)),
            Node::Sample => file.samples.extend(builder.sample(pair)),
            Node::SpotCheck => file.spot_checks.extend(builder.spot_check(pair)),
            Node::RuleDecl => file.rules.push(builder.rule(pair)),
            _ => {}
        }
    }
    let errors = builder.errors.into_inner();
    if errors.is_empty() {
        Ok(file)
    } else {
        Err(errors)
    }
}

fn range(pair: &Pair<'_, Rule>) -> Range {
    let span = pair.as_span();
    Range {
        start: span.start(),
        end: span.end(),
    }
}

/// The children that carry meaning: keywords and silent helpers are skipped.
fn meaningful<'i>(pair: Pair<'i, Rule>) -> impl Iterator<Item = Pair<'i, Rule>> {
    pair.into_inner()
        .filter(|p| node(p.as_rule()) != Node::Inner || is_container(p.as_rule()))
}

fn is_container(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::key_list | Rule::window | Rule::calendar | Rule::clock | Rule::duration_unit
    )
}

impl Builder<'_> {
    fn fault(&self, range: Range, message: &str) {
        let span = Span::locate(self.text, range.start, range.end);
        let diagnostic =
            Diagnostic::error(codes::SYNTAX.code, message).with_label(span, String::new());
        self.errors.borrow_mut().push(diagnostic);
    }

    /// The grammar's promise that a node has a child; a broken promise is
    /// reported as a syntax fault rather than a crash.
    fn child<'i>(&self, parent: &Pair<'i, Rule>) -> Option<Pair<'i, Rule>> {
        let found = meaningful(parent.clone()).next();
        if found.is_none() {
            self.fault(range(parent), "incomplete construct");
        }
        found
    }

    fn zone(&self, pair: Pair<'_, Rule>) -> Spanned<String> {
        let text = self
            .child(&pair)
            .map(|p| self.string(p))
            .unwrap_or_default();
        Spanned {
            value: text.value,
            range: text.range,
        }
    }

    fn param(&self, pair: Pair<'_, Rule>) -> Param {
        let mut param = Param {
            name: Spanned::default(),
            value: Spanned::default(),
        };
        for child in pair.into_inner() {
            match child.as_rule() {
                Rule::ident => param.name = self.name(child),
                Rule::param_value => {
                    let inner = child.into_inner().next();
                    param.value = inner.map_or_else(Spanned::default, |p| self.param_value(p));
                }
                _ => {}
            }
        }
        param
    }

    fn param_value(&self, pair: Pair<'_, Rule>) -> Spanned<Literal> {
        let at = range(&pair);
        let value = match pair.as_rule() {
            Rule::negative => self.number(pair),
            _ => self.literal(pair),
        };
        Spanned { value, range: at }
    }

    fn list(&self, pair: Pair<'_, Rule>) -> List {
        let mut children = meaningful(pair);
        let name = children.next().map(|p| self.name(p)).unwrap_or_default();
        let set = children.next();
        let range = set.as_ref().map(range).unwrap_or(name.range);
        let items = set
            .map(|s| meaningful(s).map(|p| self.literal_at(p)).collect())
            .unwrap_or_default();
        List { name, items, range }
    }

    fn exception(&self, pair: Pair<'_, Rule>) -> Exception {
        let at = range(&pair);
        let mut exception = Exception {
            name: Spanned::default(),
            reason: None,
            condition: None,
            range: at,
        };
        for child in pair.into_inner() {
            match child.as_rule() {
                Rule::ident => exception.name = self.name(child),
                Rule::reason => exception.reason = self.child(&child).map(|s| self.string(s)),
                Rule::where_clause => {
                    exception.condition = self.child(&child).map(|e| self.expr(e))
                }
                _ => {}
            }
        }
        exception
    }

    /// `sample N findings per category`: N.
    fn sample(&self, pair: Pair<'_, Rule>) -> Option<Spanned<f64>> {
        let number = self.child(&pair)?;
        Some(self.count(number))
    }

    fn count(&self, pair: Pair<'_, Rule>) -> Spanned<f64> {
        let at = range(&pair);
        let value = match self.number(pair) {
            Literal::Number(n) => n,
            _ => 0.0,
        };
        Spanned { value, range: at }
    }

    /// `spot check N users, M events each where CONDITION`.
    fn spot_check(&self, pair: Pair<'_, Rule>) -> Option<ast::SpotCheck> {
        let at = range(&pair);
        let mut numbers = Vec::new();
        let mut filter = None;
        for child in pair.into_inner() {
            match child.as_rule() {
                Rule::number => numbers.push(self.count(child)),
                Rule::where_clause => filter = self.child(&child).map(|e| self.expr(e)),
                _ => {}
            }
        }
        let mut numbers = numbers.into_iter();
        Some(ast::SpotCheck {
            users: numbers.next()?,
            events: numbers.next()?,
            filter: filter?,
            range: at,
        })
    }

    /// `category NAME "Title"`.
    fn category_decl(&self, pair: Pair<'_, Rule>) -> (Spanned<String>, Spanned<String>) {
        let mut children = meaningful(pair);
        let name = children.next().map(|p| self.name(p)).unwrap_or_default();
        let title = children.next().map(|p| self.string(p)).unwrap_or_default();
        (name, title)
    }

    /// The names in a `name_list` anywhere below `pair`.
    fn names(&self, pair: Pair<'_, Rule>) -> Vec<Spanned<String>> {
        pair.into_inner()
            .flat_map(|p| match p.as_rule() {
                Rule::name_list => p.into_inner().map(|n| self.name(n)).collect(),
                _ => Vec::new(),
            })
            .collect()
    }

    fn condition(&self, pair: Pair<'_, Rule>) -> Condition {
        let at = range(&pair);
        let mut children = meaningful(pair);
        let name = children.next().map(|p| self.name(p)).unwrap_or_default();
        let expr = children.next().map_or_else(
            || Expr {
                kind: ExprKind::Literal(Literal::Null),
                range: at,
            },
            |p| self.expr(p),
        );
        Condition { name, expr }
    }

    fn name(&self, pair: Pair<'_, Rule>) -> Spanned<String> {
        Spanned {
            value: pair.as_str().to_string(),
            range: range(&pair),
        }
    }

    fn rule(&self, pair: Pair<'_, Rule>) -> RuleDecl {
        let whole = range(&pair);
        let mut children = meaningful(pair);
        let name = children.next().map(|p| self.name(p)).unwrap_or_default();
        let clauses = children.map(|p| self.clause(p)).collect();
        RuleDecl {
            name,
            clauses,
            range: whole,
        }
    }

    fn clause(&self, pair: Pair<'_, Rule>) -> Spanned<Clause> {
        let at = range(&pair);
        let rule = pair.as_rule();
        let value = match rule {
            Rule::group_clause => Clause::GroupBy(self.group_by(pair)),
            Rule::except_clause => Clause::Except(self.names(pair)),
            Rule::tags => Clause::Tags(meaningful(pair).map(|s| self.string(s).value).collect()),
            _ => self.simple_clause(rule, pair),
        };
        Spanned { value, range: at }
    }

    fn simple_clause(&self, rule: Rule, pair: Pair<'_, Rule>) -> Clause {
        let Some(inner) = self.child(&pair) else {
            return Clause::Title(String::new());
        };
        match rule {
            Rule::title => Clause::Title(self.string(inner).value),
            Rule::description => Clause::Description(self.string(inner).value),
            Rule::category => Clause::Category(self.name(inner)),
            Rule::severity => Clause::Severity(self.name(inner)),
            Rule::where_clause => Clause::Where(self.expr(inner)),
            Rule::alert_clause => Clause::Alert(self.expr(inner)),
            _ => Clause::Explain(self.string(inner)),
        }
    }

    fn group_by(&self, pair: Pair<'_, Rule>) -> GroupBy {
        let mut group = GroupBy {
            keys: Vec::new(),
            per: None,
        };
        for part in meaningful(pair) {
            match part.as_rule() {
                Rule::key_list => group.keys = meaningful(part).map(|p| self.path(p)).collect(),
                _ => group.per = self.window(part),
            }
        }
        group
    }

    fn window(&self, pair: Pair<'_, Rule>) -> Option<Spanned<WindowSpec>> {
        let at = range(&pair);
        let mut parts = meaningful(pair);
        let first = parts.next()?;
        let value = match first.as_rule() {
            Rule::calendar => WindowSpec::Calendar(first.as_str().to_string()),
            _ => {
                let Literal::Number(amount) = self.number(first) else {
                    return None;
                };
                let unit = parts.next().map(|u| u.as_str().to_string());
                WindowSpec::Sliding(amount, unit.unwrap_or_default())
            }
        };
        Some(Spanned { value, range: at })
    }

    fn path(&self, pair: Pair<'_, Rule>) -> Spanned<Vec<String>> {
        let parts = pair.as_str().split('.').map(str::to_string).collect();
        Spanned {
            value: parts,
            range: range(&pair),
        }
    }

    fn string(&self, pair: Pair<'_, Rule>) -> Spanned<String> {
        let at = range(&pair);
        let body = pair.as_str();
        let body = body.get(1..body.len().saturating_sub(1)).unwrap_or("");
        let value = unescape(body).unwrap_or_else(|bad| {
            self.bad_escape(at.start + 1 + bad);
            String::new()
        });
        Spanned { value, range: at }
    }

    fn bad_escape(&self, at: usize) {
        let span = Span::locate(self.text, at, at + 2);
        let diagnostic = Diagnostic::error(codes::BAD_STRING.code, "unknown escape in string")
            .with_label(span, "not an escape")
            .with_help(r#"the escapes are \" \\ \n and \t"#);
        self.errors.borrow_mut().push(diagnostic);
    }

    fn expr(&self, pair: Pair<'_, Rule>) -> Expr {
        let at = range(&pair);
        let pairs = pair.into_inner();
        let operators = pairs
            .clone()
            .filter(|p| matches!(node(p.as_rule()), Node::Infix(_)));
        if operators.count() > MAX_OPERATORS {
            self.too_long(at);
            return Expr {
                kind: ExprKind::Literal(Literal::Null),
                range: at,
            };
        }
        PRATT
            .map_primary(|p| self.primary(p))
            .map_prefix(|op, rhs| self.unary(op, rhs))
            .map_postfix(|lhs, op| self.between(lhs, op))
            .map_infix(|lhs, op, rhs| binary(op, lhs, rhs))
            .parse(pairs)
    }

    fn too_long(&self, at: Range) {
        let span = Span::locate(self.text, at.start, at.end);
        let message = format!("expression has more than {MAX_OPERATORS} operators");
        let diagnostic = Diagnostic::error(codes::TOO_DEEP.code, message)
            .with_label(span, "")
            .with_help("split the condition into named parts");
        self.errors.borrow_mut().push(diagnostic);
    }

    fn primary(&self, pair: Pair<'_, Rule>) -> Expr {
        let at = range(&pair);
        let kind = match node(pair.as_rule()) {
            Node::Expr => return self.expr(pair),
            Node::Path => ExprKind::Path(self.path(pair).value),
            Node::Call => self.call(pair),
            Node::Set => ExprKind::Set(meaningful(pair).map(|p| self.literal_at(p)).collect()),
            _ => ExprKind::Literal(self.literal(pair)),
        };
        Expr { kind, range: at }
    }

    fn call(&self, pair: Pair<'_, Rule>) -> ExprKind {
        let mut children = meaningful(pair);
        let name = children.next().map(|p| self.name(p)).unwrap_or_default();
        let args = children.map(|p| self.expr(p)).collect();
        ExprKind::Call(name, args)
    }

    fn literal_at(&self, pair: Pair<'_, Rule>) -> Spanned<Literal> {
        let at = range(&pair);
        Spanned {
            value: self.literal(pair),
            range: at,
        }
    }

    fn literal(&self, pair: Pair<'_, Rule>) -> Literal {
        match pair.as_rule() {
            Rule::string => Literal::Text(self.string(pair).value),
            Rule::number => self.number(pair),
            Rule::kw_true => Literal::Bool(true),
            Rule::kw_false => Literal::Bool(false),
            _ => Literal::Null,
        }
    }

    fn number(&self, pair: Pair<'_, Rule>) -> Literal {
        match pair.as_str().parse::<f64>() {
            Ok(n) if n.is_finite() => Literal::Number(n),
            _ => {
                self.fault(range(&pair), "number is out of range");
                Literal::Number(0.0)
            }
        }
    }

    /// `EXPR between HH:MM and HH:MM`.
    fn between(&self, lhs: Expr, op: Pair<'_, Rule>) -> Expr {
        let at = Range {
            start: lhs.range.start,
            end: op.as_span().end(),
        };
        let mut clocks = op.into_inner().filter(|p| p.as_rule() == Rule::clock);
        let mut next = || {
            clocks
                .next()
                .map_or_else(Spanned::default, |c| self.clock(c))
        };
        let (from, to) = (next(), next());
        Expr {
            kind: ExprKind::Between(Box::new(lhs), from, to),
            range: at,
        }
    }

    /// `HH:MM` as minutes since midnight; 24:00 is the end of the day.
    fn clock(&self, pair: Pair<'_, Rule>) -> Spanned<u16> {
        let at = range(&pair);
        let minutes = pair.as_str().split_once(':').and_then(|(h, m)| {
            let (h, m) = (h.parse::<u16>().ok()?, m.parse::<u16>().ok()?);
            let valid = (h < 24 && m < 60) || (h == 24 && m == 0);
            valid.then_some(h * 60 + m)
        });
        let value = minutes.unwrap_or_else(|| {
            self.fault(at, "a time of day runs from 00:00 to 24:00");
            0
        });
        Spanned { value, range: at }
    }

    fn unary(&self, op: Pair<'_, Rule>, rhs: Expr) -> Expr {
        let op_kind = match node(op.as_rule()) {
            Node::Prefix(kind) => kind,
            _ => UnaryOp::Not,
        };
        let at = Range {
            start: op.as_span().start(),
            end: rhs.range.end,
        };
        Expr {
            kind: ExprKind::Unary(op_kind, Box::new(rhs)),
            range: at,
        }
    }
}

fn binary(op: Pair<'_, Rule>, lhs: Expr, rhs: Expr) -> Expr {
    let op_kind = match node(op.as_rule()) {
        Node::Infix(kind) => kind,
        _ => BinaryOp::Or,
    };
    let at = Range {
        start: lhs.range.start,
        end: rhs.range.end,
    };
    Expr {
        kind: ExprKind::Binary(op_kind, Box::new(lhs), Box::new(rhs)),
        range: at,
    }
}

/// Resolves escapes; on an unknown one returns its byte offset in `body`.
pub(crate) fn unescape(body: &str) -> Result<String, usize> {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.char_indices();
    while let Some((_, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some((_, '"')) => out.push('"'),
            Some((_, '\\')) => out.push('\\'),
            Some((_, 'n')) => out.push('\n'),
            Some((_, 't')) => out.push('\t'),
            Some((i, _)) => return Err(i - 1),
            None => return Err(body.len().saturating_sub(1)),
        }
    }
    Ok(out)
}
