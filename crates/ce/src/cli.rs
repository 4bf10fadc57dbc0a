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
//! records), and `Err(message)` (exit 2) when nothing could be parsed.

use crate::model::Model;
use crate::{Field, Limits, Platform, Rec, Sink, Warning};
use std::io::{BufRead, Write};
use std::path::PathBuf;

#[derive(clap::Args, Debug, Clone)]
#[command(after_help = "The platform and the command are recognised from the content (the prompt line pasted with the output, headers, lines only one platform prints); --platform and --command override. Input that is not recognised is an error, never a guess.\n\nPlatforms (ntc-templates names): cisco_ios, cisco_nxos, cisco_xr, juniper_junos, arista_eos, frr.\n\nExamples:\n  erdiag parse bgp-summary.txt -o json\n  erdiag parse arp.txt --platform cisco_nxos --command 'show ip arp detail'\n  erdiag parse routes.txt --schema ntc     # the records TextFSM + ntc-templates would give\n\nExit codes: 0 parsed, 1 parsed with warnings, 2 could not parse.")]
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
    let result = if args.file.as_os_str() == "-" {
        let stdin = std::io::stdin();
        run_parse_to(stdin.lock(), args, std::io::stdout())
    } else {
        let f = std::fs::File::open(&args.file).map_err(|e| format!("{label}: {e}"))?;
        run_parse_to(std::io::BufReader::with_capacity(1 << 16, f), args, std::io::stdout())
    };
    let mut err = std::io::stderr().lock();
    match result {
        Ok(warnings) => {
            for w in &warnings {
                let _ = writeln!(err, "warning: {label}: {w}");
            }
            Ok(u8::from(!warnings.is_empty()))
        }
        Err(e) => Err(format!("{label}: {e}")),
    }
}

/// `erdiag parse` writing to `out`: the warnings, or the error. Nothing is
/// written when nothing could be parsed.
///
/// Formatting and writing run on a second thread, fed in bounded batches:
/// the parser never waits for the output, and memory stays bounded.
pub fn run_parse_to<R: BufRead, W: Write + Send>(input: R, args: &ParseArgs, out: W) -> Result<Vec<Warning>, String> {
    let limits = Limits { max_bytes: args.max_size, ..Limits::default() };
    let (tx, rx) = std::sync::mpsc::sync_channel::<Msg>(4);
    std::thread::scope(|scope| {
        let writer = scope.spawn(move || write_loop(rx, out));
        let mut sink = JsonSink { tx: Some(tx), schema: args.schema, started: false, records: 0, batch: Vec::with_capacity(BATCH + 4096), keys_of: 0, model: None, platform: Platform::CiscoIos, command: "", warnings: Vec::new() };
        let outcome = crate::parse_reader_with(input, args.platform, args.command.as_deref(), &mut sink, &limits, |s, e| {
            s.platform = e.platform;
            s.command = e.command;
            s.model = Some(Model::empty(e.kind));
        });
        match outcome {
            Ok(_) => {
                sink.finish();
                let written = writer.join().unwrap_or_else(|_| Err(std::io::Error::other("the output thread failed")));
                match written {
                    Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(format!("writing the output failed: {e}")),
                    _ => Ok(sink.warnings),
                }
            }
            Err(e) => {
                // Nothing was written (the output starts with the first
                // record or at the end): tell the writer to stop.
                sink.abort();
                let _ = writer.join();
                Err(e.to_string())
            }
        }
    })
}

const BATCH: usize = 256 * 1024;

enum Msg {
    /// The JSON keys (`"name":`) of the ntc view's fields, in order.
    Keys(Vec<Box<[u8]>>),
    /// ntc records, encoded by [`encode`].
    Records(Vec<u8>),
    /// Bytes written as they are.
    Raw(Vec<u8>),
    /// Nothing to write: stop.
    Abort,
}

/// A record of the ntc view as the parser thread hands it over: per field,
/// `0` + length + bytes for a string, `1` + count + (length + bytes)… for a
/// list; `0xff` ends the record.
fn encode(batch: &mut Vec<u8>, rec: &Rec<'_>) {
    for (_, f) in rec.json_fields() {
        match f {
            Field::Str(s) => {
                batch.push(0);
                batch.extend_from_slice(&(s.len() as u32).to_le_bytes());
                batch.extend_from_slice(s.as_bytes());
            }
            Field::List(l) => {
                batch.push(1);
                batch.extend_from_slice(&(l.len() as u32).to_le_bytes());
                for s in l {
                    batch.extend_from_slice(&(s.len() as u32).to_le_bytes());
                    batch.extend_from_slice(s.as_bytes());
                }
            }
        }
    }
    batch.push(0xff);
}

