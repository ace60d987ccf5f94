use super::*;

fn stockholm() -> Tz {
    chrono_tz::Europe::Stockholm
}

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

#[test]
fn offset_less_time_is_local() {
    let t = parse_timestamp("2026-01-15 08:00:00", stockholm());
    assert_eq!(t, Some(utc("2026-01-15T07:00:00Z")));
    let t = parse_timestamp("2026-07-15T08:00:00", stockholm());
    assert_eq!(t, Some(utc("2026-07-15T06:00:00Z")));
}

#[test]
fn rfc3339_keeps_its_offset() {
    let t = parse_timestamp("2026-01-15T08:00:00+05:00", stockholm());
    assert_eq!(t, Some(utc("2026-01-15T03:00:00Z")));
}

#[test]
fn skipped_and_repeated_hours() {
    // 2026-03-29 02:30 does not exist in Stockholm; read with +01:00.
    let skipped = parse_timestamp("2026-03-29 02:30:00", stockholm());
    assert_eq!(skipped, Some(utc("2026-03-29T01:30:00Z")));
    // 2026-10-25 02:30 happens twice; the earlier (+02:00) is chosen.
    let repeated = parse_timestamp("2026-10-25 02:30:00", stockholm());
    assert_eq!(repeated, Some(utc("2026-10-25T00:30:00Z")));
}

#[test]
fn day_windows_across_dst_have_local_length() {
    let (start, end) = Calendar::Day.window(stockholm(), utc("2026-03-29T12:00:00Z"));
    assert_eq!(start, utc("2026-03-28T23:00:00Z"));
    assert_eq!((end - start).num_hours(), 23);
    let (start, end) = Calendar::Day.window(stockholm(), utc("2026-10-25T12:00:00Z"));
    assert_eq!(start, utc("2026-10-24T22:00:00Z"));
    assert_eq!((end - start).num_hours(), 25);
}

#[test]
fn week_and_month_windows() {
    let (start, end) = Calendar::Week.window(stockholm(), utc("2026-03-05T12:00:00Z"));
    assert_eq!(start, utc("2026-03-01T23:00:00Z"));
    assert_eq!(end, utc("2026-03-08T23:00:00Z"));
    // 2026-03-31T22:30Z is already 1 April local time.
    let (start, _) = Calendar::Month.window(stockholm(), utc("2026-03-31T22:30:00Z"));
    assert_eq!(start, utc("2026-03-31T22:00:00Z"));
}

#[test]
fn labels() {
    assert_eq!(Calendar::Day.label(date(2026, 3, 4)), "2026-03-04");
    assert_eq!(Calendar::Week.label(date(2026, 3, 2)), "2026-W10");
    assert_eq!(Calendar::Month.label(date(2026, 3, 1)), "2026-03");
}

#[test]
fn months() {
    assert_eq!(parse_month("2026-02"), Some(date(2026, 2, 1)));
    assert_eq!(parse_month("2026-13"), None);
    assert_eq!(parse_month("26-02"), None);
}

#[test]
fn white_space_is_trimmed_and_odd_years_refused() {
    let t = parse_timestamp(" 2026-01-15T08:00:00Z ", stockholm());
    assert_eq!(t, Some(utc("2026-01-15T08:00:00Z")));
    assert_eq!(
        parse_timestamp("0001-01-01T00:00:00+01:00", stockholm()),
        None
    );
    assert_eq!(parse_timestamp("9999-12-31T23:59:59Z", stockholm()), None);
    assert!(parse_timestamp("1900-01-01T00:00:00Z", stockholm()).is_some());
}
