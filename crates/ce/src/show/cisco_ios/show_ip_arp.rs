//! Cisco IOS / IOS-XE `show ip arp`, after ntc-templates'
//! `cisco_ios_show_ip_arp`: one record per entry; the interface is absent
//! on `Incomplete` entries of some releases. Any other line is a warning
//! (the template's `Error`).

use crate::fsm::{schema, Fsm, Out};
use crate::show::LineParser;
use crate::text::{is_dotted4, Cur};

schema! {
    Protocol = "protocol": REQUIRED,
    IpAddress = "ip_address": REQUIRED,
    Age = "age": REQUIRED,
    MacAddress = "mac_address": REQUIRED,
    Type = "type": REQUIRED,
    Interface = "interface",
}

pub(crate) struct Parser {
    fsm: Fsm,
}

impl Default for Parser {
    fn default() -> Self {
        Parser { fsm: Fsm::new(SCHEMA) }
    }
}

impl LineParser for Parser {
    fn line(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
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
                let f = &mut self.fsm;
                f.set(F::Protocol, t[0]);
                f.set(F::IpAddress, t[1]);
                f.set(F::Age, t[2]);
                f.set(F::MacAddress, t[3]);
                f.set(F::Type, t[4]);
                if let Some(i) = t.get(5) {
                    f.set(F::Interface, i);
                }
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

    fn finish(&mut self, _last: usize, out: &mut Out<'_>) {
        self.fsm.record(out.sink);
    }
}
