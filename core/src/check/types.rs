//! Types of expressions, checked before evaluation.

use super::{Checker, suggest};
use crate::ast::{BinaryOp, Expr, ExprKind, Literal, Spanned, UnaryOp};
use crate::codes;
use crate::event::{Field, FieldType, Outcome};
use crate::function::Function;

/// The type of an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    /// true or false.
    Bool,
    /// Text.
    Text,
    /// A number.
    Number,
    /// An instant.
    Time,
    /// An IP address.
    Ip,
    /// `null`.
    Null,
    /// A set of text.
    TextSet,
    /// A set of numbers.
    NumberSet,
    /// A set of addresses and CIDR ranges.
    NetworkSet,
    /// A named list of the context data: text, or addresses and ranges.
    ContextList,
    /// Undeclared: extension attributes may hold anything.
    Any,
    /// Not known because of an earlier error.
    Unknown,
}

impl Type {
    /// The type in words, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Type::Bool => "a condition",
            Type::Text => "text",
            Type::Number => "a number",
            Type::Time => "a time",
            Type::Ip => "an IP address",
            Type::Null => "null",
            Type::TextSet => "a set of text",
            Type::NumberSet => "a set of numbers",
            Type::NetworkSet => "a set of addresses",
            Type::ContextList => "a list of the context data",
            Type::Any => "an attribute",
            Type::Unknown => "an unknown value",
        }
    }

    /// The type in one word, for signatures.
    pub fn short(self) -> &'static str {
        match self {
            Type::Bool => "condition",
            Type::Text => "text",
            Type::Number => "number",
            Type::Time => "time",
            Type::Ip => "ip",
            Type::Null => "null",
            Type::TextSet | Type::NumberSet | Type::NetworkSet | Type::ContextList => "set",
            Type::Any | Type::Unknown => "value",
        }
    }

    fn loose(self) -> bool {
        matches!(self, Type::Any | Type::Unknown)
    }

    fn from_field(field: &Field) -> Type {
        match field.field_type() {
            FieldType::Text => Type::Text,
            FieldType::Number => Type::Number,
            FieldType::Time => Type::Time,
            FieldType::Ip => Type::Ip,
            FieldType::Any => Type::Any,
        }
    }
}

/// Where an expression is evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Over one event: fields are readable, aggregates are not.
    Event,
    /// Over a group: aggregates are readable, fields are not.
    Groups,
}

/// The aggregates `alert when` may use.
pub const AGGREGATES: [&str; 5] = ["count", "distinct", "sum", "min", "max"];

/// The name an aggregate call goes by in reports and explanations:
/// `count` for `count()`, otherwise the call as canonical text.
pub fn aggregate_name(name: &str, call: &Expr) -> String {
    match &call.kind {
        ExprKind::Call(_, args) if args.is_empty() => name.to_string(),
        _ => crate::print::expr(call),
    }
}

/// The names of every aggregate an alert reads, in order, without repeats.
pub(crate) fn aggregate_names(alert: &Expr) -> Vec<String> {
    let mut names = Vec::new();
    collect_aggregates(alert, &mut names);
    names
}

fn collect_aggregates(expr: &Expr, names: &mut Vec<String>) {
    match &expr.kind {
        ExprKind::Call(name, _) => {
            let found = aggregate_name(&name.value, expr);
            if !names.contains(&found) {
                names.push(found);
            }
        }
        ExprKind::Unary(_, e) => collect_aggregates(e, names),
        ExprKind::Binary(_, l, r) => {
            collect_aggregates(l, names);
            collect_aggregates(r, names);
        }
        _ => {}
    }
}

/// Resolves a field path, reporting an unknown one.
pub(crate) fn resolve_field(
    checker: &mut Checker<'_>,
    path: &Spanned<Vec<String>>,
) -> Option<Field> {
    let parts: Vec<&str> = path.value.iter().map(String::as_str).collect();
    let field = match parts.as_slice() {
        [name] => Field::canonical(name),
        ["attr", name] => Some(Field::Attribute((*name).to_string())),
        _ => None,
    };
    if field.is_none() {
        unknown_field(checker, path);
    }
    field
}

