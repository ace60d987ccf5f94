//! The rule set: parsed, checked and planned rule files, ready to evaluate.

use crate::ast::{self, Literal};
use crate::check::{RuleSpec, SamplingSpec, check};
use crate::codes;
use crate::diagnostic::Diagnostic;
use crate::eval::{Evaluation, Options};
use crate::event::Event;
use crate::parse::parse;
use crate::plan::{Params, PlannedRule, plan_rule};
use crate::read::Record;
use crate::report::{CategoryInfo, Digested, Report, sha256_hex};
use crate::rule::Category;
use crate::time::{DEFAULT_ZONE, HolidayCalendar};
use chrono_tz::Tz;
use std::path::{Path, PathBuf};

/// The standard rule pack, built into the library.
pub const STANDARD_PACK: &str = include_str!("../../rules/standard.vakt");

/// The name the built-in pack goes by in reports.
pub const STANDARD_PACK_NAME: &str = "standard.vakt";

/// Rule files that could not be used, with every problem found.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}: {}", summary(diagnostics))]
pub struct RuleError {
    /// The file the problems are in.
    pub file: String,
    /// Its text, for rendering diagnostics.
    pub text: String,
    /// The problems, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

fn summary(diagnostics: &[Diagnostic]) -> String {
    match diagnostics.first() {
        Some(first) if diagnostics.len() == 1 => first.to_string(),
        Some(first) => format!("{first} (and {} more)", diagnostics.len() - 1),
        None => "no diagnostics".to_string(),
    }
}

impl RuleError {
    /// Renders every diagnostic for a terminal.
    pub fn render(&self) -> String {
        self.diagnostics
            .iter()
            .map(|d| d.render(&self.file, &self.text))
            .collect()
    }
}

/// Checked and planned rules from one or more files.
#[derive(Debug, Clone)]
pub struct RuleSet {
    files: Vec<Digested>,
    zone: Option<Tz>,
    holidays: Option<HolidayCalendar>,
    categories: Vec<CategoryInfo>,
    reads_context: bool,
    sampling: SamplingSpec,
    params: Params,
    rules: Vec<PlannedRule>,
    warnings: Vec<(String, Diagnostic)>,
}

impl RuleSet {
    /// Parses and checks one rule file given as text; `name` names it in
    /// diagnostics and reports.
    pub fn from_source(name: &str, text: &str) -> Result<RuleSet, RuleError> {
        RuleSet::from_sources([(name.to_string(), text.to_string())])
    }

    /// The built-in standard rule pack.
    pub fn standard() -> Result<RuleSet, RuleError> {
        RuleSet::from_source(STANDARD_PACK_NAME, STANDARD_PACK)
    }

    /// Reads rule files and folders (every `*.vakt` inside, by name).
    pub fn from_paths(paths: &[PathBuf]) -> Result<RuleSet, RuleError> {
        let mut sources = Vec::new();
        for path in expand(paths)? {
            let text = std::fs::read_to_string(&path).map_err(|e| unreadable(&path, &e))?;
            sources.push((path.display().to_string(), text));
        }
        RuleSet::from_sources(sources)
    }

    /// Parses and checks several files as one set: rule names must be
    /// unique across them and they must agree on the zone.
    pub fn from_sources(
        sources: impl IntoIterator<Item = (String, String)>,
    ) -> Result<RuleSet, RuleError> {
        let mut set = RuleSet {
            files: Vec::new(),
            zone: None,
            holidays: None,
            categories: built_in_categories(),
            reads_context: false,
            sampling: SamplingSpec::default(),
            params: Params::new(),
            rules: Vec::new(),
            warnings: Vec::new(),
        };
        for (name, text) in sources {
            set.add(&name, &text)?;
        }
        tracing::debug!(
            files = set.files.len(),
            rules = set.rules.len(),
            "rules planned"
        );
        Ok(set)
    }

