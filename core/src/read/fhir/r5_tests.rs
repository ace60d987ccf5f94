use super::*;
use crate::read::{ReadOptions, Record};
use serde_json::json;
use std::io::Cursor;

fn example(name: &str) -> Json {
    let path = format!(
        "{}/../tests/data/fhir-r5-auditevent/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).unwrap_or_default();
    serde_json::from_str(&text).unwrap_or_default()
}

/// The event the whole reader makes of one resource, as JSON, or the
/// rejection's reason.
fn mapped(resource: &Json) -> Json {
    let input = Cursor::new(resource.to_string().into_bytes());
    let records: Vec<Record> =
        crate::read::fhir::read(input, "t", &ReadOptions::default()).collect();
    match records.as_slice() {
        [Record::Event(event)] => serde_json::to_value(event).unwrap_or_default(),
        [Record::Rejected(r)] => json!(format!("{}: {}", r.code.name, r.message)),
        other => json!(format!("{other:?}")),
    }
}

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

#[test]
fn a_read_with_patient_location_and_network_string() {
    let expected = json!({
        "id": "r5-read-document",
        "time": "2026-03-02T08:15:00Z",
        "user": "SE2321000131-P000000012345",
        "action": "read",
        "outcome": "success",
        "patient": "p-4711",
        "unit": "ward-3",
        "resource": "DocumentReference",
        "ip": "10.20.30.41",
        "purpose": "TREAT",
        "system": "Journal FHIR server",
        "fhir_entity": "DocumentReference/note-77",
        "fhir_type": "rest",
        "fhir_subtype": "read",
        "severity": "informational"
    });
    assert_eq!(mapped(&example("read-document.json")), expected);
}

#[test]
fn a_failed_login_with_an_outcome_detail() {
    let expected = json!({
        "id": "r5-login-failure",
        "time": "2026-03-02T22:10:03Z",
        "user": "erik.lund",
        "action": "login",
        "outcome": "failure",
        "ip": "2001:db8::7",
        "system": "idp.region.example",
        "fhir_type": "110114",
        "fhir_subtype": "110122",
        "outcome_desc": "Wrong password"
    });
    assert_eq!(mapped(&example("login-failure.json")), expected);
}

#[test]
fn a_denied_search_with_a_period_and_a_network_reference() {
    let expected = json!({
        "id": "r5-search-denied",
        "time": "2026-03-03T13:20:00Z",
        "user": "Practitioner/pr-9",
        "action": "search",
        "outcome": "denied",
        "patient": "p-0815",
        "unit": "Sahlgrenska",
        "resource": "Patient",
        "purpose": "HOPERAT",
        "system": "Journal FHIR server",
        "host": "proxy-2.region.example",
        "fhir_entity": "Patient/p-0815",
        "fhir_type": "rest",
        "fhir_subtype": "search-type",
        "outcome_desc": "Forbidden"
    });
    assert_eq!(mapped(&example("search-denied.json")), expected);
}

#[test]
fn r5_is_told_by_its_shapes() {
    let r4 = json!({"resourceType": "AuditEvent", "type": {"code": "rest"}, "outcome": "0"});
    let Json::Object(r4) = r4 else { return };
    assert!(!is_r5(&r4));
    for (name, value) in [
        ("category", json!([])),
        ("patient", json!({"reference": "Patient/1"})),
        ("occurredDateTime", json!("2026-03-02T08:00:00Z")),
        ("outcome", json!({"code": {"code": "0"}})),
        ("agent", json!([{"networkUri": "https://x"}])),
    ] {
        let Json::Object(r5) = with(Json::Object(r4.clone()), name, value) else {
            return;
        };
        assert!(is_r5(&r5), "{name}");
    }
}

#[test]
fn outcome_codes() {
    let base = example("login-failure.json");
    let outcome = |code: &str, detail: &str| {
        let element = json!({"code": {"code": code}, "detail": [{"text": detail}]});
        mapped(&with(base.clone(), "outcome", element))["outcome"].clone()
    };
    assert_eq!(outcome("0", ""), json!("success"));
    assert_eq!(outcome("success", ""), json!("success"));
    assert_eq!(outcome("warning", "slow"), json!("success"));
    assert_eq!(outcome("8", "bad request"), json!("failure"));
    assert_eq!(outcome("fatal", "Access DENIED"), json!("denied"));
    assert_eq!(outcome("major", ""), json!("failure"));
    let oops = json!({"code": {"code": "oops"}});
    assert_eq!(
        mapped(&with(base.clone(), "outcome", oops)),
        json!(
            "bad_outcome: `outcome.code` must be 0, 4, 8, 12, success, information, warning, \
             error, fatal, minor, serious or major, found `oops`"
        )
    );
    let absent = mapped(&with(base.clone(), "outcome", json!({"detail": []})));
    assert_eq!(absent["outcome"], Json::Null);
    let wrong = mapped(&with(base.clone(), "outcome", json!(4)));
    assert_eq!(
        wrong,
        json!("wrong_type: `outcome` must be an element, found a number")
    );
}

#[test]
fn time_is_when_it_occurred_else_when_it_was_recorded() {
    let base = example("read-document.json");
    let recorded_only = with(base.clone(), "occurredDateTime", Json::Null);
    assert_eq!(
        mapped(&recorded_only)["time"],
        json!("2026-03-02T08:15:01.250Z")
    );
    let neither = with(recorded_only.clone(), "recorded", Json::Null);
    assert_eq!(
        mapped(&neither),
        json!("missing_field: required element `recorded` is missing")
    );
    let bad = with(base.clone(), "occurredDateTime", json!("soon"));
    assert_eq!(
        mapped(&bad),
        json!("bad_time: `occurredDateTime` is not a timestamp: `soon`")
    );
    let number = with(base, "occurredDateTime", json!(5));
    assert_eq!(
        mapped(&number),
        json!("wrong_type: `occurredDateTime` must be text, found a number")
    );
}

#[test]
fn action_from_code_then_category_then_action_code() {
    let base = example("read-document.json");
    let no_code = with(base.clone(), "code", json!({"coding": [{"code": "x"}]}));
    assert_eq!(mapped(&no_code)["action"], json!("read"));
    let export = json!([{"coding": [{"system": "http://dicom.nema.org/resources/ontology/DCM",
                                       "code": "110106"}]}]);
    let by_category = with(no_code.clone(), "category", export);
    assert_eq!(mapped(&by_category)["action"], json!("export"));
    let nothing = with(with(no_code, "action", Json::Null), "category", Json::Null);
    assert_eq!(
        mapped(&nothing),
        json!(
            "missing_field: cannot tell the action: no `action` and no known `subtype` or `type` code"
        )
    );
}

#[test]
fn the_patient_element_wins_over_entities() {
    let base = example("read-document.json");
    let by_identifier = with(
        base.clone(),
        "patient",
        json!({"identifier": {"value": "191212121212"}}),
    );
    assert_eq!(mapped(&by_identifier)["patient"], json!("191212121212"));
    let by_entity = with(base, "patient", Json::Null);
    assert_eq!(mapped(&by_entity)["patient"], json!("p-4711"));
}

#[test]
fn detection_chooses_fhir_for_r5() {
    use crate::read::Format;
    let ndjson = format!("{}\n", example("login-failure.json"));
    assert_eq!(Format::detect_bytes(ndjson.as_bytes()), Format::Fhir);
}
