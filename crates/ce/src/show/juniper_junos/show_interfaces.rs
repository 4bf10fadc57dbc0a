//! Juniper Junos `show interfaces`, after ntc-templates'
//! `juniper_junos_show_interfaces`: one record per physical interface
//! (`Physical interface: ge-0/0/0, Enabled, Physical link is Up`) and one
//! per logical interface (`  Logical interface ge-0/0/0.100 (Index 70)`),
//! with the admin state, link status (the logical's from its `Flags: Up
//! …`), description, link-level type, MTU and the logical's address
//! (`Destination: 172.16.0.0/30, Local: 172.16.0.1, …`). The lines the
//! template knows and skips are skipped; anything else is a warning (the
//! template's `Error`).
//!
//! Two things the template does not keep are kept for the typed model: the
//! logical interfaces' packet counters (`Input packets : N`), in hidden
//! fields, and a physical interface whose admin state is not one word
//! (`Physical interface: ge-0/0/1, Administratively down, Physical link is
//! Down`, which TextFSM rejects): its record is the typed model's only.

use crate::fsm::{schema, Out};
use crate::show::rows::label;
use crate::show::LineParser;
use crate::text::{is_digits, is_w, Cur};

schema! {
    interface: REQUIRED, link_status, admin_state, hardware_type, description, destination, local, mtu,
    // erdiag's.
    _input_packets: HIDDEN, _output_packets: HIDDEN,
    // A physical interface the template's rule does not read.
    _interface: HIDDEN, _admin_state: HIDDEN, _link_status: HIDDEN,
}

#[derive(Default)]
pub(crate) struct Parser {
    fsm: Fsm,
}

/// `^\s*\S+\s+[Ii]nterface`
fn starts_record(line: &str) -> bool {
    let mut w = line.split_whitespace();
    w.next().is_some() && w.next().is_some_and(|t| t.starts_with("interface") || t.starts_with("Interface"))
}

/// `Physical\s+interface:\s+${INTERFACE},\s+${ADMIN_STATE},\s+Physical\s+link\s+is\s+${LINK_STATUS}`:
/// (name, admin, link). With `loose`, the admin state may be words
/// (`Administratively down`).
fn physical(line: &str, loose: bool) -> Option<(&str, &str, &str)> {
    let mut c = Cur::new(line);
    if !(c.lit("Physical") && c.ws() && c.lit("interface:") && c.ws()) {
        return None;
    }
    let name = c.word()?.strip_suffix(',').filter(|s| !s.is_empty())?;
    if !c.ws() {
        return None;
    }
    let r = c.rest();
    let (admin, rest) = if loose {
        let i = r.find(", Physical link is ")?;
        (&r[..i], &r[i + 1..])
    } else {
        let mut k = Cur::new(r);
        let a = k.word()?.strip_suffix(',').filter(|s| !s.is_empty())?;
        (a, k.rest())
    };
    let mut k = Cur::new(rest);
    if !(k.ws() && k.lit("Physical") && k.ws() && k.lit("link") && k.ws() && k.lit("is") && k.ws()) {
        return None;
    }
    let link = k.wordchars()?;
    Some((name, admin, link))
}

/// `^.*\s+Link-level\s+type:\s+${HARDWARE_TYPE},\s+MTU:\s+${MTU}(,.+)?$$`
fn link_level(line: &str) -> Option<(&str, &str)> {
    let hits: Vec<usize> = line.match_indices("Link-level").map(|(i, _)| i).collect();
    for &i in hits.iter().rev() {
        if !line[..i].ends_with(char::is_whitespace) {
            continue;
        }
        let mut c = Cur::new(&line[i + "Link-level".len()..]);
        if !(c.ws() && c.lit("type:") && c.ws()) {
            continue;
        }
        let Some(t) = c.word() else { continue };
        let Some(hw) = t.strip_suffix(',').filter(|s| !s.is_empty()) else { continue };
        if !(c.ws() && c.lit("MTU:") && c.ws()) {
            continue;
        }
        let r = c.rest();
        let tail_ok = |s: &str| s.is_empty() || s.strip_prefix(',').is_some_and(|x| !x.is_empty());
        let d = r.bytes().take_while(u8::is_ascii_digit).count();
        if d > 0 && tail_ok(&r[d..]) {
            return Some((hw, &r[..d]));
        }
        if let Some(x) = r.strip_prefix("Unlimited") {
            if tail_ok(x) {
                return Some((hw, "Unlimited"));
            }
        }
    }
    None
}

