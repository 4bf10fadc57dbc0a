//! Cisco IOS-XR `show arp`, after ntc-templates' `cisco_xr_show_arp`: the
//! time stamp, per-location sections (`0/0/CPU0`, filled down as `cpu`)
//! with their header and rules, and one record per entry. Anything else is
//! a warning.

use crate::fsm::{schema, Fsm, Out};
use crate::show::LineParser;
use crate::text::{is_digits, is_dotted4, split_n};

schema! {
    IpAddress = "ip_address": REQUIRED,
    Age = "age": REQUIRED,
    MacAddress = "mac_address": REQUIRED,
    State = "state": REQUIRED,
    Type = "type": REQUIRED,
    Interface = "interface": REQUIRED,
    Cpu = "cpu": FILLDOWN,
}

pub(crate) struct Parser {
    fsm: Fsm,
}

impl Default for Parser {
    fn default() -> Self {
        Parser { fsm: Fsm::new(SCHEMA) }
    }
}

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

impl LineParser for Parser {
    fn line(&mut self, n: usize, line: &str, out: &mut Out<'_>) {
        if line.trim().is_empty() || is_timestamp(line) || line.starts_with('-') {
            return;
        }
        let w: Vec<&str> = line.split_whitespace().collect();
        if line.starts_with("Address") && w == ["Address", "Age", "Hardware", "Addr", "State", "Type", "Interface"] && !line.ends_with(char::is_whitespace) {
            return;
        }
        if let Some(cpu) = location(line) {
            self.fsm.set(F::Cpu, cpu);
            return;
        }
        if w.len() == 6 && !line.starts_with(char::is_whitespace) && is_dotted4(w[0], 0) {
            let f = &mut self.fsm;
            f.set(F::IpAddress, w[0]);
            f.set(F::Age, w[1]);
            f.set(F::MacAddress, w[2]);
            f.set(F::State, w[3]);
            f.set(F::Type, w[4]);
            f.set(F::Interface, w[5]);
            f.record(out.sink);
            return;
        }
        out.warn(n, "not an ARP entry");
    }

    fn finish(&mut self, _last: usize, out: &mut Out<'_>) {
        self.fsm.record(out.sink);
    }
}
