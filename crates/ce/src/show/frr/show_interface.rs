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

use crate::fsm::{schema, Fsm, Out};
use crate::show::LineParser;
use crate::text::{is_digits, Cur};

schema! {
    Interface = "interface": REQUIRED,
    LinkStatus = "link_status",
    ProtocolStatus = "protocol_status",
    LinkUps = "link_ups",
    LastLinkUp = "last_link_up",
    LinkDowns = "link_downs",
    LastLinkDown = "last_link_down",
    Vrf = "vrf",
    Description = "description",
    Index = "index",
    Mtu = "mtu",
    Speed = "speed",
    Flags = "flags",
    HardwareType = "hardware_type",
    MacAddress = "mac_address",
    IpAddress = "ip_address",
    PrefixLength = "prefix_length",
    SecondaryAddresses = "secondary_addresses": LIST,
    Ipv6Addresses = "ipv6_addresses": LIST,
    InputPackets = "input_packets",
    InputBytes = "input_bytes",
    InputDrops = "input_drops",
    InputErrors = "input_errors",
    Crc = "crc",
    Frame = "frame",
    Overrun = "overrun",
    OutputPackets = "output_packets",
    OutputBytes = "output_bytes",
    OutputDrops = "output_drops",
    OutputErrors = "output_errors",
    Collisions = "collisions",
}

pub(crate) struct Parser {
    fsm: Fsm,
    /// Inside an interface block (its indented lines belong to it).
    open: bool,
}

impl Default for Parser {
    fn default() -> Self {
        Parser { fsm: Fsm::new(SCHEMA), open: false }
    }
}

/// `Interface NAME is up, line protocol is up` / `… is down` / `… is up,
/// line protocol detection is disabled`: (name, link, protocol).
fn head(line: &str) -> Option<(&str, &str, Option<&str>)> {
    let mut c = Cur::new(line);
    if !(c.lit("Interface") && c.ws()) {
        return None;
    }
    let name = c.word()?;
    if !(c.ws() && c.lit("is") && c.ws()) {
        return None;
    }
    let r = c.rest().trim_end();
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

impl Parser {
    fn body(&mut self, t: &str) -> bool {
        let f = &mut self.fsm;
        let w: Vec<&str> = t.split_whitespace().collect();
        match w.as_slice() {
            ["Link", "ups:", n, "last:", last @ ..] if is_digits(n) => {
                f.set(F::LinkUps, n);
                f.set(F::LastLinkUp, &last.join(" "));
            }
            ["Link", "downs:", n, "last:", last @ ..] if is_digits(n) => {
                f.set(F::LinkDowns, n);
                f.set(F::LastLinkDown, &last.join(" "));
            }
            ["vrf:", v] => f.set(F::Vrf, v),
            ["Description:", ..] => f.set(F::Description, t["Description:".len()..].trim()),
            ["index", i, "metric", _, "mtu", mtu, "speed", s, ..] if is_digits(i) && is_digits(mtu) => {
                f.set(F::Index, i);
                f.set(F::Mtu, mtu);
                // `speed 10000 txqlen 1000mtu6 1280`: the digits.
                let s = &s[..s.bytes().take_while(u8::is_ascii_digit).count()];
                f.opt(F::Speed, (!s.is_empty()).then_some(s));
            }
            ["index", i, "inactive", "interface"] if is_digits(i) => f.set(F::Index, i),
            ["flags:", ..] => f.set(F::Flags, t["flags:".len()..].trim()),
            ["Type:", ..] => f.set(F::HardwareType, t["Type:".len()..].trim()),
            ["HWaddr:", mac] => f.set(F::MacAddress, mac),
            ["inet", addr, rest @ ..] => {
                let Some((ip, len)) = addr.split_once('/') else { return false };
                if rest.contains(&"secondary") || !f.value(F::IpAddress).is_empty() {
                    f.set(F::SecondaryAddresses, addr);
                } else {
                    f.set(F::IpAddress, ip);
                    f.set(F::PrefixLength, len);
                }
            }
            ["inet6", addr, ..] if addr.contains('/') => f.set(F::Ipv6Addresses, addr),
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
                f.set(F::InputPackets, p);
                f.set(F::InputBytes, b);
                f.set(F::InputDrops, d);
                return true;
            }
        }
        if let Some([e, _l, o, crc, fr]) = counters::<5>(t, &["#", "input", "errors,", "#", "length,", "#", "overrun,", "#", "CRC,", "#", "frame"]) {
            f.set(F::InputErrors, e);
            f.set(F::Overrun, o);
            f.set(F::Crc, crc);
            f.set(F::Frame, fr);
            return true;
        }
        if counters::<2>(t, &["#", "fifo,", "#", "missed"]).is_some() {
            return true;
        }
        if let Some([p, b, d]) = counters::<3>(t, &["#", "output", "packets,", "#", "bytes,", "#", "dropped"]) {
            f.set(F::OutputPackets, p);
            f.set(F::OutputBytes, b);
            f.set(F::OutputDrops, d);
            return true;
        }
        if let Some([e, ..]) = counters::<5>(t, &["#", "output", "errors,", "#", "aborted,", "#", "carrier,", "#", "fifo,", "#", "heartbeat"]) {
            f.set(F::OutputErrors, e);
            return true;
        }
        if let Some([_w, c]) = counters::<2>(t, &["#", "window,", "#", "collisions"]) {
            f.set(F::Collisions, c);
            return true;
        }
        // sysctl form (BSD).
        if let Some([p, b, d, _m]) = counters::<4>(t, &["input", "packets", "#", "bytes", "#", "dropped", "#", "multicast", "packets", "#"]) {
            f.set(F::InputPackets, p);
            f.set(F::InputBytes, b);
            f.set(F::InputDrops, d);
            return true;
        }
        if let Some([e]) = counters::<1>(t, &["input", "errors", "#"]) {
            f.set(F::InputErrors, e);
            return true;
        }
        if let Some([p, b, _m]) = counters::<3>(t, &["output", "packets", "#", "bytes", "#", "multicast", "packets", "#"]) {
            f.set(F::OutputPackets, p);
            f.set(F::OutputBytes, b);
            return true;
        }
        if let Some([e]) = counters::<1>(t, &["output", "errors", "#"]) {
            f.set(F::OutputErrors, e);
            return true;
        }
        if let Some([c]) = counters::<1>(t, &["collisions", "#"]) {
            f.set(F::Collisions, c);
            return true;
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
                f.set(F::Interface, name);
                f.set(F::LinkStatus, link);
                f.opt(F::ProtocolStatus, proto);
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
