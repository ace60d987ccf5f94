use super::*;
use serde_json::json;
use std::fs::File;
use std::io::BufReader;

const EXAMPLES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/data/fhir-r4-auditevent/"
);

fn records_with(text: &str, options: &ReadOptions) -> Vec<Record> {
    read(Cursor::new(text.as_bytes().to_vec()), "t", options).collect()
}

fn records(text: &str) -> Vec<Record> {
    records_with(text, &ReadOptions::default())
}

/// One line per record: the event's id, or the rejection's reason and place.
fn summary(records: &[Record]) -> Vec<String> {
    records
        .iter()
        .map(|r| match r {
            Record::Event(e) => format!("event {}", e.id.as_deref().unwrap_or(&e.user)),
            Record::Rejected(r) => format!("{} {}", r.code.name, r.location),
            Record::Ignored(kind) => format!("ignored {kind}"),
        })
        .collect()
}

/// The one event an example file gives, as JSON, or a description of what
/// came instead.
fn example(name: &str) -> Json {
    let path = format!("{EXAMPLES}{name}");
    let records: Vec<Record> = match File::open(&path) {
        Ok(file) => read(BufReader::new(file), name, &ReadOptions::default()).collect(),
        Err(e) => return json!(format!("cannot open {path}: {e}")),
    };
    match records.as_slice() {
        [Record::Event(event)] => serde_json::to_value(event).unwrap_or_default(),
        other => json!(format!("{other:?}")),
    }
}

/// A small valid AuditEvent to vary.
fn audit() -> Json {
    json!({
        "resourceType": "AuditEvent",
        "id": "a1",
        "recorded": "2026-03-01T08:00:00Z",
        "action": "R",
        "agent": [{"requestor": true, "who": {"identifier": {"value": "u1"}}}]
    })
}

/// `base` with member `name` set to `value`, or removed when it is null.
fn with(mut base: Json, name: &str, value: Json) -> Json {
    if let Json::Object(members) = &mut base {
        if value.is_null() {
            members.remove(name);
        } else {
            members.insert(name.to_string(), value);
        }
    }
    base
}

fn map(resource: &Json) -> Result<Event, String> {
    let Json::Object(members) = resource else {
        return Err("not an object".into());
    };
    audit_event(members, chrono_tz::Europe::Stockholm).map_err(|e| e.code.name.to_string())
}

fn mapped(resource: &Json, field: &str) -> Json {
    match map(resource) {
        Ok(event) => serde_json::to_value(event).unwrap_or_default()[field].clone(),
        Err(reason) => json!(format!("rejected: {reason}")),
    }
}

fn ndjson(lines: &[Json]) -> String {
    lines.iter().map(|line| format!("{line}\n")).collect()
}

// The nine HL7 examples, field by field.

#[test]
fn example_login() {
    let expected = json!({
        "id": "example-login",
        "time": "2013-06-20T23:41:23Z",
        "user": "95",
        "action": "login",
        "outcome": "success",
        "ip": "127.0.0.1",
        "unit": "Cloud",
        "system": "hl7connect.healthintersections.com.au",
        "fhir_type": "110114",
        "fhir_subtype": "110122"
    });
    assert_eq!(example("AuditEvent-example-login.json"), expected);
}

#[test]
fn example_logout() {
    let expected = json!({
        "id": "example-logout",
        "time": "2013-06-20T23:46:41Z",
        "user": "95",
        "action": "logout",
        "outcome": "success",
        "ip": "127.0.0.1",
        "unit": "Cloud",
        "system": "hl7connect.healthintersections.com.au",
        "fhir_type": "110114",
        "fhir_subtype": "110123"
    });
    assert_eq!(example("AuditEvent-example-logout.json"), expected);
}

