//! A generated fleet as clients see it: Resource Graph's paging and quota,
//! ARM's throttling (headers, 429, the bucket of a child resource and of an
//! operation URL), forbidden subscriptions, and the generator's determinism.

mod common;

use common::*;
use erdiag_emulator::fleet::{generate, Fleet, FleetSpec, Template};
use erdiag_emulator::{Config, GraphQuota, Throttle};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::time::Duration;

const GRAPH: &str = "/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01";
const CIRCUITS: &str = "Resources | where type =~ 'microsoft.network/expressroutecircuits' | project id, name, location, properties";

/// Every scenario of the repository, faulty when its expected verdict is not healthy.
fn templates() -> Vec<Template> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let mut names: Vec<String> = std::fs::read_dir(&root)
        .expect("scenarios")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("expected.json").exists())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let expected: Value = serde_json::from_str(&std::fs::read_to_string(root.join(&name).join("expected.json")).unwrap()).unwrap();
            let mut snapshot = scenario(&name);
            snapshot.as_object_mut().unwrap().remove("inputs");
            Template { faulty: expected["verdict"] != "healthy", name, snapshot }
        })
        .collect()
}

fn fleet(spec: &str) -> Fleet {
    generate(&FleetSpec::parse(spec).expect("spec"), &templates()).expect("fleet")
}

async fn graph(client: &reqwest::Client, running: &erdiag_emulator::Running, body: Value) -> reqwest::Response {
    client.post(running.url(GRAPH)).header("authorization", BEARER).json(&body).send().await.expect("answered")
}

#[test]
fn the_same_seed_gives_the_same_fleet_and_another_seed_another() {
    let bytes = |spec: &str| serde_json::to_vec(&fleet(spec).snapshots).unwrap();
    let a = bytes("circuits=12,subscriptions=3,regions=2,faulty=0.3,seed=7,direct=1");
    assert_eq!(a, bytes("circuits=12,subscriptions=3,regions=2,faulty=0.3,seed=7,direct=1"));
    assert_ne!(a, bytes("circuits=12,subscriptions=3,regions=2,faulty=0.3,seed=8,direct=1"));

    let f = fleet("circuits=40,subscriptions=4,regions=2,faulty=0.25,seed=3,direct=2");
    assert_eq!(f.circuits.len(), 40);
    assert_eq!(f.circuits.iter().filter(|c| c.faulty).count(), 10);
    let mut ids: Vec<&str> = f.circuits.iter().map(|c| c.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 40, "ids are unique");
    // Pairs share a gateway, usually in two peering locations.
    let pairs = f.circuits.chunks(2).filter(|p| p[0].gateway == p[1].gateway).count();
    assert_eq!(pairs, 20);
    assert!(f.circuits.chunks(2).filter(|p| p[0].port.is_none() && p[1].port.is_none() && p[0].peering_location != p[1].peering_location).count() >= 12);
    // Every served snapshot is a usable erdiag-snapshot/1 whose circuit is at its id.
    for s in &f.snapshots {
        let id = s["circuitId"].as_str().unwrap();
        assert!(s["resources"][id]["properties"]["peerings"].is_array(), "{id}");
        assert!(id.contains("/resourceGroups/rg-expressroute/"), "{id}");
    }
    assert_eq!(f.ports.len(), 2);
    // Every circuit on a port names the port that is served, whichever its
    // subscription (in the second fleet, the port's own has too few healthy circuits).
    let g = fleet("circuits=12,subscriptions=3,regions=2,faulty=0.2,seed=4,direct=1");
    assert!(g.circuits.iter().filter(|c| c.port.is_some()).any(|c| !c.port.as_deref().unwrap().contains(&c.subscription)));
    for (f, c) in [&f, &g].into_iter().flat_map(|f| f.circuits.iter().filter(|c| c.port.is_some()).map(move |c| (f, c))) {
        let port = c.port.as_deref().unwrap();
        let body = f.snapshots.iter().find(|s| s["circuitId"] == c.id.as_str()).map(|s| &s["resources"][c.id.as_str()]).unwrap();
        assert_eq!(body["properties"]["expressRoutePort"]["id"], port, "{}", c.id);
        assert!(f.snapshots.iter().any(|s| s["resources"].get(port).is_some()), "{port} is served");
    }
}

