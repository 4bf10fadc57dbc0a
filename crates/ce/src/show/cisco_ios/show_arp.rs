//! Cisco IOS / IOS-XE `show arp`, after ntc-templates' `cisco_ios_show_arp`:
//! the header first, then one record per entry (`Incomplete` entries have
//! no interface). Any other non-blank line is a warning.

use crate::fsm::{schema, Out};
use crate::show::rows::Fields;
use crate::show::LineParser;
use crate::text::split_n;

schema! {
    protocol, address, age_min, hardware_address, Type = "type", interface,
}

const ROW: Fields<6> = Fields::of(SCHEMA, ["protocol", "address", "age_min", "hardware_address", "type", "interface"]);

#[derive(Default)]
pub(crate) struct Parser {
    fsm: Fsm,
    in_table: bool,
}

/// `(?:[a-f0-9]{4}\.){2}[a-f0-9]{4}|Incomplete`
fn is_mac_or_incomplete(s: &str) -> bool {
    s == "Incomplete" || (s.len() == 14 && s.split('.').all(|p| p.len() == 4 && p.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))) && s.matches('.').count() == 2)
}

impl LineParser for Parser {
    fn line(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
        if line.trim().is_empty() {
            return;
        }
        if !self.in_table {
            let w: Vec<&str> = line.split_whitespace().collect();
            if w == ["Protocol", "Address", "Age", "(min)", "Hardware", "Addr", "Type", "Interface"] {
                self.in_table = true;
            } else {
                out.warn(n, "expected the `Protocol  Address  Age (min)  Hardware Addr  Type  Interface` header");
            }
            return;
        }
        if let Some((t, k)) = split_n::<6>(line) {
            if k >= 5 && is_mac_or_incomplete(t[3]) {
                ROW.set_cols(&mut self.fsm, 0..5, &t);
                self.fsm.opt(F::interface, (k == 6).then_some(t[5]));
                self.fsm.record(out.sink);
                return;
            }
        }
        out.warn(n, "not an ARP entry");
    }

    fn finish(&mut self, _last: usize, out: &mut Out<'_>) {
        self.fsm.record(out.sink);
    }
}
