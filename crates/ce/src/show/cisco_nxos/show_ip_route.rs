//! Cisco NX-OS `show ip route` (also `vrf all`), after ntc-templates'
//! `cisco_nxos_show_ip_route`: the VRF of each table (`IP Route Table for
//! VRF "default"`), each prefix line (`10.0.0.0/24, ubest/mbest: 1/0`),
//! then one record per `via` line: next hop (and its VRF after `%`),
//! interface, `[preference/metric]`, age, protocol (`bgp-65000`,
//! `ospf-UNDERLAY`), type and tag. The legend is skipped; anything else is
//! a warning.

use crate::fsm::{schema, Out};
use crate::show::Rules;
use crate::text::{is_w, Cur};

schema! {
    vrf: FILLDOWN, protocol, Type = "type", network: FILLDOWN, prefix_length: FILLDOWN, distance, metric,
    nexthop_ip, nexthop_if, uptime, nexthop_vrf, tag, segid, tunnelid, encap, _not_found: HIDDEN,
}

/// The parser: the template's record alone ([`Rules`]).
pub(crate) type Parser = Fsm;

/// `\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}` at the cursor.
fn ip<'a>(c: &mut Cur<'a>) -> Option<&'a str> {
    let r = c.rest();
    let ip = crate::show::rows::ipv4_prefix(r)?;
    *c = Cur::new(&r[ip.len()..]);
    Some(ip)
}

fn class<'a>(c: &mut Cur<'a>, f: impl Fn(char) -> bool) -> Option<&'a str> {
    let w = c.take_while(f);
    (!w.is_empty()).then_some(w)
}

fn uptime<'a>(c: &mut Cur<'a>) -> Option<&'a str> {
    class(c, |ch| is_w(ch) || ch == ':' || ch == '.')
}

fn proto<'a>(c: &mut Cur<'a>) -> Option<&'a str> {
    class(c, |ch| is_w(ch) || ch == '-')
}

fn ifname<'a>(c: &mut Cur<'a>) -> Option<&'a str> {
    class(c, |ch| is_w(ch) || ch == '.' || ch == '/')
}

/// `(%(\S+))?, ` after a next hop: the VRF runs to the last `, ` of the token.
fn vrf_then_comma<'a>(c: &mut Cur<'a>) -> Option<Option<&'a str>> {
    if c.lit(", ") {
        return Some(None);
    }
    if !c.lit("%") {
        return None;
    }
    let r = c.rest();
    let run_end = r.find(char::is_whitespace).unwrap_or(r.len());
    // `\S+` then `, `: the comma must be inside the run, the space after it.
    let k = r[..run_end].rfind(',').filter(|&k| k > 0 && r[k + 1..].starts_with(' '))?;
    *c = Cur::new(&r[k + 2..]);
    Some(Some(&r[..k]))
}

/// `\[(\d+)/(\d+)\]`
fn dm<'a>(c: &mut Cur<'a>) -> Option<(&'a str, &'a str)> {
    if !c.lit("[") {
        return None;
    }
    let d = c.digits()?;
    if !c.lit("/") {
        return None;
    }
    let m = c.digits()?;
    c.lit("]").then_some((d, m))
}

/// `\d+( \(\w+\))?`
fn tag<'a>(c: &mut Cur<'a>) -> Option<&'a str> {
    let r = c.rest();
    let d = r.bytes().take_while(u8::is_ascii_digit).count();
    if d == 0 {
        return None;
    }
    let mut n = d;
    if let Some(p) = r[d..].strip_prefix(" (") {
        let w = p.find(|ch: char| !is_w(ch)).unwrap_or(p.len());
        if w > 0 && p[w..].starts_with(')') {
            n = d + 2 + w + 1;
        }
    }
    *c = Cur::new(&r[n..]);
    Some(&r[..n])
}

