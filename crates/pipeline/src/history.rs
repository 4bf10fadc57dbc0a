//! History: erdiag's own observations of circuits over time, kept in a
//! store (`erdiag-store`: SQLite or PostgreSQL), and what is read back from
//! it — the timeline of transitions of one circuit (`erdiag history`), the
//! snapshot at a time (`--at`, `diff @TIME`), and what erdiag saw around a
//! metrics window (`inputs.observed`, which tells a metric dip erdiag saw
//! from a gap in the metric).
//!
//! ```text
//!  Report + snapshot bytes ── Record::of ── record() / Writer (a thread, batches) ──► Store::ingest
//!  Store::polls + Store::states ── erdiag_diff::diff(state i, state i+1) ──► Timeline (erdiag-history/1)
//!  Store::states over the metrics window ──► observed() ──► snapshot.inputs.observed
//! ```
//!
//! A session's transitions are read from the route-table summary rows of
//! every rebuilt state (the same reading `inputs.observed` carries); routes,
//! ARP, learned routes and properties from the diff of successive states;
//! verdicts and missed polls from the polls. Nothing here prints.

use crate::{Error, ErrorKind, Report};
use erdiag_model::time::{parse_rfc3339, unix_rfc3339, Unix};
use erdiag_model::{BgpState, CircuitState, Collected, DevicePath, Snapshot};
use serde::Serialize;
use std::collections::BTreeMap;

/// The `format` of a timeline document.
pub const HISTORY_FORMAT: &str = "erdiag-history/1";

/// How many observations `fleet` hands the store at once.
pub const BATCH: usize = 64;

/// The window `inputs.observed` covers when the snapshot has no metrics.
pub const DEFAULT_WINDOW_SECS: i64 = 3600;

// ---------------------------------------------------------------- reading a state

/// A BGP session or an ARP table as one poll saw it, per peering and path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PathObservation {
    pub peering: String,
    pub path: &'static str,
    /// bgp: `up`, `down`, `unknown`; arp: `resolved`, `empty`, `unknown`.
    pub state: &'static str,
}

/// The BGP session state of each peering and path: `up` when a neighbor
/// row of the MSEE's route-table summary is Established, `down` when the
/// summary was read without one, `unknown` when it was not read.
pub fn bgp_states(s: &CircuitState) -> Vec<PathObservation> {
    per_path(s, |p, d| match p.summary(d) {
        Collected::Ok(rows) if rows.iter().any(|r| matches!(r.state_pfx_rcd, BgpState::Established(_))) => "up",
        Collected::Ok(_) => "down",
        _ => "unknown",
    })
}

/// The ARP table of each peering and path: `resolved` when it holds an
/// on-premises entry with a MAC address, `empty` when read without one.
pub fn arp_states(s: &CircuitState) -> Vec<PathObservation> {
    per_path(s, |p, d| match p.arp(d) {
        Collected::Ok(rows) if rows.iter().any(|r| r.is_on_prem() && r.mac_address.is_resolved()) => "resolved",
        Collected::Ok(_) => "empty",
        _ => "unknown",
    })
}

fn per_path(s: &CircuitState, state: impl Fn(&erdiag_model::PeeringState, DevicePath) -> &'static str) -> Vec<PathObservation> {
    let mut out = Vec::new();
    for p in &s.peerings {
        for d in DevicePath::BOTH {
            out.push(PathObservation { peering: p.name().to_string(), path: d.as_str(), state: state(p, d) });
        }
    }
    out
}

/// A stored snapshot's bytes, decoded. `label` names it in errors.
pub fn decode(label: &str, bytes: &[u8]) -> Result<CircuitState, Error> {
    let snap = Snapshot::from_slice(bytes).map_err(|e| Error::input(format!("{label}: {e}")).caused_by(e))?;
    snap.decode().map_err(|e| Error::input(format!("{label}: {e}")).caused_by(e))
}

// ---------------------------------------------------------------- the timeline

/// What happened to one circuit between two times (`erdiag history`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Timeline {
    pub format: &'static str,
    /// The store's label (no credentials).
    pub store: String,
    pub circuit_id: String,
    pub circuit_name: String,
    pub from: String,
    pub to: String,
    /// Polls stored in the window.
    pub polls: usize,
    /// The usual time between polls (the median), when there are two or more.
    pub interval_secs: Option<i64>,
    /// Oldest first; a session by the time it went down.
    pub events: Vec<Event>,
}

