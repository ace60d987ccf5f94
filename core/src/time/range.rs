//! Times of day and ranges of them, such as `19:00–07:00`.
//!
//! A [`TimeOfDay`] is a wall-clock reading in whole minutes since local
//! midnight. A [`TimeRange`] includes its start and excludes its end, and
//! runs across midnight when its end comes before its start. Both compare
//! wall-clock readings, never elapsed time, so a range means the same clock
//! times on a day when daylight saving time starts or ends.

use crate::codes::{self, Code};
use std::fmt;
use std::str::FromStr;

/// Minutes in a day; also the minute count of `24:00`.
const DAY: u16 = 24 * 60;

/// A time of day in whole minutes since local midnight: `00:00` to `24:00`.
///
/// `24:00` is the midnight that ends a day. It is accepted so a range can
/// run to the end of the day (`00:00–24:00` is the whole day); as a reading
/// it means the same as `00:00`, and no instant's local time is ever `24:00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimeOfDay(u16);

impl TimeOfDay {
    /// `00:00`, the start of a day.
    pub const MIDNIGHT: TimeOfDay = TimeOfDay(0);

    /// `24:00`, the end of a day.
    pub const END_OF_DAY: TimeOfDay = TimeOfDay(DAY);

    /// The time `hour:minute`; hours 0–23 with minutes 0–59, or 24:00.
    pub const fn new(hour: u8, minute: u8) -> Option<TimeOfDay> {
        if minute > 59 || hour > 24 || (hour == 24 && minute > 0) {
            return None;
        }
        Some(TimeOfDay(hour as u16 * 60 + minute as u16))
    }

    /// The time `minutes` after local midnight; at most 1440 (`24:00`).
    pub const fn from_minutes(minutes: u16) -> Option<TimeOfDay> {
        if minutes > DAY {
            return None;
        }
        Some(TimeOfDay(minutes))
    }

    /// Reads `HH:MM`: two digits for the hour (00–23), two for the minute
    /// (00–59), or `24:00`. Surrounding white space is ignored.
    pub fn parse(text: &str) -> Result<TimeOfDay, TimeError> {
        parse_clock(text.trim()).ok_or_else(|| TimeError::BadTimeOfDay(text.to_string()))
    }

    /// Minutes since local midnight, 0–1440.
    pub const fn minutes(self) -> u16 {
        self.0
    }

    /// The hour, 0–24 (24 only for `24:00`).
    pub const fn hour(self) -> u8 {
        // INVARIANT: minutes never exceed 1440, so the hour fits in a u8.
        (self.0 / 60) as u8
    }

    /// The minute within the hour, 0–59.
    pub const fn minute(self) -> u8 {
        (self.0 % 60) as u8
    }

    /// Minutes since midnight with `24:00` read as `00:00`.
    fn on_clock(self) -> u16 {
        self.0 % DAY
    }
}

fn parse_clock(text: &str) -> Option<TimeOfDay> {
    let (hour, minute) = text.split_once(':')?;
    TimeOfDay::new(two_digits(hour)?, two_digits(minute)?)
}

fn two_digits(text: &str) -> Option<u8> {
    match text.as_bytes() {
        [tens @ b'0'..=b'9', ones @ b'0'..=b'9'] => Some((tens - b'0') * 10 + (ones - b'0')),
        _ => None,
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour(), self.minute())
    }
}

impl FromStr for TimeOfDay {
    type Err = TimeError;

    fn from_str(text: &str) -> Result<TimeOfDay, TimeError> {
        TimeOfDay::parse(text)
    }
}

/// A stretch of the local day from `start` (included) to `end` (excluded).
///
/// When `end` comes before `start` the range runs across midnight:
/// `19:00–07:00` holds 19:00 to 23:59 and 00:00 to 06:59. When `start`
/// equals `end` the range is empty; the whole day is `00:00–24:00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimeRange {
    start: TimeOfDay,
    end: TimeOfDay,
}

impl TimeRange {
    /// `00:00–24:00`, every minute of the day.
    pub const WHOLE_DAY: TimeRange = TimeRange {
        start: TimeOfDay::MIDNIGHT,
        end: TimeOfDay::END_OF_DAY,
    };

    /// `07:00–17:00`, the default working day.
    pub const WORKING_DAY: TimeRange = TimeRange {
        start: TimeOfDay(7 * 60),
        end: TimeOfDay(17 * 60),
    };

