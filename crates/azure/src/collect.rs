//! Everything the guide reads about one circuit, at once.
//!
//! After the circuit itself, every independent call runs concurrently: each
//! peering's GET and stats, the ARP table, route table and route-table
//! summary of each peering on both device paths, the circuit stats, and the
//! search for connections to the circuit followed by their gateways' status,
//! BGP peers, learned routes and Resource Health. A call that fails lands in
//! the snapshot's `failures`; only a circuit that cannot be read stops the run.
//!
//! Every call of a resource is hinted with its region
//! ([`ReadOnlyCall::in_region`]) so that the client's throttle scheduler
//! paces it in the right bucket: the circuit's calls with the region given to
//! [`collect_in`] or else the circuit's own `location`; a gateway's with its
//! connection's `location` (a gateway lives in its virtual network's region,
//! not always the circuit's). The listings (circuits or connections of a
//! subscription or group) address no one resource: they keep their own key,
//! so that their answers' remaining-reads headers, from whichever region ARM
//! counted them in, never correct a region's estimate they may not belong to.

use crate::client::{ArmClient, Outcome, ReadOnlyCall};
use crate::progress::Progress;
use erdiag_model::time::{now_rfc3339, parse_rfc3339, unix_rfc3339, Unix};
use erdiag_model::{last_segment, normalize_path, ArmPaths, DevicePath, Inputs, ResourceId, Side, SnapshotDoc};
use serde_json::{json, Map, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use futures_util::future::join_all;
use tokio::task::JoinSet;

/// Which circuit to collect.
#[derive(Debug, Clone)]
pub enum Target {
    Circuit { subscription: String, resource_group: String, name: String },
    /// Find the circuit among the subscription's circuits by its service key.
    ServiceKey { subscription: String, service_key: String },
}

#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    #[error("no circuit in subscription {subscription} has the service key {service_key}")]
    ServiceKeyNotFound { subscription: String, service_key: String },
    #[error("cannot list the circuits of subscription {subscription}: {message}")]
    ListCircuits { subscription: String, message: String },
    #[error("cannot read the circuit {id}: {message}")]
    Circuit { id: String, status: Option<u16>, message: String },
    /// The overall deadline ended the run before the circuit was read:
    /// without it nothing else can be collected or diagnosed.
    #[error("the deadline of {secs} s passed before the circuit {id} was read; nothing else was collected, and a circuit that was not read cannot be diagnosed")]
    Deadline { id: String, secs: u64 },
}

/// What collecting produced, and how it went.
pub struct Collected {
    pub snapshot: Value,
    pub calls: usize,
    pub failed: usize,
}

struct Sink {
    resources: Mutex<Map<String, Value>>,
    failures: Mutex<Map<String, Value>>,
    next_id: AtomicUsize,
    failed: AtomicUsize,
}

impl Sink {
    fn record(&self, key: &str, outcome: Outcome) -> Option<Value> {
        match outcome {
            Outcome::Ok(v) => {
                self.resources.lock().unwrap().insert(key.to_string(), v.clone());
                Some(v)
            }
            Outcome::Failed { status, error } => {
                self.failed.fetch_add(1, Ordering::Relaxed);
                let mut f = Map::new();
                if let Some(s) = status {
                    f.insert("status".into(), json!(s));
                }
                f.insert("error".into(), error);
                self.failures.lock().unwrap().insert(key.to_string(), Value::Object(f));
                None
            }
        }
    }
}

impl Sink {
    /// Records a listing as the ids it listed (`{"value": [{"id": …}]}`; the
    /// connections to the circuit are stored whole under their own ids), or
    /// its failure. Returns the listed items.
    fn record_listing(&self, key: &str, outcome: Outcome) -> Option<Value> {
        let items = match outcome {
            Outcome::Ok(v) => v.get("value").cloned().unwrap_or_else(|| json!([])),
            failed => return self.record(key, failed),
        };
        let ids: Vec<Value> = items.as_array().into_iter().flatten().filter_map(|c| c.get("id").cloned()).map(|id| json!({ "id": id })).collect();
        self.resources.lock().unwrap().insert(key.to_string(), json!({ "value": ids }));
        Some(items)
    }
}

struct Run {
    client: Arc<ArmClient>,
    progress: Arc<dyn Progress>,
    sink: Sink,
    options: CollectOptions,
    /// The time of collection: the end of the metrics window; ARM's clock
    /// (its `Date` header) once the circuit's answer carried it.
    now: std::sync::atomic::AtomicI64,
}

/// What to collect besides ARM's state, and when "now" is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectOptions {
    /// Azure Monitor's metrics and the Resource Health history of the circuit,
    /// its gateways and its ExpressRoute Direct port (`--no-metrics`: off).
    pub metrics: bool,
    /// How far back the metrics and the health history go, in seconds
    /// (`--metrics-window`, 1 hour by default).
    pub metrics_window: i64,
    /// The time of collection (`collectedAt`, the end of the metrics
    /// window); the machine's time when `None`. Tests and generated
    /// scenarios set it to the emulator's clock.
    pub now: Option<Unix>,
    /// Who changed the circuit, its connections and gateways over the
    /// window (Resource Graph's `resourcechanges`): one circuit's
    /// collection asks, a fleet's does not (Resource Graph's per-user quota
    /// would pace a thousand queries).
    pub resource_changes: bool,
    /// Circuit metrics a fleet reads through `metrics:getBatch`
    /// ([`metrics_batches`]) while its circuits are collected: a circuit's
    /// metrics wait for the batch and are not asked again; one the batch did
    /// not answer for is read with the per-resource GETs.
    pub batched: Option<PendingBatch>,
}

impl Default for CollectOptions {
    fn default() -> Self {
        CollectOptions { metrics: true, metrics_window: 3600, now: None, resource_changes: true, batched: None }
    }
}

