//! Context: reference data rules look up while events stream past.
//!
//! An event says who opened which record; the context says who that user
//! is (units, roles, permissions, employment, working hours), who the
//! patient is (protected identity, media interest, units), which care
//! relations hold, named lists of strings or IP ranges, and which country
//! an address belongs to.
//!
//! A [`Context`] is built once with a [`ContextBuilder`], which checks the
//! data and reports every problem as a coded [`Diagnostic`]. After that it
//! is read-only, and every query is a hash look-up that allocates nothing.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use loggvakt::context::{Context, Patient, Relation, User};
//!
//! let admitted = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
//! let visit = Utc.with_ymd_and_hms(2026, 3, 2, 14, 30, 0).unwrap();
//!
//! let mut builder = Context::builder();
//! builder
//!     .add_user(User::new("anna").with_unit("ward-4").with_role("nurse"))
//!     .add_patient(Patient::new("p1").with_protected(true))
//!     .add_relation(Relation::unit("ward-4", "p1").with_validity(Some(admitted), None))
//!     .add_cidr_list("clinic_networks", ["10.20.0.0/16", "2001:db8::/32"]);
//! let context = builder.build()?;
//!
//! assert!(context.related("anna", "p1", visit));
//! assert!(!context.related("anna", "p1", admitted - chrono::Duration::seconds(1)));
//! assert_eq!(context.patient_protected("p1"), Some(true));
//! assert_eq!(context.patient_protected("p2"), None);
//!
//! let networks = context.list("clinic_networks").unwrap();
//! assert!(networks.contains_ip("::ffff:10.20.3.4".parse()?));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod country;
mod country_bundled;
mod list;
mod load;
mod model;
mod prefix;
mod schedule;

pub use country::{CountryLookup, CountryRanges};
pub use country_bundled::BundledCountries;
pub use list::{List, ListKind};
pub use load::{ContextTables, REFERENCE_LISTS, ReferenceList};
pub use model::{Holder, NarcoticClass, Patient, Relation, User};
pub use schedule::{Schedule, Shift};

use crate::codes::{self, Code};
use crate::diagnostic::Diagnostic;
use crate::hash::{HashMap, HashSet};
use crate::report::{ContextFile, ContextSummary, CountryData};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use model::Period;
use prefix::{PrefixTable, parse_net};
use std::collections::hash_map::Entry;
use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;

/// Context data that could not be used, with every problem found.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", summary(diagnostics))]
pub struct ContextError {
    /// The problems, in the order the data was given.
    pub diagnostics: Vec<Diagnostic>,
}

impl ContextError {
    /// `Ok` when there are no problems.
    fn check(diagnostics: Vec<Diagnostic>) -> Result<(), ContextError> {
        if diagnostics.is_empty() {
            Ok(())
        } else {
            Err(ContextError { diagnostics })
        }
    }
}

fn summary(diagnostics: &[Diagnostic]) -> String {
    match diagnostics {
        [] => "no diagnostics".to_string(),
        [only] => only.to_string(),
        [first, rest @ ..] => format!("{first} (and {} more)", rest.len()),
    }
}

/// Care relations of one kind of holder: holder → patient → periods.
#[derive(Debug, Clone, Default)]
struct RelationIndex {
    by_holder: HashMap<String, HashMap<String, Vec<Period>>>,
}

impl RelationIndex {
    fn insert(&mut self, holder: String, patient: String, period: Period) {
        let patients = self.by_holder.entry(holder).or_default();
        patients.entry(patient).or_default().push(period);
    }

    fn holds(&self, holder: &str, patient: &str, time: DateTime<Utc>) -> bool {
        let periods = self.by_holder.get(holder).and_then(|p| p.get(patient));
        periods.is_some_and(|periods| periods.iter().any(|p| p.contains(time)))
    }
}

/// Reference data for rules: users, patients, care relations, named lists
/// and a country look-up.
///
/// Build one with [`Context::builder`]. An empty context
/// ([`Context::default`]) knows no one and holds no lists.
#[derive(Clone, Default)]
pub struct Context {
    users: HashMap<String, User>,
    patients: HashMap<String, Patient>,
    user_relations: RelationIndex,
    unit_relations: RelationIndex,
    lists: HashMap<String, List>,
    countries: Option<Arc<dyn CountryLookup>>,
    drugs: HashMap<String, NarcoticClass>,
    /// Where the data came from, for the report.
    sources: Sources,
}