fn unknown_field(checker: &mut Checker<'_>, path: &Spanned<Vec<String>>) {
    let name = Spanned {
        value: path.value.join("."),
        range: path.range,
    };
    let mut params: Vec<String> = checker.params.keys().cloned().collect();
    params.extend(checker.lists.keys().cloned());
    params.extend(checker.conditions.keys().cloned());
    let mut names: Vec<&str> = Field::CANONICAL.iter().map(|(n, _)| *n).collect();
    names.extend(params.iter().map(String::as_str));
    names.extend(CONTEXT_PATHS.iter().map(|(p, _)| *p));
    if suggest(&name.value, &names).is_some() {
        return checker.unknown(codes::UNKNOWN_FIELD, "field", &name, &names);
    }
    let message = format!("unknown field `{}`", name.value);
    let help = format!(
        "events have {}; read other fields as `attr.NAME`",
        names.join(", ")
    );
    checker.report_with_help(codes::UNKNOWN_FIELD, name.range, message, help);
}

/// The type of `expr`, reporting every fault inside it.
pub(crate) fn type_of(checker: &mut Checker<'_>, expr: &Expr, scope: &Scope) -> Type {
    match &expr.kind {
        ExprKind::Literal(literal) => literal_type(literal),
        ExprKind::Path(parts) => path_type(checker, expr, parts, scope),
        ExprKind::Call(name, args) => call_type(checker, name, args, scope),
        ExprKind::Set(items) => set_type(checker, items),
        ExprKind::Unary(op, operand) => unary_type(checker, *op, operand, scope),
        ExprKind::Binary(op, lhs, rhs) => binary_type(checker, *op, lhs, rhs, scope),
        ExprKind::Between(operand, from, to) => {
            between_range(checker, expr, from.value, to.value);
            between_type(checker, operand, scope)
        }
    }
}

/// A `between` range must hold some time and may not start at 24:00.
fn between_range(checker: &mut Checker<'_>, expr: &Expr, from: u16, to: u16) {
    if crate::plan::time_range(from, to).is_some() {
        return;
    }
    let (from, to) = (crate::print::clock(from), crate::print::clock(to));
    let message = format!("the range {from} to {to} holds no time of day");
    let help = "a range cannot start at 24:00 or end where it starts; \
                write `between 00:00 and 24:00` for the whole day"
        .to_string();
    checker.report_with_help(codes::BAD_TIME_RANGE, expr.range, message, help);
}

/// `EXPR between HH:MM and HH:MM` needs a time.
fn between_type(checker: &mut Checker<'_>, operand: &Expr, scope: &Scope) -> Type {
    let found = type_of(checker, operand, scope);
    if found != Type::Time && !found.loose() {
        let message = format!("`between` needs a time, found {}", found.describe());
        let help = "write `time between 19:00 and 07:00`".to_string();
        checker.report_with_help(codes::TYPE_MISMATCH, operand.range, message, help);
    }
    Type::Bool
}

fn literal_type(literal: &Literal) -> Type {
    match literal {
        Literal::Text(_) => Type::Text,
        Literal::Number(_) => Type::Number,
        Literal::Bool(_) => Type::Bool,
        Literal::Null => Type::Null,
    }
}

fn path_type(checker: &mut Checker<'_>, expr: &Expr, parts: &[String], scope: &Scope) -> Type {
    let path = Spanned {
        value: parts.to_vec(),
        range: expr.range,
    };
    if let [name] = parts {
        if let Some(kind) = checker.params.get(name).copied() {
            checker.used.insert(name.clone());
            return kind;
        }
        if let Some(kind) = definition_type(checker, name, scope) {
            return kind;
        }
    }
    if *scope == Scope::Groups {
        let message = format!(
            "`{}` is a field, but `alert` reads aggregates",
            parts.join(".")
        );
        let help = "count events with `count()`; filter fields in `where`".to_string();
        checker.report_with_help(codes::TYPE_MISMATCH, expr.range, message, help);
        return Type::Unknown;
    }
    if let Some(kind) = context_type(parts) {
        checker.reads_context = true;
        return kind;
    }
    resolve_field(checker, &path).map_or(Type::Unknown, |f| Type::from_field(&f))
}

/// The look-ups of the context data by path, with their types.
pub const CONTEXT_PATHS: [(&str, Type); 7] = [
    ("user.known", Type::Bool),
    ("user.units", Type::TextSet),
    ("user.roles", Type::TextSet),
    ("user.permissions", Type::TextSet),
    ("patient.units", Type::TextSet),
    ("patient.protected", Type::Bool),
    ("patient.media_interest", Type::Bool),
];

