//! Stage 2: static checks, before any event is read.
//!
//! Checking resolves names (fields, categories, severities, windows), types
//! every expression, and validates explanation templates. It reports every
//! fault in a file at once and yields [`RuleSpec`]s ready for planning.

mod never;
mod template;
mod types;

pub use template::{Piece, Template};
pub use types::{Type, aggregate_name};

use crate::ast::{self, Clause, Expr, ExprKind, Literal, Range, Spanned};
use crate::codes::{self, Code};
use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::event::Field;
use crate::plan::parse_network;
use crate::rule::{Category, Level};
use crate::time::{Calendar, HolidayCalendar, parse_zone};
use chrono_tz::Tz;
use std::collections::{BTreeMap, BTreeSet};

/// A rule that passed its checks.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSpec {
    /// The rule's name.
    pub name: String,
    /// Its title.
    pub title: String,
    /// Its description, when given.
    pub description: Option<String>,
    /// Its report category.
    pub category: Category,
    /// Its severity.
    pub severity: Level,
    /// Which events it looks at; `None` means all.
    pub filter: Option<Expr>,
    /// How matching events are grouped.
    pub grouping: Grouping,
    /// When a group becomes a finding; `None` means always.
    pub alert: Option<Expr>,
    /// The explanation template.
    pub explain: Option<Template>,
    /// Free labels.
    pub tags: Vec<String>,
    /// Exceptions in force: the file's, then the rule's own.
    pub exceptions: Vec<ExceptionSpec>,
}

/// What a file asks to be sampled.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SamplingSpec {
    /// `sample N findings per category`.
    pub findings_per_category: Option<usize>,
    /// `spot check …`.
    pub spot_check: Option<SpotCheckSpec>,
}

/// A checked spot check.
#[derive(Debug, Clone, PartialEq)]
pub struct SpotCheckSpec {
    /// How many users.
    pub users: usize,
    /// How many events of each user.
    pub events: usize,
    /// The population filter, with names expanded.
    pub filter: Expr,
    /// The population filter as written, in canonical form.
    pub written: String,
}

/// The largest sample a directive may ask for.
pub const MAX_SAMPLE: f64 = 1_000_000.0;

/// A checked exception.
#[derive(Debug, Clone, PartialEq)]
pub struct ExceptionSpec {
    /// Its name.
    pub name: String,
    /// Why its events may be left out.
    pub reason: String,
    /// Which events it leaves out, with names expanded.
    pub condition: Expr,
}

/// How a rule groups the events it matches.
#[derive(Debug, Clone, PartialEq)]
pub enum Grouping {
    /// No `group by`: every matching event is a finding.
    PerEvent,
    /// `group by KEYS [per CALENDAR | within DURATION]`.
    Groups {
        /// The key fields with the names written in the rule.
        keys: Vec<(String, Field)>,
        /// The window.
        per: GroupWindow,
    },
}

/// The window a group counts events in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupWindow {
    /// No window: the whole period.
    Period,
    /// `per day`, `per week` or `per month`, in the local calendar.
    Calendar(Calendar),
    /// `within N UNIT`: a sliding window of this many seconds.
    Sliding(i64),
}

/// The longest sliding window, in seconds: 31 days.
pub const MAX_SLIDING: i64 = 31 * 24 * 3600;

/// A checked rule file.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// The zone the file declares, if any.
    pub zone: Option<Tz>,
    /// The parameters it declares, with their defaults, in order.
    pub params: Vec<(String, Literal)>,
    /// The holiday calendar it declares, if any.
    pub holidays: Option<HolidayCalendar>,
    /// The categories it declares, with their titles, in order.
    pub categories: Vec<(String, String)>,
    /// Whether its conditions read context data.
    pub reads_context: bool,
    /// Its sampling directives.
    pub sampling: SamplingSpec,
    /// Its rules, in the order written.
    pub rules: Vec<RuleSpec>,
    /// Warnings found.
    pub warnings: Vec<Diagnostic>,
}

