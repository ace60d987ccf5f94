//! Syntax trees back to text, in the one canonical layout.
//!
//! Expressions print with single spaces around operators and parentheses
//! only where precedence needs them, so `print(parse(text))` reads the same
//! as the text for a person and parses to the same tree.

use crate::ast::{BinaryOp, Expr, ExprKind, Literal, UnaryOp};

/// Binding strength of an operator; higher binds tighter.
fn strength(op: BinaryOp) -> u8 {
    match op {
        BinaryOp::Or => 1,
        BinaryOp::And => 2,
        BinaryOp::Eq
        | BinaryOp::Ne
        | BinaryOp::Lt
        | BinaryOp::Le
        | BinaryOp::Gt
        | BinaryOp::Ge
        | BinaryOp::In
        | BinaryOp::NotIn => 4,
        BinaryOp::Add | BinaryOp::Sub => 5,
        BinaryOp::Mul | BinaryOp::Div => 6,
    }
}

/// The strength of `not`: between `and` and the comparisons.
const NOT: u8 = 3;

/// The strength of unary minus: tighter than any infix operator.
const NEG: u8 = 7;

/// An expression as canonical text.
pub fn expr(e: &Expr) -> String {
    let mut out = String::new();
    write(&mut out, e, 0);
    out
}

/// The strength of the outermost operator of `e`.
fn outer(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Binary(op, ..) => strength(*op),
        ExprKind::Unary(UnaryOp::Not, _) => NOT,
        ExprKind::Unary(UnaryOp::Neg, _) => NEG,
        ExprKind::Between(..) => 4,
        _ => u8::MAX,
    }
}

/// Writes `e`, parenthesised when it binds looser than `needed`.
fn write(out: &mut String, e: &Expr, needed: u8) {
    let parens = outer(e) < needed;
    if parens {
        out.push('(');
    }
    match &e.kind {
        ExprKind::Literal(literal) => out.push_str(&self::literal(literal)),
        ExprKind::Path(parts) => out.push_str(&parts.join(".")),
        ExprKind::Call(name, args) => call(out, &name.value, args),
        ExprKind::Set(items) => set(out, items.iter().map(|i| &i.value)),
        ExprKind::Unary(op, operand) => unary(out, *op, operand),
        ExprKind::Binary(op, lhs, rhs) => binary(out, *op, lhs, rhs),
        ExprKind::Between(operand, from, to) => {
            write(out, operand, 5);
            out.push_str(&format!(
                " between {} and {}",
                clock(from.value),
                clock(to.value)
            ));
        }
    }
    if parens {
        out.push(')');
    }
}

fn call(out: &mut String, name: &str, args: &[Expr]) {
    out.push_str(name);
    out.push('(');
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write(out, arg, 0);
    }
    out.push(')');
}

fn set<'a>(out: &mut String, items: impl Iterator<Item = &'a Literal>) {
    let items: Vec<String> = items.map(literal).collect();
    out.push('{');
    out.push_str(&items.join(", "));
    out.push('}');
}

fn unary(out: &mut String, op: UnaryOp, operand: &Expr) {
    match op {
        UnaryOp::Not => {
            out.push_str("not ");
            write(out, operand, NOT);
        }
        UnaryOp::Neg => {
            out.push('-');
            write(out, operand, NEG);
        }
    }
}

/// Operators of one strength associate to the left, so a right operand of
/// the same strength keeps its parentheses; comparisons never chain.
fn binary(out: &mut String, op: BinaryOp, lhs: &Expr, rhs: &Expr) {
    let own = strength(op);
    let left = if own == 4 { own + 1 } else { own };
    write(out, lhs, left);
    out.push(' ');
    out.push_str(op.symbol());
    out.push(' ');
    write(out, rhs, own + 1);
}

/// Whether `e` is printed in parentheses as the left (`right == false`) or
/// right operand of `op`, as [`expr`] prints it. Line breaking in the
/// formatter asks this so its output parses to the same tree.
pub fn needs_parens(e: &Expr, op: BinaryOp, right: bool) -> bool {
    let own = strength(op);
    let needed = match (right, own) {
        (true, _) | (false, 4) => own + 1,
        (false, _) => own,
    };
    outer(e) < needed
}

/// Minutes since midnight as `HH:MM`.
pub fn clock(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// A literal as written in rule files.
pub fn literal(literal: &Literal) -> String {
    match literal {
        Literal::Text(text) => string(text),
        Literal::Number(n) => number(*n),
        Literal::Bool(b) => b.to_string(),
        Literal::Null => "null".to_string(),
    }
}

/// A string literal with its escapes.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A number as written: `7`, `2.5`.
pub fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::Clause;
    use crate::parse::parse;

    fn round(text: &str) -> String {
        let file = parse(&format!("rule r {{ where {text} }}")).expect("parses");
        match &file.rules[0].clauses[0].value {
            Clause::Where(e) => expr(e),
            _ => String::new(),
        }
    }

    #[test]
    fn needs_parens_agrees_with_the_printed_text() {
        let file = parse("rule r { where (a or b) and (c and d) and e == 1 }").expect("parses");
        let Clause::Where(e) = &file.rules[0].clauses[0].value else {
            panic!("a where clause");
        };
        let ExprKind::Binary(BinaryOp::And, left, last) = &e.kind else {
            panic!("an `and`");
        };
        let ExprKind::Binary(BinaryOp::And, or, and) = &left.kind else {
            panic!("an `and`");
        };
        assert!(needs_parens(or, BinaryOp::And, false));
        assert!(needs_parens(and, BinaryOp::And, true));
        assert!(!needs_parens(last, BinaryOp::And, true));
        assert_eq!(expr(e), "(a or b) and (c and d) and e == 1");
    }

    #[test]
    fn prints_canonically_with_needed_parentheses_only() {
        let cases = [
            ("a==1 and (b==2 or c==3)", "a == 1 and (b == 2 or c == 3)"),
            ("(a==1 and b==2) or c==3", "a == 1 and b == 2 or c == 3"),
            ("not (a == 1)", "not a == 1"),
            ("(not a == 1) == b", "(not a == 1) == b"),
            ("amount - (1 - 2) > -(3)", "amount - (1 - 2) > -3"),
            ("x in {\"a\",\"b\"}", "x in {\"a\", \"b\"}"),
            (
                "count(action == \"r\") > 2.5",
                "count(action == \"r\") > 2.5",
            ),
            ("u == \"q\\\"\\\\\"", "u == \"q\\\"\\\\\""),
        ];
        for (text, expected) in cases {
            assert_eq!(round(text), expected, "{text}");
            assert_eq!(round(expected), expected, "printing is idempotent");
        }
    }
}
