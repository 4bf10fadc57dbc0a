//! Parsers for customer-edge (CE) router **running configurations**, so that
//! erdiag can hold what the CE is configured to do against what Azure expects
//! of an ExpressRoute peering (VLAN, /30 addresses, ASNs, MD5, BFD, route
//! policy) and point at the exact line and column that is wrong, like a
//! compiler diagnostic ([`render_diagnostic`]).
//!
//! Supported: Cisco IOS / IOS-XE, NX-OS, IOS-XR, Arista EOS and FRRouting
//! (vtysh) `show running-config` — read by one indentation-tree parser with
//! per-vendor vocabulary (`cisco.rs`) — and Juniper Junos in both `display
//! set` and curly-brace form (`junos.rs`), which share one statement builder
//! so the two forms cannot disagree. BGP neighbors of every dialect resolve
//! what they inherit the same way (`bgp.rs`).
//!
//! Every value the cross-check needs carries its [`Span`]: 1-based line,
//! 1-based column counted in characters, length in characters. Lines the
//! parser does not understand inside the sections that matter (interfaces,
//! BGP, prefix lists, route maps) become [`Warning`]s naming the line;
//! everything else in a running configuration is ignored.
//!
//! Secrets: the parser records *where* an MD5 password or authentication key
//! is configured, never its value, and no warning quotes one;
//! [`render_diagnostic`] masks any secret on the line it shows.
//!
//! Bounds: input over [`MAX_INPUT_BYTES`] is refused, binary input is
//! refused, nesting, tokens per statement, items and warnings are capped, so
//! memory stays proportional to the configuration and no input panics.
//!
//! No I/O, no knowledge of ARM, checks or terminals.

mod bgp;
mod cisco;
mod diagnostic;
mod junos;
mod out;
mod tokens;

pub use diagnostic::{redact_secrets, render_diagnostic};

use crate::detect::config::{self as detect, Detected};
use crate::{Platform, Warning};
use serde::Serialize;
use std::net::IpAddr;

/// The largest input [`parse_config`] reads: 16 MiB, the same as the CLI's
/// limit for a `--ce` text (a compile-time assertion in crates/cli/src/files.rs
/// keeps the two equal). The largest real running configurations are a few
/// megabytes.
pub const MAX_INPUT_BYTES: usize = 16 * 1024 * 1024;

/// A place in the input: 1-based line, 1-based column and length, both
/// counted in characters (not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    pub line: usize,
    pub column: usize,
    pub len: usize,
}

impl Span {
    pub fn new(line: usize, column: usize, len: usize) -> Span {
        Span { line, column, len }
    }
}

/// A value and where it is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Spanned<T> {
        Spanned { value, span }
    }
}

/// A CE router's configuration, as far as the ExpressRoute cross-check
/// needs it.
#[derive(Debug, Clone, Serialize)]
pub struct CeConfig {
    pub platform: Platform,
    pub hostname: Option<Spanned<String>>,
    /// In the order of the configuration.
    pub interfaces: Vec<Interface>,
    pub bgp: Option<Bgp>,
    pub prefix_lists: Vec<PrefixList>,
    pub route_maps: Vec<RouteMap>,
    /// The ports MACsec is turned on for, in the order of the configuration.
    pub macsec: Vec<Macsec>,
    /// Lines not understood inside the sections that matter, in line order.
    pub warnings: Vec<Warning>,
}

/// MACsec turned on for a port, with what its policy sets: Cisco IOS-XE
/// `macsec` / `macsec network-link` and `mka policy P` on the interface,
/// the policy's `macsec-cipher-suite`; Junos `security macsec interfaces
/// IFD connectivity-association CA`, the association's `cipher-suite` and
/// `include-sci`; Arista EOS `mac security profile P` on the interface, the
/// profile's `cipher` and `sci`. The keys (CKN, CAK) are never kept: only where a
/// pre-shared key or key chain is named.
#[derive(Debug, Clone, Serialize)]
pub struct Macsec {
    /// The port, as written (`TenGigabitEthernet0/0/0`, `xe-0/0/0`).
    pub interface: Spanned<String>,
    /// Where MACsec is turned on for it.
    pub span: Span,
    /// The MKA policy (IOS-XE), connectivity association (Junos) or
    /// profile (EOS) applied.
    pub policy: Option<Spanned<String>>,
    /// The cipher suite as the policy writes it (`gcm-aes-xpn-256`); `None`
    /// when the policy does not set one (the platform default applies) or
    /// no policy is named.
    pub cipher: Option<Spanned<String>>,
    /// Whether the SCI is included in the SecTAG of every frame, where the
    /// configuration says so (Junos `include-sci`, EOS `sci`); `None` when it does not
    /// (IOS-XE configures no such statement: its default is not stated).
    pub include_sci: Option<Spanned<bool>>,
    /// Where a pre-shared key (Junos `pre-shared-key`) or key chain
    /// (IOS-XE `mka pre-shared-key key-chain`) is named; never its value.
    pub key: Option<Span>,
}

