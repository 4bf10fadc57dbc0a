//! `/metrics` scraped over HTTP after polls of built-in scenarios and of
//! snapshot files that change between polls: the exact series and values,
//! the exposition's format, and what no label may carry.

use erdiag_pipeline::fleet::FleetOptions;
use erdiag_pipeline::scenarios;
use erdiag_watch::config::{ServerOptions, Targets, WatchConfig};
use erdiag_watch::notify::Notifier;
use erdiag_watch::run::Watch;
use erdiag_watch::{Shared, WatchState};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn config(targets: Targets, store: Option<String>) -> WatchConfig {
    WatchConfig {
        targets,
        every: Duration::from_secs(1),
        jitter: false,
        once: true,
        store,
        retention: None,
        store_buffer: 1000,
        fleet: FleetOptions { keep_snapshots: true, ..FleetOptions::default() },
        summary: Vec::new(),
    }
}

/// A GET over plain HTTP: the status and the body.
async fn get(addr: std::net::SocketAddr, path: &str, header: Option<&str>) -> (u16, String) {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let extra = header.map(|h| format!("{h}\r\n")).unwrap_or_default();
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: t\r\n{extra}Connection: close\r\n\r\n").as_bytes()).await.unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).await.unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    (head.split(' ').nth(1).unwrap().parse().unwrap(), body.to_string())
}

async fn serve(shared: Shared, opts: ServerOptions) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = erdiag_watch::server::router(shared, &opts);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

/// One sample of the exposition.
#[derive(Debug, Clone, PartialEq)]
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

/// The samples of a text exposition; panics on a line that is not one.
fn parse(text: &str) -> Vec<Sample> {
    assert!(text.trim_end().ends_with("# EOF") && text.matches("# EOF").count() == 1, "OpenMetrics ends with one # EOF");
    text.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).map(sample).collect()
}

/// `name{key="value",…} value`, values with `\\`, `\"` and `\n` escapes.
fn sample(line: &str) -> Sample {
    let name: String = line.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    assert!(!name.is_empty(), "no metric name: {line}");
    let mut chars = line[name.len()..].chars().peekable();
    let mut labels = BTreeMap::new();
    if chars.peek() == Some(&'{') {
        chars.next();
        loop {
            let key: String = std::iter::from_fn(|| chars.next_if(|c| *c != '=' && *c != '}')).collect();
            if chars.next() == Some('}') {
                assert!(key.is_empty(), "{line}");
                break;
            }
            assert_eq!(chars.next(), Some('"'), "{line}");
            let mut value = String::new();
            loop {
                match chars.next().unwrap_or_else(|| panic!("unterminated value: {line}")) {
                    '"' => break,
                    '\\' => value.push(match chars.next().unwrap() {
                        'n' => '\n',
                        c => c,
                    }),
                    c => value.push(c),
                }
            }
            assert!(key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !key.is_empty(), "label name {key:?}: {line}");
            labels.insert(key, value);
            match chars.next() {
                Some(',') => continue,
                Some('}') => break,
                other => panic!("unexpected {other:?}: {line}"),
            }
        }
    }
    let rest: String = chars.collect();
    let value: f64 = rest.trim().split(' ').next().unwrap().parse().unwrap_or_else(|_| panic!("value of {line}"));
    Sample { name, labels, value }
}

fn find<'a>(samples: &'a [Sample], name: &str, labels: &[(&str, &str)]) -> Vec<&'a Sample> {
    samples.iter().filter(|s| s.name == name && labels.iter().all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v))).collect()
}