/// The metrics bodies of circuits read through `metrics:getBatch`, by
/// normalized resource id, each of the same shape as the per-resource
/// GET's (`timespan`, `interval`, `namespace`, `resourceregion`, `value`).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct BatchedMetrics {
    bodies: std::collections::HashMap<String, Value>,
}

impl BatchedMetrics {
    /// The body of this circuit, if every batch call answered for it.
    pub fn get(&self, resource: &str) -> Option<&Value> {
        self.bodies.get(&normalize_path(resource))
    }
    pub fn len(&self) -> usize {
        self.bodies.len()
    }
    pub fn is_empty(&self) -> bool {
        self.bodies.is_empty()
    }
}

/// The answer of a fleet's `metrics:getBatch` calls, awaited by each
/// circuit's collection: the fleet's circuits start while the batches are
/// asked, and a circuit's metrics (one task among its collection's) wait
/// for them. Equal when it is the same batch.
#[derive(Clone)]
pub struct PendingBatch(tokio::sync::watch::Receiver<Option<Arc<BatchedMetrics>>>);

/// Where the batches' answer goes, once: [`PendingBatch::channel`].
pub struct BatchAnswer(tokio::sync::watch::Sender<Option<Arc<BatchedMetrics>>>);

impl PendingBatch {
    /// A batch to be answered later, with the [`BatchAnswer`] that answers
    /// it. Dropped unanswered (a task that failed), its circuits read their
    /// metrics with their own GETs.
    pub fn channel() -> (BatchAnswer, PendingBatch) {
        let (tx, rx) = tokio::sync::watch::channel(None);
        (BatchAnswer(tx), PendingBatch(rx))
    }
    /// A batch already answered.
    pub fn ready(batched: BatchedMetrics) -> PendingBatch {
        PendingBatch(tokio::sync::watch::channel(Some(Arc::new(batched))).1)
    }
    /// The answer, once it is there; `None` if it never will be.
    pub async fn answer(&self) -> Option<Arc<BatchedMetrics>> {
        let mut rx = self.0.clone();
        let answer = rx.wait_for(Option::is_some).await.ok()?.clone();
        answer
    }
}

impl BatchAnswer {
    pub fn send(self, batched: BatchedMetrics) {
        // No receiver left: every circuit has finished; nothing to do.
        let _ = self.0.send(Some(Arc::new(batched)));
    }
}

impl std::fmt::Debug for PendingBatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let answered = self.0.borrow().as_ref().map(|b| b.len());
        f.debug_struct("PendingBatch").field("answered", &answered).finish()
    }
}

impl PartialEq for PendingBatch {
    fn eq(&self, other: &Self) -> bool {
        self.0.same_channel(&other.0)
    }
}

impl Eq for PendingBatch {}

/// The metrics window of a collection at `now`: it ends at the last whole
/// minute (points are a minute each, so two collections in the same minute
/// ask for, and get, the same points); `(start, end)` in RFC 3339.
fn metrics_window(options: &CollectOptions, now: Unix) -> (String, String) {
    let end = now - now.rem_euclid(60);
    (unix_rfc3339(end - options.metrics_window.max(60)), unix_rfc3339(end))
}

/// Reads the metrics of these circuits (of one subscription and region)
/// through Azure Monitor's `metrics:getBatch`; see [`metrics_batches`].
pub async fn metrics_batch(client: &ArmClient, subscription: &str, region: &str, circuits: &[String], options: &CollectOptions, progress: &dyn Progress) -> BatchedMetrics {
    metrics_batches(client, &[(subscription.to_string(), region.to_string(), circuits.to_vec())], options, progress).await
}

/// Reads the metrics of circuits, grouped by subscription and region,
/// through Azure Monitor's `metrics:getBatch`: [`crate::client::METRICS_BATCH_MAX`]
/// circuits at a time, one batch per set of metrics a circuit's collection
/// asks for. Every batch of every group is asked at once: the client's
/// permits and throttle buckets pace them, as they pace a circuit's GETs (one
/// after the other, a fleet of 200 circuits in 8 groups waited for 24 answers
/// in turn before any circuit started; BENCHMARKS.md). A circuit is kept
/// only when every batch answered for it; a failed batch or a circuit
/// missing from an answer leaves it to the per-resource GETs.
///
/// Its window ends at ARM's clock (the `Date` header of the client's last
/// answer, a fleet's discovery) as each circuit's own collection does, so a
/// batched body covers the window the per-resource GETs would have asked for
/// even where the caller's clock and ARM's differ (an accelerated emulator).
pub async fn metrics_batches(client: &ArmClient, groups: &[(String, String, Vec<String>)], options: &CollectOptions, progress: &dyn Progress) -> BatchedMetrics {
    let now = options.now.or_else(|| client.server_now()).unwrap_or_else(|| parse_rfc3339(&now_rfc3339()).unwrap_or_default());
    let (start, end) = metrics_window(options, now);
    let sets = metric_calls(Monitored::Circuit);
    // Every (group, chunk, metric set), in a fixed order: the answers are
    // merged in it, whatever order they arrive in.
    let chunks: Vec<(&str, &str, &[String])> = groups
        .iter()
        .flat_map(|(subscription, region, circuits)| circuits.chunks(crate::client::METRICS_BATCH_MAX).map(move |c| (subscription.as_str(), region.as_str(), c)))
        .collect();
    let asks = chunks.iter().enumerate().flat_map(|(n, &(subscription, region, chunk))| {
        let (start, end) = (&start, &end);
        sets.iter().enumerate().map(move |(k, (names, aggregation, filter))| async move {
            let mut query = vec![
                ("metricnamespace", "Microsoft.Network/expressRouteCircuits"),
                ("metricnames", *names),
                ("starttime", start.as_str()),
                ("endtime", end.as_str()),
                ("interval", "PT1M"),
                ("aggregation", *aggregation),
            ];
            if let Some(f) = filter {
                query.push(("filter", *f));
            }
            let call = ReadOnlyCall::metrics_batch(subscription, region, &query, chunk);
            // Progress ids count down from the top, clear of the circuits'.
            let id = usize::MAX - (n * sets.len() + k);
            progress.start(id, &format!("metrics:getBatch {subscription} {region} ({} circuits): {names}", chunk.len()));
            let outcome = client.call(&call, id, progress).await;
            progress.finish(id, matches!(outcome, Outcome::Ok(_)), &outcome.summary());
            match outcome {
                Outcome::Ok(body) => batch_items(body),
                Outcome::Failed { .. } => None,
            }
        })
    });
    let mut answers = join_all(asks).await;
    let mut out = BatchedMetrics::default();
    for (n, &(_, _, chunk)) in chunks.iter().enumerate() {
        let mut bodies: Vec<Option<Value>> = vec![None; chunk.len()];
        let mut complete = vec![true; chunk.len()];
        for parsed in &mut answers[n * sets.len()..(n + 1) * sets.len()] {
            for (i, circuit) in chunk.iter().enumerate() {
                // Each circuit once per chunk: its item is taken, not copied.
                let raw = parsed.as_mut().and_then(|items| items.remove(&normalize_path(circuit)));
                match (raw, &mut bodies[i]) {
                    (None, _) => complete[i] = false,
                    (Some(item), slot @ None) => {
                        *slot = Some(json!({
                            "timespan": format!("{}/{}", item["starttime"].as_str().unwrap_or(&start), item["endtime"].as_str().unwrap_or(&end)),
                            "interval": item["interval"],
                            "namespace": item["namespace"],
                            "resourceregion": item["resourceregion"],
                            "value": item["value"],
                        }))
                    }
                    (Some(item), Some(body)) => merge_metric_values(body, item),
                }
            }
        }
        for ((circuit, body), complete) in chunk.iter().zip(bodies).zip(complete) {
            if let (Some(body), true) = (body, complete) {
                out.bodies.insert(normalize_path(circuit), body);
            }
        }
    }
    out
}

