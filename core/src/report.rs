//! Stage 5: the report, its JSON form, and digests of what went in.
//!
//! Field names here are a published interface: reports are read by other
//! tools, so names change only with a new `schema` number. The printable
//! forms (CSV, HTML) live in the modules below.

mod csv;
mod html;
mod svg;
mod text;

pub use html::HtmlOptions;
pub use text::{Lang, UnknownLang};

use crate::read::{CsvOptions, Format};
use crate::rule::{Category, Level};
use crate::time::HolidayCalendar;
use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// The version of the report's JSON shape.
pub const SCHEMA: u32 = 1;

/// The result of one evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The JSON shape's version.
    pub schema: u32,
    /// How and when the report was made; not part of the result.
    pub run: Run,
    /// The organisation whose logs were reviewed, when given.
    pub organisation: Option<String>,
    /// The period evaluated.
    pub period: Period,
    /// The IANA zone of calendar windows and local times.
    pub time_zone: String,
    /// The rule files, with digests.
    pub rules: Vec<Digested>,
    /// The parameters in force, after overrides.
    pub params: BTreeMap<String, serde_json::Value>,
    /// The input files, with format and digests.
    pub inputs: Vec<InputFile>,
    /// What was read, and what was not evaluated and why.
    pub input: InputSummary,
    /// The context data the rules looked up; `None` when none was given.
    pub context: Option<ContextSummary>,
    /// The holiday calendar that `holiday()` uses, and its data's version.
    pub holidays: HolidayData,
    /// Evaluated events by local hour and weekday.
    pub activity: Activity,
    /// Per rule: events matched, groups kept, findings, events without a key.
    pub rule_stats: Vec<RuleStat>,
    /// The categories in force, built-in first, with their titles.
    pub categories: Vec<CategoryInfo>,
    /// The seed of the samples; `null` when the rules sample nothing and
    /// no seed was given.
    pub seed: Option<String>,
    /// How samples are drawn, and what the rules ask for.
    pub sampling: SamplingInfo,
    /// The samples drawn.
    pub samples: Samples,
    /// The exceptions in force, with the events each left out.
    pub exceptions: Vec<ExceptionUse>,
    /// The findings, sorted by category, rule, key and window start.
    pub findings: Vec<Finding>,
}

/// How and when a report was made.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Run {
    /// The Loggvakt version.
    pub engine_version: String,
    /// When the report was made (the caller's "now"), RFC 3339.
    pub generated_at: String,
    /// The command or call that made it.
    pub command: String,
    /// The settings a replay needs to make the same report
    /// (`loggvakt verify`).
    pub settings: RunSettings,
}

/// The settings of a run that are not in the rest of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct RunSettings {
    /// The month asked for, `YYYY-MM`; `None` when the period was the
    /// span of the input.
    pub period: Option<String>,
    /// The zone asked for; `None` when the rule files' zone held.
    pub zone: Option<String>,
    /// `drop` when copies of an event were rejected, `keep` when every
    /// copy was evaluated.
    pub duplicates: String,
    /// How CSV files were read; `None` with the defaults.
    pub csv: Option<CsvSettings>,
}

impl CsvSettings {
    /// The settings of `options` for the report; `None` when they are the
    /// defaults. `delimiter_given` tells a delimiter given from one each
    /// file's name chose.
    pub fn of(options: &CsvOptions, delimiter_given: bool) -> Option<CsvSettings> {
        let quote = options.quote;
        if options.mapping.is_empty() && !delimiter_given && quote == b'"' {
            return None;
        }
        let delimiter = char::from(options.delimiter).to_string();
        Some(CsvSettings {
            map: options.mapping.clone(),
            delimiter: delimiter_given.then_some(delimiter),
            quote: char::from(quote).to_string(),
        })
    }
}

