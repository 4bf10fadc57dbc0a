use super::each;
use crate::ce::{at, facing_interface, facing_neighbor, snippet};
use crate::facts::{self, L2};
use crate::{Check, Context, Finding, Status};
use erdiag_model::{BgpState, Collected};

check! {
    /// ## What it checks
    /// Whether the CE has an MD5 password for the MSEE neighbor on each
    /// path. Azure never displays a configured shared key (the guide:
    /// "Previously configured shared keys won't be displayed"), so a missing
    /// or extra password is flagged only when the user states Azure's side
    /// (`--azure-md5 yes|no`, `inputs.azureMd5`). When the MSEE's session is
    /// stuck (Active/Connect/Idle) while ARP is up and the CE's VLAN,
    /// addresses and ASNs all match, the MD5 key is named as the remaining
    /// suspect. Without `--azure-md5`, an established session shows both
    /// ends agree (pass); a session that is not established, for another
    /// reason or unread, leaves MD5 `unknown`.
    ///
    /// ## Why it matters
    /// With MD5 on one end only, or different keys, TCP segments are dropped
    /// silently and BGP never leaves Active — the most common mismatch that
    /// no show command on Azure's side reveals.
    ///
    /// ## Evidence
    /// `neighbor … password`, `authentication-key`, `password encrypted` —
    /// their presence only; the value is never read out or printed.
    ///
    /// ## Remediation
    /// Set the same key on the peering and on the CE neighbor; when unsure,
    /// re-enter it on both sides.
    ///
    /// ## References
    /// Verify ExpressRoute connectivity: "Validate peering configuration".
    pub static CE_MD5_MISMATCH = {
        id: "ER904", name: "ce-md5-mismatch", layer: CustomerEdge, owner: Customer, points: [2, 5],
        breaks_path: true,
        explains: [Bgp, Routes, Traffic, ConnectivityTest, Gateway],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    each(cx, out, |d, f, p, sub| {
        let Some(bgp) = &f.config.bgp else { return None };
        let Some(n) = facing_neighbor(&f.config, &sub) else { return None };
        let has = n.password.is_some();
        let where_ = n.password.map(|s| format!(" ({})", at(f, s))).unwrap_or_default();
        let finding = match (cx.state.azure_md5, has) {
            (Some(true), false) => Finding::fail(c, format!("Azure's peering has an MD5 key, but the CE neighbor {} has no password.", n.address.value))
                .evidence(snippet(f, n.address.span, "no password for this neighbor"))
                .fix(format!("Configure the peering's MD5 key as the password of neighbor {} on the CE.", n.address.value)),
            (Some(false), true) => Finding::fail(c, format!("The CE neighbor {} has a password{where_}, but Azure's peering has no MD5 key.", n.address.value))
                .evidence(snippet(f, n.password.unwrap(), "Azure has no MD5 key"))
                .fix("Remove the password from the CE neighbor, or set the same key on the peering."),
            (Some(_), _) => Finding::pass(c, format!("MD5 is {} on both ends (keys themselves cannot be compared).", if has { "configured" } else { "off" })),
            (None, _) => {
                // Is the MD5 key the remaining suspect?
                // Stuck trying to connect: not shut down, not over the prefix limit.
                let session_down = matches!(p.summary(d), Collected::Ok(rows) if facts::session_row(rows, Some(sub.customer)).is_some_and(|r| matches!(r.state_pfx_rcd, BgpState::Active | BgpState::Connect | BgpState::Idle | BgpState::OpenSent)));
                let session_up = matches!(p.summary(d), Collected::Ok(rows) if facts::session_row(rows, Some(sub.customer)).is_some_and(|r| matches!(r.state_pfx_rcd, BgpState::Established(_))));
                let l2_up = facts::l2_state(p, d) == L2::Up;
                let vlan_ok = facing_interface(&f.config, p, &sub)
                    .and_then(|i| i.inner_vlan.as_ref().or(i.vlan.as_ref()).map(|v| Some(v.value as u64) == p.peering.properties.vlan_id))
                    .unwrap_or(false);
                let addr_ok = n.address.value == sub.msee;
                let asn_ok = n.remote_as.as_ref().is_some_and(|r| Some(r.value as u64) == p.peering.properties.azure_asn.or(Some(facts::MICROSOFT_ASN)))
                    && p.peering.properties.peer_asn.is_some_and(|pa| n.local_as.as_ref().unwrap_or(&bgp.local_as).value as u64 == pa);
                if session_down && l2_up && vlan_ok && addr_ok && asn_ok {
                    Finding::fail(
                        c,
                        format!(
                            "BGP is down although ARP, VLAN, addresses and ASNs all match: the MD5 key is the remaining suspect (the CE {}).",
                            if has { format!("has a password{where_}") } else { "has no password".to_string() }
                        ),
                    )
                    .evidence(snippet(f, n.password.unwrap_or(n.address.span), if has { "password configured here (value not shown)" } else { "no password on this neighbor" }))
                    .fix("Azure never shows its key: re-enter the same MD5 key on the peering and on the CE neighbor (or remove it on both), then check the session.")
                } else if session_up {
                    // A session with a key on one side only, or two different keys, never establishes.
                    Finding::new(c, Status::Pass, format!(
                        "The CE neighbor {} {} and the session is established, so both ends agree on MD5 (Azure never shows its key).",
                        n.address.value,
                        if has { format!("has an MD5 password{where_}") } else { "has no MD5 password".to_string() }
                    ))
                } else {
                    // Absent is not a pass: without an established session or Azure's side, MD5 cannot be compared.
                    Finding::unknown(c, format!(
                        "The CE neighbor {} {}, but the session is not established and Azure never shows its key, so MD5 cannot be compared.",
                        n.address.value,
                        if has { format!("has an MD5 password{where_}") } else { "has no MD5 password".to_string() }
                    ))
                    .fix("State whether the peering has an MD5 key with --azure-md5 yes|no (the portal's peering page or `az network express-route peering show` says whether a shared key is set).")
                }
            }
        };
        Some(finding)
    });
}
