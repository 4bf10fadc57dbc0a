//! One module per subcommand: each turns its typed flags into calls of the
//! pipeline (or of a library crate) and writes what they return. [`run`]
//! dispatches; the helpers below are what several commands share.

mod checks;
mod collect;
mod demo;
mod diagnose;
mod diff;
mod emulate;
mod fleet;
mod history;
mod import;
mod install;
mod lab;
mod parse;
mod perf;
mod probe;
mod watch;

use crate::flags::common::OutputFile;
use crate::flags::report::{Format, ReportArgs};
use crate::flags::store::StoreArgs;
use crate::flags::{Cli, Command};
use crate::terminal::{emit, stdout_color, stdout_is_terminal, Display};
use erdiag_pipeline::history as store;
use erdiag_pipeline::{Error, Report, Source, Verdict};
use erdiag_probe::StopHandle;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Runs the command; the exit code, or the error (exit code 2).
pub fn run(cli: Cli) -> Result<u8, Error> {
    match cli.command {
        Command::Diagnose(a) => diagnose::run(a),
        Command::Collect(a) => collect::run(a),
        Command::Import(a) => import::run(a),
        Command::Emulate(a) => emulate::run(a),
        Command::Demo(a) => demo::run(a),
        Command::Fleet(a) => fleet::run(a),
        Command::Diff(a) => diff::run(a),
        Command::Probe(a) => probe::run(a),
        Command::Perf(a) => perf::run(a),
        Command::Parse(a) => parse::run(&a),
        Command::Lab(a) => lab::run(a),
        Command::History(a) => history::run(a),
        Command::Watch(a) => watch::run(a),
        Command::Checks(a) => checks::list(a),
        Command::Completions(a) => install::completions(&a),
        Command::Man(a) => install::man(&a),
        Command::Explain { check } => checks::explain(&check),
    }
}

/// Collects from `source` with the progress display (unless `quiet`), and
/// says on standard error how it went.
fn collect(source: &Source, quiet: bool) -> Result<serde_json::Value, Error> {
    let rt = runtime(2)?;
    let display = Display::new(quiet);
    let collected = rt.block_on(erdiag_pipeline::collect(source, display.clone()));
    display.done();
    let c = collected?;
    if !quiet {
        eprintln!("{}", c.summary());
    }
    Ok(c.snapshot)
}

/// Diagnoses a snapshot document; with `--store`, with what the store saw
/// around it, then records it there (said on standard error unless `quiet`).
fn diagnose_stored(label: &str, bytes: Vec<u8>, options: &erdiag_pipeline::Options, args: &StoreArgs, quiet: bool) -> Result<Report, Error> {
    let Some(url) = &args.store else {
        return erdiag_pipeline::diagnose(label, &bytes, options);
    };
    let mut s = store::open(url)?;
    let report = store::diagnose_recorded(&mut s, label, bytes, options, args.retention, store::now())?;
    if !quiet {
        eprintln!("recorded in {}: {} at {}", s.label(), report.verdict.as_str(), report.collected_at.as_deref().unwrap_or("now"));
    }
    Ok(report)
}

/// Prints the report in the format asked for (default: table on a terminal,
/// JSON otherwise); the exit code follows the verdict.
fn report(report: &Report, args: &ReportArgs) -> Result<u8, Error> {
    let format = args.output.unwrap_or(if stdout_is_terminal() { Format::Table } else { Format::Json });
    let color = stdout_color(args.diagnosis.color);
    emit(&match format {
        Format::Table => erdiag_render::table(report, color),
        Format::Json => erdiag_render::json(report),
        Format::Markdown => erdiag_render::markdown(report),
        Format::Html => erdiag_render::html(report),
        Format::Svg => erdiag_render::svg(report),
    })?;
    Ok(match report.verdict {
        Verdict::Healthy => 0,
        _ => 1,
    })
}

/// Writes a snapshot document to FILE (`crate::files::write_file`) or
/// standard output, masked first with a key drawn for this run when `redact`
/// (docs/security-secrets.md).
fn write_snapshot(mut snapshot: serde_json::Value, redact: bool, to: &OutputFile) -> Result<(), Error> {
    if redact {
        erdiag_azure::redact_snapshot(&mut snapshot, &erdiag_azure::RedactKey::random());
    }
    let text = crate::terminal::json(&snapshot);
    match &to.output_file {
        Some(p) => crate::files::write_file(p, text.as_bytes(), to.force),
        None => emit(&text),
    }
}

/// A tokio runtime: one thread, or a pool of `threads` workers.
fn runtime(threads: usize) -> Result<tokio::runtime::Runtime, Error> {
    let mut b = if threads > 1 { tokio::runtime::Builder::new_multi_thread() } else { tokio::runtime::Builder::new_current_thread() };
    if threads > 1 {
        b.worker_threads(threads);
    }
    b.enable_all().build().map_err(|e| Error::system(format!("cannot start the async runtime: {e}")))
}

/// Data on standard output, flushed; a closed pipe is not an error.
fn print_stdout(s: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(s.as_bytes()).and_then(|_| out.flush());
}

/// Stops `handle` on Ctrl-C (SIGINT), and says whether that happened. The
/// handler is in place when this returns, before any traffic starts.
fn on_interrupt(handle: StopHandle) -> Result<Arc<AtomicBool>, Error> {
    let flag = Arc::new(AtomicBool::new(false));
    let set = flag.clone();
    #[cfg(unix)]
    {
        let mut sig = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
            .map_err(|e| Error::system(format!("cannot handle Ctrl-C: {e}")))?;
        tokio::spawn(async move {
            if sig.recv().await.is_some() {
                set.store(true, Ordering::SeqCst);
                handle.stop();
            }
        });
    }
    #[cfg(not(unix))]
    {
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                set.store(true, Ordering::SeqCst);
                handle.stop();
            }
        });
    }
    Ok(flag)
}
