//! Cisco NX-OS `show ip bgp neighbors` (also `show ip bgp all neighbors`,
//! `vrf all`), after ntc-templates' `cisco_nxos_show_ip_bgp_neighbors`: one
//! record per `BGP neighbor is …` block — AS numbers, state and uptime,
//! VRF, source interface, resets, capabilities, message counters, and per
//! address family the table versions (lists), paths accepted and sent,
//! route maps and the TCP endpoints.
//!
//! The template's three states are kept: after `Address families advertised
//! to peer:` the next line of words is the family; after `Bytes in queue:`
//! the address-family section follows. BFD (`BFD live-detection is
//! configured`) and an MD5 password (a line mentioning MD5) are kept for the
//! typed model.

use crate::fsm::{schema, Out};
use crate::show::rows::{captures, ipv4_prefix, label};
use crate::show::LineParser;
use crate::text::{is_w, Cur};

schema! {
    neighbor, peer_group, description, vrf, asn, remote_asn, local_asn, bgp_state, uptime, source_iface,
    conn_estab, conn_dropped, last_reset, last_reset_reason, last_peer_reset, last_peer_reset_reason,
    addr_family: LIST, table_version: LIST, nei_table_version: LIST, addr_fam_adv, localhost_ip, localhost_port,
    remote_ip, remote_port, accepted_paths, sent_paths, consumed_mem, rr_old_cap, rr_new_cap, graceful_cap,
    fourbyte_cap, ext_nh_cap, restart_time_adv, restart_time_rcv, stale_time, opens_count_sent,
    notifications_count_sent, updates_count_sent, keepalives_count_sent, route_refresh_count_sent,
    capability_count_sent, total_mess_count_sent, total_bytes_count_sent, opens_count_rcvd,
    notifications_count_rcvd, updates_count_rcvd, keepalives_count_rcvd, route_refresh_count_rcvd,
    capability_count_rcvd, total_mess_count_rcvd, total_bytes_count_rcvd, total_bytes_send_queue,
    total_bytes_rcvd_queue, inbound_routemap, outbound_routemap, _bfd: HIDDEN, _password: HIDDEN,
    remote_router_id: HIDDEN,
}

#[derive(PartialEq, Clone, Copy, Default)]
enum State {
    #[default]    Start,
    AddrFamCap,
    AddrFamSection,
}

#[derive(Default)]
pub(crate) struct Parser {
    fsm: Fsm,
    state: State,
}

/// `(\d+|\d+\.\d+)` followed by `,`.
fn asn_comma<'a>(c: &mut Cur<'a>) -> Option<&'a str> {
    let r = c.rest();
    let k = r.find(',')?;
    let a = &r[..k];
    crate::text::is_asn(a).then(|| {
        *c = Cur::new(&r[k..]);
        a
    })
}

/// The neighbor line after `BGP neighbor is`: (neighbor, asn, local asn)
/// where the line has them.
fn neighbor_line(line: &str) -> Option<(&str, &str, Option<&str>)> {
    let mut c = Cur::new(line);
    if !(c.words("BGP neighbor is") && c.ws()) {
        return None;
    }
    let r = c.rest();
    let ip = ipv4_prefix(r)?;
    let mut c = Cur::new(&r[ip.len()..]);
    if !(c.lit(",") && c.ws() && c.words("remote AS") && c.ws()) {
        return None;
    }
    let asn = asn_comma(&mut c)?;
    c.lit(",");
    let mut c2 = c;
    let local = if c2.ws() && c2.words("local AS") && c2.ws() {
        let r = c2.rest();
        let n = r.bytes().take_while(u8::is_ascii_digit).count();
        (n > 0).then(|| &r[..n])
    } else {
        None
    };
    Some((ip, asn, local))
}

/// `\s+<label>\s+(\d+)\s+(\d+)` counters.
fn pair<'a>(t: &'a str, label: &str) -> Option<(&'a str, &'a str)> {
    let mut c = Cur::new(t);
    if !(c.lit(label) && c.ws()) {
        return None;
    }
    let a = c.digits()?;
    if !c.ws() {
        return None;
    }
    let b = c.digits()?;
    Some((a, b))
}

