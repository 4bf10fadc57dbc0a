//! The ARM REST contract as a client sees it, against the healthy-private
//! scenario: resource GETs, collections, the POST list actions as
//! long-running operations, and the refusals (401, 400, 404, 405).

mod common;

use common::*;
use erdiag_emulator::{Config, DEFAULT_TENANT_ID};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

#[tokio::test]
async fn get_circuit_answers_the_snapshot_body() {
    let (emu, c, snap) = healthy(|_| {}).await;
    let http = client();

    let r = get(&http, &arm(&emu, &c)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "content-type"), "application/json; charset=utf-8");
    assert_eq!(header(&r, "x-ms-request-id").len(), 36);
    assert!(!header(&r, "x-ms-correlation-request-id").is_empty());
    assert_eq!(json(r).await, *resource(&snap, &c));

    // Paths match case-insensitively; the body is the same.
    let r = get(&http, &arm(&emu, &c.to_uppercase().replace("SUBSCRIPTIONS", "subscriptions"))).await;
    assert_eq!(r.status(), 200);
    assert_eq!(json(r).await, *resource(&snap, &c));

    // Stats and stand-alone peerings are plain GETs too.
    let stats = format!("{c}/peerings/AzurePrivatePeering/stats");
    assert_eq!(json(get(&http, &arm(&emu, &stats)).await).await, *resource(&snap, &stats));

    // The client's correlation id is echoed.
    let r = http
        .get(arm(&emu, &c))
        .header("authorization", BEARER)
        .header("x-ms-correlation-request-id", "corr-123")
        .send()
        .await
        .unwrap();
    assert_eq!(header(&r, "x-ms-correlation-request-id"), "corr-123");
    emu.shutdown().await;
}

#[tokio::test]
async fn arp_table_runs_as_a_long_running_operation() {
    let (emu, c, snap) = healthy(|config| config.operation_latency = Duration::from_millis(600)).await;
    let action = format!("{c}/peerings/AzurePrivatePeering/arpTables/primary");
    let http = client();

    let started = Instant::now();
    let r = post(&http, &arm(&emu, &action)).await;
    assert_eq!(r.status(), 202);
    assert_eq!(header(&r, "retry-after"), "0");
    let status_url = header(&r, "azure-asyncoperation");
    let location = header(&r, "location");
    let ops = format!("{}/subscriptions/3f2a6c1e-8d4b-4c7a-9e15-2b7d0c9a4f61/providers/Microsoft.Network/locations/westeurope/", emu.base_url);
    assert!(status_url.starts_with(&format!("{ops}operations/")), "{status_url}");
    assert!(status_url.ends_with("?api-version=2024-05-01"), "{status_url}");
    assert!(location.starts_with(&format!("{ops}operationResults/")), "{location}");
    assert_eq!(r.text().await.unwrap(), "", "a 202 has an empty body");

    // InProgress first (the latency has not passed yet) …
    let first = json(get(&http, &status_url).await).await;
    assert_eq!(first["status"], "InProgress");
    assert!(started.elapsed() < Duration::from_millis(600), "the first poll came too late to see InProgress");
    // … then Succeeded, within a bounded number of polls (at most 2 s).
    let (status, body) = poll(&http, &status_url, 80, Duration::from_millis(25), |_, b| !b.contains("InProgress")).await;
    assert!(started.elapsed() >= Duration::from_millis(600), "Succeeded before the latency passed");
    assert_eq!(status, 200);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["status"], "Succeeded");
    assert!(body["endTime"].is_string());

    // The final body is at the Location URL.
    let r = get(&http, &location).await;
    assert_eq!(r.status(), 200);
    assert_eq!(json(r).await, *resource(&snap, &action));
    emu.shutdown().await;
}

#[tokio::test]
async fn location_only_clients_poll_202_until_the_result() {
    let (emu, c, snap) = healthy(|config| {
        config.operation_latency = Duration::from_millis(600);
        config.retry_after = 1;
    }).await;
    let action = format!("{c}/peerings/AzurePrivatePeering/routeTablesSummary/secondary");
    let http = client();

    let r = post(&http, &arm(&emu, &action)).await;
    assert_eq!(r.status(), 202);
    assert_eq!(header(&r, "retry-after"), "1");
    let location = header(&r, "location");

    let r = get(&http, &location).await;
    assert_eq!(r.status(), 202, "in progress: 202 again");
    assert_eq!(header(&r, "location"), location);
    assert_eq!(header(&r, "retry-after"), "1");

    let (status, body) = poll(&http, &location, 80, Duration::from_millis(25), |s, _| s != 202).await;
    assert_eq!(status, 200);
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap(), *resource(&snap, &action));
    emu.shutdown().await;
}