/// A rule file with at least one error.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("the rule file has errors ({} problems)", diagnostics.len())]
pub struct CheckError {
    /// Every error and warning found, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Checks a parsed file; `text` is its source, for locations.
pub fn check(file: &ast::File, text: &str) -> Result<Checked, CheckError> {
    let mut checker = Checker::new(text);
    let zone = checker.zone(&file.zones);
    let holidays = checker.holidays(&file.holidays);
    checker.declare_categories(&file.categories);
    let params = checker.params(&file.params);
    checker.lists(&file.lists);
    checker.conditions(&file.conditions);
    checker.exceptions(&file.exceptions);
    checker.file_excepts = checker.resolve_excepts(&file.excepts);
    let sampling = checker.sampling(file);
    let rules = checker.rules(&file.rules);
    checker.unused_params(&file.params);
    checker.unused_definitions(file);
    let mut diagnostics = checker.diagnostics;
    diagnostics.sort_by_key(|d| d.span().map(|s| s.start));
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Err(CheckError { diagnostics });
    }
    Ok(Checked {
        zone,
        params,
        holidays,
        categories: checker.categories,
        reads_context: checker.reads_context,
        sampling,
        rules,
        warnings: diagnostics,
    })
}

/// Collects diagnostics while checking one file.
pub(crate) struct Checker<'t> {
    text: &'t str,
    diagnostics: Vec<Diagnostic>,
    /// Declared parameters and their types.
    pub(crate) params: BTreeMap<String, Type>,
    /// Parameters, lists and conditions something reads.
    pub(crate) used: BTreeSet<String>,
    /// Declared lists: their type and their members as a set expression.
    pub(crate) lists: BTreeMap<String, (Type, Expr)>,
    /// Declared conditions, with earlier names already expanded.
    pub(crate) conditions: BTreeMap<String, Expr>,
    /// Declared exceptions.
    exceptions: BTreeMap<String, ExceptionSpec>,
    /// Exceptions every rule of the file applies.
    file_excepts: Vec<ExceptionSpec>,
    /// Categories the file declares, with titles.
    categories: Vec<(String, String)>,
    /// Whether a condition reads the context: `user.units`, `related()`, …
    pub(crate) reads_context: bool,
    /// Conditions whose checks failed; they stand for `false`.
    pub(crate) broken: BTreeSet<String>,
    /// Whether the condition or rule being checked reads a broken condition.
    pub(crate) reads_broken: bool,
}

impl<'t> Checker<'t> {
    fn new(text: &'t str) -> Checker<'t> {
        Checker {
            text,
            diagnostics: Vec::new(),
            params: BTreeMap::new(),
            used: BTreeSet::new(),
            lists: BTreeMap::new(),
            conditions: BTreeMap::new(),
            exceptions: BTreeMap::new(),
            file_excepts: Vec::new(),
            categories: Vec::new(),
            reads_context: false,
            broken: BTreeSet::new(),
            reads_broken: false,
        }
    }
}

impl Checker<'_> {
    pub(crate) fn report(&mut self, code: Code, range: Range, message: String, label: &str) {
        self.diagnostics.push(self.at(code, range, message, label));
    }

    pub(crate) fn report_with_help(
        &mut self,
        code: Code,
        range: Range,
        message: String,
        help: String,
    ) {
        let diagnostic = self.at(code, range, message, "").with_help(help);
        self.diagnostics.push(diagnostic);
    }

    fn at(&self, code: Code, range: Range, message: String, label: &str) -> Diagnostic {
        let span = Span::locate(self.text, range.start, range.end);
        Diagnostic::error(code.code, message).with_label(span, label)
    }

    fn zone(&mut self, zones: &[Spanned<String>]) -> Option<Tz> {
        let first = zones.first()?;
        for other in &zones[1..] {
            let message = format!("a second zone `{}` is declared", other.value);
            self.report(
                codes::CONFLICTING_ZONE,
                other.range,
                message,
                "declare one zone",
            );
        }
        let zone = parse_zone(&first.value);
        if zone.is_none() {
            let message = format!("unknown time zone `{}`", first.value);
            let help = "use an IANA zone name such as `Europe/Stockholm`".to_string();
            self.report_with_help(codes::UNKNOWN_ZONE, first.range, message, help);
        }
        zone
    }