/// How CSV files were read, as given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, Default)]
pub struct CsvSettings {
    /// Canonical field name → the column that held it.
    pub map: BTreeMap<String, String>,
    /// The delimiter given, one character; `None` when each file's name
    /// chose (a tab for `.tsv`, else a comma).
    pub delimiter: Option<String>,
    /// The quote character.
    pub quote: String,
}

/// The evaluated period, `[start, end)` in local time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Period {
    /// First instant, or `None` when nothing was read and no period was set.
    pub start: Option<DateTime<FixedOffset>>,
    /// First instant after the period.
    pub end: Option<DateTime<FixedOffset>>,
}

/// A file with its SHA-256 digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Digested {
    /// The name it was given as.
    pub name: String,
    /// Lowercase hexadecimal SHA-256 of its bytes.
    pub sha256: String,
}

/// An input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputFile {
    /// The name it was given as.
    pub name: String,
    /// The reader used.
    pub format: String,
    /// Lowercase hexadecimal SHA-256 of its bytes.
    pub sha256: String,
}

/// The context data of a run: what was read and from where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct ContextSummary {
    /// The files read from the context folder, by name.
    pub files: Vec<ContextFile>,
    /// The built-in lists in force (those no file replaced), by name.
    pub builtin_lists: Vec<ContextFile>,
    /// The data that maps addresses to countries; `None` when there is none.
    pub countries: Option<CountryData>,
}

/// One file or list of context data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContextFile {
    /// Its name: a path inside the context folder, such as `lists/vpn.cidr`,
    /// or a built-in list's name.
    pub name: String,
    /// The rows, objects or list entries it holds.
    pub rows: u64,
    /// Lowercase hexadecimal SHA-256 of its bytes.
    pub sha256: String,
}

/// The data behind `country(ip)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountryData {
    /// The data's name: a crate, or the context file that overrides it.
    pub name: String,
    /// The version of the data, when it has one.
    pub version: Option<String>,
    /// The day the data was published, `YYYY-MM-DD`, when known.
    pub date: Option<String>,
    /// The terms the data comes under, when known.
    pub licence: Option<String>,
}

/// The holiday calendar in force and the version of its data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HolidayData {
    /// The calendar's keyword, as rule files name it (`sweden`).
    pub calendar: String,
    /// The name of the calendar data.
    pub name: String,
    /// The version of the calendar data; it changes whenever a day is
    /// added, removed or moved.
    pub version: String,
    /// What the calendar follows, in words.
    pub basis: String,
}

impl HolidayData {
    /// The data behind `calendar`.
    pub fn of(calendar: HolidayCalendar) -> HolidayData {
        HolidayData {
            calendar: calendar.keyword().to_string(),
            name: crate::time::holiday::DATA_NAME.to_string(),
            version: crate::time::holiday::DATA_VERSION.to_string(),
            basis: calendar.basis().to_string(),
        }
    }
}

/// Evaluated events by local time of the report's zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Activity {
    /// Events per hour of the day, 00 to 23.
    pub by_hour: [u64; 24],
    /// Events per weekday, Monday first.
    pub by_weekday: [u64; 7],
}

impl Activity {
    /// Counts one event at local `hour` (0–23) on `weekday`.
    pub fn add(&mut self, hour: u32, weekday: chrono::Weekday) {
        if let Some(slot) = self.by_hour.get_mut(hour as usize) {
            *slot += 1;
        }
        if let Some(slot) = self
            .by_weekday
            .get_mut(weekday.num_days_from_monday() as usize)
        {
            *slot += 1;
        }
    }
}

/// Counts of everything read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct InputSummary {
    /// Records read: evaluated + rejected + ignored + outside the period.
    pub read: u64,
    /// Events evaluated against the rules.
    pub evaluated: u64,
    /// Records that could not be read as events.
    pub rejected: u64,
    /// Events outside the period: not evaluated, not rejected.
    pub outside_period: u64,
    /// Records that are not access events.
    pub ignored: u64,
    /// Rejections by reason, with the first locations.
    pub reasons: Vec<Reason>,
    /// Ignored records by kind.
    pub ignored_kinds: Vec<Kind>,
    /// Events evaluated although an event with the same id but other
    /// content was read too.
    pub conflicting_ids: u64,
    /// The smallest of those ids.
    pub conflicting_examples: Vec<String>,
}