fn value(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> f64 {
    let found = find(samples, name, labels);
    assert_eq!(found.len(), 1, "{name}{labels:?}: {found:?}");
    found[0].value
}

async fn scrape_after_polls(targets: Targets, polls: usize) -> (Shared, Vec<Sample>, String) {
    let shared = Shared::new(WatchState::default());
    let mut watch = Watch::new(config(targets, None), shared.clone(), Notifier::disabled()).unwrap();
    for _ in 0..polls {
        watch.poll().await.unwrap();
    }
    let addr = serve(shared.clone(), ServerOptions::default()).await;
    let (status, body) = get(addr, "/metrics", None).await;
    assert_eq!(status, 200);
    (shared.clone(), parse(&body), body)
}

fn scenario(name: &str) -> Targets {
    Targets::Scenarios(vec![scenarios::get(name).unwrap()])
}

#[tokio::test]
async fn secondary_path_down_is_degraded_with_bgp_and_arp_down_on_secondary() {
    let (shared, m, _) = scrape_after_polls(scenario("secondary-path-down"), 1).await;
    let verdicts = find(&m, "erdiag_circuit_verdict", &[("circuit", "er-ckt-ams")]);
    assert_eq!(verdicts.len(), 4, "one series per verdict");
    let on: Vec<&str> = verdicts.iter().filter(|s| s.value == 1.0).map(|s| s.labels["verdict"].as_str()).collect();
    assert_eq!(on, ["degraded"]);
    let p = |path| [("peering", "AzurePrivatePeering"), ("path", path)];
    assert_eq!(value(&m, "erdiag_bgp_session_up", &p("primary")), 1.0);
    assert_eq!(value(&m, "erdiag_bgp_session_up", &p("secondary")), 0.0);
    assert_eq!(value(&m, "erdiag_arp_resolved", &p("primary")), 1.0);
    assert_eq!(value(&m, "erdiag_arp_resolved", &p("secondary")), 0.0);
    assert_eq!(value(&m, "erdiag_bgp_prefixes_received", &p("primary")), 3.0);
    assert!(find(&m, "erdiag_bgp_prefixes_received", &p("secondary")).is_empty(), "no prefix count from a session that is not up");
    assert_eq!(value(&m, "erdiag_bgp_prefix_limit", &[("peering", "AzurePrivatePeering")]), 4000.0);
    let arp = find(&m, "erdiag_finding", &[("check", "ER301"), ("path", "secondary")]);
    assert_eq!(arp.len(), 1);
    assert_eq!(arp[0].labels["status"], "fail");
    assert_eq!(arp[0].labels["owner"], "provider");
    assert_eq!(arp[0].labels["network_point"], "2");
    // The root cause, for the circuit alerts' owner: the diagnosis's own.
    let rc = shared.read().circuits.values().next().and_then(|c| c.report.as_ref()?.root_cause.clone()).expect("a degraded circuit has a root cause");
    let cause = find(&m, "erdiag_root_cause", &[("circuit", "er-ckt-ams")]);
    assert_eq!(cause.len(), 1, "{cause:?}");
    assert_eq!((cause[0].labels["check"].as_str(), cause[0].labels["owner"].as_str(), cause[0].value), (rc.check.as_str(), rc.owner.as_str(), 1.0));
    assert_eq!(cause[0].labels["network_point"], rc.network_points[0].to_string());
    assert_eq!(value(&m, "erdiag_polls_total", &[("result", "ok")]), 1.0);
    assert_eq!(value(&m, "erdiag_poll_duration_seconds_count", &[]), 1.0);
    assert_eq!(value(&m, "erdiag_circuit_bandwidth_bits_per_second", &[]), 1e9);
}

/// The service's own process, under the names Prometheus' client libraries
/// use, read at the scrape: the resident size is this test process's.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn the_process_series_are_this_process_read_at_the_scrape() {
    let (shared, m, _) = scrape_after_polls(scenario("healthy-private"), 1).await;
    let rss = value(&m, "process_resident_memory_bytes", &[]);
    let now = erdiag_watch::process::read().resident_bytes.unwrap() as f64;
    assert!(rss > 1e6 && (rss - now).abs() < 0.5 * now, "{rss} against {now} read now");
    assert!(value(&m, "process_virtual_memory_bytes", &[]) >= rss);
    assert!(value(&m, "process_open_fds", &[]) >= 3.0);
    assert_eq!(value(&m, "process_start_time_seconds", &[]), shared.read().started as f64);
}

