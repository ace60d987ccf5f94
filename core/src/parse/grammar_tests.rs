//! One test table for the grammar: for every rule of
//! `grammar/loggvakt.pest`, texts it must match whole and texts it must
//! not. A rule added to the grammar without a row here fails
//! `every_grammar_rule_has_examples`.

use super::{Grammar, Rule};
use pest::Parser as _;

/// (rule, texts it matches whole, texts it does not match whole).
fn table() -> Vec<(Rule, &'static [&'static str], &'static [&'static str])> {
    use Rule as R;
    vec![
        (R::WHITESPACE, &[" ", "\t", "\n", "\r"], &["x", ""]),
        (R::COMMENT, &["# note", "#"], &["note", "// note"]),
        (
            R::file,
            &["", "zone \"UTC\"", "# only a comment\n"],
            &["rule {", "zone"],
        ),
        (
            R::declaration,
            &["param a = 1", "list l = {\"a\"}"],
            &["title \"t\""],
        ),
        (
            R::holidays_decl,
            &["holidays sweden", "holidays none;"],
            &["holidays", "holidays \"sweden\""],
        ),
        (
            R::category_decl,
            &["category meds \"Medication\""],
            &["category meds", "category \"x\" \"y\""],
        ),
        (
            R::exception_decl,
            &[
                "exception e { reason \"r\" where user == \"a\" }",
                "exception e {}",
            ],
            &["exception { }", "exception e { title \"t\" }"],
        ),
        (
            R::exception_clause,
            &["reason \"r\"", "where true"],
            &["except e"],
        ),
        (R::reason, &["reason \"why\""], &["reason why"]),
        (
            R::except_decl,
            &["except a", "except a, b;"],
            &["except", "except a,"],
        ),
        (R::name_list, &["a", "a, b, c"], &["a,", ", a"]),
        (
            R::list_decl,
            &["list l = {\"a\", \"b\"}", "list n = {1, 2};"],
            &["list l = \"a\"", "list = {}"],
        ),
        (
            R::condition_decl,
            &["condition c = user == \"a\""],
            &["condition c", "condition = true"],
        ),
        (
            R::param_decl,
            &["param a = 5", "param b = \"x\";", "param c = -2.5"],
            &["param a", "param a = b"],
        ),
        (R::param_value, &["5", "-1", "\"x\""], &["x", "--1"]),
        (R::negative, &["-1", "-0.5"], &["1", "- 1"]),
        (
            R::zone_decl,
            &["zone \"Europe/Stockholm\"", "zone \"UTC\";"],
            &["zone UTC", "zone"],
        ),
        (
            R::rule_decl,
            &["rule r { }", "rule r { title \"t\"; severity low }"],
            &["rule { }", "rule r"],
        ),
        (
            R::clause,
            &["title \"t\"", "severity low", "except e"],
            &["rule r {}"],
        ),
        (R::title, &["title \"A title\""], &["title", "title x"]),
        (
            R::description,
            &["description \"Longer\""],
            &["description 5"],
        ),
        (
            R::category,
            &["category pattern"],
            &["category \"pattern\""],
        ),
        (R::severity, &["severity high"], &["severity 3"]),
        (
            R::tags,
            &["tags \"a\"", "tags \"a\", \"b\""],
            &["tags a", "tags"],
        ),
        (R::except_clause, &["except a, b"], &["except"]),
        (R::where_clause, &["where user == \"a\""], &["where"]),
        (
            R::group_clause,
            &[
                "group by user",
                "group by user, patient per month",
                "group by user within 10 minutes",
            ],
            &["group user", "group by"],
        ),
        (R::key_list, &["user", "user, attr.ward"], &["user,"]),
        (
            R::window,
            &["per day", "within 1 hour", "within 90 seconds"],
            &["per year", "within minutes"],
        ),
        (
            R::duration_unit,
            &["second", "minutes", "hours", "days"],
            &["weeks", "minutesx"],
        ),
        (R::calendar, &["day", "week", "month"], &["days", "year"]),
        (
            R::alert_clause,
            &["alert when count() > 5"],
            &["alert count() > 5"],
        ),
        (
            R::explain_clause,
            &["explain \"{user}\""],
            &["explain user"],
        ),
        (
            R::expr,
            &[
                "a == 1",
                "not (a or b) and c",
                "time between 19:00 and 07:00",
                "-x * 2",
            ],
            &["a ==", "(a", "a b"],
        ),
        (
            R::operand,
            &["not not a", "-x", "time between 01:00 and 02:00"],
            &["a ==", "not"],
        ),
        (R::prefix, &["not", "-"], &["+"]),
        (R::postfix, &["between 19:00 and 07:00"], &["between 19:00"]),
        (
            R::between,
            &["between 00:00 and 24:00"],
            &["between 7:00 and 8:00", "between 19:00 or 07:00"],
        ),
        (R::clock, &["07:30", "24:00"], &["7:30", "0730"]),
        (
            R::infix,
            &["or", "and", "not in", "in", "==", "<=", "/"],
            &["not", "=<"],
        ),
        (
            R::primary,
            &["\"x\"", "{1}", "f(x)", "attr.x"],
            &["()", "not a"],
        ),
        (
            R::call,
            &["count()", "f(a, b)", "lower(user)"],
            &["f(", "f(a,)"],
        ),
        (R::set, &["{}", "{\"a\"}", "{1, 2,}"], &["{a}", "{"]),
        (
            R::path,
            &["user", "attr.ward_pc", "lists.vpn"],
            &["user.", ".user", "user . x"],
        ),
        (
            R::literal,
            &["\"a\"", "3.5", "null", "true", "false"],
            &["nil", "3."],
        ),
        (R::op_or, &["or"], &["||"]),
        (R::op_and, &["and"], &["&&"]),
        (R::op_not, &["not"], &["!"]),
        (R::op_not_in, &["not in", "not  in"], &["notin"]),
        (R::op_in, &["in"], &["inside"]),
        (R::op_eq, &["=="], &["="]),
        (R::op_ne, &["!="], &["<>"]),
        (R::op_le, &["<="], &["=<"]),
        (R::op_ge, &[">="], &["=>"]),
        (R::op_lt, &["<"], &["<<"]),
        (R::op_gt, &[">"], &[">>"]),
        (R::op_add, &["+"], &["++"]),
        (R::op_sub, &["-"], &["--"]),
        (R::op_mul, &["*"], &["**"]),
        (R::op_div, &["/"], &["//"]),
        (R::op_neg, &["-"], &["+"]),
        (
            R::ident,
            &["user", "_x1", "andrew", "intake"],
            &["1x", "and", "in", "rule"],
        ),
        (R::ident_char, &["a", "_", "9"], &["-", "."]),
        (
            R::string,
            &["\"\"", "\"a \\\"b\\\"\"", "\"ö\""],
            &["\"a", "'a'", "\"a\nb\""],
        ),
        (R::string_body, &["abc", "a\\\"b"], &["a\"b"]),
        (R::number, &["0", "12", "3.25"], &["-1", "1.", ".5", "1e3"]),
        (R::keyword, &["and", "within", "exception"], &["tags2"]),
        (R::kw_exception, &["exception"], &["exceptions"]),
        (R::kw_except, &["except"], &["exception"]),
        (R::kw_reason, &["reason"], &["reasons"]),
        (R::kw_tags, &["tags"], &["tag"]),
        (R::kw_holidays, &["holidays"], &["holiday"]),
        (R::kw_list, &["list"], &["lists"]),
        (R::kw_condition, &["condition"], &["conditions"]),
        (R::kw_between, &["between"], &["betweens"]),
        (R::kw_within, &["within"], &["withins"]),
        (R::kw_zone, &["zone"], &["zones"]),
        (R::kw_rule, &["rule"], &["rules"]),
        (R::kw_param, &["param"], &["params"]),
        (R::kw_title, &["title"], &["titles"]),
        (R::kw_description, &["description"], &["descriptions"]),
        (R::kw_category, &["category"], &["categoryx"]),
        (R::kw_severity, &["severity"], &["severityx"]),
        (R::kw_where, &["where"], &["wherever"]),
        (R::kw_group, &["group"], &["groups"]),
        (R::kw_by, &["by"], &["bye"]),
        (R::kw_per, &["per"], &["period"]),
        (R::kw_day, &["day"], &["days"]),
        (R::kw_week, &["week"], &["weeks"]),
        (R::kw_month, &["month"], &["months"]),
        (R::kw_alert, &["alert"], &["alerts"]),
        (R::kw_when, &["when"], &["whence"]),
        (R::kw_explain, &["explain"], &["explains"]),
        (R::kw_and, &["and"], &["andrew"]),
        (R::kw_or, &["or"], &["order"]),
        (R::kw_not, &["not"], &["note"]),
        (R::kw_in, &["in"], &["intake"]),
        (R::kw_null, &["null"], &["nullable"]),
        (R::kw_true, &["true"], &["trueish"]),
        (R::kw_false, &["false"], &["falsey"]),
        (R::EOI, &[""], &["x"]),
        (
            R::sample_decl,
            &[
                "sample 10 findings per category",
                "sample 1 findings per category;",
            ],
            &["sample findings per category", "sample 10 findings"],
        ),
        (
            R::spot_check_decl,
            &["spot check 5 users, 3 events each where action == \"read\""],
            &[
                "spot check 5 users, 3 events each",
                "spot check 5 users 3 events each where true",
            ],
        ),
        (R::kw_sample, &["sample"], &["samples"]),
        (R::kw_findings, &["findings"], &["finding"]),
        (R::kw_spot, &["spot"], &["spots"]),
        (R::kw_check, &["check"], &["checks"]),
        (R::kw_users, &["users"], &["user"]),
        (R::kw_events, &["events"], &["event"]),
        (R::kw_each, &["each"], &["eachs"]),
    ]
}

