//! The planted cases of the rules that read context, each with the
//! findings it must give and its near misses.
//!
//! Every case takes users of its own from a shuffled pool, so no two cases
//! share a group; when the pool runs dry (a tiny population) the remaining
//! cases are left out. Reads are of patients the user's unit cares for and
//! fall inside the user's scheduled shift, unless breaking exactly that is
//! the point of the case, so each case trips only the rule it is for:
//!
//! - `access_denied`: 1–3 refused reads of a resource outside the role.
//! - `resource_outside_permissions`: 1–3 allowed reads of such a resource.
//! - `third_country_access`: a sign-in and reads from a United States
//!   address. Near misses: the same from Finland (EU), and a sign-in from
//!   the United States with no record opened.
//! - `withdrawals_out_of_proportion`: 5–8 withdrawals against 2–3
//!   signings, and 3 with none. Near misses: 3 against 2 (ratio 1.5, the
//!   threshold) and 2 with none (below `min_withdrawals`).
//! - `off_hours_access`: a read at 23:00–23:45 by day or evening staff, and
//!   one late on a weekend morning by evening or night staff. Near misses:
//!   night staff reading at 02:00 on their scheduled night, and day staff
//!   reading at 21:50–21:59 on a working day, before night begins.
//! - `other_unit_access`: reads at another unit, of a patient the user has a
//!   care relation to.
//! - `protected_identity_opens`: 6–9 opens of protected identities. Near
//!   miss: exactly 5.
//! - `media_interest_reads`: 1–2 users reading a person of media interest.
//! - `no_care_relation`: reads of a patient discharged before the month,
//!   and a read the day after a patient's discharge. Near miss: a read on
//!   the last day of a care relation.
//! - `emergency_access`: two break-glass reads at night, at another unit,
//!   without a care relation, of a resource outside the role. Near misses:
//!   the same events for `no_care_relation`, `other_unit_access`,
//!   `off_hours_access` and `resource_outside_permissions`, which leave
//!   emergency access to `emergency_access`.

use super::super::population::{DRUGS, Role, Shift, User};
use super::{PlantedPatient, PlantedRelation, Planter};
use crate::event::{Event, Outcome};
use crate::time::{self, Calendar, HolidayCalendar};
use chrono::{DateTime, Datelike, Utc, Weekday};
use std::net::{IpAddr, Ipv4Addr};

const DENIED: &str = "access_denied";
const OUTSIDE: &str = "resource_outside_permissions";
const THIRD_COUNTRY: &str = "third_country_access";
const WITHDRAWALS: &str = "withdrawals_out_of_proportion";
const OFF_HOURS: &str = "off_hours_access";
const OTHER_UNIT: &str = "other_unit_access";
const PROTECTED: &str = "protected_identity_opens";
const MEDIA: &str = "media_interest_reads";
const NO_RELATION: &str = "no_care_relation";
const EMERGENCY: &str = "emergency_access";

/// The United States network of the third-country cases (MIT, 128.30.0.0/15
/// in ARIN's data).
const UNITED_STATES: [u8; 2] = [128, 30];
/// The Finnish network of the EU near miss (FUNET, Tampere).
const FINLAND: [u8; 2] = [130, 230];

/// What a planted read is.
struct Read<'a> {
    user: usize,
    day: i64,
    second: i64,
    patient: &'a str,
    /// The unit the record is at.
    unit: usize,
    resource: &'a str,
    ip: IpAddr,
}