/// What an MKA policy or connectivity association sets (resolved into
/// each [`Macsec`] that names it).
#[derive(Debug, Clone, Default)]
pub(crate) struct MacsecPolicy {
    pub cipher: Option<Spanned<String>>,
    pub include_sci: Option<Spanned<bool>>,
    pub key: Option<Span>,
}

impl CeConfig {
    /// The interface of that name, exactly as written.
    pub fn interface(&self, name: &str) -> Option<&Interface> {
        self.interfaces.iter().find(|i| i.name.value == name)
    }

    /// The interfaces holding `ip` as one of their addresses.
    pub fn interfaces_with_address(&self, ip: IpAddr) -> impl Iterator<Item = &Interface> {
        self.interfaces.iter().filter(move |i| i.addresses.iter().any(|a| a.value.addr() == ip))
    }

    /// The interfaces whose subnet contains `ip` (where a /30 peer is reached).
    pub fn interfaces_on_subnet(&self, ip: IpAddr) -> impl Iterator<Item = &Interface> {
        self.interfaces.iter().filter(move |i| i.addresses.iter().any(|a| a.value.contains(&ip)))
    }

    /// The BGP neighbors at `ip`, in any VRF.
    pub fn neighbors(&self, ip: IpAddr) -> impl Iterator<Item = &Neighbor> {
        self.bgp.iter().flat_map(|b| b.neighbors.iter()).filter(move |n| n.address.value == ip)
    }

    pub fn prefix_list(&self, name: &str) -> Option<&PrefixList> {
        self.prefix_lists.iter().find(|p| p.name == name)
    }

    pub fn route_map(&self, name: &str) -> Option<&RouteMap> {
        self.route_maps.iter().find(|r| r.name == name)
    }

    /// MACsec on the port of this interface: on the interface itself or on
    /// its parent (the port of a subinterface or unit).
    pub fn macsec_on(&self, interface: &Interface) -> Option<&Macsec> {
        let port = interface.parent_name().unwrap_or(&interface.name.value);
        self.macsec.iter().find(|m| m.interface.value == port || m.interface.value == interface.name.value)
    }
}

/// An interface or subinterface (Junos: a logical unit, named `ifd.unit`).
#[derive(Debug, Clone, Serialize)]
pub struct Interface {
    /// As written: `GigabitEthernet0/0/0.200`, `xe-0/0/0.200`, `Ethernet1.200`.
    pub name: Spanned<String>,
    pub description: Option<String>,
    /// Where the interface is administratively shut down (`shutdown`, Junos
    /// `disable` or a deactivated interface).
    pub shutdown: Option<Span>,
    /// The 802.1Q tag; with QinQ the outer (S-) tag. FRR: from a Linux VLAN
    /// subinterface name (`eth0.200`), spanning the number in the name.
    pub vlan: Option<Spanned<u16>>,
    /// The QinQ inner (C-) tag.
    pub inner_vlan: Option<Spanned<u16>>,
    /// Addresses with their prefix length and host bits (`172.16.0.1/30`),
    /// primary first.
    pub addresses: Vec<Spanned<ipnet::IpNet>>,
    /// BFD configured on the interface (`bfd interval …`).
    pub bfd: Option<Span>,
    /// The VRF the interface is in (`vrf forwarding`, `vrf member`, `vrf`).
    pub vrf: Option<String>,
}

impl Interface {
    /// An interface of that name with nothing configured yet.
    pub(crate) fn new(name: Spanned<String>) -> Interface {
        Interface { name, description: None, shutdown: None, vlan: None, inner_vlan: None, addresses: Vec::new(), bfd: None, vrf: None }
    }

