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
    test_support::sample(&format!("keycloak/{name}"))
}

fn login(extra: Json) -> String {
    let mut base = json!({
        "time": 1772438292345_i64, "type": "LOGIN", "realmId": "r", "clientId": "c",
        "userId": "u-1", "ipAddress": "10.0.0.1", "details": {"username": "anna"}
    });
    if let (Json::Object(base), Json::Object(extra)) = (&mut base, extra) {
        for (name, value) in extra {
            base.insert(name, value);
        }
    }
    base.to_string()
}

fn one(line: &str) -> Json {
    mapped(&records(line.as_bytes())).pop().unwrap_or_default()
}

#[test]
fn the_sample_events_map_field_by_field() {
    let expected = [
        json!({
            "id": "0c8f4a52-1b7e-4d2a-9f63-2e5b8c1d7a01", "time": "2026-03-02T07:58:12.345Z",
            "user": "anna.berg", "action": "login", "outcome": "success", "ip": "10.20.30.41",
            "system": "journal-web", "realm": "region-vast",
            "session": "9e2d7c4b-3f1a-4e8d-b6c5-1a7f9e3d2b40",
            "user_id": "5f0c2b1e-8d3a-4c7b-a1e9-3b6d2f4c8e11", "auth_method": "openid-connect"
        }),
        json!("ignored keycloak:CODE_TO_TOKEN"),
        json!({
            "id": "2e0b6c74-3d9a-4f4c-9b85-4a7d0e3f9c03", "time": "2026-03-02T21:14:05.001Z",
            "user": "erik.lund", "action": "login", "outcome": "failure", "ip": "198.51.100.23",
            "system": "journal-web", "realm": "region-vast",
            "user_id": "7a3e9c10-2b4d-4f6a-8c1e-5d7b9a2c4e62", "error": "invalid_user_credentials",
            "auth_method": "openid-connect"
        }),
        json!({
            "id": "3f1c7d85-4e0b-4a5d-8c96-5b8e1f4a0d04", "time": "2026-03-02T21:14:31.777Z",
            "user": "erik.lund", "action": "lockout", "outcome": "failure", "ip": "198.51.100.23",
            "system": "journal-web", "realm": "region-vast",
            "user_id": "7a3e9c10-2b4d-4f6a-8c1e-5d7b9a2c4e62", "error": "user_temporarily_disabled",
            "auth_method": "openid-connect"
        }),
        json!({
            "id": "4a2d8e96-5f1c-4b6e-9da7-6c9f2a5b1e05", "time": "2026-03-02T21:20:00Z",
            "user": "admin", "action": "login", "outcome": "failure", "ip": "203.0.113.9",
            "system": "journal-web", "realm": "region-vast", "error": "user_not_found",
            "auth_method": "openid-connect"
        }),
        json!({
            "id": "5b3e9fa7-6a2d-4c7f-8eb8-7d0a3b6c2f06", "time": "2026-03-02T16:30:10.500Z",
            "user": "5f0c2b1e-8d3a-4c7b-a1e9-3b6d2f4c8e11", "action": "logout",
            "outcome": "success", "ip": "10.20.30.41", "realm": "region-vast",
            "session": "9e2d7c4b-3f1a-4e8d-b6c5-1a7f9e3d2b40",
            "user_id": "5f0c2b1e-8d3a-4c7b-a1e9-3b6d2f4c8e11"
        }),
    ];
    assert_eq!(mapped(&records(&sample("events.json"))), expected);
    assert_eq!(mapped(&records(&sample("events.ndjson"))), expected);
}

#[test]
fn list_elements_and_lines_are_located() {
    let list = format!("[{},{{\"type\":\"LOGIN\"}}]", login(json!({})));
    assert_eq!(
        mapped(&records(list.as_bytes()))[1],
        json!("missing_field t#2: required field `time` is missing")
    );
    let lines = format!("{}\n{{\"type\":\"LOGIN\"}}\n", login(json!({})));
    assert_eq!(
        mapped(&records(lines.as_bytes()))[1],
        json!("missing_field t:2: required field `time` is missing")
    );
}

