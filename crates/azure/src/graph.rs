//! Every ExpressRoute circuit and port a credential can read, found through
//! Azure Resource Graph: `POST /providers/Microsoft.ResourceGraph/resources`
//! (api-version 2024-04-01), the one read-only POST with a body the client
//! sends ([`ReadOnlyCall::resource_graph`]).
//!
//! - Scope ([`Scope`]): the whole tenant (no `subscriptions` in the request),
//!   subscriptions, or management groups. ARG takes a bounded list of
//!   subscriptions per request (the Azure CLI and PowerShell forward at most
//!   1,000): lists are sent in batches of [`BATCH`].
//! - Paging: `options.$top` [`PAGE_SIZE`] (ARG's maximum) and `$skipToken`
//!   until ARG sends none. An answer that would leave the inventory short
//!   without saying so is an error naming its JSON path: `resultTruncated`
//!   `"true"`, no `$skipToken` while fewer rows than `totalRecords` arrived,
//!   `data` that is not an array of rows (`resultFormat` objectArray),
//!   `count` that is not the number of rows, a page repeating its
//!   `$skipToken`, and `x-ms-tenant-subscription-limit-hit`.
//! - Quota: ARG allows each user a number of queries per window and says
//!   what is left on every answer (`x-ms-user-quota-remaining`,
//!   `x-ms-user-quota-resets-after` as `hh:mm:ss`). When nothing is left,
//!   the client's scheduler holds Resource Graph's key until the reset, so
//!   that the next query of that client, in this discovery or another,
//!   waits for it (within the deadline) instead of collecting a 429; a 429
//!   is waited out by the client (`Retry-After`, or the reset).
//! - Rows become [`CircuitRecord`]s and [`PortRecord`]s (property names read
//!   case-insensitively); [`Filter`] narrows the circuits as `erdiag fleet`'s
//!   flags ask (`--tag k=v`, `--resource-group`, `--name` glob, location,
//!   provider).
//! - [`resource_changes`]: who changed a circuit, its peerings, connections
//!   and gateways over a window — the `resourcechanges` table, rows as
//!   Microsoft documents them (`properties.targetResourceId`, `changeType`,
//!   `changeAttributes.{changedBy, clientType, timestamp}`, `changes`).

use crate::client::{ArmClient, Outcome, ReadOnlyCall};
use crate::progress::Progress;
use erdiag_model::time::{unix_rfc3339, Unix};
use erdiag_model::ResourceId;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashSet};

/// Rows per page: the most `options.$top` allows.
pub const PAGE_SIZE: u32 = 1000;
/// Subscriptions (or management groups) per request.
pub const BATCH: usize = 1000;
/// The circuits, with every column a [`CircuitRecord`] reads.
pub const CIRCUITS_QUERY: &str = "Resources | where type =~ 'microsoft.network/expressroutecircuits' | project id, name, type, location, resourceGroup, subscriptionId, sku, properties, tags";
/// The ExpressRoute Direct ports.
pub const PORTS_QUERY: &str = "Resources | where type =~ 'microsoft.network/expressrouteports' | project id, name, type, location, resourceGroup, subscriptionId, sku, properties, tags";

/// Where to look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every subscription the credential can read in its tenant.
    Tenant,
    Subscriptions(Vec<String>),
    /// Management group names (ids).
    ManagementGroups(Vec<String>),
}

impl Scope {
    /// The requests' scopes: lists cut into batches of [`BATCH`].
    pub fn batches(&self) -> Vec<Scope> {
        match self {
            Scope::Tenant => vec![Scope::Tenant],
            Scope::Subscriptions(s) => s.chunks(BATCH).map(|c| Scope::Subscriptions(c.to_vec())).collect(),
            Scope::ManagementGroups(m) => m.chunks(BATCH).map(|c| Scope::ManagementGroups(c.to_vec())).collect(),
        }
    }
}

