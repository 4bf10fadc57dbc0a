//! Cisco IOS-XR `show route` (ntc-templates' `show ip route`; also `show
//! route vrf all`, `show route ipv4`, and a single `Routing entry for …`),
//! after `cisco_xr_show_ip_route`: one record per next hop, `VRF: X` naming
//! the VRF, multipath continuation lines taking the route from above. The
//! legend, the time stamp and the `%` messages are skipped; anything else
//! is a warning.

use crate::fsm::{schema, Out};
use crate::show::rows::{dotted_quad as ip, ws1};
use crate::show::LineParser;
use crate::text::{is_dotted4, Cur};

use super::show_arp::is_timestamp;

schema! {
    vrf: FILLDOWN, protocol: FILLDOWN, network: FILLDOWN, prefix_length: FILLDOWN, distance, metric,
    Type = "type", next_hop: REQUIRED, interface, uptime,
}

#[derive(Default)]
pub(crate) struct Parser {
    fsm: Fsm,
    entry: bool,
}

/// `[distance/metric]` (none for `is directly`), the type, the next hop.
type Via<'a> = (Option<(&'a str, &'a str)>, &'a str, &'a str);

/// `(?:\[D/M\]|is)\s+(directly|via)\s+(connected|IP)`
fn via_part<'a>(c: &mut Cur<'a>) -> Option<Via<'a>> {
    let dm = if c.lit("[") {
        let d = c.digits()?;
        c.lit("/").then_some(())?;
        let m = c.digits()?;
        c.lit("]").then_some(())?;
        Some((d, m))
    } else if c.lit("is") {
        None
    } else {
        return None;
    };
    if !c.ws() {
        return None;
    }
    let ty = if c.lit("directly") {
        "directly"
    } else if c.lit("via") {
        "via"
    } else {
        return None;
    };
    if !c.ws() {
        return None;
    }
    let nh = if c.lit("connected") { "connected" } else { ip(c)? };
    Some((dm, ty, nh))
}

/// `,\s+(\S+)` where the word ends before a `,` that the rule needs next
/// (`need_comma`), or anywhere.
fn comma_word<'a>(c: &mut Cur<'a>, need_comma: bool) -> Option<&'a str> {
    let save = *c;
    if !(c.lit(",") && c.ws()) {
        *c = save;
        return None;
    }
    let r = c.rest();
    let run = &r[..r.find(char::is_whitespace).unwrap_or(r.len())];
    let w = if need_comma {
        // Backtrack to the last comma inside the run.
        let k = run.rfind(',')?;
        if k == 0 {
            *c = save;
            return None;
        }
        &run[..k]
    } else {
        if run.is_empty() {
            *c = save;
            return None;
        }
        run
    };
    *c = Cur::new(&r[w.len()..]);
    Some(w)
}

impl Parser {
    fn set(&mut self, dm: Option<(&str, &str)>, ty: &str, nh: &str, up: &str, ifc: Option<&str>, out: &mut Out<'_>) {
        let f = &mut self.fsm;
        f.opt(F::distance, dm.map(|x| x.0));
        f.opt(F::metric, dm.map(|x| x.1));
        f.set(F::Type, ty);
        f.set(F::next_hop, nh);
        f.set(F::uptime, up);
        if let Some(i) = ifc {
            f.set(F::interface, i);
        }
        f.record(out.sink);
    }

