//! Cuts a stream of XML into its `<Event>` elements with bounded memory.
//!
//! A light scan finds where each piece of markup ends (tags with quoted
//! attribute values, comments, CDATA sections, processing instructions and
//! declarations), so an `<Event>` element can be held alone and handed to a
//! real XML parser. Everything outside `<Event>` elements is passed over.
//! An element larger than the limit is skipped without being kept.

use std::io::{self, BufRead, ErrorKind};

/// The longest tag name kept; longer names are never `Event`.
const NAME_LIMIT: usize = 64;

/// The element that makes a record.
const EVENT: &[u8] = b"Event";

/// What the cutter found next.
#[derive(Debug)]
pub(crate) enum Piece {
    /// A whole `<Event>` element starting on `line`; its bytes are in
    /// [`Frames::frame`] until the next call.
    Event {
        /// The line its `<Event` is on, from 1.
        line: u64,
    },
    /// An `<Event>` element of `size` bytes, over the limit, skipped.
    TooLong {
        /// The line its `<Event` is on.
        line: u64,
        /// Its length in bytes, as far as it was read.
        size: usize,
    },
    /// An `<Event>` element that does not end.
    Broken {
        /// The line its `<Event` is on.
        line: u64,
        /// Why it does not end.
        reason: String,
    },
    /// Reading failed; nothing more follows.
    Failed(io::Error),
}

/// Reads `<Event>` elements from a byte stream.
pub(crate) struct Frames<R> {
    input: R,
    scan: Scan,
    frame: Vec<u8>,
    size: usize,
    /// An event whose start tag is already in `frame`: its line, and
    /// whether the tag closes itself.
    begun: Option<(u64, bool)>,
    done: bool,
}

impl<R: BufRead> Frames<R> {
    /// Cuts `input`, holding at most `limit` bytes of one event. Nothing is
    /// read until the first call to [`Frames::next_piece`].
    pub(crate) fn new(input: R, limit: usize) -> Frames<R> {
        Frames {
            input,
            scan: Scan::new(limit),
            frame: Vec::new(),
            size: 0,
            begun: None,
            done: false,
        }
    }

    /// The bytes of the last [`Piece::Event`].
    pub(crate) fn frame(&self) -> &[u8] {
        &self.frame
    }

    /// The line reading has come to, from 1.
    pub(crate) fn line(&self) -> u64 {
        self.scan.line
    }

