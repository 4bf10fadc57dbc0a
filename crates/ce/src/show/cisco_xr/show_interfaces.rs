//! Cisco IOS-XR `show interfaces`, after ntc-templates'
//! `cisco_xr_show_interfaces`: one record per interface (`X is up, line
//! protocol is up`), with hardware and addresses, description, the address
//! as printed (`172.16.0.1/30`, `Unknown`), MTU and bandwidth,
//! encapsulation and VLAN, duplex, speed and media, last input/output,
//! rates, and the packet and error counters. The template has no `Error`
//! rule: the lines it does not know are skipped.

use super::super::iface_words::{last_bw, rate_after};
use crate::fsm::{schema, Out};
use crate::show::rows::label;
use crate::show::Rules;
use crate::text::{is_digits, is_w, Cur};

schema! {
    interface: REQUIRED, link_status, admin_state, hardware_type, mac_address, bia, description, ip_address, mtu,
    duplex, hardware_media, speed, bandwidth, encapsulation, vlan_id, last_input, last_output, input_rate,
    output_rate, input_pps, output_pps, input_packets, output_packets, runts, giants, input_errors, crc, frame,
    overrun, abort, output_errors,
}

/// The parser: the template's record alone ([`Rules`]).
pub(crate) type Parser = Fsm;

/// `(?:\w{4}\.){2}\w{4}` at the start of `s`.
fn mac(s: &str) -> Option<&str> {
    let mut end = 0;
    for (k, ch) in s.chars().enumerate().take(14) {
        let ok = if k == 4 || k == 9 { ch == '.' } else { is_w(ch) };
        if !ok {
            return None;
        }
        end += ch.len_utf8();
        if k == 13 {
            return Some(&s[..end]);
        }
    }
    None
}

/// `,\s+address\s+is\s+MAC(?:\s+\(bia\s+BIA\)\s*)*$`
fn address_tail(s: &str) -> Option<(&str, Option<&str>)> {
    let mut c = Cur::new(s);
    if !(c.lit(",") && c.ws() && c.lit("address") && c.ws() && c.lit("is") && c.ws()) {
        return None;
    }
    let m = mac(c.rest())?;
    let mut r = &c.rest()[m.len()..];
    let mut bia = None;
    loop {
        if r.trim_start().is_empty() && bia.is_some() || r.is_empty() {
            return Some((m, bia));
        }
        let mut k = Cur::new(r);
        if !(k.ws() && k.lit("(bia") && k.ws()) {
            return None;
        }
        let b = mac(k.rest())?;
        let mut k2 = Cur::new(&k.rest()[b.len()..]);
        if !k2.lit(")") {
            return None;
        }
        bia = Some(b);
        r = k2.rest();
        if r.trim_start().is_empty() {
            return Some((m, bia));
        }
    }
}

/// After `Hardware\s+is\s+`: `(\S+?(?:\s+Ethernet|))(?:\s+(sub-)?interface\(s\)|)`
/// then `,\s+address…$`, `\s.+` or `\s*$`, as the regex engine tries them.
fn hardware(r: &str) -> Option<(&str, Option<&str>, Option<&str>)> {
    let tok = r.find(char::is_whitespace).unwrap_or(r.len());
    for (l, ch) in r[..tok].char_indices() {
        let base = l + ch.len_utf8();
        let eth = {
            let mut c = Cur::new(&r[base..]);
            (c.ws() && c.lit("Ethernet")).then(|| r.len() - c.rest().len())
        };
        for ht_end in [eth, Some(base)].into_iter().flatten() {
            let intf = {
                let mut c = Cur::new(&r[ht_end..]);
                if c.ws() {
                    c.lit("sub-");
                }
                (r[ht_end..].starts_with(char::is_whitespace) && c.lit("interface(s)")).then(|| r.len() - c.rest().len())
            };
            for p in [intf, Some(ht_end)].into_iter().flatten() {
                let tail = &r[p..];
                if let Some((m, b)) = address_tail(tail) {
                    return Some((&r[..ht_end], Some(m), b));
                }
                let mut chars = tail.chars();
                if chars.next().is_some_and(char::is_whitespace) && chars.next().is_some() {
                    return Some((&r[..ht_end], None, None));
                }
                if tail.trim_start().is_empty() {
                    return Some((&r[..ht_end], None, None));
                }
            }
        }
    }
    None
}

