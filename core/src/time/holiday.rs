//! Public holidays, by calendar.
//!
//! The Swedish calendar follows Lag (1989:253) om allmänna helgdagar as in
//! force since 2005. Ordinary Sundays, which that law also counts as
//! holidays, are left to weekday tests (`weekday(time) == "sun"`): a holiday
//! here is a named day. Midsommarafton, julafton and nyårsafton are not
//! public holidays by law but are treated like Sundays by other laws and by
//! most employers; the [`HolidayCalendar::SwedenWithEves`] calendar counts
//! them as well. See `docs/time.md`.

use super::range::TimeError;
use chrono::{Datelike, NaiveDate, Weekday};
use std::fmt;

/// The name of Loggvakt's own holiday data, written in reports.
pub const DATA_NAME: &str = "loggvakt-holidays";

/// The version of the holiday data: raised whenever a calendar gains, loses
/// or moves a day, so a report says which days counted.
pub const DATA_VERSION: &str = "1";

/// Which days count as holidays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum HolidayCalendar {
    /// No day is a holiday.
    None,
    /// Swedish public holidays by law (`sweden`).
    #[default]
    Sweden,
    /// Swedish public holidays, plus midsommarafton, julafton and
    /// nyårsafton (`sweden_eves`).
    SwedenWithEves,
}

impl HolidayCalendar {
    /// Every calendar, in order.
    pub const ALL: [HolidayCalendar; 3] = [
        HolidayCalendar::None,
        HolidayCalendar::Sweden,
        HolidayCalendar::SwedenWithEves,
    ];

    /// The calendar's name in options and rule files.
    pub fn keyword(self) -> &'static str {
        match self {
            HolidayCalendar::None => "none",
            HolidayCalendar::Sweden => "sweden",
            HolidayCalendar::SwedenWithEves => "sweden_eves",
        }
    }

    /// What the calendar follows, in words, for reports.
    pub fn basis(self) -> &'static str {
        match self {
            HolidayCalendar::None => "no day counts as a holiday",
            HolidayCalendar::Sweden => {
                "Swedish public holidays by Lag (1989:253) om allmänna helgdagar, as in force since 2005"
            }
            HolidayCalendar::SwedenWithEves => {
                "Swedish public holidays by Lag (1989:253) om allmänna helgdagar, as in force since 2005, \
                 with midsommarafton, julafton and nyårsafton"
            }
        }
    }

    /// Reads a calendar's name as [`keyword`](Self::keyword) writes it.
    pub fn parse(text: &str) -> Result<HolidayCalendar, TimeError> {
        let name = text.trim();
        HolidayCalendar::ALL
            .into_iter()
            .find(|calendar| calendar.keyword() == name)
            .ok_or_else(|| TimeError::UnknownCalendar(text.to_string()))
    }

    /// The holidays falling on the local date `date`, in calendar order.
    ///
    /// Mostly none or one; two when a moveable feast falls on a fixed
    /// holiday, as Kristi himmelsfärdsdag did on 1 May 2008.
    pub fn holidays_on(self, date: NaiveDate) -> impl Iterator<Item = Holiday> {
        let (fixed, moveable) = match self {
            HolidayCalendar::None => (None, None),
            _ => (swedish_fixed(date), swedish_moveable(date)),
        };
        let eves = self == HolidayCalendar::SwedenWithEves;
        fixed
            .into_iter()
            .chain(moveable)
            .filter(move |holiday| eves || !holiday.is_eve())
    }

    /// The first holiday on `date`, if any.
    pub fn holiday(self, date: NaiveDate) -> Option<Holiday> {
        self.holidays_on(date).next()
    }

    /// True when the local date `date` is a holiday in this calendar.
    pub fn is_holiday(self, date: NaiveDate) -> bool {
        self.holiday(date).is_some()
    }

    /// Every holiday of `year`, by date.
    pub fn holidays_in(self, year: i32) -> Vec<(NaiveDate, Holiday)> {
        let Some(first) = NaiveDate::from_ymd_opt(year, 1, 1) else {
            return Vec::new();
        };
        first
            .iter_days()
            .take_while(|date| date.year() == year)
            .flat_map(|date| self.holidays_on(date).map(move |holiday| (date, holiday)))
            .collect()
    }
}

impl fmt::Display for HolidayCalendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}

/// True when the local date `date` is a holiday in `calendar`.
pub fn is_holiday(calendar: HolidayCalendar, date: NaiveDate) -> bool {
    calendar.is_holiday(date)
}

/// The Swedish name of the holiday on `date`, for explanations; two names
/// are joined with `", "` when two holidays fall on the same day.
pub fn holiday_name(calendar: HolidayCalendar, date: NaiveDate) -> Option<String> {
    let names: Vec<&str> = calendar.holidays_on(date).map(Holiday::name).collect();
    (!names.is_empty()).then(|| names.join(", "))
}