/// The items of a `metrics:getBatch` answer by normalized resource id, each
/// of the shape a `MetricResultsResponseValuesItem` has (checked without a
/// copy: an item of another shape is left out, and its circuit read with its
/// own GETs); `None` when the answer has no `values` array. The first item
/// of a resource is kept.
fn batch_items(mut body: Value) -> Option<std::collections::HashMap<String, Value>> {
    let Value::Array(values) = body.get_mut("values")?.take() else { return None };
    let mut items = std::collections::HashMap::with_capacity(values.len());
    for item in values {
        let Ok(typed) = <erdiag_model::MetricsBatchItem as serde::Deserialize>::deserialize(&item) else { continue };
        if let Some(id) = typed.resourceid.as_deref() {
            items.entry(normalize_path(id)).or_insert(item);
        }
    }
    Some(items)
}

/// Appends the metrics of `more` (a body with a `value` array) to `body`'s;
/// a metric answered twice is kept once.
fn merge_metric_values(body: &mut Value, more: Value) {
    let more = more.get("value").and_then(Value::as_array).cloned().unwrap_or_default();
    if let Some(values) = body.get_mut("value").and_then(Value::as_array_mut) {
        let name = |v: &Value| v.pointer("/name/value").and_then(Value::as_str).map(str::to_ascii_lowercase);
        for metric in more {
            if !values.iter().any(|v| name(v).is_some() && name(v) == name(&metric)) {
                values.push(metric);
            }
        }
    }
}

/// The call, in that region's bucket when one is known.
fn hinted(call: ReadOnlyCall, region: Option<&str>) -> ReadOnlyCall {
    match region.filter(|r| !r.is_empty()) {
        Some(r) => call.in_region(r),
        None => call,
    }
}

impl Run {
    /// The time of collection (see [`Run::now`]'s field).
    fn now(&self) -> Unix {
        self.now.load(Ordering::Relaxed)
    }

    /// Makes one call, reports it, records it under its path.
    async fn one(&self, label: String, call: ReadOnlyCall) -> Option<Value> {
        let outcome = self.lookup(label, call.clone()).await;
        self.sink.record(call.path(), outcome)
    }

    /// A call whose result is only used to find other resources (not stored).
    async fn lookup(&self, label: String, call: ReadOnlyCall) -> Outcome {
        let id = self.sink.next_id.fetch_add(1, Ordering::Relaxed);
        self.progress.start(id, &label);
        let outcome = self.client.call(&call, id, &*self.progress).await;
        self.progress.finish(id, matches!(outcome, Outcome::Ok(_)), &outcome.summary());
        outcome
    }
}

/// Removes MD5 keys wherever ARM might put one (it should never return a
/// configured key, but a snapshot must not carry one if it did), and the
/// authorization keys of circuit authorizations, Global Reach links and
/// connections (ARM returns those: whoever holds one can connect to the
/// circuit).
fn strip_secrets(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.remove("sharedKey");
            m.remove("authorizationKey");
            m.values_mut().for_each(strip_secrets);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_secrets),
        _ => {}
    }
}

