use super::*;
use crate::event::Outcome;
use crate::read::{Location, Rejection};
use chrono::TimeZone;
use proptest::prelude::*;

const FAILED: &str = r#"
rule failed {
    title "Failed sign-ins"; category unauthorized; severity high
    where action == "login" and outcome == "failure"
    group by user per day
    alert when count() >= 5
    explain "{user} failed {count} times on {window}"
}
"#;

fn rules(text: &str) -> RuleSet {
    RuleSet::from_source("test.vakt", text).expect("the rule file checks")
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

fn failure(id: &str, user: &str, time: &str) -> Event {
    let mut event = Event::new(at(time), user, "login");
    event.id = Some(id.to_string());
    event.outcome = Some(Outcome::Failure);
    event
}

fn burst(user: &str, times: &[&str]) -> Vec<Event> {
    times
        .iter()
        .enumerate()
        .map(|(i, t)| failure(&format!("{user}-{i}"), user, t))
        .collect()
}

fn windows(report: &Report) -> Vec<(String, String, String, f64)> {
    report
        .findings
        .iter()
        .map(|f| {
            let user = f.key.get("user").cloned().unwrap_or_default();
            let count = f.values.get("count").copied().unwrap_or(-1.0);
            (
                user,
                f.window.start.to_rfc3339(),
                f.window.end.to_rfc3339(),
                count,
            )
        })
        .collect()
}

fn row(user: &str, start: &str, end: &str, count: f64) -> (String, String, String, f64) {
    (user.into(), start.into(), end.into(), count)
}

#[test]
fn a_burst_becomes_one_finding_with_every_field() {
    let times = [
        "2026-03-02T08:00:00Z",
        "2026-03-02T08:01:00Z",
        "2026-03-02T08:02:00Z",
        "2026-03-02T08:03:00Z",
        "2026-03-02T08:04:00Z",
        "2026-03-02T08:05:00Z",
    ];
    let report = rules(FAILED).evaluate(burst("anna", &times), Options::default());
    let finding = &report.findings[0];
    assert_eq!(report.findings.len(), 1);
    assert_eq!(finding.rule, "failed");
    assert_eq!(finding.condition, "count() >= 5");
    assert_eq!(finding.explanation, "anna failed 6 times on 2026-03-02");
    assert_eq!(finding.evidence.total, 6);
    assert_eq!(
        finding.evidence.ids,
        ["anna-0", "anna-1", "anna-2", "anna-3", "anna-4", "anna-5"]
    );
    let expected = row(
        "anna",
        "2026-03-02T00:00:00+01:00",
        "2026-03-03T00:00:00+01:00",
        6.0,
    );
    assert_eq!(windows(&report), [expected]);
    assert_eq!(
        report.period.start.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-03-02T00:00:00+01:00")
    );
    assert_eq!(report.input.evaluated, 6);
}

#[test]
fn below_the_threshold_gives_nothing() {
    let times = ["2026-03-02T08:00:00Z"; 4];
    let report = rules(FAILED).evaluate(burst("anna", &times), Options::default());
    assert_eq!(report.findings, []);
    assert_eq!(report.rule_stats[0].matched, 4);
}

#[test]
fn a_burst_after_local_midnight_belongs_to_the_local_day() {
    // 23:05Z-23:25Z on 2 March is 00:05-00:25 on 3 March in Stockholm.
    let times = [
        "2026-03-02T23:05:00Z",
        "2026-03-02T23:10:00Z",
        "2026-03-02T23:15:00Z",
        "2026-03-02T23:20:00Z",
        "2026-03-02T23:25:00Z",
    ];
    let report = rules(FAILED).evaluate(burst("bo", &times), Options::default());
    let expected = row(
        "bo",
        "2026-03-03T00:00:00+01:00",
        "2026-03-04T00:00:00+01:00",
        5.0,
    );
    assert_eq!(windows(&report), [expected]);
}

#[test]
fn failures_either_side_of_local_midnight_are_two_days() {
    // Six failures on one UTC day, but three before and three after local midnight.
    let times = [
        "2026-03-02T22:40:00Z",
        "2026-03-02T22:45:00Z",
        "2026-03-02T22:50:00Z",
        "2026-03-02T23:10:00Z",
        "2026-03-02T23:15:00Z",
        "2026-03-02T23:20:00Z",
    ];
    let report = rules(FAILED).evaluate(burst("bo", &times), Options::default());
    assert_eq!(report.findings, []);
}

#[test]
fn spring_forward_day_is_23_hours() {
    let times = [
        "2026-03-28T23:30:00Z",
        "2026-03-29T00:59:00Z",
        "2026-03-29T01:00:00Z",
        "2026-03-29T12:00:00Z",
        "2026-03-29T21:59:00Z",
    ];
    let report = rules(FAILED).evaluate(burst("cia", &times), Options::default());
    let expected = row(
        "cia",
        "2026-03-29T00:00:00+01:00",
        "2026-03-30T00:00:00+02:00",
        5.0,
    );
    assert_eq!(windows(&report), [expected]);
}

#[test]
fn fall_back_day_is_25_hours_and_keeps_the_repeated_hour() {
    // 00:30Z and 01:30Z are both 02:30 local on 25 October.
    let times = [
        "2026-10-24T22:00:00Z",
        "2026-10-25T00:30:00Z",
        "2026-10-25T01:30:00Z",
        "2026-10-25T12:00:00Z",
        "2026-10-25T22:59:00Z",
    ];
    let report = rules(FAILED).evaluate(burst("dan", &times), Options::default());
    let expected = row(
        "dan",
        "2026-10-25T00:00:00+02:00",
        "2026-10-26T00:00:00+01:00",
        5.0,
    );
    assert_eq!(windows(&report), [expected]);
}

#[test]
fn a_local_month_boundary_differs_from_utc() {
    let events = burst("eva", &["2026-03-31T22:30:00Z"; 5]);
    let march = Options {
        period: NaiveDate::from_ymd_opt(2026, 3, 1),
        ..Options::default()
    };
    let report = rules(FAILED).evaluate(events.clone(), march);
    assert_eq!(
        (report.input.outside_period, report.input.evaluated),
        (5, 0)
    );
    assert_eq!(report.findings, []);
    let april = Options {
        period: NaiveDate::from_ymd_opt(2026, 4, 1),
        ..Options::default()
    };
    let report = rules(FAILED).evaluate(events, april);
    let expected = row(
        "eva",
        "2026-04-01T00:00:00+02:00",
        "2026-04-02T00:00:00+02:00",
        5.0,
    );
    assert_eq!(windows(&report), [expected]);
    assert_eq!(
        report.period.end.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-05-01T00:00:00+02:00")
    );
}

#[test]
fn month_windows_follow_the_local_calendar() {
    let text = FAILED.replace("per day", "per month");
    let events = burst(
        "eva",
        &[
            "2026-03-31T22:30:00Z",
            "2026-04-15T10:00:00Z",
            "2026-04-30T21:59:00Z",
            "2026-04-30T22:00:00Z",
            "2026-04-01T00:00:00Z",
            "2026-04-02T00:00:00Z",
        ],
    );
    let report = rules(&text).evaluate(events, Options::default());
    // 2026-04-30T22:00Z is already May; the other five are April.
    let expected = row(
        "eva",
        "2026-04-01T00:00:00+02:00",
        "2026-05-01T00:00:00+02:00",
        5.0,
    );
    assert_eq!(windows(&report), [expected]);
}

#[test]
fn the_zone_option_overrides_the_file() {
    let text = format!("zone \"UTC\"\n{FAILED}");
    let times = ["2026-03-02T23:05:00Z"; 5];
    let report = rules(&text).evaluate(burst("bo", &times), Options::default());
    assert_eq!(report.time_zone, "UTC");
    let expected = row(
        "bo",
        "2026-03-02T00:00:00+00:00",
        "2026-03-03T00:00:00+00:00",
        5.0,
    );
    assert_eq!(windows(&report), [expected]);
    let options = Options {
        zone: Some(chrono_tz::Europe::Stockholm),
        ..Options::default()
    };
    let report = rules(&text).evaluate(burst("bo", &times), options);
    assert_eq!(report.time_zone, "Europe/Stockholm");
}

#[test]
fn events_without_a_group_key_are_counted_not_lumped() {
    let text = r#"rule r { title "t"; category pattern; severity low
        where action == "read"; group by patient; alert when count() >= 2 }"#;
    let read = |patient: Option<&str>| {
        let mut event = Event::new(at("2026-03-02T08:00:00Z"), "u", "read");
        event.patient = patient.map(str::to_string);
        event
    };
    let events = vec![read(None), read(None), read(None), read(Some("p1"))];
    let report = rules(text).evaluate(events, Options::default());
    assert_eq!(report.findings, []);
    assert_eq!(report.rule_stats[0].missing_key, 3);
}

