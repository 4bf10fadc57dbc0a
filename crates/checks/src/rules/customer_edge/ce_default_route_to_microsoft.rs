use super::each_subnet;
use crate::ce::{at, facing_neighbor, snippet};
use erdiag_ce::values::prefix;
use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// Whether the CE sends a default route (0.0.0.0/0) to the MSEE: in
    /// `show ip bgp neighbors <MSEE> advertised-routes`, or as
    /// `default-originate` on the MSEE neighbor in the CE configuration
    /// (IOS/IOS-XE, NX-OS, IOS-XR, EOS, FRR). On Microsoft peering it is a
    /// warning; on private peering it is forced tunnelling, reported for
    /// information. Skipped when neither was given.
    ///
    /// ## Why it matters
    /// Default routes are accepted only on private peering, where they send
    /// all of the VNets' internet traffic to on-premises. On Microsoft
    /// peering only your registered public prefixes belong: a default route
    /// leaking there is filtered by Microsoft and shows an outbound policy
    /// that sends more than intended (routes-default-route sees the same
    /// from the MSEE's route table).
    ///
    /// ## Evidence
    /// The CE's advertised routes to the MSEE (the second usable address of
    /// the path's /30), and the `neighbor … default-originate` line.
    ///
    /// ## Remediation
    /// Remove `default-originate` from the Microsoft peering neighbor and
    /// filter 0.0.0.0/0 out of what is advertised to it (outbound
    /// prefix-list); advertise only your public prefixes.
    ///
    /// ## References
    /// ExpressRoute routing requirements (default routes are permitted only
    /// on private peering).
    pub static CE_DEFAULT_ROUTE_TO_MICROSOFT = {
        id: "ER910", name: "ce-default-route-to-microsoft", layer: CustomerEdge, owner: Customer, points: [2, 5],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    each_subnet(cx, out, |d, p, sub| {
        let (shows, files) = (&cx.ce[d.index()].shows, &cx.ce[d.index()].configs);
        let mut looked = Vec::new();
        let mut found = Vec::new();
        for o in shows {
            let Some(rows) = o.advertised_to(sub.msee) else { continue };
            if !o.filtered() {
                looked.push(format!("{}: `{}`", o.at, o.typed.as_deref().unwrap_or(o.parsed.command)));
            }
            if let Some(r) = rows.iter().find(|r| prefix(&r.prefix).is_some_and(|n| n.prefix_len() == 0)) {
                found.push((format!("{}: advertised to {}: {} next hop {}", o.at, sub.msee, r.prefix, r.next_hop), None));
            }
        }
        for f in files {
            let Some(n) = facing_neighbor(&f.config, &sub) else { continue };
            looked.push(format!("{}: neighbor {}", at(f, n.address.span), n.address.value));
            if let Some(s) = n.default_originate {
                found.push((format!("{}: neighbor {} default-originate", at(f, s), n.address.value), Some(snippet(f, s, "sends 0.0.0.0/0 to the MSEE"))));
            }
        }
        if looked.is_empty() && found.is_empty() {
            return None;
        }
        let finding = match (found.is_empty(), p.peering.is_microsoft()) {
            (true, true) => Finding::pass(c, format!("The CE sends no default route to the MSEE {} on Microsoft peering.", sub.msee)).evidence_all(looked),
            (true, false) => return None, // nothing to say on private peering
            (false, false) => Finding::pass(
                c,
                format!("The CE sends a default route to the MSEE {} on private peering: forced tunnelling of the VNets' internet traffic to on-premises, allowed.", sub.msee),
            )
            .evidence_all(found.into_iter().map(|(e, _)| e)),
            (false, true) => {
                let (ev, snippets): (Vec<String>, Vec<Option<String>>) = found.into_iter().unzip();
                Finding::warn(c, format!("The CE sends a default route (0.0.0.0/0) to the MSEE {} on Microsoft peering: only your public prefixes belong there.", sub.msee))
                    .evidence_all(ev)
                    .evidence_all(snippets.into_iter().flatten())
                    .fix(format!(
                        "Remove default-originate from neighbor {} and filter 0.0.0.0/0 out of what is advertised to it; advertise only your public prefixes on Microsoft peering.",
                        sub.msee
                    ))
            }
        };
        Some(finding)
    });
}
