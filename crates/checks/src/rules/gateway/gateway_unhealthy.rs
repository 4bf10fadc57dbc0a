use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// Resource Health of each connected virtual network gateway is
    /// `Available`; `Degraded` or `Unavailable` (often planned maintenance)
    /// fails.
    ///
    /// ## Why it matters
    /// The guide: "Microsoft manages this infrastructure and might perform
    /// maintenance, reducing performance." Packet loss or latency during a
    /// maintenance window is explained by it, not by the circuit.
    ///
    /// ## Evidence
    /// `{gatewayId}/providers/Microsoft.ResourceHealth/availabilityStatuses/current`:
    /// `availabilityState`, `summary`, `reasonType`, `occuredTime`.
    ///
    /// ## Remediation
    /// Correlate the event's time with the reported problem. Follow the
    /// recommended steps in Resource Health, and consider a larger gateway SKU
    /// to have headroom during maintenance.
    ///
    /// ## References
    /// Verify ExpressRoute connectivity: "Verify availability of the virtual
    /// network gateway".
    pub static GATEWAY_UNHEALTHY = {
        id: "ER805", name: "gateway-unhealthy", layer: Gateway, owner: Microsoft, points: [6],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    super::per_gateway_read(c, cx, out, None, "Resource Health of gateway", false, |g| &g.health, |_, name, h| {
        let p = &h.properties;
        let state = p.availability_state.as_deref().unwrap_or("(absent)");
        let mut ev = vec![format!("availabilityState: {state}")];
        if let Some(s) = &p.summary {
            ev.push(format!("summary: {s}"));
        }
        if let Some(r) = p.reason_type.as_deref().filter(|r| !r.is_empty()) {
            ev.push(format!("reasonType: {r}"));
        }
        if let Some(t) = &p.occured_time {
            ev.push(format!("since: {t}"));
        }
        let maintenance = p.reason_type.as_deref().is_some_and(|r| r.eq_ignore_ascii_case("Planned"))
            || p.summary.as_deref().is_some_and(|s| s.to_ascii_lowercase().contains("maintenance"));
        let f = match state {
            s if s.eq_ignore_ascii_case("Available") => Finding::pass(c, format!("Gateway {name} is Available.")),
            s if s.eq_ignore_ascii_case("Degraded") || s.eq_ignore_ascii_case("Unavailable") => {
                let what = if maintenance { " during maintenance" } else { "" };
                Finding::fail(c, format!("Gateway {name} is {s}{what}: expect reduced performance, packet loss or latency."))
                    .fix("Correlate the Resource Health event's time with the problem; follow its recommended steps, and consider a larger gateway SKU for headroom during maintenance.")
            }
            _ => Finding::unknown(c, format!("Resource Health reports {state} for gateway {name}.")),
        };
        f.evidence_all(ev)
    });
}