#[test]
fn whole_period_windows_span_the_period() {
    let text = r#"rule r { title "t"; category pattern; severity low
        where action == "read"; group by user; alert when count() >= 2
        explain "{user} read {count} times in {window}" }"#;
    let events = vec![
        Event::new(at("2026-03-02T08:00:00Z"), "u", "read"),
        Event::new(at("2026-03-20T08:00:00Z"), "u", "read"),
    ];
    let options = Options {
        period: NaiveDate::from_ymd_opt(2026, 3, 1),
        ..Options::default()
    };
    let report = rules(text).evaluate(events, options);
    let finding = &report.findings[0];
    assert_eq!(
        finding.window.start.to_rfc3339(),
        "2026-03-01T00:00:00+01:00"
    );
    assert_eq!(finding.window.end.to_rfc3339(), "2026-04-01T00:00:00+02:00");
    assert_eq!(
        finding.explanation,
        "u read 2 times in 2026-03-01 to 2026-03-31"
    );
}

#[test]
fn a_rule_without_group_by_reports_each_event() {
    let text = r#"rule lock { title "Locked"; category unauthorized; severity medium
        where action == "lockout"; explain "{user} locked at {time} from {ip}" }"#;
    let mut event = Event::new(at("2026-03-02T08:00:00Z"), "ulf", "lockout");
    event.id = Some("x1".into());
    let report = rules(text).evaluate(vec![event], Options::default());
    let finding = &report.findings[0];
    assert_eq!(
        finding.explanation,
        "ulf locked at 2026-03-02 09:00:00 +01:00 from (none)"
    );
    assert_eq!(finding.evidence.ids, ["x1"]);
    assert_eq!(finding.window.start, finding.window.end);
    assert_eq!(finding.key.get("user").map(String::as_str), Some("ulf"));
}

