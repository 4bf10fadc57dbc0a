use crate::{Check, Context, Finding};

check! {
    /// ## What it checks
    /// A route filter is attached to Microsoft peering.
    ///
    /// ## Why it matters
    /// Microsoft peering advertises no Microsoft service prefixes until a
    /// route filter selects the BGP communities (services and regions) the
    /// customer wants: the session comes up and carries nothing.
    ///
    /// ## Evidence
    /// `properties.routeFilter` of the Microsoft peering.
    ///
    /// ## Remediation
    /// Create a route filter with the needed service communities and attach
    /// it to the Microsoft peering.
    ///
    /// ## References
    /// Configure route filters for Microsoft peering.
    pub static MICROSOFT_PEERING_NO_ROUTE_FILTER = {
        id: "ER207", name: "microsoft-peering-no-route-filter", layer: Peering, owner: Customer, points: [5],
    };
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    cx.per_peering(out, |p, name| {
        if !p.peering.is_microsoft() {
            return None;
        }
        let filter = p.peering.properties.route_filter.as_ref().and_then(|r| r.id.as_deref()).filter(|s| !s.is_empty());
        Some(match filter {
            Some(id) => Finding::pass(c, format!("{name}: route filter {} attached.", erdiag_model::last_segment(id))),
            None if !crate::facts::carried(cx.state, name, "properties.routeFilter") => {
                crate::facts::absent(c, cx.state, crate::facts::Body::Peering(name), "properties.routeFilter")
            }
            None => Finding::fail(c, format!("{name} has no route filter: Microsoft advertises no service prefixes over it."))
                .evidence("routeFilter: (absent)")
                .fix("Create a route filter with the BGP communities of the services you use and attach it to Microsoft peering."),
        })
    });
}
