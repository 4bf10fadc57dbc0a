//! Juniper Junos `show arp no-resolve`, after ntc-templates'
//! `juniper_junos_show_arp_no-resolve`: one record per entry; the header,
//! the `Total entries` footer and the `{master:0}` prompt are skipped;
//! anything else is a warning.
//!
//! Also `show arp`, which has a `Name` column (the address resolved, or the
//! address again) between the address and the interface: the header says
//! which layout the rows have.

use crate::fsm::{schema, Out};
use crate::show::LineParser;

schema! {
    mac_address: REQUIRED, ip_address: REQUIRED, interface: REQUIRED, flags, _name: HIDDEN,
}

#[derive(Default)]
pub(crate) struct Parser {
    fsm: Fsm,
    /// The header had a `Name` column (`show arp`).
    named: bool,
}

fn is_master(line: &str) -> bool {
    // ^{master:\d+}
    line.strip_prefix("{master:").is_some_and(|r| {
        let d = r.bytes().take_while(u8::is_ascii_digit).count();
        d > 0 && r[d..].starts_with('}')
    })
}

impl LineParser for Parser {
    fn line(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
        if line.trim().is_empty() || line.starts_with("Total") || is_master(line) {
            return;
        }
        let w: Vec<&str> = line.split_whitespace().collect();
        if w == ["MAC", "Address", "Address", "Interface", "Flags"] && line.starts_with("MAC") {
            self.named = false;
            return;
        }
        if w == ["MAC", "Address", "Address", "Name", "Interface", "Flags"] && line.starts_with("MAC") {
            self.named = true;
            return;
        }
        // MAC: exactly 17 of [A-Fa-f0-9:] at the start.
        let mac_ok = |m: &str| m.len() == 17 && m.bytes().all(|b| b.is_ascii_hexdigit() || b == b':');
        let ip_ok = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
        let named = usize::from(self.named);
        if w.len() >= 4 + named && !line.starts_with(char::is_whitespace) && mac_ok(w[0]) && ip_ok(w[1]) {
            let f = &mut self.fsm;
            f.set(F::mac_address, w[0]);
            f.set(F::ip_address, w[1]);
            f.opt(F::_name, self.named.then_some(w[2]));
            f.set(F::interface, w[2 + named]);
            f.set(F::flags, w[3 + named]);
            f.record(out.sink);
            return;
        }
        out.warn(n, "not an ARP entry");
    }

    fn finish(&mut self, _last: usize, out: &mut Out<'_>) {
        self.fsm.record(out.sink);
    }
}
