//! Arista EOS `show ip arp`, after ntc-templates' `arista_eos_show_ip_arp`:
//! `VRF:` blocks (filled down), the header, and one record per entry whose
//! interface is the rest of the line (`Vlan101, Port-Channel2`,
//! `Vlan1, not learned`). Anything else is a warning.

use crate::fsm::{schema, Out};
use crate::show::rows::{renamed, ARP_ROW, Fields};
use crate::show::LineParser;
use crate::text::{is_dotted4, Cur};

schema! {
    ip_address, age, mac_address, interface, vrf: FILLDOWN,
}

const ROW: Fields<5> = Fields::of(SCHEMA, renamed(ARP_ROW, 4, ""));

#[derive(Default)]
pub(crate) struct Parser {
    fsm: Fsm,
}

impl LineParser for Parser {
    fn line(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
        let mut c = Cur::new(line);
        if c.lit("VRF:") && c.ws() {
            if let Some(v) = c.word() {
                self.fsm.set(F::vrf, v);
                return;
            }
        }
        if line.starts_with("Address") {
            return;
        }
        let mut c = Cur::new(line);
        if let Some(ip) = c.word().filter(|w| is_dotted4(w, 0)) {
            if c.ws() {
                if let Some(age) = c.word() {
                    if c.ws() {
                        if let Some(mac) = c.word() {
                            if c.ws() {
                                ROW.set(&mut self.fsm, [ip, age, mac, c.rest(), ""]);
                                self.fsm.record(out.sink);
                                return;
                            }
                        }
                    }
                }
            }
        }
        if !line.is_empty() {
            out.warn(n, "not an ARP entry");
        }
    }

    /// The template has an `EOF` state: no record at the end.
    fn finish(&mut self, _last: usize, _out: &mut Out<'_>) {}
}
