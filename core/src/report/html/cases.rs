//! The page's tables: findings by category, and the cases for review.

use super::{Page, escape};
use crate::report::csv::{pairs, values};
use crate::report::text::Text;
use crate::report::{CategoryInfo, Finding, SampledFinding, SpotEvent, SpotUserSample};
use crate::rule::Level;
use chrono::{DateTime, Utc};
use std::fmt::Write as _;

impl Page<'_> {
    /// Every category in force with its findings, built-in ones always.
    pub(super) fn findings(&self) -> String {
        let mut html = format!(
            "<section class=\"findings\">\n<h2>{}</h2>\n",
            self.t(Text::Findings)
        );
        if self.report.findings.iter().any(|f| f.sampled) {
            let _ = writeln!(html, "<p class=\"note\">{}</p>", self.t(Text::SampledNote));
        }
        for category in &self.report.categories {
            html.push_str(&self.category_findings(category));
        }
        html + "</section>\n"
    }

    fn category_findings(&self, category: &CategoryInfo) -> String {
        let findings: Vec<&Finding> = self
            .report
            .findings
            .iter()
            .filter(|f| f.category == category.name)
            .collect();
        if findings.is_empty() && category.name.built_in_title().is_none() {
            return String::new();
        }
        let count = self.tf(Text::FindingsCount, &[("n", &findings.len().to_string())]);
        let title = escape(&self.category_title(&category.name));
        let mut html = format!("<h3>{title} <span class=\"count\">({count})</span></h3>\n");
        if findings.is_empty() {
            return html + &format!("<p>{}</p>\n", self.t(Text::NoFindings));
        }
        html.push_str(&self.findings_head());
        for finding in findings {
            html.push_str(&self.finding_row(finding));
        }
        html + "</tbody>\n</table>\n"
    }

    fn findings_head(&self) -> String {
        let heads = [
            Text::Rule,
            Text::Key,
            Text::When,
            Text::Explanation,
            Text::Evidence,
        ];
        let cells: Vec<String> = heads
            .iter()
            .map(|h| format!("<th>{}</th>", self.t(*h)))
            .collect();
        format!(
            "<table class=\"cases\">\n<thead><tr>{}</tr></thead>\n<tbody>\n",
            cells.concat()
        )
    }

    fn finding_row(&self, finding: &Finding) -> String {
        let sampled = if finding.sampled {
            " class=\"sampled\""
        } else {
            ""
        };
        format!(
            "<tr{sampled}><td>{}</td><td>{}</td><td class=\"when\">{}</td><td>{}</td><td>{}</td></tr>\n",
            self.rule_cell(finding),
            key_cell(finding),
            self.window(finding),
            escape(&finding.explanation),
            self.evidence(finding)
        )
    }

    fn rule_cell(&self, finding: &Finding) -> String {
        format!(
            "{}<br><span class=\"small mono\">{}</span> <span class=\"sev {}\">{}</span>",
            escape(&finding.title),
            escape(&finding.rule),
            finding.severity.as_str(),
            self.t(severity(finding.severity))
        )
    }

    /// A finding's window: one time, whole days, or from–to.
    fn window(&self, finding: &Finding) -> String {
        let (start, end) = (&finding.window.start, &finding.window.end);
        if start == end {
            return self.local(start);
        }
        let midnight = |t: &DateTime<_>| self.local(t).ends_with("00:00");
        if midnight(start) && midnight(end) {
            let last = (*end - chrono::TimeDelta::days(1)).date_naive();
            if last == start.date_naive() {
                return last.to_string();
            }
            return format!("{} – {last}", start.date_naive());
        }
        format!("{} – {}", self.local(start), self.local(end))
    }

    /// How many events are behind a finding, in words.
    fn event_count(&self, finding: &Finding) -> String {
        let total = finding.evidence.total.to_string();
        match finding.evidence.total {
            1 => self.t(Text::OneEvent),
            _ => self.tf(Text::EventsCount, &[("n", &total)]),
        }
    }

    /// The event count and the listed ids.
    fn evidence(&self, finding: &Finding) -> String {
        let mut html = self.event_count(finding);
        if finding.evidence.ids.is_empty() {
            return html;
        }
        let ids: Vec<String> = finding.evidence.ids.iter().map(|id| escape(id)).collect();
        let more = if (ids.len() as u64) < finding.evidence.total {
            ", …"
        } else {
            ""
        };
        let _ = write!(
            html,
            "<br><span class=\"small mono\">{}{more}</span>",
            ids.join(", ")
        );
        html
    }

    /// The sampled findings and spot-checked events, numbered, with empty
    /// cells for the reviewer.
    pub(super) fn review(&self) -> String {
        let mut html = format!(
            "<section class=\"review\">\n<h2>{}</h2>\n",
            self.t(Text::Review)
        );
        let rows = self.review_rows();
        if rows.is_empty() {
            return html + &format!("<p>{}</p>\n</section>\n", self.t(Text::NoSample));
        }
        let _ = writeln!(html, "<p>{}</p>", self.t(Text::ReviewIntro));
        html.push_str(&self.review_head());
        for (i, (kind, case, detail)) in rows.iter().enumerate() {
            let _ = writeln!(
                html,
                "<tr><td class=\"num\">{}</td><td>{kind}</td><td>{case}</td><td>{detail}</td>\
                 <td class=\"blank\"></td><td class=\"blank\"></td></tr>",
                i + 1
            );
        }
        html + "</tbody>\n</table>\n</section>\n"
    }

    fn review_head(&self) -> String {
        let heads = [
            ("kind", Text::Kind),
            ("case", Text::Case),
            ("detail", Text::Explanation),
            ("decision", Text::Decision),
            ("notes", Text::Notes),
        ];
        let cells: Vec<String> = heads
            .iter()
            .map(|(class, h)| format!("<th class=\"{class}\">{}</th>", self.t(*h)))
            .collect();
        format!(
            "<table class=\"cases review\">\n<thead><tr><th>#</th>{}</tr></thead>\n<tbody>\n",
            cells.concat()
        )
    }

    /// `(kind, case, detail)` cells of every sampled case, in report order.
    fn review_rows(&self) -> Vec<(String, String, String)> {
        let samples = &self.report.samples;
        let findings = samples.findings.iter().flat_map(|c| &c.selected);
        let mut rows: Vec<_> = findings.map(|s| self.sampled_row(s)).collect();
        let users = samples.spot_check.iter().flat_map(|s| &s.users);
        for user in users {
            rows.extend(user.sampled.iter().map(|e| self.spot_row(user, e)));
        }
        rows
    }

    fn sampled_row(&self, sample: &SampledFinding) -> (String, String, String) {
        let finding = self.report.findings.iter().find(|f| {
            f.rule == sample.rule
                && f.key == sample.key
                && f.window.start.to_rfc3339() == sample.window_start
        });
        let kind = self.t(Text::KindFinding);
        let Some(finding) = finding else {
            let case = format!(
                "{}<br>{}",
                escape(&sample.rule),
                escape(&pairs(&sample.key))
            );
            return (kind, case, String::new());
        };
        let case = format!(
            "<b>{}</b><br>{}<br>{}<br>{}",
            escape(&self.category_title(&finding.category)),
            self.rule_cell(finding),
            key_cell(finding),
            self.window(finding)
        );
        let detail = format!(
            "{}<br>{}",
            escape(&finding.explanation),
            self.event_count(finding)
        );
        (kind, case + &self.draw(&sample.draw), detail)
    }

    fn spot_row(&self, user: &SpotUserSample, event: &SpotEvent) -> (String, String, String) {
        let time = DateTime::parse_from_rfc3339(&event.time)
            .map(|t| self.local(&t.with_timezone(&Utc).fixed_offset()))
            .unwrap_or_else(|_| event.time.clone());
        let mut case = format!("user={}", escape(&user.user));
        if let Some(patient) = &event.patient {
            let _ = write!(case, "<br>patient={}", escape(patient));
        }
        let _ = write!(case, "<br>{}", escape(&time));
        let mut detail = format!("action={}", escape(&event.action));
        if let Some(id) = &event.id {
            let _ = write!(
                detail,
                "<br><span class=\"small mono\">id {}</span>",
                escape(id)
            );
        }
        (
            self.t(Text::KindSpot),
            case + &self.draw(&event.draw),
            detail,
        )
    }

    /// A case's draw, for anyone re-deriving the sample.
    fn draw(&self, draw: &str) -> String {
        let label = self.t(Text::Draw);
        format!(
            "<br><span class=\"small mono\">{label} {}</span>",
            escape(draw)
        )
    }
}

/// The key as `name=value` lines, with the values when there are any.
fn key_cell(finding: &Finding) -> String {
    let key: Vec<String> = finding
        .key
        .iter()
        .map(|(k, v)| format!("{}={}", escape(k), escape(v)))
        .collect();
    let mut html = key.join("<br>");
    if !finding.values.is_empty() {
        let _ = write!(
            html,
            "<br><span class=\"small\">{}</span>",
            escape(&values(&finding.values))
        );
    }
    html
}

fn severity(level: Level) -> Text {
    match level {
        Level::Low => Text::Low,
        Level::Medium => Text::Medium,
        Level::High => Text::High,
    }
}
