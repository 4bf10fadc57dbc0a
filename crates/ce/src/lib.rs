//! Parsers for what engineers paste from their customer-edge (CE) routers,
//! Cisco IOS / IOS-XE, NX-OS, IOS-XR, Juniper Junos, Arista EOS and
//! FRRouting (vtysh), one [`Platform`] for all:
//!
//! - **running configurations** ([`config`]): interfaces, BGP, prefix lists
//!   and route maps, every value with the line and column it is written at,
//!   so that a cross-check can point at the exact line that is wrong;
//! - **show outputs** (this module's [`parse`] and [`parse_reader`]): BGP
//!   summary, BGP neighbor detail, BGP table, ARP, IP route and interfaces.
//!
//! [`detect`](mod@detect) is the one detector: whether a text is a configuration or
//! show outputs ([`detect::classify`]), which platform printed it, and
//! where a pasted session splits into commands at its prompts
//! ([`detect::split_session`]). `text.rs` holds the matchers every parser
//! shares.
//!
//! Every show-output parser reads an output line by line and emits records
//! in two views:
//!
//! - **the ntc-templates view** ([`Rec`], [`Parsed::records_ntc`]): exactly
//!   the field names and value conventions of the ntc-templates project for
//!   that platform and command (strings, lists where it has lists, `""` where
//!   it has them), so that `erdiag parse --schema ntc` can replace TextFSM +
//!   ntc-templates. The parsers are written by hand after the templates'
//!   rules and reproduce TextFSM's record semantics ([`fsm`]); a conformance
//!   test holds them to ntc-templates' own expected results.
//! - **the typed model** ([`model`]): vendor-neutral records for the
//!   customer-edge cross-check (asplain ASNs, parsed addresses, states),
//!   derived from the ntc view (plus a few fields the templates do not
//!   capture, such as the MD5 password or BFD of a BGP neighbor).
//!
//! Which parser applies comes from `--platform`/`--command` or, failing
//! those, from the content ([`detect`](mod@detect)): the prompt line, headers and
//! distinctive lines. Input that is not recognised is an error, never a
//! guess. Lines the parser does not understand become [`Warning`]s that name
//! the line. Input is read as a stream ([`parse_reader`]): memory stays
//! bounded whatever the size of the file.
//!
//! No I/O beyond reading the bytes given; no knowledge of ARM, checks or
//! terminals ([`stream`] is the JSON writer the CLI's `erdiag parse` streams through).

pub mod config;
pub mod detect;
pub(crate) mod fsm;
mod input;
pub mod model;
mod platform;
pub(crate) mod show;
pub mod stream;
pub(crate) mod text;
pub mod values;

pub use detect::{detect, DetectError};
pub use fsm::{Field, Rec};
pub use input::Limits;
pub use model::{Kind, Model};
pub use platform::Platform;

use serde::Serialize;
use serde_json::{Map, Value};
use std::io::BufRead;

/// A line the parser could not use, or something the user should know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// 1-based line number in the input (0: about the whole input).
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line > 0 {
            write!(f, "line {}: {}", self.line, self.message)
        } else {
            f.write_str(&self.message)
        }
    }
}

/// Where parsers send what they find. [`parse`] collects; the CLI streams.
pub trait Sink {
    fn record(&mut self, rec: &Rec<'_>);
    fn warning(&mut self, w: Warning);
    /// Told once when the input stops being plain text (a quote, a
    /// backslash or a control byte was read): until then no value needs
    /// escaping in JSON.
    fn input_not_plain(&mut self) {}
}

/// An output parsed completely, in memory.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub platform: Platform,
    /// The command as ntc-templates names it (`show ip bgp summary`).
    pub command: &'static str,
    pub kind: Kind,
    /// The records in the ntc-templates schema.
    pub records_ntc: Vec<Map<String, Value>>,
    /// The same records in erdiag's typed model.
    pub model: Model,
    pub warnings: Vec<Warning>,
}

/// Why an input could not be parsed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ParseError {
    #[error("line {line} holds binary data (a NUL or control bytes): this is not a router's text output")]
    Binary { line: usize },
    #[error("line {line} is longer than {limit} bytes: this is not a router's text output")]
    LineTooLong { line: usize, limit: usize },
    #[error("the input is larger than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("unknown platform `{0}`: expected one of {list}", list = Platform::names())]
    UnknownPlatform(String),
    #[error("no parser for `{command}` on {platform}: supported commands are {supported}")]
    UnknownCommand { platform: Platform, command: String, supported: String },
    #[error("{0}")]
    Detect(#[from] DetectError),
    #[error("this is not {given} output: it looks like {detected} `{command}` (line {line}); nothing could be parsed with --platform {given}")]
    WrongPlatform { given: Platform, detected: Platform, command: &'static str, line: usize },
    #[error("reading the input failed: {0}")]
    Io(String),
}

/// What a streaming parse found, besides the records it sent to the sink.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub platform: Platform,
    pub command: &'static str,
    pub kind: Kind,
    pub records: u64,
}

