//! The documentation is tested: its examples must check, and every
//! diagnostic code must be documented.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on any surprise"
)]

use loggvakt::{Severity, check_source, codes};
use std::path::Path;

fn doc(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The fenced blocks of `text` whose info string is exactly `lang`.
fn blocks(text: &str, lang: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match (&mut current, line.trim_start()) {
            (None, fence) if fence == format!("```{lang}") => current = Some(String::new()),
            (Some(block), "```") => {
                found.push(std::mem::take(block));
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    found
}

#[test]
fn language_examples_check_clean() {
    let examples = blocks(&doc("docs/language.md"), "vakt");
    assert!(examples.len() >= 4, "found {} examples", examples.len());
    for example in examples {
        let problems = check_source(&example);
        let errors: Vec<_> = problems
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{example}\n{errors:?}");
    }
}

#[test]
fn every_code_is_documented() {
    let text = doc("docs/errors.md");
    for code in codes::ALL {
        let heading = format!("## {} `{}`", code.code, code.name);
        assert!(text.contains(&heading), "docs/errors.md lacks `{heading}`");
    }
}

#[test]
fn readme_rule_checks_clean() {
    let readme = doc("README.md");
    let start = readme
        .find("rule many_opens_same_patient")
        .expect("README shows a rule");
    let end = start + readme[start..].find("\n}\n").expect("the rule closes") + 3;
    let errors = check_source(&readme[start..end]);
    assert_eq!(errors, []);
}

#[test]
fn rule_test_example_passes() {
    let page = doc("docs/rule-tests.md");
    let rules = blocks(&page, "vakt").remove(0);
    let tests = blocks(&page, "json").remove(0);
    let rules = loggvakt::RuleSet::from_source("sign-ins.vakt", &rules).unwrap();
    let file = loggvakt::ruletest::load("sign-ins.test.json", &tests)
        .unwrap_or_else(|e| panic!("{}", e.render()));
    assert_eq!(file.rules, ["sign-ins.vakt"]);
    let results = loggvakt::ruletest::run(&rules, &file).results;
    assert_eq!(results.len(), 3);
    for result in results {
        assert_eq!(
            result.outcome,
            loggvakt::ruletest::Outcome::Passed,
            "{}",
            result.name
        );
    }
}

#[test]
fn the_standard_pack_guide_covers_every_rule_and_parameter() {
    let guide = doc("docs/standard-pack.md");
    let pack = loggvakt::RuleSet::standard().unwrap();
    for rule in pack.rules() {
        let heading = format!(
            "### {} — {}, {}",
            rule.name,
            rule.category,
            rule.severity.as_str()
        );
        assert!(
            guide.contains(&heading),
            "docs/standard-pack.md lacks `{heading}`"
        );
    }
    for (name, value) in pack.params() {
        let row = format!("| `{name}` | {} |", loggvakt::print::literal(value));
        assert!(
            guide.contains(&row),
            "docs/standard-pack.md lacks the row `{row}`"
        );
    }
}
