use super::*;
use crate::read::CsvOptions;
use serde_json::{Map, Value as Json, json};
use std::io::{BufReader, Cursor};

fn options(mapping: &[(&str, &str)]) -> ReadOptions {
    let mapping = mapping
        .iter()
        .map(|(field, column)| (field.to_string(), column.to_string()))
        .collect();
    ReadOptions {
        csv: CsvOptions {
            mapping,
            ..CsvOptions::default()
        },
        ..ReadOptions::default()
    }
}

fn records_with(text: &[u8], options: &ReadOptions) -> Vec<Record> {
    read(Box::new(Cursor::new(text.to_vec())), "t.csv", options).collect()
}

fn records(text: &str) -> Vec<Record> {
    records_with(text.as_bytes(), &ReadOptions::default())
}

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

fn events(records: &[Record]) -> Vec<Json> {
    records
        .iter()
        .map(|r| match r {
            Record::Event(e) => serde_json::to_value(e).unwrap_or_default(),
            Record::Rejected(r) => json!(format!("{} {}: {}", r.code.name, r.location, r.message)),
            Record::Ignored(kind) => json!(format!("ignored {kind}")),
        })
        .collect()
}

const HEADER: &str = "time,user,action\n";

#[test]
fn mapped_columns_become_fields_and_the_rest_attributes() {
    let text = "EventId;EventTime;UserId;Activity;Result;Patient;Ward;Addr;Qty;Note;Empty\n\
                e1;2026-03-02 09:15:00;u7;read;success;p1;ward-3;::ffff:10.0.0.1;2.5;first visit;\n\
                e2;2026-03-02T08:00:00Z;u8;print;;;;-;;;\n";
    let mut options = options(&[
        ("id", "EventId"),
        ("time", "EventTime"),
        ("user", "UserId"),
        ("action", "Activity"),
        ("outcome", "Result"),
        ("patient", "Patient"),
        ("unit", "Ward"),
        ("ip", "Addr"),
        ("amount", "Qty"),
    ]);
    options.csv.delimiter = b';';
    let expected = [
        json!({
            "id": "e1", "time": "2026-03-02T08:15:00Z", "user": "u7", "action": "read",
            "outcome": "success", "patient": "p1", "unit": "ward-3", "ip": "10.0.0.1",
            "amount": 2.5, "Note": "first visit"
        }),
        json!({"id": "e2", "time": "2026-03-02T08:00:00Z", "user": "u8", "action": "print"}),
    ];
    assert_eq!(events(&records_with(text.as_bytes(), &options)), expected);
}

#[test]
fn unmapped_fields_are_read_under_their_own_names() {
    let text = "user,Tid,action,purpose,system,user_agent\n\
                anna,2026-01-15 08:00:00,read,care,ehr,Firefox\n";
    let got = events(&records_with(text.as_bytes(), &options(&[("time", "Tid")])));
    let expected = json!({
        "time": "2026-01-15T07:00:00Z", "user": "anna", "action": "read",
        "purpose": "care", "system": "ehr", "user_agent": "Firefox"
    });
    assert_eq!(got, [expected]);
}

#[test]
fn own_names_match_in_any_case_and_mapped_names_exactly() {
    let text = "TIME,User,Action,Patient\n2026-03-02T08:00:00Z,u1,read,p1\n";
    let expected = json!({
        "time": "2026-03-02T08:00:00Z", "user": "u1", "action": "read", "patient": "p1"
    });
    assert_eq!(events(&records(text)), [expected]);
    let got = events(&records_with(
        text.as_bytes(),
        &options(&[("user", "user")]),
    ));
    let message = "bad_mapping t.csv:1: the header lacks the columns `user` (user); its \
                   columns are `TIME`, `User`, `Action`, `Patient`";
    assert_eq!(got, [json!(message)]);
}

#[test]
fn columns_named_like_fields_are_not_attributes() {
    let text = "UserId,user,time,action\nu1,ignored,2026-03-02T08:00:00Z,read\n";
    let got = events(&records_with(
        text.as_bytes(),
        &options(&[("user", "UserId")]),
    ));
    let expected = json!({"time": "2026-03-02T08:00:00Z", "user": "u1", "action": "read"});
    assert_eq!(got, [expected]);
}

#[test]
fn a_mapping_the_header_does_not_fit_is_one_rejection() {
    let text = "When,Who,What\n2026-03-02T08:00:00Z,u1,read\n2026-03-02T08:00:00Z,u2,read\n";
    let mapping = options(&[("time", "EventTime"), ("user", "Who"), ("action", "What")]);
    let expected = "bad_mapping t.csv:1: the header lacks the columns `EventTime` (time); \
                    its columns are `When`, `Who`, `What`";
    assert_eq!(
        events(&records_with(text.as_bytes(), &mapping)),
        [json!(expected)]
    );
}