/// The type of a context look-up path, or `None` when it is none.
fn context_type(parts: &[String]) -> Option<Type> {
    if let [owner, _] = parts {
        if owner == "lists" {
            return Some(Type::ContextList);
        }
    }
    let path = parts.join(".");
    CONTEXT_PATHS
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, kind)| *kind)
}

/// The type of a named list or condition, marking it used.
fn definition_type(checker: &mut Checker<'_>, name: &str, scope: &Scope) -> Option<Type> {
    let kind = if let Some((kind, _)) = checker.lists.get(name) {
        *kind
    } else if checker.conditions.contains_key(name) {
        checker.reads_broken |= checker.broken.contains(name);
        Type::Bool
    } else {
        return None;
    };
    checker.used.insert(name.to_string());
    if *scope == Scope::Groups && kind == Type::Bool {
        return None;
    }
    Some(kind)
}

fn call_type(
    checker: &mut Checker<'_>,
    name: &Spanned<String>,
    args: &[Expr],
    scope: &Scope,
) -> Type {
    let is_aggregate = AGGREGATES.contains(&name.value.as_str());
    if let Some(function) = Function::parse(&name.value) {
        return function_type(checker, function, name, args, scope);
    }
    if *scope == Scope::Event && is_aggregate {
        let message = format!(
            "`{}()` counts groups and belongs in `alert when`",
            name.value
        );
        let help = "use `group by` and `alert when count() > N`".to_string();
        checker.report_with_help(codes::UNKNOWN_FUNCTION, name.range, message, help);
        return Type::Unknown;
    }
    if !is_aggregate {
        let mut names: Vec<&str> = Function::ALL.iter().map(|f| f.name()).collect();
        if *scope == Scope::Groups {
            names = AGGREGATES.to_vec();
        }
        checker.unknown(codes::UNKNOWN_FUNCTION, "function", name, &names);
        return Type::Unknown;
    }
    aggregate_args(checker, name, args);
    Type::Number
}

/// Checks a call of an event function: its scope, arity and argument types.
fn function_type(
    checker: &mut Checker<'_>,
    function: Function,
    name: &Spanned<String>,
    args: &[Expr],
    scope: &Scope,
) -> Type {
    if *scope == Scope::Groups {
        let message = format!(
            "`{}()` reads one event, but `alert` reads groups",
            name.value
        );
        let help = "test it in `where`, or count it: `count(…)`".to_string();
        checker.report_with_help(codes::TYPE_MISMATCH, name.range, message, help);
        return Type::Unknown;
    }
    if matches!(
        function,
        Function::Related | Function::Country | Function::OnShift | Function::DrugClass
    ) {
        checker.reads_context = true;
    }
    let params = function.params();
    if args.len() != params.len() {
        let message = format!(
            "`{}()` takes {} argument{}, found {}",
            name.value,
            params.len(),
            if params.len() == 1 { "" } else { "s" },
            args.len()
        );
        let help = format!("call it as `{}`", function.signature());
        checker.report_with_help(codes::TYPE_MISMATCH, name.range, message, help);
    }
    for (arg, wanted) in args.iter().zip(params) {
        let found = type_of(checker, arg, scope);
        let sets = [
            Type::TextSet,
            Type::NumberSet,
            Type::NetworkSet,
            Type::ContextList,
        ];
        let fits =
            *wanted == Type::Any && !sets.contains(&found) || found == *wanted || found.loose();
        if !fits {
            let message = format!(
                "`{}()` needs {} here, found {}",
                name.value,
                wanted.describe(),
                found.describe()
            );
            let help = format!("call it as `{}`", function.signature());
            checker.report_with_help(codes::TYPE_MISMATCH, arg.range, message, help);
        }
    }
    if function == Function::Matches {
        pattern(checker, args.get(1));
    }
    function.result()
}

/// The pattern of `matches` must be a text literal that compiles.
fn pattern(checker: &mut Checker<'_>, arg: Option<&Expr>) {
    let Some(arg) = arg else { return };
    let ExprKind::Literal(Literal::Text(text)) = &arg.kind else {
        let message = "the pattern of `matches()` must be written as text".to_string();
        checker.report(codes::BAD_PATTERN, arg.range, message, "not a text literal");
        return;
    };
    if let Err(why) = crate::function::compile_pattern(text) {
        let message = format!("the pattern cannot be used: {why}");
        checker.report(codes::BAD_PATTERN, arg.range, message, "");
    }
}

