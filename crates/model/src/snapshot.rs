//! The `erdiag-snapshot/1` file: a circuit's ARM state as collected, the calls
//! that failed, and the evidence only the user can supply.
//!
//! This is the one versioned serialization boundary of erdiag: other tools and
//! tests write it, so its names never change. Reading happens in two steps:
//! [`Snapshot::from_slice`] checks the envelope (JSON syntax with line and
//! column, the `format`), then [`Snapshot::decode`] types every resource the
//! checks use, naming the JSON path of anything of the wrong shape.

use crate::arm::*;
use crate::caseless::Caseless;
use crate::id::{last_segment, ResourceId};
pub use crate::device::{DevicePath, PerPath};
use crate::direct::{DirectPaths, ExpressRoutePort, KeyVault, RoleAssignment};
use crate::health::HealthStatus;
use crate::inputs::{CeInput, Inputs, ObservedPoll, ProbeInput};
use crate::metrics::Metrics;
use self::vwan::{ExpressRouteGateway, GatewayKind, VwanGateway, VwanState};
use crate::time::{parse_rfc3339, Unix};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::collections::HashMap;
use std::fmt;

pub mod globalreach;
pub mod vwan;

/// The value of the `format` field this crate reads and writes.
pub const SNAPSHOT_FORMAT: &str = "erdiag-snapshot/1";

/// The `erdiag-snapshot/1` envelope, generic over how a resource body is
/// held: [`Snapshot`] borrows them from the bytes read, [`SnapshotDoc`] owns
/// them (what collectors, importers and the lab build). Both serialize to the
/// same names; writers that always wrote `failures` still do.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Envelope<B> {
    pub format: String,
    pub circuit_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collected_at: Option<String>,
    #[serde(default = "BTreeMap::new")]
    pub resources: BTreeMap<String, B>,
    #[serde(default)]
    pub failures: Map<String, Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inputs: Option<Inputs>,
    /// Per resource, the fields its source really carried (an importer's
    /// table has only its columns): every other field reads as absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Map<String, Value>>,
}

/// The raw snapshot file, as read. Resource bodies stay unparsed text
/// borrowed from the input until [`Snapshot::decode`] types them, so a large
/// snapshot costs its size once, not a JSON tree on top.
///
/// It serializes back with the resource bodies byte for byte as read, so that
/// evidence can be added to `inputs` without typing what erdiag never reads.
pub type Snapshot<'a> = Envelope<&'a RawValue>;

/// A snapshot being written: resource bodies as JSON values.
pub type SnapshotDoc = Envelope<Value>;

impl<B> Envelope<B> {
    /// An empty snapshot of a circuit: no resources, no failures, no inputs.
    pub fn new(circuit_id: impl Into<String>, collected_at: Option<String>) -> Envelope<B> {
        Envelope {
            format: SNAPSHOT_FORMAT.to_string(),
            circuit_id: circuit_id.into(),
            collected_at,
            resources: BTreeMap::new(),
            failures: Map::new(),
            inputs: None,
            provenance: None,
        }
    }

    /// The inputs, made present when they were not.
    pub fn inputs_mut(&mut self) -> &mut Inputs {
        self.inputs.get_or_insert_with(Inputs::default)
    }
}

impl SnapshotDoc {
    /// As a JSON value, with every object's keys in order: the bytes
    /// `serde_json::to_string_pretty` then writes are those erdiag always wrote.
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).expect("a snapshot is JSON")
    }
}

/// Why a snapshot cannot be used. Every variant names where the problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotError {
    /// Not JSON, or truncated: the position in the file.
    Syntax { line: usize, column: usize, message: String },
    /// JSON of the wrong shape: the JSON path to the offending value.
    Shape { path: String, message: String },
    /// A `format` other than `erdiag-snapshot/1`.
    Format { found: String },
    /// The circuit the snapshot is about is not in `resources`.
    MissingCircuit { id: String, failure: Option<String> },
}

impl fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SnapshotError::Syntax { line, column, message } => {
                write!(f, "line {line}, column {column}: not valid JSON: {message}")
            }
            SnapshotError::Shape { path, message } => write!(f, "at {path}: {message}"),
            SnapshotError::Format { found } => {
                write!(f, "at format: expected \"{SNAPSHOT_FORMAT}\", found \"{found}\"")
            }
            SnapshotError::MissingCircuit { id, failure: None } => {
                write!(f, "at circuitId: the circuit \"{id}\" is not in resources")
            }
            SnapshotError::MissingCircuit { id, failure: Some(why) } => {
                write!(f, "at circuitId: the circuit \"{id}\" could not be read when the snapshot was collected: {why}")
            }
        }
    }
}

impl std::error::Error for SnapshotError {}

/// Normalizes an ARM path for lookup: ARM paths match case-insensitively and
/// carry no query string; a full URL is reduced to its path.
pub fn normalize_path(p: &str) -> String {
    let mut s = p.trim();
    if let Some(rest) = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://")) {
        s = rest.find('/').map(|i| &rest[i..]).unwrap_or("/");
    }
    if let Some(i) = s.find('?') {
        s = &s[..i];
    }
    let s = s.trim_end_matches('/');
    let mut out = String::with_capacity(s.len() + 1);
    if !s.starts_with('/') {
        out.push('/');
    }
    out.push_str(&s.to_ascii_lowercase());
    out
}

/// The ARM paths of everything erdiag reads about a circuit. Used both to
/// look resources up in a snapshot and (live) to name the calls.
#[derive(Debug, Clone)]
pub struct ArmPaths {
    pub circuit: String,
}

impl ArmPaths {
    pub fn new(circuit_id: &str) -> ArmPaths {
        ArmPaths { circuit: circuit_id.trim_end_matches('/').to_string() }
    }
    pub fn peering(&self, peering: &str) -> String {
        format!("{}/peerings/{peering}", self.circuit)
    }
    pub fn arp_table(&self, peering: &str, path: DevicePath) -> String {
        format!("{}/peerings/{peering}/arpTables/{path}", self.circuit)
    }
    pub fn route_table(&self, peering: &str, path: DevicePath) -> String {
        format!("{}/peerings/{peering}/routeTables/{path}", self.circuit)
    }
    pub fn route_table_summary(&self, peering: &str, path: DevicePath) -> String {
        format!("{}/peerings/{peering}/routeTablesSummary/{path}", self.circuit)
    }
    pub fn circuit_stats(&self) -> String {
        format!("{}/stats", self.circuit)
    }
    pub fn peering_stats(&self, peering: &str) -> String {
        format!("{}/peerings/{peering}/stats", self.circuit)
    }
    pub fn bgp_peer_status(gateway_id: &str) -> String {
        format!("{gateway_id}/getBgpPeerStatus")
    }
    pub fn learned_routes(gateway_id: &str) -> String {
        format!("{gateway_id}/getLearnedRoutes")
    }
    pub fn resource_health(resource_id: &str) -> String {
        format!("{resource_id}/providers/Microsoft.ResourceHealth/availabilityStatuses/current")
    }
    /// The Resource Health availability history of a resource over the
    /// metrics window (newest first).
    pub fn availability_history(resource_id: &str) -> String {
        format!("{resource_id}/providers/Microsoft.ResourceHealth/availabilityStatuses")
    }
    /// The Azure Monitor metrics of a resource (circuit, gateway or Direct port).
    pub fn metrics(resource_id: &str) -> String {
        format!("{resource_id}/providers/Microsoft.Insights/metrics")
    }
    /// The connections of the circuit's resource group (ARM's list).
    pub fn connections_in_group(&self) -> String {
        let id = ResourceId::parse(&self.circuit).ok();
        let (sub, rg) = id.as_ref().map(|i| (i.subscription(), i.resource_group().unwrap_or_default())).unwrap_or_default();
        format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/connections")
    }
    /// The subscription's generic resource list, which the collector filters
    /// to `Microsoft.Network/connections`: connections in other groups.
    pub fn connections_in_subscription(&self) -> String {
        let id = ResourceId::parse(&self.circuit).ok();
        format!("/subscriptions/{}/resources", id.as_ref().map(ResourceId::subscription).unwrap_or_default())
    }
}