#[tokio::test]
async fn zero_latency_operations_complete_at_the_first_poll() {
    let (emu, c, snap) = healthy(|_| {}).await;
    let http = client();
    for table in ["arpTables/secondary", "routeTables/primary", "routeTablesSummary/primary"] {
        let action = format!("{c}/peerings/AzurePrivatePeering/{table}");
        let r = post(&http, &arm(&emu, &action)).await;
        assert_eq!(r.status(), 202);
        let status_url = header(&r, "azure-asyncoperation");
        let location = header(&r, "location");
        assert_eq!(json(get(&http, &status_url).await).await["status"], "Succeeded");
        assert_eq!(json(get(&http, &location).await).await, *resource(&snap, &action), "{table}");
    }
    emu.shutdown().await;
}

#[tokio::test]
async fn gateway_actions_are_operations_too() {
    let (emu, _, snap) = healthy(|_| {}).await;
    let gw = "/subscriptions/3f2a6c1e-8d4b-4c7a-9e15-2b7d0c9a4f61/resourceGroups/rg-er-weu/providers/Microsoft.Network/virtualNetworkGateways/ergw-hub-weu";
    let http = client();
    for action in ["getBgpPeerStatus", "getLearnedRoutes"] {
        let path = format!("{gw}/{action}");
        let r = post(&http, &arm(&emu, &path)).await;
        assert_eq!(r.status(), 202, "{action}");
        let location = header(&r, "location");
        assert_eq!(json(get(&http, &location).await).await, *resource(&snap, &path), "{action}");
    }
    // getBgpPeerStatus?peer= keeps that neighbor's rows.
    let r = post(&http, &emu.url(&format!("{gw}/getBgpPeerStatus?peer=10.17.17.133&{API}"))).await;
    let rows = json(get(&http, &header(&r, "location")).await).await;
    let rows = rows["value"].as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["neighbor"] == "10.17.17.133"));
    // A GET on an action is not how ARM is called.
    let r = get(&http, &arm(&emu, &format!("{gw}/getLearnedRoutes"))).await;
    assert_eq!(r.status(), 405);
    assert_eq!(header(&r, "allow"), "POST");
    emu.shutdown().await;
}