#[tokio::test]
async fn a_table_that_could_not_be_read_is_absent_and_its_check_unknown() {
    let (_, m, _) = scrape_after_polls(scenario("arp-call-failed"), 1).await;
    let arp = find(&m, "erdiag_arp_resolved", &[]);
    assert!(arp.len() < 2, "an ARP table not read has no gauge (never a 0): {arp:?}");
    assert!(!find(&m, "erdiag_check_unknown", &[]).is_empty(), "what is unknown is said");
    let verdict: Vec<&str> = find(&m, "erdiag_circuit_verdict", &[]).iter().filter(|s| s.value == 1.0).map(|s| s.labels["verdict"].as_str()).collect();
    assert_eq!(verdict, ["unknown"]);
    assert!(find(&m, "erdiag_root_cause", &[]).is_empty(), "no root cause is invented from what was not read");
}

#[tokio::test]
async fn no_label_carries_a_prefix_an_address_or_the_service_key() {
    for name in ["secondary-path-down", "routes-withdrawn-at-night", "overlapping-prefixes", "md5-mismatch", "healthy-private-microsoft"] {
        let (shared, m, body) = scrape_after_polls(scenario(name), 1).await;
        let key = shared.read().circuits.values().next().and_then(|c| c.report.as_ref()?.circuit.service_key.clone()).expect("the scenarios have a service key");
        assert!(!body.contains(&key), "{name}: the service key is exposed");
        for s in &m {
            for (k, v) in &s.labels {
                let dotted = v.split(['.', '/']).filter(|p| p.parse::<u8>().is_ok()).count();
                assert!(dotted < 4 && !v.contains(':') || k == "le", "{name}: label {k}={v:?} of {} looks like an address or prefix", s.name);
            }
        }
    }
}

/// A scenario's snapshot as another circuit: every `er-ckt-ams` renamed.
fn renamed(name: &str, circuit: &str) -> String {
    String::from_utf8(scenarios::get(name).unwrap().snapshot.to_vec()).unwrap().replace("er-ckt-ams", circuit)
}

