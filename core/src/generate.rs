//! A seeded synthetic month of access-log events with its context, and
//! planted violations.
//!
//! The month imitates a Swedish care provider: hospital wards (`avd-12`)
//! and residences (`sabyhemmet`), staff with roles and permissions on day,
//! evening and night shifts written as weekly schedules, who sign in from
//! workstations on their unit's network (now and then from home, or from
//! remote duty in another EU country) and read and write the records of
//! the patients their unit cares for; nurses withdraw controlled drugs and
//! sign their administration. [`Month::context`] and
//! [`Month::write_context`] give the users, patients, care relations and
//! drugs the standard rule pack looks up, so that ordinary traffic trips
//! none of its rules. Into that traffic the generator plants violations of
//! every rule of the pack, and near misses that must not be found, and
//! lists the findings a correct engine reports in [`Month::planted`] and
//! the groups it must not report in [`Month::near_misses`].
//!
//! Everything is drawn from ChaCha streams keyed by the seed, one stream per
//! purpose, day and user, so the same options give byte-identical output and
//! [`Month::events`] streams the month without holding it in memory.
//!
//! ```
//! use loggvakt::generate::{generate, GenerateOptions};
//! use chrono::NaiveDate;
//!
//! let month = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
//! let mut options = GenerateOptions::new(7, month);
//! options.users = 20;
//! options.events = 2_000;
//! let month = generate(&options);
//! assert!(month.events().count() > 1_900);
//! assert!(!month.planted().is_empty());
//! ```

mod folder;
mod plant;
mod population;
mod random;
mod shift;
mod table;

use crate::event::Event;
use crate::time::{self, Calendar};
use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, Utc};
use chrono_tz::Tz;
use plant::Plants;
use population::{PATIENTS_PER_UNIT, Population};
use random::Streams;
use serde::Serialize;
use shift::DayPlan;
use std::collections::BTreeMap;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// Below this many events per shift, fewer shifts are worked instead.
const MIN_PER_SHIFT: f64 = 6.0;

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct GenerateOptions {
    /// The seed every random draw derives from.
    pub seed: u64,
    /// The month, as its first local day; another day means its month.
    pub month: NaiveDate,
    /// The care provider's time zone.
    pub zone: Tz,
    /// How many users (staff) there are.
    pub users: usize,
    /// About how many events to generate, planted ones included.
    pub events: usize,
}

impl GenerateOptions {
    /// Options for `month` in Europe/Stockholm with 200 users and about
    /// 100 000 events.
    pub fn new(seed: u64, month: NaiveDate) -> GenerateOptions {
        GenerateOptions {
            seed,
            month,
            zone: chrono_tz::Europe::Stockholm,
            users: 200,
            events: 100_000,
        }
    }
}

/// The file format `write_folder_as` writes the events in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EventFormat {
    /// JSON Lines, `events.jsonl`: one canonical event object per line.
    #[default]
    Jsonl,
    /// CSV, `events.csv`: a header of canonical field names, one event a row.
    Csv,
}

impl EventFormat {
    /// The events file's name: `events.jsonl` or `events.csv`.
    pub fn file_name(self) -> &'static str {
        match self {
            EventFormat::Jsonl => "events.jsonl",
            EventFormat::Csv => "events.csv",
        }
    }
}

/// A finding that the standard rule pack must report on a generated month.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Planted {
    /// The rule's name, such as `repeated_failed_sign_ins`.
    pub rule: String,
    /// The group key: field name to value.
    pub key: BTreeMap<String, String>,
    /// The start of the finding's window; for an ungrouped rule, the time
    /// of the event.
    pub window_start: DateTime<Utc>,
}

/// A group the standard rule pack must NOT report on a generated month: a
/// planted case just short of a rule, or excepted from it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct NearMiss {
    /// The rule that must not report it.
    pub rule: String,
    /// What was planted, for people.
    pub what: String,
    /// The group key: field name to value.
    pub key: BTreeMap<String, String>,
    /// The start of the window the rule would report.
    pub window_start: DateTime<Utc>,
}

/// A generated month: the plan from which its events are drawn.
#[derive(Debug, Clone)]
pub struct Month {
    streams: Streams,
    frame: Frame,
    population: Population,
    plants: Plants,
    per_shift: f64,
}

/// Plans the month described by `options`.
///
/// The plan holds the users, their schedules and the planted cases; the
/// ordinary events are drawn only when [`Month::events`] is read.
pub fn generate(options: &GenerateOptions) -> Month {
    let frame = Frame::new(options.zone, options.month);
    let streams = Streams::new(options.seed);
    let mut population = Population::new(&streams, options.users);
    let target = options
        .events
        .saturating_sub(expected_failures(options.users, frame.days));

    let sizing = calibrate(&streams, &mut population, &frame, target);
    population.patients_per_unit = PATIENTS_PER_UNIT.max(sizing.ceil() as usize);

    let plants = plant::plant(&streams, &population, &frame);
    let per_shift = calibrate(
        &streams,
        &mut population,
        &frame,
        target.saturating_sub(plants.len()),
    );
    Month {
        streams,
        frame,
        population,
        plants,
        per_shift,
    }
}

