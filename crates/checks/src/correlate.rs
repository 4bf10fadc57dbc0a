//! From findings to a diagnosis: which failures are consequences of others,
//! which one is the root cause, and the verdict.
//!
//! - A failure or warning of an explainable check is a consequence of a
//!   failure in a strictly lower layer whose scope covers it: the same path,
//!   the whole peering, or the whole circuit (BGP Idle on a path whose ARP is
//!   empty). Circuit-wide causes must take paths out of service to explain.
//!   A check may also name the cause itself when it knows it (BGP `Idle
//!   (PfxCt)` is the prefix-limit check's failure, in the same layer), and a
//!   check may declare lower layers it explains (`Check::explains`): the CE
//!   cross-check's VLAN mismatch explains the MSEE's Incomplete ARP entry on
//!   the same path, so the root cause is the exact CE line, not "layer 2".
//! - An IPv6-only failure (`Finding::ipv6`) explains only IPv6 findings: the
//!   IPv4 sessions of a dual-stack peering do not depend on it, while an
//!   IPv4 layer-2 failure (ARP) explains both families.
//! - A failure of the metrics window (a flap an hour ago, `Check::past`)
//!   explains no failure of the present, and is the root cause only when
//!   nothing fails now.
//! - The root cause is the lowest-layer failure that is no consequence; when
//!   the same check fails on both paths of a peering, the root cause is the
//!   peering (path null).
//! - Verdict: `down` when a circuit-wide failure takes it out of service or a
//!   configured or required peering (private peering, when a gateway is
//!   connected) has no working path; `degraded` on any other failure;
//!   `unknown` when nothing fails but some check that applies could not be
//!   evaluated ([`Coverage`]) and was not accepted as unverified; `healthy`
//!   only when every check that applies concluded on evidence read.

use crate::owner::Owner;
use crate::coverage::Coverage;
use crate::finding::{Finding, RootCause, Status};
use crate::report::{CircuitSummary, Report, Verdict, REPORT_FORMAT};
use crate::topology::Topology;
use erdiag_model::{CircuitState, DevicePath};

fn covers(cause: &Finding, f: &Finding) -> bool {
    // An IPv6-only fault (its /126, its state, its session) leaves IPv4 working.
    if cause.ipv6_only && !f.ipv6_only {
        return false;
    }
    match &cause.peering {
        None => cause.breaks_path,
        Some(p) => {
            f.peering.as_deref().is_some_and(|fp| fp.eq_ignore_ascii_case(p)) && (cause.path.is_none() || cause.path == f.path)
        }
    }
}

/// Marks consequences in place.
pub fn mark_consequences(findings: &mut [Finding]) {
    for i in 0..findings.len() {
        let f = &findings[i];
        if !matches!(f.status, Status::Fail | Status::Warn) || !f.explainable || f.consequence_of.is_some() {
            continue;
        }
        let lower = |pred: &dyn Fn(&Finding) -> bool| {
            findings
                .iter()
                .enumerate()
                .filter(|(j, c)| *j != i && c.status == Status::Fail && (c.layer < f.layer || c.explains.contains(&f.layer)) && (!c.past || f.past) && pred(c))
                .min_by_key(|(j, c)| (c.layer, *j))
                .map(|(_, c)| c.check.to_string())
        };
        let mut cause = lower(&|c| covers(c, f));
        // A peering-wide finding is also explained when each of its paths is.
        if cause.is_none() && f.peering.is_some() && f.path.is_none() {
            let per_path: Vec<Option<String>> = DevicePath::BOTH
                .iter()
                .map(|&d| {
                    let probe = Finding { path: Some(d), ..f.clone() };
                    lower(&|c| covers(c, &probe))
                })
                .collect();
            if per_path.iter().all(Option::is_some) {
                cause = per_path.into_iter().flatten().next();
            }
        }
        if let Some(c) = cause {
            findings[i].consequence_of = Some(c);
        }
    }
}

fn is_independent_failure(f: &Finding) -> bool {
    f.status == Status::Fail && f.consequence_of.is_none()
}

/// Picks the root cause among independent failures.
pub fn root_cause(findings: &[Finding]) -> Option<RootCause> {
    let (idx, f) = findings.iter().enumerate().filter(|(_, f)| is_independent_failure(f)).min_by_key(|(i, f)| (f.past, f.layer, *i))?;
    let mut path = f.path;
    if path.is_some() {
        let twin = findings.iter().enumerate().any(|(j, g)| {
            j != idx && is_independent_failure(g) && g.check == f.check && g.peering == f.peering && g.path.is_some() && g.path != f.path
        });
        if twin {
            path = None;
        }
    }
    let summary = if path.is_none() && f.path.is_some() {
        format!("{} (both paths)", f.message)
    } else {
        f.message.clone()
    };
    Some(RootCause {
        check: f.check.to_string(),
        layer: f.layer,
        owner: f.owner,
        network_points: f.network_points.clone(),
        peering: f.peering.clone(),
        path,
        summary,
    })
}