    /// The next piece; `None` at the end of the input.
    pub(crate) fn next_piece(&mut self) -> Option<Piece> {
        if self.done {
            return None;
        }
        match self.step() {
            Ok(Some(piece)) => Some(piece),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Piece::Failed(e))
            }
        }
    }

    fn step(&mut self) -> io::Result<Option<Piece>> {
        let begun = match self.begun.take() {
            Some(begun) => begun,
            None => match self.find_start()? {
                Start::Event(begun) => begun,
                Start::Stray { line, reason } => return Ok(Some(Piece::Broken { line, reason })),
                Start::End => return Ok(None),
            },
        };
        let (line, closed) = begun;
        if closed {
            return Ok(Some(self.finish(line)));
        }
        self.collect(line).map(Some)
    }

    /// Passes over well-formed markup and white space up to the next
    /// `<Event` start tag and keeps that tag; `None` at the end of the
    /// input. Anything that could hide an event — text, a nameless tag, an
    /// `</Event>` without its start, markup the input ends inside — is a
    /// broken piece, so that nothing is passed over unseen.
    fn find_start(&mut self) -> io::Result<Start> {
        loop {
            let unit = self.scan.read(&mut self.input, true)?;
            match unit {
                Unit::Open { empty } if self.scan.names(EVENT) => {
                    return Ok(Start::Event(self.begin(empty)));
                }
                Unit::Cut { start: true } if self.scan.names(EVENT) => {
                    return Ok(Start::Event(self.begin(false)));
                }
                Unit::Eof => return Ok(Start::End),
                _ => {}
            }
            if let Some(reason) = self.stray(unit) {
                let line = self.scan.start;
                return Ok(Start::Stray { line, reason });
            }
        }
    }

    /// Why a unit outside every event may hide one, if it may.
    fn stray(&self, unit: Unit) -> Option<String> {
        let blank = |b: &u8| b.is_ascii_whitespace();
        let text = self
            .scan
            .unit
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(&self.scan.unit);
        match unit {
            Unit::Text if !text.iter().all(blank) => {
                Some("text stands outside any `<Event>` element".to_string())
            }
            Unit::Open { .. } | Unit::Close if self.scan.name.is_empty() => {
                Some("a `<` does not start a tag".to_string())
            }
            Unit::Close if self.scan.names(EVENT) => {
                Some("an `</Event>` has no `<Event>` before it".to_string())
            }
            Unit::Cut { .. } => {
                Some("the input ends inside markup that is never closed".to_string())
            }
            _ => None,
        }
    }

    /// Starts a frame with the start tag just scanned.
    fn begin(&mut self, empty: bool) -> (u64, bool) {
        self.frame.clear();
        self.size = 0;
        self.append();
        (self.scan.start, empty)
    }

    /// Reads the rest of an event begun on `line`, up to its `</Event>`.
    fn collect(&mut self, line: u64) -> io::Result<Piece> {
        loop {
            let unit = self.scan.read(&mut self.input, true)?;
            match unit {
                Unit::Eof | Unit::Cut { .. } => {
                    let reason = "the input ends before the event's `</Event>`".to_string();
                    return Ok(self.broken(line, reason));
                }
                Unit::Open { empty } if self.scan.names(EVENT) => {
                    let next = self.scan.start;
                    let reason =
                        format!("another `<Event>` starts on line {next} before this one ends");
                    let piece = self.broken(line, reason);
                    self.begun = Some(self.begin(empty));
                    return Ok(piece);
                }
                Unit::Close if self.scan.names(EVENT) => {
                    self.append();
                    return Ok(self.finish(line));
                }
                _ => self.append(),
            }
        }
    }

    /// Adds the unit just scanned to the frame, while within the limit.
    fn append(&mut self) {
        self.size = self.size.saturating_add(self.scan.size);
        if self.size <= self.scan.limit {
            self.frame.extend_from_slice(&self.scan.unit);
        }
    }

    fn finish(&self, line: u64) -> Piece {
        if self.size > self.scan.limit {
            Piece::TooLong {
                line,
                size: self.size,
            }
        } else {
            Piece::Event { line }
        }
    }

    /// An event that does not end is too long when it is already over the
    /// limit, else broken.
    fn broken(&self, line: u64, reason: String) -> Piece {
        if self.size > self.scan.limit {
            Piece::TooLong {
                line,
                size: self.size,
            }
        } else {
            Piece::Broken { line, reason }
        }
    }
}

/// What the search for the next event found.
enum Start {
    /// An event's start tag: its line, and whether it closes itself.
    Event((u64, bool)),
    /// Something outside the events that may hide one: reported, then passed.
    Stray {
        /// Where it starts.
        line: u64,
        /// What it is.
        reason: String,
    },
    /// The end of the input.
    End,
}

/// One piece of XML text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    /// Character data up to the next `<`.
    Text,
    /// A start tag; `empty` when it closes itself (`<a/>`).
    Open { empty: bool },
    /// An end tag.
    Close,
    /// A comment, CDATA section, processing instruction or declaration.
    Other,
    /// The input ended inside markup; `start` when it was a start tag.
    Cut { start: bool },
    /// The input ended.
    Eof,
}

/// Scans one unit at a time, keeping its bytes up to the limit.
struct Scan {
    limit: usize,
    /// The bytes of the last unit, at most `limit` of them.
    unit: Vec<u8>,
    /// The length of the last unit.
    size: usize,
    /// The local name of the last tag, up to [`NAME_LIMIT`] bytes.
    name: Vec<u8>,
    /// The line the last unit starts on.
    start: u64,
    /// The line the scan is on.
    line: u64,
}