impl Month {
    /// Every event of the month, ordinary and planted, day by day.
    ///
    /// Events come grouped by day and user, not sorted by time. Each has an
    /// id `e000000001`, … in the order given. Only one user's shift is held
    /// in memory at a time.
    pub fn events(&self) -> impl Iterator<Item = Event> + '_ {
        (-1..self.frame.days)
            .flat_map(move |day| self.day_events(day))
            .enumerate()
            .map(with_id)
    }

    /// The findings the standard rule pack must report, sorted.
    pub fn planted(&self) -> &[Planted] {
        &self.plants.planted
    }

    /// The planted near misses, sorted: groups the standard rule pack
    /// must not report.
    pub fn near_misses(&self) -> &[NearMiss] {
        &self.plants.near_misses
    }

    /// The planted violations and near misses as JSON:
    /// `{"violations": [{"rule", "key", "window"}], "near_misses": [{"rule",
    /// "what", "key", "window"}]}`, windows by their start in RFC 3339.
    pub fn truth_json(&self) -> String {
        let violations: Vec<serde_json::Value> = self
            .planted()
            .iter()
            .map(|p| {
                serde_json::json!({
                    "rule": p.rule,
                    "key": p.key,
                    "window": p.window_start.to_rfc3339(),
                })
            })
            .collect();
        let near_misses: Vec<serde_json::Value> = self
            .near_misses()
            .iter()
            .map(|n| {
                serde_json::json!({
                    "rule": n.rule,
                    "what": n.what,
                    "key": n.key,
                    "window": n.window_start.to_rfc3339(),
                })
            })
            .collect();
        let value = serde_json::json!({ "violations": violations, "near_misses": near_misses });
        serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
    }

    /// Writes the month into `dir`, creating it: `events.jsonl`, the
    /// context folder `context/` and `truth.json`. Returns how many events
    /// were written.
    pub fn write_folder(&self, dir: &Path) -> io::Result<u64> {
        self.write_folder_as(dir, EventFormat::Jsonl)
    }

    /// Writes the month into `dir` as [`Month::write_folder`] does, with
    /// the events in `format` (`events.jsonl` or `events.csv`). Both files
    /// hold the same events and read back alike.
    pub fn write_folder_as(&self, dir: &Path, format: EventFormat) -> io::Result<u64> {
        std::fs::create_dir_all(dir)?;
        let file = std::fs::File::create(dir.join(format.file_name()))?;
        let written = match format {
            EventFormat::Jsonl => self.write_jsonl(file)?,
            EventFormat::Csv => self.write_csv(file)?,
        };
        self.write_context(&dir.join("context"))?;
        std::fs::write(dir.join("truth.json"), self.truth_json())?;
        Ok(written)
    }

    /// Writes [`Month::events`] as JSON Lines and returns how many were
    /// written.
    pub fn write_jsonl(&self, out: impl Write) -> io::Result<u64> {
        let mut out = BufWriter::new(out);
        let mut count = 0;
        for event in self.events() {
            serde_json::to_writer(&mut out, &event)?;
            out.write_all(b"\n")?;
            count += 1;
        }
        out.flush()?;
        Ok(count)
    }

    /// The ordinary events of shifts starting on `day`, then the planted
    /// events of that local day.
    fn day_events(&self, day: i64) -> impl Iterator<Item = Event> + '_ {
        let plan = DayPlan::new(self, day);
        let users = 0..self.population.users.len();
        let ordinary = users.flat_map(move |user| shift::shift_events(self, &plan, user));
        ordinary.chain(self.planted_on(day))
    }

    fn planted_on(&self, day: i64) -> impl Iterator<Item = Event> + '_ {
        let date = self.frame.date(day);
        let zone = self.frame.zone;
        let on_day = move |event: &&Event| Some(time::local_date(zone, event.time)) == date;
        self.plants.events.iter().filter(on_day).cloned()
    }
}

fn with_id((index, mut event): (usize, Event)) -> Event {
    event.id = Some(format!("e{:09}", index + 1));
    event
}

/// Ordinary failed sign-ins expected over the month.
fn expected_failures(users: usize, days: i64) -> usize {
    3 * users.div_ceil(200) * usize::try_from(days).unwrap_or(0) / 2
}

/// Draws the schedules so that `target` events spread over the shifts give
/// at least [`MIN_PER_SHIFT`] each, and returns the mean per shift.
fn calibrate(streams: &Streams, population: &mut Population, frame: &Frame, target: usize) -> f64 {
    population.draw_schedules(streams, frame.first, frame.days, 1.0);
    let mean = target as f64 / population.shifts_in_month().max(1) as f64;
    if mean >= MIN_PER_SHIFT {
        return mean;
    }

    population.draw_schedules(streams, frame.first, frame.days, mean / MIN_PER_SHIFT);
    target as f64 / population.shifts_in_month().max(1) as f64
}

/// The month's local dates and its bounds as instants.
#[derive(Debug, Clone)]
struct Frame {
    zone: Tz,
    first: NaiveDate,
    days: i64,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

impl Frame {
    fn new(zone: Tz, month: NaiveDate) -> Frame {
        let first = Calendar::Month.first_date(month);
        let next = Calendar::Month.next_date(first);
        let days = (next - first).num_days();
        let start = time::start_of_day(zone, first);
        let end = time::start_of_day(zone, next);
        Frame {
            zone,
            first,
            days,
            start,
            end,
        }
    }

    /// The local date of day `day` of the month, counted from 0.
    fn date(&self, day: i64) -> Option<NaiveDate> {
        self.first.checked_add_signed(TimeDelta::days(day))
    }

    /// The instant `seconds` after local midnight starting day `day`; the
    /// seconds may run into the next day.
    fn instant(&self, day: i64, seconds: i64) -> DateTime<Utc> {
        let midnight = self.first.and_time(NaiveTime::MIN);
        let naive = midnight
            .checked_add_signed(TimeDelta::days(day))
            .and_then(|t| t.checked_add_signed(TimeDelta::seconds(seconds)))
            .unwrap_or(midnight);
        time::local_to_utc(self.zone, naive)
    }

    fn contains(&self, instant: DateTime<Utc>) -> bool {
        self.start <= instant && instant < self.end
    }
}

#[cfg(test)]
#[path = "generate_tests.rs"]
mod tests;
