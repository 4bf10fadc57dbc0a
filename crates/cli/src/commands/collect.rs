//! `erdiag collect`: a live circuit → an `erdiag-snapshot/1` document, with
//! the user's evidence in its inputs. With `--store`, the snapshot is also
//! diagnosed in-process and recorded, so that `history` has its verdict.

use crate::flags::CollectArgs;
use erdiag_pipeline::{Error, Options, Source};

pub fn run(a: CollectArgs) -> Result<u8, Error> {
    let source = Source::Live(Box::new(a.live.source()?));
    let rt = super::runtime(2)?;
    let display = crate::terminal::Display::new(a.live.quiet.quiet);
    let collected = rt.block_on(erdiag_pipeline::collect(&source, display.clone()));
    display.done();
    let mut c = collected?;
    a.evidence.apply(&mut c.snapshot)?;
    if a.store.store.is_some() {
        // Recorded as collected, before any --redact: the store is the user's own.
        let bytes = serde_json::to_vec(&c.snapshot).expect("a snapshot serializes");
        super::diagnose_stored("the collected state", bytes, &Options::default(), &a.store, a.live.quiet.quiet)?;
    }
    super::write_snapshot(c.snapshot.take(), a.redact, &a.output)?;
    if !a.live.quiet.quiet {
        eprintln!("{}{}", c.summary(), a.output.output_file.as_ref().map(|p| format!("; written to {}", p.display())).unwrap_or_default());
    }
    Ok(0)
}
