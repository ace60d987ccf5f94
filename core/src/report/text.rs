//! Every fixed text of the printable report, in each language.
//!
//! One table, [`Text::pair`], holds them all: a text added without a
//! translation does not compile. Placeholders are written `{name}` and
//! filled by [`fill`].

use std::fmt;
use std::str::FromStr;

/// A language of the printable report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// English (`en`).
    #[default]
    En,
    /// Swedish (`sv`).
    Sv,
}

impl Lang {
    /// Every language, in order.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Sv];

    /// The language's ISO 639-1 code, as `--lang` takes it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Sv => "sv",
        }
    }
}

/// A language code that is not `en` or `sv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLang(pub String);

impl fmt::Display for UnknownLang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown report language `{}`", self.0)
    }
}

impl std::error::Error for UnknownLang {}

impl FromStr for Lang {
    type Err = UnknownLang;

    /// Reads `en` or `sv`, in any case.
    fn from_str(text: &str) -> Result<Lang, UnknownLang> {
        let code = text.trim().to_ascii_lowercase();
        Lang::ALL
            .into_iter()
            .find(|lang| lang.code() == code)
            .ok_or_else(|| UnknownLang(text.to_string()))
    }
}

/// A fixed text of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Text {
    Title,
    Subtitle,
    Organisation,
    Period,
    TimeZone,
    RuleFiles,
    InputFiles,
    Seed,
    NoSeed,
    Engine,
    Generated,
    Holidays,
    CountryData,
    NoneGiven,
    Events,
    Read,
    Evaluated,
    Rejected,
    OutsidePeriod,
    Ignored,
    Selection,
    SelectionMethod,
    SelectionFindings,
    SelectionAllFindings,
    SelectionSpot,
    SelectionSpotPopulation,
    SelectionNoSpot,
    Overview,
    ChartHour,
    ChartWeekday,
    ChartCategory,
    ChartUnit,
    UnitNote,
    NoUnit,
    Findings,
    FindingsCount,
    SampledNote,
    NoFindings,
    Rule,
    Key,
    When,
    Explanation,
    Evidence,
    EventsCount,
    OneEvent,
    Review,
    ReviewIntro,
    NoSample,
    Case,
    Kind,
    KindFinding,
    KindSpot,
    Decision,
    Notes,
    Draw,
    SignOff,
    SignStatement,
    Name,
    Date,
    Signature,
    Low,
    Medium,
    High,
    Unauthorized,
    Narcotics,
    Pattern,
    Relation,
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Text {
    /// Every text, for the completeness test.
    #[cfg(test)]
    pub(crate) const ALL: [Text; 74] = {
        use Text::*;
        [
            Title,
            Subtitle,
            Organisation,
            Period,
            TimeZone,
            RuleFiles,
            InputFiles,
            Seed,
            NoSeed,
            Engine,
            Generated,
            Holidays,
            CountryData,
            NoneGiven,
            Events,
            Read,
            Evaluated,
            Rejected,
            OutsidePeriod,
            Ignored,
            Selection,
            SelectionMethod,
            SelectionFindings,
            SelectionAllFindings,
            SelectionSpot,
            SelectionSpotPopulation,
            SelectionNoSpot,
            Overview,
            ChartHour,
            ChartWeekday,
            ChartCategory,
            ChartUnit,
            UnitNote,
            NoUnit,
            Findings,
            FindingsCount,
            SampledNote,
            NoFindings,
            Rule,
            Key,
            When,
            Explanation,
            Evidence,
            EventsCount,
            OneEvent,
            Review,
            ReviewIntro,
            NoSample,
            Case,
            Kind,
            KindFinding,
            KindSpot,
            Decision,
            Notes,
            Draw,
            SignOff,
            SignStatement,
            Name,
            Date,
            Signature,
            Low,
            Medium,
            High,
            Unauthorized,
            Narcotics,
            Pattern,
            Relation,
            Mon,
            Tue,
            Wed,
            Thu,
            Fri,
            Sat,
            Sun,
        ]
    };

    /// The text in `lang`.
    pub(crate) fn get(self, lang: Lang) -> &'static str {
        let [en, sv] = self.pair();
        match lang {
            Lang::En => en,
            Lang::Sv => sv,
        }
    }

    /// The table: English, then Swedish.
    fn pair(self) -> [&'static str; 2] {
        match self {
            Text::Title => ["Access log follow-up", "Uppföljning av åtkomstloggar"],
            Text::Subtitle => [
                "Review of access to patient records",
                "Granskning av åtkomst till patientjournaler",
            ],
            Text::Organisation => ["Organisation", "Organisation"],
            Text::Period => ["Period", "Period"],
            Text::TimeZone => ["Time zone", "Tidszon"],
            Text::RuleFiles => ["Rule files (SHA-256)", "Regelfiler (SHA-256)"],
            Text::InputFiles => ["Input files (SHA-256)", "Indatafiler (SHA-256)"],
            Text::Seed => ["Seed", "Slumpfrö"],
            Text::NoSeed => ["none (nothing sampled)", "inget (inget stickprov)"],
            Text::Engine => ["Loggvakt version", "Loggvakt-version"],
            Text::Generated => ["Generated", "Skapad"],
            Text::Holidays => ["Holiday calendar", "Helgdagskalender"],
            Text::CountryData => ["IP country data", "Data för IP-adressers land"],
            Text::NoneGiven => ["none", "ingen"],
            Text::Events => ["Events", "Händelser"],
            Text::Read => ["read", "lästa"],
            Text::Evaluated => ["evaluated", "utvärderade"],
            Text::Rejected => ["rejected", "avvisade"],
            Text::OutsidePeriod => ["outside the period", "utanför perioden"],
            Text::Ignored => ["ignored", "ignorerade"],
            Text::Selection => ["How cases were selected", "Hur fallen valdes ut"],
            Text::SelectionMethod => [
                "Cases are drawn with the method {method}, version {version}: each \
                 candidate's draw follows from the seed and the candidate's key alone, \
                 and the smallest draws are chosen. With the seed, anyone can draw the \
                 same cases again.",
                "Fallen dras med metoden {method}, version {version}: varje kandidats \
                 lottning följer enbart av slumpfröet och kandidatens nyckel, och de \
                 minsta lottningarna väljs. Med slumpfröet kan vem som helst dra samma \
                 fall igen.",
            ],
            Text::SelectionFindings => [
                "Findings: up to {k} per category are chosen for review.",
                "Avvikelser: upp till {k} per kategori väljs ut för granskning.",
            ],
            Text::SelectionAllFindings => [
                "Findings: the rules ask for no sample; every finding is for review.",
                "Avvikelser: reglerna begär inget stickprov; varje avvikelse ska granskas.",
            ],
            Text::SelectionSpot => [
                "Spot check of ordinary activity: {users} users are drawn among those \
                 with events where {population}, and {events} events of each.",
                "Stickprov av vanlig aktivitet: {users} användare dras bland dem som har \
                 händelser där {population}, och {events} händelser för var och en.",
            ],
            Text::SelectionSpotPopulation => [
                "The population held {users} users and {events} events.",
                "Populationen omfattade {users} användare och {events} händelser.",
            ],
            Text::SelectionNoSpot => [
                "Spot check: the rules ask for none.",
                "Stickprov av vanlig aktivitet: reglerna begär inget.",
            ],
            Text::Overview => ["Overview", "Översikt"],
            Text::ChartHour => ["Accesses by hour of day", "Åtkomster per timme"],
            Text::ChartWeekday => ["Accesses by weekday", "Åtkomster per veckodag"],
            Text::ChartCategory => ["Findings per category", "Avvikelser per kategori"],
            Text::ChartUnit => ["Findings per unit", "Avvikelser per enhet"],
            Text::UnitNote => [
                "A finding counts under the unit in its key; findings whose rule does \
                 not group by unit count under “no unit”. Times are local, {zone}.",
                "En avvikelse räknas under enheten i dess nyckel; avvikelser vars regel \
                 inte grupperar per enhet räknas under ”ingen enhet”. Tider är lokala, \
                 {zone}.",
            ],
            Text::NoUnit => ["no unit", "ingen enhet"],
            Text::Findings => ["Findings", "Avvikelser"],
            Text::FindingsCount => ["{n} findings", "{n} avvikelser"],
            Text::SampledNote => [
                "A bar at the left marks a finding drawn for review (see “Cases for review”).",
                "Ett streck till vänster markerar en avvikelse som dragits för granskning \
                 (se ”Fall att granska”).",
            ],
            Text::NoFindings => ["No findings.", "Inga avvikelser."],
            Text::Rule => ["Rule", "Regel"],
            Text::Key => ["Who / what", "Vem / vad"],
            Text::When => ["When", "När"],
            Text::Explanation => ["Explanation", "Förklaring"],
            Text::Evidence => ["Evidence", "Underlag"],
            Text::EventsCount => ["{n} events", "{n} händelser"],
            Text::OneEvent => ["1 event", "1 händelse"],
            Text::Review => ["Cases for review", "Fall att granska"],
            Text::ReviewIntro => [
                "Write the decision and any notes for each case.",
                "Skriv beslut och eventuella anteckningar för varje fall.",
            ],
            Text::NoSample => ["Nothing was sampled.", "Inget stickprov drogs."],
            Text::Case => ["Case", "Fall"],
            Text::Kind => ["Kind", "Typ"],
            Text::KindFinding => ["finding", "avvikelse"],
            Text::KindSpot => ["spot check", "stickprov"],
            Text::Decision => ["Decision", "Beslut"],
            Text::Notes => ["Notes", "Anteckningar"],
            Text::Draw => ["draw", "lottning"],
            Text::SignOff => ["Sign-off", "Underskrift"],
            Text::SignStatement => [
                "I have reviewed the cases above and recorded my decisions.",
                "Jag har granskat fallen ovan och antecknat mina beslut.",
            ],
            Text::Name => ["Name", "Namn"],
            Text::Date => ["Date", "Datum"],
            Text::Signature => ["Signature", "Namnteckning"],
            Text::Low => ["low", "låg"],
            Text::Medium => ["medium", "medel"],
            Text::High => ["high", "hög"],
            Text::Unauthorized => ["Unauthorized access", "Obehörig åtkomst"],
            Text::Narcotics => ["Narcotics", "Narkotika"],
            Text::Pattern => ["Breaks from ordinary patterns", "Avvikande mönster"],
            Text::Relation => [
                "Reading without an obvious care relation",
                "Läsning utan uppenbar vårdrelation",
            ],
            Text::Mon => ["Mon", "mån"],
            Text::Tue => ["Tue", "tis"],
            Text::Wed => ["Wed", "ons"],
            Text::Thu => ["Thu", "tor"],
            Text::Fri => ["Fri", "fre"],
            Text::Sat => ["Sat", "lör"],
            Text::Sun => ["Sun", "sön"],
        }
    }
}

