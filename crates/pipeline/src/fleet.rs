//! Many circuits at once: every ExpressRoute circuit a credential can read,
//! or a set of snapshot documents, each diagnosed as its evidence arrives.
//!
//! ```text
//!  FleetSource::Azure ── graph::discover ── Filter ──┐
//!                                                    ├─ at most `concurrency` circuits in flight
//!  FleetSource::Snapshots (label, bytes) ────────────┘   (one shared ArmClient: its throttle
//!                                                         scheduler paces every call)
//!        │ per circuit: collect_with(region) → diagnose → Report + CircuitFacts
//!        ▼
//!  sink(CircuitResult)   ← streamed as each circuit finishes; then dropped
//!        │ kept: a compact FleetRow and the CircuitFacts
//!        ▼
//!  FleetSummary { rows worst first, findings of the checks across circuits, counts, client stats }
//! ```
//!
//! A circuit that cannot be collected (403, 404, the deadline) is a result
//! like any other, with verdict `unknown` and the reason: never dropped,
//! never healthy. Only the discovery itself failing is an error. Nothing is
//! printed; reading snapshot files and writing outputs are the caller's.

use crate::{Error, ErrorKind, Options, Report, Verdict};
use erdiag_azure::graph::{self, CircuitRecord, Filter, Inventory, Scope};
pub use erdiag_azure::ClientStats;
use erdiag_azure::{collect_with, ArmClient, Progress, Target};
use erdiag_checks::fleet::{self as fleet_checks, CircuitFacts, PortFacts};
use erdiag_checks::{Finding, Owner};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::task::JoinSet;

/// The `format` of the fleet document and of the lines of `-o jsonl` that
/// are not a circuit's `erdiag-report/1`.
pub const FLEET_FORMAT: &str = "erdiag-fleet/1";

/// Where the fleet's circuits come from.
pub enum FleetSource {
    /// Every circuit the client's credential can read in `scope` (Azure
    /// Resource Graph), that `filter` keeps, collected through `client`.
    Azure { client: Arc<ArmClient>, scope: Scope, filter: Filter },
    /// `erdiag-snapshot/1` documents already read, each with the label its
    /// errors start with (its path).
    Snapshots(Vec<(String, Vec<u8>)>),
}

/// How to run a fleet.
#[derive(Debug, Clone)]
pub struct FleetOptions {
    /// Circuits collected and diagnosed at once.
    pub concurrency: usize,
    /// The options of each circuit's diagnosis.
    pub diagnose: Options,
    /// Hand each circuit's snapshot document to the sink (`--out-dir`).
    pub keep_snapshots: bool,
    /// What each circuit's collection reads besides ARM's state (`--no-metrics`, `--metrics-window`).
    pub collect: erdiag_azure::CollectOptions,
    /// What erdiag's own history saw of each circuit, added to its document
    /// before the diagnosis only (`fleet --store`: `inputs.observed`, which
    /// corroborates a metric dip). The sink's snapshot stays as collected.
    pub observe: Option<Observer>,
    /// Read the circuits' metrics through Azure Monitor's `metrics:getBatch`
    /// (50 circuits of one subscription and region a call) before the
    /// circuits run; `false` (`--no-metrics-batch`): one GET per circuit and
    /// set of metrics, as a single circuit's collection does.
    pub metrics_batch: bool,
}

/// Adds evidence to a circuit's snapshot document before it is diagnosed;
/// an error makes that circuit's row `unknown` with the reason.
#[derive(Clone)]
pub struct Observer(pub Arc<dyn Fn(&mut serde_json::Value) -> Result<(), Error> + Send + Sync>);

impl std::fmt::Debug for Observer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Observer")
    }
}

impl Default for FleetOptions {
    fn default() -> Self {
        FleetOptions { concurrency: DEFAULT_CONCURRENCY, diagnose: Options::default(), keep_snapshots: false, collect: erdiag_azure::CollectOptions::default(), observe: None, metrics_batch: true }
    }
}

/// Circuits in flight by default.
pub const DEFAULT_CONCURRENCY: usize = 64;

