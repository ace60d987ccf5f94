#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on any surprise"
)]

use super::*;
use crate::event::Value;
use crate::read::Format;
use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

const DATA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/data/windows-security/"
);

fn options(limit: usize) -> ReadOptions {
    ReadOptions {
        max_record_bytes: limit,
        ..ReadOptions::default()
    }
}

fn file(name: &str) -> Vec<Record> {
    let path = format!("{DATA}{name}");
    let input = crate::read::input(std::path::Path::new(&path)).unwrap();
    read(input, name, &ReadOptions::default()).collect()
}

fn text(xml: &str, limit: usize) -> Vec<Record> {
    let input: Input = Box::new(Cursor::new(xml.as_bytes().to_vec()));
    read(input, "t.xml", &options(limit)).collect()
}

fn events(records: &[Record]) -> Vec<&Event> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Event(e) => Some(e),
            _ => None,
        })
        .collect()
}

/// Counts: events, ignored by kind, rejections as `reason location`.
#[derive(Debug, PartialEq, Default)]
struct Tally {
    events: usize,
    ignored: BTreeMap<String, usize>,
    rejected: Vec<String>,
}

fn tally(records: &[Record]) -> Tally {
    let mut tally = Tally::default();
    for record in records {
        match record {
            Record::Event(_) => tally.events += 1,
            Record::Ignored(kind) => *tally.ignored.entry(kind.clone()).or_default() += 1,
            Record::Rejected(r) => tally
                .rejected
                .push(format!("{} {}", r.code.name, r.location)),
        }
    }
    tally
}

fn ignored(kinds: &[(&str, usize)]) -> BTreeMap<String, usize> {
    kinds
        .iter()
        .map(|(k, n)| (format!("windows:{k}"), *n))
        .collect()
}

fn attr<'a>(event: &'a Event, name: &str) -> Option<&'a str> {
    match event.attributes.get(name) {
        Some(Value::Text(text)) => Some(text),
        _ => None,
    }
}

fn user_outcomes(events: &[&Event]) -> BTreeMap<(String, String), usize> {
    let mut counts = BTreeMap::new();
    for event in events {
        let outcome = event.outcome.map(|o| o.to_string()).unwrap_or_default();
        *counts.entry((event.user.clone(), outcome)).or_default() += 1;
    }
    counts
}

fn key(user: &str, outcome: &str, n: usize) -> ((String, String), usize) {
    ((user.to_string(), outcome.to_string()), n)
}

/// One event in the shape `wevtutil` writes, with `data` in `EventData`.
fn event_xml(id: &str, record: u32, data: &[(&str, &str)]) -> String {
    let data: String = data
        .iter()
        .map(|(name, value)| format!("<Data Name=\"{name}\">{value}</Data>"))
        .collect();
    format!(
        "<Event xmlns=\"{NAMESPACE}\"><System><EventID>{id}</EventID>\
         <TimeCreated SystemTime=\"2026-03-02T07:15:00.5Z\"/>\
         <EventRecordID>{record}</EventRecordID><Computer>ws1</Computer></System>\
         <EventData>{data}</EventData></Event>"
    )
}

fn failed(record: u32) -> String {
    event_xml(
        "4625",
        record,
        &[("TargetUserName", "anna"), ("Status", "0xc000006d")],
    )
}

#[test]
fn openssh_brute_force_with_unknown_users() {
    let records = file("ID4625-OpenSSH_brutforce_with_non_existing_users.xml");
    let expected = Tally {
        events: 11,
        ignored: ignored(&[
            ("1102", 1),
            ("4627", 1),
            ("4648", 1),
            ("4672", 1),
            ("4673", 1),
            ("4688", 2),
            ("4717", 1),
            ("4718", 1),
        ]),
        rejected: vec![],
    };
    assert_eq!(records.len(), 20);
    assert_eq!(tally(&records), expected);

    // Each guess is written twice: 4776 (NTLM validation) and 4625.
    let events = events(&records);
    let counts = user_outcomes(&events);
    let expected = BTreeMap::from([key("NOUSER", "failure", 10), key("sshd_5848", "success", 1)]);
    assert_eq!(counts, expected);

    let ntlm = events
        .iter()
        .find(|e| attr(e, "event_id") == Some("4776"))
        .unwrap();
    assert_eq!(ntlm.id.as_deref(), Some("fs01.offsec.lan/1861986"));
    assert_eq!(ntlm.time.to_rfc3339(), "2021-05-20T12:49:52.315636+00:00");
    assert_eq!(attr(ntlm, "status"), Some("0xc0000064"));
    assert_eq!(attr(ntlm, "workstation"), Some("FS01"));
    assert_eq!(ntlm.ip, None);
}