    fn sampling(&mut self, file: &ast::File) -> SamplingSpec {
        self.second_directive(file.samples.iter().map(|s| s.range), "sample");
        let ranges = file.spot_checks.iter().map(|s| s.range);
        self.second_directive(ranges, "spot check");
        let findings_per_category = file.samples.first().and_then(|n| self.sample_size(n));
        let spot_check = file.spot_checks.first().and_then(|spot| {
            let users = self.sample_size(&spot.users);
            let events = self.sample_size(&spot.events);
            let errors = self.error_count();
            self.condition(&spot.filter, &types::Scope::Event, "spot check");
            let filter = self.bounded(&spot.filter, spot.range);
            (self.error_count() == errors).then_some(())?;
            Some(SpotCheckSpec {
                users: users?,
                events: events?,
                filter,
                written: crate::print::expr(&spot.filter),
            })
        });
        SamplingSpec {
            findings_per_category,
            spot_check,
        }
    }

    fn second_directive(&mut self, mut ranges: impl Iterator<Item = Range>, what: &str) {
        for range in ranges.by_ref().skip(1) {
            let message = format!("a second `{what}` is given; a file has at most one");
            self.report(codes::BAD_SAMPLE, range, message, "second one");
        }
    }

    fn sample_size(&mut self, size: &Spanned<f64>) -> Option<usize> {
        let n = size.value;
        if n >= 1.0 && n.fract() == 0.0 && n <= MAX_SAMPLE {
            return Some(n as usize);
        }
        let message = format!("a sample of {n} cannot be drawn");
        let help = "give a whole number from 1 to 1000000".to_string();
        self.report_with_help(codes::BAD_SAMPLE, size.range, message, help);
        None
    }

    fn holidays(&mut self, declared: &[Spanned<String>]) -> Option<HolidayCalendar> {
        let first = declared.first()?;
        for other in &declared[1..] {
            let message = format!("a second holiday calendar `{}` is declared", other.value);
            self.report(
                codes::CONFLICTING_HOLIDAYS,
                other.range,
                message,
                "declare one",
            );
        }
        match HolidayCalendar::parse(&first.value) {
            Ok(calendar) => Some(calendar),
            Err(error) => {
                let names: Vec<&str> = HolidayCalendar::ALL.iter().map(|c| c.keyword()).collect();
                self.unknown(error.code(), "holiday calendar", first, &names);
                None
            }
        }
    }

    fn declare_categories(&mut self, declared: &[(Spanned<String>, Spanned<String>)]) {
        for (name, title) in declared {
            let taken = Category::parse(&name.value).is_some()
                || self.categories.iter().any(|(n, _)| *n == name.value);
            if taken {
                let message = format!("category `{}` is already defined", name.value);
                self.report(codes::DUPLICATE_NAME, name.range, message, "rename it");
                continue;
            }
            if title.value.trim().is_empty() {
                let message = format!("category `{}` needs a title", name.value);
                self.report(codes::MISSING_CLAUSE, title.range, message, "empty title");
            }
            self.categories
                .push((name.value.clone(), title.value.clone()));
        }
    }

    fn params(&mut self, params: &[ast::Param]) -> Vec<(String, Literal)> {
        let mut declared = Vec::new();
        for param in params {
            let name = &param.name.value;
            if self.params.contains_key(name) || Field::canonical(name).is_some() {
                let message = format!("`{name}` is already a parameter or a field");
                self.report(
                    codes::DUPLICATE_PARAM,
                    param.name.range,
                    message,
                    "rename it",
                );
                continue;
            }
            let kind = match param.value.value {
                Literal::Text(_) => Type::Text,
                _ => Type::Number,
            };
            self.params.insert(name.clone(), kind);
            declared.push((name.clone(), param.value.value.clone()));
        }
        declared
    }