fn path_broken(findings: &[Finding], peering: &str, path: DevicePath) -> bool {
    findings.iter().any(|f| {
        f.status == Status::Fail
            && f.breaks_path
            && f.peering.as_deref().is_some_and(|p| p.eq_ignore_ascii_case(peering))
            && (f.path.is_none() || f.path == Some(path))
    })
}

/// The verdict, by the rules in this module's documentation. The peerings
/// looked at are the configured ones and any a failure names: a connected
/// gateway requires private peering, so its absence is a failure on it.
pub fn verdict(state: &CircuitState, findings: &[Finding], coverage: &Coverage) -> Verdict {
    let circuit_down = findings.iter().any(|f| f.status == Status::Fail && f.breaks_path && f.peering.is_none());
    let named = findings.iter().filter(|f| f.status == Status::Fail).filter_map(|f| f.peering.as_deref());
    let mut peerings = state.peerings.iter().map(|p| p.name()).chain(named);
    let peering_down = peerings.any(|p| DevicePath::BOTH.iter().all(|&d| path_broken(findings, p, d)));
    if circuit_down || peering_down {
        return Verdict::Down;
    }
    if findings.iter().any(|f| f.status == Status::Fail) {
        return Verdict::Degraded;
    }
    if !coverage.is_complete() {
        return Verdict::Unknown;
    }
    Verdict::Healthy
}

fn next_steps(state: &CircuitState, verdict: Verdict, root: &Option<RootCause>, findings: &[Finding], coverage: &Coverage) -> Vec<String> {
    let mut steps = Vec::new();
    let key = state.circuit.properties.service_key.as_deref().unwrap_or("(service key unknown)");
    if let Some(rc) = root {
        if let Some(f) = findings.iter().find(|f| f.check == rc.check && is_independent_failure(f)) {
            if let Some(r) = &f.remediation {
                steps.push(r.clone());
            }
        }
        steps.push(match rc.owner {
            Owner::Customer => String::from("The fix is on the customer side (your CE routers or your Azure configuration)."),
            Owner::Provider => format!(
                "Open a ticket with your connectivity provider{}, quoting the service key {key} and the evidence above (`-o markdown` prints a ticket).",
                state
                    .circuit
                    .properties
                    .service_provider_properties
                    .as_ref()
                    .and_then(|p| p.service_provider_name.as_deref())
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default()
            ),
            Owner::Microsoft => format!(
                "Open a Microsoft support request for ExpressRoute, quoting the service key {key} and the evidence above (`-o markdown` prints a ticket)."
            ),
        });
        for f in findings.iter().filter(|f| is_independent_failure(f) && f.check != rc.check) {
            steps.push(format!("Also {} {} ({}): {}", f.check, f.name, f.scope(), f.remediation.as_deref().unwrap_or(&f.message)));
        }
    }
    if verdict == Verdict::Unknown {
        for g in &coverage.not_verified {
            steps.push(format!("To verify {} {}: {}.", g.id, g.title, g.fix));
        }
    }
    if verdict == Verdict::Healthy {
        steps.push(if coverage.accepted.is_empty() {
            String::from("No action needed: every check that applies passed on the evidence read.")
        } else {
            let ids: Vec<&str> = coverage.accepted.iter().map(|g| g.id).collect();
            format!("No action needed: every other check that applies passed on the evidence read; {} accepted unverified.", ids.join(", "))
        });
    }
    let warns = findings.iter().filter(|f| f.status == Status::Warn && f.consequence_of.is_none()).count();
    if warns > 0 {
        steps.push(format!("Review the {warns} warning(s) above; they do not change the verdict."));
    }
    steps
}

/// Correlates findings into the report. `accepted` are the IDs of checks
/// the user accepts unverified (`--accept-unverified`).
pub fn conclude(state: &CircuitState, mut findings: Vec<Finding>, accepted: &[String]) -> Report {
    mark_consequences(&mut findings);
    let root = root_cause(&findings);
    let coverage = Coverage::of(state, &findings, accepted);
    let verdict = verdict(state, &findings, &coverage);
    let next = next_steps(state, verdict, &root, &findings, &coverage);
    let topology = Topology::build(state, &findings, root.as_ref());
    Report {
        format: REPORT_FORMAT,
        circuit: CircuitSummary::of(state),
        collected_at: state.collected_at.clone(),
        verdict,
        root_cause: root,
        findings,
        next_steps: next,
        coverage,
        topology,
    }
}
