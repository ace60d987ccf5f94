//! Stage 3: checked rules to an executable plan.
//!
//! Expressions become small trees that read events directly: field look-ups
//! are resolved, `x == null` becomes a presence test, address literals are
//! parsed once, and sets become hash sets.

mod node;

pub(crate) use node::holds;
pub use node::{ContextSet, Env, GroupNode, Node, PatientFlag};

use crate::ast::{BinaryOp, Expr, ExprKind, Literal, UnaryOp};
use crate::check::{GroupWindow, Grouping, RuleSpec, aggregate_name};
use crate::event::Field;
use crate::function::{Function, compile_pattern};
use crate::read::canonical::parse_ip;
use crate::time::{Calendar, TimeOfDay, TimeRange};

/// How a planned rule windows its groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// Every matching event is its own finding.
    PerEvent,
    /// Calendar windows in the run's zone.
    Calendar(Calendar),
    /// One window: the whole period.
    Period,
    /// A sliding window of this many seconds, starting at an event.
    Sliding(i64),
}

fn window(per: GroupWindow) -> Window {
    match per {
        GroupWindow::Period => Window::Period,
        GroupWindow::Calendar(calendar) => Window::Calendar(calendar),
        GroupWindow::Sliding(seconds) => Window::Sliding(seconds),
    }
}

/// An aggregate computed per group.
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregate {
    /// What it computes.
    pub kind: AggregateKind,
    /// The name its value goes by in reports: `count`, `sum(amount)`, …
    pub name: String,
}

/// The aggregate functions.
#[derive(Debug, Clone, PartialEq)]
pub enum AggregateKind {
    /// `count()`, or `count(CONDITION)`: events, or events that satisfy it.
    Count(Option<Node>),
    /// `distinct(VALUE)`: how many different values.
    Distinct(Node),
    /// `sum(VALUE)`: the total, exact to six decimals.
    Sum(Node),
    /// `min(VALUE)`: the smallest value.
    Min(Node),
    /// `max(VALUE)`: the largest value.
    Max(Node),
}

/// Parameter values in force, by name.
pub type Params = std::collections::BTreeMap<String, Literal>;

/// A rule ready to evaluate.
#[derive(Debug, Clone)]
pub struct PlannedRule {
    /// The checked rule: names, metadata, template.
    pub spec: RuleSpec,
    /// The filter; `None` matches every event.
    pub filter: Option<Node>,
    /// The exceptions in force, in order: an event that matches the filter
    /// and one of these is left out and counted under the first it matches.
    pub exceptions: Vec<Node>,
    /// The group key fields with their written names.
    pub keys: Vec<(String, Field)>,
    /// The window.
    pub window: Window,
    /// The aggregates the alert reads, in slot order.
    pub aggregates: Vec<Aggregate>,
    /// When a group becomes a finding; `None` means always.
    pub alert: Option<GroupNode>,
    /// The alert condition with the parameters' values in force, as the
    /// report shows it: `count() >= 5`.
    pub condition: String,
}

/// Plans one checked rule with the parameter values in force.
pub fn plan_rule(spec: &RuleSpec, params: &Params) -> PlannedRule {
    let planner = Planner { params };
    let (keys, window) = match &spec.grouping {
        Grouping::PerEvent => (Vec::new(), Window::PerEvent),
        Grouping::Groups { keys, per } => (keys.clone(), window(*per)),
    };
    let mut aggregates = Vec::new();
    let alert = spec
        .alert
        .as_ref()
        .map(|a| planner.group_node(a, &mut aggregates));
    PlannedRule {
        spec: spec.clone(),
        filter: spec.filter.as_ref().map(|f| planner.event_node(f)),
        exceptions: spec
            .exceptions
            .iter()
            .map(|e| planner.event_node(&e.condition))
            .collect(),
        keys,
        window,
        aggregates,
        alert,
        condition: spec
            .alert
            .as_ref()
            .map_or_else(String::new, |a| planner.condition(a)),
    }
}

/// Plans a condition over one event, such as a spot check's population.
pub fn plan_filter(expr: &Expr, params: &Params) -> Node {
    Planner { params }.event_node(expr)
}

/// Lowering with the parameter values in force.
struct Planner<'p> {
    params: &'p Params,
}