#[test]
fn openssh_brute_force_with_a_valid_user() {
    let records = file("ID4625-OpenSSH_brutforce_with_valid_users.xml");
    let expected = Tally {
        events: 7,
        ignored: ignored(&[("4648", 2), ("4688", 2)]),
        rejected: vec![],
    };
    assert_eq!(records.len(), 11);
    assert_eq!(tally(&records), expected);

    // The failures name the account as a UPN, the success by its SAM name.
    let counts = user_outcomes(&events(&records));
    let expected = BTreeMap::from([
        key("admmig", "success", 1),
        key("admmig@offsec.lan", "failure", 5),
        key("sshd_4332", "success", 1),
    ]);
    assert_eq!(counts, expected);
}

#[test]
fn failures_without_a_user_name_are_rejected() {
    let records = file("ID4625-failed_login_with_denied_access_due_to_account_restriction.xml");
    let name = "ID4625-failed_login_with_denied_access_due_to_account_restriction.xml";
    let expected = Tally {
        events: 0,
        ignored: BTreeMap::new(),
        rejected: vec![
            format!("missing_field {name}:3"),
            format!("missing_field {name}:42"),
        ],
    };
    assert_eq!(tally(&records), expected);
}

#[test]
fn kerberos_brute_force_fails_for_admin_hacker() {
    let records = file("ID4771-Kerberos_brutforce_with_valid_user.xml");
    assert_eq!(
        tally(&records),
        Tally {
            events: 54,
            ..Tally::default()
        }
    );
    let events = events(&records);
    let counts = user_outcomes(&events);
    assert_eq!(counts, BTreeMap::from([key("admin-hacker", "failure", 54)]));

    let first = events[0];
    assert_eq!(first.id.as_deref(), Some("rootdc1.offsec.lan/232256504"));
    assert_eq!(first.time.to_rfc3339(), "2021-12-02T14:54:21.232643+00:00");
    assert_eq!(first.action, "login");
    assert_eq!(first.system.as_deref(), Some("rootdc1.offsec.lan"));
    assert_eq!(
        first.ip.map(|ip| ip.to_string()).as_deref(),
        Some("10.23.123.11")
    );
    let attributes: Vec<_> = first.attributes.keys().map(String::as_str).collect();
    assert_eq!(attributes, ["event_id", "status"]);
    assert_eq!(attr(first, "status"), Some("0x00000018"));
}

#[test]
fn local_brute_force_against_two_accounts() {
    let records = file("ID_4776_4625-AccountRestore_local_bruteforce.xml");
    assert_eq!(
        tally(&records),
        Tally {
            events: 16,
            ..Tally::default()
        }
    );
    let counts = user_outcomes(&events(&records));
    let expected = BTreeMap::from([
        key("Admin", "failure", 8),
        key("Administrator", "failure", 8),
    ]);
    assert_eq!(counts, expected);
}

#[test]
fn microsoft_failed_sign_in_example() {
    let records = file("event-4625-msdocs.xml");
    assert_eq!(records.len(), 1);
    let event = events(&records)[0];
    assert_eq!(event.id.as_deref(), Some("DC01.contoso.local/229977"));
    assert_eq!(
        event.time.to_rfc3339(),
        "2015-09-08T22:54:54.962511700+00:00"
    );
    assert_eq!(event.user, "Auditor");
    assert_eq!(event.action, "login");
    assert_eq!(event.outcome, Some(Outcome::Failure));
    assert_eq!(
        event.ip.map(|ip| ip.to_string()).as_deref(),
        Some("127.0.0.1")
    );
    assert_eq!(event.system.as_deref(), Some("DC01.contoso.local"));
    let expected = [
        ("domain", "CONTOSO"),
        ("event_id", "4625"),
        ("logon_type", "2"),
        ("status", "0xc0000234"),
        ("sub_status", "0x0"),
        ("workstation", "DC01"),
    ];
    let attributes: Vec<_> = event
        .attributes
        .keys()
        .map(|k| (k.as_str(), attr(event, k).unwrap_or("")))
        .collect();
    assert_eq!(attributes, expected);
}

