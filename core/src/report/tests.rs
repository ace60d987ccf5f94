//! Tests of the printable forms over a small real evaluation.

use super::html::escape;
use super::*;
use crate::{Event, Options, RuleSet};
use chrono::{NaiveDate, TimeZone, Utc};

const RULES: &str = r#"
zone "Europe/Stockholm"
sample 1 findings per category
spot check 1 users, 2 events each where action == "read"

rule many_reads {
    title    "Many reads <of> one unit"
    category pattern
    severity medium
    where    action == "read" and patient != null
    group by user, unit per month
    alert    when count() >= 2
    explain  "{user} read {count} times"
}
"#;

/// A read by `user` at `unit`, at a UTC time in March 2026.
fn read(id: &str, user: &str, unit: &str, (day, hour): (u32, u32)) -> Event {
    let time = Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0).single();
    let mut event = Event::new(time.unwrap_or_default(), user, "read");
    event.id = Some(id.to_string());
    event.patient = Some("p1".to_string());
    event.unit = Some(unit.to_string());
    event
}

fn report() -> Report {
    let rules = RuleSet::from_source("r.vakt", RULES).unwrap();
    let events = [
        read("e1", "<script>x", "ward & 1", (2, 8)),
        read("e2", "<script>x", "ward & 1", (3, 8)),
        read("e3", "<script>x", "ward & 1", (7, 20)),
        read("e4", "u2", "w2", (4, 10)),
        read("e5", "u2", "w2", (4, 10)),
    ];
    let options = Options {
        period: NaiveDate::from_ymd_opt(2026, 3, 1),
        seed: Some("7".to_string()),
        organisation: Some("Vård & <Co>".to_string()),
        ..Options::default()
    };
    rules.evaluate(events, options)
}

#[test]
fn activity_counts_local_hours_and_weekdays() {
    let activity = report().activity;
    let mut hours = [0; 24];
    (hours[9], hours[11], hours[21]) = (2, 2, 1);
    assert_eq!(activity.by_hour, hours);
    assert_eq!(activity.by_weekday, [1, 1, 2, 0, 0, 1, 0]);
}

#[test]
fn the_report_names_the_holiday_data_and_organisation() {
    let report = report();
    assert_eq!(report.holidays.calendar, "sweden");
    assert_eq!(report.holidays.name, "loggvakt-holidays");
    assert_eq!(report.holidays.version, "1");
    assert_eq!(report.organisation.as_deref(), Some("Vård & <Co>"));
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect());
    rows.collect()
}

#[test]
fn csv_lists_findings_then_spot_checked_events() {
    let report = report();
    let rows = csv_rows(&report.to_csv());
    assert_eq!(rows[0], csv::COLUMNS);
    assert_eq!(rows.len(), 1 + 2 + 2);
    let kinds: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    let sampled = kinds.iter().filter(|k| **k == "sampled_finding").count();
    assert_eq!(sampled, 1);
    assert_eq!(kinds[2..], ["spot_check_event", "spot_check_event"]);

    // Sorted by key: unit `w2` comes before `ward & 1`.
    assert_eq!(rows[1][5], "unit=w2; user=u2");
    let first = &rows[2];
    assert_eq!(
        first[1..6],
        [
            "pattern",
            "many_reads",
            "Many reads <of> one unit",
            "medium",
            "unit=ward & 1; user=<script>x"
        ]
    );
    assert_eq!(first[6], "2026-03-01T00:00:00+01:00");
    assert_eq!(
        first[8..12],
        ["count=3", "<script>x read 3 times", "3", "e1 e2 e3"]
    );
}

#[test]
fn csv_draws_match_the_samples() {
    let report = report();
    let rows = csv_rows(&report.to_csv());
    let chosen = &report.samples.findings[0].selected[0];
    let row = rows.iter().find(|r| r[0] == "sampled_finding").unwrap();
    assert_eq!(row[12], chosen.draw);
    assert_eq!(row[2], chosen.rule);
    let spot = &report.samples.spot_check.as_ref().unwrap().users[0];
    let spot_rows: Vec<_> = rows.iter().filter(|r| r[0] == "spot_check_event").collect();
    for (row, event) in spot_rows.iter().zip(&spot.sampled) {
        assert_eq!(
            row[12..18],
            [
                event.draw.clone(),
                spot.user.clone(),
                event.id.clone().unwrap(),
                event.time.clone(),
                "read".into(),
                "p1".into()
            ]
        );
        assert!(row[1..12].iter().all(String::is_empty));
    }
}

#[test]
fn escape_covers_the_five_characters() {
    assert_eq!(
        escape(r#"<a href="x">'&'</a>"#),
        "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
    );
    assert_eq!(escape("vård 1"), "vård 1");
}

#[test]
fn html_escapes_every_user_text() {
    let html = report().to_html(&HtmlOptions::default());
    assert!(!html.contains("<script"), "unescaped user");
    assert!(html.contains("&lt;script&gt;x"));
    assert!(html.contains("Vård &amp; &lt;Co&gt;"));
    assert!(html.contains("Many reads &lt;of&gt; one unit"));
    assert!(html.contains("ward &amp; 1"));
}

#[test]
fn html_loads_nothing() {
    let html = report().to_html(&HtmlOptions::default());
    for needle in [
        "src=", "href=", "url(", "@import", "<link", "<img", "<script", "<iframe",
    ] {
        assert!(!html.contains(needle), "found `{needle}`");
    }
    let links = html.matches("http").count();
    let namespaces = html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count();
    assert_eq!(
        (links, namespaces),
        (4, 4),
        "only the SVG namespace names a URL"
    );
}

#[test]
fn html_charts_show_the_activity() {
    let html = report().to_html(&HtmlOptions::default());
    assert_eq!(html.matches("<svg").count(), 4);
    assert!(html.contains(r#"data-label="09" data-value="2""#));
    assert!(html.contains(r#"data-label="21" data-value="1""#));
    assert!(html.contains(r#"data-label="Wed" data-value="2""#));
    assert!(html.contains(r#"data-label="Breaks from ordinary patterns" data-value="2""#));
    assert!(html.contains(r#"data-label="Unauthorized access" data-value="0""#));
    assert!(html.contains(r#"data-label="ward &amp; 1" data-value="1""#));
}

#[test]
fn html_has_a_decision_row_per_sampled_case() {
    let html = report().to_html(&HtmlOptions::default());
    let cases = 1 + 2;
    assert_eq!(html.matches("<td class=\"blank\"></td>").count(), 2 * cases);
    assert!(html.contains("<th class=\"decision\">Decision</th>"));
    assert!(html.contains("<code>action == &quot;read&quot;</code>"));
    assert!(html.contains("<th>Signature</th>"));
}

#[test]
fn html_speaks_swedish_and_the_option_names_the_organisation() {
    let options = HtmlOptions {
        lang: Lang::Sv,
        organisation: Some("Region Norr".to_string()),
    };
    let html = report().to_html(&options);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"sv\">"));
    assert!(html.contains("<h2>Fall att granska</h2>"));
    assert!(html.contains("<th class=\"decision\">Beslut</th>"));
    assert!(html.contains(r#"data-label="ons" data-value="2""#));
    assert!(html.contains("<p class=\"org\">Region Norr</p>"));
    assert!(!html.contains("Vård &amp;"));
}

#[test]
fn html_is_the_same_every_time() {
    let (a, b) = (report(), report());
    let options = HtmlOptions::default();
    assert_eq!(a.to_html(&options), b.to_html(&options));
    assert_eq!(a.to_csv(), b.to_csv());
}
