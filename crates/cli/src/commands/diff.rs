//! `erdiag diff A B`: two snapshots of one circuit → what changed, on
//! standard output; exit 0 when nothing changed, 1 when something did.

use crate::files::{read_input, Input};
use crate::flags::diff::{DiffArgs, DiffFormat};
use crate::terminal::{emit, stdout_color, stdout_is_terminal};
use erdiag_pipeline::{history, Error};
use std::path::Path;

pub fn run(a: DiffArgs) -> Result<u8, Error> {
    if a.before == "-" && a.after == "-" {
        return Err(Error::usage("A and B cannot both be standard input (-)"));
    }
    let (label_a, bytes_a, label_b, bytes_b) = operands(&a)?;
    let before = erdiag_pipeline::read_snapshot(&label_a, &bytes_a)?;
    let after = erdiag_pipeline::read_snapshot(&label_b, &bytes_b)?;
    if !before.circuit_id.trim_end_matches('/').eq_ignore_ascii_case(after.circuit_id.trim_end_matches('/')) && !a.force {
        return Err(Error::usage(format!(
            "{label_a} and {label_b} are snapshots of different circuits: {} and {}",
            before.circuit_id, after.circuit_id
        ))
        .with_hint("--force compares them anyway"));
    }
    // Both were decoded above: a decoding error cannot happen here.
    let d = erdiag_diff::diff_snapshots(&before, &after).map_err(|e| Error::input(format!("{label_b}: {e}")).caused_by(e))?;
    let format = a.output.unwrap_or(if stdout_is_terminal() { DiffFormat::Table } else { DiffFormat::Json });
    emit(&match format {
        DiffFormat::Table => erdiag_render::diff::table(&d, stdout_color(a.color)),
        DiffFormat::Json => erdiag_render::diff::json(&d),
        DiffFormat::Markdown => erdiag_render::diff::markdown(&d),
    })?;
    Ok(if d.is_empty() { 0 } else { 1 })
}

/// An operand as (label, bytes): a snapshot file, or `-` for standard input.
/// Every kind of operand resolves here.
fn operand(text: &str) -> Result<(String, Vec<u8>), Error> {
    let (label, bytes) = read_input(Path::new(text), Input::Document)?;
    let bytes = erdiag_pipeline::snapshot_text(&label, bytes)?;
    Ok((label, bytes))
}

/// An operand read: a snapshot's (label, bytes), or `@TIME` still to resolve.
enum Operand {
    File(String, Vec<u8>),
    At(String),
}

impl Operand {
    fn read(text: &str) -> Result<Operand, Error> {
        match text.strip_prefix('@') {
            Some(t) => Ok(Operand::At(t.to_string())),
            None => operand(text).map(|(l, b)| Operand::File(l, b)),
        }
    }

    fn file(&self) -> Option<(&str, &[u8])> {
        match self {
            Operand::File(l, b) => Some((l, b)),
            Operand::At(_) => None,
        }
    }
}

/// Both operands: files first, then `@TIME` from the history store, for
/// `--circuit`, else the file operand's circuit, else the store's only one.
fn operands(a: &DiffArgs) -> Result<(String, Vec<u8>, String, Vec<u8>), Error> {
    let (op_a, op_b) = (Operand::read(&a.before)?, Operand::read(&a.after)?);
    if let (Operand::File(la, ba), Operand::File(lb, bb)) = (&op_a, &op_b) {
        return Ok((la.clone(), ba.clone(), lb.clone(), bb.clone()));
    }
    let Some(url) = &a.store else {
        return Err(Error::usage("an @TIME operand is read from a history store: give --store URL (or ERDIAG_STORE)"));
    };
    let mut store = history::open(url)?;
    let named = match (&a.circuit, op_a.file().or(op_b.file())) {
        (Some(c), _) => Some(c.clone()),
        (None, Some((label, bytes))) => Some(erdiag_pipeline::read_snapshot(label, bytes)?.circuit_id.to_string()),
        (None, None) => None,
    };
    let circuit = history::resolve_or_only(&mut store, named.as_deref())?;
    let now = history::now();
    let mut resolve = |op: Operand| -> Result<(String, Vec<u8>), Error> {
        match op {
            Operand::File(l, b) => Ok((l, b)),
            Operand::At(t) => {
                let at = crate::flags::store::time(&t).map_err(|e| Error::usage(format!("@{t}: {e}")))?.resolve(now);
                history::point(&mut store, &circuit, at)
            }
        }
    };
    let (la, ba) = resolve(op_a)?;
    let (lb, bb) = resolve(op_b)?;
    Ok((la, ba, lb, bb))
}
