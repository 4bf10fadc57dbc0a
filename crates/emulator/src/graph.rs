//! Azure Resource Graph (`POST /providers/Microsoft.ResourceGraph/resources`,
//! api-version 2024-04-01), as its REST specification
//! (`resourcegraph.json`, `QueryRequest` → `QueryResponse`) and its
//! throttling documentation describe it, over the backend's top-level
//! resources:
//!
//! - the body: `query` (required), `subscriptions` or `managementGroups` (or
//!   neither: every subscription the emulator holds), `options` (`$top`
//!   1..=1000, default 100; `$skip`; `$skipToken`; `resultFormat`
//!   `objectArray` or `table`); anything else in it is refused with ARG's
//!   400 (`BadRequest`, with a detail code), and so are `facets`, which the
//!   emulator does not compute (an empty answer would be a wrong one);
//! - the query: `Resources`, then `where` clauses (`field =~|==|!=|!~|contains 'value'`
//!   joined by `and`, on a row's field or a dotted path under it), `project`,
//!   `order by`, `limit`/`take`. Anything else is ARG's 400 `InvalidQuery`:
//!   the emulator does not guess what a query it does not understand means;
//! - `resourcechanges`: the one query erdiag sends for who changed a circuit
//!   and its connections and gateways ([`ChangesQuery`]), answered from the
//!   rows a snapshot holds under `{circuit}/providers/Microsoft.ResourceGraph/resourceChanges`;
//! - rows ARG-shaped (`id, name, type, tenantId, kind, location,
//!   resourceGroup, subscriptionId, managedBy, sku, plan, properties, tags,
//!   identity, zones, extendedLocation`; `type` and `resourceGroup` in lower
//!   case), sorted by id, so that pages are stable;
//! - paging: `$skipToken` is opaque (the offset and a hash of the query and
//!   its scope); a token given with another query or scope is a 400;
//! - the per-caller quota: 15 requests per 5-second window, the caller being
//!   the token's `oid` (else `appid`, else everyone without one);
//!   `x-ms-user-quota-remaining` and `x-ms-user-quota-resets-after`
//!   (`hh:mm:ss`) on every answer, 429 with `Retry-After` once it is spent.

use crate::backend::{Backend, Lookup};
use crate::identity::{token_claim, DEFAULT_TENANT_ID};
use crate::path::{resource_id, subscription_of};
use crate::reply::Reply;
use crate::util::{base64url, base64url_decode};
use axum::http::HeaderMap;
use erdiag_model::normalize_path;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// ARG's default page size, and its maximum.
const DEFAULT_TOP: u64 = 100;
const MAX_TOP: u64 = 1000;
/// Callers whose quota windows are kept before the past ones are dropped.
const MAX_CALLERS: usize = 10_000;

/// Requests a caller may make per window: ARG's default quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GraphQuota {
    pub requests: u32,
    pub window: Duration,
}

impl Default for GraphQuota {
    fn default() -> Self {
        GraphQuota { requests: 15, window: Duration::from_secs(5) }
    }
}

/// A management group and the subscriptions under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagementGroup {
    pub name: String,
    pub subscriptions: Vec<String>,
}

/// Resource Graph's state: the quota windows of the callers seen.
pub(crate) struct Graph {
    pub quota: GraphQuota,
    pub groups: Vec<ManagementGroup>,
    windows: Mutex<HashMap<String, (Instant, u32)>>,
}

impl Graph {
    pub(crate) fn new(quota: GraphQuota, groups: Vec<ManagementGroup>) -> Graph {
        Graph { quota, groups, windows: Mutex::new(HashMap::new()) }
    }

    /// Counts one request of `caller` at `now`: the quota left after it and
    /// the time until the window resets, or `Err` with that time when spent.
    fn spend(&self, caller: &str, now: Instant) -> Result<(u32, Duration), Duration> {
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        // Callers are named by their tokens: past windows are forgotten, so
        // that tokens of ever new callers cannot grow the table without end.
        if windows.len() >= MAX_CALLERS {
            let window = self.quota.window;
            windows.retain(|_, (start, _)| now.saturating_duration_since(*start) < window);
        }
        let window = windows.entry(caller.to_string()).or_insert((now, 0));
        if now.saturating_duration_since(window.0) >= self.quota.window {
            *window = (now, 0);
        }
        let resets = self.quota.window.saturating_sub(now.saturating_duration_since(window.0));
        if window.1 >= self.quota.requests {
            return Err(resets);
        }
        window.1 += 1;
        Ok((self.quota.requests - window.1, resets))
    }
}