/// A call that was made and failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    pub status: Option<u16>,
    pub code: Option<String>,
    pub message: String,
}

impl Failure {
    fn from_value(v: &Value) -> Failure {
        let status = v.get("status").and_then(Value::as_u64).map(|s| s as u16);
        let err = v.get("error").unwrap_or(v);
        let (code, message) = match err {
            Value::String(s) => (None, s.clone()),
            Value::Object(o) => {
                let inner = o.get("error").and_then(Value::as_object).unwrap_or(o);
                (
                    inner.get("code").and_then(Value::as_str).map(str::to_string),
                    inner
                        .get("message")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                        .unwrap_or_else(|| Value::Object(inner.clone()).to_string()),
                )
            }
            Value::Null => (None, String::from("no error detail")),
            other => (None, other.to_string()),
        };
        Failure { status, code, message }
    }

    /// The 400 ARM answers for a peering that does not exist ("The BGP Peering
    /// AzurePublicPeering with Service Key … is not found").
    pub fn is_peering_not_found(&self) -> bool {
        let m = self.message.to_ascii_lowercase();
        m.contains("not found") && m.contains("peering")
    }
}

impl fmt::Display for Failure {
    /// Without a final period, so that it can end a sentence of its own.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = self.message.trim_end().trim_end_matches('.');
        match (self.status, &self.code) {
            (Some(s), Some(c)) => write!(f, "HTTP {s} {c}: {m}"),
            (Some(s), None) => write!(f, "HTTP {s}: {m}"),
            (None, Some(c)) => write!(f, "{c}: {m}"),
            (None, None) => f.write_str(m),
        }
    }
}

/// A body the snapshot holds but erdiag cannot read: where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// The JSON path of the offending value (`resources["…/stats"].primarybytesIn`).
    pub path: String,
    pub message: String,
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at {}: {}", self.path, self.message)
    }
}

/// What a snapshot says about one call.
#[derive(Debug, Clone)]
pub enum Collected<T> {
    Ok(T),
    Failed(Failure),
    /// The call's body is in the snapshot, but not of a shape erdiag reads.
    Unreadable(Unreadable),
    NotCollected,
}

impl<T> Collected<T> {
    pub fn ok(&self) -> Option<&T> {
        match self {
            Collected::Ok(t) => Some(t),
            _ => None,
        }
    }
    /// Why the data is not there, for an `unknown` finding.
    pub fn missing_reason(&self, what: &str) -> Option<String> {
        match self {
            Collected::Ok(_) => None,
            Collected::Failed(f) => Some(format!("{what} could not be read: {f}")),
            Collected::Unreadable(u) => Some(format!("{what} is in the snapshot but cannot be read, {u}")),
            Collected::NotCollected => Some(format!("{what} was not collected")),
        }
    }
}

/// A peering with everything collected about it, per device path.
#[derive(Debug, Clone)]
pub struct PeeringState {
    pub peering: Peering,
    pub arp: [Collected<Vec<ArpEntry>>; 2],
    pub routes: [Collected<Vec<RouteEntry>>; 2],
    pub summary: [Collected<Vec<RouteSummaryEntry>>; 2],
    pub stats: Collected<Stats>,
}

impl PeeringState {
    pub fn name(&self) -> &str {
        self.peering.name()
    }
    pub fn arp(&self, p: DevicePath) -> &Collected<Vec<ArpEntry>> {
        &self.arp[p.index()]
    }
    pub fn routes(&self, p: DevicePath) -> &Collected<Vec<RouteEntry>> {
        &self.routes[p.index()]
    }
    pub fn summary(&self, p: DevicePath) -> &Collected<Vec<RouteSummaryEntry>> {
        &self.summary[p.index()]
    }
}

/// A virtual network gateway connected to the circuit.
#[derive(Debug, Clone)]
pub struct GatewayState {
    pub id: String,
    pub gateway: Collected<VirtualNetworkGateway>,
    pub bgp_peers: Collected<Vec<BgpPeerStatus>>,
    pub learned_routes: Collected<Vec<GatewayRoute>>,
    pub health: Collected<AvailabilityStatus>,
    /// Azure Monitor metrics of the gateway over the window.
    pub metrics: Collected<Metrics>,
    /// Resource Health availability history of the gateway over the window.
    pub health_history: Collected<Vec<HealthStatus>>,
    /// A VNet's gateway, or a Virtual WAN hub's ExpressRoute gateway (whose
    /// ARM offers no BGP peer status nor learned routes).
    pub kind: GatewayKind,
}

impl GatewayState {
    pub fn name(&self) -> &str {
        last_segment(&self.id)
    }
}

/// A Key Vault a link's MACsec secrets live in, as read.
#[derive(Debug, Clone)]
pub struct VaultState {
    /// The vault's name, from the secret identifiers.
    pub name: String,
    /// Its ARM id, when the list of the subscription's vaults named it.
    pub id: Option<String>,
    pub vault: Collected<KeyVault>,
    /// The role assignments at the vault (read when it uses RBAC).
    pub role_assignments: Collected<Vec<RoleAssignment>>,
}

/// What erdiag read about an ExpressRoute Direct circuit's port.
#[derive(Debug, Clone)]
pub struct DirectState {
    pub port_id: String,
    pub port: Collected<ExpressRoutePort>,
    /// The vaults of the links' secret identifiers, one each.
    pub vaults: Vec<VaultState>,
}

impl DirectState {
    pub fn vault(&self, name: &str) -> Option<&VaultState> {
        self.vaults.iter().find(|v| v.name.eq_ignore_ascii_case(name))
    }
}

/// The ACL test counters of both MSEEs, parsed.
pub type AclTest = PerPath<crate::acltest::AclCounters>;

