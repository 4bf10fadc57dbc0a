//! Cisco IOS / IOS-XE `show ip route` (also `vrf X`), after ntc-templates'
//! `cisco_ios_show_ip_route`: one record per next hop. Routes start after
//! `Gateway of last resort`; `Routing Table: X` names the VRF; `is
//! (variably) subnetted` lines give the mask of the routes that follow
//! without one; a route whose next hop is on the next line, and the extra
//! next hops of a multipath route (`[110/2] via …` lines), take the network
//! from the line above.

use crate::fsm::{schema, Out};
use crate::show::rows::ws1;
use crate::show::LineParser;
use crate::text::{is_w, Cur};

schema! {
    vrf: FILLDOWN, protocol: FILLDOWN, Type = "type": FILLDOWN, network: REQUIRED | FILLDOWN,
    prefix_length: FILLDOWN, distance, metric, nexthop_ip, nexthop_vrf, nexthop_if, uptime, flag,
}

#[derive(Default)]
pub(crate) struct Parser {
    fsm: Fsm,
    routes: bool,
}

/// `\d{1,3}.\d{1,3}.\d{1,3}.\d{1,3}` with `.` any character (as the template has it).
pub(crate) fn ip_any(c: &mut Cur<'_>) -> Option<usize> {
    let r = c.rest();
    let b = r.as_bytes();
    let mut i = 0;
    for g in 0..4 {
        if g > 0 {
            if i >= b.len() {
                return None;
            }
            // Any one character.
            i += r[i..].chars().next()?.len_utf8();
        }
        let s = i;
        while i < b.len() && b[i].is_ascii_digit() && i - s < 3 {
            i += 1;
        }
        if i == s {
            return None;
        }
    }
    Some(i)
}

fn take_ip<'a>(c: &mut Cur<'a>) -> Option<&'a str> {
    let n = ip_any(c)?;
    let r = c.rest();
    let ip = &r[..n];
    *c = Cur::new(&r[n..]);
    Some(ip)
}

/// An IPv6 next hop of an IPv4 route (RFC 5549: `via 2001:db8::2
/// (default:ipv6), …`), with the table in parentheses after it skipped.
fn take_ipv6_via<'a>(c: &mut Cur<'a>) -> Option<&'a str> {
    let r = c.rest();
    let n = r.find([',', ' ']).unwrap_or(r.len());
    r[..n].parse::<std::net::Ipv6Addr>().ok()?;
    let mut rest = &r[n..];
    if let Some(t) = rest.strip_prefix(" (") {
        rest = &t[t.find(')')? + 1..];
    }
    *c = Cur::new(rest);
    Some(&r[..n])
}

/// `\d[\w:\.]+`
fn uptime<'a>(c: &mut Cur<'a>) -> Option<&'a str> {
    let r = c.rest();
    if !r.starts_with(|ch: char| ch.is_ascii_digit()) {
        return None;
    }
    let n = 1 + r[1..].find(|ch: char| !(is_w(ch) || ch == ':' || ch == '.')).unwrap_or(r.len() - 1);
    if n < 2 {
        return None;
    }
    *c = Cur::new(&r[n..]);
    Some(&r[..n])
}

/// `[A-Za-z][\w\-\.:/]+`
fn interface<'a>(c: &mut Cur<'a>) -> Option<&'a str> {
    let r = c.rest();
    if !r.starts_with(|ch: char| ch.is_ascii_alphabetic()) {
        return None;
    }
    let n = 1 + r[1..].find(|ch: char| !(is_w(ch) || matches!(ch, '-' | '.' | ':' | '/'))).unwrap_or(r.len() - 1);
    if n < 2 {
        return None;
    }
    *c = Cur::new(&r[n..]);
    Some(&r[..n])
}

/// `(,\sX)?` for a capture `X`.
fn opt_comma<'a>(c: &mut Cur<'a>, f: impl Fn(&mut Cur<'a>) -> Option<&'a str>) -> Option<&'a str> {
    let save = *c;
    if c.lit(",") && ws1(c) {
        if let Some(v) = f(c) {
            return Some(v);
        }
    }
    *c = save;
    None
}

/// `\[(\d+)/(\d+)\]`
fn dist_metric<'a>(c: &mut Cur<'a>) -> Option<(&'a str, &'a str)> {
    let save = *c;
    if c.lit("[") {
        if let Some(d) = c.digits() {
            if c.lit("/") {
                if let Some(m) = c.digits() {
                    if c.lit("]") {
                        return Some((d, m));
                    }
                }
            }
        }
    }
    *c = save;
    None
}

