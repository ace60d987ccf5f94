//! `loggvakt generate`: a synthetic month of events with its context.

use crate::Failure;
use crate::run::parse_period;
use loggvakt::generate::{EventFormat, GenerateOptions, Month, generate};
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

    /// The folder to write the events (`events.jsonl` or `events.csv`),
    /// the context folder `context/` and `truth.json` (the planted
    /// violations and near misses) into.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,

    /// The events' format: JSON Lines, or CSV with a header of the
    /// canonical field names; the same seed gives the same events in both.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    format: Format,
}

/// The formats `generate --format` writes.
#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    /// `events.jsonl`.
    Jsonl,
    /// `events.csv`.
    Csv,
}

impl Format {
    fn events(self) -> EventFormat {
        match self {
            Format::Jsonl => EventFormat::Jsonl,
            Format::Csv => EventFormat::Csv,
        }
    }
}

/// Runs `loggvakt generate`.
pub fn main(args: &Args, quiet: bool) -> Result<(), Failure> {
    let month = parse_period(&args.period)?;
    let options = GenerateOptions {
        users: args.users as usize,
        events: args.events as usize,
        ..GenerateOptions::new(args.seed, month)
    };
    let format = args.format.events();
    let written = write_month_as(&generate(&options), &args.out, format)?;
    if !quiet {
        let path = args.out.join(format.file_name());
        let context = args.out.join("context");
        crate::say(&format!(
            "Wrote {written} events to {}, their context to {} and the planted cases to {}\n",
            path.display(),
            context.display(),
            args.out.join("truth.json").display()
        ));
    }
    Ok(())
}

/// Writes `events.jsonl`, `context/` and `truth.json` into `dir`; returns
/// the count of events.
pub fn write_month(month: &Month, dir: &Path) -> Result<u64, Failure> {
    write_month_as(month, dir, EventFormat::Jsonl)
}

/// Writes the events in `format`, `context/` and `truth.json` into `dir`;
/// returns the count of events.
fn write_month_as(month: &Month, dir: &Path, format: EventFormat) -> Result<u64, Failure> {
    month
        .write_folder_as(dir, format)
        .map_err(|e| Failure::input(format!("error: cannot write into `{}`: {e}", dir.display())))
}