impl Planner<'_> {
    /// Lowers an event expression that passed checking.
    fn event_node(&self, expr: &Expr) -> Node {
        let lower = |e: &Expr| Box::new(self.event_node(e));
        match &expr.kind {
            ExprKind::Literal(literal) => Node::Const(constant(literal)),
            ExprKind::Path(parts) => match self.param(parts) {
                Some(value) => Node::Const(constant(value)),
                None => {
                    patient_flag(parts).map_or_else(|| Node::Field(field(parts)), Node::Patient)
                }
            },
            ExprKind::Set(_) => Node::Const(node::Const::Null),
            ExprKind::Call(name, args) => self.call(&name.value, args),
            ExprKind::Between(e, from, to) => match time_range(from.value, to.value) {
                Some(range) => Node::Between(lower(e), range),
                None => Node::Const(node::Const::Bool(false)),
            },
            ExprKind::Unary(UnaryOp::Not, e) => Node::Not(lower(e)),
            ExprKind::Unary(UnaryOp::Neg, e) => Node::Neg(lower(e)),
            ExprKind::Binary(op, lhs, rhs) => self.binary(*op, lhs, rhs),
        }
    }

    /// A function call; `matches` gets its pattern compiled.
    fn call(&self, name: &str, args: &[Expr]) -> Node {
        let Some(function) = Function::parse(name) else {
            return Node::Const(node::Const::Null);
        };
        let mut nodes: Vec<Node> = args.iter().map(|a| self.event_node(a)).collect();
        if function == Function::Matches {
            let pattern = match args.get(1).map(|a| &a.kind) {
                Some(ExprKind::Literal(Literal::Text(text))) => compile_pattern(text).ok(),
                _ => None,
            };
            let (Some(pattern), Some(text)) = (pattern, nodes.drain(..).next()) else {
                return Node::Const(node::Const::Bool(false));
            };
            return Node::Matches(Box::new(text), Box::new(node::Pattern(pattern)));
        }
        Node::Call(function, nodes)
    }

    /// `alert` as text with each parameter replaced by its value.
    fn condition(&self, alert: &Expr) -> String {
        crate::print::expr(&self.substitute(alert))
    }

    fn substitute(&self, expr: &Expr) -> Expr {
        let kind = match &expr.kind {
            ExprKind::Path(parts) => match self.param(parts) {
                Some(value) => ExprKind::Literal(value.clone()),
                None => ExprKind::Path(parts.clone()),
            },
            ExprKind::Unary(op, e) => ExprKind::Unary(*op, Box::new(self.substitute(e))),
            ExprKind::Binary(op, l, r) => ExprKind::Binary(
                *op,
                Box::new(self.substitute(l)),
                Box::new(self.substitute(r)),
            ),
            other => other.clone(),
        };
        Expr {
            kind,
            range: expr.range,
        }
    }

    /// The value of a parameter named by a one-part path.
    fn param(&self, parts: &[String]) -> Option<&Literal> {
        match parts {
            [name] => self.params.get(name),
            _ => None,
        }
    }

    fn binary(&self, op: BinaryOp, lhs: &Expr, rhs: &Expr) -> Node {
        let is_null = |e: &Expr| matches!(e.kind, ExprKind::Literal(Literal::Null));
        let lower = |e: &Expr| Box::new(self.event_node(e));
        match op {
            BinaryOp::Eq if is_null(rhs) => Node::Present(lower(lhs), false),
            BinaryOp::Eq if is_null(lhs) => Node::Present(lower(rhs), false),
            BinaryOp::Ne if is_null(rhs) => Node::Present(lower(lhs), true),
            BinaryOp::Ne if is_null(lhs) => Node::Present(lower(rhs), true),
            BinaryOp::And => Node::And(lower(lhs), lower(rhs)),
            BinaryOp::Or => Node::Or(lower(lhs), lower(rhs)),
            BinaryOp::In | BinaryOp::NotIn => {
                let want = op == BinaryOp::In;
                match context_set(rhs) {
                    Some(from) => Node::InContext(lower(lhs), from, want),
                    None => Node::In(lower(lhs), set(rhs), want),
                }
            }
            _ => Node::Binary(
                op,
                Box::new(self.operand(lhs, rhs)),
                Box::new(self.operand(rhs, lhs)),
            ),
        }
    }

    /// An operand; a text literal compared with an address becomes an address.
    fn operand(&self, expr: &Expr, other: &Expr) -> Node {
        let other_is_ip = matches!(&other.kind, ExprKind::Path(p) if p.len() == 1 && p[0] == "ip");
        if let (true, ExprKind::Literal(Literal::Text(text))) = (other_is_ip, &expr.kind) {
            if let Some(ip) = parse_ip(text) {
                return Node::Const(node::Const::Ip(ip));
            }
        }
        self.event_node(expr)
    }

    /// Lowers an alert expression, collecting the aggregates it reads.
    fn group_node(&self, expr: &Expr, aggregates: &mut Vec<Aggregate>) -> GroupNode {
        match &expr.kind {
            ExprKind::Literal(Literal::Number(n)) => GroupNode::Number(*n),
            ExprKind::Path(parts) => match self.param(parts) {
                Some(Literal::Number(n)) => GroupNode::Number(*n),
                _ => GroupNode::Number(0.0),
            },
            ExprKind::Call(name, args) => {
                let aggregate = self.aggregate(&name.value, args, expr);
                GroupNode::Slot(slot(aggregates, aggregate))
            }
            ExprKind::Unary(UnaryOp::Not, e) => {
                GroupNode::Not(Box::new(self.group_node(e, aggregates)))
            }
            ExprKind::Unary(UnaryOp::Neg, e) => {
                GroupNode::Neg(Box::new(self.group_node(e, aggregates)))
            }
            ExprKind::Binary(op, lhs, rhs) => {
                let left = Box::new(self.group_node(lhs, aggregates));
                GroupNode::Binary(*op, left, Box::new(self.group_node(rhs, aggregates)))
            }
            ExprKind::Literal(_) | ExprKind::Set(_) | ExprKind::Between(..) => {
                GroupNode::Number(0.0)
            }
        }
    }

    fn aggregate(&self, name: &str, args: &[Expr], call: &Expr) -> Aggregate {
        let arg = args.first().map(|a| self.event_node(a));
        let value = || arg.clone().unwrap_or(Node::Const(node::Const::Null));
        let kind = match name {
            "distinct" => AggregateKind::Distinct(value()),
            "sum" => AggregateKind::Sum(value()),
            "min" => AggregateKind::Min(value()),
            "max" => AggregateKind::Max(value()),
            _ => AggregateKind::Count(arg.clone()),
        };
        Aggregate {
            kind,
            name: aggregate_name(name, call),
        }
    }
}

