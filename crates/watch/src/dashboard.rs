//! The dashboard's routes: `/` the fleet, `/circuits/KEY` a circuit's page,
//! `/circuits/KEY/report.json` its latest `erdiag-report/1`,
//! `/circuits/KEY/ticket.txt` its support-ticket text. KEY is the circuit's
//! name when no other watched circuit has it, else its ARM id without the
//! leading slash (`circuits/subscriptions/…`). Pages are rendered by
//! `erdiag_render::dashboard` from [`Shared`]; only the timeline reads the
//! history store (a connection per request, on a blocking thread). Nothing
//! here reaches Azure.

use crate::state::{CircuitStatus, Shared};
use axum::extract::{Path, Query};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use erdiag_model::time::{parse_rfc3339, parse_span, Unix};
use erdiag_pipeline::history;
use erdiag_render::dashboard::{self as page, CircuitLine, CircuitPage, FleetPage, History, PollLine, StoreLine};
use std::sync::Arc;

/// The timeline shown when `?since=` does not say: the last day.
const DEFAULT_WINDOW_SECS: i64 = 86_400;

/// What the dashboard needs beyond the shared state.
#[derive(Debug, Clone, Default)]
pub struct DashboardOptions {
    /// The history store's URL (with its credentials: never shown; its
    /// label is).
    pub store: Option<String>,
    /// The poll interval: the pages reload as often (within 10 s…5 min).
    pub every_secs: u64,
}

pub fn routes(shared: Shared, opts: &DashboardOptions) -> Router {
    let opts = Arc::new(opts.clone());
    let (s1, o1) = (shared.clone(), opts.clone());
    Router::new().route("/", get(move || fleet(s1.clone(), o1.clone()))).route(
        "/circuits/{*key}",
        get(move |Path(key): Path<String>, Query(q): Query<WindowQuery>| circuit(shared.clone(), opts.clone(), key, q)),
    )
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct WindowQuery {
    /// The timeline from: an RFC 3339 time, or a span back from now (`6h`, `7d`).
    since: Option<String>,
}

fn unique_names(circuits: &std::collections::BTreeMap<String, CircuitStatus>) -> std::collections::HashMap<&str, usize> {
    let mut n = std::collections::HashMap::new();
    for c in circuits.values() {
        *n.entry(c.row.name.as_str()).or_insert(0) += 1;
    }
    n
}

/// The circuit's page under the dashboard.
fn href(c: &CircuitStatus, names: &std::collections::HashMap<&str, usize>) -> String {
    page::circuit_href(&c.row, names.get(c.row.name.as_str()) == Some(&1))
}

async fn fleet(shared: Shared, opts: Arc<DashboardOptions>) -> Html<String> {
    let st = shared.read();
    let names = unique_names(&st.circuits);
    let p = FleetPage {
        circuits: st.circuits.values().map(|c| CircuitLine { row: &c.row, observed_at: c.observed_at, since: c.since, href: href(c, &names), stale: c.stale }).collect(),
        now: history::now(),
        started: st.started,
        refresh_secs: opts.every_secs,
        polls: st.polls,
        last_poll: st.last_poll.map(|l| PollLine { started: l.started, duration_ms: l.duration_ms, circuits: l.circuits, failed: l.failed }),
        arm: (st.arm.calls, st.arm.throttled, st.arm.failures),
        store: st.store.as_ref().map(|s| StoreLine { label: &s.label, buffered: s.buffered, last_error: s.last_error.as_deref(), last_ok: s.last_ok }),
        config: &st.config_summary,
    };
    Html(page::fleet(&p))
}

/// What a circuit route asks for.
enum Want {
    Page,
    Report,
    Ticket,
}

/// The circuit a key names: `subscriptions/…` its ARM id (any case), else
/// the name of exactly one watched circuit.
fn find<'a>(circuits: &'a std::collections::BTreeMap<String, CircuitStatus>, key: &str) -> Option<&'a CircuitStatus> {
    let key = key.trim_matches('/');
    if key.to_ascii_lowercase().starts_with("subscriptions/") {
        return circuits.get(&format!("/{}", key.to_ascii_lowercase()));
    }
    let mut named = circuits.values().filter(|c| c.row.name == key);
    match (named.next(), named.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}

