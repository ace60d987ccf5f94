//! IP ranges found by address: one hash map per prefix length.
//!
//! A look-up masks the address once per prefix length present, longest
//! first, so its cost grows with the number of distinct lengths (at most 33
//! for IPv4, 129 for IPv6), not with the number of ranges.

use crate::hash::HashMap;
use ipnet::{IpNet, Ipv4Net};
use std::collections::hash_map::Entry;
use std::net::IpAddr;

/// Ranges of one address family with their values, longest prefix first.
type Slots<K, V> = Vec<(u8, HashMap<K, V>)>;

/// IP ranges, each with a value.
///
/// IPv4-mapped IPv6 addresses and ranges (`::ffff:10.0.0.0/104`) are stored
/// and looked up as IPv4, so `::ffff:10.1.2.3` is in `10.0.0.0/8`.
#[derive(Debug, Clone)]
pub(super) struct PrefixTable<V> {
    v4: Slots<u32, V>,
    v6: Slots<u128, V>,
}

impl<V> Default for PrefixTable<V> {
    fn default() -> Self {
        PrefixTable {
            v4: Vec::new(),
            v6: Vec::new(),
        }
    }
}

impl<V> PrefixTable<V> {
    /// Adds `net` with `value`; when the same range is already there it is
    /// kept, and its value returned as the error.
    pub(super) fn insert(&mut self, net: IpNet, value: V) -> Result<(), &V> {
        match canonical(net) {
            IpNet::V4(net) => {
                let (len, bits) = (net.prefix_len(), u32::from(net.addr()));
                vacant(slot(&mut self.v4, len).entry(mask_v4(bits, len)), value)
            }
            IpNet::V6(net) => {
                let (len, bits) = (net.prefix_len(), u128::from(net.addr()));
                vacant(slot(&mut self.v6, len).entry(mask_v6(bits, len)), value)
            }
        }
    }

    /// The value of the longest range holding `ip`.
    pub(super) fn longest(&self, ip: IpAddr) -> Option<&V> {
        match ip.to_canonical() {
            IpAddr::V4(ip) => {
                let bits = u32::from(ip);
                self.v4
                    .iter()
                    .find_map(|(len, map)| map.get(&mask_v4(bits, *len)))
            }
            IpAddr::V6(ip) => {
                let bits = u128::from(ip);
                self.v6
                    .iter()
                    .find_map(|(len, map)| map.get(&mask_v6(bits, *len)))
            }
        }
    }
}

fn vacant<K, V>(entry: Entry<'_, K, V>, value: V) -> Result<(), &V> {
    match entry {
        Entry::Occupied(held) => Err(held.into_mut()),
        Entry::Vacant(free) => {
            free.insert(value);
            Ok(())
        }
    }
}

/// The map for prefix length `len`, made when missing; slots stay sorted
/// longest first.
fn slot<K, V>(slots: &mut Slots<K, V>, len: u8) -> &mut HashMap<K, V> {
    let at = slots.partition_point(|(held, _)| *held > len);
    if slots.get(at).is_none_or(|(held, _)| *held != len) {
        slots.insert(at, (len, HashMap::default()));
    }
    &mut slots[at].1
}

/// An IPv4-mapped IPv6 range as the IPv4 range it stands for.
fn canonical(net: IpNet) -> IpNet {
    let IpNet::V6(v6) = net else {
        return net;
    };
    match v6.addr().to_ipv4_mapped() {
        Some(v4) if v6.prefix_len() >= 96 => {
            Ipv4Net::new(v4, v6.prefix_len() - 96).map_or(net, IpNet::V4)
        }
        _ => net,
    }
}

fn mask_v4(bits: u32, len: u8) -> u32 {
    let host = 32u32.saturating_sub(u32::from(len));
    bits & u32::MAX.checked_shl(host).unwrap_or(0)
}

fn mask_v6(bits: u128, len: u8) -> u128 {
    let host = 128u32.saturating_sub(u32::from(len));
    bits & u128::MAX.checked_shl(host).unwrap_or(0)
}

/// Reads a range such as `10.0.0.0/8`; a bare address is a range of one.
///
/// A range with host bits set (`10.1.0.0/8`) is refused with the range it
/// probably meant, since a typing error there silently widens a list.
pub(super) fn parse_net(text: &str) -> Result<IpNet, Option<IpNet>> {
    let text = text.trim();
    let net = match text.parse::<IpNet>() {
        Ok(net) => net,
        Err(_) => text.parse::<IpAddr>().map(IpNet::from).map_err(|_| None)?,
    };
    if net.trunc() == net {
        Ok(net)
    } else {
        Err(Some(net.trunc()))
    }
}
