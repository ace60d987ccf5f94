use super::*;
use chrono::TimeZone as _;

const RULES: &str = r#"
param limit = 3
rule failed {
    title    "Failed sign-ins"
    category unauthorized
    severity high
    where    action == "login" and outcome == "failure"
    group by user per day
    alert    when count() >= limit
    explain  "{user} failed {count} times on {window}"
}
rule locked {
    title    "Locked"
    category unauthorized
    severity low
    where    action == "lockout"
}
"#;

fn login(minute: u32) -> String {
    format!(
        r#"{{"id": "e{minute}", "time": "2026-03-02T08:{minute:02}:00+01:00", "user": "anna",
            "action": "login", "outcome": "failure"}}"#
    )
}

fn test_file(body: &str) -> String {
    format!(r#"{{"rules": ["r.vakt"], "tests": [{body}]}}"#)
}

fn outcome(text: &str) -> Outcome {
    let rules = RuleSet::from_source("r.vakt", RULES).unwrap_or_else(|e| panic!("{e}"));
    let file = load("t.test.json", text).unwrap_or_else(|e| panic!("{}", e.render()));
    let mut results = run(&rules, &file).results;
    results.remove(0).outcome
}

fn codes_of(outcome: &Outcome) -> Vec<&'static str> {
    match outcome {
        Outcome::Error(problems) => problems.iter().map(|d| d.code).collect(),
        _ => Vec::new(),
    }
}

#[test]
fn a_matching_finding_passes() {
    let events: Vec<String> = (0..3).map(login).collect();
    let body = format!(
        r#"{{"name": "fires", "events": [{}], "expect": [{{"rule": "failed",
            "key": {{"user": "anna"}}, "window": "2026-03-02", "values": {{"count": 3}},
            "explanation": "anna failed 3 times on 2026-03-02"}}]}}"#,
        events.join(",")
    );
    assert_eq!(outcome(&test_file(&body)), Outcome::Passed);
}

#[test]
fn a_wrong_count_is_missing_and_unexpected() {
    let events: Vec<String> = (0..4).map(login).collect();
    let body = format!(
        r#"{{"name": "fires", "events": [{}],
            "expect": [{{"rule": "failed", "values": {{"count": 3}}}}]}}"#,
        events.join(",")
    );
    let Outcome::Failed(mismatch) = outcome(&test_file(&body)) else {
        panic!("the test should fail");
    };
    assert_eq!(mismatch.missing.len(), 1);
    assert_eq!(mismatch.unexpected.len(), 1);
    assert_eq!(window_text(&mismatch.unexpected[0].window), "2026-03-02");
}

#[test]
fn params_and_only_apply() {
    let lockout = r#"{"time": "2026-03-02T09:00:00Z", "user": "bo", "action": "lockout"}"#;
    let body = format!(
        r#"{{"name": "two", "params": {{"limit": 2}}, "only": ["failed"],
            "events": [{}, {}, {lockout}],
            "expect": [{{"rule": "failed", "key": {{"user": "anna"}}}}]}}"#,
        login(1),
        login(2)
    );
    assert_eq!(outcome(&test_file(&body)), Outcome::Passed);
}

#[test]
fn an_expectation_matching_two_findings_is_ambiguous() {
    let other = login(5).replace("anna", "bo");
    let body = format!(
        r#"{{"name": "two", "params": {{"limit": 1}}, "events": [{}, {other}],
            "expect": [{{"rule": "failed"}}]}}"#,
        login(1)
    );
    let Outcome::Failed(mismatch) = outcome(&test_file(&body)) else {
        panic!("the test should fail");
    };
    assert_eq!(mismatch.ambiguous.len(), 1);
    assert_eq!(mismatch.ambiguous[0].1.len(), 2);
    assert!(mismatch.unexpected.is_empty());
}

#[test]
fn problems_in_a_test_are_coded_and_located() {
    let body = r#"{"name": "bad", "params": {"limt": 2},
        "events": [{"time": "yesterday", "user": "a", "action": "login"}],
        "expect": [{"rule": "faild"}]}"#;
    let got = outcome(&test_file(body));
    assert_eq!(codes_of(&got), ["LV0604", "LV0603", "LV0605"]);
    let Outcome::Error(problems) = got else {
        panic!("an error");
    };
    assert_eq!(problems[1].help.as_deref(), Some("did you mean `failed`?"));
    assert_eq!(
        problems[1].span().map(|s| (s.line, s.column)),
        Some((3, 29))
    );
}

#[test]
fn copies_and_events_outside_the_period_are_not_lost_silently() {
    let body = format!(
        r#"{{"name": "copies", "period": "2026-04", "events": [{}, {}], "expect": []}}"#,
        login(1),
        login(1)
    );
    assert_eq!(codes_of(&outcome(&test_file(&body))), ["LV0605", "LV0605"]);
}