/// Whole seconds, rounded up, at least 1.
fn whole_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

fn hms(d: Duration) -> String {
    let s = whole_secs(d);
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// ARG's error: a generic top-level code and the specific one in `details`.
fn graph_error(status: u16, code: &str, detail_code: &str, message: impl Into<String>) -> Reply {
    let message = message.into();
    Reply::json(
        status,
        &json!({ "error": {
            "code": code,
            "message": format!("Please provide below info when asking for support: timestamp = {}, correlationId = {}.", erdiag_model::time::rfc3339(std::time::SystemTime::now()), crate::util::guid()),
            "details": [{ "code": detail_code, "message": message }],
        }}),
    )
}

fn bad_request(detail_code: &str, message: impl Into<String>) -> Reply {
    graph_error(400, "BadRequest", detail_code, message)
}

/// Answers one Resource Graph request (any method; only POST is served).
pub(crate) fn answer(graph: &Graph, backend: &dyn Backend, is_post: bool, headers: &HeaderMap, body: &[u8], now: Instant) -> Reply {
    let caller = token_claim(headers, "oid").or_else(|| token_claim(headers, "appid")).unwrap_or_default();
    match graph.spend(&caller, now) {
        Err(resets) => graph_error(
            429,
            "RateLimiting",
            "RateLimiting",
            "Client application has been throttled and should not attempt to repeat the request until an amount of time has elapsed. Please see https://aka.ms/resourcegraph-throttling for help.",
        )
        .header("retry-after", whole_secs(resets).max(1).to_string())
        .header("x-ms-user-quota-remaining", "0")
        .header("x-ms-user-quota-resets-after", hms(resets)),
        Ok((remaining, resets)) => {
            let reply = if is_post {
                query(graph, backend, headers, body)
            } else {
                Reply::arm_error(405, "MethodNotAllowed", "Resource Graph queries are POST requests.").header("allow", "POST")
            };
            reply.header("x-ms-user-quota-remaining", remaining.to_string()).header("x-ms-user-quota-resets-after", hms(resets))
        }
    }
}

/// The request body, validated as `QueryRequest`.
struct Request {
    query: String,
    subscriptions: Option<Vec<String>>,
    groups: Option<Vec<String>>,
    top: u64,
    skip: Option<u64>,
    token: Option<String>,
    table: bool,
}

fn request(body: &[u8]) -> Result<Request, Reply> {
    let v: Value = serde_json::from_slice(body)
        .map_err(|e| bad_request("InvalidRequestContent", format!("The request content is not valid JSON: {e}.")))?;
    let Value::Object(o) = &v else { return Err(bad_request("InvalidRequestContent", "The request content must be a JSON object.")) };
    let query = match o.get("query") {
        Some(Value::String(q)) if !q.trim().is_empty() => q.clone(),
        _ => return Err(bad_request("InvalidRequestContent", "The 'query' property is required and must be a non-empty string.")),
    };
    let strings = |name: &str| -> Result<Option<Vec<String>>, Reply> {
        match o.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|i| i.as_str().map(str::to_string).ok_or_else(|| bad_request("InvalidRequestContent", format!("'{name}' must be an array of strings."))))
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(_) => Err(bad_request("InvalidRequestContent", format!("'{name}' must be an array of strings."))),
        }
    };
    if o.get("facets").and_then(Value::as_array).is_some_and(|f| !f.is_empty()) {
        return Err(bad_request("InvalidRequestContent", "The erdiag emulator does not compute facets: send the query without them."));
    }
    let subscriptions = strings("subscriptions")?;
    let groups = strings("managementGroups")?;
    let options = match o.get("options") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => return Err(bad_request("InvalidRequestContent", "'options' must be an object.")),
    };
    let number = |name: &str, min: u64, max: u64| -> Result<Option<u64>, Reply> {
        match options.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(n) => n.as_u64().filter(|n| (min..=max).contains(n)).map(Some).ok_or_else(|| {
                bad_request("InvalidRequestContent", format!("The value of options.{name} must be an integer between {min} and {max}; found {n}."))
            }),
        }
    };
    let top = number("$top", 1, MAX_TOP)?.unwrap_or(DEFAULT_TOP);
    let skip = number("$skip", 0, i32::MAX as u64)?;
    let token = match options.get("$skipToken") {
        None | Some(Value::Null) => None,
        Some(Value::String(t)) => Some(t.clone()),
        Some(_) => return Err(bad_request("InvalidRequestContent", "options.$skipToken must be a string.")),
    };
    let table = match options.get("resultFormat").map(|f| f.as_str()) {
        None | Some(Some("objectArray")) => false,
        Some(Some("table")) => true,
        Some(other) => {
            return Err(bad_request(
                "InvalidRequestContent",
                format!("options.resultFormat must be 'table' or 'objectArray'; found {}.", other.unwrap_or("a non-string")),
            ))
        }
    };
    Ok(Request { query, subscriptions, groups, top, skip, token, table })
}

