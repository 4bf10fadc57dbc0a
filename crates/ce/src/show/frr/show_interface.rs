//! FRR `show interface` (also `vrf all`): one record per `Interface X is
//! up, line protocol is up` block (`Interface X is down` when the interface
//! is administratively down; `… line protocol detection is disabled` when
//! zebra does not track the carrier), with the link flaps, VRF,
//! description, index line (MTU, speed), type and hardware address, the
//! addresses (`  inet A/L [peer …] [secondary] …`, `  inet6 …`) and — on
//! builds that print them — the counters: Linux's `/proc/net/dev` form
//! (`    N input packets (N multicast), N bytes, N dropped`, `    N input
//! errors, N length, N overrun, N CRC, N frame`, `    N output packets, N
//! bytes, N dropped`, `    N output errors, …`, `    N window, N
//! collisions`) or the BSD sysctl form (`    input packets N, bytes N,
//! dropped N, multicast packets N`, `    input errors N`, …).
//!
//! The format is zebra's `if_dump_vty` (FRR 8.x / 9.x); the fixture is a
//! real FRR 8.4 capture. Indented lines zebra prints for other features
//! (EVPN, TE link parameters, PTM, bridge and bond details) are skipped;
//! an unindented line that does not start an interface is a warning.

use super::super::iface_words::name_is;
use crate::fsm::{schema, Out};
use crate::show::LineParser;
use crate::text::{is_digits, Cur};

schema! {
    interface: REQUIRED, link_status, protocol_status, link_ups, last_link_up, link_downs, last_link_down, vrf,
    description, index, mtu, speed, flags, hardware_type, mac_address, ip_address, prefix_length,
    secondary_addresses: LIST, ipv6_addresses: LIST, input_packets, input_bytes, input_drops, input_errors, crc,
    frame, overrun, output_packets, output_bytes, output_drops, output_errors, collisions,
}

#[derive(Default)]
pub(crate) struct Parser {
    fsm: Fsm,
    /// Inside an interface block (its indented lines belong to it).
    open: bool,
}

/// `Interface NAME is up, line protocol is up` / `… is down` / `… is up,
/// line protocol detection is disabled`: (name, link, protocol).
fn head(line: &str) -> Option<(&str, &str, Option<&str>)> {
    let mut c = Cur::new(line);
    if !(c.lit("Interface") && c.ws()) {
        return None;
    }
    let (name, r) = name_is(c.rest())?;
    let r = r.trim_end();
    if r.is_empty() {
        return None;
    }
    match r.split_once(", line protocol ") {
        Some((link, proto)) if !link.is_empty() => {
            let proto = proto.strip_prefix("is ").unwrap_or(proto).trim();
            Some((name, link, (!proto.is_empty()).then_some(proto)))
        }
        _ => Some((name, r, None)),
    }
}

/// The numbers of a counter line against its words: `#` a number, any
/// other a literal (commas are part of the words, as zebra prints them).
fn counters<'a, const N: usize>(t: &'a str, pat: &[&str]) -> Option<[&'a str; N]> {
    let mut out = [""; N];
    let mut k = 0;
    let mut it = t.split_whitespace();
    for p in pat {
        let w = it.next()?;
        if *p == "#" {
            let d = w.strip_suffix(',').unwrap_or(w);
            if !is_digits(d) {
                return None;
            }
            *out.get_mut(k)? = d;
            k += 1;
        } else if *p != w {
            return None;
        }
    }
    it.next().is_none().then_some(out)
}

/// The counter lines after the first (`/proc/net/dev` form, Linux) and
/// of the sysctl form (BSD): the words, `#` a number, and the field each
/// number sets (`None` for one the template does not keep).
const COUNTERS: &[(&[&str], &[Option<F>])] = &[
    (&["#", "input", "errors,", "#", "length,", "#", "overrun,", "#", "CRC,", "#", "frame"], &[Some(F::input_errors), None, Some(F::overrun), Some(F::crc), Some(F::frame)]),
    (&["#", "fifo,", "#", "missed"], &[]),
    (&["#", "output", "packets,", "#", "bytes,", "#", "dropped"], &[Some(F::output_packets), Some(F::output_bytes), Some(F::output_drops)]),
    (&["#", "output", "errors,", "#", "aborted,", "#", "carrier,", "#", "fifo,", "#", "heartbeat"], &[Some(F::output_errors)]),
    (&["#", "window,", "#", "collisions"], &[None, Some(F::collisions)]),
    (&["input", "packets", "#", "bytes", "#", "dropped", "#", "multicast", "packets", "#"], &[Some(F::input_packets), Some(F::input_bytes), Some(F::input_drops)]),
    (&["input", "errors", "#"], &[Some(F::input_errors)]),
    (&["output", "packets", "#", "bytes", "#", "multicast", "packets", "#"], &[Some(F::output_packets), Some(F::output_bytes)]),
    (&["output", "errors", "#"], &[Some(F::output_errors)]),
    (&["collisions", "#"], &[Some(F::collisions)]),
];

