//! Cisco IOS / IOS-XE `show interfaces`, after ntc-templates'
//! `cisco_ios_show_interfaces`: one record per interface (`X is up, line
//! protocol is up`), with hardware, addresses, description, MTU and
//! bandwidth, encapsulation and VLAN, last input/output, queues, duplex and
//! speed, rates, and the packet and error counters.

use super::super::iface_words::{last_bw, name_is, rate_after};
use crate::fsm::{schema, Out};
use crate::show::rows::label;
use crate::show::Rules;
use crate::text::{is_w, Cur};

schema! {
    interface: REQUIRED, link_status, protocol_status, hardware_type, mac_address, bia, description, ip_address,
    prefix_length, mtu, duplex, speed, media_type, bandwidth, delay, encapsulation, last_input, last_output,
    last_output_hang, queue_strategy, input_rate, output_rate, input_pps, output_pps, input_packets,
    output_packets, runts, giants, input_errors, crc, frame, overrun, abort, output_errors, vlan_id,
    vlan_id_inner, vlan_id_outer, queue_size, queue_max, queue_drops, queue_flushes, queue_output_drops,
}

/// The parser: the template's record alone ([`Rules`]).
pub(crate) type Parser = Fsm;

/// Every position where `pattern` (words separated by `\s+`) matches in
/// `s`, with the end of the match.
fn find_words<'a>(s: &'a str, pattern: &'a str) -> impl Iterator<Item = (usize, usize)> + 'a {
    let first = pattern.split(' ').next().unwrap_or("");
    s.match_indices(first).filter_map(move |(i, _)| {
        let mut c = Cur::new(&s[i..]);
        c.words(pattern).then(|| (i, s.len() - c.rest().len()))
    })
}

fn mac(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    if b.len() < 14 {
        return None;
    }
    let ok = (0..14).all(|i| if i == 4 || i == 9 { b[i] == b'.' } else { b[i].is_ascii_hexdigit() });
    ok.then(|| &s[..14])
}

/// `(.+?)<sep>` with `sep` a word pattern: the text before the first
/// separator (at least one character), and the cursor after it.
fn lazy_until<'a>(s: &'a str, sep: &'a str) -> Option<(&'a str, &'a str)> {
    find_words(s, sep).find(|(i, _)| *i > 0).map(|(i, e)| (&s[..i], &s[e..]))
}

/// `GigabitEthernet0/0/1`, `BDI105`, `Port-channel1.100`: a letter
/// first, a digit in it.
fn is_interface_name(w: &str) -> bool {
    w.starts_with(|c: char| c.is_ascii_alphabetic()) && w.contains(|c: char| c.is_ascii_digit())
}

impl Parser {
    fn head(line: &str) -> Option<(&str, &str, &str)> {
        // ^(\S+)\s+is\s+(.+?),\s+line\s+protocol\s+is\s+(.+?)\s*$
        let (name, r) = name_is(line)?;
        let (link, rest) = find_words(r, ", line protocol is").find(|(i, e)| *i > 0 && r[*e..].starts_with(char::is_whitespace)).map(|(i, e)| (&r[..i], &r[e..]))?;
        let proto = rest.trim();
        (!proto.is_empty()).then_some((name, link, proto))
    }
}

