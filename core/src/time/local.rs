//! The local parts of an instant: date, hour, minute, weekday, ISO week.
//!
//! An instant is turned into a wall-clock reading once, with the offset its
//! zone had at that very instant; every part is then read off that reading.
//! So the two passes through the repeated hour in October both read `02:xx`,
//! and no instant ever reads a time inside the hour skipped in March.

use super::range::{TimeError, TimeOfDay};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use std::fmt;

/// The wall-clock reading of an instant in a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LocalTime {
    wall: NaiveDateTime,
}

impl LocalTime {
    /// The reading of `instant` on the clocks of `zone`.
    pub fn new(instant: DateTime<Utc>, zone: Tz) -> LocalTime {
        LocalTime {
            wall: instant.with_timezone(&zone).naive_local(),
        }
    }

    /// The local date.
    pub fn date(self) -> NaiveDate {
        self.wall.date()
    }

    /// The local date written `YYYY-MM-DD`.
    pub fn date_text(self) -> String {
        self.wall.format("%Y-%m-%d").to_string()
    }

    /// The hour on the local clock, 0–23.
    pub fn hour(self) -> u32 {
        self.wall.hour()
    }

    /// The minute on the local clock, 0–59.
    pub fn minute(self) -> u32 {
        self.wall.minute()
    }

    /// The local time of day, to the minute (seconds are dropped).
    pub fn time_of_day(self) -> TimeOfDay {
        let minutes = self.wall.hour() * 60 + self.wall.minute();
        // INVARIANT: a clock reads at most 23:59, 1439 minutes, which is
        // both a u16 and a valid time of day.
        u16::try_from(minutes)
            .ok()
            .and_then(TimeOfDay::from_minutes)
            .unwrap_or(TimeOfDay::MIDNIGHT)
    }

    /// The local weekday.
    pub fn weekday(self) -> Weekday {
        self.wall.weekday()
    }

    /// The ISO 8601 weekday number: 1 for Monday through 7 for Sunday.
    pub fn iso_weekday(self) -> u32 {
        self.wall.weekday().number_from_monday()
    }

    /// The weekday's lowercase three-letter English name, `mon` … `sun`.
    pub fn weekday_name(self) -> &'static str {
        weekday_name(self.wall.weekday())
    }

    /// The ISO 8601 week number, 1–53, of the local date.
    pub fn iso_week(self) -> u32 {
        self.wall.iso_week().week()
    }

    /// The ISO 8601 week-based year of the local date, which differs from
    /// the calendar year for a few days around New Year: 2027-01-01 is in
    /// week 53 of 2026.
    pub fn iso_week_year(self) -> i32 {
        self.wall.iso_week().year()
    }
}

/// The lowercase three-letter English name of a weekday, `mon` … `sun`.
pub fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    }
}

/// Reads a weekday name as [`weekday_name`] writes it (`mon` … `sun`,
/// lowercase); surrounding white space is ignored.
pub fn parse_weekday(text: &str) -> Result<Weekday, TimeError> {
    let name = text.trim();
    Weekdays::ALL
        .iter()
        .find(|day| weekday_name(*day) == name)
        .ok_or_else(|| TimeError::BadWeekday(text.to_string()))
}

/// A set of weekdays, such as Monday to Friday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Weekdays(u8);

impl Weekdays {
    /// No day.
    pub const NONE: Weekdays = Weekdays(0);

    /// Monday to Friday.
    pub const MONDAY_TO_FRIDAY: Weekdays = Weekdays(0b001_1111);

    /// Every day of the week.
    pub const ALL: Weekdays = Weekdays(0b111_1111);

    /// The set with `day` added.
    pub fn with(self, day: Weekday) -> Weekdays {
        Weekdays(self.0 | bit(day))
    }

    /// True when `day` is in the set.
    pub fn contains(self, day: Weekday) -> bool {
        self.0 & bit(day) != 0
    }

    /// True when the set holds no day.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The days in the set, Monday first.
    pub fn iter(self) -> impl Iterator<Item = Weekday> {
        let mut day = Weekday::Mon;
        let days = std::iter::from_fn(move || {
            let this = day;
            day = day.succ();
            Some(this)
        });
        days.take(7).filter(move |day| self.contains(*day))
    }

    /// Reads a comma-separated list of weekday names, such as
    /// `mon,tue,wed`; an empty text is the empty set.
    pub fn parse(text: &str) -> Result<Weekdays, TimeError> {
        if text.trim().is_empty() {
            return Ok(Weekdays::NONE);
        }
        text.split(',').map(parse_weekday).collect()
    }
}

fn bit(day: Weekday) -> u8 {
    1 << day.num_days_from_monday()
}

impl FromIterator<Weekday> for Weekdays {
    fn from_iter<I: IntoIterator<Item = Weekday>>(days: I) -> Weekdays {
        days.into_iter().fold(Weekdays::NONE, Weekdays::with)
    }
}

impl fmt::Display for Weekdays {
    /// Writes the names comma-separated, Monday first, as `parse` reads them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.iter().map(weekday_name).collect();
        f.write_str(&names.join(","))
    }
}

#[cfg(test)]
#[path = "local_tests.rs"]
mod tests;
