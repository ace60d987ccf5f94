//! Stage 4: one streaming pass of events through the planned rules.
//!
//! State grows with the number of live groups (one small record per rule,
//! key and window), never with the number of events. Nothing depends on the
//! order events arrive in: counts are sums, evidence keeps the smallest ids,
//! and findings are sorted at the end.

mod dedup;
mod explain;
mod sampling;
mod sliding;
mod split;
mod state;

use crate::ast::Literal;
use crate::context::Context;
use crate::event::{Event, FieldValue};
use crate::plan::{Env, Params, PlannedRule, Window};
use crate::read::{Record, Rejection};
use crate::report::{
    Activity, CsvSettings, ExceptionUse, Finding, FindingWindow, HolidayData, InputFile, Period,
    Report, RuleStat, Run, RunSettings, SCHEMA, Samples,
};
use crate::ruleset::RuleSet;
use crate::time::HolidayCalendar;
use crate::time::{Calendar, local_date, start_of_day};
use chrono::{DateTime, Datelike, Days, NaiveDate, Timelike, Utc};
use chrono_tz::Tz;
use dedup::{Dedup, Seen};
use sampling::Sampling;
use state::{Counts, Group, Input, RuleState, encode_key};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

/// Settings of one evaluation. Every input that could change the result is
/// here: nothing is read from the environment.
#[derive(Debug, Clone)]
pub struct Options {
    /// The time zone; overrides a zone the rule files declare.
    pub zone: Option<Tz>,
    /// The local calendar month to evaluate, as its first day; without it
    /// the period is the span of the input, in whole local days.
    pub period: Option<NaiveDate>,
    /// "Now", written into the report's `run` section.
    pub now: DateTime<Utc>,
    /// The command or call, written into the report's `run` section.
    pub command: String,
    /// The input files, for the report.
    pub inputs: Vec<InputFile>,
    /// How many event ids a finding lists as evidence.
    pub evidence_limit: usize,
    /// How many locations the report lists per rejection reason.
    pub location_limit: usize,
    /// The holiday calendar of `holiday()`; overrides the rule files'.
    pub holidays: Option<HolidayCalendar>,
    /// Users, patients, care relations and lists that rules look up;
    /// without it, nobody is known.
    pub context: Option<Arc<Context>>,
    /// The seed of the samples: a number in decimal or any text. Without
    /// one, rules that sample get a fresh seed from the operating system,
    /// recorded in the report.
    pub seed: Option<String>,
    /// Whether a second copy of an event (same id, same content) is
    /// rejected as `duplicate_event` rather than evaluated again. Costs
    /// memory for each distinct event id.
    pub duplicates: bool,
    /// How CSV files were read, recorded in the report so that a replay
    /// reads them the same way; `None` with the defaults.
    pub csv: Option<CsvSettings>,
    /// The organisation whose logs these are, written in the report.
    pub organisation: Option<String>,
    /// Whether every second rule is evaluated on a second thread: the same
    /// report, sooner on two or more cores when there are many events.
    pub split_rules: bool,
}

impl Options {
    /// Whether [`split_rules`](Self::split_rules) can make a run sooner
    /// here: the machine has more than one core. The command line and the
    /// bindings split when it does.
    pub fn can_split_rules() -> bool {
        std::thread::available_parallelism().is_ok_and(|n| n.get() > 1)
    }
}

impl Default for Options {
    fn default() -> Options {
        Options {
            zone: None,
            period: None,
            now: DateTime::UNIX_EPOCH,
            command: String::new(),
            inputs: Vec::new(),
            evidence_limit: 10,
            location_limit: 5,
            holidays: None,
            context: None,
            seed: None,
            csv: None,
            duplicates: true,
            organisation: None,
            split_rules: false,
        }
    }
}

/// An evaluation in progress: push records, then [`finish`](Self::finish).
pub struct Evaluation<'r> {
    rules: &'r RuleSet,
    zone: Tz,
    env: Env,
    period: Option<(DateTime<Utc>, DateTime<Utc>)>,
    options: Options,
    states: Vec<RuleState>,
    counts: Counts,
    dedup: Arc<Mutex<Dedup>>,
    sampling: Sampling,
    span: Option<(DateTime<Utc>, DateTime<Utc>)>,
    activity: Activity,
    windows: Windows,
    /// The rules thread, with [`Options::split_rules`].
    split: Option<split::Split>,
}

