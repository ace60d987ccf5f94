//! The synthetic organisation: units, patients, users and their schedules.

use super::random::{Draw, Purpose, Streams};
use crate::event::Event;
use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc, Weekday};
use std::net::{IpAddr, Ipv4Addr};

/// Residence names for the municipal units; the rest are hospital wards.
const RESIDENCES: [&str; 10] = [
    "sabyhemmet",
    "ekbacken",
    "solgarden",
    "bjorkhagen",
    "lindgarden",
    "tallbacken",
    "rosengarden",
    "almhemmet",
    "granbacka",
    "sjoglimten",
];

/// Users per unit.
const USERS_PER_UNIT: usize = 10;

/// Patients per unit when the volume of events does not ask for more.
pub(super) const PATIENTS_PER_UNIT: usize = 30;

/// What a user does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// A registered nurse.
    Nurse,
    /// An assistant nurse (*undersköterska*).
    AssistantNurse,
    /// A physician.
    Physician,
    /// Administrative staff.
    Admin,
}

impl Role {
    const ALL: [Role; 4] = [
        Role::Nurse,
        Role::AssistantNurse,
        Role::Physician,
        Role::Admin,
    ];
    const WEIGHTS: [u32; 4] = [30, 45, 15, 10];

    /// Relative weights of read, write, search and print for the role.
    pub(super) fn action_weights(self) -> [u32; 4] {
        match self {
            Role::Nurse => [60, 30, 5, 5],
            Role::AssistantNurse => [55, 38, 4, 3],
            Role::Physician => [66, 24, 6, 4],
            Role::Admin => [40, 10, 40, 10],
        }
    }

    /// Relative weights of day, evening and night shifts for the role.
    fn shift_weights(self) -> [u32; 3] {
        match self {
            Role::Nurse | Role::AssistantNurse => [45, 33, 22],
            Role::Physician => [75, 15, 10],
            Role::Admin => [1, 0, 0],
        }
    }

    /// The chance of working on a weekday or on a weekend day.
    fn attendance(self, weekend: bool) -> f64 {
        match (self, weekend) {
            (Role::Admin, false) => 0.85,
            (Role::Admin, true) => 0.03,
            (Role::Physician, true) => 0.3,
            (_, false) => 0.78,
            (_, true) => 0.5,
        }
    }
}

/// When a user works, in local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shift {
    /// 07–16.
    Day,
    /// 15–22.
    Evening,
    /// 21–07, into the next day.
    Night,
}

impl Shift {
    const ALL: [Shift; 3] = [Shift::Day, Shift::Evening, Shift::Night];

    /// Seconds from local midnight to the start of the shift.
    pub(super) fn start(self) -> i64 {
        let hour = match self {
            Shift::Day => 7,
            Shift::Evening => 15,
            Shift::Night => 21,
        };
        hour * 3600
    }

    /// The length of the shift in seconds.
    pub(super) fn length(self) -> i64 {
        let hours = match self {
            Shift::Day => 9,
            Shift::Evening => 7,
            Shift::Night => 10,
        };
        hours * 3600
    }
}

/// A hospital ward or a residence.
#[derive(Debug, Clone)]
pub(super) struct Unit {
    /// `avd-12` or `sabyhemmet`.
    pub(super) name: String,
    index: usize,
}

impl Unit {
    /// A workstation address on the unit's internal network.
    pub(super) fn address(&self, host: usize) -> IpAddr {
        let second = (20 + self.index / 250).min(255) as u8;
        let third = (self.index % 250 + 1) as u8;
        let fourth = host.clamp(1, 254) as u8;
        IpAddr::V4(Ipv4Addr::new(10, second, third, fourth))
    }

    /// A random workstation address on the unit's network.
    pub(super) fn workstation(&self, draw: &mut Draw) -> IpAddr {
        self.address(draw.between(11, 250))
    }
}

/// One member of staff.
#[derive(Debug, Clone)]
pub(super) struct User {
    /// `u0001`, …
    pub(super) name: String,
    /// Index of the home unit.
    pub(super) unit: usize,
    /// What the user does.
    pub(super) role: Role,
    /// When the user works.
    pub(super) shift: Shift,
    /// Bit `d + 1` is set when the user works the shift starting on day
    /// `d` of the month (from 0); bit 0 is the day before the month.
    schedule: u64,
}