impl Parser {
    fn body(&mut self, t: &str) -> bool {
        let f = &mut self.fsm;
        let w: Vec<&str> = t.split_whitespace().collect();
        match w.as_slice() {
            ["Link", "ups:", n, "last:", last @ ..] if is_digits(n) => {
                f.set(F::link_ups, n);
                f.set(F::last_link_up, &last.join(" "));
            }
            ["Link", "downs:", n, "last:", last @ ..] if is_digits(n) => {
                f.set(F::link_downs, n);
                f.set(F::last_link_down, &last.join(" "));
            }
            ["vrf:", v] => f.set(F::vrf, v),
            ["Description:", ..] => f.set(F::description, t["Description:".len()..].trim()),
            ["index", i, "metric", _, "mtu", mtu, "speed", s, ..] if is_digits(i) && is_digits(mtu) => {
                f.set(F::index, i);
                f.set(F::mtu, mtu);
                // `speed 10000 txqlen 1000mtu6 1280`: the digits.
                let s = &s[..s.bytes().take_while(u8::is_ascii_digit).count()];
                f.opt(F::speed, (!s.is_empty()).then_some(s));
            }
            ["index", i, "inactive", "interface"] if is_digits(i) => f.set(F::index, i),
            ["flags:", ..] => f.set(F::flags, t["flags:".len()..].trim()),
            ["Type:", ..] => f.set(F::hardware_type, t["Type:".len()..].trim()),
            ["HWaddr:", mac] => f.set(F::mac_address, mac),
            ["inet", addr, rest @ ..] => {
                let Some((ip, len)) = addr.split_once('/') else { return false };
                if rest.contains(&"secondary") || !f.value(F::ip_address).is_empty() {
                    f.set(F::secondary_addresses, addr);
                } else {
                    f.set(F::ip_address, ip);
                    f.set(F::prefix_length, len);
                }
            }
            ["inet6", addr, ..] if addr.contains('/') => f.set(F::ipv6_addresses, addr),
            _ => return self.counters(t),
        }
        true
    }

    fn counters(&mut self, t: &str) -> bool {
        let f = &mut self.fsm;
        // /proc/net/dev form (Linux).
        // `N input packets (N multicast), N bytes, N dropped`
        let w: Vec<&str> = t.split_whitespace().collect();
        if let [p, "input", "packets", m, "multicast),", b, "bytes,", d, "dropped"] = w.as_slice() {
            let m = m.strip_prefix('(').unwrap_or("");
            if is_digits(p) && is_digits(m) && is_digits(b) && is_digits(d) {
                f.set(F::input_packets, p);
                f.set(F::input_bytes, b);
                f.set(F::input_drops, d);
                return true;
            }
        }
        for (pat, fields) in COUNTERS {
            if let Some(caps) = counters::<5>(t, pat) {
                for (field, v) in fields.iter().zip(caps) {
                    if let Some(field) = field {
                        f.set(*field, v);
                    }
                }
                return true;
            }
        }
        false
    }
}

impl LineParser for Parser {
    fn line(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
        let t = line.trim();
        if t.is_empty() {
            return;
        }
        if !line.starts_with(char::is_whitespace) {
            if let Some((name, link, proto)) = head(line) {
                self.fsm.record(out.sink);
                let f = &mut self.fsm;
                f.set(F::interface, name);
                f.set(F::link_status, link);
                f.opt(F::protocol_status, proto);
                self.open = true;
                return;
            }
            // `show interface vrf all` may name the VRF before its
            // interfaces.
            if t.starts_with("VRF ") {
                return;
            }
            out.warn(n, "not a line of FRR `show interface`");
            return;
        }
        if !self.open {
            out.warn(n, "a line of FRR `show interface` outside an interface");
            return;
        }
        // Other lines of the block (PTM, EVPN, TE parameters, bridge, bond,
        // `Interface Type`, `protodown`, `Parent interface`, neighbours) are
        // zebra's own detail.
        let _ = self.body(t);
    }

    fn finish(&mut self, _last: usize, out: &mut Out<'_>) {
        self.fsm.record(out.sink);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads() {
        assert_eq!(head("Interface eth0 is up, line protocol is up"), Some(("eth0", "up", Some("up"))));
        assert_eq!(head("Interface veth3 is down"), Some(("veth3", "down", None)));
        assert_eq!(head("Interface eth0 is up, line protocol detection is disabled"), Some(("eth0", "up", Some("detection is disabled"))));
        assert_eq!(head("Interface eth0 is"), None);
        assert_eq!(head("Interfaces eth0 is up"), None);
    }

    #[test]
    fn counter_words() {
        assert_eq!(counters::<2>("0 window, 3 collisions", &["#", "window,", "#", "collisions"]), Some(["0", "3"]));
        assert_eq!(counters::<1>("input errors 7", &["input", "errors", "#"]), Some(["7"]));
        assert_eq!(counters::<1>("input errors x", &["input", "errors", "#"]), None);
        assert_eq!(counters::<1>("input errors 7 8", &["input", "errors", "#"]), None);
    }
}
