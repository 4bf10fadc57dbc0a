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

use crate::fsm::{schema, Fsm, Out};
use crate::show::cisco_ios::show_ip_bgp_neighbors::ipv4_prefix;
use crate::show::LineParser;
use crate::text::{is_w, Cur};

schema! {
    Neighbor = "neighbor",
    PeerGroup = "peer_group",
    Description = "description",
    Vrf = "vrf",
    Asn = "asn",
    RemoteAsn = "remote_asn",
    LocalAsn = "local_asn",
    BgpState = "bgp_state",
    Uptime = "uptime",
    SourceIface = "source_iface",
    ConnEstab = "conn_estab",
    ConnDropped = "conn_dropped",
    LastReset = "last_reset",
    LastResetReason = "last_reset_reason",
    LastPeerReset = "last_peer_reset",
    LastPeerResetReason = "last_peer_reset_reason",
    AddrFamily = "addr_family": LIST,
    TableVersion = "table_version": LIST,
    NeiTableVersion = "nei_table_version": LIST,
    AddrFamAdv = "addr_fam_adv",
    LocalhostIp = "localhost_ip",
    LocalhostPort = "localhost_port",
    RemoteIp = "remote_ip",
    RemotePort = "remote_port",
    AcceptedPaths = "accepted_paths",
    SentPaths = "sent_paths",
    ConsumedMem = "consumed_mem",
    RrOldCap = "rr_old_cap",
    RrNewCap = "rr_new_cap",
    GracefulCap = "graceful_cap",
    FourbyteCap = "fourbyte_cap",
    ExtNhCap = "ext_nh_cap",
    RestartTimeAdv = "restart_time_adv",
    RestartTimeRcv = "restart_time_rcv",
    StaleTime = "stale_time",
    OpensCountSent = "opens_count_sent",
    NotificationsCountSent = "notifications_count_sent",
    UpdatesCountSent = "updates_count_sent",
    KeepalivesCountSent = "keepalives_count_sent",
    RouteRefreshCountSent = "route_refresh_count_sent",
    CapabilityCountSent = "capability_count_sent",
    TotalMessCountSent = "total_mess_count_sent",
    TotalBytesCountSent = "total_bytes_count_sent",
    OpensCountRcvd = "opens_count_rcvd",
    NotificationsCountRcvd = "notifications_count_rcvd",
    UpdatesCountRcvd = "updates_count_rcvd",
    KeepalivesCountRcvd = "keepalives_count_rcvd",
    RouteRefreshCountRcvd = "route_refresh_count_rcvd",
    CapabilityCountRcvd = "capability_count_rcvd",
    TotalMessCountRcvd = "total_mess_count_rcvd",
    TotalBytesCountRcvd = "total_bytes_count_rcvd",
    TotalBytesSendQueue = "total_bytes_send_queue",
    TotalBytesRcvdQueue = "total_bytes_rcvd_queue",
    InboundRoutemap = "inbound_routemap",
    OutboundRoutemap = "outbound_routemap",
    HBfd = "_bfd": HIDDEN,
    HPassword = "_password": HIDDEN,
    HRemoteRouterId = "remote_router_id": HIDDEN,
}

#[derive(PartialEq, Clone, Copy)]
enum State {
    Start,
    AddrFamCap,
    AddrFamSection,
}

pub(crate) struct Parser {
    fsm: Fsm,
    state: State,
}

