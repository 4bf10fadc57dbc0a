//! Flaps: dips of `BgpAvailability` or `ArpAvailability` under the
//! threshold, per peering and path, each corroborated before it can fail.
//!
//! A dip is a run of minutes whose average is under the threshold; minutes
//! without data are a gap in the metric, never a dip. Each dip is:
//!
//! - `maintenance` when the Resource Health history of the circuit (or a
//!   gateway) has a Planned status overlapping it: Microsoft documents that
//!   availability reads down during its own maintenance, and takes the
//!   session down itself;
//! - `confirmed` when one of erdiag's own polls (`inputs.observed`) inside
//!   the dip, give or take the metric's interval, saw the session down (the
//!   ARP table empty); for BGP, when the snapshot's route-table summary
//!   shows the session Established with an uptime (`upDown`) that puts its
//!   last establishment inside the dip, give or take the interval (the MSEE
//!   itself says it was reset then); or when the dip lasts to the
//!   snapshot's own time and the snapshot shows the session down (the
//!   on-premises ARP entry missing);
//! - `unconfirmed` otherwise: a metric alone is not a diagnosis.
//!
//! Only a confirmed dip fails; the others warn, each saying what it rests on.

use crate::check::Check;
use crate::facts;
use crate::finding::Finding;
use crate::monitor::{self, Run};
use crate::owner::Owner;
use crate::Context;
use erdiag_model::health::maintenance_during;
use erdiag_model::metrics::Metrics;
use erdiag_model::time::{parse_rfc3339, unix_rfc3339, Unix};
use erdiag_model::{ArpObserved, BgpObserved, CircuitState, Collected, DevicePath, MacAddress, PeeringState, TimeSeries};

/// Which availability a flap check reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Session {
    Bgp,
    Arp,
}

impl Session {
    fn metric(self) -> &'static str {
        match self {
            Session::Bgp => "BgpAvailability",
            Session::Arp => "ArpAvailability",
        }
    }
    fn down(self) -> &'static str {
        match self {
            Session::Bgp => "the BGP session down",
            Session::Arp => "no on-premises ARP entry",
        }
    }
}

/// How a dip is explained.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Class {
    Maintenance(String),
    Confirmed(String),
    /// Confirmed by the snapshot itself: the dip lasts to its time.
    Current(String),
    Unconfirmed(String),
}

const CONFIRM_HINT: &str = "run erdiag with --store so its own polls can confirm dips";

/// The flap check of `session`: one finding per configured peering and
/// path. `now` is the check of the present state of the same session
/// (`bgp-session-down`, `arp-on-prem-entry-missing`): a dip confirmed only
/// because it lasts to the snapshot's time is that check's failure seen by
/// the metric, and is marked as its consequence.
pub(crate) fn run(c: &Check, cx: &Context, session: Session, now: &Check, out: &mut Vec<Finding>) {
    let metrics = match monitor::read(c, &cx.state.metrics, "the circuit") {
        Ok(m) => m,
        Err(f) => return out.push(*f),
    };
    let metric = match monitor::metric(c, metrics, session.metric(), "the circuit") {
        Ok(m) => m,
        Err(f) => return out.push(*f),
    };
    let peerings = cx.state.peerings.len();
    cx.per_path(out, |p, d| {
        if p.peering.properties.state.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("Disabled")) {
            return None;
        }
        let series: Vec<&TimeSeries> = metric.timeseries.iter().filter(|s| monitor::path_of(s) == Some(d) && monitor::is_peering(s, p, peerings)).collect();
        Some(Judge { c, cx, session, now, m: metrics }.path(p, d, &series))
    });
}

/// What a flap check judges each path with.
#[derive(Clone, Copy)]
struct Judge<'a> {
    c: &'a Check,
    cx: &'a Context<'a>,
    session: Session,
    /// The check of the session's present state.
    now: &'a Check,
    m: &'a Metrics,
}

