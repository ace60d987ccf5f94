//! What each kind of context file holds, and how a row becomes a user, a
//! patient, a care relation, a drug or a country range.

use super::table::{Columns, Row};
use super::value::Cells;
use super::{Located, Problems};
use crate::codes;
use crate::context::prefix::parse_net;
use crate::context::{ContextBuilder, CountryRanges, Patient, Relation, User, bad_cidr};
use chrono_tz::Tz;

/// The kinds of table a context folder may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Kind {
    /// `users.csv` or `users.json`.
    Users,
    /// `patients.csv` or `patients.json`.
    Patients,
    /// `relations.csv` or `relations.json`.
    Relations,
    /// `drugs.csv` or `drugs.json`.
    Drugs,
    /// `countries.csv`.
    Countries,
}

impl Kind {
    /// Every kind, in the order a folder is read.
    pub(super) const ALL: [Kind; 5] = [
        Kind::Users,
        Kind::Patients,
        Kind::Relations,
        Kind::Drugs,
        Kind::Countries,
    ];

    /// The file name without extension.
    pub(super) fn stem(self) -> &'static str {
        match self {
            Kind::Users => "users",
            Kind::Patients => "patients",
            Kind::Relations => "relations",
            Kind::Drugs => "drugs",
            Kind::Countries => "countries",
        }
    }

    /// Whether the kind may be written as JSON too.
    pub(super) fn takes_json(self) -> bool {
        self != Kind::Countries
    }

    /// The columns of the kind.
    pub(super) fn columns(self) -> Columns {
        match self {
            Kind::Users => Columns {
                required: &["id"],
                optional: &[
                    "units",
                    "roles",
                    "permissions",
                    "employed_from",
                    "employed_to",
                    "schedule",
                ],
            },
            Kind::Patients => Columns {
                required: &["id"],
                optional: &["protected", "media_interest", "units"],
            },
            Kind::Relations => Columns {
                required: &["patient"],
                optional: &["user", "unit", "from", "to"],
            },
            Kind::Drugs => Columns {
                required: &["id", "class"],
                optional: &["name"],
            },
            Kind::Countries => Columns {
                required: &["network", "country"],
                optional: &[],
            },
        }
    }
}

/// Adds the rows of one table to the builder, or to `countries`.
pub(super) fn add_rows(
    kind: Kind,
    rows: &[Row],
    zone: Tz,
    sink: (&mut ContextBuilder, &mut CountryRanges),
    problems: &mut Problems,
) {
    let (builder, countries) = sink;
    for row in rows {
        match kind {
            Kind::Users => add_user(row, builder, problems),
            Kind::Patients => add_patient(row, builder, problems),
            Kind::Relations => add_relation(row, zone, builder, problems),
            Kind::Drugs => add_drug(row, builder, problems),
            Kind::Countries => add_country(row, countries, problems),
        }
    }
}

fn add_user(row: &Row, builder: &mut ContextBuilder, problems: &mut Problems) {
    let mut cells = Cells::new(row, problems);
    let id = cells.required("id");
    let units = cells.set("units");
    let roles = cells.set("roles");
    let permissions = cells.set("permissions");
    let from = cells.date("employed_from");
    let to = cells.date("employed_to");
    let schedule = cells.schedule("schedule");
    let (Some(id), false) = (id, cells.failed) else {
        return;
    };
    let mut user = User::new(id).with_employment(from, to);
    user.units = units;
    user.roles = roles;
    user.permissions = permissions;
    user.schedule = schedule;
    problems.locate(row, builder, |b| b.add_user(user));
}

fn add_patient(row: &Row, builder: &mut ContextBuilder, problems: &mut Problems) {
    let mut cells = Cells::new(row, problems);
    let id = cells.required("id");
    let protected = cells.flag("protected");
    let media_interest = cells.flag("media_interest");
    let units = cells.set("units");
    let (Some(id), false) = (id, cells.failed) else {
        return;
    };
    let mut patient = Patient::new(id)
        .with_protected(protected)
        .with_media_interest(media_interest);
    patient.units = units;
    problems.locate(row, builder, |b| b.add_patient(patient));
}

fn add_relation(row: &Row, zone: Tz, builder: &mut ContextBuilder, problems: &mut Problems) {
    let mut cells = Cells::new(row, problems);
    let user = cells.text("user");
    let unit = cells.text("unit");
    let patient = cells.required("patient");
    let from = cells.instant("from", zone);
    let to = cells.instant("to", zone);
    let failed = cells.failed;
    let relation = match (user, unit) {
        (Some(user), None) => Relation::user(user, ""),
        (None, Some(unit)) => Relation::unit(unit, ""),
        (user, _) => {
            let message = if user.is_some() {
                "the row gives both a `user` and a `unit`"
            } else {
                "the row gives neither a `user` nor a `unit`"
            };
            let help = "a relation is held by one user or by one unit: fill exactly one";
            problems.at_row(row, codes::BAD_CONTEXT_ROW, message.to_string(), help);
            return;
        }
    };
    let (Some(patient), false) = (patient, failed) else {
        return;
    };
    let relation = Relation {
        patient,
        ..relation.with_validity(from, to)
    };
    problems.locate(row, builder, |b| b.add_relation(relation));
}

fn add_drug(row: &Row, builder: &mut ContextBuilder, problems: &mut Problems) {
    let mut cells = Cells::new(row, problems);
    let id = cells.required("id");
    let class = cells.class("class");
    let _name = cells.text("name");
    let (Some(id), Some(class), false) = (id, class, cells.failed) else {
        return;
    };
    problems.locate(row, builder, |b| b.add_drug(id, class));
}

fn add_country(row: &Row, countries: &mut CountryRanges, problems: &mut Problems) {
    let mut cells = Cells::new(row, problems);
    let network = cells.required("network");
    let country = cells.required("country");
    let (Some(network), Some(country), false) = (network, country, cells.failed) else {
        return;
    };
    let added = parse_net(&network)
        .map_err(|meant| bad_cidr("countries.csv", &network, meant))
        .and_then(|net| countries.insert(net, &country));
    if let Err(problem) = added {
        problems.relocate(row, problem);
    }
}

/// The entries of a list file, each with its line: blank lines and lines
/// starting with `#` are left out.
pub(super) fn list_entries(text: &str) -> Vec<(usize, usize, &str)> {
    let mut offset = 0;
    let mut entries = Vec::new();
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let entry = line.trim();
        if !entry.is_empty() && !entry.starts_with('#') {
            entries.push((index + 1, offset, entry));
        }
        offset += line.len();
    }
    entries
}

/// Adds a list file: text, or IP ranges checked entry by entry.
pub(super) fn add_list(
    name: &str,
    ranges: bool,
    entries: &[(usize, usize, &str)],
    builder: &mut ContextBuilder,
    problems: &mut Problems,
) {
    if !ranges {
        let texts = entries.iter().map(|(_, _, entry)| *entry);
        builder.add_text_list(name, texts);
        return;
    }
    let mut good = Vec::new();
    for (line, offset, entry) in entries {
        match parse_net(entry) {
            Ok(_) => good.push(*entry),
            Err(meant) => {
                let place = Located {
                    line: *line,
                    offset: *offset,
                };
                problems.relocate(place, bad_cidr(name, entry, meant));
            }
        }
    }
    builder.add_cidr_list(name, good);
}
