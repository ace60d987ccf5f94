use super::*;
use crate::ast::{BinaryOp, Clause, ExprKind, Literal, UnaryOp, WindowSpec};

const SAMPLE: &str = r#"
zone "Europe/Stockholm"  # the care provider's zone

rule failed {
    title    "Repeated failed sign-ins"
    category unauthorized; severity high
    where    action == "login" and outcome == "failure"
    group by user per day
    alert    when count() >= 5
    explain  "{user} failed {count} times"
}
"#;

fn parsed(text: &str) -> File {
    parse(text).expect("the text parses")
}

fn first_error(text: &str) -> Diagnostic {
    match parse(text) {
        Ok(_) => Diagnostic::error("none", "parsed"),
        Err(e) => e
            .diagnostics
            .into_iter()
            .next()
            .unwrap_or(Diagnostic::error("none", "")),
    }
}

fn where_expr(text: &str) -> ExprKind {
    let file = parsed(&format!("rule r {{ where {text} }}"));
    let clause = file
        .rules
        .first()
        .and_then(|r| r.clauses.first())
        .map(|c| c.value.clone());
    match clause {
        Some(Clause::Where(expr)) => expr.kind,
        _ => ExprKind::Literal(Literal::Null),
    }
}

fn shape(kind: &ExprKind) -> String {
    match kind {
        ExprKind::Literal(Literal::Text(s)) => format!("{s:?}"),
        ExprKind::Literal(Literal::Number(n)) => n.to_string(),
        ExprKind::Literal(other) => format!("{other:?}").to_lowercase(),
        ExprKind::Path(p) => p.join("."),
        ExprKind::Call(name, args) => {
            let args: Vec<_> = args.iter().map(|a| shape(&a.kind)).collect();
            format!("{}({})", name.value, args.join(", "))
        }
        ExprKind::Set(items) => format!("{{{}}}", items.len()),
        ExprKind::Unary(UnaryOp::Not, e) => format!("(not {})", shape(&e.kind)),
        ExprKind::Unary(UnaryOp::Neg, e) => format!("(-{})", shape(&e.kind)),
        ExprKind::Binary(op, l, r) => {
            format!("({} {} {})", shape(&l.kind), op.symbol(), shape(&r.kind))
        }
        ExprKind::Between(e, from, to) => {
            format!("({} between {} {})", shape(&e.kind), from.value, to.value)
        }
    }
}

#[test]
fn parses_a_whole_rule() {
    let file = parsed(SAMPLE);
    assert_eq!(file.zones[0].value, "Europe/Stockholm");
    let rule = &file.rules[0];
    assert_eq!(rule.name.value, "failed");
    let keywords: Vec<_> = rule.clauses.iter().map(|c| c.value.keyword()).collect();
    let expected = [
        "title", "category", "severity", "where", "group by", "alert", "explain",
    ];
    assert_eq!(keywords, expected);
    let Some(Clause::GroupBy(group)) = rule.clauses.get(4).map(|c| &c.value) else {
        return assert_eq!(keywords, ["group by expected"]);
    };
    assert_eq!(group.keys[0].value, ["user"]);
    let day = WindowSpec::Calendar("day".into());
    assert_eq!(group.per.as_ref().map(|p| &p.value), Some(&day));
}

#[test]
fn and_binds_tighter_than_or() {
    let kind = where_expr("a == 1 and b == 2 or c == 3");
    assert_eq!(shape(&kind), "(((a == 1) and (b == 2)) or (c == 3))");
    let kind = where_expr("a == 1 and (b == 2 or c == 3)");
    assert_eq!(shape(&kind), "((a == 1) and ((b == 2) or (c == 3)))");
}

#[test]
fn not_applies_to_a_whole_comparison() {
    let kind = where_expr("not action == \"read\" and user != null");
    assert_eq!(
        shape(&kind),
        "((not (action == \"read\")) and (user != null))"
    );
}

#[test]
fn sets_and_not_in() {
    let kind = where_expr("action in {\"read\", \"print\"} or unit not in {\"a\"}");
    assert_eq!(shape(&kind), "((action in {2}) or (unit not in {1}))");
}

#[test]
fn arithmetic_precedence() {
    let kind = where_expr("amount * 2 + 1 > -3");
    assert_eq!(shape(&kind), "(((amount * 2) + 1) > (-3))");
}

#[test]
fn names_may_start_with_keywords() {
    let kind = where_expr("attr.notes == \"x\" or order_no == 1 or index == 2");
    assert_eq!(
        shape(&kind),
        "(((attr.notes == \"x\") or (order_no == 1)) or (index == 2))"
    );
}

#[test]
fn string_escapes() {
    let kind = where_expr(r#"user == "a\"b\\c""#);
    assert_eq!(shape(&kind), r#"(user == "a\"b\\c")"#);
    let error = first_error(r#"rule r { title "bad \q escape" }"#);
    assert_eq!(error.code, "LV0102");
    assert_eq!(error.span().map(|s| (s.line, s.column)), Some((1, 21)));
}

#[test]
fn syntax_error_points_at_the_fault() {
    let text = "rule r {\n    where action = \"read\"\n}\n";
    let error = first_error(text);
    assert_eq!(error.code, "LV0101");
    assert_eq!(error.span().map(|s| (s.line, s.column)), Some((2, 18)));
    assert_eq!(error.help.as_deref(), Some("compare with `==`"));
}

#[test]
fn missing_brace_reports_end_of_file() {
    let error = first_error("rule r {\n  title \"x\"\n");
    assert_eq!(error.span().map(|s| s.line), Some(3));
    assert!(
        error.message.ends_with("found the end of the file"),
        "{}",
        error.message
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let text = format!(
        "rule r {{ where {}a{} }}",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    assert_eq!(first_error(&text).code, "LV0104");
    let text = format!("rule r {{ where {} a }}", "not ".repeat(10_000));
    assert_eq!(first_error(&text).code, "LV0104");
}

#[test]
fn very_long_expressions_are_an_error() {
    let text = format!("rule r {{ where a == 1{} }}", " or a == 1".repeat(2_000));
    assert_eq!(first_error(&text).code, "LV0104");
}

#[test]
fn nesting_inside_strings_and_comments_is_ignored() {
    let text = format!(
        "# {}\nrule r {{ title \"{}\" }}",
        "(".repeat(100),
        "{".repeat(100)
    );
    assert_eq!(parsed(&text).rules.len(), 1);
}

#[test]
fn operators_need_word_boundaries() {
    let error = first_error("rule r { where a == 1 andb == 2 }");
    assert_eq!(error.code, "LV0101", "`andb` is not `and`");
    assert_eq!(error.span().map(|s| s.column), Some(23));
}

#[test]
fn binary_op_kinds() {
    let ExprKind::Binary(op, _, _) = where_expr("a <= 1") else {
        return;
    };
    assert_eq!(op, BinaryOp::Le);
}

#[test]
fn parameters_keep_their_values() {
    let file = parsed("param a = 5\nparam b = -2.5;\nparam c = \"avd-12\"\n");
    let values: Vec<(String, Literal)> = file
        .params
        .iter()
        .map(|p| (p.name.value.clone(), p.value.value.clone()))
        .collect();
    let expected = [
        ("a".to_string(), Literal::Number(5.0)),
        ("b".to_string(), Literal::Number(-2.5)),
        ("c".to_string(), Literal::Text("avd-12".into())),
    ];
    assert_eq!(values, expected);
}

#[test]
fn a_byte_order_mark_is_allowed() {
    let file = parsed("\u{feff}rule r { title \"t\" }");
    assert_eq!(file.rules.len(), 1);
}