#[test]
fn required_fields_need_a_column_even_unmapped() {
    let text = "time,who,what\n2026-03-02T08:00:00Z,u1,read\n";
    let expected = "bad_mapping t.csv:1: the header lacks the columns `user` (user, required), \
                    `action` (action, required); its columns are `time`, `who`, `what`";
    assert_eq!(events(&records(text)), [json!(expected)]);
}

#[test]
fn a_mapping_to_an_unknown_field_is_rejected() {
    let text = "time,user,action\n2026-03-02T08:00:00Z,u1,read\n";
    let got = events(&records_with(text.as_bytes(), &options(&[("usr", "user")])));
    let expected = "bad_mapping t.csv:1: the header lacks the columns `usr` (not a canonical \
                    field); its columns are `time`, `user`, `action`";
    assert_eq!(got, [json!(expected)]);
}

#[test]
fn rows_with_the_wrong_number_of_fields_are_rejected() {
    let text = format!(
        "{HEADER}2026-03-02T08:00:00Z,a,read\n2026-03-02T08:00:00Z,b\n\
         2026-03-02T08:00:00Z,c,read,extra\n2026-03-02T08:00:00Z,d,read\n"
    );
    let got = events(&records(&text));
    assert_eq!(
        got[1],
        json!("bad_row t.csv:3: the row has 2 fields, the header has 3")
    );
    assert_eq!(
        got[2],
        json!("bad_row t.csv:4: the row has 4 fields, the header has 3")
    );
    assert_eq!(
        summary(&records(&text)),
        ["event a", "bad_row t.csv:3", "bad_row t.csv:4", "event d"]
    );
}

#[test]
fn each_bad_value_is_rejected_with_its_code() {
    let text = "time,user,action,amount,ip,outcome\n\
                2026-03-02T08:00:00Z,a,read,ten,,\n\
                yesterday,b,read,,,\n\
                2026-03-02T08:00:00Z,c,read,,10.0.0.256,\n\
                2026-03-02T08:00:00Z,d,read,,,ok\n\
                2026-03-02T08:00:00Z,,read,,,\n\
                ,f,read,,,\n\
                2026-03-02T08:00:00Z,g,read,1e3,-,denied\n";
    let expected = [
        json!("wrong_type t.csv:2: `amount` must be a number, found `ten`"),
        json!("bad_time t.csv:3: `time` is not a timestamp: `yesterday`"),
        json!("bad_ip t.csv:4: `ip` is not an IP address: `10.0.0.256`"),
        json!("bad_outcome t.csv:5: `outcome` must be success, failure or denied, found `ok`"),
        json!("missing_field t.csv:6: required field `user` is missing"),
        json!("missing_field t.csv:7: required field `time` is missing"),
        json!({"time": "2026-03-02T08:00:00Z", "user": "g", "action": "read", "amount": 1000.0,
               "outcome": "denied"}),
    ];
    assert_eq!(events(&records(text)), expected);
}

#[test]
fn invalid_utf8_rows_and_headers_are_rejected() {
    let mut text = HEADER.as_bytes().to_vec();
    text.extend_from_slice(b"2026-03-02T08:00:00Z,\xff,read\n2026-03-02T08:00:00Z,b,read\n");
    let got = summary(&records_with(&text, &ReadOptions::default()));
    assert_eq!(got, ["invalid_utf8 t.csv:2", "event b"]);
    let header = b"time,us\xffer,action\n2026-03-02T08:00:00Z,b,read\n";
    let got = summary(&records_with(header, &ReadOptions::default()));
    assert_eq!(got, ["invalid_utf8 t.csv:1"]);
}

#[test]
fn empty_input_and_a_lone_header_give_nothing() {
    assert!(records("").is_empty());
    assert!(records(HEADER).is_empty());
    assert!(records("time,user,action").is_empty());
}

#[test]
fn delimiter_and_quote_are_options() {
    let text = "time\tuser\taction\tnote\n2026-03-02T08:00:00Z\t'a\tb'\tread\t'it''s'\n";
    let mut options = ReadOptions::default();
    options.csv.delimiter = b'\t';
    options.csv.quote = b'\'';
    let expected = json!({
        "time": "2026-03-02T08:00:00Z", "user": "a\tb", "action": "read", "note": "it's"
    });
    assert_eq!(events(&records_with(text.as_bytes(), &options)), [expected]);
}