/// What a context was made from: the files read, the built-in lists in
/// force and the country data.
#[derive(Debug, Clone, Default)]
struct Sources {
    files: Vec<ContextFile>,
    builtin_lists: Vec<ContextFile>,
    countries: Option<CountryData>,
}

impl fmt::Debug for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Context")
            .field("users", &self.users.len())
            .field("patients", &self.patients.len())
            .field("lists", &self.lists.len())
            .field("drugs", &self.drugs.len())
            .field("countries", &self.countries.is_some())
            .finish_non_exhaustive()
    }
}

impl Context {
    /// A builder for a context.
    pub fn builder() -> ContextBuilder {
        ContextBuilder::default()
    }

    /// The user with `id`.
    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.get(id)
    }

    /// Whether the context knows the user `id`.
    pub fn is_known_user(&self, id: &str) -> bool {
        self.users.contains_key(id)
    }

    /// The user's care units; empty when the user is unknown.
    pub fn user_units(&self, id: &str) -> &[String] {
        self.users.get(id).map_or(&[], |user| &user.units)
    }

    /// The user's roles; empty when the user is unknown.
    pub fn user_roles(&self, id: &str) -> &[String] {
        self.users.get(id).map_or(&[], |user| &user.roles)
    }

    /// The user's permissions; empty when the user is unknown.
    pub fn user_permissions(&self, id: &str) -> &[String] {
        self.users.get(id).map_or(&[], |user| &user.permissions)
    }

    /// Whether `date` lies in the user's employment period (both ends
    /// inclusive, open ends unbounded); `None` when the user is unknown.
    pub fn employed_on(&self, id: &str, date: NaiveDate) -> Option<bool> {
        self.users.get(id).map(|user| user.is_employed_on(date))
    }

    /// Whether the user has a shift at the wall-clock time `local`, read in
    /// the care provider's zone; `None` when the user is unknown or has no
    /// schedule.
    pub fn on_shift(&self, id: &str, local: NaiveDateTime) -> Option<bool> {
        self.users.get(id).and_then(|user| user.is_on_shift(local))
    }

    /// The patient with `id`.
    pub fn patient(&self, id: &str) -> Option<&Patient> {
        self.patients.get(id)
    }

    /// Whether the context knows the patient `id`.
    pub fn is_known_patient(&self, id: &str) -> bool {
        self.patients.contains_key(id)
    }

    /// Whether the patient has a protected identity; `None` when the
    /// patient is unknown.
    pub fn patient_protected(&self, id: &str) -> Option<bool> {
        self.patients.get(id).map(|patient| patient.protected)
    }

    /// Whether the patient is of media interest; `None` when the patient
    /// is unknown.
    pub fn patient_media_interest(&self, id: &str) -> Option<bool> {
        self.patients.get(id).map(|patient| patient.media_interest)
    }

    /// The patient's care units; empty when the patient is unknown.
    pub fn patient_units(&self, id: &str) -> &[String] {
        self.patients.get(id).map_or(&[], |patient| &patient.units)
    }

    /// Whether a care relation from the user, or from one of the user's
    /// units, to the patient is valid at `time`.
    ///
    /// A relation is valid from its start, inclusive, to its end,
    /// exclusive. A relation naming a user or patient the context does not
    /// otherwise know still counts.
    pub fn related(&self, user: &str, patient: &str, time: DateTime<Utc>) -> bool {
        self.user_relations.holds(user, patient, time)
            || self
                .user_units(user)
                .iter()
                .any(|unit| self.unit_relations.holds(unit, patient, time))
    }

    /// The list named `name`.
    pub fn list(&self, name: &str) -> Option<&List> {
        self.lists.get(name)
    }

    /// The ISO 3166-1 alpha-2 country of `ip`; `None` when unknown or when
    /// the context has no country look-up.
    pub fn country(&self, ip: IpAddr) -> Option<&str> {
        self.countries
            .as_ref()
            .and_then(|lookup| lookup.country(ip))
    }

    /// The narcotics schedule of the drug `id`; `None` when the drug is
    /// unknown or not controlled.
    pub fn drug_class(&self, id: &str) -> Option<NarcoticClass> {
        self.drugs.get(id).copied()
    }

    /// What the context was made from, for a report: the files read with
    /// their rows and digests, the built-in lists and the country data.
    pub fn summary(&self) -> ContextSummary {
        ContextSummary {
            files: self.sources.files.clone(),
            builtin_lists: self.sources.builtin_lists.clone(),
            countries: self.sources.countries.clone(),
        }
    }
}

