//! The ARM side of the contract, once a request is authenticated and has its
//! `api-version`: resource GETs, the collections ARM has, the POST list
//! actions as long-running operations, and their status and result URLs.
//!
//! Exact entries win: a path the backend holds (or recorded as failed) is
//! answered as held, even when it is also a collection ARM would compute.
//! Answers for what is not there follow ARM's codes: `SubscriptionNotFound`,
//! `ResourceGroupNotFound`, `ResourceNotFound`, and for a table of a peering
//! that does not exist the 400 the guide quotes ("The BGP Peering … with
//! Service Key … is not found.").

use crate::backend::{peering_name, Backend, Collection, Lookup, Scopes};
use crate::config::FaultKind;
use crate::identity::{token_tenant, DEFAULT_TENANT_ID};
use crate::monitor;
use crate::lro::{failure_error, Fate, Operation, Operations, State};
use crate::path::{resource_id, subscription_of, ArmPath, Route};
use crate::reply::Reply;
use crate::util::{encode_segment, guid, rfc3339};
use axum::http::{HeaderMap, Method};
use erdiag_model::normalize_path;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// What the ARM side keeps between requests: where resources come from and
/// the long-running operations started so far.
pub(crate) struct Arm {
    pub backend: Arc<dyn Backend>,
    pub ops: Operations,
    /// How long an operation runs before it succeeds.
    pub latency: Duration,
    /// The `Retry-After` seconds of operations and throttled answers.
    pub retry_after: u64,
}

/// One authenticated ARM request.
pub(crate) struct ArmRequest<'a> {
    pub method: &'a Method,
    pub path: &'a ArmPath,
    pub route: &'a Route,
    pub query: &'a [(String, String)],
    pub headers: &'a HeaderMap,
    /// `https://127.0.0.1:PORT`, for absolute URLs in answers.
    pub base: &'a str,
    pub api_version: &'a str,
    /// `NeverFinishes` or `OperationFails`, when a fault gave one.
    pub operation_fault: Option<FaultKind>,
    /// The request's body (a `metrics:getBatch`'s resource ids).
    pub body: &'a [u8],
}

