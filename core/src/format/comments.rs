//! Comments, recovered from the text: the grammar skips them.
//!
//! The scanner finds every `#` comment by byte position, stepping over
//! strings so a `#` inside one is not taken for a comment. Each comment is
//! then placed relative to the constructs around it: inside one, after one
//! on the same line, or on a line of its own.

/// A `#` comment: from the `#` to the end of its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Comment {
    /// The byte of the `#`.
    pub start: usize,
    /// The byte of the line break that ends it, or the end of the text.
    pub end: usize,
}

impl Comment {
    /// The comment as it is printed: the text without trailing white space.
    pub fn text<'t>(&self, source: &'t str) -> &'t str {
        source.get(self.start..self.end).unwrap_or("").trim_end()
    }
}

/// Where a comment belongs among a sequence of constructs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    /// Inside the construct with this index (between its first and last token).
    Inside(usize),
    /// At the end of the line on which the construct with this index ends.
    After(usize),
    /// On a line of its own, between constructs.
    Free,
}

/// Every comment of `text`, in order. The text is one that parsed, so
/// strings are closed and never hold a raw line break.
pub(super) fn scan(text: &str) -> Vec<Comment> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => i = skip_string(bytes, i + 1),
            b'#' => {
                let end = i + bytes[i..].iter().take_while(|b| **b != b'\n').count();
                found.push(Comment { start: i, end });
                i = end;
            }
            _ => i += 1,
        }
    }
    found
}

/// The index after the closing quote of a string whose body starts at `i`.
fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
        i += if bytes[i] == b'\\' { 2 } else { 1 };
    }
    i + 1
}

/// The end of the last token in `start..end`: pest's spans of rules that
/// end in an optional part run on over the white space and comments after
/// the last token, so they are trimmed here.
pub(super) fn code_end(text: &str, comments: &[Comment], start: usize, end: usize) -> usize {
    let bytes = text.as_bytes();
    let mut end = end.min(bytes.len());
    loop {
        while end > start && bytes[end - 1].is_ascii_whitespace() {
            end -= 1;
        }
        match containing(comments, end) {
            Some(comment) if comment.start >= start => end = comment.start,
            _ => return end,
        }
    }
}

/// The comment whose text holds the byte just before `at`.
fn containing(comments: &[Comment], at: usize) -> Option<&Comment> {
    let before = comments.partition_point(|c| c.start < at);
    let comment = comments.get(before.checked_sub(1)?)?;
    (at <= comment.end).then_some(comment)
}

/// Where `comment` belongs among `spans`: the `(start, end)` byte ranges of
/// constructs in order, each ending at its last token.
pub(super) fn place(text: &str, comment: &Comment, spans: &[(usize, usize)]) -> Place {
    let after = spans.partition_point(|(start, _)| *start <= comment.start);
    let Some(index) = after.checked_sub(1) else {
        return Place::Free;
    };
    let (_, end) = spans[index];
    if comment.start < end {
        return Place::Inside(index);
    }
    let between = text.get(end..comment.start).unwrap_or("\n");
    if between.chars().all(|c| matches!(c, ' ' | '\t' | ';')) {
        Place::After(index)
    } else {
        Place::Free
    }
}

/// Whether a blank line comes right before byte `at`: the white space in
/// front of it holds two line breaks or more.
pub(super) fn blank_before(text: &str, at: usize) -> bool {
    let before = text.get(..at).unwrap_or("");
    let space = before.len() - before.trim_end().len();
    before[before.len() - space..]
        .bytes()
        .filter(|b| *b == b'\n')
        .count()
        >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        scan(text).iter().map(|c| c.text(text)).collect()
    }

    #[test]
    fn a_hash_in_a_string_is_not_a_comment() {
        let text = "zone \"a#b\\\"#c\" # real \r\nparam x = 1#two\n# three";
        assert_eq!(texts(text), ["# real", "#two", "# three"]);
    }

    #[test]
    fn spans_are_trimmed_over_space_and_comments() {
        let text = "param x = 1  # note\n  # more\n\nparam y = 2";
        let comments = scan(text);
        assert_eq!(code_end(text, &comments, 0, 30), 11);
        assert_eq!(code_end(text, &comments, 0, 11), 11);
    }

    #[test]
    fn comments_are_placed_inside_after_or_free() {
        let text = "a b # after\n# free\nc # inside\nd e";
        let spans = [(0, 3), (19, 32), (33, 34)];
        let places: Vec<Place> = scan(text).iter().map(|c| place(text, c, &spans)).collect();
        assert_eq!(places, [Place::After(0), Place::Free, Place::Inside(1)]);
    }

    #[test]
    fn blank_lines_are_found_before_a_position() {
        let text = "a\n\n  b\nc";
        assert!(blank_before(text, 5));
        assert!(!blank_before(text, 7));
        assert!(!blank_before(text, 0));
    }
}