/// One transition. `at` is the poll that first saw it: the change happened
/// between the poll before and that one.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Event {
    /// A BGP session down (and up again, with how long it lasted).
    #[serde(rename_all = "camelCase")]
    Session {
        peering: String,
        path: &'static str,
        /// The first poll that saw it down; `None` when it was down when the window began.
        down_at: Option<String>,
        /// The first poll that saw it up again; `None` when still down at the window's end.
        up_at: Option<String>,
        /// `up_at - down_at`, when both are known.
        lasted_secs: Option<i64>,
    },
    /// Routes withdrawn or advertised in one table between two polls.
    #[serde(rename_all = "camelCase")]
    Routes {
        at: String,
        /// `msee` (the circuit's route table) or `gateway` (the VNet gateway's learned routes).
        table: &'static str,
        peering: Option<String>,
        path: Option<String>,
        withdrawn: Vec<String>,
        advertised: Vec<String>,
        /// Of those advertised, the prefixes withdrawn earlier in the window.
        readvertised: Vec<String>,
        /// Next hop or AS path changed.
        changed: Vec<String>,
    },
    /// ARP entries appearing, disappearing or changing MAC.
    #[serde(rename_all = "camelCase")]
    Arp { at: String, peering: String, path: String, appeared: Vec<String>, disappeared: Vec<String>, mac_changed: Vec<String> },
    /// An ARM property of the circuit, a peering, a connection or the gateway.
    #[serde(rename_all = "camelCase")]
    Property { at: String, resource: String, property: String, before: serde_json::Value, after: serde_json::Value },
    /// The diagnosis changed: its verdict or its root cause.
    #[serde(rename_all = "camelCase")]
    Verdict { at: String, before: String, after: String, root_cause_before: Option<String>, root_cause_after: Option<String> },
    /// No poll for longer than twice the usual interval.
    #[serde(rename_all = "camelCase")]
    Gap { from: String, to: String, secs: i64 },
}

impl Event {
    /// When it happened (a session: when it went down; down from the start sorts first).
    pub fn at(&self) -> &str {
        match self {
            Event::Session { down_at, up_at, .. } => down_at.as_deref().or(up_at.as_deref()).unwrap_or(""),
            Event::Routes { at, .. } | Event::Arp { at, .. } | Event::Property { at, .. } | Event::Verdict { at, .. } => at,
            Event::Gap { from, .. } => from,
        }
    }
}

/// A poll as the store lists it: when, and the diagnosis then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollSummary {
    pub at: Unix,
    pub verdict: String,
    pub root_cause: Option<String>,
}

