//! Cisco NX-OS `show ip arp detail`, after ntc-templates'
//! `cisco_nxos_show_ip_arp_detail`: the legend, then the header with
//! `Physical Interface`, then entries with an optional `*`, `+` or `#` flag.
//! Anything else is a warning.

use crate::fsm::{schema, Out};
use crate::show::rows::{ARP_ROW, Fields};
use crate::show::LineParser;
use crate::text::{is_dotted4, split_n, Cur};

schema! {
    ip_address, age, mac_address, interface, physical_interface,
}

const ROW: Fields<5> = Fields::of(SCHEMA, ARP_ROW);

#[derive(Default)]
pub(crate) struct Parser {
    fsm: Fsm,
    in_table: bool,
}

/// The lines before the table of both detail templates: blank and legend
/// lines (skipped), then the header, which opens the table; anything else
/// is a warning naming the header expected. Whether `line` opened the table.
pub(crate) fn table_header(n: usize, line: &str, out: &mut Out<'_>, legend: impl Fn(&str) -> bool, header: impl Fn(&[&str]) -> bool, expected: &str) -> bool {
    if line.is_empty() || legend(line) {
        return false;
    }
    let w: Vec<&str> = line.split_whitespace().collect();
    if header(&w) {
        return true;
    }
    out.warn(n, format!("expected the `{expected}` header"));
    false
}

/// The legend and title lines both detail templates skip.
pub(crate) fn is_legend(line: &str) -> bool {
    // ^.+\s-\sAdjacencies\s
    let adj = line.find(" - Adjacencies").is_some_and(|i| i > 0 && line[i + 14..].starts_with(char::is_whitespace))
        || line.char_indices().any(|(i, ch)| i > 0 && ch.is_whitespace() && line[i + ch.len_utf8()..].starts_with("-") && {
            let r = &line[i + ch.len_utf8() + 1..];
            r.starts_with(char::is_whitespace) && r[1..].starts_with("Adjacencies") && r[12..].starts_with(char::is_whitespace)
        });
    let t = line.trim_start();
    adj || t.starts_with("IP ARP Table ") || Cur::new(t).words("Total number of entries:")
}

impl LineParser for Parser {
    fn line(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
        if !self.in_table {
            let header = |w: &[&str]| w == ["Address", "Age", "MAC", "Address", "Interface", "Physical", "Interface"];
            self.in_table = table_header(n, line, out, is_legend, header, "Address  Age  MAC Address  Interface  Physical Interface");
            return;
        }
        if line.is_empty() {
            return;
        }
        if let Some((t, k)) = split_n::<6>(line) {
            let flag_ok = k == 5 || (k == 6 && matches!(t[5], "#" | "*" | "+"));
            if flag_ok && !line.starts_with(char::is_whitespace) && is_dotted4(t[0], 0) {
                ROW.set(&mut self.fsm, [t[0], t[1], t[2], t[3], t[4]]);
                self.fsm.record(out.sink);
                return;
            }
        }
        out.warn(n, "not an ARP entry");
    }

    fn finish(&mut self, _last: usize, out: &mut Out<'_>) {
        self.fsm.record(out.sink);
    }
}