/// `\sis\sdirectly\sconnected`, `\sis\sa\ssummary` …: single whitespace
/// characters between the words.
fn words1(c: &mut Cur<'_>, words: &[&str]) -> bool {
    let save = *c;
    for w in words {
        if !(ws1(c) && c.lit(w)) {
            *c = save;
            return false;
        }
    }
    true
}

impl Parser {
    /// `^(\w)(\s|([\*%p]))(\w{0,2})\s+`
    fn head<'a>(line: &'a str) -> Option<(&'a str, Option<&'a str>, &'a str, Cur<'a>)> {
        let mut it = line.char_indices();
        let (_, p) = it.next()?;
        if !is_w(p) {
            return None;
        }
        let (i1, second) = it.next()?;
        let flag = if second.is_whitespace() {
            None
        } else if matches!(second, '*' | '%' | 'p') {
            Some(&line[i1..i1 + 1])
        } else {
            return None;
        };
        let after = i1 + second.len_utf8();
        let rest = &line[after..];
        let mut n = 0;
        let mut chars = rest.char_indices();
        let mut end = 0;
        while n < 2 {
            match chars.next() {
                Some((i, ch)) if is_w(ch) => {
                    end = i + ch.len_utf8();
                    n += 1;
                }
                _ => break,
            }
        }
        let type_ = &rest[..end];
        let mut c = Cur::new(&rest[end..]);
        if !c.ws() {
            return None;
        }
        Some((&line[..p.len_utf8()], flag, type_, c))
    }

    fn routes_line(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
        let f = &mut self.fsm;
        let mut c = Cur::new(line);
        if c.words("Routing Table:") {
            f.clear_all();
            if c.ws() {
                if let Some(v) = c.word() {
                    if c.eol() {
                        f.set(F::vrf, v);
                    }
                }
            }
            return;
        }
        // R3: `^\s+IP/(\d{1,2})\sis` -> Clear
        let mut c = Cur::new(line);
        if c.ws() && ip_any(&mut c).is_some() {
            let mut c2 = c;
            take_ip(&mut c2);
            if c2.lit("/") {
                let r = c2.rest();
                let d = r.bytes().take_while(u8::is_ascii_digit).count().min(2);
                if d > 0 {
                    let mut c3 = Cur::new(&r[d..]);
                    if ws1(&mut c3) && c3.lit("is") {
                        f.set(F::prefix_length, &r[..d]);
                        f.clear();
                        return;
                    }
                }
            }
        }
        // R12: `^\s+\[D/M\]\svia\sIP(,\sUPTIME)?(,\sIF)?`
        let mut c = Cur::new(line);
        if c.ws() {
            if let Some((d, m)) = dist_metric(&mut c) {
                if ws1(&mut c) && c.lit("via") && ws1(&mut c) {
                    if let Some(ip) = take_ip(&mut c).or_else(|| take_ipv6_via(&mut c)) {
                        let (up, ifc) = uptime_interface(&mut c);
                        return hop(f, Some((d, m)), Some(ip), up, ifc, out);
                    }
                }
            }
            if line.trim_start().starts_with('[') {
                out.warn(n, "a next-hop line that does not parse");
            }
            return;
        }
        let Some((proto, flag, type_, mut c)) = Self::head(line) else { return };
        let Some(net) = take_ip(&mut c) else {
            return;
        };
        let set_head = |f: &mut Fsm, pfx: Option<&str>| {
            f.set(F::protocol, proto);
            f.opt(F::flag, flag);
            f.set(F::Type, type_);
            f.set(F::network, net);
            if let Some(p) = pfx {
                f.set(F::prefix_length, p);
            }
        };
        if c.lit("/") {
            let r = c.rest();
            let d = r.bytes().take_while(u8::is_ascii_digit).count().min(2);
            if d == 0 {
                // R11: the network alone.
                return set_head(f, None);
            }
            let pfx = &r[..d];
            let after = Cur::new(&r[d..]);
            // R4: is directly connected(, UPTIME)?(, IF)?
            let mut c = after;
            if words1(&mut c, &["is", "directly", "connected"]) {
                let (up, ifc) = uptime_interface(&mut c);
                set_head(f, Some(pfx));
                return hop(f, None, None, up, ifc, out);
            }
            // R6: [D/M] via IP( (VRF))?(, UPTIME)?(, IF)?
            let mut c = after;
            if ws1(&mut c) {
                if let Some((d, m)) = dist_metric(&mut c) {
                    let mut c6 = c;
                    if ws1(&mut c6) && c6.lit("via") && ws1(&mut c6) {
                        if let Some(ip) = take_ip(&mut c6) {
                            let vrf = {
                                let save = c6;
                                let mut v = None;
                                if ws1(&mut c6) && c6.lit("(") {
                                    let run = c6.rest().split(char::is_whitespace).next().unwrap_or("");
                                    if let Some(k) = run.rfind(')') {
                                        if k > 0 {
                                            v = Some(&run[..k]);
                                            c6 = Cur::new(&c6.rest()[k + 1..]);
                                        }
                                    }
                                }
                                if v.is_none() {
                                    c6 = save;
                                }
                                v
                            };
                            let (up, ifc) = uptime_interface(&mut c6);
                            set_head(f, Some(pfx));
                            f.opt(F::nexthop_vrf, vrf);
                            return hop(f, Some((d, m)), Some(ip), up, ifc, out);
                        }
                    }
                    // R8: [D/M], UPTIME, IF
                    let mut c8 = c;
                    if c8.lit(",") && ws1(&mut c8) {
                        if let Some(up) = uptime(&mut c8) {
                            if c8.lit(",") && ws1(&mut c8) {
                                if let Some(ifc) = interface(&mut c8) {
                                    set_head(f, Some(pfx));
                                    return hop(f, Some((d, m)), None, Some(up), Some(ifc), out);
                                }
                            }
                        }
                    }
                }
            }
            // R9: is a summary, UPTIME, IF
            let mut c = after;
            if words1(&mut c, &["is", "a", "summary,"]) && ws1(&mut c) {
                if let Some(up) = uptime(&mut c) {
                    if c.lit(",") && ws1(&mut c) {
                        if let Some(ifc) = interface(&mut c) {
                            set_head(f, Some(pfx));
                            return hop(f, None, None, Some(up), Some(ifc), out);
                        }
                    }
                }
            }
            // R10: the network and its length; the next hop follows.
            return set_head(f, Some(pfx));
        }
        // R5: IP is directly connected, IF
        let mut c5 = c;
        if words1(&mut c5, &["is", "directly", "connected,"]) && ws1(&mut c5) {
            if let Some(ifc) = interface(&mut c5) {
                set_head(f, None);
                return hop(f, None, None, None, Some(ifc), out);
            }
        }
        // R7: IP [D/M] via IP(, UPTIME)?(, IF)?
        let mut c7 = c;
        if ws1(&mut c7) {
            if let Some((d, m)) = dist_metric(&mut c7) {
                if ws1(&mut c7) && c7.lit("via") && ws1(&mut c7) {
                    if let Some(ip) = take_ip(&mut c7) {
                        let (up, ifc) = uptime_interface(&mut c7);
                        set_head(f, None);
                        return hop(f, Some((d, m)), Some(ip), up, ifc, out);
                    }
                }
            }
        }
        // R11
        set_head(f, None);
    }
}

