//! Running one test and comparing its findings with those expected.

use super::locate::Step;
use super::{Expected, Mismatch, Outcome, TestCase, TestFile, located};
use crate::ast::Literal;
use crate::check::suggest;
use crate::codes;
use crate::context::Context;
use crate::diagnostic::Diagnostic;
use crate::eval::Options;
use crate::event::Event;
use crate::read::canonical::from_object;
use crate::report::{Finding, FindingWindow, Report};
use crate::ruleset::RuleSet;
use crate::time::{Calendar, parse_timestamp};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use chrono_tz::Tz;
use serde_json::{Map, Value as Json};
use std::sync::Arc;

/// Runs one test: problems in it are an error, else the findings decide.
pub(super) fn run_case(
    rules: &RuleSet,
    file: &TestFile,
    case: &TestCase,
    context: Option<Arc<Context>>,
) -> Outcome {
    let mut problems = Vec::new();
    let rules = with_params(rules, file, case, &mut problems);
    check_rule_names(&rules, file, case, &mut problems);
    let zone = rules.zone(case.zone);
    let events = read_events(file, case, zone, &mut problems);
    if !problems.is_empty() {
        return Outcome::Error(problems);
    }

    let options = Options {
        zone: case.zone,
        period: case.period,
        context,
        ..Options::default()
    };
    let report = rules.evaluate(events, options);
    let problems = not_evaluated(&report, file, case);
    if !problems.is_empty() {
        return Outcome::Error(problems);
    }

    let findings: Vec<Finding> = report
        .findings
        .into_iter()
        .filter(|f| compared(case, &f.rule))
        .collect();
    let mismatch = compare(&findings, &case.expect, zone);
    if mismatch == Mismatch::default() {
        Outcome::Passed
    } else {
        Outcome::Failed(mismatch)
    }
}

/// Whether the test compares the findings of `rule`.
fn compared(case: &TestCase, rule: &str) -> bool {
    case.only
        .as_ref()
        .is_none_or(|only| only.iter().any(|(name, _)| name == rule))
}

/// The rules with the test's parameter overrides.
fn with_params(
    rules: &RuleSet,
    file: &TestFile,
    case: &TestCase,
    problems: &mut Vec<Diagnostic>,
) -> RuleSet {
    let mut rules = rules.clone();
    for (name, value, path) in &case.params {
        let declared_text = matches!(rules.params().get(name), Some(Literal::Text(_)));
        let text = match value {
            Json::String(text) => text.clone(),
            Json::Number(_) if declared_text => {
                let message = format!("parameter `{name}` takes text, not a number");
                let d = located(codes::TEST_PARAM, &file.text, path, false, message)
                    .with_help("write the value in double quotes");
                problems.push(d);
                continue;
            }
            other => other.to_string(),
        };
        if let Err(d) = rules.set_param(name, &text) {
            let mut problem = located(codes::TEST_PARAM, &file.text, path, true, d.message);
            problem.help = d.help;
            problems.push(problem);
        }
    }
    rules
}

/// Every rule the test names, in `only` and in `expect`, must exist.
fn check_rule_names(
    rules: &RuleSet,
    file: &TestFile,
    case: &TestCase,
    problems: &mut Vec<Diagnostic>,
) {
    let known: Vec<&str> = rules.rules().map(|r| r.name.as_str()).collect();
    let only = case.only.iter().flatten().map(|(n, p)| (n, p.clone()));
    let expected = case.expect.iter().map(|e| {
        let mut path = e.path.clone();
        path.push(Step::Key("rule".into()));
        (&e.rule, path)
    });
    for (name, path) in only.chain(expected) {
        if !known.contains(&name.as_str()) {
            let message = format!("no rule is named `{name}`");
            let help = match suggest(name, &known) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("the rules are: {}", known.join(", ")),
            };
            let d = located(codes::TEST_RULE, &file.text, &path, false, message);
            problems.push(d.with_help(help));
        } else if !compared(case, name) {
            let message = format!("a finding of `{name}` is expected, but `only` leaves it out");
            let d = located(codes::TEST_RULE, &file.text, &path, false, message);
            problems.push(d.with_help("add the rule to `only`, or remove this expectation"));
        }
    }
}