/// The calendar windows last used, one per calendar. Events of a month
/// mostly fall in the window of the event before, so the window holding an
/// event is computed again only when the event is outside it.
#[derive(Default)]
struct Windows([Option<(DateTime<Utc>, DateTime<Utc>)>; 3]);

impl Windows {
    /// The `[start, end)` of the window holding `time`, in epoch seconds.
    fn get(&mut self, calendar: Calendar, zone: Tz, time: DateTime<Utc>) -> (i64, i64) {
        let slot = &mut self.0[calendar as usize];
        let (start, end) = match *slot {
            Some((start, end)) if start <= time && time < end => (start, end),
            _ => *slot.insert(calendar.window(zone, time)),
        };
        (start.timestamp(), end.timestamp())
    }
}

impl<'r> Evaluation<'r> {
    /// Starts an evaluation of `rules`.
    pub fn new(rules: &'r RuleSet, options: Options) -> Evaluation<'r> {
        let zone = rules.zone(options.zone);
        let period = options.period.map(|first| month_bounds(zone, first));
        let states = rules
            .planned()
            .iter()
            .map(|rule| RuleState {
                excepted: vec![0; rule.exceptions.len()],
                ..RuleState::default()
            })
            .collect();
        tracing::debug!(rules = rules.planned().len(), zone = %zone.name(), "evaluation starts");
        let sampling = Sampling::new(rules, options.seed.clone());
        let mut evaluation = Evaluation {
            sampling,
            rules,
            zone,
            env: Env {
                zone,
                holidays: rules.holidays(options.holidays),
                context: options.context.clone().unwrap_or_default(),
            },
            period,
            options,
            states,
            counts: Counts::default(),
            dedup: Arc::default(),
            span: None,
            activity: Activity::default(),
            windows: Windows::default(),
            split: None,
        };
        if evaluation.options.split_rules && rules.planned().len() > 1 {
            evaluation.start_split();
        }
        evaluation
    }

    /// Hands the rules at odd places, with their states, to a second thread.
    fn start_split(&mut self) {
        let helper = |place: &usize| split::on_helper(*place);
        let places: Vec<usize> = (0..self.states.len()).filter(helper).collect();
        let work = split::Work {
            rules: places
                .iter()
                .map(|&p| self.rules.planned()[p].clone())
                .collect(),
            states: places
                .iter()
                .map(|&p| std::mem::take(&mut self.states[p]))
                .collect(),
            env: self.env.clone(),
            evidence_limit: self.options.evidence_limit,
        };
        match split::Split::start(work) {
            Ok(split) => self.split = Some(split),
            Err(states) => self.put_back(states),
        }
    }

    /// Puts the states of the rules at odd places back in their places.
    fn put_back(&mut self, states: Vec<RuleState>) {
        let places = (0..self.states.len()).filter(|p| split::on_helper(*p));
        for (place, state) in places.zip(states) {
            self.states[place] = state;
        }
    }

    /// Names the input files for the report, in place of
    /// [`Options::inputs`]: their digests may be computed while the
    /// events are read.
    pub fn set_inputs(&mut self, inputs: Vec<InputFile>) {
        self.options.inputs = inputs;
    }

    /// The zone in force.
    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// Takes one record of any kind.
    pub fn push_record(&mut self, record: Record) {
        match record {
            Record::Event(event) => self.push(&event),
            Record::Rejected(rejection) => self.reject(&rejection),
            Record::Ignored(kind) => self.counts.ignore(kind),
        }
    }

    /// Counts a record that could not be read.
    pub fn reject(&mut self, rejection: &Rejection) {
        self.counts.reject(rejection, self.options.location_limit);
    }

    /// Evaluates one event.
    pub fn push(&mut self, event: &Event) {
        if self.options.duplicates && self.is_copy(event) {
            return;
        }
        if self.evaluate(event) {
            if let Some(split) = &mut self.split {
                split.hand(event.clone());
            }
        }
    }

    /// The duplicate check as a stage of its own, to run on the thread that
    /// reads (see [`read::ahead_with`](crate::read::ahead_with)): a copy
    /// comes out as its `duplicate_event` rejection. Give what it passes to
    /// [`push_screened`](Self::push_screened), in the order it passed them.
    pub fn screen(&self) -> Screen {
        Screen {
            dedup: self.options.duplicates.then(|| Arc::clone(&self.dedup)),
            limit: self.options.location_limit,
        }
    }

    /// Takes one record that has passed this evaluation's [`Screen`].
    pub fn push_screened(&mut self, record: Record) {
        match record {
            Record::Event(event) => {
                if self.evaluate(&event) {
                    if let Some(split) = &mut self.split {
                        split.hand(event);
                    }
                }
            }
            Record::Rejected(rejection) => self.reject(&rejection),
            Record::Ignored(kind) => self.counts.ignore(kind),
        }
    }

    /// Evaluates one event that is not a copy, except the rules of the
    /// second thread; tells whether it is in the period, for them.
    fn evaluate(&mut self, event: &Event) -> bool {
        self.counts.read += 1;
        if let Some((start, end)) = self.period {
            if event.time < start || event.time >= end {
                self.counts.outside_period += 1;
                return false;
            }
        }
        self.counts.evaluated += 1;
        self.widen_span(event.time);
        let local = event.time.with_timezone(&self.zone);
        self.activity.add(local.hour(), local.weekday());
        self.sampling.offer(event, &self.env);
        let windows = &mut self.windows;
        let context = (&self.env, self.options.evidence_limit);
        let split = self.split.is_some();
        let rules = self.rules.planned().iter().zip(&mut self.states);
        for (place, (rule, state)) in rules.enumerate() {
            if !(split && split::on_helper(place)) {
                evaluate_rule(rule, state, event, context, windows);
            }
        }
        true
    }

    /// Whether `event` repeats one already read; a copy is counted as
    /// rejected.
    fn is_copy(&mut self, event: &Event) -> bool {
        let limit = self.options.location_limit;
        let seen = lock(&self.dedup).see(event, limit);
        if seen != Seen::Copy {
            return false;
        }
        self.reject(&dedup::copy_rejection(event));
        true
    }

    fn widen_span(&mut self, time: DateTime<Utc>) {
        self.span = Some(match self.span {
            None => (time, time),
            Some((low, high)) => (low.min(time), high.max(time)),
        });
    }

    /// Ends the pass and builds the report.
    pub fn finish(mut self) -> Report {
        if let Some(split) = self.split.take() {
            let states = split.finish();
            self.put_back(states);
        }
        let states = std::mem::take(&mut self.states);
        let period = self
            .period
            .or_else(|| self.span.map(|s| day_bounds(self.zone, s)));
        let mut findings = Vec::new();
        let mut stats = Vec::new();
        let mut exceptions = ExceptionUses::default();
        for (rule, mut state) in self.rules.planned().iter().zip(states) {
            let live: u64 = state.groups.values().map(|g| g.len() as u64).sum();
            let groups = live + state.sliding.len() as u64;
            self.sweep(rule, &mut state);
            let before = findings.len();
            let missing_key = state.missing_key;
            let matched = state.matched;
            let excepted = exceptions.add(rule, &state.excepted);
            findings.extend(explain::findings(rule, state, self.zone, period));
            let count = (findings.len() - before) as u64;
            let name = rule.spec.name.clone();
            stats.push(RuleStat {
                rule: name,
                matched,
                excepted,
                missing_key,
                groups,
                findings: count,
            });
        }
        findings.sort_by(finding_order);
        let samples = self.sampling.draw(&mut findings);
        tracing::debug!(
            findings = findings.len(),
            read = self.counts.read,
            "evaluation done"
        );
        self.build(period, stats, (findings, samples), exceptions.into_report())
    }

    /// The input counts, with the duplicate check's conflicts.
    fn input_summary(&mut self) -> crate::report::InputSummary {
        let dedup = lock(&self.dedup);
        self.counts.conflicting_ids = dedup.conflicts();
        self.counts.summary(dedup.examples())
    }

    /// The settings a replay of this evaluation needs.
    fn settings(&self) -> RunSettings {
        let duplicates = if self.options.duplicates {
            "drop"
        } else {
            "keep"
        };
        RunSettings {
            period: self.options.period.map(|p| p.format("%Y-%m").to_string()),
            zone: self.options.zone.map(|z| z.name().to_string()),
            duplicates: duplicates.to_string(),
            csv: self.options.csv.clone(),
        }
    }

    /// Turns a sliding rule's samples into the windows that fire.
    fn sweep(&self, rule: &PlannedRule, state: &mut RuleState) {
        let Window::Sliding(seconds) = rule.window else {
            return;
        };
        let sweep = sliding::Sweep {
            seconds,
            aggregates: &rule.aggregates,
            alert: rule.alert.as_ref(),
            evidence_limit: self.options.evidence_limit,
        };
        for (key, samples) in std::mem::take(&mut state.sliding) {
            for fired in sweep.fired(samples) {
                let groups = state.groups.entry(fired.start).or_default();
                groups.insert(key.clone(), fired.group);
            }
        }
    }

    fn build(
        mut self,
        period: Option<(DateTime<Utc>, DateTime<Utc>)>,
        rule_stats: Vec<RuleStat>,
        (findings, samples): (Vec<Finding>, Samples),
        exceptions: Vec<ExceptionUse>,
    ) -> Report {
        let input = self.input_summary();
        let local = |t: DateTime<Utc>| t.with_timezone(&self.zone).fixed_offset();
        Report {
            schema: SCHEMA,
            run: Run {
                engine_version: crate::VERSION.to_string(),
                generated_at: self.options.now.to_rfc3339(),
                command: self.options.command.clone(),
                settings: self.settings(),
            },
            organisation: self.options.organisation,
            period: Period {
                start: period.map(|p| local(p.0)),
                end: period.map(|p| local(p.1)),
            },
            time_zone: self.zone.name().to_string(),
            rules: self.rules.digests(),
            params: params_json(self.rules.params()),
            inputs: self.options.inputs,
            input,
            context: self.options.context.as_deref().map(Context::summary),
            holidays: HolidayData::of(self.env.holidays),
            activity: self.activity,
            rule_stats,
            categories: self.rules.categories().to_vec(),
            seed: self.sampling.seed.clone(),
            sampling: self.sampling.info(self.rules),
            samples,
            exceptions,
            findings,
        }
    }
}

/// The duplicate check of one evaluation, run where records are read.
pub struct Screen {
    /// The evaluation's check; `None` when copies are kept.
    dedup: Option<Arc<Mutex<Dedup>>>,
    limit: usize,
}

impl Screen {
    /// Passes `record` on; a copy of an event already read becomes its
    /// `duplicate_event` rejection.
    pub fn record(&mut self, record: Record) -> Record {
        let (Some(dedup), Record::Event(event)) = (&self.dedup, &record) else {
            return record;
        };
        match lock(dedup).see(event, self.limit) {
            Seen::Copy => Record::Rejected(dedup::copy_rejection(event)),
            Seen::First | Seen::Conflict => record,
        }
    }
}

/// The duplicate check, whose state stays whole even if a thread holding
/// it panicked (it is changed in single, complete steps).
fn lock(dedup: &Mutex<Dedup>) -> std::sync::MutexGuard<'_, Dedup> {
    dedup.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Evaluates one rule on `event`: its filter and exceptions, then its state.
fn evaluate_rule(
    rule: &PlannedRule,
    state: &mut RuleState,
    event: &Event,
    context: (&Env, usize),
    windows: &mut Windows,
) {
    let env = context.0;
    if rule.filter.as_ref().is_none_or(|f| f.matches(event, env))
        && !excepted(rule, state, event, env)
    {
        state.matched += 1;
        apply(rule, state, event, context, windows);
    }
}

/// Adds a matching event to its rule's state.
fn apply(
    rule: &PlannedRule,
    state: &mut RuleState,
    event: &Event,
    (env, limit): (&Env, usize),
    windows: &mut Windows,
) {
    let zone = env.zone;
    let window = match rule.window {
        Window::PerEvent => return state.singles.push(explain::single(rule, event, zone)),
        Window::Calendar(calendar) => windows.get(calendar, zone, event.time),
        Window::Period | Window::Sliding(_) => (0, 0),
    };
    let Some(values) = key_values(rule, event) else {
        state.missing_key += 1;
        return;
    };
    encode_key(values.into_iter(), &mut state.key_buffer);
    let key = state.key_buffer.as_str();
    if let Window::Sliding(_) = rule.window {
        return sample(rule, state, event, env);
    }
    let groups = state.groups.entry(window.0).or_default();
    let add = |group: &mut Group| {
        group.add(window.1, event.id.as_deref(), limit);
        group.add_event(event, &rule.aggregates, env);
    };
    if let Some(group) = groups.get_mut(key) {
        return add(group);
    }
    add(groups.entry(key.into()).or_default());
}

/// Whether an exception of `rule` leaves `event` out; counts it under the
/// first that does.
fn excepted(rule: &PlannedRule, state: &mut RuleState, event: &Event, env: &Env) -> bool {
    let Some(at) = rule.exceptions.iter().position(|e| e.matches(event, env)) else {
        return false;
    };
    if let Some(count) = state.excepted.get_mut(at) {
        *count += 1;
    }
    true
}

/// Keeps a sliding rule's matching event for the sweep at the end.
fn sample(rule: &PlannedRule, state: &mut RuleState, event: &Event, env: &Env) {
    let inputs = rule
        .aggregates
        .iter()
        .map(|a| Input::of(&a.kind, event, env))
        .collect();
    let sample = sliding::Sample::new(event.time, event.id.as_deref(), inputs);
    let key = state.key_buffer.as_str();
    match state.sliding.get_mut(key) {
        Some(samples) => samples.push(sample),
        None => drop(state.sliding.insert(key.into(), vec![sample])),
    }
}

/// The exceptions of every rule, gathered by name and reason.
#[derive(Default)]
struct ExceptionUses(BTreeMap<(String, String), ExceptionUse>);

impl ExceptionUses {
    /// Adds a rule's counts; gives the events its exceptions left out.
    fn add(&mut self, rule: &PlannedRule, counts: &[u64]) -> u64 {
        let mut total = 0;
        for (i, spec) in rule.spec.exceptions.iter().enumerate() {
            let count = counts.get(i).copied().unwrap_or(0);
            total += count;
            let key = (spec.name.clone(), spec.reason.clone());
            let entry = self.0.entry(key).or_insert_with(|| ExceptionUse {
                name: spec.name.clone(),
                reason: spec.reason.clone(),
                condition: crate::print::expr(&spec.condition),
                excluded: 0,
                rules: BTreeMap::new(),
            });
            entry.excluded += count;
            entry.rules.insert(rule.spec.name.clone(), count);
        }
        total
    }