/// One `where` condition.
#[derive(Debug, Clone, PartialEq)]
struct Condition {
    field: String,
    op: Op,
    value: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    /// `=~`: equal ignoring case.
    EqCi,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `!~`
    NeCi,
    /// `contains`: a substring, ignoring case.
    Contains,
}

/// The query, as the emulator understands KQL.
#[derive(Debug, Clone, Default, PartialEq)]
struct Query {
    conditions: Vec<Condition>,
    project: Option<Vec<String>>,
    order: Option<(String, bool)>,
    limit: Option<usize>,
}

fn invalid(message: impl Into<String>) -> Reply {
    bad_request("InvalidQuery", format!("Query is invalid: {}", message.into()))
}

/// Splits on `sep` outside quotes.
fn split_outside_quotes<'a>(text: &'a str, sep: &str) -> Vec<&'a str> {
    let mut parts = Vec::new();
    let (mut start, mut quote) = (0, None::<char>);
    let mut i = 0;
    while i < text.len() {
        let c = text[i..].chars().next().unwrap_or(' ');
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if text[i..].starts_with(sep) => {
                parts.push(&text[start..i]);
                i += sep.len();
                start = i;
                continue;
            }
            None => {}
        }
        i += c.len_utf8();
    }
    parts.push(&text[start..]);
    parts
}

fn is_field(f: &str) -> bool {
    !f.is_empty() && f.split('.').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
}

fn parse_query(text: &str) -> Result<Query, Reply> {
    let stages = split_outside_quotes(text, "|");
    let table = stages[0].trim();
    if !table.eq_ignore_ascii_case("resources") {
        return Err(invalid(format!("the erdiag emulator serves the table 'Resources' only, not '{table}'.")));
    }
    let mut q = Query::default();
    for stage in &stages[1..] {
        let stage = stage.trim();
        let (op, rest) = stage.split_once(char::is_whitespace).unwrap_or((stage, ""));
        let rest = rest.trim();
        match op.to_ascii_lowercase().as_str() {
            "where" => {
                for cond in split_outside_quotes(rest, " and ") {
                    q.conditions.push(condition(cond.trim())?);
                }
            }
            "project" => {
                let fields: Vec<String> = rest.split(',').map(|f| f.trim().to_string()).collect();
                if let Some(bad) = fields.iter().find(|f| !is_field(f) || f.contains('.')) {
                    return Err(invalid(format!("'project' takes column names; '{bad}' is not one the erdiag emulator understands.")));
                }
                q.project = Some(fields);
            }
            "order" | "sort" => {
                let by = rest.strip_prefix("by ").or_else(|| rest.strip_prefix("BY ")).ok_or_else(|| invalid(format!("'{stage}' lacks 'by'.")))?;
                let mut words = by.split_whitespace();
                let field = words.next().filter(|f| is_field(f)).ok_or_else(|| invalid(format!("'{stage}' names no column.")))?;
                let asc = match words.next().map(str::to_ascii_lowercase).as_deref() {
                    None | Some("desc") => false,
                    Some("asc") => true,
                    Some(other) => return Err(invalid(format!("'{other}' is not asc or desc."))),
                };
                q.order = Some((field.to_string(), asc));
            }
            "limit" | "take" => {
                q.limit = Some(rest.parse().map_err(|_| invalid(format!("'{stage}' needs a row count.")))?);
            }
            _ => return Err(invalid(format!("the operator '{op}' is not one the erdiag emulator understands (where, project, order by, limit, take)."))),
        }
    }
    Ok(q)
}