#[test]
fn missing_fields_make_comparisons_false() {
    let cases = [
        ("patient != \"p1\"", false),
        ("patient == \"p1\"", false),
        ("not (patient == \"p1\")", true),
        ("patient == null", true),
        ("patient != null", false),
        ("patient in {\"p1\"}", false),
        ("patient not in {\"p1\"}", false),
        ("attr.ward == 3 or user == \"u\"", true),
        ("amount + 1 > 0", false),
    ];
    for (filter, expected) in cases {
        let text =
            format!("rule r {{ title \"t\"; category pattern; severity low; where {filter} }}");
        let event = Event::new(at("2026-03-02T08:00:00Z"), "u", "read");
        let report = rules(&text).evaluate(vec![event], Options::default());
        assert_eq!(report.findings.len() == 1, expected, "{filter}");
    }
}

#[test]
fn rejected_and_ignored_records_are_counted_with_locations() {
    let set = rules(FAILED);
    let reject = |line| {
        Record::Rejected(Rejection {
            code: crate::codes::BAD_TIME,
            message: String::new(),
            location: Location::line("a.jsonl", line),
        })
    };
    let mut records: Vec<Record> = (1..=7).rev().map(reject).collect();
    records.push(Record::Ignored("windows:4688".into()));
    records.push(Record::Event(failure("1", "u", "2026-03-02T08:00:00Z")));
    let report = set.evaluate_records(records, Options::default());
    let input = &report.input;
    assert_eq!(
        (input.read, input.rejected, input.ignored, input.evaluated),
        (9, 7, 1, 1)
    );
    assert_eq!(input.reasons[0].reason, "bad_time");
    assert_eq!(input.reasons[0].count, 7);
    let first: Vec<&str> = input.reasons[0]
        .locations
        .iter()
        .map(String::as_str)
        .collect();
    assert_eq!(
        first,
        [
            "a.jsonl:1",
            "a.jsonl:2",
            "a.jsonl:3",
            "a.jsonl:4",
            "a.jsonl:5"
        ]
    );
    assert_eq!(input.ignored_kinds[0].kind, "windows:4688");
}

