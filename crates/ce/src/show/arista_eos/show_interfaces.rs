//! Arista EOS `show interfaces`, after ntc-templates'
//! `arista_eos_show_interfaces`: one record per interface (`Ethernet1 is
//! up, line protocol is up (connected)`), with hardware and addresses,
//! description, address, MTU and bandwidth, the last flap and the link
//! status changes. The lines the template knows and skips are skipped;
//! anything else is a warning (the template's `Error`).
//!
//! The template captures no counter: the packet and error counters
//! (`N packets input, N bytes`, `N input errors, N CRC, …`, `N packets
//! output, …`, `N output errors, …`) are kept in hidden fields for the
//! typed model.

use super::super::iface_words::{mac_like, name_is};
use crate::fsm::{schema, Out};
use crate::show::rows::label;
use crate::show::LineParser;
use crate::text::{is_digits, is_w, Cur};

schema! {
    interface: REQUIRED, link_status, protocol_status, hardware_type, mac_address, bia, description, ip_address,
    mtu, bandwidth, last_link_flapped, link_status_change,
    // erdiag's: the counters.
    _input_packets: HIDDEN, _output_packets: HIDDEN, _input_errors: HIDDEN, _crc: HIDDEN, _output_errors: HIDDEN,
}

#[derive(Default)]
pub(crate) struct Parser {
    fsm: Fsm,
}

/// `^\S+\s+is\s+\S+(\s+\S+)?,`
fn starts_record(line: &str) -> bool {
    let mut c = Cur::new(line);
    if c.word().is_none() || !(c.ws() && c.lit("is") && c.ws()) {
        return false;
    }
    let mut w = c.rest().split_whitespace();
    let comma_in = |t: Option<&str>| t.is_some_and(|t| t.char_indices().any(|(i, ch)| i > 0 && ch == ','));
    // The first word must follow `is\s+` directly (the `\s+` took every blank).
    comma_in(w.next()) || comma_in(w.next())
}

/// `^(\S+)\s+is\s+(.*),\s+line\s+protocol\s+is\s+(.*)`, greedy: the last
/// `, line protocol is`.
fn head(line: &str) -> Option<(&str, &str, &str)> {
    let (name, r) = name_is(line)?;
    let commas: Vec<usize> = r.match_indices(',').map(|(i, _)| i).collect();
    for &i in commas.iter().rev() {
        let mut k = Cur::new(&r[i + 1..]);
        if k.ws() && k.lit("line") && k.ws() && k.lit("protocol") && k.ws() && k.lit("is") && k.ws() {
            return Some((name, &r[..i], k.rest()));
        }
    }
    None
}

/// `(.*X\s+)` searched greedily after `from`: the starts of what follows
/// each `X\s+`, last first.
fn after_each<'a>(s: &'a str, x: &str) -> Vec<&'a str> {
    let mut v: Vec<&str> = s
        .match_indices(x)
        .filter_map(|(i, _)| {
            let mut k = Cur::new(&s[i + x.len()..]);
            k.ws().then(|| k.rest())
        })
        .collect();
    v.reverse();
    v
}

/// `^\s+\S+(-|\s)duplex,`
fn duplex_line(line: &str) -> bool {
    let t = line.trim_start();
    if t.len() == line.len() {
        return false;
    }
    let tok_end = t.find(char::is_whitespace).unwrap_or(t.len());
    let tok = &t[..tok_end];
    if tok.match_indices("-duplex,").any(|(i, _)| i > 0) {
        return true;
    }
    let rest = &t[tok_end..];
    let mut ch = rest.chars();
    ch.next().is_some_and(char::is_whitespace) && ch.as_str().starts_with("duplex,")
}

/// `^\s+...\s+\S+\s+,`
fn members_line(line: &str) -> bool {
    // Where `\s+` may end: after 1, 2, … of the leading blanks.
    let ends: Vec<usize> = line.char_indices().take_while(|(_, c)| c.is_whitespace()).map(|(i, c)| i + c.len_utf8()).collect();
    ends.into_iter().any(|start| {
        let mut it = line[start..].chars();
        if (0..3).any(|_| it.next().is_none()) {
            return false;
        }
        let mut c = Cur::new(it.as_str());
        c.ws() && c.word().is_some() && c.ws() && c.lit(",")
    })
}

/// `^\s+\[(\d+(,\s+)?)+\]`
fn vlan_list(t: &str) -> bool {
    let Some(mut s) = t.strip_prefix('[') else { return false };
    if !s.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    loop {
        s = s.trim_start_matches(|c: char| c.is_ascii_digit());
        if let Some(r) = s.strip_prefix(',') {
            let r2 = r.trim_start();
            if r2.len() < r.len() {
                s = r2;
            }
        }
        if s.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        return s.starts_with(']');
    }
}