/// One circuit as the fleet table shows it: what the sink's report says in
/// a line, or why there is no report.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FleetRow {
    pub id: String,
    pub name: String,
    pub subscription: Option<String>,
    pub resource_group: Option<String>,
    pub location: Option<String>,
    pub provider: Option<String>,
    pub peering_location: Option<String>,
    pub bandwidth_mbps: Option<u64>,
    pub sku: Option<String>,
    pub verdict: Verdict,
    pub root_cause: Option<RowCause>,
    /// Checks verified of those that apply; absent when nothing was diagnosed.
    pub coverage: Option<RowCoverage>,
    /// The checks that apply but were not verified (what keeps an
    /// `unknown` verdict from healthy).
    pub not_verified: Vec<String>,
    /// Why the circuit has no report (it could not be read): its verdict is `unknown`.
    pub reason: Option<String>,
    /// Where it came from: the snapshot file, or `azure`.
    pub source: String,
    /// The order in which it finished, from 1 ([`CircuitResult::done`]):
    /// a key for the circuit within this run (ids may repeat offline).
    #[serde(skip)]
    pub seq: usize,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RowCause {
    pub check: String,
    pub summary: String,
    pub owner: Owner,
    pub network_points: Vec<u8>,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct RowCoverage {
    pub verified: usize,
    pub applicable: usize,
}

/// What the sink receives for each circuit, as soon as it is diagnosed.
pub struct CircuitResult {
    pub row: FleetRow,
    /// The circuit's report; `None` when it could not be read (`row.reason`).
    pub report: Option<Report>,
    /// The snapshot document diagnosed, when [`FleetOptions::keep_snapshots`].
    pub snapshot: Option<serde_json::Value>,
    /// How many circuits have finished, this one included, of how many.
    pub done: usize,
    pub total: usize,
}

/// How many circuits ended with each verdict.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Counts {
    pub circuits: usize,
    pub healthy: usize,
    pub degraded: usize,
    pub down: usize,
    pub unknown: usize,
}

impl Counts {
    fn add(&mut self, v: Verdict) {
        self.circuits += 1;
        match v {
            Verdict::Healthy => self.healthy += 1,
            Verdict::Degraded => self.degraded += 1,
            Verdict::Down => self.down += 1,
            Verdict::Unknown => self.unknown += 1,
        }
    }
}

/// The fleet once every circuit has been through the sink.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FleetSummary {
    /// Every circuit, worst first: down, degraded, unknown, healthy.
    pub rows: Vec<FleetRow>,
    /// The checks across circuits (`registry::FLEET`).
    pub findings: Vec<Finding>,
    pub counts: Counts,
    /// Circuits discovered before the filter (the snapshots given, offline).
    pub discovered: usize,
    /// The shared ARM client's calls, 429s and pacing (Azure only).
    pub client: Option<ClientStats>,
    pub elapsed_ms: u64,
}

impl FleetSummary {
    /// `3 circuits: 1 healthy, 1 degraded, 0 down, 1 unknown; 2 resiliency findings`:
    /// the findings across circuits that fail or warn, then `, N not
    /// verified` for those `unknown`.
    pub fn line(&self) -> String {
        let c = &self.counts;
        let count = |st: &[erdiag_checks::Status]| self.findings.iter().filter(|f| st.contains(&f.status)).count();
        let problems = count(&[erdiag_checks::Status::Fail, erdiag_checks::Status::Warn]);
        let unverified = count(&[erdiag_checks::Status::Unknown]);
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let mut line = format!(
            "{} circuit{}: {} healthy, {} degraded, {} down, {} unknown; {problems} resiliency finding{}",
            c.circuits,
            plural(c.circuits),
            c.healthy,
            c.degraded,
            c.down,
            c.unknown,
            plural(problems)
        );
        if unverified > 0 {
            line.push_str(&format!(", {unverified} not verified"));
        }
        line
    }

    /// How long the fleet took.
    pub fn elapsed(&self) -> Duration {
        Duration::from_millis(self.elapsed_ms)
    }

