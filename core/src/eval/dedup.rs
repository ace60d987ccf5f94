//! Copies of one event, found by id.
//!
//! Log shippers deliver at least once, so one event can arrive twice. An
//! event whose id and content both match an event already read is a copy:
//! it is rejected as `duplicate_event` and evaluated once. Two events that
//! share an id but differ in content are both evaluated and counted as a
//! conflict, since neither can be chosen over the other without depending
//! on input order. Events without an id are never copies.
//!
//! The digests are 64-bit foldhash values under a key drawn for each
//! evaluation, so nobody can prepare an event whose digests collide with
//! another's; without such a plan an event that differs from an earlier
//! one with the same id is taken for its copy with a chance of one in 2^64.
//!
//! Memory: one pair of 64-bit digests per distinct id (about 17 to 34 bytes
//! with the table's spare room), plus one 128-bit digest per conflicting
//! copy. Only evaluations with [`Options::duplicates`] on pay it.
//!
//! [`Options::duplicates`]: super::Options::duplicates

use crate::codes;
use crate::event::{Event, Value};
use crate::hash::{HashMap, HashSet};
use crate::read::{Location, Rejection};
use std::collections::BTreeSet;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasher, Hash, Hasher};

/// What became of one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Seen {
    /// The first event with this id and content: evaluate it.
    First,
    /// Another event with this id but other content: evaluate it too.
    Conflict,
    /// A copy of an event already evaluated.
    Copy,
}

/// The digests of every event id read so far.
#[derive(Debug, Default)]
pub(super) struct Dedup {
    /// Id digest → content digest of the first event with that id.
    first: HashMap<u64, u64>,
    /// (id digest, content digest) of later events whose content differed.
    others: HashSet<(u64, u64)>,
    /// The smallest conflicting ids, for the report.
    examples: BTreeSet<String>,
    /// Events whose id was read before with other content.
    conflicts: u64,
    /// The key of the digests.
    key: foldhash::quality::RandomState,
}

impl Dedup {
    /// Records `event`, telling whether it was seen before.
    pub fn see(&mut self, event: &Event, example_limit: usize) -> Seen {
        let Some(id) = event.id.as_deref() else {
            return Seen::First;
        };
        let id_digest = self.key.hash_one(id);
        let content = self.content_digest(event);

        match self.first.entry(id_digest) {
            Entry::Vacant(slot) => {
                slot.insert(content);
                return Seen::First;
            }
            Entry::Occupied(first) if *first.get() == content => return Seen::Copy,
            Entry::Occupied(_) => {}
        }
        if !self.others.insert((id_digest, content)) {
            return Seen::Copy;
        }
        self.note_example(id, example_limit);
        self.conflicts += 1;
        Seen::Conflict
    }

    /// How many events had an id read before with other content.
    pub fn conflicts(&self) -> u64 {
        self.conflicts
    }

    /// The ids that had more than one content, smallest first.
    pub fn examples(&self) -> Vec<String> {
        self.examples.iter().cloned().collect()
    }

    fn note_example(&mut self, id: &str, limit: usize) {
        self.examples.insert(id.to_string());
        if self.examples.len() > limit {
            self.examples.pop_last();
        }
    }
}

/// The rejection of a copy, located by its id.
pub(super) fn copy_rejection(event: &Event) -> Rejection {
    let id = event.id.as_deref().unwrap_or_default();
    Rejection {
        code: codes::DUPLICATE_EVENT,
        message: format!("a second copy of event {id}: same id, same content"),
        location: Location::event_id(id),
    }
}

impl Dedup {
    /// A digest of everything the event says, id included.
    fn content_digest(&self, event: &Event) -> u64 {
        let mut h = self.key.build_hasher();
        event.id.hash(&mut h);
        (event.time.timestamp(), event.time.timestamp_subsec_nanos()).hash(&mut h);
        event.user.hash(&mut h);
        event.action.hash(&mut h);
        event.outcome.hash(&mut h);
        event.patient.hash(&mut h);
        event.unit.hash(&mut h);
        event.resource.hash(&mut h);
        event.ip.hash(&mut h);
        event.drug.hash(&mut h);
        event.amount.map(f64::to_bits).hash(&mut h);
        event.purpose.hash(&mut h);
        event.system.hash(&mut h);
        for (name, value) in &event.attributes {
            name.hash(&mut h);
            hash_value(value, &mut h);
        }
        h.finish()
    }
}

fn hash_value(value: &Value, h: &mut impl Hasher) {
    match value {
        Value::Bool(b) => (0u8, *b).hash(h),
        Value::Number(n) => (1u8, n.to_bits()).hash(h),
        Value::Text(t) => (2u8, t).hash(h),
    }
}
