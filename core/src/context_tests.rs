use super::*;
use chrono::{Duration, NaiveTime, Weekday, WeekdaySet};
use ipnet::IpNet;
use proptest::prelude::*;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .unwrap()
}

fn local(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

fn net(text: &str) -> IpNet {
    text.parse().unwrap()
}

fn time(text: &str) -> NaiveTime {
    NaiveTime::parse_from_str(text, "%H:%M").unwrap()
}

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn build(fill: impl FnOnce(&mut ContextBuilder)) -> Context {
    let mut builder = Context::builder();
    fill(&mut builder);
    builder.build().unwrap()
}

/// The code, message and help of every problem `fill` causes.
fn problems(fill: impl FnOnce(&mut ContextBuilder)) -> Vec<(&'static str, String, String)> {
    let mut builder = Context::builder();
    fill(&mut builder);
    let error = builder.build().unwrap_err();
    let triple = |d: Diagnostic| (d.code, d.message, d.help.unwrap_or_default());
    error.diagnostics.into_iter().map(triple).collect()
}

/// Anna works at ward-4; she has her own relation to p1 in March, and
/// ward-4 has one to p2 from 1 March, open-ended.
fn ward() -> Context {
    build(|b| {
        b.add_user(User::new("anna").with_unit("ward-1").with_unit("ward-4"))
            .add_user(User::new("bo").with_unit("ward-9"))
            .add_relation(Relation::user("anna", "p1").with_validity(
                Some(at("2026-03-01T00:00:00Z")),
                Some(at("2026-04-01T00:00:00Z")),
            ))
            .add_relation(
                Relation::unit("ward-4", "p2")
                    .with_validity(Some(at("2026-03-01T00:00:00Z")), None),
            );
    })
}

#[test]
fn a_user_relation_holds_from_its_start_to_just_before_its_end() {
    let context = ward();
    let related = |time: &str| context.related("anna", "p1", at(time));
    assert!(!related("2026-02-28T23:59:59.999999999Z"));
    assert!(related("2026-03-01T00:00:00Z"));
    assert!(related("2026-03-31T23:59:59.999999999Z"));
    assert!(!related("2026-04-01T00:00:00Z"));
}

#[test]
fn a_unit_relation_holds_for_users_of_that_unit_only() {
    let context = ward();
    assert!(context.related("anna", "p2", at("2026-03-01T00:00:00Z")));
    assert!(context.related("anna", "p2", at("2030-01-01T00:00:00Z")));
    assert!(!context.related("anna", "p2", at("2026-02-28T23:59:59Z")));
    assert!(!context.related("bo", "p2", at("2026-03-15T12:00:00Z")));
    assert!(!context.related("nobody", "p2", at("2026-03-15T12:00:00Z")));
}

#[test]
fn a_relation_is_about_one_patient() {
    let context = ward();
    assert!(!context.related("anna", "p3", at("2026-03-15T12:00:00Z")));
    assert!(!context.related("bo", "p1", at("2026-03-15T12:00:00Z")));
}

#[test]
fn an_expired_relation_does_not_hide_a_later_one() {
    let context = build(|b| {
        b.add_relation(Relation::user("cai", "p1").with_validity(
            Some(at("2025-01-01T00:00:00Z")),
            Some(at("2025-02-01T00:00:00Z")),
        ))
        .add_relation(Relation::user("cai", "p1").with_validity(
            Some(at("2025-06-01T00:00:00Z")),
            Some(at("2025-07-01T00:00:00Z")),
        ));
    });
    let related = |time: &str| context.related("cai", "p1", at(time));
    assert!(related("2025-01-15T00:00:00Z"));
    assert!(!related("2025-03-15T00:00:00Z"));
    assert!(related("2025-06-15T00:00:00Z"));
    assert!(!related("2025-07-01T00:00:00Z"));
}

#[test]
fn open_ends_are_unbounded_and_equal_ends_are_never_valid() {
    let cut = at("2026-03-01T00:00:00Z");
    let context = build(|b| {
        b.add_relation(Relation::user("a", "p").with_validity(None, Some(cut)))
            .add_relation(Relation::user("b", "p"))
            .add_relation(Relation::user("c", "p").with_validity(Some(cut), Some(cut)));
    });
    assert!(context.related("a", "p", cut - Duration::days(10_000)));
    assert!(!context.related("a", "p", cut));
    assert!(context.related("b", "p", cut));
    assert!(!context.related("c", "p", cut));
}

#[test]
fn relation_validity_on_the_relation_itself() {
    let relation = Relation::unit("ward-4", "p1").with_validity(
        Some(at("2026-03-01T00:00:00Z")),
        Some(at("2026-03-02T00:00:00Z")),
    );
    assert_eq!(relation.holder, Holder::Unit("ward-4".to_string()));
    assert!(relation.is_valid_at(at("2026-03-01T00:00:00Z")));
    assert!(!relation.is_valid_at(at("2026-03-02T00:00:00Z")));
}

#[test]
fn users_answer_with_what_was_given() {
    let context = build(|b| {
        b.add_user(
            User::new("anna")
                .with_unit("ward-4")
                .with_role("nurse")
                .with_role("charge")
                .with_permission("journal.read"),
        );
    });
    assert!(context.is_known_user("anna"));
    assert_eq!(context.user_units("anna"), ["ward-4"]);
    assert_eq!(context.user_roles("anna"), ["nurse", "charge"]);
    assert_eq!(context.user_permissions("anna"), ["journal.read"]);
    assert_eq!(context.user("anna").map(|u| u.id.as_str()), Some("anna"));
}

#[test]
fn unknown_ids_answer_empty_or_none() {
    let context = build(|b| {
        b.add_user(User::new("anna"));
        b.add_patient(Patient::new("p1"));
    });
    assert!(!context.is_known_user("bo"));
    assert!(context.user_units("bo").is_empty());
    assert!(context.user_roles("bo").is_empty());
    assert!(context.user_permissions("bo").is_empty());
    assert_eq!(context.employed_on("bo", date("2026-03-01")), None);
    assert_eq!(context.on_shift("bo", local("2026-03-02 10:00")), None);
    assert!(!context.is_known_patient("p2"));
    assert_eq!(context.patient_protected("p2"), None);
    assert_eq!(context.patient_media_interest("p2"), None);
    assert!(context.patient_units("p2").is_empty());
    assert!(context.patient("p2").is_none());
    assert!(context.list("nope").is_none());
    assert_eq!(context.country(ip("10.0.0.1")), None);
}

#[test]
fn an_empty_context_knows_no_one() {
    let context = Context::default();
    assert!(!context.is_known_user("anna"));
    assert!(!context.related("anna", "p1", at("2026-03-01T00:00:00Z")));
}

#[test]
fn patients_answer_with_what_was_given() {
    let context = build(|b| {
        b.add_patient(Patient::new("p1").with_protected(true).with_unit("ward-4"))
            .add_patient(Patient::new("p2").with_media_interest(true));
    });
    assert_eq!(context.patient_protected("p1"), Some(true));
    assert_eq!(context.patient_media_interest("p1"), Some(false));
    assert_eq!(context.patient_units("p1"), ["ward-4"]);
    assert_eq!(context.patient_protected("p2"), Some(false));
    assert_eq!(context.patient_media_interest("p2"), Some(true));
}

#[test]
fn employment_includes_its_first_and_last_day() {
    let from = Some(date("2025-09-01"));
    let to = Some(date("2026-02-28"));
    let context = build(|b| {
        b.add_user(User::new("anna").with_employment(from, to))
            .add_user(User::new("bo").with_employment(from, None))
            .add_user(User::new("cai"));
    });
    let employed = |user: &str, day: &str| context.employed_on(user, date(day));
    assert_eq!(employed("anna", "2025-08-31"), Some(false));
    assert_eq!(employed("anna", "2025-09-01"), Some(true));
    assert_eq!(employed("anna", "2026-02-28"), Some(true));
    assert_eq!(employed("anna", "2026-03-01"), Some(false));
    assert_eq!(employed("bo", "2099-01-01"), Some(true));
    assert_eq!(employed("cai", "1990-01-01"), Some(true));
}

fn days(list: &[Weekday]) -> WeekdaySet {
    list.iter().copied().collect()
}

fn scheduled() -> Context {
    use Weekday::*;
    let day = Shift::new(
        days(&[Mon, Tue, Wed, Thu, Fri]),
        time("07:00"),
        time("16:00"),
    );
    let night = Shift::new(days(&[Fri, Sun]), time("22:00"), time("06:00"));
    build(|b| {
        b.add_user(User::new("anna").with_schedule(Schedule::new([day, night])))
            .add_user(User::new("bo"));
    })
}

#[test]
fn a_day_shift_starts_inclusive_and_ends_exclusive() {
    // 2026-03-02 is a Monday.
    let context = scheduled();
    let on = |when: &str| context.on_shift("anna", local(when));
    assert_eq!(on("2026-03-02 06:59"), Some(false));
    assert_eq!(on("2026-03-02 07:00"), Some(true));
    assert_eq!(on("2026-03-02 15:59"), Some(true));
    assert_eq!(on("2026-03-02 16:00"), Some(false));
    assert_eq!(on("2026-03-07 10:00"), Some(false));
}

#[test]
fn a_night_shift_crosses_midnight_from_its_start_day() {
    let context = scheduled();
    let on = |when: &str| context.on_shift("anna", local(when));
    // Friday night into Saturday.
    assert_eq!(on("2026-03-06 21:59"), Some(false));
    assert_eq!(on("2026-03-06 22:00"), Some(true));
    assert_eq!(on("2026-03-07 00:00"), Some(true));
    assert_eq!(on("2026-03-07 05:59"), Some(true));
    assert_eq!(on("2026-03-07 06:00"), Some(false));
    // Thursday has no night shift, so Friday early morning is off.
    assert_eq!(on("2026-03-06 03:00"), Some(false));
    // Sunday night wraps into Monday morning.
    assert_eq!(on("2026-03-08 23:00"), Some(true));
    assert_eq!(on("2026-03-09 05:00"), Some(true));
    assert_eq!(on("2026-03-07 23:00"), Some(false));
}

#[test]
fn a_shift_ending_when_it_starts_lasts_a_whole_day() {
    let shift = Shift::new(
        WeekdaySet::single(Weekday::Wed),
        time("08:00"),
        time("08:00"),
    );
    assert!(!shift.covers(local("2026-03-04 07:59")));
    assert!(shift.covers(local("2026-03-04 08:00")));
    assert!(shift.covers(local("2026-03-05 07:59")));
    assert!(!shift.covers(local("2026-03-05 08:00")));
}

#[test]
fn a_user_without_schedule_is_neither_on_nor_off_shift() {
    assert_eq!(scheduled().on_shift("bo", local("2026-03-02 10:00")), None);
}

fn lists() -> Context {
    build(|b| {
        b.add_cidr_list(
            "clinic",
            [
                "10.0.0.0/8",
                "192.168.1.0/24",
                "2001:db8::/32",
                "172.16.5.4",
                "10.2.0.0/16",
            ],
        )
        .add_cidr_list("mapped", ["::ffff:192.168.0.0/112"])
        .add_cidr_list("everything", ["0.0.0.0/0"])
        .add_text_list("drugs", ["morfin", "oxykodon", "morfin"]);
    })
}

#[test]
fn cidr_lists_hold_v4_and_v6_ranges() {
    let context = lists();
    let clinic = context.list("clinic").unwrap();
    assert!(clinic.contains_ip(ip("10.255.255.255")));
    assert!(clinic.contains_ip(ip("192.168.1.77")));
    assert!(!clinic.contains_ip(ip("192.168.2.1")));
    assert!(!clinic.contains_ip(ip("11.0.0.0")));
    assert!(clinic.contains_ip(ip("2001:db8:ffff::1")));
    assert!(!clinic.contains_ip(ip("2001:db9::1")));
    assert!(clinic.contains_ip(ip("172.16.5.4")));
    assert!(!clinic.contains_ip(ip("172.16.5.5")));
    assert_eq!((clinic.kind(), clinic.len()), (ListKind::Cidr, 5));
}

#[test]
fn mapped_addresses_match_v4_ranges() {
    let context = lists();
    let clinic = context.list("clinic").unwrap();
    assert!(clinic.contains_ip(ip("::ffff:10.1.2.3")));
    assert!(!clinic.contains_ip(ip("::ffff:11.1.2.3")));
    // A range written as mapped IPv6 is the IPv4 range it stands for.
    let mapped = context.list("mapped").unwrap();
    assert!(mapped.contains_ip(ip("192.168.40.1")));
    assert!(mapped.contains_ip(ip("::ffff:192.168.40.1")));
    assert!(!mapped.contains_ip(ip("192.169.0.1")));
    let everything = context.list("everything").unwrap();
    assert!(everything.contains_ip(ip("::ffff:8.8.8.8")));
    assert!(!everything.contains_ip(ip("2001:db8::1")));
}

#[test]
fn text_lists_match_exactly() {
    let context = lists();
    let drugs = context.list("drugs").unwrap();
    assert!(drugs.contains_text("morfin"));
    assert!(!drugs.contains_text("Morfin"));
    assert!(!drugs.contains_text("morfi"));
    assert!(!drugs.contains_ip(ip("10.0.0.1")));
    assert_eq!(
        (drugs.name(), drugs.kind(), drugs.len()),
        ("drugs", ListKind::Text, 2)
    );
    assert!(!context.list("clinic").unwrap().contains_text("10.0.0.0/8"));
}

#[test]
fn bad_ranges_are_reported_with_the_list_and_text() {
    let found = problems(|b| {
        b.add_cidr_list(
            "vpn",
            ["10.0.0/8", "10.1.0.0/8", "10.0.0.0/33", " 10.9.0.0/16 "],
        );
    });
    let not_a_range = "write a range like `10.0.0.0/8` or `2001:db8::/32`".to_string();
    assert_eq!(
        found,
        [
            (
                "LV0504",
                "list `vpn` has `10.0.0/8`, which is not an address range".to_string(),
                not_a_range.clone()
            ),
            (
                "LV0504",
                "list `vpn` has `10.1.0.0/8`, which has bits set after the prefix".to_string(),
                "did you mean `10.0.0.0/8`?".to_string()
            ),
            (
                "LV0504",
                "list `vpn` has `10.0.0.0/33`, which is not an address range".to_string(),
                not_a_range
            ),
        ]
    );
}

#[test]
fn duplicates_are_reported_in_order_and_all_at_once() {
    let found = problems(|b| {
        b.add_user(User::new("anna"))
            .add_patient(Patient::new("p1"))
            .add_user(User::new("anna"))
            .add_patient(Patient::new("p1"))
            .add_text_list("vip", ["a"])
            .add_cidr_list("vip", ["10.0.0.0/8"]);
    });
    assert_eq!(
        found,
        [
            (
                "LV0501",
                "user `anna` is given twice".to_string(),
                "give each user once; merge the two entries".to_string()
            ),
            (
                "LV0502",
                "patient `p1` is given twice".to_string(),
                "give each patient once; merge the two entries".to_string()
            ),
            (
                "LV0505",
                "list `vip` is given twice".to_string(),
                "give each list once; merge the two entries".to_string()
            ),
        ]
    );
}

#[test]
fn periods_that_end_before_they_start_are_reported() {
    let found = problems(|b| {
        let (early, late) = (at("2026-03-01T00:00:00Z"), at("2026-03-02T00:00:00Z"));
        b.add_relation(Relation::user("anna", "p1").with_validity(Some(late), Some(early)))
            .add_relation(Relation::unit("ward-4", "p2").with_validity(Some(late), Some(early)))
            .add_user(
                User::new("bo").with_employment(Some(date("2026-03-02")), Some(date("2026-03-01"))),
            );
    });
    let codes: Vec<_> = found.iter().map(|(code, _, _)| *code).collect();
    let messages: Vec<_> = found
        .iter()
        .map(|(_, message, _)| message.as_str())
        .collect();
    assert_eq!(codes, ["LV0503"; 3]);
    assert_eq!(
        messages,
        [
            "care relation from user `anna` to patient `p1` ends before it starts",
            "care relation from unit `ward-4` to patient `p2` ends before it starts",
            "employment of user `bo` ends before it starts",
        ]
    );
}

#[test]
fn the_error_summarises_its_problems() {
    let mut builder = Context::builder();
    builder.add_user(User::new("a")).add_user(User::new("a"));
    let one = builder.build().unwrap_err();
    assert_eq!(one.to_string(), "[LV0501] user `a` is given twice");

    let mut builder = Context::builder();
    builder.add_cidr_list("l", ["x", "y"]);
    let two = builder.build().unwrap_err();
    assert_eq!(
        two.to_string(),
        "[LV0504] list `l` has `x`, which is not an address range (and 1 more)"
    );
}

fn countries() -> CountryRanges {
    CountryRanges::new([
        (net("10.0.0.0/8"), "SE"),
        (net("10.1.0.0/16"), "no"),
        (net("10.1.2.0/24"), "DK"),
        (net("10.1.2.0/24"), "dk"),
        (net("2001:db8::/32"), "FI"),
        (net("2001:db8:1::/48"), "IS"),
    ])
    .unwrap()
}

#[test]
fn the_longest_range_decides_the_country() {
    let table = countries();
    assert_eq!(table.country(ip("10.200.0.1")), Some("SE"));
    assert_eq!(table.country(ip("10.1.3.3")), Some("NO"));
    assert_eq!(table.country(ip("10.1.2.3")), Some("DK"));
    assert_eq!(table.country(ip("11.0.0.1")), None);
    assert_eq!(table.country(ip("2001:db8:2::1")), Some("FI"));
    assert_eq!(table.country(ip("2001:db8:1::1")), Some("IS"));
    assert_eq!(table.country(ip("::ffff:10.1.2.3")), Some("DK"));
    assert_eq!(table.country(ip("2001:db9::1")), None);
}

#[test]
fn a_context_asks_its_country_lookup() {
    let shared = Arc::new(countries());
    let context = build(|b| {
        b.set_country_lookup(Arc::clone(&shared));
    });
    assert_eq!(context.country(ip("10.1.2.3")), Some("DK"));
    assert_eq!(context.country(ip("192.0.2.1")), None);
}

#[test]
fn any_type_can_look_countries_up() {
    struct Everywhere;
    impl CountryLookup for Everywhere {
        fn country(&self, _: IpAddr) -> Option<&str> {
            Some("SE")
        }
    }
    let context = build(|b| {
        b.set_country_lookup(Everywhere);
    });
    assert_eq!(context.country(ip("2001:db8::1")), Some("SE"));
}

#[test]
fn bad_and_conflicting_countries_are_reported() {
    let error = CountryRanges::new([
        (net("10.0.0.0/8"), "SE"),
        (net("10.0.0.0/8"), "NO"),
        (net("10.1.0.0/16"), "Sweden"),
    ])
    .unwrap_err();
    let found: Vec<_> = error
        .diagnostics
        .iter()
        .map(|d| (d.code, d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "LV0507",
                "range `10.0.0.0/8` is given two countries, `SE` and `NO`"
            ),
            (
                "LV0506",
                "range `10.1.0.0/16` has country `Sweden`, which is not a two-letter code"
            ),
        ]
    );
}

