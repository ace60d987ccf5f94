//! Finds where a value sits in a JSON text, so a problem in a test file can
//! be shown at its line and column.
//!
//! serde_json gives a place only for syntax errors; once the text is known
//! to be valid JSON, this scanner walks it again along a path of member
//! names and list positions. It never recurses, so deep input cannot
//! exhaust the stack, and on text it does not understand it gives up with
//! `None` rather than guess.

use std::ops::Range;

/// One step down into a JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// An object member, by name.
    Key(String),
    /// A list element, from 0.
    Index(usize),
}

/// A path from the top of a document.
pub type Path = Vec<Step>;

/// Where a value is: the byte range of its member name (when it is an
/// object member) and of the value itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The member name, quotes included.
    pub key: Option<Range<usize>>,
    /// The value.
    pub value: Range<usize>,
}

/// The place of the value at `path` in `text`, valid JSON.
pub fn locate(text: &str, path: &[Step]) -> Option<Found> {
    let mut scan = Scanner { text, at: 0 };
    scan.skip_space();
    let mut key = None;
    for step in path {
        key = match step {
            Step::Key(name) => Some(scan.member(name)?),
            Step::Index(index) => {
                scan.element(*index)?;
                None
            }
        };
    }
    let start = scan.at;
    scan.skip_value()?;
    Some(Found {
        key,
        value: start..scan.at,
    })
}

struct Scanner<'t> {
    text: &'t str,
    at: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    /// Consumes `byte` (after white space) or fails.
    fn expect(&mut self, byte: u8) -> Option<()> {
        self.skip_space();
        (self.peek() == Some(byte)).then(|| self.at += 1)
    }

    /// Moves to the value of member `name` of the object here; returns the
    /// range of the name.
    fn member(&mut self, name: &str) -> Option<Range<usize>> {
        self.expect(b'{')?;
        loop {
            self.skip_space();
            let start = self.at;
            self.skip_string()?;
            let range = start..self.at;
            let key: String = serde_json::from_str(self.text.get(range.clone())?).ok()?;
            self.expect(b':')?;
            self.skip_space();
            if key == name {
                return Some(range);
            }
            self.skip_value()?;
            self.expect(b',')?;
        }
    }

    /// Moves to element `index` of the list here.
    fn element(&mut self, index: usize) -> Option<()> {
        self.expect(b'[')?;
        for _ in 0..index {
            self.skip_space();
            self.skip_value()?;
            self.expect(b',')?;
        }
        self.skip_space();
        (self.peek() != Some(b']')).then_some(())
    }

    fn skip_string(&mut self) -> Option<()> {
        (self.peek() == Some(b'"')).then_some(())?;
        self.at += 1;
        loop {
            match self.peek()? {
                b'\\' => self.at += 2,
                b'"' => {
                    self.at += 1;
                    return Some(());
                }
                _ => self.at += 1,
            }
        }
    }

    /// Skips the value here: nested lists and objects by counting
    /// brackets, so depth costs no stack.
    fn skip_value(&mut self) -> Option<()> {
        let mut depth = 0usize;
        loop {
            match self.peek()? {
                b'"' => self.skip_string()?,
                b'{' | b'[' => {
                    depth += 1;
                    self.at += 1;
                }
                b'}' | b']' if depth > 0 => {
                    depth -= 1;
                    self.at += 1;
                }
                b'}' | b']' => return None,
                _ if depth > 0 => self.at += 1,
                _ => self.skip_scalar(),
            }
            if depth == 0 {
                return Some(());
            }
        }
    }

    /// Skips a number or `true`, `false`, `null`.
    fn skip_scalar(&mut self) {
        let ends = |b: u8| b.is_ascii_whitespace() || matches!(b, b',' | b']' | b'}');
        while self.peek().is_some_and(|b| !ends(b)) {
            self.at += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at<'t>(text: &'t str, path: &[Step]) -> Option<&'t str> {
        let found = locate(text, path)?;
        text.get(found.value)
    }

    fn key(name: &str) -> Step {
        Step::Key(name.to_string())
    }

    #[test]
    fn finds_members_and_elements() {
        let text = r#" {"a": [1, {"b\"c": "x,]"}, [true]], "d": null} "#;
        assert_eq!(
            at(text, &[]),
            Some(r#"{"a": [1, {"b\"c": "x,]"}, [true]], "d": null}"#)
        );
        assert_eq!(at(text, &[key("a"), Step::Index(0)]), Some("1"));
        assert_eq!(
            at(text, &[key("a"), Step::Index(1), key("b\"c")]),
            Some("\"x,]\"")
        );
        assert_eq!(at(text, &[key("a"), Step::Index(2)]), Some("[true]"));
        assert_eq!(at(text, &[key("d")]), Some("null"));
        let found = locate(text, &[key("d")]);
        assert_eq!(found.and_then(|f| text.get(f.key?)), Some("\"d\""));
    }

    #[test]
    fn gives_up_on_a_missing_path() {
        let text = r#"{"a": [1]}"#;
        assert_eq!(at(text, &[key("b")]), None);
        assert_eq!(at(text, &[key("a"), Step::Index(1)]), None);
        assert_eq!(at(text, &[key("a"), key("x")]), None);
        assert_eq!(at("{\"a\": \"open", &[key("a")]), None);
    }
}
