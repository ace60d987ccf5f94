//! Stage 5: seeded, reproducible samples.
//!
//! Every candidate — a finding, a user, an event — gets a *draw*: a 64-bit
//! number that depends only on the seed and the candidate's stable key. A
//! sample of k is the k candidates with the smallest draws, ties broken by
//! key. Nothing depends on input order or on how the input was split: the
//! sample of a union is the smallest k of the parts' samples. The exact
//! derivation is specified in `docs/sampling.md`, with test vectors, so
//! anyone can re-derive a sample without Loggvakt.

use crate::event::Event;
use crate::hash::HashMap;
use crate::report::Finding;
use rand::{Rng as _, SeedableRng as _};
use rand_chacha::ChaCha20Rng;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The name of the method, written in reports.
pub const METHOD: &str = "chacha20-smallest-k";

/// The version of the derivation. A change to how keys, streams or draws
/// are made gets a new version, and the old one stays replayable.
pub const VERSION: u32 = 1;

/// What the seed text is prefixed with before it is hashed into the key.
const DOMAIN: &[u8] = b"loggvakt/sample/v1\n";

/// Separates the parts of a candidate key (ASCII unit separator).
const SEP: char = '\u{1f}';

/// Draws for one seed.
#[derive(Debug, Clone)]
pub struct Sampler {
    key: [u8; 32],
}

impl Sampler {
    /// The sampler of `seed`, a number written in decimal or any text.
    pub fn new(seed: &str) -> Sampler {
        let mut hasher = Sha256::new();
        hasher.update(DOMAIN);
        hasher.update(seed.as_bytes());
        Sampler {
            key: hasher.finalize().into(),
        }
    }

    /// The draw of the candidate with key `candidate`: the first 64-bit
    /// word of the ChaCha20 stream the candidate's digest selects.
    pub fn draw(&self, candidate: &str) -> u64 {
        let digest = Sha256::digest(candidate.as_bytes());
        let mut stream = [0_u8; 8];
        stream.copy_from_slice(&digest[..8]);
        let mut rng = ChaCha20Rng::from_seed(self.key);
        rng.set_stream(u64::from_le_bytes(stream));
        rng.next_u64()
    }
}

/// A draw as written in reports: sixteen lowercase hex digits, so that no
/// language loses precision reading it.
pub fn hex(draw: u64) -> String {
    format!("{draw:016x}")
}

/// The key of a finding: rule, key values by name, window start.
pub fn finding_key(finding: &Finding) -> String {
    let mut key = format!("finding{SEP}{}", finding.rule);
    for (name, value) in &finding.key {
        key.push(SEP);
        key.push_str(name);
        key.push('=');
        key.push_str(value);
    }
    key.push(SEP);
    key.push_str(&finding.window.start.timestamp().to_string());
    key
}

/// The key of a user.
pub fn user_key(user: &str) -> String {
    format!("user{SEP}{user}")
}

/// The key of an event: its id, or the digest of its canonical JSON when
/// it has none.
pub fn event_key(event: &Event) -> String {
    match &event.id {
        Some(id) => format!("event{SEP}{id}"),
        None => {
            let value = serde_json::to_value(event).unwrap_or_default();
            let text = serde_json::to_string(&value).unwrap_or_default();
            format!("event-digest{SEP}{}", hex::encode(Sha256::digest(text)))
        }
    }
}

/// A candidate with its draw; orders by draw, then key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Drawn<T> {
    /// The draw.
    pub draw: u64,
    /// The candidate's key.
    pub key: String,
    /// What was drawn.
    pub item: T,
}

/// Keeps the `k` smallest of `candidates`, smallest first.
pub fn smallest<T: Ord>(candidates: impl IntoIterator<Item = Drawn<T>>, k: usize) -> Vec<Drawn<T>> {
    let mut all: Vec<Drawn<T>> = candidates.into_iter().collect();
    all.sort_by(|a, b| (a.draw, &a.key).cmp(&(b.draw, &b.key)));
    all.truncate(k);
    all
}

/// One sampled event of the spot check.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Spotted {
    /// The event's id, if it has one.
    pub id: Option<String>,
    /// The event's time, RFC 3339 in UTC.
    pub time: String,
    /// The event's action.
    pub action: String,
    /// The event's patient, if any.
    pub patient: Option<String>,
}

