//! `erdiag parse FILE [--platform P] [--command C] [--schema ntc|erdiag] -o json`:
//! the arguments and the command, for the CLI crate to mount as one
//! subcommand (`Parse(erdiag_ce::cli::ParseArgs)` → [`run_parse`]).
//!
//! The input is streamed: records are written as they are parsed, so a file
//! of any size is read in bounded memory. `--schema ntc` prints a JSON array
//! of records exactly as TextFSM + ntc-templates would (a drop-in
//! replacement); `--schema erdiag` (the default) prints an object with the
//! platform, the command, the typed records and the warnings. Warnings also
//! go to standard error, `warning: line N: …`.
//!
//! Exit codes: 0 parsed, 1 parsed with warnings (lines not understood, no
//! records; with `--strict`, `Err` and exit 2), and `Err(message)` (exit 2)
//! when nothing could be parsed.

use crate::model::json::BgpRouteWriter;
use crate::model::Model;
use crate::{Field, Limits, Platform, Rec, Sink, Warning};
use std::io::{BufRead, Write};
use std::path::PathBuf;

#[derive(clap::Args, Debug, Clone)]
#[command(after_help = "The platform and the command are recognised from the content (the prompt line pasted with the output, headers, lines only one platform prints); --platform and --command override. Input that is not recognised is an error, never a guess.\n\nPlatforms (ntc-templates names): cisco_ios, cisco_nxos, cisco_xr, juniper_junos, arista_eos, frr.\n\nExamples:\n  erdiag parse bgp-summary.txt -o json\n  erdiag parse arp.txt --platform cisco_nxos --command 'show ip arp detail'\n  erdiag parse routes.txt --schema ntc     # the records TextFSM + ntc-templates would give\n\nExit codes: 0 parsed, 1 parsed with warnings (2 with --strict), 2 could not parse.")]
pub struct ParseArgs {
    /// A file holding one command's output, or - for standard input.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The platform, as ntc-templates names it: cisco_ios, cisco_nxos, cisco_xr, juniper_junos, arista_eos, frr.
    #[arg(long, value_name = "PLATFORM", value_parser = parse_platform)]
    pub platform: Option<Platform>,
    /// The command as typed on the router (`show ip bgp summary`, abbreviations allowed).
    #[arg(long, value_name = "COMMAND")]
    pub command: Option<String>,
    /// Field names and values: erdiag's typed model, or exactly ntc-templates'.
    #[arg(long, value_enum, default_value_t = Schema::Erdiag)]
    pub schema: Schema,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = Format::Json)]
    pub output: Format,
    /// Refuse inputs larger than this many bytes (default: no limit; the input is streamed).
    #[arg(long, value_name = "BYTES")]
    pub max_size: Option<u64>,
    /// A line not understood is an error (exit 2), not a warning (exit 1); the records are still printed.
    #[arg(long)]
    pub strict: bool,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    /// erdiag's typed, vendor-neutral records.
    Erdiag,
    /// ntc-templates' field names and values (what TextFSM returns).
    Ntc,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
}

fn parse_platform(s: &str) -> Result<Platform, String> {
    s.parse()
}

/// Runs `erdiag parse`: the exit code, or the error message (exit 2).
pub fn run_parse(args: &ParseArgs) -> Result<u8, String> {
    let label = if args.file.as_os_str() == "-" { "<stdin>".to_string() } else { args.file.display().to_string() };
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    let mut raw = unbuffered(&mut lock);
    let out: &mut dyn Write = match &mut raw {
        Some(f) => f,
        None => &mut lock,
    };
    let result = if args.file.as_os_str() == "-" {
        let stdin = std::io::stdin();
        run_parse_to(stdin.lock(), args, out)
    } else {
        let f = std::fs::File::open(&args.file).map_err(|e| format!("{label}: {e}"))?;
        run_parse_to(std::io::BufReader::with_capacity(1 << 16, f), args, out)
    };
    let mut err = std::io::stderr().lock();
    match result {
        Ok(warnings) => {
            for w in &warnings {
                let _ = writeln!(err, "warning: {label}: {w}");
            }
            if args.strict && !warnings.is_empty() {
                return Err(format!("{label}: {} warnings, and --strict makes them errors", warnings.len()));
            }
            Ok(u8::from(!warnings.is_empty()))
        }
        Err(e) => Err(format!("{label}: {e}")),
    }
}

