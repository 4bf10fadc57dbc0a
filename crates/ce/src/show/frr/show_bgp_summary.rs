//! FRR `show bgp summary` (also `show ip bgp summary`, `show bgp ipv4
//! unicast summary`, `show bgp vrf all summary`): per address family and
//! VRF (`IPv4 Unicast Summary (VRF default):`), the router id and AS
//! (`… local AS number 65001 vrf-id 0`), then one record per neighbor —
//! an address, an interface (`swp51`) or `host(interface)` — with the
//! state or prefix count, and the `PfxSnt` and `Desc` columns of newer
//! releases. A neighbor too long for its column has the rest of its row on
//! the next line.

use crate::fsm::{schema, Out};
use crate::show::rows::{Fields, label, span, NEIGHBOR_ROW};
use crate::show::LineParser;
use crate::text::{is_asn, is_digits, Cur};

schema! {
    vrf: FILLDOWN, address_family: FILLDOWN, router_id: FILLDOWN, local_as: FILLDOWN, bgp_neighbor: REQUIRED,
    bgp_version, neighbor_as, messages_received, messages_sent, table_version, input_queue, output_queue, up_down,
    state_or_prefixes_received, prefixes_sent, description,
}

const ROW: Fields<10> = Fields::of(SCHEMA, NEIGHBOR_ROW);

#[derive(Default)]
pub(crate) struct Parser {
    fsm: Fsm,
    /// A neighbor alone on its line, waiting for its row.
    pending: Option<String>,
}

fn looks_like_neighbor(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '(' | ')' | '-' | '_' | '/' | '%'))
}

impl Parser {
    /// The columns after the neighbor: V AS rcvd sent tblver inq outq
    /// up/down state [pfxsnt] [desc].
    fn row(&mut self, neighbor: &str, line: &str, w: &[&str], out: &mut Out<'_>) -> bool {
        if w.len() < 9 || !is_digits(w[0]) || !is_asn(w[1]) || !w[2..7].iter().all(|x| is_digits(x)) {
            return false;
        }
        let mut k = 8;
        let mut state = w[8].to_string();
        if !is_digits(w[8]) && w.get(9).is_some_and(|x| x.starts_with('(')) {
            // `Idle (Admin)`: the words up to the closing parenthesis.
            let mut j = 9;
            while j < w.len() && !w[j].ends_with(')') {
                j += 1;
            }
            let end = j.min(w.len() - 1);
            state = span(line, w[8], w[end]).to_string();
            k = end;
        }
        let f = &mut self.fsm;
        ROW.set(f, [neighbor, w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], &state]);
        let rest = &w[k + 1..];
        let (sent, desc) = match rest.first() {
            Some(x) if is_digits(x) => (Some(*x), &rest[1..]),
            _ => (None, rest),
        };
        f.opt(F::prefixes_sent, sent);
        if let (Some(a), Some(b)) = (desc.first(), desc.last()) {
            f.set(F::description, span(line, a, b));
        }
        f.record(out.sink);
        true
    }
}

impl LineParser for Parser {
    fn line(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
        let t = line.trim();
        let w: Vec<&str> = t.split_whitespace().collect();
        if let Some(nb) = self.pending.take() {
            if line.starts_with(char::is_whitespace) && self.row(&nb, line, &w, out) {
                return;
            }
            out.warn(n - 1, "a neighbor without its row (truncated?)");
        }
        // `IPv4 Unicast Summary (VRF default):` / `IPv4 Unicast Summary:`
        if let Some(i) = t.find(" Summary") {
            let after = &t[i + 8..];
            if after.is_empty() || after.starts_with(':') || after.starts_with(" (VRF") {
                self.fsm.set(F::address_family, &t[..i]);
                if let Some(v) = after.strip_prefix(" (VRF ") {
                    self.fsm.set(F::vrf, v.trim_end_matches(':').trim_end_matches(')'));
                }
                return;
            }
        }
        if let Some(c) = label(t, "BGP router identifier") {
            if let Some((id, rest)) = c.rest().split_once(',') {
                let mut c2 = Cur::new(rest);
                if c2.ws() && c2.words("local AS number") && c2.ws() {
                    if let Some(a) = c2.word() {
                        self.fsm.set(F::router_id, id);
                        self.fsm.set(F::local_as, a);
                        // `vrf-id 0`: the default VRF unless a name was given.
                        return;
                    }
                }
            }
        }
        if w.first() == Some(&"Neighbor") && w.get(1) == Some(&"V") {
            return;
        }
        if !line.starts_with(char::is_whitespace) && !w.is_empty() && looks_like_neighbor(w[0]) && w[0] != "Total" {
            if w.len() == 1 && (w[0].contains('.') || w[0].contains(':')) {
                self.pending = Some(w[0].to_string());
                return;
            }
            if self.row(w[0], line, &w[1..], out) {
                return;
            }
        }
        let known = t.is_empty()
            || t.starts_with("BGP table version")
            || t.starts_with("RIB entries")
            || t.starts_with("Peers ")
            || t.starts_with("Peer groups")
            || t.starts_with("Total number of")
            || t.starts_with("Displayed neighbors")
            || t.starts_with("% No BGP neighbors found")
            || t.starts_with("BGP attribute entries")
            || t.starts_with("BGP AS-PATH entries")
            || t.starts_with("BGP community entries")
            || t.starts_with("Dampening enabled")
            || t.starts_with("show bgp")
            || t.starts_with('=')
            || t.starts_with("* - dynamic neighbor")
            || t.contains("dynamic neighbor(s), limit");
        if !known {
            out.warn(n, "not a line of a BGP summary");
        }
    }

    fn finish(&mut self, last: usize, out: &mut Out<'_>) {
        if self.pending.is_some() {
            out.warn(last, "a neighbor without its row (truncated?)");
        }
        self.fsm.record(out.sink);
    }
}
