//! Executable expression trees and their semantics.
//!
//! Null semantics: a missing field makes every comparison false, `in` and
//! `not in` included; `x == null` and `x != null` test presence. Values of
//! different types are never equal.

use crate::ast::BinaryOp;
use crate::event::{Event, Field, FieldValue};
use std::collections::HashSet;
use std::net::IpAddr;

/// A constant in a plan.
#[derive(Debug, Clone, PartialEq)]
pub enum Const {
    /// `null`
    Null,
    /// true or false.
    Bool(bool),
    /// A number.
    Number(f64),
    /// Text.
    Text(Box<str>),
    /// An IP address, from a text literal compared with `ip`.
    Ip(IpAddr),
}

/// The members of a set literal.
#[derive(Debug, Clone, PartialEq)]
pub struct Set {
    /// Text members.
    pub texts: HashSet<String>,
    /// Number members.
    pub numbers: Vec<f64>,
}

/// An expression over one event.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A constant.
    Const(Const),
    /// A field of the event.
    Field(Field),
    /// `not`
    Not(Box<Node>),
    /// Unary minus.
    Neg(Box<Node>),
    /// `and`, evaluated left to right, stopping early.
    And(Box<Node>, Box<Node>),
    /// `or`, evaluated left to right, stopping early.
    Or(Box<Node>, Box<Node>),
    /// `!= null` (true) or `== null` (false).
    Present(Box<Node>, bool),
    /// `in` (true) or `not in` (false).
    In(Box<Node>, Box<Set>, bool),
    /// A comparison or arithmetic.
    Binary(BinaryOp, Box<Node>, Box<Node>),
}

/// A value during evaluation.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Val<'a> {
    Missing,
    Bool(bool),
    Number(f64),
    Text(&'a str),
    Ip(IpAddr),
    Time(i64),
}

impl Node {
    /// Whether `event` satisfies the expression.
    pub fn matches(&self, event: &Event) -> bool {
        self.value(event) == Val::Bool(true)
    }

    /// The expression's value as a number, when it is one.
    pub fn number(&self, event: &Event) -> Option<f64> {
        match self.value(event) {
            Val::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The expression's value as text, for counting distinct values; a
    /// missing value is `None`.
    pub fn text(&self, event: &Event) -> Option<String> {
        match self.value(event) {
            Val::Missing => None,
            Val::Bool(b) => Some(b.to_string()),
            Val::Number(n) => Some(crate::print::number(n)),
            Val::Text(s) => Some(s.to_string()),
            Val::Ip(ip) => Some(ip.to_string()),
            Val::Time(t) => Some(t.to_string()),
        }
    }

    fn value<'a>(&'a self, event: &'a Event) -> Val<'a> {
        match self {
            Node::Const(c) => constant(c),
            Node::Field(f) => field(event, f),
            Node::Not(e) => not(e.value(event)),
            Node::Neg(e) => neg(e.value(event)),
            Node::And(l, r) => Val::Bool(l.matches(event) && r.matches(event)),
            Node::Or(l, r) => Val::Bool(l.matches(event) || r.matches(event)),
            Node::Present(e, want) => Val::Bool((e.value(event) != Val::Missing) == *want),
            Node::In(e, set, want) => member(e.value(event), set, *want),
            Node::Binary(op, l, r) => binary(*op, l.value(event), r.value(event)),
        }
    }
}

fn constant(c: &Const) -> Val<'_> {
    match c {
        Const::Null => Val::Missing,
        Const::Bool(b) => Val::Bool(*b),
        Const::Number(n) => Val::Number(*n),
        Const::Text(s) => Val::Text(s),
        Const::Ip(ip) => Val::Ip(*ip),
    }
}

fn field<'a>(event: &'a Event, field: &Field) -> Val<'a> {
    match event.get(field) {
        None => Val::Missing,
        Some(FieldValue::Text(s)) => Val::Text(s),
        Some(FieldValue::Number(n)) => Val::Number(n),
        Some(FieldValue::Bool(b)) => Val::Bool(b),
        Some(FieldValue::Ip(ip)) => Val::Ip(ip),
        Some(FieldValue::Time(t)) => Val::Time(t.timestamp()),
    }
}

/// `not` of a missing value is true: `not (x == 1)` holds when x is absent.
fn not(value: Val<'_>) -> Val<'_> {
    Val::Bool(value != Val::Bool(true))
}

fn neg(value: Val<'_>) -> Val<'_> {
    match value {
        Val::Number(n) => Val::Number(-n),
        _ => Val::Missing,
    }
}

fn member<'a>(value: Val<'a>, set: &Set, want: bool) -> Val<'a> {
    let found = match value {
        Val::Missing => return Val::Bool(false),
        Val::Text(s) => set.texts.contains(s),
        Val::Number(n) => set.numbers.contains(&n),
        _ => false,
    };
    Val::Bool(found == want)
}

