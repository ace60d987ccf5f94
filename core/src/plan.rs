//! Stage 3: checked rules to an executable plan.
//!
//! Expressions become small trees that read events directly: field look-ups
//! are resolved, `x == null` becomes a presence test, address literals are
//! parsed once, and sets become hash sets.

mod node;

pub use node::{GroupNode, Node};

use crate::ast::{BinaryOp, Expr, ExprKind, Literal, UnaryOp};
use crate::check::{Grouping, RuleSpec};
use crate::event::Field;
use crate::read::canonical::parse_ip;
use crate::time::Calendar;
use std::collections::HashSet;

/// How a planned rule windows its groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// Every matching event is its own finding.
    PerEvent,
    /// Calendar windows in the run's zone.
    Calendar(Calendar),
    /// One window: the whole period.
    Period,
}

/// An aggregate computed per group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregate {
    /// `count()`: the number of matching events.
    Count,
}

impl Aggregate {
    /// The name the report uses for its value.
    pub fn name(self) -> &'static str {
        match self {
            Aggregate::Count => "count",
        }
    }
}

/// A rule ready to evaluate.
#[derive(Debug, Clone)]
pub struct PlannedRule {
    /// The checked rule: names, metadata, template.
    pub spec: RuleSpec,
    /// The filter; `None` matches every event.
    pub filter: Option<Node>,
    /// The group key fields with their written names.
    pub keys: Vec<(String, Field)>,
    /// The window.
    pub window: Window,
    /// The aggregates the alert reads, in slot order.
    pub aggregates: Vec<Aggregate>,
    /// When a group becomes a finding; `None` means always.
    pub alert: Option<GroupNode>,
}

/// Plans one checked rule.
pub fn plan_rule(spec: &RuleSpec) -> PlannedRule {
    let (keys, window) = match &spec.grouping {
        Grouping::PerEvent => (Vec::new(), Window::PerEvent),
        Grouping::Groups { keys, per: Some(c) } => (keys.clone(), Window::Calendar(*c)),
        Grouping::Groups { keys, per: None } => (keys.clone(), Window::Period),
    };
    let mut aggregates = Vec::new();
    let alert = spec.alert.as_ref().map(|a| group_node(a, &mut aggregates));
    PlannedRule {
        spec: spec.clone(),
        filter: spec.filter.as_ref().map(event_node),
        keys,
        window,
        aggregates,
        alert,
    }
}

/// Lowers an event expression that passed checking.
fn event_node(expr: &Expr) -> Node {
    match &expr.kind {
        ExprKind::Literal(literal) => Node::Const(constant(literal)),
        ExprKind::Path(parts) => Node::Field(field(parts)),
        ExprKind::Set(_) | ExprKind::Call(..) => Node::Const(node::Const::Null),
        ExprKind::Unary(UnaryOp::Not, e) => Node::Not(Box::new(event_node(e))),
        ExprKind::Unary(UnaryOp::Neg, e) => Node::Neg(Box::new(event_node(e))),
        ExprKind::Binary(op, lhs, rhs) => binary(*op, lhs, rhs),
    }
}

fn field(parts: &[String]) -> Field {
    match parts {
        [name] => Field::canonical(name).unwrap_or(Field::Attribute(name.clone())),
        [_, name] => Field::Attribute(name.clone()),
        _ => Field::Attribute(parts.join(".")),
    }
}

fn constant(literal: &Literal) -> node::Const {
    match literal {
        Literal::Text(s) => node::Const::Text(s.as_str().into()),
        Literal::Number(n) => node::Const::Number(*n),
        Literal::Bool(b) => node::Const::Bool(*b),
        Literal::Null => node::Const::Null,
    }
}

fn binary(op: BinaryOp, lhs: &Expr, rhs: &Expr) -> Node {
    let is_null = |e: &Expr| matches!(e.kind, ExprKind::Literal(Literal::Null));
    let null_test = |e: &Expr, present: bool| Node::Present(Box::new(event_node(e)), present);
    match op {
        BinaryOp::Eq if is_null(rhs) => null_test(lhs, false),
        BinaryOp::Eq if is_null(lhs) => null_test(rhs, false),
        BinaryOp::Ne if is_null(rhs) => null_test(lhs, true),
        BinaryOp::Ne if is_null(lhs) => null_test(rhs, true),
        BinaryOp::And => Node::And(Box::new(event_node(lhs)), Box::new(event_node(rhs))),
        BinaryOp::Or => Node::Or(Box::new(event_node(lhs)), Box::new(event_node(rhs))),
        BinaryOp::In => Node::In(Box::new(event_node(lhs)), set(rhs), true),
        BinaryOp::NotIn => Node::In(Box::new(event_node(lhs)), set(rhs), false),
        _ => Node::Binary(op, Box::new(operand(lhs, rhs)), Box::new(operand(rhs, lhs))),
    }
}

/// An operand; a text literal compared with an address becomes an address.
fn operand(expr: &Expr, other: &Expr) -> Node {
    let other_is_ip = matches!(&other.kind, ExprKind::Path(p) if p.len() == 1 && p[0] == "ip");
    if let (true, ExprKind::Literal(Literal::Text(text))) = (other_is_ip, &expr.kind) {
        if let Some(ip) = parse_ip(text) {
            return Node::Const(node::Const::Ip(ip));
        }
    }
    event_node(expr)
}

fn set(expr: &Expr) -> Box<node::Set> {
    let mut set = node::Set {
        texts: HashSet::new(),
        numbers: Vec::new(),
    };
    if let ExprKind::Set(items) = &expr.kind {
        for item in items {
            match &item.value {
                Literal::Text(s) => drop(set.texts.insert(s.clone())),
                Literal::Number(n) => set.numbers.push(*n),
                Literal::Bool(_) | Literal::Null => {}
            }
        }
    }
    Box::new(set)
}

/// Lowers an alert expression, collecting the aggregates it reads.
fn group_node(expr: &Expr, aggregates: &mut Vec<Aggregate>) -> GroupNode {
    let mut lower = |e: &Expr| Box::new(group_node(e, aggregates));
    match &expr.kind {
        ExprKind::Literal(Literal::Number(n)) => GroupNode::Number(*n),
        ExprKind::Call(..) => GroupNode::Slot(slot(aggregates, Aggregate::Count)),
        ExprKind::Unary(UnaryOp::Not, e) => GroupNode::Not(lower(e)),
        ExprKind::Unary(UnaryOp::Neg, e) => GroupNode::Neg(lower(e)),
        ExprKind::Binary(op, lhs, rhs) => {
            let left = lower(lhs);
            GroupNode::Binary(*op, left, lower(rhs))
        }
        ExprKind::Literal(_) | ExprKind::Path(_) | ExprKind::Set(_) => GroupNode::Number(0.0),
    }
}

fn slot(aggregates: &mut Vec<Aggregate>, aggregate: Aggregate) -> usize {
    match aggregates.iter().position(|a| *a == aggregate) {
        Some(i) => i,
        None => {
            aggregates.push(aggregate);
            aggregates.len() - 1
        }
    }
}