    fn add(&mut self, name: &str, text: &str) -> Result<(), RuleError> {
        let error = |diagnostics| RuleError {
            file: name.into(),
            text: text.into(),
            diagnostics,
        };
        let file = parse(text).map_err(|e| error(e.diagnostics))?;
        let checked = check(&file, text).map_err(|e| error(e.diagnostics))?;
        self.merge_zone(checked.zone, &file, text)
            .map_err(|d| error(vec![d]))?;
        self.merge_holidays(checked.holidays, &file, text)
            .map_err(|d| error(vec![d]))?;
        self.merge_categories(&checked.categories);
        self.reads_context |= checked.reads_context;
        self.merge_sampling(checked.sampling, &file, text)
            .map_err(|d| error(vec![d]))?;
        for (param, value) in &checked.params {
            self.merge_param(param, value, &file, text)
                .map_err(|d| error(vec![d]))?;
        }
        for spec in &checked.rules {
            self.merge_rule(spec, &file, text)
                .map_err(|d| error(vec![d]))?;
        }
        let warnings = checked.warnings.into_iter().map(|w| (name.to_string(), w));
        self.warnings.extend(warnings);
        let sha256 = sha256_hex(text.as_bytes());
        self.files.push(Digested {
            name: file_name(Path::new(name)),
            sha256,
        });
        Ok(())
    }

    fn merge_zone(
        &mut self,
        zone: Option<Tz>,
        file: &ast::File,
        text: &str,
    ) -> Result<(), Diagnostic> {
        merge_setting(&mut self.zone, zone, |have, new| {
            let message = format!(
                "zone `{}` differs from `{}` declared before",
                new.name(),
                have.name()
            );
            let at = file.zones.first().map(|z| z.range);
            located(codes::CONFLICTING_ZONE, message, text, at)
        })
    }

    fn merge_holidays(
        &mut self,
        holidays: Option<HolidayCalendar>,
        file: &ast::File,
        text: &str,
    ) -> Result<(), Diagnostic> {
        merge_setting(&mut self.holidays, holidays, |have, new| {
            let message = format!(
                "holiday calendar `{}` differs from `{}` declared before",
                new.keyword(),
                have.keyword()
            );
            let at = file.holidays.first().map(|h| h.range);
            located(codes::CONFLICTING_HOLIDAYS, message, text, at)
        })
    }

    /// Adds declared categories; one declared in two files keeps its first
    /// title.
    fn merge_categories(&mut self, declared: &[(String, String)]) {
        for (name, title) in declared {
            if !self.categories.iter().any(|c| c.name.as_str() == name) {
                self.categories.push(CategoryInfo {
                    name: Category::Declared(name.as_str().into()),
                    title: title.clone(),
                });
            }
        }
    }

    /// The holiday calendar in force: `preferred` when given, else the
    /// files' calendar, else Sweden's public holidays.
    pub fn holidays(&self, preferred: Option<HolidayCalendar>) -> HolidayCalendar {
        preferred.or(self.holidays).unwrap_or_default()
    }

    fn merge_sampling(
        &mut self,
        sampling: SamplingSpec,
        file: &ast::File,
        text: &str,
    ) -> Result<(), Diagnostic> {
        let twice = |at: Option<crate::ast::Range>, what: &str| {
            let message = format!("`{what}` is given in another file too; a run has one");
            located(codes::BAD_SAMPLE, message, text, at)
        };
        if let Some(k) = sampling.findings_per_category {
            if self.sampling.findings_per_category.is_some() {
                return Err(twice(file.samples.first().map(|s| s.range), "sample"));
            }
            self.sampling.findings_per_category = Some(k);
        }
        if let Some(spot) = sampling.spot_check {
            if self.sampling.spot_check.is_some() {
                let at = file.spot_checks.first().map(|s| s.range);
                return Err(twice(at, "spot check"));
            }
            self.sampling.spot_check = Some(spot);
        }
        Ok(())
    }

    /// The sampling directives of the rule files.
    pub fn sampling(&self) -> &SamplingSpec {
        &self.sampling
    }

