//! The rule language end to end: rule text and events in, findings out.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on any surprise"
)]

use chrono::{DateTime, Utc};
use loggvakt::{Event, Options, Report, RuleSet, check_source};

fn rules(text: &str) -> RuleSet {
    RuleSet::from_source("test.vakt", text).unwrap_or_else(|e| panic!("{}", e.render()))
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

fn event(id: &str, user: &str, time: &str) -> Event {
    let mut event = Event::new(at(time), user, "read");
    event.id = Some(id.to_string());
    event
}

/// The ids of the events a per-event rule reports, in order.
fn ids(report: &Report) -> Vec<String> {
    let mut ids: Vec<String> = report
        .findings
        .iter()
        .flat_map(|f| f.evidence.ids.clone())
        .collect();
    ids.sort();
    ids
}

fn per_event(condition: &str) -> String {
    format!(
        "zone \"Europe/Stockholm\"\nrule r {{\n  title \"t\"; category pattern; severity low\n  \
         where {condition}\n}}\n"
    )
}

fn codes(text: &str) -> Vec<(String, usize, usize)> {
    check_source(text)
        .iter()
        .map(|d| {
            let span = d.span().unwrap();
            (d.code.to_string(), span.line, span.column)
        })
        .collect()
}

#[test]
fn string_helpers() {
    let mut events = vec![
        event("1", "Anna.Berg", "2026-03-02T10:00:00Z"),
        event("2", "svc-backup", "2026-03-02T10:00:00Z"),
        event("3", "bo", "2026-03-02T10:00:00Z"),
    ];
    events[2].resource = Some("Journal/Anteckning".into());
    let run = |condition: &str| {
        ids(&rules(&per_event(condition)).evaluate(events.clone(), Options::default()))
    };

    assert_eq!(run(r#"lower(user) == "anna.berg""#), ["1"]);
    assert_eq!(run(r#"upper(user) == "BO""#), ["3"]);
    assert_eq!(run(r#"starts_with(user, "svc-")"#), ["2"]);
    assert_eq!(run(r#"ends_with(user, "Berg")"#), ["1"]);
    assert_eq!(run(r#"contains(resource, "Anteckning")"#), ["3"]);
    assert_eq!(run(r#"length(user) == 2"#), ["3"]);
    assert_eq!(run(r#"matches(user, "^[a-z]+-[a-z]+$")"#), ["2"]);
    assert_eq!(run(r#"not matches(user, "[.-]")"#), ["3"]);
}

#[test]
fn missing_values_make_functions_false_and_exists_tests_presence() {
    let mut events = vec![
        event("1", "anna", "2026-03-02T10:00:00Z"),
        event("2", "bo", "2026-03-02T10:00:00Z"),
    ];
    events[0].patient = Some("p1".into());
    let run = |condition: &str| {
        ids(&rules(&per_event(condition)).evaluate(events.clone(), Options::default()))
    };

    assert_eq!(run("exists(patient)"), ["1"]);
    assert_eq!(run("not exists(patient)"), ["2"]);
    assert_eq!(run(r#"contains(patient, "p")"#), ["1"]);
    assert_eq!(run(r#"not contains(patient, "p")"#), ["2"]);
    assert_eq!(run("length(patient) >= 0"), ["1"]);
}

#[test]
fn local_time_parts_follow_the_zone_and_daylight_saving() {
    let events = vec![
        // 23:30 on Sunday 29 March in Stockholm, after the spring change (+02:00).
        event("a", "u", "2026-03-29T21:30:00Z"),
        // 00:30 on Thursday 1 January 2026 (+01:00): ISO week 1.
        event("b", "u", "2025-12-31T23:30:00Z"),
        // 12:05 on Thursday 31 December 2026: ISO week 53.
        event("c", "u", "2026-12-31T11:05:00Z"),
    ];
    let run = |condition: &str| {
        ids(&rules(&per_event(condition)).evaluate(events.clone(), Options::default()))
    };

    assert_eq!(run("hour(time) == 23 and minute(time) == 30"), ["a"]);
    assert_eq!(run("hour(time) == 0"), ["b"]);
    assert_eq!(run(r#"weekday(time) == "sun""#), ["a"]);
    assert_eq!(run(r#"weekday(time) == "thu""#), ["b", "c"]);
    assert_eq!(run(r#"date(time) == "2026-01-01""#), ["b"]);
    assert_eq!(run("week(time) == 53"), ["c"]);
    assert_eq!(run("week(time) == 1"), ["b"]);
}

#[test]
fn between_includes_the_start_excludes_the_end_and_crosses_midnight() {
    // Local Stockholm times in winter (+01:00).
    let times = [
        ("0659", "2026-01-15T05:59:00Z"),
        ("0700", "2026-01-15T06:00:00Z"),
        ("1859", "2026-01-15T17:59:00Z"),
        ("1900", "2026-01-15T18:00:00Z"),
        ("2330", "2026-01-15T22:30:00Z"),
    ];
    let events: Vec<Event> = times.iter().map(|(id, t)| event(id, "u", t)).collect();
    let run = |condition: &str| {
        ids(&rules(&per_event(condition)).evaluate(events.clone(), Options::default()))
    };

    assert_eq!(
        run("time between 19:00 and 07:00"),
        ["0659", "1900", "2330"]
    );
    assert_eq!(run("time between 07:00 and 19:00"), ["0700", "1859"]);
    assert_eq!(run("time between 19:00 and 24:00"), ["1900", "2330"]);
    assert_eq!(run("time between 00:00 and 24:00").len(), 5);
    assert_eq!(
        run("not time between 07:00 and 19:00"),
        ["0659", "1900", "2330"]
    );
}

#[test]
fn named_lists_and_cidr_ranges() {
    let text = r#"
list service_accounts = {"svc-backup", "svc-etl"}
list internal = {"10.0.0.0/8", "192.168.1.0/24", "2001:db8::/32", "172.16.0.5"}

rule outside {
    title "t"; category unauthorized; severity low
    where user not in service_accounts and ip != null and not ip in internal
}
"#;
    let mut events = vec![
        event("1", "anna", "2026-03-02T10:00:00Z"),
        event("2", "anna", "2026-03-02T10:00:00Z"),
        event("3", "anna", "2026-03-02T10:00:00Z"),
        event("4", "svc-etl", "2026-03-02T10:00:00Z"),
        event("5", "anna", "2026-03-02T10:00:00Z"),
        event("6", "anna", "2026-03-02T10:00:00Z"),
        event("7", "anna", "2026-03-02T10:00:00Z"),
    ];
    let ips = [
        "10.200.3.4",
        "192.168.2.1",
        "2001:db8::1",
        "8.8.8.8",
        "172.16.0.5",
        "172.16.0.6",
    ];
    for (event, ip) in events.iter_mut().zip(ips) {
        event.ip = Some(ip.parse().unwrap());
    }
    let report = rules(text).evaluate(events, Options::default());

    assert_eq!(ids(&report), ["2", "6"]);
}

#[test]
fn named_conditions_compose() {
    let text = r#"
condition night = time between 22:00 and 06:00
condition weekend = weekday(time) in {"sat", "sun"}
condition off_hours = night or weekend

rule off_hours_reads {
    title "t"; category pattern; severity low
    where action == "read" and off_hours
}
"#;
    let events = vec![
        event("weekday-noon", "u", "2026-03-04T11:00:00Z"),
        event("weekday-night", "u", "2026-03-04T22:30:00Z"),
        event("saturday-noon", "u", "2026-03-07T11:00:00Z"),
    ];
    let report = rules(text).evaluate(events, Options::default());

    assert_eq!(ids(&report), ["saturday-noon", "weekday-night"]);
}

#[test]
fn checks_catch_misuse_with_codes_and_positions() {
    let bad_pattern = per_event(r#"matches(user, "(")"#);
    assert_eq!(codes(&bad_pattern), [("LV0220".into(), 4, 23)]);

    let wrong_arity = per_event("lower(user, action) == \"x\"");
    assert_eq!(codes(&wrong_arity), [("LV0207".into(), 4, 9)]);

    let wrong_type = per_event("hour(user) > 3");
    assert_eq!(codes(&wrong_type), [("LV0207".into(), 4, 14)]);

    let between_text = per_event("user between 19:00 and 07:00");
    assert_eq!(codes(&between_text), [("LV0207".into(), 4, 9)]);

    let mixed = "list l = {\"10.0.0.0/8\", \"anna\"}\n".to_string() + &per_event("ip in l");
    assert_eq!(codes(&mixed), [("LV0222".into(), 1, 25)]);

    let clash = "list user = {\"a\"}\n".to_string() + &per_event("true == true");
    assert_eq!(codes(&clash), [("LV0221".into(), 1, 6)]);

    let unused = "condition c = user == \"a\"\n".to_string() + &per_event("user == \"b\"");
    assert_eq!(codes(&unused), [("LV0223".into(), 1, 11)]);

    let bad_ip_set = per_event("ip in {\"10.0.0.0/8\", \"nowhere\"}");
    assert_eq!(codes(&bad_ip_set), [("LV0222".into(), 4, 30)]);
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = per_event(&format!("{}true{}", "(".repeat(10_000), ")".repeat(10_000)));
    let found = codes(&deep);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, "LV0104");
}

const SLIDING: &str = r#"
zone "Europe/Stockholm"
rule bursts {
    title "Bursts"; category unauthorized; severity high
    where action == "login" and outcome == "failure"
    group by user within 10 minutes
    alert when count() >= 3
    explain "{user} failed {count} times in {window}"
}
"#;

fn failures(user: &str, times: &[&str]) -> Vec<Event> {
    times
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut e = event(&format!("{user}{i}"), user, t);
            e.action = "login".into();
            e.outcome = Some(loggvakt::Outcome::Failure);
            e
        })
        .collect()
}

/// (user, window start, window end, count) of each finding.
fn windows(report: &Report) -> Vec<(String, String, String, f64)> {
    report
        .findings
        .iter()
        .map(|f| {
            (
                f.key["user"].clone(),
                f.window.start.to_rfc3339(),
                f.window.end.to_rfc3339(),
                f.values["count"],
            )
        })
        .collect()
}

fn row(user: &str, start: &str, end: &str, count: f64) -> (String, String, String, f64) {
    (user.into(), start.into(), end.into(), count)
}

#[test]
fn sliding_windows_start_at_an_event_and_exclude_their_end() {
    let mut events = failures(
        "a",
        &[
            "2026-03-02T09:00:00Z",
            "2026-03-02T09:04:00Z",
            "2026-03-02T09:09:59Z",
        ],
    );
    events.extend(failures(
        "b",
        &[
            "2026-03-02T09:00:00Z",
            "2026-03-02T09:05:00Z",
            "2026-03-02T09:10:00Z",
        ],
    ));
    let report = rules(SLIDING).evaluate(events, Options::default());

    let expected = [row(
        "a",
        "2026-03-02T10:00:00+01:00",
        "2026-03-02T10:10:00+01:00",
        3.0,
    )];
    assert_eq!(windows(&report), expected);
    assert_eq!(
        report.findings[0].explanation,
        "a failed 3 times in 2026-03-02 10:00:00 to 2026-03-02 10:10:00"
    );
    assert_eq!(report.rule_stats[0].groups, 2);
}

#[test]
fn a_fired_window_restarts_after_its_end_and_crosses_midnight() {
    let times = [
        "2026-03-02T22:58:00Z",
        "2026-03-02T22:59:00Z",
        "2026-03-02T23:01:00Z",
        "2026-03-02T23:02:00Z",
        "2026-03-02T23:08:30Z",
        "2026-03-02T23:09:00Z",
        "2026-03-02T23:10:00Z",
    ];
    let report = rules(SLIDING).evaluate(failures("c", &times), Options::default());

    // The first window (23:58 local to 00:08) takes four events, across
    // local midnight; the next starts at the first event after it.
    let expected = [
        row(
            "c",
            "2026-03-02T23:58:00+01:00",
            "2026-03-03T00:08:00+01:00",
            4.0,
        ),
        row(
            "c",
            "2026-03-03T00:08:30+01:00",
            "2026-03-03T00:18:30+01:00",
            3.0,
        ),
    ];
    assert_eq!(windows(&report), expected);
    assert_eq!(report.findings[0].evidence.ids, ["c0", "c1", "c2", "c3"]);
}

#[test]
fn sliding_windows_do_not_depend_on_input_order() {
    let times: Vec<String> = (0..60)
        .map(|i| format!("2026-03-02T10:{:02}:00Z", (i * 7) % 60))
        .collect();
    let refs: Vec<&str> = times.iter().map(String::as_str).collect();
    let events = failures("d", &refs);
    let set = rules(SLIDING);
    let expected = set
        .evaluate(events.clone(), Options::default())
        .result_json();
    let mut reversed = events.clone();
    reversed.reverse();
    let mut rotated = events;
    rotated.rotate_left(17);

    assert_eq!(
        set.evaluate(reversed, Options::default()).result_json(),
        expected
    );
    assert_eq!(
        set.evaluate(rotated, Options::default()).result_json(),
        expected
    );
}

#[test]
fn sliding_window_durations_are_checked() {
    let text = |window: &str| SLIDING.replace("within 10 minutes", window);
    assert_eq!(codes(&text("within 0 minutes")), [("LV0224".into(), 6, 19)]);
    assert_eq!(codes(&text("within 32 days")), [("LV0224".into(), 6, 19)]);
    assert_eq!(
        codes(&text("within 1.5 seconds")),
        [("LV0224".into(), 6, 19)]
    );
    assert!(codes(&text("within 1 hour")).is_empty());
    assert!(codes(&text("within 90 seconds")).is_empty());
}

const EXCEPTIONS: &str = r#"
exception service_accounts {
    reason "Integration accounts read every record by design (reviewed 2026-01-12)"
    where  user in {"svc-backup", "svc-etl"}
}

exception anna_and_her_mother {
    reason "Anna is her mother's registered next of kin (decision 2025-114)"
    where  user == "anna" and patient == "p-mother"
}

except service_accounts

rule every_read {
    title "Every read"; category relation; severity low
    tags "relation", "follow-up"
    where action == "read"
    except anna_and_her_mother
}

rule every_export {
    title "Every export"; category pattern; severity low
    where action == "export"
}
"#;

#[test]
fn exceptions_leave_events_out_and_the_report_says_why_and_how_many() {
    let mut events = vec![
        event("1", "svc-backup", "2026-03-02T10:00:00Z"),
        event("2", "svc-etl", "2026-03-02T10:00:00Z"),
        event("3", "anna", "2026-03-02T10:00:00Z"),
        event("4", "anna", "2026-03-02T10:00:00Z"),
        event("5", "svc-etl", "2026-03-02T10:00:00Z"),
        event("6", "anna", "2026-03-02T10:00:00Z"),
    ];
    events[2].patient = Some("p-mother".into());
    events[3].patient = Some("p-other".into());
    events[4].action = "export".into();
    events[5].action = "export".into();
    events[5].patient = Some("p-mother".into());
    let report = rules(EXCEPTIONS).evaluate(events, Options::default());

    assert_eq!(ids(&report), ["4", "6"]);
    let stats: Vec<_> = report
        .rule_stats
        .iter()
        .map(|s| (s.rule.as_str(), s.matched, s.excepted))
        .collect();
    assert_eq!(stats, [("every_read", 1, 3), ("every_export", 1, 1)]);

    let uses: Vec<_> = report
        .exceptions
        .iter()
        .map(|e| (e.name.as_str(), e.excluded, e.rules.clone()))
        .collect();
    let rules = |pairs: &[(&str, u64)]| pairs.iter().map(|(r, n)| (r.to_string(), *n)).collect();
    assert_eq!(
        uses,
        [
            ("anna_and_her_mother", 1, rules(&[("every_read", 1)])),
            (
                "service_accounts",
                3,
                rules(&[("every_export", 1), ("every_read", 2)])
            ),
        ]
    );
    let mother = &report.exceptions[0];
    assert_eq!(
        mother.reason,
        "Anna is her mother's registered next of kin (decision 2025-114)"
    );
    assert_eq!(
        mother.condition,
        r#"user == "anna" and patient == "p-mother""#
    );
    let read = report
        .findings
        .iter()
        .find(|f| f.rule == "every_read")
        .unwrap();
    assert_eq!(read.tags, ["relation", "follow-up"]);
}

#[test]
fn exceptions_are_checked() {
    let unknown = EXCEPTIONS.replace("except anna_and_her_mother", "except anna_and_her_mom");
    assert_eq!(
        codes(&unknown),
        [("LV0223".into(), 7, 11), ("LV0225".into(), 18, 12)]
    );

    let no_reason = EXCEPTIONS.replace(
        "reason \"Integration accounts read every record by design (reviewed 2026-01-12)\"",
        "",
    );
    assert_eq!(codes(&no_reason), [("LV0205".into(), 2, 11)]);

    let unused = EXCEPTIONS.replace("except service_accounts\n", "");
    assert_eq!(codes(&unused), [("LV0223".into(), 2, 11)]);
}

fn context() -> std::sync::Arc<loggvakt::context::Context> {
    use loggvakt::context::{Context, CountryRanges, Patient, Relation, User};
    let mut builder = Context::builder();
    builder
        .add_user(User::new("anna").with_unit("ward-7").with_role("nurse"))
        .add_user(
            User::new("bo")
                .with_unit("ward-9")
                .with_permission("emergency"),
        )
        .add_user(
            User::new("nils").with_schedule(loggvakt::context::Schedule::new([
                loggvakt::context::Shift::new(
                    chrono::WeekdaySet::ALL,
                    chrono::NaiveTime::from_hms_opt(21, 0, 0).unwrap(),
                    chrono::NaiveTime::from_hms_opt(7, 0, 0).unwrap(),
                ),
            ])),
        )
        .add_patient(Patient::new("p1").with_unit("ward-7"))
        .add_patient(Patient::new("p2").with_protected(true).with_unit("ward-9"))
        .add_patient(Patient::new("p3").with_media_interest(true))
        .add_relation(Relation::unit("ward-9", "p2").with_validity(
            Some(at("2026-03-01T00:00:00Z")),
            Some(at("2026-03-10T00:00:00Z")),
        ))
        .add_relation(Relation::user("anna", "p3"))
        .add_text_list("break_glass_roles", ["emergency", "on-call"])
        .add_drug("morphine", loggvakt::context::NarcoticClass::II)
        .add_cidr_list("vpn", ["198.51.100.0/24"])
        .set_country_lookup(
            CountryRanges::new([
                ("81.0.0.0/8".parse().unwrap(), "SE"),
                ("203.0.113.0/24".parse().unwrap(), "US"),
            ])
            .unwrap(),
        );
    std::sync::Arc::new(builder.build().unwrap())
}

fn read(id: &str, user: &str, patient: &str, time: &str) -> Event {
    let mut e = event(id, user, time);
    e.patient = Some(patient.into());
    e
}

#[test]
fn context_look_ups_read_users_patients_relations_and_lists() {
    let mut events = vec![
        read("1", "anna", "p1", "2026-03-05T10:00:00Z"),
        read("2", "anna", "p2", "2026-03-05T10:00:00Z"),
        read("3", "bo", "p2", "2026-03-05T10:00:00Z"),
        read("4", "bo", "p2", "2026-03-12T10:00:00Z"),
        read("5", "anna", "p3", "2026-03-05T10:00:00Z"),
        read("6", "eve", "p1", "2026-03-05T10:00:00Z"),
    ];
    events[0].unit = Some("ward-7".into());
    events[2].unit = Some("ward-7".into());
    events[5].ip = Some("198.51.100.7".parse().unwrap());
    let options = || Options {
        context: Some(context()),
        ..Options::default()
    };
    let run =
        |condition: &str| ids(&rules(&per_event(condition)).evaluate(events.clone(), options()));

    assert_eq!(run("unit in user.units"), ["1"]);
    assert_eq!(run("unit != null and unit not in user.units"), ["3"]);
    assert_eq!(run(r#""nurse" in user.roles"#), ["1", "2", "5"]);
    assert_eq!(run(r#""emergency" in user.permissions"#), ["3", "4"]);
    assert_eq!(run("unit in patient.units"), ["1"]);
    assert_eq!(
        run(r#"user in {"anna"} and not related(user, patient, time)"#),
        ["1", "2"]
    );
    assert_eq!(run("related(user, patient, time)"), ["3", "5"]);
    assert_eq!(run("patient.protected"), ["2", "3", "4"]);
    assert_eq!(run("patient.protected == false"), ["1", "5", "6"]);
    assert_eq!(run("patient.media_interest"), ["5"]);
    assert_eq!(run("ip in lists.vpn"), ["6"]);
    assert_eq!(run("user in lists.unknown_list").len(), 0);
}

#[test]
fn country_and_holiday_look_ups() {
    let mut events = vec![
        event("se", "u", "2026-06-19T10:00:00Z"),
        event("us", "u", "2026-06-20T10:00:00Z"),
        event("none", "u", "2026-06-22T10:00:00Z"),
        event("christmas", "u", "2026-12-25T10:00:00Z"),
    ];
    events[0].ip = Some("81.2.3.4".parse().unwrap());
    events[1].ip = Some("203.0.113.9".parse().unwrap());
    events[2].ip = Some("192.0.2.1".parse().unwrap());
    let options = || Options {
        context: Some(context()),
        ..Options::default()
    };
    let run = |text: &str| ids(&rules(text).evaluate(events.clone(), options()));

    assert_eq!(run(&per_event(r#"country(ip) == "US""#)), ["us"]);
    assert_eq!(run(&per_event(r#"country(ip) not in {"SE"}"#)), ["us"]);
    assert_eq!(
        run(&per_event("country(ip) == null and ip != null")),
        ["none"]
    );
    // Midsommardagen (20 June 2026) is a public holiday; Midsommarafton
    // (19 June) only with the calendar of eves.
    assert_eq!(run(&per_event("holiday(time)")), ["christmas", "us"]);
    let eves = format!("holidays sweden_eves\n{}", per_event("holiday(time)"));
    assert_eq!(run(&eves), ["christmas", "se", "us"]);
    let none = format!("holidays none\n{}", per_event("holiday(time)"));
    assert!(run(&none).is_empty());
}

#[test]
fn declared_categories_come_after_the_built_in_ones() {
    let text = r#"
category medication "Medication handling"
rule r {
    title "t"; category medication; severity low
    where action == "read"
}
"#;
    let set = rules(text);
    let names: Vec<&str> = set.categories().iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "unauthorized",
            "narcotics",
            "pattern",
            "relation",
            "medication"
        ]
    );
    let report = set.evaluate(
        vec![event("1", "u", "2026-03-02T10:00:00Z")],
        Options::default(),
    );
    assert_eq!(report.findings[0].category.as_str(), "medication");
    let counts: Vec<(String, usize)> = report
        .counts_by_category()
        .into_iter()
        .map(|(c, n)| (c.as_str().to_string(), n))
        .collect();
    assert_eq!(counts[4], ("medication".to_string(), 1));

    let unknown = text.replace("category medication;", "category medicaton;");
    assert_eq!(codes(&unknown), [("LV0202".into(), 4, 25)]);
    let again = format!("category pattern \"Again\"\n{text}");
    assert_eq!(codes(&again), [("LV0221".into(), 1, 10)]);
}

#[test]
fn settings_and_ranges_are_checked() {
    let empty = per_event("time between 07:00 and 07:00");
    assert_eq!(codes(&empty), [("LV0702".into(), 4, 9)]);
    let late = per_event("time between 24:00 and 07:00");
    assert_eq!(codes(&late), [("LV0702".into(), 4, 9)]);
    let calendar = format!("holidays swedn\n{}", per_event("holiday(time)"));
    assert_eq!(codes(&calendar), [("LV0704".into(), 1, 10)]);
    let alert_field = SLIDING.replace("count() >= 3", "count() >= 3 and patient.protected");
    assert_eq!(codes(&alert_field)[0].0, "LV0207");
}

#[test]
fn conditions_that_double_at_each_step_are_refused_quickly() {
    let mut text = String::from("condition c0 = user == \"a\"\n");
    for i in 1..40 {
        text.push_str(&format!("condition c{i} = c{} and c{}\n", i - 1, i - 1));
    }
    text.push_str(&per_event("c39"));
    let found = codes(&text);

    // c0 has 3 parts and c(n) has 2^(n+2) - 1: c11 has 8,191, and c12
    // (line 13) is the first over 10,000; the rest build on it.
    assert_eq!(found[0], ("LV0104".into(), 13, 11));
    assert!(found.iter().all(|(code, _, _)| code == "LV0104"));
}

#[test]
fn rules_that_can_never_fire_are_warned_about() {
    let warn = |condition: &str| codes(&per_event(condition));
    let never = vec![("LV0227".to_string(), 2, 6)];

    assert_eq!(warn(r#"action == "read" and action == "print""#), never);
    assert_eq!(warn(r#"patient == null and patient == "p1""#), never);
    assert_eq!(warn("patient != null and patient == null"), never);
    assert_eq!(warn("user in {} and patient != null"), never);
    assert_eq!(warn("1 == 2"), never);
    assert_eq!(warn("not true"), never);
    assert!(warn(r#"action == "read" or action == "print""#).is_empty());
    assert!(warn(r#"action == "read" and patient != null"#).is_empty());
    assert!(warn(r#"action == "read" and action == "read""#).is_empty());

    let alert = |condition: &str| codes(&SLIDING.replace("count() >= 3", condition));
    let never_alert = vec![("LV0227".to_string(), 3, 6)];
    assert_eq!(alert("count() < 1"), never_alert);
    assert_eq!(alert("count() == 0"), never_alert);
    assert_eq!(alert("1 > count()"), never_alert);
    assert!(alert("count() < 2").is_empty());
    assert!(alert("count() == 1").is_empty());
}

#[test]
fn misspelt_lists_and_conditions_get_a_suggestion() {
    let text = "list service_accounts = {\"svc\"}\ncondition off_hours = hour(time) < 6\n"
        .to_string()
        + &per_event("user in service_acounts or of_hours");
    let diagnostics = check_source(&text);
    let helps: Vec<String> = diagnostics.iter().filter_map(|d| d.help.clone()).collect();
    assert!(
        helps.contains(&"did you mean `service_accounts`?".to_string()),
        "{helps:?}"
    );
    assert!(
        helps.contains(&"did you mean `off_hours`?".to_string()),
        "{helps:?}"
    );
}

#[test]
fn sets_are_not_values() {
    assert_eq!(
        codes(&per_event("user.units == null")),
        [("LV0207".into(), 4, 9)]
    );
    assert_eq!(
        codes(&per_event("{\"a\"} != null")),
        [("LV0207".into(), 4, 9)]
    );
}

#[test]
fn schedules_known_users_and_absent_lists() {
    let events = vec![
        // 23:30 local: nils is on his night shift; anna has no schedule.
        read("night-nils", "nils", "p1", "2026-03-05T22:30:00Z"),
        read("day-nils", "nils", "p1", "2026-03-05T12:00:00Z"),
        read("night-anna", "anna", "p1", "2026-03-05T22:30:00Z"),
        read("stranger", "eve", "p1", "2026-03-05T12:00:00Z"),
    ];
    let options = || Options {
        context: Some(context()),
        ..Options::default()
    };
    let run =
        |condition: &str| ids(&rules(&per_event(condition)).evaluate(events.clone(), options()));

    assert_eq!(run("on_shift(user, time)"), ["night-nils"]);
    assert_eq!(run("on_shift(user, time) == false"), ["day-nils"]);
    assert_eq!(
        run("on_shift(user, time) == null"),
        ["night-anna", "stranger"]
    );
    assert_eq!(run("not user.known"), ["stranger"]);
    // A list the context lacks holds nothing, and lacks nothing either.
    assert!(run("user in lists.absent").is_empty());
    assert!(run("user not in lists.absent").is_empty());
}

#[test]
fn drug_classes_come_from_the_context() {
    let mut events = vec![
        event("m", "u", "2026-03-02T10:00:00Z"),
        event("p", "u", "2026-03-02T10:00:00Z"),
        event("none", "u", "2026-03-02T10:00:00Z"),
    ];
    events[0].drug = Some("morphine".into());
    events[1].drug = Some("paracetamol".into());
    let options = || Options {
        context: Some(context()),
        ..Options::default()
    };
    let run =
        |condition: &str| ids(&rules(&per_event(condition)).evaluate(events.clone(), options()));

    assert_eq!(run(r#"drug_class(drug) == "II""#), ["m"]);
    assert_eq!(run("drug_class(drug) == null"), ["none", "p"]);
}
