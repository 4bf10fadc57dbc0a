//! `erdiag import`: Azure CLI JSON and Azure PowerShell outputs → an
//! `erdiag-snapshot/1` document (`erdiag_import`).

use crate::files::{read_input, Input};
use crate::flags::{ImportArgs, PathArg};
use erdiag_pipeline::{import_error, Error};

pub fn run(a: ImportArgs) -> Result<u8, Error> {
    let mut inputs = Vec::new();
    for f in &a.files {
        let (label, bytes) = read_input(f, Input::Document)?;
        let text = erdiag_import::read_text(&label, &bytes).map_err(import_error)?;
        let mut input = erdiag_import::Input::new(label, text);
        input.peering = a.peering.clone();
        input.path = a.path.map(|p| match p {
            PathArg::Primary => erdiag_model::DevicePath::Primary,
            PathArg::Secondary => erdiag_model::DevicePath::Secondary,
        });
        inputs.push(input);
    }
    let options = erdiag_import::Options {
        circuit_id: a.circuit_id.clone(),
        subscription: a.subscription.clone(),
        resource_group: a.resource_group.clone(),
        circuit_name: a.name.clone(),
        collected_at: a.collected_at.clone(),
    };
    let imported = erdiag_import::import(&inputs, &options).map_err(import_error)?;
    for n in &imported.notes {
        eprintln!("{}", crate::terminal::shown(n));
    }
    super::write_snapshot(imported.snapshot, a.redact, &a.output)?;
    Ok(0)
}
