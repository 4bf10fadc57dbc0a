use crate::flaps::{self, Session};
use crate::rules::arp::arp_on_prem_entry_missing::ARP_ON_PREM_ENTRY_MISSING;
use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// For each peering and path, Azure Monitor's `ArpAvailability` over the
    /// metrics window (default the last hour): every dip, a run of 1-minute
    /// points under 90%, with when, how long and how low. Each dip is
    /// corroborated: *maintenance* when the Resource Health history of the
    /// circuit or a gateway has a Planned status overlapping it; *confirmed*
    /// when one of erdiag's own polls (`--store`) inside it saw the MSEE's ARP
    /// table without the on-premises entry, or when it lasts to the
    /// snapshot's own time and the snapshot shows the entry missing;
    /// *unconfirmed* otherwise. Minutes without data are a gap in the metric,
    /// not a dip. Only a confirmed dip fails; maintenance and unconfirmed dips
    /// warn.
    ///
    /// ## Why it matters
    /// Layer-2 faults that hurt are intermittent: a link that drops at night
    /// is fine when you look. The metric remembers them, but Microsoft
    /// documents that availability reads down during its own maintenance,
    /// and users report gaps in the metric: a metric alone is not a
    /// diagnosis.
    ///
    /// ## Evidence
    /// `{circuitId}/providers/Microsoft.Insights/metrics` (`ArpAvailability`,
    /// Average, split by `PeeringType` and `Peer`), the Resource Health
    /// history `…/providers/Microsoft.ResourceHealth/availabilityStatuses` of
    /// the circuit and gateways, `inputs.observed` (erdiag's own polls) and
    /// the path's ARP table.
    ///
    /// The threshold is the Azure Monitor Baseline Alerts' `ArpAvailability`
    /// LessThan 90 (expressRouteCircuits/alerts.yaml). AMBA averages 5
    /// minutes; erdiag reads the 1-minute points so that each dip is counted,
    /// timed and placed on its path even when the 5-minute average stays
    /// over 90%.
    ///
    /// ## Remediation
    /// Confirmed: read the CE's interface log for the times given, and ask
    /// the provider about their side of the link. Unconfirmed: run erdiag
    /// with `--store` (each poll is then an observation that can confirm a
    /// dip). Maintenance: nothing to do, but the other path must carry the
    /// traffic meanwhile.
    ///
    /// ## References
    /// Verify ExpressRoute connectivity: "Verify the ARP table"; ExpressRoute
    /// monitoring metrics ("ARP availability"); Azure Monitor Baseline Alerts
    /// for ExpressRoute circuits.
    pub static ARP_FLAPS = {
        id: "ER302", name: "arp-flaps", layer: Arp, owner: Customer, points: [2, 3, 4, 5],
        explainable: true, past: true,
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    flaps::run(c, cx, Session::Arp, &ARP_ON_PREM_ENTRY_MISSING, out);
}