/// `[\w\s]+` greedy (at least one character).
fn words_class(s: &str) -> Option<&str> {
    let n = s.find(|ch: char| !(is_w(ch) || ch.is_whitespace())).unwrap_or(s.len());
    (n > 0).then(|| &s[..n])
}

impl Parser {
    fn neighbor(&mut self, line: &str, out: &mut Out<'_>, full: bool) -> bool {
        let mut c = Cur::new(line);
        if !c.words("BGP neighbor is") {
            return false;
        }
        self.fsm.record(out.sink);
        if let Some((ip, asn, local)) = neighbor_line(line) {
            let f = &mut self.fsm;
            f.set(F::neighbor, ip);
            f.set(F::asn, asn);
            if full {
                f.set(F::remote_asn, asn);
                if let Some(l) = local {
                    f.set(F::local_asn, l);
                }
            }
            return true;
        }
        true
    }

    fn start(&mut self, line: &str, out: &mut Out<'_>) {
        if line.starts_with("BGP") && self.neighbor(line, out, true) {
            return;
        }
        if !line.starts_with(char::is_whitespace) {
            return;
        }
        let f = &mut self.fsm;
        let t = line.trim_start();
        let low = t.to_ascii_lowercase();
        if low.contains("md5") || low.contains("password is configured") || low.contains("authentication is enabled") {
            f.set(F::_password, "yes");
        }
        if t.starts_with("BFD live-detection is configured") || t.starts_with("BFD is enabled") {
            f.set(F::_bfd, "yes");
        }
        if let Some(id) = crate::show::cisco_ios::show_ip_bgp_neighbors::remote_router_id(line) {
            f.set(F::remote_router_id, id);
        }
        // Inherits.+\s(\S+): the last word.
        if let Some(r) = t.strip_prefix("Inherits") {
            if let Some(last) = r.trim_end().rsplit(char::is_whitespace).next() {
                if !r.trim_end().is_empty() && r.trim_end().len() > last.len() {
                    f.set(F::peer_group, last);
                    return;
                }
            }
        }
        if let Some(c) = label(t, "Description:") {
            f.set(F::description, c.rest());
            return;
        }
        // BGP state = STATE, \w+ for UPTIME
        if let Some(r) = t.strip_prefix("BGP state = ") {
            let n = r.find(|ch: char| !(is_w(ch) || ch.is_whitespace() || ch == '(' || ch == ')')).unwrap_or(r.len());
            if n > 0 && r[n..].starts_with(", ") {
                let mut c = Cur::new(&r[n + 2..]);
                if c.wordchars().is_some() && c.lit(" for ") {
                    let up = c.take_while(|ch| is_w(ch) || ch == ':');
                    if !up.is_empty() {
                        f.set(F::bgp_state, &r[..n]);
                        f.set(F::uptime, up);
                        return;
                    }
                }
            }
        }
        if let Some([v]) = captures(t, "Neighbor vrf: {w}") {
            f.set(F::vrf, v);
            return;
        }
        // Using (\w+[\/\d+]+) as [\w\s]+
        if let Some(r) = t.strip_prefix("Using ") {
            if let Some((ifc, rest)) = r.split_once(' ') {
                if source_iface(ifc) && rest.starts_with("as ") && words_class(&rest[3..]).is_some() {
                    f.set(F::source_iface, ifc);
                    return;
                }
            }
        }
        // [\w\s]+, interface (\w+[\/\d+]+)
        if let Some(k) = t.find(", interface ") {
            if words_class(&t[..k]).map(str::len) == Some(k) {
                let r = &t[k + 12..];
                let ifc = longest_iface(r);
                if let Some(ifc) = ifc {
                    f.set(F::source_iface, ifc);
                    return;
                }
            }
        }
        let mut c = Cur::new(t);
        if c.lit("Connections established ") {
            if let Some(e) = c.wordchars() {
                if c.lit(", dropped ") {
                    if let Some(d) = c.wordchars() {
                        f.set(F::conn_estab, e);
                        f.set(F::conn_dropped, d);
                        return;
                    }
                }
            }
        }
        for (label, at, reason) in [("Last reset by us ", F::last_reset, F::last_reset_reason), ("Last reset by peer ", F::last_peer_reset, F::last_peer_reset_reason)] {
            if let Some(r) = t.strip_prefix(label) {
                let run = &r[..r.find(char::is_whitespace).unwrap_or(r.len())];
                if let Some(k) = run.rfind(',').filter(|k| *k > 0) {
                    if let Some(why) = r[k..].strip_prefix(", due to ") {
                        f.set(at, &r[..k]);
                        f.set(reason, why);
                        return;
                    }
                }
            }
        }
        for (label, fld) in [
            ("Route refresh capability (new):", F::rr_new_cap),
            ("Route refresh capability (old):", F::rr_old_cap),
            ("4-Byte AS capability:", F::fourbyte_cap),
            ("Graceful Restart capability:", F::graceful_cap),
            ("Extended Next Hop Encoding Capability:", F::ext_nh_cap),
        ] {
            let mut c = Cur::new(t);
            if c.lit(label) && c.ws() {
                if let Some(v) = words_class(c.rest()) {
                    f.set(fld, v);
                    return;
                }
            }
        }
        if t.starts_with("Address families advertised to peer:") || t.starts_with("Address families received from peer:") {
            self.state = State::AddrFamCap;
            return;
        }
        for (label, fld) in [("Restart time advertised to peer:", F::restart_time_adv), ("Stale time for routes advertised by peer:", F::stale_time), ("Restart time advertised by peer:", F::restart_time_rcv)] {
            let mut c = Cur::new(t);
            if c.lit(label) && c.ws() {
                if let Some(d) = c.digits() {
                    if c.lit(" seconds") {
                        f.set(fld, d);
                        return;
                    }
                }
            }
        }
        for (label, s, r) in [
            ("Opens:", F::opens_count_sent, F::opens_count_rcvd),
            ("Notifications:", F::notifications_count_sent, F::notifications_count_rcvd),
            ("Updates:", F::updates_count_sent, F::updates_count_rcvd),
            ("Keepalives:", F::keepalives_count_sent, F::keepalives_count_rcvd),
            ("Route Refresh:", F::route_refresh_count_sent, F::route_refresh_count_rcvd),
            ("Capability:", F::capability_count_sent, F::capability_count_rcvd),
            ("Total:", F::total_mess_count_sent, F::total_mess_count_rcvd),
            ("Total bytes:", F::total_bytes_count_sent, F::total_bytes_count_rcvd),
            ("Bytes in queue:", F::total_bytes_send_queue, F::total_bytes_rcvd_queue),
        ] {
            if let Some((a, b)) = pair(t, label) {
                f.set(s, a);
                f.set(r, b);
                if label == "Bytes in queue:" {
                    self.state = State::AddrFamSection;
                }
                return;
            }
        }
    }

