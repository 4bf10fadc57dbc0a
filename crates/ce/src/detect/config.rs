//! Whether a text is a running configuration, and which platform's, from
//! lines typical of each: the headers `show running-config` prints, prompts
//! before a command that shows the configuration, and statements only one
//! dialect has. Each typical line adds its weight to its platform; a weight
//! of 50 or more is conclusive on its own.

use super::session::prompt;
use crate::Platform;

/// Lines read for detection: the typical ones come early.
const MAX_LINES: usize = 100_000;
const THRESHOLD: u32 = 5;
/// A single marker this heavy settles the question.
const CONCLUSIVE: u32 = 50;

const JUNOS_ROOTS: &[&str] = &[
    "system",
    "interfaces",
    "protocols",
    "routing-options",
    "policy-options",
    "routing-instances",
    "firewall",
    "snmp",
    "chassis",
    "security",
    "vlans",
    "class-of-service",
    "forwarding-options",
    "groups",
    "apply-groups",
    "logical-systems",
    "services",
    "event-options",
    "applications",
    "access",
    "bridge-domains",
    "switch-options",
];

/// A running configuration recognised: its platform, and the line that
/// says so most strongly.
#[derive(Debug, Clone)]
pub struct Detected {
    pub platform: Platform,
    scores: [u32; 6],
    /// The 1-based line of the heaviest marker of `platform`, and what it is.
    pub line: usize,
    pub evidence: &'static str,
    weight: u32,
}

impl Detected {
    /// Whether one marker settles the question on its own.
    pub fn conclusive(&self) -> bool {
        self.weight >= CONCLUSIVE
    }

    /// The weight of every line typical of `platform`.
    pub fn score(&self, platform: Platform) -> u32 {
        self.scores[idx(platform)]
    }
}

fn idx(p: Platform) -> usize {
    Platform::ALL.iter().position(|&x| x == p).unwrap_or(0)
}

