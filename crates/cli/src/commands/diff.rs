//! `erdiag diff A B`: two snapshots of one circuit → what changed, on
//! standard output; exit 0 when nothing changed, 1 when something did.

use crate::files::{read_input, Input};
use crate::flags::diff::{DiffArgs, DiffFormat};
use crate::terminal::{emit, stdout_color, stdout_is_terminal};
use erdiag_pipeline::Error;
use std::path::Path;

pub fn run(a: DiffArgs) -> Result<u8, Error> {
    if a.before == "-" && a.after == "-" {
        return Err(Error::usage("A and B cannot both be standard input (-)"));
    }
    let (label_a, bytes_a) = operand(&a.before)?;
    let (label_b, bytes_b) = operand(&a.after)?;
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