    /// The parent of a subinterface or unit: `GigabitEthernet0/0/0` for
    /// `GigabitEthernet0/0/0.200`.
    pub fn parent_name(&self) -> Option<&str> {
        crate::values::parent_interface(&self.name.value)
    }
}

/// The BGP process. Neighbors of every VRF / routing instance are listed,
/// each with its [`Neighbor::vrf`].
#[derive(Debug, Clone, Serialize)]
pub struct Bgp {
    /// asplain (asdot `1.10` is read as 65546).
    pub local_as: Spanned<u32>,
    pub router_id: Option<Spanned<IpAddr>>,
    pub neighbors: Vec<Neighbor>,
    /// `network` statements of every address family and VRF.
    pub networks: Vec<Spanned<ipnet::IpNet>>,
    /// The source protocol of each `redistribute` (`connected`, `static`, `ospf`…).
    pub redistribute: Vec<Spanned<String>>,
    /// The `router bgp N` line (Junos: the first `protocols bgp`).
    pub span: Span,
}

/// A BGP neighbor, with what it inherits from peer groups, templates,
/// neighbor groups or Junos groups already resolved.
#[derive(Debug, Clone, Serialize)]
pub struct Neighbor {
    pub address: Spanned<IpAddr>,
    /// Resolved through peer groups / templates / Junos groups; the span is
    /// where it is set. Junos `type internal` without `peer-as`: the local AS.
    pub remote_as: Option<Spanned<u32>>,
    /// A `local-as` override (or, FRR, the AS of a VRF's own `router bgp`);
    /// `None`: the process AS applies.
    pub local_as: Option<Spanned<u32>>,
    /// Where an MD5 password / authentication key is configured (the
    /// keyword). Its value is never kept.
    pub password: Option<Span>,
    pub bfd: Option<Span>,
    /// `neighbor … shutdown`, or a deactivated Junos neighbor / group.
    pub shutdown: Option<Span>,
    pub description: Option<String>,
    /// Inbound / outbound policy: route-map, XR route-policy, Junos
    /// import/export (the first policy of a chain).
    pub route_map_in: Option<Spanned<String>>,
    pub route_map_out: Option<Spanned<String>>,
    pub prefix_list_in: Option<Spanned<String>>,
    pub prefix_list_out: Option<Spanned<String>>,
    /// Maximum prefixes accepted (`maximum-prefix`, EOS `maximum-routes`,
    /// Junos `prefix-limit maximum`), of the neighbor's own address family.
    pub max_prefix: Option<Spanned<u32>>,
    /// Where the neighbor is told to send a default route (`default-originate`,
    /// in the neighbor's own address family; IOS/IOS-XE, NX-OS, IOS-XR, EOS,
    /// FRR). Junos sends a default through an export policy, not read here.
    pub default_originate: Option<Span>,
    /// Whether the neighbor is active in IPv4 unicast (explicit `activate`,
    /// an `address-family ipv4 unicast` block under the neighbor on NX-OS
    /// and XR, Junos `family inet unicast`, or the platform default).
    pub ipv4_unicast_active: Option<bool>,
    /// The peer group, XR neighbor-group, NX-OS peer template or Junos group.
    pub peer_group: Option<String>,
    /// The VRF / routing instance; `None` for the global table.
    pub vrf: Option<String>,
}

/// `permit` or `deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Permit,
    Deny,
}

/// A prefix list (IOS-like `ip prefix-list`, XR `prefix-set`, Junos
/// `policy-options prefix-list`).
#[derive(Debug, Clone, Serialize)]
pub struct PrefixList {
    pub name: String,
    /// IPv6 (`ipv6 prefix-list`); XR prefix-sets and Junos lists may mix.
    pub ipv6: bool,
    pub entries: Vec<PrefixListEntry>,
    /// The name where the list is first defined.
    pub span: Span,
}

/// One entry. XR prefix-sets and Junos lists have no sequence numbers and
/// only permit.
#[derive(Debug, Clone, Serialize)]
pub struct PrefixListEntry {
    pub seq: Option<u32>,
    pub action: Action,
    pub prefix: Spanned<ipnet::IpNet>,
    /// Prefix lengths matched: `ge`, `le` (`eq N` is both; Junos `orlonger`,
    /// `longer`, `upto` map onto them).
    pub ge: Option<u8>,
    pub le: Option<u8>,
    /// The entry, from its first to its last token.
    pub span: Span,
}

