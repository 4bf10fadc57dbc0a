use super::each_path_shows;
use crate::ce::facing_interface_known;
use erdiag_ce::values::{interface_address, is_addr, parent_interface, same_interface};
use crate::{Check, Context, Finding};
use erdiag_ce::model::Interface;
use erdiag_ce::Model;

check! {
    /// ## What it checks
    /// From the CE's `show interfaces` (given with `--ce`): the interface
    /// facing the MSEE on each path — the one with an address in the path's
    /// /30, else the subinterface a configuration given for the path
    /// addresses there, else the interface of the CE's ARP entry for the
    /// MSEE — and its parent physical interface are administratively up and
    /// up (line protocol). Nonzero input, output or CRC error counters are a
    /// warning. Skipped when no `show interfaces` of that interface was
    /// given.
    ///
    /// ## Why it matters
    /// A CE interface that is down takes the path down while every value in
    /// the configuration matches: the MSEE's ARP entry for the CE stays
    /// Incomplete and BGP never starts, so this check explains those
    /// findings. Error counters that climb point at the physical link
    /// (optics, cabling, the provider's port) and show as loss before the
    /// link fails.
    ///
    /// ## Evidence
    /// The interface's state line (`is up, line protocol is up`), address
    /// and error counters.
    ///
    /// ## Remediation
    /// Administratively down: `no shutdown`. Down with admin up: check the
    /// cable and optics, then ask the provider (or, on ExpressRoute Direct,
    /// Microsoft) to check their port. Errors: clear the counters, watch
    /// whether they grow, and replace what carries the errors.
    ///
    /// ## References
    /// Verify ExpressRoute connectivity: "Validate ARP".
    pub static CE_INTERFACE_STATE = {
        id: "ER911", name: "ce-interface-state", layer: CustomerEdge, owner: Customer, points: [2],
        breaks_path: true,
        explains: [Arp, Bgp, Routes, Traffic, ConnectivityTest, Gateway, CustomerEdge],
    };
}

fn describe(at: &str, r: &Interface) -> String {
    let n = |v: Option<u64>| v.map(|x| x.to_string()).unwrap_or_else(|| "-".into());
    format!(
        "{at}: {} is {}, line protocol is {}{}; input errors {}, CRC {}, output errors {}",
        r.name,
        r.link_status.as_deref().unwrap_or("?"),
        r.protocol_status.as_deref().unwrap_or("?"),
        r.ip_address.as_deref().map(|a| format!(", {a}")).unwrap_or_default(),
        n(r.input_errors),
        n(r.crc),
        n(r.output_errors)
    )
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    each_path_shows(cx, out, |d, shows, p, sub| {
        let rows: Vec<(&str, &Interface)> = shows
            .iter()
            .flat_map(|o| match &o.parsed.model {
                Model::Interfaces(rows) => rows.iter().map(|r| (o.at.as_str(), r)).collect(),
                _ => Vec::new(),
            })
            .collect();
        if rows.is_empty() {
            return None;
        }
        // Which interface faces the MSEE, and what says so.
        let by_address = rows.iter().find(|(_, r)| interface_address(r).is_some_and(|a| sub.net.contains(&a))).map(|(_, r)| (r.name.clone(), None));
        let by_config = || facing_interface_known(&cx.ce[d.index()], p, &sub, &[]).map(|f| (f.name, Some(f.evidence)));
        let by_arp = || {
            shows.iter().find_map(|o| match &o.parsed.model {
                Model::Arp(arp) => arp
                    .iter()
                    .find(|e| is_addr(&e.ip, sub.msee))
                    .and_then(|e| e.interface.clone())
                    .map(|i| (i.clone(), Some(format!("{}: the ARP entry for the MSEE {} is on {i}", o.at, sub.msee)))),
                _ => None,
            })
        };
        let Some((name, why)) = by_address.or_else(by_config).or_else(by_arp) else { return None };
        let parent = parent_interface(&name);
        let mine: Vec<(&str, &Interface)> = rows
            .iter()
            .filter(|(_, r)| same_interface(&r.name, &name) || parent.is_some_and(|pa| same_interface(&r.name, pa)))
            .copied()
            .collect();
        if mine.is_empty() {
            return None; // the output is about other interfaces
        }
        let mut ev: Vec<String> = why.into_iter().collect();
        ev.extend(mine.iter().map(|(at, r)| describe(at, r)));
        let admin_down: Vec<&str> = mine.iter().filter(|(_, r)| r.admin_up == Some(false)).map(|(_, r)| r.name.as_str()).collect();
        let oper_down: Vec<&str> = mine.iter().filter(|(_, r)| r.admin_up != Some(false) && r.oper_up == Some(false)).map(|(_, r)| r.name.as_str()).collect();
        let unknown = mine.iter().any(|(_, r)| r.admin_up.is_none() || r.oper_up.is_none());
        let errors: Vec<String> = mine
            .iter()
            .filter_map(|(_, r)| {
                let parts: Vec<String> = [("input errors", r.input_errors), ("CRC", r.crc), ("output errors", r.output_errors)]
                    .into_iter()
                    .filter_map(|(k, v)| v.filter(|n| *n > 0).map(|n| format!("{n} {k}")))
                    .collect();
                (!parts.is_empty()).then(|| format!("{}: {}", r.name, parts.join(", ")))
            })
            .collect();
        let f = if !admin_down.is_empty() {
            Finding::fail(c, format!("The CE interface facing the MSEE {} is administratively down: {}.", sub.msee, admin_down.join(", ")))
                .fix(format!("Bring {} up (`no shutdown`).", admin_down.join(" and ")))
        } else if !oper_down.is_empty() {
            Finding::fail(c, format!("The CE interface facing the MSEE {} is down (line protocol): {}.", sub.msee, oper_down.join(", ")))
                .points(if cx.state.circuit.is_direct() { &[2, 5] } else { &[2, 3] })
                .fix(if cx.state.circuit.is_direct() {
                    "Check the cable and optics of the CE port, then ask Microsoft to check the ExpressRoute Direct port."
                } else {
                    "Check the cable and optics of the CE port, then ask the provider to check their port facing the CE."
                })
        } else if unknown {
            Finding::unknown(c, format!("The state of the CE interface {name} facing the MSEE {} is not in the output given.", sub.msee))
        } else if !errors.is_empty() {
            Finding::warn(c, format!("The CE interface facing the MSEE {} is up but counts errors: {}.", sub.msee, errors.join("; ")))
                .breaks(false)
                .fix("Clear the counters and watch whether they grow; if they do, replace the optics or cable and ask the provider to check their port.")
        } else {
            Finding::pass(c, format!("The CE interface {name} facing the MSEE {} is up, without errors.", sub.msee))
        };
        Some(f.evidence_all(ev))
    });
}
