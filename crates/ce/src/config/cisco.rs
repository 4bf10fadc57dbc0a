//! IOS-like running configurations: Cisco IOS / IOS-XE, NX-OS, IOS-XR,
//! Arista EOS and FRRouting. One parser: they share the shape (top-level
//! sections whose statements are indented under them) and most words; the
//! differences are vocabulary, handled where they arise.
//!
//! The input is cut into top-level sections (a line in column 1 starts
//! one). Only the sections that matter are kept — `hostname`, `interface`,
//! `router bgp`, `ip prefix-list`, `route-map`, XR `prefix-set` and
//! `route-policy` — and each is built into a tree by indentation, where
//! `exit`, `exit-address-family`, `end-set`… close the block at their
//! indentation. So `neighbor X remote-as N` (IOS, EOS, FRR) and
//! `neighbor X` / `  remote-as N` (NX-OS, XR) are read by the same code.

use super::bgp::{Af, Attrs, Table};
use super::out::{Item, Out};
use super::tokens::{quote, Line, Tok};
use super::{Action, Bgp, Interface, PrefixListEntry, RouteMapEntry, Span, Spanned};
use crate::text::{addr_mask, classful, clip, is_digits, lines, parse_asn, parse_net, parse_u32, parse_vlan};
use crate::Platform;
use std::net::IpAddr;

/// Indentation levels kept in a section's tree.
const MAX_DEPTH: usize = 32;
/// Lines kept of one section (a `router bgp` of a thousand neighbors has
/// about ten thousand): the bound on what a section's tree costs.
const MAX_SECTION_LINES: usize = 100_000;

/// Lines that close the block at their indentation.
fn is_closer(w: &str) -> bool {
    matches!(
        w,
        "exit" | "exit-address-family" | "exit-peer-policy" | "exit-peer-session" | "exit-vrf" | "exit-vni" | "end-policy" | "end-set"
    )
}

/// Whether a top-level line starts a section that matters.
fn wanted(l: &Line) -> bool {
    match l.word(0) {
        "hostname" | "switchname" | "interface" | "route-map" | "prefix-set" | "route-policy" => true,
        "router" => l.is(1, "bgp"),
        "ip" | "ipv6" => l.is(1, "prefix-list"),
        "mka" => l.is(1, "policy"),
        "mac" => l.is(1, "security") && l.len() == 2,
        _ => false,
    }
}

struct Node<'a> {
    line: Line<'a>,
    kids: Vec<usize>,
}

/// A section: node 0 is its first line.
struct Tree<'a> {
    nodes: Vec<Node<'a>>,
}

impl<'a> Tree<'a> {
    fn build(lines: Vec<Line<'a>>, out: &mut Out) -> Tree<'a> {
        let mut nodes: Vec<Node<'a>> = Vec::with_capacity(lines.len());
        let mut stack: Vec<usize> = Vec::new();
        let mut too_deep = false;
        for line in lines {
            if nodes.is_empty() {
                nodes.push(Node { line, kids: Vec::new() });
                stack.push(0);
                continue;
            }
            let indent = line.indent;
            if is_closer(line.word(0)) {
                while stack.len() > 1 && nodes[stack[stack.len() - 1]].line.indent > indent {
                    stack.pop();
                }
                if stack.len() > 1 && nodes[stack[stack.len() - 1]].line.indent == indent {
                    stack.pop();
                }
                continue;
            }
            while stack.len() > 1 && nodes[stack[stack.len() - 1]].line.indent >= indent {
                stack.pop();
            }
            if stack.len() >= MAX_DEPTH {
                if !too_deep {
                    too_deep = true;
                    out.warn(line.no, format!("indented more than {MAX_DEPTH} levels deep: the deeper lines are ignored"));
                }
                continue;
            }
            let id = nodes.len();
            let parent = stack[stack.len() - 1];
            nodes[parent].kids.push(id);
            nodes.push(Node { line, kids: Vec::new() });
            stack.push(id);
        }
        Tree { nodes }
    }

    fn line(&self, id: usize) -> &Line<'a> {
        &self.nodes[id].line
    }

    fn kids(&self, id: usize) -> &[usize] {
        &self.nodes[id].kids
    }

    /// Every line under `id`, in order.
    fn descendants(&self, id: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack: Vec<usize> = self.nodes[id].kids.iter().rev().copied().collect();
        while let Some(n) = stack.pop() {
            out.push(n);
            stack.extend(self.nodes[n].kids.iter().rev());
        }
        out
    }
}

pub(crate) fn parse(text: &str, vendor: Platform, out: &mut Out) {
    let mut p = Parser { vendor, out, bgp: BgpState::default() };
    let mut section: Vec<Line> = Vec::new();
    let mut keep = false;
    let mut banner: Option<(String, usize)> = None;
    let mut header = false;
    let mut end = false;
    let mut last = 0;
    for (no, raw) in lines(text) {
        if let Some((delim, _)) = &banner {
            let closed = if delim == "EOF" { raw.trim() == "EOF" } else { raw.contains(delim.as_str()) };
            if closed {
                banner = None;
            }
            continue;
        }
        let t = raw.trim();
        if t.is_empty() {
            continue;
        }
        last = no;
        if t.starts_with("Building configuration")
            || t.starts_with("Current configuration")
            || t.starts_with("! Command: show running-config")
            || t.starts_with("!! IOS XR")
        {
            header = true;
        }
        if t.starts_with('!') {
            continue;
        }
        end = t == "end";
        let top = !raw.starts_with(char::is_whitespace);
        if top && !is_closer(t.split_whitespace().next().unwrap_or("")) {
            p.section(std::mem::take(&mut section));
            let line = Line::new(no, raw);
            if line.is(0, "banner") {
                banner = banner_delimiter(&line, vendor).map(|d| (d, no));
                keep = false;
                continue;
            }
            // A hostname is one line: what is indented under it is not kept.
            keep = wanted(&line) && !matches!(line.word(0), "hostname" | "switchname");
            if wanted(&line) {
                section.push(line);
            }
            continue;
        }
        if keep {
            if section.len() >= MAX_SECTION_LINES {
                p.out.warn(no, format!("a section of more than {MAX_SECTION_LINES} lines: the rest of it is ignored"));
                keep = false;
                continue;
            }
            section.push(Line::new(no, raw));
        }
    }
    p.section(section);
    if let Some((_, line)) = banner {
        p.out.warn(line, "this banner is never closed: the rest of the configuration was skipped");
    }
    if header && !end && vendor != Platform::CiscoNxos {
        p.out.warn(last, "the configuration ends without `end`: it looks truncated");
    }
    p.finish_bgp();
}

