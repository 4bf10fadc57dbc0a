//! Juniper Junos configurations, in `display set` form (`set interfaces
//! xe-0/0/0 unit 200 vlan-id 200`) and curly-brace form (`show
//! configuration`). Both forms are turned into the same statements — a
//! path of tokens, each with its span — and fed to one [`Builder`], so they
//! cannot disagree.
//!
//! Deactivation: `deactivate PATH` (set form) and `inactive:` (curly form)
//! mark a neighbor, group, BGP, interface or unit as shut down (their span
//! is the `deactivate` / `inactive:` token) and make any deeper statement
//! (a deactivated `authentication-key`) absent. Configuration `groups` and
//! `apply-groups` are not expanded.

use super::bgp::{Af, Attrs, Table};
use super::out::{Item, Out};
use super::tokens::quote;
use super::{Action, Bgp, ConfigError, PrefixListEntry, RouteMapEntry, Span, Spanned};
use crate::detect::is_junos_prompt_line;
use crate::text::{clip, lines, parse_asn, parse_net, parse_u32, parse_vlan};
use std::collections::HashMap;
use std::net::IpAddr;

/// Brace nesting accepted in curly form.
const MAX_DEPTH: usize = 64;
/// Tokens kept per statement.
const MAX_STMT: usize = 256;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum K {
    Word,
    Str,
    LBrace,
    RBrace,
    Semi,
    LBrack,
    RBrack,
}

/// A token; for a quoted string `s` is the text between the quotes and the
/// span covers the quotes.
#[derive(Clone, Copy, Debug)]
struct JTok<'a> {
    k: K,
    s: &'a str,
    span: Span,
}

/// The tokens of one line. `comment` carries a `/* … */` across lines.
fn tokenize<'a>(no: usize, line: &'a str, comment: &mut bool, toks: &mut Vec<JTok<'a>>) {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let n = chars.len();
    let byte = |i: usize| if i < n { chars[i].0 } else { line.len() };
    let mut i = 0;
    while i < n {
        if *comment {
            match (i..n.saturating_sub(1)).find(|&j| chars[j].1 == '*' && chars[j + 1].1 == '/') {
                Some(j) => {
                    *comment = false;
                    i = j + 2;
                    continue;
                }
                None => return,
            }
        }
        let c = chars[i].1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '#' {
            return;
        }
        if c == '/' && i + 1 < n && chars[i + 1].1 == '*' {
            *comment = true;
            i += 2;
            continue;
        }
        let punct = match c {
            '{' => Some(K::LBrace),
            '}' => Some(K::RBrace),
            ';' => Some(K::Semi),
            '[' => Some(K::LBrack),
            ']' => Some(K::RBrack),
            _ => None,
        };
        if let Some(k) = punct {
            toks.push(JTok { k, s: &line[byte(i)..byte(i + 1)], span: Span::new(no, i + 1, 1) });
            i += 1;
            continue;
        }
        if c == '"' {
            let mut j = i + 1;
            while j < n && chars[j].1 != '"' {
                if chars[j].1 == '\\' {
                    j += 1;
                }
                j += 1;
            }
            let end = j.min(n);
            toks.push(JTok { k: K::Str, s: &line[byte(i + 1)..byte(end)], span: Span::new(no, i + 1, (end + 1).min(n) - i) });
            i = end + 1;
            continue;
        }
        let mut j = i;
        while j < n && !chars[j].1.is_whitespace() && !matches!(chars[j].1, '{' | '}' | ';' | '[' | ']' | '"') {
            j += 1;
        }
        toks.push(JTok { k: K::Word, s: &line[byte(i)..byte(j)], span: Span::new(no, i + 1, j - i) });
        i = j;
    }
}

pub(crate) fn parse(text: &str, out: &mut Out) -> Result<(), ConfigError> {
    let set_form = lines(text).any(|(_, l)| l.starts_with("set ") || l.starts_with("deactivate "));
    let mut b = Builder::new(out);
    if set_form {
        parse_set(text, &mut b);
    } else {
        parse_curly(text, &mut b)?;
    }
    b.finish();
    Ok(())
}

fn is_value(t: &JTok) -> bool {
    matches!(t.k, K::Word | K::Str)
}

