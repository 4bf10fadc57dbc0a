//! Reading an input as lines, with bounded memory: a line longer than
//! [`Limits::max_line`] is an error, not an allocation; a NUL byte or a run
//! of control bytes or invalid UTF-8 is binary data, an error that names the
//! line. A few invalid UTF-8 bytes (a Latin-1 description) are replaced and
//! warned about. A UTF-8 byte-order mark before the first line is dropped;
//! an indentation every line of the head shares is taken off every line.
//! The first [`Limits::head_bytes`] are kept for detection.

use crate::{fsm::Out, ParseError};
use std::io::BufRead;

/// Bounds on what one parse may hold in memory.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Longest line accepted, in bytes.
    pub max_line: usize,
    /// Largest input accepted, in bytes (`None`: any; the stream is never
    /// held whole).
    pub max_bytes: Option<u64>,
    /// Warnings passed on before the rest are only counted.
    pub max_warnings: usize,
    /// How much of the start of the input detection looks at.
    pub head_bytes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_line: 64 * 1024, max_bytes: None, max_warnings: 1000, head_bytes: 64 * 1024 }
    }
}

/// The start of the input, for detection.
#[derive(Debug, Clone, Default)]
pub(crate) struct Head {
    /// (line number, text).
    pub lines: Vec<(usize, String)>,
}

pub(crate) struct Lines<'l, R> {
    reader: R,
    limits: &'l Limits,
    /// Whole lines read ahead, checked once: lines are sliced out of it.
    chunk: String,
    pos: usize,
    /// The start of a line not yet ended by a newline.
    rest: Vec<u8>,
    /// The chunk needs a line-by-line check (control bytes, bad UTF-8).
    slow: Option<Vec<u8>>,
    /// A line decoded with replacement characters, or replayed from the head.
    owned: String,
    head: std::collections::VecDeque<(usize, String, bool)>,
    n: usize,
    bytes: u64,
    bad_lines: usize,
    eof: bool,
    /// No quote, backslash or control byte read so far.
    plain: bool,
    /// The sink was told it is not.
    told: bool,
    /// Spaces every line of the head starts with (an output pasted
    /// indented, from a mail or a document): taken off every line.
    indent: usize,
}

const CHUNK: usize = 256 * 1024;

/// Whether `raw` holds a control byte other than newline, tab and CR (or
/// DEL). Branch-free over blocks, so that it compiles to vector code: it
/// looks at every byte of the input.
fn has_odd_bytes(raw: &[u8]) -> bool {
    raw.chunks(128).any(|block| block.iter().fold(false, |any, &x| any | ((x < 0x20) & (x != b'\n') & (x != b'\t') & (x != b'\r')) | (x == 0x7f)))
}

/// `line` without up to `k` leading spaces.
#[inline]
fn dedent(line: &str, k: usize) -> &str {
    if k == 0 {
        return line;
    }
    let n = line.bytes().take(k).take_while(|&b| b == b' ').count();
    &line[n..]
}

enum Got {
    /// `chunk[a..b]`
    Chunk(usize, usize),
    /// `owned`, with invalid UTF-8 replaced.
    Lossy,
    /// `owned`
    Owned,
}

impl<'l, R: BufRead> Lines<'l, R> {
    pub fn new(reader: R, limits: &'l Limits) -> Self {
        Lines { reader, limits, chunk: String::new(), pos: 0, rest: Vec::new(), slow: None, owned: String::new(), head: Default::default(), n: 0, bytes: 0, bad_lines: 0, eof: false, plain: true, told: false, indent: 0 }
    }

    /// Reads the head (and keeps it to replay it).
    pub fn head(&mut self) -> Result<Head, ParseError> {
        let mut size = 0;
        while size < self.limits.head_bytes && self.head.len() < 2000 {
            let Some(g) = self.read_raw()? else { break };
            let (text, lossy) = match g {
                Got::Chunk(a, b) => (self.chunk[a..b].to_string(), false),
                Got::Lossy => (self.owned.clone(), true),
                Got::Owned => (self.owned.clone(), false),
            };
            // A UTF-8 byte-order mark (Windows editors write one) is not text.
            let text = match text.strip_prefix('\u{feff}') {
                Some(t) if self.n == 1 => t.to_string(),
                _ => text,
            };
            size += text.len() + 1;
            self.head.push_back((self.n, text, lossy));
        }
        let spaces = |l: &str| l.len() - l.trim_start_matches(' ').len();
        self.indent = self.head.iter().filter(|(_, l, _)| !l.trim().is_empty()).map(|(_, l, _)| spaces(l)).min().unwrap_or(0);
        Ok(Head { lines: self.head.iter().map(|(n, l, _)| (*n, dedent(l, self.indent).to_string())).collect() })
    }

    /// The next line (number, text without its line ending).
    pub fn next_line(&mut self, out: &mut Out<'_>) -> Result<Option<(usize, &str)>, ParseError> {
        if !self.plain && !self.told {
            self.told = true;
            out.sink.input_not_plain();
        }
        if let Some((n, line, lossy)) = self.head.pop_front() {
            if lossy {
                out.warn(n, "invalid UTF-8 replaced");
            }
            self.owned = line;
            return Ok(Some((n, dedent(&self.owned, self.indent))));
        }
        let got = self.read_raw()?;
        if !self.plain && !self.told {
            self.told = true;
            out.sink.input_not_plain();
        }
        let k = self.indent;
        match got {
            None => Ok(None),
            Some(Got::Chunk(a, b)) => Ok(Some((self.n, dedent(&self.chunk[a..b], k)))),
            Some(Got::Owned) => Ok(Some((self.n, dedent(&self.owned, k)))),
            Some(Got::Lossy) => {
                out.warn(self.n, "invalid UTF-8 replaced");
                Ok(Some((self.n, dedent(&self.owned, k))))
            }
        }
    }

