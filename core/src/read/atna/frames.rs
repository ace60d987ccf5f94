//! Cuts a byte stream into syslog frames with bounded memory.
//!
//! Two framings of RFC 6587 are read, frame by frame:
//!
//! - **octet counting**: a frame that starts with a decimal length and a
//!   space (`312 <85>1 …`) is exactly that many bytes after the space;
//! - **newline separation**: any other frame runs up to the next line that
//!   starts a new RFC 5424 frame (`<PRI>1 `, one to three digits), so the
//!   message in it may span lines.
//!
//! Whitespace between frames is passed over. A frame longer than the limit
//! is skipped without being kept.

use std::io::{self, BufRead, ErrorKind};

/// The most digits an octet count may have.
const COUNT_DIGITS: u8 = 9;

/// What the cutter found next.
#[derive(Debug)]
pub(crate) enum Piece {
    /// A whole frame starting on `line`; its bytes are in [`Frames::frame`]
    /// until the next call.
    Frame {
        /// The line the frame starts on, from 1.
        line: u64,
    },
    /// A frame of `size` bytes, over the limit, skipped.
    TooLong {
        /// The line the frame starts on.
        line: u64,
        /// Its length in bytes.
        size: usize,
    },
    /// An octet-counted frame cut off by the end of the input.
    Cut {
        /// The line the frame starts on.
        line: u64,
        /// How many of its bytes are missing.
        missing: usize,
    },
    /// Reading failed; nothing more follows.
    Failed(io::Error),
}

/// Reads syslog frames from a byte stream.
pub(crate) struct Frames<R> {
    input: R,
    split: Split,
    done: bool,
}

impl<R: BufRead> Frames<R> {
    /// Cuts `input`, holding at most `limit` bytes of one frame. Nothing is
    /// read until the first call to [`Frames::next_piece`].
    pub(crate) fn new(input: R, limit: usize) -> Frames<R> {
        Frames {
            input,
            split: Split::new(limit),
            done: false,
        }
    }

    /// The bytes of the last [`Piece::Frame`].
    pub(crate) fn frame(&self) -> &[u8] {
        &self.split.frame
    }

    /// The line reading has come to, from 1.
    pub(crate) fn line(&self) -> u64 {
        self.split.line
    }

    /// The next piece; `None` at the end of the input.
    pub(crate) fn next_piece(&mut self) -> Option<Piece> {
        if self.done {
            return None;
        }
        self.split.resume();
        loop {
            let chunk = match self.input.fill_buf() {
                Ok(chunk) => chunk,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.done = true;
                    return Some(Piece::Failed(e));
                }
            };
            if chunk.is_empty() {
                self.done = true;
                return self.split.at_end();
            }

            let mut used = 0;
            let mut found = None;
            for &byte in chunk {
                used += 1;
                found = self.split.feed(byte);
                if found.is_some() {
                    break;
                }
            }
            self.input.consume(used);
            if found.is_some() {
                return found;
            }
        }
    }
}

/// Where the cutter is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Between frames, passing over whitespace.
    Between,
    /// Reading what may be an octet count.
    Count { value: usize, digits: u8 },
    /// Inside an octet-counted frame with this many bytes to go.
    Octets { left: usize },
    /// Inside a newline-separated frame; `matching` while the start of a
    /// line is checked for the start of a new frame.
    Lines { matching: Option<Match> },
}

/// How much of `<PRI>1 ` the start of a line has matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Match {
    /// Nothing yet: `<` comes next.
    Open,
    /// `<` and this many digits.
    Digits(u8),
    /// `<PRI>`: the version `1` comes next.
    Version,
    /// `<PRI>1`: a space comes next.
    Space,
}

/// The result of one byte against a [`Match`].
enum Matched {
    /// Still possibly the start of a frame.
    Partly(Match),
    /// The start of a frame.
    Fully,
    /// Not the start of a frame.
    No,
}

impl Match {
    fn step(self, byte: u8) -> Matched {
        match (self, byte) {
            (Match::Open, b'<') => Matched::Partly(Match::Digits(0)),
            (Match::Digits(n), b'0'..=b'9') if n < 3 => Matched::Partly(Match::Digits(n + 1)),
            (Match::Digits(n), b'>') if n > 0 => Matched::Partly(Match::Version),
            (Match::Version, b'1') => Matched::Partly(Match::Space),
            (Match::Space, b' ') => Matched::Fully,
            _ => Matched::No,
        }
    }
}

/// The cutter's state, fed one byte at a time.
struct Split {
    limit: usize,
    mode: Mode,
    /// The frame being read, at most `limit` bytes of it.
    frame: Vec<u8>,
    /// The frame's length.
    size: usize,
    /// The line the frame starts on.
    start: u64,
    /// The line of the next byte.
    line: u64,
    /// Bytes held back: the start of a line being matched, or an octet
    /// count being read.
    head: Vec<u8>,
    /// The line `head` starts on.
    head_line: u64,
    /// True when `head` is the start of the next frame.
    carry: bool,
}

