//! The header of an RFC 5424 syslog frame:
//! `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]`.

/// The parts of a frame the ATNA reader uses; `-` (nil) values are absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Frame<'a> {
    /// TIMESTAMP, as written.
    pub timestamp: Option<&'a str>,
    /// HOSTNAME.
    pub hostname: Option<&'a str>,
    /// MSG, without a leading byte-order mark; empty when there is none.
    pub message: &'a str,
    /// How many bytes of the frame come before MSG.
    pub message_offset: usize,
}

/// The largest priority value: facility 23, severity 7.
const MAX_PRIORITY: u32 = 191;

/// Reads a frame's header; the error says what is wrong, for a person.
pub(crate) fn parse(frame: &str) -> Result<Frame<'_>, String> {
    let rest = priority(frame)?;
    let rest = rest
        .strip_prefix("1 ")
        .ok_or("the frame is not RFC 5424 syslog: version `1` must follow the priority")?;

    let mut fields = [""; 5];
    let mut rest = rest;
    let following = ["HOSTNAME", "APP-NAME", "PROCID", "MSGID", "STRUCTURED-DATA"];
    for (field, next) in fields.iter_mut().zip(following) {
        let (value, after) = rest
            .split_once(' ')
            .ok_or_else(|| format!("the syslog header ends before {next}"))?;
        *field = value;
        rest = after;
    }

    let rest = structured_data(rest)?;
    let message = match rest.strip_prefix(' ') {
        Some(message) => message.trim_start_matches('\u{feff}'),
        None if rest.is_empty() || rest.trim().is_empty() => "",
        None => return Err("the structured data must be followed by a space".into()),
    };
    Ok(Frame {
        timestamp: nil(fields[0]),
        hostname: nil(fields[1]),
        message,
        message_offset: frame.len() - message.len(),
    })
}

/// `<PRI>`: one to three digits, at most 191; returns what follows.
fn priority(frame: &str) -> Result<&str, String> {
    let wrong = || "the frame does not start with a priority such as `<85>`".to_string();
    let inside = frame.strip_prefix('<').ok_or_else(wrong)?;
    let (digits, rest) = inside.split_once('>').ok_or_else(wrong)?;
    let valid = (1..=3).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
    let value: u32 = digits.parse().ok().filter(|_| valid).ok_or_else(wrong)?;
    if value > MAX_PRIORITY {
        return Err(format!("the priority `<{digits}>` is over {MAX_PRIORITY}"));
    }
    Ok(rest)
}

/// STRUCTURED-DATA: `-`, or one or more `[id name="value" …]` elements in
/// which `\"`, `\\` and `\]` are escapes; returns what follows.
fn structured_data(text: &str) -> Result<&str, String> {
    if let Some(rest) = text.strip_prefix('-') {
        return Ok(rest);
    }
    if !text.starts_with('[') {
        return Err("the structured data is neither `-` nor `[…]`".into());
    }
    let mut rest = text;
    while rest.starts_with('[') {
        rest = element_end(rest)
            .map(|end| &rest[end..])
            .ok_or("a structured data element is not closed with `]`")?;
    }
    Ok(rest)
}

/// The byte just after the `]` that closes the element `text` starts with.
fn element_end(text: &str) -> Option<usize> {
    let mut quoted = false;
    let mut escaped = false;
    for (at, byte) in text.bytes().enumerate() {
        match byte {
            _ if escaped => escaped = false,
            b'\\' if quoted => escaped = true,
            b'"' => quoted = !quoted,
            b']' if !quoted => return Some(at + 1),
            _ => {}
        }
    }
    None
}

fn nil(value: &str) -> Option<&str> {
    Some(value).filter(|v| *v != "-" && !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_header_with_structured_data() {
        let frame =
            r#"<85>1 2026-03-01T08:00:00Z host app 12 ID [a x="1\]" y="\"q"][b] <AuditMessage/>"#;
        let parsed = parse(frame);
        assert_eq!(
            parsed
                .as_ref()
                .map(|f| (f.timestamp, f.hostname, f.message)),
            Ok((
                Some("2026-03-01T08:00:00Z"),
                Some("host"),
                "<AuditMessage/>"
            ))
        );
    }

    #[test]
    fn nil_values_and_no_message() {
        let parsed = parse("<0>1 - - - - - -");
        assert_eq!(
            parsed.map(|f| (f.timestamp, f.hostname, f.message)),
            Ok((None, None, ""))
        );
    }

    #[test]
    fn says_what_is_wrong() {
        let cases = [
            ("hello", "priority"),
            ("<192>1 - - - - - -", "over 191"),
            ("<85> - - - - - -", "version"),
            ("<85>1 - - -", "before PROCID"),
            ("<85>1 - - - - - [a x=\"]", "not closed"),
            ("<85>1 - - - - - x", "neither"),
        ];
        for (frame, words) in cases {
            let error = parse(frame).err().unwrap_or_default();
            assert!(error.contains(words), "{frame}: {error}");
        }
    }
}
