//! FRR `show ip route` (also `vrf all`): one record per next hop, with the
//! route's code (`B`, `O`, `K`, `C`, `S`, `L`), whether it is selected (`>`)
//! and in the FIB (`*`), prefix, `[distance/metric]`, next hop, interface
//! and age. The extra next hops of a multipath route (`  *  via …`) take
//! the route from the line above; `VRF X:` starts a VRF's table.

use crate::fsm::{schema, Out};
use crate::show::Rules;

schema! {
    vrf: FILLDOWN, protocol: FILLDOWN, selected: FILLDOWN, fib, network: FILLDOWN, prefix_length: FILLDOWN,
    distance: FILLDOWN, metric: FILLDOWN, nexthop_ip, nexthop_if, uptime, flags,
}

/// The parser: the template's record alone ([`Rules`]).
pub(crate) type Parser = Fsm;

/// The part after the prefix: `[20/0] via 10.0.0.2, eth1, weight 1, 00:05:00`
/// or `is directly connected, eth1, 00:10:02`.
fn via(f: &mut Fsm, r: &str) -> bool {
    let mut r = r.trim();
    if let Some(rest) = r.strip_prefix('[') {
        let Some((dm, rest)) = rest.split_once(']') else { return false };
        let Some((d, m)) = dm.split_once('/') else { return false };
        f.set(F::distance, d);
        f.set(F::metric, m);
        r = rest.trim();
    }
    let parts: Vec<&str> = r.split(',').map(str::trim).collect();
    let first = parts[0];
    let (ip, flags) = if let Some(x) = first.strip_prefix("via ") {
        let mut w = x.split_whitespace();
        (w.next(), w.collect::<Vec<_>>().join(" "))
    } else if first.starts_with("is directly connected") {
        (None, String::new())
    } else if first.starts_with("unreachable") || first.starts_with("blackhole") || first.starts_with("Null0") {
        (None, first.to_string())
    } else {
        return false;
    };
    f.opt(F::nexthop_ip, ip);
    let mut ifc = None;
    let mut up = None;
    let mut fl = flags;
    for p in &parts[1..] {
        if p.starts_with("weight ") || p.starts_with("label ") || p.starts_with("src ") {
            continue;
        }
        if p.contains(':') && p.bytes().next().is_some_and(|b| b.is_ascii_digit()) || p.chars().any(|c| c.is_ascii_digit()) && (p.ends_with('d') || p.ends_with('h') || p.ends_with('w') || p.ends_with('m')) && p.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            up = Some(*p);
        } else if ifc.is_none() && !p.is_empty() {
            ifc = Some(*p);
        } else if !p.is_empty() {
            if !fl.is_empty() {
                fl.push(' ');
            }
            fl.push_str(p);
        }
    }
    f.opt(F::nexthop_if, ifc);
    f.opt(F::uptime, up);
    f.opt(F::flags, (!fl.is_empty()).then_some(fl.as_str()));
    true
}

impl Rules for F {
    const EOF: bool = false;

    fn line(f: &mut Fsm, n: usize, line: &str, out: &mut Out<'_>) {
        let t = line.trim_end();
        if t.trim().is_empty() {
            return;
        }
        if let Some(v) = t.strip_prefix("VRF ").and_then(|v| v.strip_suffix(':')) {
            f.set(F::vrf, v.trim());
            return;
        }
        if t.starts_with("Codes:") || (line.starts_with(char::is_whitespace) && t.contains(" - ") && !t.contains("via")) {
            return;
        }
        // A route: code letters and flags, the prefix, the rest.
        if !line.starts_with(char::is_whitespace) {
            let mut w = t.splitn(2, char::is_whitespace);
            let head = w.next().unwrap_or("");
            let rest = w.next().unwrap_or("").trim_start();
            let proto: String = head.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
            let marks = &head[proto.len()..];
            if !proto.is_empty() && marks.chars().all(|c| matches!(c, '>' | '*' | 'q' | 'r' | 'b' | 't' | 'o' | '=')) {
                let (prefix, after) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
                if let Some((net, len)) = prefix.split_once('/') {
                    f.set(F::protocol, &proto);
                    f.set(F::selected, if marks.contains('>') { ">" } else { "" });
                    f.set(F::fib, if marks.contains('*') { "*" } else { "" });
                    f.set(F::network, net);
                    f.set(F::prefix_length, len);
                    f.unset(F::distance);
                    f.unset(F::metric);
                    if via(f, after) {
                        f.record(out.sink);
                        return;
                    }
                }
            }
        } else {
            // A further next hop: `  *                    via 10.0.0.3, eth1, …`
            let tt = t.trim_start();
            let (fib, rest) = match tt.strip_prefix('*') {
                Some(r) => ("*", r.trim_start()),
                None => ("", tt),
            };
            if rest.starts_with("via ") || rest.starts_with("is directly connected") {
                f.set(F::fib, fib);
                if via(f, rest) {
                    f.record(out.sink);
                    return;
                }
            }
        }
        out.warn(n, "not a line of a routing table");
    }
}
