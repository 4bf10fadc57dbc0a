//! The customer edge as the user supplied it (`inputs.ce`), read once per
//! diagnosis into typed evidence per device path ([`CeEvidence`]: the
//! running configurations with their spans, the show outputs as records,
//! every line not understood), and the facts the `customer-edge` checks
//! share — which subinterface and which BGP neighbor face the MSEE on a
//! path, and a compiler-style snippet pointing at the offending line.
//! Telling a configuration from show outputs, the platform and the split of
//! a pasted session at its prompts are erdiag-ce's
//! ([`erdiag_ce::detect`](mod@erdiag_ce::detect)), and so is how routers
//! print names and prefixes ([`erdiag_ce::values`]).

use crate::facts;
use erdiag_ce::config::{CeConfig, Interface, Neighbor, Span};
use erdiag_ce::detect::{self, TextKind};
use erdiag_ce::values::{interface_address, is_addr};
use erdiag_model::{CeInput, CircuitState, DevicePath, PeerSubnet, PeeringState};
use std::net::IpAddr;

/// A parsed configuration, with where it came from.
pub struct CeConfigFile<'a> {
    pub file: &'a str,
    pub text: &'a str,
    pub config: CeConfig,
}

/// Why a CE text cannot be used: the file and the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CeInputError {
    pub path: DevicePath,
    pub file: String,
    pub message: String,
}

impl std::fmt::Display for CeInputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (CE, {} path): {}", self.file, self.path, self.message)
    }
}

/// A line of a CE text that was not understood (the checks read the rest),
/// or a text that could not be read at all (`line` 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CeWarning {
    pub file: String,
    /// 1-based, in the file as given.
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for CeWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            0 => write!(f, "{}: {}", self.file, self.message),
            l => write!(f, "{}:{l}: {}", self.file, self.message),
        }
    }
}

/// Everything given for one device path, parsed once per diagnosis: what
/// the customer-edge checks read instead of the raw texts.
#[derive(Default)]
pub struct CeEvidence<'a> {
    /// The names of the files given, in order.
    pub files: Vec<&'a str>,
    pub configs: Vec<CeConfigFile<'a>>,
    pub shows: Vec<ShowOutput>,
    /// Every line not understood, in file and line order.
    pub warnings: Vec<CeWarning>,
}