/// Checks an aggregate's arguments: `count()` or `count(CONDITION)`;
/// `distinct(VALUE)`; `sum`, `min` and `max` of a number.
fn aggregate_args(checker: &mut Checker<'_>, name: &Spanned<String>, args: &[Expr]) {
    let (wanted, word) = match name.value.as_str() {
        "count" => (Some(Type::Bool), "a condition"),
        "distinct" => (None, "a value"),
        _ => (Some(Type::Number), "a number"),
    };
    let optional = name.value == "count";
    match args {
        [] if optional => {}
        [arg] => aggregate_arg(checker, arg, wanted, &name.value, word),
        _ => {
            let message = format!("`{}()` takes one argument: {word}", name.value);
            checker.report(codes::TYPE_MISMATCH, name.range, message, "");
        }
    }
}

fn aggregate_arg(
    checker: &mut Checker<'_>,
    arg: &Expr,
    wanted: Option<Type>,
    name: &str,
    word: &str,
) {
    let found = type_of(checker, arg, &Scope::Event);
    let fits = match wanted {
        Some(kind) => found == kind || found.loose(),
        None => !matches!(
            found,
            Type::TextSet | Type::NumberSet | Type::NetworkSet | Type::ContextList | Type::Null
        ),
    };
    if !fits {
        let message = format!("`{name}()` needs {word}, found {}", found.describe());
        checker.report(codes::TYPE_MISMATCH, arg.range, message, "");
    }
}

fn set_type(checker: &mut Checker<'_>, items: &[Spanned<Literal>]) -> Type {
    let first = items.first().map(|i| literal_type(&i.value));
    for item in items {
        let found = literal_type(&item.value);
        if Some(found) != first || !matches!(found, Type::Text | Type::Number) {
            let message = format!(
                "a set holds text or numbers, not a mix; found {}",
                found.describe()
            );
            checker.report(codes::TYPE_MISMATCH, item.range, message, "");
            return Type::Unknown;
        }
    }
    match first {
        Some(Type::Number) => Type::NumberSet,
        _ => Type::TextSet,
    }
}

fn unary_type(checker: &mut Checker<'_>, op: UnaryOp, operand: &Expr, scope: &Scope) -> Type {
    let found = type_of(checker, operand, scope);
    let (wanted, word) = match op {
        UnaryOp::Not => (Type::Bool, "`not` needs a condition"),
        UnaryOp::Neg => (Type::Number, "`-` needs a number"),
    };
    if found != wanted && !found.loose() {
        let message = format!("{word}, found {}", found.describe());
        checker.report(codes::TYPE_MISMATCH, operand.range, message, "");
    }
    wanted
}

fn binary_type(
    checker: &mut Checker<'_>,
    op: BinaryOp,
    lhs: &Expr,
    rhs: &Expr,
    scope: &Scope,
) -> Type {
    let left = type_of(checker, lhs, scope);
    let right = type_of(checker, rhs, scope);
    let ok = match op {
        BinaryOp::And | BinaryOp::Or => both(left, right, Type::Bool),
        BinaryOp::Eq | BinaryOp::Ne => equality(checker, lhs, rhs, left, right),
        BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => ordered(left, right),
        BinaryOp::In | BinaryOp::NotIn => membership(checker, lhs, rhs, left, right),
        BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => {
            return arithmetic(checker, op, lhs, rhs, left, right);
        }
    };
    if !ok {
        mismatch(checker, op, lhs, rhs, left, right);
    }
    Type::Bool
}

fn both(left: Type, right: Type, wanted: Type) -> bool {
    (left == wanted || left.loose()) && (right == wanted || right.loose())
}

fn mismatch(checker: &mut Checker<'_>, op: BinaryOp, lhs: &Expr, rhs: &Expr, l: Type, r: Type) {
    let range = crate::ast::Range {
        start: lhs.range.start,
        end: rhs.range.end,
    };
    let message = format!(
        "`{}` cannot join {} and {}",
        op.symbol(),
        l.describe(),
        r.describe()
    );
    checker.report(codes::TYPE_MISMATCH, range, message, "");
}