/// Resolves the target to a circuit id.
async fn circuit_id(run: &Run, target: &Target) -> Result<String, CollectError> {
    match target {
        Target::Circuit { subscription, resource_group, name } => {
            Ok(format!("/subscriptions/{subscription}/resourceGroups/{resource_group}/providers/Microsoft.Network/expressRouteCircuits/{name}"))
        }
        Target::ServiceKey { subscription, service_key } => {
            let mut next = Some(ReadOnlyCall::get(format!("/subscriptions/{subscription}/providers/Microsoft.Network/expressRouteCircuits")));
            let mut pages = 0;
            while let Some(call) = next.take() {
                pages += 1;
                match run.lookup(format!("list circuits of subscription {subscription}"), call).await {
                    Outcome::Ok(v) => {
                        for c in v["value"].as_array().into_iter().flatten() {
                            if c.pointer("/properties/serviceKey").and_then(Value::as_str).is_some_and(|k| k.eq_ignore_ascii_case(service_key.trim())) {
                                if let Some(id) = c["id"].as_str() {
                                    return Ok(id.to_string());
                                }
                            }
                        }
                        if let Some(link) = v["nextLink"].as_str().filter(|_| pages < 50) {
                            if let Ok(u) = url::Url::parse(link) {
                                let q: Vec<(String, String)> = u.query_pairs().filter(|(k, _)| k != "api-version").map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
                                let qr: Vec<(&str, &str)> = q.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                                let api = u.query_pairs().find(|(k, _)| k == "api-version").map(|(_, v)| v.into_owned()).unwrap_or_else(|| crate::DEFAULT_API_VERSION.into());
                                next = Some(ReadOnlyCall::get_with(u.path().to_string(), &api, &qr));
                            }
                        }
                    }
                    failed => {
                        return Err(CollectError::ListCircuits { subscription: subscription.clone(), message: failed.summary() });
                    }
                }
            }
            Err(CollectError::ServiceKeyNotFound { subscription: subscription.clone(), service_key: service_key.clone() })
        }
    }
}

/// Collects the circuit into an `erdiag-snapshot/1` document.
pub async fn collect(client: Arc<ArmClient>, target: &Target, progress: Arc<dyn Progress>) -> Result<Collected, CollectError> {
    collect_in(client, target, None, progress).await
}

/// [`collect`], every call of the circuit hinted with `region` (its
/// `location`, as Resource Graph listed it); without one, the calls after
/// the circuit's GET are hinted with the `location` that GET read.
pub async fn collect_in(client: Arc<ArmClient>, target: &Target, region: Option<&str>, progress: Arc<dyn Progress>) -> Result<Collected, CollectError> {
    collect_with(client, target, region, &CollectOptions::default(), progress).await
}

/// [`collect_in`] with these options (metrics, their window, the time of collection).
pub async fn collect_with(
    client: Arc<ArmClient>,
    target: &Target,
    region: Option<&str>,
    options: &CollectOptions,
    progress: Arc<dyn Progress>,
) -> Result<Collected, CollectError> {
    let now = options.now.unwrap_or_else(|| parse_rfc3339(&now_rfc3339()).unwrap_or_default());
    let run = Arc::new(Run {
        client,
        progress,
        sink: Sink { resources: Mutex::new(Map::new()), failures: Mutex::new(Map::new()), next_id: AtomicUsize::new(0), failed: AtomicUsize::new(0) },
        options: options.clone(),
        now: std::sync::atomic::AtomicI64::new(now),
    });
    let requested = circuit_id(&run, target).await?;
    let circuit = match run.lookup(format!("circuit {}", last_segment(&requested)), hinted(ReadOnlyCall::get(&requested), region)).await {
        Outcome::Ok(v) => v,
        failed if failed.is_deadline() => return Err(CollectError::Deadline { id: requested, secs: run.client.deadline().as_secs() }),
        Outcome::Failed { status, error } => {
            let message = Outcome::Failed { status, error }.summary();
            return Err(CollectError::Circuit { id: requested, status, message });
        }
    };
    if options.now.is_none() {
        if let Some(server) = run.client.server_now() {
            run.now.store(server, Ordering::Relaxed);
        }
    }
    // ARM's own spelling of the id is the key of everything else.
    let id = circuit["id"].as_str().filter(|i| normalize_path(i) == normalize_path(&requested)).unwrap_or(&requested).to_string();
    run.sink.resources.lock().unwrap().insert(id.clone(), circuit.clone());
    let region: Option<String> = region.map(str::to_string).or_else(|| circuit["location"].as_str().map(str::to_string));
    let paths = ArmPaths::new(&id);
    let peerings: Vec<String> = circuit
        .pointer("/properties/peerings")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| p["name"].as_str().map(str::to_string))
        .collect();

    let mut tasks = JoinSet::new();
    let spawn = |tasks: &mut JoinSet<()>, label: String, call: ReadOnlyCall| {
        let call = hinted(call, region.as_deref());
        let run = run.clone();
        tasks.spawn(async move {
            run.one(label, call).await;
        });
    };
    for p in &peerings {
        spawn(&mut tasks, format!("peering {p}"), ReadOnlyCall::get(paths.peering(p)));
        spawn(&mut tasks, format!("stats {p}"), ReadOnlyCall::get(paths.peering_stats(p)));
        for d in DevicePath::BOTH {
            spawn(&mut tasks, format!("ARP table {p}/{d}"), ReadOnlyCall::arp_table(&id, p, d));
            spawn(&mut tasks, format!("route table {p}/{d}"), ReadOnlyCall::route_table(&id, p, d));
            spawn(&mut tasks, format!("route summary {p}/{d}"), ReadOnlyCall::route_table_summary(&id, p, d));
        }
    }
    spawn(&mut tasks, "circuit stats".into(), ReadOnlyCall::get(paths.circuit_stats()));
    monitor(&run, &mut tasks, &id, Monitored::Circuit, region.as_deref());
    if let Some(port) = circuit.pointer("/properties/expressRoutePort/id").and_then(Value::as_str).filter(|p| !p.is_empty()) {
        monitor(&run, &mut tasks, port, Monitored::Port, region.as_deref());
        let run = run.clone();
        let (port, region) = (port.to_string(), region.clone());
        tasks.spawn(async move { direct_port(run, port, region).await });
    }
    {
        let run = run.clone();
        let id = id.clone();
        let region = region.clone();
        tasks.spawn(async move { gateways(run, id, region).await });
    }
    {
        let run = run.clone();
        let id = id.clone();
        let region = region.clone();
        tasks.spawn(async move { vwan_gateways(run, id, region).await });
    }
    global_reach(&run, &mut tasks, &id, &circuit, region.as_deref());
    while tasks.join_next().await.is_some() {}

    let run = Arc::try_unwrap(run).ok().expect("every task has finished");
    let calls = run.sink.next_id.load(Ordering::Relaxed);
    let failed = run.sink.failed.load(Ordering::Relaxed);
    let mut resources = run.sink.resources.into_inner().unwrap();
    resources.values_mut().for_each(strip_secrets);
    let collected_at = match (run.options.now, run.client.server_now()) {
        (Some(now), _) => unix_rfc3339(now),
        (None, Some(server)) => unix_rfc3339(server),
        (None, None) => now_rfc3339(),
    };
    let mut snapshot = SnapshotDoc::new(id, Some(collected_at));
    snapshot.resources = resources.into_iter().collect();
    snapshot.failures = run.sink.failures.into_inner().unwrap();
    // Written empty, for the evidence the user adds.
    snapshot.inputs = Some(Inputs::default());
    let mut collected = Collected { snapshot: snapshot.to_value(), calls, failed };
    if run.options.resource_changes {
        resource_changes(&run.client, &mut collected, run.options.metrics_window, run.now.load(Ordering::Relaxed), &*run.progress).await;
    }
    Ok(collected)
}

