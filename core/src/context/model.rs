//! The entities a context holds: users, patients and care relations.

use super::Schedule;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

/// A person who can act in the record system.
///
/// Build one with [`User::new`] and the `with_*` methods; every list keeps
/// the order it was given in.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    /// The id events name in their `user` field.
    pub id: String,
    /// The care units or residences the user works at.
    pub units: Vec<String>,
    /// The user's roles, such as `nurse` or `physician`.
    pub roles: Vec<String>,
    /// What the user may access, in the record system's own words.
    pub permissions: Vec<String>,
    /// The first day of employment, inclusive; `None` when open.
    pub employed_from: Option<NaiveDate>,
    /// The last day of employment, inclusive; `None` when open.
    pub employed_to: Option<NaiveDate>,
    /// When the user is expected to work; `None` when not known.
    pub schedule: Option<Schedule>,
}

impl User {
    /// A user with an id and nothing else.
    pub fn new(id: impl Into<String>) -> User {
        User {
            id: id.into(),
            units: Vec::new(),
            roles: Vec::new(),
            permissions: Vec::new(),
            employed_from: None,
            employed_to: None,
            schedule: None,
        }
    }

    /// Adds a care unit.
    pub fn with_unit(mut self, unit: impl Into<String>) -> User {
        self.units.push(unit.into());
        self
    }

    /// Adds a role.
    pub fn with_role(mut self, role: impl Into<String>) -> User {
        self.roles.push(role.into());
        self
    }

    /// Adds a permission.
    pub fn with_permission(mut self, permission: impl Into<String>) -> User {
        self.permissions.push(permission.into());
        self
    }

    /// Sets the employment period: first and last day, both inclusive.
    pub fn with_employment(mut self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> User {
        self.employed_from = from;
        self.employed_to = to;
        self
    }

    /// Sets the work schedule.
    pub fn with_schedule(mut self, schedule: Schedule) -> User {
        self.schedule = Some(schedule);
        self
    }

    /// Whether `date` lies in the employment period; an open end is
    /// unbounded.
    pub fn is_employed_on(&self, date: NaiveDate) -> bool {
        self.employed_from.is_none_or(|from| from <= date)
            && self.employed_to.is_none_or(|to| date <= to)
    }

    /// Whether the schedule has a shift at the local wall-clock time `local`;
    /// `None` when the user has no schedule.
    pub fn is_on_shift(&self, local: NaiveDateTime) -> Option<bool> {
        self.schedule
            .as_ref()
            .map(|schedule| schedule.covers(local))
    }
}

/// A person whose record can be opened.
#[derive(Debug, Clone, PartialEq)]
pub struct Patient {
    /// The id events name in their `patient` field.
    pub id: String,
    /// Whether the patient has a protected identity.
    pub protected: bool,
    /// Whether the patient is of media interest, such as a public figure.
    pub media_interest: bool,
    /// The care units the patient is registered at.
    pub units: Vec<String>,
}

impl Patient {
    /// A patient with an id, neither protected nor of media interest.
    pub fn new(id: impl Into<String>) -> Patient {
        Patient {
            id: id.into(),
            protected: false,
            media_interest: false,
            units: Vec::new(),
        }
    }

    /// Sets whether the patient has a protected identity.
    pub fn with_protected(mut self, protected: bool) -> Patient {
        self.protected = protected;
        self
    }

    /// Sets whether the patient is of media interest.
    pub fn with_media_interest(mut self, media_interest: bool) -> Patient {
        self.media_interest = media_interest;
        self
    }

    /// Adds a care unit.
    pub fn with_unit(mut self, unit: impl Into<String>) -> Patient {
        self.units.push(unit.into());
        self
    }
}

/// Who holds a care relation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Holder {
    /// One user, by id.
    User(String),
    /// A care unit, by name: every user working there holds the relation.
    Unit(String),
}

/// A care relation: a user or a unit takes care of a patient for a time.
///
/// The relation is valid from `valid_from`, inclusive, to `valid_to`,
/// exclusive; an open end is unbounded.
#[derive(Debug, Clone, PartialEq)]
pub struct Relation {
    /// Who holds the relation.
    pub holder: Holder,
    /// The patient's id.
    pub patient: String,
    /// The first instant of validity; `None` when open.
    pub valid_from: Option<DateTime<Utc>>,
    /// The first instant after validity; `None` when open.
    pub valid_to: Option<DateTime<Utc>>,
}

impl Relation {
    /// A relation from one user to a patient, valid at every instant.
    pub fn user(user: impl Into<String>, patient: impl Into<String>) -> Relation {
        Relation::new(Holder::User(user.into()), patient.into())
    }

    /// A relation from a care unit to a patient, valid at every instant.
    pub fn unit(unit: impl Into<String>, patient: impl Into<String>) -> Relation {
        Relation::new(Holder::Unit(unit.into()), patient.into())
    }

    fn new(holder: Holder, patient: String) -> Relation {
        Relation {
            holder,
            patient,
            valid_from: None,
            valid_to: None,
        }
    }

    /// Sets the validity: `from` inclusive, `to` exclusive.
    pub fn with_validity(
        mut self,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Relation {
        self.valid_from = from;
        self.valid_to = to;
        self
    }

    /// Whether the relation is valid at `time`.
    pub fn is_valid_at(&self, time: DateTime<Utc>) -> bool {
        self.period().contains(time)
    }

    pub(super) fn period(&self) -> Period {
        Period {
            from: self.valid_from,
            to: self.valid_to,
        }
    }
}

/// A half-open span of instants, `[from, to)`, either end open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Period {
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
}

impl Period {
    pub(super) fn contains(self, time: DateTime<Utc>) -> bool {
        self.from.is_none_or(|from| from <= time) && self.to.is_none_or(|to| time < to)
    }
}

/// The Swedish narcotics schedule (*förteckning*) a controlled drug is on,
/// II to V. Schedule I substances have no medical use and so no place in a
/// care provider's drug register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NarcoticClass {
    /// Schedule II, such as morphine and oxycodone.
    II,
    /// Schedule III, such as codeine in higher strengths.
    III,
    /// Schedule IV, such as benzodiazepines.
    IV,
    /// Schedule V, such as codeine in lower strengths.
    V,
}

impl NarcoticClass {
    /// Every class, in order.
    pub const ALL: [NarcoticClass; 4] = [
        NarcoticClass::II,
        NarcoticClass::III,
        NarcoticClass::IV,
        NarcoticClass::V,
    ];

    /// The class in Roman numerals, as written in the schedule: `II` to `V`.
    pub fn as_str(self) -> &'static str {
        match self {
            NarcoticClass::II => "II",
            NarcoticClass::III => "III",
            NarcoticClass::IV => "IV",
            NarcoticClass::V => "V",
        }
    }

    /// Reads `II` to `V` in any case, or the digits `2` to `5`; white space
    /// around it is ignored.
    pub fn parse(text: &str) -> Option<NarcoticClass> {
        let text = text.trim();
        let arabic = ["2", "3", "4", "5"];
        NarcoticClass::ALL
            .into_iter()
            .zip(arabic)
            .find(|(class, digit)| text.eq_ignore_ascii_case(class.as_str()) || text == *digit)
            .map(|(class, _)| class)
    }
}

impl std::fmt::Display for NarcoticClass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