    /// Whether `name` is taken by a field, parameter, list or condition.
    fn taken(&self, name: &str) -> bool {
        Field::canonical(name).is_some()
            || self.params.contains_key(name)
            || self.lists.contains_key(name)
            || self.conditions.contains_key(name)
            || self.exceptions.contains_key(name)
            || crate::function::Function::parse(name).is_some()
    }

    fn name_taken(&mut self, name: &Spanned<String>) -> bool {
        if !self.taken(&name.value) {
            return false;
        }
        let message = format!(
            "`{}` is already a field, parameter, list or condition",
            name.value
        );
        self.report(codes::DUPLICATE_NAME, name.range, message, "rename it");
        true
    }

    fn lists(&mut self, lists: &[ast::List]) {
        for list in lists {
            if self.name_taken(&list.name) {
                continue;
            }
            let set = Expr {
                kind: ExprKind::Set(list.items.clone()),
                range: list.range,
            };
            let kind = self.list_type(list, &set);
            self.lists.insert(list.name.value.clone(), (kind, set));
        }
    }

    /// A list of addresses and CIDR ranges matches addresses; any other
    /// text list matches text; a list may not mix the two.
    fn list_type(&mut self, list: &ast::List, set: &Expr) -> Type {
        let kind = types::type_of(self, set, &types::Scope::Event);
        if kind != Type::TextSet || list.items.is_empty() {
            return kind;
        }
        let network = |l: &Literal| matches!(l, Literal::Text(t) if parse_network(t).is_some());
        let networks = list.items.iter().filter(|i| network(&i.value)).count();
        if networks == 0 {
            return kind;
        }
        if let Some(odd) = list.items.iter().find(|i| !network(&i.value)) {
            let message = format!(
                "list `{}` holds addresses, but this member is not an address or CIDR range",
                list.name.value
            );
            self.report(codes::BAD_LIST, odd.range, message, "");
            return Type::Unknown;
        }
        Type::NetworkSet
    }

    fn conditions(&mut self, conditions: &[ast::Condition]) {
        for condition in conditions {
            if self.name_taken(&condition.name) {
                continue;
            }
            let errors = self.error_count();
            self.reads_broken = false;
            self.condition(&condition.expr, &types::Scope::Event, "condition");
            let mut expanded = None;
            if self.error_count() == errors && !self.reads_broken {
                expanded = Some(self.bounded(&condition.expr, condition.name.range));
            }
            let name = condition.name.value.clone();
            if self.error_count() > errors || self.reads_broken {
                self.broken.insert(name.clone());
                expanded = None;
            }
            let never = Expr {
                kind: ExprKind::Literal(Literal::Bool(false)),
                range: condition.expr.range,
            };
            self.conditions.insert(name, expanded.unwrap_or(never));
        }
        self.reads_broken = false;
    }

    fn exceptions(&mut self, exceptions: &[ast::Exception]) {
        for exception in exceptions {
            if self.name_taken(&exception.name) {
                continue;
            }
            let name = &exception.name.value;
            let reason = exception
                .reason
                .as_ref()
                .map(|r| r.value.trim().to_string());
            if reason.as_deref().is_none_or(str::is_empty) {
                let message = format!("exception `{name}` gives no reason");
                let help = "add `reason \"…\"`: the report shows it beside the events left out";
                self.report_with_help(
                    codes::MISSING_CLAUSE,
                    exception.name.range,
                    message,
                    help.to_string(),
                );
            }
            let Some(condition) = &exception.condition else {
                let message = format!("exception `{name}` has no `where`");
                let help = "add `where CONDITION`: the events the exception leaves out".to_string();
                self.report_with_help(codes::MISSING_CLAUSE, exception.name.range, message, help);
                continue;
            };
            self.condition(condition, &types::Scope::Event, "where");
            let spec = ExceptionSpec {
                name: name.clone(),
                reason: reason.unwrap_or_default(),
                condition: self.bounded(condition, exception.name.range),
            };
            self.exceptions.insert(name.clone(), spec);
        }
    }

