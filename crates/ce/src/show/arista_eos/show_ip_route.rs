//! Arista EOS `show ip route` (also `vrf all`), after ntc-templates'
//! `arista_eos_show_ip_route`: one record per route with its next hops and
//! interfaces as lists (a multipath route's `via` lines add to them). The
//! record of a route is made when the next route starts or at a blank
//! line. `VRF: X` / `VRF name: X` start a table; the legend is skipped;
//! anything else is a warning.

use crate::fsm::{schema, Out};
use crate::show::rows::dotted_quad as ip;
use crate::show::LineParser;
use crate::text::{is_w, Cur};

schema! {
    vrf: FILLDOWN, protocol, network: REQUIRED, prefix_length, distance, metric, direct,
    next_hop: REQUIRED | LIST, interface: LIST,
}

/// `(connected|IP),\s+(.+)$` at the cursor: the next hop and the interface.
fn hop_interface<'a>(c: &mut Cur<'a>) -> Option<(&'a str, &'a str)> {
    let nh = if c.lit("connected") { Some("connected") } else { ip(c) }?;
    (c.lit(",") && c.ws() && !c.at_end()).then(|| (nh, c.rest()))
}

#[derive(Default)]
pub(crate) struct Parser {
    fsm: Fsm,
    routes: bool,
}

/// `^\s+(\S+\s\S+?|\w?)\s+(IP)/(\d+)`: protocol, network, length, and the
/// cursor after the length.
fn route_head(line: &str) -> Option<(&str, &str, &str, Cur<'_>)> {
    let t = line.trim_start();
    let lead = line.len() - t.len();
    if lead == 0 {
        return None;
    }
    let after = |c: &mut Cur<'_>| -> bool { c.ws() };
    // Alternative 1: two words separated by exactly one whitespace character.
    {
        let mut c = Cur::new(t);
        if let Some(a) = c.word() {
            let r = c.rest();
            if let Some(ch) = r.chars().next().filter(|ch| ch.is_whitespace()) {
                let mut c2 = Cur::new(&r[ch.len_utf8()..]);
                if let Some(b) = c2.word() {
                    let proto_len = a.len() + ch.len_utf8() + b.len();
                    if after(&mut c2) {
                        let mut c3 = c2;
                        if let Some(net) = ip(&mut c3) {
                            if c3.lit("/") {
                                if let Some(len) = c3.digits() {
                                    return Some((&t[..proto_len], net, len, c3));
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    // Alternative 2: one word character, or none.
    let first = t.chars().next()?;
    let cands: &[usize] = if is_w(first) { &[first.len_utf8(), 0] } else { &[0] };
    for &k in cands {
        let (proto, mut c) = if k == 0 {
            // `\w?` empty: `^\s+` gives a whitespace character back.
            if lead < 2 {
                continue;
            }
            ("", Cur::new(&line[line.len() - t.len() - 1..]))
        } else {
            ("", Cur::new(&t[k..]))
        };
        let proto = if k == 0 { proto } else { &t[..k] };
        if c.ws() {
            if let Some(net) = ip(&mut c) {
                if c.lit("/") {
                    if let Some(len) = c.digits() {
                        return Some((proto, net, len, c));
                    }
                }
            }
        }
    }
    None
}

impl LineParser for Parser {
    fn line(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
        // VRF(\s+name)?:\s+(\S+)\s*$
        let vrf_line = || {
            let mut c = Cur::new(line);
            if !c.lit("VRF") {
                return None;
            }
            let save = c;
            if !(c.ws() && c.lit("name")) {
                c = save;
            }
            if c.lit(":") && c.ws() {
                let v = c.word()?;
                return c.eol().then_some(v);
            }
            None
        };
        if !self.routes {
            if let Some(v) = vrf_line() {
                self.fsm.set(F::vrf, v);
                return;
            }
            if line.starts_with("WARNING") || line.starts_with("kernel") || line.starts_with("Codes:") || line.starts_with("! IP routing not enabled") {
                return;
            }
            // ^\s+.+-.+
            if line.starts_with(char::is_whitespace) && line.trim_start().get(1..).is_some_and(|r| r.find('-').is_some_and(|i| i + 2 < r.len() + 1 && !r[i + 1..].is_empty())) {
                return;
            }
            if line.trim().is_empty() {
                self.routes = true;
                return;
            }
            out.warn(n, "not a line of a routing table header");
            return;
        }
        let f = &mut self.fsm;
        if let Some((proto, net, len, c)) = route_head(line) {
            // R1: a new route: the previous one is recorded.
            if c.rest().starts_with(char::is_whitespace) {
                f.record(out.sink);
            }
            let mut c2 = c;
            if c2.ws() {
                // R2: is directly connected, IF
                let mut c = c2;
                if c.lit("is") && c.ws() && c.lit("directly") && c.ws() {
                    if let Some((nh, ifc)) = hop_interface(&mut c) {
                        f.set(F::protocol, proto);
                        f.set(F::network, net);
                        f.set(F::prefix_length, len);
                        f.set(F::direct, "directly");
                        f.set(F::next_hop, nh);
                        f.set(F::interface, ifc);
                        return;
                    }
                }
                // R3: [D/M] or `is directly`, then anything, NEXT_HOP, IF
                let mut c = c2;
                let mut dm = None;
                let mut direct = false;
                let ok = if c.lit("[") {
                    let d = c.digits();
                    let s = c.lit("/");
                    let m = c.digits();
                    match (d, s, m, c.lit("]")) {
                        (Some(d), true, Some(m), true) => {
                            dm = Some((d, m));
                            true
                        }
                        _ => false,
                    }
                } else if c.lit("is") && c.ws() && c.lit("directly") {
                    direct = true;
                    true
                } else {
                    false
                };
                if ok {
                    let r = c.rest();
                    // (?:.+?)(connected|IP),\s+(.+)$ — the first position, after one character at least.
                    for (i, _) in r.char_indices().skip(1) {
                        let mut c3 = Cur::new(&r[i..]);
                        if let Some((nh, ifc)) = hop_interface(&mut c3) {
                            f.set(F::protocol, proto);
                            f.set(F::network, net);
                            f.set(F::prefix_length, len);
                            f.opt(F::distance, dm.map(|x| x.0));
                            f.opt(F::metric, dm.map(|x| x.1));
                            f.opt(F::direct, direct.then_some("directly"));
                            f.set(F::next_hop, nh);
                            f.set(F::interface, ifc);
                            return;
                        }
                    }
                }
            }
        }
        // R4: via NEXT_HOP, IF
        let mut c = Cur::new(line);
        if c.ws() && c.lit("via") && c.ws() {
            if let Some((nh, ifc)) = hop_interface(&mut c) {
                f.set(F::next_hop, nh);
                f.set(F::interface, ifc);
                return;
            }
        }
        if line.trim().is_empty() {
            f.record(out.sink);
            return;
        }
        if let Some(v) = vrf_line() {
            f.set(F::vrf, v);
            self.routes = false;
            return;
        }
        if Cur::new(line).words("Gateway of last") || line.starts_with("! IP routing not enabled") {
            return;
        }
        if route_head(line).is_none() {
            out.warn(n, "not a line of a routing table");
        } else {
            // The new route was recorded; this line itself fits no layout.
            out.warn(n, "a route line that fits no layout");
        }
    }

    fn finish(&mut self, _last: usize, out: &mut Out<'_>) {
        self.fsm.record(out.sink);
    }
}
