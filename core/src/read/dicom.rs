//! DICOM codes that IHE ATNA messages and FHIR AuditEvents share.

/// `EventActionCode` (ATNA) and `action` (FHIR) codes, with the canonical
/// action each becomes.
pub(crate) const ACTION_CODES: [(&str, &str); 5] = [
    ("C", "create"),
    ("R", "read"),
    ("U", "update"),
    ("D", "delete"),
    ("E", "execute"),
];

/// Role (ATNA) or agent type (FHIR) codes of applications, network roles
/// and media: participants that are not people.
pub(crate) const SYSTEM_ROLES: [&str; 6] =
    ["110150", "110151", "110152", "110153", "110154", "110155"];

/// The role of the requesting machine, whose address stands in for the
/// user's when the user has none.
pub(crate) const SOURCE_ROLE: &str = "110153";