#[test]
fn admin_events_and_other_types_are_ignored() {
    let admin = r#"{"time":1,"realmId":"r","operationType":"UPDATE","resourceType":"USER"}"#;
    assert_eq!(one(admin), json!("ignored keycloak:admin"));
    assert_eq!(
        one(&login(json!({"type": "REGISTER"}))),
        json!("ignored keycloak:REGISTER")
    );
    assert_eq!(
        one(&login(json!({"type": "LOGOUT_ERROR"}))),
        json!("ignored keycloak:LOGOUT_ERROR")
    );
}

#[test]
fn user_is_the_username_else_the_user_id() {
    assert_eq!(one(&login(json!({})))["user"], json!("anna"));
    assert_eq!(one(&login(json!({"details": {}})))["user"], json!("u-1"));
    assert_eq!(
        one(&login(json!({"details": null, "userId": null}))),
        json!("missing_field t:1: required field `details.username` or `userId` is missing")
    );
}

#[test]
fn each_bad_member_is_rejected_with_its_code() {
    let cases = [
        (
            json!({"time": null}),
            "missing_field t:1: required field `time` is missing",
        ),
        (
            json!({"time": "1772438292345"}),
            "wrong_type t:1: `time` must be a whole number, found text",
        ),
        (
            json!({"time": 1.5}),
            "wrong_type t:1: `time` must be a whole number, found a number",
        ),
        (
            json!({"time": -5}),
            "bad_time t:1: `time` is not a time in milliseconds since 1970: `-5`",
        ),
        (
            json!({"type": null}),
            "missing_field t:1: required field `type` is missing",
        ),
        (
            json!({"type": 3}),
            "wrong_type t:1: `type` must be text, found a number",
        ),
        (
            json!({"ipAddress": "proxy"}),
            "bad_ip t:1: `ipAddress` is not an IP address: `proxy`",
        ),
        (
            json!({"details": "x"}),
            "wrong_type t:1: `details` must be an object, found text",
        ),
        (
            json!({"error": ["x"]}),
            "wrong_type t:1: `error` must be text, found a list",
        ),
    ];
    for (extra, expected) in cases {
        assert_eq!(one(&login(extra.clone())), json!(expected), "{extra}");
    }
    assert_eq!(one(&login(json!({"ipAddress": "-"})))["ip"], Json::Null);
}

#[test]
fn broken_records_are_rejected_and_reading_goes_on() {
    let mut text = format!("{}\n{{\"type\": \n[1]\n", login(json!({}))).into_bytes();
    text.extend_from_slice(b"{\"type\":\"LOGIN\",\"x\":\"\xff\"}\n");
    text.extend_from_slice(format!("{}\n", login(json!({"id": "last"}))).as_bytes());
    let got: Vec<String> = records(&text)
        .iter()
        .map(|r| match r {
            Record::Event(e) => format!("event {}", e.id.as_deref().unwrap_or("-")),
            Record::Rejected(r) => format!("{} {}", r.code.name, r.location),
            Record::Ignored(kind) => kind.clone(),
        })
        .collect();
    let expected = [
        "event -",
        "invalid_json t:2",
        "not_an_object t:3",
        "invalid_utf8 t:4",
        "event last",
    ];
    assert_eq!(got, expected);
    assert!(records(b"").is_empty());
    assert!(records(b"[]").is_empty());
}

#[test]
fn sniff_needs_realm_and_type_in_the_first_record() {
    assert!(sniff(&String::from_utf8_lossy(&sample("events.json"))));
    assert!(sniff(&String::from_utf8_lossy(&sample("events.ndjson"))));
    assert!(!sniff(
        "{\"time\":\"2026-03-02T08:00:00Z\",\"user\":\"u\",\"action\":\"read\"}\n"
    ));
    assert!(!sniff("{\"type\":\"x\"}\n{\"realmId\":\"r\"}\n"));
}

#[test]
fn detection_chooses_keycloak() {
    use crate::read::Format;
    assert_eq!(
        Format::detect_bytes(&sample("events.json")),
        Format::Keycloak
    );
    assert_eq!(
        Format::detect_bytes(&sample("events.ndjson")),
        Format::Keycloak
    );
}