/// `a b [ c d ] e` → `a b c e`, `a b d e`.
fn expand<'a>(toks: &[JTok<'a>]) -> Vec<Vec<JTok<'a>>> {
    let open = toks.iter().position(|t| t.k == K::LBrack);
    let Some(i) = open else { return vec![toks.iter().copied().filter(is_value).collect()] };
    let j = toks[i..].iter().position(|t| t.k == K::RBrack).map_or(toks.len(), |j| i + j);
    let (pre, rest) = (&toks[..i], toks.get(j + 1..).unwrap_or(&[]));
    let mut v: Vec<Vec<JTok>> = toks[i + 1..j]
        .iter()
        .filter(|t| is_value(t))
        .map(|e| pre.iter().chain(std::iter::once(e)).chain(rest).copied().filter(is_value).collect())
        .collect();
    if v.is_empty() {
        v.push(pre.iter().copied().filter(is_value).collect());
    }
    v
}

/// The tokens of one line of the `set` form, in place of `toks`'s: a
/// statement is one line, so a comment never runs on past it.
fn line_tokens<'a>(no: usize, line: &'a str, toks: &mut Vec<JTok<'a>>) {
    toks.clear();
    tokenize(no, line, &mut false, toks);
}

fn parse_set(text: &str, b: &mut Builder) {
    // Deactivations come after the statements they deactivate: read them first.
    let mut deact: HashMap<String, Span> = HashMap::new();
    let mut toks = Vec::new();
    for (no, line) in lines(text) {
        if !line.starts_with("deactivate ") {
            continue;
        }
        line_tokens(no, line, &mut toks);
        if deact.len() < 100_000 && toks.len() > 1 {
            let key = toks[1..].iter().filter(|t| is_value(t)).map(|t| t.s).collect::<Vec<_>>().join(" ");
            deact.entry(key).or_insert(toks[0].span);
        }
    }
    for (no, line) in lines(text) {
        if !line.starts_with("set ") {
            continue;
        }
        line_tokens(no, line, &mut toks);
        if toks.len() > MAX_STMT {
            b.out.warn(no, format!("a statement of more than {MAX_STMT} words: the rest is ignored"));
            toks.truncate(MAX_STMT);
        }
        for stmt in expand(&toks[1..]) {
            let inactive = if deact.is_empty() {
                None
            } else {
                let mut key = String::new();
                let mut found = None;
                for (k, t) in stmt.iter().enumerate() {
                    if k > 0 {
                        key.push(' ');
                    }
                    key.push_str(t.s);
                    if let Some(sp) = deact.get(&key) {
                        found = Some((k + 1, *sp));
                        break;
                    }
                }
                found
            };
            b.stmt(&stmt, inactive);
        }
    }
}

/// An open `{` block: its tokens, and the `inactive:` on it.
struct Frame<'a> {
    toks: Vec<JTok<'a>>,
    inactive: Option<Span>,
}

