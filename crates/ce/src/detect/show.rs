//! Which platform printed an output, and which command: from the prompt line
//! pasted with it (`router#show ip bgp summary`,
//! `RP/0/RSP0/CPU0:router#show bgp summary`, `user@router> show bgp summary`,
//! `vtysh -c 'show bgp summary'`), from the headers of the command's output
//! (`Neighbor  V  AS MsgRcvd …`, `Groups: 2 Peers: 6 Down peers: 0`,
//! `BGP neighbor is …`, `Network  Next Hop …`, the ARP and route headers)
//! and from lines only one platform prints (NX-OS `BGP summary information
//! for VRF default, address family IPv4 Unicast`, EOS `Router identifier …`,
//! FRR `IPv4 Unicast Summary` and `vrf-id`, IOS-XR's `Spk` column and time
//! stamp, …).
//!
//! Only the start of the input is read ([`crate::Limits::head_bytes`]).
//! Nothing is guessed: when the output is not recognised, or when more than
//! one platform prints it that way and nothing tells them apart, the error
//! says so and names `--platform` / `--command`.

use super::session::prompt;
use crate::input::Head;
use crate::show::{self, Entry};
use crate::text::Cur;
use crate::{Kind, Platform};

/// What was recognised: the parser to use, and the line that decided it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    pub platform: Platform,
    /// The command as ntc-templates names it.
    pub command: &'static str,
    pub kind: Kind,
    pub line: usize,
}

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum DetectError {
    #[error("the input is empty")]
    Empty,
    #[error("not a show output erdiag recognises (first line {line}: `{text}`)\n\nhint: erdiag parses BGP summary, BGP neighbors, BGP table, ARP, IP route and interfaces outputs of {platforms}; give --platform and --command if this is one of them")]
    Unrecognised { line: usize, text: String, platforms: String },
    #[error("this looks like {what} (line {line}), but {candidates} all print it this way and nothing in the output tells them apart\n\nhint: say which with --platform ({names})")]
    Ambiguous { what: String, line: usize, candidates: String, names: String },
    #[error("this is {what} (line {line}) from {platform}, which erdiag does not parse\n\nhint: erdiag parses {supported} on {platform}")]
    NotSupported { what: String, line: usize, platform: Platform, supported: String },
    #[error("the command of this output could not be recognised for {platform} ({seen})\n\nhint: give it with --command, e.g. --command 'show ip bgp summary'")]
    NoCommand { platform: Platform, seen: String },
    #[error("no platform has a parser for `{command}`")]
    UnknownCommand { command: String },
    #[error("the platform of this `{command}` output could not be recognised: it could be {list}\n\nhint: say which with --platform", list = candidates.iter().map(|p| p.ntc_name()).collect::<Vec<_>>().join(", "))]
    NoPlatform { command: String, candidates: Vec<Platform> },
}

/// Recognises the platform and command of a whole output held in memory.
pub fn detect(text: &str) -> Result<(Platform, &'static str), DetectError> {
    let limits = crate::Limits::default();
    let mut lines = crate::input::Lines::new(text.as_bytes(), &limits);
    // Binary input has no platform.
    let head = lines.head().map_err(|_| DetectError::Unrecognised { line: 1, text: "binary data".into(), platforms: Platform::names() })?;
    detect_in(&head).map(|d| (d.platform, d.command))
}

/// The evidence found in the head of an input.
#[derive(Debug, Default)]
pub(crate) struct Candidates {
    /// The command typed after a prompt, if the paste has one.
    pub prompt_command: Option<String>,
    /// The line of that prompt, which no parser should see.
    pub prompt_line: Option<usize>,
    /// Kind of output and the line of its header.
    pub kind: Option<(Kind, usize, &'static str)>,
    /// Evidence for each platform: (platform, weight, line).
    pub marks: Vec<(Platform, u32, usize)>,
    /// Sub-command hints (`instance`, `vrf`, `detail`, …).
    hints: Vec<&'static str>,
    first: Option<(usize, String)>,
}

const STRONG: u32 = 10;
const WEAK: u32 = 1;

impl Candidates {
    fn mark(&mut self, p: Platform, w: u32, line: usize) {
        self.marks.push((p, w, line));
    }

    fn score(&self, p: Platform) -> (u32, usize) {
        let mut s = 0;
        let mut line = usize::MAX;
        for (q, w, l) in &self.marks {
            if *q == p {
                s += w;
                line = line.min(*l);
            }
        }
        (s, line)
    }