/// Finds the connections whose peer is the circuit — in its resource group,
/// and across the subscription — then reads their gateways. Both listings are
/// recorded (as the ids they listed, or as failures), and so is a listed
/// connection that cannot be read: an empty search that was read is evidence
/// that no VNet is connected, a failed one is not.
async fn gateways(run: Arc<Run>, circuit_id: String, region: Option<String>) {
    let region = region.as_deref();
    let paths = ArmPaths::new(&circuit_id);
    let rg = ResourceId::parse(&circuit_id).ok().and_then(|r| r.resource_group().map(str::to_string)).unwrap_or_default();
    let key = normalize_path(&circuit_id);
    let mut connection_ids: Vec<String> = Vec::new();
    let mut bodies: Vec<Value> = Vec::new();
    let group_path = paths.connections_in_group();
    let rg_list = run.lookup(format!("connections in {rg}"), ReadOnlyCall::get(&group_path)).await;
    if let Some(v) = run.sink.record_listing(&group_path, rg_list) {
        for c in v.as_array().into_iter().flatten() {
            if let Some(cid) = c["id"].as_str() {
                connection_ids.push(cid.to_string());
                bodies.push(c.clone());
            }
        }
    }
    let filter = "resourceType eq 'Microsoft.Network/connections'";
    let sub_path = paths.connections_in_subscription();
    let all = run.lookup("connections in the subscription".into(), ReadOnlyCall::get_with(&sub_path, crate::RESOURCES_API_VERSION, &[("$filter", filter)])).await;
    let mut extra = Vec::new();
    if let Some(v) = run.sink.record_listing(&sub_path, all) {
        for c in v.as_array().into_iter().flatten() {
            if let Some(cid) = c["id"].as_str() {
                if !connection_ids.iter().any(|k| normalize_path(k) == normalize_path(cid)) {
                    extra.push((cid.to_string(), c["location"].as_str().map(str::to_string)));
                }
            }
        }
    }
    // Connections seen only in the subscription list: read each one. Only
    // those to this circuit are kept; one that cannot be read is a failure.
    let mut tasks = JoinSet::new();
    for (cid, location) in extra {
        let run = run.clone();
        let call = hinted(ReadOnlyCall::get(&cid), location.as_deref().or(region));
        tasks.spawn(async move {
            match run.lookup(format!("connection {}", last_segment(&cid)), call).await {
                Outcome::Ok(v) => Some(v),
                failed => {
                    run.sink.record(&cid, failed);
                    None
                }
            }
        });
    }
    while let Some(r) = tasks.join_next().await {
        if let Ok(Some(v)) = r {
            bodies.push(v);
        }
    }
    // Each gateway with the region of a connection to it (a connection lives
    // in its gateway's region).
    let mut gateway_ids: Vec<(String, Option<String>)> = Vec::new();
    for c in bodies {
        let peer = c.pointer("/properties/peer/id").and_then(Value::as_str).map(normalize_path);
        if peer.as_deref() != Some(key.as_str()) {
            continue;
        }
        if let Some(cid) = c["id"].as_str() {
            run.sink.resources.lock().unwrap().insert(cid.to_string(), c.clone());
        }
        if let Some(gw) = c.pointer("/properties/virtualNetworkGateway1/id").and_then(Value::as_str) {
            if !gateway_ids.iter().any(|(g, _)| normalize_path(g) == normalize_path(gw)) {
                gateway_ids.push((gw.to_string(), c["location"].as_str().map(str::to_string)));
            }
        }
    }
    let mut tasks = JoinSet::new();
    for (gw, location) in gateway_ids {
        let name = last_segment(&gw).to_string();
        let gw_region = location.as_deref().or(region);
        let calls = [
            (format!("gateway {name}"), ReadOnlyCall::get(&gw)),
            (format!("gateway {name} BGP peers"), ReadOnlyCall::bgp_peer_status(&gw)),
            (format!("gateway {name} learned routes"), ReadOnlyCall::learned_routes(&gw)),
            (format!("gateway {name} health"), ReadOnlyCall::get_with(ArmPaths::resource_health(&gw), crate::RESOURCE_HEALTH_API_VERSION, &[])),
        ];
        for (label, call) in calls {
            let call = hinted(call, gw_region);
            let run = run.clone();
            tasks.spawn(async move {
                run.one(label, call).await;
            });
        }
        monitor(&run, &mut tasks, &gw, Monitored::Gateway, gw_region);
    }
    while tasks.join_next().await.is_some() {}
}