    /// The exceptions `names` refer to, reporting unknown ones.
    fn resolve_excepts(&mut self, names: &[Spanned<String>]) -> Vec<ExceptionSpec> {
        let mut found: Vec<ExceptionSpec> = Vec::new();
        for name in names {
            self.used.insert(name.value.clone());
            match self.exceptions.get(&name.value) {
                Some(spec) if !found.contains(spec) => found.push(spec.clone()),
                Some(_) => {}
                None => {
                    let known: Vec<String> = self.exceptions.keys().cloned().collect();
                    let known: Vec<&str> = known.iter().map(String::as_str).collect();
                    self.unknown(codes::UNKNOWN_EXCEPTION, "exception", name, &known);
                }
            }
        }
        found
    }

    /// `expr` with named conditions and lists written out, when that stays
    /// within the bounds on size and depth that keep evaluation cheap and
    /// its recursion shallow; otherwise an error at `at` and a condition
    /// that is never true. Expansion stops as soon as it is over the size
    /// bound, so a condition used many times cannot exhaust memory.
    fn bounded(&mut self, expr: &Expr, at: Range) -> Expr {
        let mut budget = MAX_EXPANDED_SIZE;
        let expanded = self.expand(expr, &mut budget);
        let depth = expanded.as_ref().map_or(0, |e| measure(e).1);
        match expanded {
            Some(expanded) if depth <= MAX_EXPANDED_DEPTH => return expanded,
            _ => {}
        }
        let message = format!(
            "with its named conditions written out, the condition is over \
             {MAX_EXPANDED_SIZE} parts or {MAX_EXPANDED_DEPTH} levels deep"
        );
        let help = "use each named condition fewer times, or split the rule".to_string();
        self.report_with_help(codes::TOO_DEEP, at, message, help);
        Expr {
            kind: ExprKind::Literal(Literal::Bool(false)),
            range: expr.range,
        }
    }

    /// `expr` with every named condition and list replaced by its body;
    /// `None` once more than `budget` parts would be written.
    fn expand(&self, expr: &Expr, budget: &mut usize) -> Option<Expr> {
        *budget = budget.checked_sub(1)?;
        let kind = match &expr.kind {
            ExprKind::Path(parts) => match parts.as_slice() {
                [name] if self.conditions.contains_key(name) => {
                    let body = &self.conditions[name];
                    *budget = budget.checked_sub(measure(body).0)?;
                    return Some(body.clone());
                }
                [name] if self.lists.contains_key(name) => {
                    return Some(self.lists[name].1.clone());
                }
                _ => ExprKind::Path(parts.clone()),
            },
            ExprKind::Call(name, args) => {
                let args = args.iter().map(|a| self.expand(a, budget));
                ExprKind::Call(name.clone(), args.collect::<Option<_>>()?)
            }
            ExprKind::Unary(op, e) => ExprKind::Unary(*op, Box::new(self.expand(e, budget)?)),
            ExprKind::Binary(op, l, r) => {
                let l = self.expand(l, budget)?;
                ExprKind::Binary(*op, Box::new(l), Box::new(self.expand(r, budget)?))
            }
            ExprKind::Between(e, from, to) => {
                let e = self.expand(e, budget)?;
                ExprKind::Between(Box::new(e), from.clone(), to.clone())
            }
            other => other.clone(),
        };
        Some(Expr {
            kind,
            range: expr.range,
        })
    }

    fn error_count(&self) -> usize {
        let errors = self.diagnostics.iter();
        errors.filter(|d| d.severity == Severity::Error).count()
    }

    fn never_fires(&mut self, rule: &ast::Rule, why: &str) {
        let message = format!("rule `{}` can never fire: {why}", rule.name.value);
        let range = rule.name.range;
        let span = Span::locate(self.text, range.start, range.end);
        let warning = Diagnostic::warning(codes::NEVER_FIRES.code, message)
            .with_label(span, "")
            .with_help("correct the condition, or remove the rule");
        self.diagnostics.push(warning);
    }

