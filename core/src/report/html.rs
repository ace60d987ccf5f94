//! The report as one self-contained HTML page for printing and signing.
//!
//! The page loads nothing: its style sheet and charts are inline, and it
//! has no script. Every text from the rules, the input or the caller is
//! escaped. Fixed texts come from the translation table in `text.rs`.

mod cases;
mod style;

use super::svg::{self, Bar};
use super::text::{Lang, Text, WEEKDAYS, fill};
use super::{Category, Digested, Report};
use crate::time::parse_zone;
use chrono::{DateTime, FixedOffset, TimeDelta};
use chrono_tz::Tz;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// How the HTML report is written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HtmlOptions {
    /// The language of the page's fixed texts.
    pub lang: Lang,
    /// The organisation named in the header; when `None`, the report's own
    /// `organisation`, if any.
    pub organisation: Option<String>,
}

/// How many units the findings-per-unit chart names; the rest are summed.
const UNIT_BARS: usize = 10;

impl Report {
    /// The report as a printable, self-contained HTML page.
    pub fn to_html(&self, options: &HtmlOptions) -> String {
        let organisation = options
            .organisation
            .as_deref()
            .or(self.organisation.as_deref());
        let page = Page {
            report: self,
            lang: options.lang,
            organisation,
            zone: parse_zone(&self.time_zone).unwrap_or(Tz::UTC),
        };
        page.render()
    }
}

/// Everything one rendering needs.
struct Page<'a> {
    report: &'a Report,
    lang: Lang,
    organisation: Option<&'a str>,
    zone: Tz,
}

