//! Cisco NX-OS `show interface`, after ntc-templates'
//! `cisco_nxos_show_interface`: one record per interface (`Ethernet1/1 is
//! up` with `admin state is up, …` on the next line, or `Vlan20 is down
//! (…), line protocol is down`), with hardware and addresses, description,
//! MTU, bandwidth and delay, duplex and speed, rates, and the RX / TX
//! counters and errors. The lines the template knows and skips are
//! skipped; anything else is a warning (the template's `Error`).
//!
//! The template captures `admin state is up` (without a comma) as `u` — its
//! lazy group — and puts a line protocol in `admin_state`: the whole admin
//! state and the line protocol are kept in hidden fields for the typed
//! model.

use super::super::iface_words::{counters, mac_like, name_is, tokens};
use crate::fsm::{schema, Out};
use crate::show::Rules;
use crate::show::rows::{captures, label};
use crate::text::{is_digits, is_w, Cur};

schema! {
    interface: REQUIRED, link_status, admin_state, hardware_type, mac_address, bia, description, ip_address,
    prefix_length, mtu, mode, duplex, speed, input_packets, output_packets, input_errors, output_errors,
    bandwidth, delay, encapsulation, last_link_flapped, vlan_id, packet_input_rate, packet_output_rate,
    bandwidth_input_rate, bandwidth_output_rate, media_type, short_frame, overrun, underrun, ignored, watchdog,
    bad_etype_drop, bad_proto_drop, interface_down_drop, dribble, input_discards, rx_pause, stomped_crc,
    rx_jumbo_packets, storm_suppression_bytes, runts, giants, crc, no_buffer, tx_jumbo_packets, collisions,
    deferred, late_collisions, lost_carrier, no_carrier, babble, output_discards, tx_pause,
    // erdiag's: `admin state is X` whole, and `line protocol is X`.
    _admin_state: HIDDEN, _line_protocol: HIDDEN,
}

/// The RX and TX counter lines, each a token pattern of [`tokens`] and the
/// fields of its captures.
#[rustfmt::skip]
const COUNTERS: &[(&[&str], &[F])] = &[
    (&["#", "input", "error|errors", "#", "short", "frame", "#", "overrun", "#", "underrun", "#", "ignored"], &[F::input_errors, F::short_frame, F::overrun, F::underrun, F::ignored]),
    (&["#", "input", "errors", "#", "frame", "#", "overrun", "%", "fifo"], &[F::input_errors, F::short_frame, F::overrun]),
    (&["#", "watchdog", "#", "bad", "etype", "drop", "#", "bad", "proto", "drop", "#", "if", "down", "drop"], &[F::watchdog, F::bad_etype_drop, F::bad_proto_drop, F::interface_down_drop]),
    (&["#", "input", "with", "dribble", "#", "input", "discard"], &[F::dribble, F::input_discards]),
    (&["#", "Rx", "pause"], &[F::rx_pause]),
    (&["#", "Stomped", "CRC"], &[F::stomped_crc]),
    (&["#", "jumbo", "packets", "#", "storm", "suppression", "bytes"], &[F::rx_jumbo_packets, F::storm_suppression_bytes]),
    (&["#", "jumbo", "packets", "%", "storm", "suppression", "packets"], &[F::rx_jumbo_packets]),
    (&["#", "runts", "#", "giants", "#", "CRC|CRC/FCS", "#", "no", "buffer"], &[F::runts, F::giants, F::crc, F::no_buffer]),
    // TX
    (&["#", "jumbo", "packets"], &[F::tx_jumbo_packets]),
    (&["#", "output", "error|errors", "#", "collision", "#", "deferred", "#", "late", "collision"], &[F::output_errors, F::collisions, F::deferred, F::late_collisions]),
    (&["#", "output", "errors", "#", "collisions", "%", "fifo"], &[F::output_errors, F::collisions]),
    (&["#", "lost", "carrier", "#", "no", "carrier", "#", "babble", "#", "output", "discard"], &[F::lost_carrier, F::no_carrier, F::babble, F::output_discards]),
    (&["#", "Tx", "pause"], &[F::tx_pause]),
];