/// `patient.protected` or `patient.media_interest`.
fn patient_flag(parts: &[String]) -> Option<PatientFlag> {
    match parts {
        [a, b] if a == "patient" && b == "protected" => Some(PatientFlag::Protected),
        [a, b] if a == "patient" && b == "media_interest" => Some(PatientFlag::MediaInterest),
        [a, b] if a == "user" && b == "known" => Some(PatientFlag::UserKnown),
        _ => None,
    }
}

/// The context set a path such as `user.units` names.
fn context_set(expr: &Expr) -> Option<ContextSet> {
    let ExprKind::Path(parts) = &expr.kind else {
        return None;
    };
    let [owner, name] = parts.as_slice() else {
        return None;
    };
    Some(match (owner.as_str(), name.as_str()) {
        ("user", "units") => ContextSet::UserUnits,
        ("user", "roles") => ContextSet::UserRoles,
        ("user", "permissions") => ContextSet::UserPermissions,
        ("patient", "units") => ContextSet::PatientUnits,
        ("lists", list) => ContextSet::List(list.to_string()),
        _ => return None,
    })
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

fn set(expr: &Expr) -> Box<node::Set> {
    let mut set = node::Set::default();
    if let ExprKind::Set(items) = &expr.kind {
        for item in items {
            match &item.value {
                Literal::Text(s) => {
                    set.networks.extend(parse_network(s));
                    set.texts.insert(s.clone());
                }
                Literal::Number(n) => set.numbers.push(*n),
                Literal::Bool(_) | Literal::Null => {}
            }
        }
    }
    Box::new(set)
}

/// The range of `between FROM and TO`, in minutes since midnight; `None`
/// when checking would have refused it.
pub fn time_range(from: u16, to: u16) -> Option<TimeRange> {
    let start = TimeOfDay::from_minutes(from)?;
    let end = TimeOfDay::from_minutes(to)?;
    TimeRange::new(start, end).ok().filter(|r| !r.is_empty())
}

/// An address or CIDR range written as text; an address is a range of one.
pub fn parse_network(text: &str) -> Option<ipnet::IpNet> {
    if let Ok(net) = text.trim().parse::<ipnet::IpNet>() {
        return Some(net.trunc());
    }
    parse_ip(text).map(ipnet::IpNet::from)
}

/// The slot of an aggregate, reusing one already planned with the same name.
fn slot(aggregates: &mut Vec<Aggregate>, aggregate: Aggregate) -> usize {
    match aggregates.iter().position(|a| a.name == aggregate.name) {
        Some(i) => i,
        None => {
            aggregates.push(aggregate);
            aggregates.len() - 1
        }
    }
}