    /// The range from `start` (included) to `end` (excluded).
    ///
    /// A range cannot start at `24:00`: write `00:00` for the midnight that
    /// starts a day.
    pub fn new(start: TimeOfDay, end: TimeOfDay) -> Result<TimeRange, TimeError> {
        if start == TimeOfDay::END_OF_DAY {
            return Err(TimeError::BadTimeRange(format!("{start}-{end}")));
        }
        Ok(TimeRange { start, end })
    }

    /// Reads `HH:MM-HH:MM`, such as `19:00-07:00`; white space around
    /// either time is ignored.
    pub fn parse(text: &str) -> Result<TimeRange, TimeError> {
        let bad = || TimeError::BadTimeRange(text.to_string());
        let (start, end) = text.split_once('-').ok_or_else(bad)?;
        let start = parse_clock(start.trim()).ok_or_else(bad)?;
        let end = parse_clock(end.trim()).ok_or_else(bad)?;
        TimeRange::new(start, end).map_err(|_| bad())
    }

    /// The first minute of the range.
    pub fn start(self) -> TimeOfDay {
        self.start
    }

    /// The minute after the last one of the range.
    pub fn end(self) -> TimeOfDay {
        self.end
    }

    /// True when the range runs across midnight: its end comes before its
    /// start.
    pub fn crosses_midnight(self) -> bool {
        self.end.0 < self.start.0
    }

    /// True when the range holds no minute: `start` equals `end`.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// How many minutes of a day the range holds, 0–1440.
    pub fn minutes(self) -> u16 {
        if self.crosses_midnight() {
            DAY - self.start.0 + self.end.0
        } else {
            self.end.0.saturating_sub(self.start.0)
        }
    }

    /// True when the local time of day `time` is in the range; `24:00` is
    /// read as `00:00`.
    pub fn contains(self, time: TimeOfDay) -> bool {
        let time = time.on_clock();
        if self.crosses_midnight() {
            time >= self.start.0 || time < self.end.0
        } else {
            self.start.0 <= time && time < self.end.0
        }
    }

    /// True when `time` is in the part of the range after midnight, so the
    /// stretch it belongs to began on the previous day.
    pub fn began_yesterday(self, time: TimeOfDay) -> bool {
        self.crosses_midnight() && time.on_clock() < self.end.0
    }
}

impl fmt::Display for TimeRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.start, self.end)
    }
}

impl FromStr for TimeRange {
    type Err = TimeError;

    fn from_str(text: &str) -> Result<TimeRange, TimeError> {
        TimeRange::parse(text)
    }
}

/// A time of day, range, weekday or holiday calendar that cannot be read.
///
/// Each variant holds the text as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TimeError {
    /// Not `HH:MM` from 00:00 to 24:00.
    #[error("`{0}` is not a time of day")]
    BadTimeOfDay(String),
    /// Not `HH:MM-HH:MM`, or starting at 24:00.
    #[error("`{0}` is not a time range")]
    BadTimeRange(String),
    /// Not one of `mon` … `sun`.
    #[error("`{0}` is not a weekday")]
    BadWeekday(String),
    /// Not a holiday calendar's name.
    #[error("`{0}` is not a holiday calendar")]
    UnknownCalendar(String),
}

impl TimeError {
    /// The diagnostic code of this error.
    pub fn code(&self) -> Code {
        match self {
            TimeError::BadTimeOfDay(_) => codes::BAD_TIME_OF_DAY,
            TimeError::BadTimeRange(_) => codes::BAD_TIME_RANGE,
            TimeError::BadWeekday(_) => codes::BAD_WEEKDAY,
            TimeError::UnknownCalendar(_) => codes::UNKNOWN_CALENDAR,
        }
    }

    /// A line saying how to write the value.
    pub fn help(&self) -> &'static str {
        match self {
            TimeError::BadTimeOfDay(_) => {
                "write HH:MM from 00:00 to 23:59, or 24:00 for the end of the day"
            }
            TimeError::BadTimeRange(_) => {
                "write HH:MM-HH:MM, such as 19:00-07:00; a range cannot start at 24:00"
            }
            TimeError::BadWeekday(_) => "weekdays are mon, tue, wed, thu, fri, sat and sun",
            TimeError::UnknownCalendar(_) => "holiday calendars are none, sweden and sweden_eves",
        }
    }
}

#[cfg(test)]
#[path = "range_tests.rs"]
mod tests;
