use super::*;
use crate::context::{ListKind, NarcoticClass};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use std::path::PathBuf;

fn zone() -> Tz {
    chrono_tz::Europe::Stockholm
}

fn example() -> Context {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/context");
    Context::load_dir(&dir, zone()).unwrap()
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

fn local(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// A fresh folder holding `files` (path, text).
fn folder(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("loggvakt-context-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Code and message of every problem in a folder of `files`.
fn problems(name: &str, files: &[(&str, &str)]) -> Vec<(&'static str, String)> {
    let dir = folder(name, files);
    let error = Context::load_dir(&dir, zone()).unwrap_err();
    let _ = std::fs::remove_dir_all(&dir);
    error
        .diagnostics
        .into_iter()
        .map(|d| (d.code, d.message))
        .collect()
}

fn one(code: &'static str, message: &str) -> Vec<(&'static str, String)> {
    vec![(code, message.to_string())]
}

#[test]
fn the_example_users_are_read_with_every_column() {
    let context = example();
    assert_eq!(context.user_units("anna"), ["ward-4", "ward-7"]);
    assert_eq!(context.user_roles("anna"), ["nurse"]);
    assert_eq!(context.user_permissions("anna"), ["read", "write"]);
    assert_eq!(context.user_permissions("bo"), ["read", "emergency"]);
    assert_eq!(context.user_units("cia"), [] as [&str; 0]);
    assert_eq!(context.employed_on("bo", day("2026-03-31")), Some(true));
    assert_eq!(context.employed_on("bo", day("2026-04-01")), Some(false));
    assert_eq!(context.employed_on("anna", day("2019-12-31")), Some(false));
    assert_eq!(context.employed_on("cia", day("1999-01-01")), Some(true));
    assert_eq!(context.employed_on("dan", day("2026-03-01")), None);
}

#[test]
fn the_example_schedule_crosses_midnight() {
    let context = example();
    // 2026-03-02 is a Monday, 2026-03-07 a Saturday.
    assert_eq!(
        context.on_shift("anna", local("2026-03-02 07:00")),
        Some(true)
    );
    assert_eq!(
        context.on_shift("anna", local("2026-03-02 16:00")),
        Some(false)
    );
    assert_eq!(
        context.on_shift("anna", local("2026-03-07 23:30")),
        Some(true)
    );
    assert_eq!(
        context.on_shift("anna", local("2026-03-08 06:59")),
        Some(true)
    );
    assert_eq!(
        context.on_shift("anna", local("2026-03-08 07:00")),
        Some(false)
    );
    assert_eq!(context.on_shift("bo", local("2026-03-02 07:00")), None);
}

#[test]
fn the_example_patients_are_read_from_json() {
    let context = example();
    assert_eq!(context.patient_protected("p1"), Some(true));
    assert_eq!(context.patient_media_interest("p1"), Some(false));
    assert_eq!(context.patient_units("p1"), ["ward-4"]);
    assert_eq!(context.patient_media_interest("p2"), Some(true));
    assert_eq!(context.patient_units("p2"), ["ward-9"]);
    assert_eq!(context.patient_protected("p3"), Some(false));
    assert_eq!(context.patient_protected("p4"), None);
}

#[test]
fn the_example_relations_hold_in_local_time() {
    let context = example();
    // A day is local midnight: 2026-03-01 00:00 in Stockholm is 23:00 UTC.
    assert!(!context.related("anna", "p1", at("2026-02-28T22:59:59Z")));
    assert!(context.related("anna", "p1", at("2026-02-28T23:00:00Z")));
    assert!(context.related("anna", "p1", at("2026-03-31T21:59:59Z")));
    assert!(!context.related("anna", "p1", at("2026-03-31T22:00:00Z")));
    // bo works at ward-9, which holds p2 from a local 08:00.
    assert!(!context.related("bo", "p2", at("2026-03-10T06:59:59Z")));
    assert!(context.related("bo", "p2", at("2026-03-10T07:00:00Z")));
    assert!(context.related("bo", "p2", at("2030-01-01T00:00:00Z")));
    assert!(context.related("bo", "p3", at("2026-03-05T12:00:00Z")));
    assert!(!context.related("bo", "p3", at("2026-03-06T12:00:00Z")));
    assert!(!context.related("anna", "p2", at("2026-03-15T12:00:00Z")));
}

#[test]
fn the_example_drugs_and_lists_are_read() {
    let context = example();
    assert_eq!(context.drug_class("morphine-10"), Some(NarcoticClass::II));
    assert_eq!(context.drug_class("diazepam-5"), Some(NarcoticClass::IV));
    assert_eq!(context.drug_class("codeine-25"), Some(NarcoticClass::V));
    assert_eq!(context.drug_class("paracetamol"), None);

    let vpn = context.list("vpn").unwrap();
    assert_eq!((vpn.kind(), vpn.len()), (ListKind::Cidr, 2));
    assert!(vpn.contains_ip("10.20.1.2".parse().unwrap()));
    assert!(!vpn.contains_ip("10.21.1.2".parse().unwrap()));
    let accounts = context.list("service_accounts").unwrap();
    assert_eq!((accounts.kind(), accounts.len()), (ListKind::Text, 2));
    assert!(accounts.contains_text("svc-etl"));
}

#[test]
fn built_in_lists_and_country_data_come_with_every_folder() {
    let context = example();
    let eu = context.list("eu_eea").unwrap();
    assert_eq!((eu.kind(), eu.len()), (ListKind::Text, 30));
    assert!(eu.contains_text("SE") && !eu.contains_text("GB"));
    let adequate = context.list("gdpr_adequacy").unwrap();
    assert_eq!(adequate.len(), 15);
    assert!(adequate.contains_text("GB") && !adequate.contains_text("SE"));
    assert_eq!(context.country("8.8.8.8".parse().unwrap()), Some("US"));
}

#[test]
fn the_summary_names_every_file_with_rows_and_digest() {
    let summary = example().summary();
    let files: Vec<(&str, u64)> = summary
        .files
        .iter()
        .map(|f| (f.name.as_str(), f.rows))
        .collect();
    assert_eq!(
        files,
        [
            ("drugs.csv", 3),
            ("lists/service_accounts.txt", 2),
            ("lists/vpn.cidr", 2),
            ("patients.json", 3),
            ("relations.csv", 3),
            ("users.csv", 3),
        ]
    );
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/context");
    let bytes = std::fs::read(dir.join("users.csv")).unwrap();
    assert_eq!(summary.files[5].sha256, sha256_hex(&bytes));
    let builtin: Vec<&str> = summary
        .builtin_lists
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(builtin, ["eu_eea", "gdpr_adequacy"]);
    let countries = summary.countries.unwrap();
    assert_eq!(
        (
            countries.name.as_str(),
            countries.version.as_deref(),
            countries.date.as_deref()
        ),
        ("iptocc", Some("1.4.175"), Some("2026-11-01"))
    );
}

#[test]
fn an_empty_folder_is_built_in_data_only() {
    let dir = folder("empty", &[]);
    let context = Context::load_dir(&dir, zone()).unwrap();
    assert!(context.summary().files.is_empty());
    assert!(context.list("eu_eea").is_some());
    assert!(!context.is_known_user("anna"));
}

#[test]
fn a_folder_list_replaces_a_built_in_one() {
    let dir = folder("override", &[("lists/eu_eea.txt", "SE\nNO\n")]);
    let context = Context::load_dir(&dir, zone()).unwrap();
    assert_eq!(context.list("eu_eea").map(|l| l.len()), Some(2));
    let builtin: Vec<String> = context
        .summary()
        .builtin_lists
        .into_iter()
        .map(|f| f.name)
        .collect();
    assert_eq!(builtin, ["gdpr_adequacy"]);
}

#[test]
fn countries_csv_replaces_the_built_in_data() {
    let text = "network,country\n8.8.8.0/24,se\n10.0.0.0/8,NO\n";
    let dir = folder("countries", &[("countries.csv", text)]);
    let context = Context::load_dir(&dir, zone()).unwrap();
    assert_eq!(context.country("8.8.8.8".parse().unwrap()), Some("SE"));
    assert_eq!(context.country("10.1.2.3".parse().unwrap()), Some("NO"));
    assert_eq!(context.country("1.0.16.1".parse().unwrap()), None);
    let countries = context.summary().countries.unwrap();
    assert_eq!(
        (countries.name.as_str(), countries.version),
        ("countries.csv", None)
    );
}

#[test]
fn a_missing_column_is_named_at_the_header() {
    let found = problems("missing", &[("users.csv", "units,roles\nward-4,nurse\n")]);
    assert_eq!(
        found,
        one("LV0510", "users.csv:1: the column `id` is missing")
    );
}

#[test]
fn an_unknown_column_gets_a_suggestion() {
    let dir = folder("unknown-column", &[("users.csv", "id,unit\nanna,ward-4\n")]);
    let error = Context::load_dir(&dir, zone()).unwrap_err();
    let d = &error.diagnostics[0];
    assert_eq!(
        (d.code, d.message.as_str()),
        ("LV0510", "users.csv:1: unknown column `unit`")
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `units`?"));
}

#[test]
fn a_bad_date_is_placed_at_its_line_and_column() {
    let text = "id,employed_from\nanna,2020-01-01\nbo,2026-13-01\n";
    let dir = folder("date", &[("users.csv", text)]);
    let error = Context::load_dir(&dir, zone()).unwrap_err();
    let d = &error.diagnostics[0];
    assert_eq!(d.code, "LV0511");
    assert_eq!(
        d.message,
        "users.csv:3: `employed_from` is `2026-13-01`, which is not a date"
    );
    let label = &d.labels[0];
    assert_eq!(
        (label.span.line, label.message.as_str()),
        (3, "employed_from")
    );
}

#[test]
fn a_bad_relation_time_is_an_error() {
    let text = "user,patient,from\nanna,p1,yesterday\n";
    let found = problems("relation-time", &[("relations.csv", text)]);
    assert_eq!(
        found,
        one(
            "LV0511",
            "relations.csv:2: `from` is `yesterday`, which is not a time"
        )
    );
}

#[test]
fn a_bad_boolean_is_an_error_in_csv_and_json() {
    let csv = "id,protected\np1,ja\n";
    let json = "[\n  {\"id\": \"p1\"},\n  {\"id\": \"p2\", \"media_interest\": \"maybe\"}\n]\n";
    let found = problems("boolean-csv", &[("patients.csv", csv)]);
    assert_eq!(
        found,
        one(
            "LV0512",
            "patients.csv:2: `protected` is `ja`, which is not true or false"
        )
    );
    let found = problems("boolean-json", &[("patients.json", json)]);
    assert_eq!(
        found,
        one(
            "LV0512",
            "patients.json:3: `media_interest` is `maybe`, which is not true or false"
        )
    );
}

#[test]
fn a_duplicate_id_is_placed_at_the_second_row() {
    let text = "id,units\nanna,ward-4\nbo,ward-9\nanna,ward-7\n";
    let found = problems("duplicate", &[("users.csv", text)]);
    assert_eq!(
        found,
        one("LV0501", "users.csv:4: user `anna` is given twice")
    );
    let drugs = "id,class\nm,II\nm,III\n";
    let found = problems("duplicate-drug", &[("drugs.csv", drugs)]);
    assert_eq!(found, one("LV0508", "drugs.csv:3: drug `m` is given twice"));
}

#[test]
fn a_relation_ending_before_it_starts_is_an_error() {
    let text = "user,unit,patient,from,to\nanna,,p1,2026-03-10,2026-03-01\n";
    let found = problems("backwards", &[("relations.csv", text)]);
    assert_eq!(
        found,
        one(
            "LV0503",
            "relations.csv:2: care relation from user `anna` to patient `p1` ends before it starts"
        )
    );
}

#[test]
fn a_relation_needs_one_holder() {
    let text = "user,unit,patient\nanna,ward-4,p1\n,,p2\n";
    let found = problems("holder", &[("relations.csv", text)]);
    let expected = [
        (
            "LV0515",
            "relations.csv:2: the row gives both a `user` and a `unit`",
        ),
        (
            "LV0515",
            "relations.csv:3: the row gives neither a `user` nor a `unit`",
        ),
    ];
    assert_eq!(found, expected.map(|(c, m)| (c, m.to_string())));
}

#[test]
fn a_bad_cidr_is_placed_at_its_line() {
    let text = "# ranges\n10.0.0.0/8\n\n10.1.0.0/8\nintranet\n";
    let found = problems("cidr", &[("lists/vpn.cidr", text)]);
    let expected = [
        (
            "LV0504",
            "lists/vpn.cidr:4: list `vpn` has `10.1.0.0/8`, which has bits set after the prefix",
        ),
        (
            "LV0504",
            "lists/vpn.cidr:5: list `vpn` has `intranet`, which is not an address range",
        ),
    ];
    assert_eq!(found, expected.map(|(c, m)| (c, m.to_string())));
}

#[test]
fn an_unknown_file_gets_a_suggestion() {
    let dir = folder(
        "unknown-file",
        &[("user.csv", "id\nanna\n"), ("notes.md", "x")],
    );
    let error = Context::load_dir(&dir, zone()).unwrap_err();
    let d = &error.diagnostics[0];
    assert_eq!(error.diagnostics.len(), 1);
    assert_eq!(
        (d.code, d.message.as_str()),
        (
            "LV0509",
            "the context folder holds `user.csv`, which is no context file"
        )
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `users.csv`?"));
}

#[test]
fn folder_names_that_break_the_convention_are_errors() {
    let files = [
        ("users.csv", "id\na\n"),
        ("users.json", "[]"),
        ("lists/vpn.csv", "10.0.0.0/8\n"),
        ("lists/my-list.txt", "a\n"),
    ];
    let found = problems("names", &files);
    let codes: Vec<&str> = found.iter().map(|(code, _)| *code).collect();
    assert_eq!(codes, ["LV0509"; 3]);
    assert_eq!(
        found[0].1,
        "`lists/my-list.txt` names the list `my-list`, which rules cannot write"
    );
    assert_eq!(
        found[1].1,
        "the context folder holds `lists/vpn.csv`, which is no list file"
    );
    assert_eq!(
        found[2].1,
        "`users.csv` and `users.json` hold the same data"
    );
}

#[test]
fn every_bad_row_of_every_file_is_reported_at_once() {
    let files = [
        (
            "users.csv",
            "id,employed_to,schedule\n,2026-01-01,\nbo,soon,mon 25:00-07:00\n",
        ),
        (
            "drugs.json",
            "[{\"id\": \"m\", \"class\": \"VI\"}, {\"id\": 7, \"klass\": \"II\"}]",
        ),
    ];
    let found = problems("many", &files);
    // Files in the order users, patients, relations, drugs, countries,
    // lists; within a file by line.
    let expected = [
        ("LV0515", "users.csv:2: `id` is empty"),
        (
            "LV0511",
            "users.csv:3: `employed_to` is `soon`, which is not a date",
        ),
        (
            "LV0514",
            "users.csv:3: `schedule` has the shift `mon 25:00-07:00`, which cannot be read",
        ),
        ("LV0510", "drugs.json:1: unknown column `klass`"),
        ("LV0510", "drugs.json:1: the column `class` is missing"),
        (
            "LV0513",
            "drugs.json:1: `class` is `VI`, which is not a narcotic class",
        ),
    ];
    assert_eq!(found, expected.map(|(c, m)| (c, m.to_string())));
}

#[test]
fn broken_files_are_errors_of_the_whole_file() {
    let found = problems("json", &[("patients.json", "{\"id\": \"p1\"}")]);
    assert_eq!(
        found,
        one("LV0516", "patients.json:1: not an array of objects")
    );
    let dir = folder("bom", &[("users.csv", "\u{feff}id\nanna\n")]);
    assert!(
        Context::load_dir(&dir, zone())
            .unwrap()
            .is_known_user("anna")
    );
    let dir = folder("latin1", &[]);
    std::fs::write(dir.join("users.csv"), b"id\nK\xe5re\n").unwrap();
    let error = Context::load_dir(&dir, zone()).unwrap_err();
    assert_eq!(
        error.diagnostics[0].message,
        "users.csv: not UTF-8 (at byte 4)"
    );
}

#[test]
fn a_missing_folder_cannot_be_read() {
    let error = Context::load_dir(Path::new("/no/such/folder"), zone()).unwrap_err();
    assert_eq!(error.diagnostics[0].code, "LV0403");
}

fn tables(users: Vec<serde_json::Value>) -> ContextTables {
    ContextTables {
        users: Some(users),
        ..ContextTables::default()
    }
}

fn memory_problems(tables: &ContextTables) -> Vec<(String, String)> {
    let error = Context::from_tables(tables, zone()).unwrap_err();
    let found = error.diagnostics.iter();
    found
        .map(|d| (d.code.to_string(), d.message.clone()))
        .collect()
}

#[test]
fn tables_in_memory_read_as_the_folder_does() {
    use serde_json::json;
    let tables = ContextTables {
        users: Some(vec![
            json!({"id": "anna", "units": ["ward-4", "ward-7"], "employed_from": "2020-01-01",
                   "schedule": "mon-fri 07:00-16:00; sat 22:00-07:00", "roles": null}),
        ]),
        relations: Some(vec![
            json!({"user": "anna", "patient": "p1", "from": "2026-03-01"}),
        ]),
        drugs: Some(vec![json!({"id": "codeine-25", "class": 5})]),
        lists: vec![(
            "vpn.cidr".into(),
            vec![" 10.0.0.0/8 ".into(), String::new()],
        )],
        ..ContextTables::default()
    };
    let context = Context::from_tables(&tables, zone()).unwrap();
    let folder = example();
    assert_eq!(context.user_units("anna"), folder.user_units("anna"));
    assert_eq!(
        context.on_shift("anna", local("2026-03-07 23:00")),
        Some(true)
    );
    assert!(context.related("anna", "p1", at("2026-03-01T00:00:00+01:00")));
    assert!(!context.related("anna", "p1", at("2026-02-28T23:59:59+01:00")));
    assert_eq!(context.drug_class("codeine-25"), Some(NarcoticClass::V));
    assert!(
        context
            .list("vpn")
            .unwrap()
            .contains_ip("10.1.2.3".parse().unwrap())
    );

    let summary = context.summary();
    let names: Vec<(&str, u64)> = summary
        .files
        .iter()
        .map(|f| (f.name.as_str(), f.rows))
        .collect();
    assert_eq!(
        names,
        [
            ("drugs", 1),
            ("lists/vpn.cidr", 1),
            ("relations", 1),
            ("users", 1)
        ]
    );
    let vpn = &summary.files[1];
    assert_eq!(vpn.sha256, sha256_hex(b"10.0.0.0/8\n"));
    let drugs = &summary.files[0];
    assert_eq!(
        drugs.sha256,
        sha256_hex(b"{\"class\":5,\"id\":\"codeine-25\"}\n")
    );
    assert_eq!(summary.countries.unwrap().name, "iptocc");
}

#[test]
fn problems_in_memory_are_placed_at_their_row() {
    use serde_json::json;
    let bad = tables(vec![
        json!({"id": "anna", "nmae": "x"}),
        json!({"id": "bo", "nmae": "y", "employed_from": "1 May"}),
        json!("bo"),
        json!({"id": "anna"}),
    ]);
    let found = memory_problems(&bad);
    let messages: Vec<&str> = found
        .iter()
        .map(|(c, m)| {
            assert!(c.starts_with("LV05"));
            m.as_str()
        })
        .collect();
    assert_eq!(
        messages,
        [
            "users[0]: unknown column `nmae`",
            "users[1]: `employed_from` is `1 May`, which is not a date",
            "users[2]: not a record",
            "users[3]: user `anna` is given twice",
        ]
    );
    let missing = tables(vec![json!({"units": "ward-4"})]);
    assert_eq!(
        memory_problems(&missing)[0],
        (
            "LV0510".into(),
            "users[0]: the column `id` is missing".into()
        )
    );
}

#[test]
fn lists_in_memory_are_named_as_their_files() {
    let lists = |names: &[&str]| ContextTables {
        lists: names
            .iter()
            .map(|n| (n.to_string(), vec!["10.0.0.0/8".to_string()]))
            .collect(),
        ..ContextTables::default()
    };
    let found = memory_problems(&lists(&["vpn", "1st.txt", "a.txt", "a.cidr"]));
    let codes: Vec<&str> = found.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(codes, ["LV0509", "LV0509", "LV0509"]);
    assert_eq!(
        found[2].1,
        "`lists/a.txt` and `lists/a.cidr` hold the same data"
    );
    let bad = ContextTables {
        lists: vec![(
            "vpn.cidr".into(),
            vec!["10.0.0.0/8".into(), "10.1.0.0/8".into()],
        )],
        ..ContextTables::default()
    };
    let found = memory_problems(&bad);
    assert_eq!(found[0].0, "LV0504");
    assert!(found[0].1.starts_with("lists/vpn.cidr[1]: "), "{found:?}");
}

#[test]
fn csv_rows_are_placed_at_their_line_after_crlf_and_blank_lines() {
    let lines = |text: &str, name: &str| -> Vec<String> {
        let found = problems(name, &[("users.csv", text)]);
        found.into_iter().map(|(_, message)| message).collect()
    };
    let crlf = "id,employed_from\r\nanna,2020-01-01\r\nbo,1 May\r\nanna,\r\n";
    assert_eq!(
        lines(crlf, "crlf"),
        [
            "users.csv:3: `employed_from` is `1 May`, which is not a date",
            "users.csv:4: user `anna` is given twice",
        ]
    );
    let blank = "id,employed_from\nanna,\n\n\nbo,1 May\n";
    assert_eq!(
        lines(blank, "blank"),
        ["users.csv:5: `employed_from` is `1 May`, which is not a date"]
    );
}
