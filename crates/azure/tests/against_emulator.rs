//! The collector against the ARM emulator: the data arrives, every fault
//! ends in data or a recorded failure (never a panic, a hang past the
//! deadline, or a `healthy` verdict built on missing data), and nothing but
//! GET and the read-only list actions ever leaves the client.

use erdiag_azure::{collect, ArmClient, ClientOptions, Cloud, Credential, NoProgress, Target};
use erdiag_checks::{diagnose, Options, Verdict};
use erdiag_emulator::{Config, Fault, FaultKind, Running};
use erdiag_model::ResourceId;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

const TOKEN: &str = "erdiag-test-token-4f1d9c";

fn scenario(name: &str) -> Value {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios").join(name).join("snapshot.json");
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

async fn emulator(snap: &Value, latency_ms: u64, faults: Vec<Fault>) -> Running {
    let mut c = Config::new(vec![snap.clone()]);
    c.operation_latency = Duration::from_millis(latency_ms);
    c.retry_after = 0;
    c.faults = faults;
    erdiag_emulator::start(c, "127.0.0.1:0".parse().unwrap()).await.unwrap()
}

fn client(em: &Running, deadline: Duration) -> Arc<ArmClient> {
    let options = ClientOptions {
        cloud: Cloud::Custom { endpoint: url::Url::parse(&format!("{}/", em.base_url)).unwrap(), scope: "https://management.azure.com/.default".into() },
        max_retries: 3,
        backoff_base: Duration::from_millis(10),
        backoff_max: Duration::from_millis(100),
        default_poll_interval: Duration::from_millis(20),
        per_call_timeout: Duration::from_secs(5),
        deadline,
        ..Default::default()
    };
    Arc::new(ArmClient::new(Credential::from_token(TOKEN.into()), options).unwrap())
}

fn target(snap: &Value) -> Target {
    let id = ResourceId::parse(snap["circuitId"].as_str().unwrap()).unwrap();
    let (sub, rg, name) = id.resource_parts().unwrap();
    Target::Circuit { subscription: sub.into(), resource_group: rg.into(), name: name.into() }
}

fn report(snapshot: &Value) -> erdiag_checks::Report {
    let bytes = serde_json::to_vec(snapshot).unwrap();
    let state = erdiag_model::Snapshot::from_slice(&bytes).unwrap().decode().unwrap();
    diagnose(&state, &Options::default())
}

fn key_set(m: &Value) -> Vec<String> {
    let mut v: Vec<String> = m.as_object().unwrap().keys().map(|k| erdiag_model::normalize_path(k)).collect();
    v.sort();
    v
}

/// Every request the emulator saw was a GET, a POST of a read-only list
/// action, or a Resource Graph query.
fn assert_read_only(em: &Running) {
    let reqs = em.requests();
    assert!(!reqs.is_empty());
    for r in reqs {
        match r.method.as_str() {
            "GET" => {}
            "POST" => assert!(
                erdiag_azure::client::is_list_action(&r.path) || erdiag_azure::client::is_resource_graph_query(&r.path),
                "POST {} is not a read-only list action",
                r.path
            ),
            m => panic!("{m} {} left the client", r.path),
        }
        assert!(r.authorized, "{} {} went without a token", r.method, r.path);
    }
}

#[tokio::test]
async fn collects_every_resource_of_a_healthy_circuit_concurrently() {
    let snap = scenario("healthy-private-microsoft");
    let em = emulator(&snap, 300, vec![]).await;
    let started = Instant::now();
    let c = collect(client(&em, Duration::from_secs(30)), &target(&snap), Arc::new(NoProgress)).await.unwrap();
    let took = started.elapsed();
    assert_eq!(c.failed, 0, "{}", c.snapshot["failures"]);
    // Everything the scenario holds, and the two connection listings as read.
    let sub = ResourceId::parse(snap["circuitId"].as_str().unwrap()).unwrap().subscription().to_string();
    let listings = [format!("/subscriptions/{sub}/resourceGroups/rg-er-weu/providers/Microsoft.Network/connections"), format!("/subscriptions/{sub}/resources")];
    let mut expected = snap["resources"].clone();
    // And Azure Monitor's metrics and the Resource Health history of the circuit and its gateway.
    let gateway = format!("/subscriptions/{sub}/resourceGroups/rg-er-weu/providers/Microsoft.Network/virtualNetworkGateways/ergw-hub-weu");
    for r in [snap["circuitId"].as_str().unwrap(), gateway.as_str()] {
        for made in ["providers/Microsoft.Insights/metrics", "providers/Microsoft.ResourceHealth/availabilityStatuses"] {
            expected[format!("{r}/{made}")] = json!({});
        }
    }
    for l in &listings {
        expected[l] = json!({});
        assert_eq!(c.snapshot["resources"][l]["value"].as_array().map(Vec::len), Some(1), "{l}");
    }
    // And the subscription's Virtual WAN ExpressRoute gateways, read and empty.
    let hubs = format!("/subscriptions/{sub}/providers/Microsoft.Network/expressRouteGateways");
    expected[&hubs] = json!({});
    assert_eq!(c.snapshot["resources"][&hubs], json!({"value": []}));
    // And who changed what in the last hour: nobody, in this scenario.
    let changes = changes_key(&snap);
    expected[&changes] = json!({});
    assert_eq!(c.snapshot["resources"][&changes], json!({"value": []}));
    assert_eq!(key_set(&c.snapshot["resources"]), key_set(&expected));
    for (k, v) in snap["resources"].as_object().unwrap() {
        let got = c.snapshot["resources"].as_object().unwrap().iter().find(|(g, _)| erdiag_model::normalize_path(g) == erdiag_model::normalize_path(k)).unwrap().1;
        assert_eq!(got, v, "{k}");
    }
    // 14 long-running operations of 300 ms each: run together, not one after another.
    assert!(took < Duration::from_millis(300 * 5), "took {took:?}");
    assert_eq!(report(&c.snapshot).verdict, Verdict::Healthy);
    assert_read_only(&em);
    em.shutdown().await;
}

#[tokio::test]
async fn a_circuit_alone_is_never_paced() {
    // 300-ms operations polled every 20 ms: some 250 reads, none paced by a
    // server that keeps no bucket.
    let snap = scenario("healthy-private-microsoft");
    let em = emulator(&snap, 300, vec![]).await;
    let client = client(&em, Duration::from_secs(30));
    let c = collect(client.clone(), &target(&snap), Arc::new(NoProgress)).await.unwrap();
    let s = client.stats();
    assert_eq!(s.requests as usize, em.requests().len(), "{s:?}");
    assert!(s.requests as usize >= c.calls, "{s:?}");
    assert_eq!((s.throttled, s.retries, s.paced, s.paced_ms), (0, 0, 0, 0), "full buckets add no wait: {s:?}");
    em.shutdown().await;
}

/// A throttling storm longer than `max_retries` ends in data: a 429 the
/// scheduler waits out is not a failed attempt.
#[tokio::test]
async fn throttling_longer_than_the_retries_fails_no_call() {
    let snap = scenario("healthy-private");
    let faults = vec![
        Fault::new("arpTables/primary", FaultKind::TooManyRequests { retry_after_secs: 0 }).times(8),
        Fault::new("/stats", FaultKind::TooManyRequests { retry_after_secs: 0 }).times(8),
    ];
    let em = emulator(&snap, 0, faults).await;
    let client = client(&em, Duration::from_secs(30));
    let c = collect(client.clone(), &target(&snap), Arc::new(NoProgress)).await.unwrap();
    assert_eq!(c.failed, 0, "{}", c.snapshot["failures"]);
    assert_eq!(report(&c.snapshot).verdict, Verdict::Healthy);
    let s = client.stats();
    assert_eq!(s.throttled, 16, "{s:?}");
    assert!(s.retries >= 16, "{s:?}");
    em.shutdown().await;
}

#[tokio::test]
async fn the_token_never_reaches_the_snapshot() {
    let snap = scenario("healthy-private");
    let em = emulator(&snap, 0, vec![]).await;
    let mut c = collect(client(&em, Duration::from_secs(30)), &target(&snap), Arc::new(NoProgress)).await.unwrap();
    erdiag_azure::redact_snapshot(&mut c.snapshot, &erdiag_azure::RedactKey::random());
    let text = c.snapshot.to_string();
    assert!(!text.contains(TOKEN));
    assert!(!text.contains("sharedKey"));
    let sub = ResourceId::parse(snap["circuitId"].as_str().unwrap()).unwrap().subscription().to_string();
    assert!(!text.contains(&sub), "--redact masks the subscription");
    assert_eq!(report(&c.snapshot).verdict, Verdict::Healthy, "a redacted snapshot still diagnoses");
    em.shutdown().await;
}

struct FaultCase {
    name: &'static str,
    faults: Vec<Fault>,
    /// true: the data must arrive anyway (transient fault); false: it must land in failures.
    recovers: bool,
}

fn cases() -> Vec<FaultCase> {
    let arp = "arpTables/primary";
    vec![
        FaultCase { name: "429 once", faults: vec![Fault::new(arp, FaultKind::TooManyRequests { retry_after_secs: 0 }).times(1)], recovers: true },
        FaultCase { name: "500 twice", faults: vec![Fault::new(arp, FaultKind::ServerError { status: 500 }).times(2)], recovers: true },
        FaultCase { name: "503 always", faults: vec![Fault::new(arp, FaultKind::ServerError { status: 503 })], recovers: false },
        FaultCase { name: "dropped once", faults: vec![Fault::new(arp, FaultKind::DropConnection).times(1)], recovers: true },
        FaultCase { name: "dropped mid-response once", faults: vec![Fault::new(arp, FaultKind::DropMidResponse).times(1)], recovers: true },
        FaultCase { name: "dropped always", faults: vec![Fault::new(arp, FaultKind::DropConnection)], recovers: false },
        FaultCase { name: "operation never finishes", faults: vec![Fault::new(arp, FaultKind::NeverFinishes)], recovers: false },
        FaultCase { name: "operation fails", faults: vec![Fault::new(arp, FaultKind::OperationFails)], recovers: false },
        FaultCase { name: "malformed body once", faults: vec![Fault::new("operationResults", FaultKind::MalformedBody).times(1)], recovers: true },
        FaultCase { name: "malformed body always", faults: vec![Fault::new(arp, FaultKind::MalformedBody)], recovers: false },
        FaultCase { name: "slow answer", faults: vec![Fault::new(arp, FaultKind::Latency { millis: 300 })], recovers: true },
        FaultCase {
            name: "mixed",
            faults: vec![
                Fault::new("routeTablesSummary/secondary", FaultKind::TooManyRequests { retry_after_secs: 0 }).times(2),
                Fault::new("/stats", FaultKind::ServerError { status: 500 }).times(1),
                Fault::new("getLearnedRoutes", FaultKind::DropConnection).times(1),
                Fault::new(arp, FaultKind::OperationFails),
                Fault::new("routeTables/secondary", FaultKind::NeverFinishes),
            ],
            recovers: false,
        },
    ]
}

#[tokio::test]
async fn every_fault_ends_in_data_or_a_recorded_failure_within_the_deadline() {
    let snap = scenario("healthy-private");
    let arp_key = format!("{}/peerings/AzurePrivatePeering/arpTables/primary", snap["circuitId"].as_str().unwrap());
    let deadline = Duration::from_secs(3);
    for case in cases() {
        let em = emulator(&snap, 50, case.faults).await;
        let started = Instant::now();
        let c = collect(client(&em, deadline), &target(&snap), Arc::new(NoProgress)).await.unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let took = started.elapsed();
        assert!(took < deadline + Duration::from_secs(2), "{}: took {took:?}, past the deadline", case.name);
        let failures = c.snapshot["failures"].as_object().unwrap();
        let failed_arp = failures.keys().any(|k| erdiag_model::normalize_path(k) == erdiag_model::normalize_path(&arp_key));
        let r = report(&c.snapshot);
        if case.recovers {
            assert!(failures.is_empty(), "{}: {failures:?}", case.name);
            assert_eq!(r.verdict, Verdict::Healthy, "{}", case.name);
        } else {
            assert!(failed_arp, "{}: the ARP failure was not recorded: {failures:?}", case.name);
            assert_ne!(r.verdict, Verdict::Healthy, "{}: healthy on missing data", case.name);
            let arp = r.findings.iter().find(|f| f.check == "ER301" && f.path == Some(erdiag_model::DevicePath::Primary)).unwrap();
            assert_eq!(arp.status, erdiag_checks::Status::Unknown, "{}", case.name);
        }
        assert_read_only(&em);
        em.shutdown().await;
    }
}

#[tokio::test]
async fn a_failed_connections_listing_is_recorded_and_not_healthy() {
    let snap = scenario("healthy-private");
    let faults = vec![
        Fault::new("/providers/Microsoft.Network/connections", FaultKind::ServerError { status: 500 }),
        Fault::new("/resources", FaultKind::ServerError { status: 500 }),
    ];
    let em = emulator(&snap, 0, faults).await;
    let c = collect(client(&em, Duration::from_secs(5)), &target(&snap), Arc::new(NoProgress)).await.unwrap();
    let failures = c.snapshot["failures"].as_object().unwrap();
    assert!(failures.keys().any(|k| k.ends_with("/providers/Microsoft.Network/connections")), "{failures:?}");
    assert!(failures.keys().any(|k| k.ends_with("/resources")), "{failures:?}");
    let r = report(&c.snapshot);
    assert_eq!(r.verdict, Verdict::Unknown);
    let er801 = r.findings.iter().find(|f| f.check == "ER801").unwrap();
    assert!(er801.message.contains("HTTP 500"), "{}", er801.message);
    em.shutdown().await;
}

#[tokio::test]
async fn no_token_is_a_recorded_401_not_a_crash() {
    let snap = scenario("healthy-private");
    let em = emulator(&snap, 0, vec![]).await;
    let options = ClientOptions {
        cloud: Cloud::Custom { endpoint: url::Url::parse(&format!("{}/", em.base_url)).unwrap(), scope: "x".into() },
        ..Default::default()
    };
    // An empty static token: the emulator answers 401 to an empty bearer.
    let client = Arc::new(ArmClient::new(Credential::from_token(String::new()), options).unwrap());
    let e = collect(client, &target(&snap), Arc::new(NoProgress)).await.err().expect("no circuit without a token");
    assert!(e.to_string().contains("401"), "{e}");
    em.shutdown().await;
}

/// Where a collected snapshot keeps Resource Graph's `resourcechanges` rows.
fn changes_key(snap: &Value) -> String {
    format!("{}/providers/Microsoft.ResourceGraph/resourceChanges", snap["circuitId"].as_str().unwrap())
}

#[tokio::test]
async fn who_changed_the_circuit_in_the_last_hour_is_collected() {
    let mut snap = scenario("healthy-private");
    let circuit = snap["circuitId"].as_str().unwrap().to_string();
    let now = erdiag_model::time::parse_rfc3339(&erdiag_azure::now_rfc3339()).unwrap();
    let row = |n: u32, target: &str, ago: i64| {
        json!({"id": format!("{target}/providers/Microsoft.Resources/changes/{n}"), "type": "microsoft.resources/changes",
               "properties": {"targetResourceId": target, "targetResourceType": "microsoft.network/expressroutecircuits", "changeType": "Update",
                              "changeAttributes": {"changedBy": "alice@contoso.com", "clientType": "Azure Portal", "timestamp": erdiag_model::time::unix_rfc3339(now - ago)},
                              "changes": {"properties.state": {"previousValue": "Enabled", "newValue": "Disabled", "propertyChangeType": "Update"}}}})
    };
    let elsewhere = circuit.replace("er-ckt-ams", "er-ckt-other");
    let key = changes_key(&snap);
    snap["resources"][key] = json!({"value": [
        row(1, &format!("{circuit}/peerings/AzurePrivatePeering"), 600),
        row(2, &circuit, 2 * 3600),
        row(3, &elsewhere, 300),
    ]});
    let em = emulator(&snap, 0, vec![]).await;
    let c = collect(client(&em, Duration::from_secs(30)), &target(&snap), Arc::new(NoProgress)).await.unwrap();
    assert_eq!(c.failed, 0, "{}", c.snapshot["failures"]);
    let rows = c.snapshot["resources"][changes_key(&snap)]["value"].as_array().unwrap().clone();
    // The peering's change of ten minutes ago; not the one of two hours ago, nor another circuit's.
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 1, "{rows:#?}");
    assert!(ids[0].ends_with("/changes/1"), "{ids:?}");
    assert_eq!(rows[0]["properties"]["changeAttributes"]["changedBy"], "alice@contoso.com");
    assert_read_only(&em);
    em.shutdown().await;
}