/// The lines the template matches and drops.
fn skipped(line: &str) -> bool {
    let t = line.trim_start();
    if t.len() == line.len() {
        return false;
    }
    let w: Vec<&str> = t.split_whitespace().collect();
    let starts = |k: &str| Cur::new(t).words(k);
    let prefixes = [
        "Broadcast address",
        "Address determined",
        "Last clearing",
        "Active members",
        "Fallback mode",
        "IPv6 link-local",
        "No Internet protocol address assigned",
        "Source interface is",
        "Listening on",
        "Replication/Flood Mode",
        "Remote MAC learning",
        "VNI mapping",
        "Note:",
        "Static VRF",
        "Static VLAN",
        "Headend replication",
        "MLAG Shared Router MAC",
    ];
    if prefixes.iter().any(|k| starts(k)) || duplex_line(line) || members_line(line) || vlan_list(t) {
        return true;
    }
    if label(t, "Member of").is_some() {
        return true;
    }
    let mut c = Cur::new(t);
    if c.words("Loopback Mode") && {
        c.ws0();
        c.lit(":")
    } {
        return true;
    }
    let mut c = Cur::new(t);
    if c.lit("Use") && c.ws() && c.lit("'show") && c.rest().contains('\'') {
        return true;
    }
    // `^\s+.+IPv6\s+global\s+unicast`: from the third character on.
    if let Some((from, _)) = line.char_indices().nth(2) {
        if line[from..].match_indices("IPv6").any(|(j, _)| Cur::new(&line[from + j..]).words("IPv6 global unicast")) {
            return true;
        }
    }
    // `^\s+[\dA-Fa-f:]+,\s+subnet\s+is`
    if let Some(i) = t.find(',') {
        let mut c = Cur::new(&t[i + 1..]);
        if i > 0 && t[..i].chars().all(|ch| ch.is_ascii_hexdigit() || ch == ':') && c.ws() && c.words("subnet is") {
            return true;
        }
    }
    match w.as_slice() {
        // `^\s+(Sent|Received)\s+\d+\s+broadcasts,`
        ["Sent" | "Received", n, "broadcasts,", ..] if is_digits(n) => return true,
        // `^\s+\d+\s+\S+\s+\S+` covers every counter line.
        [n, _, _, ..] if is_digits(n) => return true,
        _ => {}
    }
    false
}

impl Parser {
    /// Counter lines (all of them skipped by the template): the hidden fields.
    fn counters(&mut self, t: &str) {
        let f = &mut self.fsm;
        let w: Vec<&str> = t.split_whitespace().collect();
        match w.as_slice() {
            [p, "packets", "input,", _, "bytes", ..] if is_digits(p) => f.set(F::_input_packets, p),
            [p, "packets", "output,", _, "bytes", ..] if is_digits(p) => f.set(F::_output_packets, p),
            [e, "input", "errors,", rest @ ..] if is_digits(e) => {
                f.set(F::_input_errors, e);
                if let [crc, "CRC,", ..] = rest {
                    if is_digits(crc) {
                        f.set(F::_crc, crc);
                    }
                }
            }
            [e, "output", "errors,", ..] if is_digits(e) => f.set(F::_output_errors, e),
            _ => {}
        }
    }
}