/// The timeline's start: `since` as a time or a span back from `now`.
fn window_start(since: Option<&str>, now: Unix) -> Result<Unix, String> {
    match since {
        None => Ok(now - DEFAULT_WINDOW_SECS),
        Some(s) => parse_rfc3339(s).or_else(|_| parse_span(s).map(|span| now - span)).map_err(|_| format!("?since={s:?} is neither an RFC 3339 time nor a span such as 6h or 7d")),
    }
}

/// The circuit's timeline from the store, or why there is none.
async fn timeline(store: Option<String>, id: String, from: Result<Unix, String>, now: Unix) -> Result<Option<history::Timeline>, String> {
    let Some(url) = store else { return Ok(None) };
    let from = from?;
    tokio::task::spawn_blocking(move || {
        let mut store = history::open(&url).map_err(|e| e.to_string())?;
        let circuit = match history::resolve(&mut store, &id) {
            Ok(c) => c,
            Err(_) => return Err("this circuit has no poll recorded yet".to_string()),
        };
        history::timeline(&mut store, &circuit, from, now).map(Some).map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| format!("reading the store failed: {e}"))?
}

async fn circuit(shared: Shared, opts: Arc<DashboardOptions>, key: String, q: WindowQuery) -> Response {
    let (key, want) = if let Some(k) = key.strip_suffix("/report.json") {
        (k, Want::Report)
    } else if let Some(k) = key.strip_suffix("/ticket.txt") {
        (k, Want::Ticket)
    } else {
        (key.as_str(), Want::Page)
    };
    let now = history::now();
    // The status copied out: the lock is not held across the store's read.
    let (status, link) = {
        let st = shared.read();
        match find(&st.circuits, key) {
            Some(c) => (c.clone(), href(c, &unique_names(&st.circuits))),
            None => {
                let base = "../".repeat(key.trim_matches('/').matches('/').count() + 1);
                return (StatusCode::NOT_FOUND, Html(page::not_found(key, opts.every_secs, &base))).into_response();
            }
        }
    };
    match want {
        Want::Report => match &status.report {
            Some(r) => ([(header::CONTENT_TYPE, "application/json")], erdiag_render::json(r)).into_response(),
            None => (StatusCode::NOT_FOUND, format!("{} has no report: {}\n", status.row.name, status.row.reason.as_deref().unwrap_or("not read"))).into_response(),
        },
        Want::Ticket => match &status.report {
            Some(r) => ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], erdiag_render::markdown(r)).into_response(),
            None => (StatusCode::NOT_FOUND, format!("{} has no report: {}\n", status.row.name, status.row.reason.as_deref().unwrap_or("not read"))).into_response(),
        },
        Want::Page => {
            let tl = timeline(opts.store.clone(), status.row.id.clone(), window_start(q.since.as_deref(), now), now).await;
            let history = match &tl {
                Ok(Some(t)) => History::Shown(t),
                Ok(None) => History::NoStore,
                Err(e) => History::Unavailable(e.clone()),
            };
            let p = CircuitPage {
                line: CircuitLine { row: &status.row, observed_at: status.observed_at, since: status.since, href: link, stale: status.stale },
                report: status.report.as_deref(),
                previous: status.previous.as_ref().map(|(v, c)| (*v, c.as_deref())),
                history,
                now,
                refresh_secs: opts.every_secs,
            };
            Html(page::circuit(&p)).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_is_a_time_or_a_span() {
        assert_eq!(window_start(None, 100_000), Ok(100_000 - 86_400));
        assert_eq!(window_start(Some("6h"), 100_000), Ok(100_000 - 21_600));
        assert_eq!(window_start(Some("1970-01-01T00:01:00Z"), 100_000), Ok(60));
        assert!(window_start(Some("yesterday"), 0).unwrap_err().contains("?since="));
    }
}