/// How far into a piece of markup the scan is.
#[derive(Debug, Clone, Copy)]
enum Markup {
    /// Just after `<`.
    Open,
    /// After `<!`, with this many bytes of `--` or `[CDATA[` matched.
    Bang { dash: bool, matched: usize },
    /// Inside a comment, after this many `-` in a row.
    Comment(u8),
    /// Inside a CDATA section, after this many `]` in a row.
    CData(u8),
    /// Inside a processing instruction; true just after a `?`.
    Pi(bool),
    /// Inside a declaration, this many `[` deep.
    Declaration(u32),
    /// Inside a tag.
    Tag(Tag),
}

/// The scan of a tag.
#[derive(Debug, Clone, Copy)]
struct Tag {
    end: bool,
    naming: bool,
    quote: Option<u8>,
    slash: bool,
}

const CDATA: &[u8] = b"[CDATA[";

impl Scan {
    fn new(limit: usize) -> Scan {
        Scan {
            limit,
            unit: Vec::new(),
            size: 0,
            name: Vec::new(),
            start: 1,
            line: 1,
        }
    }

    /// True when the last tag's local name is `name`.
    fn names(&self, name: &[u8]) -> bool {
        self.name == name
    }

    /// Reads the next unit; text is kept only when `keep_text`.
    fn read(&mut self, input: &mut impl BufRead, keep_text: bool) -> io::Result<Unit> {
        self.unit.clear();
        self.size = 0;
        self.name.clear();
        self.start = self.line;
        match peek(input)? {
            None => Ok(Unit::Eof),
            Some(b'<') => self.markup(input),
            Some(_) => {
                self.text(input, keep_text)?;
                Ok(Unit::Text)
            }
        }
    }

    fn keep(&mut self, bytes: &[u8]) {
        let room = self.limit.saturating_sub(self.unit.len());
        self.unit.extend_from_slice(&bytes[..bytes.len().min(room)]);
        self.size = self.size.saturating_add(bytes.len());
        self.count_lines(bytes);
    }

    fn count_lines(&mut self, bytes: &[u8]) {
        let newlines = bytes.iter().filter(|&&b| b == b'\n').count();
        self.line = self
            .line
            .saturating_add(u64::try_from(newlines).unwrap_or(u64::MAX));
    }

    /// Character data up to the next `<`.
    fn text(&mut self, input: &mut impl BufRead, keep: bool) -> io::Result<()> {
        loop {
            let chunk = fill(input)?;
            if chunk.is_empty() {
                return Ok(());
            }
            let end = chunk.iter().position(|&b| b == b'<');
            let part = &chunk[..end.unwrap_or(chunk.len())];
            if keep {
                self.keep(part);
            } else {
                self.size = self.size.saturating_add(part.len());
                self.count_lines(part);
            }
            let used = part.len();
            input.consume(used);
            if end.is_some() {
                return Ok(());
            }
        }
    }

    /// A piece of markup, from its `<` to its `>`.
    fn markup(&mut self, input: &mut impl BufRead) -> io::Result<Unit> {
        let mut state = Markup::Open;
        let mut first = true;
        loop {
            let chunk = fill(input)?;
            if chunk.is_empty() {
                let start = matches!(state, Markup::Tag(Tag { end: false, .. }));
                return Ok(Unit::Cut { start });
            }
            let mut used = 0;
            let mut found = None;
            for &byte in chunk {
                used += 1;
                if first {
                    first = false;
                    continue;
                }
                if let Some(unit) = self.step(&mut state, byte) {
                    found = Some(unit);
                    break;
                }
            }
            self.keep(&chunk[..used]);
            input.consume(used);
            if let Some(unit) = found {
                return Ok(unit);
            }
        }
    }

    /// Moves the markup scan on by one byte; the unit when it ends there.
    fn step(&mut self, state: &mut Markup, byte: u8) -> Option<Unit> {
        match *state {
            Markup::Open => {
                *state = opened(byte);
                match state {
                    Markup::Tag(tag) if !tag.end => self.tag(tag, byte),
                    _ => None,
                }
            }
            Markup::Bang { dash, matched } => {
                *state = bang(dash, matched, byte);
                declaration_end(state, byte)
            }
            Markup::Comment(dashes) => run_end(state, byte, b'-', dashes, Markup::Comment),
            Markup::CData(brackets) => run_end(state, byte, b']', brackets, Markup::CData),
            Markup::Pi(question) => {
                *state = Markup::Pi(byte == b'?');
                (question && byte == b'>').then_some(Unit::Other)
            }
            Markup::Declaration(_) => declaration_end(state, byte),
            Markup::Tag(mut tag) => {
                let unit = self.tag(&mut tag, byte);
                *state = Markup::Tag(tag);
                unit
            }
        }
    }