/// Rejected records of one reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// The reason's name, such as `bad_time`.
    pub reason: String,
    /// Its diagnostic code.
    pub code: String,
    /// How many records.
    pub count: u64,
    /// The first few locations, in order (`file:line` or `file#record`).
    pub locations: Vec<String>,
    /// What was wrong with the record at the first location.
    pub example: String,
}

/// Ignored records of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Kind {
    /// The kind, such as `fhir:OperationOutcome`.
    pub kind: String,
    /// How many records.
    pub count: u64,
}

/// What one rule saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleStat {
    /// The rule's name.
    pub rule: String,
    /// Events that passed its `where` and no exception left out.
    pub matched: u64,
    /// Events that passed its `where` but an exception left out.
    pub excepted: u64,
    /// Matching events that lacked a group key: not grouped, not lumped.
    pub missing_key: u64,
    /// Groups (key and window) the rule kept during the pass.
    pub groups: u64,
    /// Findings it produced.
    pub findings: u64,
}

/// The sampling method and the directives in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SamplingInfo {
    /// The method's name (`docs/sampling.md`).
    pub method: String,
    /// The version of its derivation.
    pub version: u32,
    /// `sample N findings per category`, if given.
    pub findings_per_category: Option<usize>,
    /// `spot check …`, if given.
    pub spot_check: Option<SpotCheckInfo>,
}

/// A spot check as the rules ask for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpotCheckInfo {
    /// How many users.
    pub users: usize,
    /// How many events of each.
    pub events_per_user: usize,
    /// The population filter, as written in the rule file.
    pub population: String,
}

/// The samples of one run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Samples {
    /// Per category with findings: which to review.
    pub findings: Vec<CategorySample>,
    /// The spot check of ordinary activity, if the rules ask for one.
    pub spot_check: Option<SpotSample>,
}

/// The findings of one category chosen for review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategorySample {
    /// The category.
    pub category: String,
    /// Its findings.
    pub findings: usize,
    /// The chosen ones, smallest draw first.
    pub selected: Vec<SampledFinding>,
}

/// A finding chosen for review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SampledFinding {
    /// The finding's rule.
    pub rule: String,
    /// Its key values by name.
    pub key: BTreeMap<String, String>,
    /// Its window start, local time.
    pub window_start: String,
    /// Its draw, 16 hex digits.
    pub draw: String,
}

/// The spot check drawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpotSample {
    /// Users with at least one event in the population.
    pub population_users: usize,
    /// Events in the population.
    pub population_events: u64,
    /// The users chosen, smallest draw first.
    pub users: Vec<SpotUserSample>,
}

/// A user chosen for the spot check, with their sampled events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpotUserSample {
    /// The user.
    pub user: String,
    /// The user's draw, 16 hex digits.
    pub draw: String,
    /// The user's events in the population.
    pub events: u64,
    /// The sampled events, smallest draw first.
    pub sampled: Vec<SpotEvent>,
}

/// An event chosen for the spot check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpotEvent {
    /// The event's id, when it has one.
    pub id: Option<String>,
    /// When it happened, UTC.
    pub time: String,
    /// What was done.
    pub action: String,
    /// Whose record, if any.
    pub patient: Option<String>,
    /// Its draw, 16 hex digits.
    pub draw: String,
}

/// A category and its title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryInfo {
    /// The name rules use.
    pub name: Category,
    /// The title for reports.
    pub title: String,
}

/// One exception and what it left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExceptionUse {
    /// Its name.
    pub name: String,
    /// Why its events may be left out.
    pub reason: String,
    /// Which events it leaves out, as canonical text.
    pub condition: String,
    /// Events it left out, over all rules.
    pub excluded: u64,
    /// Per rule that applies it: the events it left out of that rule.
    pub rules: BTreeMap<String, u64>,
}

