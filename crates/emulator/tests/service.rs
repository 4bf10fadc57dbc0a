//! The request pipeline without sockets: `Service::respond` answers a request
//! as the server would (what the fuzz target in `fuzz/` drives), and records it.

mod common;

use axum::body::Body;
use axum::http::Request;
use common::{circuit_id, scenario, API, BEARER};
use erdiag_emulator::{Config, Delivery, Fault, FaultKind, Service, SnapshotBackend};
use std::sync::Arc;

fn service(config: Config) -> Service {
    let backend = SnapshotBackend::from_snapshots(&config.snapshots).expect("the scenario loads");
    Service::new(&config, Arc::new(backend), false, "127.0.0.1:9".parse().unwrap())
}

async fn body_text(response: axum::response::Response) -> String {
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("body");
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

#[tokio::test]
async fn a_request_is_answered_and_recorded_without_a_socket() {
    let snapshot = scenario("healthy-private");
    let id = circuit_id(&snapshot);
    let service = service(Config::new(vec![snapshot]));

    let get = Request::get(format!("{id}?{API}")).header("authorization", BEARER).body(Body::empty()).unwrap();
    let (response, delivery) = service.respond(get).await;
    assert_eq!((response.status().as_u16(), delivery), (200, Delivery::Whole));
    assert!(body_text(response).await.contains("er-ckt-ams"));

    // Without a bearer token: 401, as ARM answers.
    let unsigned = Request::get(format!("{id}?{API}")).body(Body::empty()).unwrap();
    let (response, _) = service.respond(unsigned).await;
    assert_eq!(response.status().as_u16(), 401);

    let log = service.requests();
    assert_eq!(log.len(), 2);
    assert_eq!((log[0].path.as_str(), log[0].status, log[0].authorized), (id.as_str(), Some(200), true));
    assert_eq!((log[1].status, log[1].authorized), (Some(401), false));
}

#[tokio::test]
async fn a_fault_that_cuts_the_connection_is_told_to_the_server() {
    let snapshot = scenario("healthy-private");
    let id = circuit_id(&snapshot);
    let mut config = Config::new(vec![snapshot]);
    config.faults.push(Fault::new("expressRouteCircuits", FaultKind::DropMidResponse).times(1));
    let service = service(config);
    let get = || Request::get(format!("{id}?{API}")).header("authorization", BEARER).body(Body::empty()).unwrap();
    let (response, delivery) = service.respond(get()).await;
    let whole = body_text(response).await.len();
    assert_eq!(delivery, Delivery::DropMidBody { body_bytes: whole / 2 });
    assert_eq!(service.requests()[0].status, None, "a cut answer has no status in the log");
    let (_, delivery) = service.respond(get()).await;
    assert_eq!(delivery, Delivery::Whole);
}