/// The weekdays, Monday first.
pub(crate) const WEEKDAYS: [Text; 7] = [
    Text::Mon,
    Text::Tue,
    Text::Wed,
    Text::Thu,
    Text::Fri,
    Text::Sat,
    Text::Sun,
];

/// `template` with each `{name}` replaced by its value.
pub(crate) fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut text = template.to_string();
    for (name, value) in values {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `{name}` placeholders of a text, sorted.
    fn placeholders(text: &str) -> Vec<&str> {
        let mut found: Vec<&str> = text
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect();
        found.sort_unstable();
        found
    }

    #[test]
    fn every_text_is_translated_with_the_same_placeholders() {
        for text in Text::ALL {
            let (en, sv) = (text.get(Lang::En), text.get(Lang::Sv));
            assert!(!en.trim().is_empty(), "{text:?} has no English");
            assert!(!sv.trim().is_empty(), "{text:?} has no Swedish");
            assert_eq!(placeholders(en), placeholders(sv), "{text:?}");
        }
    }

    #[test]
    fn swedish_differs_from_english_where_the_words_differ() {
        let same: Vec<Text> = Text::ALL
            .into_iter()
            .filter(|t| t.get(Lang::En) == t.get(Lang::Sv))
            .collect();
        assert_eq!(same, [Text::Organisation, Text::Period]);
    }

    #[test]
    fn languages_read_in_any_case_and_others_are_refused() {
        assert_eq!("sv".parse::<Lang>(), Ok(Lang::Sv));
        assert_eq!(" EN ".parse::<Lang>(), Ok(Lang::En));
        let error = "de".parse::<Lang>().err();
        assert_eq!(error, Some(UnknownLang("de".to_string())));
    }

    #[test]
    fn placeholders_are_filled() {
        let text = fill(Text::FindingsCount.get(Lang::Sv), &[("n", "3")]);
        assert_eq!(text, "3 avvikelser");
    }
}