    /// The platform with the most evidence, when one stands out.
    pub fn platform(&self) -> Option<Platform> {
        let mut best: Vec<(Platform, u32)> = Platform::ALL.iter().map(|p| (*p, self.score(*p).0)).filter(|(_, s)| *s > 0).collect();
        best.sort_by_key(|b| std::cmp::Reverse(b.1));
        match best.as_slice() {
            [] => None,
            [(p, _)] => Some(*p),
            [(p, a), (_, b), ..] if a > b => Some(*p),
            _ => None,
        }
    }

    /// The parser for this output on platform `p`, from its kind.
    pub fn for_platform(&self, p: Platform) -> Option<&'static Entry> {
        let (kind, _, _) = self.kind?;
        default_command(p, kind, &self.hints).map(|c| show::entry(p, c))
    }

    pub fn describe(&self) -> String {
        match (&self.kind, &self.first) {
            (Some((_, line, what)), _) => format!("{what} at line {line}"),
            (None, Some((line, text))) => format!("first line {line}: `{}`", truncate(text)),
            (None, None) => "empty input".into(),
        }
    }
}

fn truncate(s: &str) -> String {
    let s = s.trim();
    match s.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// The ntc-templates command erdiag reads an output of this kind as.
fn default_command(p: Platform, kind: Kind, hints: &[&str]) -> Option<&'static str> {
    use Platform::*;
    let has = |h: &str| hints.contains(&h);
    Some(match (p, kind) {
        (CiscoIos, Kind::BgpSummary) => "show ip bgp summary",
        (CiscoIos, Kind::BgpNeighbors) if has("vpnv4-neighbors") => "show ip bgp vpnv4 all neighbors",
        (CiscoIos, Kind::BgpNeighbors) => "show ip bgp neighbors",
        (CiscoIos, Kind::BgpRoutes) => "show ip bgp",
        (CiscoIos, Kind::Arp) => "show ip arp",
        (CiscoIos, Kind::Routes) => "show ip route",
        (CiscoIos, Kind::Interfaces) if has("brief") => "show ip interface brief",
        (CiscoIos, Kind::Interfaces) => "show interfaces",
        (CiscoNxos, Kind::BgpSummary) => "show ip bgp summary",
        (CiscoNxos, Kind::BgpNeighbors) => "show ip bgp neighbors",
        (CiscoNxos, Kind::Arp) if has("arp-vrf-name") => "show ip arp detail vrf all",
        (CiscoNxos, Kind::Arp) if has("arp-physical") => "show ip arp detail",
        (CiscoNxos, Kind::Arp) => "show ip arp",
        (CiscoNxos, Kind::Routes) => "show ip route",
        (CiscoNxos, Kind::BgpRoutes) => "show ip bgp",
        (CiscoNxos, Kind::Interfaces) => "show interface",
        (CiscoXr, Kind::BgpSummary) if has("xr-instance") => "show bgp instance all summary",
        (CiscoXr, Kind::BgpSummary) if has("xr-vrf") => "show bgp vrf all ipv4 unicast summary",
        (CiscoXr, Kind::BgpSummary) => "show ip bgp summary",
        (CiscoXr, Kind::BgpNeighbors) => "show bgp neighbors",
        (CiscoXr, Kind::BgpRoutes) => "show bgp",
        (CiscoXr, Kind::Arp) => "show arp",
        (CiscoXr, Kind::Routes) => "show ip route",
        (CiscoXr, Kind::Interfaces) => "show interfaces",
        (JuniperJunos, Kind::BgpSummary) => "show bgp summary",
        (JuniperJunos, Kind::Arp) if has("junos-arp-names") => "show arp",
        (JuniperJunos, Kind::Arp) => "show arp no-resolve",
        (JuniperJunos, Kind::RouteSummary) => "show route summary",
        (JuniperJunos, Kind::Interfaces) => "show interfaces",
        (AristaEos, Kind::BgpSummary) => "show ip bgp summary",
        (AristaEos, Kind::Arp) => "show ip arp",
        (AristaEos, Kind::Routes) => "show ip route",
        (AristaEos, Kind::Interfaces) => "show interfaces",
        (AristaEos, Kind::BgpRoutes) => "show ip bgp",
        (Frr, Kind::BgpSummary) => "show bgp summary",
        (Frr, Kind::BgpNeighbors) => "show bgp neighbors",
        (Frr, Kind::BgpRoutes) => "show ip bgp",
        (Frr, Kind::Routes) => "show ip route",
        (Frr, Kind::Arp) => "show arp",
        (Frr, Kind::Interfaces) => "show interface",
        _ => return None,
    })
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::BgpSummary => "a BGP summary",
        Kind::BgpNeighbors => "a BGP neighbors output",
        Kind::BgpRoutes => "a BGP table",
        Kind::Arp => "an ARP table",
        Kind::Routes => "a routing table",
        Kind::RouteSummary => "a route summary",
        Kind::Interfaces => "an interfaces output",
    }
}