    /// The rest of a route after `(?:[D/M]|is)`: the three layouts.
    fn route_rest(&mut self, mut c: Cur<'_>, out: &mut Out<'_>, head: Option<(&str, &str, &str)>) -> bool {
        let Some((dm, ty, nh)) = via_part(&mut c) else { return false };
        let set_head = |f: &mut Fsm| {
            if let Some((p, net, len)) = head {
                f.set(F::protocol, p);
                f.set(F::network, net);
                f.set(F::prefix_length, len);
            }
        };
        // X5/X6: , UPTIME, INTERFACE
        let mut c5 = c;
        if let Some(up) = comma_word(&mut c5, true) {
            if let Some(ifc) = comma_word(&mut c5, false) {
                set_head(&mut self.fsm);
                self.set(dm, ty, nh, up, Some(ifc), out);
                return true;
            }
        }
        // X7/X9: , UPTIME
        let mut c7 = c;
        if let Some(up) = comma_word(&mut c7, false) {
            set_head(&mut self.fsm);
            self.set(dm, ty, nh, up, None, out);
            return true;
        }
        // X8: \s+\(nexthop\sin\sINTERFACE\),\s+UPTIME
        if head.is_some() {
            let mut c8 = c;
            if c8.ws() && c8.lit("(nexthop") && ws1(&mut c8) && c8.lit("in") && ws1(&mut c8) {
                let r = c8.rest();
                // (\S+|vrf\s\S+) then `\),`
                let cand: Vec<usize> = r.match_indices("),").map(|(i, _)| i).collect();
                for i in cand {
                    let ifc = &r[..i];
                    let ok = (!ifc.is_empty() && !ifc.contains(char::is_whitespace)) || ifc.strip_prefix("vrf").is_some_and(|v| v.len() > 1 && v.starts_with(char::is_whitespace) && !v[1..].is_empty() && !v[1..].contains(char::is_whitespace) && v.chars().next().map(char::len_utf8) == Some(1));
                    if ok {
                        let mut cu = Cur::new(&r[i + 2..]);
                        if cu.ws() {
                            if let Some(up) = cu.word() {
                                set_head(&mut self.fsm);
                                self.set(dm, ty, nh, up, Some(ifc), out);
                                return true;
                            }
                        }
                    }
                }
            }
        }
        false
    }
}

impl LineParser for Parser {
    fn line(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
        if self.entry {
            self.entry_line(n, line, out);
            return;
        }
        let indented = line.starts_with(char::is_whitespace);
        // X1: ^VRF?:\s(\S+)
        if let Some(r) = line.strip_prefix("VRF:").or_else(|| line.strip_prefix("VR:")) {
            let mut c = Cur::new(r);
            if ws1(&mut c) {
                if let Some(v) = c.word() {
                    self.fsm.set(F::vrf, v);
                    return;
                }
            }
        }
        if line.starts_with("Codes:") || line.starts_with("Gateway") && Cur::new(line).words("Gateway of last resort") {
            return;
        }
        if indented {
            // X3: a legend line.
            let mut c = Cur::new(line);
            c.ws();
            if c.word().is_some() && c.ws() && c.lit("-") && c.ws() && !c.at_end() {
                return;
            }
            // X6/X9
            let mut c = Cur::new(line);
            c.ws();
            if self.route_rest(c, out, None) {
                return;
            }
        } else {
            // X5/X7/X8: PROTOCOL NETWORK/LEN ...
            // PROTOCOL is one word, or two when the second is not the network.
            for two in [false, true] {
                let mut c = Cur::new(line);
                let Some(p1) = c.word() else { break };
                let proto_end = if two {
                    if !ws1(&mut c) || c.word().is_none() {
                        break;
                    }
                    line.len() - c.rest().len()
                } else {
                    p1.len()
                };
                let proto = &line[..proto_end];
                if !c.ws() {
                    continue;
                }
                let Some(net) = ip(&mut c) else { continue };
                if !c.lit("/") {
                    continue;
                }
                let Some(len) = c.digits() else { continue };
                if !c.ws() {
                    continue;
                }
                if self.route_rest(c, out, Some((proto, net, len))) {
                    return;
                }
            }
        }
        let t = line.trim();
        if t.is_empty() || is_timestamp_prefix(line) || t.starts_with("% No matching routes found") || t.starts_with("% Network not in table") {
            return;
        }
        // X14: Routing entry for NET/LEN
        let mut c = Cur::new(line);
        c.ws0();
        if c.words("Routing entry for") && c.ws() {
            if let Some(net) = ip(&mut c) {
                if c.lit("/") {
                    if let Some(len) = c.digits() {
                        self.fsm.set(F::network, net);
                        self.fsm.set(F::prefix_length, len);
                        self.entry = true;
                        return;
                    }
                }
            }
        }
        if indented {
            let mut c = Cur::new(line);
            c.ws();
            if c.words("Route metric is") && c.ws() && c.digits().is_some() {
                return;
            }
            let mut c = Cur::new(line);
            c.ws();
            if let Some(w) = c.word() {
                if w.ends_with(',') && c.ws() && c.lit("from") && c.ws() && c.word().is_some_and(|x| x.ends_with(',')) && c.ws() && c.lit("via") && c.ws() && c.word().is_some() {
                    return;
                }
            }
            if Cur::new(line.trim_start()).words("No advertising protos") {
                return;
            }
        }
        out.warn(n, "not a line of a routing table");
    }

