//! Cisco IOS-XR `show bgp neighbors`, after ntc-templates'
//! `cisco_xr_show_bgp_neighbors`: one record per `BGP neighbor is X` block —
//! AS numbers and link type, description, router and cluster ids, state and
//! uptime, NSR and graceful restart, timers; per address family (lists) the
//! version, route-reflector role, policies, accepted and advertised
//! prefixes, maximum prefixes and ack versions; then the connection: TCP
//! endpoints, last reset, notifications.
//!
//! Lines the template knows and skips are skipped; other lines are warnings
//! (where the template stops with an error). `Administratively shut down`,
//! `BFD enabled` and an MD5 password line are kept for the typed model.

use crate::fsm::{schema, Out};
use crate::show::rows::{captures, label, lazy_rest, set_first, ws1};
use crate::show::LineParser;
use crate::text::Cur;

use super::show_arp::is_timestamp;

schema! {
    neighbor, remote_as, local_as, Type = "type", description, remote_router_id, cluster_id, state, uptime,
    nsr_state, holdtime, keepalive, nsr, gr, afi: LIST, version: LIST, route_reflector_role: LIST,
    policy_incoming: LIST, policy_outgoing: LIST, prefixes_in: LIST, prefixes_in_best: LIST, prefixes_out: LIST,
    prefixes_out_suppressed: LIST, prefixes_out_withdrawn: LIST, max_prefixes: LIST,
    max_prefixes_warn_percent: LIST, default_originate: LIST, last_ack_version: LIST,
    last_synced_ack_version: LIST, connections_established, connections_dropped, local_address, local_port,
    remote_address, remote_port, last_reset, last_reset_reason, last_notification_sent, error_code,
    last_notification_received, peer_error_code, peer_reset_reason, max_hops, _state_detail: HIDDEN, _bfd: HIDDEN,
    _password: HIDDEN,
}

#[derive(PartialEq, Clone, Copy, Default)]
enum State {
    #[default]    Start,
    Afi,
    Connection,
    PeerError,
}

#[derive(Default)]
pub(crate) struct Parser {
    fsm: Fsm,
    state: State,
}

/// The rules that set fields of the neighbor, in the template's order
/// (between them, rules of other kinds).
const IDS: &[(&str, &[F])] = &[
    ("Description: {r}", &[F::description]),
    ("Remote router ID {w}", &[F::remote_router_id]),
    ("Cluster ID {w}$", &[F::cluster_id]),
];
const TIMERS: &[(&str, &[F])] = &[
    ("Hold time is {d}, keepalive interval is {d}", &[F::holdtime, F::keepalive]),
    ("Non-stop routing is {r}", &[F::nsr]),
    ("Graceful restart is {r}", &[F::gr]),
];
/// The same, of an address family.
const AFI_VALUES: &[(&str, &[F])] = &[
    ("BGP neighbor version {d}$", &[F::version]),
    ("Route-Reflector {w}$", &[F::route_reflector_role]),
    ("Default information originate: {r}", &[F::default_originate]),
    ("Policy for incoming advertisements is {w}$", &[F::policy_incoming]),
    ("Policy for outgoing advertisements is {w}$", &[F::policy_outgoing]),
    ("{d} accepted prefixes, {d} are bestpaths", &[F::prefixes_in, F::prefixes_in_best]),
    ("Prefix advertised {d}, suppressed {d}, withdrawn {d}", &[F::prefixes_out, F::prefixes_out_suppressed, F::prefixes_out_withdrawn]),
    ("Maximum prefixes allowed {d}", &[F::max_prefixes]),
    ("Threshold for warning message {d}", &[F::max_prefixes_warn_percent]),
    ("Last ack version {d}, Last synced ack version {d}", &[F::last_ack_version, F::last_synced_ack_version]),
];
/// The same, of the connection.
const SENT: &[(&str, &[F])] = &[("Time since last notification sent to neighbor: {w}", &[F::last_notification_sent]), ("Error Code: {r}", &[F::error_code])];
const PEER_RESET: &[(&str, &[F])] = &[("Peer reset reason: {r}", &[F::peer_reset_reason])];

/// Skipped lines of the `Start` state (word patterns after the indent).
const START_SKIP: &[&str] = &[
    "Administratively shut down",
    "BFD enabled",
    "BFD Enabled",
    "Last read",
    "Last Read",
    "Configured hold time:",
    "Second last write",
    "last write",
    "Last write",
    "Socket armed",
    "Socket not armed",
    "Last KA",
    "Precedence:",
    "Restart time is",
    "Stale path timeout time is",
    "Enforcing first AS",
    "Multi-protocol capability",
    "Neighbor capabilities:",
    "Graceful Restart (GR Awareness):",
    "Route refresh:",
    "4-byte AS:",
    "Address family",
    "Inbound message logging",
    "Outbound message logging",
    "Minimum time between advertisement",
];