impl Judge<'_> {
    /// The finding of one peering and path, from its series of the metric.
    fn path(&self, p: &PeeringState, d: DevicePath, series: &[&TimeSeries]) -> Finding {
        let Judge { c, cx, session, now, m } = *self;
        let name = session.metric();
        if series.is_empty() {
            return Finding::unknown(c, format!("{name} has no series for {} {d} (dimensions PeeringType and Peer).", p.name()));
        }
        let t = monitor::threshold(name);
        let interval = monitor::interval(m);
        let points = monitor::points(series, t.aggregation);
        let gaps = monitor::gaps(&points, interval);
        let window = monitor::describe_window(m);
        let valued = points.iter().filter(|(_, v)| v.is_some()).count();
        if valued == 0 {
            return Finding::unknown(c, format!("{name} has no data point on {d} in {window}: the whole window is a gap in the metric."))
                .evidence_all(monitor::describe_gaps(&gaps));
        }
        let dips = monitor::runs(&points, interval, t.operator, t.value);
        let end = monitor::window_end(m, cx.state.collected_unix()).unwrap_or(Unix::MAX);
        let mut ev = vec![format!("{name} ({}): {valued} point(s) with data in {window}, threshold {} {}%", series.iter().map(|s| s.label()).collect::<Vec<_>>().join("; "), t.operator.as_str(), t.value)];
        let classes: Vec<Class> = dips.iter().map(|dip| classify(cx, session, p, d, dip, interval, end)).collect();
        for (dip, class) in dips.iter().zip(&classes) {
            let (word, why) = match class {
                Class::Maintenance(w) => ("maintenance", w),
                Class::Confirmed(w) | Class::Current(w) => ("confirmed", w),
                Class::Unconfirmed(w) => ("unconfirmed", w),
            };
            ev.push(format!("dip {}, lowest {}: {word}: {why}", dip.describe(), monitor::percent(dip.worst)));
        }
        ev.extend(monitor::describe_gaps(&gaps));
        let count = |f: fn(&Class) -> bool| classes.iter().filter(|c| f(c)).count();
        let current = count(|c| matches!(c, Class::Current(_)));
        let confirmed = current + count(|c| matches!(c, Class::Confirmed(_)));
        let maintenance = count(|c| matches!(c, Class::Maintenance(_)));
        let unconfirmed = count(|c| matches!(c, Class::Unconfirmed(_)));
        let what = match session {
            Session::Bgp => "BGP availability",
            Session::Arp => "ARP availability",
        };
        if dips.is_empty() {
            return Finding::pass(c, format!("{what} on {d} stayed at or over {}% in {window}.", t.value)).evidence_all(ev);
        }
        let tally = [(confirmed, "confirmed"), (maintenance, "during Microsoft's planned maintenance"), (unconfirmed, "unconfirmed")]
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, w)| format!("{n} {w}"))
            .collect::<Vec<_>>()
            .join(", ");
        let msg = format!("{what} on {d} dipped under {}% {} time(s) in {window}: {tally}.", t.value, dips.len());
        if confirmed > 0 {
            let owner = if p.peering.managed_by_provider() { Owner::Provider } else { Owner::Customer };
            let points = match session {
                Session::Bgp => facts::bgp_points(&p.peering),
                Session::Arp => facts::l2_points(cx.state),
            };
            let fix = match session {
                Session::Bgp => "The session went down at the times above: read the CE's log for the neighbor's resets then (hold timer expired, BFD down, interface down), check the link and the provider's path, and enable BFD so a failure moves traffic to the other path at once.",
                Session::Arp => "Layer 2 was lost at the times above: read the CE's interface log for those times, and ask the provider about their side of the link (the PE facing the CE and the PE-MSEE).",
            };
            let f = Finding::fail(c, msg).owner(owner).points(points).evidence_all(ev).fix(fix);
            return if current == confirmed { f.consequence_of(now) } else { f };
        }
        let fix = if unconfirmed > 0 {
            format!("A metric alone is not a diagnosis: {CONFIRM_HINT}, and compare with the CE's log for the times above.")
        } else {
            String::from("No action: Microsoft's planned maintenance takes one path down at a time; make sure the other path carried the traffic.")
        };
        Finding::warn(c, msg).evidence_all(ev).fix(fix)
    }
}

