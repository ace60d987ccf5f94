//! `loggvakt-bench`: helpers of the benchmark harness in `bench/run.py`.
//!
//! - `loggvakt-bench parse FILE…` is the floor: it reads each file with the
//!   reader `loggvakt run` uses (chosen the same way, by name and content),
//!   turns every record into an event and evaluates nothing. It prints the
//!   counts as one JSON object.
//! - `loggvakt-bench countries` writes the IPv4 part of the country data
//!   built into Loggvakt as CSV ranges (`start,end,country`, addresses as
//!   numbers), so that the SQL and pandas versions of the standard pack
//!   look addresses up in the same data.

use loggvakt::read::{self, Format, ReadOptions, Record};
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

/// The allocator `loggvakt` uses, so the floor pays what the command pays.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Offsets tested in each /24 block before it is taken as one country.
const PROBES: [u32; 17] = [
    0, 16, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 255,
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.split_first() {
        Some((command, files)) if command == "parse" && !files.is_empty() => parse(files),
        Some((command, rest)) if command == "countries" && rest.is_empty() => countries(),
        _ => Err("usage: loggvakt-bench parse FILE… | loggvakt-bench countries".to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Counts of one parse-only pass.
#[derive(Default)]
struct Counts {
    events: u64,
    rejected: u64,
    ignored: u64,
}

/// Reads every file into events and prints the counts.
fn parse(files: &[String]) -> Result<(), String> {
    let options = ReadOptions::default();
    let mut counts = Counts::default();
    for file in files {
        read_file(Path::new(file), &options, &mut counts)?;
    }

    println!(
        "{{\"events\": {}, \"rejected\": {}, \"ignored\": {}}}",
        counts.events, counts.rejected, counts.ignored
    );
    Ok(())
}

fn read_file(path: &Path, options: &ReadOptions, counts: &mut Counts) -> Result<(), String> {
    let format = Format::detect(path);
    let records = read::open(path, format, options).map_err(|d| d.message)?;
    for record in records {
        match record {
            Record::Event(event) => {
                counts.events += 1;
                std::hint::black_box(event);
            }
            Record::Rejected(_) => counts.rejected += 1,
            Record::Ignored(_) => counts.ignored += 1,
        }
    }
    Ok(())
}

/// Writes the bundled IPv4 country ranges, merged where neighbours agree.
fn countries() -> Result<(), String> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    write_ranges(&mut out).map_err(|e| e.to_string())
}

fn write_ranges(out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "start,end,country")?;
    let mut open: Option<(u32, &str)> = None;
    for block in 0..(1u32 << 24) {
        let base = block << 8;
        let uniform = block_country(base);
        for (first, country) in block_runs(base, uniform) {
            open = extend(out, open, first, country)?;
        }
    }
    if let Some((start, country)) = open {
        writeln!(out, "{start},{},{country}", u32::MAX)?;
    }
    out.flush()
}

/// The country of the whole /24 block at `base` when every probe agrees.
fn block_country(base: u32) -> Option<Option<&'static str>> {
    let first = country(base);
    let same = PROBES.iter().all(|&offset| country(base + offset) == first);
    same.then_some(first)
}

/// The runs of one country in the block: one when uniform, else per address.
fn block_runs(
    base: u32,
    uniform: Option<Option<&'static str>>,
) -> Vec<(u32, Option<&'static str>)> {
    match uniform {
        Some(country) => vec![(base, country)],
        None => (0..256)
            .map(|offset| (base + offset, country(base + offset)))
            .collect(),
    }
}

/// Continues the open range, or closes it and opens the next at `first`.
fn extend<'a>(
    out: &mut impl Write,
    open: Option<(u32, &'a str)>,
    first: u32,
    country: Option<&'a str>,
) -> io::Result<Option<(u32, &'a str)>> {
    match (open, country) {
        (Some((start, held)), Some(now)) if held == now => Ok(Some((start, held))),
        (open, country) => {
            if let Some((start, held)) = open {
                writeln!(out, "{start},{},{held}", first - 1)?;
            }
            Ok(country.map(|c| (first, c)))
        }
    }
}

fn country(address: u32) -> Option<&'static str> {
    iptocc::country_code(std::net::Ipv4Addr::from(address))
}
