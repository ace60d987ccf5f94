//! The synthetic organisation: units, patients, users and their schedules.

use super::random::{Draw, Purpose, Streams};
use crate::context::{Schedule, Shift as ScheduleShift};
use crate::event::Event;
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeDelta, Utc, Weekday, WeekdaySet};
use std::net::{IpAddr, Ipv4Addr};

/// Names of the weekdays as schedules write them, Monday first.
const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Networks that staff sign in from when not at a workstation, with
/// weights: Swedish home broadband (Telia, Telenor), and remote duty from
/// Finland (FUNET), Denmark (DeiC) and Germany (DFN). The bundled country
/// data maps them to SE, SE, FI, DK and DE (checked in the tests).
pub(super) const REMOTE: [([u8; 2], u32); 5] = [
    ([213, 64], 40),
    ([84, 216], 25),
    ([130, 230], 15),
    ([130, 225], 12),
    ([141, 30], 8),
];

/// Controlled drugs kept in the units' narcotics cabinets: id, Swedish
/// narcotics schedule and a name.
pub(super) const DRUGS: [(&str, &str, &str); 8] = [
    ("morfin-10mg", "II", "Morfin 10 mg/ml injektion"),
    ("oxikodon-5mg", "II", "Oxikodon 5 mg tablett"),
    ("fentanyl-12ug", "II", "Fentanyl 12 mikrog/h plaster"),
    ("ketobemidon-5mg", "II", "Ketobemidon 5 mg/ml injektion"),
    ("buprenorfin-5ug", "III", "Buprenorfin 5 mikrog/h plaster"),
    ("tramadol-50mg", "IV", "Tramadol 50 mg kapsel"),
    ("oxazepam-5mg", "IV", "Oxazepam 5 mg tablett"),
    ("diazepam-5mg", "IV", "Diazepam 5 mg tablett"),
];

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

    /// The role's name in the context.
    pub(super) fn name(self) -> &'static str {
        match self {
            Role::Nurse => "nurse",
            Role::AssistantNurse => "assistant-nurse",
            Role::Physician => "physician",
            Role::Admin => "admin",
        }
    }

    /// The resources the role may use.
    pub(super) fn permissions(self) -> &'static [&'static str] {
        match self {
            Role::Nurse => &[
                "journal",
                "medication-list",
                "care-plan",
                "lab-results",
                "vital-signs",
                "patient-index",
            ],
            Role::AssistantNurse => &[
                "journal",
                "medication-list",
                "care-plan",
                "vital-signs",
                "patient-index",
            ],
            Role::Physician => &[
                "journal",
                "medication-list",
                "care-plan",
                "lab-results",
                "vital-signs",
                "patient-index",
                "referrals",
            ],
            Role::Admin => &["journal", "patient-index", "referrals", "staff-admin"],
        }
    }

    /// Whether the role may use `resource`.
    pub(super) fn may(self, resource: &str) -> bool {
        self.permissions().contains(&resource)
    }

    /// A resource the role may not use, read when a role is set too wide.
    pub(super) fn lacking(self) -> &'static str {
        match self {
            Role::Nurse => "referrals",
            Role::AssistantNurse | Role::Admin => "lab-results",
            Role::Physician => "staff-admin",
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

    /// The weekdays the role works (bit 0 Monday): office hours for
    /// administrators and day physicians, who sometimes take a weekend day;
    /// a rota of five days, or four nights, for the others.
    fn pattern(self, shift: Shift, draw: &mut Draw) -> u8 {
        let office =
            matches!(self, Role::Admin) || (self == Role::Physician && shift == Shift::Day);
        if office {
            let weekend = if self == Role::Physician && draw.chance(0.25) {
                1 << draw.between(5, 6)
            } else {
                0
            };
            return 0b001_1111 | weekend;
        }
        let mut days = [0_u8, 1, 2, 3, 4, 5, 6];
        draw.shuffle(&mut days);
        let worked = if shift == Shift::Night { 4 } else { 5 };
        days.iter()
            .take(worked)
            .fold(0, |bits, day| bits | 1 << day)
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

    /// The shift's hours as a schedule writes them.
    pub(super) fn hours(self) -> &'static str {
        match self {
            Shift::Day => "07:00-16:00",
            Shift::Evening => "15:00-22:00",
            Shift::Night => "21:00-07:00",
        }
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
    /// A workstation address on the unit's network, in the care
    /// provider's Swedish block 78.64.0.0/12 (Telia); units 4096 apart
    /// share a network.
    pub(super) fn address(&self, host: usize) -> IpAddr {
        let second = 64 + (self.index / 256 % 16) as u8;
        let third = (self.index % 256) as u8;
        let fourth = host.clamp(1, 254) as u8;
        IpAddr::V4(Ipv4Addr::new(78, second, third, fourth))
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
    /// The weekdays the user's shifts start on, bit 0 Monday.
    pub(super) pattern: u8,
    /// The first day of employment.
    pub(super) employed_from: NaiveDate,
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

    /// Whether the user's weekly schedule has a shift starting on `date`.
    pub(super) fn scheduled_on(&self, date: NaiveDate) -> bool {
        self.pattern & (1 << date.weekday().num_days_from_monday()) != 0
    }

    /// The weekly schedule as the context folder writes it, such as
    /// `mon,tue,thu 07:00-16:00`.
    pub(super) fn schedule_text(&self) -> String {
        let days: Vec<&str> = WEEKDAYS
            .iter()
            .enumerate()
            .filter(|(n, _)| self.pattern & (1 << n) != 0)
            .map(|(_, day)| *day)
            .collect();
        format!("{} {}", days.join(","), self.shift.hours())
    }

    /// The weekly schedule for the context.
    pub(super) fn schedule(&self) -> Schedule {
        let days = (0..7)
            .filter(|n| self.pattern & (1 << n) != 0)
            .filter_map(|n| Weekday::try_from(n).ok())
            .fold(WeekdaySet::EMPTY, |mut set, day| {
                set.insert(day);
                set
            });
        let time = |hour: u32| NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or_default();
        let (start, end) = match self.shift {
            Shift::Day => (7, 16),
            Shift::Evening => (15, 22),
            Shift::Night => (21, 7),
        };
        Schedule::new([ScheduleShift::new(days, time(start), time(end))])
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
            user.schedule = schedule(&mut draw, user.pattern, first, days, factor);
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
    let pattern = role.pattern(shift, draw);
    let name = format!("u{:04}", index + 1);
    let start = NaiveDate::from_ymd_opt(2005, 1, 1).unwrap_or_default();
    let employed_from = start + TimeDelta::days(draw.below(7300) as i64);
    User {
        name,
        unit: index % units,
        role,
        shift,
        pattern,
        employed_from,
        schedule: 0,
    }
}

/// An address outside the care provider's network: home broadband or
/// remote duty in another EU country.
pub(super) fn remote_address(draw: &mut Draw) -> IpAddr {
    let [first, second] = draw.weighted_item(&REMOTE);
    let third = draw.below(256) as u8;
    let fourth = draw.between(1, 254) as u8;
    IpAddr::V4(Ipv4Addr::new(first, second, third, fourth))
}

/// One bit per day from the day before the month to its last day: the
/// days of the weekly pattern, less absences (leave, sickness). The same
/// draws are used whatever `factor`, so a smaller factor drops shifts.
fn schedule(draw: &mut Draw, pattern: u8, first: NaiveDate, days: i64, factor: f64) -> u64 {
    let mut bits = 0_u64;
    for day in -1..days.min(62) {
        let scheduled = first
            .checked_add_signed(TimeDelta::days(day))
            .is_some_and(|date| pattern & (1 << date.weekday().num_days_from_monday()) != 0);
        if draw.chance(0.9 * factor) && scheduled {
            bits |= 1 << (day + 1);
        }
    }
    bits
}
