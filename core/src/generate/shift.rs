//! Ordinary traffic: one user's shift on one day.
//!
//! A shift is a handful of sign-ins and a number of reads, writes, searches
//! and prints of the records of the user's own unit. Two limits keep
//! ordinary traffic below the standard rules' thresholds whatever the
//! volume: a user opens (reads or prints) each record at most once per
//! shift, and at most 32 shifts touch a month, so no user opens one record
//! more than 32 times; and a user mistypes a password at most once per
//! shift, always on the shift's first day, so no user fails more than once
//! a day.
//!
//! Everything ordinary stays clear of the context rules: users read the
//! records of their own unit's patients, whom the unit has a care relation
//! to, inside their scheduled shift, only resources their role permits, and
//! from their unit's Swedish network or, now and then, from home or remote
//! duty in Sweden or another EU country. Nurses withdraw controlled drugs
//! and sign each administration in the same shift.

use super::Month;
use super::population::{DRUGS, Role, Shift, User, remote_address};
use super::random::{Draw, Purpose};
use crate::event::{Event, Outcome};
use std::net::IpAddr;

/// Resources read, with weights.
const READ: [(&str, u32); 5] = [
    ("journal", 50),
    ("medication-list", 20),
    ("care-plan", 15),
    ("lab-results", 8),
    ("vital-signs", 7),
];

/// Resources written, with weights.
const WRITE: [(&str, u32); 4] = [
    ("journal", 55),
    ("medication-list", 15),
    ("care-plan", 15),
    ("vital-signs", 15),
];

/// Resources printed, with weights.
const PRINT: [(&str, u32); 3] = [("journal", 60), ("medication-list", 30), ("care-plan", 10)];

/// Who mistypes a password on the day a shift starts.
#[derive(Debug, Clone)]
pub(super) struct DayPlan {
    day: i64,
    failing: Vec<usize>,
}

impl DayPlan {
    /// The plan for day `day` of the month (-1 is the day before).
    pub(super) fn new(month: &Month, day: i64) -> DayPlan {
        let failing = if day < 0 {
            Vec::new()
        } else {
            failing_users(month, day)
        };
        DayPlan { day, failing }
    }
}

/// The stream slot of a day: the day before the month is slot 0.
fn day_slot(day: i64) -> u64 {
    u64::try_from(day + 1).unwrap_or(0)
}

/// One or two users per 200 who work that day and have nothing planted.
fn failing_users(month: &Month, day: i64) -> Vec<usize> {
    let users = &month.population.users;
    let mut draw = month.streams.stream(Purpose::Day, day_slot(day), 0);
    let wanted = draw.between(1, 2) * users.len().div_ceil(200);
    let mut failing = Vec::with_capacity(wanted);
    for _ in 0..wanted * 4 {
        let user = draw.below(users.len());
        if failing.len() < wanted && may_fail(month, user, day) && !failing.contains(&user) {
            failing.push(user);
        }
    }
    failing
}

fn may_fail(month: &Month, user: usize, day: i64) -> bool {
    let works = month
        .population
        .users
        .get(user)
        .is_some_and(|u| u.works(day));
    works && !month.plants.failure_days.contains(&(user, day))
}

/// The events of `user`'s shift starting on the plan's day that fall inside
/// the month; none when the user is off.
pub(super) fn shift_events(month: &Month, plan: &DayPlan, user: usize) -> Vec<Event> {
    let Some(profile) = month.population.users.get(user) else {
        return Vec::new();
    };
    let night_before = plan.day < 0 && profile.shift != Shift::Night;
    if night_before || !profile.works(plan.day) {
        return Vec::new();
    }

    let mut draw = month
        .streams
        .stream(Purpose::Shift, day_slot(plan.day), user);
    let slots = draw_slots(&mut draw, month.per_shift, profile.shift);
    let mut writer = ShiftWriter::new(month, plan.day, user, draw);
    writer.fails = plan.failing.contains(&user);
    for (second, slot) in slots {
        writer.write(second, slot);
    }
    writer.events
}

/// What happens at a moment of a shift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Slot {
    Login,
    Activity,
}

/// The shift's moments, in seconds from its start: sign-ins first and a
/// few more later, activity in between, about `mean` in all.
fn draw_slots(draw: &mut Draw, mean: f64, shift: Shift) -> Vec<(usize, Slot)> {
    let total = (mean * (0.6 + 0.8 * draw.fraction())).round().max(1.0) as usize;
    let logins = draw.between(2, 4).min(total.div_ceil(3)).max(1);
    let length = shift.length() as usize;
    let first = draw.below(1200);

    let mut slots = Vec::with_capacity(total);
    slots.push((first, Slot::Login));
    for n in 1..total {
        let slot = if n < logins {
            Slot::Login
        } else {
            Slot::Activity
        };
        slots.push((draw.between(first + 1, length - 1), slot));
    }
    slots.sort_unstable();
    slots
}

/// What a user does between sign-ins, in the order of
/// [`Role::action_weights`].
#[derive(Debug, Clone, Copy)]
enum Activity {
    Read,
    Write,
    Search,
    Print,
}

impl Activity {
    const ALL: [Activity; 4] = [
        Activity::Read,
        Activity::Write,
        Activity::Search,
        Activity::Print,
    ];
}

/// Turns a shift's moments into events.
struct ShiftWriter<'a> {
    month: &'a Month,
    profile: &'a User,
    user: usize,
    day: i64,
    draw: Draw,
    fails: bool,
    ip: Option<IpAddr>,
    unopened: Vec<usize>,
    opened: Vec<usize>,
    events: Vec<Event>,
}

