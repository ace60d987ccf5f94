//! The one-screen summary printed after a run.

use loggvakt::Report;
use std::fmt::Write as _;
use std::path::PathBuf;

/// How many findings the summary lists by name.
const SHOWN: usize = 12;

/// Renders the summary for standard error.
pub fn render(report: &Report, outputs: &[PathBuf]) -> String {
    let mut out = String::new();
    header(&mut out, report);
    input(&mut out, report);
    context(&mut out, report);
    warn_if_nothing_evaluated(&mut out, report);
    findings(&mut out, report);
    for path in outputs {
        let _ = writeln!(out, "Report written to {}", path.display());
    }
    out
}

fn header(out: &mut String, report: &Report) {
    let day = |t: Option<chrono::DateTime<chrono::FixedOffset>>| {
        t.map_or_else(|| "-".to_string(), |t| t.format("%Y-%m-%d").to_string())
    };
    let last = report.period.end.map(|t| t - chrono::Duration::seconds(1));
    let _ = writeln!(
        out,
        "Loggvakt {} · period {} to {} ({})",
        report.run.engine_version,
        day(report.period.start),
        day(last),
        report.time_zone
    );
    for rules in &report.rules {
        let _ = writeln!(
            out,
            "Rules  {} (sha256 {}…)",
            rules.name,
            &rules.sha256[..12]
        );
    }
}

fn input(out: &mut String, report: &Report) {
    let i = &report.input;
    let _ = writeln!(
        out,
        "Input  {} read · {} evaluated · {} rejected · {} outside period · {} ignored",
        i.read, i.evaluated, i.rejected, i.outside_period, i.ignored
    );
    for file in &report.inputs {
        let _ = writeln!(out, "       {} as {}", file.name, file.format);
    }
    for reason in &i.reasons {
        let places = reason.locations.join(", ");
        let _ = writeln!(
            out,
            "       rejected {} × {} [{}] at {places}",
            reason.count, reason.reason, reason.code
        );
        let _ = writeln!(out, "         first: {}", reason.example);
    }
    for kind in &i.ignored_kinds {
        let _ = writeln!(out, "       ignored {} × {}", kind.count, kind.kind);
    }
    if i.conflicting_ids > 0 {
        let ids = i.conflicting_examples.join(", ");
        let _ = writeln!(
            out,
            "       {} events share an id with other content, all evaluated: {ids}",
            i.conflicting_ids
        );
    }
}

/// One line: the context files with their rows, and the country data.
fn context(out: &mut String, report: &Report) {
    let Some(context) = &report.context else {
        return;
    };
    let mut parts: Vec<String> = context
        .files
        .iter()
        .map(|file| format!("{} ({})", file.name, file.rows))
        .collect();
    if parts.is_empty() {
        parts.push("no files".to_string());
    }
    if let Some(countries) = &context.countries {
        let mut data = format!("countries {}", countries.name);
        if let Some(version) = &countries.version {
            data.push_str(&format!(" {version}"));
        }
        if let Some(date) = &countries.date {
            data.push_str(&format!(" of {date}"));
        }
        parts.push(data);
    }
    let _ = writeln!(out, "Context {}", parts.join(" · "));
}

/// A run that read records but evaluated none is no all-clear: say so.
fn warn_if_nothing_evaluated(out: &mut String, report: &Report) {
    let i = &report.input;
    if i.evaluated > 0 || i.read == 0 && !report.inputs.is_empty() {
        if i.read == 0 {
            let _ = writeln!(out, "warning: the input holds no records");
        }
        return;
    }
    let why = if i.rejected > 0 {
        "every record was rejected (see why above; --on-error fail stops at the first)"
    } else if i.outside_period > 0 {
        "every event is outside the period (--period)"
    } else {
        "no record was read"
    };
    let _ = writeln!(out, "warning: no event was evaluated; {why}");
}

fn findings(out: &mut String, report: &Report) {
    let _ = writeln!(out, "Findings {}", report.findings.len());
    for (category, count) in report.counts_by_category() {
        let _ = writeln!(out, "  {:<13}{count}", category.as_str());
    }
    for finding in report.findings.iter().take(SHOWN) {
        finding_line(out, finding);
    }
    if report.findings.len() > SHOWN {
        let _ = writeln!(
            out,
            "  … and {} more in the report",
            report.findings.len() - SHOWN
        );
    }
    samples(out, report);
}

/// One finding: severity, category and explanation.
fn finding_line(out: &mut String, finding: &loggvakt::Finding) {
    let _ = writeln!(
        out,
        "  {:<7}{:<13}{}",
        finding.severity.as_str(),
        finding.category.as_str(),
        finding.explanation
    );
}

/// The seed and what was sampled for review.
fn samples(out: &mut String, report: &Report) {
    let Some(seed) = &report.seed else {
        return;
    };
    let sampling = &report.sampling;
    if sampling.findings_per_category.is_none() && sampling.spot_check.is_none() {
        return;
    }
    let sampled: Vec<_> = report.findings.iter().filter(|f| f.sampled).collect();
    let _ = writeln!(
        out,
        "Samples seed {seed} · {} findings to review",
        sampled.len()
    );
    for finding in sampled.iter().take(SHOWN) {
        finding_line(out, finding);
    }
    if sampled.len() > SHOWN {
        let more = sampled.len() - SHOWN;
        let _ = writeln!(out, "  … and {more} more in the report");
    }
    if let Some(spot) = &report.samples.spot_check {
        let users: Vec<&str> = spot.users.iter().map(|u| u.user.as_str()).collect();
        let events: usize = spot.users.iter().map(|u| u.sampled.len()).sum();
        let _ = writeln!(
            out,
            "  spot check: {} of {} users ({}), {events} of their events",
            users.len(),
            spot.population_users,
            users.join(", ")
        );
    }
}
