use super::*;
use chrono::{Datelike, TimeZone, Timelike};
use serde_json::Value;
use std::collections::BTreeSet;

fn options(seed: u64, users: usize, events: usize) -> GenerateOptions {
    let month = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
    GenerateOptions {
        users,
        events,
        ..GenerateOptions::new(seed, month)
    }
}

fn jsonl(month: &Month) -> Vec<u8> {
    let mut bytes = Vec::new();
    let written = month.write_jsonl(&mut bytes).ok();
    assert_eq!(written, Some(month.events().count() as u64));
    bytes
}

/// The written events, read back as plain JSON.
fn read_back(month: &Month) -> Vec<Value> {
    let bytes = jsonl(month);
    let text = String::from_utf8(bytes).unwrap_or_default();
    text.lines()
        .map(|line| serde_json::from_str(line).unwrap_or(Value::Null))
        .collect()
}

fn text<'a>(event: &'a Value, field: &str) -> Option<&'a str> {
    event.get(field).and_then(Value::as_str)
}

fn instant(event: &Value) -> DateTime<Utc> {
    let time = text(event, "time").and_then(|t| DateTime::parse_from_rfc3339(t).ok());
    time.map(|t| t.with_timezone(&Utc)).unwrap_or_default()
}

fn local_midnight(zone: Tz, date: NaiveDate) -> DateTime<Utc> {
    let local = zone
        .from_local_datetime(&date.and_time(NaiveTime::MIN))
        .earliest();
    local.map(|t| t.with_timezone(&Utc)).unwrap_or_default()
}