/// The delimiter of a multi-line banner, or `None` when the banner ends on
/// its first line. IOS shows `^C`; EOS ends banners with a line `EOF`.
fn banner_delimiter(l: &Line, vendor: Platform) -> Option<String> {
    let rest = l.rest(2);
    if vendor == Platform::AristaEos && rest.is_empty() {
        return Some("EOF".into());
    }
    let delim: String = if rest.starts_with("^C") { "^C".into() } else { rest.chars().next()?.to_string() };
    if rest[delim.len()..].contains(delim.as_str()) {
        None
    } else {
        Some(delim)
    }
}

#[derive(Default)]
struct BgpState {
    table: Table,
    instances: Vec<Instance>,
    router_id: Option<Spanned<IpAddr>>,
    networks: Vec<Spanned<ipnet::IpNet>>,
    redistribute: Vec<Spanned<String>>,
}

/// One `router bgp` block (FRR has one per VRF).
struct Instance {
    asn: Spanned<u32>,
    vrf: Option<String>,
    no_default_v4: bool,
    span: Span,
}

#[derive(Clone)]
struct Ctx {
    inst: usize,
    vrf: Option<String>,
    af: Af,
}

/// Where a neighbor statement goes: a neighbor (index) or a group (key).
enum Target {
    Nbr(usize),
    Group(String),
}

struct Parser<'o> {
    vendor: Platform,
    out: &'o mut Out,
    bgp: BgpState,
}

