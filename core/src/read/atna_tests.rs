#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on any surprise"
)]

use super::*;
use crate::event::Value;
use crate::read::Format;
use std::io::{Cursor, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/atna/");

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

fn text(frames: &str, limit: usize) -> Vec<Record> {
    let input: Input = Box::new(Cursor::new(frames.as_bytes().to_vec()));
    read(input, "t.log", &options(limit)).collect()
}

fn only_event(records: &[Record]) -> &Event {
    match records {
        [Record::Event(event)] => event,
        other => panic!("{other:?}"),
    }
}

/// Each record as `event USER`, `ignored KIND` or `REASON LOCATION`.
fn summary(records: &[Record]) -> Vec<String> {
    records
        .iter()
        .map(|r| match r {
            Record::Event(e) => format!("event {}", e.user),
            Record::Ignored(kind) => format!("ignored {kind}"),
            Record::Rejected(r) => format!("{} {}", r.code.name, r.location),
        })
        .collect()
}

fn attributes(event: &Event) -> Vec<(&str, &str)> {
    event
        .attributes
        .iter()
        .map(|(name, value)| match value {
            Value::Text(text) => (name.as_str(), text.as_str()),
            other => panic!("{other:?}"),
        })
        .collect()
}

fn ip(event: &Event) -> Option<String> {
    event.ip.map(|ip| ip.to_string())
}

/// A small audit message in the RFC 3881 style.
fn message(outcome: &str, extra: &str) -> String {
    format!(
        "<AuditMessage>\n\
         <EventIdentification EventActionCode=\"R\" EventDateTime=\"2026-03-02T08:15:00+01:00\" \
         EventOutcomeIndicator=\"{outcome}\">\n\
         <EventID code=\"110110\" codeSystemName=\"DCM\" displayName=\"Patient Record\"/>\n\
         {extra}\
         </EventIdentification>\n\
         <ActiveParticipant UserID=\"u17\" UserIsRequestor=\"true\" \
         NetworkAccessPointID=\"ws-17.ward\" NetworkAccessPointTypeCode=\"1\"/>\n\
         <AuditSourceIdentification AuditSourceID=\"ehr\" AuditEnterpriseSiteID=\"ward-3\"/>\n\
         <ParticipantObjectIdentification ParticipantObjectID=\"p42\" \
         ParticipantObjectTypeCode=\"1\" ParticipantObjectTypeCodeRole=\"1\"/>\n\
         </AuditMessage>\n"
    )
}

fn frame(message: &str) -> String {
    format!("<85>1 2026-03-02T07:15:01Z host-a app 7 IHE+RFC-3881 - {message}")
}

#[test]
fn dicom_style_login() {
    let records = file("openhim_atna_syslog_testAuditIHEDICOM.txt");
    let event = only_event(&records);
    assert_eq!(event.time.to_rfc3339(), "2013-10-17T21:12:04.287+00:00");
    assert_eq!(event.user, "farley.granger@wb.com");
    assert_eq!(event.action, "login");
    assert_eq!(event.outcome, Some(Outcome::Success));
    assert_eq!(ip(event).as_deref(), Some("125.20.175.12"));
    assert_eq!(event.system.as_deref(), Some("farley.granger@wb.com"));
    assert_eq!(event.unit.as_deref(), Some("End User"));
    assert_eq!(
        (event.id.as_deref(), event.patient.as_deref()),
        (None, None)
    );
    let expected = [
        ("atna_action", "E"),
        ("atna_event_id", "110114"),
        ("atna_event_type", "110122"),
    ];
    assert_eq!(attributes(event), expected);
}

#[test]
fn rfc_3881_style_login_reads_the_same() {
    let records = file("openhim_atna_syslog_testAuditIHERFC3881.txt");
    let event = only_event(&records);
    assert_eq!(event.time.to_rfc3339(), "2010-12-17T21:12:04.287+00:00");
    assert_eq!(event.user, "farley.granger@wb.com");
    assert_eq!(event.action, "login");
    assert_eq!(event.outcome, Some(Outcome::Success));
    assert_eq!(ip(event).as_deref(), Some("125.20.175.12"));
    assert_eq!(event.system.as_deref(), Some("farley.granger@wb.com"));
    assert_eq!(event.unit.as_deref(), Some("End User"));
}

#[test]
fn pix_query_by_a_mediator() {
    let records = file("openhim_atna_syslog_testAuditMessage.txt");
    let event = only_event(&records);
    assert_eq!(event.time.to_rfc3339(), "2015-03-05T10:52:31.356+00:00");
    // No participant is a person, so the requesting application is the user.
    assert_eq!(event.user, "openhim-mediator-ohie-xds|openhim");
    assert_eq!(event.action, "search");
    assert_eq!(event.outcome, Some(Outcome::Success));
    let patient = "fc133984036647e^^^&1.3.6.1.4.1.21367.2005.13.20.3000&ISO";
    assert_eq!(event.patient.as_deref(), Some(patient));
    assert_eq!(ip(event).as_deref(), Some("192.168.1.111"));
    assert_eq!(event.system.as_deref(), Some("openhim"));
    assert_eq!(event.unit, None);
    let expected = [
        ("atna_action", "E"),
        ("atna_event_id", "110112"),
        ("atna_event_type", "ITI-9"),
    ];
    assert_eq!(attributes(event), expected);
}

#[test]
fn every_file_is_detected() {
    let names = std::fs::read_dir(DATA).unwrap().map(|e| e.unwrap().path());
    let mut frames = names
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect::<Vec<_>>();
    frames.sort();
    assert_eq!(frames.len(), 3);
    for path in frames {
        assert_eq!(Format::detect(&path), Format::Atna, "{}", path.display());
    }
}

#[test]
fn sniff_needs_a_frame_and_an_audit_message() {
    assert!(sniff(&frame(&message("0", ""))));
    assert!(sniff(&format!("\n\n12 {}", frame("<AuditMessage/>"))));
    assert!(!sniff("<85>1 - - - - - - hello"));
    assert!(!sniff("<AuditMessage>"));
    assert!(!sniff("<85> 2026-03-02 <AuditMessage>"));
}

#[test]
fn a_patient_record_read_with_every_field() {
    let records = text(&frame(&message("0", "")), 1 << 20);
    let event = only_event(&records);
    assert_eq!(event.time.to_rfc3339(), "2026-03-02T07:15:00+00:00");
    assert_eq!(event.user, "u17");
    assert_eq!(event.action, "read");
    assert_eq!(event.patient.as_deref(), Some("p42"));
    assert_eq!(event.unit.as_deref(), Some("ward-3"));
    assert_eq!(event.system.as_deref(), Some("ehr"));
    assert_eq!(event.ip, None);
    let expected = [
        ("atna_action", "R"),
        ("atna_event_id", "110110"),
        ("host", "ws-17.ward"),
    ];
    assert_eq!(attributes(event), expected);
}

#[test]
fn outcomes() {
    let denied = "<EventOutcomeDescription>Access denied</EventOutcomeDescription>\n";
    let cases = [
        ("0", "", "event u17"),
        ("8", "", "event u17"),
        ("4", denied, "event u17"),
        ("3", "", "bad_outcome t.log:1"),
    ];
    let mut outcomes = Vec::new();
    for (code, extra, expected) in cases {
        let records = text(&frame(&message(code, extra)), 1 << 20);
        assert_eq!(summary(&records), [expected]);
        if let [Record::Event(event)] = records.as_slice() {
            outcomes.push(event.outcome.map(|o| o.as_str()));
        }
    }
    assert_eq!(outcomes, [Some("success"), Some("failure"), Some("denied")]);
}

#[test]
fn the_action_comes_from_type_then_id_then_action_code() {
    let logout = "<EventTypeCode csd-code=\"110123\" codeSystemName=\"DCM\"/>\n";
    let other_system = "<EventTypeCode code=\"110123\" codeSystemName=\"Local\"/>\n";
    let cases = [(logout, "logout"), (other_system, "read"), ("", "read")];
    for (extra, action) in cases {
        let records = text(&frame(&message("0", extra)), 1 << 20);
        assert_eq!(only_event(&records).action, action, "{extra}");
    }
    let unknown = message("0", "").replace("EventActionCode=\"R\" ", "");
    assert_eq!(
        summary(&text(&frame(&unknown), 1 << 20)),
        ["missing_field t.log:1"]
    );
}

#[test]
fn the_syslog_timestamp_stands_in_for_a_missing_event_time() {
    let undated = message("0", "").replace("EventDateTime=\"2026-03-02T08:15:00+01:00\" ", "");
    let records = text(&frame(&undated), 1 << 20);
    assert_eq!(
        only_event(&records).time.to_rfc3339(),
        "2026-03-02T07:15:01+00:00"
    );

    let no_times = format!("<85>1 - host-a app 7 - - {undated}");
    assert_eq!(
        summary(&text(&no_times, 1 << 20)),
        ["missing_field t.log:1"]
    );
}

#[test]
fn a_person_is_preferred_to_an_application_or_an_address() {
    let participants = "<ActiveParticipant UserID=\"10.0.0.5\" UserIsRequestor=\"true\" \
                        NetworkAccessPointID=\"10.0.0.5\" NetworkAccessPointTypeCode=\"2\"/>\n\
                        <ActiveParticipant UserID=\"ehr-app\" UserIsRequestor=\"true\">\
                        <RoleIDCode csd-code=\"110150\" codeSystemName=\"DCM\"/>\
                        </ActiveParticipant>\n\
                        <ActiveParticipant UserID=\"nurse.berg\" UserIsRequestor=\"true\"/>\n";
    let xml = message("0", "").replace(
        "<ActiveParticipant UserID=\"u17\" UserIsRequestor=\"true\" \
         NetworkAccessPointID=\"ws-17.ward\" NetworkAccessPointTypeCode=\"1\"/>\n",
        participants,
    );
    let records = text(&frame(&xml), 1 << 20);
    let event = only_event(&records);
    assert_eq!(event.user, "nurse.berg");
    assert_eq!(ip(event).as_deref(), Some("10.0.0.5"));
}

#[test]
fn two_frames_in_one_file_each_spanning_lines() {
    let first = frame(&message("0", ""));
    let second = frame(&message("8", "")).replace("u17", "u18");
    let input = format!("{first}{second}\n");
    let records = text(&input, 1 << 20);
    assert_eq!(summary(&records), ["event u17", "event u18"]);

    // A blank line between frames; the second frame's XML is cut short.
    let line = first.lines().count() + 2;
    let broken = format!("{first}\n{}", second.replace("</AuditMessage>", ""));
    let expected = ["event u17".to_string(), format!("bad_xml t.log:{line}")];
    assert_eq!(summary(&text(&broken, 1 << 20)), expected);
}

#[test]
fn octet_counted_frames() {
    let first = frame(&message("0", ""));
    let second = frame(&message("0", "")).replace("u17", "u18");
    let input = format!("{} {first}{} {second}", first.len(), second.len());
    assert_eq!(summary(&text(&input, 1 << 20)), ["event u17", "event u18"]);

    let cut = &input[..input.len() - 10];
    let records = text(cut, 1 << 20);
    // The first frame ends with a newline, so the second starts a line.
    let line = first.lines().count() + 1;
    assert_eq!(
        summary(&records),
        ["event u17".to_string(), format!("bad_syslog t.log:{line}")]
    );
}

#[test]
fn broken_xml_is_rejected_with_its_line() {
    let broken = message("0", "").replace("</EventIdentification>", "</EventIdentificatio>");
    let records = text(&frame(&broken), 1 << 20);
    assert_eq!(summary(&records), ["bad_xml t.log:1"]);
    let Record::Rejected(rejection) = &records[0] else {
        panic!("{records:?}");
    };
    assert!(
        rejection.message.contains("on line 4"),
        "{}",
        rejection.message
    );
}

#[test]
fn other_messages_are_ignored() {
    let plain = "<13>1 2026-03-02T07:15:01Z host-a sshd 7 - - session opened\n";
    let other_xml = frame("<Alert><Text>disk full</Text></Alert>\n");
    let records = text(&format!("{plain}{other_xml}"), 1 << 20);
    assert_eq!(
        summary(&records),
        ["ignored atna:other", "ignored atna:other"]
    );
}

#[test]
fn bad_frames_are_rejected_and_reading_goes_on() {
    let good = frame(&message("0", ""));
    let input = format!("garbage before\n{good}<999>1 - - - - - - x\n");
    let line = good.lines().count() + 2;
    let expected = [
        "bad_syslog t.log:1".to_string(),
        "event u17".to_string(),
        format!("bad_syslog t.log:{line}"),
    ];
    assert_eq!(summary(&text(&input, 1 << 20)), expected);
}

#[test]
fn a_frame_over_the_limit_is_skipped() {
    let big = frame(&message("0", &format!("<!-- {} -->\n", "x".repeat(3000))));
    let small = frame(&message("0", ""));
    let records = text(&format!("{big}{small}"), 1500);
    assert_eq!(summary(&records), ["line_too_long t.log:1", "event u17"]);
}

#[test]
fn nothing_is_read_before_the_first_record_is_asked_for() {
    let touched = Arc::new(AtomicBool::new(false));
    let input: Input = Box::new(super::super::test_support::Watched {
        inner: Cursor::new(frame(&message("0", "")).into_bytes()),
        touched: Arc::clone(&touched),
    });
    let mut records = read(input, "t.log", &ReadOptions::default());
    assert!(!touched.load(Ordering::SeqCst));
    assert!(matches!(records.next(), Some(Record::Event(_))));
    assert!(touched.load(Ordering::SeqCst));
}

#[test]
fn a_read_failure_ends_reading() {
    let start = format!("{}\n", frame(&message("0", "")));
    let input: Input =
        Box::new(Cursor::new(start.into_bytes()).chain(super::super::test_support::Broken));
    let records: Vec<Record> = read(input, "t.log", &ReadOptions::default()).collect();
    // The frame in reading is not known to be whole, so only the failure
    // is reported, at the line reading stopped on.
    assert_eq!(summary(&records), ["read_failed t.log:10"]);
}

#[test]
fn byte_order_mark_and_crlf_line_ends() {
    let first = frame(&message("0", "")).replace('\n', "\r\n");
    let second = first.replace("u17", "u18");
    let input = format!("\u{feff}{first}{second}");
    assert_eq!(summary(&text(&input, 1 << 20)), ["event u17", "event u18"]);
}
