//! `loggvakt generate`: a synthetic month of events.

use crate::Failure;
use crate::run::parse_period;
use loggvakt::generate::{GenerateOptions, Month, generate};
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

/// Arguments of `generate`.
#[derive(clap::Args)]
pub struct Args {
    /// The seed: the same seed and settings give the same bytes.
    #[arg(long, value_name = "N")]
    seed: u64,

    /// The local calendar month to fill, `YYYY-MM`.
    #[arg(long, value_name = "YYYY-MM")]
    period: String,

    /// How many staff members, 1 to 100000.
    #[arg(long, value_name = "N", default_value_t = 200,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    users: u32,

    /// About how many events in all, up to 100000000; planted violations
    /// come on top, so a very small month holds more.
    #[arg(long, value_name = "N", default_value_t = 100_000,
          value_parser = clap::value_parser!(u32).range(0..=100_000_000))]
    events: u32,

    /// The folder to write `events.jsonl` and `truth.json` into.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

/// Runs `loggvakt generate`.
pub fn main(args: &Args, quiet: bool) -> Result<(), Failure> {
    let month = parse_period(&args.period)?;
    let options = GenerateOptions {
        users: args.users as usize,
        events: args.events as usize,
        ..GenerateOptions::new(args.seed, month)
    };
    let written = write_month(&generate(&options), &args.out)?;
    if !quiet {
        let path = args.out.join("events.jsonl");
        crate::say(&format!("Wrote {written} events to {}\n", path.display()));
    }
    Ok(())
}

/// Writes `events.jsonl` and `truth.json` into `dir`; returns the count.
pub fn write_month(month: &Month, dir: &Path) -> Result<u64, Failure> {
    let fail = |e: std::io::Error| {
        Failure::input(format!("error: cannot write into `{}`: {e}", dir.display()))
    };
    std::fs::create_dir_all(dir).map_err(fail)?;
    let file = File::create(dir.join("events.jsonl")).map_err(fail)?;
    let written = month.write_jsonl(BufWriter::new(file)).map_err(fail)?;
    std::fs::write(dir.join("truth.json"), truth(month)).map_err(fail)?;
    Ok(written)
}

/// The planted violations as JSON, so a run can be checked against them.
fn truth(month: &Month) -> String {
    let violations: Vec<serde_json::Value> = month
        .planted()
        .iter()
        .map(|p| serde_json::json!({ "rule": p.rule, "key": p.key, "window": p.window_start.to_rfc3339() }))
        .collect();
    let value = serde_json::json!({ "violations": violations });
    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
}