/// `^\s+(?:[Dd]uplex\s+|)(.+?)(?:-[Dd]uplex|),\s+(.+?b/s)(?:,\s+(.*?),)?`
fn duplex(t: &str) -> Option<(&str, &str, Option<&str>)> {
    let mut starts = Vec::new();
    let mut c = Cur::new(t);
    if (c.lit("Duplex") || c.lit("duplex")) && c.ws() {
        starts.push(c.rest());
    }
    starts.push(t);
    for s in starts {
        for (p, ch) in s.char_indices() {
            let p = p + ch.len_utf8();
            for suffix in ["-Duplex", "-duplex", ""] {
                let mut c = Cur::new(&s[p..]);
                if !(c.lit(suffix) && c.lit(",") && c.ws()) {
                    continue;
                }
                let r = c.rest();
                let Some(i) = r.match_indices("b/s").map(|(i, _)| i).find(|i| *i > 0) else { continue };
                let speed = &r[..i + 3];
                let mut m = Cur::new(&r[i + 3..]);
                let media = if m.lit(",") && m.ws() { m.until(",") } else { None };
                return Some((&s[..p], speed, media));
            }
        }
    }
    None
}

/// `^.*(in|out)put\s+rate\s+(\d+)\s+\w+/sec,\s+(\d+)\s+packets.+$`
fn rate<'a>(line: &'a str, dir: &str) -> Option<(&'a str, &'a str)> {
    line.match_indices(dir)
        .filter_map(|(i, _)| {
            let mut c = Cur::new(&line[i + dir.len()..]);
            if !(c.ws() && c.lit("rate")) {
                return None;
            }
            rate_after(c.rest())
        })
        .last()
}