fn parse_curly(text: &str, b: &mut Builder) -> Result<(), ConfigError> {
    let mut frames: Vec<Frame> = Vec::new();
    let mut cur: Vec<JTok> = Vec::new();
    let mut cur_inactive: Option<Span> = None;
    let mut comment = false;
    let mut toks = Vec::new();
    let mut overlong = false;
    for (no, line) in lines(text) {
        let t = line.trim();
        // Prompts, `{master}`, `[edit]`, pager lines.
        if t.starts_with("{master")
            || t.starts_with("{backup")
            || t.starts_with("{primary")
            || t.starts_with("{secondary")
            || t == "[edit]"
            || t.starts_with("---(more")
            || is_junos_prompt_line(t)
        {
            continue;
        }
        toks.clear();
        tokenize(no, line, &mut comment, &mut toks);
        for tok in &toks {
            match tok.k {
                K::Word if cur.is_empty() && matches!(tok.s, "inactive:" | "protect:" | "replace:") => {
                    if tok.s == "inactive:" {
                        cur_inactive = Some(tok.span);
                    }
                }
                K::Word | K::Str | K::LBrack | K::RBrack => {
                    if cur.len() < MAX_STMT {
                        cur.push(*tok);
                    } else if !overlong {
                        overlong = true;
                        b.out.warn(no, format!("a statement of more than {MAX_STMT} words: the rest is ignored"));
                    }
                }
                K::Semi => {
                    emit(b, &frames, &cur, cur_inactive);
                    cur.clear();
                    cur_inactive = None;
                    overlong = false;
                }
                K::LBrace => {
                    if frames.len() >= MAX_DEPTH {
                        return Err(ConfigError::new(
                            Some(no),
                            format!("blocks nested more than {MAX_DEPTH} deep: this is not a Junos configuration"),
                            None,
                        ));
                    }
                    emit(b, &frames, &cur, cur_inactive);
                    frames.push(Frame { toks: std::mem::take(&mut cur), inactive: cur_inactive.take() });
                    overlong = false;
                }
                K::RBrace => {
                    if !cur.is_empty() {
                        b.out.warn(no, "a statement without its `;`");
                        cur.clear();
                    }
                    cur_inactive = None;
                    if frames.pop().is_none() {
                        b.out.warn(no, "a `}` that closes no block");
                    }
                }
            }
        }
    }
    if let Some(last) = cur.last() {
        b.out.warn(last.span.line, "the last statement has no `;`: the configuration looks truncated");
    }
    if let Some(f) = frames.last() {
        let what: Vec<&str> = f.toks.iter().map(|t| t.s).take(4).collect();
        let line = f.toks.first().map_or(1, |t| t.span.line);
        b.out.warn(line, format!("the block `{} {{` is never closed: the configuration looks truncated", quote(&what.join(" "))));
    }
    Ok(())
}

fn emit(b: &mut Builder, frames: &[Frame], cur: &[JTok], cur_inactive: Option<Span>) {
    let mut path: Vec<JTok> = Vec::with_capacity(frames.iter().map(|f| f.toks.len()).sum::<usize>() + cur.len());
    let mut inactive = None;
    for f in frames {
        path.extend_from_slice(&f.toks);
        if inactive.is_none() {
            inactive = f.inactive.map(|s| (path.len(), s));
        }
    }
    path.extend_from_slice(cur);
    if inactive.is_none() {
        inactive = cur_inactive.map(|s| (path.len(), s));
    }
    for stmt in expand(&path) {
        if !stmt.is_empty() {
            let inactive = inactive.map(|(l, s)| (l.min(stmt.len()), s));
            b.stmt(&stmt, inactive);
        }
    }
}

/// From token `a` to token `b` when on one line, else token `b` alone.
fn pair(a: &JTok, b: &JTok) -> Span {
    if a.span.line == b.span.line && b.span.column >= a.span.column {
        Span::new(a.span.line, a.span.column, b.span.column + b.span.len - a.span.column)
    } else {
        b.span
    }
}

/// From `toks[0]` to the last token on the same line.
fn to_line_end(toks: &[JTok]) -> Span {
    let first = &toks[0];
    let last = toks.iter().rev().find(|t| t.span.line == first.span.line).unwrap_or(first);
    pair(first, last)
}

fn sp(t: &JTok) -> Spanned<String> {
    Spanned::new(t.s.to_string(), t.span)
}

struct Builder<'o> {
    out: &'o mut Out,
    asn: Option<Spanned<u32>>,
    instance_asn: HashMap<String, Spanned<u32>>,
    router_id: Option<Spanned<IpAddr>>,
    bgp_span: Option<Span>,
    table: Table,
    /// `type internal` of a group: its key and span.
    internal: HashMap<String, Span>,
    /// Policy terms: (policy, term) → entry index in its route map.
    terms: HashMap<(String, Option<String>), usize>,
}

/// The group key of Junos group `g` in `vrf`, and of the BGP-level settings.
fn group_key(vrf: Option<&str>, g: Option<&str>) -> String {
    format!("{}\u{0}{}", vrf.unwrap_or(""), g.unwrap_or(""))
}