/// `(,\sUPTIME)?(,\sIF)?` after a next hop.
fn uptime_interface<'a>(c: &mut Cur<'a>) -> (Option<&'a str>, Option<&'a str>) {
    let up = opt_comma(c, uptime);
    (up, opt_comma(c, interface))
}

/// The next hop of a route line (`[D/M] via IP, UPTIME, IF`, or the parts
/// of it the line has), then the record.
fn hop(f: &mut Fsm, dm: Option<(&str, &str)>, ip: Option<&str>, up: Option<&str>, ifc: Option<&str>, out: &mut Out<'_>) {
    if let Some((d, m)) = dm {
        f.set(F::distance, d);
        f.set(F::metric, m);
    }
    if let Some(ip) = ip {
        f.set(F::nexthop_ip, ip);
    }
    f.opt(F::uptime, up);
    f.opt(F::nexthop_if, ifc);
    f.record(out.sink);
}

impl LineParser for Parser {
    fn line(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
        if self.routes {
            self.routes_line(n, line, out);
            return;
        }
        let mut c = Cur::new(line);
        if c.words("Routing Table:") && ws1(&mut c) {
            if let Some(v) = c.word() {
                if c.eol() {
                    self.fsm.set(F::vrf, v);
                }
            }
            return;
        }
        if line.starts_with("Gateway") {
            self.routes = true;
        }
    }

    /// The template has an `EOF` state: no record at the end.
    fn finish(&mut self, _last: usize, _out: &mut Out<'_>) {}
}