fn condition(text: &str) -> Result<Condition, Reply> {
    for (token, op) in [("=~", Op::EqCi), ("==", Op::Eq), ("!=", Op::Ne), ("!~", Op::NeCi), (" contains ", Op::Contains)] {
        if let Some((field, value)) = text.split_once(token) {
            let field = field.trim();
            let value = value.trim();
            let quoted = value.len() >= 2
                && ((value.starts_with('\'') && value.ends_with('\'')) || (value.starts_with('"') && value.ends_with('"')));
            if !is_field(field) || !quoted {
                continue;
            }
            return Ok(Condition { field: field.to_string(), op, value: value[1..value.len() - 1].to_string() });
        }
    }
    Err(invalid(format!("the condition '{text}' is not `column =~ 'value'` (or ==, !=, !~, contains).")))
}

/// A dotted path in a row, as a string when it is one (else its JSON text).
fn field<'a>(row: &'a Value, path: &str) -> Option<std::borrow::Cow<'a, str>> {
    let v = path.split('.').try_fold(row, |v, key| {
        v.as_object().and_then(|o| o.get(key).or_else(|| o.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v)))
    })?;
    match v {
        Value::String(s) => Some(std::borrow::Cow::Borrowed(s)),
        Value::Null => None,
        other => Some(std::borrow::Cow::Owned(other.to_string())),
    }
}

impl Condition {
    fn holds(&self, row: &Value) -> bool {
        let have = field(row, &self.field);
        let have = have.as_deref().unwrap_or("");
        match self.op {
            Op::EqCi => have.eq_ignore_ascii_case(&self.value),
            Op::Eq => have == self.value,
            Op::Ne => have != self.value,
            Op::NeCi => !have.eq_ignore_ascii_case(&self.value),
            Op::Contains => have.to_ascii_lowercase().contains(&self.value.to_ascii_lowercase()),
        }
    }
}

/// A top-level resource as an ARG row.
fn row(id: &str, body: &Value, tenant: &str) -> Option<Value> {
    let r = resource_id(id)?;
    let get = |k: &str| body.get(k).cloned().unwrap_or(Value::Null);
    let type_ = body.get("type").and_then(Value::as_str).map(str::to_string).or(r.provider_type())?;
    Some(json!({
        "id": id,
        "name": body.get("name").and_then(Value::as_str).or(r.name()).unwrap_or_default(),
        "type": type_.to_ascii_lowercase(),
        "tenantId": tenant,
        "kind": body.get("kind").cloned().unwrap_or(json!("")),
        "location": body.get("location").cloned().unwrap_or(json!("")),
        "resourceGroup": r.resource_group().unwrap_or_default().to_ascii_lowercase(),
        "subscriptionId": r.subscription(),
        "managedBy": body.get("managedBy").cloned().unwrap_or(json!("")),
        "sku": get("sku"),
        "plan": get("plan"),
        "properties": body.get("properties").cloned().unwrap_or(json!({})),
        "tags": body.get("tags").cloned().unwrap_or(json!({})),
        "identity": get("identity"),
        "zones": get("zones"),
        "extendedLocation": get("extendedLocation"),
    }))
}