const AFI_SKIP: &[&str] = &[
    "Update group:",
    "AF-dependent capabilities",
    "Graceful Restart capability",
    "Local restart time is",
    "Maximum stalepath time is",
    "Remote Restart time is",
    "NEXT_HOP",
    "Route refresh request:",
    "Cumulative no. of prefixes denied:",
    "No policy:",
    "By ORF policy:",
    "AIGP",
    "An EoR",
    "Private AS number removed",
    "Community attribute",
    "Outstanding version objects:",
    "Additional-paths operation:",
    "AS override is",
    "AS Override is",
    "Send Multicast Attributes",
];

/// `(.+?)(?:<sep>\s+(.+?))?\s*$` with `sep` a word pattern: the text
/// before the first separator followed by something, and what follows.
fn lazy_split<'a>(s: &'a str, sep: &str) -> Option<(&'a str, Option<&'a str>)> {
    let first = sep.split(' ').next().unwrap_or("");
    for (i, _) in s.match_indices(first) {
        if i == 0 {
            continue;
        }
        let mut c = Cur::new(&s[i..]);
        if c.words(sep) && c.ws() && !c.at_end() {
            return Some((&s[..i], lazy_rest(c.rest())));
        }
    }
    lazy_rest(s).map(|r| (r, None))
}

fn starts_any(t: &str, pats: &[&str]) -> bool {
    pats.iter().any(|p| Cur::new(t).words(p))
}

impl Parser {
    /// `^BGP\s+neighbor`: record, then `^BGP\s+neighbor\s+is\s+(\S+)\s*$`.
    fn neighbor(&mut self, line: &str, out: &mut Out<'_>) -> bool {
        let mut c = Cur::new(line);
        if !c.words("BGP neighbor") {
            return false;
        }
        self.fsm.record(out.sink);
        if let Some(mut c) = label(line, "BGP neighbor is") {
            if let Some(n) = c.word() {
                if c.eol() {
                    self.fsm.set(F::neighbor, n);
                    self.state = State::Start;
                }
            }
        }
        true
    }

    fn start(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
        if is_timestamp(line) || line.trim().is_empty() {
            return;
        }
        if self.neighbor(line, out) {
            return;
        }
        let t = line.trim_start();
        let f = &mut self.fsm;
        if t.len() == line.len() {
            out.warn(n, "not a line of a BGP neighbor");
            return;
        }
        let low = t.to_ascii_lowercase();
        if low.contains("md5") || low.contains("password is configured") {
            f.set(F::_password, "yes");
        }
        if let Some(mut c) = label(t, "Remote AS") {
            if let Some(r) = c.digits() {
                if c.lit(",") && c.ws() && c.words("local AS") && c.ws() {
                    if let Some(l) = c.digits() {
                        if c.lit(",") && c.ws() {
                            let save = c;
                            if !(c.lit("no-prepend,") && c.ws()) {
                                c = save;
                            }
                            let save = c;
                            if !(c.lit("replace-as,") && c.ws()) {
                                c = save;
                            }
                            if let Some(ty) = c.wordchars() {
                                if c.ws() && c.lit("link") {
                                    f.set(F::remote_as, r);
                                    f.set(F::local_as, l);
                                    f.set(F::Type, ty);
                                    return;
                                }
                            }
                        }
                    }
                }
            }
        }
        if Cur::new(t).words("Administratively shut down") {
            f.set(F::_state_detail, "Admin");
            return;
        }
        if t.starts_with("BFD enabled") || t.starts_with("BFD Enabled") {
            f.set(F::_bfd, "yes");
            return;
        }
        if set_first(f, t, IDS) {
            return;
        }
        let mut c = Cur::new(t);
        if c.lit("BGP") && c.ws() && (c.lit("state") || c.lit("State")) && c.ws() && c.lit("=") && c.ws() {
            if let Some((st, up)) = lazy_split(c.rest(), ", up for") {
                f.set(F::state, st);
                f.opt(F::uptime, up);
                return;
            }
        }
        let mut c = Cur::new(t);
        if c.lit("NSR") && c.ws() && (c.lit("state:") || c.lit("State:")) && c.ws() {
            let save = c;
            if !(c.lit("NSR") && c.ws()) {
                c = save;
            }
            if let Some(v) = lazy_rest(c.rest()) {
                f.set(F::nsr_state, v);
                return;
            }
        }
        if set_first(f, t, TIMERS) {
            return;
        }
        if starts_any(t, START_SKIP) {
            return;
        }
        let mut c = Cur::new(t);
        if c.lit("Received") && c.ws() && c.digits().is_some() && c.ws() {
            return;
        }
        let mut c = Cur::new(t);
        if c.lit("Sent") && c.ws() && c.digits().is_some() && c.ws() && c.lit("messages") {
            return;
        }
        if self.afi_line(t) || self.connections(t) {
            return;
        }
        out.warn(n, "not a line of a BGP neighbor");
    }

    /// `^\s+For\s+Address\s+Family:\s+(.+?)\s*$` -> AFI
    fn afi_line(&mut self, t: &str) -> bool {
        if let Some(c) = label(t, "For Address Family:") {
            if let Some(a) = lazy_rest(c.rest()) {
                self.fsm.set(F::afi, a);
                self.state = State::Afi;
                return true;
            }
        }
        false
    }