/// The longest stored range holding `ip`, by trying every range.
fn longest_by_scan(nets: &[(IpNet, usize)], ip: IpAddr) -> Option<usize> {
    let holding = nets.iter().filter(|(net, _)| net.contains(&ip));
    holding
        .max_by_key(|(net, _)| net.prefix_len())
        .map(|(_, value)| *value)
}

proptest! {
    #[test]
    fn prefix_table_agrees_with_a_scan(
        ranges in proptest::collection::vec((any::<u32>(), 0u8..=32), 0..40),
        probes in proptest::collection::vec(any::<u32>(), 1..40),
    ) {
        let mut table = PrefixTable::default();
        let mut kept = Vec::new();
        for (value, (bits, len)) in ranges.into_iter().enumerate() {
            let net = IpNet::new(IpAddr::from(bits.to_be_bytes()), len).unwrap().trunc();
            if table.insert(net, value).is_ok() {
                kept.push((net, value));
            }
        }
        // Random addresses rarely fall in long ranges: probe the ends too.
        let random = probes.into_iter().map(|bits| IpAddr::from(bits.to_be_bytes()));
        let ends = kept.iter().flat_map(|(net, _)| [net.network(), net.broadcast()]);
        for ip in random.chain(ends) {
            prop_assert_eq!(table.longest(ip).copied(), longest_by_scan(&kept, ip));
        }
    }
}

#[test]
fn a_context_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync + Clone>() {}
    shareable::<Context>();
    shareable::<List>();
}
