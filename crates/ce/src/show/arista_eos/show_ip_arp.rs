//! Arista EOS `show ip arp`, after ntc-templates' `arista_eos_show_ip_arp`:
//! `VRF:` blocks (filled down), the header, and one record per entry whose
//! interface is the rest of the line (`Vlan101, Port-Channel2`,
//! `Vlan1, not learned`). Anything else is a warning.

use crate::fsm::{schema, Out};
use crate::show::rows::{captures, Fields, renamed, ARP_ROW};
use crate::show::Rules;
use crate::text::{is_dotted4, Cur};

schema! {
    ip_address, age, mac_address, interface, vrf: FILLDOWN,
}

const ROW: Fields<5> = Fields::of(SCHEMA, renamed(ARP_ROW, 4, ""));

/// The parser: the template's record alone ([`Rules`]).
pub(crate) type Parser = Fsm;

impl Rules for F {
    /// The template has an `EOF` state: no record at the end.
    const EOF: bool = false;

    fn line(f: &mut Fsm, n: usize, line: &str, out: &mut Out<'_>) {
        if let Some([v]) = captures(line, "VRF: {w}") {
            f.set(F::vrf, v);
            return;
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
                                ROW.set(f, [ip, age, mac, c.rest(), ""]);
                                f.record(out.sink);
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
}