#[test]
fn microsoft_lockout_example_locks_auditor() {
    let records = file("event-4740-msdocs.xml");
    assert_eq!(records.len(), 1);
    let event = events(&records)[0];
    assert_eq!(event.id.as_deref(), Some("DC01.contoso.local/175703"));
    assert_eq!(
        event.time.to_rfc3339(),
        "2015-08-21T22:06:08.576887500+00:00"
    );
    assert_eq!(event.user, "Auditor");
    assert_eq!(event.action, "lockout");
    assert_eq!(event.outcome, Some(Outcome::Success));
    assert_eq!(event.ip, None);
    assert_eq!(attr(event, "caller_computer"), Some("WIN81"));
    assert_eq!(attr(event, "domain"), None);
    assert_eq!(attr(event, "event_id"), Some("4740"));
}

#[test]
fn every_file_is_detected() {
    let names = std::fs::read_dir(DATA).unwrap().map(|e| e.unwrap().path());
    let mut xml = names
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect::<Vec<_>>();
    xml.sort();
    assert_eq!(xml.len(), 7);
    for path in xml {
        assert_eq!(Format::detect(&path), Format::Windows, "{}", path.display());
    }
}

#[test]
fn sniff_needs_the_event_element_and_namespace() {
    let single = format!("<Event xmlns=\"{NAMESPACE}\"><System>");
    let list = format!("<?xml version=\"1.0\"?>\n<Events>\n<Event xmlns=\"{NAMESPACE}\">");
    assert!(sniff(&single));
    assert!(sniff(&list));
    assert!(!sniff("<Event><System>"));
    assert!(!sniff(&format!("<Log>{single}")));
    assert!(!sniff("{\"resourceType\":\"AuditEvent\"}"));
}

#[test]
fn locates_events_by_line_and_reads_each_shape() {
    let xml = format!(
        "<?xml version=\"1.0\"?>\n<Events>\n{}\n\n{}{}\n</Events>\n",
        failed(1),
        failed(2),
        failed(3)
    );
    let records = text(&xml, 1 << 20);
    assert_eq!(tally(&records).events, 3);
    let ids: Vec<_> = events(&records)
        .iter()
        .map(|e| e.id.clone().unwrap_or_default())
        .collect();
    assert_eq!(ids, ["ws1/1", "ws1/2", "ws1/3"]);

    // Time without an offset is UTC whatever the run's zone.
    let local = xml.replace("2026-03-02T07:15:00.5Z", "2026-03-02 07:15:00.5");
    let records = text(&local, 1 << 20);
    assert_eq!(
        events(&records)[0].time.to_rfc3339(),
        "2026-03-02T07:15:00.500+00:00"
    );
}

#[test]
fn malformed_xml_is_rejected_and_reading_goes_on() {
    let broken = failed(1).replace("</Computer>", "</Computr>");
    let xml = format!("<Events>\n{broken}\n{}\n</Events>", failed(2));
    let records = text(&xml, 1 << 20);
    let expected = Tally {
        events: 1,
        ignored: BTreeMap::new(),
        rejected: vec!["bad_xml t.xml:2".into()],
    };
    assert_eq!(tally(&records), expected);
    let Record::Rejected(rejection) = &records[0] else {
        panic!("{:?}", records[0]);
    };
    assert!(
        rejection.message.contains("on line 2"),
        "{}",
        rejection.message
    );
    assert!(
        rejection.message.contains("Computr"),
        "{}",
        rejection.message
    );
}

#[test]
fn bad_attributes_and_entities_are_bad_xml() {
    let quote = failed(1).replace("Name=\"Status\"", "Name=Status");
    let entity = failed(1).replace("anna", "an&nbsp;na");
    for xml in [quote, entity] {
        let got = tally(&text(&xml, 1 << 20));
        assert_eq!(got.rejected, ["bad_xml t.xml:1"], "{xml}");
    }
    let escaped = failed(1).replace("anna", "a&amp;b&#x41;");
    assert_eq!(events(&text(&escaped, 1 << 20))[0].user, "a&bA");
}