impl ArmRequest<'_> {
    fn param(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

pub(crate) fn handle(arm: &Arm, req: &ArmRequest<'_>) -> Reply {
    let m = req.method;
    if matches!(req.route, Route::MetricsBatch { .. }) {
        return if *m == Method::POST { metrics_batch(arm, req) } else { method_not_allowed(m, "POST") };
    }
    if *m == Method::HEAD {
        head(arm, req)
    } else if *m == Method::GET {
        get(arm, req)
    } else if *m == Method::POST && req.route.is_action() {
        start_action(arm, req)
    } else {
        let allow = if req.route.is_action() { "POST" } else { "GET" };
        method_not_allowed(m, allow)
    }
}

/// `HEAD` is ARM's check-existence (`ResourceGroups_CheckExistence`,
/// `Resources_CheckExistence[ById]`): on a resource group or a resource,
/// 204 when it exists, else the status a GET gets; never a body. Other ARM
/// URLs (collections, actions, operations) do not take `HEAD`: 405.
fn head(arm: &Arm, req: &ArmRequest<'_>) -> Reply {
    let mut reply = match req.route {
        Route::ResourceGroup { .. } | Route::Peering { .. } | Route::Other => {
            let got = get(arm, req);
            let status = if got.status.is_success() { 204 } else { got.status.as_u16() };
            Reply::empty(status)
        }
        r => method_not_allowed(req.method, if r.is_action() { "POST" } else { "GET" }),
    };
    reply.body.clear();
    reply
}

fn method_not_allowed(method: &Method, allow: &str) -> Reply {
    Reply::arm_error(
        405,
        "MethodNotAllowed",
        format!("The requested resource does not support http method '{method}'. The erdiag emulator serves read-only clients."),
    )
    .header("allow", allow)
}

/// Azure Monitor's `metrics:getBatch`: for each resource id of the body (at
/// most 50, all of the path's subscription), the answer the per-resource GET
/// `{id}/providers/Microsoft.Insights/metrics` with the same query gets,
/// reshaped as a `MetricResultsResponseValuesItem`: the same generator, so
/// the same points for the same resource and window. A resource whose GET
/// does not succeed (unknown, faulted) is left out of `values`, as the
/// service leaves out what it cannot read.
fn metrics_batch(arm: &Arm, req: &ArmRequest<'_>) -> Reply {
    let Route::MetricsBatch { sub } = req.route else { return method_not_allowed(req.method, "POST") };
    let ids: Vec<String> = match serde_json::from_slice::<Value>(req.body) {
        Ok(v) => match v.get("resourceids").and_then(Value::as_array) {
            Some(ids) if ids.iter().all(Value::is_string) => ids.iter().filter_map(Value::as_str).map(str::to_string).collect(),
            _ => return Reply::arm_error(400, "BadRequest", "The body must be {\"resourceids\": [string, ...]}."),
        },
        Err(e) => return Reply::arm_error(400, "BadRequest", format!("The body is not JSON: {e}")),
    };
    if ids.is_empty() || ids.len() > 50 {
        return Reply::arm_error(400, "BadRequest", format!("A batch holds 1 to 50 resource ids, not {}.", ids.len()));
    }
    let prefix = format!("/subscriptions/{}/", sub.to_ascii_lowercase());
    if let Some(other) = ids.iter().find(|id| !id.to_ascii_lowercase().starts_with(&prefix)) {
        return Reply::arm_error(400, "BadRequest", format!("The resource {other} is not in subscription {sub}."));
    }
    // The batch's query names, as the per-resource GET spells them:
    // `starttime`/`endtime` are its `timespan`, `filter` its `$filter`.
    let param = |name: &str| req.query.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone());
    let mut query: Vec<(String, String)> = req
        .query
        .iter()
        .filter(|(k, _)| !["starttime", "endtime", "filter"].iter().any(|n| k.eq_ignore_ascii_case(n)))
        .cloned()
        .collect();
    if let (Some(start), Some(end)) = (param("starttime"), param("endtime")) {
        query.push(("timespan".into(), format!("{start}/{end}")));
    }
    if let Some(filter) = param("filter") {
        query.push(("$filter".into(), filter));
    }
    let mut values = Vec::new();
    for id in &ids {
        let path = ArmPath::parse(&format!("{}/providers/Microsoft.Insights/metrics", id.trim_end_matches('/')));
        let route = Route::of(&path);
        let one = ArmRequest {
            method: &Method::GET,
            path: &path,
            route: &route,
            query: &query,
            headers: req.headers,
            base: req.base,
            api_version: req.api_version,
            operation_fault: None,
            body: &[],
        };
        let Route::Metrics { resource } = &route else { continue };
        let Ok(mut body) = metrics_of(arm, &one, resource) else { continue };
        let (start, end) = body["timespan"].as_str().and_then(|t| t.split_once('/')).map(|(a, b)| (a.to_string(), b.to_string())).unwrap_or_default();
        values.push(json!({
            "resourceid": id,
            "starttime": start,
            "endtime": end,
            "interval": body["interval"].take(),
            "namespace": body["namespace"].take(),
            "resourceregion": body["resourceregion"].take(),
            "value": body["value"].take(),
        }));
    }
    Reply::json(200, &json!({ "values": values }))
}

/// The answer for a call that the backend says fails.
pub(crate) fn failed(arm: &Arm, status: u16, error: Value) -> Reply {
    let reply = Reply::json(status, &error);
    if status == 429 {
        reply.header("retry-after", arm.retry_after.to_string())
    } else {
        reply
    }
}

/// A resource's metrics (`{id}/providers/Microsoft.Insights/metrics`): the
/// body a GET answers with, or its error reply. The GET and
/// `metrics:getBatch` both read it, the batch without a JSON round trip.
fn metrics_of(arm: &Arm, req: &ArmRequest<'_>, resource: &str) -> Result<Value, Reply> {
    match arm.backend.get(&req.path.norm) {
        // A snapshot's metrics, held as one body: the metrics asked for.
        Lookup::Found(body) => return Ok(monitor::held(body, req.query)),
        Lookup::Failed { status, error } => return Err(failed(arm, status, error)),
        Lookup::NotFound => {}
    }
    match arm.backend.get(&normalize_path(resource)) {
        Lookup::Found(body) => monitor::metrics(&*arm.backend, resource, &body, req.query),
        Lookup::Failed { status, error } => Err(failed(arm, status, error)),
        Lookup::NotFound => Err(not_found(&Known::of(arm), resource)),
    }
}