impl Default for Parser {
    fn default() -> Self {
        Parser { fsm: Fsm::new(SCHEMA), state: State::Start }
    }
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
            f.set(F::Neighbor, ip);
            f.set(F::Asn, asn);
            if full {
                f.set(F::RemoteAsn, asn);
                if let Some(l) = local {
                    f.set(F::LocalAsn, l);
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
            f.set(F::HPassword, "yes");
        }
        if t.starts_with("BFD live-detection is configured") || t.starts_with("BFD is enabled") {
            f.set(F::HBfd, "yes");
        }
        if let Some(id) = crate::show::cisco_ios::show_ip_bgp_neighbors::remote_router_id(line) {
            f.set(F::HRemoteRouterId, id);
        }
        // Inherits.+\s(\S+): the last word.
        if let Some(r) = t.strip_prefix("Inherits") {
            if let Some(last) = r.trim_end().rsplit(char::is_whitespace).next() {
                if !r.trim_end().is_empty() && r.trim_end().len() > last.len() {
                    f.set(F::PeerGroup, last);
                    return;
                }
            }
        }
        let mut c = Cur::new(t);
        if c.lit("Description:") && c.ws() {
            f.set(F::Description, c.rest());
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
                        f.set(F::BgpState, &r[..n]);
                        f.set(F::Uptime, up);
                        return;
                    }
                }
            }
        }
        let mut c = Cur::new(t);
        if c.words("Neighbor vrf:") && c.ws() {
            if let Some(v) = c.word() {
                f.set(F::Vrf, v);
                return;
            }
        }
        // Using (\w+[\/\d+]+) as [\w\s]+
        if let Some(r) = t.strip_prefix("Using ") {
            if let Some((ifc, rest)) = r.split_once(' ') {
                if source_iface(ifc) && rest.starts_with("as ") && words_class(&rest[3..]).is_some() {
                    f.set(F::SourceIface, ifc);
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
                    f.set(F::SourceIface, ifc);
                    return;
                }
            }
        }
        let mut c = Cur::new(t);
        if c.lit("Connections established ") {
            if let Some(e) = c.wordchars() {
                if c.lit(", dropped ") {
                    if let Some(d) = c.wordchars() {
                        f.set(F::ConnEstab, e);
                        f.set(F::ConnDropped, d);
                        return;
                    }
                }
            }
        }
        for (label, at, reason) in [("Last reset by us ", F::LastReset, F::LastResetReason), ("Last reset by peer ", F::LastPeerReset, F::LastPeerResetReason)] {
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
            ("Route refresh capability (new):", F::RrNewCap),
            ("Route refresh capability (old):", F::RrOldCap),
            ("4-Byte AS capability:", F::FourbyteCap),
            ("Graceful Restart capability:", F::GracefulCap),
            ("Extended Next Hop Encoding Capability:", F::ExtNhCap),
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
        for (label, fld) in [("Restart time advertised to peer:", F::RestartTimeAdv), ("Stale time for routes advertised by peer:", F::StaleTime), ("Restart time advertised by peer:", F::RestartTimeRcv)] {
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
            ("Opens:", F::OpensCountSent, F::OpensCountRcvd),
            ("Notifications:", F::NotificationsCountSent, F::NotificationsCountRcvd),
            ("Updates:", F::UpdatesCountSent, F::UpdatesCountRcvd),
            ("Keepalives:", F::KeepalivesCountSent, F::KeepalivesCountRcvd),
            ("Route Refresh:", F::RouteRefreshCountSent, F::RouteRefreshCountRcvd),
            ("Capability:", F::CapabilityCountSent, F::CapabilityCountRcvd),
            ("Total:", F::TotalMessCountSent, F::TotalMessCountRcvd),
            ("Total bytes:", F::TotalBytesCountSent, F::TotalBytesCountRcvd),
            ("Bytes in queue:", F::TotalBytesSendQueue, F::TotalBytesRcvdQueue),
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
                    f.set(F::Neighbor, ip);
                    f.set(F::Asn, asn);
                    f.set(F::RemoteAsn, asn);
                    if let Some(l) = local {
                        f.set(F::LocalAsn, l);
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
            f.set(F::HPassword, "yes");
        }
        let mut c = Cur::new(t);
        if c.lit("For address family:") && c.ws() {
            if let Some(v) = words_class(c.rest()) {
                f.set(F::AddrFamily, v);
                return;
            }
        }
        let mut c = Cur::new(t);
        if c.lit("BGP table version ") {
            if let Some(a) = c.digits() {
                if c.lit(", neighbor version ") {
                    if let Some(b) = c.digits() {
                        f.set(F::TableVersion, a);
                        f.set(F::NeiTableVersion, b);
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
                        f.set(F::AcceptedPaths, a);
                        f.set(F::ConsumedMem, m);
                        return;
                    }
                }
            }
            if c.lit(" sent paths") {
                f.set(F::SentPaths, a);
                return;
            }
        }
        for (dir, fld) in [("Inbound", F::InboundRoutemap), ("Outbound", F::OutboundRoutemap)] {
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
        for (label, port_label, ip_f, port_f) in [("Local host:", ", Local port:", F::LocalhostIp, F::LocalhostPort), ("Foreign host:", ", Foreign port:", F::RemoteIp, F::RemotePort)] {
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
                        self.fsm.set(F::AddrFamAdv, v);
                        self.state = State::Start;
                        return;
                    }
                }
                let mut c = Cur::new(line);
                if c.words("BGP neighbor is") {
                    self.fsm.record(out.sink);
                    if let Some((ip, asn, _)) = neighbor_line(line) {
                        self.fsm.set(F::Neighbor, ip);
                        self.fsm.set(F::Asn, asn);
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
