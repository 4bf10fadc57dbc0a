//! `erdiag import`: Azure CLI JSON and Azure PowerShell outputs → an
//! `erdiag-snapshot/1` document (`erdiag_import`).

use crate::files::{read_input, Input};
use crate::flags::ImportArgs;
use erdiag_pipeline::{import_error, Error};

pub fn run(a: ImportArgs) -> Result<u8, Error> {
    let mut inputs = Vec::new();
    for f in &a.files {
        let (label, bytes) = read_input(f, Input::Document)?;
        let text = erdiag_import::read_text(&label, &bytes).map_err(import_error)?;
        let mut input = erdiag_import::Input::new(label, text);
        input.peering = a.peering.clone();
        input.path = a.path;
        inputs.push(input);
    }
    let options = erdiag_import::Options {
        circuit_id: a.circuit_id.clone(),
        subscription: a.subscription.clone(),
        resource_group: a.resource_group.clone(),
        circuit_name: a.name.clone(),
        collected_at: a.collected_at.clone(),
    };
    let erdiag_import::Imported { mut snapshot, mut notes } = erdiag_import::import(&inputs, &options).map_err(import_error)?;
    if a.redact {
        // The notes name what the snapshot holds: masked with its key, so
        // that a note and the snapshot still name the same thing.
        let mut masks = erdiag_azure::redact::Redactor::new(erdiag_azure::RedactKey::random());
        masks.learn(&snapshot);
        notes.iter_mut().for_each(|n| *n = masks.string(n));
        masks.rewrite(&mut snapshot);
    }
    for n in &notes {
        eprintln!("{}", crate::terminal::shown(n));
    }
    // Masked above when asked.
    super::write_snapshot(snapshot, false, &a.output)?;
    Ok(0)
}