    /// The spot check's population filter, planned with the parameters in
    /// force.
    pub fn spot_filter(&self) -> Option<crate::plan::Node> {
        let spot = self.sampling.spot_check.as_ref()?;
        Some(crate::plan::plan_filter(&spot.filter, &self.params))
    }

    /// Whether some rule reads context data (`user.units`, `related()`, …),
    /// so that a run without context would know no one.
    pub fn reads_context(&self) -> bool {
        self.reads_context
    }

    /// The categories in force, built-in first, with their titles.
    pub fn categories(&self) -> &[CategoryInfo] {
        &self.categories
    }

    fn merge_rule(
        &mut self,
        spec: &RuleSpec,
        file: &ast::File,
        text: &str,
    ) -> Result<(), Diagnostic> {
        if self.rules.iter().any(|r| r.spec.name == spec.name) {
            let at = file
                .rules
                .iter()
                .find(|r| r.name.value == spec.name)
                .map(|r| r.name.range);
            let message = format!(
                "a rule named `{}` is defined in another file too",
                spec.name
            );
            return Err(located(codes::DUPLICATE_RULE, message, text, at));
        }
        self.rules.push(plan_rule(spec, &self.params));
        Ok(())
    }

    fn merge_param(
        &mut self,
        name: &str,
        value: &Literal,
        file: &ast::File,
        text: &str,
    ) -> Result<(), Diagnostic> {
        if !self.params.contains_key(name) {
            self.params.insert(name.to_string(), value.clone());
            return Ok(());
        }
        let at = file
            .params
            .iter()
            .find(|p| p.name.value == name)
            .map(|p| p.name.range);
        let message = format!("a parameter named `{name}` is declared in another file too");
        Err(located(codes::DUPLICATE_PARAM, message, text, at))
    }

    /// The parameters and the values in force.
    pub fn params(&self) -> &Params {
        &self.params
    }

    /// Overrides a parameter without editing its file; `value` is read as
    /// the declared type (a number or text).
    pub fn set_param(&mut self, name: &str, value: &str) -> Result<(), Diagnostic> {
        let Some(current) = self.params.get(name) else {
            return Err(unknown_param(name, self.params.keys()));
        };
        let parsed = match current {
            Literal::Text(_) => Literal::Text(value.to_string()),
            _ => number_param(name, value)?,
        };
        self.params.insert(name.to_string(), parsed);
        let params = &self.params;
        self.rules = self
            .rules
            .iter()
            .map(|r| plan_rule(&r.spec, params))
            .collect();
        Ok(())
    }

    /// The zone in force: `preferred` when given, else the files' zone,
    /// else Europe/Stockholm.
    pub fn zone(&self, preferred: Option<Tz>) -> Tz {
        preferred
            .or(self.zone)
            .unwrap_or(chrono_tz::Europe::Stockholm)
    }

    /// The rules, in file order.
    pub fn rules(&self) -> impl Iterator<Item = &RuleSpec> {
        self.rules.iter().map(|r| &r.spec)
    }

    /// The planned rules, for evaluation.
    pub fn planned(&self) -> &[PlannedRule] {
        &self.rules
    }

    /// The files with their digests.
    pub fn digests(&self) -> Vec<Digested> {
        self.files.clone()
    }

    /// Warnings found while checking, with their files.
    pub fn warnings(&self) -> &[(String, Diagnostic)] {
        &self.warnings
    }

    /// Starts an evaluation to push events into one at a time.
    pub fn evaluation(&self, options: Options) -> Evaluation<'_> {
        Evaluation::new(self, options)
    }

    /// Evaluates events from any iterator, in any order.
    pub fn evaluate(&self, events: impl IntoIterator<Item = Event>, options: Options) -> Report {
        let mut evaluation = self.evaluation(options);
        events.into_iter().for_each(|event| evaluation.push(&event));
        evaluation.finish()
    }