#[tokio::test]
async fn resource_graph_pages_with_tokens_and_keeps_its_quota() {
    let f = fleet("circuits=25,subscriptions=3,regions=2,seed=2,direct=1");
    let mut config = f.clone().config();
    config.graph_quota = GraphQuota { requests: 3, window: Duration::from_secs(2) };
    let em = serve(config).await;
    let c = client();

    // Pages of 10: three pages, each token leading to the next, every circuit once.
    let mut seen = Vec::new();
    let mut body = json!({ "query": CIRCUITS, "options": { "$top": 10 } });
    for page in 0..3 {
        let r = graph(&c, &em, body.clone()).await;
        assert_eq!(r.status(), 200);
        assert_eq!(header(&r, "x-ms-user-quota-remaining"), (2 - page).to_string());
        assert_eq!(header(&r, "x-ms-user-quota-resets-after").len(), 8);
        let v = json(r).await;
        assert_eq!(v["totalRecords"], 25);
        assert_eq!(v["resultTruncated"], "false");
        assert_eq!(v["count"], if page < 2 { 10 } else { 5 });
        seen.extend(v["data"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_string()));
        match v.get("$skipToken").and_then(Value::as_str) {
            Some(t) => body["options"] = json!({ "$skipToken": t, "$top": 10 }),
            None => assert_eq!(page, 2, "only the last page has no token"),
        }
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 25);

    // The quota is spent: 429 with Retry-After and the quota headers.
    let r = graph(&c, &em, json!({ "query": CIRCUITS })).await;
    assert_eq!(r.status(), 429);
    assert_eq!(header(&r, "x-ms-user-quota-remaining"), "0");
    assert!(header(&r, "retry-after").parse::<u64>().unwrap() >= 1);
    assert_eq!(json(r).await["error"]["code"], "RateLimiting");

    // After the window, a token from another query is refused, and ports are a type of their own.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let first = json(graph(&c, &em, json!({ "query": CIRCUITS, "options": { "$top": 10 } })).await).await;
    let token = first["$skipToken"].as_str().unwrap();
    let r = graph(&c, &em, json!({ "query": "Resources | where type =~ 'microsoft.network/expressroutecircuits'", "options": { "$skipToken": token } })).await;
    assert_eq!(r.status(), 400);
    let ports = json(graph(&c, &em, json!({ "query": "Resources | where type =~ 'microsoft.network/expressrouteports'" })).await).await;
    assert_eq!(ports["count"], 1);
    assert_eq!(ports["data"][0]["type"], "microsoft.network/expressrouteports");
    assert_eq!(ports["data"][0]["properties"]["bandwidthInGbps"], 10);
    em.shutdown().await;
}

#[tokio::test]
async fn resource_graph_refuses_what_arg_refuses_and_scopes_by_group() {
    let f = fleet("circuits=14,subscriptions=7,regions=1,seed=4");
    let em = serve(f.clone().config()).await;
    let c = client();
    for (body, code) in [
        (json!({ "query": CIRCUITS, "options": { "$top": 1001 } }), "InvalidRequestContent"),
        (json!({ "query": CIRCUITS, "options": { "$top": 0 } }), "InvalidRequestContent"),
        (json!({ "options": {} }), "InvalidRequestContent"),
        (json!({ "query": "Resources | summarize count() by type" }), "InvalidQuery"),
    ] {
        let r = graph(&c, &em, body.clone()).await;
        assert_eq!(r.status(), 400, "{body}");
        let v = json(r).await;
        assert_eq!(v["error"]["code"], "BadRequest");
        assert_eq!(v["error"]["details"][0]["code"], code, "{body}");
    }
    // mg-1 holds the second and the seventh subscription (every fifth from the second): 4 circuits of 14.
    let v = json(graph(&c, &em, json!({ "query": CIRCUITS, "managementGroups": ["mg-1"] })).await).await;
    let subs: Vec<&str> = f.management_groups[1].subscriptions.iter().map(String::as_str).collect();
    assert_eq!(subs.len(), 2);
    assert_eq!(v["totalRecords"], 4);
    assert!(v["data"].as_array().unwrap().iter().all(|r| subs.iter().any(|s| r["id"].as_str().unwrap().contains(s))));
    let r = graph(&c, &em, json!({ "query": CIRCUITS, "managementGroups": ["mg-unknown"] })).await;
    assert_eq!(r.status(), 403);
    let v = json(graph(&c, &em, json!({ "query": CIRCUITS, "subscriptions": [f.subscriptions[0].to_uppercase()] })).await).await;
    assert_eq!(v["totalRecords"], 2);
    em.shutdown().await;
}

#[tokio::test]
async fn a_single_scenario_is_discoverable() {
    let em = serve(Config::new(vec![scenario("healthy-private")])).await;
    let v = json(graph(&client(), &em, json!({ "query": CIRCUITS })).await).await;
    assert_eq!(v["count"], 1);
    assert_eq!(v["data"][0]["id"], circuit_id(&scenario("healthy-private")));
    em.shutdown().await;
}

