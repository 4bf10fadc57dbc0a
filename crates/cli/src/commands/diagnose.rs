//! `erdiag diagnose`: a snapshot file, a live circuit or the lab → the
//! report on standard output; the exit code follows the verdict.

use crate::files::{read_input, Input};
use crate::flags::DiagnoseArgs;
use erdiag_pipeline::{Error, Source};

pub fn run(a: DiagnoseArgs) -> Result<u8, Error> {
    let options = a.report.options()?;
    if let Some(name) = &a.lab {
        let mut snapshot = super::collect(&Source::Lab { name: name.clone() }, a.live.quiet.quiet)?;
        a.evidence.apply(&mut snapshot)?;
        return super::report(&erdiag_pipeline::diagnose_document("the lab's state", &snapshot, &options)?, &a.report);
    }
    match &a.snapshot {
        Some(path) => {
            let (label, bytes) = read_input(path, Input::Document)?;
            let bytes = erdiag_pipeline::snapshot_text(&label, bytes)?;
            let report = if a.evidence.is_empty() {
                erdiag_pipeline::diagnose(&label, &bytes, &options)?
            } else {
                // Check the file as it is first (its own errors, its own positions), then add the
                // evidence to its inputs: the resource bodies pass through as read.
                let mut snapshot = erdiag_pipeline::read_snapshot(&label, &bytes)?;
                a.evidence.apply_inputs(&mut snapshot.inputs)?;
                erdiag_pipeline::diagnose(&label, &serde_json::to_vec(&snapshot).expect("a snapshot serializes"), &options)?
            };
            super::report(&report, &a.report)
        }
        None if a.live.wants_live() => {
            let mut snapshot = super::collect(&Source::Live(Box::new(a.live.source()?)), a.live.quiet.quiet)?;
            a.evidence.apply(&mut snapshot)?;
            super::report(&erdiag_pipeline::diagnose_document("the collected state", &snapshot, &options)?, &a.report)
        }
        None => Err(Error::usage("nothing to diagnose: name a circuit (-g RG -n NAME, or --service-key KEY) or give --snapshot FILE")
            .with_hint("`erdiag demo` shows a diagnosis of a built-in circuit")),
    }
}