    fn addr_fam_section(&mut self, line: &str, out: &mut Out<'_>) {
        if line.starts_with("BGP") {
            let mut c = Cur::new(line);
            if c.words("BGP neighbor is") {
                self.fsm.record(out.sink);
                if let Some((ip, asn, local)) = neighbor_line(line) {
                    let f = &mut self.fsm;
                    f.set(F::neighbor, ip);
                    f.set(F::asn, asn);
                    f.set(F::remote_asn, asn);
                    if let Some(l) = local {
                        f.set(F::local_asn, l);
                    }
                    self.state = State::Start;
                }
                return;
            }
        }
        if !line.starts_with(char::is_whitespace) {
            return;
        }
        let f = &mut self.fsm;
        let t = line.trim_start();
        if t.to_ascii_lowercase().contains("md5") {
            f.set(F::_password, "yes");
        }
        let mut c = Cur::new(t);
        if c.lit("For address family:") && c.ws() {
            if let Some(v) = words_class(c.rest()) {
                f.set(F::addr_family, v);
                return;
            }
        }
        let mut c = Cur::new(t);
        if c.lit("BGP table version ") {
            if let Some(a) = c.digits() {
                if c.lit(", neighbor version ") {
                    if let Some(b) = c.digits() {
                        f.set(F::table_version, a);
                        f.set(F::nei_table_version, b);
                        return;
                    }
                }
            }
        }
        let mut c = Cur::new(t);
        if let Some(a) = c.digits() {
            if c.lit(" accepted paths consume ") {
                if let Some(m) = c.digits() {
                    if c.lit(" bytes of memory") {
                        f.set(F::accepted_paths, a);
                        f.set(F::consumed_mem, m);
                        return;
                    }
                }
            }
            if c.lit(" sent paths") {
                f.set(F::sent_paths, a);
                return;
            }
        }
        for (dir, fld) in [("Inbound", F::inbound_routemap), ("Outbound", F::outbound_routemap)] {
            let mut c = Cur::new(t);
            if c.lit(dir) && c.ws() && c.words("route-map configured is") && c.ws() {
                let r = c.rest();
                let run = &r[..r.find(char::is_whitespace).unwrap_or(r.len())];
                if let Some(k) = run.rfind(',').filter(|k| *k > 0) {
                    let mut c2 = Cur::new(&r[k + 1..]);
                    if c2.ws() && c2.words("handle obtained") {
                        f.set(fld, &r[..k]);
                        return;
                    }
                }
            }
        }
        for (label, port_label, ip_f, port_f) in [("Local host:", ", Local port:", F::localhost_ip, F::localhost_port), ("Foreign host:", ", Foreign port:", F::remote_ip, F::remote_port)] {
            let mut c = Cur::new(t);
            if c.lit(label) && c.ws() {
                if let Some(ip) = ipv4_prefix(c.rest()) {
                    let mut c2 = Cur::new(&c.rest()[ip.len()..]);
                    if c2.lit(port_label) && c2.ws() {
                        if let Some(p) = c2.digits() {
                            f.set(ip_f, ip);
                            f.set(port_f, p);
                            return;
                        }
                    }
                }
            }
        }
    }
}

