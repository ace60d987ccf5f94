//! What an evaluation keeps between events.

use crate::event::Event;
use crate::hash::{HashMap, HashSet};
use crate::plan::{Aggregate, AggregateKind, Env};
use crate::read::{Location, Rejection};
use crate::report::{Finding, InputSummary, Kind, Reason};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// A group's identity: its key values and window start (Unix seconds).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct GroupKey {
    pub values: Vec<String>,
    pub start: i64,
}

/// Live groups of one rule: by window start (Unix seconds), then by key
/// values encoded with [`encode_key`]. Looking a group up allocates nothing;
/// only a new group stores its key.
pub(super) type Groups = HashMap<i64, HashMap<Box<str>, Group>>;

/// Writes key values into `buffer` as `LENGTH:VALUE` pieces, so no two
/// different lists of values share an encoding.
pub(super) fn encode_key<'a>(values: impl Iterator<Item = Cow<'a, str>>, buffer: &mut String) {
    buffer.clear();
    for value in values {
        let _ = write!(buffer, "{}:", value.len());
        buffer.push_str(&value);
    }
}

/// Reads the values back from [`encode_key`]'s encoding.
pub(super) fn decode_key(mut encoded: &str) -> Vec<String> {
    let mut values = Vec::new();
    while let Some((length, rest)) = encoded.split_once(':') {
        let length: usize = length.parse().unwrap_or(rest.len()).min(rest.len());
        let mut cut = length;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let (value, tail) = rest.split_at(cut);
        values.push(value.to_string());
        encoded = tail;
    }
    values
}

/// A live group: its count, its aggregates and the smallest event ids seen.
#[derive(Debug, Default)]
pub(super) struct Group {
    pub end: i64,
    pub count: u64,
    pub ids: Vec<Box<str>>,
    pub accumulators: Vec<Accumulator>,
}

/// The running state of one aggregate in one group.
#[derive(Debug)]
pub(super) enum Accumulator {
    Count(u64),
    Distinct(HashSet<Box<str>>),
    /// In millionths, so that the total does not depend on the order.
    Sum(i128),
    Min(Option<f64>),
    Max(Option<f64>),
}

/// What one event gives one aggregate.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Input {
    /// `count`: whether the event counts.
    Flag(bool),
    /// `distinct`: the value as text, if any.
    Text(Option<Box<str>>),
    /// `sum`, `min`, `max`: the value, if any.
    Number(Option<f64>),
}

impl Input {
    /// What `event` gives the aggregate `kind`.
    pub fn of(kind: &AggregateKind, event: &Event, env: &Env) -> Input {
        match kind {
            AggregateKind::Count(condition) => {
                Input::Flag(condition.as_ref().is_none_or(|c| c.matches(event, env)))
            }
            AggregateKind::Distinct(value) => Input::Text(value.text(event, env).map(Into::into)),
            AggregateKind::Sum(value) | AggregateKind::Min(value) | AggregateKind::Max(value) => {
                Input::Number(value.number(event, env))
            }
        }
    }
}

/// Millionths in one unit: sums are exact to six decimals.
const SUM_SCALE: f64 = 1e6;

impl Accumulator {
    fn new(kind: &AggregateKind) -> Accumulator {
        match kind {
            AggregateKind::Count(_) => Accumulator::Count(0),
            AggregateKind::Distinct(_) => Accumulator::Distinct(HashSet::default()),
            AggregateKind::Sum(_) => Accumulator::Sum(0),
            AggregateKind::Min(_) => Accumulator::Min(None),
            AggregateKind::Max(_) => Accumulator::Max(None),
        }
    }

    fn add(&mut self, input: &Input) {
        match (self, input) {
            (Accumulator::Count(n), Input::Flag(yes)) => *n += u64::from(*yes),
            (Accumulator::Distinct(seen), Input::Text(Some(text)))
                if !seen.contains(text.as_ref()) =>
            {
                seen.insert(text.clone());
            }
            (Accumulator::Sum(total), Input::Number(value)) => {
                let micros = value.map_or(0, |n| (n * SUM_SCALE).round() as i128);
                *total = total.saturating_add(micros);
            }
            (Accumulator::Min(low), Input::Number(value)) => fold(low, *value, f64::min),
            (Accumulator::Max(high), Input::Number(value)) => fold(high, *value, f64::max),
            _ => {}
        }
    }

    /// The aggregate's value; `None` for the minimum or maximum of nothing.
    pub fn value(&self) -> Option<f64> {
        match self {
            Accumulator::Count(n) => Some(*n as f64),
            Accumulator::Distinct(seen) => Some(seen.len() as f64),
            Accumulator::Sum(total) => Some(*total as f64 / SUM_SCALE),
            Accumulator::Min(v) | Accumulator::Max(v) => *v,
        }
    }
}

fn fold(current: &mut Option<f64>, value: Option<f64>, pick: fn(f64, f64) -> f64) {
    if let Some(value) = value {
        *current = Some(current.map_or(value, |c| pick(c, value)));
    }
}

impl Group {
    /// Adds one matching event to the group's aggregates.
    pub fn add_event(&mut self, event: &Event, aggregates: &[Aggregate], env: &Env) {
        self.start(aggregates);
        for (accumulator, aggregate) in self.accumulators.iter_mut().zip(aggregates) {
            accumulator.add(&Input::of(&aggregate.kind, event, env));
        }
    }

    /// Adds what one event gave each aggregate.
    pub fn add_inputs(&mut self, inputs: &[Input], aggregates: &[Aggregate]) {
        self.start(aggregates);
        for (accumulator, input) in self.accumulators.iter_mut().zip(inputs) {
            accumulator.add(input);
        }
    }

