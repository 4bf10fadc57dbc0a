use crate::flaps::{self, Session};
use crate::rules::bgp::bgp_session_down::BGP_SESSION_DOWN;
use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// For each peering and path, Azure Monitor's `BgpAvailability` over the
    /// metrics window (default the last hour): every dip, a run of 1-minute
    /// points under 90%, with when, how long and how low. Each dip is
    /// corroborated: *maintenance* when the Resource Health history of the
    /// circuit or a gateway has a Planned status overlapping it; *confirmed*
    /// when one of erdiag's own polls (`--store`) inside it, give or take a
    /// minute, saw the MSEE's session down, when the route-table summary
    /// shows the session Established with an uptime (`upDown`) that dates
    /// its last establishment inside the dip, give or take a minute (the
    /// MSEE itself says it was reset then; an earlier poll of the store
    /// that read such an uptime counts too, since the summary keeps only
    /// the latest reset and a flap resets it again), or when it lasts to the
    /// snapshot's own time and the summary shows the session down;
    /// *unconfirmed* otherwise. Minutes without data are a gap in the
    /// metric, not a dip. Only a confirmed dip fails; maintenance and
    /// unconfirmed dips warn.
    ///
    /// ## Why it matters
    /// A BGP session that flaps at night is up when you look: the snapshot
    /// shows only now. Azure Monitor remembers, but Microsoft documents that
    /// BGP availability reads down during its own maintenance, and users
    /// report gaps in the metric that fire false alerts: a metric alone is
    /// not a diagnosis. A confirmed flap degrades the circuit (traffic moved
    /// to one path, sessions reset) but is not the cause of a failure seen
    /// now.
    ///
    /// ## Evidence
    /// `{circuitId}/providers/Microsoft.Insights/metrics` (`BgpAvailability`,
    /// Average, split by `PeeringType` and `Peer`), the Resource Health
    /// history `…/providers/Microsoft.ResourceHealth/availabilityStatuses` of
    /// the circuit and gateways, `inputs.observed` (erdiag's own polls) and
    /// the path's route-table summary.
    ///
    /// The threshold is the Azure Monitor Baseline Alerts' `BgpAvailability`
    /// LessThan 90 (expressRouteCircuits/alerts.yaml). AMBA averages 5
    /// minutes; erdiag reads the 1-minute points so that each dip is counted,
    /// timed and placed on its path even when the 5-minute average stays
    /// over 90%.
    ///
    /// ## Remediation
    /// Confirmed: read the CE's log for the neighbor's resets at the times
    /// given (hold timer expired, BFD down, interface down), check the link
    /// and the provider's path, and enable BFD. Unconfirmed: run erdiag with
    /// `--store`, so that its own polls can confirm dips. Maintenance: nothing
    /// to do, but the other path must carry the traffic meanwhile.
    ///
    /// ## References
    /// Verify ExpressRoute connectivity: "Validate BGP and routes on the
    /// MSEE"; ExpressRoute monitoring metrics ("BGP availability"); Azure
    /// Monitor Baseline Alerts for ExpressRoute circuits.
    pub static BGP_FLAPS = {
        id: "ER404", name: "bgp-flaps", layer: Bgp, owner: Customer, points: [2, 5],
        explainable: true, past: true,
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    flaps::run(c, cx, Session::Bgp, &BGP_SESSION_DOWN, out);
}
