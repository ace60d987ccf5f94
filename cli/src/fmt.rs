//! `loggvakt fmt`: rule files rewritten in the canonical layout.

use crate::Failure;
use loggvakt::codes;
use loggvakt::format::format_source;
use std::path::{Path, PathBuf};

/// Arguments of `fmt`.
#[derive(clap::Args)]
pub struct Args {
    /// Rule files, or folders of them (every `*.vakt` inside).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,

    /// Write nothing: list the files that would change and exit 1 if any would.
    #[arg(long)]
    check: bool,
}

/// What became of the files.
#[derive(Default)]
struct Tally {
    changed: usize,
    broken: usize,
    unreadable: usize,
}

/// Formats every file; a file that does not parse is reported and left
/// as it is.
pub fn main(args: &Args, quiet: bool) -> Result<(), Failure> {
    let files =
        loggvakt::ruleset::rule_files(&args.files).map_err(|e| Failure::input(e.render()))?;
    let mut tally = Tally::default();
    for path in &files {
        one(path, args.check, quiet, &mut tally);
    }
    verdict(&tally, args.check)
}

fn one(path: &Path, check: bool, quiet: bool, tally: &mut Tally) {
    let name = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            let code = codes::READ_FAILED.code;
            crate::say(&format!("error[{code}]: cannot read `{name}`: {e}\n"));
            tally.unreadable += 1;
            return;
        }
    };
    let formatted = match format_source(&text) {
        Ok(formatted) => formatted,
        Err(error) => {
            for diagnostic in &error.diagnostics {
                crate::say(&diagnostic.render(&name, &text));
            }
            tally.broken += 1;
            return;
        }
    };
    if formatted == text {
        return;
    }
    tally.changed += 1;
    if check {
        println!("{name}");
    } else if let Err(e) = replace(path, &formatted) {
        let code = codes::WRITE_FAILED.code;
        crate::say(&format!("error[{code}]: cannot write `{name}`: {e}\n"));
        tally.unreadable += 1;
    } else if !quiet {
        crate::say(&format!("{name}: formatted\n"));
    }
}

/// Exit 2 if a file could not be read or written, 1 if one does not parse
/// or (with `--check`) would change.
fn verdict(tally: &Tally, check: bool) -> Result<(), Failure> {
    let mut problems = Vec::new();
    if tally.unreadable > 0 {
        problems.push(format!(
            "{} file(s) could not be read or written",
            tally.unreadable
        ));
    }
    if tally.broken > 0 {
        problems.push(format!("{} file(s) do not parse", tally.broken));
    }
    if check && tally.changed > 0 {
        problems.push(format!("{} file(s) would be reformatted", tally.changed));
    }
    match problems.join("; ") {
        message if tally.unreadable > 0 => Err(Failure::input(message)),
        message if !message.is_empty() => Err(Failure::rules(message)),
        _ => Ok(()),
    }
}

/// Writes `text` to a new file beside `path` and renames it over `path`,
/// so a crash leaves the old file or the new one, never half of one.
fn replace(path: &Path, text: &str) -> std::io::Result<()> {
    let folder = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(|| "rules".to_string(), |n| n.to_string_lossy().into_owned());
    let temporary = folder.join(format!(".{name}.fmt-{}", std::process::id()));
    let written = write_synced(&temporary, text)
        .and_then(|()| keep_permissions(path, &temporary))
        .and_then(|()| std::fs::rename(&temporary, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

fn write_synced(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut file = std::fs::File::create(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

fn keep_permissions(from: &Path, to: &Path) -> std::io::Result<()> {
    let permissions = std::fs::metadata(from)?.permissions();
    std::fs::set_permissions(to, permissions)
}