#[test]
fn lines_are_counted_across_quotes_blank_lines_and_crlf() {
    let text = "time,user,action,note\r\n\
                2026-03-02T08:00:00Z,a,read,\"two\r\nlines\"\r\n\
                \r\n\
                \r\n\
                2026-03-02T08:00:00Z,b,read\r\n\
                2026-03-02T08:00:00Z,c,read,x\r\n\
                \n\
                2026-03-02T08:00:00Z,d,read";
    let got = summary(&records(text));
    assert_eq!(
        got,
        ["event a", "bad_row t.csv:6", "event c", "bad_row t.csv:9"]
    );
    let first = events(&records(text));
    assert_eq!(first[0]["note"], json!("two\r\nlines"));
}

#[test]
fn values_are_trimmed_and_blank_rows_skipped() {
    let text = " time , user ,action\n 2026-03-02T08:00:00Z , a , read \n,,\n";
    let expected = json!({"time": "2026-03-02T08:00:00Z", "user": "a", "action": "read"});
    assert_eq!(events(&records(text)), [expected]);
}

#[test]
fn byte_order_mark_is_skipped() {
    let text = format!("\u{feff}{HEADER}2026-03-02T08:00:00Z,a,read\n");
    assert_eq!(summary(&records(&text)), ["event a"]);
}

#[test]
fn over_long_rows_are_rejected_and_reading_goes_on() {
    let options = ReadOptions {
        max_record_bytes: 100,
        ..ReadOptions::default()
    };
    let long = "x".repeat(300);
    let text = format!("{HEADER}2026-03-02T08:00:00Z,{long},read\n2026-03-02T08:00:00Z,b,read\n");
    let got = events(&records_with(text.as_bytes(), &options));
    assert_eq!(
        got[0],
        json!("line_too_long t.csv:2: the row is 327 bytes, over the limit of 100")
    );
    assert_eq!(
        summary(&records_with(text.as_bytes(), &options)),
        ["line_too_long t.csv:2", "event b"]
    );
}

#[test]
fn an_endless_row_is_cut_off_without_holding_it() {
    let options = ReadOptions {
        max_record_bytes: 1000,
        ..ReadOptions::default()
    };
    let mut text = format!("{HEADER}2026-03-02T08:00:00Z,a,read\n2026-03-02T08:00:00Z,\"open");
    text.push_str(&"y".repeat(400_000));
    text.push_str("\n2026-03-02T08:00:00Z,c,read\n");
    let got = summary(&records_with(text.as_bytes(), &options));
    assert_eq!(got, ["event a", "line_too_long t.csv:3", "event c"]);
}

/// A reader that fails on every call.
struct Failing;

impl Read for Failing {
    fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
        Err(std::io::Error::other("disk gone"))
    }
}

#[test]
fn read_failures_end_reading_and_nothing_is_read_before_the_first_call() {
    let mut lazy = read(
        Box::new(BufReader::new(Failing)),
        "t.csv",
        &ReadOptions::default(),
    );
    assert_eq!(
        summary(&lazy.by_ref().collect::<Vec<_>>()),
        ["read_failed t.csv:1"]
    );

    let text = format!("{HEADER}2026-03-02T08:00:00Z,a,read\n");
    let input = Cursor::new(text.into_bytes()).chain(BufReader::new(Failing));
    let got: Vec<Record> = read(
        Box::new(BufReader::new(input)),
        "t.csv",
        &ReadOptions::default(),
    )
    .collect();
    assert_eq!(summary(&got), ["event a", "read_failed t.csv:3"]);
}

#[test]
fn table_files_are_told_by_their_names() {
    assert!(is_table_file(Path::new("a/events.csv")));
    assert!(is_table_file(Path::new("events.TSV")));
    assert!(is_table_file(Path::new("events.csv.gz")));
    assert!(!is_table_file(Path::new("events.jsonl")));
    assert!(!is_table_file(Path::new("csv")));
    assert!(!is_table_file(Path::new("events.gz")));
    assert!(is_tab_separated(Path::new("events.tsv.gz")));
    assert!(!is_tab_separated(Path::new("events.csv")));
}

#[test]
fn detection_goes_by_the_name() {
    use crate::read::Format;
    assert_eq!(Format::detect(Path::new("no/such/events.csv")), Format::Csv);
    assert_eq!(
        Format::detect(Path::new("no/such/events.tsv.gz")),
        Format::Csv
    );
    assert_eq!(Format::detect_bytes(b"time,user,action\n"), Format::Jsonl);
}

