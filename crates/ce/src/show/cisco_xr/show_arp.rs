//! Cisco IOS-XR `show arp`, after ntc-templates' `cisco_xr_show_arp`: the
//! time stamp, per-location sections (`0/0/CPU0`, filled down as `cpu`)
//! with their header and rules, and one record per entry. Anything else is
//! a warning.

use crate::fsm::{schema, Out};
use crate::show::rows::Fields;
use crate::show::Rules;
use crate::text::{is_digits, is_dotted4, split_n};

schema! {
    ip_address: REQUIRED, age: REQUIRED, mac_address: REQUIRED, state: REQUIRED, Type = "type": REQUIRED,
    interface: REQUIRED, cpu: FILLDOWN,
}

const ROW: Fields<6> = Fields::of(SCHEMA, ["ip_address", "age", "mac_address", "state", "type", "interface"]);

/// The parser: the template's record alone ([`Rules`]).
pub(crate) type Parser = Fsm;

/// `^\S+\s+\S+\s+\d+\s+\d+:\d+:\d+\.\d+\s+\S+\s*$` (`Mon Oct 17 02:44:29.814 UTC`).
pub(crate) fn is_timestamp(line: &str) -> bool {
    if line.starts_with(char::is_whitespace) {
        return false;
    }
    let Some((t, 5)) = split_n::<5>(line) else { return false };
    if !is_digits(t[2]) {
        return false;
    }
    let mut p = t[3].splitn(3, ':');
    let (Some(h), Some(m), Some(s)) = (p.next(), p.next(), p.next()) else { return false };
    let Some((s, frac)) = s.split_once('.') else { return false };
    is_digits(h) && is_digits(m) && is_digits(s) && is_digits(frac)
}

/// `^\d+/\S*\d+/CPU\d+$`
pub(crate) fn location(line: &str) -> Option<&str> {
    let (a, rest) = line.split_once('/')?;
    if !is_digits(a) {
        return None;
    }
    let i = rest.rfind("/CPU")?;
    let (mid, cpu) = (&rest[..i], &rest[i + 4..]);
    (is_digits(cpu) && mid.ends_with(|c: char| c.is_ascii_digit()) && !mid.contains(char::is_whitespace)).then_some(line)
}

impl Rules for F {
    fn line(f: &mut Fsm, n: usize, line: &str, out: &mut Out<'_>) {
        if line.trim().is_empty() || is_timestamp(line) || line.starts_with('-') {
            return;
        }
        let w: Vec<&str> = line.split_whitespace().collect();
        if line.starts_with("Address") && w == ["Address", "Age", "Hardware", "Addr", "State", "Type", "Interface"] && !line.ends_with(char::is_whitespace) {
            return;
        }
        if let Some(cpu) = location(line) {
            f.set(F::cpu, cpu);
            return;
        }
        if w.len() == 6 && !line.starts_with(char::is_whitespace) && is_dotted4(w[0], 0) {
            ROW.set(f, [w[0], w[1], w[2], w[3], w[4], w[5]]);
            f.record(out.sink);
            return;
        }
        out.warn(n, "not an ARP entry");
    }
}
