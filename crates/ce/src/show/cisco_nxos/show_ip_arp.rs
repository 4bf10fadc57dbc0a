//! Cisco NX-OS `show ip arp`, after ntc-templates' `cisco_nxos_show_ip_arp`:
//! the lines before the `Address  Age  MAC Address  Interface` header are
//! skipped (flags legend, `IP ARP Table for …`, `Total number of entries`);
//! after it every non-blank line must be an entry.

use crate::fsm::{schema, Fsm, Out};
use crate::show::LineParser;
use crate::text::is_dotted4;

schema! {
    IpAddress = "ip_address": REQUIRED,
    Age = "age": REQUIRED,
    MacAddress = "mac_address": REQUIRED,
    Interface = "interface",
}

pub(crate) struct Parser {
    fsm: Fsm,
    in_table: bool,
}

impl Default for Parser {
    fn default() -> Self {
        Parser { fsm: Fsm::new(SCHEMA), in_table: false }
    }
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
            let f = &mut self.fsm;
            f.set(F::IpAddress, t[0]);
            f.set(F::Age, t[1]);
            f.set(F::MacAddress, t[2]);
            f.set(F::Interface, t[3]);
            f.record(out.sink);
            return;
        }
        out.warn(n, "not an ARP entry");
    }

    fn finish(&mut self, _last: usize, out: &mut Out<'_>) {
        self.fsm.record(out.sink);
    }
}