    fn start(&mut self, aggregates: &[Aggregate]) {
        if self.accumulators.is_empty() {
            self.accumulators = aggregates
                .iter()
                .map(|a| Accumulator::new(&a.kind))
                .collect();
        }
    }

    /// Adds one event; keeps the `limit` smallest ids, sorted.
    pub fn add(&mut self, end: i64, id: Option<&str>, limit: usize) {
        self.end = end;
        self.count += 1;
        let Some(id) = id else { return };
        if self.ids.last().is_some_and(|last| **last < *id) {
            // Logs mostly come in id order: a larger id than every kept
            // one is appended while there is room, and is otherwise not
            // among the smallest.
            if self.ids.len() < limit {
                self.ids.push(id.into());
            }
            return;
        }
        let Err(at) = self.ids.binary_search_by(|probe| (**probe).cmp(id)) else {
            return;
        };
        if at < limit {
            self.ids.insert(at, id.into());
            self.ids.truncate(limit);
        }
    }
}

/// One rule's state.
#[derive(Debug, Default)]
pub(super) struct RuleState {
    pub groups: Groups,
    /// Reused for encoding each event's key.
    pub key_buffer: String,
    pub singles: Vec<Finding>,
    /// Matching events of a sliding-window rule, by encoded key.
    pub sliding: HashMap<Box<str>, Vec<super::sliding::Sample>>,
    pub matched: u64,
    pub missing_key: u64,
    /// Events each exception left out, by the exception's place in the rule.
    pub excepted: Vec<u64>,
}

/// Counts of records, and why some were not evaluated.
#[derive(Debug, Default)]
pub(super) struct Counts {
    pub read: u64,
    pub evaluated: u64,
    pub outside_period: u64,
    pub conflicting_ids: u64,
    rejected: u64,
    ignored: u64,
    reasons: BTreeMap<&'static str, ReasonState>,
    kinds: BTreeMap<String, u64>,
}

#[derive(Debug)]
struct ReasonState {
    code: &'static str,
    count: u64,
    /// The first locations, each with its rejection's message.
    locations: BTreeMap<Location, String>,
}

impl Counts {
    /// Counts a rejection, keeping the `limit` first locations.
    pub fn reject(&mut self, rejection: &Rejection, limit: usize) {
        self.read += 1;
        self.rejected += 1;
        let code = rejection.code;
        let state = self
            .reasons
            .entry(code.name)
            .or_insert_with(|| ReasonState {
                code: code.code,
                count: 0,
                locations: BTreeMap::new(),
            });
        state.count += 1;
        let message = rejection.message.clone();
        state.locations.insert(rejection.location.clone(), message);
        if state.locations.len() > limit {
            state.locations.pop_last();
        }
    }

    /// Counts a record that is not an access event.
    pub fn ignore(&mut self, kind: String) {
        self.read += 1;
        self.ignored += 1;
        *self.kinds.entry(kind).or_default() += 1;
    }

    /// The counts as the report shows them.
    pub fn summary(&self, conflict_examples: Vec<String>) -> InputSummary {
        let reasons = self.reasons.iter().map(|(name, state)| Reason {
            reason: (*name).to_string(),
            code: state.code.to_string(),
            count: state.count,
            locations: state.locations.keys().map(ToString::to_string).collect(),
            example: state.locations.values().next().cloned().unwrap_or_default(),
        });
        let kinds = self.kinds.iter().map(|(kind, count)| Kind {
            kind: kind.clone(),
            count: *count,
        });
        InputSummary {
            read: self.read,
            evaluated: self.evaluated,
            rejected: self.rejected,
            outside_period: self.outside_period,
            ignored: self.ignored,
            reasons: reasons.collect(),
            ignored_kinds: kinds.collect(),
            conflicting_ids: self.conflicting_ids,
            conflicting_examples: conflict_examples,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_encode_and_decode_without_ambiguity() {
        let mut a = String::new();
        let mut b = String::new();
        encode_key(["x:1", "y"].into_iter().map(Cow::Borrowed), &mut a);
        encode_key(["x", "1:y"].into_iter().map(Cow::Borrowed), &mut b);
        assert_ne!(a, b);
        assert_eq!(decode_key(&a), ["x:1", "y"]);
        assert_eq!(decode_key(&b), ["x", "1:y"]);
        encode_key(["å", ""].into_iter().map(Cow::Borrowed), &mut a);
        assert_eq!(decode_key(&a), ["å", ""]);
    }

    #[test]
    fn evidence_keeps_the_smallest_ids_in_any_order() {
        let ids = ["e5", "e1", "e9", "e3", "e1", "e7"];
        let mut forward = Group::default();
        let mut backward = Group::default();
        for id in ids {
            forward.add(0, Some(id), 3);
        }
        for id in ids.iter().rev() {
            backward.add(0, Some(id), 3);
        }
        let expected: Vec<Box<str>> = vec!["e1".into(), "e3".into(), "e5".into()];
        assert_eq!(forward.ids, expected);
        assert_eq!(backward.ids, expected);
        assert_eq!(forward.count, 6);
    }

    #[test]
    fn evidence_of_ids_in_log_order_keeps_the_first_and_no_repeat() {
        let mut group = Group::default();
        for id in ["e1", "e2", "e2", "e3", "e4", "e5"] {
            group.add(0, Some(id), 3);
        }
        group.add(0, Some("e0"), 3);
        let expected: Vec<Box<str>> = vec!["e0".into(), "e1".into(), "e2".into()];
        assert_eq!(group.ids, expected);
        assert_eq!(group.count, 7);
    }
}
