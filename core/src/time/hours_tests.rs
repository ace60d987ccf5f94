use super::*;
use crate::time::range::TimeRange;
use chrono::Duration;

fn stockholm() -> Tz {
    chrono_tz::Europe::Stockholm
}

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

/// Checks `hours` at instants written with their Stockholm offset.
fn check(hours: &WorkingHours, cases: &[(&str, bool)]) {
    for (text, expected) in cases {
        assert_eq!(hours.contains(utc(text), stockholm()), *expected, "{text}");
    }
}

/// How many whole minutes from `from` for `hours` hours are working time.
fn minutes_in(hours: &WorkingHours, from: &str, span: i64) -> usize {
    let start = utc(from);
    (0..span * 60)
        .filter(|m| hours.contains(start + Duration::minutes(*m), stockholm()))
        .count()
}

fn night_shift() -> WorkingHours {
    WorkingHours {
        range: TimeRange::parse("22:00-06:00").unwrap(),
        ..WorkingHours::default()
    }
}

#[test]
fn the_default_is_weekdays_seven_to_five() {
    let hours = WorkingHours::default();
    assert_eq!(hours.days, Weekdays::MONDAY_TO_FRIDAY);
    assert_eq!(hours.range.to_string(), "07:00-17:00");
    assert_eq!(hours.holidays, HolidayCalendar::Sweden);
    check(
        &hours,
        &[
            ("2026-03-02T06:59:59+01:00", false),
            ("2026-03-02T07:00:00+01:00", true),
            ("2026-03-02T16:59:59+01:00", true),
            ("2026-03-02T17:00:00+01:00", false),
            ("2026-03-06T12:00:00+01:00", true),
            ("2026-03-07T12:00:00+01:00", false),
            ("2026-03-08T12:00:00+01:00", false),
        ],
    );
}

#[test]
fn holidays_are_not_working_days() {
    let hours = WorkingHours::default();
    check(
        &hours,
        &[
            ("2026-04-02T10:00:00+02:00", true),
            ("2026-04-03T10:00:00+02:00", false),
            ("2026-04-06T10:00:00+02:00", false),
            ("2026-05-14T10:00:00+02:00", false),
            ("2026-12-24T10:00:00+01:00", true),
        ],
    );
    let eves = WorkingHours {
        holidays: HolidayCalendar::SwedenWithEves,
        ..hours
    };
    check(&eves, &[("2026-12-24T10:00:00+01:00", false)]);
    let none = WorkingHours {
        holidays: HolidayCalendar::None,
        ..hours
    };
    check(&none, &[("2026-04-03T10:00:00+02:00", true)]);
}

#[test]
fn a_night_belongs_to_the_day_it_began() {
    check(
        &night_shift(),
        &[
            ("2026-03-02T03:00:00+01:00", false),
            ("2026-03-02T22:00:00+01:00", true),
            ("2026-03-03T05:59:00+01:00", true),
            ("2026-03-03T06:00:00+01:00", false),
            ("2026-03-06T23:00:00+01:00", true),
            ("2026-03-07T03:00:00+01:00", true),
            ("2026-03-07T22:00:00+01:00", false),
            ("2026-03-08T23:00:00+01:00", false),
        ],
    );
}

#[test]
fn a_holiday_night_is_not_working_time() {
    // Long Friday 2026 is 3 April; the Thursday before is a working day.
    check(
        &night_shift(),
        &[
            ("2026-04-02T22:00:00+02:00", true),
            ("2026-04-03T03:00:00+02:00", true),
            ("2026-04-03T22:00:00+02:00", false),
            ("2026-04-04T03:00:00+02:00", false),
        ],
    );
}

#[test]
fn wall_clock_ranges_on_daylight_saving_days() {
    let every_day = WorkingHours {
        days: Weekdays::ALL,
        range: TimeRange::parse("02:00-03:00").unwrap(),
        holidays: HolidayCalendar::None,
    };
    // The skipped hour never happens; the repeated one happens twice.
    assert_eq!(minutes_in(&every_day, "2026-03-28T22:00:00Z", 24), 0);
    assert_eq!(minutes_in(&every_day, "2026-10-24T22:00:00Z", 24), 120);
    assert_eq!(minutes_in(&every_day, "2026-01-09T22:00:00Z", 24), 60);

    // A 19:00-07:00 night lasts 11 hours in March and 13 in October.
    let nights = WorkingHours {
        range: TimeRange::parse("19:00-07:00").unwrap(),
        ..every_day
    };
    assert_eq!(minutes_in(&nights, "2026-03-28T12:00:00Z", 24), 11 * 60);
    assert_eq!(minutes_in(&nights, "2026-10-24T12:00:00Z", 24), 13 * 60);
}

#[test]
fn working_days() {
    let hours = WorkingHours::default();
    let day = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap();
    assert!(hours.is_working_day(day("2026-06-18")));
    assert!(hours.is_working_day(day("2026-06-19")));
    assert!(!hours.is_working_day(day("2026-06-20")));
    assert!(!hours.is_working_day(day("2026-06-21")));
    assert_eq!(previous_day(NaiveDate::MIN), NaiveDate::MIN);
}