fn equality(checker: &mut Checker<'_>, lhs: &Expr, rhs: &Expr, l: Type, r: Type) -> bool {
    let sets = [
        Type::TextSet,
        Type::NumberSet,
        Type::NetworkSet,
        Type::ContextList,
    ];
    if sets.contains(&l) || sets.contains(&r) {
        return false;
    }
    if l == Type::Null || r == Type::Null || l.loose() || r.loose() {
        return true;
    }
    if l == Type::Ip && r == Type::Text {
        return ip_literal(checker, rhs);
    }
    if l == Type::Text && r == Type::Text {
        outcome_literal(checker, lhs, rhs);
    }
    let sets = [
        Type::TextSet,
        Type::NumberSet,
        Type::NetworkSet,
        Type::ContextList,
    ];
    l == r && !sets.contains(&l)
}

fn ordered(l: Type, r: Type) -> bool {
    if l.loose() || r.loose() {
        return true;
    }
    l == r && matches!(l, Type::Number | Type::Text)
}

fn membership(checker: &mut Checker<'_>, lhs: &Expr, rhs: &Expr, l: Type, r: Type) -> bool {
    let is_set = matches!(
        r,
        Type::TextSet | Type::NumberSet | Type::NetworkSet | Type::ContextList
    );
    if !is_set && !r.loose() {
        let message = "`in` needs a set such as `{\"read\", \"print\"}` or a list".to_string();
        checker.report(codes::TYPE_MISMATCH, rhs.range, message, "not a set");
        return true;
    }
    if l == Type::Text {
        outcome_set(checker, lhs, rhs);
    }
    if l == Type::Ip && r == Type::TextSet {
        return network_set(checker, rhs);
    }
    match r {
        Type::TextSet => matches!(l, Type::Text | Type::Any | Type::Unknown),
        Type::NumberSet => matches!(l, Type::Number | Type::Any | Type::Unknown),
        Type::NetworkSet => matches!(l, Type::Ip | Type::Any | Type::Unknown),
        Type::ContextList => matches!(l, Type::Text | Type::Ip | Type::Any | Type::Unknown),
        _ => true,
    }
}

/// An address tested against a written set: every member must be an
/// address or a CIDR range.
fn network_set(checker: &mut Checker<'_>, rhs: &Expr) -> bool {
    let ExprKind::Set(items) = &rhs.kind else {
        return false;
    };
    for item in items {
        let ok = matches!(&item.value, Literal::Text(t) if crate::plan::parse_network(t).is_some());
        if !ok {
            let message = format!(
                "`{}` is not an address or CIDR range",
                crate::print::literal(&item.value)
            );
            checker.report(codes::BAD_LIST, item.range, message, "");
        }
    }
    true
}

fn arithmetic(
    checker: &mut Checker<'_>,
    op: BinaryOp,
    lhs: &Expr,
    rhs: &Expr,
    l: Type,
    r: Type,
) -> Type {
    if !both(l, r, Type::Number) {
        mismatch(checker, op, lhs, rhs, l, r);
    }
    Type::Number
}

fn ip_literal(checker: &mut Checker<'_>, rhs: &Expr) -> bool {
    let ExprKind::Literal(Literal::Text(text)) = &rhs.kind else {
        return false;
    };
    if crate::read::canonical::parse_ip(text).is_none() {
        let message = format!("`{text}` is not an IP address");
        checker.report(codes::UNKNOWN_VALUE, rhs.range, message, "");
    }
    true
}

fn is_outcome(expr: &Expr) -> bool {
    matches!(&expr.kind, ExprKind::Path(p) if p.len() == 1 && p[0] == "outcome")
}

fn outcome_literal(checker: &mut Checker<'_>, lhs: &Expr, rhs: &Expr) {
    let ExprKind::Literal(Literal::Text(text)) = &rhs.kind else {
        return;
    };
    if is_outcome(lhs) && Outcome::parse(text).is_none() {
        let name = Spanned {
            value: text.clone(),
            range: rhs.range,
        };
        let names: Vec<_> = Outcome::ALL.iter().map(|o| o.as_str()).collect();
        checker.unknown(codes::UNKNOWN_VALUE, "outcome", &name, &names);
    }
}

fn outcome_set(checker: &mut Checker<'_>, lhs: &Expr, rhs: &Expr) {
    let ExprKind::Set(items) = &rhs.kind else {
        return;
    };
    for item in items {
        let literal = Expr {
            kind: ExprKind::Literal(item.value.clone()),
            range: item.range,
        };
        outcome_literal(checker, lhs, &literal);
    }
}