/// Finds the Virtual WAN ExpressRoute gateways connected to the circuit:
/// the subscription's listing of `expressRouteGateways` (kept as what finds
/// them: id, location, hub, and the peering each connection connects), then
/// for each gateway with a connection to one of the circuit's peerings, the
/// gateway, its connections, its virtual hub and its Resource Health. A
/// listing read and holding none is evidence that no hub connects the
/// circuit from this subscription; a failed one is not.
async fn vwan_gateways(run: Arc<Run>, circuit_id: String, region: Option<String>) {
    let region = region.as_deref();
    let sub = ResourceId::parse(&circuit_id).map(|r| r.subscription().to_string()).unwrap_or_default();
    let path = erdiag_model::vwan::gateways_in_subscription(&sub);
    let listed = match run.lookup("ExpressRoute gateways in the subscription".into(), ReadOnlyCall::get(&path)).await {
        Outcome::Ok(v) => v.get("value").and_then(Value::as_array).cloned().unwrap_or_default(),
        failed => {
            run.sink.record(&path, failed);
            return;
        }
    };
    let kept: Vec<Value> = listed.iter().map(listed_gateway).collect();
    run.sink.resources.lock().unwrap().insert(path, json!({ "value": kept }));
    let mut tasks = JoinSet::new();
    for g in &listed {
        let gateway: erdiag_model::ExpressRouteGateway = match serde_json::from_value(g.clone()) {
            Ok(x) => x,
            Err(_) => continue,
        };
        let (Some(gw), false) = (gateway.id.clone(), gateway.connections_to(&circuit_id).is_empty()) else { continue };
        let name = last_segment(&gw).to_string();
        let gw_region = gateway.location.as_deref().or(region);
        let mut calls = vec![
            (format!("vWAN gateway {name}"), ReadOnlyCall::get(&gw)),
            (format!("vWAN gateway {name} connections"), ReadOnlyCall::get(erdiag_model::vwan::gateway_connections(&gw))),
            (format!("vWAN gateway {name} health"), ReadOnlyCall::get_with(ArmPaths::resource_health(&gw), crate::RESOURCE_HEALTH_API_VERSION, &[])),
        ];
        if let Some(hub) = gateway.properties.virtual_hub.as_ref().and_then(|h| h.id.clone()) {
            calls.push((format!("virtual hub {}", last_segment(&hub)), ReadOnlyCall::get(hub)));
        }
        for (label, call) in calls {
            let call = hinted(call, gw_region);
            let run = run.clone();
            tasks.spawn(async move {
                run.one(label, call).await;
            });
        }
    }
    while tasks.join_next().await.is_some() {}
}

/// What the snapshot keeps of a listed ExpressRoute gateway: what finds it
/// and names its hub, never a connection's authorization key.
fn listed_gateway(g: &Value) -> Value {
    let connections: Vec<Value> = g
        .pointer("/properties/expressRouteConnections")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|c| {
            json!({
                "id": c.get("id"),
                "name": c.get("name"),
                "properties": {
                    "provisioningState": c.pointer("/properties/provisioningState"),
                    "expressRouteCircuitPeering": c.pointer("/properties/expressRouteCircuitPeering"),
                }
            })
        })
        .collect();
    json!({
        "id": g.get("id"),
        "name": g.get("name"),
        "location": g.get("location"),
        "properties": {
            "provisioningState": g.pointer("/properties/provisioningState"),
            "virtualHub": g.pointer("/properties/virtualHub"),
            "expressRouteConnections": connections,
        }
    })
}

/// Spawns the reads of Global Reach and of the authorizations: each link of
/// the private peering one by one (`…/connections/{name}` for the links this
/// circuit made, `…/peerConnections/{name}` for those made to it, which
/// carry `circuitConnectionStatus`), each other circuit and its private
/// peering (in another subscription they may be forbidden: a failure entry,
/// and the checks that need them say `unknown`), and the circuit's
/// authorizations list (unless its body embeds an empty one). A circuit
/// without links makes no Global Reach call.
fn global_reach(run: &Arc<Run>, tasks: &mut JoinSet<()>, circuit_id: &str, circuit: &Value, region: Option<&str>) {
    let mut calls: Vec<(String, ReadOnlyCall)> = Vec::new();
    // An embedded `authorizations: []` already says there is none.
    if circuit.pointer("/properties/authorizations").and_then(Value::as_array).is_none_or(|a| !a.is_empty()) {
        calls.push(("authorizations".into(), hinted(ReadOnlyCall::get(erdiag_model::globalreach::authorizations_path(circuit_id)), region)));
    }
    let private = circuit
        .pointer("/properties/peerings")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|p| p.pointer("/properties/peeringType").and_then(Value::as_str).is_some_and(|t| t.eq_ignore_ascii_case("AzurePrivatePeering")));
    let mut peers: Vec<String> = Vec::new();
    if let Some(p) = private {
        let peering_id = p["id"].as_str().map(str::to_string).unwrap_or_else(|| erdiag_model::globalreach::private_peering_path(circuit_id));
        for side in [Side::Local, Side::Peer] {
            let field = match side {
                Side::Local => "/properties/connections",
                Side::Peer => "/properties/peeredConnections",
            };
            for c in p.pointer(field).and_then(Value::as_array).into_iter().flatten() {
                let Some(name) = c["name"].as_str() else { continue };
                let path = erdiag_model::globalreach::connection_path(&peering_id, side, name);
                calls.push((format!("Global Reach {} {name}", side.collection()), hinted(ReadOnlyCall::get(path), region)));
                let peer = c.pointer("/properties/peerExpressRouteCircuitPeering/id").and_then(Value::as_str).and_then(erdiag_model::circuit_of_peering);
                if let Some(peer) = peer.filter(|k| !peers.iter().any(|x| normalize_path(x) == normalize_path(k))) {
                    peers.push(peer);
                }
            }
        }
    }
    // The other circuit may live in another region: its calls keep their
    // own bucket rather than correct this circuit's.
    for peer in peers {
        let name = last_segment(&peer).to_string();
        calls.push((format!("Global Reach peer circuit {name}"), ReadOnlyCall::get(&peer)));
        calls.push((format!("Global Reach peer circuit {name} private peering"), ReadOnlyCall::get(erdiag_model::globalreach::private_peering_path(&peer))));
    }
    for (label, call) in calls {
        let run = run.clone();
        tasks.spawn(async move {
            run.one(label, call).await;
        });
    }
}