    /// `^\s+Connections\s+established\s+(\d+);\s+dropped\s+(\d+)\s*$` -> Connection
    fn connections(&mut self, t: &str) -> bool {
        let Some([e, d]) = captures(t, "Connections established {d}; dropped {d}$") else { return false };
        self.fsm.set(F::connections_established, e);
        self.fsm.set(F::connections_dropped, d);
        self.state = State::Connection;
        true
    }

    fn afi(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
        if line.trim().is_empty() || self.neighbor(line, out) {
            return;
        }
        let t = line.trim_start();
        if t.len() == line.len() {
            out.warn(n, "not a line of a BGP neighbor's address family");
            return;
        }
        if self.afi_line(t) || self.connections(t) {
            return;
        }
        let f = &mut self.fsm;
        if set_first(f, t, AFI_VALUES) {
            return;
        }
        if starts_any(t, AFI_SKIP) {
            return;
        }
        // Advertise VPNv[46] routes (is )?enabled with
        let mut c = Cur::new(t);
        if c.lit("Advertise") && c.ws() && (c.lit("VPNv4") || c.lit("VPNv6")) && c.ws() && c.lit("routes") && c.ws() {
            let save = c;
            if !(c.lit("is") && ws1(&mut c)) {
                c = save;
            }
            if c.lit("enabled") && c.ws() && c.lit("with") {
                return;
            }
        }
        out.warn(n, "not a line of a BGP neighbor's address family");
    }

    fn connection(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
        if line.trim().is_empty() || self.neighbor(line, out) {
            return;
        }
        let t = line.trim_start();
        if t.len() == line.len() {
            out.warn(n, "not a line of a BGP neighbor's connection");
            return;
        }
        if self.afi_line(t) {
            return;
        }
        let f = &mut self.fsm;
        for (label, port, a_f, p_f) in [("Local host:", "Local port:", F::local_address, F::local_port), ("Foreign host:", "Foreign port:", F::remote_address, F::remote_port)] {
            let mut c = Cur::new(t);
            if c.words(label) && c.ws() {
                let r = c.rest();
                // (.*) greedy, then `,\s+<port>\s+(\d+)`: the last such comma.
                let mut found = None;
                for (i, _) in r.match_indices(',') {
                    let mut c2 = Cur::new(&r[i + 1..]);
                    if c2.ws() && c2.words(port) && c2.ws() {
                        if let Some(p) = c2.digits() {
                            found = Some((&r[..i], p));
                        }
                    }
                }
                if let Some((a, p)) = found {
                    f.set(a_f, a);
                    f.set(p_f, p);
                    return;
                }
            }
        }
        if let Some(c) = label(t, "Last reset") {
            if let Some((at, why)) = lazy_split(c.rest(), ", due to") {
                f.set(F::last_reset, at);
                f.opt(F::last_reset_reason, why);
                return;
            }
        }
        if Cur::new(t).words("External BGP neighbor not directly") {
            return;
        }
        if set_first(f, t, SENT) {
            return;
        }
        let mut c = Cur::new(t);
        if c.words("Notification data") && c.ws() && (c.lit("sent:") || c.lit("received:")) {
            return;
        }
        let w = t.trim_end();
        if w == "None" || (w.len() == 8 && w.bytes().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))) {
            return;
        }
        if let Some(mut c) = label(t, "Time since last notification received from neighbor:") {
            if let Some(v) = c.word() {
                f.set(F::last_notification_received, v);
                self.state = State::PeerError;
                return;
            }
        }
        if set_first(f, t, PEER_RESET) {
            return;
        }
        // ^\s+.+up\s+to\s+(\d+)\s+hops\s+away — the last such `up to`.
        let mut hops = None;
        for (i, _) in t.match_indices("up") {
            if i == 0 {
                continue;
            }
            let mut c = Cur::new(&t[i..]);
            if c.words("up to") && c.ws() {
                if let Some(h) = c.digits() {
                    if c.ws() && c.words("hops away") {
                        hops = Some(h);
                    }
                }
            }
        }
        if let Some(h) = hops {
            f.set(F::max_hops, h);
            return;
        }
        out.warn(n, "not a line of a BGP neighbor's connection");
    }
}

impl LineParser for Parser {
    fn line(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
        match self.state {
            State::Start => self.start(n, line, out),
            State::Afi => self.afi(n, line, out),
            State::Connection => self.connection(n, line, out),
            State::PeerError => {
                let mut c = Cur::new(line);
                if c.ws() && c.words("Error Code:") && c.ws() {
                    if let Some(v) = lazy_rest(c.rest()) {
                        self.fsm.set(F::peer_error_code, v);
                        self.state = State::Connection;
                        return;
                    }
                }
                out.warn(n, "expected the peer's `Error Code:`");
            }
        }
    }

    fn finish(&mut self, _last: usize, out: &mut Out<'_>) {
        self.fsm.record(out.sink);
    }
}
