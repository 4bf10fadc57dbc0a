//! `erdiag fleet`: every circuit the credential can read (or the snapshot
//! files given) → each circuit's result written as it finishes (`-o jsonl`,
//! `-o json`, `--out-dir`), the table or the page at the end; the exit code
//! is 0 when every circuit is healthy and no check across circuits fails or
//! is unknown, else 1.

use crate::files::{read_input, write_file, Input};
use crate::flags::bounds::MAX_CONCURRENCY;
use crate::flags::fleet::{FleetArgs, FleetFormat};
use crate::terminal::{emit, stdout_color, stdout_is_terminal, Display};
use erdiag_pipeline::fleet::{CircuitResult, FleetOptions, FleetSource, FleetSummary};
use erdiag_pipeline::{history, Error};
use erdiag_render::fleet as render;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

pub fn run(a: FleetArgs) -> Result<u8, Error> {
    let format = a.output.unwrap_or(if stdout_is_terminal() { FleetFormat::Table } else { FleetFormat::Json });
    let quiet = a.quiet.quiet;
    let source = if a.snapshots.is_empty() {
        // Every circuit's calls go through one client: its throttle scheduler
        // paces them per subscription and region, so its own limit of calls
        // in flight is the largest allowed.
        let client = erdiag_pipeline::client(&a.connection.options(MAX_CONCURRENCY as usize)?, &a.connection.credential())?;
        if a.list {
            return list(&a, client, format);
        }
        FleetSource::Azure { client, scope: a.scope(), filter: a.filter() }
    } else {
        FleetSource::Snapshots(read_snapshots(&a.snapshots)?)
    };
    // Opened before any circuit is read: a store that cannot be is an error of its own.
    let store = a.store.store.as_deref().map(history::open).transpose()?;
    let label = store.as_ref().map(|s| s.label());
    // A second connection reads what the store saw of each circuit
    // (`inputs.observed`, which corroborates a metric dip) while the writer records.
    let observe = match &a.store.store {
        Some(url) if store.is_some() => Some(history::observer(history::open(url)?, history::now())),
        _ => None,
    };
    let options =
        FleetOptions { concurrency: a.concurrency, diagnose: a.diagnosis.options()?, keep_snapshots: a.out_dir.is_some() || store.is_some(), collect: a.metrics.options(), observe, metrics_batch: !a.no_metrics_batch };
    let mut recorder = store.map(|s| Recorder { writer: history::Writer::start(s, a.store.retention), batch: Vec::new(), now: history::now() });
    let mut out_dir = a.out_dir.as_deref().map(|d| OutDir::create(d, a.force)).transpose()?;
    let mut output = Output { format, started: false, json: render::JsonDocument::default(), sections: Vec::new() };
    let rt = super::runtime(2)?;
    let display = Display::new(quiet);
    let mut failed: Option<Error> = None;
    let mut sink = |r: CircuitResult| {
        display.set_prefix(format!("{}/{} circuits", r.done, r.total));
        let written = output.circuit(&r).and_then(|()| out_dir.as_mut().map_or(Ok(()), |d| d.write(&r)));
        if let Err(e) = written {
            failed.get_or_insert(e);
        }
        if let Some(rec) = recorder.as_mut() {
            rec.add(&r);
        }
    };
    let summary = rt.block_on(erdiag_pipeline::fleet::run(source, &options, display.clone(), &mut sink));
    display.done();
    // Every batch handed over is recorded, whatever happened to the poll.
    let recorded = recorder.map(Recorder::finish);
    let summary = summary?;
    if let Some(e) = failed {
        return Err(e);
    }
    output.finish(&summary, stdout_color(a.diagnosis.color))?;
    if !quiet {
        eprintln!("{}", about(&summary));
    }
    match (recorded, label) {
        (Some(Err(e)), _) => return Err(e),
        (Some(Ok(n)), Some(label)) if !quiet => eprintln!("recorded {n} circuit{} in {label}", if n == 1 { "" } else { "s" }),
        _ => {}
    }
    Ok(if summary.all_healthy() { 0 } else { 1 })
}

/// The circuits diagnosed, handed to the store's writer thread in batches
/// of [`history::BATCH`]; a circuit not read has nothing to record.
struct Recorder {
    writer: history::Writer,
    batch: Vec<history::Record>,
    now: erdiag_model::time::Unix,
}