    /// Every circuit is healthy (none unknown), and no check across
    /// circuits fails or lacks its evidence (`unknown`); warnings do not count.
    pub fn all_healthy(&self) -> bool {
        self.counts.healthy == self.counts.circuits
            && !self.findings.iter().any(|f| matches!(f.status, erdiag_checks::Status::Fail | erdiag_checks::Status::Unknown))
    }
}

/// Worst first: down, degraded, unknown, healthy.
pub fn severity(v: Verdict) -> u8 {
    match v {
        Verdict::Down => 0,
        Verdict::Degraded => 1,
        Verdict::Unknown => 2,
        Verdict::Healthy => 3,
    }
}

/// Sorts rows worst first, then by name, subscription and id.
pub fn sort_rows(rows: &mut [FleetRow]) {
    rows.sort_by_key(|r| (severity(r.verdict), r.name.to_ascii_lowercase(), r.subscription.clone(), r.id.clone()));
}

/// Discovers and filters the circuits (and the ExpressRoute Direct ports)
/// without collecting anything: `erdiag fleet --list`.
pub async fn inventory(client: &ArmClient, scope: &Scope, filter: &Filter, progress: &dyn Progress) -> Result<Inventory, Error> {
    let mut inv = graph::discover(client, scope, progress).await.map_err(discovery_error)?;
    inv.circuits.retain(|c| filter.matches(c));
    inv.circuits.sort_by_key(|c| (c.subscription.to_ascii_lowercase(), c.name.to_ascii_lowercase()));
    Ok(inv)
}

fn discovery_error(e: graph::GraphError) -> Error {
    let hint = match &e {
        graph::GraphError::Query { status: Some(401 | 403), .. } => {
            Some("the credential needs Reader (Microsoft.Network/expressRouteCircuits/read) on the subscriptions or management group; narrow the scope with --subscription")
        }
        _ => None,
    };
    let error = Error::new(ErrorKind::Collection, format!("cannot discover the circuits through Azure Resource Graph: {e}")).caused_by(e);
    match hint {
        Some(h) => error.with_hint(h),
        None => error,
    }
}

/// What one circuit's task hands back.
struct Done {
    row: FleetRow,
    report: Option<Report>,
    snapshot: Option<serde_json::Value>,
    facts: Option<CircuitFacts>,
}

/// Runs the fleet: each circuit's result goes to `sink` as soon as it is
/// diagnosed, then only its row and facts are kept. Returns the summary with
/// the findings of the checks across circuits. Errors: the discovery failed,
/// or a snapshot given is not a snapshot (checked before any circuit runs).
pub async fn run(source: FleetSource, options: &FleetOptions, progress: Arc<dyn Progress>, sink: &mut dyn FnMut(CircuitResult)) -> Result<FleetSummary, Error> {
    let started = Instant::now();
    let concurrency = options.concurrency.max(1);
    let mut tasks: JoinSet<Done> = JoinSet::new();
    let plan = plan(source, &*progress).await?;
    let (total, discovered, ports, client) = (plan.jobs.len(), plan.discovered, plan.ports, plan.client);
    // The metrics:getBatch calls run beside the circuits, which start at
    // once: a circuit's metrics wait for them, its other calls do not.
    let mut _batches = None;
    let collect = match &client {
        Some(c) if options.metrics_batch && options.collect.metrics => {
            let (answer, pending) = erdiag_azure::PendingBatch::channel();
            let (c, groups, collect, progress) = (c.clone(), batch_groups(&plan.jobs), options.collect.clone(), progress.clone());
            _batches = Some(AbortOnDrop(tokio::spawn(async move { answer.send(erdiag_azure::metrics_batches(&c, &groups, &collect, &*progress).await) })));
            erdiag_azure::CollectOptions { batched: Some(pending), ..options.collect.clone() }
        }
        _ => options.collect.clone(),
    };
    let mut queue = plan.jobs.into_iter();
    let mut rows = Vec::with_capacity(total);
    let mut facts = Vec::with_capacity(total);
    let mut counts = Counts::default();
    loop {
        while tasks.len() < concurrency {
            let Some(job) = queue.next() else { break };
            let how = How { options: options.diagnose.clone(), keep: options.keep_snapshots, observe: options.observe.clone() };
            tasks.spawn(job.run(how, collect.clone(), progress.clone()));
        }
        let Some(joined) = tasks.join_next().await else { break };
        let mut done = joined.map_err(|e| Error::system(format!("a circuit's task ended abnormally: {e}")))?;
        done.row.seq = rows.len() + 1;
        counts.add(done.row.verdict);
        rows.push(done.row.clone());
        facts.extend(done.facts);
        sink(CircuitResult { row: done.row, report: done.report, snapshot: done.snapshot, done: rows.len(), total });
    }
    sort_rows(&mut rows);
    let findings = fleet_checks::diagnose(&facts, &ports);
    Ok(FleetSummary {
        rows,
        findings,
        counts,
        discovered,
        client: client.as_deref().map(ArmClient::stats),
        elapsed_ms: started.elapsed().as_millis() as u64,
    })
}

