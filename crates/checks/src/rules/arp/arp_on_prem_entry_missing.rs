use crate::facts;
use crate::{Check, Context, Finding, Owner};
use erdiag_model::{ArpEntry, Collected, DevicePath, MacAddress};

check! {
    /// ## What it checks
    /// For each peering and path, the MSEE's ARP table holds the on-premises
    /// entry: the CE's (first usable) address resolved to a MAC address.
    ///
    /// ## Why it matters
    /// ARP is layer 2 between the CE/PE-MSEE and the MSEE. An on-premises
    /// entry with a MAC means the link, the VLAN tags and the CE address are
    /// right, and BGP can come up. The readings:
    /// - entry at the first usable address with a MAC: layer 2 is up;
    /// - entry `Incomplete`, or no on-premises entry: the MSEE gets no answer —
    ///   VLAN (C-tag/S-tag) mismatch, CE interface down, or a broken provider
    ///   link. When both paths fail alike the shared configuration (the VLAN,
    ///   the CE) is the suspect: customer. When one path fails alone, its own
    ///   link is: the provider (on ExpressRoute Direct, the customer);
    /// - entry at another address: the CE is configured with the wrong
    ///   address (the customer);
    /// - an empty table, not even the MSEE's own interface: the Microsoft side.
    ///
    /// The Microsoft entry may be absent on some platforms; that is not an
    /// error.
    ///
    /// ## Evidence
    /// `arpTables/{primary,secondary}` of each peering.
    ///
    /// ## Remediation
    /// Check the CE subinterface's VLAN tag and address against the peering
    /// and that the interface is up; then ask the provider to check the
    /// circuit's layer-2 path (S-tag, cross-connect) for that path.
    ///
    /// ## References
    /// Verify ExpressRoute connectivity: "Validate ARP"; Getting ARP tables in
    /// the Resource Manager deployment model.
    pub static ARP_ON_PREM_ENTRY_MISSING = {
        id: "ER301", name: "arp-on-prem-entry-missing", layer: Arp, owner: Customer, points: [2, 3, 4, 5],
        breaks_path: true, explainable: true,
    };
}

/// What one path's ARP table says.
enum Reading {
    Up(String),
    Unknown(String),
    Empty,
    /// The CE's address is there but does not resolve, or is absent.
    NoAnswer(String),
    /// The CE answers from another address.
    WrongAddress(String),
}

/// The output that carries every column of an ARP table.
const ARP_FULL: &str = "give the full table: `az network express-route list-arp-tables ... -o json`, or `Get-AzExpressRouteCircuitARPTable ... | Format-List *` (a `Format-Table` cuts and drops columns)";

fn describe(e: &ArpEntry) -> String {
    format!(
        "{} {} {} (age {})",
        e.interface.as_deref().unwrap_or("?"),
        e.ip_address.as_deref().unwrap_or("?"),
        e.mac_address,
        e.age.map(|a| a.to_string()).unwrap_or_else(|| "?".into())
    )
}