impl Planter<'_> {
    /// Plants the cases of the rules that read context.
    pub(super) fn plant_cases(&mut self) {
        self.pool = (0..self.population.users.len()).collect();
        self.draw.shuffle(&mut self.pool);
        self.plant_emergency();
        self.plant_no_relation();
        self.plant_other_unit();
        self.plant_off_hours();
        self.plant_third_country();
        self.plant_denied();
        self.plant_outside_permissions();
        self.plant_narcotics();
        self.plant_protected();
        self.plant_media();
    }

    /// The next user of the pool that `wanted` accepts, taken out of it.
    fn take_user(&mut self, wanted: impl Fn(&User) -> bool) -> Option<usize> {
        let users = &self.population.users;
        let at = self.pool.iter().position(|u| wanted(&users[*u]))?;
        Some(self.pool.remove(at))
    }

    fn any_user(&mut self) -> Option<usize> {
        self.take_user(|_| true)
    }

    fn unit_of(&self, user: usize) -> usize {
        self.population.users[user].unit
    }

    fn unit_name(&self, unit: usize) -> String {
        self.population.units[unit].name.clone()
    }

    /// Another unit than `unit`; `None` when there is only one.
    fn other_unit(&mut self, unit: usize) -> Option<usize> {
        let units = self.population.units.len();
        (units > 1).then(|| (unit + 1 + self.draw.below(units - 1)) % units)
    }

    /// The last day a planted shift may start on, so that a night shift
    /// still ends inside the month.
    fn last_day(&self) -> i64 {
        self.frame.days - 2
    }

    /// Seconds from midnight to a moment of `user`'s shift before midnight.
    fn time_before_midnight(&mut self, user: usize) -> i64 {
        let shift = self.population.users[user].shift;
        let start = shift.start() + 600;
        let end = (shift.start() + shift.length() - 600).min(86_400 - 600);
        start + self.draw.below(usize::try_from(end - start).unwrap_or(1)) as i64
    }

    /// A day from `first` to `last` when `user`'s schedule has a shift.
    fn scheduled_day(&mut self, user: usize, first: i64, last: i64) -> i64 {
        self.shift_time(user, first, last).0
    }

    /// A new patient registered at `unit`, cared for there from long before
    /// the month until `discharged`.
    fn new_patient(
        &mut self,
        unit: usize,
        protected: bool,
        media_interest: bool,
        discharged: Option<DateTime<Utc>>,
    ) -> String {
        let population = self.population;
        let number =
            population.units.len() * population.patients_per_unit + self.plants.patients.len() + 1;
        let id = format!("p{number:06}");
        let admitted = self.frame.instant(-(self.draw.between(40, 400) as i64), 0);
        self.plants.patients.push(PlantedPatient {
            id: id.clone(),
            unit,
            protected,
            media_interest,
            admitted,
            discharged,
        });
        id
    }

    /// A read (or another action on a record) with the fields every
    /// planted read carries.
    fn record_event(&self, read: &Read<'_>, action: &str) -> Event {
        let mut event = self.event(read.user, read.day, read.second, action, read.ip);
        event.unit = Some(self.unit_name(read.unit));
        event.patient = Some(read.patient.to_string());
        event.resource = Some(read.resource.to_string());
        event.outcome = Some(Outcome::Success);
        event
    }

    fn read(&mut self, read: &Read<'_>) -> DateTime<Utc> {
        let event = self.record_event(read, "read");
        let time = event.time;
        self.plants.events.push(event);
        time
    }

    /// `count` reads of `patient` at `user`'s unit, on scheduled shifts.
    fn shift_reads(&mut self, user: usize, patient: &str, count: usize, resource: &str) {
        for _ in 0..count {
            let (day, second) = self.shift_time(user, 0, self.last_day());
            let ip = self.workstation(user);
            let unit = self.unit_of(user);
            let read = Read {
                user,
                day,
                second,
                patient,
                unit,
                resource,
                ip,
            };
            self.read(&read);
        }
    }

    /// A patient of the user's own unit for a planted read, kept out of the
    /// user's ordinary traffic.
    fn own_patient(&mut self, user: usize) -> String {
        self.fresh_patient(user)
    }

    fn month_key(&mut self, rule: &str, key: &[(&str, String)]) {
        self.found(rule, key, self.frame.start);
    }

    fn month_near(&mut self, rule: &str, what: &str, key: &[(&str, String)]) {
        self.near(rule, what, key, self.frame.start);
    }

    fn day_of(&self, time: DateTime<Utc>) -> DateTime<Utc> {
        Calendar::Day.window(self.frame.zone, time).0
    }

    /// An address in the network `prefix`.
    fn address_in(&mut self, prefix: [u8; 2]) -> IpAddr {
        let third = self.draw.below(256) as u8;
        let fourth = self.draw.between(1, 254) as u8;
        IpAddr::V4(Ipv4Addr::new(prefix[0], prefix[1], third, fourth))
    }

    fn plant_denied(&mut self) {
        let Some(user) = self.any_user() else { return };
        let resource = self.population.users[user].role.lacking();
        let patient = self.own_patient(user);
        let (day, second) = self.shift_time(user, 0, self.last_day());
        let ip = self.workstation(user);
        let unit = self.unit_of(user);
        for n in 0..self.draw.between(1, 3) {
            let second = second + 40 * n as i64;
            let read = Read {
                user,
                day,
                second,
                patient: &patient,
                unit,
                resource,
                ip,
            };
            let mut event = self.record_event(&read, "read");
            event.outcome = Some(Outcome::Denied);
            let window = self.day_of(event.time);
            self.plants.events.push(event);
            self.found(DENIED, &[("user", self.user_name(user))], window);
        }
    }

    fn plant_outside_permissions(&mut self) {
        let Some(user) = self.any_user() else { return };
        let resource = self.population.users[user].role.lacking();
        let patient = self.own_patient(user);
        let count = self.draw.between(1, 3);
        self.shift_reads(user, &patient, count, resource);
        let key = [
            ("resource", resource.to_string()),
            ("user", self.user_name(user)),
        ];
        self.month_key(OUTSIDE, &key);
    }

    /// A sign-in from `ip` at a scheduled moment and `reads` reads after it.
    fn remote_session(&mut self, user: usize, ip: IpAddr, reads: usize) {
        let (day, second) = self.shift_time(user, 0, self.last_day());
        let mut sign_in = self.event(user, day, second - 120, "login", ip);
        sign_in.outcome = Some(Outcome::Success);
        self.plants.events.push(sign_in);
        let unit = self.unit_of(user);
        for n in 0..reads {
            let patient = self.own_patient(user);
            let second = second + 90 * n as i64;
            let read = Read {
                user,
                day,
                second,
                patient: &patient,
                unit,
                resource: "journal",
                ip,
            };
            self.read(&read);
        }
    }

    fn plant_third_country(&mut self) {
        if let Some(user) = self.any_user() {
            let ip = self.address_in(UNITED_STATES);
            let reads = self.draw.between(1, 3);
            self.remote_session(user, ip, reads);
            let key = [("ip", ip.to_string()), ("user", self.user_name(user))];
            self.month_key(THIRD_COUNTRY, &key);
        }
        if let Some(user) = self.any_user() {
            let ip = self.address_in(FINLAND);
            self.remote_session(user, ip, 2);
            let key = [("ip", ip.to_string()), ("user", self.user_name(user))];
            let what = "records opened from Finland, in the EU/EEA";
            self.month_near(THIRD_COUNTRY, what, &key);
        }
        if let Some(user) = self.any_user() {
            let ip = self.address_in(UNITED_STATES);
            self.remote_session(user, ip, 0);
            let key = [("ip", ip.to_string()), ("user", self.user_name(user))];
            let what = "a sign-in from the United States with no record opened";
            self.month_near(THIRD_COUNTRY, what, &key);
        }
    }

    fn plant_narcotics(&mut self) {
        let mut drugs: Vec<usize> = (0..DRUGS.len()).collect();
        self.draw.shuffle(&mut drugs);
        let heavy = self.draw.between(5, 8);
        let cases = [
            (heavy, (heavy - 1) / 2, None),
            (3, 0, None),
            (
                3,
                2,
                Some("3 withdrawals against 2 signings, a ratio of exactly 1.5"),
            ),
            (
                2,
                0,
                Some("2 withdrawals with no signing, below min_withdrawals"),
            ),
        ];
        for ((withdrawals, signings, near), drug) in cases.into_iter().zip(drugs) {
            let nurse = self.take_user(|u| u.role == Role::Nurse);
            let Some(user) = nurse.or_else(|| self.any_user()) else {
                return;
            };
            self.withdrawals(user, drug, withdrawals, signings);
            let key = [
                ("drug", DRUGS[drug].0.to_string()),
                ("user", self.user_name(user)),
            ];
            match near {
                None => self.month_key(WITHDRAWALS, &key),
                Some(what) => self.month_near(WITHDRAWALS, what, &key),
            }
        }
    }

    /// `withdrawals` withdrawals of `drug`, the first `signings` of them
    /// followed by an administration signing.
    fn withdrawals(&mut self, user: usize, drug: usize, withdrawals: usize, signings: usize) {
        self.plants.narcotics.insert((user, drug));
        for n in 0..withdrawals {
            let (day, second) = self.shift_time(user, 0, self.last_day());
            let ip = self.workstation(user);
            let patient_index = self.draw.below(self.population.patients_per_unit);
            let patient = self.population.patient(self.unit_of(user), patient_index);
            let mut withdrawal = self.event(user, day, second, "withdrawal", ip);
            withdrawal.outcome = Some(Outcome::Success);
            withdrawal.drug = Some(DRUGS[drug].0.to_string());
            withdrawal.amount = Some(1.0);
            withdrawal.patient = Some(patient);
            if n < signings {
                let later = second + self.draw.between(120, 500) as i64;
                let mut signing = withdrawal.clone();
                signing.action = "administration".to_string();
                signing.time = self.frame.instant(day, later);
                self.plants.events.push(signing);
            }
            self.plants.events.push(withdrawal);
        }
    }

    fn plant_off_hours(&mut self) {
        let days = self.frame.days;
        if let Some(user) = self.take_user(|u| u.shift != Shift::Night) {
            let day = self.draw.below(usize::try_from(days).unwrap_or(1)) as i64;
            let second = 23 * 3600 + self.draw.below(2700) as i64;
            self.off_hours_read(user, day, second);
            self.found(
                OFF_HOURS,
                &[("user", self.user_name(user))],
                self.day_window(day),
            );
        }
        let weekends: Vec<i64> = (0..days).filter(|d| self.weekday(*d) >= 5).collect();
        if let Some(user) = self.take_user(|u| u.shift != Shift::Day) {
            let day = weekends[self.draw.below(weekends.len())];
            let second = 10 * 3600 + self.draw.below(7200) as i64;
            self.off_hours_read(user, day, second);
            self.found(
                OFF_HOURS,
                &[("user", self.user_name(user))],
                self.day_window(day),
            );
        }
        if let Some(user) = self.take_user(|u| u.shift == Shift::Night) {
            let day = self.scheduled_day(user, 0, self.last_day());
            let second = 86_400 + 2 * 3600 + self.draw.below(5400) as i64;
            self.off_hours_read(user, day, second);
            let what = "night staff reading at 02:00 on their own scheduled night shift";
            let key = [("user", self.user_name(user))];
            self.near(OFF_HOURS, what, &key, self.day_window(day + 1));
        }
        let working: Vec<i64> = (0..days).filter(|d| self.working_day(*d)).collect();
        if let Some(user) = self.take_user(|u| u.shift == Shift::Day) {
            let day = working[self.draw.below(working.len())];
            let second = 21 * 3600 + 50 * 60 + self.draw.below(540) as i64;
            self.off_hours_read(user, day, second);
            let what = "a read at 21:50-21:59 on a working day, before night begins at 22:00";
            let key = [("user", self.user_name(user))];
            self.near(OFF_HOURS, what, &key, self.day_window(day));
        }
    }

    /// Monday 0 to Sunday 6.
    fn weekday(&self, day: i64) -> u32 {
        let date = self.frame.date(day).unwrap_or(self.frame.first);
        date.weekday().num_days_from_monday()
    }

    /// Monday to Friday and not a public holiday.
    fn working_day(&self, day: i64) -> bool {
        let date = self.frame.date(day).unwrap_or(self.frame.first);
        !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
            && !time::is_holiday(HolidayCalendar::Sweden, date)
    }

    fn off_hours_read(&mut self, user: usize, day: i64, second: i64) {
        let patient = self.own_patient(user);
        let ip = self.workstation(user);
        let unit = self.unit_of(user);
        let read = Read {
            user,
            day,
            second,
            patient: &patient,
            unit,
            resource: "journal",
            ip,
        };
        self.read(&read);
    }

    fn plant_other_unit(&mut self) {
        let Some(user) = self.any_user() else { return };
        let Some(unit) = self.other_unit(self.unit_of(user)) else {
            return;
        };
        let index = self.draw.below(self.population.patients_per_unit);
        let patient = self.population.patient(unit, index);
        let from = self.frame.instant(-(self.draw.between(1, 20) as i64), 0);
        self.plants.relations.push(PlantedRelation {
            user,
            patient: patient.clone(),
            from,
            to: None,
        });
        for _ in 0..self.draw.between(1, 3) {
            let (day, second) = self.shift_time(user, 0, self.last_day());
            let ip = self.workstation(user);
            let read = Read {
                user,
                day,
                second,
                patient: &patient,
                unit,
                resource: "journal",
                ip,
            };
            self.read(&read);
        }
        let key = [
            ("unit", self.unit_name(unit)),
            ("user", self.user_name(user)),
        ];
        self.month_key(OTHER_UNIT, &key);
    }

    fn plant_protected(&mut self) {
        let cases = [(self.draw.between(6, 9), false), (5, true)];
        for (opens, near) in cases {
            let Some(user) = self.any_user() else { return };
            let unit = self.unit_of(user);
            let patients: Vec<String> = (0..self.draw.between(1, 2))
                .map(|_| self.new_patient(unit, true, false, None))
                .collect();
            for n in 0..opens {
                let patient = patients[n % patients.len()].clone();
                self.shift_reads(user, &patient, 1, "journal");
            }
            let key = [("user", self.user_name(user))];
            if near {
                let what = "5 opens of protected identities, the threshold itself";
                self.month_near(PROTECTED, what, &key);
            } else {
                self.month_key(PROTECTED, &key);
            }
        }
    }

    fn plant_media(&mut self) {
        let Some(first) = self.any_user() else { return };
        let unit = self.unit_of(first);
        let patient = self.new_patient(unit, false, true, None);
        let readers = self.draw.between(1, 2);
        let mut user = Some(first);
        for _ in 0..readers {
            let Some(reader) = user else { return };
            let count = self.draw.between(1, 2);
            self.shift_reads(reader, &patient, count, "journal");
            let key = [
                ("patient", patient.clone()),
                ("user", self.user_name(reader)),
            ];
            self.month_key(MEDIA, &key);
            user = self
                .take_user(|_| true)
                .filter(|u| self.unit_of(*u) == unit);
        }
    }

    fn plant_no_relation(&mut self) {
        let last = self.last_day();
        // A patient of the unit discharged before the month.
        if let Some(user) = self.any_user() {
            let discharged = self.frame.instant(-(self.draw.between(3, 25) as i64), 0);
            let patient = self.new_patient(self.unit_of(user), false, false, Some(discharged));
            let count = self.draw.between(1, 2);
            self.shift_reads(user, &patient, count, "journal");
            let key = [("patient", patient), ("user", self.user_name(user))];
            self.month_key(NO_RELATION, &key);
        }
        // A read on the day after the discharge, after one while in care.
        if let Some(user) = self.any_user() {
            let day = self.scheduled_day(user, 6, last);
            let end = self.frame.instant(day, 0);
            let patient = self.new_patient(self.unit_of(user), false, false, Some(end));
            let before = self.scheduled_day(user, day - 5, day - 1);
            let second = self.time_before_midnight(user);
            self.unit_read(user, before, second, &patient);
            let second = self.time_in_shift(user);
            self.unit_read(user, day, second, &patient);
            let key = [("patient", patient), ("user", self.user_name(user))];
            self.month_key(NO_RELATION, &key);
        }
        // A read on the last day of care.
        if let Some(user) = self.any_user() {
            let day = self.scheduled_day(user, 6, last);
            let end = self.frame.instant(day + 1, 0);
            let patient = self.new_patient(self.unit_of(user), false, false, Some(end));
            let second = self.time_before_midnight(user);
            self.unit_read(user, day, second, &patient);
            let key = [("patient", patient), ("user", self.user_name(user))];
            let what = "a read on the last day of a care relation";
            self.month_near(NO_RELATION, what, &key);
        }
    }

    /// A read of `patient` at the user's own unit.
    fn unit_read(&mut self, user: usize, day: i64, second: i64, patient: &str) {
        let ip = self.workstation(user);
        let unit = self.unit_of(user);
        let read = Read {
            user,
            day,
            second,
            patient,
            unit,
            resource: "journal",
            ip,
        };
        self.read(&read);
    }

    fn plant_emergency(&mut self) {
        let Some(user) = self.take_user(|u| u.shift != Shift::Night) else {
            return;
        };
        let Some(unit) = self.other_unit(self.unit_of(user)) else {
            self.pool.push(user);
            return;
        };
        let index = self.draw.below(self.population.patients_per_unit);
        let patient = self.population.patient(unit, index);
        let resource = self.population.users[user].role.lacking();
        let day = self
            .draw
            .below(usize::try_from(self.last_day()).unwrap_or(1)) as i64;
        let first = 2 * 3600 + self.draw.below(5400) as i64;
        let second = first + self.draw.between(300, 1800) as i64;
        let ip = self.workstation(user);
        for (at, purpose, resource) in [(first, "emergency", "journal"), (second, "BTG", resource)]
        {
            let read = Read {
                user,
                day,
                second: at,
                patient: &patient,
                unit,
                resource,
                ip,
            };
            let mut event = self.record_event(&read, "read");
            event.purpose = Some(purpose.to_string());
            let time = event.time;
            self.plants.events.push(event);
            self.found(EMERGENCY, &[("user", self.user_name(user))], time);
        }
        let name = self.user_name(user);
        let what = "emergency access, left to emergency_access";
        let key = [("patient", patient), ("user", name.clone())];
        self.month_near(NO_RELATION, what, &key);
        let key = [("unit", self.unit_name(unit)), ("user", name.clone())];
        self.month_near(OTHER_UNIT, what, &key);
        let key = [("resource", resource.to_string()), ("user", name.clone())];
        self.month_near(OUTSIDE, what, &key);
        self.near(OFF_HOURS, what, &[("user", name)], self.day_window(day));
    }
}
