//! Fuzzes the atna reader (IHE ATNA audit messages in RFC 5424 syslog frames): arbitrary bytes, read to the end,
//! must not panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loggvakt::Format;

fuzz_target!(|data: &[u8]| {
    loggvakt_fuzz::read_all(data, Format::Atna);
});
