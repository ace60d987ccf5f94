use super::*;
use crate::print;
use proptest::prelude::*;

fn fmt(text: &str) -> String {
    format_source(text).unwrap_or_else(|e| panic!("{text}\n{e:?}"))
}

fn repo_file(name: &str) -> String {
    let path = format!("{}/../{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The syntax tree without byte ranges, for comparing two texts' meaning.
fn meaning(text: &str) -> String {
    let file = parse(text).unwrap_or_else(|e| panic!("{text}\n{e:?}"));
    let debug = format!("{file:?}");
    let ranges = regex::Regex::new(r"range: Range \{ start: \d+, end: \d+ \}").unwrap();
    // `param x = -0` prints as `0`: the same number, but not the same debug text.
    ranges
        .replace_all(&debug, "")
        .replace("Number(-0.0)", "Number(0.0)")
}

/// Every comment's text, sorted.
fn comment_texts(text: &str) -> Vec<String> {
    let mut texts: Vec<String> = comments::scan(text)
        .iter()
        .map(|c| c.text(text).to_string())
        .collect();
    texts.sort();
    texts
}

/// The properties every formatting must have.
fn assert_sound(text: &str) -> String {
    let once = fmt(text);
    assert_eq!(fmt(&once), once, "not idempotent:\n{text}\n---\n{once}");
    assert_eq!(
        meaning(&once),
        meaning(text),
        "meaning changed:\n{text}\n---\n{once}"
    );
    assert_eq!(
        comment_texts(&once),
        comment_texts(text),
        "comments:\n{text}\n---\n{once}"
    );
    assert!(once.is_empty() || once.ends_with('\n'));
    once
}

#[test]
fn clauses_go_one_per_line_with_keywords_aligned_and_separators_dropped() {
    let text = "rule r{title \"T\";category pattern;severity low;tags \"a\",\"b\"\n\
                where action==\"read\";group by user,attr.ward within 10 minutes\n\
                alert when count()>=2;except e;explain \"{user}\"}";
    let expected = "\
rule r {
    title    \"T\"
    category pattern
    severity low
    tags     \"a\", \"b\"
    where    action == \"read\"
    group by user, attr.ward within 10 minutes
    alert    when count() >= 2
    except   e
    explain  \"{user}\"
}
";
    assert_eq!(assert_sound(text), expected);
}

#[test]
fn a_description_widens_the_keyword_column() {
    let text = "rule r { description \"D\" title \"T\" group by user per week }";
    let expected = "\
rule r {
    description \"D\"
    title       \"T\"
    group by    user per week
}
";
    assert_eq!(assert_sound(text), expected);
}