fn binary<'a>(op: BinaryOp, left: Val<'a>, right: Val<'a>) -> Val<'a> {
    if left == Val::Missing || right == Val::Missing {
        return if op.is_comparison() {
            Val::Bool(false)
        } else {
            Val::Missing
        };
    }
    match op {
        BinaryOp::Eq => Val::Bool(left == right),
        BinaryOp::Ne => Val::Bool(left != right),
        BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => ordered(op, left, right),
        _ => arithmetic(op, left, right),
    }
}

fn ordered<'a>(op: BinaryOp, left: Val<'a>, right: Val<'a>) -> Val<'a> {
    let ordering = match (left, right) {
        (Val::Number(a), Val::Number(b)) => a.partial_cmp(&b),
        (Val::Text(a), Val::Text(b)) => Some(a.cmp(b)),
        (Val::Time(a), Val::Time(b)) => Some(a.cmp(&b)),
        _ => None,
    };
    Val::Bool(ordering.is_some_and(|o| holds(op, o)))
}

/// Whether an ordering satisfies a comparison operator.
pub(crate) fn holds(op: BinaryOp, ordering: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::{Equal, Greater, Less};
    match op {
        BinaryOp::Eq => ordering == Equal,
        BinaryOp::Ne => ordering != Equal,
        BinaryOp::Lt => ordering == Less,
        BinaryOp::Le => ordering != Greater,
        BinaryOp::Gt => ordering == Greater,
        BinaryOp::Ge => ordering != Less,
        _ => false,
    }
}

fn arithmetic<'a>(op: BinaryOp, left: Val<'a>, right: Val<'a>) -> Val<'a> {
    let (Val::Number(a), Val::Number(b)) = (left, right) else {
        return Val::Missing;
    };
    finite(calculate(op, a, b))
}

fn calculate(op: BinaryOp, a: f64, b: f64) -> f64 {
    match op {
        BinaryOp::Add => a + b,
        BinaryOp::Sub => a - b,
        BinaryOp::Mul => a * b,
        BinaryOp::Div => a / b,
        _ => f64::NAN,
    }
}

/// Division by zero and overflow give no value, never NaN or infinity.
fn finite<'a>(n: f64) -> Val<'a> {
    if n.is_finite() {
        Val::Number(n)
    } else {
        Val::Missing
    }
}

/// An expression over a group's aggregates.
#[derive(Debug, Clone, PartialEq)]
pub enum GroupNode {
    /// A number.
    Number(f64),
    /// The value of aggregate slot `n`.
    Slot(usize),
    /// `not`
    Not(Box<GroupNode>),
    /// Unary minus.
    Neg(Box<GroupNode>),
    /// Logic, comparison or arithmetic.
    Binary(BinaryOp, Box<GroupNode>, Box<GroupNode>),
}

/// A group expression's value: a number, a truth value, or none (x / 0).
#[derive(Debug, Clone, Copy, PartialEq)]
enum GroupVal {
    None,
    Bool(bool),
    Number(f64),
}

impl GroupNode {
    /// Whether a group with these aggregate values fires; a missing value
    /// (the minimum of no values) makes its comparisons false.
    pub fn fires(&self, slots: &[Option<f64>]) -> bool {
        self.value(slots) == GroupVal::Bool(true)
    }

    fn value(&self, slots: &[Option<f64>]) -> GroupVal {
        match self {
            GroupNode::Number(n) => GroupVal::Number(*n),
            GroupNode::Slot(i) => match slots.get(*i) {
                Some(Some(n)) => GroupVal::Number(*n),
                _ => GroupVal::None,
            },
            GroupNode::Not(e) => GroupVal::Bool(!e.fires(slots)),
            GroupNode::Neg(e) => match e.value(slots) {
                GroupVal::Number(n) => GroupVal::Number(-n),
                _ => GroupVal::None,
            },
            GroupNode::Binary(op, l, r) => group_binary(*op, l, r, slots),
        }
    }
}

fn group_binary(op: BinaryOp, l: &GroupNode, r: &GroupNode, slots: &[Option<f64>]) -> GroupVal {
    match op {
        BinaryOp::And => return GroupVal::Bool(l.fires(slots) && r.fires(slots)),
        BinaryOp::Or => return GroupVal::Bool(l.fires(slots) || r.fires(slots)),
        _ => {}
    }
    let (GroupVal::Number(a), GroupVal::Number(b)) = (l.value(slots), r.value(slots)) else {
        return if op.is_comparison() {
            GroupVal::Bool(false)
        } else {
            GroupVal::None
        };
    };
    if op.is_comparison() {
        return GroupVal::Bool(a.partial_cmp(&b).is_some_and(|o| holds(op, o)));
    }
    let n = calculate(op, a, b);
    if n.is_finite() {
        GroupVal::Number(n)
    } else {
        GroupVal::None
    }
}
