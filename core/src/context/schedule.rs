//! Work schedules: weekly shifts in local wall-clock time.

use chrono::{Datelike, NaiveDateTime, NaiveTime, WeekdaySet};

/// One recurring shift: on the given weekdays, from `start` to `end` local
/// time.
///
/// `start` is inclusive and `end` exclusive. When `end` is not after
/// `start` the shift crosses midnight and ends on the next day; the
/// weekdays are the days the shift starts on. `start == end` is a whole
/// 24 hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shift {
    /// The days the shift starts on.
    pub days: WeekdaySet,
    /// The local time the shift starts, inclusive.
    pub start: NaiveTime,
    /// The local time the shift ends, exclusive.
    pub end: NaiveTime,
}

impl Shift {
    /// A shift starting at `start` on each of `days` and ending at `end`.
    pub fn new(days: WeekdaySet, start: NaiveTime, end: NaiveTime) -> Shift {
        Shift { days, start, end }
    }

    /// Whether the shift covers the local wall-clock time `local`.
    pub fn covers(&self, local: NaiveDateTime) -> bool {
        let day = local.weekday();
        let time = local.time();
        if self.start < self.end {
            return self.days.contains(day) && self.start <= time && time < self.end;
        }
        let started_today = self.days.contains(day) && self.start <= time;
        let started_yesterday = self.days.contains(day.pred()) && time < self.end;
        started_today || started_yesterday
    }
}

/// A user's working hours: the shifts of a typical week.
///
/// A time is on the schedule when any shift covers it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Schedule {
    /// The shifts, in the order given.
    pub shifts: Vec<Shift>,
}

impl Schedule {
    /// A schedule of `shifts`.
    pub fn new(shifts: impl IntoIterator<Item = Shift>) -> Schedule {
        Schedule {
            shifts: shifts.into_iter().collect(),
        }
    }

    /// Whether any shift covers the local wall-clock time `local`.
    pub fn covers(&self, local: NaiveDateTime) -> bool {
        self.shifts.iter().any(|shift| shift.covers(local))
    }
}