/// The output thread: formats ntc records and writes everything.
fn write_loop<W: Write>(rx: std::sync::mpsc::Receiver<Msg>, mut out: W) -> std::io::Result<()> {
    let mut keys: Vec<Box<[u8]>> = Vec::new();
    let mut buf: Vec<u8> = Vec::with_capacity(BATCH * 3);
    let mut first = true;
    for msg in rx {
        match msg {
            Msg::Keys(k) => keys = k,
            Msg::Raw(b) => {
                out.write_all(&b)?;
            }
            Msg::Abort => return Ok(()),
            Msg::Records(b) => {
                buf.clear();
                let mut i = 0;
                let u32_at = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]) as usize;
                while i < b.len() {
                    buf.push(if first { b'[' } else { b',' });
                    first = false;
                    buf.push(b'{');
                    let mut k = 0;
                    while b[i] != 0xff {
                        if k > 0 {
                            buf.push(b',');
                        }
                        buf.extend_from_slice(keys.get(k).map(|x| &**x).unwrap_or(b"\"?\":"));
                        k += 1;
                        let tag = b[i];
                        let n = u32_at(i + 1);
                        i += 5;
                        if tag == 0 {
                            write_str(&mut buf, std::str::from_utf8(&b[i..i + n]).unwrap_or(""));
                            i += n;
                        } else {
                            buf.push(b'[');
                            for j in 0..n {
                                if j > 0 {
                                    buf.push(b',');
                                }
                                let m = u32_at(i);
                                i += 4;
                                write_str(&mut buf, std::str::from_utf8(&b[i..i + m]).unwrap_or(""));
                                i += m;
                            }
                            buf.push(b']');
                        }
                    }
                    i += 1;
                    buf.push(b'}');
                }
                out.write_all(&buf)?;
            }
        }
    }
    out.flush()
}

/// Hands records to the output thread in batches.
struct JsonSink {
    tx: Option<std::sync::mpsc::SyncSender<Msg>>,
    schema: Schema,
    started: bool,
    records: u64,
    batch: Vec<u8>,
    /// The key table last sent.
    keys_of: usize,
    /// erdiag schema: typed records not yet written (the last may still
    /// gain next hops).
    model: Option<Model>,
    platform: Platform,
    command: &'static str,
    warnings: Vec<Warning>,
}

impl JsonSink {
    fn send(&mut self, m: Msg) {
        if let Some(tx) = &self.tx {
            if tx.send(m).is_err() {
                // The writer stopped (a closed pipe): parse on, write nothing.
                self.tx = None;
            }
        }
    }

    fn flush_batch(&mut self) {
        if self.batch.is_empty() {
            return;
        }
        let b = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH + 4096));
        let m = match self.schema {
            Schema::Ntc => Msg::Records(b),
            Schema::Erdiag => Msg::Raw(b),
        };
        self.send(m);
    }

    fn start(&mut self) {
        if self.started {
            return;
        }
        self.started = true;
        if self.schema == Schema::Erdiag {
            let kind = serde_json::to_string(&self.model.as_ref().map(kind_of)).unwrap_or_default();
            let _ = write!(self.batch, "{{\"platform\":\"{}\",\"command\":\"{}\",\"kind\":{},\"records\":[", self.platform, self.command, kind);
        }
    }

    /// Writes the typed records that are final (all but the last, or all).
    fn drain_model(&mut self, all: bool) {
        let Some(mut model) = self.model.take() else { return };
        let keep = usize::from(!all);
        macro_rules! drain {
            ($v:expr) => {{
                let n = $v.len().saturating_sub(keep);
                for item in $v.drain(..n) {
                    if self.records > 0 {
                        self.batch.push(b',');
                    }
                    self.records += 1;
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
            Schema::Ntc => {
                self.flush_batch();
                let end: &[u8] = if self.records == 0 { b"[]\n" } else { b"]\n" };
                self.send(Msg::Raw(end.to_vec()));
            }
            Schema::Erdiag => {
                self.drain_model(true);
                self.batch.extend_from_slice(b"],\"warnings\":");
                let _ = serde_json::to_writer(&mut self.batch, &self.warnings);
                self.batch.extend_from_slice(b"}\n");
                self.flush_batch();
            }
        }
        self.tx = None;
    }

    fn abort(&mut self) {
        self.batch.clear();
        self.send(Msg::Abort);
        self.tx = None;
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

impl Sink for JsonSink {
    fn record(&mut self, rec: &Rec<'_>) {
        self.start();
        match self.schema {
            Schema::Ntc if rec.in_ntc() => {
                if rec.schema_id() != self.keys_of {
                    self.flush_batch();
                    self.keys_of = rec.schema_id();
                    self.send(Msg::Keys(rec.json_keys()));
                }
                encode(&mut self.batch, rec);
                self.records += 1;
            }
            Schema::Ntc => {}
            Schema::Erdiag => {
                if let Some(m) = &mut self.model {
                    m.push(self.platform, self.command, rec);
                }
                self.drain_model(false);
            }
        }
        if self.batch.len() >= BATCH {
            self.flush_batch();
        }
    }

    fn warning(&mut self, w: Warning) {
        self.warnings.push(w);
    }
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
