//! Notifications against a local webhook: one message per change of verdict
//! or root cause and none for a poll that changes nothing; a failing webhook
//! retried until it answers; the dead letter after the last attempt, naming
//! only the webhook's host; a 429's Retry-After honoured; the Teams and
//! Slack messages' shapes (snapshots).

use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use erdiag_checks::{diagnose, Options, Report};
use erdiag_model::Snapshot;
use erdiag_watch::notify::{self, NotifyFormat, Notifier, NotifyOptions};
use erdiag_watch::state::{CircuitStatus, Shared, WatchState};
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn report(scenario: &str) -> Report {
    let path = format!("{}/../../scenarios/{scenario}/snapshot.json", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).expect("scenario");
    let snapshot = Snapshot::from_slice(&bytes).expect("snapshot");
    diagnose(&snapshot.decode().expect("decodes"), &Options::default())
}

fn status(scenario: &str, at: i64) -> CircuitStatus {
    let r = report(scenario);
    let mut row = erdiag_pipeline::fleet::row_of(&r, "test");
    // One circuit changing state: the same name and id whatever the scenario.
    row.name = "er-ams".into();
    row.id = "/subscriptions/s/resourcegroups/g/providers/microsoft.network/expressroutecircuits/er-ams".into();
    CircuitStatus { row, report: Some(Arc::new(r)), observed_at: at, since: at, previous: None, stale: false }
}

