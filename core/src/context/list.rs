//! Named lists: sets of strings, or sets of IP ranges.

use super::prefix::PrefixTable;
use crate::hash::HashSet;
use std::net::IpAddr;

/// What a list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// Strings, compared exactly (case matters).
    Text,
    /// IP ranges in CIDR notation.
    Cidr,
}

/// A named list a rule can test membership in.
#[derive(Debug, Clone)]
pub struct List {
    name: String,
    len: usize,
    items: Items,
}

#[derive(Debug, Clone)]
enum Items {
    Text(HashSet<String>),
    Cidr(PrefixTable<()>),
}

impl List {
    pub(super) fn text(name: String, items: HashSet<String>) -> List {
        List {
            name,
            len: items.len(),
            items: Items::Text(items),
        }
    }

    pub(super) fn cidr(name: String, len: usize, ranges: PrefixTable<()>) -> List {
        List {
            name,
            len,
            items: Items::Cidr(ranges),
        }
    }

    /// The list's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether the list holds strings or IP ranges.
    pub fn kind(&self) -> ListKind {
        match self.items {
            Items::Text(_) => ListKind::Text,
            Items::Cidr(_) => ListKind::Cidr,
        }
    }

    /// The number of distinct strings or ranges.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether a text list holds exactly `text`; always false for a range
    /// list.
    pub fn contains_text(&self, text: &str) -> bool {
        match &self.items {
            Items::Text(items) => items.contains(text),
            Items::Cidr(_) => false,
        }
    }

    /// Whether a range list has a range holding `ip`; always false for a
    /// text list. An IPv4-mapped IPv6 address is tested as IPv4.
    pub fn contains_ip(&self, ip: IpAddr) -> bool {
        match &self.items {
            Items::Text(_) => false,
            Items::Cidr(ranges) => ranges.longest(ip).is_some(),
        }
    }
}
