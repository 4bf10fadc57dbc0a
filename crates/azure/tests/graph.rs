//! Discovery through Resource Graph against a small local answerer that
//! plays ARG's part page by page: paging with `$skipToken`, batches of
//! subscriptions, the user quota (`x-ms-user-quota-remaining` /
//! `-resets-after`), a 429, and the answers that would leave the inventory
//! short, each an error naming its JSON path.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use erdiag_azure::graph::{Filter, GraphError, Scope};
use erdiag_azure::{discover, ArmClient, ClientOptions, Cloud, Credential, NoProgress};
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One scripted answer.
struct Answer {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Value,
}

fn ok(body: Value) -> Answer {
    Answer { status: 200, headers: vec![("x-ms-user-quota-remaining", "14".into()), ("x-ms-user-quota-resets-after", "00:00:05".into())], body }
}

#[derive(Default)]
struct Script {
    answers: Mutex<VecDeque<Answer>>,
    /// Every request: when it came and its body.
    seen: Mutex<Vec<(Instant, Value)>>,
}

async fn answer(State(script): State<Arc<Script>>, headers: HeaderMap, Json(body): Json<Value>) -> (StatusCode, HeaderMap, Json<Value>) {
    assert_eq!(headers.get("content-type").unwrap(), "application/json");
    script.seen.lock().unwrap().push((Instant::now(), body));
    let a = script.answers.lock().unwrap().pop_front().unwrap_or_else(|| Answer { status: 500, headers: vec![], body: json!({"error": {"code": "Unscripted", "message": "no more answers"}}) });
    let mut h = HeaderMap::new();
    for (k, v) in a.headers {
        h.insert(k, v.parse().unwrap());
    }
    (StatusCode::from_u16(a.status).unwrap(), h, Json(a.body))
}