#[test]
fn markup_inside_an_event_does_not_end_it() {
    let tricky = failed(1).replace(
        "<EventData>",
        "<!-- </Event> --><?pi </Event>?><EventData>\
         <Data Name=\"Note\"><![CDATA[</Event>]]></Data>",
    );
    let xml = format!("<Events>{tricky}{}</Events>", failed(2));
    assert_eq!(tally(&text(&xml, 1 << 20)).events, 2);
}

#[test]
fn a_truncated_file_loses_only_its_last_event() {
    let whole = format!("<Events>\n{}\n{}\n</Events>\n", failed(1), failed(2));
    for cut in [whole.len() - 30, whole.len() - 120] {
        let records = text(&whole[..cut], 1 << 20);
        let expected = Tally {
            events: 1,
            ignored: BTreeMap::new(),
            rejected: vec!["bad_xml t.xml:3".into()],
        };
        assert_eq!(tally(&records), expected, "cut at {cut}");
    }
    let truncated_tag = format!("<Events>\n{}\n<Event xmlns=\"htt", failed(1));
    assert_eq!(
        tally(&text(&truncated_tag, 1 << 20)).rejected,
        ["bad_xml t.xml:3"]
    );
}

#[test]
fn an_event_that_never_ends_is_cut_at_the_next_event() {
    let open = failed(1).replace("</Event>", "");
    let xml = format!("<Events>\n{open}\n{}\n</Events>", failed(2));
    let records = text(&xml, 1 << 20);
    assert_eq!(tally(&records).rejected, ["bad_xml t.xml:2"]);
    assert_eq!(events(&records).len(), 1);
    assert_eq!(events(&records)[0].id.as_deref(), Some("ws1/2"));
}

#[test]
fn an_event_over_the_limit_is_skipped_without_being_kept() {
    let big = event_xml(
        "4625",
        1,
        &[("TargetUserName", "anna"), ("Padding", &"x".repeat(5000))],
    );
    let xml = format!("<Events>\n{big}\n{}\n</Events>", failed(2));
    let records = text(&xml, 1000);
    let expected = Tally {
        events: 1,
        ignored: BTreeMap::new(),
        rejected: vec!["line_too_long t.xml:2".into()],
    };
    assert_eq!(tally(&records), expected);
    let Record::Rejected(rejection) = &records[0] else {
        panic!("{:?}", records[0]);
    };
    assert!(
        rejection.message.contains("over the limit of 1000"),
        "{}",
        rejection.message
    );
}

#[test]
fn unknown_event_ids_are_ignored_by_id() {
    let xml = format!(
        "<Events>{}{}</Events>",
        event_xml("4688", 1, &[]),
        failed(2)
    );
    let got = tally(&text(&xml, 1 << 20));
    assert_eq!(got.ignored, ignored(&[("4688", 1)]));
    assert_eq!(got.events, 1);
}

#[test]
fn dashes_and_blanks_are_no_address() {
    let data = [
        ("TargetUserName", "anna"),
        ("Status", "0xc000006d"),
        ("IpAddress", "-"),
        ("WorkstationName", "-"),
        ("TargetDomainName", ""),
    ];
    let records = text(&event_xml("4625", 1, &data), 1 << 20);
    let event = events(&records)[0];
    assert_eq!(event.ip, None);
    let attributes: Vec<_> = event.attributes.keys().map(String::as_str).collect();
    assert_eq!(attributes, ["event_id", "status"]);
}

#[test]
fn addresses_mapped_into_ipv6_and_host_names() {
    let mapped = [("TargetUserName", "anna"), ("IpAddress", "::ffff:10.1.2.3")];
    let records = text(&event_xml("4624", 1, &mapped), 1 << 20);
    assert_eq!(
        events(&records)[0].ip.map(|ip| ip.to_string()).as_deref(),
        Some("10.1.2.3")
    );

    let host = [("TargetUserName", "anna"), ("IpAddress", "gateway.example")];
    let records = text(&event_xml("4624", 1, &host), 1 << 20);
    assert_eq!(attr(events(&records)[0], "host"), Some("gateway.example"));
}