    fn into_report(self) -> Vec<ExceptionUse> {
        self.0.into_values().collect()
    }
}

/// The parameters in force as JSON values; whole numbers without fraction.
fn params_json(params: &Params) -> BTreeMap<String, serde_json::Value> {
    let value = |literal: &Literal| match literal {
        Literal::Text(text) => serde_json::Value::from(text.as_str()),
        Literal::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => {
            serde_json::Value::from(*n as i64)
        }
        Literal::Number(n) => serde_json::Value::from(*n),
        Literal::Bool(b) => serde_json::Value::from(*b),
        Literal::Null => serde_json::Value::Null,
    };
    params
        .iter()
        .map(|(name, literal)| (name.clone(), value(literal)))
        .collect()
}

/// The rule's key values for `event`, or `None` when one is missing.
fn key_values<'e>(rule: &PlannedRule, event: &'e Event) -> Option<Vec<Cow<'e, str>>> {
    let text = |value: FieldValue<'e>| match value {
        FieldValue::Text(s) => Cow::Borrowed(s),
        other => Cow::Owned(other.to_string()),
    };
    rule.keys
        .iter()
        .map(|(_, field)| event.get(field).map(text))
        .collect()
}

fn finding_order(a: &Finding, b: &Finding) -> std::cmp::Ordering {
    let order = |f: &Finding| {
        (
            f.category.clone(),
            f.rule.clone(),
            f.key.clone(),
            f.window.clone(),
        )
    };
    order(a)
        .cmp(&order(b))
        .then_with(|| a.evidence.ids.cmp(&b.evidence.ids))
        .then_with(|| a.explanation.cmp(&b.explanation))
}

/// `[start, end)` of the local month beginning on `first`.
pub fn month_bounds(zone: Tz, first: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let next = Calendar::Month.next_date(first);
    (start_of_day(zone, first), start_of_day(zone, next))
}

/// The whole local days spanning `[low, high]`.
fn day_bounds(
    zone: Tz,
    (low, high): (DateTime<Utc>, DateTime<Utc>),
) -> (DateTime<Utc>, DateTime<Utc>) {
    let first = local_date(zone, low);
    let last = local_date(zone, high) + Days::new(1);
    (start_of_day(zone, first), start_of_day(zone, last))
}

/// A finding's window in local time.
fn local_window(zone: Tz, start: DateTime<Utc>, end: DateTime<Utc>) -> FindingWindow {
    let local = |t: DateTime<Utc>| t.with_timezone(&zone).fixed_offset();
    FindingWindow {
        start: local(start),
        end: local(end),
    }
}

#[cfg(test)]
#[path = "eval_tests.rs"]
mod tests;
