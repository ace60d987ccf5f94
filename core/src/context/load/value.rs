//! Reading the cells of one row: text, sets, flags, dates, instants,
//! schedules and narcotic classes.
//!
//! Every reader records what is wrong with its cell and carries on, so a
//! row's every bad cell is reported; the row is then left out.

use super::Problems;
use super::table::{Cell, Row};
use crate::codes::{self, Code};
use crate::context::{NarcoticClass, Schedule, Shift};
use crate::time::{TimeRange, parse_weekday};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc, Weekday, WeekdaySet};
use chrono_tz::Tz;

/// The characters that separate the members of a set written in one cell.
const SET_SEPARATORS: [char; 2] = [';', '|'];

/// Reads the cells of one row.
pub(super) struct Cells<'r, 'p> {
    row: &'r Row,
    problems: &'p mut Problems,
    /// Whether some cell could not be read.
    pub(super) failed: bool,
}

impl<'r, 'p> Cells<'r, 'p> {
    pub(super) fn new(row: &'r Row, problems: &'p mut Problems) -> Cells<'r, 'p> {
        Cells {
            row,
            problems,
            failed: false,
        }
    }

    /// Records a problem with `column`.
    fn fail(&mut self, column: &str, code: Code, message: String, help: &str) {
        let message = format!("`{column}` {message}");
        self.problems
            .at_column(self.row, column, code, message, help);
        self.failed = true;
    }

    /// Text, or `None` when empty.
    pub(super) fn text(&mut self, column: &str) -> Option<String> {
        match self.row.cell(column) {
            Cell::Empty => None,
            Cell::Text(text) => Some(text.clone()),
            Cell::Many(_) | Cell::Flag(_) => {
                let help = "write it as text in quotes";
                self.fail(column, codes::BAD_CONTEXT_ROW, "is not text".into(), help);
                None
            }
        }
    }

    /// Text that must be there, such as an id.
    pub(super) fn required(&mut self, column: &str) -> Option<String> {
        let text = self.text(column);
        if text.is_none() && !self.failed {
            let help = "every row needs one";
            self.fail(column, codes::BAD_CONTEXT_ROW, "is empty".into(), help);
        }
        text
    }

    /// A set: members separated by `;` or `|` in one cell, or a JSON
    /// array. Empty members are left out; the order is kept.
    pub(super) fn set(&mut self, column: &str) -> Vec<String> {
        match self.row.cell(column) {
            Cell::Empty => Vec::new(),
            Cell::Text(text) => text
                .split(SET_SEPARATORS)
                .map(str::trim)
                .filter(|member| !member.is_empty())
                .map(str::to_string)
                .collect(),
            Cell::Many(members) => members.clone(),
            Cell::Flag(_) => {
                let help = "separate members with `;` or `|`, or write a JSON array";
                self.fail(column, codes::BAD_CONTEXT_ROW, "is not a set".into(), help);
                Vec::new()
            }
        }
    }

    /// Yes or no: `true`/`false`, `yes`/`no` or `1`/`0` in any case; empty
    /// is no.
    pub(super) fn flag(&mut self, column: &str) -> bool {
        let text = match self.row.cell(column) {
            Cell::Empty => return false,
            Cell::Flag(flag) => return *flag,
            Cell::Text(text) => text.to_ascii_lowercase(),
            Cell::Many(_) => "a list".to_string(),
        };
        match text.as_str() {
            "true" | "yes" | "1" => true,
            "false" | "no" | "0" => false,
            _ => {
                let message = format!("is `{text}`, which is not true or false");
                let help = "write true or false (yes/no and 1/0 are read too); empty means false";
                self.fail(column, codes::BAD_BOOLEAN, message, help);
                false
            }
        }
    }

    /// A calendar day, `YYYY-MM-DD`.
    pub(super) fn date(&mut self, column: &str) -> Option<NaiveDate> {
        let text = self.text(column)?;
        let date = NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok();
        if date.is_none() {
            let message = format!("is `{text}`, which is not a date");
            self.fail(
                column,
                codes::BAD_CONTEXT_TIME,
                message,
                "write a day as YYYY-MM-DD",
            );
        }
        date
    }