#[test]
fn example_search() {
    let expected = json!({
        "id": "example-search",
        "time": "2015-08-22T23:42:24Z",
        "user": "95",
        "action": "search",
        "outcome": "success",
        "unit": "Cloud",
        "system": "hl7connect.healthintersections.com.au",
        "host": "Workstation1.ehr.familyclinic.com",
        "fhir_type": "rest",
        "fhir_subtype": "search"
    });
    assert_eq!(example("AuditEvent-example-search.json"), expected);
}

#[test]
fn example_pix_query() {
    let expected = json!({
        "id": "example-pixQuery",
        "time": "2015-08-26T23:42:24Z",
        "user": "95",
        "action": "search",
        "outcome": "success",
        "patient": "e3cdfc81a0d24bd^^^&2.16.840.1.113883.4.2&ISO",
        "system": "hl7connect.healthintersections.com.au",
        "host": "Workstation1.ehr.familyclinic.com",
        "fhir_type": "110112",
        "fhir_subtype": "ITI-9"
    });
    assert_eq!(example("AuditEvent-example-pixQuery.json"), expected);
}

#[test]
fn example_rest() {
    let expected = json!({
        "id": "example-rest",
        "time": "2013-06-20T23:42:24Z",
        "user": "95",
        "action": "read",
        "outcome": "success",
        "patient": "example",
        "unit": "Cloud",
        "resource": "Patient",
        "system": "hl7connect.healthintersections.com.au",
        "host": "Workstation1.ehr.familyclinic.com",
        "fhir_entity": "Patient/example/_history/1",
        "fhir_type": "rest",
        "fhir_subtype": "vread"
    });
    assert_eq!(example("AuditEvent-example-rest.json"), expected);
}

#[test]
fn example_disclosure() {
    let expected = json!({
        "id": "example-disclosure",
        "time": "2013-09-22T00:08:00Z",
        "user": "SomeIdiot@nowhere",
        "action": "export",
        "outcome": "success",
        "patient": "example",
        "unit": "1",
        "resource": "Patient",
        "purpose": "HMARKT",
        "system": "Watchers Accounting of Disclosures Application",
        "host": "custodian.net",
        "fhir_entity": "Patient/example/_history/1",
        "fhir_type": "110106",
        "fhir_subtype": "Disclosure",
        "outcome_desc": "Successful  Disclosure"
    });
    assert_eq!(example("AuditEvent-example-disclosure.json"), expected);
}

#[test]
fn example_media() {
    let expected = json!({
        "id": "example-media",
        "time": "2015-08-27T23:42:24Z",
        "user": "95",
        "action": "export",
        "outcome": "success",
        "patient": "e3cdfc81a0d24bd^^^&2.16.840.1.113883.4.2&ISO",
        "resource": "DocumentManifest",
        "system": "hl7connect.healthintersections.com.au",
        "fhir_entity": "DocumentManifest/example",
        "fhir_type": "110106",
        "fhir_subtype": "ITI-32"
    });
    assert_eq!(example("AuditEvent-example-media.json"), expected);
}

#[test]
fn example_error() {
    let expected = json!({
        "id": "example-error",
        "time": "2017-09-07T23:42:24Z",
        "user": "95",
        "action": "create",
        "outcome": "failure",
        "unit": "Cloud",
        "resource": "OperationOutcome",
        "system": "hl7connect.healthintersections.com.au",
        "host": "Workstation1.ehr.familyclinic.com",
        "fhir_type": "rest",
        "fhir_subtype": "create",
        "outcome_desc": "Invalid request to create an Operation resource on the Patient endpoint."
    });
    assert_eq!(example("AuditEvent-example-error.json"), expected);
}

#[test]
fn example_generic() {
    let expected = json!({
        "id": "example",
        "time": "2012-10-25T11:04:27Z",
        "user": "Grahame",
        "action": "execute",
        "outcome": "success",
        "ip": "127.0.0.1",
        "unit": "Development",
        "system": "Grahame's Laptop",
        "fhir_type": "110100",
        "fhir_subtype": "110120"
    });
    assert_eq!(example("AuditEvent-example.json"), expected);
}

