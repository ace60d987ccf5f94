//! Reading ahead on a second thread.
//!
//! Parsing records and evaluating them take about the same time, so a
//! reader thread that parses the next batch while the caller evaluates the
//! last one makes a run nearly twice as fast on two cores. The records come
//! out in the order the reader gives them, every one of them: the result of
//! an evaluation is the same as reading on the caller's thread.

use super::{Location, Record, Records};
use crate::codes;
use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// Records sent to the caller at a time: enough to make the cost of the
/// channel small, few enough that memory stays bounded.
const BATCH: usize = 1024;

/// Batches the reader may run ahead of the caller.
const DEPTH: usize = 8;

/// Reads `records` on a new thread, `source` naming the input should the
/// thread fail. Dropping the result stops the thread at its next batch.
pub fn ahead(records: Records, source: &str) -> Records {
    ahead_with(records, source, |record| record)
}

/// Reads `records` on a new thread and passes each through `stage` there,
/// such as an evaluation's duplicate check
/// ([`Evaluation::screen`](crate::Evaluation::screen)).
pub fn ahead_with(
    records: Records,
    source: &str,
    stage: impl FnMut(Record) -> Record + Send + 'static,
) -> Records {
    let (sender, receiver) = mpsc::sync_channel(DEPTH);
    let shared = Arc::new(Mutex::new(Some(records)));
    let handed = Arc::clone(&shared);
    let name = source.to_string();
    let spawned = std::thread::Builder::new()
        .name("loggvakt-read".into())
        .spawn(move || {
            let records = handed.lock().ok().and_then(|mut r| r.take());
            if let Some(records) = records {
                produce(records.map(stage), &name, &sender);
            }
        });
    match spawned {
        Ok(thread) => Box::new(Ahead {
            receiver,
            batch: Vec::new().into_iter(),
            thread: Some(thread),
            source: source.to_string(),
        }),
        Err(e) => {
            tracing::warn!(error = %e, "no reader thread; reading on this one");
            let records = shared.lock().ok().and_then(|mut r| r.take());
            records.unwrap_or_else(|| Box::new(std::iter::empty()))
        }
    }
}

/// Sends the records in batches until they end or nobody listens. A
/// reader that panics ends its input with one rejection that says so, after
/// the records it gave before.
fn produce(
    mut records: impl Iterator<Item = Record>,
    source: &str,
    sender: &SyncSender<Vec<Record>>,
) {
    let mut batch = Vec::with_capacity(BATCH);
    loop {
        let next = panic::catch_unwind(AssertUnwindSafe(|| records.next()));
        let (record, last) = match next {
            Ok(Some(record)) => (record, false),
            Ok(None) => break,
            Err(panic) => (internal_error(source, &*panic), true),
        };
        batch.push(record);
        if last {
            break;
        }
        if batch.len() == BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
            if sender.send(full).is_err() {
                return;
            }
        }
    }
    if !batch.is_empty() {
        let _ = sender.send(batch);
    }
}

/// The rejection that stands for the rest of an input whose reader failed.
fn internal_error(source: &str, panic: &(dyn Any + Send)) -> Record {
    let reason = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    tracing::error!(%source, %reason, "a reader panicked");
    let message = format!("reading stopped on an internal error (a bug): {reason}");
    let location = Location {
        source: source.to_string(),
        line: None,
        record: None,
    };
    Record::rejected(codes::READ_FAILED, message, location)
}

/// The caller's end: yields the batches' records in order.
struct Ahead {
    receiver: Receiver<Vec<Record>>,
    batch: std::vec::IntoIter<Record>,
    thread: Option<JoinHandle<()>>,
    source: String,
}

impl Ahead {
    /// After the last batch: a reader thread that died anyway (it should
    /// not: `produce` catches its reader's panics) is one rejection, so that
    /// the loss of the rest of the input is counted.
    fn end(&mut self) -> Option<Record> {
        let thread = self.thread.take()?;
        let panic = thread.join().err()?;
        Some(internal_error(&self.source, &*panic))
    }
}

impl Iterator for Ahead {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        loop {
            if let Some(record) = self.batch.next() {
                return Some(record);
            }
            match self.receiver.recv() {
                Ok(batch) => self.batch = batch.into_iter(),
                Err(_) => return self.end(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{Format, ReadOptions, read};

    fn lines(count: usize) -> String {
        (0..count)
            .map(|i| {
                let user = i % 7;
                format!(
                    r#"{{"time":"2026-03-01T08:00:{:02}Z","user":"u{user}","action":"r"}}"#,
                    i % 60
                )
            })
            .chain(["{bad".to_string()])
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn records(text: &str) -> Records {
        let input = Box::new(std::io::Cursor::new(text.as_bytes().to_vec()));
        read(input, "t.jsonl", Format::Jsonl, &ReadOptions::default())
    }

    #[test]
    fn gives_every_record_in_order() {
        let text = lines(3 * BATCH + 17);
        let direct: Vec<Record> = records(&text).collect();
        let ahead: Vec<Record> = ahead(records(&text), "t.jsonl").collect();
        assert_eq!(direct.len(), 3 * BATCH + 18);
        assert_eq!(ahead, direct);
    }

    #[test]
    fn a_panicking_reader_is_a_rejection_not_an_early_end() {
        let first = records(&lines(2)).take(2);
        let failing = first.chain(std::iter::from_fn(|| -> Option<Record> {
            panic!("broken reader")
        }));
        let got: Vec<Record> = ahead(Box::new(failing), "t.jsonl").collect();
        assert_eq!(got.len(), 3);
        let Some(Record::Rejected(last)) = got.last() else {
            panic!("the last record is not a rejection: {got:?}");
        };
        assert_eq!(last.code.name, "read_failed");
        assert!(last.message.contains("broken reader"), "{}", last.message);
    }

    #[test]
    fn dropping_early_stops_the_reader() {
        let mut records = ahead(records(&lines(20 * BATCH)), "t.jsonl");
        assert!(records.next().is_some());
        drop(records);
    }
}
