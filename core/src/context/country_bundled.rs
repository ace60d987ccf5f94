//! The country data built into Loggvakt: the `iptocc` crate's table of the
//! five regional Internet registries' delegations.

use super::CountryLookup;
use crate::report::CountryData;
use std::net::IpAddr;

/// The crate the data comes from.
const NAME: &str = "iptocc";

/// Its version, pinned in the workspace manifest; the data changes only
/// with it.
const VERSION: &str = "1.4.175";

/// The day that version, and so its snapshot of the registries' files,
/// was published.
const DATE: &str = "2026-11-01";

/// Maps addresses to the country a regional Internet registry (AFRINIC,
/// APNIC, ARIN, LACNIC, RIPE NCC) delegated them to, from a table built
/// into the program: no file is read and nothing is downloaded.
///
/// A delegation says which country holds an address block, not where a
/// device using it stands, and a VPN hides both. Private, loopback and
/// undelegated addresses have no country. An IPv4-mapped IPv6 address is
/// looked up as the IPv4 address it carries.
#[derive(Debug, Clone, Copy, Default)]
pub struct BundledCountries;

/// The terms of the bundled data: the crate's licence, and the regional
/// internet registries' delegation statistics it is built from, which they
/// publish for anyone to use.
const LICENCE: &str = "MIT OR Apache-2.0 (iptocc); data: the five regional internet \
                       registries' public delegation statistics";

impl BundledCountries {
    /// The data's name, version and date, for the report.
    pub fn data() -> CountryData {
        CountryData {
            name: NAME.to_string(),
            version: Some(VERSION.to_string()),
            date: Some(DATE.to_string()),
            licence: Some(LICENCE.to_string()),
        }
    }
}

impl CountryLookup for BundledCountries {
    fn country(&self, ip: IpAddr) -> Option<&str> {
        iptocc::country_code(ip.to_canonical())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn country(text: &str) -> Option<&'static str> {
        let ip: IpAddr = text.parse().ok()?;
        iptocc::country_code(ip.to_canonical())
    }

    #[test]
    fn public_addresses_have_their_registry_country() {
        let lookup = BundledCountries;
        let ip = |text: &str| text.parse::<IpAddr>().unwrap_or(IpAddr::from([0, 0, 0, 0]));
        assert_eq!(lookup.country(ip("8.8.8.8")), Some("US"));
        assert_eq!(lookup.country(ip("::ffff:8.8.8.8")), Some("US"));
        assert_eq!(country("1.0.16.1"), Some("JP"));
    }

    #[test]
    fn private_addresses_have_no_country() {
        assert_eq!(country("10.1.2.3"), None);
        assert_eq!(country("192.168.0.1"), None);
        assert_eq!(country("127.0.0.1"), None);
    }

    #[test]
    fn the_version_is_the_pinned_one() {
        let manifest = include_str!("../../../Cargo.toml");
        assert!(manifest.contains(&format!("iptocc = \"={VERSION}\"")));
    }
}