/// The whole typed state of a circuit: what every check reads.
#[derive(Debug, Clone)]
pub struct CircuitState {
    pub circuit_id: String,
    pub collected_at: Option<String>,
    pub circuit: ExpressRouteCircuit,
    pub peerings: Vec<PeeringState>,
    pub circuit_stats: Collected<Stats>,
    /// Connections whose `peer` is this circuit.
    pub connections: Vec<Connection>,
    /// Whether the search for connections was read to the end: `Ok` when
    /// the listings were read (an empty result is then evidence that no VNet
    /// is connected from this subscription), `Failed` with the listing or
    /// connection read that failed, `NotCollected` when the snapshot does not
    /// say (it only holds connection resources, or none).
    pub connection_listing: Collected<()>,
    pub gateways: Vec<GatewayState>,
    pub acl_test: Option<AclTest>,
    /// The TCP probe run during the connectivity test (`inputs.probe`).
    pub probe: Option<ProbeInput>,
    /// CE router texts per device path (primary, secondary).
    pub ce: [Vec<CeInput>; 2],
    /// Whether an MD5 key is configured on Azure's side of the peering, as the
    /// user states it (`inputs.azureMd5`, `--azure-md5`): ARM never shows it.
    pub azure_md5: Option<bool>,
    /// Azure Monitor metrics of the circuit over the window.
    pub metrics: Collected<Metrics>,
    /// Azure Monitor metrics of the ExpressRoute Direct port (`NotCollected`
    /// for a circuit through a provider).
    pub port_metrics: Collected<Metrics>,
    /// Resource Health availability history of the circuit over the window.
    pub health_history: Collected<Vec<HealthStatus>>,
    /// What erdiag's own earlier polls saw (`inputs.observed`).
    pub observed: Option<ObservedWindow>,
    /// Every failed call, by the path as written in the snapshot.
    pub failures: Vec<(String, Failure)>,
    /// The sources that carried only some fields, by normalized ARM path.
    pub provenance: HashMap<String, Provenance>,
    /// The Virtual WAN ExpressRoute gateways connected to the circuit, and
    /// the subscription's listing they were found in.
    pub vwan: VwanState,
    /// Global Reach links of the private peering and their other circuits.
    pub global_reach: globalreach::GlobalReach,
    /// The circuit's authorizations (connections from other subscriptions).
    pub authorizations: globalreach::Authorizations,
    /// The ExpressRoute Direct port and the Key Vaults of its MACsec
    /// secrets (`None` for a circuit through a provider).
    pub direct: Option<DirectState>,
}

impl CircuitState {
    pub fn paths(&self) -> ArmPaths {
        ArmPaths::new(&self.circuit_id)
    }
    pub fn peering(&self, name: &str) -> Option<&PeeringState> {
        self.peerings.iter().find(|p| p.name().eq_ignore_ascii_case(name))
    }
    pub fn private_peering(&self) -> Option<&PeeringState> {
        self.peerings.iter().find(|p| p.peering.is_private())
    }
    /// Failed calls whose path lies under this peering (which may not exist).
    pub fn failures_under_peering(&self, name: &str) -> Vec<&(String, Failure)> {
        let prefix = normalize_path(&self.paths().peering(name));
        self.failures
            .iter()
            .filter(|(p, _)| {
                let n = normalize_path(p);
                n == prefix || n.starts_with(&(prefix.clone() + "/"))
            })
            .collect()
    }
    /// What produced the resource at this ARM path, when its source carried
    /// only some fields.
    pub fn source_of(&self, path: &str) -> Option<&Provenance> {
        self.provenance.get(&normalize_path(path))
    }
    pub fn circuit_name(&self) -> &str {
        self.circuit.name.as_deref().unwrap_or_else(|| last_segment(&self.circuit_id))
    }
    /// `collectedAt` as seconds, when present and readable.
    pub fn collected_unix(&self) -> Option<Unix> {
        parse_rfc3339(self.collected_at.as_deref()?).ok()
    }
}

/// `inputs.observed` with its times read: erdiag's own polls of the circuit
/// from its history store, oldest first.
#[derive(Debug, Clone, Default)]
pub struct ObservedWindow {
    /// The store, as its label prints it (no credentials).
    pub store: String,
    pub from: Unix,
    pub to: Unix,
    pub polls: Vec<(Unix, ObservedPoll)>,
}

impl ObservedWindow {
    fn read(o: &crate::inputs::Observed) -> Result<ObservedWindow, SnapshotError> {
        let at = |path: String, text: &str| parse_rfc3339(text).map_err(|e| SnapshotError::Shape { path, message: e.to_string() });
        let mut polls = Vec::with_capacity(o.polls.len());
        for (i, p) in o.polls.iter().enumerate() {
            for (k, b) in p.bgp.iter().enumerate() {
                if let Some(since) = &b.up_since {
                    at(format!("inputs.observed.polls[{i}].bgp[{k}].upSince"), since)?;
                }
            }
            polls.push((at(format!("inputs.observed.polls[{i}].at"), &p.at)?, p.clone()));
        }
        polls.sort_by_key(|(t, _)| *t);
        Ok(ObservedWindow {
            store: o.store.clone(),
            from: at("inputs.observed.from".into(), &o.from)?,
            to: at("inputs.observed.to".into(), &o.to)?,
            polls,
        })
    }
}

/// Where a resource came from, when its source carried only some fields
/// (`provenance` of the snapshot).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Provenance {
    /// What produced it, for messages (`Get-AzExpressRouteCircuit (Format-Table)`).
    pub source: Option<String>,
    /// Dotted paths of the fields it carried, lower case.
    pub fields: Vec<String>,
}

impl Provenance {
    /// Whether the source carried this dotted field path (or a field that holds it).
    pub fn carried(&self, field: &str) -> bool {
        let f = field.to_ascii_lowercase();
        self.fields.iter().any(|c| *c == f || f.starts_with(&format!("{c}.")))
    }

    /// Removes from a body every field its source did not carry.
    fn prune(&self, v: &mut Value, prefix: &str) {
        match v {
            Value::Object(m) => m.retain(|k, child| {
                let path = if prefix.is_empty() { k.to_ascii_lowercase() } else { format!("{prefix}.{}", k.to_ascii_lowercase()) };
                if self.carried(&path) {
                    return true;
                }
                let holds = self.fields.iter().any(|c| c.starts_with(&format!("{path}.")));
                if holds {
                    self.prune(child, &path);
                }
                holds
            }),
            Value::Array(a) => a.iter_mut().for_each(|x| self.prune(x, prefix)),
            _ => {}
        }
    }

    fn from_value(key: &str, v: &Value) -> Result<Provenance, SnapshotError> {
        let shape = |what: &str, message: String| SnapshotError::Shape { path: format!("provenance[{key:?}]{what}"), message };
        let o = v.as_object().ok_or_else(|| shape("", format!("expected an object {{\"fields\": [...]}}, found {}", crate::values::kind_of(v))))?;
        let source = match o.get("source") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => return Err(shape(".source", format!("expected a string, found {}", crate::values::kind_of(other)))),
        };
        let list = o.get("fields").and_then(Value::as_array).ok_or_else(|| shape(".fields", "expected an array of field paths".into()))?;
        let fields = list
            .iter()
            .enumerate()
            .map(|(i, f)| f.as_str().map(str::to_ascii_lowercase).ok_or_else(|| shape(&format!(".fields[{i}]"), format!("expected a field path, found {}", crate::values::kind_of(f)))))
            .collect::<Result<_, _>>()?;
        Ok(Provenance { source, fields })
    }
}

pub(crate) struct Index<'a> {
    resources: HashMap<String, (&'a str, &'a RawValue)>,
    failures: HashMap<String, (&'a str, Failure)>,
    provenance: HashMap<String, Provenance>,
}