impl Parser<'_> {
    fn section(&mut self, lines: Vec<Line>) {
        if lines.is_empty() {
            return;
        }
        let t = Tree::build(lines, self.out);
        let root = t.line(0);
        match root.word(0) {
            "hostname" | "switchname" if root.len() >= 2 => {
                self.out.recognized += 1;
                self.out.hostname = Some(root.spanned(1));
            }
            "interface" => self.interface(&t),
            "router" => self.router_bgp(&t),
            "ip" | "ipv6" => self.prefix_list(&t),
            "route-map" => self.route_map(&t),
            "prefix-set" => self.prefix_set(&t),
            "route-policy" => self.route_policy(&t),
            "mka" => self.mka_policy(&t),
            "mac" => self.mac_security(&t),
            _ => {}
        }
    }

    // ---- MACsec ----

    /// IOS-XE `mka policy NAME` and what it sets: `macsec-cipher-suite`
    /// (one or more suites, as written); the other statements of a policy
    /// are known and not needed, anything else is warned about.
    fn mka_policy(&mut self, t: &Tree) {
        let l = t.line(0);
        if l.len() < 3 {
            self.out.warn(l.no, "`mka policy` without a name");
            return;
        }
        self.out.recognized += 1;
        let name = l.word(2).to_string();
        for &k in t.kids(0) {
            let s = t.line(k);
            match s.word(0) {
                "macsec-cipher-suite" if s.len() > 1 => {
                    let cipher = Spanned::new(s.rest(1).to_string(), s.span_from(1));
                    if let Some(p) = self.out.macsec_policy(&name, s.no) {
                        p.cipher = Some(cipher);
                    }
                }
                "key-server" | "include-icv-indicator" | "send-secure-announcements" | "sak-rekey" | "confidentiality-offset"
                | "ssci-based-on-sci" | "use-updated-eth-header" | "delay-protection" | "data-delay-protection" | "no" | "description" => {}
                w => self.out.warn(s.no, format!("mka policy {name}: `{w}` is not understood")),
            }
        }
    }

    // ---- interfaces ----

    fn interface(&mut self, t: &Tree) {
        let l = t.line(0);
        let ni = if l.is(1, "preconfigure") { 2 } else { 1 };
        if l.len() <= ni {
            self.out.warn(l.no, "`interface` without a name");
            return;
        }
        self.out.recognized += 1;
        let name = l.spanned(ni);
        let mut i = Interface::new(name.clone());
        if l.is(ni + 1, "vrf") && l.len() > ni + 2 {
            i.vrf = Some(l.word(ni + 2).to_string()); // FRR: interface eth0 vrf blue
        }
        if self.vendor == Platform::Frr {
            (i.vlan, i.inner_vlan) = vlans_from_name(&name);
        }
        self.interface_macsec(t, &name);
        for &k in t.kids(0) {
            self.interface_stmt(&mut i, t.line(k));
            // EOS flexible encapsulation: `encapsulation vlan` / `client dot1q …`.
            if t.line(k).is(0, "encapsulation") && t.line(k).is(1, "vlan") {
                for &c in t.kids(k) {
                    self.client_encapsulation(&mut i, t.line(c));
                }
            }
        }
        if let Some(slot) = self.out.interface(name) {
            merge_interface(slot, i);
        }
    }

    /// EOS `mac security` / `profile NAME` and what a profile sets:
    /// `cipher` and `sci` (the SCI in every frame); where `key` is, never
    /// its CKN or CAK. Other profile statements are known or warned about.
    fn mac_security(&mut self, t: &Tree) {
        self.out.recognized += 1;
        for &p in t.kids(0) {
            let l = t.line(p);
            if !l.is(0, "profile") || l.len() < 2 {
                self.out.warn(l.no, format!("mac security: `{}` is not understood", l.word(0)));
                continue;
            }
            let name = l.word(1).to_string();
            for &k in t.kids(p) {
                let s = t.line(k);
                let Some(pol) = self.out.macsec_policy(&name, s.no) else { return };
                match s.word(0) {
                    "cipher" if s.len() > 1 => pol.cipher = Some(s.spanned(1)),
                    "sci" => pol.include_sci = Some(Spanned::new(true, s.span(0))),
                    "key" => pol.key = Some(s.span(0)),
                    "mka" | "traffic" | "replay" | "l2-protocol" | "no" | "fips" | "bypass" => {}
                    w => self.out.warn(s.no, format!("mac security profile {name}: `{w}` is not understood")),
                }
            }
        }
    }

    /// IOS-XE MACsec on an interface: `macsec` or `macsec network-link`
    /// turns it on; `mka policy NAME` names the policy, `mka pre-shared-key
    /// key-chain NAME` the key chain (its keys are never read). MKA lines
    /// without `macsec` do not turn MACsec on.
    fn interface_macsec(&mut self, t: &Tree, name: &Spanned<String>) {
        let (mut on, mut policy, mut key) = (None, None, None);
        for &k in t.kids(0) {
            let l = t.line(k);
            match l.word(0) {
                "macsec" if l.len() == 1 || l.is(1, "network-link") => on = Some(l.span_from(0)),
                "mka" if l.is(1, "policy") && l.len() > 2 => policy = Some(l.spanned(2)),
                "mka" if l.is(1, "pre-shared-key") => key = Some(l.span(1)),
                // EOS: `mac security profile NAME` turns MACsec on with that profile.
                "mac" if l.is(1, "security") && l.is(2, "profile") && l.len() > 3 => {
                    on = Some(l.span_from(0));
                    policy = Some(l.spanned(3));
                }
                _ => {}
            }
        }
        let Some(span) = on else { return };
        if let Some(m) = self.out.macsec(name.clone(), span) {
            m.policy = policy;
            m.key = key;
        }
    }

    fn interface_stmt(&mut self, i: &mut Interface, l: &Line) {
        match l.word(0) {
            "description" => i.description = Some(clip(l.rest(1))),
            "shutdown" => i.shutdown = Some(l.span(0)),
            "encapsulation" => self.encapsulation(i, l),
            "ip" | "ipv4" | "ipv6" if l.is(1, "address") => {
                if let Some(a) = self.address(l, 2) {
                    if !i.addresses.iter().any(|x| x.value == a.value) && self.out.take_item(Item::Entry, l.no) {
                        i.addresses.push(a);
                    }
                }
            }
            "ip" if l.is(1, "vrf") && l.is(2, "forwarding") => i.vrf = Some(l.word(3).to_string()),
            "vrf" if l.len() >= 2 => {
                let w = if l.is(1, "forwarding") || l.is(1, "member") { 2 } else { 1 };
                if l.len() > w {
                    i.vrf = Some(l.word(w).to_string());
                }
            }
            "bfd" => i.bfd = Some(l.span_from(0)),
            _ => {}
        }
    }

    /// `encapsulation dot1Q 200 [second-dot1q 100]` (IOS), `encapsulation
    /// dot1q 200 [second-dot1q 100]` (XR, NX-OS), `encapsulation dot1q vlan
    /// 200 [inner 100]` (EOS), `encapsulation dot1ad 100 dot1q 200` (XR).
    fn encapsulation(&mut self, i: &mut Interface, l: &Line) {
        let kind = l.word(1).to_ascii_lowercase();
        if kind != "dot1q" && kind != "dot1ad" {
            return;
        }
        let at = if l.is(2, "vlan") { 3 } else { 2 };
        i.vlan = self.vlan(l, at);
        let mut j = at + 1;
        while j < l.len() {
            let w = l.word(j).to_ascii_lowercase();
            if w == "second-dot1q" || w == "inner" || w == "dot1q" {
                let k = if l.is(j + 1, "dot1q") { j + 2 } else { j + 1 };
                i.inner_vlan = self.vlan(l, k);
                break;
            }
            j += 1;
        }
    }

    /// EOS: `client dot1q 200` or `client dot1q outer 100 inner 200`.
    fn client_encapsulation(&mut self, i: &mut Interface, l: &Line) {
        if !(l.is(0, "client") && l.is(1, "dot1q")) {
            return;
        }
        if l.is(2, "outer") {
            i.vlan = self.vlan(l, 3);
            if l.is(4, "inner") {
                i.inner_vlan = self.vlan(l, 5);
            }
        } else {
            i.vlan = self.vlan(l, 2);
        }
    }

    fn vlan(&mut self, l: &Line, i: usize) -> Option<Spanned<u16>> {
        if i >= l.len() {
            self.out.warn(l.no, "an encapsulation without a VLAN tag");
            return None;
        }
        match parse_vlan(l.word(i)) {
            Some(v) => Some(Spanned::new(v, l.span(i))),
            None => {
                self.out.warn(l.no, format!("VLAN `{}` is not one 802.1Q tag (0–4095)", quote(l.word(i))));
                None
            }
        }
    }

    /// `A.B.C.D M.M.M.M`, `A.B.C.D/L` or `X:X::X/L` at token `i`.
    fn address(&mut self, l: &Line, i: usize) -> Option<Spanned<ipnet::IpNet>> {
        let a = l.word(i);
        if matches!(a, "" | "dhcp" | "negotiated" | "unnumbered" | "pool" | "autoconfig" | "enable" | "use-link-local-only") {
            return None;
        }
        let r = if a.contains('/') {
            parse_net(a).map(|n| Spanned::new(n, l.span(i)))
        } else {
            addr_mask(a, l.word(i + 1)).map(|n| Spanned::new(n, l.span_range(i, i + 1)))
        };
        if r.is_none() {
            self.out.warn(l.no, format!("address `{}` not understood", quote(l.rest(i))));
        }
        r
    }

    // ---- BGP ----

    fn router_bgp(&mut self, t: &Tree) {
        let l = t.line(0);
        if !l.is(1, "bgp") {
            return;
        }
        let Some(asn) = parse_asn(l.word(2)) else {
            self.out.warn(l.no, format!("`router bgp` with AS `{}`, not an AS number", quote(l.word(2))));
            return;
        };
        self.out.recognized += 1;
        let vrf = if l.is(3, "vrf") && l.len() > 4 { Some(l.word(4).to_string()) } else { None };
        self.bgp.instances.push(Instance {
            asn: Spanned::new(asn, l.span(2)),
            vrf: vrf.clone(),
            no_default_v4: false,
            span: l.span_range(0, 2),
        });
        let ctx = Ctx { inst: self.bgp.instances.len() - 1, vrf, af: Af::Any };
        for &k in t.kids(0) {
            self.bgp_stmt(t, k, &ctx);
        }
    }

    fn bgp_stmt(&mut self, t: &Tree, id: usize, ctx: &Ctx) {
        let l = t.line(id);
        match l.word(0) {
            "bgp" if l.is(1, "router-id") => self.router_id(l, 2, ctx),
            "router-id" => self.router_id(l, 1, ctx),
            "no" if l.is(1, "bgp") && l.is(2, "default") && l.is(3, "ipv4-unicast") => {
                self.bgp.instances[ctx.inst].no_default_v4 = true;
            }
            "no" if l.is(1, "neighbor") => self.neighbor(t, id, ctx, 1),
            "neighbor" => self.neighbor(t, id, ctx, 0),
            "address-family" => {
                let (af, vrf) = address_family(l);
                let inner = Ctx { inst: ctx.inst, vrf: vrf.or_else(|| ctx.vrf.clone()), af };
                for &k in t.kids(id) {
                    self.bgp_stmt(t, k, &inner);
                }
            }
            "network" if ctx.af != Af::Other => self.network(l),
            "redistribute" if ctx.af != Af::Other && l.len() > 1 => {
                if self.out.take_item(Item::Entry, l.no) {
                    self.bgp.redistribute.push(l.spanned(1));
                }
            }
            "vrf" if l.len() > 1 => {
                let inner = Ctx { inst: ctx.inst, vrf: Some(l.word(1).to_string()), af: Af::Any };
                for &k in t.kids(id) {
                    self.bgp_stmt(t, k, &inner);
                }
            }
            // NX-OS `template peer|peer-session|peer-policy NAME`, IOS
            // `template peer-session|peer-policy NAME`.
            "template" if l.len() > 2 => {
                let name = l.word(2);
                let (key, shown) = match l.word(1) {
                    "peer" => (format!("peer:{name}"), Some(name)),
                    "peer-session" => (format!("session:{name}"), None),
                    "peer-policy" => (format!("policy:{name}"), None),
                    _ => return,
                };
                self.group_block(t, id, ctx, key, shown, Af::Any);
            }
            // XR groups.
            "neighbor-group" if l.len() > 1 => {
                let name = l.word(1);
                self.group_block(t, id, ctx, format!("ng:{name}"), Some(name), Af::Any);
            }
            "session-group" if l.len() > 1 => {
                self.group_block(t, id, ctx, format!("sg:{}", l.word(1)), None, Af::Any);
            }
            "af-group" if l.len() > 2 && l.is(2, "address-family") => {
                let (af, _) = address_family_at(l, 2);
                let key = format!("afg:{}", l.word(1));
                if let Some(a) = self.bgp.table.group(key.clone()).af(af) {
                    a.activate = Some(true);
                }
                self.group_block(t, id, ctx, key, None, af);
            }
            w if BGP_IGNORED.contains(&w) => {}
            w => self.out.warn(l.no, format!("`{}` under `router bgp` not understood", quote(w))),
        }
    }

    fn router_id(&mut self, l: &Line, i: usize, ctx: &Ctx) {
        match l.word(i).parse::<IpAddr>() {
            Ok(ip) => {
                if ctx.vrf.is_none() && self.bgp.router_id.is_none() {
                    self.bgp.router_id = Some(Spanned::new(ip, l.span(i)));
                }
            }
            Err(_) => self.out.warn(l.no, format!("router ID `{}` is not an IP address", quote(l.word(i)))),
        }
    }

    fn network(&mut self, l: &Line) {
        let a = l.word(1);
        let n = if a.contains('/') {
            parse_net(a).map(|n| Spanned::new(n, l.span(1)))
        } else if l.is(2, "mask") {
            addr_mask(a, l.word(3)).map(|n| Spanned::new(n, l.span_range(1, 3)))
        } else {
            classful(a).map(|n| Spanned::new(n, l.span(1)))
        };
        match n {
            Some(n) => {
                if self.out.take_item(Item::Entry, l.no) {
                    self.bgp.networks.push(n);
                }
            }
            None => self.out.warn(l.no, format!("network `{}` not understood", quote(l.rest(1)))),
        }
    }

    /// `[no] neighbor KEY [setting…]`, with NX-OS / XR settings indented
    /// under it. `off` is 1 after `no`.
    fn neighbor(&mut self, t: &Tree, id: usize, ctx: &Ctx, off: usize) {
        let l = t.line(id);
        let key = l.word(off + 1);
        if key.is_empty() {
            self.out.warn(l.no, "`neighbor` without an address");
            return;
        }
        let target = if let Ok(ip) = key.parse::<IpAddr>() {
            let addr = Spanned::new(ip, l.span(off + 1));
            match self.bgp.table.neighbor(self.out, ctx.vrf.as_deref(), addr, ctx.inst) {
                Some(i) => Target::Nbr(i),
                None => return,
            }
        } else if key.contains('/') && parse_net(key).is_some() {
            self.out.warn(l.no, format!("neighbor range `{}` (dynamic neighbors) is not read", quote(key)));
            return;
        } else {
            Target::Group(format!("pg:{key}"))
        };
        let negated = off == 1;
        if l.len() > off + 2 {
            self.setting(&target, l, off + 2, ctx.af, negated, ctx);
        }
        self.block_settings(t, id, &target, ctx, ctx.af);
    }

    /// The settings indented under a neighbor or group (NX-OS, XR).
    fn block_settings(&mut self, t: &Tree, id: usize, target: &Target, ctx: &Ctx, af: Af) {
        for &k in t.kids(id) {
            let kl = t.line(k);
            if kl.is(0, "address-family") {
                let (af, _) = address_family(kl);
                if let Some(a) = self.attrs(target).af(af) {
                    a.activate = Some(true);
                }
                for &kk in t.kids(k) {
                    let kkl = t.line(kk);
                    let neg = kkl.is(0, "no");
                    self.setting(target, kkl, usize::from(neg), af, neg, ctx);
                }
            } else {
                let neg = kl.is(0, "no");
                self.setting(target, kl, usize::from(neg), af, neg, ctx);
            }
        }
    }

    fn group_block(&mut self, t: &Tree, id: usize, ctx: &Ctx, key: String, shown: Option<&str>, af: Af) {
        if let Some(name) = shown {
            self.bgp.table.group(key.clone()).peer_group = Some(name.to_string());
        }
        self.block_settings(t, id, &Target::Group(key), ctx, af);
    }

    fn attrs(&mut self, target: &Target) -> &mut Attrs {
        match target {
            Target::Nbr(i) => &mut self.bgp.table.entries[*i].attrs,
            Target::Group(k) => self.bgp.table.group(k.clone()),
        }
    }

    /// One neighbor setting starting at token `i`.
    fn setting(&mut self, target: &Target, l: &Line, i: usize, af: Af, negated: bool, ctx: &Ctx) {
        let vendor = self.vendor;
        let inst_as = self.bgp.instances[ctx.inst].asn.value;
        let w = l.word(i).to_ascii_lowercase();
        let mut warn: Option<String> = None;
        let a = match target {
            Target::Nbr(n) => &mut self.bgp.table.entries[*n].attrs,
            Target::Group(k) => self.bgp.table.group(k.clone()),
        };
        match w.as_str() {
            "remote-as" if !negated => {
                let v = l.word(i + 1);
                if let Some(n) = parse_asn(v) {
                    a.s.remote_as = Some(Spanned::new(n, l.span(i + 1)));
                } else if v == "internal" {
                    a.s.remote_as = Some(Spanned::new(inst_as, l.span(i + 1)));
                } else if v != "external" && v != "route-map" {
                    warn = Some(format!("remote AS `{}` is not an AS number", quote(v)));
                }
            }
            "password" | "keychain" | "ao" if !negated => {
                if l.len() > i + 1 && !l.is(i + 1, "inheritance-disable") {
                    a.s.password = Some(l.span(i));
                }
            }
            "fall-over" if !negated && l.is(i + 1, "bfd") => a.s.bfd = Some(l.span_from(i)),
            "bfd" if !negated => {
                if vendor != Platform::CiscoXr || l.is(i + 1, "fast-detect") {
                    a.s.bfd = Some(l.span_from(i));
                }
            }
            "shutdown" if !negated => a.s.shutdown = Some(l.span(i)),
            "description" if !negated => a.s.description = Some(clip(l.rest(i + 1))),
            "local-as" if !negated => {
                let v = l.word(i + 1);
                match parse_asn(v) {
                    Some(n) => a.s.local_as = Some(Spanned::new(n, l.span(i + 1))),
                    None if v == "inheritance-disable" => {}
                    None => warn = Some(format!("local AS `{}` is not an AS number", quote(v))),
                }
            }
            "route-map" | "route-policy" | "prefix-list" if !negated => {
                let (name, dir) = (l.word(i + 1), l.word(i + 2));
                let Some(afa) = a.af(af) else { return };
                let slot = match (w.as_str(), dir) {
                    ("prefix-list", "in") => &mut afa.prefix_list_in,
                    ("prefix-list", "out") => &mut afa.prefix_list_out,
                    (_, "in") => &mut afa.route_map_in,
                    (_, "out") => &mut afa.route_map_out,
                    _ => {
                        self.out.warn(l.no, format!("`{w}` without a name and `in` or `out`"));
                        return;
                    }
                };
                *slot = Some(Spanned::new(name.to_string(), l.span(i + 1)));
            }
            "maximum-prefix" | "maximum-routes" if !negated => {
                let v = l.word(i + 1);
                match (parse_u32(v), a.af(af)) {
                    (Some(n), Some(afa)) => afa.max_prefix = Some(Spanned::new(n, l.span(i + 1))),
                    (Some(_), None) => {}
                    (None, _) => warn = Some(format!("`{w}` `{}` is not a number", quote(v))),
                }
            }
            "default-originate" if !negated => {
                if let Some(afa) = a.af(af) {
                    afa.default_originate = Some(l.span(i));
                }
            }
            "activate" => {
                if let Some(afa) = a.af(af) {
                    afa.activate = Some(!negated);
                }
            }
            // IOS/FRR `peer-group [NAME]`, EOS `peer group [NAME]` / `peer-group`.
            "peer-group" | "peer" if !negated => {
                let n = if w == "peer" {
                    if !l.is(i + 1, "group") {
                        return;
                    }
                    i + 2
                } else {
                    i + 1
                };
                if l.len() > n {
                    let name = l.word(n);
                    a.inherit(format!("pg:{name}"), Some(name));
                } else if let Target::Group(k) = target {
                    let name = k.trim_start_matches("pg:").to_string();
                    a.peer_group.get_or_insert(name);
                }
            }
            "inherit" | "use" if !negated && l.len() > i + 2 => {
                let (kind, name) = (l.word(i + 1), l.word(i + 2));
                if let Some(&(_, _, key, names_group)) = INHERITED.iter().find(|(v, k, ..)| *v == w && *k == kind) {
                    a.inherit(format!("{key}:{name}"), names_group.then_some(name));
                }
            }
            "" => {}
            w if negated || NEIGHBOR_IGNORED.contains(&w) => {}
            w => warn = Some(format!("neighbor setting `{}` not understood", quote(w))),
        }
        if let Some(m) = warn {
            self.out.warn(l.no, m);
        }
    }

    fn finish_bgp(&mut self) {
        let st = std::mem::take(&mut self.bgp);
        if st.instances.is_empty() {
            return;
        }
        let main = st.instances.iter().position(|i| i.vrf.is_none()).unwrap_or(0);
        let vendor = self.vendor;
        let inst_of: Vec<usize> = st.table.entries.iter().map(|e| e.instance).collect();
        let instances = &st.instances;
        let mut neighbors = st.table.resolve(|e| {
            let inst = &instances[e.instance];
            Some(match vendor {
                Platform::CiscoNxos | Platform::CiscoXr => false,
                // IOS activates the neighbors of `address-family ipv4 vrf`.
                Platform::CiscoIos if e.vrf.is_some() && inst.vrf.is_none() => true,
                _ => !inst.no_default_v4,
            })
        });
        for (n, &i) in neighbors.iter_mut().zip(&inst_of) {
            if i != main && n.local_as.is_none() && instances[i].asn.value != instances[main].asn.value {
                n.local_as = Some(instances[i].asn.clone());
            }
        }
        let m = &st.instances[main];
        self.out.bgp = Some(Bgp {
            local_as: m.asn.clone(),
            router_id: st.router_id,
            neighbors,
            networks: st.networks,
            redistribute: st.redistribute,
            span: m.span,
        });
    }

    // ---- prefix lists and route maps ----

    /// `ip prefix-list NAME [seq N] permit|deny P [ge N] [le N]`, or (EOS)
    /// `ip prefix-list NAME` with `seq N permit P` lines under it.
    fn prefix_list(&mut self, t: &Tree) {
        let l = t.line(0);
        if l.len() < 3 || l.is(2, "sequence-number") {
            return;
        }
        self.out.recognized += 1;
        let ipv6 = l.is(0, "ipv6");
        let name = l.spanned(2);
        if self.out.prefix_list(&name, ipv6).is_none() {
            return;
        }
        let mut entries = Vec::new();
        if matches!(l.word(3), "seq" | "permit" | "deny") {
            entries.extend(self.pl_entry(l, 3));
        } else if l.len() == 3 {
            for &k in t.kids(0) {
                let kl = t.line(k);
                if matches!(kl.word(0), "seq" | "permit" | "deny") {
                    entries.extend(self.pl_entry(kl, 0));
                }
            }
        }
        self.push_entries(&name, ipv6, entries);
    }

    fn push_entries(&mut self, name: &Spanned<String>, ipv6: bool, entries: Vec<PrefixListEntry>) {
        for e in entries {
            if !self.out.take_item(Item::Entry, e.span.line) {
                return;
            }
            if let Some(list) = self.out.prefix_list(name, ipv6) {
                list.entries.push(e);
            }
        }
    }

    fn pl_entry(&mut self, l: &Line, i: usize) -> Option<PrefixListEntry> {
        let mut j = i;
        let mut seq = None;
        if l.is(j, "seq") {
            seq = parse_u32(l.word(j + 1));
            j += 2;
        }
        let action = match l.word(j) {
            "permit" => Action::Permit,
            "deny" => Action::Deny,
            w => {
                self.out.warn(l.no, format!("prefix-list entry with `{}` where `permit` or `deny` belongs", quote(w)));
                return None;
            }
        };
        j += 1;
        let Some(prefix) = parse_net(l.word(j)) else {
            self.out.warn(l.no, format!("prefix `{}` not understood", quote(l.word(j))));
            return None;
        };
        let prefix = Spanned::new(prefix, l.span(j));
        let (ge, le) = self.ge_le(l, j + 1);
        Some(PrefixListEntry { seq, action, prefix, ge, le, span: l.span_range(i, l.len() - 1) })
    }

    /// `ge N`, `le N`, `eq N` from token `j` on.
    fn ge_le(&mut self, l: &Line, mut j: usize) -> (Option<u8>, Option<u8>) {
        let (mut ge, mut le) = (None, None);
        while j + 1 < l.len() {
            let n = parse_u32(l.word(j + 1).trim_end_matches(',')).filter(|&n| n <= 128).map(|n| n as u8);
            match l.word(j) {
                "ge" => ge = n,
                "le" => le = n,
                "eq" => (ge, le) = (n, n),
                _ => break,
            }
            if n.is_none() {
                self.out.warn(l.no, format!("prefix length `{}` not understood", quote(l.word(j + 1))));
            }
            j += 2;
        }
        (ge, le)
    }

    /// The first line of a block that names what it defines (`route-map`,
    /// `prefix-set`, `route-policy NAME`), counted as recognized; `None`
    /// without a name.
    fn named_head<'t, 'a>(&mut self, t: &'t Tree<'a>) -> Option<&'t Line<'a>> {
        let l = t.line(0);
        if l.len() < 2 {
            return None;
        }
        self.out.recognized += 1;
        Some(l)
    }

    /// `route-map NAME [permit|deny] [SEQ]` with `match …` / `set …` under it.
    fn route_map(&mut self, t: &Tree) {
        let Some(l) = self.named_head(t) else { return };
        let name = l.spanned(1);
        let action = if l.is(2, "deny") { Action::Deny } else { Action::Permit };
        let mut e = RouteMapEntry {
            seq: parse_u32(l.word(3)),
            term: None,
            action,
            match_prefix_lists: Vec::new(),
            match_prefixes: Vec::new(),
            sets: Vec::new(),
            span: l.span_range(0, l.len() - 1),
        };
        for &k in t.kids(0) {
            let kl = t.line(k);
            let is_match = kl.is(0, "match") && (kl.is(1, "ip") || kl.is(1, "ipv6")) && kl.is(2, "address") && kl.is(3, "prefix-list");
            let is_set = kl.is(0, "set") && kl.len() > 1;
            if (is_match || is_set) && !self.out.take_item(Item::Entry, kl.no) {
                break;
            }
            if is_match {
                e.match_prefix_lists.extend((4..kl.len()).map(|j| kl.spanned(j)));
            } else if is_set {
                e.sets.push(Spanned::new(kl.rest(1).to_string(), kl.span_from(1)));
            }
        }
        self.push_route_map_entry(&name, e);
    }

    fn push_route_map_entry(&mut self, name: &Spanned<String>, e: RouteMapEntry) {
        if self.out.take_item(Item::Entry, e.span.line) {
            if let Some(rm) = self.out.route_map(name) {
                rm.entries.push(e);
            }
        }
    }

    /// XR `prefix-set NAME` / `  10.0.0.0/8 le 24,` … / `end-set`.
    fn prefix_set(&mut self, t: &Tree) {
        let Some(l) = self.named_head(t) else { return };
        let name = l.spanned(1);
        if self.out.prefix_list(&name, false).is_none() {
            return;
        }
        let mut cur: Vec<(usize, Tok)> = Vec::new();
        for k in t.descendants(0) {
            let kl = t.line(k);
            for tok in &kl.toks {
                if tok.s.starts_with('#') {
                    break;
                }
                // Entries end at commas, inside a token too (`10.0.0.0/8,10.1.0.0/16`).
                let mut col = tok.col;
                let mut byte = tok.byte;
                let pieces: Vec<&str> = tok.s.split(',').collect();
                for (k, s) in pieces.iter().enumerate() {
                    let len = s.chars().count();
                    if !s.is_empty() {
                        cur.push((kl.no, Tok { s, col, len, byte }));
                    }
                    col += len + 1;
                    byte += s.len() + 1;
                    // An entry is at most `PREFIX ge N le N`.
                    let ends = k + 1 < pieces.len();
                    if (ends || cur.len() >= 8) && !self.set_entry(&name, &std::mem::take(&mut cur)) {
                        return;
                    }
                }
            }
        }
        self.set_entry(&name, &cur);
    }

    /// Adds one prefix-set entry; `false` once the cap is reached.
    fn set_entry(&mut self, name: &Spanned<String>, toks: &[(usize, Tok)]) -> bool {
        let Some((no, first)) = toks.first() else { return true };
        let Some(prefix) = parse_net(first.s) else {
            self.out.warn(*no, format!("prefix-set entry `{}` not understood", quote(first.s)));
            return true;
        };
        let (mut ge, mut le) = (None, None);
        for w in toks[1..].chunks(2) {
            let n = w.get(1).and_then(|(_, t)| parse_u32(t.s)).filter(|&n| n <= 128).map(|n| n as u8);
            match w[0].1.s {
                "ge" => ge = n,
                "le" => le = n,
                "eq" => (ge, le) = (n, n),
                _ => {}
            }
        }
        let Some((lno, last)) = toks.last() else { return true };
        let span =
            if lno == no { Span::new(*no, first.col, last.col + last.len - first.col) } else { Span::new(*no, first.col, first.len) };
        let e = PrefixListEntry { seq: None, action: Action::Permit, prefix: Spanned::new(prefix, Span::new(*no, first.col, first.len)), ge, le, span };
        if !self.out.take_item(Item::Entry, *no) {
            return false;
        }
        if let Some(list) = self.out.prefix_list(name, false) {
            if list.entries.is_empty() {
                list.ipv6 = prefix.addr().is_ipv6();
            }
            list.entries.push(e);
        }
        true
    }

    /// XR `route-policy NAME` … `end-policy`, read as one route-map entry:
    /// the prefix-sets it tests (`destination in SET`), its `set` clauses,
    /// and whether it can `pass`.
    fn route_policy(&mut self, t: &Tree) {
        let Some(l) = self.named_head(t) else { return };
        let raw = l.word(1);
        let name = Spanned::new(raw.split('(').next().unwrap_or(raw).to_string(), l.span(1));
        let mut e = RouteMapEntry {
            seq: None,
            term: None,
            action: Action::Deny,
            match_prefix_lists: Vec::new(),
            match_prefixes: Vec::new(),
            sets: Vec::new(),
            span: l.span_range(0, 1),
        };
        for k in t.descendants(0) {
            let kl = t.line(k);
            if !self.out.take_item(Item::Entry, kl.no) {
                break;
            }
            for j in 0..kl.len() {
                match kl.word(j) {
                    "pass" | "done" => e.action = Action::Permit,
                    "destination" if kl.is(j + 1, "in") => {
                        let s = kl.word(j + 2);
                        if !s.is_empty() && !s.starts_with(['(', '[']) {
                            e.match_prefix_lists.push(kl.spanned(j + 2));
                        }
                    }
                    _ => {}
                }
            }
            if matches!(kl.word(0), "set" | "prepend" | "remove" | "delete") {
                e.sets.push(Spanned::new(kl.rest(0).to_string(), kl.span_from(0)));
            }
        }
        self.push_route_map_entry(&name, e);
    }
}