/// The packet counts of the `N input packets N bytes` form.
const PACKETS: &[(&[&str], &[F])] = &[(&["#", "input", "packets", "%", "bytes"], &[F::input_packets]), (&["#", "output", "packets", "%", "bytes"], &[F::output_packets])];

/// The parser: the template's record alone ([`Rules`]).
pub(crate) type Parser = Fsm;

/// `^(\S+)\s+is\s+(.+?),\s+line\s+protocol\s+is\s+(.+?)$`
fn head_with_protocol(line: &str) -> Option<(&str, &str, &str)> {
    let (name, r) = name_is(line)?;
    for (i, _) in r.match_indices(',') {
        if i == 0 {
            continue;
        }
        let mut k = Cur::new(&r[i + 1..]);
        if k.ws() && k.lit("line") && k.ws() && k.lit("protocol") && k.ws() && k.lit("is") && k.ws() && !k.at_end() {
            return Some((name, &r[..i], k.rest()));
        }
    }
    None
}

/// `^\s+(.+duplex?),\s+(.+?)(,\s+media\s+type\s+is\s+(.+?))?\s*$`
fn duplex_speed(line: &str) -> Option<(&str, &str, Option<&str>)> {
    let t = line.trim_start();
    let lead = line.len() - t.len();
    if lead == 0 {
        return None;
    }
    // The greedy `.+` ends at the last `duple(x)` followed by `,\s+`.
    let mut best = None;
    for (p, _) in line.match_indices("duple") {
        if p < lead && p + 5 > lead {
            continue;
        }
        for end in [p + 6, p + 5] {
            if end == p + 6 && line.as_bytes().get(p + 5) != Some(&b'x') {
                continue;
            }
            let mut k = Cur::new(&line[end..]);
            if k.lit(",") && k.ws() && !k.at_end() {
                best = Some((p, end));
                break;
            }
        }
    }
    let (p, end) = best?;
    // `.+` needs one character: a leading blank when `duple` starts the text.
    let start = if p > lead {
        lead
    } else {
        let (i, _) = line[..lead].char_indices().last()?;
        if i == 0 {
            return None;
        }
        i
    };
    let duplex = &line[start..end];
    let mut k = Cur::new(&line[end + 1..]);
    k.ws();
    let r = k.rest();
    // SPEED: the shortest text followed by a media type or the end.
    for (i, _) in r.match_indices(',') {
        if i == 0 {
            continue;
        }
        let mut c = Cur::new(&r[i + 1..]);
        if c.ws() && c.lit("media") && c.ws() && c.lit("type") && c.ws() && c.lit("is") && c.ws() {
            let m = c.rest();
            let mt = m.trim_end();
            let media = if mt.is_empty() { m.get(..m.chars().next()?.len_utf8())? } else { mt };
            if !m.is_empty() {
                return Some((duplex, &r[..i], Some(media)));
            }
        }
    }
    let s = r.trim_end();
    let speed = if s.is_empty() { &r[..r.chars().next()?.len_utf8()] } else { s };
    Some((duplex, speed, None))
}

/// `(.+?)\s+bits/sec(,\s+(.+?)\s+packets/sec)?`: the two rates.
fn rates(r: &str) -> Option<(&str, Option<&str>)> {
    for (i, ch) in r.char_indices() {
        if i == 0 || !ch.is_whitespace() {
            continue;
        }
        let mut c = Cur::new(&r[i..]);
        if c.ws() && c.lit("bits/sec") {
            let mut pps = None;
            if c.lit(",") && c.ws() {
                let after = c.rest();
                for (j, ch2) in after.char_indices() {
                    if j == 0 || !ch2.is_whitespace() {
                        continue;
                    }
                    let mut k = Cur::new(&after[j..]);
                    if k.ws() && k.lit("packets/sec") {
                        pps = Some(&after[..j]);
                        break;
                    }
                }
            }
            return Some((&r[..i], pps));
        }
    }
    None
}