/// The spot check of ordinary activity while events stream past: for
/// every user in the population, the `m` events with the smallest draws.
/// Memory is one small record per user and sampled event, never per event.
#[derive(Debug, Clone, Default)]
pub struct SpotCheck {
    per_user: usize,
    users: HashMap<String, UserSample>,
}

#[derive(Debug, Clone, Default)]
struct UserSample {
    events: u64,
    kept: Vec<Drawn<Spotted>>,
}

impl SpotCheck {
    /// A spot check keeping `per_user` events of each user.
    pub fn new(per_user: usize) -> SpotCheck {
        SpotCheck {
            per_user,
            users: HashMap::default(),
        }
    }

    /// Offers one event of the population.
    pub fn offer(&mut self, sampler: &Sampler, event: &Event) {
        let key = event_key(event);
        let drawn = Drawn {
            draw: sampler.draw(&key),
            key,
            item: Spotted {
                id: event.id.clone(),
                time: event.time.to_rfc3339(),
                action: event.action.clone(),
                patient: event.patient.clone(),
            },
        };
        let user = self.users.entry(event.user.clone()).or_default();
        user.events += 1;
        keep(&mut user.kept, drawn, self.per_user);
    }

    /// Adds another part's spot check, as if its events had been offered
    /// here.
    pub fn merge(&mut self, other: SpotCheck) {
        for (name, theirs) in other.users {
            let ours = self.users.entry(name).or_default();
            ours.events += theirs.events;
            for drawn in theirs.kept {
                keep(&mut ours.kept, drawn, self.per_user);
            }
        }
    }

    /// The `k` users with the smallest draws, each with their sampled
    /// events, and the number of users in the population.
    pub fn select(&self, sampler: &Sampler, k: usize) -> (usize, Vec<SpotUser>) {
        let candidates = self.users.keys().map(|name| {
            let key = user_key(name);
            Drawn {
                draw: sampler.draw(&key),
                key,
                item: name.clone(),
            }
        });
        let chosen = smallest(candidates, k);
        let users = chosen
            .into_iter()
            .map(|drawn| {
                let sample = &self.users[&drawn.item];
                SpotUser {
                    user: drawn.item.clone(),
                    draw: drawn.draw,
                    events: sample.events,
                    sampled: sample.kept.clone(),
                }
            })
            .collect();
        (self.users.len(), users)
    }
}

/// A user chosen for the spot check.
#[derive(Debug, Clone, PartialEq)]
pub struct SpotUser {
    /// The user.
    pub user: String,
    /// The user's draw.
    pub draw: u64,
    /// The user's events in the population.
    pub events: u64,
    /// The sampled events, smallest draw first.
    pub sampled: Vec<Drawn<Spotted>>,
}

/// Inserts `drawn` into `kept`, a sorted list of at most `limit`; a copy
/// of an event already kept is not kept twice.
fn keep(kept: &mut Vec<Drawn<Spotted>>, drawn: Drawn<Spotted>, limit: usize) {
    let at = kept.partition_point(|k| (k.draw, &k.key) < (drawn.draw, &drawn.key));
    if kept.get(at).is_some_and(|k| k.key == drawn.key) || at >= limit {
        return;
    }
    kept.insert(at, drawn);
    kept.truncate(limit);
}

/// The findings to review per category: every finding when a category has
/// `k` or fewer, else the `k` with the smallest draws. Gives, per
/// category, the number of findings and the chosen keys.
pub fn findings_sample(
    sampler: &Sampler,
    findings: &[Finding],
    k: usize,
) -> BTreeMap<String, (usize, Vec<Drawn<usize>>)> {
    let mut by_category: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, finding) in findings.iter().enumerate() {
        let category = finding.category.as_str().to_string();
        by_category.entry(category).or_default().push(i);
    }
    by_category
        .into_iter()
        .map(|(category, indices)| {
            let candidates = indices.iter().map(|&i| {
                let key = finding_key(&findings[i]);
                Drawn {
                    draw: sampler.draw(&key),
                    key,
                    item: i,
                }
            });
            (category, (indices.len(), smallest(candidates, k)))
        })
        .collect()
}

/// A fresh seed from the operating system, as 32 hex digits.
pub fn fresh_seed() -> String {
    let mut bytes = [0_u8; 16];
    rand::fill(&mut bytes);
    hex::encode(bytes)
}

#[cfg(test)]
#[path = "sample_tests.rs"]
mod tests;