/// `^\s+Flags:\s+${LINK_STATUS}\s+\S+\s+\w+\s+(\S+\s+)*Encapsulation:`
fn logical_flags(t: &str) -> Option<&str> {
    let r = t.strip_prefix("Flags:")?;
    if !r.starts_with(char::is_whitespace) {
        return None;
    }
    let w: Vec<&str> = r.split_whitespace().collect();
    let all_w = |s: &str| s.chars().all(is_w);
    if w.len() >= 4 && all_w(w[0]) && all_w(w[2]) && w[3..].iter().any(|x| x.starts_with("Encapsulation:")) {
        return Some(w[0]);
    }
    None
}

/// `^\s+Protocol\s+inet.*,\s+MTU:\s+${MTU}`
fn protocol_mtu(t: &str) -> Option<&str> {
    let mut c = Cur::new(t);
    if !(c.lit("Protocol") && c.ws() && c.lit("inet")) {
        return None;
    }
    let r = c.rest();
    let commas: Vec<usize> = r.match_indices(',').map(|(i, _)| i).collect();
    for &i in commas.iter().rev() {
        let mut k = Cur::new(&r[i + 1..]);
        if k.ws() && k.lit("MTU:") && k.ws() {
            if let Some(d) = k.digits() {
                return Some(d);
            }
            if k.lit("Unlimited") {
                return Some("Unlimited");
            }
        }
    }
    None
}

/// `^\s+Destination:\s+${DESTINATION},\s+Local:\s+${LOCAL},.*`
fn destination(t: &str) -> Option<(&str, &str)> {
    let mut c = Cur::new(t);
    if !(c.lit("Destination:") && c.ws()) {
        return None;
    }
    let d = c.word()?.strip_suffix(',').filter(|s| !s.is_empty())?;
    if !(c.ws() && c.lit("Local:") && c.ws()) {
        return None;
    }
    let l = c.word()?;
    // `\S+,`: the last comma of the word (greedy).
    let j = l.rfind(',').filter(|j| *j > 0)?;
    Some((d, &l[..j]))
}

/// The `^\s+…` prefixes the template skips.
const SKIPPED: &[&str] = &[
    "Interface index:",
    "Pad to minimum frame size:",
    "Link-mode",
    "MAC-REWRITE",
    "Flow control",
    "Device flags",
    "Device Flags",
    "Interface flags",
    "Link flags",
    "Physical info",
    "CoS queues",
    "Schedulers",
    "Current address",
    "Last flapped",
    "Input rate",
    "Output rate",
    "Active alarms",
    "Active defects",
    "PCS statistics",
    "Bit errors",
    "Errored blocks",
    "Interface transmit statistics",
];

/// The `^\s+…` prefixes skipped after the logical interface's rules.
const SKIPPED_LOGICAL: &[&str] = &["Flags", "Input packets", "Output packets", "Security", "Protocol", "Address", "Bandwidth", "Routing", "Max"];

impl Parser {
    /// `Record`, or a typed-model-only record for a physical interface the
    /// template's rule did not read.
    fn record(&mut self, out: &mut Out<'_>) {
        let f = &mut self.fsm;
        if f.value(F::interface).is_empty() && !f.value(F::_interface).is_empty() {
            f.record_typed_only(out.sink);
            f.clear();
            return;
        }
        f.record(out.sink);
    }
}