/// Collects context data and checks it; see [`Context::builder`].
///
/// Each `add_*` method records what is wrong with its input and carries on,
/// so [`build`](ContextBuilder::build) can report every problem at once.
#[derive(Debug, Default)]
pub struct ContextBuilder {
    context: Context,
    diagnostics: Vec<Diagnostic>,
}

impl ContextBuilder {
    /// Adds a user. A second user with the same id is an error (LV0501), as
    /// is an employment period that ends before it starts (LV0503).
    pub fn add_user(&mut self, user: User) -> &mut Self {
        if let (Some(from), Some(to)) = (user.employed_from, user.employed_to) {
            if to < from {
                self.diagnostics.push(employment_ends_early(&user.id));
            }
        }
        match self.context.users.entry(user.id.clone()) {
            Entry::Occupied(_) => {
                self.diagnostics
                    .push(duplicate(codes::DUPLICATE_USER, "user", &user.id))
            }
            Entry::Vacant(free) => {
                free.insert(user);
            }
        }
        self
    }

    /// Adds a patient. A second patient with the same id is an error
    /// (LV0502).
    pub fn add_patient(&mut self, patient: Patient) -> &mut Self {
        match self.context.patients.entry(patient.id.clone()) {
            Entry::Occupied(_) => {
                let problem = duplicate(codes::DUPLICATE_PATIENT, "patient", &patient.id);
                self.diagnostics.push(problem);
            }
            Entry::Vacant(free) => {
                free.insert(patient);
            }
        }
        self
    }

    /// Adds a care relation. One whose end is before its start is an error
    /// (LV0503); one whose end equals its start is never valid.
    pub fn add_relation(&mut self, relation: Relation) -> &mut Self {
        if let (Some(from), Some(to)) = (relation.valid_from, relation.valid_to) {
            if to < from {
                self.diagnostics.push(relation_ends_early(&relation));
                return self;
            }
        }
        let period = relation.period();
        match relation.holder {
            Holder::User(user) => {
                self.context
                    .user_relations
                    .insert(user, relation.patient, period)
            }
            Holder::Unit(unit) => {
                self.context
                    .unit_relations
                    .insert(unit, relation.patient, period)
            }
        }
        self
    }

    /// Adds a list of strings named `name`. A second list with the same
    /// name is an error (LV0505).
    pub fn add_text_list<S: Into<String>>(
        &mut self,
        name: impl Into<String>,
        items: impl IntoIterator<Item = S>,
    ) -> &mut Self {
        let items: HashSet<String> = items.into_iter().map(Into::into).collect();
        self.add_list(List::text(name.into(), items))
    }

    /// Adds a list of IP ranges named `name`, each written like
    /// `10.0.0.0/8` or `2001:db8::/32`; a bare address is a range of one.
    ///
    /// A text that is not a range, or a range with bits set after the
    /// prefix (`10.1.0.0/8`), is an error (LV0504); so is a second list
    /// with the same name (LV0505).
    pub fn add_cidr_list<S: AsRef<str>>(
        &mut self,
        name: impl Into<String>,
        items: impl IntoIterator<Item = S>,
    ) -> &mut Self {
        let name = name.into();
        let mut ranges = PrefixTable::default();
        let mut len = 0;
        for item in items {
            match parse_net(item.as_ref()) {
                Ok(net) => len += usize::from(ranges.insert(net, ()).is_ok()),
                Err(meant) => self.diagnostics.push(bad_cidr(&name, item.as_ref(), meant)),
            }
        }
        self.add_list(List::cidr(name, len, ranges))
    }