#[tokio::test]
async fn a_circuit_served_by_a_virtual_wan_hub_is_collected_with_its_gateway_connections_hub_and_health() {
    let snap = scenario("vwan-healthy");
    let em = emulator(&snap, 300, vec![]).await;
    let c = collect(client(&em, Duration::from_secs(30)), &target(&snap), Arc::new(NoProgress)).await.unwrap();
    assert_eq!(c.failed, 0, "{}", c.snapshot["failures"]);
    let res = &c.snapshot["resources"];
    for (k, v) in snap["resources"].as_object().unwrap().iter().filter(|(k, _)| k.contains("rg-vwan-weu") || k.ends_with("/expressRouteGateways")) {
        assert_eq!(&res[k], v, "{k}");
    }
}

#[tokio::test]
async fn global_reach_and_authorizations_are_collected_without_their_keys() {
    let snap = scenario("global-reach-healthy");
    let em = emulator(&snap, 0, vec![]).await;
    let c = collect(client(&em, Duration::from_secs(30)), &target(&snap), Arc::new(NoProgress)).await.unwrap();
    let keys = key_set(&c.snapshot["resources"]);
    for want in ["/connections/gr-ams-lon", "/er-ckt-lon", "/er-ckt-lon/peerings/azureprivatepeering"] {
        assert!(keys.iter().any(|k| k.to_ascii_lowercase().ends_with(&want.to_ascii_lowercase())), "{want} not collected: {keys:#?}");
    }
    assert_eq!(report(&c.snapshot).verdict, Verdict::Healthy);
    em.shutdown().await;

    let snap = scenario("authorization-other-subscription");
    let em = emulator(&snap, 0, vec![]).await;
    let c = collect(client(&em, Duration::from_secs(30)), &target(&snap), Arc::new(NoProgress)).await.unwrap();
    let text = c.snapshot.to_string();
    assert!(text.contains("auth-spoke-prod") && text.contains("InUse"), "the authorizations list was not collected");
    assert!(!text.contains("7d4c1e2a-9b3f-4e8d-a6c5-0f1e2d3c4b5a") && !text.contains("authorizationKey"), "an authorization key reached the snapshot");
    assert_eq!(report(&c.snapshot).verdict, Verdict::Healthy);
    em.shutdown().await;

    // The other circuit in a subscription the credential cannot read: a failure entry, never a fault.
    let snap = scenario("global-reach-peer-forbidden");
    let em = emulator(&snap, 0, vec![]).await;
    let c = collect(client(&em, Duration::from_secs(30)), &target(&snap), Arc::new(NoProgress)).await.unwrap();
    assert!(key_set(&c.snapshot["failures"]).iter().any(|k| k.ends_with("er-ckt-lon")), "{:#?}", c.snapshot["failures"]);
    assert!(!c.snapshot.to_string().contains("5f0c2d7e-91ab-4c3d-8e6f-a1b2c3d4e5f6"));
    assert_eq!(report(&c.snapshot).verdict, Verdict::Unknown);
    em.shutdown().await;
}