    /// Evaluates records from a reader, counting rejected and ignored ones.
    pub fn evaluate_records(
        &self,
        records: impl IntoIterator<Item = Record>,
        options: Options,
    ) -> Report {
        let mut evaluation = self.evaluation(options);
        records
            .into_iter()
            .for_each(|record| evaluation.push_record(record));
        evaluation.finish()
    }
}

/// Keeps the first value a file declares for a setting all files share;
/// another file declaring a different value is the error `conflict` makes
/// of the value held and the new one.
fn merge_setting<T: Copy + PartialEq>(
    held: &mut Option<T>,
    declared: Option<T>,
    conflict: impl FnOnce(T, T) -> Diagnostic,
) -> Result<(), Diagnostic> {
    match (*held, declared) {
        (Some(have), Some(new)) if have != new => Err(conflict(have, new)),
        (None, Some(new)) => {
            *held = Some(new);
            Ok(())
        }
        _ => Ok(()),
    }
}

/// An error labelled at `at` in `text` (the file's start when not known).
fn located(code: codes::Code, message: String, text: &str, at: Option<ast::Range>) -> Diagnostic {
    let at = at.unwrap_or_default();
    let span = crate::diagnostic::Span::locate(text, at.start, at.end);
    Diagnostic::error(code.code, message).with_label(span, "")
}

fn built_in_categories() -> Vec<CategoryInfo> {
    Category::ALL
        .into_iter()
        .map(|name| CategoryInfo {
            title: name.built_in_title().unwrap_or_default().to_string(),
            name,
        })
        .collect()
}

/// Every diagnostic for one rule file, errors and warnings, without failing.
pub fn check_source(text: &str) -> Vec<Diagnostic> {
    match parse(text) {
        Err(e) => e.diagnostics,
        Ok(file) => match check(&file, text) {
            Ok(checked) => checked.warnings,
            Err(e) => e.diagnostics,
        },
    }
}

/// The default zone's name.
pub fn default_zone_name() -> &'static str {
    DEFAULT_ZONE
}

fn unknown_param<'a>(name: &str, known: impl Iterator<Item = &'a String>) -> Diagnostic {
    let known: Vec<&str> = known.map(String::as_str).collect();
    let message = format!("no parameter is named `{name}`");
    let help = match crate::check::suggest(name, &known) {
        Some(best) => format!("did you mean `{best}`?"),
        None if known.is_empty() => "the rule files declare no parameters".to_string(),
        None => format!("the parameters are: {}", known.join(", ")),
    };
    Diagnostic::error(codes::BAD_PARAM.code, message).with_help(help)
}

fn number_param(name: &str, value: &str) -> Result<Literal, Diagnostic> {
    match value.trim().parse::<f64>() {
        Ok(n) if n.is_finite() => Ok(Literal::Number(n)),
        _ => {
            let message = format!("parameter `{name}` takes a number, not `{value}`");
            Err(Diagnostic::error(codes::BAD_PARAM.code, message))
        }
    }
}

/// The rule files `paths` name: files as given, and every `.vakt` file
/// under each folder, subfolders included, in name order.
pub fn rule_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, RuleError> {
    expand(paths)
}

fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, RuleError> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut files)?;
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

/// Every `.vakt` file under `dir`, subfolders included, in name order.
fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), RuleError> {
    let entries = std::fs::read_dir(dir).map_err(|e| unreadable(dir, &e))?;
    let mut found: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    found.sort();
    for path in found {
        if path.is_dir() {
            walk(&path, files)?;
        } else if path.extension().is_some_and(|x| x == "vakt") {
            files.push(path);
        }
    }
    Ok(())
}

/// A path's last component, the name files go by in reports.
pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn unreadable(path: &Path, error: &std::io::Error) -> RuleError {
    let message = format!("cannot read `{}`", path.display());
    let diagnostic =
        Diagnostic::error(codes::READ_FAILED.code, message).with_help(error.to_string());
    RuleError {
        file: path.display().to_string(),
        text: String::new(),
        diagnostics: vec![diagnostic],
    }
}