impl LineParser for Parser {
    fn line(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
        let f = &mut self.fsm;
        if starts_record(line) {
            f.record(out.sink);
        }
        if let Some((name, link, proto)) = head(line) {
            f.set(F::interface, name);
            f.set(F::link_status, link);
            f.set(F::protocol_status, proto);
            return;
        }
        let indented = line.starts_with(char::is_whitespace);
        let t = line.trim_start();
        if indented {
            // ^\s+Hardware\s+is\s+${HARDWARE_TYPE}(.*address\s+is\s+${MAC_ADDRESS})*(.*bia\s+${BIA})*
            if let Some(mut c) = label(t, "Hardware is") {
                let hw = c.take_while(|ch| is_w(ch) || ch == '+' || ch == '-');
                if !hw.is_empty() {
                    let r = c.rest();
                    let mac = after_each(r, "address").into_iter().find_map(|a| {
                        let mut k = Cur::new(a);
                        (k.lit("is") && k.ws()).then(|| k.rest()).and_then(|m| mac_like(m).map(|v| (v, &m[v.len()..])))
                    });
                    f.set(F::hardware_type, hw);
                    f.opt(F::mac_address, mac.map(|m| m.0));
                    let from = mac.map_or(r, |m| m.1);
                    f.opt(F::bia, after_each(from, "bia").into_iter().find_map(mac_like));
                    return;
                }
            }
            // ^\s+Description:\s+"?${DESCRIPTION}"?$$
            let mut c = Cur::new(t);
            if c.lit("Description:") {
                let r0 = c.rest();
                let lead = r0.len() - r0.trim_start().len();
                if lead > 0 {
                    let desc = |r: &str| -> Option<usize> {
                        let end = r.find('"').unwrap_or(r.len());
                        matches!(&r[end..], "" | "\"").then_some(end)
                    };
                    let r = &r0[lead..];
                    let found = r.strip_prefix('"').and_then(|q| desc(q).map(|e| &q[..e])).or_else(|| desc(r).map(|e| &r[..e]));
                    // The `\s+` giving back blanks to the description.
                    let found = found.or_else(|| {
                        r0.char_indices().skip(1).take_while(|(i, _)| *i < lead).find_map(|(i, _)| desc(&r0[i..]).map(|e| &r0[i..i + e]))
                    });
                    if let Some(d) = found {
                        f.set(F::description, d);
                        return;
                    }
                }
            }
            // ^\s+Internet\s+address\s+is\s+${IP_ADDRESS}
            if let Some(c) = label(t, "Internet address is") {
                let r = c.rest();
                if let Some((ip, rest)) = r.split_once('/') {
                    let len = rest.bytes().take_while(u8::is_ascii_digit).count();
                    if crate::text::is_dotted4(ip, 0) && len > 0 {
                        f.set(F::ip_address, &r[..ip.len() + 1 + len]);
                        return;
                    }
                }
            }
            // ^\s+(Up|Down)\s+${LAST_LINK_FLAPPED}
            let mut c = Cur::new(t);
            if (c.lit("Up") || c.lit("Down")) && c.ws() {
                f.set(F::last_link_flapped, c.rest());
                return;
            }
            // ^\s+${LINK_STATUS_CHANGE}\s+link\s+status\s+changes.*
            let mut c = Cur::new(t);
            if let Some(d) = c.digits() {
                if c.ws() && c.words("link status changes") {
                    f.set(F::link_status_change, d);
                    return;
                }
            }
        }
        // ^.*MTU\s+${MTU}(.*BW\s+${BANDWIDTH})*
        let mtu = line.match_indices("MTU").collect::<Vec<_>>().into_iter().rev().find_map(|(i, _)| {
            let mut k = Cur::new(&line[i + 3..]);
            if k.ws() {
                k.digits().map(|d| (d, k.rest()))
            } else {
                None
            }
        });
        if let Some((mtu, r)) = mtu {
            f.set(F::mtu, mtu);
            let bw = after_each(r, "BW").into_iter().find_map(|a| {
                let mut k = Cur::new(a);
                (k.digits().is_some() && k.ws() && k.wordchars().is_some()).then(|| &a[..a.len() - k.rest().len()])
            });
            f.opt(F::bandwidth, bw);
            return;
        }
        if skipped(line) {
            self.counters(t);
            return;
        }
        if t.is_empty() {
            return;
        }
        out.warn(n, "not a line of `show interfaces`");
    }

    fn finish(&mut self, _last: usize, out: &mut Out<'_>) {
        self.fsm.record(out.sink);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_shapes() {
        assert!(starts_record("Ethernet1 is up, line protocol is up (connected)"));
        assert!(starts_record("Loopback0 is administratively down, line protocol is down (disabled)"));
        assert!(!starts_record("Ethernet1 is up"));
        assert!(!starts_record("  Ethernet1 is up,"));
        assert_eq!(head("Po1 is down, line protocol is lowerlayerdown (notconnect)"), Some(("Po1", "down", "lowerlayerdown (notconnect)")));
        assert!(duplex_line("  Full-duplex, 10Gb/s"));
        assert!(duplex_line("  Unconfigured duplex, unconfigured speed"));
        assert!(!duplex_line("  Unconfigured  duplex, x"));
        assert!(members_line("  ... Ethernet49 , Full-duplex, 10Gb/s"));
        assert!(!members_line("  ... Ethernet49, Full-duplex"));
        assert!(vlan_list("[10, 20, 30]"));
        assert!(vlan_list("[10]"));
        assert!(!vlan_list("[10,20]"));
        assert!(!vlan_list("[]"));
    }
}