#[tokio::test]
async fn an_empty_bucket_answers_429_and_every_answer_says_what_is_left() {
    let f = fleet("circuits=4,subscriptions=1,regions=2,seed=5");
    let mut config = f.clone().config();
    config.throttle = Some(Throttle { capacity: 3, refill_per_sec: 0.5 });
    let em = serve(config).await;
    let c = client();
    let (a, b) = (&f.circuits[0], &f.circuits[2]);
    assert_ne!(a.region, b.region);
    for left in ["2", "1", "0"] {
        let r = get(&c, &arm(&em, &a.id)).await;
        assert_eq!(r.status(), 200);
        assert_eq!(header(&r, "x-ms-ratelimit-remaining-subscription-reads"), left);
        assert!(header(&r, "x-ms-ratelimit-remaining-subscription-global-reads").parse::<u64>().unwrap() > 3);
    }
    // Empty: 429, whole seconds, ARM's error body; a refusal takes no token.
    for _ in 0..2 {
        let r = get(&c, &arm(&em, &format!("{}/peerings/AzurePrivatePeering", a.id))).await;
        assert_eq!(r.status(), 429);
        assert_eq!(header(&r, "retry-after"), "2");
        assert_eq!(header(&r, "x-ms-ratelimit-remaining-subscription-reads"), "0");
        assert_eq!(json(r).await["error"]["code"], "SubscriptionRequestsThrottled");
    }
    // The same subscription in another region has its own bucket.
    let r = get(&c, &arm(&em, &b.id)).await;
    assert_eq!((r.status().as_u16(), header(&r, "x-ms-ratelimit-remaining-subscription-reads")), (200, "2".to_string()));
    let stats = em.bucket_stats();
    let of = |region: &str| stats.iter().find(|s| s.region == region).map(|s| (s.reads, s.throttled)).unwrap();
    assert_eq!(of(&a.region), (3, 2));
    assert_eq!(of(&b.region), (1, 0));
    em.shutdown().await;
}

#[tokio::test]
async fn actions_and_operation_urls_take_from_their_circuits_region() {
    let f = fleet("circuits=4,subscriptions=1,regions=2,seed=6");
    let mut config = f.clone().config();
    config.throttle = Some(Throttle::default());
    let em = serve(config).await;
    let c = client();
    let north = f.circuits.iter().find(|x| x.region == "northeurope").unwrap();
    let r = post(&c, &arm(&em, &format!("{}/peerings/AzurePrivatePeering/arpTables/primary", north.id))).await;
    assert_eq!(r.status(), 202);
    let status_url = header(&r, "azure-asyncoperation");
    assert!(status_url.contains(&format!("/subscriptions/{}/providers/Microsoft.Network/locations/northeurope/operations/", north.subscription)), "{status_url}");
    assert_eq!(get(&c, &status_url).await.status(), 200);
    assert_eq!(get(&c, &header(&r, "location")).await.status(), 200);
    // A child resource: its circuit's region too.
    assert_eq!(get(&c, &arm(&em, &format!("{}/peerings/AzurePrivatePeering", north.id))).await.status(), 200);
    // The action, its status, its result and the peering: four reads in the circuit's region.
    let stats = em.bucket_stats();
    assert_eq!(stats.len(), 1, "{stats:?}");
    assert_eq!((stats[0].region.as_str(), stats[0].reads), ("northeurope", 4));
    // A list in the resource group: the group's region, that of its first resource (the first pair's).
    let list = format!("/subscriptions/{}/resourceGroups/rg-expressroute/providers/Microsoft.Network/connections", north.subscription);
    assert_eq!(get(&c, &arm(&em, &list)).await.status(), 200);
    let stats = em.bucket_stats();
    assert_eq!(stats.iter().map(|s| (s.region.as_str(), s.reads)).collect::<Vec<_>>(), [("northeurope", 4), ("westeurope", 1)]);
    assert_eq!(f.circuits[0].region, "westeurope");
    em.shutdown().await;
}

