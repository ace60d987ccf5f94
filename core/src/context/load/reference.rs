//! The lists of country codes every loaded context holds unless its folder
//! gives a list of the same name.

/// A built-in list of ISO 3166-1 alpha-2 country codes, kept in the
/// repository's `reference/` folder.
#[derive(Debug, Clone, Copy)]
pub struct ReferenceList {
    /// The name rules use: `lists.NAME`.
    pub name: &'static str,
    /// The CSV it is read from; its first column holds the codes.
    pub csv: &'static str,
}

impl ReferenceList {
    /// The codes, in the file's order, upper case.
    pub fn codes(&self) -> Vec<String> {
        self.csv
            .lines()
            .skip(1)
            .filter_map(|line| line.split(',').next())
            .map(|code| code.trim().to_ascii_uppercase())
            .filter(|code| !code.is_empty())
            .collect()
    }
}

/// The built-in lists: `eu_eea`, the 27 EU member states and Iceland,
/// Liechtenstein and Norway; and `gdpr_adequacy`, the third countries with
/// an EU adequacy decision (GDPR article 45), EU/EEA states not included.
pub const REFERENCE_LISTS: [ReferenceList; 2] = [
    ReferenceList {
        name: "eu_eea",
        csv: include_str!("../../../../reference/eu_eea_countries.csv"),
    },
    ReferenceList {
        name: "gdpr_adequacy",
        csv: include_str!("../../../../reference/gdpr_adequacy_third_countries.csv"),
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_hold_iso_codes() {
        let eu = REFERENCE_LISTS[0].codes();
        assert_eq!(eu.len(), 30);
        assert!(eu.contains(&"SE".to_string()) && eu.contains(&"NO".to_string()));
        assert!(eu.contains(&"GR".to_string()) && !eu.contains(&"EL".to_string()));
        let adequate = REFERENCE_LISTS[1].codes();
        assert_eq!(adequate.len(), 15);
        assert_eq!(adequate.first().map(String::as_str), Some("AD"));
        assert!(adequate.contains(&"KR".to_string()) && adequate.contains(&"GB".to_string()));
        assert!(eu.iter().all(|code| code.len() == 2));
    }
}
