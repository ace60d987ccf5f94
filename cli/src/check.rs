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
    for path in &args.files {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure::input(format!("error: cannot read `{name}`: {e}")))?;
        let diagnostics = check_source(&text);
        for diagnostic in &diagnostics {
            if diagnostic.severity == Severity::Error || !quiet {
                eprint!("{}", diagnostic.render(&name, &text));
            }
        }
        let count = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        if count == 0 && !quiet {
            eprintln!("{name}: ok");
        }
        errors += count;
    }
    if errors > 0 {
        return Err(Failure::rules(format!("{errors} error(s) found")));
    }
    Ok(())
}