fn classify(cx: &Context, session: Session, p: &PeeringState, d: DevicePath, dip: &Run, interval: Unix, end: Unix) -> Class {
    let state = cx.state;
    // Microsoft's maintenance first: it takes the session down itself.
    let (during, unread) = maintenance(state, dip.from, dip.to, end, true);
    if let Some(why) = during {
        return Class::Maintenance(why);
    }
    if let Some(seen) = observed_down(cx, session, p, d, dip, interval) {
        return Class::Confirmed(seen);
    }
    if let Some(seen) = reset_inside(cx, session, p, d, dip, interval, end) {
        return Class::Confirmed(seen);
    }
    if let Some(seen) = observed_reset(cx, session, p, d, dip, interval) {
        return Class::Confirmed(seen);
    }
    if dip.to + interval >= end && down_now(cx, session, p, d) {
        return Class::Current(format!("it lasts to the snapshot's own time, which shows {}", session.down()));
    }
    let mut why = match &state.observed {
        None => format!("erdiag has no observation of its own for this time ({CONFIRM_HINT})"),
        Some(o) => {
            let near: Vec<String> = o
                .polls
                .iter()
                .filter(|(at, _)| *at >= dip.from - interval && *at <= dip.to + interval)
                .map(|(at, _)| unix_rfc3339(*at))
                .collect();
            if near.is_empty() {
                format!("no poll of erdiag's store {} fell inside the dip", o.store)
            } else {
                format!("erdiag's polls at {} ({}) did not see {}", near.join(", "), o.store, session.down())
            }
        }
    };
    if let Some(u) = unread.first() {
        why.push_str(&format!("; maintenance cannot be ruled out: {u}"));
    }
    Class::Unconfirmed(why)
}

/// Microsoft's planned maintenance overlapping `[from, to]` in the Resource
/// Health history of the circuit (and, with `gateways`, of its gateways):
/// the first found, described for evidence, and the reasons of the
/// histories that could not be read (which cannot rule it out).
pub(crate) fn maintenance(state: &CircuitState, from: Unix, to: Unix, end: Unix, gateways: bool) -> (Option<String>, Vec<String>) {
    let gws = state.gateways.iter().filter(|_| gateways).map(|g| ("gateway", &g.health_history));
    let mut unread = Vec::new();
    for (whose, history) in std::iter::once(("circuit", &state.health_history)).chain(gws) {
        match history {
            Collected::Ok(h) => {
                if let Some(span) = maintenance_during(h, from, to, end) {
                    return (Some(format!("{whose} Resource Health: {}", span.status.describe())), unread);
                }
            }
            other => unread.push(other.missing_reason(&format!("the {whose}'s Resource Health history")).unwrap_or_default()),
        }
    }
    (None, unread)
}

/// Microsoft's planned maintenance of the circuit in progress at the
/// snapshot's time, as its Resource Health history says; `None` when none
/// is, or the history was not read.
pub(crate) fn maintenance_now(state: &CircuitState) -> Option<String> {
    let now = state.collected_unix()?;
    maintenance(state, now, now, now, false).0
}

/// Whether the snapshot itself shows the session down on this path: the
/// summary's session not Established, or the ARP table read in full without
/// the CE's entry (or with it `Incomplete`). A table its source carried only
/// in part confirms nothing.
fn down_now(cx: &Context, session: Session, p: &PeeringState, d: DevicePath) -> bool {
    let paths = cx.state.paths();
    match session {
        Session::Bgp => {
            cx.state.source_of(&paths.route_table_summary(p.name(), d)).is_none() && facts::session(p, d).is_some_and(|r| !r.state_pfx_rcd.is_established())
        }
        Session::Arp => {
            let (Some(a), Collected::Ok(rows)) = (facts::addresses(&p.peering, d), p.arp(d)) else { return false };
            cx.state.source_of(&paths.arp_table(p.name(), d)).is_none()
                && facts::on_prem_entry(rows, a.customer).is_none_or(|e| e.mac_address == MacAddress::Incomplete)
        }
    }
}

