//! The generated month's context: users, patients, care relations and
//! drugs, as a [`Context`] in memory and as a folder of CSV files in the
//! convention of docs/context.md.
//!
//! Both are made from the same rows, so a context loaded from the folder
//! holds what the in-memory one holds. Neither writes `countries.csv` or
//! lists: the country data and the `eu_eea` list built into Loggvakt serve.

use super::Month;
use crate::context::{Context, ContextError, NarcoticClass, Patient, Relation, Schedule, User};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use std::fs;
use std::io;
use std::path::Path;

/// One user's row.
struct UserRow {
    id: String,
    unit: String,
    role: &'static str,
    permissions: &'static [&'static str],
    employed_from: NaiveDate,
    schedule: String,
    shifts: Schedule,
}

/// One patient's row.
struct PatientRow {
    id: String,
    unit: String,
    protected: bool,
    media_interest: bool,
}

/// One care relation's row: a unit or a user holds it.
struct RelationRow {
    user: Option<String>,
    unit: Option<String>,
    patient: String,
    from: DateTime<Utc>,
    to: Option<DateTime<Utc>>,
}

impl Month {
    fn user_rows(&self) -> impl Iterator<Item = UserRow> + '_ {
        let population = &self.population;
        population.users.iter().map(move |user| UserRow {
            id: user.name.clone(),
            unit: population.units[user.unit].name.clone(),
            role: user.role.name(),
            permissions: user.role.permissions(),
            employed_from: user.employed_from,
            schedule: user.schedule_text(),
            shifts: user.schedule(),
        })
    }

    fn patient_rows(&self) -> impl Iterator<Item = PatientRow> + '_ {
        let population = &self.population;
        let per_unit = population.patients_per_unit;
        let ordinary = population
            .units
            .iter()
            .enumerate()
            .flat_map(move |(u, unit)| {
                (0..per_unit).map(move |p| PatientRow {
                    id: population.patient(u, p),
                    unit: unit.name.clone(),
                    protected: false,
                    media_interest: false,
                })
            });
        let planted = self.plants.patients.iter().map(|patient| PatientRow {
            id: patient.id.clone(),
            unit: population.units[patient.unit].name.clone(),
            protected: patient.protected,
            media_interest: patient.media_interest,
        });
        ordinary.chain(planted)
    }

    /// Every unit cares for its patients, each admitted some days to two
    /// years before the month; then the planted patients' and users'
    /// relations.
    fn relation_rows(&self) -> impl Iterator<Item = RelationRow> + '_ {
        let population = &self.population;
        let per_unit = population.patients_per_unit;
        let frame = &self.frame;
        let ordinary = population
            .units
            .iter()
            .enumerate()
            .flat_map(move |(u, unit)| {
                (0..per_unit).map(move |p| {
                    let back = 1 + (u * 31 + p * 17) % 700;
                    RelationRow {
                        user: None,
                        unit: Some(unit.name.clone()),
                        patient: population.patient(u, p),
                        from: frame.instant(-(back as i64), 0),
                        to: None,
                    }
                })
            });
        let patients = self.plants.patients.iter().map(|patient| RelationRow {
            user: None,
            unit: Some(population.units[patient.unit].name.clone()),
            patient: patient.id.clone(),
            from: patient.admitted,
            to: patient.discharged,
        });
        let users = self.plants.relations.iter().map(|relation| RelationRow {
            user: Some(population.users[relation.user].name.clone()),
            unit: None,
            patient: relation.patient.clone(),
            from: relation.from,
            to: relation.to,
        });
        ordinary.chain(patients).chain(users)
    }

    /// The month's context, as [`Context::load_dir`] reads it from the
    /// folder [`Month::write_context`] writes: with the built-in country
    /// data and reference lists.
    pub fn context(&self) -> Result<Context, ContextError> {
        let mut builder = Context::builder();
        for row in self.user_rows() {
            let mut user = User::new(row.id)
                .with_unit(row.unit)
                .with_role(row.role)
                .with_employment(Some(row.employed_from), None);
            for permission in row.permissions {
                user = user.with_permission(*permission);
            }
            user.schedule = Some(row.shifts);
            builder.add_user(user);
        }
        for row in self.patient_rows() {
            let patient = Patient::new(row.id)
                .with_unit(row.unit)
                .with_protected(row.protected)
                .with_media_interest(row.media_interest);
            builder.add_patient(patient);
        }
        for row in self.relation_rows() {
            let relation = match (row.user, row.unit) {
                (Some(user), _) => Relation::user(user, row.patient),
                (None, unit) => Relation::unit(unit.unwrap_or_default(), row.patient),
            };
            builder.add_relation(relation.with_validity(Some(row.from), row.to));
        }
        for (id, class, _) in super::population::DRUGS {
            let class = NarcoticClass::parse(class).unwrap_or(NarcoticClass::II);
            builder.add_drug(id, class);
        }
        builder.use_bundled_countries().add_reference_lists();
        builder.build()
    }

    /// Writes `users.csv`, `patients.csv`, `relations.csv` and `drugs.csv`
    /// into `dir`, creating it.
    pub fn write_context(&self, dir: &Path) -> io::Result<()> {
        fs::create_dir_all(dir)?;
        let mut users = csv_writer(&dir.join("users.csv"))?;
        users.write_record([
            "id",
            "units",
            "roles",
            "permissions",
            "employed_from",
            "employed_to",
            "schedule",
        ])?;
        for row in self.user_rows() {
            let from = row.employed_from.to_string();
            let permissions = row.permissions.join(";");
            let fields = [
                &row.id,
                &row.unit,
                row.role,
                &permissions,
                &from,
                "",
                &row.schedule,
            ];
            users.write_record(fields)?;
        }
        users.flush()?;

        let mut patients = csv_writer(&dir.join("patients.csv"))?;
        patients.write_record(["id", "protected", "media_interest", "units"])?;
        for row in self.patient_rows() {
            let flag = |yes: bool| if yes { "yes" } else { "no" };
            let fields = [
                row.id.as_str(),
                flag(row.protected),
                flag(row.media_interest),
                &row.unit,
            ];
            patients.write_record(fields)?;
        }
        patients.flush()?;

        let mut relations = csv_writer(&dir.join("relations.csv"))?;
        relations.write_record(["user", "unit", "patient", "from", "to"])?;
        for row in self.relation_rows() {
            let from = instant(row.from);
            let to = row.to.map(instant).unwrap_or_default();
            let user = row.user.unwrap_or_default();
            let unit = row.unit.unwrap_or_default();
            relations.write_record([&user, &unit, &row.patient, &from, &to])?;
        }
        relations.flush()?;

        let mut drugs = csv_writer(&dir.join("drugs.csv"))?;
        drugs.write_record(["id", "class", "name"])?;
        for (id, class, name) in super::population::DRUGS {
            drugs.write_record([id, class, name])?;
        }
        drugs.flush()
    }
}

fn csv_writer(path: &Path) -> io::Result<csv::Writer<io::BufWriter<fs::File>>> {
    let file = io::BufWriter::new(fs::File::create(path)?);
    Ok(csv::Writer::from_writer(file))
}

/// An instant in RFC 3339, UTC, whole seconds.
fn instant(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}