async fn answerer(answers: Vec<Answer>) -> (Arc<ArmClient>, Arc<Script>) {
    let script = Arc::new(Script { answers: Mutex::new(answers.into()), seen: Mutex::default() });
    let app = Router::new().route("/providers/Microsoft.ResourceGraph/resources", post(answer)).with_state(script.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let options = ClientOptions {
        cloud: Cloud::Custom { endpoint: url::Url::parse(&format!("http://{addr}/")).unwrap(), scope: "https://management.azure.com/.default".into() },
        backoff_base: Duration::from_millis(10),
        deadline: Duration::from_secs(20),
        ..Default::default()
    };
    (Arc::new(ArmClient::new(Credential::from_token("t".into()), options).unwrap()), script)
}

fn circuit_row(i: usize) -> Value {
    json!({
        "id": format!("/subscriptions/00000000-0000-0000-0000-00000000000{}/resourceGroups/rg-{i}/providers/Microsoft.Network/expressRouteCircuits/er-{i}", i % 2),
        "name": format!("er-{i}"),
        "type": "microsoft.network/expressroutecircuits",
        "location": "westeurope",
        "resourceGroup": format!("rg-{i}"),
        "subscriptionId": format!("00000000-0000-0000-0000-00000000000{}", i % 2),
        "sku": {"name": "Premium_MeteredData", "tier": "Premium", "family": "MeteredData"},
        "properties": {
            "circuitProvisioningState": "Enabled",
            "serviceProviderProvisioningState": "Provisioned",
            "serviceProviderProperties": {"serviceProviderName": "Equinix", "peeringLocation": if i % 2 == 0 { "Amsterdam" } else { "London" }, "bandwidthInMbps": 1000}
        },
        "tags": {"env": if i < 3 { "prod" } else { "test" }}
    })
}

fn page(rows: std::ops::Range<usize>, total: usize, token: Option<&str>) -> Value {
    let data: Vec<Value> = rows.map(circuit_row).collect();
    let mut p = json!({"totalRecords": total, "count": data.len(), "resultTruncated": "false", "data": data, "facets": []});
    if let Some(t) = token {
        p["$skipToken"] = json!(t);
    }
    p
}

fn empty() -> Value {
    json!({"totalRecords": 0, "count": 0, "resultTruncated": "false", "data": []})
}

#[tokio::test]
async fn pages_are_followed_by_skip_token_and_rows_become_records() {
    let (client, script) = answerer(vec![ok(page(0..2, 5, Some("t1"))), ok(page(2..4, 5, Some("t2"))), ok(page(4..5, 5, None)), ok(empty())]).await;
    let inv = discover(&client, &Scope::Subscriptions(vec!["s0".into(), "s1".into()]), &NoProgress).await.unwrap();
    assert_eq!(inv.circuits.len(), 5);
    assert_eq!(inv.pages, 4, "three pages of circuits, one of ports");
    let c = &inv.circuits[1];
    assert_eq!((c.name.as_str(), c.resource_group.as_str(), c.location.as_str()), ("er-1", "rg-1", "westeurope"));
    assert_eq!((c.provider.as_deref(), c.peering_location.as_deref(), c.bandwidth_mbps), (Some("Equinix"), Some("London"), Some(1000)));
    assert_eq!((c.sku_tier.as_deref(), c.sku_family.as_deref()), (Some("Premium"), Some("MeteredData")));
    assert_eq!((c.circuit_state.as_deref(), c.provider_state.as_deref()), (Some("Enabled"), Some("Provisioned")));
    let seen = script.seen.lock().unwrap();
    let bodies: Vec<&Value> = seen.iter().map(|(_, b)| b).collect();
    assert_eq!(bodies[0]["subscriptions"], json!(["s0", "s1"]));
    assert_eq!(bodies[0]["options"]["$top"], 1000);
    assert!(bodies[0]["options"].get("$skipToken").is_none());
    assert_eq!(bodies[1]["options"]["$skipToken"], "t1");
    assert_eq!(bodies[2]["options"]["$skipToken"], "t2");
    assert!(bodies[3]["query"].as_str().unwrap().contains("expressrouteports"));
    // The filter of `erdiag fleet`.
    let f = Filter { tags: vec![("ENV".into(), "Prod".into())], names: vec!["ER-?".into()], locations: vec!["West Europe".into()], ..Default::default() };
    assert_eq!(inv.circuits.iter().filter(|c| f.matches(c)).count(), 3);
    let f = Filter { providers: vec!["equinix".into()], resource_groups: vec!["RG-4".into()], ..Default::default() };
    assert_eq!(inv.circuits.iter().filter(|c| f.matches(c)).map(|c| c.name.as_str()).collect::<Vec<_>>(), ["er-4"]);
}

#[tokio::test]
async fn subscriptions_go_in_batches_of_a_thousand_and_tenant_scope_names_none() {
    let subs: Vec<String> = (0..1_500).map(|i| format!("sub-{i}")).collect();
    let (client, script) = answerer(vec![ok(empty()), ok(empty()), ok(empty()), ok(empty())]).await;
    discover(&client, &Scope::Subscriptions(subs), &NoProgress).await.unwrap();
    let sizes: Vec<usize> = script.seen.lock().unwrap().iter().map(|(_, b)| b["subscriptions"].as_array().unwrap().len()).collect();
    assert_eq!(sizes, [1000, 1000, 500, 500], "circuits then ports, per batch");

    let (client, script) = answerer(vec![ok(empty()), ok(empty())]).await;
    discover(&client, &Scope::Tenant, &NoProgress).await.unwrap();
    for (_, b) in script.seen.lock().unwrap().iter() {
        assert!(b.get("subscriptions").is_none() && b.get("managementGroups").is_none(), "{b}");
    }
    let (client, script) = answerer(vec![ok(empty()), ok(empty())]).await;
    discover(&client, &Scope::ManagementGroups(vec!["mg-1".into()]), &NoProgress).await.unwrap();
    assert_eq!(script.seen.lock().unwrap()[0].1["managementGroups"], json!(["mg-1"]));
}

#[tokio::test]
async fn a_spent_quota_is_waited_for_instead_of_collecting_a_429() {
    let spent = |body| Answer { status: 200, headers: vec![("x-ms-user-quota-remaining", "0".into()), ("x-ms-user-quota-resets-after", "00:00:01".into())], body };
    let (client, script) = answerer(vec![spent(page(0..2, 3, Some("t1"))), ok(page(2..3, 3, None)), ok(empty())]).await;
    let inv = discover(&client, &Scope::Tenant, &NoProgress).await.unwrap();
    assert_eq!(inv.circuits.len(), 3);
    let seen = script.seen.lock().unwrap();
    let gap = seen[1].0 - seen[0].0;
    assert!(gap >= Duration::from_millis(950), "the second page came {gap:?} after the first, before the quota's reset");
    assert_eq!(client.stats().throttled, 0);
}

#[tokio::test]
async fn a_spent_quota_holds_the_next_discovery_of_the_same_client() {
    let spent = || Answer { status: 200, headers: vec![("x-ms-user-quota-remaining", "0".into()), ("x-ms-user-quota-resets-after", "00:00:01".into())], body: empty() };
    let (client, script) = answerer(vec![ok(empty()), spent(), ok(empty()), ok(empty())]).await;
    discover(&client, &Scope::Tenant, &NoProgress).await.unwrap();
    discover(&client, &Scope::Tenant, &NoProgress).await.unwrap();
    let seen = script.seen.lock().unwrap();
    let gap = seen[2].0 - seen[1].0;
    assert!(gap >= Duration::from_millis(950), "the second discovery asked {gap:?} after the quota was spent");
    let s = client.stats();
    assert_eq!((s.throttled, s.paced), (0, 1), "{s:?}");
}

#[tokio::test]
async fn a_429_from_resource_graph_is_waited_out_and_retried() {
    let throttled = Answer {
        status: 429,
        headers: vec![("x-ms-user-quota-remaining", "0".into()), ("x-ms-user-quota-resets-after", "00:00:01".into())],
        body: json!({"error": {"code": "RateLimiting", "message": "Please provide below info when asking for support"}}),
    };
    let (client, script) = answerer(vec![throttled, ok(page(0..1, 1, None)), ok(empty())]).await;
    let inv = discover(&client, &Scope::Tenant, &NoProgress).await.unwrap();
    assert_eq!(inv.circuits.len(), 1);
    let seen = script.seen.lock().unwrap();
    assert!(seen[1].0 - seen[0].0 >= Duration::from_millis(950), "retried before the reset");
    let s = client.stats();
    assert_eq!((s.throttled, s.retries), (1, 1), "{s:?}");
}

async fn error_of(answers: Vec<Answer>) -> GraphError {
    let (client, _) = answerer(answers).await;
    discover(&client, &Scope::Tenant, &NoProgress).await.expect_err("a short inventory must be an error")
}

#[tokio::test]
async fn answers_that_would_leave_the_inventory_short_are_errors_naming_the_json_path() {
    let mut truncated = page(0..2, 2, None);
    truncated["resultTruncated"] = json!("true");
    let mut table = page(0..2, 2, None);
    table["data"] = json!({"columns": [], "rows": []});
    let mut bad_row = page(0..2, 2, None);
    bad_row["data"][1]["properties"]["serviceProviderProperties"]["bandwidthInMbps"] = json!("fast");
    let cases: Vec<(Vec<Answer>, &str)> = vec![
        (vec![ok(truncated)], "resultTruncated"),
        (vec![ok(page(0..2, 5, None))], "$skipToken"),
        (vec![ok(table)], ": data:"),
        (vec![ok(page(0..2, 5, Some("t"))), ok(page(2..4, 5, Some("t")))], "$skipToken: repeats"),
        (vec![ok(bad_row)], "data[1].properties.serviceProviderProperties.bandwidthInMbps"),
    ];
    for (answers, path) in cases {
        let e = error_of(answers).await.to_string();
        assert!(e.contains(path), "{e} should name {path}");
    }
    let e = error_of(vec![Answer { status: 403, headers: vec![], body: json!({"error": {"code": "AuthorizationFailed", "message": "no access"}}) }]).await;
    assert!(matches!(e, GraphError::Query { status: Some(403), .. }), "{e}");
}