impl Recorder {
    fn add(&mut self, r: &CircuitResult) {
        let (Some(report), Some(snapshot)) = (&r.report, &r.snapshot) else { return };
        self.batch.push(history::Record::of(report, serde_json::to_vec(snapshot).expect("a snapshot serializes"), self.now));
        if self.batch.len() >= history::BATCH {
            self.writer.send(std::mem::take(&mut self.batch));
        }
    }

    fn finish(mut self) -> Result<usize, Error> {
        if !self.batch.is_empty() {
            self.writer.send(std::mem::take(&mut self.batch));
        }
        self.writer.finish()
    }
}

/// How the run went, for standard error: the summary line, the time, and
/// the shared client's calls.
fn about(s: &FleetSummary) -> String {
    let mut line = format!("{} in {:.1}s", s.line(), s.elapsed().as_secs_f64());
    if let Some(c) = &s.client {
        line.push_str(&format!(" ({} calls, {} throttled (429), {} retries, {} paced for {:.1}s)", c.requests, c.throttled, c.retries, c.paced, c.paced_ms as f64 / 1000.0));
    }
    line
}

/// Where the fleet's results go as they come.
struct Output {
    format: FleetFormat,
    started: bool,
    json: render::JsonDocument,
    /// The HTML page's circuit sections, written at the end worst first.
    sections: Vec<(u8, String, String)>,
}

impl Output {
    /// The document's head, once: with the first circuit (the inputs have
    /// all been checked by then), or at the end of an empty fleet.
    fn start(&mut self) -> Result<(), Error> {
        if std::mem::replace(&mut self.started, true) {
            return Ok(());
        }
        match self.format {
            FleetFormat::Json => emit(&self.json.head()),
            _ => Ok(()),
        }
    }

    fn circuit(&mut self, r: &CircuitResult) -> Result<(), Error> {
        self.start()?;
        match self.format {
            FleetFormat::Jsonl => emit(&match &r.report {
                Some(report) => render::report_line(report),
                None => render::unread_line(&r.row),
            }),
            FleetFormat::Json => emit(&self.json.circuit(r.report.as_ref(), &r.row)),
            FleetFormat::Html => {
                let key = erdiag_pipeline::fleet::severity(r.row.verdict);
                self.sections.push((key, r.row.name.to_ascii_lowercase(), render::html_section(r.report.as_ref(), &r.row)));
                Ok(())
            }
            FleetFormat::Table => Ok(()),
        }
    }

    fn finish(&mut self, s: &FleetSummary, color: bool) -> Result<(), Error> {
        self.start()?;
        match self.format {
            FleetFormat::Table => emit(&render::table(s, color)),
            FleetFormat::Jsonl => emit(&render::summary_line(s)),
            FleetFormat::Json => emit(&self.json.tail(s)),
            FleetFormat::Html => {
                self.sections.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
                let sections: Vec<String> = std::mem::take(&mut self.sections).into_iter().map(|(_, _, s)| s).collect();
                emit(&render::html(s, &sections))
            }
        }
    }
}

/// `--list`: the circuits found, nothing collected.
fn list(a: &FleetArgs, client: std::sync::Arc<erdiag_pipeline::ArmClient>, format: FleetFormat) -> Result<u8, Error> {
    let rt = super::runtime(2)?;
    let display = Display::new(a.quiet.quiet);
    let inv = rt.block_on(erdiag_pipeline::fleet::inventory(&client, &a.scope(), &a.filter(), &*display));
    display.done();
    let inv = inv?;
    emit(&match format {
        FleetFormat::Table => render::inventory_table(&inv.circuits),
        FleetFormat::Json => render::inventory_json(&inv.circuits, &inv.ports),
        FleetFormat::Jsonl => inv.circuits.iter().map(|c| erdiag_render::escape::json_text(serde_json::to_string(c).expect("a record serializes")) + "\n").collect(),
        FleetFormat::Html => return Err(Error::usage("--list writes a table, json or jsonl, not html")),
    })?;
    if !a.quiet.quiet {
        eprintln!("{} circuit{} found", inv.circuits.len(), if inv.circuits.len() == 1 { "" } else { "s" });
    }
    Ok(0)
}