/// `address-family ipv4 [unicast] [vrf V]` → (family, VRF).
fn address_family(l: &Line) -> (Af, Option<String>) {
    address_family_at(l, 0)
}

fn address_family_at(l: &Line, at: usize) -> (Af, Option<String>) {
    let mut unicast = true;
    let mut vrf = None;
    let mut j = at + 2;
    while j < l.len() {
        match l.word(j) {
            "unicast" => {}
            "vrf" => {
                vrf = Some(l.word(j + 1).to_string());
                j += 1;
            }
            _ => unicast = false,
        }
        j += 1;
    }
    let af = match l.word(at + 1) {
        "ipv4" if unicast => Af::V4,
        "ipv6" if unicast => Af::V6,
        _ => Af::Other,
    };
    (af, vrf)
}

/// FRR: the VLAN of a Linux VLAN subinterface (`eth0.200`; stacked
/// `eth0.100.200` is QinQ), spanning the number in the name.
fn vlans_from_name(name: &Spanned<String>) -> (Option<Spanned<u16>>, Option<Spanned<u16>>) {
    let mut tags = Vec::new();
    let mut col = name.span.column;
    for (k, part) in name.value.split('.').enumerate() {
        let len = part.chars().count();
        if k > 0 {
            match parse_vlan(part).filter(|_| is_digits(part)) {
                Some(v) => tags.push(Spanned::new(v, Span::new(name.span.line, col, len))),
                None => return (None, None),
            }
        }
        col += len + 1;
    }
    match tags.len() {
        1 => (tags.pop(), None),
        2 => {
            let inner = tags.pop();
            (tags.pop(), inner)
        }
        _ => (None, None),
    }
}