/// `^\s*\d+\s+unicast\s+packets\s+\d+\s+multicast\s+packets(\s+\d+\s+broadcast\s+packets)?\s*$`
fn unicast_multicast(line: &str) -> bool {
    tokens::<0>(line, false, &["%", "unicast", "packets", "%", "multicast", "packets", "%", "broadcast", "packets"]).is_some() || tokens::<0>(line, false, &["%", "unicast", "packets", "%", "multicast", "packets"]).is_some()
}

/// The lines the template matches and drops.
fn skipped(line: &str) -> bool {
    if !line.starts_with(char::is_whitespace) {
        return false;
    }
    let t = line.trim_start();
    let starts = |w: &str| Cur::new(t).words(w);
    let w: Vec<&str> = t.split_whitespace().collect();
    let slash_nums = |s: &str| s.split_once('/').is_some_and(|(a, b)| is_digits(a) && is_digits(b));
    fn comma(s: &str) -> Option<&str> {
        s.strip_suffix(',').filter(|p| !p.is_empty())
    }
    // reliability 255/255, txload 1/255, rxload 1/255
    if let ["reliability", a, "txload", b, "rxload", c] = w.as_slice() {
        if comma(a).is_some_and(slash_nums) && comma(b).is_some_and(slash_nums) && slash_nums(c) {
            return true;
        }
    }
    for k in ["Auto-mdix is", "Auto-Negotiation is", "Beacon is", "EtherType is", "Rate mode is", "Switchport monitor is", "EEE (efficient-ethernet)", "Last clearing of \"show interface\" counters", "last clearing of \"show interface\" counters", "Load-Interval", "Belongs to", "Keepalive", "Members in this channel:"] {
        let mut c = Cur::new(t);
        if c.words(k) && c.ws() {
            return true;
        }
    }
    let prefixes = [
        "No members",
        "Management transceiver:",
        "Active connector:",
        "Configured Media-type:",
        "VFC not bound",
        "Port WWN",
        "Port vsan",
        "Admin port mode",
        "snmp link state",
        "Current counters not available",
        "Receive data field Size is",
        "Receive data field size is",
        "Interface last changed",
        "Tunnel protocol",
        "Transport protocol",
        "Tunnel source",
        "Tunnel interface",
    ];
    if prefixes.iter().any(|k| starts(k)) {
        return true;
    }
    // `\d+\s+frames\s+(in|out)put,\s+\d+\s+bytes`, `\d+\s+discards,\s+\d+\s+errors`,
    // `\d+\s+too\s+long,\s+\d+\s+too\s+short`,
    // `\d+\s+(in|out)put\s+OLS,\s+\d+\s+LRR,\s+\d+\s+NOS,\s+\d+\s+loop\s+inits`
    let pre = |p: &[&str]| w.len() >= p.len() && w.iter().zip(p).all(|(t, p)| if *p == "%" { is_digits(t) } else if p.ends_with('*') { t.starts_with(p.trim_end_matches('*')) } else { p.split('|').any(|a| a == *t) });
    if pre(&["%", "frames", "input,|output,", "%", "bytes*"]) || pre(&["%", "discards,", "%", "errors*"]) || pre(&["%", "too", "long,", "%", "too", "short*"]) || pre(&["%", "input|output", "OLS,", "%", "LRR,", "%", "NOS,", "%", "loop", "inits*"]) {
        return true;
    }
    match w.as_slice() {
        ["Input", "flow-control", "is", a, "output", "flow-control", "is", _] | ["Input", "flow-control", "is", a, "Port", "mode", "is", _] if comma(a).is_some() => return true,
        ["L3", "Switched:"] | ["L3", "in" | "out", "Switched:"] | ["RX" | "Rx" | "TX" | "Tx"] | ["Dedicated", "Interface"] | ["ARP", "type:", _] => return true,
        ["admin", "fec", "state", "is", a, "oper", "fec", "state", "is", _] if comma(a).is_some() => return true,
        ["vPC", "Status:", a, "vPC", "number:", n, ..] if comma(a).is_some() && n.starts_with(|c: char| c.is_ascii_digit()) => return true,
        _ => {}
    }
    if tokens::<0>(line, true, &["%", "interface", "resets"]).is_some()
        || tokens::<0>(line, true, &["%", "broadcast", "packets", "%", "bytes|packets/sec"]).is_some()
        || tokens::<0>(line, true, &["ucast:", "%", "pkts,", "%", "bytes"]).is_some()
        || tokens::<0>(line, true, &["ucast:", "%", "pkts,", "%", "bytes", "-", "mcast:", "%", "pkts,", "%", "bytes"]).is_some()
        || unicast_multicast(line)
        || tokens::<0>(line, true, &["%", "multicast", "frames", "%", "compressed"]).is_some()
        || tokens::<0>(line, true, &["%", "out_carrier_errors"]).is_some()
    {
        return true;
    }
    // (Ha\s+)?input\s+rate\s+\S+\s+\w?bps,\s+\S+\s+\w?pps;\s+output\s+rate\s+\S+\s+\w?bps,\s+\S+\s+\w?pps\s*$
    let unit = |s: &str, u: &str| s.strip_suffix(u).is_some_and(|p| p.chars().count() <= 1 && p.chars().all(is_w));
    let r: &[&str] = if w.first() == Some(&"Ha") { &w[1..] } else { &w };
    if let ["input", "rate", _, a, _, b, "output", "rate", _, c, _, d] = r {
        if unit(a, "bps,") && unit(b, "pps;") && unit(c, "bps,") && unit(d, "pps") {
            return true;
        }
    }
    false
}

