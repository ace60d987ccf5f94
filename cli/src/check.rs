//! `loggvakt check`: diagnostics for rule files.

use crate::Failure;
use loggvakt::{Severity, check_source};
use std::path::PathBuf;

/// Arguments of `check`.
#[derive(clap::Args)]
pub struct Args {
    /// Rule files to check.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

/// Checks every file and prints every diagnostic; fails if any is an error.
pub fn main(args: &Args, quiet: bool) -> Result<(), Failure> {
    let mut errors = 0;
    let files =
        loggvakt::ruleset::rule_files(&args.files).map_err(|e| Failure::input(e.render()))?;
    for path in &files {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure::input(format!("error[LV0403]: cannot read `{name}`: {e}")))?;
        let diagnostics = check_source(&text);
        for diagnostic in &diagnostics {
            if diagnostic.severity == Severity::Error || !quiet {
                crate::say(&diagnostic.render(&name, &text));
            }
        }
        let count = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        if count == 0
            && !quiet
            && loggvakt::RuleSet::from_source(&name, &text)
                .is_ok_and(|set| set.rules().next().is_none())
        {
            crate::say(&format!("warning: `{name}` defines no rules\n"));
        } else if count == 0 && !quiet {
            crate::say(&format!("{name}: ok\n"));
        }
        errors += count;
    }
    if errors > 0 {
        return Err(Failure::rules(format!("{errors} error(s) found")));
    }
    together(&files)
}

/// Files that are fine one by one must also work as one set, as `run`
/// reads them: unique rule and parameter names, one zone.
fn together(files: &[PathBuf]) -> Result<(), Failure> {
    if files.len() < 2 {
        return Ok(());
    }
    loggvakt::RuleSet::from_paths(files)
        .map(|_| ())
        .map_err(|e| Failure::rules(e.render()))
}