impl<'o> Builder<'o> {
    fn new(out: &'o mut Out) -> Builder<'o> {
        Builder {
            out,
            asn: None,
            instance_asn: HashMap::new(),
            router_id: None,
            bgp_span: None,
            table: Table::default(),
            internal: HashMap::new(),
            terms: HashMap::new(),
        }
    }

    /// One statement; `inactive` is the length of the deactivated prefix
    /// of the path and where it was deactivated.
    fn stmt(&mut self, p: &[JTok], inactive: Option<(usize, Span)>) {
        let mut off = 0;
        if p.first().is_some_and(|t| t.s == "logical-systems") {
            off = 2;
        }
        let mut vrf = None;
        if p.get(off).is_some_and(|t| t.s == "routing-instances") && p.len() > off + 1 {
            vrf = Some(p[off + 1].s);
            off += 2;
        }
        let Some(q) = p.get(off..) else { return };
        let inactive = inactive.map(|(l, s)| (l.saturating_sub(off), s));
        match q.first().map(|t| t.s) {
            Some("system") if inactive.is_none() && q.len() > 2 && q[1].s == "host-name" && vrf.is_none() => {
                self.out.recognized += 1;
                self.out.hostname = Some(sp(&q[2]));
            }
            Some("interfaces") if vrf.is_none() && q.len() > 1 => self.interface(q, inactive),
            Some("routing-options") if inactive.is_none() && q.len() > 2 => self.routing_options(vrf, q),
            Some("protocols") if q.len() > 1 && q[1].s == "bgp" => self.bgp(vrf, q, inactive),
            Some("policy-options") if inactive.is_none() && q.len() > 2 && vrf.is_none() => self.policy(q),
            Some("security") if inactive.is_none() && vrf.is_none() && q.len() > 2 && q[1].s == "macsec" => self.macsec(q),
            _ => {}
        }
    }

    /// `security macsec interfaces IFD connectivity-association CA` and
    /// `security macsec connectivity-association CA …`: what the association
    /// sets (`cipher-suite`, `include-sci`, where `pre-shared-key` is, never
    /// its CKN or CAK). Other statements of the association are read as
    /// known (MKA timers, security mode, offsets) or warned about.
    fn macsec(&mut self, q: &[JTok]) {
        let line = q[0].span.line;
        match q[2].s {
            "interfaces" if q.len() > 5 && q[4].s == "connectivity-association" => {
                self.out.recognized += 1;
                if let Some(m) = self.out.macsec(sp(&q[3]), to_line_end(q)) {
                    m.policy = Some(sp(&q[5]));
                }
            }
            "connectivity-association" if q.len() > 4 => {
                let (name, what) = (q[3].s, &q[4]);
                let Some(pol) = self.out.macsec_policy(name, line) else { return };
                match what.s {
                    "cipher-suite" if q.len() > 5 => pol.cipher = Some(sp(&q[5])),
                    "include-sci" => pol.include_sci = Some(Spanned::new(true, what.span)),
                    "pre-shared-key" => pol.key = Some(what.span),
                    "security-mode" | "mka" | "offset" | "replay-protect" | "replay-window-size" | "no-encryption" | "exclude-protocol"
                    | "fallback-key" | "secure-channel" | "sak-rekey-interval" | "description" => {}
                    other => self.out.warn(line, format!("MACsec connectivity association {name}: `{other}` is not understood")),
                }
            }
            "connectivity-association" | "interfaces" => {}
            other => self.out.warn(line, format!("`security macsec {other}` is not understood")),
        }
    }

    fn routing_options(&mut self, vrf: Option<&str>, q: &[JTok]) {
        match q[1].s {
            "autonomous-system" => match parse_asn(q[2].s) {
                Some(n) => {
                    let v = Spanned::new(n, q[2].span);
                    match vrf {
                        None => self.asn = Some(v),
                        Some(r) => {
                            self.instance_asn.insert(r.to_string(), v);
                        }
                    }
                }
                None => self.out.warn(q[2].span.line, format!("autonomous-system `{}` is not an AS number", quote(q[2].s))),
            },
            "router-id" if vrf.is_none() => match q[2].s.parse::<IpAddr>() {
                Ok(ip) => self.router_id = Some(Spanned::new(ip, q[2].span)),
                Err(_) => self.out.warn(q[2].span.line, format!("router-id `{}` is not an IP address", quote(q[2].s))),
            },
            _ => {}
        }
    }

    // ---- interfaces ----

    fn interface(&mut self, q: &[JTok], inactive: Option<(usize, Span)>) {
        let ifd = &q[1];
        if ifd.s == "interface-range" || ifd.s.starts_with("apply-") {
            return;
        }
        self.out.recognized += 1;
        let is_unit = q.len() > 3 && q[2].s == "unit";
        let entity_end = if is_unit { 4 } else { 2 };
        let (shut, skip) = match inactive {
            Some((len, _)) if len > entity_end => (None, true),
            Some((_, s)) => (Some(s), false),
            None => (None, false),
        };
        if !is_unit {
            let Some(i) = self.out.interface(sp(ifd)) else { return };
            if shut.is_some() {
                i.shutdown = shut;
            }
            if skip {
                return;
            }
            match q.get(2).map(|t| t.s) {
                Some("description") if q.len() > 3 => i.description = Some(clip(q[3].s)),
                Some("disable") => i.shutdown = i.shutdown.or(Some(q[2].span)),
                _ => {}
            }
            return;
        }
        let unit = &q[3];
        let name = Spanned::new(
            format!("{}.{}", ifd.s, unit.s),
            if ifd.span.line == unit.span.line { pair(ifd, unit) } else { pair(&q[2], unit) },
        );
        if parse_u32(unit.s).is_none() {
            self.out.warn(unit.span.line, format!("unit `{}` is not a number", quote(unit.s)));
            return;
        }
        let r = &q[4..];
        // Addresses count against the cap.
        if r.len() > 3 && r[0].s == "family" && r[2].s == "address" && !self.out.take_item(Item::Entry, r[3].span.line) {
            return;
        }
        let mut warn = None;
        let vlan = |t: Option<&JTok>, warn: &mut Option<(usize, String)>| -> Option<Spanned<u16>> {
            let t = t?;
            match parse_vlan(t.s) {
                Some(v) => Some(Spanned::new(v, t.span)),
                None => {
                    *warn = Some((t.span.line, format!("VLAN `{}` is not one 802.1Q tag (0–4095)", quote(t.s))));
                    None
                }
            }
        };
        let Some(i) = self.out.interface(name) else { return };
        if shut.is_some() && i.shutdown.is_none() {
            i.shutdown = shut;
        }
        if skip {
            return;
        }
        match r.first().map(|t| t.s) {
            Some("vlan-id") => i.vlan = vlan(r.get(1), &mut warn).or(i.vlan.take()),
            Some("vlan-tags") => {
                let mut k = 1;
                while k + 1 < r.len() {
                    match r[k].s {
                        "outer" => i.vlan = vlan(r.get(k + 1), &mut warn),
                        "inner" => i.inner_vlan = vlan(r.get(k + 1), &mut warn),
                        _ => {}
                    }
                    k += 2;
                }
            }
            Some("description") if r.len() > 1 => i.description = Some(clip(r[1].s)),
            Some("disable") => i.shutdown = i.shutdown.or(Some(r[0].span)),
            Some("family") if r.len() > 3 && (r[1].s == "inet" || r[1].s == "inet6") && r[2].s == "address" => match parse_net(r[3].s) {
                Some(n) => {
                    if !i.addresses.iter().any(|a| a.value == n) {
                        i.addresses.push(Spanned::new(n, r[3].span));
                    }
                }
                None => warn = Some((r[3].span.line, format!("address `{}` not understood", quote(r[3].s)))),
            },
            _ => {}
        }
        if let Some((line, m)) = warn {
            self.out.warn(line, m);
        }
    }

    // ---- BGP ----

    fn bgp(&mut self, vrf: Option<&str>, q: &[JTok], inactive: Option<(usize, Span)>) {
        self.out.recognized += 1;
        if self.bgp_span.is_none() && vrf.is_none() {
            self.bgp_span = Some(pair(&q[0], &q[1]));
        }
        let r = &q[2..];
        // (group, neighbor token, settings, where the entity ends in q)
        let (group, nbr, settings, entity_end) = match r.first().map(|t| t.s) {
            Some("group") if r.len() > 1 => match r.get(2).map(|t| t.s) {
                Some("neighbor") if r.len() > 3 => (Some(r[1].s), Some(&r[3]), &r[4..], 6),
                _ => (Some(r[1].s), None, &r[2..], 4),
            },
            Some("neighbor") if r.len() > 1 => (None, Some(&r[1]), &r[2..], 4),
            _ => (None, None, r, 2),
        };
        // A deactivated setting is absent; a deactivated neighbor, group or
        // BGP is shut down.
        let (shut, skip) = match inactive {
            Some((len, _)) if len > entity_end => (None, true),
            Some((_, s)) => (Some(s), false),
            None => (None, false),
        };
        let gkey = group_key(vrf, group);
        let global = group_key(vrf, None);
        let target = match nbr {
            Some(t) => {
                let Ok(ip) = t.s.parse::<IpAddr>() else {
                    if t.s.parse::<ipnet::IpNet>().is_ok() {
                        self.out.warn(t.span.line, format!("neighbor range `{}` (dynamic neighbors) is not read", quote(t.s)));
                    } else {
                        self.out.warn(t.span.line, format!("neighbor `{}` is not an IP address", quote(t.s)));
                    }
                    return;
                };
                let Some(n) = self.table.neighbor(self.out, vrf, Spanned::new(ip, t.span), 0) else { return };
                let a = &mut self.table.entries[n].attrs;
                if let Some(g) = group {
                    a.inherit(gkey.clone(), Some(g));
                }
                a.inherit(global.clone(), None);
                Some(n)
            }
            None => None,
        };
        if group.is_some() {
            let g = self.table.group(gkey.clone());
            if !g.inherits.contains(&global) {
                g.inherits.push(global.clone());
            }
        }
        let a: &mut Attrs = match target {
            Some(n) => &mut self.table.entries[n].attrs,
            None => self.table.group(if group.is_some() { gkey.clone() } else { global }),
        };
        if shut.is_some() && a.s.shutdown.is_none() {
            a.s.shutdown = shut;
        }
        let Some(first) = settings.first().filter(|_| !skip) else { return };
        let mut warn: Option<(usize, String)> = None;
        let asn = |t: Option<&JTok>, what: &str, warn: &mut Option<(usize, String)>| -> Option<Spanned<u32>> {
            let t = t?;
            let v = parse_asn(t.s).map(|n| Spanned::new(n, t.span));
            if v.is_none() {
                *warn = Some((t.span.line, format!("{what} `{}` is not an AS number", quote(t.s))));
            }
            v
        };
        match first.s {
            "peer-as" => a.s.remote_as = asn(settings.get(1), "peer-as", &mut warn).or(a.s.remote_as.take()),
            "local-as" => a.s.local_as = asn(settings.get(1), "local-as", &mut warn).or(a.s.local_as.take()),
            "authentication-key" | "authentication-key-chain" => {
                if settings.len() > 1 {
                    a.s.password = Some(first.span);
                }
            }
            "bfd-liveness-detection" => {
                if a.s.bfd.is_none() {
                    a.s.bfd = Some(to_line_end(settings));
                }
            }
            "description" if settings.len() > 1 && target.is_some() => a.s.description = Some(clip(settings[1].s)),
            "import" if settings.len() > 1 => {
                a.any.route_map_in.get_or_insert_with(|| sp(&settings[1]));
            }
            "export" if settings.len() > 1 => {
                a.any.route_map_out.get_or_insert_with(|| sp(&settings[1]));
            }
            "family" if settings.len() > 1 => {
                let (fam, sub) = (settings[1].s, settings.get(2).map(|t| t.s));
                if fam == "inet" && matches!(sub, Some("unicast" | "any")) {
                    a.v4.activate = Some(true);
                } else if a.v4.activate.is_none() {
                    a.v4.activate = Some(false);
                }
                let af = match (fam, sub) {
                    ("inet", Some("unicast" | "any")) => Af::V4,
                    ("inet6", Some("unicast" | "any")) => Af::V6,
                    _ => Af::Other,
                };
                if let Some(k) = settings.iter().position(|t| t.s == "prefix-limit" || t.s == "accepted-prefix-limit") {
                    if settings.get(k + 1).is_some_and(|t| t.s == "maximum") {
                        if let (Some(t), Some(afa)) = (settings.get(k + 2), a.af(af)) {
                            match parse_u32(t.s) {
                                Some(n) => {
                                    afa.max_prefix.get_or_insert(Spanned::new(n, t.span));
                                }
                                None => warn = Some((t.span.line, format!("prefix limit `{}` is not a number", quote(t.s)))),
                            }
                        }
                    }
                }
            }
            "type" if settings.len() > 1 => {
                if settings[1].s == "internal" {
                    let key = match target {
                        Some(n) => format!("nbr:{n}"),
                        None if group.is_some() => gkey,
                        None => group_key(vrf, None),
                    };
                    self.internal.entry(key).or_insert(settings[1].span);
                }
            }
            "shutdown" => {
                a.s.shutdown.get_or_insert(first.span);
            }
            "neighbor" | "group" => {}
            w if BGP_IGNORED.contains(&w) => {}
            w => warn = Some((first.span.line, format!("BGP setting `{}` not understood", quote(w)))),
        }
        if let Some((line, m)) = warn {
            self.out.warn(line, m);
        }
    }

    // ---- policy ----

    fn policy(&mut self, q: &[JTok]) {
        match q[1].s {
            "prefix-list" => {
                self.out.recognized += 1;
                let name = sp(&q[2]);
                if self.out.prefix_list(&name, false).is_none() {
                    return;
                }
                let Some(p) = q.get(3).filter(|p| p.s != "apply-path") else { return };
                match parse_net(p.s) {
                    Some(n) => {
                        if self.out.take_item(Item::Entry, p.span.line) {
                            let Some(list) = self.out.prefix_list(&name, false) else { return };
                            if list.entries.is_empty() {
                                list.ipv6 = n.addr().is_ipv6();
                            }
                            list.entries.push(PrefixListEntry {
                                seq: None,
                                action: Action::Permit,
                                prefix: Spanned::new(n, p.span),
                                ge: None,
                                le: None,
                                span: p.span,
                            });
                        }
                    }
                    None => self.out.warn(p.span.line, format!("prefix `{}` not understood", quote(p.s))),
                }
            }
            "policy-statement" => {
                self.out.recognized += 1;
                self.policy_statement(q);
            }
            _ => {}
        }
    }

    fn policy_statement(&mut self, q: &[JTok]) {
        let name = sp(&q[2]);
        let (term, body, span) = if q.get(3).is_some_and(|t| t.s == "term") && q.len() > 4 {
            (Some(q[4].s.to_string()), &q[5..], pair(&q[3], &q[4]))
        } else {
            (None, &q[3..], q[2].span)
        };
        if self.out.route_map(&name).is_none() || term.is_none() && body.is_empty() {
            return; // `policy-statement P {`: the terms follow
        }
        let key = (name.value.clone(), term.clone());
        let idx = match self.terms.get(&key) {
            Some(&i) => i,
            None => {
                if !self.out.take_item(Item::Entry, span.line) {
                    return;
                }
                let Some(rm) = self.out.route_map(&name) else { return };
                rm.entries.push(RouteMapEntry {
                    seq: None,
                    term,
                    action: Action::Permit,
                    match_prefix_lists: Vec::new(),
                    match_prefixes: Vec::new(),
                    sets: Vec::new(),
                    span,
                });
                let i = rm.entries.len() - 1;
                self.terms.insert(key, i);
                i
            }
        };
        if !body.is_empty() && !self.out.take_item(Item::Entry, span.line) {
            return;
        }
        let mut warn = None;
        let Some(e) = self.out.route_map(&name).and_then(|rm| rm.entries.get_mut(idx)) else { return };
        match (body.first().map(|t| t.s), body.get(1)) {
            (Some("from"), Some(w)) if w.s == "prefix-list" || w.s == "prefix-list-filter" => {
                if let Some(pl) = body.get(2) {
                    if !e.match_prefix_lists.iter().any(|m| m.value == pl.s) {
                        e.match_prefix_lists.push(sp(pl));
                    }
                }
            }
            (Some("from"), Some(w)) if w.s == "route-filter" && body.len() > 2 => match parse_net(body[2].s) {
                Some(n) => {
                    let max = if n.addr().is_ipv6() { 128 } else { 32 };
                    let len = n.prefix_len();
                    let num =
                        |s: Option<&JTok>| s.and_then(|t| parse_u32(t.s.trim_start_matches('/'))).filter(|&n| n <= 128).map(|n| n as u8);
                    let (ge, le) = match body.get(3).map(|t| t.s) {
                        Some("orlonger") => (None, Some(max)),
                        Some("longer") => (Some(len.saturating_add(1).min(max)), Some(max)),
                        Some("upto") => (None, num(body.get(4))),
                        Some("prefix-length-range") => {
                            let r = body.get(4).map_or("", |t| t.s);
                            let (a, b) = r.split_once('-').unwrap_or((r, ""));
                            let p = |s: &str| parse_u32(s.trim_start_matches('/')).filter(|&n| n <= 128).map(|n| n as u8);
                            (p(a), p(b))
                        }
                        _ => (None, None),
                    };
                    if !e.match_prefixes.iter().any(|m| m.prefix.value == n && m.ge == ge && m.le == le) {
                        e.match_prefixes.push(PrefixListEntry {
                            seq: None,
                            action: Action::Permit,
                            prefix: Spanned::new(n, body[2].span),
                            ge,
                            le,
                            span: to_line_end(&body[1..]),
                        });
                    }
                }
                None => warn = Some((body[2].span.line, format!("route-filter `{}` not understood", quote(body[2].s)))),
            },
            (Some("then"), Some(w)) => match w.s {
                "accept" => e.action = Action::Permit,
                "reject" => e.action = Action::Deny,
                _ => {
                    let text = body[1..].iter().map(|t| t.s).collect::<Vec<_>>().join(" ");
                    e.sets.push(Spanned::new(text, to_line_end(&body[1..])));
                }
            },
            _ => {}
        }
        if let Some((line, m)) = warn {
            self.out.warn(line, m);
        }
    }

    fn finish(self) {
        let Builder { out, asn, instance_asn, router_id, bgp_span, table, internal, .. } = self;
        let Some(span) = bgp_span else { return };
        let Some(local_as) = asn else {
            out.warn(
                span.line,
                "BGP is configured but `routing-options autonomous-system` is not: the local AS is unknown, so BGP is not read",
            );
            return;
        };
        // `type internal` without `peer-as`: the peer is in the local AS.
        let internal_of: Vec<Option<Span>> = table
            .entries
            .iter()
            .enumerate()
            .map(|(n, e)| internal.get(&format!("nbr:{n}")).or_else(|| e.attrs.inherits.iter().find_map(|k| internal.get(k))).copied())
            .collect();
        let mut neighbors = table.resolve(|_| Some(true));
        for (nb, internal) in neighbors.iter_mut().zip(internal_of) {
            let own_as = nb.vrf.as_ref().and_then(|r| instance_asn.get(r)).unwrap_or(&local_as).clone();
            if nb.remote_as.is_none() {
                if let Some(s) = internal {
                    nb.remote_as = Some(Spanned::new(own_as.value, s));
                }
            }
            if nb.local_as.is_none() && own_as.value != local_as.value {
                nb.local_as = Some(own_as);
            }
        }
        out.bgp = Some(Bgp { local_as, router_id, neighbors, networks: Vec::new(), redistribute: Vec::new(), span });
    }
}

/// BGP settings read and not needed.
#[rustfmt::skip]
const BGP_IGNORED: &[&str] = &[
    "local-address", "multihop", "hold-time", "passive", "log-updown", "cluster", "advertise-inactive",
    "remove-private", "as-override", "keep", "damping", "graceful-restart", "tcp-mss", "traceoptions", "out-delay",
    "preference", "metric-out", "local-preference", "multipath", "advertise-peer-as", "allow", "precision-timers",
    "mtu-discovery", "ipsec-sa", "no-advertise-peer-as", "bmp", "outbound-route-filter", "egress-te",
    "vpn-apply-export", "authentication-algorithm", "include-mp-next-hop", "forwarding-context",
    "idle-after-switch-over", "tcp-aggressive-transmission", "unconfigured-peer-graceful-restart",
    "drop-path-attributes", "accept-remote-nexthop", "advertise-external", "apply-groups", "apply-groups-except",
    "bgp-error-tolerance", "disable", "enforce-first-as", "hold-time", "import-rib", "local-interface", "mvpn-iana-rt-import",
    "no-client-reflect", "path-selection", "peer-as-list", "rfc6514-compliant-safi129", "send-addpath-optimization",
    "snmp-options", "stale-labels-holddown-period", "tcp-connect-port", "ttl", "labeled-unicast", "sr-preference-override",
    "optimal-route-reflection", "output-queue-priority", "defaults", "multipath-build-priority", "vpn-apply-export",
    "advertise-prefix-sid", "accept-prefix-sid", "bgp-orf-cisco-mode", "description", "neighbor", "group",
];
