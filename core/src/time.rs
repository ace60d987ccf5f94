//! Instants, local calendars and the run's time zone.
//!
//! Events store UTC instants. Calendar windows (day, ISO week, month) and
//! offset-less timestamps are read in a named IANA zone, so a day is the
//! local day even when daylight saving time makes it 23 or 25 hours long.

use chrono::{
    DateTime, Datelike, Days, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime,
    TimeZone, Utc,
};
use chrono_tz::Tz;

pub mod holiday;
pub mod hours;
pub mod local;
pub mod range;

pub use holiday::{Holiday, HolidayCalendar, easter_sunday, holiday_name, is_holiday};
pub use hours::WorkingHours;
pub use local::{LocalTime, Weekdays, parse_weekday, weekday_name};
pub use range::{TimeError, TimeOfDay, TimeRange};

/// The zone used when neither the rule file nor the caller names one.
pub const DEFAULT_ZONE: &str = "Europe/Stockholm";

/// Looks up an IANA zone name such as `Europe/Stockholm`.
pub fn parse_zone(name: &str) -> Option<Tz> {
    name.parse::<Tz>().ok()
}

/// Reads an RFC 3339 timestamp, or an offset-less `YYYY-MM-DD[T ]HH:MM[:SS[.f]]`
/// read as local time in `zone`.
///
/// Surrounding white space is ignored. Years outside 1900–2999 are refused:
/// they are typing errors in access logs, and local calendars before 1900
/// use historical offsets that no report should show.
pub fn parse_timestamp(text: &str, zone: Tz) -> Option<DateTime<Utc>> {
    let text = text.trim();
    let instant = match DateTime::parse_from_rfc3339(text) {
        Ok(instant) => instant.with_timezone(&Utc),
        Err(_) => local_to_utc(zone, parse_naive(text)?),
    };
    (1900..=2999).contains(&instant.year()).then_some(instant)
}

fn parse_naive(text: &str) -> Option<NaiveDateTime> {
    const FORMATS: [&str; 4] = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ];
    FORMATS
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
}

/// The instant of a local wall-clock time in `zone`.
///
/// An ambiguous time (the repeated hour when clocks go back) is the earlier
/// instant; a time skipped when clocks go forward is read with the offset in
/// force just before the jump, as a clock that had not yet been changed.
pub fn local_to_utc(zone: Tz, naive: NaiveDateTime) -> DateTime<Utc> {
    match zone.from_local_datetime(&naive) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
        LocalResult::None => skipped_to_utc(zone, naive),
    }
}

fn skipped_to_utc(zone: Tz, naive: NaiveDateTime) -> DateTime<Utc> {
    let before = naive - chrono::Duration::hours(3);
    let offset = zone.offset_from_utc_datetime(&before);
    let fixed: FixedOffset = chrono::Offset::fix(&offset);
    let seconds = i64::from(fixed.local_minus_utc());
    Utc.from_utc_datetime(&(naive - chrono::Duration::seconds(seconds)))
}

/// The instant of local midnight starting `date` in `zone`.
pub fn start_of_day(zone: Tz, date: NaiveDate) -> DateTime<Utc> {
    local_to_utc(zone, date.and_time(NaiveTime::MIN))
}

/// The local date of `instant` in `zone`.
pub fn local_date(zone: Tz, instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&zone).date_naive()
}

/// A calendar window size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Calendar {
    /// A local day, midnight to midnight.
    Day,
    /// An ISO week, Monday 00:00 to the next Monday 00:00.
    Week,
    /// A local calendar month.
    Month,
}

impl Calendar {
    /// The keyword used in rule files.
    pub fn keyword(self) -> &'static str {
        match self {
            Calendar::Day => "day",
            Calendar::Week => "week",
            Calendar::Month => "month",
        }
    }

    /// The first local date of the window holding `date`.
    pub fn first_date(self, date: NaiveDate) -> NaiveDate {
        match self {
            Calendar::Day => date,
            Calendar::Week => date - Days::new(u64::from(date.weekday().num_days_from_monday())),
            Calendar::Month => date.with_day(1).unwrap_or(date),
        }
    }

    /// The first local date after the window starting at `first`.
    pub fn next_date(self, first: NaiveDate) -> NaiveDate {
        match self {
            Calendar::Day => first + Days::new(1),
            Calendar::Week => first + Days::new(7),
            Calendar::Month => first
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(first),
        }
    }

    /// The `[start, end)` instants of the window holding `instant`.
    pub fn window(self, zone: Tz, instant: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
        let first = self.first_date(local_date(zone, instant));
        let next = self.next_date(first);
        (start_of_day(zone, first), start_of_day(zone, next))
    }

    /// A short human label for the window starting on local date `first`:
    /// `2026-03-04`, `2026-W10` or `2026-03`.
    pub fn label(self, first: NaiveDate) -> String {
        match self {
            Calendar::Day => first.format("%Y-%m-%d").to_string(),
            Calendar::Week => {
                let week = first.iso_week();
                format!("{}-W{:02}", week.year(), week.week())
            }
            Calendar::Month => first.format("%Y-%m").to_string(),
        }
    }
}

/// Writes an instant as RFC 3339 with the zone's local offset, to the second.
pub fn format_local(zone: Tz, instant: DateTime<Utc>) -> String {
    instant
        .with_timezone(&zone)
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// Reads a `YYYY-MM` month.
pub fn parse_month(text: &str) -> Option<NaiveDate> {
    let (year, month) = text.split_once('-')?;
    if year.len() != 4 || month.len() != 2 || !("1900".."3000").contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, 1)
}

#[cfg(test)]
#[path = "time_tests.rs"]
mod tests;