/// The live circuits by subscription and region, for `metrics:getBatch`;
/// a circuit no batch answers for is left to its own collection's GETs.
fn batch_groups(jobs: &[Job]) -> Vec<(String, String, Vec<String>)> {
    let mut groups: std::collections::BTreeMap<(String, String), Vec<String>> = std::collections::BTreeMap::new();
    for job in jobs {
        if let Job::Live(_, r) = job {
            groups.entry((r.subscription.to_ascii_lowercase(), r.location.to_ascii_lowercase())).or_default().push(r.id.clone());
        }
    }
    groups.into_iter().map(|((s, r), ids)| (s, r, ids)).collect()
}

/// A task that ends with the run, should the run end first (an error).
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// What a run will do: its circuits, in the order they start.
struct Plan {
    jobs: Vec<Job>,
    /// Circuits found before the filter.
    discovered: usize,
    ports: Vec<PortFacts>,
    client: Option<Arc<ArmClient>>,
}

/// Discovers and filters (Azure), or checks every document (snapshots).
async fn plan(source: FleetSource, progress: &dyn Progress) -> Result<Plan, Error> {
    match source {
        FleetSource::Azure { client, scope, filter } => {
            let inv = graph::discover(&client, &scope, progress).await.map_err(discovery_error)?;
            let discovered = inv.circuits.len();
            let kept: Vec<CircuitRecord> = inv.circuits.into_iter().filter(|c| filter.matches(c)).collect();
            let ports = inv
                .ports
                .iter()
                .map(|p| PortFacts { id: p.id.clone(), name: Some(p.name.clone()), location: Some(p.location.clone()), peering_location: p.peering_location.clone(), bandwidth_gbps: p.bandwidth_gbps })
                .collect();
            let jobs = interleave(kept).into_iter().map(|r| Job::Live(client.clone(), Box::new(r))).collect();
            Ok(Plan { jobs, discovered, ports, client: Some(client) })
        }
        FleetSource::Snapshots(docs) => {
            // Every file is checked before the first circuit runs: a bad one
            // is an input error naming it, not a row.
            for (label, bytes) in &docs {
                let text = crate::snapshot_text(label, bytes.clone())?;
                crate::read_snapshot(label, &text)?;
            }
            Ok(Plan { discovered: docs.len(), jobs: docs.into_iter().map(|(l, b)| Job::Snapshot(l, b)).collect(), ports: Vec::new(), client: None })
        }
    }
}

/// How each circuit is diagnosed.
struct How {
    options: Options,
    keep: bool,
    observe: Option<Observer>,
}

/// One circuit to collect (or read) and diagnose.
enum Job {
    Live(Arc<ArmClient>, Box<CircuitRecord>),
    Snapshot(String, Vec<u8>),
}