#[derive(Default)]
struct Via<'a> {
    ip: Option<&'a str>,
    vrf: Option<&'a str>,
    ifc: Option<&'a str>,
    d: &'a str,
    m: &'a str,
    up: &'a str,
    proto: &'a str,
    type_: Option<&'a str>,
    tag: Option<&'a str>,
    seg: Option<(&'a str, &'a str, &'a str)>,
}

/// The `via` rules in the template's order; `c` is after `via `.
fn via<'a>(c0: Cur<'a>, star: bool) -> Option<Via<'a>> {
    // S4: IP(%VRF)?, [D/M], UP, PROTO, TYPE, tag TAG( segid …)?
    let r4 = || {
        let mut c = c0;
        let (ip, vrf) = ip_vrf(&mut c)?;
        let (d, m, up, pr) = dm_up_proto(&mut c)?;
        c.lit(", ").then_some(())?;
        let ty = proto(&mut c)?;
        c.lit(", tag ").then_some(())?;
        let tg = tag(&mut c)?;
        let seg = {
            let save = c;
            let mut s = None;
            if c.ws() && c.lit("segid: ") {
                if let Some(sg) = c.digits() {
                    if c.ws() && c.lit("tunnelid: ") {
                        let r = c.rest();
                        let hex = r.strip_prefix("0x").map(|h| h.bytes().take_while(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b)).count()).unwrap_or(0);
                        if hex > 0 {
                            let t = &r[..2 + hex];
                            c = Cur::new(&r[2 + hex..]);
                            if c.ws() && c.lit("encap: ") {
                                if let Some(e) = c.wordchars() {
                                    s = Some((sg, t, e));
                                }
                            }
                        }
                    }
                }
            }
            if s.is_none() {
                c = save;
            }
            s
        };
        let _ = c;
        Some(Via { ip: Some(ip), vrf, d, m, up, proto: pr, type_: Some(ty), tag: Some(tg), seg, ..Default::default() })
    };
    if let Some(v) = r4() {
        return Some(v);
    }
    // S5 (star): IP(%VRF)?, IF, [D/M], UP, PROTO, tag TAG
    // S6: IP(%VRF)?, IF, [D/M], UP, PROTO, TYPE(, tag TAG)?
    // S7 (star): IP(%VRF)?, IF, [D/M], UP, PROTO
    let with_if = || {
        let mut c = c0;
        let (ip, vrf) = ip_vrf(&mut c)?;
        let ifc = ifname(&mut c)?;
        c.lit(", ").then_some(())?;
        let (d, m, up, pr) = dm_up_proto(&mut c)?;
        Some((Via { ip: Some(ip), vrf, ifc: Some(ifc), d, m, up, proto: pr, ..Default::default() }, c))
    };
    if let Some((mut v, c)) = with_if() {
        if star {
            let mut c5 = c;
            if c5.lit(", tag ") {
                if let Some(t) = tag(&mut c5) {
                    v.tag = Some(t);
                    return Some(v);
                }
            }
        }
        let mut c6 = c;
        if c6.lit(", ") {
            if let Some(ty) = proto(&mut c6) {
                v.type_ = Some(ty);
                let mut ct = c6;
                if ct.lit(", tag ") {
                    v.tag = tag(&mut ct);
                }
                return Some(v);
            }
        }
        if star {
            return Some(v);
        }
    }
    // S8 (star): IP(%VRF)?, [D/M], UP, PROTO, tag TAG
    // S9 (star): IP(%VRF)?, [D/M], UP, PROTO
    if star {
        let r89 = || {
            let mut c = c0;
            let (ip, vrf) = ip_vrf(&mut c)?;
            let (d, m, up, pr) = dm_up_proto(&mut c)?;
            let mut v = Via { ip: Some(ip), vrf, d, m, up, proto: pr, ..Default::default() };
            let mut ct = c;
            if ct.lit(", tag ") {
                if let Some(t) = tag(&mut ct) {
                    v.tag = Some(t);
                }
            }
            Some(v)
        };
        if let Some(v) = r89() {
            return Some(v);
        }
    }
    // S10: IF, [D/M], UP, PROTO
    let mut c = c0;
    let ifc = ifname(&mut c)?;
    c.lit(", ").then_some(())?;
    let (d, m, up, pr) = dm_up_proto(&mut c)?;
    Some(Via { ifc: Some(ifc), d, m, up, proto: pr, ..Default::default() })
}

