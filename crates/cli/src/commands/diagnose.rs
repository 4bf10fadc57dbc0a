//! `erdiag diagnose`: a snapshot file, a live circuit or the lab → the
//! report on standard output; the exit code follows the verdict. With
//! `--store`, what the store saw around it goes into its inputs and the
//! observation is recorded.

use crate::files::{read_input, Input};
use crate::flags::DiagnoseArgs;
use erdiag_pipeline::{Error, Source};

pub fn run(a: DiagnoseArgs) -> Result<u8, Error> {
    let options = a.report.options()?;
    let quiet = a.live.quiet.quiet;
    if let Some(name) = &a.lab {
        let mut snapshot = super::collect(&Source::Lab { name: name.clone() }, quiet)?;
        a.evidence.apply(&mut snapshot)?;
        return super::report(&super::diagnose_stored("the lab's state", document(&snapshot), &options, &a.store, quiet)?, &a.report);
    }
    match &a.snapshot {
        Some(path) => {
            let (label, bytes) = read_input(path, Input::Document)?;
            let bytes = erdiag_pipeline::snapshot_text(&label, bytes)?;
            let bytes = if a.evidence.is_empty() {
                bytes
            } else {
                // Check the file as it is first (its own errors, its own positions), then add the
                // evidence to its inputs: the resource bodies pass through as read.
                let mut snapshot = erdiag_pipeline::read_snapshot(&label, &bytes)?;
                a.evidence.apply_inputs(&mut snapshot.inputs)?;
                serde_json::to_vec(&snapshot).expect("a snapshot serializes")
            };
            super::report(&super::diagnose_stored(&label, bytes, &options, &a.store, quiet)?, &a.report)
        }
        None if a.live.wants_live() => {
            let mut snapshot = super::collect(&Source::Live(Box::new(a.live.source()?)), quiet)?;
            a.evidence.apply(&mut snapshot)?;
            super::report(&super::diagnose_stored("the collected state", document(&snapshot), &options, &a.store, quiet)?, &a.report)
        }
        None => Err(Error::usage("nothing to diagnose: name a circuit (-g RG -n NAME, or --service-key KEY) or give --snapshot FILE")
            .with_hint("`erdiag demo` shows a diagnosis of a built-in circuit")),
    }
}

fn document(snapshot: &serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(snapshot).expect("a snapshot serializes")
}
