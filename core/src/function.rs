//! The functions a condition may call on one event, with their types.
//!
//! One table serves checking (names, arity, argument and result types) and
//! evaluation (what each function computes). Aggregates such as `count()`
//! are not here: they belong to `alert` and are planned separately.

use crate::check::Type;

/// A function over values of one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Function {
    /// `exists(x)`: whether the value is present.
    Exists,
    /// `lower(text)`: lower-case text.
    Lower,
    /// `upper(text)`: upper-case text.
    Upper,
    /// `length(text)`: the number of characters.
    Length,
    /// `starts_with(text, prefix)`.
    StartsWith,
    /// `ends_with(text, suffix)`.
    EndsWith,
    /// `contains(text, part)`.
    Contains,
    /// `matches(text, "pattern")`: a regular expression, anywhere in the text.
    Matches,
    /// `hour(time)`: the local hour, 0–23.
    Hour,
    /// `minute(time)`: the local minute, 0–59.
    Minute,
    /// `weekday(time)`: the local weekday, `mon` … `sun`.
    Weekday,
    /// `date(time)`: the local date, `YYYY-MM-DD`.
    Date,
    /// `week(time)`: the ISO week number, 1–53.
    Week,
    /// `holiday(time)`: whether the local date is a public holiday.
    Holiday,
    /// `country(ip)`: the ISO 3166 country code of an address.
    Country,
    /// `related(user, patient, time)`: whether a care relation holds.
    Related,
    /// `on_shift(user, time)`: whether the user's schedule has a shift then;
    /// missing when the user has no schedule.
    OnShift,
    /// `drug_class(drug)`: the narcotic class (`II` … `V`) the context gives
    /// the drug; missing for a drug it does not list.
    DrugClass,
}

impl Function {
    /// Every function rules can call, in the order the docs list them.
    pub const ALL: [Function; 18] = [
        Function::Exists,
        Function::Lower,
        Function::Upper,
        Function::Length,
        Function::StartsWith,
        Function::EndsWith,
        Function::Contains,
        Function::Matches,
        Function::Hour,
        Function::Minute,
        Function::Weekday,
        Function::Date,
        Function::Week,
        Function::Holiday,
        Function::Country,
        Function::Related,
        Function::OnShift,
        Function::DrugClass,
    ];

    /// The name rules call it by.
    pub fn name(self) -> &'static str {
        match self {
            Function::Exists => "exists",
            Function::Lower => "lower",
            Function::Upper => "upper",
            Function::Length => "length",
            Function::StartsWith => "starts_with",
            Function::EndsWith => "ends_with",
            Function::Contains => "contains",
            Function::Matches => "matches",
            Function::Hour => "hour",
            Function::Minute => "minute",
            Function::Weekday => "weekday",
            Function::Date => "date",
            Function::Week => "week",
            Function::Holiday => "holiday",
            Function::Country => "country",
            Function::Related => "related",
            Function::OnShift => "on_shift",
            Function::DrugClass => "drug_class",
        }
    }

    /// The function called `name`.
    pub fn parse(name: &str) -> Option<Function> {
        Function::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The argument types; [`Type::Any`] takes a value of any type.
    pub fn params(self) -> &'static [Type] {
        use Type as T;
        match self {
            Function::Exists => &[T::Any],
            Function::Lower | Function::Upper | Function::Length => &[T::Text],
            Function::StartsWith | Function::EndsWith | Function::Contains => &[T::Text, T::Text],
            Function::Matches => &[T::Text, T::Text],
            Function::Hour
            | Function::Minute
            | Function::Weekday
            | Function::Date
            | Function::Week
            | Function::Holiday => &[T::Time],
            Function::Country => &[T::Ip],
            Function::Related => &[T::Text, T::Text, T::Time],
            Function::OnShift => &[T::Text, T::Time],
            Function::DrugClass => &[T::Text],
        }
    }

    /// The result type.
    pub fn result(self) -> Type {
        match self {
            Function::Lower | Function::Upper | Function::Weekday | Function::Date => Type::Text,
            Function::Country | Function::DrugClass => Type::Text,
            Function::Length | Function::Hour | Function::Minute | Function::Week => Type::Number,
            Function::Exists
            | Function::StartsWith
            | Function::EndsWith
            | Function::Contains
            | Function::Matches
            | Function::Holiday
            | Function::Related
            | Function::OnShift => Type::Bool,
        }
    }

    /// The call's shape for messages: `starts_with(text, text)`.
    pub fn signature(self) -> String {
        let params: Vec<&str> = self.params().iter().map(|t| t.short()).collect();
        format!("{}({})", self.name(), params.join(", "))
    }
}

/// The longest pattern `matches` accepts, in bytes.
pub const MAX_PATTERN: usize = 1_000;

/// The most memory a compiled `matches` pattern may take, in bytes.
pub const MAX_PATTERN_MEMORY: usize = 1 << 20;

/// Compiles a `matches` pattern within the size bounds.
pub fn compile_pattern(pattern: &str) -> Result<regex::Regex, String> {
    if pattern.len() > MAX_PATTERN {
        return Err(format!("the pattern is over {MAX_PATTERN} bytes"));
    }
    regex::RegexBuilder::new(pattern)
        .size_limit(MAX_PATTERN_MEMORY)
        .dfa_size_limit(MAX_PATTERN_MEMORY)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => "the pattern compiles too big".to_string(),
            other => first_line(&other.to_string()),
        })
}

fn first_line(text: &str) -> String {
    text.lines()
        .rev()
        .find(|l| l.starts_with("error:"))
        .unwrap_or(text)
        .trim_start_matches("error:")
        .trim()
        .to_string()
}