/// The snapshot files given: each file, and every `*.json` of each directory (in name order).
pub(super) fn read_snapshots(paths: &[PathBuf]) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let mut docs = Vec::new();
    for p in paths {
        if p.is_dir() {
            let cannot = |e: std::io::Error| Error::input(format!("{}: cannot read the directory: {e}", p.display())).caused_by(e);
            let mut files: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(cannot)?
                .map(|e| e.map(|e| e.path()))
                .collect::<Result<Vec<_>, _>>()
                .map_err(cannot)?
                .into_iter()
                .filter(|f| f.extension().is_some_and(|x| x.eq_ignore_ascii_case("json")) && f.is_file())
                .collect();
            files.sort();
            if files.is_empty() {
                return Err(Error::input(format!("{}: no *.json file in this directory", p.display())));
            }
            for f in files {
                docs.push(read_input(&f, Input::Document)?);
            }
        } else {
            docs.push(read_input(p, Input::Document)?);
        }
    }
    Ok(docs)
}

/// `--out-dir`: per circuit `<name>.snapshot.json`, `<name>.report.json`
/// and `<name>.md` (or `<name>.unread.json` for a circuit not read), names
/// safe on every file system and unique within the directory.
struct OutDir {
    dir: PathBuf,
    used: HashSet<String>,
}

impl OutDir {
    /// The directory, created if need be; one that already holds files only with `--force`.
    fn create(dir: &Path, force: bool) -> Result<OutDir, Error> {
        let label = dir.display().to_string();
        match std::fs::read_dir(dir) {
            Ok(mut entries) => {
                if entries.next().is_some() && !force {
                    return Err(Error::usage(format!("--out-dir {label}: the directory is not empty"))
                        .with_hint("give a new or empty directory, or pass --force to write into it (files of the same name are replaced)"));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(dir).map_err(|e| Error::system(format!("--out-dir {label}: cannot create it: {e}")).caused_by(e))?;
            }
            Err(e) => return Err(Error::system(format!("--out-dir {label}: cannot read it: {e}")).caused_by(e)),
        }
        Ok(OutDir { dir: dir.to_path_buf(), used: HashSet::new() })
    }

    fn write(&mut self, r: &CircuitResult) -> Result<(), Error> {
        let base = self.unique(&safe_name(&r.row.name));
        let file = |ext: &str| self.dir.join(format!("{base}.{ext}"));
        if let Some(s) = &r.snapshot {
            write_file(&file("snapshot.json"), crate::terminal::json(s).as_bytes(), false)?;
        }
        match &r.report {
            Some(report) => {
                write_file(&file("report.json"), erdiag_render::json(report).as_bytes(), false)?;
                write_file(&file("md"), erdiag_render::markdown(report).as_bytes(), false)
            }
            None => write_file(&file("unread.json"), render::unread_line(&r.row).as_bytes(), false),
        }
    }

    /// `name`, or `name-2`, `name-3`… when taken (compared without case,
    /// as Windows and macOS file systems do).
    fn unique(&mut self, name: &str) -> String {
        let mut candidate = name.to_string();
        let mut n = 1;
        while !self.used.insert(candidate.to_ascii_lowercase()) {
            n += 1;
            candidate = format!("{name}-{n}");
        }
        candidate
    }
}

/// A circuit's name as a file name any file system takes: letters, digits,
/// `.`, `_` and `-` (anything else becomes `_`), at most 80 characters, not
/// starting with a dot or a dash, not a name Windows reserves.
fn safe_name(name: &str) -> String {
    let mut s: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '_' }).take(80).collect();
    s = s.trim_start_matches(['.', '-']).trim_end_matches('.').to_string();
    if s.is_empty() {
        return "circuit".into();
    }
    let stem = s.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (stem.len() == 4 && (stem.starts_with("COM") || stem.starts_with("LPT")) && stem.as_bytes()[3].is_ascii_digit());
    if reserved {
        s.insert(0, '_');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_everywhere() {
        assert_eq!(safe_name("er-ckt-ams"), "er-ckt-ams");
        assert_eq!(safe_name("../etc/passwd"), "_etc_passwd");
        assert_eq!(safe_name("a b/c\\d:e"), "a_b_c_d_e");
        assert_eq!(safe_name("CON"), "_CON");
        assert_eq!(safe_name("com1.txt"), "_com1.txt");
        assert_eq!(safe_name("..."), "circuit");
        assert_eq!(safe_name(&"x".repeat(300)).len(), 80);
    }

    #[test]
    fn names_are_unique_without_regard_to_case() {
        let mut d = OutDir { dir: PathBuf::new(), used: HashSet::new() };
        assert_eq!(d.unique("ckt"), "ckt");
        assert_eq!(d.unique("CKT"), "CKT-2");
        assert_eq!(d.unique("ckt"), "ckt-3");
    }
}