/// Parses one show output held in memory.
///
/// `platform` and `command` override detection (`command` is the command as
/// typed, abbreviations allowed: `sh ip bgp sum`). Memory grows with the
/// number of records: use [`parse_reader`] with your own [`Sink`] for large
/// inputs.
pub fn parse(text: &str, platform: Option<Platform>, command: Option<&str>) -> Result<Parsed, ParseError> {
    struct Collect {
        platform: Platform,
        command: &'static str,
        ntc: Vec<Map<String, Value>>,
        model: Model,
        warnings: Vec<Warning>,
    }
    impl Sink for Collect {
        fn record(&mut self, rec: &Rec<'_>) {
            if rec.in_ntc() {
                self.ntc.push(rec.to_map());
            }
            self.model.push(self.platform, self.command, rec);
        }
        fn warning(&mut self, w: Warning) {
            self.warnings.push(w);
        }
    }
    let limits = Limits { max_bytes: None, ..Limits::default() };
    let mut c = Collect { platform: Platform::CiscoIos, command: "", ntc: Vec::new(), model: Model::empty(Kind::BgpSummary), warnings: Vec::new() };
    let outcome = parse_reader_with(text.as_bytes(), platform, command, &mut c, &limits, |c, entry| {
        c.platform = entry.platform;
        c.command = entry.command;
        c.model = Model::empty(entry.kind);
    })?;
    Ok(Parsed { platform: outcome.platform, command: outcome.command, kind: outcome.kind, records_ntc: c.ntc, model: c.model, warnings: c.warnings })
}

/// Parses a show output from a reader, sending records and warnings to
/// `sink` as they are found. Memory is bounded by [`Limits`] whatever the
/// size of the input.
pub fn parse_reader<R: BufRead>(reader: R, platform: Option<Platform>, command: Option<&str>, sink: &mut dyn Sink, limits: &Limits) -> Result<Outcome, ParseError> {
    parse_reader_with(reader, platform, command, sink, limits, |_, _| {})
}

fn parse_reader_with<R: BufRead, S: Sink + ?Sized>(
    reader: R,
    platform: Option<Platform>,
    command: Option<&str>,
    sink: &mut S,
    limits: &Limits,
    on_start: impl FnOnce(&mut S, &show::Entry),
) -> Result<Outcome, ParseError> {
    let mut lines = input::Lines::new(reader, limits);
    let head = lines.head()?;
    let entry = detect::choose(&head, platform, command)?;
    // The prompt line pasted with the output is not part of it; the VRF
    // and address family its command names are the records'.
    let candidates = detect::candidates(&head);
    let prompt_line = candidates.prompt_line;
    let scope = show::scope(command.or(candidates.prompt_command.as_deref()).unwrap_or(""));
    on_start(sink, entry);
    let mut counting = Counting { inner: sink, records: 0, warnings: 0, max_warnings: limits.max_warnings, suppressed: 0, scope };
    {
        let mut out = fsm::Out { sink: &mut counting };
        let mut parser = (entry.new)();
        let mut last = 0;
        while let Some((n, line)) = lines.next_line(&mut out)? {
            if Some(n) == prompt_line {
                continue;
            }
            parser.line(n, line, &mut out);
            last = n;
        }
        parser.finish(last, &mut out);
    }
    if counting.records == 0 {
        if platform.is_some() {
            if let Ok(d) = detect::detect_in(&head) {
                if d.platform != entry.platform && !entry.platform.shares_formats_with(d.platform) {
                    return Err(ParseError::WrongPlatform { given: entry.platform, detected: d.platform, command: d.command, line: d.line });
                }
            }
        }
        let what = if head.lines.iter().all(|(_, l)| l.trim().is_empty()) { "the input is empty" } else { "no records found: the output may be truncated, empty, or of another command" };
        counting.inner.warning(Warning { line: 0, message: format!("{what} ({} `{}`)", entry.platform, entry.command) });
    }
    if counting.suppressed > 0 {
        let n = counting.suppressed;
        counting.inner.warning(Warning { line: 0, message: format!("{n} more warnings not shown") });
    }
    Ok(Outcome { platform: entry.platform, command: entry.command, kind: entry.kind, records: counting.records })
}

/// Counts records and caps warnings so that a garbage input cannot make the
/// warning list grow without bound.
struct Counting<'a, S: Sink + ?Sized> {
    inner: &'a mut S,
    records: u64,
    warnings: usize,
    max_warnings: usize,
    suppressed: u64,
    scope: fsm::Scope,
}

impl<S: Sink + ?Sized> Sink for Counting<'_, S> {
    fn record(&mut self, rec: &Rec<'_>) {
        self.records += 1;
        if self.scope.is_empty() {
            self.inner.record(rec);
        } else {
            self.inner.record(&rec.scoped(&self.scope));
        }
    }
    fn input_not_plain(&mut self) {
        self.inner.input_not_plain();
    }
    fn warning(&mut self, w: Warning) {
        if self.warnings < self.max_warnings {
            self.warnings += 1;
            self.inner.warning(w);
        } else {
            self.suppressed += 1;
        }
    }
}

/// Every (platform, command) erdiag parses, with its ntc-templates command
/// name and the kind of typed record it yields.
pub fn supported() -> impl Iterator<Item = (Platform, &'static str, Kind)> {
    show::ENTRIES.iter().map(|e| (e.platform, e.command, e.kind))
}
