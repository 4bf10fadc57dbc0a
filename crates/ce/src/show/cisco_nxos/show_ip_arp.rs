//! Cisco NX-OS `show ip arp`, after ntc-templates' `cisco_nxos_show_ip_arp`:
//! the lines before the `Address  Age  MAC Address  Interface` header are
//! skipped (flags legend, `IP ARP Table for …`, `Total number of entries`);
//! after it every non-blank line must be an entry.

use crate::fsm::{schema, Out};
use crate::show::rows::{renamed, ARP_ROW, Fields};
use crate::show::LineParser;
use crate::text::is_dotted4;

schema! {
    ip_address: REQUIRED, age: REQUIRED, mac_address: REQUIRED, interface,
}

const ROW: Fields<5> = Fields::of(SCHEMA, renamed(ARP_ROW, 4, ""));

#[derive(Default)]
pub(crate) struct Parser {
    fsm: Fsm,
    in_table: bool,
}

impl LineParser for Parser {
    fn line(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
        if !self.in_table {
            let w: Vec<&str> = line.split_whitespace().take(5).collect();
            if line.starts_with("Address") && w.len() >= 5 && w[..5] == ["Address", "Age", "MAC", "Address", "Interface"] && line.contains("MAC Address") {
                self.in_table = true;
            }
            return;
        }
        if line.trim().is_empty() {
            return;
        }
        let t: Vec<&str> = line.split_whitespace().take(4).collect();
        if t.len() == 4 && !line.starts_with(char::is_whitespace) && is_dotted4(t[0], 0) {
            ROW.set(&mut self.fsm, [t[0], t[1], t[2], t[3], ""]);
            self.fsm.record(out.sink);
            return;
        }
        out.warn(n, "not an ARP entry");
    }

    fn finish(&mut self, _last: usize, out: &mut Out<'_>) {
        self.fsm.record(out.sink);
    }
}
