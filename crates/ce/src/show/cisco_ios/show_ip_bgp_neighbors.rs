//! Cisco IOS / IOS-XE `show ip bgp neighbors` and `show ip bgp vpnv4 all
//! neighbors`: one record per `BGP neighbor is …` block, after
//! ntc-templates' `cisco_ios_show_ip_bgp_neighbors` and
//! `cisco_ios_show_ip_bgp_vpnv4_all_neighbors`.
//!
//! Besides the templates' fields, the block's lines give the typed model
//! what the cross-check needs: the session's uptime and the reason of a
//! non-established state, the prefixes received and sent (`Prefixes
//! Current:`, summed over address families), BFD (`BFD is configured`),
//! the MD5 option of the TCP connection (`Option Flags: … md5`), the last
//! reset's reason, and asdot ASNs the templates cut at the dot.

use crate::fsm::{schema, Out};
use crate::show::rows::{captures, ipv4_prefix, label, leading_digits};
use crate::show::{Switched, Variant};
use crate::text::{is_digits, is_ipv4, Cur};

schema! {
    neighbor, vrf, remote_as, local_as, description, peer_group, remote_router_id, bgp_state, localhost_ip,
    localhost_port, remote_ip, remote_port, inbound_routemap, outbound_routemap, _remote_as: HIDDEN,
    _local_as: HIDDEN, _state_detail: HIDDEN, _up_for: HIDDEN, _password: HIDDEN, _bfd: HIDDEN,
    _prefixes_received: HIDDEN, _prefixes_sent: HIDDEN, _last_reset_reason: HIDDEN,
}

/// The plain template has no `local_as` or `description`.
const PLAIN_SKIP: &[F] = &[F::local_as, F::description];

/// `show ip bgp neighbors`.
pub(crate) type Parser = Variant<Neighbors, false>;

/// `show ip bgp vpnv4 all neighbors`.
pub(crate) type Vpnv4 = Variant<Neighbors, true>;

impl Switched for Neighbors {
    fn switched(vpnv4: bool) -> Neighbors {
        let schema = if vpnv4 { SCHEMA } else { plain_schema() };
        Neighbors { fsm: crate::fsm::Fsm::new(schema), vpnv4, rcvd: 0, sent: 0, pfx_seen: false }
    }

    fn read(&mut self, _n: usize, line: &str, out: &mut Out<'_>) {
        self.line(line, out)
    }

    fn end(&mut self, out: &mut Out<'_>) {
        self.record(out);
    }
}

pub(crate) struct Neighbors {
    fsm: crate::fsm::Fsm,
    vpnv4: bool,
    rcvd: u64,
    sent: u64,
    pfx_seen: bool,
}

/// The schema of each variant: the plain one drops two fields.
static PLAIN_SCHEMA: std::sync::OnceLock<Vec<(&'static str, u8)>> = std::sync::OnceLock::new();

fn plain_schema() -> &'static [(&'static str, u8)] {
    PLAIN_SCHEMA.get_or_init(|| SCHEMA.iter().enumerate().map(|(i, (n, o))| if PLAIN_SKIP.iter().any(|f| *f as usize == i) { (*n, *o | crate::fsm::HIDDEN) } else { (*n, *o) }).collect())
}

impl Neighbors {
    fn record(&mut self, out: &mut Out<'_>) {
        if self.pfx_seen {
            self.fsm.set(F::_prefixes_received, &self.rcvd.to_string());
            self.fsm.set(F::_prefixes_sent, &self.sent.to_string());
        }
        self.rcvd = 0;
        self.sent = 0;
        self.pfx_seen = false;
        self.fsm.record(out.sink);
    }

    fn line(&mut self, line: &str, out: &mut Out<'_>) {
        let mut c = Cur::new(line);
        if c.words("BGP neighbor is") {
            self.record(out);
            if c.ws() {
                if self.vpnv4 {
                    self.neighbor_line_vpnv4(c);
                } else {
                    self.neighbor_line(c);
                }
            }
            return;
        }
        let f = &mut self.fsm;
        let t = line.trim_start();
        let indented = t.len() < line.len();
        // ^\s*Member\s+of\s+peer-group\s+(\S+)
        if let Some([w]) = captures(t, "Member of peer-group {w}") {
            f.set(F::peer_group, w);
            return;
        }
        // ^\s+Description:\s+(.+)  (vpnv4 only)
        if self.vpnv4 && indented {
            let mut c = Cur::new(t);
            if c.lit("Description:") && c.ws() && !c.at_end() {
                f.set(F::description, c.rest());
                return;
            }
        }
        // ^.+remote\s+router\s+ID\s+(ipv4)
        if let Some(id) = remote_router_id(line) {
            f.set(F::remote_router_id, id);
            return;
        }
        if indented {
            let mut c = Cur::new(t);
            // ^\s+BGP\s+state\s+=\s+(\w+)
            if c.words("BGP state") && c.ws0_eq() {
                let w = c.wordchars();
                if let Some(w) = w {
                    f.set(F::bgp_state, w);
                    let rest = c.rest();
                    if let Some(d) = rest.trim_start().strip_prefix('(') {
                        f.set(F::_state_detail, d.split(')').next().unwrap_or("").trim());
                    }
                    if let Some(i) = rest.find("up for ") {
                        f.set(F::_up_for, rest[i + 7..].split(',').next().unwrap_or("").trim());
                    }
                    return;
                }
            }
            if let Some(mut c) = label(t, "Route map for") {
                let dir = if c.lit("incoming") { Some(F::inbound_routemap) } else if c.lit("outgoing") { Some(F::outbound_routemap) } else { None };
                if let Some(dir) = dir {
                    if c.ws() && c.words("advertisements is") && c.ws() {
                        if let Some(w) = c.word() {
                            f.set(dir, w);
                            return;
                        }
                    }
                }
            }
            if let Some(r) = t.strip_prefix("Prefixes Current:") {
                let mut it = r.split_whitespace();
                if let (Some(s), Some(rc)) = (it.next(), it.next()) {
                    if let (Ok(s), Ok(rc)) = (s.parse::<u64>(), rc.parse::<u64>()) {
                        self.sent += s;
                        self.rcvd += rc;
                        self.pfx_seen = true;
                    }
                }
                return;
            }
            if t.starts_with("BFD is configured") {
                f.set(F::_bfd, "yes");
                return;
            }
            if let Some(r) = t.strip_prefix("Last reset ") {
                if let Some(i) = r.find("due to ") {
                    f.set(F::_last_reset_reason, r[i + 7..].trim());
                }
                return;
            }
        }
        if let Some(r) = t.strip_prefix("Option Flags:") {
            f.set(F::_password, if r.contains("md5") { "yes" } else { "no" });
            return;
        }
        // ^Local\s+host:\s+(ip),\s+Local\s+port:\s+(\d+)
        for (label, port_label, ip_f, port_f) in [("Local host:", "Local port:", F::localhost_ip, F::localhost_port), ("Foreign host:", "Foreign port:", F::remote_ip, F::remote_port)] {
            let mut c = Cur::new(line);
            if c.words(label) && c.ws() {
                if let Some(ip) = c.until(",").filter(|s| is_ipv4(s)) {
                    if c.lit(",") && c.ws() && c.words(port_label) && c.ws() {
                        if let Some(p) = c.digits() {
                            f.set(ip_f, ip);
                            f.set(port_f, p);
                            return;
                        }
                    }
                }
            }
        }
    }

