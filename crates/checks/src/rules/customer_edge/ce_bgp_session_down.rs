use super::each_show;
use crate::{Check, Context, Finding};
use erdiag_ce::model::BgpState;
use erdiag_ce::values::is_addr;
use erdiag_ce::Model;

check! {
    /// ## What it checks
    /// From the CE's own `show … bgp summary` (given with `--ce`): the
    /// session to the MSEE (the second usable address of the path's /30) is
    /// Established on the CE too, and the CE receives prefixes from it (the
    /// VNet prefixes). Skipped when no BGP summary was given.
    ///
    /// ## Why it matters
    /// The two ends can disagree: the MSEE may show the session down while
    /// the CE shows it Idle (Admin) — shut on the CE — or Established on the
    /// CE with 0 prefixes received, which means the VNet is not connected
    /// or the gateway advertises nothing.
    ///
    /// ## Evidence
    /// The CE's BGP summary row for the MSEE neighbor.
    ///
    /// ## Remediation
    /// Idle (Admin): `no neighbor … shutdown`. Active/Connect/Idle: see the
    /// CE configuration checks and the MSEE's BGP findings. 0 prefixes
    /// received: check the gateway connection and its BGP sessions.
    ///
    /// ## References
    /// Verify ExpressRoute connectivity: "Validate BGP and routes on the MSEE".
    pub static CE_BGP_SESSION_DOWN = {
        id: "ER907", name: "ce-bgp-session-down", layer: CustomerEdge, owner: Customer, points: [2, 5],
        explainable: true,
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    each_show(cx, out, |_, o, _, sub| {
        let (at, Model::BgpSummary(rows)) = (&o.at, &o.parsed.model) else { return None };
        let Some(row) = rows.iter().find(|r| is_addr(&r.neighbor, sub.msee)) else { return None };
        let ev = format!(
            "{at}: neighbor {} AS {} state {:?}{} prefixes received {} up/down {}",
            row.neighbor,
            row.remote_as.map(|a| a.to_string()).unwrap_or_else(|| "?".into()),
            row.state,
            row.state_detail.as_deref().map(|s| format!(" ({s})")).unwrap_or_default(),
            row.prefixes_received.map(|n| n.to_string()).unwrap_or_else(|| "-".into()),
            row.up_down.as_deref().unwrap_or("?")
        );
        let f = match (&row.state, row.prefixes_received) {
            (BgpState::Established, Some(0)) => Finding::fail(c, format!("The CE's session to the MSEE {} is Established but receives 0 prefixes: no VNet route reaches on-premises.", sub.msee))
                .points(&[5, 6])
                .fix("Check that a VNet gateway is connected to the circuit and its BGP sessions to the MSEEs are up."),
            (BgpState::Established, _) => Finding::pass(c, format!("The CE's session to the MSEE {} is Established.", sub.msee)),
            (state, _) => Finding::fail(c, format!(
                "The CE shows its session to the MSEE {} as {state:?}{}.",
                sub.msee,
                row.state_detail.as_deref().map(|s| format!(" ({s})")).unwrap_or_default()
            ))
            .fix("Idle (Admin) means the neighbor is shut on the CE; otherwise see the CE configuration checks and the MSEE's BGP findings."),
        };
        Some(f.evidence(ev))
    });
}