/// One ExpressRoute circuit as Resource Graph lists it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CircuitRecord {
    pub id: String,
    pub name: String,
    pub subscription: String,
    pub resource_group: String,
    pub location: String,
    /// `serviceProviderProperties.serviceProviderName` (none on ExpressRoute Direct).
    pub provider: Option<String>,
    /// `serviceProviderProperties.peeringLocation`, else `peeringLocation`;
    /// for an ExpressRoute Direct circuit without either, its port's (after
    /// [`discover`], when the port was listed).
    pub peering_location: Option<String>,
    /// `serviceProviderProperties.bandwidthInMbps`.
    pub bandwidth_mbps: Option<u32>,
    pub sku_tier: Option<String>,
    pub sku_family: Option<String>,
    /// `expressRoutePort.id`: the ExpressRoute Direct port of the circuit.
    pub port_id: Option<String>,
    /// `bandwidthInGbps` of a Direct circuit.
    pub bandwidth_gbps: Option<f64>,
    pub tags: BTreeMap<String, String>,
    /// `circuitProvisioningState` (`Enabled`).
    pub circuit_state: Option<String>,
    /// `serviceProviderProvisioningState` (`Provisioned`).
    pub provider_state: Option<String>,
}

/// One ExpressRoute Direct port.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PortRecord {
    pub id: String,
    pub name: String,
    pub subscription: String,
    pub location: String,
    pub peering_location: Option<String>,
    pub bandwidth_gbps: Option<f64>,
}

/// What discovery found.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Inventory {
    pub circuits: Vec<CircuitRecord>,
    pub ports: Vec<PortRecord>,
    /// Resource Graph pages read.
    pub pages: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    #[error("the Resource Graph query failed: {message}")]
    Query { status: Option<u16>, message: String },
    /// An answer that cannot be read, or that would leave the inventory short.
    #[error("Resource Graph answer (page {page} of the {what}): {path}: {message}")]
    Answer { what: &'static str, page: usize, path: String, message: String },
}

/// The body of one query request (`QueryRequest`).
pub fn query_request(scope: &Scope, query: &str, skip_token: Option<&str>) -> Value {
    let mut options = Map::new();
    options.insert("$top".into(), json!(PAGE_SIZE));
    options.insert("resultFormat".into(), json!("objectArray"));
    if let Some(t) = skip_token {
        options.insert("$skipToken".into(), json!(t));
    }
    let mut body = Map::new();
    match scope {
        Scope::Tenant => {}
        Scope::Subscriptions(s) => {
            body.insert("subscriptions".into(), json!(s));
        }
        Scope::ManagementGroups(m) => {
            body.insert("managementGroups".into(), json!(m));
        }
    }
    body.insert("query".into(), json!(query));
    body.insert("options".into(), Value::Object(options));
    Value::Object(body)
}

/// One page of an answer (`QueryResponse`), checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub total_records: u64,
    pub count: u64,
    pub skip_token: Option<String>,
    pub rows: Vec<Value>,
}

/// Where in an answer something is wrong, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerError {
    pub path: String,
    pub message: String,
}

fn answer_error(path: impl Into<String>, message: impl Into<String>) -> AnswerError {
    AnswerError { path: path.into(), message: message.into() }
}

/// Reads a `QueryResponse` body.
pub fn read_page(body: &Value) -> Result<Page, AnswerError> {
    let Some(obj) = body.as_object() else {
        return Err(answer_error("$", "is not a JSON object"));
    };
    let number = |name: &str| obj.get(name).and_then(Value::as_u64).ok_or_else(|| answer_error(name, "is missing or not a whole number"));
    let total_records = number("totalRecords")?;
    let count = number("count")?;
    match obj.get("resultTruncated") {
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => {}
        Some(Value::Bool(false)) => {}
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => return Err(answer_error("resultTruncated", "is \"true\": Resource Graph truncated the result")),
        Some(Value::Bool(true)) => return Err(answer_error("resultTruncated", "is true: Resource Graph truncated the result")),
        _ => return Err(answer_error("resultTruncated", "is missing or not \"true\"/\"false\"")),
    }
    let skip_token = match obj.get("$skipToken") {
        None | Some(Value::Null) => None,
        Some(Value::String(t)) if !t.is_empty() => Some(t.clone()),
        Some(_) => return Err(answer_error("$skipToken", "is not a non-empty string")),
    };
    let rows = match obj.get("data") {
        Some(Value::Array(rows)) => rows.clone(),
        Some(_) => return Err(answer_error("data", "is not an array of rows (resultFormat objectArray)")),
        None => return Err(answer_error("data", "is missing")),
    };
    if count != rows.len() as u64 {
        return Err(answer_error("count", format!("says {count} rows, data holds {}", rows.len())));
    }
    Ok(Page { total_records, count, skip_token, rows })
}

