//! The planted violations and near misses, and the findings they must give.
//!
//! Failed sign-ins: a few bursts of 5–12 failures by one user in one local
//! day, the first just after local midnight, and 1–3 of them followed by a
//! lockout. Near misses: exactly 4 failures in a day, and 3 failures late
//! one evening with 3 more just after midnight. Many opens: 2–3 users who
//! open one patient's record 51–80 times in the month, and one who opens a
//! record exactly 50 times.
//!
//! Every planted failure falls on a day of its own, and ordinary traffic
//! gives no failure to a user on a planted day and never opens a planted
//! patient for the planting user, so the counts here are the whole counts.
//! The cases of the rules that read context are in [`cases`].

mod cases;

use super::population::{PATIENTS_PER_UNIT, Population};
use super::random::{Draw, Purpose, Streams};
use super::{Frame, NearMiss, Planted};
use crate::event::{Event, Outcome};
use crate::time::Calendar;
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

/// The rule that counts failed sign-ins per user and local day.
const FAILED_SIGN_INS: &str = "repeated_failed_sign_ins";
/// The rule that lists every lockout.
const LOCKED_ACCOUNT: &str = "locked_account";
/// The rule that counts opens per user and patient in a month.
const MANY_OPENS: &str = "many_opens_same_patient";

/// Resources of the planted reads, with weights.
const OPENED: [(&str, u32); 3] = [("journal", 6), ("medication-list", 2), ("care-plan", 2)];

/// The planted events and what they must give.
#[derive(Debug, Clone, Default)]
pub(super) struct Plants {
    /// The planted events, by time.
    pub(super) events: Vec<Event>,
    /// The findings, sorted.
    pub(super) planted: Vec<Planted>,
    /// `(user, day)` pairs with planted failed sign-ins.
    pub(super) failure_days: BTreeSet<(usize, i64)>,
    /// `(user, patient of the user's unit)` pairs with planted opens.
    pub(super) opened: BTreeSet<(usize, usize)>,
    /// The near misses, sorted.
    pub(super) near_misses: Vec<NearMiss>,
    /// Patients the planted cases add: protected identities and people of
    /// media interest.
    pub(super) patients: Vec<PlantedPatient>,
    /// Care relations of single users that the planted cases add.
    pub(super) relations: Vec<PlantedRelation>,
    /// `(user, drug)` pairs with planted withdrawals; ordinary traffic
    /// leaves them alone.
    pub(super) narcotics: BTreeSet<(usize, usize)>,
}

/// A patient added by a planted case, registered at a unit that holds a
/// care relation to them.
#[derive(Debug, Clone)]
pub(super) struct PlantedPatient {
    /// The id, numbered after the units' ordinary patients.
    pub(super) id: String,
    /// The unit's index.
    pub(super) unit: usize,
    /// A protected identity.
    pub(super) protected: bool,
    /// A person of media interest.
    pub(super) media_interest: bool,
    /// When the unit's care relation starts.
    pub(super) admitted: DateTime<Utc>,
    /// When it ends; `None` when the patient is still in care.
    pub(super) discharged: Option<DateTime<Utc>>,
}

/// A care relation from one user to one patient.
#[derive(Debug, Clone)]
pub(super) struct PlantedRelation {
    /// The user's index.
    pub(super) user: usize,
    /// The patient's id.
    pub(super) patient: String,
    /// First instant of validity.
    pub(super) from: DateTime<Utc>,
    /// First instant after validity; `None` when open.
    pub(super) to: Option<DateTime<Utc>>,
}

impl Plants {
    /// How many planted events there are.
    pub(super) fn len(&self) -> usize {
        self.events.len()
    }
}

/// Plants the violations and near misses; none when there are no users.
pub(super) fn plant(streams: &Streams, population: &Population, frame: &Frame) -> Plants {
    let draw = streams.stream(Purpose::Plants, 0, 0);
    let mut planter = Planter {
        draw,
        population,
        frame,
        plants: Plants::default(),
        pool: Vec::new(),
    };
    if !population.users.is_empty() {
        planter.plant_failures();
        planter.plant_opens();
        planter.plant_cases();
    }

    let mut plants = planter.plants;
    plants.events.sort_by_key(|event| event.time);
    plants.planted.sort();
    plants.planted.dedup();
    plants.near_misses.sort();
    plants
}

/// Bursts of failed sign-ins: a few, more for many users, at most 8 so
/// that every burst and near miss gets a day of its own.
fn burst_count(users: usize) -> usize {
    (3 + users / 500).min(8)
}

/// Draws the planted events and records what they must give.
struct Planter<'a> {
    draw: Draw,
    population: &'a Population,
    frame: &'a Frame,
    plants: Plants,
    /// Users not yet given a case of [`cases`], in a random order.
    pool: Vec<usize>,
}