impl<'a> Index<'a> {
    /// Types the body at a path; a body of the wrong shape is an error.
    fn body<T: serde::de::DeserializeOwned>(&self, orig: &str, raw: &RawValue) -> Result<T, SnapshotError> {
        decode(orig, raw, self.provenance.get(&normalize_path(orig)))
    }
    pub(crate) fn collected<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<Collected<T>, SnapshotError> {
        let key = normalize_path(path);
        if let Some((orig, v)) = self.resources.get(&key) {
            return Ok(match self.body(orig, v) {
                Ok(t) => Collected::Ok(t),
                Err(SnapshotError::Shape { path, message }) => Collected::Unreadable(Unreadable { path, message }),
                Err(e) => return Err(e),
            });
        }
        if let Some((_, f)) = self.failures.get(&key) {
            return Ok(Collected::Failed(f.clone()));
        }
        Ok(Collected::NotCollected)
    }
    pub(crate) fn list<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<Collected<Vec<T>>, SnapshotError> {
        Ok(match self.collected::<List<T>>(path)? {
            Collected::Ok(l) => Collected::Ok(l.value),
            Collected::Failed(f) => Collected::Failed(f),
            Collected::Unreadable(u) => Collected::Unreadable(u),
            Collected::NotCollected => Collected::NotCollected,
        })
    }
}

/// Types a resource body, its field names matched as ARM clients do
/// ([`Caseless`]), without the fields its source did not carry.
fn decode<T: serde::de::DeserializeOwned>(key: &str, v: &RawValue, carried: Option<&Provenance>) -> Result<T, SnapshotError> {
    let typed = match carried {
        None => serde_path_to_error::deserialize(Caseless(&mut serde_json::Deserializer::from_str(v.get()))),
        Some(p) => {
            let mut body: Value = serde_json::from_str(v.get()).map_err(|e| SnapshotError::Shape {
                path: format!("resources[{key:?}]"),
                message: strip_position(&e),
            })?;
            p.prune(&mut body, "");
            serde_path_to_error::deserialize(Caseless(body))
        }
    };
    typed.map_err(|e: serde_path_to_error::Error<serde_json::Error>| {
        let inner = e.path().to_string();
        let path = match inner.as_str() {
            "." => format!("resources[{key:?}]"),
            i if i.starts_with('[') => format!("resources[{key:?}]{i}"),
            i => format!("resources[{key:?}].{i}"),
        };
        SnapshotError::Shape { path, message: strip_position(&e.into_inner()) }
    })
}

