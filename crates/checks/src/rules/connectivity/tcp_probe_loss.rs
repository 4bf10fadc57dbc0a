use crate::{Check, Context, Finding, Owner};
use erdiag_model::DevicePath;

check! {
    /// ## What it checks
    /// The TCP ping (`erdiag probe tcp`, the guide's PsPing) that ran during
    /// the portal's connectivity test reached its target: no loss passes,
    /// some loss warns (intermittent), total loss fails. Read together with
    /// the ACL counters: "matches received, none sent, and the probe lost
    /// 100%" is the return path. Skipped when no probe result is supplied
    /// (`--probe FILE`).
    ///
    /// ## Why it matters
    /// The ACL counters say what crossed the MSEEs; the probe says whether
    /// the application saw an answer. Both from the same source and to the
    /// same destination tie the two views together.
    ///
    /// ## Evidence
    /// `inputs.probe` (erdiag-probe/1): target, source, sent, received,
    /// loss, results by kind (refused, timeout, unreachable, DNS).
    ///
    /// ## Remediation
    /// Refused: the path works, the service does not listen (or a host
    /// firewall rejects). Timeouts: follow the ACL test's reading and the
    /// route checks above; check NSGs and firewalls on the way.
    ///
    /// ## References
    /// Verify ExpressRoute connectivity: "Test private peering connectivity".
    pub static TCP_PROBE_LOSS = {
        id: "ER702", name: "tcp-probe-loss", layer: ConnectivityTest, owner: Customer, points: [1, 2, 7],
        explainable: true,
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    let peering = crate::facts::private_peering_name(cx.state);
    let Some(p) = &cx.state.probe else {
        out.push(Finding::skip(c, "No TCP probe result supplied (`erdiag probe tcp HOST:PORT -o json > probe.json`, then --probe probe.json)."));
        return;
    };
    let s = &p.summary;
    let from = p.source.as_deref().map(|x| format!(" from {x}")).unwrap_or_default();
    let kinds: Vec<String> = s.by_result.iter().filter(|(_, n)| **n > 0).map(|(k, n)| format!("{k} {n}")).collect();
    let mut ev = vec![format!(
        "probe to {}{from}: {} sent, {} received, {:.0}% lost{}",
        p.target,
        s.sent,
        s.received,
        s.loss_percent,
        s.median_ms.map(|m| format!(", median {m:.1} ms")).unwrap_or_default()
    )];
    if !kinds.is_empty() {
        ev.push(format!("results: {}", kinds.join(", ")));
    }
    // Tie the probe to the ACL counters of the same test.
    if let Some(acl) = &cx.state.acl_test {
        for d in DevicePath::BOTH {
            if let Some(a) = acl.get(d) {
                ev.push(format!("{d} MSEE ACL: received {}, sent {}", a.received.unwrap_or(0), a.sent.unwrap_or(0)));
            }
        }
    }
    let refused = s.by_result.get("refused").copied().unwrap_or(0);
    let f = if s.sent == 0 {
        Finding::unknown(c, "The probe sent nothing.")
    } else if s.lost == 0 {
        Finding::pass(c, format!("The TCP probe to {} connected every time ({} of {}).", p.target, s.received, s.sent))
    } else if refused == s.lost {
        Finding::warn(c, format!("The TCP probe to {} was refused {refused} time(s): the network path works, the port does not listen.", p.target))
            .points(&[7])
            .fix("Check that the service listens on the target port and no host firewall rejects the probe's source.")
    } else if s.received == 0 {
        let acl_return = cx.state.acl_test.as_ref().is_some_and(|a| {
            DevicePath::BOTH.iter().filter_map(|d| a.get(*d)).any(|x| x.received.unwrap_or(0) > 0 && x.sent.unwrap_or(0) == 0)
        });
        let f = Finding::fail(c, if acl_return {
            format!("The TCP probe to {} lost 100%, and the ACL counters show matches received but none sent: the return path.", p.target)
        } else {
            format!("The TCP probe to {} lost 100%.", p.target)
        });
        f.fix("Follow the ACL test's reading and the route checks above: are the probe's source prefixes advertised to Azure? Does a UDR or NSG in the VNet drop the replies?")
    } else {
        Finding::warn(c, format!("The TCP probe to {} lost {:.0}% ({} of {}): intermittent loss.", p.target, s.loss_percent, s.lost, s.sent))
            .owner(Owner::Customer)
            .fix("Intermittent loss: compare with the gateway's Resource Health (maintenance), the gateway SKU against the traffic, and each path's counters.")
    };
    out.push(f.peering(peering).evidence_all(ev));
}