fn get(arm: &Arm, req: &ArmRequest<'_>) -> Reply {
    match req.route {
        Route::OperationStatus { id } => return operation_status(arm, req, id),
        Route::OperationResult { id } => return operation_result(arm, req, id),
        Route::Metrics { resource } => return metrics_of(arm, req, resource).map_or_else(|e| e, |body| Reply::json(200, &body)),
        r if r.is_action() => return method_not_allowed(req.method, "POST"),
        _ => {}
    }
    match arm.backend.get(&req.path.norm) {
        Lookup::Found(body) => return Reply::json(200, &body),
        Lookup::Failed { status, error } => return failed(arm, status, error),
        Lookup::NotFound => {}
    }
    let known = Known::of(arm);
    let list = |collection: Collection, missing_parent: &str| match arm.backend.list(&collection) {
        Lookup::Found(Value::Array(items)) => Reply::json(200, &json!({ "value": items })),
        Lookup::Found(other) => Reply::json(200, &json!({ "value": other.get("value").cloned().unwrap_or(json!([])) })),
        Lookup::Failed { status, error } => failed(arm, status, error),
        Lookup::NotFound => not_found(&known, missing_parent),
    };
    match req.route {
        Route::Subscriptions => {
            let tenant = token_tenant(req.headers).unwrap_or_else(|| DEFAULT_TENANT_ID.to_string());
            let value: Vec<Value> = known.subs.iter().map(|s| subscription(s, &tenant)).collect();
            Reply::json(200, &json!({ "value": value, "count": { "type": "Total", "value": known.subs.len() } }))
        }
        Route::Tenants => {
            let tenant = token_tenant(req.headers).unwrap_or_else(|| DEFAULT_TENANT_ID.to_string());
            Reply::json(
                200,
                &json!({
                    "value": [{
                        "id": format!("/tenants/{tenant}"),
                        "tenantId": tenant,
                        "tenantCategory": "Home",
                        "countryCode": "US",
                        "displayName": "erdiag emulator",
                        "domains": ["erdiag-emulator.onmicrosoft.com"],
                        "defaultDomain": "erdiag-emulator.onmicrosoft.com",
                        "tenantType": "AAD",
                    }],
                    "count": { "type": "Total", "value": 1 },
                }),
            )
        }
        Route::Subscription { sub } => match known.sub(sub) {
            Some(s) => {
                let tenant = token_tenant(req.headers).unwrap_or_else(|| DEFAULT_TENANT_ID.to_string());
                Reply::json(200, &subscription(s, &tenant))
            }
            None => subscription_not_found(sub),
        },
        Route::ResourceGroups { sub } => {
            if known.sub(sub).is_none() {
                return subscription_not_found(sub);
            }
            let value: Vec<Value> = known
                .groups
                .iter()
                .filter(|g| g.sub.eq_ignore_ascii_case(sub))
                .map(|g| resource_group(&g.sub, &g.name, g.location.as_deref()))
                .collect();
            Reply::json(200, &json!({ "value": value }))
        }
        Route::ResourceGroup { sub, rg } => match (known.refusal(sub, Some(rg)), known.group(sub, rg)) {
            (Some(reply), _) => reply,
            (None, Some(g)) => Reply::json(200, &resource_group(&g.sub, &g.name, g.location.as_deref())),
            (None, None) => resource_group_not_found(rg),
        },
        Route::GenericResources { sub, rg } => known
            .refusal(sub, rg.as_deref())
            .unwrap_or_else(|| generic_resources(arm, req, sub, rg.as_deref())),
        Route::Circuits { sub, rg } => known.refusal(sub, rg.as_deref()).unwrap_or_else(|| {
            list(Collection::Circuits { subscription: sub.clone(), resource_group: rg.clone() }, &req.path.original)
        }),
        Route::Connections { sub, rg } => known.refusal(sub, Some(rg)).unwrap_or_else(|| {
            list(Collection::Connections { subscription: sub.clone(), resource_group: rg.clone() }, &req.path.original)
        }),
        Route::Peerings { circuit } => list(Collection::Peerings { circuit: circuit.clone() }, circuit),
        // A peering that is only embedded in the circuit body is still a resource ARM serves.
        Route::Peering { circuit, peering } => match arm.backend.list(&Collection::Peerings { circuit: circuit.clone() }) {
            Lookup::Found(Value::Array(peerings)) => peerings
                .into_iter()
                .find(|p| peering_name(p).is_some_and(|n| n.eq_ignore_ascii_case(peering)))
                .map(|p| Reply::json(200, &p))
                .unwrap_or_else(|| not_found(&known, &req.path.original)),
            Lookup::Failed { status, error } => failed(arm, status, error),
            _ => not_found(&known, circuit),
        },
        Route::GatewayConnections { gateway } => list(Collection::GatewayConnections { gateway: gateway.clone() }, gateway),
        Route::ExpressRouteGateways { sub } => known
            .refusal(sub, None)
            .unwrap_or_else(|| list(Collection::ExpressRouteGateways { subscription: sub.clone() }, &req.path.original)),
        Route::ExpressRouteConnections { gateway } => list(Collection::ExpressRouteConnections { gateway: gateway.clone() }, gateway),
        Route::MetricDefinitions { resource } | Route::HealthHistory { resource } => {
            match arm.backend.get(&normalize_path(resource)) {
                Lookup::Found(body) => match req.route {
                    Route::MetricDefinitions { .. } => monitor::definitions(resource, &body),
                    _ => monitor::history(&*arm.backend, resource, &body),
                },
                Lookup::Failed { status, error } => failed(arm, status, error),
                Lookup::NotFound => not_found(&known, resource),
            }
        }
        _ => match crate::globalreach::derived(&*arm.backend, &req.path) {
            Some(Lookup::Found(body)) => Reply::json(200, &body),
            Some(Lookup::Failed { status, error }) => failed(arm, status, error),
            _ => not_found(&known, &req.path.original),
        },
    }
}