/// Standard output without its line buffer, where the platform allows: the
/// output goes out in chunks of [`BATCH`] already, and `Stdout` would look
/// through every chunk for a newline to flush at (4% of the time of a large
/// parse). The lock stays held, so that nothing else writes in between.
#[cfg(unix)]
fn unbuffered(lock: &mut std::io::StdoutLock<'_>) -> Option<std::fs::File> {
    use std::os::fd::AsFd;
    lock.flush().ok()?;
    lock.as_fd().try_clone_to_owned().ok().map(std::fs::File::from)
}

/// Elsewhere `Stdout` itself (on Windows it also converts what goes to a
/// console).
#[cfg(not(unix))]
fn unbuffered(_lock: &mut std::io::StdoutLock<'_>) -> Option<std::fs::File> {
    None
}

/// `erdiag parse` writing to `out`: the warnings, or the error. Nothing is
/// written when nothing could be parsed (the output starts with the first
/// record, or at the end).
///
/// UTF-16 with a byte-order mark (what Windows PowerShell's `>` writes) is
/// decoded whole by the same reader as `erdiag import`'s; UTF-8 is streamed
/// (a byte-order mark is dropped by the line reader).
pub fn run_parse_to<R: BufRead, W: Write>(mut input: R, args: &ParseArgs, out: W) -> Result<Vec<Warning>, String> {
    let head = input.fill_buf().map_err(|e| format!("reading the input failed: {e}"))?;
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        let mut bytes = Vec::new();
        input.read_to_end(&mut bytes).map_err(|e| format!("reading the input failed: {e}"))?;
        let text = erdiag_import::read_text("", &bytes).map_err(|e| e.message.clone() + &e.line.map(|l| format!(" (line {l})")).unwrap_or_default())?;
        return run_parse_stream(text.as_bytes(), args, out);
    }
    run_parse_stream(input, args, out)
}

fn run_parse_stream<R: BufRead, W: Write>(input: R, args: &ParseArgs, out: W) -> Result<Vec<Warning>, String> {
    let limits = Limits { max_bytes: args.max_size, ..Limits::default() };
    let mut sink = JsonSink { out, io_error: None, schema: args.schema, started: false, records: 0, batch: Vec::with_capacity(BATCH + 4096), held: 0, plain: true, model: None, routes: None, platform: Platform::CiscoIos, command: "", warnings: Vec::new() };
    crate::parse_reader_with(input, args.platform, args.command.as_deref(), &mut sink, &limits, |s, e| {
        s.platform = e.platform;
        s.command = e.command;
        s.model = Some(Model::empty(e.kind));
        s.routes = (e.kind == crate::Kind::BgpRoutes).then(BgpRouteWriter::default);
    })
    .map_err(|e| e.to_string())?;
    sink.finish();
    match sink.io_error {
        Some(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(format!("writing the output failed: {e}")),
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
                    write_ntc_plain(&mut self.batch, rec);
                } else {
                    write_ntc(&mut self.batch, rec);
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

/// One ntc record as a JSON object, fields in the template's order, from
/// plain input: the values are copied as they are.
fn write_ntc_plain(buf: &mut Vec<u8>, rec: &Rec<'_>) {
    buf.push(b'{');
    for (k, (key, f)) in rec.json_fields().enumerate() {
        if k > 0 {
            buf.push(b',');
        }
        buf.extend_from_slice(key);
        match f {
            Field::Str(s) => {
                buf.push(b'"');
                buf.extend_from_slice(s.as_bytes());
                buf.push(b'"');
            }
            Field::List(l) => {
                buf.push(b'[');
                for (j, s) in l.iter().enumerate() {
                    if j > 0 {
                        buf.push(b',');
                    }
                    buf.push(b'"');
                    buf.extend_from_slice(s.as_bytes());
                    buf.push(b'"');
                }
                buf.push(b']');
            }
        }
    }
    buf.push(b'}');
}

/// One ntc record as a JSON object, fields in the template's order.
fn write_ntc(buf: &mut Vec<u8>, rec: &Rec<'_>) {
    buf.push(b'{');
    for (k, (key, f)) in rec.json_fields().enumerate() {
        if k > 0 {
            buf.push(b',');
        }
        buf.extend_from_slice(key);
        match f {
            Field::Str(s) => write_str(buf, s),
            Field::List(l) => {
                buf.push(b'[');
                for (j, s) in l.iter().enumerate() {
                    if j > 0 {
                        buf.push(b',');
                    }
                    write_str(buf, s);
                }
                buf.push(b']');
            }
        }
    }
    buf.push(b'}');
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