impl User {
    /// Whether the user works the shift starting on day `day` (-1 is the
    /// day before the month).
    pub(super) fn works(&self, day: i64) -> bool {
        (0..64).contains(&(day + 1)) && self.schedule & (1 << (day + 1)) != 0
    }

    /// Shifts worked starting inside the month.
    fn shifts_in_month(&self) -> u64 {
        u64::from((self.schedule >> 1).count_ones())
    }
}

/// The whole organisation.
#[derive(Debug, Clone)]
pub(super) struct Population {
    /// Units, by index.
    pub(super) units: Vec<Unit>,
    /// Users, by index.
    pub(super) users: Vec<User>,
    /// Patients of each unit.
    pub(super) patients_per_unit: usize,
}

impl Population {
    /// Draws `users` users over enough units, with no schedules yet.
    pub(super) fn new(streams: &Streams, users: usize) -> Population {
        let unit_count = users.div_ceil(USERS_PER_UNIT).max(1);
        let units = (0..unit_count).map(new_unit).collect();
        let mut draw = streams.stream(Purpose::Population, 0, 0);
        let users = (0..users)
            .map(|i| new_user(&mut draw, i, unit_count))
            .collect();
        Population {
            units,
            users,
            patients_per_unit: PATIENTS_PER_UNIT,
        }
    }

    /// Draws every user's schedule for the month of `days` days from
    /// `first`, scaling each chance to work by `factor`.
    pub(super) fn draw_schedules(
        &mut self,
        streams: &Streams,
        first: NaiveDate,
        days: i64,
        factor: f64,
    ) {
        for (index, user) in self.users.iter_mut().enumerate() {
            let mut draw = streams.stream(Purpose::Schedule, 0, index);
            user.schedule = schedule(&mut draw, user.role, first, days, factor);
        }
    }

    /// Shifts worked by everyone, starting inside the month.
    pub(super) fn shifts_in_month(&self) -> u64 {
        self.users.iter().map(User::shifts_in_month).sum()
    }

    /// The name of patient `patient` of unit `unit`: `p000001`, …
    pub(super) fn patient(&self, unit: usize, patient: usize) -> String {
        format!("p{:06}", unit * self.patients_per_unit + patient + 1)
    }

    /// An event by `user` from `ip` with the fields every event carries.
    pub(super) fn event(
        &self,
        user: usize,
        time: DateTime<Utc>,
        action: &str,
        ip: IpAddr,
    ) -> Event {
        let user = &self.users[user];
        let mut event = Event::new(time, user.name.clone(), action);
        event.unit = Some(self.units[user.unit].name.clone());
        event.ip = Some(ip);
        event.system = Some("ehr".to_string());
        event
    }
}

fn new_unit(index: usize) -> Unit {
    let name = if index % 4 == 3 {
        residence_name(index / 4)
    } else {
        format!("avd-{}", 10 + index - index / 4)
    };
    Unit { name, index }
}

fn residence_name(nth: usize) -> String {
    let base = RESIDENCES[nth % RESIDENCES.len()];
    match nth / RESIDENCES.len() {
        0 => base.to_string(),
        round => format!("{base}-{}", round + 1),
    }
}

fn new_user(draw: &mut Draw, index: usize, units: usize) -> User {
    let role = Role::ALL[draw.weighted(&Role::WEIGHTS)];
    let shift = Shift::ALL[draw.weighted(&role.shift_weights())];
    let name = format!("u{:04}", index + 1);
    User {
        name,
        unit: index % units,
        role,
        shift,
        schedule: 0,
    }
}

/// One bit per day from the day before the month to its last day. The same
/// draws are used whatever `factor`, so a smaller factor drops shifts.
fn schedule(draw: &mut Draw, role: Role, first: NaiveDate, days: i64, factor: f64) -> u64 {
    let mut bits = 0_u64;
    for day in -1..days.min(62) {
        let weekend = first
            .checked_add_signed(TimeDelta::days(day))
            .is_some_and(|date| matches!(date.weekday(), Weekday::Sat | Weekday::Sun));
        if draw.chance(role.attendance(weekend) * factor) {
            bits |= 1 << (day + 1);
        }
    }
    bits
}