impl<'a> Snapshot<'a> {
    /// Reads the envelope of a snapshot. Syntax errors carry line and column;
    /// shape errors the JSON path.
    pub fn from_slice(bytes: &'a [u8]) -> Result<Snapshot<'a>, SnapshotError> {
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let snap: Snapshot = match serde_path_to_error::deserialize(&mut de) {
            Ok(s) => s,
            Err(e) => {
                let path = e.path().to_string();
                let inner = e.into_inner();
                return Err(if inner.is_syntax() || inner.is_eof() {
                    SnapshotError::Syntax { line: inner.line(), column: inner.column(), message: strip_position(&inner) }
                } else {
                    let path = if path == "." { String::from("(top level)") } else { path };
                    SnapshotError::Shape { path, message: strip_position(&inner) }
                });
            }
        };
        de.end().map_err(|e| SnapshotError::Syntax { line: e.line(), column: e.column(), message: strip_position(&e) })?;
        if snap.format != SNAPSHOT_FORMAT {
            return Err(SnapshotError::Format { found: snap.format });
        }
        Ok(snap)
    }

    /// Types everything the checks read.
    pub fn decode(&self) -> Result<CircuitState, SnapshotError> {
        let mut failures_list = Vec::new();
        let mut index = Index { resources: HashMap::new(), failures: HashMap::new(), provenance: HashMap::new() };
        for (k, v) in self.provenance.iter().flatten() {
            index.provenance.insert(normalize_path(k), Provenance::from_value(k, v)?);
        }
        for (k, v) in &self.resources {
            index.resources.insert(normalize_path(k), (k.as_str(), *v));
        }
        for (k, v) in &self.failures {
            if !v.is_object() {
                return Err(SnapshotError::Shape {
                    path: format!("failures[{k:?}]"),
                    message: format!("expected an object {{\"status\": ..., \"error\": ...}}, found {}", crate::values::kind_of(v)),
                });
            }
            let f = Failure::from_value(v);
            failures_list.push((k.clone(), f.clone()));
            index.failures.insert(normalize_path(k), (k.as_str(), f));
        }

        let paths = ArmPaths::new(&self.circuit_id);
        let circuit: ExpressRouteCircuit = match index.collected(&paths.circuit)? {
            Collected::Ok(c) => c,
            Collected::Unreadable(Unreadable { path, message }) => return Err(SnapshotError::Shape { path, message }),
            Collected::Failed(f) => {
                return Err(SnapshotError::MissingCircuit { id: self.circuit_id.clone(), failure: Some(f.to_string()) })
            }
            Collected::NotCollected => {
                return Err(SnapshotError::MissingCircuit { id: self.circuit_id.clone(), failure: None })
            }
        };

        // Peerings: embedded in the circuit, or GET on their own (which wins).
        let mut peerings: Vec<Peering> = circuit.properties.peerings.clone().unwrap_or_default();
        let peering_prefix = normalize_path(&format!("{}/peerings", paths.circuit)) + "/";
        let mut standalone: Vec<(&str, &RawValue)> = index
            .resources
            .iter()
            .filter(|(k, _)| k.starts_with(&peering_prefix) && !k[peering_prefix.len()..].contains('/'))
            .map(|(_, v)| *v)
            .collect();
        standalone.sort_by(|a, b| a.0.cmp(b.0));
        for (orig, v) in standalone {
            // A body of the wrong shape still replaces the embedded copy: its
            // fields read as absent, and the checks that need one say
            // `unknown`, naming the JSON path (through `provenance`).
            let p: Peering = match index.body(orig, v) {
                Ok(p) => p,
                Err(SnapshotError::Shape { path, message }) => {
                    let why = Unreadable { path, message };
                    index.provenance.insert(normalize_path(orig), Provenance { source: Some(format!("a body erdiag cannot read, {why}")), fields: Vec::new() });
                    Peering::default()
                }
                Err(e) => return Err(e),
            };
            let name = last_segment(orig).to_string();
            let p = if p.name.is_none() { Peering { name: Some(name), ..p } } else { p };
            match peerings.iter_mut().find(|e| e.name().eq_ignore_ascii_case(p.name())) {
                Some(e) => *e = p,
                None => peerings.push(p),
            }
        }
        let mut peering_states = Vec::new();
        for p in peerings {
            let name = p.name().to_string();
            let per_path = |f: &dyn Fn(&str, DevicePath) -> String| -> [String; 2] {
                [f(&name, DevicePath::Primary), f(&name, DevicePath::Secondary)]
            };
            let arp = per_path(&|n, d| paths.arp_table(n, d));
            let routes = per_path(&|n, d| paths.route_table(n, d));
            let summary = per_path(&|n, d| paths.route_table_summary(n, d));
            peering_states.push(PeeringState {
                arp: [index.list(&arp[0])?, index.list(&arp[1])?],
                routes: [index.list(&routes[0])?, index.list(&routes[1])?],
                summary: [index.list(&summary[0])?, index.list(&summary[1])?],
                stats: index.collected(&paths.peering_stats(&name))?,
                peering: p,
            });
        }

        // Connections whose peer is this circuit, and their gateways.
        let circuit_key = normalize_path(&self.circuit_id);
        let mut connections = Vec::new();
        let mut conn_keys: Vec<(&str, &RawValue)> = index
            .resources
            .iter()
            .filter(|(k, _)| is_connection_path(k))
            .map(|(_, v)| *v)
            .collect();
        conn_keys.sort_by(|a, b| a.0.cmp(b.0));
        // A connection of the wrong shape may or may not be this circuit's:
        // the search for connections is then unreadable, as a failed one is
        // incomplete.
        let mut unreadable_connection = None;
        for (orig, v) in conn_keys {
            let c: Connection = match index.body(orig, v) {
                Ok(c) => c,
                Err(SnapshotError::Shape { path, message }) => {
                    unreadable_connection.get_or_insert(Unreadable { path, message });
                    continue;
                }
                Err(e) => return Err(e),
            };
            let peer = c.properties.peer.as_ref().and_then(|p| p.id.as_deref()).map(normalize_path);
            if peer.as_deref() == Some(circuit_key.as_str()) {
                connections.push(c);
            }
        }
        let connection_listing = match (connection_listing(&index, &paths), unreadable_connection) {
            (Collected::Failed(f), _) => Collected::Failed(f),
            (_, Some(u)) => Collected::Unreadable(u),
            (listing, None) => listing,
        };
        let mut gateways: Vec<GatewayState> = Vec::new();
        for c in &connections {
            let Some(gw) = c.properties.virtual_network_gateway1.as_ref().and_then(|g| g.id.clone()) else { continue };
            if gateways.iter().any(|g| normalize_path(&g.id) == normalize_path(&gw)) {
                continue;
            }
            gateways.push(GatewayState {
                gateway: index.collected(&gw)?,
                bgp_peers: index.list(&ArmPaths::bgp_peer_status(&gw))?,
                learned_routes: index.list(&ArmPaths::learned_routes(&gw))?,
                health: index.collected(&ArmPaths::resource_health(&gw))?,
                metrics: index.collected(&ArmPaths::metrics(&gw))?,
                health_history: index.list(&ArmPaths::availability_history(&gw))?,
                id: gw,
                kind: GatewayKind::Vnet,
            });
        }
        // Virtual WAN gateways stand at point 6 too: the gateway step reads
        // them through the same view (their own details are in `vwan`).
        let vwan = vwan_state(&index, &self.circuit_id)?;
        for v in &vwan.gateways {
            gateways.push(GatewayState {
                gateway: index.collected(&v.id)?,
                bgp_peers: Collected::NotCollected,
                learned_routes: Collected::NotCollected,
                health: index.collected(&ArmPaths::resource_health(&v.id))?,
                metrics: index.collected(&ArmPaths::metrics(&v.id))?,
                health_history: index.list(&ArmPaths::availability_history(&v.id))?,
                id: v.id.clone(),
                kind: GatewayKind::VirtualWan { hub: v.hub_name().map(str::to_string) },
            });
        }

        let inputs = self.inputs.as_ref();
        let acl_test = match inputs.and_then(|i| i.acl_test.as_ref()) {
            None => None,
            Some(input) => {
                let mut parsed = AclTest::default();
                for d in DevicePath::BOTH {
                    if let Some(t) = input.get(d) {
                        let counters = crate::acltest::parse_acl_test(t).map_err(|(line, message)| SnapshotError::Shape {
                            path: format!("inputs.aclTest.{d}"),
                            message: format!("line {line}: {message}"),
                        })?;
                        *parsed.slot(d) = Some(counters);
                    }
                }
                Some(parsed)
            }
        };

        let mut ce: [Vec<CeInput>; 2] = Default::default();
        if let Some(texts) = inputs.and_then(|i| i.ce.as_ref()) {
            for d in DevicePath::BOTH {
                ce[d.index()] = texts.get(d).cloned().unwrap_or_default();
            }
            // A snapshot another tool wrote may carry router secrets: none
            // goes further than here.
            for input in ce.iter_mut().flatten() {
                if let std::borrow::Cow::Owned(t) = crate::secrets::redact_text(&input.text) {
                    input.text = t;
                }
            }
        }
        let probe = match inputs.and_then(|i| i.probe.as_ref()) {
            None | Some(Value::Null) => None,
            Some(v) => Some(serde_path_to_error::deserialize::<_, ProbeInput>(v).map_err(|e| SnapshotError::Shape {
                path: format!("inputs.probe.{}", e.path()),
                message: e.into_inner().to_string(),
            })?),
        };
        let azure_md5 = inputs.and_then(|i| i.azure_md5);
        let observed = inputs.and_then(|i| i.observed.as_ref()).map(ObservedWindow::read).transpose()?;
        let port_metrics = match circuit.properties.express_route_port.as_ref().and_then(|p| p.id.as_deref()).filter(|id| !id.is_empty()) {
            Some(port) => index.collected(&ArmPaths::metrics(port))?,
            None => Collected::NotCollected,
        };

        let private = peering_states.iter().find(|p| p.peering.is_private()).map(|p| &p.peering);
        let (global_reach, authorizations) = globalreach::decode(&index, &self.circuit_id, &circuit, private)?;
        let direct = decode_direct(&index, &circuit)?;
        Ok(CircuitState {
            global_reach,
            authorizations,
            circuit_id: self.circuit_id.clone(),
            collected_at: self.collected_at.clone(),
            circuit,
            peerings: peering_states,
            circuit_stats: index.collected(&paths.circuit_stats())?,
            connections,
            connection_listing,
            gateways,
            acl_test,
            probe,
            ce,
            azure_md5,
            metrics: index.collected(&ArmPaths::metrics(&paths.circuit))?,
            port_metrics,
            health_history: index.list(&ArmPaths::availability_history(&paths.circuit))?,
            observed,
            direct,
            failures: failures_list,
            provenance: index.provenance,
            vwan,
        })
    }
}

/// The circuit's ExpressRoute Direct port and, for the links with MACsec,
/// the vaults their secret identifiers name: each found among the
/// resources by its name (the list of the port's subscription's vaults gave
/// its id), else a failure of its GET or of that list.
fn decode_direct(index: &Index, circuit: &ExpressRouteCircuit) -> Result<Option<DirectState>, SnapshotError> {
    let Some(port_id) = circuit.properties.express_route_port.as_ref().and_then(|p| p.id.clone()).filter(|id| !id.is_empty()) else {
        return Ok(None);
    };
    let port: Collected<ExpressRoutePort> = index.collected(&port_id)?;
    let mut names: Vec<String> = Vec::new();
    for link in port.ok().map(ExpressRoutePort::links).unwrap_or_default() {
        let m = link.macsec();
        for s in m.iter().flat_map(|m| [&m.cak_secret_identifier, &m.ckn_secret_identifier]).filter_map(|s| s.as_deref()) {
            if let Some(n) = crate::direct::vault_name(s) {
                if !names.contains(&n) {
                    names.push(n);
                }
            }
        }
    }
    let sub = ResourceId::parse(&port_id).map(|r| r.subscription().to_string()).unwrap_or_default();
    let listing = DirectPaths::vaults_in_subscription(&sub);
    let mut vaults = Vec::new();
    for name in names {
        let suffix = format!("/providers/microsoft.keyvault/vaults/{name}");
        let found = |keys: &mut dyn Iterator<Item = (&String, &str)>| keys.filter(|(k, _)| k.ends_with(&suffix)).map(|(_, o)| o.to_string()).min();
        let id = found(&mut index.resources.iter().map(|(k, (o, _))| (k, *o))).or_else(|| found(&mut index.failures.iter().map(|(k, (o, _))| (k, *o))));
        let vault = match &id {
            Some(id) => index.collected(id)?,
            None => match index.collected::<serde_json::Value>(&listing)? {
                Collected::Ok(_) => Collected::Failed(Failure {
                    status: None,
                    code: None,
                    message: format!("the list of the vaults of subscription {sub} does not name {name} (it lives in another subscription, or was deleted)"),
                }),
                Collected::Failed(f) => Collected::Failed(f),
                Collected::Unreadable(u) => Collected::Unreadable(u),
                Collected::NotCollected => Collected::NotCollected,
            },
        };
        let role_assignments = match &id {
            Some(id) => index.list(&DirectPaths::role_assignments(id))?,
            None => Collected::NotCollected,
        };
        vaults.push(VaultState { name, id, vault, role_assignments });
    }
    Ok(Some(DirectState { port_id, port, vaults }))
}

/// The subscription's listing finds connections in every resource group, so
/// it completes the search; the group's listing alone is accepted from writers
/// that only make that call. A failed listing, or a listed connection whose
/// GET failed, leaves the search incomplete.
fn connection_listing(index: &Index, paths: &ArmPaths) -> Collected<()> {
    let group = normalize_path(&paths.connections_in_group());
    let subscription = normalize_path(&paths.connections_in_subscription());
    let read = |k: &str| index.resources.contains_key(k);
    let failed = |k: &str| index.failures.get(k).map(|(_, f)| f.clone());
    let connection_failed = || index.failures.iter().filter(|(k, _)| is_connection_path(k)).min_by_key(|(k, _)| *k).map(|(_, (_, f))| f.clone());
    if let Some(f) = connection_failed() {
        return Collected::Failed(f);
    }
    match (read(&subscription), failed(&subscription), read(&group), failed(&group)) {
        (true, ..) => Collected::Ok(()),
        (false, None, true, _) => Collected::Ok(()),
        (false, Some(f), true, _) => Collected::Failed(f),
        (false, sub, false, grp) => grp.or(sub).map(Collected::Failed).unwrap_or(Collected::NotCollected),
    }
}

/// The vWAN gateways with a connection to a peering of the circuit: those
/// the subscription's listing names so, and any gateway body the snapshot
/// holds that does (an imported `az network express-route gateway show`).
fn vwan_state(index: &Index, circuit_id: &str) -> Result<VwanState, SnapshotError> {
    let sub = ResourceId::parse(circuit_id).ok().map(|r| r.subscription().to_string()).unwrap_or_default();
    let listing: Collected<Vec<ExpressRouteGateway>> = index.list(&self::vwan::gateways_in_subscription(&sub))?;
    let mut ids: Vec<String> = Vec::new();
    let mut add = |id: &str| {
        if !ids.iter().any(|k| normalize_path(k) == normalize_path(id)) {
            ids.push(id.to_string());
        }
    };
    if let Collected::Ok(items) = &listing {
        for g in items.iter().filter(|g| !g.connections_to(circuit_id).is_empty()) {
            if let Some(id) = g.id.as_deref() {
                add(id);
            }
        }
    }
    let mut bodies: Vec<(&str, &RawValue)> = index.resources.iter().filter(|(k, _)| self::vwan::is_gateway_path(k)).map(|(_, v)| *v).collect();
    bodies.sort_by(|a, b| a.0.cmp(b.0));
    for (orig, raw) in bodies {
        if let Ok(g) = index.body::<ExpressRouteGateway>(orig, raw) {
            if !g.connections_to(circuit_id).is_empty() {
                add(orig);
            }
        }
    }
    let mut gateways = Vec::new();
    for id in ids {
        let gateway: Collected<ExpressRouteGateway> = index.collected(&id)?;
        let listed = listing.ok().and_then(|l| l.iter().find(|g| g.id.as_deref().map(normalize_path) == Some(normalize_path(&id))));
        let hub_id = gateway
            .ok()
            .or(listed)
            .and_then(|g| g.properties.virtual_hub.as_ref())
            .and_then(|h| h.id.clone());
        let hub = match &hub_id {
            Some(h) => index.collected(h)?,
            None => Collected::NotCollected,
        };
        gateways.push(VwanGateway {
            connections: index.list(&self::vwan::gateway_connections(&id))?,
            health: index.collected(&ArmPaths::resource_health(&id))?,
            gateway,
            hub_id,
            hub,
            id,
        });
    }
    Ok(VwanState { listing, gateways })
}

fn is_connection_path(normalized: &str) -> bool {
    match normalized.find("/providers/microsoft.network/connections/") {
        Some(i) => !normalized[i + "/providers/microsoft.network/connections/".len()..].contains('/'),
        None => false,
    }
}

/// serde_json appends " at line L column C" to its messages; the position is
/// reported separately (by line, column or JSON path), so every reader of
/// JSON quotes the message through this.
pub fn strip_position(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CKT: &str = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/ckt";

    fn snap(body: &str) -> Result<CircuitState, SnapshotError> {
        Snapshot::from_slice(body.as_bytes())?.decode()
    }

    #[test]
    fn paths_match_case_insensitively_and_without_query() {
        assert_eq!(normalize_path("/Subscriptions/S/x?api-version=1"), "/subscriptions/s/x");
        assert_eq!(normalize_path("https://management.azure.com/subscriptions/s/"), "/subscriptions/s");
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let e = Snapshot::from_slice(b"{\n  \"format\": \"erdiag-snapshot/1\",\n  \"circuitId\": ").unwrap_err();
        assert!(matches!(e, SnapshotError::Syntax { line: 3, .. }), "{e:?}");
        let e = Snapshot::from_slice(b"not json").unwrap_err();
        assert!(matches!(e, SnapshotError::Syntax { line: 1, .. }), "{e:?}");
    }

    #[test]
    fn wrong_format_and_missing_circuit() {
        let e = Snapshot::from_slice(br#"{"format":"erdiag-snapshot/9","circuitId":"x"}"#).unwrap_err();
        assert_eq!(e, SnapshotError::Format { found: "erdiag-snapshot/9".into() });
        let e = snap(&format!(r#"{{"format":"erdiag-snapshot/1","circuitId":"{CKT}"}}"#)).unwrap_err();
        assert!(matches!(e, SnapshotError::MissingCircuit { failure: None, .. }));
    }

    #[test]
    fn shape_errors_name_the_json_path() {
        let body = format!(
            r#"{{"format":"erdiag-snapshot/1","circuitId":"{CKT}","resources":{{"{CKT}":{{"properties":{{"peerings":[{{"name":"AzurePrivatePeering","properties":{{"vlanId":[1]}}}}]}}}}}}}}"#
        );
        let e = snap(&body).unwrap_err();
        match e {
            SnapshotError::Shape { path, .. } => {
                assert_eq!(path, format!("resources[{CKT:?}].properties.peerings[0].properties.vlanId"))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_peering_may_stand_alone_or_override_the_embedded_one() {
        let body = format!(
            r#"{{"format":"erdiag-snapshot/1","circuitId":"{CKT}","resources":{{
              "{CKT}":{{"properties":{{"peerings":[{{"name":"AzurePrivatePeering","properties":{{"peeringType":"AzurePrivatePeering","vlanId":100}}}}]}}}},
              "{CKT}/peerings/AzurePrivatePeering":{{"name":"AzurePrivatePeering","properties":{{"peeringType":"AzurePrivatePeering","vlanId":200}}}},
              "{CKT}/peerings/MicrosoftPeering":{{"properties":{{"peeringType":"MicrosoftPeering","vlanId":300}}}},
              "{CKT}/peerings/AzurePrivatePeering/stats":{{"primarybytesIn":1}}
            }}}}"#
        );
        let s = snap(&body).unwrap();
        let names: Vec<&str> = s.peerings.iter().map(|p| p.name()).collect();
        assert_eq!(names, ["AzurePrivatePeering", "MicrosoftPeering"]);
        assert_eq!(s.private_peering().unwrap().peering.properties.vlan_id, Some(200), "the standalone GET wins");
        assert_eq!(s.peering("microsoftpeering").unwrap().peering.properties.vlan_id, Some(300));
    }

    #[test]
    fn the_connection_listing_is_read_failed_or_not_collected() {
        let group = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/connections";
        let sub = "/subscriptions/s/resources";
        let conn = "/subscriptions/s/resourceGroups/other/providers/Microsoft.Network/connections/c1";
        let fail = r#"{"status":500,"error":"boom"}"#;
        let listing = |resources: &[&str], failures: &[&str]| {
            let r: Vec<String> = std::iter::once(format!(r#""{CKT}":{{}}"#)).chain(resources.iter().map(|k| format!(r#""{k}":{{"value":[]}}"#))).collect();
            let f: Vec<String> = failures.iter().map(|k| format!(r#""{k}":{fail}"#)).collect();
            let body = format!(
                r#"{{"format":"erdiag-snapshot/1","circuitId":"{CKT}","resources":{{{}}},"failures":{{{}}}}}"#,
                r.join(","),
                f.join(",")
            );
            match snap(&body).unwrap().connection_listing {
                Collected::Ok(()) => "read",
                Collected::Failed(_) => "failed",
                Collected::Unreadable(_) => "unreadable",
                Collected::NotCollected => "not collected",
            }
        };
        assert_eq!(listing(&[], &[]), "not collected");
        assert_eq!(listing(&[group, sub], &[]), "read");
        assert_eq!(listing(&[sub], &[group]), "read", "the subscription's listing covers the group");
        assert_eq!(listing(&[group], &[]), "read");
        assert_eq!(listing(&[group], &[sub]), "failed", "connections in other groups are unknown");
        assert_eq!(listing(&[group, sub], &[conn]), "failed", "a listed connection that cannot be read");
        assert_eq!(listing(&[], &[group, sub]), "failed");
    }

    #[test]
    fn lookups_are_case_insensitive_and_failures_are_typed() {
        let lower = CKT.to_ascii_lowercase();
        let body = format!(
            r#"{{"format":"erdiag-snapshot/1","circuitId":"{CKT}","resources":{{
              "{lower}":{{"properties":{{"peerings":[{{"name":"AzurePrivatePeering","properties":{{"peeringType":"AzurePrivatePeering","sharedKey":"s3cret"}}}}]}}}},
              "{CKT}/peerings/AzurePrivatePeering/arpTables/PRIMARY":{{"value":[{{"interface":"On-Prem","ipAddress":"172.16.0.1","macAddress":"Incomplete"}}]}}
            }},"failures":{{"{CKT}/peerings/AzurePrivatePeering/arpTables/secondary":{{"status":500,"error":{{"error":{{"code":"InternalServerError","message":"boom"}}}}}}}}}}"#
        );
        let s = snap(&body).unwrap();
        let p = s.private_peering().unwrap();
        assert_eq!(p.peering.properties.shared_key, SecretPresence::Present);
        assert!(matches!(p.arp(DevicePath::Primary), Collected::Ok(v) if v.len() == 1));
        match p.arp(DevicePath::Secondary) {
            Collected::Failed(f) => {
                assert_eq!(f.status, Some(500));
                assert_eq!(f.code.as_deref(), Some("InternalServerError"));
                assert_eq!(f.message, "boom");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(p.routes(DevicePath::Primary), Collected::NotCollected));
    }

    fn with(resources: &str, rest: &str) -> Result<CircuitState, SnapshotError> {
        snap(&format!(r#"{{"format":"erdiag-snapshot/1","circuitId":"{CKT}","resources":{{{resources}}}{rest}}}"#))
    }

    #[test]
    fn an_absent_peerings_field_is_not_an_empty_list() {
        let s = with(&format!(r#""{CKT}":{{"properties":{{}}}}"#), "").unwrap();
        assert!(s.circuit.properties.peerings.is_none());
        let s = with(&format!(r#""{CKT}":{{"properties":{{"peerings":[]}}}}"#), "").unwrap();
        assert_eq!(s.circuit.properties.peerings.as_deref().map(<[_]>::len), Some(0));
    }

    #[test]
    fn a_body_of_the_wrong_shape_is_unreadable_with_its_path_and_property_names_match_in_any_case() {
        let s = with(
            &format!(
                r#""{CKT}":{{"properties":{{"peerings":[{{"name":"AzurePrivatePeering"}}]}}}},
                "{CKT}/stats":[1,2,3,4],
                "{CKT}/peerings/AzurePrivatePeering/stats":{{"primaryBytesIn":5,"PrimaryBytesOut":"6"}}"#
            ),
            "",
        )
        .unwrap();
        match &s.circuit_stats {
            Collected::Unreadable(u) => assert_eq!(u.path, format!("resources[\"{CKT}/stats\"]")),
            other => panic!("{other:?}"),
        }
        assert!(s.circuit_stats.missing_reason("the stats").unwrap().contains("/stats"));
        let p = s.private_peering().unwrap();
        assert!(matches!(p.stats, Collected::Ok(Stats { primary_bytes_in: Some(5), primary_bytes_out: Some(6), .. })), "{:?}", p.stats);
    }

    #[test]
    fn a_stand_alone_peering_or_connection_of_the_wrong_shape_is_unreadable_not_an_error() {
        let conn = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/connections/c1";
        let s = with(
            &format!(
                r#""{CKT}":{{"properties":{{"peerings":[{{"name":"AzurePrivatePeering","properties":{{"vlanId":100}}}}]}}}},
                "{CKT}/peerings/AzurePrivatePeering":{{"name":"AzurePrivatePeering","properties":{{"vlanId":[1]}}}},
                "{conn}":[1]"#
            ),
            "",
        )
        .unwrap();
        let p = s.private_peering().or_else(|| s.peering("AzurePrivatePeering")).unwrap();
        assert_eq!(p.peering.properties.vlan_id, None, "not the embedded copy: the stand-alone body replaces it");
        let why = s.source_of(&s.paths().peering("AzurePrivatePeering")).and_then(|p| p.source.clone()).unwrap();
        assert!(why.contains(&format!("resources[\"{CKT}/peerings/AzurePrivatePeering\"].properties.vlanId")), "{why}");
        assert!(!s.source_of(&s.paths().peering("AzurePrivatePeering")).unwrap().carried("properties.vlanId"));
        match &s.connection_listing {
            Collected::Unreadable(u) => assert_eq!(u.path, format!("resources[{conn:?}]")),
            other => panic!("{other:?}"),
        }
        // The circuit itself stays an error.
        assert!(matches!(with(&format!(r#""{CKT}":[1]"#), ""), Err(SnapshotError::Shape { .. })));
    }

    #[test]
    fn the_shared_key_is_present_absent_or_unreadable() {
        let key = |v: &str| {
            let s = with(&format!(r#""{CKT}":{{"properties":{{"peerings":[{{"name":"AzurePrivatePeering","properties":{{"sharedKey":{v}}}}}]}}}}"#), "").unwrap();
            s.private_peering().unwrap().peering.properties.shared_key
        };
        assert_eq!(key("\"k\""), SecretPresence::Present);
        assert_eq!(key("\"\""), SecretPresence::Absent);
        assert_eq!(key("null"), SecretPresence::Absent);
        assert_eq!(key("42"), SecretPresence::Unreadable);
        assert_eq!(key("{\"a\":1}"), SecretPresence::Unreadable);
    }

    #[test]
    fn inputs_ce_of_the_wrong_type_names_its_path() {
        let circuit = format!(r#""{CKT}":{{}}"#);
        for (inputs, path) in [(r#""x""#, "inputs.ce"), (r#"[]"#, "inputs.ce"), (r#"{"tertiary":[]}"#, "inputs.ce.tertiary")] {
            match with(&circuit, &format!(r#","inputs":{{"ce":{inputs}}}"#)).unwrap_err() {
                SnapshotError::Shape { path: p, .. } => assert_eq!(p, path),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn fields_the_source_did_not_carry_read_as_absent() {
        let s = with(
            &format!(
                r#""{CKT}":{{"name":"ckt","properties":{{"peerings":[],"serviceProviderProvisioningState":"Provisioned"}}}},
                "{CKT}/peerings/AzurePrivatePeering":{{"name":"AzurePrivatePeering","properties":{{"vlanId":0,"peerASN":65020}}}}"#
            ),
            &format!(
                r#","provenance":{{"{CKT}":{{"source":"Get-AzExpressRouteCircuit (Format-Table)","fields":["name","Properties.ServiceProviderProvisioningState"]}},
                "{}":{{"fields":["name","properties.peerASN"]}}}}"#,
                CKT.to_ascii_lowercase() + "/peerings/azureprivatepeering"
            ),
        )
        .unwrap();
        assert!(s.circuit.properties.peerings.is_none(), "the table had no peerings column");
        assert_eq!(s.circuit.properties.service_provider_provisioning_state.as_deref(), Some("Provisioned"));
        let p = &s.private_peering().unwrap().peering.properties;
        assert_eq!((p.vlan_id, p.peer_asn), (None, Some(65020)));
        assert_eq!(s.source_of(CKT).and_then(|p| p.source.as_deref()), Some("Get-AzExpressRouteCircuit (Format-Table)"));
        let e = with(&format!(r#""{CKT}":{{}}"#), r#","provenance":{"x":{"fields":[1]}}"#).unwrap_err();
        assert!(matches!(e, SnapshotError::Shape { ref path, .. } if path == "provenance[\"x\"].fields[0]"), "{e:?}");
    }

    #[test]
    fn metrics_health_history_and_observed_polls_are_typed_per_resource() {
        let gw = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworkGateways/gw";
        let conn = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/connections/c1";
        let s = with(
            &format!(
                r#""{CKT}":{{"properties":{{"peerings":[]}}}},
                "{conn}":{{"properties":{{"peer":{{"id":"{CKT}"}},"virtualNetworkGateway1":{{"id":"{gw}"}}}}}},
                "{CKT}/providers/Microsoft.Insights/metrics":{{"timespan":"2026-01-15T08:00:00Z/2026-01-15T09:00:00Z","interval":"PT1M","value":[{{"name":{{"value":"BgpAvailability"}},"timeseries":[{{"metadatavalues":[],"data":[{{"timeStamp":"2026-01-15T08:00:00Z","average":100}}]}}]}}]}},
                "{CKT}/providers/Microsoft.ResourceHealth/availabilityStatuses":{{"value":[{{"properties":{{"availabilityState":"Unavailable","context":"Planned","occuredTime":"2026-01-15T08:10:00Z"}}}}]}},
                "{gw}/providers/Microsoft.Insights/metrics":{{"value":[{{"name":{{"value":"x"}},"timeseries":[{{"data":[{{"timeStamp":"soon"}}]}}]}}]}}"#
            ),
            &format!(
                r#","failures":{{"{gw}/providers/Microsoft.ResourceHealth/availabilityStatuses":{{"status":403,"error":"denied"}}}},
                "inputs":{{"observed":{{"store":"h.db","from":"2026-01-15T08:00:00Z","to":"2026-01-15T09:00:00Z","polls":[
                  {{"at":"2026-01-15T08:05:00Z","bgp":[{{"peering":"AzurePrivatePeering","path":"primary","state":"down"}}],"arp":[]}}]}}}}"#
            ),
        )
        .unwrap();
        let m = s.metrics.ok().unwrap();
        assert_eq!(m.metric("BgpAvailability").unwrap().timeseries[0].data[0].average, Some(100.0));
        assert!(s.health_history.ok().unwrap()[0].is_maintenance());
        assert!(matches!(s.port_metrics, Collected::NotCollected), "not a Direct circuit");
        let g = &s.gateways[0];
        match &g.metrics {
            Collected::Unreadable(u) => assert_eq!(u.path, format!("resources[\"{gw}/providers/Microsoft.Insights/metrics\"].value[0].timeseries[0].data[0].timeStamp")),
            other => panic!("{other:?}"),
        }
        assert!(matches!(g.health_history, Collected::Failed(Failure { status: Some(403), .. })));
        let o = s.observed.unwrap();
        assert_eq!((o.store.as_str(), o.from, o.polls[0].0), ("h.db", 1_768_464_000, 1_768_464_300));
        assert_eq!(o.polls[0].1.bgp[0].state, crate::BgpObserved::Down);

        let e = with(&format!(r#""{CKT}":{{}}"#), r#","inputs":{"observed":{"store":"h","from":"2026-01-15T08:00:00Z","to":"2026-01-15T09:00:00Z","polls":[{"at":"later"}]}}"#).unwrap_err();
        assert!(matches!(e, SnapshotError::Shape { ref path, .. } if path == "inputs.observed.polls[0].at"), "{e:?}");
    }
}