#[tokio::test]
async fn a_missing_peering_gets_the_guides_400() {
    let (emu, c, snap) = healthy(|_| {}).await;
    let key = resource(&snap, &c)["properties"]["serviceKey"].as_str().unwrap().to_string();
    let http = client();

    let r = post(&http, &arm(&emu, &format!("{c}/peerings/AzurePublicPeering/routeTables/primary"))).await;
    assert_eq!(r.status(), 400);
    let body = json(r).await;
    assert_eq!(body["error"]["message"], format!("The BGP Peering AzurePublicPeering with Service Key {key} is not found."));
    assert_eq!(body["error"]["code"], "BgpPeeringNotFound");

    // An unknown circuit is a 404 for the circuit.
    let other = c.replace("er-ckt-ams", "nope");
    let r = post(&http, &arm(&emu, &format!("{other}/peerings/AzurePrivatePeering/arpTables/primary"))).await;
    assert_eq!(r.status(), 404);
    assert_eq!(
        json(r).await["error"],
        json!({
            "code": "ResourceNotFound",
            "message": "The Resource 'Microsoft.Network/expressRouteCircuits/nope' under resource group 'rg-er-weu' was not found."
        })
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn recorded_failures_are_answered_as_recorded() {
    // private-peering-not-configured records ARM's 400 for the tables.
    let snap = scenario("private-peering-not-configured");
    let c = circuit_id(&snap);
    let emu = serve(Config::new(vec![snap.clone()])).await;
    let http = client();
    let action = format!("{c}/peerings/AzurePrivatePeering/arpTables/primary");
    let r = post(&http, &arm(&emu, &action)).await;
    assert_eq!(r.status(), 400);
    assert_eq!(json(r).await, snap["failures"][&action]["error"]);
    emu.shutdown().await;

    let snap = scenario("arp-call-failed");
    let emu = serve(Config::new(vec![snap.clone()])).await;
    let r = post(&http, &arm(&emu, &action)).await;
    assert_eq!(r.status(), 500);
    assert_eq!(json(r).await["error"]["code"], "InternalServerError");
    emu.shutdown().await;
}

#[tokio::test]
async fn unknown_resources_are_404_in_arm_words() {
    let (emu, _, _) = healthy(|_| {}).await;
    let http = client();
    let sub = "/subscriptions/3f2a6c1e-8d4b-4c7a-9e15-2b7d0c9a4f61";
    let r = get(&http, &arm(&emu, &format!("{sub}/resourceGroups/rg-er-weu/providers/Microsoft.Network/expressRouteCircuits/other"))).await;
    assert_eq!(r.status(), 404);
    assert_eq!(
        json(r).await["error"]["message"],
        "The Resource 'Microsoft.Network/expressRouteCircuits/other' under resource group 'rg-er-weu' was not found."
    );
    let r = get(&http, &arm(&emu, &format!("{sub}/resourceGroups/nope/providers/Microsoft.Network/connections/x"))).await;
    assert_eq!(json(r).await["error"]["code"], "ResourceGroupNotFound");
    let r = get(&http, &arm(&emu, "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/x")).await;
    assert_eq!(json(r).await["error"]["code"], "SubscriptionNotFound");
    emu.shutdown().await;
}

#[tokio::test]
async fn collections_let_a_client_find_the_circuit_and_its_connections() {
    let (emu, c, snap) = healthy(|_| {}).await;
    let sub = "/subscriptions/3f2a6c1e-8d4b-4c7a-9e15-2b7d0c9a4f61";
    let http = client();

    let subs = json(get(&http, &emu.url("/subscriptions?api-version=2022-12-01")).await).await;
    assert_eq!(subs["value"][0]["subscriptionId"], "3f2a6c1e-8d4b-4c7a-9e15-2b7d0c9a4f61");
    assert_eq!(subs["value"][0]["state"], "Enabled");
    assert_eq!(subs["value"][0]["tenantId"], DEFAULT_TENANT_ID);
    assert_eq!(subs["value"].as_array().unwrap().len(), 1);
    assert_eq!(json(get(&http, &arm(&emu, sub)).await).await["id"], sub);

    let circuit = resource(&snap, &c).clone();
    for scope in [sub.to_string(), format!("{sub}/resourceGroups/rg-er-weu")] {
        let list = json(get(&http, &arm(&emu, &format!("{scope}/providers/Microsoft.Network/expressRouteCircuits"))).await).await;
        assert_eq!(list, json!({ "value": [circuit.clone()] }), "{scope}");
    }

    let peerings = json(get(&http, &arm(&emu, &format!("{c}/peerings"))).await).await;
    let peerings = peerings["value"].as_array().unwrap();
    assert_eq!(peerings.len(), 1, "the stand-alone peering replaces the embedded one");
    assert_eq!(peerings[0], *resource(&snap, &format!("{c}/peerings/AzurePrivatePeering")));

    let connections = json(get(&http, &arm(&emu, &format!("{sub}/resourceGroups/rg-er-weu/providers/Microsoft.Network/connections"))).await).await;
    let connections = connections["value"].as_array().unwrap();
    assert_eq!(connections.len(), 1);
    assert_eq!(connections[0]["properties"]["peer"]["id"], c.as_str());

    let url = emu.url(&format!("{sub}/resources?$filter=resourceType%20eq%20'Microsoft.Network/connections'&api-version=2021-04-01"));
    let generic = json(get(&http, &url).await).await;
    let generic = generic["value"].as_array().unwrap();
    assert_eq!(generic.len(), 1);
    assert_eq!(generic[0]["type"], "Microsoft.Network/connections");
    assert_eq!(generic[0]["name"], "conn-ergw-hub-weu-er-ckt-ams");
    assert_eq!(generic[0]["location"], "westeurope");
    assert_eq!(generic[0]["id"], connections[0]["id"]);
    let all = json(get(&http, &emu.url(&format!("{sub}/resources?api-version=2021-04-01"))).await).await;
    assert_eq!(all["value"].as_array().unwrap().len(), 3, "circuit, connection, gateway");
    let r = get(&http, &emu.url(&format!("{sub}/resources?$filter=tagName%20eq%20'x'&api-version=2021-04-01"))).await;
    assert_eq!(r.status(), 400);

    let gw = format!("{sub}/resourceGroups/rg-er-weu/providers/Microsoft.Network/virtualNetworkGateways/ergw-hub-weu");
    let by_gateway = json(get(&http, &arm(&emu, &format!("{gw}/connections"))).await).await;
    assert_eq!(by_gateway["value"].as_array().unwrap().len(), 1);

    let groups = json(get(&http, &arm(&emu, &format!("{sub}/resourcegroups"))).await).await;
    assert_eq!(groups["value"][0]["name"], "rg-er-weu");
    assert_eq!(groups["value"][0]["location"], "westeurope");
    emu.shutdown().await;
}

#[tokio::test]
async fn several_snapshots_serve_several_circuits() {
    let first = scenario("healthy-private");
    let c1 = circuit_id(&first);
    let c2 = c1.replace("er-ckt-ams", "er-ckt-fra");
    let second = json!({
        "format": "erdiag-snapshot/1",
        "circuitId": c2,
        "resources": { c2.clone(): { "name": "er-ckt-fra", "location": "germanywestcentral", "properties": { "serviceKey": "k2", "peerings": [] } } },
    });
    let emu = serve(Config::new(vec![first, second])).await;
    let http = client();
    let list = json(get(&http, &arm(&emu, "/subscriptions/3f2a6c1e-8d4b-4c7a-9e15-2b7d0c9a4f61/providers/Microsoft.Network/expressRouteCircuits")).await).await;
    let names: Vec<&str> = list["value"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["er-ckt-ams", "er-ckt-fra"]);
    let r = post(&http, &arm(&emu, &format!("{c2}/peerings/AzurePrivatePeering/arpTables/primary"))).await;
    assert_eq!(json(r).await["error"]["message"], "The BGP Peering AzurePrivatePeering with Service Key k2 is not found.");
    emu.shutdown().await;
}

#[tokio::test]
async fn an_embedded_peering_is_a_resource_too() {
    let mut snap = scenario("healthy-private");
    let c = circuit_id(&snap);
    let standalone = format!("{c}/peerings/AzurePrivatePeering");
    snap["resources"].as_object_mut().unwrap().remove(&standalone);
    let embedded = resource(&snap, &c)["properties"]["peerings"][0].clone();
    let emu = serve(Config::new(vec![snap])).await;
    let http = client();
    let r = get(&http, &arm(&emu, &format!("{c}/peerings/azureprivatepeering"))).await;
    assert_eq!(r.status(), 200);
    assert_eq!(json(r).await, embedded);
    let list = json(get(&http, &arm(&emu, &format!("{c}/peerings"))).await).await;
    assert_eq!(list, json!({ "value": [embedded] }));
    let r = get(&http, &arm(&emu, &format!("{c}/peerings/MicrosoftPeering"))).await;
    assert_eq!(r.status(), 404);
    emu.shutdown().await;
}

#[tokio::test]
async fn a_request_without_a_token_is_401() {
    let (emu, c, _) = healthy(|_| {}).await;
    let http = client();

    let r = http.get(arm(&emu, &c)).send().await.unwrap();
    assert_eq!(r.status(), 401);
    let challenge = header(&r, "www-authenticate");
    assert!(challenge.starts_with("Bearer authorization_uri=\""), "{challenge}");
    assert!(challenge.contains("error=\"invalid_token\""), "{challenge}");
    assert!(challenge.contains("error_description=\"The authentication failed because of missing 'Authorization' header.\""), "{challenge}");
    assert_eq!(
        json(r).await,
        json!({"error": {"code": "AuthenticationFailed", "message": "Authentication failed. The 'Authorization' header is missing."}})
    );
    let r = http.get(arm(&emu, &c)).header("authorization", "Basic dXNlcjpwYXNz").send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(json(r).await["error"]["code"], "AuthenticationFailed");

    let log = emu.requests();
    assert_eq!(log.len(), 2);
    assert!(log.iter().all(|r| !r.authorized && r.status == Some(401)));
    emu.shutdown().await;

    // Without require_token the same request is answered.
    let mut config = Config::new(vec![scenario("healthy-private")]);
    config.require_token = false;
    let emu = serve(config).await;
    assert_eq!(http.get(arm(&emu, &c)).send().await.unwrap().status(), 200);
    emu.shutdown().await;
}

#[tokio::test]
async fn a_request_without_api_version_is_400() {
    let (emu, c, _) = healthy(|_| {}).await;
    let http = client();
    for url in [emu.url(&c), emu.url(&format!("{c}?api-version=")), emu.url("/subscriptions")] {
        let r = get(&http, &url).await;
        assert_eq!(r.status(), 400, "{url}");
        assert_eq!(
            json(r).await,
            json!({"error": {"code": "MissingApiVersionParameter", "message": "The api-version query parameter (?api-version=) is required for all requests."}})
        );
    }
    emu.shutdown().await;
}

#[tokio::test]
async fn writes_are_405_and_recorded() {
    let (emu, c, _) = healthy(|_| {}).await;
    let http = client();
    let url = arm(&emu, &c);
    let put = http.put(&url).header("authorization", BEARER).json(&json!({"location": "westeurope"})).send().await.unwrap();
    assert_eq!(put.status(), 405);
    assert_eq!(json(put).await["error"]["code"], "MethodNotAllowed");
    let delete = http.delete(&url).header("authorization", BEARER).send().await.unwrap();
    assert_eq!(delete.status(), 405);
    assert_eq!(header(&delete, "allow"), "GET");
    let patch = http.patch(&url).header("authorization", BEARER).json(&json!({"tags": {}})).send().await.unwrap();
    assert_eq!(patch.status(), 405);
    let post_circuit = post(&http, &url).await;
    assert_eq!(post_circuit.status(), 405);

    let methods: Vec<(String, Option<u16>)> = emu.requests().into_iter().map(|r| (r.method, r.status)).collect();
    assert_eq!(
        methods,
        [("PUT".into(), Some(405)), ("DELETE".into(), Some(405)), ("PATCH".into(), Some(405)), ("POST".into(), Some(405))]
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn the_request_log_records_everything_in_order() {
    let (emu, c, _) = healthy(|_| {}).await;
    let http = client();
    let action = format!("{c}/peerings/AzurePrivatePeering/arpTables/primary");

    let _ = http.get(arm(&emu, &c)).send().await.unwrap(); // 401
    let _ = get(&http, &emu.url(&c)).await; // 400
    let r = post(&http, &arm(&emu, &action)).await; // 202
    let status_url = header(&r, "azure-asyncoperation");
    let location = header(&r, "location");
    let _ = get(&http, &status_url).await; // 200
    let _ = get(&http, &location).await; // 200
    let _ = get(&http, &emu.url("/metadata/endpoints?api-version=2015-01-01")).await; // 200
    let _ = get(&http, &emu.url("/nothing/here")).await; // 404

    let log = emu.requests();
    let summary: Vec<(&str, &str, bool, Option<u16>)> =
        log.iter().map(|r| (r.method.as_str(), r.query.as_str(), r.authorized, r.status)).collect();
    assert_eq!(
        summary,
        [
            ("GET", "api-version=2024-05-01", false, Some(401)),
            ("GET", "", true, Some(400)),
            ("POST", "api-version=2024-05-01", true, Some(202)),
            ("GET", "api-version=2024-05-01", true, Some(200)),
            ("GET", "api-version=2024-05-01", true, Some(200)),
            ("GET", "api-version=2015-01-01", true, Some(200)),
            ("GET", "", true, Some(404)),
        ]
    );
    assert_eq!(log[0].path, c);
    assert_eq!(log[2].path, action);
    assert!(log[3].path.contains("/operations/"));
    assert!(log[4].path.contains("/operationResults/"));
    assert_eq!(log[6].path, "/nothing/here");
    // The token's value is never in the log.
    assert!(!format!("{log:?}").contains("test-token"));
    emu.shutdown().await;
}

#[tokio::test]
async fn shutdown_closes_the_port() {
    let emu = serve(Config::new(vec![scenario("healthy-private")])).await;
    let addr = emu.addr;
    let http = client();
    assert_eq!(get(&http, &emu.url("/metadata/endpoints")).await.status(), 200);
    let started = Instant::now();
    emu.shutdown().await;
    assert!(started.elapsed() < Duration::from_secs(4));
    let fresh = client();
    assert!(fresh.get(format!("http://{addr}/metadata/endpoints")).send().await.is_err());
}

#[tokio::test]
async fn a_bad_snapshot_is_an_error_at_start() {
    let err = erdiag_emulator::start(
        Config::new(vec![scenario("healthy-private"), json!({"format": "erdiag-snapshot/1"})]),
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().starts_with("snapshot 1: "), "{err}");
    assert!(err.to_string().contains("circuitId"), "{err}");
}
