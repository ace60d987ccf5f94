use super::*;

fn stockholm() -> Tz {
    chrono_tz::Europe::Stockholm
}

fn at(text: &str) -> LocalTime {
    let instant = DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc);
    LocalTime::new(instant, stockholm())
}

fn clock(local: LocalTime) -> String {
    format!(
        "{} {:02}:{:02}",
        local.date_text(),
        local.hour(),
        local.minute()
    )
}

#[test]
fn winter_and_summer_offsets() {
    let winter = at("2026-01-15T07:05:59Z");
    assert_eq!(clock(winter), "2026-01-15 08:05");
    assert_eq!(winter.time_of_day().to_string(), "08:05");
    assert_eq!(clock(at("2026-07-15T07:05:00Z")), "2026-07-15 09:05");
}

#[test]
fn the_local_date_can_differ_from_the_utc_date() {
    let local = at("2026-06-30T22:30:00Z");
    assert_eq!(clock(local), "2026-07-01 00:30");
    assert_eq!(local.weekday_name(), "wed");
}

#[test]
fn the_hour_skipped_in_march_is_never_read() {
    // 2026-03-29: clocks go from 02:00 +01:00 to 03:00 +02:00.
    assert_eq!(clock(at("2026-03-29T00:59:00Z")), "2026-03-29 01:59");
    assert_eq!(clock(at("2026-03-29T01:00:00Z")), "2026-03-29 03:00");
    let hours: Vec<u32> = (0..4)
        .map(|h| at(&format!("2026-03-29T{h:02}:30:00Z")).hour())
        .collect();
    assert_eq!(hours, [1, 3, 4, 5]);
}

#[test]
fn the_hour_repeated_in_october_is_read_twice() {
    // 2026-10-25: clocks go from 03:00 +02:00 back to 02:00 +01:00.
    let first = at("2026-10-25T00:30:00Z");
    let second = at("2026-10-25T01:30:00Z");
    assert_eq!(clock(first), "2026-10-25 02:30");
    assert_eq!(clock(second), "2026-10-25 02:30");
    assert_eq!(first.time_of_day(), second.time_of_day());
    assert_eq!(clock(at("2026-10-25T02:00:00Z")), "2026-10-25 03:00");
}

#[test]
fn iso_weekdays_and_names() {
    // 2026-03-02 is a Monday; the instants are local noon.
    let expected = [
        (1, "mon"),
        (2, "tue"),
        (3, "wed"),
        (4, "thu"),
        (5, "fri"),
        (6, "sat"),
        (7, "sun"),
    ];
    for (offset, (number, name)) in expected.into_iter().enumerate() {
        let local = at(&format!("2026-03-{:02}T11:00:00Z", 2 + offset));
        assert_eq!((local.iso_weekday(), local.weekday_name()), (number, name));
        assert_eq!(parse_weekday(name), Ok(local.weekday()));
    }
}

#[test]
fn iso_weeks_around_new_year() {
    let cases = [
        ("2026-01-01T12:00:00Z", 1, 2026),
        ("2026-12-28T12:00:00Z", 53, 2026),
        ("2026-12-31T12:00:00Z", 53, 2026),
        ("2027-01-03T12:00:00Z", 53, 2026),
        ("2027-01-04T12:00:00Z", 1, 2027),
        ("2024-12-30T12:00:00Z", 1, 2025),
        // Sunday 23:30 UTC is already Monday in Stockholm, a new week.
        ("2027-01-03T23:30:00Z", 1, 2027),
    ];
    for (text, week, year) in cases {
        let local = at(text);
        assert_eq!(
            (local.iso_week(), local.iso_week_year()),
            (week, year),
            "{text}"
        );
    }
}

#[test]
fn weekday_names_are_strict() {
    assert_eq!(parse_weekday(" sat "), Ok(Weekday::Sat));
    for text in ["Sat", "saturday", "lör", "", "sa"] {
        let error = parse_weekday(text).unwrap_err();
        assert_eq!(error, TimeError::BadWeekday(text.to_string()));
        assert_eq!(error.code().code, "LV0703");
    }
}

#[test]
fn weekday_sets() {
    let weekend: Weekdays = [Weekday::Sat, Weekday::Sun].into_iter().collect();
    assert!(weekend.contains(Weekday::Sun) && !weekend.contains(Weekday::Fri));
    assert_eq!(weekend.to_string(), "sat,sun");
    assert_eq!(
        Weekdays::MONDAY_TO_FRIDAY.to_string(),
        "mon,tue,wed,thu,fri"
    );
    assert_eq!(Weekdays::ALL.iter().count(), 7);
    assert_eq!(Weekdays::parse("sun, sat"), Ok(weekend));
    assert_eq!(
        Weekdays::parse("mon,tue,wed,thu,fri"),
        Ok(Weekdays::MONDAY_TO_FRIDAY)
    );
    assert_eq!(Weekdays::parse(""), Ok(Weekdays::NONE));
    assert!(Weekdays::NONE.is_empty() && Weekdays::default().is_empty());
    assert_eq!(
        Weekdays::parse("mon,fre"),
        Err(TimeError::BadWeekday("fre".to_string()))
    );
}