fn tempdir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("erdiag-watch-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[tokio::test]
async fn withdrawals_are_counted_and_a_circuit_that_leaves_leaves_no_series() {
    let dir = tempdir("routes");
    std::fs::write(dir.join("a.json"), renamed("healthy-private", "er-ckt-a")).unwrap();
    std::fs::write(dir.join("b.json"), renamed("healthy-private", "er-ckt-b")).unwrap();
    let shared = Shared::new(WatchState::default());
    let files = dir.clone();
    let read = move || -> Result<Vec<(String, Vec<u8>)>, erdiag_pipeline::Error> {
        let mut docs: Vec<(String, Vec<u8>)> = std::fs::read_dir(&files).unwrap().map(|e| e.unwrap().path()).map(|p| (p.display().to_string(), std::fs::read(&p).unwrap())).collect();
        docs.sort();
        Ok(docs)
    };
    let mut watch = Watch::new(config(Targets::Snapshots(Box::new(read)), None), shared.clone(), Notifier::disabled()).unwrap();
    watch.poll().await.unwrap();
    // Circuit a withdraws one prefix on the primary path; b leaves the scope.
    let mut doc: serde_json::Value = serde_json::from_str(&renamed("healthy-private", "er-ckt-a")).unwrap();
    let table = doc["resources"].as_object_mut().unwrap().iter_mut().find(|(k, _)| k.ends_with("AzurePrivatePeering/routeTables/primary")).unwrap().1;
    let rows = table["value"].as_array_mut().unwrap();
    let before = rows.len();
    rows.retain(|r| r["network"] != "10.2.30.0/24");
    assert_eq!(rows.len(), before - 1);
    std::fs::write(dir.join("a.json"), doc.to_string()).unwrap();
    std::fs::remove_file(dir.join("b.json")).unwrap();
    watch.poll().await.unwrap();
    let addr = serve(shared, ServerOptions::default()).await;
    let m = parse(&get(addr, "/metrics", None).await.1);
    let a = |path| [("circuit", "er-ckt-a"), ("peering", "AzurePrivatePeering"), ("path", path)];
    assert_eq!(value(&m, "erdiag_routes_withdrawn_total", &a("primary")), 1.0);
    assert_eq!(value(&m, "erdiag_routes_withdrawn_total", &a("secondary")), 0.0);
    assert_eq!(value(&m, "erdiag_routes_advertised_total", &a("primary")), 0.0);
    assert!(m.iter().all(|s| s.labels.get("circuit").map(String::as_str) != Some("er-ckt-b")), "no series of a circuit no longer in scope");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_token_guards_every_route_but_healthz() {
    let shared = Shared::new(WatchState::default());
    let mut watch = Watch::new(config(scenario("healthy-private"), None), shared.clone(), Notifier::disabled()).unwrap();
    let addr = serve(shared.clone(), ServerOptions { auth_token: Some("s3cret".into()), ..ServerOptions::default() }).await;
    assert_eq!(get(addr, "/healthz", None).await.0, 503, "not ready before the first poll");
    watch.poll().await.unwrap();
    assert_eq!(get(addr, "/healthz", None).await.0, 200);
    assert_eq!(get(addr, "/metrics", None).await.0, 401);
    assert_eq!(get(addr, "/", None).await.0, 401);
    assert_eq!(get(addr, "/metrics", Some("Authorization: Bearer wrong")).await.0, 401);
    assert_eq!(get(addr, "/metrics", Some("Authorization: Bearer s3cret")).await.0, 200);
    assert_eq!(get(addr, "/metrics?token=s3cret", None).await.0, 200);
    assert_eq!(get(addr, "/login?token=s3cret", None).await.0, 303);
    assert_eq!(get(addr, "/", Some("Cookie: erdiag_token=s3cret")).await.0, 200);
}

#[tokio::test]
async fn a_store_that_comes_back_gets_what_was_buffered() {
    let dir = tempdir("store");
    let db = dir.join("later").join("history.db");
    let url = db.display().to_string();
    let shared = Shared::new(WatchState::default());
    let mut watch = Watch::new(config(scenario("secondary-path-down"), Some(url.clone())), shared.clone(), Notifier::disabled()).unwrap();
    // The directory does not exist: the store cannot be opened.
    watch.poll().await.unwrap();
    watch.poll().await.unwrap();
    {
        let st = shared.read();
        let s = st.store.as_ref().unwrap();
        assert_eq!(s.buffered, 2);
        assert!(s.last_error.as_deref().is_some_and(|e| e.contains("history.db")), "{:?}", s.last_error);
        assert!(s.last_ok.is_none());
    }
    let addr = serve(shared.clone(), ServerOptions::default()).await;
    let m = parse(&get(addr, "/metrics", None).await.1);
    assert_eq!(value(&m, "erdiag_store_buffered_observations", &[]), 2.0);
    assert!(value(&m, "erdiag_store_errors_total", &[]) >= 2.0);
    std::fs::create_dir_all(db.parent().unwrap()).unwrap();
    watch.poll().await.unwrap();
    {
        let st = shared.read();
        let s = st.store.as_ref().unwrap();
        assert_eq!(s.buffered, 0);
        assert!(s.last_error.is_none() && s.last_ok.is_some());
    }
    let mut store = erdiag_pipeline::history::open(&url).unwrap();
    let circuits = erdiag_pipeline::history::circuits(&mut store).unwrap();
    assert_eq!(circuits.len(), 1);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn the_buffer_is_bounded_oldest_dropped() {
    let dir = tempdir("bounded");
    let url = dir.join("missing").join("h.db").display().to_string();
    let shared = Shared::new(WatchState::default());
    let mut cfg = config(scenario("healthy-private"), Some(url));
    cfg.store_buffer = 2;
    let mut watch = Watch::new(cfg, shared.clone(), Notifier::disabled()).unwrap();
    for _ in 0..5 {
        watch.poll().await.unwrap();
    }
    let st = shared.read();
    let s = st.store.as_ref().unwrap();
    assert_eq!((s.buffered, s.dropped), (2, 3));
    let _ = std::fs::remove_dir_all(dir);
}