fn key(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn finding(rule: &str, pairs: &[(&str, &str)], window_start: DateTime<Utc>) -> Planted {
    Planted {
        rule: rule.to_string(),
        key: key(pairs),
        window_start,
    }
}

/// Counts written for the recount: failed sign-ins per (user, local day),
/// opens per (user, patient, local month), and the lockouts.
#[derive(Default)]
struct Counts {
    failures: BTreeMap<(String, NaiveDate), usize>,
    opens: BTreeMap<(String, String, NaiveDate), usize>,
    lockouts: Vec<(String, DateTime<Utc>)>,
}

/// Counts the events by the three rules of `rules/standard.vakt`, written
/// out in plain Rust.
fn count(events: &[Value], zone: Tz) -> Counts {
    let mut counts = Counts::default();
    for event in events {
        let user = text(event, "user").unwrap_or_default().to_string();
        let action = text(event, "action").unwrap_or_default();
        let date = instant(event).with_timezone(&zone).date_naive();
        if action == "login" && text(event, "outcome") == Some("failure") {
            *counts.failures.entry((user.clone(), date)).or_default() += 1;
        }
        if action == "lockout" {
            counts.lockouts.push((user.clone(), instant(event)));
        }
        if let (Some(patient), true) = (text(event, "patient"), ["read", "print"].contains(&action))
        {
            let month = date.with_day(1).unwrap_or(date);
            *counts
                .opens
                .entry((user, patient.to_string(), month))
                .or_default() += 1;
        }
    }
    counts
}

/// The findings the rules give on the counts.
fn findings(counts: &Counts, zone: Tz) -> BTreeSet<Planted> {
    let mut found = BTreeSet::new();
    for ((user, date), n) in &counts.failures {
        if *n >= 5 {
            let start = local_midnight(zone, *date);
            found.insert(finding(
                "repeated_failed_sign_ins",
                &[("user", user)],
                start,
            ));
        }
    }
    for (user, time) in &counts.lockouts {
        found.insert(finding("locked_account", &[("user", user)], *time));
    }
    for ((user, patient, month), n) in &counts.opens {
        if *n > 50 {
            let pairs = [("patient", patient.as_str()), ("user", user.as_str())];
            found.insert(finding(
                "many_opens_same_patient",
                &pairs,
                local_midnight(zone, *month),
            ));
        }
    }
    found
}

fn within_five_percent(actual: usize, wanted: usize) -> bool {
    actual.abs_diff(wanted) * 20 <= wanted
}

#[test]
fn same_seed_gives_identical_bytes() {
    let first = jsonl(&generate(&options(11, 30, 4_000)));
    let second = jsonl(&generate(&options(11, 30, 4_000)));
    assert!(!first.is_empty());
    assert_eq!(first, second);
}

#[test]
fn different_seeds_give_different_bytes() {
    let first = jsonl(&generate(&options(11, 30, 4_000)));
    let second = jsonl(&generate(&options(12, 30, 4_000)));
    assert_ne!(first, second);
}

#[test]
fn event_count_is_near_the_request() {
    for (users, wanted) in [
        (200, 10_000),
        (50, 10_000),
        (200, 50_000),
        (5, 10_000),
        (200, 2_000),
    ] {
        let actual = generate(&options(3, users, wanted)).events().count();
        assert!(
            within_five_percent(actual, wanted),
            "{users} users: {actual} for {wanted}"
        );
    }
}

#[test]
fn every_event_is_inside_the_local_month() {
    for (month, zone) in [
        (3, chrono_tz::Europe::Stockholm),
        (10, chrono_tz::America::New_York),
    ] {
        let first = NaiveDate::from_ymd_opt(2026, month, 1).unwrap_or_default();
        let options = GenerateOptions {
            zone,
            ..options(5, 40, 6_000)
        };
        let (start, end) = Calendar::Month.window(zone, local_midnight(zone, first));
        let events: Vec<Event> = generate(&GenerateOptions {
            month: first,
            ..options
        })
        .events()
        .collect();
        assert!(!events.is_empty());
        assert!(events.iter().all(|e| start <= e.time && e.time < end));
    }
}

#[test]
fn a_day_inside_the_month_means_the_month() {
    let mid = NaiveDate::from_ymd_opt(2026, 3, 17).unwrap_or_default();
    let first = jsonl(&generate(&GenerateOptions {
        month: mid,
        ..options(2, 20, 2_000)
    }));
    assert_eq!(first, jsonl(&generate(&options(2, 20, 2_000))));
}

fn assert_recount_matches(options: &GenerateOptions) {
    let month = generate(options);
    let zone = chrono_tz::Europe::Stockholm;
    let found = findings(&count(&read_back(&month), zone), zone);
    let recounted = [
        "repeated_failed_sign_ins",
        "locked_account",
        "many_opens_same_patient",
    ];
    let planted: BTreeSet<Planted> = month
        .planted()
        .iter()
        .filter(|p| recounted.contains(&p.rule.as_str()))
        .cloned()
        .collect();
    let all: BTreeSet<&Planted> = month.planted().iter().collect();
    assert_eq!(all.len(), month.planted().len(), "{options:?}: duplicates");
    assert_eq!(found, planted, "{options:?}");
}

#[test]
fn recount_finds_exactly_the_planted_findings() {
    for seed in 1..=5 {
        assert_recount_matches(&options(seed, 40, 8_000));
    }
}

#[test]
fn recount_matches_for_odd_populations_and_months() {
    let october = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap_or_default();
    let february = NaiveDate::from_ymd_opt(2027, 2, 1).unwrap_or_default();
    assert_recount_matches(&options(6, 1, 2_000));
    assert_recount_matches(&options(7, 3, 3_000));
    assert_recount_matches(&options(8, 1_200, 6_000));
    assert_recount_matches(&GenerateOptions {
        month: october,
        ..options(9, 30, 5_000)
    });
    assert_recount_matches(&GenerateOptions {
        month: february,
        ..options(10, 30, 5_000)
    });
}

#[test]
fn near_misses_are_just_below_the_thresholds() {
    for seed in 1..=5 {
        let zone = chrono_tz::Europe::Stockholm;
        let counts = count(&read_back(&generate(&options(seed, 40, 8_000))), zone);
        let failures: Vec<usize> = counts.failures.values().copied().collect();
        assert!(failures.contains(&4), "seed {seed}: no day with 4 failures");
        assert!(
            failures.iter().filter(|n| **n == 3).count() >= 2,
            "seed {seed}: no split"
        );
        assert!(
            counts.opens.values().any(|n| *n == 50),
            "seed {seed}: no 50 opens"
        );
        let ordinary = counts.opens.values().filter(|n| **n < 50);
        assert!(ordinary.copied().max().unwrap_or(0) <= 32, "seed {seed}");
    }
}

#[test]
fn planted_counts_are_in_range() {
    for seed in 1..=5 {
        let month = generate(&options(seed, 200, 20_000));
        let of = |rule: &str| month.planted().iter().filter(|p| p.rule == rule).count();
        assert_eq!(of("repeated_failed_sign_ins"), 3);
        assert!((1..=3).contains(&of("locked_account")));
        assert!((2..=3).contains(&of("many_opens_same_patient")));
        assert!(month.planted().windows(2).all(|w| w[0] < w[1]));
    }
}

#[test]
fn one_burst_is_just_after_local_midnight() {
    let zone = chrono_tz::Europe::Stockholm;
    for seed in 1..=5 {
        let events = read_back(&generate(&options(seed, 40, 8_000)));
        let mut early: BTreeMap<(String, NaiveDate), usize> = BTreeMap::new();
        for event in events
            .iter()
            .filter(|e| text(e, "outcome") == Some("failure"))
        {
            let local = instant(event).with_timezone(&zone);
            if local.hour() == 0 && local.minute() < 30 {
                let user = text(event, "user").unwrap_or_default().to_string();
                *early.entry((user, local.date_naive())).or_default() += 1;
            }
        }
        assert!(early.values().any(|n| *n >= 5), "seed {seed}");
    }
}

#[test]
fn events_carry_the_usual_fields() {
    let events = read_back(&generate(&options(9, 30, 3_000)));
    for (index, event) in events.iter().enumerate() {
        assert_eq!(
            text(event, "id"),
            Some(format!("e{:09}", index + 1).as_str())
        );
        assert_eq!(text(event, "system"), Some("ehr"));
        assert!(text(event, "unit").is_some() && text(event, "ip").is_some());
        let action = text(event, "action").unwrap_or_default();
        let record = ["read", "write", "search", "print"].contains(&action);
        assert_eq!(text(event, "resource").is_some(), record, "{event}");
        let drug = ["withdrawal", "administration"].contains(&action);
        assert_eq!(text(event, "drug").is_some(), drug, "{event}");
        assert!(text(event, "time").is_some_and(|t| t.ends_with('Z')));
    }
    let actions: BTreeSet<&str> = events.iter().filter_map(|e| text(e, "action")).collect();
    let expected = [
        "administration",
        "lockout",
        "login",
        "print",
        "read",
        "search",
        "withdrawal",
        "write",
    ];
    assert_eq!(actions, expected.into_iter().collect());
}

#[test]
fn no_users_means_no_events() {
    let month = generate(&options(1, 0, 1_000));
    assert_eq!(month.events().count(), 0);
    assert!(month.planted().is_empty());
}

#[test]
#[ignore = "a million events; run with --release --ignored"]
fn a_million_events_stream() {
    let month = generate(&GenerateOptions {
        events: 1_000_000,
        ..options(1, 200, 0)
    });
    assert!(within_five_percent(month.events().count(), 1_000_000));
}

/// `(rule, key, window start)` of a finding or a planted case.
type Found = (String, BTreeMap<String, String>, DateTime<Utc>);

/// Runs the standard pack over the month with `context`.
fn run_standard(month: &Month, context: crate::Context, first: NaiveDate) -> BTreeSet<Found> {
    let rules = crate::RuleSet::standard().unwrap_or_else(|e| panic!("{}", e.render()));
    let options = crate::Options {
        period: Some(first),
        context: Some(std::sync::Arc::new(context)),
        seed: Some("1".to_string()),
        ..crate::Options::default()
    };
    let report = rules.evaluate(month.events(), options);
    report
        .findings
        .iter()
        .map(|f| {
            let start = f.window.start.with_timezone(&Utc);
            (f.rule.clone(), f.key.clone(), start)
        })
        .collect()
}

fn planted_set(month: &Month) -> BTreeSet<Found> {
    month
        .planted()
        .iter()
        .map(|p| (p.rule.clone(), p.key.clone(), p.window_start))
        .collect()
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("loggvakt-gen-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn assert_pack_finds_exactly_the_planted(options: &GenerateOptions) {
    let month = generate(options);
    let first = Calendar::Month.first_date(options.month);
    let context = month.context().unwrap_or_else(|e| panic!("{e}"));
    let found = run_standard(&month, context, first);
    let planted = planted_set(&month);
    let missing: Vec<_> = planted.difference(&found).collect();
    let extra: Vec<_> = found.difference(&planted).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{options:?}\nmissing: {missing:#?}\nunexpected: {extra:#?}"
    );
    for near in month.near_misses() {
        let group = (near.rule.clone(), near.key.clone(), near.window_start);
        assert!(
            !found.contains(&group),
            "{options:?}: near miss found: {near:?}"
        );
    }
}

#[test]
fn standard_pack_finds_exactly_the_planted_violations() {
    for seed in 1..=5 {
        assert_pack_finds_exactly_the_planted(&options(seed, 60, 20_000));
    }
}

#[test]
fn standard_pack_finds_exactly_the_planted_in_odd_populations_and_months() {
    let october = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap_or_default();
    let february = NaiveDate::from_ymd_opt(2027, 2, 1).unwrap_or_default();
    let december = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default();
    assert_pack_finds_exactly_the_planted(&options(6, 1, 2_000));
    assert_pack_finds_exactly_the_planted(&options(7, 3, 3_000));
    assert_pack_finds_exactly_the_planted(&options(8, 12, 3_000));
    assert_pack_finds_exactly_the_planted(&options(8, 1_200, 30_000));
    assert_pack_finds_exactly_the_planted(&options(9, 200, 60_000));
    for (seed, month) in [(10, october), (11, february), (12, december)] {
        assert_pack_finds_exactly_the_planted(&GenerateOptions {
            month,
            ..options(seed, 40, 8_000)
        });
    }
}

#[test]
fn the_written_context_loads_and_gives_the_same_findings() {
    let options = options(21, 60, 20_000);
    let month = generate(&options);
    let dir = scratch("folder");
    let written = month.write_folder(&dir).unwrap_or_default();
    assert_eq!(written, month.events().count() as u64);
    let zone = options.zone;
    let loaded =
        crate::Context::load_dir(&dir.join("context"), zone).unwrap_or_else(|e| panic!("{e:?}"));
    let summary = loaded.summary();
    let names: Vec<&str> = summary.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        ["drugs.csv", "patients.csv", "relations.csv", "users.csv"]
    );
    let first = Calendar::Month.first_date(options.month);
    let from_folder = run_standard(&month, loaded, first);
    let in_memory = run_standard(&month, month.context().unwrap_or_default(), first);
    assert_eq!(from_folder, in_memory);
    assert_eq!(from_folder, planted_set(&month));

    let truth: Value = std::fs::read_to_string(dir.join("truth.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let violations = truth["violations"].as_array().map_or(0, Vec::len);
    assert_eq!(violations, month.planted().len());
    let near = truth["near_misses"].as_array().cloned().unwrap_or_default();
    assert_eq!(near.len(), month.near_misses().len());
    assert!(
        near.iter()
            .all(|n| n["what"].is_string() && n["window"].is_string())
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn same_seed_writes_the_same_folder() {
    let read = |dir: &std::path::Path| -> Vec<Vec<u8>> {
        let files = [
            "events.jsonl",
            "truth.json",
            "context/users.csv",
            "context/patients.csv",
            "context/relations.csv",
            "context/drugs.csv",
        ];
        files
            .iter()
            .map(|f| std::fs::read(dir.join(f)).unwrap_or_default())
            .collect()
    };
    let (a, b) = (scratch("same-a"), scratch("same-b"));
    let options = options(13, 40, 5_000);
    assert!(generate(&options).write_folder(&a).is_ok());
    assert!(generate(&options).write_folder(&b).is_ok());
    let (first, second) = (read(&a), read(&b));
    assert!(first.iter().all(|bytes| !bytes.is_empty()));
    assert_eq!(first, second);
    let _ = std::fs::remove_dir_all(&a);
    let _ = std::fs::remove_dir_all(&b);
}

#[test]
fn every_rule_of_the_pack_has_a_planted_violation() {
    let rules = crate::RuleSet::standard().unwrap_or_else(|e| panic!("{}", e.render()));
    let names: BTreeSet<String> = rules.rules().map(|r| r.name.clone()).collect();
    assert_eq!(names.len(), 13);
    for seed in 1..=5 {
        let month = generate(&options(seed, 60, 20_000));
        let planted: BTreeSet<String> = month.planted().iter().map(|p| p.rule.clone()).collect();
        assert_eq!(planted, names, "seed {seed}");
        let near: BTreeSet<&str> = month
            .near_misses()
            .iter()
            .map(|n| n.rule.as_str())
            .collect();
        for rule in [
            "repeated_failed_sign_ins",
            "third_country_access",
            "withdrawals_out_of_proportion",
            "many_opens_same_patient",
            "off_hours_access",
            "other_unit_access",
            "protected_identity_opens",
            "no_care_relation",
            "resource_outside_permissions",
        ] {
            assert!(near.contains(rule), "seed {seed}: no near miss of {rule}");
        }
    }
}

#[test]
fn addresses_are_in_sweden_the_eu_and_the_united_states() {
    use crate::context::{BundledCountries, CountryLookup};
    let country = |ip: &str| {
        let ip: std::net::IpAddr = ip.parse().unwrap_or(std::net::IpAddr::from([0, 0, 0, 0]));
        BundledCountries.country(ip).map(str::to_string)
    };
    for second in 64..80 {
        for third in [0, 97, 255] {
            let ip = format!("78.{second}.{third}.200");
            assert_eq!(country(&ip).as_deref(), Some("SE"), "{ip}");
        }
    }
    let expected = ["SE", "SE", "FI", "DK", "DE"];
    for (([first, second], _), wanted) in population::REMOTE.iter().zip(expected) {
        for third in [0, 128, 255] {
            let ip = format!("{first}.{second}.{third}.10");
            assert_eq!(country(&ip).as_deref(), Some(wanted), "{ip}");
        }
    }
    for third in [0, 128, 255] {
        assert_eq!(country(&format!("128.30.{third}.9")).as_deref(), Some("US"));
        assert_eq!(
            country(&format!("130.230.{third}.9")).as_deref(),
            Some("FI")
        );
    }

    let month = generate(&options(3, 60, 20_000));
    let countries: BTreeSet<String> = month
        .events()
        .filter_map(|e| e.ip)
        .filter_map(|ip| BundledCountries.country(ip).map(str::to_string))
        .collect();
    let all = ["DE", "DK", "FI", "SE", "US"].map(str::to_string);
    assert_eq!(countries, all.into_iter().collect());
}

/// Reads `bytes` in `format` as the command line would, every record an
/// event.
fn read_written(bytes: Vec<u8>, format: crate::read::Format) -> Vec<crate::read::Record> {
    let input: crate::read::Input = Box::new(std::io::Cursor::new(bytes));
    let options = crate::read::ReadOptions::default();
    crate::read::read(input, "events", format, &options).collect()
}

#[test]
fn csv_and_json_lines_hold_the_same_events_and_give_the_same_report() {
    let month = generate(&options(11, 40, 6_000));
    let mut csv = Vec::new();
    assert_eq!(
        month.write_csv(&mut csv).ok(),
        Some(month.events().count() as u64)
    );
    let header =
        "id,time,user,action,outcome,patient,unit,resource,ip,drug,amount,purpose,system\n";
    assert!(csv.starts_with(header.as_bytes()));

    let from_csv = read_written(csv, crate::read::Format::Csv);
    let from_jsonl = read_written(jsonl(&month), crate::read::Format::Jsonl);
    let generated: Vec<_> = month.events().map(crate::read::Record::Event).collect();
    assert_eq!(from_jsonl, generated);
    assert_eq!(from_csv, generated);

    let rules = crate::RuleSet::standard().unwrap_or_else(|e| panic!("{}", e.render()));
    let context = std::sync::Arc::new(month.context().unwrap_or_else(|e| panic!("{e}")));
    let run = |records: Vec<crate::read::Record>| {
        let options = crate::Options {
            period: Some(Calendar::Month.first_date(options(11, 40, 6_000).month)),
            context: Some(context.clone()),
            seed: Some("1".to_string()),
            ..crate::Options::default()
        };
        serde_json::to_value(rules.evaluate_records(records, options)).unwrap_or_default()
    };
    let (csv_report, jsonl_report) = (run(from_csv), run(from_jsonl));
    assert!(
        csv_report["findings"]
            .as_array()
            .is_some_and(|f| f.len() > 10)
    );
    assert_eq!(csv_report, jsonl_report);
}

/// The standard pack over a generated month with its context: one thread,
/// half of the rules on a second thread, and the same screened through a
/// reader thread, give the same report.
#[test]
fn rules_split_over_two_threads_give_the_same_report() {
    let month = generate(&options(5, 60, 8_000));
    let rules = crate::RuleSet::standard().unwrap_or_else(|e| panic!("{}", e.render()));
    let context = std::sync::Arc::new(month.context().unwrap_or_else(|e| panic!("{e}")));
    let options = |split_rules: bool| crate::Options {
        period: Some(Calendar::Month.first_date(options(5, 60, 8_000).month)),
        context: Some(context.clone()),
        seed: Some("7".to_string()),
        split_rules,
        ..crate::Options::default()
    };
    let json = |report: &crate::Report| serde_json::to_value(report).unwrap_or_default();

    let one = rules.evaluate(month.events(), options(false));
    let split = rules.evaluate(month.events(), options(true));
    let mut evaluation = rules.evaluation(options(true));
    let mut screen = evaluation.screen();
    let records: crate::read::Records = Box::new(
        month
            .events()
            .collect::<Vec<_>>()
            .into_iter()
            .map(crate::read::Record::Event),
    );
    crate::read::ahead_with(records, "month", move |r| screen.record(r))
        .for_each(|record| evaluation.push_screened(record));
    let screened = evaluation.finish();

    assert!(one.findings.len() > 10, "{}", one.findings.len());
    assert!(one.rule_stats.iter().all(|s| s.matched > 0));
    assert_eq!(json(&split), json(&one));
    assert_eq!(json(&screened), json(&one));
}

#[test]
fn the_folder_holds_events_csv_when_asked() {
    let dir = scratch("csv-folder");
    let month = generate(&options(2, 20, 2_000));
    let written = month.write_folder_as(&dir, EventFormat::Csv).ok();
    assert_eq!(written, Some(month.events().count() as u64));
    assert!(dir.join("events.csv").is_file());
    assert!(!dir.join("events.jsonl").exists());
    assert!(dir.join("context").join("users.csv").is_file());
    let _ = std::fs::remove_dir_all(&dir);
}
