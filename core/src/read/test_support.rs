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