/// Subscriptions and resource groups that exist: those of the backend's
/// resources ([`Backend::scopes`]).
type Known = Scopes;

impl Known {
    fn of(arm: &Arm) -> Arc<Known> {
        arm.backend.scopes()
    }

    /// The 404 ARM gives when the subscription or the resource group does not exist.
    fn refusal(&self, sub: &str, rg: Option<&str>) -> Option<Reply> {
        if self.sub(sub).is_none() {
            return Some(subscription_not_found(sub));
        }
        match rg {
            Some(rg) if self.group(sub, rg).is_none() => Some(resource_group_not_found(rg)),
            _ => None,
        }
    }
}

fn subscription_not_found(sub: &str) -> Reply {
    Reply::arm_error(404, "SubscriptionNotFound", format!("The subscription '{sub}' could not be found."))
}

fn resource_group_not_found(rg: &str) -> Reply {
    Reply::arm_error(404, "ResourceGroupNotFound", format!("Resource group '{rg}' could not be found."))
}

/// The 404 for a path that names nothing the backend holds.
fn not_found(known: &Known, path: &str) -> Reply {
    if let Some(sub) = subscription_of(path) {
        if known.sub(sub).is_none() {
            return subscription_not_found(sub);
        }
    }
    match resource_id(path) {
        Some(r) => {
            let rg = r.resource_group().unwrap_or_default();
            if known.group(r.subscription(), rg).is_none() {
                return resource_group_not_found(rg);
            }
            Reply::arm_error(
                404,
                "ResourceNotFound",
                format!("The Resource '{}' under resource group '{rg}' was not found.", r.provider_path().unwrap_or_default()),
            )
        }
        None => Reply::arm_error(404, "ResourceNotFound", format!("The Resource '{path}' was not found.")),
    }
}

fn subscription(sub: &str, tenant: &str) -> Value {
    json!({
        "id": format!("/subscriptions/{sub}"),
        "authorizationSource": "RoleBased",
        "managedByTenants": [],
        "subscriptionId": sub,
        "tenantId": tenant,
        "displayName": "erdiag emulator",
        "state": "Enabled",
        "subscriptionPolicies": {
            "locationPlacementId": "Public_2014-09-01",
            "quotaId": "PayAsYouGo_2014-09-01",
            "spendingLimit": "Off",
        },
    })
}