// Input shapes and locations.

#[test]
fn bundle_entries_are_records_from_one() {
    let bundle = json!({
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [
            {"resource": with(audit(), "id", json!("b1"))},
            {"resource": {"resourceType": "OperationOutcome", "issue": []}},
            {"resource": with(audit(), "id", json!("b2"))}
        ]
    });
    let pretty = serde_json::to_string_pretty(&bundle).unwrap_or_default();
    let expected = ["event b1", "ignored fhir:OperationOutcome", "event b2"];
    assert_eq!(summary(&records(&pretty)), expected);
    assert_eq!(summary(&records(&bundle.to_string())), expected);
}

#[test]
fn bundle_entry_faults_are_located() {
    let bundle = json!({
        "resourceType": "Bundle",
        "entry": [
            {"request": {"method": "DELETE"}},
            [1],
            {"resource": {"resourceType": "Bundle"}},
            {"resource": with(audit(), "recorded", Json::Null)},
            {"resource": {"id": "x"}}
        ]
    });
    let expected = [
        "missing_field t#1",
        "not_an_object t#2",
        "unsupported_resource t#3",
        "missing_field t#4",
        "missing_field t#5",
    ];
    assert_eq!(summary(&records(&bundle.to_string())), expected);
}

#[test]
fn empty_bundle_and_empty_input_give_nothing() {
    assert!(records(r#"{"resourceType": "Bundle", "type": "searchset"}"#).is_empty());
    assert!(records(" \n\n ").is_empty());
    let bad = summary(&records(r#"{"resourceType": "Bundle", "entry": {}}"#));
    assert_eq!(bad, ["wrong_type t"]);
}

#[test]
fn ndjson_bad_line_is_rejected_and_the_others_read() {
    let first = with(audit(), "id", json!("n1"));
    let last = with(audit(), "id", json!("n4"));
    let text = format!("{first}\n{{\"resourceType\": \"AuditEvent\",\n\n{last}\n");
    assert_eq!(
        summary(&records(&text)),
        ["event n1", "invalid_json t:2", "event n4"]
    );
}

#[test]
fn ndjson_bad_first_line_is_rejected_and_the_others_read() {
    let second = with(audit(), "id", json!("n2"));
    let text = format!("\n{{\"resourceType\": \n{second}\n[1]\n{{}}\n\u{1}\n");
    let expected = [
        "invalid_json t:2",
        "event n2",
        "not_an_object t:4",
        "missing_field t:5",
        "invalid_json t:6",
    ];
    assert_eq!(summary(&records(&text)), expected);
}

#[test]
fn ndjson_lines_of_other_resources_and_bundles() {
    let lines = [
        json!({"resourceType": "Patient", "id": "p"}),
        json!({"resourceType": "Bundle", "entry": []}),
        with(audit(), "id", json!("n3")),
    ];
    let expected = [
        "ignored fhir:Patient",
        "unsupported_resource t:2",
        "event n3",
    ];
    assert_eq!(summary(&records(&ndjson(&lines))), expected);
}

#[test]
fn ndjson_invalid_utf8_line_is_rejected() {
    let mut bytes = format!("{}\n", audit()).into_bytes();
    bytes.extend_from_slice(b"{\"id\": \"\xff\"}\n");
    bytes.extend_from_slice(format!("{}\n", audit()).as_bytes());
    let got: Vec<Record> = read(Cursor::new(bytes), "t", &ReadOptions::default()).collect();
    assert_eq!(summary(&got), ["event a1", "invalid_utf8 t:2", "event a1"]);
}

#[test]
fn over_long_lines_are_rejected_and_reading_goes_on() {
    let options = ReadOptions {
        max_record_bytes: 300,
        ..ReadOptions::default()
    };
    let long = with(audit(), "outcomeDesc", json!("x".repeat(400)));
    let text = ndjson(&[long.clone(), audit(), long, audit()]);
    let expected = [
        "line_too_long t:1",
        "event a1",
        "line_too_long t:3",
        "event a1",
    ];
    assert_eq!(summary(&records_with(&text, &options)), expected);
}

#[test]
fn single_resource_over_the_record_limit_is_rejected() {
    let options = ReadOptions {
        max_record_bytes: 300,
        ..ReadOptions::default()
    };
    let long = with(audit(), "outcomeDesc", json!("x".repeat(400)));
    let pretty = serde_json::to_string_pretty(&long).unwrap_or_default();
    assert_eq!(
        summary(&records_with(&pretty, &options)),
        ["line_too_long t#1"]
    );
}

#[test]
fn document_over_the_bound_is_rejected_without_reading_on() {
    let endless = Cursor::new(b"{\n".to_vec()).chain(BufReader::new(std::io::repeat(b' ')));
    let got: Vec<Record> = read(endless, "t", &ReadOptions::default()).collect();
    assert_eq!(summary(&got), ["line_too_long t"]);
}

#[test]
fn single_resource_is_record_one() {
    let pretty = serde_json::to_string_pretty(&audit()).unwrap_or_default();
    assert_eq!(summary(&records(&pretty)), ["event a1"]);
    let missing = serde_json::to_string_pretty(&with(audit(), "recorded", Json::Null));
    assert_eq!(
        summary(&records(&missing.unwrap_or_default())),
        ["missing_field t#1"]
    );
    let other = records(r#"{"resourceType": "OperationOutcome"}"#);
    assert_eq!(summary(&other), ["ignored fhir:OperationOutcome"]);
}

#[test]
fn invalid_json_document_is_one_rejection_at_its_line() {
    let text = "{\n  \"resourceType\": \"AuditEvent\",\n  \"id\": \"a1\"\n  \"action\": \"R\"\n}\n";
    assert_eq!(summary(&records(text)), ["invalid_json t:4"]);
    assert_eq!(summary(&records("{not json")), ["invalid_json t:1"]);
    assert_eq!(
        summary(&records("{\n\"id\": \"\u{1}\"}")),
        ["invalid_json t:2"]
    );
}

#[test]
fn byte_order_mark_is_skipped() {
    let pretty = serde_json::to_string_pretty(&audit()).unwrap_or_default();
    assert_eq!(
        summary(&records(&format!("\u{feff}{pretty}"))),
        ["event a1"]
    );
    let lines = format!("\u{feff}{}", ndjson(&[audit(), audit()]));
    assert_eq!(summary(&records(&lines)), ["event a1", "event a1"]);
}

#[test]
fn documents_that_are_not_resources_are_rejected() {
    assert_eq!(summary(&records("[1, 2]")), ["not_an_object t#1"]);
    assert_eq!(summary(&records("{\"id\": \"x\"}")), ["missing_field t#1"]);
    assert_eq!(
        summary(&records("{\"resourceType\": 5}")),
        ["wrong_type t#1"]
    );
    let bytes = b"{\n\"id\": \"\xff\"}".to_vec();
    let got: Vec<Record> = read(Cursor::new(bytes), "t", &ReadOptions::default()).collect();
    assert_eq!(summary(&got), ["invalid_utf8 t:2"]);
}

/// A reader that fails on every call.
struct Failing;

impl Read for Failing {
    fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
        Err(std::io::Error::other("disk gone"))
    }
}

#[test]
fn read_failure_is_reported_after_what_was_read() {
    let first = Cursor::new(format!("{}\n", audit()).into_bytes());
    let input = first.chain(BufReader::new(Failing));
    let got: Vec<Record> = read(input, "t", &ReadOptions::default()).collect();
    assert_eq!(summary(&got), ["event a1", "read_failed t:2"]);
    let got: Vec<Record> = read(BufReader::new(Failing), "t", &ReadOptions::default()).collect();
    assert_eq!(summary(&got), ["read_failed t:1"]);
}

// The mapping, element by element.

#[test]
fn recorded_is_required_and_read_in_the_zone() {
    let local = with(audit(), "recorded", json!("2026-01-15T08:00:00"));
    assert_eq!(mapped(&local, "time"), json!("2026-01-15T07:00:00Z"));
    let bad = with(audit(), "recorded", json!("yesterday"));
    assert_eq!(mapped(&bad, "time"), json!("rejected: bad_time"));
    let number = with(audit(), "recorded", json!(5));
    assert_eq!(mapped(&number, "time"), json!("rejected: wrong_type"));
}

#[test]
fn user_is_the_requestor_else_the_first_person() {
    let agents = json!([
        {"type": {"coding": [{"system": DICOM, "code": "110153"}]}, "who": {"display": "app"}},
        {"altId": "alt", "name": "Name"},
        {"requestor": true, "who": {"reference": "Practitioner/7", "display": "Dr"}}
    ]);
    assert_eq!(
        mapped(&with(audit(), "agent", agents.clone()), "user"),
        json!("Practitioner/7")
    );
    let mut unmarked = agents;
    unmarked[2]["requestor"] = json!(false);
    assert_eq!(
        mapped(&with(audit(), "agent", unmarked), "user"),
        json!("alt")
    );
    let only_name = json!([{"requestor": false, "name": "Name"}]);
    assert_eq!(
        mapped(&with(audit(), "agent", only_name), "user"),
        json!("Name")
    );
}

#[test]
fn no_usable_agent_is_missing_user() {
    let device = json!([{"type": {"coding": [{"code": "110153"}]}, "who": {"display": "app"}}]);
    for agents in [json!([]), json!([{"requestor": true}]), device] {
        let resource = with(audit(), "agent", agents);
        assert_eq!(mapped(&resource, "user"), json!("rejected: missing_field"));
    }
}

#[test]
fn action_from_subtype_then_type_then_code() {
    let cases = [
        (
            json!([{"system": REST, "code": "search-type"}]),
            json!({"code": "rest"}),
            "D",
            "search",
        ),
        (
            json!([{"code": "history-instance"}]),
            json!({"code": "rest"}),
            "E",
            "read",
        ),
        (
            json!([{"system": REST, "code": "patch"}]),
            json!({}),
            "E",
            "update",
        ),
        (
            json!([{"system": "urn:other", "code": "delete"}]),
            json!({}),
            "D",
            "delete",
        ),
        (
            json!([{"system": "urn:other", "code": "read"}]),
            json!({}),
            "C",
            "create",
        ),
        (
            json!([{"system": REST, "code": "operation"}]),
            json!({}),
            "E",
            "execute",
        ),
        (
            json!([]),
            json!({"system": DICOM, "code": "110114"}),
            "E",
            "login",
        ),
        (
            json!([]),
            json!({"system": DICOM, "code": "110107"}),
            "C",
            "import",
        ),
        (
            json!([]),
            json!({"system": DICOM, "code": "110110"}),
            "U",
            "update",
        ),
        (
            json!([]),
            json!({"system": DICOM, "code": "110112"}),
            "E",
            "search",
        ),
    ];
    for (subtype, kind, code, action) in cases {
        let resource = with(
            with(with(audit(), "subtype", subtype), "type", kind),
            "action",
            json!(code),
        );
        assert_eq!(mapped(&resource, "action"), json!(action), "{resource}");
    }
}

#[test]
fn unknown_action_is_rejected() {
    let unknown = with(audit(), "action", json!("X"));
    assert_eq!(mapped(&unknown, "action"), json!("rejected: missing_field"));
    let absent = with(audit(), "action", Json::Null);
    assert_eq!(mapped(&absent, "action"), json!("rejected: missing_field"));
}

#[test]
fn outcome_codes_and_denials() {
    let cases = [
        (json!({"outcome": "0"}), json!("success")),
        (json!({"outcome": "4"}), json!("failure")),
        (json!({"outcome": "12"}), json!("failure")),
        (
            json!({"outcome": "8", "outcomeDesc": "Access DENIED by policy"}),
            json!("denied"),
        ),
        (
            json!({"outcome": "0", "outcomeDesc": "not denied"}),
            json!("success"),
        ),
        (json!({"outcome": null}), Json::Null),
        (json!({"outcome": "2"}), json!("rejected: bad_outcome")),
        (json!({"outcome": 0}), json!("rejected: wrong_type")),
    ];
    for (members, expected) in cases {
        let mut resource = audit();
        for (name, value) in members.as_object().into_iter().flatten() {
            resource = with(resource, name, value.clone());
        }
        assert_eq!(mapped(&resource, "outcome"), expected, "{members}");
    }
}

#[test]
fn forbidden_issue_of_a_contained_outcome_is_denied() {
    let contained = json!([{"resourceType": "OperationOutcome", "issue": [{"code": "forbidden"}]}]);
    let resource = with(with(audit(), "outcome", json!("4")), "contained", contained);
    assert_eq!(mapped(&resource, "outcome"), json!("denied"));
}

#[test]
fn patient_by_role_then_by_reference() {
    let role = json!({"type": {"code": "1"}, "role": {"code": "1"}});
    let entities = json!([
        {"what": {"reference": "Observation/o1"}},
        {"what": {"reference": "https://ehr/fhir/Patient/p2/_history/3"}},
        {"what": {"reference": "Patient/p3", "identifier": {"value": "id3"}},
         "type": role["type"], "role": role["role"]}
    ]);
    let resource = with(audit(), "entity", entities.clone());
    assert_eq!(mapped(&resource, "patient"), json!("p3"));
    assert_eq!(mapped(&resource, "resource"), json!("Observation"));
    assert_eq!(mapped(&resource, "fhir_entity"), json!("Observation/o1"));

    let mut by_reference = entities;
    by_reference[2]["role"]["code"] = json!("4");
    let resource = with(audit(), "entity", by_reference);
    assert_eq!(mapped(&resource, "patient"), json!("p2"));
}

#[test]
fn address_unit_system_and_purpose() {
    let agents = json!([
        {"type": {"coding": [{"system": DICOM, "code": "110153"}]},
         "who": {"display": "ws"}, "network": {"address": "::ffff:10.1.2.3"}},
        {"requestor": true, "who": {"identifier": {"value": "u1"}},
         "location": {"reference": "Location/ward-7", "display": "Ward 7"},
         "purposeOfUse": [{"coding": [{"code": "TREAT"}]}]}
    ]);
    let source = json!({"site": "Site", "observer": {"display": "EHR", "reference": "Device/1"}});
    let resource = with(with(audit(), "agent", agents), "source", source);
    assert_eq!(mapped(&resource, "ip"), json!("10.1.2.3"));
    assert_eq!(mapped(&resource, "unit"), json!("ward-7"));
    assert_eq!(mapped(&resource, "system"), json!("EHR"));
    assert_eq!(mapped(&resource, "purpose"), json!("TREAT"));
}

#[test]
fn reference_helpers() {
    assert_eq!(reference_id("Patient/p1/_history/2", "Patient"), Some("p1"));
    assert_eq!(reference_id("Patient/", "Patient"), None);
    assert_eq!(reference_id("Observation/1", "Patient"), None);
    let empty = Map::new();
    assert_eq!(
        referenced_type("http://h/fhir/Encounter/9/_history/1", &empty),
        Some("Encounter")
    );
    assert_eq!(referenced_type("urn:uuid:1234", &empty), None);
    assert_eq!(referenced_type("#missing", &empty), None);
}