fn mixed_events() -> Vec<Event> {
    let start = Utc
        .with_ymd_and_hms(2026, 3, 1, 0, 0, 0)
        .single()
        .unwrap_or_default();
    (0..300u32)
        .map(|i| {
            let time = start + chrono::Duration::minutes(i64::from(i * 97 % 40_000));
            let mut event = failure(&format!("e{i:03}"), ["a", "b", "c"][i as usize % 3], "");
            event.time = time;
            event
        })
        .collect()
}

/// [`mixed_events`] with every tenth event sent twice and every 25th
/// also sent with the same id but a minute later.
fn events_with_copies() -> Vec<Event> {
    let mut events = mixed_events();
    let copies: Vec<Event> = events.iter().step_by(10).cloned().collect();
    let conflicts: Vec<Event> = events
        .iter()
        .step_by(25)
        .map(|e| {
            let mut other = e.clone();
            other.time += chrono::Duration::minutes(1);
            other
        })
        .collect();
    events.extend(copies);
    events.extend(conflicts);
    events
}

#[test]
fn copies_are_rejected_once_and_conflicts_evaluated() {
    let report = rules(FAILED).evaluate(events_with_copies(), Options::default());

    assert_eq!(report.input.read, 300 + 30 + 12);
    assert_eq!(report.input.evaluated, 300 + 12);
    assert_eq!(report.input.rejected, 30);
    assert_eq!(report.input.reasons[0].code, "LV0315");
    assert_eq!(report.input.conflicting_ids, 12);
    let examples = ["e000", "e025", "e050", "e075", "e100"];
    assert_eq!(report.input.conflicting_examples, examples);
}

#[test]
fn the_screen_on_a_reader_thread_gives_the_same_report() {
    let set = rules(FAILED);
    let whole = set.evaluate(events_with_copies(), Options::default());

    let mut evaluation = set.evaluation(Options::default());
    let records: crate::read::Records =
        Box::new(events_with_copies().into_iter().map(Record::Event));
    let mut screen = evaluation.screen();
    let screened = crate::read::ahead_with(records, "t", move |r| screen.record(r));
    screened.for_each(|record| evaluation.push_screened(record));
    let report = evaluation.finish();

    assert_eq!(report.input.rejected, 30);
    assert_eq!(report.input.conflicting_ids, 12);
    assert_eq!(report.input, whole.input);
    assert_eq!(report.findings, whole.findings);
}

#[test]
fn copies_can_be_kept() {
    let options = Options {
        duplicates: false,
        ..Options::default()
    };
    let report = rules(FAILED).evaluate(events_with_copies(), options);

    assert_eq!(report.input.evaluated, 342);
    assert_eq!(report.input.rejected, 0);
    assert_eq!(report.input.conflicting_ids, 0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]
    #[test]
    fn shuffled_input_gives_the_same_report(seed in any::<u64>()) {
        let set = rules(&format!("{FAILED}\n{}", FAILED.replace("rule failed", "rule weekly")
            .replace("per day", "per week")));
        let events = events_with_copies();
        let expected = set.evaluate(events.clone(), Options::default()).result_json();
        let mut shuffled = events;
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let got = set.evaluate(shuffled, Options::default()).result_json();
        prop_assert_eq!(got, expected);
    }
}

const NARCOTICS: &str = r#"
param max_ratio = 1.5
param min_withdrawals = 3