impl<'a> CeEvidence<'a> {
    /// Parses the texts of one path. A text that cannot be read (or a
    /// command of it) is pushed to `errors` and left out.
    fn read_path(inputs: &'a [CeInput], d: DevicePath, errors: &mut Vec<CeInputError>) -> CeEvidence<'a> {
        let mut ev = CeEvidence::default();
        for i in inputs {
            ev.files.push(&i.name);
            if let Err(message) = ev.read_file(i) {
                errors.push(CeInputError { path: d, file: i.name.clone(), message });
            }
        }
        ev
    }

    fn read_file(&mut self, i: &'a CeInput) -> Result<(), String> {
        if i.text.trim().is_empty() {
            return Err("empty".into());
        }
        let warn = |line: usize, message: &str| CeWarning { file: i.name.clone(), line, message: message.to_string() };
        if let TextKind::Config(d) = detect::classify(&i.text) {
            let config = erdiag_ce::config::parse_config(&i.text, Some(d.platform)).map_err(|e| e.to_string())?;
            self.warnings.extend(config.warnings.iter().map(|w| warn(w.line, &w.message)));
            self.configs.push(CeConfigFile { file: &i.name, text: &i.text, config });
            return Ok(());
        }
        // Every command that parses is kept; the first that does not is
        // the file's error.
        let mut first_error = None;
        for c in detect::split_session(&i.text) {
            let parsed = match erdiag_ce::parse(&c.text, None, None) {
                Ok(parsed) => parsed,
                Err(e) => {
                    first_error.get_or_insert(format!(
                        "the output starting at line {}: not recognised as a router configuration or a show output (BGP, ARP, routes, interfaces): {e}",
                        c.line
                    ));
                    continue;
                }
            };
            // Lines of the piece, counted from the file's first; a note
            // about the whole output (`no records found`) is not a line
            // not understood: an empty output is evidence too.
            self.warnings.extend(parsed.warnings.iter().filter(|w| w.line > 0).map(|w| warn(c.line + w.line - 1, &w.message)));
            self.shows.push(ShowOutput { at: format!("{}:{}", i.name, c.line), typed: c.typed, parsed });
        }
        first_error.map_or(Ok(()), Err)
    }

    /// Whether nothing was given for the path.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Reads every CE text of both paths, once. A text that cannot be read is
/// an error naming the file and the line (exit 2 before any verdict).
pub fn read(state: &CircuitState) -> Result<[CeEvidence<'_>; 2], CeInputError> {
    let mut errors = Vec::new();
    let ev = DevicePath::BOTH.map(|d| CeEvidence::read_path(&state.ce[d.index()], d, &mut errors));
    match errors.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(ev),
    }
}

/// Reads every CE text of both paths, once; a text that cannot be read is
/// left out and named among the path's warnings.
pub fn read_lenient(state: &CircuitState) -> [CeEvidence<'_>; 2] {
    DevicePath::BOTH.map(|d| {
        let mut errors = Vec::new();
        let mut ev = CeEvidence::read_path(&state.ce[d.index()], d, &mut errors);
        // The message may quote the text: through the one secrets policy.
        ev.warnings.extend(errors.into_iter().map(|e| CeWarning { file: e.file, line: 0, message: format!("not read: {}", erdiag_model::secrets::redact_text(&e.message)) }));
        ev
    })
}

/// One show output given for a path, parsed.
pub struct ShowOutput {
    /// `file:line` where the output starts.
    pub at: String,
    /// The command typed after the prompt, as typed (`sh ip bgp nei
    /// 172.16.0.2 adv`), when the paste starts with a prompt line.
    pub typed: Option<String>,
    pub parsed: erdiag_ce::Parsed,
}

impl ShowOutput {
    /// The address the typed command names (the neighbor of `show ip bgp
    /// neighbors 172.16.0.2 advertised-routes`), if any.
    pub fn typed_address(&self) -> Option<IpAddr> {
        self.typed.as_deref()?.split_whitespace().find_map(|w| w.parse().ok())
    }
    /// Whether the command was piped through an output filter (`| include
    /// …`): the output then shows only some of what the command prints.
    pub fn filtered(&self) -> bool {
        self.typed.as_deref().is_some_and(|t| t.contains('|'))
    }
    /// `show ip bgp neighbors X advertised-routes`: what the CE sends to X.
    pub fn is_advertised_routes(&self) -> bool {
        self.parsed.command.contains("advertised")
    }
    /// The CE's advertised routes to `neighbor`, when this output is them.
    pub fn advertised_to(&self, neighbor: IpAddr) -> Option<&[erdiag_ce::model::BgpRoute]> {
        match &self.parsed.model {
            erdiag_ce::Model::BgpRoutes(rows) if self.is_advertised_routes() && self.typed_address() == Some(neighbor) => Some(rows),
            _ => None,
        }
    }
}

/// The subinterface facing the MSEE on this path: the one with an address in
/// the path's /30; else the one tagged with the peering's VLAN.
pub fn facing_interface<'c>(c: &'c CeConfig, p: &PeeringState, sub: &PeerSubnet) -> Option<&'c Interface> {
    c.interfaces
        .iter()
        .find(|i| i.addresses.iter().any(|a| sub.net.contains(&a.value.addr())))
        .or_else(|| {
            let vlan = p.peering.properties.vlan_id? as u16;
            c.interfaces.iter().find(|i| i.inner_vlan.as_ref().map(|v| v.value).or(i.vlan.as_ref().map(|v| v.value)) == Some(vlan))
        })
}

/// The BGP neighbor facing the MSEE: one whose address is in the path's /30.
pub fn facing_neighbor<'c>(c: &'c CeConfig, sub: &PeerSubnet) -> Option<&'c Neighbor> {
    c.bgp.as_ref()?.neighbors.iter().find(|n| sub.net.contains(&n.address.value))
}