/// Recognises the head of an input.
pub(crate) fn detect_in(head: &Head) -> Result<Detected, DetectError> {
    let c = candidates(head);
    let Some((first_line, first)) = c.first.clone() else {
        return Err(DetectError::Empty);
    };
    if let Some(cmd) = &c.prompt_command {
        // The command typed: the platform from the evidence, or the only
        // platform with that command.
        let entries: Vec<&'static Entry> = Platform::ALL.iter().filter_map(|p| show::lookup(*p, cmd).ok()).collect();
        let line = c.kind.map(|k| k.1).unwrap_or(first_line);
        if let Some(p) = c.platform() {
            if let Some(e) = entries.iter().find(|e| e.platform == p) {
                return Ok(Detected { platform: p, command: e.command, kind: e.kind, line });
            }
        }
        if let [e] = entries.as_slice() {
            return Ok(Detected { platform: e.platform, command: e.command, kind: e.kind, line });
        }
        if entries.is_empty() && c.kind.is_none() {
            return Err(DetectError::UnknownCommand { command: cmd.clone() });
        }
        // Nothing after the prompt tells what was printed (`show ip bgp
        // neighbors X advertised-routes` prints nothing when nothing is
        // advertised): the one command that names every word typed.
        if c.kind.is_none() {
            if let [e] = entries.iter().filter(|e| show::describes_fully(e, cmd)).collect::<Vec<_>>().as_slice() {
                return Ok(Detected { platform: e.platform, command: e.command, kind: e.kind, line });
            }
        }
    }
    let Some((kind, line, what)) = c.kind else {
        return Err(DetectError::Unrecognised { line: first_line, text: truncate(&first), platforms: Platform::names() });
    };
    let able: Vec<Platform> = Platform::ALL.iter().copied().filter(|p| default_command(*p, kind, &c.hints).is_some()).collect();
    match c.platform() {
        Some(p) => match default_command(p, kind, &c.hints) {
            Some(cmd) => Ok(Detected { platform: p, command: cmd, kind, line }),
            None => Err(DetectError::NotSupported {
                what: format!("{} ({what})", kind_name(kind)),
                line,
                platform: p,
                supported: show::ENTRIES.iter().filter(|e| e.platform == p).map(|e| format!("`{}`", e.command)).collect::<Vec<_>>().join(", "),
            }),
        },
        None => {
            // Which platforms print this header at all.
            let mut cands: Vec<Platform> = c.marks.iter().map(|m| m.0).filter(|p| able.contains(p)).collect();
            cands.sort();
            cands.dedup();
            if cands.is_empty() {
                cands = able;
            }
            if let [p] = cands.as_slice() {
                let cmd = default_command(*p, kind, &c.hints).expect("able");
                return Ok(Detected { platform: *p, command: cmd, kind, line });
            }
            Err(DetectError::Ambiguous {
                what: format!("{} ({what})", kind_name(kind)),
                line,
                candidates: cands.iter().map(|p| p.ntc_name()).collect::<Vec<_>>().join(", "),
                names: Platform::names(),
            })
        }
    }
}

