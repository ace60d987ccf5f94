//! Fuzzes parsing and checking a rule file: arbitrary bytes, read as UTF-8
//! with bad sequences replaced, must give diagnostics, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = loggvakt::check_source(&text);
});
