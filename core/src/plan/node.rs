//! Executable expression trees and their semantics.
//!
//! Null semantics: a missing field makes every comparison false, `in` and
//! `not in` included; `x == null` and `x != null` test presence. Values of
//! different types are never equal.

use crate::ast::BinaryOp;
use crate::context::Context;
use crate::event::{Event, Field, FieldValue};
use crate::function::Function;
use crate::hash::HashSet;
use crate::time::{HolidayCalendar, LocalTime, TimeRange};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use ipnet::IpNet;
use std::borrow::Cow;
use std::net::IpAddr;
use std::sync::Arc;

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

/// The members of a set literal or named list.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Set {
    /// Text members.
    pub texts: HashSet<String>,
    /// Number members.
    pub numbers: Vec<f64>,
    /// Text members that are addresses or CIDR ranges, for addresses.
    pub networks: Vec<IpNet>,
}

/// A compiled `matches` pattern.
#[derive(Debug, Clone)]
pub struct Pattern(pub regex::Regex);

impl PartialEq for Pattern {
    fn eq(&self, other: &Pattern) -> bool {
        self.0.as_str() == other.0.as_str()
    }
}

/// What evaluation needs besides the event.
#[derive(Debug, Clone)]
pub struct Env {
    /// The zone of `hour()`, `between` and the other local-time tests.
    pub zone: Tz,
    /// The calendar of `holiday()`.
    pub holidays: HolidayCalendar,
    /// Users, patients, relations and lists; empty when none was given.
    pub context: Arc<Context>,
}

/// A set the context holds for the event at hand.
#[derive(Debug, Clone, PartialEq)]
pub enum ContextSet {
    /// `user.units`: the units of the event's user.
    UserUnits,
    /// `user.roles`
    UserRoles,
    /// `user.permissions`
    UserPermissions,
    /// `patient.units`: the units of the event's patient.
    PatientUnits,
    /// `lists.NAME`: a named list of the context.
    List(String),
}

/// A fact the context holds about the event's user or patient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatientFlag {
    /// `user.known`: the context knows the event's user.
    UserKnown,
    /// `patient.protected`: protected identity.
    Protected,
    /// `patient.media_interest`: a person of media interest.
    MediaInterest,
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
    /// A function call.
    Call(Function, Vec<Node>),
    /// `matches(text, "pattern")` with the pattern compiled.
    Matches(Box<Node>, Box<Pattern>),
    /// `between`: a local time-of-day range.
    Between(Box<Node>, TimeRange),
    /// `x in user.units` and the like: membership in a context set.
    InContext(Box<Node>, ContextSet, bool),
    /// `patient.protected` or `patient.media_interest`.
    Patient(PatientFlag),
}

/// A value during evaluation.
#[derive(Debug, Clone, PartialEq)]
enum Val<'a> {
    Missing,
    Bool(bool),
    Number(f64),
    Text(Cow<'a, str>),
    Ip(IpAddr),
    Time(DateTime<Utc>),
}

impl Node {
    /// Whether `event` satisfies the expression.
    pub fn matches(&self, event: &Event, env: &Env) -> bool {
        self.value(event, env) == Val::Bool(true)
    }