impl Job {
    async fn run(self, how: How, collect: erdiag_azure::CollectOptions, progress: Arc<dyn Progress>) -> Done {
        match self {
            Job::Live(client, record) => {
                let target = Target::Circuit { subscription: record.subscription.clone(), resource_group: record.resource_group.clone(), name: record.name.clone() };
                // Who changed each circuit is one Resource Graph query per circuit: not for a fleet.
                let collect = erdiag_azure::CollectOptions { resource_changes: false, ..collect };
                match collect_with(client, &target, Some(&record.location), &collect, progress).await {
                    Ok(c) => {
                        // The checks are CPU work: off the threads that drive the other circuits' calls.
                        let work = move || {
                            let bytes = serde_json::to_vec(&c.snapshot).expect("a snapshot serializes");
                            diagnosed(&record.id, &bytes, &how, "azure", how.keep.then_some(c.snapshot), Some(&record))
                        };
                        tokio::task::spawn_blocking(work).await.unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
                    }
                    Err(e) => unread(&record, e.to_string()),
                }
            }
            Job::Snapshot(label, bytes) => {
                let work = move || {
                    let snapshot = if how.keep { serde_json::from_slice(&bytes).ok() } else { None };
                    diagnosed(&label, &bytes, &how, &label, snapshot, None)
                };
                tokio::task::spawn_blocking(work).await.unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
            }
        }
    }
}

/// A snapshot document diagnosed into its row, report and facts; one that
/// cannot be diagnosed is a row with the reason.
fn diagnosed(label: &str, bytes: &[u8], how: &How, source: &str, snapshot: Option<serde_json::Value>, record: Option<&CircuitRecord>) -> Done {
    let text = match crate::snapshot_text(label, bytes.to_vec()).and_then(|t| observed(t, how.observe.as_ref())) {
        Ok(t) => t,
        Err(e) => return not_diagnosed(label, record, source, e),
    };
    match crate::diagnose::diagnose_and(label, &text, &how.options, CircuitFacts::from_state) {
        Ok((report, facts)) => Done { row: row_of(&report, source), report: Some(report), snapshot, facts: Some(facts) },
        Err(e) => not_diagnosed(label, record, source, e),
    }
}

/// The document with the observer's evidence added; one that is not a
/// JSON object is left for the diagnosis to say what is wrong with it.
fn observed(text: Vec<u8>, observe: Option<&Observer>) -> Result<Vec<u8>, Error> {
    let Some(observe) = observe else { return Ok(text) };
    match serde_json::from_slice::<serde_json::Value>(&text) {
        Ok(mut doc) if doc.is_object() => {
            (observe.0)(&mut doc)?;
            Ok(serde_json::to_vec(&doc).expect("a snapshot serializes"))
        }
        _ => Ok(text),
    }
}

fn not_diagnosed(label: &str, record: Option<&CircuitRecord>, source: &str, e: Error) -> Done {
    match record {
        Some(r) => unread(r, e.to_string()),
        None => Done { row: FleetRow { reason: Some(e.to_string()), ..empty_row(label, source) }, report: None, snapshot: None, facts: None },
    }
}

fn empty_row(id: &str, source: &str) -> FleetRow {
    FleetRow {
        id: id.to_string(),
        name: erdiag_model::last_segment(id).to_string(),
        subscription: None,
        resource_group: None,
        location: None,
        provider: None,
        peering_location: None,
        bandwidth_mbps: None,
        sku: None,
        verdict: Verdict::Unknown,
        root_cause: None,
        coverage: None,
        not_verified: Vec::new(),
        reason: None,
        source: source.to_string(),
        seq: 0,
    }
}

/// A circuit that could not be read: what the inventory knows of it,
/// `unknown`, and why. Its facts are what discovery knew: a gateway it may
/// serve, or the Direct port it uses, is not judged as if it did not exist.
fn unread(r: &CircuitRecord, reason: String) -> Done {
    let mut facts = CircuitFacts::not_collected(&r.id, &r.name, &reason);
    facts.location = Some(r.location.clone());
    facts.peering_location = r.peering_location.clone();
    facts.provider = r.provider.clone();
    facts.sku_tier = r.sku_tier.clone();
    facts.sku_family = r.sku_family.clone();
    facts.bandwidth_mbps = r.bandwidth_mbps.map(u64::from).or(r.bandwidth_gbps.map(|g| (g * 1000.0) as u64));
    facts.port = r.port_id.clone();
    let row = FleetRow {
        name: r.name.clone(),
        subscription: Some(r.subscription.clone()),
        resource_group: Some(r.resource_group.clone()),
        location: Some(r.location.clone()),
        provider: r.provider.clone(),
        peering_location: r.peering_location.clone(),
        bandwidth_mbps: facts.bandwidth_mbps,
        sku: match (&r.sku_tier, &r.sku_family) {
            (Some(t), Some(f)) => Some(format!("{t}_{f}")),
            _ => None,
        },
        reason: Some(reason),
        ..empty_row(&r.id, "azure")
    };
    Done { row, report: None, snapshot: None, facts: Some(facts) }
}