    fn add_list(&mut self, list: List) -> &mut Self {
        match self.context.lists.entry(list.name().to_string()) {
            Entry::Occupied(_) => {
                let problem = duplicate(codes::DUPLICATE_LIST, "list", list.name());
                self.diagnostics.push(problem);
            }
            Entry::Vacant(free) => {
                free.insert(list);
            }
        }
        self
    }

    /// Sets how addresses are mapped to countries, replacing any earlier
    /// look-up. Pass an `Arc` to share one look-up between contexts.
    pub fn set_country_lookup(&mut self, lookup: impl CountryLookup + 'static) -> &mut Self {
        self.context.countries = Some(Arc::new(lookup));
        self.context.sources.countries = None;
        self
    }

    /// Maps addresses to countries with the data built into Loggvakt
    /// ([`BundledCountries`]), replacing any earlier look-up; the report
    /// names the data and its date.
    pub fn use_bundled_countries(&mut self) -> &mut Self {
        self.context.countries = Some(Arc::new(BundledCountries));
        self.context.sources.countries = Some(BundledCountries::data());
        self
    }

    /// Adds the built-in lists of country codes, `eu_eea` and
    /// `gdpr_adequacy` ([`REFERENCE_LISTS`]), except those whose name a list
    /// added before already takes.
    pub fn add_reference_lists(&mut self) -> &mut Self {
        for reference in REFERENCE_LISTS {
            if self.context.lists.contains_key(reference.name) {
                continue;
            }
            let codes = reference.codes();
            self.context.sources.builtin_lists.push(ContextFile {
                name: reference.name.to_string(),
                rows: codes.len() as u64,
                sha256: crate::report::sha256_hex(reference.csv.as_bytes()),
            });
            self.add_text_list(reference.name, codes);
        }
        self
    }

    /// Adds a controlled drug with its narcotics schedule. A second drug
    /// with the same id is an error (LV0508).
    pub fn add_drug(&mut self, id: impl Into<String>, class: NarcoticClass) -> &mut Self {
        match self.context.drugs.entry(id.into()) {
            Entry::Occupied(held) => {
                let problem = duplicate(codes::DUPLICATE_DRUG, "drug", held.key());
                self.diagnostics.push(problem);
            }
            Entry::Vacant(free) => {
                free.insert(class);
            }
        }
        self
    }

    /// The finished context, or every problem found.
    pub fn build(self) -> Result<Context, ContextError> {
        ContextError::check(self.diagnostics)?;
        let context = self.context;
        tracing::debug!(
            users = context.users.len(),
            patients = context.patients.len(),
            lists = context.lists.len(),
            "context built"
        );
        Ok(context)
    }
}

fn duplicate(code: Code, what: &str, id: &str) -> Diagnostic {
    let message = format!("{what} `{id}` is given twice");
    Diagnostic::error(code.code, message)
        .with_help(format!("give each {what} once; merge the two entries"))
}

fn employment_ends_early(user: &str) -> Diagnostic {
    let message = format!("employment of user `{user}` ends before it starts");
    Diagnostic::error(codes::ENDS_BEFORE_START.code, message)
        .with_help("an employment period runs from its first day to its last day, both included")
}

fn relation_ends_early(relation: &Relation) -> Diagnostic {
    let holder = match &relation.holder {
        Holder::User(user) => format!("user `{user}`"),
        Holder::Unit(unit) => format!("unit `{unit}`"),
    };
    let message = format!(
        "care relation from {holder} to patient `{}` ends before it starts",
        relation.patient
    );
    Diagnostic::error(codes::ENDS_BEFORE_START.code, message)
        .with_help("a relation is valid from its start, included, to its end, excluded")
}

fn bad_cidr(list: &str, text: &str, meant: Option<ipnet::IpNet>) -> Diagnostic {
    match meant {
        Some(meant) => {
            let message =
                format!("list `{list}` has `{text}`, which has bits set after the prefix");
            Diagnostic::error(codes::BAD_CIDR.code, message)
                .with_help(format!("did you mean `{meant}`?"))
        }
        None => {
            let message = format!("list `{list}` has `{text}`, which is not an address range");
            Diagnostic::error(codes::BAD_CIDR.code, message)
                .with_help("write a range like `10.0.0.0/8` or `2001:db8::/32`")
        }
    }
}

#[cfg(test)]
#[path = "context_tests.rs"]
mod tests;