/// An interface named twice: the later section adds to the first.
fn merge_interface(slot: &mut Interface, i: Interface) {
    macro_rules! take {
        ($($f:ident),*) => { $( if i.$f.is_some() { slot.$f = i.$f; } )* };
    }
    take!(description, shutdown, vlan, inner_vlan, bfd, vrf);
    for a in i.addresses {
        if !slot.addresses.iter().any(|x| x.value == a.value) {
            slot.addresses.push(a);
        }
    }
}

/// `router bgp` statements read and not needed.
#[rustfmt::skip]
const BGP_IGNORED: &[&str] = &[
    "bgp", "no", "timers", "maximum-paths", "distance", "aggregate-address", "synchronization", "auto-summary",
    "rd", "route-target", "log-neighbor-changes", "graceful-restart", "bestpath", "default-information",
    "default-metric", "table-map", "ucmp", "update", "description", "event-history", "shutdown", "log", "nexthop",
    "ibgp", "default", "fast-external-fallover", "enforce-first-as", "confederation", "segment-routing", "label",
    "allocate-label", "import", "export", "vni", "evpn", "dampening", "isolate", "mpls", "ebgp", "bfd", "socket",
    "nsr", "graceful-shutdown", "address-family", "maximum-routes", "maximum-prefix", "router-id", "coalesce-time",
    "redistribute", "network", "suppress-fib-pending", "dynamic-neighbor", "listen", "route-reflector",
    "cluster-id", "distributed", "nexthop-tracking", "ibgp-policy", "additional-paths", "aggregate-route",
    "route-distinguisher", "neighbor-default", "vrf", "template", "neighbor-group", "session-group", "af-group",
    "advertise", "table-policy", "allow-vni-in-ethertag", "dampening-config", "write-quanta", "read-quanta",
    "coalesce-time", "update-delay", "local-preference", "bgp-policy", "match", "retain", "agent-port", "sid",
    "segment-routing-ipv6", "rpki", "bmp", "router", "instance", "bgp-timers", "add-paths", "next-hop",
    "ip", "ipv6", "auto-rd", "rt", "route-map", "static-route", "neighbor-group-default",
];

