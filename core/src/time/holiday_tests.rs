use super::*;

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn listed(calendar: HolidayCalendar, year: i32) -> Vec<(String, &'static str)> {
    calendar
        .holidays_in(year)
        .into_iter()
        .map(|(day, holiday)| (day.to_string(), holiday.name()))
        .collect()
}

fn expected(list: &[(&str, &'static str)]) -> Vec<(String, &'static str)> {
    list.iter().map(|(d, n)| (d.to_string(), *n)).collect()
}

/// Every Swedish public holiday of 2026, by law (Easter Sunday 5 April).
const PUBLIC_2026: [(&str, &str); 13] = [
    ("2026-01-01", "Nyårsdagen"),
    ("2026-01-06", "Trettondedag jul"),
    ("2026-04-03", "Långfredagen"),
    ("2026-04-05", "Påskdagen"),
    ("2026-04-06", "Annandag påsk"),
    ("2026-05-01", "Första maj"),
    ("2026-05-14", "Kristi himmelsfärdsdag"),
    ("2026-05-24", "Pingstdagen"),
    ("2026-06-06", "Sveriges nationaldag"),
    ("2026-06-20", "Midsommardagen"),
    ("2026-10-31", "Alla helgons dag"),
    ("2026-12-25", "Juldagen"),
    ("2026-12-26", "Annandag jul"),
];

/// Every Swedish public holiday of 2027, by law (Easter Sunday 28 March).
const PUBLIC_2027: [(&str, &str); 13] = [
    ("2027-01-01", "Nyårsdagen"),
    ("2027-01-06", "Trettondedag jul"),
    ("2027-03-26", "Långfredagen"),
    ("2027-03-28", "Påskdagen"),
    ("2027-03-29", "Annandag påsk"),
    ("2027-05-01", "Första maj"),
    ("2027-05-06", "Kristi himmelsfärdsdag"),
    ("2027-05-16", "Pingstdagen"),
    ("2027-06-06", "Sveriges nationaldag"),
    ("2027-06-26", "Midsommardagen"),
    ("2027-11-06", "Alla helgons dag"),
    ("2027-12-25", "Juldagen"),
    ("2027-12-26", "Annandag jul"),
];

const EVES_2026: [(&str, &str); 3] = [
    ("2026-06-19", "Midsommarafton"),
    ("2026-12-24", "Julafton"),
    ("2026-12-31", "Nyårsafton"),
];

const EVES_2027: [(&str, &str); 3] = [
    ("2027-06-25", "Midsommarafton"),
    ("2027-12-24", "Julafton"),
    ("2027-12-31", "Nyårsafton"),
];

#[test]
fn swedish_public_holidays_2026_and_2027() {
    assert_eq!(
        listed(HolidayCalendar::Sweden, 2026),
        expected(&PUBLIC_2026)
    );
    assert_eq!(
        listed(HolidayCalendar::Sweden, 2027),
        expected(&PUBLIC_2027)
    );
}

#[test]
fn the_eves_count_only_in_the_eves_calendar() {
    for (year, public, eves) in [
        (2026, &PUBLIC_2026, &EVES_2026),
        (2027, &PUBLIC_2027, &EVES_2027),
    ] {
        let mut all = expected(public);
        all.extend(expected(eves));
        all.sort();
        assert_eq!(listed(HolidayCalendar::SwedenWithEves, year), all);
        for (day, name) in eves {
            assert!(!is_holiday(HolidayCalendar::Sweden, date(day)), "{day}");
            assert!(
                is_holiday(HolidayCalendar::SwedenWithEves, date(day)),
                "{day}"
            );
            let found = holiday_name(HolidayCalendar::SwedenWithEves, date(day));
            assert_eq!(found.as_deref(), Some(*name));
        }
    }
}

#[test]
fn ordinary_days_and_sundays_are_not_holidays() {
    for day in [
        "2026-03-02",
        "2026-04-04",
        "2026-06-21",
        "2026-11-01",
        "2027-12-27",
    ] {
        assert_eq!(
            HolidayCalendar::SwedenWithEves.holiday(date(day)),
            None,
            "{day}"
        );
    }
}

#[test]
fn the_none_calendar_has_no_holidays() {
    assert!(HolidayCalendar::None.holidays_in(2026).is_empty());
    assert!(!is_holiday(HolidayCalendar::None, date("2026-12-25")));
    assert_eq!(
        holiday_name(HolidayCalendar::None, date("2026-12-25")),
        None
    );
}

#[test]
fn names_for_explanations() {
    let name = holiday_name(HolidayCalendar::Sweden, date("2026-04-03"));
    assert_eq!(name.as_deref(), Some("Långfredagen"));
    assert_eq!(
        holiday_name(HolidayCalendar::Sweden, date("2026-04-07")),
        None
    );
    assert_eq!(Holiday::AllSaintsDay.to_string(), "Alla helgons dag");
}

#[test]
fn two_holidays_on_one_day() {
    // Easter 2008 was 23 March, so Ascension Day fell on 1 May.
    let day = date("2008-05-01");
    let both: Vec<_> = HolidayCalendar::Sweden.holidays_on(day).collect();
    assert_eq!(both, [Holiday::MayDay, Holiday::AscensionDay]);
    assert_eq!(HolidayCalendar::Sweden.holiday(day), Some(Holiday::MayDay));
    let name = holiday_name(HolidayCalendar::Sweden, day);
    assert_eq!(name.as_deref(), Some("Första maj, Kristi himmelsfärdsdag"));
}

#[test]
fn before_2005_whit_monday_not_the_national_day() {
    // Easter 2004 was 11 April: Pentecost 30 May, Whit Monday 31 May.
    let sweden = HolidayCalendar::Sweden;
    assert_eq!(
        sweden.holiday(date("2004-05-31")),
        Some(Holiday::WhitMonday)
    );
    assert_eq!(sweden.holiday(date("2004-06-06")), None);
    // Easter 2005 was 27 March: Whit Monday 16 May is a working day.
    assert_eq!(sweden.holiday(date("2005-05-16")), None);
    assert_eq!(
        sweden.holiday(date("2005-06-06")),
        Some(Holiday::NationalDay)
    );
}

#[test]
fn midsummer_and_all_saints_at_the_edges_of_their_weeks() {
    let sweden = HolidayCalendar::SwedenWithEves;
    // 2026: each on the earliest day its rule allows.
    assert_eq!(
        sweden.holiday(date("2026-06-19")),
        Some(Holiday::MidsummerEve)
    );
    assert_eq!(
        sweden.holiday(date("2026-06-20")),
        Some(Holiday::MidsummerDay)
    );
    assert_eq!(
        sweden.holiday(date("2026-10-31")),
        Some(Holiday::AllSaintsDay)
    );
    // 2021: each on the latest day; Saturday 19 June was an ordinary day.
    assert_eq!(sweden.holiday(date("2021-06-19")), None);
    assert_eq!(
        sweden.holiday(date("2021-06-25")),
        Some(Holiday::MidsummerEve)
    );
    assert_eq!(
        sweden.holiday(date("2021-06-26")),
        Some(Holiday::MidsummerDay)
    );
    assert_eq!(
        sweden.holiday(date("2021-11-06")),
        Some(Holiday::AllSaintsDay)
    );
    // 2020: all saints' day on 31 October, so 7 November is nothing.
    assert_eq!(
        sweden.holiday(date("2020-10-31")),
        Some(Holiday::AllSaintsDay)
    );
    assert_eq!(sweden.holiday(date("2020-11-07")), None);
}

#[test]
fn easter_sundays() {
    let known = [
        (1943, "1943-04-25"),
        (2008, "2008-03-23"),
        (2019, "2019-04-21"),
        (2026, "2026-04-05"),
        (2027, "2027-03-28"),
        (2038, "2038-04-25"),
        (2049, "2049-04-18"),
        (2285, "2285-03-22"),
    ];
    for (year, day) in known {
        assert_eq!(easter_sunday(year), Some(date(day)), "{year}");
    }
    assert_eq!(easter_sunday(1582), None);
    assert_eq!(easter_sunday(i32::MAX), None);
}

#[test]
fn every_year_has_its_holidays() {
    for year in 1900..=2999 {
        let count = HolidayCalendar::SwedenWithEves.holidays_in(year).len();
        assert_eq!(count, 16, "{year}");
    }
}

#[test]
fn calendar_names() {
    for calendar in HolidayCalendar::ALL {
        assert_eq!(HolidayCalendar::parse(calendar.keyword()), Ok(calendar));
        assert_eq!(calendar.to_string(), calendar.keyword());
    }
    assert_eq!(HolidayCalendar::default(), HolidayCalendar::Sweden);
    let error = HolidayCalendar::parse("se").unwrap_err();
    assert_eq!(error, TimeError::UnknownCalendar("se".to_string()));
    assert_eq!(error.code().code, "LV0704");
}