fn resource_group(sub: &str, rg: &str, location: Option<&str>) -> Value {
    json!({
        "id": format!("/subscriptions/{sub}/resourceGroups/{rg}"),
        "name": rg,
        "type": "Microsoft.Resources/resourceGroups",
        "location": location.unwrap_or("westeurope"),
        "properties": { "provisioningState": "Succeeded" },
    })
}

/// `GET …/resources[?$filter=…]`: the generic list, each item `id`, `name`,
/// `type`, `location` (and `tags` when the body has them).
fn generic_resources(arm: &Arm, req: &ArmRequest<'_>, sub: &str, rg: Option<&str>) -> Reply {
    let clauses = match parse_filter(req.param("$filter").unwrap_or("")) {
        Ok(c) => c,
        Err(message) => return Reply::arm_error(400, "InvalidFilterInQueryString", message),
    };
    // One type asked: only that type's bodies are read (a fleet's circuits
    // each list their subscription's connections this way). The clauses are
    // still applied to each item below.
    let mut types = clauses.iter().filter(|(field, _)| field == "resourcetype").map(|(_, want)| want.clone());
    let resource_type = match (types.next(), types.next()) {
        (Some(t), None) => Some(t),
        _ => None,
    };
    let collection = Collection::Resources { subscription: sub.to_string(), resource_group: rg.map(str::to_string), resource_type };
    let items = match arm.backend.list(&collection) {
        Lookup::Found(Value::Array(items)) => items,
        Lookup::Found(_) | Lookup::NotFound => Vec::new(),
        Lookup::Failed { status, error } => return failed(arm, status, error),
    };
    let mut value = Vec::new();
    for body in items {
        let Some(id) = body.get("id").and_then(Value::as_str) else { continue };
        let Some(rid) = resource_id(id) else { continue };
        let name = body.get("name").and_then(Value::as_str).or(rid.name()).unwrap_or_default().to_string();
        let type_ = body.get("type").and_then(Value::as_str).map(str::to_string).or(rid.provider_type()).unwrap_or_default();
        let location = body.get("location").and_then(Value::as_str);
        let keep = clauses.iter().all(|(field, want)| {
            let have = match field.as_str() {
                "resourcetype" => Some(type_.as_str()),
                "resourcegroup" => rid.resource_group(),
                "name" => Some(name.as_str()),
                "location" => location,
                _ => None,
            };
            have.is_some_and(|h| h.eq_ignore_ascii_case(want))
        });
        if keep {
            let mut item = json!({ "id": id, "name": name, "type": type_ });
            if let Some(l) = location {
                item["location"] = json!(l);
            }
            if let Some(tags) = body.get("tags") {
                item["tags"] = tags.clone();
            }
            value.push(item);
        }
    }
    Reply::json(200, &json!({ "value": value }))
}

/// `resourceType eq 'Microsoft.Network/connections' and resourceGroup eq 'rg'`
/// → `[("resourcetype", "Microsoft.Network/connections"), ("resourcegroup", "rg")]`.
fn parse_filter(filter: &str) -> Result<Vec<(String, String)>, String> {
    let filter = filter.trim();
    if filter.is_empty() {
        return Ok(Vec::new());
    }
    let unsupported = || {
        format!(
            "The $filter '{filter}' is not supported by the erdiag emulator: use `field eq 'value'` clauses joined by `and`, \
             on resourceType, resourceGroup, name or location."
        )
    };
    let mut clauses = Vec::new();
    let mut rest = filter;
    loop {
        let (field, after) = rest.trim_start().split_once(char::is_whitespace).ok_or_else(unsupported)?;
        let field = field.to_ascii_lowercase();
        if !matches!(field.as_str(), "resourcetype" | "resourcegroup" | "name" | "location") {
            return Err(unsupported());
        }
        let after = after.trim_start();
        let after = after.strip_prefix("eq ").or_else(|| after.strip_prefix("EQ ")).ok_or_else(unsupported)?;
        let after = after.trim_start().strip_prefix('\'').ok_or_else(unsupported)?;
        let end = after.find('\'').ok_or_else(unsupported)?;
        clauses.push((field, after[..end].to_string()));
        let tail = after[end + 1..].trim_start();
        if tail.is_empty() {
            return Ok(clauses);
        }
        rest = tail
            .strip_prefix("and ")
            .or_else(|| tail.strip_prefix("AND "))
            .or_else(|| tail.strip_prefix("And "))
            .ok_or_else(unsupported)?;
    }
}

