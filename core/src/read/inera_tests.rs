use super::*;
use serde_json::{Value as Json, json};
use std::io::{BufReader, Cursor, Read};

fn records_with(text: &[u8], options: &ReadOptions) -> Vec<Record> {
    let input: Input = Box::new(Cursor::new(text.to_vec()));
    read(input, "t.xml", options).collect()
}

fn records(text: &str) -> Vec<Record> {
    records_with(text.as_bytes(), &ReadOptions::default())
}

fn mapped(records: &[Record]) -> Vec<Json> {
    records
        .iter()
        .map(|r| match r {
            Record::Event(e) => serde_json::to_value(e).unwrap_or_default(),
            Record::Rejected(r) => json!(format!("{} {}: {}", r.code.name, r.location, r.message)),
            Record::Ignored(kind) => json!(format!("ignored {kind}")),
        })
        .collect()
}

fn sample(name: &str) -> Vec<u8> {
    let path = format!("{}/../tests/data/inera/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(path).unwrap_or_default()
}

/// One log record in the `urn:riv:ehr:log:1` namespace, with `activity`
/// and `resources` as written.
fn log(activity: &str, resources: &str) -> String {
    format!(
        "<Log xmlns=\"urn:riv:ehr:log:1\"><LogId>L1</LogId>\
         <System><SystemId>S</SystemId></System>\
         <Activity>{activity}</Activity>\
         <User><UserId>U</UserId><CareProvider><CareProviderId>CP</CareProviderId>\
         </CareProvider><CareUnit><CareUnitId>CU</CareUnitId></CareUnit></User>\
         <Resources>{resources}</Resources></Log>"
    )
}

const ACTIVITY: &str = "<ActivityType>Läsa</ActivityType><StartDate>2026-03-02T09:15:00</StartDate>\
                        <Purpose>Vård och behandling</Purpose>";
const RESOURCE: &str = "<Resource><ResourceType>Journaltext</ResourceType><Patient>\
                        <PatientId>191212121212</PatientId></Patient><CareProvider>\
                        <CareProviderId>CP</CareProviderId></CareProvider></Resource>";

#[test]
fn a_store_log_request_gives_one_event_per_resource() {
    let expected = [
        json!({
            "id": "5e0d8a4c-1f2b-4c3d-9e8f-0a1b2c3d4e01#1", "time": "2026-03-02T08:15:00Z",
            "user": "SE2321000131-P000000012345", "action": "read",
            "patient": "191212121212", "unit": "SE2321000131-E000000000111",
            "resource": "Journaltext", "purpose": "Vård och behandling",
            "system": "SE2321000131-S000000000050", "activity": "Läsa",
            "activity_level": "Journaltext", "system_name": "Journalsystem Väst",
            "user_name": "Anna Berg", "assignment": "Sjuksköterska på medicinavdelning 3",
            "title": "Sjuksköterska", "care_provider": "SE2321000131-E000000000001",
            "unit_name": "Medicinavdelning 3", "resource_unit": "SE2321000131-E000000000111",
            "resource_care_provider": "SE2321000131-E000000000001"
        }),
        json!({
            "id": "5e0d8a4c-1f2b-4c3d-9e8f-0a1b2c3d4e01#2", "time": "2026-03-02T08:15:00Z",
            "user": "SE2321000131-P000000012345", "action": "read",
            "patient": "191212121212", "unit": "SE2321000131-E000000000111",
            "resource": "Kemlabbsvar", "purpose": "Vård och behandling",
            "system": "SE2321000131-S000000000050", "activity": "Läsa",
            "activity_level": "Journaltext", "system_name": "Journalsystem Väst",
            "user_name": "Anna Berg", "assignment": "Sjuksköterska på medicinavdelning 3",
            "title": "Sjuksköterska", "care_provider": "SE2321000131-E000000000001",
            "unit_name": "Medicinavdelning 3", "resource_unit": "SE2321000131-E000000000222",
            "resource_care_provider": "SE2321000131-E000000000001"
        }),
        json!({
            "id": "5e0d8a4c-1f2b-4c3d-9e8f-0a1b2c3d4e02#1", "time": "2026-03-02T22:40:12Z",
            "user": "SE2321000131-P000000067890", "action": "emergency_access",
            "patient": "199001012385", "unit": "SE2321000131-E000000000333",
            "resource": "Översikt", "purpose": "Vård och behandling",
            "system": "SE2321000131-S000000000050", "activity": "Nödöppning",
            "user_name": "Erik Lund", "care_provider": "SE2321000131-E000000000001",
            "resource_care_provider": "SE2321000131-E000000000002"
        }),
        json!({
            "id": "5e0d8a4c-1f2b-4c3d-9e8f-0a1b2c3d4e03#1", "time": "2026-03-03T09:05:00Z",
            "user": "SE2321000131-P000000012345", "action": "print",
            "patient": "191212121212", "unit": "SE2321000131-E000000000111",
            "resource": "Remiss", "purpose": "Administration",
            "system": "SE2321000131-S000000000050", "activity": "Utskrift",
            "care_provider": "SE2321000131-E000000000001",
            "resource_unit": "SE2321000131-E000000000111",
            "resource_care_provider": "SE2321000131-E000000000001"
        }),
    ];
    let got = mapped(&records_with(
        &sample("store-log-request.xml"),
        &ReadOptions::default(),
    ));
    assert_eq!(got, expected);
}

#[test]
fn a_query_answer_with_default_namespaces_reads_the_same_way() {
    let expected = json!({
        "id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c01#1", "time": "2026-03-29T01:30:00Z",
        "user": "SE2321000131-P000000024680", "action": "write", "patient": "191212121212",
        "unit": "SE2321000131-E000000000111", "resource": "Journaltext",
        "purpose": "Vård och behandling", "system": "SE2321000131-S000000000077",
        "activity": "Skriva", "system_name": "Nationell patientöversikt",
        "care_provider": "SE2321000131-E000000000001",
        "resource_care_provider": "SE2321000131-E000000000001"
    });
    let got = mapped(&records_with(
        &sample("logs-for-care-provider.xml"),
        &ReadOptions::default(),
    ));
    assert_eq!(got, [expected]);
}

#[test]
fn activity_types_become_english_verbs() {
    let cases = [
        ("Läsa", "read"),
        ("LÄSA", "read"),
        (" Skriva ", "write"),
        ("Signera", "sign"),
        ("Utskrift", "print"),
        ("Vidimera", "attest"),
        ("Radera", "delete"),
        ("Nödöppning", "emergency_access"),
        ("Export", "export"),
        ("Print", "print"),
        ("Dokumentera", "dokumentera"),
    ];
    for (activity, action) in cases {
        let text = log(&ACTIVITY.replace("Läsa", activity), RESOURCE);
        let got = mapped(&records(&text));
        assert_eq!(got[0]["action"], json!(action), "{activity}");
        assert_eq!(got[0]["activity"], json!(activity.trim()), "{activity}");
    }
}

#[test]
fn each_fault_of_a_log_record_is_one_rejection() {
    let no_time = ACTIVITY.replace("<StartDate>2026-03-02T09:15:00</StartDate>", "");
    let bad_time = ACTIVITY.replace("2026-03-02T09:15:00", "igår");
    let no_type = ACTIVITY.replace("<ActivityType>Läsa</ActivityType>", "<ActivityType/>");
    let cases = [
        (
            log(&no_time, RESOURCE),
            "missing_field t.xml#1: required element `StartDate` is missing",
        ),
        (
            log(&bad_time, RESOURCE),
            "bad_time t.xml#1: `StartDate` is not a timestamp: `igår`",
        ),
        (
            log(&no_type, RESOURCE),
            "missing_field t.xml#1: required element `ActivityType` is missing",
        ),
        (
            log(ACTIVITY, ""),
            "missing_field t.xml#1: the log record has no `Resources/Resource`",
        ),
        (
            log(ACTIVITY, RESOURCE).replace("<UserId>U</UserId>", ""),
            "missing_field t.xml#1: required element `UserId` is missing",
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(mapped(&records(&text)), [json!(expected)], "{text}");
    }
}

#[test]
fn later_log_records_are_read_after_a_rejected_one() {
    let bad = log(&ACTIVITY.replace("2026-03-02T09:15:00", "x"), RESOURCE);
    let good = log(ACTIVITY, RESOURCE);
    let text = format!("<Logs xmlns=\"urn:riv:ehr:log:querying:1\">{bad}{good}</Logs>");
    let got: Vec<String> = records(&text)
        .iter()
        .map(|r| match r {
            Record::Event(e) => format!("event {}", e.id.as_deref().unwrap_or("-")),
            Record::Rejected(r) => format!("{} {}", r.code.name, r.location),
            Record::Ignored(kind) => kind.clone(),
        })
        .collect();
    assert_eq!(got, ["bad_time t.xml#1", "event L1#1"]);
}

#[test]
fn a_log_element_as_the_root_and_entities_in_text() {
    let text = log(
        &ACTIVITY.replace("Vård och behandling", "Vård &amp; behandling &#x2013; akut"),
        RESOURCE,
    );
    let got = mapped(&records(&text));
    assert_eq!(got[0]["purpose"], json!("Vård & behandling – akut"));
    let cdata = log(
        &ACTIVITY.replace("Vård och behandling", "<![CDATA[a <b>]]>"),
        RESOURCE,
    );
    assert_eq!(mapped(&records(&cdata))[0]["purpose"], json!("a <b>"));
}

#[test]
fn broken_xml_ends_the_file_with_one_rejection() {
    let good = log(ACTIVITY, RESOURCE);
    let text = format!("<Logs>\n{good}\n<Log><LogId>x</Logid></Log>\n{good}</Logs>");
    let got = mapped(&records(&text));
    assert_eq!(got.len(), 2);
    assert_eq!(got[0]["id"], json!("L1#1"));
    let message = got[1].as_str().unwrap_or_default();
    assert!(
        message.starts_with("bad_xml t.xml:3: not well-formed XML: "),
        "{message}"
    );
    assert!(
        message.ends_with("; the rest of the file is not read"),
        "{message}"
    );
}

#[test]
fn invalid_utf8_is_rejected() {
    let mut text = b"<Logs xmlns=\"urn:riv:ehr:log:1\">\n<Log><LogId>\xff</LogId>".to_vec();
    text.extend_from_slice(b"</Log></Logs>");
    let got = mapped(&records_with(&text, &ReadOptions::default()));
    assert_eq!(
        got,
        [json!(
            "invalid_utf8 t.xml:2: the file is not valid UTF-8; the rest of the file is not read"
        )]
    );
}

#[test]
fn empty_input_and_documents_without_logs_give_nothing() {
    assert!(records("").is_empty());
    assert!(records("<?xml version=\"1.0\"?>\n").is_empty());
    let response = "<StoreLogResponse xmlns=\"urn:riv:ehr:log:store:StoreLogResponder:1\">\
                    <StoreLog><ResultCode>OK</ResultCode></StoreLog></StoreLogResponse>";
    assert!(records(response).is_empty());
}

#[test]
fn an_over_long_log_record_is_rejected() {
    let options = ReadOptions {
        max_record_bytes: 2000,
        ..ReadOptions::default()
    };
    let long = ACTIVITY.replace("Vård och behandling", &"x".repeat(5000));
    let text = format!(
        "<Logs>{}{}</Logs>",
        log(ACTIVITY, RESOURCE),
        log(&long, RESOURCE)
    );
    let got = mapped(&records_with(text.as_bytes(), &options));
    assert_eq!(got[0]["id"], json!("L1#1"));
    assert_eq!(
        got[1],
        json!(
            "line_too_long t.xml#2: the log record is over the limit of 2000 bytes; the rest \
               of the file is not read"
        )
    );
}

/// A reader that fails on every call.
struct Failing;

impl Read for Failing {
    fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
        Err(std::io::Error::other("disk gone"))
    }
}

#[test]
fn a_read_failure_ends_reading() {
    let input: Input = Box::new(BufReader::new(Failing));
    let got: Vec<Record> = read(input, "t.xml", &ReadOptions::default()).collect();
    assert_eq!(
        mapped(&got),
        [json!("read_failed t.xml:1: read failed: disk gone")]
    );
}

#[test]
fn sniff_looks_for_the_namespace() {
    assert!(sniff(&String::from_utf8_lossy(&sample(
        "store-log-request.xml"
    ))));
    assert!(sniff(&String::from_utf8_lossy(&sample(
        "logs-for-care-provider.xml"
    ))));
    assert!(!sniff(
        "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">"
    ));
}

#[test]
fn detection_chooses_inera() {
    use crate::read::Format;
    for name in ["store-log-request.xml", "logs-for-care-provider.xml"] {
        assert_eq!(Format::detect_bytes(&sample(name)), Format::Inera, "{name}");
    }
}