    /// An instant: RFC 3339, a local `YYYY-MM-DD HH:MM[:SS]` in `zone`, or
    /// a day `YYYY-MM-DD` meaning local midnight at its start.
    pub(super) fn instant(&mut self, column: &str, zone: Tz) -> Option<DateTime<Utc>> {
        let text = self.text(column)?;
        let instant = match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
            Ok(day) => Some(crate::time::start_of_day(zone, day)),
            Err(_) => crate::time::parse_timestamp(&text, zone),
        };
        if instant.is_none() {
            let message = format!("is `{text}`, which is not a time");
            let help = "write 2026-03-01T08:00:00+01:00, a local 2026-03-01 08:00:00, \
                        or a day 2026-03-01 for its local midnight";
            self.fail(column, codes::BAD_CONTEXT_TIME, message, help);
        }
        instant
    }

    /// A work schedule such as `mon-fri 07:00-16:00; sat 22:00-07:00`, or
    /// a JSON array of such shifts; `None` when empty.
    pub(super) fn schedule(&mut self, column: &str) -> Option<Schedule> {
        let shifts: Vec<String> = match self.row.cell(column) {
            Cell::Empty => return None,
            Cell::Text(text) => text.split(';').map(str::to_string).collect(),
            Cell::Many(shifts) => shifts.clone(),
            Cell::Flag(_) => vec!["true".to_string()],
        };
        let mut read = Vec::new();
        for text in shifts.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            match parse_shift(text) {
                Some(shift) => read.push(shift),
                None => {
                    let message = format!("has the shift `{text}`, which cannot be read");
                    let help = "write shifts like `mon-fri 07:00-16:00; sat 22:00-07:00`: \
                                days (mon … sun, ranges with `-`, lists with `,`), a space, \
                                then HH:MM-HH:MM";
                    self.fail(column, codes::BAD_SCHEDULE, message, help);
                }
            }
        }
        (!read.is_empty()).then(|| Schedule::new(read))
    }

    /// A narcotic class, `II` to `V`.
    pub(super) fn class(&mut self, column: &str) -> Option<NarcoticClass> {
        let text = self.required(column)?;
        let class = NarcoticClass::parse(&text);
        if class.is_none() {
            let message = format!("is `{text}`, which is not a narcotic class");
            let help = "write II, III, IV or V (or 2 to 5)";
            self.fail(column, codes::BAD_NARCOTIC_CLASS, message, help);
        }
        class
    }
}

/// One shift: days, white space, then a time range.
fn parse_shift(text: &str) -> Option<Shift> {
    let (days, times) = text.split_once(char::is_whitespace)?;
    let days = parse_days(days)?;
    let range = TimeRange::parse(times.trim()).ok()?;
    let clock = |minutes: u16| {
        let minutes = u32::from(minutes % (24 * 60));
        NaiveTime::from_hms_opt(minutes / 60, minutes % 60, 0)
    };
    Some(Shift::new(
        days,
        clock(range.start().minutes())?,
        clock(range.end().minutes())?,
    ))
}

/// Days such as `mon-fri`, `sat,sun` or `mon-wed,fri`; a range may wrap
/// past Sunday (`fri-mon`).
fn parse_days(text: &str) -> Option<WeekdaySet> {
    let mut days = WeekdaySet::EMPTY;
    for part in text.split(',') {
        let (first, last) = part.split_once('-').unwrap_or((part, part));
        let first = parse_weekday(&first.to_ascii_lowercase()).ok()?;
        let last = parse_weekday(&last.to_ascii_lowercase()).ok()?;
        let mut day: Weekday = first;
        days.insert(day);
        while day != last {
            day = day.succ();
            days.insert(day);
        }
    }
    Some(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(h: u32, m: u32) -> Option<NaiveTime> {
        NaiveTime::from_hms_opt(h, m, 0)
    }

    #[test]
    fn days_read_ranges_lists_and_wrap() {
        let set = |days: &[Weekday]| {
            days.iter().fold(WeekdaySet::EMPTY, |mut s, d| {
                s.insert(*d);
                s
            })
        };
        use Weekday::*;
        assert_eq!(parse_days("mon-fri"), Some(set(&[Mon, Tue, Wed, Thu, Fri])));
        assert_eq!(parse_days("sat,sun"), Some(set(&[Sat, Sun])));
        assert_eq!(parse_days("fri-mon"), Some(set(&[Fri, Sat, Sun, Mon])));
        assert_eq!(parse_days("Mon-wed,fri"), Some(set(&[Mon, Tue, Wed, Fri])));
        assert_eq!(parse_days("monday"), None);
        assert_eq!(parse_days("mon-"), None);
    }

    #[test]
    fn a_shift_to_midnight_ends_at_the_next_day() {
        let shift = parse_shift("sat 16:00-24:00");
        assert_eq!(
            shift.map(|s| (s.start, s.end)),
            Some((time(16, 0).unwrap_or_default(), NaiveTime::MIN))
        );
        assert_eq!(parse_shift("sat"), None);
        assert_eq!(parse_shift("sat 25:00-07:00"), None);
        assert!(time(0, 0).is_some());
    }
}