/// A property by name, ASCII case-insensitively, as ARM's clients read them.
fn field<'a>(v: &'a Value, name: &str) -> Option<&'a Value> {
    let o = v.as_object()?;
    o.get(name).or_else(|| o.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v))
}

fn at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, name| field(v, name)).filter(|v| !v.is_null())
}

/// An optional string at `path` of the row; another type is an error naming it.
fn text(row: &Value, path: &[&str]) -> Result<Option<String>, AnswerError> {
    match at(row, path) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(answer_error(path.join("."), "is not a string")),
    }
}

fn number(row: &Value, path: &[&str]) -> Result<Option<f64>, AnswerError> {
    match at(row, path) {
        None => Ok(None),
        Some(Value::Number(n)) => Ok(n.as_f64()),
        // ARM sometimes writes numbers as strings.
        Some(Value::String(s)) => s.trim().parse::<f64>().map(Some).map_err(|_| answer_error(path.join("."), "is not a number")),
        Some(_) => Err(answer_error(path.join("."), "is not a number")),
    }
}

/// The id and what it names: subscription, resource group, name.
fn identity(row: &Value) -> Result<(String, ResourceId), AnswerError> {
    let id = text(row, &["id"])?.ok_or_else(|| answer_error("id", "is missing"))?;
    let rid = ResourceId::parse(&id).map_err(|e| answer_error("id", format!("is not an ARM resource id: {e}")))?;
    Ok((id, rid))
}

/// A circuit row (`CIRCUITS_QUERY`'s columns).
pub fn circuit_record(row: &Value) -> Result<CircuitRecord, AnswerError> {
    let (id, rid) = identity(row)?;
    let sp = |name: &'static str| ["properties", "serviceProviderProperties", name];
    let bandwidth_mbps = match number(row, &sp("bandwidthInMbps"))? {
        Some(n) if n >= 0.0 && n <= f64::from(u32::MAX) && n.fract() == 0.0 => Some(n as u32),
        Some(_) => return Err(answer_error(sp("bandwidthInMbps").join("."), "is not a whole number of Mbps")),
        None => None,
    };
    let tags = match at(row, &["tags"]) {
        None => BTreeMap::new(),
        Some(Value::Object(m)) => m.iter().map(|(k, v)| (k.clone(), v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()))).collect(),
        Some(_) => return Err(answer_error("tags", "is not an object")),
    };
    Ok(CircuitRecord {
        name: text(row, &["name"])?.unwrap_or_else(|| rid.last().to_string()),
        subscription: text(row, &["subscriptionId"])?.unwrap_or_else(|| rid.subscription().to_string()),
        resource_group: text(row, &["resourceGroup"])?.or_else(|| rid.resource_group().map(str::to_string)).unwrap_or_default(),
        location: text(row, &["location"])?.ok_or_else(|| answer_error("location", "is missing"))?,
        provider: text(row, &sp("serviceProviderName"))?,
        peering_location: text(row, &sp("peeringLocation"))?.or(text(row, &["properties", "peeringLocation"])?),
        bandwidth_mbps,
        sku_tier: text(row, &["sku", "tier"])?,
        sku_family: text(row, &["sku", "family"])?,
        port_id: text(row, &["properties", "expressRoutePort", "id"])?,
        bandwidth_gbps: number(row, &["properties", "bandwidthInGbps"])?,
        tags,
        circuit_state: text(row, &["properties", "circuitProvisioningState"])?,
        provider_state: text(row, &["properties", "serviceProviderProvisioningState"])?,
        id,
    })
}