impl Page<'_> {
    /// A fixed text, HTML-escaped.
    fn t(&self, text: Text) -> String {
        escape(text.get(self.lang))
    }

    /// A fixed text with placeholders filled by HTML `values`.
    fn tf(&self, text: Text, values: &[(&str, &str)]) -> String {
        fill(&self.t(text), values)
    }

    fn render(&self) -> String {
        let mut html = String::with_capacity(64 * 1024);
        html.push_str(&self.head());
        html.push_str(&self.header());
        html.push_str(&self.selection());
        html.push_str(&self.overview());
        html.push_str(&self.findings());
        html.push_str(&self.review());
        html.push_str(&self.sign_off());
        html.push_str("</body>\n</html>\n");
        html
    }

    fn head(&self) -> String {
        let title = match self.organisation {
            Some(name) => format!("{} – {}", self.t(Text::Title), escape(name)),
            None => self.t(Text::Title),
        };
        format!(
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <title>{title} {}</title>\n<style>{}</style>\n</head>\n<body>\n",
            self.lang.code(),
            escape(&self.period_text()),
            style::CSS
        )
    }

    fn header(&self) -> String {
        let mut html = String::from("<header>\n");
        if let Some(name) = self.organisation {
            let _ = writeln!(html, "<p class=\"org\">{}</p>", escape(name));
        }
        let _ = writeln!(html, "<h1>{}</h1>", self.t(Text::Title));
        let _ = writeln!(
            html,
            "<p class=\"subtitle\">{} · {}</p>",
            self.t(Text::Subtitle),
            escape(&self.period_text())
        );
        html.push_str("<table class=\"facts\">\n<tbody>\n");
        for (label, value) in self.facts() {
            let _ = writeln!(html, "<tr><th>{label}</th><td>{value}</td></tr>");
        }
        html + "</tbody>\n</table>\n</header>\n"
    }

    /// The header's rows: label and HTML value.
    fn facts(&self) -> Vec<(String, String)> {
        let r = self.report;
        let mut rows = Vec::new();
        if let Some(name) = self.organisation {
            rows.push((self.t(Text::Organisation), escape(name)));
        }
        rows.push((self.t(Text::Period), escape(&self.period_text())));
        rows.push((self.t(Text::TimeZone), escape(&r.time_zone)));
        rows.push((self.t(Text::RuleFiles), digests(&r.rules)));
        rows.push((self.t(Text::InputFiles), self.inputs()));
        rows.push((self.t(Text::Events), self.counts()));
        rows.push((self.t(Text::Seed), self.seed()));
        rows.push((self.t(Text::Holidays), self.holidays()));
        rows.push((self.t(Text::CountryData), self.countries()));
        rows.push((self.t(Text::Engine), escape(&r.run.engine_version)));
        rows.push((self.t(Text::Generated), escape(&r.run.generated_at)));
        rows
    }

    /// The period as local dates, the last day included.
    fn period_text(&self) -> String {
        let period = &self.report.period;
        match (period.start, period.end) {
            (Some(start), Some(end)) => {
                let last = end - TimeDelta::seconds(1);
                format!("{} – {}", start.date_naive(), last.date_naive())
            }
            _ => "–".to_string(),
        }
    }

    fn inputs(&self) -> String {
        let files = self.report.inputs.iter().map(|file| {
            let name = format!("{} ({})", file.name, file.format);
            digest_line(&name, &file.sha256)
        });
        files.collect::<Vec<_>>().join("<br>")
    }

    fn counts(&self) -> String {
        let input = &self.report.input;
        let parts = [
            (Text::Read, input.read),
            (Text::Evaluated, input.evaluated),
            (Text::Rejected, input.rejected),
            (Text::OutsidePeriod, input.outside_period),
            (Text::Ignored, input.ignored),
        ];
        let parts: Vec<String> = parts
            .iter()
            .map(|(text, n)| format!("<span class=\"count\">{n}</span> {}", self.t(*text)))
            .collect();
        parts.join(" · ")
    }

    fn seed(&self) -> String {
        match &self.report.seed {
            Some(seed) => format!("<span class=\"mono\">{}</span>", escape(seed)),
            None => self.t(Text::NoSeed),
        }
    }

    fn holidays(&self) -> String {
        let h = &self.report.holidays;
        format!(
            "<span class=\"mono\">{}</span> ({} {}): {}",
            escape(&h.calendar),
            escape(&h.name),
            escape(&h.version),
            escape(&h.basis)
        )
    }

    fn countries(&self) -> String {
        let data = self
            .report
            .context
            .as_ref()
            .and_then(|c| c.countries.as_ref());
        let Some(data) = data else {
            return self.t(Text::NoneGiven);
        };
        let parts = [&data.version, &data.date, &data.licence];
        let known: Vec<String> = parts
            .iter()
            .filter_map(|p| p.as_deref())
            .map(escape)
            .collect();
        format!("{} {}", escape(&data.name), known.join(", "))
    }

    fn selection(&self) -> String {
        let sampling = &self.report.sampling;
        let mut html = format!(
            "<section class=\"selection\">\n<h2>{}</h2>\n",
            self.t(Text::Selection)
        );
        let version = sampling.version.to_string();
        let method = format!("<span class=\"mono\">{}</span>", escape(&sampling.method));
        let intro = [("method", method.as_str()), ("version", version.as_str())];
        let _ = writeln!(html, "<p>{}</p>", self.tf(Text::SelectionMethod, &intro));
        let findings = match sampling.findings_per_category {
            Some(k) => self.tf(Text::SelectionFindings, &[("k", &k.to_string())]),
            None => self.t(Text::SelectionAllFindings),
        };
        let _ = writeln!(html, "<p>{findings}</p>");
        let _ = writeln!(html, "<p>{}</p>", self.spot_statement());
        html + "</section>\n"
    }

    fn spot_statement(&self) -> String {
        let Some(spot) = &self.report.sampling.spot_check else {
            return self.t(Text::SelectionNoSpot);
        };
        let population = format!("<code>{}</code>", escape(&spot.population));
        let (users, events) = (spot.users.to_string(), spot.events_per_user.to_string());
        let values = [
            ("users", users.as_str()),
            ("events", events.as_str()),
            ("population", population.as_str()),
        ];
        let mut text = self.tf(Text::SelectionSpot, &values);
        if let Some(drawn) = &self.report.samples.spot_check {
            let (users, events) = (
                drawn.population_users.to_string(),
                drawn.population_events.to_string(),
            );
            let values = [("users", users.as_str()), ("events", events.as_str())];
            text.push(' ');
            text.push_str(&self.tf(Text::SelectionSpotPopulation, &values));
        }
        text
    }

    fn overview(&self) -> String {
        let charts = [
            (
                Text::ChartHour,
                svg::columns(&self.t(Text::ChartHour), &self.hours(), 3),
            ),
            (
                Text::ChartWeekday,
                svg::columns(&self.t(Text::ChartWeekday), &self.weekdays(), 1),
            ),
            (
                Text::ChartCategory,
                svg::bars(&self.t(Text::ChartCategory), &self.categories()),
            ),
            (
                Text::ChartUnit,
                svg::bars(&self.t(Text::ChartUnit), &self.units()),
            ),
        ];
        let mut html = format!(
            "<section class=\"overview\">\n<h2>{}</h2>\n<div class=\"charts\">\n",
            self.t(Text::Overview)
        );
        for (title, chart) in charts {
            let _ = writeln!(
                html,
                "<figure><figcaption>{}</figcaption>{chart}</figure>",
                self.t(title)
            );
        }
        let zone = escape(&self.report.time_zone);
        let note = self.tf(Text::UnitNote, &[("zone", &zone)]);
        let _ = writeln!(html, "</div>\n<p class=\"note\">{note}</p>");
        html + "</section>\n"
    }

    fn hours(&self) -> Vec<Bar> {
        let hours = self.report.activity.by_hour.iter().enumerate();
        hours
            .map(|(h, n)| Bar::new(format!("{h:02}"), *n))
            .collect()
    }

    fn weekdays(&self) -> Vec<Bar> {
        let days = WEEKDAYS.iter().zip(self.report.activity.by_weekday);
        days.map(|(day, n)| Bar::new(day.get(self.lang), n))
            .collect()
    }

    fn categories(&self) -> Vec<Bar> {
        let counts = self.report.counts_by_category();
        counts
            .iter()
            .map(|(category, n)| Bar::new(self.category_title(category), *n as u64))
            .collect()
    }

    /// Findings per unit in their key, the largest first; past
    /// [`UNIT_BARS`] bars the smallest are summed under `…`.
    fn units(&self) -> Vec<Bar> {
        let no_unit = Text::NoUnit.get(self.lang).to_string();
        let mut counts: BTreeMap<String, u64> = BTreeMap::new();
        for finding in &self.report.findings {
            let unit = finding.key.get("unit").cloned();
            *counts
                .entry(unit.unwrap_or_else(|| no_unit.clone()))
                .or_default() += 1;
        }
        let mut bars: Vec<Bar> = counts.into_iter().map(|(u, n)| Bar::new(u, n)).collect();
        bars.sort_by(|a, b| b.value.cmp(&a.value).then_with(|| a.label.cmp(&b.label)));
        if bars.len() > UNIT_BARS {
            let rest: u64 = bars.drain(UNIT_BARS - 1..).map(|b| b.value).sum();
            bars.push(Bar::new("…", rest));
        }
        bars
    }

    /// A category's title: translated when built in, else as declared.
    fn category_title(&self, category: &Category) -> String {
        let text = match category {
            Category::Unauthorized => Text::Unauthorized,
            Category::Narcotics => Text::Narcotics,
            Category::Pattern => Text::Pattern,
            Category::Relation => Text::Relation,
            Category::Declared(_) => {
                let info = self.report.categories.iter().find(|c| &c.name == category);
                return info.map_or_else(|| category.to_string(), |c| c.title.clone());
            }
        };
        text.get(self.lang).to_string()
    }

    /// A local time as `YYYY-MM-DD HH:MM`.
    fn local(&self, time: &DateTime<FixedOffset>) -> String {
        time.with_timezone(&self.zone)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }

    fn sign_off(&self) -> String {
        let mut html = format!(
            "<section class=\"sign\">\n<h2>{}</h2>\n<p>{}</p>\n<table class=\"lines\"><tbody>\n",
            self.t(Text::SignOff),
            self.t(Text::SignStatement)
        );
        for text in [Text::Name, Text::Date, Text::Signature] {
            let _ = writeln!(html, "<tr><th>{}</th><td></td></tr>", self.t(text));
        }
        html + "</tbody></table>\n</section>\n"
    }
}

/// Rule files, one a line, each with its digest.
fn digests(files: &[Digested]) -> String {
    let lines = files.iter().map(|f| digest_line(&f.name, &f.sha256));
    lines.collect::<Vec<_>>().join("<br>")
}

fn digest_line(name: &str, sha256: &str) -> String {
    format!(
        "{}<br><span class=\"digest\">{}</span>",
        escape(name),
        escape(sha256)
    )
}

/// `text` with the five characters that mean something in HTML escaped,
/// safe in element content and in quoted attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}