/// One finding for a reviewer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The rule's name.
    pub rule: String,
    /// The rule's title.
    pub title: String,
    /// The report category.
    pub category: Category,
    /// The severity.
    pub severity: Level,
    /// Whether the finding is among those chosen for review by the
    /// findings sample; false when the rules sample no findings.
    pub sampled: bool,
    /// The rule's tags.
    pub tags: Vec<String>,
    /// The group key values by key name.
    pub key: BTreeMap<String, String>,
    /// The window the events fell in.
    pub window: FindingWindow,
    /// The aggregate values, by name; whole numbers are written without a
    /// fraction so every language prints them alike.
    #[serde(serialize_with = "whole_numbers")]
    pub values: BTreeMap<String, f64>,
    /// The alert condition as written in the rule.
    pub condition: String,
    /// The explanation, from the rule's template.
    pub explanation: String,
    /// The events behind the finding.
    pub evidence: Evidence,
}

/// A finding's window, `[start, end)` in local time; for a single event both
/// are its time.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct FindingWindow {
    /// First instant.
    pub start: DateTime<FixedOffset>,
    /// First instant after.
    pub end: DateTime<FixedOffset>,
}

/// The events behind a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Evidence {
    /// Event ids, the smallest first, capped.
    pub ids: Vec<String>,
    /// How many events in all.
    pub total: u64,
}

impl Report {
    /// The report as canonical JSON: keys sorted, two-space indent.
    pub fn to_json(&self) -> String {
        let value = serde_json::to_value(self).unwrap_or(serde_json::Value::Null);
        serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
    }

    /// The report without `run`, as canonical JSON: two reports are the
    /// same when these strings are equal.
    pub fn result_json(&self) -> String {
        let mut value = serde_json::to_value(self).unwrap_or(serde_json::Value::Null);
        if let Some(object) = value.as_object_mut() {
            object.remove("run");
        }
        serde_json::to_string(&value).unwrap_or_default()
    }

    /// The draw of a finding the findings sample chose; `None` for others.
    pub fn draw_of(&self, finding: &Finding) -> Option<&str> {
        let category = self
            .samples
            .findings
            .iter()
            .find(|c| c.category == finding.category.as_str())?;
        let start = finding.window.start.to_rfc3339();
        let chosen = category
            .selected
            .iter()
            .find(|s| s.rule == finding.rule && s.key == finding.key && s.window_start == start)?;
        Some(chosen.draw.as_str())
    }

    /// Findings per category in force, in report order.
    pub fn counts_by_category(&self) -> Vec<(Category, usize)> {
        let count = |c: &Category| self.findings.iter().filter(|f| f.category == *c).count();
        self.categories
            .iter()
            .map(|c| (c.name.clone(), count(&c.name)))
            .collect()
    }
}

fn whole_numbers<S: serde::Serializer>(
    values: &BTreeMap<String, f64>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = serializer.serialize_map(Some(values.len()))?;
    for (name, value) in values {
        if value.fract() == 0.0 && value.abs() < 9.0e15 {
            map.serialize_entry(name, &(*value as i64))?;
        } else {
            map.serialize_entry(name, value)?;
        }
    }
    map.end()
}

impl InputFile {
    /// The input file at `path`, read as `format`: its file name and the
    /// digest of its bytes.
    pub fn of(path: &Path, format: Format) -> std::io::Result<InputFile> {
        Ok(InputFile {
            name: crate::ruleset::file_name(path),
            format: format.name().to_string(),
            sha256: sha256_file(path)?,
        })
    }
}

/// SHA-256 of bytes, as lowercase hexadecimal.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// SHA-256 of a file, read in chunks.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 18];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            return Ok(hex::encode(hasher.finalize()));
        }
        hasher.update(&buffer[..n]);
    }
}

#[cfg(test)]
mod tests;