/// What the webhook received, and the answers it gives in turn (then 200).
#[derive(Default)]
struct Hook {
    bodies: Vec<(Instant, Value)>,
    answers: Vec<(StatusCode, Option<&'static str>)>,
}

async fn webhook(answers: Vec<(StatusCode, Option<&'static str>)>) -> (String, Arc<Mutex<Hook>>) {
    let hook = Arc::new(Mutex::new(Hook { bodies: vec![], answers: answers.into_iter().rev().collect() }));
    let h = hook.clone();
    let app = Router::new().route(
        "/hook/{secret}",
        post(move |body: axum::Json<Value>| {
            let h = h.clone();
            async move {
                let mut h = h.lock().unwrap();
                h.bodies.push((Instant::now(), body.0));
                let (code, retry_after) = h.answers.pop().unwrap_or((StatusCode::OK, None));
                let mut headers = HeaderMap::new();
                if let Some(s) = retry_after {
                    headers.insert("retry-after", s.parse().unwrap());
                }
                (code, headers, "")
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/hook/SECRET-KEY?sig=SECRET-SIG"), hook)
}

fn options(url: String, attempts: u32, dead_letter: Option<std::path::PathBuf>) -> NotifyOptions {
    NotifyOptions { urls: vec![url], attempts, backoff: Duration::from_millis(20), dead_letter, ..NotifyOptions::default() }
}

#[tokio::test]
async fn one_message_per_change_none_for_an_unchanged_poll() {
    let (url, hook) = webhook(vec![]).await;
    let shared = Shared::new(WatchState::default());
    let n = Notifier::new(options(url, 3, None), shared.clone());
    let healthy = status("healthy-private", 1_000);
    let down = status("secondary-path-down", 1_300);
    let down_again = status("secondary-path-down", 1_600);
    n.observe(None, &healthy); // first sight, healthy: no news
    n.observe(Some(&healthy), &healthy); // unchanged
    n.observe(Some(&healthy), &down); // a change
    n.observe(Some(&down), &down_again); // unchanged
    n.observe(Some(&down_again), &healthy); // recovered
    n.finish(Duration::from_secs(10)).await;
    let h = hook.lock().unwrap();
    let got: Vec<(&str, &str)> = h.bodies.iter().map(|(_, b)| (b["from"]["verdict"].as_str().unwrap(), b["to"]["verdict"].as_str().unwrap())).collect();
    let degraded_or_down = down.row.verdict.as_str();
    assert_eq!(got, vec![("healthy", degraded_or_down), (degraded_or_down, "healthy")]);
    let first = &h.bodies[0].1;
    assert_eq!(first["format"], "erdiag-notification/1");
    assert_eq!(first["circuit"]["name"], "er-ams");
    assert_eq!(first["to"]["rootCause"]["check"], down.row.root_cause.as_ref().unwrap().check.as_str());
    assert!(first["ticket"].as_str().unwrap().contains("er-ams") || first["ticket"].as_str().unwrap().starts_with("# ExpressRoute circuit"));
    assert_eq!(shared.read().notifications.sent, 2);
}

#[tokio::test]
async fn a_circuit_first_seen_failing_is_news_and_a_stale_status_is_not() {
    let (url, hook) = webhook(vec![]).await;
    let n = Notifier::new(options(url, 3, None), Shared::new(WatchState::default()));
    let down = status("secondary-path-down", 1_000);
    let mut stale = status("healthy-private", 1_300);
    stale.stale = true;
    n.observe(None, &down);
    n.observe(Some(&down), &stale);
    n.finish(Duration::from_secs(10)).await;
    let h = hook.lock().unwrap();
    assert_eq!(h.bodies.len(), 1);
    assert!(h.bodies[0].1["from"].is_null());
}

#[tokio::test]
async fn a_failing_webhook_is_retried_until_it_answers() {
    let (url, hook) = webhook(vec![(StatusCode::INTERNAL_SERVER_ERROR, None), (StatusCode::BAD_GATEWAY, None)]).await;
    let dir = tempdir();
    let shared = Shared::new(WatchState::default());
    let n = Notifier::new(options(url, 5, Some(dir.join("dead.jsonl"))), shared.clone());
    n.observe(None, &status("secondary-path-down", 1_000));
    n.finish(Duration::from_secs(10)).await;
    assert_eq!(hook.lock().unwrap().bodies.len(), 3, "two failures, then delivered");
    let c = shared.read().notifications;
    assert_eq!((c.sent, c.retried, c.dead_letter), (1, 2, 0));
    assert!(!dir.join("dead.jsonl").exists());
}

#[tokio::test]
async fn after_the_last_attempt_the_message_goes_to_the_dead_letter_without_the_secret() {
    let (url, hook) = webhook(vec![(StatusCode::INTERNAL_SERVER_ERROR, None); 3]).await;
    let dir = tempdir();
    let dead = dir.join("dead.jsonl");
    let shared = Shared::new(WatchState::default());
    let n = Notifier::new(options(url, 3, Some(dead.clone())), shared.clone());
    n.observe(None, &status("secondary-path-down", 1_000));
    n.finish(Duration::from_secs(10)).await;
    assert_eq!(hook.lock().unwrap().bodies.len(), 3);
    let text = std::fs::read_to_string(&dead).unwrap();
    assert_eq!(text.lines().count(), 1);
    let line: Value = serde_json::from_str(text.trim()).unwrap();
    assert_eq!(line["error"], "HTTP 500 Internal Server Error");
    assert_eq!(line["payload"]["circuit"]["name"], "er-ams");
    assert!(line["webhook"].as_str().unwrap().starts_with("http://127.0.0.1:"));
    assert!(!text.contains("SECRET"), "{text}");
    let c = shared.read().notifications;
    assert_eq!((c.sent, c.retried, c.dead_letter), (0, 2, 1));
}

#[tokio::test]
async fn a_429_waits_as_long_as_retry_after_says() {
    let (url, hook) = webhook(vec![(StatusCode::TOO_MANY_REQUESTS, Some("1"))]).await;
    let n = Notifier::new(options(url, 3, None), Shared::new(WatchState::default()));
    n.observe(None, &status("secondary-path-down", 1_000));
    n.finish(Duration::from_secs(10)).await;
    let h = hook.lock().unwrap();
    assert_eq!(h.bodies.len(), 2);
    assert!(h.bodies[1].0 - h.bodies[0].0 >= Duration::from_millis(950), "backoff was 20 ms; Retry-After said 1 s");
}

#[test]
fn teams_and_slack_messages() {
    let old = status("healthy-private", 1_768_467_600);
    let new = status("secondary-path-down", 1_768_467_900);
    let dash = Some("https://erdiag.example.net/");
    insta::assert_json_snapshot!("teams", notify::payload(NotifyFormat::Teams, Some(&old), &new, dash));
    insta::assert_json_snapshot!("slack", notify::payload(NotifyFormat::Slack, Some(&old), &new, dash));
    // Slack's markup in data is text.
    let mut evil = new.clone();
    evil.row.name = "<!channel> & <http://x|y>".into();
    let s = notify::payload(NotifyFormat::Slack, Some(&old), &evil, None).to_string();
    assert!(!s.contains("<!channel>") && s.contains("&lt;!channel&gt; &amp;"), "{s}");
}

fn tempdir() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("notify-{}-{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst)));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[tokio::test]
async fn a_full_queue_sends_to_the_dead_letter_without_waiting_for_the_state() {
    // A webhook that keeps failing with long waits: the queue fills.
    let (url, _hook) = webhook(vec![(StatusCode::INTERNAL_SERVER_ERROR, None); 10]).await;
    let dir = tempdir();
    let dead = dir.join("dead.jsonl");
    let shared = Shared::new(WatchState::default());
    let opts = NotifyOptions { queue: 1, backoff: Duration::from_secs(30), ..options(url, 2, Some(dead.clone())) };
    let n = Arc::new(Notifier::new(opts, shared.clone()));
    let (s, n2) = (shared.clone(), n.clone());
    // The loop calls observe while it holds the state's lock.
    let done = tokio::task::spawn_blocking(move || {
        let _state = s.write();
        for i in 0..4 {
            n2.observe(None, &status("secondary-path-down", 1_000 + i));
        }
    });
    tokio::time::timeout(Duration::from_secs(10), done).await.expect("observe must not wait for the state's lock").unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let lines = std::fs::read_to_string(&dead).unwrap().lines().count();
    assert!(lines >= 2, "at most one in flight and one queued: {lines} dead letters");
    assert_eq!(shared.read().notifications.dead_letter, lines as u64);
}

#[tokio::test]
async fn a_restarted_watch_does_not_tell_again_what_the_store_recorded() {
    let (url, hook) = webhook(vec![]).await;
    let dir = tempdir();
    let db = dir.join("history.db").display().to_string();
    let bytes = std::fs::read(format!("{}/../../scenarios/secondary-path-down/snapshot.json", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let down = report("secondary-path-down");
    {
        let mut store = erdiag_pipeline::history::open(&db).unwrap();
        erdiag_pipeline::history::record(&mut store, &[erdiag_pipeline::history::Record::of(&down, bytes, 0)], None).unwrap();
    }
    let recorded = notify::last_recorded(&db).unwrap();
    assert_eq!(recorded.len(), 1);
    let n = Notifier::new(NotifyOptions { recorded, ..options(url, 3, None) }, Shared::new(WatchState::default()));
    // The same circuit, as it was recorded: no news. Another one failing: news.
    let mut same = status("secondary-path-down", 1_000);
    same.row.id = down.circuit.id.clone();
    n.observe(None, &same);
    n.observe(None, &status("secondary-path-down", 1_000));
    n.finish(Duration::from_secs(10)).await;
    let h = hook.lock().unwrap();
    assert_eq!(h.bodies.len(), 1);
    assert_eq!(h.bodies[0].1["circuit"]["name"], "er-ams");
}