#[test]
fn file_problems_are_all_reported_with_lines() {
    let text =
        "{\"tests\": [{\"name\": \"a\", \"evnts\": [],\n \"expect\": [], \"zone\": \"Mars\"}]}";
    let Err(error) = load("t.test.json", text) else {
        panic!("the file should not load");
    };
    let codes: Vec<_> = error.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["LV0602", "LV0606", "LV0602"]);
    let rendered = error.render();
    assert!(rendered.contains("did you mean `events`?"), "{rendered}");
    assert!(rendered.contains("--> t.test.json:2:24"), "{rendered}");
}

#[test]
fn bad_json_points_at_the_place() {
    let Err(error) = load("t.test.json", "{\"tests\": [\n  {\"name\": \"a\",}\n]}") else {
        panic!("the file should not load");
    };
    assert_eq!(error.diagnostics[0].code, "LV0601");
    assert_eq!(error.diagnostics[0].span().map(|s| s.line), Some(2));
}

#[test]
fn no_input_panics() {
    for text in [
        "",
        "[]",
        "null",
        "{\"tests\": 3}",
        "{\"tests\": [[]]}",
        "\u{feff}{",
    ] {
        assert!(load("t", text).is_err(), "{text}");
    }
}

#[test]
fn windows_are_recognised() {
    for good in [
        "2026-03-04",
        "2026-W10",
        "2026-03",
        "2026-03-01 to 2026-03-31",
    ] {
        assert!(compare::is_window(good), "{good}");
    }
    assert!(compare::is_window("2026-03-04T08:15:00+01:00"));
    assert!(compare::is_window(
        "2026-03-04 08:00:00 to 2026-03-04 08:10:00"
    ));
    for bad in ["March", "2026-W60", "2026-13", "2026-03-01 to later"] {
        assert!(!compare::is_window(bad), "{bad}");
    }
}

#[test]
fn test_files_are_found_by_name() {
    let rules = Path::new("rules/standard.vakt");
    assert_eq!(test_file_for(rules), Path::new("rules/standard.test.json"));
    let back = rule_file_for(Path::new("rules/standard.test.json"));
    assert_eq!(back.as_deref(), Some(rules));
}

#[test]
fn every_prefix_of_a_test_file_loads_or_fails_and_renders() {
    let text = r#"{"rules": ["r.vakt"], "tests": [{"name": "ö and å", "period": "2026-03",
        "events": [{"time": "2026-03-02T08:00:00Z", "user": "ä", "action": "login"}],
        "expect": [{"rule": "failed", "key": {"user": "ä"}, "window": "2026-W10",
                    "values": {"count": 1}}]}]}"#;
    let rules = RuleSet::from_source("r.vakt", RULES).unwrap_or_else(|e| panic!("{e}"));
    for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
        match load("t.test.json", &text[..end]) {
            Ok(file) => {
                let results = run(&rules, &file);
                assert_eq!(results.results.len(), 1);
            }
            Err(error) => assert!(!error.render().is_empty()),
        }
    }
}

#[test]
fn an_empty_only_is_refused() {
    let text = test_file(r#"{"name": "a", "only": [], "events": [], "expect": []}"#);
    let codes = load("t.test.json", &text).map_err(|e| e.diagnostics[0].code);
    assert_eq!(codes.err(), Some("LV0602"));
}

#[test]
fn a_sliding_window_is_written_as_its_local_start_and_end() {
    let at = |h, m| {
        chrono::FixedOffset::east_opt(3600)
            .and_then(|o| o.with_ymd_and_hms(2026, 3, 4, h, m, 0).single())
            .unwrap_or_else(|| panic!("a time"))
    };
    let window = crate::report::FindingWindow {
        start: at(8, 0),
        end: at(8, 10),
    };
    assert_eq!(
        window_text(&window),
        "2026-03-04 08:00:00 to 2026-03-04 08:10:00"
    );
}

#[test]
fn a_sliding_finding_is_matched_by_the_window_its_explanation_shows() {
    let source = r#"rule burst {
        title "Burst"; category unauthorized; severity high
        where action == "login" and outcome == "failure"
        group by user within 10 minutes
        alert when count() >= 2
        explain "{user}: {count} in {window}"
    }"#;
    let rules = RuleSet::from_source("b.vakt", source).unwrap_or_else(|e| panic!("{e}"));
    let body = format!(
        r#"{{"name": "burst", "events": [{}, {}], "expect": [{{"rule": "burst",
            "window": "2026-03-02 08:01:00 to 2026-03-02 08:11:00",
            "explanation": "anna: 2 in 2026-03-02 08:01:00 to 2026-03-02 08:11:00"}}]}}"#,
        login(1),
        login(3)
    );
    let file = load("t.test.json", &test_file(&body)).unwrap_or_else(|e| panic!("{e}"));
    let outcome = run(&rules, &file).results.remove(0).outcome;
    assert_eq!(outcome, Outcome::Passed);
}