rule withdrawals_against_signings {
    title "Withdrawals out of proportion to signings"
    category narcotics
    severity high
    where drug != null and action in {"withdrawal", "administration"}
    group by user, drug per month
    alert when count(action == "withdrawal") >= min_withdrawals
          and count(action == "withdrawal") / count(action == "administration") > max_ratio
    explain "{user} withdrew {drug} {count(action == \"withdrawal\")} times"
}
"#;

fn drug_event(id: &str, user: &str, action: &str, amount: f64) -> Event {
    let mut event = Event::new(at("2026-03-10T08:00:00Z"), user, action);
    event.id = Some(id.into());
    event.drug = Some("oxycodone".into());
    event.amount = Some(amount);
    event
}

fn drug_events(withdrawals: usize, signings: usize) -> Vec<Event> {
    let w = (0..withdrawals).map(|i| drug_event(&format!("w{i}"), "nina", "withdrawal", 5.0));
    let s = (0..signings).map(|i| drug_event(&format!("s{i}"), "nina", "administration", 5.0));
    w.chain(s).collect()
}

#[test]
fn ratios_between_aggregates_fire_on_the_right_side() {
    let set = rules(NARCOTICS);
    // 4 / 3 is below the ratio of 1.5; 5 / 3 is above it.
    let report = set.evaluate(drug_events(4, 3), Options::default());
    assert_eq!(report.findings, []);
    let report = set.evaluate(drug_events(5, 3), Options::default());
    let finding = &report.findings[0];
    let values: Vec<(&str, f64)> = finding
        .values
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    let expected = [
        ("count", 8.0),
        ("count(action == \"administration\")", 3.0),
        ("count(action == \"withdrawal\")", 5.0),
    ];
    assert_eq!(values, expected);
    assert_eq!(finding.explanation, "nina withdrew oxycodone 5 times");
    assert_eq!(
        report.params.get("max_ratio"),
        Some(&serde_json::json!(1.5))
    );
}

#[test]
fn a_zero_denominator_gives_no_value_and_no_finding() {
    // 3 withdrawals, no signings: 3 / 0 has no value, so the ratio test is false.
    let report = rules(NARCOTICS).evaluate(drug_events(3, 0), Options::default());
    assert_eq!(report.findings, []);
}

#[test]
fn parameters_can_be_overridden_without_editing_the_file() {
    let mut set = rules(NARCOTICS);
    set.set_param("min_withdrawals", "6").expect("a number");
    let report = set.evaluate(drug_events(5, 3), Options::default());
    assert_eq!(report.findings, []);
    assert_eq!(
        report.params.get("min_withdrawals"),
        Some(&serde_json::json!(6))
    );
    let unknown = set.set_param("min_withdrawal", "1").expect_err("unknown");
    assert_eq!(unknown.code, "LV0218");
    assert_eq!(
        unknown.help.as_deref(),
        Some("did you mean `min_withdrawals`?")
    );
    let wrong = set
        .set_param("max_ratio", "high")
        .expect_err("not a number");
    assert_eq!(
        wrong.message,
        "parameter `max_ratio` takes a number, not `high`"
    );
}

#[test]
fn sum_min_max_and_distinct() {
    let text = r#"rule r { title "t"; category narcotics; severity low
        where drug != null; group by user
        alert when sum(amount) > 0 and min(amount) >= 0 and max(amount) > 0 and distinct(action) > 0
        explain "{sum(amount)} {min(amount)} {max(amount)} {distinct(action)}" }"#;
    let mut events = drug_events(2, 1);
    events[0].amount = Some(0.1);
    events[1].amount = Some(0.2);
    events[2].amount = None;
    let report = rules(text).evaluate(events, Options::default());
    let finding = &report.findings[0];
    assert_eq!(finding.explanation, "0.3 0.1 0.2 2");
    assert_eq!(finding.values.get("sum(amount)"), Some(&0.3));
}

#[test]
fn the_minimum_of_nothing_is_no_value() {
    let text = r#"rule r { title "t"; category narcotics; severity low
        group by user; alert when min(amount) < 100 or count() > 5 }"#;
    let events = vec![Event::new(at("2026-03-02T08:00:00Z"), "u", "read")];
    let report = rules(text).evaluate(events, Options::default());
    assert_eq!(report.findings, []);
}