    fn unused_definitions(&mut self, file: &ast::File) {
        let lists = file.lists.iter().map(|l| (&l.name, "list"));
        let conditions = file.conditions.iter().map(|c| (&c.name, "condition"));
        let exceptions = file.exceptions.iter().map(|e| (&e.name, "exception"));
        let all: Vec<_> = lists.chain(conditions).chain(exceptions).collect();
        for (name, what) in all {
            let declared = self.lists.contains_key(&name.value)
                || self.conditions.contains_key(&name.value)
                || self.exceptions.contains_key(&name.value);
            if self.used.contains(&name.value) || !declared {
                continue;
            }
            let message = format!("{what} `{}` is never used", name.value);
            let span = Span::locate(self.text, name.range.start, name.range.end);
            let warning = Diagnostic::warning(codes::UNUSED_DEFINITION.code, message)
                .with_label(span, "declared here")
                .with_help("use it in a rule, or remove it");
            self.diagnostics.push(warning);
        }
    }

    fn unused_params(&mut self, params: &[ast::Param]) {
        for param in params {
            let name = &param.name.value;
            if self.params.contains_key(name) && !self.used.contains(name) {
                let message = format!("parameter `{}` is never used", param.name.value);
                let range = param.name.range;
                let span = Span::locate(self.text, range.start, range.end);
                let warning = Diagnostic::warning(codes::UNUSED_PARAM.code, message)
                    .with_label(span, "declared here")
                    .with_help("use it in a rule, or remove it");
                self.diagnostics.push(warning);
            }
        }
    }

    fn rules(&mut self, rules: &[ast::Rule]) -> Vec<RuleSpec> {
        let mut seen = BTreeSet::new();
        let mut specs = Vec::new();
        for rule in rules {
            if !seen.insert(rule.name.value.as_str()) {
                let message = format!("a rule named `{}` is already defined", rule.name.value);
                self.report(
                    codes::DUPLICATE_RULE,
                    rule.name.range,
                    message,
                    "second definition",
                );
            }
            specs.extend(self.rule(rule));
        }
        specs
    }

    fn rule(&mut self, rule: &ast::Rule) -> Option<RuleSpec> {
        let errors_before = self.error_count();
        self.reads_broken = false;
        let clauses = self.clauses(rule);
        let title = self.required(rule, &clauses, "title", clauses.title.clone());
        let category = self.required(rule, &clauses, "category", clauses.category.clone());
        let severity = self.required(rule, &clauses, "severity", clauses.severity);
        let grouping = clauses.grouping.clone().unwrap_or(Grouping::PerEvent);
        let filter = clauses.filter.clone();
        if let Some(filter) = &filter {
            self.condition(filter, &types::Scope::Event, "where");
        }
        let alert = self.alert(&grouping, clauses.alert.as_ref());
        let aggregates = alert
            .as_ref()
            .map(types::aggregate_names)
            .unwrap_or_default();
        let explain = clauses
            .explain
            .as_ref()
            .and_then(|e| self.template(e, &grouping, &aggregates));
        let filter = filter.map(|f| self.bounded(&f, rule.name.range));
        let alert = alert.map(|a| self.bounded(&a, rule.name.range));
        let never = filter
            .as_ref()
            .and_then(never::never_matches)
            .or_else(|| alert.as_ref().and_then(never::never_alerts));
        let sound = self.error_count() == errors_before && !self.reads_broken;
        if let (Some(why), true) = (never, sound) {
            self.never_fires(rule, &why);
        }
        let mut exceptions = self.file_excepts.clone();
        for spec in self.resolve_excepts(&clauses.excepts) {
            if !exceptions.contains(&spec) {
                exceptions.push(spec);
            }
        }
        Some(RuleSpec {
            name: rule.name.value.clone(),
            title: title?,
            description: clauses.description.clone(),
            category: category?,
            severity: severity?,
            filter,
            grouping,
            alert,
            explain,
            tags: clauses.tags.clone(),
            exceptions,
        })
    }

