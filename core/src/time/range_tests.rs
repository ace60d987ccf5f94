use super::*;

fn t(text: &str) -> TimeOfDay {
    TimeOfDay::parse(text).unwrap()
}

fn range(text: &str) -> TimeRange {
    TimeRange::parse(text).unwrap()
}

#[test]
fn times_of_day_parse_and_print() {
    assert_eq!(t("00:00").minutes(), 0);
    assert_eq!(t("07:30").minutes(), 450);
    assert_eq!(t("23:59").minutes(), 1439);
    assert_eq!(t(" 19:00 ").to_string(), "19:00");
    assert_eq!(t("24:00"), TimeOfDay::END_OF_DAY);
    assert_eq!(t("24:00").to_string(), "24:00");
    assert_eq!((t("08:05").hour(), t("08:05").minute()), (8, 5));
    assert_eq!("06:59".parse::<TimeOfDay>(), Ok(t("06:59")));
}

#[test]
fn bad_times_of_day_are_errors() {
    for text in [
        "", "7:00", "07:0", "0700", "24:01", "25:00", "12:60", "ab:cd", "07:00:00", "+7:00",
    ] {
        let error = TimeOfDay::parse(text).unwrap_err();
        assert_eq!(error, TimeError::BadTimeOfDay(text.to_string()), "{text}");
        assert_eq!(error.code().code, "LV0701");
    }
    assert_eq!(
        TimeOfDay::parse("25:00").unwrap_err().to_string(),
        "`25:00` is not a time of day"
    );
}

#[test]
fn constructors_check_their_bounds() {
    assert_eq!(TimeOfDay::new(24, 0), Some(TimeOfDay::END_OF_DAY));
    assert_eq!(TimeOfDay::new(24, 1), None);
    assert_eq!(TimeOfDay::new(23, 60), None);
    assert_eq!(TimeOfDay::from_minutes(1440), Some(TimeOfDay::END_OF_DAY));
    assert_eq!(TimeOfDay::from_minutes(1441), None);
}

#[test]
fn a_daytime_range_includes_its_start_and_excludes_its_end() {
    let day = range("07:00-17:00");
    assert!(!day.contains(t("06:59")));
    assert!(day.contains(t("07:00")));
    assert!(day.contains(t("16:59")));
    assert!(!day.contains(t("17:00")));
    assert!(!day.crosses_midnight());
    assert_eq!(day.minutes(), 600);
}

#[test]
fn a_range_across_midnight_holds_both_ends_of_the_day() {
    let night = range("19:00-07:00");
    assert!(night.crosses_midnight());
    assert!(!night.contains(t("18:59")));
    assert!(night.contains(t("19:00")));
    assert!(night.contains(t("23:30")));
    assert!(night.contains(t("23:59")));
    assert!(night.contains(t("00:00")));
    assert!(night.contains(t("06:59")));
    assert!(!night.contains(t("07:00")));
    assert!(!night.contains(t("12:00")));
    assert_eq!(night.minutes(), 720);
    assert!(night.began_yesterday(t("06:59")));
    assert!(!night.began_yesterday(t("23:30")));
    assert!(!night.began_yesterday(t("07:00")));
}

#[test]
fn equal_ends_make_an_empty_range() {
    let empty = range("07:00-07:00");
    assert!(empty.is_empty());
    assert_eq!(empty.minutes(), 0);
    for minute in 0..1440 {
        assert!(!empty.contains(TimeOfDay::from_minutes(minute).unwrap()));
    }
}

#[test]
fn the_whole_day_is_midnight_to_24() {
    let whole = range("00:00-24:00");
    assert_eq!(whole, TimeRange::WHOLE_DAY);
    assert!(!whole.is_empty() && !whole.crosses_midnight());
    assert_eq!(whole.minutes(), 1440);
    for minute in 0..1440 {
        assert!(whole.contains(TimeOfDay::from_minutes(minute).unwrap()));
    }
}

#[test]
fn ranges_ending_at_midnight() {
    let evening = range("19:00-24:00");
    assert!(evening.contains(t("23:59")) && !evening.contains(t("00:00")));
    assert_eq!(evening.minutes(), 300);
    let same = range("19:00-00:00");
    assert!(same.crosses_midnight());
    assert_eq!(same.minutes(), 300);
    for minute in 0..1440 {
        let time = TimeOfDay::from_minutes(minute).unwrap();
        assert_eq!(evening.contains(time), same.contains(time), "{time}");
    }
    assert!(!same.began_yesterday(t("00:00")));
}

#[test]
fn twenty_four_is_read_as_midnight() {
    assert!(range("00:00-01:00").contains(TimeOfDay::END_OF_DAY));
    assert!(!range("23:00-24:00").contains(TimeOfDay::END_OF_DAY));
}

#[test]
fn bad_ranges_are_errors() {
    for text in [
        "",
        "19:00",
        "19:00-",
        "19:00–07:00",
        "24:00-07:00",
        "7:00-19:00",
        "a-b",
    ] {
        let error = TimeRange::parse(text).unwrap_err();
        assert_eq!(error, TimeError::BadTimeRange(text.to_string()), "{text}");
        assert_eq!(error.code().code, "LV0702");
    }
    let error = TimeRange::new(TimeOfDay::END_OF_DAY, t("07:00")).unwrap_err();
    assert_eq!(error, TimeError::BadTimeRange("24:00-07:00".to_string()));
}

#[test]
fn ranges_print_as_they_parse() {
    for text in ["19:00-07:00", "00:00-24:00", "07:00-07:00", "08:15-16:45"] {
        assert_eq!(range(text).to_string(), text);
    }
    assert_eq!(range(" 19:00 - 07:00 ").to_string(), "19:00-07:00");
    assert_eq!(TimeRange::WORKING_DAY.to_string(), "07:00-17:00");
}

#[test]
fn every_error_has_help() {
    let errors = [
        TimeError::BadTimeOfDay("x".into()),
        TimeError::BadTimeRange("x".into()),
        TimeError::BadWeekday("x".into()),
        TimeError::UnknownCalendar("x".into()),
    ];
    let codes: Vec<_> = errors.iter().map(|e| e.code().code).collect();
    assert_eq!(codes, ["LV0701", "LV0702", "LV0703", "LV0704"]);
    assert!(errors.iter().all(|e| !e.help().is_empty()));
}