#[test]
fn ntlm_validation_outcome_follows_its_status() {
    let cases = [
        ("0x0", Some("success")),
        ("0x00000000", Some("success")),
        ("0xc000006a", Some("failure")),
    ];
    for (status, outcome) in cases {
        let data = [("TargetUserName", "anna"), ("Status", status)];
        let records = text(&event_xml("4776", 1, &data), 1 << 20);
        let got = events(&records)
            .first()
            .and_then(|e| e.outcome)
            .map(|o| o.as_str());
        assert_eq!(got, outcome, "{status}");
    }
    let data = [("TargetUserName", "anna"), ("Status", "nope")];
    assert_eq!(
        tally(&text(&event_xml("4776", 1, &data), 1 << 20)).rejected,
        ["bad_outcome t.xml:1"]
    );
}

#[test]
fn missing_system_values_are_rejected_by_name() {
    let no_time = failed(1).replace(" SystemTime=\"2026-03-02T07:15:00.5Z\"", "");
    let bad_time = failed(1).replace("2026-03-02T07:15:00.5Z", "yesterday");
    let no_id = failed(1).replace("<EventID>4625</EventID>", "");
    let cases = [
        (no_time, "missing_field"),
        (bad_time, "bad_time"),
        (no_id, "missing_field"),
    ];
    for (xml, reason) in cases {
        assert_eq!(
            tally(&text(&xml, 1 << 20)).rejected,
            [format!("{reason} t.xml:1")]
        );
    }
}

#[test]
fn an_empty_input_has_no_records() {
    assert!(text("", 1 << 20).is_empty());
    assert!(text("<?xml version=\"1.0\"?>\n<Events>\n</Events>\n", 1 << 20).is_empty());
}

#[test]
fn nothing_is_read_before_the_first_record_is_asked_for() {
    let touched = Arc::new(AtomicBool::new(false));
    let input: Input = Box::new(super::super::test_support::Watched {
        inner: Cursor::new(failed(1).into_bytes()),
        touched: Arc::clone(&touched),
    });
    let mut records = read(input, "t.xml", &ReadOptions::default());
    assert!(!touched.load(Ordering::SeqCst));
    assert!(matches!(records.next(), Some(Record::Event(_))));
    assert!(touched.load(Ordering::SeqCst));
}

#[test]
fn a_read_failure_ends_reading_where_it_happened() {
    let start = format!("<Events>\n{}\n", failed(1));
    let input: Input =
        Box::new(Cursor::new(start.into_bytes()).chain(super::super::test_support::Broken));
    let records: Vec<Record> = read(input, "t.xml", &ReadOptions::default()).collect();
    let expected = Tally {
        events: 1,
        ignored: BTreeMap::new(),
        rejected: vec!["read_failed t.xml:3".into()],
    };
    assert_eq!(tally(&records), expected);
}

#[test]
fn nothing_outside_the_events_is_passed_over_unseen() {
    let cases = [
        // An unclosed tag swallows what follows: one rejection says so.
        (
            format!(
                "<Events>{}\n<Foo a=\"never closed\n{}{}</Events>",
                failed(1),
                failed(2),
                failed(3)
            ),
            1,
        ),
        // An unclosed comment does the same.
        (
            format!("<Events>{}\n<!-- no end\n{}</Events>", failed(1), failed(2)),
            1,
        ),
        // Text between events is not an event: rejected, not skipped.
        (
            format!("<Events>{}\nstray words\n{}</Events>", failed(1), failed(2)),
            2,
        ),
    ];
    for (xml, events) in cases {
        let records = text(&xml, 1 << 16);
        let tally = tally(&records);
        assert_eq!(tally.events, events, "{xml}");
        assert_eq!(tally.rejected.len(), 1, "{xml}");
        assert!(
            tally.rejected[0].starts_with("bad_xml t.xml:"),
            "{:?}",
            tally.rejected
        );
    }
}

#[test]
fn a_stray_lt_that_hides_an_event_is_reported() {
    let xml = format!("<Events>{}\n< {}</Events>", failed(1), failed(2));
    let tally = tally(&text(&xml, 1 << 16));
    assert_eq!(tally.events, 1);
    assert!(!tally.rejected.is_empty());
    assert!(
        tally.rejected.iter().all(|r| r.starts_with("bad_xml")),
        "{:?}",
        tally.rejected
    );
}

#[test]
fn binary_junk_is_rejected_not_read_as_nothing() {
    let junk = "\u{1}\u{2}garbage\u{7f} with no markup";
    let tally = tally(&text(junk, 1 << 16));
    assert_eq!(tally.events, 0);
    assert_eq!(tally.rejected, ["bad_xml t.xml:1"]);
}