impl Rules for F {
    fn line(f: &mut Fsm, _n: usize, line: &str, out: &mut Out<'_>) {
        let indented = line.starts_with(char::is_whitespace);
        if !indented {
            // ^\S+\s+is -> Continue.Record
            let mut c = Cur::new(line);
            if c.word().is_some() && c.ws() && c.lit("is") {
                f.record(out.sink);
            }
            // ^${INTERFACE}\sis\s+${LINK_STATUS},\s+line\sprotocol\sis\s+${ADMIN_STATE}\s*$$
            let mut c = Cur::new(line);
            if let Some(name) = c.word() {
                let r = c.rest();
                let one = r.chars().next().filter(|ch| ch.is_whitespace()).map(char::len_utf8);
                if let Some(k) = one {
                    let mut c = Cur::new(&r[k..]);
                    if c.lit("is") && c.ws() {
                        let r = c.rest();
                        for (i, _) in r.match_indices(',').filter(|(i, _)| *i > 0) {
                            let mut c = Cur::new(&r[i + 1..]);
                            let single = |c: &mut Cur<'_>| {
                                let r = c.rest();
                                match r.chars().next() {
                                    Some(ch) if ch.is_whitespace() => c.lit(&r[..ch.len_utf8()]),
                                    _ => false,
                                }
                            };
                            if c.ws() && c.lit("line") && single(&mut c) && c.lit("protocol") && single(&mut c) && c.lit("is") && c.ws() {
                                let proto = c.rest().trim_end();
                                if !proto.is_empty() {
                                    f.set(F::interface, name);
                                    f.set(F::link_status, &r[..i]);
                                    f.set(F::admin_state, proto);
                                    return;
                                }
                            }
                        }
                    }
                }
            }
        }
        // Lines of an interface's block, indented or (pasted without the
        // indentation) not.
        let indented = indented || !f.value(F::interface).is_empty();
        let t = line.trim_start();
        if indented {
            if let Some(c) = label(t, "Hardware is") {
                if let Some((ht, m, b)) = hardware(c.rest()) {
                    f.set(F::hardware_type, ht);
                    f.opt(F::mac_address, m);
                    f.opt(F::bia, b);
                    return;
                }
            }
            if let Some(c) = label(t, "Description:") {
                f.set(F::description, c.rest().trim_end());
                return;
            }
            let mut c = Cur::new(t);
            if (c.lit("Internet") || c.lit("internet")) && c.ws() && (c.lit("Address") || c.lit("address")) && c.ws() && c.lit("is") && c.ws() {
                f.set(F::ip_address, c.rest().trim_end());
                return;
            }
            // ^\s+MTU\s+${MTU}.*BW\s+${BANDWIDTH}
            if let Some(mut c) = label(t, "MTU") {
                if let Some(mtu) = c.digits() {
                    if let Some(bw) = last_bw(c.rest()) {
                        f.set(F::mtu, mtu);
                        f.set(F::bandwidth, bw);
                        return;
                    }
                }
            }
            // ^\s+Encapsulation\s+${ENCAPSULATION},\s+(Vlan|VLAN)\s+I(D|d)\s+${VLAN_ID}.+$$
            // ^\s+Encapsulation\s+${ENCAPSULATION},.*$$
            if let Some(c) = label(t, "Encapsulation") {
                let r = c.rest();
                let enc = r.find(|ch: char| !(is_w(ch) || ch == '.' || ch.is_whitespace())).map_or(r, |k| &r[..k]);
                if !enc.is_empty() && r[enc.len()..].starts_with(',') {
                    let mut k = Cur::new(&r[enc.len() + 1..]);
                    if k.ws() && (k.lit("Vlan") || k.lit("VLAN")) && k.ws() && (k.lit("ID") || k.lit("Id")) && k.ws() {
                        let d = k.take_while(|ch| ch.is_ascii_digit());
                        let vlan = if !k.at_end() && !d.is_empty() {
                            Some(d)
                        } else if d.len() >= 2 {
                            Some(&d[..d.len() - 1])
                        } else {
                            None
                        };
                        if let Some(v) = vlan {
                            f.set(F::encapsulation, enc);
                            f.set(F::vlan_id, v);
                            return;
                        }
                    }
                    f.set(F::encapsulation, enc);
                    return;
                }
            }
            if let Some((d, s, m)) = duplex(t) {
                f.set(F::duplex, d);
                f.set(F::speed, s);
                f.opt(F::hardware_media, m);
                return;
            }
            // ^\s+Last\s+input\s+${LAST_INPUT},\s+output\s+${LAST_OUTPUT}\s*$$
            if let Some(c) = label(t, "Last input") {
                let r = c.rest();
                for (i, _) in r.match_indices(',').filter(|(i, _)| *i > 0) {
                    let mut k = Cur::new(&r[i + 1..]);
                    if k.ws() && k.lit("output") && k.ws() {
                        let o = k.rest().trim_end();
                        if !o.is_empty() {
                            f.set(F::last_input, &r[..i]);
                            f.set(F::last_output, o);
                            return;
                        }
                    }
                }
            }
        }
        if let Some((r, p)) = rate(line, "input") {
            f.set(F::input_rate, r);
            f.set(F::input_pps, p);
            return;
        }
        if let Some((r, p)) = rate(line, "output") {
            f.set(F::output_rate, r);
            f.set(F::output_pps, p);
            return;
        }
        if !indented {
            return;
        }
        let w: Vec<&str> = t.split_whitespace().collect();
        match w.as_slice() {
            [p, "packets", "input,", b, "bytes,", d, _, _, _] if is_digits(p) && is_digits(b) && is_digits(d) => f.set(F::input_packets, p),
            [p, "packets", "output,", b, "bytes,", d, _, _, _] if is_digits(p) && is_digits(b) && is_digits(d) => f.set(F::output_packets, p),
            [r, "runts,", g, "giants,", x, "throttles,", y, "parity"] if [r, g, x, y].iter().all(|s| is_digits(s)) => {
                f.set(F::runts, r);
                f.set(F::giants, g);
            }
            [e, "input", "errors,", crc, "CRC,", fr, "frame,", ov, "overrun,", ig, "ignored"] if [e, crc, fr, ov, ig].iter().all(|s| is_digits(s)) => {
                f.set(F::input_errors, e);
                f.set(F::crc, crc);
                f.set(F::frame, fr);
                f.set(F::overrun, ov);
            }
            [e, "input", "errors,", crc, "CRC,", fr, "frame,", ov, "overrun,", ig, "ignored,", a, "abort"] if [e, crc, fr, ov, ig, a].iter().all(|s| is_digits(s)) => {
                f.set(F::input_errors, e);
                f.set(F::crc, crc);
                f.set(F::frame, fr);
                f.set(F::overrun, ov);
                f.set(F::abort, a);
            }
            [e, "output", "errors,", rest @ ..] if is_digits(e) && !rest.is_empty() && rest.len() % 2 == 0 && rest.chunks(2).all(|p| is_digits(p[0])) => f.set(F::output_errors, e),
            _ => {}
        }
    }
}
