//! The report's findings and samples as one CSV table (docs/report.md).
//!
//! One row per finding (`kind` `finding`, or `sampled_finding` when the
//! findings sample chose it) and one per spot-checked event (`kind`
//! `spot_check_event`); columns that do not apply to a row are empty.

use super::{Finding, Report, SpotEvent, SpotUserSample};
use std::collections::BTreeMap;

/// The columns, in order.
pub(crate) const COLUMNS: [&str; 18] = [
    "kind",
    "category",
    "rule",
    "title",
    "severity",
    "key",
    "window_start",
    "window_end",
    "values",
    "explanation",
    "evidence_total",
    "evidence_ids",
    "draw",
    "user",
    "event_id",
    "time",
    "action",
    "patient",
];

impl Report {
    /// The findings and the sampled cases as CSV: a header row, then one
    /// row per finding in report order, then one per spot-checked event.
    pub fn to_csv(&self) -> String {
        let mut writer = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            .from_writer(Vec::new());
        let rows = std::iter::once(COLUMNS.map(String::from).to_vec())
            .chain(self.findings.iter().map(|f| self.finding_row(f)))
            .chain(self.spot_rows());
        for row in rows {
            if let Err(error) = writer.write_record(&row) {
                tracing::debug!(%error, "a CSV row was not written");
            }
        }
        let bytes = writer.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }

    fn finding_row(&self, finding: &Finding) -> Vec<String> {
        let draw = self.draw_of(finding);
        let kind = if finding.sampled {
            "sampled_finding"
        } else {
            "finding"
        };
        let mut row = vec![
            kind.to_string(),
            finding.category.to_string(),
            finding.rule.clone(),
            finding.title.clone(),
            finding.severity.as_str().to_string(),
            pairs(&finding.key),
            finding.window.start.to_rfc3339(),
            finding.window.end.to_rfc3339(),
            values(&finding.values),
            finding.explanation.clone(),
            finding.evidence.total.to_string(),
            finding.evidence.ids.join(" "),
            draw.unwrap_or_default().to_string(),
        ];
        row.resize(COLUMNS.len(), String::new());
        row
    }

    fn spot_rows(&self) -> impl Iterator<Item = Vec<String>> + '_ {
        let users = self.samples.spot_check.iter().flat_map(|s| &s.users);
        users.flat_map(|user| user.sampled.iter().map(move |event| spot_row(user, event)))
    }
}

fn spot_row(user: &SpotUserSample, event: &SpotEvent) -> Vec<String> {
    let mut row = vec![String::new(); COLUMNS.len()];
    row[0] = "spot_check_event".to_string();
    row[12] = event.draw.clone();
    row[13] = user.user.clone();
    row[14] = event.id.clone().unwrap_or_default();
    row[15] = event.time.clone();
    row[16] = event.action.clone();
    row[17] = event.patient.clone().unwrap_or_default();
    row
}

/// `name=value` pairs by name, separated by `; `.
pub(crate) fn pairs(key: &BTreeMap<String, String>) -> String {
    let pairs: Vec<String> = key.iter().map(|(k, v)| format!("{k}={v}")).collect();
    pairs.join("; ")
}

/// Aggregate values as `name=value` pairs; whole numbers without fraction.
pub(crate) fn values(values: &BTreeMap<String, f64>) -> String {
    let text = |v: f64| {
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            (v as i64).to_string()
        } else {
            v.to_string()
        }
    };
    let pairs: Vec<String> = values
        .iter()
        .map(|(k, v)| format!("{k}={}", text(*v)))
        .collect();
    pairs.join("; ")
}
