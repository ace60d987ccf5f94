use super::*;
use std::io::{BufReader, Cursor, Read};

fn values_with(text: &[u8], limit: usize, container: Option<&'static str>) -> Vec<String> {
    let input: Input = Box::new(Cursor::new(text.to_vec()));
    JsonValues::new(input, "t", limit, container)
        .map(|item| match item {
            Ok((object, location)) => format!("{location} {}", Json::Object(object)),
            Err(r) => format!("{} {}", r.code.name, r.location),
        })
        .collect()
}

fn values(text: &str) -> Vec<String> {
    values_with(text.as_bytes(), 1000, Some("value"))
}

#[test]
fn ndjson_lines_are_located_by_line() {
    let text = "{\"a\":1}\n\n{\"a\":2}\r\n  {\"a\":[3,\"]\"]}";
    assert_eq!(
        values(text),
        ["t:1 {\"a\":1}", "t:3 {\"a\":2}", "t:4 {\"a\":[3,\"]\"]}"]
    );
}

#[test]
fn a_cut_off_line_costs_only_itself() {
    let text = "{\"a\":1}\n{\"a\":\n{\"a\":3}\n{\"a\":\"x\n{\"a\":5}\n";
    let expected = [
        "t:1 {\"a\":1}",
        "invalid_json t:2",
        "t:3 {\"a\":3}",
        "invalid_json t:4",
        "t:5 {\"a\":5}",
    ];
    assert_eq!(values(text), expected);
    assert_eq!(
        values("{\"a\":\n{\"a\":2}\n"),
        ["invalid_json t:1", "t:2 {\"a\":2}"]
    );
}

#[test]
fn pretty_objects_follow_one_another() {
    let text = "{\n  \"a\": 1,\n  \"b\": {\"c\": 2}\n}\n{\n  \"a\": 3\n}\n";
    assert_eq!(
        values(text),
        ["t:1 {\"a\":1,\"b\":{\"c\":2}}", "t:5 {\"a\":3}"]
    );
}

#[test]
fn list_elements_are_located_by_index() {
    let text = "[\n  {\"a\": 1},\n  [2],\n  {\"a\": \"}\"} ,{\"a\":\n 4}\n]\n";
    let expected = [
        "t#1 {\"a\":1}",
        "not_an_object t#2",
        "t#3 {\"a\":\"}\"}",
        "t#4 {\"a\":4}",
    ];
    assert_eq!(values(text), expected);
    assert!(values("[]").is_empty());
    assert!(values(" \n").is_empty());
    assert!(values("").is_empty());
}

#[test]
fn the_list_member_of_a_top_level_object_holds_the_records() {
    let one_line =
        r#"{"@odata.context":"x","value":[{"a":1},{"a":{"value":[9]}}],"@odata.nextLink":"y"}"#;
    let expected = ["t#1 {\"a\":1}", "t#2 {\"a\":{\"value\":[9]}}"];
    assert_eq!(values(one_line), expected);
    let pretty = "{\n  \"value\": [\n    {\"a\": 1},\n    {\"a\": {\"value\": [9]}}\n  ]\n}\n";
    assert_eq!(values(pretty), expected);
    let not_list = r#"{"value":5}"#;
    assert_eq!(values(not_list), ["t:1 {\"value\":5}"]);
    let other = values_with(one_line.as_bytes(), 1000, None);
    assert_eq!(other.len(), 1);
    assert!(other[0].starts_with("t:1 {\"@odata.context\""));
}

#[test]
fn scalars_and_broken_values_are_rejected() {
    let text = "5\n\"x\"\ntrue\n{\"a\":1}\nnope\n";
    let expected = [
        "not_an_object t:1",
        "not_an_object t:2",
        "not_an_object t:3",
        "t:4 {\"a\":1}",
        "invalid_json t:5",
    ];
    assert_eq!(values(text), expected);
    assert_eq!(
        values("[{\"a\":1},{\"a\":"),
        ["t#1 {\"a\":1}", "invalid_json t#2"]
    );
    assert_eq!(values("[{\"a\":1}"), ["t#1 {\"a\":1}", "invalid_json t"]);
    assert_eq!(values("{\n\"a\": 1"), ["invalid_json t:1"]);
    assert_eq!(values("7"), ["not_an_object t:1"]);
}

#[test]
fn invalid_utf8_and_byte_order_mark() {
    let text = b"\xEF\xBB\xBF{\"a\":1}\n{\"a\":\"\xff\"}\n{\"a\":3}\n";
    let expected = ["t:1 {\"a\":1}", "invalid_utf8 t:2", "t:3 {\"a\":3}"];
    assert_eq!(values_with(text, 1000, None), expected);
}

#[test]
fn over_long_values_are_rejected_and_reading_goes_on() {
    let long = format!("{{\"a\":\"{}\"}}", "x".repeat(100));
    let lines = format!("{long}\n{{\"a\":2}}\n");
    let expected = ["line_too_long t:1", "t:2 {\"a\":2}"];
    assert_eq!(values_with(lines.as_bytes(), 50, None), expected);
    let list = format!("[{long},{{\"a\":3}}]");
    let expected = ["line_too_long t#1", "t#2 {\"a\":3}"];
    assert_eq!(values_with(list.as_bytes(), 50, None), expected);
}

#[test]
fn only_a_leading_list_holds_records() {
    let text = "{\"a\":1}\n[{\"a\":2}]\n";
    assert_eq!(values(text), ["t:1 {\"a\":1}", "not_an_object t:2"]);
}

#[test]
fn an_endless_list_element_is_not_held() {
    let endless = Cursor::new(b"[{\"a\":\"".to_vec()).chain(std::io::repeat(b'x').take(5 << 20));
    let input: Input = Box::new(BufReader::new(endless));
    let got: Vec<_> = JsonValues::new(input, "t", 1000, None)
        .map(|item| {
            item.err()
                .map(|r| format!("{r:?}").contains("invalid_json"))
        })
        .collect();
    assert_eq!(got, [Some(true)]);
}

/// A reader that fails on every call.
struct Failing;

impl Read for Failing {
    fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
        Err(std::io::Error::other("disk gone"))
    }
}

#[test]
fn read_failure_ends_reading() {
    let first = Cursor::new(b"{\"a\":1}\n".to_vec()).chain(Failing);
    let input: Input = Box::new(BufReader::new(first));
    let got: Vec<String> = JsonValues::new(input, "t", 1000, None)
        .map(|item| match item {
            Ok((_, location)) => location.to_string(),
            Err(r) => format!("{} {}", r.code.name, r.location),
        })
        .collect();
    assert_eq!(got, ["t:1", "read_failed t:2"]);
}
