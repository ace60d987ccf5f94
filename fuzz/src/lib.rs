//! Helpers shared by the fuzz targets in `fuzz_targets/`.
//!
//! Every target feeds arbitrary bytes to one entry point of the `loggvakt`
//! crate and checks only what must hold for any input: no panic, no hang,
//! and each record of the input coming out as one [`Record`]. A reader is
//! drained to at most [`MAX_RECORDS`] records, so a reader that repeats
//! itself shows up as a broken invariant rather than as a hang.

use loggvakt::read::{self, Format, ReadOptions, Record};
use std::io::Cursor;

/// The most records one input is drained to.
pub const MAX_RECORDS: usize = 100_000;

/// The longest record the fuzz targets accept, in bytes: small, so the
/// over-long path is reached by ordinary inputs.
pub const MAX_RECORD_BYTES: usize = 4096;

/// The read options every target uses.
pub fn options() -> ReadOptions {
    ReadOptions {
        max_record_bytes: MAX_RECORD_BYTES,
        ..ReadOptions::default()
    }
}

/// The records of `data` read as `format`, at most [`MAX_RECORDS`] of them.
pub fn records(data: &[u8], format: Format) -> impl Iterator<Item = Record> {
    let input = Box::new(Cursor::new(data.to_vec()));
    read::read(input, "fuzz", format, &options()).take(MAX_RECORDS)
}

/// Reads all of `data` as `format` and returns how many records came out.
///
/// Every record takes at least one byte of input, so more records than
/// bytes (plus one for an input-wide fault) means a reader yields one
/// record more than once.
pub fn read_all(data: &[u8], format: Format) -> usize {
    let count = records(data, format).count();
    assert!(
        count <= data.len() + 1,
        "{} yielded {count} records from {} bytes",
        format.name(),
        data.len()
    );
    count
}

/// How many records JSON Lines must yield for `data`: one per line that
/// is not blank, and one per over-long line, blank or not.
pub fn json_lines(data: &[u8]) -> usize {
    let mut lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    if lines.last().is_some_and(|last| last.is_empty()) {
        lines.pop();
    }
    lines
        .into_iter()
        .filter(|line| line.len() > MAX_RECORD_BYTES || !line.trim_ascii().is_empty())
        .count()
        .min(MAX_RECORDS)
}

#[cfg(test)]
mod tests {
    use super::json_lines;

    #[test]
    fn counts_json_lines() {
        assert_eq!(json_lines(b""), 0);
        assert_eq!(json_lines(b"\n \n\t"), 0);
        assert_eq!(json_lines(b"{}\n\n[1]"), 2);
        assert_eq!(json_lines(b"{}\n"), 1);
        assert_eq!(json_lines(&[b' '; 5000]), 1);
    }
}
