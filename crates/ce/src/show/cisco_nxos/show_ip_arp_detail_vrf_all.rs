//! Cisco NX-OS `show ip arp detail vrf all`, after ntc-templates'
//! `cisco_nxos_show_ip_arp_detail_vrf_all`: like `show ip arp detail` with
//! a flags column (`*`, `+`, `#`, `CP`, `PS`, `RO`, often empty) and the
//! VRF name.

use crate::fsm::{schema, Out};
use crate::show::rows::{ARP_ROW, Fields};
use crate::show::LineParser;
use crate::text::{is_dotted4, split_n};

use super::show_ip_arp_detail::{is_legend, table_header};

schema! {
    ip_address, age, mac_address, interface, physical_interface, flags, vrf,
}

const ROW: Fields<5> = Fields::of(SCHEMA, ARP_ROW);

#[derive(Default)]
pub(crate) struct Parser {
    fsm: Fsm,
    in_table: bool,
}

const FLAGS: [&str; 6] = ["*", "+", "#", "CP", "PS", "RO"];

fn legend2(line: &str) -> bool {
    // ^.+\sCP\s-\s, ^.+\sPS\s-\s, ^.+\sRO\s-\s
    ["CP", "PS", "RO"].iter().any(|f| {
        line.match_indices(f).any(|(i, _)| {
            i > 1 && line[..i].ends_with(char::is_whitespace) && {
                let r = &line[i + 2..];
                let mut ch = r.chars();
                ch.next().is_some_and(char::is_whitespace) && ch.next() == Some('-') && ch.next().is_some_and(char::is_whitespace)
            }
        })
    })
}

impl LineParser for Parser {
    fn line(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
        if !self.in_table {
            let legend = |l: &str| is_legend(l) || legend2(l);
            let head = ["Address", "Age", "MAC", "Address", "Interface", "Physical", "Interface", "Flags"];
            let header = |w: &[&str]| w.len() >= 8 && w[..8] == head && (w.len() == 8 || w[8..] == ["VRF", "Name"]);
            self.in_table = table_header(n, line, out, legend, header, "Address  Age  MAC Address  Interface  Physical Interface  Flags  VRF Name");
            return;
        }
        if line.is_empty() {
            return;
        }
        if let Some((t, k)) = split_n::<7>(line) {
            if k >= 5 && !line.starts_with(char::is_whitespace) && is_dotted4(t[0], 0) {
                // `\s*FLAGS?\s*VRF\s*$` over what follows the physical interface.
                let parsed: Option<(Option<&str>, &str)> = match k {
                    5 => Some((None, "")),
                    6 => Some(match FLAGS.iter().find(|f| t[5].starts_with(*f)) {
                        Some(f) => (Some(*f), &t[5][f.len()..]),
                        None => (None, t[5]),
                    }),
                    7 if FLAGS.contains(&t[5]) => Some((Some(t[5]), t[6])),
                    _ => None,
                };
                if let Some((flags, vrf)) = parsed {
                    let f = &mut self.fsm;
                    ROW.set(f, [t[0], t[1], t[2], t[3], t[4]]);
                    f.opt(F::flags, flags);
                    f.set(F::vrf, vrf);
                    f.record(out.sink);
                    return;
                }
            }
        }
        out.warn(n, "not an ARP entry");
    }

    fn finish(&mut self, _last: usize, out: &mut Out<'_>) {
        self.fsm.record(out.sink);
    }
}