/// A report's row.
pub fn row_of(r: &Report, source: &str) -> FleetRow {
    let c = &r.circuit;
    FleetRow {
        id: c.id.clone(),
        name: c.name.clone(),
        subscription: c.subscription.clone(),
        resource_group: c.resource_group.clone(),
        location: c.location.clone(),
        provider: if c.express_route_direct { Some("ExpressRoute Direct".into()) } else { c.provider.clone() },
        peering_location: c.peering_location.clone(),
        bandwidth_mbps: c.bandwidth_mbps,
        sku: c.sku.clone(),
        verdict: r.verdict,
        root_cause: r.root_cause.as_ref().map(|rc| RowCause { check: rc.check.clone(), summary: rc.summary.clone(), owner: rc.owner, network_points: rc.network_points.clone() }),
        coverage: Some(RowCoverage { verified: r.coverage.verified, applicable: r.coverage.applicable }),
        not_verified: r.coverage.not_verified.iter().map(|g| g.id.to_string()).collect(),
        reason: None,
        source: source.to_string(),
        seq: 0,
    }
}

/// Circuits ordered round-robin over (subscription, region): the circuits in
/// flight span every bucket of ARM's throttling at once, so one throttled
/// subscription does not hold every place while the others wait.
fn interleave(records: Vec<CircuitRecord>) -> Vec<CircuitRecord> {
    let mut buckets: BTreeMap<(String, String), std::collections::VecDeque<CircuitRecord>> = BTreeMap::new();
    for r in records {
        buckets.entry((r.subscription.to_ascii_lowercase(), r.location.to_ascii_lowercase())).or_default().push_back(r);
    }
    let mut out = Vec::new();
    while !buckets.is_empty() {
        buckets.retain(|_, q| match q.pop_front() {
            Some(r) => {
                out.push(r);
                true
            }
            None => false,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(sub: &str, loc: &str, name: &str) -> CircuitRecord {
        CircuitRecord {
            id: format!("/subscriptions/{sub}/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/{name}"),
            name: name.into(),
            subscription: sub.into(),
            resource_group: "rg".into(),
            location: loc.into(),
            provider: None,
            peering_location: None,
            bandwidth_mbps: None,
            sku_tier: None,
            sku_family: None,
            port_id: None,
            bandwidth_gbps: None,
            tags: Default::default(),
            circuit_state: None,
            provider_state: None,
        }
    }

    #[test]
    fn circuits_in_flight_alternate_between_subscriptions_and_regions() {
        let recs = vec![rec("a", "weu", "a1"), rec("a", "weu", "a2"), rec("a", "weu", "a3"), rec("b", "weu", "b1"), rec("a", "neu", "n1")];
        let names: Vec<String> = interleave(recs).into_iter().map(|r| r.name).collect();
        assert_eq!(names, ["n1", "a1", "b1", "a2", "a3"]);
    }

    #[test]
    fn rows_sort_worst_first() {
        let mut rows: Vec<FleetRow> = [Verdict::Healthy, Verdict::Unknown, Verdict::Down, Verdict::Degraded]
            .into_iter()
            .enumerate()
            .map(|(i, v)| FleetRow { verdict: v, ..empty_row(&format!("/x/c{i}"), "t") })
            .collect();
        sort_rows(&mut rows);
        assert_eq!(rows.iter().map(|r| r.verdict).collect::<Vec<_>>(), [Verdict::Down, Verdict::Degraded, Verdict::Unknown, Verdict::Healthy]);
    }
}