impl LineParser for Parser {
    fn line(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
        if starts_record(line) {
            self.record(out);
        }
        let f = &mut self.fsm;
        if let Some((name, admin, link)) = physical(line, false) {
            f.set(F::interface, name);
            f.set(F::admin_state, admin);
            f.set(F::link_status, link);
            return;
        }
        let indented = line.starts_with(char::is_whitespace);
        let t = line.trim_start();
        if indented && t.starts_with("Interface index:") {
            return;
        }
        if indented {
            if let Some(c) = label(t, "Description:") {
                f.set(F::description, c.rest());
                return;
            }
        }
        if let Some((hw, mtu)) = link_level(line) {
            f.set(F::hardware_type, hw);
            f.set(F::mtu, mtu);
            return;
        }
        if indented {
            if SKIPPED.iter().any(|p| t.starts_with(p)) {
                return;
            }
            if let Some(mut c) = label(t, "Logical interface") {
                if let Some(name) = c.word() {
                    f.set(F::interface, name);
                    return;
                }
            }
            if let Some(link) = logical_flags(t) {
                f.set(F::link_status, link);
                return;
            }
            if let Some(mtu) = protocol_mtu(t) {
                f.set(F::mtu, mtu);
                return;
            }
            if SKIPPED_LOGICAL.iter().any(|p| t.starts_with(p)) {
                // `Input packets : 12`, `Output packets: 34`: the typed model's.
                let w: Vec<&str> = t.split_whitespace().collect();
                match w.as_slice() {
                    ["Input", "packets", ":", p] | ["Input", "packets:", p] if is_digits(p) => f.set(F::_input_packets, p),
                    ["Output", "packets", ":", p] | ["Output", "packets:", p] if is_digits(p) => f.set(F::_output_packets, p),
                    _ => {}
                }
                return;
            }
            if let Some((d, l)) = destination(t) {
                f.set(F::destination, d);
                f.set(F::local, l);
                return;
            }
            if t.starts_with("MAC:") {
                return;
            }
        }
        // ^{master:\d+}
        if let Some(r) = line.strip_prefix("{master:") {
            let d = r.bytes().take_while(u8::is_ascii_digit).count();
            if d > 0 && r[d..].starts_with('}') {
                return;
            }
        }
        if t.is_empty() {
            return;
        }
        // TextFSM stops here; the typed model keeps a physical interface
        // whose admin state is words.
        if let Some((name, admin, link)) = physical(line, true) {
            f.set(F::_interface, name);
            f.set(F::_admin_state, admin);
            f.set(F::_link_status, link);
        }
        out.warn(n, "not a line of `show interfaces`");
    }

    fn finish(&mut self, _last: usize, out: &mut Out<'_>) {
        self.record(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert!(starts_record("Physical interface: ge-0/0/0, Enabled, Physical link is Up"));
        assert!(starts_record("  Logical interface ge-0/0/0.0 (Index 70)"));
        assert!(!starts_record("  Interface index: 134, SNMP ifIndex: 502"));
        assert_eq!(physical("Physical interface: ge-0/0/0, Enabled, Physical link is Up", false), Some(("ge-0/0/0", "Enabled", "Up")));
        assert_eq!(physical("Physical interface: ge-0/0/1, Administratively down, Physical link is Down", false), None);
        assert_eq!(physical("Physical interface: ge-0/0/1, Administratively down, Physical link is Down", true), Some(("ge-0/0/1", "Administratively down", "Down")));
        assert_eq!(link_level("  Type: GRE, Link-level type: GRE, MTU: Unlimited, Speed: 800mbps"), Some(("GRE", "Unlimited")));
        assert_eq!(link_level("  Link-level type: Ethernet, MTU: 1514, MRU: 0, LAN-PHY mode,"), Some(("Ethernet", "1514")));
        assert_eq!(link_level("Link-level type: Ethernet, MTU: 1514"), None);
        assert_eq!(link_level("  Link-level type: Ethernet, MTU: 1514,"), None);
        assert_eq!(logical_flags("Flags: Up SNMP-Traps 0x4004000 Encapsulation: ENET2"), Some("Up"));
        assert_eq!(logical_flags("Flags: Device-Down SNMP-Traps 0x4004000 Encapsulation: ENET2"), None);
        assert_eq!(protocol_mtu("Protocol inet, MTU: 1500"), Some("1500"));
        assert_eq!(destination("Destination: 172.16.0.0/30, Local: 172.16.0.1, Broadcast: 172.16.0.3"), Some(("172.16.0.0/30", "172.16.0.1")));
        assert_eq!(destination("Destination: 172.16.0.0/30, Local: 172.16.0.1"), None);
    }
}