/// A route map (XR: a route-policy, one entry; Junos: a policy-statement,
/// one entry per term).
#[derive(Debug, Clone, Serialize)]
pub struct RouteMap {
    pub name: String,
    pub entries: Vec<RouteMapEntry>,
    /// The name where the map is first defined.
    pub span: Span,
}

#[derive(Debug, Clone, Serialize)]
pub struct RouteMapEntry {
    /// IOS-like sequence number; `None` for XR policies and Junos terms.
    pub seq: Option<u32>,
    /// The Junos term name.
    pub term: Option<String>,
    /// XR: `permit` when the policy can `pass`/`done`. Junos: `deny` for
    /// `then reject`, otherwise `permit` (also for a term that does not
    /// terminate).
    pub action: Action,
    /// Prefix lists matched (`match ip address prefix-list A B`, XR
    /// `destination in SET`, Junos `from prefix-list` / `prefix-list-filter`).
    pub match_prefix_lists: Vec<Spanned<String>>,
    /// Prefixes matched inline (Junos `route-filter`).
    pub match_prefixes: Vec<PrefixListEntry>,
    /// `set …` clauses (Junos: `then …` other than accept/reject), as written.
    pub sets: Vec<Spanned<String>>,
    /// The entry's header (`route-map NAME permit 10`, `term T`).
    pub span: Span,
}

/// Why a configuration could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    pub line: Option<usize>,
    pub message: String,
    pub hint: Option<String>,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl ConfigError {
    pub(crate) fn new(line: Option<usize>, message: impl Into<String>, hint: Option<String>) -> ConfigError {
        ConfigError { line, message: message.into(), hint }
    }
}

/// Parses a running configuration. `platform` `None` detects it
/// ([`crate::detect::config_platform`]); a platform given that the text
/// clearly is not is an error, not a silent empty parse.
pub fn parse_config(text: &str, platform: Option<Platform>) -> Result<CeConfig, ConfigError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(ConfigError::new(
            None,
            format!(
                "the configuration is {:.1} MiB, over the limit of {} MiB: this is not one router's running configuration",
                text.len() as f64 / (1024.0 * 1024.0),
                MAX_INPUT_BYTES / (1024 * 1024)
            ),
            Some("pass the output of `show running-config` (Junos: `show configuration`) of one router".into()),
        ));
    }
    tokens::check_binary(text)?;
    if text.trim().is_empty() {
        return Err(ConfigError::new(
            None,
            "the configuration is empty",
            Some("pass the output of `show running-config` (Junos: `show configuration`)".into()),
        ));
    }
    let detected = detect::detect(text);
    let platform = match platform {
        Some(p) => {
            check_asked(p, detected.as_ref())?;
            p
        }
        None => match &detected {
            Some(d) => d.platform,
            None => {
                return Err(ConfigError::new(
                    None,
                    "cannot tell which router's configuration this is: no line is typical of Cisco IOS, NX-OS, IOS-XR, Junos, Arista EOS or FRRouting",
                    Some(format!("name the vendor: one of {}", Platform::names())),
                ))
            }
        },
    };
    let mut out = out::Out::new(platform);
    match platform {
        Platform::JuniperJunos => junos::parse(text, &mut out)?,
        _ => cisco::parse(text, platform, &mut out),
    }
    out.finish()
}

/// A platform was named: refuse a text that is clearly another platform's.
fn check_asked(asked: Platform, detected: Option<&Detected>) -> Result<(), ConfigError> {
    let Some(d) = detected else { return Ok(()) };
    if d.platform == asked {
        return Ok(());
    }
    let other_family = (asked == Platform::JuniperJunos) != (d.platform == Platform::JuniperJunos);
    if d.conclusive() || (other_family && d.score(asked) == 0) {
        return Err(ConfigError::new(
            Some(d.line),
            format!("this looks like a {} configuration ({}), not {}", d.platform.display_name(), d.evidence, asked.display_name()),
            Some(format!("name `{}` as the vendor, or leave the vendor out to detect it", d.platform.ntc_name())),
        ));
    }
    Ok(())
}
