//! Half of the rules on a second thread.
//!
//! Rules keep separate states and every rule sees every event in the same
//! order wherever it runs, so evaluating some of them on another thread
//! gives exactly the states one thread gives. The evaluation's own thread
//! keeps the rules at even places and the counts, sample and activity; the
//! helper takes the rules at odd places, with events handed over in
//! batches, and gives their states back at the end.

use super::Windows;
use super::state::RuleState;
use crate::event::Event;
use crate::plan::{Env, PlannedRule};
use std::sync::Arc;
use std::sync::mpsc::{self, SyncSender};
use std::thread::JoinHandle;

/// Events handed over at a time.
const BATCH: usize = 512;

/// Batches the helper may lag behind.
const DEPTH: usize = 8;

/// Whether the rule at `place` runs on the helper thread.
pub(super) fn on_helper(place: usize) -> bool {
    place % 2 == 1
}

/// The helper thread and the events not yet handed to it.
pub(super) struct Split {
    sender: SyncSender<Arc<Vec<Event>>>,
    thread: JoinHandle<Vec<RuleState>>,
    pending: Vec<Event>,
}

/// What the helper needs to evaluate its rules.
pub(super) struct Work {
    pub rules: Vec<PlannedRule>,
    pub states: Vec<RuleState>,
    pub env: Env,
    pub evidence_limit: usize,
}

impl Split {
    /// Starts the helper on `work`; `None` when no thread can be started,
    /// and then `work` comes back to be evaluated on this thread.
    pub fn start(work: Work) -> Result<Split, Vec<RuleState>> {
        let (sender, receiver) = mpsc::sync_channel::<Arc<Vec<Event>>>(DEPTH);
        let shared = Arc::new(std::sync::Mutex::new(Some(work)));
        let handed = Arc::clone(&shared);
        let spawned = std::thread::Builder::new()
            .name("loggvakt-rules".into())
            .spawn(move || {
                let work = handed.lock().ok().and_then(|mut w| w.take());
                work.map(|work| evaluate(work, receiver))
                    .unwrap_or_default()
            });
        match spawned {
            Ok(thread) => Ok(Split {
                sender,
                thread,
                pending: Vec::with_capacity(BATCH),
            }),
            Err(e) => {
                tracing::warn!(error = %e, "no second thread; every rule runs on this one");
                let work = shared.lock().ok().and_then(|mut w| w.take());
                Err(work.map(|w| w.states).unwrap_or_default())
            }
        }
    }

    /// Hands `event` to the helper, in a batch.
    pub fn hand(&mut self, event: Event) {
        self.pending.push(event);
        if self.pending.len() == BATCH {
            self.flush();
        }
    }

    fn flush(&mut self) {
        let batch = std::mem::replace(&mut self.pending, Vec::with_capacity(BATCH));
        if self.sender.send(Arc::new(batch)).is_err() {
            tracing::error!("the rules thread has stopped");
        }
    }

    /// Waits for the helper and takes its rules' states back. A panic on
    /// the helper goes on here: its states are lost, and no report may be
    /// written without them.
    pub fn finish(mut self) -> Vec<RuleState> {
        if !self.pending.is_empty() {
            self.flush();
        }
        drop(self.sender);
        match self.thread.join() {
            Ok(states) => states,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
}

/// The helper's loop: its rules over every batch, in order.
fn evaluate(mut work: Work, receiver: mpsc::Receiver<Arc<Vec<Event>>>) -> Vec<RuleState> {
    let mut windows = Windows::default();
    for batch in receiver {
        for event in batch.iter() {
            let rules = work.rules.iter().zip(&mut work.states);
            for (rule, state) in rules {
                let context = (&work.env, work.evidence_limit);
                super::evaluate_rule(rule, state, event, context, &mut windows);
            }
        }
    }
    work.states
}