    /// `^BGP\s+neighbor\s+is\s+IP,(\s+vrf\s+VRF,)?\s+remote\s+AS\s+(\d+)`
    fn neighbor_line(&mut self, mut c: Cur<'_>) {
        let Some(ip) = c.until(",").filter(|s| is_ipv4(s)) else { return };
        c.lit(",");
        let save = c;
        let mut vrf = None;
        if c.ws() && c.lit("vrf") && c.ws() {
            if let Some(v) = c.until(",").filter(|v| !v.is_empty() && !v.contains(char::is_whitespace)) {
                c.lit(",");
                vrf = Some(v);
            } else {
                c = save;
            }
        } else {
            c = save;
        }
        if !(c.ws() && c.words("remote AS") && c.ws()) {
            return;
        }
        let rest = c.rest();
        let Some(asn) = leading_digits(rest) else { return };
        let f = &mut self.fsm;
        f.set(F::neighbor, ip);
        f.opt(F::vrf, vrf);
        f.set(F::remote_as, asn);
        f.set(F::_remote_as, rest.split([',', ' ']).next().unwrap_or(""));
        if let Some(i) = rest.find("local AS ") {
            f.set(F::_local_as, rest[i + 9..].split([',', ' ']).next().unwrap_or(""));
        }
    }

    /// `^BGP\s+neighbor\s+is\s+IP,\s+vrf\s+VRF,\s+remote\s+AS\s+(\d+),(\s+local\s+AS\s+(\d+),)?\s+\S+\s+link\s*$`
    fn neighbor_line_vpnv4(&mut self, mut c: Cur<'_>) {
        let Some(ip) = c.until(",").filter(|s| is_ipv4(s)) else { return };
        c.lit(",");
        if !(c.ws() && c.lit("vrf") && c.ws()) {
            return;
        }
        let Some(vrf) = c.until(",").filter(|v| !v.is_empty() && !v.contains(char::is_whitespace)) else { return };
        c.lit(",");
        if !(c.ws() && c.words("remote AS") && c.ws()) {
            return;
        }
        let Some(ras) = c.until(",").filter(|s| is_digits(s)) else { return };
        c.lit(",");
        let mut las = None;
        let save = c;
        if c.ws() && c.words("local AS") && c.ws() {
            match c.until(",").filter(|s| is_digits(s)) {
                Some(l) => {
                    c.lit(",");
                    las = Some(l);
                }
                None => c = save,
            }
        } else {
            c = save;
        }
        if !(c.ws() && c.word().is_some() && c.ws() && c.lit("link") && c.eol()) {
            return;
        }
        let f = &mut self.fsm;
        f.set(F::neighbor, ip);
        f.set(F::vrf, vrf);
        f.set(F::remote_as, ras);
        f.opt(F::local_as, las);
        f.set(F::_remote_as, ras);
    }
}

/// `^.+remote\s+router\s+ID\s+(\d{1,3}(\.\d{1,3}){3})` — the last match.
pub(crate) fn remote_router_id(line: &str) -> Option<&str> {
    let mut best = None;
    let mut from = 1;
    while let Some(i) = line.get(from..).and_then(|s| s.find("remote")) {
        let at = from + i;
        let mut c = Cur::new(&line[at..]);
        if c.words("remote router ID") && c.ws() {
            let w = c.take_while(|ch| ch.is_ascii_digit() || ch == '.');
            // `\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}` as a prefix of the rest.
            if let Some(ip) = ipv4_prefix(w) {
                best = Some(ip);
            }
        }
        from = at + 1;
    }
    best
}

impl<'a> Cur<'a> {
    /// `\s+=\s+`
    fn ws0_eq(&mut self) -> bool {
        let save = *self;
        if self.ws() && self.lit("=") && self.ws() {
            true
        } else {
            *self = save;
            false
        }
    }
}
