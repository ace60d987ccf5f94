//! Micro-benchmarks of the hot paths of one streaming pass: reading one
//! event, one filter evaluation, one group update and one window advance.
//!
//! Run with `cargo bench -p loggvakt-bench`.

#![allow(missing_docs)]
#![expect(
    clippy::expect_used,
    clippy::panic,
    reason = "a benchmark's fixed inputs are known good"
)]

use chrono::{DateTime, TimeDelta, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use loggvakt::plan::Env;
use loggvakt::read::{self, Format, Input, ReadOptions};
use loggvakt::{Context, Event, Options, RuleSet};
use std::hint::black_box;
use std::sync::Arc;

/// A typical generated line: a read of a patient's record.
const LINE: &str = concat!(
    r#"{"id":"e000000002","time":"2026-04-01T07:22:37Z","user":"u0037","#,
    r#""action":"read","outcome":"success","patient":"p000487","unit":"avd-22","#,
    r#""resource":"journal","ip":"78.64.16.189","system":"ehr"}"#,
);

fn event() -> Event {
    let input: Input = Box::new(std::io::Cursor::new(LINE.as_bytes()));
    let mut records = read::read(input, "bench", Format::Jsonl, &ReadOptions::default());
    match records.next() {
        Some(loggvakt::Record::Event(event)) => event,
        other => panic!("the benchmark line does not read: {other:?}"),
    }
}

fn rules(text: &str) -> RuleSet {
    RuleSet::from_source("bench.vakt", text).expect("the benchmark rules check")
}

fn read_one_event(c: &mut Criterion) {
    let options = ReadOptions::default();
    c.bench_function("read one JSON Lines event", |b| {
        b.iter(|| {
            let input: Input = Box::new(std::io::Cursor::new(black_box(LINE).as_bytes()));
            read::read(input, "bench", Format::Jsonl, &options).next()
        })
    });
}

fn one_filter(c: &mut Criterion) {
    let standard = RuleSet::standard().expect("the standard pack checks");
    let rule = standard
        .planned()
        .iter()
        .find(|r| r.spec.name == "other_unit_access")
        .expect("the standard pack has other_unit_access");
    let filter = rule.filter.clone().expect("the rule has a filter");
    let env = Env {
        zone: chrono_tz::Europe::Stockholm,
        holidays: standard.holidays(None),
        context: Arc::new(Context::default()),
    };
    let event = event();
    c.bench_function("one filter evaluation (other_unit_access)", |b| {
        b.iter(|| filter.matches(black_box(&event), &env))
    });
}

const GROUPED: &str = r#"
rule opens {
    title    "opens"
    category pattern
    severity low
    where    patient != null
    group by user, patient per month
    alert    when count() > 50
    explain  "{user} {count}"
}
"#;

const SLIDING: &str = r#"
rule bursts {
    title    "bursts"
    category pattern
    severity low
    where    patient != null
    group by user within 10 minutes
    alert    when count() > 50
    explain  "{user} {count}"
}
"#;

/// Every push is evaluated: the benchmarks push one event many times.
fn options() -> Options {
    Options {
        duplicates: false,
        ..Options::default()
    }
}

fn one_group_update(c: &mut Criterion) {
    let rules = rules(GROUPED);
    let mut evaluation = rules.evaluation(options());
    let event = event();
    evaluation.push(&event);
    c.bench_function("one group update (existing month group)", |b| {
        b.iter(|| evaluation.push(black_box(&event)))
    });
}

fn one_window_advance(c: &mut Criterion) {
    let rules = rules(SLIDING);
    let mut evaluation = rules.evaluation(options());
    let mut event = event();
    let start: DateTime<Utc> = event.time;
    let mut step = 0i64;
    c.bench_function(
        "one sliding-window advance (10 minutes, next event 1 s on)",
        |b| {
            b.iter(|| {
                step += 1;
                event.time = start + TimeDelta::seconds(step);
                evaluation.push(black_box(&event));
            })
        },
    );
}

criterion_group!(
    hot_paths,
    read_one_event,
    one_filter,
    one_group_update,
    one_window_advance
);
criterion_main!(hot_paths);