#[tokio::test]
async fn a_direct_circuit_s_port_and_the_key_vault_of_its_macsec_keys_are_collected() {
    let mut snap = scenario("healthy-direct");
    let key = |snap: &Value, tail: &str| snap["resources"].as_object().unwrap().keys().find(|k| k.ends_with(tail)).cloned().unwrap();
    let port = key(&snap, "/expressRoutePorts/erd-port-ams");
    let vault = key(&snap, "/Microsoft.KeyVault/vaults/kv-erd-macsec-ams");
    let vaults = key(&snap, "/providers/Microsoft.KeyVault/vaults");
    // A vault that authorizes by RBAC: its role assignments are read too.
    snap["resources"][&vault]["properties"]["enableRbacAuthorization"] = json!(true);
    let roles = format!("{vault}/providers/Microsoft.Authorization/roleAssignments");
    let principal = snap["resources"][&port]["identity"]["userAssignedIdentities"].as_object().unwrap().values().next().unwrap()["principalId"].clone();
    snap["resources"][&roles] = json!({"value": [{"id": format!("{roles}/0b4ad7f4-6c55-4a0e-a8c1-1c9e2c6b1f10"), "properties": {
        "roleDefinitionId": "/subscriptions/3f2a6c1e-8d4b-4c7a-9e15-2b7d0c9a4f61/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6",
        "principalId": principal, "scope": vault}}]});
    let em = emulator(&snap, 0, vec![]).await;
    let c = collect(client(&em, Duration::from_secs(30)), &target(&snap), Arc::new(NoProgress)).await.unwrap();
    assert_eq!(c.failed, 0, "{}", c.snapshot["failures"]);
    for k in [&port, &vault, &roles] {
        assert_eq!(c.snapshot["resources"][k.as_str()], snap["resources"][k.as_str()], "{k}");
    }
    assert_eq!(c.snapshot["resources"][&vaults], json!({"value": [{"id": vault}]}));
    let r = report(&c.snapshot);
    assert_eq!(r.verdict, Verdict::Healthy, "{:#?}", r.coverage);
    assert!(r.findings.iter().filter(|f| f.check == "ER115").all(|f| f.status == erdiag_checks::Status::Pass && f.message.contains("Key Vault Secrets User")));
    // Through ARM only: never a vault's data plane.
    assert!(em.requests().iter().all(|r| !r.path.contains("/secrets")));
    assert_read_only(&em);
    em.shutdown().await;
}

#[tokio::test]
async fn a_port_that_cannot_be_read_is_a_failure_and_its_checks_unknown() {
    let snap = scenario("healthy-direct");
    let port = snap["resources"].as_object().unwrap().keys().find(|k| k.ends_with("/expressRoutePorts/erd-port-ams")).cloned().unwrap();
    let em = emulator(&snap, 0, vec![Fault::new("/expressRoutePorts/erd-port-ams", FaultKind::ServerError { status: 503 })]).await;
    let c = collect(client(&em, Duration::from_secs(30)), &target(&snap), Arc::new(NoProgress)).await.unwrap();
    assert_eq!(c.snapshot["failures"][&port]["status"], 503, "{}", c.snapshot["failures"]);
    let r = report(&c.snapshot);
    assert_eq!(r.verdict, Verdict::Unknown);
    assert!(r.findings.iter().filter(|f| f.check == "ER110").all(|f| f.status == erdiag_checks::Status::Unknown));
    em.shutdown().await;
}
