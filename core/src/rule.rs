//! Rule metadata shared by checking, planning and the report.

use serde::Serialize;
use std::fmt;
use std::sync::Arc;

/// A report category: one of the four built-in ones, or one a rule file
/// declares. Built-in categories sort first, in report order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// Unauthorized access: intrusion attempts, denied access, third countries.
    Unauthorized,
    /// Controlled drugs.
    Narcotics,
    /// Breaks from ordinary patterns.
    Pattern,
    /// Reading where the care relation is not obvious.
    Relation,
    /// A category a rule file declares, by name.
    Declared(Arc<str>),
}

impl Category {
    /// The built-in categories, in report order.
    pub const ALL: [Category; 4] = [
        Category::Unauthorized,
        Category::Narcotics,
        Category::Pattern,
        Category::Relation,
    ];

    /// The name used in rule files and reports.
    pub fn as_str(&self) -> &str {
        match self {
            Category::Unauthorized => "unauthorized",
            Category::Narcotics => "narcotics",
            Category::Pattern => "pattern",
            Category::Relation => "relation",
            Category::Declared(name) => name,
        }
    }

    /// The title of a built-in category; `None` for a declared one.
    pub fn built_in_title(&self) -> Option<&'static str> {
        Some(match self {
            Category::Unauthorized => "Unauthorized access",
            Category::Narcotics => "Narcotics",
            Category::Pattern => "Breaks from ordinary patterns",
            Category::Relation => "Reading without an obvious care relation",
            Category::Declared(_) => return None,
        })
    }

    /// Reads a built-in category name.
    pub fn parse(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

impl Serialize for Category {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Worth a look.
    Low,
    /// Should be followed up.
    Medium,
    /// Must be followed up.
    High,
}

impl Level {
    /// Every level, lowest first.
    pub const ALL: [Level; 3] = [Level::Low, Level::Medium, Level::High];

    /// The name used in rule files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
        }
    }

    /// Reads a severity name.
    pub fn parse(name: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == name)
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