    /// A required clause's value; reports it missing unless it was written
    /// (an invalid value has been reported already).
    fn required<T>(
        &mut self,
        rule: &ast::Rule,
        clauses: &Clauses,
        clause: &'static str,
        value: Option<T>,
    ) -> Option<T> {
        if value.is_none() && !clauses.written.contains(clause) {
            let message = format!("rule `{}` has no `{clause}`", rule.name.value);
            let help = format!("add a `{clause}` clause inside the rule's braces");
            self.report_with_help(codes::MISSING_CLAUSE, rule.name.range, message, help);
        }
        value
    }

    fn condition(&mut self, expr: &Expr, scope: &types::Scope, clause: &str) {
        let found = types::type_of(self, expr, scope);
        if !matches!(found, Type::Bool | Type::Unknown) {
            let message = format!("`{clause}` needs a condition, found {}", found.describe());
            let help = "compare values with `==`, `!=`, `<`, `>` or `in`".to_string();
            self.report_with_help(codes::NOT_A_CONDITION, expr.range, message, help);
        }
    }

    fn alert(&mut self, grouping: &Grouping, alert: Option<&Expr>) -> Option<Expr> {
        let alert = alert?;
        if *grouping == Grouping::PerEvent {
            let message = "`alert` counts groups, but the rule has no `group by`".to_string();
            let help = "add `group by user` (or other keys), or remove `alert`".to_string();
            self.report_with_help(codes::ALERT_WITHOUT_GROUP, alert.range, message, help);
        }
        self.condition(alert, &types::Scope::Groups, "alert");
        Some(alert.clone())
    }
}

/// The clauses of one rule, each at most once.
#[derive(Default)]
struct Clauses {
    title: Option<String>,
    description: Option<String>,
    category: Option<Category>,
    severity: Option<Level>,
    filter: Option<Expr>,
    grouping: Option<Grouping>,
    alert: Option<Expr>,
    explain: Option<Spanned<String>>,
    tags: Vec<String>,
    excepts: Vec<Spanned<String>>,
    written: BTreeSet<&'static str>,
}

