//! The show-output parsers: one module per platform and command, and the
//! table ([`ENTRIES`]) that names them.
//!
//! An entry is what ntc-templates' index is for TextFSM: the platform, the
//! command as ntc-templates names it, the command patterns it answers to
//! (abbreviations as the router accepts them), the kind of typed record it
//! yields and the parser. Order matters: the first entry whose pattern
//! matches the command wins, so the more specific commands come first.

use crate::fsm::{Machine, Out, Scope, Template};
use crate::{Kind, ParseError, Platform};

mod arista_eos;
pub(crate) mod bgp_columns;
pub(crate) mod cisco_ios;
mod cisco_nxos;
mod cisco_xr;
mod frr;
mod iface_words;
mod juniper_junos;
pub(crate) mod rows;

/// A parser for one (platform, command): fed every line in order, then told
/// the input ended.
pub(crate) trait LineParser {
    fn line(&mut self, n: usize, line: &str, out: &mut Out<'_>);
    /// The end of the input (`last` is the last line's number). TextFSM's
    /// implicit `EOF` record happens here, for templates that have it.
    fn finish(&mut self, last: usize, out: &mut Out<'_>);
}

/// A template whose parser keeps nothing but its record (the module's
/// `Fsm`, which is then its `Parser`): [`Rules::line`] reads each line; at
/// the end of the input the pending record is recorded, when the template
/// has TextFSM's implicit `EOF` rule.
pub(crate) trait Rules: Template + Sized {
    /// Whether the end of the input records what is pending.
    const EOF: bool = true;
    fn line(f: &mut Machine<Self>, n: usize, line: &str, out: &mut Out<'_>);
}

impl<T: Rules> LineParser for Machine<T> {
    fn line(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
        T::line(self, n, line, out)
    }

    fn finish(&mut self, _last: usize, out: &mut Out<'_>) {
        if T::EOF {
            self.record(out.sink);
        }
    }
}

/// A reader that serves two commands whose templates differ by one switch
/// (`show ip bgp` and a neighbor's advertised routes; `show ip bgp
/// neighbors` and its VPNv4 form): `Variant<R, false>` and
/// `Variant<R, true>` are the two parsers.
pub(crate) trait Switched {
    fn switched(on: bool) -> Self;
    fn read(&mut self, n: usize, line: &str, out: &mut Out<'_>);
    fn end(&mut self, out: &mut Out<'_>);
}

/// The parser of one command of a [`Switched`] reader.
pub(crate) struct Variant<R, const ON: bool>(R);

impl<R: Switched, const ON: bool> Default for Variant<R, ON> {
    fn default() -> Self {
        Variant(R::switched(ON))
    }
}

impl<R: Switched, const ON: bool> LineParser for Variant<R, ON> {
    fn line(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
        self.0.read(n, line, out)
    }

    fn finish(&mut self, _last: usize, out: &mut Out<'_>) {
        self.0.end(out)
    }
}

pub(crate) struct Entry {
    pub platform: Platform,
    pub command: &'static str,
    pub kind: Kind,
    /// Command patterns: words, `word[rest]` for an abbreviation (`sh[ow]`
    /// matches `sh`, `sho`, `show`), `?word` for an optional word, `{arg}`
    /// for any one word, `*` for any words. Words after the pattern are
    /// allowed (`show ip route vrf X`).
    pub patterns: &'static [&'static str],
    pub new: fn() -> Box<dyn LineParser>,
}

macro_rules! entry {
    ($p:ident, $cmd:literal, $kind:ident, [$($pat:literal),* $(,)?], $ty:ty) => {
        Entry { platform: Platform::$p, command: $cmd, kind: Kind::$kind, patterns: &[$($pat),*], new: || Box::new(<$ty>::default()) }
    };
}

pub(crate) static ENTRIES: &[Entry] = &[
    // Cisco IOS / IOS-XE
    entry!(CiscoIos, "show ip bgp summary", BgpSummary, ["sh[ow] ?ip bgp * sum[mary]"], cisco_ios::show_ip_bgp_summary::Parser),
    entry!(CiscoIos, "show ip bgp neighbors advertised-routes", BgpRoutes, ["sh[ow] ?ip bgp * nei[ghbors] ?{arg} adv[ertised-routes]"], cisco_ios::show_ip_bgp::AdvertisedRoutes),
    entry!(CiscoIos, "show ip bgp vpnv4 all neighbors", BgpNeighbors, ["sh[ow] ip bgp vpnv4 all nei[ghbors]"], cisco_ios::show_ip_bgp_neighbors::Vpnv4),
    entry!(CiscoIos, "show ip bgp neighbors", BgpNeighbors, ["sh[ow] ?ip bgp * nei[ghbors]"], cisco_ios::show_ip_bgp_neighbors::Parser),
    entry!(CiscoIos, "show ip bgp", BgpRoutes, ["sh[ow] ?ip bgp"], cisco_ios::show_ip_bgp::Parser),
    entry!(CiscoIos, "show ip arp", Arp, ["sh[ow] i[p] a[rp]"], cisco_ios::show_ip_arp::Parser),
    entry!(CiscoIos, "show arp", Arp, ["sh[ow] arp"], cisco_ios::show_arp::Parser),
    entry!(CiscoIos, "show ip route", Routes, ["sh[ow] ip r[oute]"], cisco_ios::show_ip_route::Parser),
    entry!(CiscoIos, "show ip interface brief", Interfaces, ["sh[ow] ip int[erface] br[ief]"], cisco_ios::show_ip_interface_brief::Parser),
    entry!(CiscoIos, "show interfaces", Interfaces, ["sh[ow] int[erfaces]"], cisco_ios::show_interfaces::Parser),
    // Cisco NX-OS
    entry!(CiscoNxos, "show ip bgp summary vrf", BgpSummary, ["sh[ow] ip b[gp] ?all s[ummary] v[rf]"], cisco_nxos::show_ip_bgp_summary_vrf::Parser),
    entry!(CiscoNxos, "show ip bgp summary", BgpSummary, ["sh[ow] ?ip b[gp] * s[ummary]"], cisco_nxos::show_ip_bgp_summary::Parser),
    entry!(CiscoNxos, "show ip bgp neighbors", BgpNeighbors, ["sh[ow] ?ip bgp * nei[ghbors]"], cisco_nxos::show_ip_bgp_neighbors::Parser),
    entry!(CiscoNxos, "show ip bgp", BgpRoutes, ["sh[ow] i[p] bgp"], cisco_nxos::show_ip_bgp::Parser),
    entry!(CiscoNxos, "show ip arp detail vrf all", Arp, ["sh[ow] i[p] a[rp] det[ail] vrf all"], cisco_nxos::show_ip_arp_detail_vrf_all::Parser),
    entry!(CiscoNxos, "show ip arp detail", Arp, ["sh[ow] i[p] a[rp] det[ail]"], cisco_nxos::show_ip_arp_detail::Parser),
    entry!(CiscoNxos, "show ip arp", Arp, ["sh[ow] i[p] a[rp]"], cisco_nxos::show_ip_arp::Parser),
    entry!(CiscoNxos, "show ip route", Routes, ["sh[ow] ip route"], cisco_nxos::show_ip_route::Parser),
    entry!(CiscoNxos, "show interface", Interfaces, ["sh[ow] int[erfaces]"], cisco_nxos::show_interface::Parser),
    // Cisco IOS-XR
    entry!(CiscoXr, "show bgp instance all summary", BgpSummary, ["sh[ow] bg[p] ins[tance] {arg} sum[mary]"], cisco_xr::show_bgp_instance_all_summary::Parser),
    entry!(CiscoXr, "show bgp vrf all ipv4 unicast summary", BgpSummary, ["sh[ow] bg[p] v[rf] {arg} ?ip[v4] ?uni[cast] summ[ary]"], cisco_xr::show_bgp_vrf_all_ipv4_unicast_summary::Parser),
    entry!(CiscoXr, "show ip bgp summary", BgpSummary, ["sh[ow] ip b[gp] s[ummary]", "sh[ow] bg[p] * summ[ary]"], cisco_xr::show_ip_bgp_summary::Parser),
    entry!(CiscoXr, "show bgp neighbors", BgpNeighbors, ["sh[ow] bg[p] * nei[ghbors]"], cisco_xr::show_bgp_neighbors::Parser),
    entry!(CiscoXr, "show arp", Arp, ["sh[ow] arp"], cisco_xr::show_arp::Parser),
    entry!(CiscoXr, "show ip route", Routes, ["sh[ow] ?ip ?ipv4 ro[ute]"], cisco_xr::show_ip_route::Parser),
    entry!(CiscoXr, "show interfaces", Interfaces, ["sh[ow] int[erfaces]"], cisco_xr::show_interfaces::Parser),
    entry!(CiscoXr, "show bgp", BgpRoutes, ["sh[ow] bg[p]", "sh[ow] ip bgp"], cisco_xr::show_bgp::Parser),
    // Juniper Junos
    entry!(JuniperJunos, "show bgp summary", BgpSummary, ["sh[ow] bgp sum[mary]"], juniper_junos::show_bgp_summary::Parser),
    entry!(JuniperJunos, "show arp no-resolve", Arp, ["sh[ow] a[rp] n[o-resolve]"], juniper_junos::show_arp_no_resolve::Parser),
    entry!(JuniperJunos, "show arp", Arp, ["sh[ow] a[rp]"], juniper_junos::show_arp_no_resolve::Parser),
    entry!(JuniperJunos, "show route summary", RouteSummary, ["sh[ow] ro[ute] su[mmary]"], juniper_junos::show_route_summary::Parser),
    entry!(JuniperJunos, "show interfaces", Interfaces, ["sh[ow] int[erfaces]"], juniper_junos::show_interfaces::Parser),
    // Arista EOS
    entry!(AristaEos, "show ip bgp summary", BgpSummary, ["sh[ow] i[p] bg[p] * su[mmary]", "sh[ow] bg[p] * su[mmary]"], arista_eos::show_ip_bgp_summary::Parser),
    entry!(AristaEos, "show ip bgp", BgpRoutes, ["sh[ow] i[p] bg[p]"], arista_eos::show_ip_bgp::Parser),
    entry!(AristaEos, "show ip arp", Arp, ["sh[ow] i[p] ar[p]", "sh[ow] arp"], arista_eos::show_ip_arp::Parser),
    entry!(AristaEos, "show ip route", Routes, ["sh[ow] i[p] rou[te]"], arista_eos::show_ip_route::Parser),
    entry!(AristaEos, "show interfaces", Interfaces, ["sh[ow] int[erfaces]"], arista_eos::show_interfaces::Parser),
    // FRRouting (vtysh)
    entry!(Frr, "show bgp summary", BgpSummary, ["sh[ow] ?ip bgp * sum[mary]"], frr::show_bgp_summary::Parser),
    entry!(Frr, "show bgp neighbors", BgpNeighbors, ["sh[ow] ?ip bgp * nei[ghbors]"], frr::show_bgp_neighbors::Parser),
    entry!(Frr, "show ip bgp", BgpRoutes, ["sh[ow] ?ip bgp"], frr::show_ip_bgp::Parser),
    entry!(Frr, "show ip route", Routes, ["sh[ow] ip ro[ute]"], frr::show_ip_route::Parser),
    entry!(Frr, "show interface", Interfaces, ["sh[ow] int[erfaces]"], frr::show_interface::Parser),
    entry!(Frr, "show arp", Arp, ["sh[ow] arp", "sh[ow] ip arp", "sh[ow] ip neigh[bor]", "ip neigh[bor] ?sh[ow]", "ip n ?sh[ow]"], frr::show_arp::Parser),
];

/// Commands that look like a supported one but print something else.
static NOT_SUPPORTED: &[&str] = &[
    "sh[ow] ip ro[ute] sum[mary]",
    "sh[ow] int[erfaces] * st[atus]",
    "sh[ow] int[erfaces] * des[cription]",
    "sh[ow] int[erfaces] * sw[itchport]",
    "sh[ow] int[erfaces] * tr[ansceiver]",
    "sh[ow] int[erfaces] * br[ief]",
    "sh[ow] int[erfaces] * coun[ters]",
    "sh[ow] int[erfaces] * summ[ary]",
    "sh[ow] run[ning-config]",
    "sh[ow] conf[iguration]",
];

/// Commands of one platform that its broader patterns would take for
/// another: EOS `show ip bgp neighbors` is not its BGP table, Junos
/// `show interfaces terse` not its `show interfaces`.
/// Variants whose output another parser would misread or find nothing in:
/// the XR ARP detail, the routes a neighbour is sent or sends on NX-OS and
/// XR (IOS reads advertised-routes as a BGP table).
static NOT_SUPPORTED_ON: &[(Platform, &str)] = &[
    (Platform::AristaEos, "sh[ow] ?ip bg[p] * nei[ghbors]"),
    (Platform::JuniperJunos, "sh[ow] int[erfaces] * ter[se]"),
    (Platform::CiscoXr, "sh[ow] arp * det[ail]"),
    (Platform::CiscoXr, "sh[ow] * nei[ghbors] * adv[ertised-routes]"),
    (Platform::CiscoXr, "sh[ow] * nei[ghbors] * rec[eived-routes]"),
    (Platform::CiscoXr, "sh[ow] * nei[ghbors] * ro[utes]"),
    (Platform::CiscoNxos, "sh[ow] * nei[ghbors] * adv[ertised-routes]"),
    (Platform::CiscoNxos, "sh[ow] * nei[ghbors] * rec[eived-routes]"),
    (Platform::CiscoNxos, "sh[ow] * nei[ghbors] * ro[utes]"),
    (Platform::CiscoIos, "sh[ow] * nei[ghbors] * rec[eived-routes]"),
    (Platform::CiscoIos, "sh[ow] * nei[ghbors] * ro[utes]"),
];

/// Whether `typed` (already split and lower-cased) matches `pattern`.
pub(crate) fn command_matches(pattern: &str, typed: &[&str]) -> bool {
    matches_words(pattern, typed, false)
}

/// Whether `pattern` describes every word of `typed`, with no word left
/// over after it (`show ip bgp neighbors X advertised-routes` fully matches
/// IOS's advertised-routes pattern, only partly the neighbors patterns).
pub(crate) fn command_matches_fully(pattern: &str, typed: &[&str]) -> bool {
    matches_words(pattern, typed, true)
}

fn matches_words(pattern: &str, typed: &[&str], fully: bool) -> bool {
    let pat: Vec<&str> = pattern.split(' ').collect();
    fn go(pat: &[&str], typed: &[&str], fully: bool) -> bool {
        let Some((p, rest)) = pat.split_first() else {
            return !fully || typed.is_empty();
        };
        if *p == "*" {
            return (0..=typed.len()).any(|k| go(rest, &typed[k..], fully));
        }
        if let Some(opt) = p.strip_prefix('?') {
            if typed.first().is_some_and(|w| word_matches(opt, w)) && go(rest, &typed[1..], fully) {
                return true;
            }
            return go(rest, typed, fully);
        }
        typed.first().is_some_and(|w| word_matches(p, w)) && go(rest, &typed[1..], fully)
    }
    go(&pat, typed, fully)
}

fn word_matches(p: &str, w: &str) -> bool {
    if p == "{arg}" {
        return true;
    }
    match p.split_once('[') {
        Some((req, opt)) => {
            let opt = opt.trim_end_matches(']');
            w.len() >= req.len() && w.starts_with(req) && w.len() <= req.len() + opt.len() && opt.starts_with(&w[req.len()..])
        }
        None => p == w,
    }
}

/// Whether `entry` describes every word of `command` as typed.
pub(crate) fn describes_fully(entry: &Entry, command: &str) -> bool {
    let words = split_command(command);
    let typed: Vec<&str> = words.iter().map(String::as_str).collect();
    entry.patterns.iter().any(|p| command_matches_fully(p, &typed))
}

fn split_command(command: &str) -> Vec<String> {
    typed_words(command).map(str::to_ascii_lowercase).collect()
}

/// The words of a command as typed, without the prompt pasted before it
/// (`router# show …`, `user@host> show …`) or the output modifiers after.
fn typed_words(command: &str) -> impl Iterator<Item = &str> {
    let c = command.trim();
    let c = match c.split_once(['#', '>']) {
        Some((prompt, rest)) if !prompt.contains(' ') && !rest.trim().is_empty() => rest,
        _ => c,
    };
    c.split('|').next().unwrap_or("").split_whitespace()
}

/// The VRF and address family a command names (`show ip route vrf BLUE`,
/// `show bgp vrf all ipv6 unicast summary`, `show ip bgp vpnv4 vrf X`):
/// `vrf all` names none.
pub(crate) fn scope(command: &str) -> Scope {
    let words = split_command(command);
    // VRF names keep their case.
    let typed: Vec<&str> = typed_words(command).collect();
    let vrf = words.windows(2).position(|w| w[0] == "vrf" && !matches!(w[1].as_str(), "all" | "*")).map(|i| typed[i + 1].to_string());
    let afi = |w: &str| match w {
        "ipv4" => Some("IPv4"),
        "ipv6" => Some("IPv6"),
        "vpnv4" => Some("VPNv4"),
        "vpnv6" => Some("VPNv6"),
        "l2vpn" => Some("L2VPN"),
        _ => None,
    };
    let address_family = words.iter().position(|w| afi(w).is_some()).map(|i| {
        let safi = words.get(i + 1).filter(|s| matches!(s.as_str(), "unicast" | "multicast" | "flowspec" | "evpn" | "vpls" | "labeled-unicast"));
        match safi {
            Some(s) if s == "evpn" || s == "vpls" => format!("{} {}", afi(&words[i]).unwrap_or(""), s.to_ascii_uppercase()),
            Some(s) => format!("{} {}{}", afi(&words[i]).unwrap_or(""), s[..1].to_ascii_uppercase(), &s[1..]),
            None => afi(&words[i]).unwrap_or("").to_string(),
        }
    });
    Scope { vrf, address_family }
}

/// The entry for a platform and a command as typed.
pub(crate) fn lookup(platform: Platform, command: &str) -> Result<&'static Entry, ParseError> {
    let words = split_command(command);
    let typed: Vec<&str> = words.iter().map(String::as_str).collect();
    let unsupported = || ParseError::UnknownCommand { platform, command: command.trim().to_string(), supported: supported_list(platform) };
    if NOT_SUPPORTED.iter().any(|p| command_matches(p, &typed)) || NOT_SUPPORTED_ON.iter().any(|(q, p)| *q == platform && command_matches(p, &typed)) {
        return Err(unsupported());
    }
    ENTRIES.iter().filter(|e| e.platform == platform).find(|e| e.patterns.iter().any(|p| command_matches(p, &typed))).ok_or_else(unsupported)
}

pub(crate) fn entry(platform: Platform, command: &str) -> &'static Entry {
    ENTRIES.iter().find(|e| e.platform == platform && e.command == command).expect("a command of the table")
}

fn supported_list(platform: Platform) -> String {
    ENTRIES.iter().filter(|e| e.platform == platform).map(|e| format!("`{}`", e.command)).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(p: Platform, c: &str) -> &'static str {
        lookup(p, c).map(|e| e.command).unwrap_or("-")
    }

    #[test]
    fn commands_as_typed() {
        use Platform::*;
        assert_eq!(find(CiscoIos, "sh ip bgp sum"), "show ip bgp summary");
        assert_eq!(find(CiscoIos, "show ip bgp all summary"), "show ip bgp summary");
        assert_eq!(find(CiscoIos, "show bgp ipv4 unicast summary"), "show ip bgp summary");
        assert_eq!(find(CiscoIos, "show ip bgp neighbors 10.0.0.1 advertised-routes"), "show ip bgp neighbors advertised-routes");
        assert_eq!(find(CiscoIos, "show ip bgp neighbors"), "show ip bgp neighbors");
        assert_eq!(find(CiscoIos, "show ip bgp all neighbor"), "show ip bgp neighbors");
        assert_eq!(find(CiscoIos, "show ip bgp"), "show ip bgp");
        assert_eq!(find(CiscoIos, "sh ip bgp all"), "show ip bgp");
        assert_eq!(find(CiscoIos, "show ip arp"), "show ip arp");
        assert_eq!(find(CiscoIos, "sh arp"), "show arp");
        assert_eq!(find(CiscoIos, "show ip route vrf A"), "show ip route");
        assert_eq!(find(CiscoIos, "show ip route summary"), "-");
        assert_eq!(find(CiscoIos, "sh int"), "show interfaces");
        assert_eq!(find(CiscoIos, "show interfaces status"), "-");
        assert_eq!(find(CiscoIos, "router1#show ip bgp summary | begin Neigh"), "show ip bgp summary");
        assert_eq!(find(CiscoIos, "show shoes"), "-");
        assert_eq!(find(CiscoNxos, "show ip bgp summary vrf all"), "show ip bgp summary vrf");
        assert_eq!(find(CiscoNxos, "show ip bgp summary"), "show ip bgp summary");
        assert_eq!(find(CiscoXr, "show bgp summary"), "show ip bgp summary");
        assert_eq!(find(CiscoXr, "show bgp all all summary"), "show ip bgp summary");
        assert_eq!(find(CiscoXr, "show bgp vrf all summary"), "show bgp vrf all ipv4 unicast summary");
        assert_eq!(find(CiscoXr, "show bgp instance all summary"), "show bgp instance all summary");
        assert_eq!(find(CiscoXr, "show route vrf all"), "show ip route");
        assert_eq!(find(CiscoXr, "show bgp all all"), "show bgp");
        assert_eq!(find(JuniperJunos, "show bgp summary"), "show bgp summary");
        assert_eq!(find(JuniperJunos, "show arp no-resolve"), "show arp no-resolve");
        assert_eq!(find(AristaEos, "show ip bgp summary vrf all"), "show ip bgp summary");
        assert_eq!(find(AristaEos, "show ip bgp vrf all"), "show ip bgp");
        assert_eq!(find(AristaEos, "show ip bgp neighbors"), "-");
        assert_eq!(find(CiscoNxos, "show ip bgp vrf all"), "show ip bgp");
        assert_eq!(find(CiscoNxos, "show ip bgp neighbors"), "show ip bgp neighbors");
        assert_eq!(find(Frr, "show interface"), "show interface");
        assert_eq!(find(Frr, "show interface brief"), "-");
        assert_eq!(find(AristaEos, "sh int"), "show interfaces");
        assert_eq!(find(JuniperJunos, "show interfaces ge-0/0/0"), "show interfaces");
        assert_eq!(find(JuniperJunos, "show interfaces terse"), "-");
        assert_eq!(find(Frr, "show bgp ipv4 unicast summary"), "show bgp summary");
        assert_eq!(find(Frr, "show ip bgp neighbors"), "show bgp neighbors");
    }
}
