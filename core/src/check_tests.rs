use super::*;
use crate::parse::parse;

fn diagnostics(text: &str) -> Vec<(String, usize, usize)> {
    let file = match parse(text) {
        Ok(file) => file,
        Err(e) => {
            return e
                .diagnostics
                .iter()
                .map(|d| (d.code.to_string(), 0, 0))
                .collect();
        }
    };
    let all = match check(&file, text) {
        Ok(checked) => checked.warnings,
        Err(e) => e.diagnostics,
    };
    all.iter()
        .map(|d| {
            let (line, column) = d.span().map_or((0, 0), |s| (s.line, s.column));
            (d.code.to_string(), line, column)
        })
        .collect()
}

fn help(text: &str) -> Vec<String> {
    let Ok(file) = parse(text) else { return vec![] };
    match check(&file, text) {
        Ok(_) => vec![],
        Err(e) => e.diagnostics.into_iter().filter_map(|d| d.help).collect(),
    }
}

fn rule(body: &str) -> String {
    format!("rule r {{\n  title \"t\"\n  category pattern\n  severity low\n{body}\n}}\n")
}

fn code(code: &str, line: usize, column: usize) -> (String, usize, usize) {
    (code.to_string(), line, column)
}

#[test]
fn a_good_rule_checks_clean() {
    let text = rule(
        "  where action in {\"read\"} and patient != null\n  group by user per day\n  \
         alert when count() > 3\n  explain \"{user}: {count} in {window}\"",
    );
    assert_eq!(diagnostics(&text), []);
}

#[test]
fn unknown_field_suggests_the_closest() {
    let text = rule("  where usr == \"a\"");
    assert_eq!(diagnostics(&text), [code("LV0201", 5, 9)]);
    assert_eq!(help(&text), ["did you mean `user`?"]);
}

#[test]
fn every_error_in_a_file_is_reported() {
    let text = "rule a {\n  title \"t\"\n  category patern\n  severity huge\n  \
                where outcome == \"ok\" and amount == \"x\"\n}\nrule a { }\n";
    let found = diagnostics(text);
    let expected = [
        code("LV0202", 3, 12),
        code("LV0203", 4, 12),
        code("LV0210", 5, 20),
        code("LV0207", 5, 29),
        code("LV0204", 7, 6),
        code("LV0205", 7, 6),
        code("LV0205", 7, 6),
        code("LV0205", 7, 6),
    ];
    assert_eq!(found, expected);
}

#[test]
fn alert_needs_group_and_aggregates() {
    let text = rule("  alert when count() > 1");
    assert_eq!(diagnostics(&text), [code("LV0213", 5, 14)]);
    let text = rule("  group by user\n  alert when user > 1");
    assert_eq!(diagnostics(&text), [code("LV0207", 6, 14)]);
    let text = rule("  group by user\n  alert when avg(amount) > 1");
    assert_eq!(diagnostics(&text), [code("LV0211", 6, 14)]);
    let text = rule("  where count() > 1");
    assert_eq!(diagnostics(&text), [code("LV0211", 5, 9)]);
}

#[test]
fn where_must_be_a_condition() {
    let text = rule("  where user");
    assert_eq!(diagnostics(&text), [code("LV0215", 5, 9)]);
}

#[test]
fn placeholders_are_checked() {
    let text = rule("  group by user\n  explain \"{user} {patient}\"");
    assert_eq!(diagnostics(&text), [code("LV0208", 6, 11)]);
    let text = rule("  explain \"{user} {patient} at {time}\"");
    assert_eq!(diagnostics(&text), []);
}

#[test]
fn zone_must_exist_and_be_single() {
    let text = format!("zone \"Europe/Stokholm\"\n{}", rule(""));
    assert_eq!(diagnostics(&text), [code("LV0209", 1, 6)]);
    let text = format!("zone \"UTC\"\nzone \"Europe/Oslo\"\n{}", rule(""));
    assert_eq!(diagnostics(&text), [code("LV0214", 2, 6)]);
}

#[test]
fn duplicate_clauses_and_keys() {
    let text = rule("  title \"again\"\n  group by user, user");
    let found = diagnostics(&text);
    assert_eq!(found, [code("LV0206", 5, 3), code("LV0212", 6, 18)]);
}

#[test]
fn ip_literals_must_be_addresses() {
    let text = rule("  where ip == \"10.0.0.300\"");
    assert_eq!(diagnostics(&text), [code("LV0210", 5, 15)]);
    let text = rule("  where ip == \"10.0.0.3\"");
    assert_eq!(diagnostics(&text), []);
}

#[test]
fn the_standard_pack_checks_clean() {
    let text = include_str!("../../rules/standard.vakt");
    assert_eq!(diagnostics(text), []);
}

#[test]
fn parameters_are_typed_and_unused_ones_warned() {
    let body = rule("  group by user\n  alert when count() > limit");
    let text = format!("param limit = 5\nparam unused = \"x\"\n{body}");
    assert_eq!(diagnostics(&text), [code("LV0217", 2, 7)]);
    let text = format!("param limit = \"five\"\n{body}");
    assert_eq!(diagnostics(&text), [code("LV0207", 7, 14)]);
    let body = rule("  where amount > limit");
    let text = format!("param user = 5\nparam limit = 1\nparam limit = 2\n{body}");
    assert_eq!(
        diagnostics(&text),
        [code("LV0216", 1, 7), code("LV0216", 3, 7)]
    );
}

#[test]
fn aggregate_arguments_are_checked() {
    let text = rule("  group by user\n  alert when count(user) > 1");
    assert_eq!(diagnostics(&text), [code("LV0207", 6, 20)]);
    let text = rule("  group by user\n  alert when sum(user) > 1");
    assert_eq!(diagnostics(&text), [code("LV0207", 6, 18)]);
    let text = rule("  group by user\n  alert when sum() > 1");
    assert_eq!(diagnostics(&text), [code("LV0207", 6, 14)]);
    let text = rule("  group by user\n  alert when distinct(patient) > 1 and max(amount) > 2");
    assert_eq!(diagnostics(&text), []);
}
