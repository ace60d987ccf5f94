//! A small walk over one XML document held in memory, shared by the
//! readers of XML records (Windows events, ATNA audit messages).
//!
//! The walk checks that the document is well-formed and hands each element
//! to a visitor twice: when it opens, with its attributes, and when it
//! closes, with the text directly inside it.

use quick_xml::events::{BytesRef, BytesStart, Event as Xml};
use quick_xml::{Reader, XmlVersion};

/// One step of the walk.
pub(crate) enum Node<'a> {
    /// An element opens: the local names from the root down to it, and its
    /// attributes by local name, values unescaped.
    Open {
        /// The path of local names, the element's own last.
        path: &'a [String],
        /// The element's attributes.
        attributes: &'a [(String, String)],
    },
    /// An element closes: its path and the text directly inside it.
    Close {
        /// The path of local names, the element's own last.
        path: &'a [String],
        /// The element's own text, entities resolved.
        text: &'a str,
    },
}

/// What the visitor wants next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Next {
    /// Go on walking.
    Continue,
    /// Stop here; the rest of the document is not read or checked.
    Stop,
}

/// Why a document is not well-formed: what, and at which byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fault {
    /// The byte offset in the document where the fault was seen.
    pub offset: usize,
    /// What is wrong, for a person.
    pub message: String,
}

/// The state of a walk.
struct Walk {
    path: Vec<String>,
    attributes: Vec<(String, String)>,
    /// The text of each open element, innermost last.
    texts: Vec<String>,
    rooted: bool,
}

/// Walks `document`, calling `visit` for every element in document order.
pub(crate) fn walk(document: &str, visit: &mut dyn FnMut(&Node<'_>) -> Next) -> Result<(), Fault> {
    let mut reader = Reader::from_str(document);
    let mut state = Walk {
        path: Vec::new(),
        attributes: Vec::new(),
        texts: Vec::new(),
        rooted: false,
    };
    loop {
        let at = position(reader.buffer_position());
        let event = reader.read_event().map_err(|e| Fault {
            offset: position(reader.error_position()),
            message: e.to_string(),
        })?;
        let step = state.step(event, visit).map_err(|message| Fault {
            offset: at,
            message,
        })?;
        match step {
            Some(Next::Continue) => {}
            Some(Next::Stop) => return Ok(()),
            None => return state.finish(document.len()),
        }
    }
}

fn position(offset: u64) -> usize {
    usize::try_from(offset).unwrap_or(usize::MAX)
}

impl Walk {
    /// Takes one parser event; `None` at the end of the document.
    fn step(
        &mut self,
        event: Xml<'_>,
        visit: &mut dyn FnMut(&Node<'_>) -> Next,
    ) -> Result<Option<Next>, String> {
        let next = match event {
            Xml::Start(tag) => self.open(&tag, visit)?,
            Xml::Empty(tag) => match self.open(&tag, visit)? {
                Next::Continue => self.close(visit),
                Next::Stop => Next::Stop,
            },
            Xml::End(_) => self.close(visit),
            Xml::Text(text) => self.text(&text.xml10_content())?,
            Xml::CData(data) => self.text(&data.xml10_content())?,
            Xml::GeneralRef(reference) => self.text(&resolve(&reference)?)?,
            Xml::Eof => return Ok(None),
            Xml::Comment(_) | Xml::Decl(_) | Xml::PI(_) | Xml::DocType(_) => Next::Continue,
        };
        Ok(Some(next))
    }

    fn open(
        &mut self,
        tag: &BytesStart<'_>,
        visit: &mut dyn FnMut(&Node<'_>) -> Next,
    ) -> Result<Next, String> {
        let name = tag.local_name().as_ref().to_string();
        if self.path.is_empty() && self.rooted {
            return Err(format!(
                "a second root element `<{name}>` follows the first"
            ));
        }
        self.rooted = true;
        read_attributes(tag, &mut self.attributes)?;
        self.path.push(name);
        self.texts.push(String::new());
        Ok(visit(&Node::Open {
            path: &self.path,
            attributes: &self.attributes,
        }))
    }

    fn close(&mut self, visit: &mut dyn FnMut(&Node<'_>) -> Next) -> Next {
        let text = self.texts.pop().unwrap_or_default();
        let next = visit(&Node::Close {
            path: &self.path,
            text: &text,
        });
        self.path.pop();
        next
    }

    fn text(&mut self, text: &str) -> Result<Next, String> {
        match self.texts.last_mut() {
            Some(own) => own.push_str(text),
            None if text.trim().is_empty() => {}
            None => return Err("text stands outside the root element".into()),
        }
        Ok(Next::Continue)
    }

    /// The end of the document: every element must be closed.
    fn finish(&self, end: usize) -> Result<(), Fault> {
        let message = match self.path.last() {
            Some(open) => format!("the XML ends before `</{open}>`"),
            None if !self.rooted => "the XML has no root element".to_string(),
            None => return Ok(()),
        };
        Err(Fault {
            offset: end,
            message,
        })
    }
}

/// Reads a tag's attributes into `into`, by local name; a malformed or
/// repeated attribute is a fault.
fn read_attributes(tag: &BytesStart<'_>, into: &mut Vec<(String, String)>) -> Result<(), String> {
    into.clear();
    for attribute in tag.attributes() {
        let attribute = attribute.map_err(|e| e.to_string())?;
        let value = attribute
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| e.to_string())?;
        let name = attribute.key.local_name().as_ref().to_string();
        into.push((name, value.into_owned()));
    }
    Ok(())
}

/// The text an entity or character reference stands for.
fn resolve(reference: &BytesRef<'_>) -> Result<String, String> {
    if let Some(character) = reference.resolve_char_ref().map_err(|e| e.to_string())? {
        return Ok(character.to_string());
    }
    let name: &str = reference;
    quick_xml::escape::resolve_predefined_entity(name)
        .map(str::to_string)
        .ok_or_else(|| format!("unknown entity `&{name};`"))
}

/// The value of attribute `name`, trimmed; absent when blank.
pub(crate) fn attribute<'a>(attributes: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attributes
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.trim())
        .filter(|value| !value.is_empty())
}

/// True when `path` ends with `names`.
pub(crate) fn ends_with(path: &[String], names: &[&str]) -> bool {
    path.len() >= names.len()
        && path[path.len() - names.len()..]
            .iter()
            .zip(names)
            .all(|(have, want)| have == want)
}

/// The line, from `first`, that byte `offset` of `text` is on.
pub(crate) fn line_at(first: u64, text: &str, offset: usize) -> u64 {
    let before = text.as_bytes().get(..offset).unwrap_or(text.as_bytes());
    let newlines = before.iter().filter(|&&b| b == b'\n').count();
    first.saturating_add(u64::try_from(newlines).unwrap_or(u64::MAX))
}