    /// The expression's value as a number, when it is one.
    pub fn number(&self, event: &Event, env: &Env) -> Option<f64> {
        match self.value(event, env) {
            Val::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The expression's value as text, for counting distinct values; a
    /// missing value is `None`.
    pub fn text(&self, event: &Event, env: &Env) -> Option<String> {
        match self.value(event, env) {
            Val::Missing => None,
            Val::Bool(b) => Some(b.to_string()),
            Val::Number(n) => Some(crate::print::number(n)),
            Val::Text(s) => Some(s.into_owned()),
            Val::Ip(ip) => Some(ip.to_string()),
            Val::Time(t) => Some(t.timestamp().to_string()),
        }
    }

    fn value<'a>(&'a self, event: &'a Event, env: &Env) -> Val<'a> {
        match self {
            Node::Const(c) => constant(c),
            Node::Field(f) => field(event, f),
            Node::Not(e) => Val::Bool(!e.matches(event, env)),
            Node::Neg(e) => neg(e.value(event, env)),
            Node::And(l, r) => Val::Bool(l.matches(event, env) && r.matches(event, env)),
            Node::Or(l, r) => Val::Bool(l.matches(event, env) || r.matches(event, env)),
            Node::Present(e, want) => Val::Bool((e.value(event, env) != Val::Missing) == *want),
            Node::In(e, set, want) => member(&e.value(event, env), set, *want),
            Node::Binary(op, l, r) => binary(*op, l.value(event, env), r.value(event, env)),
            Node::Call(function, args) => call(*function, args, event, env),
            Node::Matches(e, pattern) => match e.value(event, env) {
                Val::Text(s) => Val::Bool(pattern.0.is_match(&s)),
                _ => Val::Bool(false),
            },
            Node::Between(e, range) => match e.value(event, env) {
                Val::Time(t) => {
                    let local = LocalTime::new(t, env.zone);
                    Val::Bool(range.contains(local.time_of_day()))
                }
                _ => Val::Bool(false),
            },
            Node::InContext(e, set, want) => {
                in_context(&e.value(event, env), set, *want, event, env)
            }
            Node::Patient(flag) => patient_flag(*flag, event, env),
        }
    }
}

fn in_context<'a>(
    value: &Val<'_>,
    set: &ContextSet,
    want: bool,
    event: &Event,
    env: &Env,
) -> Val<'a> {
    let context = &env.context;
    let members = match set {
        ContextSet::UserUnits => context.user_units(&event.user),
        ContextSet::UserRoles => context.user_roles(&event.user),
        ContextSet::UserPermissions => context.user_permissions(&event.user),
        ContextSet::PatientUnits => {
            let patient = event.patient.as_deref().unwrap_or_default();
            context.patient_units(patient)
        }
        ContextSet::List(name) => {
            let Some(list) = context.list(name) else {
                return Val::Bool(false);
            };
            let found = match value {
                Val::Missing => return Val::Bool(false),
                Val::Text(s) => list.contains_text(s),
                Val::Ip(ip) => list.contains_ip(*ip),
                _ => false,
            };
            return Val::Bool(found == want);
        }
    };
    match value {
        Val::Text(s) => Val::Bool(members.iter().any(|m| m == s.as_ref()) == want),
        _ => Val::Bool(false),
    }
}

fn patient_flag<'a>(flag: PatientFlag, event: &Event, env: &Env) -> Val<'a> {
    if flag == PatientFlag::UserKnown {
        return Val::Bool(env.context.is_known_user(&event.user));
    }
    let Some(patient) = event.patient.as_deref() else {
        return Val::Missing;
    };
    let known = match flag {
        PatientFlag::Protected => env.context.patient_protected(patient),
        PatientFlag::MediaInterest => env.context.patient_media_interest(patient),
        PatientFlag::UserKnown => None,
    };
    known.map_or(Val::Missing, Val::Bool)
}

fn call<'a>(function: Function, args: &'a [Node], event: &'a Event, env: &Env) -> Val<'a> {
    let arg = |i: usize| args.get(i).map_or(Val::Missing, |a| a.value(event, env));
    if function == Function::Exists {
        return Val::Bool(arg(0) != Val::Missing);
    }
    let first = arg(0);
    if first == Val::Missing {
        return if function.result() == crate::check::Type::Bool {
            Val::Bool(false)
        } else {
            Val::Missing
        };
    }
    match (function, first) {
        (Function::Related, Val::Text(user)) => related(&user, &arg(1), &arg(2), env),
        (Function::DrugClass, Val::Text(drug)) => env
            .context
            .drug_class(&drug)
            .map_or(Val::Missing, |c| Val::Text(Cow::Borrowed(c.as_str()))),
        (Function::OnShift, Val::Text(user)) => match arg(1) {
            Val::Time(t) => {
                let local = t.with_timezone(&env.zone).naive_local();
                env.context
                    .on_shift(&user, local)
                    .map_or(Val::Missing, Val::Bool)
            }
            _ => Val::Missing,
        },
        (Function::Country, Val::Ip(ip)) => env
            .context
            .country(ip)
            .map_or(Val::Missing, |c| Val::Text(Cow::Owned(c.to_string()))),
        (Function::Holiday, Val::Time(t)) => {
            let date = LocalTime::new(t, env.zone).date();
            Val::Bool(env.holidays.is_holiday(date))
        }
        (Function::Lower, Val::Text(s)) => Val::Text(Cow::Owned(s.to_lowercase())),
        (Function::Upper, Val::Text(s)) => Val::Text(Cow::Owned(s.to_uppercase())),
        (Function::Length, Val::Text(s)) => Val::Number(s.chars().count() as f64),
        (Function::StartsWith | Function::EndsWith | Function::Contains, Val::Text(s)) => {
            text_test(function, &s, &arg(1))
        }
        (_, Val::Time(t)) => local_part(function, t, env.zone),
        _ => Val::Missing,
    }
}

