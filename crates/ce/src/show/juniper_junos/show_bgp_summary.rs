//! Juniper Junos `show bgp summary`, after ntc-templates'
//! `juniper_junos_show_bgp_summary`: after `Groups: …`, each peer line
//! (`Last Up/Dwn` split in two as the template does: `9w2d 5:23:37`) and its
//! per-table line (`  inet.0: 23/224/224/0`), on which the record is made.
//!
//! The template records a peer only on its table line, which a peer that is
//! not established does not have. For the typed model, such peers are
//! still recorded (not in the ntc view): a session down is what the
//! cross-check looks for. A peer with one table has its counts on its own
//! line instead (`43:11 9/10/10/0 0/0/0/0`): it is recorded there.

use crate::fsm::{schema, Out};
use crate::show::LineParser;
use crate::text::{is_digits, Cur};

schema! {
    peer_ip: REQUIRED, peer_as: REQUIRED, in_pkt, out_pkt, out_q, flaps, last_flap, up_down, state, interface,
    active, received, accepted, damped,
}

#[derive(Default)]
pub(crate) struct Parser {
    fsm: Fsm,
    shadow: Fsm,
    started: bool,
    /// A peer's values are in `fsm` and not recorded yet.
    dirty: bool,
}

fn is_peer_ip(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b) || b == b':' || b == b'.')
}

/// `9/10/10/0` (active, received, accepted, damped).
fn counts(s: &str) -> Option<(&str, &str, &str, &str)> {
    let mut p = s.split('/');
    let (a, b, c, d) = (p.next()?, p.next()?, p.next()?, p.next()?);
    (p.next().is_none() && [a, b, c, d].iter().all(|x| is_digits(x))).then_some((a, b, c, d))
}

impl LineParser for Parser {
    fn line(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
        let indented = line.starts_with(char::is_whitespace);
        if !self.started {
            if line.starts_with("Groups:") {
                self.started = true;
            } else if indented && !line.trim().is_empty() {
                out.warn(n, "not a line of a BGP summary");
            }
            return;
        }
        let w: Vec<&str> = line.split_whitespace().collect();
        if line.starts_with("Peer") && w.first() == Some(&"Peer") && w.len() >= 9 && w[..8] == ["Peer", "AS", "InPkt", "OutPkt", "OutQ", "Flaps", "Last", "Up/Dwn"] {
            return;
        }
        if !indented && w.len() >= 2 && is_peer_ip(w[0]) && w.len() >= 6 && w[1..6].iter().all(|x| is_digits(x)) {
            // A peer with one table prints its counts on its own line
            // (`43:11 9/10/10/0 0/0/0/0`): recorded here, with the up/down
            // time of one or two words before them.
            if let Some(k) = (7..w.len().min(9)).find(|&k| counts(w[k]).is_some()) {
                if self.dirty {
                    self.fsm.record_typed_only(out.sink);
                    self.fsm.clear();
                }
                let (active, received, accepted, damped) = counts(w[k]).unwrap_or_default();
                let f = &mut self.fsm;
                for (i, fld) in [F::peer_ip, F::peer_as, F::in_pkt, F::out_pkt, F::out_q, F::flaps].into_iter().enumerate() {
                    f.set(fld, w[i]);
                }
                f.opt(F::last_flap, (k == 8).then_some(w[6]));
                f.set(F::up_down, w[k - 1]);
                f.set(F::state, w[k]);
                f.unset(F::interface);
                f.set(F::active, active);
                f.set(F::received, received);
                f.set(F::accepted, accepted);
                f.set(F::damped, damped);
                f.record(out.sink);
                self.dirty = false;
                return;
            }
            if w.len() >= 9 && is_digits(w[1]) {
                // The template's peer line: up/down in two tokens.
                if self.dirty {
                    self.fsm.record_typed_only(out.sink);
                }
                let f = &mut self.fsm;
                for (i, fld) in [F::peer_ip, F::peer_as, F::in_pkt, F::out_pkt, F::out_q, F::flaps, F::last_flap, F::up_down, F::state].into_iter().enumerate() {
                    f.set(fld, w[i]);
                }
                self.dirty = true;
            } else if w.len() >= 8 {
                // Up/down in one token (`2:41:36`): the template does not
                // read it; the typed model does.
                let s = &mut self.shadow;
                for (i, fld) in [F::peer_ip, F::peer_as, F::in_pkt, F::out_pkt, F::out_q, F::flaps, F::up_down, F::state].into_iter().enumerate() {
                    s.set(fld, w[i]);
                }
                s.record_typed_only(out.sink);
                s.clear_all();
            }
            return;
        }
        if indented {
            // ^\s+(\S+):\s+(\d+)/(\d+)/(\d+)/(\d+)
            let mut c = Cur::new(line);
            c.ws();
            if let Some(word) = c.word() {
                if let Some(table) = word.strip_suffix(':') {
                    if c.ws() {
                        let counts = c.word().unwrap_or("");
                        let parts: Vec<&str> = counts.splitn(4, '/').collect();
                        if parts.len() == 4 && parts[..3].iter().all(|p| is_digits(p)) {
                            let damped = &parts[3][..parts[3].bytes().take_while(u8::is_ascii_digit).count()];
                            if !damped.is_empty() && !table.is_empty() {
                                let f = &mut self.fsm;
                                f.set(F::interface, table);
                                f.set(F::active, parts[0]);
                                f.set(F::received, parts[1]);
                                f.set(F::accepted, parts[2]);
                                f.set(F::damped, damped);
                                f.record(out.sink);
                                self.dirty = false;
                                return;
                            }
                        }
                    }
                }
            }
            if !line.trim().is_empty() {
                out.warn(n, "not a line of a BGP summary");
            }
        }
    }

    fn finish(&mut self, _last: usize, out: &mut Out<'_>) {
        self.fsm.record(out.sink);
    }
}