#[tokio::test]
async fn a_forbidden_subscription_answers_403_and_is_still_listed() {
    let f = fleet("circuits=8,subscriptions=2,regions=1,seed=9,forbidden=1");
    let em = serve(f.clone().config()).await;
    let c = client();
    let (open, closed): (Vec<_>, Vec<_>) = f.circuits.iter().partition(|x| !f.forbidden.contains(&x.subscription));
    assert_eq!((open.len(), closed.len()), (4, 4));
    for x in &closed {
        let r = get(&c, &arm(&em, &x.id)).await;
        assert_eq!(r.status(), 403);
        let v = json(r).await;
        assert_eq!(v["error"]["code"], "AuthorizationFailed");
        assert!(v["error"]["message"].as_str().unwrap().contains("Microsoft.Network/expressRouteCircuits/read"));
        assert_eq!(post(&c, &arm(&em, &format!("{}/peerings/AzurePrivatePeering/routeTables/primary", x.id))).await.status(), 403);
    }
    assert_eq!(get(&c, &arm(&em, &open[0].id)).await.status(), 200);
    let v = json(graph(&c, &em, json!({ "query": CIRCUITS })).await).await;
    assert_eq!(v["totalRecords"], 8);
    em.shutdown().await;
}

/// The first summary row's `statePfxRcd` of a circuit's private peering on `path`.
fn session(backend: &dyn erdiag_emulator::Backend, circuit: &str, path: &str) -> String {
    let url = erdiag_model::normalize_path(&format!("{circuit}/peerings/AzurePrivatePeering/routeTablesSummary/{path}"));
    match backend.get(&url) {
        erdiag_emulator::Lookup::Found(v) => v["value"][0]["statePfxRcd"].to_string(),
        _ => panic!("no summary at {url}"),
    }
}

#[tokio::test]
async fn a_timeline_event_naming_a_circuit_happens_to_that_circuit_only() {
    use erdiag_emulator::{Clock, TimedBackend, Timeline};
    const T0: i64 = 1_795_000_000;
    let f = fleet("circuits=4,subscriptions=1,regions=1,faulty=0,seed=3");
    let name = |i: usize| erdiag_model::last_segment(&f.circuits[i].id).to_string();
    let events = format!(
        r#"{{"events": [
            {{"kind": "bgp-down", "circuit": "{}", "path": "secondary", "from": "+10m", "to": "+20m"}},
            {{"kind": "maintenance", "circuit": "{}", "path": "primary", "from": "+30m", "to": "+40m"}}
        ]}}"#,
        name(1),
        name(2).to_uppercase()
    );
    let timeline = Timeline::parse(&events, T0).unwrap();
    let clock = Clock::fixed(T0);
    let backend = TimedBackend::new(f.snapshots.clone(), timeline.clone(), clock.clone()).unwrap();
    let ids: Vec<&str> = f.circuits.iter().map(|c| c.id.as_str()).collect();
    let before: Vec<String> = ids.iter().map(|id| session(&backend, id, "secondary")).collect();
    clock.set(T0 + 15 * 60);
    assert_eq!(session(&backend, ids[1], "secondary"), "\"Idle\"");
    for i in [0, 2, 3] {
        assert_eq!(session(&backend, ids[i], "secondary"), before[i], "circuit {i} is not the event's");
    }
    clock.set(T0 + 35 * 60);
    assert_eq!(session(&backend, ids[2], "primary"), "\"Idle\"", "a circuit's name matches in any case");
    assert_ne!(session(&backend, ids[3], "primary"), "\"Idle\"");
    assert_eq!(session(&backend, ids[1], "secondary"), before[1], "the session came back after `to`");

    // Resource Health: the maintenance is in that circuit's history only
    // (the emulator anchors the timeline at the clock's time when it starts).
    clock.set(T0);
    let mut config = f.clone().config();
    config.clock = clock.clone();
    config.timeline = Some(timeline);
    let em = serve(config).await;
    clock.set(T0 + 45 * 60);
    let c = client();
    let statuses = |id: &str| em.url(&format!("{id}/providers/Microsoft.ResourceHealth/availabilityStatuses?api-version=2025-05-01"));
    let planned = |v: &Value| v["value"].as_array().unwrap().iter().filter(|s| s["properties"]["context"] == "Planned").count();
    assert_eq!(planned(&json(get(&c, &statuses(ids[2])).await).await), 1);
    assert_eq!(planned(&json(get(&c, &statuses(ids[3])).await).await), 0);
    em.shutdown().await;

    // A gateway's event is every circuit's: naming one is refused, naming the field.
    let err = Timeline::parse(r#"{"events": [{"kind": "gateway-cpu", "percent": 95, "circuit": "er-x", "from": "0"}]}"#, T0).unwrap_err();
    assert!(err.message.contains("events[0].circuit"), "{err}");
}

#[test]
fn an_accelerated_clock_steps_by_its_speed() {
    use erdiag_emulator::Clock;
    assert_eq!(Clock::accelerated(1000, 300.0).step(), 300);
    assert_eq!(Clock::accelerated(1000, 0.5).step(), 1);
    assert_eq!(Clock::fixed(1000).step(), 1);
}
