//! Evidence only the user can supply, given on the command line and written
//! into the snapshot's `inputs`: the portal's ACL test (`--acl-test`), the CE
//! router's configuration and show outputs (`--ce`), and whether Azure's side
//! of the peering has an MD5 key (`--azure-md5`).

use crate::files::{read_input, Input};
use crate::flags::evidence::{EvidenceArgs, YesNo};
use erdiag_model::{CeInput, DevicePath, Inputs};
use erdiag_pipeline::Error;
use serde_json::Value;

impl EvidenceArgs {
    pub fn is_empty(&self) -> bool {
        self.acl_test.is_empty() && self.ce.is_empty() && self.azure_md5.is_none() && self.probe.is_none()
    }

    /// Adds the evidence to a snapshot document's `inputs`.
    pub fn apply(&self, snapshot: &mut Value) -> Result<(), Error> {
        let Value::Object(doc) = snapshot else { return Err(Error::input("the snapshot is not a JSON object")) };
        // What erdiag's own writers put there (the lab's CE texts), typed.
        let mut inputs: Option<Inputs> = match doc.remove("inputs") {
            None => None,
            Some(v) => serde_json::from_value(v).map_err(|e| Error::input(format!("the snapshot's inputs: {e}")))?,
        };
        self.apply_inputs(&mut inputs)?;
        doc.insert("inputs".into(), serde_json::to_value(&inputs).expect("inputs are JSON"));
        Ok(())
    }

    /// Adds the evidence to a snapshot's `inputs`. What the flags give
    /// replaces what the snapshot had in the same place.
    pub fn apply_inputs(&self, inputs: &mut Option<Inputs>) -> Result<(), Error> {
        let inputs = inputs.get_or_insert_with(Inputs::default);
        for spec in &self.acl_test {
            let (path, file, text) = read_spec("--acl-test", spec)?;
            // The file's own errors, naming it, before it joins the snapshot.
            erdiag_model::acltest::parse_acl_test(&text).map_err(|(line, message)| Error::input(format!("{file}: line {line}: {message}")))?;
            *inputs.acl_test.get_or_insert_with(Default::default).slot(path) = Some(text);
        }
        for spec in &self.ce {
            let (path, file, text) = read_spec("--ce", spec)?;
            let name = std::path::Path::new(&file).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or(file);
            let texts = inputs.ce.get_or_insert_with(Default::default).slot(path).get_or_insert_with(Vec::new);
            texts.push(CeInput { name, text: erdiag_pipeline::redact_ce(&text) });
        }
        if let Some(file) = &self.probe {
            let (_, bytes) = read_input(std::path::Path::new(file), Input::Text)?;
            erdiag_probe::ProbeReport::from_json(&bytes).map_err(|e| Error::input(format!("{file}: {e}")))?;
            let probe = serde_json::from_slice(&bytes).map_err(|e| Error::input(format!("{file}: line {}, column {}: {e}", e.line(), e.column())))?;
            inputs.probe = Some(probe);
        }
        if let Some(m) = self.azure_md5 {
            inputs.azure_md5 = Some(m == YesNo::Yes);
        }
        Ok(())
    }
}

/// `primary=FILE` → (the path, "FILE" as given, contents).
fn read_spec(flag: &str, spec: &str) -> Result<(DevicePath, String, String), Error> {
    let (path, file) = spec
        .split_once('=')
        .ok_or_else(|| Error::usage(format!("{flag} {spec}: expected primary=FILE or secondary=FILE")))?;
    let path = DevicePath::parse(path)
        .ok_or_else(|| Error::usage(format!("{flag} {spec}: `{}` is not a device path (primary or secondary)", path.trim().to_ascii_lowercase())))?;
    let (_, bytes) = read_input(std::path::Path::new(file), Input::Text)?;
    // UTF-8 with or without a byte-order mark, or UTF-16 as Windows
    // PowerShell's `>` writes it: the same reader as `erdiag import`'s.
    let text = erdiag_import::read_text(file, &bytes).map_err(|e| Error::input(e.to_string()))?;
    Ok((path, file.to_string(), text))
}