    fn finish(&mut self, _last: usize, out: &mut Out<'_>) {
        self.fsm.record(out.sink);
    }
}

/// `^\S+\s+\S+\s+\d+\s+\d+:\d+:\d+` (a time stamp, unanchored).
fn is_timestamp_prefix(line: &str) -> bool {
    if is_timestamp(line) {
        return true;
    }
    let mut c = Cur::new(line);
    c.word().is_some() && c.ws() && c.word().is_some() && c.ws() && c.digits().is_some() && c.ws() && c.digits().is_some() && c.lit(":") && c.digits().is_some() && c.lit(":") && c.digits().is_some()
}

impl Parser {
    fn entry_line(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
        let t = line.trim_start();
        let indented = t.len() < line.len();
        if indented {
            let mut c = Cur::new(t);
            // E1: Known via "PROTO", distance D, metric M, candidate default path
            if c.words("Known via") && c.ws() && c.lit("\"") {
                if let Some(q) = c.rest().find('"') {
                    let proto = &c.rest()[..q];
                    let mut c2 = Cur::new(&c.rest()[q + 1..]);
                    if !proto.contains(char::is_whitespace) && !proto.is_empty() && c2.lit(",") && c2.ws() && c2.lit("distance") && c2.ws() {
                        if let Some(d) = c2.digits() {
                            if c2.lit(",") && c2.ws() && c2.lit("metric") && c2.ws() {
                                if let Some(m) = c2.digits() {
                                    if c2.lit(",") && c2.ws() && c2.words("candidate default path") {
                                        self.fsm.set(F::protocol, proto);
                                        self.fsm.set(F::distance, d);
                                        self.fsm.set(F::metric, m);
                                        return;
                                    }
                                }
                            }
                        }
                    }
                }
            }
            let mut c = Cur::new(t);
            if c.lit("Tag") && c.ws() && c.digits().is_some() && c.lit(",") && c.ws() && c.words("type extern") {
                return;
            }
            // E3: Installed \S+ \S+ \S+ for UPTIME
            let mut c = Cur::new(t);
            if c.lit("Installed") && ws1(&mut c) && c.word().is_some() && c.ws() && c.word().is_some() && c.ws() && c.word().is_some() && c.ws() && c.lit("for") && c.ws() {
                if let Some(up) = c.word() {
                    self.fsm.set(F::uptime, up);
                    return;
                }
            }
            if Cur::new(t).words("Routing Descriptor Blocks") {
                return;
            }
            // E5: NEXT_HOP, from \S+, TYPE INTERFACE
            let mut c = Cur::new(t);
            let nh = if c.lit("connected") { Some("connected") } else { ip(&mut c) };
            if let Some(nh) = nh {
                let mut c5 = c;
                if c5.lit(",") && c5.ws() && c5.lit("from") && c5.ws() {
                    let r = c5.rest();
                    let run = &r[..r.find(char::is_whitespace).unwrap_or(r.len())];
                    if let Some(k) = run.rfind(',').filter(|k| *k > 0) {
                        let mut c6 = Cur::new(&r[k + 1..]);
                        if c6.ws() {
                            let ty = if c6.lit("directly") { Some("directly") } else if c6.lit("via") { Some("via") } else { None };
                            if let Some(ty) = ty {
                                if c6.ws() {
                                    let ifc = c6.word();
                                    if let Some(ifc) = ifc {
                                        self.fsm.set(F::next_hop, nh);
                                        self.fsm.set(F::Type, ty);
                                        self.fsm.set(F::interface, ifc);
                                        self.fsm.record(out.sink);
                                        self.entry = false;
                                        return;
                                    }
                                }
                            }
                        }
                    }
                }
                // E6: NEXT_HOP alone.
                if c.at_end() && is_dotted4(nh, 0) || nh == "connected" && c.at_end() {
                    self.fsm.set(F::next_hop, nh);
                    self.fsm.record(out.sink);
                    self.entry = false;
                    return;
                }
            }
        }
        out.warn(n, "not a line of a routing entry");
    }
}