#[test]
fn declarations_keep_their_order_and_blank_lines_follow_the_rules() {
    let text = "\
zone   \"Europe/Stockholm\" ;
holidays sweden_eves
category med \"Medication\"
param a = -5
param b = \"x\"


list l = {\"x\" , \"y\",}
condition c = hour(time) < 7
exception e { where user == \"svc\" reason \"Reviewed\" }
except e
rule r { title \"T\" }
param z = 1";
    let expected = "\
zone \"Europe/Stockholm\"
holidays sweden_eves
category med \"Medication\"
param a = -5
param b = \"x\"

list l = {\"x\", \"y\"}
condition c = hour(time) < 7

exception e {
    where  user == \"svc\"
    reason \"Reviewed\"
}

except e

rule r {
    title \"T\"
}

param z = 1
";
    assert_eq!(assert_sound(text), expected);
}

#[test]
fn strings_get_canonical_escapes() {
    let text = "rule r { title \"tab\tand \\\"quote\\\" # not a comment\" }";
    let expected = "rule r {\n    title \"tab\\tand \\\"quote\\\" # not a comment\"\n}\n";
    assert_eq!(assert_sound(text), expected);
}

#[test]
fn comments_stay_before_their_declaration_or_clause_and_at_line_ends() {
    let text = "\
# Header.

# About the parameter.
param max_opens = 50   # per month
param few = 2 # trailing

# About the rule.
rule r {  # the rule
    # About the title.
    title \"T\"  # short
    category pattern ; # why
    # Left at the end.
}  # done
# At the end.
";
    let expected = "\
# Header.

# About the parameter.
param max_opens = 50   # per month
param few = 2          # trailing

# About the rule.
rule r {   # the rule
    # About the title.
    title    \"T\"       # short
    category pattern   # why
    # Left at the end.
}   # done

# At the end.
";
    assert_eq!(assert_sound(text), expected);
}

#[test]
fn a_comment_inside_an_expression_moves_to_the_end_of_its_construct() {
    let text = "\
condition c = user == \"a\"  # first operand
    and action == \"read\"    # last operand
rule r {
    where action == \"read\"  # reads
          and patient != null
    title \"T\"
}
";
    let expected = "\
condition c = user == \"a\" and action == \"read\"   # last operand
# first operand

rule r {
    where action == \"read\" and patient != null
    # reads
    title \"T\"
}
";
    assert_eq!(assert_sound(text), expected);
}

#[test]
fn comments_between_keyword_and_brace_go_first_in_the_block() {
    let text = "rule # one\n r # two\n { title \"T\" }\nexception # three\n e { reason \"R\" }";
    let expected = "\
rule r {
    # one
    # two
    title \"T\"
}

exception e {
    # three
    reason \"R\"
}
";
    assert_eq!(assert_sound(text), expected);
}

#[test]
fn long_conditions_break_before_and_or_aligned_under_the_value() {
    let text = "rule r { title \"T\" category pattern severity low where action in {\"read\", \"print\"} \
                and not (system == \"ehr\" or system == null) and attr.workstation != \"shared-ward-pc\"
                alert when count(action == \"withdrawal\") >= 3 and (count(action == \"administration\") == 0 \
                or count(action == \"withdrawal\") / count(action == \"administration\") > max_ratio) }";
    let expected = "\
rule r {
    title    \"T\"
    category pattern
    severity low
    where    action in {\"read\", \"print\"}
             and not (system == \"ehr\" or system == null)
             and attr.workstation != \"shared-ward-pc\"
    alert    when count(action == \"withdrawal\") >= 3
             and (count(action == \"administration\") == 0
                  or count(action == \"withdrawal\") / count(action == \"administration\") > max_ratio)
}
";
    assert_eq!(assert_sound(text), expected);
}

#[test]
fn a_long_condition_declaration_aligns_after_the_equals_sign() {
    let long = (0..12)
        .map(|i| format!("user == \"u{i}\""))
        .collect::<Vec<_>>();
    let text = format!("condition c = {}", long.join(" or "));
    let once = assert_sound(&text);
    let lines: Vec<&str> = once.lines().collect();
    assert!(lines.len() > 1, "{once}");
    assert!(lines.iter().all(|l| l.chars().count() <= 100), "{once}");
    assert!(lines[1].starts_with(&format!("{}or ", " ".repeat("condition c = ".len()))));
}

#[test]
fn a_second_reason_the_tree_does_not_keep_is_printed_as_written() {
    let text = "exception e {\n  reason   \"first\" # one\n  reason \"second\"\n}\n";
    let expected = "exception e {\n    reason   \"first\"   # one\n    reason \"second\"\n}\n";
    assert_eq!(assert_sound(text), expected);
}

#[test]
fn crlf_and_byte_order_mark_are_dropped_and_empty_files_stay_empty() {
    let text = "\u{FEFF}# c\r\nparam a = 1\r\n";
    assert_eq!(assert_sound(text), "# c\nparam a = 1\n");
    assert_eq!(assert_sound(""), "");
    assert_eq!(assert_sound("\n\n  \n"), "");
    assert_eq!(
        assert_sound("# only\n\n\n# comments"),
        "# only\n\n# comments\n"
    );
}

#[test]
fn a_file_that_does_not_parse_gives_the_parse_diagnostics() {
    let text = "rule r {\n  where action = \"read\"\n}\n";
    let error = format_source(text).unwrap_err();
    assert_eq!(error, parse(text).unwrap_err());
    assert_eq!(error.diagnostics[0].code, "LV0101");
}

#[test]
fn the_standard_pack_is_canonical() {
    let text = repo_file("rules/standard.vakt");
    assert_eq!(assert_sound(&text), text);
}

/// The fenced ```vakt blocks of a Markdown page.
fn vakt_blocks(page: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut current: Option<String> = None;
    for line in page.lines() {
        match (&mut current, line) {
            (None, "```vakt") => current = Some(String::new()),
            (Some(block), "```") => found.push(std::mem::take(block)),
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
        if line == "```" {
            current = None;
        }
    }
    found
}

#[test]
fn every_example_of_the_language_docs_is_canonical() {
    let blocks = vakt_blocks(&repo_file("docs/language.md"));
    assert!(blocks.len() >= 10, "{} blocks", blocks.len());
    for block in blocks {
        assert_eq!(assert_sound(&block), block);
    }
}

// Generated rule files: the grammar's constructs, written untidily.

fn leaf() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("user".to_string()),
        Just("attr.ward_pc".to_string()),
        Just("patient.units".to_string()),
        Just("count()".to_string()),
        Just("lower(user)".to_string()),
        "[a-z #\"\\\\\t\né]{0,8}".prop_map(|s| print::string(&s)),
        (0u32..2000).prop_map(|n| n.to_string()),
        Just("2.5".to_string()),
        Just("null".to_string()),
        Just("true".to_string()),
        Just("false".to_string()),
    ]
}

fn clock() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u8..24, prop::sample::select(vec![0u8, 30, 59]))
            .prop_map(|(h, m)| format!("{h:02}:{m:02}")),
        Just("24:00".to_string()),
    ]
}

fn set() -> impl Strategy<Value = String> {
    let item = prop_oneof![
        "[a-z#]{1,6}".prop_map(|s| print::string(&s)),
        (0u32..100).prop_map(|n| n.to_string()),
    ];
    (prop::collection::vec(item, 0..4), any::<bool>()).prop_map(|(items, comma)| {
        let comma = if comma && !items.is_empty() { "," } else { "" };
        format!("{{{}{comma}}}", items.join(", "))
    })
}

fn expr() -> impl Strategy<Value = String> {
    let op = prop::sample::select(vec![
        "and", "or", "and", "or", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/",
    ]);
    leaf().prop_recursive(5, 40, 4, move |inner| {
        prop_oneof![
            3 => (inner.clone(), op.clone(), inner.clone())
                .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
            1 => inner.clone().prop_map(|a| format!("({a})")),
            1 => inner.clone().prop_map(|a| format!("not {a}")),
            1 => inner.clone().prop_map(|a| format!("-{a}")),
            1 => (inner.clone(), clock(), clock())
                .prop_map(|(a, f, t)| format!("{a} between {f} and {t}")),
            1 => (inner.clone(), set(), any::<bool>()).prop_map(|(a, s, not)| {
                format!("{a} {} {s}", if not { "not in" } else { "in" })
            }),
            1 => prop::collection::vec(inner, 0..3)
                .prop_map(|args| format!("matches({})", args.join(", "))),
        ]
    })
}

/// A condition, often a long chain of `and` and `or` that must break.
fn condition() -> impl Strategy<Value = String> {
    let joiner = prop::sample::select(vec![" and ", " or ", " and "]);
    let chain = prop::collection::vec((expr(), joiner, any::<bool>()), 3..8).prop_map(|parts| {
        let mut out = String::new();
        for (i, (part, joiner, parens)) in parts.iter().enumerate() {
            if i > 0 {
                out.push_str(joiner);
            }
            match parens {
                true => out.push_str(&format!(
                    "({part} or attr.long_field_name != \"some value\")"
                )),
                false => out.push_str(part),
            }
        }
        out
    });
    prop_oneof![1 => expr(), 2 => chain]
}

fn quoted() -> impl Strategy<Value = String> {
    "[A-Za-z #{}\"\\\\é]{0,12}".prop_map(|s| print::string(&s))
}

fn window() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        prop::sample::select(vec![" per day", " per week", " per month"]).prop_map(String::from),
        (
            1u32..120,
            prop::sample::select(vec!["minutes", "second", "hours", "day"])
        )
            .prop_map(|(n, unit)| format!(" within {n} {unit}")),
    ]
}

fn clause() -> impl Strategy<Value = String> {
    prop_oneof![
        quoted().prop_map(|s| format!("title {s}")),
        quoted().prop_map(|s| format!("description {s}")),
        Just("category unauthorized".to_string()),
        Just("severity high".to_string()),
        prop::collection::vec(quoted(), 1..3).prop_map(|t| format!("tags {}", t.join(", "))),
        Just("except service_accounts, next_of_kin".to_string()),
        condition().prop_map(|e| format!("where {e}")),
        window().prop_map(|w| format!("group by user, attr.ward{w}")),
        condition().prop_map(|e| format!("alert when {e}")),
        quoted().prop_map(|s| format!("explain {s}")),
    ]
}

fn semicolon() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["", "", ";"])
}

fn declaration() -> impl Strategy<Value = String> {
    let clauses = prop::collection::vec((clause(), semicolon()), 0..8);
    let exception_clauses = prop::collection::vec(
        prop_oneof![
            quoted().prop_map(|s| format!("reason {s}")),
            condition().prop_map(|e| format!("where {e}")),
        ],
        0..3,
    );
    prop_oneof![
        semicolon().prop_map(|s| format!("zone \"Europe/Stockholm\"{s}")),
        prop::sample::select(vec!["sweden", "sweden_eves", "none"])
            .prop_map(|h| format!("holidays {h}")),
        quoted().prop_map(|t| format!("category own {t}")),
        (
            0u32..100,
            prop::sample::select(vec!["", "-", "0."]),
            semicolon()
        )
            .prop_map(|(n, sign, s)| format!("param p{n} = {sign}{n}{s}")),
        quoted().prop_map(|q| format!("param text = {q}")),
        set().prop_map(|s| format!("list names = {s}")),
        condition().prop_map(|e| format!("condition named = {e}")),
        exception_clauses.prop_map(|c| format!("exception e {{\n{}\n}}", c.join("\n"))),
        Just("except service_accounts, next_of_kin".to_string()),
        (1u32..50, semicolon()).prop_map(|(n, s)| format!("sample {n} findings per category{s}")),
        (1u32..9, 1u32..9, condition())
            .prop_map(|(u, e, c)| format!("spot check {u} users, {e} events each where {c}")),
        clauses.prop_map(|c| {
            let c: Vec<String> = c.into_iter().map(|(c, s)| format!("{c}{s}")).collect();
            format!("rule r {{\n{}\n}}", c.join("\n"))
        }),
    ]
}

/// Replaces the white space of `text` outside strings by other white
/// space and comments chosen by `choices`; every comment is numbered.
fn untidy(text: &str, choices: &[u8]) -> String {
    const SPACES: [&str; 8] = [" ", " ", " ", "\t", "\n", "\n   ", " # i\n", "\n# j\n"];
    const BREAKS: [&str; 7] = [
        "\n",
        "\n",
        "\n\n",
        "\n\n\n",
        "  # t\n",
        "\n# o\n",
        "\n  # p\n\n",
    ];
    let mut out = String::new();
    let mut in_string = false;
    let mut escaped = false;
    let mut in_comment = false;
    let mut count = 0usize;
    for c in text.chars() {
        if in_comment {
            in_comment = c != '\n';
            out.push(c);
            continue;
        }
        if in_string {
            in_string = escaped || c != '"';
            escaped = !escaped && c == '\\';
            out.push(c);
            continue;
        }
        let pick = choices
            .get(count % choices.len().max(1))
            .copied()
            .unwrap_or(0) as usize;
        let replacement = match c {
            ' ' => SPACES[pick % SPACES.len()],
            '\n' => BREAKS[pick % BREAKS.len()],
            '#' => {
                in_comment = true;
                out.push(c);
                continue;
            }
            '"' => {
                in_string = true;
                out.push(c);
                continue;
            }
            _ => {
                out.push(c);
                continue;
            }
        };
        count += 1;
        out.push_str(&replacement.replace('#', &format!("# c{count} #")));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn formatting_is_idempotent_keeps_meaning_and_comments(
        decls in prop::collection::vec(declaration(), 0..6),
        choices in prop::collection::vec(any::<u8>(), 1..40),
        header in any::<bool>(),
    ) {
        let mut text = decls.join("\n");
        if header {
            text.insert_str(0, "# header\n\n");
        }
        let text = untidy(&text, &choices);
        prop_assert!(parse(&text).is_ok(), "{}", text);
        assert_sound(&text);
    }
}

#[test]
fn sampling_directives_take_the_canonical_layout() {
    let text = "sample   7 findings per category;\nspot check 5 users,2 events each where action==\"read\"   # x\n";
    let expected = "sample 7 findings per category\nspot check 5 users, 2 events each where action == \"read\"   # x\n";
    assert_eq!(format_source(text).ok().as_deref(), Some(expected));
}