/// A port row (`PORTS_QUERY`'s columns).
pub fn port_record(row: &Value) -> Result<PortRecord, AnswerError> {
    let (id, rid) = identity(row)?;
    Ok(PortRecord {
        name: text(row, &["name"])?.unwrap_or_else(|| rid.last().to_string()),
        subscription: text(row, &["subscriptionId"])?.unwrap_or_else(|| rid.subscription().to_string()),
        location: text(row, &["location"])?.ok_or_else(|| answer_error("location", "is missing"))?,
        peering_location: text(row, &["properties", "peeringLocation"])?,
        bandwidth_gbps: number(row, &["properties", "bandwidthInGbps"])?,
        id,
    })
}

/// Reads every page of one query over one batch.
struct Pager<'a> {
    client: &'a ArmClient,
    progress: &'a dyn Progress,
    pages: usize,
}

impl Pager<'_> {
    async fn rows(&mut self, scope: &Scope, what: &'static str, query: &str) -> Result<Vec<(usize, usize, Value)>, GraphError> {
        let mut rows = Vec::new();
        let mut token: Option<String> = None;
        let mut seen_tokens = HashSet::new();
        let mut page_no = 0usize;
        loop {
            page_no += 1;
            let id = self.pages;
            self.pages += 1;
            self.progress.start(id, &format!("Resource Graph: {what}, page {page_no}"));
            let call = ReadOnlyCall::resource_graph(&query_request(scope, query, token.as_deref()));
            let (outcome, headers) = self.client.call_with_headers(&call, id, self.progress).await;
            self.progress.finish(id, matches!(outcome, Outcome::Ok(_)), &outcome.summary());
            let body = match outcome {
                Outcome::Ok(v) => v,
                failed @ Outcome::Failed { status, .. } => return Err(GraphError::Query { status, message: failed.summary() }),
            };
            let wrong = |e: AnswerError| GraphError::Answer { what, page: page_no, path: e.path, message: e.message };
            if let Some(h) = &headers {
                if h.get("x-ms-tenant-subscription-limit-hit").and_then(|v| v.to_str().ok()).is_some_and(|v| v.trim().eq_ignore_ascii_case("true")) {
                    return Err(wrong(answer_error("x-ms-tenant-subscription-limit-hit", "the scope holds more subscriptions than Resource Graph answers for: name them with --subscription")));
                }
            }
            let page = read_page(&body).map_err(wrong)?;
            rows.extend(page.rows.into_iter().enumerate().map(|(i, r)| (page_no, i, r)));
            match page.skip_token {
                Some(t) if page.count == 0 => return Err(wrong(answer_error("$skipToken", format!("an empty page names a next page ({t})")))),
                Some(t) if !seen_tokens.insert(t.clone()) => return Err(wrong(answer_error("$skipToken", "repeats an earlier page's token"))),
                Some(t) => token = Some(t),
                None if (rows.len() as u64) < page.total_records => {
                    return Err(wrong(answer_error("$skipToken", format!("is missing, but only {} of totalRecords {} rows arrived", rows.len(), page.total_records))));
                }
                None => break,
            }
        }
        Ok(rows)
    }
}