/// An ExpressRoute Direct port: its GET and, when a link has MACsec, the
/// Key Vaults its secret identifiers name, found in the list of the port's
/// subscription's vaults (recorded as the ids it listed) and read through ARM
/// (firewall, access policies, RBAC mode: never a secret), with the role
/// assignments at a vault that uses RBAC.
async fn direct_port(run: Arc<Run>, port_id: String, region: Option<String>) {
    use erdiag_model::direct::{vault_name, DirectPaths, AUTHORIZATION_API_VERSION, KEYVAULT_API_VERSION};
    let Some(port) = run.one(format!("Direct port {}", last_segment(&port_id)), hinted(ReadOnlyCall::get(&port_id), region.as_deref())).await else { return };
    let mut names: Vec<String> = Vec::new();
    for link in port.pointer("/properties/links").and_then(Value::as_array).into_iter().flatten() {
        for field in ["cakSecretIdentifier", "cknSecretIdentifier"] {
            if let Some(n) = link.pointer(&format!("/properties/macSecConfig/{field}")).and_then(Value::as_str).and_then(vault_name) {
                if !names.contains(&n) {
                    names.push(n);
                }
            }
        }
    }
    if names.is_empty() {
        return;
    }
    let sub = ResourceId::parse(&port_id).map(|r| r.subscription().to_string()).unwrap_or_default();
    let list_path = DirectPaths::vaults_in_subscription(&sub);
    let listed = run.lookup("Key Vaults of the subscription".into(), ReadOnlyCall::get_with(&list_path, KEYVAULT_API_VERSION, &[])).await;
    let Some(items) = run.sink.record_listing(&list_path, listed) else { return };
    let rbac_principals = !port.pointer("/identity").is_none_or(Value::is_null);
    for item in items.as_array().into_iter().flatten() {
        let Some(id) = item["id"].as_str() else { continue };
        let name = item["name"].as_str().unwrap_or_else(|| last_segment(id));
        if !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            continue;
        }
        let vault_region = item["location"].as_str().or(region.as_deref());
        let Some(vault) = run.one(format!("Key Vault {name}"), hinted(ReadOnlyCall::get_with(id, KEYVAULT_API_VERSION, &[]), vault_region)).await else { continue };
        if rbac_principals && vault.pointer("/properties/enableRbacAuthorization") == Some(&Value::Bool(true)) {
            let call = ReadOnlyCall::get_with(DirectPaths::role_assignments(id), AUTHORIZATION_API_VERSION, &[("$filter", "atScope()")]);
            run.one(format!("role assignments of Key Vault {name}"), call).await;
        }
    }
}

/// The resources Azure Monitor is read for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Monitored {
    Circuit,
    Gateway,
    Port,
}

/// The metrics calls of a resource: (metric names, aggregation, `$filter`),
/// one call per set of dimensions (docs/snapshot.md).
fn metric_calls(kind: Monitored) -> &'static [(&'static str, &'static str, Option<&'static str>)] {
    match kind {
        Monitored::Circuit => &[
            ("ArpAvailability,BgpAvailability", "Average", Some("PeeringType eq '*' and Peer eq '*'")),
            ("BitsInPerSecond,BitsOutPerSecond", "Average", Some("PeeringType eq '*' and DeviceRole eq '*'")),
            ("QosDropBitsInPerSecond,QosDropBitsOutPerSecond", "Average", None),
        ],
        Monitored::Gateway => &[
            ("ExpressRouteGatewayCpuUtilization,ExpressRouteGatewayPacketsPerSecond", "Average", Some("roleInstance eq '*'")),
            ("ExpressRouteGatewayCountOfRoutesLearnedFromPeer,ExpressRouteGatewayCountOfRoutesAdvertisedToPeer", "Maximum", Some("BgpPeerAddress eq '*'")),
            ("ExpressRouteGatewayFrequencyOfRoutesChanged", "Total", None),
        ],
        Monitored::Port => &[
            ("AdminState,LineProtocol", "Average", Some("Link eq '*'")),
            ("RxLightLevel,TxLightLevel", "Average", Some("Link eq '*' and Lane eq '*'")),
        ],
    }
}