/// A 64-bit FNV-1a hash: a page token names the query it belongs to.
fn fnv(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain([0xff]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

fn token(offset: usize, hash: u64) -> String {
    base64url(format!("{{\"o\":{offset},\"q\":\"{hash:016x}\"}}").as_bytes())
}

fn token_offset(token: &str, hash: u64) -> Option<usize> {
    let v: Value = serde_json::from_slice(&base64url_decode(token.trim_end_matches('='))?).ok()?;
    (v.get("q")?.as_str()? == format!("{hash:016x}")).then_some(())?;
    usize::try_from(v.get("o")?.as_u64()?).ok()
}

/// The subscriptions in scope, as written by the backend, or ARG's error.
fn scope(graph: &Graph, backend: &dyn Backend, req: &Request, tenant: &str) -> Result<Vec<String>, Reply> {
    let known = backend.scopes();
    match (&req.subscriptions, &req.groups) {
        (Some(_), Some(_)) => Err(bad_request("InvalidRequestContent", "Give either 'subscriptions' or 'managementGroups', not both.")),
        (Some(subs), None) => Ok(subs.iter().filter_map(|s| known.sub(s).cloned()).collect()),
        (None, Some(groups)) => {
            let mut out: Vec<String> = Vec::new();
            for g in groups {
                let subs: Vec<String> = if g.eq_ignore_ascii_case(tenant) {
                    known.subs.clone()
                } else if let Some(group) = graph.groups.iter().find(|m| m.name.eq_ignore_ascii_case(g)) {
                    group.subscriptions.clone()
                } else {
                    return Err(graph_error(
                        403,
                        "AuthorizationFailed",
                        "AuthorizationFailed",
                        format!("The client does not have authorization to perform action 'Microsoft.Management/managementGroups/read' over scope '/providers/Microsoft.Management/managementGroups/{g}' or the scope is invalid."),
                    ));
                };
                for s in subs {
                    if !out.iter().any(|o| o.eq_ignore_ascii_case(&s)) {
                        out.push(s);
                    }
                }
            }
            Ok(out)
        }
        (None, None) => Ok(known.subs.clone()),
    }
}

fn query(graph: &Graph, backend: &dyn Backend, headers: &HeaderMap, body: &[u8]) -> Reply {
    let req = match request(body) {
        Ok(r) => r,
        Err(reply) => return reply,
    };
    let changes = match ChangesQuery::parse(&req.query) {
        Ok(c) => c,
        Err(reply) => return reply,
    };
    let q = match &changes {
        Some(_) => Query::default(),
        None => match parse_query(&req.query) {
            Ok(q) => q,
            Err(reply) => return reply,
        },
    };
    let tenant = crate::identity::token_tenant(headers).unwrap_or_else(|| DEFAULT_TENANT_ID.to_string());
    let mut subs = match scope(graph, backend, &req, &tenant) {
        Ok(s) => s,
        Err(reply) => return reply,
    };
    subs.iter_mut().for_each(|s| s.make_ascii_lowercase());
    subs.sort();
    let hash = fnv(&[&req.query, &subs.join(","), if req.table { "table" } else { "objectArray" }]);
    let mut offset = match &req.token {
        Some(t) => match token_offset(t, hash) {
            Some(o) => o,
            None => {
                return bad_request("InvalidSkipToken", "The $skipToken is not valid for this query and scope: pass it with the query and the scopes it was returned with.")
            }
        },
        None => 0,
    };
    if let Some(skip) = req.skip {
        offset = skip as usize;
    }

    let mut rows: Vec<Value> = Vec::new();
    for id in backend.resource_ids() {
        let in_scope = subscription_of(&id).is_some_and(|s| subs.binary_search(&s.to_ascii_lowercase()).is_ok());
        if let Some(c) = &changes {
            if in_scope {
                rows.extend(c.rows(backend, &id));
            }
            continue;
        }
        if !in_scope || !resource_id(&id).is_some_and(|r| r.is_top_level()) {
            continue;
        }
        let Lookup::Found(body) = backend.get(&normalize_path(&id)) else { continue };
        if let Some(r) = row(&id, &body, &tenant) {
            if q.conditions.iter().all(|c| c.holds(&r)) {
                rows.push(r);
            }
        }
    }
    if changes.is_none() {
        rows.sort_by_cached_key(|r| r["id"].as_str().unwrap_or_default().to_ascii_lowercase());
    }
    if let Some((f, asc)) = &q.order {
        rows.sort_by_cached_key(|r| field(r, f).map(|s| s.to_ascii_lowercase()).unwrap_or_default());
        if !asc {
            rows.reverse();
        }
    }
    if let Some(limit) = q.limit {
        rows.truncate(limit);
    }
    let total = rows.len();
    let page: Vec<Value> = rows.into_iter().skip(offset).take(req.top as usize).collect();
    let count = page.len();
    let columns: Vec<String> = match &q.project {
        Some(p) => p.clone(),
        None => page.first().and_then(Value::as_object).map(|o| o.keys().cloned().collect()).unwrap_or_default(),
    };
    let project = |r: &Value| -> Map<String, Value> {
        columns.iter().map(|c| (c.clone(), field_value(r, c))).collect()
    };
    let data = if req.table {
        let types: Vec<Value> = columns
            .iter()
            .map(|c| {
                let kind = match page.first().map(|r| field_value(r, c)) {
                    Some(Value::Object(_)) => "object",
                    Some(Value::Array(_)) => "array",
                    Some(Value::Number(_)) => "integer",
                    Some(Value::Bool(_)) => "boolean",
                    _ => "string",
                };
                json!({ "name": c, "type": kind })
            })
            .collect();
        let table_rows: Vec<Value> = page.iter().map(|r| Value::Array(columns.iter().map(|c| field_value(r, c)).collect())).collect();
        json!({ "columns": types, "rows": table_rows })
    } else {
        Value::Array(page.iter().map(|r| Value::Object(project(r))).collect())
    };
    let mut out = json!({
        "totalRecords": total,
        "count": count,
        "resultTruncated": "false",
        "facets": [],
        "data": data,
    });
    if offset.saturating_add(count) < total {
        out["$skipToken"] = json!(token(offset + count, hash));
    }
    Reply::json(200, &out)
}

/// The `resourcechanges` query erdiag sends (`erdiag_azure::graph::resource_changes_query`):
/// the window `changeTime > datetime(FROM) and changeTime <= datetime(TO)`, the
/// resources `targetResourceId in~ ('…', …)` and the peerings under
/// `targetResourceId startswith '…'`. Its rows are those a snapshot holds
/// under `{circuit}/providers/Microsoft.ResourceGraph/resourceChanges` (a
/// scenario's list of changes; none when it has none), newest first.
struct ChangesQuery {
    from: i64,
    to: i64,
    ids: Vec<String>,
    prefixes: Vec<String>,
}

impl ChangesQuery {
    /// `None` for a query of another table; a `resourcechanges` query of
    /// another shape is ARG's 400, not a guess.
    fn parse(text: &str) -> Result<Option<ChangesQuery>, Reply> {
        let stages = split_outside_quotes(text, "|");
        if !stages[0].trim().eq_ignore_ascii_case("resourcechanges") {
            return Ok(None);
        }
        let shape = || invalid("the erdiag emulator answers the resourcechanges query erdiag sends (a changeTime window, targetResourceId in~ (…) or startswith '…'), no other.");
        let times: Vec<i64> = text
            .split("datetime(")
            .skip(1)
            .filter_map(|rest| rest.split_once(')').and_then(|(t, _)| erdiag_model::time::parse_rfc3339(t.trim()).ok()))
            .collect();
        let [from, to] = times[..] else { return Err(shape()) };
        let quoted = |after: &str| -> Vec<String> {
            let Some((_, rest)) = text.split_once(after) else { return Vec::new() };
            let rest = rest.split('|').next().unwrap_or_default();
            rest.split('\'').skip(1).step_by(2).map(normalize_path).collect()
        };
        let ids = quoted("in~ (");
        let prefixes: Vec<String> = quoted("startswith ").into_iter().take(1).collect();
        if ids.is_empty() {
            return Err(shape());
        }
        Ok(Some(ChangesQuery { from, to, ids, prefixes }))
    }

    /// The rows of the changes a resource of the backend holds, in the window and of the resources asked.
    fn rows(&self, backend: &dyn Backend, id: &str) -> Vec<Value> {
        let path = normalize_path(id);
        if !path.ends_with("/providers/microsoft.resourcegraph/resourcechanges") {
            return Vec::new();
        }
        let Lookup::Found(body) = backend.get(&path) else { return Vec::new() };
        let mut rows: Vec<Value> = body["value"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|r| {
                let target = r.pointer("/properties/targetResourceId").and_then(Value::as_str).map(normalize_path).unwrap_or_default();
                let at = r.pointer("/properties/changeAttributes/timestamp").and_then(Value::as_str).and_then(|t| erdiag_model::time::parse_rfc3339(t).ok());
                let asked = self.ids.contains(&target) || self.prefixes.iter().any(|p| target.starts_with(p.as_str()));
                asked && at.is_some_and(|t| self.from < t && t <= self.to)
            })
            .map(|r| json!({ "id": r["id"], "properties": r["properties"] }))
            .collect();
        rows.sort_by_cached_key(|r| std::cmp::Reverse(r.pointer("/properties/changeAttributes/timestamp").and_then(Value::as_str).unwrap_or_default().to_string()));
        rows
    }
}

/// A row's column (case-insensitive name), `null` when absent.
fn field_value(row: &Value, column: &str) -> Value {
    row.as_object()
        .and_then(|o| o.get(column).or_else(|| o.iter().find(|(k, _)| k.eq_ignore_ascii_case(column)).map(|(_, v)| v)))
        .cloned()
        .unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_parse_as_the_emulator_understands_them() {
        let q = parse_query("Resources | where type =~ 'microsoft.network/expressroutecircuits' and location == \"westeurope\" | project id, name | limit 3").unwrap();
        assert_eq!(q.conditions.len(), 2);
        assert_eq!(q.conditions[0], Condition { field: "type".into(), op: Op::EqCi, value: "microsoft.network/expressroutecircuits".into() });
        assert_eq!(q.project, Some(vec!["id".to_string(), "name".to_string()]));
        assert_eq!(q.limit, Some(3));
        // A pipe inside quotes is a value, not a stage.
        assert_eq!(parse_query("resources | where name == 'a|b'").unwrap().conditions[0].value, "a|b");
        assert_eq!(parse_query("resources | where name contains 'a=~b'").unwrap().conditions[0].value, "a=~b");
        assert_eq!(parse_query("Resources | where name contains 'TEST'").unwrap().conditions[0].op, Op::Contains);
        for bad in ["Resources | summarize count() by type", "ResourceContainers", "Resources | where type startswith 'x'", "Resources | project a = b"] {
            let reply = parse_query(bad).unwrap_err();
            assert_eq!(reply.status.as_u16(), 400, "{bad}");
            assert!(String::from_utf8_lossy(&reply.body).contains("InvalidQuery"), "{bad}");
        }
    }

    #[test]
    fn the_quota_window_counts_down_and_resets() {
        let g = Graph::new(GraphQuota { requests: 2, window: Duration::from_secs(5) }, Vec::new());
        let t0 = Instant::now();
        assert_eq!(g.spend("a", t0), Ok((1, Duration::from_secs(5))));
        assert_eq!(g.spend("a", t0 + Duration::from_secs(1)), Ok((0, Duration::from_secs(4))));
        assert_eq!(g.spend("a", t0 + Duration::from_millis(1500)), Err(Duration::from_millis(3500)));
        assert_eq!(g.spend("b", t0 + Duration::from_secs(1)), Ok((1, Duration::from_secs(5))));
        assert_eq!(g.spend("a", t0 + Duration::from_secs(5)), Ok((1, Duration::from_secs(5))));
        assert_eq!(hms(Duration::from_millis(3500)), "00:00:04");
        assert_eq!(hms(Duration::from_secs(3725)), "01:02:05");
    }

    #[test]
    fn tokens_belong_to_their_query() {
        let t = token(200, 7);
        assert_eq!(token_offset(&t, 7), Some(200));
        assert_eq!(token_offset(&t, 8), None);
        assert_eq!(token_offset("not a token", 7), None);
    }
}
