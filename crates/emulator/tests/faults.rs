//! Every injected fault does what a client must survive: throttling, server
//! errors, a dropped connection (a transport error, not a status), an
//! operation that never finishes or fails, a malformed body, latency.

mod common;

use common::*;
use erdiag_emulator::{Fault, FaultKind, Running};
use std::time::{Duration, Instant};

const ARP: &str = "/peerings/AzurePrivatePeering/arpTables/primary";

async fn with_faults(faults: Vec<Fault>) -> (Running, String, serde_json::Value) {
    healthy(|config| config.faults = faults).await
}

#[tokio::test]
async fn too_many_requests_has_retry_after_and_counts_down() {
    let (emu, c, snap) = with_faults(vec![Fault::new("expressRouteCircuits/ER-CKT-AMS", FaultKind::TooManyRequests { retry_after_secs: 7 })
        .method("get")
        .times(1)])
    .await;
    let http = client();
    let r = get(&http, &arm(&emu, &c)).await;
    assert_eq!(r.status(), 429);
    assert_eq!(header(&r, "retry-after"), "7");
    assert_eq!(json(r).await["error"]["code"], "TooManyRequests");
    // Spent: the next GET is answered; POSTs never matched.
    let r = get(&http, &arm(&emu, &c)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(json(r).await, *resource(&snap, &c));
    assert_eq!(post(&http, &arm(&emu, &format!("{c}{ARP}"))).await.status(), 202);
    emu.shutdown().await;
}

#[tokio::test]
async fn server_errors_have_an_arm_body() {
    let (emu, c, _) = with_faults(vec![
        Fault::new("routeTables", FaultKind::ServerError { status: 503 }),
        Fault::new("arpTables", FaultKind::ServerError { status: 500 }).times(2),
    ])
    .await;
    let http = client();
    for _ in 0..2 {
        let r = post(&http, &arm(&emu, &format!("{c}/peerings/AzurePrivatePeering/routeTables/primary"))).await;
        assert_eq!(r.status(), 503);
        assert_eq!(json(r).await["error"]["code"], "ServiceUnavailable");
    }
    for expected in [500, 500, 202] {
        assert_eq!(post(&http, &arm(&emu, &format!("{c}{ARP}"))).await.status(), expected);
    }
    emu.shutdown().await;
}

#[tokio::test]
async fn drop_connection_is_a_transport_error() {
    let (emu, c, _) = with_faults(vec![Fault::new(ARP, FaultKind::DropConnection).times(1)]).await;
    let http = client();
    // Warm a keep-alive connection first: the drop must close that one too.
    assert_eq!(get(&http, &arm(&emu, &c)).await.status(), 200);
    let err = http
        .post(arm(&emu, &format!("{c}{ARP}")))
        .header("authorization", BEARER)
        .send()
        .await
        .expect_err("a dropped connection is not an HTTP answer");
    assert!(!err.is_timeout() && err.status().is_none(), "{err:?}");
    // The server lives on: the next attempt is answered.
    assert_eq!(post(&http, &arm(&emu, &format!("{c}{ARP}"))).await.status(), 202);
    let log = emu.requests();
    assert_eq!(log.len(), 3);
    assert_eq!(log[1].status, None, "a dropped request has no status");
    emu.shutdown().await;
}

#[tokio::test]
async fn drop_mid_response_fails_the_body() {
    let (emu, c, _) = with_faults(vec![Fault::new("/stats", FaultKind::DropMidResponse).times(1)]).await;
    let http = client();
    let r = get(&http, &arm(&emu, &format!("{c}/stats"))).await;
    assert_eq!(r.status(), 200, "the head was sent");
    assert!(r.bytes().await.is_err(), "the body was cut");
    assert_eq!(get(&http, &arm(&emu, &format!("{c}/stats"))).await.status(), 200);
    emu.shutdown().await;
}

#[tokio::test]
async fn never_finishes_stays_in_progress() {
    let (emu, c, _) = with_faults(vec![Fault::new(ARP, FaultKind::NeverFinishes).times(1)]).await;
    let http = client();
    let r = post(&http, &arm(&emu, &format!("{c}{ARP}"))).await;
    assert_eq!(r.status(), 202);
    let status_url = header(&r, "azure-asyncoperation");
    let location = header(&r, "location");
    // Zero latency would finish at once; this one must not, over a bounded number of polls.
    for _ in 0..5 {
        assert_eq!(json(get(&http, &status_url).await).await["status"], "InProgress");
        let r = get(&http, &location).await;
        assert_eq!(r.status(), 202);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The fault was for one operation: the next completes.
    let r = post(&http, &arm(&emu, &format!("{c}{ARP}"))).await;
    assert_eq!(json(get(&http, &header(&r, "azure-asyncoperation")).await).await["status"], "Succeeded");
    emu.shutdown().await;
}

#[tokio::test]
async fn operation_fails_ends_failed() {
    let (emu, c, _) = with_faults(vec![Fault::new("getLearnedRoutes", FaultKind::OperationFails)]).await;
    let http = client();
    let gw = c.replace("expressRouteCircuits/er-ckt-ams", "virtualNetworkGateways/ergw-hub-weu");
    let r = post(&http, &arm(&emu, &format!("{gw}/getLearnedRoutes"))).await;
    assert_eq!(r.status(), 202);
    let status = json(get(&http, &header(&r, "azure-asyncoperation")).await).await;
    assert_eq!(status["status"], "Failed");
    assert_eq!(status["error"]["code"], "InternalServerError");
    let result = get(&http, &header(&r, "location")).await;
    assert_eq!(result.status(), 500);
    assert_eq!(json(result).await["error"]["code"], "InternalServerError");
    emu.shutdown().await;
}

#[tokio::test]
async fn operation_faults_on_polls_change_the_operation() {
    let (emu, c, _) = with_faults(vec![Fault::new("/operations/", FaultKind::OperationFails).times(1)]).await;
    let http = client();
    let r = post(&http, &arm(&emu, &format!("{c}{ARP}"))).await;
    let location = header(&r, "location");
    assert_eq!(json(get(&http, &header(&r, "azure-asyncoperation")).await).await["status"], "Failed");
    assert_eq!(get(&http, &location).await.status(), 500, "the operation stays failed");
    emu.shutdown().await;
}

#[tokio::test]
async fn malformed_body_is_invalid_json() {
    let (emu, c, _) = with_faults(vec![
        Fault::new("er-ckt-ams", FaultKind::MalformedBody).method("GET").times(1),
        Fault::new("operationResults", FaultKind::MalformedBody),
    ])
    .await;
    let http = client();
    let r = get(&http, &arm(&emu, &c)).await;
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    assert!(!text.is_empty());
    assert!(serde_json::from_str::<serde_json::Value>(&text).is_err(), "{text}");
    // On the Location URL: a 200 "result" that does not parse.
    let r = post(&http, &arm(&emu, &format!("{c}{ARP}"))).await;
    let r = get(&http, &header(&r, "location")).await;
    assert_eq!(r.status(), 200);
    assert!(serde_json::from_str::<serde_json::Value>(&r.text().await.unwrap()).is_err());
    emu.shutdown().await;
}

#[tokio::test]
async fn latency_delays_the_answer() {
    let (emu, c, snap) = with_faults(vec![Fault::new("", FaultKind::Latency { millis: 150 }).times(1)]).await;
    let http = client();
    let started = Instant::now();
    let r = get(&http, &arm(&emu, &c)).await;
    assert!(started.elapsed() >= Duration::from_millis(150));
    assert_eq!(json(r).await, *resource(&snap, &c));
    emu.shutdown().await;
}

#[tokio::test]
async fn drop_connection_over_tls_is_a_transport_error() {
    let (emu, c, _) = healthy(|config| {
        config.tls = true;
        config.faults = vec![Fault::new("er-ckt-ams", FaultKind::DropConnection).times(1)];
    }).await;
    let https = tls_client(emu.cert_pem.as_deref().unwrap());
    let err = https.get(arm(&emu, &c)).header("authorization", BEARER).send().await.expect_err("dropped");
    assert!(!err.is_timeout() && err.status().is_none(), "{err:?}");
    assert_eq!(get(&https, &arm(&emu, &c)).await.status(), 200);
    emu.shutdown().await;
}