/// The running configuration `text` is, or `None` when no line is typical
/// of any platform's (show outputs, prose).
pub fn detect(text: &str) -> Option<Detected> {
    let mut scores = [0u32; 6];
    let mut best: [(u32, usize, &'static str); 6] = [(0, 0, ""); 6];
    let mut add = |v: Platform, w: u32, line: usize, why: &'static str| {
        let i = idx(v);
        scores[i] = scores[i].saturating_add(w);
        if w > best[i].0 {
            best[i] = (w, line, why);
        }
    };
    for (no, raw) in crate::text::lines(text).take(MAX_LINES) {
        let t = raw.trim();
        if t.is_empty() {
            continue;
        }
        let top = !raw.starts_with(char::is_whitespace);
        let mut w = t.split_whitespace();
        let (w0, w1) = (w.next().unwrap_or(""), w.next().unwrap_or(""));
        use Platform::*;
        // Junos
        if top && (w0 == "set" || w0 == "deactivate") && JUNOS_ROOTS.contains(&w1) {
            add(JuniperJunos, 30, no, "a Junos `set` statement");
        }
        if top && w1 == "{" && t.len() == w0.len() + 2 && JUNOS_ROOTS.contains(&w0) {
            add(JuniperJunos, 50, no, "a Junos `{` block");
        }
        if t.starts_with("## Last commit:") || t.starts_with("## Last changed:") {
            add(JuniperJunos, 100, no, "the Junos `## Last commit` header");
        }
        if top && w0 == "version" && t.ends_with(';') {
            add(JuniperJunos, 100, no, "a Junos `version …;` statement");
        }
        if t.contains("## SECRET-DATA") {
            add(JuniperJunos, 100, no, "a Junos `## SECRET-DATA` mark");
        }
        // Prompts count only before a command that shows the configuration:
        // show outputs carry prompts too.
        let config_prompt = if top { prompt(raw).filter(|p| shows_config(p.command)) } else { None };
        if config_prompt.as_ref().is_some_and(|p| p.is_junos_style() && w0.ends_with(['>', '#'])) {
            add(JuniperJunos, 50, no, "a Junos prompt");
        }
        // IOS-XR
        if t.starts_with("!! IOS XR") {
            add(CiscoXr, 100, no, "the `!! IOS XR Configuration` header");
        }
        if config_prompt.as_ref().is_some_and(|p| p.platform == Some(CiscoXr) && p.host.starts_with("RP/") && p.host.contains(':') && w0.contains('#')) {
            add(CiscoXr, 100, no, "an IOS-XR `RP/0/…` prompt");
        }
        if top && (t == "end-policy" || t == "end-set") {
            add(CiscoXr, 50, no, "an IOS-XR `end-policy` / `end-set`");
        }
        if top && (w0 == "route-policy" || w0 == "prefix-set" || w0 == "community-set") {
            add(CiscoXr, 30, no, "an IOS-XR route-policy / prefix-set");
        }
        if !top && w0 == "ipv4" && w1 == "address" {
            add(CiscoXr, 20, no, "an IOS-XR `ipv4 address`");
        }
        if !top && t.starts_with("bfd fast-detect") {
            add(CiscoXr, 20, no, "an IOS-XR `bfd fast-detect`");
        }
        if !top && t.starts_with("use neighbor-group") {
            add(CiscoXr, 30, no, "an IOS-XR `use neighbor-group`");
        }
        // NX-OS
        if top && t.starts_with("!Command:") {
            add(CiscoNxos, 100, no, "the NX-OS `!Command:` header");
        }
        if top && (t.starts_with("!Time:") || t.starts_with("!Running configuration last done at:")) {
            add(CiscoNxos, 50, no, "an NX-OS `!Time:` header");
        }
        if top && w0 == "feature" {
            add(CiscoNxos, 40, no, "an NX-OS `feature` statement");
        }
        if top && w0 == "vrf" && w1 == "context" {
            add(CiscoNxos, 50, no, "an NX-OS `vrf context`");
        }
        if top && w0 == "switchname" {
            add(CiscoNxos, 50, no, "an NX-OS `switchname`");
        }
        if top && w0 == "version" && w1.contains('(') {
            add(CiscoNxos, if t.contains("Bios") { 100 } else { 30 }, no, "an NX-OS `version N(N)`");
        }
        if !top && w0 == "vrf" && w1 == "member" {
            add(CiscoNxos, 30, no, "an NX-OS `vrf member`");
        }
        if !top && w0 == "password" && w1 == "3" {
            add(CiscoNxos, 30, no, "an NX-OS `password 3`");
        }
        // Arista EOS
        if top && t.starts_with("! Command:") {
            add(AristaEos, 100, no, "the EOS `! Command:` header");
        }
        if top && t.starts_with("! device:") {
            add(AristaEos, 100, no, "the EOS `! device:` header");
        }
        if top && t.starts_with("service routing protocols model") {
            add(AristaEos, 100, no, "an EOS `service routing protocols model`");
        }
        if top && (t.starts_with("transceiver qsfp default-mode") || t.starts_with("daemon TerminAttr") || t == "no aaa root") {
            add(AristaEos, 50, no, "an EOS-only statement");
        }
        if top && w0 == "management" && w1 == "api" {
            add(AristaEos, 40, no, "an EOS `management api`");
        }
        if !top && t.starts_with("encapsulation dot1q vlan ") {
            add(AristaEos, 50, no, "an EOS `encapsulation dot1q vlan`");
        }
        if !top && w0 == "neighbor" && (t.contains(" maximum-routes ") || t.contains(" peer group")) {
            add(AristaEos, 20, no, "an EOS `neighbor … peer group` / `maximum-routes`");
        }
        // FRRouting
        if top && (t.starts_with("frr version") || t.starts_with("frr defaults")) {
            add(Frr, 100, no, "the FRR `frr version` line");
        }
        if top && t == "service integrated-vtysh-config" {
            add(Frr, 100, no, "the FRR `service integrated-vtysh-config`");
        }
        if t == "Current configuration:" {
            add(Frr, 30, no, "the vtysh `Current configuration:` header");
        }
        if top && t == "exit" {
            add(Frr, 10, no, "an FRR `exit`");
        }
        if t == "exit-vrf" {
            add(Frr, 20, no, "an FRR `exit-vrf`");
        }
        if top && w0 == "interface" && ["eth", "ens", "enp", "eno", "bond", "veth", "lo", "swp"].iter().any(|p| w1.starts_with(p)) {
            add(Frr, 10, no, "a Linux interface name");
        }
        // IOS / IOS-XE
        if t.starts_with("Current configuration : ") {
            add(CiscoIos, 100, no, "the IOS `Current configuration :` header");
        }
        if top && (t == "boot-start-marker" || w0 == "license" && w1 == "udi") {
            add(CiscoIos, 100, no, "an IOS `boot-start-marker` / `license udi`");
        }
        if top && t.starts_with("service timestamps") {
            add(CiscoIos, 30, no, "an IOS `service timestamps`");
        }
        if top && w0 == "version" && !w1.contains('(') && !t.ends_with(';') && w1.contains('.') {
            add(CiscoIos, 10, no, "an IOS `version`");
        }
        if !top && t.starts_with("encapsulation dot1Q ") {
            add(CiscoIos, 50, no, "an IOS `encapsulation dot1Q`");
        }
        if !top && w0 == "ip" && w1 == "address" {
            if t.contains('/') {
                add(CiscoNxos, 2, no, "an `ip address A/L`");
                add(AristaEos, 2, no, "an `ip address A/L`");
                add(Frr, 2, no, "an `ip address A/L`");
            } else {
                add(CiscoIos, 5, no, "an IOS `ip address A MASK`");
            }
        }
        if top && (t.starts_with("ip vrf ") || t.starts_with("vrf definition ")) {
            add(CiscoIos, 30, no, "an IOS `vrf definition`");
        }
        if !top && w0 == "neighbor" && t.contains(" fall-over bfd") {
            add(CiscoIos, 20, no, "an IOS `fall-over bfd`");
        }
        if t == "exit-address-family" {
            add(CiscoIos, 5, no, "an `exit-address-family`");
            add(Frr, 5, no, "an `exit-address-family`");
        }
        if t.starts_with("Building configuration") {
            add(CiscoIos, 3, no, "a `Building configuration` header");
            add(CiscoXr, 3, no, "a `Building configuration` header");
        }
        if top && w0 == "interface" {
            let slashes = w1.matches('/').count();
            if ["TenGigE", "HundredGigE", "FortyGigE", "Bundle-Ether", "MgmtEth"].iter().any(|p| w1.starts_with(p))
                || slashes >= 3 && w1.starts_with("GigabitEthernet")
            {
                add(CiscoXr, 10, no, "an IOS-XR interface name");
            } else if w1.starts_with("GigabitEthernet") || w1.starts_with("TenGigabitEthernet") {
                add(CiscoIos, 3, no, "an IOS interface name");
            } else if w1.starts_with("Ethernet") {
                if slashes > 0 {
                    add(CiscoNxos, 3, no, "an `Ethernet1/1` interface name");
                    add(AristaEos, 1, no, "an `Ethernet1/1` interface name");
                } else {
                    add(AristaEos, 5, no, "an `Ethernet1` interface name");
                }
            } else if w1 == "Management1" {
                add(AristaEos, 10, no, "an EOS `Management1`");
            } else if w1 == "mgmt0" {
                add(CiscoNxos, 10, no, "an NX-OS `mgmt0`");
            }
        }
    }
    let (i, &score) = scores.iter().enumerate().max_by_key(|&(i, s)| (*s, std::cmp::Reverse(i)))?;
    if score < THRESHOLD {
        return None;
    }
    let (weight, line, evidence) = best[i];
    Some(Detected { platform: Platform::ALL[i], scores, line, evidence, weight })
}

/// A command that shows the configuration (`show running-config`, `sh
/// run`, `show configuration | display set`).
fn shows_config(command: &str) -> bool {
    let mut w = command.split_whitespace();
    let (a, b) = (w.next().unwrap_or(""), w.next().unwrap_or(""));
    "show".starts_with(a) && a.len() >= 2 && (b.starts_with("run") || b.starts_with("conf"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detect_vendor(text: &str) -> Option<Platform> {
        detect(text).map(|d| d.platform)
    }

    #[test]
    fn headers() {
        assert_eq!(detect_vendor("Building configuration...\n\nCurrent configuration : 440 bytes\n!\n"), Some(Platform::CiscoIos));
        assert_eq!(detect_vendor("Building configuration...\n!! IOS XR Configuration version = 6.2.2\n"), Some(Platform::CiscoXr));
        assert_eq!(detect_vendor("!Command: show running-config\n!Time: x\nversion 9.3(8) Bios:version\n"), Some(Platform::CiscoNxos));
        assert_eq!(detect_vendor("! Command: show running-config\n! device: ce (DCS-7050, EOS-4.28)\n"), Some(Platform::AristaEos));
        assert_eq!(detect_vendor("Building configuration...\n\nCurrent configuration:\n!\nfrr version 8.4\n"), Some(Platform::Frr));
        assert_eq!(detect_vendor("set system host-name ce1\nset interfaces xe-0/0/0 unit 200 vlan-id 200\n"), Some(Platform::JuniperJunos));
        assert_eq!(detect_vendor("## Last commit: 2024\nversion 20.4R3;\nsystem {\n    host-name ce1;\n}\n"), Some(Platform::JuniperJunos));
        assert_eq!(detect_vendor("hello world\nthis is prose\n"), None);
        // Prompts before show commands are not configurations.
        assert_eq!(detect_vendor("netops@mx1> show bgp summary\nGroups: 1 Peers: 2\n{master}\n"), None);
        assert_eq!(detect_vendor("RP/0/RSP0/CPU0:xr1#show bgp summary\nBGP router identifier 10.0.0.1\n"), None);
        assert_eq!(detect_vendor("netops@mx1> show configuration | display set\nfoo\n"), Some(Platform::JuniperJunos));
        assert_eq!(detect_vendor("RP/0/RSP0/CPU0:xr1#sh run\n"), Some(Platform::CiscoXr));
        assert_eq!(detect_vendor(""), None);
    }
}
