//! Cisco IOS / IOS-XE `show ip interface brief`, after ntc-templates'
//! `cisco_ios_show_ip_interface_brief`: name, address, status
//! (`administratively down`, `deleted`) and protocol of each interface.

use crate::fsm::{schema, Out};
use crate::show::Rules;
use crate::text::{is_w, Cur};

schema! {
    interface, ip_address, status, proto,
}

/// The parser: the template's record alone ([`Rules`]).
pub(crate) type Parser = Fsm;

impl Rules for F {
    fn line(f: &mut Fsm, n: usize, line: &str, out: &mut Out<'_>) {
        // ^(\S+)\s+(\S+)\s+\w+\s+\w+\s+(up|down|administratively down|deleted)\s+(up|down)
        let mut c = Cur::new(line);
        if let (Some(name), true) = (c.word(), c.ws()) {
            if let (Some(ip), true) = (c.word(), c.ws()) {
                let w1 = c.take_while(is_w);
                if !w1.is_empty() && c.ws() {
                    let w2 = c.take_while(is_w);
                    if !w2.is_empty() && c.ws() {
                        for st in ["up", "down", "administratively down", "deleted"] {
                            let mut c2 = c;
                            if c2.words(st) && c2.ws() {
                                let r = c2.rest();
                                let proto = if r.starts_with("up") { Some("up") } else if r.starts_with("down") { Some("down") } else { None };
                                if let Some(p) = proto {
                                    f.set(F::interface, name);
                                    f.set(F::ip_address, ip);
                                    f.set(F::status, line[line.len() - c.rest().len()..line.len() - c2.rest().len()].trim_end());
                                    f.set(F::proto, p);
                                    f.record(out.sink);
                                    return;
                                }
                            }
                        }
                    }
                }
            }
        }
        let w: Vec<&str> = line.split_whitespace().collect();
        if w.len() >= 5 && w[0] != "Interface" && !line.starts_with(char::is_whitespace) {
            out.warn(n, "an interface line that does not parse");
        }
    }
}
