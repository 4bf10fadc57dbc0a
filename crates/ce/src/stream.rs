//! The streaming JSON writer behind `erdiag parse`: records are written as
//! they are parsed, so a file of any size is read in bounded memory.
//! [`Schema::Ntc`] writes a JSON array of records exactly as TextFSM +
//! ntc-templates would (a drop-in replacement); [`Schema::Erdiag`] an object
//! with the platform, the command, the typed records and the warnings.
//!
//! No terminal, no flags, no exit codes: the CLI (`erdiag parse`) opens the
//! input and standard output and decides what a warning means for the exit.

use crate::model::json::BgpRouteWriter;
use crate::model::Model;
use crate::{Field, Limits, Platform, Rec, Sink, Warning};
use std::io::{BufRead, Write};

/// What to parse and how to write it.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The platform; `None`: recognised from the content.
    pub platform: Option<Platform>,
    /// The command as typed on the router; `None`: recognised from the content.
    pub command: Option<String>,
    pub schema: Schema,
    /// Refuse inputs larger than this many bytes.
    pub max_size: Option<u64>,
}

/// Field names and values of the records written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Schema {
    /// erdiag's typed, vendor-neutral records.
    #[default]
    Erdiag,
    /// ntc-templates' field names and values (what TextFSM returns): the
    /// bare list of records, so that what reads TextFSM's output reads
    /// this; the warnings are returned to the caller, not written (they
    /// would change the list into an object).
    Ntc,
}