/// POST of a list action: 202 and an operation, or the failure ARM would give at once.
fn start_action(arm: &Arm, req: &ArmRequest<'_>) -> Reply {
    let parent = match req.route {
        Route::TableAction { circuit, .. } => circuit,
        Route::GatewayAction { gateway } => gateway,
        _ => return method_not_allowed(req.method, "GET"),
    };
    let parent_body = arm.backend.get(&normalize_path(parent));
    match arm.backend.get(&req.path.norm) {
        Lookup::Failed { status, error } => return failed(arm, status, error),
        Lookup::Found(_) => {}
        Lookup::NotFound => return action_not_found(arm, req, parent, parent_body),
    }
    let fate = match req.operation_fault {
        Some(FaultKind::NeverFinishes) => Fate::NeverFinishes,
        Some(FaultKind::OperationFails) => Fate::Fails,
        _ => Fate::Normal,
    };
    let id = guid();
    arm.ops.insert(Operation {
        id: id.clone(),
        action_path: req.path.original.clone(),
        peer: req.param("peer").filter(|p| !p.is_empty()).map(str::to_string),
        started: Instant::now(),
        started_at: SystemTime::now(),
        fate,
    });
    let location = match &parent_body {
        Lookup::Found(body) => body.get("location").and_then(Value::as_str),
        _ => None,
    }
    .map(|l| l.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase())
    .filter(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric()))
    .unwrap_or_else(|| "local".to_string());
    let sub = encode_segment(&req.path.segs[1]);
    let api = url::form_urlencoded::byte_serialize(req.api_version.as_bytes()).collect::<String>();
    let ops = format!("{}/subscriptions/{sub}/providers/Microsoft.Network/locations/{location}", req.base);
    Reply::empty(202)
        .header("azure-asyncoperation", format!("{ops}/operations/{id}?api-version={api}"))
        .header("location", format!("{ops}/operationResults/{id}?api-version={api}"))
        .header("retry-after", arm.retry_after.to_string())
}

/// Why a list action has no result: its circuit or gateway is missing or
/// failed, the peering does not exist (ARM's 400), or the snapshot did not
/// collect it.
fn action_not_found(arm: &Arm, req: &ArmRequest<'_>, parent: &str, parent_body: Lookup) -> Reply {
    let body = match parent_body {
        Lookup::Failed { status, error } => return failed(arm, status, error),
        Lookup::NotFound => return not_found(&Known::of(arm), parent),
        Lookup::Found(body) => body,
    };
    if let Route::TableAction { peering, device_path, .. } = req.route {
        let exists = match arm.backend.list(&Collection::Peerings { circuit: parent.to_string() }) {
            Lookup::Found(Value::Array(peerings)) => {
                peerings.iter().any(|p| peering_name(p).is_some_and(|n| n.eq_ignore_ascii_case(peering)))
            }
            _ => false,
        };
        if !exists {
            let key = body
                .pointer("/properties/serviceKey")
                .and_then(Value::as_str)
                .unwrap_or("00000000-0000-0000-0000-000000000000");
            return Reply::arm_error(
                400,
                "BgpPeeringNotFound",
                format!("The BGP Peering {peering} with Service Key {key} is not found."),
            );
        }
        if !matches!(device_path.to_ascii_lowercase().as_str(), "primary" | "secondary") {
            return Reply::arm_error(
                400,
                "InvalidDevicePath",
                format!("The device path '{device_path}' is not valid: use 'primary' or 'secondary'."),
            );
        }
    }
    Reply::arm_error(
        404,
        "NotFound",
        format!("The erdiag emulator holds no result for POST {}: the snapshot did not collect it.", req.path.original),
    )
}

