//! The ARP table of an FRR router. vtysh has no ARP command: FRR routers
//! show it from the system, so this reads the three forms engineers paste —
//! SONiC's `show arp` (`Address  MacAddress  Iface  Vlan`), Linux's `ip
//! neigh show` (`10.0.0.1 dev eth0 lladdr 52:54:00:12:34:56 REACHABLE`) and
//! `arp -n` (`Address  HWtype  HWaddress  Flags Mask  Iface`).

use crate::fsm::{schema, Out};
use crate::show::Rules;

schema! {
    ip_address: REQUIRED, mac_address, interface, vlan, state,
}

/// The parser: the template's record alone ([`Rules`]).
pub(crate) type Parser = Fsm;

/// The prompt line a pasted output starts with: `admin@sonic:~$ show arp`,
/// `root@ce1:~# ip neigh show`, `ce1# ip neigh`, `$ arp -n`.
fn is_prompt(line: &str) -> bool {
    line.find(['#', '$', '>']).is_some_and(|i| {
        let rest = line[i + 1..].trim_start();
        let rest = rest.strip_prefix("sudo ").unwrap_or(rest);
        ["show", "ip ", "arp"].iter().any(|c| rest.starts_with(c))
    })
}

fn is_ip(s: &str) -> bool {
    s.parse::<std::net::IpAddr>().is_ok()
}

impl Rules for F {
    fn line(f: &mut Fsm, n: usize, line: &str, out: &mut Out<'_>) {
        let w: Vec<&str> = line.split_whitespace().collect();
        if w.is_empty() || w[0] == "Address" || w[0].starts_with("---") || w[0] == "Total" || is_prompt(line) {
            return;
        }
        if !is_ip(w[0]) {
            out.warn(n, "not an ARP entry");
            return;
        }
        f.set(F::ip_address, w[0]);
        if w.get(1) == Some(&"dev") {
            // ip neigh: ADDR dev IF [lladdr MAC] [router] STATE
            f.opt(F::interface, w.get(2).copied());
            if let Some(i) = w.iter().position(|x| *x == "lladdr") {
                f.opt(F::mac_address, w.get(i + 1).copied());
            }
            f.opt(F::state, w.last().copied().filter(|s| s.chars().all(|c| c.is_ascii_uppercase())));
        } else if w.get(1) == Some(&"ether") || w.get(1) == Some(&"(incomplete)") {
            // arp -n: ADDR ether MAC FLAGS [MASK] IFACE, or ADDR (incomplete) IFACE
            if w[1] == "ether" {
                f.opt(F::mac_address, w.get(2).copied());
            } else {
                f.set(F::state, "INCOMPLETE");
            }
            f.opt(F::interface, w.last().copied());
        } else if w.len() >= 3 {
            // SONiC: ADDR MAC IFACE VLAN
            f.set(F::mac_address, w[1]);
            f.set(F::interface, w[2]);
            f.opt(F::vlan, w.get(3).copied().filter(|v| *v != "-"));
        } else {
            f.clear();
            out.warn(n, "not an ARP entry");
            return;
        }
        f.record(out.sink);
    }
}