    /// One byte of a tag: its name, its quoted values, its end.
    fn tag(&mut self, tag: &mut Tag, byte: u8) -> Option<Unit> {
        if let Some(quote) = tag.quote {
            if byte == quote {
                tag.quote = None;
            }
            return None;
        }
        if tag.naming {
            if !(byte.is_ascii_whitespace() || byte == b'/' || byte == b'>') {
                self.name_byte(byte);
                return None;
            }
            tag.naming = false;
        }
        match byte {
            b'"' | b'\'' => tag.quote = Some(byte),
            b'>' if tag.end => return Some(Unit::Close),
            b'>' => return Some(Unit::Open { empty: tag.slash }),
            _ => {}
        }
        if !byte.is_ascii_whitespace() {
            tag.slash = byte == b'/';
        }
        None
    }

    /// Keeps a byte of a tag name; a prefix up to `:` is dropped.
    fn name_byte(&mut self, byte: u8) {
        if byte == b':' {
            self.name.clear();
        } else if self.name.len() < NAME_LIMIT {
            self.name.push(byte);
        }
    }
}

/// The markup a byte after `<` starts.
fn opened(byte: u8) -> Markup {
    let tag = |end| {
        Markup::Tag(Tag {
            end,
            naming: true,
            quote: None,
            slash: false,
        })
    };
    match byte {
        b'!' => Markup::Bang {
            dash: false,
            matched: 0,
        },
        b'?' => Markup::Pi(false),
        b'/' => tag(true),
        _ => tag(false),
    }
}

/// After `<!`: a comment, a CDATA section or a declaration.
fn bang(dash: bool, matched: usize, byte: u8) -> Markup {
    let in_dashes = (matched == 0 || dash) && byte == b'-';
    if in_dashes {
        return if matched == 1 {
            Markup::Comment(0)
        } else {
            Markup::Bang {
                dash: true,
                matched: 1,
            }
        };
    }
    let in_cdata = !dash && CDATA.get(matched) == Some(&byte);
    if in_cdata && matched + 1 == CDATA.len() {
        return Markup::CData(0);
    }
    if in_cdata {
        return Markup::Bang {
            dash: false,
            matched: matched + 1,
        };
    }
    Markup::Declaration(0)
}

/// One byte of a declaration; it ends at a `>` outside brackets. A state
/// that is not a declaration (yet) is left alone.
fn declaration_end(state: &mut Markup, byte: u8) -> Option<Unit> {
    let Markup::Declaration(depth) = *state else {
        return None;
    };
    match byte {
        b'[' => *state = Markup::Declaration(depth.saturating_add(1)),
        b']' => *state = Markup::Declaration(depth.saturating_sub(1)),
        b'>' if depth == 0 => return Some(Unit::Other),
        _ => {}
    }
    None
}

/// Comments end at `-->` and CDATA sections at `]]>`: `run` counts the
/// repeated byte before the `>`.
fn run_end(
    state: &mut Markup,
    byte: u8,
    repeated: u8,
    run: u8,
    make: fn(u8) -> Markup,
) -> Option<Unit> {
    if byte == b'>' && run >= 2 {
        return Some(Unit::Other);
    }
    *state = make(if byte == repeated {
        run.saturating_add(1).min(2)
    } else {
        0
    });
    None
}

/// The next byte, without consuming it; `None` at the end of the input.
fn peek(input: &mut impl BufRead) -> io::Result<Option<u8>> {
    Ok(fill(input)?.first().copied())
}

/// The buffered bytes, retrying when interrupted.
fn fill(input: &mut impl BufRead) -> io::Result<&[u8]> {
    loop {
        match input.fill_buf() {
            Ok(_) => break,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    input.fill_buf()
}