/// The test's events, read as JSON Lines input is read; an event the
/// reader rejects is a problem, never skipped.
fn read_events(
    file: &TestFile,
    case: &TestCase,
    zone: Tz,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Event> {
    let mut events = Vec::new();
    for (number, (object, path)) in case.events.iter().enumerate() {
        match from_object(object.clone(), zone) {
            Ok(event) => events.push(event),
            Err(invalid) => {
                let message = format!("event {} cannot be read: {}", number + 1, invalid.message);
                let help = format!(
                    "a run would reject it as {} `{}`",
                    invalid.code.code, invalid.code.name
                );
                let at = member_at(object, path, &invalid.message);
                let d = located(codes::TEST_EVENT, &file.text, &at, false, message);
                problems.push(d.with_help(help));
            }
        }
    }
    events
}

/// The place of the member a reader's message names first (`` `time` is
/// not a timestamp``), or of the whole event when it has no such member.
fn member_at(object: &Map<String, Json>, path: &[Step], message: &str) -> Vec<Step> {
    let mut at = path.to_vec();
    let named = message
        .split('`')
        .nth(1)
        .filter(|n| object.contains_key(*n));
    if let Some(name) = named {
        at.push(Step::Key(name.to_string()));
    }
    at
}

/// Events the evaluation read but did not evaluate: copies, and events
/// outside the period. A test that silently lost events would mislead.
fn not_evaluated(report: &Report, file: &TestFile, case: &TestCase) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut events_at = case.path.clone();
    events_at.push(Step::Key("events".into()));
    for reason in &report.input.reasons {
        let message = format!(
            "{} event(s) not evaluated: {} ({})",
            reason.count,
            reason.example,
            reason.locations.join(", ")
        );
        let help = match reason.reason.as_str() {
            "duplicate_event" => "events with the same `id` and content are copies, evaluated \
                                  once: give each event its own `id`"
                .to_string(),
            other => format!("a run rejects them as {} `{other}`", reason.code),
        };
        let d = located(codes::TEST_EVENT, &file.text, &events_at, false, message);
        problems.push(d.with_help(help));
    }
    if report.input.outside_period > 0 {
        let mut at = case.path.clone();
        at.push(Step::Key("period".into()));
        let message = format!(
            "{} event(s) fall outside the period and are not evaluated",
            report.input.outside_period
        );
        let d = located(codes::TEST_EVENT, &file.text, &at, false, message);
        problems.push(d.with_help("move the events into the period, or change `period`"));
    }
    problems
}

/// Matches expectations with findings: an expectation must match exactly
/// one finding, and a finding no expectation matches is unexpected. The
/// result does not depend on the order of either list.
fn compare(findings: &[Finding], expect: &[Expected], zone: Tz) -> Mismatch {
    let mut mismatch = Mismatch::default();
    let mut claimed = vec![false; findings.len()];
    let mut shown = vec![false; findings.len()];
    for expected in expect {
        let hits: Vec<usize> = (0..findings.len())
            .filter(|&i| matches(expected, &findings[i], zone))
            .collect();
        match hits.as_slice() {
            [] => mismatch.missing.push(expected.clone()),
            [one] if claimed[*one] => mismatch.missing.push(expected.clone()),
            [one] => claimed[*one] = true,
            many => {
                many.iter().for_each(|&i| shown[i] = true);
                let found = many.iter().map(|&i| findings[i].clone()).collect();
                mismatch.ambiguous.push((expected.clone(), found));
            }
        }
    }
    mismatch.unexpected = findings
        .iter()
        .enumerate()
        .filter(|&(i, _)| !claimed[i] && !shown[i])
        .map(|(_, f)| f.clone())
        .collect();
    mismatch
}