/// Collects the evidence.
pub(crate) fn candidates(head: &Head) -> Candidates {
    use Platform::*;
    let mut c = Candidates::default();
    let set_kind = |c: &mut Candidates, k: Kind, n: usize, what: &'static str| {
        if c.kind.is_none() {
            c.kind = Some((k, n, what));
        }
    };
    let mut neighbor_lines = 0;
    let mut vrf_neighbor_lines = 0;
    for (n, raw) in &head.lines {
        let n = *n;
        let l = raw.trim_end();
        let t = l.trim_start();
        if t.is_empty() {
            continue;
        }
        if c.first.is_none() {
            c.first = Some((n, l.to_string()));
        }
        // Prompts.
        if c.prompt_command.is_none() {
            if let Some(p) = prompt(l) {
                if let Some(platform) = p.platform {
                    c.mark(platform, STRONG, n);
                }
                c.prompt_command = Some(p.command.to_string());
                c.prompt_line = Some(n);
                continue;
            }
        }
        // XR time stamp: `Wed Jul 27 17:18:35.642 CST`.
        if is_xr_timestamp(t) {
            c.mark(CiscoXr, STRONG, n);
            continue;
        }
        if t.starts_with("{master") || t.starts_with("{backup") || t.starts_with("{primary") || t.starts_with("{linecard") {
            c.mark(JuniperJunos, STRONG, n);
            continue;
        }
        let words: Vec<&str> = t.split_whitespace().collect();
        let starts = |w: &[&str]| words.len() >= w.len() && words[..w.len()] == *w;

        // BGP summary headers.
        if starts(&["Neighbor", "V", "AS", "MsgRcvd", "MsgSent"]) || starts(&["Description", "Neighbor", "V", "AS", "MsgRcvd"]) {
            set_kind(&mut c, Kind::BgpSummary, n, "the BGP summary header");
            if words.contains(&"TblVer") {
                if l == "Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd" {
                    c.mark(CiscoIos, WEAK, n);
                }
                if words.contains(&"PfxSnt") || words.last() == Some(&"Desc") {
                    c.mark(Frr, STRONG, n);
                }
                c.mark(CiscoIos, 0, n);
                c.mark(CiscoNxos, 0, n);
                c.mark(Frr, 0, n);
            } else {
                // No table version column: EOS.
                c.mark(AristaEos, STRONG, n);
            }
            continue;
        }
        if starts(&["Neighbor", "Spk", "AS"]) {
            set_kind(&mut c, Kind::BgpSummary, n, "the `Spk` BGP summary header");
            c.mark(CiscoXr, STRONG, n);
            continue;
        }
        if starts(&["Groups:"]) && words.contains(&"Peers:") {
            set_kind(&mut c, Kind::BgpSummary, n, "`Groups: … Peers: …`");
            c.mark(JuniperJunos, STRONG, n);
            continue;
        }
        if starts(&["Peer", "AS", "InPkt", "OutPkt"]) {
            set_kind(&mut c, Kind::BgpSummary, n, "the Junos BGP summary header");
            c.mark(JuniperJunos, STRONG, n);
            continue;
        }
        if t.starts_with("BGP summary information for VRF") {
            if t.contains(", address family") {
                c.mark(CiscoNxos, STRONG, n);
            } else {
                c.mark(AristaEos, STRONG, n);
            }
            continue;
        }
        if t.starts_with("Router identifier ") && t.contains("local AS number") {
            c.mark(AristaEos, STRONG, n);
            continue;
        }
        if t.starts_with("BGP router identifier ") {
            if t.contains("vrf-id") {
                c.mark(Frr, STRONG, n);
            }
            continue;
        }
        if t.starts_with("IPv4 Unicast Summary") || t.starts_with("IPv6 Unicast Summary") || t.starts_with("L2VPN EVPN Summary") || (t.starts_with("RIB entries ") && t.contains(", using")) || (t.starts_with("Peers ") && t.contains(", using")) || t.starts_with("Total number of neighbors") {
            c.mark(Frr, STRONG, n);
            continue;
        }
        if t.contains("main routing table version") || t.contains("network entries using") || t.contains("path entries using") {
            c.mark(CiscoIos, STRONG, n);
            continue;
        }
        if t.starts_with("BGP table version is") && t.contains("config peers") {
            c.mark(CiscoNxos, STRONG, n);
            continue;
        }
        if t.starts_with("BGP instance ") && t.contains(':') {
            c.mark(CiscoXr, STRONG, n);
            c.hints.push("xr-instance");
            continue;
        }
        if t.starts_with("BGP VRF ") && t.contains(", state:") {
            c.mark(CiscoXr, STRONG, n);
            c.hints.push("xr-vrf");
            continue;
        }
        if starts(&["Process", "RcvTblVer"]) || t.starts_with("BGP is operating in") || t.starts_with("BGP generic scan interval") {
            c.mark(CiscoXr, STRONG, n);
            continue;
        }
        if t.starts_with("Neighbor Status Codes:") {
            c.mark(AristaEos, STRONG, n);
            continue;
        }
        // BGP neighbors.
        if let Some(rest) = t.strip_prefix("BGP neighbor is ") {
            set_kind(&mut c, Kind::BgpNeighbors, n, "`BGP neighbor is …`");
            neighbor_lines += 1;
            if rest.split(',').any(|p| p.trim_start().starts_with("vrf ")) {
                vrf_neighbor_lines += 1;
            }
            if !rest.contains(',') {
                // XR: the address alone; `Remote AS …` on the next line.
                c.mark(CiscoXr, STRONG, n);
            } else if rest.contains("Peer index") || rest.contains("ebgp link") || rest.contains("ibgp link") {
                c.mark(CiscoNxos, STRONG, n);
            } else if rest.contains(",  remote AS") || rest.contains(", vrf ") {
                c.mark(CiscoIos, WEAK, n);
            }
            continue;
        }
        if t.starts_with("Hostname: ") || t.contains("local router ID") && t.starts_with("BGP version 4") {
            c.mark(Frr, STRONG, n);
            continue;
        }
        if t.starts_with("Neighbor vrf:") || t.starts_with("Peer is directly attached, interface") || t.starts_with("Inherits session configuration from") || t.starts_with("BGP state = Idle (Connect failure)") {
            c.mark(CiscoNxos, STRONG, n);
            continue;
        }
        if t.starts_with("Neighbor sessions:") || t.starts_with("Session: ") || t.starts_with("Message statistics:") || t.contains("Address tracking is enabled, the RIB does have a route") || t.starts_with("Transport(tcp) path-mtu-discovery") {
            c.mark(CiscoIos, STRONG, n);
            continue;
        }
        if t.starts_with("Remote AS ") && t.contains(", local AS ") && t.ends_with("link") {
            c.mark(CiscoXr, STRONG, n);
            continue;
        }
        // BGP table.
        if starts(&["Network", "Next", "Hop"]) {
            set_kind(&mut c, Kind::BgpRoutes, n, "the BGP table header");
            c.mark(CiscoIos, 0, n);
            c.mark(Frr, 0, n);
            c.mark(CiscoXr, 0, n);
            continue;
        }
        if t.starts_with("Status codes: s suppressed, d damped, h history, * valid, > best, i - internal") {
            c.mark(CiscoIos, WEAK, n);
            continue;
        }
        if t.starts_with("Status codes:  s suppressed") || t.starts_with("Nexthop codes: @NNN") || t.starts_with("Displayed ") && t.contains("total paths") || t.starts_with("Default local pref") {
            c.mark(Frr, STRONG, n);
            continue;
        }
        if t.starts_with("Processed ") && t.contains("prefixes") && t.contains("paths") {
            c.mark(CiscoXr, STRONG, n);
            continue;
        }
        if t.starts_with("BGP routing table information for VRF") || t.starts_with("Status: s-suppressed") {
            // NX-OS names the address family on the VRF line; EOS does not.
            if t.starts_with("Status:") || t.contains(", address family") {
                c.mark(CiscoNxos, STRONG, n);
                c.mark(AristaEos, WEAK, n);
            } else {
                c.mark(AristaEos, STRONG, n);
            }
            set_kind(&mut c, Kind::BgpRoutes, n, "`BGP routing table information for VRF`");
            continue;
        }
        if t.starts_with("Route status codes: s - suppressed") {
            c.mark(AristaEos, STRONG, n);
            continue;
        }
        if t.starts_with("Status codes:") && t.contains("RIB-failure") && t.contains("S Stale") {
            // IOS prints it; XR too, on its BGP table.
            continue;
        }
        // ARP.
        if starts(&["Protocol", "Address"]) && t.contains("Hardware Addr") {
            set_kind(&mut c, Kind::Arp, n, "the ARP header");
            c.mark(CiscoIos, STRONG, n);
            continue;
        }
        if starts(&["Address", "Age"]) && t.contains("Hardware Addr") && t.contains("State") {
            set_kind(&mut c, Kind::Arp, n, "the ARP header");
            c.mark(CiscoXr, STRONG, n);
            continue;
        }
        if starts(&["Address", "Age", "(sec)"]) {
            set_kind(&mut c, Kind::Arp, n, "the ARP header");
            c.mark(AristaEos, STRONG, n);
            continue;
        }
        if starts(&["Address", "Age", "MAC", "Address", "Interface"]) {
            set_kind(&mut c, Kind::Arp, n, "the ARP header");
            c.mark(CiscoNxos, STRONG, n);
            if t.contains("Physical Interface") {
                c.hints.push(if t.contains("VRF") { "arp-vrf-name" } else { "arp-physical" });
            }
            continue;
        }
        if starts(&["MAC", "Address", "Address", "Interface"]) || starts(&["MAC", "Address", "Address", "Name", "Interface"]) {
            set_kind(&mut c, Kind::Arp, n, "the Junos ARP header");
            c.mark(JuniperJunos, STRONG, n);
            if words.get(3) == Some(&"Name") {
                // `show arp` resolves names; `show arp no-resolve` has no such column.
                c.hints.push("junos-arp-names");
            }
            continue;
        }
        if words.len() >= 4 && words[1] == "dev" && (words.contains(&"lladdr") || matches!(words.last(), Some(&"FAILED") | Some(&"INCOMPLETE"))) {
            set_kind(&mut c, Kind::Arp, n, "`ip neigh` lines");
            c.mark(Frr, STRONG, n);
            continue;
        }
        if starts(&["Address", "MacAddress", "Iface"]) || starts(&["Address", "HWtype", "HWaddress"]) {
            set_kind(&mut c, Kind::Arp, n, "the ARP header");
            c.mark(Frr, STRONG, n);
            continue;
        }
        if t.starts_with("IP ARP Table for") || t.starts_with("Flags: * - Adjacencies") {
            c.mark(CiscoNxos, STRONG, n);
            set_kind(&mut c, Kind::Arp, n, "`IP ARP Table`");
            continue;
        }
        // Routes.
        if t.starts_with("IP Route Table for VRF") || t.starts_with("'*' denotes best ucast next-hop") {
            set_kind(&mut c, Kind::Routes, n, "`IP Route Table for VRF`");
            c.mark(CiscoNxos, STRONG, n);
            continue;
        }
        if t.starts_with("Codes:") {
            set_kind(&mut c, Kind::Routes, n, "the route codes");
            if t.contains("K - kernel route") || t.contains("> - selected route") {
                c.mark(Frr, STRONG, n);
            } else if t.contains("K - kernel") && !t.contains("B - BGP, D - EIGRP") {
                c.mark(AristaEos, STRONG, n);
            } else if t.contains("(>) - Diversion path") {
                c.mark(CiscoXr, STRONG, n);
            } else if t.contains("L - local, C - connected") {
                c.mark(CiscoIos, WEAK, n);
            }
            continue;
        }
        if t.contains("ia - IS-IS inter area") || t.contains("o - ODR, P - periodic downloaded static route") || t.contains("+ - replicated route") {
            c.mark(CiscoIos, STRONG, n);
            continue;
        }
        if t.contains("A - access/subscriber") || t.contains("t - Traffic Engineering, dsc - Downloaded Static") || t.contains("a - Application route") {
            c.mark(CiscoXr, STRONG, n);
            continue;
        }
        if t.contains("NG - Nexthop Group Static Route") || t.contains("DH - DHCP client installed default route") || starts(&["VRF", "name:"]) {
            c.mark(AristaEos, STRONG, n);
            continue;
        }
        if t.starts_with("Gateway of last resort") {
            set_kind(&mut c, Kind::Routes, n, "`Gateway of last resort`");
            c.mark(CiscoIos, 0, n);
            continue;
        }
        if t.starts_with("Routing entry for ") {
            set_kind(&mut c, Kind::Routes, n, "`Routing entry for …`");
            continue;
        }
        if t.starts_with("Autonomous system number:") || t.starts_with("Highwater Mark (All time") {
            set_kind(&mut c, Kind::RouteSummary, n, "the Junos route summary");
            c.mark(JuniperJunos, STRONG, n);
            continue;
        }
        if t.starts_with("VRF: ") && t.len() > 5 {
            // XR and EOS both print it; XR underlines it.
            c.mark(AristaEos, 0, n);
            continue;
        }
        // Interfaces.
        if starts(&["Interface", "IP-Address", "OK?", "Method", "Status", "Protocol"]) {
            set_kind(&mut c, Kind::Interfaces, n, "the `show ip interface brief` header");
            c.hints.push("brief");
            c.mark(CiscoIos, STRONG, n);
            continue;
        }
        // NX-OS: `admin state is up, Dedicated Interface` under `Ethernet1/1
        // is up`, `Hardware: …, address: …`, `Internet Address is …`.
        if !l.starts_with(char::is_whitespace) && starts(&["admin", "state", "is"]) {
            set_kind(&mut c, Kind::Interfaces, n, "`admin state is …`");
            c.mark(CiscoNxos, STRONG, n);
            continue;
        }
        if l.starts_with(char::is_whitespace) && (starts(&["Internet", "Address", "is"]) || (starts(&["Hardware:"]) && t.contains(", address: "))) {
            c.mark(CiscoNxos, STRONG, n);
            continue;
        }
        // IOS-XR: `Interface state transitions: 1`, `Layer 1 Transport Mode is LAN`.
        if l.starts_with(char::is_whitespace) && (starts(&["Interface", "state", "transitions:"]) || starts(&["Layer", "1", "Transport", "Mode", "is"])) {
            c.mark(CiscoXr, STRONG, n);
            continue;
        }
        // Junos: `Physical interface: ge-0/0/0, Enabled, Physical link is
        // Up`, `  Logical interface ge-0/0/0.100 (Index 70) (SNMP ifIndex 537)`.
        if starts(&["Physical", "interface:"]) && t.contains(", Physical link is ") {
            set_kind(&mut c, Kind::Interfaces, n, "`Physical interface: …`");
            c.mark(JuniperJunos, STRONG, n);
            continue;
        }
        if starts(&["Logical", "interface"]) && t.contains("(Index ") {
            set_kind(&mut c, Kind::Interfaces, n, "`Logical interface …`");
            c.mark(JuniperJunos, STRONG, n);
            continue;
        }
        // FRR (zebra): `Interface eth0 is up, line protocol is up`,
        // `Interface eth1 is down`, then `  Link ups:     0    last: …`.
        if !l.starts_with(char::is_whitespace) && words.len() >= 4 && words[0] == "Interface" && words[2] == "is" && matches!(words[3], "up" | "up," | "down") {
            set_kind(&mut c, Kind::Interfaces, n, "`Interface … is up, line protocol is up`");
            c.mark(Frr, STRONG, n);
            continue;
        }
        if l.starts_with(char::is_whitespace) && (starts(&["Link", "ups:"]) || starts(&["Link", "downs:"])) && words.contains(&"last:") {
            c.mark(Frr, STRONG, n);
            continue;
        }
        // EOS: `  2 link status changes since last clear`, `  5 minutes input
        // rate 0 bps (0.0% with framing overhead), 0 packets/sec`.
        if l.starts_with(char::is_whitespace) && (t.ends_with("link status changes since last clear") || t.contains("with framing overhead)")) {
            c.mark(AristaEos, STRONG, n);
            continue;
        }
        if !l.starts_with(char::is_whitespace) && t.contains(", line protocol is ") && words.get(1) == Some(&"is") {
            set_kind(&mut c, Kind::Interfaces, n, "`… is up, line protocol is up`");
            continue;
        }
        if t.starts_with("Input queue:") && t.contains("(size/max/drops/flushes)") || t.starts_with("Queueing strategy:") {
            c.mark(CiscoIos, STRONG, n);
            continue;
        }
        // Per-line-card sections of XR (`0/RP0/CPU0`).
        if is_xr_location(t) {
            c.mark(CiscoXr, STRONG, n);
            continue;
        }
    }
    if neighbor_lines > 0 && vrf_neighbor_lines > 0 {
        c.hints.push("vpnv4-neighbors");
    }
    c
}

fn is_xr_timestamp(t: &str) -> bool {
    // `Mon Dec 18 11:13:26.959 UTC`
    let mut c = Cur::new(t);
    let day = c.word();
    if !matches!(day, Some("Mon" | "Tue" | "Wed" | "Thu" | "Fri" | "Sat" | "Sun")) {
        return false;
    }
    let (Some(_mon), Some(_d), Some(time), Some(_tz)) = ({ c.ws0(); c.word() }, { c.ws0(); c.word() }, { c.ws0(); c.word() }, { c.ws0(); c.word() }) else {
        return false;
    };
    c.eol() && time.contains(':') && time.contains('.')
}

fn is_xr_location(t: &str) -> bool {
    // `0/0/CPU0`, `0/RP0/CPU0`, `0/RSP0/CPU0`
    let parts: Vec<&str> = t.split('/').collect();
    parts.len() == 3 && parts[0].bytes().all(|b| b.is_ascii_digit()) && parts[2].starts_with("CPU") && !t.contains(' ')
}