impl Checker<'_> {
    fn clauses(&mut self, rule: &ast::Rule) -> Clauses {
        let mut clauses = Clauses::default();
        for clause in &rule.clauses {
            if !clauses.written.insert(clause.value.keyword()) {
                let message = format!("`{}` is given twice", clause.value.keyword());
                self.report(codes::DUPLICATE_CLAUSE, clause.range, message, "second one");
                continue;
            }
            self.clause(&mut clauses, &clause.value);
        }
        clauses
    }

    fn clause(&mut self, clauses: &mut Clauses, clause: &Clause) {
        match clause {
            Clause::Title(text) => clauses.title = Some(text.clone()),
            Clause::Description(text) => clauses.description = Some(text.clone()),
            Clause::Category(name) => clauses.category = self.category(name),
            Clause::Severity(name) => clauses.severity = self.severity(name),
            Clause::Tags(tags) => clauses.tags = tags.clone(),
            Clause::Except(names) => clauses.excepts = names.clone(),
            Clause::Where(expr) => clauses.filter = Some(expr.clone()),
            Clause::GroupBy(group) => clauses.grouping = self.grouping(group),
            Clause::Alert(expr) => clauses.alert = Some(expr.clone()),
            Clause::Explain(text) => clauses.explain = Some(text.clone()),
        }
    }

    fn category(&mut self, name: &Spanned<String>) -> Option<Category> {
        if let Some(found) = Category::parse(&name.value) {
            return Some(found);
        }
        if self.categories.iter().any(|(n, _)| *n == name.value) {
            return Some(Category::Declared(name.value.as_str().into()));
        }
        let declared: Vec<String> = self.categories.iter().map(|(n, _)| n.clone()).collect();
        let mut names: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
        names.extend(declared.iter().map(String::as_str));
        self.unknown(codes::UNKNOWN_CATEGORY, "category", name, &names);
        None
    }

    fn severity(&mut self, name: &Spanned<String>) -> Option<Level> {
        let found = Level::parse(&name.value);
        if found.is_none() {
            let names: Vec<_> = Level::ALL.iter().map(|l| l.as_str()).collect();
            self.unknown(codes::UNKNOWN_SEVERITY, "severity", name, &names);
        }
        found
    }

    /// Reports an unknown name with a "did you mean" or the list of choices.
    pub(crate) fn unknown(
        &mut self,
        code: Code,
        what: &str,
        name: &Spanned<String>,
        choices: &[&str],
    ) {
        let message = format!("unknown {what} `{}`", name.value);
        let help = match suggest(&name.value, choices) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("expected one of: {}", choices.join(", ")),
        };
        self.report_with_help(code, name.range, message, help);
    }

    fn grouping(&mut self, group: &ast::GroupBy) -> Option<Grouping> {
        let mut keys: Vec<(String, Field)> = Vec::new();
        for key in &group.keys {
            let name = key.value.join(".");
            let field = types::resolve_field(self, key)?;
            if keys.iter().any(|(n, _)| *n == name) {
                let message = format!("`{name}` is already a key");
                self.report(codes::DUPLICATE_KEY, key.range, message, "listed twice");
            }
            keys.push((name, field));
        }
        let per = match &group.per {
            None => GroupWindow::Period,
            Some(window) => self.window(window).unwrap_or(GroupWindow::Period),
        };
        Some(Grouping::Groups { keys, per })
    }

    fn window(&mut self, window: &Spanned<ast::WindowSpec>) -> Option<GroupWindow> {
        let (amount, unit) = match &window.value {
            ast::WindowSpec::Calendar(word) => {
                return Some(GroupWindow::Calendar(calendar(word)));
            }
            ast::WindowSpec::Sliding(amount, unit) => (*amount, unit),
        };
        let seconds = amount * unit_seconds(unit);
        let whole = seconds.fract() == 0.0 && seconds >= 1.0;
        if !whole || seconds > MAX_SLIDING as f64 {
            let message = format!("a sliding window of {amount} {unit} cannot be used");
            let help = "give a whole number of seconds, up to 31 days".to_string();
            self.report_with_help(codes::BAD_WINDOW, window.range, message, help);
            return None;
        }
        Some(GroupWindow::Sliding(seconds as i64))
    }
}

/// The most parts a condition may have once named conditions are expanded.
pub const MAX_EXPANDED_SIZE: usize = 10_000;

/// The deepest a condition may nest once named conditions are expanded.
pub const MAX_EXPANDED_DEPTH: usize = 256;

/// The number of nodes in `expr` and its depth, counted without recursion
/// so that any tree can be measured; counting stops past the size limit.
fn measure(expr: &Expr) -> (usize, usize) {
    let mut stack = vec![(expr, 1)];
    let (mut size, mut depth) = (0, 0);
    while let Some((e, level)) = stack.pop() {
        size += 1;
        depth = depth.max(level);
        if size > MAX_EXPANDED_SIZE {
            break;
        }
        match &e.kind {
            ExprKind::Call(_, args) => stack.extend(args.iter().map(|a| (a, level + 1))),
            ExprKind::Unary(_, inner) | ExprKind::Between(inner, _, _) => {
                stack.push((inner, level + 1));
            }
            ExprKind::Binary(_, l, r) => {
                stack.push((l, level + 1));
                stack.push((r, level + 1));
            }
            _ => {}
        }
    }
    (size, depth)
}

fn calendar(word: &str) -> Calendar {
    match word {
        "day" => Calendar::Day,
        "week" => Calendar::Week,
        _ => Calendar::Month,
    }
}

fn unit_seconds(unit: &str) -> f64 {
    match unit.trim_end_matches('s') {
        "second" => 1.0,
        "minute" => 60.0,
        "hour" => 3600.0,
        _ => 86_400.0,
    }
}

/// The closest of `choices` to `name`, when one is close enough: the
/// "did you mean" of every diagnostic.
pub fn suggest<'c>(name: &str, choices: &[&'c str]) -> Option<&'c str> {
    choices
        .iter()
        .map(|c| (strsim::jaro_winkler(name, c), *c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
#[path = "check_tests.rs"]
mod tests;
