//! The dashboard's routes over a watch state built from the scenarios: the
//! fleet worst first, a circuit's page with the timeline from the store,
//! its report and ticket, a 404 for an unknown circuit, a circuit named
//! like another reached by its id, and a store that cannot be read.

use erdiag_checks::{diagnose, Options, Report};
use erdiag_model::Snapshot;
use erdiag_pipeline::history;
use erdiag_watch::dashboard::{routes, DashboardOptions};
use erdiag_watch::state::{CircuitStatus, Shared, WatchState};
use std::sync::Arc;

fn scenario(name: &str) -> (Report, Vec<u8>) {
    let bytes = std::fs::read(format!("{}/../../scenarios/{name}/snapshot.json", env!("CARGO_MANIFEST_DIR"))).expect("scenario");
    let snapshot = Snapshot::from_slice(&bytes).expect("snapshot");
    (diagnose(&snapshot.decode().expect("decodes"), &Options::default()), bytes)
}

fn status(name: &str, circuit: &str, id: &str) -> CircuitStatus {
    let (r, _) = scenario(name);
    let mut row = erdiag_pipeline::fleet::row_of(&r, "test");
    row.name = circuit.into();
    row.id = id.into();
    CircuitStatus { row, report: Some(Arc::new(r)), observed_at: 1_000, since: 900, previous: None, stale: false }
}

const ID: &str = "/subscriptions/s/resourcegroups/g/providers/microsoft.network/expressroutecircuits/";

async fn serve(state: WatchState, store: Option<String>) -> String {
    let app = routes(Shared::new(state), &DashboardOptions { store, every_secs: 60 });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

async fn get(url: &str) -> (u16, String) {
    erdiag_azure::install_crypto_provider();
    let r = reqwest::get(url).await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

fn tmp(label: &str) -> std::path::PathBuf {
    let d = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("dashboard-{label}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn state(circuits: Vec<CircuitStatus>) -> WatchState {
    let mut st = WatchState::default();
    for c in circuits {
        st.circuits.insert(c.row.id.to_ascii_lowercase(), c);
    }
    st.polls = 1;
    st
}

#[tokio::test]
async fn fleet_circuit_report_ticket_and_not_found() {
    let down = status("secondary-path-down", "er-down", &format!("{ID}er-down"));
    let ok = status("healthy-private", "er-ok", &format!("{ID}er-ok"));
    let base = serve(state(vec![ok, down]), None).await;

    let (code, fleet) = get(&format!("{base}/")).await;
    assert_eq!(code, 200);
    let (d, h) = (fleet.find("data-circuit=\"er-down\"").unwrap(), fleet.find("data-circuit=\"er-ok\"").unwrap());
    assert!(d < h, "worst first");
    assert!(fleet.contains("<a href=\"circuits/er-down\">er-down</a>"));
    assert!(fleet.contains("<meta http-equiv=\"refresh\" content=\"60\">"));

    let (code, page) = get(&format!("{base}/circuits/er-down")).await;
    assert_eq!(code, 200);
    assert!(page.contains("<svg") && page.contains("id=\"ticket\""));
    assert!(page.contains("No timeline: the watch records into no history store"));

    let (code, json) = get(&format!("{base}/circuits/er-down/report.json")).await;
    assert_eq!(code, 200);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["format"], "erdiag-report/1");
    let (code, ticket) = get(&format!("{base}/circuits/er-down/ticket.txt")).await;
    assert_eq!(code, 200);
    assert!(ticket.starts_with("# ExpressRoute circuit"));

    let (code, nf) = get(&format!("{base}/circuits/er-nowhere")).await;
    assert_eq!(code, 404);
    assert!(nf.contains("No watched circuit is named “er-nowhere”"));
}

#[tokio::test]
async fn circuits_of_one_name_are_reached_by_their_id() {
    let a = status("secondary-path-down", "er-same", &format!("{ID}er-same").replace("/g/", "/g1/"));
    let b = status("healthy-private", "er-same", &format!("{ID}er-same").replace("/g/", "/g2/"));
    let base = serve(state(vec![a, b]), None).await;
    let (_, fleet) = get(&format!("{base}/")).await;
    let href = "circuits/subscriptions/s/resourcegroups/g1/providers/microsoft.network/expressroutecircuits/er-same";
    assert!(fleet.contains(&format!("<a href=\"{href}\">")), "{fleet}");
    assert_eq!(get(&format!("{base}/circuits/er-same")).await.0, 404, "a name two circuits have names neither");
    let (code, page) = get(&format!("{base}/{href}")).await;
    assert_eq!(code, 200);
    assert!(page.contains("resourcegroups/g1/"));
    assert!(page.contains(&format!("<a href=\"{}\">Fleet</a>", "../".repeat(8))));
}

#[tokio::test]
async fn the_timeline_comes_from_the_store_and_an_unreadable_store_is_said() {
    let dir = tmp("timeline");
    let db = dir.join("history.db");
    let (healthy, hb) = scenario("healthy-private");
    let (down, db_bytes) = scenario("secondary-path-down");
    let id = down.circuit.id.clone();
    {
        let mut store = history::open(db.to_str().unwrap()).unwrap();
        let mut r1 = history::Record::of(&healthy, hb, 0);
        r1.at = 1_768_467_600;
        let mut r2 = history::Record::of(&down, db_bytes, 0);
        r2.at = 1_768_467_900;
        history::record(&mut store, &[r1, r2], None).unwrap();
    }
    let mut st = status("secondary-path-down", "er-ckt-ams", &id);
    st.row.id = id.clone();
    let base = serve(state(vec![st.clone()]), Some(db.display().to_string())).await;
    let (code, page) = get(&format!("{base}/circuits/er-ckt-ams?since=2026-01-15T00:00:00Z")).await;
    assert_eq!(code, 200);
    assert!(page.contains("<table class=\"timeline\">"), "{page}");
    assert!(page.contains("data-event=\"verdict\""), "the verdict change is in the timeline");
    let (_, page) = get(&format!("{base}/circuits/er-ckt-ams?since=whenever")).await;
    assert!(page.contains("Timeline unavailable: ?since="));

    // A store that cannot be opened: the page still renders, and says why.
    let bad = dir.join("not-a-dir").join("nested").join("history.db");
    std::fs::write(dir.join("not-a-dir"), b"a file").unwrap();
    let base = serve(state(vec![st]), Some(bad.display().to_string())).await;
    let (code, page) = get(&format!("{base}/circuits/er-ckt-ams")).await;
    assert_eq!(code, 200);
    assert!(page.contains("Timeline unavailable: "), "{page}");
    assert!(page.contains("id=\"diagram\""));
}