/// Whether `rule` matches all of `text`: the pairs it yields end where
/// the text ends. The few rules that yield no pairs (white space,
/// comments, keywords, identifier characters) count as matching when they
/// parse; their counter-examples fail at the first character.
fn matches_whole(rule: Rule, text: &str) -> bool {
    let Ok(pairs) = Grammar::parse(rule, text) else {
        return false;
    };
    pairs
        .map(|p| p.as_span().end())
        .max()
        .is_none_or(|end| end == text.len())
}

#[test]
fn every_grammar_rule_has_examples() {
    let table = table();
    let missing: Vec<Rule> = Rule::all_rules()
        .iter()
        .copied()
        .filter(|r| !table.iter().any(|(t, _, _)| t == r))
        .collect();
    assert!(missing.is_empty(), "rules without examples: {missing:?}");
}

#[test]
fn every_grammar_rule_matches_its_examples_and_only_them() {
    let mut faults = Vec::new();
    for (rule, good, bad) in table() {
        for text in good.iter().filter(|t| !matches_whole(rule, t)) {
            faults.push(format!("{rule:?} should match {text:?}"));
        }
        for text in bad.iter().filter(|t| matches_whole(rule, t)) {
            faults.push(format!("{rule:?} should not match {text:?}"));
        }
    }
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}
