//! A snapshot document → a [`Report`]: read (with the errors of a bad file
//! naming it and the line or JSON path), decode, validate the CE evidence,
//! run every check.

use crate::{Error, ErrorKind};
use erdiag_checks::{Options, Report};
use erdiag_model::{CircuitState, Snapshot};

/// A snapshot as UTF-8 without a byte-order mark: Windows tools save JSON
/// with one, PowerShell 5's `Out-File` as UTF-16.
pub fn snapshot_text(label: &str, bytes: Vec<u8>) -> Result<Vec<u8>, Error> {
    if !matches!(bytes.as_slice(), [0xEF, 0xBB, 0xBF, ..] | [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..]) {
        return Ok(bytes);
    }
    erdiag_import::read_text(label, &bytes).map(String::into_bytes).map_err(import_error)
}

/// An import error with its hint.
pub fn import_error(e: erdiag_import::ImportError) -> Error {
    let hint = e.hint.clone();
    let u = Error::input(e.to_string()).caused_by(e);
    match hint {
        Some(h) => u.with_hint(h),
        None => u,
    }
}

/// A snapshot read as it is, checked (its own errors, its own positions):
/// the caller may then add evidence to its inputs.
pub fn read_snapshot<'a>(label: &str, bytes: &'a [u8]) -> Result<Snapshot<'a>, Error> {
    let snapshot = Snapshot::from_slice(bytes).map_err(|e| Error::input(format!("{label}: {e}")).caused_by(e))?;
    snapshot.decode().map_err(|e| Error::input(format!("{label}: {e}")).caused_by(e))?;
    Ok(snapshot)
}

/// Diagnoses an `erdiag-snapshot/1` document. `label` names it in errors
/// (a path, `<stdin>`, `scenario vlan-mismatch`).
pub fn diagnose(label: &str, bytes: &[u8], options: &Options) -> Result<Report, Error> {
    diagnose_and(label, bytes, options, |_| ()).map(|(report, ())| report)
}

/// [`diagnose`], and `also` applied to the decoded state (a fleet keeps
/// the facts its checks across circuits read).
pub(crate) fn diagnose_and<T>(label: &str, bytes: &[u8], options: &Options, also: impl FnOnce(&CircuitState) -> T) -> Result<(Report, T), Error> {
    let snapshot = Snapshot::from_slice(bytes).map_err(|e| {
        Error::input(format!("{label}: {e}")).caused_by(e).with_hint("a snapshot is an erdiag-snapshot/1 JSON file (see docs/snapshot.md)")
    })?;
    let state = snapshot.decode().map_err(|e| Error::input(format!("{label}: {e}")).caused_by(e))?;
    // The CE texts, parsed once: an unreadable one is an input error, and
    // the checks read the same evidence.
    let ce = erdiag_checks::ce::read(&state).map_err(|e| {
        Error::new(ErrorKind::Input, e.to_string()).with_hint("--ce takes a router's running configuration (Cisco IOS/IOS-XE, NX-OS, IOS-XR, Junos, Arista EOS, FRR)")
    })?;
    Ok((erdiag_checks::diagnose_with(&state, &ce, options), also(&state)))
}

/// Diagnoses a collected snapshot document.
pub fn diagnose_document(label: &str, snapshot: &serde_json::Value, options: &Options) -> Result<Report, Error> {
    diagnose(label, &serde_json::to_vec(snapshot).expect("a snapshot serializes"), options)
}
