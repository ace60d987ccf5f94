//! The `loggvakt` command.

mod check;
mod demo;
mod fmt;
mod generate;
mod run;
mod summary;
mod test;
mod verify;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// mimalloc keeps long runs fast: glibc's allocator fragments when many
/// short-lived records interleave with long-lived groups.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Follow up access to health and care records: rules in, events in, a
/// report out.
#[derive(Parser)]
#[command(name = "loggvakt", version, about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,

    /// Print more about what happens (repeat for more).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,

    /// Print only errors.
    #[arg(short, long, global = true)]
    quiet: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Evaluate rules over events and write a report.
    Run(run::Args),
    /// Parse and check rule files without reading any events.
    Check(check::Args),
    /// Write a synthetic month of events for trying rules out.
    Generate(generate::Args),
    /// Generate a month, run the standard rules on it and write the report.
    Demo(demo::Args),
    /// Run the rule tests kept beside the rules: events in, expected findings out.
    Test(test::Args),
    /// Rewrite rule files in the canonical layout (`--check` only lists them).
    Fmt(fmt::Args),
    /// Check that a report follows from its inputs: the same files, the same results.
    Verify(verify::Args),
}

/// A failure the command reports before exiting with `code`.
pub struct Failure {
    /// The text for standard error.
    pub message: String,
    /// The exit code.
    pub code: u8,
}

impl Failure {
    /// A failure of the input or the environment (exit code 2).
    pub fn input(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            code: 2,
        }
    }

    /// A failure of the rules (exit code 1).
    pub fn rules(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            code: 1,
        }
    }
}

/// Help and version go to standard output; a malformed command line is a
/// coded error (LV0405) like every other bad option, exit code 2.
fn usage_error(error: &clap::Error) -> ExitCode {
    if !error.use_stderr() {
        let _ = error.print();
        return ExitCode::SUCCESS;
    }
    let text = error.render().to_string();
    say(&format!(
        "error[LV0405]: {}",
        text.trim_start_matches("error: ")
    ));
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error),
    };
    install_logging(cli.verbose, cli.quiet);
    let quiet = cli.quiet;
    let result = match cli.command {
        Command::Run(args) => run::main(args, quiet),
        Command::Check(args) => check::main(&args, quiet),
        Command::Generate(args) => generate::main(&args, quiet),
        Command::Demo(args) => demo::main(&args, quiet),
        Command::Test(args) => test::main(&args, quiet),
        Command::Fmt(args) => fmt::main(&args, quiet),
        Command::Verify(args) => verify::main(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            say(&failure.message);
            if !failure.message.ends_with('\n') {
                say("\n");
            }
            ExitCode::from(failure.code)
        }
    }
}

/// Sends the core's `tracing` events to standard error; `RUST_LOG` wins
/// over `-v` and `-q`.
fn install_logging(verbose: u8, quiet: bool) {
    let level = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, 2) => "debug",
        (false, _) => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    let colour = std::io::IsTerminal::is_terminal(&std::io::stderr());
    tracing_subscriber::fmt()
        .with_ansi(colour)
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

/// Writes to standard error; a closed or full stream is not worth a crash.
pub fn say(text: &str) {
    use std::io::Write as _;
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// The command line as typed, for the report.
pub fn command_line() -> String {
    let args: Vec<String> = std::env::args().skip(1).collect();
    format!("loggvakt {}", args.join(" "))
}
