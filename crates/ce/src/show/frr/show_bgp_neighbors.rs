//! FRR `show bgp neighbors` (also `show ip bgp neighbors [X]`): one record
//! per `BGP neighbor is X, remote AS N, local AS M, external link` (or
//! `BGP neighbor on swp1: fe80::…` for an unnumbered session) block, with
//! the field names of ntc-templates' Cisco IOS template where FRR prints
//! the same thing, and what the cross-check needs: state and uptime,
//! hostname, description, peer group, accepted prefixes, BFD, the MD5
//! password (`Peer Authentication Enabled`), route maps and the last reset.

use crate::fsm::{schema, Out};
use crate::show::rows::label;
use crate::show::LineParser;
use crate::text::Cur;

schema! {
    neighbor, interface, vrf, remote_as, local_as, link_type, hostname, description, peer_group, remote_router_id,
    local_router_id, bgp_state, uptime, accepted_prefixes: LIST, address_family: LIST, inbound_routemap,
    outbound_routemap, last_reset, last_reset_reason, localhost_ip, localhost_port, remote_ip, remote_port,
    password_configured, bfd, bfd_status,
}

#[derive(Default)]
pub(crate) struct Parser {
    fsm: Fsm,
    in_bfd: bool,
}

/// `remote AS 65002, local AS 65001, external link` (any order after the address).
fn as_parts(s: &str, f: &mut Fsm) {
    for part in s.split(',') {
        let p = part.trim();
        if let Some(a) = p.strip_prefix("remote AS ") {
            f.set(F::remote_as, a.split_whitespace().next().unwrap_or(""));
        } else if let Some(a) = p.strip_prefix("local AS ") {
            f.set(F::local_as, a.split_whitespace().next().unwrap_or(""));
        } else if let Some(l) = p.strip_suffix(" link") {
            f.set(F::link_type, l);
        } else if let Some(v) = p.strip_prefix("vrf ") {
            f.set(F::vrf, v);
        }
    }
}

impl LineParser for Parser {
    fn line(&mut self, _n: usize, line: &str, out: &mut Out<'_>) {
        let t = line.trim();
        let f = &mut self.fsm;
        if let Some(r) = t.strip_prefix("BGP neighbor is ") {
            f.record(out.sink);
            self.in_bfd = false;
            let (addr, rest) = r.split_once(',').unwrap_or((r, ""));
            f.set(F::neighbor, addr.trim());
            as_parts(rest, f);
            return;
        }
        if let Some(r) = t.strip_prefix("BGP neighbor on ") {
            f.record(out.sink);
            self.in_bfd = false;
            // `swp1: fe80::2294:15ff:fe02:7bbf, remote AS 65101, …`
            if let Some((ifc, rest)) = r.split_once(':') {
                f.set(F::interface, ifc.trim());
                let (addr, rest) = rest.split_once(',').unwrap_or((rest, ""));
                f.set(F::neighbor, addr.trim());
                as_parts(rest, f);
            }
            return;
        }
        if let Some(h) = t.strip_prefix("Hostname: ") {
            f.set(F::hostname, h);
            return;
        }
        if let Some(d) = t.strip_prefix("Description: ") {
            f.set(F::description, d);
            return;
        }
        if let Some(mut c) = label(t, "Member of peer-group") {
            if let Some(g) = c.word() {
                f.set(F::peer_group, g);
            }
            return;
        }
        if let Some(r) = t.strip_prefix("BGP version 4, ") {
            for part in r.split(',') {
                let p = part.trim();
                if let Some(id) = p.strip_prefix("remote router ID ") {
                    f.set(F::remote_router_id, id);
                } else if let Some(id) = p.strip_prefix("local router ID ") {
                    f.set(F::local_router_id, id);
                }
            }
            return;
        }
        if let Some(r) = t.strip_prefix("BGP state = ") {
            let (st, rest) = r.split_once(',').unwrap_or((r, ""));
            f.set(F::bgp_state, st.trim());
            if let Some(u) = rest.trim().strip_prefix("up for ") {
                f.set(F::uptime, u.trim());
            }
            return;
        }
        if let Some(af) = t.strip_prefix("For address family: ") {
            f.set(F::address_family, af);
            return;
        }
        let mut c = Cur::new(t);
        if let Some(nb) = c.digits() {
            if c.ws() && c.words("accepted prefixes") {
                f.set(F::accepted_prefixes, nb);
                return;
            }
        }
        for (dir, fld) in [("incoming", F::inbound_routemap), ("outgoing", F::outbound_routemap)] {
            let mut c = Cur::new(t);
            if c.words("Route map for") && c.ws() && c.lit(dir) && c.ws() && c.words("updates is") && c.ws() {
                if let Some(m) = c.word() {
                    f.set(fld, m.trim_start_matches('*'));
                    return;
                }
            }
        }
        if let Some(r) = t.strip_prefix("Last reset ") {
            let (at, why) = r.split_once(',').unwrap_or((r, ""));
            f.set(F::last_reset, at.trim());
            let why = why.trim();
            if !why.is_empty() {
                f.set(F::last_reset_reason, why.strip_prefix("due to ").unwrap_or(why));
            }
            return;
        }
        for (label, port, ip_f, port_f) in [("Local host: ", ", Local port: ", F::localhost_ip, F::localhost_port), ("Foreign host: ", ", Foreign port: ", F::remote_ip, F::remote_port)] {
            if let Some(r) = t.strip_prefix(label) {
                if let Some((ip, p)) = r.split_once(port) {
                    f.set(ip_f, ip);
                    f.set(port_f, p.trim());
                }
                return;
            }
        }
        if t.starts_with("Peer Authentication Enabled") {
            f.set(F::password_configured, "yes");
            return;
        }
        if t.starts_with("BFD:") {
            f.set(F::bfd, "yes");
            self.in_bfd = true;
            return;
        }
        if self.in_bfd {
            if let Some(s) = t.strip_prefix("Status: ") {
                f.set(F::bfd_status, s.split(',').next().unwrap_or("").trim());
            }
        }
    }

    fn finish(&mut self, _last: usize, out: &mut Out<'_>) {
        self.fsm.record(out.sink);
    }
}
