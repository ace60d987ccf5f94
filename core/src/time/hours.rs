//! Working hours: which local days and times count as ordinary work.

use super::holiday::HolidayCalendar;
use super::local::{LocalTime, Weekdays};
use super::range::TimeRange;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;

/// The days and hours a care provider counts as ordinary working time.
///
/// An instant is in working hours when its local time of day is in `range`
/// and the day the stretch began on is one of `days` and not a holiday in
/// `holidays`. For a range across midnight the stretch begins the day
/// before the part after midnight: with Monday to Friday 22:00–06:00,
/// Saturday 03:00 belongs to Friday's night and is working time, while
/// Monday 03:00 belongs to Sunday's and is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WorkingHours {
    /// The weekdays a working stretch may begin on.
    pub days: Weekdays,
    /// The local times of day that are working time.
    pub range: TimeRange,
    /// Days that are never working days, whatever their weekday.
    pub holidays: HolidayCalendar,
}

impl Default for WorkingHours {
    /// Monday to Friday, 07:00–17:00, Swedish public holidays by law.
    fn default() -> WorkingHours {
        WorkingHours {
            days: Weekdays::MONDAY_TO_FRIDAY,
            range: TimeRange::WORKING_DAY,
            holidays: HolidayCalendar::Sweden,
        }
    }
}

impl WorkingHours {
    /// True when `instant` falls in working hours on the clocks of `zone`.
    pub fn contains(&self, instant: DateTime<Utc>, zone: Tz) -> bool {
        self.contains_local(LocalTime::new(instant, zone))
    }

    /// True when the local reading `local` falls in working hours.
    pub fn contains_local(&self, local: LocalTime) -> bool {
        let time = local.time_of_day();
        if !self.range.contains(time) {
            return false;
        }
        let day = if self.range.began_yesterday(time) {
            previous_day(local.date())
        } else {
            local.date()
        };
        self.is_working_day(day)
    }

    /// True when a working stretch may begin on the local date `date`: its
    /// weekday is one of `days` and it is not a holiday.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.days.contains(date.weekday()) && !self.holidays.is_holiday(date)
    }
}

/// The day before `date`; the first representable date stands for itself.
fn previous_day(date: NaiveDate) -> NaiveDate {
    date.pred_opt().unwrap_or(date)
}

#[cfg(test)]
#[path = "hours_tests.rs"]
mod tests;
