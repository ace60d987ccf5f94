//! Fuzzes the JSON Lines reader: arbitrary bytes, read to the end, must
//! give exactly one record per line that is not blank.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loggvakt::Format;
use loggvakt_fuzz::{json_lines, read_all};

fuzz_target!(|data: &[u8]| {
    let count = read_all(data, Format::Jsonl);
    assert_eq!(count, json_lines(data), "records and lines differ");
});
