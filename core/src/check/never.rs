//! Finding rules that can never fire.
//!
//! The analysis is deliberately simple and never wrong in the direction
//! that matters: when it says a condition can never hold, it cannot. It
//! folds constants, splits a condition into the parts joined by top-level
//! `and`, and looks for parts that contradict each other or themselves:
//!
//! - a part that is constantly false (`false`, `1 == 2`, `x in {}`);
//! - one field required to equal two different constants, or to equal a
//!   constant and be missing, or to be both present and missing;
//! - in `alert`, `count()` compared so that no group can satisfy it: every
//!   group holds at least one event.

use crate::ast::{BinaryOp, Expr, ExprKind, Literal, UnaryOp};
use std::collections::BTreeMap;

/// Why `expr`, a `where` condition, can never hold; `None` when it may.
pub(super) fn never_matches(expr: &Expr) -> Option<String> {
    let parts = conjuncts(expr);
    if let Some(part) = parts.iter().find(|p| constant(p) == Some(false)) {
        return Some(format!("`{}` is never true", crate::print::expr(part)));
    }
    contradiction(&parts)
}

/// Why `alert`, over a group's aggregates, can never hold.
pub(super) fn never_alerts(alert: &Expr) -> Option<String> {
    let parts = conjuncts(alert);
    if let Some(part) = parts.iter().find(|p| constant(p) == Some(false)) {
        return Some(format!("`{}` is never true", crate::print::expr(part)));
    }
    parts.iter().find(|p| impossible_count(p)).map(|part| {
        format!(
            "`{}` never holds: every group has at least one event",
            crate::print::expr(part)
        )
    })
}

/// The parts of `expr` joined by top-level `and`.
fn conjuncts(expr: &Expr) -> Vec<&Expr> {
    let mut parts = Vec::new();
    let mut stack = vec![expr];
    while let Some(e) = stack.pop() {
        match &e.kind {
            ExprKind::Binary(BinaryOp::And, l, r) => {
                stack.push(r);
                stack.push(l);
            }
            _ => parts.push(e),
        }
    }
    parts
}

/// The truth of a condition made only of constants.
fn constant(expr: &Expr) -> Option<bool> {
    match &expr.kind {
        ExprKind::Literal(Literal::Bool(b)) => Some(*b),
        ExprKind::Unary(UnaryOp::Not, e) => constant(e).map(|b| !b),
        ExprKind::Binary(BinaryOp::And, l, r) => match (constant(l), constant(r)) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        },
        ExprKind::Binary(BinaryOp::Or, l, r) => match (constant(l), constant(r)) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), Some(false)) => Some(false),
            _ => None,
        },
        ExprKind::Binary(BinaryOp::In, _, set) => empty_set(set).then_some(false),
        ExprKind::Binary(op, l, r) if op.is_comparison() => compare(*op, literal(l)?, literal(r)?),
        _ => None,
    }
}

fn empty_set(expr: &Expr) -> bool {
    matches!(&expr.kind, ExprKind::Set(items) if items.is_empty())
}

fn literal(expr: &Expr) -> Option<&Literal> {
    match &expr.kind {
        ExprKind::Literal(literal) => Some(literal),
        _ => None,
    }
}

/// A comparison of two literals, as evaluation would decide it; `None`
/// where evaluation says "missing" (comparisons with `null`).
fn compare(op: BinaryOp, left: &Literal, right: &Literal) -> Option<bool> {
    let ordering = match (left, right) {
        (Literal::Number(a), Literal::Number(b)) => a.partial_cmp(b)?,
        (Literal::Text(a), Literal::Text(b)) => a.cmp(b),
        (Literal::Bool(a), Literal::Bool(b)) if matches!(op, BinaryOp::Eq | BinaryOp::Ne) => {
            a.cmp(b)
        }
        _ => return None,
    };
    Some(crate::plan::holds(op, ordering))
}

/// What the parts of a conjunction require of one field.
#[derive(Default)]
struct Demand<'e> {
    equals: Option<&'e Literal>,
    present: bool,
    missing: bool,
}

/// Two parts that cannot both hold, as a reason.
fn contradiction(parts: &[&Expr]) -> Option<String> {
    let mut demands: BTreeMap<String, Demand<'_>> = BTreeMap::new();
    for part in parts {
        let Some((field, want)) = requirement(part) else {
            continue;
        };
        let demand = demands.entry(field.clone()).or_default();
        let clash = match want {
            Want::Equals(value) => {
                let other = demand.equals.replace(value);
                demand.missing || other.is_some_and(|o| o != value)
            }
            Want::Present => {
                demand.present = true;
                demand.missing
            }
            Want::Missing => {
                demand.missing = true;
                demand.present || demand.equals.is_some()
            }
        };
        if clash {
            return Some(format!("`{field}` cannot meet every part of the condition"));
        }
    }
    None
}

enum Want<'e> {
    Equals(&'e Literal),
    Present,
    Missing,
}

/// What one part requires of a field: `f == "x"`, `f != null`, `f == null`.
fn requirement(part: &Expr) -> Option<(String, Want<'_>)> {
    let ExprKind::Binary(op, l, r) = &part.kind else {
        return None;
    };
    let (path, value) = match (&l.kind, &r.kind) {
        (ExprKind::Path(p), ExprKind::Literal(v)) | (ExprKind::Literal(v), ExprKind::Path(p)) => {
            (p.join("."), v)
        }
        _ => return None,
    };
    let want = match (op, value) {
        (BinaryOp::Eq, Literal::Null) => Want::Missing,
        (BinaryOp::Ne, Literal::Null) => Want::Present,
        (BinaryOp::Eq, value) => Want::Equals(value),
        _ => return None,
    };
    Some((path, want))
}

/// `count() < 1`, `count() <= 0`, `count() == 0` and the like.
fn impossible_count(part: &Expr) -> bool {
    let ExprKind::Binary(op, l, r) = &part.kind else {
        return false;
    };
    let is_count =
        |e: &Expr| matches!(&e.kind, ExprKind::Call(n, a) if n.value == "count" && a.is_empty());
    let number = |e: &Expr| match &e.kind {
        ExprKind::Literal(Literal::Number(n)) => Some(*n),
        _ => None,
    };
    let (op, bound) = match (is_count(l), is_count(r)) {
        (true, false) => (*op, number(r)),
        (false, true) => (flip(*op), number(l)),
        _ => return false,
    };
    let Some(n) = bound else { return false };
    match op {
        BinaryOp::Lt => n <= 1.0,
        BinaryOp::Le => n < 1.0,
        BinaryOp::Eq => n < 1.0 || n.fract() != 0.0,
        _ => false,
    }
}

/// The operator with its sides swapped: `3 > count()` is `count() < 3`.
fn flip(op: BinaryOp) -> BinaryOp {
    match op {
        BinaryOp::Lt => BinaryOp::Gt,
        BinaryOp::Le => BinaryOp::Ge,
        BinaryOp::Gt => BinaryOp::Lt,
        BinaryOp::Ge => BinaryOp::Le,
        other => other,
    }
}
