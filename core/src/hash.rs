//! The hash maps and sets of the evaluation's hot paths.
//!
//! Every event looks up its user, patient and units in the context and its
//! groups in the rules' state, several times per rule. The standard
//! library's SipHash took a tenth of a run's time; foldhash, seeded per
//! process as SipHash is, hashes short keys several times faster. Nothing
//! depends on the order of these maps: what reaches a report is sorted.

/// A hash map with the fast hasher.
pub type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// A hash set with the fast hasher.
pub type HashSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;