/// Applies a fault given on a poll to the operation, then returns it.
fn polled(arm: &Arm, req: &ArmRequest<'_>, id: &str) -> Option<Operation> {
    match req.operation_fault {
        Some(FaultKind::NeverFinishes) => arm.ops.set_fate(id, Fate::NeverFinishes),
        Some(FaultKind::OperationFails) => arm.ops.set_fate(id, Fate::Fails),
        _ => {}
    }
    arm.ops.get(id)
}

fn operation_not_found(id: &str) -> Reply {
    Reply::arm_error(404, "OperationNotFound", format!("The operation '{id}' was not found."))
}

/// `GET …/operations/{id}` (the `Azure-AsyncOperation` URL).
fn operation_status(arm: &Arm, req: &ArmRequest<'_>, id: &str) -> Reply {
    let Some(op) = polled(arm, req, id) else { return operation_not_found(id) };
    let state = op.state(arm.latency);
    let mut body = json!({
        "id": req.path.original,
        "name": op.id,
        "status": state.as_str(),
        "startTime": rfc3339(op.started_at),
    });
    if let Some(end) = op.ended_at(arm.latency) {
        body["endTime"] = json!(rfc3339(end));
    }
    if state == State::Failed {
        body["error"] = failure_error();
    }
    let reply = Reply::json(200, &body);
    if state == State::InProgress {
        reply.header("retry-after", arm.retry_after.to_string())
    } else {
        reply
    }
}

/// `GET …/operationResults/{id}` (the `Location` URL): 202 while in
/// progress, then the action's result.
fn operation_result(arm: &Arm, req: &ArmRequest<'_>, id: &str) -> Reply {
    let Some(op) = polled(arm, req, id) else { return operation_not_found(id) };
    match op.state(arm.latency) {
        State::InProgress => {
            let api = url::form_urlencoded::byte_serialize(req.api_version.as_bytes()).collect::<String>();
            Reply::empty(202)
                .header("location", format!("{}{}?api-version={api}", req.base, req.path.original))
                .header("retry-after", arm.retry_after.to_string())
        }
        State::Failed => Reply::json(500, &json!({ "error": failure_error() })),
        State::Succeeded => match arm.backend.get(&normalize_path(&op.action_path)) {
            Lookup::Found(body) => Reply::json(200, &only_peer(body, op.peer.as_deref())),
            Lookup::Failed { status, error } => failed(arm, status, error),
            Lookup::NotFound => Reply::arm_error(
                404,
                "NotFound",
                format!("The erdiag emulator holds no result for POST {}.", op.action_path),
            ),
        },
    }
}

/// `getBgpPeerStatus?peer=X`: only the rows of that neighbor.
fn only_peer(mut body: Value, peer: Option<&str>) -> Value {
    if let (Some(peer), Some(rows)) = (peer, body.get_mut("value").and_then(Value::as_array_mut)) {
        rows.retain(|r| r.get("neighbor").and_then(Value::as_str) == Some(peer));
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse() {
        assert_eq!(parse_filter(""), Ok(vec![]));
        assert_eq!(
            parse_filter("resourceType eq 'Microsoft.Network/connections'"),
            Ok(vec![("resourcetype".into(), "Microsoft.Network/connections".into())])
        );
        assert_eq!(
            parse_filter(" resourceType eq 'A/b' and resourceGroup eq 'rg 1' "),
            Ok(vec![("resourcetype".into(), "A/b".into()), ("resourcegroup".into(), "rg 1".into())])
        );
        assert!(parse_filter("tagName eq 'x'").is_err());
        assert!(parse_filter("resourceType eq 'x").is_err());
        assert!(parse_filter("resourceType eq 'x' or name eq 'y'").is_err());
        assert!(parse_filter("substringof('x', name)").is_err());
    }

    #[test]
    fn peer_filter_keeps_matching_rows() {
        let body = json!({"value": [{"neighbor": "a"}, {"neighbor": "b"}]});
        assert_eq!(only_peer(body.clone(), Some("b")), json!({"value": [{"neighbor": "b"}]}));
        assert_eq!(only_peer(body.clone(), None), body);
    }
}