#[test]
fn the_read_failure_is_named() {
    let text = format!("{HEADER}2026-03-02T08:00:00Z,a,read\n");
    let input = Cursor::new(text.into_bytes()).chain(BufReader::new(Failing));
    let got: Vec<Record> = read(
        Box::new(BufReader::new(input)),
        "t.csv",
        &ReadOptions::default(),
    )
    .collect();
    assert_eq!(
        events(&got)[1],
        json!("read_failed t.csv:3: read failed: disk gone")
    );
}

/// A row read as rows were before [`Fields`]: into a JSON object of the
/// field cells, then through [`from_object`](super::super::canonical::from_object).
fn row_through_object(
    row: &csv::ByteRecord,
    columns: &Columns,
    options: &ReadOptions,
) -> Result<Event, Invalid> {
    let cell = |index: usize| -> Result<&str, Invalid> {
        let bytes = row.get(index).unwrap_or_default();
        std::str::from_utf8(bytes)
            .map_err(|_| Invalid::new(codes::INVALID_UTF8, "the row is not valid UTF-8"))
    };
    let mut object = Map::new();
    for (field, index) in &columns.fields {
        let text = cell(*index)?;
        if !text.is_empty() {
            object.insert((*field).to_string(), cell_json(field, text)?);
        }
    }
    let mut event = super::super::canonical::from_object(object, options.zone)?;
    for (name, index) in &columns.attributes {
        let text = cell(*index)?;
        if !text.is_empty() {
            let value = Value::Text(text.to_string());
            event.attributes.insert(name.clone(), value);
        }
    }
    Ok(event)
}

/// A field cell's JSON value, as rows were read before [`Fields`].
fn cell_json(field: &str, text: &str) -> Result<Json, Invalid> {
    if field != "amount" {
        return Ok(Json::String(text.to_string()));
    }
    amount(text).map(Json::Number)
}

/// Cells of every kind, for any column: valid, faulty and empty.
const CELLS: &[&[u8]] = &[
    b"",
    b"2026-03-01T08:00:00Z",
    b"2026-03-01 08:00:00",
    b"2026-03-29 02:30:00",
    b"yesterday",
    b"u7",
    b"42",
    b"\xc3\xa5sa \xf0\x9f\x98\x80",
    b"\xff",
    b"read",
    b"success",
    b"denied",
    b"ok",
    b"-",
    b"10.0.0.1",
    b"[::1]",
    b"::ffff:10.1.2.3",
    b"2.5",
    b"-0",
    b"1e400",
    b"NaN",
    b"inf",
    b" 2",
    b"\"quoted\"",
];

/// Header names: every canonical field, in another case, repeated, and others.
const NAMES: &[&str] = &[
    "time", "user", "action", "id", "outcome", "patient", "unit", "resource", "ip", "drug",
    "amount", "purpose", "system", "note", "USER", "Amount", "note", "",
];

proptest::proptest! {
    #[test]
    fn rows_read_as_through_a_json_object(
        order in proptest::sample::subsequence((0..NAMES.len()).collect::<Vec<_>>(), 3..NAMES.len()),
        cells in proptest::collection::vec(proptest::sample::select(CELLS), NAMES.len()),
    ) {
        let names: Vec<String> = order.iter().map(|&i| NAMES[i].to_string()).collect();
        let Ok(columns) = Columns::fit(names, &BTreeMap::new()) else {
            return Ok(());
        };
        let row = csv::ByteRecord::from(cells[..order.len()].to_vec());
        let options = ReadOptions::default();
        let got = row_event(&row, &columns, &options);
        proptest::prop_assert_eq!(got, row_through_object(&row, &columns, &options));
    }
}

#[test]
fn every_kind_of_cell_reads_as_through_a_json_object() {
    let names: Vec<String> = NAMES[..14].iter().map(|name| name.to_string()).collect();
    let columns = Columns::fit(names, &BTreeMap::new());
    assert!(columns.is_ok());
    let Ok(columns) = columns else { return };
    let options = ReadOptions::default();
    for column in 0..14 {
        for cell in CELLS {
            let mut cells: Vec<&[u8]> = vec![b"2026-03-01T08:00:00Z", b"u", b"read"];
            cells.resize(14, b"x");
            cells[column] = cell;
            let row = csv::ByteRecord::from(cells);
            let got = row_event(&row, &columns, &options);
            assert_eq!(
                got,
                row_through_object(&row, &columns, &options),
                "{column}"
            );
        }
    }
}