/// The MSEE's own word that the BGP session was reset inside the dip: the
/// snapshot's route-table summary (read in full) shows it Established with
/// an `upDown` that puts its last establishment inside the dip, give or take
/// the metric's interval. The summary was read between the metrics
/// window's end and `collectedAt`, so an uptime counted back from
/// `collectedAt` may date the reset up to that span late: the dip's end is
/// widened by it.
fn reset_inside(cx: &Context, session: Session, p: &PeeringState, d: DevicePath, dip: &Run, interval: Unix, end: Unix) -> Option<String> {
    if session != Session::Bgp || cx.state.source_of(&cx.state.paths().route_table_summary(p.name(), d)).is_some() {
        return None;
    }
    let at = cx.state.collected_unix()?;
    let row = facts::session(p, d).filter(|r| r.state_pfx_rcd.is_established())?;
    let text = row.up_down.as_deref()?;
    let up = row.uptime_secs()?;
    let since = at - up;
    let reading = (at - end).clamp(0, 3600);
    (since >= dip.from - interval && since <= dip.to + interval + reading).then(|| {
        format!("the MSEE's summary at {} reads Up {text}: re-established at {} ({}m{:02}s before), inside the dip", unix_rfc3339(at), unix_rfc3339(since), up / 60, up % 60)
    })
}

/// A reset inside the dip that one of erdiag's own earlier polls dated
/// (`upSince`: the MSEE's summary then read the session re-established
/// inside the dip). The snapshot's own summary dates only the latest reset,
/// so a flap's earlier dips are confirmed by the polls that followed them.
fn observed_reset(cx: &Context, session: Session, p: &PeeringState, d: DevicePath, dip: &Run, interval: Unix) -> Option<String> {
    if session != Session::Bgp {
        return None;
    }
    let o = cx.state.observed.as_ref()?;
    let here = |peering: &str, path: DevicePath| peering.eq_ignore_ascii_case(p.name()) && path == d;
    o.polls.iter().find_map(|(at, poll)| {
        poll.bgp.iter().filter(|x| here(&x.peering, x.path) && x.state == BgpObserved::Up).find_map(|x| {
            let since = parse_rfc3339(x.up_since.as_deref()?).ok()?;
            (since >= dip.from - interval && since <= dip.to + interval).then(|| {
                format!("erdiag's poll at {} ({}) read the MSEE's summary re-established at {}, inside the dip", unix_rfc3339(*at), o.store, unix_rfc3339(since))
            })
        })
    })
}

/// The first of erdiag's own polls inside the dip (± one interval) that saw
/// the session down on this peering and path.
fn observed_down(cx: &Context, session: Session, p: &PeeringState, d: DevicePath, dip: &Run, interval: Unix) -> Option<String> {
    let o = cx.state.observed.as_ref()?;
    let here = |peering: &str, path: DevicePath| peering.eq_ignore_ascii_case(p.name()) && path == d;
    o.polls.iter().filter(|(at, _)| *at >= dip.from - interval && *at <= dip.to + interval).find_map(|(at, poll)| {
        let down = match session {
            Session::Bgp => poll.bgp.iter().any(|x| here(&x.peering, x.path) && x.state == BgpObserved::Down),
            Session::Arp => poll.arp.iter().any(|x| here(&x.peering, x.path) && x.state == ArpObserved::Empty),
        };
        down.then(|| format!("erdiag's poll at {} ({}) saw {}", unix_rfc3339(*at), o.store, session.down()))
    })
}