/// Why nothing (or not everything) could be written.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    #[error("reading the input failed: {0}")]
    Read(#[source] std::io::Error),
    /// UTF-16 that does not decode (the message names the line).
    #[error("{0}")]
    Decode(String),
    #[error(transparent)]
    Parse(#[from] crate::ParseError),
    #[error("writing the output failed: {0}")]
    Write(#[source] std::io::Error),
}

/// Parses `input` and writes the records to `out`: the warnings, or the error. Nothing is
/// written when nothing could be parsed (the output starts with the first
/// record, or at the end).
///
/// UTF-16 with a byte-order mark (what Windows PowerShell's `>` writes) is
/// decoded whole by the same reader as `erdiag import`'s; UTF-8 is streamed
/// (a byte-order mark is dropped by the line reader).
pub fn write_json<R: BufRead, W: Write>(mut input: R, args: &Options, out: W) -> Result<Vec<Warning>, StreamError> {
    let head = input.fill_buf().map_err(StreamError::Read)?;
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        let mut bytes = Vec::new();
        input.read_to_end(&mut bytes).map_err(StreamError::Read)?;
        let text = erdiag_import::read_text("", &bytes).map_err(|e| StreamError::Decode(e.message.clone() + &e.line.map(|l| format!(" (line {l})")).unwrap_or_default()))?;
        return run_parse_stream(text.as_bytes(), args, out);
    }
    run_parse_stream(input, args, out)
}

fn run_parse_stream<R: BufRead, W: Write>(input: R, args: &Options, out: W) -> Result<Vec<Warning>, StreamError> {
    let limits = Limits { max_bytes: args.max_size, ..Limits::default() };
    let mut sink = JsonSink { out, io_error: None, schema: args.schema, started: false, records: 0, batch: Vec::with_capacity(BATCH + 4096), held: 0, plain: true, model: None, routes: None, platform: Platform::CiscoIos, command: "", warnings: Vec::new() };
    crate::parse_reader_with(input, args.platform, args.command.as_deref(), &mut sink, &limits, |s, e| {
        s.platform = e.platform;
        s.command = e.command;
        s.model = Some(Model::empty(e.kind));
        s.routes = (e.kind == crate::Kind::BgpRoutes).then(BgpRouteWriter::default);
    })?;
    sink.finish();
    match sink.io_error {
        Some(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(StreamError::Write(e)),
        _ => Ok(sink.warnings),
    }
}

/// Output is written in chunks of this size.
const BATCH: usize = 64 * 1024;

/// Writes records as they come, in chunks: nothing but one chunk is held.
struct JsonSink<W: Write> {
    out: W,
    io_error: Option<std::io::Error>,
    schema: Schema,
    started: bool,
    records: u64,
    batch: Vec<u8>,
    /// Bytes at the end of `batch` that the next chunk does not take yet:
    /// the BGP path written last (see [`Sink::record`]).
    held: usize,
    /// The input has had no quote, backslash or control byte: values are
    /// written without looking for characters to escape.
    plain: bool,
    /// erdiag schema: typed records not yet written (the last may still
    /// gain next hops).
    model: Option<Model>,
    /// erdiag schema, BGP tables: paths are written straight from their
    /// records, not through `model`.
    routes: Option<BgpRouteWriter>,
    platform: Platform,
    command: &'static str,
    warnings: Vec<Warning>,
}

impl<W: Write> JsonSink<W> {
    fn flush_batch(&mut self) {
        self.held = 0;
        if self.io_error.is_none() {
            if let Err(e) = self.out.write_all(&self.batch) {
                // A closed pipe or a full disk: parse on, write nothing more.
                self.io_error = Some(e);
            }
        }
        self.batch.clear();
    }

    /// Writes a chunk when the batch (less what is held) is full.
    fn flush_full_batch(&mut self) {
        let ready = self.batch.len() - self.held;
        if ready < BATCH {
            return;
        }
        if self.held == 0 {
            return self.flush_batch();
        }
        if self.io_error.is_none() {
            if let Err(e) = self.out.write_all(&self.batch[..ready]) {
                self.io_error = Some(e);
            }
        }
        self.batch.drain(..ready);
    }

    fn start(&mut self) {
        if self.started {
            return;
        }
        self.started = true;
        match self.schema {
            Schema::Ntc => self.batch.push(b'['),
            Schema::Erdiag => {
                let kind = serde_json::to_string(&self.model.as_ref().map(kind_of)).unwrap_or_default();
                let _ = write!(self.batch, "{{\"platform\":\"{}\",\"command\":\"{}\",\"kind\":{},\"records\":[", self.platform, self.command, kind);
            }
        }
    }

    fn separator(&mut self) {
        if self.records > 0 {
            self.batch.push(b',');
        }
        self.records += 1;
    }

    /// Writes the typed records that are final (all but the last, or all).
    fn drain_model(&mut self, all: bool) {
        let Some(mut model) = self.model.take() else { return };
        let keep = usize::from(!all);
        macro_rules! drain {
            ($v:expr) => {{
                let n = $v.len().saturating_sub(keep);
                for item in $v.drain(..n) {
                    self.separator();
                    let _ = serde_json::to_writer(&mut self.batch, &item);
                }
            }};
        }
        match &mut model {
            Model::BgpSummary(v) => drain!(v),
            Model::BgpNeighbors(v) => drain!(v),
            Model::BgpRoutes(v) => drain!(v),
            Model::Arp(v) => drain!(v),
            Model::Routes(v) => drain!(v),
            Model::RouteSummary(v) => drain!(v),
            Model::Interfaces(v) => drain!(v),
        }
        self.model = Some(model);
    }

    fn finish(&mut self) {
        self.start();
        match self.schema {
            Schema::Ntc => self.batch.extend_from_slice(b"]\n"),
            Schema::Erdiag => {
                self.drain_model(true);
                self.batch.extend_from_slice(b"],\"warnings\":");
                let _ = serde_json::to_writer(&mut self.batch, &self.warnings);
                self.batch.extend_from_slice(b"}\n");
            }
        }
        self.flush_batch();
        if self.io_error.is_none() {
            if let Err(e) = self.out.flush() {
                self.io_error = Some(e);
            }
        }
    }
}

fn kind_of(m: &Model) -> crate::Kind {
    match m {
        Model::BgpSummary(_) => crate::Kind::BgpSummary,
        Model::BgpNeighbors(_) => crate::Kind::BgpNeighbors,
        Model::BgpRoutes(_) => crate::Kind::BgpRoutes,
        Model::Arp(_) => crate::Kind::Arp,
        Model::Routes(_) => crate::Kind::Routes,
        Model::RouteSummary(_) => crate::Kind::RouteSummary,
        Model::Interfaces(_) => crate::Kind::Interfaces,
    }
}

impl<W: Write> Sink for JsonSink<W> {
    fn record(&mut self, rec: &Rec<'_>) {
        self.start();
        match self.schema {
            Schema::Ntc if rec.in_ntc() => {
                self.separator();
                if self.plain {
                    write_ntc(&mut self.batch, rec, write_plain);
                } else {
                    write_ntc(&mut self.batch, rec, write_str);
                }
            }
            Schema::Ntc => {}
            Schema::Erdiag => {
                if self.routes.is_some() {
                    // The path is final (paths do not merge): written now.
                    // It is held out of the chunk that the flush below may
                    // write, as it was while typed records were written one
                    // behind (when the next came): the output is cut into
                    // the same chunks as before.
                    let start = self.batch.len();
                    self.separator();
                    if let Some(routes) = &mut self.routes {
                        routes.write(rec, &mut self.batch);
                    }
                    self.held = self.batch.len() - start;
                } else {
                    if let Some(m) = &mut self.model {
                        m.push(self.platform, self.command, rec);
                    }
                    self.drain_model(false);
                }
            }
        }
        self.flush_full_batch();
    }

    fn warning(&mut self, w: Warning) {
        self.warnings.push(w);
    }

    fn input_not_plain(&mut self) {
        self.plain = false;
    }
}

/// One ntc record as a JSON object, fields in the template's order, each
/// string written by `string` ([`write_plain`] for input known to need no
/// escaping, [`write_str`] otherwise; generic, so each is inlined).
fn write_ntc(buf: &mut Vec<u8>, rec: &Rec<'_>, string: impl Fn(&mut Vec<u8>, &str)) {
    buf.push(b'{');
    for (k, (key, f)) in rec.json_fields().enumerate() {
        if k > 0 {
            buf.push(b',');
        }
        buf.extend_from_slice(key);
        match f {
            Field::Str(s) => string(buf, s),
            Field::List(l) => {
                buf.push(b'[');
                for (j, s) in l.iter().enumerate() {
                    if j > 0 {
                        buf.push(b',');
                    }
                    string(buf, s);
                }
                buf.push(b']');
            }
        }
    }
    buf.push(b'}');
}

/// A JSON string from plain input: the bytes copied as they are.
fn write_plain(buf: &mut Vec<u8>, s: &str) {
    buf.push(b'"');
    buf.extend_from_slice(s.as_bytes());
    buf.push(b'"');
}

/// Bytes a JSON string must escape.
static ESCAPE: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

/// A JSON string.
#[inline]
fn write_str(buf: &mut Vec<u8>, s: &str) {
    buf.push(b'"');
    let bytes = s.as_bytes();
    if !bytes.iter().any(|&b| ESCAPE[b as usize]) {
        buf.extend_from_slice(bytes);
    } else {
        for &b in bytes {
            match b {
                b'"' => buf.extend_from_slice(b"\\\""),
                b'\\' => buf.extend_from_slice(b"\\\\"),
                b'\n' => buf.extend_from_slice(b"\\n"),
                b'\r' => buf.extend_from_slice(b"\\r"),
                b'\t' => buf.extend_from_slice(b"\\t"),
                b if b < 0x20 => {
                    let _ = write!(buf, "\\u{:04x}", b);
                }
                b => buf.push(b),
            }
        }
    }
    buf.push(b'"');
}
