use crate::{Check, Context, Finding, Owner};
use erdiag_model::{AclCounters, DevicePath};

check! {
    /// ## What it checks
    /// Interprets the portal's "Test private-peering connectivity" results
    /// (the ACL match counters of each MSEE, `inputs.aclTest`) exactly as the
    /// guide's "Interpret results" table does:
    /// - matches sent and received on both MSEEs: healthy; any loss is
    ///   downstream of the MSEEs;
    /// - received but no sent matches: traffic reaches Azure but does not
    ///   return — return-path routing (are the right prefixes advertised to
    ///   Azure? does a UDR override them?);
    /// - sent but no received matches: traffic reaches on-premises but does
    ///   not return to Azure — work with the provider;
    /// - one MSEE with no matches while the other has good matches: that MSEE
    ///   is not receiving or passing traffic (BGP/ARP down, or routing prefers
    ///   the other path). Confirm by advertising a unique /32 over that path's
    ///   BGP session and testing again with it as the on-premises address.
    ///
    /// Skipped when no ACL test result was supplied.
    ///
    /// ## Why it matters
    /// The counters are the only view of what crosses the MSEEs in each
    /// direction, and so separate "Azure does not answer" from "the answer
    /// does not reach on-premises".
    ///
    /// ## Evidence
    /// `inputs.aclTest.primary` and `.secondary`, in the guide's text form
    /// (`src … dst … (received): 120 matches`).
    ///
    /// ## Remediation
    /// As in the table above.
    ///
    /// ## References
    /// Verify ExpressRoute connectivity: "Test private peering connectivity".
    pub static CONNECTIVITY_TEST_FAILED = {
        id: "ER701", name: "connectivity-test-failed", layer: ConnectivityTest, owner: Customer, points: [1, 2, 5, 6, 7],
        explainable: true,
    };
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Good,
    ReceivedOnly,
    SentOnly,
    Silent,
}

fn classify(c: &AclCounters) -> Class {
    match (c.received.unwrap_or(0) > 0, c.sent.unwrap_or(0) > 0) {
        (true, true) => Class::Good,
        (true, false) => Class::ReceivedOnly,
        (false, true) => Class::SentOnly,
        (false, false) => Class::Silent,
    }
}

fn run(c: &Check, cx: &Context, out: &mut Vec<Finding>) {
    let peering = crate::facts::private_peering_name(cx.state);
    let Some(test) = &cx.state.acl_test else {
        out.push(Finding::skip(c, "No ACL test result supplied (the portal's 'Test private-peering connectivity', as inputs.aclTest)."));
        return;
    };
    let mut classes = Vec::new();
    let mut evidence = Vec::new();
    for d in DevicePath::BOTH {
        match test.get(d) {
            Some(counters) => {
                for l in &counters.lines {
                    evidence.push(format!("{d} MSEE: {l}"));
                }
                classes.push((d, classify(counters)));
            }
            None => evidence.push(format!("{d} MSEE: no result supplied")),
        }
    }
    let which = |want: Class| -> Vec<DevicePath> { classes.iter().filter(|(_, c)| *c == want).map(|(d, _)| *d).collect() };
    let one = |v: &[DevicePath]| if v.len() == 1 { Some(v[0]) } else { None };
    let (recv_only, sent_only, silent, good) = (which(Class::ReceivedOnly), which(Class::SentOnly), which(Class::Silent), which(Class::Good));
    let f = if !recv_only.is_empty() {
        Finding::fail(c, "The MSEE received matches but sent none: traffic reaches Azure but does not return — a return-path routing problem.")
            .maybe_path(one(&recv_only))
            .points(&[2, 6, 7])
            .fix("Check return-path routing: are the on-premises prefixes (including the test's source) advertised to Azure on this path? Does a UDR in the VNet override them?")
    } else if !sent_only.is_empty() {
        Finding::fail(c, "The MSEE sent matches but received none: traffic reaches on-premises but does not come back to Azure.")
            .maybe_path(one(&sent_only))
            .owner(Owner::Provider)
            .points(&[2, 3, 4])
            .fix("Work with the provider to find out why traffic from on-premises is not routed to Azure over the circuit on this path.")
    } else if silent.len() == 1 && !good.is_empty() {
        let d = silent[0];
        Finding::fail(c, format!("The {d} MSEE shows no matches while the {} shows good matches: it is not receiving or passing traffic.", d.other()))
            .path(d)
            .points(&[2, 5])
            .fix(format!("Check this path's ARP and BGP findings above. To confirm the path, advertise a unique /32 from on-premises over the {d} BGP session only and run the test again with that /32 as the on-premises address."))
    } else if !silent.is_empty() && good.is_empty() {
        Finding::fail(c, "No MSEE shows any match: the test traffic never reached the circuit.")
            .points(&[1, 2])
            .fix("Keep the TCP ping running during the test, with the same addresses as in the form; check that on-premises routes the Azure address towards the CE.")
    } else {
        Finding::pass(c, "Matches sent and received on the MSEEs: traffic flows both ways; any loss is downstream of the MSEEs.")
    };
    out.push(f.peering(peering).evidence_all(evidence));
}
