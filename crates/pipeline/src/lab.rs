//! The live lab as a source: its state read over the ARM contract (the
//! emulator's [`LabBackend`]) with the CE router's outputs as inputs, and
//! its status as data. Building, breaking and removing the lab is
//! `erdiag_lab`'s; this module gives its errors their hints.

use crate::{Error, ErrorKind};
use erdiag_lab::{Lab, LabBackend, LabError, Live};
use erdiag_model::{CeInput, DevicePath, Inputs, PerPath};
use serde::Serialize;
use std::sync::Arc;

/// A lab error with what the user can do about it.
pub fn error(e: LabError) -> Error {
    let hint = match &e {
        LabError::Unsupported(_) => Some("the lab needs Linux network namespaces, root, and Debian's frr package"),
        LabError::AlreadyUp(_) => Some("`erdiag lab down` removes it; --name builds another one beside it"),
        LabError::Refused(_) => Some("the lab removes, kills or enters only what its marker proves it made (docs/security-lab.md)"),
        _ => None,
    };
    let kind = if matches!(e, LabError::Usage(_)) { ErrorKind::Usage } else { ErrorKind::Lab };
    let u = Error::new(kind, e.to_string()).caused_by(e);
    match hint {
        Some(h) => u.with_hint(h),
        None => u,
    }
}

/// Adds the CE router's texts (redacted) to a snapshot's inputs, on both
/// paths: the lab's one CE faces both MSEEs.
pub(crate) fn attach_ce(lab: &Lab, snapshot: &mut serde_json::Value) {
    let texts: Vec<CeInput> = erdiag_lab::live::ce_texts(lab).into_iter().map(|(name, text)| CeInput { name, text: crate::redact_ce(&text) }).collect();
    let inputs = Inputs { ce: Some(PerPath { primary: Some(texts.clone()), secondary: Some(texts) }), ..Inputs::default() };
    snapshot["inputs"] = serde_json::to_value(&inputs).expect("inputs are JSON");
}

/// A lab that is up, checked for what reading it needs (root, FRR).
pub fn running(lab: &Lab) -> Result<(), Error> {
    erdiag_lab::preflight().map_err(error)?;
    lab.load().map_err(error).map(|_| ())
}

/// The emulator's backend over a running lab, and its circuit's id.
pub(crate) fn backend_of(lab: &Lab) -> Result<(LabBackend, String), Error> {
    erdiag_lab::preflight().map_err(error)?;
    let backend = LabBackend::new(lab.clone(), erdiag_azure::now_rfc3339).map_err(error)?;
    let id = backend.circuit_id().map_err(error)?;
    Ok((backend, id))
}

/// A backend for the emulator serving the lab of this name, and its circuit's id.
pub fn backend(name: &str) -> Result<(Arc<dyn erdiag_emulator::Backend>, String), Error> {
    let (backend, id) = backend_of(&Lab::new(name).map_err(error)?)?;
    Ok((Arc::new(backend), id))
}

/// The lab's state read directly (no HTTP), with the CE's texts.
pub fn snapshot(lab: &Lab) -> Result<serde_json::Value, Error> {
    let (backend, _) = backend_of(lab)?;
    let mut s = backend.read_snapshot().map_err(error)?;
    attach_ce(lab, &mut s);
    Ok(s)
}

/// What `erdiag lab status` shows (`-o json` is this, serialized).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    pub breaks: Vec<BreakStatus>,
    pub circuit_id: String,
    pub converged_secs: Option<f64>,
    pub healthy: bool,
    pub name: String,
    pub namespaces: Vec<String>,
    pub paths: Vec<PathStatus>,
    pub scenario: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct BreakStatus {
    pub kind: &'static str,
    pub path: &'static str,
}

/// One device path of the lab.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PathStatus {
    pub arp_resolved: bool,
    pub bgp_state: String,
    pub ce: String,
    pub gateway_session: String,
    pub msee: String,
    pub msee_running: bool,
    pub path: &'static str,
    pub prefixes_received: Option<u64>,
    /// The path's IPv6 session, in a dual-stack lab.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipv6: Option<V6PathStatus>,
}

/// The IPv6 session of one device path, read from FRR's IPv6 unicast JSON.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct V6PathStatus {
    pub bgp_state: String,
    pub ce: String,
    pub msee: String,
    /// The IPv6 prefixes the MSEE receives from the CE.
    pub prefixes_received: Option<u64>,
    /// Whether the MSEE has the CE's IPv6 address in its neighbour table.
    pub nd_resolved: bool,
    /// The IPv6 prefixes the gateway receives from this MSEE (over their
    /// IPv4 session, which carries IPv6 unicast).
    pub gateway_prefixes: Option<u64>,
}

/// The lab's status: its state file and what the routers say now.
pub fn status(lab: &Lab) -> Result<Status, Error> {
    let namespaces = lab.existing_namespaces().map_err(error)?;
    let state = match lab.load() {
        Ok(s) => s,
        Err(LabError::NotUp(_)) if !namespaces.is_empty() => {
            return Err(Error::new(ErrorKind::Lab, format!("lab `{}` has leftovers ({}) but no state", lab.name, namespaces.join(", ")))
                .with_hint("`erdiag lab down` removes them if the lab's marker records them"));
        }
        Err(e) => return Err(error(e)),
    };
    let live = Live::read(lab);
    let spec = &state.spec;
    let mut paths = Vec::new();
    for p in DevicePath::BOTH {
        let i = p.index();
        let (ce, msee) = erdiag_lab::spec::usable(spec.subnet(p));
        let m = &live.msee[i];
        paths.push(PathStatus {
            path: p.as_str(),
            ce: ce.to_string(),
            msee: msee.to_string(),
            msee_running: m.bgp.peers.is_some(),
            bgp_state: m.bgp.state(ce).unwrap_or("—").to_string(),
            prefixes_received: m.bgp.received(ce),
            arp_resolved: m.resolves(ce),
            gateway_session: live.gw.state(spec.msee_vnet_ips[i]).unwrap_or("—").to_string(),
            ipv6: spec.v6.as_ref().map(|v6| {
                let (ce, msee) = v6.usable(p);
                V6PathStatus {
                    ce: ce.to_string(),
                    msee: msee.to_string(),
                    bgp_state: m.bgp.state(ce).unwrap_or("—").to_string(),
                    prefixes_received: m.bgp.received(ce),
                    nd_resolved: m.resolves(ce),
                    gateway_prefixes: live.gw.received_v6(spec.msee_vnet_ips[i]),
                }
            }),
        });
    }
    Ok(Status {
        name: lab.name.clone(),
        scenario: spec.scenario.clone(),
        circuit_id: spec.circuit_id.clone(),
        namespaces,
        breaks: state.breaks.iter().map(|b| BreakStatus { kind: b.kind.name(), path: b.path.as_str() }).collect(),
        healthy: live.healthy(spec),
        converged_secs: state.converged_secs,
        paths,
    })
}