    /// Reads the next chunk of whole lines; false at the end of input.
    fn fill(&mut self) -> Result<bool, ParseError> {
        let max = self.limits.max_line;
        // The spent chunk's allocation takes the next one.
        let mut raw = std::mem::take(&mut self.chunk).into_bytes();
        raw.clear();
        raw.extend_from_slice(&self.rest);
        self.rest.clear();
        loop {
            let have = raw.len();
            let k = std::io::Read::read_to_end(&mut std::io::Read::take(std::io::Read::by_ref(&mut self.reader), CHUNK as u64), &mut raw).map_err(|e| ParseError::Io(e.to_string()))?;
            if k == 0 {
                self.eof = true;
                if raw.is_empty() {
                    return Ok(false);
                }
                // The last line has no newline.
                raw.push(b'\n');
                break;
            }
            if memchr::memchr(b'\n', &raw[have..]).is_some() {
                break;
            }
            if raw.len() > max + 2 {
                return Err(ParseError::LineTooLong { line: self.n + 1, limit: max });
            }
        }
        let last = memchr::memrchr(b'\n', &raw).map_or(0, |i| i + 1);
        self.rest.extend_from_slice(&raw[last..]);
        raw.truncate(last);
        // Control bytes other than newline, tab, CR, or invalid UTF-8, send
        // the chunk line by line through the careful path.
        let odd = has_odd_bytes(&raw);
        // A tab or CR inside a value must be escaped in JSON as well.
        if self.plain && (memchr::memchr3(b'"', b'\\', b'\t', &raw).is_some() || memchr::memchr(b'\r', &raw).is_some()) {
            self.plain = false;
        }
        if odd {
            self.plain = false;
            self.slow = Some(raw);
            self.pos = 0;
            return Ok(true);
        }
        match String::from_utf8(raw) {
            Ok(s) => {
                self.chunk = s;
                self.slow = None;
            }
            Err(e) => {
                self.plain = false;
                self.slow = Some(e.into_bytes());
            }
        }
        self.pos = 0;
        Ok(true)
    }

    /// The next line.
    fn read_raw(&mut self) -> Result<Option<Got>, ParseError> {
        let max = self.limits.max_line;
        loop {
            if let Some(raw) = &mut self.slow {
                if self.pos < raw.len() {
                    let nl = memchr::memchr(b'\n', &raw[self.pos..]).map_or(raw.len(), |i| self.pos + i);
                    let line = raw[self.pos..nl].to_vec();
                    self.pos = nl + 1;
                    return self.careful(line).map(Some);
                }
                self.slow = None;
                self.pos = 0;
                self.chunk.clear();
            }
            if self.pos < self.chunk.len() {
                let r = &self.chunk.as_bytes()[self.pos..];
                let nl = memchr::memchr(b'\n', r).map_or(self.chunk.len(), |i| self.pos + i);
                let a = self.pos;
                self.pos = nl + 1;
                self.n += 1;
                self.bytes += (nl + 1 - a) as u64;
                if let Some(limit) = self.limits.max_bytes {
                    if self.bytes > limit {
                        return Err(ParseError::TooLarge { limit });
                    }
                }
                let mut b = nl;
                if b > a && self.chunk.as_bytes()[b - 1] == b'\r' {
                    b -= 1;
                }
                if b - a > max {
                    return Err(ParseError::LineTooLong { line: self.n, limit: max });
                }
                return Ok(Some(Got::Chunk(a, b)));
            }
            if self.eof || !self.fill()? {
                return Ok(None);
            }
        }
    }

    /// A line of a chunk that needs looking at: NUL is binary; a few
    /// control bytes or bad UTF-8 are tolerated, many are binary.
    fn careful(&mut self, mut line: Vec<u8>) -> Result<Got, ParseError> {
        self.n += 1;
        self.bytes += line.len() as u64 + 1;
        if let Some(limit) = self.limits.max_bytes {
            if self.bytes > limit {
                return Err(ParseError::TooLarge { limit });
            }
        }
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        if line.len() > self.limits.max_line {
            return Err(ParseError::LineTooLong { line: self.n, limit: self.limits.max_line });
        }
        let mut ctl = 0usize;
        for &x in &line {
            if x == 0 {
                return Err(ParseError::Binary { line: self.n });
            }
            ctl += usize::from((x < 0x20 && !matches!(x, b'\t' | b'\r' | 0x0b | 0x0c | 0x1b | 0x08 | 0x07)) || x == 0x7f);
        }
        let text = String::from_utf8(line);
        if ctl == 0 {
            if let Ok(s) = text {
                self.owned = s;
                return Ok(Got::Owned);
            }
        }
        self.bad_lines += 1;
        if ctl > 2 || self.bad_lines > 8 && self.bad_lines * 10 > self.n {
            return Err(ParseError::Binary { line: self.n });
        }
        match text {
            Ok(s) => {
                self.owned = s;
                Ok(Got::Owned)
            }
            Err(e) => {
                self.owned = String::from_utf8_lossy(e.as_bytes()).into_owned();
                Ok(Got::Lossy)
            }
        }
    }
}