/// `IP(%VRF)?, `: the next hop and its VRF.
fn ip_vrf<'a>(c: &mut Cur<'a>) -> Option<(&'a str, Option<&'a str>)> {
    let ip = ip(c)?;
    Some((ip, vrf_then_comma(c)?))
}

/// `[D/M], UP, PROTO`: distance, metric, uptime and protocol.
fn dm_up_proto<'a>(c: &mut Cur<'a>) -> Option<(&'a str, &'a str, &'a str, &'a str)> {
    let (d, m) = dm(c)?;
    c.lit(", ").then_some(())?;
    let up = uptime(c)?;
    c.lit(", ").then_some(())?;
    Some((d, m, up, proto(c)?))
}

impl Rules for F {
    /// The template has an `EOF` state: no record at the end.
    const EOF: bool = false;

    fn line(f: &mut Fsm, n: usize, line: &str, out: &mut Out<'_>) {
        let mut c = Cur::new(line);
        if c.words("IP Route Table for VRF") && c.ws() && c.lit("\"") {
            let r = c.rest();
            let run = r.split(char::is_whitespace).next().unwrap_or("");
            if let Some(k) = run.rfind('"') {
                if k > 0 && Cur::new(&r[k + 1..]).eol() {
                    f.set(F::vrf, &r[..k]);
                    return;
                }
            }
        }
        let t = line.trim_start();
        // ^\s*IP/(\d{1,2}), ubest/mbest:
        let mut c = Cur::new(t);
        if let Some(net) = ip(&mut c) {
            if c.lit("/") {
                if let Some(p) = c.digits() {
                    if p.len() <= 2 && c.lit(", ubest/mbest:") {
                        f.set(F::network, net);
                        f.set(F::prefix_length, p);
                        return;
                    }
                }
            }
        }
        if t.starts_with("Route not found") {
            // The template records here (the VRF, and the network of the VRF
            // before, filled down); the typed model knows it is no route.
            f.set(F::_not_found, "1");
            f.record(out.sink);
            f.unset(F::_not_found);
            return;
        }
        if line.starts_with(char::is_whitespace) {
            let stars = t.bytes().take_while(|&b| b == b'*').count();
            if let Some(r) = t[stars..].strip_prefix("via ") {
                if let Some(v) = via(Cur::new(r), stars > 0) {
                    f.opt(F::nexthop_ip, v.ip);
                    f.opt(F::nexthop_vrf, v.vrf);
                    f.opt(F::nexthop_if, v.ifc);
                    f.set(F::distance, v.d);
                    f.set(F::metric, v.m);
                    f.set(F::uptime, v.up);
                    f.set(F::protocol, v.proto);
                    f.opt(F::Type, v.type_);
                    f.opt(F::tag, v.tag);
                    f.opt(F::segid, v.seg.map(|s| s.0));
                    f.opt(F::tunnelid, v.seg.map(|s| s.1));
                    f.opt(F::encap, v.seg.map(|s| s.2));
                    f.record(out.sink);
                    return;
                }
            }
        }
        if (line.starts_with('\'') && line[1..].find('\'').is_some_and(|k| k > 0 && !line[1..1 + k].contains(char::is_whitespace) && Cur::new(&line[k + 2..]).ws() && line[k + 2..].trim_start().starts_with("denotes")))
            || line.starts_with("'%<string>'")
            || line.trim().is_empty()
        {
            return;
        }
        out.warn(n, "not a line of a routing table");
    }
}