/// Whether this CE configuration concerns this peering on this path at all.
pub fn concerns(c: &CeConfig, p: &PeeringState, d: DevicePath) -> bool {
    let Some(sub) = facts::addresses(&p.peering, d) else { return false };
    facing_interface(c, p, &sub).is_some() || facing_neighbor(c, &sub).is_some()
}

/// The peerings a CE configuration of this path concerns; the private
/// peering when it concerns none (so that a wrong config is still reported).
pub fn peerings_for<'s>(state: &'s CircuitState, c: &CeConfig, d: DevicePath) -> Vec<&'s PeeringState> {
    let v: Vec<&PeeringState> = state.peerings.iter().filter(|p| concerns(c, p, d)).collect();
    if v.is_empty() {
        state.private_peering().into_iter().collect()
    } else {
        v
    }
}

/// A compiler-style snippet (`--> file:line:col`, the line, `^^^ message`).
pub fn snippet(f: &CeConfigFile, span: Span, message: &str) -> String {
    erdiag_ce::config::render_diagnostic(f.file, f.text, span, message)
}

/// `file:line:col` of a span.
pub fn at(f: &CeConfigFile, span: Span) -> String {
    format!("{}:{}:{}", f.file, span.line, span.column)
}

/// The CE's interface facing the MSEE on a path: its name, and the
/// evidence that says so (`ce1.cfg:14:11: …`).
pub struct FacingInterface {
    pub name: String,
    pub evidence: String,
}

/// The CE interface facing the MSEE on this path: the one a configuration
/// given for the path addresses in the /30 (or tags with the peering's
/// VLAN), else the one `show interfaces` lists with an address in the /30.
pub fn facing_interface_known(ce: &CeEvidence, p: &PeeringState, sub: &PeerSubnet, shows: &[ShowOutput]) -> Option<FacingInterface> {
    for f in &ce.configs {
        if let Some(i) = facing_interface(&f.config, p, sub) {
            return Some(FacingInterface {
                name: i.name.value.clone(),
                evidence: format!("{}: {} faces the MSEE in the configuration", at(f, i.name.span), i.name.value),
            });
        }
    }
    shows.iter().find_map(|o| match &o.parsed.model {
        erdiag_ce::Model::Interfaces(rows) => rows
            .iter()
            .find(|r| interface_address(r).is_some_and(|a| sub.net.contains(&a)))
            .map(|r| FacingInterface {
                name: r.name.clone(),
                evidence: format!("{}: {} has {}, in the path's /30", o.at, r.name, r.ip_address.as_deref().unwrap_or("?")),
            }),
        _ => None,
    })
}

/// Whether the BGP session to the MSEE on this path is Established, as far
/// as anything given says: the MSEE's route-table summary, the CE's BGP
/// summary or neighbor detail. `None`: nothing says.
pub fn session_established(p: &PeeringState, d: DevicePath, sub: &PeerSubnet, shows: &[ShowOutput]) -> Option<bool> {
    use erdiag_ce::model::BgpState;
    let mut seen = Vec::new();
    if let erdiag_model::Collected::Ok(rows) = p.summary(d) {
        // The session of the subnet's family: the /30's, or the /126's.
        if let Some(r) = erdiag_model::session_row_of(rows, erdiag_model::Family::of(sub.customer), Some(sub.customer)) {
            seen.push(r.state_pfx_rcd.is_established());
        }
    }
    let is_msee = |n: &str| is_addr(n, sub.msee);
    for o in shows {
        match &o.parsed.model {
            erdiag_ce::Model::BgpSummary(rows) => seen.extend(rows.iter().filter(|r| is_msee(&r.neighbor)).map(|r| r.state == BgpState::Established)),
            erdiag_ce::Model::BgpNeighbors(rows) => seen.extend(rows.iter().filter(|r| is_msee(&r.neighbor)).map(|r| r.state == BgpState::Established)),
            _ => {}
        }
    }
    if seen.iter().any(|e| *e) {
        Some(true)
    } else if seen.is_empty() {
        None
    } else {
        Some(false)
    }
}