/// What a neighbor inherits from: NX-OS `inherit peer|peer-session|peer-policy
/// NAME` and IOS-XR `use neighbor-group|session-group|af-group NAME`, as the
/// key of the template and whether its name is the neighbor's peer group.
const INHERITED: &[(&str, &str, &str, bool)] = &[
    ("inherit", "peer", "peer", true),
    ("inherit", "peer-session", "session", false),
    ("inherit", "peer-policy", "policy", false),
    ("use", "neighbor-group", "ng", true),
    ("use", "session-group", "sg", false),
    ("use", "af-group", "afg", false),
];

/// Neighbor settings read and not needed.
#[rustfmt::skip]
const NEIGHBOR_IGNORED: &[&str] = &[
    "update-source", "ebgp-multihop", "timers", "send-community", "send-community-ebgp",
    "send-extended-community-ebgp", "soft-reconfiguration", "next-hop-self", "remove-private-as",
    "allowas-in", "version", "as-override", "weight", "filter-list", "distribute-list",
    "unsuppress-map", "capability", "disable-connected-check", "ttl-security", "transport", "advertisement-interval",
    "send-label", "advertise-map", "dmzlink-bw", "ha-mode", "log-neighbor-changes", "translate-update", "aigp",
    "additional-paths", "next-hop-unchanged", "route-reflector-client", "graceful-restart", "dont-capability-negotiate",
    "enforce-first-as", "interface", "solo", "strict-capability-match", "addpath-tx-all-paths",
    "addpath-tx-bestpath-per-as", "attribute-unchanged", "override-capability", "passive", "port",
    "sender-as-path-loop-detection", "local-v6-addr", "local-v4-addr", "v6only", "receive-buffer-size",
    "send-buffer-size", "idle-restart-time", "idle-restart-timer", "out-delay", "rib-in", "dynamic-capability",
    "path-attribute", "route-server-client", "as-path-loop-detection", "encapsulation", "next-hop-peer",
    "next-hop-v6-addr", "maximum-accepted-routes", "maximum-advertised-routes", "link-bandwidth", "auto-local-addr",
    "import-localpref", "export-localpref", "metric-out", "missing-policy", "route-to-peer", "default-route",
    "session-open-mode", "dmz-link-bandwidth", "egress-engineering", "ignore-connected-check", "precedence", "log",
    "update", "tcp", "bmp-activate", "local", "remote-as-list", "cluster-id", "dscp", "orf", "multipath",
    "accept-own", "site-of-origin", "origin-as", "signalling", "local-address", "address-family", "ebgp-multihop",
    "update-source-interface", "inherit", "use", "peer-type", "low-memory", "bfd-liveness-detection", "role",
    "extended-nexthop", "enforce-multihop", "ip-version", "as-outbound", "maximum-prefix-out", "soo",
    "disable-peer-as-check", "suppress-inactive", "rewrite-evpn-rt-asn", "suppress-signaling-protocol",
    "graceful-shutdown", "rt-rewrite", "capability-negotiation", "next-hop-third-party", "route-target",
    "unsuppress", "activate", "advertise", "prefix-length-range", "default", "description", "fast-external-fallover",
    "delay-open-timer", "event-history", "connect-retry-timer", "hold-time", "keepalive-interval",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frr_vlan_names() {
        let n = |s: &str| Spanned::new(s.to_string(), Span::new(5, 11, s.chars().count()));
        let (v, i) = vlans_from_name(&n("eth0.200"));
        assert_eq!(v, Some(Spanned::new(200, Span::new(5, 16, 3))));
        assert_eq!(i, None);
        let (v, i) = vlans_from_name(&n("ens1.100.200"));
        assert_eq!(v, Some(Spanned::new(100, Span::new(5, 16, 3))));
        assert_eq!(i, Some(Spanned::new(200, Span::new(5, 20, 3))));
        assert_eq!(vlans_from_name(&n("eth0")), (None, None));
        assert_eq!(vlans_from_name(&n("eth0.x")), (None, None));
        assert_eq!(vlans_from_name(&n("eth0.+5")), (None, None));
    }
}
