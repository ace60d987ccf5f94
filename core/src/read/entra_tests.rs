use super::*;
use crate::read::test_support;
use serde_json::json;
use std::io::Cursor;

fn records(text: &[u8]) -> Vec<Record> {
    let input: Input = Box::new(Cursor::new(text.to_vec()));
    read(input, "t", &ReadOptions::default()).collect()
}

fn mapped(records: &[Record]) -> Vec<Json> {
    records.iter().map(test_support::describe).collect()
}

fn sample(name: &str) -> Vec<u8> {
    test_support::sample(&format!("entra/{name}"))
}

fn sign_in(extra: Json) -> String {
    let mut base = json!({
        "id": "s1", "createdDateTime": "2026-03-02T07:45:12Z",
        "userPrincipalName": "anna@x.example", "userId": "u-1", "ipAddress": "10.0.0.1",
        "status": {"errorCode": 0}
    });
    if let (Json::Object(base), Json::Object(extra)) = (&mut base, extra) {
        for (name, value) in extra {
            base.insert(name, value);
        }
    }
    base.to_string()
}

fn one(extra: Json) -> Json {
    mapped(&records(sign_in(extra).as_bytes()))
        .pop()
        .unwrap_or_default()
}

fn expected_sample() -> [Json; 4] {
    [
        json!({
            "id": "7f1e2d3c-0001-4a5b-8c9d-0e1f2a3b4c01", "time": "2026-03-02T07:45:12Z",
            "user": "anna.berg@regionvast.example", "action": "login", "outcome": "success",
            "ip": "10.20.30.41", "system": "Journal Portal", "resource": "Journal Portal API",
            "country": "SE", "city": "Göteborg", "user_id": "b2e4c6a8-1d3f-4a5b-9c7e-0f2a4b6c8d01",
            "app_id": "3f9a2c61-7d4e-4b8a-a1c5-6e2d9f0b7a34", "client_app": "Browser",
            "error_code": 0.0, "interactive": true
        }),
        json!({
            "id": "7f1e2d3c-0002-4a5b-8c9d-0e1f2a3b4c02", "time": "2026-03-02T22:10:03Z",
            "user": "erik.lund@regionvast.example", "action": "login", "outcome": "failure",
            "ip": "198.51.100.23", "system": "Journal Portal", "resource": "Journal Portal API",
            "country": "RU", "city": "Moscow", "user_id": "c3f5d7b9-2e4a-4b6c-8d9f-1a3b5c7d9e02",
            "app_id": "3f9a2c61-7d4e-4b8a-a1c5-6e2d9f0b7a34", "client_app": "Browser",
            "failure_reason": "Error validating credentials due to invalid username or password.",
            "error_code": 50126.0, "interactive": true
        }),
        json!({
            "id": "7f1e2d3c-0003-4a5b-8c9d-0e1f2a3b4c03", "time": "2026-03-02T22:11:47Z",
            "user": "erik.lund@regionvast.example", "action": "lockout", "outcome": "failure",
            "ip": "198.51.100.23", "system": "Journal Portal", "resource": "Journal Portal API",
            "country": "RU", "city": "Moscow", "user_id": "c3f5d7b9-2e4a-4b6c-8d9f-1a3b5c7d9e02",
            "app_id": "3f9a2c61-7d4e-4b8a-a1c5-6e2d9f0b7a34", "client_app": "Browser",
            "failure_reason": "Account is locked because user tried to sign in too many times \
                               with an incorrect user ID or password.",
            "error_code": 50053.0, "interactive": true
        }),
        json!({
            "id": "7f1e2d3c-0004-4a5b-8c9d-0e1f2a3b4c04", "time": "2026-03-03T06:58:30.500Z",
            "user": "anna.berg@regionvast.example", "action": "login", "outcome": "success",
            "ip": "2001:db8::7", "system": "Microsoft Teams", "resource": "Microsoft Teams Services",
            "country": "SE", "city": "Borås", "user_id": "b2e4c6a8-1d3f-4a5b-9c7e-0f2a4b6c8d01",
            "app_id": "1fec8e78-bce4-4aaf-ab1b-5451cc387264",
            "client_app": "Mobile Apps and Desktop clients", "error_code": 0.0,
            "interactive": false
        }),
    ]
}

#[test]
fn a_graph_page_a_list_and_ndjson_read_alike() {
    assert_eq!(mapped(&records(&sample("signins.json"))), expected_sample());
    assert_eq!(
        mapped(&records(&sample("signins-list.json"))),
        expected_sample()
    );
    assert_eq!(
        mapped(&records(&sample("signins.ndjson"))),
        expected_sample()
    );
}