/// `\w+[\/\d+]+` as a whole word.
fn source_iface(s: &str) -> bool {
    longest_iface(s).map(str::len) == Some(s.len())
}

/// `\w+[\/\d+]+` as a prefix: the longest match.
fn longest_iface(r: &str) -> Option<&str> {
    let w = r.find(|ch: char| !is_w(ch)).unwrap_or(r.len());
    if w == 0 {
        return None;
    }
    let rest = r[w..].bytes().take_while(|b| *b == b'/' || *b == b'+' || b.is_ascii_digit()).count();
    if rest > 0 {
        return Some(&r[..w + rest]);
    }
    // `\w+` gives its last digit back to `[\/\d+]+`.
    (w >= 2 && r.as_bytes()[w - 1].is_ascii_digit()).then(|| &r[..w])
}

impl LineParser for Parser {
    fn line(&mut self, _n: usize, line: &str, out: &mut Out<'_>) {
        match self.state {
            State::Start => self.start(line, out),
            State::AddrFamCap => {
                let t = line.trim_start();
                if t.len() < line.len() {
                    // ^\s+([\s\w]+$)
                    if t.chars().all(|ch| is_w(ch) || ch.is_whitespace()) {
                        let v = if t.is_empty() { &line[line.len() - 1..] } else { t };
                        self.fsm.set(F::addr_fam_adv, v);
                        self.state = State::Start;
                        return;
                    }
                }
                let mut c = Cur::new(line);
                if c.words("BGP neighbor is") {
                    self.fsm.record(out.sink);
                    if let Some((ip, asn, _)) = neighbor_line(line) {
                        self.fsm.set(F::neighbor, ip);
                        self.fsm.set(F::asn, asn);
                        self.state = State::Start;
                    }
                }
            }
            State::AddrFamSection => self.addr_fam_section(line, out),
        }
    }

    fn finish(&mut self, _last: usize, out: &mut Out<'_>) {
        self.fsm.record(out.sink);
    }
}
