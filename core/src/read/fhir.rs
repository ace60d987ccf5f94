//! HL7 FHIR AuditEvent R4 — being written; see docs/formats.md.

use super::{ReadOptions, Record};
use std::io::BufRead;

/// Reads FHIR AuditEvent records from `input`.
pub fn read<R: BufRead + Send + 'static>(
    input: R,
    source: &str,
    options: &ReadOptions,
) -> impl Iterator<Item = Record> + Send + 'static {
    let _ = (input, source, options);
    std::iter::empty()
}