/// Finds every ExpressRoute circuit and port in the scope.
pub async fn discover(client: &ArmClient, scope: &Scope, progress: &dyn Progress) -> Result<Inventory, GraphError> {
    let mut pager = Pager { client, progress, pages: 0 };
    let mut inventory = Inventory::default();
    let mut ids = HashSet::new();
    for batch in scope.batches() {
        for (page, i, row) in pager.rows(&batch, "circuits", CIRCUITS_QUERY).await? {
            let c = circuit_record(&row).map_err(|e| GraphError::Answer { what: "circuits", page, path: format!("data[{i}].{}", e.path), message: e.message })?;
            // Nested management groups may list a circuit twice.
            if ids.insert(c.id.to_ascii_lowercase()) {
                inventory.circuits.push(c);
            }
        }
        for (page, i, row) in pager.rows(&batch, "ports", PORTS_QUERY).await? {
            let p = port_record(&row).map_err(|e| GraphError::Answer { what: "ports", page, path: format!("data[{i}].{}", e.path), message: e.message })?;
            if ids.insert(p.id.to_ascii_lowercase()) {
                inventory.ports.push(p);
            }
        }
    }
    inventory.pages = pager.pages;
    for c in inventory.circuits.iter_mut().filter(|c| c.peering_location.is_none()) {
        let port = c.port_id.as_deref().and_then(|id| inventory.ports.iter().find(|p| p.id.eq_ignore_ascii_case(id)));
        c.peering_location = port.and_then(|p| p.peering_location.clone());
    }
    Ok(inventory)
}

/// The `resourcechanges` query of the resources `ids` (and the peerings
/// under `circuit_id`) changed within (`from`, `to`], newest first.
pub fn resource_changes_query(circuit_id: &str, ids: &[String], from: Unix, to: Unix) -> String {
    let quote = |s: &str| format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"));
    let list: Vec<String> = ids.iter().map(|i| quote(i)).collect();
    format!(
        "resourcechanges | extend changeTime = todatetime(properties.changeAttributes.timestamp), targetResourceId = tostring(properties.targetResourceId) \
         | where changeTime > datetime({}) and changeTime <= datetime({}) \
         | where targetResourceId in~ ({}) or targetResourceId startswith {} \
         | order by changeTime desc | project id, properties",
        unix_rfc3339(from),
        unix_rfc3339(to),
        list.join(", "),
        quote(&format!("{}/peerings/", circuit_id.trim_end_matches('/'))),
    )
}

/// Every `resourcechanges` row of [`resource_changes_query`], read page by
/// page over the subscriptions of `ids`. Progress ids start at `first_id`;
/// returns the rows and the number of pages read.
pub async fn resource_changes(client: &ArmClient, circuit_id: &str, ids: &[String], from: Unix, to: Unix, first_id: usize, progress: &dyn Progress) -> Result<(Vec<Value>, usize), GraphError> {
    let mut subs: Vec<String> = Vec::new();
    for id in ids {
        if let Ok(r) = ResourceId::parse(id) {
            if !subs.iter().any(|s| s.eq_ignore_ascii_case(r.subscription())) {
                subs.push(r.subscription().to_string());
            }
        }
    }
    let mut pager = Pager { client, progress, pages: first_id };
    let query = resource_changes_query(circuit_id, ids, from, to);
    let rows = pager.rows(&Scope::Subscriptions(subs), "resource changes", &query).await?;
    Ok((rows.into_iter().map(|(_, _, r)| r).collect(), pager.pages - first_id))
}

/// `erdiag fleet`'s narrowing of the circuits: every non-empty list must
/// match (tags all of them, the others any of their values), ASCII
/// case-insensitively.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// `--tag k=v`: the circuit carries every one.
    pub tags: Vec<(String, String)>,
    pub resource_groups: Vec<String>,
    /// `--name`: globs with `*` and `?`.
    pub names: Vec<String>,
    /// Azure region names; `West Europe` and `westeurope` are the same.
    pub locations: Vec<String>,
    pub providers: Vec<String>,
    /// Circuits named by their ARM id (`erdiag watch --id`, `-g -n`): any of them.
    pub ids: Vec<String>,
}

fn region_name(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase()
}

impl Filter {
    pub fn matches(&self, c: &CircuitRecord) -> bool {
        let any = |wanted: &[String], f: &dyn Fn(&str) -> bool| wanted.is_empty() || wanted.iter().any(|w| f(w));
        self.tags.iter().all(|(k, v)| c.tags.iter().any(|(ck, cv)| ck.eq_ignore_ascii_case(k) && cv.eq_ignore_ascii_case(v)))
            && any(&self.resource_groups, &|rg| rg.eq_ignore_ascii_case(&c.resource_group))
            && any(&self.names, &|g| glob(g, &c.name))
            && any(&self.locations, &|l| region_name(l) == region_name(&c.location))
            && any(&self.providers, &|p| c.provider.as_deref().is_some_and(|cp| cp.eq_ignore_ascii_case(p)))
            && any(&self.ids, &|id| id.trim_end_matches('/').eq_ignore_ascii_case(&c.id))
    }
}

