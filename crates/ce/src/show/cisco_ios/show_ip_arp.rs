//! Cisco IOS / IOS-XE `show ip arp`, after ntc-templates'
//! `cisco_ios_show_ip_arp`: one record per entry; the interface is absent
//! on `Incomplete` entries of some releases. Any other line is a warning
//! (the template's `Error`).

use crate::fsm::{schema, Out};
use crate::show::rows::Fields;
use crate::show::Rules;
use crate::text::{is_dotted4, Cur};

schema! {
    protocol: REQUIRED, ip_address: REQUIRED, age: REQUIRED, mac_address: REQUIRED, Type = "type": REQUIRED,
    interface,
}

const ROW: Fields<6> = Fields::of(SCHEMA, ["protocol", "ip_address", "age", "mac_address", "type", "interface"]);

/// The parser: the template's record alone ([`Rules`]).
pub(crate) type Parser = Fsm;

impl Rules for F {
    fn line(f: &mut Fsm, n: usize, line: &str, out: &mut Out<'_>) {
        let mut c = Cur::new(line);
        if c.lit("Protocol") && c.ws() && c.lit("Address") && c.ws() && c.lit("Age") && {
            c.ws0();
            c.lit("(min)")
        } && c.ws()
            && c.lit("Hardware Addr")
        {
            return;
        }
        if !line.starts_with(char::is_whitespace) {
            let t: Vec<&str> = line.split_whitespace().take(6).collect();
            if t.len() >= 5 && is_dotted4(t[1], 0) {
                let mut cols = [""; 6];
                cols[..t.len()].copy_from_slice(&t);
                ROW.set_cols(f, 0..t.len(), &cols);
                f.record(out.sink);
                return;
            }
        }
        let mut c = Cur::new(line);
        if (c.words("Load for") && c.ws()) || Cur::new(line).words("Time source is") || line.is_empty() {
            return;
        }
        out.warn(n, "not an ARP entry");
    }
}
