//! Turning groups and events into findings with explanations.

use super::local_window;
use super::state::{Group, GroupKey, RuleState, decode_key};
use crate::check::{Piece, Template};
use crate::event::{Event, Field};
use crate::plan::{PlannedRule, Window};
use crate::report::{Evidence, Finding};
use crate::time::{Calendar, local_date};
use chrono::{DateTime, Days, TimeZone, Utc};
use chrono_tz::Tz;
use std::collections::BTreeMap;

type Bounds = Option<(DateTime<Utc>, DateTime<Utc>)>;

/// The findings of one rule at the end of the pass.
pub(super) fn findings(
    rule: &PlannedRule,
    state: RuleState,
    zone: Tz,
    period: Bounds,
) -> Vec<Finding> {
    let mut out = state.singles;
    for (start, groups) in state.groups {
        for (encoded, group) in groups {
            let slots = slots(&group);
            if rule.alert.as_ref().is_none_or(|a| a.fires(&slots)) {
                let key = GroupKey {
                    values: decode_key(&encoded),
                    start,
                };
                out.push(grouped(rule, &key, &group, &slots, zone, period));
            }
        }
    }
    out
}

fn slots(group: &Group) -> Vec<Option<f64>> {
    group.accumulators.iter().map(|a| a.value()).collect()
}

fn grouped(
    rule: &PlannedRule,
    key: &GroupKey,
    group: &Group,
    slots: &[Option<f64>],
    zone: Tz,
    period: Bounds,
) -> Finding {
    let (start, end) = bounds(rule, key, group, period);
    let keys: BTreeMap<String, String> = rule
        .keys
        .iter()
        .zip(&key.values)
        .map(|((n, _), v)| (n.clone(), v.to_string()))
        .collect();
    let mut values: BTreeMap<String, f64> = rule
        .aggregates
        .iter()
        .zip(slots)
        .filter_map(|(a, v)| v.map(|v| (a.name.clone(), v)))
        .collect();
    values.entry("count".into()).or_insert(group.count as f64);
    let label = window_label(rule.window, zone, start, end);
    let lookup = |name: &str| group_value(rule, &keys, &values, (&label, group.count), name);
    Finding {
        rule: rule.spec.name.clone(),
        title: rule.spec.title.clone(),
        category: rule.spec.category.clone(),
        severity: rule.spec.severity,
        tags: rule.spec.tags.clone(),
        sampled: false,
        explanation: render(
            rule.spec.explain.as_ref(),
            &default_group_text(rule),
            lookup,
        ),
        key: keys,
        window: local_window(zone, start, end),
        values,
        condition: rule.condition.clone(),
        evidence: Evidence {
            ids: group.ids.iter().map(ToString::to_string).collect(),
            total: group.count,
        },
    }
}

fn bounds(
    rule: &PlannedRule,
    key: &GroupKey,
    group: &Group,
    period: Bounds,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let instant = |s: i64| Utc.timestamp_opt(s, 0).single().unwrap_or_default();
    match (rule.window, period) {
        (Window::Period, Some(p)) => p,
        _ => (instant(key.start), instant(group.end)),
    }
}

fn group_value(
    rule: &PlannedRule,
    keys: &BTreeMap<String, String>,
    values: &BTreeMap<String, f64>,
    (label, events): (&str, u64),
    name: &str,
) -> String {
    if let Some(value) = keys.get(name) {
        return value.clone();
    }
    if let Some(value) = values.get(name) {
        return number(*value);
    }
    match name {
        "count" => events.to_string(),
        "window" => label.into(),
        "rule" => rule.spec.name.clone(),
        "title" => rule.spec.title.clone(),
        _ => String::new(),
    }
}

fn default_group_text(rule: &PlannedRule) -> Template {
    let mut pieces = Vec::new();
    for (name, _) in &rule.keys {
        pieces.push(Piece::Text(format!("{name} ")));
        pieces.push(Piece::Value(name.clone()));
        pieces.push(Piece::Text(", ".into()));
    }
    pieces.push(Piece::Value("count".into()));
    pieces.push(Piece::Text(" events in ".into()));
    pieces.push(Piece::Value("window".into()));
    Template { pieces }
}

/// A short name for a window: `2026-03-04`, `2026-W10`, `2026-03`, or the
/// first and last day of the period.
fn window_label(window: Window, zone: Tz, start: DateTime<Utc>, end: DateTime<Utc>) -> String {
    let first = local_date(zone, start);
    match window {
        Window::Calendar(calendar) => calendar.label(first),
        Window::Sliding(_) => {
            let local = |t: DateTime<Utc>| t.with_timezone(&zone).format("%Y-%m-%d %H:%M:%S");
            format!("{} to {}", local(start), local(end))
        }
        _ => {
            let last = local_date(zone, end)
                .checked_sub_days(Days::new(1))
                .unwrap_or(first);
            format!(
                "{} to {}",
                Calendar::Day.label(first),
                Calendar::Day.label(last)
            )
        }
    }
}

/// The finding of a rule without `group by`, for one event.
pub(super) fn single(rule: &PlannedRule, event: &Event, zone: Tz) -> Finding {
    let lookup = |name: &str| event_value(rule, event, zone, name);
    let default = Template {
        pieces: vec![
            Piece::Value("user".into()),
            Piece::Text(": ".into()),
            Piece::Value("action".into()),
            Piece::Text(" at ".into()),
            Piece::Value("time".into()),
        ],
    };
    Finding {
        rule: rule.spec.name.clone(),
        title: rule.spec.title.clone(),
        category: rule.spec.category.clone(),
        severity: rule.spec.severity,
        tags: rule.spec.tags.clone(),
        sampled: false,
        key: BTreeMap::from([("user".to_string(), event.user.clone())]),
        window: local_window(zone, event.time, event.time),
        values: BTreeMap::new(),
        condition: String::new(),
        explanation: render(rule.spec.explain.as_ref(), &default, lookup),
        evidence: Evidence {
            ids: event.id.iter().cloned().collect(),
            total: 1,
        },
    }
}

fn event_value(rule: &PlannedRule, event: &Event, zone: Tz, name: &str) -> String {
    let field = match name {
        "rule" => return rule.spec.name.clone(),
        "title" => return rule.spec.title.clone(),
        "time" => {
            return event
                .time
                .with_timezone(&zone)
                .format("%Y-%m-%d %H:%M:%S %:z")
                .to_string();
        }
        _ => name.strip_prefix("attr.").map_or_else(
            || Field::canonical(name),
            |a| Some(Field::Attribute(a.into())),
        ),
    };
    let value = field.and_then(|f| event.get(&f).map(|v| v.to_string()));
    value.unwrap_or_else(|| "(none)".to_string())
}

fn render(
    template: Option<&Template>,
    default: &Template,
    lookup: impl Fn(&str) -> String,
) -> String {
    let template = template.unwrap_or(default);
    template
        .pieces
        .iter()
        .map(|piece| match piece {
            Piece::Text(text) => text.clone(),
            Piece::Value(name) => lookup(name),
        })
        .collect()
}

/// A number as a reviewer reads it: `7`, `2.5`.
pub(crate) fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}