/// Whether `finding` agrees with every field `expected` gives.
fn matches(expected: &Expected, finding: &Finding, zone: Tz) -> bool {
    let key = expected
        .key
        .iter()
        .all(|(name, value)| finding.key.get(name) == Some(value));
    let values = expected.values.iter().all(|(name, value)| {
        finding
            .values
            .get(name)
            .is_some_and(|actual| same_number(*actual, *value))
    });
    let window = expected
        .window
        .as_ref()
        .is_none_or(|w| window_matches(w, &finding.window, zone));
    let explanation = expected
        .explanation
        .as_ref()
        .is_none_or(|e| *e == finding.explanation);
    expected.rule == finding.rule && key && values && window && explanation
}

fn same_number(actual: f64, expected: f64) -> bool {
    let scale = actual.abs().max(expected.abs()).max(1.0);
    (actual - expected).abs() <= 1e-9 * scale
}

fn window_matches(text: &str, window: &FindingWindow, zone: Tz) -> bool {
    let text = text.trim();
    labels(window).iter().any(|label| label == text)
        || parse_timestamp(text, zone).is_some_and(|t| t == window.start)
}

/// The names a window goes by: its calendar label when it is a local day,
/// ISO week or month, and its first and last day, `2026-03-01 to
/// 2026-03-31`; a sliding window's local start and end times, as
/// explanations write them. A single event's window has none.
fn labels(window: &FindingWindow) -> Vec<String> {
    let midnight = |t: &DateTime<FixedOffset>| t.time() == NaiveTime::MIN;
    if window.start == window.end {
        return Vec::new();
    }
    if !midnight(&window.start) || !midnight(&window.end) {
        let local = |t: &DateTime<FixedOffset>| t.format("%Y-%m-%d %H:%M:%S").to_string();
        return vec![format!(
            "{} to {}",
            local(&window.start),
            local(&window.end)
        )];
    }
    let first = window.start.date_naive();
    let next = window.end.date_naive();
    let mut labels: Vec<String> = [Calendar::Day, Calendar::Week, Calendar::Month]
        .into_iter()
        .filter(|c| c.first_date(first) == first && c.next_date(first) == next)
        .map(|c| c.label(first))
        .collect();
    let last = next.pred_opt().unwrap_or(first);
    labels.push(format!("{first} to {last}"));
    labels
}

/// A finding's window as a test would write it: its label, or for a single
/// event its time with the local offset.
pub fn window_text(window: &FindingWindow) -> String {
    labels(window)
        .into_iter()
        .next()
        .unwrap_or_else(|| window.start.format("%Y-%m-%dT%H:%M:%S%:z").to_string())
}

/// Whether `text` is a window a test may expect: a day, a week, a month, a
/// range of days, or a time.
pub(super) fn is_window(text: &str) -> bool {
    let text = text.trim();
    let day = |t: &str| NaiveDate::parse_from_str(t, "%Y-%m-%d").is_ok();
    let time = |t: &str| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S").is_ok();
    let range = text
        .split_once(" to ")
        .is_some_and(|(a, b)| (day(a) && day(b)) || (time(a) && time(b)));
    day(text)
        || range
        || is_week(text)
        || crate::time::parse_month(text).is_some()
        || parse_timestamp(text, chrono_tz::UTC).is_some()
}

/// `2026-W10`: an ISO year and week that exist.
fn is_week(text: &str) -> bool {
    let Some((year, week)) = text.split_once("-W") else {
        return false;
    };
    let (Ok(year), Ok(week)) = (year.parse::<i32>(), week.parse::<u32>()) else {
        return false;
    };
    text.len() == 8 && NaiveDate::from_isoywd_opt(year, week, Weekday::Mon).is_some()
}