/// The sessions' down and up transitions over successive states (oldest
/// first), each session with its duration when both ends are in the window.
pub fn sessions(states: &[(Unix, Vec<PathObservation>)]) -> Vec<Event> {
    let mut open: BTreeMap<(String, &'static str), (Option<Unix>, usize)> = BTreeMap::new();
    let mut last: BTreeMap<(String, &'static str), &'static str> = BTreeMap::new();
    let mut out: Vec<Event> = Vec::new();
    for (i, (at, obs)) in states.iter().enumerate() {
        for o in obs {
            let key = (o.peering.clone(), o.path);
            let before = last.insert(key.clone(), o.state);
            match (before, o.state) {
                // Down at the first state: down since before the window.
                (None, "down") if i == 0 => {
                    open.insert(key, (None, out.len()));
                    out.push(session(&o.peering, o.path, None, None));
                }
                (Some(b), "down") if b != "down" && !open.contains_key(&key) => {
                    open.insert(key, (Some(*at), out.len()));
                    out.push(session(&o.peering, o.path, Some(*at), None));
                }
                (_, "up") => {
                    if let Some((down, idx)) = open.remove(&key) {
                        out[idx] = session(&o.peering, o.path, down, Some(*at));
                    }
                }
                _ => {}
            }
        }
    }
    out
}

fn session(peering: &str, path: &'static str, down: Option<Unix>, up: Option<Unix>) -> Event {
    Event::Session {
        peering: peering.to_string(),
        path,
        down_at: down.map(unix_rfc3339),
        up_at: up.map(unix_rfc3339),
        lasted_secs: down.zip(up).map(|(d, u)| u - d),
    }
}

/// Verdict and root-cause changes between successive polls, each once.
pub fn verdicts(polls: &[PollSummary]) -> Vec<Event> {
    polls
        .windows(2)
        .filter(|w| w[0].verdict != w[1].verdict || w[0].root_cause != w[1].root_cause)
        .map(|w| Event::Verdict {
            at: unix_rfc3339(w[1].at),
            before: w[0].verdict.clone(),
            after: w[1].verdict.clone(),
            root_cause_before: w[0].root_cause.clone(),
            root_cause_after: w[1].root_cause.clone(),
        })
        .collect()
}

/// The usual time between polls (the median), and the gaps longer than
/// twice it.
pub fn gaps(times: &[Unix]) -> (Option<i64>, Vec<Event>) {
    let mut steps: Vec<i64> = times.windows(2).map(|w| w[1] - w[0]).filter(|d| *d > 0).collect();
    if steps.is_empty() {
        return (None, Vec::new());
    }
    steps.sort_unstable();
    let usual = steps[steps.len() / 2];
    let gaps = times
        .windows(2)
        .filter(|w| w[1] - w[0] > 2 * usual)
        .map(|w| Event::Gap { from: unix_rfc3339(w[0]), to: unix_rfc3339(w[1]), secs: w[1] - w[0] })
        .collect();
    (Some(usual), gaps)
}

/// Marks, in each routes event, the prefixes advertised again after an
/// earlier withdrawal in the window (same table, peering and path).
fn mark_readvertised(events: &mut [Event]) {
    let mut withdrawn: BTreeMap<(&'static str, Option<String>, Option<String>), Vec<String>> = BTreeMap::new();
    for e in events.iter_mut() {
        if let Event::Routes { table, peering, path, withdrawn: w, advertised, readvertised, .. } = e {
            let seen = withdrawn.entry((*table, peering.clone(), path.clone())).or_default();
            *readvertised = advertised.iter().filter(|p| seen.contains(p)).cloned().collect();
            seen.extend(w.iter().cloned());
        }
    }
}

/// Sorts the events by time (stable: a poll's events keep their order).
fn order(events: &mut [Event]) {
    events.sort_by(|a, b| a.at().cmp(b.at()));
}

// ---------------------------------------------------------------- recording

/// One observation, owned: what the store keeps of a diagnosed circuit.
#[derive(Debug, Clone)]
pub struct Record {
    pub circuit_id: String,
    pub at: Unix,
    pub snapshot: Vec<u8>,
    pub verdict: &'static str,
    pub root_cause: Option<String>,
    pub findings: Vec<(String, String)>,
}

impl Record {
    /// The observation of `report`, made from `snapshot` (the bytes as
    /// written); `at` is the snapshot's `collectedAt`, or `now` when it has
    /// none (a snapshot file of another tool).
    pub fn of(report: &Report, snapshot: Vec<u8>, now: Unix) -> Record {
        let at = report.collected_at.as_deref().and_then(|t| parse_rfc3339(t).ok()).unwrap_or(now);
        Record {
            circuit_id: report.circuit.id.clone(),
            at,
            snapshot,
            verdict: report.verdict.as_str(),
            root_cause: report.root_cause.as_ref().map(|r| r.check.clone()),
            findings: report.findings.iter().map(|f| (f.check.to_string(), f.status.as_str().to_string())).collect(),
        }
    }
}

/// The current time, as [`Unix`].
pub fn now() -> Unix {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// A store error as the pipeline's, naming the store.
pub fn store_error(label: &str, e: impl std::error::Error + Send + Sync + 'static) -> Error {
    let message = e.to_string();
    let message = if message.contains(label) { message } else { format!("history store {label}: {message}") };
    Error::new(ErrorKind::Store, message).caused_by(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bgp(state: &'static str) -> Vec<PathObservation> {
        vec![PathObservation { peering: "AzurePrivatePeering".into(), path: "primary", state }]
    }

    #[test]
    fn a_session_down_then_up_lasts_from_the_first_poll_down_to_the_first_up() {
        let states = [(1000, bgp("up")), (1300, bgp("down")), (1600, bgp("down")), (1900, bgp("up")), (2200, bgp("down"))];
        let s = sessions(&states);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0], session("AzurePrivatePeering", "primary", Some(1300), Some(1900)));
        assert!(matches!(&s[0], Event::Session { lasted_secs: Some(600), .. }));
        assert!(matches!(&s[1], Event::Session { up_at: None, lasted_secs: None, .. }), "still down: {:?}", s[1]);
        // Unknown (a table not read) neither ends nor starts a session.
        let s = sessions(&[(0, bgp("down")), (300, bgp("unknown")), (600, bgp("up"))]);
        assert_eq!(s, vec![session("AzurePrivatePeering", "primary", None, Some(600))]);
    }

    #[test]
    fn a_verdict_change_is_listed_once_and_long_silences_are_gaps() {
        let p = |at, v: &str, rc: Option<&str>| PollSummary { at, verdict: v.into(), root_cause: rc.map(str::to_string) };
        let polls = [p(0, "healthy", None), p(300, "down", Some("ER401")), p(600, "down", Some("ER401")), p(900, "healthy", None)];
        let v = verdicts(&polls);
        assert_eq!(v.len(), 2);
        assert!(matches!(&v[0], Event::Verdict { after, root_cause_after: Some(rc), .. } if after == "down" && rc == "ER401"));
        let (usual, g) = gaps(&[0, 300, 600, 2400, 2700]);
        assert_eq!(usual, Some(300));
        assert_eq!(g, vec![Event::Gap { from: unix_rfc3339(600), to: unix_rfc3339(2400), secs: 1800 }]);
    }
}