impl Split {
    fn new(limit: usize) -> Split {
        Split {
            limit,
            mode: Mode::Between,
            frame: Vec::new(),
            size: 0,
            start: 1,
            line: 1,
            head: Vec::new(),
            head_line: 1,
            carry: false,
        }
    }

    /// Starts the next frame with the bytes held back, when the last frame
    /// ended where a new one began.
    fn resume(&mut self) {
        if !self.carry {
            return;
        }
        self.carry = false;
        self.begin(self.head_line);
        self.flush_head();
        self.mode = Mode::Lines { matching: None };
    }

    fn begin(&mut self, line: u64) {
        self.frame.clear();
        self.size = 0;
        self.start = line;
    }

    fn keep(&mut self, byte: u8) {
        self.size = self.size.saturating_add(1);
        if self.size <= self.limit {
            self.frame.push(byte);
        }
    }

    fn hold(&mut self, byte: u8) {
        if self.head.is_empty() {
            self.head_line = self.line;
        }
        self.head.push(byte);
    }

    fn flush_head(&mut self) {
        let head = std::mem::take(&mut self.head);
        head.iter().for_each(|&byte| self.keep(byte));
        self.head = head;
        self.head.clear();
    }

    /// Takes one byte; the piece when a frame ends with it.
    fn feed(&mut self, byte: u8) -> Option<Piece> {
        let piece = match self.mode {
            Mode::Between => {
                self.between(byte);
                None
            }
            Mode::Count { value, digits } => {
                self.count(value, digits, byte);
                None
            }
            Mode::Octets { left } => self.octet(left, byte),
            Mode::Lines { matching } => self.lines(matching, byte),
        };
        if byte == b'\n' {
            self.line = self.line.saturating_add(1);
        }
        piece
    }

    fn between(&mut self, byte: u8) {
        if byte.is_ascii_whitespace() {
            return;
        }
        self.begin(self.line);
        if byte.is_ascii_digit() {
            self.hold(byte);
            let value = usize::from(byte - b'0');
            self.mode = Mode::Count { value, digits: 1 };
        } else {
            self.keep(byte);
            self.mode = Mode::Lines { matching: None };
        }
    }

    /// An octet count ends at a space; anything else makes the frame an
    /// ordinary line.
    fn count(&mut self, value: usize, digits: u8, byte: u8) {
        if byte.is_ascii_digit() && digits < COUNT_DIGITS {
            self.hold(byte);
            let value = value * 10 + usize::from(byte - b'0');
            self.mode = Mode::Count {
                value,
                digits: digits + 1,
            };
        } else if byte == b' ' && value > 0 {
            self.head.clear();
            self.mode = Mode::Octets { left: value };
        } else {
            self.flush_head();
            self.mode = Mode::Lines { matching: None };
            self.lines(None, byte);
        }
    }

    fn octet(&mut self, left: usize, byte: u8) -> Option<Piece> {
        self.keep(byte);
        let left = left - 1;
        if left > 0 {
            self.mode = Mode::Octets { left };
            return None;
        }
        self.mode = Mode::Between;
        Some(self.finished())
    }

    fn lines(&mut self, matching: Option<Match>, byte: u8) -> Option<Piece> {
        let Some(progress) = matching else {
            self.keep(byte);
            if byte == b'\n' {
                self.mode = Mode::Lines {
                    matching: Some(Match::Open),
                };
            }
            return None;
        };

        self.hold(byte);
        match progress.step(byte) {
            Matched::Partly(next) => {
                self.mode = Mode::Lines {
                    matching: Some(next),
                }
            }
            Matched::Fully => {
                self.carry = true;
                return Some(self.finished());
            }
            Matched::No => {
                self.flush_head();
                let again = (byte == b'\n').then_some(Match::Open);
                self.mode = Mode::Lines { matching: again };
            }
        }
        None
    }

    /// The end of the input: the frame being read, if any, ends here.
    fn at_end(&mut self) -> Option<Piece> {
        match self.mode {
            Mode::Between => None,
            Mode::Octets { left } => Some(Piece::Cut {
                line: self.start,
                missing: left,
            }),
            Mode::Count { .. } | Mode::Lines { .. } => {
                self.flush_head();
                Some(self.finished())
            }
        }
    }

    fn finished(&self) -> Piece {
        let line = self.start;
        if self.size > self.limit {
            Piece::TooLong {
                line,
                size: self.size,
            }
        } else {
            Piece::Frame { line }
        }
    }
}
