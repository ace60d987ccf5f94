//! Fuzzes the keycloak reader (Keycloak event JSON): arbitrary bytes, read to the end,
//! must not panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loggvakt::Format;

fuzz_target!(|data: &[u8]| {
    loggvakt_fuzz::read_all(data, Format::Keycloak);
});