/// A named holiday or holiday eve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Holiday {
    /// Nyårsdagen, 1 January.
    NewYearsDay,
    /// Trettondedag jul, 6 January.
    Epiphany,
    /// Långfredagen, the Friday before Easter Sunday.
    GoodFriday,
    /// Påskdagen, Easter Sunday.
    EasterSunday,
    /// Annandag påsk, the Monday after Easter Sunday.
    EasterMonday,
    /// Första maj, 1 May.
    MayDay,
    /// Kristi himmelsfärdsdag, the sixth Thursday after Easter Sunday.
    AscensionDay,
    /// Pingstdagen, the seventh Sunday after Easter Sunday.
    Pentecost,
    /// Annandag pingst, the Monday after Pentecost; a holiday until 2004.
    WhitMonday,
    /// Sveriges nationaldag, 6 June; a holiday from 2005.
    NationalDay,
    /// Midsommarafton, the Friday from 19 to 25 June (an eve).
    MidsummerEve,
    /// Midsommardagen, the Saturday from 20 to 26 June.
    MidsummerDay,
    /// Alla helgons dag, the Saturday from 31 October to 6 November.
    AllSaintsDay,
    /// Julafton, 24 December (an eve).
    ChristmasEve,
    /// Juldagen, 25 December.
    ChristmasDay,
    /// Annandag jul, 26 December.
    BoxingDay,
    /// Nyårsafton, 31 December (an eve).
    NewYearsEve,
}

impl Holiday {
    /// The Swedish name, capitalised as in a sentence: `Långfredagen`.
    pub fn name(self) -> &'static str {
        match self {
            Holiday::NewYearsDay => "Nyårsdagen",
            Holiday::Epiphany => "Trettondedag jul",
            Holiday::GoodFriday => "Långfredagen",
            Holiday::EasterSunday => "Påskdagen",
            Holiday::EasterMonday => "Annandag påsk",
            Holiday::MayDay => "Första maj",
            Holiday::AscensionDay => "Kristi himmelsfärdsdag",
            Holiday::Pentecost => "Pingstdagen",
            Holiday::WhitMonday => "Annandag pingst",
            Holiday::NationalDay => "Sveriges nationaldag",
            Holiday::MidsummerEve => "Midsommarafton",
            Holiday::MidsummerDay => "Midsommardagen",
            Holiday::AllSaintsDay => "Alla helgons dag",
            Holiday::ChristmasEve => "Julafton",
            Holiday::ChristmasDay => "Juldagen",
            Holiday::BoxingDay => "Annandag jul",
            Holiday::NewYearsEve => "Nyårsafton",
        }
    }

    /// True for midsommarafton, julafton and nyårsafton: days off in
    /// practice, not public holidays by law.
    pub fn is_eve(self) -> bool {
        matches!(
            self,
            Holiday::MidsummerEve | Holiday::ChristmasEve | Holiday::NewYearsEve
        )
    }
}

impl fmt::Display for Holiday {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The first year of the current list: Sveriges nationaldag replaced
/// annandag pingst.
const NATIONAL_DAY_FROM: i32 = 2005;

fn swedish_fixed(date: NaiveDate) -> Option<Holiday> {
    let modern = date.year() >= NATIONAL_DAY_FROM;
    match (date.month(), date.day()) {
        (1, 1) => Some(Holiday::NewYearsDay),
        (1, 6) => Some(Holiday::Epiphany),
        (5, 1) => Some(Holiday::MayDay),
        (6, 6) if modern => Some(Holiday::NationalDay),
        (12, 24) => Some(Holiday::ChristmasEve),
        (12, 25) => Some(Holiday::ChristmasDay),
        (12, 26) => Some(Holiday::BoxingDay),
        (12, 31) => Some(Holiday::NewYearsEve),
        _ => None,
    }
}

/// The moveable feasts never fall on one another, so a date has at most one.
fn swedish_moveable(date: NaiveDate) -> Option<Holiday> {
    by_weekday(date).or_else(|| by_easter(date))
}

fn by_weekday(date: NaiveDate) -> Option<Holiday> {
    match (date.weekday(), date.month(), date.day()) {
        (Weekday::Fri, 6, 19..=25) => Some(Holiday::MidsummerEve),
        (Weekday::Sat, 6, 20..=26) => Some(Holiday::MidsummerDay),
        (Weekday::Sat, 10, 31) | (Weekday::Sat, 11, 1..=6) => Some(Holiday::AllSaintsDay),
        _ => None,
    }
}

fn by_easter(date: NaiveDate) -> Option<Holiday> {
    let easter = easter_sunday(date.year())?;
    let modern = date.year() >= NATIONAL_DAY_FROM;
    match date.signed_duration_since(easter).num_days() {
        -2 => Some(Holiday::GoodFriday),
        0 => Some(Holiday::EasterSunday),
        1 => Some(Holiday::EasterMonday),
        39 => Some(Holiday::AscensionDay),
        49 => Some(Holiday::Pentecost),
        50 if !modern => Some(Holiday::WhitMonday),
        _ => None,
    }
}

/// Easter Sunday of `year` in the Gregorian calendar, by the anonymous
/// Gregorian algorithm (Meeus/Jones/Butcher); `None` before 1583, the first
/// full year of that calendar, and for years outside the date range.
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    if year < 1583 {
        return None;
    }
    let golden = year % 19;
    let (century, of_century) = (year / 100, year % 100);
    let leap_skips = century / 4;
    let moon_fix = (century - (century + 8) / 25 + 1) / 3;
    let epact = (19 * golden + century - leap_skips - moon_fix + 15) % 30;
    let weekday_fix = (32 + 2 * (century % 4) + 2 * (of_century / 4) - epact - of_century % 4) % 7;
    let late = (golden + 11 * epact + 22 * weekday_fix) / 451;
    let days = epact + weekday_fix - 7 * late + 114;
    let (month, day) = (days / 31, days % 31 + 1);
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

#[cfg(test)]
#[path = "holiday_tests.rs"]
mod tests;