#[test]
fn faults_are_located_by_element_or_line() {
    let page = format!(
        "{{\"@odata.context\":\"x\",\"value\":[{},{{\"id\":\"s2\"}}]}}",
        sign_in(json!({}))
    );
    let got = mapped(&records(page.as_bytes()));
    assert_eq!(
        got[1],
        json!("missing_field t#2: required field `createdDateTime` is missing")
    );
    let lines = format!("{}\n{{\"id\":\"s2\"}}\n", sign_in(json!({})));
    let got = mapped(&records(lines.as_bytes()));
    assert_eq!(
        got[1],
        json!("missing_field t:2: required field `createdDateTime` is missing")
    );
}

#[test]
fn user_is_the_principal_name_else_the_user_id() {
    assert_eq!(one(json!({}))["user"], json!("anna@x.example"));
    assert_eq!(one(json!({"userPrincipalName": ""}))["user"], json!("u-1"));
    assert_eq!(
        one(json!({"userPrincipalName": null, "userId": null})),
        json!("missing_field t:1: required field `userPrincipalName` or `userId` is missing")
    );
}

#[test]
fn outcome_follows_the_error_code() {
    let base = one(json!({"status": {"errorCode": 0, "failureReason": "Other."}}));
    assert_eq!(
        (&base["outcome"], &base["failure_reason"]),
        (&json!("success"), &Json::Null)
    );
    let failed = one(json!({"status": {"errorCode": 50126, "failureReason": "Bad password"}}));
    assert_eq!(failed["outcome"], json!("failure"));
    assert_eq!(failed["failure_reason"], json!("Bad password"));
    let locked = one(json!({"status": {"errorCode": 50053}}));
    assert_eq!(
        (&locked["action"], &locked["outcome"]),
        (&json!("lockout"), &json!("failure"))
    );
    let unknown = one(json!({"status": null}));
    assert_eq!(
        (&unknown["action"], &unknown["outcome"]),
        (&json!("login"), &Json::Null)
    );
}

#[test]
fn each_bad_member_is_rejected_with_its_code() {
    let cases = [
        (
            json!({"createdDateTime": "2 March"}),
            "bad_time t:1: `createdDateTime` is not a timestamp: `2 March`",
        ),
        (
            json!({"createdDateTime": 1772438292}),
            "wrong_type t:1: `createdDateTime` must be text, found a number",
        ),
        (
            json!({"ipAddress": "10.0.0"}),
            "bad_ip t:1: `ipAddress` is not an IP address: `10.0.0`",
        ),
        (
            json!({"status": {"errorCode": "0"}}),
            "wrong_type t:1: `status.errorCode` must be a whole number, found text",
        ),
        (
            json!({"status": []}),
            "wrong_type t:1: `status` must be an object, found a list",
        ),
        (
            json!({"location": {"countryOrRegion": 46}}),
            "wrong_type t:1: `location.countryOrRegion` must be text, found a number",
        ),
    ];
    for (extra, expected) in cases {
        assert_eq!(one(extra.clone()), json!(expected), "{extra}");
    }
    let local = one(json!({"createdDateTime": "2026-03-02 08:45:12"}));
    assert_eq!(local["time"], json!("2026-03-02T07:45:12Z"));
}

#[test]
fn broken_input_is_rejected_and_reading_goes_on() {
    let mut text = format!("{}\n{{\"id\": \n", sign_in(json!({"id": "a"}))).into_bytes();
    text.extend_from_slice(b"{\"id\":\"\xff\"}\n");
    text.extend_from_slice(format!("{}\n", sign_in(json!({"id": "b"}))).as_bytes());
    let got: Vec<String> = records(&text)
        .iter()
        .map(|r| match r {
            Record::Event(e) => format!("event {}", e.id.as_deref().unwrap_or("-")),
            Record::Rejected(r) => format!("{} {}", r.code.name, r.location),
            Record::Ignored(kind) => kind.clone(),
        })
        .collect();
    assert_eq!(
        got,
        ["event a", "invalid_json t:2", "invalid_utf8 t:3", "event b"]
    );
    assert!(records(b"").is_empty());
    assert!(records(b"{\"value\": []}").is_empty());
    assert_eq!(
        mapped(&records(b"{\"value\": [")),
        [json!(
            "invalid_json t: the input ends inside a list: its closing `]` is missing"
        )]
    );
}

#[test]
fn sniff_needs_both_members() {
    assert!(sniff(&String::from_utf8_lossy(&sample("signins.json"))));
    assert!(!sniff("{\"userPrincipalName\": \"a\"}"));
}

#[test]
fn detection_chooses_entra() {
    use crate::read::Format;
    for name in ["signins.json", "signins-list.json", "signins.ndjson"] {
        assert_eq!(Format::detect_bytes(&sample(name)), Format::Entra, "{name}");
    }
}
