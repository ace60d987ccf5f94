//! Looking up the country of an IP address.

use super::ContextError;
use super::prefix::PrefixTable;
use crate::codes;
use crate::diagnostic::Diagnostic;
use ipnet::IpNet;
use std::net::IpAddr;
use std::sync::Arc;

/// Finds the country an IP address is registered in.
///
/// Implement it over any geolocation source; a [`Context`](super::Context)
/// holds one and calls it once per look-up, so it should be fast and must
/// not block. Loggvakt bundles no data: [`CountryRanges`] is a plain table
/// the caller fills.
pub trait CountryLookup: Send + Sync {
    /// The ISO 3166-1 alpha-2 code (`SE`, `NO`, …) of the country `ip`
    /// belongs to, in upper case; `None` when unknown.
    fn country(&self, ip: IpAddr) -> Option<&str>;
}

impl<T: CountryLookup + ?Sized> CountryLookup for Arc<T> {
    fn country(&self, ip: IpAddr) -> Option<&str> {
        (**self).country(ip)
    }
}

impl<T: CountryLookup + ?Sized> CountryLookup for Box<T> {
    fn country(&self, ip: IpAddr) -> Option<&str> {
        (**self).country(ip)
    }
}

/// A table of IP ranges with their countries; the longest range holding an
/// address decides.
///
/// IPv4-mapped IPv6 addresses are looked up as IPv4.
#[derive(Debug, Clone, Default)]
pub struct CountryRanges {
    ranges: PrefixTable<String>,
}

impl CountryRanges {
    /// A table of `(range, country)` pairs.
    ///
    /// Countries are two ASCII letters and are stored in upper case. Fails
    /// with every problem found: a country that is not two letters (LV0506),
    /// or a range given two different countries (LV0507). A range listed
    /// twice with the same country is harmless.
    pub fn new<S: AsRef<str>>(
        ranges: impl IntoIterator<Item = (IpNet, S)>,
    ) -> Result<CountryRanges, ContextError> {
        let mut table = CountryRanges::default();
        let mut diagnostics = Vec::new();
        for (net, country) in ranges {
            if let Err(problem) = table.insert(net, country.as_ref()) {
                diagnostics.push(problem);
            }
        }
        ContextError::check(diagnostics)?;
        Ok(table)
    }

    pub(super) fn insert(&mut self, net: IpNet, country: &str) -> Result<(), Diagnostic> {
        let code = alpha2(country).ok_or_else(|| bad_country(net, country))?;
        match self.ranges.insert(net, code.clone()) {
            Err(held) if *held != code => Err(conflicting_range(net, held, &code)),
            _ => Ok(()),
        }
    }
}

impl CountryLookup for CountryRanges {
    fn country(&self, ip: IpAddr) -> Option<&str> {
        self.ranges.longest(ip).map(String::as_str)
    }
}

/// `country` in upper case when it is two ASCII letters.
fn alpha2(country: &str) -> Option<String> {
    let letters = country.len() == 2 && country.bytes().all(|b| b.is_ascii_alphabetic());
    letters.then(|| country.to_ascii_uppercase())
}

fn bad_country(net: IpNet, country: &str) -> Diagnostic {
    let message = format!("range `{net}` has country `{country}`, which is not a two-letter code");
    Diagnostic::error(codes::BAD_COUNTRY.code, message)
        .with_help("write countries as ISO 3166-1 alpha-2 codes such as `SE`")
}

fn conflicting_range(net: IpNet, held: &str, other: &str) -> Diagnostic {
    let message = format!("range `{net}` is given two countries, `{held}` and `{other}`");
    Diagnostic::error(codes::CONFLICTING_RANGE.code, message)
        .with_help("keep one entry for the range")
}