impl<'a> ShiftWriter<'a> {
    fn new(month: &'a Month, day: i64, user: usize, draw: Draw) -> ShiftWriter<'a> {
        let profile = &month.population.users[user];
        let planted = |patient: &usize| month.plants.opened.contains(&(user, *patient));
        let unopened = (0..month.population.patients_per_unit)
            .filter(|p| !planted(p))
            .collect();
        let (fails, ip, opened, events) = (false, None, Vec::new(), Vec::new());
        ShiftWriter {
            month,
            profile,
            user,
            day,
            draw,
            fails,
            ip,
            unopened,
            opened,
            events,
        }
    }

    fn write(&mut self, second: usize, slot: Slot) {
        let second = self.profile.shift.start() + second as i64;
        match slot {
            Slot::Login => self.login(second),
            Slot::Activity => self.activity(second),
        }
    }

    /// A sign-in from a workstation that the following activity uses; the
    /// first of a failing shift comes after one mistyped password.
    fn login(&mut self, second: i64) {
        let remote = self.profile.role != Role::Admin && self.draw.chance(0.03);
        let ip = if remote {
            remote_address(&mut self.draw)
        } else {
            self.month.population.units[self.profile.unit].workstation(&mut self.draw)
        };
        self.ip = Some(ip);
        if self.fails {
            self.fails = false;
            let before = second - self.draw.between(5, 60) as i64;
            self.push(before, "login", Outcome::Failure, None, None);
        }
        self.push(second, "login", Outcome::Success, None, None);
    }

    fn activity(&mut self, second: i64) {
        if self.profile.role == Role::Nurse && self.draw.chance(0.05) {
            self.narcotics(second);
            return;
        }
        let weights = Role::action_weights(self.profile.role);
        match Activity::ALL[self.draw.weighted(&weights)] {
            Activity::Read => self.open(second, "read", &READ),
            Activity::Write => self.write_record(second),
            Activity::Search => self.push(
                second,
                "search",
                Outcome::Success,
                None,
                Some("patient-index"),
            ),
            Activity::Print => self.open(second, "print", &PRINT),
        }
    }

    /// A read or print of a record not yet opened this shift; a write when
    /// every record has been opened.
    fn open(&mut self, second: i64, action: &str, resources: &[(&'static str, u32)]) {
        if self.unopened.is_empty() {
            self.write_record(second);
        } else {
            self.open_unopened(second, action, resources);
        }
    }

    fn open_unopened(&mut self, second: i64, action: &str, resources: &[(&'static str, u32)]) {
        let index = self.draw.below(self.unopened.len());
        let patient = self.unopened.swap_remove(index);
        self.opened.push(patient);
        let resource = self.permitted(resources);
        self.push(
            second,
            action,
            Outcome::Success,
            Some(patient),
            Some(resource),
        );
    }

    /// A write, mostly to a record read earlier in the shift.
    fn write_record(&mut self, second: i64) {
        let patient = if self.opened.is_empty() || self.draw.chance(0.2) {
            self.draw.below(self.month.population.patients_per_unit)
        } else {
            self.opened[self.draw.below(self.opened.len())]
        };
        let resource = self.permitted(&WRITE);
        self.push(
            second,
            "write",
            Outcome::Success,
            Some(patient),
            Some(resource),
        );
    }

    /// One of `resources` that the role permits; the journal otherwise.
    fn permitted(&mut self, resources: &[(&'static str, u32)]) -> &'static str {
        let resource = self.draw.weighted_item(resources);
        if self.profile.role.may(resource) {
            resource
        } else {
            "journal"
        }
    }

    /// A withdrawal of a controlled drug from the cabinet and, minutes
    /// later, the signing of its administration; both or neither, so they
    /// stay matched at the month's ends. A write when the drug is planted
    /// for the user.
    fn narcotics(&mut self, second: i64) {
        let drug = self.draw.below(DRUGS.len());
        let patient = self.draw.below(self.month.population.patients_per_unit);
        let later = second + self.draw.between(120, 900) as i64;
        let planted = self.month.plants.narcotics.contains(&(self.user, drug));
        let withdrawal = self.event(second, "withdrawal", Outcome::Success, Some(patient), None);
        let signing = self.event(
            later,
            "administration",
            Outcome::Success,
            Some(patient),
            None,
        );
        let (Some(mut withdrawal), Some(mut signing), false) = (withdrawal, signing, planted)
        else {
            return self.write_record(second);
        };
        for event in [&mut withdrawal, &mut signing] {
            event.drug = Some(DRUGS[drug].0.to_string());
            event.amount = Some(1.0);
        }
        self.events.push(withdrawal);
        self.events.push(signing);
    }

    /// Adds an event when its time falls inside the month.
    fn push(
        &mut self,
        second: i64,
        action: &str,
        outcome: Outcome,
        patient: Option<usize>,
        resource: Option<&str>,
    ) {
        if let Some(event) = self.event(second, action, outcome, patient, resource) {
            self.events.push(event);
        }
    }

    /// An event of the shift; `None` when its time falls outside the month.
    fn event(
        &self,
        second: i64,
        action: &str,
        outcome: Outcome,
        patient: Option<usize>,
        resource: Option<&str>,
    ) -> Option<Event> {
        let time = self.month.frame.instant(self.day, second);
        let ip = self.ip.filter(|_| self.month.frame.contains(time))?;
        let population = &self.month.population;
        let mut event = population.event(self.user, time, action, ip);
        event.outcome = Some(outcome);
        event.patient = patient.map(|p| population.patient(self.profile.unit, p));
        event.resource = resource.map(str::to_string);
        Some(event)
    }
}
