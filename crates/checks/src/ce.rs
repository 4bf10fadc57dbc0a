//! The customer edge as the user supplied it (`inputs.ce`): each text read
//! once, and the facts the `customer-edge` checks share — which subinterface
//! and which BGP neighbor face the MSEE on a path, and a compiler-style
//! snippet pointing at the offending line.

use crate::facts;
use erdiag_ceconfig::{CeConfig, Interface, Neighbor, Span};
use erdiag_model::{CircuitState, DevicePath, PeerSubnet, PeeringState};

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

/// Is this text a running configuration (as opposed to show outputs)?
fn is_config(text: &str) -> bool {
    erdiag_ceconfig::detect_vendor(text).is_some()
}

/// The configurations given for a path. Texts that are not configurations
/// are left to the show-output parsers.
pub fn configs(state: &CircuitState, d: DevicePath) -> Vec<CeConfigFile<'_>> {
    state.ce[d.index()]
        .iter()
        .filter(|i| is_config(&i.text))
        .filter_map(|i| erdiag_ceconfig::parse_config(&i.text, None).ok().map(|config| CeConfigFile { file: &i.name, text: &i.text, config }))
        .collect()
}

/// Splits a text holding several show commands, each after its prompt line
/// (`ce1#show ip bgp summary`, `user@ce1> show bgp summary`), into one text
/// per command with its first line number. A text without prompts is one piece.
pub fn split_commands(text: &str) -> Vec<(usize, String)> {
    let is_prompt = |l: &str| {
        let t = l.trim_start();
        let Some(i) = t.find(['#', '>']) else { return false };
        let (host, rest) = (&t[..i], t[i + 1..].trim_start());
        !host.is_empty() && !host.contains(' ') && (rest.starts_with("show ") || rest.starts_with("sh ") || rest == "show" )
    };
    let mut out: Vec<(usize, String)> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if is_prompt(line) || out.is_empty() {
            out.push((n + 1, String::new()));
        }
        let last = out.last_mut().unwrap();
        last.1.push_str(line);
        last.1.push('\n');
    }
    out.retain(|(_, t)| !t.trim().is_empty());
    out
}

/// The show outputs given for a path, parsed.
pub fn show_outputs(state: &CircuitState, d: DevicePath) -> Vec<(String, erdiag_ce::Parsed)> {
    state.ce[d.index()]
        .iter()
        .filter(|i| !is_config(&i.text))
        .flat_map(|i| split_commands(&i.text).into_iter().map(move |(line, t)| (format!("{}:{line}", i.name), t)))
        .filter_map(|(at, t)| erdiag_ce::parse(&t, None, None).ok().map(|p| (at, p)))
        .collect()
}

/// Checks that every CE text can be read, so that bad input is an error
/// (exit 2) before any verdict.
pub fn validate(state: &CircuitState) -> Result<(), CeInputError> {
    for d in DevicePath::BOTH {
        for i in &state.ce[d.index()] {
            let err = |message: String| CeInputError { path: d, file: i.name.clone(), message };
            if i.text.trim().is_empty() {
                return Err(err("empty".into()));
            }
            if is_config(&i.text) {
                erdiag_ceconfig::parse_config(&i.text, None).map_err(|e| err(e.to_string()))?;
                continue;
            }
            for (line, t) in split_commands(&i.text) {
                erdiag_ceconfig_or_show(&t).map_err(|e| err(format!("the output starting at line {line}: {e}")))?;
            }
        }
    }
    Ok(())
}

fn erdiag_ceconfig_or_show(text: &str) -> Result<(), String> {
    erdiag_ce::parse(text, None, None).map(|_| ()).map_err(|e| {
        format!("not recognised as a router configuration or a show output (BGP, ARP, routes, interfaces): {e}")
    })
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
    erdiag_ceconfig::render_diagnostic(f.file, f.text, span, message)
}

/// `file:line:col` of a span.
pub fn at(f: &CeConfigFile, span: Span) -> String {
    format!("{}:{}:{}", f.file, span.line, span.column)
}
