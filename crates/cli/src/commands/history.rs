//! `erdiag history`: a circuit's timeline from the history store, the
//! stored circuits (`--list`), or the snapshot stored at a time diagnosed
//! (`--at`). The reading is `erdiag_pipeline::history`'s; this module picks
//! the output and says on standard error which poll `--at` found.

use crate::flags::report::Format;
use crate::flags::store::HistoryArgs;
use crate::terminal::{emit, stdout_is_terminal};
use erdiag_model::time::unix_rfc3339;
use erdiag_pipeline::history;
use erdiag_pipeline::Error;

pub fn run(a: HistoryArgs) -> Result<u8, Error> {
    let format = a.report.output.unwrap_or(if stdout_is_terminal() { Format::Table } else { Format::Json });
    let mut store = history::open(&a.store.store)?;
    if a.list {
        return list(&mut store, format);
    }
    let circuit = history::resolve(&mut store, a.circuit.as_deref().unwrap_or_default())?;
    let now = history::now();
    if let Some(at) = a.at {
        let at = at.resolve(now);
        let (when, bytes) = history::snapshot_at(&mut store, &circuit, at)?;
        if !a.quiet.quiet {
            eprintln!("{}: the poll of {} (the last at or before {}), from {}", circuit.name, unix_rfc3339(when), unix_rfc3339(at), store.label());
        }
        if a.output_file.is_some() {
            let doc: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| Error::input(format!("{}: the stored snapshot of {}: {e}", store.label(), unix_rfc3339(when))))?;
            super::write_snapshot(doc, false, &a.output_file())?;
        }
        let label = format!("{}: the poll of {}", store.label(), unix_rfc3339(when));
        let report = erdiag_pipeline::diagnose(&label, &bytes, &a.report.options()?)?;
        return super::report(&report, &a.report);
    }
    let (from, to) = (a.since.resolve(now), a.until.map_or(now, |u| u.resolve(now)));
    if from > to {
        return Err(Error::usage(format!("--since {} is after --until {}", unix_rfc3339(from), unix_rfc3339(to))));
    }
    let tl = history::timeline(&mut store, &circuit, from, to)?;
    emit(&match format {
        Format::Table => erdiag_render::history::table(&tl, a.routes),
        Format::Json => erdiag_render::history::json(&tl),
        Format::Markdown => erdiag_render::history::markdown(&tl),
        Format::Html | Format::Svg => return Err(Error::usage("a timeline is written as table, json or markdown; html and svg are for --at")),
    })?;
    Ok(0)
}

/// `--list`: the stored circuits.
fn list(store: &mut history::Store, format: Format) -> Result<u8, Error> {
    let circuits = history::circuits(store)?;
    emit(&match format {
        Format::Json => crate::terminal::json(&circuits),
        Format::Table => erdiag_render::history::circuits(&circuits),
        _ => return Err(Error::usage("--list writes a table or json")),
    })?;
    Ok(0)
}