fn read(p: &erdiag_model::PeeringState, d: DevicePath) -> (Reading, Vec<String>) {
    let rows = match p.arp(d) {
        Collected::Ok(rows) => rows,
        other => return (Reading::Unknown(other.missing_reason(&format!("the {d} ARP table")).unwrap_or_default()), vec![]),
    };
    let evidence: Vec<String> = rows.iter().take(6).map(describe).collect();
    let Some(addr) = facts::addresses(&p.peering, d) else {
        return (Reading::Unknown(format!("the {d} peer subnet is not a valid /30, so the CE address is unknown")), evidence);
    };
    if rows.is_empty() {
        return (Reading::Empty, vec![format!("{d} ARP table: no entries")]);
    }
    if let Some(e) = facts::on_prem_entry(rows, addr.customer) {
        return match &e.mac_address {
            MacAddress::Resolved(m) => (Reading::Up(format!("CE {} is at {m}", addr.customer)), evidence),
            // Absent is not Incomplete: a table cut the column, or the input left it out.
            MacAddress::Missing => (Reading::Unknown(format!("the {d} ARP entry of the CE address {} carries no MAC address in the input, so whether it resolved cannot be read; {ARP_FULL}", addr.customer)), evidence),
            MacAddress::Incomplete => (Reading::NoAnswer(format!("the CE address {} is Incomplete: the MSEE gets no ARP reply", addr.customer)), evidence),
        };
    }
    if rows.iter().any(|e| e.ip_address.is_none()) {
        return (Reading::Unknown(format!("{d} ARP table: an entry carries no IP address in the input, so the CE's entry cannot be looked for; {ARP_FULL}")), evidence);
    }
    let others: Vec<&ArpEntry> = rows.iter().filter(|e| e.is_on_prem() && e.mac_address.is_resolved()).collect();
    if let Some(o) = others.first() {
        let ip = o.ip_address.as_deref().unwrap_or("?");
        let swapped = o.ip() == Some(addr.msee);
        let what = if swapped {
            format!("the on-premises side answers at {ip}, the MSEE's own address: CE and MSEE addresses are swapped")
        } else {
            format!("the on-premises side answers at {ip}, not at {} (the first usable address of {})", addr.customer, addr.net)
        };
        return (Reading::WrongAddress(what), evidence);
    }
    (Reading::NoAnswer(format!("no on-premises entry for the CE address {}: only the MSEE's own interface", addr.customer)), evidence)
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    let direct = cx.state.circuit.is_direct();
    let l2 = facts::l2_points(cx.state);
    for p in &cx.state.peerings {
        let name = p.name();
        let msee_listed = DevicePath::BOTH.map(|d| matches!(p.arp(d), Collected::Ok(rows) if rows.iter().any(|e| e.is_microsoft())));
        let readings = DevicePath::BOTH.map(|d| {
            let (r, ev) = read(p, d);
            match r {
                // This platform lists no MSEE entry at all: an empty table is the CE not answering.
                Reading::Empty if !msee_listed[d.other().index()] => (
                    Reading::NoAnswer(format!(
                        "the table is empty, and this platform lists no MSEE entry on either path: the CE at {} does not answer",
                        facts::addresses(&p.peering, d).map(|a| a.customer.to_string()).unwrap_or_else(|| "?".into())
                    )),
                    ev,
                ),
                r => (r, ev),
            }
        });
        let both_no_answer = readings.iter().all(|(r, _)| matches!(r, Reading::NoAnswer(_)));
        let up = readings.iter().map(|(r, _)| matches!(r, Reading::Up(_))).collect::<Vec<_>>();
        for (d, (reading, mut evidence)) in DevicePath::BOTH.into_iter().zip(readings) {
            if !matches!(reading, Reading::Up(_) | Reading::Unknown(_)) && up[d.other().index()] {
                evidence.push(format!("the {} path is up: redundancy is lost, not connectivity", d.other()));
            }
            let f = match reading {
                Reading::Up(msg) => Finding::pass(c, format!("Layer 2 is up: {msg}.")),
                Reading::Unknown(msg) => Finding::unknown(c, format!("{msg}.")),
                Reading::Empty => Finding::fail(c, format!("The MSEE returned an empty ARP table, without even its own interface, which the {} path's table lists: the peering's interface is not up on the Microsoft side.", d.other()))
                    .owner(Owner::Microsoft)
                    .points(&[5])
                    .fix("Open a Microsoft support request: the MSEE shows no ARP entries at all for this peering and path."),
                Reading::WrongAddress(msg) => Finding::fail(c, format!("Layer 2 problem: {msg}."))
                    .points(&[2])
                    .fix("Configure the CE interface with the first usable address of the path's /30 and use the second usable address as BGP neighbor."),
                Reading::NoAnswer(msg) => {
                    let owner = if p.peering.managed_by_provider() || (!both_no_answer && !direct) { Owner::Provider } else { Owner::Customer };
                    let fix = if both_no_answer {
                        "Both paths fail alike, so check what they share: the VLAN tag on the CE subinterfaces (and the S-tag/C-tag with the provider on QinQ) must be the peering's VLAN ID, the CE addresses the first usable of each /30, and the interfaces up. If they are, ask the provider to check the layer-2 handoff."
                    } else if direct {
                        "Only this path fails: check the CE port, optics and cross-connect on this link, and its subinterface's VLAN tag and address."
                    } else {
                        "Only this path fails while the other is up with the same VLAN: ask the provider to check this path's layer-2 connection (cross-connect, S-tag), and check the CE interface on this path is up."
                    };
                    Finding::fail(c, format!("Layer 2 problem between CE/PE and MSEE: {msg}.")).owner(owner).points(l2).fix(fix)
                }
            };
            out.push(f.peering(name).path(d).evidence_all(evidence));
        }
    }
}