impl Rules for F {
    fn line(f: &mut Fsm, n: usize, line: &str, out: &mut Out<'_>) {
        let indented = line.starts_with(char::is_whitespace);
        // ^\S+\s+is.+ -> Continue.Record
        if !indented {
            let mut c = Cur::new(line);
            if c.word().is_some() && c.ws() && c.lit("is") && !c.at_end() {
                f.record(out.sink);
            }
            if let Some((name, link, proto)) = head_with_protocol(line) {
                f.set(F::interface, name);
                f.set(F::link_status, link);
                f.set(F::admin_state, proto);
                f.set(F::_line_protocol, proto);
                return;
            }
            // ^${INTERFACE}\s+is\s+${LINK_STATUS}$$
            let mut c = Cur::new(line);
            if let Some(name) = c.word() {
                if c.ws() && c.lit("is") && c.ws() && !c.at_end() {
                    f.set(F::interface, name);
                    f.set(F::link_status, c.rest());
                    return;
                }
            }
            // ^admin\s+state\s+is\s+${ADMIN_STATE},  /  ^admin\s+state\s+is\s+${ADMIN_STATE}
            let mut c = Cur::new(line);
            if c.lit("admin") && c.ws() && c.lit("state") && c.ws() && c.lit("is") && c.ws() && !c.at_end() {
                let r = c.rest();
                let whole = r.split(',').next().unwrap_or("").trim_end();
                match r.match_indices(',').find(|(i, _)| *i > 0) {
                    Some((i, _)) => f.set(F::admin_state, &r[..i]),
                    None => f.set(F::admin_state, &r[..r.chars().next().map_or(0, char::len_utf8)]),
                }
                f.set(F::_admin_state, if whole.is_empty() { r.trim() } else { whole });
                return;
            }
            if !line.trim().is_empty() && !unicast_multicast(line) {
                out.warn(n, "not a line of `show interface`");
            }
            return;
        }
        let t = line.trim_start();
        // ^\s+[Aa]dmin\s+[Ss]tate:\s+${ADMIN_STATE}
        let mut c = Cur::new(t);
        if (c.lit("admin") || c.lit("Admin")) && c.ws() && (c.lit("state:") || c.lit("State:")) && c.ws() && !c.at_end() {
            let r = c.rest();
            f.set(F::admin_state, &r[..r.chars().next().map_or(0, char::len_utf8)]);
            f.set(F::_admin_state, r.trim_end());
            return;
        }
        // ^\s+Hardware(:|\s+is)\s+…
        let mut c = Cur::new(t);
        if c.lit("Hardware") && (c.lit(":") || (c.ws() && c.lit("is"))) && c.ws() {
            let r = c.rest();
            // HARDWARE_TYPE (.*) greedy, then `,\s+address(:|\s+is)\s+MAC`.
            let commas: Vec<usize> = r.match_indices(',').map(|(i, _)| i).collect();
            for &i in commas.iter().rev() {
                let mut k = Cur::new(&r[i + 1..]);
                if k.ws() && k.lit("address") && (k.lit(":") || (k.ws() && k.lit("is"))) && k.ws() {
                    if let Some(mac) = mac_like(k.rest()) {
                        f.set(F::hardware_type, &r[..i]);
                        f.set(F::mac_address, mac);
                        // (.*bia\s+${BIA})*: the last `bia` with an address.
                        let after = &k.rest()[mac.len()..];
                        let bia = after.match_indices("bia").collect::<Vec<_>>().into_iter().rev().find_map(|(j, _)| {
                            let mut b = Cur::new(&after[j + 3..]);
                            if b.ws() {
                                mac_like(b.rest())
                            } else {
                                None
                            }
                        });
                        f.opt(F::bia, bia);
                        return;
                    }
                }
            }
            f.set(F::hardware_type, r);
            return;
        }
        // ^\s+(Port\s+)?[Dd]escription(:|\s+is)\s+${DESCRIPTION}\s*$$
        let mut c = Cur::new(t);
        if c.lit("Port") && !c.ws() {
            c = Cur::new(t);
        }
        if (c.lit("Description") || c.lit("description")) && (c.lit(":") || (c.ws() && c.lit("is"))) && c.ws() && !c.eol() {
            f.set(F::description, c.rest().trim_end());
            return;
        }
        let mut c = Cur::new(t);
        if c.lit("Internet") && c.ws() && (c.lit("Address") || c.lit("address")) && c.ws() && c.lit("is") && c.ws() {
            let r = c.rest();
            if let Some((ip, rest)) = r.split_once('/') {
                let len = rest.bytes().take_while(u8::is_ascii_digit).count();
                if crate::text::is_dotted4(ip, 0) && len > 0 {
                    f.set(F::ip_address, ip);
                    f.set(F::prefix_length, &rest[..len]);
                    return;
                }
            }
        }
        if let Some([m]) = captures(t, "Port mode is {w}") {
            f.set(F::mode, m);
            return;
        }
        if let Some((duplex, speed, media)) = duplex_speed(line) {
            f.set(F::duplex, duplex);
            f.set(F::speed, speed);
            f.opt(F::media_type, media);
            return;
        }
        // ^\s+MTU\s+${MTU}(.*BW\s+${BANDWIDTH}.*DLY\s+${DELAY})?
        if let Some(mut c) = label(t, "MTU") {
            if let Some(mtu) = c.digits() {
                let r = c.rest();
                let num_word = |s: &str| -> Option<usize> {
                    let mut k = Cur::new(s);
                    if !k.ws() {
                        return None;
                    }
                    let start = s.len() - k.rest().len();
                    k.digits()?;
                    if !k.ws() {
                        return None;
                    }
                    k.wordchars()?;
                    let _ = start;
                    Some(s.len() - k.rest().len())
                };
                let bws: Vec<usize> = r.match_indices("BW").map(|(i, _)| i).collect();
                for &b in bws.iter().rev() {
                    let Some(bend) = num_word(&r[b + 2..]) else { continue };
                    let bw_text = r[b + 2..b + 2 + bend].trim_start();
                    let after = &r[b + 2 + bend..];
                    let dly = after.match_indices("DLY").collect::<Vec<_>>().into_iter().rev().find_map(|(d, _)| num_word(&after[d + 3..]).map(|e| after[d + 3..d + 3 + e].trim_start()));
                    if let Some(dly) = dly {
                        f.set(F::mtu, mtu);
                        f.set(F::bandwidth, bw_text);
                        f.set(F::delay, dly);
                        return;
                    }
                }
                f.set(F::mtu, mtu);
                f.unset(F::bandwidth);
                f.unset(F::delay);
                return;
            }
        }
        // ^\s+Encapsulation\s+${ENCAPSULATION}(,)?(\s+Virtual\s+LAN,\s+Vlan\s+ID\s+${VLAN_ID},)?
        if let Some(mut c) = label(t, "Encapsulation") {
            let enc = c.take_while(|ch| is_w(ch) || ch == '.');
            if !enc.is_empty() {
                c.lit(",");
                let mut v = c;
                let vlan = if v.ws() && v.lit("Virtual") && v.ws() && v.lit("LAN,") && v.ws() && v.lit("Vlan") && v.ws() && v.lit("ID") && v.ws() {
                    v.digits().filter(|_| v.lit(","))
                } else {
                    None
                };
                f.set(F::encapsulation, enc);
                f.opt(F::vlan_id, vlan);
                return;
            }
        }
        // Packet counters.
        if counters(f, line, PACKETS) {
            return;
        }
        let w: Vec<&str> = t.split_whitespace().collect();
        let uni_multi = |s: &str| {
            let mut s = s;
            while !s.is_empty() {
                s = match s.strip_prefix("unicast").or_else(|| s.strip_prefix("multicast")) {
                    Some(r) => r,
                    None => return false,
                };
            }
            true
        };
        if w.len() == 9 && is_digits(w[0]) && (w[1] == "input" || w[1] == "output") && w[2] == "packets" && is_digits(w[3]) && !w[4].is_empty() && uni_multi(w[4]) && w[5] == "packets" && is_digits(w[6]) && uni_multi(w[7]) && w[8] == "packets" {
            f.set(if w[1] == "input" { F::input_packets } else { F::output_packets }, w[0]);
            return;
        }
        if let Some([p]) = tokens::<1>(line, true, &["#", "packets", "input|input,", "%", "bytes"]) {
            f.set(F::input_packets, p);
            return;
        }
        if let Some([p]) = tokens::<1>(line, true, &["#", "packets", "output|output,", "%", "bytes"]) {
            f.set(F::output_packets, p);
            f.unset(F::underrun);
            return;
        }
        if let Some([p, u]) = tokens::<2>(line, true, &["#", "packets", "output|output,", "%", "bytes", "#", "underruns"]) {
            f.set(F::output_packets, p);
            f.set(F::underrun, u);
            return;
        }
        if let Some([i, o]) = tokens::<2>(line, true, &["input:", "#", "pkts,", "%", "bytes", "-", "output:", "#", "pkts,", "%", "bytes"]) {
            f.set(F::input_packets, i);
            f.set(F::output_packets, o);
            return;
        }
        let mut c = Cur::new(t);
        if c.words("Last link flapped") && c.ws() && !c.eol() {
            f.set(F::last_link_flapped, c.rest().trim_end());
            return;
        }
        // ^\s+\d+\s+(second|minute)s?\s+(in|out)put\s+rate\s+(.+?)\s+bits/sec(,\s+(.+?)\s+packets/sec)?
        let mut c = Cur::new(t);
        if c.digits().is_some() && c.ws() && (c.lit("second") || c.lit("minute")) {
            c.lit("s");
            if c.ws() {
                let input = c.lit("input");
                if (input || c.lit("output")) && c.ws() && c.lit("rate") && c.ws() {
                    if let Some((bw, pps)) = rates(c.rest()) {
                        if input {
                            f.set(F::bandwidth_input_rate, bw);
                            f.opt(F::packet_input_rate, pps);
                        } else {
                            f.set(F::bandwidth_output_rate, bw);
                            f.opt(F::packet_output_rate, pps);
                        }
                        return;
                    }
                }
            }
        }
        // The RX and TX counter lines.
        if counters(f, line, COUNTERS) {
            return;
        }
        if w.len() >= 7 && is_digits(w[0]) && w[1] == "jumbo" && (w[2] == "pa" || w[2] == "packets") && w[3] == "Encapsulation" && w[4].ends_with(',') && w[4].len() > 1 && w[5] == "medium" && w[6] == "is" && w.len() >= 8 {
            f.set(F::rx_jumbo_packets, w[0]);
            return;
        }
        // ^\s+${CRC}\s+CRC,\s+\d+\s+unknown\s+class
        if let [crc, "CRC,", k, "unknown", "class", ..] = w.as_slice() {
            if indented && is_digits(crc) && is_digits(k) {
                f.set(F::crc, crc);
                return;
            }
        }
        if skipped(line) || t.is_empty() {
            return;
        }
        out.warn(n, "not a line of `show interface`");
    }
}