impl Rules for F {
    fn line(f: &mut Fsm, _n: usize, line: &str, out: &mut Out<'_>) {
        // ^\S+\s+is\s+.+?,\s+line\s+protocol.*$ -> Continue.Record
        // (also indented, as a copy from an e-mail or a document has it,
        // when the first word is an interface's name).
        let head = line.trim_start();
        if head.len() == line.len() || head.split_whitespace().next().is_some_and(is_interface_name) {
            let line = head;
            let mut c = Cur::new(line);
            if c.word().is_some() && c.ws() && c.lit("is") && c.ws() && find_words(c.rest(), ", line protocol").any(|(i, _)| i > 0) {
                f.record(out.sink);
                if let Some((name, link, proto)) = Parser::head(line) {
                    f.set(F::interface, name);
                    f.set(F::link_status, link);
                    f.set(F::protocol_status, proto);
                }
                return;
            }
            // `pseudowire1 is up`: an interface with no line protocol.
            if let [name, "is", link @ ..] = &line.split_whitespace().collect::<Vec<_>>()[..] {
                if is_interface_name(name) && matches!(link, ["up"] | ["down"] | ["administratively", "down"]) {
                    let name: &str = name;
                    f.record(out.sink);
                    f.set(F::interface, name);
                    f.set(F::link_status, &link.join(" "));
                    f.unset(F::protocol_status);
                    return;
                }
            }
        }
        // Lines of an interface's block, indented or (pasted without the
        // indentation) not.
        let indented = line.starts_with(char::is_whitespace) || !f.value(F::interface).is_empty();
        let t = line.trim_start();
        if indented {
            // ^\s+Hardware\s+is\s+([\w \-]+) -> Continue
            if let Some(mut c) = label(t, "Hardware is") {
                let hw = c.take_while(|ch| is_w(ch) || ch == ' ' || ch == '-');
                if !hw.is_empty() {
                    f.set(F::hardware_type, hw);
                }
            }
        }
        // ^.+address\s+is\s+(MAC)\s+\(bia\s+(MAC)\)\s*$
        if let Some((_, e)) = find_words(line, "address is").filter(|(i, e)| *i > 0 && line[*e..].starts_with(char::is_whitespace)).last() {
            let r = line[e..].trim_start();
            if let Some(m) = mac(r) {
                let mut c = Cur::new(&r[14..]);
                if c.ws() && c.lit("(bia") && c.ws() {
                    if let Some(b) = mac(c.rest()) {
                        let mut c2 = Cur::new(&c.rest()[14..]);
                        if c2.lit(")") && c2.eol() {
                            f.set(F::mac_address, m);
                            f.set(F::bia, b);
                            return;
                        }
                    }
                }
            }
        }
        if !indented {
            return;
        }
        if let Some(c) = label(t, "Description:") {
            let d = c.rest().trim_end();
            if !d.is_empty() {
                f.set(F::description, d);
                return;
            }
        }
        if let Some(c) = label(t, "Internet address is") {
            let r = c.rest().trim_end();
            if let Some((ip, len)) = r.split_once('/') {
                if crate::text::is_dotted4(ip, 0) && crate::text::is_digits(len) {
                    f.set(F::ip_address, ip);
                    f.set(F::prefix_length, len);
                    return;
                }
            }
        }
        // ^\s+MTU\s+(\d+).*BW\s+(\d+\s+\w+).*DLY\s+(\d+\s+\S+),\s*$
        if let Some(mut c) = label(t, "MTU") {
            if let Some(mtu) = c.digits() {
                let r = c.rest();
                let dly = r.match_indices("DLY").filter_map(|(i, _)| {
                    let mut c = Cur::new(&r[i + 3..]);
                    if !c.ws() {
                        return None;
                    }
                    let start = r.len() - c.rest().len();
                    c.digits()?;
                    if !c.ws() {
                        return None;
                    }
                    let w = c.word()?;
                    if w.len() < 2 || !w.ends_with(',') || !c.eol() {
                        return None;
                    }
                    let end = r.len() - c.rest().len() - 1;
                    Some((i, &r[start..end]))
                });
                if let Some((di, delay)) = dly.last() {
                    let before = &r[..di];
                    if let Some(bw) = last_bw(before) {
                        f.set(F::mtu, mtu);
                        f.set(F::bandwidth, bw);
                        f.set(F::delay, delay);
                        return;
                    }
                }
            }
        }
        // Encapsulation
        if let Some(c) = label(t, "Encapsulation") {
            let r = c.rest();
            if let Some((enc, rest)) = lazy_until(r, ", Vlan ID") {
                let mut c = Cur::new(rest);
                if c.ws() {
                    if let Some(v) = c.digits() {
                        f.set(F::encapsulation, enc);
                        f.set(F::vlan_id, v);
                        return;
                    }
                }
            }
            if let Some((enc, rest)) = lazy_until(r, ", outer ID") {
                let mut c = Cur::new(rest);
                if c.ws() {
                    if let Some(o) = c.digits() {
                        if c.lit(",") && c.ws() && c.words("inner ID") && c.ws() {
                            if let Some(i) = c.digits() {
                                f.set(F::encapsulation, enc);
                                f.set(F::vlan_id_outer, o);
                                f.set(F::vlan_id_inner, i);
                                return;
                            }
                        }
                    }
                }
            }
            if let Some(k) = r.find(',').filter(|k| *k > 0 && r.len() > k + 1) {
                f.set(F::encapsulation, &r[..k]);
                return;
            }
        }
        // Last input X, output Y, output hang Z
        if let Some(c) = label(t, "Last input") {
            let r = c.rest();
            for (i, e) in find_words(r, ", output").filter(|(i, e)| *i > 0 && r[*e..].starts_with(char::is_whitespace)) {
                let after = r[e..].trim_start();
                if let Some((lo, rest)) = find_words(after, ", output hang").find(|(k, e2)| *k > 0 && after[*e2..].starts_with(char::is_whitespace)).map(|(k, e2)| (&after[..k], &after[e2..])) {
                    let hang = rest.trim();
                    if !hang.is_empty() {
                        f.set(F::last_input, &r[..i]);
                        f.set(F::last_output, lo);
                        f.set(F::last_output_hang, hang);
                        return;
                    }
                }
            }
        }
        // Input queue: a/b/c/d (size/max/drops/flushes); Total output drops: e
        if let Some(mut c) = label(t, "Input queue:") {
            let q: Vec<&str> = c.word().unwrap_or("").split('/').collect();
            if q.len() == 4 && q.iter().all(|x| crate::text::is_digits(x)) && c.ws() && c.lit("(size/max/drops/flushes);") && c.ws() && c.lit("Total output") && c.ws() && c.lit("drops:") && c.ws() {
                if let Some(d) = c.digits() {
                    if c.eol() {
                        f.set(F::queue_size, q[0]);
                        f.set(F::queue_max, q[1]);
                        f.set(F::queue_drops, q[2]);
                        f.set(F::queue_flushes, q[3]);
                        f.set(F::queue_output_drops, d);
                        return;
                    }
                }
            }
        }
        let mut c = Cur::new(t);
        if c.words("Queueing strategy:") && c.ws() && !c.at_end() {
            f.set(F::queue_strategy, c.rest());
            return;
        }
        // Duplex, speed, media type
        if t.starts_with(['F', 'f', 'A', 'a', 'H', 'h']) {
            let ok = ["Full", "full", "Auto", "auto", "Half", "half", "A-", "a-"].iter().any(|p| t.starts_with(p));
            if ok {
                for (i, _) in t.match_indices(',') {
                    let duplex = &t[..i];
                    let mut c = Cur::new(&t[i + 1..]);
                    if !c.ws() {
                        continue;
                    }
                    let r = c.rest();
                    // 1. `SPEED,.+media\s+type\s+is\s*(\S+.*)?$`
                    for (k, _) in r.match_indices(',') {
                        let after = &r[k + 1..];
                        if let Some((_, e)) = find_words(after, "media type is").filter(|(j, _)| *j > 0).last() {
                            let m = after[e..].trim_start();
                            f.set(F::duplex, duplex);
                            f.set(F::speed, &r[..k]);
                            f.opt(F::media_type, (!m.is_empty()).then_some(m));
                            return;
                        }
                    }
                    // 2. `SPEED,.+TX/FX$`
                    for (k, _) in r.match_indices(',') {
                        if r[k + 1..].len() > 5 && r.ends_with("TX/FX") {
                            f.set(F::duplex, duplex);
                            f.set(F::speed, &r[..k]);
                            return;
                        }
                    }
                    // 3. `SPEED$`
                    f.set(F::duplex, duplex);
                    f.set(F::speed, r);
                    return;
                }
            }
        }
        // ^.*input\s+rate\s+(\d+)\s+\w+/sec,\s+(\d+)\s+packets.+$
        for (dir, rate_f, pps_f) in [("input rate", F::input_rate, F::input_pps), ("output rate", F::output_rate, F::output_pps)] {
            if let Some((rate, pps)) = find_words(line, dir).filter_map(|(_, e)| rate_after(&line[e..])).last() {
                f.set(rate_f, rate);
                f.set(pps_f, pps);
                return;
            }
        }
        // Counters.
        let mut c = Cur::new(t);
        if let Some(n1) = c.digits() {
            if c.ws() {
                let r = c.rest();
                let mut c = Cur::new(r);
                if c.words("packets input,") && c.ws() && c.digits().is_some() && c.ws() && c.lit("bytes,") && c.ws() && c.digits().is_some() && c.ws() && c.words("no buffer") && c.eol() {
                    f.set(F::input_packets, n1);
                    return;
                }
                if let Some(mut c) = label(r, "runts,") {
                    if let Some(g) = c.digits() {
                        if c.ws() && c.lit("giants,") && c.ws() && c.digits().is_some() && c.ws() && c.lit("throttles") && c.eol() {
                            f.set(F::runts, n1);
                            f.set(F::giants, g);
                            return;
                        }
                    }
                }
                if let Some(mut c) = label(r, "input errors,") {
                    let crc = c.digits();
                    let ok1 = crc.is_some() && c.ws() && c.lit("CRC,") && c.ws();
                    let frame = if ok1 { c.digits() } else { None };
                    let ok2 = frame.is_some() && c.ws() && c.lit("frame,") && c.ws();
                    let over = if ok2 { c.digits() } else { None };
                    if let (Some(crc), Some(frame), Some(over)) = (crc, frame, over) {
                        if c.ws() && c.lit("overrun,") && c.ws() && c.digits().is_some() && c.ws() && c.lit("ignored") {
                            let mut c2 = c;
                            let abort = if c2.lit(",") && c2.ws() {
                                c2.digits().filter(|_| c2.ws() && c2.lit("abort") && c2.eol())
                            } else {
                                None
                            };
                            if c.eol() || abort.is_some() {
                                f.set(F::input_errors, n1);
                                f.set(F::crc, crc);
                                f.set(F::frame, frame);
                                f.set(F::overrun, over);
                                if let Some(a) = abort {
                                    f.set(F::abort, a);
                                }
                                return;
                            }
                        }
                    }
                }
                let mut c = Cur::new(r);
                if c.words("packets output,") && c.ws() && c.digits().is_some() && c.ws() && c.lit("bytes,") && c.ws() && c.digits().is_some() && c.ws() && c.lit("underruns") && c.eol() {
                    f.set(F::output_packets, n1);
                    return;
                }
                let mut c = Cur::new(r);
                if c.words("output errors,") && c.ws() && c.digits().is_some() && c.ws() && c.lit("collisions,") && c.ws() && c.digits().is_some() && c.ws() && c.words("interface resets") && c.eol() {
                    f.set(F::output_errors, n1);
                }
            }
        }
    }
}