/// Whether `text` matches the glob `pattern` (`*` any run, `?` one
/// character), ASCII case-insensitively. Linear backtracking to the last `*`.
pub fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().map(|c| c.to_ascii_lowercase()).collect();
    let t: Vec<char> = text.chars().map(|c| c.to_ascii_lowercase()).collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == '?' || c == t[ti] => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                // Let the last `*` take one more character.
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_resource_changes_query_names_the_window_and_quotes_the_ids() {
        let q = resource_changes_query("/s/c", &["/s/c".into(), "/s/it's".into()], 1_763_719_200, 1_763_722_800);
        assert!(q.starts_with("resourcechanges |"), "{q}");
        assert!(q.contains("changeTime > datetime(2025-11-21T10:00:00Z) and changeTime <= datetime(2025-11-21T11:00:00Z)"), "{q}");
        assert!(q.contains(r"in~ ('/s/c', '/s/it\'s')"), "{q}");
        assert!(q.contains("startswith '/s/c/peerings/'"), "{q}");
    }

    #[test]
    fn globs() {
        assert!(glob("er-*-weu", "ER-prod-WEU"));
        assert!(glob("er-?", "er-1"));
        assert!(!glob("er-?", "er-12"));
        assert!(glob("*", ""));
        assert!(glob("**a*", "bab"));
        assert!(!glob("a*b", "acbx"));
        assert!(glob("a*b*c", "aXbYbZc"));
    }

    /// The definition, recursively: the reference the fast one must agree with.
    fn glob_reference(p: &[char], t: &[char]) -> bool {
        match p.split_first() {
            None => t.is_empty(),
            Some(('*', rest)) => (0..=t.len()).any(|i| glob_reference(rest, &t[i..])),
            Some((c, rest)) => t.split_first().is_some_and(|(tc, trest)| (*c == '?' || c.eq_ignore_ascii_case(tc)) && glob_reference(rest, trest)),
        }
    }

    proptest::proptest! {
        #[test]
        fn glob_agrees_with_its_definition(p in "[ab*?]{0,8}", t in "[abAB]{0,10}") {
            let (pc, tc): (Vec<char>, Vec<char>) = (p.chars().collect(), t.chars().collect());
            proptest::prop_assert_eq!(glob(&p, &t), glob_reference(&pc, &tc));
        }

        #[test]
        fn a_name_matches_itself_and_its_wildcards(name in "[a-zA-Z0-9-]{1,20}", at in 0usize..20, len in 0usize..5) {
            let lower = name.to_ascii_lowercase();
            proptest::prop_assert!(glob(&name, &lower));
            let chars: Vec<char> = name.chars().collect();
            let (a, b) = (at.min(chars.len()), (at + len).min(chars.len()));
            let star: String = chars[..a].iter().chain(['*'].iter()).chain(chars[b..].iter()).collect();
            proptest::prop_assert!(glob(&star, &name), "{} ~ {}", star, name);
            let q: String = chars.iter().enumerate().map(|(i, c)| if i == a { '?' } else { *c }).collect();
            proptest::prop_assert!(glob(&q, &name), "{} ~ {}", q, name);
        }
    }

    #[test]
    fn batches_of_a_thousand() {
        let subs: Vec<String> = (0..2_345).map(|i| format!("s{i}")).collect();
        let b = Scope::Subscriptions(subs).batches();
        assert_eq!(b.iter().map(|s| if let Scope::Subscriptions(v) = s { v.len() } else { 0 }).collect::<Vec<_>>(), [1000, 1000, 345]);
        assert_eq!(Scope::Tenant.batches(), [Scope::Tenant]);
    }
}
