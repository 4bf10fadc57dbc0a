use crate::facts::{self, L2};
use crate::{Check, Context, Finding, Owner};
use erdiag_model::{BgpState, Collected, Family};

check! {
    /// ## What it checks
    /// For each path of a peering with IPv6 enabled, the MSEE's IPv6 BGP
    /// session with the CE (or PE-MSEE) is Established, as the route-table
    /// summary shows it: the row whose neighbor is the first usable address
    /// of the path's /126, else the first IPv6 row. The IPv4 session of the
    /// same path is read beside it, so that "IPv6 down while IPv4 is up"
    /// points at the IPv6 configuration, not the link. A peering without
    /// IPv6, or with IPv6 Disabled (ER221), is `skip`.
    ///
    /// ## Why it matters
    /// IPv6 runs on the same sub-interface as IPv4, with its own eBGP
    /// session per path. When it is down, IPv6 prefixes are neither learned
    /// nor advertised on that path although IPv4 works, and dual-stack
    /// workloads fall back or fail.
    ///
    /// ## Evidence
    /// `routeTablesSummary/{primary,secondary}` rows whose `neighbor` is an
    /// IPv6 address (`statePfxRcd`, `upDown`), with the IPv4 row of the same
    /// path. ARM's summary operation has no address-family parameter: it
    /// returns the MSEE's neighbors as its rows carry them. When a path's
    /// summary lists no IPv6 neighbor, the session cannot be judged from
    /// Azure's side and the finding is `unknown`, naming the CE output that
    /// completes it (`show bgp ipv6 unicast summary`).
    ///
    /// ## Remediation
    /// With IPv4 up on the path, layer 2 works: check the CE's IPv6 address
    /// on the sub-interface (the first usable of the /126), its IPv6
    /// neighbor (the MSEE, the second usable) with remote-as 12076 activated
    /// under `address-family ipv6`, and the same MD5 key as the IPv4
    /// session. With both down, follow `bgp-session-down` (ER401).
    ///
    /// ## References
    /// Add IPv6 support for private peering; Verify ExpressRoute
    /// connectivity: "Validate BGP and routes on the MSEE".
    pub static IPV6_BGP_SESSION_DOWN = {
        id: "ER410", name: "ipv6-bgp-session-down", layer: Bgp, owner: Customer, points: [2, 5],
        explainable: true,
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    if facts::ipv6_unused(c, cx.state, out) {
        return;
    }
    cx.per_path(out, |p, d| {
        let v6 = match facts::ipv6_config(c, p) {
            Ok(v6) => v6,
            Err(skip) => return Some(skip),
        };
        if v6.is_disabled() {
            return Some(Finding::not_used(c, format!("IPv6 on {}: its IPv6 peering is Disabled (ER221), so no IPv6 session is expected.", p.name())));
        }
        let Collected::Ok(rows) = p.summary(d) else {
            return Some(facts::unread(c, p.summary(d), &format!("the {d} route-table summary")).ipv6());
        };
        let addr = v6.addresses(d);
        let Some(row) = erdiag_model::session_row_of(rows, Family::V6, addr.map(|a| a.customer)) else {
            return Some(
                Finding::unknown(c, format!("The {d} route-table summary lists no IPv6 neighbor: the IPv6 session cannot be judged from Azure's side."))
                    .fix(format!(
                        "Give the CE's `show bgp ipv6 unicast summary` (Cisco IOS/IOS-XE; `show bgp ipv6 unicast summary` on FRR, `show bgp summary` on Junos) of the {d} path with --ce {d}=FILE."
                    ))
                    .ipv6(),
            );
        };
        let owner = if p.peering.managed_by_provider() { Owner::Provider } else { Owner::Customer };
        let neighbor = row.neighbor.as_deref().unwrap_or("?");
        let up_down = row.up_down.as_deref().unwrap_or("?");
        let mut ev = vec![format!("{d} summary: IPv6 neighbor {neighbor} state/PfxRcd {} up/down {up_down}", row.state_pfx_rcd)];
        if let Some(a) = addr {
            if row.neighbor_addr() != Some(a.customer) {
                ev.push(format!("the MSEE's IPv6 neighbor is {neighbor}, but the first usable address of {} is {}", a.net, a.customer));
            }
        }
        let v4 = facts::session(p, d);
        let v4_up = v4.is_some_and(|r| r.state_pfx_rcd.is_established());
        if let Some(r) = v4 {
            ev.push(format!("{d} summary: IPv4 neighbor {} state/PfxRcd {}", r.neighbor.as_deref().unwrap_or("?"), r.state_pfx_rcd));
        }
        let f = match &row.state_pfx_rcd {
            BgpState::Established(n) => Finding::pass(c, format!("IPv6 Established with {neighbor} for {up_down}, {n} prefixes received.")),
            state if v4_up => Finding::fail(c, format!("The IPv6 session with {neighbor} is {state} while IPv4 on the same path is Established: the IPv6 configuration, not the link."))
                .fix(format!(
                    "Layer 2 and IPv4 BGP work on {d}: on the CE, check the IPv6 address {} on the sub-interface, the IPv6 neighbor {} with remote-as {} activated under address-family ipv6, and the same MD5 key as IPv4.",
                    addr.map(|a| a.customer.to_string()).unwrap_or_else(|| "(first usable of the /126)".into()),
                    addr.map(|a| a.msee.to_string()).unwrap_or_else(|| "(second usable of the /126)".into()),
                    p.peering.properties.azure_asn.unwrap_or(facts::MICROSOFT_ASN),
                )),
            state => {
                if facts::l2_state(p, d) == L2::Down {
                    ev.push(format!("ARP on {d} is not resolved: layer 2 carries neither family"));
                }
                Finding::fail(c, format!("The IPv6 session with {neighbor} is {state}, as is the IPv4 session of the path."))
                    .fix("Both families are down on this path: follow bgp-session-down (ER401) and the layer-2 checks first.")
            }
        };
        Some(f.owner(owner).points(facts::bgp_points(&p.peering)).evidence_all(ev).ipv6())
    });
}
