//! Sliding windows: `group by user within 10 minutes`.
//!
//! Input is not sorted, so a sliding rule keeps, per group key, one small
//! sample of each event it matched: its time, its id and what it gives each
//! aggregate. State therefore grows with the events the rule matches, never
//! with all events. At the end of the pass each key's samples are sorted
//! by time (then id) and swept:
//!
//! - a window starts at an event and holds the events in `[start, start +
//!   duration)`: start included, end excluded;
//! - when the window's aggregates satisfy `alert`, it is a finding, and the
//!   next window starts at the first event at or after its end, so no event
//!   is evidence in two findings of one rule;
//! - otherwise the next window starts at the next event.
//!
//! Windows never reach past the period, because events outside it are not
//! evaluated; there are no open windows at the end of the input, because the
//! sweep runs after the last event.

use super::state::{Group, Input};
use crate::plan::{Aggregate, GroupNode};
use chrono::{DateTime, Utc};

/// What a sliding rule keeps of one matching event.
#[derive(Debug, Clone)]
pub(crate) struct Sample {
    time: DateTime<Utc>,
    id: Option<Box<str>>,
    inputs: Box<[Input]>,
}

impl Sample {
    /// A sample of an event at `time` with `id`, giving `inputs`.
    pub fn new(time: DateTime<Utc>, id: Option<&str>, inputs: Box<[Input]>) -> Sample {
        Sample {
            time,
            id: id.map(Into::into),
            inputs,
        }
    }
}

/// One fired window: its start and the group of its events.
pub(super) struct Fired {
    pub start: i64,
    pub group: Group,
}

/// What the sweep needs of the rule.
pub(super) struct Sweep<'r> {
    pub seconds: i64,
    pub aggregates: &'r [Aggregate],
    pub alert: Option<&'r GroupNode>,
    pub evidence_limit: usize,
}

impl Sweep<'_> {
    /// The windows of one key that fire, in time order.
    pub fn fired(&self, mut samples: Vec<Sample>) -> Vec<Fired> {
        samples.sort_by(|a, b| (a.time, &a.id).cmp(&(b.time, &b.id)));
        let mut fired = Vec::new();
        let mut first = 0;
        while first < samples.len() {
            let start = samples[first].time.timestamp();
            let end = start.saturating_add(self.seconds);
            let past = first + samples[first..].partition_point(|s| s.time.timestamp() < end);
            let group = self.group(&samples[first..past], end);
            let slots: Vec<Option<f64>> = group.accumulators.iter().map(|a| a.value()).collect();
            if self.alert.is_none_or(|a| a.fires(&slots)) {
                fired.push(Fired { start, group });
                first = past;
            } else {
                first += 1;
            }
        }
        fired
    }

    fn group(&self, samples: &[Sample], end: i64) -> Group {
        let mut group = Group::default();
        for sample in samples {
            group.add(end, sample.id.as_deref(), self.evidence_limit);
            group.add_inputs(&sample.inputs, self.aggregates);
        }
        group
    }
}
