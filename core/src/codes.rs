//! The registry of diagnostic codes.
//!
//! A code names one kind of problem for good: it is never reused for another
//! meaning, and `docs/errors.md` documents each one. Input codes also carry a
//! short reason name that reports count rejected records under.

/// One entry of the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    /// The stable code, such as `LV0101`.
    pub code: &'static str,
    /// A snake-case name, used as the rejection reason in reports.
    pub name: &'static str,
    /// What the code means, in one line.
    pub summary: &'static str,
}

macro_rules! registry {
    ($($konst:ident = $code:literal, $name:literal, $summary:literal;)*) => {
        $(
            #[doc = $summary]
            pub const $konst: Code = Code { code: $code, name: $name, summary: $summary };
        )*

        /// Every code, in order.
        pub const ALL: &[Code] = &[$($konst),*];
    };
}

registry! {
    SYNTAX = "LV0101", "syntax", "the rule file does not follow the grammar";
    BAD_STRING = "LV0102", "bad_string", "a string literal has an unknown escape";
    BAD_NUMBER = "LV0103", "bad_number", "a number literal is out of range";
    TOO_DEEP = "LV0104", "too_deep", "expressions are nested too deeply";

    UNKNOWN_FIELD = "LV0201", "unknown_field", "a rule names a field events do not have";
    UNKNOWN_CATEGORY = "LV0202", "unknown_category", "a rule names an unknown category";
    UNKNOWN_SEVERITY = "LV0203", "unknown_severity", "a rule names an unknown severity";
    DUPLICATE_RULE = "LV0204", "duplicate_rule", "two rules share a name";
    MISSING_CLAUSE = "LV0205", "missing_clause", "a rule lacks a required clause";
    DUPLICATE_CLAUSE = "LV0206", "duplicate_clause", "a rule gives the same clause twice";
    TYPE_MISMATCH = "LV0207", "type_mismatch", "a value is compared with one of another type";
    UNKNOWN_PLACEHOLDER =
        "LV0208", "unknown_placeholder", "an explanation names a value the rule lacks";
    UNKNOWN_ZONE = "LV0209", "unknown_zone", "a time zone is not an IANA zone name";
    UNKNOWN_VALUE = "LV0210", "unknown_value", "a literal can never equal the field";
    UNKNOWN_FUNCTION = "LV0211", "unknown_function", "an aggregate or function is unknown";
    DUPLICATE_KEY = "LV0212", "duplicate_key", "a group key is listed twice";
    ALERT_WITHOUT_GROUP =
        "LV0213", "alert_without_group", "a rule alerts on counts but does not group events";
    CONFLICTING_ZONE = "LV0214", "conflicting_zone", "rule files declare different zones";
    NOT_A_CONDITION = "LV0215", "not_a_condition", "a `where` or `alert` is not true or false";
    DUPLICATE_PARAM = "LV0216", "duplicate_param", "two parameters share a name";
    UNUSED_PARAM = "LV0217", "unused_param", "a parameter is declared but no rule uses it";
    BAD_PARAM = "LV0218", "bad_param", "a parameter override names no parameter or has the wrong type";
    NO_RULES = "LV0219", "no_rules", "the rule files define no rules";
    BAD_PATTERN = "LV0220", "bad_pattern", "a `matches` pattern is not a regular expression within bounds";
    DUPLICATE_NAME =
        "LV0221", "duplicate_name", "a list or condition takes a name already in use";
    BAD_LIST = "LV0222", "bad_list", "a list mixes kinds of members or holds a bad address";
    UNUSED_DEFINITION =
        "LV0223", "unused_definition", "a list or condition is declared but never used";
    BAD_WINDOW = "LV0224", "bad_window", "a sliding window is not a positive duration of at most 31 days";
    UNKNOWN_EXCEPTION = "LV0225", "unknown_exception", "`except` names no declared exception";
    CONFLICTING_HOLIDAYS =
        "LV0226", "conflicting_holidays", "rule files declare different holiday calendars";
    NEVER_FIRES = "LV0227", "never_fires", "a rule's condition can never hold";
    BAD_SAMPLE = "LV0228", "bad_sample", "a sampling directive is repeated or asks for an impossible size";

    INVALID_JSON = "LV0301", "invalid_json", "a record is not valid JSON";
    MISSING_FIELD = "LV0302", "missing_field", "a record lacks a required field";
    WRONG_TYPE = "LV0303", "wrong_type", "a field has the wrong type";
    BAD_TIME = "LV0304", "bad_time", "a timestamp cannot be read";
    BAD_IP = "LV0305", "bad_ip", "an address is not an IP address";
    INVALID_UTF8 = "LV0306", "invalid_utf8", "a record is not valid UTF-8";
    LINE_TOO_LONG = "LV0307", "line_too_long", "a record is longer than the limit";
    NOT_AN_OBJECT = "LV0308", "not_an_object", "a record is not a JSON object";
    UNSUPPORTED_RESOURCE =
        "LV0309", "unsupported_resource", "a FHIR Bundle is nested where it cannot be";
    BAD_OUTCOME = "LV0310", "bad_outcome", "an outcome is not success, failure or denied";
    BAD_XML = "LV0311", "bad_xml", "a record is not well-formed XML";
    BAD_SYSLOG = "LV0312", "bad_syslog", "a syslog frame cannot be read";
    BAD_MAPPING = "LV0313", "bad_mapping", "a column mapping names a column the header lacks";
    BAD_ROW = "LV0314", "bad_row", "a row has another number of fields than the header";
    DUPLICATE_EVENT =
        "LV0315", "duplicate_event", "a record repeats an event already read, id and content";
    NOTHING_EVALUATED =
        "LV0316", "nothing_evaluated", "a run evaluated no event: the input was empty, unreadable or outside the period";

    BAD_PERIOD = "LV0401", "bad_period", "a period is not a month written YYYY-MM";
    BAD_ZONE = "LV0402", "bad_zone", "a time zone option is not an IANA zone name";
    READ_FAILED = "LV0403", "read_failed", "a file cannot be read";
    BAD_FORMAT = "LV0404", "bad_format", "an input format name is unknown";
    BAD_OPTION = "LV0405", "bad_option", "an option is malformed or names an unknown field";
    WRITE_FAILED = "LV0406", "write_failed", "the report cannot be written";
    BAD_LANGUAGE = "LV0407", "bad_language", "a report language is not `en` or `sv`";
    BAD_ARGUMENT =
        "LV0410", "bad_argument", "an argument or option of a binding call has the wrong type";
    BAD_CONTEXT_OBJECT = "LV0411", "bad_context_object",
        "context tables given as objects are not arrays of objects or lists of strings";
    INTERNAL = "LV0412", "internal", "the binding failed inside; a bug, caught before it crashed";

    DUPLICATE_USER = "LV0501", "duplicate_user", "two users share an id";
    DUPLICATE_PATIENT = "LV0502", "duplicate_patient", "two patients share an id";
    ENDS_BEFORE_START =
        "LV0503", "ends_before_start", "a care relation or employment ends before it starts";
    BAD_CIDR = "LV0504", "bad_cidr", "a list entry is not an IP address range";
    DUPLICATE_LIST = "LV0505", "duplicate_list", "two lists share a name";
    BAD_COUNTRY = "LV0506", "bad_country", "a country is not a two-letter ISO 3166 code";
    CONFLICTING_RANGE =
        "LV0507", "conflicting_range", "an IP range is given two different countries";
    DUPLICATE_DRUG = "LV0508", "duplicate_drug", "two drugs share an id";
    UNKNOWN_CONTEXT_FILE = "LV0509", "unknown_context_file",
        "a context folder holds a file of an unknown name, or one data set twice";
    BAD_COLUMN = "LV0510", "bad_column",
        "a context file lacks a required column or has one of an unknown name";
    BAD_CONTEXT_TIME =
        "LV0511", "bad_context_time", "a date or time in a context file cannot be read";
    BAD_BOOLEAN = "LV0512", "bad_boolean", "a yes-or-no value in a context file is not one";
    BAD_NARCOTIC_CLASS =
        "LV0513", "bad_narcotic_class", "a drug's narcotic class is not II, III, IV or V";
    BAD_SCHEDULE = "LV0514", "bad_schedule", "a work schedule in a context file cannot be read";
    BAD_CONTEXT_ROW = "LV0515", "bad_context_row",
        "a context row lacks a value it needs, or gives values that cannot go together";
    BAD_CONTEXT_FILE = "LV0516", "bad_context_file",
        "a context file cannot be read, or is not CSV, JSON or a list as its name says";

    TEST_JSON = "LV0601", "test_json", "a rule-test file is not valid JSON";
    TEST_SHAPE = "LV0602", "test_shape",
        "a member of a rule-test file is missing, unknown or of the wrong type";
    TEST_RULE = "LV0603", "test_rule", "a rule test names a rule the rule files do not define";
    TEST_PARAM = "LV0604", "test_param",
        "a rule test sets a parameter the rules lack, or gives a value of the wrong type";
    TEST_EVENT = "LV0605", "test_event", "an event in a rule test is not read or not evaluated";
    TEST_VALUE = "LV0606", "test_value", "a zone, period or window in a rule test cannot be read";
    NO_TESTS = "LV0607", "no_tests", "no rule-test file is found where one was asked for";

    BAD_TIME_OF_DAY =
        "LV0701", "bad_time_of_day", "a time of day is not HH:MM from 00:00 to 24:00";
    BAD_TIME_RANGE = "LV0702", "bad_time_range", "a time range is not written HH:MM-HH:MM";
    BAD_WEEKDAY = "LV0703", "bad_weekday", "a weekday is not one of mon, tue, … sun";
    UNKNOWN_CALENDAR = "LV0704", "unknown_calendar", "a holiday calendar name is unknown";

    BAD_REPORT = "LV0801", "bad_report", "a file to verify is not a Loggvakt report this version reads";
    REPORT_MISMATCH =
        "LV0802", "report_mismatch", "a report does not follow from the inputs given to verify it";
}

/// Looks a code up by its text, such as `LV0201`.
pub fn lookup(code: &str) -> Option<Code> {
    ALL.iter().copied().find(|entry| entry.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn codes_and_names_are_unique() {
        let codes: BTreeSet<_> = ALL.iter().map(|c| c.code).collect();
        let names: BTreeSet<_> = ALL.iter().map(|c| c.name).collect();
        assert_eq!(codes.len(), ALL.len());
        assert_eq!(names.len(), ALL.len());
    }

    #[test]
    fn lookup_finds_a_code() {
        assert_eq!(lookup("LV0304").map(|c| c.name), Some("bad_time"));
        assert_eq!(lookup("LV9999"), None);
    }
}