fn related<'a>(user: &str, patient: &Val<'_>, time: &Val<'_>, env: &Env) -> Val<'a> {
    let (Val::Text(patient), Val::Time(time)) = (patient, time) else {
        return Val::Bool(false);
    };
    Val::Bool(env.context.related(user, patient, *time))
}

fn text_test<'a>(function: Function, text: &str, part: &Val<'_>) -> Val<'a> {
    let Val::Text(part) = part else {
        return Val::Bool(false);
    };
    Val::Bool(match function {
        Function::StartsWith => text.starts_with(part.as_ref()),
        Function::EndsWith => text.ends_with(part.as_ref()),
        _ => text.contains(part.as_ref()),
    })
}

/// A local part of an instant: hour, minute, week, weekday or date.
fn local_part<'a>(function: Function, t: DateTime<Utc>, zone: Tz) -> Val<'a> {
    let local = LocalTime::new(t, zone);
    match function {
        Function::Hour => Val::Number(f64::from(local.hour())),
        Function::Minute => Val::Number(f64::from(local.minute())),
        Function::Week => Val::Number(f64::from(local.iso_week())),
        Function::Weekday => Val::Text(Cow::Borrowed(local.weekday_name())),
        Function::Date => Val::Text(Cow::Owned(local.date_text())),
        _ => Val::Missing,
    }
}

fn constant(c: &Const) -> Val<'_> {
    match c {
        Const::Null => Val::Missing,
        Const::Bool(b) => Val::Bool(*b),
        Const::Number(n) => Val::Number(*n),
        Const::Text(s) => Val::Text(Cow::Borrowed(s)),
        Const::Ip(ip) => Val::Ip(*ip),
    }
}

fn field<'a>(event: &'a Event, field: &Field) -> Val<'a> {
    match event.get(field) {
        None => Val::Missing,
        Some(FieldValue::Text(s)) => Val::Text(Cow::Borrowed(s)),
        Some(FieldValue::Number(n)) => Val::Number(n),
        Some(FieldValue::Bool(b)) => Val::Bool(b),
        Some(FieldValue::Ip(ip)) => Val::Ip(ip),
        Some(FieldValue::Time(t)) => Val::Time(t),
    }
}

fn neg(value: Val<'_>) -> Val<'_> {
    match value {
        Val::Number(n) => Val::Number(-n),
        _ => Val::Missing,
    }
}

fn member<'a>(value: &Val<'_>, set: &Set, want: bool) -> Val<'a> {
    let found = match value {
        Val::Missing => return Val::Bool(false),
        Val::Text(s) => set.texts.contains(s.as_ref()),
        Val::Number(n) => set.numbers.contains(n),
        Val::Ip(ip) => set.networks.iter().any(|net| net.contains(ip)),
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
        BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => ordered(op, &left, &right),
        _ => arithmetic(op, &left, &right),
    }
}

fn ordered<'a>(op: BinaryOp, left: &Val<'_>, right: &Val<'_>) -> Val<'a> {
    let ordering = match (left, right) {
        (Val::Number(a), Val::Number(b)) => a.partial_cmp(b),
        (Val::Text(a), Val::Text(b)) => Some(a.cmp(b)),
        (Val::Time(a), Val::Time(b)) => Some(a.cmp(b)),
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

fn arithmetic<'a>(op: BinaryOp, left: &Val<'_>, right: &Val<'_>) -> Val<'a> {
    let (Val::Number(a), Val::Number(b)) = (left, right) else {
        return Val::Missing;
    };
    finite(calculate(op, *a, *b))
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