/// Spawns the Azure Monitor metrics of `resource` over the metrics window
/// (its calls merged under one key) and, for a circuit or a gateway, its
/// Resource Health history. Nothing when metrics are off.
fn monitor(run: &Arc<Run>, tasks: &mut JoinSet<()>, resource: &str, kind: Monitored, region: Option<&str>) {
    if !run.options.metrics {
        return;
    }
    let name = last_segment(resource).to_string();
    // The window ends at the last whole minute: points are a minute each, so
    // two collections in the same minute ask for (and get) the same points.
    let key = format!("{resource}/providers/Microsoft.Insights/metrics");
    let pending = run.options.batched.clone().filter(|_| kind == Monitored::Circuit);
    let id = resource.to_string();
    let (start, end) = metrics_window(&run.options, run.now());
    let timespan = format!("{start}/{end}");
    let calls: Vec<(&str, String, ReadOnlyCall)> = metric_calls(kind)
        .iter()
        .map(|(names, aggregation, filter)| {
            let mut query = vec![("metricnames", *names), ("timespan", timespan.as_str()), ("interval", "PT1M"), ("aggregation", *aggregation)];
            if let Some(f) = filter {
                query.push(("$filter", f));
            }
            let call = hinted(ReadOnlyCall::get_with(format!("{resource}/providers/Microsoft.Insights/metrics"), crate::METRICS_API_VERSION, &query), region);
            (*names, format!("metrics {name}: {names}"), call)
        })
        .collect();
    let r = run.clone();
    tasks.spawn(async move {
        // Read with the fleet's metrics:getBatch: the same body, no call.
        if let Some(pending) = pending {
            if let Some(body) = pending.answer().await.and_then(|b| b.get(&id).cloned()) {
                r.record_metrics(&key, vec![(String::new(), Outcome::Ok(body))]);
                return;
            }
        }
        let mut outcomes = Vec::new();
        for (names, label, call) in calls {
            outcomes.push((names.to_string(), r.lookup(label, call).await));
        }
        r.record_metrics(&key, outcomes);
    });
    if kind != Monitored::Port {
        let call = hinted(ReadOnlyCall::get_with(format!("{resource}/providers/Microsoft.ResourceHealth/availabilityStatuses"), crate::RESOURCE_HEALTH_API_VERSION, &[]), region);
        let r = run.clone();
        tasks.spawn(async move {
            r.one(format!("health history {name}"), call).await;
        });
    }
}

impl Run {
    /// One body of the metrics calls of a resource: their `value`s merged;
    /// a call that failed while others did not leaves its metrics with the
    /// API's per-metric `errorCode`/`errorMessage`; all failed: a failure.
    fn record_metrics(&self, key: &str, outcomes: Vec<(String, Outcome)>) {
        let mut merged: Option<Value> = None;
        let mut errors: Vec<(String, Option<u16>, Value)> = Vec::new();
        for (names, outcome) in outcomes {
            match outcome {
                Outcome::Ok(body) => match merged.as_mut() {
                    None => merged = Some(body),
                    Some(m) => merge_metric_values(m, body),
                },
                Outcome::Failed { status, error } => {
                    self.sink.failed.fetch_add(1, Ordering::Relaxed);
                    errors.push((names, status, error));
                }
            }
        }
        match merged {
            Some(mut body) => {
                if let Some(values) = body.get_mut("value").and_then(Value::as_array_mut) {
                    for (names, status, error) in &errors {
                        let code = error.pointer("/error/code").and_then(Value::as_str).map(str::to_string).unwrap_or_else(|| status.map(|s| s.to_string()).unwrap_or_default());
                        let message = error.pointer("/error/message").and_then(Value::as_str).unwrap_or_default();
                        for n in names.split(',') {
                            values.push(json!({"name": {"value": n}, "timeseries": [], "errorCode": code, "errorMessage": message}));
                        }
                    }
                }
                self.sink.resources.lock().unwrap().insert(key.to_string(), body);
            }
            None => {
                if let Some((_, status, error)) = errors.into_iter().next() {
                    // Counted above; recorded as every other failure is.
                    self.sink.failed.fetch_sub(1, Ordering::Relaxed);
                    self.sink.record(key, Outcome::Failed { status, error });
                }
            }
        }
    }
}

/// Who changed the circuit, its peerings, connections and gateways in the
/// metrics window: Resource Graph's `resourcechanges` rows, added to a collected
/// snapshot as `{"value": [rows]}` under
/// `{circuit}/providers/Microsoft.ResourceGraph/resourceChanges` (`erdiag
/// diff` names who made a change with them), or as a failure there, over
/// the metrics window ending at `to`. Not for a fleet
/// ([`CollectOptions::resource_changes`]).
async fn resource_changes(client: &ArmClient, c: &mut Collected, window_secs: i64, to: Unix, progress: &dyn Progress) {
    let circuit_id = c.snapshot["circuitId"].as_str().unwrap_or_default().to_string();
    let key = format!("{}/providers/Microsoft.ResourceGraph/resourceChanges", circuit_id.trim_end_matches('/'));
    let mut ids = vec![circuit_id.clone()];
    for k in c.snapshot["resources"].as_object().into_iter().flat_map(|m| m.keys()) {
        let n = normalize_path(k);
        let top = |kind: &str| n.find(kind).is_some_and(|i| !n[i + kind.len()..].contains('/'));
        if top("/providers/microsoft.network/connections/") || top("/providers/microsoft.network/virtualnetworkgateways/") {
            ids.push(k.clone());
        }
    }
    match crate::graph::resource_changes(client, &circuit_id, &ids, to - window_secs, to, c.calls, progress).await {
        Ok((rows, pages)) => {
            c.calls += pages;
            c.snapshot["resources"][key] = json!({ "value": rows });
        }
        Err(e) => {
            c.calls += 1;
            c.failed += 1;
            let status = match &e {
                crate::graph::GraphError::Query { status, .. } => *status,
                _ => None,
            };
            let mut f = Map::new();
            if let Some(s) = status {
                f.insert("status".into(), json!(s));
            }
            f.insert("error".into(), Value::String(e.to_string()));
            c.snapshot["failures"][key] = Value::Object(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_stripped_everywhere() {
        let mut v = json!({"properties": {"peerings": [{"properties": {"sharedKey": "x", "vlanId": 1}}], "sharedKey": "y"}});
        strip_secrets(&mut v);
        assert!(!v.to_string().contains("sharedKey"));
        let mut v = json!({"value": [{"properties": {"authorizationKey": "k3y", "expressRouteGatewayBypass": true}}]});
        strip_secrets(&mut v);
        assert!(!v.to_string().contains("k3y"));
        let mut v = json!({"value": [{"properties": {"authorizationKey": "k1", "authorizationUseStatus": "InUse"}}], "properties": {"authorizations": [{"properties": {"authorizationKey": "k2"}}]}});
        strip_secrets(&mut v);
        assert!(!v.to_string().contains("authorizationKey"), "{v}");
    }
}
