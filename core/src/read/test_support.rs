//! Helpers the readers' tests share.

use std::io::{BufRead, Cursor, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A reader that notes when it is first read, to show that a reader reads
/// nothing before its first record is asked for.
pub(crate) struct Watched {
    /// The bytes to read.
    pub inner: Cursor<Vec<u8>>,
    /// Set at the first read.
    pub touched: Arc<AtomicBool>,
}

impl Read for Watched {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.touched.store(true, Ordering::SeqCst);
        self.inner.read(buf)
    }
}

impl BufRead for Watched {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.touched.store(true, Ordering::SeqCst);
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.inner.consume(amount);
    }
}

/// A reader that fails on every call, as a lost disk would.
pub(crate) struct Broken;

impl Read for Broken {
    fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
        Err(std::io::Error::other("disk gone"))
    }
}

impl BufRead for Broken {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        Err(std::io::Error::other("disk gone"))
    }

    fn consume(&mut self, _: usize) {}
}

/// A record as JSON: an event as its canonical object, a rejection or an
/// ignored record as one line of text.
pub(crate) fn describe(record: &super::Record) -> serde_json::Value {
    use super::Record;
    match record {
        Record::Event(e) => serde_json::to_value(e).unwrap_or_default(),
        Record::Rejected(r) => {
            serde_json::json!(format!("{} {}: {}", r.code.name, r.location, r.message))
        }
        Record::Ignored(kind) => serde_json::json!(format!("ignored {kind}")),
    }
}

/// The bytes of a sample file under `tests/data/`.
pub(crate) fn sample(path: &str) -> Vec<u8> {
    let path = format!("{}/../tests/data/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(path).unwrap_or_default()
}