impl Planter<'_> {
    fn plant_failures(&mut self) {
        let bursts = burst_count(self.population.users.len());
        let (split, days) = self.failure_days(bursts + 1);
        let users = self.spread_users(bursts + 2);
        let lockouts = self.draw.between(1, 3).min(bursts);

        for (n, (&user, &day)) in users.iter().zip(&days).take(bursts).enumerate() {
            self.burst(user, day, n == 0, n < lockouts);
        }

        if let (Some(&user), Some(&day)) = (users.get(bursts), days.get(bursts)) {
            self.near_miss_four(user, day);
        }
        if let Some(&user) = users.get(bursts + 1) {
            self.near_miss_split(user, split);
        }
    }

    /// A day for the split near miss (it takes that day and the next), and
    /// `singles` other days, all different.
    fn failure_days(&mut self, singles: usize) -> (i64, Vec<i64>) {
        let split = self
            .draw
            .below(usize::try_from(self.frame.days - 1).unwrap_or(0)) as i64;
        let mut days: Vec<i64> = (0..self.frame.days)
            .filter(|day| *day != split && *day != split + 1)
            .collect();
        self.draw.shuffle(&mut days);
        days.truncate(singles);
        (split, days)
    }

    /// `count` users, all different while there are enough.
    fn spread_users(&mut self, count: usize) -> Vec<usize> {
        let mut users: Vec<usize> = (0..self.population.users.len()).collect();
        self.draw.shuffle(&mut users);
        users.iter().copied().cycle().take(count).collect()
    }

    /// 5–12 failures in one local day, then a lockout or a sign-in.
    fn burst(&mut self, user: usize, day: i64, midnight: bool, lockout: bool) {
        let count = self.draw.between(5, 12);
        let start = if midnight {
            self.draw.between(120, 900) as i64
        } else {
            self.shift_start(user) + self.draw.between(0, 1800) as i64
        };
        let ip = self.workstation(user);
        let last = self.failures(user, day, start, count, ip);

        let window = Calendar::Day
            .window(self.frame.zone, self.frame.instant(day, start))
            .0;
        self.found(FAILED_SIGN_INS, &[("user", self.user_name(user))], window);
        self.plants.failure_days.insert((user, day));
        if lockout {
            let second = last + self.draw.between(2, 10) as i64;
            self.lockout(user, day, second, ip);
        } else {
            let second = last + self.draw.between(60, 180) as i64;
            self.sign_in(user, day, second, ip);
        }
    }

    /// Exactly 4 failures in a day, then a sign-in.
    fn near_miss_four(&mut self, user: usize, day: i64) {
        let start = self.shift_start(user) + self.draw.between(0, 1800) as i64;
        let ip = self.workstation(user);
        let last = self.failures(user, day, start, 4, ip);
        let second = last + self.draw.between(30, 120) as i64;
        self.sign_in(user, day, second, ip);
        self.plants.failure_days.insert((user, day));
        let window = self.day_window(day);
        let what = "4 failed sign-ins in one day, one below the threshold";
        self.near(
            FAILED_SIGN_INS,
            what,
            &[("user", self.user_name(user))],
            window,
        );
    }

    /// 3 failures before midnight and 3 after: 3 on each local day.
    fn near_miss_split(&mut self, user: usize, day: i64) {
        let ip = self.workstation(user);
        let evening = 23 * 3600 + 50 * 60 + self.draw.between(0, 240) as i64;
        self.failures(user, day, evening, 3, ip);

        let morning = self.draw.between(60, 600) as i64;
        let last = self.failures(user, day + 1, morning, 3, ip);
        let second = last + self.draw.between(30, 120) as i64;
        self.sign_in(user, day + 1, second, ip);
        self.plants.failure_days.insert((user, day));
        self.plants.failure_days.insert((user, day + 1));
        let what = "3 failed sign-ins before local midnight and 3 after";
        let key = [("user", self.user_name(user))];
        let (first, second) = (self.day_window(day), self.day_window(day + 1));
        self.near(FAILED_SIGN_INS, what, &key, first);
        self.near(FAILED_SIGN_INS, what, &key, second);
    }

    /// `count` failures from `start` seconds after midnight of `day`, 15–75
    /// seconds apart; returns the second of the last.
    fn failures(&mut self, user: usize, day: i64, start: i64, count: usize, ip: IpAddr) -> i64 {
        let mut second = start;
        for n in 0..count {
            if n > 0 {
                second += self.draw.between(15, 75) as i64;
            }
            let mut event = self.event(user, day, second, "login", ip);
            event.outcome = Some(Outcome::Failure);
            self.plants.events.push(event);
        }
        second
    }

    fn sign_in(&mut self, user: usize, day: i64, second: i64, ip: IpAddr) {
        let mut event = self.event(user, day, second, "login", ip);
        event.outcome = Some(Outcome::Success);
        self.plants.events.push(event);
    }

    fn lockout(&mut self, user: usize, day: i64, second: i64, ip: IpAddr) {
        let event = self.event(user, day, second, "lockout", ip);
        let time = event.time;
        self.plants.events.push(event);
        self.found(LOCKED_ACCOUNT, &[("user", self.user_name(user))], time);
    }

    fn plant_opens(&mut self) {
        let heavy = self.draw.between(2, 3);
        let users = self.spread_users(heavy + 1);
        for (n, user) in users.into_iter().enumerate() {
            let count = if n < heavy {
                self.draw.between(51, 80)
            } else {
                50
            };
            let patient = self.fresh_patient(user);
            self.opens(user, &patient, count);
            let key = [("patient", patient), ("user", self.user_name(user))];
            if n < heavy {
                self.found(MANY_OPENS, &key, self.frame.start);
            } else {
                let what = "50 opens of one record in the month, the threshold itself";
                self.near(MANY_OPENS, what, &key, self.frame.start);
            }
        }
    }

    /// A patient of the user's unit not yet planted for the user.
    fn fresh_patient(&mut self, user: usize) -> String {
        let mut patient = self.draw.below(PATIENTS_PER_UNIT);
        while self.plants.opened.contains(&(user, patient)) {
            patient = (patient + 1) % PATIENTS_PER_UNIT;
        }
        self.plants.opened.insert((user, patient));
        self.population
            .patient(self.population.users[user].unit, patient)
    }

    /// `count` reads or prints of one record, at random times of the
    /// user's scheduled shifts.
    fn opens(&mut self, user: usize, patient: &str, count: usize) {
        for _ in 0..count {
            let (day, second) = self.shift_time(user, 0, self.frame.days - 2);
            let (action, resource) = if self.draw.chance(0.1) {
                ("print", "journal")
            } else {
                ("read", self.draw.weighted_item(&OPENED))
            };
            let role = self.population.users[user].role;
            let resource = if role.may(resource) {
                resource
            } else {
                "journal"
            };
            let ip = self.workstation(user);
            let mut event = self.event(user, day, second, action, ip);
            event.outcome = Some(Outcome::Success);
            event.patient = Some(patient.to_string());
            event.resource = Some(resource.to_string());
            self.plants.events.push(event);
        }
    }

    fn event(&self, user: usize, day: i64, second: i64, action: &str, ip: IpAddr) -> Event {
        let time = self.frame.instant(day, second);
        self.population.event(user, time, action, ip)
    }

    fn found(&mut self, rule: &str, key: &[(&str, String)], window_start: DateTime<Utc>) {
        self.plants.planted.push(Planted {
            rule: rule.to_string(),
            key: key_map(key),
            window_start,
        });
    }

    /// Records a near miss: a group the rule must not report.
    fn near(&mut self, rule: &str, what: &str, key: &[(&str, String)], window: DateTime<Utc>) {
        self.plants.near_misses.push(NearMiss {
            rule: rule.to_string(),
            what: what.to_string(),
            key: key_map(key),
            window_start: window,
        });
    }

    /// The start of local day `day`.
    fn day_window(&self, day: i64) -> DateTime<Utc> {
        self.frame.instant(day, 0)
    }

    /// A random moment of one of `user`'s scheduled shifts starting between
    /// day `first` and day `last`, both included, at least ten minutes
    /// from either end of the shift: `(day, seconds from its midnight)`.
    /// The seconds run past midnight on a night shift.
    fn shift_time(&mut self, user: usize, first: i64, last: i64) -> (i64, i64) {
        let profile = &self.population.users[user];
        let days: Vec<i64> = (first.max(0)..=last.max(0))
            .filter(|day| {
                self.frame
                    .date(*day)
                    .is_some_and(|d| profile.scheduled_on(d))
            })
            .collect();
        let day = if days.is_empty() {
            first.max(0)
        } else {
            days[self.draw.below(days.len())]
        };
        (day, self.time_in_shift(user))
    }

    /// Seconds from midnight to a random moment of `user`'s shift.
    fn time_in_shift(&mut self, user: usize) -> i64 {
        let shift = self.population.users[user].shift;
        let length = shift.length() as usize;
        shift.start() + self.draw.between(600, length - 600) as i64
    }

    fn shift_start(&self, user: usize) -> i64 {
        self.population.users[user].shift.start()
    }

    fn workstation(&mut self, user: usize) -> IpAddr {
        let unit = &self.population.units[self.population.users[user].unit];
        unit.workstation(&mut self.draw)
    }

    fn user_name(&self, user: usize) -> String {
        self.population.users[user].name.clone()
    }
}

fn key_map(key: &[(&str, String)]) -> BTreeMap<String, String> {
    key.iter()
        .map(|(field, value)| (field.to_string(), value.clone()))
        .collect()
}
